/* Inline instance values and split dict tables (objects/instattr.c,
 * objects/dict.c): first what a script would see (attribute order, the
 * dict made on demand, getsizeof of it counting the shared keys' room,
 * gc counts), then an allocation-failure sweep over a workload of class
 * creation, instances, attribute stores and deletes, materialized dicts,
 * split copies and the split -> combined conversions: every failure is
 * MemoryError, and after releasing everything (and a collection: classes
 * are cycles) the allocator's statistics are back at their start. */
#include <stdlib.h>
#include "ctutil.h"
#include "faultsweep.h"

/* type(name, (), {}) (a NEW class or NULL). */
static pm_object *mkclass(pm_runtime *rt, const char *name) {
    pm_object *n = pm_str_from_cstr(rt, name), *bases = NULL, *ns = NULL, *c = NULL;
    if (!n) return NULL;
    bases = pm_tuple_from_array(rt, NULL, 0);
    ns = bases ? pm_dict_new(rt) : NULL;
    if (ns) {
        pm_object *args[3] = {n, bases, ns};
        c = pm_call(rt, pm_type_as_object(&pm_type_type), args, 3, NULL);
    }
    pm_xdecref(rt, ns);
    pm_xdecref(rt, bases);
    pm_decref(rt, n);
    return c;
}

static int setattr_cstr(pm_runtime *rt, pm_object *o, const char *name, pm_object *v) {
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return -1;
    int r = pm_setattr(rt, o, n, v);
    pm_decref(rt, n);
    return r;
}

static pm_object *getattr_cstr(pm_runtime *rt, pm_object *o, const char *name) {
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return NULL;
    pm_object *r = pm_getattr(rt, o, n);
    pm_decref(rt, n);
    return r;
}

static pm_runtime *new_rt(void) {
    pm_runtime *rt = pm_runtime_new(NULL);
    assert_non_null(rt);
    return rt;
}

/* ---- behaviour ---------------------------------------------------------------- */

static void test_values_and_dict(void **state) {
    (void)state;
    pm_runtime *rt = new_rt();
    pm_object *A = mkclass(rt, "A");
    assert_non_null(A);
    /* the first instance takes one place: 29 values -> 64 + 29 * 8 */
    pm_object *a = pm_call(rt, A, NULL, 0, NULL), *b = pm_call(rt, A, NULL, 0, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(pm_getsizeof(rt, a), 56);
    pm_object *one = ct_int(rt, 1), *two = ct_int(rt, 2);
    assert_int_equal(setattr_cstr(rt, a, "x", one), 0);
    assert_int_equal(setattr_cstr(rt, a, "y", two), 0);
    assert_int_equal(setattr_cstr(rt, b, "y", one), 0);
    assert_int_equal(setattr_cstr(rt, b, "x", two), 0);
    /* no dict yet: the values answer */
    assert_null(*pm_object_dict_ptr(rt, a));
    pm_object *v = getattr_cstr(rt, a, "y");
    assert_ptr_equal(v, two);
    pm_decref(rt, v);
    /* a deleted name: AttributeError, the dict still not made */
    pm_object *zz = pm_str_intern_cstr(rt, "zz");
    assert_int_equal(pm_delattr(rt, a, zz), -1);
    assert_int_equal(pm_err_kind(rt), PM_EXC_AttributeError);
    assert_string_equal(pm_err_message(rt), "'A' object has no attribute 'zz'");
    pm_err_clear(rt);
    pm_decref(rt, zz);
    assert_null(*pm_object_dict_ptr(rt, a));
    /* the dicts list each instance's own order; room: two instances took
     * two places, x, y and zz three of the 28 left: 28 values */
    pm_object *da = getattr_cstr(rt, a, "__dict__"), *db = getattr_cstr(rt, b, "__dict__");
    ct_assert_repr(rt, da, "{'x': 1, 'y': 2}");
    ct_assert_repr(rt, db, "{'y': 1, 'x': 2}");
    assert_ptr_equal(*pm_object_dict_ptr(rt, a), da);
    assert_int_equal(pm_getsizeof(rt, da), 64 + 28 * 8);
    /* a non-str key makes the dict's table its own (general, 16 slots) */
    assert_int_equal(pm_dict_set(rt, da, one, two), 0);
    assert_int_equal(pm_getsizeof(rt, da), 64 + 32 + 16 + 10 * 24);
    ct_assert_repr(rt, da, "{'x': 1, 'y': 2, 1: 2}");
    /* popitem on a split dict: first its own table at the shared size */
    pm_object *it = pm_dict_popitem(rt, db);
    ct_assert_repr(rt, it, "('x', 2)");
    pm_decref(rt, it);
    assert_int_equal(pm_getsizeof(rt, db), 64 + 32 + 64 + 42 * 16);
    pm_decref(rt, da);
    pm_decref(rt, db);
    pm_decref(rt, one);
    pm_decref(rt, two);
    pm_decref(rt, a);
    pm_decref(rt, b);
    pm_decref(rt, A);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);
}

