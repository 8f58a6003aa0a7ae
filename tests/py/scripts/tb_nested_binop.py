a = 2
b = "s"
c = None
r = a + b * c
