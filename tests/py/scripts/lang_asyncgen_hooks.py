import sys
h = sys.get_asyncgen_hooks()
print(h, type(h).__name__, type(h).__module__, len(h), h.firstiter, h[1], tuple(h))
for args, kw in [((1,), {}), ((), {'firstiter': 1}), ((), {'finalizer': 2}), ((None, None, None), {}),
                 ((), {'x': 1}), ((print,), {'firstiter': print}), ((), {'firstiter': print, 'finalizer': 3})]:
    try:
        print(sys.set_asyncgen_hooks(*args, **kw))
    except Exception as e:
        print(type(e).__name__, e)
    print(sys.get_asyncgen_hooks())
    sys.set_asyncgen_hooks(None, None)
print(sys.set_asyncgen_hooks())
try: sys.get_asyncgen_hooks(1)
except TypeError as e: print(e)
print(sys.get_coroutine_origin_tracking_depth())
for a in [(-1,), ('x',), (), (1, 2), (2**40,)]:
    try: sys.set_coroutine_origin_tracking_depth(*a)
    except Exception as e: print(type(e).__name__, e)
try: sys.set_coroutine_origin_tracking_depth(depth=3)
except Exception as e: print(type(e).__name__, e)
print(sys.get_coroutine_origin_tracking_depth())
try: sys.get_coroutine_origin_tracking_depth(1)
except TypeError as e: print(e)
sys.set_coroutine_origin_tracking_depth(0)
try: sys.set_asyncgen_hooks(firstiter=1, finalizer=print)
except TypeError as e: print(e)
print(sys.get_asyncgen_hooks())
sys.set_asyncgen_hooks(firstiter=print)
sys.set_asyncgen_hooks(finalizer=len)
print(sys.get_asyncgen_hooks())
sys.set_asyncgen_hooks(firstiter=None)
print(sys.get_asyncgen_hooks())
h = sys.get_asyncgen_hooks()
print(h == (None, len), hash(h) == hash((None, len)), h.__class__.__name__)
try: h.firstiter = 1
except AttributeError as e: print(e)
