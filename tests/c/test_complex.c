/* complex and float ** (issue 11, "numbers"), differentially against
 * python3: repr, hash, ==, + - * / **, abs, negation, conjugate, getsizeof
 * over every pair of parts from a value set with signed zeros, infinities,
 * NaN, tiny and huge numbers; and float ** over every pair of floats and
 * some ints (pow(-8, 1/3) is complex).  Each result, or the exception's
 * "Name: message", is compared as text. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

/* The parts: C literals here, the same literals in Python. */
static const char *const vtext[] = {
    "0.0", "-0.0", "1.0", "-1.0", "2.0", "0.5", "-2.5", "3.0", "1e-300", "1e300",
    "1e308", "1e16", "1e-07", "0.1", "100.0", "inf", "-inf", "nan",
};
#define NV ((int)(sizeof vtext / sizeof vtext[0]))

static double vval(int i) {
    if (!strcmp(vtext[i], "inf")) return INFINITY;
    if (!strcmp(vtext[i], "-inf")) return -INFINITY;
    if (!strcmp(vtext[i], "nan")) return NAN;
    return strtod(vtext[i], NULL);
}

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

/* Append the repr of r (stolen), or "Name: message" and clear the error. */
static void put_result(pm_runtime *rt, sbuf *out, pm_object *r) {
    if (!r) {
        assert_int_not_equal(pm_err_kind(rt), PM_EXC_NONE);
        sb_put(out, pm_exc_name(pm_err_kind(rt)));
        sb_put(out, ": ");
        sb_put(out, pm_err_message(rt));
        pm_err_clear(rt);
    } else {
        pm_object *s = pm_repr(rt, r);
        assert_non_null(s);
        sb_put(out, pm_str_as_utf8(rt, s, NULL));
        pm_decref(rt, s);
        pm_decref(rt, r);
    }
}

static const char py_values[] =
    "import sys\n"
    "inf = float('inf'); nan = float('nan')\n"
    "def r(f):\n"
    "    try: return repr(f())\n"
    "    except Exception as e: return type(e).__name__ + ': ' + str(e)\n"
    "out = []\n";

static void compare_lines(const char *what, const char *got, const char *expect) {
    if (strcmp(got, expect) == 0) return;
    const char *g = got, *e = expect;
    int line = 1;
    while (*g && *g == *e) {
        if (*g == '\n') line++;
        g++, e++;
    }
    const char *gl = g, *el = e;
    while (gl > got && gl[-1] != '\n') gl--;
    while (el > expect && el[-1] != '\n') el--;
    fail_msg("%s: line %d differs\n  pymm:    %.200s\n  python3: %.200s", what, line, gl, el);
}

static char *run_python(const char *script) {
    size_t cap = 32u << 20;
    char *buf = malloc(cap);
    assert_non_null(buf);
    int st = tu_python(script, buf, cap);
    if (st != 0) fail_msg("python3 could not be run (status %d)", st);
    return buf;
}

static void sb_values_list(sbuf *py) {
    sb_put(py, "V = [");
    for (int i = 0; i < NV; i++) {
        sb_put(py, vtext[i]);
        sb_put(py, ",");
    }
    sb_put(py, "]\nC = [complex(a, b) for a in V for b in V]\n");
}

/* repr, hash, abs, -z, conjugate, bool, == with its real part as float and
 * (when integral) as int, and getsizeof, for every z. */
