# filter_traces (inclusive / exclusive filters, lineno, all_frames, domain,
# wildcard patterns, DomainFilter), get_object_traceback and the Traceback,
# Frame, Trace and Snapshot objects, dump/load round trip.  As tm_stats:
# everything made before tracing, the work in functions, no list or small
# tuple taken from a free list on a traced line.
import tracemalloc


def short(x):
    return str(x).replace(__file__, "FILE").rsplit("/", 1)[-1]


class Pair:
    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b


def inner(n):
    return b"i" * n


def outer(n):
    return inner(n), b"o" * (n + 1)


def pairs(n):
    p = None
    while n:
        p = Pair(p, n)
        n -= 1
    return p


here = __file__
name = here.rsplit("/", 1)[-1]
flt_mine = tracemalloc.Filter(True, here)
flt_inner = tracemalloc.Filter(True, here, lineno=22)
flt_not_inner = tracemalloc.Filter(False, here, lineno=22)
flt_all = tracemalloc.Filter(True, "*" + name, all_frames=True)
flt_outer_any = tracemalloc.Filter(True, here, lineno=26, all_frames=True)
flt_glob = tracemalloc.Filter(True, "*/tm_f?lters.p[xy]")
flt_glob_miss = tracemalloc.Filter(True, "*/tm_f[!i]lters.py")
flt_pyc = tracemalloc.Filter(True, here + "c")
flt_dom = tracemalloc.Filter(True, here, domain=0)
flt_dom1 = tracemalloc.Filter(True, here, domain=1)
flt_xdom1 = tracemalloc.Filter(False, here, domain=1)
dom0 = tracemalloc.DomainFilter(True, 0)
notdom0 = tracemalloc.DomainFilter(False, 0)
print(flt_mine.inclusive, flt_inner.lineno, flt_all.all_frames, flt_dom.domain, dom0.domain)
print(short(flt_pyc.filename_pattern), flt_glob.filename_pattern.rsplit("/", 1)[-1])
keep = objs = snap = mine = None
work = pairs(1)
work = outer(1)

tracemalloc.start(4)
keep = [outer(1000), outer(2000)]
objs = pairs(50)
snap = tracemalloc.take_snapshot()
mine = snap.filter_traces([flt_mine])
print("mine", len(mine.traces), mine.traceback_limit)


def show(title, filters):
    s = mine.filter_traces(filters)
    print(title, len(s.traces), sorted(short(st) for st in s.statistics("lineno")))


show("inner", [flt_inner])
show("not inner", [flt_not_inner])
show("all frames", [flt_all])
show("outer anywhere", [flt_outer_any])
show("inner or outer", [flt_inner, flt_outer_any])
show("outer but not inner", [flt_outer_any, flt_not_inner])
show("glob", [flt_glob])
show("glob miss", [flt_glob_miss])
show(".pyc", [flt_pyc])
show("domain 0", [flt_dom])
show("domain 1", [flt_dom1])
show("not domain 1", [flt_xdom1])
show("DomainFilter 0", [dom0])
show("DomainFilter not 0", [notdom0])
show("none", [])
show("tuple of filters", (flt_inner,))
try:
    mine.filter_traces(flt_inner)
except TypeError as e:
    print("TypeError:", e)
for key, cumulative in (("nope", False), ("traceback", True)):
    try:
        mine.statistics(key, cumulative)
    except ValueError as e:
        print("ValueError:", e)

tb = tracemalloc.get_object_traceback(objs)
print(len(tb), tb.total_nframe, short(tb), [f.lineno for f in tb])
print(short(repr(tb[0])), tb[0].lineno, short(tb[-1].filename))
print([short(f) for f in tb[:2]], tb[0] in tb, tb.count(tb[0]), tb.index(tb[-1]))
print(tb == tracemalloc.get_object_traceback(objs), hash(tb) == hash(tracemalloc.get_object_traceback(objs)))
print(tb[0] < tb[1], tb[0] <= tb[0], tb[1] > tb[0], tb[1] >= tb[1], tb[0] != tb[1])
print([short(f) for f in reversed(tb)])
for line in tb.format(most_recent_first=True):
    print(short(line))
print(tracemalloc.get_object_traceback(keep[0][0]) is not None, tracemalloc.get_object_traceback(here))
print(tracemalloc.get_object_traceback(None), tracemalloc.get_object_traceback(1))

inner_only = mine.filter_traces([flt_inner])
tr = sorted(inner_only.traces, key=lambda t: t.size)[0]    # the order of traces is the table's
print(tr.domain, tr.size, short(tr), short(repr(tr)), len(tr.traceback), tr.traceback.total_nframe)
print(short(repr(tr.traceback)))
print(tr in inner_only.traces, tr == [t for t in inner_only.traces if t.size == 1033][0], len(inner_only.traces[0:2]),
      repr(inner_only.traces))
print(sorted(t.size for t in inner_only.traces))

stat = inner_only.statistics("traceback")[0]
print(short(repr(stat)), stat == inner_only.statistics("traceback")[0])
print(stat.count, stat.size, len(stat.traceback))

path = "/tmp/pymm_tm_filters_snapshot.dat"
mine.dump(path)
back = tracemalloc.Snapshot.load(path)
print(back.traceback_limit, len(back.traces), back.traces == mine.traces)
print(back.statistics("lineno") == mine.statistics("lineno"))
print(back.statistics("traceback") == mine.statistics("traceback"))
open(path, "w").close()
tracemalloc.stop()
