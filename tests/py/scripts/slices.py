l = list(range(10)) if 0 else [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
print(l[2:5], l[:3], l[7:], l[::3], l[-3:], l[-1:-4:-1], l[100:], l[5:2])
s = "abcdefgh"
print(s[1:-1], s[::-1], s[::-2], s[2:2])
t = (1, 2, 3, 4)
print(t[1:], t[::-1])
l[2:4] = []
print(l)
del l[:2]
print(l)
