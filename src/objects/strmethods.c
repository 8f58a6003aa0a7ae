/*
 * strmethods.c — the methods of str as attributes (str.split, str.join,
 * ...), CPython 3.11's Objects/unicodeobject.c methods and their clinic
 * argument handling.
 *
 * Purpose
 *   str.c stores a string in the narrowest of three kinds (1, 2 or 4 bytes
 *   per code point).  The methods here read their operands into one flat
 *   array of code points (u32 below), work on that, and build the result
 *   with pm_str_from_ucs4, which picks the kind again — one algorithm per
 *   method instead of three, at the price of a copy.  CPython's behaviour,
 *   results and error texts come first; the hot methods have fast paths
 *   that skip the copy and must give the same results: case mapping of an
 *   ASCII string (written straight into the new str, upper/lower eight
 *   bytes at a time) and find/rfind/index/rindex/count when the needle is
 *   at least as wide as the haystack (equal kinds compare code units as
 *   bytes: memchr for the first, then memcmp; a wider needle cannot match).
 *
 *     "a,b".split(",")  ─ load ─►  [0x61 0x2c 0x62]  ─ split ─►  ['a', 'b']
 *
 * Invariants
 *   - Every array is pm_malloc'd and freed on every path (one cleanup
 *     label per method); a failed allocation is a MemoryError.
 *   - Arguments are borrowed; results are new references.
 *   - The argument errors follow the generation of CPython code behind
 *     each method (core/getargs.c): "replace expected at least 2
 *     arguments, got 1" (clinic), "find() takes at least 1 argument (0
 *     given)" (PyArg_ParseTuple), "'y' is an invalid keyword argument for
 *     split()" (keyword clinic).
 *
 * Limits (CPython uses the full Unicode database): case mapping and the
 * is* predicates know ASCII and Latin-1 only; characters beyond are left
 * unchanged / not letters.  Whitespace (split, strip, isspace) is
 * Python's complete set.  encode knows utf-8, ascii and latin-1 with the
 * errors strict, ignore and replace.
 */
#include "objects/descr.h"
#include "objects/scalar.h"
#include "core/exc.h"

#include <stdio.h>

/* pm_malloc that records MemoryError on failure. */
static void *xmalloc(pm_runtime *rt, size_t size) {
    void *p = pm_malloc(rt, size);
    if (!p) pm_err_nomem(rt);
    return p;
}

typedef struct u32 {
    uint32_t *c;                    /* code points (pm_malloc'd, at least 1 slot) */
    pm_ssize_t n;                   /* how many */
} u32;

static int u32_load(pm_runtime *rt, pm_object *s, u32 *out) {
    out->n = pm_str_length(s);
    out->c = xmalloc(rt, (size_t)(out->n + 1) * sizeof(uint32_t));
    if (!out->c) return -1;
    for (pm_ssize_t i = 0; i < out->n; i++) out->c[i] = pm_str_read_char(s, i);
    return 0;
}

static void u32_free(pm_runtime *rt, u32 *u) {
    pm_free(rt, u->c);
    u->c = NULL;
}

static pm_object *mk(pm_runtime *rt, const uint32_t *c, pm_ssize_t n) { return pm_str_from_ucs4(rt, c, n); }

/* Py_UNICODE_ISSPACE */
static int is_space(uint32_t c) {
    if (c < 128) return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
    return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
           c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}
/* Py_UNICODE_ISLINEBREAK */
static int is_linebreak(uint32_t c) {
    return c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e ||
           c == 0x85 || c == 0x2028 || c == 0x2029;
}
static int is_upper(uint32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7); }
static int is_lower(uint32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff && c != 0xf7) || c == 0xb5 || c == 0xaa ||
           c == 0xba;
}
static int is_alpha(uint32_t c) { return is_upper(c) || is_lower(c); }
static int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static uint32_t to_upper(uint32_t c) {
    if (c >= 'a' && c <= 'z') return c - 32;
    if (c >= 0xe0 && c <= 0xfe && c != 0xf7) return c - 32;
    if (c == 0xff) return 0x178;
    if (c == 0xb5) return 0x39c;
    return c;
}
static uint32_t to_lower(uint32_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0xc0 && c <= 0xde && c != 0xd7) return c + 32;
    return c;
}

static pm_object *type_error_str(pm_runtime *rt, const char *prefix, pm_object *o) {
    pm_err_format(rt, PM_EXC_TypeError, "%smust be str, not %.100s", prefix, o->ob_type->name);
    return NULL;
}

/* start/end arguments of find & co (None allowed): 1 / 0 + error. */
static int opt_index(pm_runtime *rt, pm_object *o, pm_ssize_t *out) {
    if (!o || o == PM_NONE) return 1;
    if (!pmi_has_index(o)) {
        pm_err_set(rt, PM_EXC_TypeError, "slice indices must be integers or None or have an __index__ method");
        return 0;
    }
    *out = pm_index_as_ssize(rt, o, PM_INDEX_CLAMP);
    return !(*out == -1 && pm_err_occurred(rt));
}

/* ADJUST_INDICES */
static void adjust(pm_ssize_t len, pm_ssize_t *start, pm_ssize_t *end) {
    if (*end > len) *end = len;
    else if (*end < 0 && (*end += len) < 0) *end = 0;
    if (*start < 0 && (*start += len) < 0) *start = 0;
}

static int match_at(const u32 *h, pm_ssize_t i, const u32 *nd) {
    for (pm_ssize_t k = 0; k < nd->n; k++)
        if (h->c[i + k] != nd->c[k]) return 0;
    return 1;
}

