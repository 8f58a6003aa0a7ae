/*
 * interp/marshal.c -- CPython 3.11's marshal format, version 4, and .pyc files.
 *
 * A marshal stream is one object written depth-first.  Each object starts
 * with a type byte; bit 7 of it (FLAG_REF) says "remember this object": the
 * reader appends it to a list of references, and a later TYPE_REF 'r' with
 * a 4-byte index stands for it again.  Indexes are given in the order the
 * objects *start* (a tuple's index comes before its items'), so the reader
 * reserves a slot when a container or code object starts and fills it when
 * the object is complete:
 *
 *   ')' | FLAG_REF  n=2   'z'|FLAG_REF 2 "ab"    'r' 1
 *   ^ ref 0 reserved      ^ ref 1                ^ the same str again
 *   ... tuple ('ab', 'ab') complete: ref 0 filled
 *
 * Type bytes (3.11):  '0' NULL  'N' None  'F' False  'T' True  '.' Ellipsis
 *   'S' StopIteration  'i' int32  'l' long (int32 n, |n| 15-bit digits, sign
 *   of n)  'g' binary float  'f' text float  'y'/'x' complex  's' bytes
 *   'a'/'A' ascii (interned)  'z'/'Z' short ascii  'u'/'t' utf-8
 *   (surrogatepass; 't' interned)  '(' tuple  ')' small tuple  '[' list
 *   '{' dict (pairs until '0')  '<' set  '>' frozenset  'c' code  'r' ref.
 * All integers are little-endian.
 *
 * The writer marks an object with FLAG_REF when CPython would: when its
 * reference count is not 1 or it is an interned string (CPython's w_ref),
 * so the bytes are python3's exactly when the reference counts agree.  The
 * compiler shares equal constants as CPython's does (its const cache), so
 * they do; where pymm's count cannot tell, shared_in_cpython and the
 * callers' `shared` argument say what python3's count is (its process-wide
 * singletons and static names, a code object's cached co_code).  Set items
 * are written sorted by their own marshal data (bpo-37596).  A difference
 * changes flags and TYPE_REFs, never the loaded value (tests/pyc and
 * tests/dis/compare.py bytes compare both).
 *
 * Errors are CPython's messages and kinds (EOFError for data that ends
 * early, ValueError for bad data, TypeError for a NULL where an item is
 * needed); the reader never trusts a size before
 * checking that many bytes remain, and nesting is limited to 2000 levels
 * (MAX_MARSHAL_STACK_DEPTH) on both sides.
 */
#include "marshal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"

#define FLAG_REF 0x80
/* marshal's 'S': the StopIteration class (a static type object). */
#define STOP_ITERATION ((pm_object *)&pm_exc_StopIteration)
#define MAX_DEPTH 2000

/* ====================================================================== */
/* Reading                                                                 */
/* ====================================================================== */

typedef struct reader {
    pm_runtime *rt;                 /* the runtime objects are made in */
    const unsigned char *p;         /* next byte */
    const unsigned char *end;       /* end of the data */
    pm_object **refs;               /* FLAG_REF objects (owned; NULL = reserved) */
    pm_ssize_t nrefs;               /* refs used */
    pm_ssize_t caprefs;             /* refs allocated */
    int depth;                      /* current nesting */
} reader;

static pm_object *bad(reader *r, const char *why) {
    pm_err_format(r->rt, PM_EXC_ValueError, "bad marshal data (%s)", why);
    return NULL;
}

/* EOFError(msg): not one of the library's error kinds, so raised as an
 * object (a MemoryError instead when its message cannot be made). */
static pm_object *eof_error(reader *r, const char *msg) {
    pm_object *m = pm_str_from_cstr(r->rt, msg);
    if (m) {
        pm_err_set_object(r->rt, &pm_exc_EOFError, m);
        pm_decref(r->rt, m);
    }
    return NULL;
}

static pm_object *too_short(reader *r) { return eof_error(r, "marshal data too short"); }

static int r_bytes(reader *r, size_t n, const unsigned char **out) {
    if ((size_t)(r->end - r->p) < n) {
        too_short(r);
        return -1;
    }
    *out = r->p;
    r->p += n;
    return 0;
}

/* A one-byte length (short strings, small tuples, text floats): CPython
 * reads it with r_byte, whose end of data has a message of its own. */
static int r_len_byte(reader *r, pm_ssize_t *out) {
    if (r->p >= r->end) {
        eof_error(r, "EOF read where not expected");
        return -1;
    }
    *out = *r->p++;
    return 0;
}

static int r_long(reader *r, int32_t *out) {
    const unsigned char *b;
    if (r_bytes(r, 4, &b) < 0) return -1;
    uint32_t v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    *out = (int32_t)v;
    return 0;
}

/* A size field: an int32 >= 0 (else "bad marshal data (<what>)").  When
 * each of the n things that follow needs at least one byte, more than the
 * bytes left can only end in EOF: say so before allocating anything. */
static int r_size(reader *r, pm_ssize_t *out, int items, const char *what) {
    int32_t n;
    if (r_long(r, &n) < 0) return -1;
    if (n < 0) {
        bad(r, what);
        return -1;
    }
    if (items && (size_t)n > (size_t)(r->end - r->p)) {
        eof_error(r, "EOF read where object expected");
        return -1;
    }
    *out = n;
    return 0;
}

/* Reserve a reference slot (flag set), returning its index, or -1 when the
 * object is not referenced (flag clear) -- -2 on MemoryError. */
