/* range and the iterator types of builtins (range.c, iterobjects.c),
 * differentially against python3: construction and its errors, len,
 * indexing and slicing (huge ranges too), in/index/count, ==/hash, repr,
 * the two range iterators and __length_hint__, enumerate, zip (strict),
 * map, filter, reversed, iter(f, sentinel); sizes and gc tracking; fault
 * sweeps. */
#include "objutil.h"

#define T(t) pm_type_as_object(&(t))

static pm_object *f_abs(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    return pm_number_absolute(rt, arg);
}
static pm_object *f_pow(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t n) {
    (void)self;
    if (n != 2) {
        pm_err_set(rt, PM_EXC_TypeError, "pow2");
        return NULL;
    }
    return pm_number_power(rt, args[0], args[1], PM_NONE);
}
static const pm_method_def abs_def = {"abs", f_abs, PM_METH_O, NULL};
static const pm_method_def pow_def = {"pow", (pm_cfunction)(void (*)(void))f_pow, PM_METH_FASTCALL, NULL};

static pm_object *big(pm_runtime *rt, const char *s) {
    pm_object *o = pm_int_from_string(rt, s, -1, 10);
    assert_non_null(o);
    return o;
}

/* range(*args) from C longs. */
static pm_object *rng(pm_runtime *rt, int n, long a, long b, long c) {
    pm_object *x[3] = {ou_int(rt, a), ou_int(rt, b), ou_int(rt, c)};
    pm_object *r = pm_call(rt, T(pm_range_type), x, (size_t)n, NULL);
    for (int i = 0; i < 3; i++) pm_decref(rt, x[i]);
    return r;
}

static pm_object *tuple_of(pm_runtime *rt, int n, ...) {
    pm_object *items[16];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) items[i] = ou_int(rt, va_arg(ap, long));
    va_end(ap);
    pm_object *t = pm_tuple_from_array(rt, items, n);
    for (int i = 0; i < n; i++) pm_decref(rt, items[i]);
    return t;
}

static pm_object *sl(pm_runtime *rt, pm_ssize_t a, pm_ssize_t b, pm_ssize_t c) {
    return pm_slice_from_ssize(rt, a, b, c);
}

static void emit_getitem(pm_runtime *rt, ou_out *o, pm_object *seq, pm_object *key) {
    ou_emit(rt, o, pm_getitem(rt, seq, key));
    pm_decref(rt, key);
}

