/*
 * list.c — list: a resizable array of references (PyListObject).
 *
 * Purpose
 *   The list type with CPython 3.11's memory behaviour: the same 40-byte
 *   object (+16 gc head), a separate item array grown by list_resize's exact
 *   over-allocation rule, and a free list of 80 dead list objects.
 *
 *     pmi_list (pm_malloc'd with its gc head)     item array (pm_malloc'd)
 *     +--------+--------+---------+---------+-----------+    +----+----+----+----+
 *     | refcnt | type   | ob_size | ob_item | allocated |--> | p0 | p1 | p2 | -- |
 *     +--------+--------+---------+---------+-----------+    +----+----+----+----+
 *                        3 used               4 slots          ^ slots >= ob_size
 *
 * Invariants
 *   0 <= ob_size <= allocated; ob_item == NULL iff allocated == 0; the first
 *   ob_size slots hold strong references, the rest are garbage.
 *
 * Growth (list_resize, CPython 3.11): when newsize fits in [allocated/2,
 *   allocated] only ob_size changes.  Otherwise
 *       new_allocated = (newsize + newsize/8 + 6) & ~3
 *   and, when that would leave less room than the jump itself asked for
 *   (extend by many), (newsize + 3) & ~3.  Appending to [] gives capacities
 *   0, 4, 8, 16, 24, 32, 40, 52, 64, 76, ...  A list built from a known-size
 *   sequence into an empty list (list((1,2,3)), the constant list display
 *   [1, 2, 3]) is preallocated exactly, rounded up to even
 *   (list_preallocate_exact); BUILD_LIST n (pm_list_from_array) takes n.
 *
 * Free list: dealloc keeps up to PMI_LIST_MAXFREELIST (80) list objects (not
 *   their item arrays) in rt->freelists.list_free for reuse, as CPython 3.11; cleared
 *   by pm_freelists_clear and at runtime teardown.
 *
 * Mutation during comparison: an element's __eq__ could (once the
 *   interpreter exists) mutate the list, so loops re-read ob_size and hold a
 *   reference to the element they compare, as CPython does.
 */
#include "containers.h"
#include "descr.h"
#include "objects/typenew.h"

#include <stdint.h>

/* ------------------------------------------------------------------------ */
/* Allocation and growth                                                     */
/* ------------------------------------------------------------------------ */

/* CPython 3.11's list_resize.  On failure the list is unchanged. */
int pmi_list_resize(pm_runtime *rt, pmi_list *self, pm_ssize_t newsize) {
    pm_ssize_t allocated = self->allocated;
    if (allocated >= newsize && newsize >= (allocated >> 1)) {
        self->ob_base.ob_size = newsize;
        return 0;
    }
    size_t new_allocated = ((size_t)newsize + ((size_t)newsize >> 3) + 6) & ~(size_t)3;
    if (newsize - self->ob_base.ob_size > (pm_ssize_t)(new_allocated - (size_t)newsize))
        new_allocated = ((size_t)newsize + 3) & ~(size_t)3;
    if (newsize == 0) new_allocated = 0;
    if (new_allocated > (size_t)PTRDIFF_MAX / sizeof(pm_object *)) {
        pm_err_nomem(rt);
        return -1;
    }
    pm_object **items;
    if (new_allocated == 0) {
        pm_free(rt, self->ob_item);
        items = NULL;
    } else {
        items = pm_realloc(rt, self->ob_item, new_allocated * sizeof(pm_object *));
        if (!items) {
            pm_err_nomem(rt);
            return -1;
        }
    }
    self->ob_item = items;
    self->ob_base.ob_size = newsize;
    self->allocated = (pm_ssize_t)new_allocated;
    return 0;
}

/* list_preallocate_exact: an empty list gets room for exactly n items,
 * rounded up to even (pymalloc's 16-byte granularity makes the odd slot
 * free). */
static int list_preallocate_exact(pm_runtime *rt, pmi_list *self, pm_ssize_t n) {
    n = (n + 1) & ~(pm_ssize_t)1;
    if ((size_t)n > (size_t)PTRDIFF_MAX / sizeof(pm_object *)) {
        pm_err_nomem(rt);
        return -1;
    }
    pm_object **items = pm_malloc(rt, (size_t)n * sizeof(pm_object *));
    if (!items) {
        pm_err_nomem(rt);
        return -1;
    }
    self->ob_item = items;
    self->allocated = n;
    return 0;
}

