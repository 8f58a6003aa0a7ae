/* set / frozenset: CPython 3.11's table sizes through growth and deletion
 * (checked against python3), the smalltable, operations and errors,
 * comparisons, frozenset's hash (against python3), repr, iteration. */
#include <stdlib.h>
#include "ctutil.h"

static void test_sizes_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    char out[16384];
    int st = tu_python("import sys\n"
                       "s = set()\n"
                       "for i in range(300): s.add(i * 7); print(sys.getsizeof(s))\n"
                       "for i in range(0, 300, 3): s.discard(i * 7); print(sys.getsizeof(s))\n"
                       "for i in range(300, 400): s.add(i * 7); print(sys.getsizeof(s))\n"
                       "print(sys.getsizeof(frozenset(s)))\n"
                       "print(sys.getsizeof(set(range(10))))\n",
                       out, sizeof out);
    assert_int_equal(st, 0);
    pm_runtime *rt = tu_runtime();
    pm_object *s = pm_set_new(rt, NULL);
    char *p = out;
    for (long step = 0; step < 500; step++) {
        long i = step < 300 ? step : step < 400 ? (step - 300) * 3 : step - 100;
        pm_object *k = ct_int(rt, i * 7);
        if (step >= 300 && step < 400) assert_int_equal(pm_set_discard(rt, s, k), 1);
        else assert_int_equal(pm_set_add(rt, s, k), 0);
        pm_decref(rt, k);
        assert_int_equal(pm_getsizeof(rt, s), strtol(p, &p, 10));
    }
    assert_int_equal(pm_set_size(s), 300);
    pm_object *f = pm_frozenset_new(rt, s);
    assert_int_equal(pm_getsizeof(rt, f), strtol(p, &p, 10));
    assert_int_equal(pm_richcompare_bool(rt, f, s, PM_EQ), 1);
    pm_decref(rt, f);
    pm_object *l = pm_list_new(rt);
    for (long i = 0; i < 10; i++) {
        pm_object *k = ct_int(rt, i);
        pm_list_append(rt, l, k);
        pm_decref(rt, k);
    }
    pm_object *s10 = pm_set_new(rt, l);
    assert_int_equal(pm_getsizeof(rt, s10), strtol(p, &p, 10));
    pm_decref(rt, s10);
    pm_decref(rt, l);
    pm_decref(rt, s);
    pm_runtime_free(rt);
}

