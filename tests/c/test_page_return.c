/* Page return: free pages inside live pools and empty pools inside live
 * arenas go back to the OS, automatically and on pm_trim; RSS drops as the
 * statistics claim; the blocks still live keep their data; the pages come
 * back, zero-filled and reusable, when allocation needs them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "testutil.h"
#include "core/runtime.h"

enum { N = 1000000 };

static void pattern(unsigned char *p, size_t n, int i) {
    for (size_t k = 0; k < n; k++) p[k] = (unsigned char)(i * 13 + k);
}
static int intact(const unsigned char *p, size_t n, int i) {
    for (size_t k = 0; k < n; k++)
        if (p[k] != (unsigned char)(i * 13 + k)) return 0;
    return 1;
}
static size_t size_of(int i) { return 16 + (size_t)((i * 7919u) % 241); }

/* Does the kernel give pages back for a batch of runs in one
 * process_madvise call on oneself (PIDFD_SELF_THREAD_GROUP: Linux 6.14)? */
static int kernel_has_vector_release(void) {
    struct utsname u;
    int major = 0, minor = 0;
    if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2) return 0;
    return major > 6 || (major == 6 && minor >= 14);
}

/* vector: 1 gives pages back a batch of runs per system call where the
 * kernel can (arena.c: batch_submit), 0 one madvise per run. */
static void scattered_free_with(int page_return, int vector, long *rss_peak, long *rss_after, long *rss_trim,
                                pm_alloc_stats *peak, pm_alloc_stats *after, pm_alloc_stats *trimmed) {
    pm_config cfg;
    pm_config_init(&cfg);
    cfg.page_return = page_return;
    pm_runtime *rt = pm_runtime_new(&cfg);
    assert_non_null(rt);
    rt->mem.vector_release = vector;
    unsigned char **p = malloc(sizeof *p * N);
    long base = tu_rss_kib();
    for (int i = 0; i < N; i++) {
        p[i] = pm_malloc(rt, size_of(i));
        pattern(p[i], size_of(i), i);
    }
    *rss_peak = tu_rss_kib() - base;
    pm_alloc_stats_get(rt, peak);
    for (int i = 0; i < N; i++)
        if (i % 100) { pm_free(rt, p[i]); p[i] = NULL; }
    *rss_after = tu_rss_kib() - base;
    pm_alloc_stats_get(rt, after);
    pm_trim(rt);
    *rss_trim = tu_rss_kib() - base;
    pm_alloc_stats_get(rt, trimmed);
    if (vector) {
        print_message("pages given back %s\n", rt->mem.vector_release ? "a batch of runs per process_madvise call"
                                                                     : "one madvise per run (process_madvise refused)");
        if (kernel_has_vector_release()) assert_int_equal(rt->mem.vector_release, 1);
    } else {
        assert_int_equal(rt->mem.vector_release, 0);
    }
    /* Live blocks intact; then reuse: the given-back pages come back. */
    for (int i = 0; i < N; i += 100) assert_true(intact(p[i], size_of(i), i));
    for (int i = 0; i < N; i++) {
        if (p[i]) continue;
        p[i] = pm_malloc(rt, size_of(i));
        pattern(p[i], size_of(i), i);
    }
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    for (int i = 0; i < N; i++) {
        assert_true(intact(p[i], size_of(i), i));
        pm_free(rt, p[i]);
    }
    free(p);
    pm_runtime_free(rt);
}

static void scattered_free(int page_return, long *rss_peak, long *rss_after, long *rss_trim,
                           pm_alloc_stats *peak, pm_alloc_stats *after, pm_alloc_stats *trimmed) {
    scattered_free_with(page_return, 1, rss_peak, rss_after, rss_trim, peak, after, trimmed);
}

static void check_scattered_free_returns_pages(int vector) {
    long peak, after, trim;
    pm_alloc_stats sp, sa, st;
    scattered_free_with(1, vector, &peak, &after, &trim, &sp, &sa, &st);
    print_message("page return on: rss peak %ld KiB, after free %ld, after trim %ld; believed %zu -> %zu -> %zu KiB\n",
                  peak, after, trim, sp.bytes_resident / 1024, sa.bytes_resident / 1024, st.bytes_resident / 1024);
    /* Automatic: at most half of the peak stays after the scattered free. */
    assert_true(sa.pages_released + sa.pools_released > 0);
    assert_true(sa.bytes_resident <= sp.bytes_resident / 2);
    /* pm_trim: only pages holding a live block remain (~26% on this shape). */
    assert_true(st.bytes_resident <= sp.bytes_resident * 35 / 100);
    assert_true(st.bytes_mapped == sp.bytes_mapped); /* address space kept */
#ifndef PYMM_SANITIZE
    /* RSS follows what the statistics claim (within 10% of the peak). */
    assert_true(after <= peak / 2 + peak / 10);
    assert_true(trim <= peak * 35 / 100 + peak / 10);
    long claimed_drop = (long)(sp.bytes_resident - st.bytes_resident) / 1024;
    long real_drop = peak - trim;
    assert_true(real_drop > claimed_drop * 9 / 10);
#endif
}

static void test_scattered_free_returns_pages(void **state) {
    (void)state;
    check_scattered_free_returns_pages(1);
}

/* The same with one madvise per run: what a kernel or sandbox that refuses
 * process_madvise gets. */
static void test_scattered_free_returns_pages_one_call_per_run(void **state) {
    (void)state;
    check_scattered_free_returns_pages(0);
}

static void test_page_return_off_keeps_pages(void **state) {
    (void)state;
    long peak, after, trim;
    pm_alloc_stats sp, sa, st;
    scattered_free(0, &peak, &after, &trim, &sp, &sa, &st);
    assert_int_equal(sa.pages_released, 0);
    assert_true(sa.bytes_resident >= sp.bytes_resident * 9 / 10);
    /* An explicit trim still works. */
    assert_true(st.bytes_resident <= sp.bytes_resident * 35 / 100);
}

/* A page given back inside a used pool reads back as zeros when it is
 * reused, and calloc on it is still zeroed. */
static void test_reused_pages_and_calloc(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    enum { M = 1024 };
    unsigned char *p[M];
    for (int i = 0; i < M; i++) { p[i] = pm_malloc(rt, 16); memset(p[i], 0xEE, 16); }
    pmi_pool *pool = pmi_pool_of(rt, p[0]);
    for (int i = 1; i < M; i++) pm_free(rt, p[i]); /* keep block 0 (page 0) */
    pm_trim(rt);
    assert_int_equal(pool->released, 0xE); /* pages 1..3 given back */
    for (int i = 1; i < M; i++) {
        p[i] = pm_calloc(rt, 1, 16);
        for (int k = 0; k < 16; k++) assert_int_equal(p[i][k], 0);
    }
    assert_int_equal(pool->released, 0);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    for (int i = 0; i < M; i++) pm_free(rt, p[i]);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scattered_free_returns_pages),
        cmocka_unit_test(test_scattered_free_returns_pages_one_call_per_run),
        cmocka_unit_test(test_page_return_off_keeps_pages),
        cmocka_unit_test(test_reused_pages_and_calloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
