import gc
gc.is_tracked()
