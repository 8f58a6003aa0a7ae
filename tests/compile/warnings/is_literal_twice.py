x = 1
try:
    pass
finally:
    x is 1
with open("w4.py"):
    y = x is 2
def f():
    return x is 3
class C:
    assert (1, 2)
l = lambda: x is 4
[x is 5 for x in "a"]
if x is 6 and x is 7: pass
while x is 8: break
assert x is 9, "m"
