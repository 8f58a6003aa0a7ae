/* sys.getsizeof parity with CPython 3.11 for every core type (issue 3's
 * "Must show" list): the expected numbers are asked from python3 at test
 * time, so the test checks the real thing, and the table is printed. */
#include <stdlib.h>
#include "ctutil.h"

/* One row: a label, the Python expression, and how pymm builds the value. */
typedef struct row {
    const char *label;
    const char *py;             /* evaluated by python3; getsizeof printed */
    pm_object *(*make)(pm_runtime *rt);
} row;

static pm_object *mk_0(pm_runtime *rt) { return pm_int_from_long(rt, 0); }
static pm_object *mk_5(pm_runtime *rt) { return pm_int_from_long(rt, 5); }
static pm_object *mk_2p30(pm_runtime *rt) { return pm_int_from_long(rt, 1L << 30); }
static pm_object *mk_2p100(pm_runtime *rt) {
    return pm_int_from_string(rt, "1267650600228229401496703205376", -1, 10);
}
static pm_object *mk_m1(pm_runtime *rt) { return pm_int_from_long(rt, -1); }
static pm_object *mk_true(pm_runtime *rt) { return pm_newref(rt, PM_TRUE); }
static pm_object *mk_none(pm_runtime *rt) { return pm_newref(rt, PM_NONE); }
static pm_object *mk_1f(pm_runtime *rt) { return pm_float_new(rt, 1.0); }
static pm_object *mk_s0(pm_runtime *rt) { return pm_str_from_cstr(rt, ""); }
static pm_object *mk_sa(pm_runtime *rt) { return pm_str_from_cstr(rt, "a"); }
static pm_object *mk_se(pm_runtime *rt) { return pm_str_from_cstr(rt, "\xc3\xa9"); }
static pm_object *mk_seuro(pm_runtime *rt) { return pm_str_from_cstr(rt, "\xe2\x82\xac"); }
static pm_object *mk_semoji(pm_runtime *rt) { return pm_str_from_cstr(rt, "\xf0\x9f\x98\x80"); }
static pm_object *mk_sabc10(pm_runtime *rt) {
    return pm_str_from_cstr(rt, "abcabcabcabcabcabcabcabcabcabc");
}
static pm_object *mk_b0(pm_runtime *rt) { return pm_bytes_new(rt, "", 0); }
static pm_object *mk_babc(pm_runtime *rt) { return pm_bytes_new(rt, "abc", 3); }
static pm_object *mk_ba0(pm_runtime *rt) { return pm_bytearray_new(rt, NULL, 0); }
static pm_object *mk_baabc(pm_runtime *rt) { return pm_bytearray_new(rt, "abc", 3); }
static pm_object *mk_l0(pm_runtime *rt) { return pm_list_new(rt); }

/* [1, 2, 3] as CPython 3.11 compiles a constant list display: BUILD_LIST 0,
 * then LIST_EXTEND with the constant tuple (1, 2, 3). */
