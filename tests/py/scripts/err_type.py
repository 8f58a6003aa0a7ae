print("x")
z = 1 + "a"
