# __main__ is a real module in sys.modules
import sys
import __main__
DIR = __file__[:-len('imp_main.py')]
X = 'main x'
print(__main__.X, __main__ is sys.modules['__main__'])
print(__main__.__name__, __name__)
print(repr(__main__).replace(DIR, '<dir>/'))
print(__file__ == DIR + 'imp_main.py', __cached__)
print(__main__.__dict__['X'])
__main__.Y = 'via attribute'
print(Y)
print(type(__builtins__))
