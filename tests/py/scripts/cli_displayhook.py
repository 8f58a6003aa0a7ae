# 'single' mode and sys.displayhook: what the interactive prompt shows.
import builtins
import sys


def single(src):
    exec(compile(src, "<stdin>", "single"), globals())


single("1 + 2\n")
single("None\n")                    # not shown, _ unchanged
print("_ is", builtins._)
single("'a' * 3\n")
single("x = 5\n")                   # a statement shows nothing
single("[x, None]\n")
single("if x:\n    x * 2\n    x * 3\n")     # each expression statement in a block
single("for i in range(2): i\n")
print("_ is", builtins._)

# the hook itself
sys.displayhook(7)
print("_ is", builtins._)
print(sys.displayhook(None), builtins._)
print(sys.displayhook is sys.__displayhook__)
try:
    sys.displayhook()
except TypeError as e:
    print("TypeError:", e)

# a hook of our own
seen = []
sys.displayhook = seen.append
single("40 + 2\n")
single("None\n")
print("seen:", seen)
sys.displayhook = sys.__displayhook__

# a repr that fails: the error comes out of the statement, _ is None
class Bad:
    def __repr__(self):
        raise ValueError("no repr")


try:
    single("Bad()\n")
except ValueError as e:
    print("ValueError:", e, "_ is", builtins._)

# no hook at all
del sys.displayhook
try:
    single("1\n")
except RuntimeError as e:
    print("RuntimeError:", e)
sys.displayhook = sys.__displayhook__
