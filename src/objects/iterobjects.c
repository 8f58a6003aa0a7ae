/*
 * iterobjects.c — the iterator types of builtins: enumerate, zip, map,
 * filter, reversed and the callable iterator iter(f, sentinel).  CPython's
 * Objects/enumobject.c, Python/bltinmodule.c (zip, map, filter) and
 * Objects/iterobject.c (calliterobject).  (The sequence iterator iter(o)
 * of a type with only __getitem__ is core/abstract.c's pmi_seqiter_type.)
 *
 * Purpose
 *   Each object wraps one or more source iterators (or a callable) and
 *   produces items lazily; all are constructed by calling their type with
 *   CPython's argument rules, so the builtins module only names them:
 *
 *     enumerate(it, start=0)  index (C, or an int once past PM_SSIZE_MAX), it
 *     zip(*its, strict=False) a tuple of iterators; strict: unequal lengths
 *                             are ValueError "zip() argument 2 is shorter
 *                             than argument 1"
 *     map(f, *its)            f, a tuple of iterators
 *     filter(f, it)           f (None: the items' truth), it
 *     reversed(seq)           seq.__reversed__() when the type has it, else
 *                             an index running down over seq[len-1] .. seq[0]
 *     iter(f, sentinel)       f called until it returns sentinel
 *
 * Invariants
 *   - All are gc types, tracked from construction (a source iterator can
 *     lead back to the wrapper).  An exhausted reversed / callable
 *     iterator drops its references (later next() calls stop at once).
 *   - Sizes as CPython 3.11's (getsizeof: enumerate 72, zip 64, map,
 *     filter, reversed and callable_iterator 48).
 *
 * CPython behaviour mirrored: argument errors ("map() must have at least
 * two arguments.", "filter expected 2 arguments, got 1", "reversed()
 * takes no keyword arguments", "'set' object is not reversible",
 * "enumerate() missing required argument 'iterable'"), StopIteration from
 * the callable ending iter(f, sentinel), __length_hint__ of reversed.
 * Not done: __reduce__ / __setstate__ (pickling).
 */
#include "objects/descr.h"
#include "objects/containers.h"

#include <stddef.h>

typedef struct pmi_enumerate {
    pm_object ob_base;          /* refcount + type */
    pm_ssize_t index;           /* next index while it fits; PM_SSIZE_MAX: see longindex */
    pm_object *it;              /* the source iterator */
    pm_object *result;          /* (CPython's cached result tuple: unused, kept for the size) */
    pm_object *longindex;       /* next index as an int once it passed PM_SSIZE_MAX, or NULL */
    pm_object *one;             /* (CPython's cached 1: unused, kept for the size) */
} pmi_enumerate;                /* 56 bytes (+16 gc head): getsizeof == 72 */

typedef struct pmi_zip {
    pm_object ob_base;          /* refcount + type */
    pm_ssize_t n;               /* number of iterators */
    pm_object *its;             /* tuple of the source iterators */
    pm_object *result;          /* (CPython's cached result tuple: unused) */
    int strict;                 /* 1: unequal lengths are ValueError */
} pmi_zip;                      /* 48 bytes (+16): getsizeof == 64 */

typedef struct pmi_map {
    pm_object ob_base;          /* refcount + type */
    pm_object *its;             /* tuple of the source iterators */
    pm_object *func;            /* the function */
} pmi_map;                      /* 32 bytes (+16): getsizeof == 48 */

typedef struct pmi_filter {
    pm_object ob_base;          /* refcount + type */
    pm_object *func;            /* the predicate; NULL for None (or bool) */
    pm_object *it;              /* the source iterator */
} pmi_filter;                   /* 32 bytes (+16): getsizeof == 48 */

typedef struct pmi_reversed {
    pm_object ob_base;          /* refcount + type */
    pm_ssize_t index;           /* next index to read, counting down; -1: done */
    pm_object *seq;             /* the sequence; NULL once exhausted */
} pmi_reversed;                 /* 32 bytes (+16): getsizeof == 48 */

