/* Allocation-failure sweep over the scalar types (SQLite's countdown):
 * for N = 1, 2, 3, ... fail the Nth allocation (transient: only that one;
 * persistent: that one and all after it), run a workload that makes and
 * operates on ints, floats, strs, bytes and bytearrays, and require that it
 * either succeeds or fails with MemoryError — and that afterwards every
 * pool block and large block is back.  The sweep ends at the first N whose
 * run fires no fault (the workload has fewer allocations than N). */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "faultsweep.h"
#include "core/object.h"

typedef struct counts {
    size_t small_blocks;
    size_t large_blocks;
} counts;

static counts snapshot(pm_runtime *rt) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    counts c = {0, s.large_blocks};
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) c.small_blocks += s.size_class[i].blocks_in_use;
    return c;
}

#define HOLD(expr)                                                               \
    do {                                                                         \
        if (nh >= (int)(sizeof h / sizeof h[0])) goto fail;                      \
        if (!(h[nh] = (expr))) goto fail;                                        \
        nh++;                                                                    \
    } while (0)
#define LAST (h[nh - 1])

/* Returns 0 on success, -1 on a (recorded) failure; releases everything. */
static int workload(pm_runtime *rt) {
    pm_object *h[96];
    int nh = 0, rc = -1;
    /* ints */
    HOLD(pm_int_from_string(rt, "123456789012345678901234567890123456789", -1, 10));
    pm_object *big = LAST;
    HOLD(pm_int_from_longlong(rt, -987654321987LL));
    pm_object *mid = LAST;
    HOLD(pm_int_mul(rt, big, big));
    pm_object *sq = LAST;
    HOLD(pm_int_add(rt, sq, mid));
    HOLD(pm_int_sub(rt, mid, sq));
    HOLD(pm_int_floordiv(rt, sq, mid));
    HOLD(pm_int_mod(rt, sq, big));
    HOLD(pm_int_floordiv(rt, sq, big));      /* multi-digit divisor: Knuth D */
    HOLD(pm_int_neg(rt, sq));
    HOLD(pm_int_and(rt, LAST, mid));
    HOLD(pm_int_xor(rt, sq, mid));
    HOLD(pm_int_invert(rt, LAST));
    HOLD(pm_int_from_long(rt, 77));
    HOLD(pm_int_lshift(rt, mid, LAST));
    HOLD(pm_int_rshift(rt, LAST, h[nh - 2]));
    HOLD(pm_int_truediv(rt, sq, big));
    HOLD(pm_int_from_long(rt, 5));
    HOLD(pm_int_pow(rt, big, LAST));
    HOLD(pm_repr(rt, sq));
    HOLD(pm_int_from_double(rt, 1e200));
    HOLD(pm_int_from_string(rt, "0x_dead_beef_dead_beef_dead_beef", -1, 0));
    if (!pm_int_from_string(rt, "12x", -1, 10)) {        /* error path formats a repr */
        if (pm_err_kind(rt) != PM_EXC_ValueError) goto fail;
        pm_err_clear(rt);
    }
    /* floats */
    HOLD(pm_float_new(rt, 2.5));
    pm_object *f = LAST;
    HOLD(pm_float_mul(rt, f, big));
    HOLD(pm_float_floordiv(rt, f, mid));
    HOLD(pm_repr(rt, LAST));
    if (pm_richcompare_bool(rt, f, sq, PM_LT) != 1) goto fail;
    /* strs */
    HOLD(pm_str_from_cstr(rt, "h\xc3\xa9llo w\xe2\x82\xacrld \xf0\x9f\x98\x80 'q' \"dq\" \\ \n"));
    pm_object *s = LAST;
    HOLD(pm_str_from_cstr(rt, "plain ascii text that is long enough to matter"));
    pm_object *t = LAST;
    HOLD(pm_str_concat(rt, t, s));
    pm_object *st = LAST;
    HOLD(pm_repr(rt, st));
    if (!pm_str_as_utf8(rt, st, NULL)) goto fail;
    HOLD(pm_str_getitem(rt, st, -3));
    HOLD(pm_str_slice(rt, st, 2, PM_SLICE_NONE, 3));
    HOLD(pm_str_join(rt, LAST, s));                         /* iterates s: seq iterator */
    HOLD(pm_str_repeat(rt, s, 5));
    if (pm_hash(rt, st) == -1) goto fail;
    for (int i = 0; i < 80; i++) {                          /* grows the intern table */
        char name[16];
        snprintf(name, sizeof name, "ident_%d", i % 40);
        pm_object *x = pm_str_intern_cstr(rt, name);
        if (!x) goto fail;
        if (i < 20) HOLD(x);
        else pm_decref(rt, x);
    }
    /* repr of a long str (builder leaves its inline buffer) */
    pm_object *acc = pm_newref(rt, s);
    for (int i = 0; i < 6; i++) {
        pm_object *n2 = pm_str_concat(rt, acc, acc);
        pm_decref(rt, acc);
        if (!(acc = n2)) goto fail;
    }
    HOLD(acc);
    HOLD(pm_repr(rt, acc));
    /* bytes / bytearray */
    HOLD(pm_bytes_new(rt, "abc\x00\xff'", 6));
    pm_object *b = LAST;
    HOLD(pm_bytes_concat(rt, b, b));
    HOLD(pm_repr(rt, LAST));
    HOLD(pm_bytearray_new(rt, "xyz", 3));
    pm_object *ba = LAST;
    for (int i = 0; i < 700; i++)
        if (pm_bytearray_append(rt, ba, i & 0xff) < 0) goto fail;
    if (pm_bytearray_extend(rt, ba, pm_bytes_data(b), pm_bytes_size(b)) < 0) goto fail;
    if (pm_bytearray_resize(rt, ba, 10) < 0) goto fail;
    HOLD(pm_repr(rt, ba));
    pm_object *bad = pm_getitem(rt, ba, big);               /* IndexError path */
    if (bad) {
        pm_decref(rt, bad);
        goto fail;
    }
    if (pm_err_kind(rt) != PM_EXC_IndexError) goto fail;
    pm_err_clear(rt);
    rc = 0;
fail:
    while (nh > 0) pm_decref(rt, h[--nh]);
    return rc;
}

