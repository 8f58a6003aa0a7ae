/*
 * object.c — the object header, reference counting's slow path, object
 * allocation, the gc generation-0 list, and the generic object operations.
 *
 * Purpose
 *   Every object of every type goes through this file twice: once when it is
 *   allocated (pmi_object_new and friends) and once when its count reaches
 *   zero (pm_dealloc).  It also holds the type-generic operations (repr,
 *   hash, compare, len, item access, iteration, getsizeof) that dispatch on
 *   the hooks of pm_type, with CPython's fallbacks and error messages.
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
 * until PyObject_GC_Track), generations[0].count, do_richcompare's
 * reflected-operand order and messages, PyObject_RichCompareBool's identity
 * shortcut, sys.getsizeof adding the gc head.
 */
#include "core/object.h"
#include "gc/gc.h"
#include "core/recursion.h"

#include <stdarg.h>
#include <stdio.h>

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
    if (rt->dealloc.running) {
        /* Inside a dealloc hook: defer.  Untrack now so the collector never
         * sees an object whose ob_refcnt holds a link. */
        if (o->ob_type->flags & PM_TPFLAGS_GC) pmi_gc_untrack(rt, o);
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

/* ------------------------------------------------------------------------ */
/* Generic operations                                                        */
/* ------------------------------------------------------------------------ */

int pm_type_is_subtype(const pm_type *a, const pm_type *t) {
    for (; a; a = a->base)
        if (a == t) return 1;
    return 0;
}

static const char *type_name(const pm_object *o) { return o->ob_type->name; }

static pm_object *do_repr(pm_runtime *rt, pm_object *o) {
    const pm_type *t = o->ob_type;
    while (t && !t->repr) t = t->base;
    if (t) return t->repr(rt, o);
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "<%s object at %p>", type_name(o), (void *)o);
    return pmi_sb_finish(rt, &sb);
}

/* repr, str and comparison enter the recursion guard (core/recursion.h)
 * with CPython's texts, as PyObject_Repr / PyObject_Str /
 * PyObject_RichCompare do. */
pm_object *pm_repr(pm_runtime *rt, pm_object *o) {
    if (pmi_recursion_enter(rt, " while getting the repr of an object") < 0) return NULL;
    pm_object *r = do_repr(rt, o);
    pmi_recursion_leave(rt);
    return r;
}

pm_object *pm_str(pm_runtime *rt, pm_object *o) {
    if (pm_str_check(o)) return pm_newref(rt, o);
    if (pmi_recursion_enter(rt, " while getting the str of an object") < 0) return NULL;
    const pm_type *t = o->ob_type;
    while (t && !t->str && !t->repr) t = t->base;
    /* no str hook: the repr hook directly, as object.__str__ (one level for
     * str(x), as CPython counts it) */
    pm_object *r = t && t->str ? t->str(rt, o) : do_repr(rt, o);
    pmi_recursion_leave(rt);
    return r;
}

pm_hash_t pm_hash(pm_runtime *rt, pm_object *o) {
    if (o->ob_type->hash) return o->ob_type->hash(rt, o);
    pmi_err_type(rt, "unhashable type: '%s'", o);
    return -1;
}

static const char *const cmp_op_text[] = {"<", "<=", "==", "!=", ">", ">="};
static const int cmp_swapped[] = {PM_GT, PM_GE, PM_EQ, PM_NE, PM_LT, PM_LE};

static pm_object *do_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op);

pm_object *pm_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (op < PM_LT || op > PM_GE) {
        pm_err_set(rt, PM_EXC_SystemError, "bad comparison operator");
        return NULL;
    }
    if (pmi_recursion_enter(rt, " in comparison") < 0) return NULL;
    pm_object *r = do_richcompare(rt, a, b, op);
    pmi_recursion_leave(rt);
    return r;
}

