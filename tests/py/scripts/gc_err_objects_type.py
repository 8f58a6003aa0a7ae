import gc
gc.get_objects(generation="x")
