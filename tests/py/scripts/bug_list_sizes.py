# Every list-building path allocates what python3's does: sys.getsizeof
# shows the item array (allocated * 8 + 56), so over-allocation shows.
# Issue 13: [x] * n used to grow by repeated extends (920 for [0] * 100,
# python3 856).
import sys

size = sys.getsizeof
NS = list(range(0, 20)) + [25, 31, 32, 33, 50, 64, 100, 127, 128, 129, 255, 1000]

def show(name, make):
    print(name, [size(make(n)) for n in NS])

show("repeat1", lambda n: [0] * n)
show("repeat3", lambda n: [0, 1, 2] * n)
show("rrepeat", lambda n: n * [None])
show("repeat_empty", lambda n: [] * n)
show("range", lambda n: list(range(n)))
show("tuple", lambda n: list(tuple(range(n))))
show("list", lambda n: list([0] * n))
show("str", lambda n: list("a" * n))
show("gen", lambda n: list(i for i in range(n)))
show("comp", lambda n: [i for i in range(n)])
show("comp_if", lambda n: [i for i in range(n) if i % 2])
show("concat", lambda n: [0] * n + [1] * (n // 2))
show("concat_empty", lambda n: [] + list(range(n)))
show("slice", lambda n: list(range(n))[:])
show("slice_half", lambda n: list(range(n))[n // 2:])
show("slice_step", lambda n: list(range(n))[::2])
show("sorted", lambda n: sorted(range(n)))
show("sorted_tuple", lambda n: sorted(tuple(range(n))))
show("copy", lambda n: list(range(n)).copy())
show("display", lambda n: [*range(n)])
show("display2", lambda n: [0, *range(n), 1])

def append(n):
    l = []
    for i in range(n):
        l.append(i)
    return l
show("append", append)

def irepeat(n):
    l = [0, 1]
    l *= n
    return l
show("irepeat", irepeat)

def irepeat_big(n):
    l = list(range(n))
    l *= 3
    return l
show("irepeat_big", irepeat_big)

def iconcat(n):
    l = [0]
    l += range(n)
    return l
show("iconcat", iconcat)

def extend_list(n):
    l = [0, 1, 2]
    l.extend([0] * n)
    return l
show("extend_list", extend_list)

def extend_gen(n):
    l = [0, 1, 2]
    l.extend(i for i in range(n))
    return l
show("extend_gen", extend_gen)

def slice_assign(n):
    l = [0] * 4
    l[1:2] = range(n)
    return l
show("slice_assign", slice_assign)

def shrink(n):
    l = list(range(n))
    while len(l) > n // 3:
        l.pop()
    return l
show("pop_shrink", shrink)

def delete(n):
    l = list(range(n))
    del l[n // 4:]
    return l
show("del_slice", delete)

def insert(n):
    l = []
    for i in range(n):
        l.insert(0, i)
    return l
show("insert", insert)

def clear(n):
    l = list(range(n))
    l.clear()
    return l
show("clear", clear)

print("tuple_repeat", [size((0,) * n) for n in NS])
print("tuple_repeat3", [size((0, 1, 2) * n) for n in NS])

# the contents and identities of the repeat paths
a = [1, "x", None]
print(a * 3, 2 * a, a * 0, a * -2, (1, 2) * 3, () * 5)
b = a
b *= 2
print(b is a, a)
b *= 1
print(b is a, a)
b *= 0
print(b is a, a, size(a))
c = [[]] * 3
c[0].append(1)
print(c)
for bad in (2 ** 62, sys.maxsize):
    try:
        [0, 1] * bad
    except MemoryError:
        print("MemoryError", bad)
    try:
        d = [0, 1]
        d *= bad
    except MemoryError:
        print("MemoryError in place", bad, d)