static void test_range(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    static ou_out o;
    o.len = 0;
    o.buf[0] = 0;
    pm_object *r10 = rng(rt, 1, 10, 0, 0), *r = rng(rt, 3, 2, 10, 3), *rn = rng(rt, 3, 10, -5, -3);
    pm_object *fl = pm_float_new(rt, 1.0), *s = ou_str(rt, "a");
    pm_object *huge = big(rt, "18446744073709551616"), *h2 = big(rt, "1267650600228229401496703205376");
    pm_object *rh = pm_range_new(rt, NULL, huge, NULL);

    ou_emit(rt, &o, pm_newref(rt, r10));
    ou_emit(rt, &o, pm_newref(rt, r));
    ou_emit(rt, &o, pm_newref(rt, rn));
    ou_emit(rt, &o, rng(rt, 0, 0, 0, 0));
    ou_emit(rt, &o, rng(rt, 3, 1, 2, 0));
    pm_object *a4[4] = {fl, fl, fl, fl};
    ou_emit(rt, &o, pm_call(rt, T(pm_range_type), a4, 4, NULL));
    ou_emit(rt, &o, pm_call(rt, T(pm_range_type), a4, 1, NULL));
    pm_object *sa[2] = {s, s};
    ou_emit(rt, &o, pm_call(rt, T(pm_range_type), sa, 2, NULL));
    pm_object *kwn = pm_tuple_pack(rt, 1, s);
    ou_emit(rt, &o, pm_call(rt, T(pm_range_type), sa, 0, kwn));
    pm_decref(rt, kwn);
    ou_emit_int(rt, &o, pm_length(rt, r10));
    ou_emit_int(rt, &o, pm_length(rt, r));
    ou_emit_int(rt, &o, pm_length(rt, rn));
    ou_emit_int(rt, &o, pm_length(rt, rh));
    pm_object *r55 = rng(rt, 2, 5, 5, 0);
    ou_emit_bool(rt, &o, pm_is_true(rt, r55));
    pm_decref(rt, r55);
    emit_getitem(rt, &o, r, ou_int(rt, 1));
    emit_getitem(rt, &o, r, ou_int(rt, -1));
    emit_getitem(rt, &o, r, ou_int(rt, 3));
    emit_getitem(rt, &o, r, ou_int(rt, -4));
    emit_getitem(rt, &o, r, ou_str(rt, "a"));
    emit_getitem(rt, &o, rh, big(rt, "9223372036854775808"));
    emit_getitem(rt, &o, rh, ou_int(rt, -1));
    emit_getitem(rt, &o, r10, sl(rt, PM_SLICE_NONE, PM_SLICE_NONE, -3));
    emit_getitem(rt, &o, r, sl(rt, 1, -1, PM_SLICE_NONE));
    emit_getitem(rt, &o, r10, sl(rt, 8, 2, -2));
    emit_getitem(rt, &o, r10, sl(rt, -100, 100, 4));
    emit_getitem(rt, &o, r10, sl(rt, 1, PM_SLICE_NONE, 0));
    emit_getitem(rt, &o, rn, sl(rt, PM_SLICE_NONE, PM_SLICE_NONE, -1));
    pm_object *hs = pm_slice_new(rt, NULL, NULL, big(rt, "1125899906842624"));
    pm_object *rh2 = pm_range_new(rt, NULL, h2, NULL);
    ou_emit(rt, &o, pm_getitem(rt, rh2, hs));
    pm_decref(rt, hs);
    for (long v = -1; v <= 11; v += 3) {
        pm_object *x = ou_int(rt, v);
        ou_emit_bool(rt, &o, pm_contains(rt, r, x));
        ou_emit(rt, &o, ou_callm(rt, r, "index", 1, x));
        ou_emit(rt, &o, ou_callm(rt, rn, "count", 1, x));
        pm_decref(rt, x);
    }
    pm_object *f5 = pm_float_new(rt, 5.0);
    ou_emit_bool(rt, &o, pm_contains(rt, r, f5));
    ou_emit(rt, &o, ou_callm(rt, r, "index", 1, f5));
    ou_emit(rt, &o, ou_callm(rt, r, "count", 1, f5));
    ou_emit(rt, &o, ou_callm(rt, r, "index", 1, s));
    ou_emit_bool(rt, &o, pm_contains(rt, rh, huge));
    pm_object *hm1 = pm_int_sub(rt, huge, pm_int_from_long(rt, 1));
    ou_emit_bool(rt, &o, pm_contains(rt, rh, hm1));
    ou_emit(rt, &o, ou_callm(rt, rh, "index", 1, hm1));
    pm_decref(rt, hm1);
    ou_emit_bool(rt, &o, pm_contains(rt, r10, PM_TRUE));
    /* == and hash */
    pm_object *e1 = rng(rt, 3, 1, 2, 5), *e2 = rng(rt, 3, 1, 3, 7), *z1 = rng(rt, 2, 5, 5, 0),
              *z2 = rng(rt, 3, 9, 1, 1), *r10b = rng(rt, 3, 0, 10, 1);
    ou_emit_bool(rt, &o, pm_richcompare_bool(rt, e1, e2, PM_EQ));
    ou_emit_bool(rt, &o, pm_richcompare_bool(rt, z1, z2, PM_EQ));
    ou_emit_bool(rt, &o, pm_richcompare_bool(rt, r10, r10b, PM_EQ));
    ou_emit_bool(rt, &o, pm_richcompare_bool(rt, r10, r, PM_NE));
    ou_emit(rt, &o, pm_richcompare(rt, r10, r, PM_LT));
    ou_emit_bool(rt, &o, pm_hash(rt, e1) == pm_hash(rt, e2));
    ou_emit_bool(rt, &o, pm_hash(rt, z1) == pm_hash(rt, z2));
    ou_emit_bool(rt, &o, pm_hash(rt, r10) == pm_hash(rt, r10b));
    pm_object *r10l = ou_list(rt, r10);
    ou_emit_bool(rt, &o, pm_richcompare_bool(rt, r10, r10l, PM_EQ));
    pm_decref(rt, r10l);
    ou_emit(rt, &o, pm_getattr_cstr(rt, r, "start"));
    ou_emit(rt, &o, pm_getattr_cstr(rt, r, "stop"));
    ou_emit(rt, &o, pm_getattr_cstr(rt, rn, "step"));
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, r10));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(r10));
    /* iterators */
    ou_emit(rt, &o, ou_list(rt, r));
    ou_emit(rt, &o, ou_list(rt, rn));
    pm_object *rev = ou_callm(rt, rn, "__reversed__", 0);
    ou_emit(rt, &o, pm_newref(rt, pm_type_as_object(rev->ob_type)));
    ou_emit(rt, &o, ou_list(rt, rev));
    pm_decref(rt, rev);
    pm_object *it = pm_iter(rt, r10);
    ou_emit(rt, &o, pm_newref(rt, pm_type_as_object(it->ob_type)));
    ou_emit_next(rt, &o, it);
    ou_emit(rt, &o, ou_callm(rt, it, "__length_hint__", 0));
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, it));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(it));
    pm_decref(rt, it);
    it = pm_iter(rt, rh);
    ou_emit(rt, &o, pm_newref(rt, pm_type_as_object(it->ob_type)));
    ou_emit_next(rt, &o, it);
    ou_emit_next(rt, &o, it);
    ou_emit(rt, &o, ou_callm(rt, it, "__length_hint__", 0));
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, it));
    pm_decref(rt, it);
    pm_object *rhr = ou_callm(rt, rh, "__reversed__", 0);
    ou_emit_next(rt, &o, rhr);
    ou_emit_next(rt, &o, rhr);
    pm_decref(rt, rhr);
    pm_object *lm = pm_range_new(rt, big(rt, "9223372036854775800"), big(rt, "9223372036854775807"), NULL);
    ou_emit(rt, &o, ou_list(rt, lm));
    pm_object *lm2 = ou_callm(rt, lm, "__reversed__", 0);
    ou_emit(rt, &o, ou_list(rt, lm2));
    pm_decref(rt, lm2);
    pm_decref(rt, lm);
    pm_object *neg = pm_range_new(rt, big(rt, "-9223372036854775808"), big(rt, "-9223372036854775805"), NULL);
    ou_emit(rt, &o, ou_list(rt, neg));
    pm_object *neg2 = ou_callm(rt, neg, "__reversed__", 0);
    ou_emit(rt, &o, ou_list(rt, neg2));
    pm_decref(rt, neg2);
    pm_decref(rt, neg);

    ou_compare(&o,
               "r10 = range(10); r = range(2, 10, 3); rn = range(10, -5, -3)\n"
               "rh = range(2**64)\n"
               "E(lambda: r10); E(lambda: r); E(lambda: rn)\n"
               "E(lambda: range()); E(lambda: range(1, 2, 0))\n"
               "E(lambda: range(1.0, 1.0, 1.0, 1.0)); E(lambda: range(1.0)); E(lambda: range('a', 'a'))\n"
               "E(lambda: range(a=1))\n"
               "E(lambda: len(r10)); E(lambda: len(r)); E(lambda: len(rn)); E(lambda: len(rh))\n"
               "E(lambda: bool(range(5, 5)))\n"
               "E(lambda: r[1]); E(lambda: r[-1]); E(lambda: r[3]); E(lambda: r[-4]); E(lambda: r['a'])\n"
               "E(lambda: rh[2**63]); E(lambda: rh[-1])\n"
               "E(lambda: r10[::-3]); E(lambda: r[1:-1]); E(lambda: r10[8:2:-2]); E(lambda: r10[-100:100:4])\n"
               "E(lambda: r10[1::0]); E(lambda: rn[::-1])\n"
               "E(lambda: range(2**100)[::2**50])\n"
               "for v in range(-1, 12, 3):\n"
               "    E(lambda: v in r); E(lambda: r.index(v)); E(lambda: rn.count(v))\n"
               "E(lambda: 5.0 in r); E(lambda: r.index(5.0)); E(lambda: r.count(5.0)); E(lambda: r.index('a'))\n"
               "E(lambda: 2**64 in rh); E(lambda: 2**64 - 1 in rh); E(lambda: rh.index(2**64 - 1))\n"
               "E(lambda: True in r10)\n"
               "E(lambda: range(1, 2, 5) == range(1, 3, 7)); E(lambda: range(5, 5) == range(9, 1, 1))\n"
               "E(lambda: r10 == range(0, 10, 1)); E(lambda: r10 != r); E(lambda: r10 < r)\n"
               "E(lambda: hash(range(1, 2, 5)) == hash(range(1, 3, 7)))\n"
               "E(lambda: hash(range(5, 5)) == hash(range(9, 1, 1)))\n"
               "E(lambda: hash(r10) == hash(range(0, 10, 1)))\n"
               "E(lambda: r10 == list(r10))\n"
               "E(lambda: r.start); E(lambda: r.stop); E(lambda: rn.step)\n"
               "E(lambda: sys.getsizeof(r10)); E(lambda: gc.is_tracked(r10))\n"
               "E(lambda: list(r)); E(lambda: list(rn))\n"
               "rev = rn.__reversed__(); E(lambda: type(rev)); E(lambda: list(rev))\n"
               "it = iter(r10); E(lambda: type(it)); E(lambda: next(it)); E(lambda: it.__length_hint__())\n"
               "E(lambda: sys.getsizeof(it)); E(lambda: gc.is_tracked(it))\n"
               "it = iter(rh); E(lambda: type(it)); E(lambda: next(it)); E(lambda: next(it))\n"
               "E(lambda: it.__length_hint__()); E(lambda: sys.getsizeof(it))\n"
               "rhr = rh.__reversed__(); E(lambda: next(rhr)); E(lambda: next(rhr))\n"
               "lm = range(2**63 - 8, 2**63 - 1); E(lambda: list(lm)); E(lambda: list(lm.__reversed__()))\n"
               "neg = range(-2**63, -2**63 + 3); E(lambda: list(neg)); E(lambda: list(neg.__reversed__()))\n");
    pm_object *objs[] = {r10, r, rn, fl, s, huge, h2, rh, rh2, f5, e1, e2, z1, z2, r10b};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_decref(rt, objs[i]);
    pm_runtime_free(rt);
}

