# from m import *: __all__ honoured, _names skipped without it
import __main__
from impmod_star import *
print(A, _B)
print('C' in __main__.__dict__)
from impmod_nostar import *
print(A, C)
print(_B)
print('__name__' in __main__.__dict__, __name__)
