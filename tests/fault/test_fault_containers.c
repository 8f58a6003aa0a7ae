/* Allocation-failure sweep over the containers (SQLite's malloc tests):
 * for N = 1, 2, 3, ... make the Nth allocation fail (transient, then
 * persistent: every allocation from the Nth on), run a workload of
 * constructors and container operations, and require that
 *   - the failure comes back as MemoryError (never a crash, never another
 *     error, never a half-built object handed out),
 *   - after releasing everything, the allocator's statistics (blocks in use,
 *     small bytes in use, large blocks) are back at their start values,
 * until a run completes with no fault fired.  A third sweep uses pymm's
 * debug allocator (guard bytes) and checks the heap after every run.  Runs
 * under ASan too. */
#include <stdlib.h>
#include "ctutil.h"
#include "faultsweep.h"

static fs_snap take(pm_runtime *rt) {
    pm_freelists_clear(rt);
    return fs_take(rt);
}

/* Objects the workload holds; all released at the end, success or not. */
#define MAXHOLD 64
typedef struct hold {
    pm_object *o[MAXHOLD];
    int n;
} hold;

static pm_object *keep(hold *h, pm_object *o) {
    if (o) h->o[h->n++] = o;
    return o;
}

/* Evaluate a call; on failure leave the workload. */
#define TRY_OBJ(h, expr) \
    do { if (!keep((h), (expr))) goto fail; } while (0)
#define TRY_INT(expr) \
    do { if ((expr) < 0) goto fail; } while (0)
#define NEW(h, var, expr) \
    pm_object *var = keep((h), (expr)); \
    if (!var) goto fail

/* 0 when everything succeeded, -1 when an operation failed (the error is
 * left pending for the caller to check). */
static int workload(pm_runtime *rt, hold *h) {
    char name[32];
    /* list: append (growth), insert, extend from a tuple, pop */
    NEW(h, l, pm_list_new(rt));
    for (long i = 0; i < 40; i++) {
        pm_object *v = pm_int_from_long(rt, 1000 + i);
        if (!v) goto fail;
        int r = pm_list_append(rt, l, v);
        pm_decref(rt, v);
        TRY_INT(r);
    }
    TRY_INT(pm_list_insert(rt, l, 0, PM_NONE));
    NEW(h, t3, pm_tuple_pack(rt, 3, PM_NONE, l, PM_TRUE));
    TRY_INT(pm_list_extend(rt, l, t3));
    NEW(h, popped, pm_list_pop(rt, l, 5));
    NEW(h, lt, pm_list_as_tuple(rt, l));
    NEW(h, l2, pm_list_from_array(rt, &t3, 1));
    TRY_INT(pm_list_extend(rt, l2, l));
    /* tuples of many lengths (free lists and fresh ones) */
    pm_object *items[25];
    for (int i = 0; i < 25; i++) items[i] = i % 2 ? PM_NONE : l;
    NEW(h, t25, pm_tuple_from_array(rt, items, 25));
    for (int i = 0; i < 7; i++) items[i] = i % 2 ? PM_NONE : PM_TRUE;
    NEW(h, t7, pm_tuple_from_array(rt, items, 7));   /* hashable: a key below */
    /* dict: str keys through several resizes, an int key (general table),
     * BUILD_MAP, deletion, copy, lists of keys/items, popitem */
    NEW(h, d, pm_dict_new(rt));
    for (int i = 0; i < 30; i++) {
        snprintf(name, sizeof name, "key%d", i);
        pm_object *k = pm_str_from_cstr(rt, name);
        if (!k) goto fail;
        int r = pm_dict_set(rt, d, k, l);
        pm_decref(rt, k);
        TRY_INT(r);
    }
    TRY_INT(pm_dict_set(rt, d, t7, PM_NONE));
    {
        pm_object *ks[6], *vs[6];
        int nk = 0;
        for (; nk < 6; nk++) {
            snprintf(name, sizeof name, "k%d", nk);
            ks[nk] = pm_str_from_cstr(rt, name);
            vs[nk] = PM_TRUE;
            if (!ks[nk]) break;
        }
        pm_object *dd = nk == 6 ? pm_dict_from_items(rt, ks, vs, 6) : NULL;
        for (int i = 0; i < nk; i++) pm_decref(rt, ks[i]);
        if (!keep(h, dd)) goto fail;
        pm_object *k0 = pm_str_from_cstr(rt, "k0");
        if (!k0) goto fail;
        int r = pm_dict_del(rt, dd, k0);
        pm_decref(rt, k0);
        TRY_INT(r);
    }
    TRY_OBJ(h, pm_dict_copy(rt, d));
    TRY_OBJ(h, pm_dict_items(rt, d));
    TRY_OBJ(h, pm_dict_keys(rt, d));
    TRY_OBJ(h, pm_dict_popitem(rt, d));
    {
        NEW(h, it, pm_dict_iter_items(rt, d));
        pm_object *x;
        while ((x = pm_iter_next(rt, it))) pm_decref(rt, x);
        if (pm_err_occurred(rt)) goto fail;
    }
    /* set / frozenset: adds through resizes, from a list, frozen copy */
    NEW(h, s, pm_set_new(rt, NULL));
    for (long i = 0; i < 40; i++) {
        pm_object *v = pm_int_from_long(rt, i * 1000);
        if (!v) goto fail;
        int r = pm_set_add(rt, s, v);
        pm_decref(rt, v);
        TRY_INT(r);
    }
    TRY_INT(pm_set_add(rt, s, t7));
    NEW(h, nums, pm_list_from_array(rt, &t7, 1));
    TRY_INT(pm_list_extend(rt, nums, s));      /* iterates the set */
    TRY_OBJ(h, pm_set_new(rt, nums));
    NEW(h, srt, pm_list_new(rt));
    for (long i = 30; i > 0; i--) {
        pm_object *v = pm_int_from_long(rt, (i * 7919) % 31 + 500);
        if (!v) goto fail;
        int r = pm_list_append(rt, srt, v);
        pm_decref(rt, v);
        TRY_INT(r);
    }
    TRY_INT(pm_list_sort(rt, srt, 0));
    /* slices: read, assign from a set (a temporary list), extended delete */
    {
        NEW(h, sl, pm_slice_from_ssize(rt, 2, 25, 3));
        TRY_OBJ(h, pm_getitem(rt, srt, sl));
        TRY_OBJ(h, pm_getitem(rt, t25, sl));
        TRY_INT(pm_list_set_slice(rt, srt, 3, 5, s));
        TRY_INT(pm_delitem(rt, srt, sl));
        TRY_INT(pm_list_set_slice(rt, srt, 0, 2, NULL));
    }
    NEW(h, fs, pm_frozenset_new(rt, s));
    TRY_OBJ(h, pm_set_union(rt, s, fs));
    TRY_OBJ(h, pm_set_symmetric_difference(rt, fs, s));
    TRY_OBJ(h, pm_list_concat(rt, nums, l2));
    TRY_OBJ(h, pm_tuple_concat(rt, t7, t25));
    if (pm_hash(rt, fs) == -1) goto fail;
    /* instances: a dict class with attributes (dict creation and growth)
     * and a slots class */
    NEW(h, C, pm_class_new(rt, "__main__.C", NULL, 0));
    const char *slots[] = {"x", "y"};
    NEW(h, S, pm_class_new(rt, "__main__.S", slots, 2));
    NEW(h, c, pm_instance_new(rt, C));
    for (int i = 0; i < 8; i++) {
        snprintf(name, sizeof name, "attr%d", i);
        TRY_INT(pm_instance_setattr_cstr(rt, c, name, l));
    }
    NEW(h, si, pm_instance_new(rt, S));
    TRY_INT(pm_instance_setattr_cstr(rt, si, "y", c));
    TRY_OBJ(h, pm_instance_getattr_cstr(rt, c, "attr3"));
    /* repr of nested containers, including a recursive one */
    TRY_INT(pm_list_append(rt, l2, l2));
    TRY_OBJ(h, pm_repr(rt, l2));
    TRY_OBJ(h, pm_repr(rt, fs));
    TRY_OBJ(h, pm_repr(rt, d));
    TRY_INT(pm_list_clear(rt, l2));             /* break the cycle */
    return 0;
fail:
    return -1;
}

