/*
 * memoryview.c — CPython 3.11's memoryview on top of the buffer protocol,
 * with its managed-buffer design (Objects/memoryobject.c): zero-copy
 * views, slices with steps, casts, multi-dimensional indexing, release.
 *
 * Two object types:
 *
 *   exporter (bytearray, bytes, a C type)
 *        ^ master.obj (NEW ref: the exporter lives while the mbuf lives)
 *        |
 *   managedbuffer  (pmi_mbuf, hidden)   master = the ONE export taken
 *        ^   ^   ^    exports = number of memoryviews registered
 *        |   |   |    (each holds a NEW ref to the mbuf)
 *   mv   mv[::2]   mv.cast('I')   mv.toreadonly()  memoryview(mv) ...
 *   (pmi_memoryview: a private copy of the buffer description; shape,
 *    strides and suboffsets live in the object's own ob_array)
 *
 * Ownership rules
 *   - The master buffer is filled by the exporter once.  Its format,
 *     shape, strides, suboffsets are read-only for everyone.
 *   - Every memoryview owns a copy of the description (view), with its own
 *     shape/strides/suboffsets arrays: a slice or a cast edits only the
 *     copy, so views of views never disturb each other and never ask the
 *     exporter again ("a view of a view shares the original export").
 *   - view.obj is a BORROWED copy of master.obj: the mbuf holds the
 *     reference.  pm_buffer_release is only ever called on the master.
 *   - A memoryview that itself exports (pm_object_getbuffer on a view)
 *     counts those exports; while any is alive it cannot be released
 *     (BufferError "memoryview has 1 exported buffer").
 *
 * Reference-count assumptions
 *   - mv -> mbuf (strong), mbuf -> exporter (strong).  Both are gc types:
 *     an exporter that references its own memoryview forms a cycle that
 *     the collector breaks through memory_clear / mbuf_clear (which release
 *     the export first, as CPython).
 *
 * States of a memoryview
 *   live -----release() / exit / dealloc / clear------> released
 *     The flag MV_RELEASED is set and the mbuf's export count drops; when
 *     it reaches zero the mbuf releases the master buffer at once
 *     (MBUF_RELEASED): the exporter's export count drops and a bytearray
 *     can resize again.  Every operation on a released view (or on a view
 *     whose mbuf the collector released) fails with ValueError "operation
 *     forbidden on released memoryview object" — except ==, which compares
 *     by identity, and repr ("<released memory at 0x...>").
 *
 * Flags cached at creation (init_flags): MV_C / MV_FORTRAN contiguity,
 * MV_SCALAR (ndim 0: contiguous both ways), MV_PIL (suboffsets present).
 *
 * Item conversion and comparison by format: memoryview_pack.c.
 */
#include "scalar.h"
#include "containers.h"
#include "objects/buffer.h"
#include "gc/gc.h"
#include "objects/descr.h"
#include "objects/typenew.h"

#include <stdio.h>

/* ---- the managed buffer ---------------------------------------------------- */

enum { MBUF_RELEASED = 0x1, MBUF_FREE_FORMAT = 0x2 };

typedef struct pmi_mbuf {
    pm_object ob_base;          /* refcount + type */
    int flags;                  /* MBUF_RELEASED, MBUF_FREE_FORMAT */
    pm_ssize_t exports;         /* memoryviews registered (not released) */
    pm_buffer master;           /* the exporter's buffer; master.obj owns a ref */
} pmi_mbuf;

static const pm_type mbuf_type;

static pmi_mbuf *mbuf_alloc(pm_runtime *rt) {
    pmi_mbuf *m = (pmi_mbuf *)pmi_gc_new(rt, &mbuf_type);   /* zeroed */
    if (!m) return NULL;
    pmi_gc_track(rt, (pm_object *)m);
    return m;
}

static pmi_mbuf *mbuf_from_object(pm_runtime *rt, pm_object *base, int flags) {
    pmi_mbuf *m = mbuf_alloc(rt);
    if (!m) return NULL;
    if (pm_object_getbuffer(rt, base, &m->master, flags) < 0) {
        m->master.obj = NULL;
        pm_decref(rt, (pm_object *)m);
        return NULL;
    }
    return m;
}

/* Give the master buffer back to the exporter (once). */
static void mbuf_release(pm_runtime *rt, pmi_mbuf *m) {
    if (m->flags & MBUF_RELEASED) return;
    m->flags |= MBUF_RELEASED;
    pmi_gc_untrack(rt, (pm_object *)m);
    pm_buffer_release(rt, &m->master);
}

static void mbuf_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_mbuf *m = (pmi_mbuf *)self;
    pmi_gc_untrack(rt, self);
    mbuf_release(rt, m);
    if (m->flags & MBUF_FREE_FORMAT) pm_free(rt, m->master.format);
    pmi_object_free(rt, self);
}

static int mbuf_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_mbuf *m = (pmi_mbuf *)self;
    return m->master.obj ? visit(m->master.obj, arg) : 0;
}

static int mbuf_clear(pm_runtime *rt, pm_object *self) {
    mbuf_release(rt, (pmi_mbuf *)self);
    return 0;
}

static const pm_type mbuf_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "managedbuffer",
    .basicsize = sizeof(pmi_mbuf),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = mbuf_dealloc,
    .traverse = mbuf_traverse,
    .clear = mbuf_clear,
};

/* ---- the memoryview object ---------------------------------------------------- */

enum { MV_RELEASED = 0x01, MV_C = 0x02, MV_FORTRAN = 0x04, MV_SCALAR = 0x08, MV_PIL = 0x10 };

typedef struct pmi_memoryview {
    pm_varobject ob_base;       /* ob_size = 3 * (slots of ob_array / 3) */
    pmi_mbuf *mbuf;             /* NEW ref to the managed buffer */
    pm_hash_t hash;             /* cached hash; -1 until computed */
    int flags;                  /* MV_* */
    pm_ssize_t exports;         /* buffers exported from this view */
    pm_buffer view;             /* private copy of the description */
    pm_object *weakreflist;     /* weak references to the view (weakref.ref(m)) */
    pm_ssize_t ob_array[1];     /* shape[ndim], strides[ndim], suboffsets[ndim] */
} pmi_memoryview;               /* basicsize 144, itemsize 8: getsizeof(memoryview(b'')) == 184 */

#define MV(o) ((pmi_memoryview *)(o))
#define C_CONTIG(fl) ((fl) & (MV_SCALAR | MV_C))
#define F_CONTIG(fl) ((fl) & (MV_SCALAR | MV_FORTRAN))
#define ANY_CONTIG(fl) ((fl) & (MV_SCALAR | MV_C | MV_FORTRAN))

/* Released by the user, or the export given back by the collector (a view
 * whose mbuf the collector cleared counts as released too). */
static int released(const pmi_memoryview *mv) {
    return (mv->flags & MV_RELEASED) || !mv->mbuf || (mv->mbuf->flags & MBUF_RELEASED);
}

static int check_released(pm_runtime *rt, const pmi_memoryview *mv) {
    if (!released(mv)) return 0;
    pm_err_set(rt, PM_EXC_ValueError, "operation forbidden on released memoryview object");
    return -1;
}

static int check_mv(pm_runtime *rt, pm_object *o, const char *func) {
    if (o && pm_memoryview_check(o)) return check_released(rt, MV(o));
    pmi_err_badarg(rt, func);
    return -1;
}

/* The format's single character ('@' skipped), or NotImplementedError. */
static int item_char(pm_runtime *rt, const pm_buffer *v, char *ch) {
    const char *f = v->format[0] == '@' ? v->format + 1 : v->format;
    if (f[0] && f[1] == '\0') {
        *ch = f[0];
        return 0;
    }
    pm_err_format(rt, PM_EXC_NotImplementedError, "memoryview: unsupported format %s", v->format);
    return -1;
}

