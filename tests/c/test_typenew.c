/* The core types' constructors (objects/typenew.c) where Python cannot
 * reach them on this branch: __init__ called again on a live list / dict /
 * set / bytearray (it refills), a subclass handed to an exact-only
 * constructor (TypeError), calls through the C API (pm_call_object with a
 * kwargs dict), and an allocation-fault sweep over a workload of
 * constructor calls on one warmed-up runtime, checking every byte back. */
#include "testutil.h"
#include "faultsweep.h"
#include "core/object.h"

#include <string.h>

/* type(*args, **kwargs) for a core type; args a tuple (new ref taken), or
 * NULL when making it failed (the error is set), or NONE_ARGS for none. */
#define NONE_ARGS ((pm_object *)&fake_int_sub)
static const pm_type fake_int_sub;
static pm_object *call_type(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    if (!args) return NULL;
    if (args == NONE_ARGS) args = NULL;
    pm_object *r = pm_call_object(rt, pm_type_as_object(t), args, kwargs);
    pm_xdecref(rt, args);
    return r;
}

static void assert_repr(pm_runtime *rt, pm_object *o, const char *want) {
    assert_non_null(o);
    pm_object *r = pm_repr(rt, o);
    assert_non_null(r);
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), want);
    pm_decref(rt, r);
}

static void test_reinit(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *ab = pm_str_from_cstr(rt, "ab"), *args = pm_tuple_pack(rt, 1, ab), *none = pm_tuple_pack(rt, 0);

    pm_object *l = call_type(rt, &pm_list_type, pm_tuple_pack(rt, 1, args), NULL); /* list(('ab',)) */
    assert_repr(rt, l, "['ab']");
    assert_int_equal(pm_list_type.init(rt, l, args, NULL), 0); /* l.__init__('ab') refills */
    assert_repr(rt, l, "['a', 'b']");
    assert_int_equal(pm_list_type.init(rt, l, none, NULL), 0);
    assert_repr(rt, l, "[]");
    pm_object *two = pm_tuple_pack(rt, 2, ab, ab);
    assert_int_equal(pm_list_type.init(rt, l, two, NULL), -1);
    assert_string_equal(pm_err_message(rt), "list expected at most 1 argument, got 2");
    pm_err_clear(rt);

    pm_object *s = call_type(rt, &pm_set_type, pm_tuple_pack(rt, 1, ab), NULL);
    assert_int_equal(pm_set_size(s), 2);
    assert_int_equal(pm_set_type.init(rt, s, none, NULL), 0);
    assert_int_equal(pm_set_size(s), 0);

    /* dict.__init__ merges (CPython: it does not clear first) */
    pm_object *kw = pm_dict_new(rt);
    assert_int_equal(pm_dict_set(rt, kw, ab, ab), 0);
    pm_object *d = call_type(rt, &pm_dict_type, NONE_ARGS, kw);
    assert_repr(rt, d, "{'ab': 'ab'}");
    pm_object *k2 = pm_str_from_cstr(rt, "k"), *kw2 = pm_dict_new(rt);
    assert_int_equal(pm_dict_set(rt, kw2, k2, k2), 0);
    assert_int_equal(pm_dict_type.init(rt, d, none, kw2), 0);
    assert_repr(rt, d, "{'ab': 'ab', 'k': 'k'}");

    pm_object *ba = call_type(rt, &pm_bytearray_type, pm_tuple_pack(rt, 1, ab), NULL);
    assert_null(ba);
    assert_string_equal(pm_err_message(rt), "string argument without an encoding");
    pm_err_clear(rt);
    pm_object *three = pm_int_from_long(rt, 3), *a3 = pm_tuple_pack(rt, 1, three);
    ba = pm_bytearray_new(rt, "xyz", 3);
    assert_int_equal(pm_bytearray_type.init(rt, ba, a3, NULL), 0);
    assert_repr(rt, ba, "bytearray(b'\\x00\\x00\\x00')");

    pm_decref(rt, ba);
    pm_decref(rt, a3);
    pm_decref(rt, three);
    pm_decref(rt, kw2);
    pm_decref(rt, k2);
    pm_decref(rt, d);
    pm_decref(rt, kw);
    pm_decref(rt, s);
    pm_decref(rt, two);
    pm_decref(rt, l);
    pm_decref(rt, none);
    pm_decref(rt, args);
    pm_decref(rt, ab);
    pm_runtime_free(rt);
}

/* A static "subclass" of int: only classes (heap types with their layout)
 * get instances of a value type's subtype. */
static const pm_type fake_int_sub = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "myint",
    .basicsize = sizeof(pm_object),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_int_type,
};

static void test_subclass_refused(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *none = pm_tuple_pack(rt, 0);
    assert_null(pm_int_type.new_object(rt, &fake_int_sub, none, NULL));
    assert_int_equal(pm_err_kind(rt), PM_EXC_TypeError);
    assert_string_equal(pm_err_message(rt), "cannot create 'myint' instances: not a class made by type()");
    pm_err_clear(rt);
    pm_object *z = pm_int_type.new_object(rt, &pm_int_type, none, NULL);
    assert_non_null(z);
    assert_int_equal(pm_int_sign(z), 0);
    pm_decref(rt, z);
    pm_decref(rt, none);
    pm_runtime_free(rt);
}

/* ---- the fault sweep --------------------------------------------------- */

