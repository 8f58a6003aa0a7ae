/*
 * typenew.c — calling the core types: int(x), float('1.5'), str(b, 'ascii'),
 * list(it), dict(pairs, **kw), bytes(3), slice(1, 2), type(None)() ...
 * CPython 3.11's long_new, float_new, unicode_new, bytes_new,
 * bytearray___init__, list___init__, tuple_new, dict_init, set_init,
 * frozenset_new, complex_new, slice_new, memoryview and the singletons'
 * tp_new.
 *
 * Purpose
 *   type.__call__ (core/type.c) runs type->new_object(args, kwargs) and
 *   then, for an instance of the type, type->init.  This file supplies both
 *   for every core type; the type files only name them.
 *
 *     T(*args, **kw) --> new_object --+-- immutable types: the whole value
 *                                     |   (int, float, str, bytes, tuple,
 *                                     |   frozenset, complex, slice, ...)
 *                                     +-- list / dict / set / bytearray: an
 *                                         empty object; init fills it, so
 *                                         l.__init__([1]) refills l
 *
 * Invariants
 *   - No parser is duplicated: ints go through pm_int_from_string (digit
 *     limit included), dict pairs through dict.update, encodings through
 *     str.encode / bytes.decode.  The one parser here is float's text
 *     grammar (digits, '_' between digits, '.', exponent, inf / nan), which
 *     validates the text and hands the digits to strtod.
 *   - Arguments are checked in CPython's order with its messages: the count
 *     ("int() takes at most 2 arguments (3 given)"), required arguments,
 *     then unknown keywords ("'x' is an invalid keyword argument for
 *     int()"); clinic-style types say "list expected at most 1 argument,
 *     got 2" and "list() takes no keyword arguments".
 *   - A class derived from a value type (class I(int)) is built as the
 *     exact value first, then copied into the class's layout
 *     (objects/subvalue.c, CPython's long_subtype_new & co.); a class of a
 *     mutable container starts empty and its __init__ fills it.
 *     memoryview cannot be subclassed.
 *
 * Non-ASCII text: int('١٢') and float('\u3000 1.5') map Unicode decimal
 * digits and white space to ASCII first, as CPython (a table of the digit
 * runs of Unicode 14.0).  Not mirrored: the DeprecationWarning of int()
 * falling back to __trunc__.
 */
#include "objects/typenew.h"
#include "objects/scalar.h"
#include "objects/subvalue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- argument helpers -------------------------------------------------- */

/* Exact core types only (see the essay). */
static int exact_only(pm_runtime *rt, const pm_type *type, const pm_type *core) {
    if (type == core) return 1;
    pm_err_format(rt, PM_EXC_TypeError, "cannot create '%s' instances: subclasses of '%s' are not supported yet",
                  type->name, core->name);
    return 0;
}

static pm_ssize_t nkwargs(pm_object *kwargs) { return kwargs ? pm_dict_size(kwargs) : 0; }

/* _PyArg_NoKeywords: "list() takes no keyword arguments".  1 / 0. */
static int no_kwargs(pm_runtime *rt, const char *fname, pm_object *kwargs) {
    if (!nkwargs(kwargs)) return 1;
    pm_err_format(rt, PM_EXC_TypeError, "%s() takes no keyword arguments", fname);
    return 0;
}

/* PyArg_ParseTupleAndKeywords for "|OOO:fname" style signatures: names[i]
 * is parameter i's keyword ("" = positional-only); the first `min` are
 * required.  out[i] borrowed, NULL when absent.  1 / 0. */
static int parse_old(pm_runtime *rt, const char *fname, const char *const *names, pm_ssize_t nnames,
                     pm_ssize_t min, pm_object *args, pm_object *kwargs, pm_object **out) {
    pm_ssize_t nargs = pm_tuple_size(args), nkw = nkwargs(kwargs), found = 0;
    if (nargs + nkw > nnames) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most %zd argument%s (%zd given)", fname, nnames,
                      nnames == 1 ? "" : "s", nargs + nkw);
        return 0;
    }
    for (pm_ssize_t i = 0; i < nnames; i++) {
        out[i] = i < nargs ? pm_tuple_get(rt, args, i) : NULL;
        if (!names[i][0] || !nkw) continue;
        pm_object *v = NULL, *k, *val;
        pm_ssize_t pos = 0;
        while (pm_dict_next(kwargs, &pos, &k, &val))
            if (pm_str_check(k) && pm_str_equal_cstr(k, names[i])) v = val;
        if (!v) continue;
        if (i < nargs) {
            pm_err_format(rt, PM_EXC_TypeError, "argument for %s() given by name ('%s') and position (%zd)",
                          fname, names[i], i + 1);
            return 0;
        }
        out[i] = v;
        found++;
    }
    for (pm_ssize_t i = 0; i < min; i++)
        if (!out[i]) {
            if (names[i][0])
                pm_err_format(rt, PM_EXC_TypeError, "%s() missing required argument '%s' (pos %zd)", fname,
                              names[i], i + 1);
            else
                pm_err_format(rt, PM_EXC_TypeError, "%s() takes at least %zd argument%s (%zd given)", fname,
                              min, min == 1 ? "" : "s", nargs);
            return 0;
        }
    if (found < nkw) {
        /* the first keyword that names no parameter */
        pm_object *k, *val;
        pm_ssize_t pos = 0;
        while (pm_dict_next(kwargs, &pos, &k, &val)) {
            int known = 0;
            for (pm_ssize_t i = 0; i < nnames && !known; i++)
                known = names[i][0] && pm_str_check(k) && pm_str_equal_cstr(k, names[i]);
            if (known) continue;
            if (!pm_str_check(k)) {
                pm_err_set(rt, PM_EXC_TypeError, "keywords must be strings");
                return 0;
            }
            const char *u = pm_str_as_utf8(rt, k, NULL);
            if (u) pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for %s()", u, fname);
            return 0;
        }
    }
    return 1;
}

