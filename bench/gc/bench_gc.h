/*
 * bench/gc/bench_gc.h — what the collector benchmarks share: errors, a
 * runtime configured from the environment, and shape c's tree.  Static
 * functions, for bench_gc.c (public API only) and gc_floor.c.
 */
#ifndef PYMM_BENCH_GC_H
#define PYMM_BENCH_GC_H

#include <stdio.h>
#include <stdlib.h>
#include "pymm.h"

static void die(pm_runtime *rt, const char *what) {
    fprintf(stderr, "%s: %s failed: %s %s\n", BENCH_GC_NAME, what, pm_exc_name(pm_err_kind(rt)),
            pm_err_message(rt));
    exit(1);
}

/* A runtime with the PYMM_* options of the environment (e.g. PYMM_HUGE_PAGES=1). */
static pm_runtime *runtime(void) {
    pm_config cfg;
    const char *err = NULL;
    pm_config_init(&cfg);
    if (pm_config_from_env(&cfg, &err) < 0) {
        fprintf(stderr, "%s: bad value in %s\n", BENCH_GC_NAME, err);
        exit(2);
    }
    pm_runtime *rt = pm_runtime_new(&cfg);
    if (!rt) {
        fprintf(stderr, "%s: no runtime\n", BENCH_GC_NAME);
        exit(1);
    }
    return rt;
}

/* Node(tree(d - 1), tree(d - 1)) as Python evaluates it: both subtrees are
 * made before their parent, so the generation list holds the tree in post
 * order (children first), the order CPython's collector sees too. */
static pm_object *tree(pm_runtime *rt, pm_object *Node, int depth) {
    pm_object *l = depth > 1 ? tree(rt, Node, depth - 1) : pm_newref(rt, PM_NONE);
    pm_object *r = depth > 1 ? tree(rt, Node, depth - 1) : pm_newref(rt, PM_NONE);
    pm_object *o = pm_instance_new(rt, Node);
    if (!o) die(rt, "instance");
    if (pm_instance_setattr_cstr(rt, o, "left", l) < 0 || pm_instance_setattr_cstr(rt, o, "right", r) < 0)
        die(rt, "setattr");
    pm_decref(rt, l);
    pm_decref(rt, r);
    return o;
}

/* Shape c in a runtime with automatic collection off: the class in *Node,
 * the tree (2^20 - 1 nodes at scale 1) returned. */
static pm_object *build_c(pm_runtime *rt, double scale, pm_object **Node) {
    pm_gc_disable(rt);
    *Node = pm_class_new(rt, "__main__.Node", NULL, 0);
    if (!*Node) die(rt, "class");
    int depth = 20;
    while (depth > 2 && (double)(1L << depth) > (double)(1L << 20) * scale * 1.5) depth--;
    return tree(rt, *Node, depth);
}

#endif
