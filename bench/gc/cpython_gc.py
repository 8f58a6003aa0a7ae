"""CPython side of make bench-gc: the same three heap shapes as
bench/gc/bench_gc.c, timed with gc.collect().

usage: python3 cpython_gc.py a|b|c|all [--scale S] [--reps R]
prints: bench gc <shape> cpython ns_per_object=... ms=... objects=... collected=...
(objects = len(gc.get_objects()) before the collection: what it examines)
"""
import gc
import sys
import time


class Slotted:
    __slots__ = ('next',)


class Node:
    def __init__(self, left, right):
        self.left = left
        self.right = right


def report(shape, ms, objects, found):
    print('bench gc %s cpython ns_per_object=%.2f ms=%.3f objects=%d collected=%d'
          % (shape, ms * 1e6 / objects, ms, objects, found), flush=True)


def timed_collect():
    t0 = time.perf_counter_ns()
    n = gc.collect()
    t1 = time.perf_counter_ns()
    return (t1 - t0) / 1e6, n


def shape_a(scale, reps):
    n = int(1000000 * scale)
    root = [[i] for i in range(n)]
    gc.collect()
    objects = len(gc.get_objects())
    best, found = min(timed_collect() for _ in range(reps))
    report('a', best, objects, found)
    del root


def shape_b(scale, reps):
    rings, length = 100, max(2, int(10000 * scale))
    best, objects, found = None, 0, 0
    for _ in range(reps):
        for _ in range(rings):
            first = prev = Slotted()
            for _ in range(length - 1):
                o = Slotted()
                prev.next = o
                prev = o
            prev.next = first
            del first, prev, o
        objects = len(gc.get_objects())
        ms, n = timed_collect()
        if best is None or ms < best:
            best, found = ms, n
    report('b', best, objects, found)


def tree(depth):
    if depth == 1:
        return Node(None, None)
    return Node(tree(depth - 1), tree(depth - 1))


def shape_c(scale, reps):
    depth = 20
    while depth > 2 and (1 << depth) > (1 << 20) * scale * 1.5:
        depth -= 1
    root = tree(depth)
    gc.collect()
    objects = len(gc.get_objects())
    best, found = min(timed_collect() for _ in range(reps))
    report('c', best, objects, found)
    del root


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else 'all'
    scale, reps = 1.0, 5
    args = sys.argv[2:]
    for i in range(0, len(args) - 1, 2):
        if args[i] == '--scale':
            scale = float(args[i + 1])
        elif args[i] == '--reps':
            reps = int(args[i + 1])
    gc.disable()
    for shape, fn in (('a', shape_a), ('b', shape_b), ('c', shape_c)):
        if which in ('all', shape):
            fn(scale, max(1, reps))


if __name__ == '__main__':
    main()