static void test_iterators(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    static ou_out o;
    o.len = 0;
    o.buf[0] = 0;
    pm_object *absf = pm_cfunction_new(rt, &abs_def, NULL), *powf = pm_cfunction_new(rt, &pow_def, NULL);
    pm_object *t3 = tuple_of(rt, 3, -1L, 0L, 2L), *t2 = tuple_of(rt, 2, 5L, 6L), *one = ou_int(rt, 1);
    pm_object *x = ou_str(rt, "x"), *start = ou_str(rt, "start"), *iterable = ou_str(rt, "iterable");
    pm_object *strict = ou_str(rt, "strict");
    pm_object *kw_start = pm_tuple_pack(rt, 1, start), *kw_x = pm_tuple_pack(rt, 1, x),
              *kw_it = pm_tuple_pack(rt, 1, iterable), *kw_strict = pm_tuple_pack(rt, 1, strict),
              *kw_si = pm_tuple_pack(rt, 2, start, iterable);
    pm_object *a[4];

    /* enumerate */
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_enumerate_type), 1, t3)));
    pm_object *en = ou_call(rt, T(pm_enumerate_type), 1, t3);
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, en));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(en));
    ou_emit_next(rt, &o, en);
    pm_decref(rt, en);
    a[0] = t3, a[1] = ou_int(rt, 5);
    ou_emit(rt, &o, ou_listx(rt, pm_call(rt, T(pm_enumerate_type), a, 1, kw_start)));
    pm_object *b63 = big(rt, "9223372036854775806");
    a[1] = b63;
    ou_emit(rt, &o, ou_listx(rt, pm_call(rt, T(pm_enumerate_type), a, 2, NULL)));
    pm_decref(rt, b63);
    a[1] = x;
    ou_emit(rt, &o, pm_call(rt, T(pm_enumerate_type), a, 2, NULL));
    ou_emit(rt, &o, pm_call(rt, T(pm_enumerate_type), a, 0, NULL));
    a[2] = one;
    ou_emit(rt, &o, pm_call(rt, T(pm_enumerate_type), a, 3, NULL));
    ou_emit(rt, &o, pm_call(rt, T(pm_enumerate_type), a, 0, kw_x));
    a[0] = ou_int(rt, 0), a[1] = t3;
    ou_emit(rt, &o, ou_listx(rt, pm_call(rt, T(pm_enumerate_type), a, 0, kw_si)));
    pm_decref(rt, a[0]);
    a[0] = t3;
    ou_emit(rt, &o, pm_call(rt, T(pm_enumerate_type), a, 1, kw_it));
    ou_emit(rt, &o, ou_call(rt, T(pm_enumerate_type), 1, one));
    /* zip */
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_zip_type), 2, t3, t2)));
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_zip_type), 0)));
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_zip_type), 1, t2)));
    ou_emit(rt, &o, ou_call(rt, T(pm_zip_type), 2, t2, one));
    a[0] = t3, a[1] = t2, a[2] = PM_TRUE;
    ou_emit(rt, &o, ou_listx(rt, pm_call(rt, T(pm_zip_type), a, 2, kw_strict)));
    a[0] = t2, a[1] = t3;
    ou_emit(rt, &o, ou_listx(rt, pm_call(rt, T(pm_zip_type), a, 2, kw_strict)));
    a[0] = t2, a[1] = t2, a[2] = t3, a[3] = PM_TRUE;
    ou_emit(rt, &o, ou_listx(rt, pm_call(rt, T(pm_zip_type), a, 3, kw_strict)));
    a[2] = PM_FALSE;
    ou_emit(rt, &o, ou_listx(rt, pm_call(rt, T(pm_zip_type), a, 2, kw_strict)));
    a[0] = t3, a[1] = t3, a[2] = t2, a[3] = PM_TRUE;
    ou_emit(rt, &o, ou_listx(rt, pm_call(rt, T(pm_zip_type), a, 3, kw_strict)));
    a[2] = one;
    ou_emit(rt, &o, pm_call(rt, T(pm_zip_type), a, 2, kw_x));
    pm_object *z = ou_call(rt, T(pm_zip_type), 1, t2);
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, z));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(z));
    pm_decref(rt, z);
    /* map */
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_map_type), 2, absf, t3)));
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_map_type), 3, powf, t3, t2)));
    ou_emit(rt, &o, ou_call(rt, T(pm_map_type), 1, absf));
    ou_emit(rt, &o, ou_call(rt, T(pm_map_type), 0));
    ou_emit(rt, &o, ou_call(rt, T(pm_map_type), 2, absf, one));
    a[0] = absf, a[1] = t3, a[2] = one;
    ou_emit(rt, &o, pm_call(rt, T(pm_map_type), a, 2, kw_x));
    pm_object *m = ou_call(rt, T(pm_map_type), 2, absf, t3);
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, m));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(m));
    pm_decref(rt, m);
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_map_type), 2, one, t3)));
    /* filter */
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_filter_type), 2, PM_NONE, t3)));
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_filter_type), 2, T(pm_bool_type), t3)));
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_filter_type), 2, absf, t3)));
    ou_emit(rt, &o, ou_call(rt, T(pm_filter_type), 1, absf));
    ou_emit(rt, &o, ou_call(rt, T(pm_filter_type), 3, absf, t3, t3));
    ou_emit(rt, &o, ou_call(rt, T(pm_filter_type), 2, absf, one));
    ou_emit(rt, &o, pm_call(rt, T(pm_filter_type), a, 2, kw_x));
    pm_object *f = ou_call(rt, T(pm_filter_type), 2, absf, t3);
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, f));
    pm_decref(rt, f);
    /* reversed */
    pm_object *rv = ou_call(rt, T(pm_reversed_type), 1, t3);
    ou_emit(rt, &o, ou_callm(rt, rv, "__length_hint__", 0));
    ou_emit_next(rt, &o, rv);
    ou_emit(rt, &o, ou_callm(rt, rv, "__length_hint__", 0));
    ou_emit(rt, &o, ou_list(rt, rv));
    ou_emit(rt, &o, ou_callm(rt, rv, "__length_hint__", 0));
    ou_emit_next(rt, &o, rv);
    pm_decref(rt, rv);
    pm_object *abc = ou_str(rt, "abc");
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_reversed_type), 1, abc)));
    pm_object *r5 = rng(rt, 1, 5, 0, 0);
    pm_object *rr = ou_call(rt, T(pm_reversed_type), 1, r5);
    ou_emit(rt, &o, pm_newref(rt, pm_type_as_object(rr->ob_type)));
    pm_decref(rt, rr);
    ou_emit(rt, &o, ou_call(rt, T(pm_reversed_type), 1, one));
    pm_object *st = pm_set_new(rt, t2);
    ou_emit(rt, &o, ou_call(rt, T(pm_reversed_type), 1, st));
    ou_emit(rt, &o, ou_call(rt, T(pm_reversed_type), 0));
    ou_emit(rt, &o, ou_call(rt, T(pm_reversed_type), 2, t3, t3));
    ou_emit(rt, &o, pm_call(rt, T(pm_reversed_type), a, 0, kw_x));
    rv = ou_call(rt, T(pm_reversed_type), 1, t3);
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, rv));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(rv));
    pm_decref(rt, rv);
    /* iter(f, sentinel) */
    pm_object *lst = ou_list(rt, t3);
    pm_object *pop = pm_getattr_cstr(rt, lst, "pop");
    pm_object *zero = ou_int(rt, 0);
    pm_object *ci = pm_callable_iter_new(rt, pop, zero);
    ou_emit(rt, &o, pm_newref(rt, pm_type_as_object(ci->ob_type)));
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, ci));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(ci));
    ou_emit(rt, &o, ou_list(rt, ci));
    ou_emit_next(rt, &o, ci);
    ou_emit(rt, &o, pm_newref(rt, lst));
    pm_decref(rt, ci);
    ci = pm_callable_iter_new(rt, pop, zero);          /* the list: [-1]; pop raises at the end */
    ou_emit(rt, &o, ou_list(rt, ci));
    pm_decref(rt, ci);
    ou_emit(rt, &o, pm_callable_iter_new(rt, one, zero));

    ou_compare(&o,
               "t3 = (-1, 0, 2); t2 = (5, 6)\n"
               "E(lambda: list(enumerate(t3)))\n"
               "en = enumerate(t3); E(lambda: sys.getsizeof(en)); E(lambda: gc.is_tracked(en)); E(lambda: next(en))\n"
               "E(lambda: list(enumerate(t3, start=5)))\n"
               "E(lambda: list(enumerate(t3, 2**63 - 2)))\n"
               "E(lambda: enumerate(t3, 'x')); E(lambda: enumerate()); E(lambda: enumerate(t3, 'x', 1))\n"
               "E(lambda: enumerate(x=1))\n"
               "E(lambda: list(enumerate(start=0, iterable=t3)))\n"
               "E(lambda: enumerate(t3, iterable=0))\n"
               "E(lambda: enumerate(1))\n"
               "E(lambda: list(zip(t3, t2))); E(lambda: list(zip())); E(lambda: list(zip(t2))); E(lambda: zip(t2, 1))\n"
               "E(lambda: list(zip(t3, t2, strict=True))); E(lambda: list(zip(t2, t3, strict=True)))\n"
               "E(lambda: list(zip(t2, t2, t3, strict=True))); E(lambda: list(zip(t2, t2, strict=False)))\n"
               "E(lambda: list(zip(t3, t3, t2, strict=True)))\n"
               "E(lambda: zip(t3, t3, x=1))\n"
               "z = zip(t2); E(lambda: sys.getsizeof(z)); E(lambda: gc.is_tracked(z))\n"
               "E(lambda: list(map(abs, t3))); E(lambda: list(map(pow, t3, t2))); E(lambda: map(abs)); E(lambda: map())\n"
               "E(lambda: map(abs, 1)); E(lambda: map(abs, t3, x=1))\n"
               "m = map(abs, t3); E(lambda: sys.getsizeof(m)); E(lambda: gc.is_tracked(m))\n"
               "E(lambda: list(map(1, t3)))\n"
               "E(lambda: list(filter(None, t3))); E(lambda: list(filter(bool, t3))); E(lambda: list(filter(abs, t3)))\n"
               "E(lambda: filter(abs)); E(lambda: filter(abs, t3, t3)); E(lambda: filter(abs, 1))\n"
               "E(lambda: filter(abs, t3, x=1))\n"
               "f = filter(abs, t3); E(lambda: sys.getsizeof(f))\n"
               "rv = reversed(t3); E(lambda: rv.__length_hint__()); E(lambda: next(rv)); E(lambda: rv.__length_hint__())\n"
               "E(lambda: list(rv)); E(lambda: rv.__length_hint__()); E(lambda: next(rv))\n"
               "E(lambda: list(reversed('abc')))\n"
               "E(lambda: type(reversed(range(5))))\n"
               "E(lambda: reversed(1)); E(lambda: reversed({5, 6})); E(lambda: reversed()); E(lambda: reversed(t3, t3))\n"
               "E(lambda: reversed(x=1))\n"
               "rv = reversed(t3); E(lambda: sys.getsizeof(rv)); E(lambda: gc.is_tracked(rv))\n"
               "lst = list(t3)\n"
               "ci = iter(lst.pop, 0); E(lambda: type(ci)); E(lambda: sys.getsizeof(ci)); E(lambda: gc.is_tracked(ci))\n"
               "E(lambda: list(ci)); E(lambda: next(ci)); E(lambda: lst)\n"
               "E(lambda: list(iter(lst.pop, 0)))\n"
               "E(lambda: iter(1, 0))\n");
    pm_object *objs[] = {absf, powf, t3, t2, one, x, start, iterable, strict, kw_start, kw_x, kw_it, kw_strict,
                         kw_si, abc, r5, st, lst, pop, zero};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_decref(rt, objs[i]);
    assert_int_equal(pm_gc_collect(rt, 2), 0);
    pm_runtime_free(rt);
}

