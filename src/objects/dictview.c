/*
 * dictview.c — the dict views d.keys(), d.values(), d.items() and the
 * dict's reverse iterators.  CPython's Objects/dictobject.c (dictview_*,
 * dictreviter_*).
 *
 * Purpose
 *   A view is a live window on one dict: it holds the dict and nothing
 *   else, and every operation reads the dict at the time it runs.  Keys and
 *   items views are set-like (==, <, <=, &, |, -, ^, isdisjoint answer as
 *   sets would); the values view is only iterable and sized.
 *
 *     dict_keys { dict } ──► pmi_dict (objects/containers.h)
 *        iter(v)      the dict's own key iterator (dict.c)
 *        reversed(v)  dict_reversekeyiterator { dict, used, pos, len }:
 *                     walks the entry array from the last entry down,
 *                     skipping deleted ones
 *
 * Invariants
 *   - The dict is read through its internal layout (containers.h) by the
 *     reverse iterators only, and only read: a reverse iterator remembers
 *     the dict's size when made and fails with RuntimeError "dictionary
 *     changed size during iteration" (sticky) if it changed; its position
 *     is clamped to the current entry count, so a rebuilt table of the
 *     same size is never read out of bounds.
 *   - Views and reverse iterators are gc types, tracked from creation.
 *     Sizes: views 40 bytes, reverse iterators 72 (with the gc head).
 *
 * CPython behaviour mirrored: reprs "dict_keys([1, 2])" (with the "..."
 * of a view that contains itself), `in` for items (a 2-tuple whose value
 * compares equal), the set operations returning sets (the reflected forms
 * too: {1, 5} - d.keys()), comparisons with any set-like operand (else
 * NotImplemented), `mapping` (a mappingproxy of the dict), __reversed__,
 * unhashable views.
 */
#include "objects/descr.h"
#include "objects/containers.h"

#include <stddef.h>

typedef struct pmi_dictview {
    pm_object ob_base;          /* refcount + type (keys / values / items) */
    pm_object *dict;            /* the dict viewed (strong) */
} pmi_dictview;                 /* 24 bytes (+16 gc head): getsizeof == 40 */

typedef struct pmi_dictreviter {
    pm_object ob_base;          /* refcount + type (which reverse iterator) */
    pm_object *dict;            /* NULL once exhausted */
    pm_ssize_t used;            /* dict size when made; -1 after a size change */
    pm_ssize_t pos;             /* next entry index to look at, counting down */
    pm_object *result;          /* (CPython's cached result tuple: unused) */
    pm_ssize_t len;             /* items left */
} pmi_dictreviter;              /* 56 bytes (+16 gc head): getsizeof == 72 */

#define DV(o) ((pmi_dictview *)(o))
#define RI(o) ((pmi_dictreviter *)(o))

extern const pm_type pmi_dict_revkeys_type, pmi_dict_revvalues_type, pmi_dict_revitems_type;

static int is_setlike_view(const pm_object *o) {
    return pm_is_instance(o, &pm_dictkeys_type) || pm_is_instance(o, &pm_dictitems_type);
}

/* ---- the view objects -------------------------------------------------------------- */

static pm_object *view_new(pm_runtime *rt, const pm_type *type, pm_object *d) {
    if (!pm_dict_check(d)) return pmi_err_badarg(rt, "dict view");
    pm_object *o = pmi_gc_new(rt, type);
    if (!o) return NULL;
    DV(o)->dict = pm_newref(rt, d);
    pmi_gc_track(rt, o);
    return o;
}

pm_object *pm_dict_keys_view(pm_runtime *rt, pm_object *d) { return view_new(rt, &pm_dictkeys_type, d); }
pm_object *pm_dict_values_view(pm_runtime *rt, pm_object *d) { return view_new(rt, &pm_dictvalues_type, d); }
pm_object *pm_dict_items_view(pm_runtime *rt, pm_object *d) { return view_new(rt, &pm_dictitems_type, d); }

static void view_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, DV(self)->dict);
    pmi_object_free(rt, self);
}

static int view_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    return DV(self)->dict ? visit(DV(self)->dict, arg) : 0;
}

static pm_ssize_t view_len(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return pm_dict_size(DV(self)->dict);
}

static pm_object *keys_iter(pm_runtime *rt, pm_object *self) {
    return pm_dict_type.iter(rt, DV(self)->dict);
}
static pm_object *values_iter(pm_runtime *rt, pm_object *self) {
    return pm_dict_iter_values(rt, DV(self)->dict);
}
static pm_object *items_iter(pm_runtime *rt, pm_object *self) {
    return pm_dict_iter_items(rt, DV(self)->dict);
}

