import gc
gc.get_count(1)
