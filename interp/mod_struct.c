/*
 * interp/mod_struct.c — the `_struct` module behind lib/struct.py (CPython
 * 3.11's Modules/_struct.c at the Python level: same results, same error
 * types and texts).
 *
 * Purpose
 *   Conversion between Python values and C structs laid out in bytes:
 *   pack, pack_into, unpack, unpack_from, iter_unpack, calcsize and the
 *   Struct type that holds one parsed format.
 *
 * A format, parsed once
 *   "<2hxq3s" ──parse──▶ mode '<' (little endian, standard sizes, no
 *   alignment) and a code list, one entry per item group:
 *
 *       c   offset  size  repeat        args taken
 *       h   0       2     2             2
 *       q   5       8     1             1      ('x' pads: no code, no arg)
 *       s   13      3     1             1      (s/p: size is the count)
 *
 *   size = 16 (calcsize), len = 4 (the values pack expects), ncodes = 3
 *   (Struct.__sizeof__ counts code entries as CPython does).
 *
 *   Modes: '@' (the default) native sizes and alignment — on x86-64 every
 *   numeric item is aligned to its own size, so calcsize('@bi') == 8 — and
 *   the only mode with 'n', 'N' and 'P'; '=' native order with standard
 *   sizes; '<' little endian; '>' and '!' big endian.  Native order is
 *   little endian here (x86-64), so '@', '=' and '<' differ only in sizes
 *   ('l'/'L' are 8 bytes natively, 4 in standard modes) and alignment.
 *
 * Errors mirrored (struct.error unless said otherwise)
 *   "bad char in struct format", "repeat count given without format
 *   specifier", "total struct size too long", "embedded null character",
 *   "required argument is not an integer", "argument out of range",
 *   "byte format requires -128 <= number <= 127" (ubyte, short, ushort),
 *   "'i' format requires -2147483648 <= number <= 2147483647" (I, and l/L
 *   in standard modes), "required argument is not a float", OverflowError
 *   "float too large to pack with f format", "int too large to convert"
 *   (any OverflowError while packing an int), "char format requires a bytes
 *   object of length 1", "argument for 's' must be a bytes object", "pack
 *   expected 2 items for packing (got 1)", "unpack requires a buffer of 4
 *   bytes", the unpack_from / pack_into offset texts, "iterative unpacking
 *   requires a buffer of a multiple of 4 bytes".
 *
 * State
 *   None of its own: struct.error is a class made when the module is made
 *   and kept in its dict; raising it looks the module up in sys.modules.
 *   CPython's cache of Struct objects is not kept (parsing is cheap); only
 *   its visible side is: a bytearray format is "unhashable type".
 */
#include "modules.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- the parsed format ---------------------------------------------------- */

/* One group of items: c repeated `repeat` times from `offset`, each `size`
 * bytes (for 's' and 'p': one item of `size` bytes). */
typedef struct sa_code {
    char c;                         /* the format character */
    pm_ssize_t offset;              /* byte offset of the first item */
    pm_ssize_t size;                /* bytes per item (s/p: the count) */
    pm_ssize_t repeat;              /* items in the group (s/p: 1) */
} sa_code;

/* A whole format. */
typedef struct sa_format {
    int native;                     /* '@': native sizes, alignment, n N P */
    int little;                     /* byte order */
    pm_ssize_t size;                /* calcsize */
    pm_ssize_t len;                 /* values taken by pack / given by unpack */
    pm_ssize_t ncodes;              /* entries in codes */
    sa_code *codes;                 /* owned (pm_malloc), ncodes entries */
} sa_format;

/* d[name] for a C string name: BORROWED, NULL (error set only on a real
 * failure) when absent. */
static pm_object *dict_get_cstr(pm_runtime *rt, pm_object *d, const char *name) {
    pm_object *k = pm_str_from_cstr(rt, name);
    if (!k) return NULL;
    pm_object *v = pm_dict_get(rt, d, k);
    pm_decref(rt, k);
    return v;
}

