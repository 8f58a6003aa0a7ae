/* list.sort() is CPython 3.11's timsort: every `<` call, in order, checked
 * against python3 sorting objects whose __lt__ logs (issue 11, "numbers").
 *
 * The C side sorts objects of a test type whose `<` appends "i<j" (their
 * ids) to a log; python3 sorts objects of a class whose __lt__ does the
 * same.  Each generated case (sizes 0..2000: random with many or few
 * duplicates, ascending and descending runs, nearly sorted, all equal) is
 * run plain, reversed, with a key function (which logs "k<id>" too), with a
 * comparison that raises at call k (then the list order after the failure
 * must match too), and with a comparison that appends to the list. */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

/* ---- a logging, comparable test type ------------------------------------ */

typedef struct lobj {
    pm_object ob_base;
    long v;                 /* compared value */
    long id;                /* logged name */
} lobj;

/* What a sort writes, and when its comparison misbehaves. */
typedef struct sortlog {
    char *buf;              /* the log (malloc'd) */
    size_t len, cap;        /* used / allocated */
    long ncmp;              /* comparisons so far */
    long fail_at;           /* raise at this comparison (0: never) */
    long mutate_at;         /* append to `list` at this comparison (0: never) */
    pm_object *list;        /* the list being sorted */
} sortlog;

static sortlog g_log;       /* test-side state (the library has none) */

static void log_put(const char *s) {
    size_t n = strlen(s);
    if (g_log.len + n + 1 > g_log.cap) {
        g_log.cap = (g_log.len + n + 1) * 2;
        g_log.buf = realloc(g_log.buf, g_log.cap);
        assert_non_null(g_log.buf);
    }
    memcpy(g_log.buf + g_log.len, s, n + 1);
    g_log.len += n;
}

static const pm_type lobj_type;

static pm_object *lobj_new(pm_runtime *rt, long v, long id) {
    pm_object *o = pmi_object_new(rt, &lobj_type);
    if (!o) return NULL;
    ((lobj *)o)->v = v;
    ((lobj *)o)->id = id;
    return o;
}

static pm_object *lobj_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (op != PM_LT || b->ob_type != &lobj_type) return pm_newref(rt, PM_NOTIMPLEMENTED);
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s%ld<%ld", g_log.len ? "," : "", ((lobj *)a)->id, ((lobj *)b)->id);
    log_put(tmp);
    g_log.ncmp++;
    if (g_log.ncmp == g_log.fail_at) {
        pm_err_set(rt, PM_EXC_RuntimeError, "boom");
        return NULL;
    }
    if (g_log.ncmp == g_log.mutate_at) {
        pm_object *x = lobj_new(rt, -1, -1);
        if (!x) return NULL;
        int r = pm_list_append(rt, g_log.list, x);
        pm_decref(rt, x);
        if (r < 0) return NULL;
    }
    return pm_newref(rt, ((lobj *)a)->v < ((lobj *)b)->v ? PM_TRUE : PM_FALSE);
}

static const pm_type lobj_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "L",
    .basicsize = sizeof(lobj),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .dealloc = pmi_object_free,
    .richcompare = lobj_richcompare,
};

/* key=lambda o: L(o.v // 3, o.id), logging "k<id>". */
static pm_object *key_div3(pm_runtime *rt, pm_object *item, void *ctx) {
    (void)ctx;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%sk%ld", g_log.len ? "," : "", ((lobj *)item)->id);
    log_put(tmp);
    return lobj_new(rt, ((lobj *)item)->v / 3, ((lobj *)item)->id);
}

/* A key function that fails at the 5th item. */
static pm_object *key_fail(pm_runtime *rt, pm_object *item, void *ctx) {
    long *calls = ctx;
    if (++*calls == 5) {
        pm_err_set(rt, PM_EXC_RuntimeError, "key");
        return NULL;
    }
    return pm_newref(rt, item);
}

/* ---- cases -------------------------------------------------------------- */

typedef struct sortcase {
    long n;                 /* items */
    long *v;                /* values (malloc'd) */
    int reverse, key;       /* variant */
    long fail_at, mutate_at;
} sortcase;

