/* Which objects the collector tracks, against python3: new dicts start
 * untracked and are tracked when a trackable key or value arrives
 * (CPython's MAINTAIN_TRACKING), copies and merges inherit tracking, and a
 * full collection untracks dicts and tuples that hold only atoms. */
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
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_tracking_matches_cpython)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