/* struct.error(msg) (printf-style). */
static void sa_error(pm_runtime *rt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sa_error(pm_runtime *rt, const char *fmt, ...) {
    char buf[PM_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pm_object *m = pmi_import_module(rt, "_struct");
    if (!m) return;
    pm_object *cls = dict_get_cstr(rt, pmi_module_dict(m), "error");
    if (!cls || !pm_type_check(cls)) {
        pm_decref(rt, m);
        if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_SystemError, "_struct.error is missing");
        return;
    }
    pm_object *msg = pm_str_from_cstr(rt, buf);
    if (msg) {
        pm_err_set_object(rt, (const pm_type *)(void *)cls, msg);
        pm_decref(rt, msg);
    }
    pm_decref(rt, m);
}

/* Size and native alignment of a format character; 0 when the character
 * is not allowed in this mode. */
static pm_ssize_t item_size(char c, int native) {
    switch (c) {
    case 'x': case 'c': case 'b': case 'B': case '?': case 's': case 'p': return 1;
    case 'h': case 'H': case 'e': return 2;
    case 'i': case 'I': case 'f': return 4;
    case 'l': case 'L': return native ? 8 : 4;
    case 'q': case 'Q': case 'd': return 8;
    case 'n': case 'N': case 'P': return native ? 8 : 0;
    default: return 0;
    }
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

/* Parses fmt (len bytes) into *f: 0, or -1 with struct.error / MemoryError. */
static int sa_parse(pm_runtime *rt, const char *fmt, pm_ssize_t n, sa_format *f) {
    memset(f, 0, sizeof *f);
    f->native = 1;
    f->little = 1;
    pm_ssize_t i = 0;
    if (n > 0) {
        switch (fmt[0]) {
        case '@': i = 1; break;
        case '=': f->native = 0; i = 1; break;
        case '<': f->native = 0; i = 1; break;
        case '>': case '!': f->native = 0; f->little = 0; i = 1; break;
        default: break;
        }
    }
    pm_ssize_t start = i;
    /* pass 1 counts codes and checks; pass 2 fills them */
    for (int pass = 0; pass < 2; pass++) {
        pm_ssize_t size = 0, len = 0, ncodes = 0;
        for (i = start; i < n;) {
            char c = fmt[i++];
            if (is_space(c)) continue;
            pm_ssize_t num = 1;
            if (c >= '0' && c <= '9') {
                num = c - '0';
                for (;;) {
                    c = i < n ? fmt[i++] : '\0';
                    if (c < '0' || c > '9') break;
                    if (num >= PM_SSIZE_MAX / 10 &&
                        (num > PM_SSIZE_MAX / 10 || (c - '0') > PM_SSIZE_MAX % 10))
                        goto overflow;
                    num = num * 10 + (c - '0');
                }
                if (c == '\0') {
                    sa_error(rt, "repeat count given without format specifier");
                    return -1;
                }
            }
            pm_ssize_t isz = item_size(c, f->native);
            if (isz == 0) {
                sa_error(rt, "bad char in struct format");
                return -1;
            }
            if (f->native && isz > 1 && c != 's' && c != 'p' && size > 0) {
                pm_ssize_t extra = (isz - 1) - (size - 1) % isz;
                if (extra > PM_SSIZE_MAX - size) goto overflow;
                size += extra;
            }
            if (num > (PM_SSIZE_MAX - size) / isz) goto overflow;
            if (c == 's' || c == 'p') {
                if (pass) f->codes[ncodes] = (sa_code){c, size, num, 1};
                len++;
                ncodes++;
            } else if (c != 'x') {
                if (num) {
                    if (pass) f->codes[ncodes] = (sa_code){c, size, isz, num};
                    ncodes++;
                }
                len += num;
            }
            size += num * isz;
        }
        if (pass == 0) {
            f->size = size;
            f->len = len;
            f->ncodes = ncodes;
            f->codes = pmi_mod_alloc(rt, sizeof(sa_code) * (size_t)(ncodes + 1));
            if (!f->codes) return -1;
        }
    }
    return 0;
overflow:
    sa_error(rt, "total struct size too long");
    return -1;
}

static void sa_format_free(pm_runtime *rt, sa_format *f) {
    if (f->codes) pm_free(rt, f->codes);
    f->codes = NULL;
}

/* The format argument (str or bytes) as ASCII bytes: 0 and *s, *n (borrowed
 * from o), or -1 with CPython's TypeError.  from_cache: the module-level
 * functions' path, where a bytearray fails as unhashable (CPython's Struct
 * cache is a dict). */
static int format_text(pm_runtime *rt, pm_object *o, int from_cache, const char **s, pm_ssize_t *n) {
    if (pm_str_check(o)) {
        *s = pm_str_as_utf8(rt, o, n);
        if (!*s) return -1;
        for (pm_ssize_t i = 0; i < *n; i++)
            if ((unsigned char)(*s)[i] >= 0x80) {
                pm_err_format(rt, PM_EXC_UnicodeEncodeError,
                              "'ascii' codec can't encode character '\\x%02x' in position %zd: ordinal not in range(128)",
                              pm_str_read_char(o, 0), (pm_ssize_t)0);
                return -1;
            }
    } else if (pm_bytes_check(o)) {
        *s = pm_bytes_data(o);
        *n = pm_bytes_size(o);
    } else {
        if (from_cache && pm_bytearray_check(o))
            pm_err_set(rt, PM_EXC_TypeError, "unhashable type: 'bytearray'");
        else
            pm_err_format(rt, PM_EXC_TypeError, "Struct() argument 1 must be a str or bytes object, not %s",
                          pm_type_name(pm_type_of(o)));
        return -1;
    }
    if ((pm_ssize_t)strlen(*s) != *n) {
        sa_error(rt, "embedded null character");
        return -1;
    }
    return 0;
}

/* ---- numbers in bytes ---------------------------------------------------- */

static void put_uint(unsigned char *p, unsigned long long v, pm_ssize_t n, int little) {
    for (pm_ssize_t i = 0; i < n; i++) {
        p[little ? i : n - 1 - i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

static unsigned long long get_uint(const unsigned char *p, pm_ssize_t n, int little) {
    unsigned long long v = 0;
    for (pm_ssize_t i = 0; i < n; i++) v = (v << 8) | p[little ? n - 1 - i : i];
    return v;
}

/* IEEE binary16 from a double, rounding half to even (CPython's
 * PyFloat_Pack2 results): 0, or -1 with OverflowError. */
static int pack_half(pm_runtime *rt, double x, unsigned char *p, int little) {
    unsigned bits;
    unsigned sign = signbit(x) ? 0x8000u : 0;
    if (isnan(x)) {
        bits = 0x7e00;
    } else if (isinf(x)) {
        bits = 0x7c00;
    } else if (x == 0.0) {
        bits = 0;
    } else {
        double a = fabs(x);
        int e;
        double fr = frexp(a, &e);           /* a = fr * 2**e, 0.5 <= fr < 1 */
        if (e + 14 <= 0) {                  /* subnormal: a = m * 2**-24 */
            bits = (unsigned)nearbyint(ldexp(a, 24));
        } else {
            unsigned m = (unsigned)nearbyint(ldexp(2.0 * fr - 1.0, 10));
            int ex = e + 14;
            if (m == 1024) {
                m = 0;
                ex++;
            }
            if (ex >= 31) {
                pm_err_set(rt, PM_EXC_OverflowError, "float too large to pack with e format");
                return -1;
            }
            bits = ((unsigned)ex << 10) | m;
        }
    }
    put_uint(p, bits | sign, 2, little);
    return 0;
}

static double unpack_half(const unsigned char *p, int little) {
    unsigned bits = (unsigned)get_uint(p, 2, little);
    unsigned ex = (bits >> 10) & 0x1f, m = bits & 0x3ff;
    double v;
    if (ex == 0) v = ldexp((double)m, -24);
    else if (ex == 31) v = m ? NAN : INFINITY;
    else v = ldexp((double)(1024 + m), (int)ex - 25);
    return (bits & 0x8000) ? -v : v;
}

/* ---- packing one value ------------------------------------------------------ */

/* index(v): new ref, or NULL with struct.error "required argument is not an
 * integer" (or index's own error). */
static pm_object *get_pylong(pm_runtime *rt, pm_object *v) {
    if (pm_int_check(v)) return pm_newref(rt, v);
    const pm_number_methods *nb = pm_type_of(v)->as_number;
    if (nb && nb->nb_index) return pm_index(rt, v);
    sa_error(rt, "required argument is not an integer");
    return NULL;
}

/* v as a long long: 0, or -1 with "argument out of range" / the error. */
static int get_ll(pm_runtime *rt, pm_object *v, long long *out) {
    pm_object *i = get_pylong(rt, v);
    if (!i) return -1;
    long long x = pm_int_as_longlong(rt, i);
    pm_decref(rt, i);
    if (x == -1 && pm_err_occurred(rt)) {
        if (pm_err_matches(rt, PM_EXC_OverflowError)) sa_error(rt, "argument out of range");
        return -1;
    }
    *out = x;
    return 0;
}

/* v as an unsigned long long: 0, or -1 with "argument out of range" (any
 * negative value too, as PyLong_AsUnsignedLong). */
static int get_ull(pm_runtime *rt, pm_object *v, unsigned long long *out) {
    pm_object *i = get_pylong(rt, v);
    if (!i) return -1;
    int rc = 0;
    if (pm_int_sign(i) < 0 || pm_int_bit_length(i) > 64) {
        sa_error(rt, "argument out of range");
        rc = -1;
    } else if (pm_int_bit_length(i) < 64) {
        *out = (unsigned long long)pm_int_as_longlong(rt, i);
    } else {                                /* 2**63 <= i < 2**64 */
        pm_object *k = pm_int_from_longlong(rt, -0x7fffffffffffffffLL - 1);
        pm_object *low = k ? pm_int_add(rt, i, k) : NULL;   /* i - 2**63 */
        if (low) *out = (unsigned long long)pm_int_as_longlong(rt, low) + 0x8000000000000000ULL;
        else rc = -1;
        pm_xdecref(rt, k);
        pm_xdecref(rt, low);
    }
    pm_decref(rt, i);
    return rc;
}

/* v as a double for e/f/d: 0, or -1 with "required argument is not a
 * float" (MemoryError kept). */
static int get_double(pm_runtime *rt, pm_object *v, double *out) {
    if (pmi_mod_to_double(rt, v, out) == 0) return 0;
    if (!pm_err_matches(rt, PM_EXC_MemoryError)) sa_error(rt, "required argument is not a float");
    return -1;
}

/* Big-endian 'q' / 'Q' convert through a byte array whose failure is an
 * OverflowError (which pack then reports as "int too large to convert");
 * every other code keeps the error it has.  Returns -1. */
static int big_q_overflow(pm_runtime *rt, const sa_format *f, char c) {
    if (!f->little && !f->native && (c == 'q' || c == 'Q') && !pm_err_matches(rt, PM_EXC_MemoryError)) {
        if (strcmp(pm_err_message(rt), "argument out of range") == 0) {
            pm_err_clear(rt);
            pm_err_set(rt, PM_EXC_OverflowError, "int too big to convert");
        }
    }
    return -1;
}

/* Packs v as one item of code c at p: 0 or -1. */
static int pack_one(pm_runtime *rt, const sa_format *f, char c, unsigned char *p, pm_object *v) {
    long long x;
    unsigned long long u;
    double d;
    pm_ssize_t n = item_size(c, f->native);
    switch (c) {
    case 'c':
        if (!pm_bytes_check(v) || pm_bytes_size(v) != 1) {
            sa_error(rt, "char format requires a bytes object of length 1");
            return -1;
        }
        p[0] = (unsigned char)pm_bytes_data(v)[0];
        return 0;
    case '?': {
        int t = pm_is_true(rt, v);
        if (t < 0) return -1;
        p[0] = (unsigned char)t;
        return 0;
    }
    case 'b': case 'B': case 'h': case 'H': {
        if (c == 'H' && !f->little && !f->native) {     /* big endian: as 'I' */
            if (get_ull(rt, v, &u) < 0) return -1;
            if (u > 65535) {
                sa_error(rt, "'H' format requires 0 <= number <= 65535");
                return -1;
            }
            put_uint(p, u, 2, 0);
            return 0;
        }
        if (get_ll(rt, v, &x) < 0) return -1;
        static const struct { char c; long long lo, hi; const char *msg; } ranges[] = {
            {'b', -128, 127, "byte format requires -128 <= number <= 127"},
            {'B', 0, 255, "ubyte format requires 0 <= number <= 255"},
            {'h', -32768, 32767, "short format requires -32768 <= number <= 32767"},
            {'H', 0, 65535, "ushort format requires 0 <= number <= 65535"},
        };
        for (int k = 0; k < 4; k++)
            if (ranges[k].c == c && (x < ranges[k].lo || x > ranges[k].hi)) {
                if (c == 'h' && !f->little && !f->native)
                    sa_error(rt, "'h' format requires -32768 <= number <= 32767");
                else
                    sa_error(rt, "%s", ranges[k].msg);
                return -1;
            }
        put_uint(p, (unsigned long long)x, n, f->little);
        return 0;
    }
    case 'i': case 'l': case 'q': case 'n':
        if (get_ll(rt, v, &x) < 0) return big_q_overflow(rt, f, c);
        if (n == 4 && (x < -2147483648LL || x > 2147483647LL)) {
            sa_error(rt, "'%c' format requires -2147483648 <= number <= 2147483647", c);
            return -1;
        }
        put_uint(p, (unsigned long long)x, n, f->little);
        return 0;
    case 'I': case 'L': case 'Q': case 'N':
        if (get_ull(rt, v, &u) < 0) return big_q_overflow(rt, f, c);
        if (n == 4 && u > 0xffffffffULL) {
            sa_error(rt, "'%c' format requires 0 <= number <= 4294967295", c);
            return -1;
        }
        put_uint(p, u, n, f->little);
        return 0;
    case 'P': {
        pm_object *i = get_pylong(rt, v);
        if (!i) return -1;
        int rc = 0;
        if (pm_int_sign(i) < 0) {
            x = pm_int_as_longlong(rt, i);
            u = (unsigned long long)x;
            if (x == -1 && pm_err_occurred(rt)) rc = -1;
        } else if (pm_int_bit_length(i) > 64) {
            rc = -1;
        } else {
            rc = get_ull(rt, i, &u);
        }
        pm_decref(rt, i);
        if (rc < 0) {
            if (!pm_err_occurred(rt) || pm_err_matches(rt, PM_EXC_OverflowError))
                pm_err_set(rt, PM_EXC_OverflowError, "int too large to convert");
            return -1;
        }
        put_uint(p, u, 8, f->little);
        return 0;
    }
    case 'e':
        if (get_double(rt, v, &d) < 0) return -1;
        return pack_half(rt, d, p, f->little);
    case 'f': {
        if (get_double(rt, v, &d) < 0) return -1;
        float y = (float)d;
        if (!f->native && isinf(y) && !isinf(d)) {
            pm_err_set(rt, PM_EXC_OverflowError, "float too large to pack with f format");
            return -1;
        }
        uint32_t w;
        memcpy(&w, &y, 4);
        put_uint(p, w, 4, f->little);
        return 0;
    }
    case 'd': {
        if (get_double(rt, v, &d) < 0) return -1;
        uint64_t w;
        memcpy(&w, &d, 8);
        put_uint(p, w, 8, f->little);
        return 0;
    }
    default:
        pm_err_set(rt, PM_EXC_SystemError, "struct: unexpected format code");
        return -1;
    }
}

/* Packs args[0 .. f->len) into buf (f->size bytes, zeroed): 0 or -1.
 * `who` names the caller in the count error. */
static int sa_pack(pm_runtime *rt, const sa_format *f, const char *who, unsigned char *buf,
                   pm_object *const *args, pm_ssize_t nargs) {
    if (nargs != f->len) {
        sa_error(rt, "%s expected %zd items for packing (got %zd)", who, f->len, nargs);
        return -1;
    }
    memset(buf, 0, (size_t)f->size);
    pm_ssize_t a = 0;
    for (pm_ssize_t k = 0; k < f->ncodes; k++) {
        const sa_code *code = &f->codes[k];
        unsigned char *p = buf + code->offset;
        if (code->c == 's' || code->c == 'p') {
            pm_object *v = args[a++];
            const char *data;
            pm_ssize_t len;
            if (pm_bytes_check(v)) {
                data = pm_bytes_data(v);
                len = pm_bytes_size(v);
            } else if (pm_bytearray_check(v)) {
                data = pm_bytearray_data(v);
                len = pm_bytearray_size(v);
            } else {
                sa_error(rt, "argument for '%c' must be a bytes object", code->c);
                return -1;
            }
            if (code->c == 's') {
                if (len > code->size) len = code->size;
                if (len > 0) memcpy(p, data, (size_t)len);
            } else if (code->size > 0) {
                if (len > code->size - 1) len = code->size - 1;
                if (len > 0) memcpy(p + 1, data, (size_t)len);
                p[0] = (unsigned char)(len > 255 ? 255 : len);
            }
            continue;
        }
        for (pm_ssize_t r = 0; r < code->repeat; r++, p += code->size) {
            pm_object *v = args[a++];
            if (pack_one(rt, f, code->c, p, v) < 0) {
                if (pm_int_check(v) && pm_err_matches(rt, PM_EXC_OverflowError))
                    sa_error(rt, "int too large to convert");
                return -1;
            }
        }
    }
    return 0;
}

/* ---- unpacking -------------------------------------------------------------- */

static pm_object *unpack_one(pm_runtime *rt, const sa_format *f, const sa_code *code, const unsigned char *p) {
    pm_ssize_t n = code->size;
    switch (code->c) {
    case 'c': return pm_bytes_new(rt, p, 1);
    case 's': return pm_bytes_new(rt, p, n);
    case 'p': {
        if (n == 0) return pm_bytes_new(rt, NULL, 0);
        pm_ssize_t k = p[0];
        if (k >= n) k = n - 1;
        return pm_bytes_new(rt, p + 1, k);
    }
    case '?': return pm_newref(rt, pm_bool_from(p[0] != 0));
    case 'b': case 'h': case 'i': case 'l': case 'q': case 'n': {
        unsigned long long u = get_uint(p, n, f->little);
        if (n < 8 && (u >> (8 * n - 1)) & 1) u |= ~0ULL << (8 * n);   /* sign-extend */
        return pm_int_from_longlong(rt, (long long)u);
    }
    case 'B': case 'H': case 'I': case 'L': case 'Q': case 'N': case 'P':
        return pm_int_from_ulonglong(rt, get_uint(p, n, f->little));
    case 'e': return pm_float_new(rt, unpack_half(p, f->little));
    case 'f': {
        uint32_t w = (uint32_t)get_uint(p, 4, f->little);
        float y;
        memcpy(&y, &w, 4);
        return pm_float_new(rt, (double)y);
    }
    case 'd': {
        uint64_t w = get_uint(p, 8, f->little);
        double d;
        memcpy(&d, &w, 8);
        return pm_float_new(rt, d);
    }
    default:
        pm_err_set(rt, PM_EXC_SystemError, "struct: unexpected format code");
        return NULL;
    }
}

/* The tuple of the values at buf (f->size bytes): new ref. */
static pm_object *sa_unpack(pm_runtime *rt, const sa_format *f, const unsigned char *buf) {
    pm_object *l = pm_list_new(rt);
    if (!l) return NULL;
    for (pm_ssize_t k = 0; k < f->ncodes; k++) {
        const sa_code *code = &f->codes[k];
        pm_ssize_t reps = (code->c == 's' || code->c == 'p') ? 1 : code->repeat;
        for (pm_ssize_t r = 0; r < reps; r++) {
            pm_object *v = unpack_one(rt, f, code, buf + code->offset + r * (reps > 1 ? code->size : 0));
            if (!v || pm_list_append(rt, l, v) < 0) {
                pm_xdecref(rt, v);
                pm_decref(rt, l);
                return NULL;
            }
            pm_decref(rt, v);
        }
    }
    pm_object *t = pm_list_as_tuple(rt, l);
    pm_decref(rt, l);
    return t;
}

/* unpack(buffer): the buffer must be exactly f->size bytes. */
static pm_object *do_unpack(pm_runtime *rt, const sa_format *f, pm_object *buffer) {
    pm_buffer view;
    if (pm_object_getbuffer(rt, buffer, &view, PM_BUF_SIMPLE) < 0) return NULL;
    pm_object *r = NULL;
    if (view.len != f->size) sa_error(rt, "unpack requires a buffer of %zd bytes", f->size);
    else r = sa_unpack(rt, f, view.buf);
    pm_buffer_release(rt, &view);
    return r;
}

/* offset argument: 0 when absent. */
static int offset_arg(pm_runtime *rt, pm_object *o, pm_ssize_t *out) {
    *out = 0;
    if (!o) return 0;
    pm_ssize_t v = pm_index_as_ssize(rt, o, PM_INDEX_OVERFLOWERROR);
    if (v == -1 && pm_err_occurred(rt)) return -1;
    *out = v;
    return 0;
}

static pm_object *do_unpack_from(pm_runtime *rt, const sa_format *f, pm_object *buffer, pm_object *off) {
    pm_ssize_t offset;
    if (offset_arg(rt, off, &offset) < 0) return NULL;
    pm_buffer view;
    if (pm_object_getbuffer(rt, buffer, &view, PM_BUF_SIMPLE) < 0) return NULL;
    pm_object *r = NULL;
    if (offset < 0) {
        if (offset + view.len < 0) {
            sa_error(rt, "offset %zd out of range for %zd-byte buffer", offset, view.len);
            goto done;
        }
        if (-offset < f->size) {
            sa_error(rt, "not enough data to unpack %zd bytes at offset %zd", f->size, offset);
            goto done;
        }
        offset += view.len;
    }
    if (view.len - offset < f->size) {
        sa_error(rt,
                 "unpack_from requires a buffer of at least %zu bytes for unpacking %zd bytes at offset %zd "
                 "(actual buffer size is %zd)",
                 (size_t)f->size + (size_t)offset, f->size, offset, view.len);
        goto done;
    }
    r = sa_unpack(rt, f, (const unsigned char *)view.buf + offset);
done:
    pm_buffer_release(rt, &view);
    return r;
}

/* pack_into(buffer, offset, *v) with args = (buffer, offset, v...). */
static pm_object *do_pack_into(pm_runtime *rt, const sa_format *f, pm_object *const *args, pm_ssize_t nargs) {
    if (nargs < 1) {
        sa_error(rt, "pack_into expected buffer argument");
        return NULL;
    }
    if (nargs < 2) {
        sa_error(rt, "pack_into expected offset argument");
        return NULL;
    }
    pm_buffer view;
    if (pm_object_getbuffer(rt, args[0], &view, PM_BUF_WRITABLE) < 0) {
        if (pm_err_matches(rt, PM_EXC_MemoryError)) return NULL;
        pm_err_clear(rt);
        pm_err_format(rt, PM_EXC_TypeError, "argument must be read-write bytes-like object, not %s",
                      pm_type_name(pm_type_of(args[0])));
        return NULL;
    }
    pm_object *r = NULL;
    unsigned char *tmp = NULL;
    pm_ssize_t offset = pm_index_as_ssize(rt, args[1], PM_INDEX_OVERFLOWERROR);
    if (offset == -1 && pm_err_occurred(rt)) goto done;
    if (nargs - 2 != f->len) {
        sa_error(rt, "pack_into expected %zd items for packing (got %zd)", f->len, nargs - 2);
        goto done;
    }
    if (offset < 0) {
        if (offset + f->size > 0) {
            sa_error(rt, "no space to pack %zd bytes at offset %zd", f->size, offset);
            goto done;
        }
        if (offset + view.len < 0) {
            sa_error(rt, "offset %zd out of range for %zd-byte buffer", offset, view.len);
            goto done;
        }
        offset += view.len;
    }
    if (view.len - offset < f->size) {
        sa_error(rt,
                 "pack_into requires a buffer of at least %zu bytes for packing %zd bytes at offset %zd "
                 "(actual buffer size is %zd)",
                 (size_t)f->size + (size_t)offset, f->size, offset, view.len);
        goto done;
    }
    /* packed aside first: a failing item leaves the buffer as it was */
    tmp = pmi_mod_alloc(rt, (size_t)f->size + 1);
    if (!tmp || sa_pack(rt, f, "pack_into", tmp, args + 2, nargs - 2) < 0) goto done;
    memcpy((unsigned char *)view.buf + offset, tmp, (size_t)f->size);
    r = pm_newref(rt, PM_NONE);
done:
    if (tmp) pm_free(rt, tmp);
    pm_buffer_release(rt, &view);
    return r;
}

static pm_object *do_pack(pm_runtime *rt, const sa_format *f, pm_object *const *args, pm_ssize_t nargs) {
    if (nargs != f->len) {
        sa_error(rt, "pack expected %zd items for packing (got %zd)", f->len, nargs);
        return NULL;
    }
    pm_object *b = pm_bytes_new(rt, NULL, f->size);
    if (!b) return NULL;
    if (sa_pack(rt, f, "pack", (unsigned char *)(uintptr_t)pm_bytes_data(b), args, nargs) < 0) {
        pm_decref(rt, b);
        return NULL;
    }
    return b;
}

/* ---- the Struct type ---------------------------------------------------------- */

typedef struct st_object {
    pm_object ob_base;              /* refcount + type */
    pm_object *format;              /* owned: the format as a str (Struct.format) */
    sa_format f;                    /* the parsed format (codes owned) */
} st_object;

extern const pm_type pmi_struct_type;
extern const pm_type pmi_unpack_iter_type;

/* A Struct for fmt (str or bytes): new ref. */
static pm_object *struct_make(pm_runtime *rt, const pm_type *type, pm_object *fmt, int from_cache) {
    const char *s;
    pm_ssize_t n;
    if (format_text(rt, fmt, from_cache, &s, &n) < 0) return NULL;
    st_object *st = (st_object *)pm_gc_new(rt, type);
    if (!st) return NULL;
    if (sa_parse(rt, s, n, &st->f) < 0) goto fail;
    st->format = pm_str_from_utf8(rt, s, n);
    if (!st->format) goto fail;
    pm_gc_track(rt, (pm_object *)st);
    return (pm_object *)st;
fail:
    pm_decref(rt, (pm_object *)st);
    return NULL;
}

static void st_dealloc(pm_runtime *rt, pm_object *self) {
    st_object *st = (st_object *)self;
    pm_gc_untrack(rt, self);
    PM_CLEAR(rt, st->format);
    sa_format_free(rt, &st->f);
    pm_gc_del(rt, self);
}

static int st_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    st_object *st = (st_object *)self;
    return st->format ? visit(st->format, arg) : 0;
}

static size_t st_sizeof(pm_runtime *rt, pm_object *self) {
    (void)rt;
    /* CPython's layout: a 56-byte object plus one 32-byte formatcode per
     * code and one for the terminator */
    return 56 + 32 * (size_t)(((st_object *)self)->f.ncodes + 1);
}

static pm_object *st_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    pm_ssize_t n = args ? pm_tuple_size(args) : 0;
    pm_object *fmt = n > 0 ? pm_tuple_get(rt, args, 0) : NULL;
    pm_ssize_t nkw = kwargs ? pm_dict_size(kwargs) : 0;
    if (n + nkw > 1) {
        pm_err_format(rt, PM_EXC_TypeError, "Struct() takes at most 1 argument (%zd given)", n + nkw);
        return NULL;
    }
    if (nkw > 0) {
        pm_object *k = dict_get_cstr(rt, kwargs, "format");
        if (!k && !fmt) {
            if (pm_err_occurred(rt)) return NULL;
            pm_err_set(rt, PM_EXC_TypeError, "Struct() missing required argument 'format' (pos 1)");
            return NULL;
        }
        if (!k || nkw > 1 || fmt) {
            if (pm_err_occurred(rt)) return NULL;
            if (fmt && k) {
                pm_err_set(rt, PM_EXC_TypeError,
                           "argument for Struct() given by name ('format') and position (1)");
            } else {
                pm_object *keys = pm_dict_keys(rt, kwargs);
                pm_object *key = keys ? pm_list_get(rt, keys, k ? 1 : 0) : NULL;
                const char *ks = key && pm_str_check(key) ? pm_str_as_utf8(rt, key, NULL) : NULL;
                if (ks) pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for Struct()", ks);
                pm_xdecref(rt, keys);
            }
            return NULL;
        }
        fmt = k;
    }
    if (!fmt) {
        pm_err_set(rt, PM_EXC_TypeError, "Struct() missing required argument 'format' (pos 1)");
        return NULL;
    }
    return struct_make(rt, type, fmt, 0);
}

static pm_object *st_pack(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    return do_pack(rt, &((st_object *)self)->f, args, nargs);
}

static pm_object *st_pack_into(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    return do_pack_into(rt, &((st_object *)self)->f, args, nargs);
}

static pm_object *st_unpack(pm_runtime *rt, pm_object *self, pm_object *buffer) {
    return do_unpack(rt, &((st_object *)self)->f, buffer);
}

static const char *const unpack_from_kw[] = {"buffer", "offset", NULL};

static pm_object *st_unpack_from(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                                 pm_object *kwnames) {
    pm_object *a[2];
    if (pmi_mod_parse_kw(rt, "unpack_from", unpack_from_kw, 2, 1, args, nargs, kwnames, a) < 0) return NULL;
    return do_unpack_from(rt, &((st_object *)self)->f, a[0], a[1]);
}

/* ---- unpack_iterator ---------------------------------------------------------- */

typedef struct ui_object {
    pm_object ob_base;              /* refcount + type */
    pm_object *st;                  /* owned: the Struct; NULL once exhausted */
    pm_buffer view;                 /* the buffer (released when exhausted) */
    pm_ssize_t index;               /* byte offset of the next item */
} ui_object;

static pm_object *iter_make(pm_runtime *rt, pm_object *st, pm_object *buffer) {
    st_object *s = (st_object *)st;
    if (s->f.size == 0) {
        sa_error(rt, "cannot iteratively unpack with a struct of length 0");
        return NULL;
    }
    ui_object *it = (ui_object *)pm_gc_new(rt, &pmi_unpack_iter_type);
    if (!it) return NULL;
    if (pm_object_getbuffer(rt, buffer, &it->view, PM_BUF_SIMPLE) < 0) {
        it->view.obj = NULL;
        pm_decref(rt, (pm_object *)it);
        return NULL;
    }
    if (it->view.len % s->f.size != 0) {
        sa_error(rt, "iterative unpacking requires a buffer of a multiple of %zd bytes", s->f.size);
        pm_decref(rt, (pm_object *)it);
        return NULL;
    }
    it->st = pm_newref(rt, st);
    pm_gc_track(rt, (pm_object *)it);
    return (pm_object *)it;
}

static void ui_release(pm_runtime *rt, ui_object *it) {
    if (it->view.obj) pm_buffer_release(rt, &it->view);
    PM_CLEAR(rt, it->st);
}

static void ui_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    ui_release(rt, (ui_object *)self);
    pm_gc_del(rt, self);
}

static int ui_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    ui_object *it = (ui_object *)self;
    if (it->st) {
        int r = visit(it->st, arg);
        if (r) return r;
    }
    return it->view.obj ? visit(it->view.obj, arg) : 0;
}

static pm_object *ui_iter(pm_runtime *rt, pm_object *self) { return pm_newref(rt, self); }

static pm_object *ui_next(pm_runtime *rt, pm_object *self) {
    ui_object *it = (ui_object *)self;
    if (!it->st) return NULL;
    st_object *s = (st_object *)it->st;
    if (it->index + s->f.size > it->view.len) {
        ui_release(rt, it);
        return NULL;
    }
    pm_object *r = sa_unpack(rt, &s->f, (const unsigned char *)it->view.buf + it->index);
    if (r) it->index += s->f.size;
    return r;
}

static pm_object *ui_length_hint(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    ui_object *it = (ui_object *)self;
    pm_ssize_t n = 0;
    if (it->st) n = (it->view.len - it->index) / ((st_object *)it->st)->f.size;
    return pm_int_from_ssize(rt, n);
}

#define FN(f) ((pm_cfunction)(void (*)(void))(f))

static const pm_method_def ui_methods[] = {
    {"__length_hint__", FN(ui_length_hint), PM_METH_NOARGS, "Private method returning an estimate of len(list(it))."},
    {NULL, NULL, 0, NULL},
};

const pm_type pmi_unpack_iter_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "_struct.unpack_iterator",
    .basicsize = sizeof(ui_object),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = ui_dealloc,
    .traverse = ui_traverse,
    .iter = ui_iter,
    .iternext = ui_next,
    .methods = ui_methods,
};

