/*
 * strformat.c — str.format / str.format_map (PEP 3101) and %-formatting of
 * str and bytes (printf-style), as CPython 3.11 does them.
 *
 * str.format: the format string is cut into literal text and fields
 *
 *     "a{0.x[k]!r:>{1}}b{{"      literal "a", field "0.x[k]" conversion r
 *      ^ ^^^^^^^^ ^ ^^^^ ^ ^^     spec ">{1}" (needs expanding), literal
 *                                 "b", escaped "{"
 *
 * by the same scanner rules as CPython's MarkupIterator / parse_field (so
 * the same malformed strings fail with the same messages).  A field name is
 * a first part (an argument index, empty for automatic numbering, or a
 * keyword) followed by .attr and [key] steps ([digits] indexes with an int,
 * anything else with a str).  A spec holding '{' is itself expanded with the
 * same arguments first; PEP 3101's limit of two levels gives "Max string
 * recursion exceeded".  The auto-numbering state is shared by the nested
 * expansions, as in CPython.  Each field is rendered by pm_format.
 *
 * %-formatting: one pass over the format; each "%[(key)][flags][width]
 * [.precision][hlL]type" takes the next argument (the tuple's next item, the
 * one non-tuple argument, or mapping[key]) and converts it:
 *
 *     s r a      str() / repr() / ascii(), cut to precision
 *     d i u      int (floats are truncated), o x X with '#' prefixes
 *     e E f F g G  floats by pmi_double_to_string (no ".0" rule)
 *     c          one character (an int or a 1-character str)
 *
 * then pads it: '-' left-justifies, '0' pads numbers with zeros after the
 * sign and the 0x/0o prefix, '+' / ' ' give non-negative numbers a sign.
 * No conversion copies its text into a temporary array: a ptext views the
 * text where it already is (the str from str()/repr(), the buffer of a
 * bytes-like argument, a small int's digits in the ptext itself, %c's one
 * code point), and literal runs are found with memchr in a 1-byte format;
 * both are appended to the code-point buffer by kind.
 * The argument bookkeeping (arglen/argidx, a mapping argument that may be
 * left unused) follows CPython's, so "not enough arguments" and "not all
 * arguments converted" fire in the same cases.  bytes % args shares the
 * engine, working on code points 0..255: %b / %s need a bytes-like object,
 * %r / %a give ascii(), %c takes an int in range(256) or a single byte.
 */
#include "format.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* str.format                                                                */
/* ------------------------------------------------------------------------ */

enum { AN_INIT, AN_AUTO, AN_MANUAL };

typedef struct fmtctx {
    pm_object *args;            /* positional arguments (tuple), NULL for format_map */
    pm_object *kwargs;          /* keyword mapping or NULL */
    int an_state;               /* AN_*: automatic / manual numbering */
    pm_ssize_t an_next;         /* next automatic index */
} fmtctx;

static int build(pm_runtime *rt, fmtctx *c, pm_object *s, pm_ssize_t start, pm_ssize_t end, int depth,
                 pmi_ubuf *out);

#define CH(s, i) pm_str_read_char((s), (i))

/* Decimal value of s[start:end]: -1 when empty or not all digits, -2 with
 * ValueError when it overflows. */
static pm_ssize_t field_int(pm_runtime *rt, pm_object *s, pm_ssize_t start, pm_ssize_t end) {
    if (start >= end) return -1;
    pm_ssize_t acc = 0;
    for (pm_ssize_t i = start; i < end; i++) {
        int dv = pmi_decimal_value(CH(s, i));
        if (dv < 0) return -1;
        pm_ssize_t d = dv;
        if (acc > (PTRDIFF_MAX - d) / 10) {
            pm_err_set(rt, PM_EXC_ValueError, "Too many decimal digits in format string");
            return -2;
        }
        acc = acc * 10 + d;
    }
    return acc;
}

static pm_object *key_error(pm_runtime *rt, pm_object *key) {
    pm_err_set_key_error(rt, key);
    return NULL;
}