typedef struct pmi_calliter {
    pm_object ob_base;          /* refcount + type */
    pm_object *callable;        /* called with no arguments; NULL once exhausted */
    pm_object *sentinel;        /* the value that ends iteration; NULL once exhausted */
} pmi_calliter;                 /* 32 bytes (+16): getsizeof == 48 */

#define ENUM(o) ((pmi_enumerate *)(o))
#define ZIP(o) ((pmi_zip *)(o))
#define MAP(o) ((pmi_map *)(o))
#define FILT(o) ((pmi_filter *)(o))
#define REV(o) ((pmi_reversed *)(o))
#define CALLIT(o) ((pmi_calliter *)(o))

/* ---- shared pieces ------------------------------------------------------------- */

/* A tracked gc object of `type` whose pointer fields (at `offs`, n of them)
 * are visited / cleared generically. */
typedef struct fields {
    int n;                      /* number of object fields */
    size_t offs[4];             /* their offsets */
} fields;

static const fields *fields_of(const pm_type *t);

static int generic_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    const fields *f = fields_of(self->ob_type);
    for (int i = 0; i < f->n; i++) {
        pm_object *v = *(pm_object **)(void *)((char *)self + f->offs[i]);
        int r;
        if (v && (r = visit(v, arg)) != 0) return r;
    }
    return 0;
}

static int generic_clear(pm_runtime *rt, pm_object *self) {
    const fields *f = fields_of(self->ob_type);
    for (int i = 0; i < f->n; i++) PM_CLEAR(rt, *(pm_object **)(void *)((char *)self + f->offs[i]));
    return 0;
}

static void generic_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    generic_clear(rt, self);
    pmi_object_free(rt, self);
}

static int no_kwargs(pm_runtime *rt, const char *name, pm_object *kwargs) {
    if (!kwargs || pm_dict_size(kwargs) == 0) return 1;
    pm_err_format(rt, PM_EXC_TypeError, "%s() takes no keyword arguments", name);
    return 0;
}

/* A tuple of iter(x) for each item of args[from:]: NEW ref. */
static pm_object *iter_tuple(pm_runtime *rt, pm_object *args, pm_ssize_t from) {
    pm_ssize_t n = pm_tuple_size(args) - from;
    pm_object *t = pmi_tuple_alloc(rt, n);
    if (!t) return NULL;
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *it = pm_iter(rt, pm_tuple_get(rt, args, from + i));
        if (!it) {
            for (pm_ssize_t j = i; j < n; j++) PMI_TUPLE(t)->ob_item[j] = pm_newref(rt, PM_NONE);
            pm_decref(rt, t);
            return NULL;
        }
        PMI_TUPLE(t)->ob_item[i] = it;
    }
    if (n) pmi_gc_track(rt, t);
    return t;
}

/* ---- enumerate ---------------------------------------------------------------------- */

static pm_object *enumerate_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    pm_ssize_t nargs = pm_tuple_size(args), nkw = kwargs ? pm_dict_size(kwargs) : 0;
    pm_object *iterable = nargs > 0 ? pm_tuple_get(rt, args, 0) : NULL;
    pm_object *start = nargs > 1 ? pm_tuple_get(rt, args, 1) : NULL;
    if (nargs + nkw > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "enumerate() takes at most 2 arguments (%zd given)", nargs + nkw);
        return NULL;
    }
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    while (kwargs && pm_dict_next(kwargs, &pos, &k, &v)) {
        pm_object **slot = pm_str_check(k) && pm_str_equal_cstr(k, "iterable") ? &iterable
                           : pm_str_check(k) && pm_str_equal_cstr(k, "start") ? &start : NULL;
        if (!slot || *slot) {   /* a name given by position too counts as invalid (3.11) */
            const char *ks = pm_str_check(k) ? pm_str_as_utf8(rt, k, NULL) : "?";
            if (!ks) return NULL;
            pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for enumerate()", ks);
            return NULL;
        }
        *slot = v;
    }
    if (!iterable) {
        pm_err_set(rt, PM_EXC_TypeError, "enumerate() missing required argument 'iterable'");
        return NULL;
    }
    pm_object *idx = NULL, *it = NULL;
    pm_ssize_t cidx = 0;
    if (start) {
        if (!(idx = pm_index(rt, start))) return NULL;
        cidx = pm_int_as_ssize(rt, idx);
        if (cidx == -1 && pm_err_occurred(rt)) {
            pm_err_clear(rt);
            cidx = PM_SSIZE_MAX;
        } else {
            PM_CLEAR(rt, idx);
        }
    }
    if (!(it = pm_iter(rt, iterable))) goto fail;
    pm_object *o = pmi_gc_new(rt, type);
    if (!o) goto fail;
    ENUM(o)->index = cidx;
    ENUM(o)->it = it;
    ENUM(o)->longindex = idx;
    pmi_gc_track(rt, o);
    return o;
