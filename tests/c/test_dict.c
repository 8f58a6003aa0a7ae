/* dict: CPython 3.11's table sizes through growth, deletion and reinsertion
 * (checked against python3 at every step), str-key vs general tables, the
 * operations and their errors, insertion order, iteration with mutation
 * detection, repr, equality, free lists, and a randomized check against a
 * plain array model. */
#include <stdlib.h>
#include "ctutil.h"

static pm_object *key_of(pm_runtime *rt, int str_keys, long i) {
    if (!str_keys) return ct_int(rt, i);
    char buf[24];
    snprintf(buf, sizeof buf, "k%ld", i);
    return ct_str(rt, buf);
}

/* getsizeof after each step of: 200 insertions, deleting every other key,
 * 100 more insertions — for int keys and for str keys. */
static void sizes_vs_python(int str_keys) {
    tu_need_python3();
    char code[1024], out[16384];
    snprintf(code, sizeof code,
             "import sys\n"
             "K = (lambda i: 'k%%d' %% i) if %d else (lambda i: i)\n"
             "d = {}\n"
             "for i in range(200): d[K(i)] = i; print(sys.getsizeof(d))\n"
             "for i in range(0, 200, 2): del d[K(i)]; print(sys.getsizeof(d))\n"
             "for i in range(200, 300): d[K(i)] = i; print(sys.getsizeof(d))\n"
             "print(sys.getsizeof(d.copy()))\n"
             "print(sys.getsizeof(dict.fromkeys(map(K, range(6)))))\n",
             str_keys);
    assert_int_equal(tu_python(code, out, sizeof out), 0);
    pm_runtime *rt = tu_runtime();
    pm_object *d = pm_dict_new(rt);
    char *p = out;
    for (long step = 0; step < 400; step++) {
        long i = step < 200 ? step : step < 300 ? (step - 200) * 2 : step - 100;
        pm_object *k = key_of(rt, str_keys, i);
        if (step >= 200 && step < 300) {
            assert_int_equal(pm_dict_del(rt, d, k), 0);
        } else {
            pm_object *v = ct_int(rt, i);
            assert_int_equal(pm_dict_set(rt, d, k, v), 0);
            pm_decref(rt, v);
        }
        pm_decref(rt, k);
        long want = strtol(p, &p, 10);
        assert_int_equal(pm_getsizeof(rt, d), want);
    }
    assert_int_equal(pm_dict_size(d), 200);
    pm_object *c = pm_dict_copy(rt, d);
    assert_int_equal(pm_getsizeof(rt, c), strtol(p, &p, 10));
    assert_int_equal(pm_richcompare_bool(rt, c, d, PM_EQ), 1);
    pm_decref(rt, c);
    /* dict.fromkeys of 6 keys: an empty dict grown by insertion */
    pm_object *f = pm_dict_new(rt);
    for (long i = 0; i < 6; i++) {
        pm_object *k = key_of(rt, str_keys, i);
        pm_dict_set(rt, f, k, PM_NONE);
        pm_decref(rt, k);
    }
    assert_int_equal(pm_getsizeof(rt, f), strtol(p, &p, 10));
    pm_decref(rt, f);
    pm_decref(rt, d);
    pm_runtime_free(rt);
}

static void test_sizes_int_keys(void **state) {
    (void)state;
    sizes_vs_python(0);
}
static void test_sizes_str_keys(void **state) {
    (void)state;
    sizes_vs_python(1);
}

/* BUILD_MAP sizes ({k0: v, ... k(n-1): v}) for n = 0..12, str and int keys,
 * and a str table turned general by one int key. */