/* Two instances pointing at each other are two objects for the collector. */
static void test_gc_counts(void **state) {
    (void)state;
    pm_runtime *rt = new_rt();
    pm_object *A = mkclass(rt, "A");
    assert_non_null(A);
    pm_gc_collect(rt, 2);
    pm_object *a = pm_call(rt, A, NULL, 0, NULL), *b = pm_call(rt, A, NULL, 0, NULL);
    assert_int_equal(setattr_cstr(rt, a, "o", b), 0);
    assert_int_equal(setattr_cstr(rt, b, "o", a), 0);
    pm_decref(rt, a);
    pm_decref(rt, b);
    assert_int_equal(pm_gc_collect(rt, 2), 2);
    a = pm_call(rt, A, NULL, 0, NULL);
    assert_int_equal(setattr_cstr(rt, a, "o", a), 0);
    pm_object *d = getattr_cstr(rt, a, "__dict__");
    assert_non_null(d);
    pm_decref(rt, d);
    pm_decref(rt, a);
    assert_int_equal(pm_gc_collect(rt, 2), 2);   /* the instance and its dict */
    pm_decref(rt, A);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);
}

/* The VM's cache API (include/pymm.h): index, load and store by index,
 * the LOAD_METHOD shadow test. */
static void test_cache_api(void **state) {
    (void)state;
    pm_runtime *rt = new_rt();
    pm_object *A = mkclass(rt, "A");
    assert_non_null(A);
    const pm_type *t = (const pm_type *)A;
    pm_object *a = pm_call(rt, A, NULL, 0, NULL);
    pm_object *x = pm_str_intern_cstr(rt, "x"), *y = pm_str_intern_cstr(rt, "y");
    pm_object *one = ct_int(rt, 1), *two = ct_int(rt, 2);
    assert_int_equal(pm_inst_attr_index(rt, t, x), -1);     /* never adds */
    assert_int_equal(pm_inst_may_shadow(rt, a, x), 0);
    assert_int_equal(pm_setattr(rt, a, y, one), 0);
    assert_int_equal(pm_setattr(rt, a, x, one), 0);
    pm_ssize_t ix = pm_inst_attr_index(rt, t, x), iy = pm_inst_attr_index(rt, t, y);
    assert_int_equal(iy, 0);
    assert_int_equal(ix, 1);
    assert_ptr_equal(pm_inst_value_at(a, ix), one);
    assert_int_equal(pm_inst_may_shadow(rt, a, x), 1);
    /* a store by index is an ordinary store: the value and the order */
    assert_int_equal(pm_inst_store_at(rt, a, ix, two), 1);
    pm_object *b = pm_call(rt, A, NULL, 0, NULL);
    assert_null(pm_inst_value_at(b, ix));
    assert_int_equal(pm_inst_store_at(rt, b, ix, two), 1);
    assert_int_equal(pm_inst_store_at(rt, b, iy, one), 1);
    pm_object *db = getattr_cstr(rt, b, "__dict__");
    ct_assert_repr(rt, db, "{'x': 2, 'y': 1}");
    /* with a dict, the cache gives up */
    assert_null(pm_inst_value_at(b, ix));
    assert_int_equal(pm_inst_store_at(rt, b, ix, one), 0);
    assert_int_equal(pm_inst_may_shadow(rt, b, x), 1);
    pm_object *v = getattr_cstr(rt, a, "x");
    assert_ptr_equal(v, two);
    pm_decref(rt, v);
    /* a built-in object: no inline values */
    assert_int_equal(pm_inst_attr_index(rt, &pm_list_type, x), -1);
    pm_decref(rt, db);
    pm_decref(rt, b);
    pm_decref(rt, a);
    pm_decref(rt, x);
    pm_decref(rt, y);
    pm_decref(rt, one);
    pm_decref(rt, two);
    pm_decref(rt, A);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);
}

