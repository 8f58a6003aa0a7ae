# list(), tuple(), dict(), set(), frozenset(), slice(), the singletons
def show(src):
    try:
        r = eval(src)
        print(src, '->', type(r).__name__, repr(r))
    except Exception as e:
        print(src, '!!', type(e).__name__, e)

for src in [
    "list()", "list('abc')", "list((1, 2))", "list({1: 2})", "list([3, 4])", "list(iter([5]))",
    "list(5)", "list(x=1)", "list(1, 2)", "list(iterable=1)",
    "tuple()", "tuple([1, 2])", "tuple('ab')", "tuple({1: 2})", "tuple(5)", "tuple(x=1)",
    "tuple(1, 2)", "tuple(iterable=1)",
    "dict()", "dict(a=1)", "dict([(1, 2), (3, 4)])", "dict({1: 2}, b=3)", "dict([[1, 2]])",
    "dict(['ab'])", "dict(list({1: 2}.items()))", "dict(iterable=1)", "dict([(1, 2)], a=3, b=4)",
    "dict({'a': 1}, a=2)", "dict(5)", "dict([(1, 2, 3)])", "dict([1])", "dict(1, 2)",
    "dict([(1, 2), 'abc'])", "dict([([], 1)])",
    "sorted(set([1, 2, 2]))", "sorted(set('aab'))", "set()", "sorted(frozenset([3, 1]))",
    "frozenset()", "set(5)", "set([[1]])", "frozenset([[]])", "set(x=1)", "set(1, 2)",
    "frozenset(x=1)", "frozenset(1, 2)", "set(iterable=[1])", "len(frozenset('abca'))",
    "slice(3)", "slice(1, 2)", "slice(1, 2, 3)", "slice(None)", "slice('a', [], 2.5)",
    "slice()", "slice(1, 2, 3, 4)", "slice(x=1)",
    "type(None)()", "type(NotImplemented)()", "type(...)()", "type(None)(1)", "type(None)(x=1)",
    "type(NotImplemented)(1)", "type(...)(1)", "type(object())", "object(1)", "object(x=1)",
    "type(5)", "type(5, 6)",
]:
    show(src)

t = (1, 2)
print(tuple(t) is t, tuple() is tuple(), tuple([]) is tuple())
f = frozenset([1])
print(frozenset(f) is f)
print(type(None)() is None, type(...)() is ..., type(NotImplemented)() is NotImplemented)
a = list([1, 2])
b = list(a)
print(a == b, a is b)
dd = dict(x=1)
print(dict(dd) is dd, dict(dd) == dd)