static void test_display_sizes(void **state) {
    (void)state;
    tu_need_python3();
    char out[4096];
    int st = tu_python("import sys\n"
                       "for n in range(13):\n"
                       "    print(sys.getsizeof(eval('{' + ','.join('\"k%d\": 0' % i for i in range(n)) + '}')))\n"
                       "    print(sys.getsizeof(eval('{' + ','.join('%d: 0' % (i + 1000) for i in range(n)) + '}')))\n"
                       "d = {'a': 1, 'b': 2}\nd[3] = 3\nprint(sys.getsizeof(d))\n",
                       out, sizeof out);
    assert_int_equal(st, 0);
    pm_runtime *rt = tu_runtime();
    char *p = out;
    for (int n = 0; n < 13; n++) {
        for (int str_keys = 1; str_keys >= 0; str_keys--) {
            pm_object *keys[13], *vals[13];
            for (int i = 0; i < n; i++) {
                keys[i] = str_keys ? key_of(rt, 1, i) : ct_int(rt, i + 1000);
                vals[i] = ct_int(rt, 0);
            }
            pm_object *d = pm_dict_from_items(rt, keys, vals, n);
            assert_non_null(d);
            assert_int_equal(pm_getsizeof(rt, d), strtol(p, &p, 10));
            assert_int_equal(pm_dict_size(d), n);
            for (int i = 0; i < n; i++) {
                pm_decref(rt, keys[i]);
                pm_decref(rt, vals[i]);
            }
            pm_decref(rt, d);
        }
    }
    pm_object *a = ct_str(rt, "a"), *b = ct_str(rt, "b"), *one = ct_int(rt, 1), *two = ct_int(rt, 2), *three = ct_int(rt, 3);
    pm_object *ks[] = {a, b}, *vs[] = {one, two};
    pm_object *d = pm_dict_from_items(rt, ks, vs, 2);
    pm_dict_set(rt, d, three, three);
    assert_int_equal(pm_getsizeof(rt, d), strtol(p, &p, 10));
    ct_assert_repr(rt, d, "{'a': 1, 'b': 2, 3: 3}");
    pm_decref(rt, d);
    pm_object *all[] = {a, b, one, two, three};
    for (int i = 0; i < 5; i++) pm_decref(rt, all[i]);
    pm_runtime_free(rt);
}