/* obj.name(args...) for a method name given as C text. */
static pm_object *call_method(pm_runtime *rt, pm_object *obj, const char *name, pm_object *const *args,
                              pm_ssize_t nargs) {
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return NULL;
    pm_object *r = pm_call_method(rt, obj, n, args, nargs);
    pm_decref(rt, n);
    return r;
}

/* type(o).name when the type defines it: a new ref to the looked-up
 * attribute, NULL with no error when absent, NULL + error on failure. */
static pm_object *lookup_special(pm_runtime *rt, pm_object *o, const char *name, int *err) {
    pm_object *n = pm_str_intern_cstr(rt, name), *r = NULL;
    *err = 0;
    if (!n) {
        *err = 1;
        return NULL;
    }
    r = pm_type_lookup(rt, o->ob_type, n);
    pm_decref(rt, n);
    if (!r) {
        *err = pm_err_occurred(rt);
        return NULL;
    }
    return pm_newref(rt, r);
}

/* 1 when a static type's methods table (or a base's) names `name`: read
 * from the tables, so no type dict is made for the question. */
static int static_defines(const pm_type *t, const char *name) {
    for (; t; t = t->base)
        for (const pm_method_def *m = t->methods; m && m->name; m++)
            if (strcmp(m->name, name) == 0) return 1;
    return 0;
}

/* lookup_special for the hooks few static core types define (__trunc__,
 * __bytes__, __complex__ on objects the slots did not already answer):
 * classes, and the static types whose methods table has the hook (the
 * weakref proxies' __bytes__). */
static pm_object *class_special(pm_runtime *rt, pm_object *o, const char *name, int *err) {
    *err = 0;
    if (!(o->ob_type->flags & PM_TPFLAGS_HEAPTYPE) && !static_defines(o->ob_type, name)) return NULL;
    return lookup_special(rt, o, name, err);
}

/* ---- non-ASCII text: Unicode digits and white space ---------------------- */

/* The first code point (digit zero) of every run of ten Unicode decimal
 * digits (category Nd) above ASCII, Unicode 14.0 as python3.11's
 * unicodedata; each run is '0'..'9' in order. */
static const uint32_t nd_zeros[] = {
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
    0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0,
    0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0,
    0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE,
    0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
};

/* Py_UNICODE_ISSPACE above ASCII. */
static int uni_space(uint32_t c) {
    return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
           c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/* The decimal value of a non-ASCII code point, or -1. */
static int uni_decimal(uint32_t c) {
    size_t lo = 0, hi = sizeof nd_zeros / sizeof nd_zeros[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (nd_zeros[mid] + 10 <= c) lo = mid + 1;
        else if (nd_zeros[mid] > c) hi = mid;
        else return (int)(c - nd_zeros[mid]);
    }
    return -1;
}

/* For a str with non-ASCII characters, the ASCII text int() and float()
 * parse (CPython's _PyUnicode_TransformDecimalAndSpaceToASCII): white space
 * becomes ' ', decimal digits their ASCII digit, and the text ends with a
 * '?' at the first other character.  Returns a new bytes object (the
 * caller's text), NULL + MemoryError; *changed is 0 (nothing returned, no
 * error) for an all-ASCII str. */
static pm_object *uni_to_ascii(pm_runtime *rt, pm_object *s, int *changed) {
    pm_ssize_t n = pm_str_length(s);
    *changed = 0;
    if (pm_str_kind(s) == 1) {
        pm_ssize_t i = 0;
        while (i < n && pm_str_read_char(s, i) < 128) i++;
        if (i == n) return NULL;
    }
    *changed = 1;
    pm_object *b = pm_bytes_new(rt, NULL, n);
    if (!b) return NULL;
    char *out = (char *)pm_bytes_data(b);
    for (pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = pm_str_read_char(s, i);
        int d;
        if (c < 128) {
            out[i] = (char)c;
        } else if (uni_space(c)) {
            out[i] = ' ';
        } else if ((d = uni_decimal(c)) >= 0) {
            out[i] = (char)('0' + d);
        } else {
            out[i] = '?';
            /* shorten: the rest is never read (the parse fails at '?') */
            for (pm_ssize_t j = i + 1; j < n; j++) out[j] = '?';
            break;
        }
    }
    return b;
}

/* ---- text sources: str (as UTF-8), bytes, bytearray, other buffers ------ */

typedef struct text_src {
    const char *p;              /* the text */
    pm_ssize_t n;               /* its length in bytes */
    pm_buffer view;             /* the buffer held for a non-str source */
    int has_view;               /* 1 when view must be released */
    pm_object *ascii;           /* a non-ASCII str's ASCII form (bytes), or NULL */
} text_src;

/* 1 filled, 0 o is not text-like (no error), -1 error. */
static int text_get(pm_runtime *rt, pm_object *o, text_src *t) {
    t->has_view = 0;
    t->ascii = NULL;
    if (pm_str_check(o)) {
        int changed;
        t->ascii = uni_to_ascii(rt, o, &changed);
        if (changed && !t->ascii) return -1;
        if (t->ascii) {
            t->p = pm_bytes_data(t->ascii);
            t->n = pm_bytes_size(t->ascii);
            return 1;
        }
        t->p = pm_str_as_utf8(rt, o, &t->n);
        return t->p ? 1 : -1;
    }
    if (!pm_object_check_buffer(o)) return 0;
    if (pm_object_getbuffer(rt, o, &t->view, PM_BUF_SIMPLE) < 0) return -1;
    t->has_view = 1;
    t->p = t->view.buf;
    t->n = t->view.len;
    return 1;
}

static void text_release(pm_runtime *rt, text_src *t) {
    if (t->has_view) pm_buffer_release(rt, &t->view);
    t->has_view = 0;
    PM_CLEAR(rt, t->ascii);
}

/* ValueError "<prefix>%R" with the repr cut as CPython's %.200R (int) or
 * whole (float); the message is built as a str, so its length is not
 * bounded by the runtime's message buffer. */
static void *value_error_repr(pm_runtime *rt, const char *prefix, pm_object *o, pm_ssize_t cut) {
    pm_object *r = pm_repr(rt, o), *pre = NULL, *msg = NULL;
    if (r && cut > 0 && pm_str_length(r) > cut) {
        pm_object *c = pm_str_slice(rt, r, 0, cut, 1);
        pm_decref(rt, r);
        r = c;
    }
    if (r && (pre = pm_str_from_cstr(rt, prefix)) != NULL) msg = pm_str_concat(rt, pre, r);
    if (msg) pm_err_set_object(rt, &pm_exc_ValueError, msg);
    pm_xdecref(rt, msg);
    pm_xdecref(rt, pre);
    pm_xdecref(rt, r);
    return NULL;
}

/* ---- int ------------------------------------------------------------------ */

/* int(text, base) for a text-like o; pm_int_from_string reports the
 * literal it parsed as a str, so a bytes-like source gets a bytes repr
 * back and a non-ASCII str its own repr. */
static pm_object *int_from_text(pm_runtime *rt, pm_object *o, text_src *t, int base) {
    pm_object *r = pm_int_from_string(rt, t->p, t->n, base);
    if (!r && (!pm_str_check(o) || t->ascii) && pm_err_matches(rt, PM_EXC_ValueError) &&
        strncmp(pm_err_message(rt), "invalid literal", 15) == 0) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "invalid literal for int() with base %d: ", base);
        pm_err_clear(rt);
        /* a str as given; the literal of a buffer as bytes, whatever the
         * buffer's type (CPython copies it into a bytes) */
        pm_object *b = pm_str_check(o) ? pm_newref(rt, o) : pm_bytes_new(rt, t->p, t->n);
        if (b) value_error_repr(rt, prefix, b, 200);
        pm_xdecref(rt, b);
    }
    return r;
}

