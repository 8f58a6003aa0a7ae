/* Randomized graph test of the collector (issue 4): random objects and
 * edges, random drops of roots, weak references (plain and with callbacks),
 * finalizers (some of which resurrect their object), collections of random
 * generations at random points and automatic ones with random small
 * thresholds.  A model of the graph says what is reachable from the roots;
 * after every collection each reachable node must be intact (its payload
 * pattern and its edges), and after every full collection the number of
 * live nodes must equal the model's reachable count and exactly the weak
 * references to reachable nodes must be alive.
 *
 * Resurrection: an "rnode"'s finalizer appends the node to a list the test
 * holds (`saved`), the first time it is found dead only (PEP 442: never
 * again).  The model reads the list after every step: each new entry must
 * have been garbage, and becomes a root, together with everything it
 * reaches ("revived").  Entries are deleted from the list at random, and the
 * nodes die again, this time for good.
 * Callbacks: a weak reference with a callback is alive exactly until its
 * callback has run; the callback runs once, only for a node the model says
 * is garbage; after a full collection every garbage node's callback has run.
 * Plain weak references to revived nodes may be dead (a collection clears
 * the weakrefs to all its garbage before finalizers resurrect any of it, as
 * CPython does); to any other reachable node they are alive. */
#include "test_gc_util.h"

#define MAXN 3000               /* nodes per run */
#define MAXR 256                /* root slots */

typedef struct model {
    int edge[MAXN][NSLOT];      /* target id or -1 */
    pm_object *obj[MAXN];       /* valid while reachable */
    pm_object *wref[MAXN];      /* our plain weakref to the node, or NULL */
    pm_object *wcb[MAXN];       /* our weakref with a callback, or NULL */
    unsigned char cb_fired[MAXN];   /* its callback has run */
    unsigned char finalized[MAXN];  /* rnode finalizer runs */
    unsigned char resurrected[MAXN];/* put in `saved` by its finalizer */
    unsigned char revived[MAXN];    /* was garbage, reachable again through a resurrection */
    int n;                      /* nodes created */
    int root[MAXR];             /* ids held by the test (one strong ref each) */
    int nroot;
    pm_object *saved;           /* the list rnode finalizers append to */
    int saved_ids[MAXN];        /* ids in `saved`, in order (as of the last sync) */
    int nsaved;
    int reach[MAXN];            /* reachable ids (after mark) */
    int nreach;
    unsigned char mark[MAXN];
    long callbacks;             /* callbacks run */
    long resurrections;         /* rnode finalizers that resurrected */
} model;

static model M;

/* rnode: a gnode whose finalizer resurrects it into M.saved. */
static void rnode_finalize(pm_runtime *rt, pm_object *self) {
    long id = ((gnode *)self)->id;
    assert_false(M.mark[id]);                       /* only garbage is finalized */
    assert_int_equal(M.finalized[id], 0);           /* once in the object's life */
    M.finalized[id] = 1;
    assert_int_equal(pm_list_append(rt, M.saved, self), 0);
    M.resurrections++;
}

static const pm_type rnode_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "rnode",
    .basicsize = sizeof(gnode),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(gnode, weaklist),
    .dealloc = gnode_dealloc,
    .traverse = gnode_traverse,
    .clear = gnode_clear,
    .finalize = rnode_finalize,
};

static int cb_seen(pm_runtime *rt, pm_object *wr, pm_object *data) {
    long id = pm_int_as_long(rt, data);
    assert_false(pm_weakref_is_alive(rt, wr));      /* dead when the callback runs */
    assert_ptr_equal(wr, M.wcb[id]);
    assert_false(M.mark[id]);                       /* only for garbage */
    assert_int_equal(M.cb_fired[id], 0);            /* once */
    M.cb_fired[id] = 1;
    M.callbacks++;
    return 0;
}

static void mark_from(int id) {
    if (!M.mark[id]) {
        M.mark[id] = 1;
        M.reach[M.nreach++] = id;
    }
}

static void mark(void) {
    memset(M.mark, 0, sizeof M.mark);
    M.nreach = 0;
    for (int r = 0; r < M.nroot; r++) mark_from(M.root[r]);
    for (int r = 0; r < M.nsaved; r++) mark_from(M.saved_ids[r]);
    for (int k = 0; k < M.nreach; k++) {            /* the array is the BFS queue */
        int id = M.reach[k];
        for (int i = 0; i < NSLOT; i++)
            if (M.edge[id][i] >= 0) mark_from(M.edge[id][i]);
    }
}

