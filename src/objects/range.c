/*
 * range.c — range and its two iterators.  CPython's Objects/rangeobject.c.
 *
 * Purpose
 *   range(start, stop, step) is an immutable arithmetic sequence that never
 *   stores its items.  Its bounds are Python ints of any size; the length
 *   is computed once and kept.  Iteration uses C longs when everything fits
 *   (range_iterator), else ints (longrange_iterator), as CPython does:
 *
 *     pmi_range (48 bytes, not gc)          range_iterator (48, not gc)
 *     +---------+-------+------+-------+    +-------+-------+------+-----+
 *     | header  | start | stop | step  |    | index | start | step | len |  C longs
 *     |         | length (all ints)    |    +-------+-------+------+-----+
 *     +---------+----------------------+    longrange_iterator: the same four
 *                                           fields as ints (48, not gc)
 *
 * Invariants
 *   - step != 0; length == max(0, ceil((stop - start) / step)); all four are
 *     exact ints (results of operator.index).
 *   - Neither range nor its iterators can take part in a cycle: they hold
 *     ints only, so they are not gc types (gc.is_tracked is False).
 *
 * CPython behaviour mirrored: constructor errors ("range expected at least
 * 1 argument, got 0", "range() arg 3 must not be zero"), len() of a huge
 * range (OverflowError), indexing with any int, slicing to a range
 * (arbitrary sizes), `in`/index/count in O(1) for ints and bools and by
 * iteration otherwise, == and hash by the sequence of values, repr,
 * reversed() and __length_hint__ of the iterators.
 */
#include "objects/descr.h"
#include "objects/containers.h"

#include <limits.h>
#include <stddef.h>

typedef struct pmi_range {
    pm_object ob_base;          /* refcount + type */
    pm_object *start;           /* first value (int) */
    pm_object *stop;            /* bound, excluded (int) */
    pm_object *step;            /* non-zero int */
    pm_object *length;          /* number of values (int >= 0) */
} pmi_range;                    /* 48 bytes: getsizeof(range(10)) == 48 */

typedef struct pmi_rangeiter {
    pm_object ob_base;          /* refcount + type */
    long index;                 /* values produced so far */
    long start;                 /* first value */
    long step;                  /* difference between values */
    long len;                   /* number of values in all */
} pmi_rangeiter;                /* 48 bytes */

typedef struct pmi_longrangeiter {
    pm_object ob_base;          /* refcount + type */
    pm_object *index;           /* values produced so far (int) */
    pm_object *start;           /* first value (int) */
    pm_object *step;            /* difference (int) */
    pm_object *len;             /* number of values (int) */
} pmi_longrangeiter;            /* 48 bytes */

#define RNG(o) ((pmi_range *)(o))
#define RIT(o) ((pmi_rangeiter *)(o))
#define LRIT(o) ((pmi_longrangeiter *)(o))
#define M_CAST(f) ((pm_cfunction)(void (*)(void))(f))

extern const pm_type pmi_rangeiter_type, pmi_longrangeiter_type;

/* ---- int helpers: each consumes nothing and returns a NEW ref or NULL -------- */

static pm_object *ival(pm_runtime *rt, long v) { return pm_int_from_long(rt, v); }

/* The number of values of range(lo, hi, step) (CPython's compute_range_length). */
static pm_object *compute_length(pm_runtime *rt, pm_object *lo, pm_object *hi, pm_object *step) {
    int neg = pm_int_sign(step) < 0;
    pm_object *a = neg ? hi : lo, *b = neg ? lo : hi, *absstep = NULL, *d = NULL, *q = NULL, *r = NULL;
    if (pm_int_compare(a, b) >= 0) return ival(rt, 0);
    /* (b - a - 1) // |step| + 1 */
    pm_object *one = ival(rt, 1);
    if (!one) return NULL;
    if (!(absstep = pm_int_abs(rt, step))) goto done;
    if (!(d = pm_int_sub(rt, b, a))) goto done;
    pm_object *d1 = pm_int_sub(rt, d, one);
    if (!d1) goto done;
    pm_decref(rt, d);
    d = d1;
    if (!(q = pm_int_floordiv(rt, d, absstep))) goto done;
    r = pm_int_add(rt, q, one);
done:
    pm_decref(rt, one);
    pm_xdecref(rt, absstep);
    pm_xdecref(rt, d);
    pm_xdecref(rt, q);
    return r;
}

