/*
 * interp/mod_array.c — the `array` module (CPython 3.11's
 * Modules/arraymodule.c at the Python level: same results, sizes, growth
 * and error texts).
 *
 * Purpose
 *   array.array: a compact sequence of C numbers of one type, named by a
 *   typecode, that exports its memory through the buffer protocol.
 *
 * Layout (64 bytes, + 16 of gc head: sys.getsizeof(array('i')) == 80)
 *
 *     arr_object ─ ob_size (items) ─ items ──▶ [ i0 | i1 | i2 | .. spare .. ]
 *                  allocated (items the block holds)  descr ─▶ arr_descr
 *                  weakreflist   exports (buffers handed out)
 *
 *   sys.getsizeof is 80 + allocated * itemsize.  Growth follows CPython's
 *   array_resize: a request that fits and does not shrink by 16 or more
 *   items keeps the block; otherwise the block becomes newsize + newsize/16
 *   + (3 while the array had fewer than 8 items, else 7) — 4, 8, 16, 25,
 *   34, 46 ... items for one append at a time.  Arrays made whole (from a
 *   list, a tuple, an array of the same typecode, a slice, +, *) get
 *   exactly their size.
 *
 * Buffer exports
 *   getbuffer hands out the item block itself (zero copy, writable, 1-D,
 *   format = the typecode, 'w' for 'u'; shape points at ob_size as
 *   CPython's does) and counts the export; while exports > 0 any change
 *   of length fails with BufferError "cannot resize an array that is
 *   exporting buffers" (changes that keep the length are allowed).
 *
 * Item conversions (CPython's per-typecode setitem functions and the
 * argument parser behind them): b uses a short then checks ("signed char
 * is greater than maximum"), B "unsigned byte integer is less than
 * minimum", h "signed short integer ...", H "unsigned short ...", i
 * "signed integer ...", I and L "can't convert negative value to unsigned
 * int" / "unsigned int is greater than maximum", l "Python int too large
 * to convert to C long", q / Q "int too big to convert" / "can't convert
 * negative int to unsigned", f / d any real number, u a one-character str.
 *
 * Not done: subclassing array, pickling (__reduce_ex__), tofile/fromfile
 * on real files only through their read()/write() methods.
 */
#include "modules.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

/* ---- typecodes --------------------------------------------------------------- */

typedef struct arr_descr {
    char typecode;                  /* 'b' ... 'd' */
    pm_ssize_t itemsize;            /* bytes per item (strides of exports point here) */
    const char *format;             /* the buffer format ('w' for 'u') */
} arr_descr;

static const arr_descr descrs[] = {
    {'b', 1, "b"}, {'B', 1, "B"}, {'u', 4, "w"}, {'h', 2, "h"}, {'H', 2, "H"},
    {'i', 4, "i"}, {'I', 4, "I"}, {'l', 8, "l"}, {'L', 8, "L"}, {'q', 8, "q"},
    {'Q', 8, "Q"}, {'f', 4, "f"}, {'d', 8, "d"},
};

static const arr_descr *descr_for(uint32_t c) {
    for (size_t i = 0; i < sizeof descrs / sizeof descrs[0]; i++)
        if ((uint32_t)(unsigned char)descrs[i].typecode == c) return &descrs[i];
    return NULL;
}

/* The memory of an empty array handed to buffer consumers (never written:
 * its length is 0). */
static const char empty_block[1] = {0};

/* ---- the object ---------------------------------------------------------------- */

typedef struct arr_object {
    pm_varobject ob_base;           /* refcount, type, ob_size = number of items */
    char *items;                    /* owned (pm_malloc) item block, NULL when allocated == 0 */
    pm_ssize_t allocated;           /* items the block holds */
    const arr_descr *descr;         /* the typecode's entry */
    pm_object *weakreflist;         /* weak references to the array */
    pm_ssize_t exports;             /* buffers handed out and not released */
} arr_object;

extern const pm_type pmi_array_type;
extern const pm_type pmi_arrayiter_type;

#define ASIZE(a) (((arr_object *)(a))->ob_base.ob_size)

static int arr_check(const pm_object *o) { return pm_type_of(o) == &pmi_array_type; }

/* A new array of `size` items (contents unset; exactly `size` allocated). */
static arr_object *arr_new(pm_runtime *rt, const arr_descr *d, pm_ssize_t size) {
    if (size < 0 || size > PM_SSIZE_MAX / d->itemsize) {
        pm_err_nomem(rt);
        return NULL;
    }
    arr_object *a = (arr_object *)pm_gc_new(rt, &pmi_array_type);
    if (!a) return NULL;
    a->descr = d;
    if (size > 0) {
        a->items = pmi_mod_alloc(rt, (size_t)(size * d->itemsize));
        if (!a->items) {
            pm_decref(rt, (pm_object *)a);
            return NULL;
        }
        a->allocated = size;
        ASIZE(a) = size;
    }
    pm_gc_track(rt, (pm_object *)a);
    return a;
}

/* CPython's array_resize (see the essay): 0, or -1 with BufferError /
 * MemoryError (the array unchanged). */
static int arr_resize(pm_runtime *rt, arr_object *a, pm_ssize_t newsize) {
    pm_ssize_t size = ASIZE(a);
    if (a->exports > 0 && newsize != size) {
        pm_err_set(rt, PM_EXC_BufferError, "cannot resize an array that is exporting buffers");
        return -1;
    }
    if (a->allocated >= newsize && size < newsize + 16 && a->items) {
        ASIZE(a) = newsize;
        return 0;
    }
    if (newsize == 0) {
        if (a->items) pm_free(rt, a->items);
        a->items = NULL;
        ASIZE(a) = 0;
        a->allocated = 0;
        return 0;
    }
    pm_ssize_t cap = (newsize >> 4) + (size < 8 ? 3 : 7) + newsize;
    if (cap > PM_SSIZE_MAX / a->descr->itemsize) {
        pm_err_nomem(rt);
        return -1;
    }
    char *p = pm_realloc(rt, a->items, (size_t)(cap * a->descr->itemsize));
    if (!p) {
        pm_err_nomem(rt);
        return -1;
    }
    a->items = p;
    ASIZE(a) = newsize;
    a->allocated = cap;
    return 0;
}

/* ---- items ---------------------------------------------------------------------- */

/* One converted item, as the typecode stores it. */
typedef union arr_value {
    long long ll;                   /* signed codes */
    unsigned long long ull;         /* unsigned codes */
    double d;                       /* f, d */
    uint32_t u;                     /* 'u': a code point */
} arr_value;

/* index(v) as a long, CPython's PyLong_AsLong errors: 0 / -1. */
static int as_long(pm_runtime *rt, pm_object *v, long long *out) {
    pm_object *i = pm_index(rt, v);
    if (!i) return -1;
    long x = pm_int_as_long(rt, i);
    pm_decref(rt, i);
    if (x == -1 && pm_err_occurred(rt)) return -1;
    *out = x;
    return 0;
}

/* index(v) as an unsigned value of at most 64 bits: 0, 1 when negative, 2
 * when too big, -1 on another error. */
