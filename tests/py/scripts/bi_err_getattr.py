print(getattr(1, 'real', 0))
getattr(1, 2)
