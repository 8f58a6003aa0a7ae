/*
 * gc.h — internal interface of the cycle collector (gc.c, gcmodule.c) and of
 * weak references (weakref.c), grouped by the defining file; and the gc list
 * primitives, defined once here.  The public API is pymm.h's "Garbage
 * collector" and "Weak references" sections; the state is gc/state.h.
 *
 * The lists.  A gc list is circular and doubly linked through the pm_gc_head
 * in front of each object; its head is a pm_gc_head that is no object's
 * (rt->gc.gen[g].head, rt->gc.permanent, or a local list in a collection).
 *
 *     head <-> obj1 <-> obj2 <-> ... <-> objN <-> head
 *
 * Invariant (checked by pm_gc_check, and after every full collection at
 * PM_DEBUG 3): outside a collection every tracked object is in exactly one
 * of gen[0..2] and permanent, each a consistent ring (g->next->prev == g),
 * every member's type is a gc type, the members number rt->gc.tracked, and
 * gc_prev holds a pointer and at most the FINALIZED bit.  An untracked gc
 * object has gc_next == 0.  During a collection gc_prev may hold gc_refs
 * instead of a pointer, and gc_next the NEXT_UNREACHABLE flag (gc.c).
 */
#ifndef PYMM_GC_H
#define PYMM_GC_H

#include "core/object.h"

#include <stdio.h>

/* ---- the list primitives (CPython's gc_list_*) ----------------------------- */

static inline pm_gc_head *pmi_gc_next(const pm_gc_head *g) { return (pm_gc_head *)g->gc_next; }
static inline void pmi_gc_set_next(pm_gc_head *g, pm_gc_head *n) { g->gc_next = (uintptr_t)n; }
static inline pm_gc_head *pmi_gc_prev(const pm_gc_head *g) {
    return (pm_gc_head *)(g->gc_prev & PM_GC_PREV_MASK);
}
/* Set the prev pointer, keeping the flag bits below it. */
static inline void pmi_gc_set_prev(pm_gc_head *g, pm_gc_head *p) {
    g->gc_prev = (g->gc_prev & ~PM_GC_PREV_MASK) | (uintptr_t)p;
}
/* A type object is gc only when it is a class (heap type): `type` has
 * PM_TPFLAGS_GC for its heap instances, the static types are not gc. */
static inline int pmi_is_gc(const pm_object *o) {
    unsigned long f = o->ob_type->flags;
    return (f & PM_TPFLAGS_GC) && (!(f & PM_TPFLAGS_TYPE_SUBCLASS) || (((const pm_type *)(const void *)o)->flags & PM_TPFLAGS_HEAPTYPE));
}

static inline void pmi_gc_list_init(pm_gc_head *l) { l->gc_next = l->gc_prev = (uintptr_t)l; }
static inline int pmi_gc_list_is_empty(const pm_gc_head *l) { return l->gc_next == (uintptr_t)l; }

/* Link node (in no list) at the end of `list`. */
static inline void pmi_gc_list_append(pm_gc_head *node, pm_gc_head *list) {
    pm_gc_head *last = pmi_gc_prev(list);
    pmi_gc_set_next(last, node);
    pmi_gc_set_prev(node, last);
    pmi_gc_set_next(node, list);
    pmi_gc_set_prev(list, node);
}

/* Unlink a tracked node from its list, at any time, also during a
 * collection: the neighbours keep their flag bits (NEXT_UNREACHABLE on the
 * previous node's gc_next), the node's own flag is not copied to them.
 * Leaves the node untracked (gc_next 0, only FINALIZED kept). */
static inline void pmi_gc_list_remove(pm_gc_head *node) {
    pm_gc_head *prev = pmi_gc_prev(node);
    pm_gc_head *next = (pm_gc_head *)(node->gc_next & ~PM_GC_NEXT_UNREACHABLE);
    prev->gc_next = (uintptr_t)next | (prev->gc_next & PM_GC_NEXT_UNREACHABLE);
    pmi_gc_set_prev(next, prev);
    node->gc_next = 0;
    node->gc_prev &= PM_GC_PREV_FINALIZED;
}

/* Move node from its list to the end of `list` (outside the unreachable
 * phase: the node's gc_next holds a plain pointer). */
