# calls: positional, keyword, *args, **kwargs, methods, nested, many args
f()
f(1, 2)
f(a=1, b=2)
f(1, *args)
f(*args, **kw)
f(1, x=2, *a, **k)
f(**a, **b)
f(x=1, **k, y=2)
o.m()
o.m(1, k=2)
o.m(*a)
o.a.b.c(1)(2)(3)
import os
os.path.join("a", "b")
print(*[1, 2], sep="")
g(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32)
g(a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, i=9, j=10, k=11, l=12, m=13,
  n=14, o=15, p=16, q=17, r=18)
(lambda: 1)()
o.meth(a
       .b(),
       c)
def h(s):
    return s.strip().split(",")[0].lower()
