/*
 * bytesmethods.c — the methods of bytes and bytearray (b.split, ba.append,
 * ...) and bytearray's slice assignment.  CPython 3.11's
 * Objects/bytesobject.c, bytearrayobject.c and bytes_methods.c with their
 * clinic argument handling.
 *
 * Purpose
 *   One implementation serves both types: a method reads its receiver as
 *   (pointer, length), its bytes-like arguments through the buffer
 *   protocol (bytes, bytearray, memoryview, any exporter), and builds its
 *   results in the receiver's type (bytes from bytes, bytearray from
 *   bytearray: b'a b'.split() gives bytes, bytearray(b'a b').split()
 *   bytearrays).  The in-place methods of bytearray (append, extend,
 *   insert, pop, remove, clear, reverse, slice assignment) resize through
 *   pm_bytearray_resize, so a buffer exported from the bytearray blocks
 *   them with BufferError as in CPython.
 *
 *     b'a,b'.split(b',')   recv ─► (p, 3)   sep ─► buffer (p, 1)
 *                          ─ split ─► [b'a', b'b']   (buffer released)
 *
 * Invariants
 *   - Every buffer taken is released on every path (bv_release); every
 *     scratch array is pm_malloc'd and freed; a failed allocation is a
 *     MemoryError.  Arguments are borrowed; results are new references.
 *   - Character classes are ASCII only (isalpha, upper, whitespace = space,
 *     \t \n \r \v \f), exactly as CPython's bytes methods.
 *   - The argument errors follow the generation of CPython code behind
 *     each method (core/getargs.c): "find() takes at least 1 argument (0
 *     given)", "replace expected at least 2 arguments, got 1", "'x' is an
 *     invalid keyword argument for split()".
 *
 * decode knows utf-8, ascii and latin-1 (and their aliases) with the error
 * handlers strict, ignore and replace; CPython's messages
 * ("'utf-8' codec can't decode byte 0xff in position 0: invalid start
 * byte", "unknown encoding: zzz").
 */
#include "objects/descr.h"
#include "core/exc.h"
#include "objects/containers.h"
#include "objects/scalar.h"

#include <stdio.h>

#define M_CAST(f) ((pm_cfunction)(void (*)(void))(f))

/* ---- operands ---------------------------------------------------------------------- */

/* A bytes-like operand held through the buffer protocol. */
typedef struct bview {
    const unsigned char *p;     /* its bytes */
    pm_ssize_t n;               /* how many */
    pm_buffer buf;              /* the export (buf.obj NULL: nothing to release) */
} bview;

static void bv_release(pm_runtime *rt, bview *v) {
    if (v->buf.obj) pm_buffer_release(rt, &v->buf);
}

/* o as bytes: 0, or -1 with TypeError "a bytes-like object is required,
 * not 'str'". */
static int bv_get(pm_runtime *rt, pm_object *o, bview *v) {
    v->buf.obj = NULL;
    if (!pm_object_check_buffer(o)) {
        pm_err_format(rt, PM_EXC_TypeError, "a bytes-like object is required, not '%.200s'", o->ob_type->name);
        return -1;
    }
    if (pm_object_getbuffer(rt, o, &v->buf, PM_BUF_SIMPLE) < 0) {
        v->buf.obj = NULL;
        return -1;
    }
    v->p = v->buf.buf;
    v->n = v->buf.len;
    return 0;
}

static int is_ba(const pm_object *o) { return pm_bytearray_check(o); }

/* The receiver's bytes. */
static const unsigned char *self_data(pm_object *self, pm_ssize_t *n) {
    if (is_ba(self)) {
        *n = pm_bytearray_size(self);
        return (const unsigned char *)pm_bytearray_data(self);
    }
    *n = pm_bytes_size(self);
    return (const unsigned char *)pm_bytes_data(self);
}

/* A new object of the receiver's kind holding p[0..n). */
static pm_object *mk(pm_runtime *rt, pm_object *self, const void *p, pm_ssize_t n) {
    return is_ba(self) ? pm_bytearray_new(rt, p, n) : pm_bytes_new(rt, p, n);
}

static void *xmalloc(pm_runtime *rt, size_t size) {
    void *p = pm_malloc(rt, size ? size : 1);
    if (!p) pm_err_nomem(rt);
    return p;
}

static int is_space(unsigned c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int is_upper(unsigned c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(unsigned c) { return c >= 'a' && c <= 'z'; }
static int is_alpha(unsigned c) { return is_upper(c) || is_lower(c); }
static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }
static unsigned to_upper(unsigned c) { return is_lower(c) ? c - 32 : c; }
static unsigned to_lower(unsigned c) { return is_upper(c) ? c + 32 : c; }

/* An index argument (clinic "n"): 0 / -1. */
static int arg_ssize(pm_runtime *rt, pm_object *o, pm_ssize_t *out) {
    pm_ssize_t v = pmi_arg_ssize(rt, o);
    if (v == -1 && pm_err_occurred(rt)) return -1;
    *out = v;
    return 0;
}

/* A slice bound (None allowed), clamped: 0 / -1. */
static int arg_bound(pm_runtime *rt, pm_object *o, pm_ssize_t *out) {
    if (!o || o == PM_NONE) return 0;
    if (!pm_int_check(o) && !pmi_has_index(o)) {
        pm_err_set(rt, PM_EXC_TypeError, "slice indices must be integers or None or have an __index__ method");
        return -1;
    }
    pm_ssize_t v = pm_index_as_ssize(rt, o, PM_INDEX_CLAMP);
    if (v == -1 && pm_err_occurred(rt)) return -1;
    *out = v;
    return 0;
}

static void adjust(pm_ssize_t len, pm_ssize_t *start, pm_ssize_t *end) {
    if (*end > len) *end = len;
    else if (*end < 0 && (*end += len) < 0) *end = 0;
    if (*start < 0 && (*start += len) < 0) *start = 0;
}

/* A byte value from an int: 0..255, or -1 with the error set. */
static int byte_of(pm_runtime *rt, pm_object *o) {
    pm_ssize_t v;
    if (arg_ssize(rt, o, &v) < 0) return -1;
    if (v < 0 || v > 255) {
        pm_err_set(rt, PM_EXC_ValueError, "byte must be in range(0, 256)");
        return -1;
    }
    return (int)v;
}

/* Argument count check with the kw count included ("rsplit() takes at most
 * 2 arguments (3 given)"), then pmi_arg_parse_kw. */
static int parse_kw(pm_runtime *rt, const char *fname, const char *const *names, pm_object *const *args,
                    pm_ssize_t nargs, pm_object *kwnames, pm_object **out) {
    pm_ssize_t nnames = 0, nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    while (names[nnames]) nnames++;
    if (nargs + nkw > nnames) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most %zd argument%s (%zd given)", fname, nnames,
                      nnames == 1 ? "" : "s", nargs + nkw);
        return 0;
    }
    return pmi_arg_parse_kw(rt, fname, names, nnames, 0, args, nargs, kwnames, out);
}

/* ---- searching ----------------------------------------------------------------------- */

