# BaseExceptionGroup / ExceptionGroup: construction rules and texts, message/exceptions, subgroup, split, derive (no except*).
def t(label, f):
    try:
        r = f()
        print(label, repr(r))
    except Exception as e:
        print(label, 'EXC', type(e).__name__, e)
eg = ExceptionGroup('msg', [ValueError(1), TypeError(2)])
t('eg', lambda: (str(eg), repr(eg), eg.message, eg.exceptions, type(eg).__name__, eg.args))
t('isinst', lambda: (isinstance(eg, Exception), isinstance(eg, BaseExceptionGroup), issubclass(ExceptionGroup, BaseExceptionGroup)))
t('beg', lambda: type(BaseExceptionGroup('m', [ValueError()])).__name__)
t('beg base', lambda: type(BaseExceptionGroup('m', [KeyboardInterrupt()])).__name__)
t('eg base', lambda: ExceptionGroup('m', [KeyboardInterrupt()]))
t('empty', lambda: ExceptionGroup('m', []))
t('not seq', lambda: ExceptionGroup('m', None))
t('not exc', lambda: ExceptionGroup('m', [1]))
t('msg type', lambda: ExceptionGroup(1, [ValueError()]))
t('one arg', lambda: ExceptionGroup('m'))
t('three', lambda: ExceptionGroup('m', [ValueError()], 3))
t('one sub', lambda: str(ExceptionGroup('m', [ValueError()])))
t('tuple', lambda: ExceptionGroup('m', (ValueError(1),)).exceptions)
nested = ExceptionGroup('outer', [ValueError('a'), ExceptionGroup('inner', [TypeError('b'), ValueError('c')]), KeyError('d')])
def show(g, ind=''):
    if g is None:
        return 'None'
    if isinstance(g, BaseExceptionGroup):
        return '%s%s(%s)' % (type(g).__name__, repr(g.message), ', '.join(show(e) for e in g.exceptions))
    return repr(g)
t('subgroup type', lambda: show(nested.subgroup(ValueError)))
t('subgroup tuple', lambda: show(nested.subgroup((TypeError, KeyError))))
t('subgroup pred', lambda: show(nested.subgroup(lambda e: isinstance(e, ValueError) and e.args[0] == 'c')))
t('subgroup none', lambda: show(nested.subgroup(OSError)))
t('subgroup all', lambda: nested.subgroup(Exception) is nested)
t('split', lambda: tuple(show(x) for x in nested.split(ValueError)))
t('split all', lambda: tuple(show(x) for x in nested.split(BaseException)))
t('split none', lambda: tuple(show(x) for x in nested.split(OSError)))
t('split bad', lambda: nested.split(1))
t('derive', lambda: show(nested.derive([ValueError(9)])))
class MyEG(ExceptionGroup):
    def derive(self, excs):
        return MyEG(self.message + '!', excs)
m = MyEG('mine', [ValueError(1), TypeError(2)])
t('custom derive', lambda: show(m.subgroup(ValueError)))
t('custom split', lambda: tuple(show(x) for x in m.split(TypeError)))
nested.__notes__ = ['note']
t('notes copied', lambda: nested.subgroup(ValueError).__notes__)
t('context', lambda: (nested.__context__, nested.__cause__))
try:
    raise ExceptionGroup('raised', [ValueError(1)])
except ExceptionGroup as e:
    t('caught', lambda: (str(e), e.exceptions))
t('eg subclass of both', lambda: ExceptionGroup.__mro__)
class Sub(BaseExceptionGroup):
    pass
t('sub new', lambda: type(Sub('x', [ValueError()])).__name__)
t('sub base', lambda: type(Sub('x', [KeyboardInterrupt()])).__name__)