static pm_ssize_t ref_reserve(reader *r, int flag) {
    if (!flag) return -1;
    if (r->nrefs == r->caprefs) {
        pm_ssize_t cap = r->caprefs ? r->caprefs * 2 : 64;
        pm_object **nr = pm_realloc(r->rt, r->refs, sizeof(*nr) * (size_t)cap);
        if (!nr) {
            pm_err_nomem(r->rt);
            return -2;
        }
        r->refs = nr;
        r->caprefs = cap;
    }
    r->refs[r->nrefs] = NULL;
    return r->nrefs++;
}

/* Fill a reserved slot with o (borrowed; the list takes a reference). */
static void ref_fill(reader *r, pm_ssize_t idx, pm_object *o) {
    if (idx >= 0) r->refs[idx] = pm_newref(r->rt, o);
}

/* Register a finished scalar when flagged.  Returns o, or NULL (o released)
 * on MemoryError. */
static pm_object *ref_scalar(reader *r, int flag, pm_object *o) {
    if (!o) return NULL;
    pm_ssize_t idx = ref_reserve(r, flag);
    if (idx == -2) {
        pm_decref(r->rt, o);
        return NULL;
    }
    ref_fill(r, idx, o);
    return o;
}

static pm_object *r_object(reader *r);

/* UTF-8 with lone surrogates allowed (CPython's "surrogatepass"). */
static pm_object *decode_surrogatepass(reader *r, const unsigned char *s, pm_ssize_t n) {
    pm_object *res = pm_str_from_utf8(r->rt, (const char *)s, n);
    if (res || !pm_err_matches(r->rt, PM_EXC_UnicodeDecodeError)) return res;
    pm_err_clear(r->rt);
    uint32_t *cps = pm_malloc(r->rt, sizeof(uint32_t) * (size_t)(n ? n : 1));
    if (!cps) return pm_err_nomem(r->rt);
    pm_ssize_t k = 0, i = 0;
    while (i < n) {
        unsigned c = s[i];
        int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        if (len == 0 || i + len > n) goto invalid;
        for (int j = 1; j < len; j++) {
            if ((s[i + j] & 0xC0) != 0x80) goto invalid;
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            goto invalid;
        cps[k++] = cp;
        i += len;
    }
    res = pm_str_from_ucs4(r->rt, cps, k);
    pm_free(r->rt, cps);
    return res;
invalid:
    pm_free(r->rt, cps);
    pm_err_set(r->rt, PM_EXC_UnicodeDecodeError, "'utf-8' codec can't decode bytes: invalid data");
    return NULL;
}

static pm_object *r_str(reader *r, int type) {
    pm_ssize_t n;
    const unsigned char *s;
    if (type == 'z' || type == 'Z') {
        if (r_len_byte(r, &n) < 0) return NULL;
    } else if (r_size(r, &n, 0, "string size out of range") < 0) {
        return NULL;
    }
    if (r_bytes(r, (size_t)n, &s) < 0) return NULL;
    pm_object *o;
    if (type == 'u' || type == 't') {
        o = decode_surrogatepass(r, s, n);
    } else {
        for (pm_ssize_t i = 0; i < n; i++)
            if (s[i] >= 0x80) return bad(r, "non-ascii byte in an ascii string");
        o = pm_str_from_utf8(r->rt, (const char *)s, n);
    }
    if (o && (type == 't' || type == 'A' || type == 'Z')) {
        pm_object *in = pm_str_intern(r->rt, o);
        pm_decref(r->rt, o);
        o = in;
    }
    return o;
}

/* 'l': n 15-bit digits, least significant first; sign of n is the sign. */
static pm_object *r_long_object(reader *r) {
    int32_t n32;
    if (r_long(r, &n32) < 0) return NULL;
    if (n32 == INT32_MIN) return bad(r, "long size out of range");
    pm_ssize_t n = n32 < 0 ? -(pm_ssize_t)n32 : n32;
    const unsigned char *d;
    if ((size_t)n > (size_t)(r->end - r->p) / 2) return too_short(r);
    if (r_bytes(r, (size_t)n * 2, &d) < 0) return NULL;
    for (pm_ssize_t i = 0; i < n; i++) {
        unsigned dig = (unsigned)d[2 * i] | (unsigned)d[2 * i + 1] << 8;
        if (dig > 0x7fff) return bad(r, "digit out of range in long");
        if (i == n - 1 && dig == 0) return bad(r, "unnormalized long data");
    }
    if (n <= 4) {                   /* at most 60 bits: exact in long long */
        long long v = 0;
        for (pm_ssize_t i = n - 1; i >= 0; i--)
            v = v << 15 | (long long)((unsigned)d[2 * i] | (unsigned)d[2 * i + 1] << 8);
        return pm_int_from_longlong(r->rt, n32 < 0 ? -v : v);
    }
    /* Longer: spell the value in hex (4 bits per digit) and parse it. */
    size_t nbits = (size_t)n * 15;
    size_t nhex = (nbits + 3) / 4;
    char *hex = pm_malloc(r->rt, nhex + 2);
    if (!hex) return pm_err_nomem(r->rt);
    size_t pos = 0;
    if (n32 < 0) hex[pos++] = '-';
    for (size_t h = nhex; h-- > 0;) {
        unsigned nib = 0;
        for (int b = 3; b >= 0; b--) {
            size_t bit = h * 4 + (size_t)b;
            unsigned v = 0;
            if (bit < nbits) {
                size_t di = bit / 15, dbit = bit % 15;
                unsigned dig = (unsigned)d[2 * di] | (unsigned)d[2 * di + 1] << 8;
                v = (dig >> dbit) & 1;
            }
            nib = nib << 1 | v;
        }
        hex[pos++] = "0123456789abcdef"[nib];
    }
    pm_object *o = pm_int_from_string(r->rt, hex, (pm_ssize_t)pos, 16);
    pm_free(r->rt, hex);
    return o;
}

static pm_object *r_float_text(reader *r) {
    const unsigned char *s;
    pm_ssize_t n;
    if (r_len_byte(r, &n) < 0) return NULL;
    if (r_bytes(r, (size_t)n, &s) < 0) return NULL;
    char buf[257];
    memcpy(buf, s, (size_t)n);
    buf[n] = 0;
    char *endp;
    double v = strtod(buf, &endp);
    if (endp == buf || *endp || (size_t)n != strlen(buf)) {
        pm_err_format(r->rt, PM_EXC_ValueError, "could not convert string to float: '%s'", buf);
        return NULL;
    }
    return pm_float_new(r->rt, v);
}

static double r_double(const unsigned char *b) {
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--) u = u << 8 | b[i];
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* A complex number ('y' / 'x'): a libpymm complex object. */
static pm_object *make_complex(reader *r, double re, double im) {
    return pm_complex_new(r->rt, re, im);
}

/* Read n items into a fresh array of new refs. */
static pm_object **r_items(reader *r, pm_ssize_t n, const char *what) {
    pm_object **items = pm_malloc(r->rt, sizeof(pm_object *) * (size_t)(n ? n : 1));
    if (!items) return pm_err_nomem(r->rt);
    for (pm_ssize_t i = 0; i < n; i++) {
        items[i] = r_object(r);
        if (!items[i]) {
            if (!pm_err_occurred(r->rt))
                pm_err_format(r->rt, PM_EXC_TypeError, "NULL object in marshal data for %s", what);
            while (i-- > 0) pm_decref(r->rt, items[i]);
            pm_free(r->rt, items);
            return NULL;
        }
    }
    return items;
}

static void free_items(pm_runtime *rt, pm_object **items, pm_ssize_t n) {
    for (pm_ssize_t i = 0; i < n; i++) pm_decref(rt, items[i]);
    pm_free(rt, items);
}

static pm_object *r_tuple(reader *r, int type, int flag) {
    pm_ssize_t n;
    if (type == ')') {
        if (r_len_byte(r, &n) < 0) return NULL;
    } else if (r_size(r, &n, 1, "tuple size out of range") < 0) {
        return NULL;
    }
    pm_ssize_t idx = ref_reserve(r, flag);
    if (idx == -2) return NULL;
    pm_object **items = r_items(r, n, "tuple");
    if (!items) return NULL;
    pm_object *t = pm_tuple_from_array(r->rt, items, n);
    free_items(r->rt, items, n);
    if (t) ref_fill(r, idx, t);
    return t;
}

static pm_object *r_list(reader *r, int flag) {
    pm_ssize_t n;
    if (r_size(r, &n, 1, "list size out of range") < 0) return NULL;
    pm_ssize_t idx = ref_reserve(r, flag);
    if (idx == -2) return NULL;
    pm_object **items = r_items(r, n, "list");
    if (!items) return NULL;
    pm_object *l = pm_list_from_array(r->rt, items, n);
    free_items(r->rt, items, n);
    if (l) ref_fill(r, idx, l);
    return l;
}

static pm_object *r_dict(reader *r, int flag) {
    pm_object *d = pm_dict_new(r->rt);
    if (!d) return NULL;
    pm_ssize_t idx = ref_reserve(r, flag);
    if (idx == -2) goto fail;
    ref_fill(r, idx, d);
    for (;;) {
        pm_object *k = r_object(r);
        if (!k) break;
        pm_object *v = r_object(r);
        if (!v) {
            pm_decref(r->rt, k);
            break;
        }
        int rc = pm_dict_set(r->rt, d, k, v);
        pm_decref(r->rt, k);
        pm_decref(r->rt, v);
        if (rc < 0) goto fail;
    }
    if (pm_err_occurred(r->rt)) goto fail;
    return d;
fail:
    pm_decref(r->rt, d);
    return NULL;
}

static pm_object *r_set(reader *r, int type, int flag) {
    pm_ssize_t n;
    if (r_size(r, &n, 1, "set size out of range") < 0) return NULL;
    pm_ssize_t idx = ref_reserve(r, flag);
    if (idx == -2) return NULL;
    pm_object *s = type == '<' ? pm_set_new(r->rt, NULL) : pm_frozenset_new(r->rt, NULL);
    if (!s) return NULL;
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *k = r_object(r);
        if (!k) {
            if (!pm_err_occurred(r->rt))
                pm_err_set(r->rt, PM_EXC_TypeError, "NULL object in marshal data for set");
            goto fail;
        }
        int rc = pm_set_add(r->rt, s, k);
        pm_decref(r->rt, k);
        if (rc < 0) goto fail;
    }
    ref_fill(r, idx, s);
    return s;
fail:
    pm_decref(r->rt, s);
    return NULL;
}

