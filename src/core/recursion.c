/*
 * core/recursion.c — the recursion guard's slow paths and public API
 * (core/recursion.h explains the guard; CPython: Python/ceval.c's
 * _Py_CheckRecursiveCall and sys.getrecursionlimit / setrecursionlimit).
 *
 * State: rt->recursion (core/state.h) — the current depth and the limit.
 * Invariant: 0 <= depth <= limit between calls of the library; every
 * successful enter is matched by one leave.
 */
#include "core/recursion.h"
#include "core/object.h"

void pmi_recursion_init(pm_runtime *rt) {
    rt->recursion.depth = 0;
    rt->recursion.limit = PMI_RECURSION_LIMIT;
}

int pmi_recursion_error(pm_runtime *rt, const char *where) {
    pm_err_format(rt, PM_EXC_RecursionError, "maximum recursion depth exceeded%s", where);
    return -1;
}

int pm_enter_recursive_call(pm_runtime *rt, const char *where) {
    return pmi_recursion_enter(rt, where ? where : "");
}

void pm_leave_recursive_call(pm_runtime *rt) {
    pmi_recursion_leave(rt);
}

int pm_get_recursion_limit(const pm_runtime *rt) {
    return rt->recursion.limit;
}

int pm_set_recursion_limit(pm_runtime *rt, int limit) {
    if (limit < 1) {
        pm_err_set(rt, PM_EXC_ValueError, "recursion limit must be greater or equal than 1");
        return -1;
    }
    if (limit <= rt->recursion.depth) {
        pm_err_format(rt, PM_EXC_RecursionError,
                      "cannot set the recursion limit to %d at the recursion depth %d: "
                      "the limit is too low", limit, rt->recursion.depth);
        return -1;
    }
    rt->recursion.limit = limit;
    return 0;
}
