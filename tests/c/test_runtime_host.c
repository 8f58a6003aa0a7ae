/* The runtime's services for embedders (issue 10): the host pointer, the
 * teardown hook that runs before the final collection, and pm_gc_check,
 * the invariant walk of the collector's lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "nodeutil.h"
#include "core/runtime.h"
#include "gc/gc.h"

/* ---- a gc type: node (nodeutil.h), holding one reference, counting deaths */

static pm_object *tracked_node(pm_runtime *rt, long *deaths) {
    pm_object *o = node_new(rt, NULL, deaths);
    assert_non_null(o);
    return o;
}

/* a -> b -> a; returns a NEW ref to a (b is held by a only). */
static pm_object *make_cycle(pm_runtime *rt, long *deaths) {
    pm_object *a = tracked_node(rt, deaths), *b = tracked_node(rt, deaths);
    ((tnode *)a)->next = b;                  /* a owns b */
    ((tnode *)b)->next = pm_newref(rt, a);   /* b owns a */
    return a;
}

/* ---- host pointer ------------------------------------------------------------ */

static void test_host_pointer(void **state) {
    (void)state;
    int host1 = 1, host2 = 2;
    pm_runtime *rt1 = tu_runtime(), *rt2 = tu_runtime();
    assert_null(pm_runtime_host(rt1));
    pm_runtime_set_host(rt1, &host1);
    pm_runtime_set_host(rt2, &host2);
    assert_ptr_equal(pm_runtime_host(rt1), &host1);
    assert_ptr_equal(pm_runtime_host(rt2), &host2);
    pm_runtime_set_host(rt1, NULL);
    assert_null(pm_runtime_host(rt1));
    assert_ptr_equal(pm_runtime_host(rt2), &host2);
    pm_runtime_free(rt1);
    pm_runtime_free(rt2);
}

/* ---- teardown hook ------------------------------------------------------------ */

/* What an embedder keeps: a reference into a cycle, and what the hook saw. */
typedef struct host_state {
    pm_object *root;            /* owned; dropped by the hook */
    int calls;                  /* times the hook ran */
    int gc_enabled;             /* pm_gc_isenabled inside the hook */
    int made_list;              /* the hook could make and fill a list */
    void *host_seen;            /* pm_runtime_host inside the hook */
    int fail_alloc;             /* leave a MemoryError pending on purpose */
} host_state;

static void teardown(pm_runtime *rt, void *ctx) {
    host_state *h = ctx;
    h->calls++;
    h->gc_enabled = pm_gc_isenabled(rt);
    h->host_seen = pm_runtime_host(rt);
    pm_object *l = pm_list_new(rt);
    if (l) {
        pm_object *one = pm_int_from_long(rt, 1);
        h->made_list = one && pm_list_append(rt, l, one) == 0 && pm_length(rt, l) == 1;
        pm_xdecref(rt, one);
        pm_decref(rt, l);
    } else {
        assert_int_equal(pm_err_kind(rt), PM_EXC_MemoryError);
    }
    PM_CLEAR(rt, h->root);      /* the final collection will find the cycle */
    if (h->fail_alloc) pm_err_nomem(rt);
}

static void test_teardown_hook_runs_before_final_collection(void **state) {
    (void)state;
    long deaths = 0;
    host_state h = {0};
    pm_runtime *rt = tu_runtime();
    pm_runtime_set_host(rt, &h);
    h.root = make_cycle(rt, &deaths);
    pm_runtime_set_teardown_hook(rt, teardown, &h);
    pm_runtime_free(rt);
    assert_int_equal(h.calls, 1);
    assert_int_equal(h.gc_enabled, 1);
    assert_int_equal(h.made_list, 1);
    assert_ptr_equal(h.host_seen, &h);
    assert_null(h.root);
    /* Dropped by the hook, then freed by the last collection. */
    assert_int_equal(deaths, 2);
}

/* Control: without the hook the embedder's reference keeps the cycle alive
 * through teardown, so no dealloc runs (the memory goes with the arenas). */
static void test_without_hook_cycle_is_not_finalized(void **state) {
    (void)state;
    long deaths = 0;
    pm_runtime *rt = tu_runtime();
    pm_object *root = make_cycle(rt, &deaths);
    (void)root;                 /* still referenced at teardown */
    pm_runtime_free(rt);
    assert_int_equal(deaths, 0);
}

static void test_teardown_hook_removed(void **state) {
    (void)state;
    host_state h = {0};
    long deaths = 0;
    pm_runtime *rt = tu_runtime();
    h.root = make_cycle(rt, &deaths);
    pm_runtime_set_teardown_hook(rt, teardown, &h);
    pm_runtime_set_teardown_hook(rt, NULL, &h);
    pm_decref(rt, h.root);      /* the test drops it itself */
    h.root = NULL;
    pm_runtime_free(rt);
    assert_int_equal(h.calls, 0);
    assert_int_equal(deaths, 2);
}