static pm_object *r_code(reader *r, int flag) {
    pmi_code_spec spec;
    int32_t v[5], firstlineno;
    pm_object *objs[10] = {NULL};   /* code consts names lpnames lpkinds file name qual lt et */
    pm_object *co = NULL;
    pm_ssize_t idx = ref_reserve(r, flag);
    if (idx == -2) return NULL;
    for (int i = 0; i < 5; i++)
        if (r_long(r, &v[i]) < 0) return NULL;
    for (int i = 0; i < 8; i++) {
        objs[i] = r_object(r);
        if (!objs[i]) goto fail;
    }
    if (r_long(r, &firstlineno) < 0) goto fail;
    for (int i = 8; i < 10; i++) {
        objs[i] = r_object(r);
        if (!objs[i]) goto fail;
    }
    spec.argcount = v[0];
    spec.posonlyargcount = v[1];
    spec.kwonlyargcount = v[2];
    spec.stacksize = v[3];
    spec.flags = v[4];
    spec.firstlineno = firstlineno;
    spec.code = objs[0];
    spec.consts = objs[1];
    spec.names = objs[2];
    spec.localsplusnames = objs[3];
    spec.localspluskinds = objs[4];
    spec.filename = objs[5];
    spec.name = objs[6];
    spec.qualname = objs[7];
    spec.linetable = objs[8];
    spec.exceptiontable = objs[9];
    co = pmi_code_new(r->rt, &spec);
    if (co) ref_fill(r, idx, co);
fail:
    if (!co && !pm_err_occurred(r->rt)) bad(r, "NULL object in code");
    for (int i = 0; i < 10; i++) pm_xdecref(r->rt, objs[i]);
    return co;
}

