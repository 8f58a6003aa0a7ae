s = '\d' + b'\q'.decode() + f'{1}\w'
def f(x):
    try:
        return x is 1
    finally:
        y = (1, 2)(3)
assert (f, "m")
z = [1][1.5], 5[0]