/* The result of __int__ / __index__ / __trunc__ as an exact int. */
static pm_object *exact_int(pm_runtime *rt, pm_object *r, const char *what) {
    if (!r || r->ob_type == &pm_int_type) return r;
    if (!pm_int_check(r)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s returned non-int (type %s)", what, r->ob_type->name);
        pm_decref(rt, r);
        return NULL;
    }
    pm_object *zero = pm_int_from_long(rt, 0), *e = zero ? pm_int_add(rt, r, zero) : NULL;
    pm_xdecref(rt, zero);
    pm_decref(rt, r);
    return e;
}

/* PyNumber_Long: int(x) without a base. */
static pm_object *number_long(pm_runtime *rt, pm_object *x) {
    if (x->ob_type == &pm_int_type) return pm_newref(rt, x);
    const pm_number_methods *nb = x->ob_type->as_number;
    if (nb && nb->nb_int) return exact_int(rt, nb->nb_int(rt, x), "__int__");
    if (nb && nb->nb_index) return pm_index(rt, x);
    /* text before __trunc__: no object reachable from Python is both a
     * str / buffer and defines __trunc__, and the type lookup is saved */
    text_src t;
    int k = text_get(rt, x, &t);
    if (k < 0) return NULL;
    if (k == 1) {
        pm_object *r = int_from_text(rt, x, &t, 10);
        text_release(rt, &t);
        return r;
    }
    int err = 0;
    pm_object *trunc = class_special(rt, x, "__trunc__", &err);
    if (err) return NULL;
    if (!trunc)
        return pmi_err_type(rt, "int() argument must be a string, a bytes-like object or a real number, not '%.200s'",
                            x);
    pm_decref(rt, trunc);
    pm_object *r = call_method(rt, x, "__trunc__", NULL, 0);
    if (!r || pm_int_check(r)) return exact_int(rt, r, "__trunc__");
    if (!(r->ob_type->as_number && r->ob_type->as_number->nb_index)) {
        pm_err_format(rt, PM_EXC_TypeError, "__trunc__ returned non-Integral (type %s)", r->ob_type->name);
        pm_decref(rt, r);
        return NULL;
    }
    pm_object *i = pm_index(rt, r);
    pm_decref(rt, r);
    return i;
}

pm_object *pmi_int_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"", "base"};
    pm_object *a[2];
    if (type != &pm_int_type) return pmi_subvalue_new(rt, type, pmi_int_tp_new(rt, &pm_int_type, args, kwargs));
    if (!parse_old(rt, "int", names, 2, 0, args, kwargs, a)) return NULL;
    if (!a[0]) {
        if (a[1]) {
            pm_err_set(rt, PM_EXC_TypeError, "int() missing string argument");
            return NULL;
        }
        return pm_int_from_long(rt, 0);
    }
    if (!a[1]) return number_long(rt, a[0]);
    pm_ssize_t base = pm_index_as_ssize(rt, a[1], PM_INDEX_CLAMP);
    if (base == -1 && pm_err_occurred(rt)) return NULL;
    if ((base != 0 && base < 2) || base > 36) {
        pm_err_set(rt, PM_EXC_ValueError, "int() base must be >= 2 and <= 36, or 0");
        return NULL;
    }
    if (!pm_str_check(a[0]) && !pm_bytes_check(a[0]) && !pm_bytearray_check(a[0])) {
        pm_err_set(rt, PM_EXC_TypeError, "int() can't convert non-string with explicit base");
        return NULL;
    }
    text_src t;
    if (text_get(rt, a[0], &t) < 0) return NULL;
    pm_object *r = int_from_text(rt, a[0], &t, (int)base);
    text_release(rt, &t);
    return r;
}

/* ---- bool ----------------------------------------------------------------- */

