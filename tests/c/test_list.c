/* list: CPython 3.11's growth, operations and their errors, repr (with
 * recursion), comparison, iteration, the free list, exact refcounts and the
 * bounded-stack free of a list nested 1,000,000 deep. */
#include <stdlib.h>
#include "ctutil.h"

/* getsizeof after a sequence of appends, then pops, then inserts, compared
 * with python3 doing the same. */
static void test_growth_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    char out[4096];
    int st = tu_python("import sys\n"
                       "l = []\n"
                       "for i in range(100): l.append(i); print(sys.getsizeof(l))\n"
                       "for i in range(90): l.pop(); print(sys.getsizeof(l))\n"
                       "for i in range(30): l.insert(0, i); print(sys.getsizeof(l))\n"
                       "m = []\n"
                       "m.extend(range(7)); print(sys.getsizeof(m))\n"
                       "m.extend((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)); print(sys.getsizeof(m))\n",
                       out, sizeof out);
    assert_int_equal(st, 0);
    pm_runtime *rt = tu_runtime();
    pm_object *l = pm_list_new(rt);
    char *p = out;
    for (int i = 0; i < 220; i++) {
        if (i < 100) {
            pm_object *v = ct_int(rt, i);
            assert_int_equal(pm_list_append(rt, l, v), 0);
            pm_decref(rt, v);
        } else if (i < 190) {
            pm_object *v = pm_list_pop(rt, l, -1);
            assert_non_null(v);
            pm_decref(rt, v);
        } else {
            pm_object *v = ct_int(rt, i);
            assert_int_equal(pm_list_insert(rt, l, 0, v), 0);
            pm_decref(rt, v);
        }
        char *end;
        long want = strtol(p, &end, 10);
        p = end;
        assert_int_equal(pm_getsizeof(rt, l), want);
    }
    /* extend with a generic iterable (a list iterator: appended one by one)
     * and then with a tuple (one resize). */
    pm_object *m = pm_list_new(rt), *src = pm_list_new(rt);
    for (int i = 0; i < 7; i++) {
        pm_object *v = ct_int(rt, i);
        pm_list_append(rt, src, v);
        pm_decref(rt, v);
    }
    pm_object *it = pm_iter(rt, src);
    assert_int_equal(pm_list_extend(rt, m, it), 0);
    pm_decref(rt, it);
    long want = strtol(p, &p, 10);
    /* CPython presizes from the iterator's length hint; appending one by
     * one reaches the same capacity for 7 items. */
    assert_int_equal(pm_getsizeof(rt, m), want);
    pm_object *items[13];
    for (int i = 0; i < 13; i++) items[i] = ct_int(rt, i + 1);
    pm_object *t = pm_tuple_from_array(rt, items, 13);
    for (int i = 0; i < 13; i++) pm_decref(rt, items[i]);
    assert_int_equal(pm_list_extend(rt, m, t), 0);
    want = strtol(p, &p, 10);
    assert_int_equal(pm_getsizeof(rt, m), want);
    assert_int_equal(pm_list_size(m), 20);
    pm_decref(rt, t);
    pm_decref(rt, src);
    pm_decref(rt, m);
    pm_decref(rt, l);
    pm_runtime_free(rt);
}

