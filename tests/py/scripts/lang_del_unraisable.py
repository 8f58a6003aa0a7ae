# A failing __del__ is reported naming what was called, as 3.11's
# slot_tp_finalize does: the function (not the object) for a plain method,
# what binding gave for another descriptor, the callable itself otherwise.
# (A plain function's report, "<function C.__del__ at 0x...>", holds an
# address: these name objects with fixed reprs.)
import gc

class Plain:
    def __repr__(self):
        return '<plain deleter>'
    def __call__(self):
        raise ValueError('plain')

class Bound:
    def __repr__(self):
        return '<bound deleter>'
    def __call__(self):
        raise ValueError('bound')

class Desc:
    def __get__(self, obj, typ):
        return Bound()

class P:
    __del__ = Plain()

class B:
    __del__ = Desc()

class Bad:
    def __get__(self, obj, typ):
        raise RuntimeError('binding fails: dropped')

class Q:
    __del__ = Bad()

P()
B()
Q()
c = P(); c.me = c
del c
gc.collect()
print('end')
