print('x', file=None)
print('y', file=1)
