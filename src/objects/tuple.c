/*
 * tuple.c — tuple: an immutable array of references (PyTupleObject).
 *
 * Purpose
 *   CPython 3.11's tuple: the items live inside the object (24 bytes of
 *   header + 8 per item, +16 gc head), the empty tuple is one shared
 *   immortal object, and dead tuples of length 1..20 are kept on per-length
 *   free lists (at most 2000 each) for reuse.
 *
 *     gc head     pmi_tuple (one pm_malloc block)
 *   +-----+-----+--------+------+---------+------+------+------+
 *   |next |prev | refcnt | type | ob_size | it0  | it1  | it2  |
 *   +-----+-----+--------+------+---------+------+------+------+
 *                                   3
 *   free list of length n:  rt->freelists.tuple_free[n-1] -> t -> t' -> NULL
 *                           (chained through ob_item[0]; untracked, count 0)
 *
 * Invariants
 *   A live tuple's items are all non-NULL once pm_tuple_* returns it (the
 *   internal pmi_tuple_alloc hands out NULL items to be filled at once).
 *   The empty tuple is static, read-only and never tracked; it is never
 *   freed and every runtime shares it (CPython 3.11's _Py_SINGLETON).
 *
 * Hash: CPython 3.11's tuplehash, a simplified xxHash (XXH64's round with
 *   primes 1, 2 and 5) over the items' hashes, so hash((1, 2, 3)) equals
 *   python3's.
 *
 * CPython 3.11 quirk not copied: its free list accepts tuples of length 20
 *   but only hands out lengths up to 19; here lengths 1..20 are reused.
 */
#include "containers.h"
#include "descr.h"
#include "core/recursion.h"
#include "objects/typenew.h"

#include <stdarg.h>

/* The empty tuple: gc head (never tracked) + header, in read-only memory. */
static const struct {
    pm_gc_head gc;              /* untracked: both links 0 */
    pm_varobject tuple;         /* immortal count, ob_size 0 */
} empty_tuple = {{0, 0}, {PMI_STATIC_HEAD(&pm_tuple_type), 0}};
#define EMPTY_TUPLE ((pm_object *)&empty_tuple.tuple)

pm_object *pmi_tuple_alloc(pm_runtime *rt, pm_ssize_t n) {
    if (n == 0) return EMPTY_TUPLE;
    if (n < 0) return pmi_err_badarg(rt, "pmi_tuple_alloc");
    pmi_tuple *op;
    if (n <= PMI_TUPLE_NFREELISTS && rt->freelists.tuple_free[n - 1]) {
        op = (pmi_tuple *)rt->freelists.tuple_free[n - 1];
        rt->freelists.tuple_free[n - 1] = op->ob_item[0];
        rt->freelists.tuple_numfree[n - 1]--;
        op->ob_base.ob_base.ob_refcnt = 1;
        for (pm_ssize_t i = 0; i < n; i++) op->ob_item[i] = NULL;
    } else {
        if ((size_t)n > ((size_t)PTRDIFF_MAX - sizeof(pmi_tuple)) / sizeof(pm_object *))
            return pm_err_nomem(rt);
        op = (pmi_tuple *)pmi_gc_var_new(rt, &pm_tuple_type, n);
        if (!op) return NULL;
    }
    return (pm_object *)op;
}

static void tuple_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_tuple *op = PMI_TUPLE(self);
    pm_ssize_t n = op->ob_base.ob_size;
    pmi_gc_untrack(rt, self);
    for (pm_ssize_t i = n; --i >= 0;) pm_xdecref(rt, op->ob_item[i]);
    if (n > 0 && n <= PMI_TUPLE_NFREELISTS && rt->freelists.tuple_numfree[n - 1] < PMI_TUPLE_MAXFREELIST &&
        self->ob_type == &pm_tuple_type) {
        op->ob_item[0] = rt->freelists.tuple_free[n - 1];
        rt->freelists.tuple_free[n - 1] = self;
        rt->freelists.tuple_numfree[n - 1]++;
        return;
    }
    pmi_object_free(rt, self);
}

size_t pmi_tuple_freelist_clear(pm_runtime *rt) {
    size_t freed = 0;
    for (int k = 0; k < PMI_TUPLE_NFREELISTS; k++) {
        pm_object *o = rt->freelists.tuple_free[k];
        while (o) {
            pm_object *next = PMI_TUPLE(o)->ob_item[0];
            pmi_object_free(rt, o);
            o = next;
            freed++;
        }
        rt->freelists.tuple_free[k] = NULL;
        rt->freelists.tuple_numfree[k] = 0;
    }
    return freed;
}

/* ------------------------------------------------------------------------ */
/* Public operations                                                         */
/* ------------------------------------------------------------------------ */

pm_object *pm_tuple_from_array(pm_runtime *rt, pm_object *const *items, pm_ssize_t n) {
    pm_object *t = pmi_tuple_alloc(rt, n);
    if (!t || n == 0) return t;
    for (pm_ssize_t i = 0; i < n; i++) PMI_TUPLE(t)->ob_item[i] = pm_newref(rt, items[i]);
    pmi_gc_track(rt, t);
    return t;
}

