/*
 * interp/mod_functools.c — `_functools`, the C core of `functools` (CPython
 * 3.11's Modules/_functoolsmodule.c): reduce, the partial type and
 * cmp_to_key.  The rest (wraps, total_ordering, lru_cache, cache,
 * cached_property) is Python code in lib/functools.py, which imports these.
 *
 * partial
 *   A gc object holding the function, the frozen positional arguments (a
 *   tuple) and the frozen keywords (a dict, possibly empty):
 *
 *       partial ──fn──▶ print
 *               ──args──▶ (1,)
 *               ──kw────▶ {'sep': '-'}
 *
 *   partial(partial(f, 1, a=1), 2, b=2) flattens to partial(f, 1, 2, a=1,
 *   b=2) as CPython does when the inner object is an exact partial.  A call
 *   passes args + call args and kw updated by the call's keywords (the
 *   call's win).  repr: functools.partial(<fn>, 1, 2, a=1, b=2).
 *
 * cmp_to_key
 *   Returns a KeyWrapper whose `obj` is unset; calling it wraps an object
 *   (a second KeyWrapper sharing cmp).  Comparing two wrappers calls
 *   cmp(a.obj, b.obj) and compares the result with 0 by the same operator;
 *   comparing with anything else is TypeError "other argument must be K
 *   instance".  Wrappers are unhashable.
 *
 * reduce(function, iterable[, initial]) with 3.11's messages.
 */
#include "modules.h"

#include <stddef.h>

/* PyArg_ParseTupleAndKeywords("O:fname") with one keyword name: the count
 * first, then the missing argument, then an unknown keyword (that order
 * gives CPython's messages).  *out borrowed.  0 / -1. */
static int one_arg_old_style(pm_runtime *rt, const char *fname, const char *kwname, pm_object *const *args,
                             pm_ssize_t nargs, pm_object *kwnames, pm_object **out) {
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs + nkw > 1) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most 1 argument (%zd given)", fname, nargs + nkw);
        return -1;
    }
    if (nargs == 1) {
        *out = args[0];
        return 0;
    }
    if (nkw == 1 && pm_str_equal_cstr(pm_tuple_get(rt, kwnames, 0), kwname)) {
        *out = args[0];
        return 0;
    }
    pm_err_format(rt, PM_EXC_TypeError, "%s() missing required argument '%s' (pos 1)", fname, kwname);
    return -1;
}

/* ---- reduce -------------------------------------------------------------------- */

static pm_object *ft_reduce(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (pmi_mod_check_positional(rt, "reduce", nargs, 2, 3) < 0) return NULL;
    pm_object *func = args[0], *acc = nargs == 3 ? pm_newref(rt, args[2]) : NULL, *x;
    pm_object *it = pm_iter(rt, args[1]);
    if (!it) {
        if (pm_err_matches(rt, PM_EXC_TypeError)) {
            pm_err_clear(rt);
            pm_err_set(rt, PM_EXC_TypeError, "reduce() arg 2 must support iteration");
        }
        pm_xdecref(rt, acc);
        return NULL;
    }
    while ((x = pm_iter_next(rt, it))) {
        if (!acc) {
            acc = x;
            continue;
        }
        pm_object *pair[2] = {acc, x};
        pm_object *r = pm_call(rt, func, pair, 2, NULL);
        pm_decref(rt, acc);
        pm_decref(rt, x);
        if (!(acc = r)) break;
    }
    pm_decref(rt, it);
    if (pm_err_occurred(rt)) {
        pm_xdecref(rt, acc);
        return NULL;
    }
    if (!acc) pm_err_set(rt, PM_EXC_TypeError, "reduce() of empty iterable with no initial value");
    return acc;
}

/* reduce takes METH_VARARGS in 3.11, so that its calls count a recursion
 * level (core/call.c): the tuple's items are the arguments. */
static pm_object *ft_reduce_varargs(pm_runtime *rt, pm_object *self, pm_object *args) {
    return ft_reduce(rt, self, pm_tuple_items(args), pm_tuple_size(args));
}

/* ---- partial ---------------------------------------------------------------------- */

