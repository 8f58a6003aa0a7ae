print(sorted([2, 1], reverse=True))
sorted([], foo=1)
