s = "hello"
t = 'world'
print(s + " " + t, s * 3, len(s), repr(s), repr('it\'s'), repr("a\nb\tc\\"))
print(s[0], s[-1], s[1:3], s[::-1], s[::2], s[10:])
print("ll" in s, "z" not in s, s == "hello", s < t, s != t)
print("é" + "中", len("中文"), repr("\x00\x7f"))
u = ""
for ch in "abc":
    u = ch + u
print(u)
