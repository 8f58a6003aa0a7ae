/*
 * format.c — format(value, spec): the format-spec mini-language of CPython
 * 3.11 for int (and bool), float, complex and str, and object.__format__
 * for every other type.
 *
 *   [[fill]align][sign][z][#][0][width][,|_][.precision][type]
 *
 * A spec is parsed once into a pmi_fspec (parse_spec, with the type's default
 * presentation type and alignment: int 'd' '>', float none '>', str 's' '<'),
 * then the value is laid out as CPython's formatter does it:
 *
 *   numbers:  lpad | sign | prefix | spad | digits (grouped) | . | rest | rpad
 *             ^fill        0x 0b 0o  ^fill ^'0' padding with separators
 *                                           when fill is '0' and align '='
 *   strings:  lpad | text[:precision] | rpad
 *
 * "rest" is whatever follows the integral digits of a number: the fraction,
 * the exponent, a '%', or the whole text for inf/nan and for type 'c' (so
 * '0' padding of inf gives "0000000inf", as in CPython).  When the fill is
 * '0' with '=' alignment, the zeros are produced by the grouping step, which
 * puts separators between them too: format(1234, '010,') == '00,001,234'.
 *
 * Floats are turned into text by pmi_double_to_string, which follows
 * CPython's PyOS_double_to_string: the significant digits come from the C
 * library's correctly rounded printf ("%.*e" / "%.*f" are exact in glibc),
 * the shortest repr from pm_float_format_repr, and the layout rules ('g'
 * switching to exponent form, trailing zeros removed unless '#', ".0" kept
 * for the empty type, 'z' dropping the sign of a rounded zero) are applied
 * here.  The 'n' type uses the C locale: '.' and no grouping.
 *
 * Errors are CPython's, word for word ("Invalid format specifier '...' for
 * object of type 'int'", "Unknown format code 'x' for object of type
 * 'float'", ...).  No state outside the call: every buffer lives in the call
 * and is freed on every path.
 */
#include "format.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* pmi_ubuf                                                                  */
/* ------------------------------------------------------------------------ */

void pmi_ubuf_init(pmi_ubuf *b) {
    b->p = b->small;
    b->len = 0;
    b->cap = (pm_ssize_t)(sizeof b->small / sizeof b->small[0]);
    b->maxchar = 0;
}

int pmi_ubuf_reserve(pm_runtime *rt, pmi_ubuf *b, pm_ssize_t extra) {
    if (extra < 0 || extra > PTRDIFF_MAX / 8 - b->len) {
        pm_err_nomem(rt);
        return -1;
    }
    if (b->len + extra <= b->cap) return 0;
    pm_ssize_t cap = b->cap * 2;
    if (cap < b->len + extra) cap = b->len + extra;
    uint32_t *np;
    if (b->p == b->small) {
        np = pm_malloc(rt, (size_t)cap * sizeof(uint32_t));
        if (np) memcpy(np, b->small, (size_t)b->len * sizeof(uint32_t));
    } else {
        np = pm_realloc(rt, b->p, (size_t)cap * sizeof(uint32_t));
    }
    if (!np) {
        pm_err_nomem(rt);
        return -1;
    }
    b->p = np;
    b->cap = cap;
    return 0;
}

int pmi_ubuf_putc(pm_runtime *rt, pmi_ubuf *b, uint32_t c) {
    if (b->len == b->cap && pmi_ubuf_reserve(rt, b, 1) < 0) return -1;
    b->p[b->len++] = c;
    if (c > b->maxchar) b->maxchar = c;
    return 0;
}

int pmi_ubuf_fill(pm_runtime *rt, pmi_ubuf *b, uint32_t c, pm_ssize_t n) {
    if (n <= 0) return 0;
    if (pmi_ubuf_reserve(rt, b, n) < 0) return -1;
    for (pm_ssize_t i = 0; i < n; i++) b->p[b->len++] = c;
    if (c > b->maxchar) b->maxchar = c;
    return 0;
}

int pmi_ubuf_ascii(pm_runtime *rt, pmi_ubuf *b, const char *s, pm_ssize_t n) {
    if (pmi_ubuf_reserve(rt, b, n) < 0) return -1;
    for (pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = (unsigned char)s[i];
        b->p[b->len++] = c;
        if (c > b->maxchar) b->maxchar = c;
    }
    return 0;
}

int pmi_ubuf_raw(pm_runtime *rt, pmi_ubuf *b, int kind, const void *data, pm_ssize_t n) {
    if (n <= 0) return 0;
    if (n > b->cap - b->len && pmi_ubuf_reserve(rt, b, n) < 0) return -1;
    uint32_t *q = b->p + b->len, m = b->maxchar;
    /* one loop per kind, so that each is a plain widening copy */
    if (kind == 1) {
        const uint8_t *src = data;
        uint8_t bits = 0;
        for (pm_ssize_t i = 0; i < n; i++) {
            q[i] = src[i];
            bits |= src[i];
        }
        if (bits >= 0x80)
            for (pm_ssize_t i = 0; i < n; i++) m = src[i] > m ? src[i] : m;
    } else if (kind == 2) {
        const uint16_t *src = data;
        for (pm_ssize_t i = 0; i < n; i++) {
            q[i] = src[i];
            m = src[i] > m ? src[i] : m;
        }
    } else {
        const uint32_t *src = data;
        for (pm_ssize_t i = 0; i < n; i++) {
            q[i] = src[i];
            m = src[i] > m ? src[i] : m;
        }
    }
    b->len += n;
    b->maxchar = m;
    return 0;
}

int pmi_ubuf_substr(pm_runtime *rt, pmi_ubuf *b, pm_object *s, pm_ssize_t start, pm_ssize_t end) {
    if (end <= start) return 0;
    int kind = pm_str_kind(s);
    return pmi_ubuf_raw(rt, b, kind, (const char *)pmi_str_data(s) + start * kind, end - start);
}

