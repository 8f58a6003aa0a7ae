/* The int <-> str digit limit (issue 11, "numbers"): CPython 3.11's
 * sys.set_int_max_str_digits, per runtime.  For several limits, ints just
 * below / at / above it are converted to str (repr, str, format 'd'; hex
 * is exempt) and texts of as many digits parsed in bases 10, 3, 36, 16, 0
 * (with and without prefixes, underscores, trailing garbage); every
 * outcome, error text included, is compared with python3's. */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

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

/* "len N" for a str result, "hex H" for an int result (hex is never
 * limited), or "Name: message". */
static void outcome(pm_runtime *rt, sbuf *out, pm_object *r) {
    char tmp[64];
    if (!r) {
        sb_put(out, pm_exc_name(pm_err_kind(rt)));
        sb_put(out, ": ");
        sb_put(out, pm_err_message(rt));
        pm_err_clear(rt);
    } else if (pm_str_check(r)) {
        snprintf(tmp, sizeof tmp, "len %ld", (long)pm_str_length(r));
        sb_put(out, tmp);
        pm_decref(rt, r);
    } else {
        pm_object *h = pm_format_cstr(rt, r, "x");
        assert_non_null(h);
        sb_put(out, "hex ");
        sb_put(out, pm_str_as_utf8(rt, h, NULL));
        pm_decref(rt, h);
        pm_decref(rt, r);
    }
    sb_put(out, "\n");
}

static const int limits[] = {4300, 640, 641, 1000, 0};
static const int sizes[] = {1, 639, 640, 641, 642, 999, 1000, 1001, 4299, 4300, 4301, 5000};
#define NLIMITS ((int)(sizeof limits / sizeof limits[0]))
#define NSIZES ((int)(sizeof sizes / sizeof sizes[0]))

/* Texts parsed for each size n: (python expression, C text maker, base). */
enum { T_ONES, T_ONES_X, T_UNDERS, T_ZEROS, T_LEAD_US, T_DOUBLE_US, T_SPACES, T_NEG, T_NTEXT };
static char *make_text(int kind, int n) {
    char *t = malloc((size_t)n * 2 + 16), *p = t;
    if (kind == T_SPACES) *p++ = ' ';
    if (kind == T_NEG) *p++ = '-';
    if (kind == T_LEAD_US) *p++ = '_';
    for (int i = 0; i < n; i++) {
        if (kind == T_DOUBLE_US && i == n / 2 && n > 1) { *p++ = '_'; *p++ = '_'; }
        *p++ = kind == T_ZEROS ? '0' : '1';
        if (kind == T_UNDERS && i + 1 < n) *p++ = '_';
    }
    if (kind == T_ONES_X) *p++ = 'x';
    if (kind == T_SPACES) *p++ = '\n';
    *p = 0;
    return t;
}
static const char *const py_text[T_NTEXT] = {
    "'1' * n", "'1' * n + 'x'", "'_'.join('1' * n)", "'0' * n", "'_' + '1' * n",
    "'1' * (n // 2) + ('__' if n > 1 else '') + '1' * (n - n // 2)", "' ' + '1' * n + '\\\\n'", "'-' + '1' * n",
};
static const int bases[] = {10, 3, 36, 16, 0};
#define NBASES ((int)(sizeof bases / sizeof bases[0]))