/* Each run gets a fresh runtime (begin), checked and freed in end. */
typedef struct sweep_ctx {
    counts before;              /* blocks in use when the run's runtime was made */
} sweep_ctx;

static pm_runtime *sweep_begin(void *ctx, long n) {
    (void)n;
    pm_runtime *rt = tu_runtime();
    ((sweep_ctx *)ctx)->before = snapshot(rt);
    return rt;
}

static int sweep_run(pm_runtime *rt, void *ctx) {
    (void)ctx;
    return workload(rt);
}

static void sweep_end(pm_runtime *rt, void *ctx, long n, int rc) {
    counts before = ((sweep_ctx *)ctx)->before;
    (void)rc;
    pm_freelists_clear(rt);
    counts after = snapshot(rt);
    if (after.small_blocks != before.small_blocks || after.large_blocks != before.large_blocks)
        fail_msg("N=%ld: leak: small blocks %zu -> %zu, large %zu -> %zu", n, before.small_blocks,
                 after.small_blocks, before.large_blocks, after.large_blocks);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    pm_runtime_free(rt);
}

static void sweep(int persistent) {
    sweep_ctx c;
    fs_sweep sw = {"scalars", persistent, 0, &c, sweep_begin, sweep_run, sweep_end};
    fs_result r = fs_run(&sw);
    assert_true(r.points >= 50);
    assert_true(r.failures > 0);
}

static void test_sweep_transient(void **state) {
    (void)state;
    sweep(0);
}

static void test_sweep_persistent(void **state) {
    (void)state;
    sweep(1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_transient),
        cmocka_unit_test(test_sweep_persistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