/* start + i * step: NEW ref. */
static pm_object *value_at(pm_runtime *rt, pm_object *start, pm_object *step, pm_object *i) {
    pm_object *p = pm_int_mul(rt, i, step);
    if (!p) return NULL;
    pm_object *r = pm_int_add(rt, start, p);
    pm_decref(rt, p);
    return r;
}

/* ---- construction ---------------------------------------------------------------- */

/* A range of the given exact ints (STOLEN, each may be NULL after a failed
 * conversion: then everything is released and NULL returned). */
static pm_object *make_range(pm_runtime *rt, pm_object *start, pm_object *stop, pm_object *step) {
    pm_object *len = NULL, *o = NULL;
    if (!start || !stop || !step) goto fail;
    if (!(len = compute_length(rt, start, stop, step))) goto fail;
    if (!(o = pmi_object_new(rt, &pm_range_type))) goto fail;
    RNG(o)->start = start;
    RNG(o)->stop = stop;
    RNG(o)->step = step;
    RNG(o)->length = len;
    return o;
fail:
    pm_xdecref(rt, start);
    pm_xdecref(rt, stop);
    pm_xdecref(rt, step);
    pm_xdecref(rt, len);
    return NULL;
}

pm_object *pm_range_new(pm_runtime *rt, pm_object *start, pm_object *stop, pm_object *step) {
    pm_object *a = start ? pm_index(rt, start) : ival(rt, 0), *b = NULL, *c = NULL;
    if (a) b = pm_index(rt, stop);
    if (b) c = step ? pm_index(rt, step) : ival(rt, 1);
    if (c && pm_int_sign(c) == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "range() arg 3 must not be zero");
        PM_CLEAR(rt, c);
    }
    if (!c) {
        pm_xdecref(rt, a);
        pm_xdecref(rt, b);
        return NULL;
    }
    return make_range(rt, a, b, c);
}

static pm_object *range_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)type;
    if (kwargs && pm_dict_size(kwargs)) {
        pm_err_set(rt, PM_EXC_TypeError, "range() takes no keyword arguments");
        return NULL;
    }
    pm_ssize_t n = pm_tuple_size(args);
    if (!pmi_arg_check_positional(rt, "range", n, 1, 3)) return NULL;
    if (n == 1) return pm_range_new(rt, NULL, pm_tuple_get(rt, args, 0), NULL);
    return pm_range_new(rt, pm_tuple_get(rt, args, 0), pm_tuple_get(rt, args, 1),
                        n == 3 ? pm_tuple_get(rt, args, 2) : NULL);
}

static void range_dealloc(pm_runtime *rt, pm_object *self) {
    pm_decref(rt, RNG(self)->start);
    pm_decref(rt, RNG(self)->stop);
    pm_decref(rt, RNG(self)->step);
    pm_decref(rt, RNG(self)->length);
    pmi_object_free(rt, self);
}

/* ---- the sequence --------------------------------------------------------------- */

static pm_ssize_t range_length(pm_runtime *rt, pm_object *self) {
    return pm_int_as_ssize(rt, RNG(self)->length);
}

static int range_bool(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return pm_int_sign(RNG(self)->length) != 0;
}

/* self[i] for an int i (negative from the end). */
static pm_object *range_item_obj(pm_runtime *rt, pm_object *self, pm_object *i) {
    pm_object *idx = NULL, *r = NULL;
    if (pm_int_sign(i) < 0) {
        if (!(idx = pm_int_add(rt, i, RNG(self)->length))) return NULL;
    } else {
        idx = pm_newref(rt, i);
    }
    if (pm_int_sign(idx) < 0 || pm_int_compare(idx, RNG(self)->length) >= 0)
        pm_err_set(rt, PM_EXC_IndexError, "range object index out of range");
    else
        r = value_at(rt, RNG(self)->start, RNG(self)->step, idx);
    pm_decref(rt, idx);
    return r;
}

static pm_object *range_sq_item(pm_runtime *rt, pm_object *self, pm_ssize_t i) {
    pm_object *io = pm_int_from_ssize(rt, i);
    if (!io) return NULL;
    pm_object *r = range_item_obj(rt, self, io);
    pm_decref(rt, io);
    return r;
}

/* One bound of a slice against a sequence of length `len` (CPython's
 * _PySlice_GetLongIndices for one of start/stop): NEW ref. */
