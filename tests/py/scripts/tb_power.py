base = 0.0
r = base ** -1