/* First (dir > 0) or last occurrence of nd in h[start:end], or -1. */
static pm_ssize_t find_in(const u32 *h, const u32 *nd, pm_ssize_t start, pm_ssize_t end, int dir) {
    if (end - start < nd->n) return -1;
    if (dir > 0) {
        for (pm_ssize_t i = start; i + nd->n <= end; i++)
            if (match_at(h, i, nd)) return i;
    } else {
        for (pm_ssize_t i = end - nd->n; i >= start; i--)
            if (match_at(h, i, nd)) return i;
    }
    return -1;
}

/* ---- find, rfind, index, rindex, count ----------------------------------- */

enum { F_FIND, F_RFIND, F_INDEX, F_RINDEX, F_COUNT };
static const char *const find_names[] = {"find", "rfind", "index", "rindex", "count"};

/* The first (dir > 0) or last position in h[start:end] (adjusted, start <=
 * len) where the k-byte-per-code-point needle nd (m > 0) matches, or -1:
 * a byte search for the needle's first code unit, then memcmp. */
static pm_ssize_t find_raw(const char *h, const char *nd, int k, pm_ssize_t start, pm_ssize_t end,
                           pm_ssize_t m, int dir) {
    if (end - start < m) return -1;
    size_t bytes = (size_t)m * (size_t)k;
    if (dir > 0) {
        pm_ssize_t last = end - m;
        for (pm_ssize_t i = start; i <= last; i++) {
            if (k == 1) {
                const char *q = memchr(h + i, nd[0], (size_t)(last - i + 1));
                if (!q) return -1;
                i = (pm_ssize_t)(q - h);
            }
            if (memcmp(h + (size_t)i * (size_t)k, nd, bytes) == 0) return i;
        }
    } else {
        for (pm_ssize_t i = end - m; i >= start; i--)
            if (memcmp(h + (size_t)i * (size_t)k, nd, bytes) == 0) return i;
    }
    return -1;
}

/* find & co when the needle's kind is at least the haystack's: with equal
 * kinds the code units compare as bytes; a wider needle holds a code point
 * the haystack cannot, so only the empty needle (always kind 1) matches. */
static pm_object *find_same_kind(pm_runtime *rt, pm_object *self, pm_object *sub, pm_ssize_t start,
                                 pm_ssize_t end, int which) {
    pm_ssize_t n = pm_str_length(self), m = pm_str_length(sub);
    int k = pm_str_kind(self), same = pm_str_kind(sub) == k;
    const char *h = pmi_str_data(self), *nd = pmi_str_data(sub);
    adjust(n, &start, &end);
    pm_ssize_t pos = -1;
    if (which == F_COUNT) {
        pm_ssize_t cnt = 0;
        if (end - start >= m) {
            if (m == 0) cnt = end - start + 1;
            else if (same)
                while ((pos = find_raw(h, nd, k, start, end, m, 1)) >= 0) cnt++, start = pos + m;
        }
        return pm_int_from_ssize(rt, cnt);
    }
    if (start <= n && end - start >= m) {
        int dir = which == F_FIND || which == F_INDEX ? 1 : -1;
        if (m == 0) pos = dir > 0 ? start : end;
        else if (same) pos = find_raw(h, nd, k, start, end, m, dir);
    }
    if (pos < 0 && (which == F_INDEX || which == F_RINDEX)) {
        pm_err_set(rt, PM_EXC_ValueError, "substring not found");
        return NULL;
    }
    return pm_int_from_ssize(rt, pos);
}

static pm_object *find_common(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                              int which) {
    if (!pmi_arg_check_count_old(rt, find_names[which], nargs, 1, 3)) return NULL;
    if (!pm_str_check(args[0])) return type_error_str(rt, "", args[0]);
    pm_ssize_t start = 0, end = PM_SSIZE_MAX;
    if (!opt_index(rt, nargs > 1 ? args[1] : NULL, &start)) return NULL;
    if (!opt_index(rt, nargs > 2 ? args[2] : NULL, &end)) return NULL;
    int kh = pm_str_kind(self), kn = pm_str_kind(args[0]);
    if (kn >= kh) return find_same_kind(rt, self, args[0], start, end, which);
    u32 h = {NULL, 0}, nd = {NULL, 0};
    pm_object *r = NULL;
    if (u32_load(rt, self, &h) < 0 || u32_load(rt, args[0], &nd) < 0) goto done;
    adjust(h.n, &start, &end);
    if (which == F_COUNT) {
        pm_ssize_t cnt = 0;
        if (end - start >= nd.n) {
            if (nd.n == 0) cnt = end - start + 1;
            else
                for (pm_ssize_t i = start; i + nd.n <= end;)
                    if (match_at(&h, i, &nd)) cnt++, i += nd.n;
                    else i++;
        }
        r = pm_int_from_ssize(rt, cnt);
        goto done;
    }
    pm_ssize_t pos = start > h.n ? -1 : find_in(&h, &nd, start, end, which == F_FIND || which == F_INDEX ? 1 : -1);
    if (pos < 0 && (which == F_INDEX || which == F_RINDEX))
        pm_err_set(rt, PM_EXC_ValueError, "substring not found");
    else
        r = pm_int_from_ssize(rt, pos);
done:
    u32_free(rt, &h);
    u32_free(rt, &nd);
    return r;
}

#define FIND_WRAPPER(fn, which)                                                                  \
    static pm_object *fn(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t n) { \
        return find_common(rt, self, args, n, which);                                             \
    }
FIND_WRAPPER(strm_find, F_FIND)
FIND_WRAPPER(strm_rfind, F_RFIND)
FIND_WRAPPER(strm_index, F_INDEX)
FIND_WRAPPER(strm_rindex, F_RINDEX)
FIND_WRAPPER(strm_count, F_COUNT)

/* ---- startswith / endswith ------------------------------------------------ */

static int tail_match(pm_runtime *rt, const u32 *h, pm_object *sub, pm_ssize_t start, pm_ssize_t end, int atend) {
    u32 nd;
    if (u32_load(rt, sub, &nd) < 0) return -1;
    pm_ssize_t s = start, e = end;
    adjust(h->n, &s, &e);
    int r = 0;
    if (s <= h->n && e - s >= nd.n) r = match_at(h, atend ? e - nd.n : s, &nd);
    u32_free(rt, &nd);
    return r;
}

