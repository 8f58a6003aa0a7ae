/*
 * str.c — the str type: PEP 393 compact strings with CPython 3.11's layout.
 *
 * A str is one block: a header and then the code points, stored in the
 * narrowest of four forms (chosen from the largest code point):
 *
 *   ASCII (max < 0x80)      pmi_ascii (48) | 1 byte/char | NUL     '' = 49
 *   latin-1 (max < 0x100)   pmi_compact (72) | 1 byte/char | NUL    'é' = 74
 *   UCS-2 (max < 0x10000)   pmi_compact (72) | 2 bytes/char | NUL   '€' = 76
 *   UCS-4                   pmi_compact (72) | 4 bytes/char | NUL   '😀' = 80
 *
 * For ASCII strings the data is also the UTF-8 form; for the others the UTF-8
 * form is made on demand (pm_str_as_utf8) and cached in pmi_compact.utf8,
 * counted by getsizeof as CPython does.  The hash is computed once, with the
 * runtime's SipHash key over the raw data bytes (so hash('abc') ==
 * hash(b'abc') as in CPython), and cached in the header.
 *
 * Invariants: strings are immutable once returned; the kind is the
 * narrowest possible (so equal strings have equal kinds and data); hash is
 * -1 or the final hash; an interned string is in rt's intern table
 * (intern.c) and leaves it in str_dealloc.
 *
 * Also here: pmi_sb, the UTF-8 builder every repr is written with.
 */
#include "scalar.h"
#include "core/exc.h"
#include "descr.h"
#include "unicode_printable.h"
#include "objects/typenew.h"
#include "objects/subvalue.h"
#include "objects/containers.h"

#include <stdarg.h>
#include <stdio.h>

/* ------------------------------------------------------------------------ */
/* Allocation                                                                */
/* ------------------------------------------------------------------------ */

pm_object *pmi_str_new(pm_runtime *rt, pm_ssize_t n, uint32_t maxchar) {
    int ascii = maxchar < 0x80;
    int kind = maxchar < 0x100 ? 1 : maxchar < 0x10000 ? 2 : 4;
    size_t header = ascii ? sizeof(pmi_ascii) : sizeof(pmi_compact);
    if (n < 0 || (size_t)n > (SIZE_MAX / 2 - header) / (size_t)kind - 1)
        return pm_err_nomem(rt);
    if (n == 0) return pmi_str_empty(rt);   /* every '' is one object (singletons.c) */
    pm_object *o = pmi_object_alloc_size(rt, &pm_str_type, header + ((size_t)n + 1) * (size_t)kind);
    if (!o) return NULL;
    pmi_ascii *a = PMI_STR(o);
    a->length = n;
    a->hash = -1;
    memset(&a->state, 0, sizeof a->state);
    a->state.kind = (unsigned)kind;
    a->state.compact = 1;
    a->state.ascii = (unsigned)ascii;
    a->state.ready = 1;
    a->wstr = NULL;
    if (!ascii) {
        pmi_compact *c = (pmi_compact *)o;
        c->utf8_length = 0;
        c->utf8 = NULL;
        c->wstr_length = 0;
    }
    pmi_str_write(kind, pmi_str_data(o), n, 0);
    return o;
}

pm_object *pmi_str_from_ascii(pm_runtime *rt, const char *s, pm_ssize_t n) {
    if (n == 1) return pmi_str_latin1(rt, (unsigned char)s[0]);
    pm_object *o = pmi_str_new(rt, n, 0x7f);
    if (o) memcpy(pmi_str_data(o), s, (size_t)n);
    return o;
}

/* Decode one UTF-8 sequence at p (n bytes available).  Returns its length
 * and stores the code point, or returns -1 and stores the error reason. */
