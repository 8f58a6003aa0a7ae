# A __set_name__ that raises during class creation: 3.11 raises
# RuntimeError from it, naming the descriptor's type, the key and the class.
class Bad:
    def __set_name__(self, owner, name):
        raise ValueError("no " + name)


try:
    class C:
        x = Bad()
except RuntimeError as e:
    print(e)
    print(repr(e.__cause__), e.__context__ is e.__cause__, e.__suppress_context__)


class Named:
    def __set_name__(self, owner, name):
        print("set", owner.__name__, name)


class D:
    a = Named()
    b = Named()


class E:
    weird = Bad()
