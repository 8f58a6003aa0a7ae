/*
 * memoryview_pack.c — items of a memoryview <-> objects, for every native
 * single-character struct format (c b B ? h H i I l L q Q n N f d e P, an
 * optional '@' in front), with CPython 3.11's conversions and errors.
 *
 *   format  C type (LP64)     unpacks to   packs from
 *   ------  ----------------  -----------  -------------------------------
 *   b h i l signed 1/2/4/8    int          int (bool ok); range-checked
 *   B H I L unsigned 1/2/4/8  int          int >= 0; range-checked
 *   q Q n N 8-byte ints       int          int; range-checked
 *   P       void *            int >= 0     int in [-2**63, 2**64)
 *   f d     float / double    float        float or int (int -> float)
 *   e       IEEE binary16     float        float or int; may overflow
 *   ?       _Bool             bool         anything (truth value)
 *   c       char              bytes len 1  bytes of length 1
 *
 * Errors on packing are CPython's "fix_error_int" rewrite: a wrong type is
 * TypeError "memoryview: invalid type for format 'B'", an out-of-range or
 * unrepresentable value is ValueError "memoryview: invalid value for
 * format 'B'" (the '@' is not shown).  Nothing is written on failure.
 *
 * Comparisons between views of different formats (or of formats that are
 * not native single characters) follow CPython, which unpacks both items
 * with the struct module and compares the results with ==: a walker over
 * struct formats (byte order, repeat counts, padding, alignment, codes
 * x c b B ? h H i I l L q Q n N e f d s p P) yields each item's values,
 * compared with Python's == (1 == 1.0 == True; nan != nan; bytes only
 * equal bytes), the same number of values on both sides.
 *
 * Half floats: pmi_half_pack/unpack follow CPython's PyFloat_Pack2 /
 * PyFloat_Unpack2 (round half to even, subnormals, OverflowError
 * "float too large to pack with e format"), little-endian in memory on
 * little-endian machines (native order).
 */
#include "scalar.h"
#include "objects/buffer.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>

/* ---- ints ------------------------------------------------------------------- */

/* |o| of an int object into *mag with its sign; -1 when |o| >= 2**64. */
static int int_mag(const pm_object *o, int *neg, uint64_t *mag) {
    const pmi_int *v = (const pmi_int *)o;
    pm_ssize_t n = pmi_int_ndigits(o);
    uint64_t m = 0;
    for (pm_ssize_t i = n - 1; i >= 0; i--) {
        if (m >> (64 - PMI_SHIFT)) return -1;
        m = (m << PMI_SHIFT) | v->ob_digit[i];
    }
    *neg = v->ob_base.ob_size < 0;
    *mag = m;
    return 0;
}

static int type_error(pm_runtime *rt, char ch) {
    pm_err_format(rt, PM_EXC_TypeError, "memoryview: invalid type for format '%c'", ch);
    return -1;
}

static int value_error(pm_runtime *rt, char ch) {
    pm_err_format(rt, PM_EXC_ValueError, "memoryview: invalid value for format '%c'", ch);
    return -1;
}

/* A failed conversion of an item as CPython's fix_error reports it: a
 * TypeError becomes "invalid type", an OverflowError or ValueError
 * "invalid value"; any other error (raised by __index__ itself) stays. */
static int fix_error(pm_runtime *rt, char ch) {
    if (pm_err_matches(rt, PM_EXC_TypeError)) {
        pm_err_clear(rt);
        return type_error(rt, ch);
    }
    if (pm_err_matches(rt, PM_EXC_OverflowError) || pm_err_matches(rt, PM_EXC_ValueError)) {
        pm_err_clear(rt);
        return value_error(rt, ch);
    }
    return -1;
}

static int get_signed(pm_runtime *rt, pm_object *item, char ch, int64_t lo, int64_t hi, int64_t *out);
static int get_unsigned(pm_runtime *rt, pm_object *item, char ch, uint64_t hi, uint64_t *out);

/* An item that is not an int, through its __index__ (which may run any
 * Python code): the int it gives is converted as an int item. */
