#!/usr/bin/env python3
"""Seed programs for fuzz_api (tests/fuzz/fuzz_api.c), one per defect class
the harness must reach quickly: huge-step slices of each sequence type,
s[::None], '' * huge, empty-list slices, memoryview slices, deep and
self-containing structures, a gc graph with finalizers and weakref
callbacks, fault injection, raw sizes.  The bytes follow the harness's
reader exactly (op byte % 13 selects the step; see LLVMFuzzerTestOneInput).

    python3 make_seeds.py OUTDIR     (ctest passes the files with -seed_inputs)
"""
import os
import sys

MAKE, GENERIC, LIST, STR, CONTAINER, MV, RAW, GC, FAULT, SEQ = 0, 3, 5, 6, 7, 8, 9, 10, 11, 12
INTPTR_MAX, INTPTR_MIN, NEG_INTPTR_MAX, TWO62 = 110, 111, 113, 114   # pick_ssize special bytes


def small(v):
    """pick_ssize byte for a small value -8..15."""
    assert -8 <= v <= 15
    return v + 8


def idx_obj(v=None, huge=None):
    """pick_index_obj bytes: None, 10**30 (huge=+1/-1), or pick_ssize."""
    if huge is not None:
        return [1 if huge > 0 else 9]
    if v is None:
        return [0]
    return [2, v]


def seq(kind, n, action, fields):
    return [SEQ, kind, n, action] + fields


def slice3(a, b, c):
    return idx_obj(*a) + idx_obj(*b) + idx_obj(*c)


N = (None,)
seeds = {}
# extended slices with steps near 2**63 - 1 on str, bytes, tuple, list, bytearray
for kind in range(5):
    for action in range(4):
        seeds[f"huge_step_k{kind}_a{action}"] = seq(kind, 5, action,
                                                   slice3((small(1),), N, (None, 1)))
        seeds[f"huge_step2_k{kind}_a{action}"] = seq(kind, 4, action,
                                                    slice3((small(2),), N, (INTPTR_MAX,)))
        seeds[f"neg_step_k{kind}_a{action}"] = seq(kind, 5, action,
                                                  slice3(N, N, (NEG_INTPTR_MAX,)))
# s[a:b:None] and '' * huge through the C-integer str API
seeds["str_step_none"] = seq(0, 5, 4, [0, 0, 0])
seeds["str_repeat_empty"] = seq(0, 0, 5, [0, 0, 1, INTPTR_MAX])
# slices of an empty list
seeds["empty_list_get_slice"] = seq(3, 0, 4, [small(0), small(0)])
seeds["empty_list_subscript"] = seq(3, 0, 0, slice3(N, N, N))
# memoryview slices with huge steps
seeds["mv_huge_step"] = seq(1, 5, 3, slice3((small(1),), N, (TWO62,)))
seeds["mv_huge_step_ba"] = seq(4, 5, 3, slice3((small(1),), N, (None, 1)))
# deep nesting and self-containing lists: repr / str / compare
deep = [MAKE, 0, 15, 0xd0, 0x07, MAKE, 1, 15, 0xd0, 0x07]          # depth 2000 in slots 0, 1
seeds["deep_repr"] = deep + [GENERIC, 0, 0, 0, GENERIC, 0, 1, 3, 2]
selfref = [MAKE, 0, 15, 0, 0, MAKE, 1, 15, 0, 0]                  # a = [a], b = [b]
seeds["self_compare"] = selfref + [GENERIC, 0, 1, 3, 2, GENERIC, 0, 0, 1]
# a gc graph: nodes pointing at each other, weakref with callback, finalize, collect
graph = [MAKE, 0, 12, 7, 1, 2, MAKE, 1, 12, 1, 0, 0, MAKE, 2, 12, 3, 1, 0,
         GC, 1, 0, 1, 3, 3, GC, 3, 1, 2, GC, 4, 2, GC, 8, 1, 2]
seeds["gc_graph"] = graph + [MAKE, 0, 0] + [0] * 8 + [MAKE, 1, 0] + [0] * 8 + [GC, 0, 2]
# fault injection in the middle of list work
seeds["faults"] = [MAKE, 0, 7, 3, 1, 1, 1, FAULT, 70, LIST, 0, 0, 0, LIST, 0, 0, 3,
                   FAULT, 230, MAKE, 2, 7, 2, 0, 0, FAULT, 0, LIST, 0, 0, 4, 0]
# raw memory across the small/large boundary
seeds["raw"] = [RAW, 0, 0, 10, 17, 0x5a, RAW, 1, 0, 10, 18, 0xa5, RAW, 0, 2, 10, 19,
                RAW, 1, 3, 0, 0, RAW, 2, 1, 10, 9, 0x11, RAW, 3, 4, 0, 0]
# memoryview casts and attributes
seeds["mv_cast"] = [MAKE, 0, 6, 0, 48] + list(range(48)) + [MAKE, 1, 14, 0,
                    MV, 1, 0, 9, 3, 2, 3, 2, 2, MV, 2, 4, MV, 2, 11, 7, MV, 2, 1, 1, 8, TWO62, 3]

out = sys.argv[1] if len(sys.argv) > 1 else "seeds"
os.makedirs(out, exist_ok=True)
for name, prog in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([0]) + bytes(b & 0xff for b in prog))     # mode byte 0 first
print(",".join(os.path.join(out, n) for n in seeds))