static pm_ssize_t find_in(const unsigned char *h, pm_ssize_t start, pm_ssize_t end, const unsigned char *nd,
                          pm_ssize_t m, int reverse) {
    if (end - start < m) return -1;
    if (!reverse) {
        for (pm_ssize_t i = start; i + m <= end; i++)
            if (memcmp(h + i, nd, (size_t)m) == 0) return i;
    } else {
        for (pm_ssize_t i = end - m; i >= start; i--)
            if (memcmp(h + i, nd, (size_t)m) == 0) return i;
    }
    return -1;
}

static pm_ssize_t count_in(const unsigned char *h, pm_ssize_t start, pm_ssize_t end, const unsigned char *nd,
                           pm_ssize_t m, pm_ssize_t max) {
    if (end - start < m) return 0;
    if (m == 0) return end - start + 1 < max ? end - start + 1 : max;
    pm_ssize_t c = 0;
    for (pm_ssize_t i = start; i + m <= end && c < max;) {
        if (memcmp(h + i, nd, (size_t)m) == 0) {
            c++;
            i += m;
        } else {
            i++;
        }
    }
    return c;
}

enum { F_FIND, F_RFIND, F_INDEX, F_RINDEX, F_COUNT };
static const char *const find_names[] = {"find", "rfind", "index", "rindex", "count"};

static pm_object *find_common(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs, int how) {
    if (!pmi_arg_check_count_old(rt, find_names[how], nargs, 1, 3)) return NULL;
    unsigned char one;
    bview sub = {0};
    sub.buf.obj = NULL;
    if (pm_int_check(args[0]) || (!pm_object_check_buffer(args[0]) && pmi_has_index(args[0]))) {
        int b = byte_of(rt, args[0]);
        if (b < 0) return NULL;
        one = (unsigned char)b;
        sub.p = &one;
        sub.n = 1;
    } else if (!pm_object_check_buffer(args[0])) {
        pm_err_format(rt, PM_EXC_TypeError, "argument should be integer or bytes-like object, not '%.200s'",
                      args[0]->ob_type->name);
        return NULL;
    } else if (bv_get(rt, args[0], &sub) < 0) {
        return NULL;
    }
    pm_ssize_t n, start = 0, end = PM_SSIZE_MAX;
    const unsigned char *p = self_data(self, &n);
    pm_object *r = NULL;
    if (arg_bound(rt, nargs > 1 ? args[1] : NULL, &start) < 0 || arg_bound(rt, nargs > 2 ? args[2] : NULL, &end) < 0)
        goto done;
    adjust(n, &start, &end);
    if (how == F_COUNT) {
        r = pm_int_from_ssize(rt, start > n ? 0 : count_in(p, start, end, sub.p, sub.n, PM_SSIZE_MAX));
        goto done;
    }
    pm_ssize_t pos = start > n ? -1 : find_in(p, start, end, sub.p, sub.n, how == F_RFIND || how == F_RINDEX);
    if (pos < 0 && (how == F_INDEX || how == F_RINDEX)) pm_err_set(rt, PM_EXC_ValueError, "subsection not found");
    else r = pm_int_from_ssize(rt, pos);
done:
    bv_release(rt, &sub);
    return r;
}

static pm_object *bm_find(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return find_common(rt, s, a, n, F_FIND); }
static pm_object *bm_rfind(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return find_common(rt, s, a, n, F_RFIND); }
static pm_object *bm_index(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return find_common(rt, s, a, n, F_INDEX); }
static pm_object *bm_rindex(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return find_common(rt, s, a, n, F_RINDEX); }
static pm_object *bm_count(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return find_common(rt, s, a, n, F_COUNT); }

/* startswith / endswith: 1 / 0 / -1 for one candidate. */
static int tail_match(pm_runtime *rt, const unsigned char *p, pm_ssize_t n, pm_object *sub, pm_ssize_t start,
                      pm_ssize_t end, int atend) {
    bview v;
    if (bv_get(rt, sub, &v) < 0) return -1;
    adjust(n, &start, &end);
    int r = 0;
    if (start <= n && end - start >= v.n) {
        pm_ssize_t at = atend ? end - v.n : start;
        r = memcmp(p + at, v.p, (size_t)v.n) == 0;
    }
    bv_release(rt, &v);
    return r;
}

static pm_object *with_common(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs, int atend) {
    const char *name = atend ? "endswith" : "startswith";
    if (!pmi_arg_check_count_old(rt, name, nargs, 1, 3)) return NULL;
    pm_ssize_t n, start = 0, end = PM_SSIZE_MAX;
    const unsigned char *p = self_data(self, &n);
    if (arg_bound(rt, nargs > 1 ? args[1] : NULL, &start) < 0 || arg_bound(rt, nargs > 2 ? args[2] : NULL, &end) < 0)
        return NULL;
    pm_object *x = args[0];
    if (pm_tuple_check(x)) {
        for (pm_ssize_t i = 0; i < pm_tuple_size(x); i++) {
            int r = tail_match(rt, p, n, PMI_TUPLE(x)->ob_item[i], start, end, atend);
            if (r < 0) return NULL;
            if (r) return pm_newref(rt, PM_TRUE);
        }
        return pm_newref(rt, PM_FALSE);
    }
    if (!pm_object_check_buffer(x)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s first arg must be bytes or a tuple of bytes, not %.200s", name,
                      x->ob_type->name);
        return NULL;
    }
    int r = tail_match(rt, p, n, x, start, end, atend);
    return r < 0 ? NULL : pm_newref(rt, pm_bool_from(r));
}

static pm_object *bm_startswith(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return with_common(rt, s, a, n, 0); }
static pm_object *bm_endswith(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return with_common(rt, s, a, n, 1); }

/* ---- split, join, partition, replace ---------------------------------------------------- */

/* Append self-kind bytes p[a..b) to list. */
static int put_piece(pm_runtime *rt, pm_object *list, pm_object *self, const unsigned char *p, pm_ssize_t a,
                     pm_ssize_t b) {
    pm_object *x = mk(rt, self, p + a, b - a);
    if (!x) return -1;
    int r = pm_list_append(rt, list, x);
    pm_decref(rt, x);
    return r;
}