static pm_object *slice_bound(pm_runtime *rt, pm_object *v, pm_object *len, int neg_step, int is_stop) {
    pm_object *lower = NULL, *upper = NULL, *r = NULL;
    if (neg_step) {
        lower = ival(rt, -1);
        upper = lower ? pm_int_add(rt, len, lower) : NULL;
    } else {
        lower = ival(rt, 0);
        upper = lower ? pm_newref(rt, len) : NULL;
    }
    if (!upper) goto done;
    if (v == PM_NONE) {
        r = pm_newref(rt, (neg_step != is_stop) ? upper : lower);
        goto done;
    }
    if (!(r = pm_index(rt, v))) goto done;
    if (pm_int_sign(r) < 0) {
        pm_object *t = pm_int_add(rt, r, len);
        pm_decref(rt, r);
        if (!(r = t)) goto done;
        if (pm_int_compare(r, lower) < 0) pm_decref(rt, r), r = pm_newref(rt, lower);
    } else if (pm_int_compare(r, upper) > 0) {
        pm_decref(rt, r);
        r = pm_newref(rt, upper);
    }
done:
    pm_xdecref(rt, lower);
    pm_xdecref(rt, upper);
    return r;
}

/* self[slice]: a new range (compute_slice). */
static pm_object *range_slice(pm_runtime *rt, pm_object *self, pm_object *slice) {
    pm_object *sstart = pm_getattr_cstr(rt, slice, "start"), *sstop = NULL, *sstep = NULL;
    pm_object *step = NULL, *a = NULL, *b = NULL, *c = NULL, *na = NULL, *nb = NULL, *r = NULL;
    if (!sstart || !(sstop = pm_getattr_cstr(rt, slice, "stop")) || !(sstep = pm_getattr_cstr(rt, slice, "step")))
        goto done;
    if (sstep == PM_NONE) step = ival(rt, 1);
    else if (!(step = pm_index(rt, sstep))) {
        if (pm_err_matches(rt, PM_EXC_TypeError)) {
            pm_err_clear(rt);
            pm_err_set(rt, PM_EXC_TypeError,
                       "slice indices must be integers or None or have an __index__ method");
        }
        goto done;
    }
    if (!step) goto done;
    if (pm_int_sign(step) == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "slice step cannot be zero");
        goto done;
    }
    int neg = pm_int_sign(step) < 0;
    if (!(a = slice_bound(rt, sstart, RNG(self)->length, neg, 0))) goto done;
    if (!(b = slice_bound(rt, sstop, RNG(self)->length, neg, 1))) goto done;
    if (!(na = value_at(rt, RNG(self)->start, RNG(self)->step, a))) goto done;
    if (!(nb = value_at(rt, RNG(self)->start, RNG(self)->step, b))) goto done;
    if (!(c = pm_int_mul(rt, step, RNG(self)->step))) goto done;
    r = make_range(rt, na, nb, c);
    na = nb = c = NULL;
done:
    pm_xdecref(rt, sstart);
    pm_xdecref(rt, sstop);
    pm_xdecref(rt, sstep);
    pm_xdecref(rt, step);
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    pm_xdecref(rt, na);
    pm_xdecref(rt, nb);
    pm_xdecref(rt, c);
    return r;
}

static pm_object *range_subscript(pm_runtime *rt, pm_object *self, pm_object *key) {
    if (pm_slice_check(key)) return range_slice(rt, self, key);
    if (pm_int_check(key) || pmi_has_index(key)) {
        pm_object *i = pm_index(rt, key);
        if (!i) return NULL;
        pm_object *r = range_item_obj(rt, self, i);
        pm_decref(rt, i);
        return r;
    }
    pm_err_format(rt, PM_EXC_TypeError, "range indices must be integers or slices, not %.200s", key->ob_type->name);
    return NULL;
}

/* For an exact int or bool v: its position in self, or NULL with no error
 * when absent (NEW ref). */
static pm_object *int_position(pm_runtime *rt, pm_object *self, pm_object *v) {
    pmi_range *r = RNG(self);
    int pos = pm_int_sign(r->step) > 0;
    /* in bounds: start <= v < stop (step > 0), stop < v <= start (step < 0) */
    if (pos ? (pm_int_compare(r->start, v) > 0 || pm_int_compare(v, r->stop) >= 0)
            : (pm_int_compare(r->stop, v) >= 0 || pm_int_compare(v, r->start) > 0))
        return NULL;
    pm_object *d = pm_int_sub(rt, v, r->start), *m = NULL, *q = NULL;
    if (!d) return NULL;
    if ((m = pm_int_mod(rt, d, r->step)) != NULL && pm_int_sign(m) == 0) q = pm_int_floordiv(rt, d, r->step);
    else if (m) q = NULL;
    pm_decref(rt, d);
    pm_xdecref(rt, m);
    return q;
}

