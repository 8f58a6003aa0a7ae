# OrderedDict.__sizeof__ gives CPython's C implementation's figures
# (odict_sizeof: the dict with a 112-byte body, a fast-lookup table of one
# pointer per hash-table slot, a 32-byte node per item).  (sys.getsizeof of
# an OrderedDict is 16 more in pymm: its OrderedDict is a Python class with
# a managed dict, CPython's a C type.)
import collections

# OrderedDict.__sizeof__ gives the C implementation's figures
od = collections.OrderedDict()
print(od.__sizeof__())
od.update((chr(97 + i), i) for i in range(10))
print(od.__sizeof__())
for i in range(100):
    od[i] = i
print(od.__sizeof__())
for k in list(od)[:60]:
    del od[k]
print(od.__sizeof__(), len(od))
for k in list(od):
    del od[k]
print(od.__sizeof__(), len(od))
od.clear()
print(od.__sizeof__())


class OS(collections.OrderedDict):
    __slots__ = ("x",)


print(OS().__sizeof__(), OS(a=1).__sizeof__())
try:
    collections.OrderedDict.__sizeof__(1)
except TypeError as e:
    print("TypeError:", e)
