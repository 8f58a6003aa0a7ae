/*
 * bytearray.c — mutable byte arrays (CPython 3.11's PyByteArrayObject).
 *
 *   pmi_bytearray (56 bytes)               separate buffer (pm_malloc)
 *   +---------+---------+---------+        +------------------+-----+-------+
 *   | refcnt  | type    | ob_size |  ----> | ob_size bytes    | NUL | spare |
 *   | ob_alloc| ob_bytes| ob_start|        +------------------+-----+-------+
 *   | ob_exports        |                  |<------------- ob_alloc -------->|
 *   +-------------------+
 *   getsizeof = 56 + ob_alloc:  bytearray() = 56, bytearray(b'abc') = 60
 *
 * Growth follows PyByteArray_Resize: a moderate upsize (to at most 1/8 over
 * the allocation) over-allocates like a list (n + n/8 + (n < 9 ? 3 : 6));
 * a large upsize allocates exactly n + 1; shrinking below half the
 * allocation reallocates to n + 1, smaller shrinks keep the buffer.
 *
 * Exports: while a buffer of the bytearray is exported (ob_exports > 0,
 * maintained by the buffer protocol through pmi_bytearray_export/unexport)
 * the buffer must not move, so every resize fails with BufferError
 * "Existing exports of data: object cannot be re-sized".
 */
#include "scalar.h"
#include "objects/descr.h"
#include "objects/typenew.h"

#include <stdio.h>

#define BA(o) ((pmi_bytearray *)(o))

pm_object *pm_bytearray_new(pm_runtime *rt, const void *data, pm_ssize_t len) {
    if (len < 0) {
        pm_err_set(rt, PM_EXC_SystemError, "Negative size passed to pm_bytearray_new");
        return NULL;
    }
    pm_object *o = pmi_object_new(rt, &pm_bytearray_type);
    if (!o) return NULL;
    if (len > 0) {
        char *buf = pm_malloc(rt, (size_t)len + 1);
        if (!buf) {
            pmi_object_free(rt, o);
            return pm_err_nomem(rt);
        }
        if (data) memcpy(buf, data, (size_t)len);
        else memset(buf, 0, (size_t)len);
        buf[len] = 0;
        BA(o)->ob_bytes = BA(o)->ob_start = buf;
        BA(o)->ob_alloc = len + 1;
        BA(o)->ob_base.ob_size = len;
    }
    return o;
}

char *pm_bytearray_data(pm_object *ba) {
    static const char empty[1] = {0};
    return BA(ba)->ob_start ? BA(ba)->ob_start : (char *)(uintptr_t)empty;
}
pm_ssize_t pm_bytearray_size(const pm_object *ba) { return BA(ba)->ob_base.ob_size; }
pm_ssize_t pm_bytearray_exports(const pm_object *ba) { return BA(ba)->ob_exports; }
void pmi_bytearray_export(pm_object *ba) { BA(ba)->ob_exports++; }
void pmi_bytearray_unexport(pm_object *ba) { BA(ba)->ob_exports--; }

int pm_bytearray_resize(pm_runtime *rt, pm_object *ba, pm_ssize_t size) {
    pmi_bytearray *b = BA(ba);
    if (size < 0) {
        pm_err_set(rt, PM_EXC_SystemError, "Negative size passed to pm_bytearray_resize");
        return -1;
    }
    if (size == b->ob_base.ob_size) return 0;
    if (b->ob_exports > 0) {
        pm_err_set(rt, PM_EXC_BufferError, "Existing exports of data: object cannot be re-sized");
        return -1;
    }
    pm_ssize_t alloc = b->ob_alloc;
    if (size + 1 <= alloc) {
        if (size < alloc / 2) {
            alloc = size + 1;            /* major downsize: exact */
        } else {
            b->ob_base.ob_size = size;   /* minor downsize: keep the buffer */
            b->ob_start[size] = 0;
            return 0;
        }
    } else if ((double)size <= (double)alloc * 1.125) {
        alloc = size + (size >> 3) + (size < 9 ? 3 : 6);  /* moderate upsize */
    } else {
        alloc = size + 1;                /* major upsize: exact */
    }
    if (alloc > PTRDIFF_MAX / 2) {
        pm_err_nomem(rt);
        return -1;
    }
    char *buf = pm_realloc(rt, b->ob_bytes, (size_t)alloc);
    if (!buf) {
        pm_err_nomem(rt);
        return -1;
    }
    b->ob_bytes = b->ob_start = buf;
    b->ob_alloc = alloc;
    b->ob_base.ob_size = size;
    buf[size] = 0;
    return 0;
}

int pm_bytearray_append(pm_runtime *rt, pm_object *ba, int byte) {
    if (byte < 0 || byte > 255) {
        pm_err_set(rt, PM_EXC_ValueError, "byte must be in range(0, 256)");
        return -1;
    }
    pm_ssize_t n = pm_bytearray_size(ba);
    if (pm_bytearray_resize(rt, ba, n + 1) < 0) return -1;
    BA(ba)->ob_start[n] = (char)byte;
    return 0;
}

int pm_bytearray_extend(pm_runtime *rt, pm_object *ba, const void *data, pm_ssize_t len) {
    pm_ssize_t n = pm_bytearray_size(ba);
    if (len < 0 || n > PTRDIFF_MAX / 2 - len) {
        pm_err_nomem(rt);
        return -1;
    }
    if (len == 0) return 0;
    if (pm_bytearray_resize(rt, ba, n + len) < 0) return -1;
    memmove(BA(ba)->ob_start + n, data, (size_t)len);
    return 0;
}