void pmi_ubuf_discard(pm_runtime *rt, pmi_ubuf *b) {
    if (b->p != b->small) pm_free(rt, b->p);
    pmi_ubuf_init(b);
}

pm_object *pmi_ubuf_finish(pm_runtime *rt, pmi_ubuf *b) {
    uint32_t maxchar = b->maxchar < 0x80 ? 0x7f : b->maxchar;
    pm_object *s = pmi_str_new(rt, b->len, maxchar);
    if (s) {
        int kind = pm_str_kind(s);
        void *data = pmi_str_data(s);
        const uint32_t *p = b->p;
        pm_ssize_t n = b->len;
        if (kind == 1)
            for (pm_ssize_t i = 0; i < n; i++) ((uint8_t *)data)[i] = (uint8_t)p[i];
        else if (kind == 2)
            for (pm_ssize_t i = 0; i < n; i++) ((uint16_t *)data)[i] = (uint16_t)p[i];
        else
            memcpy(data, p, (size_t)n * sizeof(uint32_t));
    }
    pmi_ubuf_discard(rt, b);
    return s;
}

/* ------------------------------------------------------------------------ */
/* Parsing a spec                                                            */
/* ------------------------------------------------------------------------ */

/* The first code point of every run of ten decimal digits (Unicode 14.0,
 * general category Nd: CPython's Py_UNICODE_TODECIMAL), so that widths,
 * precisions and field numbers may be written in any script's digits as
 * python3 accepts them. */
static const uint32_t decimal_zeros[] = {
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6,
    0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0,
    0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80,
    0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900,
    0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066,
    0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0,
    0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0,
    0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0,
    0x1e950, 0x1fbf0,
};

int pmi_decimal_value(uint32_t c) {
    size_t lo = 0, hi = sizeof decimal_zeros / sizeof decimal_zeros[0];
    while (hi - lo > 1) {               /* last zero <= c */
        size_t mid = (lo + hi) / 2;
        if (decimal_zeros[mid] <= c) lo = mid;
        else hi = mid;
    }
    return c >= decimal_zeros[lo] && c - decimal_zeros[lo] < 10 ? (int)(c - decimal_zeros[lo]) : -1;
}

