/* int: arbitrary-precision arithmetic, hash, repr, conversions and the
 * small-int cache, checked against python3 on random operands. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

#define NPAIRS 300

static char *utf8(pm_runtime *rt, pm_object *o) {
    pm_object *r = pm_repr(rt, o);
    assert_non_null(r);
    pm_ssize_t n;
    const char *s = pm_str_as_utf8(rt, r, &n);
    char *copy = malloc((size_t)n + 1);
    memcpy(copy, s, (size_t)n + 1);
    pm_decref(rt, r);
    return copy;
}

/* Random decimal of 1..max_digits digits, random sign. */
static void rand_decimal(uint64_t *st, char *buf, int max_digits) {
    int n = 1 + (int)(tu_rand(st) % (uint64_t)max_digits);
    int k = 0;
    if (tu_rand(st) & 1) buf[k++] = '-';
    for (int i = 0; i < n; i++) buf[k++] = (char)('0' + (i == 0 && n > 1 ? 1 + tu_rand(st) % 9 : tu_rand(st) % 10));
    buf[k] = 0;
}

static void test_arith_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    uint64_t st = 42;
    static char a[NPAIRS][128], b[NPAIRS][128];
    size_t codecap = NPAIRS * 300 + 1000;
    char *code = malloc(codecap);
    size_t len = (size_t)snprintf(code, codecap, "import sys\nP=[");
    for (int i = 0; i < NPAIRS; i++) {
        /* mix sizes: small, word-sized, multi-digit */
        int maxd = i % 3 == 0 ? 4 : i % 3 == 1 ? 19 : 120;
        rand_decimal(&st, a[i], maxd);
        rand_decimal(&st, b[i], i % 5 == 0 ? 3 : maxd);
        if (strcmp(b[i], "0") == 0 || strcmp(b[i], "-0") == 0) strcpy(b[i], "7");
        len += (size_t)snprintf(code + len, codecap - len, "(%s,%s),", a[i], b[i]);
    }
    snprintf(code + len, codecap - len,
             "]\nfor a,b in P:\n"
             "    print(a+b, a-b, a*b, a//b, a%%b, -a, hash(a), abs(b), repr(float(a)),"
             " a&b, a|b, a^b, ~a, a<<(abs(b)%%100), a>>(abs(b)%%70), a**(abs(b)%%7), repr(a/b))\n");
    size_t outcap = 1 << 23;
    char *out = malloc(outcap);
    assert_int_equal(tu_python(code, out, outcap), 0);

    pm_runtime *rt = tu_runtime();
    char *line = out;
    for (int i = 0; i < NPAIRS; i++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = 0;
        pm_object *x = pm_int_from_string(rt, a[i], -1, 10);
        pm_object *y = pm_int_from_string(rt, b[i], -1, 10);
        assert_non_null(x);
        assert_non_null(y);
        pm_object *r[6] = {pm_int_add(rt, x, y), pm_int_sub(rt, x, y), pm_int_mul(rt, x, y),
                           pm_int_floordiv(rt, x, y), pm_int_mod(rt, x, y), pm_int_neg(rt, x)};
        char mine[16384];
        size_t k = 0;
        for (int j = 0; j < 6; j++) {
            assert_non_null(r[j]);
            char *s = utf8(rt, r[j]);
            k += (size_t)snprintf(mine + k, sizeof mine - k, "%s ", s);
            free(s);
            pm_decref(rt, r[j]);
        }
        k += (size_t)snprintf(mine + k, sizeof mine - k, "%ld ", (long)pm_hash(rt, x));
        pm_object *ab = pm_int_abs(rt, y);
        char *s = utf8(rt, ab);
        k += (size_t)snprintf(mine + k, sizeof mine - k, "%s ", s);
        free(s);
        pm_decref(rt, ab);
        double d = pm_int_as_double(rt, x);
        char fb[64];
        pm_float_format_repr(d, fb, sizeof fb);
        k += (size_t)snprintf(mine + k, sizeof mine - k, "%s", fb);
        pm_object *c100 = pm_int_from_long(rt, 100), *c70 = pm_int_from_long(rt, 70), *c7 = pm_int_from_long(rt, 7);
        pm_object *aby = pm_int_abs(rt, y);
        pm_object *s100 = pm_int_mod(rt, aby, c100), *s70 = pm_int_mod(rt, aby, c70), *s7 = pm_int_mod(rt, aby, c7);
        pm_object *r2[8] = {pm_int_and(rt, x, y), pm_int_or(rt, x, y), pm_int_xor(rt, x, y), pm_int_invert(rt, x),
                            pm_int_lshift(rt, x, s100), pm_int_rshift(rt, x, s70), pm_int_pow(rt, x, s7),
                            pm_int_truediv(rt, x, y)};
        for (int j = 0; j < 8; j++) {
            assert_non_null(r2[j]);
            char *t = utf8(rt, r2[j]);
            k += (size_t)snprintf(mine + k, sizeof mine - k, " %s", t);
            free(t);
            pm_decref(rt, r2[j]);
        }
        for (pm_object **q = (pm_object *[]){c100, c70, c7, aby, s100, s70, s7, NULL}; *q; q++) pm_decref(rt, *q);
        if (strcmp(mine, line) != 0) fail_msg("a=%s b=%s\n mine:   %s\n python: %s", a[i], b[i], mine, line);
        pm_decref(rt, x);
        pm_decref(rt, y);
        line = nl + 1;
    }
    pm_runtime_free(rt);
    free(code);
    free(out);
}