static int as_unsigned(pm_runtime *rt, pm_object *v, unsigned long long *out) {
    pm_object *i = pm_index(rt, v);
    if (!i) return -1;
    int rc = 0;
    if (pm_int_sign(i) < 0) {
        rc = 1;
    } else if (pm_int_bit_length(i) > 64) {
        rc = 2;
    } else if (pm_int_bit_length(i) < 64) {
        *out = (unsigned long long)pm_int_as_longlong(rt, i);
    } else {
        pm_object *k = pm_int_from_longlong(rt, -0x7fffffffffffffffLL - 1);
        pm_object *low = k ? pm_int_add(rt, i, k) : NULL;
        if (low) *out = (unsigned long long)pm_int_as_longlong(rt, low) + 0x8000000000000000ULL;
        else rc = -1;
        pm_xdecref(rt, k);
        pm_xdecref(rt, low);
    }
    pm_decref(rt, i);
    return rc;
}

static int overflow(pm_runtime *rt, const char *msg) {
    pm_err_set(rt, PM_EXC_OverflowError, msg);
    return -1;
}

/* v converted for typecode d: 0, or -1 with CPython's error. */
static int arr_convert(pm_runtime *rt, const arr_descr *d, pm_object *v, arr_value *out) {
    long long x;
    unsigned long long u;
    int rc;
    switch (d->typecode) {
    case 'b':
        if (as_long(rt, v, &x) < 0) return -1;
        if (x < SHRT_MIN) return overflow(rt, "signed short integer is less than minimum");
        if (x > SHRT_MAX) return overflow(rt, "signed short integer is greater than maximum");
        if (x < -128) return overflow(rt, "signed char is less than minimum");
        if (x > 127) return overflow(rt, "signed char is greater than maximum");
        out->ll = x;
        return 0;
    case 'B':
        if (as_long(rt, v, &x) < 0) return -1;
        if (x < 0) return overflow(rt, "unsigned byte integer is less than minimum");
        if (x > 255) return overflow(rt, "unsigned byte integer is greater than maximum");
        out->ll = x;
        return 0;
    case 'h':
        if (as_long(rt, v, &x) < 0) return -1;
        if (x < SHRT_MIN) return overflow(rt, "signed short integer is less than minimum");
        if (x > SHRT_MAX) return overflow(rt, "signed short integer is greater than maximum");
        out->ll = x;
        return 0;
    case 'H':
    case 'i':
        if (as_long(rt, v, &x) < 0) return -1;
        if (x < INT_MIN) return overflow(rt, "signed integer is less than minimum");
        if (x > INT_MAX) return overflow(rt, "signed integer is greater than maximum");
        if (d->typecode == 'H' && x < 0) return overflow(rt, "unsigned short is less than minimum");
        if (d->typecode == 'H' && x > 65535) return overflow(rt, "unsigned short is greater than maximum");
        out->ll = x;
        return 0;
    case 'l':
        if (as_long(rt, v, &x) < 0) return -1;
        out->ll = x;
        return 0;
    case 'I':
    case 'L':
        rc = as_unsigned(rt, v, &u);
        if (rc < 0) return -1;
        if (rc == 1) return overflow(rt, "can't convert negative value to unsigned int");
        if (rc == 2) return overflow(rt, "Python int too large to convert to C unsigned long");
        if (d->typecode == 'I' && u > UINT_MAX) return overflow(rt, "unsigned int is greater than maximum");
        out->ull = u;
        return 0;
    case 'q': {
        pm_object *i = pm_index(rt, v);
        if (!i) return -1;
        x = pm_int_as_longlong(rt, i);
        pm_decref(rt, i);
        if (x == -1 && pm_err_occurred(rt)) {
            if (pm_err_matches(rt, PM_EXC_OverflowError)) return overflow(rt, "int too big to convert");
            return -1;
        }
        out->ll = x;
        return 0;
    }
    case 'Q':
        rc = as_unsigned(rt, v, &u);
        if (rc < 0) return -1;
        if (rc == 1) return overflow(rt, "can't convert negative int to unsigned");
        if (rc == 2) return overflow(rt, "int too big to convert");
        out->ull = u;
        return 0;
    case 'f':
    case 'd':
        return pmi_mod_to_double(rt, v, &out->d);
    case 'u':
        if (!pm_str_check(v) || pm_str_length(v) != 1) {
            pm_err_set(rt, PM_EXC_TypeError, "array item must be unicode character");
            return -1;
        }
        out->u = pm_str_read_char(v, 0);
        return 0;
    default:
        pm_err_set(rt, PM_EXC_SystemError, "array: bad typecode");
        return -1;
    }
}

/* Stores a converted value as item i. */
static void arr_store(arr_object *a, pm_ssize_t i, const arr_value *v) {
    char *p = a->items + i * a->descr->itemsize;
    switch (a->descr->typecode) {
    case 'b': { signed char c = (signed char)v->ll; memcpy(p, &c, 1); break; }
    case 'B': { unsigned char c = (unsigned char)v->ll; memcpy(p, &c, 1); break; }
    case 'h': { short s = (short)v->ll; memcpy(p, &s, 2); break; }
    case 'H': { unsigned short s = (unsigned short)v->ll; memcpy(p, &s, 2); break; }
    case 'i': { int n = (int)v->ll; memcpy(p, &n, 4); break; }
    case 'I': { unsigned n = (unsigned)v->ull; memcpy(p, &n, 4); break; }
    case 'l': case 'q': memcpy(p, &v->ll, 8); break;
    case 'L': case 'Q': memcpy(p, &v->ull, 8); break;
    case 'f': { float f = (float)v->d; memcpy(p, &f, 4); break; }
    case 'd': memcpy(p, &v->d, 8); break;
    case 'u': memcpy(p, &v->u, 4); break;
    default: break;
    }
}

/* Item i as an object: new ref. */
static pm_object *arr_get(pm_runtime *rt, arr_object *a, pm_ssize_t i) {
    const char *p = a->items + i * a->descr->itemsize;
    switch (a->descr->typecode) {
    case 'b': { signed char c; memcpy(&c, p, 1); return pm_int_from_long(rt, c); }
    case 'B': { unsigned char c; memcpy(&c, p, 1); return pm_int_from_long(rt, c); }
    case 'h': { short s; memcpy(&s, p, 2); return pm_int_from_long(rt, s); }
    case 'H': { unsigned short s; memcpy(&s, p, 2); return pm_int_from_long(rt, s); }
    case 'i': { int n; memcpy(&n, p, 4); return pm_int_from_long(rt, n); }
    case 'I': { unsigned n; memcpy(&n, p, 4); return pm_int_from_ulonglong(rt, n); }
    case 'l': case 'q': { long long n; memcpy(&n, p, 8); return pm_int_from_longlong(rt, n); }
    case 'L': case 'Q': { unsigned long long n; memcpy(&n, p, 8); return pm_int_from_ulonglong(rt, n); }
    case 'f': { float f; memcpy(&f, p, 4); return pm_float_new(rt, (double)f); }
    case 'd': { double d; memcpy(&d, p, 8); return pm_float_new(rt, d); }
    case 'u': { uint32_t c; memcpy(&c, p, 4); return pm_str_from_ucs4(rt, &c, 1); }
    default: pm_err_set(rt, PM_EXC_SystemError, "array: bad typecode"); return NULL;
    }
}

/* a[i] = v for 0 <= i < len: 0 / -1. */
static int arr_set(pm_runtime *rt, arr_object *a, pm_ssize_t i, pm_object *v) {
    arr_value val;
    if (arr_convert(rt, a->descr, v, &val) < 0) return -1;
    arr_store(a, i, &val);
    return 0;
}