static void test_limits_match_python(void **state) {
    (void)state;
    sbuf py = {0}, got = {0};
    sb_put(&py, "import sys\n"
                "def r(f):\n"
                "    try:\n"
                "        v = f()\n"
                "        return 'len %d' % len(v) if isinstance(v, str) else 'hex ' + format(v, 'x')\n"
                "    except Exception as e: return type(e).__name__ + ': ' + str(e)\n"
                "out = []\n"
                "for lim in LIMITS:\n"
                "    sys.set_int_max_str_digits(lim)\n"
                "    for n in SIZES:\n"
                "        for v in (10**(n-1), -10**(n-1), 10**n - 1, -(10**n - 1)):\n"
                "            out.append(r(lambda: repr(v)))\n"
                "            out.append(r(lambda: str(v)))\n"
                "            out.append(r(lambda: format(v, 'd')))\n"
                "            out.append(r(lambda: format(v, 'x')))\n"
                "        for t in TEXTS:\n"
                "            s = eval(t)\n"
                "            for b in BASES:\n"
                "                out.append(r(lambda: int(s, b)))\n"
                "        for b in BASES:\n"
                "            out.append(r(lambda: int('0x' + '1' * n, b)))\n"
                "            out.append(r(lambda: int('0b' + '1' * n, b)))\n"
                "sys.stdout.write('\\n'.join(out) + '\\n')\n");
    char tmp[256];
    snprintf(tmp, sizeof tmp, "LIMITS = [%d, %d, %d, %d, %d]\n", limits[0], limits[1], limits[2], limits[3], limits[4]);
    sbuf head = {0};
    sb_put(&head, tmp);
    sb_put(&head, "SIZES = [");
    for (int i = 0; i < NSIZES; i++) {
        snprintf(tmp, sizeof tmp, "%d,", sizes[i]);
        sb_put(&head, tmp);
    }
    sb_put(&head, "]\nTEXTS = [");
    for (int i = 0; i < T_NTEXT; i++) {
        sb_put(&head, "\"");
        sb_put(&head, py_text[i]);
        sb_put(&head, "\",");
    }
    sb_put(&head, "]\nBASES = [10, 3, 36, 16, 0]\n");
    sb_put(&head, py.p);

    pm_runtime *rt = tu_runtime();
    assert_int_equal(pm_int_get_max_str_digits(rt), 4300);
    pm_object *ten = pm_int_from_long(rt, 10), *one = pm_int_from_long(rt, 1);
    for (int l = 0; l < NLIMITS; l++) {
        assert_int_equal(pm_int_set_max_str_digits(rt, limits[l]), 0);
        assert_int_equal(pm_int_get_max_str_digits(rt), limits[l]);
        for (int s = 0; s < NSIZES; s++) {
            int n = sizes[s];
            pm_object *e1 = pm_int_from_long(rt, n - 1), *e = pm_int_from_long(rt, n);
            pm_object *p1 = pm_int_pow(rt, ten, e1), *p = pm_int_pow(rt, ten, e);
            pm_object *vals[4];
            vals[0] = pm_newref(rt, p1);
            vals[1] = pm_int_neg(rt, p1);
            vals[2] = pm_int_sub(rt, p, one);
            vals[3] = pm_int_neg(rt, vals[2]);
            for (int k = 0; k < 4; k++) {
                outcome(rt, &got, pm_repr(rt, vals[k]));
                outcome(rt, &got, pm_str(rt, vals[k]));
                outcome(rt, &got, pm_format_cstr(rt, vals[k], "d"));
                outcome(rt, &got, pm_format_cstr(rt, vals[k], "x"));
                pm_decref(rt, vals[k]);
            }
            pm_decref(rt, e1);
            pm_decref(rt, e);
            pm_decref(rt, p1);
            pm_decref(rt, p);
            for (int t = 0; t < T_NTEXT; t++) {
                char *text = make_text(t, n);
                for (int b = 0; b < NBASES; b++) outcome(rt, &got, pm_int_from_string(rt, text, -1, bases[b]));
                free(text);
            }
            for (int b = 0; b < NBASES; b++) {
                for (int pfx = 0; pfx < 2; pfx++) {
                    char *text = malloc((size_t)n + 3);
                    text[0] = '0';
                    text[1] = pfx ? 'b' : 'x';
                    memset(text + 2, '1', (size_t)n);
                    text[n + 2] = 0;
                    outcome(rt, &got, pm_int_from_string(rt, text, -1, bases[b]));
                    free(text);
                }
            }
        }
    }
    pm_decref(rt, ten);
    pm_decref(rt, one);
    pm_runtime_free(rt);

    size_t cap = 8u << 20;
    char *expect = malloc(cap);
    int st = tu_python(head.p, expect, cap);
    if (st != 0) fail_msg("python3 could not be run (status %d)", st);
    const char *g = got.p, *x = expect;
    int line = 1;
    while (*g && *g == *x) {
        if (*g == '\n') line++;
        g++, x++;
    }
    if (*g || *x) {
        while (g > got.p && g[-1] != '\n') g--;
        while (x > expect && x[-1] != '\n') x--;
        fail_msg("line %d differs\n  pymm:    %.240s\n  python3: %.240s", line, g, x);
    }
    free(expect);
    free(got.p);
    free(py.p);
    free(head.p);
}

