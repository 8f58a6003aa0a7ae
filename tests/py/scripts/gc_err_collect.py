import gc
gc.collect("x")