fail:
    pm_xdecref(rt, idx);
    pm_xdecref(rt, it);
    return NULL;
}

static pm_object *enumerate_next(pm_runtime *rt, pm_object *self) {
    pmi_enumerate *e = ENUM(self);
    if (!e->it) return NULL;                    /* cleared by the collector */
    pm_object *item = pm_iter_next(rt, e->it), *idx, *r;
    if (!item) return NULL;
    if (e->index == PM_SSIZE_MAX) {             /* the slow path: an int index */
        if (!e->longindex && !(e->longindex = pm_int_from_ssize(rt, PM_SSIZE_MAX))) goto fail;
        pm_object *one = pm_int_from_long(rt, 1);
        pm_object *next = one ? pm_int_add(rt, e->longindex, one) : NULL;
        pm_xdecref(rt, one);
        if (!next) goto fail;
        idx = e->longindex;
        e->longindex = next;
    } else {
        if (!(idx = pm_int_from_ssize(rt, e->index))) goto fail;
        e->index++;
    }
    r = pm_tuple_pack(rt, 2, idx, item);
    pm_decref(rt, idx);
    pm_decref(rt, item);
    return r;
fail:
    pm_decref(rt, item);
    return NULL;
}

const pm_type pm_enumerate_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "enumerate",
    .basicsize = sizeof(pmi_enumerate),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .doc = "Return an enumerate object.",
    .dealloc = generic_dealloc,
    .traverse = generic_traverse,
    .clear = generic_clear,
    .hash = pmi_object_hash,
    .new_object = enumerate_new,
    .iter = pmi_self_iter,
    .iternext = enumerate_next,
};

/* ---- zip ---------------------------------------------------------------------------- */

static pm_object *zip_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    int strict = 0;
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    while (kwargs && pm_dict_next(kwargs, &pos, &k, &v)) {
        if (!pm_str_check(k) || !pm_str_equal_cstr(k, "strict")) {
            const char *ks = pm_str_check(k) ? pm_str_as_utf8(rt, k, NULL) : "?";
            if (!ks) return NULL;
            pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for zip()", ks);
            return NULL;
        }
        if ((strict = pm_is_true(rt, v)) < 0) return NULL;
    }
    pm_object *its = iter_tuple(rt, args, 0);
    if (!its) return NULL;
    pm_object *o = pmi_gc_new(rt, type);
    if (!o) {
        pm_decref(rt, its);
        return NULL;
    }
    ZIP(o)->n = pm_tuple_size(its);
    ZIP(o)->its = its;
    ZIP(o)->strict = strict;
    pmi_gc_track(rt, o);
    return o;
}