static void test_unary(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    sbuf py = {0}, got = {0};
    sb_put(&py, py_values);
    sb_values_list(&py);
    sb_put(&py,
           "for z in C:\n"
           "    h = '-' if z != z else str(hash(z))\n"
           "    ri = int(z.real) if z.real == z.real and abs(z.real) != inf else None\n"
           "    eqi = '-' if ri is None else repr(z == ri) + repr(ri == z) + repr(z != ri)\n"
           "    out.append(' '.join([repr(z), str(z), h, r(lambda: abs(z)), repr(-z), repr(z.conjugate()),\n"
           "        repr(bool(z)), repr(z == z.real), repr(z.real == z), repr(z != z.real), eqi,\n"
           "        str(sys.getsizeof(z))]))\n"
           "sys.stdout.write('\\n'.join(out) + '\\n')\n");
    char *expect = run_python(py.p);
    char tmp[64];
    for (int i = 0; i < NV; i++) {
        for (int j = 0; j < NV; j++) {
            double re = vval(i), im = vval(j);
            pm_object *z = pm_complex_new(rt, re, im);
            assert_non_null(z);
            assert_true(pm_complex_check(z));
            assert_true(pm_complex_real(z) == re || isnan(re));
            put_result(rt, &got, pm_newref(rt, z));
            sb_put(&got, " ");
            pm_object *s = pm_str(rt, z);
            sb_put(&got, pm_str_as_utf8(rt, s, NULL));
            pm_decref(rt, s);
            sb_put(&got, " ");
            if (isnan(re) || isnan(im)) {
                sb_put(&got, "-");
            } else {
                snprintf(tmp, sizeof tmp, "%ld", (long)pm_hash(rt, z));
                sb_put(&got, tmp);
            }
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_abs(rt, z));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_neg(rt, z));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_conjugate(rt, z));
            sb_put(&got, pm_is_true(rt, z) ? " True " : " False ");
            pm_object *f = pm_float_new(rt, re);
            int a = pm_richcompare_bool(rt, z, f, PM_EQ), b = pm_richcompare_bool(rt, f, z, PM_EQ);
            int c = pm_richcompare_bool(rt, z, f, PM_NE);
            snprintf(tmp, sizeof tmp, "%s %s %s ", a ? "True" : "False", b ? "True" : "False",
                     c ? "True" : "False");
            sb_put(&got, tmp);
            pm_decref(rt, f);
            if (isnan(re) || isinf(re)) {
                sb_put(&got, "-");
            } else {
                pm_object *n = pm_int_from_double(rt, re);
                a = pm_richcompare_bool(rt, z, n, PM_EQ);
                b = pm_richcompare_bool(rt, n, z, PM_EQ);
                c = pm_richcompare_bool(rt, z, n, PM_NE);
                snprintf(tmp, sizeof tmp, "%s%s%s", a ? "True" : "False", b ? "True" : "False",
                         c ? "True" : "False");
                sb_put(&got, tmp);
                pm_decref(rt, n);
            }
            snprintf(tmp, sizeof tmp, " %zu\n", pm_getsizeof(rt, z));
            sb_put(&got, tmp);
            pm_decref(rt, z);
        }
    }
    compare_lines("unary", got.p, expect);
    free(expect);
    free(py.p);
    free(got.p);
    pm_runtime_free(rt);
}

/* x + y, x - y, x * y, x / y, x ** y over all pairs of complexes built
 * from a subset of the parts, then complex with float and int operands. */
static const int sub[] = {0, 1, 2, 3, 5, 6, 8, 9, 10, 13, 15, 16, 17};
#define NSUB ((int)(sizeof sub / sizeof sub[0]))

