# Exceptions: chaining through handlers, raise from, finally ordering,
# re-raise, exception groups of handlers, custom classes with fields.
def risky(n):
    try:
        return 10 // n
    finally:
        print("finally", n)


print(risky(2))
try:
    risky(0)
except ZeroDivisionError as e:
    print("caught", e, e.__context__, e.__cause__)
try:
    try:
        {}["k"]
    except KeyError as inner:
        raise ValueError("outer") from inner
except ValueError as e:
    print(repr(e), repr(e.__cause__), e.__suppress_context__)
try:
    try:
        [][0]
    except IndexError:
        raise RuntimeError("during")
except RuntimeError as e:
    print(repr(e), repr(e.__context__), e.__suppress_context__)
try:
    try:
        raise TypeError("first")
    except TypeError:
        raise
except TypeError as e:
    print("re-raised", e)


class AppError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code


def layer(n):
    if n == 0:
        raise AppError(42, "deep")
    try:
        layer(n - 1)
    except AppError as e:
        e.add_note("through layer %d" % n)
        raise


try:
    layer(3)
except AppError as e:
    print(e.code, e, e.__notes__)
for exc in (ValueError, KeyError("k"), StopIteration(5)):
    try:
        raise exc
    except Exception as e:
        print(type(e).__name__, repr(e), e.args)
e = None
try:
    1 / 0
except ZeroDivisionError as e:
    pass
try:
    print(e)
except NameError as ne:
    print("NameError:", ne)
raise AppError(1, "uncaught at the end")
