/*
 * scalar.h — the layouts of the scalar types (int, bool, float, str, bytes,
 * bytearray), field for field CPython 3.11's, so that sys.getsizeof agrees.
 * Internal to the object layer.
 */
#ifndef PYMM_SCALAR_H
#define PYMM_SCALAR_H

#include "core/object.h"

/* ---- int: PyLongObject, 30-bit digits in uint32 ------------------------- */

typedef uint32_t pmi_digit;
typedef uint64_t pmi_twodigits;
typedef int64_t pmi_stwodigits;
#define PMI_SHIFT 30
#define PMI_BASE ((pmi_digit)1 << PMI_SHIFT)
#define PMI_MASK ((pmi_digit)(PMI_BASE - 1))

struct pm_intobject {
    pm_varobject ob_base;       /* ob_size: number of digits, negative for
                                   negative numbers, 0 for zero */
    pmi_digit ob_digit[1];      /* little-endian digits, each < 2**30; the
                                   most significant is non-zero */
};
typedef struct pm_intobject pmi_int;
#define PMI_INT_HEADER offsetof(pmi_int, ob_digit)   /* 24 */

/* Digit count, sign-free. */
static inline pm_ssize_t pmi_int_ndigits(const pm_object *o) {
    pm_ssize_t n = ((const pm_varobject *)o)->ob_size;
    return n < 0 ? -n : n;
}

/* ---- float: PyFloatObject ------------------------------------------------ */

typedef struct pmi_float {
    pm_object ob_base;          /* refcount + type (next link on the free list) */
    double ob_fval;             /* the value */
} pmi_float;                    /* 24 bytes */

/* ---- str: PyASCIIObject / PyCompactUnicodeObject (PEP 393) ---------------- */

enum { PMI_SSTATE_NOT_INTERNED = 0, PMI_SSTATE_INTERNED_MORTAL = 1 };
enum { PMI_KIND_1 = 1, PMI_KIND_2 = 2, PMI_KIND_4 = 4 };

typedef struct pmi_ascii {
    pm_object ob_base;          /* refcount + type */
    pm_ssize_t length;          /* code points */
    pm_hash_t hash;             /* cached hash; -1 until computed */
    struct {
        unsigned int interned : 2;  /* PMI_SSTATE_* */
        unsigned int kind : 3;      /* 1, 2 or 4 bytes per code point */
        unsigned int compact : 1;   /* always 1: data follows the struct */
        unsigned int ascii : 1;     /* all code points < 128: data right after
                                       this struct, which is also its UTF-8 */
        unsigned int ready : 1;     /* always 1 (no legacy strings) */
        unsigned int : 24;
    } state;
    void *wstr;                 /* always NULL; kept for CPython's layout/size */
} pmi_ascii;                    /* 48 bytes; ASCII data follows */

typedef struct pmi_compact {
    pmi_ascii _base;            /* as above, ascii == 0 */
    pm_ssize_t utf8_length;     /* bytes in utf8, when cached */
    char *utf8;                 /* cached UTF-8 (pm_malloc'd) or NULL */
    pm_ssize_t wstr_length;     /* always 0 */
} pmi_compact;                  /* 72 bytes; latin-1 / UCS-2 / UCS-4 data follows */

#define PMI_STR(o) ((pmi_ascii *)(o))
static inline void *pmi_str_data(const pm_object *o) {
    const pmi_ascii *a = (const pmi_ascii *)o;
    return a->state.ascii ? (void *)(a + 1) : (void *)((const pmi_compact *)o + 1);
}
static inline uint32_t pmi_str_read(int kind, const void *data, pm_ssize_t i) {
    if (kind == 1) return ((const uint8_t *)data)[i];
    if (kind == 2) return ((const uint16_t *)data)[i];
    return ((const uint32_t *)data)[i];
}
static inline void pmi_str_write(int kind, void *data, pm_ssize_t i, uint32_t c) {
    if (kind == 1) ((uint8_t *)data)[i] = (uint8_t)c;
    else if (kind == 2) ((uint16_t *)data)[i] = (uint16_t)c;
    else ((uint32_t *)data)[i] = c;
}
/* A new str of n code points able to hold maxchar; data uninitialised
 * except the terminating NUL.  NULL + MemoryError. */
