/*
 * slice.c — slice objects and the Ellipsis singleton (CPython 3.11's
 * PySliceObject and Py_Ellipsis), the keys of extended indexing:
 * mv[1:10:2] is pm_getitem(mv, slice(1, 10, 2)); mv[...] uses Ellipsis.
 *
 *   pmi_slice (40 bytes; + 16 gc head = getsizeof(slice(1)) 56)
 *   +-----------+---------+---------+---------+---------+
 *   | ob_refcnt | ob_type | start   | stop    | step    |   each a NEW ref,
 *   +-----------+---------+---------+---------+---------+   None when omitted
 *
 * A slice holds arbitrary objects (slice([], ...) is legal), so it is a gc
 * type.  The two C helpers are CPython's: pm_slice_unpack turns the fields
 * into C integers (None -> defaults that depend on the sign of step; huge
 * ints clamped to the pm_ssize_t range), pm_slice_adjust_indices clamps
 * them to a length and counts the selected items.  Slices are unhashable,
 * as in 3.11.
 */
#include "core/object.h"
#include "objects/descr.h"
#include "objects/typenew.h"

#include <stddef.h>

#include <stdio.h>

typedef struct pmi_slice {
    pm_object ob_base;          /* refcount + type */
    pm_object *start;           /* NEW ref; None when omitted */
    pm_object *stop;            /* NEW ref; None when omitted */
    pm_object *step;            /* NEW ref; None when omitted */
} pmi_slice;

#define SL(o) ((pmi_slice *)(o))

pm_object *pm_slice_new(pm_runtime *rt, pm_object *start, pm_object *stop, pm_object *step) {
    pm_object *o = pmi_gc_new(rt, &pm_slice_type);
    if (!o) return NULL;
    SL(o)->start = pm_newref(rt, start ? start : PM_NONE);
    SL(o)->stop = pm_newref(rt, stop ? stop : PM_NONE);
    SL(o)->step = pm_newref(rt, step ? step : PM_NONE);
    pmi_gc_track(rt, o);
    return o;
}

pm_object *pm_slice_from_ssize(pm_runtime *rt, pm_ssize_t start, pm_ssize_t stop, pm_ssize_t step) {
    pm_object *f[3] = {NULL, NULL, NULL}, *res = NULL;
    pm_ssize_t v[3] = {start, stop, step};
    for (int i = 0; i < 3; i++) {
        if (v[i] == PM_SLICE_NONE) continue;
        f[i] = pm_int_from_ssize(rt, v[i]);
        if (!f[i]) goto done;
    }
    res = pm_slice_new(rt, f[0], f[1], f[2]);
done:
    for (int i = 0; i < 3; i++) pm_xdecref(rt, f[i]);
    return res;
}

/* _PyEval_SliceIndex: an int (clamped) or TypeError. */
static int slice_index(pm_runtime *rt, pm_object *v, pm_ssize_t *out) {
    if (!pmi_has_index(v)) {
        pm_err_set(rt, PM_EXC_TypeError,
                   "slice indices must be integers or None or have an __index__ method");
        return -1;
    }
    /* __index__ of a class included; out of range clamps (_PyEval_SliceIndex) */
    pm_ssize_t x = pm_index_as_ssize(rt, v, PM_INDEX_CLAMP);
    if (x == -1 && pm_err_occurred(rt)) return -1;
    *out = x;
    return 0;
}

int pm_slice_unpack(pm_runtime *rt, pm_object *slice, pm_ssize_t *start, pm_ssize_t *stop,
                    pm_ssize_t *step) {
    if (!pm_slice_check(slice)) {
        pmi_err_badarg(rt, "pm_slice_unpack");
        return -1;
    }
    pmi_slice *r = SL(slice);
    if (r->step == PM_NONE) {
        *step = 1;
    } else {
        if (slice_index(rt, r->step, step) < 0) return -1;
        if (*step == 0) {
            pm_err_set(rt, PM_EXC_ValueError, "slice step cannot be zero");
            return -1;
        }
        if (*step < -INTPTR_MAX) *step = -INTPTR_MAX;   /* so -step cannot overflow */
    }
    if (r->start == PM_NONE) *start = *step < 0 ? INTPTR_MAX : 0;
    else if (slice_index(rt, r->start, start) < 0) return -1;
    if (r->stop == PM_NONE) *stop = *step < 0 ? INTPTR_MIN : INTPTR_MAX;
    else if (slice_index(rt, r->stop, stop) < 0) return -1;
    return 0;
}