/* A new, empty, tracked list with room for `allocated` items. */
static pmi_list *list_alloc(pm_runtime *rt, pm_ssize_t allocated) {
    pmi_list *op;
    if (rt->freelists.list_numfree > 0) {
        op = (pmi_list *)rt->freelists.list_free[--rt->freelists.list_numfree];
        op->ob_base.ob_base.ob_refcnt = 1;
    } else {
        op = (pmi_list *)pmi_gc_new(rt, &pm_list_type);
        if (!op) return NULL;
    }
    op->ob_base.ob_size = 0;
    op->ob_item = NULL;
    op->allocated = 0;
    if (allocated > 0) {
        if ((size_t)allocated > (size_t)PTRDIFF_MAX / sizeof(pm_object *)) goto nomem;
        op->ob_item = pm_malloc(rt, (size_t)allocated * sizeof(pm_object *));
        if (!op->ob_item) goto nomem;
        op->allocated = allocated;
    }
    pmi_gc_track(rt, (pm_object *)op);
    return op;
nomem:
    pm_err_nomem(rt);
    pm_decref(rt, (pm_object *)op);   /* dealloc copes with an untracked list */
    return NULL;
}

pm_object *pmi_list_new_prealloc(pm_runtime *rt, pm_ssize_t n) {
    return (pm_object *)list_alloc(rt, n);
}

pm_object *pm_list_new(pm_runtime *rt) {
    return (pm_object *)list_alloc(rt, 0);
}

pm_object *pm_list_from_array(pm_runtime *rt, pm_object *const *items, pm_ssize_t n) {
    if (n < 0) return pmi_err_badarg(rt, "pm_list_from_array");
    pmi_list *op = list_alloc(rt, n);
    if (!op) return NULL;
    for (pm_ssize_t i = 0; i < n; i++) op->ob_item[i] = pm_newref(rt, items[i]);
    op->ob_base.ob_size = n;
    return (pm_object *)op;
}

static void list_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_list *op = PMI_LIST(self);
    pmi_gc_untrack(rt, self);
    if (op->ob_item) {
        /* Decref from the end, as CPython: a list used as a stack frees its
         * most recent items first. */
        pm_ssize_t i = op->ob_base.ob_size;
        while (--i >= 0) pm_xdecref(rt, op->ob_item[i]);
        pm_free(rt, op->ob_item);
        op->ob_item = NULL;
    }
    if (rt->freelists.list_numfree < PMI_LIST_MAXFREELIST && self->ob_type == &pm_list_type) {
        rt->freelists.list_free[rt->freelists.list_numfree++] = self;
    } else {
        pmi_object_free(rt, self);
    }
}

size_t pmi_list_freelist_clear(pm_runtime *rt) {
    size_t n = 0;
    while (rt->freelists.list_numfree > 0) {
        pmi_object_free(rt, rt->freelists.list_free[--rt->freelists.list_numfree]);
        n++;
    }
    return n;
}

/* ------------------------------------------------------------------------ */
/* Public operations                                                         */
/* ------------------------------------------------------------------------ */

#define LIST_CHECK(rt, o, fn, fail)                        \
    do {                                                   \
        if (!pm_list_check(o)) {                           \
            pmi_err_badarg((rt), (fn));                    \
            return fail;                                   \
        }                                                  \
    } while (0)

pm_ssize_t pm_list_size(const pm_object *list) { return PMI_LIST(list)->ob_base.ob_size; }

pm_ssize_t pm_list_allocated(const pm_object *list) { return PMI_LIST(list)->allocated; }

pm_object *pm_list_get(pm_runtime *rt, pm_object *list, pm_ssize_t i) {
    LIST_CHECK(rt, list, "pm_list_get", NULL);
    pmi_list *op = PMI_LIST(list);
    pm_ssize_t k = pmi_seq_index(i, op->ob_base.ob_size);
    if (k < 0) {
        pm_err_set(rt, PM_EXC_IndexError, "list index out of range");
        return NULL;
    }
    return op->ob_item[k];
}

int pm_list_set(pm_runtime *rt, pm_object *list, pm_ssize_t i, pm_object *item) {
    LIST_CHECK(rt, list, "pm_list_set", -1);
    pmi_list *op = PMI_LIST(list);
    pm_ssize_t k = pmi_seq_index(i, op->ob_base.ob_size);
    if (k < 0) {
        pm_err_set(rt, PM_EXC_IndexError, "list assignment index out of range");
        return -1;
    }
    pm_object *old = op->ob_item[k];
    op->ob_item[k] = pm_newref(rt, item);
    pm_decref(rt, old);
    return 0;
}

int pm_list_append(pm_runtime *rt, pm_object *list, pm_object *item) {
    LIST_CHECK(rt, list, "pm_list_append", -1);
    pmi_list *op = PMI_LIST(list);
    pm_ssize_t n = op->ob_base.ob_size;
    if (n < op->allocated) {            /* the common case: no resize */
        op->ob_item[n] = pm_newref(rt, item);
        op->ob_base.ob_size = n + 1;
        return 0;
    }
    if (pmi_list_resize(rt, op, n + 1) < 0) return -1;
    op->ob_item[n] = pm_newref(rt, item);
    return 0;
}

