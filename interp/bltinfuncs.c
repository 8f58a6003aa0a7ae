/*
 * interp/bltinfuncs.c — the builtins that walk iterables or dispatch on
 * types: min, max, sorted, sum, iter, next, round, isinstance, issubclass.
 *
 * Each follows CPython 3.11's bltinmodule.c in behaviour and messages:
 *   - min/max take one iterable or several positional arguments, key= and
 *     default= (keyword-only); the first extreme item wins ties; a default
 *     with several positional arguments is an error.
 *   - sum adds with the generic + from start (0): 3.11 has no compensated
 *     float summation (3.12's Neumaier sum is not mirrored), so plain
 *     left-to-right binops give CPython's exact results.
 *   - round follows float.__round__: no ndigits rounds half to even into
 *     an int; with ndigits the float is rounded correctly on its exact
 *     binary value (dtoa mode 3), ties to even, here with glibc's exact
 *     printf for ndigits >= 0 and exact decimal digits for ndigits < 0;
 *     ints round half to even by divmod.
 *   - aiter / anext (the async iteration steps) live in coroobject.c.
 *   - iter(callable, sentinel) returns a callable_iterator (defined here
 *     until the descr branch's own type takes over).
 */
#include "builtins.h"
#include "genobject.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- min / max -------------------------------------------------------------- */

static pm_object *min_max(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                          pm_object *kwnames, int op) {
    const char *name = op == PM_LT ? "min" : "max";
    pm_object *key = NULL, *deflt = NULL, *it = NULL, *best = NULL, *bestkey = NULL;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs == 0) {
        pm_err_format(rt, PM_EXC_TypeError, "%s expected at least 1 argument, got 0", name);
        return NULL;
    }
    if (nkw > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most 2 keyword arguments (%zd given)", name, nkw);
        return NULL;
    }
    for (pm_ssize_t i = 0; i < nkw; i++) {
        pm_object *k = pm_tuple_get(rt, kwnames, i);
        if (pm_str_equal_cstr(k, "key")) key = args[nargs + i];
        else if (pm_str_equal_cstr(k, "default")) deflt = args[nargs + i];
        else {
            const char *ks = pm_str_as_utf8(rt, k, NULL);
            if (ks)
                pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for %s()", ks, name);
            return NULL;
        }
    }
    if (key == PM_NONE) key = NULL;
    if (deflt && nargs > 1) {
        pm_err_format(rt, PM_EXC_TypeError,
                      "Cannot specify a default for %s() with multiple positional arguments", name);
        return NULL;
    }
    pm_object *seq = NULL;
    if (nargs > 1) {
        seq = pm_tuple_from_array(rt, args, nargs);
        if (!seq) return NULL;
    }
    it = pm_iter(rt, seq ? seq : args[0]);
    pm_xdecref(rt, seq);
    if (!it) return NULL;
    for (;;) {
        pm_object *v = pm_iter_next(rt, it);
        if (!v) break;
        pm_object *vk = key ? pm_call_one(rt, key, v) : pm_newref(rt, v);
        if (!vk) {
            pm_decref(rt, v);
            goto fail;
        }
        if (!best) {
            best = v;
            bestkey = vk;
            continue;
        }
        int c = pm_richcompare_bool(rt, vk, bestkey, op);
        if (c < 0) {
            pm_decref(rt, v);
            pm_decref(rt, vk);
            goto fail;
        }
        if (c) {
            pm_decref(rt, best);
            pm_decref(rt, bestkey);
            best = v;
            bestkey = vk;
        } else {
            pm_decref(rt, v);
            pm_decref(rt, vk);
        }
    }
    if (pm_err_occurred(rt)) goto fail;
    pm_decref(rt, it);
    pm_xdecref(rt, bestkey);
    if (best) return best;
    if (deflt) return pm_newref(rt, deflt);
    pm_err_format(rt, PM_EXC_ValueError, "%s() arg is an empty sequence", name);
    return NULL;
fail:
    pm_decref(rt, it);
    pm_xdecref(rt, best);
    pm_xdecref(rt, bestkey);
    return NULL;
}

