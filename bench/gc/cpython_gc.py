"""CPython side of make bench-gc: the same three heap shapes as
bench/gc/bench_gc.c, timed with gc.collect().

usage: python3 cpython_gc.py a|b|c|auto|young|all [--scale S] [--reps R]
prints: bench gc <shape> cpython ns_per_object=... ms=... objects=... collected=...
(objects = len(gc.get_objects()) before the collection: what it examines)
and, as bench_gc.c's auto and young:
        bench gc auto cpython ratio=... on_ms=... off_ms=... collections=g0/g1/g2
        bench gc young cpython ns_per_object=... us=... objects=...
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


def timed_build(n, on):
    """Shape a's build with automatic collection on or off: ms and the
    collections per generation it made; then the heap is dropped and a full
    collection resets the counts (as bench_gc.c)."""
    if on:
        gc.enable()
    else:
        gc.disable()
    s0 = [s['collections'] for s in gc.get_stats()]
    t0 = time.perf_counter_ns()
    root = [[i] for i in range(n)]
    t1 = time.perf_counter_ns()
    s1 = [s['collections'] for s in gc.get_stats()]
    gc.disable()
    del root
    gc.collect()
    return (t1 - t0) / 1e6, [b - a for a, b in zip(s0, s1)]


def bench_auto(scale, reps):
    n = int(1000000 * scale)
    best_on = best_off = None
    made_on = [0, 0, 0]
    timed_build(n, False)               # first touch of the memory: not counted
    for _ in range(reps):
        off, _made = timed_build(n, False)
        on, made = timed_build(n, True)
        if best_off is None or off < best_off:
            best_off = off
        if best_on is None or on < best_on:
            best_on, made_on = on, made
    print('bench gc auto cpython ratio=%.3f on_ms=%.3f off_ms=%.3f collections=%d/%d/%d objects=%d'
          % (best_on / best_off, best_on, best_off, made_on[0], made_on[1], made_on[2], n), flush=True)


def bench_young(scale, reps):
    n = int(1000000 * scale)
    root = [[i] for i in range(n)]
    gc.collect()                        # everything in generation 2
    best, objects, nxt = None, 0, n
    for _ in range(20 * reps):
        for i in range(nxt, nxt + 700):
            root.append([i])
        nxt += 700
        objects = len(gc.get_objects(0))
        t0 = time.perf_counter_ns()
        gc.collect(0)
        t1 = time.perf_counter_ns()
        if best is None or t1 - t0 < best:
            best = t1 - t0
    print('bench gc young cpython ns_per_object=%.2f us=%.3f objects=%d'
          % (best / objects, best / 1e3, objects), flush=True)
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
    for shape, fn in (('a', shape_a), ('b', shape_b), ('c', shape_c), ('auto', bench_auto),
                      ('young', bench_young)):
        if which in ('all', shape):
            fn(scale, max(1, reps))


if __name__ == '__main__':
    main()
