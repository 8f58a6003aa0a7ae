# classes: bases, keywords, decorators, methods, super(), __class__,
# private names, class-level closures, nested classes
class A: pass
class B(A, metaclass=Meta, flag=True):
    "doc"
    x = 1
    __private = 2
    def m(self):
        return self.__private + super().m()
    @property
    def p(self): return __class__
    @staticmethod
    def s(): return B
    class Inner:
        def f(self): return self.__y
def make():
    v = 1
    class C:
        w = v
        def g(self): return v
    return C
@decorate
class D(*bases, **kw):
    a: int
    b: str = "x"
    def __init__(self, a):
        self.a = a
        super().__init__()