/* Read `saved` after a step (M.mark is the model after the step, before it):
 * new entries are resurrections, and what they reach that was garbage is
 * revived. */
static void sync_saved(pm_runtime *rt) {
    pm_ssize_t n = pm_list_size(M.saved);
    int fresh[MAXN], nfresh = 0;
    M.nsaved = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *o = pm_list_get(rt, M.saved, i);
        assert_ptr_equal(o->ob_type, &rnode_type);
        int id = (int)((gnode *)o)->id;
        assert_ptr_equal(M.obj[id], o);
        M.saved_ids[M.nsaved++] = id;
        if (!M.resurrected[id]) {
            assert_int_equal(M.finalized[id], 1);
            M.resurrected[id] = 1;
            fresh[nfresh++] = id;
        }
    }
    /* revived: reachable from a fresh resurrection and garbage before it */
    int queue[MAXN], nq = 0;
    static unsigned char seen[MAXN];
    memset(seen, 0, sizeof seen);
    for (int i = 0; i < nfresh; i++) {
        seen[fresh[i]] = 1;
        queue[nq++] = fresh[i];
    }
    for (int k = 0; k < nq; k++) {
        int id = queue[k];
        if (!M.mark[id]) M.revived[id] = 1;
        for (int i = 0; i < NSLOT; i++) {
            int t = M.edge[id][i];
            if (t >= 0 && !seen[t]) {
                seen[t] = 1;
                queue[nq++] = t;
            }
        }
    }
    mark();
}

static void check(pm_runtime *rt, int full) {
    sync_saved(rt);
    assert_int_equal(pm_err_occurred(rt), PM_EXC_NONE);
    for (int k = 0; k < M.nreach; k++) {
        int id = M.reach[k];
        gnode *g = (gnode *)M.obj[id];
        assert_true(pm_refcnt(rt, (pm_object *)g) >= 1);
        assert_int_equal(g->pattern, gpattern(id));
        assert_int_equal(g->id, id);
        for (int i = 0; i < NSLOT; i++) {
            int t = M.edge[id][i];
            assert_ptr_equal(g->slot[i], t >= 0 ? M.obj[t] : NULL);
        }
        if (M.wref[id] && !M.revived[id]) assert_true(pm_weakref_is_alive(rt, M.wref[id]));
    }
    for (int id = 0; id < M.n; id++)
        if (M.wcb[id]) assert_int_equal(pm_weakref_is_alive(rt, M.wcb[id]), !M.cb_fired[id]);
    long live = (long)M.n - G.freed;
    if (full) {
        assert_int_equal(live, M.nreach);
        for (int id = 0; id < M.n; id++) {
            if (M.mark[id]) continue;
            if (M.wref[id]) assert_false(pm_weakref_is_alive(rt, M.wref[id]));
            if (M.wcb[id]) assert_true(M.cb_fired[id]);
        }
    } else {
        assert_true(live >= M.nreach);
    }
}

static int rnd(uint64_t *s, int n) { return (int)(tu_rand(s) % (uint64_t)n); }