/* Inserts v before item `where` (clamped as list.insert): CPython's ins1. */
static int arr_insert(pm_runtime *rt, arr_object *a, pm_ssize_t where, pm_object *v) {
    pm_ssize_t n = ASIZE(a);
    arr_value val;
    if (arr_convert(rt, a->descr, v, &val) < 0) return -1;
    if (arr_resize(rt, a, n + 1) < 0) return -1;
    if (where < 0) {
        where += n;
        if (where < 0) where = 0;
    }
    if (where > n) where = n;
    pm_ssize_t sz = a->descr->itemsize;
    if (where != n) memmove(a->items + (where + 1) * sz, a->items + where * sz, (size_t)((n - where) * sz));
    arr_store(a, where, &val);
    return 0;
}

/* del a[lo:hi] (0 <= lo <= hi <= len): 0 / -1. */
static int arr_del_slice(pm_runtime *rt, arr_object *a, pm_ssize_t lo, pm_ssize_t hi) {
    pm_ssize_t n = ASIZE(a), d = hi - lo, sz = a->descr->itemsize;
    if (d == 0) return 0;
    if (a->exports > 0) {
        pm_err_set(rt, PM_EXC_BufferError, "cannot resize an array that is exporting buffers");
        return -1;
    }
    memmove(a->items + lo * sz, a->items + hi * sz, (size_t)((n - hi) * sz));
    return arr_resize(rt, a, n - d);
}

/* Appends every item of an iterable: 0 / -1. */
static int arr_extend_iter(pm_runtime *rt, arr_object *a, pm_object *iterable) {
    pm_object *it = pm_iter(rt, iterable);
    if (!it) return -1;
    pm_object *v;
    while ((v = pm_iter_next(rt, it)) != NULL) {
        int rc = arr_insert(rt, a, ASIZE(a), v);
        pm_decref(rt, v);
        if (rc < 0) {
            pm_decref(rt, it);
            return -1;
        }
    }
    pm_decref(rt, it);
    return pm_err_occurred(rt) ? -1 : 0;
}

/* a.extend(b): b an array of the same typecode, or any iterable. */
static int arr_do_extend(pm_runtime *rt, arr_object *a, pm_object *b) {
    if (!arr_check(b)) return arr_extend_iter(rt, a, b);
    arr_object *o = (arr_object *)b;
    if (o->descr != a->descr) {
        pm_err_set(rt, PM_EXC_TypeError, "can only extend with array of same kind");
        return -1;
    }
    pm_ssize_t old = ASIZE(a), add = ASIZE(o), sz = a->descr->itemsize;
    if (old > PM_SSIZE_MAX - add) {
        pm_err_nomem(rt);
        return -1;
    }
    if (arr_resize(rt, a, old + add) < 0) return -1;
    if (add > 0) memcpy(a->items + old * sz, o->items, (size_t)(add * sz));
    return 0;
}

/* ---- construction ------------------------------------------------------------------- */

static pm_object *arr_new_obj(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)type;
    pm_ssize_t n = args ? pm_tuple_size(args) : 0;
    if (kwargs && pm_dict_size(kwargs) > 0) {
        pm_err_set(rt, PM_EXC_TypeError, "array.array() takes no keyword arguments");
        return NULL;
    }
    if (n < 1) {
        pm_err_format(rt, PM_EXC_TypeError, "array() takes at least 1 argument (%zd given)", n);
        return NULL;
    }
    if (n > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "array() takes at most 2 arguments (%zd given)", n);
        return NULL;
    }
    pm_object *tc = pm_tuple_get(rt, args, 0), *init = n > 1 ? pm_tuple_get(rt, args, 1) : NULL;
    if (!pm_str_check(tc) || pm_str_length(tc) != 1) {
        pm_err_format(rt, PM_EXC_TypeError, "array() argument 1 must be a unicode character, not %s",
                      pm_type_name(pm_type_of(tc)));
        return NULL;
    }
    const arr_descr *d = descr_for(pm_str_read_char(tc, 0));
    if (!d) {
        pm_err_set(rt, PM_EXC_ValueError, "bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)");
        return NULL;
    }
    char c = d->typecode;
    if (init && c != 'u') {
        if (pm_str_check(init)) {
            pm_err_format(rt, PM_EXC_TypeError, "cannot use a str to initialize an array with typecode '%c'", c);
            return NULL;
        }
        if (arr_check(init) && ((arr_object *)init)->descr->typecode == 'u') {
            pm_err_format(rt, PM_EXC_TypeError,
                          "cannot use a unicode array to initialize an array with typecode '%c'", c);
            return NULL;
        }
    }
    pm_object *iterator = NULL;             /* owned: items appended one by one */
    if (init && !(pm_list_check(init) || pm_tuple_check(init) || pm_bytes_check(init) ||
                  pm_bytearray_check(init) || (c == 'u' && pm_str_check(init)) ||
                  (arr_check(init) && ((arr_object *)init)->descr == d))) {
        iterator = pm_iter(rt, init);
        if (!iterator) return NULL;
        init = NULL;
    }
    pm_ssize_t len = 0;
    if (init && pm_list_check(init)) len = pm_list_size(init);
    else if (init && pm_tuple_check(init)) len = pm_tuple_size(init);
    else if (init && arr_check(init)) len = ASIZE(init);
    else if (init && pm_str_check(init)) len = pm_str_length(init);
    arr_object *a = arr_new(rt, d, len);
    if (!a) {
        pm_xdecref(rt, iterator);
        return NULL;
    }
    if (init && (pm_list_check(init) || pm_tuple_check(init))) {
        for (pm_ssize_t i = 0; i < len; i++) {
            pm_object *v = pm_list_check(init) ? pm_list_get(rt, init, i) : pm_tuple_get(rt, init, i);
            if (!v || arr_set(rt, a, i, v) < 0) goto fail;
        }
    } else if (init && arr_check(init)) {
        if (len > 0) memcpy(a->items, ((arr_object *)init)->items, (size_t)(len * d->itemsize));
    } else if (init && pm_str_check(init)) {
        for (pm_ssize_t i = 0; i < len; i++) {
            arr_value v = {.u = pm_str_read_char(init, i)};
            arr_store(a, i, &v);
        }
    } else if (init) {                      /* bytes / bytearray: frombytes */
        const char *p = pm_bytes_check(init) ? pm_bytes_data(init) : pm_bytearray_data(init);
        pm_ssize_t nb = pm_bytes_check(init) ? pm_bytes_size(init) : pm_bytearray_size(init);
        if (nb % d->itemsize) {
            pm_err_set(rt, PM_EXC_ValueError, "bytes length not a multiple of item size");
            goto fail;
        }
        if (nb > 0) {
            if (arr_resize(rt, a, nb / d->itemsize) < 0) goto fail;
            memcpy(a->items, p, (size_t)nb);
        }
    }
    if (iterator && arr_extend_iter(rt, a, iterator) < 0) goto fail;
    pm_xdecref(rt, iterator);
    return (pm_object *)a;
fail:
    pm_xdecref(rt, iterator);
    pm_decref(rt, (pm_object *)a);
    return NULL;
}

static void arr_dealloc(pm_runtime *rt, pm_object *self) {
    arr_object *a = (arr_object *)self;
    pm_gc_untrack(rt, self);
    if (a->weakreflist && pm_gc_dealloc_begin(rt, self)) return;
    if (a->items) pm_free(rt, a->items);
    a->items = NULL;
    pm_gc_del(rt, self);
}

static int arr_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    (void)self;
    (void)visit;
    (void)arg;
    return 0;
}