static void test_binary(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    sbuf py = {0}, got = {0};
    sb_put(&py, py_values);
    sb_put(&py, "S = [");
    for (int i = 0; i < NSUB; i++) {
        sb_put(&py, vtext[sub[i]]);
        sb_put(&py, ",");
    }
    sb_put(&py, "]\nC = [complex(a, b) for a in S for b in S]\n"
                "for x in C:\n"
                "    for y in C:\n"
                "        out.append(' '.join([r(lambda: x + y), r(lambda: x - y), r(lambda: x * y),\n"
                "                             r(lambda: x / y), r(lambda: x ** y)]))\n"
                "I = [0, 1, -1, 2, -3, 7, 100, 101, -100, -101, 10**400]\n"
                "for x in C:\n"
                "    for y in S + I:\n"
                "        out.append(' '.join([r(lambda: x + y), r(lambda: y - x), r(lambda: x * y),\n"
                "                             r(lambda: y / x), r(lambda: x / y), r(lambda: x ** y),\n"
                "                             r(lambda: y ** x)]))\n"
                "sys.stdout.write('\\n'.join(out) + '\\n')\n");
    char *expect = run_python(py.p);
    pm_object *cs[NSUB * NSUB];
    for (int i = 0; i < NSUB; i++)
        for (int j = 0; j < NSUB; j++) cs[i * NSUB + j] = pm_complex_new(rt, vval(sub[i]), vval(sub[j]));
    for (int i = 0; i < NSUB * NSUB; i++) {
        for (int j = 0; j < NSUB * NSUB; j++) {
            pm_object *x = cs[i], *y = cs[j];
            put_result(rt, &got, pm_complex_add(rt, x, y));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_sub(rt, x, y));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_mul(rt, x, y));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_truediv(rt, x, y));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_pow(rt, x, y));
            sb_put(&got, "\n");
        }
    }
    /* the real operands: the floats of S, then ints */
    pm_object *reals[NSUB + 11];
    for (int i = 0; i < NSUB; i++) reals[i] = pm_float_new(rt, vval(sub[i]));
    static const long ints[] = {0, 1, -1, 2, -3, 7, 100, 101, -100, -101};
    for (int i = 0; i < 10; i++) reals[NSUB + i] = pm_int_from_long(rt, ints[i]);
    {   /* 10**400 */
        char big[402];
        big[0] = '1';
        memset(big + 1, '0', 400);
        big[401] = 0;
        reals[NSUB + 10] = pm_int_from_string(rt, big, -1, 10);
        assert_non_null(reals[NSUB + 10]);
    }
    for (int i = 0; i < NSUB * NSUB; i++) {
        for (int j = 0; j < NSUB + 11; j++) {
            pm_object *x = cs[i], *y = reals[j];
            put_result(rt, &got, pm_complex_add(rt, x, y));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_sub(rt, y, x));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_mul(rt, x, y));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_truediv(rt, y, x));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_truediv(rt, x, y));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_pow(rt, x, y));
            sb_put(&got, " ");
            put_result(rt, &got, pm_complex_pow(rt, y, x));
            sb_put(&got, "\n");
        }
    }
    compare_lines("binary", got.p, expect);
    for (int i = 0; i < NSUB * NSUB; i++) pm_decref(rt, cs[i]);
    for (int i = 0; i < NSUB + 11; i++) pm_decref(rt, reals[i]);
    free(expect);
    free(py.p);
    free(got.p);
    pm_runtime_free(rt);
}

/* float ** over every pair of the parts and small ints, either side. */
static void test_float_pow(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    sbuf py = {0}, got = {0};
    sb_put(&py, py_values);
    sb_values_list(&py);
    sb_put(&py, "W = V + [1/3, -1/3, 2.5, -0.5, 1e-5, 1e5, 1023.5, -1075.0, 1024.0, -8.0]\n"
                "I = [0, 1, -1, 2, -2, 3, -8, 10**400]\n"
                "for a in W:\n"
                "    for b in W:\n"
                "        out.append(r(lambda: a ** b))\n"
                "    for n in I:\n"
                "        out.append(r(lambda: a ** n) + ' ' + r(lambda: pow(n, a)))\n"
                "sys.stdout.write('\\n'.join(out) + '\\n')\n");
    char *expect = run_python(py.p);
    double w[NV + 10];
    for (int i = 0; i < NV; i++) w[i] = vval(i);
    const double extra[] = {1.0 / 3, -1.0 / 3, 2.5, -0.5, 1e-5, 1e5, 1023.5, -1075.0, 1024.0, -8.0};
    for (int i = 0; i < 10; i++) w[NV + i] = extra[i];
    static const long ints[] = {0, 1, -1, 2, -2, 3, -8};
    for (int i = 0; i < NV + 10; i++) {
        pm_object *a = pm_float_new(rt, w[i]);
        for (int j = 0; j < NV + 10; j++) {
            pm_object *b = pm_float_new(rt, w[j]);
            put_result(rt, &got, pm_float_pow(rt, a, b));
            sb_put(&got, "\n");
            pm_decref(rt, b);
        }
        for (int j = 0; j < 8; j++) {
            pm_object *n;
            if (j < 7) {
                n = pm_int_from_long(rt, ints[j]);
                put_result(rt, &got, pm_float_pow(rt, a, n));
            } else {   /* 10**400: OverflowError converting it to float */
                char big[402];
                big[0] = '1';
                memset(big + 1, '0', 400);
                big[401] = 0;
                n = pm_int_from_string(rt, big, -1, 10);
                put_result(rt, &got, pm_float_pow(rt, a, n));
            }
            sb_put(&got, " ");
            /* pow(int, float): int ** float is float ** float */
            put_result(rt, &got, pm_float_pow(rt, n, a));
            sb_put(&got, "\n");
            pm_decref(rt, n);
        }
        pm_decref(rt, a);
    }
    compare_lines("float pow", got.p, expect);
    free(expect);
    free(py.p);
    free(got.p);
    pm_runtime_free(rt);
}

