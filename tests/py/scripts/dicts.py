d = {"a": 1, "b": 2}
d["c"] = 3
print(d, len(d), d["b"], "a" in d, "z" in d)
del d["a"]
print(d)
d2 = {**d, "x": 10}
print(d2, d2.get("x"), d2.get("q"), d2.get("q", 0))
d3 = {1: "one", 2.5: "two and a half", (1, 2): "tuple", None: "none"}
print(d3, d3[(1, 2)], d3[None])
e = {}
e["k"] = e.get("k", 0) + 1
e["k"] = e.get("k", 0) + 1
print(e)
print(dict(a=1) if 0 else {"p": 1, "q": 2, "r": 3})