static pm_object *split_common(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                               pm_object *kwnames, int right) {
    static const char *const names[] = {"sep", "maxsplit", NULL};
    pm_object *a[2];
    if (!parse_kw(rt, right ? "rsplit" : "split", names, args, nargs, kwnames, a)) return NULL;
    pm_ssize_t maxsplit = -1, n;
    if (a[1] && arg_ssize(rt, a[1], &maxsplit) < 0) return NULL;
    if (maxsplit < 0) maxsplit = PM_SSIZE_MAX;
    bview sep = {0};
    sep.buf.obj = NULL;
    int ws = !a[0] || a[0] == PM_NONE;
    if (!ws && bv_get(rt, a[0], &sep) < 0) return NULL;
    pm_object *list = NULL;
    if (!ws && sep.n == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "empty separator");
        goto fail;
    }
    const unsigned char *p = self_data(self, &n);
    if (!(list = pm_list_new(rt))) goto fail;
    if (ws) {
        if (!right) {
            pm_ssize_t i = 0;
            while (maxsplit-- > 0) {
                while (i < n && is_space(p[i])) i++;
                if (i == n) break;
                pm_ssize_t j = i;
                while (j < n && !is_space(p[j])) j++;
                if (put_piece(rt, list, self, p, i, j) < 0) goto fail;
                i = j;
            }
            while (i < n && is_space(p[i])) i++;
            if (i < n && put_piece(rt, list, self, p, i, n) < 0) goto fail;
        } else {
            pm_ssize_t i = n;
            while (maxsplit-- > 0) {
                while (i > 0 && is_space(p[i - 1])) i--;
                if (i == 0) break;
                pm_ssize_t j = i;
                while (j > 0 && !is_space(p[j - 1])) j--;
                if (put_piece(rt, list, self, p, j, i) < 0) goto fail;
                i = j;
            }
            while (i > 0 && is_space(p[i - 1])) i--;
            if (i > 0 && put_piece(rt, list, self, p, 0, i) < 0) goto fail;
            if (pm_list_reverse(rt, list) < 0) goto fail;
        }
    } else if (!right) {
        pm_ssize_t i = 0, j;
        while (maxsplit-- > 0 && (j = find_in(p, i, n, sep.p, sep.n, 0)) >= 0) {
            if (put_piece(rt, list, self, p, i, j) < 0) goto fail;
            i = j + sep.n;
        }
        if (put_piece(rt, list, self, p, i, n) < 0) goto fail;
    } else {
        pm_ssize_t i = n, j;
        while (maxsplit-- > 0 && (j = find_in(p, 0, i, sep.p, sep.n, 1)) >= 0) {
            if (put_piece(rt, list, self, p, j + sep.n, i) < 0) goto fail;
            i = j;
        }
        if (put_piece(rt, list, self, p, 0, i) < 0) goto fail;
        if (pm_list_reverse(rt, list) < 0) goto fail;
    }
    bv_release(rt, &sep);
    return list;
fail:
    bv_release(rt, &sep);
    pm_xdecref(rt, list);
    return NULL;
}

static pm_object *bm_split(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n, pm_object *kw) {
    return split_common(rt, s, a, n, kw, 0);
}
static pm_object *bm_rsplit(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n, pm_object *kw) {
    return split_common(rt, s, a, n, kw, 1);
}

static pm_object *bm_splitlines(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                                pm_object *kwnames) {
    static const char *const names[] = {"keepends", NULL};
    pm_object *a[1];
    if (!parse_kw(rt, "splitlines", names, args, nargs, kwnames, a)) return NULL;
    int keep = 0;
    if (a[0] && (keep = pm_is_true(rt, a[0])) < 0) return NULL;
    pm_ssize_t n;
    const unsigned char *p = self_data(self, &n);
    pm_object *list = pm_list_new(rt);
    if (!list) return NULL;
    for (pm_ssize_t i = 0; i < n;) {
        pm_ssize_t j = i;
        while (j < n && p[j] != '\n' && p[j] != '\r') j++;
        pm_ssize_t eol = j;
        if (j < n) j += (p[j] == '\r' && j + 1 < n && p[j + 1] == '\n') ? 2 : 1;
        if (put_piece(rt, list, self, p, i, keep ? j : eol) < 0) {
            pm_decref(rt, list);
            return NULL;
        }
        i = j;
    }
    return list;
}

static pm_object *bm_join(pm_runtime *rt, pm_object *self, pm_object *iterable) {
    pm_object *it = pm_iter(rt, iterable), *items = NULL, *x, *r = NULL;
    if (!it) {
        if (pm_err_matches(rt, PM_EXC_TypeError)) {
            pm_err_clear(rt);
            pm_err_set(rt, PM_EXC_TypeError, "can only join an iterable");
        }
        return NULL;
    }
    if (!(items = pm_list_new(rt))) goto done;
    pm_ssize_t total = 0, ns, i = 0;
    const unsigned char *sep = self_data(self, &ns);
    while ((x = pm_iter_next(rt, it)) != NULL) {
        int ok = pm_object_check_buffer(x);
        if (!ok) {
            pm_err_format(rt, PM_EXC_TypeError, "sequence item %zd: expected a bytes-like object, %.80s found", i,
                          x->ob_type->name);
            pm_decref(rt, x);
            goto done;
        }
        int e = pm_list_append(rt, items, x);
        pm_decref(rt, x);
        if (e < 0) goto done;
        i++;
    }
    if (pm_err_occurred(rt)) goto done;
    /* total size, then copy (each item through its buffer) */
    pm_ssize_t k = pm_list_size(items);
    for (pm_ssize_t j = 0; j < k; j++) {
        bview v;
        if (bv_get(rt, pm_list_get(rt, items, j), &v) < 0) goto done;
        total += v.n + (j ? ns : 0);
        bv_release(rt, &v);
    }
    unsigned char *buf = xmalloc(rt, (size_t)total);
    if (!buf) goto done;
    pm_ssize_t at = 0;
    for (pm_ssize_t j = 0; j < k; j++) {
        bview v;
        if (bv_get(rt, pm_list_get(rt, items, j), &v) < 0) {
            pm_free(rt, buf);
            goto done;
        }
        if (j) {
            memcpy(buf + at, sep, (size_t)ns);
            at += ns;
        }
        pm_ssize_t c = v.n < total - at ? v.n : total - at;   /* an item may have grown meanwhile */
        memcpy(buf + at, v.p, (size_t)c);
        at += c;
        bv_release(rt, &v);
    }
    r = mk(rt, self, buf, at);
    pm_free(rt, buf);
done:
    pm_xdecref(rt, items);
    pm_decref(rt, it);
    return r;
}

static pm_object *partition_common(pm_runtime *rt, pm_object *self, pm_object *sepo, int right) {
    bview sep;
    if (bv_get(rt, sepo, &sep) < 0) return NULL;
    pm_object *r = NULL, *x[3] = {NULL, NULL, NULL};
    if (sep.n == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "empty separator");
        goto done;
    }
    pm_ssize_t n;
    const unsigned char *p = self_data(self, &n);
    pm_ssize_t pos = find_in(p, 0, n, sep.p, sep.n, right);
    if (pos < 0) {
        x[right ? 2 : 0] = mk(rt, self, p, n);
        x[1] = mk(rt, self, NULL, 0);
        x[right ? 0 : 2] = mk(rt, self, NULL, 0);
    } else {
        x[0] = mk(rt, self, p, pos);
        x[1] = mk(rt, self, sep.p, sep.n);
        x[2] = mk(rt, self, p + pos + sep.n, n - pos - sep.n);
    }
    if (x[0] && x[1] && x[2]) r = pm_tuple_from_array(rt, x, 3);
done:
    for (int i = 0; i < 3; i++) pm_xdecref(rt, x[i]);
    bv_release(rt, &sep);
    return r;
}

static pm_object *bm_partition(pm_runtime *rt, pm_object *s, pm_object *sep) { return partition_common(rt, s, sep, 0); }
static pm_object *bm_rpartition(pm_runtime *rt, pm_object *s, pm_object *sep) { return partition_common(rt, s, sep, 1); }