/* ---- the sweep -------------------------------------------------------------------- */

static fs_snap take(pm_runtime *rt) {
    fs_settle(rt, 1);
    return fs_take(rt);
}

#define MAXHOLD 32
typedef struct sweep_ctx {
    pm_runtime *rt;
    pm_object *o[MAXHOLD];      /* what the current run keeps */
    int n;
    fs_snap base;               /* the statistics after the clean run */
} sweep_ctx;

static pm_object *keep(sweep_ctx *c, pm_object *o) {
    if (o) c->o[c->n++] = o;
    return o;
}

#define NEW(var, expr) \
    pm_object *var = keep(c, (expr)); \
    if (!var) return -1
#define TRY(expr) \
    do { if ((expr) < 0) return -1; } while (0)

static int workload(pm_runtime *rt, sweep_ctx *c) {
    char name[16];
    NEW(A, mkclass(rt, "A"));
    NEW(B, mkclass(rt, "B"));
    NEW(a, pm_call(rt, A, NULL, 0, NULL));
    NEW(a2, pm_call(rt, A, NULL, 0, NULL));
    NEW(b, pm_call(rt, B, NULL, 0, NULL));
    NEW(lst, pm_list_new(rt));
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof name, "n%d", i);
        TRY(setattr_cstr(rt, a, name, lst));
        TRY(setattr_cstr(rt, a2, name, i % 2 ? PM_NONE : lst));
    }
    /* the values themselves (a cycle a -> a) */
    TRY(setattr_cstr(rt, a, "self", a));
    NEW(v, getattr_cstr(rt, a, "n3"));
    /* materialized, copied (split copy), turned combined */
    NEW(d, getattr_cstr(rt, a, "__dict__"));
    NEW(dc, pm_dict_copy(rt, d));
    TRY(pm_dict_set(rt, dc, PM_NONE, PM_TRUE));
    NEW(d2, getattr_cstr(rt, a2, "__dict__"));
    NEW(pi, pm_dict_popitem(rt, d2));
    /* a store after materializing goes into the split dict */
    TRY(setattr_cstr(rt, a, "late", PM_TRUE));
    /* more names than the shared keys take: a table of the instance's own */
    for (int i = 0; i < 34; i++) {
        snprintf(name, sizeof name, "m%d", i);
        TRY(setattr_cstr(rt, b, name, PM_NONE));
    }
    NEW(db, getattr_cstr(rt, b, "__dict__"));
    /* __dict__ replaced */
    NEW(a3, pm_call(rt, A, NULL, 0, NULL));
    TRY(setattr_cstr(rt, a3, "gone", lst));
    NEW(nd, pm_dict_new(rt));
    TRY(setattr_cstr(rt, a3, "__dict__", nd));
    return 0;
}

static void release(pm_runtime *rt, sweep_ctx *c) {
    while (c->n > 0) pm_decref(rt, c->o[--c->n]);
}

static pm_runtime *sweep_begin(void *ctx, long n) {
    (void)n;
    return ((sweep_ctx *)ctx)->rt;
}

static int sweep_run(pm_runtime *rt, void *ctx) { return workload(rt, ctx); }

static void sweep_end(pm_runtime *rt, void *ctx, long n, int rc) {
    sweep_ctx *c = ctx;
    (void)rc;
    release(rt, c);
    fs_expect_same(n, c->base, take(rt));
    if (pm_alloc_check(rt, NULL) != 0) fail_msg("N=%ld: heap check failed", n);
}

static void sweep(int persistent) {
    sweep_ctx c = {.rt = new_rt()};
    pm_runtime *rt = c.rt;
    if (workload(rt, &c) < 0)
        fail_msg("clean run failed: %s (%s)", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
    release(rt, &c);
    c.base = take(rt);
    fs_sweep sw = {"instattr", persistent, 0, &c, sweep_begin, sweep_run, sweep_end};
    fs_result r = fs_run(&sw);
    assert_true(r.points > 50);
    assert_true(r.failures > 0);
    pm_runtime_free(rt);
}

FS_SWEEP_TESTS(sweep)

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_and_dict),
        cmocka_unit_test(test_gc_counts),
        cmocka_unit_test(test_cache_api),
        cmocka_unit_test(test_sweep_transient),
        cmocka_unit_test(test_sweep_persistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
