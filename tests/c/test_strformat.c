/* str.format / str.format_map and %-formatting of str and bytes: fixed and
 * seeded random format strings over a pool of arguments, run through pymm
 * and python3, compared byte for byte (results, exception types and
 * messages).  Plus fault sweeps. */
#include <math.h>
#include "fmtutil.h"

/* ---- the argument pool, built identically on both sides ------------------ */

enum { NPOOL = 24 };
static const char *const POOL_PY[NPOOL] = {
    "42", "-7", "0", "2**70", "3.14159", "-0.0", "1e300", "float('inf')", "float('nan')", "'abc'",
    "'\\xe9\\u20ac'", "''", "b'xy'", "True", "[1, 'a', 2.5]", "{'x': 3, 'k': 'v', '-1': 4}", "None", "a",
    "65", "0x110000", "bytearray(b'q')", "'Z'", "b'Q'", "-2**64",
};

static pm_object *pool_value(pm_runtime *rt, int i, pm_object *a) {
    pm_object *o = NULL;
    switch (i) {
    case 0: o = pm_int_from_long(rt, 42); break;
    case 1: o = pm_int_from_long(rt, -7); break;
    case 2: o = pm_int_from_long(rt, 0); break;
    case 3: o = pm_int_from_string(rt, "1180591620717411303424", -1, 10); break;
    case 4: o = pm_float_new(rt, 3.14159); break;
    case 5: o = pm_float_new(rt, -0.0); break;
    case 6: o = pm_float_new(rt, 1e300); break;
    case 7: o = pm_float_new(rt, INFINITY); break;
    case 8: o = pm_float_new(rt, NAN); break;
    case 9: o = pm_str_from_cstr(rt, "abc"); break;
    case 10: o = pm_str_from_cstr(rt, "\xc3\xa9\xe2\x82\xac"); break;
    case 11: o = pm_str_from_cstr(rt, ""); break;
    case 12: o = pm_bytes_new(rt, "xy", 2); break;
    case 13: o = PM_TRUE; break;
    case 14: {
        pm_object *it[3] = {pm_int_from_long(rt, 1), pm_str_from_cstr(rt, "a"), pm_float_new(rt, 2.5)};
        o = pm_list_from_array(rt, it, 3);
        for (int k = 0; k < 3; k++) pm_decref(rt, it[k]);
        break;
    }
    case 15: {
        pm_object *k[3] = {pm_str_from_cstr(rt, "x"), pm_str_from_cstr(rt, "k"), pm_str_from_cstr(rt, "-1")};
        pm_object *v[3] = {pm_int_from_long(rt, 3), pm_str_from_cstr(rt, "v"), pm_int_from_long(rt, 4)};
        o = pm_dict_from_items(rt, k, v, 3);
        for (int j = 0; j < 3; j++) pm_decref(rt, k[j]), pm_decref(rt, v[j]);
        break;
    }
    case 16: o = PM_NONE; break;
    case 17: o = pm_newref(rt, a); break;
    case 18: o = pm_int_from_long(rt, 65); break;
    case 19: o = pm_int_from_long(rt, 0x110000); break;
    case 20: o = pm_bytearray_new(rt, "q", 1); break;
    case 21: o = pm_str_from_cstr(rt, "Z"); break;
    case 22: o = pm_bytes_new(rt, "Q", 1); break;
    default: o = pm_int_from_string(rt, "-18446744073709551616", -1, 10); break;
    }
    assert_non_null(o);
    return o;
}

/* The instance `a` (class A, a.x == 5), as the prelude makes it. */
static pm_object *make_a(pm_runtime *rt) {
    pm_object *cls = pm_class_new(rt, "__main__.A", NULL, 0);
    assert_non_null(cls);
    pm_object *a = pm_instance_new(rt, cls);
    assert_non_null(a);
    pm_object *five = pm_int_from_long(rt, 5);
    assert_int_equal(pm_instance_setattr_cstr(rt, a, "x", five), 0);
    pm_decref(rt, five);
    pm_decref(rt, cls);
    return a;
}

static const char *prelude2(void) { return "a = A(); a.x = 5\n"; }

/* Positional args of str.format: pool items 0, 9, 4, 14, 15, 17, 1, 13, 10, 12 */
static const int FMT_ARGS[] = {0, 9, 4, 14, 15, 17, 1, 13, 10, 12};
#define NFMT_ARGS 10
/* Keyword args: x=42 name='abc' f=3.14159 obj=a lst=[...] d={...} */
static const char *const KW_NAMES[] = {"x", "name", "f", "obj", "lst", "d"};
static const int KW_POOL[] = {0, 9, 4, 17, 14, 15};
#define NKW 6