static void init_flags(pmi_memoryview *mv) {
    const pm_buffer *v = &mv->view;
    int fl = 0;
    if (v->ndim == 0) {
        fl = MV_SCALAR | MV_C | MV_FORTRAN;
    } else if (v->ndim == 1) {
        if (v->shape[0] == 1 || v->strides[0] == v->itemsize) fl = MV_C | MV_FORTRAN;
    } else {
        if (pm_buffer_is_contiguous(v, 'C')) fl |= MV_C;
        if (pm_buffer_is_contiguous(v, 'F')) fl |= MV_FORTRAN;
    }
    if (v->suboffsets) fl = (fl | MV_PIL) & ~(MV_C | MV_FORTRAN);
    mv->flags = fl;
}

static void init_len(pm_buffer *v) {
    pm_ssize_t n = 1;
    for (int i = 0; i < v->ndim; i++) n *= v->shape[i];
    v->len = n * v->itemsize;
}

static pmi_memoryview *memory_alloc(pm_runtime *rt, int ndim) {
    pmi_memoryview *mv = (pmi_memoryview *)pmi_gc_var_new(rt, &pm_memoryview_type, 3 * (pm_ssize_t)ndim);
    if (!mv) return NULL;
    mv->hash = -1;
    mv->view.ndim = ndim;
    mv->view.shape = mv->ob_array;
    mv->view.strides = mv->ob_array + ndim;
    mv->view.suboffsets = mv->ob_array + 2 * ndim;
    pmi_gc_track(rt, (pm_object *)mv);
    return mv;
}

/* Values shared with the source description (everything but the arrays). */
static void init_shared(pm_buffer *d, const pm_buffer *s) {
    d->obj = s->obj;
    d->buf = s->buf;
    d->len = s->len;
    d->itemsize = s->itemsize;
    d->readonly = s->readonly;
    d->format = s->format ? s->format : (char *)(uintptr_t) "B";
    d->internal = s->internal;
}

/* Copy shape and strides into d's arrays, rebuilding what the exporter
 * left out (1-D: shape len/itemsize; strides: C-contiguous).  ndim >= 1. */
static void init_shape_strides(pm_buffer *d, const pm_buffer *s) {
    if (s->ndim == 1) {
        d->shape[0] = s->shape ? s->shape[0] : s->itemsize > 0 ? s->len / s->itemsize : 0;
        d->strides[0] = s->strides ? s->strides[0] : s->itemsize;
    } else {
        for (int i = 0; i < s->ndim; i++) d->shape[i] = s->shape[i];
        if (s->strides) for (int i = 0; i < s->ndim; i++) d->strides[i] = s->strides[i];
        else pmi_buffer_strides_c(d);
    }
}

/* Copy shape/strides/suboffsets into d's own arrays. */
static void init_arrays(pm_buffer *d, const pm_buffer *s) {
    if (s->ndim == 0) {
        d->shape = d->strides = d->suboffsets = NULL;
        return;
    }
    init_shape_strides(d, s);
    if (s->suboffsets) for (int i = 0; i < s->ndim; i++) d->suboffsets[i] = s->suboffsets[i];
    else d->suboffsets = NULL;
}

/* *full = a description of a consumer's buffer src with shape and strides
 * always present (in the caller's arrays of PM_BUF_MAX_NDIM) and a format;
 * suboffsets stay the exporter's.  src->ndim <= PM_BUF_MAX_NDIM. */
static void complete_view(pm_buffer *full, const pm_buffer *src, pm_ssize_t *shape, pm_ssize_t *strides) {
    *full = *src;
    if (!full->format) full->format = (char *)(uintptr_t) "B";
    if (src->ndim == 0) return;
    full->shape = shape;
    full->strides = strides;
    init_shape_strides(full, src);
}

static void *too_many_dims(pm_runtime *rt) {
    pm_err_set(rt, PM_EXC_ValueError, "memoryview: number of dimensions must not exceed 64");
    return NULL;
}

/* A new view registered with mbuf, describing src (NULL: the master). */
static pm_object *mbuf_add_view(pm_runtime *rt, pmi_mbuf *mbuf, const pm_buffer *src) {
    if (!src) src = &mbuf->master;
    if (src->ndim > PM_BUF_MAX_NDIM) return too_many_dims(rt);
    pmi_memoryview *mv = memory_alloc(rt, src->ndim);
    if (!mv) return NULL;
    init_shared(&mv->view, src);
    init_arrays(&mv->view, src);
    init_flags(mv);
    mv->mbuf = (pmi_mbuf *)pm_newref(rt, (pm_object *)mbuf);
    mbuf->exports++;
    return (pm_object *)mv;
}

/* The same, with room for ndim dimensions and only the shared values set
 * (the caller fills the arrays and the flags). */
static pmi_memoryview *mbuf_add_incomplete_view(pm_runtime *rt, pmi_mbuf *mbuf,
                                                const pm_buffer *src, int ndim) {
    pmi_memoryview *mv = memory_alloc(rt, ndim);
    if (!mv) return NULL;
    init_shared(&mv->view, src);
    mv->mbuf = (pmi_mbuf *)pm_newref(rt, (pm_object *)mbuf);
    mbuf->exports++;
    return mv;
}

pm_object *pm_memoryview_new(pm_runtime *rt, pm_object *o) {
    if (pm_memoryview_check(o)) {
        if (check_released(rt, MV(o)) < 0) return NULL;
        return mbuf_add_view(rt, MV(o)->mbuf, &MV(o)->view);
    }
    if (pm_object_check_buffer(o)) {
        pmi_mbuf *m = mbuf_from_object(rt, o, PM_BUF_FULL_RO);
        if (!m) return NULL;
        pm_object *r = mbuf_add_view(rt, m, NULL);
        pm_decref(rt, (pm_object *)m);
        return r;
    }
    return pmi_err_type(rt, "memoryview: a bytes-like object is required, not '%s'", o);
}

pm_object *pm_memoryview_from_memory(pm_runtime *rt, char *mem, pm_ssize_t size, int flags) {
    if (!mem || size < 0 || (flags != PM_BUF_READ && flags != PM_BUF_WRITE))
        return pmi_err_badarg(rt, "pm_memoryview_from_memory");
    pmi_mbuf *m = mbuf_alloc(rt);
    if (!m) return NULL;
    (void)pm_buffer_fill_info(rt, &m->master, NULL, mem, size, flags == PM_BUF_WRITE ? 0 : 1,
                              PM_BUF_FULL_RO);
    pm_object *r = mbuf_add_view(rt, m, NULL);
    pm_decref(rt, (pm_object *)m);
    return r;
}

pm_object *pm_memoryview_from_buffer(pm_runtime *rt, const pm_buffer *info) {
    if (!info->buf) {
        pm_err_set(rt, PM_EXC_ValueError, "PyMemoryView_FromBuffer(): info->buf must not be NULL");
        return NULL;
    }
    pmi_mbuf *m = mbuf_alloc(rt);
    if (!m) return NULL;
    m->master = *info;
    m->master.obj = NULL;       /* borrowed: never released through the mbuf */
    pm_object *r = mbuf_add_view(rt, m, NULL);
    pm_decref(rt, (pm_object *)m);
    return r;
}

const pm_buffer *pm_memoryview_buffer(const pm_object *mv) { return &MV(mv)->view; }
int pm_memoryview_is_released(const pm_object *mv) { return released(MV(mv)); }

/* ---- release ---------------------------------------------------------------- */

static int memory_release(pm_runtime *rt, pmi_memoryview *mv) {
    if (mv->flags & MV_RELEASED) return 0;
    if (mv->exports == 0) {
        mv->flags |= MV_RELEASED;
        if (--mv->mbuf->exports == 0) mbuf_release(rt, mv->mbuf);
        return 0;
    }
    if (mv->exports > 0) {
        pm_err_format(rt, PM_EXC_BufferError, "memoryview has %zd exported buffer%s",
                      (size_t)mv->exports, mv->exports == 1 ? "" : "s");
        return -1;
    }
    pm_err_set(rt, PM_EXC_SystemError, "_memory_release(): negative export count");
    return -1;
}

