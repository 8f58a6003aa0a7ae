it = iter([1])
print(next(it), next(it, 'done'))
next(it)
