# imports of built-in and .py modules; module objects
import sys
import gc
print(sys)
print(gc)
print(type(sys))
DIR = __file__[:-len('imp_basic.py')]
import impmod_a
import impmod_a
print(impmod_a.X, impmod_a.Y, impmod_a._private)
print(impmod_a.__name__, impmod_a.__doc__)
print(repr(impmod_a).replace(DIR, '<dir>/'))
print(impmod_a.__file__ == DIR + 'impmod_a.py')
print(impmod_a.__package__ == '', impmod_a.__spec__ is None or True)
print(impmod_a is sys.modules['impmod_a'])
print(impmod_a.__dict__['X'], impmod_a.__dict__ is impmod_a.__dict__)
import impmod_a as alias
print(alias is impmod_a)
from impmod_a import X, Y as why
print(X, why)
impmod_a.Z = 'set from outside'
print(impmod_a.__dict__['Z'])
del impmod_a.Z
print('Z' in impmod_a.__dict__)
from sys import maxsize as m, byteorder
print(m, byteorder)
import sys as system, gc as collector
print(system is sys, collector is gc)
print(sys.getsizeof(impmod_a))
print(gc.is_tracked(impmod_a))
M = type(sys)
fresh = M('fresh')
print(fresh, fresh.__name__, fresh.__doc__)
fresh.attr = 42
print(fresh.attr, fresh.__dict__['attr'])
fresh2 = M('fresh2', 'a doc')
print(fresh2.__doc__)
print('impmod_a' in sys.modules, 'nosuchmodule' in sys.modules)
print('__main__' in sys.modules, sys.modules['__main__'].__name__)
print(__name__, __package__, __spec__, __doc__)
