/* The allocation-failure sweep shared by tests/fault/ (SQLite's countdown,
 * src/test_malloc.c): for N = 1, 2, 3, ... the Nth allocation fails
 * (transient: that one only; persistent: that one and every one after it),
 * the workload runs, and the outcome is checked:
 *   - a run that fails (returns -1) reports MemoryError, and some allocation
 *     really failed in it (pm_fault_fired > 0): an error with no fault
 *     behind it is a bug in the workload or the library, not a pass;
 *   - a run that succeeds (returns 0) leaves no error pending — a fault the
 *     library swallowed half-way would show here;
 *   - then the test's own `end` hook releases what the run kept and checks
 *     that nothing leaked (blocks, heap consistency, ...).
 * The sweep ends with the first run in which no fault fired: that run must
 * have succeeded.  Header only (tests/CMakeLists.txt builds each test with
 * testutil.c alone). */
#ifndef PYMM_FAULTSWEEP_H
#define PYMM_FAULTSWEEP_H
#include <stdio.h>
#include "testutil.h"

typedef struct fs_sweep {
    const char *name;           /* in messages */
    int persistent;             /* 0: the Nth allocation fails; 1: it and all after it */
    long max_runs;              /* safety bound (0: 1,000,000) */
    void *ctx;                  /* the test's own state, passed to the hooks */
    /* The runtime for run n: a fresh one, or the same one every time. */
    pm_runtime *(*begin)(void *ctx, long n);
    /* The workload: 0 = success, -1 = failed with an error set. */
    int (*run)(pm_runtime *rt, void *ctx);
    /* After run n (fault hook and error cleared): release what the run
     * kept, check for leaks; may free the runtime (if begin made it). */
    void (*end)(pm_runtime *rt, void *ctx, long n, int rc);
} fs_sweep;

typedef struct fs_result {
    long points;                /* allocation points: runs in which a fault fired */
    long failures;              /* runs that ended in MemoryError */
} fs_result;