/* "dict_keys([...])"; "..." inside itself. */
static pm_object *view_repr(pm_runtime *rt, pm_object *self) {
    int r = pmi_repr_enter(rt, self);
    if (r != 0) return r > 0 ? pm_str_from_cstr(rt, "...") : NULL;
    pm_object *l = pm_list_new(rt), *s = NULL;
    if (l && pm_list_extend(rt, l, self) == 0) {
        pmi_sb sb;
        pmi_sb_init(&sb);
        pmi_sb_printf(rt, &sb, "%s(", pm_type_name(self->ob_type));
        pmi_sb_put_repr(rt, &sb, l);
        pmi_sb_puts(rt, &sb, ")");
        s = pmi_sb_finish(rt, &sb);
    }
    pm_xdecref(rt, l);
    pmi_repr_leave(rt, self);
    return s;
}

static int keys_contains(pm_runtime *rt, pm_object *self, pm_object *key) {
    return pm_dict_contains(rt, DV(self)->dict, key);
}

/* (k, v) in d.items(): k in d and d[k] == v. */
static int items_contains(pm_runtime *rt, pm_object *self, pm_object *obj) {
    if (!pm_tuple_check(obj) || pm_tuple_size(obj) != 2) return 0;
    pm_object *k = PMI_TUPLE(obj)->ob_item[0], *v = PMI_TUPLE(obj)->ob_item[1];
    pm_object *found = pm_dict_get(rt, DV(self)->dict, k);
    if (!found) return pm_err_occurred(rt) ? -1 : 0;
    pm_incref(rt, found);
    int r = pm_richcompare_bool(rt, found, v, PM_EQ);
    pm_decref(rt, found);
    return r;
}

/* Every item of a is in b: 1 / 0 / -1. */
static int all_contained_in(pm_runtime *rt, pm_object *a, pm_object *b) {
    pm_object *it = pm_iter(rt, a), *x;
    if (!it) return -1;
    int ok = 1;
    while ((x = pm_iter_next(rt, it)) != NULL) {
        ok = pm_contains(rt, b, x);
        pm_decref(rt, x);
        if (ok <= 0) break;
    }
    if (!x && pm_err_occurred(rt)) ok = -1;
    pm_decref(rt, it);
    return ok;
}

static pm_object *view_richcompare(pm_runtime *rt, pm_object *self, pm_object *other, int op) {
    if (!is_setlike_view(self) || (!pm_anyset_check(other) && !is_setlike_view(other)))
        return pm_newref(rt, PM_NOTIMPLEMENTED);
    pm_ssize_t ls = pm_length(rt, self), lo = ls < 0 ? -1 : pm_length(rt, other);
    if (ls < 0 || lo < 0) return NULL;
    int ok = 0;
    switch (op) {
    case PM_EQ:
    case PM_NE:
        ok = ls == lo ? all_contained_in(rt, self, other) : 0;
        if (ok >= 0 && op == PM_NE) ok = !ok;
        break;
    case PM_LT: ok = ls < lo ? all_contained_in(rt, self, other) : 0; break;
    case PM_LE: ok = ls <= lo ? all_contained_in(rt, self, other) : 0; break;
    case PM_GT: ok = ls > lo ? all_contained_in(rt, other, self) : 0; break;
    default: ok = ls >= lo ? all_contained_in(rt, other, self) : 0; break;
    }
    return ok < 0 ? NULL : pm_newref(rt, pm_bool_from(ok));
}

/* ---- set operations (the result is a set) ------------------------------------------------ */

/* set(a) and then s.<method>(b): NEW ref. */
static pm_object *set_then(pm_runtime *rt, pm_object *a, const char *method, pm_object *b) {
    pm_object *s = pm_set_new(rt, a);
    if (!s) return NULL;
    pm_object *name = pm_str_intern_cstr(rt, method), *r = NULL;
    if (name) r = pm_call_method(rt, s, name, &b, 1);
    pm_xdecref(rt, name);
    if (!r) {
        pm_decref(rt, s);
        return NULL;
    }
    pm_decref(rt, r);
    return s;
}

static pm_object *views_sub(pm_runtime *rt, pm_object *a, pm_object *b) {
    return set_then(rt, a, "difference_update", b);
}
static pm_object *views_or(pm_runtime *rt, pm_object *a, pm_object *b) {
    return set_then(rt, a, "update", b);
}
static pm_object *views_xor(pm_runtime *rt, pm_object *a, pm_object *b) {
    return set_then(rt, a, "symmetric_difference_update", b);
}

/* a & b: the items of the other operand found in the view (iterating the
 * smaller when both are set-like), as _PyDictView_Intersect. */
