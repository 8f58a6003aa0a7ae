print(issubclass(int, (int, 2)))
issubclass(1, int)