static pm_object *st_iter_unpack(pm_runtime *rt, pm_object *self, pm_object *buffer) {
    return iter_make(rt, self, buffer);
}

static pm_object *st_sizeof_method(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_int_from_ssize(rt, (pm_ssize_t)st_sizeof(rt, self));
}

static pm_object *st_get_format(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    return pm_newref(rt, ((st_object *)self)->format);
}

static pm_object *st_get_size(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    return pm_int_from_ssize(rt, ((st_object *)self)->f.size);
}

static const pm_method_def st_methods[] = {
    {"iter_unpack", FN(st_iter_unpack), PM_METH_O,
     "Return an iterator yielding tuples unpacked from the given bytes."},
    {"pack", FN(st_pack), PM_METH_FASTCALL,
     "S.pack(v1, v2, ...) -> bytes\n\nReturn a bytes object containing values v1, v2, ... packed according\n"
     "to the format string S.format.  See help(struct) for more on format\nstrings."},
    {"pack_into", FN(st_pack_into), PM_METH_FASTCALL,
     "S.pack_into(buffer, offset, v1, v2, ...)\n\nPack the values v1, v2, ... according to the format string "
     "S.format\nand write the packed bytes into the writable buffer buf starting at\noffset."},
    {"unpack", FN(st_unpack), PM_METH_O, "Return a tuple containing unpacked values."},
    {"unpack_from", FN(st_unpack_from), PM_METH_FASTCALL | PM_METH_KEYWORDS,
     "Return a tuple containing unpacked values."},
    {"__sizeof__", FN(st_sizeof_method), PM_METH_NOARGS, "S.__sizeof__() -> size of S in memory, in bytes"},
    {NULL, NULL, 0, NULL},
};