static int is_align(uint32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

/* Read decimal digits at *pos; -1 with ValueError on overflow, else the
 * number of digits read (the value goes to *out). */
static int read_int(pm_runtime *rt, pm_object *s, pm_ssize_t *pos, pm_ssize_t end, pm_ssize_t *out) {
    pm_ssize_t acc = 0;
    int n = 0;
    while (*pos < end) {
        int dv = pmi_decimal_value(pm_str_read_char(s, *pos));
        if (dv < 0) break;
        pm_ssize_t d = dv;
        if (acc > (PTRDIFF_MAX - d) / 10) {
            pm_err_set(rt, PM_EXC_ValueError, "Too many decimal digits in format string");
            return -1;
        }
        acc = acc * 10 + d;
        (*pos)++;
        n++;
    }
    *out = acc;
    return n;
}

static void err_unknown_code(pm_runtime *rt, uint32_t type, const char *tname) {
    if (type > 32 && type < 128)
        pm_err_format(rt, PM_EXC_ValueError, "Unknown format code '%c' for object of type '%.200s'",
                      (char)type, tname);
    else
        pm_err_format(rt, PM_EXC_ValueError,
                      "Unknown format code '\\x%x' for object of type '%.200s'", (unsigned)type, tname);
}

/* CPython's parse_internal_render_format_spec. */
static int parse_spec(pm_runtime *rt, pm_object *s, uint32_t default_type, uint32_t default_align,
                      const char *tname, pmi_fspec *f) {
    pm_ssize_t pos = 0, end = pm_str_length(s);
    int fill_given = 0, align_given = 0;
    f->fill = ' ';
    f->align = default_align;
    f->sign = 0;
    f->alternate = 0;
    f->no_neg_0 = 0;
    f->width = -1;
    f->sep = PMI_SEP_NONE;
    f->precision = -1;
    f->type = default_type;
#define AT(i) pm_str_read_char(s, (i))
    if (end - pos >= 2 && is_align(AT(pos + 1))) {
        f->fill = AT(pos);
        f->align = AT(pos + 1);
        fill_given = align_given = 1;
        pos += 2;
    } else if (end - pos >= 1 && is_align(AT(pos))) {
        f->align = AT(pos);
        align_given = 1;
        pos++;
    }
    if (end - pos >= 1 && (AT(pos) == '+' || AT(pos) == '-' || AT(pos) == ' ')) f->sign = AT(pos++);
    if (end - pos >= 1 && AT(pos) == 'z') {
        f->no_neg_0 = 1;
        pos++;
    }
    if (end - pos >= 1 && AT(pos) == '#') {
        f->alternate = 1;
        pos++;
    }
    if (!fill_given && end - pos >= 1 && AT(pos) == '0') {
        f->fill = '0';
        if (!align_given && default_align == '>') f->align = '=';
        pos++;
    }
    int n = read_int(rt, s, &pos, end, &f->width);
    if (n < 0) return -1;
    if (n == 0) f->width = -1;
    if (end - pos >= 1 && AT(pos) == ',') {
        f->sep = PMI_SEP_COMMA;
        pos++;
    }
    if (end - pos >= 1 && AT(pos) == '_') {
        if (f->sep != PMI_SEP_NONE) goto both_seps;
        f->sep = PMI_SEP_UNDER;
        pos++;
    }
    if (end - pos >= 1 && AT(pos) == ',' && f->sep == PMI_SEP_UNDER) goto both_seps;
    if (end - pos >= 1 && AT(pos) == '.') {
        pos++;
        n = read_int(rt, s, &pos, end, &f->precision);
        if (n < 0) return -1;
        if (n == 0) {
            pm_err_set(rt, PM_EXC_ValueError, "Format specifier missing precision");
            return -1;
        }
    }
    if (end - pos > 1) {
        const char *u = pm_str_as_utf8(rt, s, NULL);
        if (!u) return -1;
        pm_err_format(rt, PM_EXC_ValueError, "Invalid format specifier '%s' for object of type '%.200s'",
                      u, tname);
        return -1;
    }
    if (end - pos == 1) f->type = AT(pos);
#undef AT
    if (f->sep != PMI_SEP_NONE) {
        switch (f->type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (f->sep == PMI_SEP_UNDER) {
                f->sep = PMI_SEP_UNDER4;
                break;
            }
            /* fall through */
        default: {
            char sc = f->sep == PMI_SEP_COMMA ? ',' : '_';
            if (f->type > 32 && f->type < 128)
                pm_err_format(rt, PM_EXC_ValueError, "Cannot specify '%c' with '%c'.", sc, (char)f->type);
            else
                pm_err_format(rt, PM_EXC_ValueError, "Cannot specify '%c' with '\\x%x'.", sc,
                              (unsigned)f->type);
            return -1;
        }
        }
    }
    return 0;
both_seps:
    pm_err_set(rt, PM_EXC_ValueError, "Cannot specify both ',' and '_'.");
    return -1;
}

/* ------------------------------------------------------------------------ */
/* Laying out a number                                                       */
/* ------------------------------------------------------------------------ */

/* Grouping of the integral digits, CPython's _PyUnicode_InsertThousandsGrouping:
 * groups of `gsize` (0: no separators) from the right, padded with '0' on the
 * left to at least min_width characters (separators counted).  dst NULL: only
 * count; else the text is written backwards ending just before dst. */
static pm_ssize_t group_chunk(uint32_t **dst, const char **src, pm_ssize_t zeros, pm_ssize_t chars,
                              int use_sep, uint32_t sep) {
    if (*dst) {
        if (use_sep) *--*dst = sep;
        for (pm_ssize_t i = 0; i < chars; i++) *--*dst = (unsigned char)*--*src;
        for (pm_ssize_t i = 0; i < zeros; i++) *--*dst = '0';
    }
    return (use_sep ? 1 : 0) + zeros + chars;
}

#define MAX_(a, b) ((a) > (b) ? (a) : (b))
#define MIN_(a, b) ((a) < (b) ? (a) : (b))

static pm_ssize_t group_digits(uint32_t *dst, const char *digits, pm_ssize_t nd, pm_ssize_t min_width,
                               int gsize, uint32_t sep) {
    const char *src = digits + nd;
    pm_ssize_t count = 0, remaining = nd, l;
    int use_sep = 0;
    if (gsize > 0) {
        for (;;) {
            l = MIN_((pm_ssize_t)gsize, MAX_(MAX_(remaining, min_width), 1));
            pm_ssize_t zeros = MAX_(0, l - remaining), chars = MAX_(0, MIN_(remaining, l));
            count += group_chunk(&dst, &src, zeros, chars, use_sep, sep);
            use_sep = 1;
            remaining -= chars;
            min_width -= l;
            if (remaining <= 0 && min_width <= 0) return count;
            min_width -= 1;
        }
    }
    l = MAX_(MAX_(remaining, min_width), 1);
    pm_ssize_t zeros = MAX_(0, l - remaining), chars = MAX_(0, MIN_(remaining, l));
    return count + group_chunk(&dst, &src, zeros, chars, use_sep, sep);
}

/* The parts of a number to lay out. */
typedef struct numparts {
    uint32_t sign;              /* 0, '-', '+' or ' ' */
    const char *prefix;         /* "0x" etc. or NULL */
    const char *digits;         /* integral digits (ASCII) */
    pm_ssize_t ndigits;         /* their count (0 for 'c' and inf/nan) */
    int has_decimal;            /* a '.' follows the digits */
    const char *rest;           /* what follows the '.' (or the digits) */
    pm_ssize_t nrest;           /* its length in code points */
    const uint32_t *rest_cp;    /* rest as code points instead (type 'c'), or NULL */
    int upper;                  /* upper-case the digits and prefix ('X') */
} numparts;

static uint32_t upper_ascii(uint32_t c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }

static int layout_number(pm_runtime *rt, pmi_ubuf *b, const numparts *np, const pmi_fspec *f) {
    pm_ssize_t nsign = np->sign ? 1 : 0, nprefix = np->prefix ? 2 : 0;
    int gsize = 0;
    uint32_t sep = 0;
    if (f->sep == PMI_SEP_COMMA) gsize = 3, sep = ',';
    else if (f->sep == PMI_SEP_UNDER) gsize = 3, sep = '_';
    else if (f->sep == PMI_SEP_UNDER4) gsize = 4, sep = '_';
    pm_ssize_t fixed = nsign + nprefix + np->has_decimal + np->nrest;
    pm_ssize_t min_width = (f->fill == '0' && f->align == '=') ? f->width - fixed : 0;
    pm_ssize_t ngrouped = np->ndigits ? group_digits(NULL, np->digits, np->ndigits, min_width, gsize, sep) : 0;
    pm_ssize_t pad = f->width - (fixed + ngrouped), lpad = 0, spad = 0, rpad = 0;
    if (pad > 0) {
        switch (f->align) {
        case '<': rpad = pad; break;
        case '^': lpad = pad / 2; rpad = pad - lpad; break;
        case '=': spad = pad; break;
        default: lpad = pad; break;
        }
    }
    if (pmi_ubuf_reserve(rt, b, lpad + fixed + ngrouped + spad + rpad) < 0) return -1;
    if (pmi_ubuf_fill(rt, b, f->fill, lpad) < 0) return -1;
    if (np->sign && pmi_ubuf_putc(rt, b, np->sign) < 0) return -1;
    if (np->prefix) {
        for (int i = 0; i < 2; i++)
            if (pmi_ubuf_putc(rt, b, np->upper ? upper_ascii((unsigned char)np->prefix[i])
                                               : (unsigned char)np->prefix[i]) < 0)
                return -1;
    }
    if (pmi_ubuf_fill(rt, b, f->fill, spad) < 0) return -1;
    if (np->ndigits) {
        /* room was reserved above: write the grouped digits in place */
        uint32_t *end = b->p + b->len + ngrouped;
        group_digits(end, np->digits, np->ndigits, min_width, gsize, sep);
        if (np->upper)
            for (uint32_t *q = b->p + b->len; q < end; q++) *q = upper_ascii(*q);
        b->len += ngrouped;
        if (sep > b->maxchar) b->maxchar = sep;
        if ('9' > b->maxchar) b->maxchar = '9';
    }
    if (np->has_decimal && pmi_ubuf_putc(rt, b, '.') < 0) return -1;
    if (np->rest_cp) {
        for (pm_ssize_t i = 0; i < np->nrest; i++)
            if (pmi_ubuf_putc(rt, b, np->rest_cp[i]) < 0) return -1;
    } else if (pmi_ubuf_ascii(rt, b, np->rest, np->nrest) < 0) {
        return -1;
    }
    return pmi_ubuf_fill(rt, b, f->fill, rpad);
}

/* ------------------------------------------------------------------------ */
/* int                                                                       */
/* ------------------------------------------------------------------------ */

#define DIGITS_OF(o) (((const pmi_int *)(o))->ob_digit)
#define DEC_BASE 1000000000U

pm_ssize_t pmi_int_digits_small(const pm_object *v, int base, char *buf) {
    pm_ssize_t nd = pmi_int_ndigits(v);
    if (nd > 2) return -1;
    const pmi_digit *d = DIGITS_OF(v);
    uint64_t x = nd == 0 ? 0 : nd == 1 ? d[0] : (uint64_t)d[1] << PMI_SHIFT | d[0];
    char tmp[PMI_INT_SMALL_DIGITS];
    int k = (int)sizeof tmp;
    if (base == 10) {
        do {
            tmp[--k] = (char)('0' + x % 10);
            x /= 10;
        } while (x);
    } else {
        unsigned shift = base == 2 ? 1 : base == 8 ? 3 : 4, mask = (unsigned)base - 1;
        do {
            tmp[--k] = "0123456789abcdef"[x & mask];
            x >>= shift;
        } while (x);
    }
    pm_ssize_t len = (pm_ssize_t)sizeof tmp - k;
    memcpy(buf, tmp + k, (size_t)len);
    buf[len] = 0;
    return len;
}

char *pmi_int_digits(pm_runtime *rt, pm_object *v, int base, pm_ssize_t *n) {
    pm_ssize_t nd = pmi_int_ndigits(v);
    const pmi_digit *d = DIGITS_OF(v);
    char *out;
    if (nd <= 2) {      /* below 2**60: no limbs, no limit to check */
        char small[PMI_INT_SMALL_DIGITS + 1];
        pm_ssize_t len = pmi_int_digits_small(v, base, small);
        out = pm_malloc(rt, (size_t)len + 1);
        if (!out) return pm_err_nomem(rt);
        memcpy(out, small, (size_t)len + 1);
        *n = len;
        return out;
    }
    if (base != 10) {
        int bits = base == 2 ? 1 : base == 8 ? 3 : 4;
        size_t nbits = nd ? (size_t)(nd - 1) * PMI_SHIFT : 0;
        if (nd) for (pmi_digit top = d[nd - 1]; top; top >>= 1) nbits++;
        size_t len = nbits ? (nbits + (size_t)bits - 1) / (size_t)bits : 1;
        out = pm_malloc(rt, len + 1);
        if (!out) return pm_err_nomem(rt);
        for (size_t i = 0; i < len; i++) {
            /* the group of `bits` bits starting at bit i * bits */
            size_t at = i * (size_t)bits;
            unsigned val = 0;
            for (int k = 0; k < bits; k++) {
                size_t bit = at + (size_t)k, w = bit / PMI_SHIFT;
                if (w < (size_t)nd && (d[w] >> (bit % PMI_SHIFT)) & 1) val |= 1u << k;
            }
            out[len - 1 - i] = "0123456789abcdef"[val];
        }
        out[len] = 0;
        *n = (pm_ssize_t)len;
        return out;
    }
    /* base 10: CPython 3.11's limit on decimal conversions (the default of
     * sys.set_int_max_str_digits; the quadratic conversion is refused before
     * it starts when the value surely has more digits) */
    if (pmi_int_tostr_precheck(rt, nd) < 0) return NULL;   /* the runtime's limit: intlimit.c */
    size_t cap = 1 + (size_t)nd + (size_t)nd / 99;
    uint32_t *limbs = pm_malloc(rt, cap * sizeof(uint32_t));
    if (!limbs) return pm_err_nomem(rt);
    size_t size = 0;
    for (pm_ssize_t i = nd; --i >= 0;) {
        uint32_t hi = d[i];
        for (size_t j = 0; j < size; j++) {
            uint64_t z = (uint64_t)limbs[j] << PMI_SHIFT | hi;
            hi = (uint32_t)(z / DEC_BASE);
            limbs[j] = (uint32_t)(z - (uint64_t)hi * DEC_BASE);
        }
        while (hi) {
            limbs[size++] = hi % DEC_BASE;
            hi /= DEC_BASE;
        }
    }
    size_t len = size ? 9 * size : 1;
    out = pm_malloc(rt, len + 1);
    if (!out) {
        pm_free(rt, limbs);
        return pm_err_nomem(rt);
    }
    if (!size) {
        out[0] = '0';
        out[1] = 0;
        *n = 1;
    } else {
        size_t k = (size_t)snprintf(out, len + 1, "%u", (unsigned)limbs[size - 1]);
        for (size_t j = size - 1; j-- > 0;) k += (size_t)snprintf(out + k, len + 1 - k, "%09u", (unsigned)limbs[j]);
        *n = (pm_ssize_t)k;
    }
    pm_free(rt, limbs);
    if (pmi_int_tostr_check(rt, *n) < 0) {
        pm_free(rt, out);
        return NULL;
    }
    return out;
}

int pmi_format_int(pm_runtime *rt, pmi_ubuf *b, pm_object *v, const pmi_fspec *f, const char *tname) {
    switch (f->type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
        double dv = pm_int_as_double(rt, v);
        if (dv == -1.0 && pm_err_occurred(rt)) return -1;
        return pmi_format_double(rt, b, dv, f, tname);
    }
    default:
        err_unknown_code(rt, f->type, tname);
        return -1;
    }
    if (f->precision != -1) {
        pm_err_set(rt, PM_EXC_ValueError, "Precision not allowed in integer format specifier");
        return -1;
    }
    if (f->no_neg_0) {
        pm_err_set(rt, PM_EXC_ValueError,
                   "Negative zero coercion (z) not allowed in integer format specifier");
        return -1;
    }
    numparts np = {0};
    np.rest = "";
    if (f->type == 'c') {
        if (f->sign) {
            pm_err_set(rt, PM_EXC_ValueError, "Sign not allowed with integer format specifier 'c'");
            return -1;
        }
        if (f->alternate) {
            pm_err_set(rt, PM_EXC_ValueError,
                       "Alternate form (#) not allowed with integer format specifier 'c'");
            return -1;
        }
        long x = pm_int_as_long(rt, v);
        if (x == -1 && pm_err_occurred(rt)) return -1;
        if (x < 0 || x > 0x10ffff) {
            pm_err_set(rt, PM_EXC_OverflowError, "%c arg not in range(0x110000)");
            return -1;
        }
        uint32_t cp = (uint32_t)x;
        np.rest_cp = &cp;
        np.nrest = 1;
        return layout_number(rt, b, &np, f);
    }
    int base = f->type == 'b' ? 2 : f->type == 'o' ? 8 : (f->type == 'x' || f->type == 'X') ? 16 : 10;
    pm_ssize_t nd;
    char *digits = pmi_int_digits(rt, v, base, &nd);
    if (!digits) return -1;
    if (pm_int_sign(v) < 0) np.sign = '-';
    else if (f->sign == '+' || f->sign == ' ') np.sign = f->sign;
    if (f->alternate && base != 10) np.prefix = base == 2 ? "0b" : base == 8 ? "0o" : "0x";
    np.digits = digits;
    np.ndigits = nd;
    np.upper = f->type == 'X';
    pmi_fspec g = *f;
    if (f->type == 'n') g.sep = PMI_SEP_NONE;   /* the C locale: no grouping */
    int r = layout_number(rt, b, &np, &g);
    pm_free(rt, digits);
    return r;
}

