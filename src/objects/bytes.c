/*
 * bytes.c — immutable byte strings (CPython 3.11's PyBytesObject).
 *
 *   +-----------+---------+---------+----------+----------------+-----+
 *   | ob_refcnt | ob_type | ob_size | ob_shash | ob_size bytes  | NUL |
 *   +-----------+---------+---------+----------+----------------+-----+
 *   |<-------------- 32 bytes -------------->|       getsizeof = 33 + n
 *
 * One block per object; the trailing NUL lets the data be used as a C
 * string.  The hash is SipHash over the data with the runtime's key (equal
 * to hash() of the ASCII str with the same characters), cached in ob_shash.
 */
#include "scalar.h"
#include "objects/descr.h"
#include "objects/typenew.h"

#include <stdio.h>

#define B(o) ((pmi_bytes *)(o))

pm_object *pm_bytes_new(pm_runtime *rt, const void *data, pm_ssize_t len) {
    if (len < 0) {
        pm_err_set(rt, PM_EXC_SystemError, "Negative size passed to pm_bytes_new");
        return NULL;
    }
    if ((size_t)len > SIZE_MAX / 2 - PMI_BYTES_HEADER) return pm_err_nomem(rt);
    /* b'' and one byte given as data are shared objects (singletons.c), as
     * CPython's PyBytes_FromStringAndSize */
    if (len == 0) return pmi_bytes_empty(rt);
    if (len == 1 && data) return pmi_bytes_char(rt, *(const unsigned char *)data);
    pm_object *o = pmi_object_alloc_size(rt, &pm_bytes_type, PMI_BYTES_HEADER + (size_t)len);
    if (!o) return NULL;
    B(o)->ob_base.ob_size = len;
    B(o)->ob_shash = -1;
    if (data) memcpy(B(o)->ob_sval, data, (size_t)len);
    else memset(B(o)->ob_sval, 0, (size_t)len);
    B(o)->ob_sval[len] = 0;
    return o;
}

const char *pm_bytes_data(const pm_object *b) { return B(b)->ob_sval; }
pm_ssize_t pm_bytes_size(const pm_object *b) { return B(b)->ob_base.ob_size; }

pm_object *pm_bytes_concat(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!pm_bytes_check(a) || !pm_bytes_check(b)) {
        pm_err_format(rt, PM_EXC_TypeError, "can't concat %s to %s", b->ob_type->name, a->ob_type->name);
        return NULL;
    }
    pm_ssize_t na = pm_bytes_size(a), nb = pm_bytes_size(b);
    /* b'' + x is x itself, as CPython's bytes_concat */
    if (na == 0 && b->ob_type == &pm_bytes_type) return pm_newref(rt, b);
    if (nb == 0 && a->ob_type == &pm_bytes_type) return pm_newref(rt, a);
    if (na > PTRDIFF_MAX / 2 - nb) return pm_err_nomem(rt);
    pm_object *o = pm_bytes_new(rt, NULL, na + nb);
    if (!o) return NULL;
    memcpy(B(o)->ob_sval, B(a)->ob_sval, (size_t)na);
    memcpy(B(o)->ob_sval + na, B(b)->ob_sval, (size_t)nb);
    return o;
}

/* CPython's bytes repr: b'...' or b"..." (double quotes only when the data
 * has ' and no "), \t \n \r \\ escaped, other bytes outside 0x20..0x7e as \xhh.
 * bytearray's repr (bytearray_repr) differs in one point: it escapes every
 * single quote, even inside double quotes: pass escape_squote = 1. */
void pmi_bytes_repr_into(pm_runtime *rt, pmi_sb *sb, const unsigned char *p, pm_ssize_t n,
                         int escape_squote) {
    int squote = 0, dquote = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        if (p[i] == '\'') squote = 1;
        else if (p[i] == '"') dquote = 1;
    }
    char quote = (squote && !dquote) ? '"' : '\'';
    char buf[8];
    buf[0] = 'b';
    buf[1] = quote;
    pmi_sb_putn(rt, sb, buf, 2);
    for (pm_ssize_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c == (unsigned char)quote || c == '\\' || (escape_squote && c == '\'')) {
            buf[0] = '\\';
            buf[1] = (char)c;
            pmi_sb_putn(rt, sb, buf, 2);
        } else if (c == '\t') pmi_sb_putn(rt, sb, "\\t", 2);
        else if (c == '\n') pmi_sb_putn(rt, sb, "\\n", 2);
        else if (c == '\r') pmi_sb_putn(rt, sb, "\\r", 2);
        else if (c < 0x20 || c >= 0x7f) pmi_sb_printf(rt, sb, "\\x%02x", c);
        else {
            buf[0] = (char)c;
            pmi_sb_putn(rt, sb, buf, 1);
        }
    }
    pmi_sb_putn(rt, sb, &quote, 1);
}

