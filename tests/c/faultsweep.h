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
#endif
