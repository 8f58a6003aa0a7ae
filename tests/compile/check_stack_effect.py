#!/usr/bin/env python3
"""pmi_stack_effect (via the stackeffect_table program) == dis.stack_effect."""
import dis, subprocess, sys
out = subprocess.run([sys.argv[1]], check=True, capture_output=True, text=True).stdout
bad = n = 0
for line in out.splitlines():
    op, arg, jump, eff = map(int, line.split())
    j = None if jump < 0 else bool(jump)
    if op == 0:   # CACHE: dis refuses it? compare what dis says
        pass
    try:
        ref = dis.stack_effect(op, arg if op >= dis.HAVE_ARGUMENT else None, jump=j)
    except ValueError:
        continue
    n += 1
    if ref != eff:
        bad += 1
        if bad < 20:
            print("opcode %s (%d) arg %d jump %s: pymm %d, python3 %d" % (dis.opname[op], op, arg, j, eff, ref))
print("%d/%d stack effects equal" % (n - bad, n))
sys.exit(1 if bad or n < 1000 else 0)
