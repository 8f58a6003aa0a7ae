/*
 * object.c — the object header, object allocation and reference counting's
 * slow path (deallocation).  The operations on objects are in abstract.c,
 * tracking and the gc lists in gc/gc.c.
 *
 * Purpose
 *   Every object of every type goes through this file twice: once when it is
 *   allocated (pmi_object_new and friends) and once when its count reaches
 *   zero (pm_dealloc).
 *
 * Memory layout (64-bit):
 *
 *      gc types only                  all objects
 *   +-------------+-------------+ +-------------+-------------+-----------+---
 *   | gc_next     | gc_prev     | | ob_refcnt   | ob_type     | ob_size   | ...
 *   +-------------+-------------+ +-------------+-------------+-----------+---
 *   ^ pm_malloc'd block           ^ pm_object *                ^ varobjects
 *   |<-------- 16 bytes -------->|<-------- 16 bytes -------->|
 *
 * Invariants
 *   - A live object's ob_refcnt is >= 1, or >= PM_IMMORTAL_REFCNT for the
 *     static objects (which are never written).
 *   - A gc object is tracked (gc_next != 0) iff it is in one of the
 *     runtime's generation lists; allocation returns it untracked, and
 *     pmi_object_free untracks it if the type's dealloc did not.
 *   - rt->dealloc.pending holds only objects whose count reached zero; each
 *     is untracked and chained through its ob_refcnt field, which holds the
 *     link encoded as a negative number (pending_link), so "count <= 0"
 *     means dying whether an object is queued or being freed.  The chain is
 *     empty whenever no dealloc is running.
 *
 * Deallocation states of one object
 *
 *     live --count 0, no dealloc running--> dealloc hook runs --> freed
 *       \--count 0 inside a dealloc--> pending (chained) --popped by the
 *                                       outermost pm_dealloc loop--> freed
 *
 *   The outermost pm_dealloc is a loop: it runs one dealloc, then pops the
 *   pending chain until it is empty.  Any decref-to-zero made by a dealloc
 *   hook lands on the chain instead of recursing, so the C stack depth of
 *   freeing is one dealloc hook, however deep the structure (a list nested a
 *   million times, a chain of ten million instances).  This is QuickJS's
 *   gc_zero_ref list; CPython gets the same bound with its trashcan macros.
 *   All objects are still freed before the outermost pm_decref returns, so
 *   "freed the moment its count reaches zero" holds for the caller.
 *
 * CPython behaviour mirrored: PyObject_Init / PyObject_GC_New (untracked
 * until PyObject_GC_Track), generations[0].count counting gc allocations
 * minus gc frees, a collection possibly running inside a gc allocation
 * (_PyObject_GC_Link), the trashcan's bounded stack depth.
 */
#include "core/object.h"
#include "gc/gc.h"

/* ------------------------------------------------------------------------ */
/* Allocation                                                                */
/* ------------------------------------------------------------------------ */

pm_object *pmi_object_alloc_size(pm_runtime *rt, const pm_type *type, size_t size) {
    int gc = (type->flags & PM_TPFLAGS_GC) != 0;
    char *mem = pm_malloc(rt, size + (gc ? sizeof(pm_gc_head) : 0));
    if (!mem) return pm_err_nomem(rt);
    if (gc) {
        pm_gc_head *g = (pm_gc_head *)mem;
        g->gc_next = 0;
        g->gc_prev = 0;
        mem += sizeof(pm_gc_head);
        rt->gc.gen[0].count++;
    }
    pm_object *o = (pm_object *)mem;
    o->ob_refcnt = 1;
    o->ob_type = type;
    if (type->flags & PM_TPFLAGS_HEAPTYPE) pm_incref(rt, (pm_object *)type);
    /* gc.c: a collection may run here, before the caller fills the new
     * (untracked) object — CPython's _PyObject_GC_Link. */
    if (gc && (rt->gc.gen[0].count > rt->gc.gen[0].threshold || rt->gc.torture)) pmi_gc_on_alloc(rt);
    return o;
}

