# The frame stack's memory is not traced (3.11 takes it from beneath
# tracemalloc's hooks): a snapshot at the bottom of a deep recursion shows
# no block for the frames.
import tracemalloc
def deep(n):
    if n == 0:
        return tracemalloc.take_snapshot()
    return deep(n - 1)
tracemalloc.start()
snap = deep(300)
stats = snap.statistics("lineno")
print([s.count for s in stats if s.size >= 4096])
print(sum(s.size for s in stats) < 4096)
tracemalloc.stop()
