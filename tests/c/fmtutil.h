/* Helpers of the formatting tests (test_format.c, test_strformat.c): build
 * a python3 script case by case, run it once, and compare each case's
 * outcome with pymm's, byte for byte.
 *
 * An outcome is one line: "R <hex of the UTF-8 result>" (bytes results:
 * hex of the bytes) or "E <ExceptionName> <hex of str(exception)>". */
#ifndef PYMM_FMTUTIL_H
#define PYMM_FMTUTIL_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

typedef struct fu_buf {
    char *p;
    size_t len, cap;
} fu_buf;

static inline void fu_printf(fu_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void fu_printf(fu_buf *b, const char *fmt, ...) {
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        assert_true(n >= 0);
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        b->cap = (b->cap + (size_t)n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
}

/* A Python str literal for UTF-8 text s (escapes everything non-ASCII). */
static inline void fu_pystr(fu_buf *b, const char *s, size_t n) {
    fu_printf(b, "'");
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        int k;
        if (c < 0x80) cp = c, k = 1;
        else if (c < 0xe0) cp = c & 0x1f, k = 2;
        else if (c < 0xf0) cp = c & 0x0f, k = 3;
        else cp = c & 0x07, k = 4;
        for (int j = 1; j < k; j++) cp = cp << 6 | ((unsigned char)s[i + (size_t)j] & 0x3f);
        i += (size_t)k;
        if (cp >= 0x20 && cp < 0x7f && cp != '\'' && cp != '\\') fu_printf(b, "%c", (char)cp);
        else fu_printf(b, "\\U%08x", (unsigned)cp);
    }
    fu_printf(b, "'");
}

/* A Python bytes literal. */
static inline void fu_pybytes(fu_buf *b, const char *s, size_t n) {
    fu_printf(b, "b'");
    for (size_t i = 0; i < n; i++) fu_printf(b, "\\x%02x", (unsigned char)s[i]);
    fu_printf(b, "'");
}

static inline const char *fu_prelude(void) {
    return "import sys\n"
           "def _h(s): return s.encode('utf-8', 'surrogatepass').hex()\n"
           "def _r(f):\n"
           "    try: r = f()\n"
           "    except Exception as e: return 'E %s %s' % (type(e).__name__, _h(str(e)))\n"
           "    return 'R ' + (_h(r) if isinstance(r, str) else r.hex())\n"
           "class A: pass\n";
}

static inline void fu_hex(fu_buf *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) fu_printf(b, "%02x", (unsigned char)s[i]);
}

/* pymm's outcome line for a result (NULL: the pending error, cleared). */
static inline char *fu_outcome(pm_runtime *rt, pm_object *res) {
    fu_buf b = {0};
    if (!res) {
        fu_printf(&b, "E %s ", pm_exc_name(pm_err_kind(rt)));
        if (pm_err_matches(rt, PM_EXC_KeyError)) {
            /* str(KeyError(k)) is repr(k): what Python's str(e) shows */
            pm_object *e = pm_err_fetch(rt);
            pm_object *es = pm_str(rt, e);
            assert_non_null(es);
            const char *m = pm_str_as_utf8(rt, es, NULL);
            fu_hex(&b, m, strlen(m));
            pm_decref(rt, es);
            pm_decref(rt, e);
            return b.p;
        }
        const char *m = pm_err_message(rt);
        fu_hex(&b, m, strlen(m));
        pm_err_clear(rt);
        return b.p;
    }
    fu_printf(&b, "R ");
    if (pm_bytes_check(res)) {
        fu_hex(&b, pm_bytes_data(res), (size_t)pm_bytes_size(res));
    } else {
        /* UTF-8 with lone surrogates encoded as any other code point
         * (python's 'surrogatepass') */
        assert_true(pm_str_check(res));
        for (pm_ssize_t i = 0; i < pm_str_length(res); i++) {
            uint32_t c = pm_str_read_char(res, i);
            if (c < 0x80) fu_printf(&b, "%02x", c);
            else if (c < 0x800) fu_printf(&b, "%02x%02x", 0xc0 | c >> 6, 0x80 | (c & 0x3f));
            else if (c < 0x10000)
                fu_printf(&b, "%02x%02x%02x", 0xe0 | c >> 12, 0x80 | (c >> 6 & 0x3f), 0x80 | (c & 0x3f));
            else
                fu_printf(&b, "%02x%02x%02x%02x", 0xf0 | c >> 18, 0x80 | (c >> 12 & 0x3f),
                          0x80 | (c >> 6 & 0x3f), 0x80 | (c & 0x3f));
        }
    }
    if (!b.p) fu_printf(&b, "%s", "");
    return b.p;
}

/* Run the script; returns python3's stdout (malloc'd).  A missing python3
 * fails the test. */
static inline char *fu_run(const char *code) {
    size_t cap = 1 << 24;
    char *out = malloc(cap);
    assert_non_null(out);
    int st = tu_python(code, out, cap);
    if (st != 0) fail_msg("python3 could not run the reference script (status %d)", st);
    return out;
}

/* Next line of *cursor (NUL-terminated in place); fails at the end. */
static inline char *fu_line(char **cursor) {
    char *line = *cursor, *nl = strchr(line, '\n');
    if (!nl) fail_msg("python3 printed fewer lines than there are cases");
    *nl = 0;
    *cursor = nl + 1;
    return line;
}

/* Decode hex (for messages in failure reports). */
static inline void fu_unhex(const char *h, char *out, size_t cap) {
    size_t n = 0;
    while (h[0] && h[1] && n + 1 < cap) {
        unsigned v;
        if (sscanf(h, "%2x", &v) != 1) break;
        out[n++] = (char)v;
        h += 2;
    }
    out[n] = 0;
}

/* Blocks the allocator has handed out and not got back. */
static inline size_t fu_blocks(pm_runtime *rt) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    size_t n = s.large_blocks;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) n += s.size_class[i].blocks_in_use;
    return n;
}

#endif
