/*
 * bench_buffer.c — zero-copy evidence for the buffer protocol and memoryview
 * (make bench-buffer; bench/run-buffer.sh runs it and summarises).
 *
 * Workloads (each line: `bench buffer <workload> <impl> ns_per_op=... ` or
 * `bytes_per_s=...`):
 *   slice_<size>       mv[1:n-1:2] made and dropped, over a bytearray of
 *                      1 KiB and of 1 GiB: a view is a header, so both cost
 *                      the same (ns per slice)
 *   cast_<size>        mv.cast('I') made and dropped
 *   cast2d_<size>      mv.cast('B', [n/64, 64]) made and dropped
 *   view_<size>        memoryview(ba) made and dropped (one export each)
 *   tobytes_<size>     mv.tobytes() of a contiguous view: one memcpy into a
 *                      new bytes object; printed next to `memcpy` (malloc +
 *                      memcpy + free of the same size: the same work without
 *                      pymm) and `memcpy_warm` (memcpy into a buffer already
 *                      touched: the machine's copy bandwidth).  16 MiB: the
 *                      C library recycles the block, no page faults, so this
 *                      is copy bandwidth; the big size (default 256 MiB) gets
 *                      fresh pages every time and is page-fault bound.
 *   tobytes_strided_<size>  mv[::2].tobytes(): the gather loop
 *
 * Views over the small and the big bytearray are timed interleaved, round by
 * round (best round), so machine noise hits both alike.
 *
 * Options: --quick (small sizes, few repetitions: the ctest smoke run),
 * --big-mib N (size of the big bytearray, default 1024), --copy-mib N (size
 * for tobytes, default 256).
 */
#include "pymm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(pm_runtime *rt, const char *what) {
    fprintf(stderr, "bench-buffer: %s failed: %s: %s\n", what, pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
    exit(1);
}

static const char *size_name(size_t n, char *buf, size_t cap) {
    if (n >= (1u << 30) && n % (1u << 30) == 0) snprintf(buf, cap, "%zuGiB", n >> 30);
    else if (n >= (1u << 20) && n % (1u << 20) == 0) snprintf(buf, cap, "%zuMiB", n >> 20);
    else snprintf(buf, cap, "%zuKiB", n >> 10);
    return buf;
}

enum { W_SLICE, W_CAST, W_CAST2D, W_VIEW, W_COUNT };

/* ns per operation of `reps` operations of workload `what` on (ba, mv). */
static double time_views(pm_runtime *rt, pm_object *ba, pm_object *mv, int what, long reps) {
    pm_ssize_t n = pm_bytearray_size(ba);
    pm_ssize_t shape[2] = {n / 64, 64};
    double t0 = now_ns();
    for (long i = 0; i < reps; i++) {
        pm_object *v;
        switch (what) {
        case W_SLICE: v = pm_memoryview_slice(rt, mv, 1, n - 1, 2); break;
        case W_CAST: v = pm_memoryview_cast(rt, mv, "I", NULL); break;
        case W_CAST2D: v = pm_memoryview_cast_shape(rt, mv, "B", shape, 2); break;
        default: v = pm_memoryview_new(rt, ba); break;
        }
        if (!v) die(rt, "view");
        pm_decref(rt, v);
    }
    return (now_ns() - t0) / (double)reps;
}

/* The same workloads over a small and a big bytearray, interleaved round by
 * round so that machine noise hits both alike; the best round counts. */
static void bench_views(pm_runtime *rt, size_t small, size_t big, long reps, int rounds) {
    size_t sizes[2] = {small, big};
    pm_object *ba[2], *mv[2];
    double best[2][W_COUNT];
    for (int k = 0; k < 2; k++) {
        ba[k] = pm_bytearray_new(rt, NULL, (pm_ssize_t)sizes[k]);
        if (!ba[k]) die(rt, "bytearray");
        mv[k] = pm_memoryview_new(rt, ba[k]);
        if (!mv[k]) die(rt, "memoryview");
        for (int w = 0; w < W_COUNT; w++) best[k][w] = 1e30;
    }
    for (int r = 0; r < rounds; r++) {
        for (int w = 0; w < W_COUNT; w++) {
            for (int k = 0; k < 2; k++) {
                double t = time_views(rt, ba[k], mv[k], w, reps);
                if (t < best[k][w]) best[k][w] = t;
            }
        }
    }
    static const char *const names[] = {"slice", "cast", "cast2d", "view"};
    for (int k = 0; k < 2; k++) {
        char sz[32];
        size_name(sizes[k], sz, sizeof sz);
        for (int w = 0; w < W_COUNT; w++)
            printf("bench buffer %s_%s pymm ns_per_op=%.1f\n", names[w], sz, best[k][w]);
        pm_decref(rt, mv[k]);
        pm_decref(rt, ba[k]);
    }
    fflush(stdout);
}

