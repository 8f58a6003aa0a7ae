# Cyclic garbage left at exit is collected while the program's globals and
# the interpreter are still there: __del__ runs and sees the globals, as
# in CPython's finalization (found by test_gc's GCTogglingTests under pymm,
# whose skipped test left such a cycle behind).
import gc


class D:
    def __del__(self):
        print("del", self.name, seen)


seen = 'globals intact'
d = D()
d.name = 'first'
d.loop = d
del d
gc.disable()
e = D()
e.name = 'second'
e.loop = [e]
del e
print("end of program")
