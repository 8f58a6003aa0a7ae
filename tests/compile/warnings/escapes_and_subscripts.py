a = "\777"
b = """x
y \d
"""
c = f"{1}\d"
d = "\d" "\e"
e = b"\777"
if 1:
    x = [1,2][1.5]
    y = 5[0]
    z = "ab"[1.0]
    w = None is ()
    v = x is not -1
    u = f"{x}"()
    t = (lambda: 1)[0]
