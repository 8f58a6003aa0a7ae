# lib/operator.py against CPython's operator module.
import operator as op


class Idx:
    def __index__(self):
        return 7


class Hint:
    def __length_hint__(self):
        return 4


class Obj:
    pass


def show(label, f, *args, **kwargs):
    try:
        print(label, repr(f(*args, **kwargs)))
    except Exception as e:
        print(label, type(e).__name__, e)


for name in ('lt', 'le', 'eq', 'ne', 'ge', 'gt'):
    show(name, getattr(op, name), 1, 2)
show('not_', op.not_, [])
show('truth', op.truth, [1])
show('is_', op.is_, None, None)
show('is_not', op.is_not, 1, None)
for name, a, b in [('add', 3, 4), ('sub', 3, 4), ('mul', 'ab', 3), ('truediv', 7, 2),
                   ('floordiv', 7, 2), ('mod', 7, 3), ('pow', 2, 10), ('lshift', 1, 5),
                   ('rshift', 64, 2), ('and_', 12, 10), ('or_', 12, 10), ('xor', 12, 10),
                   ('concat', [1], [2]), ('contains', [1, 2], 2), ('countOf', [1, 2, 1], 1),
                   ('indexOf', 'abc', 'c'), ('getitem', [5, 6], 1), ('add', 1, 'x'),
                   ('truediv', 1, 0), ('indexOf', [1], 9), ('concat', 1, 2)]:
    show(name, getattr(op, name), a, b)
for name, a in [('neg', 5), ('pos', -5), ('abs', -3.5), ('inv', 5), ('invert', 0),
                ('index', Idx()), ('index', True), ('index', 2.5), ('length_hint', [1, 2]),
                ('length_hint', Hint()), ('length_hint', Obj())]:
    show(name, getattr(op, name), a)
d = {'a': 1}
op.setitem(d, 'b', 2)
op.delitem(d, 'a')
print(d)
x = [1]
print(op.iadd(x, [2]) is x, x, op.iadd(1, 2), op.imul('a', 3), op.ior({1}, {2}))
o = Obj()
o.a = Obj()
o.a.b = 'deep'
o.c = 3
print(op.attrgetter('c')(o), op.attrgetter('a.b', 'c')(o), repr(op.attrgetter('a.b', 'c')))
print(op.itemgetter(1)('xyz'), op.itemgetter(0, 2)('xyz'), repr(op.itemgetter(0, 2)))
print(op.methodcaller('split', ',', maxsplit=1)('a,b,c'), repr(op.methodcaller('m', 1, k=2)))
print(sorted([(1, 'b'), (0, 'a')], key=op.itemgetter(1)), op.call(len, 'four'))
print(op.__add__ is op.add, op.__lt__(1, 2), op.length_hint(Obj(), 9))
show('attrgetter', op.attrgetter, 1)
show('missing attr', op.attrgetter('zz'), o)
