# constructs that look like errors but are valid
match(x)
match[x]
match.x = 1
case = 1
_ = 2
print(match, case, _)
type = 3
x = [
    1,
    2
]
if (a and
        b):
    pass
s = ("implicit"
     "concatenation")
t = 1 if x else 2
u = 1if x else 2
v = [1for x in y]
w = [0x1for x in y]
