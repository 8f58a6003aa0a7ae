# except*: matching, splitting, raising in handlers, bare raise, nesting,
# the re-raised group's shape and metadata, and an uncaught group's report.
import sys


def show(tag, e):
    if e is None:
        print(tag, None)
        return
    print(tag, type(e).__name__, repr(e))


def leaves(e):
    if isinstance(e, BaseExceptionGroup):
        out = []
        for x in e.exceptions:
            out.extend(leaves(x))
        return out
    return [repr(e)]


# 1. split between two clauses, the rest re-raised
try:
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2), KeyError(3)])
    except* ValueError as e:
        show("ve", e)
        show("sys.exception", sys.exception())
        print(sys.exception() is e)
    except* TypeError as e:
        show("te", e)
except ExceptionGroup as rest:
    show("rest", rest)
    print(rest.message, leaves(rest))

# 2. naked exception wrapped
try:
    raise ValueError("naked")
except* ValueError as e:
    show("wrapped", e)
    print(e.exceptions[0].args, e.__traceback__)

# 3. naked not matching: passes through unchanged
try:
    try:
        raise KeyError("k")
    except* ValueError:
        print("not reached")
except KeyError as k:
    show("passed", k)

# 4. raise in a handler: merged with the unhandled rest
try:
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2)])
    except* ValueError:
        raise RuntimeError("from handler")
except ExceptionGroup as eg:
    show("merged", eg)
    print(leaves(eg))
    print(type(eg.exceptions[0].__context__).__name__, repr(eg.exceptions[0].__context__))

# 5. only the raised one leaves (everything handled)
try:
    try:
        raise ExceptionGroup("g", [ValueError(1)])
    except* ValueError:
        raise OSError("only")
except OSError as o:
    show("only", o)
    show("ctx", o.__context__)

# 6. bare raise re-raises the matched part; it goes back into the original shape
try:
    try:
        raise ExceptionGroup("outer", [ValueError(1), ExceptionGroup("inner", [ValueError(2), TypeError(3)]), KeyError(4)])
    except* ValueError:
        raise
    except* TypeError:
        pass
except ExceptionGroup as eg:
    show("bare", eg)
    print(leaves(eg))

# 7. bare raise plus a raise: a new group("", [raised, projection])
try:
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2)])
    except* ValueError:
        raise
    except* TypeError:
        raise IndexError(9)
except ExceptionGroup as eg:
    show("both", eg)
    print(repr(eg.message), leaves(eg))
    print(type(eg.exceptions[0]).__name__, type(eg.exceptions[1]).__name__)

# 8. raise e (not bare) of the matched group: a new raise, new metadata
try:
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2)])
    except* ValueError as e:
        raise e
except ExceptionGroup as eg:
    show("raise e", eg)
    print(leaves(eg))

# 9. tuple of types, and everything matched by the first clause
try:
    raise ExceptionGroup("g", [ValueError(1), TypeError(2)])
except* (ValueError, TypeError) as e:
    show("tuple", e)
except* KeyError:
    print("not reached")

# 10. errors in the clause's type
for bad in (ExceptionGroup, (ValueError, BaseExceptionGroup), int, "x"):
    try:
        try:
            raise ExceptionGroup("g", [ValueError(1)])
        except* bad:
            pass
    except TypeError as t:
        print("TypeError:", t)

# 11. nested try/except* inside a handler
try:
    raise ExceptionGroup("a", [ValueError(1), TypeError(2)])
except* ValueError as e1:
    try:
        raise ExceptionGroup("b", [KeyError(3), OSError(4)])
    except* KeyError as e2:
        show("inner", e2)
        show("ctx", e2.__context__)
    except* OSError as e3:
        show("inner os", e3)
except* TypeError as e4:
    show("outer te", e4)

# 12. a subclass with derive: the split parts are made by derive
class MyEG(ExceptionGroup):
    def derive(self, excs):
        return MyEG(self.message + "+", excs)

try:
    try:
        raise MyEG("mine", [ValueError(1), TypeError(2)])
    except* ValueError as e:
        show("sub match", e)
except MyEG as rest:
    show("sub rest", rest)

# 13. notes, __cause__ and __traceback__ carried into the parts
eg = ExceptionGroup("meta", [ValueError(1), TypeError(2)])
eg.add_note("note!")
try:
    try:
        raise eg from KeyError("cause")
    except* ValueError as e:
        print(e.__notes__, e.__notes__ is eg.__notes__, repr(e.__cause__), e.__traceback__ is eg.__traceback__)
except ExceptionGroup as rest:
    print(rest.__notes__, repr(rest.__cause__), rest.__traceback__ is eg.__traceback__)

# 14. in a function, in a loop, with finally
def f(n):
    out = []
    for i in range(n):
        try:
            raise ExceptionGroup("loop", [ValueError(i), TypeError(i)])
        except* ValueError as e:
            out.append(("v", e.exceptions[0].args))
        except* TypeError as e:
            out.append(("t", e.exceptions[0].args))
        finally:
            out.append("fin")
    return out

print(f(3))

# 15. a BaseExceptionGroup with a KeyboardInterrupt leaf
try:
    try:
        raise BaseExceptionGroup("base", [KeyboardInterrupt(), ValueError(0)])
    except* ValueError as e:
        show("base ve", e)
except BaseExceptionGroup as b:
    show("base rest", b)

# 16. no exception: except* clauses skipped
try:
    x = 1
except* ValueError:
    print("not reached")
else:
    print("else ran", x)


# 17. the uncaught report: a group raised from a handler, nested groups,
# a member with its own chain
def boom():
    try:
        raise ExceptionGroup("first", [ValueError(1), TypeError(2)])
    except* ValueError:
        try:
            1 / 0
        except ZeroDivisionError as z:
            raise KeyError("inside") from z


boom()
