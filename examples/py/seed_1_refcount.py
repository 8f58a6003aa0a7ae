# The seed's example for reference counting, unchanged.
import sys
x = []
print(sys.getrefcount(x))  # Usually 2 (one for x, one for getrefcount arg)
y = x
print(sys.getrefcount(x))  # Now 3

del y
print(sys.getrefcount(x))  # Back to 2