int pm_memoryview_release(pm_runtime *rt, pm_object *mv) {
    if (!mv || !pm_memoryview_check(mv)) {
        pmi_err_badarg(rt, "pm_memoryview_release");
        return -1;
    }
    return memory_release(rt, MV(mv));
}

pm_object *pm_memoryview_enter(pm_runtime *rt, pm_object *mv) {
    if (check_mv(rt, mv, "pm_memoryview_enter") < 0) return NULL;
    return pm_newref(rt, mv);
}

int pm_memoryview_exit(pm_runtime *rt, pm_object *mv) { return pm_memoryview_release(rt, mv); }

static void memory_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_memoryview *mv = MV(self);
    pmi_gc_untrack(rt, self);
    if (mv->mbuf) (void)memory_release(rt, mv);
    PM_CLEAR(rt, mv->mbuf);
    /* weak references die after the release, as CPython's memory_dealloc:
     * a callback finds the exporter free to resize */
    if (mv->weakreflist) pmi_weakref_clear_all(rt, self);
    pmi_object_free(rt, self);
}

static int memory_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_memoryview *mv = MV(self);
    return mv->mbuf ? visit((pm_object *)mv->mbuf, arg) : 0;
}

static int memory_clear(pm_runtime *rt, pm_object *self) {
    pmi_memoryview *mv = MV(self);
    if (mv->mbuf) {
        (void)memory_release(rt, mv);
        pm_err_clear(rt);
    }
    PM_CLEAR(rt, mv->mbuf);
    return 0;
}

/* ---- exporting a memoryview ---------------------------------------------------- */

static int memory_getbuf(pm_runtime *rt, pm_object *self, pm_buffer *view, int flags) {
    pmi_memoryview *mv = MV(self);
    const pm_buffer *base = &mv->view;
    int bf = mv->flags;
    if (check_released(rt, mv) < 0) return -1;
    *view = *base;
    view->obj = NULL;
    const char *err = NULL;
    if ((flags & PM_BUF_WRITABLE) && base->readonly)
        err = "memoryview: underlying buffer is not writable";
    if (!(flags & PM_BUF_FORMAT))
        view->format = NULL;            /* the consumer sees unsigned bytes */
    if (!err && (flags & PM_BUF_C_CONTIGUOUS) == PM_BUF_C_CONTIGUOUS && !C_CONTIG(bf))
        err = "memoryview: underlying buffer is not C-contiguous";
    if (!err && (flags & PM_BUF_F_CONTIGUOUS) == PM_BUF_F_CONTIGUOUS && !F_CONTIG(bf))
        err = "memoryview: underlying buffer is not Fortran contiguous";
    if (!err && (flags & PM_BUF_ANY_CONTIGUOUS) == PM_BUF_ANY_CONTIGUOUS && !ANY_CONTIG(bf))
        err = "memoryview: underlying buffer is not contiguous";
    if (!err && (flags & PM_BUF_INDIRECT) != PM_BUF_INDIRECT && (bf & MV_PIL))
        err = "memoryview: underlying buffer requires suboffsets";
    if (!err && (flags & PM_BUF_STRIDES) != PM_BUF_STRIDES) {
        if (!C_CONTIG(bf)) err = "memoryview: underlying buffer is not C-contiguous";
        else view->strides = NULL;
    }
    if (!err && (flags & PM_BUF_ND) != PM_BUF_ND) {
        if (view->format != NULL) {
            err = "memoryview: cannot cast to unsigned bytes if the format flag is present";
        } else {
            view->ndim = 1;
            view->shape = NULL;
        }
    }
    if (err) {
        pm_err_set(rt, PM_EXC_BufferError, err);
        return -1;
    }
    view->obj = pm_newref(rt, self);
    mv->exports++;
    return 0;
}

static void memory_releasebuf(pm_runtime *rt, pm_object *self, pm_buffer *view) {
    (void)rt;
    (void)view;
    MV(self)->exports--;
}

/* ---- cast ------------------------------------------------------------------------ */

static const char *const native_formats[] = {
    "c", "b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "n", "N", "f", "d", "e", "?", "P",
    "@c", "@b", "@B", "@h", "@H", "@i", "@I", "@l", "@L", "@q", "@Q", "@n", "@N", "@f", "@d",
    "@e", "@?", "@P",
};

/* The static copy of a valid native format string (views may outlive the
 * caller's string): the same order as native_formats, '@' forms after. */
static char *static_format(const char *fmt) {
    static const char chars[] = "cbBhHiIlLqQnNfde?P";
    int at = fmt[0] == '@';
    const char *p = strchr(chars, fmt[at]);
    size_t n = sizeof chars - 1;
    return (char *)(uintptr_t)native_formats[(size_t)(p - chars) + (at ? n : 0)];
}

#define IS_BYTE_FORMAT(c) ((c) == 'b' || (c) == 'B' || (c) == 'c')

static int cast_to_1d(pm_runtime *rt, pmi_memoryview *mv, const char *format) {
    pm_buffer *v = &mv->view;
    char dest, src;
    pm_ssize_t itemsize = pmi_format_native(format, &dest);
    if (itemsize < 0) {
        pm_err_set(rt, PM_EXC_ValueError,
                   "memoryview: destination format must be a native single character format "
                   "prefixed with an optional '@'");
        return -1;
    }
    if ((pmi_format_native(v->format, &src) < 0 || !IS_BYTE_FORMAT(src)) && !IS_BYTE_FORMAT(dest)) {
        pm_err_set(rt, PM_EXC_TypeError, "memoryview: cannot cast between two non-byte formats");
        return -1;
    }
    if (v->len % itemsize) {
        pm_err_set(rt, PM_EXC_TypeError, "memoryview: length is not a multiple of itemsize");
        return -1;
    }
    v->format = static_format(format);
    v->itemsize = itemsize;
    v->ndim = 1;
    v->shape[0] = v->len / itemsize;
    v->strides[0] = itemsize;
    v->suboffsets = NULL;
    init_flags(mv);
    return 0;
}

/* The shape of a cast: from a list/tuple object or a C array. */
typedef struct shape_arg {
    pm_object *obj;             /* list or tuple, or NULL */
    const pm_ssize_t *arr;      /* C array when obj is NULL */
} shape_arg;

static int cast_to_nd(pm_runtime *rt, pmi_memoryview *mv, const shape_arg *sa, int ndim) {
    pm_buffer *v = &mv->view;
    pm_ssize_t len;
    v->ndim = ndim;
    if (ndim == 0) {
        v->shape = v->strides = NULL;
        len = v->itemsize;
    } else {
        len = v->itemsize;
        for (int i = 0; i < ndim; i++) {
            pm_ssize_t x;
            if (sa->obj) {
                pm_object *it = pm_list_check(sa->obj) ? pm_list_get(rt, sa->obj, i)
                                                       : pm_tuple_get(rt, sa->obj, i);
                if (!it) return -1;
                if (!pm_int_check(it)) {
                    pm_err_set(rt, PM_EXC_TypeError,
                               "memoryview.cast(): elements of shape must be integers");
                    return -1;
                }
                x = pm_int_as_ssize(rt, it);
                if (x == -1 && pm_err_occurred(rt)) {
                    if (pm_err_matches(rt, PM_EXC_OverflowError))   /* PyLong_AsSsize_t's text */
                        pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C ssize_t");
                    return -1;
                }
            } else {
                x = sa->arr[i];
            }
            if (x <= 0) {
                pm_err_set(rt, PM_EXC_ValueError,
                           "memoryview.cast(): elements of shape must be integers > 0");
                return -1;
            }
            if (x > INTPTR_MAX / len) {
                pm_err_set(rt, PM_EXC_ValueError, "memoryview.cast(): product(shape) > SSIZE_MAX");
                return -1;
            }
            len *= x;
            v->shape[i] = x;
        }
        pmi_buffer_strides_c(v);
    }
    if (v->len != len) {
        pm_err_set(rt, PM_EXC_TypeError, "memoryview: product(shape) * itemsize != buffer size");
        return -1;
    }
    init_flags(mv);
    return 0;
}