/* strict: iterator i (0-based) ran out; say which argument differs. */
static pm_object *zip_strict_error(pm_runtime *rt, pmi_zip *z, pm_ssize_t i) {
    if (i > 0) {
        pm_err_format(rt, PM_EXC_ValueError, "zip() argument %zd is shorter than argument%s%zd", i + 1,
                      i == 1 ? " " : "s 1-", i);
        return NULL;
    }
    for (i = 1; i < z->n; i++) {
        pm_object *item = pm_iter_next(rt, PMI_TUPLE(z->its)->ob_item[i]);
        if (item) {
            pm_decref(rt, item);
            pm_err_format(rt, PM_EXC_ValueError, "zip() argument %zd is longer than argument%s%zd", i + 1,
                          i == 1 ? " " : "s 1-", i);
            return NULL;
        }
        if (pm_err_occurred(rt)) return NULL;
    }
    return NULL;
}

static pm_object *zip_next(pm_runtime *rt, pm_object *self) {
    pmi_zip *z = ZIP(self);
    if (z->n == 0 || !z->its) return NULL;
    pm_object *t = pmi_tuple_alloc(rt, z->n);
    if (!t) return NULL;
    for (pm_ssize_t i = 0; i < z->n; i++) {
        pm_object *item = pm_iter_next(rt, PMI_TUPLE(z->its)->ob_item[i]);
        if (!item) {
            for (pm_ssize_t j = i; j < z->n; j++) PMI_TUPLE(t)->ob_item[j] = pm_newref(rt, PM_NONE);
            pm_decref(rt, t);
            if (z->strict && !pm_err_occurred(rt)) return zip_strict_error(rt, z, i);
            return NULL;
        }
        PMI_TUPLE(t)->ob_item[i] = item;
    }
    pmi_gc_track(rt, t);
    return t;
}

static const fields zip_fields = {1, {offsetof(pmi_zip, its)}};

const pm_type pm_zip_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "zip",
    .basicsize = sizeof(pmi_zip),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .doc = "zip(*iterables, strict=False) --> Yield tuples until an input is exhausted.",
    .dealloc = generic_dealloc,
    .traverse = generic_traverse,
    .clear = generic_clear,
    .hash = pmi_object_hash,
    .new_object = zip_new,
    .iter = pmi_self_iter,
    .iternext = zip_next,
};

/* ---- map ------------------------------------------------------------------------------ */

static pm_object *map_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    if (!no_kwargs(rt, "map", kwargs)) return NULL;
    if (pm_tuple_size(args) < 2) {
        pm_err_set(rt, PM_EXC_TypeError, "map() must have at least two arguments.");
        return NULL;
    }
    pm_object *its = iter_tuple(rt, args, 1);
    if (!its) return NULL;
    pm_object *o = pmi_gc_new(rt, type);
    if (!o) {
        pm_decref(rt, its);
        return NULL;
    }
    MAP(o)->its = its;
    MAP(o)->func = pm_newref(rt, pm_tuple_get(rt, args, 0));
    pmi_gc_track(rt, o);
    return o;
}

static pm_object *map_next(pm_runtime *rt, pm_object *self) {
    pmi_map *m = MAP(self);
    if (!m->its || !m->func) return NULL;       /* cleared by the collector */
    pm_ssize_t n = pm_tuple_size(m->its);
    pm_object *small[8], **a = small, *r = NULL;
    if (n > 8 && !(a = pm_malloc(rt, sizeof *a * (size_t)n))) return pm_err_nomem(rt);
    pm_ssize_t got = 0;
    for (; got < n; got++)
        if (!(a[got] = pm_iter_next(rt, PMI_TUPLE(m->its)->ob_item[got]))) break;
    if (got == n) r = pm_call(rt, m->func, a, (size_t)n, NULL);
    for (pm_ssize_t i = 0; i < got; i++) pm_decref(rt, a[i]);
    if (a != small) pm_free(rt, a);
    return r;
}

static const fields map_fields = {2, {offsetof(pmi_map, its), offsetof(pmi_map, func)}};

const pm_type pm_map_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "map",
    .basicsize = sizeof(pmi_map),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .doc = "map(func, *iterables) --> map object",
    .dealloc = generic_dealloc,
    .traverse = generic_traverse,
    .clear = generic_clear,
    .hash = pmi_object_hash,
    .new_object = map_new,
    .iter = pmi_self_iter,
    .iternext = map_next,
};