static void test_operations(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *l = pm_list_new(rt);
    pm_object *v[5];
    for (int i = 0; i < 5; i++) v[i] = ct_int(rt, 1000 + i);   /* not cached */
    for (int i = 0; i < 5; i++) assert_int_equal(pm_list_append(rt, l, v[i]), 0);
    ct_assert_repr(rt, l, "[1000, 1001, 1002, 1003, 1004]");
    assert_ptr_equal(pm_list_get(rt, l, 0), v[0]);
    assert_ptr_equal(pm_list_get(rt, l, -1), v[4]);
    assert_null(pm_list_get(rt, l, 5));
    ct_assert_error(rt, PM_EXC_IndexError);
    assert_null(pm_list_get(rt, l, -6));
    assert_string_equal(pm_err_message(rt), "list index out of range");
    pm_err_clear(rt);

    assert_int_equal(pm_list_set(rt, l, 1, v[4]), 0);
    assert_int_equal(pm_refcnt(rt, v[1]), 1);      /* released by the list */
    assert_int_equal(pm_refcnt(rt, v[4]), 3);
    assert_int_equal(pm_list_set(rt, l, 9, v[4]), -1);
    assert_string_equal(pm_err_message(rt), "list assignment index out of range");
    pm_err_clear(rt);

    assert_int_equal(pm_list_insert(rt, l, -100, v[1]), 0);   /* clamps to 0 */
    assert_int_equal(pm_list_insert(rt, l, 100, v[1]), 0);    /* clamps to end */
    assert_int_equal(pm_list_insert(rt, l, -1, v[2]), 0);     /* before the last */
    ct_assert_repr(rt, l, "[1001, 1000, 1004, 1002, 1003, 1004, 1002, 1001]");
    assert_int_equal(pm_list_index(rt, l, v[2]), 3);
    assert_int_equal(pm_list_delete(rt, l, 3), 0);
    assert_int_equal(pm_list_index(rt, l, v[2]), 5);
    pm_object *x = pm_list_pop(rt, l, 0);
    assert_ptr_equal(x, v[1]);
    pm_decref(rt, x);
    assert_int_equal(pm_list_reverse(rt, l), 0);
    ct_assert_repr(rt, l, "[1001, 1002, 1004, 1003, 1004, 1000]");
    assert_int_equal(pm_list_delete(rt, l, 6), -1);
    ct_assert_error(rt, PM_EXC_IndexError);
    assert_null(pm_list_pop(rt, l, 17));
    assert_string_equal(pm_err_message(rt), "pop index out of range");
    pm_err_clear(rt);

    /* generic protocol: len, getitem with int keys, contains, truth */
    assert_int_equal(pm_length(rt, l), 6);
    pm_object *k = ct_int(rt, -2);
    x = pm_getitem(rt, l, k);
    assert_ptr_equal(x, v[4]);
    pm_decref(rt, x);
    assert_int_equal(pm_setitem(rt, l, k, v[0]), 0);
    assert_int_equal(pm_delitem(rt, l, k), 0);
    pm_decref(rt, k);
    assert_int_equal(pm_contains(rt, l, v[3]), 1);
    pm_object *other = ct_int(rt, 1003);                      /* equal, not identical */
    assert_int_equal(pm_contains(rt, l, other), 1);
    pm_decref(rt, other);
    assert_int_equal(pm_contains(rt, l, PM_NONE), 0);
    assert_null(pm_getitem(rt, l, PM_NONE));
    assert_string_equal(pm_err_message(rt), "list indices must be integers or slices, not NoneType");
    pm_err_clear(rt);
    assert_int_equal(pm_hash(rt, l), -1);
    assert_string_equal(pm_err_message(rt), "unhashable type: 'list'");
    pm_err_clear(rt);
    assert_int_equal(pm_is_true(rt, l), 1);

    /* list.extend(self) doubles the list */
    assert_int_equal(pm_list_extend(rt, l, l), 0);
    assert_int_equal(pm_list_size(l), 10);
    pm_object *tup = pm_list_as_tuple(rt, l);
    assert_int_equal(pm_tuple_size(tup), 10);
    pm_decref(rt, tup);
    assert_int_equal(pm_list_clear(rt, l), 0);
    assert_int_equal(pm_list_size(l), 0);
    assert_int_equal(pm_list_allocated(l), 0);
    assert_null(pm_list_pop(rt, l, -1));
    assert_string_equal(pm_err_message(rt), "pop from empty list");
    pm_err_clear(rt);
    assert_int_equal(pm_is_true(rt, l), 0);
    for (int i = 0; i < 5; i++) assert_int_equal(pm_refcnt(rt, v[i]), 1);
    /* a wrong type is a SystemError, not a crash */
    assert_int_equal(pm_list_append(rt, v[0], v[1]), -1);
    ct_assert_error(rt, PM_EXC_SystemError);
    for (int i = 0; i < 5; i++) pm_decref(rt, v[i]);
    pm_decref(rt, l);
    pm_runtime_free(rt);
}