static pm_object *with_common(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                              int atend) {
    const char *name = atend ? "endswith" : "startswith";
    if (!pmi_arg_check_count_old(rt, name, nargs, 1, 3)) return NULL;
    pm_ssize_t start = 0, end = PM_SSIZE_MAX;
    if (!opt_index(rt, nargs > 1 ? args[1] : NULL, &start)) return NULL;
    if (!opt_index(rt, nargs > 2 ? args[2] : NULL, &end)) return NULL;
    pm_object *sub = args[0];
    u32 h;
    if (!pm_str_check(sub) && !pm_tuple_check(sub)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s first arg must be str or a tuple of str, not %.100s", name,
                      sub->ob_type->name);
        return NULL;
    }
    if (u32_load(rt, self, &h) < 0) return NULL;
    int r = 0;
    if (pm_str_check(sub)) {
        r = tail_match(rt, &h, sub, start, end, atend);
    } else {
        for (pm_ssize_t i = 0; i < pm_tuple_size(sub) && r == 0; i++) {
            pm_object *x = pm_tuple_get(rt, sub, i);
            if (!pm_str_check(x)) {
                pm_err_format(rt, PM_EXC_TypeError, "tuple for %s must only contain str, not %.100s", name,
                              x->ob_type->name);
                r = -1;
            } else {
                r = tail_match(rt, &h, x, start, end, atend);
            }
        }
    }
    u32_free(rt, &h);
    return r < 0 ? NULL : pm_bool_from(r);
}

static pm_object *strm_startswith(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) {
    return with_common(rt, self, a, n, 0);
}
static pm_object *strm_endswith(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) {
    return with_common(rt, self, a, n, 1);
}

/* ---- split / rsplit / splitlines ------------------------------------------ */

/* Append s[a:b] to list: 0 / -1. */
static int put_piece(pm_runtime *rt, pm_object *list, const u32 *s, pm_ssize_t a, pm_ssize_t b) {
    pm_object *p = mk(rt, s->c + a, b - a);
    if (!p) return -1;
    int r = pm_list_append(rt, list, p);
    pm_decref(rt, p);
    return r;
}

static pm_object *split_common(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                               pm_object *kwnames, int right) {
    static const char *const names[] = {"sep", "maxsplit", NULL};
    const char *fname = right ? "rsplit" : "split";
    pm_object *a[2];
    if (!pmi_arg_parse_kw(rt, fname, names, 2, 0, args, nargs, kwnames, a)) return NULL;
    pm_object *sep = a[0] ? a[0] : PM_NONE;
    pm_ssize_t maxsplit = -1;
    if (sep != PM_NONE && !pm_str_check(sep)) {
        pm_err_format(rt, PM_EXC_TypeError, "must be str or None, not %.100s", sep->ob_type->name);
        return NULL;
    }
    if (a[1]) {
        maxsplit = pmi_arg_ssize(rt, a[1]);
        if (maxsplit == -1 && pm_err_occurred(rt)) return NULL;
    }
    if (maxsplit < 0) maxsplit = PM_SSIZE_MAX;
    u32 s = {NULL, 0}, d = {NULL, 0};
    pm_object *list = NULL;
    if (u32_load(rt, self, &s) < 0) goto fail;
    if (sep != PM_NONE) {
        if (u32_load(rt, sep, &d) < 0) goto fail;
        if (d.n == 0) {
            pm_err_set(rt, PM_EXC_ValueError, "empty separator");
            goto fail;
        }
    }
    if (!(list = pm_list_new(rt))) goto fail;
    if (!right) {
        pm_ssize_t i = 0, cnt = 0;
        if (sep == PM_NONE) {
            for (;;) {
                while (i < s.n && is_space(s.c[i])) i++;
                if (i == s.n) break;
                pm_ssize_t j = i;
                if (cnt++ == maxsplit) j = s.n;
                else
                    while (j < s.n && !is_space(s.c[j])) j++;
                if (put_piece(rt, list, &s, i, j) < 0) goto fail;
                i = j;
            }
        } else {
            pm_ssize_t start = 0;
            while (cnt < maxsplit) {
                pm_ssize_t pos = find_in(&s, &d, start, s.n, 1);
                if (pos < 0) break;
                if (put_piece(rt, list, &s, start, pos) < 0) goto fail;
                start = pos + d.n;
                cnt++;
            }
            if (put_piece(rt, list, &s, start, s.n) < 0) goto fail;
        }
    } else {
        pm_ssize_t cnt = 0;
        if (sep == PM_NONE) {
            pm_ssize_t j = s.n;
            for (;;) {
                while (j > 0 && is_space(s.c[j - 1])) j--;
                if (j == 0) break;
                pm_ssize_t i = j;
                if (cnt++ == maxsplit) i = 0;
                else
                    while (i > 0 && !is_space(s.c[i - 1])) i--;
                if (put_piece(rt, list, &s, i, j) < 0) goto fail;
                j = i;
            }
        } else {
            pm_ssize_t end = s.n;
            while (cnt < maxsplit) {
                pm_ssize_t pos = find_in(&s, &d, 0, end, -1);
                if (pos < 0) break;
                if (put_piece(rt, list, &s, pos + d.n, end) < 0) goto fail;
                end = pos;
                cnt++;
            }
            if (put_piece(rt, list, &s, 0, end) < 0) goto fail;
        }
        if (pm_list_reverse(rt, list) < 0) goto fail;
    }
    u32_free(rt, &s);
    u32_free(rt, &d);
    return list;
fail:
    pm_xdecref(rt, list);
    u32_free(rt, &s);
    u32_free(rt, &d);
    return NULL;
}

