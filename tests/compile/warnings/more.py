# compile-time warnings python3 3.11 raises, in nested scopes and odd spots
class C:
    def m(self, x):
        return [y for y in x if y is "a"]
    z = lambda q: q is not ()
def g(a):
    async def h():
        return a is -1
    yield {1, 2}[0]
    yield (x for x in a)[0]
    yield [1, 2]["a"]
    yield (1, 2)[1:2], "abc"[a], [a][True]
    yield ()(), [](), {}(), {1}(), f"{a}"(), 1(), None(), ...(), b""()
    yield 1 is a is 2, a is 1 or a is not 'x'
assert ()
assert (1,)
assert (g, 2), "msg"
r = r"\d" + "\
continued" + '\é' + b'\N{x}' + b'\u1234' + "\400" + "\377" + "\8"
t = """first line
second \z line"""
u = f'{1:\d}' f"{'x'}\y"
