# The str fast paths under allocation failures (run.py's fault sweep):
# %-formatting of small and big ints (a text longer than the inline room),
# floats, str / bytes-like arguments and %c, hex() of a small int, ASCII
# case mapping, substring counting, slices, concatenation and join.
big = 3 ** 80
print("a%sb%5d|%-6x|%#o|%.70d|%c|%.2f" % ("é€", -42, 255, 8, big, 0x1F600, 2.5))
print(b"%s|%b|%d" % (b"xy", memoryview(b"mv"), 7), "%(k)r" % {"k": "v"})
print(hex(3054), oct(-9), bin(5), format(big, "x")[:10], "Hello, World".upper(), "ABC dEf".swapcase())
h = "ITEM-1,ITEM-2,item" * 3
print(h.count("ITEM"), h.find("item"), h.rfind("ITEM"), "é€é".count("€"))
s = ""
for i in range(12):
    s += ("item-%d:%s" % (i, hex(i)))[:4]
print(s[5:], s[2:9] + "€", ",".join([s[:3], "é", "😀"]), "-".join(["a", "b"]))