int pm_list_insert(pm_runtime *rt, pm_object *list, pm_ssize_t where, pm_object *item) {
    LIST_CHECK(rt, list, "pm_list_insert", -1);
    pmi_list *op = PMI_LIST(list);
    pm_ssize_t n = op->ob_base.ob_size;
    if (pmi_list_resize(rt, op, n + 1) < 0) return -1;
    if (where < 0) {
        where += n;
        if (where < 0) where = 0;
    }
    if (where > n) where = n;
    pm_object **items = op->ob_item;
    for (pm_ssize_t i = n; --i >= where;) items[i + 1] = items[i];
    items[where] = pm_newref(rt, item);
    return 0;
}

pm_object *pm_list_pop(pm_runtime *rt, pm_object *list, pm_ssize_t i) {
    LIST_CHECK(rt, list, "pm_list_pop", NULL);
    pmi_list *op = PMI_LIST(list);
    pm_ssize_t n = op->ob_base.ob_size;
    if (n == 0) {
        pm_err_set(rt, PM_EXC_IndexError, "pop from empty list");
        return NULL;
    }
    pm_ssize_t k = pmi_seq_index(i, n);
    if (k < 0) {
        pm_err_set(rt, PM_EXC_IndexError, "pop index out of range");
        return NULL;
    }
    pm_object *v = op->ob_item[k];
    pm_object **items = op->ob_item;
    for (pm_ssize_t j = k; j < n - 1; j++) items[j] = items[j + 1];
    /* Shrinking never needs memory for the items that stay; a failed
     * realloc while shrinking (fault injection) only keeps the larger
     * array.  CPython's list_resize shrinks the same way. */
    if (pmi_list_resize(rt, op, n - 1) < 0) {
        pm_err_clear(rt);
        op->ob_base.ob_size = n - 1;
    }
    return v;
}

int pm_list_delete(pm_runtime *rt, pm_object *list, pm_ssize_t i) {
    pm_object *v = pm_list_pop(rt, list, i);
    if (!v) {
        if (pm_err_matches(rt, PM_EXC_IndexError))
            pm_err_set(rt, PM_EXC_IndexError, "list assignment index out of range");
        return -1;
    }
    pm_decref(rt, v);
    return 0;
}

/* Append the n items of a C array (borrowed) to a list: the fast path of
 * list.extend for lists and tuples. */
static int list_extend_array(pm_runtime *rt, pmi_list *op, pm_object *const *src, pm_ssize_t n) {
    if (n == 0) return 0;
    pm_ssize_t m = op->ob_base.ob_size;
    if (op->ob_item == NULL) {
        if (list_preallocate_exact(rt, op, n) < 0) return -1;
        op->ob_base.ob_size = n;
    } else if (pmi_list_resize(rt, op, m + n) < 0) {
        return -1;
    }
    for (pm_ssize_t i = 0; i < n; i++) op->ob_item[m + i] = pm_newref(rt, src[i]);
    return 0;
}

/* PyObject_LengthHint: len(o) for sized objects, the items left for the
 * containers' own iterators, else deflt.  -1 only on an error of len(). */
static pm_ssize_t length_hint(pm_runtime *rt, pm_object *o, pm_ssize_t deflt) {
    const pm_type *t = o->ob_type;
    pm_lenfunc len = pmi_type_lenfunc(t);
    if (len) {
        pm_ssize_t n = len(rt, o);
        if (n >= 0) return n;
        if (!pm_err_matches(rt, PM_EXC_TypeError)) return -1;
        pm_err_clear(rt);
    }
    if (t == &pmi_listiter_type || t == &pmi_tupleiter_type) {
        pmi_seqiter *it = (pmi_seqiter *)o;
        if (!it->seq) return 0;
        pm_ssize_t left = ((pm_varobject *)it->seq)->ob_size - it->index;
        return left > 0 ? left : 0;
    }
    pm_ssize_t n = pmi_dictiter_len(o);
    if (n >= 0) return n;
    n = pmi_setiter_len(o);
    if (n >= 0) return n;
    return deflt;
}

