/* Randomized graph test of the collector (issue 4): random objects and
 * edges, random drops of roots, weak references, finalizers, collections of
 * random generations at random points and automatic ones with random small
 * thresholds.  A model of the graph says what is reachable from the roots;
 * after every collection each reachable node must be intact (its payload
 * pattern and its edges), and after every full collection the number of
 * live nodes must equal the model's reachable count and exactly the weak
 * references to reachable nodes must be alive. */
#include "test_gc_util.h"

#define MAXN 3000               /* nodes per run */
#define MAXR 256                /* root slots */

typedef struct model {
    int edge[MAXN][NSLOT];      /* target id or -1 */
    pm_object *obj[MAXN];       /* valid while reachable */
    pm_object *wref[MAXN];      /* our weakref to the node, or NULL */
    int n;                      /* nodes created */
    int root[MAXR];             /* ids held by the test (one strong ref each) */
    int nroot;
    int reach[MAXN];            /* reachable ids (after mark) */
    int nreach;
    unsigned char mark[MAXN];
} model;

static model M;

static void mark(void) {
    memset(M.mark, 0, sizeof M.mark);
    M.nreach = 0;
    for (int r = 0; r < M.nroot; r++) {
        int id = M.root[r];
        if (!M.mark[id]) {
            M.mark[id] = 1;
            M.reach[M.nreach++] = id;
        }
    }
    for (int k = 0; k < M.nreach; k++) {            /* the array is the BFS queue */
        int id = M.reach[k];
        for (int i = 0; i < NSLOT; i++) {
            int t = M.edge[id][i];
            if (t >= 0 && !M.mark[t]) {
                M.mark[t] = 1;
                M.reach[M.nreach++] = t;
            }
        }
    }
}

static void check(pm_runtime *rt, int full) {
    mark();
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
        if (M.wref[id]) assert_true(pm_weakref_is_alive(rt, M.wref[id]));
    }
    long live = (long)M.n - G.freed;
    if (full) {
        assert_int_equal(live, M.nreach);
        for (int id = 0; id < M.n; id++)
            if (M.wref[id]) assert_int_equal(pm_weakref_is_alive(rt, M.wref[id]), M.mark[id]);
    } else {
        assert_true(live >= M.nreach);
    }
}

static int rnd(uint64_t *s, int n) { return (int)(tu_rand(s) % (uint64_t)n); }

static void run(uint64_t seed, int steps) {
    pm_runtime *rt = tu_runtime();
    greset();
    memset(&M, 0, sizeof M);
    size_t base = gblocks(rt);
    uint64_t s = seed;
    pm_gc_set_threshold(rt, 1 + rnd(&s, 60), 1 + rnd(&s, 8), 1 + rnd(&s, 8));
    for (int step = 0; step < steps; step++) {
        mark();
        int op = rnd(&s, 100);
        if ((op < 25 || M.nreach == 0) && M.n < MAXN && M.nroot < MAXR) {
            /* a new node, held as a root; sometimes with a finalizer or a weakref */
            int id = M.n++;
            for (int i = 0; i < NSLOT; i++) M.edge[id][i] = -1;
            pm_object *o = gnew(rt, rnd(&s, 4) == 0 ? &fnode_type : &gnode_type, id);
            assert_non_null(o);
            M.obj[id] = o;
            M.root[M.nroot++] = id;
            if (rnd(&s, 3) == 0) {
                M.wref[id] = pm_weakref_new(rt, o, NULL, NULL);
                assert_non_null(M.wref[id]);
            }
        } else if (op < 70 && M.nreach > 0) {
            /* set or clear an edge between reachable nodes */
            int a = M.reach[rnd(&s, M.nreach)], i = rnd(&s, NSLOT);
            int b = rnd(&s, 5) == 0 ? -1 : M.reach[rnd(&s, M.nreach)];
            M.edge[a][i] = b;
            gset(rt, M.obj[a], i, b >= 0 ? M.obj[b] : NULL);
        } else if (op < 85 && M.nroot > 0) {
            /* drop a root */
            int r = rnd(&s, M.nroot), id = M.root[r];
            M.root[r] = M.root[--M.nroot];
            pm_decref(rt, M.obj[id]);
        } else if (op < 90 && M.nreach > 0 && M.nroot < MAXR) {
            /* take another root on a reachable node */
            int id = M.reach[rnd(&s, M.nreach)];
            pm_incref(rt, M.obj[id]);
            M.root[M.nroot++] = id;
        } else {
            int gen = rnd(&s, 3);
            assert_true(pm_gc_collect(rt, gen) >= 0);
            check(rt, gen == 2);
        }
    }
    assert_true(pm_gc_collect(rt, 2) >= 0);
    check(rt, 1);
    while (M.nroot > 0) pm_decref(rt, M.obj[M.root[--M.nroot]]);
    pm_gc_collect(rt, 2);
    check(rt, 1);
    assert_int_equal(G.freed, M.n);
    for (int id = 0; id < M.n; id++) {
        if (M.wref[id]) {
            assert_false(pm_weakref_is_alive(rt, M.wref[id]));
            pm_decref(rt, M.wref[id]);
        }
    }
    pm_freelists_clear(rt);
    assert_int_equal(gblocks(rt), base);
    pm_runtime_free(rt);
}

static void test_random_graphs(void **state) {
    (void)state;
#ifdef PYMM_SANITIZE
    const int runs = 6, steps = 8000;
#else
    const int runs = 20, steps = 20000;
#endif
    for (int i = 0; i < runs; i++) run(0x1234567ULL + (uint64_t)i * 7919, steps);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_graphs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
