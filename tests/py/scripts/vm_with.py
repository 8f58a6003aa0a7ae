# with statements: __enter__/__exit__, exceptions through them, suppression,
# nested managers, and the 3.11 error for a non-manager.
class CM:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress

    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()

    def __exit__(self, et, ev, tb):
        print("exit", self.name, et.__name__ if et else None, ev)
        return self.suppress


with CM("a") as v:
    print("body", v)
with CM("b", suppress=True):
    raise ValueError("hidden")
print("after suppressed")
try:
    with CM("c"), CM("d") as w:
        print("inner", w)
        1 / 0
except ZeroDivisionError as e:
    print("caught", e)


def f():
    with CM("e"):
        return "returned"


print(f())
for i in range(3):
    with CM("loop%d" % i):
        if i == 1:
            continue
        if i == 2:
            break
        print("body", i)
try:
    with 42:
        pass
except TypeError as e:
    print("TypeError:", e)
