/* format(value, spec): generated (value, spec) cases — edge values of int,
 * bool, float, complex and str, a fixed list of specs and seeded random specs — run
 * through pm_format and through python3's format(), compared byte for byte
 * (results and exception type + message).  Plus a fault sweep. */
#include <math.h>
#include "fmtutil.h"

typedef struct val {
    char kind;                  /* 'i' int (decimal text), 'b' bool, 'f' float, 's' str (UTF-8), 'l' list */
    const char *text;           /* int / str text; bool: "1"/"0" */
    double d;                   /* float value (complex: the real part) */
    double im;                  /* complex: the imaginary part */
} val;

static const val VALUES[] = {
    {'i', "0", 0, 0}, {'i', "1", 0, 0}, {'i', "-1", 0, 0}, {'i', "7", 0, 0}, {'i', "42", 0, 0}, {'i', "255", 0, 0},
    {'i', "-255", 0, 0}, {'i', "1234567", 0, 0}, {'i', "-1234567", 0, 0}, {'i', "65", 0, 0}, {'i', "1114111", 0, 0},
    {'i', "1114112", 0, 0}, {'i', "2147483648", 0, 0}, {'i', "9223372036854775807", 0, 0},
    {'i', "-9223372036854775808", 0, 0}, {'i', "18446744073709551617", 0, 0},
    {'i', "123456789012345678901234567890123456789012345678901234567890", 0, 0},
    {'i', "-98765432109876543210987654321098765432109876543210", 0, 0},
    {'i', "1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
          "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
          "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
          "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", 0, 0},
    {'b', "1", 0, 0}, {'b', "0", 0, 0},
    {'f', NULL, 0.0, 0}, {'f', NULL, -0.0, 0}, {'f', NULL, 1.0, 0}, {'f', NULL, -1.5, 0}, {'f', NULL, 2.5, 0},
    {'f', NULL, 0.1, 0}, {'f', NULL, 2.675, 0}, {'f', NULL, 1e16, 0}, {'f', NULL, 1e15, 0}, {'f', NULL, 1e-5, 0},
    {'f', NULL, 1e-4, 0}, {'f', NULL, 123456.789, 0}, {'f', NULL, -9.995, 0}, {'f', NULL, 0.5, 0}, {'f', NULL, 1e22, 0},
    {'f', NULL, 1e300, 0}, {'f', NULL, 5e-324, 0}, {'f', NULL, 1.7976931348623157e308, 0}, {'f', NULL, 100.0, 0},
    {'f', NULL, 1234.5, 0}, {'f', NULL, -0.00001234, 0}, {'f', NULL, 99999.99, 0}, {'f', NULL, 0.000123456, 0},
    {'f', NULL, INFINITY, 0}, {'f', NULL, -INFINITY, 0}, {'f', NULL, NAN, 0},
    {'s', "", 0, 0}, {'s', "a", 0, 0}, {'s', "hello", 0, 0}, {'s', "caf\xc3\xa9", 0, 0}, {'s', "\xce\x94x", 0, 0},
    {'s', "\xf0\x9f\x98\x80" "ab", 0, 0}, {'s', "longer text here", 0, 0},
    {'c', NULL, 1.0, 2.0}, {'c', NULL, 0.0, 1.0}, {'c', NULL, -0.0, 1.0}, {'c', NULL, 1.5, -2.25},
    {'c', NULL, 1e16, 1e-5}, {'c', NULL, INFINITY, NAN}, {'c', NULL, 0.0, 0.0}, {'c', NULL, -0.0, -0.0},
    {'c', NULL, 123456.789, -0.001}, {'c', NULL, 1.0, 0.0},
    {'l', NULL, 0, 0},
};
#define NVALUES (sizeof VALUES / sizeof VALUES[0])

