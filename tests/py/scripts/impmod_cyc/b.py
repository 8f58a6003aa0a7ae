from . import a
from impmod_cyc import a as a2
print('b sees', a.__name__, a is a2)
B = 'b done'
