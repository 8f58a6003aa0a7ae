# Allocation-heavy: build and drop many small lists and tuples.
def work(n):
    total = 0
    for i in range(n):
        row = [i, i + 1, i + 2, (i, i * 2)]
        pair = (row, len(row))
        total += pair[1] + row[3][1]
    return total

print(sum(work(20000) for _ in range(25)))