static const char *const FIXED_SPECS[] = {
    "", "d", "5", "<5", ">5", "^5", "=5", "*^9", "0", "05", "010", "+", "-", " ", "+05", "#x", "#X", "#o",
    "#b", "x", "X", "o", "b", "c", "n", ",", "_", ",d", "_d", "_x", "_b", "_o", ",x", "010,", "09,", "08,",
    "012_", "#012_x", "-#010_b", "0=10,", "x=10,", "0<10", "0>10", "e", "E", "f", "F", "g", "G", "%",
    ".0", ".1", ".2", ".3", ".10", ".17", ".25", ".0e", ".0f", ".0g", ".1g", ".2f", ".3e", ".12g", "#.0f",
    "#.0e", "#.0", "#g", "#.3g", "#", "z", "z.2f", "z.1e", "zg", "z.0", ".50f", ".30e", ",.2f", "_.3f",
    "015,.2f", "+,", ",g", ",e", ",%", ".1%", "s", ".1", ".3s", "10.3", "^10.3s", "=", "z ", "#s", "+s",
    " s", ",s", "_s", ",,", "_,", ",_", ".", "abc", "y", "A", "99999999999999999999999", ".99999999999999999999",
    "\xce\x94^7", "\xce\x94=8", "\xc4\x80", "5\xc4\x80", "\x01", ".2n", "n", ",n", "_n", ",c", "+c", "#c",
    "10c", "<3c", "1.5", "-.2%", ">+12.4e", "^+#15_.3f", "0>+9", ".2d", "zd",
    "\xd9\xa3", ".\xd9\xa2", "\xef\xbc\x91\xef\xbc\x92.\xf0\x9d\x9f\x90", "\xd9\xa0\xd9\xa5",
};
#define NFIXED (sizeof FIXED_SPECS / sizeof FIXED_SPECS[0])

/* A random spec, UTF-8, into buf. */
static void random_spec(uint64_t *st, char *buf) {
    static const char *const fills[] = {"*", "0", " ", "\xce\x94", "x", "_"};
    char *p = buf;
    uint64_t r = tu_rand(st);
    if (r % 10 < 3) {
        p += sprintf(p, "%s%c", fills[(r >> 8) % 6], "<>=^"[(r >> 16) % 4]);
    } else if (r % 10 < 5) {
        *p++ = "<>=^"[(r >> 16) % 4];
    }
    r = tu_rand(st);
    if (r % 10 < 3) *p++ = "+- "[(r >> 8) % 3];
    if ((r >> 12) % 10 == 0) *p++ = 'z';
    if ((r >> 16) % 10 < 2) *p++ = '#';
    if ((r >> 20) % 10 < 2) *p++ = '0';
    if ((r >> 24) % 10 < 5) p += sprintf(p, "%d", (int)((r >> 28) % 26));
    if ((r >> 32) % 8 < 2) *p++ = (r >> 36) % 2 ? ',' : '_';
    if ((r >> 40) % 10 < 4) p += sprintf(p, ".%d", (int)((r >> 44) % 22));
    if ((r >> 50) % 20 < 17) *p++ = "bcdeEfFgGnosxX%"[(r >> 54) % 15];
    else if ((r >> 50) % 20 == 17) *p++ = 'y';
    *p = 0;
}

static pm_object *make_value(pm_runtime *rt, const val *v) {
    pm_object *o = NULL;
    switch (v->kind) {
    case 'i': o = pm_int_from_string(rt, v->text, -1, 10); break;
    case 'b': o = pm_bool_from(v->text[0] == '1'); break;
    case 'f': o = pm_float_new(rt, v->d); break;
    case 's': o = pm_str_from_utf8(rt, v->text, -1); break;
    case 'c': o = pm_complex_new(rt, v->d, v->im); break;
    default: o = pm_list_new(rt); break;
    }
    assert_non_null(o);
    return o;
}

static void py_double(fu_buf *b, double d) {
    if (isnan(d)) fu_printf(b, "float('nan')");
    else if (isinf(d)) fu_printf(b, "float('%sinf')", d < 0 ? "-" : "");
    else fu_printf(b, "float.fromhex('%a')", d);
}

static void py_value(fu_buf *b, const val *v) {
    switch (v->kind) {
    case 'i': fu_printf(b, "int('%s')", v->text); break;
    case 'b': fu_printf(b, "%s", v->text[0] == '1' ? "True" : "False"); break;
    case 'f': py_double(b, v->d); break;
    case 'c':
        fu_printf(b, "complex(");
        py_double(b, v->d);
        fu_printf(b, ", ");
        py_double(b, v->im);
        fu_printf(b, ")");
        break;
    case 's': fu_pystr(b, v->text, strlen(v->text)); break;
    default: fu_printf(b, "[]"); break;
    }
}

typedef struct fcase {
    const val *v;
    char spec[64];
    int null_spec;              /* pass NULL instead of '' */
} fcase;

#define NRANDOM 40

