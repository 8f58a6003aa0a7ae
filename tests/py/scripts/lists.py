l = [3, 1, 2]
l[0] = 30
print(l, len(l), l[1], l[-1], l[0:2], l[::-1])
del l[0]
print(l)
l2 = l + [9, 8]
print(l2, l2 * 2, 9 in l2, 7 in l2)
l2[1:3] = [5, 5, 5]
print(l2)
del l2[::2]
print(l2)
l3 = [*l, *l2, 100]
print(l3)
nested = [[1, 2], [3, [4, 5]]]
print(nested, nested[1][1][0])
print([] == [], [1, 2] < [1, 3], [1] * 0)