int pm_list_extend(pm_runtime *rt, pm_object *list, pm_object *iterable) {
    LIST_CHECK(rt, list, "pm_list_extend", -1);
    pmi_list *op = PMI_LIST(list);
    if (pm_list_check(iterable)) {
        /* list.extend(self) reads a stable snapshot: the source array may
         * move when it is the list itself, so copy the count first. */
        pm_ssize_t n = PMI_LIST(iterable)->ob_base.ob_size;
        if (iterable == list) {
            pm_ssize_t m = op->ob_base.ob_size;
            if (n == 0) return 0;
            if (pmi_list_resize(rt, op, m + n) < 0) return -1;
            for (pm_ssize_t i = 0; i < n; i++) op->ob_item[m + i] = pm_newref(rt, op->ob_item[i]);
            return 0;
        }
        return list_extend_array(rt, op, PMI_LIST(iterable)->ob_item, n);
    }
    if (pm_tuple_check(iterable))
        return list_extend_array(rt, op, PMI_TUPLE(iterable)->ob_item, pm_var_size(iterable));
    /* CPython's generic path: make room for the length hint (default 8)
     * first, fill, then cut the array back to the items really added. */
    pm_ssize_t hint = length_hint(rt, iterable, 8);
    if (hint < 0) return -1;
    pm_object *it = pm_iter(rt, iterable);
    if (!it) return -1;
    pm_ssize_t m = op->ob_base.ob_size;
    if (hint > 0 && hint <= PTRDIFF_MAX / (pm_ssize_t)sizeof(pm_object *) - m) {
        /* An empty list gets exactly the hint (rounded up to even), a
         * non-empty one list_resize's over-allocation (CPython 3.11). */
        int r = op->ob_item == NULL ? list_preallocate_exact(rt, op, hint)
                                    : pmi_list_resize(rt, op, m + hint);
        if (r < 0) {
            pm_decref(rt, it);
            return -1;
        }
        op->ob_base.ob_size = m;
    }
    for (;;) {
        pm_object *item = pm_iter_next(rt, it);
        if (!item) break;
        if (op->ob_base.ob_size < op->allocated) {
            op->ob_item[op->ob_base.ob_size++] = item;      /* the reference moves in */
            continue;
        }
        int r = pm_list_append(rt, list, item);
        pm_decref(rt, item);
        if (r < 0) break;
    }
    pm_decref(rt, it);
    int failed = pm_err_occurred(rt);
    if (op->ob_base.ob_size < op->allocated && !failed) {
        /* Shrinking is optional: if it cannot be done, keep the room. */
        pm_ssize_t n = op->ob_base.ob_size;
        if (pmi_list_resize(rt, op, n) < 0) {
            pm_err_clear(rt);
            op->ob_base.ob_size = n;
        }
    }
    return failed ? -1 : 0;
}

int pm_list_clear(pm_runtime *rt, pm_object *list) {
    LIST_CHECK(rt, list, "pm_list_clear", -1);
    pmi_list *op = PMI_LIST(list);
    pm_object **items = op->ob_item;
    pm_ssize_t n = op->ob_base.ob_size;
    /* Detach first: a decref below may run code that looks at the list. */
    op->ob_item = NULL;
    op->ob_base.ob_size = 0;
    op->allocated = 0;
    while (--n >= 0) pm_xdecref(rt, items[n]);
    pm_free(rt, items);
    return 0;
}

int pm_list_reverse(pm_runtime *rt, pm_object *list) {
    LIST_CHECK(rt, list, "pm_list_reverse", -1);
    pmi_list *op = PMI_LIST(list);
    pm_ssize_t lo = 0, hi = op->ob_base.ob_size - 1;
    for (; lo < hi; lo++, hi--) {
        pm_object *t = op->ob_item[lo];
        op->ob_item[lo] = op->ob_item[hi];
        op->ob_item[hi] = t;
    }
    return 0;
}

pm_ssize_t pm_list_index(pm_runtime *rt, pm_object *list, pm_object *value) {
    LIST_CHECK(rt, list, "pm_list_index", -1);
    pmi_list *op = PMI_LIST(list);
    for (pm_ssize_t i = 0; i < op->ob_base.ob_size; i++) {
        pm_object *item = pm_newref(rt, op->ob_item[i]);
        int eq = pm_equal(rt, item, value);
        pm_decref(rt, item);
        if (eq < 0) return -1;
        if (eq > 0) return i;
    }
    pm_err_set(rt, PM_EXC_ValueError, "list.index(x): x not in list");
    return -1;
}

pm_object *pm_list_as_tuple(pm_runtime *rt, pm_object *list) {
    LIST_CHECK(rt, list, "pm_list_as_tuple", NULL);
    return pm_tuple_from_array(rt, PMI_LIST(list)->ob_item, PMI_LIST(list)->ob_base.ob_size);
}

/* list.sort() is timsort, in listsort.c. */

/* A new list or tuple of a's items then b's. */
static pm_object *seq_concat(pm_runtime *rt, pm_object *a, pm_object *b, int tuple) {
    pm_ssize_t na = ((pm_varobject *)a)->ob_size, nb = ((pm_varobject *)b)->ob_size;
    pm_object **ia = tuple ? PMI_TUPLE(a)->ob_item : PMI_LIST(a)->ob_item;
    pm_object **ib = tuple ? PMI_TUPLE(b)->ob_item : PMI_LIST(b)->ob_item;
    if (na > PTRDIFF_MAX / (pm_ssize_t)sizeof(pm_object *) - nb) return pm_err_nomem(rt);
    if (tuple) {
        if (nb == 0) return pm_newref(rt, a);
        if (na == 0) return pm_newref(rt, b);
        pm_object *t = pmi_tuple_alloc(rt, na + nb);
        if (!t) return NULL;
        for (pm_ssize_t i = 0; i < na; i++) PMI_TUPLE(t)->ob_item[i] = pm_newref(rt, ia[i]);
        for (pm_ssize_t i = 0; i < nb; i++) PMI_TUPLE(t)->ob_item[na + i] = pm_newref(rt, ib[i]);
        pmi_gc_track(rt, t);
        return t;
    }
    pmi_list *l = list_alloc(rt, na + nb);
    if (!l) return NULL;
    for (pm_ssize_t i = 0; i < na; i++) l->ob_item[i] = pm_newref(rt, ia[i]);
    for (pm_ssize_t i = 0; i < nb; i++) l->ob_item[na + i] = pm_newref(rt, ib[i]);
    l->ob_base.ob_size = na + nb;
    return (pm_object *)l;
}

