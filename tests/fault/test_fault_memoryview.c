/* Allocation-failure sweep over the buffer protocol and memoryview (the
 * SQLite countdown): for N = 1, 2, ... fail the Nth allocation (transient,
 * then persistent), run a workload of memoryview operations — views,
 * casts, slices, tolist, tobytes in every order, hex, hash of a strided
 * view, slice assignment through a temporary row, comparisons, iteration,
 * a 2-D non-contiguous C exporter — and require that it either succeeds or
 * fails with MemoryError, that afterwards every block is back, and that no
 * export is left behind (the bytearray can resize again).  The sweep stops
 * at the first N whose run fires no fault. */
#include <stdio.h>
#include <string.h>
#include "mvutil.h"
#include "faultsweep.h"


/* 0 on success, -1 on a recorded failure; releases everything it made. */
static int workload(pm_runtime *rt, long *grid_freed) {
    pm_object *h[64];
    int nh = 0, rc = -1;
    char init[64];
    for (int i = 0; i < 64; i++) init[i] = (char)(i * 7);
    FS_HOLD(pm_bytearray_new(rt, init, 64));
    pm_object *ba = FS_LAST;
    FS_HOLD(pm_memoryview_new(rt, ba));
    pm_object *mv = FS_LAST;
    pm_ssize_t shp[2] = {4, 4};
    FS_HOLD(pm_memoryview_cast_shape(rt, mv, "i", shp, 2));
    pm_object *c2 = FS_LAST;
    FS_HOLD(pm_memoryview_tolist(rt, c2));
    FS_HOLD(pm_memoryview_tobytes(rt, c2, "F"));
    FS_HOLD(pm_memoryview_attr(rt, c2, "shape"));
    FS_HOLD(pm_memoryview_slice(rt, mv, 1, 60, 3));
    pm_object *s = FS_LAST;
    FS_HOLD(pm_memoryview_tobytes(rt, s, NULL));
    FS_HOLD(pm_str_from_cstr(rt, ":"));
    FS_HOLD(pm_memoryview_hex(rt, s, FS_LAST, 2));
    FS_HOLD(pm_memoryview_slice(rt, s, 0, 5, 1));
    pm_object *src = FS_LAST;
    /* mv[0:10:2] = s[0:5]: strided on both sides, copied through a row */
    if (pm_memoryview_set_slice(rt, mv, 0, 10, 2, src) < 0) goto fail;
    FS_HOLD(pm_memoryview_toreadonly(rt, s));
    FS_HOLD(pm_richcompare(rt, mv, ba, PM_EQ));
    FS_HOLD(pm_iter(rt, s));
    pm_object *it = FS_LAST, *x;
    while ((x = pm_iter_next(rt, it)) != NULL) pm_decref(rt, x);
    if (pm_err_occurred(rt)) goto fail;
    /* read-only exporter: hash of a strided view gathers into a temp */
    FS_HOLD(pm_bytes_new(rt, init, 64));
    FS_HOLD(pm_memoryview_new(rt, FS_LAST));
    FS_HOLD(pm_memoryview_slice(rt, FS_LAST, PM_SLICE_NONE, PM_SLICE_NONE, -2));
    if (pm_hash(rt, FS_LAST) == -1) goto fail;
    /* a C exporter: 2-D, non-contiguous */
    FS_HOLD(grid_new(rt, grid_freed));
    FS_HOLD(pm_memoryview_new(rt, FS_LAST));
    pm_object *gv = FS_LAST;
    FS_HOLD(pm_memoryview_tolist(rt, gv));
    FS_HOLD(pm_memoryview_tobytes(rt, gv, "A"));
    FS_HOLD(pm_memoryview_hex(rt, gv, NULL, 1));
    FS_HOLD(pm_memoryview_cast(rt, c2, "B", NULL));
    rc = 0;
fail:
    while (nh > 0) pm_decref(rt, h[--nh]);
    return rc;
}

/* One runtime for every run. */
typedef struct sweep_ctx {
    pm_runtime *rt;
    size_t base;                /* blocks in use after the warm-up run */
    long grid_freed;            /* the C exporter's frees in the current run */
} sweep_ctx;

static pm_runtime *sweep_begin(void *ctx, long n) {
    (void)n;
    ((sweep_ctx *)ctx)->grid_freed = 0;
    return ((sweep_ctx *)ctx)->rt;
}

static int sweep_run(pm_runtime *rt, void *ctx) { return workload(rt, &((sweep_ctx *)ctx)->grid_freed); }

static void sweep_end(pm_runtime *rt, void *ctx, long n, int rc) {
    sweep_ctx *c = ctx;
    (void)rc;
    size_t now = mv_blocks(rt);
    if (now != c->base) fail_msg("N=%ld: %zu blocks, expected %zu", n, now, c->base);
}

static void sweep(int persistent) {
    sweep_ctx c = {.rt = tu_runtime()};
    pm_runtime *rt = c.rt;
    assert_int_equal(workload(rt, &c.grid_freed), 0);  /* warm up (small ints, interned strs) */
    c.base = mv_blocks(rt);
    fs_sweep sw = {"memoryview", persistent, 0, &c, sweep_begin, sweep_run, sweep_end};
    fs_result r = fs_run(&sw);
    assert_true(r.failures > 10);
    /* the final, fault-free run leaves a bytearray that can resize again */
    pm_object *ba = pm_bytearray_new(rt, "x", 1);
    pm_object *mv = pm_memoryview_new(rt, ba);
    pm_decref(rt, mv);
    assert_int_equal(pm_bytearray_resize(rt, ba, 1000), 0);
    pm_decref(rt, ba);
    pm_runtime_free(rt);
}

FS_SWEEP_TESTS(sweep)

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_transient),
        cmocka_unit_test(test_sweep_persistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
