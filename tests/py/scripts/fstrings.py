n = 42
x = 3.14159
s = "str"
print(f"{n}", f"{n:5}|", f"{n:<5}|", f"{n:x}", f"{n:08b}")
print(f"{x:.2f}", f"{x:10.3f}|", f"{x!r}", f"{s!r}", f"{s:>6}", f"{s!s:^7}|")
print(f"a{n}b{x}c{s}d", f"{{}}", f"{n + 1} {n * 2}")
w = 6
print(f"{n:{w}}|", f"{'nested'}")