static int utf8_decode1(const unsigned char *p, pm_ssize_t n, uint32_t *cp, const char **why,
                        pm_ssize_t *bad_end) {
    unsigned c = p[0];
    int len;
    uint32_t v, min;
    *bad_end = 1;
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; min = 0x10000; }
    else { *why = "invalid start byte"; return -1; }
    for (int i = 1; i < len; i++) {
        if (i >= n) { *why = "unexpected end of data"; *bad_end = n; return -1; }
        unsigned cc = p[i];
        /* the second byte's valid range is narrower for E0, ED, F0, F4 */
        unsigned lo = 0x80, hi = 0xBF;
        if (i == 1) {
            if (c == 0xE0) lo = 0xA0;
            else if (c == 0xED) hi = 0x9F;
            else if (c == 0xF0) lo = 0x90;
            else if (c == 0xF4) hi = 0x8F;
        }
        if (cc < lo || cc > hi) { *why = "invalid continuation byte"; *bad_end = i; return -1; }
        v = (v << 6) | (cc & 0x3F);
    }
    (void)min;
    *cp = v;
    return len;
}

/* Decode UTF-8 into a new str (a one-character result is NOT replaced by
 * the shared one: pmi_sb_finish's callers, int repr above all, build fresh
 * strings in CPython). */
static pm_object *str_decode_utf8(pm_runtime *rt, const char *s, pm_ssize_t len) {
    if (!s) return pmi_err_badarg(rt, "pm_str_from_utf8");
    if (len < 0) len = (pm_ssize_t)strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    /* pass 1: validate, count, find the widest code point */
    pm_ssize_t n = 0;
    uint32_t maxchar = 0;
    for (pm_ssize_t i = 0; i < len;) {
        if (p[i] < 0x80) { i++; n++; continue; }
        uint32_t cp;
        const char *why = NULL;
        pm_ssize_t bad_end;
        int k = utf8_decode1(p + i, len - i, &cp, &why, &bad_end);
        if (k < 0) {
            pmi_err_unicode_decode(rt, "utf-8", p, len, i, i + bad_end, why);
            return NULL;
        }
        if (cp > maxchar) maxchar = cp;
        i += k;
        n++;
    }
    pm_object *o = pmi_str_new(rt, n, maxchar);
    if (!o) return NULL;
    int kind = PMI_STR(o)->state.kind;
    void *data = pmi_str_data(o);
    if (n == len) {
        memcpy(data, s, (size_t)len);
        return o;
    }
    pm_ssize_t j = 0;
    for (pm_ssize_t i = 0; i < len;) {
        uint32_t cp;
        const char *why;
        pm_ssize_t bad_end;
        i += utf8_decode1(p + i, len - i, &cp, &why, &bad_end);
        pmi_str_write(kind, data, j++, cp);
    }
    return o;
}

pm_object *pm_str_from_utf8(pm_runtime *rt, const char *s, pm_ssize_t len) {
    if (s && len < 0) len = (pm_ssize_t)strlen(s);
    if (s && len == 1 && (unsigned char)s[0] < 0x80) return pmi_str_latin1(rt, (unsigned char)s[0]);
    return pmi_str_result(rt, str_decode_utf8(rt, s, len));
}

pm_object *pm_str_from_cstr(pm_runtime *rt, const char *s) {
    return pm_str_from_utf8(rt, s, -1);
}

pm_object *pm_str_from_format(pm_runtime *rt, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "bad format string");
        return NULL;
    }
    if ((size_t)n < sizeof small) return pm_str_from_utf8(rt, small, n);
    char *buf = pm_malloc(rt, (size_t)n + 1);
    if (!buf) return pm_err_nomem(rt);
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    pm_object *r = pm_str_from_utf8(rt, buf, n);
    pm_free(rt, buf);
    return r;
}

pm_object *pm_str_from_ucs4(pm_runtime *rt, const uint32_t *cps, pm_ssize_t n) {
    if (n == 1 && cps[0] < 256) return pmi_str_latin1(rt, cps[0]);   /* chr(c): shared */
    uint32_t maxchar = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        if (cps[i] >= 0x110000) {
            pm_err_set(rt, PM_EXC_ValueError, "chr() arg not in range(0x110000)");
            return NULL;
        }
        if (cps[i] > maxchar) maxchar = cps[i];
    }
    pm_object *o = pmi_str_new(rt, n, maxchar);
    if (!o) return NULL;
    int kind = PMI_STR(o)->state.kind;
    void *data = pmi_str_data(o);
    for (pm_ssize_t i = 0; i < n; i++) pmi_str_write(kind, data, i, cps[i]);
    return pmi_str_result(rt, o);
}

