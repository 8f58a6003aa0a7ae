/*
 * abstract.c — the generic operations on objects: repr, str, hash, rich
 * comparison, truth, len, item access, iteration, containment, attribute
 * access (PyObject_GetAttr and the generic lookup), getsizeof, and the
 * number protocol.  CPython's Objects/abstract.c and the generic half of
 * Objects/object.c.  Calls are in call.c, type objects in type.c, the
 * built-in types' protocol tables in typeslots.c.
 *
 * Purpose
 *   Each operation dispatches on the slots of pm_type and its protocol
 *   tables (as_number, as_sequence, as_mapping), and falls back where
 *   CPython does (repr → "<T object at 0x...>", str → repr, iter → the
 *   sequence iterator over sq_item, contains → iteration, + → sq_concat,
 *   * → sq_repeat), with CPython's error messages.
 *
 * Binary operators (pm_number_binop, binary_op1):
 *
 *     slotv = type(a)'s slot, slotw = type(b)'s (dropped if the same)
 *     type(b) a proper subtype of type(a)?  slotw(a, b) first
 *     slotv(a, b), then slotw(a, b); PM_NOTIMPLEMENTED passes on
 *     in-place operators try type(a)'s in-place slot before all that
 *     then the sequence fallbacks, then "unsupported operand type(s)"
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
#include "core/lookup.h"
#include "objects/instattr.h"
#include "objects/genericalias.h"
#include "objects/subvalue.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* ------------------------------------------------------------------------ */
/* Generic operations                                                        */
/* ------------------------------------------------------------------------ */

/* pm_type_is_subtype: core/type.c (a class's MRO). */

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
    if (o->ob_type == &pm_str_type) return pm_newref(rt, o);
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

/* PyObject_IsTrue: nb_bool, then mp_length, then sq_length, else true. */
int pm_is_true(pm_runtime *rt, pm_object *o) {
    if (o == PM_TRUE) return 1;
    if (o == PM_FALSE || o == PM_NONE) return 0;
    const pm_type *t = o->ob_type;
    pm_ssize_t n;
    if (t->as_number && t->as_number->nb_bool) return t->as_number->nb_bool(rt, o);
    if (t->as_mapping && t->as_mapping->mp_length) n = t->as_mapping->mp_length(rt, o);
    else if (t->as_sequence && t->as_sequence->sq_length) n = t->as_sequence->sq_length(rt, o);
    else return 1;
    return n < 0 ? -1 : n > 0;
}

/* PyObject_Size: sq_length, then mp_length. */
pm_ssize_t pm_length(pm_runtime *rt, pm_object *o) {
    pm_lenfunc len = pmi_type_lenfunc(o->ob_type);
    if (len) return len(rt, o);
    pmi_err_type(rt, "object of type '%s' has no len()", o);
    return -1;
}

/* The sequence slot of o[key] when key is an index: i adjusted by the
 * length for a negative index, as PySequence_GetItem/SetItem/DelItem.
 * -1 (error) or 0 with *out set. */
static int seq_index(pm_runtime *rt, pm_object *o, pm_object *key, pm_ssize_t *out) {
    pm_ssize_t i = pm_index_as_ssize(rt, key, PM_INDEX_INDEXERROR);
    if (i == -1 && pm_err_occurred(rt)) return -1;
    if (i < 0 && o->ob_type->as_sequence->sq_length) {
        pm_ssize_t n = o->ob_type->as_sequence->sq_length(rt, o);
        if (n < 0) return -1;
        i += n;
    }
    *out = i;
    return 0;
}

pm_object *pm_getitem(pm_runtime *rt, pm_object *o, pm_object *key) {
    const pm_type *t = o->ob_type;
    if (t->as_mapping && t->as_mapping->mp_subscript) return t->as_mapping->mp_subscript(rt, o, key);
    if (t->as_sequence && t->as_sequence->sq_item) {
        if (!pmi_has_index(key))
            return pmi_err_type(rt, "sequence index must be integer, not '%s'", key);
        pm_ssize_t i;
        if (seq_index(rt, o, key, &i) < 0) return NULL;
        return t->as_sequence->sq_item(rt, o, i);
    }
    if (pm_type_check(o)) return pmi_class_getitem(rt, o, key);     /* list[int], __class_getitem__ */
    return pmi_err_type(rt, "'%s' object is not subscriptable", o);
}