static pm_object *r_object_inner(reader *r) {
    const unsigned char *b;
    if (r->p >= r->end) return eof_error(r, "EOF read where object expected");
    int code = *r->p++;
    int flag = code & FLAG_REF;
    int type = code & ~FLAG_REF;
    switch (type) {
    case '0':
        return NULL;                /* NULL: no error; callers decide */
    case 'N':
        return PM_NONE;
    case 'F':
        return PM_FALSE;
    case 'T':
        return PM_TRUE;
    case '.':
        return PM_ELLIPSIS;
    case 'S':                       /* the class itself (static, immortal) */
        return pm_newref(r->rt, STOP_ITERATION);
    case 'i': {
        int32_t x;
        if (r_long(r, &x) < 0) return NULL;
        return ref_scalar(r, flag, pm_int_from_long(r->rt, x));
    }
    case 'I': {                     /* int64 (read only, as CPython) */
        if (r_bytes(r, 8, &b) < 0) return NULL;
        uint64_t u = 0;
        for (int i = 7; i >= 0; i--) u = u << 8 | b[i];
        return ref_scalar(r, flag, pm_int_from_longlong(r->rt, (long long)u));
    }
    case 'l':
        return ref_scalar(r, flag, r_long_object(r));
    case 'g':
        if (r_bytes(r, 8, &b) < 0) return NULL;
        return ref_scalar(r, flag, pm_float_new(r->rt, r_double(b)));
    case 'f':
        return ref_scalar(r, flag, r_float_text(r));
    case 'y':
        if (r_bytes(r, 16, &b) < 0) return NULL;
        return ref_scalar(r, flag, make_complex(r, r_double(b), r_double(b + 8)));
    case 'x': {
        pm_object *re = r_float_text(r), *im = re ? r_float_text(r) : NULL;
        pm_object *c = im ? make_complex(r, pm_float_value(re), pm_float_value(im)) : NULL;
        pm_xdecref(r->rt, re);
        pm_xdecref(r->rt, im);
        return ref_scalar(r, flag, c);
    }
    case 's': {
        pm_ssize_t n;
        if (r_size(r, &n, 0, "bytes object size out of range") < 0) return NULL;
        if (r_bytes(r, (size_t)n, &b) < 0) return NULL;
        return ref_scalar(r, flag, pm_bytes_new(r->rt, b, n));
    }
    case 'a': case 'A': case 'z': case 'Z': case 'u': case 't':
        return ref_scalar(r, flag, r_str(r, type));
    case '(':
    case ')':
        return r_tuple(r, type, flag);
    case '[':
        return r_list(r, flag);
    case '{':
        return r_dict(r, flag);
    case '<':
    case '>':
        return r_set(r, type, flag);
    case 'c':
        return r_code(r, flag);
    case 'r': {
        int32_t i;
        if (r_long(r, &i) < 0) return NULL;
        if (i < 0 || i >= r->nrefs || !r->refs[i]) return bad(r, "invalid reference");
        return pm_newref(r->rt, r->refs[i]);
    }
    default:
        return bad(r, "unknown type code");
    }
}

static pm_object *r_object(reader *r) {
    if (++r->depth > MAX_DEPTH) {
        r->depth--;
        pm_err_set(r->rt, PM_EXC_ValueError, "recursion limit exceeded");
        return NULL;
    }
    pm_object *o = r_object_inner(r);
    r->depth--;
    return o;
}

pm_object *pmi_marshal_loads(pm_runtime *rt, const unsigned char *data, size_t n) {
    reader r = {rt, data, data + n, NULL, 0, 0, 0};
    pm_object *o = r_object(&r);
    if (!o && !pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_TypeError, "NULL object in marshal data for object");
    for (pm_ssize_t i = 0; i < r.nrefs; i++) pm_xdecref(rt, r.refs[i]);
    pm_free(rt, r.refs);
    return o;
}

/* ====================================================================== */
/* Writing                                                                 */
/* ====================================================================== */

typedef struct writer {
    pm_runtime *rt;                 /* the runtime */
    unsigned char *buf;             /* output (pm_malloc) */
    size_t len;                     /* bytes written */
    size_t cap;                     /* bytes allocated */
    pm_object **keys;               /* open-addressing table: object -> ref index */
    int32_t *vals;                  /* ref index of keys[i] */
    size_t tcap;                    /* table slots (power of two, 0: none yet) */
    size_t tcount;                  /* objects in the table (= next ref index) */
    int depth;                      /* current nesting */
    int failed;                     /* an error is set: stop writing */
    pm_object *canon_str[257];      /* first '' / 1-char latin-1 str seen (see canonical) */
    pm_object *canon_bytes[257];    /* first b'' / 1-byte bytes seen */
} writer;

