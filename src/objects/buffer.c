/*
 * buffer.c — the buffer protocol (PEP 3118 as CPython 3.11 implements it):
 * requests, releases, contiguity, copying between views, and the exporters
 * of bytes and bytearray.
 *
 * Purpose
 *   A consumer asks an exporter for a description of its memory
 *   (pm_object_getbuffer); the exporter's getbuffer hook fills a pm_buffer
 *   for the request flags or refuses; pm_buffer_release gives it back.
 *   memoryview (objects/memoryview.c) is the main consumer and itself an
 *   exporter.
 *
 * Ownership rules (CPython's, Objects/memoryobject.c)
 *   - view->obj is NULL or a NEW reference to the exporter, taken by the
 *     getbuffer hook (pm_buffer_fill_info does it).  pm_buffer_release
 *     calls the releasebuffer hook and THEN decrefs view->obj, so a
 *     releasebuffer hook must never decref it.
 *   - format, shape, strides, suboffsets belong to the exporter and are
 *     read-only for the consumer; they stay valid until the release.
 *   - An exporter that can move its memory (bytearray) counts its exports
 *     and refuses to move while the count is non-zero: the consumer's
 *     pointer can never dangle, and a refused resize changes nothing.
 *
 * Request flags and what an exporter of plain bytes answers
 * (pm_buffer_fill_info, PyBuffer_FillInfo):
 *
 *   flag bit         field filled            refusal
 *   ---------------  ----------------------  ----------------------------
 *   PM_BUF_WRITABLE  (readonly must be 0)    BufferError "Object is not
 *                                            writable."
 *   PM_BUF_FORMAT    format = "B"            (else NULL: unsigned bytes)
 *   PM_BUF_ND        shape = &len            (else NULL)
 *   PM_BUF_STRIDES   strides = &itemsize     (else NULL: C-contiguous)
 *   contiguity/INDIRECT: a contiguous run of bytes meets every request.
 *
 * Copying (pmi_buffer_copy, pmi_buffer_gather) walks the dimensions with
 * recursion depth ndim (<= 64): the last dimension is one memmove when
 * both sides have it contiguous, else an item loop through a temporary row
 * so that overlapping views (mv[0:4] = mv[1:5]) copy as if through a copy.
 */
#include "objects/buffer.h"

#include <stdio.h>

/* ---- requests and releases ------------------------------------------------ */

static const pm_type *find_getbuffer(const pm_type *t) {
    while (t && !t->getbuffer) t = t->base;
    return t;
}

int pm_object_check_buffer(const pm_object *o) {
    return find_getbuffer(o->ob_type) != NULL;
}

int pm_object_getbuffer(pm_runtime *rt, pm_object *o, pm_buffer *view, int flags) {
    const pm_type *t = find_getbuffer(o->ob_type);
    if (!t) {
        pmi_err_type(rt, "a bytes-like object is required, not '%s'", o);
        return -1;
    }
    return t->getbuffer(rt, o, view, flags);
}

void pm_buffer_release(pm_runtime *rt, pm_buffer *view) {
    pm_object *obj = view->obj;
    if (!obj) return;
    const pm_type *t = obj->ob_type;
    while (t && !t->releasebuffer && !t->getbuffer) t = t->base;
    if (t && t->releasebuffer) t->releasebuffer(rt, obj, view);
    view->obj = NULL;
    pm_decref(rt, obj);
}