static int ass_item(pm_runtime *rt, pm_object *o, pm_object *key, pm_object *value) {
    const pm_type *t = o->ob_type;
    if (t->as_mapping && t->as_mapping->mp_ass_subscript)
        return t->as_mapping->mp_ass_subscript(rt, o, key, value);
    if (t->as_sequence && t->as_sequence->sq_ass_item) {
        if (!pmi_has_index(key)) {
            pmi_err_type(rt, "sequence index must be integer, not '%s'", key);
            return -1;
        }
        pm_ssize_t i;
        if (seq_index(rt, o, key, &i) < 0) return -1;
        return t->as_sequence->sq_ass_item(rt, o, i, value);
    }
    pmi_err_type(rt, value ? "'%s' object does not support item assignment"
                           : "'%s' object does not support item deletion", o);
    return -1;
}

int pm_setitem(pm_runtime *rt, pm_object *o, pm_object *key, pm_object *value) {
    if (!value) return pmi_err_badarg(rt, "pm_setitem"), -1;
    return ass_item(rt, o, key, value);
}

int pm_delitem(pm_runtime *rt, pm_object *o, pm_object *key) {
    return ass_item(rt, o, key, NULL);
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
    .hash = pmi_object_hash,
    .iter = seqiter_iter,
    .iternext = seqiter_next,
};