static void test_conversions(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *o = pm_int_from_longlong(rt, LLONG_MIN);
    assert_int_equal(pm_int_as_longlong(rt, o), LLONG_MIN);
    char *s = utf8(rt, o);
    assert_string_equal(s, "-9223372036854775808");
    free(s);
    pm_object *one = pm_int_from_long(rt, 1), *m = pm_int_sub(rt, o, one);
    assert_int_equal(pm_int_as_longlong(rt, m), -1);
    assert_int_equal(pm_err_kind(rt), PM_EXC_OverflowError);
    assert_string_equal(pm_err_message(rt), "Python int too large to convert to C long");
    pm_err_clear(rt);
    pm_decref(rt, m);
    pm_decref(rt, o);
    o = pm_int_from_ulonglong(rt, ULLONG_MAX);
    s = utf8(rt, o);
    assert_string_equal(s, "18446744073709551615");
    free(s);
    pm_decref(rt, o);
    o = pm_int_from_double(rt, -1e300);
    s = utf8(rt, o);
    assert_memory_equal(s, "-100000000000000005250476025520442024870446858110815", 50);
    free(s);
    assert_true(pm_int_as_double(rt, o) == -1e300);
    pm_decref(rt, o);
    assert_null(pm_int_from_double(rt, NAN));
    assert_int_equal(pm_err_kind(rt), PM_EXC_ValueError);
    assert_null(pm_int_from_double(rt, INFINITY));
    assert_int_equal(pm_err_kind(rt), PM_EXC_OverflowError);
    pm_err_clear(rt);
    o = pm_int_from_double(rt, 2.9);
    assert_int_equal(pm_int_as_long(rt, o), 2);
    /* huge -> float overflows */
    pm_object *big = pm_int_from_string(rt, "1", -1, 10);
    for (int i = 0; i < 11; i++) {
        pm_object *sq = pm_int_mul(rt, big, big);
        pm_decref(rt, big);
        big = sq;
    }
    pm_object *b2 = pm_int_mul(rt, big, pm_int_from_long(rt, 256));
    pm_decref(rt, big);
    big = b2;
    pm_object *sq = pm_int_from_string(rt, "1" "0000000000" "0000000000" "0000000000", -1, 10);
    for (int i = 0; i < 6; i++) {
        pm_object *t = pm_int_mul(rt, sq, sq);
        pm_decref(rt, sq);
        sq = t;
    }
    assert_true(pm_int_as_double(rt, sq) == -1.0);
    assert_int_equal(pm_err_kind(rt), PM_EXC_OverflowError);
    assert_string_equal(pm_err_message(rt), "int too large to convert to float");
    pm_err_clear(rt);
    pm_decref(rt, sq);
    pm_decref(rt, big);
    pm_decref(rt, o);
    pm_decref(rt, one);
    pm_runtime_free(rt);
}

/* True division near the float range's edges, against python3. */
static void test_truediv_edges(void **state) {
    (void)state;
    tu_need_python3();
    const char *code =
        "import random\nrandom.seed(3)\n"
        "P=[(random.getrandbits(random.randrange(1,200)) or 1, random.getrandbits(random.randrange(900,1300)) or 1)"
        " for i in range(200)]\n"
        "P+=[(1,2**1074),(3,2**1075),(1,2**1075),(2**1075+1,2**2150),(2**1024,3),(7,2**1076),(2**1100,3),(-(2**1030),2**6)]\n"
        "for a,b in P:\n"
        "    try: r=repr(a/b)\n"
        "    except OverflowError: r='OverflowError'\n"
        "    print(a,b,r)\n";
    static char big[1 << 18];
    assert_int_equal(tu_python(code, big, sizeof big), 0);
    pm_runtime *rt = tu_runtime();
    char *line = big;
    while (*line) {
        char *nl = strchr(line, '\n');
        *nl = 0;
        char *sp1 = strchr(line, ' '), *sp2 = strchr(sp1 + 1, ' ');
        pm_object *a = pm_int_from_string(rt, line, sp1 - line, 10);
        pm_object *b = pm_int_from_string(rt, sp1 + 1, sp2 - sp1 - 1, 10);
        assert_non_null(a);
        assert_non_null(b);
        pm_object *q = pm_int_truediv(rt, a, b);
        char mine[64];
        if (q) {
            pm_float_format_repr(pm_float_value(q), mine, sizeof mine);
            pm_decref(rt, q);
        } else {
            snprintf(mine, sizeof mine, "%s", pm_exc_name(pm_err_kind(rt)));
            pm_err_clear(rt);
        }
        if (strcmp(mine, sp2 + 1) != 0) fail_msg("%.60s...: mine %s python %s", line, mine, sp2 + 1);
        pm_decref(rt, a);
        pm_decref(rt, b);
        line = nl + 1;
    }
    pm_runtime_free(rt);
}