static inline fs_result fs_run(const fs_sweep *sw) {
    fs_result res = {0, 0};
    long max = sw->max_runs > 0 ? sw->max_runs : 1000000;
    for (long n = 1;; n++) {
        if (n > max) fail_msg("%s: still firing faults after %ld runs", sw->name, max);
        pm_runtime *rt = sw->begin(sw->ctx, n);
        assert_non_null(rt);
        pm_fault_inject(rt, n, sw->persistent);
        int rc = sw->run(rt, sw->ctx);
        long fired = pm_fault_fired(rt);
        pm_fault_inject(rt, 0, 0);
        if (rc < 0) {
            if (fired == 0)
                fail_msg("%s N=%ld persistent=%d: failed with %s (%s) although no allocation failed",
                         sw->name, n, sw->persistent, pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
            if (pm_err_kind(rt) != PM_EXC_MemoryError)
                fail_msg("%s N=%ld persistent=%d: %s (%s) instead of MemoryError", sw->name, n,
                         sw->persistent, pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
            res.failures++;
        } else if (rc != 0) {
            fail_msg("%s N=%ld: the workload returned %d", sw->name, n, rc);
        } else if (pm_err_occurred(rt)) {
            fail_msg("%s N=%ld persistent=%d: succeeded with an error pending: %s (%s)", sw->name, n,
                     sw->persistent, pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
        }
        pm_err_clear(rt);
        sw->end(rt, sw->ctx, n, rc);
        if (fired == 0) break;
        res.points++;
    }
    printf("# %s sweep (%s): %ld allocation points, %ld runs ended in MemoryError\n", sw->name,
           sw->persistent ? "persistent" : "transient", res.points, res.failures);
    return res;
}

/* ---- pieces the sweeps share ------------------------------------------------------ */

/* The allocator's figures a leak check compares. */
typedef struct fs_snap {
    size_t blocks;              /* pool blocks in use, all size classes */
    size_t small_bytes;         /* their bytes */
    size_t large_blocks;        /* blocks above the small-request limit */
    size_t large_bytes;         /* their bytes */
} fs_snap;

static inline fs_snap fs_take(pm_runtime *rt) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    fs_snap r = {0, s.small_bytes_in_use, s.large_blocks, s.large_bytes};
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) r.blocks += s.size_class[i].blocks_in_use;
    return r;
}

/* Give back what outlives a run without being a leak: cycles (with
 * types: also the types' lazily built dicts, and what they held), then the
 * free lists. */
static inline void fs_settle(pm_runtime *rt, int types) {
    pm_gc_collect(rt, 2);
    if (types) {
        pm_type_state_clear(rt);
        pm_gc_collect(rt, 2);
    }
    pm_freelists_clear(rt);
}

/* Run n left the heap as it found it, or the test fails. */
static inline void fs_expect_same(long n, fs_snap before, fs_snap now) {
    if (now.blocks != before.blocks || now.small_bytes != before.small_bytes ||
        now.large_blocks != before.large_blocks || now.large_bytes != before.large_bytes)
        fail_msg("N=%ld: leak: blocks %zu -> %zu, small bytes %zu -> %zu, large %zu -> %zu", n, before.blocks,
                 now.blocks, before.small_bytes, now.small_bytes, before.large_blocks, now.large_blocks);
}

/* The common sweep: a fresh runtime per run, a workload that releases
 * everything it made, and afterwards (settled) every block back and the
 * heap consistent.  Returns the result for the test's own bounds. */
typedef struct fs_fresh {
    int (*workload)(pm_runtime *rt);   /* 0 / -1 with an error set */
    int types;                  /* fs_settle's: the workload makes classes */
    fs_snap before;             /* the run's runtime when it was made */
} fs_fresh;

static inline pm_runtime *fs_fresh_begin(void *ctx, long n) {
    fs_fresh *f = ctx;
    (void)n;
    pm_runtime *rt = tu_runtime();
    f->before = fs_take(rt);
    return rt;
}

static inline int fs_fresh_run(pm_runtime *rt, void *ctx) { return ((fs_fresh *)ctx)->workload(rt); }

static inline void fs_fresh_end(pm_runtime *rt, void *ctx, long n, int rc) {
    fs_fresh *f = ctx;
    (void)rc;
    fs_settle(rt, f->types);
    fs_expect_same(n, f->before, fs_take(rt));
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    pm_runtime_free(rt);
}

static inline fs_result fs_run_fresh(const char *name, int persistent, int (*workload)(pm_runtime *rt), int types) {
    fs_fresh f = {workload, types, {0, 0, 0, 0}};
    fs_sweep sw = {name, persistent, 0, &f, fs_fresh_begin, fs_fresh_run, fs_fresh_end};
    return fs_run(&sw);
}

/* The two cmocka tests of a file's sweep(int persistent). */
#define FS_SWEEP_TESTS(sweep)                                                   \
    static void test_sweep_transient(void **state) {                            \
        (void)state;                                                            \
        sweep(0);                                                               \
    }                                                                           \
    static void test_sweep_persistent(void **state) {                           \
        (void)state;                                                            \
        sweep(1);                                                               \
    }

/* r is what a workload's call that must raise `kind` returned: 0 when it
 * raised kind (cleared), else -1 with r dropped and any other error (a
 * MemoryError) left set. */
static inline int fs_raised(pm_runtime *rt, pm_object *r, pm_exc kind) {
    if (r) {
        pm_decref(rt, r);
        return -1;
    }
    if (pm_err_kind(rt) != kind) return -1;
    pm_err_clear(rt);
    return 0;
}

/* A workload's array of held objects h[] / count nh, released at its end:
 * FS_HOLD(expr) keeps expr's new reference or jumps to fail. */
#define FS_HOLD(expr)                                                           \
    do {                                                                        \
        if (nh >= (int)(sizeof h / sizeof h[0])) goto fail;                     \
        if (!(h[nh] = (expr))) goto fail;                                       \
        nh++;                                                                   \
    } while (0)
#define FS_LAST (h[nh - 1])
#endif