/* The object a field name designates: NEW ref or NULL. */
static pm_object *get_field(pm_runtime *rt, fmtctx *c, pm_object *s, pm_ssize_t start, pm_ssize_t end) {
    pm_ssize_t i = start;
    while (i < end && CH(s, i) != '.' && CH(s, i) != '[') i++;
    pm_ssize_t idx = field_int(rt, s, start, i);
    if (idx == -2) return NULL;
    int empty = start >= i, numeric = empty || idx != -1;
    if (c->an_state == AN_INIT && numeric) c->an_state = empty ? AN_AUTO : AN_MANUAL;
    if (numeric) {
        if (c->an_state == AN_MANUAL && empty) {
            pm_err_set(rt, PM_EXC_ValueError,
                       "cannot switch from manual field specification to automatic field numbering");
            return NULL;
        }
        if (c->an_state != AN_MANUAL && !empty) {
            pm_err_set(rt, PM_EXC_ValueError,
                       "cannot switch from automatic field numbering to manual field specification");
            return NULL;
        }
    }
    if (empty) idx = c->an_next++;
    pm_object *obj;
    if (idx == -1) {
        pm_object *key = pm_str_slice(rt, s, start, i, 1);
        if (!key) return NULL;
        if (!c->kwargs) {
            key_error(rt, key);
            pm_decref(rt, key);
            return NULL;
        }
        obj = pm_getitem(rt, c->kwargs, key);
        pm_decref(rt, key);
        if (!obj) return NULL;
    } else {
        if (!c->args) {
            pm_err_set(rt, PM_EXC_ValueError, "Format string contains positional fields");
            return NULL;
        }
        if (idx >= pm_tuple_size(c->args)) {
            pm_err_format(rt, PM_EXC_IndexError,
                          "Replacement index %td out of range for positional args tuple", idx);
            return NULL;
        }
        obj = pm_newref(rt, pm_tuple_get(rt, c->args, idx));
    }
    /* the .attr / [key] steps */
    while (i < end) {
        uint32_t ch = CH(s, i++);
        pm_ssize_t ns = i, ne;
        int is_attr = ch == '.';
        if (ch == '.') {
            while (i < end && CH(s, i) != '.' && CH(s, i) != '[') i++;
            ne = i;
        } else if (ch == '[') {
            while (i < end && CH(s, i) != ']') i++;
            if (i >= end) {
                pm_err_set(rt, PM_EXC_ValueError, "Missing ']' in format string");
                goto fail;
            }
            ne = i++;
        } else {
            pm_err_set(rt, PM_EXC_ValueError, "Only '.' or '[' may follow ']' in format field specifier");
            goto fail;
        }
        if (ns == ne) {
            pm_err_set(rt, PM_EXC_ValueError, "Empty attribute in format string");
            goto fail;
        }
        pm_object *key, *next;
        pm_ssize_t k = is_attr ? -1 : field_int(rt, s, ns, ne);
        if (k == -2) goto fail;
        key = k >= 0 ? pm_int_from_ssize(rt, k) : pm_str_slice(rt, s, ns, ne, 1);
        if (!key) goto fail;
        next = is_attr ? pm_getattr(rt, obj, key) : pm_getitem(rt, obj, key);
        pm_decref(rt, key);
        if (!next) goto fail;
        pm_decref(rt, obj);
        obj = next;
    }
    return obj;
fail:
    pm_decref(rt, obj);
    return NULL;
}

/* One field: {name!conv:spec}; the spec is s[ss:se] (ss < 0: none). */
static int render(pm_runtime *rt, fmtctx *c, pm_object *s, pm_ssize_t ns, pm_ssize_t ne, uint32_t conv,
                  pm_ssize_t ss, pm_ssize_t se, int expand, int depth, pmi_ubuf *out) {
    pm_object *spec = NULL, *res = NULL;
    pm_object *obj = get_field(rt, c, s, ns, ne);
    if (!obj) return -1;
    if (conv) {
        pm_object *t;
        if (conv == 'r') t = pm_repr(rt, obj);
        else if (conv == 's') t = pm_str(rt, obj);
        else if (conv == 'a') t = pmi_format_ascii(rt, obj);
        else {
            if (conv > 32 && conv < 127)
                pm_err_format(rt, PM_EXC_ValueError, "Unknown conversion specifier %c", (char)conv);
            else
                pm_err_format(rt, PM_EXC_ValueError, "Unknown conversion specifier \\x%x", (unsigned)conv);
            t = NULL;
        }
        pm_decref(rt, obj);
        obj = t;
        if (!obj) return -1;
    }
    if (ss >= 0 && expand) {
        pmi_ubuf sub;
        pmi_ubuf_init(&sub);
        if (build(rt, c, s, ss, se, depth - 1, &sub) < 0) {
            pmi_ubuf_discard(rt, &sub);
            goto fail;
        }
        spec = pmi_ubuf_finish(rt, &sub);
    } else if (ss >= 0) {
        spec = pm_str_slice(rt, s, ss, se, 1);
    }
    if (ss >= 0 && !spec) goto fail;
    res = pm_format(rt, obj, spec);
    if (!res) goto fail;
    int r = pmi_ubuf_substr(rt, out, res, 0, pm_str_length(res));
    pm_decref(rt, res);
    pm_xdecref(rt, spec);
    pm_decref(rt, obj);
    return r;
fail:
    pm_xdecref(rt, spec);
    pm_decref(rt, obj);
    return -1;
}

