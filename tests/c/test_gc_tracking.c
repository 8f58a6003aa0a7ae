/* Which objects the collector tracks, against python3: new dicts start
 * untracked and are tracked when a trackable key or value arrives
 * (CPython's MAINTAIN_TRACKING), copies and merges inherit tracking, and a
 * full collection untracks dicts and tuples that hold only atoms — a dict
 * only after the tuples it holds were decided, a tuple before the tuples
 * that the collection's scan reaches after it. */
#include <string.h>
#include "testutil.h"

static const char *py =
    "import gc\n"
    "r = []\n"
    "r.append(gc.is_tracked({}))\n"
    "d = {'a': 1}; r.append(gc.is_tracked(d))\n"
    "d['b'] = []; r.append(gc.is_tracked(d))\n"
    "del d['b']; r.append(gc.is_tracked(d))\n"
    "gc.collect(); r.append(gc.is_tracked(d))\n"
    "e = {'x': 1}; f = e.copy(); r.append(gc.is_tracked(f))\n"
    "g = {'y': []}; h = g.copy(); r.append(gc.is_tracked(h))\n"
    "k = {}; k.update(g); r.append(gc.is_tracked(k))\n"
    "t = tuple([1, 2]); r.append(gc.is_tracked(t))  # built at run time, not a constant\n"
    "gc.collect(); r.append(gc.is_tracked(t))\n"
    "u = ([],); gc.collect(); r.append(gc.is_tracked(u))\n"
    "print(' '.join('1' if x else '0' for x in r))\n";

/* The order of the untracking decisions (gc.c folds CPython's
 * untrack_tuples and untrack_dicts walks into its scan). */
static const char *py_order =
    "import gc\n"
    "gc.disable()\n"
    "r = []\n"
    "x = tuple([tuple([1])])\n"
    "gc.collect(); r += [gc.is_tracked(x), gc.is_tracked(x[0])]\n"
    "gc.collect(); r += [gc.is_tracked(x), gc.is_tracked(x[0])]\n"
    "t = tuple([3]); e = {'k': t}; gc.collect(); r += [gc.is_tracked(e), gc.is_tracked(t)]\n"
    "g = {'a': []}; g['k'] = tuple([5]); del g['a']; r.append(gc.is_tracked(g))\n"
    "gc.collect(); r += [gc.is_tracked(g), gc.is_tracked(g['k'])]\n"
    "f = {'a': []}; f['k'] = tuple([tuple([4])]); del f['a']\n"
    "gc.collect(); r += [gc.is_tracked(f), gc.is_tracked(f['k'])]\n"
    "gc.collect(); r += [gc.is_tracked(f), gc.is_tracked(f['k'])]\n"
    "h = {'a': []}; h['k'] = tuple([[]]); del h['a']; gc.collect(); r.append(gc.is_tracked(h))\n"
    "y = tuple([7]); gc.collect(0); r.append(gc.is_tracked(y))\n"
    "z = {'a': []}; del z['a']; gc.collect(0); r.append(gc.is_tracked(z))\n"
    "gc.collect(); r.append(gc.is_tracked(z))\n"
    "print(' '.join('1' if v else '0' for v in r))\n";