static pm_object *bm_replace(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "replace", nargs, 2, 3)) return NULL;
    pm_ssize_t count = -1, n;
    bview old, new_;
    new_.buf.obj = NULL;
    if (bv_get(rt, args[0], &old) < 0) return NULL;
    pm_object *r = NULL;
    unsigned char *buf = NULL;
    if (bv_get(rt, args[1], &new_) < 0) goto done;
    if (nargs > 2 && arg_ssize(rt, args[2], &count) < 0) goto done;
    if (count < 0) count = PM_SSIZE_MAX;
    const unsigned char *p = self_data(self, &n);
    pm_ssize_t k = count_in(p, 0, n, old.p, old.n, count);
    size_t size = (size_t)n + (size_t)k * (size_t)new_.n - (size_t)k * (size_t)old.n;
    if (!(buf = xmalloc(rt, size))) goto done;
    pm_ssize_t i = 0, at = 0;
    for (pm_ssize_t c = 0; c < k; c++) {
        pm_ssize_t j = old.n ? find_in(p, i, n, old.p, old.n, 0) : i;
        memcpy(buf + at, p + i, (size_t)(j - i));
        at += j - i;
        memcpy(buf + at, new_.p, (size_t)new_.n);
        at += new_.n;
        if (old.n) {
            i = j + old.n;
        } else if (j < n) {
            buf[at++] = p[j];
            i = j + 1;
        } else {
            i = j;
        }
    }
    memcpy(buf + at, p + i, (size_t)(n - i));
    at += n - i;
    r = mk(rt, self, buf, at);
done:
    pm_free(rt, buf);
    bv_release(rt, &old);
    bv_release(rt, &new_);
    return r;
}

static pm_object *affix_common(pm_runtime *rt, pm_object *self, pm_object *fix, int suffix) {
    bview v;
    if (bv_get(rt, fix, &v) < 0) return NULL;
    pm_ssize_t n;
    const unsigned char *p = self_data(self, &n);
    pm_ssize_t a = 0, b = n;
    if (v.n <= n && memcmp(suffix ? p + n - v.n : p, v.p, (size_t)v.n) == 0) {
        if (suffix) b = n - v.n;
        else a = v.n;
    }
    bv_release(rt, &v);
    return mk(rt, self, p + a, b - a);
}

static pm_object *bm_removeprefix(pm_runtime *rt, pm_object *s, pm_object *x) { return affix_common(rt, s, x, 0); }
static pm_object *bm_removesuffix(pm_runtime *rt, pm_object *s, pm_object *x) { return affix_common(rt, s, x, 1); }

/* ---- strip, case, predicates --------------------------------------------------------------- */

static pm_object *strip_common(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs, int how) {
    static const char *const names[] = {"strip", "lstrip", "rstrip"};
    if (!pmi_arg_check_positional(rt, names[how], nargs, 0, 1)) return NULL;
    bview chars;
    chars.buf.obj = NULL;
    int ws = nargs == 0 || args[0] == PM_NONE;
    if (!ws && bv_get(rt, args[0], &chars) < 0) return NULL;
    pm_ssize_t n;
    const unsigned char *p = self_data(self, &n);
    pm_ssize_t a = 0, b = n;
#define STRIPPED(c) (ws ? is_space(c) : memchr(chars.p, (c), (size_t)chars.n) != NULL)
    if (how != 2)
        while (a < b && STRIPPED(p[a])) a++;
    if (how != 1)
        while (b > a && STRIPPED(p[b - 1])) b--;
#undef STRIPPED
    bv_release(rt, &chars);
    return mk(rt, self, p + a, b - a);
}

static pm_object *bm_strip(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return strip_common(rt, s, a, n, 0); }
static pm_object *bm_lstrip(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return strip_common(rt, s, a, n, 1); }
static pm_object *bm_rstrip(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return strip_common(rt, s, a, n, 2); }

enum { C_LOWER, C_UPPER, C_SWAP, C_CAPITALIZE, C_TITLE };

static pm_object *case_common(pm_runtime *rt, pm_object *self, int how) {
    pm_ssize_t n;
    const unsigned char *p = self_data(self, &n);
    unsigned char *buf = xmalloc(rt, (size_t)n);
    if (!buf) return NULL;
    int prev_cased = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        unsigned c = p[i];
        switch (how) {
        case C_LOWER: c = to_lower(c); break;
        case C_UPPER: c = to_upper(c); break;
        case C_SWAP: c = is_upper(c) ? to_lower(c) : to_upper(c); break;
        case C_CAPITALIZE: c = i == 0 ? to_upper(c) : to_lower(c); break;
        default:
            c = prev_cased ? to_lower(c) : to_upper(c);
            prev_cased = is_alpha(c);
            break;
        }
        buf[i] = (unsigned char)c;
    }
    pm_object *r = mk(rt, self, buf, n);
    pm_free(rt, buf);
    return r;
}

static pm_object *bm_lower(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return case_common(rt, s, C_LOWER); }
static pm_object *bm_upper(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return case_common(rt, s, C_UPPER); }
static pm_object *bm_swapcase(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return case_common(rt, s, C_SWAP); }
static pm_object *bm_capitalize(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return case_common(rt, s, C_CAPITALIZE); }
static pm_object *bm_title(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return case_common(rt, s, C_TITLE); }

enum { P_ALNUM, P_ALPHA, P_ASCII, P_DIGIT, P_LOWER, P_UPPER, P_SPACE, P_TITLE };

static pm_object *pred_common(pm_runtime *rt, pm_object *self, int what) {
    pm_ssize_t n;
    const unsigned char *p = self_data(self, &n);
    int r;
    if (what == P_ASCII) {
        r = 1;
        for (pm_ssize_t i = 0; i < n; i++) r &= p[i] < 0x80;
    } else if (what == P_LOWER || what == P_UPPER) {
        int cased = 0;
        r = 1;
        for (pm_ssize_t i = 0; i < n; i++) {
            if (what == P_LOWER ? is_upper(p[i]) : is_lower(p[i])) r = 0;
            if (is_alpha(p[i])) cased = 1;
        }
        r = r && cased;
    } else if (what == P_TITLE) {
        int cased = 0, prev = 0;
        r = 1;
        for (pm_ssize_t i = 0; i < n; i++) {
            unsigned c = p[i];
            if (is_upper(c)) {
                if (prev) r = 0;
                prev = cased = 1;
            } else if (is_lower(c)) {
                if (!prev) r = 0;
                prev = cased = 1;
            } else {
                prev = 0;
            }
        }
        r = r && cased;
    } else {
        r = n > 0;
        for (pm_ssize_t i = 0; i < n; i++) {
            unsigned c = p[i];
            int ok = what == P_ALNUM ? is_alpha(c) || is_digit(c)
                   : what == P_ALPHA ? is_alpha(c) : what == P_DIGIT ? is_digit(c) : is_space(c);
            r &= ok;
        }
    }
    (void)rt;
    return pm_newref(rt, pm_bool_from(r));
}

static pm_object *bm_isalnum(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return pred_common(rt, s, P_ALNUM); }
static pm_object *bm_isalpha(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return pred_common(rt, s, P_ALPHA); }
static pm_object *bm_isascii(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return pred_common(rt, s, P_ASCII); }
static pm_object *bm_isdigit(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return pred_common(rt, s, P_DIGIT); }
static pm_object *bm_islower(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return pred_common(rt, s, P_LOWER); }
static pm_object *bm_isupper(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return pred_common(rt, s, P_UPPER); }
static pm_object *bm_isspace(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return pred_common(rt, s, P_SPACE); }
static pm_object *bm_istitle(pm_runtime *rt, pm_object *s, pm_object *u) { (void)u; return pred_common(rt, s, P_TITLE); }