static pm_object *make_args(pm_runtime *rt, pm_object *a) {
    pm_object *it[NFMT_ARGS];
    for (int i = 0; i < NFMT_ARGS; i++) it[i] = pool_value(rt, FMT_ARGS[i], a);
    pm_object *t = pm_tuple_from_array(rt, it, NFMT_ARGS);
    for (int i = 0; i < NFMT_ARGS; i++) pm_decref(rt, it[i]);
    assert_non_null(t);
    return t;
}

static pm_object *make_kwargs(pm_runtime *rt, pm_object *a) {
    pm_object *d = pm_dict_new(rt);
    for (int i = 0; i < NKW; i++) {
        pm_object *k = pm_str_from_cstr(rt, KW_NAMES[i]), *v = pool_value(rt, KW_POOL[i], a);
        assert_int_equal(pm_dict_set(rt, d, k, v), 0);
        pm_decref(rt, k);
        pm_decref(rt, v);
    }
    return d;
}

static void py_args(fu_buf *b) {
    fu_printf(b, "ARGS = (");
    for (int i = 0; i < NFMT_ARGS; i++) fu_printf(b, "%s, ", POOL_PY[FMT_ARGS[i]]);
    fu_printf(b, ")\nKW = {");
    for (int i = 0; i < NKW; i++) fu_printf(b, "'%s': %s, ", KW_NAMES[i], POOL_PY[KW_POOL[i]]);
    fu_printf(b, "}\n");
}

/* ---- str.format ------------------------------------------------------------ */

static const char *const FMT_FIXED[] = {
    "", "abc", "{}", "{}{}", "{0}{1}", "{}{1}", "{1}{}", "{10}", "{x}", "{name!r}", "{0.x}", "{5.x}",
    "{5.y}", "{3[1]}", "{3[7]}", "{4[x]}", "{4[-1]}", "{4[zz]}", "{3[1}", "}", "{", "{0", "a}b", "{0!}",
    "{0!x}", "{0!rr}", "{1!r:>7}", "{:{}}", "{0:{2}}", "{:{:{}}}", "{{}}", "{{{0}}}", "{0:}", "{0.}", "{3[]}",
    "{0..x}", "{.x}", "{[0]}", "{8!a}", "{3[0]x}", "{5.x[0]}", "{ 0}", "{00}", "{-1}", "{0}{}", "{:}{0}",
    "{obj.x}", "{obj.x:*^9}", "{lst[2]:.3f}", "{d[k]!r}", "{0:{1}}", "{0!r", "{0:d", "{{{", "{0]}", "{0[0]]}",
    "X{8}Y{9}", "{2:.{0}f}", "{f:{x}.{0}e}", "{0:{6}}", "{0!s:>{0}}", "{6:+05d}", "{7:d}", "{2:%}",
    "{0:{:>5}}", "{!}", "{:!}", "{0:{0:{0}}}", "{99999999999999999999999}", "{0[99999999999999999999999]}",
    "{x[", "{!r}", "{:x}{:o}", "{name:.1}{name:>{x}}", "{0:\xce\x94^9}", "{8:\xe2\x82\xac<4}",
    "\xc3\xa9{}\xe2\x82\xac", "{0:,}{0:_b}", "{9!s}", "{\xd9\xa1}", "{\xd9\xa3[\xd9\xa1]}", "{0:\xd9\xa5}",
};
#define NFMT_FIXED (sizeof FMT_FIXED / sizeof FMT_FIXED[0])

static const char *const FRAGS[] = {
    "{}", "{0}", "{1!r}", "{x}", "{0:>5}", "{3[1]}", "{4[x]}", "{5.x}", "{{", "}}", "abc", "{:{}}",
    "{2:.{0}f}", "{", "}", "{0!a}", "{name:*^10}", "{f:e}", "{6:+05d}", "{8!a:>4}", "{obj.x:03}", "{9}",
    "\xc3\xa9", "{2:{x}}", "{7:b}", "{lst[0]:#x}", "{1:5.2s}", "{:}", "{!s}", "{d[k]}", "{3[2]:g}",
};
#define NFRAGS (sizeof FRAGS / sizeof FRAGS[0])

#define NFMT_RANDOM 600

