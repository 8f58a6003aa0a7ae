x = 1
print(x)
y = x // 0
