# The seed's example for __slots__, unchanged.
class Slim:
    __slots__ = ['x', 'y']
    def __init__(self, x, y):
        self.x = x
        self.y = y

s = Slim(1, 2)
# s.z = 3  # AttributeError: 'Slim' object has no attribute 'z'