static pm_object *b_min(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    return min_max(rt, args, nargs, kwnames, PM_LT);
}

static pm_object *b_max(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    return min_max(rt, args, nargs, kwnames, PM_GT);
}

/* ---- sorted ----------------------------------------------------------------- */

static pm_object *call_key(pm_runtime *rt, pm_object *item, void *ctx) {
    return pm_call_one(rt, (pm_object *)ctx, item);
}

static pm_object *b_sorted(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                           pm_object *kwnames) {
    pm_object *key = NULL, *rev = NULL;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs != 1) {
        pm_err_format(rt, PM_EXC_TypeError, "sorted expected 1 argument, got %zd", nargs);
        return NULL;
    }
    for (pm_ssize_t i = 0; i < nkw; i++) {
        pm_object *k = pm_tuple_get(rt, kwnames, i);
        if (pm_str_equal_cstr(k, "key")) key = args[nargs + i];
        else if (pm_str_equal_cstr(k, "reverse")) rev = args[nargs + i];
        else {
            const char *ks = pm_str_as_utf8(rt, k, NULL);
            if (ks) pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for sort()", ks);
            return NULL;
        }
    }
    int reverse = 0;
    if (rev) {
        pm_object *i = pm_index(rt, rev);
        if (!i) return NULL;
        reverse = pm_int_sign(i) != 0;
        pm_decref(rt, i);
    }
    pm_object *list = pm_list_new(rt);
    if (!list) return NULL;
    if (pm_list_extend(rt, list, args[0]) < 0) goto fail;
    /* 3.11 calls list.sort through its vectorcall, which counts a
     * recursion level (core/call.c) */
    if (pm_enter_recursive_call(rt, " while calling a Python object") < 0) goto fail;
    int sorted = key && key != PM_NONE ? pm_list_sort_key(rt, list, call_key, key, reverse)
                                       : pm_list_sort(rt, list, reverse);
    pm_leave_recursive_call(rt);
    if (sorted < 0) goto fail;
    return list;
fail:
    pm_decref(rt, list);
    return NULL;
}

/* ---- sum -------------------------------------------------------------------- */

/* sum(iterable, /, start=0) */
static pm_object *b_sum(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs + nkw > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "sum() takes at most 2 arguments (%zd given)", nargs + nkw);
        return NULL;
    }
    if (nargs < 1) {
        pm_err_format(rt, PM_EXC_TypeError, "sum() takes at least 1 positional argument (%zd given)", nargs);
        return NULL;
    }
    pm_object *start = nargs > 1 ? args[1] : NULL;
    for (pm_ssize_t i = 0; i < nkw; i++) {
        pm_object *k = pm_tuple_get(rt, kwnames, i);
        if (!pm_str_equal_cstr(k, "start")) {
            const char *ks = pm_str_as_utf8(rt, k, NULL);
            if (ks) pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for sum()", ks);
            return NULL;
        }
        if (start) {
            pm_err_set(rt, PM_EXC_TypeError, "argument for sum() given by name ('start') and position (2)");
            return NULL;
        }
        start = args[nargs + i];
    }
    if (start && pm_str_check(start)) {
        pm_err_set(rt, PM_EXC_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
        return NULL;
    }
    if (start && (pm_bytes_check(start) || pm_bytearray_check(start))) {
        pm_err_format(rt, PM_EXC_TypeError, "sum() can't sum %s [use b''.join(seq) instead]",
                      pm_bytes_check(start) ? "bytes" : "bytearray");
        return NULL;
    }
    pm_object *it = pm_iter(rt, args[0]);
    if (!it) return NULL;
    pm_object *acc = start ? pm_newref(rt, start) : pm_int_from_long(rt, 0);
    while (acc) {
        pm_object *v = pm_iter_next(rt, it);
        if (!v) {
            if (pm_err_occurred(rt)) PM_CLEAR(rt, acc);
            break;
        }
        pm_object *n = pm_number_binop(rt, acc, v, PM_NB_ADD);
        pm_decref(rt, v);
        pm_decref(rt, acc);
        acc = n;
    }
    pm_decref(rt, it);
    return acc;
}