static size_t arr_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    arr_object *a = (arr_object *)self;
    return (size_t)pmi_array_type.basicsize + (size_t)(a->allocated * a->descr->itemsize);
}

/* ---- the sequence ------------------------------------------------------------------ */

static pm_ssize_t arr_length(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return ASIZE(self);
}

static pm_object *arr_item(pm_runtime *rt, pm_object *self, pm_ssize_t i) {
    if (i < 0 || i >= ASIZE(self)) {
        pm_err_set(rt, PM_EXC_IndexError, "array index out of range");
        return NULL;
    }
    return arr_get(rt, (arr_object *)self, i);
}

static int arr_ass_item(pm_runtime *rt, pm_object *self, pm_ssize_t i, pm_object *v) {
    if (i < 0 || i >= ASIZE(self)) {
        pm_err_set(rt, PM_EXC_IndexError, "array assignment index out of range");
        return -1;
    }
    if (!v) return arr_del_slice(rt, (arr_object *)self, i, i + 1);
    return arr_set(rt, (arr_object *)self, i, v);
}

/* a[lo:hi] (clamped): a new array of exactly that size. */
static pm_object *arr_slice(pm_runtime *rt, arr_object *a, pm_ssize_t lo, pm_ssize_t hi) {
    if (lo < 0) lo = 0;
    if (hi > ASIZE(a)) hi = ASIZE(a);
    if (hi < lo) hi = lo;
    arr_object *r = arr_new(rt, a->descr, hi - lo);
    if (r && hi > lo) memcpy(r->items, a->items + lo * a->descr->itemsize, (size_t)((hi - lo) * a->descr->itemsize));
    return (pm_object *)r;
}

static pm_object *arr_subscript(pm_runtime *rt, pm_object *self, pm_object *key) {
    arr_object *a = (arr_object *)self;
    if (pm_slice_check(key)) {
        pm_ssize_t start, stop, step;
        if (pm_slice_unpack(rt, key, &start, &stop, &step) < 0) return NULL;
        pm_ssize_t n = pm_slice_adjust_indices(ASIZE(a), &start, &stop, step);
        if (step == 1) return arr_slice(rt, a, start, stop);
        arr_object *r = arr_new(rt, a->descr, n);
        if (!r) return NULL;
        pm_ssize_t sz = a->descr->itemsize;
        for (pm_ssize_t k = 0, i = start; k < n; k++, i += step)
            memcpy(r->items + k * sz, a->items + i * sz, (size_t)sz);
        return (pm_object *)r;
    }
    const pm_number_methods *nb = pm_type_of(key)->as_number;
    if (!pm_int_check(key) && !(nb && nb->nb_index)) {
        pm_err_set(rt, PM_EXC_TypeError, "array indices must be integers");
        return NULL;
    }
    pm_ssize_t i = pm_index_as_ssize(rt, key, PM_INDEX_INDEXERROR);
    if (i == -1 && pm_err_occurred(rt)) return NULL;
    if (i < 0) i += ASIZE(a);
    return arr_item(rt, self, i);
}

static int arr_ass_subscript(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *value) {
    arr_object *a = (arr_object *)self;
    if (!pm_slice_check(key)) {
        const pm_number_methods *nb = pm_type_of(key)->as_number;
        if (!pm_int_check(key) && !(nb && nb->nb_index)) {
            pm_err_set(rt, PM_EXC_TypeError, "array indices must be integers");
            return -1;
        }
        pm_ssize_t i = pm_index_as_ssize(rt, key, PM_INDEX_INDEXERROR);
        if (i == -1 && pm_err_occurred(rt)) return -1;
        if (i < 0) i += ASIZE(a);
        return arr_ass_item(rt, self, i, value);
    }
    pm_ssize_t start, stop, step;
    if (pm_slice_unpack(rt, key, &start, &stop, &step) < 0) return -1;
    pm_ssize_t slicelen = pm_slice_adjust_indices(ASIZE(a), &start, &stop, step);
    arr_object *other = NULL;
    pm_ssize_t needed = 0;
    if (value) {
        if (!arr_check(value)) {
            pm_err_format(rt, PM_EXC_TypeError, "can only assign array (not \"%s\") to array slice",
                          pm_type_name(pm_type_of(value)));
            return -1;
        }
        other = (arr_object *)value;
        if (other->descr != a->descr) {
            pm_err_set(rt, PM_EXC_TypeError, "bad argument type for built-in operation");
            return -1;
        }
        needed = ASIZE(other);
    }
    int rc = -1;
    arr_object *copy = NULL;
    if (other == a) {                       /* a[x:y] = a: from a copy */
        copy = (arr_object *)arr_slice(rt, a, 0, ASIZE(a));
        if (!copy) return -1;
        other = copy;
    }
    pm_ssize_t sz = a->descr->itemsize, n = ASIZE(a);
    if ((step > 0 && stop < start) || (step < 0 && stop > start)) stop = start;
    if (step == 1) {
        if (slicelen > needed) {
            if (a->exports > 0) {
                pm_err_set(rt, PM_EXC_BufferError, "cannot resize an array that is exporting buffers");
                goto done;
            }
            memmove(a->items + (start + needed) * sz, a->items + stop * sz, (size_t)((n - stop) * sz));
            if (arr_resize(rt, a, n + needed - slicelen) < 0) goto done;
        } else if (slicelen < needed) {
            if (arr_resize(rt, a, n + needed - slicelen) < 0) goto done;
            memmove(a->items + (start + needed) * sz, a->items + stop * sz, (size_t)((n - stop) * sz));
        }
        if (needed > 0) memcpy(a->items + start * sz, other->items, (size_t)(needed * sz));
        rc = 0;
    } else if (needed == 0) {               /* del a[i:j:k] */
        if (step < 0) {
            stop = start + 1;
            start = stop + step * (slicelen - 1) - 1;
            step = -step;
        }
        pm_ssize_t cur = start, i = 0;
        for (; i < slicelen; cur += step, i++) {
            pm_ssize_t lim = step - 1;
            if (cur + step >= n) lim = n - cur - 1;
            memmove(a->items + (cur - i) * sz, a->items + (cur + 1) * sz, (size_t)(lim * sz));
        }
        cur = start + slicelen * step;
        if (cur < n) memmove(a->items + (cur - slicelen) * sz, a->items + cur * sz, (size_t)((n - cur) * sz));
        rc = arr_resize(rt, a, n - slicelen);
    } else {
        if (needed != slicelen) {
            pm_err_format(rt, PM_EXC_ValueError, "attempt to assign array of size %zd to extended slice of size %zd",
                          needed, slicelen);
            goto done;
        }
        for (pm_ssize_t cur = start, i = 0; i < slicelen; cur += step, i++)
            memcpy(a->items + cur * sz, other->items + i * sz, (size_t)sz);
        rc = 0;
    }
done:
    pm_xdecref(rt, (pm_object *)copy);
    return rc;
}

static int arr_contains(pm_runtime *rt, pm_object *self, pm_object *v) {
    for (pm_ssize_t i = 0; i < ASIZE(self); i++) {
        pm_object *x = arr_get(rt, (arr_object *)self, i);
        if (!x) return -1;
        int r = pm_richcompare_bool(rt, x, v, PM_EQ);
        pm_decref(rt, x);
        if (r != 0) return r;
    }
    return 0;
}

