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

/* Storage of one cached small int: the layout of an int with one digit
 * (objects/scalar.h), 32 bytes. */
typedef struct pmi_small_int {
    pm_varobject ob_base;       /* immortal count, pm_int_type, size -1/0/1 */
    uint32_t ob_digit[2];       /* |value| in digit 0 (< 2**30) */
} pmi_small_int;

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
    pmi_small_int small_ints[PMI_NSMALLNEGINTS + PMI_NSMALLPOSINTS]; /* -5..256:
                                   int objects stored in the runtime itself,
                                   immortal, so making a runtime takes nothing
                                   from the pools and they can never fail */

    /* -- float free list (objects/float.c) -- */
    pm_object *float_free;      /* dead floats chained through ob_type */
    int float_numfree;          /* length of that chain, <= PMI_FLOAT_MAXFREELIST */

    /* -- str / bytes singletons (objects/singletons.c): '' and chr(c) for
     *    c < 256, b'' and bytes([c]); built in place at creation, immortal
     *    in this runtime (no allocation, like the small ints) -- */
#define PMI_STR_SINGLE_SLOT 80      /* one-char str: pmi_compact (72) + char + NUL, rounded */
#define PMI_BYTES_SINGLE_SLOT 48    /* one-byte bytes: header (32) + byte + NUL, rounded */
    _Alignas(16) unsigned char str_singles[257][PMI_STR_SINGLE_SLOT]; /* [c]: chr(c); [256]: '' */
    _Alignas(16) unsigned char bytes_singles[257][PMI_BYTES_SINGLE_SLOT]; /* [c]: bytes([c]); [256]: b'' */

    /* -- str (objects/str.c, intern.c) -- */
    uint64_t hash_k0, hash_k1;  /* SipHash-1-3 key of this runtime */
    pm_object **intern_slots;   /* open-addressing set of interned strs;
                                   NULL = empty, PMI_INTERN_DUMMY = deleted */
    size_t intern_mask;         /* capacity - 1 (capacity a power of two); 0 when no table */
    size_t intern_used;         /* live entries */
    size_t intern_fill;         /* live + deleted entries */

    /* GC-FIELDS: the cycle collector (gc.c) and weak references (weakref.c).
     * Generation 0's list head and count are the object layer's gc_gen0 and
     * gc_gen0_count above; the older generations and everything else the
     * collector keeps are here.  See the essay at the top of gc.c. */
    pm_gc_head gc_gen1;         /* generation 1 list head (circular) */
    pm_gc_head gc_gen2;         /* generation 2: the oldest, "long-lived" */
    pm_gc_head gc_permanent;    /* frozen objects (pm_gc_freeze): never scanned */
    pm_ssize_t gc_count1;       /* collections of generation 0 since 1 was collected */
    pm_ssize_t gc_count2;       /* collections of generation 1 since 2 was collected */
    pm_ssize_t gc_threshold0;   /* gen-0 count that triggers a collection (700) */
    pm_ssize_t gc_threshold1;   /* gen-0 collections before gen 1 is collected (10) */
    pm_ssize_t gc_threshold2;   /* gen-1 collections before gen 2 is (10) */
    pm_ssize_t gc_long_lived_total;   /* objects in gen 2 after the last full collection */
    pm_ssize_t gc_long_lived_pending; /* objects promoted into gen 2 since then */
    int gc_enabled;             /* automatic collection on (pm_gc_enable) */
    int gc_collecting;          /* 1 while a collection runs: never nested */
    int gc_debug;               /* PM_GC_DEBUG_* flags */
    int gc_torture;             /* collect at every gc allocation (config.gc_torture) */
    int gc_shutdown;            /* teardown started: finalize callbacks no longer run */
    pm_gc_generation_stats gc_stats[PM_GC_NUM_GENERATIONS]; /* per-generation totals */
    struct pmi_gc_callback_entry *gc_callbacks; /* gc.callbacks (pm_malloc'd array) */
    size_t gc_ncallbacks;       /* entries in use */
    size_t gc_callbacks_cap;    /* entries allocated */
    pm_object *gc_garbage;      /* gc.garbage: a list, made on first use; or NULL */
    FILE *gc_debug_out;         /* where DEBUG_* lines go; NULL = stderr */
    pm_unraisable_hook unraisable_hook; /* errors nobody can catch; NULL = print */
    void *unraisable_ctx;       /* the hook's argument */
    struct pmi_finalize *fin_first;   /* live weakref-finalize objects, oldest first */
    struct pmi_finalize *fin_last;    /* ... newest (the registry; each holds a ref) */
    uint64_t fin_index;         /* creation counter (exit order: newest first) */

    /* CONTAINER-FIELDS: the containers (list, tuple, dict, set, instance)
     * add their per-runtime state (free lists, ...) below this line. */
    /* -- container free lists (objects/tuple.c, list.c, dict.c); the bounds
     *    are CPython 3.11's, with their reasons in objects/containers.h -- */
#define PMI_TUPLE_NFREELISTS 20     /* tuples of length 1..20 are recycled */
#define PMI_TUPLE_MAXFREELIST 2000  /* dead tuples kept per length */
#define PMI_LIST_MAXFREELIST 80     /* dead list objects kept (not their arrays) */
#define PMI_DICT_MAXFREELIST 80     /* dead dicts kept; also 8-slot str-key tables */
    pm_object *tuple_free[PMI_TUPLE_NFREELISTS]; /* [n-1]: dead n-tuples, chained
                                   through ob_item[0] (untracked, count 0) */
    int tuple_numfree[PMI_TUPLE_NFREELISTS]; /* length of each chain */
    pm_object *list_free[PMI_LIST_MAXFREELIST]; /* dead list objects, no item array */
    int list_numfree;           /* entries used in list_free */
    pm_object *dict_free[PMI_DICT_MAXFREELIST]; /* dead dict objects */
    int dict_numfree;           /* entries used in dict_free */
    struct pmi_dict_keys *dict_keys_free[PMI_DICT_MAXFREELIST]; /* dead minimum-size
                                   (8-slot) str-key tables */
    int dict_keys_numfree;      /* entries used in dict_keys_free */

    /* -- repr recursion guard (objects/containers.c): Py_ReprEnter's list -- */
    pm_object **repr_stack;     /* containers whose repr is running (pm_malloc'd) */
    size_t repr_depth;          /* entries in use */
    size_t repr_cap;            /* entries allocated */
};

/* Called by pm_runtime_new after the allocator is up / by pm_runtime_free
 * before it is torn down.  Each returns 0 or -1 (init) and must undo itself on
 * failure.  Defined by the object layer (weak defaults in runtime.c). */
int pmi_objects_init(pm_runtime *rt);
void pmi_objects_fini(pm_runtime *rt);

#endif