static const pm_getset_def st_getset[] = {
    {"format", st_get_format, NULL, "struct format string", NULL},
    {"size", st_get_size, NULL, "struct size in bytes", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const pm_type pmi_struct_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "_struct.Struct",
    .basicsize = sizeof(st_object),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .doc = "Struct(fmt) --> compiled struct object\n\n",
    .dealloc = st_dealloc,
    .traverse = st_traverse,
    .size_of = st_sizeof,
    .new_object = st_new,
    .methods = st_methods,
    .getset = st_getset,
};

/* ---- module functions --------------------------------------------------------- */

/* The Struct for a module function's format argument: new ref. */
static pm_object *cached_struct(pm_runtime *rt, pm_object *fmt) {
    return struct_make(rt, &pmi_struct_type, fmt, 1);
}

/* What a module function does with the Struct of its format. */
typedef enum st_op { OP_PACK, OP_PACK_INTO, OP_UNPACK, OP_UNPACK_FROM, OP_ITER_UNPACK, OP_CALCSIZE } st_op;

/* The Struct method op on the Struct for fmt, with the function's other
 * arguments (args[0..nargs)): new ref / NULL. */
static pm_object *with_struct(pm_runtime *rt, pm_object *fmt, st_op op, pm_object *const *args, pm_ssize_t nargs) {
    pm_object *st = cached_struct(rt, fmt);
    if (!st) return NULL;
    const sa_format *f = &((st_object *)st)->f;
    pm_object *r;
    switch (op) {
    case OP_PACK: r = do_pack(rt, f, args, nargs); break;
    case OP_PACK_INTO: r = do_pack_into(rt, f, args, nargs); break;
    case OP_UNPACK: r = do_unpack(rt, f, args[0]); break;
    case OP_UNPACK_FROM: r = do_unpack_from(rt, f, args[0], args[1]); break;
    case OP_ITER_UNPACK: r = iter_make(rt, st, args[0]); break;
    default: r = pm_int_from_ssize(rt, f->size); break;
    }
    pm_decref(rt, st);
    return r;
}

/* pack / pack_into: the format, then the Struct method's arguments. */
static pm_object *pack_op(pm_runtime *rt, st_op op, pm_object *const *args, pm_ssize_t nargs) {
    if (nargs < 1) {
        pm_err_set(rt, PM_EXC_TypeError, "missing format argument");
        return NULL;
    }
    return with_struct(rt, args[0], op, args + 1, nargs - 1);
}

static pm_object *m_pack(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    return pack_op(rt, OP_PACK, args, nargs);
}

static pm_object *m_pack_into(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    return pack_op(rt, OP_PACK_INTO, args, nargs);
}

static pm_object *m_unpack(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (pmi_mod_check_positional(rt, "unpack", nargs, 2, 2) < 0) return NULL;
    return with_struct(rt, args[0], OP_UNPACK, args + 1, 1);
}

static const char *const m_unpack_from_kw[] = {"", "buffer", "offset", NULL};

static pm_object *m_unpack_from(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                                pm_object *kwnames) {
    (void)self;
    pm_object *a[3];
    if (pmi_mod_parse_kw(rt, "unpack_from", m_unpack_from_kw, 3, 2, args, nargs, kwnames, a) < 0) return NULL;
    return with_struct(rt, a[0], OP_UNPACK_FROM, a + 1, 2);
}

static pm_object *m_iter_unpack(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (pmi_mod_check_positional(rt, "iter_unpack", nargs, 2, 2) < 0) return NULL;
    return with_struct(rt, args[0], OP_ITER_UNPACK, args + 1, 1);
}

static pm_object *m_calcsize(pm_runtime *rt, pm_object *self, pm_object *fmt) {
    (void)self;
    return with_struct(rt, fmt, OP_CALCSIZE, NULL, 0);
}

static pm_object *m_clearcache(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return pm_newref(rt, PM_NONE);
}

static const pm_method_def struct_methods[] = {
    {"_clearcache", FN(m_clearcache), PM_METH_NOARGS, "Clear the internal cache."},
    {"calcsize", FN(m_calcsize), PM_METH_O, "Return size in bytes of the struct described by the format string."},
    {"iter_unpack", FN(m_iter_unpack), PM_METH_FASTCALL,
     "Return an iterator yielding tuples unpacked from the given bytes."},
    {"pack", FN(m_pack), PM_METH_FASTCALL,
     "pack(format, v1, v2, ...) -> bytes\n\nReturn a bytes object containing the values v1, v2, ... packed "
     "according\nto the format string.  See help(struct) for more on format strings."},
    {"pack_into", FN(m_pack_into), PM_METH_FASTCALL,
     "pack_into(format, buffer, offset, v1, v2, ...)\n\nPack the values v1, v2, ... according to the format "
     "string and write\nthe packed bytes into the writable buffer buf starting at offset."},
    {"unpack", FN(m_unpack), PM_METH_FASTCALL,
     "Return a tuple containing values unpacked according to the format string."},
    {"unpack_from", FN(m_unpack_from), PM_METH_FASTCALL | PM_METH_KEYWORDS,
     "Return a tuple containing values unpacked according to the format string."},
    {NULL, NULL, 0, NULL},
};
#undef FN

/* struct.error: class error(Exception) with __module__ 'struct'. */
static int struct_fill(pm_runtime *rt, pm_object *m) {
    int rc = -1;
    pm_object *name = NULL, *bases = NULL, *ns = NULL, *modname = NULL, *cls = NULL;
    name = pm_str_from_cstr(rt, "error");
    bases = name ? pm_tuple_pack(rt, 1, pm_type_as_object(&pm_exc_Exception)) : NULL;
    ns = bases ? pm_dict_new(rt) : NULL;
    modname = ns ? pm_str_from_cstr(rt, "struct") : NULL;
    pm_object *key = modname ? pm_str_from_cstr(rt, "__module__") : NULL;
    int set = key ? pm_dict_set(rt, ns, key, modname) : -1;
    pm_xdecref(rt, key);
    if (set < 0) goto fail;
    pm_object *targs[3] = {name, bases, ns};
    cls = pm_call(rt, pm_type_as_object(&pm_type_type), targs, 3, NULL);
    if (!cls || pmi_module_add(rt, m, "error", cls) < 0) goto fail;
    if (pmi_module_add(rt, m, "Struct", pm_type_as_object(&pmi_struct_type)) < 0) goto fail;
    rc = 0;
fail:
    pm_xdecref(rt, name);
    pm_xdecref(rt, bases);
    pm_xdecref(rt, ns);
    pm_xdecref(rt, modname);
    pm_xdecref(rt, cls);
    return rc;
}

static const pmi_module_def struct_def = {
    .name = "_struct",
    .doc = "Functions to convert between Python values and C structs.",
    .methods = struct_methods,
    .fill = struct_fill,
};

pm_object *pmi_struct_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &struct_def);
}