/* ---- iter / next ---------------------------------------------------------- */

/* iter(callable, sentinel): calls callable until it returns sentinel. */
typedef struct callable_iter {
    pm_object ob_base;              /* refcount + type */
    pm_object *callable;            /* owned, NULL once exhausted */
    pm_object *sentinel;            /* owned, NULL once exhausted */
} callable_iter;

static void calliter_dealloc(pm_runtime *rt, pm_object *self) {
    callable_iter *ci = (callable_iter *)self;
    pm_gc_untrack(rt, self);
    pm_xdecref(rt, ci->callable);
    pm_xdecref(rt, ci->sentinel);
    pm_gc_del(rt, self);
}

static int calliter_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    callable_iter *ci = (callable_iter *)self;
    int r;
    if (ci->callable && (r = visit(ci->callable, arg)) != 0) return r;
    if (ci->sentinel && (r = visit(ci->sentinel, arg)) != 0) return r;
    return 0;
}

static int calliter_clear(pm_runtime *rt, pm_object *self) {
    callable_iter *ci = (callable_iter *)self;
    PM_CLEAR(rt, ci->callable);
    PM_CLEAR(rt, ci->sentinel);
    return 0;
}

static pm_object *calliter_iter(pm_runtime *rt, pm_object *self) {
    return pm_newref(rt, self);
}

static pm_object *calliter_next(pm_runtime *rt, pm_object *self) {
    callable_iter *ci = (callable_iter *)self;
    if (!ci->callable) return NULL;
    pm_object *v = pm_call_noargs(rt, ci->callable);
    if (!v) {
        if (pm_err_matches(rt, PM_EXC_StopIteration)) {
            pm_err_clear(rt);
            calliter_clear(rt, self);
        }
        return NULL;
    }
    int eq = pm_equal(rt, v, ci->sentinel);
    if (eq == 0) return v;
    pm_decref(rt, v);
    if (eq > 0) calliter_clear(rt, self);
    return NULL;
}

static const pm_type calliter_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "callable_iterator",
    .basicsize = sizeof(callable_iter),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = calliter_dealloc,
    .traverse = calliter_traverse,
    .clear = calliter_clear,
    .iter = calliter_iter,
    .iternext = calliter_next,
};

static pm_object *b_iter(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "iter", nargs, kwnames, 1, 2)) return NULL;
    if (nargs == 1) return pm_iter(rt, args[0]);
    if (!pm_callable(args[0])) {
        pm_err_set(rt, PM_EXC_TypeError, "iter(v, w): v must be callable");
        return NULL;
    }
    callable_iter *ci = (callable_iter *)pm_gc_new(rt, &calliter_type);
    if (!ci) return NULL;
    ci->callable = pm_newref(rt, args[0]);
    ci->sentinel = pm_newref(rt, args[1]);
    pm_gc_track(rt, (pm_object *)ci);
    return (pm_object *)ci;
}

static pm_object *b_next(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "next", nargs, kwnames, 1, 2)) return NULL;
    if (!pm_type_of(args[0])->iternext) {
        pm_err_format(rt, PM_EXC_TypeError, "'%s' object is not an iterator",
                      pm_type_name(pm_type_of(args[0])));
        return NULL;
    }
    /* a generator's StopIteration carries its return value (tp_iternext
     * drops it for C callers) */
    pm_object *v = pmi_gen_check(args[0]) ? pmi_gen_next(rt, args[0]) : pm_iter_next(rt, args[0]);
    if (v) return v;
    if (pm_err_occurred(rt)) {
        if (nargs < 2 || !pm_err_matches(rt, PM_EXC_StopIteration)) return NULL;
        pm_err_clear(rt);
    }
    if (nargs == 2) return pm_newref(rt, args[1]);
    pm_err_set(rt, PM_EXC_StopIteration, NULL);
    return NULL;
}