/* CPython's build_string / MarkupIterator over s[start:end]. */
static int build(pm_runtime *rt, fmtctx *c, pm_object *s, pm_ssize_t start, pm_ssize_t end, int depth,
                 pmi_ubuf *out) {
    if (depth <= 0) {
        pm_err_set(rt, PM_EXC_ValueError, "Max string recursion exceeded");
        return -1;
    }
    pm_ssize_t pos = start;
    while (pos < end) {
        pm_ssize_t lit = pos;
        uint32_t ch = 0;
        int markup = 0;
        while (pos < end) {
            ch = CH(s, pos++);
            if (ch == '{' || ch == '}') {
                markup = 1;
                break;
            }
        }
        int at_end = pos >= end;
        pm_ssize_t len = pos - lit;
        if (ch == '}' && markup && (at_end || CH(s, pos) != '}')) {
            pm_err_set(rt, PM_EXC_ValueError, "Single '}' encountered in format string");
            return -1;
        }
        if (at_end && ch == '{' && markup) {
            pm_err_set(rt, PM_EXC_ValueError, "Single '{' encountered in format string");
            return -1;
        }
        if (!at_end && markup) {
            if (ch == CH(s, pos)) {
                pos++;          /* "{{" or "}}": the literal keeps one */
                markup = 0;
            } else {
                len--;
            }
        }
        if (pmi_ubuf_substr(rt, out, s, lit, lit + len) < 0) return -1;
        if (!markup) continue;
        /* parse_field: the name runs to '}', ':' or '!' ('[' skips to ']') */
        pm_ssize_t ns = pos;
        ch = 0;
        while (pos < end) {
            ch = CH(s, pos++);
            if (ch == '{') {
                pm_err_set(rt, PM_EXC_ValueError, "unexpected '{' in field name");
                return -1;
            }
            if (ch == '[') {
                while (pos < end && CH(s, pos) != ']') pos++;
                continue;
            }
            if (ch == '}' || ch == ':' || ch == '!') break;
        }
        pm_ssize_t ne = pos - 1, ss = -1, se = -1;
        uint32_t conv = 0;
        int expand = 0;
        if (ch == '!' || ch == ':') {
            if (ch == '!') {
                if (pos >= end) {
                    pm_err_set(rt, PM_EXC_ValueError, "end of string while looking for conversion specifier");
                    return -1;
                }
                conv = CH(s, pos++);
                if (pos < end) {
                    uint32_t c2 = CH(s, pos++);
                    if (c2 == '}') goto have_field;
                    if (c2 != ':') {
                        pm_err_set(rt, PM_EXC_ValueError, "expected ':' after conversion specifier");
                        return -1;
                    }
                }
            }
            ss = pos;
            int count = 1;
            while (pos < end) {
                uint32_t c2 = CH(s, pos++);
                if (c2 == '{') {
                    expand = 1;
                    count++;
                } else if (c2 == '}' && --count == 0) {
                    se = pos - 1;
                    goto have_field;
                }
            }
            pm_err_set(rt, PM_EXC_ValueError, "unmatched '{' in format spec");
            return -1;
        } else if (ch != '}') {
            pm_err_set(rt, PM_EXC_ValueError, "expected '}' before end of string");
            return -1;
        }
    have_field:
        if (render(rt, c, s, ns, ne, conv, ss, se, expand, depth, out) < 0) return -1;
    }
    return 0;
}