static pm_object *strm_split(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n, pm_object *kw) {
    return split_common(rt, self, a, n, kw, 0);
}
static pm_object *strm_rsplit(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n, pm_object *kw) {
    return split_common(rt, self, a, n, kw, 1);
}

static pm_object *strm_splitlines(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                                  pm_object *kwnames) {
    static const char *const names[] = {"keepends", NULL};
    pm_object *a[1];
    if (!pmi_arg_parse_kw(rt, "splitlines", names, 1, 0, args, nargs, kwnames, a)) return NULL;
    int keep = 0;
    if (a[0]) {
        pm_ssize_t v = pmi_arg_ssize(rt, a[0]);
        if (v == -1 && pm_err_occurred(rt)) return NULL;
        keep = v != 0;
    }
    u32 s;
    pm_object *list = NULL;
    if (u32_load(rt, self, &s) < 0) return NULL;
    if (!(list = pm_list_new(rt))) goto fail;
    for (pm_ssize_t i = 0; i < s.n;) {
        pm_ssize_t j = i;
        while (j < s.n && !is_linebreak(s.c[j])) j++;
        pm_ssize_t eol = j;
        if (j < s.n) {
            j += (s.c[j] == '\r' && j + 1 < s.n && s.c[j + 1] == '\n') ? 2 : 1;
            if (keep) eol = j;
        }
        if (put_piece(rt, list, &s, i, eol) < 0) goto fail;
        i = j;
    }
    u32_free(rt, &s);
    return list;
fail:
    pm_xdecref(rt, list);
    u32_free(rt, &s);
    return NULL;
}

/* ---- strip family ------------------------------------------------------------ */

static int in_set(const u32 *set, uint32_t ch) {
    for (pm_ssize_t k = 0; k < set->n; k++)
        if (set->c[k] == ch) return 1;
    return 0;
}

static pm_object *strip_common(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                               int left, int right, const char *name) {
    if (!pmi_arg_check_positional(rt, name, nargs, 0, 1)) return NULL;
    pm_object *chars = nargs ? args[0] : PM_NONE;
    if (chars != PM_NONE && !pm_str_check(chars)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s arg must be None or str", name);
        return NULL;
    }
    u32 s, c = {NULL, 0};
    if (u32_load(rt, self, &s) < 0) return NULL;
    if (chars != PM_NONE && u32_load(rt, chars, &c) < 0) {
        u32_free(rt, &s);
        return NULL;
    }
    pm_ssize_t i = 0, j = s.n;
#define STRIPPABLE(ch) (chars == PM_NONE ? is_space(ch) : in_set(&c, ch))
    if (left)
        while (i < j && STRIPPABLE(s.c[i])) i++;
    if (right)
        while (j > i && STRIPPABLE(s.c[j - 1])) j--;
#undef STRIPPABLE
    pm_object *r = mk(rt, s.c + i, j - i);
    u32_free(rt, &s);
    u32_free(rt, &c);
    return r;
}

static pm_object *strm_strip(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) {
    return strip_common(rt, self, a, n, 1, 1, "strip");
}
static pm_object *strm_lstrip(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) {
    return strip_common(rt, self, a, n, 1, 0, "lstrip");
}
static pm_object *strm_rstrip(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) {
    return strip_common(rt, self, a, n, 0, 1, "rstrip");
}

/* ---- replace, join, partition, prefix/suffix --------------------------------- */

static pm_object *strm_replace(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "replace", nargs, 2, 3)) return NULL;
    for (int k = 0; k < 2; k++)
        if (!pm_str_check(args[k])) {
            pm_err_format(rt, PM_EXC_TypeError, "replace() argument %d must be str, not %.100s", k + 1,
                          args[k]->ob_type->name);
            return NULL;
        }
    pm_ssize_t count = -1;
    if (nargs > 2) {
        count = pmi_arg_ssize(rt, args[2]);
        if (count == -1 && pm_err_occurred(rt)) return NULL;
    }
    if (count < 0) count = PM_SSIZE_MAX;
    u32 s = {NULL, 0}, o = {NULL, 0}, w = {NULL, 0};
    uint32_t *out = NULL;
    pm_object *r = NULL;
    if (u32_load(rt, self, &s) < 0 || u32_load(rt, args[0], &o) < 0 || u32_load(rt, args[1], &w) < 0)
        goto done;
    /* count the replacements first to size the result */
    pm_ssize_t nrep = 0;
    if (o.n == 0) nrep = s.n + 1 < count ? s.n + 1 : count;
    else
        for (pm_ssize_t i = 0; i + o.n <= s.n && nrep < count;)
            if (match_at(&s, i, &o)) nrep++, i += o.n;
            else i++;
    if (w.n > o.n && nrep > (PM_SSIZE_MAX / 4 - s.n) / (w.n - o.n)) {
        pm_err_set(rt, PM_EXC_OverflowError, "replace string is too long");
        goto done;
    }
    pm_ssize_t total = s.n + nrep * (w.n - o.n), k = 0, done_n = 0;
    out = xmalloc(rt, (size_t)(total + 1) * sizeof *out);
    if (!out) goto done;
    for (pm_ssize_t i = 0; i <= s.n;) {
        int hit = done_n < nrep && (o.n == 0 ? 1 : (i + o.n <= s.n && match_at(&s, i, &o)));
        if (hit) {
            for (pm_ssize_t m = 0; m < w.n; m++) out[k++] = w.c[m];
            done_n++;
            if (o.n) {
                i += o.n;
                continue;
            }
        }
        if (i < s.n) out[k++] = s.c[i];
        i++;
    }
    r = mk(rt, out, k);
done:
    pm_free(rt, out);
    u32_free(rt, &s);
    u32_free(rt, &o);
    u32_free(rt, &w);
    return r;
}

