/* Allocation-failure sweep over the collector and weak references (issue
 * 4), SQLite-style: for N = 1, 2, 3, ... the Nth allocation fails
 * (transient, then persistent), a workload runs that uses every allocating
 * path of gc.c and weakref.c — weakref and finalize creation, gc callbacks,
 * gc.garbage under DEBUG_SAVEALL, get_objects / get_referrers /
 * get_referents / getweakrefs, finalizers and weakref callbacks that
 * allocate during a collection — and then:
 *   - every failure came back as MemoryError, or (inside a collection) went
 *     to the unraisable hook as MemoryError, and the collection went on;
 *   - once the fault is cleared, a full collection frees every node (the
 *     graph was never corrupted), and every allocator block is back;
 * until a run completes with no fault fired.  Runs under ASan too. */
#include "test_gc_util.h"
#include "faultsweep.h"
#include "core/runtime.h"

static int unraisable_other;    /* unraisable errors that were not MemoryError */
static void hook(pm_runtime *rt, const char *where, pm_object *obj, pm_object *exc, void *ctx) {
    (void)rt;
    (void)where;
    (void)obj;
    (void)ctx;
    if (exc->ob_type != &pm_exc_MemoryError) unraisable_other++;
}

/* A finalizer and callbacks that allocate (and so may fail). */
static void alloc_finalize(pm_runtime *rt, pm_object *self) {
    (void)self;
    G.finalized++;
    pm_object *l = pm_list_new(rt);
    if (!l) return;                                 /* MemoryError, reported by gc */
    if (pm_list_append(rt, l, l) == 0) pm_list_clear(rt, l);
    pm_decref(rt, l);
}

static const pm_type afnode_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "afnode",
    .basicsize = sizeof(gnode),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(gnode, weaklist),
    .dealloc = gnode_dealloc,
    .traverse = gnode_traverse,
    .clear = gnode_clear,
    .finalize = alloc_finalize,
};

static int wr_cb(pm_runtime *rt, pm_object *wr, pm_object *data) {
    (void)wr;
    (void)data;
    pm_object *t = pm_list_new(rt);
    if (!t) return -1;
    pm_decref(rt, t);
    return 0;
}

static int fin_cb(pm_runtime *rt, pm_object *data) {
    pm_object *l = pm_list_new(rt);
    if (!l) return -1;
    int r = pm_list_append(rt, l, data);
    pm_decref(rt, l);
    return r;
}

static int gc_cb(pm_runtime *rt, const char *phase, const pm_gc_info *info, void *ctx) {
    (void)phase;
    (void)info;
    (void)ctx;
    pm_object *l = pm_list_new(rt);
    if (!l) return -1;
    pm_decref(rt, l);
    return 0;
}

static long created;

static pm_object *node(pm_runtime *rt, const pm_type *t) {
    pm_object *o = gnew(rt, t, created);
    if (o) created++;
    return o;
}

#define HOLD 32
/* 0: all went well; -1: an operation failed with MemoryError. */
static int workload(pm_runtime *rt, pm_object **hold, int *nhold) {
#define KEEP(expr) do { pm_object *k_ = (expr); if (!k_) goto fail; hold[(*nhold)++] = k_; } while (0)
    pm_object *a = NULL, *b = NULL, *c = NULL;
    if (pm_gc_callback_add(rt, gc_cb, NULL) < 0) goto fail;
    a = node(rt, &afnode_type);
    b = node(rt, &gnode_type);
    c = node(rt, &afnode_type);
    if (!a || !b || !c) goto fail;
    gset(rt, a, 0, b);
    gset(rt, b, 0, a);
    gset(rt, b, 1, c);
    gset(rt, c, 0, c);
    KEEP(pm_weakref_new(rt, a, wr_cb, NULL));
    KEEP(pm_weakref_new(rt, b, NULL, NULL));
    KEEP(pm_weakref_new(rt, c, wr_cb, b));
    pm_object *fdata = pm_list_new(rt);              /* a gc object as func's data */
    if (!fdata) goto fail;
    pm_object *f = pm_finalize_new(rt, b, fin_cb, fdata);
    pm_decref(rt, fdata);
    if (!f) goto fail;
    pm_decref(rt, f);
    KEEP(pm_weakref_getrefs(rt, b));
    KEEP(pm_gc_get_objects(rt, -1));
    pm_object *objs[] = {a, b};
    KEEP(pm_gc_get_referrers(rt, objs, 2));
    KEEP(pm_gc_get_referents(rt, objs, 2));
    /* garbage kept by DEBUG_SAVEALL, then a collection that frees */
    pm_gc_set_debug(rt, PM_GC_DEBUG_SAVEALL);
    pm_object *d = node(rt, &gnode_type);
    if (!d) goto fail;
    gset(rt, d, 0, d);
    pm_decref(rt, d);
    pm_gc_collect(rt, 2);
    pm_gc_set_debug(rt, 0);
    pm_decref(rt, a);
    pm_decref(rt, b);
    pm_decref(rt, c);
    a = b = c = NULL;
    pm_gc_collect(rt, 0);
    pm_gc_collect(rt, 2);
    if (pm_gc_garbage(rt) == NULL) goto fail;
    return 0;
fail:
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    pm_xdecref(rt, c);
    return -1;
#undef KEEP
}

/* Each run gets a fresh runtime (begin), recovered, checked and freed in end. */
typedef struct sweep_ctx {
    size_t base;                /* blocks in use when the run's runtime was made */
    pm_object *hold[HOLD];      /* what the run keeps */
    int nhold;
} sweep_ctx;

static pm_runtime *sweep_begin(void *ctx, long n) {
    sweep_ctx *c = ctx;
    (void)n;
    pm_runtime *rt = tu_runtime();
    pm_set_unraisable_hook(rt, hook, NULL);
    greset();
    created = 0;
    unraisable_other = 0;
    pm_gc_collect(rt, 2);
    pm_freelists_clear(rt);
    c->base = gblocks(rt);
    c->nhold = 0;
    return rt;
}

static int sweep_run(pm_runtime *rt, void *ctx) {
    sweep_ctx *c = ctx;
    return workload(rt, c->hold, &c->nhold);
}

static void sweep_end(pm_runtime *rt, void *ctx, long n, int rc) {
    sweep_ctx *c = ctx;
    (void)rc;
    if (unraisable_other != 0) fail_msg("N=%ld: an unraisable error other than MemoryError", n);
    /* recovery: everything can be released and collected */
    pm_gc_set_debug(rt, 0);
    pm_object *garbage = rt->gc.garbage;           /* (pm_gc_garbage would make it) */
    if (garbage) pm_list_clear(rt, garbage);
    while (c->nhold > 0) pm_decref(rt, c->hold[--c->nhold]);
    pm_gc_callback_remove(rt, gc_cb, NULL);
    pm_err_clear(rt);
    pm_gc_collect(rt, 2);
    assert_int_equal(G.freed, created);
    pm_freelists_clear(rt);
    /* the garbage list (made during the run) is the only extra block */
    assert_int_equal(gblocks(rt) - (garbage ? 1 : 0), c->base);
    pm_runtime_free(rt);
}

static void sweep(int persistent) {
    sweep_ctx c;
    fs_sweep sw = {"gc", persistent, 100000, &c, sweep_begin, sweep_run, sweep_end};
    fs_result r = fs_run(&sw);
    assert_true(r.points > 10);                 /* 23 when written */
    assert_true(r.failures > 0);
}

FS_SWEEP_TESTS(sweep)

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_transient),
        cmocka_unit_test(test_sweep_persistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
