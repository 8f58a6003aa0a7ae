/*
 * containers.c — what the container types share: per-runtime setup and
 * teardown (free lists), and the repr recursion guard.
 *
 * Free lists (CPython 3.11's bounds, runtime.h): tuples by length 1..20
 * (2000 each), 80 list objects, 80 dict objects and 80 minimum-size
 * str-key dict tables.  They are pure caches: pm_freelists_clear empties
 * them on request and pmi_containers_fini at runtime teardown, so after
 * either every block they held is back in the allocator.
 *
 * Repr guard (Py_ReprEnter / Py_ReprLeave): a container about to repr its
 * items pushes itself on rt->repr.stack; finding itself already there means
 * the structure is recursive and it prints "[...]" / "{...}" / "(...)"
 * instead.  The stack is the depth of nesting being printed, usually tiny;
 * it grows by doubling and is freed when the outermost repr finishes.
 */
#include "containers.h"

int pmi_repr_enter(pm_runtime *rt, pm_object *o) {
    for (size_t i = rt->repr.depth; i-- > 0;)
        if (rt->repr.stack[i] == o) return 1;
    if (rt->repr.depth == rt->repr.cap) {
        size_t cap = rt->repr.cap ? rt->repr.cap * 2 : 16;
        pm_object **s = pm_realloc(rt, rt->repr.stack, cap * sizeof(pm_object *));
        if (!s) {
            pm_err_nomem(rt);
            return -1;
        }
        rt->repr.stack = s;
        rt->repr.cap = cap;
    }
    rt->repr.stack[rt->repr.depth++] = o;
    return 0;
}

void pmi_repr_leave(pm_runtime *rt, pm_object *o) {
    /* Normally o is on top; search down in case a repr failed half-way. */
    for (size_t i = rt->repr.depth; i-- > 0;) {
        if (rt->repr.stack[i] == o) {
            for (size_t j = i; j + 1 < rt->repr.depth; j++) rt->repr.stack[j] = rt->repr.stack[j + 1];
            rt->repr.depth--;
            break;
        }
    }
    if (rt->repr.depth == 0) {
        /* The outermost repr is done: give the stack back, so that no block
         * outlives the call (one small malloc per top-level container repr,
         * next to the strings the repr builds anyway). */
        pm_free(rt, rt->repr.stack);
        rt->repr.stack = NULL;
        rt->repr.cap = 0;
    }
}

int pmi_containers_init(pm_runtime *rt) {
    for (int i = 0; i < PMI_TUPLE_NFREELISTS; i++) {
        rt->freelists.tuple_free[i] = NULL;
        rt->freelists.tuple_numfree[i] = 0;
    }
    rt->freelists.list_numfree = 0;
    rt->freelists.dict_numfree = 0;
    rt->freelists.dict_keys_numfree = 0;
    rt->repr.stack = NULL;
    rt->repr.depth = rt->repr.cap = 0;
    return 0;
}

size_t pmi_containers_freelists_clear(pm_runtime *rt) {
    return pmi_tuple_freelist_clear(rt) + pmi_list_freelist_clear(rt) + pmi_dict_freelist_clear(rt);
}

void pmi_containers_fini(pm_runtime *rt) {
    pmi_containers_freelists_clear(rt);
    pm_free(rt, rt->repr.stack);
    rt->repr.stack = NULL;
    rt->repr.depth = rt->repr.cap = 0;
}
