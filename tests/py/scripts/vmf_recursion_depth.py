# The depth at which recursion through each kind of call ends in
# RecursionError, and the message: 3.11 counts a level per Python frame,
# per C function call that is not METH_FASTCALL (all of them while the
# calling code is cold, before its eighth RESUME), per class without a
# vectorcall of its own, and per repr/str/comparison -- not per call of a
# Python function from C.  (exec/eval are left out: 3.11's compiler has its
# own depth check, "during compilation"; sorted(x) and iter(x) of an
# iterable whose __iter__ recurses too: their depths come from a mix of
# 3.11's specialized and generic paths.)
# How deep recursion through each kind of call gets before RecursionError.
import sys, functools
depth = 0
def run(name, start):
    global depth
    depth = 0
    try:
        start()
    except RecursionError as e:
        print(name, depth, e)

def f_map():
    global depth; depth += 1
    list(map(lambda x: f_map(), [0]))
run("map+lambda", f_map)
def f_map2(x=0):
    global depth; depth += 1
    list(map(f_map2, [0]))
run("map", f_map2)
def f_reduce():
    global depth; depth += 1
    functools.reduce(lambda a, b: f_reduce(), [1, 2])
run("reduce", f_reduce)
class C:
    def __init__(self):
        global depth; depth += 1
        C()
run("class", C)
class CC:
    def __call__(self):
        global depth; depth += 1
        self()
run("__call__", CC())
class P:
    @property
    def p(self):
        global depth; depth += 1
        return self.p
run("property", lambda: P().p)
class G:
    def __getattr__(self, n):
        global depth; depth += 1
        return getattr(self, n)
run("__getattr__+getattr", lambda: G().x)
class G2:
    def __getattr__(self, n):
        global depth; depth += 1
        return self.y
run("__getattr__", lambda: G2().x)
class S:
    def __str__(self):
        global depth; depth += 1
        return str(self)
run("__str__", lambda: str(S()))
class R:
    def __repr__(self):
        global depth; depth += 1
        return repr(self)
run("__repr__", lambda: repr(R()))
class E:
    def __eq__(self, o):
        global depth; depth += 1
        return self == o
run("__eq__", lambda: E() == 1)
class A:
    def __add__(self, o):
        global depth; depth += 1
        return self + o
run("__add__", lambda: A() + 1)
class L:
    def __len__(self):
        global depth; depth += 1
        return len(self)
run("__len__", lambda: len(L()))
class Gi:
    def __getitem__(self, i):
        global depth; depth += 1
        return self[i]
run("__getitem__", lambda: Gi()[0])
class It:
    def __iter__(self):
        global depth; depth += 1
        return iter(self)
run("__iter__", lambda: iter(It()))
class H:
    def __hash__(self):
        global depth; depth += 1
        return hash(self)
run("__hash__", lambda: hash(H()))
def f_sorted(x=0):
    global depth; depth += 1
    return sorted([1], key=f_sorted)
run("sorted key", f_sorted)
def f_min(x=0):
    global depth; depth += 1
    return min([1, 2], key=f_min)
run("min key", f_min)
def f_partial():
    global depth; depth += 1
    functools.partial(f_partial)()
run("partial", f_partial)
def f_bound():
    global depth; depth += 1
    m = O().m
    m()
class O:
    def m(self):
        f_bound()
run("bound", f_bound)
def f_gen():
    global depth; depth += 1
    for x in (f_gen() for i in [0]): pass
run("genexpr", f_gen)
def f_listcomp():
    global depth; depth += 1
    [f_listcomp() for i in [0]]
run("listcomp", f_listcomp)
def f_sm():
    global depth; depth += 1
    K.s()
class K:
    @staticmethod
    def s(): f_sm()
    @classmethod
    def c(cls): f_cm()
run("staticmethod", f_sm)
def f_cm():
    global depth; depth += 1
    K.c()
run("classmethod", f_cm)
class D:
    def __get__(self, o, t):
        global depth; depth += 1
        return Dh().d
class Dh:
    d = D()
run("__get__", lambda: Dh().d)
class Sup:
    def m(self):
        global depth; depth += 1
        return Sub().m()
class Sub(Sup):
    def m(self):
        return super().m()
run("super", lambda: Sub().m())
def f_apply(*a, **k):
    global depth; depth += 1
    f_apply(*a, **k)
run("star-call", f_apply)
class Ctx:
    def __enter__(self):
        global depth; depth += 1
        with Ctx(): pass
    def __exit__(self, *a): pass
run("with", lambda: Ctx().__enter__())
def f_setattr():
    global depth; depth += 1
    SA().x = 1
class SA:
    def __setattr__(self, n, v):
        f_setattr()
run("__setattr__", f_setattr)
def f_contains():
    global depth; depth += 1
    1 in Co()
class Co:
    def __contains__(self, x):
        f_contains()
run("__contains__", f_contains)
def f_bool():
    global depth; depth += 1
    if Bo(): pass
class Bo:
    def __bool__(self):
        f_bool()
run("__bool__", f_bool)
def f_next():
    global depth; depth += 1
    next(Nx())
class Nx:
    def __next__(self):
        f_next()
run("next", f_next)
def f_fmt():
    global depth; depth += 1
    format(Fm(), "")
class Fm:
    def __format__(self, s):
        f_fmt()