static pm_object *strm_join(pm_runtime *rt, pm_object *self, pm_object *iterable) {
    if (pm_list_check(iterable) || pm_tuple_check(iterable)) return pm_str_join(rt, self, iterable);
    pm_object *it = pm_iter(rt, iterable);
    if (!it) {
        if (pm_err_matches(rt, PM_EXC_TypeError)) {
            pm_err_clear(rt);
            pm_err_set(rt, PM_EXC_TypeError, "can only join an iterable");
        }
        return NULL;
    }
    pm_object *r = pm_str_join(rt, self, it);
    pm_decref(rt, it);
    return r;
}

static pm_object *partition_common(pm_runtime *rt, pm_object *self, pm_object *sep, int right) {
    if (!pm_str_check(sep)) return type_error_str(rt, "", sep);
    u32 s = {NULL, 0}, d = {NULL, 0};
    pm_object *r = NULL, *a = NULL, *b = NULL, *c = NULL;
    if (u32_load(rt, self, &s) < 0 || u32_load(rt, sep, &d) < 0) goto done;
    if (d.n == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "empty separator");
        goto done;
    }
    pm_ssize_t pos = find_in(&s, &d, 0, s.n, right ? -1 : 1);
    if (pos < 0) {
        a = right ? mk(rt, NULL, 0) : pm_newref(rt, self);
        b = mk(rt, NULL, 0);
        c = right ? pm_newref(rt, self) : mk(rt, NULL, 0);
    } else {
        a = mk(rt, s.c, pos);
        b = pm_newref(rt, sep);
        c = mk(rt, s.c + pos + d.n, s.n - pos - d.n);
    }
    if (a && b && c) r = pm_tuple_pack(rt, 3, a, b, c);
done:
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    pm_xdecref(rt, c);
    u32_free(rt, &s);
    u32_free(rt, &d);
    return r;
}
static pm_object *strm_partition(pm_runtime *rt, pm_object *self, pm_object *sep) {
    return partition_common(rt, self, sep, 0);
}
static pm_object *strm_rpartition(pm_runtime *rt, pm_object *self, pm_object *sep) {
    return partition_common(rt, self, sep, 1);
}

static pm_object *affix_common(pm_runtime *rt, pm_object *self, pm_object *fix, int suffix) {
    if (!pm_str_check(fix)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() argument must be str, not %.100s",
                      suffix ? "removesuffix" : "removeprefix", fix->ob_type->name);
        return NULL;
    }
    u32 s = {NULL, 0}, f = {NULL, 0};
    pm_object *r = NULL;
    if (u32_load(rt, self, &s) == 0 && u32_load(rt, fix, &f) == 0) {
        if (f.n > 0 && f.n <= s.n && match_at(&s, suffix ? s.n - f.n : 0, &f))
            r = mk(rt, s.c + (suffix ? 0 : f.n), s.n - f.n);
        else
            r = pm_newref(rt, self);
    }
    u32_free(rt, &s);
    u32_free(rt, &f);
    return r;
}
static pm_object *strm_removeprefix(pm_runtime *rt, pm_object *self, pm_object *p) {
    return affix_common(rt, self, p, 0);
}
static pm_object *strm_removesuffix(pm_runtime *rt, pm_object *self, pm_object *p) {
    return affix_common(rt, self, p, 1);
}

/* ---- case mapping ------------------------------------------------------------- */

enum { C_UPPER, C_LOWER, C_SWAP, C_CAPITALIZE, C_TITLE };

/* case_common for an ASCII string: the result is ASCII too (no mapping
 * below leaves ASCII), so it is written straight into a new str. */
static pm_object *case_ascii(pm_runtime *rt, pm_object *self, int how) {
    pm_ssize_t n = pm_str_length(self);
    pm_object *r = pmi_str_new(rt, n, 0x7f);
    if (!r) return NULL;
    const uint8_t *src = pmi_str_data(self);
    uint8_t *dst = pmi_str_data(r);
    if (how == C_UPPER || how == C_LOWER) {
        /* eight bytes at a time: every byte is below 0x80, so adding
         * 0x80 - first (resp. 0x80 - last - 1) to each sets its top bit
         * without a carry into the next when byte >= first (> last);
         * the letters are the bytes with the first bit and not the second,
         * and their 0x20 bit flips the case */
        uint64_t first = how == C_UPPER ? 'a' : 'A', ones = 0x0101010101010101u;
        uint64_t lo = (0x80 - first) * ones, hi = (0x80 - first - 26) * ones;
        pm_ssize_t i = 0;
        for (; i + 8 <= n; i += 8) {
            uint64_t x;
            memcpy(&x, src + i, 8);
            uint64_t letters = (x + lo) & ~(x + hi) & (0x80 * ones);
            x ^= letters >> 2;
            memcpy(dst + i, &x, 8);
        }
        for (; i < n; i++)
            dst[i] = (uint8_t)(src[i] ^ ((unsigned)(src[i] - first) < 26u ? 0x20 : 0));
    } else {
        int prev_cased = 0;
        for (pm_ssize_t i = 0; i < n; i++) {
            uint32_t c = src[i];
            switch (how) {
            case C_SWAP: c = is_upper(c) ? to_lower(c) : is_lower(c) ? to_upper(c) : c; break;
            case C_CAPITALIZE: c = i == 0 ? to_upper(c) : to_lower(c); break;
            default:
                c = prev_cased ? to_lower(c) : to_upper(c);
                prev_cased = is_alpha(src[i]);
            }
            dst[i] = (uint8_t)c;
        }
    }
    return pmi_str_result(rt, r);   /* as pm_str_from_ucs4: one character is the shared one */
}

