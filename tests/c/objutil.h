/* Helpers of the differential tests of funcdescr.c, mappingproxy.c,
 * dictview.c, range.c, iterobjects.c (test_funcdescr.c, test_views.c,
 * test_range_iter.c): the C side appends one line per step — repr of the
 * result, or "Error: message" — and a python3 script doing the same steps
 * through E(lambda: ...) prints the same lines; the two outputs must be
 * equal.  Addresses print as 0x?. */
#ifndef PYMM_OBJUTIL_H
#define PYMM_OBJUTIL_H
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "faultsweep.h"
#include "core/object.h"

#define OU_CAP 65536

/* The python3 side's prelude: E(f) prints what f() returned or raised. */
#define OU_PY_PRELUDE                                                         \
    "import re, sys, gc\n"                                                    \
    "def E(f):\n"                                                             \
    "    try:\n"                                                              \
    "        r = repr(f())\n"                                                 \
    "    except Exception as e:\n"                                            \
    "        r = '%s: %s' % (type(e).__name__, e)\n"                          \
    "    print(re.sub('0x[0-9a-fA-F]+', '0x?', r))\n"

typedef struct ou_out {
    char buf[OU_CAP];               /* accumulated lines */
    size_t len;                     /* bytes used */
} ou_out;

static inline void ou_put(ou_out *o, const char *line) {
    size_t n = strlen(line);
    assert_true(o->len + n + 2 < OU_CAP);
    memcpy(o->buf + o->len, line, n);
    o->len += n;
    o->buf[o->len++] = '\n';
    o->buf[o->len] = 0;
    for (char *h = strstr(o->buf + o->len - n - 1, "0x"); h; h = strstr(h + 3, "0x")) {
        char *e = h + 2;
        while (isxdigit((unsigned char)*e)) e++;
        if (e == h + 2) continue;
        memmove(h + 3, e, strlen(e) + 1);
        h[2] = '?';
        o->len = strlen(o->buf);
    }
}

/* Append repr(r) (r STOLEN) or, r NULL, the pending error (cleared). */
static inline void ou_emit(pm_runtime *rt, ou_out *o, pm_object *r) {
    char line[2048];
    if (r) {
        pm_object *s = pm_repr(rt, r);
        assert_non_null(s);
        snprintf(line, sizeof line, "%s", pm_str_as_utf8(rt, s, NULL));
        pm_decref(rt, s);
        pm_decref(rt, r);
    } else {
        assert_true(pm_err_occurred(rt));
        if (pm_err_matches(rt, PM_EXC_KeyError)) {
            pm_object *e = pm_err_fetch(rt);
            pm_object *es = pm_str(rt, e);
            assert_non_null(es);
            snprintf(line, sizeof line, "KeyError: %s", pm_str_as_utf8(rt, es, NULL));
            pm_decref(rt, es);
            pm_decref(rt, e);
        } else if (pm_err_matches(rt, PM_EXC_StopIteration)) {
            snprintf(line, sizeof line, "StopIteration: %s", pm_err_message(rt));
            pm_err_clear(rt);
        } else {
            snprintf(line, sizeof line, "%s: %s", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
            pm_err_clear(rt);
        }
    }
    ou_put(o, line);
}

/* Emit an int result of a C call: -1 with an error pending prints it. */
static inline void ou_emit_int(pm_runtime *rt, ou_out *o, long long v) {
    if (v == -1 && pm_err_occurred(rt)) {
        ou_emit(rt, o, NULL);
        return;
    }
    char line[64];
    snprintf(line, sizeof line, "%lld", v);
    ou_put(o, line);
}

/* Emit a 1/0/-1 result as True/False/the error. */
static inline void ou_emit_bool(pm_runtime *rt, ou_out *o, int v) {
    if (v < 0) ou_emit(rt, o, NULL);
    else ou_put(o, v ? "True" : "False");
}

/* next(it): the item's repr, or "StopIteration: " when exhausted. */
static inline void ou_emit_next(pm_runtime *rt, ou_out *o, pm_object *it) {
    pm_object *r = pm_iter_next(rt, it);
    if (!r && !pm_err_occurred(rt)) ou_put(o, "StopIteration: ");
    else ou_emit(rt, o, r);
}

/* list(it) of an iterable (borrowed): NEW ref or NULL. */
static inline pm_object *ou_list(pm_runtime *rt, pm_object *iterable) {
    pm_object *l = pm_list_new(rt);
    if (l && pm_list_extend(rt, l, iterable) < 0) PM_CLEAR(rt, l);
    return l;
}

/* list(x) of a NEW ref x (STOLEN; NULL passes the error on). */
static inline pm_object *ou_listx(pm_runtime *rt, pm_object *x) {
    if (!x) return NULL;
    pm_object *l = ou_list(rt, x);
    pm_decref(rt, x);
    return l;
}

/* obj.name(*args): NEW ref or NULL. */
static inline pm_object *ou_callm(pm_runtime *rt, pm_object *obj, const char *name, int n, ...) {
    pm_object *args[8];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) args[i] = va_arg(ap, pm_object *);
    va_end(ap);
    pm_object *m = pm_getattr_cstr(rt, obj, name);
    if (!m) return NULL;
    pm_object *r = pm_call(rt, m, args, (size_t)n, NULL);
    pm_decref(rt, m);
    return r;
}