/* ---- padding, tabs --------------------------------------------------------------------------- */

static pm_object *pad(pm_runtime *rt, pm_object *self, pm_ssize_t left, pm_ssize_t right, unsigned char fill) {
    pm_ssize_t n;
    const unsigned char *p = self_data(self, &n);
    if (left < 0) left = 0;
    if (right < 0) right = 0;
    unsigned char *buf = xmalloc(rt, (size_t)(left + n + right));
    if (!buf) return NULL;
    memset(buf, fill, (size_t)left);
    memcpy(buf + left, p, (size_t)n);
    memset(buf + left + n, fill, (size_t)right);
    pm_object *r = mk(rt, self, buf, left + n + right);
    pm_free(rt, buf);
    return r;
}

static pm_object *justify(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs, int how) {
    static const char *const names[] = {"ljust", "rjust", "center"};
    if (!pmi_arg_check_positional(rt, names[how], nargs, 1, 2)) return NULL;
    pm_ssize_t width, n;
    if (arg_ssize(rt, args[0], &width) < 0) return NULL;
    unsigned char fill = ' ';
    if (nargs > 1) {
        pm_object *f = args[1];
        if ((pm_bytes_check(f) && pm_bytes_size(f) == 1) || (is_ba(f) && pm_bytearray_size(f) == 1)) {
            fill = (unsigned char)(pm_bytes_check(f) ? pm_bytes_data(f)[0] : pm_bytearray_data(f)[0]);
        } else {
            pm_err_format(rt, PM_EXC_TypeError, "%s() argument 2 must be a byte string of length 1, not %.50s",
                          names[how], f->ob_type->name);
            return NULL;
        }
    }
    self_data(self, &n);
    pm_ssize_t extra = width > n ? width - n : 0;
    if (how == 0) return pad(rt, self, 0, extra, fill);
    if (how == 1) return pad(rt, self, extra, 0, fill);
    pm_ssize_t left = extra / 2 + (extra & width & 1);
    return pad(rt, self, left, extra - left, fill);
}

static pm_object *bm_ljust(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return justify(rt, s, a, n, 0); }
static pm_object *bm_rjust(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return justify(rt, s, a, n, 1); }
static pm_object *bm_center(pm_runtime *rt, pm_object *s, pm_object *const *a, pm_ssize_t n) { return justify(rt, s, a, n, 2); }

static pm_object *bm_zfill(pm_runtime *rt, pm_object *self, pm_object *arg) {
    pm_ssize_t width, n;
    if (arg_ssize(rt, arg, &width) < 0) return NULL;
    const unsigned char *p = self_data(self, &n);
    if (width <= n) return mk(rt, self, p, n);
    pm_object *r = pad(rt, self, width - n, 0, '0');
    if (!r) return NULL;
    unsigned char *q = (unsigned char *)(is_ba(r) ? pm_bytearray_data(r) : (char *)(uintptr_t)pm_bytes_data(r));
    if (n > 0 && (p[0] == '+' || p[0] == '-')) {
        q[0] = p[0];
        q[width - n] = '0';
    }
    return r;
}

static pm_object *bm_expandtabs(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                                pm_object *kwnames) {
    static const char *const names[] = {"tabsize", NULL};
    pm_object *a[1];
    if (!parse_kw(rt, "expandtabs", names, args, nargs, kwnames, a)) return NULL;
    pm_ssize_t tab = 8, n;
    if (a[0] && arg_ssize(rt, a[0], &tab) < 0) return NULL;
    const unsigned char *p = self_data(self, &n);
    size_t size = 0, col = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        if (p[i] == '\t') {
            if (tab > 0) {
                size_t add = (size_t)tab - col % (size_t)tab;
                size += add;
                col += add;
            }
        } else {
            size++;
            col = p[i] == '\n' || p[i] == '\r' ? 0 : col + 1;
        }
    }
    unsigned char *buf = xmalloc(rt, size);
    if (!buf) return NULL;
    size_t at = 0;
    col = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        if (p[i] == '\t') {
            if (tab > 0) {
                size_t add = (size_t)tab - col % (size_t)tab;
                memset(buf + at, ' ', add);
                at += add;
                col += add;
            }
        } else {
            buf[at++] = p[i];
            col = p[i] == '\n' || p[i] == '\r' ? 0 : col + 1;
        }
    }
    pm_object *r = mk(rt, self, buf, (pm_ssize_t)at);
    pm_free(rt, buf);
    return r;
}

/* ---- hex, fromhex, decode, translate, maketrans ---------------------------------------------------- */

static pm_object *bm_hex(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                         pm_object *kwnames) {
    static const char *const names[] = {"sep", "bytes_per_sep", NULL};
    pm_object *a[2];
    if (!parse_kw(rt, "hex", names, args, nargs, kwnames, a)) return NULL;
    pm_ssize_t per = 1;
    if (a[1] && arg_ssize(rt, a[1], &per) < 0) return NULL;
    if (per > 0x7fffffff || per < -0x7fffffff) {
        pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C int");
        return NULL;
    }
    pm_object *mv = pm_memoryview_new(rt, self);
    if (!mv) return NULL;
    pm_object *r = pm_memoryview_hex(rt, mv, a[0], (int)per);
    pm_memoryview_release(rt, mv);
    pm_decref(rt, mv);
    return r;
}

static int hexval(uint32_t c) {
    if (c >= '0' && c <= '9') return (int)(c - '0');
    if (c >= 'a' && c <= 'f') return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return (int)(c - 'A' + 10);
    return -1;
}

/* bytes.fromhex(s) / bytearray.fromhex(s): type is the class. */
static pm_object *bm_fromhex(pm_runtime *rt, pm_object *type, pm_object *s) {
    if (!pm_str_check(s)) {
        pm_err_format(rt, PM_EXC_TypeError, "fromhex() argument must be str, not %.50s", s->ob_type->name);
        return NULL;
    }
    pm_ssize_t n = pm_str_length(s), at = 0;
    unsigned char *buf = xmalloc(rt, (size_t)(n / 2 + 1));
    if (!buf) return NULL;
    for (pm_ssize_t i = 0; i < n;) {
        uint32_t c = pm_str_read_char(s, i);
        if (c == ' ' || (c >= '\t' && c <= '\r')) {
            i++;
            continue;
        }
        int hi = hexval(c), lo = i + 1 < n ? hexval(pm_str_read_char(s, i + 1)) : -1;
        if (hi < 0 || lo < 0) {
            pm_err_format(rt, PM_EXC_ValueError, "non-hexadecimal number found in fromhex() arg at position %zd",
                          hi < 0 ? i : i + 1);
            pm_free(rt, buf);
            return NULL;
        }
        buf[at++] = (unsigned char)(hi * 16 + lo);
        i += 2;
    }
    pm_object *r = type == pm_type_as_object(&pm_bytearray_type) ? pm_bytearray_new(rt, buf, at)
                                                                   : pm_bytes_new(rt, buf, at);
    pm_free(rt, buf);
    if (r && type != pm_type_as_object(&pm_bytes_type) && type != pm_type_as_object(&pm_bytearray_type)) {
        pm_object *sub = pm_call_one(rt, type, r);      /* a subclass: cls(bytes) */
        pm_decref(rt, r);
        r = sub;
    }
    return r;
}