static pm_object *views_and(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!is_setlike_view(a)) {
        pm_object *t = a;
        a = b;
        b = t;
    }
    if (pm_anyset_check(b) || is_setlike_view(b)) {
        pm_ssize_t la = pm_length(rt, a), lb = la < 0 ? -1 : pm_length(rt, b);
        if (la < 0 || lb < 0) return NULL;
        if (la > lb) {
            pm_object *t = a;
            a = b;
            b = t;
        }
    }
    pm_object *s = pm_set_new(rt, NULL), *it = s ? pm_iter(rt, b) : NULL, *x;
    if (!it) goto fail;
    while ((x = pm_iter_next(rt, it)) != NULL) {
        int in = pm_contains(rt, a, x);
        if (in > 0) in = pm_set_add(rt, s, x) < 0 ? -1 : 1;
        pm_decref(rt, x);
        if (in < 0) goto fail;
    }
    if (pm_err_occurred(rt)) goto fail;
    pm_decref(rt, it);
    return s;
fail:
    pm_xdecref(rt, it);
    pm_xdecref(rt, s);
    return NULL;
}

static pm_object *view_isdisjoint(pm_runtime *rt, pm_object *self, pm_object *other) {
    pm_object *it = pm_iter(rt, other), *x;
    if (!it) return NULL;
    int disjoint = 1;
    while ((x = pm_iter_next(rt, it)) != NULL) {
        int in = pm_contains(rt, self, x);
        pm_decref(rt, x);
        if (in != 0) {
            disjoint = in < 0 ? -1 : 0;
            break;
        }
    }
    if (!x && pm_err_occurred(rt)) disjoint = -1;
    pm_decref(rt, it);
    return disjoint < 0 ? NULL : pm_newref(rt, pm_bool_from(disjoint));
}

/* ---- reverse iterators --------------------------------------------------------------------- */

static pm_object *reviter_new(pm_runtime *rt, pm_object *d, const pm_type *type) {
    pm_object *o = pmi_gc_new(rt, type);
    if (!o) return NULL;
    RI(o)->dict = pm_newref(rt, d);
    RI(o)->used = PMI_DICT(d)->used;
    /* a split dict counts positions in its insertion order */
    RI(o)->pos = (PMI_DICT(d)->values ? PMI_DICT(d)->used : PMI_DICT(d)->keys->nentries) - 1;
    RI(o)->len = PMI_DICT(d)->used;
    pmi_gc_track(rt, o);
    return o;
}

pm_object *pm_dict_reversed(pm_runtime *rt, pm_object *d) {
    if (!pm_dict_check(d)) return pmi_err_badarg(rt, "pm_dict_reversed");
    return reviter_new(rt, d, &pmi_dict_revkeys_type);
}

static pm_object *keys_reversed(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return reviter_new(rt, DV(self)->dict, &pmi_dict_revkeys_type);
}
static pm_object *values_reversed(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return reviter_new(rt, DV(self)->dict, &pmi_dict_revvalues_type);
}
static pm_object *items_reversed(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return reviter_new(rt, DV(self)->dict, &pmi_dict_revitems_type);
}

static void reviter_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, RI(self)->dict);
    pmi_object_free(rt, self);
}

static int reviter_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    return RI(self)->dict ? visit(RI(self)->dict, arg) : 0;
}

static int reviter_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, RI(self)->dict);
    return 0;
}

/* Entry i of a keys table: its key and value (value NULL: deleted). */
static void entry_at(pmi_dict_keys *dk, pm_ssize_t i, pm_object **k, pm_object **v) {
    char *entries = (char *)(dk + 1) + ((size_t)1 << dk->log2_index_bytes);
    if (dk->kind == PMI_DICT_KEYS_UNICODE) {
        pmi_dict_uentry *e = (pmi_dict_uentry *)(void *)entries + i;
        *k = e->key;
        *v = e->value;
    } else {
        pmi_dict_entry *e = (pmi_dict_entry *)(void *)entries + i;
        *k = e->key;
        *v = e->value;
    }
}

static pm_object *reviter_next(pm_runtime *rt, pm_object *self) {
    pmi_dictreviter *it = RI(self);
    if (!it->dict) return NULL;
    pmi_dict *mp = PMI_DICT(it->dict);
    if (it->used != mp->used) {
        pm_err_set(rt, PM_EXC_RuntimeError, "dictionary changed size during iteration");
        it->used = -1;
        return NULL;
    }
    pm_ssize_t i = it->pos;
    pm_object *k = NULL, *v = NULL;
    if (mp->values) {
        if (i >= mp->used) i = mp->used - 1;
        if (i >= 0) pmi_dict_split_entry(it->dict, i, &k, &v);
    } else {
        if (i >= mp->keys->nentries) i = mp->keys->nentries - 1;
        for (; i >= 0; i--) {
            entry_at(mp->keys, i, &k, &v);
            if (v) break;
        }
    }
    if (i < 0) {
        PM_CLEAR(rt, it->dict);
        return NULL;
    }
    it->pos = i - 1;
    it->len--;
    if (self->ob_type == &pmi_dict_revkeys_type) return pm_newref(rt, k);
    if (self->ob_type == &pmi_dict_revvalues_type) return pm_newref(rt, v);
    return pm_tuple_pack(rt, 2, k, v);
}

