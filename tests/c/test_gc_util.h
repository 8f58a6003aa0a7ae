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

/* object's hash (a C type inheriting object's, as in CPython; a NULL hook
 * would make the nodes unhashable in pymm). */
static pm_hash_t gnode_hash(pm_runtime *rt, pm_object *self) { return pm_object_type.hash(rt, self); }

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
    .hash = gnode_hash,
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
    .hash = gnode_hash,
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

/* ---- plain and torture runs -------------------------------------------------
 * Every gc and weakref test runs twice: plainly, and in gc torture mode
 * (PYMM_GC_TORTURE=1, ctest label gc_torture: generation 0 is collected at
 * every gc allocation).
 *   - Plain run: gtest_runtime() turns automatic collection off, so every
 *     count is that of the test's explicit collections.
 *   - Torture run: the collector stays ON, so objects are collected while
 *     the test builds and tears down its structures.  Exact counts still
 *     hold because gcollect() returns the objects collected since the
 *     previous gcollect() by ANY collection, explicit or automatic (read
 *     from pm_gc_get_stats); in a plain run that figure is checked to equal
 *     pm_gc_collect's own result.  The few sections that observe the
 *     collector itself (debug output, callbacks, untracking, the contents
 *     of the generations) run inside gquiet_begin/gquiet_end, which turn
 *     automatic collection off around them only.
 *   - gtest_check_mode(rt), before pm_runtime_free: a plain run made no
 *     collection but its explicit ones; a torture run made automatic ones
 *     (their number is printed) — so the two runs provably differ. */
typedef struct gtorture_state {
    int torture;                /* PYMM_GC_TORTURE=1: the collector stays on */
    int quiet;                  /* gquiet_begin nesting */
    long mark;                  /* objects collected (all generations) at the last gcollect */
    long collections0;          /* collections (all generations) when the runtime was made */
    long explicit_collections;  /* collections made through gcollect */
} gtorture_state;
static gtorture_state GT;

/* Collections and collected (+ uncollectable) objects so far, all generations. */
static inline void gstats_totals(pm_runtime *rt, long *collections, long *collected) {
    pm_gc_generation_stats st[PM_GC_NUM_GENERATIONS];
    pm_gc_get_stats(rt, st);
    *collections = *collected = 0;
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) {
        *collections += (long)st[i].collections;
        *collected += (long)(st[i].collected + st[i].uncollectable);
    }
}

/* The runtime of a gc test: automatic collection off unless torture mode;
 * an empty heap of gc objects; the event log cleared. */
static inline pm_runtime *gtest_runtime(void) {
    pm_runtime *rt = tu_runtime();
    const char *e = getenv("PYMM_GC_TORTURE");
    memset(&GT, 0, sizeof GT);
    GT.torture = e && strcmp(e, "1") == 0;
    if (!GT.torture) pm_gc_disable(rt);
    pm_gc_collect(rt, 2);
    greset();
    gstats_totals(rt, &GT.collections0, &GT.mark);
    return rt;
}

/* An explicit collection; returns the objects collected since the last
 * gcollect (or gtest_runtime), by this collection and any automatic one. */
static inline long gcollect(pm_runtime *rt, int generation) {
    pm_ssize_t r = pm_gc_collect(rt, generation);
    long collections, collected;
    assert_true(r >= 0);
    GT.explicit_collections++;
    gstats_totals(rt, &collections, &collected);
    long d = collected - GT.mark;
    GT.mark = collected;
    if (!GT.torture) assert_int_equal(d, r);
    return d;
}

/* No automatic collection between these two (a no-op in plain runs). */
static inline void gquiet_begin(pm_runtime *rt) {
    if (GT.quiet++ == 0) pm_gc_disable(rt);
}
static inline void gquiet_end(pm_runtime *rt) {
    assert_true(GT.quiet > 0);
    if (--GT.quiet == 0 && GT.torture) pm_gc_enable(rt);
}

/* Plain run: no collection but the explicit ones.  Torture run: automatic
 * collections happened. */
static inline void gtest_check_mode(pm_runtime *rt) {
    long collections, collected;
    gstats_totals(rt, &collections, &collected);
    long automatic = collections - GT.collections0 - GT.explicit_collections;
    assert_int_equal(GT.quiet, 0);
    if (GT.torture) {
        print_message("gc torture: %ld automatic collections\n", automatic);
        assert_true(automatic > 0);
    } else {
        assert_int_equal(automatic, 0);
    }
}

/* Blocks in use in the allocator (small blocks + large blocks). */
static inline size_t gblocks(pm_runtime *rt) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    size_t n = s.large_blocks;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) n += s.size_class[i].blocks_in_use;
    return n;
}

/* Run python3 code; return its stdout's integers in out[] (count returned).
 * The test fails if python3 cannot run the code (see tu_python). */
static inline int gpy_ints(const char *code, long *out, int max) {
    char buf[4096];
    tu_python(code, buf, sizeof buf);
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
