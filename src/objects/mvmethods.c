/*
 * mvmethods.c — memoryview's methods and attributes as descriptors
 * (mv.tobytes, mv.cast, mv.shape, ...), over the C API of memoryview.c.
 *
 * Purpose
 *   memoryview.c implements CPython 3.11's memoryview completely as C
 *   functions (pm_memoryview_tobytes, pm_memoryview_attr, ...).  This file
 *   only gives them their Python face: a method table with the clinic
 *   argument handling of Objects/memoryobject.c, and one getset entry per
 *   read-only attribute, so that the generic attribute lookup finds them
 *   on memoryview's __dict__ like any other type's.
 *
 * Invariants
 *   - Every check a released view needs happens in memoryview.c ("operation
 *     forbidden on released memoryview object"); nothing here touches the
 *     buffer.
 */
#include "objects/descr.h"

#include <stdint.h>

static const char *const attr_names[] = {"obj", "nbytes", "readonly", "itemsize", "format", "ndim",
                                         "shape", "strides", "suboffsets", "c_contiguous",
                                         "f_contiguous", "contiguous"};

static pm_object *mv_attr(pm_runtime *rt, pm_object *self, void *closure) {
    return pm_memoryview_attr(rt, self, attr_names[(uintptr_t)closure]);
}

/* (the names repeat attr_names: a static initializer cannot read it) */
const pm_getset_def pmi_memoryview_getset[] = {
    {"obj", mv_attr, NULL, "The underlying object of the memoryview.", (void *)(uintptr_t)0},
    {"nbytes", mv_attr, NULL, "The amount of space in bytes that the array would use in a contiguous representation.", (void *)(uintptr_t)1},
    {"readonly", mv_attr, NULL, "A bool indicating whether the memory is read only.", (void *)(uintptr_t)2},
    {"itemsize", mv_attr, NULL, "The size in bytes of each element of the memoryview.", (void *)(uintptr_t)3},
    {"format", mv_attr, NULL, "A string containing the format (in struct module style) for each element in the view.", (void *)(uintptr_t)4},
    {"ndim", mv_attr, NULL, "An integer indicating how many dimensions of a multi-dimensional array the memory represents.", (void *)(uintptr_t)5},
    {"shape", mv_attr, NULL, "A tuple of ndim integers giving the shape of the memory as an N-dimensional array.", (void *)(uintptr_t)6},
    {"strides", mv_attr, NULL, "A tuple of ndim integers giving the size in bytes to access each element for each dimension of the array.", (void *)(uintptr_t)7},
    {"suboffsets", mv_attr, NULL, "A tuple of integers used internally for PIL-style arrays.", (void *)(uintptr_t)8},
    {"c_contiguous", mv_attr, NULL, "A bool indicating whether the memory is C contiguous.", (void *)(uintptr_t)9},
    {"f_contiguous", mv_attr, NULL, "A bool indicating whether the memory is Fortran contiguous.", (void *)(uintptr_t)10},
    {"contiguous", mv_attr, NULL, "A bool indicating whether the memory is contiguous.", (void *)(uintptr_t)11},
    {NULL, NULL, NULL, NULL, NULL},
};

static pm_object *mvm_tolist(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_memoryview_tolist(rt, self);
}
static pm_object *mvm_release(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_memoryview_release(rt, self) < 0 ? NULL : PM_NONE;
}
static pm_object *mvm_toreadonly(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_memoryview_toreadonly(rt, self);
}
static pm_object *mvm_enter(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_memoryview_enter(rt, self);
}
static pm_object *mvm_exit(pm_runtime *rt, pm_object *self, pm_object *args) {
    (void)args;
    return pm_memoryview_exit(rt, self) < 0 ? NULL : PM_NONE;
}

static pm_object *mvm_tobytes(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                              pm_object *kwnames) {
    static const char *const names[] = {"order", NULL};
    pm_object *a[1];
    if (!pmi_arg_parse_kw(rt, "tobytes", names, 1, 0, args, nargs, kwnames, a)) return NULL;
    const char *order = NULL;
    if (a[0] && a[0] != PM_NONE) {
        if (!pm_str_check(a[0])) {
            pm_err_format(rt, PM_EXC_TypeError, "tobytes() argument 'order' must be str or None, not %.100s",
                          a[0]->ob_type->name);
            return NULL;
        }
        if (!(order = pm_str_as_utf8(rt, a[0], NULL))) return NULL;
    }
    return pm_memoryview_tobytes(rt, self, order);
}

static pm_object *mvm_hex(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                          pm_object *kwnames) {
    static const char *const names[] = {"sep", "bytes_per_sep", NULL};
    pm_object *a[2];
    if (!pmi_arg_parse_kw(rt, "hex", names, 2, 0, args, nargs, kwnames, a)) return NULL;
    int per = 1;
    if (a[1]) {
        pm_ssize_t v = pmi_arg_ssize(rt, a[1]);
        if (v == -1 && pm_err_occurred(rt)) return NULL;
        per = (int)v;
    }
    return pm_memoryview_hex(rt, self, a[0], per);
}

static pm_object *mvm_cast(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                           pm_object *kwnames) {
    static const char *const names[] = {"format", "shape", NULL};
    pm_object *a[2];
    if (!pmi_arg_parse_kw(rt, "cast", names, 2, 1, args, nargs, kwnames, a)) return NULL;
    if (!pm_str_check(a[0])) {
        pm_err_format(rt, PM_EXC_TypeError, "cast() argument 'format' must be str, not %.100s",
                      a[0]->ob_type->name);
        return NULL;
    }
    const char *fmt = pm_str_as_utf8(rt, a[0], NULL);
    if (!fmt) return NULL;
    return pm_memoryview_cast(rt, self, fmt, a[1]);
}

#define F(f) ((pm_cfunction)(void (*)(void))(f))
const pm_method_def pmi_memoryview_methods[] = {
    {"release", mvm_release, PM_METH_NOARGS, "Release the underlying buffer exposed by the memoryview object."},
    {"tobytes", F(mvm_tobytes), PM_METH_FASTCALL | PM_METH_KEYWORDS, "Return the data in the buffer as a byte string."},
    {"hex", F(mvm_hex), PM_METH_FASTCALL | PM_METH_KEYWORDS, "Return the data in the buffer as a str of hexadecimal numbers."},
    {"tolist", mvm_tolist, PM_METH_NOARGS, "Return the data in the buffer as a list of elements."},
    {"cast", F(mvm_cast), PM_METH_FASTCALL | PM_METH_KEYWORDS, "Cast a memoryview to a new format or shape."},
    {"toreadonly", mvm_toreadonly, PM_METH_NOARGS, "Return a readonly version of the memoryview."},
    {"__enter__", mvm_enter, PM_METH_NOARGS, NULL},
    {"__exit__", mvm_exit, PM_METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};