static void test_operations(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *s = pm_set_new(rt, NULL);
    ct_assert_repr(rt, s, "set()");
    pm_object *a = ct_str(rt, "ab"), *a2 = ct_str(rt, "ab"), *one = ct_int(rt, 1), *big = ct_int(rt, 10000);
    assert_int_equal(pm_set_add(rt, s, one), 0);
    assert_int_equal(pm_set_add(rt, s, a), 0);
    assert_int_equal(pm_set_add(rt, s, a2), 0);     /* equal: not added */
    assert_int_equal(pm_set_size(s), 2);
    assert_int_equal(pm_refcnt(rt, a2), 1);
    assert_int_equal(pm_set_contains(rt, s, a2), 1);
    assert_int_equal(pm_contains(rt, s, big), 0);
    assert_int_equal(pm_length(rt, s), 2);
    pm_object *l = pm_list_new(rt);
    assert_int_equal(pm_set_add(rt, s, l), -1);
    assert_string_equal(pm_err_message(rt), "unhashable type: 'list'");
    pm_err_clear(rt);
    assert_int_equal(pm_set_remove(rt, s, big), -1);
    assert_int_equal(pm_err_kind(rt), PM_EXC_KeyError);
    assert_string_equal(pm_err_message(rt), "10000");
    pm_err_clear(rt);
    assert_int_equal(pm_set_discard(rt, s, big), 0);
    assert_int_equal(pm_set_remove(rt, s, one), 0);
    ct_assert_repr(rt, s, "{'ab'}");
    pm_object *x = pm_set_pop(rt, s);
    assert_ptr_equal(x, a);
    pm_decref(rt, x);
    assert_null(pm_set_pop(rt, s));
    assert_string_equal(pm_err_message(rt), "pop from an empty set");
    pm_err_clear(rt);
    /* update from a list, a dict (its keys) and another set */
    for (long i = 0; i < 10; i++) {
        pm_object *k = ct_int(rt, i);
        pm_list_append(rt, l, k);
        pm_decref(rt, k);
    }
    assert_int_equal(pm_set_update(rt, s, l), 0);
    pm_object *d = pm_dict_new(rt);
    pm_dict_set(rt, d, a, one);
    assert_int_equal(pm_set_update(rt, s, d), 0);
    assert_int_equal(pm_set_size(s), 11);
    /* iteration visits every key once */
    pm_object *it = pm_iter(rt, s);
    long n = 0;
    for (pm_object *k; (k = pm_iter_next(rt, it)); n++) pm_decref(rt, k);
    assert_int_equal(n, 11);
    pm_decref(rt, it);
    it = pm_iter(rt, s);
    x = pm_iter_next(rt, it);
    pm_decref(rt, x);
    pm_set_add(rt, s, big);
    assert_null(pm_iter_next(rt, it));
    assert_string_equal(pm_err_message(rt), "Set changed size during iteration");
    pm_err_clear(rt);
    pm_decref(rt, it);
    /* comparisons */
    pm_object *sub = pm_set_new(rt, l);
    assert_int_equal(pm_richcompare_bool(rt, sub, s, PM_LT), 1);
    assert_int_equal(pm_richcompare_bool(rt, sub, s, PM_LE), 1);
    assert_int_equal(pm_richcompare_bool(rt, s, sub, PM_GT), 1);
    assert_int_equal(pm_richcompare_bool(rt, s, sub, PM_EQ), 0);
    pm_object *fsub = pm_frozenset_new(rt, l);
    assert_int_equal(pm_richcompare_bool(rt, fsub, sub, PM_EQ), 1);
    assert_int_equal(pm_richcompare_bool(rt, sub, fsub, PM_GE), 1);
    assert_int_equal(pm_richcompare_bool(rt, sub, l, PM_LE), -1);
    ct_assert_error(rt, PM_EXC_TypeError);
    pm_err_clear(rt);
    /* frozensets: hashable, immutable through the API */
    assert_int_equal(pm_hash(rt, s), -1);
    assert_string_equal(pm_err_message(rt), "unhashable type: 'set'");
    pm_err_clear(rt);
    assert_int_not_equal(pm_hash(rt, fsub), -1);
    assert_int_equal(pm_set_discard(rt, fsub, one), -1);
    ct_assert_error(rt, PM_EXC_SystemError);
    pm_object *same = pm_frozenset_new(rt, fsub);
    assert_ptr_equal(same, fsub);
    pm_decref(rt, same);
    /* a frozenset as a set key and a dict key */
    assert_int_equal(pm_set_add(rt, s, fsub), 0);
    assert_int_equal(pm_set_contains(rt, s, fsub), 1);
    assert_int_equal(pm_set_clear(rt, s), 0);
    assert_int_equal(pm_set_size(s), 0);
    assert_int_equal(pm_getsizeof(rt, s), 216);
    pm_decref(rt, fsub);
    pm_decref(rt, sub);
    pm_decref(rt, d);
    pm_decref(rt, l);
    pm_decref(rt, s);
    pm_object *all[] = {a, a2, one, big};
    for (int i = 0; i < 4; i++) pm_decref(rt, all[i]);
    pm_runtime_free(rt);
}

static void test_repr_forms(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *one = ct_int(rt, 1), *two = ct_int(rt, 2);
    pm_object *l = pm_list_from_array(rt, (pm_object *[]){one, two}, 2);
    pm_object *s = pm_set_new(rt, l), *f = pm_frozenset_new(rt, l), *f0 = pm_frozenset_new(rt, NULL);
    ct_assert_repr(rt, s, "{1, 2}");
    ct_assert_repr(rt, f, "frozenset({1, 2})");
    ct_assert_repr(rt, f0, "frozenset()");
    pm_object *t = pm_tuple_pack(rt, 2, f, f0);
    pm_object *st = pm_set_new(rt, NULL);
    pm_set_add(rt, st, t);
    ct_assert_repr(rt, st, "{(frozenset({1, 2}), frozenset())}");
    pm_object *all[] = {st, t, f0, f, s, l, one, two};
    for (int i = 0; i < 8; i++) pm_decref(rt, all[i]);
    pm_runtime_free(rt);
}

