/*
 * interp/mod_itertools.c — `itertools` (CPython 3.11's
 * Modules/itertoolsmodule.c at the Python level), first part.
 *
 * Purpose
 *   Lazy iterators over other iterables.  Each function is a type whose
 *   instances are gc-tracked iterators; they share one instance layout and
 *   one set of lifetime slots, and each type names its own next function:
 *
 *       it_object: o[0..3] owned object slots (meaning per type)
 *                  n[0..2] counters, flag
 *
 *       count      o0 current, o1 step
 *       repeat     o0 object; n0 remaining (-1: forever)
 *       cycle      o0 source iterator (NULL once exhausted), o1 saved items;
 *                  n0 replay index
 *       chain      o0 iterator over the iterables, o1 the active iterator
 *       islice     o0 source; n0 next index to yield, n1 stop (-1: none),
 *                  n2 step; n3 index of the next source item
 *       accumulate o0 source, o1 func (NULL: +), o2 running total,
 *                  o3 initial (yielded first)
 *       pairwise   o0 source, o1 previous item
 *       starmap    o0 func, o1 source
 *       compress   o0 data, o1 selectors
 *       takewhile / dropwhile / filterfalse   o0 predicate, o1 source;
 *                  flag: stopped (takewhile) / dropping done (dropwhile)
 *       zip_longest o0 tuple of iterators (items NULL... see zl_next),
 *                  o1 fillvalue; n0 active count
 *
 *   reprs of count and repeat as CPython: count(5), count(0.5, 0.25),
 *   repeat('a'), repeat('a', 3).
 *
 * Not yet: groupby, tee, __reduce__/__setstate__.
 */
#include "modules.h"

#include <stddef.h>

typedef struct it_object {
    pm_object ob_base;              /* refcount + type */
    pm_object *o[4];                /* owned or NULL: per-type objects (essay) */
    pm_ssize_t n[4];                /* per-type counters (essay) */
    int flag;                       /* per-type state bit (essay) */
    pm_ssize_t *idx;                /* pm_malloc'ed or NULL: index vector (combinatorics) */
    pm_ssize_t *cyc;                /* pm_malloc'ed or NULL: permutations' cycles */
} it_object;

#define IT(self) ((it_object *)(self))

static void it_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    for (int i = 0; i < 4; i++) PM_CLEAR(rt, IT(self)->o[i]);
    pm_free(rt, IT(self)->idx);
    pm_free(rt, IT(self)->cyc);
    pm_gc_del(rt, self);
}

static int it_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    for (int i = 0; i < 4; i++) {
        int r;
        if (IT(self)->o[i] && (r = visit(IT(self)->o[i], arg))) return r;
    }
    return 0;
}

static int it_clear(pm_runtime *rt, pm_object *self) {
    for (int i = 0; i < 4; i++) PM_CLEAR(rt, IT(self)->o[i]);
    return 0;
}

static pm_object *it_self(pm_runtime *rt, pm_object *self) { return pm_newref(rt, self); }

/* A new iterator of type t whose object slots take the given references
 * (STOLEN, may be NULL; on failure they are released). */
static pm_object *it_make(pm_runtime *rt, const pm_type *t, pm_object *a, pm_object *b, pm_object *c,
                          pm_object *d) {
    it_object *it = (it_object *)pm_gc_new(rt, t);
    if (!it) {
        pm_xdecref(rt, a);
        pm_xdecref(rt, b);
        pm_xdecref(rt, c);
        pm_xdecref(rt, d);
        return NULL;
    }
    it->o[0] = a;
    it->o[1] = b;
    it->o[2] = c;
    it->o[3] = d;
    for (int i = 0; i < 4; i++) it->n[i] = 0;
    it->flag = 0;
    it->idx = NULL;
    it->cyc = NULL;
    pm_gc_track(rt, (pm_object *)it);
    return (pm_object *)it;
}

static pm_ssize_t nargs_of(pm_object *args) { return args ? pm_tuple_size(args) : 0; }

static int no_kwargs(pm_runtime *rt, const char *name, pm_object *kwargs) {
    if (!kwargs || pm_dict_size(kwargs) == 0) return 0;
    pm_err_format(rt, PM_EXC_TypeError, "%s() takes no keyword arguments", name);
    return -1;
}

/* Keyword arguments of a constructor by name (borrowed into out[]), the
 * rest positional: 0 / -1 ("count() got an unexpected keyword argument"). */
static int kw_args(pm_runtime *rt, const char *fname, pm_object *kwargs, const char *const *names, pm_object **out) {
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    while (kwargs && pm_dict_next(kwargs, &pos, &k, &v)) {
        int i = 0;
        while (names[i] && !pm_str_equal_cstr(k, names[i])) i++;
        if (!names[i]) {
            const char *ks = pm_str_as_utf8(rt, k, NULL);
            if (ks) pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for %s()", ks, fname);
            return -1;
        }
        out[i] = v;
    }
    return 0;
}