static void bench_copy(pm_runtime *rt, size_t size, int reps) {
    char sz[32];
    size_name(size, sz, sizeof sz);
    pm_object *ba = pm_bytearray_new(rt, NULL, (pm_ssize_t)size);
    if (!ba) die(rt, "bytearray");
    memset(pm_bytearray_data(ba), 0x5a, size);
    pm_object *mv = pm_memoryview_new(rt, ba);
    pm_object *strided = pm_memoryview_slice(rt, mv, PM_SLICE_NONE, PM_SLICE_NONE, 2);
    if (!mv || !strided) die(rt, "memoryview");
    char *warm = malloc(size);
    if (!warm) die(rt, "malloc");
    memset(warm, 1, size);
    double best_tb = 1e30, best_mc = 1e30, best_warm = 1e30, best_st = 1e30;
    /* alternate the contenders so that drift hits all alike */
    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        pm_object *b = pm_memoryview_tobytes(rt, mv, NULL);
        if (!b) die(rt, "tobytes");
        pm_decref(rt, b);
        double t1 = now_ns();
        char *p = malloc(size);
        if (!p) die(rt, "malloc");
        memcpy(p, pm_bytearray_data(ba), size);
        __asm__ volatile("" : : "r"(p) : "memory");
        free(p);
        double t2 = now_ns();
        memcpy(warm, pm_bytearray_data(ba), size);
        __asm__ volatile("" : : "r"(warm) : "memory");
        double t3 = now_ns();
        b = pm_memoryview_tobytes(rt, strided, NULL);
        if (!b) die(rt, "tobytes strided");
        pm_decref(rt, b);
        double t4 = now_ns();
        if (t1 - t0 < best_tb) best_tb = t1 - t0;
        if (t2 - t1 < best_mc) best_mc = t2 - t1;
        if (t3 - t2 < best_warm) best_warm = t3 - t2;
        if (t4 - t3 < best_st) best_st = t4 - t3;
    }
    printf("bench buffer tobytes_%s pymm bytes_per_s=%.3e\n", sz, (double)size / best_tb * 1e9);
    printf("bench buffer tobytes_%s memcpy bytes_per_s=%.3e\n", sz, (double)size / best_mc * 1e9);
    printf("bench buffer tobytes_%s memcpy_warm bytes_per_s=%.3e\n", sz, (double)size / best_warm * 1e9);
    printf("bench buffer tobytes_strided_%s pymm bytes_per_s=%.3e\n", sz, (double)(size / 2) / best_st * 1e9);
    fflush(stdout);
    free(warm);
    pm_decref(rt, strided);
    pm_decref(rt, mv);
    pm_decref(rt, ba);
}

int main(int argc, char **argv) {
    int quick = 0;
    size_t big_mib = 1024, copy_mib = 256;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) quick = 1;
        else if (strcmp(argv[i], "--big-mib") == 0 && i + 1 < argc) big_mib = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--copy-mib") == 0 && i + 1 < argc) copy_mib = strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: %s [--quick] [--big-mib N] [--copy-mib N]\n", argv[0]);
            return 2;
        }
    }
    if (quick) {
        big_mib = 4;
        copy_mib = 4;
    }
    pm_runtime *rt = pm_runtime_new(NULL);
    if (!rt) return 1;
    bench_views(rt, 1024, big_mib << 20, quick ? 1000 : 50000, quick ? 2 : 15);
    /* tobytes: a size whose memory malloc recycles (no page faults: copy
     * bandwidth) and a big one (fresh pages each time: page-fault bound) */
    bench_copy(rt, 16u << 20, quick ? 2 : 15);
    bench_copy(rt, copy_mib << 20, quick ? 2 : 7);
    pm_runtime_free(rt);
    return 0;
}