static int get_via_index(pm_runtime *rt, pm_object *item, char ch, int is_signed, int64_t lo,
                         uint64_t hi, int64_t *sout, uint64_t *uout) {
    if (!pmi_has_index(item)) return type_error(rt, ch);
    pm_object *i = pm_index(rt, item);
    if (!i) return fix_error(rt, ch);
    int r = is_signed ? get_signed(rt, i, ch, lo, (int64_t)hi, sout) : get_unsigned(rt, i, ch, hi, uout);
    pm_decref(rt, i);
    return r;
}

/* The value of an int item as a signed 64-bit number in [lo, hi]. */
static int get_signed(pm_runtime *rt, pm_object *item, char ch, int64_t lo, int64_t hi, int64_t *out) {
    int neg;
    uint64_t mag;
    if (!pm_int_check(item)) return get_via_index(rt, item, ch, 1, lo, (uint64_t)hi, out, NULL);
    if (int_mag(item, &neg, &mag) < 0) return value_error(rt, ch);
    int64_t v;
    if (neg) {
        if (mag > (uint64_t)INT64_MAX + 1) return value_error(rt, ch);
        v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
    } else {
        if (mag > (uint64_t)INT64_MAX) return value_error(rt, ch);
        v = (int64_t)mag;
    }
    if (v < lo || v > hi) return value_error(rt, ch);
    *out = v;
    return 0;
}

static int get_unsigned(pm_runtime *rt, pm_object *item, char ch, uint64_t hi, uint64_t *out) {
    int neg;
    uint64_t mag;
    if (!pm_int_check(item)) return get_via_index(rt, item, ch, 0, 0, hi, NULL, out);
    if (int_mag(item, &neg, &mag) < 0 || (neg && mag) || mag > hi) return value_error(rt, ch);
    *out = mag;
    return 0;
}

/* PyFloat_AsDouble: floats, ints, then __float__, then __index__;
 * anything else is a type error. */
static int get_double(pm_runtime *rt, pm_object *item, char ch, double *out) {
    if (pm_float_check(item)) {
        *out = pm_float_value(item);
        return 0;
    }
    const pm_number_methods *nb = item->ob_type->as_number;
    if (!pm_int_check(item) && nb && nb->nb_float) {
        pm_object *f = nb->nb_float(rt, item);
        if (!f) return fix_error(rt, ch);
        if (!pm_float_check(f)) {
            pm_err_format(rt, PM_EXC_TypeError, "%.50s.__float__ returned non-float (type %.50s)",
                          item->ob_type->name, f->ob_type->name);
            pm_decref(rt, f);
            return fix_error(rt, ch);
        }
        *out = pm_float_value(f);
        pm_decref(rt, f);
        return 0;
    }
    pm_object *idx = NULL;
    if (!pm_int_check(item)) {
        if (!pmi_has_index(item)) return type_error(rt, ch);
        idx = pm_index(rt, item);
        if (!idx) return fix_error(rt, ch);
        item = idx;
    }
    double d = pm_int_as_double(rt, item);
    pm_xdecref(rt, idx);
    if (d == -1.0 && pm_err_occurred(rt)) {
        pm_err_clear(rt);                   /* OverflowError -> ValueError */
        return value_error(rt, ch);
    }
    *out = d;
    return 0;
}

/* (float)d as IEEE round-to-nearest does it, without C's undefined
 * behaviour for doubles outside float's range. */
static float double_to_float(double d) {
    if (isfinite(d) && fabs(d) > FLT_MAX) {
        /* half an ulp above FLT_MAX (2**103) and more rounds to infinity */
        double lim = (double)FLT_MAX + ldexp(1.0, 103);
        float r = fabs(d) >= lim ? INFINITY : FLT_MAX;
        return d < 0 ? -r : r;
    }
    return (float)d;
}

/* ---- half floats --------------------------------------------------------------- */