static pm_object *do_format(pm_runtime *rt, pm_object *fmt, pm_object *args, pm_object *kwargs) {
    if (!pm_str_check(fmt) || (args && !pm_tuple_check(args))) return pmi_err_badarg(rt, "pm_str_format");
    fmtctx c = {args, kwargs, AN_INIT, 0};
    pmi_ubuf out;
    pmi_ubuf_init(&out);
    if (build(rt, &c, fmt, 0, pm_str_length(fmt), 2, &out) < 0) {
        pmi_ubuf_discard(rt, &out);
        return NULL;
    }
    return pmi_ubuf_finish(rt, &out);
}

pm_object *pm_str_format(pm_runtime *rt, pm_object *fmt, pm_object *args, pm_object *kwargs) {
    if (!args) return pmi_err_badarg(rt, "pm_str_format");
    return do_format(rt, fmt, args, kwargs);
}

pm_object *pm_str_format_map(pm_runtime *rt, pm_object *fmt, pm_object *mapping) {
    if (!mapping) return pmi_err_badarg(rt, "pm_str_format_map");
    return do_format(rt, fmt, NULL, mapping);
}

/* ------------------------------------------------------------------------ */
/* %-formatting                                                              */
/* ------------------------------------------------------------------------ */

enum { F_LJUST = 1, F_SIGN = 2, F_BLANK = 4, F_ALT = 8, F_ZERO = 16 };

typedef struct pctx {
    int is_bytes;               /* bytes % args (else str % args) */
    pm_object *fmt;             /* the format (str or bytes), borrowed */
    pm_ssize_t pos, end;        /* scan position in fmt */
    pm_object *args;            /* current argument source (borrowed or owned) */
    int args_owned;             /* args is a NEW ref from mapping[key] */
    pm_ssize_t arglen;          /* tuple length, -1 for a single argument */
    pm_ssize_t argidx;          /* next tuple index; -2 / -1 single unused / used */
    pm_object *dict;            /* the mapping argument, or NULL (borrowed) */
    int kind;                   /* bytes per code point of fmt (1 for bytes) */
    const void *data;           /* fmt's code points / bytes */
} pctx;

/* The converted text of one argument before padding: `len` code points,
 * `kind` bytes each, at data, which points into one of the owners below
 * (each released by ptext_release). */
typedef struct ptext {
    int kind;                   /* 1, 2 or 4 */
    const void *data;           /* the text */
    pm_ssize_t len;             /* its length in code points */
    pm_object *str;             /* a str the text is in (NEW ref), or NULL */
    char *heap;                 /* a pm_malloc'd text, or NULL */
    int has_view;               /* view below holds a buffer to release */
    pm_buffer view;             /* the buffer of a bytes-like argument */
    uint32_t cp;                /* the character of %c */
    char small[PMI_INT_SMALL_DIGITS + 8]; /* room for a small int's text */
} ptext;

static void ptext_release(pm_runtime *rt, ptext *t) {
    pm_xdecref(rt, t->str);
    if (t->heap) pm_free(rt, t->heap);
    if (t->has_view) pm_buffer_release(rt, &t->view);
}

static uint32_t fmt_at(const pctx *c, pm_ssize_t i) { return pmi_str_read(c->kind, c->data, i); }

/* BORROWED ref to the next argument, or NULL with TypeError. */
static pm_object *next_arg(pm_runtime *rt, pctx *c) {
    pm_ssize_t i = c->argidx;
    if (i < c->arglen) {
        c->argidx++;
        if (c->arglen < 0) return c->args;
        return pm_tuple_get(rt, c->args, i);
    }
    pm_err_set(rt, PM_EXC_TypeError, "not enough arguments for format string");
    return NULL;
}

static int is_mapping(const pm_object *o) {
    return o->ob_type->as_mapping && o->ob_type->as_mapping->mp_subscript;
}

/* Text of an int for %d %o %x %X: [-][0x]digits, digits zero-padded to
 * prec (CPython's _PyUnicode_FormatLong), into t (ASCII): in t->small when
 * it fits, else a pm_malloc'd block.  0 / -1. */