pm_object *pmi_bool_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)type;
    if (!no_kwargs(rt, "bool", kwargs)) return NULL;
    pm_ssize_t n = pm_tuple_size(args);
    if (!pmi_arg_check_positional(rt, "bool", n, 0, 1)) return NULL;
    if (n == 0) return pm_newref(rt, PM_FALSE);
    int v = pm_is_true(rt, pm_tuple_get(rt, args, 0));
    return v < 0 ? NULL : pm_newref(rt, pm_bool_from(v));
}

/* ---- float ---------------------------------------------------------------- */

static int is_ascii_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static int ieq(const char *p, pm_ssize_t n, const char *word) {
    size_t w = strlen(word);
    if ((size_t)n != w) return 0;
    for (size_t i = 0; i < w; i++)
        if ((p[i] | 0x20) != word[i]) return 0;
    return 1;
}

/* A run of decimal digits with single '_' between digits, copied without
 * the underscores to *dst.  Returns the digit count (0: none), or -1 for a
 * misplaced '_'.  *pp advances past the run. */
static pm_ssize_t scan_digits(const char **pp, const char *end, char **dst) {
    const char *p = *pp;
    pm_ssize_t n = 0;
    while (p < end) {
        if (*p >= '0' && *p <= '9') {
            *(*dst)++ = *p++;
            n++;
        } else if (*p == '_') {
            if (n == 0 || p + 1 >= end || p[1] < '0' || p[1] > '9') return -1;
            p++;
        } else {
            break;
        }
    }
    *pp = p;
    return n;
}

/* The longest prefix of [p, end) that is a float literal (sign, digits
 * with '_', '.', exponent, or inf / infinity / nan), converted into *out.
 * Returns the end of the prefix, or NULL when there is none; *nomem set on
 * an allocation failure.  whole: the prefix must be all of the text. */
static const char *float_scan(pm_runtime *rt, const char *p, const char *end, double *out, int *nomem) {
    const char *start = p;
    int neg = 0;
    *nomem = 0;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    /* inf / infinity / nan: longest match first */
    static const char *const words[] = {"infinity", "inf", "nan"};
    for (int w = 0; w < 3; w++) {
        size_t l = strlen(words[w]);
        if ((size_t)(end - p) >= l && ieq(p, (pm_ssize_t)l, words[w])) {
            double v = w == 2 ? NAN : INFINITY;
            *out = neg ? -v : v;
            return p + l;
        }
    }
    char small[128], *buf = small;
    size_t need = (size_t)(end - start) + 2;
    if (need > sizeof small && !(buf = pm_malloc(rt, need))) {
        *nomem = 1;
        return NULL;
    }
    char *d = buf;
    const char *res = NULL;
    if (neg) *d++ = '-';
    pm_ssize_t ni = scan_digits(&p, end, &d), nf = 0;
    if (ni < 0) goto done;
    if (p < end && *p == '.') {
        *d++ = *p++;
        if (p < end && *p == '_') goto done;
        nf = scan_digits(&p, end, &d);
        if (nf < 0) goto done;
    }
    if (ni + nf == 0) goto done;
    if (p < end && (*p | 0x20) == 'e') {
        const char *q = p + 1;
        char *dq = d;
        *dq++ = 'e';
        if (q < end && (*q == '+' || *q == '-')) *dq++ = *q++;
        pm_ssize_t ne = scan_digits(&q, end, &dq);
        if (ne > 0) {
            p = q;
            d = dq;
        } else if (ne < 0) {
            goto done;
        }
    }
    *d = 0;
    *out = strtod(buf, NULL);
    res = p;
done:
    if (buf != small) pm_free(rt, buf);
    return res;
}

/* float(text): the whole text (white space around it allowed) must be a
 * literal.  1 parsed, 0 ValueError set, -1 other error set. */
static int float_from_text(pm_runtime *rt, pm_object *o, const text_src *t, double *out) {
    const char *p = t->p, *end = t->p + t->n;
    int nomem = 0;
    while (p < end && is_ascii_space((unsigned char)*p)) p++;
    while (end > p && is_ascii_space((unsigned char)end[-1])) end--;
    const char *e = p < end ? float_scan(rt, p, end, out, &nomem) : NULL;
    if (e && e == end) return 1;
    if (e == NULL && p < end && nomem) {
        pm_err_nomem(rt);
        return -1;
    }
    value_error_repr(rt, "could not convert string to float: ", o, 0);
    return 0;
}

/* PyNumber_Float. */
static pm_object *number_float(pm_runtime *rt, pm_object *x) {
    if (x->ob_type == &pm_float_type) return pm_newref(rt, x);
    const pm_number_methods *nb = x->ob_type->as_number;
    if (nb && nb->nb_float) {
        pm_object *r = nb->nb_float(rt, x);
        if (!r || r->ob_type == &pm_float_type) return r;
        if (!pm_float_check(r)) {
            pm_err_format(rt, PM_EXC_TypeError, "%.50s.__float__ returned non-float (type %.50s)", x->ob_type->name,
                          r->ob_type->name);
            pm_decref(rt, r);
            return NULL;
        }
        double v = pm_float_value(r);
        pm_decref(rt, r);
        return pm_float_new(rt, v);
    }
    if (nb && nb->nb_index) {
        pm_object *i = pm_index(rt, x);
        if (!i) return NULL;
        double v = pm_int_as_double(rt, i);
        pm_decref(rt, i);
        return v == -1.0 && pm_err_occurred(rt) ? NULL : pm_float_new(rt, v);
    }
    text_src t;
    int k = text_get(rt, x, &t);
    if (k < 0) return NULL;
    if (k == 0) return pmi_err_type(rt, "float() argument must be a string or a real number, not '%.200s'", x);
    double v;
    k = float_from_text(rt, x, &t, &v);
    text_release(rt, &t);
    return k == 1 ? pm_float_new(rt, v) : NULL;
}

