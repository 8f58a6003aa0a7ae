# Exceptions through the exception table: handlers, chaining, reraise, with.
def div(a, b):
    return a / b

def level2(a, b):
    return div(a, b) + 1

try:
    level2(1, 0)
except ZeroDivisionError as e:
    print("caught through frames:", e, type(e).__name__)
else:
    print("no")

def flow(x):
    out = []
    try:
        out.append("try")
        if x == 1:
            raise ValueError("one")
        if x == 2:
            raise KeyError(x)
        out.append("body-end")
    except ValueError as e:
        out.append("value:" + e.args[0])
    except (KeyError, IndexError) as e:
        out.append("lookup:" + repr(e))
    else:
        out.append("else")
    finally:
        out.append("finally")
    return out

print(flow(0), flow(1), flow(2))

def finally_return():
    try:
        return "try"
    finally:
        print("finally runs")
print(finally_return())

def finally_overrides():
    try:
        raise ValueError("lost")
    finally:
        return "finally wins"
print(finally_overrides())

def loop_control():
    out = []
    for i in [1, 2, 3, 4]:
        try:
            if i == 2:
                continue
            if i == 4:
                break
            out.append(i)
        finally:
            out.append(-i)
    return out
print(loop_control())

# raise forms
for thunk in [lambda: exec_raise(ValueError), lambda: exec_raise(ValueError("x")),
              lambda: exec_raise(1), lambda: exec_raise(None)]:
    pass

def exec_raise(x):
    raise x

for x in [ValueError, ValueError("msg"), 1, None]:
    try:
        exec_raise(x)
    except Exception as e:
        print(type(e).__name__, e.args)

try:
    raise
except RuntimeError as e:
    print("RuntimeError:", e)

def reraise():
    try:
        raise KeyError("k")
    except KeyError:
        raise
try:
    reraise()
except KeyError as e:
    print("reraised", repr(e))

# chaining
try:
    try:
        raise ValueError("first")
    except ValueError:
        raise TypeError("second")
except TypeError as e:
    print(repr(e), repr(e.__context__), e.__cause__, e.__suppress_context__)

try:
    try:
        raise ValueError("first")
    except ValueError as inner:
        raise TypeError("second") from inner
except TypeError as e:
    print(repr(e.__cause__), repr(e.__context__), e.__suppress_context__)

try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise TypeError("x") from None
except TypeError as e:
    print(e.__cause__, type(e.__context__).__name__, e.__suppress_context__)

try:
    raise ValueError from 1
except TypeError as e:
    print("TypeError:", e)

try:
    raise ValueError("a") from KeyError
except ValueError as e:
    print(repr(e.__cause__))

def context_in_call():
    try:
        raise ValueError("handled")
    except ValueError:
        return level2(1, 0)
try:
    context_in_call()
except ZeroDivisionError as e:
    print("context:", repr(e.__context__))

# the except variable is deleted afterwards
try:
    raise ValueError
except ValueError as err:
    pass
try:
    err
except NameError as e:
    print("NameError:", e)

# bad except clauses
try:
    try:
        raise ValueError
    except 42:
        pass
except TypeError as e:
    print("TypeError:", e)

try:
    try:
        raise ValueError
    except (KeyError, "str"):
        pass
except TypeError as e:
    print("TypeError:", e)

# nested handlers and re-raise from finally
def nested():
    log = []
    try:
        try:
            raise IndexError("inner")
        finally:
            log.append("inner finally")
    except IndexError as e:
        log.append("outer caught " + e.args[0])
    return log
print(nested())

# assert
try:
    assert 1 == 2, "not equal"
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert False
except AssertionError as e:
    print("AssertionError:", e.args)

# with: the protocol errors
try:
    with 1:
        pass
except TypeError as e:
    print("TypeError:", e)

# exceptions in comprehensions and lambdas
try:
    [1 / x for x in [1, 0]]
except ZeroDivisionError as e:
    print("in comprehension:", e)

# BaseException subclasses
try:
    raise KeyboardInterrupt
except Exception:
    print("wrong")
except BaseException as e:
    print("base:", type(e).__name__)

def deep_raise(n):
    if n == 0:
        raise LookupError("bottom")
    return deep_raise(n - 1)
try:
    deep_raise(50)
except LookupError as e:
    print(e)

def handler_in_callee():
    try:
        return div(1, 0)
    except ZeroDivisionError:
        return "handled in callee"
print(handler_in_callee())

level2(2, 0)
