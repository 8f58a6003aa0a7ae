# A tour of the small-object allocator: blocks in size classes 16 bytes
# apart, carved from 16 KiB pools inside 1 MiB arenas (as CPython 3.11 on
# 64-bit Linux); anything over 512 bytes goes to the system allocator.  CPython shows only sys.getallocatedblocks(); lines starting
# with "pymm|" come from pymm's own `pymm` module and are not printed by
# python3.
import sys

try:
    import pymm
except ImportError:
    pymm = None


def pymm_line(text):
    if pymm is not None:
        print("pymm|", text)


def blocks():
    return sys.getallocatedblocks()


print("-- many small objects take many blocks")
before = blocks()
many = [(i, i) for i in range(100_000)]     # a tuple and, past 256, an int each
grown = blocks() - before
print("blocks grew by more than 100,000:", grown > 100_000)
if pymm is not None:
    looked = blocks()
    s = pymm.stats()
    pymm_line(f"arenas in use: {s['arenas_in_use']}, pools in use: {s['pools_in_use']}")
    del s
    before += blocks() - looked     # what looking left behind in free lists

print("-- freeing them gives the blocks back, except what free lists keep")
del many
kept = blocks() - before
print("blocks kept for reuse by the 2-tuple free list (1000..2000):", 1000 <= kept <= 2000)
import gc
gc.collect()                                # a full collection empties the free lists
print("after gc.collect(), back within 100 of the start:", abs(blocks() - before) < 100)
if pymm is not None:
    s = pymm.stats()
    pymm_line(f"after the free: arenas in use {s['arenas_in_use']}, pools in use {s['pools_in_use']}, "
              f"pages given back to the OS so far {s['pages_released']}")
    del s

print("-- large objects bypass the pools")
before = blocks()
big = bytearray(1_000_000)
print("blocks for a 1 MB bytearray (its header only; the data is malloc'd):", blocks() - before <= 2)
del big

print("-- size classes: a request is rounded up to a multiple of 16")
for n in (1, 8, 9, 16, 17, 24, 25):
    rounded = (n + 15) // 16 * 16
    print(f"   {n:>2} bytes -> a {rounded}-byte block")
