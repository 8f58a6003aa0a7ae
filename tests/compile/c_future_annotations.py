from __future__ import annotations
# annotations are strings under the future import
def f(a: int, b: list[str] | None = None, *c: T, d: Callable[[int], str], **e: -1 + 2) -> dict[str, int]:
    x: int = 1
    return {}
class C:
    y: Literal["a", 1.5, 1e400] = 2
    z: tuple[int, ...]
    w: (lambda x: x) if a and not b else d[1:2, ::3]
    v: f"{x!r:>{w}} {{}}"
    u: [i async for i in j if i] + {**a, 1: b} + {*s} + (1,) + ~-+x + (not x)
obj.attr: int = 1