/* One UTF-8 sequence at p (n bytes left): its length and code point, or -1
 * with *why and *bad (bytes in the error range). */
static int utf8_one(const unsigned char *p, pm_ssize_t n, uint32_t *cp, const char **why, pm_ssize_t *bad) {
    unsigned c = p[0];
    int len;
    uint32_t v;
    *bad = 1;
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; }
    else { *why = "invalid start byte"; return -1; }
    for (int i = 1; i < len; i++) {
        if (i >= n) { *why = "unexpected end of data"; *bad = n; return -1; }
        unsigned cc = p[i], lo = 0x80, hi = 0xBF;
        if (i == 1) {
            if (c == 0xE0) lo = 0xA0;
            else if (c == 0xED) hi = 0x9F;
            else if (c == 0xF0) lo = 0x90;
            else if (c == 0xF4) hi = 0x8F;
        }
        if (cc < lo || cc > hi) { *why = "invalid continuation byte"; *bad = i; return -1; }
        v = (v << 6) | (cc & 0x3F);
    }
    *cp = v;
    return len;
}

static pm_object *decode(pm_runtime *rt, const unsigned char *p, pm_ssize_t n, int codec, int errors) {
    static const char *const cname[] = {"utf-8", "ascii", "latin-1"};
    uint32_t *cps = xmalloc(rt, sizeof(uint32_t) * (size_t)(n + 1));
    if (!cps) return NULL;
    pm_ssize_t k = 0;
    for (pm_ssize_t i = 0; i < n;) {
        uint32_t cp = p[i];
        const char *why = "ordinal not in range(128)";
        pm_ssize_t bad = 1;
        int len = codec == 2 || p[i] < 0x80 ? 1 : codec == 1 ? -1 : utf8_one(p + i, n - i, &cp, &why, &bad);
        if (len > 0) {
            cps[k++] = cp;
            i += len;
            continue;
        }
        if (errors == 0) {
            pmi_err_unicode_decode(rt, cname[codec], p, n, i, i + bad, why);
            pm_free(rt, cps);
            return NULL;
        }
        if (errors == 2) cps[k++] = 0xFFFD;
        i += bad;
    }
    pm_object *r = pm_str_from_ucs4(rt, cps, k);
    pm_free(rt, cps);
    return r;
}

static pm_object *bm_decode(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    static const char *const names[] = {"encoding", "errors", NULL};
    pm_object *a[2];
    if (!parse_kw(rt, "decode", names, args, nargs, kwnames, a)) return NULL;
    const char *enc = "utf-8", *err = "strict";
    for (int i = 0; i < 2; i++) {
        if (!a[i]) continue;
        if (!pm_str_check(a[i])) {
            pm_err_format(rt, PM_EXC_TypeError, "decode() argument '%s' must be str, not %.50s", names[i],
                          a[i]->ob_type->name);
            return NULL;
        }
        const char *s = pm_str_as_utf8(rt, a[i], NULL);
        if (!s) return NULL;
        if (i == 0) enc = s;
        else err = s;
    }
    int codec = pmi_codec_of(enc);
    if (codec < 0) {
        pm_err_format(rt, PM_EXC_LookupError, "unknown encoding: %s", enc);
        return NULL;
    }
    int errors = !strcmp(err, "strict") ? 0 : !strcmp(err, "ignore") ? 1 : !strcmp(err, "replace") ? 2 : -1;
    pm_ssize_t n;
    const unsigned char *p = self_data(self, &n);
    if (errors < 0) {
        /* CPython looks the handler up only when an error occurs */
        pm_object *r = decode(rt, p, n, codec, 0);
        if (!r && pm_err_matches(rt, PM_EXC_UnicodeDecodeError)) {
            pm_err_clear(rt);
            pm_err_format(rt, PM_EXC_LookupError, "unknown error handler name '%s'", err);
        }
        return r;
    }
    return decode(rt, p, n, codec, errors);
}

static pm_object *bm_translate(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                               pm_object *kwnames) {
    static const char *const names[] = {"table", "delete", NULL};
    pm_object *a[2];
    if (nargs < 1 && !(kwnames && pm_tuple_size(kwnames))) {
        pm_err_set(rt, PM_EXC_TypeError, "translate() takes at least 1 positional argument (0 given)");
        return NULL;
    }
    if (!parse_kw(rt, "translate", names, args, nargs, kwnames, a)) return NULL;
    bview table, del;
    table.buf.obj = del.buf.obj = NULL;
    pm_object *r = NULL;
    unsigned char *buf = NULL;
    if (a[0] && a[0] != PM_NONE) {
        if (bv_get(rt, a[0], &table) < 0) return NULL;
        if (table.n != 256) {
            pm_err_set(rt, PM_EXC_ValueError, "translation table must be 256 characters long");
            goto done;
        }
    }
    if (a[1] && bv_get(rt, a[1], &del) < 0) goto done;
    pm_ssize_t n, at = 0;
    const unsigned char *p = self_data(self, &n);
    if (!(buf = xmalloc(rt, (size_t)n))) goto done;
    for (pm_ssize_t i = 0; i < n; i++) {
        if (del.buf.obj && memchr(del.p, p[i], (size_t)del.n)) continue;
        buf[at++] = table.buf.obj ? table.p[p[i]] : p[i];
    }
    r = mk(rt, self, buf, at);
done:
    pm_free(rt, buf);
    bv_release(rt, &table);
    bv_release(rt, &del);
    return r;
}

static pm_object *bm_maketrans(pm_runtime *rt, pm_object *unused, pm_object *const *args, pm_ssize_t nargs) {
    (void)unused;
    if (!pmi_arg_check_positional(rt, "maketrans", nargs, 2, 2)) return NULL;
    bview f, t;
    t.buf.obj = NULL;
    if (bv_get(rt, args[0], &f) < 0) return NULL;
    pm_object *r = NULL;
    if (bv_get(rt, args[1], &t) < 0) goto done;
    if (f.n != t.n) {
        pm_err_set(rt, PM_EXC_ValueError, "maketrans arguments must have same length");
        goto done;
    }
    unsigned char table[256];
    for (int i = 0; i < 256; i++) table[i] = (unsigned char)i;
    for (pm_ssize_t i = 0; i < f.n; i++) table[f.p[i]] = t.p[i];
    r = pm_bytes_new(rt, table, 256);
done:
    bv_release(rt, &f);
    bv_release(rt, &t);
    return r;
}

/* ---- bytearray's mutating methods --------------------------------------------------------------- */

static pm_object *ba_append(pm_runtime *rt, pm_object *self, pm_object *item) {
    int b = byte_of(rt, item);
    if (b < 0 || pm_bytearray_append(rt, self, b) < 0) return NULL;
    return pm_newref(rt, PM_NONE);
}

