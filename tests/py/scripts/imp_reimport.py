# sys.modules is the cache: removing an entry makes the next import run
# the file again; putting any object there makes import return it
import sys
import impmod_a
first = impmod_a
del sys.modules['impmod_a']
import impmod_a
print(first is impmod_a, first.X == impmod_a.X)
sys.modules['impmod_fake'] = 'not a module'
import impmod_fake
print(impmod_fake)
from impmod_fake import upper
print(upper())
sys.path.append('impmod_pkg')
import helper
print(helper.H, helper.__name__)