/* hash(frozenset(...)) of ints and of nested frozensets equals python3's. */
static void test_frozenset_hash_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    char out[1024];
    int st = tu_python("print(hash(frozenset()))\nprint(hash(frozenset({1, 2, 3})))\n"
                       "print(hash(frozenset(range(100))))\n"
                       "print(hash(frozenset({frozenset({1}), frozenset(), -1})))\n"
                       "s = set(range(20))\nfor i in range(0, 20, 2): s.discard(i)\n"
                       "print(hash(frozenset(s)))\n",
                       out, sizeof out);
    assert_int_equal(st, 0);
    pm_runtime *rt = tu_runtime();
    char *p = out;
    pm_object *e = pm_frozenset_new(rt, NULL);
    assert_int_equal(pm_hash(rt, e), strtoll(p, &p, 10));
    pm_object *s = pm_set_new(rt, NULL);
    for (long i = 1; i <= 3; i++) {
        pm_object *k = ct_int(rt, i);
        pm_set_add(rt, s, k);
        pm_decref(rt, k);
    }
    pm_object *f = pm_frozenset_new(rt, s);
    assert_int_equal(pm_hash(rt, f), strtoll(p, &p, 10));
    pm_decref(rt, f);
    pm_set_clear(rt, s);
    for (long i = 0; i < 100; i++) {
        pm_object *k = ct_int(rt, i);
        pm_set_add(rt, s, k);
        pm_decref(rt, k);
    }
    f = pm_frozenset_new(rt, s);
    assert_int_equal(pm_hash(rt, f), strtoll(p, &p, 10));
    pm_decref(rt, f);
    pm_set_clear(rt, s);
    pm_object *one = ct_int(rt, 1), *m1 = ct_int(rt, -1);
    pm_object *s1 = pm_set_new(rt, NULL);
    pm_set_add(rt, s1, one);
    pm_object *f1 = pm_frozenset_new(rt, s1);
    pm_set_add(rt, s, f1);
    pm_set_add(rt, s, e);
    pm_set_add(rt, s, m1);
    f = pm_frozenset_new(rt, s);
    assert_int_equal(pm_hash(rt, f), strtoll(p, &p, 10));
    pm_decref(rt, f);
    /* a frozenset built from a set that had deletions (no dummies copied) */
    pm_set_clear(rt, s);
    for (long i = 0; i < 20; i++) {
        pm_object *k = ct_int(rt, i);
        pm_set_add(rt, s, k);
        pm_decref(rt, k);
    }
    for (long i = 0; i < 20; i += 2) {
        pm_object *k = ct_int(rt, i);
        pm_set_discard(rt, s, k);
        pm_decref(rt, k);
    }
    f = pm_frozenset_new(rt, s);
    assert_int_equal(pm_hash(rt, f), strtoll(p, &p, 10));
    pm_decref(rt, f);
    pm_object *all[] = {e, s, one, m1, s1, f1};
    for (int i = 0; i < 6; i++) pm_decref(rt, all[i]);
    pm_runtime_free(rt);
}

/* Sets of frozensets of ... a million deep, and exact block accounting. */
static void test_deep_and_blocks(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    size_t base = ct_blocks(rt);
    pm_object *f = pm_frozenset_new(rt, NULL);
    for (long i = 0; i < 1000000; i++) {
        pm_object *s = pm_frozenset_new(rt, NULL);
        assert_non_null(s);
        assert_int_equal(pm_set_add(rt, s, f), 0);   /* refcount 1: allowed */
        pm_decref(rt, f);
        f = s;
    }
    pm_decref(rt, f);
    pm_freelists_clear(rt);
    assert_int_equal(ct_blocks(rt), base);
    pm_runtime_free(rt);
}

/* set(x) for lists, dicts, sets and frozensets of n = 0..60 items, and
 * s.update(x) into a non-empty set, against python3. */