/* ------------------------------------------------------------------------ */
/* Access                                                                    */
/* ------------------------------------------------------------------------ */

pm_ssize_t pm_str_length(const pm_object *s) { return PMI_STR(s)->length; }
int pm_str_kind(const pm_object *s) { return (int)PMI_STR(s)->state.kind; }
uint32_t pm_str_read_char(const pm_object *s, pm_ssize_t i) {
    return pmi_str_read(pm_str_kind(s), pmi_str_data(s), i);
}

static uint32_t str_maxchar(const pm_object *s) {
    const pmi_ascii *a = PMI_STR(s);
    if (a->state.ascii) return 0x7f;
    if (a->state.kind == 1) return 0xff;
    if (a->state.kind == 2) return 0xffff;
    return 0x10ffff;
}

/* The widest of n code points stored `kind` bytes each at d. */
static uint32_t str_span_max(int kind, const void *d, pm_ssize_t n) {
    uint32_t m = 0;
    if (kind == 1)
        for (pm_ssize_t i = 0; i < n; i++) m = ((const uint8_t *)d)[i] > m ? ((const uint8_t *)d)[i] : m;
    else if (kind == 2)
        for (pm_ssize_t i = 0; i < n; i++) m = ((const uint16_t *)d)[i] > m ? ((const uint16_t *)d)[i] : m;
    else
        for (pm_ssize_t i = 0; i < n; i++) m = ((const uint32_t *)d)[i] > m ? ((const uint32_t *)d)[i] : m;
    return m;
}

/* Copy src[from:from+n] to dst[at:at+n]; dst's kind is at least wide
 * enough for those code points (it may be narrower than src's). */
static void str_copy_into(pm_object *dst, pm_ssize_t at, const pm_object *src, pm_ssize_t from, pm_ssize_t n) {
    int kd = PMI_STR(dst)->state.kind, ks = PMI_STR(src)->state.kind;
    char *d = (char *)pmi_str_data(dst) + at * kd;
    const char *sp = (const char *)pmi_str_data(src) + from * ks;
    if (kd == ks) {
        memcpy(d, sp, (size_t)n * (size_t)kd);
        return;
    }
    for (pm_ssize_t i = 0; i < n; i++) pmi_str_write(kd, d, i, pmi_str_read(ks, sp, i));
}

pm_object *pm_str_getitem(pm_runtime *rt, pm_object *s, pm_ssize_t i) {
    pm_ssize_t n = PMI_STR(s)->length;
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
        pm_err_set(rt, PM_EXC_IndexError, "string index out of range");
        return NULL;
    }
    uint32_t c = pm_str_read_char(s, i);
    if (c < 256) return pmi_str_latin1(rt, c);
    return pm_str_from_ucs4(rt, &c, 1);
}

pm_object *pm_str_concat(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!pm_str_check(a) || !pm_str_check(b)) {
        pmi_err_type(rt, "can only concatenate str (not \"%s\") to str", pm_str_check(a) ? b : a);
        return NULL;
    }
    pm_ssize_t na = PMI_STR(a)->length, nb = PMI_STR(b)->length;
    /* '' + s is s itself, as CPython's unicode_concat */
    if (a == pmi_str_empty(rt) && b->ob_type == &pm_str_type) return pm_newref(rt, b);
    if (b == pmi_str_empty(rt) && a->ob_type == &pm_str_type) return pm_newref(rt, a);
    if (na > PTRDIFF_MAX / 8 - nb) return pm_err_nomem(rt);
    uint32_t ma = str_maxchar(a), mb = str_maxchar(b);
    pm_object *o = pmi_str_new(rt, na + nb, ma > mb ? ma : mb);
    if (!o) return NULL;
    str_copy_into(o, 0, a, 0, na);
    str_copy_into(o, na, b, 0, nb);
    return o;
}

