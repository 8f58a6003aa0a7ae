# packages, submodules, relative imports, fromlist handling
import sys
DIR = __file__[:-len('imp_pkg.py')]
import impmod_pkg.deep.leaf
print(impmod_pkg.deep.leaf.NAME)
print(impmod_pkg.__name__, impmod_pkg.__package__)
print(impmod_pkg.__path__ == [DIR + 'impmod_pkg'])
print(impmod_pkg.__file__ == DIR + 'impmod_pkg/__init__.py')
print(impmod_pkg.deep.__package__, impmod_pkg.deep.leaf.__package__)
print(impmod_pkg.sub.V, impmod_pkg.sub.H)
print(repr(impmod_pkg.deep.leaf).replace(DIR, '<dir>/'))
print(sys.modules['impmod_pkg.deep.leaf'] is impmod_pkg.deep.leaf)
from impmod_pkg import helper
print(helper.H)
from impmod_pkg.deep import leaf as L, DEEP
print(L.NAME, DEEP)
import impmod_pkg.sub as s
print(s.V)
print('impmod_pkg.helper' in sys.modules)