static void run(uint64_t seed, int steps, long *totals) {
    pm_runtime *rt = tu_runtime();
    greset();
    memset(&M, 0, sizeof M);
    size_t base = gblocks(rt);
    M.saved = pm_list_new(rt);
    assert_non_null(M.saved);
    uint64_t s = seed;
    pm_gc_set_threshold(rt, 1 + rnd(&s, 60), 1 + rnd(&s, 8), 1 + rnd(&s, 8));
    for (int step = 0; step < steps; step++) {
        int op = rnd(&s, 100);
        if ((op < 25 || M.nreach == 0) && M.n < MAXN && M.nroot < MAXR) {
            /* a new node, held as a root; sometimes with a finalizer (which
             * may resurrect), a plain weakref, a weakref with a callback */
            int id = M.n;
            for (int i = 0; i < NSLOT; i++) M.edge[id][i] = -1;
            int kind = rnd(&s, 8);
            pm_object *o = gnew(rt, kind == 0 ? &fnode_type : kind == 1 ? &rnode_type : &gnode_type, id);
            assert_non_null(o);
            M.n++;
            M.obj[id] = o;
            M.root[M.nroot++] = id;
            mark();
            if (rnd(&s, 3) == 0) {
                M.wref[id] = pm_weakref_new(rt, o, NULL, NULL);
                assert_non_null(M.wref[id]);
            }
            if (rnd(&s, 4) == 0) {
                pm_object *data = pm_int_from_long(rt, id);
                M.wcb[id] = pm_weakref_new(rt, o, cb_seen, data);
                assert_non_null(M.wcb[id]);
                pm_decref(rt, data);
            }
        } else if (op < 70 && M.nreach > 0) {
            /* set or clear an edge between reachable nodes */
            int a = M.reach[rnd(&s, M.nreach)], i = rnd(&s, NSLOT);
            int b = rnd(&s, 5) == 0 ? -1 : M.reach[rnd(&s, M.nreach)];
            M.edge[a][i] = b;
            pm_object *target = b >= 0 ? M.obj[b] : NULL;
            mark();                                 /* what dies in gset is garbage */
            gset(rt, M.obj[a], i, target);
        } else if (op < 85 && M.nroot > 0) {
            /* drop a root */
            int r = rnd(&s, M.nroot), id = M.root[r];
            M.root[r] = M.root[--M.nroot];
            mark();
            pm_decref(rt, M.obj[id]);
        } else if (op < 88 && M.nreach > 0 && M.nroot < MAXR) {
            /* take another root on a reachable node */
            int id = M.reach[rnd(&s, M.nreach)];
            pm_incref(rt, M.obj[id]);
            M.root[M.nroot++] = id;
        } else if (op < 92 && M.nsaved > 0) {
            /* let a resurrected node go (its finalizer will not run again);
             * M.saved_ids mirrors the list's order (sync_saved) */
            int i = rnd(&s, M.nsaved);
            memmove(&M.saved_ids[i], &M.saved_ids[i + 1], (size_t)(M.nsaved - i - 1) * sizeof(int));
            M.nsaved--;
            mark();
            assert_int_equal(pm_list_delete(rt, M.saved, i), 0);
        } else {
            int gen = rnd(&s, 3);
            mark();
            assert_true(pm_gc_collect(rt, gen) >= 0);
            check(rt, gen == 2);
            continue;
        }
        sync_saved(rt);
    }
    mark();
    assert_true(pm_gc_collect(rt, 2) >= 0);
    check(rt, 1);
    /* everything goes: roots, then the resurrected (finalized: no second
     * resurrection — but nodes they kept alive may be resurrected now) */
    int roots[MAXR], nroots = M.nroot;
    memcpy(roots, M.root, sizeof roots);
    M.nroot = 0;
    mark();
    while (nroots > 0) pm_decref(rt, M.obj[roots[--nroots]]);
    sync_saved(rt);
    for (int round = 0; round == 0 || M.nsaved > 0; round++) {
        assert_true(round < 100);
        M.nsaved = 0;
        mark();
        assert_int_equal(pm_list_clear(rt, M.saved), 0);
        assert_true(pm_gc_collect(rt, 2) >= 0);
        check(rt, 1);
    }
    assert_int_equal(M.nsaved, 0);
    assert_int_equal(G.freed, M.n);
    long withcb = 0;
    for (int id = 0; id < M.n; id++) {
        if (M.wref[id]) {
            assert_false(pm_weakref_is_alive(rt, M.wref[id]));
            pm_decref(rt, M.wref[id]);
        }
        if (M.wcb[id]) {
            withcb++;
            assert_true(M.cb_fired[id]);
            pm_decref(rt, M.wcb[id]);
        }
    }
    assert_int_equal(M.callbacks, withcb);
    pm_decref(rt, M.saved);
    pm_freelists_clear(rt);
    assert_int_equal(gblocks(rt), base);
    totals[0] += M.n;
    totals[1] += M.resurrections;
    totals[2] += M.callbacks;
    pm_runtime_free(rt);
}

static void test_random_graphs(void **state) {
    (void)state;
#ifdef PYMM_SANITIZE
    const int runs = 6, steps = 8000;
#else
    const int runs = 20, steps = 20000;
#endif
    long totals[3] = {0, 0, 0};
    for (int i = 0; i < runs; i++) run(0x1234567ULL + (uint64_t)i * 7919, steps, totals);
    print_message("%ld nodes, %ld resurrections, %ld weakref callbacks\n", totals[0], totals[1], totals[2]);
    assert_true(totals[1] > 0);
    assert_true(totals[2] > 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_graphs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