int pmi_str_eq(const pm_object *a, const pm_object *b) {
    if (a == b) return 1;
    const pmi_ascii *x = PMI_STR(a), *y = PMI_STR(b);
    if (x->length != y->length || x->state.kind != y->state.kind) return 0;
    if (x->hash != -1 && y->hash != -1 && x->hash != y->hash) return 0;
    return memcmp(pmi_str_data(a), pmi_str_data(b), (size_t)x->length * x->state.kind) == 0;
}

int pm_str_compare(const pm_object *a, const pm_object *b) {
    pm_ssize_t na = PMI_STR(a)->length, nb = PMI_STR(b)->length;
    pm_ssize_t n = na < nb ? na : nb;
    int ka = pm_str_kind(a), kb = pm_str_kind(b);
    const void *da = pmi_str_data(a), *db = pmi_str_data(b);
    if (ka == 1 && kb == 1) {
        int c = memcmp(da, db, (size_t)n);
        if (c) return c < 0 ? -1 : 1;
    } else {
        for (pm_ssize_t i = 0; i < n; i++) {
            uint32_t x = pmi_str_read(ka, da, i), y = pmi_str_read(kb, db, i);
            if (x != y) return x < y ? -1 : 1;
        }
    }
    return na < nb ? -1 : na > nb;
}

int pm_str_equal_cstr(const pm_object *s, const char *ascii) {
    size_t n = strlen(ascii);
    const pmi_ascii *a = PMI_STR(s);
    return a->state.ascii && (size_t)a->length == n && memcmp(pmi_str_data(s), ascii, n) == 0;
}

/* Encode code point c as UTF-8 into out (4 bytes); returns the length. */
static int utf8_encode1(uint32_t c, char *out) {
    if (c < 0x80) { out[0] = (char)c; return 1; }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

const char *pm_str_as_utf8(pm_runtime *rt, pm_object *s, pm_ssize_t *len) {
    pmi_ascii *a = PMI_STR(s);
    if (a->state.ascii) {
        if (len) *len = a->length;
        return (const char *)pmi_str_data(s);
    }
    pmi_compact *c = (pmi_compact *)s;
    if (!c->utf8) {
        int kind = a->state.kind;
        const void *d = pmi_str_data(s);
        size_t n = 0;
        for (pm_ssize_t i = 0; i < a->length; i++) {
            uint32_t ch = pmi_str_read(kind, d, i);
            if (ch >= 0xD800 && ch <= 0xDFFF) {   /* strict UTF-8 has no surrogates */
                pmi_err_unicode(rt, PM_EXC_UnicodeEncodeError, "utf-8", s, i, i + 1, "surrogates not allowed");
                return NULL;
            }
            n += ch < 0x80 ? 1 : ch < 0x800 ? 2 : ch < 0x10000 ? 3 : 4;
        }
        char *u = pm_malloc(rt, n + 1);
        if (!u) return pm_err_nomem(rt);
        size_t j = 0;
        for (pm_ssize_t i = 0; i < a->length; i++) j += (size_t)utf8_encode1(pmi_str_read(kind, d, i), u + j);
        u[j] = 0;
        c->utf8 = u;
        c->utf8_length = (pm_ssize_t)j;
    }
    if (len) *len = c->utf8_length;
    return c->utf8;
}

pm_hash_t pmi_str_hash(pm_runtime *rt, pm_object *s) {
    pmi_ascii *a = PMI_STR(s);
    if (a->hash == -1) {
        pm_hash_t h = pmi_hash_bytes(rt, pmi_str_data(s), (size_t)a->length * a->state.kind);
        a->hash = h == -1 ? -2 : h;
    }
    return a->hash;
}

/* s[start:stop:step] with already-adjusted indices (n items). */
static pm_object *str_take(pm_runtime *rt, pm_object *s, pm_ssize_t start, pm_ssize_t step, pm_ssize_t n) {
    int kind = pm_str_kind(s);
    const void *d = pmi_str_data(s);
    if (step == 1) {    /* a substring: the widest code point decides the kind */
        uint32_t m = PMI_STR(s)->state.ascii ? 0x7f : str_span_max(kind, (const char *)d + start * kind, n);
        pm_object *o = pmi_str_new(rt, n, m);
        if (o) str_copy_into(o, 0, s, start, n);
        return o;
    }
    uint32_t maxchar = 0;
    /* Item i is start + i * step, formed for i < n only (in range), so a
     * huge step never overflows an index. */
    for (pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = pmi_str_read(kind, d, start + i * step);
        if (c > maxchar) maxchar = c;
    }
    pm_object *o = pmi_str_new(rt, n, maxchar);   /* narrowest kind again */
    if (!o) return NULL;
    int k = pm_str_kind(o);
    void *od = pmi_str_data(o);
    for (pm_ssize_t i = 0; i < n; i++) pmi_str_write(k, od, i, pmi_str_read(kind, d, start + i * step));
    return o;
}

/* s[start:stop:step] for values as pm_slice_unpack gives them (step != 0,
 * -step representable): here INTPTR_MIN is a clamped bound, not "None". */
static pm_object *str_slice_unpacked(pm_runtime *rt, pm_object *s, pm_ssize_t start,
                                     pm_ssize_t stop, pm_ssize_t step) {
    pm_ssize_t n = pm_slice_adjust_indices(PMI_STR(s)->length, &start, &stop, step);
    if (n == PMI_STR(s)->length && step == 1 && s->ob_type == &pm_str_type) return pm_newref(rt, s);
    /* a substring of one latin-1 character is the shared one; a step slice
     * is built fresh (CPython's unicode_subscript) */
    if (step == 1) return pmi_str_result(rt, str_take(rt, s, start, step, n));
    return str_take(rt, s, start, step, n);
}

pm_object *pm_str_slice(pm_runtime *rt, pm_object *s, pm_ssize_t start, pm_ssize_t stop, pm_ssize_t step) {
    if (step == PM_SLICE_NONE) step = 1;    /* s[::None] is s[::1] */
    if (step == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "slice step cannot be zero");
        return NULL;
    }
    if (start == PM_SLICE_NONE) start = step < 0 ? PTRDIFF_MAX : 0;
    if (stop == PM_SLICE_NONE) stop = step < 0 ? PTRDIFF_MIN : PTRDIFF_MAX;
    return str_slice_unpacked(rt, s, start, stop, step);
}