static void test_str_format_vs_python(void **state) {
    (void)state;
    size_t n = NFMT_FIXED + NFMT_RANDOM;
    char (*fmts)[256] = calloc(n, sizeof *fmts);
    assert_non_null(fmts);
    uint64_t st = 3101;
    for (size_t i = 0; i < n; i++) {
        if (i < NFMT_FIXED) {
            snprintf(fmts[i], sizeof fmts[i], "%s", FMT_FIXED[i]);
            continue;
        }
        int parts = 1 + (int)(tu_rand(&st) % 4);
        for (int p = 0; p < parts; p++) strcat(fmts[i], FRAGS[tu_rand(&st) % NFRAGS]);
    }
    fu_buf code = {0};
    fu_printf(&code, "%s%s", fu_prelude(), prelude2());
    py_args(&code);
    for (size_t i = 0; i < n; i++) {
        /* each string three ways: format(*ARGS, **KW), format(), format_map(KW) */
        fu_printf(&code, "F = ");
        fu_pystr(&code, fmts[i], strlen(fmts[i]));
        fu_printf(&code, "\nprint(_r(lambda: F.format(*ARGS, **KW)))\nprint(_r(lambda: F.format()))\n"
                         "print(_r(lambda: F.format_map(KW)))\n");
    }
    char *out = fu_run(code.p), *cur = out;
    pm_runtime *rt = tu_runtime();
    pm_object *a = make_a(rt);
    pm_object *args = make_args(rt, a), *kwargs = make_kwargs(rt, a);
    pm_object *empty = pm_tuple_from_array(rt, NULL, 0);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        pm_object *f = pm_str_from_utf8(rt, fmts[i], -1);
        assert_non_null(f);
        for (int way = 0; way < 3; way++) {
            char *want = fu_line(&cur);
            pm_object *r = way == 0 ? pm_str_format(rt, f, args, kwargs)
                         : way == 1 ? pm_str_format(rt, f, empty, NULL)
                                    : pm_str_format_map(rt, f, kwargs);
            char *got = fu_outcome(rt, r);
            if (strcmp(got, want) != 0 && bad++ < 25) {
                char g[512], w[512];
                const char *gh = strchr(got + 2, ' '), *wh = strchr(want + 2, ' ');
                fu_unhex(got[0] == 'R' ? got + 2 : gh ? gh + 1 : "", g, sizeof g);
                fu_unhex(want[0] == 'R' ? want + 2 : wh ? wh + 1 : "", w, sizeof w);
                print_message("'%s' way %d: pymm %.30s [%s]  python %.30s [%s]\n", fmts[i], way, got, g, want, w);
            }
            free(got);
            pm_xdecref(rt, r);
        }
        pm_decref(rt, f);
    }
    print_message("%zu str.format cases, %d mismatches\n", n * 3, bad);
    assert_int_equal(bad, 0);
    pm_decref(rt, empty);
    pm_decref(rt, args);
    pm_decref(rt, kwargs);
    pm_decref(rt, a);
    pm_runtime_free(rt);
    free(out);
    free(code.p);
    free(fmts);
}

/* ---- % ------------------------------------------------------------------------ */

typedef struct pcase {
    char fmt[64];               /* UTF-8 (str) or raw bytes (bytes) */
    int nargs;                  /* -1: one bare argument (pool[0]); -2: the dict pool 15 */
    int pool[4];                /* argument pool indices */
} pcase;

