# The collector timeline: each collection's generation and what it freed.
import gc, sys, pymm
out = sys.argv[1]
gc.disable()
gc.collect()
pymm.gctrace_start(4)
for gen, n in [(0, 5), (1, 10), (2, 20), (0, 40), (2, 80), (1, 3)]:
    for i in range(n):
        a = []; b = [a]; a.append(b)
    del a, b
    print(gen, gc.collect(gen))
ev = pymm.gc_events()
print([e['generation'] for e in ev])
print([e['collected'] for e in ev])
print(all(e['examined'] >= e['collected'] and e['uncollectable'] == 0 and e['duration_ns'] > 0 for e in ev))
print(all(ev[i]['start_ns'] < ev[i + 1]['start_ns'] for i in range(len(ev) - 1)))
pymm.gctrace(out + '/' + 'py-gctrace.svg')
pymm.gctrace_stop()
print(pymm.gc_events())
try:
    pymm.gctrace_start(0)
except ValueError as e:
    print('ValueError', e)