static pm_object *case_common(pm_runtime *rt, pm_object *self, int how) {
    if (PMI_STR(self)->state.ascii) return case_ascii(rt, self, how);
    u32 s;
    if (u32_load(rt, self, &s) < 0) return NULL;
    int prev_cased = 0;
    for (pm_ssize_t i = 0; i < s.n; i++) {
        uint32_t c = s.c[i];
        switch (how) {
        case C_UPPER: c = to_upper(c); break;
        case C_LOWER: c = to_lower(c); break;
        case C_SWAP: c = is_upper(c) ? to_lower(c) : is_lower(c) ? to_upper(c) : c; break;
        case C_CAPITALIZE: c = i == 0 ? to_upper(c) : to_lower(c); break;
        default:
            c = prev_cased ? to_lower(c) : to_upper(c);
            prev_cased = is_alpha(s.c[i]);
        }
        s.c[i] = c;
    }
    pm_object *r = mk(rt, s.c, s.n);
    u32_free(rt, &s);
    return r;
}
#define CASE_WRAPPER(fn, how)                                                  \
    static pm_object *fn(pm_runtime *rt, pm_object *self, pm_object *unused) { \
        (void)unused;                                                          \
        return case_common(rt, self, how);                                     \
    }
CASE_WRAPPER(strm_upper, C_UPPER)
CASE_WRAPPER(strm_lower, C_LOWER)
CASE_WRAPPER(strm_casefold, C_LOWER)
CASE_WRAPPER(strm_swapcase, C_SWAP)
CASE_WRAPPER(strm_capitalize, C_CAPITALIZE)
CASE_WRAPPER(strm_title, C_TITLE)

/* ---- predicates ------------------------------------------------------------------ */

enum { P_SPACE, P_ALPHA, P_DIGIT, P_ALNUM, P_ASCII, P_UPPER, P_LOWER, P_IDENT, P_TITLE };

static pm_object *pred_common(pm_runtime *rt, pm_object *self, int what) {
    pm_ssize_t n = pm_str_length(self);
    int has_cased = 0, ok = n > 0 || what == P_ASCII, prev_cased = 0, title_ok = 1;
    for (pm_ssize_t i = 0; i < n && ok; i++) {
        uint32_t c = pm_str_read_char(self, i);
        switch (what) {
        case P_SPACE: ok = is_space(c); break;
        case P_ALPHA: ok = is_alpha(c); break;
        case P_DIGIT: ok = is_digit(c); break;
        case P_ALNUM: ok = is_alpha(c) || is_digit(c); break;
        case P_ASCII: ok = c < 128; break;
        case P_UPPER:
            if (is_lower(c)) ok = 0;
            has_cased |= is_upper(c);
            break;
        case P_LOWER:
            if (is_upper(c)) ok = 0;
            has_cased |= is_lower(c);
            break;
        case P_IDENT: ok = c == '_' || is_alpha(c) || (i > 0 && is_digit(c)); break;
        default:
            if (is_upper(c)) {
                if (prev_cased) title_ok = 0;
                prev_cased = has_cased = 1;
            } else if (is_lower(c)) {
                if (!prev_cased) title_ok = 0;
                prev_cased = has_cased = 1;
            } else {
                prev_cased = 0;
            }
        }
    }
    (void)rt;
    if (what == P_UPPER || what == P_LOWER) ok = ok && has_cased;
    if (what == P_TITLE) ok = title_ok && has_cased;
    return pm_bool_from(ok);
}
#define PRED_WRAPPER(fn, what)                                                 \
    static pm_object *fn(pm_runtime *rt, pm_object *self, pm_object *unused) { \
        (void)unused;                                                          \
        return pred_common(rt, self, what);                                    \
    }
PRED_WRAPPER(strm_isspace, P_SPACE)
PRED_WRAPPER(strm_isalpha, P_ALPHA)
PRED_WRAPPER(strm_isdigit, P_DIGIT)
PRED_WRAPPER(strm_isalnum, P_ALNUM)
PRED_WRAPPER(strm_isascii, P_ASCII)
PRED_WRAPPER(strm_isupper, P_UPPER)
PRED_WRAPPER(strm_islower, P_LOWER)
PRED_WRAPPER(strm_isidentifier, P_IDENT)
PRED_WRAPPER(strm_istitle, P_TITLE)

/* ---- padding ---------------------------------------------------------------------- */

enum { J_CENTER, J_LEFT, J_RIGHT };

static pm_object *pad(pm_runtime *rt, pm_object *self, pm_ssize_t left, pm_ssize_t right, uint32_t fill) {
    u32 s;
    if (u32_load(rt, self, &s) < 0) return NULL;
    uint32_t *out = xmalloc(rt, (size_t)(s.n + left + right + 1) * sizeof *out);
    pm_object *r = NULL;
    if (out) {
        for (pm_ssize_t i = 0; i < left; i++) out[i] = fill;
        for (pm_ssize_t i = 0; i < s.n; i++) out[left + i] = s.c[i];
        for (pm_ssize_t i = 0; i < right; i++) out[left + s.n + i] = fill;
        r = mk(rt, out, s.n + left + right);
        pm_free(rt, out);
    }
    u32_free(rt, &s);
    return r;
}

static pm_object *justify(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs, int how) {
    static const char *const names[] = {"center", "ljust", "rjust"};
    if (!pmi_arg_check_positional(rt, names[how], nargs, 1, 2)) return NULL;
    pm_ssize_t width = pmi_arg_ssize(rt, args[0]);
    if (width == -1 && pm_err_occurred(rt)) return NULL;
    uint32_t fill = ' ';
    if (nargs > 1) {
        if (!pm_str_check(args[1])) {
            pm_err_format(rt, PM_EXC_TypeError, "The fill character must be a unicode character, not %.100s",
                          args[1]->ob_type->name);
            return NULL;
        }
        if (pm_str_length(args[1]) != 1) {
            pm_err_set(rt, PM_EXC_TypeError, "The fill character must be exactly one character long");
            return NULL;
        }
        fill = pm_str_read_char(args[1], 0);
    }
    pm_ssize_t n = pm_str_length(self);
    if (width <= n) return pm_newref(rt, self);
    pm_ssize_t marg = width - n, left;
    if (how == J_CENTER) left = marg / 2 + (marg & width & 1);
    else left = how == J_LEFT ? 0 : marg;
    return pad(rt, self, left, marg - left, fill);
}
static pm_object *strm_center(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) {
    return justify(rt, self, a, n, J_CENTER);
}
static pm_object *strm_ljust(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) {
    return justify(rt, self, a, n, J_LEFT);
}
static pm_object *strm_rjust(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) {
    return justify(rt, self, a, n, J_RIGHT);
}

