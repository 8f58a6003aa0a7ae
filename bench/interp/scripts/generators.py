# A generator pipeline: produce, filter, transform, window, reduce.
def numbers(n):
    for i in range(n):
        yield i


def evens(xs):
    for x in xs:
        if x % 2 == 0:
            yield x


def squares(xs):
    return (x * x for x in xs)


def windows(xs, k):
    buf = []
    for x in xs:
        buf.append(x)
        if len(buf) == k:
            yield tuple(buf)
            del buf[0]


def run(n):
    total = 0
    for w in windows(squares(evens(numbers(n))), 3):
        total += w[0] - w[2] + w[1]
    return total

print(sum(run(60000) for _ in range(4)))
