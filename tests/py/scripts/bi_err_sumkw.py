print(sum([1], start=2))
sum(iterable=[1])