static pm_object *strm_zfill(pm_runtime *rt, pm_object *self, pm_object *arg) {
    pm_ssize_t width = pmi_arg_ssize(rt, arg);
    if (width == -1 && pm_err_occurred(rt)) return NULL;
    pm_ssize_t n = pm_str_length(self);
    if (width <= n) return pm_newref(rt, self);
    pm_object *r = pad(rt, self, width - n, 0, '0');
    if (!r || n == 0) return r;
    uint32_t c0 = pm_str_read_char(self, 0);
    if (c0 != '+' && c0 != '-') return r;
    /* move the sign to the front: rebuild */
    u32 s;
    if (u32_load(rt, r, &s) < 0) {
        pm_decref(rt, r);
        return NULL;
    }
    pm_decref(rt, r);
    s.c[0] = c0;
    s.c[width - n] = '0';
    r = mk(rt, s.c, s.n);
    u32_free(rt, &s);
    return r;
}

static pm_object *strm_expandtabs(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                                  pm_object *kwnames) {
    static const char *const names[] = {"tabsize", NULL};
    pm_object *a[1];
    if (!pmi_arg_parse_kw(rt, "expandtabs", names, 1, 0, args, nargs, kwnames, a)) return NULL;
    pm_ssize_t tab = 8;
    if (a[0]) {
        tab = pmi_arg_ssize(rt, a[0]);
        if (tab == -1 && pm_err_occurred(rt)) return NULL;
    }
    u32 s;
    if (u32_load(rt, self, &s) < 0) return NULL;
    pm_ssize_t total = 0, col = 0;
    for (pm_ssize_t i = 0; i < s.n; i++) {
        if (s.c[i] == '\t') {
            if (tab > 0) total += tab - col % tab, col += tab - col % tab;
        } else {
            total++, col++;
            if (s.c[i] == '\n' || s.c[i] == '\r') col = 0;
        }
    }
    uint32_t *out = xmalloc(rt, (size_t)(total + 1) * sizeof *out);
    pm_object *r = NULL;
    if (out) {
        pm_ssize_t k = 0;
        col = 0;
        for (pm_ssize_t i = 0; i < s.n; i++) {
            if (s.c[i] == '\t') {
                if (tab > 0)
                    for (pm_ssize_t m = tab - col % tab; m > 0; m--) out[k++] = ' ', col++;
            } else {
                out[k++] = s.c[i], col++;
                if (s.c[i] == '\n' || s.c[i] == '\r') col = 0;
            }
        }
        r = mk(rt, out, k);
        pm_free(rt, out);
    }
    u32_free(rt, &s);
    return r;
}

/* ---- encode, format ------------------------------------------------------------------ */

