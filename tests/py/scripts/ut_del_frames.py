# A __del__ run while a returning frame clears its locals, whose
# traceback or sys._getframe() reaches that frame: the frame object made
# then is detached like any other (it leaked and pointed into the popped
# frame before; found by test_weakref's test_ref_created_during_del under
# PYMM_CHECK_BLOCKS=1).  Not compared: which frame f_back names there
# (CPython unlinks the returning frame before clearing it: the caller).
import gc
import sys

seen = []


class Raises:
    def __del__(self):
        try:
            raise ValueError('in __del__')
        except ValueError as e:
            tb = e.__traceback__
            seen.append(tb.tb_frame.f_code.co_name)
            seen.append(tb.tb_frame.f_back is not None)


class Keeps:
    def __del__(self):
        global kept
        kept = sys._getframe()


def f():
    w = Raises()


def g():
    local_value = 42
    w = Keeps()


f()
print(seen)
g()
print(kept.f_code.co_name, kept.f_back is not None)
kept = None
gc.collect()
print([o.f_code.co_name for o in gc.get_objects()
       if type(o).__name__ == 'frame' and o.f_code.co_name != '<module>'])