pm_object *pm_list_concat(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!pm_list_check(a) || !pm_list_check(b)) return pmi_err_badarg(rt, "pm_list_concat");
    return seq_concat(rt, a, b, 0);
}

pm_object *pm_tuple_concat(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!pm_tuple_check(a) || !pm_tuple_check(b)) return pmi_err_badarg(rt, "pm_tuple_concat");
    return seq_concat(rt, a, b, 1);
}

/* a * n (sq_repeat) for a list, or for a tuple (pmi_tuple_sq_repeat builds
 * its result through a list): the array is allocated exactly len * n, as
 * CPython's list_repeat (list_new_prealloc) -- getsizeof([0] * 100) is 856,
 * not the 920 of growing by repeated extends. */
pm_object *pmi_list_sq_repeat(pm_runtime *rt, pm_object *a, pm_ssize_t n) {
    pm_ssize_t len = ((pm_varobject *)a)->ob_size;
    if (n < 0) n = 0;
    if (len && n > PM_SSIZE_MAX / (pm_ssize_t)sizeof(pm_object *) / len) return pm_err_nomem(rt);
    pm_ssize_t size = len * n;
    if (size == 0) return pm_list_new(rt);
    pmi_list *r = list_alloc(rt, size);
    if (!r) return NULL;
    pm_object **src = pm_list_check(a) ? PMI_LIST(a)->ob_item : PMI_TUPLE(a)->ob_item;
    pm_object **dst = r->ob_item;
    for (pm_ssize_t k = 0; k < n; k++)
        for (pm_ssize_t i = 0; i < len; i++) *dst++ = pm_newref(rt, src[i]);
    r->ob_base.ob_size = size;
    return (pm_object *)r;
}

/* a *= n: one list_resize to len * n (its over-allocation rule, as
 * CPython's list_inplace_repeat), then the first len items copied n - 1
 * times; nothing runs between the resize and the filled array. */
pm_object *pmi_list_sq_inplace_repeat(pm_runtime *rt, pm_object *a, pm_ssize_t n) {
    pmi_list *op = PMI_LIST(a);
    pm_ssize_t len = op->ob_base.ob_size;
    if (len == 0 || n == 1) return pm_newref(rt, a);
    if (n < 1) {
        if (pm_list_clear(rt, a) < 0) return NULL;
        return pm_newref(rt, a);
    }
    if (n > PM_SSIZE_MAX / (pm_ssize_t)sizeof(pm_object *) / len) return pm_err_nomem(rt);
    if (pmi_list_resize(rt, op, len * n) < 0) return NULL;
    pm_object **items = op->ob_item, **dst = items + len;
    for (pm_ssize_t k = 1; k < n; k++)
        for (pm_ssize_t i = 0; i < len; i++) *dst++ = pm_newref(rt, items[i]);
    return pm_newref(rt, a);
}

/* ------------------------------------------------------------------------ */
/* Type hooks                                                                */
/* ------------------------------------------------------------------------ */

static int list_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_list *op = PMI_LIST(self);
    for (pm_ssize_t i = op->ob_base.ob_size; --i >= 0;) {
        if (op->ob_item[i]) {
            int r = visit(op->ob_item[i], arg);
            if (r) return r;
        }
    }
    return 0;
}

static int list_clear_hook(pm_runtime *rt, pm_object *self) {
    return pm_list_clear(rt, self);
}

static size_t list_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return sizeof(pmi_list) + (size_t)PMI_LIST(self)->allocated * sizeof(pm_object *);
}

static pm_ssize_t list_length(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return PMI_LIST(self)->ob_base.ob_size;
}

