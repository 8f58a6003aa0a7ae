# The seed's example for the garbage collector, unchanged.
import gc
print(gc.isenabled())  # True by default
# You can force a collection:
gc.collect()