#define DECL_TYPE(tname) extern const pm_type pmi_it_##tname##_type;
DECL_TYPE(count)
DECL_TYPE(repeat)
DECL_TYPE(cycle)
DECL_TYPE(chain)
DECL_TYPE(islice)
DECL_TYPE(accumulate)
DECL_TYPE(pairwise)
DECL_TYPE(starmap)
DECL_TYPE(compress)
DECL_TYPE(takewhile)
DECL_TYPE(dropwhile)
DECL_TYPE(filterfalse)
DECL_TYPE(zip_longest)
DECL_TYPE(combinations)
DECL_TYPE(combinations_with_replacement)
DECL_TYPE(permutations)
DECL_TYPE(product)

/* ---- count ------------------------------------------------------------------------- */

static pm_object *count_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"start", "step", NULL};
    pm_object *v[2] = {NULL, NULL};
    pm_ssize_t n = nargs_of(args);
    if (n > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "count() takes at most 2 arguments (%zd given)", n);
        return NULL;
    }
    if (kw_args(rt, "count", kwargs, names, v) < 0) return NULL;
    if (n >= 1) v[0] = pm_tuple_get(rt, args, 0);
    if (n >= 2) v[1] = pm_tuple_get(rt, args, 1);
    for (int i = 0; i < 2; i++)
        if (v[i] && !pm_number_check(v[i])) {
            pm_err_set(rt, PM_EXC_TypeError, "a number is required");
            return NULL;
        }
    pm_object *start = v[0] ? pm_newref(rt, v[0]) : pm_int_from_long(rt, 0);
    pm_object *step = v[1] ? pm_newref(rt, v[1]) : pm_int_from_long(rt, 1);
    if (!start || !step) {
        pm_xdecref(rt, start);
        pm_xdecref(rt, step);
        return NULL;
    }
    return it_make(rt, t, start, step, NULL, NULL);
}

static pm_object *count_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    pm_object *next = pm_number_binop(rt, it->o[0], it->o[1], PM_NB_ADD);
    if (!next) return NULL;
    pm_object *cur = it->o[0];
    it->o[0] = next;
    return cur;
}

static pm_object *count_repr(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    pm_object *a = pm_repr(rt, it->o[0]), *b = NULL, *r = NULL;
    if (!a) return NULL;
    int plain = pm_type_of(it->o[1]) == &pm_int_type && pm_int_sign(it->o[1]) > 0 && pm_int_bit_length(it->o[1]) == 1;
    if (plain) {
        r = pm_str_from_format(rt, "count(%s)", pm_str_as_utf8(rt, a, NULL));
    } else if ((b = pm_repr(rt, it->o[1]))) {
        r = pm_str_from_format(rt, "count(%s, %s)", pm_str_as_utf8(rt, a, NULL), pm_str_as_utf8(rt, b, NULL));
    }
    pm_decref(rt, a);
    pm_xdecref(rt, b);
    return r;
}

/* ---- repeat -------------------------------------------------------------------------- */

static pm_object *repeat_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"object", "times", NULL};
    pm_object *v[2] = {NULL, NULL};
    pm_ssize_t n = nargs_of(args);
    if (n > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "repeat() takes at most 2 arguments (%zd given)", n);
        return NULL;
    }
    if (kw_args(rt, "repeat", kwargs, names, v) < 0) return NULL;
    if (n >= 1) v[0] = pm_tuple_get(rt, args, 0);
    if (n >= 2) v[1] = pm_tuple_get(rt, args, 1);
    if (!v[0]) {
        pm_err_set(rt, PM_EXC_TypeError, "repeat() missing required argument 'object' (pos 1)");
        return NULL;
    }
    pm_ssize_t times = -1;
    if (v[1]) {
        times = pm_index_as_ssize(rt, v[1], PM_INDEX_OVERFLOWERROR);
        if (times == -1 && pm_err_occurred(rt)) return NULL;
        if (times < 0) times = 0;
    }
    pm_object *r = it_make(rt, t, pm_newref(rt, v[0]), NULL, NULL, NULL);
    if (r) IT(r)->n[0] = times;
    return r;
}

static pm_object *repeat_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    if (it->n[0] == 0) return NULL;
    if (it->n[0] > 0) it->n[0]--;
    return pm_newref(rt, it->o[0]);
}

static pm_object *repeat_repr(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    pm_object *a = pm_repr(rt, it->o[0]);
    if (!a) return NULL;
    pm_object *r = it->n[0] < 0 ? pm_str_from_format(rt, "repeat(%s)", pm_str_as_utf8(rt, a, NULL))
                                : pm_str_from_format(rt, "repeat(%s, %zd)", pm_str_as_utf8(rt, a, NULL), it->n[0]);
    pm_decref(rt, a);
    return r;
}

/* ---- cycle ------------------------------------------------------------------------------ */

static pm_object *one_iterable(pm_runtime *rt, const char *name, pm_object *args, pm_object *kwargs) {
    if (no_kwargs(rt, name, kwargs) < 0) return NULL;
    pm_ssize_t n = nargs_of(args);
    if (n != 1) {
        pm_err_format(rt, PM_EXC_TypeError, "%s expected 1 argument, got %zd", name, n);
        return NULL;
    }
    return pm_iter(rt, pm_tuple_get(rt, args, 0));
}

static pm_object *cycle_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    pm_object *src = one_iterable(rt, "cycle", args, kwargs);
    if (!src) return NULL;
    pm_object *saved = pm_list_new(rt);
    if (!saved) {
        pm_decref(rt, src);
        return NULL;
    }
    return it_make(rt, t, src, saved, NULL, NULL);
}

