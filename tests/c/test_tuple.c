/* tuple: construction, the shared empty tuple, per-length free lists,
 * CPython 3.11's tuplehash (checked against python3), repr, comparison,
 * iteration, contains. */
#include <stdlib.h>
#include "ctutil.h"

static void test_basics(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *e1 = pm_tuple_from_array(rt, NULL, 0), *e2 = pm_tuple_pack(rt, 0);
    assert_ptr_equal(e1, e2);                       /* one empty tuple */
    assert_true(pm_is_immortal(e1));
    assert_false(pm_gc_is_tracked(e1));
    ct_assert_repr(rt, e1, "()");
    pm_decref(rt, e1);
    pm_decref(rt, e2);

    pm_object *a = ct_int(rt, 1), *s = ct_str(rt, "x");
    pm_object *t1 = pm_tuple_pack(rt, 1, a);
    ct_assert_repr(rt, t1, "(1,)");
    pm_object *t = pm_tuple_pack(rt, 3, a, s, t1);
    assert_true(pm_gc_is_tracked(t));
    ct_assert_repr(rt, t, "(1, 'x', (1,))");
    assert_int_equal(pm_tuple_size(t), 3);
    assert_int_equal(pm_length(rt, t), 3);
    assert_ptr_equal(pm_tuple_get(rt, t, -1), t1);
    assert_null(pm_tuple_get(rt, t, 3));
    assert_string_equal(pm_err_message(rt), "tuple index out of range");
    pm_err_clear(rt);
    pm_object *k = ct_int(rt, 1), *x = pm_getitem(rt, t, k);
    assert_ptr_equal(x, s);
    pm_decref(rt, x);
    pm_decref(rt, k);
    assert_int_equal(pm_setitem(rt, t, a, a), -1);
    assert_string_equal(pm_err_message(rt), "'tuple' object does not support item assignment");
    pm_err_clear(rt);
    assert_int_equal(pm_contains(rt, t, s), 1);
    assert_int_equal(pm_contains(rt, t, PM_NONE), 0);

    /* a tuple holding a list that holds the tuple: "(...)" */
    pm_object *l = pm_list_new(rt);
    pm_object *tl = pm_tuple_pack(rt, 1, l);
    pm_list_append(rt, l, tl);
    ct_assert_repr(rt, tl, "([(...)],)");
    ct_assert_repr(rt, l, "[([...],)]");
    pm_list_clear(rt, l);
    pm_decref(rt, tl);
    pm_decref(rt, l);

    /* comparison */
    pm_object *b = ct_int(rt, 2);
    pm_object *ab = pm_tuple_pack(rt, 2, a, b), *ab2 = pm_tuple_pack(rt, 2, a, b), *aa = pm_tuple_pack(rt, 2, a, a);
    assert_int_equal(pm_richcompare_bool(rt, ab, ab2, PM_EQ), 1);
    assert_int_equal(pm_richcompare_bool(rt, aa, ab, PM_LT), 1);
    assert_int_equal(pm_richcompare_bool(rt, t1, aa, PM_LT), 1);
    assert_int_equal(pm_richcompare_bool(rt, ab, aa, PM_GT), 1);
    assert_int_equal(pm_hash(rt, ab), pm_hash(rt, ab2));
    /* iteration */
    pm_object *it = pm_iter(rt, ab);
    pm_object *i1 = pm_iter_next(rt, it), *i2 = pm_iter_next(rt, it);
    assert_ptr_equal(i1, a);
    assert_ptr_equal(i2, b);
    assert_null(pm_iter_next(rt, it));
    pm_decref(rt, i1);
    pm_decref(rt, i2);
    pm_decref(rt, it);
    /* unhashable item */
    pm_object *tl2 = pm_tuple_pack(rt, 2, a, t1);
    pm_object *lst = pm_list_new(rt), *tbad = pm_tuple_pack(rt, 2, a, lst);
    assert_int_equal(pm_hash(rt, tbad), -1);
    assert_string_equal(pm_err_message(rt), "unhashable type: 'list'");
    pm_err_clear(rt);
    pm_decref(rt, tbad);
    pm_decref(rt, lst);
    pm_decref(rt, tl2);
    pm_decref(rt, ab);
    pm_decref(rt, ab2);
    pm_decref(rt, aa);
    pm_decref(rt, b);
    pm_decref(rt, t);
    pm_decref(rt, t1);
    pm_decref(rt, a);
    pm_decref(rt, s);
    pm_runtime_free(rt);
}

