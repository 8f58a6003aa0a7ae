__all__ = ['A', '_B']
A = 'a'
_B = 'b'
C = 'c'