static void gen_values(uint64_t *st, sortcase *c) {
    long n = c->n;
    c->v = malloc(sizeof(long) * (size_t)(n ? n : 1));
    assert_non_null(c->v);
    int shape = (int)(tu_rand(st) % 7);
    long range = shape == 1 ? 5 : (long)(n ? n : 1);
    long i = 0;
    switch (shape) {
    case 0: case 1:                         /* random, few or many duplicates */
        for (i = 0; i < n; i++) c->v[i] = (long)(tu_rand(st) % (uint64_t)range);
        break;
    case 2: case 3:                         /* ascending / descending runs */
        while (i < n) {
            long len = 1 + (long)(tu_rand(st) % 200), base = (long)(tu_rand(st) % 1000);
            for (long j = 0; j < len && i < n; j++, i++) {
                long step = (long)(tu_rand(st) % 3);
                base += shape == 2 ? step : -step;
                c->v[i] = base + 1000;
            }
        }
        break;
    case 4: case 5:                         /* sorted (or reversed) with a few swaps */
        for (i = 0; i < n; i++) c->v[i] = shape == 4 ? i / 2 : n - i / 2;
        for (int s = 0; n > 1 && s < 5; s++) {
            long a = (long)(tu_rand(st) % (uint64_t)n), b = (long)(tu_rand(st) % (uint64_t)n);
            long t = c->v[a];
            c->v[a] = c->v[b];
            c->v[b] = t;
        }
        break;
    default:                                /* all equal */
        for (i = 0; i < n; i++) c->v[i] = 7;
        break;
    }
}

/* Run one case in pymm: "log|ids after|exception" into *out (malloc'd). */
static char *run_case(pm_runtime *rt, const sortcase *c) {
    pm_object *list = pm_list_new(rt);
    assert_non_null(list);
    for (long i = 0; i < c->n; i++) {
        pm_object *o = lobj_new(rt, c->v[i], i);
        assert_non_null(o);
        assert_int_equal(pm_list_append(rt, list, o), 0);
        pm_decref(rt, o);
    }
    g_log.len = 0;
    g_log.ncmp = 0;
    g_log.fail_at = c->fail_at;
    g_log.mutate_at = c->mutate_at;
    g_log.list = list;
    log_put("");
    int r = pm_list_sort_key(rt, list, c->key ? key_div3 : NULL, NULL, c->reverse);
    const char *exc = "";
    if (r < 0) {
        exc = pm_err_kind(rt) == PM_EXC_ValueError ? "ValueError: list modified during sort"
                                                    : "RuntimeError";
        if (pm_err_kind(rt) == PM_EXC_ValueError)
            assert_string_equal(pm_err_message(rt), "list modified during sort");
        else
            assert_int_equal(pm_err_kind(rt), PM_EXC_RuntimeError);
        pm_err_clear(rt);
    }
    assert_int_equal(pm_list_size(list), c->n);
    char tmp[64];
    log_put("|");
    for (long i = 0; i < c->n; i++) {
        snprintf(tmp, sizeof tmp, "%s%ld", i ? "," : "", ((lobj *)pm_list_get(rt, list, i))->id);
        log_put(tmp);
    }
    log_put("|");
    log_put(exc);
    pm_decref(rt, list);
    return strdup(g_log.buf);
}

static const char py_prelude[] =
    "import sys\n"
    "log = []\n"
    "class L:\n"
    "    __slots__ = ('v', 'i')\n"
    "    def __init__(s, v, i): s.v = v; s.i = i\n"
    "    def __lt__(s, o):\n"
    "        global ncmp\n"
    "        log.append('%d<%d' % (s.i, o.i))\n"
    "        ncmp += 1\n"
    "        if ncmp == FAIL: raise RuntimeError\n"
    "        if ncmp == MUT: lst.append(L(-1, -1))\n"
    "        return s.v < o.v\n"
    "def key(o):\n"
    "    log.append('k%d' % o.i)\n"
    "    return L(o.v // 3, o.i)\n"
    "out = sys.stdout.write\n"
    "for vals, rev, usekey, FAIL, MUT in CASES:\n"
    "    log = []\n"
    "    ncmp = 0\n"
    "    lst = [L(v, i) for i, v in enumerate(vals)]\n"
    "    exc = ''\n"
    "    try:\n"
    "        if usekey: lst.sort(key=key, reverse=bool(rev))\n"
    "        else: lst.sort(reverse=bool(rev))\n"
    "    except ValueError as e: exc = 'ValueError: ' + str(e)\n"
    "    except RuntimeError: exc = 'RuntimeError'\n"
    "    out(','.join(log) + '|' + ','.join(str(o.i) for o in lst) + '|' + exc + '\\n')\n";