/* sys.set_int_max_str_digits' errors, and PYTHONINTMAXSTRDIGITS. */
static void test_set_errors_and_env(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    static const long long bad[] = {639, 1, -1, -640, 2147483648LL, -2147483649LL};
    char script[2048], expect[1024], got[1024];
    size_t len = 0;
    len += (size_t)snprintf(script + len, sizeof script - len, "import sys\n");
    got[0] = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        len += (size_t)snprintf(script + len, sizeof script - len,
                                "try: sys.set_int_max_str_digits(%lld)\n"
                                "except Exception as e: print(type(e).__name__ + ': ' + str(e))\n", bad[i]);
        assert_int_equal(pm_int_set_max_str_digits(rt, (pm_ssize_t)bad[i]), -1);
        size_t g = strlen(got);
        snprintf(got + g, sizeof got - g, "%s: %s\n", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
        pm_err_clear(rt);
        assert_int_equal(pm_int_get_max_str_digits(rt), 4300);   /* unchanged */
    }
    assert_int_equal(tu_python(script, expect, sizeof expect), 0);
    assert_string_equal(got, expect);
    pm_runtime_free(rt);

    /* the environment variable, as CPython reads it */
    static const struct { const char *text; int ok, value; } env[] = {
        {"0", 1, 0}, {"640", 1, 640}, {"100000", 1, 100000}, {"639", 0, 0}, {"-1", 0, 0}, {"x", 0, 0},
    };
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++) {
        pm_config cfg;
        pm_config_init(&cfg);
        assert_int_equal(cfg.int_max_str_digits, 4300);
        setenv("PYTHONINTMAXSTRDIGITS", env[i].text, 1);
        const char *err = NULL;
        int r = pm_config_from_env(&cfg, &err);
        unsetenv("PYTHONINTMAXSTRDIGITS");
        if (env[i].ok) {
            assert_int_equal(r, 0);
            assert_int_equal(cfg.int_max_str_digits, env[i].value);
            pm_runtime *r2 = pm_runtime_new(&cfg);
            assert_int_equal(pm_int_get_max_str_digits(r2), env[i].value);
            pm_runtime_free(r2);
        } else {
            assert_int_equal(r, -1);
            assert_string_equal(err, "PYTHONINTMAXSTRDIGITS: invalid limit; must be >= 640 or 0 for unlimited.");
        }
    }
}

static size_t used_blocks(pm_runtime *rt) {
    pm_alloc_stats st;
    pm_alloc_stats_get(rt, &st);
    size_t n = st.large_blocks;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) n += st.size_class[i].blocks_in_use;
    return n;
}

/* Fault sweep over the conversions and their errors: each failed run ends
 * with MemoryError (or, once past the allocations, the limit's or the
 * literal's ValueError) and gives every block back. */
static void test_fault_sweep(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    char *bad = make_text(T_ONES_X, 300), *big = make_text(T_ONES, 700);
    size_t base = used_blocks(rt);
    assert_int_equal(pm_int_set_max_str_digits(rt, 640), 0);
    for (long nth = 1;; nth++) {
        pm_fault_inject(rt, nth, 0);
        pm_object *a = pm_int_from_string(rt, bad, -1, 10);          /* invalid literal */
        pm_exc k1 = pm_err_kind(rt);
        pm_err_clear(rt);
        pm_object *b = pm_int_from_string(rt, big, -1, 16);          /* exempt base */
        pm_object *c = b ? pm_repr(rt, b) : NULL;                     /* over the limit */
        pm_exc k2 = pm_err_kind(rt);
        pm_err_clear(rt);
        long fired = pm_fault_fired(rt);
        pm_fault_inject(rt, 0, 0);
        assert_null(a);
        assert_null(c);
        assert_true(k1 == PM_EXC_ValueError || k1 == PM_EXC_MemoryError);
        assert_true(k2 == PM_EXC_ValueError || k2 == PM_EXC_MemoryError);
        pm_xdecref(rt, b);
        pm_freelists_clear(rt);
        assert_int_equal(used_blocks(rt), base);
        if (!fired) {
            assert_int_equal(k1, PM_EXC_ValueError);
            assert_int_equal(k2, PM_EXC_ValueError);
            break;
        }
    }
    free(bad);
    free(big);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limits_match_python),
        cmocka_unit_test(test_set_errors_and_env),
        cmocka_unit_test(test_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
