/*
 * pymm-bench-gc-floor — what one walk of the generation list costs, on
 * bench-gc's shape c, in the order a full collection leaves it.
 *
 * A full collection walks the list at least twice (gc_refs := refcount minus
 * the references from inside; then the reachability scan), and the list's
 * order is observable (gc.get_objects() returns it), so pymm keeps
 * CPython's: after the first collection the tree's survivors stand breadth
 * first from the root, while their memory was allocated in post order.  This
 * program builds shape c with bench_gc.c's tree() (bench_gc.h), collects twice, then
 * times, best of --reps:
 *
 *   walk   following gc_next through every object, reading nothing else
 *   read   the same walk reading what any pass must read of each object: its
 *          header and refcount, its values array, its children's gc headers
 *   full   one pm_gc_collect(rt, 2), for comparison
 *
 * and prints
 *   bench gc c-floor pymm walk_ns_per_object=... read_ns_per_object=... full_ns_per_object=... objects=...
 * A collection cannot cost less than two walks; when one walk alone costs
 * more than 15 ns per object, 30 ns per object for the collection is out of
 * reach in this order (docs/gc.md, "Shape c").
 *
 * It reads the collector's lists directly, so it is built against the
 * library's internal headers (src/), unlike bench_gc.c.
 *
 * usage: pymm-bench-gc-floor [--scale S] [--reps R]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pymm.h"
#define BENCH_GC_NAME "pymm-bench-gc-floor"
#include "bench_gc.h"
#include "core/runtime.h"
#include "objects/instance_values.h"

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static pm_gc_head *next_of(const pm_gc_head *g) { return (pm_gc_head *)g->gc_next; }

/* The walk alone.  The sum keeps the loads. */
static uintptr_t walk(const pm_gc_head *head) {
    uintptr_t acc = 0;
    for (const pm_gc_head *g = next_of(head); g != head; g = next_of(g)) acc += (uintptr_t)g & 1;
    return acc;
}

/* The walk, reading each object's refcount, values and children's heads. */
static uintptr_t walk_read(const pm_gc_head *head) {
    uintptr_t acc = 0;
    for (const pm_gc_head *g = next_of(head); g != head; g = next_of(g)) {
        const pmi_instance *in = (const pmi_instance *)(const void *)(g + 1);
        acc += (uintptr_t)in->ob_base.ob_refcnt;
        pm_object **v = pmi_instance_values(in);
        pm_ssize_t n = pmi_instance_values_cap(in);
        for (pm_ssize_t i = 0; v && i < n; i++)
            if (v[i] && v[i] != PM_NONE) acc += ((const pm_gc_head *)(const void *)v[i] - 1)->gc_prev;
    }
    return acc;
}

int main(int argc, char **argv) {
    double scale = 1.0;
    int reps = 5;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--scale") && a + 1 < argc) scale = strtod(argv[++a], NULL);
        else if (!strcmp(argv[a], "--reps") && a + 1 < argc) reps = atoi(argv[++a]);
        else {
            fprintf(stderr, "usage: %s [--scale S] [--reps R]\n", argv[0]);
            return 2;
        }
    }
    if (!(scale > 0) || reps < 1) {
        fprintf(stderr, "pymm-bench-gc-floor: bad --scale or --reps\n");
        return 2;
    }
    pm_runtime *rt = runtime();
    pm_object *Node, *root = build_c(rt, scale, &Node);
    pm_gc_collect(rt, 2); /* the survivors now stand breadth first */
    pm_gc_collect(rt, 2);
    const pm_gc_head *head = &rt->gc.gen[2].head;
    long n = 0;
    for (const pm_gc_head *g = next_of(head); g != head; g = next_of(g)) n++;
    double best_walk = 1e300, best_read = 1e300, best_full = 1e300;
    uintptr_t acc = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        acc += walk(head);
        double t1 = now_ns();
        acc += walk_read(head);
        double t2 = now_ns();
        pm_gc_collect(rt, 2);
        double t3 = now_ns();
        if (t1 - t0 < best_walk) best_walk = t1 - t0;
        if (t2 - t1 < best_read) best_read = t2 - t1;
        if (t3 - t2 < best_full) best_full = t3 - t2;
    }
    printf("bench gc c-floor pymm walk_ns_per_object=%.2f read_ns_per_object=%.2f full_ns_per_object=%.2f "
           "objects=%ld check=%lu\n",
           best_walk / (double)n, best_read / (double)n, best_full / (double)n, n, (unsigned long)(acc & 1));
    pm_decref(rt, root);
    pm_decref(rt, Node);
    pm_runtime_free(rt);
    return 0;
}