pm_object *pmi_float_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    if (type != &pm_float_type) return pmi_subvalue_new(rt, type, pmi_float_tp_new(rt, &pm_float_type, args, kwargs));
    if (!no_kwargs(rt, "float", kwargs)) return NULL;
    pm_ssize_t n = pm_tuple_size(args);
    if (!pmi_arg_check_positional(rt, "float", n, 0, 1)) return NULL;
    if (n == 0) return pm_float_new(rt, 0.0);
    return number_float(rt, pm_tuple_get(rt, args, 0));
}

/* ---- complex -------------------------------------------------------------- */

/* complex('1+2j'): white space around, optional parentheses (with white
 * space inside), then  real | imag j | real (+|-) imag j | [+|-] j. */
static pm_object *complex_from_text(pm_runtime *rt, pm_object *o) {
    text_src t;
    if (text_get(rt, o, &t) < 0) return NULL;
    const char *p = t.p, *end = t.p + t.n, *e;
    double x = 0.0, y = 0.0, v;
    int nomem = 0, ok = 0;
    while (p < end && is_ascii_space((unsigned char)*p)) p++;
    while (end > p && is_ascii_space((unsigned char)end[-1])) end--;
    if (p < end && *p == '(' && end[-1] == ')' && end - p >= 2) {
        p++;
        end--;
        while (p < end && is_ascii_space((unsigned char)*p)) p++;
        while (end > p && is_ascii_space((unsigned char)end[-1])) end--;
    }
    e = p < end ? float_scan(rt, p, end, &v, &nomem) : NULL;
    if (nomem) goto fail;
    if (e) {
        if (e == end) {
            x = v;
            ok = 1;
        } else if ((*e | 0x20) == 'j' && e + 1 == end) {
            y = v;
            ok = 1;
        } else if (*e == '+' || *e == '-') {
            x = v;
            const char *f = float_scan(rt, e, end, &v, &nomem);
            if (nomem) goto fail;
            if (f && f + 1 == end && (*f | 0x20) == 'j') {
                y = v;
                ok = 1;
            } else if (!f && e + 2 == end && (e[1] | 0x20) == 'j') {
                y = *e == '-' ? -1.0 : 1.0;
                ok = 1;
            }
        }
    } else if (p < end) {
        /* a bare j with an optional sign */
        const char *q = p;
        double s = 1.0;
        if (*q == '+' || *q == '-') s = *q++ == '-' ? -1.0 : 1.0;
        if (q + 1 == end && (*q | 0x20) == 'j') {
            y = s;
            ok = 1;
        }
    }
    text_release(rt, &t);
    if (!ok) {
        pm_err_set(rt, PM_EXC_ValueError, "complex() arg is a malformed string");
        return NULL;
    }
    return pm_complex_new(rt, x, y);
fail:
    text_release(rt, &t);
    return pm_err_nomem(rt);
}

/* A real or complex argument of complex(): *re, *im and whether it was
 * complex.  1 / 0 with the error set.  which: "first" / "second". */
static int complex_part(pm_runtime *rt, pm_object *o, const char *which, double *re, double *im) {
    *im = 0.0;
    if (pm_complex_check(o)) {
        *re = pm_complex_real(o);
        *im = pm_complex_imag(o);
        return 1;
    }
    const pm_number_methods *nb = o->ob_type->as_number;
    if (!nb || (!nb->nb_float && !nb->nb_index)) {
        if (which[0] == 'f')
            pmi_err_type(rt, "complex() first argument must be a string or a number, not '%.200s'", o);
        else
            pmi_err_type(rt, "complex() second argument must be a number, not '%.200s'", o);
        return 0;
    }
    pm_object *f = number_float(rt, o);
    if (!f) return 0;
    *re = pm_float_value(f);
    pm_decref(rt, f);
    return 1;
}

pm_object *pmi_complex_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"real", "imag"};
    pm_object *a[2];
    if (type != &pm_complex_type) return pmi_subvalue_new(rt, type, pmi_complex_tp_new(rt, &pm_complex_type, args, kwargs));
    if (!parse_old(rt, "complex", names, 2, 0, args, kwargs, a)) return NULL;
    if (a[0] && pm_str_check(a[0])) {
        if (a[1]) {
            pm_err_set(rt, PM_EXC_TypeError, "complex() can't take second arg if first is a string");
            return NULL;
        }
        return complex_from_text(rt, a[0]);
    }
    if (a[1] && pm_str_check(a[1])) {
        pm_err_set(rt, PM_EXC_TypeError, "complex() second arg can't be a string");
        return NULL;
    }
    if (a[0] && !a[1] && a[0]->ob_type == &pm_complex_type) return pm_newref(rt, a[0]);
    double ar = 0.0, ai = 0.0, br = 0.0, bi = 0.0;
    int err = 0;
    pm_object *hook = a[0] ? class_special(rt, a[0], "__complex__", &err) : NULL;
    if (err) return NULL;
    if (hook) {
        /* a class's __complex__ gives the first argument's value */
        pm_decref(rt, hook);
        pm_object *c = call_method(rt, a[0], "__complex__", NULL, 0);
        if (!c) return NULL;
        if (!pm_complex_check(c)) {
            pm_err_format(rt, PM_EXC_TypeError, "__complex__ returned non-complex (type %.200s)", c->ob_type->name);
            pm_decref(rt, c);
            return NULL;
        }
        ar = pm_complex_real(c);
        ai = pm_complex_imag(c);
        if (!a[1]) return c;
        pm_decref(rt, c);
    } else if (a[0] && !complex_part(rt, a[0], "first", &ar, &ai)) {
        return NULL;
    }
    if (a[1] && !complex_part(rt, a[1], "second", &br, &bi)) return NULL;
    /* (ar + ai j) + (br + bi j) j */
    return pm_complex_new(rt, ar - bi, ai + br);
}

/* ---- str ------------------------------------------------------------------ */

/* A str-typed keyword argument: "str() argument 'encoding' must be str,
 * not int".  1 / 0. */
