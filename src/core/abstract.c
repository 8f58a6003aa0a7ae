/*
 * abstract.c — the generic operations on objects: repr, str, hash, rich
 * comparison, truth, len, item access, iteration, containment, attribute
 * access, getsizeof.  CPython's Objects/abstract.c and the generic half of
 * Objects/object.c; the number and call protocols will grow here.
 *
 * Purpose
 *   Each operation dispatches on the hooks of pm_type, walking to the base
 *   type where CPython inherits a slot, and falls back where CPython does
 *   (repr → "<T object at 0x...>", str → repr, iter → the sequence iterator
 *   over getitem, contains → iteration), with CPython's error messages.
 *
 * Dispatch, for one binary comparison a OP b (do_richcompare):
 *
 *     type(b) a proper subtype of type(a) with its own hook?
 *        yes → b.reflected(OP)(a) first; NotImplemented → a.OP(b)
 *        no  → a.OP(b); NotImplemented → b.reflected(OP)(a)
 *     still NotImplemented → == / != fall back to identity; others TypeError
 *     "'<' not supported between instances of 'A' and 'B'"
 *
 * Invariants
 *   - Every function here takes borrowed arguments and returns a new
 *     reference (or NULL / -1 with the error set in rt), as pymm.h states.
 *   - repr, str and comparison count one level each against the recursion
 *     guard (core/recursion.h), so a self-containing structure fails with
 *     RecursionError instead of overflowing the C stack.
 *
 * CPython behaviour mirrored: do_richcompare's reflected-operand order and
 * messages, PyObject_RichCompareBool's identity shortcut, PySeqIter,
 * PySequence_Contains' fallback, sys.getsizeof adding the gc head.
 */
#include "core/object.h"
#include "core/recursion.h"

#include <stdarg.h>
#include <stdio.h>

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
