# Allocation-heavy: instances with attributes, created and dropped.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)


class Slotted:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


def work(n):
    p = Point(0, 0)
    s = 0
    for i in range(n):
        p = p.moved(1, 2)
        q = Slotted(i, p.y)
        s += q.x + q.y
    return s + p.x

print(sum(work(50000) for _ in range(6)))