static pm_object *list_repr(pm_runtime *rt, pm_object *self) {
    pmi_list *op = PMI_LIST(self);
    if (op->ob_base.ob_size == 0) return pmi_str_from_ascii(rt, "[]", 2);
    int r = pmi_repr_enter(rt, self);
    if (r != 0) return r > 0 ? pmi_str_from_ascii(rt, "[...]", 5) : NULL;
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_putn(rt, &sb, "[", 1);
    /* ob_size is re-read: a repr of an element could change the list. */
    for (pm_ssize_t i = 0; i < op->ob_base.ob_size && !sb.failed; i++) {
        if (i > 0) pmi_sb_putn(rt, &sb, ", ", 2);
        pm_object *item = pm_newref(rt, op->ob_item[i]);
        pmi_sb_put_repr(rt, &sb, item);
        pm_decref(rt, item);
    }
    pmi_sb_putn(rt, &sb, "]", 1);
    pmi_repr_leave(rt, self);
    return pmi_sb_finish(rt, &sb);
}

/* Items and size of a list or tuple, re-read at every step: while an
 * element's comparison runs, a list may change under us. */
static pm_object **seq_items(pm_object *o) {
    return pm_list_check(o) ? PMI_LIST(o)->ob_item : PMI_TUPLE(o)->ob_item;
}
static pm_ssize_t seq_size(pm_object *o) { return ((pm_varobject *)o)->ob_size; }

/* Lexicographic comparison shared by lists and tuples (list_richcompare /
 * tuplerichcompare): find the first index where the items differ, then
 * compare the lengths or those two items.  a and b are both lists or both
 * tuples. */
pm_object *pmi_seq_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (seq_size(a) != seq_size(b) && (op == PM_EQ || op == PM_NE))
        return pm_bool_from(op == PM_NE);
    pm_ssize_t i;
    for (i = 0; i < seq_size(a) && i < seq_size(b); i++) {
        pm_object *x = seq_items(a)[i], *y = seq_items(b)[i];
        if (x == y) continue;
        pm_incref(rt, x);
        pm_incref(rt, y);
        int k = pm_richcompare_bool(rt, x, y, PM_EQ);
        pm_decref(rt, x);
        pm_decref(rt, y);
        if (k < 0) return NULL;
        if (!k) break;
    }
    pm_ssize_t na = seq_size(a), nb = seq_size(b);
    if (i >= na || i >= nb) {
        int c;
        switch (op) {
        case PM_LT: c = na < nb; break;
        case PM_LE: c = na <= nb; break;
        case PM_EQ: c = na == nb; break;
        case PM_NE: c = na != nb; break;
        case PM_GT: c = na > nb; break;
        default: c = na >= nb; break;
        }
        return pm_bool_from(c);
    }
    if (op == PM_EQ) return pm_bool_from(0);
    if (op == PM_NE) return pm_bool_from(1);
    pm_object *x = pm_newref(rt, seq_items(a)[i]), *y = pm_newref(rt, seq_items(b)[i]);
    pm_object *res = pm_richcompare(rt, x, y, op);
    pm_decref(rt, x);
    pm_decref(rt, y);
    return res;
}

static pm_object *list_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (!pm_list_check(a) || !pm_list_check(b)) return PM_NOTIMPLEMENTED;
    return pmi_seq_richcompare(rt, a, b, op);
}

/* list[int] */
static pm_object *list_getitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    if (pm_slice_check(key)) return pmi_seq_subscript_slice(rt, self, key);
    if (!pmi_has_index(key))
        return pmi_err_type(rt, "list indices must be integers or slices, not %s", key);
    pm_ssize_t i = pm_index_as_ssize(rt, key, PM_INDEX_INDEXERROR);
    if (i == -1 && pm_err_occurred(rt)) return NULL;
    pm_object *v = pm_list_get(rt, self, i);
    return v ? pm_newref(rt, v) : NULL;
}

static int list_setitem(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *value) {
    if (pm_slice_check(key)) return pmi_list_ass_subscript_slice(rt, self, key, value);
    if (!pmi_has_index(key)) {
        pmi_err_type(rt, "list indices must be integers or slices, not %s", key);
        return -1;
    }
    pm_ssize_t i = pm_index_as_ssize(rt, key, PM_INDEX_INDEXERROR);
    if (i == -1 && pm_err_occurred(rt)) return -1;
    return pm_list_set(rt, self, i, value);
}

static int list_delitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    if (pm_slice_check(key)) return pmi_list_ass_subscript_slice(rt, self, key, NULL);
    if (!pmi_has_index(key)) {
        pmi_err_type(rt, "list indices must be integers or slices, not %s", key);
        return -1;
    }
    pm_ssize_t i = pm_index_as_ssize(rt, key, PM_INDEX_INDEXERROR);
    if (i == -1 && pm_err_occurred(rt)) return -1;
    return pm_list_delete(rt, self, i);
}

static int list_contains(pm_runtime *rt, pm_object *self, pm_object *key) {
    pmi_list *op = PMI_LIST(self);
    for (pm_ssize_t i = 0; i < op->ob_base.ob_size; i++) {
        pm_object *item = pm_newref(rt, op->ob_item[i]);
        int eq = pm_equal(rt, item, key);
        pm_decref(rt, item);
        if (eq != 0) return eq;
    }
    return 0;
}