static pm_object *cycle_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    if (it->o[0]) {
        pm_object *x = pm_iter_next(rt, it->o[0]);
        if (x) {
            if (pm_list_append(rt, it->o[1], x) < 0) {
                pm_decref(rt, x);
                return NULL;
            }
            return x;
        }
        if (pm_err_occurred(rt)) return NULL;
        PM_CLEAR(rt, it->o[0]);
    }
    pm_ssize_t n = pm_list_size(it->o[1]);
    if (n == 0) return NULL;
    pm_object *x = pm_list_get(rt, it->o[1], it->n[0]);
    it->n[0] = (it->n[0] + 1) % n;
    return pm_newref(rt, x);
}

/* ---- chain --------------------------------------------------------------------------------- */

static pm_object *chain_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    if (no_kwargs(rt, "chain", kwargs) < 0) return NULL;
    pm_object *empty = args ? NULL : pm_tuple_from_array(rt, NULL, 0);
    pm_object *src = pm_iter(rt, args ? args : empty);
    pm_xdecref(rt, empty);
    if (!src) return NULL;
    return it_make(rt, t, src, NULL, NULL, NULL);
}

static pm_object *chain_from_iterable(pm_runtime *rt, pm_object *cls, pm_object *iterable) {
    pm_object *src = pm_iter(rt, iterable);
    if (!src) return NULL;
    return it_make(rt, pm_type_check(cls) ? (const pm_type *)(void *)cls : &pmi_it_chain_type, src, NULL, NULL, NULL);
}

static pm_object *chain_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    for (;;) {
        if (it->o[1]) {
            pm_object *x = pm_iter_next(rt, it->o[1]);
            if (x || pm_err_occurred(rt)) return x;
            PM_CLEAR(rt, it->o[1]);
        }
        if (!it->o[0]) return NULL;
        pm_object *next = pm_iter_next(rt, it->o[0]);
        if (!next) {
            if (!pm_err_occurred(rt)) PM_CLEAR(rt, it->o[0]);
            return NULL;
        }
        it->o[1] = pm_iter(rt, next);
        pm_decref(rt, next);
        if (!it->o[1]) return NULL;
    }
}

/* ---- islice ------------------------------------------------------------------------------------ */

/* An islice index: None -> dflt; else 0 <= int <= maxsize: 0 / -1 with msg. */
static int islice_index(pm_runtime *rt, pm_object *o, pm_ssize_t dflt, const char *msg, pm_ssize_t *out) {
    if (o == PM_NONE) {
        *out = dflt;
        return 0;
    }
    pm_ssize_t v = -1;
    if (pm_int_check(o) || (pm_type_of(o)->as_number && pm_type_of(o)->as_number->nb_index)) {
        v = pm_index_as_ssize(rt, o, PM_INDEX_CLAMP);
        if (v == -1 && pm_err_occurred(rt)) {
            if (!pm_err_matches(rt, PM_EXC_TypeError) && !pm_err_matches(rt, PM_EXC_OverflowError)) return -1;
            pm_err_clear(rt);
            v = -1;
        }
    }
    if (v < 0) {
        pm_err_set(rt, PM_EXC_ValueError, msg);
        return -1;
    }
    *out = v;
    return 0;
}

static pm_object *islice_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    if (no_kwargs(rt, "islice", kwargs) < 0) return NULL;
    pm_ssize_t n = nargs_of(args), start = 0, stop = -1, step = 1;
    if (n < 2 || n > 4) {
        pm_err_format(rt, PM_EXC_TypeError, "islice expected %s %d arguments, got %zd", n < 2 ? "at least" : "at most",
                      n < 2 ? 2 : 4, n);
        return NULL;
    }
    static const char *const idx_msg = "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    static const char *const stop_msg = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    if (n == 2) {
        if (islice_index(rt, pm_tuple_get(rt, args, 1), -1, stop_msg, &stop) < 0) return NULL;
    } else {
        if (islice_index(rt, pm_tuple_get(rt, args, 2), -1, stop_msg, &stop) < 0 ||
            islice_index(rt, pm_tuple_get(rt, args, 1), 0, idx_msg, &start) < 0)
            return NULL;
        if (n == 4) {
            pm_object *s = pm_tuple_get(rt, args, 3);
            if (s != PM_NONE) {
                pm_ssize_t v = -1;
                if (pm_int_check(s)) {
                    v = pm_index_as_ssize(rt, s, PM_INDEX_CLAMP);
                    if (v == -1 && pm_err_occurred(rt)) pm_err_clear(rt);
                }
                if (v <= 0) {
                    pm_err_set(rt, PM_EXC_ValueError, "Step for islice() must be a positive integer or None.");
                    return NULL;
                }
                step = v;
            }
        }
    }
    pm_object *src = pm_iter(rt, pm_tuple_get(rt, args, 0));
    if (!src) return NULL;
    pm_object *r = it_make(rt, t, src, NULL, NULL, NULL);
    if (r) {
        IT(r)->n[0] = start;
        IT(r)->n[1] = stop;
        IT(r)->n[2] = step;
        IT(r)->n[3] = 0;
    }
    return r;
}

