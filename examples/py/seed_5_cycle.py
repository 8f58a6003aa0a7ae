# The seed's example for circular references, unchanged.
class Node:
    def __init__(self):
        self.ref = None

a = Node()
b = Node()
a.ref = b
b.ref = a  # Now a and b reference each other
# Deleting a and b won't free their memory unless GC runs
