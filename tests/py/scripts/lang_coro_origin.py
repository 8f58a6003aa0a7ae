import sys
async def co():
    return 1
def make():
    return co()
def outer():
    return make()
print(sys.get_coroutine_origin_tracking_depth())
c = co()
print(c.cr_origin)
c.close()
sys.set_coroutine_origin_tracking_depth(2)
c = outer()
print([(f.rsplit('/', 1)[-1], l, n) for f, l, n in c.cr_origin])
c.close()
sys.set_coroutine_origin_tracking_depth(100)
c = outer()
print(len(c.cr_origin), c.cr_origin[-1][1:])
c.close()
c = eval('co()')
print([(f.rsplit('/', 1)[-1], l, n) for f, l, n in c.cr_origin])
c.close()
outer()
def f2():
    c = make()
    del c
f2()
f2()
sys.set_coroutine_origin_tracking_depth(1)
c = co()
print(len(c.cr_origin))
del c
sys.set_coroutine_origin_tracking_depth(0)
c = outer()
print(c.cr_origin)
del c
print('end')