static pm_object *arr_concat(pm_runtime *rt, pm_object *self, pm_object *bb) {
    if (!arr_check(bb)) {
        pm_err_format(rt, PM_EXC_TypeError, "can only append array (not \"%s\") to array",
                      pm_type_name(pm_type_of(bb)));
        return NULL;
    }
    arr_object *a = (arr_object *)self, *b = (arr_object *)bb;
    if (a->descr != b->descr) {
        pm_err_set(rt, PM_EXC_TypeError, "bad argument type for built-in operation");
        return NULL;
    }
    if (ASIZE(a) > PM_SSIZE_MAX - ASIZE(b)) return pm_err_nomem(rt);
    arr_object *r = arr_new(rt, a->descr, ASIZE(a) + ASIZE(b));
    if (!r) return NULL;
    pm_ssize_t sz = a->descr->itemsize;
    if (ASIZE(a)) memcpy(r->items, a->items, (size_t)(ASIZE(a) * sz));
    if (ASIZE(b)) memcpy(r->items + ASIZE(a) * sz, b->items, (size_t)(ASIZE(b) * sz));
    return (pm_object *)r;
}

static pm_object *arr_repeat(pm_runtime *rt, pm_object *self, pm_ssize_t n) {
    arr_object *a = (arr_object *)self;
    if (n < 0) n = 0;
    pm_ssize_t len = ASIZE(a), sz = a->descr->itemsize;
    if (len != 0 && n > PM_SSIZE_MAX / len / sz) return pm_err_nomem(rt);
    arr_object *r = arr_new(rt, a->descr, len * n);
    if (!r) return NULL;
    for (pm_ssize_t k = 0; k < n; k++) memcpy(r->items + k * len * sz, a->items, (size_t)(len * sz));
    return (pm_object *)r;
}

static pm_object *arr_inplace_concat(pm_runtime *rt, pm_object *self, pm_object *bb) {
    if (!arr_check(bb)) {
        pm_err_format(rt, PM_EXC_TypeError, "can only extend array with array (not \"%s\")",
                      pm_type_name(pm_type_of(bb)));
        return NULL;
    }
    if (arr_do_extend(rt, (arr_object *)self, bb) < 0) return NULL;
    return pm_newref(rt, self);
}

static pm_object *arr_inplace_repeat(pm_runtime *rt, pm_object *self, pm_ssize_t n) {
    arr_object *a = (arr_object *)self;
    pm_ssize_t len = ASIZE(a), sz = a->descr->itemsize;
    if (len > 0) {
        if (n < 0) n = 0;
        if (n > 0 && len > PM_SSIZE_MAX / n / sz) return pm_err_nomem(rt);
        if (arr_resize(rt, a, len * n) < 0) return NULL;
        for (pm_ssize_t k = 1; k < n; k++) memcpy(a->items + k * len * sz, a->items, (size_t)(len * sz));
    }
    return pm_newref(rt, self);
}

/* Item i of an integer or 'u' array as a number, for the comparison fast
 * path (CPython compares such arrays of one typecode without making
 * objects, so invalid 'u' items compare too). */
static int raw_compare(const arr_object *a, const arr_object *b, pm_ssize_t i) {
    const char *p = a->items + i * a->descr->itemsize, *q = b->items + i * b->descr->itemsize;
    long long x = 0, y = 0;
    unsigned long long ux = 0, uy = 0;
    switch (a->descr->typecode) {
    case 'b': { signed char c, d; memcpy(&c, p, 1); memcpy(&d, q, 1); x = c; y = d; break; }
    case 'B': { unsigned char c, d; memcpy(&c, p, 1); memcpy(&d, q, 1); x = c; y = d; break; }
    case 'h': { short c, d; memcpy(&c, p, 2); memcpy(&d, q, 2); x = c; y = d; break; }
    case 'H': { unsigned short c, d; memcpy(&c, p, 2); memcpy(&d, q, 2); x = c; y = d; break; }
    case 'i': case 'u': { int c, d; memcpy(&c, p, 4); memcpy(&d, q, 4); x = c; y = d; break; }
    case 'I': { unsigned c, d; memcpy(&c, p, 4); memcpy(&d, q, 4); x = c; y = d; break; }
    case 'l': case 'q': memcpy(&x, p, 8); memcpy(&y, q, 8); break;
    default: memcpy(&ux, p, 8); memcpy(&uy, q, 8); return ux < uy ? -1 : ux > uy;
    }
    return x < y ? -1 : x > y;
}

static pm_object *arr_richcompare(pm_runtime *rt, pm_object *v, pm_object *w, int op) {
    if (!arr_check(v) || !arr_check(w)) return pm_newref(rt, PM_NOTIMPLEMENTED);
    pm_ssize_t vs = ASIZE(v), ws = ASIZE(w);
    if (vs != ws && (op == PM_EQ || op == PM_NE)) return pm_newref(rt, pm_bool_from(op == PM_NE));
    const arr_object *va = (arr_object *)v, *wa = (arr_object *)w;
    if (va->descr == wa->descr && va->descr->typecode != 'f' && va->descr->typecode != 'd') {
        int c = 0;
        for (pm_ssize_t i = 0; c == 0 && i < vs && i < ws; i++) c = raw_compare(va, wa, i);
        if (c == 0) c = vs < ws ? -1 : vs > ws;
        int r = 0;
        switch (op) {
        case PM_LT: r = c < 0; break;
        case PM_LE: r = c <= 0; break;
        case PM_EQ: r = c == 0; break;
        case PM_NE: r = c != 0; break;
        case PM_GT: r = c > 0; break;
        case PM_GE: r = c >= 0; break;
        default: break;
        }
        return pm_newref(rt, pm_bool_from(r));
    }
    for (pm_ssize_t i = 0; i < vs && i < ws; i++) {
        pm_object *vi = arr_get(rt, (arr_object *)v, i), *wi = vi ? arr_get(rt, (arr_object *)w, i) : NULL;
        if (!wi) {
            pm_xdecref(rt, vi);
            return NULL;
        }
        int k = pm_richcompare_bool(rt, vi, wi, PM_EQ);
        if (k != 1) {
            pm_object *r = NULL;
            if (k == 0) {
                if (op == PM_EQ) r = pm_newref(rt, PM_FALSE);
                else if (op == PM_NE) r = pm_newref(rt, PM_TRUE);
                else r = pm_richcompare(rt, vi, wi, op);
            }
            pm_decref(rt, vi);
            pm_decref(rt, wi);
            return r;
        }
        pm_decref(rt, vi);
        pm_decref(rt, wi);
    }
    int cmp = 0;
    switch (op) {
    case PM_LT: cmp = vs < ws; break;
    case PM_LE: cmp = vs <= ws; break;
    case PM_EQ: cmp = vs == ws; break;
    case PM_NE: cmp = vs != ws; break;
    case PM_GT: cmp = vs > ws; break;
    case PM_GE: cmp = vs >= ws; break;
    default: break;
    }
    return pm_newref(rt, pm_bool_from(cmp));
}