static pm_object *cast_impl(pm_runtime *rt, pm_object *self, const char *format,
                            const shape_arg *sa, int have_shape, pm_ssize_t nshape) {
    pmi_memoryview *s = MV(self);
    pm_ssize_t ndim = 1;
    if (!C_CONTIG(s->flags)) {
        pm_err_set(rt, PM_EXC_TypeError, "memoryview: casts are restricted to C-contiguous views");
        return NULL;
    }
    if (have_shape || s->view.ndim != 1) {
        for (int i = 0; i < s->view.ndim; i++) {
            if (s->view.shape[i] == 0) {
                pm_err_set(rt, PM_EXC_TypeError,
                           "memoryview: cannot cast view with zeros in shape or strides");
                return NULL;
            }
        }
    }
    if (have_shape) {
        ndim = nshape;
        if (ndim > PM_BUF_MAX_NDIM) return too_many_dims(rt);
        if (s->view.ndim != 1 && ndim != 1) {
            pm_err_set(rt, PM_EXC_TypeError, "memoryview: cast must be 1D -> ND or ND -> 1D");
            return NULL;
        }
    }
    pmi_memoryview *mv = mbuf_add_incomplete_view(rt, s->mbuf, &s->view, ndim == 0 ? 1 : (int)ndim);
    if (!mv) return NULL;
    if (cast_to_1d(rt, mv, format) < 0) goto fail;
    if (have_shape && cast_to_nd(rt, mv, sa, (int)ndim) < 0) goto fail;
    return (pm_object *)mv;
fail:
    pm_decref(rt, (pm_object *)mv);
    return NULL;
}

pm_object *pm_memoryview_cast(pm_runtime *rt, pm_object *mv, const char *format, pm_object *shape) {
    if (!format) return pmi_err_badarg(rt, "pm_memoryview_cast");
    if (check_mv(rt, mv, "pm_memoryview_cast") < 0) return NULL;
    shape_arg sa = {shape, NULL};
    pm_ssize_t n = 0;
    if (shape) {
        if (!pm_list_check(shape) && !pm_tuple_check(shape)) {
            /* CPython checks contiguity and zeros first */
            pmi_memoryview *s = MV(mv);
            if (!C_CONTIG(s->flags)) {
                pm_err_set(rt, PM_EXC_TypeError, "memoryview: casts are restricted to C-contiguous views");
                return NULL;
            }
            for (int i = 0; i < s->view.ndim; i++) {
                if (s->view.shape[i] == 0) {
                    pm_err_set(rt, PM_EXC_TypeError,
                               "memoryview: cannot cast view with zeros in shape or strides");
                    return NULL;
                }
            }
            pm_err_set(rt, PM_EXC_TypeError, "shape must be a list or a tuple");
            return NULL;
        }
        n = pm_list_check(shape) ? pm_list_size(shape) : pm_tuple_size(shape);
    }
    return cast_impl(rt, mv, format, &sa, shape != NULL, n);
}

pm_object *pm_memoryview_cast_shape(pm_runtime *rt, pm_object *mv, const char *format,
                                    const pm_ssize_t *shape, int ndim) {
    if (!format || (ndim > 0 && !shape)) return pmi_err_badarg(rt, "pm_memoryview_cast_shape");
    if (check_mv(rt, mv, "pm_memoryview_cast_shape") < 0) return NULL;
    shape_arg sa = {NULL, shape};
    return cast_impl(rt, mv, format, &sa, ndim >= 0, ndim < 0 ? 0 : ndim);
}

pm_object *pm_memoryview_toreadonly(pm_runtime *rt, pm_object *mv) {
    if (check_mv(rt, mv, "pm_memoryview_toreadonly") < 0) return NULL;
    pm_object *r = mbuf_add_view(rt, MV(mv)->mbuf, &MV(mv)->view);
    if (r) MV(r)->view.readonly = 1;
    return r;
}

/* ---- indexing and slicing ------------------------------------------------------- */

static char *lookup_dimension(pm_runtime *rt, const pm_buffer *v, char *p, int dim, pm_ssize_t index) {
    pm_ssize_t n = v->shape[dim];
    if (index < 0) index += n;
    if (index < 0 || index >= n) {
        pm_err_format(rt, PM_EXC_IndexError, "index out of bounds on dimension %d", dim + 1);
        return NULL;
    }
    p += v->strides[dim] * index;
    if (v->suboffsets && v->suboffsets[dim] >= 0) p = *(char **)p + v->suboffsets[dim];
    return p;
}

/* PyNumber_AsSsize_t(key, IndexError). */
/* An index key (an int or any object with __index__, which may run
 * Python code — even release the view: callers check again after). */
static int index_value(pm_runtime *rt, pm_object *key, pm_ssize_t *out) {
    pm_ssize_t i = pm_index_as_ssize(rt, key, PM_INDEX_INDEXERROR);
    if (i == -1 && pm_err_occurred(rt)) return -1;
    *out = i;
    return 0;
}

static char *ptr_from_indices(pm_runtime *rt, const pm_buffer *v, pm_object *tup,
                              const pm_ssize_t *idx, pm_ssize_t n) {
    if (n > v->ndim) {
        pm_err_format(rt, PM_EXC_TypeError, "cannot index %d-dimension view with %zd-element tuple",
                      v->ndim, (size_t)n);
        return NULL;
    }
    char *p = v->buf;
    for (pm_ssize_t d = 0; d < n; d++) {
        pm_ssize_t i;
        if (tup) {
            if (index_value(rt, pm_tuple_get(rt, tup, d), &i) < 0) return NULL;
        } else {
            i = idx[d];
        }
        p = lookup_dimension(rt, v, p, (int)d, i);
        if (!p) return NULL;
    }
    return p;
}

static pm_object *memory_item(pm_runtime *rt, pmi_memoryview *mv, pm_ssize_t index) {
    const pm_buffer *v = &mv->view;
    char ch;
    if (check_released(rt, mv) < 0 || item_char(rt, v, &ch) < 0) return NULL;
    if (v->ndim == 0) {
        pm_err_set(rt, PM_EXC_TypeError, "invalid indexing of 0-dim memory");
        return NULL;
    }
    if (v->ndim == 1) {
        char *p = lookup_dimension(rt, v, v->buf, 0, index);
        return p ? pmi_mv_unpack(rt, p, ch) : NULL;
    }
    pm_err_set(rt, PM_EXC_NotImplementedError, "multi-dimensional sub-views are not implemented");
    return NULL;
}

static pm_object *memory_item_multi(pm_runtime *rt, pmi_memoryview *mv, pm_object *tup,
                                    const pm_ssize_t *idx, pm_ssize_t n) {
    const pm_buffer *v = &mv->view;
    char ch;
    if (check_released(rt, mv) < 0 || item_char(rt, v, &ch) < 0) return NULL;
    if (n < v->ndim) {
        pm_err_set(rt, PM_EXC_NotImplementedError, "sub-views are not implemented");
        return NULL;
    }
    char *p = ptr_from_indices(rt, v, tup, idx, n);
    if (p && check_released(rt, mv) < 0) return NULL;   /* released by an __index__ */
    return p ? pmi_mv_unpack(rt, p, ch) : NULL;
}

