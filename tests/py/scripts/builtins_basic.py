print(len("abc"), len([1, 2]), len({}), len((1,)), len({1, 2, 3}))
print(repr(1), repr("a"), repr([1, "b"]), repr(1.0), repr(None))
print(repr(len)[:20], repr(print))
