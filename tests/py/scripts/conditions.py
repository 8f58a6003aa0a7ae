x = 5
if x > 3:
    print("big")
elif x > 1:
    print("medium")
else:
    print("small")
print(1 < x < 10, 1 < x > 10, x == 5 == 5.0)
print(x and "yes", 0 and "yes", "" or "default", None or 0 or [])
print(not x, not 0, not "", not [1])
print("t" if x else "f", "t" if [] else "f")
y = None
print(y is None, y is not None, x is y)
if y is None and x:
    print("both")
if not y or x:
    print("either")