static void test_repr_and_compare(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *l = pm_list_new(rt);
    ct_assert_repr(rt, l, "[]");
    pm_object *s = ct_str(rt, "a'b");
    pm_list_append(rt, l, s);
    pm_list_append(rt, l, PM_NONE);
    pm_list_append(rt, l, l);                       /* l = ["a'b", None, l] */
    ct_assert_repr(rt, l, "[\"a'b\", None, [...]]");
    pm_object *outer = pm_list_from_array(rt, &l, 1);
    ct_assert_repr(rt, outer, "[[\"a'b\", None, [...]]]");
    pm_list_clear(rt, l);                           /* break the cycle */
    pm_decref(rt, outer);
    pm_decref(rt, s);

    pm_object *a = ct_int(rt, 1), *b = ct_int(rt, 2), *c = ct_int(rt, 3);
    pm_object *x12[] = {a, b}, *x13[] = {a, c}, *x1[] = {a};
    pm_object *l12 = pm_list_from_array(rt, x12, 2), *l13 = pm_list_from_array(rt, x13, 2);
    pm_object *l1 = pm_list_from_array(rt, x1, 1), *l12b = pm_list_from_array(rt, x12, 2);
    assert_int_equal(pm_richcompare_bool(rt, l12, l13, PM_LT), 1);
    assert_int_equal(pm_richcompare_bool(rt, l13, l12, PM_GE), 1);
    assert_int_equal(pm_richcompare_bool(rt, l1, l12, PM_LT), 1);   /* prefix is smaller */
    assert_int_equal(pm_richcompare_bool(rt, l12, l12b, PM_EQ), 1);
    assert_int_equal(pm_richcompare_bool(rt, l12, l12b, PM_LE), 1);
    assert_int_equal(pm_richcompare_bool(rt, l12, l13, PM_NE), 1);
    assert_int_equal(pm_richcompare_bool(rt, l12, a, PM_EQ), 0);
    assert_int_equal(pm_richcompare_bool(rt, l12, a, PM_LT), -1);
    assert_string_equal(pm_err_message(rt), "'<' not supported between instances of 'list' and 'int'");
    pm_err_clear(rt);
    /* items that cannot be ordered */
    pm_object *xs[] = {s = ct_str(rt, "x")};
    pm_object *ls = pm_list_from_array(rt, xs, 1);
    assert_int_equal(pm_richcompare_bool(rt, ls, l1, PM_LT), -1);
    ct_assert_error(rt, PM_EXC_TypeError);
    pm_decref(rt, ls);
    pm_decref(rt, s);

    /* iteration */
    pm_object *it = pm_iter(rt, l12);
    pm_object *first = pm_iter_next(rt, it), *second = pm_iter_next(rt, it);
    assert_ptr_equal(first, a);
    assert_ptr_equal(second, b);
    assert_null(pm_iter_next(rt, it));
    assert_int_equal(pm_err_occurred(rt), 0);
    assert_null(pm_iter_next(rt, it));              /* stays exhausted */
    pm_decref(rt, first);
    pm_decref(rt, second);
    pm_decref(rt, it);
    pm_decref(rt, l12);
    pm_decref(rt, l13);
    pm_decref(rt, l1);
    pm_decref(rt, l12b);
    pm_decref(rt, a);
    pm_decref(rt, b);
    pm_decref(rt, c);
    pm_decref(rt, l);
    pm_runtime_free(rt);
}

/* Containers of containers, built and dropped: every block comes back. */
static void test_exact_refcounts(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    size_t base = ct_blocks(rt);
    pm_object *leaf = ct_str(rt, "leaf");
    pm_object *top = pm_list_new(rt);
    for (int i = 0; i < 100; i++) {
        pm_object *inner = pm_list_new(rt);
        for (int j = 0; j < 10; j++) pm_list_append(rt, inner, leaf);
        pm_object *t = pm_tuple_pack(rt, 2, inner, leaf);
        pm_object *d = pm_dict_new(rt);
        pm_dict_set(rt, d, leaf, t);
        pm_list_append(rt, top, d);
        pm_list_append(rt, top, inner);
        pm_decref(rt, d);
        pm_decref(rt, t);
        pm_decref(rt, inner);
    }
    /* leaf: 1 own + 100 * (10 in inner + 1 in tuple + 1 dict key) */
    assert_int_equal(pm_refcnt(rt, leaf), 1 + 100 * 12);
    pm_object *inner0 = pm_list_get(rt, top, 1);
    assert_int_equal(pm_refcnt(rt, inner0), 2);     /* top + the tuple */
    pm_decref(rt, top);
    assert_int_equal(pm_refcnt(rt, leaf), 1);
    pm_decref(rt, leaf);
    pm_freelists_clear(rt);
    assert_int_equal(ct_blocks(rt), base);
    pm_runtime_free(rt);
}

