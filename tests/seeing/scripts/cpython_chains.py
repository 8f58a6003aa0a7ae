# chains.py's known answers under CPython (pymm-python's _pymm, through
# gc.get_referrers): chains.py's shared cases run here as they are written,
# in this module's globals (so the roots are named __main__.__dict__[...]),
# with _pymm standing in for pymm.
import os, sys
import _pymm as pymm

sys.modules['pymm'] = pymm
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'chains.py')
with open(path) as fh:
    shared = fh.read().split('# ---- pymm only:')[0]
exec(compile(shared, path, 'exec'))

# the heap map of CPython's own heap on pymm
d = pymm.heapmap(sys.argv[1] + '/cpython-heapmap.svg')
print(d['matches_stats'], d['pools_in_use'] > 10, pymm.trim() >= 0)