pm_object *pm_str_repeat(pm_runtime *rt, pm_object *s, pm_ssize_t count) {
    pm_ssize_t n = PMI_STR(s)->length;
    if (count < 0) count = 0;
    if (count == 1 && s->ob_type == &pm_str_type) return pm_newref(rt, s);
    /* '' * 10**18 is '' at once (CPython: no copy loop for an empty result). */
    if (n == 0 || count == 0) return pmi_str_empty(rt);
    if (count > PTRDIFF_MAX / 8 / n) {
        pm_err_set(rt, PM_EXC_OverflowError, "repeated string is too long");
        return NULL;
    }
    pm_object *o = pmi_str_new(rt, n * count, str_maxchar(s));
    if (!o) return NULL;
    size_t bytes = (size_t)n * (size_t)pm_str_kind(s);
    for (pm_ssize_t i = 0; i < count; i++) memcpy((char *)pmi_str_data(o) + (size_t)i * bytes, pmi_str_data(s), bytes);
    return o;
}

/* sep.join(items[0..n)) for borrowed items: NEW ref or NULL (TypeError
 * for an item that is not a str, MemoryError). */
static pm_object *str_join_items(pm_runtime *rt, pm_object *sep, pm_object *const *items, pm_ssize_t n) {
    pm_ssize_t total = 0, nsep = PMI_STR(sep)->length;
    uint32_t maxchar = n > 0 ? str_maxchar(sep) : 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        if (!pm_str_check(items[i])) {
            pm_err_format(rt, PM_EXC_TypeError, "sequence item %ld: expected str instance, %s found",
                          (long)i, items[i]->ob_type->name);
            return NULL;
        }
        if (PMI_STR(items[i])->length > PTRDIFF_MAX / 8 - total) return pm_err_nomem(rt);
        total += PMI_STR(items[i])->length;
        uint32_t m = str_maxchar(items[i]);
        if (m > maxchar) maxchar = m;
    }
    if (n > 0 && nsep > 0 && n - 1 > (PTRDIFF_MAX / 8 - total) / nsep) return pm_err_nomem(rt);
    if (n > 0) total += nsep * (n - 1);
    if (n == 1 && items[0]->ob_type == &pm_str_type) return pm_newref(rt, items[0]);   /* as CPython */
    pm_object *result = pmi_str_new(rt, total, maxchar);
    if (!result) return NULL;
    pm_ssize_t pos = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        if (i > 0 && nsep) {
            str_copy_into(result, pos, sep, 0, nsep);
            pos += nsep;
        }
        str_copy_into(result, pos, items[i], 0, PMI_STR(items[i])->length);
        pos += PMI_STR(items[i])->length;
    }
    return result;
}

