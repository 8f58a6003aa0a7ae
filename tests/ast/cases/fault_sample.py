import sys
from os import path as p, sep
def f(a, b=1, *c, d, **e) -> int:
    """doc"""
    x = [i * 2 for i in range(10) if i % 2]
    y = {k: v for k, v in e.items()}
    z = f"{a!r:>{b}} and {d=}"
    try:
        return a + b
    except (ValueError, TypeError) as exc:
        raise RuntimeError("bad") from exc
    finally:
        del x
class C(object, metaclass=type):
    @property
    def g(self):
        with open(p) as fh, open(sep) as gh:
            return (yield from fh)
match sys.argv:
    case [_, "x", *rest] if rest:
        pass
    case {"k": 1, **kw}:
        pass
    case C(a=1) | None:
        pass
lambda q: q ** -1.5e3 + 2j
from m import (a1, a2, a3, a4, a5, a6, a7, a8, a9 as b9, a10, a11,)
import d1.e as f1, d2 as f2, d3, d4, d5, d6, d7, d8, d9 as f9, d10 as f10
__all__ = ["n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n\x39", "n\u0031\u0030", f"{x}y", (z, *w), "n\N{DIGIT ONE}2"]
call(a1, a2, a3, a4, a5, a6, a7, a8, k9=a9, k10="\t", *rest, **kw)