static void test_freelist(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    size_t base = ct_blocks(rt);
    pm_object *ls[100];
    for (int i = 0; i < 100; i++) ls[i] = pm_list_new(rt);
    for (int i = 0; i < 100; i++) pm_decref(rt, ls[i]);
    assert_int_equal(ct_blocks(rt), base + 80);     /* 80 kept for reuse */
    pm_object *again = pm_list_new(rt);
    assert_int_equal(ct_blocks(rt), base + 80);     /* one came off the list */
    pm_decref(rt, again);
    assert_true(pm_freelists_clear(rt) >= 80);
    assert_int_equal(ct_blocks(rt), base);
    pm_runtime_free(rt);
}

/* l = [l] a million times, then one decref frees it all on a bounded stack. */
static void test_deep_nesting(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    size_t base = ct_blocks(rt);
    pm_object *l = pm_list_new(rt);
    for (long i = 0; i < 1000000; i++) {
        pm_object *outer = pm_list_new(rt);
        assert_non_null(outer);
        assert_int_equal(pm_list_append(rt, outer, l), 0);
        pm_decref(rt, l);
        l = outer;
    }
    pm_decref(rt, l);
    pm_freelists_clear(rt);
    assert_int_equal(ct_blocks(rt), base);
    pm_runtime_free(rt);
}

/* list(x) for sets, dicts, dict views' iterators and list iterators of
 * n = 0..40 items: CPython presizes from the length hint and cuts back. */
static void test_extend_hint_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    char out[8192];
    int st = tu_python("import sys\n"
                       "for n in range(41):\n"
                       "    s = set(range(n)); d = dict.fromkeys(range(n)); l = list(range(n))\n"
                       "    m = [None]; m.extend(iter(d.items()))\n"
                       "    print(sys.getsizeof(list(s)), sys.getsizeof(list(d)),\n"
                       "          sys.getsizeof(list(iter(l))), sys.getsizeof(m))\n",
                       out, sizeof out);
    assert_int_equal(st, 0);
    pm_runtime *rt = tu_runtime();
    char *p = out;
    for (long n = 0; n <= 40; n++) {
        pm_object *s = pm_set_new(rt, NULL), *d = pm_dict_new(rt), *l = pm_list_new(rt);
        for (long i = 0; i < n; i++) {
            pm_object *k = ct_int(rt, i);
            pm_set_add(rt, s, k);
            pm_dict_set(rt, d, k, PM_NONE);
            pm_list_append(rt, l, k);
            pm_decref(rt, k);
        }
        pm_object *ls = pm_list_new(rt), *ld = pm_list_new(rt), *ll = pm_list_new(rt);
        pm_object *m = pm_list_from_array(rt, (pm_object *[]){PM_NONE}, 1);
        pm_object *it = pm_iter(rt, l), *dit = pm_dict_iter_items(rt, d);
        assert_int_equal(pm_list_extend(rt, ls, s), 0);
        assert_int_equal(pm_list_extend(rt, ld, d), 0);
        assert_int_equal(pm_list_extend(rt, ll, it), 0);
        assert_int_equal(pm_list_extend(rt, m, dit), 0);
        long w[4];
        for (int k = 0; k < 4; k++) w[k] = strtol(p, &p, 10);
        if ((long)pm_getsizeof(rt, ls) != w[0] || (long)pm_getsizeof(rt, ld) != w[1] ||
            (long)pm_getsizeof(rt, ll) != w[2] || (long)pm_getsizeof(rt, m) != w[3])
            fail_msg("n=%ld: %zu/%ld %zu/%ld %zu/%ld %zu/%ld", n, pm_getsizeof(rt, ls), w[0],
                     pm_getsizeof(rt, ld), w[1], pm_getsizeof(rt, ll), w[2], pm_getsizeof(rt, m), w[3]);
        assert_int_equal(pm_list_size(ls), n);
        assert_int_equal(pm_list_size(m), n + 1);
        pm_object *all[] = {s, d, l, ls, ld, ll, m, it, dit};
        for (int k = 0; k < 9; k++) pm_decref(rt, all[k]);
    }
    pm_runtime_free(rt);
}

/* 400 random slice reads, assignments and deletions (steps -3..3, bounds
 * out of range or None), replayed from python3's script: after each the
 * list's repr and getsizeof (and a read's result) must equal python3's. */