pm_object *pm_str_join(pm_runtime *rt, pm_object *sep, pm_object *iterable) {
    /* an exact list or tuple is read in place (CPython's PySequence_Fast):
     * nothing below runs Python code, so the items stay put */
    if (iterable->ob_type == &pm_list_type)
        return str_join_items(rt, sep, PMI_LIST(iterable)->ob_item, pm_list_size(iterable));
    if (iterable->ob_type == &pm_tuple_type)
        return str_join_items(rt, sep, PMI_TUPLE(iterable)->ob_item, pm_tuple_size(iterable));
    pm_object *it = pm_iter(rt, iterable);
    if (!it) return NULL;
    /* first into a temporary array of owned items */
    pm_object **items = NULL;
    pm_ssize_t n = 0, cap = 0;
    pm_object *item, *result = NULL;
    while ((item = pm_iter_next(rt, it)) != NULL) {
        if (!pm_str_check(item)) {
            pm_err_format(rt, PM_EXC_TypeError, "sequence item %ld: expected str instance, %s found",
                          (long)n, item->ob_type->name);
            pm_decref(rt, item);
            goto done;
        }
        if (n == cap) {
            pm_ssize_t ncap = cap ? cap * 2 : 8;
            pm_object **ni = pm_realloc(rt, items, (size_t)ncap * sizeof *ni);
            if (!ni) {
                pm_decref(rt, item);
                pm_err_nomem(rt);
                goto done;
            }
            items = ni;
            cap = ncap;
        }
        items[n++] = item;
    }
    if (!pm_err_occurred(rt)) result = str_join_items(rt, sep, items, n);
done:
    for (pm_ssize_t i = 0; i < n; i++) pm_decref(rt, items[i]);
    pm_free(rt, items);
    pm_decref(rt, it);
    return result;
}

/* ------------------------------------------------------------------------ */
/* repr: CPython's unicode_repr quoting and escaping                         */
/* ------------------------------------------------------------------------ */

static int is_printable(uint32_t c) {
    if (c < 0x80) return c >= 0x20 && c != 0x7f;
    size_t lo = 0, hi = sizeof pmi_nonprintable_ranges / sizeof pmi_nonprintable_ranges[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < pmi_nonprintable_ranges[mid][0]) hi = mid;
        else if (c > pmi_nonprintable_ranges[mid][1]) lo = mid + 1;
        else return 0;
    }
    return 1;
}

static void str_repr_into(pm_runtime *rt, pmi_sb *sb, pm_object *s) {
    pm_ssize_t n = PMI_STR(s)->length;
    int kind = pm_str_kind(s);
    const void *d = pmi_str_data(s);
    int squote = 0, dquote = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = pmi_str_read(kind, d, i);
        if (c == '\'') squote = 1;
        else if (c == '"') dquote = 1;
    }
    char quote = (squote && !dquote) ? '"' : '\'';
    char buf[16];
    pmi_sb_putn(rt, sb, &quote, 1);
    for (pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = pmi_str_read(kind, d, i);
        if (c == (uint32_t)quote || c == '\\') {
            buf[0] = '\\';
            buf[1] = (char)c;
            pmi_sb_putn(rt, sb, buf, 2);
        } else if (c == '\t') pmi_sb_putn(rt, sb, "\\t", 2);
        else if (c == '\n') pmi_sb_putn(rt, sb, "\\n", 2);
        else if (c == '\r') pmi_sb_putn(rt, sb, "\\r", 2);
        else if (is_printable(c)) pmi_sb_putn(rt, sb, buf, (size_t)utf8_encode1(c, buf));
        else if (c <= 0xff) pmi_sb_printf(rt, sb, "\\x%02x", (unsigned)c);
        else if (c <= 0xffff) pmi_sb_printf(rt, sb, "\\u%04x", (unsigned)c);
        else pmi_sb_printf(rt, sb, "\\U%08x", (unsigned)c);
    }
    pmi_sb_putn(rt, sb, &quote, 1);
}

