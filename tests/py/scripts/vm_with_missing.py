# with / async with on managers that lack one of their two methods: the
# TypeError texts of BEFORE_WITH and BEFORE_ASYNC_WITH, and what is left
# behind (the manager is not entered, nothing leaks).
import sys

class EnterOnly:
    def __enter__(self):
        print("entered (wrong)")

class ExitOnly:
    def __exit__(self, *a):
        print("exited (wrong)")

class AEnterOnly:
    async def __aenter__(self):
        print("aentered (wrong)")

class AExitOnly:
    async def __aexit__(self, *a):
        print("aexited (wrong)")

class Both:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, *a):
        print("exit", a[0])
        return True

for mgr in (EnterOnly(), ExitOnly(), 3, None):
    try:
        with mgr:
            print("body (wrong)")
    except TypeError as e:
        print("TypeError:", e)

async def use(mgr):
    async with mgr:
        print("abody (wrong)")

for mgr in (AEnterOnly(), AExitOnly(), Both(), 3):
    c = use(mgr)
    try:
        c.send(None)
    except TypeError as e:
        print("TypeError:", e)
    except StopIteration:
        print("finished (wrong)")

m = EnterOnly()
before = sys.getrefcount(m)
for i in range(3):
    try:
        with m:
            pass
    except TypeError:
        pass
print("refcount kept:", sys.getrefcount(m) == before)

with Both() as b:
    raise ValueError("swallowed")
print("after", type(b).__name__)
