/*
 * format.h — internal interface shared by format.c (format(), the format-spec
 * mini-language) and strformat.c (str.format / format_map, %-formatting).
 *
 * Text is assembled as code points in a pmi_ubuf, then turned into a str of
 * the narrowest kind in one step (pmi_ubuf_finish), so padding and fill
 * characters of any width cost nothing special.
 */
#ifndef PYMM_FORMAT_H
#define PYMM_FORMAT_H

#include "scalar.h"

/* ---- a growable code-point buffer (format.c) ----------------------------- */
typedef struct pmi_ubuf {
    uint32_t *p;                /* the code points: `small` or pm_malloc'd */
    pm_ssize_t len;             /* code points written */
    pm_ssize_t cap;             /* room at p, in code points */
    uint32_t maxchar;           /* largest code point written (str kind) */
    uint32_t small[96];         /* inline room: most results need no block */
} pmi_ubuf;

void pmi_ubuf_init(pmi_ubuf *b);
/* Each append returns 0, or -1 with MemoryError set (the buffer stays valid
 * and must still be finished or discarded). */
int pmi_ubuf_reserve(pm_runtime *rt, pmi_ubuf *b, pm_ssize_t extra);
int pmi_ubuf_putc(pm_runtime *rt, pmi_ubuf *b, uint32_t c);
int pmi_ubuf_fill(pm_runtime *rt, pmi_ubuf *b, uint32_t c, pm_ssize_t n);
int pmi_ubuf_ascii(pm_runtime *rt, pmi_ubuf *b, const char *s, pm_ssize_t n);
/* n code points stored `kind` (1, 2 or 4) bytes each at data. */
int pmi_ubuf_raw(pm_runtime *rt, pmi_ubuf *b, int kind, const void *data, pm_ssize_t n);
/* s[start:end] of a str (borrowed). */
int pmi_ubuf_substr(pm_runtime *rt, pmi_ubuf *b, pm_object *s, pm_ssize_t start, pm_ssize_t end);
/* New ref to the text as a str (NULL + MemoryError); frees the buffer. */
pm_object *pmi_ubuf_finish(pm_runtime *rt, pmi_ubuf *b);
/* Frees the buffer without making a str. */
void pmi_ubuf_discard(pm_runtime *rt, pmi_ubuf *b);

/* ---- a parsed format spec -------------------------------------------------- */
enum { PMI_SEP_NONE = 0, PMI_SEP_COMMA = 1, PMI_SEP_UNDER = 2, PMI_SEP_UNDER4 = 3 };

typedef struct pmi_fspec {
    uint32_t fill;              /* fill character (' ' unless given) */
    uint32_t align;             /* '<' '>' '=' '^' (the type's default if not given) */
    uint32_t sign;              /* 0, '+', '-' or ' ' */
    int alternate;              /* '#' */
    int no_neg_0;               /* 'z' (PEP 682) */
    pm_ssize_t width;           /* minimum width, -1 when not given */
    int sep;                    /* PMI_SEP_*: grouping separator */
    pm_ssize_t precision;       /* -1 when not given */
    uint32_t type;              /* presentation type; 0 = none */
} pmi_fspec;

/* Format an int (bool included), a C double, or a str by a parsed spec
 * into b: the bodies of int/float/str.__format__.  tname is the type name
 * used in "Unknown format code" messages.  0 / -1 with the error set. */
int pmi_format_int(pm_runtime *rt, pmi_ubuf *b, pm_object *v, const pmi_fspec *f, const char *tname);
int pmi_format_double(pm_runtime *rt, pmi_ubuf *b, double v, const pmi_fspec *f, const char *tname);
int pmi_format_str(pm_runtime *rt, pmi_ubuf *b, pm_object *s, const pmi_fspec *f, const char *tname);

/* The decimal / hex / octal digits of |v| for an int v, NUL-terminated, in
 * a pm_malloc'd block the caller frees; *n receives the digit count.  base
 * 2, 8, 10 or 16 (lower-case).  NULL + MemoryError. */
char *pmi_int_digits(pm_runtime *rt, pm_object *v, int base, pm_ssize_t *n);

/* The same for an int below 2**60 (at most two 30-bit digits) without
 * allocating: the digits and a NUL go to buf (PMI_INT_SMALL_DIGITS + 1
 * bytes), the count is returned; -1 (nothing written) for a larger int. */
#define PMI_INT_SMALL_DIGITS 64
pm_ssize_t pmi_int_digits_small(const pm_object *v, int base, char *buf);

/* A double as text, CPython's PyOS_double_to_string: type 'e' 'E' 'f' 'F'
 * 'g' 'G' or 'r' (repr; precision ignored), alt = '#', add_dot_0 = keep a
 * ".0" on integral results (the empty presentation type), no_neg_0 = 'z'.
 * A pm_malloc'd NUL-terminated string (caller frees), or NULL + MemoryError. */
char *pmi_double_to_string(pm_runtime *rt, double v, int type, int precision, int alt,
                           int add_dot_0, int no_neg_0);

/* The value 0..9 of a Unicode decimal digit (category Nd), else -1. */
int pmi_decimal_value(uint32_t c);

/* format(value, spec) by the built-in __format__ of value's base (int,
 * float, str, complex; object's for the rest), skipping a class's own
 * __format__ (int.__format__ / object.__format__ from Python).  spec a str
 * or NULL.  NEW ref. */
pm_object *pmi_format_builtin(pm_runtime *rt, pm_object *value, pm_object *spec);

/* ascii(o): repr(o) with every non-ASCII code point escaped.  NEW ref. */
pm_object *pmi_format_ascii(pm_runtime *rt, pm_object *o);

#endif