run("format", f_fmt)
def f_fstr():
    global depth; depth += 1
    f"{Fm2()}"
class Fm2:
    def __format__(self, s):
        f_fstr()
run("fstring", f_fstr)
def f_isinst():
    global depth; depth += 1
    isinstance(1, Ins())
class Ins:
    def __instancecheck__(self, o):
        f_isinst()
run("isinstance", f_isinst)

def run2(name, fn):
    global depth
    depth = 0
    try:
        fn()
    except RecursionError as e:
        print(f"{name:10} {depth:4} {1000/depth:4.1f} {e}")
def cb():
    global depth
    depth += 1
class It:
    def __iter__(self):
        cb(); return TESTER()
for T in (list, tuple, set, frozenset, enumerate, zip, any):
    def TESTER(T=T): return T(It())
    run2(T.__name__, TESTER)
def TESTER(): return dict(It())
class Rv:
    def __reversed__(self): cb(); return reversed(Rv())
run2("reversed", lambda: reversed(Rv()))
class Fl:
    def __float__(self): cb(); return float(Fl())
run2("float", lambda: float(Fl()))
class Bo:
    def __bool__(self): cb(); return bool(Bo())
run2("bool", lambda: bool(Bo()))
class In:
    def __int__(self): cb(); return int(In())
run2("int", lambda: int(In()))
class Ix:
    def __index__(self): cb(); return range(Ix())
run2("range", lambda: range(Ix()))
class St:
    def __str__(self): cb(); return str(St())
run2("str", lambda: str(St()))
class By:
    def __bytes__(self): cb(); return bytes(By())
run2("bytes", lambda: bytes(By()))
class Cx:
    def __complex__(self): cb(); return complex(Cx())
run2("complex", lambda: complex(Cx()))
class Mf:
    def __iter__(self): cb(); return map(abs, Mf())
run2("map", lambda: map(abs, Mf()))
class Ff:
    def __iter__(self): cb(); return filter(abs, Ff())
run2("filter", lambda: filter(abs, Ff()))
class Ln:
    def __len__(self): cb(); return len(Ln())
run2("len", lambda: len(Ln()))
class Hs:
    def __hash__(self): cb(); return hash(Hs())
run2("hash", lambda: hash(Hs()))
class Ab:
    def __abs__(self): cb(); return abs(Ab())
run2("abs", lambda: abs(Ab()))
class Rp:
    def __repr__(self): cb(); return repr(Rp())
run2("repr", lambda: repr(Rp()))
class Nx:
    def __next__(self): cb(); return next(Nx())
run2("next", lambda: next(Nx()))
class Ga:
    def __getattr__(self, n): cb(); return getattr(Ga(), 'x')
run2("getattr", lambda: getattr(Ga(), 'x'))
class Ha:
    def __getattr__(self, n): cb(); return hasattr(Ha(), 'x')
run2("hasattr", lambda: hasattr(Ha(), 'x'))
class Fo:
    def __format__(self, s): cb(); return format(Fo())
run2("format", lambda: format(Fo()))
class Di:
    def __dir__(self): cb(); return dir(Di())
run2("dir", lambda: dir(Di()))
class Ro:
    def __round__(self): cb(); return round(Ro())
run2("round", lambda: round(Ro()))
class Ps:
    def __str__(self): cb(); print(Ps(), end=""); return ""
run2("print", lambda: print(Ps(), end=""))
class Is:
    def __instancecheck__(self, o): cb(); return isinstance(1, Is())
run2("isinstance", lambda: isinstance(1, Is()))
class Sa:
    def __setattr__(self, n, v): cb(); setattr(Sa(), 'x', 1)
run2("setattr", lambda: setattr(Sa(), 'x', 1))
class Mx:
    def __lt__(self, o): cb(); return max(Mx(), Mx())
run2("max", lambda: max(Mx(), Mx()))
class Su:
    def __add__(self, o): cb(); return sum([Su(), Su()], Su())
run2("sum", lambda: sum([Su(), Su()], Su()))
class Pw:
    def __pow__(self, o, m=None): cb(); return pow(Pw(), 2)
run2("pow", lambda: pow(Pw(), 2))
class Ca:
    def __call__(self): cb(); return callable(Ca()) and Ca()()
run2("__call__", lambda: Ca()())
class Dv:
    def __divmod__(self, o): cb(); return divmod(Dv(), 1)
run2("divmod", lambda: divmod(Dv(), 1))
class Sl:
    def __getitem__(self, i): cb(); return Sl()[0]
run2("subscr", lambda: Sl()[0])
class Li:
    def __iter__(self): cb(); return iter([].extend(Li()) or [])
run2("list.extend", lambda: [].extend(Li()))
class Dg:
    def __hash__(self): cb(); return {}.get(Dg()) or 0
run2("dict.get", lambda: {}.get(Dg()))
class Ls:
    def __eq__(self, o): cb(); return [Ls()].index(Ls()) and True
run2("list.index", lambda: [Ls()].index(Ls()))
class Sj:
    def __iter__(self): cb(); return iter(",".join(Sj()))
run2("str.join", lambda: ",".join(Sj()))
class Ap:
    def __index__(self): cb(); return [1].pop(Ap())
run2("list.pop", lambda: [1].pop(Ap()))