/* Apply a slice to dimension dim of a full description (zero-copy).
 *
 * No overflow for any step: the start is moved to only when the slice
 * selects an item (start is then a valid index, so stride * start stays
 * inside the exported memory); an empty slice keeps its base.  The new
 * stride stride * step is what CPython reports in .strides, and CPython
 * computes it with -fwrapv: for a huge step it wraps (memoryview(b)[::2**62]
 * of 8-byte items has stride 0).  We form the same value by multiplying in
 * uintptr_t, where wrapping is defined, and converting back (two's
 * complement on every target).  Such a stride is never followed: a slice
 * whose step exceeds the length has one item, and the loops that walk a
 * view form the address of item i for i < shape only. */
static void apply_slice(pm_buffer *b, int dim, pm_ssize_t start, pm_ssize_t stop, pm_ssize_t step) {
    pm_ssize_t n = pm_slice_adjust_indices(b->shape[dim], &start, &stop, step);
    int k = dim - 1;
    if (b->suboffsets && dim > 0) {
        while (k >= 0 && b->suboffsets[k] < 0) k--;
    }
    if (n > 0) {
        if (!b->suboffsets || dim == 0 || k < 0) b->buf = (char *)b->buf + b->strides[dim] * start;
        else b->suboffsets[k] += b->strides[dim] * start;
    }
    b->shape[dim] = n;
    b->strides[dim] = (pm_ssize_t)((uintptr_t)b->strides[dim] * (uintptr_t)step);
}

static pm_object *memory_slice(pm_runtime *rt, pmi_memoryview *mv, pm_object *key,
                               pm_ssize_t start, pm_ssize_t stop, pm_ssize_t step) {
    pmi_memoryview *s = (pmi_memoryview *)mbuf_add_view(rt, mv->mbuf, &mv->view);
    if (!s) return NULL;
    /* the bounds of a slice key are converted only now: their __index__
     * may release mv, and s (an export of the same managed buffer) keeps
     * the memory alive, as CPython's memory_subscript does */
    if (key && pm_slice_unpack(rt, key, &start, &stop, &step) < 0) {
        pm_decref(rt, (pm_object *)s);
        return NULL;
    }
    apply_slice(&s->view, 0, start, stop, step);
    init_len(&s->view);
    init_flags(s);
    return (pm_object *)s;
}

static int is_index_tuple(pm_object *key) {
    if (!pm_tuple_check(key)) return 0;
    for (pm_ssize_t i = 0, n = pm_tuple_size(key); i < n; i++)
        if (!pmi_has_index(((pmi_tuple *)key)->ob_item[i])) return 0;
    return 1;
}

static int is_slice_tuple(pm_object *key) {
    if (!pm_tuple_check(key) || pm_tuple_size(key) == 0) return 0;
    for (pm_ssize_t i = 0, n = pm_tuple_size(key); i < n; i++)
        if (!pm_slice_check(((pmi_tuple *)key)->ob_item[i])) return 0;
    return 1;
}

static pm_object *memory_subscript(pm_runtime *rt, pm_object *self, pm_object *key) {
    pmi_memoryview *mv = MV(self);
    pm_buffer *v = &mv->view;
    if (check_released(rt, mv) < 0) return NULL;
    if (v->ndim == 0) {
        if (pm_tuple_check(key) && pm_tuple_size(key) == 0) {
            char ch;
            if (item_char(rt, v, &ch) < 0) return NULL;
            return pmi_mv_unpack(rt, v->buf, ch);
        }
        if (key == PM_ELLIPSIS) return pm_newref(rt, self);
        pm_err_set(rt, PM_EXC_TypeError, "invalid indexing of 0-dim memory");
        return NULL;
    }
    if (pmi_has_index(key)) {
        pm_ssize_t i;
        if (index_value(rt, key, &i) < 0) return NULL;
        return memory_item(rt, mv, i);   /* checks for a release by __index__ */
    }
    if (pm_slice_check(key)) return memory_slice(rt, mv, key, 0, 0, 0);
    if (is_index_tuple(key)) return memory_item_multi(rt, mv, key, NULL, pm_tuple_size(key));
    if (is_slice_tuple(key)) {
        pm_err_set(rt, PM_EXC_NotImplementedError, "multi-dimensional slicing is not implemented");
        return NULL;
    }
    pm_err_set(rt, PM_EXC_TypeError, "memoryview: invalid slice key");
    return NULL;
}

/* Store value at p: converted first into a scratch item (the conversion
 * may run __index__/__float__/__bool__, which may release mv and with it
 * the memory p points into), then copied if mv is still alive — CPython's
 * pack_single with its second release check (gh-92888). */
static int pack_checked(pm_runtime *rt, pmi_memoryview *mv, char *p, pm_object *value, char ch) {
    unsigned char item[16];
    pm_ssize_t size = mv->view.itemsize;
    if (size <= 0 || size > (pm_ssize_t)sizeof item) return pmi_mv_pack(rt, p, value, ch);
    if (pmi_mv_pack(rt, (char *)item, value, ch) < 0) return -1;
    if (check_released(rt, mv) < 0) return -1;
    memcpy(p, item, (size_t)size);
    return 0;
}

/* mv[slice] = value for 1-D views: value is any exporter of the same
 * format and length. */
static int assign_slice(pm_runtime *rt, pmi_memoryview *mv, pm_object *key, pm_ssize_t start,
                        pm_ssize_t stop, pm_ssize_t step, pm_object *value) {
    const pm_buffer *v = &mv->view;
    pm_buffer src, dest;
    pm_ssize_t arrays[3];
    if (pm_object_getbuffer(rt, value, &src, PM_BUF_FULL_RO) < 0) return -1;
    int ret = -1;
    dest = *v;
    dest.shape = &arrays[0];
    dest.shape[0] = v->shape[0];
    dest.strides = &arrays[1];
    dest.strides[0] = v->strides[0];
    if (v->suboffsets) {
        dest.suboffsets = &arrays[2];
        dest.suboffsets[0] = v->suboffsets[0];
    }
    if (key && pm_slice_unpack(rt, key, &start, &stop, &step) < 0) goto done;
    apply_slice(&dest, 0, start, stop, step);
    dest.len = dest.shape[0] * dest.itemsize;
    if (src.ndim != 1) {
        /* only a 1-D source matches the 1-D destination */
        pm_err_set(rt, PM_EXC_ValueError,
                   "memoryview assignment: lvalue and rvalue have different structures");
        goto done;
    }
    pm_ssize_t sshape[1], sstrides[1];
    pm_buffer full;
    complete_view(&full, &src, sshape, sstrides);
    if (check_released(rt, mv) < 0) goto done;
    ret = pmi_buffer_copy(rt, &dest, &full);
done:
    pm_buffer_release(rt, &src);
    return ret;
}

static int memory_ass_sub(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *value) {
    pmi_memoryview *mv = MV(self);
    pm_buffer *v = &mv->view;
    char ch;
    if (check_released(rt, mv) < 0 || item_char(rt, v, &ch) < 0) return -1;
    if (v->readonly) {
        pm_err_set(rt, PM_EXC_TypeError, "cannot modify read-only memory");
        return -1;
    }
    if (!value) {
        pm_err_set(rt, PM_EXC_TypeError, "cannot delete memory");
        return -1;
    }
    if (v->ndim == 0) {
        if (key == PM_ELLIPSIS || (pm_tuple_check(key) && pm_tuple_size(key) == 0))
            return pack_checked(rt, mv, v->buf, value, ch);
        pm_err_set(rt, PM_EXC_TypeError, "invalid indexing of 0-dim memory");
        return -1;
    }
    if (pmi_has_index(key)) {
        if (v->ndim > 1) {
            pm_err_set(rt, PM_EXC_NotImplementedError, "sub-views are not implemented");
            return -1;
        }
        pm_ssize_t i;
        if (index_value(rt, key, &i) < 0 || check_released(rt, mv) < 0) return -1;
        char *p = lookup_dimension(rt, v, v->buf, 0, i);
        return p ? pack_checked(rt, mv, p, value, ch) : -1;
    }
    if (pm_slice_check(key) && v->ndim == 1) return assign_slice(rt, mv, key, 0, 0, 0, value);
    if (is_index_tuple(key)) {
        if (pm_tuple_size(key) < v->ndim) {
            pm_err_set(rt, PM_EXC_NotImplementedError, "sub-views are not implemented");
            return -1;
        }
        char *p = ptr_from_indices(rt, v, key, NULL, pm_tuple_size(key));
        if (p && check_released(rt, mv) < 0) return -1;
        return p ? pack_checked(rt, mv, p, value, ch) : -1;
    }
    if (pm_slice_check(key) || is_slice_tuple(key)) {
        pm_err_set(rt, PM_EXC_NotImplementedError,
                   "memoryview slice assignments are currently restricted to ndim = 1");
        return -1;
    }
    pm_err_set(rt, PM_EXC_TypeError, "memoryview: invalid slice key");
    return -1;
}