static pm_object *arr_repr(pm_runtime *rt, pm_object *self) {
    arr_object *a = (arr_object *)self;
    char c = a->descr->typecode;
    if (ASIZE(a) == 0) return pm_str_from_format(rt, "array('%c')", c);
    pm_object *inner = NULL;
    if (c == 'u') {
        for (pm_ssize_t i = 0; i < ASIZE(a); i++) {
            uint32_t ch;
            memcpy(&ch, a->items + i * 4, 4);
            if (ch > 0x10ffff) {
                pm_err_format(rt, PM_EXC_ValueError, "character U+%x is not in range [U+0000; U+10ffff]", ch);
                return NULL;
            }
        }
        pm_object *s = pm_str_from_ucs4(rt, (const uint32_t *)(const void *)a->items, ASIZE(a));
        inner = s ? pm_repr(rt, s) : NULL;
        pm_xdecref(rt, s);
    } else {
        pm_object *l = pm_list_new(rt);
        for (pm_ssize_t i = 0; l && i < ASIZE(a); i++) {
            pm_object *x = arr_get(rt, a, i);
            if (!x || pm_list_append(rt, l, x) < 0) PM_CLEAR(rt, l);
            pm_xdecref(rt, x);
        }
        inner = l ? pm_repr(rt, l) : NULL;
        pm_xdecref(rt, l);
    }
    if (!inner) return NULL;
    const char *s = pm_str_as_utf8(rt, inner, NULL);
    pm_object *r = s ? pm_str_from_format(rt, "array('%c', %s)", c, s) : NULL;
    pm_decref(rt, inner);
    return r;
}

/* ---- the buffer protocol ---------------------------------------------------------------- */

static int arr_getbuffer(pm_runtime *rt, pm_object *self, pm_buffer *view, int flags) {
    arr_object *a = (arr_object *)self;
    view->buf = a->items ? (void *)a->items : (void *)(uintptr_t)empty_block;
    view->obj = pm_newref(rt, self);
    view->len = ASIZE(a) * a->descr->itemsize;
    view->readonly = 0;
    view->ndim = 1;
    view->itemsize = a->descr->itemsize;
    view->suboffsets = NULL;
    view->shape = (flags & PM_BUF_ND) == PM_BUF_ND ? &a->ob_base.ob_size : NULL;
    view->strides = (flags & PM_BUF_STRIDES) == PM_BUF_STRIDES ? &view->itemsize : NULL;
    view->format = (flags & PM_BUF_FORMAT) == PM_BUF_FORMAT ? (char *)(uintptr_t)a->descr->format : NULL;
    view->internal = NULL;
    a->exports++;
    return 0;
}

static void arr_releasebuffer(pm_runtime *rt, pm_object *self, pm_buffer *view) {
    (void)rt;
    (void)view;
    ((arr_object *)self)->exports--;
}

/* ---- methods ------------------------------------------------------------------------------ */

#define SELF ((arr_object *)self)

static pm_object *m_append(pm_runtime *rt, pm_object *self, pm_object *v) {
    if (arr_insert(rt, SELF, ASIZE(self), v) < 0) return NULL;
    return pm_newref(rt, PM_NONE);
}

static pm_object *m_extend(pm_runtime *rt, pm_object *self, pm_object *v) {
    if (arr_do_extend(rt, SELF, v) < 0) return NULL;
    return pm_newref(rt, PM_NONE);
}

static pm_object *m_insert(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (pmi_mod_check_positional(rt, "insert", nargs, 2, 2) < 0) return NULL;
    pm_ssize_t i = pm_index_as_ssize(rt, args[0], PM_INDEX_OVERFLOWERROR);
    if (i == -1 && pm_err_occurred(rt)) return NULL;
    if (arr_insert(rt, SELF, i, args[1]) < 0) return NULL;
    return pm_newref(rt, PM_NONE);
}

static pm_object *m_pop(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (pmi_mod_check_positional(rt, "pop", nargs, 0, 1) < 0) return NULL;
    pm_ssize_t i = -1;
    if (nargs) {
        i = pm_index_as_ssize(rt, args[0], PM_INDEX_OVERFLOWERROR);
        if (i == -1 && pm_err_occurred(rt)) return NULL;
    }
    if (ASIZE(self) == 0) {
        pm_err_set(rt, PM_EXC_IndexError, "pop from empty array");
        return NULL;
    }
    if (i < 0) i += ASIZE(self);
    if (i < 0 || i >= ASIZE(self)) {
        pm_err_set(rt, PM_EXC_IndexError, "pop index out of range");
        return NULL;
    }
    pm_object *v = arr_get(rt, SELF, i);
    if (v && arr_del_slice(rt, SELF, i, i + 1) < 0) PM_CLEAR(rt, v);
    return v;
}

/* The first i in [start, stop) with a[i] == v: i, -2 when absent, -1 on error. */
static pm_ssize_t find(pm_runtime *rt, arr_object *a, pm_object *v, pm_ssize_t start, pm_ssize_t stop) {
    for (pm_ssize_t i = start; i < stop && i < ASIZE(a); i++) {
        pm_object *x = arr_get(rt, a, i);
        if (!x) return -1;
        int r = pm_richcompare_bool(rt, x, v, PM_EQ);
        pm_decref(rt, x);
        if (r < 0) return -1;
        if (r) return i;
    }
    return -2;
}

static pm_object *m_remove(pm_runtime *rt, pm_object *self, pm_object *v) {
    pm_ssize_t i = find(rt, SELF, v, 0, ASIZE(self));
    if (i == -1) return NULL;
    if (i == -2) {
        pm_err_set(rt, PM_EXC_ValueError, "array.remove(x): x not in array");
        return NULL;
    }
    if (arr_del_slice(rt, SELF, i, i + 1) < 0) return NULL;
    return pm_newref(rt, PM_NONE);
}

static pm_object *m_index(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (pmi_mod_check_positional(rt, "index", nargs, 1, 3) < 0) return NULL;
    pm_ssize_t bounds[2] = {0, PM_SSIZE_MAX};
    for (int k = 0; k < 2 && k + 1 < nargs; k++) {
        bounds[k] = pm_index_as_ssize(rt, args[k + 1], PM_INDEX_CLAMP);
        if (bounds[k] == -1 && pm_err_occurred(rt)) return NULL;
        if (bounds[k] < 0) {
            bounds[k] += ASIZE(self);
            if (bounds[k] < 0) bounds[k] = 0;
        }
    }
    pm_ssize_t i = find(rt, SELF, args[0], bounds[0], bounds[1]);
    if (i == -1) return NULL;
    if (i == -2) {
        pm_err_set(rt, PM_EXC_ValueError, "array.index(x): x not in array");
        return NULL;
    }
    return pm_int_from_ssize(rt, i);
}

static pm_object *m_count(pm_runtime *rt, pm_object *self, pm_object *v) {
    pm_ssize_t n = 0;
    for (pm_ssize_t i = 0; i < ASIZE(self); i++) {
        pm_object *x = arr_get(rt, SELF, i);
        if (!x) return NULL;
        int r = pm_richcompare_bool(rt, x, v, PM_EQ);
        pm_decref(rt, x);
        if (r < 0) return NULL;
        n += r;
    }
    return pm_int_from_ssize(rt, n);
}

static pm_object *m_reverse(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_ssize_t sz = SELF->descr->itemsize, n = ASIZE(self);
    char tmp[8];
    for (pm_ssize_t i = 0, j = n - 1; i < j; i++, j--) {
        memcpy(tmp, SELF->items + i * sz, (size_t)sz);
        memcpy(SELF->items + i * sz, SELF->items + j * sz, (size_t)sz);
        memcpy(SELF->items + j * sz, tmp, (size_t)sz);
    }
    return pm_newref(rt, PM_NONE);
}