static int str_arg(pm_runtime *rt, const char *fname, const char *name, pm_object *o) {
    if (!o || pm_str_check(o)) return 1;
    pm_err_format(rt, PM_EXC_TypeError, "%s() argument '%s' must be str, not %s", fname, name, o->ob_type->name);
    return 0;
}

pm_object *pmi_str_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"object", "encoding", "errors"};
    pm_object *a[3];
    if (type != &pm_str_type) return pmi_subvalue_new(rt, type, pmi_str_tp_new(rt, &pm_str_type, args, kwargs));
    if (!parse_old(rt, "str", names, 3, 0, args, kwargs, a)) return NULL;
    if (!str_arg(rt, "str", "encoding", a[1]) || !str_arg(rt, "str", "errors", a[2])) return NULL;
    if (!a[0]) return pmi_str_empty(rt);
    if (!a[1] && !a[2]) return pm_str(rt, a[0]);
    if (pm_str_check(a[0])) {
        pm_err_set(rt, PM_EXC_TypeError, "decoding str is not supported");
        return NULL;
    }
    if (!pm_object_check_buffer(a[0]))
        return pmi_err_type(rt, "decoding to str: need a bytes-like object, %.80s found", a[0]);
    pm_object *b = NULL, *enc = NULL, *err = NULL, *r = NULL;
    if (pm_bytes_check(a[0])) {
        b = pm_newref(rt, a[0]);
    } else {
        pm_buffer v;
        if (pm_object_getbuffer(rt, a[0], &v, PM_BUF_SIMPLE) < 0) return NULL;
        b = pm_bytes_new(rt, v.buf, v.len);
        pm_buffer_release(rt, &v);
        if (!b) return NULL;
    }
    enc = a[1] ? pm_newref(rt, a[1]) : pm_str_from_cstr(rt, "utf-8");
    err = a[2] ? pm_newref(rt, a[2]) : pm_str_from_cstr(rt, "strict");
    if (enc && err) {
        pm_object *ca[2] = {enc, err};
        r = call_method(rt, b, "decode", ca, 2);
    }
    pm_xdecref(rt, enc);
    pm_xdecref(rt, err);
    pm_decref(rt, b);
    return r;
}

/* ---- bytes / bytearray ------------------------------------------------- */

/* A bytes object of its own even for one byte (CPython's
 * PyBytes_FromStringAndSize(NULL, n) then a copy: bytes(memoryview(b'A'))
 * is not b'A'); b'' stays the shared empty one. */
static pm_object *fresh_bytes(pm_runtime *rt, const char *p, pm_ssize_t n) {
    pm_object *b = pm_bytes_new(rt, NULL, n);
    if (b && n) memcpy((char *)pm_bytes_data(b), p, (size_t)n);
    return b;
}

/* The bytes of bytes(x) / bytearray(x) without an encoding (x is not a
 * str): an int size, a buffer, or an iterable of ints.  tname names the
 * type in "cannot convert 'float' object to bytes".  New ref to a bytes. */
static pm_object *bytes_of(pm_runtime *rt, pm_object *x, const char *tname) {
    if (x->ob_type->as_number && x->ob_type->as_number->nb_index) {
        pm_ssize_t n = pm_index_as_ssize(rt, x, PM_INDEX_OVERFLOWERROR);
        if (n == -1 && pm_err_occurred(rt)) return NULL;
        if (n < 0) {
            pm_err_set(rt, PM_EXC_ValueError, "negative count");
            return NULL;
        }
        return pm_bytes_new(rt, NULL, n);
    }
    if (pm_object_check_buffer(x)) {
        pm_buffer v;
        if (pm_object_getbuffer(rt, x, &v, PM_BUF_SIMPLE) < 0) return NULL;
        pm_object *b = fresh_bytes(rt, v.buf, v.len);
        pm_buffer_release(rt, &v);
        return b;
    }
    pm_object *it = pm_iter(rt, x), *item, *ba = NULL;
    if (!it) {
        if (pm_err_matches(rt, PM_EXC_TypeError)) {
            pm_err_clear(rt);
            pm_err_format(rt, PM_EXC_TypeError, "cannot convert '%.200s' object to %s", x->ob_type->name, tname);
        }
        return NULL;
    }
    if (!(ba = pm_bytearray_new(rt, NULL, 0))) goto fail;
    while ((item = pm_iter_next(rt, it)) != NULL) {
        pm_ssize_t v = pm_index_as_ssize(rt, item, PM_INDEX_OVERFLOWERROR);
        pm_decref(rt, item);
        if (v == -1 && pm_err_occurred(rt)) {
            if (pm_err_matches(rt, PM_EXC_OverflowError)) {
                pm_err_clear(rt);
                v = 256;
            } else {
                goto fail;
            }
        }
        if (v < 0 || v > 255) {
            pm_err_set(rt, PM_EXC_ValueError,
                       tname[4] == 'a' ? "byte must be in range(0, 256)" : "bytes must be in range(0, 256)");
            goto fail;
        }
        if (pm_bytearray_append(rt, ba, (int)v) < 0) goto fail;
    }
    if (pm_err_occurred(rt)) goto fail;
    pm_decref(rt, it);
    /* as CPython: a tuple's bytes are a fresh object, a list's or an
     * iterator's may be the shared one-byte bytes */
    pm_object *b = pm_tuple_check(x) ? fresh_bytes(rt, pm_bytearray_data(ba), pm_bytearray_size(ba))
                                     : pm_bytes_new(rt, pm_bytearray_data(ba), pm_bytearray_size(ba));
    pm_decref(rt, ba);
    return b;
fail:
    pm_xdecref(rt, ba);
    pm_decref(rt, it);
    return NULL;
}

/* bytes(source, encoding, errors) / bytearray(...): the value as a bytes.
 * New ref. */