static int memory_delitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    return memory_ass_sub(rt, self, key, NULL);
}

pm_object *pm_memoryview_item(pm_runtime *rt, pm_object *mv, pm_ssize_t i) {
    if (check_mv(rt, mv, "pm_memoryview_item") < 0) return NULL;
    return memory_item(rt, MV(mv), i);
}

pm_object *pm_memoryview_item_multi(pm_runtime *rt, pm_object *mv, const pm_ssize_t *idx, int n) {
    if (check_mv(rt, mv, "pm_memoryview_item_multi") < 0) return NULL;
    if (MV(mv)->view.ndim == 0 && n == 0) {
        char ch;
        if (item_char(rt, &MV(mv)->view, &ch) < 0) return NULL;
        return pmi_mv_unpack(rt, MV(mv)->view.buf, ch);
    }
    return memory_item_multi(rt, MV(mv), NULL, idx, n);
}

pm_object *pm_memoryview_slice(pm_runtime *rt, pm_object *mv, pm_ssize_t start, pm_ssize_t stop,
                               pm_ssize_t step) {
    if (check_mv(rt, mv, "pm_memoryview_slice") < 0) return NULL;
    pmi_memoryview *m = MV(mv);
    if (m->view.ndim == 0) {
        pm_err_set(rt, PM_EXC_TypeError, "invalid indexing of 0-dim memory");
        return NULL;
    }
    /* pm_slice_unpack's rules, without making a slice object */
    if (step == PM_SLICE_NONE) step = 1;
    if (step == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "slice step cannot be zero");
        return NULL;
    }
    if (step < -INTPTR_MAX) step = -INTPTR_MAX;
    if (start == PM_SLICE_NONE) start = step < 0 ? INTPTR_MAX : 0;
    if (stop == PM_SLICE_NONE) stop = step < 0 ? INTPTR_MIN : INTPTR_MAX;
    return memory_slice(rt, m, NULL, start, stop, step);
}

int pm_memoryview_set_item(pm_runtime *rt, pm_object *mv, pm_ssize_t i, pm_object *value) {
    if (check_mv(rt, mv, "pm_memoryview_set_item") < 0) return -1;
    pm_object *key = pm_int_from_ssize(rt, i);
    if (!key) return -1;
    int r = memory_ass_sub(rt, mv, key, value);
    pm_decref(rt, key);
    return r;
}

int pm_memoryview_set_slice(pm_runtime *rt, pm_object *mv, pm_ssize_t start, pm_ssize_t stop,
                            pm_ssize_t step, pm_object *value) {
    if (check_mv(rt, mv, "pm_memoryview_set_slice") < 0) return -1;
    pm_object *sl = pm_slice_from_ssize(rt, start, stop, step);
    if (!sl) return -1;
    int r = memory_ass_sub(rt, mv, sl, value);
    pm_decref(rt, sl);
    return r;
}

static pm_ssize_t memory_length(pm_runtime *rt, pm_object *self) {
    pmi_memoryview *mv = MV(self);
    if (check_released(rt, mv) < 0) return -1;
    return mv->view.ndim == 0 ? 1 : mv->view.shape[0];   /* 3.11: len() of 0-dim is 1 */
}

/* ---- tolist / tobytes / hex ------------------------------------------------------- */

static pm_object *tolist_rec(pm_runtime *rt, const char *p, int ndim, const pm_ssize_t *shape,
                             const pm_ssize_t *strides, const pm_ssize_t *sub, char ch) {
    pm_object *list = pmi_list_new_prealloc(rt, shape[0]);
    if (!list) return NULL;
    pmi_list *l = PMI_LIST(list);
    for (pm_ssize_t i = 0; i < shape[0]; i++) {
        const char *pi = p + i * strides[0];    /* never one stride past the end */
        const char *xp = sub && sub[0] >= 0 ? *(char *const *)pi + sub[0] : pi;
        pm_object *item = ndim == 1 ? pmi_mv_unpack(rt, xp, ch)
                                    : tolist_rec(rt, xp, ndim - 1, shape + 1, strides + 1,
                                                 sub ? sub + 1 : NULL, ch);
        if (!item) {
            pm_decref(rt, list);
            return NULL;
        }
        l->ob_item[i] = item;
        l->ob_base.ob_size = i + 1;
    }
    return list;
}

pm_object *pm_memoryview_tolist(pm_runtime *rt, pm_object *mv) {
    if (check_mv(rt, mv, "pm_memoryview_tolist") < 0) return NULL;
    const pm_buffer *v = &MV(mv)->view;
    char ch;
    if (item_char(rt, v, &ch) < 0) return NULL;
    if (v->ndim == 0) return pmi_mv_unpack(rt, v->buf, ch);
    return tolist_rec(rt, v->buf, v->ndim, v->shape, v->strides, v->suboffsets, ch);
}

pm_object *pm_memoryview_tobytes(pm_runtime *rt, pm_object *mv, const char *order) {
    if (check_mv(rt, mv, "pm_memoryview_tobytes") < 0) return NULL;
    const pm_buffer *v = &MV(mv)->view;
    char ord = 'C';
    if (order) {
        if (strcmp(order, "F") == 0) ord = 'F';
        else if (strcmp(order, "A") == 0) ord = 'A';
        else if (strcmp(order, "C") != 0) {
            pm_err_set(rt, PM_EXC_ValueError, "order must be 'C', 'F' or 'A'");
            return NULL;
        }
    }
    /* contiguous in the wanted order: one memcpy, at memory bandwidth */
    if (pm_buffer_is_contiguous(v, ord)) return pm_bytes_new(rt, v->buf, v->len);
    pm_object *b = pm_bytes_new(rt, NULL, v->len);
    if (!b) return NULL;
    pmi_buffer_gather(((pmi_bytes *)b)->ob_sval, v, ord == 'F' ? 'F' : 'C');
    return b;
}

static const char hexdigits[] = "0123456789abcdef";

/* _Py_strhex_with_sep: a str of 2 hex digits per byte, with sep every
 * |bytes_per_sep| bytes counted from the right (> 0) or the left (< 0). */