typedef struct ft_partial {
    pm_object ob_base;              /* refcount + type */
    pm_object *fn;                  /* owned: the function */
    pm_object *args;                /* owned: frozen positional arguments (tuple) */
    pm_object *kw;                  /* owned: frozen keywords (dict, maybe empty) */
} ft_partial;

extern const pm_type pmi_partial_type;

static pm_object *partial_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    pm_ssize_t n = args ? pm_tuple_size(args) : 0;
    if (n < 1) {
        pm_err_set(rt, PM_EXC_TypeError, "type 'partial' takes at least one argument");
        return NULL;
    }
    pm_object *func = pm_tuple_get(rt, args, 0);
    if (!pm_callable(func)) {
        pm_err_set(rt, PM_EXC_TypeError, "the first argument must be callable");
        return NULL;
    }
    pm_object *pargs = NULL, *pkw = NULL;
    if (pm_type_of(func) == &pmi_partial_type && type == &pmi_partial_type) {
        ft_partial *inner = (ft_partial *)func;   /* flatten partial(partial(...)) */
        pargs = inner->args;
        pkw = inner->kw;
        func = inner->fn;
    }
    ft_partial *p = NULL;
    pm_object *l = pm_list_new(rt), *nargs = NULL, *nkw = NULL;
    if (!l) return NULL;
    for (pm_ssize_t i = 0; pargs && i < pm_tuple_size(pargs); i++)
        if (pm_list_append(rt, l, pm_tuple_get(rt, pargs, i)) < 0) goto fail;
    for (pm_ssize_t i = 1; i < n; i++)
        if (pm_list_append(rt, l, pm_tuple_get(rt, args, i)) < 0) goto fail;
    if (!(nargs = pm_list_as_tuple(rt, l))) goto fail;
    nkw = pkw ? pm_dict_copy(rt, pkw) : pm_dict_new(rt);
    if (!nkw || (kwargs && pm_dict_update(rt, nkw, kwargs) < 0)) goto fail;
    if (!(p = (ft_partial *)pm_gc_new(rt, type))) goto fail;
    p->fn = pm_newref(rt, func);
    p->args = nargs;
    p->kw = nkw;
    pm_decref(rt, l);
    pm_gc_track(rt, (pm_object *)p);
    return (pm_object *)p;
fail:
    pm_decref(rt, l);
    pm_xdecref(rt, nargs);
    pm_xdecref(rt, nkw);
    return NULL;
}

static void partial_dealloc(pm_runtime *rt, pm_object *self) {
    ft_partial *p = (ft_partial *)self;
    pm_gc_untrack(rt, self);
    PM_CLEAR(rt, p->fn);
    PM_CLEAR(rt, p->args);
    PM_CLEAR(rt, p->kw);
    pm_gc_del(rt, self);
}

static int partial_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    ft_partial *p = (ft_partial *)self;
    int r;
    if (p->fn && (r = visit(p->fn, arg))) return r;
    if (p->args && (r = visit(p->args, arg))) return r;
    if (p->kw && (r = visit(p->kw, arg))) return r;
    return 0;
}

static int partial_clear(pm_runtime *rt, pm_object *self) {
    ft_partial *p = (ft_partial *)self;
    PM_CLEAR(rt, p->fn);
    PM_CLEAR(rt, p->args);
    PM_CLEAR(rt, p->kw);
    return 0;
}

static pm_object *partial_call(pm_runtime *rt, pm_object *self, pm_object *const *args, size_t nargsf,
                               pm_object *kwnames) {
    ft_partial *p = (ft_partial *)self;
    pm_ssize_t n = pm_vectorcall_nargs(nargsf), nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (!p->fn) {
        pm_err_set(rt, PM_EXC_TypeError, "partial object is not callable");
        return NULL;
    }
    pm_object *l = pm_list_new(rt), *all = NULL, *kw = NULL, *r = NULL;
    if (!l) return NULL;
    for (pm_ssize_t i = 0; i < pm_tuple_size(p->args); i++)
        if (pm_list_append(rt, l, pm_tuple_get(rt, p->args, i)) < 0) goto done;
    for (pm_ssize_t i = 0; i < n; i++)
        if (pm_list_append(rt, l, args[i]) < 0) goto done;
    if (!(all = pm_list_as_tuple(rt, l))) goto done;
    if (pm_dict_size(p->kw) > 0 || nkw > 0) {
        if (!(kw = pm_dict_copy(rt, p->kw))) goto done;
        for (pm_ssize_t k = 0; k < nkw; k++)
            if (pm_dict_set(rt, kw, pm_tuple_get(rt, kwnames, k), args[n + k]) < 0) goto done;
    }
    r = pm_call_object(rt, p->fn, all, kw);
done:
    pm_decref(rt, l);
    pm_xdecref(rt, all);
    pm_xdecref(rt, kw);
    return r;
}

