/*
 * core/recursion.h — the recursion guard (CPython's Py_EnterRecursiveCall /
 * Py_LeaveRecursiveCall and sys.setrecursionlimit), for the operations that
 * recurse through the objects they are given.
 *
 * repr, str and == on a container call the same operation on each item, so
 * a list nested a million deep, or two self-containing lists compared
 * (a = [a]; b = [b]; a == b), would recurse until the C stack overflows.
 * As CPython, each such call first enters the guard: the runtime counts the
 * nesting in rt->recursion.depth, and a call that would pass the limit
 * (1000 by default, CPython's) fails with RecursionError instead, with
 * CPython's text: "maximum recursion depth exceeded" + where, e.g.
 * " while getting the repr of an object", " in comparison".
 *
 *   pm_repr(x) ── enter ── list repr ── pm_repr(item) ── enter ── ...
 *                 depth 1                                 depth 2
 *   the call at depth limit + 1 fails; every enter that succeeded is left
 *   on the way out, error or not, so the depth is back to 0 afterwards.
 *
 * Entered by pm_repr, pm_str and pm_richcompare (core/object.c, as
 * PyObject_Repr / PyObject_Str / PyObject_RichCompare) and by the tuple
 * hash (objects/tuple.c; CPython has no guard there and overflows its C
 * stack on a tuple nested a million deep — pymm raises RecursionError with
 * the bare "maximum recursion depth exceeded").  The interpreter counts its
 * Python frames on the same counter (pm_enter_recursive_call), as CPython
 * 3.11 counts frames and C recursion together.
 *
 * The check is two compares and an increment; the error path is out of line.
 */
#ifndef PYMM_CORE_RECURSION_H
#define PYMM_CORE_RECURSION_H
#include "core/runtime.h"

/* Record RecursionError "maximum recursion depth exceeded<where>"; -1. */
int pmi_recursion_error(pm_runtime *rt, const char *where);

/* 0 and depth + 1, or -1 with RecursionError when the limit is reached. */
static inline int pmi_recursion_enter(pm_runtime *rt, const char *where) {
    if (rt->recursion.depth >= rt->recursion.limit) return pmi_recursion_error(rt, where);
    rt->recursion.depth++;
    return 0;
}
static inline void pmi_recursion_leave(pm_runtime *rt) {
    rt->recursion.depth--;
}
#endif