int pm_buffer_fill_info(pm_runtime *rt, pm_buffer *view, pm_object *obj, void *buf,
                        pm_ssize_t len, int readonly, int flags) {
    if (!view) {
        pm_err_set(rt, PM_EXC_BufferError, "PyBuffer_FillInfo: view==NULL argument is obsolete");
        return -1;
    }
    if (flags == PM_BUF_READ || flags == PM_BUF_WRITE) {
        pmi_err_badarg(rt, "pm_buffer_fill_info");
        return -1;
    }
    if ((flags & PM_BUF_WRITABLE) == PM_BUF_WRITABLE && readonly == 1) {
        pm_err_set(rt, PM_EXC_BufferError, "Object is not writable.");
        return -1;
    }
    view->obj = obj ? pm_newref(rt, obj) : NULL;
    view->buf = buf;
    view->len = len;
    view->readonly = readonly;
    view->itemsize = 1;
    view->format = (flags & PM_BUF_FORMAT) == PM_BUF_FORMAT ? (char *)(uintptr_t) "B" : NULL;
    view->ndim = 1;
    view->shape = (flags & PM_BUF_ND) == PM_BUF_ND ? &view->len : NULL;
    view->strides = (flags & PM_BUF_STRIDES) == PM_BUF_STRIDES ? &view->itemsize : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

/* ---- contiguity ------------------------------------------------------------ */

static int is_c_contiguous(const pm_buffer *v) {
    if (v->len == 0 || v->strides == NULL) return 1;
    pm_ssize_t sd = v->itemsize;
    for (int i = v->ndim - 1; i >= 0; i--) {
        pm_ssize_t dim = v->shape[i];
        if (dim > 1 && v->strides[i] != sd) return 0;
        sd *= dim;
    }
    return 1;
}

static int is_f_contiguous(const pm_buffer *v) {
    if (v->len == 0) return 1;
    if (v->strides == NULL) {
        /* C-contiguous by definition: Fortran too when at most one
         * dimension is longer than 1 */
        if (v->ndim <= 1) return 1;
        int n = 0;
        for (int i = 0; i < v->ndim; i++) n += v->shape[i] > 1;
        return n <= 1;
    }
    pm_ssize_t sd = v->itemsize;
    for (int i = 0; i < v->ndim; i++) {
        pm_ssize_t dim = v->shape[i];
        if (dim > 1 && v->strides[i] != sd) return 0;
        sd *= dim;
    }
    return 1;
}

int pm_buffer_is_contiguous(const pm_buffer *view, char order) {
    if (view->suboffsets != NULL) return 0;
    if (order == 'C') return is_c_contiguous(view);
    if (order == 'F') return is_f_contiguous(view);
    if (order == 'A') return is_c_contiguous(view) || is_f_contiguous(view);
    return 0;
}

void pmi_buffer_strides_c(pm_buffer *view) {
    view->strides[view->ndim - 1] = view->itemsize;
    for (int i = view->ndim - 2; i >= 0; i--)
        view->strides[i] = view->strides[i + 1] * view->shape[i + 1];
}

void pmi_buffer_strides_f(pm_buffer *view) {
    view->strides[0] = view->itemsize;
    for (int i = 1; i < view->ndim; i++)
        view->strides[i] = view->strides[i - 1] * view->shape[i - 1];
}

void pm_buffer_fill_contiguous_strides(int ndim, const pm_ssize_t *shape, pm_ssize_t *strides,
                                       pm_ssize_t itemsize, char order) {
    if (ndim <= 0) return;
    pm_buffer v;
    memset(&v, 0, sizeof v);
    v.ndim = ndim;
    v.shape = (pm_ssize_t *)(uintptr_t)shape;
    v.strides = strides;
    v.itemsize = itemsize;
    if (order == 'F') pmi_buffer_strides_f(&v);
    else pmi_buffer_strides_c(&v);
}

/* ---- copying ---------------------------------------------------------------- */

/* The item pointer of a dimension, following a PIL-style indirection. */
static inline char *adjust(char *p, const pm_ssize_t *suboffsets, int dim) {
    return suboffsets && suboffsets[dim] >= 0 ? *(char **)p + suboffsets[dim] : p;
}

static int last_dim_contiguous(const pm_buffer *d, const pm_buffer *s) {
    int ld = d->ndim - 1, ls = s->ndim - 1;
    return !(d->suboffsets && d->suboffsets[ld] >= 0) && !(s->suboffsets && s->suboffsets[ls] >= 0) &&
           d->strides[ld] == d->itemsize && s->strides[ls] == s->itemsize;
}

/* One row (ndim == 1).  row == NULL: both sides contiguous, one memmove;
 * else gather src into row, then scatter row into dest (overlap-safe). */
static void copy_row(pm_ssize_t n, pm_ssize_t itemsize, char *dp, const pm_ssize_t *dstrides,
                     const pm_ssize_t *dsub, char *sp, const pm_ssize_t *sstrides,
                     const pm_ssize_t *ssub, char *row) {
    if (!row) {
        memmove(dp, sp, (size_t)(n * itemsize));
        return;
    }
    /* Item i is base + i * stride, for i < n only: a running pointer would
     * end one (possibly huge) stride past the last item. */
    for (pm_ssize_t i = 0; i < n; i++)
        memcpy(row + i * itemsize, adjust(sp + i * sstrides[0], ssub, 0), (size_t)itemsize);
    for (pm_ssize_t i = 0; i < n; i++)
        memcpy(adjust(dp + i * dstrides[0], dsub, 0), row + i * itemsize, (size_t)itemsize);
}

static void copy_dims(const pm_ssize_t *shape, int ndim, pm_ssize_t itemsize, char *dp,
                      const pm_ssize_t *dstrides, const pm_ssize_t *dsub, char *sp,
                      const pm_ssize_t *sstrides, const pm_ssize_t *ssub, char *row) {
    if (ndim == 1) {
        copy_row(shape[0], itemsize, dp, dstrides, dsub, sp, sstrides, ssub, row);
        return;
    }
    for (pm_ssize_t i = 0; i < shape[0]; i++)
        copy_dims(shape + 1, ndim - 1, itemsize, adjust(dp + i * dstrides[0], dsub, 0), dstrides + 1,
                  dsub ? dsub + 1 : NULL, adjust(sp + i * sstrides[0], ssub, 0), sstrides + 1,
                  ssub ? ssub + 1 : NULL, row);
}

static int same_structure(const pm_buffer *d, const pm_buffer *s) {
    const char *df = d->format ? d->format : "B", *sf = s->format ? s->format : "B";
    if (df[0] == '@') df++;
    if (sf[0] == '@') sf++;
    if (strcmp(df, sf) != 0 || d->itemsize != s->itemsize || d->ndim != s->ndim) return 0;
    for (int i = 0; i < d->ndim; i++) {
        if (d->shape[i] != s->shape[i]) return 0;
        if (d->shape[i] == 0) break;
    }
    return 1;
}

int pmi_buffer_copy(pm_runtime *rt, const pm_buffer *dest, const pm_buffer *src) {
    if (!same_structure(dest, src)) {
        pm_err_set(rt, PM_EXC_ValueError,
                   "memoryview assignment: lvalue and rvalue have different structures");
        return -1;
    }
    char *row = NULL;
    if (!last_dim_contiguous(dest, src)) {
        size_t n = (size_t)(dest->shape[dest->ndim - 1] * dest->itemsize);
        row = pm_malloc(rt, n ? n : 1);
        if (!row) {
            pm_err_nomem(rt);
            return -1;
        }
    }
    copy_dims(dest->shape, dest->ndim, dest->itemsize, dest->buf, dest->strides, dest->suboffsets,
              src->buf, src->strides, src->suboffsets, row);
    pm_free(rt, row);
    return 0;
}

/* Gather into fresh memory: no overlap, so items go straight to place. */
static void gather_dims(const pm_ssize_t *shape, int ndim, pm_ssize_t itemsize, char *dp,
                        const pm_ssize_t *dstrides, const char *sp, const pm_ssize_t *sstrides,
                        const pm_ssize_t *ssub) {
    if (ndim == 1) {
        if (sstrides[0] == itemsize && dstrides[0] == itemsize && !(ssub && ssub[0] >= 0)) {
            memcpy(dp, sp, (size_t)(shape[0] * itemsize));
            return;
        }
        pm_ssize_t n = shape[0], ss = sstrides[0], ds = dstrides[0];
        if (!(ssub && ssub[0] >= 0)) {
            /* the common strided cases, with fixed-size moves */
            switch (itemsize) {
            case 1: for (pm_ssize_t i = 0; i < n; i++) dp[i * ds] = sp[i * ss]; return;
            case 2: for (pm_ssize_t i = 0; i < n; i++) memcpy(dp + i * ds, sp + i * ss, 2); return;
            case 4: for (pm_ssize_t i = 0; i < n; i++) memcpy(dp + i * ds, sp + i * ss, 4); return;
            case 8: for (pm_ssize_t i = 0; i < n; i++) memcpy(dp + i * ds, sp + i * ss, 8); return;
            default: break;
            }
        }
        for (pm_ssize_t i = 0; i < n; i++)
            memcpy(dp + i * ds, adjust((char *)(uintptr_t)(sp + i * ss), ssub, 0), (size_t)itemsize);
        return;
    }
    for (pm_ssize_t i = 0; i < shape[0]; i++)
        gather_dims(shape + 1, ndim - 1, itemsize, dp + i * dstrides[0], dstrides + 1,
                    adjust((char *)(uintptr_t)(sp + i * sstrides[0]), ssub, 0), sstrides + 1,
                    ssub ? ssub + 1 : NULL);
}

void pmi_buffer_gather(char *mem, const pm_buffer *view, char order) {
    pm_ssize_t strides[PM_BUF_MAX_NDIM];
    pm_buffer d = *view;
    d.strides = strides;
    if (order == 'F') pmi_buffer_strides_f(&d);
    else pmi_buffer_strides_c(&d);
    gather_dims(view->shape, view->ndim, view->itemsize, mem, strides, view->buf, view->strides,
                view->suboffsets);
}

int pm_buffer_to_contiguous(pm_runtime *rt, void *dst, const pm_buffer *src, pm_ssize_t len,
                            char order) {
    if (len != src->len) {
        pm_err_set(rt, PM_EXC_ValueError, "PyBuffer_ToContiguous: len != view->len");
        return -1;
    }
    if (pm_buffer_is_contiguous(src, order)) {
        memcpy(dst, src->buf, (size_t)len);
        return 0;
    }
    if (src->ndim > PM_BUF_MAX_NDIM) {
        pm_err_set(rt, PM_EXC_ValueError, "memoryview: number of dimensions must not exceed 64");
        return -1;
    }
    /* Complete the description (an exporter may omit shape or strides). */
    pm_ssize_t shape[PM_BUF_MAX_NDIM], strides[PM_BUF_MAX_NDIM];
    pm_buffer full = *src;
    full.shape = shape;
    full.strides = strides;
    if (src->ndim == 1) {
        shape[0] = src->shape ? src->shape[0] : src->itemsize > 0 ? src->len / src->itemsize : 0;
        strides[0] = src->strides ? src->strides[0] : src->itemsize;
    } else {
        for (int i = 0; i < src->ndim; i++) shape[i] = src->shape[i];
        if (src->strides) for (int i = 0; i < src->ndim; i++) strides[i] = src->strides[i];
        else pmi_buffer_strides_c(&full);
    }
    pmi_buffer_gather(dst, &full, order == 'F' ? 'F' : 'C');
    return 0;
}

/* ---- native formats ----------------------------------------------------------- */

pm_ssize_t pmi_format_native(const char *fmt, char *ch) {
    if (!fmt) fmt = "B";
    if (fmt[0] == '@') fmt++;
    if (fmt[0] == '\0' || fmt[1] != '\0') return -1;
    pm_ssize_t size;
    switch (fmt[0]) {
    case 'c': case 'b': case 'B': size = 1; break;
    case 'h': case 'H': size = sizeof(short); break;
    case 'i': case 'I': size = sizeof(int); break;
    case 'l': case 'L': size = sizeof(long); break;
    case 'q': case 'Q': size = sizeof(long long); break;
    case 'n': case 'N': size = sizeof(pm_ssize_t); break;
    case 'f': size = sizeof(float); break;
    case 'd': size = sizeof(double); break;
    case 'e': size = 2; break;
    case '?': size = sizeof(_Bool); break;
    case 'P': size = sizeof(void *); break;
    default: return -1;
    }
    *ch = fmt[0];
    return size;
}

/* ---- exporters: bytes and bytearray -------------------------------------------- */

int pmi_bytes_getbuffer(pm_runtime *rt, pm_object *self, pm_buffer *view, int flags) {
    return pm_buffer_fill_info(rt, view, self, (void *)(uintptr_t)pm_bytes_data(self),
                               pm_bytes_size(self), 1, flags);
}

int pmi_bytearray_getbuffer(pm_runtime *rt, pm_object *self, pm_buffer *view, int flags) {
    if (pm_buffer_fill_info(rt, view, self, pm_bytearray_data(self), pm_bytearray_size(self), 0,
                            flags) < 0)
        return -1;
    pmi_bytearray_export(self);
    return 0;
}

void pmi_bytearray_releasebuffer(pm_runtime *rt, pm_object *self, pm_buffer *view) {
    (void)rt;
    (void)view;
    pmi_bytearray_unexport(self);
}
