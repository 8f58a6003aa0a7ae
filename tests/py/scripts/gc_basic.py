# the gc module over the library's collector
import gc
print(gc.isenabled())
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled())
print(gc.get_threshold())
gc.set_threshold(500, 5, 5)
print(gc.get_threshold())
gc.set_threshold(700)
print(gc.get_threshold())
gc.set_threshold(700, 10, 10)
print(gc.get_debug(), gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)
print(gc.is_tracked([]), gc.is_tracked(1), gc.is_tracked('s'), gc.is_tracked(gc))
print(gc.is_finalized([]))
gc.collect()
a = []
a.append(a)
del a
print(gc.collect())
b = [1]
c = [b]
b.append(c)
del b, c
print(gc.collect(0), gc.collect(generation=2))
print(gc.garbage)
gc.set_debug(gc.DEBUG_SAVEALL)
d = []
d.append(d)
del d
print(gc.collect())
print(len(gc.garbage))
gc.set_debug(0)
for g in gc.garbage:
    print(type(g), len(g))
    g.clear()
gc.garbage.clear()
gc.collect()
print(gc.callbacks)
gc.callbacks.append(print)
gc.collect()
gc.collect(1)
gc.callbacks.remove(print)
gc.collect()
print(gc.callbacks)
x = []
y = [x]
print(y in gc.get_referrers(x))
print(gc.get_referents([1, 'a', x]) == [1, 'a', x], gc.get_referents(1, 2))
print(gc.get_referents(y, [5]))
print(len(gc.get_stats()), 'collected' in gc.get_stats()[2], 'collections' in gc.get_stats()[0])
print(len(gc.get_objects()) > 10, len(gc.get_objects(generation=2)) > 0, type(gc.get_objects(0)))
gc.freeze()
print(gc.get_freeze_count() > 0)
gc.unfreeze()
print(gc.get_freeze_count())