static int is_exact_int(const pm_object *o) { return o->ob_type == &pm_int_type || o->ob_type == &pm_bool_type; }

static int range_contains(pm_runtime *rt, pm_object *self, pm_object *v) {
    if (is_exact_int(v)) {
        pm_object *q = int_position(rt, self, v);
        if (q) {
            pm_decref(rt, q);
            return 1;
        }
        return pm_err_occurred(rt) ? -1 : 0;
    }
    /* by iteration (PySequence_Contains's fallback) */
    pm_object *it = pm_iter(rt, self), *x;
    if (!it) return -1;
    int found = 0;
    while ((x = pm_iter_next(rt, it)) != NULL) {
        found = pm_equal(rt, x, v);
        pm_decref(rt, x);
        if (found != 0) break;
    }
    if (!x && pm_err_occurred(rt)) found = -1;
    pm_decref(rt, it);
    return found;
}

/* count (as_count 1) or index (0) by iteration: NEW ref or NULL. */
static pm_object *search_by_iteration(pm_runtime *rt, pm_object *self, pm_object *v, int as_count) {
    pm_object *it = pm_iter(rt, self), *x;
    if (!it) return NULL;
    pm_ssize_t n = 0, i = 0;
    while ((x = pm_iter_next(rt, it)) != NULL) {
        int eq = pm_equal(rt, x, v);
        pm_decref(rt, x);
        if (eq < 0) goto fail;
        if (eq) {
            if (!as_count) {
                pm_decref(rt, it);
                return pm_int_from_ssize(rt, i);
            }
            n++;
        }
        i++;
    }
    if (pm_err_occurred(rt)) goto fail;
    pm_decref(rt, it);
    if (as_count) return pm_int_from_ssize(rt, n);
    pm_err_set(rt, PM_EXC_ValueError, "sequence.index(x): x not in sequence");
    return NULL;
fail:
    pm_decref(rt, it);
    return NULL;
}

static pm_object *range_count(pm_runtime *rt, pm_object *self, pm_object *v) {
    if (is_exact_int(v)) {
        int r = range_contains(rt, self, v);
        return r < 0 ? NULL : ival(rt, r);
    }
    return search_by_iteration(rt, self, v, 1);
}

static pm_object *range_index(pm_runtime *rt, pm_object *self, pm_object *v) {
    if (is_exact_int(v)) {
        pm_object *q = int_position(rt, self, v);
        if (q || pm_err_occurred(rt)) return q;
        pmi_sb sb;
        pmi_sb_init(&sb);
        pmi_sb_put_repr(rt, &sb, v);
        pmi_sb_puts(rt, &sb, " is not in range");
        pm_object *msg = pmi_sb_finish(rt, &sb);
        if (msg) {
            pm_err_set(rt, PM_EXC_ValueError, pm_str_as_utf8(rt, msg, NULL));
            pm_decref(rt, msg);
        }
        return NULL;
    }
    return search_by_iteration(rt, self, v, 0);
}

static int is_one(const pm_object *v) { return pm_int_sign(v) > 0 && pm_int_bit_length(v) == 1; }

/* ---- object protocol --------------------------------------------------------------- */

static pm_object *range_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_puts(rt, &sb, "range(");
    pmi_sb_put_repr(rt, &sb, RNG(self)->start);
    pmi_sb_puts(rt, &sb, ", ");
    pmi_sb_put_repr(rt, &sb, RNG(self)->stop);
    if (!is_one(RNG(self)->step)) {
        pmi_sb_puts(rt, &sb, ", ");
        pmi_sb_put_repr(rt, &sb, RNG(self)->step);
    }
    pmi_sb_puts(rt, &sb, ")");
    return pmi_sb_finish(rt, &sb);
}

/* Equal as sequences of values (range_equals). */
static int range_equals(const pmi_range *a, const pmi_range *b) {
    if (a == b) return 1;
    if (pm_int_compare(a->length, b->length) != 0) return 0;
    if (pm_int_sign(a->length) == 0) return 1;
    if (pm_int_compare(a->start, b->start) != 0) return 0;
    if (is_one(a->length)) return 1;
    return pm_int_compare(a->step, b->step) == 0;
}

