/*
 * seqslice.c — slicing of lists and tuples: x[a:b], x[a:b:c], and for lists
 * x[a:b] = iterable, x[a:b:c] = sequence of the same length, del x[a:b:c].
 *
 * Purpose
 *   CPython 3.11's list_subscript / list_ass_subscript / list_ass_slice /
 *   tuplesubscript, with the same results, error texts and memory
 *   behaviour: a slice read makes a list of exactly its length; a slice
 *   assignment moves the tail once and resizes with list_resize's rule
 *   (so getsizeof after `a[i:j] = v` equals python3's); an extended-slice
 *   delete compacts in one pass, then list_resize.
 *
 * Ownership and re-entrancy
 *   The references an assignment removes are collected first ("recycle",
 *   on the stack for up to 8 items, CPython's size) and released only once
 *   the list is consistent again, because releasing one may run a dealloc
 *   that looks at the list.  The assigned items are read from a stable
 *   array: the list or tuple itself, a copy when the source is the target
 *   (a[:] = a), or a temporary list built from any other iterable.
 *
 * Extended slices never step past the last item
 *   Item i of a slice is start + i * step, computed for i < slicelength
 *   only: that index is in range, so neither the product nor the sum can
 *   overflow even for a step of 2**63 - 1 (a running `cur += step` would
 *   overflow once past the last item; CPython builds with -fwrapv, we do
 *   not rely on it).  The extended delete walks in size_t, which cannot
 *   overflow for indices below the list length plus one step.
 *
 * Failure
 *   Allocation fails before the list changes (the recycle array and the
 *   resize are obtained first), so a failed assignment leaves the list as it
 *   was, with MemoryError set.
 */
#include "containers.h"

#define RECYCLE_ON_STACK 8

static int seq_slice_unpack(pm_runtime *rt, pm_object *slice, pm_ssize_t length,
                            pm_ssize_t *start, pm_ssize_t *stop, pm_ssize_t *step,
                            pm_ssize_t *slicelength) {
    if (pm_slice_unpack(rt, slice, start, stop, step) < 0) return -1;
    *slicelength = pm_slice_adjust_indices(length, start, stop, *step);
    return 0;
}

/* ---- reading ------------------------------------------------------------- */

pm_object *pm_list_get_slice(pm_runtime *rt, pm_object *list, pm_ssize_t ilow, pm_ssize_t ihigh) {
    if (!pm_list_check(list)) return pmi_err_badarg(rt, "pm_list_get_slice");
    pm_ssize_t n = pm_list_size(list);
    if (ilow < 0) ilow = 0;
    else if (ilow > n) ilow = n;
    if (ihigh < ilow) ihigh = ilow;
    else if (ihigh > n) ihigh = n;
    /* An empty list may have no item array: never offset a NULL pointer. */
    if (ihigh == ilow) return pm_list_new(rt);
    return pm_list_from_array(rt, PMI_LIST(list)->ob_item + ilow, ihigh - ilow);
}

pm_object *pmi_seq_subscript_slice(pm_runtime *rt, pm_object *seq, pm_object *slice) {
    int tuple = pm_tuple_check(seq);
    pm_ssize_t n = ((pm_varobject *)seq)->ob_size, start, stop, step, len;
    if (seq_slice_unpack(rt, slice, n, &start, &stop, &step, &len) < 0) return NULL;
    pm_object **src = tuple ? PMI_TUPLE(seq)->ob_item : PMI_LIST(seq)->ob_item;
    if (tuple) {
        if (len <= 0) return pm_tuple_from_array(rt, NULL, 0);
        if (start == 0 && step == 1 && len == n && seq->ob_type == &pm_tuple_type)
            return pm_newref(rt, seq);  /* t[:] is t */
        pm_object *t = pmi_tuple_alloc(rt, len);
        if (!t) return NULL;
        for (pm_ssize_t i = 0; i < len; i++)
            PMI_TUPLE(t)->ob_item[i] = pm_newref(rt, src[start + i * step]);
        pmi_gc_track(rt, t);
        return t;
    }
    if (len <= 0) return pm_list_new(rt);
    if (step == 1) return pm_list_from_array(rt, src + start, len);
    pm_object *l = pmi_list_new_prealloc(rt, len);
    if (!l) return NULL;
    for (pm_ssize_t i = 0; i < len; i++)
        PMI_LIST(l)->ob_item[i] = pm_newref(rt, src[start + i * step]);
    PMI_LIST(l)->ob_base.ob_size = len;
    return l;
}