static void test_format_vs_python(void **state) {
    (void)state;
    size_t ncases = NVALUES * (NFIXED + NRANDOM);
    fcase *cases = calloc(ncases, sizeof *cases);
    assert_non_null(cases);
    uint64_t st = 20261204;
    size_t k = 0;
    for (size_t i = 0; i < NVALUES; i++) {
        for (size_t j = 0; j < NFIXED; j++, k++) {
            cases[k].v = &VALUES[i];
            snprintf(cases[k].spec, sizeof cases[k].spec, "%s", FIXED_SPECS[j]);
            cases[k].null_spec = j == 0 && i % 2;
        }
        for (size_t j = 0; j < NRANDOM; j++, k++) {
            cases[k].v = &VALUES[i];
            random_spec(&st, cases[k].spec);
        }
    }
    fu_buf code = {0};
    fu_printf(&code, "%s", fu_prelude());
    for (size_t i = 0; i < ncases; i++) {
        fu_printf(&code, "print(_r(lambda: format(");
        py_value(&code, cases[i].v);
        fu_printf(&code, ", ");
        fu_pystr(&code, cases[i].spec, strlen(cases[i].spec));
        fu_printf(&code, ")))\n");
    }
    char *out = fu_run(code.p);
    char *cur = out;
    pm_runtime *rt = tu_runtime();
    int bad = 0;
    for (size_t i = 0; i < ncases; i++) {
        char *want = fu_line(&cur);
        pm_object *v = make_value(rt, cases[i].v);
        pm_object *spec = cases[i].null_spec ? NULL : pm_str_from_utf8(rt, cases[i].spec, -1);
        assert_true(cases[i].null_spec || spec);
        pm_object *res = pm_format(rt, v, spec);
        char *got = fu_outcome(rt, res);
        if (strcmp(got, want) != 0) {
            if (bad++ < 25) {
                fu_buf vb = {0};
                py_value(&vb, cases[i].v);
                char g[512], w[512];
                const char *gh = strchr(got + 2, ' '), *wh = strchr(want + 2, ' ');
                fu_unhex(got[0] == 'R' ? got + 2 : gh ? gh + 1 : "", g, sizeof g);
                fu_unhex(want[0] == 'R' ? want + 2 : wh ? wh + 1 : "", w, sizeof w);
                print_message("format(%s, '%s'): pymm %.40s [%s]  python %.40s [%s]\n", vb.p, cases[i].spec,
                              got, g, want, w);
                free(vb.p);
            }
        }
        free(got);
        pm_xdecref(rt, res);
        pm_xdecref(rt, spec);
        pm_decref(rt, v);
    }
    print_message("%zu format cases, %d mismatches\n", ncases, bad);
    assert_int_equal(bad, 0);
    pm_runtime_free(rt);
    free(out);
    free(code.p);
    free(cases);
}

/* Random doubles (any bit pattern, short decimals, wide exponents) and
 * random ints of up to 90 digits, each with four random specs. */
static double random_double(uint64_t *st, int i) {
    uint64_t bits = tu_rand(st);
    double d;
    switch (i % 4) {
    case 0: memcpy(&d, &bits, sizeof d); break;
    case 1: d = (double)(int64_t)(bits % 2000001) / 1000.0 - 1000.0; break;
    case 2: d = ldexp((double)(bits >> 11), (int)(bits % 140) - 110); break;
    default: d = (double)(int64_t)(bits % 100000) * pow(10.0, (double)((int)(bits >> 40) % 44 - 22)); break;
    }
    return d;
}

#define NRV 1200
#define NRI 400
#define SPECS_PER 4

