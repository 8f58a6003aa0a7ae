"""Placeholders for modules pymm does not have yet (test-only).

tests/cpython/pymm_exec.py puts this directory last on sys.path, after
pymm's lib/, so a real module always wins.  A placeholder module hands
out stand-ins for its attributes: at import time (module level, class
bodies) a stand-in only builds more stand-ins, so the test file imports;
inside a running test, calling one (or using it as a number, a sequence
or an iterable) raises SkipTest("pymm has no X module"), so a test
needing the module is skipped with that reason and counted as such.
Outside a test those uses raise TypeError: an error, not a silent pass.
"""

import sys


def _reason(module):
    return "pymm has no %s module" % module


class Missing:
    def __init__(self, *args):
        if len(args) == 3 and isinstance(args[1], tuple):
            # `class C(placeholder):` calls type(placeholder)(name, bases, ns)
            base = [b for b in args[1] if isinstance(b, Missing)][0]
            base._use()
            module, name = base._pymm_module, '%s subclass %s' % (base._pymm_name, args[0])
        else:
            module, name = args
        self.__dict__['_pymm_module'] = module
        self.__dict__['_pymm_name'] = name

    def __getattr__(self, attr):
        if attr.startswith('__') and attr.endswith('__'):
            raise AttributeError(attr)
        return Missing(self._pymm_module, self._pymm_name + '.' + attr)

    def _use(self):
        case = sys.modules.get('unittest.case')
        if case is not None and case.in_test():
            raise case.SkipTest(_reason(self._pymm_module))

    def __call__(self, *args, **kwargs):
        self._use()
        return Missing(self._pymm_module, self._pymm_name + '()')

    def _operate(self, *other):
        self._use()
        raise TypeError('%s: %s' % (_reason(self._pymm_module), self._pymm_name))

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _operate
    __index__ = __int__ = __len__ = __getitem__ = _operate

    def __repr__(self):
        return '<pymm placeholder %s>' % self._pymm_name

    def __iter__(self):
        self._operate()


def module_getattr(module):
    """The __getattr__ of a placeholder module."""
    def getattr_(name):
        if name.startswith('__') and name.endswith('__'):
            raise AttributeError(name)
        return Missing(module, module + '.' + name)
    return getattr_