static void bytearray_dealloc(pm_runtime *rt, pm_object *self) {
    pm_free(rt, BA(self)->ob_bytes);
    pmi_object_free(rt, self);
}

static size_t bytearray_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return sizeof(pmi_bytearray) + (size_t)BA(self)->ob_alloc;
}

static pm_object *bytearray_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "%s(", self->ob_type->name);     /* a class: its own name */
    pmi_bytes_repr_into(rt, &sb, (const unsigned char *)pm_bytearray_data(self), pm_bytearray_size(self), 1);
    pmi_sb_puts(rt, &sb, ")");
    return pmi_sb_finish(rt, &sb);
}

static pm_object *bytearray_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    (void)rt;
    const char *pb;
    pm_ssize_t nb;
    if (pm_bytearray_check(b)) {
        pb = pm_bytearray_data(b);
        nb = pm_bytearray_size(b);
    } else if (pm_bytes_check(b)) {
        pb = pm_bytes_data(b);
        nb = pm_bytes_size(b);
    } else {
        return PM_NOTIMPLEMENTED;
    }
    pm_ssize_t na = pm_bytearray_size(a);
    int c = memcmp(pm_bytearray_data(a), pb, (size_t)(na < nb ? na : nb));
    if (c == 0) c = na < nb ? -1 : na > nb;
    return pmi_richcompare_result(c, op);
}

static pm_ssize_t bytearray_length(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return pm_bytearray_size(self);
}

static int index_of(pm_runtime *rt, pm_object *self, pm_object *key, pm_ssize_t *out) {
    if (!pmi_has_index(key)) {
        pmi_err_type(rt, "bytearray indices must be integers or slices, not %s", key);
        return -1;
    }
    pm_ssize_t i = pm_index_as_ssize(rt, key, PM_INDEX_INDEXERROR), n = pm_bytearray_size(self);
    if (i == -1 && pm_err_occurred(rt)) {
        if (pm_err_matches(rt, PM_EXC_OverflowError))
            pm_err_set(rt, PM_EXC_IndexError, "cannot fit 'int' into an index-sized integer");
        return -1;
    }
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
        pm_err_set(rt, PM_EXC_IndexError, "bytearray index out of range");
        return -1;
    }
    *out = i;
    return 0;
}

static pm_object *bytearray_getitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    if (pm_slice_check(key)) {
        pm_ssize_t start, stop, step;
        if (pm_slice_unpack(rt, key, &start, &stop, &step) < 0) return NULL;
        pm_ssize_t n = pm_slice_adjust_indices(pm_bytearray_size(self), &start, &stop, step);
        pm_object *o = pm_bytearray_new(rt, NULL, n);
        if (o && n) pmi_bytes_take(pm_bytearray_data(o), pm_bytearray_data(self), start, step, n);
        return o;
    }
    pm_ssize_t i;
    if (index_of(rt, self, key, &i) < 0) return NULL;
    return pm_int_from_long(rt, (unsigned char)BA(self)->ob_start[i]);
}

static int bytearray_setitem(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *value) {
    pm_ssize_t i;
    if (index_of(rt, self, key, &i) < 0) return -1;
    if (!pm_int_check(value)) {
        pmi_err_type(rt, "'%s' object cannot be interpreted as an integer", value);
        return -1;
    }
    long v = pm_int_as_long(rt, value);
    if (v == -1 && pm_err_occurred(rt)) return -1;
    if (v < 0 || v > 255) {
        pm_err_set(rt, PM_EXC_ValueError, "byte must be in range(0, 256)");
        return -1;
    }
    BA(self)->ob_start[i] = (char)v;
    return 0;
}

static int bytearray_delitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    pm_ssize_t i;
    if (index_of(rt, self, key, &i) < 0) return -1;
    pm_ssize_t n = pm_bytearray_size(self);
    if (BA(self)->ob_exports > 0) {
        pm_err_set(rt, PM_EXC_BufferError, "Existing exports of data: object cannot be re-sized");
        return -1;
    }
    memmove(BA(self)->ob_start + i, BA(self)->ob_start + i + 1, (size_t)(n - i - 1));
    return pm_bytearray_resize(rt, self, n - 1);
}

/* m[key] = v, or del m[key] when v is NULL (mp_ass_subscript). */
static int bytearray_ass_subscript(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *v) {
    if (pm_slice_check(key)) return pmi_bytearray_ass_slice(rt, self, key, v);   /* bytesmethods.c */
    return v ? bytearray_setitem(rt, self, key, v) : bytearray_delitem(rt, self, key);
}

static const pm_sequence_methods bytearray_as_sequence = {
    .sq_length = bytearray_length,
    .sq_item = pmi_bytearray_sq_item,
};

static const pm_mapping_methods bytearray_as_mapping = {
    .mp_length = bytearray_length,
    .mp_subscript = bytearray_getitem,
    .mp_ass_subscript = bytearray_ass_subscript,
};

const pm_type pm_bytearray_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "bytearray",
    .basicsize = sizeof(pmi_bytearray),
    .itemsize = 0,
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .dealloc = bytearray_dealloc,
    .size_of = bytearray_size_of,
    .getbuffer = pmi_bytearray_getbuffer, .releasebuffer = pmi_bytearray_releasebuffer,
    .repr = bytearray_repr,
    .richcompare = bytearray_richcompare,
    .as_sequence = &bytearray_as_sequence,
    .as_mapping = &bytearray_as_mapping,
    .methods = pmi_bytearray_methods,   /* objects/bytesmethods.c */
    .new_object = pmi_bytearray_tp_new,
    .init = pmi_bytearray_tp_init,
};
