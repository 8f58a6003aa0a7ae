# Built-in functions of modules: repr, __qualname__ and the module's name in
# argument-count errors (CPython names them "mod.f()"), against methods of
# objects, which name their type.
import gc, math, sys, time, itertools, functools

for f in (time.time, time.perf_counter, gc.isenabled, gc.collect, sys.getrefcount,
          math.sqrt, functools.reduce, len, print):
    print(repr(f), f.__qualname__, f.__name__)

for call in (lambda: time.time(1), lambda: time.monotonic(1, 2), lambda: math.sqrt(),
             lambda: math.floor(1, 2), lambda: [].append(), lambda: [].clear(1),
             lambda: {}.keys(1), lambda: len(), lambda: time.time(x=1)):
    try:
        call()
    except TypeError as e:
        print(e)
print(repr([].append).split(' at ')[0])