/* ---- the iterator (listiterator) ---------------------------------------- */

void pmi_seqiter_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    pm_xdecref(rt, ((pmi_seqiter *)self)->seq);
    pmi_object_free(rt, self);
}

int pmi_seqiter_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_seqiter *it = (pmi_seqiter *)self;
    return it->seq ? visit(it->seq, arg) : 0;
}

int pmi_seqiter_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((pmi_seqiter *)self)->seq);
    return 0;
}

pm_object *pmi_self_iter(pm_runtime *rt, pm_object *self) { return pm_newref(rt, self); }

static pm_object *listiter_next(pm_runtime *rt, pm_object *self) {
    pmi_seqiter *it = (pmi_seqiter *)self;
    if (!it->seq) return NULL;
    pmi_list *l = PMI_LIST(it->seq);
    if (it->index < l->ob_base.ob_size) return pm_newref(rt, l->ob_item[it->index++]);
    PM_CLEAR(rt, it->seq);
    return NULL;
}

const pm_type pmi_listiter_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "list_iterator",
    .basicsize = sizeof(pmi_seqiter),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = pmi_seqiter_dealloc,
    .traverse = pmi_seqiter_traverse,
    .clear = pmi_seqiter_clear,
    .iter = pmi_self_iter,
    .iternext = listiter_next,
};

pm_object *pmi_seqiter_new(pm_runtime *rt, const pm_type *type, pm_object *seq) {
    pmi_seqiter *it = (pmi_seqiter *)pmi_gc_new(rt, type);
    if (!it) return NULL;
    it->index = 0;
    it->seq = pm_newref(rt, seq);
    pmi_gc_track(rt, (pm_object *)it);
    return (pm_object *)it;
}

static pm_object *list_iter(pm_runtime *rt, pm_object *self) {
    return pmi_seqiter_new(rt, &pmi_listiter_type, self);
}

/* m[key] = v, or del m[key] when v is NULL (mp_ass_subscript). */
static int list_ass_subscript(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *v) {
    return v ? list_setitem(rt, self, key, v) : list_delitem(rt, self, key);
}

static const pm_sequence_methods list_as_sequence = {
    .sq_length = list_length,
    .sq_concat = pmi_list_sq_concat,
    .sq_repeat = pmi_list_sq_repeat,
    .sq_item = pmi_list_sq_item,
    .sq_contains = list_contains,
    .sq_inplace_concat = pmi_list_sq_inplace_concat,
    .sq_inplace_repeat = pmi_list_sq_inplace_repeat,
};

static const pm_mapping_methods list_as_mapping = {
    .mp_length = list_length,
    .mp_subscript = list_getitem,
    .mp_ass_subscript = list_ass_subscript,
};

/* ---- methods (list.append, ...: objects/descrobject.c makes them attributes) */

static pm_object *none_or_null(int r) { return r < 0 ? NULL : PM_NONE; }

