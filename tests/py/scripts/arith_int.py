a = 17
b = 5
print(a + b, a - b, a * b, a // b, a % b, a ** b)
print(-a // b, -a % b, a << 3, a >> 2, a & b, a | b, a ^ b, ~a)
print(2 ** 100, -(2 ** 70) // 3, (10 ** 30) % 7)
x = 0
x += 5
x *= 3
x -= 1
x //= 2
x **= 2
x %= 10
x <<= 4
x |= 1
x ^= 3
x &= 0xff
x >>= 1
print(x)
print(+a, -a, abs_ := a)
