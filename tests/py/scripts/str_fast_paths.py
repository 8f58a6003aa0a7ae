# The str fast paths (ASCII / same-kind copies, %-formatting without
# temporaries, hex/oct/bin of small ints) at their edges: every kind,
# empty and one-character strings, flags, width and precision, errors.

WIDE = ["", "a", "abc", "é", "aé", "€", "a€b", "😀", "a😀", "ÿµ", "\x00x\x7f", "\x80"]

# ---- % formatting ----------------------------------------------------------
for s in WIDE:
    print(ascii("[%s]" % s), ascii("%r" % s), ascii("%a" % s), ascii("%5s|%-5s|%.1s|%3.2s" % (s, s, s, s)))
    print(ascii("x%sy%%z" % (s,)), ascii(s.join(["%s", "%d"]) % ("q", 7)))
for fmt in ["€%s", "😀%d|", "é%x", "%s€", "a%%😀"]:
    try:
        print(ascii(fmt % (5 if "%d" in fmt or "%x" in fmt else "v",) if "%%" not in fmt else fmt % ()))
    except Exception as e:
        print(type(e).__name__, e)
ints = [0, 1, -1, 9, 10, 255, -255, 2**29, 2**30, 2**31 - 1, 2**59, 2**60 - 1, 2**60, -2**60, 2**64, -(2**100) + 7, 10**25]
for i in ints:
    print("%d|%i|%u|%o|%x|%X|%#o|%#x|%#X" % (i, i, i, i, i, i, i, i, i))
    print("%5d|%-5d|%05d|%+d|% d|%.3d|%8.4x|%-#8x|%#08X|%+#o" % (i, i, i, i, i, i, i, i, i, i))
    print("%*d|%-*d|%.*d" % (7, i, 7, i, 4, i))
print("%d %d %s" % (True, False, True), "%x" % True, "%d" % 3.99, "%d" % -3.99, "%i" % 1e20)
print("%e|%.2f|%g|%G|%10.3E|%-10.1f|%+f|%#g|%010.2f" % (1.5, 2.345, 1e-7, 1e20, 12345.678, -0.05, 3.0, 2.0, -1.5))
print("%c%c%c|%3c|%-3c|" % (65, "é", 0x1F600, "x", 128512))
print("%(a)s-%(b)05d-%(a)r-%%" % {"a": "k€y", "b": 42}, "%(x)s" % {"x": 1}, "plain" % {})
print("%s" % ([1, "é"],), "%r" % ("é",), "%a" % ("é😀",), "%s %s" % (b"ab", None))
for fmt, args in [("%d", "x"), ("%x", 1.5), ("%c", "ab"), ("%c", -1), ("%c", 0x110000), ("%s %s", ("a",)),
                  ("%s", ("a", "b")), ("%(a)s", ("a",)), ("%(a", {"a": 1}), ("%y", 1), ("%", 1), ("%.", 1),
                  ("%*d", ("a", 1)), ("%(k)s", {}), ("%€", 1), ("%d", None), ("%u", "x"), ("%i", None), ("%X", "s")]:
    try:
        print(ascii(fmt % args))
    except Exception as e:
        print(type(e).__name__, e)

# ---- bytes % shares the engine ---------------------------------------------
print(b"%s|%5b|%-4s|%r|%a|%c%c|%d|%x|%#o|%05.1f" % (b"ab", b"c", bytearray(b"d"), "é", "x", 65, b"B", -7, 255, 8, 2.25))
print(b"%(k)s" % {b"k": b"v"}, b"%s" % memoryview(b"mv"))

# ---- hex / oct / bin / format ----------------------------------------------
for i in ints + [True, False]:
    print(hex(i), oct(i), bin(i)[:40], format(i, "x"), format(i, "#X"), format(i, "d"), format(i, "#b")[:30],
          format(i, "#o"), format(i, "o"), format(i, "#d"))