/* Append to a growing string. */
typedef struct sbuf { char *p; size_t len, cap; } sbuf;
static void sb_put(sbuf *b, const char *s) {
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

/* Run a batch of cases in pymm and in python3 and compare line by line. */
static void check_cases(sortcase *cases, int ncases) {
    pm_runtime *rt = tu_runtime();
    sbuf script = {0};
    sb_put(&script, "CASES = [\n");
    char tmp[128];
    for (int k = 0; k < ncases; k++) {
        sb_put(&script, "([");
        for (long i = 0; i < cases[k].n; i++) {
            snprintf(tmp, sizeof tmp, "%ld,", cases[k].v[i]);
            sb_put(&script, tmp);
        }
        snprintf(tmp, sizeof tmp, "], %d, %d, %ld, %ld),\n", cases[k].reverse, cases[k].key,
                 cases[k].fail_at ? cases[k].fail_at : -1, cases[k].mutate_at ? cases[k].mutate_at : -1);
        sb_put(&script, tmp);
    }
    sb_put(&script, "]\n");
    sb_put(&script, py_prelude);
    size_t cap = 64u << 20;
    char *expect = malloc(cap);
    assert_non_null(expect);
    int st = tu_python(script.p, expect, cap);
    if (st != 0) fail_msg("python3 could not be run (status %d)", st);
    char *line = expect;
    for (int k = 0; k < ncases; k++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = 0;
        char *got = run_case(rt, &cases[k]);
        if (strcmp(got, line) != 0) {
            size_t d = 0;
            while (got[d] && got[d] == line[d]) d++;
            fail_msg("case %d (n=%ld rev=%d key=%d fail=%ld mut=%ld) differs at byte %zu:\n"
                     "  pymm:    ...%.120s\n  python3: ...%.120s", k, cases[k].n, cases[k].reverse,
                     cases[k].key, cases[k].fail_at, cases[k].mutate_at, d,
                     got + (d > 40 ? d - 40 : 0), line + (d > 40 ? d - 40 : 0));
        }
        free(got);
        line = nl + 1;
    }
    free(expect);
    free(script.p);
    pm_runtime_free(rt);
}

static void free_cases(sortcase *cases, int n) {
    for (int k = 0; k < n; k++) free(cases[k].v);
    free(cases);
}

static const long fixed_sizes[] = {0, 1, 2, 3, 5, 31, 63, 64, 65, 127, 128, 129, 255, 256, 257,
                                   1000, 2000};

/* Plain and reversed sorts: byte-identical comparison logs and results. */
static void test_sort_logs_match_python(void **state) {
    (void)state;
    int nfixed = (int)(sizeof fixed_sizes / sizeof fixed_sizes[0]);
    int n = nfixed * 2 + 60;
    sortcase *cases = calloc((size_t)n, sizeof *cases);
    uint64_t st = 20261204;
    for (int k = 0; k < n; k++) {
        cases[k].n = k < nfixed * 2 ? fixed_sizes[k / 2] : (long)(tu_rand(&st) % 2001);
        cases[k].reverse = k & 1;
        gen_values(&st, &cases[k]);
    }
    check_cases(cases, n);
    free_cases(cases, n);
}

/* key= (keys computed first, each call logged) with and without reverse. */
static void test_sort_key_logs_match_python(void **state) {
    (void)state;
    int n = 40;
    sortcase *cases = calloc((size_t)n, sizeof *cases);
    uint64_t st = 77;
    for (int k = 0; k < n; k++) {
        cases[k].n = k < 4 ? k : (long)(tu_rand(&st) % 2001);
        cases[k].reverse = k & 1;
        cases[k].key = 1;
        gen_values(&st, &cases[k]);
    }
    check_cases(cases, n);
    free_cases(cases, n);
}

/* A comparison raising at call k: the same log up to it, and the list left
 * in the same order (a permutation of its items) as CPython leaves it; a
 * comparison that appends to the list: ValueError after a full sort. */
static void test_sort_errors_match_python(void **state) {
    (void)state;
    int n = 60;
    sortcase *cases = calloc((size_t)n, sizeof *cases);
    uint64_t st = 4242;
    for (int k = 0; k < n; k++) {
        cases[k].n = 2 + (long)(tu_rand(&st) % 600);
        cases[k].reverse = (k >> 1) & 1;
        cases[k].key = (k >> 2) & 1;
        long at = 1 + (long)(tu_rand(&st) % (uint64_t)(cases[k].n * 4));
        if (k & 1) cases[k].mutate_at = at < cases[k].n - 1 ? at : 1;
        else cases[k].fail_at = at;
        gen_values(&st, &cases[k]);
    }
    check_cases(cases, n);
    free_cases(cases, n);
}

/* A failing key function leaves the list untouched; ints and strs sort. */
static void test_sort_key_failure_and_builtins(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *list = pm_list_new(rt);
    for (long i = 0; i < 20; i++) {
        pm_object *o = pm_int_from_long(rt, (i * 7) % 20);
        pm_list_append(rt, list, o);
        pm_decref(rt, o);
    }
    long calls = 0;
    assert_int_equal(pm_list_sort_key(rt, list, key_fail, &calls, 0), -1);
    assert_int_equal(pm_err_kind(rt), PM_EXC_RuntimeError);
    pm_err_clear(rt);
    for (long i = 0; i < 20; i++) assert_int_equal(pm_int_as_long(rt, pm_list_get(rt, list, i)), (i * 7) % 20);
    assert_int_equal(pm_list_sort(rt, list, 1), 0);
    for (long i = 0; i < 20; i++) assert_int_equal(pm_int_as_long(rt, pm_list_get(rt, list, i)), 19 - i);
    /* Mixed types: TypeError, the list keeps its items. */
    pm_object *s = pm_str_from_cstr(rt, "x");
    pm_list_append(rt, list, s);
    pm_decref(rt, s);
    assert_int_equal(pm_list_sort(rt, list, 0), -1);
    assert_int_equal(pm_err_kind(rt), PM_EXC_TypeError);
    pm_err_clear(rt);
    assert_int_equal(pm_list_size(list), 21);
    pm_decref(rt, list);
    pm_runtime_free(rt);
}

/* Every allocation of a sort that needs a big merge buffer and keys can
 * fail: MemoryError, the list a permutation, nothing leaked. */
static void test_sort_fault_injection(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    g_log.fail_at = g_log.mutate_at = 0;
    for (long nth = 1;; nth++) {
        pm_object *list = pm_list_new(rt);
        uint64_t st = 5;
        for (long i = 0; i < 600; i++) {
            pm_object *o = lobj_new(rt, (long)(tu_rand(&st) % 100), i);
            pm_list_append(rt, list, o);
            pm_decref(rt, o);
        }
        g_log.len = 0;
        g_log.list = list;
        log_put("");
        pm_fault_inject(rt, nth, 0);
        int r = pm_list_sort_key(rt, list, key_div3, NULL, (int)(nth & 1));
        long fired = pm_fault_fired(rt);
        pm_fault_inject(rt, 0, 0);
        assert_int_equal(pm_list_size(list), 600);
        char *seen = calloc(600, 1);
        for (long i = 0; i < 600; i++) {
            long id = ((lobj *)pm_list_get(rt, list, i))->id;
            assert_false(seen[id]);
            seen[id] = 1;
        }
        free(seen);
        pm_decref(rt, list);
        if (!fired) {
            assert_int_equal(r, 0);
            break;
        }
        assert_int_equal(r, -1);
        assert_int_equal(pm_err_kind(rt), PM_EXC_MemoryError);
        pm_err_clear(rt);
    }
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_logs_match_python),
        cmocka_unit_test(test_sort_key_logs_match_python),
        cmocka_unit_test(test_sort_errors_match_python),
        cmocka_unit_test(test_sort_key_failure_and_builtins),
        cmocka_unit_test(test_sort_fault_injection),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    free(g_log.buf);
    return r;
}