static pm_object *islice_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    if (!it->o[0]) return NULL;
    pm_ssize_t stop = it->n[1];
    while (it->n[3] < it->n[0]) {           /* skip to the next index */
        if (stop != -1 && it->n[3] >= stop) goto empty;
        pm_object *x = pm_iter_next(rt, it->o[0]);
        if (!x) goto empty;
        pm_decref(rt, x);
        it->n[3]++;
    }
    if (stop != -1 && it->n[3] >= stop) goto empty;
    pm_object *x = pm_iter_next(rt, it->o[0]);
    if (!x) goto empty;
    it->n[3]++;
    pm_ssize_t old = it->n[0];
    it->n[0] += it->n[2];
    if (it->n[0] < old || (stop != -1 && it->n[0] > stop)) it->n[0] = stop;   /* overflow / past stop */
    return x;
empty:
    if (!pm_err_occurred(rt)) PM_CLEAR(rt, it->o[0]);
    return NULL;
}

/* ---- accumulate --------------------------------------------------------------------------------- */

static pm_object *accumulate_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"iterable", "func", "initial", NULL};
    pm_object *v[3] = {NULL, NULL, NULL};
    pm_ssize_t n = nargs_of(args);
    if (n > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "accumulate() takes at most 2 arguments (%zd given)", n);
        return NULL;
    }
    if (kw_args(rt, "accumulate", kwargs, names, v) < 0) return NULL;
    if (n >= 1) v[0] = pm_tuple_get(rt, args, 0);
    if (n >= 2) v[1] = pm_tuple_get(rt, args, 1);
    if (!v[0]) {
        pm_err_set(rt, PM_EXC_TypeError, "accumulate() missing required argument 'iterable' (pos 1)");
        return NULL;
    }
    pm_object *src = pm_iter(rt, v[0]);
    if (!src) return NULL;
    pm_object *func = v[1] && v[1] != PM_NONE ? pm_newref(rt, v[1]) : NULL;
    pm_object *init = v[2] && v[2] != PM_NONE ? pm_newref(rt, v[2]) : NULL;
    return it_make(rt, t, src, func, NULL, init);
}

static pm_object *accumulate_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    if (it->o[3]) {                         /* initial: the first item */
        it->o[2] = it->o[3];
        it->o[3] = NULL;
        return pm_newref(rt, it->o[2]);
    }
    pm_object *x = pm_iter_next(rt, it->o[0]);
    if (!x) return NULL;
    if (!it->o[2]) {
        it->o[2] = pm_newref(rt, x);
        return x;
    }
    pm_object *r;
    if (it->o[1]) {
        pm_object *pair[2] = {it->o[2], x};
        r = pm_call(rt, it->o[1], pair, 2, NULL);
    } else {
        r = pm_number_binop(rt, it->o[2], x, PM_NB_ADD);
    }
    pm_decref(rt, x);
    if (!r) return NULL;
    pm_decref(rt, it->o[2]);
    it->o[2] = pm_newref(rt, r);
    return r;
}

/* ---- pairwise ------------------------------------------------------------------------------------- */

static pm_object *pairwise_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    pm_object *src = one_iterable(rt, "pairwise", args, kwargs);
    return src ? it_make(rt, t, src, NULL, NULL, NULL) : NULL;
}

static pm_object *pairwise_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    if (!it->o[0]) return NULL;
    if (!it->o[1] && !(it->o[1] = pm_iter_next(rt, it->o[0]))) goto done;
    pm_object *x = pm_iter_next(rt, it->o[0]);
    if (!x) goto done;
    pm_object *r = pm_tuple_pack(rt, 2, it->o[1], x);
    pm_decref(rt, it->o[1]);
    it->o[1] = x;
    return r;
done:
    if (!pm_err_occurred(rt)) {
        PM_CLEAR(rt, it->o[0]);
        PM_CLEAR(rt, it->o[1]);
    }
    return NULL;
}

/* ---- two-argument iterators: starmap, compress, takewhile, dropwhile, filterfalse ------------ */

/* (a, iter(b)) of a two-argument constructor. */
static pm_object *two_new(pm_runtime *rt, const pm_type *t, const char *name, pm_object *args, pm_object *kwargs,
                          int iter_first) {
    if (no_kwargs(rt, name, kwargs) < 0) return NULL;
    pm_ssize_t n = nargs_of(args);
    if (n != 2) {
        pm_err_format(rt, PM_EXC_TypeError, "%s expected 2 arguments, got %zd", name, n);
        return NULL;
    }
    pm_object *a = pm_tuple_get(rt, args, 0), *b = pm_tuple_get(rt, args, 1);
    pm_object *ia = iter_first ? pm_iter(rt, a) : pm_newref(rt, a);
    if (!ia) return NULL;
    pm_object *ib = pm_iter(rt, b);
    if (!ib) {
        pm_decref(rt, ia);
        return NULL;
    }
    return it_make(rt, t, ia, ib, NULL, NULL);
}

static pm_object *starmap_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    return two_new(rt, t, "starmap", args, kwargs, 0);
}

