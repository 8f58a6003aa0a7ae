a = 1
b = [a] * 2
c = b[a + 5]
