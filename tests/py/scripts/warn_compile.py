# compile-time SyntaxWarnings reach stderr as python3 prints them
x = 5
print(x is 1, x is not "a")
print([1, 2] is [])
assert (x, "never")
print("done")
