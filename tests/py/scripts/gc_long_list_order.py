# The order the collector leaves objects in (gc.get_objects) when long
# lists and tuples (32 items and more) hold them: pymm's collector lets the
# items of a long array wait and visits them as its walk reaches the
# objects they name (gc.c, "deferred visits"), which must not change the
# order of any collection.  Children made before their list (moved to the
# unreachable list and back), after it (the list filled later), shuffled,
# nested long lists, long tuples, garbage cycles between them, a list
# holding itself; full and young collections.
import gc

class Obj:
    pass

# Objs carry their label; the tagged lists and tuples (by id) stay alive
# until the last step, which forgets them, so no id is reused meanwhile.
LABEL = {}

def new(name):
    o = Obj()
    o.name = name
    return o

def tag(c, name):
    LABEL[id(c)] = name
    return c

def order():
    out = []
    for o in gc.get_objects():
        if type(o) is Obj:
            out.append(o.name)
        elif id(o) in LABEL:
            out.append(LABEL[id(o)])
    return out

def split(label):
    # 'd3.12' -> ('d3.', 12); 'A' -> ('A', None)
    i = len(label)
    while i and label[i - 1].isdigit():
        i -= 1
    return (label[:i], int(label[i:])) if i < len(label) else (label, None)

def compact(labels):
    # runs of one prefix with numbers stepping by +1 or -1: 'a39..a0'
    out = []
    i = 0
    while i < len(labels):
        p, n = split(labels[i])
        j = i + 1
        if n is not None and j < len(labels):
            q, m = split(labels[j])
            step = m - n if q == p and m is not None and abs(m - n) == 1 else 0
            while step and j < len(labels) and split(labels[j]) == (p, n + step * (j - i)):
                j += 1
        if j - i > 2:
            out.append('%s..%s' % (labels[i], labels[j - 1]))
        else:
            out.extend(labels[i:j])
        i = j
    return ' '.join(out)

def show(title, gen=2):
    n = gc.collect(gen)
    print(title, n)
    print(' ', compact(order()))

gc.disable()
gc.collect()

def perm(n, k):
    # a fixed shuffle of range(n)
    return [(i * k + 3) % n for i in range(n)]

# 1. children first, then the list: every child goes to the unreachable
#    list and comes back in the list's visiting order
kids = [new('a%d' % i) for i in range(40)]
keep1 = tag(list(kids), 'A')
del kids
show('before')

# 2. the list first, then its children (filled in later), with garbage
#    cycles made between them
keep2 = tag([None] * 50, 'B')
for i in range(50):
    keep2[i] = new('b%d' % i)
    if i % 7 == 0:
        x = new('gx%d' % i); y = new('gy%d' % i)
        x.o = y; y.o = x
        del x, y
show('after')

# 3. shuffled children, some pointing back at older objects
keep3 = tag([None] * 64, 'C')
made = [new('c%d' % i) for i in range(64)]
for i, j in enumerate(perm(64, 5)):
    keep3[j] = made[i]
    if i % 5 == 0:
        made[i].back = made[(i * 3) % 64]
del made
# ... and shuffled children older than their list: they come back from the
# unreachable list in the order the list visits them
made = tuple(new('s%d' % i) for i in range(64))
keep4 = tag([made[j] for j in perm(64, 7)], 'S')
del made
show('shuffled')

# 4. nested long lists (several arrays waiting at once), a long tuple, a
#    list holding itself, children pointing at their list
outer = tag([], 'D')
for k in range(12):
    inner = tag([None] * 33, 'D%d' % k)
    outer.append(inner)
    for i in range(33):
        inner[i] = new('d%d.%d' % (k, i))
        if i % 11 == 0:
            inner[i].up = inner
outer.append(outer)
tup = tag(tuple(new('t%d' % i) for i in range(40)), 'T')
outer.append(tup)
del inner
show('nested')

# 5. an object the waiting items do not name, between ones they do; a
#    garbage long list whose items are garbage too
lone = new('lone')
keep5 = tag([None] * 40, 'E')
for i in range(40):
    keep5[i] = new('e%d' % i)
    if i == 20:
        g = [new('g%d' % j) for j in range(35)]   # garbage
        g.append(g)
        del g
        lone2 = new('lone2')
        hidden = new('hidden')     # gc_refs 0 when the scan meets it
late = new('late')
late.h = hidden
del hidden
show('lone')

# 6. young collections over the same kinds of heap
keep6 = tag([None] * 36, 'F')
for i in range(36):
    keep6[i] = new('f%d' % i)
    if i % 6 == 0:
        keep6[i].me = keep6[i]
old = [new('h%d' % i) for i in range(3)]
keep6.append(tag(list(old), 'H'))
del old
show('young0', 0)
keep7 = tag([new('k%d' % i) for i in range(34)], 'K')
keep7.extend(tag([None] * 40, 'K%d' % i) for i in range(2))
show('young1', 1)
show('full', 2)

# 7. everything dropped
del keep1, keep2, keep3, keep4, keep5, keep6, keep7, outer, tup, lone, lone2, late
LABEL.clear()
show('dropped')
