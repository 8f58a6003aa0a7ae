/*
 * pymm-bench-gc — full-collection time of three heap shapes, through pymm's
 * public API only (bench/gc/cpython_gc.py builds the same shapes in CPython):
 *
 *   a  1,000,000 reachable small containers: root = [[i] for i in range(N)]
 *   b  100 garbage cycles of 10,000 nodes each (instances of a class with
 *      __slots__ = ('next',), each ring dropped before the collection)
 *   c  a complete binary tree of 2^20 - 1 instance nodes (a plain class;
 *      node.left / node.right), reachable from its root
 *
 * For each shape: build it with automatic collection off, count the tracked
 * objects (len(gc.get_objects())), time pm_gc_collect(rt, 2) — best of
 * --reps (b rebuilds its garbage before each) — and print
 *   bench gc <shape> pymm ns_per_object=... ms=... objects=...
 * where objects is the number of tracked objects the collection examined.
 *
 * Two more measures (same lines from cpython_gc.py):
 *   auto   building shape a's 1,000,000 small containers with automatic
 *          collection on, over the same with it off (best of --reps each,
 *          alternating); ratio=on/off, and the collections per generation
 *          the "on" build made (CPython makes 1300/118/8 here)
 *          bench gc auto pymm ratio=... on_ms=... off_ms=... collections=g0/g1/g2
 *   young  one young collection (pm_gc_collect(rt, 0)) of 700 new small
 *          containers appended to shape a's 1M-object heap, per object
 *          examined; the best of 20 * --reps collections
 *          bench gc young pymm ns_per_object=... us=... objects=700
 *
 * usage: pymm-bench-gc a|b|c|auto|young|all [--scale S] [--reps R]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pymm.h"
#define BENCH_GC_NAME "pymm-bench-gc"
#include "bench_gc.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static pm_ssize_t tracked(pm_runtime *rt) {
    pm_object *all = pm_gc_get_objects(rt, -1);
    if (!all) die(rt, "get_objects");
    pm_ssize_t n = pm_list_size(all);
    pm_decref(rt, all);
    return n;
}

/* Time one full collection; returns ms. */
static double timed_collect(pm_runtime *rt, pm_ssize_t *found) {
    double t0 = now_ms();
    pm_ssize_t n = pm_gc_collect(rt, 2);
    double t1 = now_ms();
    if (found) *found = n;
    return t1 - t0;
}

static void report(const char *shape, double ms, pm_ssize_t objects, pm_ssize_t found) {
    printf("bench gc %s pymm ns_per_object=%.2f ms=%.3f objects=%ld collected=%ld\n", shape,
           ms * 1e6 / (double)objects, ms, (long)objects, (long)found);
    fflush(stdout);
}

/* Append n small containers [i] (i from `first`) to root: shape a's build,
 * [[i] for i in range(N)]. */
static void add_small(pm_runtime *rt, pm_object *root, long first, long n) {
    for (long i = first; i < first + n; i++) {
        pm_object *v = pm_int_from_long(rt, i), *l = pm_list_new(rt);
        if (!v || !l || pm_list_append(rt, l, v) < 0 || pm_list_append(rt, root, l) < 0) die(rt, "build");
        pm_decref(rt, v);
        pm_decref(rt, l);
    }
}

static pm_object *build_a(pm_runtime *rt, long n) {
    pm_object *root = pm_list_new(rt);
    if (!root) die(rt, "list");
    add_small(rt, root, 0, n);
    return root;
}

static void shape_a(double scale, int reps) {
    pm_runtime *rt = runtime();
    pm_gc_disable(rt);
    long n = (long)(1000000 * scale);
    pm_object *root = build_a(rt, n);
    pm_gc_collect(rt, 2);                   /* settle (first touch of everything) */
    pm_ssize_t objects = tracked(rt), found = 0;
    double best = 1e300;
    for (int r = 0; r < reps; r++) {
        double ms = timed_collect(rt, &found);
        if (ms < best) best = ms;
    }
    report("a", best, objects, found);
    pm_decref(rt, root);
    pm_runtime_free(rt);
}

static void shape_b(double scale, int reps) {
    pm_runtime *rt = runtime();
    pm_gc_disable(rt);
    const char *slots[] = {"next"};
    pm_object *Node = pm_class_new(rt, "__main__.Node", slots, 1);
    if (!Node) die(rt, "class");
    long rings = 100, len = (long)(10000 * scale);
    if (len < 2) len = 2;
    double best = 1e300;
    pm_ssize_t objects = 0, found = 0;
    for (int r = 0; r < reps; r++) {
        for (long k = 0; k < rings; k++) {
            pm_object *first = pm_instance_new(rt, Node), *prev = first;
            if (!first) die(rt, "instance");
            for (long i = 1; i < len; i++) {
                pm_object *o = pm_instance_new(rt, Node);
                if (!o || pm_instance_setattr_cstr(rt, prev, "next", o) < 0) die(rt, "build");
                if (prev != first) pm_decref(rt, prev);
                prev = o;
            }
            if (pm_instance_setattr_cstr(rt, prev, "next", first) < 0) die(rt, "build");
            if (prev != first) pm_decref(rt, prev);
            pm_decref(rt, first);
        }
        objects = tracked(rt);
        double ms = timed_collect(rt, &found);
        if (ms < best) best = ms;
    }
    report("b", best, objects, found);
    pm_decref(rt, Node);
    pm_runtime_free(rt);
}