/* ------------------------------------------------------------------------ */
/* float                                                                     */
/* ------------------------------------------------------------------------ */

/* Lay out significant digits as PyOS_double_to_string does for 'g' and 'r':
 * digits[0..nd) are the significant digits (no trailing zeros unless the
 * caller wants them), the value being 0.DIGITS * 10**decpt. */
static char *layout_digits(pm_runtime *rt, int neg, const char *digits, int nd, int decpt, int use_exp,
                           int vdigits_end, int alt, int add_dot_0, char echar) {
    int exp = 0;
    if (use_exp) {
        exp = decpt - 1;
        decpt = 1;
    }
    int vstart = decpt <= 0 ? decpt - 1 : 0;
    if (!use_exp && add_dot_0) vdigits_end = vdigits_end > decpt ? vdigits_end : decpt + 1;
    else vdigits_end = vdigits_end > decpt ? vdigits_end : decpt;
    if (vdigits_end < nd) vdigits_end = nd;
    size_t cap = (size_t)(vdigits_end - vstart) + 16;
    char *out = pm_malloc(rt, cap);
    if (!out) return pm_err_nomem(rt);
    char *p = out;
    if (neg) *p++ = '-';
    if (decpt <= 0) {
        *p++ = '0';
        *p++ = '.';
        for (int i = 0; i < -decpt; i++) *p++ = '0';
    }
    if (decpt > 0 && decpt <= nd) {
        memcpy(p, digits, (size_t)decpt);
        p += decpt;
        *p++ = '.';
        memcpy(p, digits + decpt, (size_t)(nd - decpt));
        p += nd - decpt;
    } else {
        memcpy(p, digits, (size_t)nd);
        p += nd;
    }
    if (nd < decpt) {
        for (int i = nd; i < decpt; i++) *p++ = '0';
        *p++ = '.';
        for (int i = decpt; i < vdigits_end; i++) *p++ = '0';
    } else {
        for (int i = nd; i < vdigits_end; i++) *p++ = '0';
    }
    if (p[-1] == '.' && !alt) p--;
    if (use_exp) p += sprintf(p, "%c%+.02d", echar, exp);
    *p = 0;
    return out;
}