int pmi_half_pack(pm_runtime *rt, double x, unsigned char *p) {
    int sign, e;
    unsigned short bits;
    if (x == 0.0) {
        sign = signbit(x) != 0;
        e = 0;
        bits = 0;
    } else if (isinf(x)) {
        sign = x < 0.0;
        e = 0x1f;
        bits = 0;
    } else if (isnan(x)) {
        sign = signbit(x) != 0;
        e = 0x1f;
        bits = 512;                         /* a quiet NaN */
    } else {
        sign = x < 0.0;
        if (sign) x = -x;
        double f = frexp(x, &e);            /* 0.5 <= f < 1 */
        f *= 2.0;                           /* 1 <= f < 2 */
        e--;
        if (e >= 16) goto overflow;
        if (e < -25) {                      /* below half the smallest subnormal */
            f = 0.0;
            e = 0;
        } else if (e < -14) {               /* subnormal */
            f = ldexp(f, 14 + e);
            e = 0;
        } else {                            /* normal: drop the implicit 1 */
            e += 15;
            f -= 1.0;
        }
        f *= 1024.0;
        bits = (unsigned short)f;           /* truncates */
        double rest = f - bits;
        if (rest > 0.5 || (rest == 0.5 && (bits & 1))) {
            if (++bits == 1024) {           /* the carry goes into the exponent */
                bits = 0;
                if (++e == 31) goto overflow;
            }
        }
    }
    bits = (unsigned short)(bits | (e << 10) | (sign << 15));
    memcpy(p, &bits, 2);                    /* native byte order */
    return 0;
overflow:
    pm_err_set(rt, PM_EXC_OverflowError, "float too large to pack with e format");
    return -1;
}

double pmi_half_unpack(const unsigned char *p) {
    unsigned short h;
    memcpy(&h, p, 2);
    int sign = h >> 15, e = (h >> 10) & 0x1f;
    unsigned f = h & 0x3ff;
    if (e == 0x1f) {
        if (f == 0) return sign ? -INFINITY : INFINITY;
        return sign ? -NAN : NAN;
    }
    double x = (double)f / 1024.0;
    if (e == 0) {
        e = -14;
    } else {
        x += 1.0;
        e -= 15;
    }
    x = ldexp(x, e);
    return sign ? -x : x;
}

/* ---- unpack / pack ---------------------------------------------------------- */


pm_object *pmi_mv_unpack(pm_runtime *rt, const char *p, char ch) {
    switch (ch) {
    case 'B': return pm_int_from_long(rt, *(const unsigned char *)p);
    case 'b': return pm_int_from_long(rt, *(const signed char *)p);
    case 'h': { short x; memcpy(&x, p, sizeof x); return pm_int_from_long(rt, x); }
    case 'i': { int x; memcpy(&x, p, sizeof x); return pm_int_from_long(rt, x); }
    case 'l': { long x; memcpy(&x, p, sizeof x); return pm_int_from_long(rt, x); }
    case 'H': { unsigned short x; memcpy(&x, p, sizeof x); return pm_int_from_long(rt, x); }
    case 'I': { unsigned int x; memcpy(&x, p, sizeof x); return pm_int_from_ulonglong(rt, x); }
    case 'L': { unsigned long x; memcpy(&x, p, sizeof x); return pm_int_from_ulonglong(rt, x); }
    case 'q': { long long x; memcpy(&x, p, sizeof x); return pm_int_from_longlong(rt, x); }
    case 'Q': { unsigned long long x; memcpy(&x, p, sizeof x); return pm_int_from_ulonglong(rt, x); }
    case 'n': { pm_ssize_t x; memcpy(&x, p, sizeof x); return pm_int_from_ssize(rt, x); }
    case 'N': { size_t x; memcpy(&x, p, sizeof x); return pm_int_from_ulonglong(rt, x); }
    case 'P': { uintptr_t x; memcpy(&x, p, sizeof x); return pm_int_from_ulonglong(rt, x); }
    case 'f': { float x; memcpy(&x, p, sizeof x); return pm_float_new(rt, x); }
    case 'd': { double x; memcpy(&x, p, sizeof x); return pm_float_new(rt, x); }
    case 'e': return pm_float_new(rt, pmi_half_unpack((const unsigned char *)p));
    case '?': return pm_bool_from(*(const unsigned char *)p != 0);
    case 'c': return pm_bytes_new(rt, p, 1);
    default:
        pm_err_format(rt, PM_EXC_NotImplementedError, "memoryview: format %c not supported", ch);
        return NULL;
    }
}

