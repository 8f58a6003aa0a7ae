# Allocation failures around a class call whose __init__ frame the loop
# pushes itself, and around dir(): each ends in MemoryError (run.py's
# fault sweep), with every block back.
class P:
    def __init__(self, x, y=2, *rest, **kw):
        self.x = x
        self.y = y
        self.rest = rest
        self.kw = kw

class Q:
    def __init__(self, a):
        self.a = [a] * 3

def build(n):
    out = []
    for i in range(n):
        out.append(P(i))
        out.append(Q(i))
    return out

items = build(20)
print(len(items), items[-1].a, items[-2].x)
print(P(1, 2, 3, k=4).kw, P(1, 2, 3).rest)
try:
    Q()
except TypeError as e:
    print("TypeError:", e)
print(len(dir(items[0])) > 20, dir(P)[-1], sorted(n for n in dir(items[1]) if not n.startswith('_')))
