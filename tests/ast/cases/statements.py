import os
import os.path as osp, sys
from . import a
from .. import b as c
from ...pkg.mod import (d, e as f,)
from x import *
global g
x: int
y: list[int] = []
(z): int = 1
a.b: str
a[0]: int = 2
x = y = z = 1
a, b = b, a
[a, *b] = c
(a, b), c = d
x += 1
x -= 1; x *= 2; x @= m; x /= 2; x //= 3; x %= 4; x **= 5; x >>= 1; x <<= 2; x &= 3; x |= 4; x ^= 5
del a, b[0], c.d, (e, f), [g]
del x,
assert x, "msg"
assert y
raise
raise E
raise E from F
pass
if a:
    pass
elif b:
    pass
elif c:
    pass
else:
    pass
while x:
    break
else:
    continue
for i in range(10):
    pass
else:
    pass
for a, b in c: pass
for (a, b) in c: pass
for [a, *b] in c: pass
with a: pass
with a as b, c as (d, e): pass
with (a as b, c as d,): pass
with (a, b): pass
with (a, b) as c: pass
with (yield): pass
try:
    pass
except E:
    pass
except (E, F) as e:
    pass
except:
    pass
else:
    pass
finally:
    pass
try:
    pass
finally:
    pass
try:
    pass
except* E:
    pass
except* F as e:
    pass
@dec
@dec.attr(1)
@(lambda f: f)
def f(a, b: int = 1, /, c=2, *d: str, e, f: int = 3, **g) -> None:
    """doc"""
    nonlocal x
    return
    return 1, 2
    return *a, b
    yield
    yield 1
    yield from g
    x = yield 1
async def g():
    await x
    async for a in b:
        pass
    async with a as b:
        pass
    return [x async for x in y]
@decorator
class C(Base, metaclass=M, **kw):
    x = 1
    def m(self): ...
class D: pass
class E(): pass
def h(*, a): pass
def h2(a, *, b=1): pass
def h3(**kw,): pass
def h4(a,): pass
lambda *a, **k: 0
if x: y = 1; z = 2
while (n := next(it)) is not None: pass
print(f"{x!r:>{width}} {y=} {z = !s} {{literal}} {a['k']} {b:%Y-%m}")
print(f'''multi
{line}
  {a + b}''')
print("a" "b" 'c' """d""" r"\n" u"unicode", rb"\x" b"bytes")
print('\x41\101\u0041\U00000041\n\t\\\'"\a\b\f\v\r\0\
continued')
print(R"raw\d", BR'x', Rb"y", fR"{x}\d", Rf'{y}')