pm_object *pm_iter(pm_runtime *rt, pm_object *o) {
    if (o->ob_type->iter) return o->ob_type->iter(rt, o);
    if (pmi_is_sequence(o)) {
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
    const pm_type *t = o->ob_type;
    if (t->as_sequence && t->as_sequence->sq_contains) return t->as_sequence->sq_contains(rt, o, key);
    if (!t->iter && !pmi_is_sequence(o)) {
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

/* ---- attributes (PyObject_GetAttr and the generic lookup) --------------- */

static void *attr_error(pm_runtime *rt, pm_object *o, pm_object *name) {
    const char *n = pm_str_as_utf8(rt, name, NULL);
    if (!n) return NULL;
    pm_err_format(rt, PM_EXC_AttributeError, "'%.100s' object has no attribute '%s'",
                  type_name(o), n);
    return NULL;
}

pm_object **pm_object_dict_ptr(pm_runtime *rt, pm_object *o) {
    (void)rt;
    pm_ssize_t off = o->ob_type->dictoffset;
    if (off < 0) return pmi_subvalue_field(o, off);     /* a class of int / tuple / bytes / str */
    return off > 0 ? (pm_object **)(void *)((char *)o + off) : NULL;
}

/* The rest of PyObject_GenericGetAttr once the class's attribute is known
 * (descr, BORROWED; NULL: none): data descriptor, then the instance's
 * values or __dict__, then the other descriptors and class attributes.
 * Out of line, so the common case below sets up no frame for it. */
__attribute__((noinline)) static pm_object *getattr_rest(pm_runtime *rt, pm_object *o, pm_object *name,
                                                         pm_object *descr) {
    const pm_type *tp = o->ob_type;
    pm_object *r;
    pm_descrgetfunc f = NULL;
    if (descr) {
        f = descr->ob_type->descr_get;
        pm_incref(rt, descr);           /* the lookup's ref is borrowed */
        if (f && descr->ob_type->descr_set) {
            r = f(rt, descr, o, pm_type_as_object(tp));
            pm_decref(rt, descr);
            return r;
        }
    }
    pmi_dict_values *vs = pmi_inst_values(o);
    if (vs) {
        /* inline values (objects/instattr.c): a str name is looked up in
         * the shared keys; any other name needs the dict */
        if (name->ob_type == &pm_str_type) {
            pm_ssize_t ix = pmi_dictkeys_shared_index(rt, vs->keys, name);
            if (ix >= 0 && vs->values[ix]) {
                pm_xdecref(rt, descr);
                return pm_newref(rt, vs->values[ix]);
            }
            goto no_dict;
        }
        if (pmi_inst_materialize(rt, o) < 0) goto fail;
    }
    pm_object **dictptr = pm_object_dict_ptr(rt, o);
    if (dictptr && *dictptr) {
        pm_object *dict = pm_newref(rt, *dictptr);  /* held: a comparison may replace it */
        r = pm_dict_get(rt, dict, name);
        if (r) pm_incref(rt, r);
        pm_decref(rt, dict);
        if (r) {
            pm_xdecref(rt, descr);
            return r;
        }
        if (pm_err_occurred(rt)) goto fail;
    }
no_dict:
    if (f) {
        r = f(rt, descr, o, pm_type_as_object(tp));
        pm_decref(rt, descr);
        return r;
    }
    if (descr) return descr;
    return attr_error(rt, o, name);
fail:
    pm_xdecref(rt, descr);
    return NULL;
}

/* PyObject_GenericGetAttr for a str name.  The common case first: nothing
 * on the class (method cache, core/lookup.h), the value in the instance's
 * inline values (a first probe of the shared keys): no descriptor to hold
 * or call, no error state touched. */
static inline pm_object *generic_getattr(pm_runtime *rt, pm_object *o, pm_object *name) {
    pm_object *descr;
    if (pmi_type_lookup_ref(rt, o->ob_type, name, &descr) < 0) return NULL;
    if (!descr && name->ob_type == &pm_str_type) {
        pmi_dict_values *vs = pmi_inst_values(o);
        if (vs) {
            pm_ssize_t ix = pmi_shared_keys_index(rt, vs->keys, name);
            if (ix >= 0 && vs->values[ix]) return pm_newref(rt, vs->values[ix]);
            return attr_error(rt, o, name);
        }
    }
    return getattr_rest(rt, o, name, descr);
}

pm_object *pm_object_generic_getattr(pm_runtime *rt, pm_object *o, pm_object *name) {
    if (!pm_str_check(name))
        return pmi_err_type(rt, "attribute name must be string, not '%.200s'", name);
    return generic_getattr(rt, o, name);
}

int pm_object_generic_setattr(pm_runtime *rt, pm_object *o, pm_object *name, pm_object *value) {
    if (!pm_str_check(name)) {
        pmi_err_type(rt, "attribute name must be string, not '%.200s'", name);
        return -1;
    }
    const pm_type *tp = o->ob_type;
    pm_object *descr = pm_type_lookup(rt, tp, name);
    int r = -1;
    if (!descr && pm_err_occurred(rt)) return -1;
    if (descr) {
        pm_descrsetfunc f = descr->ob_type->descr_set;
        if (f) {
            pm_incref(rt, descr);
            r = f(rt, descr, o, value);
            pm_decref(rt, descr);
            return r;
        }
    }
    pmi_dict_values *vs = pmi_inst_values(o);
    if (vs) return pmi_inst_store(rt, o, vs, name, value);
    pm_object **dictptr = pm_object_dict_ptr(rt, o);
    if (!dictptr) {
        const char *n = pm_str_as_utf8(rt, name, NULL);
        if (!n) return -1;
        if (descr)
            pm_err_format(rt, PM_EXC_AttributeError, "'%.50s' object attribute '%s' is read-only",
                          tp->name, n);
        else
            pm_err_format(rt, PM_EXC_AttributeError, "'%.100s' object has no attribute '%s'",
                          tp->name, n);
        return -1;
    }
    if (!*dictptr) {
        /* _PyObjectDict_SetItem: an instance of a class with shared keys
         * gets a split dict over them (also for a delete, which then
         * fails) */
        pmi_dict_keys *dk = pmi_inst_cached_keys(tp);
        if (!dk && !value) {
            attr_error(rt, o, name);
            return -1;
        }
        *dictptr = dk ? pmi_dict_new_shared(rt, dk) : pm_dict_new(rt);
        if (!*dictptr) return -1;
    }
    pm_object *dict = pm_newref(rt, *dictptr);  /* held: deleting may run code */
    if (value) {
        r = pm_dict_set(rt, dict, name, value);
    } else {
        r = pm_dict_del(rt, dict, name);
        if (r < 0 && pm_err_matches(rt, PM_EXC_KeyError)) {
            pm_err_clear(rt);
            attr_error(rt, o, name);
        }
    }
    pm_decref(rt, dict);
    return r;
}

pm_object *pm_getattr(pm_runtime *rt, pm_object *o, pm_object *name) {
    if (!pm_str_check(name))
        return pmi_err_type(rt, "attribute name must be string, not '%.200s'", name);
    if (o->ob_type->getattr) return o->ob_type->getattr(rt, o, name);
    return generic_getattr(rt, o, name);
}

pm_object *pm_getattr_cstr(pm_runtime *rt, pm_object *o, const char *name) {
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return NULL;
    pm_object *r = pm_getattr(rt, o, n);
    pm_decref(rt, n);
    return r;
}

int pm_getattr_opt(pm_runtime *rt, pm_object *o, pm_object *name, pm_object **result) {
    *result = pm_getattr(rt, o, name);
    if (*result) return 1;
    if (!pm_err_matches(rt, PM_EXC_AttributeError)) return -1;
    pm_err_clear(rt);
    return 0;
}

int pm_setattr(pm_runtime *rt, pm_object *o, pm_object *name, pm_object *value) {
    if (!pm_str_check(name)) {
        pmi_err_type(rt, "attribute name must be string, not '%.200s'", name);
        return -1;
    }
    if (o->ob_type->setattr) return o->ob_type->setattr(rt, o, name, value);
    return pm_object_generic_setattr(rt, o, name, value);
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

/* ------------------------------------------------------------------------ */
/* The number protocol (CPython's binary_op1 / ternary_op and friends)       */
/* ------------------------------------------------------------------------ */

/* For each PM_NB_* binary operator 0..12: the offset of its slot in
 * pm_number_methods, of its in-place slot, and its text in messages. */
typedef struct nb_op_info {
    size_t slot;                /* offsetof the binary slot */
    size_t islot;               /* offsetof the in-place slot */
    const char *text;           /* "+" */
    const char *itext;          /* "+=" */
} nb_op_info;

#define NB_(op, slot, islot, text) \
    [op] = {offsetof(pm_number_methods, slot), offsetof(pm_number_methods, islot), text, text "="}
static const nb_op_info nb_ops[13] = {
    NB_(PM_NB_ADD, nb_add, nb_inplace_add, "+"),
    NB_(PM_NB_AND, nb_and, nb_inplace_and, "&"),
    NB_(PM_NB_FLOOR_DIVIDE, nb_floor_divide, nb_inplace_floor_divide, "//"),
    NB_(PM_NB_LSHIFT, nb_lshift, nb_inplace_lshift, "<<"),
    NB_(PM_NB_MATRIX_MULTIPLY, nb_matrix_multiply, nb_inplace_matrix_multiply, "@"),
    NB_(PM_NB_MULTIPLY, nb_multiply, nb_inplace_multiply, "*"),
    NB_(PM_NB_REMAINDER, nb_remainder, nb_inplace_remainder, "%"),
    NB_(PM_NB_OR, nb_or, nb_inplace_or, "|"),
    NB_(PM_NB_POWER, nb_power, nb_inplace_power, "**"),
    NB_(PM_NB_RSHIFT, nb_rshift, nb_inplace_rshift, ">>"),
    NB_(PM_NB_SUBTRACT, nb_subtract, nb_inplace_subtract, "-"),
    NB_(PM_NB_TRUE_DIVIDE, nb_true_divide, nb_inplace_true_divide, "/"),
    NB_(PM_NB_XOR, nb_xor, nb_inplace_xor, "^"),
};
#undef NB_

/* The binary slot at `off` of t, or NULL. */
static pm_binaryfunc nb_slot(const pm_type *t, size_t off) {
    if (!t->as_number) return NULL;
    pm_binaryfunc f;
    memcpy(&f, (const char *)t->as_number + off, sizeof f);
    return f;
}

static pm_ternaryfunc nb_tslot(const pm_type *t, size_t off) {
    if (!t->as_number) return NULL;
    pm_ternaryfunc f;
    memcpy(&f, (const char *)t->as_number + off, sizeof f);
    return f;
}

/* binary_op1: v's slot and w's slot in CPython's order; a new ref,
 * PM_NOTIMPLEMENTED when neither answers, or NULL. */
static pm_object *binary_op1(pm_runtime *rt, pm_object *v, pm_object *w, size_t off) {
    const pm_type *tv = v->ob_type, *tw = w->ob_type;
    pm_binaryfunc slotv = nb_slot(tv, off), slotw = NULL;
    if (tw != tv) {
        slotw = nb_slot(tw, off);
        if (slotw == slotv) slotw = NULL;
    }
    pm_object *x;
    if (slotv) {
        if (slotw && pm_type_is_subtype(tw, tv)) {
            x = slotw(rt, v, w);
            if (x != PM_NOTIMPLEMENTED) return x;
            slotw = NULL;
        }
        x = slotv(rt, v, w);
        if (x != PM_NOTIMPLEMENTED) return x;
    }
    if (slotw) return slotw(rt, v, w);
    return PM_NOTIMPLEMENTED;
}

static void *binop_type_error(pm_runtime *rt, pm_object *v, pm_object *w, const char *op) {
    pm_err_format(rt, PM_EXC_TypeError, "unsupported operand type(s) for %.100s: '%.100s' and '%.100s'",
                  op, v->ob_type->name, w->ob_type->name);
    return NULL;
}

/* ternary_op: pow(v, w, z) over the three operands' nb_power (or the
 * in-place power of v first when inplace). */
static pm_object *ternary_op(pm_runtime *rt, pm_object *v, pm_object *w, pm_object *z,
                             int inplace, const char *text) {
    const pm_type *tv = v->ob_type, *tw = w->ob_type;
    size_t off = offsetof(pm_number_methods, nb_power);
    pm_object *x;
    if (inplace) {
        pm_ternaryfunc fi = nb_tslot(tv, offsetof(pm_number_methods, nb_inplace_power));
        if (fi) {
            x = fi(rt, v, w, z);
            if (x != PM_NOTIMPLEMENTED) return x;
        }
    }
    pm_ternaryfunc slotv = nb_tslot(tv, off), slotw = NULL, slotz;
    if (tw != tv) {
        slotw = nb_tslot(tw, off);
        if (slotw == slotv) slotw = NULL;
    }
    if (slotv) {
        if (slotw && pm_type_is_subtype(tw, tv)) {
            x = slotw(rt, v, w, z);
            if (x != PM_NOTIMPLEMENTED) return x;
            slotw = NULL;
        }
        x = slotv(rt, v, w, z);
        if (x != PM_NOTIMPLEMENTED) return x;
    }
    if (slotw) {
        x = slotw(rt, v, w, z);
        if (x != PM_NOTIMPLEMENTED) return x;
    }
    slotz = nb_tslot(z->ob_type, off);
    if (slotz && slotz != slotv && slotz != slotw) {
        x = slotz(rt, v, w, z);
        if (x != PM_NOTIMPLEMENTED) return x;
    }
    if (z == PM_NONE)
        pm_err_format(rt, PM_EXC_TypeError,
                      "unsupported operand type(s) for %.100s: '%.100s' and '%.100s'",
                      text, tv->name, tw->name);
    else
        pm_err_format(rt, PM_EXC_TypeError,
                      "unsupported operand type(s) for %.100s: '%.100s', '%.100s', '%.100s'",
                      text, tv->name, tw->name, z->ob_type->name);
    return NULL;
}

/* seq * n for sq_repeat f (sequence_repeat). */
static pm_object *sequence_repeat(pm_runtime *rt, pm_ssizeargfunc f, pm_object *seq, pm_object *n) {
    if (!pmi_has_index(n))
        return pmi_err_type(rt, "can't multiply sequence by non-int of type '%.200s'", n);
    pm_ssize_t count = pm_index_as_ssize(rt, n, PM_INDEX_OVERFLOWERROR);
    if (count == -1 && pm_err_occurred(rt)) return NULL;
    return f(rt, seq, count);
}

/* Fast paths for exact ints and floats, the operands CPython's
 * BINARY_OP specialises (BINARY_OP_ADD_INT, _FLOAT, ...): no table walk. */
static pm_object *binop_fast(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (a->ob_type == &pm_int_type && b->ob_type == &pm_int_type) {
        switch (op) {
        case PM_NB_ADD: case PM_NB_INPLACE_ADD: return pm_int_add(rt, a, b);
        case PM_NB_SUBTRACT: case PM_NB_INPLACE_SUBTRACT: return pm_int_sub(rt, a, b);
        case PM_NB_MULTIPLY: case PM_NB_INPLACE_MULTIPLY: return pm_int_mul(rt, a, b);
        default: return PM_NOTIMPLEMENTED;
        }
    }
    if (a->ob_type == &pm_float_type && b->ob_type == &pm_float_type) {
        switch (op) {
        case PM_NB_ADD: case PM_NB_INPLACE_ADD: return pm_float_add(rt, a, b);
        case PM_NB_SUBTRACT: case PM_NB_INPLACE_SUBTRACT: return pm_float_sub(rt, a, b);
        case PM_NB_MULTIPLY: case PM_NB_INPLACE_MULTIPLY: return pm_float_mul(rt, a, b);
        default: return PM_NOTIMPLEMENTED;
        }
    }
    return PM_NOTIMPLEMENTED;
}

pm_object *pm_number_binop(pm_runtime *rt, pm_object *v, pm_object *w, int op) {
    if (op < 0 || op > PM_NB_INPLACE_XOR) return pmi_err_badarg(rt, "pm_number_binop");
    pm_object *x = binop_fast(rt, v, w, op);
    if (x != PM_NOTIMPLEMENTED) return x;
    int inplace = op >= PM_NB_INPLACE_ADD;
    int bop = inplace ? op - PM_NB_INPLACE_ADD : op;
    const nb_op_info *info = &nb_ops[bop];
    if (bop == PM_NB_POWER) return ternary_op(rt, v, w, PM_NONE, inplace, inplace ? "**=" : "** or pow()");
    if (inplace) {
        pm_binaryfunc fi = nb_slot(v->ob_type, info->islot);
        if (fi) {
            x = fi(rt, v, w);
            if (x != PM_NOTIMPLEMENTED) return x;
        }
    }
    x = binary_op1(rt, v, w, info->slot);
    if (x != PM_NOTIMPLEMENTED) return x;
    const pm_sequence_methods *mv = v->ob_type->as_sequence, *mw = w->ob_type->as_sequence;
    if (bop == PM_NB_ADD) {
        /* + falls back to v's concatenation (+= to in-place first) */
        if (mv) {
            pm_binaryfunc f = inplace ? mv->sq_inplace_concat : NULL;
            if (!f) f = mv->sq_concat;
            if (f) return f(rt, v, w);
        }
    } else if (bop == PM_NB_MULTIPLY) {
        if (inplace) {
            /* as CPython: w's repeat only when v has no sequence table at
             * all, and never w's in-place repeat */
            if (mv) {
                pm_ssizeargfunc f = mv->sq_inplace_repeat ? mv->sq_inplace_repeat : mv->sq_repeat;
                if (f) return sequence_repeat(rt, f, v, w);
            } else if (mw && mw->sq_repeat) {
                return sequence_repeat(rt, mw->sq_repeat, w, v);
            }
        } else if (mv && mv->sq_repeat) {
            return sequence_repeat(rt, mv->sq_repeat, v, w);
        } else if (mw && mw->sq_repeat) {
            return sequence_repeat(rt, mw->sq_repeat, w, v);
        }
    }
    return binop_type_error(rt, v, w, inplace ? info->itext : info->text);
}

pm_object *pm_number_power(pm_runtime *rt, pm_object *a, pm_object *b, pm_object *c) {
    return ternary_op(rt, a, b, c ? c : PM_NONE, 0, "** or pow()");
}

pm_object *pm_number_divmod(pm_runtime *rt, pm_object *a, pm_object *b) {
    pm_object *x = binary_op1(rt, a, b, offsetof(pm_number_methods, nb_divmod));
    if (x != PM_NOTIMPLEMENTED) return x;
    return binop_type_error(rt, a, b, "divmod()");
}

/* A unary slot at `off`, or TypeError with CPython's text. */
static pm_object *unary_op(pm_runtime *rt, pm_object *o, size_t off, const char *fmt) {
    const pm_number_methods *nb = o->ob_type->as_number;
    if (nb) {
        pm_unaryfunc f;
        memcpy(&f, (const char *)nb + off, sizeof f);
        if (f) return f(rt, o);
    }
    return pmi_err_type(rt, fmt, o);
}

pm_object *pm_number_negative(pm_runtime *rt, pm_object *a) {
    return unary_op(rt, a, offsetof(pm_number_methods, nb_negative), "bad operand type for unary -: '%.200s'");
}
pm_object *pm_number_positive(pm_runtime *rt, pm_object *a) {
    return unary_op(rt, a, offsetof(pm_number_methods, nb_positive), "bad operand type for unary +: '%.200s'");
}
pm_object *pm_number_invert(pm_runtime *rt, pm_object *a) {
    return unary_op(rt, a, offsetof(pm_number_methods, nb_invert), "bad operand type for unary ~: '%.200s'");
}
pm_object *pm_number_absolute(pm_runtime *rt, pm_object *a) {
    return unary_op(rt, a, offsetof(pm_number_methods, nb_absolute), "bad operand type for abs(): '%.200s'");
}

int pm_number_check(const pm_object *o) {
    const pm_number_methods *nb = o->ob_type->as_number;
    return (nb && (nb->nb_index || nb->nb_int || nb->nb_float)) || pm_complex_check(o);
}

/* PyNumber_Index: exact ints pass through; others through nb_index, whose
 * result must be an int (a subclass is converted to an exact int). */
pm_object *pm_index(pm_runtime *rt, pm_object *o) {
    if (o->ob_type == &pm_int_type) return pm_newref(rt, o);
    /* an int subclass is an int already: its value, its __index__ unused
     * (CPython's PyNumber_Index) */
    pm_object *r = pm_int_check(o) ? pm_newref(rt, o) : NULL;
    if (!r && !pmi_has_index(o))
        return pmi_err_type(rt, "'%.200s' object cannot be interpreted as an integer", o);
    if (!r) r = o->ob_type->as_number->nb_index(rt, o);
    if (!r || r->ob_type == &pm_int_type) return r;
    if (!pm_int_check(r)) {
        pmi_err_type(rt, "__index__ returned non-int (type %.200s)", r);
        pm_decref(rt, r);
        return NULL;
    }
    /* an int subclass: its value as an exact int */
    pm_object *zero = pm_int_from_long(rt, 0);
    pm_object *e = pm_int_add(rt, r, zero);
    pm_decref(rt, zero);
    pm_decref(rt, r);
    return e;
}

pm_ssize_t pm_index_as_ssize(pm_runtime *rt, pm_object *item, int on_overflow) {
    pm_object *v = pm_index(rt, item);
    if (!v) return -1;
    pm_ssize_t r = pm_int_as_ssize(rt, v);
    if (r == -1 && pm_err_occurred(rt)) {
        if (!pm_err_matches(rt, PM_EXC_OverflowError)) goto done;
        pm_err_clear(rt);
        if (on_overflow == PM_INDEX_CLAMP) {
            r = pm_int_sign(v) < 0 ? PM_SSIZE_MIN : PM_SSIZE_MAX;
        } else {
            pm_err_format(rt, on_overflow == PM_INDEX_INDEXERROR ? PM_EXC_IndexError : PM_EXC_OverflowError,
                          "cannot fit '%.200s' into an index-sized integer", item->ob_type->name);
            r = -1;
        }
    }
done:
    pm_decref(rt, v);
    return r;
}
