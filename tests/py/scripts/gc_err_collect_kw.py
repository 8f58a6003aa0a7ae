import gc
gc.collect(x=1)