static pm_object *m_byteswap(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_ssize_t sz = SELF->descr->itemsize, n = ASIZE(self);
    for (pm_ssize_t i = 0; i < n; i++) {
        char *p = SELF->items + i * sz;
        for (pm_ssize_t k = 0; k < sz / 2; k++) {
            char t = p[k];
            p[k] = p[sz - 1 - k];
            p[sz - 1 - k] = t;
        }
    }
    return pm_newref(rt, PM_NONE);
}

static pm_object *m_buffer_info(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *addr = pm_int_from_ulonglong(rt, (unsigned long long)(uintptr_t)SELF->items);
    pm_object *len = addr ? pm_int_from_ssize(rt, ASIZE(self)) : NULL;
    pm_object *r = len ? pm_tuple_pack(rt, 2, addr, len) : NULL;
    pm_xdecref(rt, addr);
    pm_xdecref(rt, len);
    return r;
}

static pm_object *m_tobytes(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_bytes_new(rt, SELF->items ? SELF->items : "", ASIZE(self) * SELF->descr->itemsize);
}

static pm_object *m_frombytes(pm_runtime *rt, pm_object *self, pm_object *arg) {
    pm_buffer view;
    if (pm_object_getbuffer(rt, arg, &view, PM_BUF_SIMPLE) < 0) return NULL;
    pm_object *r = NULL;
    pm_ssize_t sz = SELF->descr->itemsize;
    if (view.itemsize != 1) {
        pm_err_set(rt, PM_EXC_TypeError, "a bytes-like object is required");
    } else if (view.len % sz) {
        pm_err_set(rt, PM_EXC_ValueError, "bytes length not a multiple of item size");
    } else {
        pm_ssize_t n = view.len / sz, old = ASIZE(self);
        if (n == 0 || arr_resize(rt, SELF, old + n) == 0) {
            if (n > 0) memcpy(SELF->items + old * sz, view.buf, (size_t)view.len);
            r = pm_newref(rt, PM_NONE);
        }
    }
    pm_buffer_release(rt, &view);
    return r;
}

static pm_object *m_tolist(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *l = pm_list_new(rt);
    for (pm_ssize_t i = 0; l && i < ASIZE(self); i++) {
        pm_object *x = arr_get(rt, SELF, i);
        if (!x || pm_list_append(rt, l, x) < 0) PM_CLEAR(rt, l);
        pm_xdecref(rt, x);
    }
    return l;
}

static pm_object *m_fromlist(pm_runtime *rt, pm_object *self, pm_object *list) {
    if (!pm_list_check(list)) {
        pm_err_set(rt, PM_EXC_TypeError, "arg must be list");
        return NULL;
    }
    pm_ssize_t n = pm_list_size(list), old = ASIZE(self);
    if (n > 0) {
        if (arr_resize(rt, SELF, old + n) < 0) return NULL;
        for (pm_ssize_t i = 0; i < n; i++) {
            pm_object *v = pm_list_get(rt, list, i);
            if (!v || arr_set(rt, SELF, old + i, v) < 0) {
                arr_resize(rt, SELF, old);
                return NULL;
            }
            if (pm_list_size(list) != n) {
                pm_err_set(rt, PM_EXC_RuntimeError, "list changed size during iteration");
                arr_resize(rt, SELF, old);
                return NULL;
            }
        }
    }
    return pm_newref(rt, PM_NONE);
}

static pm_object *m_fromunicode(pm_runtime *rt, pm_object *self, pm_object *arg) {
    if (!pm_str_check(arg)) {
        pm_err_format(rt, PM_EXC_TypeError, "fromunicode() argument must be str, not %s",
                      pm_type_name(pm_type_of(arg)));
        return NULL;
    }
    if (SELF->descr->typecode != 'u') {
        pm_err_set(rt, PM_EXC_ValueError, "fromunicode() may only be called on unicode type arrays");
        return NULL;
    }
    pm_ssize_t n = pm_str_length(arg), old = ASIZE(self);
    if (n > 0) {
        if (arr_resize(rt, SELF, old + n) < 0) return NULL;
        for (pm_ssize_t i = 0; i < n; i++) {
            arr_value v = {.u = pm_str_read_char(arg, i)};
            arr_store(SELF, old + i, &v);
        }
    }
    return pm_newref(rt, PM_NONE);
}

static pm_object *m_tounicode(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    if (SELF->descr->typecode != 'u') {
        pm_err_set(rt, PM_EXC_ValueError, "tounicode() may only be called on unicode type arrays");
        return NULL;
    }
    for (pm_ssize_t i = 0; i < ASIZE(self); i++) {
        uint32_t c;
        memcpy(&c, SELF->items + i * 4, 4);
        if (c > 0x10ffff) {
            pm_err_format(rt, PM_EXC_ValueError, "character U+%x is not in range [U+0000; U+10ffff]", c);
            return NULL;
        }
    }
    return pm_str_from_ucs4(rt, (const uint32_t *)(const void *)SELF->items, ASIZE(self));
}

static pm_object *m_copy(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return arr_slice(rt, SELF, 0, ASIZE(self));
}

static pm_object *m_deepcopy(pm_runtime *rt, pm_object *self, pm_object *memo) {
    (void)memo;
    return arr_slice(rt, SELF, 0, ASIZE(self));
}

static pm_object *m_sizeof(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_int_from_ssize(rt, (pm_ssize_t)arr_size_of(rt, self));
}

/* tofile(f): f.write(the bytes), in blocks of 64 KiB as CPython. */
static pm_object *m_tofile(pm_runtime *rt, pm_object *self, pm_object *f) {
    pm_ssize_t total = ASIZE(self) * SELF->descr->itemsize, block = 64 * 1024;
    pm_object *name = pm_str_from_cstr(rt, "write");
    if (!name) return NULL;
    for (pm_ssize_t off = 0; off < total; off += block) {
        pm_ssize_t n = total - off < block ? total - off : block;
        pm_object *b = pm_bytes_new(rt, SELF->items + off, n);
        pm_object *r = b ? pm_call_method(rt, f, name, &b, 1) : NULL;
        pm_xdecref(rt, b);
        if (!r) {
            pm_decref(rt, name);
            return NULL;
        }
        pm_decref(rt, r);
    }
    pm_decref(rt, name);
    return pm_newref(rt, PM_NONE);
}

/* fromfile(f, n): n items from f.read(). */
static pm_object *m_fromfile(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (pmi_mod_check_positional(rt, "fromfile", nargs, 2, 2) < 0) return NULL;
    pm_ssize_t n = pm_index_as_ssize(rt, args[1], PM_INDEX_OVERFLOWERROR);
    if (n == -1 && pm_err_occurred(rt)) return NULL;
    if (n < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "negative count");
        return NULL;
    }
    pm_ssize_t sz = SELF->descr->itemsize;
    if (n > PM_SSIZE_MAX / sz) return pm_err_nomem(rt);
    pm_object *name = pm_str_from_cstr(rt, "read");
    pm_object *cnt = name ? pm_int_from_ssize(rt, n * sz) : NULL;
    pm_object *b = cnt ? pm_call_method(rt, args[0], name, &cnt, 1) : NULL;
    pm_xdecref(rt, name);
    pm_xdecref(rt, cnt);
    if (!b) return NULL;
    if (!pm_bytes_check(b)) {
        pm_decref(rt, b);
        pm_err_set(rt, PM_EXC_TypeError, "read() didn't return bytes");
        return NULL;
    }
    pm_ssize_t got = pm_bytes_size(b);
    pm_ssize_t whole = got - got % sz;
    pm_object *part = pm_bytes_new(rt, pm_bytes_data(b), whole);
    pm_object *r = part ? m_frombytes(rt, self, part) : NULL;
    pm_xdecref(rt, part);
    pm_decref(rt, b);
    if (r && got != n * sz) {
        PM_CLEAR(rt, r);
        pm_object *msg = pm_str_from_cstr(rt, "read() didn't return enough bytes");
        if (msg) {
            pm_err_set_object(rt, &pm_exc_EOFError, msg);
            pm_decref(rt, msg);
        }
    }
    return r;
}

