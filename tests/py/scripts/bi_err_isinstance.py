print(isinstance(1, (int, 2)))
isinstance(1, (str, 2))