/* Release everything the workload kept (lists are cleared first, which
 * breaks the one cycle the workload makes: there is no collector here). */
static void release(pm_runtime *rt, hold *h) {
    for (int i = 0; i < h->n; i++)
        if (pm_list_check(h->o[i])) pm_list_clear(rt, h->o[i]);
    while (h->n > 0) pm_decref(rt, h->o[--h->n]);
}

/* The sweep's state: one runtime for every run. */
typedef struct sweep_ctx {
    pm_runtime *rt;
    hold h;                     /* what the current run keeps */
    fs_snap base;               /* the statistics after the clean run */
    int debug_alloc;            /* the debug allocator is on */
} sweep_ctx;

static pm_runtime *sweep_begin(void *ctx, long n) {
    (void)n;
    return ((sweep_ctx *)ctx)->rt;
}

static int sweep_run(pm_runtime *rt, void *ctx) { return workload(rt, &((sweep_ctx *)ctx)->h); }

static void sweep_end(pm_runtime *rt, void *ctx, long n, int rc) {
    sweep_ctx *c = ctx;
    (void)rc;
    release(rt, &c->h);
    fs_snap now = take(rt);
    /* The debug allocator's quarantine holds recently freed blocks, so
     * its statistics depend on the order of frees: there, check the
     * guards and the heap's consistency instead (the two plain sweeps
     * check the statistics). */
    if (c->debug_alloc) {
        if (pm_alloc_check(rt, stderr) != 0) fail_msg("N=%ld: heap check failed", n);
    } else {
        fs_expect_same(n, c->base, now);
    }
}

static void sweep(int persistent, int debug_alloc) {
    pm_config cfg;
    pm_config_init(&cfg);
    cfg.debug_alloc = debug_alloc;  /* guard bytes + fill patterns catch overruns */
    sweep_ctx c = {.rt = pm_runtime_new(&cfg), .debug_alloc = debug_alloc};
    pm_runtime *rt = c.rt;
    assert_non_null(rt);
    /* A clean run first: the intern table and other lazily sized runtime
     * tables reach their steady size, then the reference snapshot. */
    if (workload(rt, &c.h) < 0)
        fail_msg("clean run failed: %s (%s)", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
    release(rt, &c.h);
    c.base = take(rt);
    fs_sweep sw = {debug_alloc ? "containers (debug allocator)" : "containers", persistent, 0, &c,
                   sweep_begin, sweep_run, sweep_end};
    fs_result r = fs_run(&sw);
    assert_true(r.points > 100);                /* the workload really allocates */
    assert_true(r.failures > 0);
    assert_int_equal(pm_alloc_check(rt, NULL), 0);
    pm_runtime_free(rt);
}

static void test_sweep_transient(void **state) {
    (void)state;
    sweep(0, 0);
}

static void test_sweep_persistent(void **state) {
    (void)state;
    sweep(1, 0);
}

/* The same under the debug allocator: guard bytes around every block and
 * dead-byte fills show any write past a table or use after free. */
static void test_sweep_debug_alloc(void **state) {
    (void)state;
    sweep(0, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_transient),
        cmocka_unit_test(test_sweep_persistent),
        cmocka_unit_test(test_sweep_debug_alloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