/* A hook that leaves an error pending, with every allocation failing:
 * teardown still completes (the error is cleared, the cycle collected). */
static void test_teardown_hook_under_faults(void **state) {
    (void)state;
    host_state h = {0};
    long deaths = 0;
    pm_runtime *rt = tu_runtime();
    h.root = make_cycle(rt, &deaths);
    h.fail_alloc = 1;
    pm_runtime_set_teardown_hook(rt, teardown, &h);
    pm_fault_inject(rt, 1, 1);
    pm_runtime_free(rt);
    assert_int_equal(h.calls, 1);
    assert_int_equal(h.made_list, 0);
    assert_int_equal(deaths, 2);
}

/* ---- pm_gc_check ------------------------------------------------------------- */

/* Text written by a failing check. */
static int check_says(pm_runtime *rt, const char *needle) {
    char buf[4096] = {0};
    FILE *f = tmpfile();
    assert_non_null(f);
    int r = pm_gc_check(rt, f);
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    if (r == 0) return 0;
    if (!strstr(buf, needle)) fail_msg("pm_gc_check said: %s (wanted \"%s\")", buf, needle);
    return 1;
}

static void test_gc_check_healthy(void **state) {
    (void)state;
    long deaths = 0;
    pm_runtime *rt = tu_runtime();
    assert_int_equal(pm_gc_check(rt, stderr), 0);
    /* Objects in every generation and in the permanent one. */
    pm_object *keep[6];
    for (int i = 0; i < 6; i++) keep[i] = make_cycle(rt, &deaths);
    pm_gc_freeze(rt);
    pm_object *more = make_cycle(rt, &deaths);
    pm_gc_collect(rt, 0);
    pm_object *young = make_cycle(rt, &deaths);
    pm_gc_collect(rt, 1);
    pm_object *newest = make_cycle(rt, &deaths);
    assert_true(pm_gc_get_freeze_count(rt) > 0);
    assert_int_equal(pm_gc_check(rt, stderr), 0);
    pm_gc_unfreeze(rt);
    for (int i = 0; i < 6; i++) pm_decref(rt, keep[i]);
    pm_decref(rt, more);
    pm_decref(rt, young);
    pm_decref(rt, newest);
    pm_gc_collect(rt, 2);
    assert_int_equal(deaths, 18);
    assert_int_equal(pm_gc_check(rt, stderr), 0);
    pm_runtime_free(rt);
}

static void test_gc_check_finds_damage(void **state) {
    (void)state;
    long deaths = 0;
    pm_runtime *rt = tu_runtime();
    pm_object *a = make_cycle(rt, &deaths);
    pm_object *c = tracked_node(rt, &deaths);
    pm_gc_head *g = PMI_AS_GC(c);
    assert_int_equal(pm_gc_check(rt, NULL), 0);

    /* A broken back link. */
    uintptr_t saved = g->gc_prev;
    pmi_gc_set_prev(g, g);
    assert_int_equal(pm_gc_check(rt, NULL), -1);
    assert_true(check_says(rt, "link broken"));
    g->gc_prev = saved;
    assert_int_equal(pm_gc_check(rt, NULL), 0);

    /* A collection flag left behind. */
    g->gc_prev |= PM_GC_PREV_COLLECTING;
    assert_true(check_says(rt, "collection flags"));
    g->gc_prev = saved;

    /* An object of a non-gc type on a list. */
    const pm_type *t = c->ob_type;
    c->ob_type = &pm_float_type;
    assert_true(check_says(rt, "not of a gc type"));
    c->ob_type = t;

    /* The tracked count disagrees with the lists. */
    rt->gc.tracked++;
    assert_true(check_says(rt, "tracked"));
    rt->gc.tracked--;

    /* A negative generation count. */
    pm_ssize_t count = rt->gc.gen[1].count;
    rt->gc.gen[1].count = -1;
    assert_true(check_says(rt, "generation 1 has count"));
    rt->gc.gen[1].count = count;

    assert_int_equal(pm_gc_check(rt, NULL), 0);
    pm_decref(rt, a);
    pm_decref(rt, c);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_pointer),
        cmocka_unit_test(test_teardown_hook_runs_before_final_collection),
        cmocka_unit_test(test_without_hook_cycle_is_not_finalized),
        cmocka_unit_test(test_teardown_hook_removed),
        cmocka_unit_test(test_teardown_hook_under_faults),
        cmocka_unit_test(test_gc_check_healthy),
        cmocka_unit_test(test_gc_check_finds_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