static int format_long(pm_runtime *rt, pm_object *v, int alt, int prec, uint32_t type, ptext *t) {
    int base = type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
    char small[PMI_INT_SMALL_DIGITS + 1];
    char *digits = small;
    pm_ssize_t nd = pmi_int_digits_small(v, base, small);
    if (nd < 0) {
        digits = pmi_int_digits(rt, v, base, &nd);
        if (!digits) return -1;
    }
    pm_ssize_t zeros = prec > nd ? prec - nd : 0;
    char *out = t->small;
    if ((size_t)(nd + zeros) + 4 > sizeof t->small) {
        out = t->heap = pm_malloc(rt, (size_t)(nd + zeros) + 4);
        if (!out) {
            if (digits != small) pm_free(rt, digits);
            pm_err_nomem(rt);
            return -1;
        }
    }
    char *p = out;
    if (pm_int_sign(v) < 0) *p++ = '-';
    if (alt && base != 10) {
        *p++ = '0';
        *p++ = (char)type;
    }
    memset(p, '0', (size_t)zeros);
    p += zeros;
    memcpy(p, digits, (size_t)nd);
    p += nd;
    if (type == 'X')
        for (char *q = out; q < p; q++)
            if (*q >= 'a' && *q <= 'z') *q = (char)(*q - 32);
    if (digits != small) pm_free(rt, digits);
    t->kind = 1;
    t->data = out;
    t->len = (pm_ssize_t)(p - out);
    return 0;
}

/* The ASCII text for one numeric conversion (d i u o x X e E f F g G) into
 * t: 0, or -1 with the error set. */
static int format_number(pm_runtime *rt, pm_object *v, uint32_t type, int flags, int prec, int bytes,
                         ptext *t) {
    if (type == 'e' || type == 'E' || type == 'f' || type == 'F' || type == 'g' || type == 'G') {
        if (bytes && !pm_int_check(v) && !pm_float_check(v)) {
            pmi_err_type(rt, "float argument required, not %.200s", v);
            return -1;
        }
        double x = pm_float_as_double(rt, v);
        if (x == -1.0 && pm_err_occurred(rt)) return -1;
        t->heap = pmi_double_to_string(rt, x, (int)type, prec < 0 ? 6 : prec, (flags & F_ALT) != 0, 0, 0);
        if (!t->heap) return -1;
        t->kind = 1;
        t->data = t->heap;
        t->len = (pm_ssize_t)strlen(t->heap);
        return 0;
    }
    if (bytes && type == 'i') type = 'd';   /* bytes reports %i as %d */
    uint32_t ltype = type == 'i' || type == 'u' ? 'd' : type;
    if (pm_int_check(v)) return format_long(rt, v, (flags & F_ALT) != 0, prec, ltype, t);
    if (pm_float_check(v) && type != 'o' && type != 'x' && type != 'X') {
        pm_object *iobj = pm_int_from_double(rt, pm_float_value(v));
        if (!iobj) return -1;
        int r = format_long(rt, iobj, (flags & F_ALT) != 0, prec, ltype, t);
        pm_decref(rt, iobj);
        return r;
    }
    if (type == 'o' || type == 'x' || type == 'X')
        pm_err_format(rt, PM_EXC_TypeError, "%%%c format: an integer is required, not %.200s", (char)type,
                      v->ob_type->name);
    else
        pm_err_format(rt, PM_EXC_TypeError, "%%%c format: a real number is required, not %.200s",
                      (char)type, v->ob_type->name);
    return -1;
}

/* Append the converted text t with padding. */
static int output_arg(pm_runtime *rt, pmi_ubuf *out, const ptext *t, uint32_t type, int flags,
                      pm_ssize_t width, int prec, int numeric) {
    uint32_t fill = numeric && (flags & F_ZERO) ? '0' : ' ', signchar = 0;
    pm_ssize_t pi = 0, len = t->len;
    if ((type == 's' || type == 'r' || type == 'a' || type == 'b') && prec >= 0 && len > prec) len = prec;
    if (numeric) {
        uint32_t c0 = len > 0 ? pmi_str_read(t->kind, t->data, 0) : 0;
        if (c0 == '-' || c0 == '+') {
            signchar = c0;
            len--;
            pi++;
        } else if (flags & F_SIGN) {
            signchar = '+';
        } else if (flags & F_BLANK) {
            signchar = ' ';
        }
    }
    /* the common case: no width, sign or prefix to place */
    if (width <= len && !signchar && !(flags & F_ALT))
        return pmi_ubuf_raw(rt, out, t->kind, (const char *)t->data + pi * t->kind, len);
    if (width < len) width = len;
    if (pmi_ubuf_reserve(rt, out, width + 3) < 0) return -1;
    int prefix = (flags & F_ALT) && (type == 'x' || type == 'X' || type == 'o');
    if (signchar) {
        if (fill != ' ' && pmi_ubuf_putc(rt, out, signchar) < 0) return -1;
        if (width > len) width--;
    }
    if (prefix) {
        if (fill != ' ') {
            if (pmi_ubuf_putc(rt, out, '0') < 0 || pmi_ubuf_putc(rt, out, type) < 0) return -1;
            pi += 2;
        }
        width -= 2;
        if (width < 0) width = 0;
        len -= 2;
    }
    if (width > len && !(flags & F_LJUST)) {
        if (pmi_ubuf_fill(rt, out, fill, width - len) < 0) return -1;
        width = len;
    }
    if (fill == ' ') {
        if (signchar && pmi_ubuf_putc(rt, out, signchar) < 0) return -1;
        if (prefix) {
            if (pmi_ubuf_putc(rt, out, '0') < 0 || pmi_ubuf_putc(rt, out, type) < 0) return -1;
            pi += 2;
        }
    }
    if (pmi_ubuf_raw(rt, out, t->kind, (const char *)t->data + pi * t->kind, len) < 0) return -1;
    return pmi_ubuf_fill(rt, out, ' ', width - len);
}

