# type.__basicsize__ / __dictoffset__ / __weakrefoffset__ / __itemsize__ of
# classes report CPython 3.11's figures (issue 13: pymm keeps the managed
# dict inside the object, so its own basicsize is 16 more; it reported that).
# Not here: str subclasses that get a weakref word in CPython (class S(str)
# with no __slots__ or with '__weakref__'): pymm has none (subvalue.c).
SLOTS = {"S": None, "T": (), "U": ("a",), "W": ("__dict__",), "V": ("__weakref__",),
         "X": ("a", "__dict__", "__weakref__"), "Y": ("b", "a")}

def show(c):
    print(c.__name__, c.__basicsize__, c.__itemsize__, c.__dictoffset__, c.__weakrefoffset__)

for base in (str, float, complex, int, bytes, tuple, list, dict, object, bytearray, set,
             frozenset, Exception, ValueError, property, staticmethod):
    show(base)
    for name, sl in SLOTS.items():
        if base is str and name in ("S", "V", "X"):
            continue
        ns = {} if sl is None else {"__slots__": sl}
        try:
            c = type(name, (base,), ns)
        except TypeError as e:
            print(base.__name__, name, "TypeError", e)
            continue
        print(base.__name__, end=" ")
        show(c)

# chains: what a class inherits, what it adds
class A: pass
class A2: __slots__ = ()
class B(A2): __slots__ = ("b",)
class B1(A): __slots__ = ("b",)
class C(B): pass
class D(B): __slots__ = ("__weakref__", "x")
class E(D): __slots__ = ("__dict__",)
class F(E): pass
class G(Exception): __slots__ = ("g",)
class H(G): pass
class I(int): pass
class J(I): pass
class L(list): __slots__ = ("__weakref__",)
class M(L): pass
class N(float): __slots__ = ("__dict__",)
class O(N): __slots__ = ("o", "p")
class P(A, B1): pass
class Q(B1, A): __slots__ = ("q",)
class R(str): __slots__ = ("__dict__", "r")
class R2(R): __slots__ = ()
for c in (A, A2, B, B1, C, D, E, F, G, H, I, J, L, M, N, O, P, Q, R, R2):
    show(c)
