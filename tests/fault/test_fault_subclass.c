/* Allocation-failure sweep over the object model for Python classes
 * (SQLite's countdown, tests/c/faultsweep.h): classes derived from the
 * value types (their instances copied from the exact value, the dict after
 * a variable-size body), a metaclass and a class it makes, list[int]
 * (types.GenericAlias), __class__ assignment, ExceptionGroup with split /
 * subgroup, pow() with a modular inverse and the codecs' UnicodeDecodeError
 * objects.  Every run either succeeds or fails with MemoryError; afterwards
 * (cycles collected, lazily built type state dropped) every pool block and
 * large block is back. */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "faultsweep.h"
#include "core/object.h"


/* callable(a0, a1, a2) with n of them.  NEW ref. */
static pm_object *call3(pm_runtime *rt, pm_object *f, int n, pm_object *a0, pm_object *a1, pm_object *a2) {
    pm_object *a[3] = {a0, a1, a2};
    return pm_call(rt, f, a, (size_t)n, NULL);
}

/* type(name, (base,), {}) or meta(name, (base,), {}); base NULL: (). */
static pm_object *make_class(pm_runtime *rt, pm_object *meta, const char *name, const pm_type *base) {
    pm_object *n = pm_str_from_cstr(rt, name), *b = NULL, *d = NULL, *c = NULL;
    if (!n) return NULL;
    b = base ? pm_tuple_pack(rt, 1, pm_type_as_object(base)) : pm_tuple_from_array(rt, NULL, 0);
    if (b) d = pm_dict_new(rt);
    if (d) c = call3(rt, meta ? meta : pm_type_as_object(&pm_type_type), 3, n, b, d);
    pm_xdecref(rt, d);
    pm_xdecref(rt, b);
    pm_decref(rt, n);
    return c;
}

static int set_attr(pm_runtime *rt, pm_object *o, const char *name, pm_object *v) {
    pm_object *n = pm_str_from_cstr(rt, name);
    int r = n ? pm_setattr(rt, o, n, v) : -1;
    pm_xdecref(rt, n);
    return r;
}

static pm_object *method(pm_runtime *rt, pm_object *o, const char *name, pm_object *arg) {
    pm_object *n = pm_str_from_cstr(rt, name);
    pm_object *r = n ? pm_call_method(rt, o, n, &arg, arg ? 1 : 0) : NULL;
    pm_xdecref(rt, n);
    return r;
}