static pm_object *ba_extend(pm_runtime *rt, pm_object *self, pm_object *iterable) {
    if (pm_object_check_buffer(iterable)) {
        bview v;
        if (bv_get(rt, iterable, &v) < 0) return NULL;
        /* copy first: the source may be self */
        unsigned char *tmp = xmalloc(rt, (size_t)v.n);
        int r = -1;
        if (tmp) {
            memcpy(tmp, v.p, (size_t)v.n);
            pm_ssize_t n = v.n;
            bv_release(rt, &v);
            r = pm_bytearray_extend(rt, self, tmp, n);
            pm_free(rt, tmp);
        } else {
            bv_release(rt, &v);
        }
        return r < 0 ? NULL : pm_newref(rt, PM_NONE);
    }
    pm_object *it = pm_iter(rt, iterable), *x;
    if (!it) {
        if (pm_err_matches(rt, PM_EXC_TypeError)) {
            pm_err_clear(rt);
            pm_err_format(rt, PM_EXC_TypeError, "can't extend bytearray with %.100s", iterable->ob_type->name);
        }
        return NULL;
    }
    /* collect first, so that a bad item leaves self unchanged */
    pm_ssize_t n = 0, cap = 16;
    unsigned char *buf = xmalloc(rt, (size_t)cap);
    if (!buf) goto fail;
    while ((x = pm_iter_next(rt, it)) != NULL) {
        int b = byte_of(rt, x);
        pm_decref(rt, x);
        if (b < 0) goto fail;
        if (n == cap) {
            unsigned char *nb = pm_realloc(rt, buf, (size_t)cap * 2);
            if (!nb) {
                pm_err_nomem(rt);
                goto fail;
            }
            buf = nb;
            cap *= 2;
        }
        buf[n++] = (unsigned char)b;
    }
    if (pm_err_occurred(rt) || pm_bytearray_extend(rt, self, buf, n) < 0) goto fail;
    pm_free(rt, buf);
    pm_decref(rt, it);
    return pm_newref(rt, PM_NONE);
fail:
    pm_free(rt, buf);
    pm_decref(rt, it);
    return NULL;
}

static pm_object *ba_insert(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "insert", nargs, 2, 2)) return NULL;
    pm_ssize_t where, n = pm_bytearray_size(self);
    if (arg_ssize(rt, args[0], &where) < 0) return NULL;
    int b = byte_of(rt, args[1]);
    if (b < 0) return NULL;
    if (where < 0 && (where += n) < 0) where = 0;
    if (where > n) where = n;
    if (pm_bytearray_resize(rt, self, n + 1) < 0) return NULL;
    char *p = pm_bytearray_data(self);
    memmove(p + where + 1, p + where, (size_t)(n - where));
    p[where] = (char)b;
    return pm_newref(rt, PM_NONE);
}

static pm_object *ba_pop(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "pop", nargs, 0, 1)) return NULL;
    pm_ssize_t i = -1, n = pm_bytearray_size(self);
    if (nargs && arg_ssize(rt, args[0], &i) < 0) return NULL;
    if (n == 0) {
        pm_err_set(rt, PM_EXC_IndexError, "pop from empty bytearray");
        return NULL;
    }
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
        pm_err_set(rt, PM_EXC_IndexError, "pop index out of range");
        return NULL;
    }
    char *p = pm_bytearray_data(self);
    unsigned char v = (unsigned char)p[i];
    if (pm_bytearray_exports(self) > 0) {
        pm_err_set(rt, PM_EXC_BufferError, "Existing exports of data: object cannot be re-sized");
        return NULL;
    }
    memmove(p + i, p + i + 1, (size_t)(n - i - 1));
    if (pm_bytearray_resize(rt, self, n - 1) < 0) return NULL;
    return pm_int_from_long(rt, v);
}

static pm_object *ba_remove(pm_runtime *rt, pm_object *self, pm_object *value) {
    int b = byte_of(rt, value);
    if (b < 0) return NULL;
    pm_ssize_t n = pm_bytearray_size(self);
    char *p = pm_bytearray_data(self), *hit = n ? memchr(p, b, (size_t)n) : NULL;
    if (!hit) {
        pm_err_set(rt, PM_EXC_ValueError, "value not found in bytearray");
        return NULL;
    }
    if (pm_bytearray_exports(self) > 0) {
        pm_err_set(rt, PM_EXC_BufferError, "Existing exports of data: object cannot be re-sized");
        return NULL;
    }
    memmove(hit, hit + 1, (size_t)(n - (hit - p) - 1));
    if (pm_bytearray_resize(rt, self, n - 1) < 0) return NULL;
    return pm_newref(rt, PM_NONE);
}

static pm_object *ba_clear(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_bytearray_resize(rt, self, 0) < 0 ? NULL : pm_newref(rt, PM_NONE);
}

static pm_object *ba_copy(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_bytearray_new(rt, pm_bytearray_data(self), pm_bytearray_size(self));
}

static pm_object *ba_reverse(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    char *p = pm_bytearray_data(self);
    for (pm_ssize_t i = 0, j = pm_bytearray_size(self) - 1; i < j; i++, j--) {
        char t = p[i];
        p[i] = p[j];
        p[j] = t;
    }
    return pm_newref(rt, PM_NONE);
}

/* ba[slice] = v / del ba[slice] (v NULL).  v: a bytes-like object or an
 * iterable of ints in range(256). */
int pmi_bytearray_ass_slice(pm_runtime *rt, pm_object *self, pm_object *slice, pm_object *v) {
    pm_ssize_t start, stop, step, n = pm_bytearray_size(self);
    if (pm_slice_unpack(rt, slice, &start, &stop, &step) < 0) return -1;
    pm_ssize_t count = pm_slice_adjust_indices(n, &start, &stop, step);
    unsigned char *src = NULL;
    pm_ssize_t m = 0;
    int rc = -1;
    if (v) {
        if (v == self || pm_object_check_buffer(v)) {
            bview bv;
            if (bv_get(rt, v, &bv) < 0) return -1;
            if ((src = xmalloc(rt, (size_t)bv.n))) memcpy(src, bv.p, (size_t)bv.n);
            m = bv.n;
            bv_release(rt, &bv);
            if (!src) return -1;
        } else if (pm_str_check(v) || pm_number_check(v) || (!v->ob_type->iter && !pmi_is_sequence(v))) {
            pm_err_set(rt, PM_EXC_TypeError, "can assign only bytes, buffers, or iterables of ints in range(0, 256)");
            return -1;
        }
        if (!src) {
            pm_object *tmp = pm_bytearray_new(rt, NULL, 0), *r = tmp ? ba_extend(rt, tmp, v) : NULL;
            if (r) {
                pm_decref(rt, r);
                m = pm_bytearray_size(tmp);
                if ((src = xmalloc(rt, (size_t)m))) memcpy(src, pm_bytearray_data(tmp), (size_t)m);
            }
            pm_xdecref(rt, tmp);
            if (!src) return -1;
        }
    }
    if (step == 1 || (step > 1 && count == 0 && !v)) {
        if (step != 1) {
            rc = 0;
            goto done;
        }
        if (stop < start) stop = start;
        pm_ssize_t newn = n - (stop - start) + m;
        if (m != stop - start && pm_bytearray_exports(self) > 0) {
            pm_err_set(rt, PM_EXC_BufferError, "Existing exports of data: object cannot be re-sized");
            goto done;
        }
        if (newn > n && pm_bytearray_resize(rt, self, newn) < 0) goto done;
        char *p = pm_bytearray_data(self);
        memmove(p + start + m, p + stop, (size_t)(n - stop));
        if (m) memcpy(p + start, src, (size_t)m);
        if (newn < n && pm_bytearray_resize(rt, self, newn) < 0) goto done;
        rc = 0;
        goto done;
    }
    if (!v) {               /* del ba[a:b:k] */
        if (count == 0) {
            rc = 0;
            goto done;
        }
        if (pm_bytearray_exports(self) > 0) {
            pm_err_set(rt, PM_EXC_BufferError, "Existing exports of data: object cannot be re-sized");
            goto done;
        }
        char *p = pm_bytearray_data(self);
        unsigned char *keep = xmalloc(rt, (size_t)n);
        if (!keep) goto done;
        pm_ssize_t k = 0;
        for (pm_ssize_t i = 0; i < n; i++) {
            pm_ssize_t d = i - start;
            int hit = step > 0 ? (d >= 0 && d % step == 0 && d / step < count)
                               : (d <= 0 && (-d) % (-step) == 0 && (-d) / (-step) < count);
            if (!hit) keep[k++] = (unsigned char)p[i];
        }
        memcpy(p, keep, (size_t)k);
        pm_free(rt, keep);
        rc = pm_bytearray_resize(rt, self, k);
        goto done;
    }
    if (m != count) {
        pm_err_format(rt, PM_EXC_ValueError, "attempt to assign bytes of size %zd to extended slice of size %zd", m,
                      count);
        goto done;
    }
    char *p = pm_bytearray_data(self);
    for (pm_ssize_t i = 0; i < count; i++) p[start + i * step] = (char)src[i];
    rc = 0;
done:
    pm_free(rt, src);
    return rc;
}