static pm_object *b_aiter(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    if (!pmi_bi_exact(rt, "aiter", nargs, kwnames, 1)) return NULL;
    return pmi_coro_builtin_aiter(rt, args[0]);
}

static pm_object *b_anext(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "anext", nargs, kwnames, 1, 2)) return NULL;
    return pmi_coro_builtin_anext(rt, args[0], nargs == 2 ? args[1] : NULL);
}

/* ---- round ------------------------------------------------------------------ */

/* x rounded to a multiple of 10**k (k >= 1), ties to even, from x's exact
 * decimal digits; returned as a double (strtod of the decimal result). */
static double round_tens(double x, int k) {
    char d[400], out[420];
    double t = trunc(fabs(x));
    int frac = fabs(x) != t;
    int len = snprintf(d, sizeof d, "%.0f", t);
    if (len <= 0 || len >= (int)sizeof d) return 0.0 * x;
    char head[400];
    int hl = len - k;
    int up;
    if (hl < 0) {
        up = 0;     /* |x| < 10**(k-1): rounds to 0 */
        hl = 0;
        head[0] = '0';
        head[1] = 0;
    } else {
        memcpy(head, d, (size_t)hl);
        head[hl] = 0;
        /* compare the tail with 5000...0 */
        int cmp = d[hl] - '5';
        for (int i = hl + 1; cmp == 0 && i < len; i++)
            if (d[i] != '0') cmp = 1;
        int odd = hl > 0 && ((head[hl - 1] - '0') & 1);
        up = cmp > 0 || (cmp == 0 && (frac || odd));
        if (hl == 0) {
            head[0] = '0';
            head[1] = 0;
            hl = 1;
        }
    }
    if (up) {   /* add one to the decimal head */
        int i = hl - 1;
        while (i >= 0 && head[i] == '9') head[i--] = '0';
        if (i >= 0) {
            head[i]++;
        } else {
            memmove(head + 1, head, (size_t)hl + 1);
            head[0] = '1';
        }
    }
    snprintf(out, sizeof out, "%s%se%d", x < 0 ? "-" : "", head, k);
    return strtod(out, NULL);
}