static const struct { const char *fmt; int nargs; int pool[4]; } PFIXED[] = {
    {"%05s", -1, {9}}, {"%-05d", 1, {0}}, {"%05d", 1, {1}}, {"%.5d", 1, {1}}, {"%#.5x", 1, {1}},
    {"%#08x", 1, {0}}, {"%+#08o", 1, {0}}, {"% d", 1, {0}}, {"%x", 1, {4}}, {"%d", 1, {4}}, {"%d", 1, {9}},
    {"%f", 1, {9}}, {"%c", 1, {18}}, {"%c", 1, {9}}, {"%c", 1, {1}}, {"%c", 1, {4}}, {"%y", 1, {0}},
    {"%", 1, {9}}, {"%s %s", 1, {0}}, {"%s", 2, {0, 1}}, {"%(x)s", -2, {0}}, {"%(x)s", -1, {0}},
    {"%(x", -2, {0}}, {"%*d", 2, {18, 0}}, {"%-*d", 2, {18, 0}}, {"%*d", 2, {1, 0}}, {"%.*f", 2, {0, 4}},
    {"%*d", 2, {9, 0}}, {"%s", -1, {14}}, {"abc", 0, {0}}, {"abc", -1, {14}}, {"abc", -2, {0}},
    {"abc", -1, {0}}, {"%s", -2, {0}}, {"%e", 1, {6}}, {"%g", 1, {6}}, {"%#g", 1, {4}}, {"%r", 1, {9}},
    {"%a", 1, {10}}, {"%i", 1, {13}}, {"%s", 1, {13}}, {"%.0f", 1, {5}}, {"%5%", 0, {0}}, {"%5%", 1, {0}},
    {"%(x)*d", -2, {0}}, {"%d", 1, {3}}, {"%x", 1, {23}}, {"%X", 1, {3}}, {"%#X", 1, {0}}, {"%o", 1, {1}},
    {"%u", 1, {1}}, {"%F", 1, {7}}, {"%010f", 1, {7}}, {"%.3s", 1, {10}}, {"%*s", 2, {18, 9}},
    {"%c", 1, {19}}, {"%z", 1, {0}}, {"%\x01", 1, {0}}, {"%\xc3\xa9", 1, {0}}, {"%.2", 1, {0}},
    {"%(x)d %d", -2, {0}}, {"%d %(x)d", 1, {0}}, {"%s %", 1, {0}}, {"%2$s", 1, {0}}, {"%ld %hi %Lf", 3, {0, 1, 4}},
    {"%-+8.3e|%+-8.3E", 2, {4, 5}}, {"%#o %#x", 2, {2, 2}}, {"%.0d|%.0x", 2, {2, 2}}, {"% 05d", 1, {0}},
    {"%+5s", 1, {9}}, {"%r", 1, {4}}, {"%a", 1, {9}}, {"%d", 1, {7}}, {"%d", 1, {8}}, {"%s", 1, {16}},
    {"%(k)s|%(-1)05d", -2, {0}}, {"%((x))s", -2, {0}}, {"%(zz)s", -2, {0}}, {"%s", 0, {0}}, {"%%", 0, {0}},
    {"%%%s%%", 1, {21}}, {"%c", 1, {21}}, {"%5c|%-3c", 2, {18, 21}}, {"%.3g|%10.4G", 2, {6, 8}},
    {"%-#10x|%0#10X", 2, {3, 23}},
};
#define NPFIXED (sizeof PFIXED / sizeof PFIXED[0])

static const int STR_VALUES[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 21, 23};
static const int BYTES_VALUES[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 16, 18, 20, 22, 23};

/* A random conversion (and its argument) appended to c. */
static void random_conv(uint64_t *st, pcase *c, int bytes) {
    uint64_t r = tu_rand(st);
    char *p = c->fmt + strlen(c->fmt);
    if (r % 3 == 0) p += sprintf(p, "<");
    *p++ = '%';
    for (int i = 0; i < 5; i++)
        if ((r >> (4 + i * 3)) % 5 == 0) *p++ = "-+ #0"[i];
    if ((r >> 20) % 2) p += sprintf(p, "%d", (int)((r >> 22) % 16));
    if ((r >> 27) % 3 == 0) p += sprintf(p, ".%d", (int)((r >> 29) % 12));
    const char *types = bytes ? "sbradiuoxXeEfFgGc" : "sradiuoxXeEfFgGc";
    *p++ = types[(r >> 34) % strlen(types)];
    *p = 0;
    int nv = bytes ? (int)(sizeof BYTES_VALUES / sizeof BYTES_VALUES[0]) : (int)(sizeof STR_VALUES / sizeof STR_VALUES[0]);
    int v = bytes ? BYTES_VALUES[(r >> 40) % (uint64_t)nv] : STR_VALUES[(r >> 40) % (uint64_t)nv];
    c->pool[c->nargs++] = v;
}

#define NPRANDOM 700

static void fill_cases(pcase *cases, size_t n, int bytes, uint64_t seed) {
    uint64_t st = seed;
    for (size_t i = 0; i < n; i++) {
        pcase *c = &cases[i];
        if (i < NPFIXED) {
            snprintf(c->fmt, sizeof c->fmt, "%s", PFIXED[i].fmt);
            c->nargs = PFIXED[i].nargs;
            memcpy(c->pool, PFIXED[i].pool, sizeof c->pool);
            continue;
        }
        int k = 1 + (int)(tu_rand(&st) % 3);
        for (int j = 0; j < k; j++) random_conv(&st, c, bytes);
    }
}

