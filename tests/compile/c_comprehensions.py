# comprehensions and generator expressions: nested loops, conditions,
# closures over the enclosing scope, walrus into the enclosing scope
l = [x * 2 for x in range(10)]
s = {x for x in l if x > 2}
d = {k: v for k, v in items if k if v}
g = (x for x in l)
n = [(x, y) for x in a for y in b if x != y]
m = [[y for y in x] for x in l]
t = [y for x in [[1]] for y in [x]]
def f(a):
    return [a + i for i in range(3)], {i: a for i in a}
def walrus(data):
    return [last := x for x in data], last
sum(x for x in range(10))
any(f(x) for x in y if x)