static void test_operations(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *d = pm_dict_new(rt);
    ct_assert_repr(rt, d, "{}");
    pm_object *a = ct_str(rt, "ka"), *b = ct_str(rt, "b"), *a2 = ct_str(rt, "ka");  /* not 1 char: those are shared */
    pm_object *one = ct_int(rt, 1), *two = ct_int(rt, 2), *big = ct_int(rt, 123456);
    assert_int_equal(pm_dict_set(rt, d, a, one), 0);
    assert_int_equal(pm_dict_set(rt, d, big, two), 0);
    assert_int_equal(pm_dict_set(rt, d, b, big), 0);
    assert_int_equal(pm_dict_set(rt, d, a2, two), 0);  /* equal key: value replaced, key kept */
    ct_assert_repr(rt, d, "{'ka': 2, 123456: 2, 'b': 123456}");
    assert_int_equal(pm_refcnt(rt, a2), 1);
    assert_ptr_equal(pm_dict_get(rt, d, a2), two);
    assert_int_equal(pm_dict_contains(rt, d, big), 1);
    pm_object *big2 = ct_int(rt, 123456);
    assert_int_equal(pm_dict_contains(rt, d, big2), 1);   /* by value */
    assert_null(pm_dict_get(rt, d, one));
    assert_int_equal(pm_err_occurred(rt), 0);
    assert_null(pm_getitem(rt, d, one));
    assert_int_equal(pm_err_kind(rt), PM_EXC_KeyError);
    assert_string_equal(pm_err_message(rt), "1");
    pm_err_clear(rt);
    assert_int_equal(pm_dict_del(rt, d, b), 0);
    assert_int_equal(pm_dict_del(rt, d, b), -1);
    assert_string_equal(pm_err_message(rt), "b");
    pm_err_clear(rt);
    /* unhashable keys */
    pm_object *l = pm_list_new(rt);
    assert_int_equal(pm_dict_set(rt, d, l, one), -1);
    assert_string_equal(pm_err_message(rt), "unhashable type: 'list'");
    pm_err_clear(rt);
    assert_int_equal(pm_dict_contains(rt, d, l), -1);
    pm_err_clear(rt);
    /* pop / popitem */
    pm_object *v = pm_dict_pop(rt, d, big2, NULL);
    assert_ptr_equal(v, two);
    pm_decref(rt, v);
    v = pm_dict_pop(rt, d, big2, PM_NONE);
    assert_ptr_equal(v, PM_NONE);
    assert_null(pm_dict_pop(rt, d, big2, NULL));
    ct_assert_error(rt, PM_EXC_KeyError);
    pm_dict_set(rt, d, b, one);
    pm_object *item = pm_dict_popitem(rt, d);       /* last inserted: ('b', 1) */
    ct_assert_repr(rt, item, "('b', 1)");
    pm_decref(rt, item);
    item = pm_dict_popitem(rt, d);
    ct_assert_repr(rt, item, "('ka', 2)");
    pm_decref(rt, item);
    assert_null(pm_dict_popitem(rt, d));
    assert_string_equal(pm_err_message(rt), "popitem(): dictionary is empty");
    pm_err_clear(rt);
    /* generic protocol and keys / values / items lists */
    for (long i = 0; i < 8; i++) {
        pm_object *k = ct_int(rt, i), *val = ct_int(rt, i * i);
        assert_int_equal(pm_setitem(rt, d, k, val), 0);
        pm_decref(rt, k);
        pm_decref(rt, val);
    }
    assert_int_equal(pm_length(rt, d), 8);
    pm_object *ks = pm_dict_keys(rt, d), *vs = pm_dict_values(rt, d), *its = pm_dict_items(rt, d);
    ct_assert_repr(rt, ks, "[0, 1, 2, 3, 4, 5, 6, 7]");
    ct_assert_repr(rt, vs, "[0, 1, 4, 9, 16, 25, 36, 49]");
    assert_int_equal(pm_list_allocated(ks), 8);
    ct_assert_repr(rt, pm_list_get(rt, its, 7), "(7, 49)");
    pm_decref(rt, ks);
    pm_decref(rt, vs);
    pm_decref(rt, its);
    /* iteration: keys, values, items, and the mutation check */
    pm_object *it = pm_iter(rt, d);
    long n = 0;
    for (pm_object *k; (k = pm_iter_next(rt, it)); n++) {
        assert_int_equal(pm_int_as_long(rt, k), n);
        pm_decref(rt, k);
    }
    assert_int_equal(n, 8);
    pm_decref(rt, it);
    it = pm_dict_iter_items(rt, d);
    pm_object *first = pm_iter_next(rt, it);
    ct_assert_repr(rt, first, "(0, 0)");
    pm_decref(rt, first);
    pm_dict_set(rt, d, a, one);                     /* grows the dict */
    assert_null(pm_iter_next(rt, it));
    assert_string_equal(pm_err_message(rt), "dictionary changed size during iteration");
    pm_err_clear(rt);
    pm_decref(rt, it);
    it = pm_dict_iter_values(rt, d);
    first = pm_iter_next(rt, it);
    assert_int_equal(pm_int_as_long(rt, first), 0);
    pm_decref(rt, first);
    pm_decref(rt, it);
    /* recursion in repr, equality, update, clear */
    pm_dict_set(rt, d, b, d);
    ct_assert_repr(rt, d, "{0: 0, 1: 1, 2: 4, 3: 9, 4: 16, 5: 25, 6: 36, 7: 49, 'ka': 1, 'b': {...}}");
    pm_dict_del(rt, d, b);
    pm_object *e = pm_dict_new(rt);
    assert_int_equal(pm_dict_update(rt, e, d), 0);
    assert_int_equal(pm_richcompare_bool(rt, e, d, PM_EQ), 1);
    pm_dict_set(rt, e, a, two);
    assert_int_equal(pm_richcompare_bool(rt, e, d, PM_EQ), 0);
    assert_int_equal(pm_richcompare_bool(rt, e, d, PM_NE), 1);
    assert_int_equal(pm_richcompare_bool(rt, e, d, PM_LT), -1);
    ct_assert_error(rt, PM_EXC_TypeError);
    assert_int_equal(pm_hash(rt, d), -1);
    assert_string_equal(pm_err_message(rt), "unhashable type: 'dict'");
    pm_err_clear(rt);
    assert_int_equal(pm_dict_clear(rt, e), 0);
    assert_int_equal(pm_getsizeof(rt, e), 64);
    assert_int_equal(pm_dict_size(e), 0);
    /* pm_dict_next walks in insertion order */
    pm_ssize_t pos = 0;
    pm_object *k, *val;
    n = 0;
    while (pm_dict_next(d, &pos, &k, &val)) n++;
    assert_int_equal(n, 9);

    pm_decref(rt, e);
    pm_decref(rt, l);
    pm_decref(rt, d);
    pm_object *all[] = {a, b, a2, one, two, big, big2};
    for (int i = 0; i < 7; i++) pm_decref(rt, all[i]);
    assert_int_equal(pm_dict_set(rt, PM_NONE, PM_NONE, PM_NONE), -1);
    ct_assert_error(rt, PM_EXC_SystemError);
    pm_runtime_free(rt);
}

