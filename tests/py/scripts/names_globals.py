a = 1
b = a
a = 2
print(a, b)
del b
try_it = 3
print(try_it)
__name__x = __name__
print(__name__x)