/* The brief's example and the error messages of wrong operand types. */
static void test_examples_and_errors(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *m8 = pm_int_from_long(rt, -8), *third = pm_float_new(rt, 1.0 / 3);
    pm_object *r = pm_float_pow(rt, m8, third);
    assert_non_null(r);
    assert_true(pm_complex_check(r));
    pm_object *s = pm_repr(rt, r);
    assert_string_equal(pm_str_as_utf8(rt, s, NULL), "(1.0000000000000002+1.7320508075688772j)");
    pm_decref(rt, s);
    pm_decref(rt, r);
    pm_object *str = pm_str_from_cstr(rt, "x");
    assert_null(pm_complex_add(rt, r = pm_complex_new(rt, 1, 2), str));
    assert_int_equal(pm_err_kind(rt), PM_EXC_TypeError);
    assert_string_equal(pm_err_message(rt), "unsupported operand type(s) for +: 'complex' and 'str'");
    pm_err_clear(rt);
    assert_null(pm_complex_pow(rt, str, r));
    assert_string_equal(pm_err_message(rt), "unsupported operand type(s) for ** or pow(): 'str' and 'complex'");
    pm_err_clear(rt);
    assert_null(pm_float_pow(rt, third, str));
    assert_string_equal(pm_err_message(rt), "unsupported operand type(s) for ** or pow(): 'float' and 'str'");
    pm_err_clear(rt);
    /* ordering is not defined */
    assert_null(pm_richcompare(rt, r, r, PM_LT));
    assert_int_equal(pm_err_kind(rt), PM_EXC_TypeError);
    assert_string_equal(pm_err_message(rt), "'<' not supported between instances of 'complex' and 'complex'");
    pm_err_clear(rt);
    pm_decref(rt, r);
    pm_decref(rt, str);
    pm_decref(rt, m8);
    pm_decref(rt, third);
    /* every allocation can fail */
    pm_fault_inject(rt, 1, 0);
    assert_null(pm_complex_new(rt, 1, 2));
    assert_int_equal(pm_err_kind(rt), PM_EXC_MemoryError);
    pm_err_clear(rt);
    pm_fault_inject(rt, 0, 0);
    pm_runtime_free(rt);
}

static size_t used_blocks(pm_runtime *rt) {
    pm_alloc_stats st;
    pm_alloc_stats_get(rt, &st);
    size_t n = st.large_blocks;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) n += st.size_class[i].blocks_in_use;
    return n;
}

/* Fault sweep: fail allocation 1, 2, 3, ... of a chain of complex and
 * float operations until one run completes; every failed run ends with
 * MemoryError and every block back. */
static void test_fault_sweep(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    size_t base = used_blocks(rt);
    for (long nth = 1;; nth++) {
        pm_fault_inject(rt, nth, 0);
        pm_object *m8 = NULL, *third = NULL, *z = NULL, *w = NULL, *p = NULL, *q = NULL, *a = NULL;
        int ok = (m8 = pm_float_new(rt, -8.0)) && (third = pm_float_new(rt, 1.0 / 3)) &&
                 (z = pm_float_pow(rt, m8, third)) && (w = pm_complex_mul(rt, z, z)) &&
                 (p = pm_complex_pow(rt, w, third)) && (q = pm_complex_truediv(rt, p, z)) &&
                 (a = pm_complex_abs(rt, q));
        long fired = pm_fault_fired(rt);
        pm_fault_inject(rt, 0, 0);
        pm_object *all[] = {m8, third, z, w, p, q, a};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) pm_xdecref(rt, all[i]);
        pm_freelists_clear(rt);
        assert_int_equal(used_blocks(rt), base);
        if (!fired) {
            assert_true(ok);
            break;
        }
        assert_false(ok);
        assert_int_equal(pm_err_kind(rt), PM_EXC_MemoryError);
        pm_err_clear(rt);
    }
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unary),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_float_pow),
        cmocka_unit_test(test_examples_and_errors),
        cmocka_unit_test(test_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