/* ---- the tables ---------------------------------------------------------------------------------- */

#define COMMON_METHODS                                                                                       \
    {"capitalize", bm_capitalize, PM_METH_NOARGS, NULL},                                                     \
    {"center", M_CAST(bm_center), PM_METH_FASTCALL, NULL},                                                   \
    {"count", M_CAST(bm_count), PM_METH_FASTCALL, NULL},                                                     \
    {"decode", M_CAST(bm_decode), PM_METH_FASTCALL | PM_METH_KEYWORDS, NULL},                                \
    {"endswith", M_CAST(bm_endswith), PM_METH_FASTCALL, NULL},                                               \
    {"expandtabs", M_CAST(bm_expandtabs), PM_METH_FASTCALL | PM_METH_KEYWORDS, NULL},                        \
    {"find", M_CAST(bm_find), PM_METH_FASTCALL, NULL},                                                       \
    {"fromhex", bm_fromhex, PM_METH_O | PM_METH_CLASS, NULL},                                                \
    {"hex", M_CAST(bm_hex), PM_METH_FASTCALL | PM_METH_KEYWORDS, NULL},                                      \
    {"index", M_CAST(bm_index), PM_METH_FASTCALL, NULL},                                                     \
    {"isalnum", bm_isalnum, PM_METH_NOARGS, NULL},                                                           \
    {"isalpha", bm_isalpha, PM_METH_NOARGS, NULL},                                                           \
    {"isascii", bm_isascii, PM_METH_NOARGS, NULL},                                                           \
    {"isdigit", bm_isdigit, PM_METH_NOARGS, NULL},                                                           \
    {"islower", bm_islower, PM_METH_NOARGS, NULL},                                                           \
    {"isspace", bm_isspace, PM_METH_NOARGS, NULL},                                                           \
    {"istitle", bm_istitle, PM_METH_NOARGS, NULL},                                                           \
    {"isupper", bm_isupper, PM_METH_NOARGS, NULL},                                                           \
    {"join", bm_join, PM_METH_O, NULL},                                                                      \
    {"ljust", M_CAST(bm_ljust), PM_METH_FASTCALL, NULL},                                                     \
    {"lower", bm_lower, PM_METH_NOARGS, NULL},                                                               \
    {"lstrip", M_CAST(bm_lstrip), PM_METH_FASTCALL, NULL},                                                   \
    {"maketrans", M_CAST(bm_maketrans), PM_METH_FASTCALL | PM_METH_STATIC, NULL},                            \
    {"partition", bm_partition, PM_METH_O, NULL},                                                            \
    {"removeprefix", bm_removeprefix, PM_METH_O, NULL},                                                      \
    {"removesuffix", bm_removesuffix, PM_METH_O, NULL},                                                      \
    {"replace", M_CAST(bm_replace), PM_METH_FASTCALL, NULL},                                                 \
    {"rfind", M_CAST(bm_rfind), PM_METH_FASTCALL, NULL},                                                     \
    {"rindex", M_CAST(bm_rindex), PM_METH_FASTCALL, NULL},                                                   \
    {"rjust", M_CAST(bm_rjust), PM_METH_FASTCALL, NULL},                                                     \
    {"rpartition", bm_rpartition, PM_METH_O, NULL},                                                          \
    {"rsplit", M_CAST(bm_rsplit), PM_METH_FASTCALL | PM_METH_KEYWORDS, NULL},                                \
    {"rstrip", M_CAST(bm_rstrip), PM_METH_FASTCALL, NULL},                                                   \
    {"split", M_CAST(bm_split), PM_METH_FASTCALL | PM_METH_KEYWORDS, NULL},                                  \
    {"splitlines", M_CAST(bm_splitlines), PM_METH_FASTCALL | PM_METH_KEYWORDS, NULL},                        \
    {"startswith", M_CAST(bm_startswith), PM_METH_FASTCALL, NULL},                                           \
    {"strip", M_CAST(bm_strip), PM_METH_FASTCALL, NULL},                                                     \
    {"swapcase", bm_swapcase, PM_METH_NOARGS, NULL},                                                         \
    {"title", bm_title, PM_METH_NOARGS, NULL},                                                               \
    {"translate", M_CAST(bm_translate), PM_METH_FASTCALL | PM_METH_KEYWORDS, NULL},                          \
    {"upper", bm_upper, PM_METH_NOARGS, NULL},                                                               \
    {"zfill", bm_zfill, PM_METH_O, NULL}

const pm_method_def pmi_bytes_methods[] = {
    COMMON_METHODS,
    {NULL, NULL, 0, NULL},
};

const pm_method_def pmi_bytearray_methods[] = {
    COMMON_METHODS,
    {"append", ba_append, PM_METH_O, "Append a single item to the end of the bytearray."},
    {"clear", ba_clear, PM_METH_NOARGS, "Remove all items from the bytearray."},
    {"copy", ba_copy, PM_METH_NOARGS, "Return a copy of B."},
    {"extend", ba_extend, PM_METH_O, "Append all the items from the iterator or sequence to the end of the bytearray."},
    {"insert", M_CAST(ba_insert), PM_METH_FASTCALL, "Insert a single item into the bytearray before the given index."},
    {"pop", M_CAST(ba_pop), PM_METH_FASTCALL, "Remove and return a single item from B."},
    {"remove", ba_remove, PM_METH_O, "Remove the first occurrence of a value in the bytearray."},
    {"reverse", ba_reverse, PM_METH_NOARGS, "Reverse the order of the values in B in place."},
    {NULL, NULL, 0, NULL},
};
