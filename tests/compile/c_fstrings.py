# f-strings and %-formatting turned into f-strings
name = "x"
a = f"{name}"
b = f"{name!r} and {name!s:>10} {name!a}"
c = f"{x:{width}.{prec}}"
d = f"{{}} {x + 1} {'nested'}"
e = "%s-%r-%a" % (a, b, c)
f = "%5s|%-5s|%.3s|%%" % (a, b, c)
g = "%d" % (a,)
h = "%s" % a
i = f"{a}" f"{b}" "c"
j = f"""multi
{line}"""
k = f"{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}{a}{b}{c}"
