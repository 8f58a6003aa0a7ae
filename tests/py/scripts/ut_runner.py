# pymm's lib/unittest against CPython's unittest: the same test classes
# run by TextTestRunner at both verbosities; the output is compared with
# the timing figure taken out.  (Not compared: the type-specific messages
# of assertEqual on lists/dicts, which need difflib, and the ^^^ markers
# of 3.11's tracebacks.)
import io
import sys
import unittest

HERE = __file__.rpartition('/')[0]   # the checkout's folder stays out of the output


def run(suite, verbosity):
    stream = io.StringIO()
    result = unittest.TextTestRunner(stream=stream, verbosity=verbosity).run(suite)
    for line in stream.getvalue().split('\n'):
        if line.startswith('Ran '):
            line = line[:line.index(' in ')]
        print(line.replace(HERE, '.'))
    print('result:', result.testsRun, len(result.failures), len(result.errors),
          len(result.skipped), len(result.expectedFailures),
          len(result.unexpectedSuccesses), result.wasSuccessful())
    for test, reason in result.skipped:
        print('skipped:', test.id(), repr(reason))


log = []


class Basic(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        log.append('setUpClass')

    @classmethod
    def tearDownClass(cls):
        log.append('tearDownClass')

    def setUp(self):
        log.append('setUp ' + self._testMethodName)

    def tearDown(self):
        log.append('tearDown ' + self._testMethodName)

    def test_equal(self):
        "First line of the doc.\n\n        More."
        self.assertEqual(1 + 1, 2)
        self.assertNotEqual(1, 2)
        self.assertTrue([1])
        self.assertFalse(())
        self.assertIs(None, None)
        self.assertIsNot(1, None)
        self.assertIsNone(None)
        self.assertIsNotNone(0)
        self.assertIn(1, [1, 2])
        self.assertNotIn(3, [1, 2])
        self.assertIsInstance(1, int)
        self.assertGreater(2, 1)
        self.assertGreaterEqual(2, 2)
        self.assertLess(1, 2)
        self.assertLessEqual(2, 2)
        self.assertAlmostEqual(1.0, 1.00000001)
        self.assertCountEqual([1, 2, 2], [2, 1, 2])
        self.assertSequenceEqual((1, 2), [1, 2])

    def test_raises(self):
        with self.assertRaises(KeyError) as cm:
            {}['x']
        self.assertEqual(cm.exception.args, ('x',))
        self.assertRaises(ZeroDivisionError, lambda a, b: a / b, 1, 0)
        with self.assertRaisesRegex(ValueError, r'bad \w+ [0-9]+$'):
            raise ValueError('a bad value 42')
        self.assertRaisesRegex(TypeError, 'unsupported', lambda: 1 + 'a')
        self.assertRegex('abc123', r'c\d{3}')
        self.assertNotRegex('abc', r'^b')
        try:
            with self.assertRaises(KeyError):
                pass
        except AssertionError as e:
            print('caught:', e)
        try:
            with self.assertRaisesRegex(ValueError, 'x+y'):
                raise ValueError('zzz')
        except AssertionError as e:
            print('caught:', e)

    def test_fail_equal(self):
        self.assertEqual(12, 13)

    def test_fail_msg(self):
        self.assertTrue(0, 'with a message')

    def test_error(self):
        raise KeyError('missing')

    def test_skip_inside(self):
        self.skipTest('not today')

    @unittest.skip('decorated')
    def test_skip_decorated(self):
        raise AssertionError('never run')

    @unittest.skipIf(True, 'condition true')
    def test_skip_if(self):
        pass

    @unittest.skipUnless(True, 'runs')
    def test_skip_unless_runs(self):
        pass

    @unittest.expectedFailure
    def test_expected_failure(self):
        self.assertEqual(1, 0)

    @unittest.expectedFailure
    def test_unexpected_success(self):
        pass

    def test_subtests(self):
        for i in range(4):
            with self.subTest(i=i):
                self.assertEqual(i % 2, 0)

    def test_cleanups(self):
        self.addCleanup(log.append, 'cleanup 1')
        self.addCleanup(log.append, 'cleanup 2')

    def helper_not_a_test(self):
        pass


@unittest.skip('whole class')
class Skipped(unittest.TestCase):
    def test_a(self):
        pass

    def test_b(self):
        pass


class BrokenSetUpClass(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        raise RuntimeError('no fixture')

    def test_never(self):
        pass


loader = unittest.TestLoader()
print(loader.getTestCaseNames(Basic))
suite = unittest.TestSuite()
suite.addTests(loader.loadTestsFromTestCase(Basic))
print(suite.countTestCases())
run(suite, 2)
print(log)
del log[:]
run(unittest.TestSuite([loader.loadTestsFromTestCase(Basic),
                        loader.loadTestsFromTestCase(Skipped),
                        loader.loadTestsFromTestCase(BrokenSetUpClass)]), 1)
run(unittest.TestSuite(), 1)
print(str(Basic('test_equal')), Basic('test_equal').id(), Basic('test_equal').shortDescription())
try:
    Basic('test_nonexistent')
except ValueError as e:
    print('ValueError')
