/* float: repr (shortest round-trip, CPython's layout), hash, comparison
 * with ints, arithmetic and the free list, checked against python3. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

#define N 2000

static double rand_double(uint64_t *st, int i) {
    uint64_t bits = tu_rand(st);
    double d;
    switch (i % 4) {
    case 0: memcpy(&d, &bits, sizeof d); break;                       /* any bit pattern */
    case 1: d = (double)(int64_t)(bits % 2000001) / 1000.0 - 1000.0; break;  /* short decimals */
    case 2: d = ldexp((double)(bits >> 11), (int)(bits % 120) - 100); break;  /* around 1e-15..1e21 */
    default: d = (double)(int64_t)(bits % 100000) * pow(10.0, (double)((int)(bits >> 40) % 40 - 20)); break;
    }
    return d;
}

static void test_repr_hash_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    uint64_t st = 7;
    static double vals[N];
    size_t cap = N * 40 + 4096;
    char *code = malloc(cap);
    size_t len = (size_t)snprintf(code, cap, "V=[");
    for (int i = 0; i < N; i++) {
        do vals[i] = rand_double(&st, i); while (isnan(vals[i]));
        len += (size_t)snprintf(code + len, cap - len, "'%a',", vals[i]);
    }
    /* some fixed cases */
    const double fixed[] = {0.0, -0.0, 1.0, 1e16, 1e15, 0.0001, 0.00001, 1.5e300, 0.1 + 0.2, 5e-324,
                            INFINITY, -INFINITY, 123456789.0, 1e22, 2.5, 1e-7, 9007199254740993.0};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        len += (size_t)snprintf(code + len, cap - len, "'%a',", fixed[i]);
    snprintf(code + len, cap - len,
             "]\nfor v in V:\n    f=float.fromhex(v)\n    print(repr(f), hash(f))\n");
    size_t outcap = 1 << 20;
    char *out = malloc(outcap);
    assert_int_equal(tu_python(code, out, outcap), 0);
    pm_runtime *rt = tu_runtime();
    char *line = out;
    size_t total = N + sizeof fixed / sizeof fixed[0];
    for (size_t i = 0; i < total; i++) {
        double d = i < N ? vals[i] : fixed[i - N];
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = 0;
        pm_object *f = pm_float_new(rt, d);
        pm_object *r = pm_repr(rt, f);
        char mine[128];
        snprintf(mine, sizeof mine, "%s %ld", pm_str_as_utf8(rt, r, NULL), (long)pm_hash(rt, f));
        if (strcmp(mine, line) != 0) fail_msg("%a: mine '%s' python '%s'", d, mine, line);
        pm_decref(rt, r);
        pm_decref(rt, f);
        line = nl + 1;
    }
    pm_runtime_free(rt);
    free(code);
    free(out);
}

/* + - * / // % on random pairs (some mixed with ints), against python3. */
/* Powers of two and their neighbours: where the spacing of doubles changes,
 * the shortest repr may be the decimal next to the nearest one. */
static void test_repr_binade_edges_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    const char *code =
        "import math\n"
        "for k in range(-1074, 1024):\n"
        "    x = 2.0 ** k\n"
        "    print(repr(x), repr(math.nextafter(x, 0.0)), repr(math.nextafter(x, math.inf)))\n";
    size_t cap = 1 << 20;
    char *out = malloc(cap);
    assert_int_equal(tu_python(code, out, cap), 0);
    char *line = out;
    for (int k = -1074; k < 1024; k++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = 0;
        double x = ldexp(1.0, k);
        double vals[3] = {x, nextafter(x, 0.0), nextafter(x, INFINITY)};
        char mine[200] = "", b[64];
        for (int j = 0; j < 3; j++) {
            pm_float_format_repr(vals[j], b, sizeof b);
            if (j) strcat(mine, " ");
            strcat(mine, b);
        }
        if (strcmp(mine, line) != 0) fail_msg("2**%d: pymm '%s', python3 '%s'", k, mine, line);
        line = nl + 1;
    }
    free(out);
}

