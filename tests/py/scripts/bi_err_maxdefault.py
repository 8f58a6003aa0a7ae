print(max(1, 2), min([3, 4], default=0))
max(1, 2, default=3)
