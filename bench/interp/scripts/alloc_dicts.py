# Allocation-heavy: dicts built, updated and dropped in a loop.
def work(n):
    acc = 0
    for i in range(n):
        d = {"a": i, "b": i + 1, "c": str(i)}
        d["d"] = d["a"] + d["b"]
        e = dict(d, e=len(d["c"]))
        acc += e["d"] + e["e"]
    return acc

print(sum(work(20000) for _ in range(15)))