/* Cycles through the iterator objects are collected: a list holding an
 * enumerate / zip / map / filter / reversed / callable iterator over
 * itself.  The counts are python3's minus one for enumerate and zip, which
 * in CPython also keep a cached result tuple (pymm makes a fresh tuple per
 * item); the others equal python3's gc.collect() results. */
static void test_cycles(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    const pm_type *types[] = {&pm_enumerate_type, &pm_zip_type, &pm_filter_type, &pm_reversed_type};
    pm_ssize_t want[] = {3, 4, 3, 2};       /* zip: + its tuple of iterators */
    for (int i = 0; i < 4; i++) {
        pm_object *l = pm_list_new(rt), *it;
        if (types[i] == &pm_filter_type) it = ou_call(rt, T(pm_filter_type), 2, PM_NONE, l);
        else it = ou_call(rt, pm_type_as_object(types[i]), 1, l);
        assert_non_null(it);
        assert_int_equal(pm_list_append(rt, l, it), 0);
        pm_decref(rt, it);
        pm_decref(rt, l);
        assert_int_equal(pm_gc_collect(rt, 2), want[i]);
    }
    pm_object *l = pm_list_new(rt);
    pm_object *ap = pm_getattr_cstr(rt, l, "copy");
    pm_object *ci = pm_callable_iter_new(rt, ap, l);
    assert_int_equal(pm_list_append(rt, l, ci), 0);
    pm_object *m = ou_call(rt, T(pm_map_type), 2, ap, l);
    assert_int_equal(pm_list_append(rt, l, m), 0);
    pm_object *objs[] = {ap, ci, m, l};
    for (int i = 0; i < 4; i++) pm_decref(rt, objs[i]);
    /* list, bound copy, callable_iterator, map, its tuple, the list iterator */
    assert_int_equal(pm_gc_collect(rt, 2), 6);
    pm_runtime_free(rt);
}

/* ---- fault sweep ---- */

static int fs_work(pm_runtime *rt, void *ctx) {
    (void)ctx;
    pm_object *objs[12] = {0};
    int k = 0, rc = -1;
#define STEP(e) if (!(objs[k++] = (e))) goto fail
    STEP(pm_int_from_string(rt, "100000000000000000000", -1, 10));
    STEP(pm_range_new(rt, NULL, objs[0], NULL));
    STEP(pm_slice_from_ssize(rt, 3, PM_SLICE_NONE, 7));
    STEP(pm_getitem(rt, objs[1], objs[2]));
    STEP(pm_iter(rt, objs[3]));
    STEP(pm_iter_next(rt, objs[4]));
    STEP(ou_call(rt, T(pm_zip_type), 2, objs[3], objs[3]));
    STEP(ou_call(rt, T(pm_enumerate_type), 1, objs[6]));
    STEP(pm_iter_next(rt, objs[7]));
    STEP(pm_repr(rt, objs[3]));
    rc = 0;
fail:
    for (int i = 0; i < 12; i++) pm_xdecref(rt, objs[i]);
    return rc;
#undef STEP
}

static void test_fault_sweep(void **state) {
    (void)state;
    ou_fault_sweep("range_iter", fs_work);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_iterators),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