static void test_parse(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    struct { const char *s; int base; const char *expect; } ok[] = {
        {"  42  ", 10, "42"}, {"-0", 10, "0"}, {"1_000_000", 10, "1000000"},
        {"0x_ff", 0, "255"}, {"0b101", 0, "5"}, {"0o17", 0, "15"}, {"ff", 16, "255"},
        {"zz", 36, "1295"}, {"000", 0, "0"}, {"+7", 10, "7"},
        {"123456789012345678901234567890", 10, "123456789012345678901234567890"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        pm_object *o = pm_int_from_string(rt, ok[i].s, -1, ok[i].base);
        assert_non_null(o);
        char *s = utf8(rt, o);
        assert_string_equal(s, ok[i].expect);
        free(s);
        pm_decref(rt, o);
    }
    const char *bad[] = {"", " ", "1__0", "_1", "1_", "12a", "0x", "--1", "010"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(pm_int_from_string(rt, bad[i], -1, i == 8 ? 0 : 10));
        assert_int_equal(pm_err_kind(rt), PM_EXC_ValueError);
        pm_err_clear(rt);
    }
    assert_null(pm_int_from_string(rt, "abc", -1, 10));
    assert_string_equal(pm_err_message(rt), "invalid literal for int() with base 10: 'abc'");
    pm_err_clear(rt);
    assert_null(pm_int_from_string(rt, "12x", -1, 0));
    assert_string_equal(pm_err_message(rt), "invalid literal for int() with base 0: '12x'");
    pm_err_clear(rt);
    pm_object *z = pm_int_from_long(rt, 0), *one = pm_int_from_long(rt, 1);
    assert_null(pm_int_floordiv(rt, one, z));
    assert_int_equal(pm_err_kind(rt), PM_EXC_ZeroDivisionError);
    assert_string_equal(pm_err_message(rt), "integer division or modulo by zero");
    pm_err_clear(rt);
    assert_null(pm_int_add(rt, one, PM_NONE));
    assert_int_equal(pm_err_kind(rt), PM_EXC_TypeError);
    pm_err_clear(rt);
    pm_runtime_free(rt);
}

/* Every result in -5..256 is the cached object; bools act as ints. */
static void test_small_cache(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *big = pm_int_from_string(rt, "100000000000000000000000", -1, 10);
    pm_object *big2 = pm_int_from_string(rt, "99999999999999999999999", -1, 10);
    pm_object *d = pm_int_sub(rt, big, big2);
    pm_object *one = pm_int_from_long(rt, 1);
    assert_ptr_equal(d, one);
    pm_object *q = pm_int_floordiv(rt, big, big2);
    assert_ptr_equal(q, one);
    pm_object *t = pm_int_add(rt, PM_TRUE, PM_TRUE), *two = pm_int_from_long(rt, 2);
    assert_ptr_equal(t, two);
    assert_true(pm_is_immortal(one));
    assert_int_equal(pm_equal(rt, PM_TRUE, one), 1);
    assert_int_equal(pm_hash(rt, PM_TRUE), 1);
    pm_object *r = pm_repr(rt, PM_FALSE);
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), "False");
    pm_decref(rt, r);
    for (pm_object **p = (pm_object *[]){big, big2, d, one, q, t, two, NULL}; *p; p++) pm_decref(rt, *p);
    /* the runtime takes no pool block for its caches */
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    assert_int_equal(s.small_bytes_in_use, 0);
    pm_runtime_free(rt);
}

/* CPython's message for a size too large: PyLong_AsSsize_t's. */
static void test_as_ssize_overflow_message(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *big = pm_int_from_string(rt, "1180591620717411303424", -1, 10); /* 2**70 */
    assert_non_null(big);
    assert_int_equal(pm_int_as_ssize(rt, big), -1);
    assert_int_equal(pm_err_kind(rt), PM_EXC_OverflowError);
    assert_string_equal(pm_err_message(rt), "Python int too large to convert to C ssize_t");
    pm_err_clear(rt);
    pm_decref(rt, big);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_ssize_overflow_message),
        cmocka_unit_test(test_arith_vs_python),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_truediv_edges),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_small_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