static pm_object *listm_append(pm_runtime *rt, pm_object *self, pm_object *x) {
    return none_or_null(pm_list_append(rt, self, x));
}
static pm_object *listm_extend(pm_runtime *rt, pm_object *self, pm_object *x) {
    return none_or_null(pm_list_extend(rt, self, x));
}
static pm_object *listm_clear(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return none_or_null(pm_list_clear(rt, self));
}
static pm_object *listm_reverse(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return none_or_null(pm_list_reverse(rt, self));
}
static pm_object *listm_copy(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_list_get_slice(rt, self, 0, PM_SSIZE_MAX);
}
static pm_object *listm_insert(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "insert", nargs, 2, 2)) return NULL;
    pm_ssize_t i = pmi_arg_ssize(rt, args[0]);
    if (i == -1 && pm_err_occurred(rt)) return NULL;
    return none_or_null(pm_list_insert(rt, self, i, args[1]));
}
static pm_object *listm_pop(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "pop", nargs, 0, 1)) return NULL;
    pm_ssize_t i = -1;
    if (nargs == 1) {
        i = pmi_arg_ssize(rt, args[0]);
        if (i == -1 && pm_err_occurred(rt)) return NULL;
    }
    return pm_list_pop(rt, self, i);
}
/* Compare item i with value: 1/0, -1 (the item kept alive meanwhile). */
static int item_equals(pm_runtime *rt, pm_object *self, pm_ssize_t i, pm_object *value) {
    pm_object *item = pm_newref(rt, PMI_LIST(self)->ob_item[i]);
    int eq = pm_equal(rt, item, value);
    pm_decref(rt, item);
    return eq;
}
static pm_object *listm_count(pm_runtime *rt, pm_object *self, pm_object *value) {
    pm_ssize_t n = 0;
    for (pm_ssize_t i = 0; i < PMI_LIST(self)->ob_base.ob_size; i++) {
        int eq = item_equals(rt, self, i, value);
        if (eq < 0) return NULL;
        n += eq;
    }
    return pm_int_from_ssize(rt, n);
}
static pm_object *listm_remove(pm_runtime *rt, pm_object *self, pm_object *value) {
    for (pm_ssize_t i = 0; i < PMI_LIST(self)->ob_base.ob_size; i++) {
        int eq = item_equals(rt, self, i, value);
        if (eq < 0) return NULL;
        if (eq) return none_or_null(pm_list_delete(rt, self, i));
    }
    pm_err_set(rt, PM_EXC_ValueError, "list.remove(x): x not in list");
    return NULL;
}
/* start/stop of index(): clinic's slice_index converter. */
static int slice_index_arg(pm_runtime *rt, pm_object *o, pm_ssize_t *out) {
    if (o == PM_NONE) return 1;
    if (!pmi_has_index(o)) {
        pm_err_set(rt, PM_EXC_TypeError, "slice indices must be integers or have an __index__ method");
        return 0;
    }
    *out = pm_index_as_ssize(rt, o, PM_INDEX_CLAMP);
    return !(*out == -1 && pm_err_occurred(rt));
}
static pm_object *listm_index(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "index", nargs, 1, 3)) return NULL;
    pm_ssize_t start = 0, stop = PM_SSIZE_MAX;
    if (nargs > 1 && !slice_index_arg(rt, args[1], &start)) return NULL;
    if (nargs > 2 && !slice_index_arg(rt, args[2], &stop)) return NULL;
    pm_ssize_t n = PMI_LIST(self)->ob_base.ob_size;
    if (start < 0 && (start += n) < 0) start = 0;
    if (stop < 0 && (stop += n) < 0) stop = 0;
    for (pm_ssize_t i = start; i < stop && i < PMI_LIST(self)->ob_base.ob_size; i++) {
        int eq = item_equals(rt, self, i, args[0]);
        if (eq < 0) return NULL;
        if (eq) return pm_int_from_ssize(rt, i);
    }
    pm_object *r = pm_repr(rt, args[0]);
    if (!r) return NULL;
    pm_err_format(rt, PM_EXC_ValueError, "%s is not in list", pm_str_as_utf8(rt, r, NULL));
    pm_decref(rt, r);
    return NULL;
}
static pm_object *sort_key_call(pm_runtime *rt, pm_object *item, void *ctx) {
    return pm_call_one(rt, (pm_object *)ctx, item);
}
static pm_object *listm_sort(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                             pm_object *kwnames) {
    static const char *const names[] = {"key", "reverse", NULL};
    pm_object *kw[2];
    if (!pmi_arg_parse_kw(rt, "sort", names, 0, 0, args, nargs, kwnames, kw)) return NULL;
    int reverse = 0;
    if (kw[1]) {
        pm_ssize_t v = pmi_arg_ssize(rt, kw[1]);
        if (v == -1 && pm_err_occurred(rt)) return NULL;
        reverse = v != 0;
    }
    int r = kw[0] && kw[0] != PM_NONE ? pm_list_sort_key(rt, self, sort_key_call, kw[0], reverse)
                                      : pm_list_sort(rt, self, reverse);
    return none_or_null(r);
}

#define M_FAST(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def list_methods[] = {
    {"append", listm_append, PM_METH_O, "Append object to the end of the list."},
    {"clear", listm_clear, PM_METH_NOARGS, "Remove all items from list."},
    {"copy", listm_copy, PM_METH_NOARGS, "Return a shallow copy of the list."},
    {"count", listm_count, PM_METH_O, "Return number of occurrences of value."},
    {"extend", listm_extend, PM_METH_O, "Extend list by appending elements from the iterable."},
    {"index", M_FAST(listm_index), PM_METH_FASTCALL, "Return first index of value."},
    {"insert", M_FAST(listm_insert), PM_METH_FASTCALL, "Insert object before index."},
    {"pop", M_FAST(listm_pop), PM_METH_FASTCALL, "Remove and return item at index (default last)."},
    {"remove", listm_remove, PM_METH_O, "Remove first occurrence of value."},
    {"reverse", listm_reverse, PM_METH_NOARGS, "Reverse *IN PLACE*."},
    {"sort", M_FAST(listm_sort), PM_METH_FASTCALL | PM_METH_KEYWORDS, "Sort the list in ascending order."},
    {NULL, NULL, 0, NULL},
};

const pm_type pm_list_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "list",
    .basicsize = sizeof(pmi_list),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_LIST_SUBCLASS,
    .base = &pm_object_type,
    .dealloc = list_dealloc,
    .traverse = list_traverse,
    .clear = list_clear_hook,
    .size_of = list_size_of,
    .repr = list_repr,
    .richcompare = list_richcompare,
    .iter = list_iter,
    .as_sequence = &list_as_sequence,
    .as_mapping = &list_as_mapping,
    .methods = list_methods,
    .new_object = pmi_list_tp_new,
    .init = pmi_list_tp_init,
};