static pm_object *do_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    const pm_type *ta = a->ob_type, *tb = b->ob_type;
    int checked_reverse = 0;
    pm_object *r;
    if (ta != tb && pm_type_is_subtype(tb, ta) && tb->richcompare) {
        checked_reverse = 1;
        r = tb->richcompare(rt, b, a, cmp_swapped[op]);
        if (r != PM_NOTIMPLEMENTED) return r;
    }
    if (ta->richcompare) {
        r = ta->richcompare(rt, a, b, op);
        if (r != PM_NOTIMPLEMENTED) return r;
    }
    if (!checked_reverse && tb->richcompare) {
        r = tb->richcompare(rt, b, a, cmp_swapped[op]);
        if (r != PM_NOTIMPLEMENTED) return r;
    }
    if (op == PM_EQ) return pm_bool_from(a == b);
    if (op == PM_NE) return pm_bool_from(a != b);
    pm_err_format(rt, PM_EXC_TypeError,
                  "'%s' not supported between instances of '%s' and '%s'",
                  cmp_op_text[op], ta->name, tb->name);
    return NULL;
}

int pm_richcompare_bool(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (a == b) {
        if (op == PM_EQ) return 1;
        if (op == PM_NE) return 0;
    }
    pm_object *r = pm_richcompare(rt, a, b, op);
    if (!r) return -1;
    int v = (r == PM_TRUE) ? 1 : (r == PM_FALSE) ? 0 : pm_is_true(rt, r);
    pm_decref(rt, r);
    return v;
}

int pm_equal(pm_runtime *rt, pm_object *a, pm_object *b) {
    return pm_richcompare_bool(rt, a, b, PM_EQ);
}

int pm_is_true(pm_runtime *rt, pm_object *o) {
    if (o == PM_TRUE) return 1;
    if (o == PM_FALSE || o == PM_NONE) return 0;
    const pm_type *t = o->ob_type;
    while (t && !t->truth && !t->length) t = t->base;
    if (!t) return 1;
    if (t->truth) return t->truth(rt, o);
    pm_ssize_t n = t->length(rt, o);
    return n < 0 ? -1 : n > 0;
}

pm_ssize_t pm_length(pm_runtime *rt, pm_object *o) {
    if (o->ob_type->length) return o->ob_type->length(rt, o);
    pmi_err_type(rt, "object of type '%s' has no len()", o);
    return -1;
}

pm_object *pm_getitem(pm_runtime *rt, pm_object *o, pm_object *key) {
    if (o->ob_type->getitem) return o->ob_type->getitem(rt, o, key);
    return pmi_err_type(rt, "'%s' object is not subscriptable", o);
}

int pm_setitem(pm_runtime *rt, pm_object *o, pm_object *key, pm_object *value) {
    if (o->ob_type->setitem) return o->ob_type->setitem(rt, o, key, value);
    pmi_err_type(rt, "'%s' object does not support item assignment", o);
    return -1;
}

int pm_delitem(pm_runtime *rt, pm_object *o, pm_object *key) {
    if (o->ob_type->delitem) return o->ob_type->delitem(rt, o, key);
    pmi_err_type(rt, "'%s' object does not support item deletion", o);
    return -1;
}

/* ---- the sequence iterator (CPython's PySeqIter): iter() of an object
 * that has getitem but no iter hook (str, bytes, bytearray) calls
 * getitem(0), getitem(1), ... until IndexError. ------------------------- */

typedef struct seqiter {
    pm_object ob_base;
    pm_ssize_t index;           /* next index to fetch */
    pm_object *seq;             /* the sequence (owned); NULL once exhausted */
} seqiter;                      /* 32 bytes + gc head: getsizeof 48, as CPython */

static void seqiter_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, ((seqiter *)self)->seq);
    pmi_object_free(rt, self);
}

static int seqiter_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    seqiter *it = (seqiter *)self;
    return it->seq ? visit(it->seq, arg) : 0;
}

static int seqiter_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((seqiter *)self)->seq);
    return 0;
}

static pm_object *seqiter_iter(pm_runtime *rt, pm_object *self) { return pm_newref(rt, self); }