int pmi_codec_of(const char *name) {
    char b[32];
    size_t i = 0;
    for (; name[i] && i < sizeof b - 1; i++) {
        char c = name[i];
        b[i] = c == '-' || c == ' ' ? '_' : (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    b[i] = 0;
    if (name[i]) return -1;
    if (!strcmp(b, "utf_8") || !strcmp(b, "utf8") || !strcmp(b, "u8")) return 0;
    if (!strcmp(b, "ascii") || !strcmp(b, "us_ascii") || !strcmp(b, "646")) return 1;
    if (!strcmp(b, "latin_1") || !strcmp(b, "latin1") || !strcmp(b, "iso_8859_1") || !strcmp(b, "iso8859_1") ||
        !strcmp(b, "l1") || !strcmp(b, "latin"))
        return 2;
    return -1;
}

static pm_object *strm_encode(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                              pm_object *kwnames) {
    static const char *const names[] = {"encoding", "errors", NULL};
    pm_object *a[2];
    if (!pmi_arg_parse_kw(rt, "encode", names, 2, 0, args, nargs, kwnames, a)) return NULL;
    for (int k = 0; k < 2; k++)
        if (a[k] && !pm_str_check(a[k])) {
            pm_err_format(rt, PM_EXC_TypeError, "encode() argument '%s' must be str, not %.100s", names[k],
                          a[k]->ob_type->name);
            return NULL;
        }
    const char *enc = a[0] ? pm_str_as_utf8(rt, a[0], NULL) : "utf-8";
    const char *errs = a[1] ? pm_str_as_utf8(rt, a[1], NULL) : "strict";
    if (!enc || !errs) return NULL;
    int codec = pmi_codec_of(enc);
    if (codec < 0) {
        pm_err_format(rt, PM_EXC_LookupError, "unknown encoding: %.200s", enc);
        return NULL;
    }
    if (codec == 0) {
        pm_ssize_t len;
        const char *p = pm_str_as_utf8(rt, self, &len);
        return p ? pm_bytes_new(rt, p, len) : NULL;
    }
    int mode = !strcmp(errs, "ignore") ? 1 : !strcmp(errs, "replace") ? 2 : 0;
    if (mode == 0 && strcmp(errs, "strict") != 0) {
        pm_err_format(rt, PM_EXC_LookupError, "unknown error handler name '%.200s'", errs);
        return NULL;
    }
    uint32_t limit = codec == 1 ? 128 : 256;
    const char *cname = codec == 1 ? "ascii" : "latin-1";
    pm_ssize_t n = pm_str_length(self), k = 0;
    char *out = xmalloc(rt, (size_t)n + 1);
    if (!out) return NULL;
    for (pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = pm_str_read_char(self, i);
        if (c < limit) {
            out[k++] = (char)c;
            continue;
        }
        if (mode == 1) continue;
        if (mode == 2) {
            out[k++] = '?';
            continue;
        }
        pm_ssize_t j = i + 1;
        while (j < n && pm_str_read_char(self, j) >= limit) j++;
        pmi_err_unicode(rt, PM_EXC_UnicodeEncodeError, cname, self, i, j,
                        limit == 128 ? "ordinal not in range(128)" : "ordinal not in range(256)");
        pm_free(rt, out);
        return NULL;
    }
    pm_object *r = pm_bytes_new(rt, out, k);
    pm_free(rt, out);
    return r;
}

static pm_object *strm_format(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    return pm_str_format(rt, self, args, kwargs);
}
static pm_object *strm_format_map(pm_runtime *rt, pm_object *self, pm_object *mapping) {
    return pm_str_format_map(rt, self, mapping);
}

#define F(f) ((pm_cfunction)(void (*)(void))(f))
#define FAST PM_METH_FASTCALL
#define FASTKW (PM_METH_FASTCALL | PM_METH_KEYWORDS)
const pm_method_def pmi_str_methods[] = {
    {"encode", F(strm_encode), FASTKW, "Encode the string using the codec registered for encoding."},
    {"replace", F(strm_replace), FAST, "Return a copy with all occurrences of substring old replaced by new."},
    {"split", F(strm_split), FASTKW, "Return a list of the substrings in the string, using sep as the separator string."},
    {"rsplit", F(strm_rsplit), FASTKW, "Return a list of the substrings in the string, using sep as the separator string."},
    {"join", strm_join, PM_METH_O, "Concatenate any number of strings."},
    {"capitalize", strm_capitalize, PM_METH_NOARGS, "Return a capitalized version of the string."},
    {"casefold", strm_casefold, PM_METH_NOARGS, "Return a version of the string suitable for caseless comparisons."},
    {"title", strm_title, PM_METH_NOARGS, "Return a version of the string where each word is titlecased."},
    {"center", F(strm_center), FAST, "Return a centered string of length width."},
    {"count", F(strm_count), FAST, NULL},
    {"expandtabs", F(strm_expandtabs), FASTKW, "Return a copy where all tab characters are expanded using spaces."},
    {"find", F(strm_find), FAST, NULL},
    {"partition", strm_partition, PM_METH_O, "Partition the string into three parts using the given separator."},
    {"index", F(strm_index), FAST, NULL},
    {"ljust", F(strm_ljust), FAST, "Return a left-justified string of length width."},
    {"lower", strm_lower, PM_METH_NOARGS, "Return a copy of the string converted to lowercase."},
    {"lstrip", F(strm_lstrip), FAST, "Return a copy of the string with leading whitespace removed."},
    {"rfind", F(strm_rfind), FAST, NULL},
    {"rindex", F(strm_rindex), FAST, NULL},
    {"rjust", F(strm_rjust), FAST, "Return a right-justified string of length width."},
    {"rstrip", F(strm_rstrip), FAST, "Return a copy of the string with trailing whitespace removed."},
    {"rpartition", strm_rpartition, PM_METH_O, "Partition the string into three parts using the given separator."},
    {"splitlines", F(strm_splitlines), FASTKW, "Return a list of the lines in the string, breaking at line boundaries."},
    {"strip", F(strm_strip), FAST, "Return a copy of the string with leading and trailing whitespace removed."},
    {"swapcase", strm_swapcase, PM_METH_NOARGS, "Convert uppercase characters to lowercase and lowercase characters to uppercase."},
    {"zfill", strm_zfill, PM_METH_O, "Pad a numeric string with zeros on the left, to fill a field of the given width."},
    {"upper", strm_upper, PM_METH_NOARGS, "Return a copy of the string converted to uppercase."},
    {"startswith", F(strm_startswith), FAST, NULL},
    {"endswith", F(strm_endswith), FAST, NULL},
    {"removeprefix", strm_removeprefix, PM_METH_O, NULL},
    {"removesuffix", strm_removesuffix, PM_METH_O, NULL},
    {"isascii", strm_isascii, PM_METH_NOARGS, "Return True if all characters in the string are ASCII, False otherwise."},
    {"islower", strm_islower, PM_METH_NOARGS, "Return True if the string is a lowercase string, False otherwise."},
    {"isupper", strm_isupper, PM_METH_NOARGS, "Return True if the string is an uppercase string, False otherwise."},
    {"istitle", strm_istitle, PM_METH_NOARGS, "Return True if the string is a title-cased string, False otherwise."},
    {"isspace", strm_isspace, PM_METH_NOARGS, "Return True if the string is a whitespace string, False otherwise."},
    {"isdecimal", strm_isdigit, PM_METH_NOARGS, "Return True if the string is a decimal string, False otherwise."},
    {"isdigit", strm_isdigit, PM_METH_NOARGS, "Return True if the string is a digit string, False otherwise."},
    {"isnumeric", strm_isdigit, PM_METH_NOARGS, "Return True if the string is a numeric string, False otherwise."},
    {"isalpha", strm_isalpha, PM_METH_NOARGS, "Return True if the string is an alphabetic string, False otherwise."},
    {"isalnum", strm_isalnum, PM_METH_NOARGS, "Return True if the string is an alpha-numeric string, False otherwise."},
    {"isidentifier", strm_isidentifier, PM_METH_NOARGS, "Return True if the string is a valid Python identifier, False otherwise."},
    {"format", F(strm_format), PM_METH_VARARGS | PM_METH_KEYWORDS, NULL},
    {"format_map", strm_format_map, PM_METH_O, NULL},
    {NULL, NULL, 0, NULL},
};