static void test_format_random_values(void **state) {
    (void)state;
    uint64_t st = 4242;
    size_t n = (NRV + NRI) * SPECS_PER;
    val *vals = calloc(NRV + NRI, sizeof *vals);
    char (*texts)[100] = calloc(NRI, sizeof *texts);
    fcase *cases = calloc(n, sizeof *cases);
    assert_true(vals && texts && cases);
    for (int i = 0; i < NRV; i++) {
        vals[i].kind = 'f';
        vals[i].d = random_double(&st, i);
    }
    for (int i = 0; i < NRI; i++) {
        int nd = 1 + (int)(tu_rand(&st) % 90), k = 0;
        if (tu_rand(&st) % 2) texts[i][k++] = '-';
        texts[i][k++] = (char)('1' + tu_rand(&st) % 9);
        for (int j = 1; j < nd; j++) texts[i][k++] = (char)('0' + tu_rand(&st) % 10);
        vals[NRV + i].kind = 'i';
        vals[NRV + i].text = texts[i];
    }
    for (size_t i = 0; i < n; i++) {
        cases[i].v = &vals[i / SPECS_PER];
        random_spec(&st, cases[i].spec);
    }
    fu_buf code = {0};
    fu_printf(&code, "%s", fu_prelude());
    for (size_t i = 0; i < n; i++) {
        fu_printf(&code, "print(_r(lambda: format(");
        py_value(&code, cases[i].v);
        fu_printf(&code, ", ");
        fu_pystr(&code, cases[i].spec, strlen(cases[i].spec));
        fu_printf(&code, ")))\n");
    }
    char *out = fu_run(code.p), *cur = out;
    pm_runtime *rt = tu_runtime();
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char *want = fu_line(&cur);
        pm_object *v = make_value(rt, cases[i].v);
        pm_object *r = pm_format_cstr(rt, v, cases[i].spec);
        char *got = fu_outcome(rt, r);
        if (strcmp(got, want) != 0 && bad++ < 25) {
            fu_buf vb = {0};
            py_value(&vb, cases[i].v);
            print_message("format(%s, '%s'): pymm %.60s  python %.60s\n", vb.p, cases[i].spec, got, want);
            free(vb.p);
        }
        free(got);
        pm_xdecref(rt, r);
        pm_decref(rt, v);
    }
    print_message("%zu random-value format cases, %d mismatches\n", n, bad);
    assert_int_equal(bad, 0);
    pm_runtime_free(rt);
    free(out);
    free(code.p);
    free(cases);
    free(texts);
    free(vals);
}

/* CPython 3.11's 4300-digit limit on decimal conversions: 10**4299 and
 * -10**4299 convert, 10**4300 and far larger values do not (any decimal
 * presentation, format() with an empty spec, %d); hex and binary are not
 * limited.  Checked against python3. */
static void test_int_digit_limit(void **state) {
    (void)state;
    static const int exps[] = {4299, 4300, 20000};
    static const char *const specs[] = {"", "d", ",", "n", "_", ">5000", "x", "#_b", "e"};
    static const char *const pct[] = {"%d", "%i", "%.5000d", "%x", "%s", "%r"};
    size_t nspec = sizeof specs / sizeof specs[0], npct = sizeof pct / sizeof pct[0];
    fu_buf code = {0};
    fu_printf(&code, "%s", fu_prelude());
    for (int e = 0; e < 3; e++)
        for (int sign = 0; sign < 2; sign++) {
            for (size_t k = 0; k < nspec; k++)
                fu_printf(&code, "print(_r(lambda: format(%s10**%d, '%s')))\n", sign ? "-" : "", exps[e], specs[k]);
            for (size_t k = 0; k < npct; k++)
                fu_printf(&code, "print(_r(lambda: '%s' %% (%s10**%d,)))\n", pct[k], sign ? "-" : "", exps[e]);
        }
    char *out = fu_run(code.p), *cur = out;
    pm_runtime *rt = tu_runtime();
    char *text = malloc(20003);
    assert_non_null(text);
    int bad = 0, errors = 0;
    for (int e = 0; e < 3; e++)
        for (int sign = 0; sign < 2; sign++) {
            pm_object *ten = pm_int_from_long(rt, sign ? -10 : 10), *ex = pm_int_from_long(rt, exps[e]);
            pm_object *v = pm_int_pow(rt, ten, ex);
            assert_non_null(v);
            if (sign) {
                pm_object *t = pm_int_neg(rt, v);     /* (-10)**odd is negative already */
                if (exps[e] % 2 == 0) {
                    pm_decref(rt, v);
                    v = t;
                } else {
                    pm_decref(rt, t);
                }
            }
            for (size_t k = 0; k < nspec + npct; k++) {
                char *want = fu_line(&cur);
                pm_object *r;
                if (k < nspec) {
                    r = pm_format_cstr(rt, v, specs[k]);
                } else {
                    pm_object *f = pm_str_from_cstr(rt, pct[k - nspec]), *t = pm_tuple_pack(rt, 1, v);
                    r = pm_str_percent(rt, f, t);
                    pm_decref(rt, f);
                    pm_decref(rt, t);
                }
                if (!r) errors++;
                char *got = fu_outcome(rt, r);
                if (strcmp(got, want) != 0 && bad++ < 10)
                    print_message("%s10**%d with '%s': pymm %.60s  python %.60s\n", sign ? "-" : "", exps[e],
                                  k < nspec ? specs[k] : pct[k - nspec], got, want);
                free(got);
                pm_xdecref(rt, r);
            }
            pm_decref(rt, v);
            pm_decref(rt, ten);
            pm_decref(rt, ex);
        }
    (void)text;
    free(text);
    print_message("digit limit: %d mismatches, %d errors raised\n", bad, errors);
    assert_int_equal(bad, 0);
    assert_true(errors > 0);
    pm_runtime_free(rt);
    free(out);
    free(code.p);
}