static pm_object *starmap_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    pm_object *x = pm_iter_next(rt, it->o[1]);
    if (!x) return NULL;
    pm_object *targs = NULL;
    if (pm_is_instance(x, &pm_tuple_type)) {
        targs = pm_newref(rt, x);
    } else {
        pm_object *l = pm_list_new(rt);
        if (l && pm_list_extend(rt, l, x) == 0) targs = pm_list_as_tuple(rt, l);
        pm_xdecref(rt, l);
    }
    pm_decref(rt, x);
    if (!targs) return NULL;
    pm_object *r = pm_call_object(rt, it->o[0], targs, NULL);
    pm_decref(rt, targs);
    return r;
}

static pm_object *compress_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"data", "selectors", NULL};
    pm_object *v[2] = {NULL, NULL};
    pm_ssize_t n = nargs_of(args);
    if (n > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "compress() takes at most 2 arguments (%zd given)", n);
        return NULL;
    }
    if (kw_args(rt, "compress", kwargs, names, v) < 0) return NULL;
    if (n >= 1) v[0] = pm_tuple_get(rt, args, 0);
    if (n >= 2) v[1] = pm_tuple_get(rt, args, 1);
    for (int i = 0; i < 2; i++)
        if (!v[i]) {
            pm_err_format(rt, PM_EXC_TypeError, "compress() missing required argument '%s' (pos %d)", names[i], i + 1);
            return NULL;
        }
    pm_object *a = pm_iter(rt, v[0]);
    pm_object *b = a ? pm_iter(rt, v[1]) : NULL;
    if (!b) {
        pm_xdecref(rt, a);
        return NULL;
    }
    return it_make(rt, t, a, b, NULL, NULL);
}

static pm_object *compress_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    for (;;) {
        pm_object *d = pm_iter_next(rt, it->o[0]);
        if (!d) return NULL;
        pm_object *s = pm_iter_next(rt, it->o[1]);
        if (!s) {
            pm_decref(rt, d);
            return NULL;
        }
        int ok = pm_is_true(rt, s);
        pm_decref(rt, s);
        if (ok > 0) return d;
        pm_decref(rt, d);
        if (ok < 0) return NULL;
    }
}

/* pred(x) as a truth value (pred None: bool(x)): 1/0/-1. */
static int pred_true(pm_runtime *rt, pm_object *pred, pm_object *x) {
    if (pred == PM_NONE) return pm_is_true(rt, x);
    pm_object *r = pm_call_one(rt, pred, x);
    if (!r) return -1;
    int ok = pm_is_true(rt, r);
    pm_decref(rt, r);
    return ok;
}

static pm_object *takewhile_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    return two_new(rt, t, "takewhile", args, kwargs, 0);
}

static pm_object *takewhile_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    if (it->flag) return NULL;
    pm_object *x = pm_iter_next(rt, it->o[1]);
    if (!x) return NULL;
    int ok = pred_true(rt, it->o[0], x);
    if (ok > 0) return x;
    pm_decref(rt, x);
    if (ok == 0) it->flag = 1;
    return NULL;
}

static pm_object *dropwhile_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    return two_new(rt, t, "dropwhile", args, kwargs, 0);
}

static pm_object *dropwhile_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    for (;;) {
        pm_object *x = pm_iter_next(rt, it->o[1]);
        if (!x || it->flag) return x;
        int ok = pred_true(rt, it->o[0], x);
        if (ok == 0) {
            it->flag = 1;
            return x;
        }
        pm_decref(rt, x);
        if (ok < 0) return NULL;
    }
}

static pm_object *filterfalse_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    return two_new(rt, t, "filterfalse", args, kwargs, 0);
}

static pm_object *filterfalse_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    for (;;) {
        pm_object *x = pm_iter_next(rt, it->o[1]);
        if (!x) return NULL;
        int ok = pred_true(rt, it->o[0], x);
        if (ok == 0) return x;
        pm_decref(rt, x);
        if (ok < 0) return NULL;
    }
}

/* ---- zip_longest ------------------------------------------------------------------------------ */

static pm_object *zip_longest_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    pm_object *fill = PM_NONE;
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    while (kwargs && pm_dict_next(kwargs, &pos, &k, &v)) {
        if (!pm_str_equal_cstr(k, "fillvalue")) {
            pm_err_set(rt, PM_EXC_TypeError, "zip_longest() got an unexpected keyword argument");
            return NULL;
        }
        fill = v;
    }
    pm_ssize_t n = nargs_of(args);
    pm_object *its = pm_list_new(rt);
    for (pm_ssize_t i = 0; its && i < n; i++) {
        pm_object *x = pm_iter(rt, pm_tuple_get(rt, args, i));
        if (!x || pm_list_append(rt, its, x) < 0) PM_CLEAR(rt, its);
        pm_xdecref(rt, x);
    }
    if (!its) return NULL;
    pm_object *r = it_make(rt, t, its, pm_newref(rt, fill), NULL, NULL);
    if (r) IT(r)->n[0] = n;
    return r;
}