print(format(True, "x"), format(False, "#b"), format(True, ""), format(5, "#c") if False else format(66, "c"))
class I(int):
    def __format__(self, spec):
        return "I" + spec
print(hex(I(26)), format(I(26), "#x"), "%x" % I(26), "%d" % I(-3))
for bad in ["12", 1.5, None]:
    try:
        hex(bad)
    except TypeError as e:
        print("TypeError", e)

# ---- case mapping ----------------------------------------------------------
# (pymm maps the cases of ASCII and Latin-1 only: no 'ß', 'µ'.casefold(), Greek)
CASES = [s for s in WIDE if "µ" not in s] + ["Hello World", "hELLO wORLD 123_x", "a-b c\td", "ABC", "abc", "ÿ", "aÿ", "µ€"]
for s in CASES:
    print(ascii([s.upper(), s.lower(), s.swapcase(), s.capitalize(), s.title(), "µ" in s or s.casefold()]))
print("a".upper() == "A", "".upper() == "", len("x".lower()))

# ---- count / find / index ----------------------------------------------------
hay = ["", "abcabcab", "aaaa", "é€é€", "😀a😀a", "ITEM-1,ITEM-2,item,ITEM", "xé"]
needles = ["", "a", "ab", "abc", "aa", "é", "€", "😀", "😀a", "ITEM", "z", "é€é€é"]
for h in hay:
    row = []
    for n in needles:
        row.append((h.count(n), h.find(n), h.rfind(n), h.count(n, 1), h.find(n, 1, -1), h.rfind(n, 0, 3),
                    h.count(n, 5, 2), h.find(n, 20), h.count(n, -3)))
    print(ascii(h), row)
for h, n in [("abc", "d"), ("é€", "a"), ("a", "😀")]:
    for m in (h.index, h.rindex):
        try:
            m(n)
        except ValueError as e:
            print("ValueError", e)
print("abcabc".index("c"), "abcabc".rindex("c"), "a€a€".index("€", 2), "aaa".count("a", -100, 100))

# ---- slices, concatenation, join ------------------------------------------------
for s in WIDE + ["héllo€😀", "abcdefgh"]:
    print(ascii([s[1:], s[:2], s[1:3], s[-2:], s[::2], s[::-1], s[2:1], s + s[:1], s[1:] + "é"]))
w = "a€" + "😀"
print(ascii([w[:1], w[1:2], w[2:], (w + "x")[3:], "é€"[:1], "é€"[1:]]))
print(len(w[:1].encode()), len(w[1:2].encode()), w[2:] == "😀")
acc = ""
for i in range(300):
    acc += ("%d€" % i)[:2] if i % 7 == 0 else hex(i)[:3]
    if len(acc) > 100:
        acc = acc[50:]
print(ascii(acc))
for sep in ["", ",", "€", "😀", "é"]:
    for parts in [[], ["a"], ["a", "b"], ["é", "x"], ["", ""], ["😀", "a", "€"], ["ab", "cd", "ef"]]:
        print(ascii(sep.join(parts)), end=" ")
    print()
print(ascii(",".join(("x", "é"))), ascii("-".join(iter(["1", "2"]))))
try:
    ",".join(["a", 1])
except TypeError as e:
    print("TypeError", e)
A = "".join(map(chr, range(128)))
for t in (A, A[1:], A[::-1], A * 3 + "é", "@[`{" * 5, "AZaz" * 4 + "q"):
    print(ascii([t.upper(), t.lower(), t.swapcase()]))
class L(list):
    def __iter__(self):
        return iter(["sub", "class"])
print(",".join(("t", "u", "p")), ",".join(L(["x"])), ",".join(x for x in "gen"), "€".join(()), "".join(["é"]))
print(",".join(["ab"]) is not None, ascii("é".join(("a" * 3, "b"))))
for bad in (["a", b"b"], ("a", None), [1]):
    try:
        "-".join(bad)
    except TypeError as e:
        print("TypeError", e)