/* A workload of constructor calls whose results are all dropped. */
static int workload(pm_runtime *rt) {
    int rc = -1;
    pm_object *s = NULL, *b16 = NULL, *f = NULL, *pairs = NULL, *kw = NULL, *r = NULL, *enc = NULL;
    pm_object *txt = NULL, *cx = NULL;
    if (!(s = pm_str_from_cstr(rt, "12345678901234567890123_4"))) goto done;
    if (!(b16 = pm_int_from_long(rt, 16))) goto done;
    if (!(r = call_type(rt, &pm_int_type, pm_tuple_pack(rt, 2, s, b16), NULL))) goto done;
    PM_CLEAR(rt, r);
    if (!(f = pm_str_from_cstr(rt, " -1_2.5e-3 "))) goto done;
    if (!(r = call_type(rt, &pm_float_type, pm_tuple_pack(rt, 1, f), NULL))) goto done;
    PM_CLEAR(rt, r);
    if (!(cx = pm_str_from_cstr(rt, "(1.5-2j)"))) goto done;
    if (!(r = call_type(rt, &pm_complex_type, pm_tuple_pack(rt, 1, cx), NULL))) goto done;
    PM_CLEAR(rt, r);
    /* dict([(s, f), [f, s]], enc=s) */
    pm_object *p1 = pm_tuple_pack(rt, 2, s, f), *p2 = pm_list_from_array(rt, (pm_object *[]){f, s}, 2);
    pairs = p1 && p2 ? pm_list_from_array(rt, (pm_object *[]){p1, p2}, 2) : NULL;
    pm_xdecref(rt, p1);
    pm_xdecref(rt, p2);
    if (!pairs) goto done;
    if (!(enc = pm_str_from_cstr(rt, "encoding"))) goto done;
    if (!(kw = pm_dict_new(rt)) || pm_dict_set(rt, kw, enc, s) < 0) goto done;
    if (!(r = call_type(rt, &pm_dict_type, pm_tuple_pack(rt, 1, pairs), kw))) goto done;
    PM_CLEAR(rt, r);
    if (!(r = call_type(rt, &pm_tuple_type, pm_tuple_pack(rt, 1, pairs), NULL))) goto done;
    PM_CLEAR(rt, r);
    if (!(r = call_type(rt, &pm_set_type, pm_tuple_pack(rt, 1, s), NULL))) goto done;
    PM_CLEAR(rt, r);
    if (!(r = call_type(rt, &pm_frozenset_type, pm_tuple_pack(rt, 1, s), NULL))) goto done;
    PM_CLEAR(rt, r);
    /* str(b'...', encoding='ascii') and bytes(s, 'ascii') */
    if (!(txt = pm_bytes_new(rt, "hello", 5))) goto done;
    PM_CLEAR(rt, kw);
    pm_object *ascii = pm_str_from_cstr(rt, "ascii");
    if (!ascii) goto done;
    kw = pm_dict_new(rt);
    int ok = kw && pm_dict_set(rt, kw, enc, ascii) == 0;
    pm_decref(rt, ascii);
    if (!ok) goto done;
    if (!(r = call_type(rt, &pm_str_type, pm_tuple_pack(rt, 1, txt), kw))) goto done;
    PM_CLEAR(rt, r);
    if (!(r = call_type(rt, &pm_bytes_type, pm_tuple_pack(rt, 1, s), kw))) goto done;
    PM_CLEAR(rt, r);
    if (!(r = call_type(rt, &pm_bytearray_type, pm_tuple_pack(rt, 1, pairs), NULL))) {
        /* list of lists: TypeError "'tuple' object cannot be interpreted
         * as an integer" unless memory ran out first */
        if (pm_err_kind(rt) == PM_EXC_MemoryError) goto done;
        pm_err_clear(rt);
    }
    PM_CLEAR(rt, r);
    rc = 0;
done:
    pm_xdecref(rt, r);
    pm_xdecref(rt, cx);
    pm_xdecref(rt, txt);
    pm_xdecref(rt, kw);
    pm_xdecref(rt, enc);
    pm_xdecref(rt, pairs);
    pm_xdecref(rt, f);
    pm_xdecref(rt, b16);
    pm_xdecref(rt, s);
    return rc;
}

typedef struct sweep_ctx {
    pm_runtime *rt;             /* the one runtime of the sweep */
    size_t baseline;            /* bytes in use after the warm-up run */
} sweep_ctx;

static size_t bytes_in_use(pm_runtime *rt) {
    pm_alloc_stats st;
    pm_freelists_clear(rt);
    pm_alloc_stats_get(rt, &st);
    return st.small_bytes_in_use + st.large_bytes;
}

static pm_runtime *sweep_begin(void *ctx, long n) {
    (void)n;
    return ((sweep_ctx *)ctx)->rt;
}

static int sweep_run(pm_runtime *rt, void *ctx) {
    (void)ctx;
    return workload(rt);
}

static void sweep_end(pm_runtime *rt, void *ctx, long n, int rc) {
    (void)rc;
    size_t now = bytes_in_use(rt);
    if (now != ((sweep_ctx *)ctx)->baseline)
        fail_msg("fault at allocation %ld: %zu bytes in use, %zu before", n, now, ((sweep_ctx *)ctx)->baseline);
}

static void test_fault_sweep(void **state) {
    (void)state;
    for (int persistent = 0; persistent < 2; persistent++) {
        sweep_ctx c = {tu_runtime(), 0};
        /* warm-up: type dicts, interned names and caches made once */
        assert_int_equal(workload(c.rt), 0);
        assert_int_equal(workload(c.rt), 0);
        c.baseline = bytes_in_use(c.rt);
        assert_int_equal(workload(c.rt), 0);
        assert_int_equal(bytes_in_use(c.rt), c.baseline);
        fs_sweep sw = {"constructors", persistent, 0, &c, sweep_begin, sweep_run, sweep_end};
        fs_result r = fs_run(&sw);
        assert_true(r.points > 20);
        pm_runtime_free(c.rt);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reinit),
        cmocka_unit_test(test_subclass_refused),
        cmocka_unit_test(test_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