/* s += piece (piece STOLEN; NULL fails): 0 / -1. */
static int append_str(pm_runtime *rt, pm_object **s, pm_object *piece) {
    if (!piece) return -1;
    pm_object *r = pm_str_concat(rt, *s, piece);
    pm_decref(rt, piece);
    if (!r) return -1;
    pm_decref(rt, *s);
    *s = r;
    return 0;
}

static pm_object *partial_repr(pm_runtime *rt, pm_object *self) {
    ft_partial *p = (ft_partial *)self;
    pm_object *s = pm_str_from_cstr(rt, "functools.partial(");
    if (!s) return NULL;
    if (append_str(rt, &s, pm_repr(rt, p->fn)) < 0) goto fail;
    for (pm_ssize_t i = 0; i < pm_tuple_size(p->args); i++) {
        if (append_str(rt, &s, pm_str_from_cstr(rt, ", ")) < 0 ||
            append_str(rt, &s, pm_repr(rt, pm_tuple_get(rt, p->args, i))) < 0)
            goto fail;
    }
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    while (pm_dict_next(p->kw, &pos, &k, &v)) {
        if (append_str(rt, &s, pm_str_from_cstr(rt, ", ")) < 0 || append_str(rt, &s, pm_str(rt, k)) < 0 ||
            append_str(rt, &s, pm_str_from_cstr(rt, "=")) < 0 || append_str(rt, &s, pm_repr(rt, v)) < 0)
            goto fail;
    }
    if (append_str(rt, &s, pm_str_from_cstr(rt, ")")) < 0) goto fail;
    return s;
fail:
    pm_decref(rt, s);
    return NULL;
}

static const pm_member_def partial_members[] = {
    {"func", PM_T_OBJECT, offsetof(ft_partial, fn), PM_READONLY, "function object to use in future partial calls"},
    {"args", PM_T_OBJECT, offsetof(ft_partial, args), PM_READONLY, "tuple of arguments to future partial calls"},
    {"keywords", PM_T_OBJECT, offsetof(ft_partial, kw), PM_READONLY, "dictionary of keyword arguments to future partial calls"},
    {NULL, 0, 0, 0, NULL},
};

const pm_type pmi_partial_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "functools.partial",
    .basicsize = sizeof(ft_partial),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_CALL_UNCOUNTED,   /* the target's call counts */
    .base = &pm_object_type,
    .doc = "partial(func, *args, **keywords) - new function with partial application\n    of the given "
           "arguments and keywords.\n",
    .dealloc = partial_dealloc,
    .traverse = partial_traverse,
    .clear = partial_clear,
    .repr = partial_repr,
    .call = partial_call,
    .new_object = partial_new,
    .members = partial_members,
};

/* ---- cmp_to_key -------------------------------------------------------------------- */

typedef struct ft_key {
    pm_object ob_base;              /* refcount + type */
    pm_object *cmp;                 /* owned: the comparison function */
    pm_object *obj;                 /* owned or NULL: the wrapped object (NULL: the K factory) */
} ft_key;

extern const pm_type pmi_keywrapper_type;

static pm_object *key_make(pm_runtime *rt, pm_object *cmp, pm_object *obj) {
    ft_key *k = (ft_key *)pm_gc_new(rt, &pmi_keywrapper_type);
    if (!k) return NULL;
    k->cmp = pm_newref(rt, cmp);
    k->obj = obj ? pm_newref(rt, obj) : NULL;
    pm_gc_track(rt, (pm_object *)k);
    return (pm_object *)k;
}

