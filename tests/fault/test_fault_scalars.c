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


/* Returns 0 on success, -1 on a (recorded) failure; releases everything. */
static int workload(pm_runtime *rt) {
    pm_object *h[96];
    int nh = 0, rc = -1;
    /* ints */
    FS_HOLD(pm_int_from_string(rt, "123456789012345678901234567890123456789", -1, 10));
    pm_object *big = FS_LAST;
    FS_HOLD(pm_int_from_longlong(rt, -987654321987LL));
    pm_object *mid = FS_LAST;
    FS_HOLD(pm_int_mul(rt, big, big));
    pm_object *sq = FS_LAST;
    FS_HOLD(pm_int_add(rt, sq, mid));
    FS_HOLD(pm_int_sub(rt, mid, sq));
    FS_HOLD(pm_int_floordiv(rt, sq, mid));
    FS_HOLD(pm_int_mod(rt, sq, big));
    FS_HOLD(pm_int_floordiv(rt, sq, big));      /* multi-digit divisor: Knuth D */
    FS_HOLD(pm_int_neg(rt, sq));
    FS_HOLD(pm_int_and(rt, FS_LAST, mid));
    FS_HOLD(pm_int_xor(rt, sq, mid));
    FS_HOLD(pm_int_invert(rt, FS_LAST));
    FS_HOLD(pm_int_from_long(rt, 77));
    FS_HOLD(pm_int_lshift(rt, mid, FS_LAST));
    FS_HOLD(pm_int_rshift(rt, FS_LAST, h[nh - 2]));
    FS_HOLD(pm_int_truediv(rt, sq, big));
    FS_HOLD(pm_int_from_long(rt, 5));
    FS_HOLD(pm_int_pow(rt, big, FS_LAST));
    FS_HOLD(pm_repr(rt, sq));
    FS_HOLD(pm_int_from_double(rt, 1e200));
    FS_HOLD(pm_int_from_string(rt, "0x_dead_beef_dead_beef_dead_beef", -1, 0));
    if (!pm_int_from_string(rt, "12x", -1, 10)) {        /* error path formats a repr */
        if (pm_err_kind(rt) != PM_EXC_ValueError) goto fail;
        pm_err_clear(rt);
    }
    /* floats */
    FS_HOLD(pm_float_new(rt, 2.5));
    pm_object *f = FS_LAST;
    FS_HOLD(pm_float_mul(rt, f, big));
    FS_HOLD(pm_float_floordiv(rt, f, mid));
    FS_HOLD(pm_repr(rt, FS_LAST));
    if (pm_richcompare_bool(rt, f, sq, PM_LT) != 1) goto fail;
    /* strs */
    FS_HOLD(pm_str_from_cstr(rt, "h\xc3\xa9llo w\xe2\x82\xacrld \xf0\x9f\x98\x80 'q' \"dq\" \\ \n"));
    pm_object *s = FS_LAST;
    FS_HOLD(pm_str_from_cstr(rt, "plain ascii text that is long enough to matter"));
    pm_object *t = FS_LAST;
    FS_HOLD(pm_str_concat(rt, t, s));
    pm_object *st = FS_LAST;
    FS_HOLD(pm_repr(rt, st));
    if (!pm_str_as_utf8(rt, st, NULL)) goto fail;
    FS_HOLD(pm_str_getitem(rt, st, -3));
    FS_HOLD(pm_str_slice(rt, st, 2, PM_SLICE_NONE, 3));
    FS_HOLD(pm_str_join(rt, FS_LAST, s));                         /* iterates s: seq iterator */
    FS_HOLD(pm_str_repeat(rt, s, 5));
    if (pm_hash(rt, st) == -1) goto fail;
    for (int i = 0; i < 80; i++) {                          /* grows the intern table */
        char name[16];
        snprintf(name, sizeof name, "ident_%d", i % 40);
        pm_object *x = pm_str_intern_cstr(rt, name);
        if (!x) goto fail;
        if (i < 20) FS_HOLD(x);
        else pm_decref(rt, x);
    }
    /* repr of a long str (builder leaves its inline buffer) */
    pm_object *acc = pm_newref(rt, s);
    for (int i = 0; i < 6; i++) {
        pm_object *n2 = pm_str_concat(rt, acc, acc);
        pm_decref(rt, acc);
        if (!(acc = n2)) goto fail;
    }
    FS_HOLD(acc);
    FS_HOLD(pm_repr(rt, acc));
    /* bytes / bytearray */
    FS_HOLD(pm_bytes_new(rt, "abc\x00\xff'", 6));
    pm_object *b = FS_LAST;
    FS_HOLD(pm_bytes_concat(rt, b, b));
    FS_HOLD(pm_repr(rt, FS_LAST));
    FS_HOLD(pm_bytearray_new(rt, "xyz", 3));
    pm_object *ba = FS_LAST;
    for (int i = 0; i < 700; i++)
        if (pm_bytearray_append(rt, ba, i & 0xff) < 0) goto fail;
    if (pm_bytearray_extend(rt, ba, pm_bytes_data(b), pm_bytes_size(b)) < 0) goto fail;
    if (pm_bytearray_resize(rt, ba, 10) < 0) goto fail;
    FS_HOLD(pm_repr(rt, ba));
    /* the IndexError path */
    if (fs_raised(rt, pm_getitem(rt, ba, big), PM_EXC_IndexError) < 0) goto fail;
    rc = 0;
fail:
    while (nh > 0) pm_decref(rt, h[--nh]);
    return rc;
}

/* A fresh runtime per run (faultsweep.h's fs_run_fresh): every block back. */
static void sweep(int persistent) {
    fs_result r = fs_run_fresh("scalars", persistent, workload, 0);
    assert_true(r.points >= 50);
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
