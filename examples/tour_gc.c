/*
 * tour_gc.c — the seed's "Garbage Collection" and "Circular References"
 * parts of the C tour (`make run`):
 *
 *   class Node:
 *       def __init__(self):
 *           self.ref = None
 *   a = Node()
 *   b = Node()
 *   a.ref = b
 *   b.ref = a  # Now a and b reference each other
 *   # Deleting a and b won't free their memory unless GC runs
 *
 * It shows the two references each node holds, that dropping our names
 * leaves the pair alive (each count stays at 1: reference counting alone
 * cannot free a cycle), that a weak reference still finds it, and that one
 * gc.collect() frees it — with the count CPython reports for the same
 * objects, gc's DEBUG_STATS lines, and the weakref's callback running.
 *
 * pm_tour_gc(rt, out) prints the tour to out; returns 0, or -1 if something
 * did not behave as shown (the demo then fails).  rt's automatic collection
 * is paused during the tour (as gc.disable()) so the counts are exactly
 * those of the explicit collection, and restored afterwards.
 */
#include <stdio.h>
#include "pymm.h"

int pm_tour_gc(pm_runtime *rt, FILE *out);

/* The gc callback's context. */
typedef struct tour_state {
    FILE *out;                  /* where the tour prints */
    int phases;                 /* gc callbacks seen */
} tour_state;

static int gc_phase(pm_runtime *rt, const char *phase, const pm_gc_info *info, void *ctx) {
    (void)rt;
    tour_state *st = ctx;
    st->phases++;
    fprintf(st->out, "  gc.callbacks: phase=%-5s {'generation': %d, 'collected': %ld, 'uncollectable': %ld}\n",
            phase, info->generation, (long)info->collected, (long)info->uncollectable);
    return 0;
}

int pm_tour_gc(pm_runtime *rt, FILE *out) {
    int rc = -1, was_enabled = pm_gc_isenabled(rt);
    tour_state st = {out, 0};
    pm_object *Node = NULL, *a = NULL, *b = NULL, *wr = NULL, *none = NULL;
    pm_gc_disable(rt);
    pm_gc_collect(rt, 2);                           /* start from a clean heap */
    fprintf(out, "== Garbage collection: a cycle that reference counting cannot free ==\n");
    if (!(Node = pm_class_new(rt, "__main__.Node", NULL, 0))) goto done;
    if (!(a = pm_instance_new(rt, Node)) || !(b = pm_instance_new(rt, Node))) goto done;
    if (pm_instance_setattr_cstr(rt, a, "ref", PM_NONE) < 0) goto done;
    if (pm_instance_setattr_cstr(rt, b, "ref", PM_NONE) < 0) goto done;
    fprintf(out, "  a = Node(); b = Node()              refcounts: a %ld, b %ld\n",
            (long)pm_refcnt(rt, a), (long)pm_refcnt(rt, b));
    if (pm_instance_setattr_cstr(rt, a, "ref", b) < 0) goto done;
    if (pm_instance_setattr_cstr(rt, b, "ref", a) < 0) goto done;
    fprintf(out, "  a.ref = b; b.ref = a                refcounts: a %ld, b %ld  (our name + the other's ref)\n",
            (long)pm_refcnt(rt, a), (long)pm_refcnt(rt, b));
    if (!(wr = pm_weakref_new(rt, a, NULL, NULL))) goto done;
    pm_object *objs = pm_gc_get_objects(rt, -1);
    if (!objs) goto done;
    fprintf(out, "  tracked by gc: %ld objects  (the 2 nodes and the weakref)\n",
            (long)pm_list_size(objs));
    pm_decref(rt, objs);

    pm_decref(rt, a);                               /* del a */
    pm_object *bb = b;
    b = NULL;
    pm_decref(rt, bb);                              /* del b */
    a = pm_weakref_get(rt, wr);                     /* still there */
    if (!a || a == PM_NONE) goto done;
    if (!(b = pm_instance_getattr_cstr(rt, a, "ref"))) goto done;
    fprintf(out, "  del a, b                            refcounts: a %ld, b %ld  (each kept by the other)\n",
            (long)pm_refcnt(rt, a) - 1, (long)pm_refcnt(rt, b) - 1);
    pm_decref(rt, b);
    b = NULL;
    fprintf(out, "  weakref to a: %s\n", pm_weakref_is_alive(rt, wr) ? "alive - the cycle leaks without gc" : "dead");
    pm_decref(rt, a);
    a = NULL;

    fprintf(out, "  gc.isenabled() -> %s (paused for the tour); gc.get_threshold() -> ",
            was_enabled ? "True" : "False");
    pm_ssize_t th[3], count[3];
    pm_gc_get_threshold(rt, th);
    pm_gc_get_count(rt, count);
    fprintf(out, "(%ld, %ld, %ld); gc.get_count() -> (%ld, %ld, %ld)\n", (long)th[0], (long)th[1],
            (long)th[2], (long)count[0], (long)count[1], (long)count[2]);

    fprintf(out, "  gc.set_debug(gc.DEBUG_STATS); gc.collect():\n");
    if (pm_gc_callback_add(rt, gc_phase, &st) < 0) goto done;
    pm_gc_set_debug_output(rt, out);
    pm_gc_set_debug(rt, PM_GC_DEBUG_STATS);
    pm_ssize_t n = pm_gc_collect(rt, 2);
    pm_gc_set_debug(rt, 0);
    pm_gc_set_debug_output(rt, NULL);
    pm_gc_callback_remove(rt, gc_phase, &st);
    fprintf(out, "  gc.collect() -> %ld   (the two nodes, as CPython 3.11 reports)\n", (long)n);
    if (!(none = pm_weakref_get(rt, wr))) goto done;
    fprintf(out, "  weakref to a: %s\n", none == PM_NONE ? "dead - the cycle is freed" : "alive?!");
    if (n != 2 || none != PM_NONE || st.phases != 2) goto done;
    rc = 0;
done:
    if (rc < 0) fprintf(out, "  tour_gc: unexpected result (%s %s)\n", pm_exc_name(pm_err_kind(rt)),
                        pm_err_message(rt));
    pm_err_clear(rt);
    pm_xdecref(rt, none);
    pm_xdecref(rt, wr);
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    pm_xdecref(rt, Node);
    if (was_enabled) pm_gc_enable(rt);
    return rc;
}
