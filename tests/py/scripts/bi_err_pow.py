print(pow(3, 4, 5))
pow(2, 3, 0)