/* ---- assignment ---------------------------------------------------------- */

/* The items of v as a stable array: *holder receives a new reference that
 * keeps the array alive (a copy when v is the target list, a temporary list
 * for a general iterable).  -1 with TypeError "can only assign an iterable". */
static int items_of(pm_runtime *rt, pm_object *target, pm_object *v, pm_object **holder,
                    pm_object ***items, pm_ssize_t *n) {
    if (v == target || (!pm_list_check(v) && !pm_tuple_check(v))) {
        if (v != target && !v->ob_type->iter) {
            pm_err_set(rt, PM_EXC_TypeError, "can only assign an iterable");
            return -1;
        }
        pm_object *l = pm_list_new(rt);
        if (!l) return -1;
        if (pm_list_extend(rt, l, v) < 0) {
            pm_decref(rt, l);
            return -1;
        }
        v = l;
    } else {
        pm_incref(rt, v);
    }
    *holder = v;
    *items = pm_list_check(v) ? PMI_LIST(v)->ob_item : PMI_TUPLE(v)->ob_item;
    *n = ((pm_varobject *)v)->ob_size;
    return 0;
}

/* list_ass_slice: a[ilow:ihigh] = v (v NULL: delete). */
static int list_ass_slice(pm_runtime *rt, pm_object *list, pm_ssize_t ilow, pm_ssize_t ihigh,
                          pm_object *v) {
    pmi_list *a = PMI_LIST(list);
    pm_object *holder = NULL, **vitem = NULL, *recycle_on_stack[RECYCLE_ON_STACK];
    pm_object **recycle = recycle_on_stack;
    pm_ssize_t n = 0;
    int result = -1;
    if (v && items_of(rt, list, v, &holder, &vitem, &n) < 0) return -1;
    pm_ssize_t size = a->ob_base.ob_size;
    if (ilow < 0) ilow = 0;
    else if (ilow > size) ilow = size;
    if (ihigh < ilow) ihigh = ilow;
    else if (ihigh > size) ihigh = size;
    pm_ssize_t norig = ihigh - ilow, d = n - norig;
    if (size + d == 0) {
        pm_xdecref(rt, holder);
        return pm_list_clear(rt, list);
    }
    if (norig > RECYCLE_ON_STACK) {
        recycle = pm_malloc(rt, (size_t)norig * sizeof(pm_object *));
        if (!recycle) {
            pm_err_nomem(rt);
            goto done;
        }
    }
    pm_object **item = a->ob_item;
    if (norig) memcpy(recycle, &item[ilow], (size_t)norig * sizeof(pm_object *));
    if (d < 0) {                        /* delete -d items */
        size_t tail = (size_t)(size - ihigh) * sizeof(pm_object *);
        memmove(&item[ihigh + d], &item[ihigh], tail);
        if (pmi_list_resize(rt, a, size + d) < 0) {
            memmove(&item[ihigh], &item[ihigh + d], tail);
            memcpy(&item[ilow], recycle, (size_t)norig * sizeof(pm_object *));
            goto done;
        }
        item = a->ob_item;
    } else if (d > 0) {                 /* insert d items */
        if (pmi_list_resize(rt, a, size + d) < 0) goto done;
        item = a->ob_item;
        memmove(&item[ihigh + d], &item[ihigh], (size_t)(size - ihigh) * sizeof(pm_object *));
    }
    for (pm_ssize_t k = 0; k < n; k++, ilow++) item[ilow] = pm_newref(rt, vitem[k]);
    for (pm_ssize_t k = norig - 1; k >= 0; --k) pm_xdecref(rt, recycle[k]);
    result = 0;
done:
    if (recycle != recycle_on_stack) pm_free(rt, recycle);
    pm_xdecref(rt, holder);
    return result;
}

int pm_list_set_slice(pm_runtime *rt, pm_object *list, pm_ssize_t ilow, pm_ssize_t ihigh,
                      pm_object *v) {
    if (!pm_list_check(list)) {
        pmi_err_badarg(rt, "pm_list_set_slice");
        return -1;
    }
    return list_ass_slice(rt, list, ilow, ihigh, v);
}