static const char slice_script[] =
    "import random, sys\n"
    "random.seed(5)\n"
    "l = list(range(30)); t = tuple(l)\n"
    "def b():\n"
    "    return None if random.random() < 0.2 else random.randint(-40, 40)\n"
    "for i in range(400):\n"
    "    op = random.choice('GGSSDT')\n"
    "    st = random.choice([None, 1, 1, 1, 2, 3, -1, -2, -3])\n"
    "    a, z = b(), b()\n"
    "    k = 0\n"
    "    if op == 'S':\n"
    "        n = len(range(*slice(a, z, st).indices(len(l))))\n"
    "        k = n if st not in (None, 1) else random.randint(0, 6)\n"
    "    enc = lambda x: 'N' if x is None else str(x)\n"
    "    print(op, enc(a), enc(z), enc(st), k)\n"
    "    if op == 'G': print(repr(l[a:z:st]))\n"
    "    elif op == 'T': print(repr(t[a:z:st]))\n"
    "    elif op == 'S': l[a:z:st] = list(range(100 * i, 100 * i + k)); print('-')\n"
    "    else: del l[a:z:st]; print('-')\n"
    "    print(sys.getsizeof(l), repr(l))\n";

static pm_object *parse_bound(pm_runtime *rt, const char *tok) {
    return tok[0] == 'N' ? NULL : ct_int(rt, strtol(tok, NULL, 10));
}

static void test_slices_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    static char out[1 << 20];
    assert_int_equal(tu_python(slice_script, out, sizeof out), 0);
    pm_runtime *rt = tu_runtime();
    pm_object *l = pm_list_new(rt), *tmp = pm_list_new(rt);
    for (long i = 0; i < 30; i++) {
        pm_object *v = ct_int(rt, i);
        pm_list_append(rt, tmp, v);
        pm_decref(rt, v);
    }
    pm_object *t = pm_list_as_tuple(rt, tmp);
    pm_decref(rt, tmp);
    assert_int_equal(pm_list_extend(rt, l, t), 0);   /* list(range(30)): exactly 30 */
    char *line = strtok(out, "\n");
    for (int i = 0; i < 400; i++) {
        char op, a[16], z[16], st[16];
        long k;
        assert_non_null(line);
        assert_int_equal(sscanf(line, "%c %15s %15s %15s %ld", &op, a, z, st, &k), 5);
        char *res = strtok(NULL, "\n"), *state_line = strtok(NULL, "\n");
        assert_non_null(res);
        assert_non_null(state_line);
        pm_object *pa = parse_bound(rt, a), *pz = parse_bound(rt, z), *ps = parse_bound(rt, st);
        pm_object *sl = pm_slice_new(rt, pa, pz, ps);
        assert_non_null(sl);
        if (op == 'G' || op == 'T') {
            pm_object *r = pm_getitem(rt, op == 'G' ? l : t, sl);
            assert_non_null(r);
            ct_assert_repr(rt, r, res);
            pm_decref(rt, r);
        } else if (op == 'S') {
            pm_object *v = pm_list_new(rt);
            for (long j = 0; j < k; j++) {
                pm_object *x = ct_int(rt, 100 * i + j);
                pm_list_append(rt, v, x);
                pm_decref(rt, x);
            }
            assert_int_equal(pm_setitem(rt, l, sl, v), 0);
            pm_decref(rt, v);
        } else {
            assert_int_equal(pm_delitem(rt, l, sl), 0);
        }
        char *sp = strchr(state_line, ' ');
        assert_non_null(sp);
        *sp = 0;
        if ((long)pm_getsizeof(rt, l) != strtol(state_line, NULL, 10))
            fail_msg("op %d (%s): getsizeof %zu, python3 %s", i, line, pm_getsizeof(rt, l), state_line);
        ct_assert_repr(rt, l, sp + 1);
        pm_decref(rt, sl);
        pm_xdecref(rt, pa);
        pm_xdecref(rt, pz);
        pm_xdecref(rt, ps);
        line = strtok(NULL, "\n");
    }
    /* errors */
    pm_object *two = ct_int(rt, 2), *zero = ct_int(rt, 0);
    pm_object *ext = pm_slice_new(rt, NULL, NULL, two), *bad = pm_slice_new(rt, NULL, NULL, zero);
    assert_int_equal(pm_setitem(rt, l, ext, pm_tuple_pack(rt, 0)), -1);
    assert_true(strncmp(pm_err_message(rt), "attempt to assign sequence of size 0 to extended slice of size", 62) == 0);
    pm_err_clear(rt);
    assert_null(pm_getitem(rt, l, bad));
    assert_string_equal(pm_err_message(rt), "slice step cannot be zero");
    pm_err_clear(rt);
    pm_object *one = ct_int(rt, 1);
    assert_int_equal(pm_list_set_slice(rt, l, 0, 1, one), -1);
    assert_string_equal(pm_err_message(rt), "can only assign an iterable");
    pm_err_clear(rt);
    /* a[:] = a and a[::-1] = a read a copy */
    pm_object *before = pm_list_get_slice(rt, l, 0, PTRDIFF_MAX);
    assert_int_equal(pm_list_set_slice(rt, l, 0, PTRDIFF_MAX, l), 0);
    assert_int_equal(pm_richcompare_bool(rt, l, before, PM_EQ), 1);
    pm_object *m1 = ct_int(rt, -1), *rev = pm_slice_new(rt, NULL, NULL, m1);
    assert_int_equal(pm_setitem(rt, l, rev, l), 0);
    assert_int_equal(pm_list_reverse(rt, l), 0);
    assert_int_equal(pm_richcompare_bool(rt, l, before, PM_EQ), 1);
    pm_object *all[] = {before, m1, rev, one, two, zero, ext, bad, t, l};
    for (size_t j = 0; j < sizeof all / sizeof all[0]; j++) pm_decref(rt, all[j]);
    pm_runtime_free(rt);
}

