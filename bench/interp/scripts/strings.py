# String building: concatenation, join, formatting, slicing.
def work(n):
    parts = []
    s = ""
    for i in range(n):
        t = "item-%d:%s" % (i, hex(i))
        parts.append(t.upper())
        s += t[:3]
        if len(s) > 1000:
            s = s[500:]
    joined = ",".join(parts)
    return len(joined) + len(s) + joined.count("ITEM")

print(sum(work(20000) for _ in range(8)))
