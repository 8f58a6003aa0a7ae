# Snapshot statistics of a script whose allocations are deterministic:
# counts of traces per line, sizes of bytes/tuples/lists/slotted instances
# (the same as CPython's), 'lineno' / 'filename' / 'traceback' grouping,
# cumulative, compare_to ordering, str() and repr() of the reports.
# Determinism: the filters and classes are made before tracing starts; the
# work runs once before (lazily made caches), in functions, and the module's
# globals exist before (no dict grows on a traced line); the list free list
# is filled first and the tuples are longer than the tuple free lists take,
# so no traced line takes a block allocated elsewhere; python3's own
# allocations are left out by Filter(True, __file__).
import tracemalloc


def short(x):
    # python3 names this file by its absolute path, pymm by the name given
    return str(x).replace(__file__, "FILE").rsplit("/", 1)[-1]


class Node:
    __slots__ = ("left", "right")

    def __init__(self, left, right):
        self.left = left
        self.right = right


mine = [tracemalloc.Filter(True, __file__)]
keys = ("lineno", "filename", "traceback")


def blobs(n, size):
    return [bytes(size) for i in range(n)]



def tree(depth):
    if depth == 0:
        return None
    return Node(tree(depth - 1), tree(depth - 1))


def tuples(n):
    return [(i, i + 1, i + 2) * 7 for i in range(n)]


def big(n):
    return b"x" * n


def work():
    a = blobs(100, 200)
    t = tree(6)
    u = tuples(40)
    return a, t, u


def report(snap, key, cumulative=False):
    for stat in snap.statistics(key, cumulative):
        print(" ", short(stat))


first = second = extra = snap1 = snap2 = stats = top = tb = d = None
work()
junk = [[] for i in range(200)]
junk = None
tracemalloc.start(3)
first = work()
snap1 = tracemalloc.take_snapshot().filter_traces(mine)
print("traces", len(snap1.traces), "limit", snap1.traceback_limit)
for key in keys:
    print(key)
    report(snap1, key)
print("cumulative lineno")
report(snap1, "lineno", True)
print("cumulative filename")
report(snap1, "filename", True)

stats = snap1.statistics("lineno")
top = stats[0]
print(short(repr(top.traceback)), top.count, top.size, len(top.traceback))
tb = snap1.statistics("traceback")[0].traceback
print(len(tb), [f.lineno for f in tb], short(tb[0]), short(repr(tb[-1])))
for line in tb.format():
    print(short(line))
for line in tb.format(limit=1, most_recent_first=True):
    print(short(line))
for line in tb.format(limit=-1):
    print(short(line))

# round two: the tree dropped, half of the blobs dropped, one big block
# more.  Nothing here takes a list or a small tuple: which of those a
# free list gives depends on what python3's and pymm's tracemalloc.py left
# there, so the counts would differ
first = (first[0], None, first[2])
del first[0][:50]
extra = big(30000)
snap2 = tracemalloc.take_snapshot().filter_traces(mine)
mine2 = [tracemalloc.Filter(True, __file__, lineno=n) for n in (32, 39, 43, 47, 51, 52, 53)]
old = snap1.filter_traces(mine2)
new = snap2.filter_traces(mine2)
print("compare lineno")
for diff in new.compare_to(old, "lineno"):
    print(" ", short(diff))
print("compare traceback")
for diff in new.compare_to(old, "traceback"):
    print(" ", short(diff))
print("compare filename")
for diff in new.compare_to(old, "filename"):
    print(" ", short(repr(diff)))
tracemalloc.stop()