static void w_fail_nomem(writer *w) {
    if (!w->failed) pm_err_nomem(w->rt);
    w->failed = 1;
}

static void w_raw(writer *w, const void *data, size_t n) {
    if (w->failed) return;
    if (w->cap - w->len < n) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap - w->len < n) cap *= 2;
        unsigned char *nb = pm_realloc(w->rt, w->buf, cap);
        if (!nb) {
            w_fail_nomem(w);
            return;
        }
        w->buf = nb;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, data, n);
    w->len += n;
}

static void w_byte(writer *w, int c) {
    unsigned char b = (unsigned char)c;
    w_raw(w, &b, 1);
}

static void w_long(writer *w, int32_t x) {
    uint32_t u = (uint32_t)x;
    unsigned char b[4] = {(unsigned char)u, (unsigned char)(u >> 8), (unsigned char)(u >> 16),
                          (unsigned char)(u >> 24)};
    w_raw(w, b, 4);
}

static size_t ptr_hash(const void *p, size_t mask) {
    uintptr_t x = (uintptr_t)p >> 4;
    x *= (uintptr_t)0x9E3779B97F4A7C15ULL;
    return (size_t)(x >> 20) & mask;
}

static int table_grow(writer *w) {
    size_t ncap = w->tcap ? w->tcap * 2 : 256;
    pm_object **nk = pm_calloc(w->rt, ncap, sizeof(*nk));
    int32_t *nv = pm_malloc(w->rt, ncap * sizeof(*nv));
    if (!nk || !nv) {
        pm_free(w->rt, nk);
        pm_free(w->rt, nv);
        w_fail_nomem(w);
        return -1;
    }
    for (size_t i = 0; i < w->tcap; i++) {
        if (!w->keys[i]) continue;
        size_t j = ptr_hash(w->keys[i], ncap - 1);
        while (nk[j]) j = (j + 1) & (ncap - 1);
        nk[j] = w->keys[i];
        nv[j] = w->vals[i];
    }
    pm_free(w->rt, w->keys);
    pm_free(w->rt, w->vals);
    w->keys = nk;
    w->vals = nv;
    w->tcap = ncap;
    return 0;
}

/* CPython's w_ref: 1 when a TYPE_REF was written for o; else 0 with *flag
 * set to FLAG_REF when o was remembered (count > 1). */
/* shared > 0: CPython's count is above 1; 0: pymm's count decides; < 0:
 * CPython's object is a fresh one (count 1) even where pymm hands out an
 * immortal shared object (its one-byte bytes, say). */
static int w_ref(writer *w, pm_object *o, int *flag, int shared) {
    if (shared <= 0 && (pm_refcnt(w->rt, o) == 1 || (shared < 0 && pm_is_immortal(o)))) return 0;
    if ((w->tcount + 1) * 2 > w->tcap && table_grow(w) < 0) return 1;
    size_t mask = w->tcap - 1, j = ptr_hash(o, mask);
    while (w->keys[j]) {
        if (w->keys[j] == o) {
            w_byte(w, 'r');
            w_long(w, w->vals[j]);
            return 1;
        }
        j = (j + 1) & mask;
    }
    if (w->tcount >= 0x7fffffff) {
        pm_err_set(w->rt, PM_EXC_ValueError, "too many objects");
        w->failed = 1;
        return 1;
    }
    w->keys[j] = pm_newref(w->rt, o);
    w->vals[j] = (int32_t)w->tcount++;
    *flag = FLAG_REF;
    return 0;
}

static void w_object(writer *w, pm_object *o);
static void w_object_ex(writer *w, pm_object *o, int shared);

static void w_size(writer *w, pm_ssize_t n) {
    if (n > 0x7fffffff) {
        if (!w->failed) pm_err_set(w->rt, PM_EXC_ValueError, "unmarshallable object");
        w->failed = 1;
        return;
    }
    w_long(w, (int32_t)n);
}

static void w_pstring(writer *w, const void *s, pm_ssize_t n) {
    w_size(w, n);
    w_raw(w, s, (size_t)n);
}

static void w_int(writer *w, pm_object *o, int flag) {
    long long v = pm_int_as_longlong(w->rt, o);
    if (v == -1 && pm_err_occurred(w->rt)) {
        pm_err_clear(w->rt);        /* wider than 64 bits: the digit loop below */
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        w_byte(w, 'i' | flag);
        w_long(w, (int32_t)v);
        return;
    } else {
        /* 15-bit digits of |v|. */
        unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
        unsigned short dig[5];
        int n = 0;
        while (u) {
            dig[n++] = (unsigned short)(u & 0x7fff);
            u >>= 15;
        }
        w_byte(w, 'l' | flag);
        w_long(w, v < 0 ? -n : n);
        for (int i = 0; i < n; i++) {
            unsigned char b[2] = {(unsigned char)dig[i], (unsigned char)(dig[i] >> 8)};
            w_raw(w, b, 2);
        }
        return;
    }
    /* Big ints: repeated shifts of |o| (quadratic, fine for constants). */
    pm_runtime *rt = w->rt;
    int neg = pm_int_sign(o) < 0;
    size_t nd = (pm_int_bit_length(o) + 14) / 15;
    pm_object *x = pm_int_abs(rt, o), *mask = NULL, *fifteen = NULL;
    mask = pm_int_from_long(rt, 0x7fff);
    fifteen = pm_int_from_long(rt, 15);
    if (!x || !mask || !fifteen || nd > 0x7fffffff) goto fail;
    w_byte(w, 'l' | flag);
    w_long(w, neg ? -(int32_t)nd : (int32_t)nd);
    for (size_t i = 0; i < nd && !w->failed; i++) {
        pm_object *d = pm_int_and(rt, x, mask);
        if (!d) goto fail;
        long dv = pm_int_as_long(rt, d);
        pm_decref(rt, d);
        unsigned char b[2] = {(unsigned char)dv, (unsigned char)(dv >> 8)};
        w_raw(w, b, 2);
        pm_object *nx = pm_int_rshift(rt, x, fifteen);
        if (!nx) goto fail;
        pm_decref(rt, x);
        x = nx;
    }
    pm_decref(rt, x);
    pm_decref(rt, mask);
    pm_decref(rt, fifteen);
    return;
fail:
    pm_xdecref(rt, x);
    pm_xdecref(rt, mask);
    pm_xdecref(rt, fifteen);
    if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_ValueError, "unmarshallable object");
    w->failed = 1;
}

