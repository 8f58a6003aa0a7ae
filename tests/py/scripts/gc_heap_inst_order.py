# The order the collector leaves instances of Python classes of every
# layout in (gc.get_objects), and the garbage it finds: __slots__ down a
# chain of classes (the class's own cells first), __slots__ beside a
# __dict__, inline values after attributes were deleted and re-set (the
# values keep insertion order), a made __dict__, and a class over a static
# base other than object (list), whose instances the collector hands to
# their traverse hook.  Children are made first, so the first collection
# moves them to the unreachable list and back, in the order the parent's
# traverse reaches them.
import gc

class A:
    __slots__ = ('p', 'q')

class B(A):
    __slots__ = ('r',)

class C(B):
    pass                        # slots of A and B, and a dict

class V:
    pass

class L(list):
    pass

ALL = (A, B, C, V, L)

def labels(root):
    names = {}
    stack = [root]
    while stack:
        n = stack.pop()
        if not isinstance(n, ALL) or id(n) in names:
            continue
        names[id(n)] = len(names)
        kids = []
        for k in ('p', 'q', 'r', 'x', 'y', 'z', 'w'):
            kids.append(getattr(n, k, None))
        if isinstance(n, L):
            kids.extend(n)
        stack.extend(kids)
    return [names[id(o)] for o in gc.get_objects() if id(o) in names]

def chain(d):
    b = B()
    if d:
        b.r = chain(d - 1)
        b.p = chain(d - 1)
        b.q = V()
    return b

def mixed(d):
    c = C()
    if d:
        c.x = mixed(d - 1)
        c.q = mixed(d - 1)
        c.r = V()
        c.p = L([V(), V()])
    return c

def reordered(d):
    v = V()
    if d:
        v.x = reordered(d - 1)
        v.y = reordered(d - 1)
        v.z = V()
        del v.x
        v.w = reordered(d - 1)
        v.x = V()
    return v

def listed(d):
    l = L()
    if d:
        l.append(listed(d - 1))
        l.append(V())
        l.x = listed(d - 1)
    return l

gc.collect()
gc.disable()

# one parent made after its children, per layout: the survivors follow the
# parent in exactly the order its traverse visits them
class K:
    pass

def kids(n):
    out = []
    for i in range(n):
        k = K(); k.i = i; out.append(k)
    return out

def flat_names(root):
    return [o.i for o in gc.get_objects() if type(o) is K]

def flat(name, build):
    r = build()
    gc.collect()
    print('flat', name, flat_names(r))

def f_values():
    k = kids(5); v = V()
    v.x, v.y, v.z, v.w = k[3], k[0], k[4], k[1]
    return v
def f_values_del():
    k = kids(5); v = V()
    v.x, v.y, v.z = k[0], k[1], k[2]
    del v.y
    v.w = k[3]; v.y = k[4]
    return v
def f_dict():
    k = kids(4); v = V()
    v.x, v.y = k[2], k[0]
    v.__dict__
    v.z, v.w = k[3], k[1]
    return v
def f_slots():
    k = kids(3); b = B()
    b.q, b.r, b.p = k[0], k[1], k[2]
    return b
def f_slots_dict():
    k = kids(6); c = C()
    c.x, c.q, c.r, c.y, c.p, c.z = k
    return c
def f_list():
    k = kids(4); l = L(k[2:])
    l.x, l.y = k[1], k[0]
    return l

for name, build in (('values', f_values), ('values del', f_values_del), ('dict', f_dict),
                    ('slots', f_slots), ('slots dict', f_slots_dict), ('list', f_list)):
    flat(name, build)

for name, make in (('chain', chain), ('mixed', mixed), ('reordered', reordered), ('listed', listed)):
    r = make(3)
    print(name, 'before', len(labels(r)))
    gc.collect()
    print(name, 'after 1', labels(r))
    gc.collect()
    print(name, 'after 2', labels(r)[:10])
    del r
    print(name, 'garbage', gc.collect())

# cycles through every layout at once
for i in range(4):
    a = B(); c = C(); v = V(); l = L()
    a.r = c; c.x = v; v.y = l; l.append(a); c.p = c
    if i % 2:
        c.__dict__
        del v.y
        v.z = l
del a, c, v, l
print('cycles garbage', gc.collect())
gc.enable()