/* 200,000 random set/del/get on int keys 0..999 against an array model. */
static void test_random_vs_model(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    size_t base = ct_blocks(rt);
    enum { NKEYS = 1000 };
    long model[NKEYS];
    for (int i = 0; i < NKEYS; i++) model[i] = -1;
    pm_object *d = pm_dict_new(rt);
    uint64_t seed = 42;
    long live = 0;
    for (int step = 0; step < 200000; step++) {
        uint64_t r = tu_rand(&seed);
        long key = (long)(r % NKEYS), op = (long)((r >> 20) % 3);
        pm_object *k = ct_int(rt, key * 7919);      /* spread the hashes */
        if (op == 0) {
            pm_object *v = ct_int(rt, step);
            assert_int_equal(pm_dict_set(rt, d, k, v), 0);
            pm_decref(rt, v);
            if (model[key] < 0) live++;
            model[key] = step;
        } else if (op == 1) {
            int rc = pm_dict_del(rt, d, k);
            if (model[key] < 0) {
                assert_int_equal(rc, -1);
                pm_err_clear(rt);
            } else {
                assert_int_equal(rc, 0);
                live--;
            }
            model[key] = -1;
        } else {
            pm_object *v = pm_dict_get(rt, d, k);
            if (model[key] < 0) assert_null(v);
            else assert_int_equal(pm_int_as_long(rt, v), model[key]);
        }
        pm_decref(rt, k);
        assert_int_equal(pm_dict_size(d), live);
    }
    pm_decref(rt, d);
    pm_freelists_clear(rt);
    assert_int_equal(ct_blocks(rt), base);
    pm_runtime_free(rt);
}

static void test_freelists(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    size_t base = ct_blocks(rt);
    pm_object *a = ct_str(rt, "ab");               /* not 1 char: those are shared */
    pm_object *ds[100];
    for (int i = 0; i < 100; i++) {
        ds[i] = pm_dict_new(rt);
        pm_dict_set(rt, ds[i], a, a);               /* one 8-slot str table each */
    }
    for (int i = 0; i < 100; i++) pm_decref(rt, ds[i]);
    assert_int_equal(ct_blocks(rt), base + 1 + 80 + 80);    /* "a" + 80 dicts + 80 tables */
    assert_int_equal(pm_freelists_clear(rt), 160);
    pm_decref(rt, a);
    assert_int_equal(ct_blocks(rt), base);
    pm_runtime_free(rt);
}