/* t views the code points of a str (NEW ref taken over) or the bytes of a
 * bytes-like object (its buffer held).  0 / -1. */
static void text_of_str(ptext *t, pm_object *str) {
    t->str = str;
    t->kind = pm_str_kind(str);
    t->data = pmi_str_data(str);
    t->len = pm_str_length(str);
}

static int text_of_buffer(pm_runtime *rt, ptext *t, pm_object *o) {
    if (pm_object_getbuffer(rt, o, &t->view, PM_BUF_SIMPLE) < 0) return -1;
    t->has_view = 1;
    t->kind = 1;
    t->data = t->view.buf;
    t->len = t->view.len;
    return 0;
}

/* One conversion, the '%' already consumed.  0 / -1. */
static int format_arg(pm_runtime *rt, pctx *c, pmi_ubuf *out) {
    if (c->pos < c->end && fmt_at(c, c->pos) == '%') {
        c->pos++;
        return pmi_ubuf_putc(rt, out, '%');
    }
    int flags = 0, exhausted = 0;
    pm_ssize_t width = -1;
    int prec = -1;
    uint32_t ch = 0;
#define NEXT() (c->pos < c->end ? (ch = fmt_at(c, c->pos++), 1) : (exhausted = 1, 0))
    if (c->pos < c->end && fmt_at(c, c->pos) == '(') {
        if (!c->dict) {
            pm_err_set(rt, PM_EXC_TypeError, "format requires a mapping");
            return -1;
        }
        pm_ssize_t ks = ++c->pos;
        int pcount = 1;
        while (pcount > 0 && c->pos < c->end) {
            uint32_t k = fmt_at(c, c->pos++);
            if (k == ')') pcount--;
            else if (k == '(') pcount++;
        }
        if (pcount > 0) {
            pm_err_set(rt, PM_EXC_ValueError, "incomplete format key");
            return -1;
        }
        pm_object *key = c->is_bytes ? pm_bytes_new(rt, pm_bytes_data(c->fmt) + ks, c->pos - 1 - ks)
                                     : pm_str_slice(rt, c->fmt, ks, c->pos - 1, 1);
        if (!key) return -1;
        pm_object *v = pm_getitem(rt, c->dict, key);
        pm_decref(rt, key);
        if (!v) return -1;
        if (c->args_owned) pm_decref(rt, c->args);
        c->args = v;
        c->args_owned = 1;
        c->arglen = -1;
        c->argidx = -2;
    }
    while (NEXT()) {
        if (ch == '-') flags |= F_LJUST;
        else if (ch == '+') flags |= F_SIGN;
        else if (ch == ' ') flags |= F_BLANK;
        else if (ch == '#') flags |= F_ALT;
        else if (ch == '0') flags |= F_ZERO;
        else break;
    }
    if (!exhausted && ch == '*') {
        pm_object *v = next_arg(rt, c);
        if (!v) return -1;
        if (!pm_int_check(v)) {
            pm_err_set(rt, PM_EXC_TypeError, "* wants int");
            return -1;
        }
        width = pm_int_as_ssize(rt, v);
        if (width == -1 && pm_err_occurred(rt)) return -1;
        if (width < 0) {
            flags |= F_LJUST;
            width = -width;
        }
        NEXT();
    } else if (!exhausted && ch >= '0' && ch <= '9') {
        width = (pm_ssize_t)(ch - '0');
        while (NEXT() && ch >= '0' && ch <= '9') {
            if (width > (PTRDIFF_MAX - (pm_ssize_t)(ch - '0')) / 10) {
                pm_err_set(rt, PM_EXC_ValueError, "width too big");
                return -1;
            }
            width = width * 10 + (pm_ssize_t)(ch - '0');
        }
    }
    if (!exhausted && ch == '.') {
        prec = 0;
        if (NEXT() && ch == '*') {
            pm_object *v = next_arg(rt, c);
            if (!v) return -1;
            if (!pm_int_check(v)) {
                pm_err_set(rt, PM_EXC_TypeError, "* wants int");
                return -1;
            }
            long p = pm_int_as_long(rt, v);
            if (p == -1 && pm_err_occurred(rt)) return -1;
            if (p > INT_MAX || p < INT_MIN) {
                pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C int");
                return -1;
            }
            prec = p < 0 ? 0 : (int)p;
            NEXT();
        } else if (!exhausted && ch >= '0' && ch <= '9') {
            prec = (int)(ch - '0');
            while (NEXT() && ch >= '0' && ch <= '9') {
                if (prec > (INT_MAX - (int)(ch - '0')) / 10) {
                    pm_err_set(rt, PM_EXC_ValueError, "precision too big");
                    return -1;
                }
                prec = prec * 10 + (int)(ch - '0');
            }
        }
    }
    if (!exhausted && (ch == 'h' || ch == 'l' || ch == 'L')) NEXT();
#undef NEXT
    if (exhausted) {
        pm_err_set(rt, PM_EXC_ValueError, "incomplete format");
        return -1;
    }
    pm_object *v = next_arg(rt, c);
    if (!v) return -1;
    ptext t;
    t.str = NULL;
    t.heap = NULL;
    t.has_view = 0;
    int numeric = 0, r = -1;
    switch (ch) {
    case 's': case 'r': case 'a': case 'b': {
        if (ch == 'b' && !c->is_bytes) goto unsupported;
        pm_object *sv = NULL;
        if (c->is_bytes && (ch == 's' || ch == 'b')) {
            if (!pm_object_check_buffer(v)) {
                pm_err_format(rt, PM_EXC_TypeError,
                              "%%b requires a bytes-like object, or an object that implements __bytes__, "
                              "not '%.100s'", v->ob_type->name);
                return -1;
            }
            if (text_of_buffer(rt, &t, v) < 0) return -1;
            break;
        }
        if (ch == 's') sv = pm_str(rt, v);
        else if (ch == 'r' && !c->is_bytes) sv = pm_repr(rt, v);
        else sv = pmi_format_ascii(rt, v);
        if (!sv) return -1;
        text_of_str(&t, sv);
        break;
    }
    case 'i': case 'd': case 'u': case 'o': case 'x': case 'X':
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
        if (format_number(rt, v, ch, flags, prec, c->is_bytes, &t) < 0) {
            ptext_release(rt, &t);
            return -1;
        }
        numeric = 1;
        break;
    }
    case 'c': {
        uint32_t cp;
        if (c->is_bytes) {
            if ((pm_bytes_check(v) && pm_bytes_size(v) == 1) ||
                (pm_bytearray_check(v) && pm_bytearray_size(v) == 1)) {
                cp = (unsigned char)(pm_bytes_check(v) ? pm_bytes_data(v)[0] : pm_bytearray_data(v)[0]);
            } else if (pm_int_check(v)) {
                long x = pm_int_as_long(rt, v);
                if ((x == -1 && pm_err_occurred(rt)) || x < 0 || x > 255) {
                    pm_err_set(rt, PM_EXC_OverflowError, "%c arg not in range(256)");
                    return -1;
                }
                cp = (uint32_t)x;
            } else {
                pm_err_set(rt, PM_EXC_TypeError, "%c requires an integer in range(256) or a single byte");
                return -1;
            }
        } else if (pm_str_check(v)) {
            if (pm_str_length(v) != 1) goto bad_char;
            cp = pm_str_read_char(v, 0);
        } else if (pm_int_check(v)) {
            long x = pm_int_as_long(rt, v);
            if ((x == -1 && pm_err_occurred(rt)) || x < 0 || x > 0x10ffff) {
                pm_err_set(rt, PM_EXC_OverflowError, "%c arg not in range(0x110000)");
                return -1;
            }
            cp = (uint32_t)x;
        } else {
            goto bad_char;
        }
        t.cp = cp;
        t.kind = 4;
        t.data = &t.cp;
        t.len = 1;
        break;
    bad_char:
        pm_err_set(rt, PM_EXC_TypeError, "%c requires int or char");
        return -1;
    }
    default:
    unsupported:
        if (c->is_bytes) {
            /* bytes formatting puts the raw byte in the message; CPython's
             * message formatter then refuses bytes >= 0x80 */
            if (ch >= 0x80)
                pm_err_set(rt, PM_EXC_OverflowError, "character argument not in range(0x110000)");
            else
                pm_err_format(rt, PM_EXC_ValueError, "unsupported format character '%c' (0x%x) at index %td",
                              (char)ch, (unsigned)ch, c->pos - 1);
            return -1;
        }
        pm_err_format(rt, PM_EXC_ValueError, "unsupported format character '%c' (0x%x) at index %td",
                      ch >= 31 && ch <= 126 ? (char)ch : '?', (unsigned)ch, c->pos - 1);
        return -1;
    }
    r = output_arg(rt, out, &t, ch, flags, width, prec, numeric);
    ptext_release(rt, &t);
    return r;
}

