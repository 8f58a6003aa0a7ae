/* repr() and str() of every core type, checked against python3: seeded
 * random values (ints, floats, strs with quotes / escapes / non-printable
 * and astral code points, bytes, bytearray, complex, None, bools, Ellipsis,
 * NotImplemented, slices, type objects) nested in lists, tuples, dicts,
 * sets and frozensets, plus self-referencing containers; and ascii(). */
#include <math.h>
#include "fmtutil.h"

static pm_object *gen(pm_runtime *rt, uint64_t *st, int depth, fu_buf *py);

static void py_double(fu_buf *py, double d) {
    if (isnan(d)) fu_printf(py, "float('nan')");
    else if (isinf(d)) fu_printf(py, "float('%sinf')", d < 0 ? "-" : "");
    else fu_printf(py, "float.fromhex('%a')", d);
}

static pm_object *gen_str(pm_runtime *rt, uint64_t *st, fu_buf *py) {
    static const uint32_t pool[] = {'a', 'Z', ' ', '\'', '"', '\\', '\n', '\t', '\r', 0, 0x7f, 0x80, 0xa0, 0xe9,
                                    0xad, 0x100, 0x394, 0x2028, 0x3000, 0xfeff, 0xffff, 0x1f600, 0xe000,
                                    0x10ffff, 0xd800, '0', '{', '}'};
    uint32_t cps[12];
    int n = (int)(tu_rand(st) % 8);
    for (int i = 0; i < n; i++) cps[i] = pool[tu_rand(st) % (sizeof pool / sizeof pool[0])];
    pm_object *s = pm_str_from_ucs4(rt, cps, n);
    fu_printf(py, "'");
    for (int i = 0; i < n; i++) fu_printf(py, "\\U%08x", (unsigned)cps[i]);
    fu_printf(py, "'");
    return s;
}

static pm_object *gen_atom(pm_runtime *rt, uint64_t *st, fu_buf *py) {
    uint64_t r = tu_rand(st);
    switch (r % 14) {
    case 0: {
        long long v = (long long)(tu_rand(st) >> (r >> 8) % 64) * ((r >> 16) % 2 ? -1 : 1);
        fu_printf(py, "%lld", v);
        return pm_int_from_longlong(rt, v);
    }
    case 1: case 2: {
        double d;
        uint64_t bits = tu_rand(st);
        if ((r >> 8) % 3 == 0) memcpy(&d, &bits, sizeof d);
        else d = (double)(int64_t)(bits % 200001) / 100.0 - 1000.0;
        py_double(py, d);
        return pm_float_new(rt, d);
    }
    case 3: case 4: return gen_str(rt, st, py);
    case 5: case 6: {
        char b[8];
        int n = (int)(tu_rand(st) % 8);
        for (int i = 0; i < n; i++) b[i] = "a'\"\\\n\t\x00\x7f\x80\xff Z"[tu_rand(st) % 12];
        if ((r >> 8) % 2) {
            fu_pybytes(py, b, (size_t)n);
            return pm_bytes_new(rt, b, n);
        }
        fu_printf(py, "bytearray(");
        fu_pybytes(py, b, (size_t)n);
        fu_printf(py, ")");
        return pm_bytearray_new(rt, b, n);
    }
    case 7: {
        static const double parts[] = {0.0, -0.0, 1.0, -2.5, 1e300, 1e-7, INFINITY, -INFINITY, NAN, 3.0};
        double re = parts[(r >> 8) % 10], im = parts[(r >> 12) % 10];
        fu_printf(py, "complex(");
        py_double(py, re);
        fu_printf(py, ", ");
        py_double(py, im);
        fu_printf(py, ")");
        return pm_complex_new(rt, re, im);
    }
    case 8: fu_printf(py, "None"); return PM_NONE;
    case 9: fu_printf(py, (r >> 8) % 2 ? "True" : "False"); return pm_bool_from((r >> 8) % 2);
    case 10: fu_printf(py, "..."); return PM_ELLIPSIS;
    case 11: fu_printf(py, "NotImplemented"); return PM_NOTIMPLEMENTED;
    case 12: {
        long a = (long)((r >> 8) % 7) - 3, b = (long)((r >> 12) % 9);
        int mode = (int)((r >> 20) % 4);
        fu_printf(py, "slice(%ld, %s, %s)", a, mode & 1 ? "None" : "5", mode & 2 ? "None" : "-1");
        pm_object *x = pm_int_from_long(rt, a), *y = mode & 1 ? NULL : pm_int_from_long(rt, 5),
                  *z = mode & 2 ? NULL : pm_int_from_long(rt, -1);
        (void)b;
        pm_object *s = pm_slice_new(rt, x, y, z);
        pm_decref(rt, x);
        pm_xdecref(rt, y);
        pm_xdecref(rt, z);
        return s;
    }
    default: {
        static const pm_type *const types[] = {&pm_int_type, &pm_str_type, &pm_list_type, &pm_dict_type,
                                                &pm_float_type, &pm_bool_type, &pm_type_type, &pm_tuple_type};
        static const char *const names[] = {"int", "str", "list", "dict", "float", "bool", "type", "tuple"};
        int k = (int)((r >> 8) % 8);
        fu_printf(py, "%s", names[k]);
        return (pm_object *)types[k];
    }
    }
}