pm_object *pmi_str_new(pm_runtime *rt, pm_ssize_t n, uint32_t maxchar);
/* objects/singletons.c: the shared '' / chr(c) (c < 256) / b'' / bytes([c])
 * of rt — immortal, so the results are borrowed and new refs alike.
 * pmi_str_result steals s and returns the singleton equal to it when s is
 * an exact str of length 0, or 1 with a code point < 256 (CPython's
 * unicode_result); s itself otherwise (NULL passes through). */
pm_object *pmi_str_empty(pm_runtime *rt);
pm_object *pmi_str_latin1(pm_runtime *rt, uint32_t c);
pm_object *pmi_bytes_empty(pm_runtime *rt);
pm_object *pmi_bytes_char(pm_runtime *rt, unsigned char c);
pm_object *pmi_str_result(pm_runtime *rt, pm_object *s);
/* objects/intlimit.c: the runtime's int/str digit limit (0 or -1 with
 * CPython's ValueError).  tostr_precheck: before converting an int of
 * `ndigits` 30-bit digits to decimal; tostr_check: its decimal form has
 * `ndecimal` digits (sign excluded); fromstr_check: a decimal (any
 * non-power-of-two base) text has `ndecimal` digits. */
int pmi_int_tostr_precheck(pm_runtime *rt, pm_ssize_t ndigits);
int pmi_int_tostr_check(pm_runtime *rt, pm_ssize_t ndecimal);
int pmi_int_fromstr_check(pm_runtime *rt, pm_ssize_t ndecimal);
/* Hash of a str (computes and caches). */
pm_hash_t pmi_str_hash(pm_runtime *rt, pm_object *s);
/* 1 when equal (same length, kind and data). */
int pmi_str_eq(const pm_object *a, const pm_object *b);

/* ---- bytes: PyBytesObject --------------------------------------------------- */

typedef struct pmi_bytes {
    pm_varobject ob_base;       /* ob_size: bytes, excluding the NUL */
    pm_hash_t ob_shash;         /* cached hash; -1 until computed */
    char ob_sval[1];            /* ob_size bytes + a NUL */
} pmi_bytes;
#define PMI_BYTES_HEADER (offsetof(pmi_bytes, ob_sval) + 1)   /* 33 */

/* Copy n bytes p[start], p[start+step], ... (adjusted indices) to dst. */
void pmi_bytes_take(char *dst, const char *p, pm_ssize_t start, pm_ssize_t step, pm_ssize_t n);

/* ---- bytearray: PyByteArrayObject ------------------------------------------ */

typedef struct pmi_bytearray {
    pm_varobject ob_base;       /* ob_size: bytes in use */
    pm_ssize_t ob_alloc;        /* bytes allocated at ob_bytes (0 when NULL) */
    char *ob_bytes;             /* the buffer (pm_malloc'd), NUL after ob_size */
    char *ob_start;             /* logical start (== ob_bytes here) */
    pm_ssize_t ob_exports;      /* buffers exported and not released */
} pmi_bytearray;                /* 56 bytes */

/* Render bytes data as CPython's bytes repr (b'...') into sb; escape_squote:
 * escape ' even inside "..." (bytearray's repr does). */
void pmi_bytes_repr_into(pm_runtime *rt, pmi_sb *sb, const unsigned char *p, pm_ssize_t n,
                         int escape_squote);

/* The codecs str.encode and bytes.decode run themselves, by a normalized
 * name (case, '-' and ' ' folded as CPython's codec lookup folds them):
 * 0 utf-8, 1 ascii, 2 latin-1, -1 another codec (strmethods.c). */
int pmi_codec_of(const char *name);

#endif
