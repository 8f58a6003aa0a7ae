/*
 * runtime.h — pm_runtime: the one object that owns every subsystem, and the
 * map of the whole runtime.
 *
 * libpymm keeps no mutable process-global state.  Everything a program
 * changes — arenas and pools, the collector's generations, the intern table,
 * the free lists, the pending error, the fault-injection countdown — hangs
 * off a pm_runtime.  A runtime is used by one thread at a time; several may
 * live in one process.  Only const tables and immortal objects (the static
 * types, None/True/False, ...) are static, and they are never written.
 *
 * The map.  One member per subsystem; each member's type is defined beside
 * the code that owns it, and only that code writes it:
 *
 *   pm_runtime
 *   ├── config      pm_config (pymm.h)       the options it was created with
 *   ├── mem         pmi_mem (mem/mem.h)      mem.c pool.c arena.c debug.c stats.c
 *   │                 regions → arenas → pools → blocks, the large-block
 *   │                 table, the debug quarantine, the fault countdown
 *   ├── err         core/state.h             error.c: pending exception
 *   ├── dealloc     core/state.h             object.c: deferred-free chain
 *   ├── hash        core/state.h             hash.c: SipHash key
 *   ├── intern      core/state.h             intern.c: interned strs
 *   ├── recursion   core/state.h             recursion.c: depth and limit
 *   ├── gc          pmi_gc_state (gc/state.h)  gc.c gcmodule.c
 *   │     gen[0] gen[1] gen[2]  permanent      generation lists, counts,
 *   │                                          thresholds, callbacks, garbage,
 *   │                                          the unraisable hook
 *   ├── weakref     gc/state.h               weakref.c: finalize registry
 *   ├── small_ints  objects/state.h          int.c: -5..256, immortal
 *   ├── freelists   objects/state.h          float.c tuple.c list.c dict.c
 *   ├── repr        objects/state.h          containers.c: repr guard
 *   ├── singles     objects/state.h          singletons.c: '', chr(c<256),
 *   │                                          b'', bytes([c]), immortal
 *   └── host, teardown_hook                  runtime.c: the embedder's
 *
 * Data path.  An object is born in core/object.c (pmi_object_alloc_size →
 * pm_malloc in mem/mem.c → the pools), joins gen[0] when tracked, may move
 * to gen[1] and gen[2] as it survives collections (gc/gc.c), and dies either
 * by its count reaching zero (core/object.c pm_dealloc → its type's dealloc
 * → pmi_object_free → pm_free) or as cyclic garbage (gc/gc.c delete_garbage
 * breaks the cycle, then the same path).  A freed block goes down
 * mem → (debug →) pools → arenas, never back up.
 *
 * Start-up and teardown (runtime.c) call each subsystem's init and fini in
 * one visible order; no subsystem starts another.
 *
 *   new:   mem → err, dealloc, hash, recursion → gc → small ints →
 *          free lists, repr
 *   free:  teardown hook → gc (atexit finalizers, last collection) →
 *          free lists, repr → small ints → intern table → mem
 *
 * The gc lists.  Every tracked gc object is in exactly one of gen[0..2] or
 * permanent: a circular, doubly linked list threaded through the 16-byte
 * pm_gc_head in front of the object, whose list head lives in the runtime
 * (rt->gc.gen[g].head).  An untracked object has gc_next == 0.  Generation 0
 * collects the young; survivors of a collection of generation g move to
 * g + 1.  gc/gc.h holds the list primitives and states the invariant that
 * pm_gc_check (gc/gc.c) walks; docs/gc.md walks through a collection.
 */
#ifndef PYMM_RUNTIME_H
#define PYMM_RUNTIME_H

#include "pymm.h"
#include "config.h"
#include "mem/mem.h"
#include "core/state.h"
#include "gc/state.h"
#include "objects/state.h"

struct pm_runtime {
    pm_config config;           /* options the runtime was created with */
    pmi_mem mem;                /* the allocator (mem/): first, as the fast
                                   paths of pm_malloc/pm_free read it */
    pmi_err_state err;          /* pending error (core/error.c) */
    pmi_dealloc_state dealloc;  /* deferred deallocation (core/object.c) */
    pmi_hash_state hash;        /* SipHash key (core/hash.c) */
    pmi_intern_state intern;    /* interned strs (core/intern.c) */
    pmi_recursion_state recursion; /* recursion guard (core/recursion.c) */
    pmi_types_state types;      /* static types' dicts/MROs, method cache (core/type.c) */
    pmi_gc_state gc;            /* the cycle collector (gc/gc.c) */
    pmi_weakref_state weakref;  /* weakref-finalize registry (gc/weakref.c) */
    pmi_small_int small_ints[PMI_NSMALLNEGINTS + PMI_NSMALLPOSINTS]; /* -5..256:
                                   int objects stored in the runtime itself,
                                   immortal, so making a runtime takes nothing
                                   from the pools and they can never fail
                                   (objects/int.c) */
    pmi_freelists freelists;    /* dead objects kept for reuse (objects/) */
    pmi_repr_state repr;        /* repr recursion guard (objects/containers.c) */
    uint64_t dict_version_next; /* objects/dict.c: dicts made so far; a new dict's
                                   version starts at this << 32, so no two
                                   dicts share a version (the VM's LOAD_GLOBAL
                                   caches trust a version alone) */
    pmi_singletons singles;     /* '' / one-char str / b'' / one-byte bytes,
                                   built in place, immortal (objects/singletons.c) */
    void *host;                 /* the embedder's pointer (pm_runtime_set_host);
                                   never read by the library */
    volatile sig_atomic_t interrupt; /* set by pm_runtime_interrupt (a signal
                                   handler); polled and cleared by the
                                   embedder's VM, never read by the library */
    pm_teardown_hook teardown_hook; /* called first by pm_runtime_free, before
                                   the last collection; or NULL */
    void *teardown_ctx;         /* its argument */
    pm_globals_hook globals_hook; /* the running code's globals, for type()'s
                                   __module__ (pm_runtime_set_globals_hook); or NULL */
    void *globals_ctx;          /* its argument */
};

/* ---- init / fini of each subsystem, called by runtime.c only ------------- */
/* An init returns 0, or -1 having undone itself; fini never fails.  The
 * declarations are here so that the order in runtime.c is the whole story. */
int pmi_mem_init(pm_runtime *rt);           /* mem/mem.c */
void pmi_mem_fini(pm_runtime *rt);
void pmi_err_init(pm_runtime *rt);          /* core/error.c */
void pmi_err_fini(pm_runtime *rt);          /* core/error.c */
void pmi_dealloc_init(pm_runtime *rt);      /* core/object.c */
void pmi_hash_init(pm_runtime *rt);         /* core/hash.c */
void pmi_singletons_init(pm_runtime *rt);   /* objects/singletons.c (no allocation) */
void pmi_recursion_init(pm_runtime *rt);    /* core/recursion.c */
void pmi_intern_fini(pm_runtime *rt);       /* core/intern.c */
void pmi_types_fini(pm_runtime *rt);        /* core/type.c (init: zeroed by calloc) */
void pmi_gc_init(pm_runtime *rt);           /* gc/gc.c */
void pmi_gc_fini(pm_runtime *rt);
int pmi_int_init(pm_runtime *rt);           /* objects/int.c */
void pmi_int_fini(pm_runtime *rt);
int pmi_containers_init(pm_runtime *rt);    /* objects/containers.c */
void pmi_containers_fini(pm_runtime *rt);
size_t pmi_float_freelist_clear(pm_runtime *rt); /* objects/float.c */

#endif
