import gc
gc.set_threshold()
