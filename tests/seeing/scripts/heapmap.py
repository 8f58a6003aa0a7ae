# The heap map from Python: a fragmenting workload, maps before and after
# the frees and after a trim; each map's counts equal the allocator's
# statistics taken in the same call (checked in C: 'matches_stats').
import sys, pymm
out = sys.argv[1]

def show(name):
    d = pymm.heapmap(out + '/' + name)
    print(name, d['matches_stats'], d['pools_in_use'] > 0)
    return d

objs = [bytes(16 + i % 241) for i in range(100000)]
full = show('py-1-full.svg')
keep = objs[::100]
del objs
freed = show('py-2-freed.svg')
print(freed['blocks_in_use'] < full['blocks_in_use'])
print(pymm.trim() >= 0)
trimmed = show('py-3-trimmed.svg')
print(trimmed['pools_released'] + trimmed['pages_released'] + trimmed['arenas_in_use'] > 0)
s = pymm.stats()
print(len(s['size_classes']), s['size_classes'][3]['block_size'])
