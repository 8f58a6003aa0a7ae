/* Helpers shared by the collector's tests (test_gc*.c, test_weakref*.c,
 * fault/test_fault_gc.c): a gc node type with NSLOT reference slots, a
 * weakref list and an optional finalizer, written against the public API
 * only (pm_gc_new / pm_gc_track / pm_gc_dealloc_begin / pm_gc_del), plus an
 * event log the finalizers and callbacks write to. */
#ifndef PYMM_TEST_GC_UTIL_H
#define PYMM_TEST_GC_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

#define NSLOT 4

typedef struct gnode {
    pm_object ob_base;
    pm_object *weaklist;        /* weak references to this node */
    uint64_t pattern;           /* payload checked by the randomized test */
    long id;                    /* name in the event log */
    pm_object *slot[NSLOT];     /* owned references or NULL */
} gnode;

/* What the test hooks do and what they saw (tests are not the library: a
 * file-scope state is fine here). */
typedef struct gtest_state {
    long freed;                 /* gnodes freed */
    long finalized;             /* finalizer calls */
    pm_object *resurrect_into;  /* list: finalizers append their node here */
    char log[4096];             /* "F1 W2 ..." events in order */
} gtest_state;
static gtest_state G;

static inline void glog(const char *fmt, long v) {
    size_t n = strlen(G.log);
    if (n + 32 >= sizeof G.log) return;
    if (n) {
        G.log[n++] = ' ';
        G.log[n] = 0;
    }
    snprintf(G.log + n, sizeof G.log - n, fmt, v);
}

static int gnode_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    gnode *n = (gnode *)self;
    for (int i = 0; i < NSLOT; i++) {
        if (n->slot[i]) {
            int r = visit(n->slot[i], arg);
            if (r) return r;
        }
    }
    return 0;
}

static int gnode_clear(pm_runtime *rt, pm_object *self) {
    gnode *n = (gnode *)self;
    for (int i = 0; i < NSLOT; i++) PM_CLEAR(rt, n->slot[i]);
    return 0;
}

static void gnode_dealloc(pm_runtime *rt, pm_object *self) {
    gnode *n = (gnode *)self;
    pm_gc_untrack(rt, self);
    if (pm_gc_dealloc_begin(rt, self)) return;      /* resurrected */
    G.freed++;
    for (int i = 0; i < NSLOT; i++) PM_CLEAR(rt, n->slot[i]);
    n->pattern = 0xdeadULL;
    pm_gc_del(rt, self);
}

static void gnode_finalize(pm_runtime *rt, pm_object *self) {
    G.finalized++;
    glog("F%ld", ((gnode *)self)->id);
    if (G.resurrect_into && pm_list_append(rt, G.resurrect_into, self) < 0) return;
}

static const pm_type gnode_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "gnode",
    .basicsize = sizeof(gnode),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(gnode, weaklist),
    .dealloc = gnode_dealloc,
    .traverse = gnode_traverse,
    .clear = gnode_clear,
};

/* The same with a PEP 442 finalizer. */
static const pm_type fnode_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "fnode",
    .basicsize = sizeof(gnode),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(gnode, weaklist),
    .dealloc = gnode_dealloc,
    .traverse = gnode_traverse,
    .clear = gnode_clear,
    .finalize = gnode_finalize,
};

static inline uint64_t gpattern(long id) { return (uint64_t)id * 0x9e3779b97f4a7c15ULL ^ 0x5555; }

/* A new tracked node (NEW ref) or NULL. */
static inline pm_object *gnew(pm_runtime *rt, const pm_type *t, long id) {
    pm_object *o = pm_gc_new(rt, t);
    if (!o) return NULL;
    ((gnode *)o)->id = id;
    ((gnode *)o)->pattern = gpattern(id);
    pm_gc_track(rt, o);
    return o;
}

/* n->slot[i] = v (v borrowed; the old value released). */
static inline void gset(pm_runtime *rt, pm_object *n, int i, pm_object *v) {
    pm_object *old = ((gnode *)n)->slot[i];
    ((gnode *)n)->slot[i] = v ? pm_newref(rt, v) : NULL;
    pm_xdecref(rt, old);
}

static inline void greset(void) { memset(&G, 0, sizeof G); }

/* Blocks in use in the allocator (small blocks + large blocks). */
static inline size_t gblocks(pm_runtime *rt) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    size_t n = s.large_blocks;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) n += s.size_class[i].blocks_in_use;
    return n;
}

/* Run python3 code; return its stdout's integers in out[] (count returned),
 * or -1 when python3 is not available. */
static inline int gpy_ints(const char *code, long *out, int max) {
    char buf[4096];
    if (tu_python(code, buf, sizeof buf) != 0) return -1;
    int n = 0;
    char *p = buf;
    while (n < max) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p) {
            if (!*p) break;
            p++;
            continue;
        }
        out[n++] = v;
        p = end;
    }
    return n;
}

#endif
