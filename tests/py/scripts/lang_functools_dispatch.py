# functools.partialmethod, singledispatch, singledispatchmethod: the common
# uses, as python3 behaves.
import functools
from functools import partialmethod, singledispatch, singledispatchmethod

class Cell:
    def __init__(self):
        self.alive = False
    def set_state(self, state, note=''):
        self.alive = state
        return (state, note)
    set_alive = partialmethod(set_state, True)
    set_dead = partialmethod(set_state, False, note='rip')
    @classmethod
    def make(cls, a, b):
        return (cls.__name__, a, b)
    make1 = partialmethod(make, 1)
    @staticmethod
    def stat(a, b):
        return ('stat', a, b)
    stat9 = partialmethod(stat, 9)
    add = partialmethod(lambda self, x, y: (x, y), 5)
    nested = partialmethod(partialmethod(set_state, True), note='n')

c = Cell()
print(c.set_alive(), c.alive, c.set_dead(), c.alive)
print(c.set_alive(note='x'), Cell.make1(2), c.make1(3))
print(Cell.stat9(1), c.stat9(2))
print(c.add(6), c.nested())
print(type(Cell.__dict__['set_alive']).__name__, Cell.__dict__['set_alive'].args,
      Cell.__dict__['set_dead'].keywords, Cell.__dict__['nested'].args, Cell.__dict__['nested'].keywords)
print(Cell.set_alive(c), c.alive)
print(Cell.__dict__['set_alive'].__isabstractmethod__)
try:
    partialmethod(1)
except TypeError as e:
    print(e)
print(repr(partialmethod(len, 1, k=2)).replace(repr(len), 'LEN'))

@singledispatch
def show(arg, verbose=False):
    return 'default ' + type(arg).__name__

@show.register
def _(arg: int, verbose=False):
    return 'int %d' % arg

@show.register(list)
def _(arg, verbose=False):
    return 'list of %d' % len(arg)

def show_float(arg, verbose=False):
    return 'float %r%s' % (arg, ' (verbose)' if verbose else '')
show.register(float, show_float)

@show.register
def _(arg: 'dict', verbose=False):
    return 'dict'

class MyInt(int):
    pass

class MyList(list):
    pass

print(show('s'), show(3), show(True), show(MyInt(4)), show([1, 2]), show(MyList()))
print(show(1.5), show(1.5, verbose=True), show({}), show(None))
print(show.dispatch(bool) is show.dispatch(int), show.dispatch(float) is show_float,
      show.dispatch(object).__name__, show.dispatch(str).__name__)
print(sorted(k.__name__ for k in show.registry), type(show.registry).__name__)
try:
    show.registry[str] = len
except TypeError as e:
    print('TypeError', e)
print(show.__name__, show.__wrapped__.__name__)
try:
    show()
except TypeError as e:
    print(e)
try:
    show.register(3, len)
except TypeError as e:
    print(e)
try:
    show.register(lambda x: x)
except TypeError as e:
    print(str(e).split(':')[0])
try:
    @show.register
    def _(arg: 3):
        pass
except TypeError as e:
    print(e)
# a later registration replaces the cached choice
print(show(MyInt(1)))
@show.register(MyInt)
def _(arg, verbose=False):
    return 'myint'
print(show(MyInt(1)), show(2))
show._clear_cache()

class Neg:
    @singledispatchmethod
    def neg(self, arg):
        raise NotImplementedError("cannot negate %s" % type(arg).__name__)
    @neg.register
    def _(self, arg: int):
        return -arg
    @neg.register(bool)
    def _(self, arg):
        return not arg
    @singledispatchmethod
    @classmethod
    def kind(cls, arg):
        return (cls.__name__, 'other')
    @kind.register
    @classmethod
    def _(cls, arg: str):
        return (cls.__name__, 'str')

n = Neg()
print(n.neg(5), n.neg(True), Neg.kind('x'), Neg.kind(1), n.neg.__name__)
try:
    n.neg('x')
except NotImplementedError as e:
    print(e)
