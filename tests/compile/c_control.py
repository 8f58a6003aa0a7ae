# control flow: if/elif/else, while/else, for/else, break, continue,
# boolean operators, chained comparisons, conditional expressions
if a:
    pass
elif b and c or not d:
    x = 1
else:
    x = 2
while x < 10:
    x += 1
    if x == 5:
        continue
    if x == 7:
        break
else:
    y = 0
for i in range(3):
    if i:
        break
else:
    z = 1
for i, j in pairs:
    for k in j:
        if k is None: continue
        print(i, k)
while True:
    if f(): break
while 0:
    pass
r = a if b else c
r = a and b or c
r = not a
r = a < b < c
r = a < b <= c != d
if a < b < c:
    pass
if not a is b: pass
if not a in b: pass
if x is not None and y is None: pass
assert x, "msg"
assert y
def g(n):
    while n:
        n -= 1
        if n % 2:
            continue
        yield n
    return [x for x in range(n) if x if not x]
