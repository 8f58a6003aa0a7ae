print(min([], default=None))
min([])