/* Returns 0 on success, -1 on a (recorded) failure; releases everything. */
static int workload(pm_runtime *rt) {
    pm_object *h[96];
    int nh = 0, rc = -1;
    pm_object *type = pm_type_as_object(&pm_type_type);

    /* class I(int): a big value copied in, a dict after the digits */
    FS_HOLD(make_class(rt, NULL, "I", &pm_int_type));
    pm_object *I = FS_LAST;
    FS_HOLD(pm_int_from_string(rt, "123456789012345678901234567890", -1, 10));
    FS_HOLD(call3(rt, I, 1, FS_LAST, NULL, NULL));
    pm_object *i = FS_LAST;
    if (i->ob_type != (const pm_type *)I) goto fail;
    FS_HOLD(pm_list_new(rt));
    if (set_attr(rt, i, "x", FS_LAST) < 0) goto fail;
    FS_HOLD(pm_int_from_long(rt, 1));
    FS_HOLD(pm_number_binop(rt, i, FS_LAST, PM_NB_ADD));
    if (FS_LAST->ob_type != &pm_int_type) goto fail;
    FS_HOLD(pm_repr(rt, i));
    if (pm_getsizeof(rt, i) == 0) goto fail;

    /* class S(str) with __slots__ = 'a', a non-ASCII value */
    {
        pm_object *n = pm_str_from_cstr(rt, "S"), *b = NULL, *d = NULL, *sl = NULL, *k = NULL, *c = NULL;
        if (n) b = pm_tuple_pack(rt, 1, pm_type_as_object(&pm_str_type));
        if (b) d = pm_dict_new(rt);
        if (d) sl = pm_str_from_cstr(rt, "a");
        if (sl) k = pm_str_from_cstr(rt, "__slots__");
        if (k && pm_dict_set(rt, d, k, sl) == 0) c = call3(rt, type, 3, n, b, d);
        pm_xdecref(rt, k);
        pm_xdecref(rt, sl);
        pm_xdecref(rt, d);
        pm_xdecref(rt, b);
        pm_xdecref(rt, n);
        FS_HOLD(c);
    }
    pm_object *S = FS_LAST;
    FS_HOLD(pm_str_from_cstr(rt, "h\xc3\xa9llo w\xc3\xb6rld"));
    FS_HOLD(call3(rt, S, 1, FS_LAST, NULL, NULL));
    pm_object *s = FS_LAST;
    if (set_attr(rt, s, "a", s) < 0) goto fail;           /* a cycle through the slot */
    FS_HOLD(pm_str(rt, s));
    if (FS_LAST->ob_type != &pm_str_type) goto fail;
    if (pm_hash(rt, s) == -1) goto fail;

    /* tuple, bytes, frozenset, float, complex classes */
    static const pm_type *const bases[] = {&pm_tuple_type, &pm_bytes_type, &pm_frozenset_type,
                                           &pm_float_type, &pm_complex_type, &pm_list_type};
    FS_HOLD(pm_str_from_cstr(rt, "abcdefgh"));
    pm_object *src = FS_LAST;
    for (size_t k = 0; k < sizeof bases / sizeof *bases; k++) {
        FS_HOLD(make_class(rt, NULL, "V", bases[k]));
        pm_object *arg = src;
        if (bases[k] == &pm_bytes_type) arg = NULL;
        if (bases[k] == &pm_float_type || bases[k] == &pm_complex_type) FS_HOLD(pm_float_new(rt, 2.5));
        if (bases[k] == &pm_float_type || bases[k] == &pm_complex_type) arg = FS_LAST;
        FS_HOLD(call3(rt, h[nh - (arg && arg != src ? 2 : 1)], arg ? 1 : 0, arg, NULL, NULL));
        if (set_attr(rt, FS_LAST, "v", FS_LAST) < 0) goto fail;    /* a cycle through the dict */
    }

    /* a metaclass and a class it makes */
    FS_HOLD(make_class(rt, NULL, "M", &pm_type_type));
    pm_object *M = FS_LAST;
    FS_HOLD(make_class(rt, M, "X", NULL));
    if (FS_LAST->ob_type != (const pm_type *)M || pm_isinstance(rt, FS_LAST, M) != 1) goto fail;
    FS_HOLD(call3(rt, FS_LAST, 0, NULL, NULL, NULL));

    /* list[int] */
    FS_HOLD(pm_getitem(rt, pm_type_as_object(&pm_list_type), pm_type_as_object(&pm_int_type)));
    FS_HOLD(pm_repr(rt, FS_LAST));

    /* __class__ assignment */
    FS_HOLD(make_class(rt, NULL, "A", NULL));
    FS_HOLD(make_class(rt, NULL, "B", NULL));
    pm_object *B = FS_LAST;
    FS_HOLD(call3(rt, h[nh - 2], 0, NULL, NULL, NULL));
    if (set_attr(rt, FS_LAST, "__class__", B) < 0 || FS_LAST->ob_type != (const pm_type *)B) goto fail;

    /* ExceptionGroup: split and subgroup */
    FS_HOLD(pm_exc_new_msg(rt, &pm_exc_ValueError, "v"));
    pm_object *ve = FS_LAST;
    FS_HOLD(pm_exc_new_msg(rt, &pm_exc_TypeError, "t"));
    FS_HOLD(pm_tuple_pack(rt, 2, ve, FS_LAST));
    FS_HOLD(pm_str_from_cstr(rt, "group"));
    FS_HOLD(call3(rt, pm_type_as_object(&pm_exc_ExceptionGroup), 2, FS_LAST, h[nh - 2], NULL));
    pm_object *eg = FS_LAST;
    FS_HOLD(method(rt, eg, "split", pm_type_as_object(&pm_exc_ValueError)));
    FS_HOLD(method(rt, eg, "subgroup", pm_type_as_object(&pm_exc_TypeError)));
    FS_HOLD(pm_str(rt, eg));

    /* pow(3, -1, 7) == 5 */
    FS_HOLD(pm_int_from_long(rt, 3));
    FS_HOLD(pm_int_from_long(rt, -1));
    FS_HOLD(pm_int_from_long(rt, 7));
    FS_HOLD(pm_number_power(rt, h[nh - 3], h[nh - 2], FS_LAST));
    if (pm_int_as_long(rt, FS_LAST) != 5) goto fail;

    /* b'\xff'.decode(): a UnicodeDecodeError object with its fields */
    FS_HOLD(pm_bytes_new(rt, "a\xff", 2));
    if (fs_raised(rt, method(rt, FS_LAST, "decode", NULL), PM_EXC_UnicodeDecodeError) < 0) goto fail;
    rc = 0;
fail:
    while (nh > 0) pm_decref(rt, h[--nh]);
    return rc;
}

/* A fresh runtime per run (faultsweep.h's fs_run_fresh); afterwards the
 * classes and cycles collected, the types' lazy state dropped, every block
 * back. */
static void sweep(int persistent) {
    fs_result r = fs_run_fresh("subclass", persistent, workload, 1);
    assert_true(r.points >= 100);
    assert_true(r.failures > 0);
}

/* The workload itself, without faults: it must succeed (a broken workload
 * would make the sweep vacuous). */
static void test_workload_succeeds(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    fs_snap before = fs_take(rt);
    assert_int_equal(workload(rt), 0);
    assert_false(pm_err_occurred(rt));
    fs_settle(rt, 1);
    fs_expect_same(0, before, fs_take(rt));
    pm_runtime_free(rt);
}

FS_SWEEP_TESTS(sweep)

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workload_succeeds),
        cmocka_unit_test(test_sweep_transient),
        cmocka_unit_test(test_sweep_persistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
