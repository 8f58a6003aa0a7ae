# lib/types.py: the type names, new_class/prepare_class/resolve_bases,
# DynamicClassAttribute, coroutine() and SimpleNamespace.
import sys
import types


def f():
    pass


async def co():
    return 1


def gen():
    yield 1


async def agen():
    yield 1


class C:
    def m(self):
        pass


checks = [
    ("FunctionType", f), ("LambdaType", lambda: 0), ("CodeType", f.__code__),
    ("MethodType", C().m), ("BuiltinFunctionType", len), ("BuiltinMethodType", [].append),
    ("GeneratorType", gen()), ("AsyncGeneratorType", agen()), ("ModuleType", sys),
    ("MappingProxyType", C.__dict__), ("NoneType", None), ("EllipsisType", ...),
    ("NotImplementedType", NotImplemented), ("GenericAlias", list[int]),
    ("WrapperDescriptorType", object.__init__), ("MethodWrapperType", object().__init__),
    ("MethodDescriptorType", str.join), ("ClassMethodDescriptorType", dict.__dict__['fromkeys']),
    ("GetSetDescriptorType", f.__class__.__dict__['__code__']),
]
for name, obj in checks:
    t = getattr(types, name)
    print(name, t.__name__, isinstance(obj, t))
c = co()
print("CoroutineType", types.CoroutineType.__name__, isinstance(c, types.CoroutineType))
c.close()
print(types.FunctionType is types.LambdaType)
# (a traceback object: see lib/types.py; pymm drops a traceback it has no
# memory for, so the fault sweep would see None here)
print(types.TracebackType.__name__, isinstance(sys._getframe(), types.FrameType))

m = types.ModuleType("mymod", "the doc")
print(m.__name__, m.__doc__, repr(m)[:22])
mp = types.MappingProxyType({'a': 1})
print(mp['a'], len(mp), type(mp).__name__)
try:
    mp['b'] = 2
except TypeError as e:
    print(e)

ns = types.SimpleNamespace(x=1, y=2)
ns.z = 3
print(ns, ns == types.SimpleNamespace(x=1, y=2, z=3))
print(types.GenericAlias(list, (int,)), list[int] == types.GenericAlias(list, int))

# new_class / prepare_class / resolve_bases


class Meta(type):
    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        print("prepare", name, [b.__name__ for b in bases], sorted(kw))
        return {'prepared': True}

    def __new__(mcls, name, bases, ns, **kw):
        print("new", name, sorted(ns), sorted(kw))
        return super().__new__(mcls, name, bases, ns)

    def __init__(cls, name, bases, ns, **kw):
        super().__init__(name, bases, ns)


def body(ns):
    ns['x'] = 42


K = types.new_class("K", (), {'metaclass': Meta, 'flag': 1}, body)
print(type(K).__name__, K.x, K.prepared, K.__name__)
K2 = types.new_class("K2", (K,), None, None)
print(type(K2).__name__, K2.__bases__ == (K,))
P = types.new_class("P")
print(P, P.__bases__)
meta, ns, kw = types.prepare_class("Z", (K,), {'a': 1})
print(meta.__name__, ns, kw)
meta, ns, kw = types.prepare_class("Z")
print(meta.__name__, ns, kw)


class Entry:
    def __mro_entries__(self, bases):
        return (int, str) if len(bases) > 1 else (dict,)


e = Entry()
print(types.resolve_bases((e,)))
print(types.resolve_bases((e, object)))
print(types.resolve_bases((int, str)))
N = types.new_class("N", (e,))
print(N.__bases__, N.__orig_bases__ == (e,))


class Bad:
    def __mro_entries__(self, bases):
        return [int]


try:
    types.resolve_bases((Bad(),))
except TypeError as e2:
    print(e2)


class M1(type):
    pass


class M2(type):
    pass


A1 = M1("A1", (), {})
A2 = M2("A2", (), {})
try:
    types.new_class("X", (A1, A2))
except TypeError as e3:
    print(e3)

# DynamicClassAttribute


class D:
    def __init__(self):
        self._v = 7

    @types.DynamicClassAttribute
    def value(self):
        "the value"
        return self._v

    @value.setter
    def value(self, v):
        self._v = v


d = D()
print(d.value)
d.value = 9
print(d.value, D.__dict__['value'].__doc__)
try:
    D.value
except AttributeError as e4:
    print("AttributeError", e4.args)

# coroutine(): a generator function made awaitable


@types.coroutine
def sleep0():
    yield "slept"
    return "woke"


async def main():
    r = await sleep0()
    return r + "!"


c = main()
print(c.send(None))
try:
    c.send(None)
except StopIteration as e5:
    print("returned", e5.value)
w = sleep0()
print(type(w).__name__, next(w), w.__name__)
print(sleep0.__name__, sleep0.__code__.co_flags & 0x1a0)


def plain():
    return (yield from sleep0())


wrapped = types.coroutine(plain.__call__)
w2 = wrapped()
print(type(w2).__name__, w2.send(None), w2.__wrapped__ if hasattr(w2, '__wrapped__') else '-')
print(wrapped.__name__, wrapped.__wrapped__ is not None)


async def main2():
    return await wrapped()


c = main2()
print(c.send(None))
try:
    c.send(None)
except StopIteration as e7:
    print("returned", e7.value)
try:
    types.coroutine(3)
except TypeError as e6:
    print(e6)


async def native():
    return 5


print(types.coroutine(native) is native or types.coroutine(native).__name__)

# code.replace
code = f.__code__
c2 = code.replace(co_name="g", co_firstlineno=99)
print(c2.co_name, c2.co_firstlineno, c2.co_flags == code.co_flags, c2 is code, code.co_name)
print(code.replace() == code)
for kw in ({'co_name': 3}, {'co_flags': 'x'}, {'co_bogus': 1}, {'co_consts': [1]}):
    try:
        code.replace(**kw)
    except TypeError as e8:
        print(e8)
try:
    code.replace(1)
except TypeError as e9:
    print(e9)

# SimpleNamespace details
n = types.SimpleNamespace(a=1)
n.self = n
print(n, n != types.SimpleNamespace(a=1))
try:
    types.SimpleNamespace(1)
except TypeError as e10:
    print(e10)
print(types.SimpleNamespace.__name__)
