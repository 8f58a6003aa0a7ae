# Reports go to sys.stderr, whatever object it is at the time (3.11):
# unraisable exceptions, the default excepthook, a failing unraisablehook,
# atexit callbacks; sys.stderr = None drops them.
import atexit
import gc
import sys


HERE = __file__.rsplit("/", 1)[0] + "/"   # python3 shows the script's full path


def clean(text):
    text = text.replace(HERE, "")
    out = []
    i = 0
    while i < len(text):
        if text.startswith("0x", i):
            j = i + 2
            while j < len(text) and text[j] in "0123456789abcdef":
                j += 1
            out.append("0x...")
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


class Writer:
    """Any object with write() will do (io.StringIO is not imported: the
    fault sweep runs this script once per allocation)."""

    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)
        return len(s)

    def flush(self):
        pass

    def getvalue(self):
        return "".join(self.parts)


def capture(fn):
    old = sys.stderr
    sys.stderr = buf = Writer()
    try:
        fn()
    finally:
        sys.stderr = old
    return clean(buf.getvalue())


class Boom:
    def __del__(self):
        raise ValueError("from __del__")


def drop_one():
    b = Boom()
    del b


print("unraisable:", capture(drop_one).splitlines())


def cycle():
    b = Boom()
    b.me = b
    del b
    gc.collect()


print("in a collection:", capture(cycle).splitlines())


def default_hook():
    try:
        {}["missing"]
    except KeyError as e:
        sys.excepthook(type(e), e, e.__traceback__)


print("excepthook:", capture(default_hook).splitlines())
print("excepthook, not an exception:", capture(lambda: sys.excepthook(int, 5, None)))


def failing_hook(unraisable):
    raise RuntimeError("the hook failed")


def with_failing_hook():
    sys.unraisablehook = failing_hook
    try:
        drop_one()
    finally:
        sys.unraisablehook = sys.__unraisablehook__


print("failing hook:", capture(with_failing_hook).splitlines())


def bad_callback():
    raise OSError("at exit")


def run_atexit():
    atexit.register(bad_callback)
    atexit._run_exitfuncs()


print("atexit:", capture(run_atexit).splitlines())

# None: nothing is written anywhere (try/finally: an error of the test
# itself, such as a MemoryError in the fault sweep, must reach the real
# stderr)
sys.stderr = None
try:
    drop_one()
    sys.excepthook(ValueError, ValueError("dropped"), None)
finally:
    sys.stderr = sys.__stderr__
print("None: dropped")


# a second writer object, kept
w = Writer()
sys.stderr = w
try:
    drop_one()
finally:
    sys.stderr = sys.__stderr__
lines = clean("".join(w.parts)).splitlines()
# (empty only when the report itself ran out of memory: it then goes to the
# C stderr rather than nowhere)
print("custom writer:", lines[-1] if lines else "(nothing)")