static pm_object *percent(pm_runtime *rt, int is_bytes, pm_object *fmt, pm_object *args) {
    pctx c = {0};
    c.is_bytes = is_bytes;
    c.fmt = fmt;
    c.end = is_bytes ? pm_bytes_size(fmt) : pm_str_length(fmt);
    c.kind = is_bytes ? 1 : pm_str_kind(fmt);
    c.data = is_bytes ? (const void *)pm_bytes_data(fmt) : pmi_str_data(fmt);
    c.args = args;
    if (pm_tuple_check(args)) {
        c.arglen = pm_tuple_size(args);
        c.argidx = 0;
    } else {
        c.arglen = -1;
        c.argidx = -2;
    }
    if (is_mapping(args) && !pm_tuple_check(args) && !pm_str_check(args) &&
        !(is_bytes && (pm_bytes_check(args) || pm_bytearray_check(args))))
        c.dict = args;
    pmi_ubuf out;
    pmi_ubuf_init(&out);
    while (c.pos < c.end) {
        pm_ssize_t lit = c.pos;
        if (c.kind == 1) {
            const char *q = memchr((const char *)c.data + lit, '%', (size_t)(c.end - lit));
            c.pos = q ? (pm_ssize_t)(q - (const char *)c.data) : c.end;
        } else {
            while (c.pos < c.end && fmt_at(&c, c.pos) != '%') c.pos++;
        }
        if (pmi_ubuf_raw(rt, &out, c.kind, (const char *)c.data + lit * c.kind, c.pos - lit) < 0) goto fail;
        if (c.pos >= c.end) break;
        c.pos++;
        if (format_arg(rt, &c, &out) < 0) goto fail;
    }
    if (c.argidx < c.arglen && !c.dict) {
        pm_err_set(rt, PM_EXC_TypeError,
                   is_bytes ? "not all arguments converted during bytes formatting"
                            : "not all arguments converted during string formatting");
        goto fail;
    }
    if (c.args_owned) pm_decref(rt, c.args);
    if (!is_bytes) return pmi_ubuf_finish(rt, &out);
    pm_object *b = pm_bytes_new(rt, NULL, out.len);
    if (b) {
        char *d = (char *)pm_bytes_data(b);
        for (pm_ssize_t i = 0; i < out.len; i++) d[i] = (char)out.p[i];
    }
    pmi_ubuf_discard(rt, &out);
    return b;
fail:
    if (c.args_owned) pm_decref(rt, c.args);
    pmi_ubuf_discard(rt, &out);
    return NULL;
}

pm_object *pm_str_percent(pm_runtime *rt, pm_object *fmt, pm_object *args) {
    if (!pm_str_check(fmt) || !args) return pmi_err_badarg(rt, "pm_str_percent");
    return percent(rt, 0, fmt, args);
}

pm_object *pm_bytes_percent(pm_runtime *rt, pm_object *fmt, pm_object *args) {
    if (!pm_bytes_check(fmt) || !args) return pmi_err_badarg(rt, "pm_bytes_percent");
    return percent(rt, 1, fmt, args);
}
