# WeakValueDictionary, WeakKeyDictionary and WeakSet as entries die
import gc
import weakref


class Obj:
    def __init__(self, n):
        self.n = n

    def __repr__(self):
        return "Obj(%d)" % self.n


print("-- WeakValueDictionary emptied by del")
wvd = weakref.WeakValueDictionary()
objs = [Obj(i) for i in range(6)]
for o in objs:
    wvd["k%d" % o.n] = o
del o
print(len(wvd), sorted(wvd.keys()), wvd["k2"], "k9" in wvd, wvd.get("k9", "none"))
del objs[0]
print(len(wvd), "k0" in wvd)
objs.clear()
print("after clearing the list:", len(wvd), list(wvd.items()))

print("-- entries dying during iteration wait in _pending_removals")
objs = [Obj(i) for i in range(4)]
wvd = weakref.WeakValueDictionary((o.n, o) for o in objs)
it = iter(wvd.values())
first = next(it)
objs.clear()
print("pending:", len(wvd._pending_removals), "data:", len(wvd.data))
print("rest:", list(it))
print("after the iteration:", len(wvd._pending_removals), len(wvd.data), len(wvd), list(wvd.values()))
del first, it
print("first gone too:", len(wvd))

print("-- WeakValueDictionary methods")
keep = [Obj(10), Obj(11), Obj(12)]
wvd = weakref.WeakValueDictionary({"a": keep[0]}, b=keep[1])
print(wvd.setdefault("c", keep[2]), wvd.setdefault("a", keep[2]), sorted(wvd))
print(wvd.pop("a"), wvd.pop("zz", "default"), sorted(wvd.items(), key=lambda kv: kv[0]))
try:
    wvd.pop("zz")
except KeyError as e:
    print("KeyError", e)
c = wvd.copy()
print(type(c).__name__, sorted(c.keys()), len(wvd.valuerefs()))
try:
    wvd["x"] = 1
except TypeError as e:
    print("TypeError:", e)
del wvd["b"]
print(sorted(wvd), wvd == {"c": keep[2]})

print("-- WeakKeyDictionary")
keys = [Obj(20), Obj(21), Obj(22)]
wkd = weakref.WeakKeyDictionary()
for i, k in enumerate(keys):
    wkd[k] = i
print(len(wkd), wkd[keys[1]], keys[2] in wkd, 5 in wkd, sorted(wkd.values()))
del keys[0]
print(len(wkd), sorted(v for v in wkd.values()))
it = iter(wkd.items())
next(it)
keys.clear()
print("while iterating:", len(wkd), len(wkd._pending_removals))
list(it)
print("after:", len(wkd), len(wkd.data))
del it

print("-- WeakSet")
members = [Obj(30), Obj(31), Obj(32)]
ws = weakref.WeakSet(members)
print(len(ws), members[0] in ws, Obj(99) in ws, 3 in ws)
members.pop()
print(len(ws), sorted(o.n for o in ws))
ws.discard(members[0])
print(len(ws))
extra = Obj(40)
ws.add(extra)
it = iter(ws)
next(it)
del extra
members.clear()
print("while iterating:", len(ws._pending_removals))
list(it)
del it
print("after:", len(ws), list(ws))
try:
    ws.pop()
except KeyError as e:
    print("KeyError:", e)

print("-- a cycle holding the only values")
a, b = Obj(50), Obj(51)
a.peer, b.peer = b, a
wvd = weakref.WeakValueDictionary(a=a, b=b)
del a, b
print(len(wvd))
gc.collect()
print(len(wvd))