static pm_object *object_new_sized(pm_runtime *rt, const pm_type *type, pm_ssize_t nitems,
                                   int zero_items) {
    if (nitems < 0) {
        pm_err_set(rt, PM_EXC_SystemError, "negative item count");
        return NULL;
    }
    size_t basic = (size_t)type->basicsize, item = (size_t)type->itemsize;
    if (item && (size_t)nitems > (SIZE_MAX / 2 - basic) / item) return pm_err_nomem(rt);
    size_t size = basic + item * (size_t)nitems;
    pm_object *o = pmi_object_alloc_size(rt, type, size);
    if (!o) return NULL;
    memset((char *)o + sizeof(pm_object), 0,
           (zero_items ? size : basic) - sizeof(pm_object));
    if (item) ((pm_varobject *)o)->ob_size = nitems;
    return o;
}

pm_object *pmi_object_new(pm_runtime *rt, const pm_type *type) {
    return object_new_sized(rt, type, 0, 1);
}
pm_object *pmi_varobject_new(pm_runtime *rt, const pm_type *type, pm_ssize_t nitems) {
    return object_new_sized(rt, type, nitems, 0);
}
pm_object *pmi_gc_new(pm_runtime *rt, const pm_type *type) {
    return object_new_sized(rt, type, 0, 1);
}
pm_object *pmi_gc_var_new(pm_runtime *rt, const pm_type *type, pm_ssize_t nitems) {
    return object_new_sized(rt, type, nitems, 1);
}

void pmi_object_free(pm_runtime *rt, pm_object *o) {
    const pm_type *type = o->ob_type;
    if (type->flags & PM_TPFLAGS_GC) {
        pmi_gc_untrack(rt, o);
        if (rt->gc.gen[0].count > 0) rt->gc.gen[0].count--;
        pm_free(rt, PMI_AS_GC(o));
    } else {
        pm_free(rt, o);
    }
    if (type->flags & PM_TPFLAGS_HEAPTYPE) pm_decref(rt, (pm_object *)type);
}

/* ------------------------------------------------------------------------ */
/* Deallocation: the outermost call loops over the pending chain             */
/* ------------------------------------------------------------------------ */

/* The pending chain's link, stored in ob_refcnt as -1 - next: always
 * negative (NULL is -1), so a queued object never looks alive and a stray
 * decref cannot bring it to zero. */
static intptr_t pending_link(const pm_object *next) { return -1 - (intptr_t)next; }
static pm_object *pending_next(const pm_object *o) { return (pm_object *)(-1 - o->ob_refcnt); }

void pm_dealloc(pm_runtime *rt, pm_object *o) {
    PMI_IASSERT(o->ob_refcnt == 0);
    if (rt->dealloc.running) {
        /* Inside a dealloc hook: defer.  Untrack now so the collector never
         * sees an object whose ob_refcnt holds a link.  An interned str
         * leaves the intern table now too: a lookup meanwhile would find
         * it and take a reference to a queued object (a type dict freed
         * half filled, then filled again, did: the descriptors' names). */
        if (o->ob_type->flags & PM_TPFLAGS_GC) pmi_gc_untrack(rt, o);
        if (pm_str_check(o) && pm_str_is_interned(o)) pmi_intern_remove(rt, o);
        o->ob_refcnt = pending_link(rt->dealloc.pending);
        rt->dealloc.pending = o;
        return;
    }
    rt->dealloc.running = 1;
    for (;;) {
        const pm_type *type = o->ob_type;
        pm_object *mark = rt->dealloc.pending;
        if (type->dealloc) type->dealloc(rt, o);
        else pmi_object_free(rt, o);
        /* (gc.c) What this dealloc queued sits above `mark`, last released
         * first: flip it, so objects die in the order they were released and
         * each one's own releases come before its next sibling — CPython's
         * recursive order, which its finalizers and weakref callbacks show. */
        pm_object *cur = rt->dealloc.pending, *prev = mark;
        if (cur != mark && pending_next(cur) != mark) {
            while (cur != mark) {
                pm_object *next = pending_next(cur);
                cur->ob_refcnt = pending_link(prev);
                prev = cur;
                cur = next;
            }
            rt->dealloc.pending = prev;
        }
        o = rt->dealloc.pending;
        if (!o) break;
        rt->dealloc.pending = pending_next(o);
        o->ob_refcnt = 0;
    }
    rt->dealloc.running = 0;
}

void pmi_dealloc_init(pm_runtime *rt) {
    rt->dealloc.pending = NULL;
    rt->dealloc.running = 0;
}
