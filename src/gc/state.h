/*
 * gc/state.h — the per-runtime state of the cycle collector (gc.c,
 * gcmodule.c) and of weak references (weakref.c): rt->gc and rt->weakref.
 * Types only (pymm.h and config.h), so runtime.h can embed them by value.
 *
 *   rt->gc.gen[0] ─ gen[1] ─ gen[2]      generations, youngest first: each a
 *      .head  (circular list of gc heads)  list head, a count and a threshold
 *      .count .threshold                   (CPython's struct gc_generation)
 *   rt->gc.permanent                     frozen objects (pm_gc_freeze)
 */
#ifndef PYMM_GC_STATE_H
#define PYMM_GC_STATE_H

#include <stdio.h>
#include "pymm.h"
#include "config.h"

/* One generation.  The meaning of count differs by generation, as CPython's:
 * gen[0].count is gc allocations minus gc frees since the last collection;
 * gen[g].count (g >= 1) is the collections of generation g-1 since g was
 * last collected.  A generation is collected when its count passes its
 * threshold (gen[0]: 700, gen[1] and gen[2]: 10; config.h). */
typedef struct pmi_gc_generation {
    pm_gc_head head;            /* list head: circular, doubly linked through
                                   each object's pm_gc_head (gc/gc.h) */
    pm_ssize_t threshold;       /* count that triggers a collection */
    pm_ssize_t count;           /* see above */
} pmi_gc_generation;

/* One gc.callbacks entry. */
typedef struct pmi_gc_callback_entry {
    pm_gc_callback cb;          /* the function */
    void *ctx;                  /* its argument */
} pmi_gc_callback_entry;

typedef struct pmi_gc_state {
    pmi_gc_generation gen[PM_GC_NUM_GENERATIONS]; /* youngest first */
    pm_gc_head permanent;       /* frozen objects (pm_gc_freeze): never scanned */
    pm_ssize_t tracked;         /* objects currently tracked (all generations
                                   and the permanent one) */
    pm_ssize_t long_lived_total;   /* objects in gen 2 after the last full collection */
    pm_ssize_t long_lived_pending; /* objects promoted into gen 2 since then */
    int enabled;                /* automatic collection on (pm_gc_enable) */
    int collecting;             /* 1 while a collection runs: never nested */
    int debug;                  /* PM_GC_DEBUG_* flags */
    int torture;                /* collect at every gc allocation (config.gc_torture) */
    int shutdown;               /* teardown started: finalize callbacks no longer run */
    pm_gc_generation_stats stats[PM_GC_NUM_GENERATIONS]; /* per-generation totals */
    pmi_gc_callback_entry *callbacks; /* gc.callbacks (pm_malloc'd array) */
    size_t ncallbacks;          /* entries in use */
    size_t callbacks_cap;       /* entries allocated */
    pm_object *garbage;         /* gc.garbage: a list, made on first use; or NULL */
    FILE *debug_out;            /* where DEBUG_* lines and unraisable errors
                                   go; NULL = stderr */
    pm_unraisable_hook unraisable_hook; /* errors nobody can catch (finalizers,
                                   callbacks); NULL = print on debug_out */
    void *unraisable_ctx;       /* the hook's argument */
    struct pmi_gctrace *trace;  /* the event ring of pm_gctrace_start, or NULL
                                   (off: one pointer test per collection) */
} pmi_gc_state;

/* gctrace.c: called by pmi_gc_collect around a collection when trace is set. */
void pmi_gctrace_begin(struct pm_runtime *rt, int generation, pm_gc_event *ev);
void pmi_gctrace_end(struct pm_runtime *rt, pm_gc_event *ev, pm_ssize_t collected, pm_ssize_t uncollectable);

/* weakref.c: the registry of weakref-finalize objects (atexit order). */
typedef struct pmi_weakref_state {
    struct pmi_finalize *fin_first; /* live finalize objects, oldest first */
    struct pmi_finalize *fin_last;  /* ... newest (the registry holds a ref to each) */
    uint64_t fin_index;         /* creation counter (exit order: newest first) */
} pmi_weakref_state;

#endif