static pm_object *range_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (b->ob_type != &pm_range_type || (op != PM_EQ && op != PM_NE)) return pm_newref(rt, PM_NOTIMPLEMENTED);
    int eq = range_equals(RNG(a), RNG(b));
    return pm_newref(rt, pm_bool_from(op == PM_EQ ? eq : !eq));
}

/* hash((len, start, step)) with None for start and step when empty, and for
 * step when of length 1. */
static pm_hash_t range_hash(pm_runtime *rt, pm_object *self) {
    pmi_range *r = RNG(self);
    pm_object *t;
    if (pm_int_sign(r->length) == 0) t = pm_tuple_pack(rt, 3, r->length, PM_NONE, PM_NONE);
    else if (is_one(r->length)) t = pm_tuple_pack(rt, 3, r->length, r->start, PM_NONE);
    else t = pm_tuple_pack(rt, 3, r->length, r->start, r->step);
    if (!t) return -1;
    pm_hash_t h = pm_hash(rt, t);
    pm_decref(rt, t);
    return h;
}

/* ---- iterators ---------------------------------------------------------------------- */

/* An int as a C long: 1 and *out, or 0 (does not fit; no error left). */
static int fits_long(pm_runtime *rt, pm_object *v, long *out) {
    long x = pm_int_as_long(rt, v);
    if (x == -1 && pm_err_occurred(rt)) {
        pm_err_clear(rt);
        return 0;
    }
    *out = x;
    return 1;
}

/* An iterator over start, start + step, ... (len values); reversed: from
 * the last value down.  Uses C longs when the values and the length fit. */
static pm_object *make_iter(pm_runtime *rt, pm_object *self, int reversed) {
    pmi_range *r = RNG(self);
    pm_object *start = NULL, *step = NULL, *o = NULL;
    if (reversed) {
        pm_object *one = ival(rt, 1), *last = NULL;
        if (!one) return NULL;
        pm_object *lm1 = pm_int_sub(rt, r->length, one);
        if (lm1) last = value_at(rt, r->start, r->step, lm1);
        pm_xdecref(rt, lm1);
        pm_decref(rt, one);
        if (!last) return NULL;
        start = last;
        if (!(step = pm_int_neg(rt, r->step))) goto fail;
    } else {
        start = pm_newref(rt, r->start);
        step = pm_newref(rt, r->step);
    }
    long lstart, lstep, llen, lstop;
    if (fits_long(rt, start, &lstart) && fits_long(rt, step, &lstep) && fits_long(rt, r->length, &llen) &&
        (reversed || fits_long(rt, r->stop, &lstop)) && llen >= 0 &&
        !(lstep < 0 && lstep == LONG_MIN)) {
        /* every value start + i*step, i < len, lies between start and the
         * last value, both of which fit */
        if (!(o = pmi_object_new(rt, &pmi_rangeiter_type))) goto fail;
        RIT(o)->index = 0;
        RIT(o)->start = lstart;
        RIT(o)->step = lstep;
        RIT(o)->len = llen;
        pm_decref(rt, start);
        pm_decref(rt, step);
        return o;
    }
    if (!(o = pmi_object_new(rt, &pmi_longrangeiter_type))) goto fail;
    if (!(LRIT(o)->index = ival(rt, 0))) goto fail;
    LRIT(o)->start = start;
    LRIT(o)->step = step;
    LRIT(o)->len = pm_newref(rt, r->length);
    return o;
fail:
    pm_xdecref(rt, o);      /* a longrange_iterator's fields are still NULL */
    pm_xdecref(rt, start);
    pm_xdecref(rt, step);
    return NULL;
}

static pm_object *range_iter(pm_runtime *rt, pm_object *self) { return make_iter(rt, self, 0); }

static pm_object *range_reversed(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return make_iter(rt, self, 1);
}

static pm_object *rangeiter_next(pm_runtime *rt, pm_object *self) {
    pmi_rangeiter *it = RIT(self);
    if (it->index >= it->len) return NULL;
    /* unsigned arithmetic: the value fits a long, intermediate products may not */
    long v = (long)((unsigned long)it->start + (unsigned long)it->index * (unsigned long)it->step);
    it->index++;
    return pm_int_from_long(rt, v);
}