static pm_object *bytes_args(pm_runtime *rt, const char *tname, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"source", "encoding", "errors"};
    pm_object *a[3];
    if (!parse_old(rt, tname, names, 3, 0, args, kwargs, a)) return NULL;
    if (!str_arg(rt, tname, "encoding", a[1]) || !str_arg(rt, tname, "errors", a[2])) return NULL;
    if (!a[0]) {
        if (a[1] || a[2]) {
            pm_err_set(rt, PM_EXC_TypeError,
                       a[1] ? "encoding without a string argument" : "errors without a string argument");
            return NULL;
        }
        return pm_bytes_new(rt, NULL, 0);
    }
    if (a[1]) {
        if (!pm_str_check(a[0])) {
            pm_err_set(rt, PM_EXC_TypeError, "encoding without a string argument");
            return NULL;
        }
        pm_object *ca[2] = {a[1], a[2]};
        if (!a[2] && !(ca[1] = pm_str_from_cstr(rt, "strict"))) return NULL;
        pm_object *r = call_method(rt, a[0], "encode", ca, 2);
        if (!a[2]) pm_decref(rt, ca[1]);
        if (r && !pm_bytes_check(r)) {
            pm_err_format(rt, PM_EXC_TypeError, "encoder did not return a bytes object (type=%.400s)",
                          r->ob_type->name);
            PM_CLEAR(rt, r);
        }
        return r;
    }
    if (a[2]) {
        pm_err_set(rt, PM_EXC_TypeError,
                   pm_str_check(a[0]) ? "string argument without an encoding" : "errors without a string argument");
        return NULL;
    }
    if (pm_str_check(a[0])) {
        pm_err_set(rt, PM_EXC_TypeError, "string argument without an encoding");
        return NULL;
    }
    return bytes_of(rt, a[0], tname);
}

pm_object *pmi_bytes_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    if (type != &pm_bytes_type) return pmi_subvalue_new(rt, type, pmi_bytes_tp_new(rt, &pm_bytes_type, args, kwargs));
    if (pm_tuple_size(args) == 1 && !nkwargs(kwargs)) {
        pm_object *x = pm_tuple_get(rt, args, 0);
        if (x->ob_type == &pm_bytes_type) return pm_newref(rt, x);
        /* x.__bytes__() of a class */
        int err;
        pm_object *hook = class_special(rt, x, "__bytes__", &err);
        if (err) return NULL;
        if (hook) {
            pm_decref(rt, hook);
            pm_object *r = call_method(rt, x, "__bytes__", NULL, 0);
            if (r && !pm_bytes_check(r)) {
                pm_err_format(rt, PM_EXC_TypeError, "__bytes__ returned non-bytes (type %.200s)", r->ob_type->name);
                PM_CLEAR(rt, r);
            }
            return r;
        }
    }
    return bytes_args(rt, "bytes", args, kwargs);
}

pm_object *pmi_bytearray_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)args;
    (void)kwargs;
    if (type != &pm_bytearray_type) return pmi_subvalue_empty(rt, type);
    return pm_bytearray_new(rt, NULL, 0);
}

int pmi_bytearray_tp_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    pm_object *b = bytes_args(rt, "bytearray", args, kwargs);
    if (!b) return -1;
    int r = pm_bytearray_resize(rt, self, 0);
    if (r == 0) r = pm_bytearray_extend(rt, self, pm_bytes_data(b), pm_bytes_size(b));
    pm_decref(rt, b);
    return r;
}

/* ---- memoryview ----------------------------------------------------------- */

pm_object *pmi_memoryview_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"object"};
    pm_object *a[1];
    if (!exact_only(rt, type, &pm_memoryview_type)) return NULL;
    if (!parse_old(rt, "memoryview", names, 1, 1, args, kwargs, a)) return NULL;
    return pm_memoryview_new(rt, a[0]);
}

/* ---- list / tuple --------------------------------------------------------- */

pm_object *pmi_list_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)args;
    (void)kwargs;
    if (type != &pm_list_type) return pmi_subvalue_empty(rt, type);
    return pm_list_new(rt);
}

int pmi_list_tp_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    if (!no_kwargs(rt, "list", kwargs)) return -1;
    pm_ssize_t n = pm_tuple_size(args);
    if (!pmi_arg_check_positional(rt, "list", n, 0, 1)) return -1;
    if (pm_list_size(self) && pm_list_clear(rt, self) < 0) return -1;
    if (n == 1 && pm_list_extend(rt, self, pm_tuple_get(rt, args, 0)) < 0) return -1;
    return 0;
}

pm_object *pmi_tuple_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    if (type != &pm_tuple_type) return pmi_subvalue_new(rt, type, pmi_tuple_tp_new(rt, &pm_tuple_type, args, kwargs));
    if (!no_kwargs(rt, "tuple", kwargs)) return NULL;
    pm_ssize_t n = pm_tuple_size(args);
    if (!pmi_arg_check_positional(rt, "tuple", n, 0, 1)) return NULL;
    if (n == 0) return pm_tuple_from_array(rt, NULL, 0);
    pm_object *x = pm_tuple_get(rt, args, 0);
    if (x->ob_type == &pm_tuple_type) return pm_newref(rt, x);
    pm_object *l = pm_list_new(rt), *t = NULL;
    if (l && pm_list_extend(rt, l, x) == 0) t = pm_list_as_tuple(rt, l);
    pm_xdecref(rt, l);
    return t;
}

/* ---- dict ----------------------------------------------------------------- */

pm_object *pmi_dict_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)args;
    (void)kwargs;
    if (type != &pm_dict_type) return pmi_subvalue_empty(rt, type);
    return pm_dict_new(rt);
}

/* d[k] = m[k] for k in m.keys() (PyDict_Merge of a non-dict mapping): the
 * keys are made a list first, as CPython's PyMapping_Keys, so a keys()
 * that is not iterable fails before any m[k]. */