static void shape_c(double scale, int reps) {
    pm_runtime *rt = runtime();
    pm_object *Node, *root = build_c(rt, scale, &Node);
    pm_gc_collect(rt, 2);
    pm_ssize_t objects = tracked(rt), found = 0;
    double best = 1e300;
    for (int r = 0; r < reps; r++) {
        double ms = timed_collect(rt, &found);
        if (ms < best) best = ms;
    }
    report("c", best, objects, found);
    pm_decref(rt, root);
    pm_decref(rt, Node);
    pm_runtime_free(rt);
}

/* Build shape a with automatic collection on (or off); returns ms and the
 * collections per generation it made.  Afterwards the heap is dropped and a
 * full collection resets the counts, as cpython_gc.py does. */
static double timed_build(pm_runtime *rt, long n, int on, pm_ssize_t made[3]) {
    pm_gc_generation_stats s0[3], s1[3];
    if (on) pm_gc_enable(rt);
    else pm_gc_disable(rt);
    pm_gc_get_stats(rt, s0);
    double t0 = now_ms();
    pm_object *root = build_a(rt, n);
    double t1 = now_ms();
    pm_gc_get_stats(rt, s1);
    pm_gc_disable(rt);
    for (int g = 0; g < 3; g++) made[g] = s1[g].collections - s0[g].collections;
    pm_decref(rt, root);
    pm_gc_collect(rt, 2);
    return t1 - t0;
}

static void bench_auto(double scale, int reps) {
    pm_runtime *rt = runtime();
    long n = (long)(1000000 * scale);
    pm_ssize_t made[3], made_on[3] = {0, 0, 0};
    double best_on = 1e300, best_off = 1e300;
    (void)timed_build(rt, n, 0, made);  /* first touch of the memory: not counted */
    for (int r = 0; r < reps; r++) {
        double off = timed_build(rt, n, 0, made);
        double on = timed_build(rt, n, 1, made);
        if (off < best_off) best_off = off;
        if (on < best_on) {
            best_on = on;
            memcpy(made_on, made, sizeof made);
        }
    }
    printf("bench gc auto pymm ratio=%.3f on_ms=%.3f off_ms=%.3f collections=%ld/%ld/%ld objects=%ld\n",
           best_on / best_off, best_on, best_off, (long)made_on[0], (long)made_on[1], (long)made_on[2], n);
    fflush(stdout);
    pm_runtime_free(rt);
}

static void bench_young(double scale, int reps) {
    pm_runtime *rt = runtime();
    pm_gc_disable(rt);
    long n = (long)(1000000 * scale), next = n;
    pm_object *root = build_a(rt, n);
    pm_gc_collect(rt, 2);               /* everything in generation 2 */
    double best = 1e300;
    pm_ssize_t objects = 0;
    for (int r = 0; r < 20 * reps; r++) {
        add_small(rt, root, next, 700);
        next += 700;
        pm_ssize_t count[3];
        pm_gc_get_count(rt, count);
        objects = count[0];
        double t0 = now_ms();
        pm_gc_collect(rt, 0);
        double ms = now_ms() - t0;
        if (ms < best) best = ms;
    }
    printf("bench gc young pymm ns_per_object=%.2f us=%.3f objects=%ld\n", best * 1e6 / (double)objects,
           best * 1e3, (long)objects);
    fflush(stdout);
    pm_decref(rt, root);
    pm_runtime_free(rt);
}

int main(int argc, char **argv) {
    const char *which = argc > 1 ? argv[1] : "all";
    double scale = 1;
    int reps = 5;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--scale")) scale = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--reps")) reps = atoi(argv[i + 1]);
    }
    if (reps < 1) reps = 1;
    int all = !strcmp(which, "all");
    if (all || !strcmp(which, "a")) shape_a(scale, reps);
    if (all || !strcmp(which, "b")) shape_b(scale, reps);
    if (all || !strcmp(which, "c")) shape_c(scale, reps);
    if (all || !strcmp(which, "auto")) bench_auto(scale, reps);
    if (all || !strcmp(which, "young")) bench_young(scale, reps);
    return 0;
}