static void test_arith_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    enum { M = 600 };
    uint64_t st = 11;
    static double xs[M], ys[M];
    size_t cap = M * 60 + 1024;
    char *code = malloc(cap);
    size_t len = (size_t)snprintf(code, cap, "P=[");
    for (int i = 0; i < M; i++) {
        do xs[i] = rand_double(&st, i + 1); while (!isfinite(xs[i]));
        do ys[i] = rand_double(&st, i + 2); while (!isfinite(ys[i]) || ys[i] == 0.0);
        if (i % 5 == 0) ys[i] = (double)(int)(tu_rand(&st) % 19) - 9.0;      /* small integral */
        if (ys[i] == 0.0) ys[i] = 3.0;
        len += (size_t)snprintf(code + len, cap - len, "('%a','%a'),", xs[i], ys[i]);
    }
    snprintf(code + len, cap - len,
             "]\nfor a,b in P:\n    x=float.fromhex(a); y=float.fromhex(b)\n"
             "    r=[]\n"
             "    for f in (lambda:x+y, lambda:x-y, lambda:x*y, lambda:x/y, lambda:x//y, lambda:x%%y):\n"
             "        try: r.append(repr(f()))\n"
             "        except OverflowError: r.append('OverflowError')\n"
             "    print(*r)\n");
    size_t outcap = 1 << 20;
    char *out = malloc(outcap);
    assert_int_equal(tu_python(code, out, outcap), 0);
    pm_runtime *rt = tu_runtime();
    char *line = out;
    for (int i = 0; i < M; i++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = 0;
        pm_object *x = pm_float_new(rt, xs[i]), *y = pm_float_new(rt, ys[i]);
        pm_object *r[6] = {pm_float_add(rt, x, y), pm_float_sub(rt, x, y), pm_float_mul(rt, x, y),
                           pm_float_truediv(rt, x, y), pm_float_floordiv(rt, x, y), pm_float_mod(rt, x, y)};
        char mine[512];
        size_t k = 0;
        for (int j = 0; j < 6; j++) {
            char b[64];
            assert_non_null(r[j]);
            pm_float_format_repr(pm_float_value(r[j]), b, sizeof b);
            k += (size_t)snprintf(mine + k, sizeof mine - k, j ? " %s" : "%s", b);
            pm_decref(rt, r[j]);
        }
        if (strcmp(mine, line) != 0) fail_msg("%a, %a:\n mine   %s\n python %s", xs[i], ys[i], mine, line);
        pm_decref(rt, x);
        pm_decref(rt, y);
        line = nl + 1;
    }
    pm_runtime_free(rt);
    free(code);
    free(out);
}

static void test_int_float_interplay(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *two = pm_int_from_long(rt, 2), *ftwo = pm_float_new(rt, 2.0);
    assert_int_equal(pm_hash(rt, two), pm_hash(rt, ftwo));
    assert_int_equal(pm_equal(rt, two, ftwo), 1);
    assert_int_equal(pm_equal(rt, ftwo, two), 1);
    /* 2**53 + 1 is not equal to float(2**53 + 1) == 2**53 */
    pm_object *big = pm_int_from_longlong(rt, 9007199254740993LL), *fb = pm_float_new(rt, 9007199254740992.0);
    assert_int_equal(pm_equal(rt, big, fb), 0);
    assert_int_equal(pm_richcompare_bool(rt, fb, big, PM_LT), 1);
    assert_int_equal(pm_richcompare_bool(rt, big, fb, PM_GT), 1);
    pm_object *nan = pm_float_new(rt, NAN);
    assert_int_equal(pm_equal(rt, nan, nan), 1);        /* identity shortcut, as CPython's containers */
    assert_int_equal(pm_richcompare_bool(rt, nan, two, PM_EQ), 0);
    assert_int_equal(pm_richcompare_bool(rt, nan, two, PM_NE), 1);
    pm_object *m7 = pm_float_new(rt, -7.0);
    pm_object *fl = pm_float_floordiv(rt, m7, two), *mo = pm_float_mod(rt, m7, two);
    assert_true(pm_float_value(fl) == -4.0);
    assert_true(pm_float_value(mo) == 1.0);
    pm_object *zero = pm_float_new(rt, 0.0);
    assert_null(pm_float_truediv(rt, two, zero));
    assert_string_equal(pm_err_message(rt), "float division by zero");
    pm_err_clear(rt);
    assert_null(pm_float_mod(rt, two, zero));
    assert_string_equal(pm_err_message(rt), "float modulo");
    pm_err_clear(rt);
    for (pm_object **p = (pm_object *[]){two, ftwo, big, fb, nan, m7, fl, mo, zero, NULL}; *p; p++)
        pm_decref(rt, *p);
    pm_freelists_clear(rt);
    pm_runtime_free(rt);
}

/* Dropped floats go to a free list of at most 100 and come back from it. */
static void test_free_list(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_alloc_stats s0, s1;
    pm_alloc_stats_get(rt, &s0);
    pm_object *fs[300];
    for (int i = 0; i < 300; i++) fs[i] = pm_float_new(rt, i);
    for (int i = 0; i < 300; i++) pm_decref(rt, fs[i]);
    assert_int_equal(rt->freelists.float_numfree, 100);
    pm_object *again = pm_float_new(rt, 1.5);
    assert_ptr_equal(again, fs[99]);                   /* the last one pushed (the list was full after fs[99]) */
    assert_int_equal(rt->freelists.float_numfree, 99);
    pm_decref(rt, again);
    assert_int_equal(pm_freelists_clear(rt), 100);
    pm_alloc_stats_get(rt, &s1);
    assert_int_equal(s1.small_bytes_in_use, s0.small_bytes_in_use);
    /* the runtime frees a non-empty free list */
    for (int i = 0; i < 50; i++) pm_decref(rt, pm_float_new(rt, i));
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repr_hash_vs_python),
        cmocka_unit_test(test_repr_binade_edges_vs_python),
        cmocka_unit_test(test_arith_vs_python),
        cmocka_unit_test(test_int_float_interplay),
        cmocka_unit_test(test_free_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
