s = {1, 2, 3}
print(s, len(s), 2 in s, 5 in s)
t = (1, "a", 2.0)
print(t, t[1], t[-1], t[:2], len(t), (1,), ())
print(t + (4,), t * 2, (1, 2) == (1, 2), (1, 2) < (1, 3))
print({1, 2} == {2, 1}, {1} != {2})
fs = {*t, *"ab"}
print(len(fs))