int pmi_mv_pack(pm_runtime *rt, char *p, pm_object *item, char ch) {
    int64_t s;
    uint64_t u;
    double d;
    switch (ch) {
    case 'b':
        if (get_signed(rt, item, ch, SCHAR_MIN, SCHAR_MAX, &s) < 0) return -1;
        *(signed char *)p = (signed char)s;
        return 0;
    case 'h': {
        if (get_signed(rt, item, ch, SHRT_MIN, SHRT_MAX, &s) < 0) return -1;
        short x = (short)s;
        memcpy(p, &x, sizeof x);
        return 0;
    }
    case 'i': {
        if (get_signed(rt, item, ch, INT_MIN, INT_MAX, &s) < 0) return -1;
        int x = (int)s;
        memcpy(p, &x, sizeof x);
        return 0;
    }
    case 'l': {
        if (get_signed(rt, item, ch, LONG_MIN, LONG_MAX, &s) < 0) return -1;
        long x = (long)s;
        memcpy(p, &x, sizeof x);
        return 0;
    }
    case 'q': case 'n': {
        if (get_signed(rt, item, ch, INT64_MIN, INT64_MAX, &s) < 0) return -1;
        memcpy(p, &s, 8);
        return 0;
    }
    case 'B':
        if (get_unsigned(rt, item, ch, UCHAR_MAX, &u) < 0) return -1;
        *(unsigned char *)p = (unsigned char)u;
        return 0;
    case 'H': {
        if (get_unsigned(rt, item, ch, USHRT_MAX, &u) < 0) return -1;
        unsigned short x = (unsigned short)u;
        memcpy(p, &x, sizeof x);
        return 0;
    }
    case 'I': {
        if (get_unsigned(rt, item, ch, UINT_MAX, &u) < 0) return -1;
        unsigned int x = (unsigned int)u;
        memcpy(p, &x, sizeof x);
        return 0;
    }
    case 'L': case 'Q': case 'N':
        if (get_unsigned(rt, item, ch, UINT64_MAX, &u) < 0) return -1;
        memcpy(p, &u, 8);
        return 0;
    case 'P': {
        /* PyLong_AsVoidPtr: negative values as a C long, others unsigned */
        int neg;
        if (!pm_int_check(item)) return type_error(rt, ch);
        if (int_mag(item, &neg, &u) < 0 || (neg && u > (uint64_t)INT64_MAX + 1))
            return value_error(rt, ch);
        if (neg) u = (uint64_t)0 - u;
        uintptr_t x = (uintptr_t)u;
        memcpy(p, &x, sizeof x);
        return 0;
    }
    case 'f': {
        if (get_double(rt, item, ch, &d) < 0) return -1;
        float x = double_to_float(d);
        memcpy(p, &x, sizeof x);
        return 0;
    }
    case 'd':
        if (get_double(rt, item, ch, &d) < 0) return -1;
        memcpy(p, &d, sizeof d);
        return 0;
    case 'e':
        if (get_double(rt, item, ch, &d) < 0) return -1;
        if (pmi_half_pack(rt, d, (unsigned char *)p) < 0) {
            pm_err_clear(rt);
            return value_error(rt, ch);
        }
        return 0;
    case '?': {
        int t = pm_is_true(rt, item);
        if (t < 0) return -1;               /* keeps the original error */
        *(unsigned char *)p = (unsigned char)t;
        return 0;
    }
    case 'c':
        if (!pm_bytes_check(item)) return type_error(rt, ch);
        if (pm_bytes_size(item) != 1) return value_error(rt, ch);
        *p = pm_bytes_data(item)[0];
        return 0;
    default:
        pm_err_format(rt, PM_EXC_NotImplementedError, "memoryview: format %c not supported", ch);
        return -1;
    }
}