pm_object *pm_tuple_pack(pm_runtime *rt, pm_ssize_t n, ...) {
    pm_object *t = pmi_tuple_alloc(rt, n);
    if (!t || n == 0) return t;
    va_list ap;
    va_start(ap, n);
    for (pm_ssize_t i = 0; i < n; i++) PMI_TUPLE(t)->ob_item[i] = pm_newref(rt, va_arg(ap, pm_object *));
    va_end(ap);
    pmi_gc_track(rt, t);
    return t;
}

pm_ssize_t pm_tuple_size(const pm_object *t) { return PMI_TUPLE(t)->ob_base.ob_size; }

pm_object *pm_tuple_get(pm_runtime *rt, pm_object *t, pm_ssize_t i) {
    if (!pm_tuple_check(t)) return pmi_err_badarg(rt, "pm_tuple_get");
    pm_ssize_t k = pmi_seq_index(i, PMI_TUPLE(t)->ob_base.ob_size);
    if (k < 0) {
        pm_err_set(rt, PM_EXC_IndexError, "tuple index out of range");
        return NULL;
    }
    return PMI_TUPLE(t)->ob_item[k];
}

/* ------------------------------------------------------------------------ */
/* Type hooks                                                                */
/* ------------------------------------------------------------------------ */

static int tuple_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_tuple *op = PMI_TUPLE(self);
    for (pm_ssize_t i = op->ob_base.ob_size; --i >= 0;) {
        if (op->ob_item[i]) {
            int r = visit(op->ob_item[i], arg);
            if (r) return r;
        }
    }
    return 0;
}

/* Tuples have no clear hook in CPython (they cannot be changed, and a cycle
 * through a tuple always passes through a mutable container too); the
 * collector breaks such cycles at that container.  We follow. */

static pm_ssize_t tuple_length(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return PMI_TUPLE(self)->ob_base.ob_size;
}

/* CPython 3.11's tuplehash (64-bit constants). */
#define XXPRIME_1 ((uint64_t)11400714785074694791ULL)
#define XXPRIME_2 ((uint64_t)14029467366897019727ULL)
#define XXPRIME_5 ((uint64_t)2870177450012600261ULL)
#define XXROTATE(x) (((x) << 31) | ((x) >> 33))

/* The only hash that recurses through items: it enters the recursion
 * guard (core/recursion.h), so ((((),),),) nested a million deep raises
 * RecursionError instead of overflowing the C stack (CPython has no guard
 * here and crashes). */
static pm_hash_t tuple_hash(pm_runtime *rt, pm_object *self) {
    pmi_tuple *op = PMI_TUPLE(self);
    pm_ssize_t len = op->ob_base.ob_size;
    uint64_t acc = XXPRIME_5;
    if (len && pmi_recursion_enter(rt, "") < 0) return -1;
    for (pm_ssize_t i = 0; i < len; i++) {
        pm_hash_t h = pm_hash(rt, op->ob_item[i]);
        if (h == -1) {
            pmi_recursion_leave(rt);
            return -1;
        }
        uint64_t lane = (uint64_t)h;
        acc += lane * XXPRIME_2;
        acc = XXROTATE(acc);
        acc *= XXPRIME_1;
    }
    if (len) pmi_recursion_leave(rt);
    /* Add the length, mangled to keep the historical hash(()). */
    acc += (uint64_t)len ^ (XXPRIME_5 ^ 3527539UL);
    if (acc == (uint64_t)-1) return 1546275796;
    return (pm_hash_t)acc;
}

static pm_object *tuple_repr(pm_runtime *rt, pm_object *self) {
    pmi_tuple *op = PMI_TUPLE(self);
    pm_ssize_t n = op->ob_base.ob_size;
    if (n == 0) return pmi_str_from_ascii(rt, "()", 2);
    int r = pmi_repr_enter(rt, self);
    if (r != 0) return r > 0 ? pmi_str_from_ascii(rt, "(...)", 5) : NULL;
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_putn(rt, &sb, "(", 1);
    for (pm_ssize_t i = 0; i < n && !sb.failed; i++) {
        if (i > 0) pmi_sb_putn(rt, &sb, ", ", 2);
        pmi_sb_put_repr(rt, &sb, op->ob_item[i]);
    }
    if (n == 1) pmi_sb_putn(rt, &sb, ",", 1);
    pmi_sb_putn(rt, &sb, ")", 1);
    pmi_repr_leave(rt, self);
    return pmi_sb_finish(rt, &sb);
}

static pm_object *tuple_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (!pm_tuple_check(a) || !pm_tuple_check(b)) return PM_NOTIMPLEMENTED;
    return pmi_seq_richcompare(rt, a, b, op);
}

