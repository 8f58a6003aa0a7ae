# tracemalloc's switches and counters: start/stop/is_tracing, the traceback
# limit, get_traced_memory/reset_peak/clear_traces, the errors of start and
# take_snapshot, tracemalloc's own memory
import tracemalloc
import _tracemalloc

print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory(), tracemalloc.get_traceback_limit())
print(tracemalloc.get_tracemalloc_memory() >= 0, _tracemalloc._get_traces())
print(tracemalloc.get_object_traceback([]))
try:
    tracemalloc.take_snapshot()
except RuntimeError as e:
    print("RuntimeError:", e)
for bad in (0, -1, 65536, 10 ** 30):
    try:
        tracemalloc.start(bad)
    except (ValueError, OverflowError) as e:
        print(type(e).__name__, e)
for bad in ("1", 1.5, None):
    try:
        tracemalloc.start(bad)
    except TypeError as e:
        print("TypeError:", e)
try:
    tracemalloc.start(1, 2)
except TypeError as e:
    print("TypeError:", e)
print(tracemalloc.is_tracing())

big = None


def grow():
    global big
    tracemalloc.start(5)
    print(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit())
    tracemalloc.start(2)            # already tracing: the limit stays
    print(tracemalloc.get_traceback_limit())
    print(tracemalloc.get_tracemalloc_memory() > 0)
    cur0, peak0 = tracemalloc.get_traced_memory()
    big = bytes(200000)
    cur1, peak1 = tracemalloc.get_traced_memory()
    print(200000 <= cur1 - cur0 < 201000, peak1 >= cur1)
    big = None
    cur2, peak2 = tracemalloc.get_traced_memory()
    print(cur1 - cur2 >= 200000, peak2 >= peak1, peak2 - cur2 >= 200000)
    tracemalloc.reset_peak()
    cur3, peak3 = tracemalloc.get_traced_memory()
    print(0 <= peak3 - cur3 < 1000)
    tracemalloc.clear_traces()
    print(tracemalloc.get_traced_memory(), tracemalloc.is_tracing())
    tracemalloc.stop()
    print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory(), tracemalloc.get_traceback_limit())
    tracemalloc.stop()              # twice: nothing
    tracemalloc.clear_traces()
    tracemalloc.reset_peak()
    print(_tracemalloc._get_traces(), tracemalloc.get_traced_memory())


grow()
# start again after a stop: a fresh state
tracemalloc.start()
print(tracemalloc.get_traceback_limit(), tracemalloc.is_tracing())
kept = [bytes(100) for i in range(10)]
print(tracemalloc.get_traced_memory()[0] >= 10 * 100)
tracemalloc.stop()
