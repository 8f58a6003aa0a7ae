total = 0
for i in [1, 2, 3, 4, 5, 6]:
    if i == 5:
        break
    if i % 2:
        continue
    total += i
print(total)
n = 0
while n < 10:
    n += 3
else:
    print("else", n)
for c in "ab":
    for d in "xy":
        print(c + d, end=" ")
print()
found = None
for v in [4, 8, 15]:
    if v > 5:
        found = v
        break
else:
    found = -1
print(found)
