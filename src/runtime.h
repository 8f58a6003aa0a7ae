/*
 * runtime.h — pm_runtime: the one object that owns every subsystem.
 *
 * libpymm keeps no mutable process-global state.  Everything an embedder's
 * program changes — arenas, pools, statistics, the fault-injection countdown,
 * (later) the object layer's caches and the collector's generations — hangs
 * off a pm_runtime.  A runtime is used by one thread at a time; several may
 * live in one process.  Only const tables and immortal objects are static.
 *
 *   pm_runtime
 *   ├── alloc   (pmi_alloc, alloc.h)   regions → arenas → pools → blocks,
 *   │                                   large-block table, statistics, debug
 *   ├── fault   countdown for allocation-failure injection
 *   └── object layer state (objects/, gc, intern table, ...)  — see below
 *
 * Sections below are owned by the file named in their heading; add fields
 * there, with a comment on each.
 */
#ifndef PYMM_RUNTIME_H
#define PYMM_RUNTIME_H

#include "pymm.h"
#include "alloc.h"
#include "objconfig.h"

struct pm_runtime {
    /* ---- allocator (alloc.c, arena.c, debugalloc.c) ---- */
    pmi_alloc alloc;            /* the pymalloc-style allocator state */
    pm_config config;           /* options the runtime was created with */

    /* ---- fault injection (alloc.c) ---- */
    long fault_countdown;       /* >0: allocations left before one fails; 0: off */
    long fault_fired;           /* allocations failed by the hook since set */
    int fault_persistent;       /* after the first injected failure, keep failing */

    /* ---- object layer (objects/, object.c, ...) ---- */
    /* OBJECT-LAYER-FIELDS: the object layer adds its per-runtime state here. */
    /* -- error state (error.c) -- */
    pm_exc err_kind;            /* pending exception kind; PM_EXC_NONE: none */
    char err_msg[PM_ERR_MSG_MAX]; /* its message: a fixed buffer, so setting
                                   MemoryError never needs memory */

    /* -- deferred deallocation (object.c) -- */
    pm_object *dealloc_pending; /* objects whose count reached zero while a
                                   dealloc ran, chained through ob_refcnt */
    int dealloc_running;        /* 1 while pm_dealloc's loop is active */

    /* -- gc bookkeeping for the collector (object.c; gc.c extends) -- */
    pm_gc_head gc_gen0;         /* list head of generation 0 (circular,
                                   doubly linked through pm_gc_head) */
    pm_ssize_t gc_gen0_count;   /* gc allocations minus gc frees since the
                                   last collection (CPython's generations[0].count) */
    pm_ssize_t gc_tracked;      /* objects currently tracked (all generations) */

    /* -- small ints (objects/int.c) -- */
    pm_object *small_ints[PMI_NSMALLNEGINTS + PMI_NSMALLPOSINTS]; /* -5..256, each
                                   holding one reference owned by the runtime */

    /* -- float free list (objects/float.c) -- */
    pm_object *float_free;      /* dead floats chained through ob_type */
    int float_numfree;          /* length of that chain, <= PMI_FLOAT_MAXFREELIST */

    /* -- str (objects/str.c, intern.c) -- */
    uint64_t hash_k0, hash_k1;  /* SipHash-1-3 key of this runtime */
    pm_object **intern_slots;   /* open-addressing set of interned strs;
                                   NULL = empty, PMI_INTERN_DUMMY = deleted */
    size_t intern_mask;         /* capacity - 1 (capacity a power of two); 0 when no table */
    size_t intern_used;         /* live entries */
    size_t intern_fill;         /* live + deleted entries */

    /* CONTAINER-FIELDS: the containers (list, tuple, dict, set, instance)
     * add their per-runtime state (free lists, ...) below this line. */
};

/* Called by pm_runtime_new after the allocator is up / by pm_runtime_free
 * before it is torn down.  Each returns 0 or -1 (init) and must undo itself on
 * failure.  Defined by the object layer (weak defaults in runtime.c). */
int pmi_objects_init(pm_runtime *rt);
void pmi_objects_fini(pm_runtime *rt);

#endif