static void test_construct_sizes_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    char out[16384];
    int st = tu_python("import sys\n"
                       "g = sys.getsizeof\n"
                       "for n in range(61):\n"
                       "    l = list(range(n)); d = dict.fromkeys(l); s = set(l)\n"
                       "    u = {-1, -2}; u.update(d); v = {-1}; v.update(s)\n"
                       "    print(g(set(l)), g(set(d)), g(set(s)), g(frozenset(l)), g(u), g(v))\n",
                       out, sizeof out);
    assert_int_equal(st, 0);
    pm_runtime *rt = tu_runtime();
    char *p = out;
    pm_object *m1 = ct_int(rt, -1), *m2 = ct_int(rt, -2);
    for (long n = 0; n <= 60; n++) {
        pm_object *l = pm_list_new(rt), *d = pm_dict_new(rt);
        for (long i = 0; i < n; i++) {
            pm_object *k = ct_int(rt, i);
            pm_list_append(rt, l, k);
            pm_dict_set(rt, d, k, PM_NONE);
            pm_decref(rt, k);
        }
        pm_object *s = pm_set_new(rt, l);
        pm_object *r[6] = {pm_set_new(rt, l), pm_set_new(rt, d), pm_set_new(rt, s),
                           pm_frozenset_new(rt, l), pm_set_new(rt, NULL), pm_set_new(rt, NULL)};
        pm_set_add(rt, r[4], m1);
        pm_set_add(rt, r[4], m2);
        assert_int_equal(pm_set_update(rt, r[4], d), 0);
        pm_set_add(rt, r[5], m1);
        assert_int_equal(pm_set_update(rt, r[5], s), 0);
        for (int k = 0; k < 6; k++) {
            long want = strtol(p, &p, 10);
            if ((long)pm_getsizeof(rt, r[k]) != want)
                fail_msg("n=%ld case %d: pymm %zu python3 %ld", n, k, pm_getsizeof(rt, r[k]), want);
            pm_decref(rt, r[k]);
        }
        pm_decref(rt, s);
        pm_decref(rt, l);
        pm_decref(rt, d);
    }
    pm_decref(rt, m1);
    pm_decref(rt, m2);
    pm_runtime_free(rt);
}

static pm_object *set_of(pm_runtime *rt, const long *v, int n, int frozen) {
    pm_object *s = frozen ? pm_frozenset_new(rt, NULL) : pm_set_new(rt, NULL);
    for (int i = 0; i < n; i++) {
        pm_object *k = ct_int(rt, v[i]);
        assert_int_equal(pm_set_add(rt, s, k), 0);
        pm_decref(rt, k);
    }
    return s;
}

static void test_algebra(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    const long va[] = {1, 2, 3, 4}, vb[] = {3, 4, 5};
    pm_object *a = set_of(rt, va, 4, 0), *b = set_of(rt, vb, 3, 1);
    pm_object *u = pm_set_union(rt, a, b), *i = pm_set_intersection(rt, a, b);
    pm_object *d = pm_set_difference(rt, a, b), *x = pm_set_symmetric_difference(rt, a, b);
    ct_assert_repr(rt, u, "{1, 2, 3, 4, 5}");
    ct_assert_repr(rt, i, "{3, 4}");
    ct_assert_repr(rt, d, "{1, 2}");
    ct_assert_repr(rt, x, "{1, 2, 5}");
    pm_object *fb = pm_set_difference(rt, b, a);    /* a frozenset's result is frozen */
    ct_assert_repr(rt, fb, "frozenset({5})");
    assert_null(pm_set_union(rt, a, PM_NONE));
    ct_assert_error(rt, PM_EXC_SystemError);
    pm_object *all[] = {a, b, u, i, d, x, fb};
    for (int k = 0; k < 7; k++) pm_decref(rt, all[k]);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_vs_python),
        cmocka_unit_test(test_operations),
        cmocka_unit_test(test_repr_forms),
        cmocka_unit_test(test_frozenset_hash_vs_python),
        cmocka_unit_test(test_deep_and_blocks),
        cmocka_unit_test(test_algebra),
        cmocka_unit_test(test_construct_sizes_vs_python),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