/* Every allocation of a few format calls fails in turn: each run ends with
 * MemoryError or the right answer, and every block comes back. */
static void test_format_fault_sweep(void **state) {
    (void)state;
    static const struct { val v; const char *spec; const char *want; } C[] = {
        {{'i', "-123456789012345678901234567890", 0, 0}, "\xce\x94^60,", NULL},
        {{'f', NULL, 1e300, 0}, ",.2f", NULL},
        {{'f', NULL, -0.000123, 0}, "z^+30.10g", NULL},
        {{'s', "caf\xc3\xa9", 0, 0}, "*>200", NULL},
        {{'i', "255", 0, 0}, "#012_x", "0x0_0000_00ff"},
        {{'f', NULL, 1e16, 0}, "#", "1.e+16"},
        {{'c', NULL, 1.5, -2.25}, "*^40.3e", NULL},
        {{'c', NULL, 1e16, 3.0}, "", NULL},
    };
    pm_runtime *rt = tu_runtime();
    for (size_t c = 0; c < sizeof C / sizeof C[0]; c++) {
        pm_object *v = make_value(rt, &C[c].v);
        pm_object *spec = pm_str_from_utf8(rt, C[c].spec, -1);
        assert_non_null(spec);
        pm_object *ref = pm_format(rt, v, spec);
        assert_non_null(ref);
        if (C[c].want) assert_string_equal(pm_str_as_utf8(rt, ref, NULL), C[c].want);
        int fired_runs = 0;
        for (long nth = 1;; nth++) {
            size_t before = fu_blocks(rt);
            pm_fault_inject(rt, nth, 0);
            pm_object *r = pm_format(rt, v, spec);
            long fired = pm_fault_fired(rt);
            pm_fault_inject(rt, 0, 0);
            if (!fired) {
                assert_non_null(r);
                assert_true(pm_str_compare(r, ref) == 0);
                pm_decref(rt, r);
                break;
            }
            fired_runs++;
            if (r) {            /* a failed optional allocation may be survived */
                assert_true(pm_str_compare(r, ref) == 0);
                pm_decref(rt, r);
            } else {
                assert_int_equal(pm_err_kind(rt), PM_EXC_MemoryError);
                pm_err_clear(rt);
            }
            assert_int_equal(fu_blocks(rt), before);
        }
        assert_true(fired_runs >= 1);
        pm_decref(rt, ref);
        pm_decref(rt, spec);
        pm_decref(rt, v);
    }
    pm_runtime_free(rt);
}

/* A few fixed answers, so the file means something when read alone. */
static void test_format_examples(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    static const struct { const char *n; const char *spec; const char *want; } C[] = {
        {"1234", "010,", "00,001,234"}, {"1234", "09_x", "0000_04d2"}, {"-1", "#b", "-0b1"},
        {"65", "c", "A"}, {"255", "#X", "0XFF"}, {"0", "=^5", "==0=="},
    };
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
        pm_object *v = pm_int_from_string(rt, C[i].n, -1, 10);
        pm_object *r = pm_format_cstr(rt, v, C[i].spec);
        assert_non_null(r);
        assert_string_equal(pm_str_as_utf8(rt, r, NULL), C[i].want);
        pm_decref(rt, r);
        pm_decref(rt, v);
    }
    pm_object *r = pm_format_cstr(rt, PM_TRUE, "");
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), "True");
    pm_decref(rt, r);
    r = pm_format_cstr(rt, PM_TRUE, "d");
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), "1");
    pm_decref(rt, r);
    pm_object *f = pm_float_new(rt, INFINITY);
    r = pm_format_cstr(rt, f, "010");
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), "0000000inf");
    pm_decref(rt, r);
    pm_decref(rt, f);
    pm_object *l = pm_list_new(rt);
    assert_null(pm_format_cstr(rt, l, "x"));
    assert_int_equal(pm_err_kind(rt), PM_EXC_TypeError);
    assert_string_equal(pm_err_message(rt), "unsupported format string passed to list.__format__");
    pm_err_clear(rt);
    pm_decref(rt, l);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_examples),
        cmocka_unit_test(test_format_vs_python),
        cmocka_unit_test(test_format_random_values),
        cmocka_unit_test(test_int_digit_limit),
        cmocka_unit_test(test_format_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