static pm_object *zip_longest_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    pm_ssize_t n = pm_list_size(it->o[0]);
    if (n == 0 || it->n[0] == 0) return NULL;
    pm_object *items = pm_list_new(rt);
    if (!items) return NULL;
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *src = pm_list_get(rt, it->o[0], i), *x = NULL;
        if (src != PM_NONE) {
            x = pm_iter_next(rt, src);
            if (!x) {
                if (pm_err_occurred(rt)) goto fail;
                if (--it->n[0] == 0) goto fail;   /* all exhausted: stop */
                if (pm_list_set(rt, it->o[0], i, PM_NONE) < 0) goto fail;
            }
        }
        int rc = pm_list_append(rt, items, x ? x : it->o[1]);
        pm_xdecref(rt, x);
        if (rc < 0) goto fail;
    }
    pm_object *r = pm_list_as_tuple(rt, items);
    pm_decref(rt, items);
    return r;
fail:
    pm_decref(rt, items);
    return NULL;
}

/* ---- combinatorics: combinations, combinations_with_replacement, permutations, product ------
 *
 * o0 the pool (a tuple; product: a tuple of tuples), idx the index vector,
 * n0 r (product: the number of pools), n1 n = len(pool), flag: 0 before
 * the first result, 1 running, 2 exhausted.  The index steps are
 * itertools' documented "roughly equivalent" Python code. */

static pm_object *as_tuple(pm_runtime *rt, pm_object *o) {
    if (pm_is_instance(o, &pm_tuple_type)) return pm_newref(rt, o);
    pm_object *l = pm_list_new(rt), *t = NULL;
    if (l && pm_list_extend(rt, l, o) == 0) t = pm_list_as_tuple(rt, l);
    pm_xdecref(rt, l);
    return t;
}

/* pool + r from (iterable, r) for combinations*; r required unless perm. */
static pm_object *comb_make(pm_runtime *rt, const pm_type *t, const char *name, pm_object *args, pm_object *kwargs,
                            int perm) {
    static const char *const names[] = {"iterable", "r", NULL};
    pm_object *v[2] = {NULL, NULL};
    pm_ssize_t n = nargs_of(args);
    if (n > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most 2 arguments (%zd given)", name, n);
        return NULL;
    }
    if (kw_args(rt, name, kwargs, names, v) < 0) return NULL;
    if (n >= 1) v[0] = pm_tuple_get(rt, args, 0);
    if (n >= 2) v[1] = pm_tuple_get(rt, args, 1);
    for (int i = 0; i < (perm ? 1 : 2); i++)
        if (!v[i]) {
            pm_err_format(rt, PM_EXC_TypeError, "%s() missing required argument '%s' (pos %d)", name, names[i], i + 1);
            return NULL;
        }
    pm_object *pool = as_tuple(rt, v[0]);
    if (!pool) return NULL;
    pm_ssize_t len = pm_tuple_size(pool), r = len;
    if (v[1] && v[1] != PM_NONE) {
        if (perm && !pm_int_check(v[1])) {
            pm_err_set(rt, PM_EXC_TypeError, "Expected int as r");
            pm_decref(rt, pool);
            return NULL;
        }
        r = pm_index_as_ssize(rt, v[1], PM_INDEX_OVERFLOWERROR);
        if (r == -1 && pm_err_occurred(rt)) {
            pm_decref(rt, pool);
            return NULL;
        }
        if (r < 0) {
            pm_err_set(rt, PM_EXC_ValueError, "r must be non-negative");
            pm_decref(rt, pool);
            return NULL;
        }
    }
    pm_object *res = it_make(rt, t, pool, NULL, NULL, NULL);
    if (!res) return NULL;
    it_object *it = IT(res);
    it->n[0] = r;
    it->n[1] = len;
    size_t cnt = (size_t)(len > r ? len : r) + 1;
    it->idx = pmi_mod_alloc(rt, cnt * sizeof(pm_ssize_t));
    if (!it->idx || (perm && !(it->cyc = pmi_mod_alloc(rt, cnt * sizeof(pm_ssize_t))))) {
        pm_decref(rt, res);
        return NULL;
    }
    return res;
}

/* tuple(pool[idx[i]] for i in range(r)) */
static pm_object *comb_result(pm_runtime *rt, it_object *it, pm_ssize_t r) {
    pm_object *l = pm_list_new(rt);
    for (pm_ssize_t i = 0; l && i < r; i++)
        if (pm_list_append(rt, l, pm_tuple_get(rt, it->o[0], it->idx[i])) < 0) PM_CLEAR(rt, l);
    pm_object *t = l ? pm_list_as_tuple(rt, l) : NULL;
    pm_xdecref(rt, l);
    return t;
}

static pm_object *combinations_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    pm_object *res = comb_make(rt, t, "combinations", args, kwargs, 0);
    if (res)
        for (pm_ssize_t i = 0; i < IT(res)->n[0]; i++) IT(res)->idx[i] = i;
    return res;
}

static pm_object *combinations_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    pm_ssize_t r = it->n[0], n = it->n[1], i;
    if (it->flag == 2) return NULL;
    if (it->flag == 0) {
        if (r > n) {
            it->flag = 2;
            return NULL;
        }
        it->flag = 1;
        return comb_result(rt, it, r);
    }
    for (i = r - 1; i >= 0 && it->idx[i] == i + n - r; i--) {
    }
    if (i < 0) {
        it->flag = 2;
        return NULL;
    }
    it->idx[i]++;
    for (pm_ssize_t j = i + 1; j < r; j++) it->idx[j] = it->idx[j - 1] + 1;
    return comb_result(rt, it, r);
}