pm_ssize_t pm_slice_adjust_indices(pm_ssize_t length, pm_ssize_t *start, pm_ssize_t *stop,
                                   pm_ssize_t step) {
    if (*start < 0) {
        *start += length;
        if (*start < 0) *start = step < 0 ? -1 : 0;
    } else if (*start >= length) {
        *start = step < 0 ? length - 1 : length;
    }
    if (*stop < 0) {
        *stop += length;
        if (*stop < 0) *stop = step < 0 ? -1 : 0;
    } else if (*stop >= length) {
        *stop = step < 0 ? length - 1 : length;
    }
    if (step < 0) {
        if (*stop < *start) return (*start - *stop - 1) / (-step) + 1;
    } else if (*start < *stop) {
        return (*stop - *start - 1) / step + 1;
    }
    return 0;
}

static void slice_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    pm_decref(rt, SL(self)->start);
    pm_decref(rt, SL(self)->stop);
    pm_decref(rt, SL(self)->step);
    pmi_object_free(rt, self);
}

static int slice_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    int r;
    if ((r = visit(SL(self)->start, arg)) != 0) return r;
    if ((r = visit(SL(self)->stop, arg)) != 0) return r;
    return visit(SL(self)->step, arg);
}

static pm_object *slice_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_puts(rt, &sb, "slice(");
    pmi_sb_put_repr(rt, &sb, SL(self)->start);
    pmi_sb_puts(rt, &sb, ", ");
    pmi_sb_put_repr(rt, &sb, SL(self)->stop);
    pmi_sb_puts(rt, &sb, ", ");
    pmi_sb_put_repr(rt, &sb, SL(self)->step);
    pmi_sb_puts(rt, &sb, ")");
    return pmi_sb_finish(rt, &sb);
}

/* ---- members and methods (objects/descrobject.c makes them attributes) -- */

static const pm_member_def slice_members[] = {
    {"start", PM_T_OBJECT, offsetof(pmi_slice, start), PM_READONLY, NULL},
    {"stop", PM_T_OBJECT, offsetof(pmi_slice, stop), PM_READONLY, NULL},
    {"step", PM_T_OBJECT, offsetof(pmi_slice, step), PM_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

/* S.indices(len) -> (start, stop, stride), for lengths that fit a
 * pm_ssize_t (CPython's _PySlice_GetLongIndices also takes bigger ones). */
static pm_object *slicem_indices(pm_runtime *rt, pm_object *self, pm_object *len) {
    pm_ssize_t n = pmi_arg_ssize(rt, len);
    if (n == -1 && pm_err_occurred(rt)) return NULL;
    if (n < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "length should not be negative");
        return NULL;
    }
    pm_ssize_t start, stop, step;
    if (pm_slice_unpack(rt, self, &start, &stop, &step) < 0) return NULL;
    pm_slice_adjust_indices(n, &start, &stop, step);
    pm_object *a = pm_int_from_ssize(rt, start), *b = pm_int_from_ssize(rt, stop);
    pm_object *c = pm_int_from_ssize(rt, step), *t = NULL;
    if (a && b && c) t = pm_tuple_pack(rt, 3, a, b, c);
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    pm_xdecref(rt, c);
    return t;
}

static const pm_method_def slice_methods[] = {
    {"indices", slicem_indices, PM_METH_O, "S.indices(len) -> (start, stop, stride)"},
    {NULL, NULL, 0, NULL},
};

const pm_type pm_slice_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "slice",
    .basicsize = sizeof(pmi_slice),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_IMMUTABLE,
    .base = &pm_object_type,
    .dealloc = slice_dealloc,
    .traverse = slice_traverse,
    .repr = slice_repr,
    .members = slice_members,
    .methods = slice_methods,
    .new_object = pmi_slice_tp_new,
};

/* ---- Ellipsis ------------------------------------------------------------ */

static pm_object *ellipsis_repr(pm_runtime *rt, pm_object *self) {
    (void)self;
    return pm_str_from_cstr(rt, "Ellipsis");
}

const pm_type pm_ellipsis_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "ellipsis",
    .basicsize = sizeof(pm_object),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_IMMUTABLE,
    .base = &pm_object_type,
    .repr = ellipsis_repr,
    .new_object = pmi_singleton_tp_new,
};

const pm_object pm_ellipsis_struct = PMI_STATIC_HEAD(&pm_ellipsis_type);