static void key_dealloc(pm_runtime *rt, pm_object *self) {
    ft_key *k = (ft_key *)self;
    pm_gc_untrack(rt, self);
    PM_CLEAR(rt, k->cmp);
    PM_CLEAR(rt, k->obj);
    pm_gc_del(rt, self);
}

static int key_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    ft_key *k = (ft_key *)self;
    int r;
    if (k->cmp && (r = visit(k->cmp, arg))) return r;
    if (k->obj && (r = visit(k->obj, arg))) return r;
    return 0;
}

static int key_clear(pm_runtime *rt, pm_object *self) {
    ft_key *k = (ft_key *)self;
    PM_CLEAR(rt, k->cmp);
    PM_CLEAR(rt, k->obj);
    return 0;
}

/* K(obj): a wrapper of obj sharing cmp. */
static pm_object *key_call(pm_runtime *rt, pm_object *self, pm_object *const *args, size_t nargsf,
                           pm_object *kwnames) {
    pm_object *v[1];
    if (one_arg_old_style(rt, "K", "obj", args, pm_vectorcall_nargs(nargsf), kwnames, v) < 0) return NULL;
    ft_key *k = (ft_key *)self;
    if (!k->cmp) {
        pm_err_set(rt, PM_EXC_TypeError, "K object is not usable");
        return NULL;
    }
    return key_make(rt, k->cmp, v[0]);
}

static pm_object *key_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (pm_type_of(b) != &pmi_keywrapper_type || pm_type_of(a) != &pmi_keywrapper_type) {
        pm_err_set(rt, PM_EXC_TypeError, "other argument must be K instance");
        return NULL;
    }
    ft_key *x = (ft_key *)a, *y = (ft_key *)b;
    if (!x->obj || !y->obj || !x->cmp) {
        pm_err_set(rt, PM_EXC_AttributeError, "object");
        return NULL;
    }
    pm_object *pair[2] = {x->obj, y->obj};
    pm_object *res = pm_call(rt, x->cmp, pair, 2, NULL);
    if (!res) return NULL;
    pm_object *zero = pm_int_from_long(rt, 0);
    pm_object *r = zero ? pm_richcompare(rt, res, zero, op) : NULL;
    pm_xdecref(rt, zero);
    pm_decref(rt, res);
    return r;
}

static const pm_member_def key_members[] = {
    {"obj", PM_T_OBJECT, offsetof(ft_key, obj), 0, "Value wrapped by a key function."},
    {NULL, 0, 0, 0, NULL},
};

const pm_type pmi_keywrapper_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "functools.KeyWrapper",
    .basicsize = sizeof(ft_key),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = key_dealloc,
    .traverse = key_traverse,
    .clear = key_clear,
    .richcompare = key_richcompare,
    .call = key_call,
    .members = key_members,
};

static pm_object *ft_cmp_to_key(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                                pm_object *kwnames) {
    (void)self;
    pm_object *v[1];
    if (one_arg_old_style(rt, "cmp_to_key", "mycmp", args, nargs, kwnames, v) < 0) return NULL;
    return key_make(rt, v[0], NULL);
}

/* ---- the module ----------------------------------------------------------------- */

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def functools_methods[] = {
    {"reduce", ft_reduce_varargs, PM_METH_VARARGS,
     "reduce(function, iterable[, initial]) -> value\n\nApply a function of two arguments cumulatively to "
     "the items of a sequence\nor iterable, from left to right, so as to reduce the iterable to a single\nvalue."},
    {"cmp_to_key", FN(ft_cmp_to_key), PM_METH_FASTCALL | PM_METH_KEYWORDS,
     "Convert a cmp= function into a key= function."},
    {NULL, NULL, 0, NULL},
};
#undef FN

static int functools_fill(pm_runtime *rt, pm_object *m) {
    if (pmi_module_add(rt, m, "partial", pm_type_as_object(&pmi_partial_type)) < 0) return -1;
    return 0;
}

static const pmi_module_def functools_def = {
    .name = "_functools",
    .doc = "Tools that operate on functions.",
    .methods = functools_methods,
    .fill = functools_fill,
};

pm_object *pmi_functools_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &functools_def);
}
