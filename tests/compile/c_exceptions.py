# try/except/else/finally, with, raise, return/break/continue inside
try:
    f()
except ValueError:
    g()
except (TypeError, KeyError) as e:
    h(e)
except:
    raise
else:
    i()
finally:
    j()
try:
    pass
finally:
    pass
with open("f") as fh:
    data = fh.read()
with a() as x, b() as (y, z), c():
    pass
def f(x):
    try:
        return x
    finally:
        print("done")
def g(xs):
    for x in xs:
        try:
            if x: break
            else: continue
        finally:
            cleanup()
    with lock:
        return 1
def h():
    try:
        try:
            raise ValueError("x") from None
        except ValueError as err:
            raise TypeError() from err
    except TypeError:
        pass
