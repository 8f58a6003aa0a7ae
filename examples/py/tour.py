# The guided tour of pymm: CPython 3.11's memory management, topic by
# topic, as seven short programs (tour_1_*.py ... tour_7_*.py beside this
# file).  `make run` runs it under pymm; python3 runs it too and prints the
# same, but for the lines starting with "pymm|" (pymm's own view, from its
# `pymm` module).  Each tour is printed under a heading with the words that
# open its file, then run in a fresh __main__ namespace, after a full
# collection (which also empties the free lists), so that each starts as
# it would alone: what one tour leaves behind does not show in the next.
# Arguments pick tours by number: `pymm tour.py 3 6` runs the third and sixth.
import gc
import sys

TOURS = [
    ("tour_1_refcount", "Reference counting"),
    ("tour_2_gc", "The cycle collector"),
    ("tour_3_allocator", "The small-object allocator"),
    ("tour_4_layout", "Object layout"),
    ("tour_5_cycles", "Circular references"),
    ("tour_6_memoryview", "memoryview and the buffer protocol"),
    ("tour_7_optimization", "Memory savers"),
]

HERE = __file__.rpartition("/")[0] or "."


def introduction(source):
    """The comment lines that open a tour, without their '#'."""
    lines = []
    for line in source.splitlines():
        if not line.startswith("#"):
            break
        lines.append("  " + line[1:].strip())
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def run_tour(number, name, title):
    path = HERE + "/" + name + ".py"
    with open(path) as f:
        source = f.read()
    rule = "=" * 72
    print()
    print(rule)
    print("Tour %d of %d: %s   (examples/py/%s.py)" % (number, len(TOURS), title, name))
    print(rule)
    for line in introduction(source):
        print(line.rstrip())
    print()
    code = compile(source, path, "exec")
    namespace = {"__name__": "__main__", "__file__": path}
    gc.collect()            # also empties the free lists the compiling filled
    exec(code, namespace)
    namespace.clear()       # the tour's objects go now, not at the end


print("A guided tour of CPython 3.11's memory management, as pymm rebuilds it.")
print("Every line below is what python3 prints too; lines starting with")
print("'pymm|' are pymm's own view of the same objects.")
chosen = [int(a) for a in sys.argv[1:]] or range(1, len(TOURS) + 1)
for number in chosen:
    name, title = TOURS[number - 1]
    run_tour(number, name, title)
print()
print("End of the tour.  Each topic has a design note in docs/, and the")
print("interactive prompt (build/pymm with no arguments) is there to try more.")
