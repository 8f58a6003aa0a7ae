# complex constants: literals, folding (CPython folds + - * / ** on complex),
# signed-zero constant keys, truth tests, and a real tuple that looks like
# the front end's old (Ellipsis, re, im) complex placeholder
a = 1j, 2.5j, 0j, 1e300j, 1_0j, 0x0 + 1j
b = 1 + 2j, 1 - 2j, -1j, +1j, 2j * 3, 3 * 2j, (1 + 2j) * (3 - 4j)
c = 1j / 2, (1 + 1j) / (1 - 1j), 2 / 1j, 1j ** 2, (1 + 1j) ** 3, 2 ** 1j
d = 1 / 0j, 0j ** -1, 1j // 2, 1j % 2, ~1j, 10j ** 10 ** 400
e = 0j, -0j, 0.0 - 0j, -0.0 - 0j, -(0j), 1j, -0.0 + 1j, 1 - 0j, 1 + 0j
f = True + 1j, 1j * False, 1.5 + 1j, 10 ** 20 + 1j, 2 ** 1100 * 1j
g = (..., 0.0, 1.0), (..., 0.0, 1.0)[2], (..., -0.0, 0.0), (..., 1.0, 2.0)
h = not 1j, not 0j, 1j == 1j, {1j: 1, 0j: 2}, frozenset({1j, 2j}), x in (1j, -1j)
if 0j:
    i = 1
if 1j:
    i = 2
while 0j:
    pass
k = 1j if 0j else 2j
l = float("nan") * 1j, 1e308j * 10, -1e308j * 10
def fn():
    return 1j, 0j, -0j, (1j, 1j), 1 + 0j, 1.0, 1
