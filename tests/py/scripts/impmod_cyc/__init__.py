print('cyc init start')
from . import a
print('cyc init end', a.A)