static pm_object *g_typecode(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    return pm_str_from_format(rt, "%c", SELF->descr->typecode);
}

static pm_object *g_itemsize(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    return pm_int_from_ssize(rt, SELF->descr->itemsize);
}

#undef SELF

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def arr_methods[] = {
    {"append", FN(m_append), PM_METH_O, "Append new value v to the end of the array."},
    {"buffer_info", FN(m_buffer_info), PM_METH_NOARGS,
     "Return a tuple (address, length) giving the current memory address and the length in items of the buffer used to hold array's contents."},
    {"byteswap", FN(m_byteswap), PM_METH_NOARGS, "Byteswap all items of the array."},
    {"__copy__", FN(m_copy), PM_METH_NOARGS, "Return a copy of the array."},
    {"count", FN(m_count), PM_METH_O, "Return number of occurrences of v in the array."},
    {"__deepcopy__", FN(m_deepcopy), PM_METH_O, "Return a copy of the array."},
    {"extend", FN(m_extend), PM_METH_O, "Append items to the end of the array."},
    {"frombytes", FN(m_frombytes), PM_METH_O, "Appends items from the string, interpreting it as an array of machine values, as if it had been read from a file using the fromfile() method."},
    {"fromfile", FN(m_fromfile), PM_METH_FASTCALL, "Read n objects from the file object f and append them to the end of the array."},
    {"fromlist", FN(m_fromlist), PM_METH_O, "Append items to array from list."},
    {"fromunicode", FN(m_fromunicode), PM_METH_O, "Extends this array with data from the unicode string ustr."},
    {"index", FN(m_index), PM_METH_FASTCALL, "Return index of first occurrence of v in the array."},
    {"insert", FN(m_insert), PM_METH_FASTCALL, "Insert a new item v into the array before position i."},
    {"pop", FN(m_pop), PM_METH_FASTCALL, "Return the i-th element and delete it from the array."},
    {"remove", FN(m_remove), PM_METH_O, "Remove the first occurrence of v in the array."},
    {"reverse", FN(m_reverse), PM_METH_NOARGS, "Reverse the order of the items in the array."},
    {"tofile", FN(m_tofile), PM_METH_O, "Write all items (as machine values) to the file object f."},
    {"tolist", FN(m_tolist), PM_METH_NOARGS, "Convert array to an ordinary list with the same items."},
    {"tobytes", FN(m_tobytes), PM_METH_NOARGS, "Convert the array to an array of machine values and return the bytes representation."},
    {"tounicode", FN(m_tounicode), PM_METH_NOARGS, "Extends this array with data from the unicode string ustr."},
    {"__sizeof__", FN(m_sizeof), PM_METH_NOARGS, "Size of the array in memory, in bytes."},
    {NULL, NULL, 0, NULL},
};

static const pm_getset_def arr_getset[] = {
    {"typecode", g_typecode, NULL, "the typecode character used to create the array", NULL},
    {"itemsize", g_itemsize, NULL, "the size, in bytes, of one array item", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const pm_sequence_methods arr_as_sequence = {
    .sq_length = arr_length,
    .sq_concat = arr_concat,
    .sq_repeat = arr_repeat,
    .sq_item = arr_item,
    .sq_ass_item = arr_ass_item,
    .sq_contains = arr_contains,
    .sq_inplace_concat = arr_inplace_concat,
    .sq_inplace_repeat = arr_inplace_repeat,
};

static const pm_mapping_methods arr_as_mapping = {
    .mp_length = arr_length,
    .mp_subscript = arr_subscript,
    .mp_ass_subscript = arr_ass_subscript,
};

/* ---- the iterator -------------------------------------------------------------------------- */

typedef struct ai_object {
    pm_object ob_base;              /* refcount + type */
    pm_object *array;               /* owned: the array; NULL once exhausted */
    pm_ssize_t index;               /* next item */
} ai_object;

static pm_object *arr_iter(pm_runtime *rt, pm_object *self) {
    ai_object *it = (ai_object *)pm_gc_new(rt, &pmi_arrayiter_type);
    if (!it) return NULL;
    it->array = pm_newref(rt, self);
    pm_gc_track(rt, (pm_object *)it);
    return (pm_object *)it;
}

static void ai_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    PM_CLEAR(rt, ((ai_object *)self)->array);
    pm_gc_del(rt, self);
}

static int ai_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    ai_object *it = (ai_object *)self;
    return it->array ? visit(it->array, arg) : 0;
}

static pm_object *ai_iter(pm_runtime *rt, pm_object *self) { return pm_newref(rt, self); }

static pm_object *ai_next(pm_runtime *rt, pm_object *self) {
    ai_object *it = (ai_object *)self;
    if (!it->array) return NULL;
    if (it->index < ASIZE(it->array)) return arr_get(rt, (arr_object *)it->array, it->index++);
    PM_CLEAR(rt, it->array);
    return NULL;
}

const pm_type pmi_arrayiter_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "array.arrayiterator",
    .basicsize = sizeof(ai_object),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = ai_dealloc,
    .traverse = ai_traverse,
    .iter = ai_iter,
    .iternext = ai_next,
};

const pm_type pmi_array_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "array.array",
    .basicsize = sizeof(arr_object),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(arr_object, weakreflist),
    .doc = "array(typecode [, initializer]) -> array\n\n"
           "Return a new array whose items are restricted by typecode, and\n"
           "initialized from the optional initializer value, which must be a list,\n"
           "string or iterable over elements of the appropriate type.",
    .dealloc = arr_dealloc,
    .traverse = arr_traverse,
    .size_of = arr_size_of,
    .getbuffer = arr_getbuffer,
    .releasebuffer = arr_releasebuffer,
    .repr = arr_repr,
    .richcompare = arr_richcompare,
    .as_sequence = &arr_as_sequence,
    .as_mapping = &arr_as_mapping,
    .new_object = arr_new_obj,
    .iter = arr_iter,
    .methods = arr_methods,
    .getset = arr_getset,
};

/* ---- the module ------------------------------------------------------------------------------ */

static int array_fill(pm_runtime *rt, pm_object *m) {
    if (pmi_module_add(rt, m, "array", pm_type_as_object(&pmi_array_type)) < 0 ||
        pmi_module_add(rt, m, "ArrayType", pm_type_as_object(&pmi_array_type)) < 0)
        return -1;
    return pmi_module_add_new(rt, m, "typecodes", pm_str_from_cstr(rt, "bBuhHiIlLqQfd"));
}

static const pmi_module_def array_def = {
    .name = "array",
    .doc = "This module defines an object type which can efficiently represent\n"
           "an array of basic values: characters, integers, floating point\n"
           "numbers.  Arrays are sequence types and behave very much like lists,\n"
           "except that the type of objects stored in them is constrained.\n",
    .fill = array_fill,
};

pm_object *pmi_array_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &array_def);
}