static inline void pmi_gc_list_move(pm_gc_head *node, pm_gc_head *list) {
    pm_gc_head *from_prev = pmi_gc_prev(node), *from_next = pmi_gc_next(node);
    pmi_gc_set_next(from_prev, from_next);
    pmi_gc_set_prev(from_next, from_prev);
    pmi_gc_list_append(node, list);
}

/* Append every node of `from` to `to`; `from` becomes empty. */
static inline void pmi_gc_list_merge(pm_gc_head *from, pm_gc_head *to) {
    if (!pmi_gc_list_is_empty(from)) {
        pm_gc_head *to_tail = pmi_gc_prev(to), *from_head = pmi_gc_next(from),
                   *from_tail = pmi_gc_prev(from);
        pmi_gc_set_next(to_tail, from_head);
        pmi_gc_set_prev(from_head, to_tail);
        pmi_gc_set_next(from_tail, to);
        pmi_gc_set_prev(to, from_tail);
    }
    pmi_gc_list_init(from);
}

static inline pm_ssize_t pmi_gc_list_size(const pm_gc_head *l) {
    pm_ssize_t n = 0;
    for (const pm_gc_head *g = pmi_gc_next(l); g != l; g = pmi_gc_next(g)) n++;
    return n;
}

/* Where DEBUG_* lines and default unraisable reports go. */
static inline FILE *pmi_gc_debug_out(const pm_runtime *rt) {
    return rt->gc.debug_out ? rt->gc.debug_out : stderr;
}

/* ---- gc.c ---------------------------------------------------------------- */

/* Set up / tear down the collector's per-runtime state (declared in
 * core/runtime.h, called by runtime.c).  init cannot fail (it allocates
 * nothing).  fini runs the pending atexit finalize callbacks, makes a last
 * full collection and drops the garbage list and callbacks; it runs before
 * anything else of the object layer is torn down. */

/* One collection of `generation` with the gc callbacks around it
 * (rt->gc.collecting must be set by the caller).  Returns the number of
 * unreachable objects found. */
pm_ssize_t pmi_gc_collect(pm_runtime *rt, int generation);
/* (pm_gc_check, the invariant walk of the lists, is public: pymm.h.) */
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

/* core/type.c: the weakref list head of a type object (CPython's
 * tp_weaklist), kept in its per-runtime state (pmi_typestate.weaklist) so
 * that static types stay const: a heap type's is in its struct, a static
 * type's in the runtime's table.  make: create a static type's state on
 * first use (NULL + MemoryError on failure); without make NULL means no
 * state yet, hence no weakrefs.  NULL with no error for a type that has
 * no state (objects/instance.c classes: not weakly referenceable). */
pm_object **pmi_type_weaklist(pm_runtime *rt, const pm_type *t, int make);

/* The head of o's weakref list (a pm_object * field of o holding the first
 * pmi_weakref, or NULL), or NULL when o's type has none.  Type objects have
 * theirs outside the object (pmi_type_weaklist; make as there). */
static inline pm_object **pmi_weakref_listptr(pm_runtime *rt, pm_object *o, int make) {
    pm_ssize_t off = o->ob_type->weaklistoffset;
    if (off > 0) return (pm_object **)(void *)((char *)o + off);
    if (o->ob_type->flags & PM_TPFLAGS_TYPE_SUBCLASS) return pmi_type_weaklist(rt, (const pm_type *)o, make);
    return NULL;
}
/* PyWeakref_Check: a ref, an instance of a subclass of ref, or a proxy. */
static inline int pmi_weakref_check(const pm_object *o) {
    const pm_type *t = o->ob_type;
    if (t == &pm_weakproxy_type || t == &pm_weakcallableproxy_type) return 1;
    for (; t; t = t->base)
        if (t == &pm_weakref_type) return 1;
    return 0;
}
/* _PyWeakref_ClearRef: unlink wr from its referent's list and mark it
 * dead, keeping the callback (the collector decides about it). */
void pmi_weakref_clear_ref(pm_runtime *rt, pmi_weakref *wr);
/* A runtime's teardown frees a static type's state: every weakref still in
 * its list (head *list) is marked dead, quietly (no callback runs, as
 * static types never die in CPython). */
void pmi_weakref_detach_all(pm_runtime *rt, pm_object **list);
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