/* A chain d = {'next': d} a million deep, freed with one decref. */
static void test_deep_chain(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    size_t base = ct_blocks(rt);
    pm_object *key = ct_str(rt, "next");
    pm_object *d = pm_dict_new(rt);
    for (long i = 0; i < 1000000; i++) {
        pm_object *o = pm_dict_new(rt);
        assert_non_null(o);
        assert_int_equal(pm_dict_set(rt, o, key, d), 0);
        pm_decref(rt, d);
        d = o;
    }
    pm_decref(rt, d);
    pm_decref(rt, key);
    pm_freelists_clear(rt);
    assert_int_equal(ct_blocks(rt), base);
    pm_runtime_free(rt);
}

/* getsizeof of d.copy(), of {}.update(d) and of e.update(d) for a
 * non-empty e, for dicts of n = 0..40 str keys, with and without deletions,
 * against python3 (clone vs merge paths of PyDict_Copy / dict_merge). */
static void test_copy_update_sizes(void **state) {
    (void)state;
    tu_need_python3();
    char out[16384];
    int st = tu_python("import sys\n"
                       "for n in range(41):\n"
                       "  for dels in (0, 1):\n"
                       "    d = {}\n"
                       "    for i in range(n): d['k%d' % i] = i\n"
                       "    if dels:\n"
                       "      for i in range(0, n, 2): del d['k%d' % i]\n"
                       "    e = {}; e.update(d); f = {'x': 1}; f.update(d)\n"
                       "    print(sys.getsizeof(d.copy()), sys.getsizeof(e), sys.getsizeof(f))\n",
                       out, sizeof out);
    assert_int_equal(st, 0);
    pm_runtime *rt = tu_runtime();
    char *p = out;
    pm_object *x = ct_str(rt, "x");
    for (long n = 0; n <= 40; n++) {
        for (int dels = 0; dels <= 1; dels++) {
            pm_object *d = pm_dict_new(rt);
            for (long i = 0; i < n; i++) {
                pm_object *k = key_of(rt, 1, i), *v = ct_int(rt, i);
                pm_dict_set(rt, d, k, v);
                pm_decref(rt, k);
                pm_decref(rt, v);
            }
            for (long i = 0; dels && i < n; i += 2) {
                pm_object *k = key_of(rt, 1, i);
                assert_int_equal(pm_dict_del(rt, d, k), 0);
                pm_decref(rt, k);
            }
            pm_object *c = pm_dict_copy(rt, d), *e = pm_dict_new(rt), *f = pm_dict_new(rt);
            assert_int_equal(pm_dict_update(rt, e, d), 0);
            pm_dict_set(rt, f, x, x);
            assert_int_equal(pm_dict_update(rt, f, d), 0);
            long wc = strtol(p, &p, 10), we = strtol(p, &p, 10), wf = strtol(p, &p, 10);
            if ((long)pm_getsizeof(rt, c) != wc || (long)pm_getsizeof(rt, e) != we ||
                (long)pm_getsizeof(rt, f) != wf)
                fail_msg("n=%ld dels=%d: copy %zu/%ld update %zu/%ld update2 %zu/%ld", n, dels,
                         pm_getsizeof(rt, c), wc, pm_getsizeof(rt, e), we, pm_getsizeof(rt, f), wf);
            assert_int_equal(pm_richcompare_bool(rt, c, d, PM_EQ), 1);
            assert_int_equal(pm_richcompare_bool(rt, e, d, PM_EQ), 1);
            pm_decref(rt, c);
            pm_decref(rt, e);
            pm_decref(rt, f);
            pm_decref(rt, d);
        }
    }
    pm_decref(rt, x);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_int_keys),
        cmocka_unit_test(test_sizes_str_keys),
        cmocka_unit_test(test_display_sizes),
        cmocka_unit_test(test_copy_update_sizes),
        cmocka_unit_test(test_operations),
        cmocka_unit_test(test_random_vs_model),
        cmocka_unit_test(test_freelists),
        cmocka_unit_test(test_deep_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