/* ---- filter --------------------------------------------------------------------------- */

static pm_object *filter_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    if (!no_kwargs(rt, "filter", kwargs)) return NULL;
    if (!pmi_arg_check_positional(rt, "filter", pm_tuple_size(args), 2, 2)) return NULL;
    pm_object *func = pm_tuple_get(rt, args, 0);
    pm_object *it = pm_iter(rt, pm_tuple_get(rt, args, 1));
    if (!it) return NULL;
    pm_object *o = pmi_gc_new(rt, type);
    if (!o) {
        pm_decref(rt, it);
        return NULL;
    }
    FILT(o)->func = func == PM_NONE ? NULL : pm_newref(rt, func);
    FILT(o)->it = it;
    pmi_gc_track(rt, o);
    return o;
}

static pm_object *filter_next(pm_runtime *rt, pm_object *self) {
    pmi_filter *f = FILT(self);
    if (!f->it) return NULL;                    /* cleared by the collector */
    int truth_only = !f->func || f->func == pm_type_as_object(&pm_bool_type);
    for (;;) {
        pm_object *item = pm_iter_next(rt, f->it);
        if (!item) return NULL;
        int ok;
        if (truth_only) {
            ok = pm_is_true(rt, item);
        } else {
            pm_object *r = pm_call_one(rt, f->func, item);
            ok = r ? pm_is_true(rt, r) : -1;
            pm_xdecref(rt, r);
        }
        if (ok > 0) return item;
        pm_decref(rt, item);
        if (ok < 0) return NULL;
    }
}

static const fields filter_fields = {2, {offsetof(pmi_filter, func), offsetof(pmi_filter, it)}};

const pm_type pm_filter_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "filter",
    .basicsize = sizeof(pmi_filter),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .doc = "filter(function or None, iterable) --> filter object",
    .dealloc = generic_dealloc,
    .traverse = generic_traverse,
    .clear = generic_clear,
    .hash = pmi_object_hash,
    .new_object = filter_new,
    .iter = pmi_self_iter,
    .iternext = filter_next,
};

/* ---- reversed -------------------------------------------------------------------------- */

static pm_object *reversed_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    if (type == &pm_reversed_type && !no_kwargs(rt, "reversed", kwargs)) return NULL;
    if (!pmi_arg_check_positional(rt, "reversed", pm_tuple_size(args), 1, 1)) return NULL;
    pm_object *seq = pm_tuple_get(rt, args, 0);
    pm_object *name = pm_str_intern_cstr(rt, "__reversed__");
    if (!name) return NULL;
    pm_object *meth = pm_type_lookup(rt, seq->ob_type, name);
    if (!meth && pm_err_occurred(rt)) {
        pm_decref(rt, name);
        return NULL;
    }
    if (meth && meth != PM_NONE) {
        pm_object *r = pm_call_method(rt, seq, name, NULL, 0);
        pm_decref(rt, name);
        return r;
    }
    pm_decref(rt, name);
    pm_lenfunc len = pmi_type_lenfunc(seq->ob_type);
    if (meth == PM_NONE || !pmi_is_sequence(seq) || !len) {
        pm_err_format(rt, PM_EXC_TypeError, "'%.200s' object is not reversible", seq->ob_type->name);
        return NULL;
    }
    pm_ssize_t n = len(rt, seq);
    if (n < 0) return NULL;
    pm_object *o = pmi_gc_new(rt, type);
    if (!o) return NULL;
    REV(o)->index = n - 1;
    REV(o)->seq = pm_newref(rt, seq);
    pmi_gc_track(rt, o);
    return o;
}

static pm_object *reversed_next(pm_runtime *rt, pm_object *self) {
    pmi_reversed *r = REV(self);
    if (r->index >= 0 && r->seq) {
        pm_object *item = r->seq->ob_type->as_sequence->sq_item(rt, r->seq, r->index);
        if (item) {
            r->index--;
            return item;
        }
        if (!pm_err_matches(rt, PM_EXC_IndexError) && !pm_err_matches(rt, PM_EXC_StopIteration)) return NULL;
        pm_err_clear(rt);
    }
    r->index = -1;
    PM_CLEAR(rt, r->seq);
    return NULL;
}