static pm_object *make_pargs(pm_runtime *rt, const pcase *c, pm_object *a) {
    if (c->nargs == -1) return pool_value(rt, c->pool[0], a);
    if (c->nargs == -2) return pool_value(rt, 15, a);
    pm_object *it[4];
    for (int i = 0; i < c->nargs; i++) it[i] = pool_value(rt, c->pool[i], a);
    pm_object *t = pm_tuple_from_array(rt, it, c->nargs);
    for (int i = 0; i < c->nargs; i++) pm_decref(rt, it[i]);
    assert_non_null(t);
    return t;
}

static void py_pargs(fu_buf *b, const pcase *c) {
    if (c->nargs == -1) fu_printf(b, "%s", POOL_PY[c->pool[0]]);
    else if (c->nargs == -2) fu_printf(b, "%s", POOL_PY[15]);
    else {
        fu_printf(b, "(");
        for (int i = 0; i < c->nargs; i++) fu_printf(b, "%s, ", POOL_PY[c->pool[i]]);
        fu_printf(b, ")");
    }
}

static void run_percent(int bytes) {
    size_t n = NPFIXED + NPRANDOM;
    pcase *cases = calloc(n, sizeof *cases);
    assert_non_null(cases);
    fill_cases(cases, n, bytes, bytes ? 77 : 55);
    fu_buf code = {0};
    fu_printf(&code, "%s%s", fu_prelude(), prelude2());
    for (size_t i = 0; i < n; i++) {
        fu_printf(&code, "print(_r(lambda: ");
        if (bytes) fu_pybytes(&code, cases[i].fmt, strlen(cases[i].fmt));
        else fu_pystr(&code, cases[i].fmt, strlen(cases[i].fmt));
        fu_printf(&code, " %% ");
        py_pargs(&code, &cases[i]);
        fu_printf(&code, "))\n");
    }
    char *out = fu_run(code.p), *cur = out;
    pm_runtime *rt = tu_runtime();
    pm_object *a = make_a(rt);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char *want = fu_line(&cur);
        pm_object *f = bytes ? pm_bytes_new(rt, cases[i].fmt, (pm_ssize_t)strlen(cases[i].fmt))
                             : pm_str_from_utf8(rt, cases[i].fmt, -1);
        assert_non_null(f);
        pm_object *args = make_pargs(rt, &cases[i], a);
        pm_object *r = bytes ? pm_bytes_percent(rt, f, args) : pm_str_percent(rt, f, args);
        char *got = fu_outcome(rt, r);
        if (strcmp(got, want) != 0 && bad++ < 25) {
            fu_buf ab = {0};
            py_pargs(&ab, &cases[i]);
            char g[512], w[512];
            const char *gh = strchr(got + 2, ' '), *wh = strchr(want + 2, ' ');
            fu_unhex(got[0] == 'R' ? got + 2 : gh ? gh + 1 : "", g, sizeof g);
            fu_unhex(want[0] == 'R' ? want + 2 : wh ? wh + 1 : "", w, sizeof w);
            print_message("%s'%s' %% %s: pymm %.30s [%s]  python %.30s [%s]\n", bytes ? "b" : "", cases[i].fmt,
                          ab.p, got, g, want, w);
            free(ab.p);
        }
        free(got);
        pm_xdecref(rt, r);
        pm_decref(rt, args);
        pm_decref(rt, f);
    }
    print_message("%zu %s %% cases, %d mismatches\n", n, bytes ? "bytes" : "str", bad);
    assert_int_equal(bad, 0);
    pm_decref(rt, a);
    pm_runtime_free(rt);
    free(out);
    free(code.p);
    free(cases);
}

static void test_str_percent_vs_python(void **state) {
    (void)state;
    run_percent(0);
}

static void test_bytes_percent_vs_python(void **state) {
    (void)state;
    run_percent(1);
}

/* ---- fault sweeps ----------------------------------------------------------- */

typedef pm_object *(*call_fn)(pm_runtime *rt, pm_object *f, pm_object *args, pm_object *kw);
static pm_object *call_format(pm_runtime *rt, pm_object *f, pm_object *args, pm_object *kw) {
    return pm_str_format(rt, f, args, kw);
}
static pm_object *call_percent(pm_runtime *rt, pm_object *f, pm_object *args, pm_object *kw) {
    (void)kw;
    return pm_str_percent(rt, f, args);
}
static pm_object *call_bpercent(pm_runtime *rt, pm_object *f, pm_object *args, pm_object *kw) {
    (void)kw;
    return pm_bytes_percent(rt, f, args);
}

