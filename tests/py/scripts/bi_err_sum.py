print(sum([1.5, 2]))
sum([b'a'], b'')