static void w_double(writer *w, double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(u >> (8 * i));
    w_raw(w, b, 8);
}

/* UTF-8 of s with surrogates encoded as 3-byte sequences (surrogatepass). */
static void w_str_utf8(writer *w, pm_object *s, int type) {
    pm_ssize_t n;
    const char *u = pm_str_as_utf8(w->rt, s, &n);
    if (u) {
        w_byte(w, type);
        w_pstring(w, u, n);
        return;
    }
    if (!pm_err_matches(w->rt, PM_EXC_UnicodeEncodeError)) {
        w->failed = 1;
        return;
    }
    pm_err_clear(w->rt);
    pm_ssize_t len = pm_str_length(s);
    size_t start;
    w_byte(w, type);
    w_long(w, 0);                   /* patched below */
    start = w->len;
    for (pm_ssize_t i = 0; i < len && !w->failed; i++) {
        uint32_t c = pm_str_read_char(s, i);
        unsigned char b[4];
        int k;
        if (c < 0x80) { b[0] = (unsigned char)c; k = 1; }
        else if (c < 0x800) { b[0] = (unsigned char)(0xC0 | c >> 6); b[1] = (unsigned char)(0x80 | (c & 63)); k = 2; }
        else if (c < 0x10000) {
            b[0] = (unsigned char)(0xE0 | c >> 12); b[1] = (unsigned char)(0x80 | ((c >> 6) & 63));
            b[2] = (unsigned char)(0x80 | (c & 63)); k = 3;
        } else {
            b[0] = (unsigned char)(0xF0 | c >> 18); b[1] = (unsigned char)(0x80 | ((c >> 12) & 63));
            b[2] = (unsigned char)(0x80 | ((c >> 6) & 63)); b[3] = (unsigned char)(0x80 | (c & 63)); k = 4;
        }
        w_raw(w, b, (size_t)k);
    }
    if (w->failed) return;
    size_t nbytes = w->len - start;
    if (nbytes > 0x7fffffff) {
        pm_err_set(w->rt, PM_EXC_ValueError, "unmarshallable object");
        w->failed = 1;
        return;
    }
    uint32_t v = (uint32_t)nbytes;
    for (int i = 0; i < 4; i++) w->buf[start - 4 + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static int str_is_ascii(pm_object *s) {
    if (pm_str_kind(s) != 1) return 0;
    pm_ssize_t n = pm_str_length(s);
    for (pm_ssize_t i = 0; i < n; i++)
        if (pm_str_read_char(s, i) >= 0x80) return 0;
    return 1;
}

/* '*' is interned in every python3 process (the name list of
 * `from posix import *` in the frozen os module), and CPython's one-character
 * strings are singletons, so every '*' is written as interned there. */
static int interned_in_cpython(pm_object *s) {
    return pm_str_is_interned(s) || (pm_str_length(s) == 1 && pm_str_read_char(s, 0) == '*');
}

static void w_str(writer *w, pm_object *s, int flag) {
    int interned = interned_in_cpython(s);
    if (str_is_ascii(s)) {
        pm_ssize_t n;
        const char *u = pm_str_as_utf8(w->rt, s, &n);
        if (!u) {
            w->failed = 1;
            return;
        }
        if (n < 256) {
            w_byte(w, (interned ? 'Z' : 'z') | flag);
            w_byte(w, (int)n);
            w_raw(w, u, (size_t)n);
        } else {
            w_byte(w, (interned ? 'A' : 'a') | flag);
            w_pstring(w, u, n);
        }
        return;
    }
    w_str_utf8(w, s, (interned ? 't' : 'u') | flag);
}

/* The name of an anonymous scope is one of CPython's static strings
 * (_Py_STR(anon_lambda)...), shared process-wide: 1 for those, else 0
 * (a str constant "<lambda>" in the source is a fresh object). */
static int anon_name(pm_object *o) {
    static const char *const names[] = {"<module>", "<lambda>", "<genexpr>", "<listcomp>",
                                         "<setcomp>", "<dictcomp>"};
    if (pm_type_of(o) != &pm_str_type) return 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (pm_str_equal_cstr(o, names[i])) return 1;
    return 0;
}

static void w_code(writer *w, pmi_code *co, int flag) {
    w_byte(w, 'c' | flag);
    w_long(w, co->argcount);
    w_long(w, co->posonlyargcount);
    w_long(w, co->kwonlyargcount);
    w_long(w, co->stacksize);
    w_long(w, co->flags);
    w_object_ex(w, co->code, 1);
    w_object(w, co->consts);
    w_object(w, co->names);
    w_object(w, co->localsplusnames);
    w_object_ex(w, co->localspluskinds, -1);
    w_object_ex(w, co->filename, 1);  /* compile()'s caller holds it too */
    w_object_ex(w, co->name, anon_name(co->name));
    w_object_ex(w, co->qualname, anon_name(co->qualname));
    w_long(w, co->firstlineno);
    w_object(w, co->linetable);
    w_object(w, co->exceptiontable);
}

/* One item of a set with its standalone marshal data (the sort key). */
typedef struct set_item {
    pm_object *item;                /* the item (borrowed from the set) */
    unsigned char *key;             /* marshal data of the item alone (pm_malloc) */
    size_t keylen;                  /* its length */
} set_item;

static int set_item_cmp(const void *a, const void *b) {
    const set_item *x = a, *y = b;
    size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
    int c = memcmp(x->key, y->key, n);
    if (c) return c;
    return x->keylen < y->keylen ? -1 : x->keylen > y->keylen;
}

static void writer_release(writer *w);

/* A set's items in CPython 3.11's order (bpo-37596, reproducible .pyc):
 * sorted by the marshal data of each item written alone (its own count
 * deciding its flag), whatever the order of the hash table. */
static void w_set_items(writer *w, pm_object *o) {
    pm_runtime *rt = w->rt;
    pm_ssize_t n = pm_set_size(o), pos = 0, i = 0;
    set_item *items = pm_calloc(rt, (size_t)(n ? n : 1), sizeof *items);
    pm_object *k;
    if (!items) {
        w_fail_nomem(w);
        return;
    }
    while (i < n && pm_set_next(o, &pos, &k)) {
        writer sub;
        memset(&sub, 0, sizeof sub);
        sub.rt = rt;
        w_object_ex(&sub, k, 0);
        items[i].item = k;
        items[i].key = sub.buf;
        items[i].keylen = sub.len;
        sub.buf = NULL;
        int failed = sub.failed;
        writer_release(&sub);
        i++;
        if (failed) {
            w->failed = 1;
            goto done;
        }
    }
    qsort(items, (size_t)i, sizeof *items, set_item_cmp);
    /* CPython's sort list holds each item while it is written: its count
     * is above 1 then, so every item is remembered (FLAG_REF). */
    for (pm_ssize_t j = 0; j < i && !w->failed; j++) w_object_ex(w, items[j].item, 1);
done:
    for (pm_ssize_t j = 0; j < i; j++) pm_free(rt, items[j].key);
    pm_free(rt, items);
}

static void w_complex_object(writer *w, pm_object *o, int flag) {
    pm_runtime *rt = w->rt;
    const pm_type *t = pm_type_of(o);
    double re, im;
    if (t == &pm_int_type) {
        w_int(w, o, flag);
    } else if (t == &pm_float_type) {
        w_byte(w, 'g' | flag);
        w_double(w, pm_float_value(o));
    } else if (t == &pm_bytes_type) {
        w_byte(w, 's' | flag);
        w_pstring(w, pm_bytes_data(o), pm_bytes_size(o));
    } else if (t == &pm_str_type) {
        w_str(w, o, flag);
    } else if (pmi_code_complex_parts(rt, o, &re, &im)) {
        w_byte(w, 'y' | flag);
        w_double(w, re);
        w_double(w, im);
    } else if (t == &pm_tuple_type) {
        pm_ssize_t n = pm_tuple_size(o);
        if (n < 256) {
            w_byte(w, ')' | flag);
            w_byte(w, (int)n);
        } else {
            w_byte(w, '(' | flag);
            w_size(w, n);
        }
        for (pm_ssize_t i = 0; i < n && !w->failed; i++) w_object(w, pm_tuple_get(rt, o, i));
    } else if (t == &pm_list_type) {
        pm_ssize_t n = pm_list_size(o);
        w_byte(w, '[' | flag);
        w_size(w, n);
        for (pm_ssize_t i = 0; i < n && !w->failed; i++) w_object(w, pm_list_get(rt, o, i));
    } else if (t == &pm_dict_type) {
        pm_ssize_t pos = 0;
        pm_object *k, *v;
        w_byte(w, '{' | flag);
        while (!w->failed && pm_dict_next(o, &pos, &k, &v)) {
            w_object(w, k);
            w_object(w, v);
        }
        w_byte(w, '0');
    } else if (t == &pm_set_type || t == &pm_frozenset_type) {
        w_byte(w, (t == &pm_set_type ? '<' : '>') | flag);
        w_size(w, pm_set_size(o));
        w_set_items(w, o);
    } else if (t == &pmi_code_type) {
        w_code(w, (pmi_code *)o, flag);
    } else if (t == &pm_bytearray_type) {
        w_byte(w, 's' | flag);
        w_pstring(w, pm_bytearray_data(o), pm_bytearray_size(o));
    } else {
        if (!w->failed) pm_err_set(rt, PM_EXC_ValueError, "unmarshallable object");
        w->failed = 1;
    }
}

/* shared 1: write o as CPython would an object whose count is above 1 even
 * when pymm's is 1; 0: decide by shared_in_cpython and the count; -1: by
 * the count alone. */
static void w_object(writer *w, pm_object *o) { w_object_ex(w, o, 0); }

/* Objects python3 shares process-wide, so that their count is above 1 there
 * whatever pymm's is: interned strings (one object per identifier in the
 * whole interpreter), one-character latin-1 strings and bytes of length 0
 * or 1 (CPython's caches of them). */
static int shared_in_cpython(pm_object *o) {
    if (pm_type_of(o) == &pm_str_type)
        return interned_in_cpython(o) || (pm_str_length(o) == 1 && pm_str_read_char(o, 0) < 256);
    return pm_type_of(o) == &pm_bytes_type && pm_bytes_size(o) <= 1;
}

/* CPython keeps one '' and one b'', and caches one-character latin-1
 * strings and one-byte bytes, so equal ones are the same object there and
 * marshal writes a TYPE_REF for every use after the first.  pymm may hold
 * several equal copies: write the first one seen for all of them.  Returns
 * the object to write (borrowed; the refs table keeps it alive). */
static pm_object *canonical(writer *w, pm_object *o) {
    pm_object **slot = NULL;
    if (pm_type_of(o) == &pm_str_type && pm_str_length(o) <= 1) {
        if (pm_str_length(o) == 0) slot = &w->canon_str[256];
        else if (pm_str_read_char(o, 0) < 256) slot = &w->canon_str[pm_str_read_char(o, 0)];
    } else if (pm_type_of(o) == &pm_bytes_type && pm_bytes_size(o) <= 1) {
        slot = &w->canon_bytes[pm_bytes_size(o) ? (unsigned char)pm_bytes_data(o)[0] : 256];
    }
    if (!slot) return o;
    if (!*slot) *slot = o;
    return *slot;
}

static void w_object_ex(writer *w, pm_object *o, int shared) {
    if (w->failed) return;
    if (shared < 0 && o && pm_type_of(o) == &pm_bytes_type && pm_bytes_size(o) == 0)
        shared = 0;                 /* b'' is CPython's singleton even there */
    if (o && shared >= 0) o = canonical(w, o);
    if (++w->depth > MAX_DEPTH) {
        pm_err_set(w->rt, PM_EXC_ValueError, "object too deeply nested to marshal");
        w->failed = 1;
    } else if (o == NULL) {
        w_byte(w, '0');
    } else if (o == PM_NONE) {
        w_byte(w, 'N');
    } else if (o == PM_ELLIPSIS) {
        w_byte(w, '.');
    } else if (o == PM_FALSE) {
        w_byte(w, 'F');
    } else if (o == PM_TRUE) {
        w_byte(w, 'T');
    } else if (o == STOP_ITERATION) {
        w_byte(w, 'S');
    } else {
        int flag = 0;
        int s = shared > 0 ? 1 : shared == 0 ? shared_in_cpython(o) : -1;
        if (!w_ref(w, o, &flag, s))
            w_complex_object(w, o, flag);
    }
    w->depth--;
}

/* Free what a writer holds (its buffer too, unless taken). */
static void writer_release(writer *w) {
    for (size_t i = 0; i < w->tcap; i++) pm_xdecref(w->rt, w->keys[i]);
    pm_free(w->rt, w->keys);
    pm_free(w->rt, w->vals);
    pm_free(w->rt, w->buf);
}

pm_object *pmi_marshal_dumps(pm_runtime *rt, pm_object *obj) {
    writer w;
    memset(&w, 0, sizeof w);
    w.rt = rt;
    w_object_ex(&w, obj, 1);
    pm_object *res = NULL;
    if (!w.failed) res = pm_bytes_new(rt, w.buf, (pm_ssize_t)w.len);
    writer_release(&w);
    return res;
}

/* ====================================================================== */
/* .pyc                                                                    */
/* ====================================================================== */

pm_object *pmi_pyc_read(pm_runtime *rt, const unsigned char *data, size_t n) {
    if (n < PMI_PYC_HEADER_SIZE) {
        pm_err_set(rt, PM_EXC_ValueError, "bad .pyc header (too short)");
        return NULL;
    }
    if (data[0] != (PMI_PYC_MAGIC_NUMBER & 0xff) || data[1] != (PMI_PYC_MAGIC_NUMBER >> 8) ||
        data[2] != '\r' || data[3] != '\n') {
        pm_err_set(rt, PM_EXC_ValueError, "bad magic number in .pyc");
        return NULL;
    }
    uint32_t flags = (uint32_t)data[4] | (uint32_t)data[5] << 8 | (uint32_t)data[6] << 16 |
                     (uint32_t)data[7] << 24;
    if (flags & ~3u) {
        pm_err_format(rt, PM_EXC_ValueError, "invalid flags %u in .pyc", (unsigned)flags);
        return NULL;
    }
    pm_object *co = pmi_marshal_loads(rt, data + PMI_PYC_HEADER_SIZE, n - PMI_PYC_HEADER_SIZE);
    if (co && !pmi_code_check(co)) {
        pm_decref(rt, co);
        pm_err_set(rt, PM_EXC_ValueError, "bad .pyc: not a code object");
        return NULL;
    }
    return co;
}

pm_object *pmi_pyc_write(pm_runtime *rt, pm_object *code, uint32_t mtime, uint32_t source_size) {
    pm_object *body = pmi_marshal_dumps(rt, code);
    if (!body) return NULL;
    pm_ssize_t n = pm_bytes_size(body);
    unsigned char *buf = pm_malloc(rt, (size_t)n + PMI_PYC_HEADER_SIZE);
    if (!buf) {
        pm_decref(rt, body);
        return pm_err_nomem(rt);
    }
    uint32_t words[4] = {PMI_PYC_MAGIC_NUMBER | (uint32_t)'\r' << 16 | (uint32_t)'\n' << 24, 0,
                         mtime, source_size};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) buf[4 * i + j] = (unsigned char)(words[i] >> (8 * j));
    memcpy(buf + PMI_PYC_HEADER_SIZE, pm_bytes_data(body), (size_t)n);
    pm_decref(rt, body);
    pm_object *res = pm_bytes_new(rt, buf, n + PMI_PYC_HEADER_SIZE);
    pm_free(rt, buf);
    return res;
}
