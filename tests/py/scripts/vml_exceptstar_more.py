# except*: raise-from in handlers, several raising handlers, groups raised in handlers,
# except* in a generator across yields, subclass matching, finally.
import sys
def leaves(e):
    if isinstance(e, BaseExceptionGroup):
        return [leaves(x) for x in e.exceptions]
    return repr(e)
# raise from inside except*
try:
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2)])
    except* ValueError as e:
        raise KeyError("k") from e
except ExceptionGroup as eg:
    print(leaves(eg), repr(eg.exceptions[0].__cause__), eg.exceptions[0].__suppress_context__)
    print(eg.__context__, eg.__cause__)
# two handlers both raising
try:
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2), OSError(3)])
    except* ValueError:
        raise KeyError(1)
    except* TypeError:
        raise KeyError(2)
except ExceptionGroup as eg:
    print(leaves(eg))
# raising a group inside except*
try:
    try:
        raise ExceptionGroup("g", [ValueError(1)])
    except* ValueError:
        raise ExceptionGroup("new", [IndexError(0)])
except ExceptionGroup as eg:
    print(leaves(eg), type(eg).__name__)
# except* in a generator, across yields
def gen():
    try:
        yield 1
        raise ExceptionGroup("g", [ValueError(1), TypeError(2)])
    except* ValueError as e:
        yield "handled " + repr(e.exceptions)
        print(sys.exception())
    except* TypeError:
        yield "te"
g = gen()
print(list(g))
# nested groups partially matched by a subclass tuple
class E1(Exception): pass
class E2(E1): pass
try:
    raise ExceptionGroup("a", [E2(1), ExceptionGroup("b", [E1(2), ValueError(3)]), E2(4)])
except* E2 as e:
    print("E2", leaves(e))
except* E1 as e:
    print("E1", leaves(e))
except* ValueError as e:
    print("VE", leaves(e))
# return inside try of except* / finally
def f():
    try:
        raise ExceptionGroup("g", [ValueError(1)])
    except* ValueError:
        pass
    finally:
        print("fin")
    return "ok"
print(f())
# except* catching an exception raised by a callee, traceback kept on leaves
def thrower():
    raise ValueError("deep")
try:
    thrower()
except* ValueError as e:
    tb = e.exceptions[0].__traceback__
    n = 0
    while tb:
        n += 1
        tb = tb.tb_next
    print("tb entries", n, e.__traceback__)