static pm_object *rangeiter_length_hint(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_int_from_long(rt, RIT(self)->index < RIT(self)->len ? RIT(self)->len - RIT(self)->index : 0);
}

static void longrangeiter_dealloc(pm_runtime *rt, pm_object *self) {
    pm_xdecref(rt, LRIT(self)->index);
    pm_xdecref(rt, LRIT(self)->start);
    pm_xdecref(rt, LRIT(self)->step);
    pm_xdecref(rt, LRIT(self)->len);
    pmi_object_free(rt, self);
}

static pm_object *longrangeiter_next(pm_runtime *rt, pm_object *self) {
    pmi_longrangeiter *it = LRIT(self);
    if (pm_int_compare(it->index, it->len) >= 0) return NULL;
    pm_object *one = ival(rt, 1), *v = NULL;
    if (!one) return NULL;
    pm_object *next = pm_int_add(rt, it->index, one);
    if (next && (v = value_at(rt, it->start, it->step, it->index)) != NULL) {
        pm_decref(rt, it->index);
        it->index = next;
        next = NULL;
    }
    pm_xdecref(rt, next);
    pm_decref(rt, one);
    return v;
}

static pm_object *longrangeiter_length_hint(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_int_sub(rt, LRIT(self)->len, LRIT(self)->index);
}

static const pm_method_def rangeiter_methods[] = {
    {"__length_hint__", rangeiter_length_hint, PM_METH_NOARGS, "Private method returning an estimate of len(list(it))."},
    {NULL, NULL, 0, NULL},
};

static const pm_method_def longrangeiter_methods[] = {
    {"__length_hint__", longrangeiter_length_hint, PM_METH_NOARGS, "Private method returning an estimate of len(list(it))."},
    {NULL, NULL, 0, NULL},
};

const pm_type pmi_rangeiter_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "range_iterator",
    .basicsize = sizeof(pmi_rangeiter),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .dealloc = pmi_object_free,
    .hash = pmi_object_hash,
    .iter = pmi_self_iter,
    .iternext = rangeiter_next,
    .methods = rangeiter_methods,
};

const pm_type pmi_longrangeiter_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "longrange_iterator",
    .basicsize = sizeof(pmi_longrangeiter),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .dealloc = longrangeiter_dealloc,
    .hash = pmi_object_hash,
    .iter = pmi_self_iter,
    .iternext = longrangeiter_next,
    .methods = longrangeiter_methods,
};

/* ---- the type --------------------------------------------------------------------- */

static const pm_number_methods range_as_number = {
    .nb_bool = range_bool,
};

static const pm_sequence_methods range_as_sequence = {
    .sq_length = range_length,
    .sq_item = range_sq_item,
    .sq_contains = range_contains,
};

static const pm_mapping_methods range_as_mapping = {
    .mp_length = range_length,
    .mp_subscript = range_subscript,
};

static const pm_method_def range_methods[] = {
    {"__reversed__", range_reversed, PM_METH_NOARGS, "Return a reverse iterator."},
    {"count", range_count, PM_METH_O, "rangeobject.count(value) -> integer -- return number of occurrences of value"},
    {"index", range_index, PM_METH_O, "rangeobject.index(value) -> integer -- return index of value.\nRaise ValueError if the value is not present."},
    {NULL, NULL, 0, NULL},
};

static const pm_member_def range_members[] = {
    {"start", PM_T_OBJECT, offsetof(pmi_range, start), PM_READONLY, NULL},
    {"stop", PM_T_OBJECT, offsetof(pmi_range, stop), PM_READONLY, NULL},
    {"step", PM_T_OBJECT, offsetof(pmi_range, step), PM_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

const pm_type pm_range_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "range",
    .basicsize = sizeof(pmi_range),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_IMMUTABLE,
    .base = &pm_object_type,
    .doc = "range(stop) -> range object\nrange(start, stop[, step]) -> range object\n\n"
           "Return an object that produces a sequence of integers from start (inclusive)\n"
           "to stop (exclusive) by step.",
    .dealloc = range_dealloc,
    .repr = range_repr,
    .hash = range_hash,
    .richcompare = range_richcompare,
    .as_number = &range_as_number,
    .as_sequence = &range_as_sequence,
    .as_mapping = &range_as_mapping,
    .new_object = range_tp_new,
    .iter = range_iter,
    .methods = range_methods,
    .members = range_members,
};