static pm_object *gen(pm_runtime *rt, uint64_t *st, int depth, fu_buf *py) {
    uint64_t r = tu_rand(st);
    if (depth <= 0 || r % 3 == 0) return gen_atom(rt, st, py);
    int n = (int)((r >> 8) % 4);
    pm_object *items[4] = {0};
    switch ((r >> 16) % 5) {
    case 0: case 1: {
        int tuple = (r >> 16) % 5 == 1;
        fu_printf(py, tuple ? "(" : "[");
        for (int i = 0; i < n; i++) {
            items[i] = gen(rt, st, depth - 1, py);
            fu_printf(py, ", ");
        }
        fu_printf(py, tuple ? ")" : "]");
        pm_object *o = tuple ? pm_tuple_from_array(rt, items, n) : pm_list_from_array(rt, items, n);
        for (int i = 0; i < n; i++) pm_decref(rt, items[i]);
        return o;
    }
    case 2: {
        /* dict with str / int keys, insertion ordered */
        pm_object *d = pm_dict_new(rt);
        fu_printf(py, "dict([");
        for (int i = 0; i < n; i++) {
            fu_printf(py, "(");
            pm_object *k = (r >> (24 + i)) % 2 ? gen_str(rt, st, py) : pm_int_from_long(rt, i * 7 - 3);
            if (!((r >> (24 + i)) % 2)) fu_printf(py, "%d", i * 7 - 3);
            fu_printf(py, ", ");
            pm_object *v = gen(rt, st, depth - 1, py);
            fu_printf(py, "), ");
            pm_dict_set(rt, d, k, v);
            pm_decref(rt, k);
            pm_decref(rt, v);
        }
        fu_printf(py, "])");
        return d;
    }
    default: {
        /* sets of small ints: iteration order is the table order in both */
        int frozen = (r >> 16) % 5 == 4;
        fu_printf(py, frozen ? "frozenset([" : "set([");
        pm_object *l = pm_list_new(rt);
        for (int i = 0; i < n + 1; i++) {
            long v = (long)(tu_rand(st) % 40) - 10;
            fu_printf(py, "%ld, ", v);
            pm_object *x = pm_int_from_long(rt, v);
            pm_list_append(rt, l, x);
            pm_decref(rt, x);
        }
        fu_printf(py, "])");
        pm_object *s = frozen ? pm_frozenset_new(rt, l) : pm_set_new(rt, l);
        pm_decref(rt, l);
        return s;
    }
    }
}

#define NREPR 1500

static void test_repr_str_ascii_vs_python(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object **objs = calloc(NREPR, sizeof *objs);
    assert_non_null(objs);
    fu_buf code = {0};
    fu_printf(&code, "%s", fu_prelude());
    uint64_t st = 1991;
    for (int i = 0; i < NREPR; i++) {
        fu_printf(&code, "x = ");
        objs[i] = gen(rt, &st, 3, &code);
        assert_non_null(objs[i]);
        fu_printf(&code, "\nprint(_r(lambda: repr(x)))\nprint(_r(lambda: str(x)))\nprint(_r(lambda: ascii(x)))\n");
    }
    char *out = fu_run(code.p), *cur = out;
    int bad = 0;
    for (int i = 0; i < NREPR; i++) {
        for (int way = 0; way < 3; way++) {
            char *want = fu_line(&cur);
            pm_object *r = way == 0 ? pm_repr(rt, objs[i]) : way == 1 ? pm_str(rt, objs[i]) : pm_ascii(rt, objs[i]);
            char *got = fu_outcome(rt, r);
            if (strcmp(got, want) != 0 && bad++ < 20) {
                char g[600], w[600];
                fu_unhex(got + 2, g, sizeof g);
                fu_unhex(want + 2, w, sizeof w);
                print_message("case %d way %d: pymm [%s]  python [%s]\n", i, way, g, w);
            }
            free(got);
            pm_xdecref(rt, r);
        }
        pm_decref(rt, objs[i]);
    }
    print_message("%d repr/str/ascii cases, %d mismatches\n", NREPR * 3, bad);
    assert_int_equal(bad, 0);
    pm_runtime_free(rt);
    free(objs);
    free(out);
    free(code.p);
}

/* Self-referencing containers print [...] / {...} as python3 does. */
static void test_recursive_repr(void **state) {
    (void)state;
    char *out = fu_run("l = []; l.append(l); print(repr(l))\n"
                       "d = {}; d['a'] = d; d['b'] = [d]; print(repr(d))\n"
                       "m = [1]; t = (m, 'x'); m.append(t); print(repr(m)); print(repr(t))\n");
    char *cur = out;
    pm_runtime *rt = tu_runtime();
    pm_object *l = pm_list_new(rt);
    pm_list_append(rt, l, l);
    pm_object *d = pm_dict_new(rt), *ka = pm_str_from_cstr(rt, "a"), *kb = pm_str_from_cstr(rt, "b");
    pm_dict_set(rt, d, ka, d);
    pm_object *ld = pm_list_from_array(rt, &d, 1);
    pm_dict_set(rt, d, kb, ld);
    pm_object *one = pm_int_from_long(rt, 1), *x = pm_str_from_cstr(rt, "x");
    pm_object *m = pm_list_from_array(rt, &one, 1);
    pm_object *t = pm_tuple_pack(rt, 2, m, x);
    pm_list_append(rt, m, t);
    pm_object *objs[4] = {l, d, m, t};
    for (int i = 0; i < 4; i++) {
        char *want = fu_line(&cur);
        pm_object *r = pm_repr(rt, objs[i]);
        assert_non_null(r);
        assert_string_equal(pm_str_as_utf8(rt, r, NULL), want);
        pm_decref(rt, r);
    }
    pm_list_clear(rt, l);
    pm_dict_clear(rt, d);
    pm_list_clear(rt, m);
    pm_decref(rt, l), pm_decref(rt, d), pm_decref(rt, ld), pm_decref(rt, m), pm_decref(rt, t);
    pm_decref(rt, ka), pm_decref(rt, kb), pm_decref(rt, one), pm_decref(rt, x);
    pm_runtime_free(rt);
    free(out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repr_str_ascii_vs_python),
        cmocka_unit_test(test_recursive_repr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