static void test_untrack_order_matches_cpython(void **state) {
    (void)state;
    tu_need_python3();
    char expect[256];
    assert_int_equal(tu_python(py_order, expect, sizeof expect), 0);
    pm_runtime *rt = tu_runtime();
    pm_gc_disable(rt);                  /* no automatic (or torture) collection in between */
    char got[256] = "";
    pm_object *one = pm_int_from_long(rt, 1), *three = pm_int_from_long(rt, 3);
    pm_object *four = pm_int_from_long(rt, 4), *five = pm_int_from_long(rt, 5);
    pm_object *seven = pm_int_from_long(rt, 7);
    pm_object *ka = pm_str_from_cstr(rt, "a"), *kk = pm_str_from_cstr(rt, "k");
    assert_non_null(one && three && four && five && seven && ka && kk);
    /* x = ((1,),): the inner tuple is older, so the scan moves it to the
     * tentatively unreachable list and back behind x: x stays tracked the
     * first time. */
    pm_object *x0 = pm_tuple_pack(rt, 1, one), *x = pm_tuple_pack(rt, 1, x0);
    pm_decref(rt, x0);
    pm_gc_collect(rt, 2);
    strcat(got, pm_gc_is_tracked(x) ? "1 " : "0 ");
    strcat(got, pm_gc_is_tracked(pm_tuple_get(rt, x, 0)) ? "1 " : "0 ");
    pm_gc_collect(rt, 2);
    strcat(got, pm_gc_is_tracked(x) ? "1 " : "0 ");
    strcat(got, pm_gc_is_tracked(pm_tuple_get(rt, x, 0)) ? "1 " : "0 ");
    /* e = {'k': t}, t older than e */
    pm_object *t = pm_tuple_pack(rt, 1, three), *e = pm_dict_new(rt);
    assert_int_equal(pm_dict_set(rt, e, kk, t), 0);
    pm_gc_collect(rt, 2);
    strcat(got, pm_gc_is_tracked(e) ? "1 " : "0 ");
    strcat(got, pm_gc_is_tracked(t) ? "1 " : "0 ");
    /* g tracked before its tuple exists: the dict waits for the tuple */
    pm_object *g = pm_dict_new(rt), *l1 = pm_list_new(rt);
    assert_int_equal(pm_dict_set(rt, g, ka, l1), 0);
    pm_object *g5 = pm_tuple_pack(rt, 1, five);
    assert_int_equal(pm_dict_set(rt, g, kk, g5), 0);
    assert_int_equal(pm_dict_del(rt, g, ka), 0);
    strcat(got, pm_gc_is_tracked(g) ? "1 " : "0 ");
    pm_gc_collect(rt, 2);
    strcat(got, pm_gc_is_tracked(g) ? "1 " : "0 ");
    strcat(got, pm_gc_is_tracked(g5) ? "1 " : "0 ");
    /* f = {'k': ((4,),)}: the outer tuple stays tracked in the first
     * collection, and so does the dict */
    pm_object *f = pm_dict_new(rt);
    assert_int_equal(pm_dict_set(rt, f, ka, l1), 0);
    pm_object *f0 = pm_tuple_pack(rt, 1, four), *f1 = pm_tuple_pack(rt, 1, f0);
    assert_int_equal(pm_dict_set(rt, f, kk, f1), 0);
    assert_int_equal(pm_dict_del(rt, f, ka), 0);
    pm_decref(rt, f0);
    pm_gc_collect(rt, 2);
    strcat(got, pm_gc_is_tracked(f) ? "1 " : "0 ");
    strcat(got, pm_gc_is_tracked(f1) ? "1 " : "0 ");
    pm_gc_collect(rt, 2);
    strcat(got, pm_gc_is_tracked(f) ? "1 " : "0 ");
    strcat(got, pm_gc_is_tracked(f1) ? "1 " : "0 ");
    /* h = {'k': ([],)}: the tuple holds a list, so both stay */
    pm_object *h = pm_dict_new(rt), *l2 = pm_list_new(rt);
    assert_int_equal(pm_dict_set(rt, h, ka, l1), 0);
    pm_object *h0 = pm_tuple_pack(rt, 1, l2);
    assert_int_equal(pm_dict_set(rt, h, kk, h0), 0);
    assert_int_equal(pm_dict_del(rt, h, ka), 0);
    pm_gc_collect(rt, 2);
    strcat(got, pm_gc_is_tracked(h) ? "1 " : "0 ");
    /* young collections untrack tuples, not dicts */
    pm_object *y = pm_tuple_pack(rt, 1, seven);
    pm_gc_collect(rt, 0);
    strcat(got, pm_gc_is_tracked(y) ? "1 " : "0 ");
    pm_object *z = pm_dict_new(rt);
    assert_int_equal(pm_dict_set(rt, z, ka, l1), 0);
    assert_int_equal(pm_dict_del(rt, z, ka), 0);
    pm_gc_collect(rt, 0);
    strcat(got, pm_gc_is_tracked(z) ? "1 " : "0 ");
    pm_gc_collect(rt, 2);
    strcat(got, pm_gc_is_tracked(z) ? "1 " : "0 ");
    got[strlen(got) - 1] = '\n';
    assert_string_equal(got, expect);
    pm_object *all[] = {one, three, four, five, seven, ka, kk, x, t, e, g, l1, g5, f, f1, h, l2, h0, y, z};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) pm_decref(rt, all[i]);
    assert_int_equal(pm_gc_check(rt, stderr), 0);
    pm_runtime_free(rt);
}

static void test_tracking_matches_cpython(void **state) {
    (void)state;
    tu_need_python3();
    char expect[256];
    assert_int_equal(tu_python(py, expect, sizeof expect), 0);
    pm_runtime *rt = tu_runtime();
    char got[256] = "";
#define MARK(o) strcat(got, pm_gc_is_tracked(o) ? "1 " : "0 ")
    pm_object *empty = pm_dict_new(rt);
    MARK(empty);
    pm_object *a = pm_str_from_cstr(rt, "a"), *b = pm_str_from_cstr(rt, "b");
    pm_object *one = pm_int_from_long(rt, 1), *lst = pm_list_new(rt);
    pm_object *d = pm_dict_new(rt);
    assert_int_equal(pm_dict_set(rt, d, a, one), 0);
    MARK(d);
    assert_int_equal(pm_dict_set(rt, d, b, lst), 0);
    MARK(d);
    assert_int_equal(pm_dict_del(rt, d, b), 0);
    MARK(d);
    pm_gc_collect(rt, 2);
    MARK(d);
    pm_object *e = pm_dict_new(rt);
    assert_int_equal(pm_dict_set(rt, e, a, one), 0);
    pm_object *f = pm_dict_copy(rt, e);
    MARK(f);
    pm_object *g = pm_dict_new(rt);
    assert_int_equal(pm_dict_set(rt, g, b, lst), 0);
    pm_object *h = pm_dict_copy(rt, g);
    MARK(h);
    pm_object *k = pm_dict_new(rt);
    assert_int_equal(pm_dict_update(rt, k, g), 0);
    MARK(k);
    pm_object *two = pm_int_from_long(rt, 2);
    pm_object *t = pm_tuple_pack(rt, 2, one, two);
    MARK(t);
    pm_gc_collect(rt, 2);
    MARK(t);
    pm_object *lst2 = pm_list_new(rt);
    pm_object *u = pm_tuple_pack(rt, 1, lst2);
    pm_gc_collect(rt, 2);
    MARK(u);
    got[strlen(got) - 1] = '\n';
    assert_string_equal(got, expect);
    pm_object *all[] = {empty, a, b, one, lst, d, e, f, g, h, k, two, t, lst2, u};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) pm_decref(rt, all[i]);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_tracking_matches_cpython),
                                       cmocka_unit_test(test_untrack_order_matches_cpython)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