static int merge_mapping(pm_runtime *rt, pm_object *d, pm_object *m) {
    pm_object *keys = call_method(rt, m, "keys", NULL, 0), *l = NULL, *k = NULL, *v = NULL;
    if (!keys) return -1;
    pm_object *it = pm_iter(rt, keys);
    if (!it) {
        if (pm_err_matches(rt, PM_EXC_TypeError)) {
            pm_err_clear(rt);
            pm_err_format(rt, PM_EXC_TypeError, "%.200s.keys() returned a non-iterable (type %.200s)",
                          m->ob_type->name, keys->ob_type->name);
        }
        goto fail;
    }
    l = pm_list_new(rt);
    if (!l || pm_list_extend(rt, l, it) < 0) {
        pm_decref(rt, it);
        goto fail;
    }
    pm_decref(rt, it);
    for (pm_ssize_t i = 0; i < pm_list_size(l); i++) {
        k = pm_newref(rt, pm_list_get(rt, l, i));
        v = pm_getitem(rt, m, k);
        if (!v || pm_dict_set(rt, d, k, v) < 0) goto fail;
        PM_CLEAR(rt, v);
        PM_CLEAR(rt, k);
    }
    pm_decref(rt, l);
    pm_decref(rt, keys);
    return 0;
fail:
    pm_xdecref(rt, v);
    pm_xdecref(rt, k);
    pm_xdecref(rt, l);
    pm_decref(rt, keys);
    return -1;
}

int pmi_dict_update_mapping(pm_runtime *rt, pm_object *d, pm_object *o) {
    /* a full attribute lookup, as CPython's dict_update_arg: an instance
     * attribute or a __getattr__ answering `keys` makes o a mapping; an
     * AttributeError (only) means "not a mapping" */
    pm_object *keys, *kname = pm_str_intern_cstr(rt, "keys");
    if (!kname) return -1;
    int found = pm_getattr_opt(rt, o, kname, &keys);
    pm_decref(rt, kname);
    if (found <= 0) return found;
    pm_decref(rt, keys);
    return merge_mapping(rt, d, o) < 0 ? -1 : 1;
}

int pmi_dict_tp_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    pm_ssize_t n = pm_tuple_size(args);
    if (!pmi_arg_check_positional(rt, "dict", n, 0, 1)) return -1;
    if (n == 1) {
        pm_object *o = pm_tuple_get(rt, args, 0);
        if (pm_dict_check(o)) {
            if (pm_dict_update(rt, self, o) < 0) return -1;
        } else {
            int r = pmi_dict_update_mapping(rt, self, o);
            if (r < 0) return -1;
            if (r == 0) {
                /* the pairs: dict.update's own loop and messages (dict's
                 * own update, not a subclass's override, as CPython) */
                pm_object *uname = pm_str_intern_cstr(rt, "update");
                if (!uname) return -1;
                pm_object *u = pm_type_lookup(rt, &pm_dict_type, uname), *ua[2] = {self, o};
                pm_decref(rt, uname);
                if (!u) return -1;
                pm_incref(rt, u);
                pm_object *res = pm_call(rt, u, ua, 2, NULL);
                pm_decref(rt, u);
                if (!res) return -1;
                pm_decref(rt, res);
            }
        }
    }
    if (nkwargs(kwargs) && pm_dict_update(rt, self, kwargs) < 0) return -1;
    return 0;
}

/* ---- set / frozenset ------------------------------------------------------ */

pm_object *pmi_set_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)args;
    (void)kwargs;
    if (type != &pm_set_type) return pmi_subvalue_empty(rt, type);
    return pm_set_new(rt, NULL);
}

int pmi_set_tp_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    if (!no_kwargs(rt, "set", kwargs)) return -1;
    pm_ssize_t n = pm_tuple_size(args);
    if (!pmi_arg_check_positional(rt, "set", n, 0, 1)) return -1;
    if (pm_set_size(self) && pm_set_clear(rt, self) < 0) return -1;
    if (n == 1 && pm_set_update(rt, self, pm_tuple_get(rt, args, 0)) < 0) return -1;
    return 0;
}

pm_object *pmi_frozenset_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    if (type != &pm_frozenset_type) return pmi_subvalue_new(rt, type, pmi_frozenset_tp_new(rt, &pm_frozenset_type, args, kwargs));
    if (!no_kwargs(rt, "frozenset", kwargs)) return NULL;
    pm_ssize_t n = pm_tuple_size(args);
    if (!pmi_arg_check_positional(rt, "frozenset", n, 0, 1)) return NULL;
    return pm_frozenset_new(rt, n ? pm_tuple_get(rt, args, 0) : NULL);
}

/* ---- slice and the singletons --------------------------------------------- */

pm_object *pmi_slice_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)type;
    if (!no_kwargs(rt, "slice", kwargs)) return NULL;
    pm_ssize_t n = pm_tuple_size(args);
    if (!pmi_arg_check_positional(rt, "slice", n, 1, 3)) return NULL;
    if (n == 1) return pm_slice_new(rt, NULL, pm_tuple_get(rt, args, 0), NULL);
    return pm_slice_new(rt, pm_tuple_get(rt, args, 0), pm_tuple_get(rt, args, 1),
                        n == 3 ? pm_tuple_get(rt, args, 2) : NULL);
}

/* NoneType(), NotImplementedType(), ellipsis(): the one instance. */
pm_object *pmi_singleton_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    const char *name = type == &pm_none_type             ? "NoneType"
                       : type == &pm_notimplemented_type ? "NotImplementedType"
                                                         : "EllipsisType";
    if (pm_tuple_size(args) || nkwargs(kwargs)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s takes no arguments", name);
        return NULL;
    }
    return pm_newref(rt, type == &pm_none_type               ? PM_NONE
                         : type == &pm_notimplemented_type ? PM_NOTIMPLEMENTED
                                                           : PM_ELLIPSIS);
}