static pm_object *combinations_with_replacement_new(pm_runtime *rt, const pm_type *t, pm_object *args,
                                                    pm_object *kwargs) {
    pm_object *res = comb_make(rt, t, "combinations_with_replacement", args, kwargs, 0);
    if (res)
        for (pm_ssize_t i = 0; i < IT(res)->n[0]; i++) IT(res)->idx[i] = 0;
    return res;
}

static pm_object *combinations_with_replacement_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    pm_ssize_t r = it->n[0], n = it->n[1], i;
    if (it->flag == 2) return NULL;
    if (it->flag == 0) {
        if (n == 0 && r > 0) {
            it->flag = 2;
            return NULL;
        }
        it->flag = 1;
        return comb_result(rt, it, r);
    }
    for (i = r - 1; i >= 0 && it->idx[i] == n - 1; i--) {
    }
    if (i < 0) {
        it->flag = 2;
        return NULL;
    }
    pm_ssize_t v = it->idx[i] + 1;
    for (pm_ssize_t j = i; j < r; j++) it->idx[j] = v;
    return comb_result(rt, it, r);
}

static pm_object *permutations_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    pm_object *res = comb_make(rt, t, "permutations", args, kwargs, 1);
    if (!res) return NULL;
    it_object *it = IT(res);
    for (pm_ssize_t i = 0; i < it->n[1]; i++) it->idx[i] = i;
    for (pm_ssize_t i = 0; i < it->n[0] && i < it->n[1]; i++) it->cyc[i] = it->n[1] - i;
    return res;
}

static pm_object *permutations_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    pm_ssize_t r = it->n[0], n = it->n[1];
    if (it->flag == 2) return NULL;
    if (it->flag == 0) {
        if (r > n) {
            it->flag = 2;
            return NULL;
        }
        it->flag = 1;
        return comb_result(rt, it, r);
    }
    if (n == 0) {
        it->flag = 2;
        return NULL;
    }
    for (pm_ssize_t i = r - 1; i >= 0; i--) {
        if (--it->cyc[i] == 0) {            /* rotate idx[i:] left by one */
            pm_ssize_t first = it->idx[i];
            for (pm_ssize_t j = i; j < n - 1; j++) it->idx[j] = it->idx[j + 1];
            it->idx[n - 1] = first;
            it->cyc[i] = n - i;
        } else {
            pm_ssize_t j = it->cyc[i], tmp = it->idx[i];
            it->idx[i] = it->idx[n - j];
            it->idx[n - j] = tmp;
            return comb_result(rt, it, r);
        }
    }
    it->flag = 2;
    return NULL;
}

static pm_object *product_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    pm_ssize_t repeat = 1, pos = 0;
    pm_object *k, *v;
    while (kwargs && pm_dict_next(kwargs, &pos, &k, &v)) {
        if (!pm_str_equal_cstr(k, "repeat")) {
            const char *ks = pm_str_as_utf8(rt, k, NULL);
            if (ks) pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for product()", ks);
            return NULL;
        }
        repeat = pm_index_as_ssize(rt, v, PM_INDEX_OVERFLOWERROR);
        if (repeat == -1 && pm_err_occurred(rt)) return NULL;
        if (repeat < 0) {
            pm_err_set(rt, PM_EXC_ValueError, "repeat argument cannot be negative");
            return NULL;
        }
    }
    pm_ssize_t n = nargs_of(args);
    pm_object *l = pm_list_new(rt);
    for (pm_ssize_t i = 0; l && i < n; i++) {
        pm_object *p = as_tuple(rt, pm_tuple_get(rt, args, i));
        if (!p || pm_list_append(rt, l, p) < 0) PM_CLEAR(rt, l);
        pm_xdecref(rt, p);
    }
    if (!l) return NULL;
    pm_object *pools = pm_list_new(rt);
    for (pm_ssize_t rep = 0; pools && rep < repeat; rep++)
        if (pm_list_extend(rt, pools, l) < 0) PM_CLEAR(rt, pools);
    pm_decref(rt, l);
    pm_object *tp = pools ? pm_list_as_tuple(rt, pools) : NULL;
    pm_xdecref(rt, pools);
    if (!tp) return NULL;
    pm_object *res = it_make(rt, t, tp, NULL, NULL, NULL);
    if (!res) return NULL;
    it_object *it = IT(res);
    it->n[0] = pm_tuple_size(tp);
    if (!(it->idx = pmi_mod_alloc(rt, ((size_t)it->n[0] + 1) * sizeof(pm_ssize_t)))) {
        pm_decref(rt, res);
        return NULL;
    }
    for (pm_ssize_t i = 0; i < it->n[0]; i++) it->idx[i] = 0;
    return res;
}