/* ---- struct-format items, for comparisons ------------------------------------ */
/*
 * A walker over a struct-module format (the subset a buffer item can carry):
 * an optional byte order '@' (native sizes and alignment, the default) or
 * '=' '<' '>' '!' (standard sizes, no alignment), then codes with optional
 * repeat counts: x c b B ? h H i I l L q Q n N e f d s p P ('n', 'N', 'P'
 * native only).  Each value it yields is decoded as struct.unpack would,
 * so that comparing two items compares the tuples struct would return.
 */

typedef struct value {
    int kind;                   /* 0 int, 1 float, 2 bytes */
    int neg;                    /* int: negative */
    uint64_t mag;               /* int: |value| */
    double d;                   /* float */
    const unsigned char *b;     /* bytes: data (inside the item) */
    pm_ssize_t blen;            /* bytes: length */
} value;

typedef struct walker {
    const char *pos;            /* next unparsed character */
    int native;                 /* '@': native sizes and alignment */
    int swap;                   /* bytes stored opposite to this machine's order */
    char code;                  /* current code */
    pm_ssize_t left;            /* values left in the current code */
    pm_ssize_t count;           /* its repeat count (s, p: the length) */
    pm_ssize_t offset;          /* byte offset of the next field */
} walker;

static int little_endian(void) {
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

/* Size of a code in the walker's mode; -1 when not allowed. */
static pm_ssize_t code_size(const walker *w, char c) {
    switch (c) {
    case 'x': case 'c': case 'b': case 'B': case '?': case 's': case 'p': return 1;
    case 'h': case 'H': return w->native ? (pm_ssize_t)sizeof(short) : 2;
    case 'i': case 'I': return w->native ? (pm_ssize_t)sizeof(int) : 4;
    case 'l': case 'L': return w->native ? (pm_ssize_t)sizeof(long) : 4;
    case 'q': case 'Q': return 8;
    case 'e': return 2;
    case 'f': return 4;
    case 'd': return 8;
    case 'n': case 'N': return w->native ? (pm_ssize_t)sizeof(pm_ssize_t) : -1;
    case 'P': return w->native ? (pm_ssize_t)sizeof(void *) : -1;
    default: return -1;
    }
}

static void walk_init(walker *w, const char *fmt) {
    memset(w, 0, sizeof *w);
    if (!fmt) fmt = "B";
    w->native = 1;
    if (*fmt && strchr("@=<>!", *fmt)) {
        char o = *fmt++;
        w->native = o == '@';
        w->swap = (o == '<' && !little_endian()) || ((o == '>' || o == '!') && little_endian());
    }
    w->pos = fmt;
}

/* Move to the next code that yields values.  1: ready; 0: end; -1: bad. */
static int walk_code(walker *w) {
    while (w->left == 0) {
        while (*w->pos == ' ' || *w->pos == '\t' || *w->pos == '\n' || *w->pos == '\r') w->pos++;
        if (*w->pos == '\0') return 0;
        pm_ssize_t count = 1;
        if (*w->pos >= '0' && *w->pos <= '9') {
            count = 0;
            while (*w->pos >= '0' && *w->pos <= '9') {
                if (count > (INTPTR_MAX - 9) / 10) return -1;
                count = count * 10 + (*w->pos++ - '0');
            }
        }
        char c = *w->pos++;
        pm_ssize_t size = code_size(w, c);
        if (size < 0) return -1;
        if (w->native && size > 1) w->offset = (w->offset + size - 1) / size * size;   /* align */
        w->code = c;
        w->count = count;
        if (c == 'x') {
            w->offset += count;
        } else if (c == 's' || c == 'p') {
            w->left = 1;
        } else {
            w->left = count;
        }
    }
    return 1;
}

/* Total size of one item (struct.calcsize), or -1. */
static pm_ssize_t walk_size(const char *fmt) {
    walker w;
    walk_init(&w, fmt);
    for (;;) {
        int r = walk_code(&w);
        if (r < 0) return -1;
        if (r == 0) return w.offset;
        pm_ssize_t size = w.code == 's' || w.code == 'p' ? w.count : code_size(&w, w.code);
        w.offset += w.code == 's' || w.code == 'p' ? size : size * w.left;
        w.left = 0;
    }
}

/* The next value of the item at p.  1: *out filled; 0: no more; -1: bad. */
static int walk_value(walker *w, const char *p, value *out) {
    int r = walk_code(w);
    if (r <= 0) return r;
    const unsigned char *f = (const unsigned char *)p + w->offset;
    memset(out, 0, sizeof *out);
    w->left--;
    if (w->code == 's' || w->code == 'p') {
        out->kind = 2;
        if (w->code == 's') {
            out->b = f;
            out->blen = w->count;
        } else {                            /* Pascal string: a length byte first */
            pm_ssize_t n = w->count > 0 ? f[0] : 0;
            if (n >= w->count) n = w->count > 0 ? w->count - 1 : 0;
            out->b = f + 1;
            out->blen = n;
        }
        w->offset += w->count;
        return 1;
    }
    pm_ssize_t n = code_size(w, w->code);
    w->offset += n;
    unsigned char b[8];
    for (pm_ssize_t i = 0; i < n; i++) b[i] = f[w->swap ? n - 1 - i : i];
    uint64_t raw = 0;
    if (little_endian()) {
        for (pm_ssize_t i = n - 1; i >= 0; i--) raw = (raw << 8) | b[i];
    } else {
        for (pm_ssize_t i = 0; i < n; i++) raw = (raw << 8) | b[i];
    }
    switch (w->code) {
    case 'c':
        out->kind = 2;
        out->b = f;
        out->blen = 1;
        return 1;
    case '?':
        out->mag = raw != 0;
        return 1;
    case 'f': { float x; memcpy(&x, b, 4); out->kind = 1; out->d = x; return 1; }
    case 'd': { double x; memcpy(&x, b, 8); out->kind = 1; out->d = x; return 1; }
    case 'e': out->kind = 1; out->d = pmi_half_unpack(b); return 1;
    case 'b': case 'h': case 'i': case 'l': case 'q': case 'n': {
        int bits = (int)n * 8;
        int64_t v = bits == 64 ? (int64_t)raw
                               : (int64_t)(raw ^ ((uint64_t)1 << (bits - 1))) - ((int64_t)1 << (bits - 1));
        out->neg = v < 0;
        out->mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        return 1;
    }
    default:                                /* unsigned and P */
        out->mag = raw;
        return 1;
    }
}

/* Python's == between two unpacked values. */
static int value_eq(const value *a, const value *b) {
    if (a->kind == 2 || b->kind == 2)
        return a->kind == b->kind && a->blen == b->blen && memcmp(a->b, b->b, (size_t)a->blen) == 0;
    if (a->kind == 1 && b->kind == 1) return a->d == b->d;
    if (a->kind == 0 && b->kind == 0) return a->neg == b->neg && a->mag == b->mag;
    const value *i = a->kind == 0 ? a : b, *f = a->kind == 0 ? b : a;
    double d = f->d;
    if (!isfinite(d) || d != floor(d) || fabs(d) >= 18446744073709551616.0) return 0;
    uint64_t m = (uint64_t)fabs(d);
    if (m == 0) return i->mag == 0;
    return i->neg == (d < 0) && i->mag == m;
}

pm_ssize_t pmi_struct_size(const char *fmt) { return walk_size(fmt); }

int pmi_struct_items_equal(const char *pf, const char *p, const char *qf, const char *q) {
    walker wp, wq;
    walk_init(&wp, pf);
    walk_init(&wq, qf);
    for (;;) {
        value a, b;
        int ra = walk_value(&wp, p, &a), rb = walk_value(&wq, q, &b);
        if (ra < 0 || rb < 0 || ra != rb) return 0;     /* bad format, or counts differ */
        if (ra == 0) return 1;
        if (!value_eq(&a, &b)) return 0;
    }
}