/* sort: ascending and descending, stable (equal but distinct ints keep
 * their order), errors keep every item; concatenation. */
static void test_sort_and_concat(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    enum { N = 5000 };
    pm_object *l = pm_list_new(rt);
    static pm_object *made[N];
    uint64_t seed = 7;
    for (int i = 0; i < N; i++) {
        made[i] = ct_int(rt, 100000 + (long)(tu_rand(&seed) % 500));   /* many duplicates */
        pm_list_append(rt, l, made[i]);
    }
    assert_int_equal(pm_list_sort(rt, l, 0), 0);
    for (int i = 1; i < N; i++) {
        pm_object *a = pm_list_get(rt, l, i - 1), *b = pm_list_get(rt, l, i);
        long va = pm_int_as_long(rt, a), vb = pm_int_as_long(rt, b);
        assert_true(va <= vb);
        if (va == vb) {                             /* stability: creation order kept */
            int ia = -1, ib = -1;
            for (int k = 0; k < N; k++) {
                if (made[k] == a) ia = k;
                if (made[k] == b) ib = k;
            }
            assert_true(ia < ib);
        }
    }
    assert_int_equal(pm_list_sort(rt, l, 1), 0);
    for (int i = 1; i < N; i++)
        assert_true(pm_int_as_long(rt, pm_list_get(rt, l, i - 1)) >= pm_int_as_long(rt, pm_list_get(rt, l, i)));
    /* a str among ints: TypeError, and the list still holds every item */
    pm_object *s = ct_str(rt, "xy");
    pm_list_insert(rt, l, N / 2, s);
    assert_int_equal(pm_list_sort(rt, l, 0), -1);
    ct_assert_error(rt, PM_EXC_TypeError);
    assert_int_equal(pm_list_size(l), N + 1);
    assert_int_equal(pm_refcnt(rt, s), 2);
    long total = 0;
    for (int i = 0; i < N; i++) total += pm_refcnt(rt, made[i]);
    assert_int_equal(total, 2 * N);
    /* concatenation */
    pm_object *one = ct_int(rt, 1), *two = ct_int(rt, 2);
    pm_object *a = pm_list_from_array(rt, &one, 1), *b = pm_list_from_array(rt, &two, 1);
    pm_object *ab = pm_list_concat(rt, a, b);
    ct_assert_repr(rt, ab, "[1, 2]");
    pm_object *ta = pm_list_as_tuple(rt, a), *tb = pm_list_as_tuple(rt, b);
    pm_object *tab = pm_tuple_concat(rt, ta, tb);
    ct_assert_repr(rt, tab, "(1, 2)");
    pm_object *e = pm_tuple_pack(rt, 0), *te = pm_tuple_concat(rt, ta, e);
    assert_ptr_equal(te, ta);
    pm_object *all[] = {te, e, tab, ta, tb, ab, a, b, one, two, s, l};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) pm_decref(rt, all[i]);
    for (int i = 0; i < N; i++) pm_decref(rt, made[i]);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_growth_vs_python),
        cmocka_unit_test(test_operations),
        cmocka_unit_test(test_repr_and_compare),
        cmocka_unit_test(test_exact_refcounts),
        cmocka_unit_test(test_freelist),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_sort_and_concat),
        cmocka_unit_test(test_extend_hint_vs_python),
        cmocka_unit_test(test_slices_vs_python),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