static pm_object *strhex(pm_runtime *rt, const unsigned char *p, pm_ssize_t n, pm_object *sep, int bps) {
    unsigned char sepc = 0;
    if (sep) {
        pm_ssize_t seplen = pm_length(rt, sep);
        if (seplen < 0) return NULL;
        if (seplen != 1) {
            pm_err_set(rt, PM_EXC_ValueError, "sep must be length 1.");
            return NULL;
        }
        if (pm_str_check(sep)) {
            if (pm_str_kind(sep) != 1) {
                pm_err_set(rt, PM_EXC_ValueError, "sep must be ASCII.");
                return NULL;
            }
            sepc = (unsigned char)pm_str_read_char(sep, 0);
        } else if (pm_bytes_check(sep)) {
            sepc = (unsigned char)pm_bytes_data(sep)[0];
        } else {
            pm_err_set(rt, PM_EXC_TypeError, "sep must be str or bytes.");
            return NULL;
        }
        if (sepc > 127) {
            pm_err_set(rt, PM_EXC_ValueError, "sep must be ASCII.");
            return NULL;
        }
    } else {
        bps = 0;
    }
    pm_ssize_t absb = bps < 0 ? -(pm_ssize_t)bps : bps, nsep = 0;
    if (bps && n > 0) nsep = (n - 1) / absb;
    if (n >= INTPTR_MAX / 2 - nsep) return pm_err_nomem(rt);
    pm_ssize_t rlen = nsep + n * 2;
    if (absb >= n) bps = 0, absb = 0;
    pm_object *s = pmi_str_new(rt, rlen, 127);
    if (!s) return NULL;
    char *out = pmi_str_data(s);
    if (bps == 0) {
        for (pm_ssize_t i = 0; i < n; i++) {
            out[2 * i] = hexdigits[p[i] >> 4];
            out[2 * i + 1] = hexdigits[p[i] & 15];
        }
    } else if (bps < 0) {               /* groups counted from the left */
        pm_ssize_t j = 0;
        for (pm_ssize_t i = 0; i < n; i++) {
            if (i && i % absb == 0) out[j++] = (char)sepc;
            out[j++] = hexdigits[p[i] >> 4];
            out[j++] = hexdigits[p[i] & 15];
        }
    } else {                            /* groups counted from the right */
        pm_ssize_t j = rlen - 1;
        for (pm_ssize_t i = n - 1, k = 0; i >= 0; i--, k++) {
            if (k && k % absb == 0) out[j--] = (char)sepc;
            out[j--] = hexdigits[p[i] & 15];
            out[j--] = hexdigits[p[i] >> 4];
        }
    }
    return s;
}

pm_object *pm_memoryview_hex(pm_runtime *rt, pm_object *mv, pm_object *sep, int bytes_per_sep) {
    if (check_mv(rt, mv, "pm_memoryview_hex") < 0) return NULL;
    const pm_buffer *v = &MV(mv)->view;
    if (C_CONTIG(MV(mv)->flags)) return strhex(rt, v->buf, v->len, sep, bytes_per_sep);
    char *tmp = pm_malloc(rt, v->len ? (size_t)v->len : 1);
    if (!tmp) return pm_err_nomem(rt);
    pmi_buffer_gather(tmp, v, 'C');
    pm_object *r = strhex(rt, (const unsigned char *)tmp, v->len, sep, bytes_per_sep);
    pm_free(rt, tmp);
    return r;
}

/* ---- repr, hash, comparison ----------------------------------------------------- */

static pm_object *memory_repr(pm_runtime *rt, pm_object *self) {
    char buf[64];
    snprintf(buf, sizeof buf, "<%smemory at %p>", MV(self)->flags & MV_RELEASED ? "released " : "",
             (void *)self);
    return pm_str_from_cstr(rt, buf);
}

static pm_hash_t memory_hash(pm_runtime *rt, pm_object *self) {
    pmi_memoryview *mv = MV(self);
    if (mv->hash != -1) return mv->hash;
    const pm_buffer *v = &mv->view;
    char ch;
    if (check_released(rt, mv) < 0) return -1;
    if (!v->readonly) {
        pm_err_set(rt, PM_EXC_ValueError, "cannot hash writable memoryview object");
        return -1;
    }
    if (pmi_format_native(v->format, &ch) < 0 || !IS_BYTE_FORMAT(ch)) {
        pm_err_set(rt, PM_EXC_ValueError, "memoryview: hashing is restricted to formats 'B', 'b' or 'c'");
        return -1;
    }
    if (v->obj && pm_hash(rt, v->obj) == -1) return -1;   /* keeps the exporter's error */
    if (C_CONTIG(mv->flags)) {
        mv->hash = pmi_hash_bytes(rt, v->buf, (size_t)v->len);
    } else {
        char *tmp = pm_malloc(rt, v->len ? (size_t)v->len : 1);
        if (!tmp) {
            pm_err_nomem(rt);
            return -1;
        }
        pmi_buffer_gather(tmp, v, 'C');
        mv->hash = pmi_hash_bytes(rt, tmp, (size_t)v->len);
        pm_free(rt, tmp);
    }
    return mv->hash;
}

/* Item equality for identical native formats (CPython's fast path: C ==). */
static int same_format_eq(const char *p, const char *q, char ch, pm_ssize_t size) {
    switch (ch) {
    case 'f': { float x, y; memcpy(&x, p, 4); memcpy(&y, q, 4); return x == y; }
    case 'd': { double x, y; memcpy(&x, p, 8); memcpy(&y, q, 8); return x == y; }
    case 'e': return pmi_half_unpack((const unsigned char *)p) == pmi_half_unpack((const unsigned char *)q);
    default: return memcmp(p, q, (size_t)size) == 0;   /* integers, '?', 'c', 'P' */
    }
}

typedef struct cmp_ctx {
    char ch;                    /* the shared native format, or 0: decode both */
    pm_ssize_t size;
    const char *vfmt, *wfmt;
} cmp_ctx;

static int cmp_rec(const cmp_ctx *c, const char *p, const char *q, int ndim, const pm_ssize_t *shape,
                   const pm_ssize_t *ps, const pm_ssize_t *psub, const pm_ssize_t *qs,
                   const pm_ssize_t *qsub) {
    for (pm_ssize_t i = 0; i < shape[0]; i++) {
        /* item i only: a running p += stride would point one huge stride
         * past the end after the last item */
        const char *pi = p + i * ps[0], *qi = q + i * qs[0];
        const char *xp = psub && psub[0] >= 0 ? *(char *const *)pi + psub[0] : pi;
        const char *xq = qsub && qsub[0] >= 0 ? *(char *const *)qi + qsub[0] : qi;
        int eq;
        if (ndim > 1) {
            eq = cmp_rec(c, xp, xq, ndim - 1, shape + 1, ps + 1, psub ? psub + 1 : NULL, qs + 1,
                         qsub ? qsub + 1 : NULL);
        } else if (c->ch) {
            eq = same_format_eq(xp, xq, c->ch, c->size);
        } else {
            eq = pmi_struct_items_equal(c->vfmt, xp, c->wfmt, xq);
        }
        if (!eq) return 0;
    }
    return 1;
}

static pm_object *memory_richcompare(pm_runtime *rt, pm_object *v, pm_object *w, int op) {
    if (op != PM_EQ && op != PM_NE) return PM_NOTIMPLEMENTED;
    if (!pm_memoryview_check(v)) return PM_NOTIMPLEMENTED;
    int equal;
    pm_buffer wbuf, *ww = NULL;
    pm_ssize_t wshape[PM_BUF_MAX_NDIM], wstrides[PM_BUF_MAX_NDIM];
    pm_buffer wfull;
    if (released(MV(v))) {
        equal = v == w;
        goto result;
    }
    const pm_buffer *vv = &MV(v)->view;
    if (pm_memoryview_check(w)) {
        if (released(MV(w))) {
            equal = v == w;
            goto result;
        }
        wfull = MV(w)->view;
    } else {
        if (pm_object_getbuffer(rt, w, &wbuf, PM_BUF_FULL_RO) < 0) {
            pm_err_clear(rt);
            return PM_NOTIMPLEMENTED;
        }
        ww = &wbuf;
        if (wbuf.ndim > PM_BUF_MAX_NDIM) {
            equal = 0;
            goto result;
        }
        complete_view(&wfull, &wbuf, wshape, wstrides);
    }
    /* equivalent shapes: equal, or equal up to a zero at the same place */
    if (vv->ndim != wfull.ndim) {
        equal = 0;
        goto result;
    }
    for (int i = 0; i < vv->ndim; i++) {
        if (vv->shape[i] != wfull.shape[i]) {
            equal = 0;
            goto result;
        }
        if (vv->shape[i] == 0) break;
    }
    cmp_ctx c = {0, 0, vv->format, wfull.format};
    char vc, wc;
    pm_ssize_t vs = pmi_format_native(vv->format, &vc), ws = pmi_format_native(wfull.format, &wc);
    if (vs > 0 && ws > 0 && vc == wc) {
        c.ch = vc;
        c.size = vs;
    } else {
        /* struct-module rules; a format struct would reject is "not equal"
         * (CPython's StructError rule) */
        pm_ssize_t vsz = pmi_struct_size(vv->format), wsz = pmi_struct_size(wfull.format);
        if (vsz < 0 || wsz < 0 || vsz > vv->itemsize || wsz > wfull.itemsize) {
            equal = 0;
            goto result;
        }
    }
    if (vv->ndim == 0) {
        if (c.ch) {
            equal = same_format_eq(vv->buf, wfull.buf, c.ch, c.size);
        } else {
            equal = pmi_struct_items_equal(c.vfmt, vv->buf, c.wfmt, wfull.buf);
        }
    } else {
        equal = cmp_rec(&c, vv->buf, wfull.buf, vv->ndim, vv->shape, vv->strides, vv->suboffsets,
                        wfull.strides, wfull.suboffsets);
    }
result:
    if (ww) pm_buffer_release(rt, ww);
    return pm_bool_from(op == PM_EQ ? equal : !equal);
}