static pm_object *str_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    str_repr_into(rt, &sb, self);
    return pmi_sb_finish(rt, &sb);
}

/* str(s): s itself, or an exact copy of a class's instance. */
static pm_object *str_str(pm_runtime *rt, pm_object *self) {
    return self->ob_type == &pm_str_type ? pm_newref(rt, self) : pmi_subvalue_str_exact(rt, self);
}

/* ------------------------------------------------------------------------ */
/* Type hooks                                                                */
/* ------------------------------------------------------------------------ */

static void str_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_ascii *a = PMI_STR(self);
    if (a->state.interned) pmi_intern_remove(rt, self);
    if (!a->state.ascii && ((pmi_compact *)self)->utf8) pm_free(rt, ((pmi_compact *)self)->utf8);
    pmi_object_free(rt, self);
}

static size_t str_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    const pmi_ascii *a = PMI_STR(self);
    if (a->state.ascii) return sizeof(pmi_ascii) + (size_t)a->length + 1;
    size_t size = sizeof(pmi_compact) + ((size_t)a->length + 1) * a->state.kind;
    const pmi_compact *c = (const pmi_compact *)self;
    if (c->utf8 && !pm_is_immortal(self)) size += (size_t)c->utf8_length + 1; /* singletons: inline */
    return size;
}

static pm_hash_t str_hash(pm_runtime *rt, pm_object *self) { return pmi_str_hash(rt, self); }

static pm_object *str_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    (void)rt;
    if (!pm_str_check(b)) return PM_NOTIMPLEMENTED;
    if (op == PM_EQ || op == PM_NE) return pm_bool_from(pmi_str_eq(a, b) == (op == PM_EQ));
    return pmi_richcompare_result(pm_str_compare(a, b), op);
}

static pm_ssize_t str_length(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return PMI_STR(self)->length;
}

static pm_object *str_getitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    if (pm_slice_check(key)) {
        pm_ssize_t start, stop, step;
        if (pm_slice_unpack(rt, key, &start, &stop, &step) < 0) return NULL;
        return str_slice_unpacked(rt, self, start, stop, step);
    }
    if (!pmi_has_index(key))
        return pmi_err_type(rt, "string indices must be integers, not '%s'", key);
    pm_ssize_t i = pm_index_as_ssize(rt, key, PM_INDEX_INDEXERROR);
    if (i == -1 && pm_err_occurred(rt)) {
        if (pm_err_matches(rt, PM_EXC_OverflowError))
            pm_err_set(rt, PM_EXC_IndexError, "cannot fit 'int' into an index-sized integer");
        return NULL;
    }
    return pm_str_getitem(rt, self, i);
}

/* `key in s`: substring search. */
static int str_contains(pm_runtime *rt, pm_object *self, pm_object *key) {
    if (!pm_str_check(key)) {
        pmi_err_type(rt, "'in <string>' requires string as left operand, not %s", key);
        return -1;
    }
    pm_ssize_t n = PMI_STR(self)->length, m = PMI_STR(key)->length;
    int ks = pm_str_kind(self), kk = pm_str_kind(key);
    const void *ds = pmi_str_data(self), *dk = pmi_str_data(key);
    for (pm_ssize_t i = 0; i + m <= n; i++) {
        pm_ssize_t j = 0;
        while (j < m && pmi_str_read(ks, ds, i + j) == pmi_str_read(kk, dk, j)) j++;
        if (j == m) return 1;
    }
    return 0;
}