static pm_object *mk_l123(pm_runtime *rt) {
    pm_object *a = pm_int_from_long(rt, 1), *b = pm_int_from_long(rt, 2), *c = pm_int_from_long(rt, 3);
    pm_object *t = pm_tuple_pack(rt, 3, a, b, c);
    pm_object *l = pm_list_new(rt);
    assert_int_equal(pm_list_extend(rt, l, t), 0);
    pm_decref(rt, t);
    pm_decref(rt, a);
    pm_decref(rt, b);
    pm_decref(rt, c);
    return l;
}
/* [a, a, a] with a variable: BUILD_LIST 3 (exact). */
static pm_object *mk_laaa(pm_runtime *rt) {
    pm_object *a = pm_int_from_long(rt, 1);
    pm_object *items[3] = {a, a, a};
    pm_object *l = pm_list_from_array(rt, items, 3);
    pm_decref(rt, a);
    return l;
}
static pm_object *mk_t0(pm_runtime *rt) { return pm_tuple_from_array(rt, NULL, 0); }
static pm_object *mk_t1(pm_runtime *rt) {
    pm_object *a = pm_int_from_long(rt, 1);
    pm_object *t = pm_tuple_pack(rt, 1, a);
    pm_decref(rt, a);
    return t;
}
static pm_object *mk_t123(pm_runtime *rt) {
    pm_object *a = pm_int_from_long(rt, 1), *b = pm_int_from_long(rt, 2), *c = pm_int_from_long(rt, 3);
    pm_object *t = pm_tuple_pack(rt, 3, a, b, c);
    pm_decref(rt, a);
    pm_decref(rt, b);
    pm_decref(rt, c);
    return t;
}
static pm_object *mk_d0(pm_runtime *rt) { return pm_dict_new(rt); }
/* {'a': 1}: BUILD_MAP 1 (_PyDict_FromItems). */
static pm_object *mk_da1(pm_runtime *rt) {
    pm_object *k = pm_str_from_cstr(rt, "a"), *v = pm_int_from_long(rt, 1);
    pm_object *d = pm_dict_from_items(rt, &k, &v, 1);
    pm_decref(rt, k);
    pm_decref(rt, v);
    return d;
}
/* d = {}; d[str(i)] = i (or d[i] = i) for i in range(n). */
static pm_object *mk_dict_n(pm_runtime *rt, int n, int str_keys) {
    pm_object *d = pm_dict_new(rt);
    for (int i = 0; i < n; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "%d", i);
        pm_object *v = pm_int_from_long(rt, i);
        pm_object *k = str_keys ? pm_str_from_cstr(rt, buf) : pm_newref(rt, v);
        assert_int_equal(pm_dict_set(rt, d, k, v), 0);
        pm_decref(rt, k);
        pm_decref(rt, v);
    }
    return d;
}
static pm_object *mk_ds6(pm_runtime *rt) { return mk_dict_n(rt, 6, 1); }
static pm_object *mk_ds100(pm_runtime *rt) { return mk_dict_n(rt, 100, 1); }
static pm_object *mk_di6(pm_runtime *rt) { return mk_dict_n(rt, 6, 0); }
static pm_object *mk_di100(pm_runtime *rt) { return mk_dict_n(rt, 100, 0); }
static pm_object *mk_s_empty(pm_runtime *rt) { return pm_set_new(rt, NULL); }
/* {1, 2, 3}: BUILD_SET 3 (an empty set, then three adds). */
static pm_object *mk_s123(pm_runtime *rt) {
    pm_object *s = pm_set_new(rt, NULL);
    for (long i = 1; i <= 3; i++) {
        pm_object *v = pm_int_from_long(rt, i);
        assert_int_equal(pm_set_add(rt, s, v), 0);
        pm_decref(rt, v);
    }
    return s;
}
static pm_object *mk_s_range(pm_runtime *rt, long n) {
    pm_object *s = pm_set_new(rt, NULL);
    for (long i = 0; i < n; i++) {
        pm_object *v = pm_int_from_long(rt, i);
        assert_int_equal(pm_set_add(rt, s, v), 0);
        pm_decref(rt, v);
    }
    return s;
}
static pm_object *mk_s5(pm_runtime *rt) { return mk_s_range(rt, 5); }
static pm_object *mk_s19(pm_runtime *rt) { return mk_s_range(rt, 19); }
static pm_object *mk_fs0(pm_runtime *rt) { return pm_frozenset_new(rt, NULL); }
static pm_object *mk_obj(pm_runtime *rt) { return pm_object_new(rt); }
static pm_object *mk_inst(pm_runtime *rt) {
    pm_object *c = pm_class_new(rt, "__main__.C", NULL, 0);
    pm_object *o = pm_instance_new(rt, c);
    pm_decref(rt, c);
    return o;
}
static pm_object *mk_slots2(pm_runtime *rt) {
    const char *names[] = {"a", "b"};
    pm_object *c = pm_class_new(rt, "__main__.S", names, 2);
    pm_object *o = pm_instance_new(rt, c);
    pm_decref(rt, c);
    return o;
}

#define PY_DICT_N(n, key) "(lambda d: ([d.__setitem__(" key ", i) for i in range(" #n ")], d)[1])({})"