/* ---- attributes ----------------------------------------------------------------- */

static pm_object *ssize_tuple(pm_runtime *rt, int n, const pm_ssize_t *vals) {
    if (!vals) n = 0;
    pm_object *items[PM_BUF_MAX_NDIM] = {0};
    int made = 0;
    pm_object *t = NULL;
    for (; made < n; made++) {
        items[made] = pm_int_from_ssize(rt, vals[made]);
        if (!items[made]) goto done;
    }
    t = pm_tuple_from_array(rt, items, n);
done:
    for (int i = 0; i < made; i++) pm_decref(rt, items[i]);
    return t;
}

pm_object *pm_memoryview_attr(pm_runtime *rt, pm_object *mv, const char *name) {
    if (!mv || !pm_memoryview_check(mv)) return pmi_err_badarg(rt, "pm_memoryview_attr");
    pmi_memoryview *m = MV(mv);
    const pm_buffer *v = &m->view;
    static const char *const names[] = {"obj", "nbytes", "readonly", "itemsize", "format", "ndim",
                                        "shape", "strides", "suboffsets", "c_contiguous",
                                        "f_contiguous", "contiguous"};
    int which = -1;
    for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
        if (strcmp(name, names[i]) == 0) which = i;
    if (which < 0) {
        pm_err_format(rt, PM_EXC_AttributeError, "'memoryview' object has no attribute '%s'", name);
        return NULL;
    }
    if (check_released(rt, m) < 0) return NULL;
    switch (which) {
    case 0: return pm_newref(rt, v->obj ? v->obj : PM_NONE);
    case 1: return pm_int_from_ssize(rt, v->len);
    case 2: return pm_bool_from(v->readonly);
    case 3: return pm_int_from_ssize(rt, v->itemsize);
    case 4: return pm_str_from_cstr(rt, v->format);
    case 5: return pm_int_from_long(rt, v->ndim);
    case 6: return ssize_tuple(rt, v->ndim, v->shape);
    case 7: return ssize_tuple(rt, v->ndim, v->strides);
    case 8: return ssize_tuple(rt, v->ndim, v->suboffsets);
    case 9: return pm_bool_from(C_CONTIG(m->flags) != 0);
    case 10: return pm_bool_from(F_CONTIG(m->flags) != 0);
    default: return pm_bool_from(ANY_CONTIG(m->flags) != 0);
    }
}

/* ---- iteration ------------------------------------------------------------------ */

typedef struct pmi_memoryiter {
    pm_object ob_base;          /* refcount + type */
    pm_ssize_t index;           /* next item */
    pm_ssize_t length;          /* items when the iterator was made */
    pm_object *seq;             /* NEW ref to the view; NULL once exhausted */
    char ch;                    /* the item format */
} pmi_memoryiter;

static const pm_type memoryiter_type;

static pm_object *memory_iter(pm_runtime *rt, pm_object *self) {
    pmi_memoryview *mv = MV(self);
    /* CPython checks the dimensions before the released state */
    if (mv->view.ndim == 0) {
        pm_err_set(rt, PM_EXC_TypeError, "invalid indexing of 0-dim memory");
        return NULL;
    }
    if (mv->view.ndim != 1) {
        pm_err_set(rt, PM_EXC_NotImplementedError, "multi-dimensional sub-views are not implemented");
        return NULL;
    }
    char ch;
    if (check_released(rt, mv) < 0 || item_char(rt, &mv->view, &ch) < 0) return NULL;
    pmi_memoryiter *it = (pmi_memoryiter *)pmi_gc_new(rt, &memoryiter_type);
    if (!it) return NULL;
    it->ch = ch;
    it->length = mv->view.shape[0];
    it->seq = pm_newref(rt, self);
    pmi_gc_track(rt, (pm_object *)it);
    return (pm_object *)it;
}

static pm_object *memoryiter_next(pm_runtime *rt, pm_object *self) {
    pmi_memoryiter *it = (pmi_memoryiter *)self;
    if (!it->seq) return NULL;
    pmi_memoryview *mv = MV(it->seq);
    if (it->index < it->length) {
        if (check_released(rt, mv) < 0) return NULL;
        const pm_buffer *v = &mv->view;
        char *p = (char *)v->buf + v->strides[0] * it->index++;
        if (v->suboffsets && v->suboffsets[0] >= 0) p = *(char **)p + v->suboffsets[0];
        return pmi_mv_unpack(rt, p, it->ch);
    }
    PM_CLEAR(rt, it->seq);
    return NULL;
}

static void memoryiter_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, ((pmi_memoryiter *)self)->seq);
    pmi_object_free(rt, self);
}

static int memoryiter_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_memoryiter *it = (pmi_memoryiter *)self;
    return it->seq ? visit(it->seq, arg) : 0;
}

static const pm_type memoryiter_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "memory_iterator",
    .basicsize = sizeof(pmi_memoryiter),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = memoryiter_dealloc,
    .traverse = memoryiter_traverse,
    .iter = pmi_self_iter,
    .iternext = memoryiter_next,
};

/* m[key] = v, or del m[key] when v is NULL (mp_ass_subscript). */
static int memoryview_ass_subscript(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *v) {
    return v ? memory_ass_sub(rt, self, key, v) : memory_delitem(rt, self, key);
}

/* m[i] as a sequence (sq_item: reversed(m), the sequence protocol);
 * negative i already made positive by the caller. */
static pm_object *memory_sq_item(pm_runtime *rt, pm_object *self, pm_ssize_t i) {
    return memory_item(rt, MV(self), i);
}

static const pm_sequence_methods memoryview_as_sequence = {
    .sq_length = memory_length,
    .sq_item = memory_sq_item,
};

static const pm_mapping_methods memoryview_as_mapping = {
    .mp_length = memory_length,
    .mp_subscript = memory_subscript,
    .mp_ass_subscript = memoryview_ass_subscript,
};

const pm_type pm_memoryview_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "memoryview",
    .basicsize = offsetof(pmi_memoryview, ob_array),
    .itemsize = sizeof(pm_ssize_t),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .weaklistoffset = offsetof(pmi_memoryview, weakreflist),
    .base = &pm_object_type,
    .dealloc = memory_dealloc,
    .traverse = memory_traverse,
    .clear = memory_clear,
    .getbuffer = memory_getbuf,
    .releasebuffer = memory_releasebuf,
    .repr = memory_repr,
    .hash = memory_hash,
    .richcompare = memory_richcompare,
    .methods = pmi_memoryview_methods,  /* objects/mvmethods.c; attributes by the generic lookup */
    .getset = pmi_memoryview_getset,
    .iter = memory_iter,
    .as_sequence = &memoryview_as_sequence,
    .as_mapping = &memoryview_as_mapping,
    .new_object = pmi_memoryview_tp_new,
};