static pm_object *reviter_length_hint(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pmi_dictreviter *it = RI(self);
    pm_ssize_t n = it->dict && it->used == PMI_DICT(it->dict)->used ? it->len : 0;
    return pm_int_from_ssize(rt, n);
}

static const pm_method_def reviter_methods[] = {
    {"__length_hint__", reviter_length_hint, PM_METH_NOARGS, "Private method returning an estimate of len(list(it))."},
    {NULL, NULL, 0, NULL},
};

#define REVITER_TYPE(cname, pyname)                             \
    const pm_type cname = {                                     \
        .ob_base = PMI_STATIC_HEAD(&pm_type_type),              \
        .name = pyname,                                         \
        .basicsize = sizeof(pmi_dictreviter),                   \
        .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,             \
        .base = &pm_object_type,                                \
        .dealloc = reviter_dealloc,                             \
        .traverse = reviter_traverse,                           \
        .clear = reviter_clear,                                 \
        .hash = pmi_object_hash,                                \
        .iter = pmi_self_iter,                                  \
        .iternext = reviter_next,                               \
        .methods = reviter_methods,                             \
    }
REVITER_TYPE(pmi_dict_revkeys_type, "dict_reversekeyiterator");
REVITER_TYPE(pmi_dict_revvalues_type, "dict_reversevalueiterator");
REVITER_TYPE(pmi_dict_revitems_type, "dict_reverseitemiterator");

/* ---- the three view types ------------------------------------------------------------------ */

static pm_object *view_get_mapping(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    return pm_mappingproxy_new(rt, DV(self)->dict);
}

static const pm_getset_def view_getset[] = {
    {"mapping", view_get_mapping, NULL, "dictionary that this view refers to", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const pm_number_methods setview_as_number = {
    .nb_subtract = views_sub,
    .nb_and = views_and,
    .nb_xor = views_xor,
    .nb_or = views_or,
};

static const pm_sequence_methods keys_as_sequence = {
    .sq_length = view_len,
    .sq_contains = keys_contains,
};
static const pm_sequence_methods items_as_sequence = {
    .sq_length = view_len,
    .sq_contains = items_contains,
};
static const pm_sequence_methods values_as_sequence = {
    .sq_length = view_len,
};

static const pm_method_def keys_methods[] = {
    {"isdisjoint", view_isdisjoint, PM_METH_O, "Return True if the view and the given iterable have a null intersection."},
    {"__reversed__", keys_reversed, PM_METH_NOARGS, "Return a reverse iterator over the dict keys."},
    {NULL, NULL, 0, NULL},
};
static const pm_method_def items_methods[] = {
    {"isdisjoint", view_isdisjoint, PM_METH_O, "Return True if the view and the given iterable have a null intersection."},
    {"__reversed__", items_reversed, PM_METH_NOARGS, "Return a reverse iterator over the dict items."},
    {NULL, NULL, 0, NULL},
};
static const pm_method_def values_methods[] = {
    {"__reversed__", values_reversed, PM_METH_NOARGS, "Return a reverse iterator over the dict values."},
    {NULL, NULL, 0, NULL},
};

const pm_type pm_dictkeys_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "dict_keys",
    .basicsize = sizeof(pmi_dictview),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = view_dealloc,
    .traverse = view_traverse,
    .repr = view_repr,
    .richcompare = view_richcompare,
    .as_number = &setview_as_number,
    .as_sequence = &keys_as_sequence,
    .iter = keys_iter,
    .methods = keys_methods,
    .getset = view_getset,
};

const pm_type pm_dictitems_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "dict_items",
    .basicsize = sizeof(pmi_dictview),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = view_dealloc,
    .traverse = view_traverse,
    .repr = view_repr,
    .richcompare = view_richcompare,
    .as_number = &setview_as_number,
    .as_sequence = &items_as_sequence,
    .iter = items_iter,
    .methods = items_methods,
    .getset = view_getset,
};

const pm_type pm_dictvalues_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "dict_values",
    .basicsize = sizeof(pmi_dictview),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = view_dealloc,
    .traverse = view_traverse,
    .repr = view_repr,
    .as_sequence = &values_as_sequence,
    .iter = values_iter,
    .methods = values_methods,
    .getset = view_getset,
};
