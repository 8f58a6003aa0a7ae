"""CPython side of `make bench-objects`: the same workloads as bench_objects.c.

For each workload it creates N small objects, keeps them alive in a list that
was allocated beforehand (so the list's own pointer array is not counted),
then drops them.  It reports:
  ns_per_object      create + drop time per object (no tracing active)
  bytes_per_object   tracemalloc's traced-bytes growth per object (a second,
                     traced pass: tracemalloc counts requested bytes, as
                     pymm's small_bytes_in_use counts block bytes)
  rss_per_object     growth of the resident set per object (first pass)
Output lines: `cpy <workload> ns_per_object=... bytes_per_object=... rss_per_object=...`
"""
import gc
import sys
import time
import tracemalloc

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
REPEAT = int(sys.argv[2]) if len(sys.argv) > 2 else 3


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


class Plain:
    pass


class Attrs2:
    def __init__(self, a, b):
        self.a = a
        self.b = b


class Slots2:
    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b


def fill_int(buf, n):
    base = 1 << 20                       # outside the small-int cache
    for i in range(n):
        buf[i] = base + i


def fill_tuple(buf, n):
    x = None
    for i in range(n):
        buf[i] = (x, x)                  # BUILD_TUPLE 2: a fresh 2-tuple


def fill_instance(buf, n):
    for i in range(n):
        buf[i] = Plain()


def fill_attrs(buf, n):
    x = None
    for i in range(n):
        buf[i] = Attrs2(x, x)


def fill_slots(buf, n):
    x = None
    for i in range(n):
        buf[i] = Slots2(x, x)


def fill_empty(buf, n):                  # loop overhead, subtracted from timing
    x = None
    for i in range(n):
        buf[i] = x


def clear(buf, n):
    for i in range(n):
        buf[i] = None


WORKLOADS = [("int", fill_int), ("tuple2", fill_tuple),
             ("instance", fill_instance), ("instance2", fill_attrs),
             ("slots2", fill_slots)]


def timed(fill, buf):
    best = None
    for _ in range(REPEAT):
        t0 = time.perf_counter_ns()
        fill(buf, N)
        clear(buf, N)
        dt = time.perf_counter_ns() - t0
        best = dt if best is None or dt < best else best
    return best


def main():
    gc.disable()                         # pymm's run has no collector either
    buf = [None] * N
    base = timed(fill_empty, buf)
    for name, fill in WORKLOADS:
        r0 = rss_bytes()
        fill(buf, N)
        r1 = rss_bytes()
        clear(buf, N)
        t = timed(fill, buf)
        tracemalloc.start()
        s0 = tracemalloc.get_traced_memory()[0]
        fill(buf, N)
        s1 = tracemalloc.get_traced_memory()[0]
        clear(buf, N)
        tracemalloc.stop()
        print(f"cpy {name} ns_per_object={max(t - base, 0) / N:.2f} "
              f"bytes_per_object={(s1 - s0) / N:.2f} "
              f"rss_per_object={max(r1 - r0, 0) / N:.2f}")
    # incref/decref: a local alias bound and unbound (STORE_FAST/LOAD_FAST
    # each incref/decref); the C-level pair is measured by bench_objects_cpy.
    print(f"cpy loop_overhead ns_per_object={base / N:.2f}")


main()