static pm_object *bytes_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_bytes_repr_into(rt, &sb, (const unsigned char *)B(self)->ob_sval, pm_bytes_size(self), 0);
    return pmi_sb_finish(rt, &sb);
}

static pm_hash_t bytes_hash(pm_runtime *rt, pm_object *self) {
    if (B(self)->ob_shash == -1)
        B(self)->ob_shash = pmi_hash_bytes(rt, B(self)->ob_sval, (size_t)pm_bytes_size(self));
    return B(self)->ob_shash;
}

static pm_object *bytes_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    (void)rt;
    if (!pm_bytes_check(b)) return PM_NOTIMPLEMENTED;
    pm_ssize_t na = pm_bytes_size(a), nb = pm_bytes_size(b);
    int c = memcmp(B(a)->ob_sval, B(b)->ob_sval, (size_t)(na < nb ? na : nb));
    if (c == 0) c = na < nb ? -1 : na > nb;
    return pmi_richcompare_result(c, op);
}

static pm_ssize_t bytes_length(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return pm_bytes_size(self);
}

/* Gather n bytes from p starting at start, stepping by step (indices
 * already adjusted) into dst.  Byte i is p[start + i * step], computed for
 * i < n only, so a huge step never overflows an index. */
void pmi_bytes_take(char *dst, const char *p, pm_ssize_t start, pm_ssize_t step, pm_ssize_t n) {
    if (n <= 0) return;
    if (step == 1) memcpy(dst, p + start, (size_t)n);
    else for (pm_ssize_t i = 0; i < n; i++) dst[i] = p[start + i * step];
}

static pm_object *bytes_getitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    if (pm_slice_check(key)) {
        pm_ssize_t start, stop, step;
        if (pm_slice_unpack(rt, key, &start, &stop, &step) < 0) return NULL;
        pm_ssize_t n = pm_slice_adjust_indices(pm_bytes_size(self), &start, &stop, step);
        if (n == pm_bytes_size(self) && step == 1) return pm_newref(rt, self);
        if (step == 1) return pm_bytes_new(rt, B(self)->ob_sval + start, n);
        pm_object *o = pm_bytes_new(rt, NULL, n);
        if (o) pmi_bytes_take(B(o)->ob_sval, B(self)->ob_sval, start, step, n);
        return o;
    }
    if (!pmi_has_index(key)) return pmi_err_type(rt, "byte indices must be integers or slices, not %s", key);
    pm_ssize_t i = pm_index_as_ssize(rt, key, PM_INDEX_INDEXERROR), n = pm_bytes_size(self);
    if (i == -1 && pm_err_occurred(rt)) {
        if (pm_err_matches(rt, PM_EXC_OverflowError))
            pm_err_set(rt, PM_EXC_IndexError, "cannot fit 'int' into an index-sized integer");
        return NULL;
    }
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
        pm_err_set(rt, PM_EXC_IndexError, "index out of range");
        return NULL;
    }
    return pm_int_from_long(rt, (unsigned char)B(self)->ob_sval[i]);
}

static const pm_sequence_methods bytes_as_sequence = {
    .sq_length = bytes_length,
    .sq_concat = pm_bytes_concat,
    .sq_repeat = pmi_bytes_sq_repeat,
    .sq_item = pmi_bytes_sq_item,
};

static const pm_mapping_methods bytes_as_mapping = {
    .mp_length = bytes_length,
    .mp_subscript = bytes_getitem,
};

const pm_type pm_bytes_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "bytes",
    .basicsize = PMI_BYTES_HEADER,
    .itemsize = 1,
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLE | PM_TPFLAGS_BYTES_SUBCLASS,
    .base = &pm_object_type,
    .repr = bytes_repr,
    .hash = bytes_hash,
    .getbuffer = pmi_bytes_getbuffer,
    .richcompare = bytes_richcompare,
    .as_number = &pmi_bytes_as_number,
    .as_sequence = &bytes_as_sequence,
    .as_mapping = &bytes_as_mapping,
    .methods = pmi_bytes_methods,       /* objects/bytesmethods.c */
    .new_object = pmi_bytes_tp_new,
};