static pm_object *tuple_getitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    if (pm_slice_check(key)) return pmi_seq_subscript_slice(rt, self, key);
    if (!pmi_has_index(key))
        return pmi_err_type(rt, "tuple indices must be integers or slices, not %s", key);
    pm_ssize_t i = pm_index_as_ssize(rt, key, PM_INDEX_INDEXERROR);
    if (i == -1 && pm_err_occurred(rt)) return NULL;
    pm_object *v = pm_tuple_get(rt, self, i);
    return v ? pm_newref(rt, v) : NULL;
}

static int tuple_contains(pm_runtime *rt, pm_object *self, pm_object *key) {
    pmi_tuple *op = PMI_TUPLE(self);
    for (pm_ssize_t i = 0; i < op->ob_base.ob_size; i++) {
        int eq = pm_equal(rt, op->ob_item[i], key);
        if (eq != 0) return eq;
    }
    return 0;
}

static pm_object *tupleiter_next(pm_runtime *rt, pm_object *self) {
    pmi_seqiter *it = (pmi_seqiter *)self;
    if (!it->seq) return NULL;
    pmi_tuple *t = PMI_TUPLE(it->seq);
    if (it->index < t->ob_base.ob_size) return pm_newref(rt, t->ob_item[it->index++]);
    PM_CLEAR(rt, it->seq);
    return NULL;
}

const pm_type pmi_tupleiter_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "tuple_iterator",
    .basicsize = sizeof(pmi_seqiter),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = pmi_seqiter_dealloc,
    .traverse = pmi_seqiter_traverse,
    .clear = pmi_seqiter_clear,
    .iter = pmi_self_iter,
    .iternext = tupleiter_next,
};

static pm_object *tuple_iter(pm_runtime *rt, pm_object *self) {
    return pmi_seqiter_new(rt, &pmi_tupleiter_type, self);
}

static const pm_sequence_methods tuple_as_sequence = {
    .sq_length = tuple_length,
    .sq_concat = pmi_tuple_sq_concat,
    .sq_repeat = pmi_tuple_sq_repeat,
    .sq_item = pmi_tuple_sq_item,
    .sq_contains = tuple_contains,
};

static const pm_mapping_methods tuple_as_mapping = {
    .mp_length = tuple_length,
    .mp_subscript = tuple_getitem,
};

/* ---- methods (tuple.count, tuple.index) ----------------------------------- */

static pm_object *tuplem_count(pm_runtime *rt, pm_object *self, pm_object *value) {
    pm_ssize_t n = 0;
    for (pm_ssize_t i = 0; i < pm_tuple_size(self); i++) {
        int eq = pm_equal(rt, pm_tuple_get(rt, self, i), value);
        if (eq < 0) return NULL;
        n += eq;
    }
    return pm_int_from_ssize(rt, n);
}

/* start/stop of index(): clinic's slice_index converter. */
static int tuple_slice_index(pm_runtime *rt, pm_object *o, pm_ssize_t *out) {
    if (o == PM_NONE) return 1;
    if (!pmi_has_index(o)) {
        pm_err_set(rt, PM_EXC_TypeError, "slice indices must be integers or have an __index__ method");
        return 0;
    }
    *out = pm_index_as_ssize(rt, o, PM_INDEX_CLAMP);
    return !(*out == -1 && pm_err_occurred(rt));
}

static pm_object *tuplem_index(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "index", nargs, 1, 3)) return NULL;
    pm_ssize_t start = 0, stop = PM_SSIZE_MAX, n = pm_tuple_size(self);
    if (nargs > 1 && !tuple_slice_index(rt, args[1], &start)) return NULL;
    if (nargs > 2 && !tuple_slice_index(rt, args[2], &stop)) return NULL;
    if (start < 0 && (start += n) < 0) start = 0;
    if (stop < 0 && (stop += n) < 0) stop = 0;
    for (pm_ssize_t i = start; i < stop && i < n; i++) {
        int eq = pm_equal(rt, pm_tuple_get(rt, self, i), args[0]);
        if (eq < 0) return NULL;
        if (eq) return pm_int_from_ssize(rt, i);
    }
    pm_err_set(rt, PM_EXC_ValueError, "tuple.index(x): x not in tuple");
    return NULL;
}

static const pm_method_def tuple_methods[] = {
    {"index", (pm_cfunction)(void (*)(void))tuplem_index, PM_METH_FASTCALL, "Return first index of value."},
    {"count", tuplem_count, PM_METH_O, "Return number of occurrences of value."},
    {NULL, NULL, 0, NULL},
};

const pm_type pm_tuple_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "tuple",
    .basicsize = sizeof(pmi_tuple),
    .itemsize = sizeof(pm_object *),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLE |
             PM_TPFLAGS_TUPLE_SUBCLASS,
    .base = &pm_object_type,
    .dealloc = tuple_dealloc,
    .traverse = tuple_traverse,
    .repr = tuple_repr,
    .hash = tuple_hash,
    .richcompare = tuple_richcompare,
    .iter = tuple_iter,
    .as_sequence = &tuple_as_sequence,
    .as_mapping = &tuple_as_mapping,
    .methods = tuple_methods,
    .new_object = pmi_tuple_tp_new,
};
