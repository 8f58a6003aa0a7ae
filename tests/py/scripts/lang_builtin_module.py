import math, sys
for f in (len, print, math.sqrt, sys.getsizeof, [].append, dict.fromkeys):
    for a in ('__module__', '__self__', '__qualname__', '__name__'):
        try: v = getattr(f, a)
        except AttributeError as e: v = 'AE'
        print(a, v if not hasattr(v, '__dict__') or isinstance(v, type) else type(v).__name__ + ':' + getattr(v, '__name__', '?'), end=' | ')
    print(repr(f) if f.__self__ is None or type(f.__self__) in (type(sys),) else '', type(f).__name__)
    try: print(hash(f) == hash(f))
    except TypeError as e: print(e)
print(len.__self__ is __builtins__ if type(__builtins__) is type(sys) else len.__self__.__name__)
print(math.sqrt.__self__ is math, sys.getsizeof.__self__ is sys)
print(math.sqrt == math.sqrt, len == len, len != print)
# a method bound to a module is not one of its functions: no __module__, no owner
f = sys.__sizeof__
print(f.__qualname__, f.__module__, f.__name__, repr(f))
try:
    sys.__sizeof__(1)
except TypeError as e:
    print(e)
try:
    math.sqrt(1, 2)
except TypeError as e:
    print(e)
try:
    sys.getsizeof()
except TypeError as e:
    print(e)