/* del a[start:stop:step] with step != 1, slicelength > 0. */
static int list_del_extended(pm_runtime *rt, pmi_list *self, pm_ssize_t start, pm_ssize_t stop,
                             pm_ssize_t step, pm_ssize_t slicelength) {
    if (step < 0) {                     /* walk it forwards */
        stop = start + 1;
        start = stop + step * (slicelength - 1) - 1;
        step = -step;
    }
    pm_object **garbage = pm_malloc(rt, (size_t)slicelength * sizeof(pm_object *));
    if (!garbage) {
        pm_err_nomem(rt);
        return -1;
    }
    /* Move the kept runs between the deleted items down, then the tail. */
    size_t cur;
    pm_ssize_t i;
    pm_ssize_t size = self->ob_base.ob_size;
    for (cur = (size_t)start, i = 0; cur < (size_t)stop; cur += (size_t)step, i++) {
        pm_ssize_t lim = step - 1;
        garbage[i] = self->ob_item[cur];
        if (cur + (size_t)step >= (size_t)size) lim = size - (pm_ssize_t)cur - 1;
        memmove(self->ob_item + cur - i, self->ob_item + cur + 1, (size_t)lim * sizeof(pm_object *));
    }
    cur = (size_t)start + (size_t)slicelength * (size_t)step;
    if (cur < (size_t)size)
        memmove(self->ob_item + cur - slicelength, self->ob_item + cur,
                ((size_t)size - cur) * sizeof(pm_object *));
    self->ob_base.ob_size = size - slicelength;
    /* Shrinking is optional: keep the array if it cannot be reallocated. */
    if (pmi_list_resize(rt, self, self->ob_base.ob_size) < 0) pm_err_clear(rt);
    for (i = 0; i < slicelength; i++) pm_decref(rt, garbage[i]);
    pm_free(rt, garbage);
    return 0;
}

/* a[start:stop:step] = v with step != 1: same length required. */
static int list_set_extended(pm_runtime *rt, pm_object *list, pm_ssize_t start, pm_ssize_t step,
                             pm_ssize_t slicelength, pm_object *v) {
    pm_object *holder, **items;
    pm_ssize_t n;
    if (items_of(rt, list, v, &holder, &items, &n) < 0) return -1;
    if (n != slicelength) {
        pm_err_format(rt, PM_EXC_ValueError,
                      "attempt to assign sequence of size %ld to extended slice of size %ld",
                      (long)n, (long)slicelength);
        pm_decref(rt, holder);
        return -1;
    }
    if (slicelength == 0) {
        pm_decref(rt, holder);
        return 0;
    }
    pm_object **garbage = pm_malloc(rt, (size_t)slicelength * sizeof(pm_object *));
    if (!garbage) {
        pm_decref(rt, holder);
        pm_err_nomem(rt);
        return -1;
    }
    pm_object **selfitems = PMI_LIST(list)->ob_item;
    for (pm_ssize_t i = 0; i < slicelength; i++) {
        pm_ssize_t cur = start + i * step;
        garbage[i] = selfitems[cur];
        selfitems[cur] = pm_newref(rt, items[i]);
    }
    for (pm_ssize_t i = 0; i < slicelength; i++) pm_decref(rt, garbage[i]);
    pm_free(rt, garbage);
    pm_decref(rt, holder);
    return 0;
}

int pmi_list_ass_subscript_slice(pm_runtime *rt, pm_object *list, pm_object *slice, pm_object *v) {
    pm_ssize_t start, stop, step, len;
    if (seq_slice_unpack(rt, slice, pm_list_size(list), &start, &stop, &step, &len) < 0) return -1;
    if (step == 1) return list_ass_slice(rt, list, start, stop, v);
    /* s[5:2] = [...] inserts at the right place: before 5, not before 2 */
    if ((step < 0 && start < stop) || (step > 0 && start > stop)) stop = start;
    if (!v) return len <= 0 ? 0 : list_del_extended(rt, PMI_LIST(list), start, stop, step, len);
    return list_set_extended(rt, list, start, step, len, v);
}
