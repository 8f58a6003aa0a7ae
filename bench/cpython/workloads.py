"""Allocation-heavy Python workloads for `make bench-cpython`.

usage: <python> workloads.py <workload> [scale]

Each workload only uses the standard library and prints a checksum, so the
three interpreters compared (pymm-python with pymm, pymm-python with
PYMM_OFF=1, stock python3.11) can be seen to do the same work.  Sizes are
chosen for about 1-3 s on the pyenv build; scale multiplies the work.

  churn     object churn: short-lived tuples, floats, small lists, instances
            (with and without __slots__) and bound methods, with a sliding
            window of survivors, so frees interleave with allocations across
            many size classes.
  dictlist  building containers: lists of small dicts, big dicts keyed by
            str and int, dict and list comprehensions, then dropping them;
            exercises growing (realloc) and peak memory.
  gctree    a gc-heavy tree build: binary trees whose nodes point back to
            their parent (every node is in a cycle), built and dropped
            repeatedly, so the cycle collector frees everything.
  json      JSON round trips: a nested document of dicts, lists, strs, ints
            and floats, dumps -> loads -> dumps again, repeated.
"""
import gc
import json
import sys
from collections import deque


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm1(self):
        return abs(self.x) + abs(self.y)


class SlotPoint:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


def churn(scale):
    window = deque(maxlen=2000)
    acc = 0
    for i in range(int(1_800_000 * scale)):
        p = Point(i, -i)
        s = SlotPoint(float(i), i * 0.5)
        t = (i, p, s, [i, i + 1])
        m = p.norm1
        acc += m() + int(s.y)
        if i % 3 == 0:
            window.append(t)        # a survivor; the 2000th oldest dies
        if i % 7 == 0:
            window.append(str(i) * (i % 5 + 1))
    return acc + len(window)


def dictlist(scale):
    acc = 0
    for r in range(int(6 * scale)):
        rows = [{"id": i, "name": "n%d" % i, "tags": [i % 7, i % 11]}
                for i in range(120_000)]
        by_name = {row["name"]: row for row in rows}
        by_id = {}
        for row in rows:
            by_id[row["id"]] = row["tags"]
        groups = {}
        for row in rows:
            groups.setdefault(row["id"] % 97, []).append(row["id"])
        squares = [i * i for i in range(100_000)]
        acc += len(by_name) + len(by_id) + len(groups) + squares[-1] % 1000 + r
        del rows, by_name, by_id, groups, squares
    return acc


class Node:
    def __init__(self, parent, depth):
        self.parent = parent
        if depth > 0:
            self.left = Node(self, depth - 1)
            self.right = Node(self, depth - 1)
        else:
            self.left = self.right = None

    def count(self):
        n = 1
        stack = [self]
        while stack:
            node = stack.pop()
            if node.left is not None:
                stack.append(node.left)
                stack.append(node.right)
                n += 2
        return n


def gctree(scale):
    acc = 0
    long_lived = Node(None, 14)             # survives, gets promoted
    for r in range(int(24 * scale)):
        t = Node(None, 14 + r % 3)
        acc += t.count()
        del t                               # only the collector can free it
    acc += long_lived.count()
    return acc + gc.collect()


def make_doc(n):
    return {
        "users": [{"id": i, "name": "user%d" % i, "score": i * 1.25,
                   "active": i % 2 == 0, "tags": ["t%d" % (i % 13), "x"],
                   "addr": {"street": "%d Main St" % i, "zip": "%05d" % i}}
                  for i in range(n)],
        "meta": {"count": n, "source": "bench"},
    }


def json_roundtrip(scale):
    doc = make_doc(20_000)
    acc = 0
    for r in range(int(12 * scale)):
        text = json.dumps(doc)
        back = json.loads(text)
        again = json.dumps(back, sort_keys=True)
        acc += len(text) + len(again) + len(back["users"])
    return acc


WORKLOADS = {"churn": churn, "dictlist": dictlist, "gctree": gctree,
             "json": json_roundtrip}

if __name__ == "__main__":
    name = sys.argv[1]
    scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    print("%s checksum=%d" % (name, WORKLOADS[name](scale)))