/* 1 when the text of a number (sign skipped) shows a zero value. */
static int shows_zero(const char *s) {
    for (; *s && *s != 'e' && *s != 'E' && *s != '%'; s++)
        if (*s != '0' && *s != '.') return 0;
    return 1;
}

char *pmi_double_to_string(pm_runtime *rt, double v, int type, int precision, int alt, int add_dot_0,
                           int no_neg_0) {
    int upper = type == 'E' || type == 'F' || type == 'G';
    char *out;
    if (isnan(v) || isinf(v)) {
        out = pm_malloc(rt, 8);
        if (!out) return pm_err_nomem(rt);
        snprintf(out, 8, "%s%s", isinf(v) && v < 0 ? "-" : "",
                 isnan(v) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"));
        return out;
    }
    int neg = signbit(v) != 0;
    double a = fabs(v);
    int lower = type | 0x20;
    if (lower == 'f' || lower == 'e') {
        /* printf's layout is CPython's for these two */
        size_t cap = (size_t)precision + (lower == 'f' ? 330 : 16);
        out = pm_malloc(rt, cap + 1);
        if (!out) return pm_err_nomem(rt);
        out[0] = '-';
        char fmt[8] = "%.*e";
        if (alt) memcpy(fmt, "%#.*e", 6);
        fmt[strlen(fmt) - 1] = (char)type;
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
        snprintf(out + 1, cap, fmt, precision, a);
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif
        if (neg && !(no_neg_0 && shows_zero(out + 1))) return out;
        memmove(out, out + 1, strlen(out + 1) + 1);
        return out;
    }
    char tmp[40], *digits = NULL;
    int nd, decpt;
    if (lower == 'r') {
        /* the shortest digits (repr's), laid out by the 'r' rules: exponent
         * form below 1e-4 and from 1e16 on */
        pm_float_format_repr(a, tmp, sizeof tmp);
        char dg[40];
        int before = -1, e10 = 0;
        nd = 0;
        for (const char *q = tmp; *q; q++) {
            if (*q == '.') before = nd;
            else if (*q == 'e') {
                e10 = atoi(q + 1);
                break;
            } else dg[nd++] = *q;
        }
        if (before < 0) before = nd;
        decpt = before + e10;
        int lead = 0;
        while (lead < nd - 1 && dg[lead] == '0') lead++;
        decpt -= lead;
        memmove(dg, dg + lead, (size_t)(nd - lead));
        nd -= lead;
        while (nd > 1 && dg[nd - 1] == '0') nd--;
        if (nd == 1 && dg[0] == '0') decpt = 1;
        if (no_neg_0 && a == 0.0) neg = 0;
        return layout_digits(rt, neg, dg, nd, decpt, decpt <= -4 || decpt > 16, nd, alt, add_dot_0, 'e');
    }
    /* 'g' / 'G': precision significant digits, correctly rounded */
    if (precision == 0) precision = 1;
    size_t cap = (size_t)precision + 16;
    digits = pm_malloc(rt, cap);
    if (!digits) return pm_err_nomem(rt);
    snprintf(digits, cap, "%.*e", precision - 1, a);
    char *ep = strchr(digits, 'e');
    int e10 = atoi(ep + 1);
    nd = 0;
    for (char *q = digits; q < ep; q++)
        if (*q != '.') digits[nd++] = *q;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    decpt = a == 0.0 ? 1 : e10 + 1;
    int use_exp = decpt <= -4 || decpt > (add_dot_0 ? precision - 1 : precision);
    if (no_neg_0 && nd == 1 && digits[0] == '0') neg = 0;
    out = layout_digits(rt, neg, digits, nd, decpt, use_exp, alt ? precision : nd, alt, add_dot_0,
                        upper ? 'E' : 'e');
    pm_free(rt, digits);
    return out;
}

/* Lay out the text of a float (from pmi_double_to_string, maybe with a '%'
 * appended) by spec f: sign, integral digits (grouped), '.', the rest. */
static int layout_float_text(pm_runtime *rt, pmi_ubuf *b, const char *text, const pmi_fspec *f) {
    numparts np = {0};
    const char *p = text;
    if (*p == '-') {
        np.sign = '-';
        p++;
    } else if (f->sign == '+' || f->sign == ' ') {
        np.sign = f->sign;
    }
    const char *q = p;
    while (*q >= '0' && *q <= '9') q++;
    np.digits = p;
    np.ndigits = q - p;
    np.has_decimal = *q == '.';
    np.rest = q + np.has_decimal;
    np.nrest = (pm_ssize_t)strlen(np.rest);
    return layout_number(rt, b, &np, f);
}

int pmi_format_double(pm_runtime *rt, pmi_ubuf *b, double v, const pmi_fspec *f, const char *tname) {
    int type = (int)f->type;
    switch (type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
        break;
    default:
        err_unknown_code(rt, f->type, tname);
        return -1;
    }
    if (f->precision > INT_MAX) {
        pm_err_set(rt, PM_EXC_ValueError, "precision too big");
        return -1;
    }
    int precision = (int)f->precision, default_precision = 6, add_dot_0 = 0, add_pct = 0;
    if (type == 0) {
        add_dot_0 = 1;
        type = 'r';
        default_precision = 0;
    }
    if (type == 'n') type = 'g';
    if (type == '%') {
        type = 'f';
        v *= 100;
        add_pct = 1;
    }
    if (precision < 0) precision = default_precision;
    else if (type == 'r') type = 'g';
    char *text = pmi_double_to_string(rt, v, type, precision, f->alternate, add_dot_0, f->no_neg_0);
    if (!text) return -1;
    if (add_pct) {
        size_t l = strlen(text);
        char *t2 = pm_realloc(rt, text, l + 2);
        if (!t2) {
            pm_free(rt, text);
            pm_err_nomem(rt);
            return -1;
        }
        text = t2;
        text[l] = '%';
        text[l + 1] = 0;
    }
    pmi_fspec g = *f;
    if (f->type == 'n') g.sep = PMI_SEP_NONE;   /* the C locale: no grouping */
    int r = layout_float_text(rt, b, text, &g);
    pm_free(rt, text);
    return r;
}

/* complex.__format__: both parts formatted as floats (the imaginary one
 * always signed unless the real part is left out), then padded as a whole. */
static int format_complex(pm_runtime *rt, pmi_ubuf *b, pm_object *v, const pmi_fspec *f, const char *tname) {
    int type = (int)f->type;
    switch (type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n':
        break;
    default:
        err_unknown_code(rt, f->type, tname);
        return -1;
    }
    const char *msg = NULL;
    if (f->precision > INT_MAX) msg = "precision too big";
    else if (f->fill == '0') msg = "Zero padding is not allowed in complex format specifier";
    else if (f->align == '=') msg = "'=' alignment flag is not allowed in complex format specifier";
    if (msg) {
        pm_err_set(rt, PM_EXC_ValueError, msg);
        return -1;
    }
    double re = pm_complex_real(v), im = pm_complex_imag(v);
    int precision = (int)f->precision, default_precision = 6, skip_re = 0, parens = 0;
    if (type == 0) {
        type = 'r';
        default_precision = 0;
        if (re == 0.0 && !signbit(re)) skip_re = 1;
        else parens = 1;
    }
    if (type == 'n') type = 'g';
    if (precision < 0) precision = default_precision;
    else if (type == 'r') type = 'g';
    char *retext = pmi_double_to_string(rt, re, type, precision, f->alternate, 0, f->no_neg_0);
    char *imtext = retext ? pmi_double_to_string(rt, im, type, precision, f->alternate, 0, f->no_neg_0) : NULL;
    pmi_ubuf inner;
    pmi_ubuf_init(&inner);
    int r = -1;
    if (!imtext) goto done;
    pmi_fspec t = *f;
    t.fill = ' ';
    t.align = '<';
    t.width = -1;
    if (f->type == 'n') t.sep = PMI_SEP_NONE;
    if (!skip_re && layout_float_text(rt, &inner, retext, &t) < 0) goto done;
    if (!skip_re) t.sign = '+';
    if (layout_float_text(rt, &inner, imtext, &t) < 0) goto done;
    if (pmi_ubuf_putc(rt, &inner, 'j') < 0) goto done;
    pm_ssize_t n = inner.len + 2 * parens;
    pm_ssize_t total = f->width > n ? f->width : n, lpad = 0;
    if (f->align == '>') lpad = total - n;
    else if (f->align == '^') lpad = (total - n) / 2;
    if (pmi_ubuf_reserve(rt, b, total) < 0) goto done;
    pmi_ubuf_fill(rt, b, f->fill, lpad);
    if (parens) pmi_ubuf_putc(rt, b, '(');
    for (pm_ssize_t i = 0; i < inner.len; i++) pmi_ubuf_putc(rt, b, inner.p[i]);
    if (parens) pmi_ubuf_putc(rt, b, ')');
    pmi_ubuf_fill(rt, b, f->fill, total - n - lpad);
    r = 0;
done:
    pmi_ubuf_discard(rt, &inner);
    if (retext) pm_free(rt, retext);
    if (imtext) pm_free(rt, imtext);
    return r;
}

/* ------------------------------------------------------------------------ */
/* str                                                                       */
/* ------------------------------------------------------------------------ */

int pmi_format_str(pm_runtime *rt, pmi_ubuf *b, pm_object *s, const pmi_fspec *f, const char *tname) {
    if (f->type != 's' && f->type != 0) {
        err_unknown_code(rt, f->type, tname);
        return -1;
    }
    const char *msg = NULL;
    if (f->sign == ' ') msg = "Space not allowed in string format specifier";
    else if (f->sign) msg = "Sign not allowed in string format specifier";
    else if (f->no_neg_0) msg = "Negative zero coercion (z) not allowed in string format specifier";
    else if (f->alternate) msg = "Alternate form (#) not allowed in string format specifier";
    else if (f->align == '=') msg = "'=' alignment not allowed in string format specifier";
    if (msg) {
        pm_err_set(rt, PM_EXC_ValueError, msg);
        return -1;
    }
    pm_ssize_t len = pm_str_length(s);
    if (f->precision >= 0 && len >= f->precision) len = f->precision;
    pm_ssize_t total = f->width >= 0 && f->width > len ? f->width : len, lpad = 0;
    if (f->align == '>') lpad = total - len;
    else if (f->align == '^') lpad = (total - len) / 2;
    if (pmi_ubuf_reserve(rt, b, total) < 0) return -1;
    if (pmi_ubuf_fill(rt, b, f->fill, lpad) < 0) return -1;
    if (pmi_ubuf_substr(rt, b, s, 0, len) < 0) return -1;
    return pmi_ubuf_fill(rt, b, f->fill, total - len - lpad);
}

/* ------------------------------------------------------------------------ */
/* format()                                                                  */
/* ------------------------------------------------------------------------ */

/* A class's own __format__ (defined by a class on the MRO before any
 * built-in type): *found = 1 and its result (a str, or NULL + error);
 * *found = 0 and NULL when the built-in formatting applies. */
static pm_object *class_format(pm_runtime *rt, pm_object *value, pm_object *spec, int *found) {
    *found = 0;
    if (!(value->ob_type->flags & PM_TPFLAGS_HEAPTYPE)) return NULL;
    pm_object *mro = pm_type_mro(rt, value->ob_type), *name = NULL, *f = NULL, *r = NULL;
    if (!mro) return NULL;
    name = pm_str_intern_cstr(rt, "__format__");
    if (!name) goto error;
    for (pm_ssize_t i = 0, n = pm_tuple_size(mro); i < n && !f; i++) {
        const pm_type *b = (const pm_type *)pm_tuple_get(rt, mro, i);
        if (!(b->flags & PM_TPFLAGS_HEAPTYPE)) break;
        pm_object *d = pm_type_dict(rt, b);
        if (!d) goto error;
        f = pm_dict_get(rt, d, name);
        if (!f && pm_err_occurred(rt)) goto error;
    }
    pm_decref(rt, name);
    if (!f) return NULL;
    *found = 1;
    pm_object *empty = spec ? NULL : pm_str_from_utf8(rt, "", 0);
    if (!spec && !empty) return NULL;
    /* value.__format__(spec): bound through the descriptor protocol */
    pm_incref(rt, f);
    pm_object *meth = f->ob_type->descr_get ? f->ob_type->descr_get(rt, f, value, pm_type_as_object(value->ob_type))
                                            : pm_newref(rt, f);
    pm_decref(rt, f);
    if (meth) {
        pm_object *arg = spec ? spec : empty;
        r = pm_call(rt, meth, &arg, 1, NULL);
        pm_decref(rt, meth);
    }
    pm_xdecref(rt, empty);
    if (r && !pm_str_check(r)) {
        pmi_err_type(rt, "__format__ must return a str, not %.200s", r);
        PM_CLEAR(rt, r);
    }
    return r;
error:
    pm_xdecref(rt, name);
    *found = 1;
    return NULL;
}

pm_object *pm_format(pm_runtime *rt, pm_object *value, pm_object *spec) {
    if (spec && !pm_str_check(spec))
        return pmi_err_type(rt, "format() argument 2 must be str, not %.200s", spec);
    int found;
    pm_object *cr = class_format(rt, value, spec, &found);
    if (found) return cr;
    return pmi_format_builtin(rt, value, spec);
}

pm_object *pmi_format_builtin(pm_runtime *rt, pm_object *value, pm_object *spec) {
    const char *tname = value->ob_type->name;
    if (!spec || pm_str_length(spec) == 0) return pm_str(rt, value);   /* every __format__ */
    pmi_fspec f;
    pmi_ubuf b;
    pmi_ubuf_init(&b);
    int r;
    if (pm_int_check(value)) {
        if (parse_spec(rt, spec, 'd', '>', tname, &f) < 0) return NULL;
        r = pmi_format_int(rt, &b, value, &f, tname);
    } else if (pm_float_check(value)) {
        if (parse_spec(rt, spec, 0, '>', tname, &f) < 0) return NULL;
        r = pmi_format_double(rt, &b, pm_float_value(value), &f, tname);
    } else if (pm_str_check(value)) {
        if (parse_spec(rt, spec, 's', '<', tname, &f) < 0) return NULL;
        r = pmi_format_str(rt, &b, value, &f, tname);
    } else if (pm_complex_check(value)) {
        if (parse_spec(rt, spec, 0, '>', tname, &f) < 0) return NULL;
        r = format_complex(rt, &b, value, &f, tname);
    } else {
        pm_err_format(rt, PM_EXC_TypeError, "unsupported format string passed to %.200s.__format__", tname);
        return NULL;
    }
    if (r < 0) {
        pmi_ubuf_discard(rt, &b);
        return NULL;
    }
    return pmi_ubuf_finish(rt, &b);
}

/* format(v, spec) for an exact int or bool below 2**60 and a spec of an
 * optional '#' and one of b o d x X (hex(), oct(), bin() and the like):
 * the text at once, without parsing a spec str (a fresh str, as the
 * general path makes).  *done = 0 when it does not apply. */
static pm_object *format_small_int(pm_runtime *rt, pm_object *value, const char *spec, int *done) {
    *done = 0;
    if (value->ob_type != &pm_int_type && value->ob_type != &pm_bool_type) return NULL;
    int alt = spec[0] == '#';
    char type = spec[alt];
    if (!type || spec[alt + 1]) return NULL;
    int base = type == 'b' ? 2 : type == 'o' ? 8 : type == 'd' ? 10 : (type == 'x' || type == 'X') ? 16 : 0;
    if (!base || pmi_int_ndigits(value) > 2) return NULL;
    char buf[PMI_INT_SMALL_DIGITS + 4];
    char *p = buf;
    if (pm_int_sign(value) < 0) *p++ = '-';
    if (alt && base != 10) {
        *p++ = '0';
        *p++ = type;
    }
    pm_ssize_t nd = pmi_int_digits_small(value, base, p);
    if (type == 'X')
        for (pm_ssize_t i = 0; i < nd; i++)
            if (p[i] >= 'a') p[i] = (char)(p[i] - 32);
    *done = 1;
    pm_ssize_t len = (pm_ssize_t)(p - buf) + nd;
    pm_object *r = pmi_str_new(rt, len, 0x7f);
    if (r) memcpy(pmi_str_data(r), buf, (size_t)len);
    return r;
}

pm_object *pm_format_cstr(pm_runtime *rt, pm_object *value, const char *spec) {
    if (spec && spec[0]) {
        int done;
        pm_object *r = format_small_int(rt, value, spec, &done);
        if (done) return r;
    }
    pm_object *s = pm_str_from_utf8(rt, spec, -1);
    if (!s) return NULL;
    pm_object *r = pm_format(rt, value, s);
    pm_decref(rt, s);
    return r;
}

/* ------------------------------------------------------------------------ */
/* ascii()                                                                   */
/* ------------------------------------------------------------------------ */

pm_object *pmi_format_ascii(pm_runtime *rt, pm_object *o) {
    pm_object *r = pm_repr(rt, o);
    if (!r) return NULL;
    pm_ssize_t n = pm_str_length(r);
    if (pm_str_kind(r) == 1 && PMI_STR(r)->state.ascii) return r;
    pmi_ubuf b;
    pmi_ubuf_init(&b);
    for (pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = pm_str_read_char(r, i);
        char esc[16];
        int k;
        if (c < 0x80) {
            if (pmi_ubuf_putc(rt, &b, c) < 0) goto fail;
            continue;
        }
        if (c <= 0xff) k = snprintf(esc, sizeof esc, "\\x%02x", (unsigned)c);
        else if (c <= 0xffff) k = snprintf(esc, sizeof esc, "\\u%04x", (unsigned)c);
        else k = snprintf(esc, sizeof esc, "\\U%08x", (unsigned)c);
        if (pmi_ubuf_ascii(rt, &b, esc, k) < 0) goto fail;
    }
    pm_decref(rt, r);
    return pmi_ubuf_finish(rt, &b);
fail:
    pmi_ubuf_discard(rt, &b);
    pm_decref(rt, r);
    return NULL;
}

pm_object *pm_ascii(pm_runtime *rt, pm_object *o) { return pmi_format_ascii(rt, o); }