/* callable(*args): NEW ref or NULL. */
static inline pm_object *ou_call(pm_runtime *rt, pm_object *callable, int n, ...) {
    pm_object *args[8];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) args[i] = va_arg(ap, pm_object *);
    va_end(ap);
    return pm_call(rt, callable, args, (size_t)n, NULL);
}

static inline pm_object *ou_int(pm_runtime *rt, long v) {
    pm_object *o = pm_int_from_long(rt, v);
    assert_non_null(o);
    return o;
}

static inline pm_object *ou_str(pm_runtime *rt, const char *s) {
    pm_object *o = pm_str_from_cstr(rt, s);
    assert_non_null(o);
    return o;
}

/* Run the python3 script (the prelude is prepended) and compare its output
 * with ours, reporting the first differing line. */
static inline void ou_compare(ou_out *mine, const char *script) {
    size_t n = strlen(OU_PY_PRELUDE) + strlen(script) + 1;
    char *code = malloc(n), *theirs = malloc(OU_CAP);
    snprintf(code, n, "%s%s", OU_PY_PRELUDE, script);
    if (getenv("OU_DUMP")) fputs(mine->buf, stderr);
    assert_int_equal(tu_python(code, theirs, OU_CAP), 0);
    if (strcmp(mine->buf, theirs) != 0) {
        const char *a = mine->buf, *b = theirs, *la = a, *lb = b;
        int line = 1;
        while (*a && *a == *b) {
            if (*a == '\n') la = a + 1, lb = b + 1, line++;
            a++, b++;
        }
        char msg[700];
        snprintf(msg, sizeof msg, "line %d differs:\npymm:    %.300s\npython3: %.300s", line, la, lb);
        free(code);
        free(theirs);
        fail_msg("%s", msg);
    }
    free(code);
    free(theirs);
}
/* ---- fault sweeps with a leak check (tests/fault/'s pattern) -------------
 * One runtime for every run: a clean run first (lazy per-runtime state such
 * as type dicts reaches its steady size), then the allocator's statistics
 * after each faulted run (free lists dropped) must equal those after the
 * clean run.  The workload releases everything it made, success or not. */
typedef struct ou_snap {
    size_t blocks, small_bytes, large_blocks, large_bytes;  /* allocator figures */
} ou_snap;

typedef struct ou_sweep_ctx {
    pm_runtime *rt;                 /* the runtime of every run */
    ou_snap base;                   /* figures after the clean run */
} ou_sweep_ctx;

static inline ou_snap ou_take(pm_runtime *rt) {
    pm_freelists_clear(rt);
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    ou_snap r = {0, s.small_bytes_in_use, s.large_blocks, s.large_bytes};
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) r.blocks += s.size_class[i].blocks_in_use;
    return r;
}

static inline pm_runtime *ou_sweep_begin(void *ctx, long n) {
    (void)n;
    return ((ou_sweep_ctx *)ctx)->rt;
}

static inline void ou_sweep_end(pm_runtime *rt, void *ctx, long n, int rc) {
    ou_sweep_ctx *c = ctx;
    (void)rc;
    pm_gc_collect(rt, 2);
    ou_snap now = ou_take(rt);
    if (now.blocks != c->base.blocks || now.small_bytes != c->base.small_bytes ||
        now.large_blocks != c->base.large_blocks || now.large_bytes != c->base.large_bytes)
        fail_msg("N=%ld: leak: blocks %zu -> %zu, small bytes %zu -> %zu, large %zu -> %zu", n, c->base.blocks,
                 now.blocks, c->base.small_bytes, now.small_bytes, c->base.large_blocks, now.large_blocks);
}

/* Transient and persistent sweeps of work (0 / -1 with an error set). */
static inline void ou_fault_sweep(const char *name, int (*work)(pm_runtime *rt, void *ctx)) {
    for (int persistent = 0; persistent < 2; persistent++) {
        ou_sweep_ctx c = {tu_runtime(), {0, 0, 0, 0}};
        if (work(c.rt, NULL) < 0)
            fail_msg("%s: clean run failed: %s (%s)", name, pm_exc_name(pm_err_kind(c.rt)), pm_err_message(c.rt));
        pm_gc_collect(c.rt, 2);
        c.base = ou_take(c.rt);
        fs_sweep sw = {name, persistent, 0, &c, ou_sweep_begin, work, ou_sweep_end};
        fs_result res = fs_run(&sw);
        assert_true(res.points > 5);
        assert_true(res.failures > 0);
        assert_int_equal(pm_alloc_check(c.rt, NULL), 0);
        pm_runtime_free(c.rt);
    }
}
#endif