static pm_object *product_next(pm_runtime *rt, pm_object *self) {
    it_object *it = IT(self);
    pm_ssize_t np = it->n[0];
    if (it->flag == 2) return NULL;
    if (it->flag == 0) {
        for (pm_ssize_t i = 0; i < np; i++)
            if (pm_tuple_size(pm_tuple_get(rt, it->o[0], i)) == 0) {
                it->flag = 2;
                return NULL;
            }
        it->flag = 1;
    } else {
        pm_ssize_t i = np - 1;
        for (; i >= 0; i--) {
            if (++it->idx[i] < pm_tuple_size(pm_tuple_get(rt, it->o[0], i))) break;
            it->idx[i] = 0;
        }
        if (i < 0) {
            it->flag = 2;
            return NULL;
        }
    }
    pm_object *l = pm_list_new(rt);
    for (pm_ssize_t i = 0; l && i < np; i++)
        if (pm_list_append(rt, l, pm_tuple_get(rt, pm_tuple_get(rt, it->o[0], i), it->idx[i])) < 0) PM_CLEAR(rt, l);
    pm_object *t = l ? pm_list_as_tuple(rt, l) : NULL;
    pm_xdecref(rt, l);
    return t;
}

/* ---- the types ----------------------------------------------------------------------------------- */

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def chain_methods[] = {
    {"from_iterable", FN(chain_from_iterable), PM_METH_O | PM_METH_CLASS,
     "Alternative chain() constructor taking a single iterable argument that evaluates lazily."},
    {NULL, NULL, 0, NULL},
};
#undef FN

#define IT_TYPE(tname, repr_fn, methods_tab, docstr)                                  \
    const pm_type pmi_it_##tname##_type = {                                          \
        .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},                              \
        .name = "itertools." #tname,                                                 \
        .basicsize = sizeof(it_object),                                              \
        .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,                                  \
        .base = &pm_object_type,                                                     \
        .doc = docstr,                                                               \
        .dealloc = it_dealloc,                                                       \
        .traverse = it_traverse,                                                     \
        .clear = it_clear,                                                           \
        .repr = repr_fn,                                                             \
        .new_object = tname##_new,                                                   \
        .iter = it_self,                                                             \
        .iternext = tname##_next,                                                    \
        .methods = methods_tab,                                                      \
    };
IT_TYPE(count, count_repr, NULL, "Return a count object whose .__next__() method returns consecutive values.")
IT_TYPE(repeat, repeat_repr, NULL, "repeat(object [,times]) -> create an iterator which returns the object\nfor the specified number of times.  If not specified, returns the object\nendlessly.")
IT_TYPE(cycle, NULL, NULL, "Return elements from the iterable until it is exhausted. Then repeat the sequence indefinitely.")
IT_TYPE(chain, NULL, chain_methods, "chain(*iterables) --> chain object\n\nReturn a chain object whose .__next__() method returns elements from the\nfirst iterable until it is exhausted, then elements from the next\niterable, until all of the iterables are exhausted.")
IT_TYPE(islice, NULL, NULL, "islice(iterable, stop) --> islice object\nislice(iterable, start, stop[, step]) --> islice object")
IT_TYPE(accumulate, NULL, NULL, "Return series of accumulated sums (or other binary function results).")
IT_TYPE(pairwise, NULL, NULL, "Return an iterator of overlapping pairs taken from the input iterator.")
IT_TYPE(starmap, NULL, NULL, "Return an iterator whose values are returned from the function evaluated with an argument tuple taken from the given sequence.")
IT_TYPE(compress, NULL, NULL, "Return data elements corresponding to true selector elements.")
IT_TYPE(takewhile, NULL, NULL, "Return successive entries from an iterable as long as the predicate evaluates to true for each entry.")
IT_TYPE(dropwhile, NULL, NULL, "Drop items from the iterable while predicate(item) is true.")
IT_TYPE(filterfalse, NULL, NULL, "Return those items of iterable for which function(item) is false.")
IT_TYPE(zip_longest, NULL, NULL, "zip_longest(iter1 [,iter2 [...]], [fillvalue=None]) --> zip_longest object")
IT_TYPE(combinations, NULL, NULL, "Return successive r-length combinations of elements in the iterable.")
IT_TYPE(combinations_with_replacement, NULL, NULL, "Return successive r-length combinations of elements in the iterable allowing individual elements to have successive repeats.")
IT_TYPE(permutations, NULL, NULL, "Return successive r-length permutations of elements in the iterable.")
IT_TYPE(product, NULL, NULL, "Cartesian product of input iterables.  Equivalent to nested for-loops.")

/* ---- the module ---------------------------------------------------------------------------------- */

static int itertools_fill(pm_runtime *rt, pm_object *m) {
    static const pm_type *const types[] = {
        &pmi_it_count_type,     &pmi_it_repeat_type,    &pmi_it_cycle_type,     &pmi_it_chain_type,
        &pmi_it_islice_type,    &pmi_it_accumulate_type, &pmi_it_pairwise_type, &pmi_it_starmap_type,
        &pmi_it_compress_type,  &pmi_it_takewhile_type, &pmi_it_dropwhile_type, &pmi_it_filterfalse_type,
        &pmi_it_zip_longest_type, &pmi_it_combinations_type, &pmi_it_combinations_with_replacement_type,
        &pmi_it_permutations_type, &pmi_it_product_type,
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (pmi_module_add(rt, m, pm_type_name(types[i]), pm_type_as_object(types[i])) < 0) return -1;
    return 0;
}

static const pmi_module_def itertools_def = {
    .name = "itertools",
    .doc = "Functional tools for creating and using iterators.",
    .fill = itertools_fill,
};

pm_object *pmi_itertools_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &itertools_def);
}