static pm_object *reversed_length_hint(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pmi_reversed *r = REV(self);
    if (!r->seq) return pm_int_from_long(rt, 0);
    pm_lenfunc len = pmi_type_lenfunc(r->seq->ob_type);
    pm_ssize_t n = len ? len(rt, r->seq) : -1;
    if (n < 0) return NULL;
    return pm_int_from_ssize(rt, n < r->index + 1 ? 0 : r->index + 1);
}

static const pm_method_def reversed_methods[] = {
    {"__length_hint__", reversed_length_hint, PM_METH_NOARGS, "Private method returning an estimate of len(list(it))."},
    {NULL, NULL, 0, NULL},
};

static const fields reversed_fields = {1, {offsetof(pmi_reversed, seq)}};

const pm_type pm_reversed_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "reversed",
    .basicsize = sizeof(pmi_reversed),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .doc = "Return a reverse iterator over the values of the given sequence.",
    .dealloc = generic_dealloc,
    .traverse = generic_traverse,
    .clear = generic_clear,
    .hash = pmi_object_hash,
    .new_object = reversed_new,
    .iter = pmi_self_iter,
    .iternext = reversed_next,
    .methods = reversed_methods,
};

/* ---- callable_iterator ------------------------------------------------------------------ */

pm_object *pm_callable_iter_new(pm_runtime *rt, pm_object *callable, pm_object *sentinel) {
    if (!pm_callable(callable)) {
        pm_err_set(rt, PM_EXC_TypeError, "iter(v, w): v must be callable");
        return NULL;
    }
    pm_object *o = pmi_gc_new(rt, &pm_callable_iter_type);
    if (!o) return NULL;
    CALLIT(o)->callable = pm_newref(rt, callable);
    CALLIT(o)->sentinel = pm_newref(rt, sentinel);
    pmi_gc_track(rt, o);
    return o;
}

static pm_object *calliter_next(pm_runtime *rt, pm_object *self) {
    pmi_calliter *c = CALLIT(self);
    if (!c->callable) return NULL;
    pm_object *r = pm_call_noargs(rt, c->callable);
    if (r) {
        int eq = pm_equal(rt, r, c->sentinel);
        if (eq == 0) return r;
        pm_decref(rt, r);
        if (eq < 0) return NULL;
    } else if (pm_err_matches(rt, PM_EXC_StopIteration)) {
        pm_err_clear(rt);
    } else {
        return NULL;
    }
    PM_CLEAR(rt, c->callable);
    PM_CLEAR(rt, c->sentinel);
    return NULL;
}

static const fields calliter_fields = {2, {offsetof(pmi_calliter, callable), offsetof(pmi_calliter, sentinel)}};

const pm_type pm_callable_iter_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "callable_iterator",
    .basicsize = sizeof(pmi_calliter),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = generic_dealloc,
    .traverse = generic_traverse,
    .clear = generic_clear,
    .hash = pmi_object_hash,
    .iter = pmi_self_iter,
    .iternext = calliter_next,
};

static const fields enumerate_fields = {3, {offsetof(pmi_enumerate, it), offsetof(pmi_enumerate, longindex),
                                            offsetof(pmi_enumerate, result)}};
static const fields no_fields = {0, {0}};

/* The object fields of each type of this file (subclasses: their base's). */
static const fields *fields_of(const pm_type *t) {
    for (; t; t = t->base) {
        if (t == &pm_enumerate_type) return &enumerate_fields;
        if (t == &pm_zip_type) return &zip_fields;
        if (t == &pm_map_type) return &map_fields;
        if (t == &pm_filter_type) return &filter_fields;
        if (t == &pm_reversed_type) return &reversed_fields;
        if (t == &pm_callable_iter_type) return &calliter_fields;
    }
    return &no_fields;
}