static void sweep(pm_runtime *rt, call_fn fn, pm_object *f, pm_object *args, pm_object *kw) {
    pm_object *ref = fn(rt, f, args, kw);
    assert_non_null(ref);
    int fired_runs = 0;
    for (long nth = 1;; nth++) {
        size_t before = fu_blocks(rt);
        pm_fault_inject(rt, nth, 0);
        pm_object *r = fn(rt, f, args, kw);
        long fired = pm_fault_fired(rt);
        pm_fault_inject(rt, 0, 0);
        if (r) {
            assert_int_equal(pm_equal(rt, r, ref), 1);
            pm_decref(rt, r);
        } else {
            assert_true(fired);
            assert_int_equal(pm_err_kind(rt), PM_EXC_MemoryError);
            pm_err_clear(rt);
        }
        assert_int_equal(fu_blocks(rt), before);
        if (!fired) break;
        fired_runs++;
    }
    assert_true(fired_runs >= 1);
    pm_decref(rt, ref);
}

static void test_fault_sweeps(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *a = make_a(rt);
    pm_object *args = make_args(rt, a), *kw = make_kwargs(rt, a);
    pm_object *f = pm_str_from_cstr(rt, "\xc3\xa9{0:>{x}}|{1!r}|{5.x:*^9}|{4[k]}|{3[2]:.{0}e}|{name!a}|{{}}");
    sweep(rt, call_format, f, args, kw);
    pm_decref(rt, f);
    f = pm_str_from_cstr(rt, "%(k)s|%(x)+08.3f|%(-1)#x");
    pm_object *d = pool_value(rt, 15, a);
    sweep(rt, call_percent, f, d, NULL);
    pm_decref(rt, f);
    pm_object *items[4] = {pool_value(rt, 3, a), pool_value(rt, 10, a), pool_value(rt, 6, a), pool_value(rt, 18, a)};
    pm_object *t = pm_tuple_from_array(rt, items, 4);
    f = pm_str_from_cstr(rt, "%-30d|%a|%.20e|%c\xe2\x82\xac");
    sweep(rt, call_percent, f, t, NULL);
    pm_decref(rt, f);
    pm_decref(rt, t);
    for (int i = 0; i < 4; i++) pm_decref(rt, items[i]);
    items[0] = pool_value(rt, 12, a);
    items[1] = pool_value(rt, 10, a);
    items[2] = pool_value(rt, 20, a);
    items[3] = pool_value(rt, 3, a);
    t = pm_tuple_from_array(rt, items, 4);
    f = pm_bytes_new(rt, "%s|%r|%c|%#x", -1 + (pm_ssize_t)sizeof "%s|%r|%c|%#x");
    sweep(rt, call_bpercent, f, t, NULL);
    pm_decref(rt, f);
    pm_decref(rt, t);
    for (int i = 0; i < 4; i++) pm_decref(rt, items[i]);
    pm_decref(rt, d);
    pm_decref(rt, args);
    pm_decref(rt, kw);
    pm_decref(rt, a);
    pm_runtime_free(rt);
}

static void test_examples(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *f = pm_str_from_cstr(rt, "{0}-{0!r}-{{}}");
    pm_object *s = pm_str_from_cstr(rt, "x");
    pm_object *t = pm_tuple_pack(rt, 1, s);
    pm_object *r = pm_str_format(rt, f, t, NULL);
    assert_non_null(r);
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), "x-'x'-{}");
    pm_decref(rt, r);
    pm_decref(rt, f);
    f = pm_str_from_cstr(rt, "%5s|%-4d|%#x");
    pm_object *n = pm_int_from_long(rt, 255);
    pm_object *t3 = pm_tuple_pack(rt, 3, s, n, n);
    r = pm_str_percent(rt, f, t3);
    assert_non_null(r);
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), "    x|255 |0xff");
    pm_decref(rt, r);
    pm_object *u = pm_str_from_cstr(rt, "\xc3\xa9");
    r = pm_ascii(rt, u);
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), "'\\xe9'");
    pm_decref(rt, r);
    pm_decref(rt, u);
    pm_decref(rt, t3);
    pm_decref(rt, n);
    pm_decref(rt, f);
    pm_decref(rt, t);
    pm_decref(rt, s);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),
        cmocka_unit_test(test_str_format_vs_python),
        cmocka_unit_test(test_str_percent_vs_python),
        cmocka_unit_test(test_bytes_percent_vs_python),
        cmocka_unit_test(test_fault_sweeps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
