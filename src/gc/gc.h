/*
 * gc.h — internal interface of the cycle collector (gc.c) and of weak
 * references (weakref.c), grouped by the defining file.  The public API is
 * pymm.h's "Garbage collector" and "Weak references" sections.
 */
#ifndef PYMM_GC_H
#define PYMM_GC_H

#include "core/object.h"

/* ---- gc.c ---------------------------------------------------------------- */

/* One gc.callbacks entry. */
typedef struct pmi_gc_callback_entry {
    pm_gc_callback cb;          /* the function */
    void *ctx;                  /* its argument */
} pmi_gc_callback_entry;

/* Set up / tear down the collector's per-runtime state.  init cannot fail
 * (it allocates nothing).  fini runs the pending atexit finalize callbacks,
 * makes a last full collection and drops the garbage list and callbacks; it
 * runs before anything else of the object layer is torn down. */
void pmi_gc_init(pm_runtime *rt);
void pmi_gc_fini(pm_runtime *rt);
/* Called by pmi_object_alloc_size after a gc allocation raised generation
 * 0's count past its threshold (or in torture mode): collects if enabled,
 * not already collecting and no error is pending (CPython's
 * _PyObject_GC_Link). */
void pmi_gc_on_alloc(pm_runtime *rt);
/* PyObject_CallFinalizerFromDealloc: o's count is 0; run its finalizer once
 * (tracked during the call).  Returns 1 when the finalizer resurrected o. */
int pmi_gc_finalize_from_dealloc(pm_runtime *rt, pm_object *o);
/* 1 when o is queued on the deferred-dealloc chain (its count is a link). */
int pmi_gc_is_dying(pm_runtime *rt, const pm_object *o);

/* ---- weakref.c ----------------------------------------------------------- */

/* A weak reference (CPython's PyWeakReference, 64 bytes + gc head = 80,
 * sys.getsizeof(weakref.ref(x)) in 3.11). */
typedef struct pmi_weakref {
    pm_object ob_base;          /* refcount + &pm_weakref_type */
    pm_object *wr_object;       /* the referent (not owned); NULL once dead */
    pm_weakref_callback wr_cb;  /* callback or NULL */
    pm_object *wr_data;         /* owned argument of the callback, or NULL */
    pm_hash_t hash;             /* hash of the referent, cached; -1 = not yet */
    struct pmi_weakref *wr_prev; /* neighbours in the referent's list */
    struct pmi_weakref *wr_next;
} pmi_weakref;

/* The head of o's weakref list (a pm_object * field of o holding the first
 * pmi_weakref, or NULL), or NULL when o's type has none. */
static inline pm_object **pmi_weakref_listptr(pm_object *o) {
    pm_ssize_t off = o->ob_type->weaklistoffset;
    return off > 0 ? (pm_object **)(void *)((char *)o + off) : NULL;
}
static inline int pmi_weakref_check(const pm_object *o) { return o->ob_type == &pm_weakref_type; }
/* _PyWeakref_ClearRef: unlink wr from its referent's list and mark it
 * dead, keeping the callback (the collector decides about it). */
void pmi_weakref_clear_ref(pmi_weakref *wr);
/* Call wr's callback (if it still has one) and drop it; errors reported as
 * unraisable.  wr borrowed. */
void pmi_weakref_run_callback(pm_runtime *rt, pmi_weakref *wr);
/* PyObject_ClearWeakRefs: o's count is 0; clear every weakref to it and run
 * their callbacks.  Never allocates. */
void pmi_weakref_clear_all(pm_runtime *rt, pm_object *o);
/* Teardown: run the atexit finalize callbacks newest first, then drop the
 * registry. */
void pmi_finalize_atexit(pm_runtime *rt);

#endif
