matrix = [[1, 2, 3], [4, 5, 6]]
total = 0
for row in matrix:
    for v in row:
        total += v
print(total)
counts = {}
for w in ["a", "b", "a", "c", "a"]:
    if w in counts:
        counts[w] += 1
    else:
        counts[w] = 1
print(counts)
acc = []
for k in counts:
    acc.append(k * counts[k])
print(acc, acc[1:], len(acc))