static pm_object *round_float(pm_runtime *rt, double x, pm_object *ndigits_obj) {
    if (!ndigits_obj) {
        double r = rint(x);
        return pm_int_from_double(rt, r);
    }
    pm_ssize_t nd = pm_index_as_ssize(rt, ndigits_obj, PM_INDEX_CLAMP);
    if (nd == -1 && pm_err_occurred(rt)) return NULL;
    /* the bounds of float.__round__: beyond them the result is x or 0 */
    const pm_ssize_t ndmax = (pm_ssize_t)((DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103);
    const pm_ssize_t ndmin = -(pm_ssize_t)((DBL_MAX_EXP + 1) * 0.30103);
    if (nd > ndmax) return pm_float_new(rt, x);
    if (nd < ndmin) return pm_float_new(rt, 0.0 * x);
    if (x == 0.0 || !isfinite(x)) return pm_float_new(rt, x);
    double r;
    if (nd >= 0) {
        char buf[1100];
        snprintf(buf, sizeof buf, "%.*f", (int)nd, x);
        r = strtod(buf, NULL);
    } else {
        r = round_tens(x, (int)-nd);
    }
    if (isinf(r)) {
        pm_err_set(rt, PM_EXC_OverflowError, "rounded value too large to represent");
        return NULL;
    }
    return pm_float_new(rt, r);
}

static pm_object *round_int(pm_runtime *rt, pm_object *x, pm_object *ndigits_obj) {
    pm_object *nd = NULL, *neg = NULL, *ten = NULL, *pw = NULL, *qr = NULL, *twice = NULL,
              *res = NULL;
    if (!ndigits_obj) return pm_index(rt, x);
    nd = pm_index(rt, ndigits_obj);
    if (!nd) return NULL;
    if (pm_int_sign(nd) >= 0) {
        pm_decref(rt, nd);
        return pm_index(rt, x);
    }
    if (!(neg = pm_int_neg(rt, nd))) goto done;
    if (!(ten = pm_int_from_long(rt, 10))) goto done;
    if (!(pw = pm_int_pow(rt, ten, neg))) goto done;
    if (!(qr = pm_number_divmod(rt, x, pw))) goto done;
    pm_object *q = pm_tuple_get(rt, qr, 0), *r = pm_tuple_get(rt, qr, 1);
    if (!(twice = pm_int_add(rt, r, r))) goto done;
    int c = pm_int_compare(twice, pw);
    pm_object *base = pm_int_sub(rt, x, r);
    if (!base) goto done;
    int odd = 0;
    if (c == 0) {
        pm_object *one = pm_int_from_long(rt, 1);
        pm_object *bit = one ? pm_int_and(rt, q, one) : NULL;
        pm_xdecref(rt, one);
        if (!bit) {
            pm_decref(rt, base);
            goto done;
        }
        odd = pm_int_sign(bit) != 0;
        pm_decref(rt, bit);
    }
    if (c > 0 || (c == 0 && odd)) {
        res = pm_int_add(rt, base, pw);
        pm_decref(rt, base);
    } else {
        res = base;
    }
done:
    pm_xdecref(rt, nd);
    pm_xdecref(rt, neg);
    pm_xdecref(rt, ten);
    pm_xdecref(rt, pw);
    pm_xdecref(rt, qr);
    pm_xdecref(rt, twice);
    return res;
}

static pm_object *b_round(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    static const char *const names[] = {"number", "ndigits", NULL};
    pm_object *a[2];
    if (!pmi_bi_parse(rt, "round", names, 0, 2, 1, args, nargs, kwnames, a)) return NULL;
    pm_object *x = a[0], *nd = a[1] == PM_NONE ? NULL : a[1];
    if (pm_float_check(x)) return round_float(rt, pm_float_value(x), nd);
    if (pm_int_check(x)) return round_int(rt, x, nd);
    pm_object *name = pm_str_intern_cstr(rt, "__round__");
    if (!name) return NULL;
    pm_object *meth = pm_type_lookup(rt, pm_type_of(x), name);
    pm_object *r = NULL;
    if (meth) {
        pm_object *cargs[2] = {x, nd};
        r = pm_call_method(rt, x, name, cargs + 1, nd ? 1 : 0);
    } else if (!pm_err_occurred(rt)) {
        pm_err_format(rt, PM_EXC_TypeError, "type %s doesn't define __round__ method",
                      pm_type_name(pm_type_of(x)));
    }
    pm_decref(rt, name);
    return r;
}

/* ---- isinstance / issubclass ----------------------------------------------- */

/* 1 / 0 / -1 with the error set: the library's PyObject_IsInstance /
 * PyObject_IsSubclass (core/type.c, __instancecheck__ / __subclasscheck__
 * of metaclasses included). */
static int is_instance(pm_runtime *rt, pm_object *o, pm_object *cls) { return pm_isinstance(rt, o, cls); }

static int is_subclass(pm_runtime *rt, pm_object *c, pm_object *cls) { return pm_issubclass(rt, c, cls); }

static pm_object *b_isinstance(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                               pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "isinstance", nargs, kwnames, 2, 2)) return NULL;
    int r = is_instance(rt, args[0], args[1]);
    return r < 0 ? NULL : pm_bool_from(r);
}

static pm_object *b_issubclass(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                               pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "issubclass", nargs, kwnames, 2, 2)) return NULL;
    int r = is_subclass(rt, args[0], args[1]);
    return r < 0 ? NULL : pm_bool_from(r);
}

const pmi_builtin_def pmi_bltin_funcs[] = {
    {"aiter", b_aiter, 1},
    {"anext", b_anext, 0},
    {"isinstance", b_isinstance, 0},
    {"issubclass", b_issubclass, 0},
    {"iter", b_iter, 0},
    {"max", b_max, 1},
    {"min", b_min, 1},
    {"next", b_next, 0},
    {"round", b_round, 0},
    {"sorted", b_sorted, 0},
    {"sum", b_sum, 0},
    {NULL, NULL, 0},
};
