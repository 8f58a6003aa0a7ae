# dict views and bytes methods (type-dict lookups on the view types are
# left to the C tests: main.c's block check warms only the core types)
d = {1: 10, 2: 20, 3: 30}
k = d.keys()
v = d.values()
it = d.items()
print(k, v, it, len(k), len(it))
print(1 in k, 5 in k, 20 in v, (1, 10) in it, (1, 11) in it)
print(k & {1, 5}, k | {7}, k - {1}, k ^ {1, 9}, {1, 5} - k)
print(k == {1, 2, 3}, k <= {1, 2, 3, 4}, k < {1, 2}, it == {(1, 10), (2, 20), (3, 30)})
print([*d.__reversed__()], [*k], [*it])
d[4] = 40
print(k, [*v], len(it))
for key in k:
    print(key, d[key])
b = b"  Hello World,  bytes  "
print(b.split(), b.split(b","), b.strip(), b.lower(), b.upper(), b.title())
print(b.find(b"o"), b.rfind(b"o"), b.count(b"l"), b.replace(b"l", b"L", 2))
print(b.startswith(b"  H"), b.endswith((b"x", b"  ")), b.partition(b","), b.rpartition(b"e"))
print(b"-".join([b"a", b"b", b"c"]), b"abc".center(9, b"*"), b"42".zfill(5))
print(b"a\tb".expandtabs(4), b"x\ny\r\nz".splitlines(), b"x\ny".splitlines(True))
print(b"abc".hex(), b"abc".hex(":"), b"".fromhex("61 62 63"), b"caf\xc3\xa9".decode())
print(b"abc".isalpha(), b"a1".isalnum(), b"123".isdigit(), b"  ".isspace(), b"Ab Cd".istitle())
print(b"hello".translate(b"".maketrans(b"el", b"ip")), b"hello".translate(None, b"l"))