static const row rows[] = {
    {"0", "0", mk_0},
    {"5", "5", mk_5},
    {"2**30", "2**30", mk_2p30},
    {"2**100", "2**100", mk_2p100},
    {"-1", "-1", mk_m1},
    {"True", "True", mk_true},
    {"None", "None", mk_none},
    {"1.0", "1.0", mk_1f},
    {"''", "''", mk_s0},
    {"'a'", "'a'", mk_sa},
    {"'\xc3\xa9'", "'\\u00e9'", mk_se},
    {"'\xe2\x82\xac'", "'\\u20ac'", mk_seuro},
    {"'\xf0\x9f\x98\x80'", "'\\U0001F600'", mk_semoji},
    {"'abc'*10", "'abc'*10", mk_sabc10},
    {"b''", "b''", mk_b0},
    {"b'abc'", "b'abc'", mk_babc},
    {"bytearray()", "bytearray()", mk_ba0},
    {"bytearray(b'abc')", "bytearray(b'abc')", mk_baabc},
    {"[]", "[]", mk_l0},
    {"[1, 2, 3]", "[1, 2, 3]", mk_l123},
    {"[a, a, a]", "(lambda a: [a, a, a])(1)", mk_laaa},
    {"()", "()", mk_t0},
    {"(1,)", "(1,)", mk_t1},
    {"(1, 2, 3)", "(1, 2, 3)", mk_t123},
    {"{}", "{}", mk_d0},
    {"{'a': 1}", "{'a': 1}", mk_da1},
    {"dict: 6 str keys", PY_DICT_N(6, "str(i)"), mk_ds6},
    {"dict: 100 str keys", PY_DICT_N(100, "str(i)"), mk_ds100},
    {"dict: 6 int keys", PY_DICT_N(6, "i"), mk_di6},
    {"dict: 100 int keys", PY_DICT_N(100, "i"), mk_di100},
    {"set()", "set()", mk_s_empty},
    {"{1, 2, 3}", "{1, 2, 3}", mk_s123},
    {"set: 5 adds", "(lambda s: ([s.add(i) for i in range(5)], s)[1])(set())", mk_s5},
    {"set: 19 adds", "(lambda s: ([s.add(i) for i in range(19)], s)[1])(set())", mk_s19},
    {"frozenset()", "frozenset()", mk_fs0},
    {"object()", "object()", mk_obj},
    {"instance", "(lambda C: C())(type('C', (), {}))", mk_inst},
    {"2-slot instance", "(lambda S: S())(type('S', (), {'__slots__': ('a', 'b')}))", mk_slots2},
};
#define NROWS (sizeof rows / sizeof rows[0])
#define NAPPENDS 20

static void test_getsizeof_table(void **state) {
    (void)state;
    tu_need_python3();
    /* The Python side: one number per line, rows first, then the list after
     * each of 20 appends. */
    size_t cap = 16384, len = 0;
    char *code = malloc(cap);
    assert_non_null(code);
    len += (size_t)snprintf(code + len, cap - len, "import sys\n");
    for (size_t i = 0; i < NROWS; i++)
        len += (size_t)snprintf(code + len, cap - len, "print(sys.getsizeof(%s))\n", rows[i].py);
    len += (size_t)snprintf(code + len, cap - len,
                            "l = []\nfor i in range(%d):\n    l.append(i)\n    print(sys.getsizeof(l))\n",
                            NAPPENDS);
    assert_true(len < cap);
    char out[8192];
    int st = tu_python(code, out, sizeof out);
    free(code);
    assert_int_equal(st, 0);

    long expect[NROWS + NAPPENDS];
    char *p = out;
    for (size_t i = 0; i < NROWS + NAPPENDS; i++) {
        char *end;
        expect[i] = strtol(p, &end, 10);
        assert_true(end != p);
        p = end;
    }

    pm_runtime *rt = tu_runtime();
    int bad = 0;
    printf("%-22s %8s %8s\n", "object", "python3", "pymm");
    for (size_t i = 0; i < NROWS; i++) {
        pm_object *o = rows[i].make(rt);
        assert_non_null(o);
        size_t got = pm_getsizeof(rt, o);
        printf("%-22s %8ld %8zu%s\n", rows[i].label, expect[i], got,
               (long)got == expect[i] ? "" : "   <-- MISMATCH");
        if ((long)got != expect[i]) bad++;
        pm_decref(rt, o);
    }
    pm_object *l = pm_list_new(rt);
    for (int i = 0; i < NAPPENDS; i++) {
        pm_object *v = ct_int(rt, i);
        assert_int_equal(pm_list_append(rt, l, v), 0);
        pm_decref(rt, v);
        size_t got = pm_getsizeof(rt, l);
        long want = expect[NROWS + (size_t)i];
        printf("list after %2d appends  %8ld %8zu%s\n", i + 1, want, got,
               (long)got == want ? "" : "   <-- MISMATCH");
        if ((long)got != want) bad++;
    }
    pm_decref(rt, l);
    pm_runtime_free(rt);
    assert_int_equal(bad, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_getsizeof_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