static const pm_sequence_methods str_as_sequence = {
    .sq_length = str_length,
    .sq_concat = pm_str_concat,
    .sq_repeat = pmi_str_sq_repeat,
    .sq_item = pmi_str_sq_item,
    .sq_contains = str_contains,
};

static const pm_mapping_methods str_as_mapping = {
    .mp_length = str_length,
    .mp_subscript = str_getitem,
};

const pm_type pm_str_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "str",
    .basicsize = sizeof(pmi_ascii),
    .itemsize = 0,
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLE | PM_TPFLAGS_STR_SUBCLASS,
    .base = &pm_object_type,
    .dealloc = str_dealloc,
    .size_of = str_size_of,
    .repr = str_repr,
    .str = str_str,
    .hash = str_hash,
    .richcompare = str_richcompare,
    .as_number = &pmi_str_as_number,
    .as_sequence = &str_as_sequence,
    .as_mapping = &str_as_mapping,
    .methods = pmi_str_methods,
    .new_object = pmi_str_tp_new,
};

/* ------------------------------------------------------------------------ */
/* pmi_sb: the UTF-8 builder                                                 */
/* ------------------------------------------------------------------------ */

void pmi_sb_init(pmi_sb *sb) {
    sb->buf = sb->small;
    sb->len = 0;
    sb->cap = sizeof sb->small;
    sb->failed = 0;
}

static int sb_reserve(pm_runtime *rt, pmi_sb *sb, size_t extra) {
    if (sb->failed) return -1;
    if (sb->len + extra + 1 <= sb->cap) return 0;
    size_t cap = sb->cap;
    while (cap < sb->len + extra + 1) {
        if (cap > SIZE_MAX / 4) { sb->failed = 1; pm_err_nomem(rt); return -1; }
        cap *= 2;
    }
    char *nb;
    if (sb->buf == sb->small) {
        nb = pm_malloc(rt, cap);
        if (nb) memcpy(nb, sb->small, sb->len);
    } else {
        nb = pm_realloc(rt, sb->buf, cap);
    }
    if (!nb) {
        sb->failed = 1;
        pm_err_nomem(rt);
        return -1;
    }
    sb->buf = nb;
    sb->cap = cap;
    return 0;
}

void pmi_sb_putn(pm_runtime *rt, pmi_sb *sb, const char *s, size_t n) {
    if (sb_reserve(rt, sb, n) < 0) return;
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
}

void pmi_sb_puts(pm_runtime *rt, pmi_sb *sb, const char *s) { pmi_sb_putn(rt, sb, s, strlen(s)); }

void pmi_sb_printf(pm_runtime *rt, pmi_sb *sb, const char *fmt, ...) {
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        pmi_sb_putn(rt, sb, tmp, (size_t)n);
        return;
    }
    if (sb_reserve(rt, sb, (size_t)n) < 0) return;
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void pmi_sb_put_str(pm_runtime *rt, pmi_sb *sb, pm_object *str) {
    if (sb->failed) return;
    pm_ssize_t n;
    const char *u = pm_str_as_utf8(rt, str, &n);
    if (!u) {
        sb->failed = 1;
        return;
    }
    pmi_sb_putn(rt, sb, u, (size_t)n);
}

void pmi_sb_put_repr(pm_runtime *rt, pmi_sb *sb, pm_object *o) {
    if (sb->failed) return;
    if (pm_str_check(o)) {  /* fast path, no temporary */
        str_repr_into(rt, sb, o);
        return;
    }
    pm_object *r = pm_repr(rt, o);
    if (!r) {
        sb->failed = 1;
        return;
    }
    pmi_sb_put_str(rt, sb, r);
    pm_decref(rt, r);
}

void pmi_sb_discard(pm_runtime *rt, pmi_sb *sb) {
    if (sb->buf != sb->small) pm_free(rt, sb->buf);
    sb->buf = sb->small;
    sb->len = 0;
}

pm_object *pmi_sb_finish(pm_runtime *rt, pmi_sb *sb) {
    pm_object *s = NULL;
    if (!sb->failed) s = str_decode_utf8(rt, sb->buf, (pm_ssize_t)sb->len);
    pmi_sb_discard(rt, sb);
    return s;
}