/* hash() of tuples of ints (whose hashes do not depend on the seed) equals
 * python3's. */
static void test_hash_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    char out[2048];
    int st = tu_python("print(hash(()))\nprint(hash((1,)))\nprint(hash((1, 2, 3)))\n"
                       "print(hash((-1, 2**61, (3, 4), ())))\nprint(hash(tuple(range(20))))\n",
                       out, sizeof out);
    assert_int_equal(st, 0);
    pm_runtime *rt = tu_runtime();
    pm_object *i1 = ct_int(rt, 1), *i2 = ct_int(rt, 2), *i3 = ct_int(rt, 3), *i4 = ct_int(rt, 4);
    pm_object *m1 = ct_int(rt, -1), *big = pm_int_from_longlong(rt, 1LL << 61);
    pm_object *e = pm_tuple_pack(rt, 0), *t34 = pm_tuple_pack(rt, 2, i3, i4);
    pm_object *r[20];
    for (int i = 0; i < 20; i++) r[i] = ct_int(rt, i);
    pm_object *ts[5] = {
        pm_tuple_pack(rt, 0),
        pm_tuple_pack(rt, 1, i1),
        pm_tuple_pack(rt, 3, i1, i2, i3),
        pm_tuple_pack(rt, 4, m1, big, t34, e),
        pm_tuple_from_array(rt, r, 20),
    };
    char *p = out;
    for (int i = 0; i < 5; i++) {
        long long want = strtoll(p, &p, 10);
        assert_int_equal(pm_hash(rt, ts[i]), want);
        pm_decref(rt, ts[i]);
    }
    for (int i = 0; i < 20; i++) pm_decref(rt, r[i]);
    pm_object *all[] = {i1, i2, i3, i4, m1, big, e, t34};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) pm_decref(rt, all[i]);
    pm_runtime_free(rt);
}

/* Dead tuples of length 1..20 are reused, per length, up to 2000 each;
 * pm_freelists_clear returns every block. */
static void test_freelists(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_gc_disable(rt); /* full collections empty the free lists (torture mode) */
    pm_freelists_clear(rt);
    size_t base = ct_blocks(rt);
    pm_object *items[21];
    for (int i = 0; i < 21; i++) items[i] = PM_NONE;
    pm_object *t = pm_tuple_from_array(rt, items, 3);
    pm_object *addr = t;
    pm_decref(rt, t);
    assert_int_equal(ct_blocks(rt), base + 1);      /* kept on the length-3 list */
    t = pm_tuple_from_array(rt, items, 3);
    assert_ptr_equal(t, addr);                      /* and reused */
    assert_int_equal(pm_refcnt(rt, t), 1);
    assert_true(pm_gc_is_tracked(t));
    pm_decref(rt, t);
    pm_object *t4 = pm_tuple_from_array(rt, items, 4);
    assert_ptr_not_equal(t4, addr);                 /* lists are per length */
    pm_decref(rt, t4);
    pm_object *t21 = pm_tuple_from_array(rt, items, 21);
    pm_decref(rt, t21);                             /* > 20: freed at once */
    assert_int_equal(ct_blocks(rt), base + 2);
    /* the bound: 2500 live 2-tuples die, 2000 are kept */
    static pm_object *many[2500];
    for (int i = 0; i < 2500; i++) many[i] = pm_tuple_from_array(rt, items, 2);
    for (int i = 0; i < 2500; i++) pm_decref(rt, many[i]);
    assert_int_equal(ct_blocks(rt), base + 2 + 2000);
    assert_int_equal(pm_freelists_clear(rt), 2002);
    assert_int_equal(ct_blocks(rt), base);
    pm_runtime_free(rt);
}

/* A chain of a million nested 1-tuples, freed with one decref. */
static void test_deep_tuple(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    size_t base = ct_blocks(rt);
    pm_object *t = pm_tuple_pack(rt, 0);
    for (long i = 0; i < 1000000; i++) {
        pm_object *o = pm_tuple_pack(rt, 1, t);
        assert_non_null(o);
        pm_decref(rt, t);
        t = o;
    }
    pm_decref(rt, t);
    pm_freelists_clear(rt);
    assert_int_equal(ct_blocks(rt), base);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basics),
        cmocka_unit_test(test_hash_vs_python),
        cmocka_unit_test(test_freelists),
        cmocka_unit_test(test_deep_tuple),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
