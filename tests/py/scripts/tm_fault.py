# _tracemalloc under allocation faults (run.py's sweep fails allocation
# 1, 2, 3 ...): starting (the tables), recording (a traceback record, the
# trace table growing past its first 256 slots, the traceback set past
# its first 64), reading the traces back,
# get_object_traceback, clear and stop; each faulted run ends in
# MemoryError with every byte back
import _tracemalloc as t


def make(n):
    return [bytes(i % 7) + b"xy" for i in range(n)]


def deep(n, out):
    out.append(bytes(n + 1))    # a record per depth: total_nframe differs
    if n:
        deep(n - 1, out)
    return out


t.start(4)
data = make(120)
leaf = deep(36, [])
traces = t._get_traces()
print(len(traces) >= 120, t._get_object_traceback(leaf[-1])[0][1])
traces = None
cur, peak = t.get_traced_memory()
print(cur > 120 * 35, peak >= cur)
t.clear_traces()
data = make(10)
t.reset_peak()
print(len(t._get_traces()) > 0)
t.stop()
print(t.is_tracing(), t.get_traceback_limit())