static pm_object *seqiter_next(pm_runtime *rt, pm_object *self) {
    seqiter *it = (seqiter *)self;
    if (!it->seq) return NULL;
    pm_object *index = pm_int_from_ssize(rt, it->index);
    if (!index) return NULL;
    pm_object *item = pm_getitem(rt, it->seq, index);
    pm_decref(rt, index);
    if (item) {
        it->index++;
        return item;
    }
    if (pm_err_matches(rt, PM_EXC_IndexError) || pm_err_matches(rt, PM_EXC_StopIteration)) {
        pm_err_clear(rt);
        PM_CLEAR(rt, it->seq);
    }
    return NULL;
}

const pm_type pmi_seqiter_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "iterator",
    .basicsize = sizeof(seqiter),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = seqiter_dealloc,
    .traverse = seqiter_traverse,
    .clear = seqiter_clear,
    .iter = seqiter_iter,
    .iternext = seqiter_next,
};

pm_object *pm_iter(pm_runtime *rt, pm_object *o) {
    if (o->ob_type->iter) return o->ob_type->iter(rt, o);
    if (o->ob_type->getitem) {
        pm_object *it = pmi_gc_new(rt, &pmi_seqiter_type);
        if (!it) return NULL;
        ((seqiter *)it)->seq = pm_newref(rt, o);
        pmi_gc_track(rt, it);
        return it;
    }
    return pmi_err_type(rt, "'%s' object is not iterable", o);
}

pm_object *pm_iter_next(pm_runtime *rt, pm_object *it) {
    if (it->ob_type->iternext) return it->ob_type->iternext(rt, it);
    return pmi_err_type(rt, "'%s' object is not an iterator", it);
}

int pm_contains(pm_runtime *rt, pm_object *o, pm_object *key) {
    if (o->ob_type->contains) return o->ob_type->contains(rt, o, key);
    if (!o->ob_type->iter && !o->ob_type->getitem) {
        pmi_err_type(rt, "argument of type '%s' is not iterable", o);
        return -1;
    }
    pm_object *it = pm_iter(rt, o);
    if (!it) return -1;
    int found = 0;
    for (;;) {
        pm_object *item = pm_iter_next(rt, it);
        if (!item) {
            if (pm_err_occurred(rt)) found = -1;
            break;
        }
        int eq = pm_equal(rt, item, key);
        pm_decref(rt, item);
        if (eq != 0) {
            found = eq;
            break;
        }
    }
    pm_decref(rt, it);
    return found;
}

static void *attr_error(pm_runtime *rt, pm_object *o, pm_object *name) {
    const char *n = pm_str_check(name) ? pm_str_as_utf8(rt, name, NULL) : "?";
    if (!n) return NULL;
    pm_err_format(rt, PM_EXC_AttributeError, "'%s' object has no attribute '%s'",
                  type_name(o), n);
    return NULL;
}

pm_object *pm_getattr(pm_runtime *rt, pm_object *o, pm_object *name) {
    if (!pm_str_check(name)) return pmi_err_type(rt, "attribute name must be string, not '%s'", name);
    if (o->ob_type->getattr) return o->ob_type->getattr(rt, o, name);
    return attr_error(rt, o, name);
}

int pm_setattr(pm_runtime *rt, pm_object *o, pm_object *name, pm_object *value) {
    if (!pm_str_check(name)) {
        pmi_err_type(rt, "attribute name must be string, not '%s'", name);
        return -1;
    }
    if (o->ob_type->setattr) return o->ob_type->setattr(rt, o, name, value);
    attr_error(rt, o, name);
    return -1;
}

int pm_delattr(pm_runtime *rt, pm_object *o, pm_object *name) {
    return pm_setattr(rt, o, name, NULL);
}

size_t pm_getsizeof(pm_runtime *rt, pm_object *o) {
    const pm_type *t = o->ob_type;
    size_t size;
    if (t->size_of) {
        size = t->size_of(rt, o);
    } else {
        size = (size_t)t->basicsize;
        if (t->itemsize) {
            pm_ssize_t n = ((pm_varobject *)o)->ob_size;
            size += (size_t)t->itemsize * (size_t)(n < 0 ? -n : n);
        }
    }
    if (t->flags & PM_TPFLAGS_GC) size += sizeof(pm_gc_head);
    return size;
}
