# The seed's example for object sizes, unchanged.
import sys
print(sys.getsizeof(5))        # Size of an int
print(sys.getsizeof([]))       # Size of an empty list
print(sys.getsizeof(object())) # Size of a generic object
