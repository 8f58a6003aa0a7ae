# scopes: globals, nonlocals, class scopes seeing enclosing functions,
# free variables in methods named like class attributes, private names
x = 1
def f():
    global x
    x = 2
    y = 3
    class C:
        y = y
        def m(self):
            return y, x, self.__z
        def y(self): return y
    return C
def g():
    a = 1
    def h():
        def i():
            nonlocal a
            a = 2
            return a
        return i
    return h
class Outer:
    __secret = 1
    def peek(self, __arg):
        __local = self.__secret
        return __arg, __local, _Outer__secret
