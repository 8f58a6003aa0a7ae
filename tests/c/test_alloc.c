/* Unit tests of the allocator's rules (issue: foundation and allocator). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "testutil.h"
#include "core/runtime.h"

static pm_alloc_stats stats(pm_runtime *rt) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    return s;
}

static void check_ok(pm_runtime *rt) { assert_int_equal(pm_alloc_check(rt, stderr), 0); }

/* Every request 1..512 gets a 16-byte aligned block of its class size. */
static void test_size_classes(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    for (size_t n = 0; n <= 512; n++) {
        char *p = pm_malloc(rt, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        size_t expect = n == 0 ? 16 : (n + 15) / 16 * 16;
        assert_int_equal(pm_usable_size(rt, p), expect);
        assert_non_null(pmi_pool_of(rt, p));
        memset(p, 0xAB, n);
        pm_free(rt, p);
    }
    /* 513 goes to the system allocator. */
    void *big = pm_malloc(rt, 513);
    assert_non_null(big);
    assert_null(pmi_pool_of(rt, big));
    assert_int_equal(stats(rt).large_blocks, 1);
    pm_free(rt, big);
    assert_int_equal(stats(rt).large_blocks, 0);
    check_ok(rt);
    pm_runtime_free(rt);
}

/* malloc(0) returns distinct pointers; free(NULL) is a no-op. */
static void test_malloc_zero_unique(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    void *a = pm_malloc(rt, 0), *b = pm_malloc(rt, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    pm_free(rt, a);
    pm_free(rt, b);
    pm_free(rt, NULL);
    pm_runtime_free(rt);
}

static void test_calloc_rules(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    /* Overflow of n*size is detected. */
    assert_null(pm_calloc(rt, SIZE_MAX / 2, 3));
    assert_null(pm_calloc(rt, (size_t)1 << 33, (size_t)1 << 33));
    /* Memory is zeroed, small (after reuse of a dirty block) and large. */
    char *d = pm_malloc(rt, 100);
    memset(d, 0xFF, 100);
    pm_free(rt, d);
    unsigned char *z = pm_calloc(rt, 10, 10);
    for (int i = 0; i < 100; i++) assert_int_equal(z[i], 0);
    unsigned char *zl = pm_calloc(rt, 1000, 10);
    for (int i = 0; i < 10000; i++) assert_int_equal(zl[i], 0);
    pm_free(rt, z);
    pm_free(rt, zl);
    pm_runtime_free(rt);
}

static void fill(unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed + i * 7);
}
static void expect(const unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) assert_int_equal(p[i], (unsigned char)(seed + i * 7));
}

/* realloc moves between small and large and keeps the contents. */
static void test_realloc_moves(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    unsigned char *p = pm_realloc(rt, NULL, 40);
    assert_non_null(p);
    fill(p, 40, 1);
    p = pm_realloc(rt, p, 48); /* same class: stays */
    expect(p, 40, 1);
    p = pm_realloc(rt, p, 300); /* small → small, bigger class */
    assert_non_null(pmi_pool_of(rt, p));
    expect(p, 40, 1);
    fill(p, 300, 2);
    p = pm_realloc(rt, p, 5000); /* small → large */
    assert_null(pmi_pool_of(rt, p));
    expect(p, 300, 2);
    fill(p, 5000, 3);
    p = pm_realloc(rt, p, 100000); /* large → large */
    expect(p, 5000, 3);
    assert_int_equal(stats(rt).large_bytes, 100000);
    p = pm_realloc(rt, p, 200); /* large → small */
    assert_non_null(pmi_pool_of(rt, p));
    expect(p, 200, 3);
    assert_int_equal(stats(rt).large_blocks, 0);
    p = pm_realloc(rt, p, 20); /* shrink a lot: moves to a smaller class */
    expect(p, 20, 3);
    assert_int_equal(pm_usable_size(rt, p), 32);
    /* A size that cannot be represented fails and leaves p intact. */
    assert_null(pm_realloc(rt, p, SIZE_MAX));
    assert_null(pm_realloc(rt, p, (size_t)PTRDIFF_MAX + 1));
    assert_null(pm_malloc(rt, SIZE_MAX));
    expect(p, 20, 3);
    pm_free(rt, p);
    check_ok(rt);
    pm_runtime_free(rt);
}

/* A pointer from the system allocator goes back to it. */
static void test_foreign_pointer_to_system(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    void *keep = pm_malloc(rt, 64); /* so that the runtime has a region */
    char *sys = malloc(100);
    memset(sys, 1, 100);
    assert_null(pmi_pool_of(rt, sys));
    sys = pm_realloc(rt, sys, 200000); /* foreign realloc: system realloc */
    assert_non_null(sys);
    assert_int_equal(sys[99], 1);
    pm_free(rt, sys); /* would be an ASan error if it went anywhere else */
    pm_free(rt, malloc(10));
    pm_free(rt, keep);
    pm_runtime_free(rt);
}

/* These two tests follow blocks into their pools: give each freed block
 * back at once instead of leaving it in its class's free cache. */
static void free_now(pm_runtime *rt, void *p) {
    pm_free(rt, p);
    pmi_cache_flush_all(rt);
}

/* A pool serves one class; an emptied pool serves any class afterwards. */
static void test_pool_reuse_across_classes(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    void *hold = pm_malloc(rt, 512); /* keep the arena alive */
    enum { N = 1024 };                /* one pool of 16-byte blocks */
    void *p[N];
    for (int i = 0; i < N; i++) p[i] = pm_malloc(rt, 16);
    pmi_pool *pool = pmi_pool_of(rt, p[0]);
    for (int i = 0; i < N; i++) assert_ptr_equal(pmi_pool_of(rt, p[i]), pool);
    assert_null(pool->freeblock); /* full: not in usedpools */
    assert_ptr_not_equal(rt->mem.usedpools[0], pool);
    free_now(rt, p[5]);
    assert_ptr_equal(rt->mem.usedpools[0], pool); /* back in front */
    for (int i = 0; i < N; i++)
        if (i != 5) free_now(rt, p[i]);
    /* The emptied pool is its class's only one: it stays, idle. */
    assert_int_equal(stats(rt).size_class[0].pools, 1);
    assert_int_equal(stats(rt).size_class[0].blocks_in_use, 0);
    assert_ptr_equal(rt->mem.usedpools[0], pool);
    pm_trim(rt); /* drops idle pools */
    assert_int_equal(stats(rt).size_class[0].pools, 0);
    assert_null(rt->mem.usedpools[0]);
    void *q = pm_malloc(rt, 256);
    assert_ptr_equal(pmi_pool_of(rt, q), pool); /* the empty pool, reused */
    assert_int_equal(pool->szidx, 15);
    free_now(rt, q);
    free_now(rt, hold);
    check_ok(rt);
    pm_runtime_free(rt);
}

/* An idle pool (its class's last, emptied) stays only while it is its
 * class's only pool: when another pool rejoins usedpools in front of it,
 * it goes back to its arena (kept, it could pin an arena otherwise free
 * for good); a pool that empties beside others is returned, not kept. */
static void test_idle_pool_retired_by_others(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    enum { N = 1024 };
    void *a[N];
    for (int i = 0; i < N; i++) a[i] = pm_malloc(rt, 16); /* pool A, now full */
    pmi_pool *pa = pmi_pool_of(rt, a[0]);
    void *b = pm_malloc(rt, 16);                          /* pool B */
    pmi_pool *pb = pmi_pool_of(rt, b);
    assert_ptr_not_equal(pa, pb);
    free_now(rt, b);                                       /* B idle, alone */
    assert_ptr_equal(rt->mem.usedpools[0], pb);
    assert_int_equal(pb->ref, 0);
    unsigned slot_b = pmi_pool_slot(&rt->mem, pb);
    assert_false(pmi_pool_arena(&rt->mem, pb)->free_pools >> slot_b & 1);
    free_now(rt, a[0]);                                    /* A rejoins: B retired */
    assert_ptr_equal(rt->mem.usedpools[0], pa);
    assert_null(pa->next);
    assert_true(pmi_pool_arena(&rt->mem, pb)->free_pools >> slot_b & 1);
    assert_int_equal(stats(rt).size_class[0].pools, 1);
    check_ok(rt);
    void *c = pm_malloc(rt, 16);                          /* A full again */
    void *d = pm_malloc(rt, 16);                          /* a new pool D */
    pmi_pool *pd = pmi_pool_of(rt, d);
    free_now(rt, d);                                       /* D idle, alone */
    assert_ptr_equal(rt->mem.usedpools[0], pd);
    free_now(rt, c);                                       /* A rejoins: D retired */
    assert_ptr_equal(rt->mem.usedpools[0], pa);
    assert_null(pa->next);
    for (int i = 1; i < N; i++) free_now(rt, a[i]);        /* A empties, alone: idle */
    assert_ptr_equal(rt->mem.usedpools[0], pa);
    assert_int_equal(pa->ref, 0);
    assert_int_equal(stats(rt).size_class[0].pools, 1);
    check_ok(rt);
    pm_trim(rt);
    assert_null(rt->mem.usedpools[0]);
    check_ok(rt);
    pm_runtime_free(rt);
}

/* Pools come from the fullest arena; an arena whose pools are all free goes
 * back to the OS once the reserve is full. */
static void test_arena_order_and_release(void **state) {
    (void)state;
    pm_config cfg;
    pm_config_init(&cfg);
    cfg.arena_reserve = 0;
    pm_runtime *rt = pm_runtime_new(&cfg);
    assert_non_null(rt);
    /* 3 arenas full of 512-byte blocks: 64 pools × 32 blocks each. */
    enum { PER_ARENA = 64 * 32, NA = 3 };
    void **p = malloc(sizeof(void *) * PER_ARENA * NA);
    for (int i = 0; i < PER_ARENA * NA; i++) p[i] = pm_malloc(rt, 512);
    assert_int_equal(stats(rt).arenas_in_use, NA);
    pmi_arena *a0 = pmi_pool_arena(&rt->mem, pmi_pool_of(rt, p[0]));
    pmi_arena *a1 = pmi_pool_arena(&rt->mem, pmi_pool_of(rt, p[PER_ARENA]));
    /* Free 10 pools of arena 0 and 20 pools of arena 1. */
    for (int i = 0; i < 10 * 32; i++) { pm_free(rt, p[i]); p[i] = NULL; }
    for (int i = PER_ARENA; i < PER_ARENA + 20 * 32; i++) { pm_free(rt, p[i]); p[i] = NULL; }
    check_ok(rt);
    assert_ptr_equal(rt->mem.usable_arenas, a0); /* fullest first */
    void *q = pm_malloc(rt, 48);
    assert_ptr_equal(pmi_pool_arena(&rt->mem, pmi_pool_of(rt, q)), a0);
    pm_free(rt, q);
    /* Empty arena 1 entirely: it is reclaimed.  (A pool of arena 0 with a
     * free block is in usedpools, so that arena 1's last pool is not its
     * class's only one, which would stay idle.) */
    free_now(rt, p[10 * 32]);
    p[10 * 32] = NULL;
    size_t reclaimed = stats(rt).arenas_reclaimed;
    for (int i = PER_ARENA; i < 2 * PER_ARENA; i++)
        if (p[i]) { pm_free(rt, p[i]); p[i] = NULL; }
    pmi_cache_flush_all(rt); /* the blocks freed last were still cached */
    assert_int_equal(stats(rt).arenas_reclaimed, reclaimed + 1);
    assert_int_equal(stats(rt).arenas_in_use, NA - 1);
    assert_int_equal(a1->state, PMI_ARENA_UNUSED);
    check_ok(rt);
    for (int i = 0; i < PER_ARENA * NA; i++) pm_free(rt, p[i]);
    /* An idle pool (the last of its class: 48 and 512 bytes here) may pin
     * an arena until a trim. */
    assert_true(stats(rt).arenas_in_use <= 2);
    pm_trim(rt);
    assert_int_equal(stats(rt).arenas_in_use, 0);
    assert_int_equal(stats(rt).arenas_highwater, NA);
    free(p);
    pm_runtime_free(rt);
}

/* The reserve adapts: a heap that shrinks and grows back keeps its arenas
 * the second time (no page faults), a single spike does not grow the limit
 * (its arenas are only held as surplus until the next trim), and arenas
 * nobody needs decay back to the OS. */
static void test_adaptive_reserve(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    enum { N = 20 * 21845 }; /* ~20 arenas of 48-byte blocks */
    void **p = malloc(sizeof(void *) * N);
    for (int round = 0; round < 3; round++) {
        size_t allocated = stats(rt).arenas_allocated;
        for (int i = 0; i < N; i++) p[i] = pm_malloc(rt, 48);
        size_t taken = stats(rt).arenas_allocated - allocated;
        for (int i = 0; i < N; i++) pm_free(rt, p[i]);
        pm_alloc_stats s = stats(rt);
        if (round == 0) {
            /* a first spike: the limit stays at its floor of 2; everything
             * beyond it is surplus, held until the trim after a full
             * collection gives it back (with half of the rest) */
            assert_true(taken >= 20);
            assert_int_equal(rt->mem.reserve_max, rt->mem.reserve_base);
            assert_true(s.arenas_reserved >= 18);
            pmi_mem_trim_after_full_gc(rt);
            assert_true(stats(rt).arenas_reserved <= 1);
        } else if (round == 1) {
            /* it grew back from the OS: the limit grew with it and keeps
             * the arenas */
            assert_true(taken >= 17);
            assert_true(rt->mem.reserve_max >= 15);
            assert_true(s.arenas_reserved >= 15);
        } else {
            /* the third build found its arenas in the reserve */
            assert_true(taken <= 1);
            assert_true(s.arenas_reserved >= 15);
        }
        check_ok(rt);
    }
    /* Decay: many arena events that never need the reserve's depth. */
    size_t before = stats(rt).arenas_reserved;
    enum { M = 21845 + 100 }; /* a little more than one arena */
    for (int cycle = 0; cycle < 400; cycle++) {
        for (int i = 0; i < M; i++) p[i] = pm_malloc(rt, 48);
        for (int i = 0; i < M; i++) pm_free(rt, p[i]);
    }
    size_t after = stats(rt).arenas_reserved;
    assert_true(after < before / 2);
    pm_trim(rt);
    assert_int_equal(stats(rt).arenas_reserved, 0);
    assert_int_equal(rt->mem.reserve_max, rt->mem.reserve_base);
    free(p);
    pm_runtime_free(rt);
}

/* A heap freed and built again, over and over (bench-alloc list48's
 * rounds), is built from its own arenas every time after the first: none
 * goes back to the OS in between, nor do their pools, so no page faults
 * again.  The heap spans
 * more arena events than a reserve window (PMI_RESERVE_WINDOW + limit), so
 * the low-water rule runs during each build and each free; it must not
 * judge the limit while surplus is held (it used to give 1-2% of the
 * arenas back each phase: 13 more arenas taken from the OS in round 2, 43
 * in round 6). */
static void test_rebuild_loop_keeps_arenas(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    enum { N = 120 * 21845 }; /* ~120 arenas of 48-byte blocks */
    void **p = malloc(sizeof(void *) * N);
    assert_non_null(p);
    size_t first = 0;
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < N; i++) assert_non_null(p[i] = pm_malloc(rt, 48));
        for (int i = 0; i < N; i++) pm_free(rt, p[i]);
        size_t allocated = stats(rt).arenas_allocated;
        /* The arenas emptied one after another in the frees: none was
         * trimmed half way (the arena trim queue keeps an arena that is
         * still draining), so after a rebuild what is not resident is at
         * most the part of the last arena that the first build never reached (the queue
         * used to trim every 7th arena at 5 empty pools: 112 here). */
        if (round > 0) assert_true(stats(rt).pools_released < PMI_POOLS_PER_ARENA);
        if (round == 0) {
            first = allocated;
            assert_true(first >= 120);
            assert_true(stats(rt).arenas_reserved >= 115);
        } else {
            assert_int_equal(allocated, first);
        }
    }
    check_ok(rt);
    free(p);
    pm_runtime_free(rt);
}

/* A heap of one class freed and built again: the arena taken last the
 * first time, mostly never faulted in, must not make the rebuild fault its
 * given-back pools in while resident ones are at hand; the rebuilt heap has
 * as many pools given back as the first.
 *  - Freed newest first (a linked list built by pushing), that arena
 *    empties first: neither the class's idle pool nor blocks at the bottom
 *    of its free cache may keep it in use, and it goes to the back of the
 *    reserve, so that the rebuild ends in it.
 *  - Freed oldest first, it empties last and stays in use (its blocks freed
 *    last are cached): the rebuild passes it over for the reserve's
 *    resident arenas (arena_with_resident_pool).
 * (Either way the rebuild used to fault in its 61 given-back pools and
 * leave 49 pools of a resident reserve arena unused: bench-alloc list48's
 * warm rounds 768 KiB over the first.) */
static void rebuild_refaults_nothing(int newest_first) {
    pm_runtime *rt = tu_runtime();
    enum { N = 40 * 21845 + 5000 }; /* 40 arenas of 48-byte blocks and a bit */
    void **p = malloc(sizeof(void *) * N);
    assert_non_null(p);
    size_t in_use_before = stats(rt).arenas_in_use;
    size_t released_first = 0;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) assert_non_null(p[i] = pm_malloc(rt, 48));
        size_t released = stats(rt).pools_released;
        if (round == 0) {
            released_first = released;
            assert_true(released_first >= 32); /* the last arena, barely used */
        } else {
            assert_int_equal(released, released_first);
        }
        if (newest_first)
            for (int i = N; i-- > 0;) pm_free(rt, p[i]);
        else
            for (int i = 0; i < N; i++) pm_free(rt, p[i]);
        /* One arena stays in use at most: the one holding the blocks freed
         * last, in the cache. */
        assert_true(stats(rt).arenas_in_use <= in_use_before + 1);
        check_ok(rt);
    }
    free(p);
    pm_runtime_free(rt);
}

static void test_rebuild_newest_first_refaults_nothing(void **state) {
    (void)state;
    rebuild_refaults_nothing(1);
}

static void test_rebuild_oldest_first_refaults_nothing(void **state) {
    (void)state;
    rebuild_refaults_nothing(0);
}

/* A spike: ~336 MB of small blocks of 20 classes made and freed.  Returns
 * the RSS before it. */
enum { SPIKE_N = 2000000 };
static long spike(pm_runtime *rt) {
    long before = tu_rss_kib();
    /* The pointer array from mmap: glibc's malloc, whose mmap threshold grows
     * as large blocks are freed, could keep its 16 MB resident after free. */
    void **p = mmap(NULL, sizeof(void *) * SPIKE_N, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(p != MAP_FAILED);
    for (int i = 0; i < SPIKE_N; i++) {
        p[i] = pm_malloc(rt, 16 + (size_t)(i % 20) * 16);
        memset(p[i], 1, 16);
    }
    long peak = tu_rss_kib();
    assert_true(peak - before > 200 * 1024); /* ~336 MB touched */
    for (int i = 0; i < SPIKE_N; i++) pm_free(rt, p[i]);
    munmap(p, sizeof(void *) * SPIKE_N);
    return before;
}

/* RSS back near where it started: the reserve of 2 arenas, page tables and
 * the test itself as slack. */
static void assert_rss_back(long before) {
    long after = tu_rss_kib();
    print_message("rss %ld KiB over the start\n", after - before);
    assert_true(after - before < 16 * 1024);
}

/* Memory goes back after a spike (the contract, arena.c's essay): the
 * arenas beyond the reserve limit are held resident as surplus, and go back
 * once the allocator has taken PMI_SURPLUS_PATIENCE + 64 × surplus pools
 * without needing them — here, a program going on with a small heap of its
 * own that churns pools. */
static void test_rss_returns_after_spike(void **state) {
    (void)state;
#ifdef PYMM_SANITIZE
    skip(); /* ASan's shadow memory for the poisoned blocks stays resident */
#endif
    pm_runtime *rt = tu_runtime();
    long before = spike(rt);
    /* Held: nothing went back yet, the limit did not grow. */
    size_t held = stats(rt).arenas_reserved;
    assert_true(held > 100);
    assert_int_equal(rt->mem.reserve_max, rt->mem.reserve_base);
    assert_true(tu_rss_kib() - before > 100 * 1024);
    /* Idle pools (one per class at most) may pin arenas until a trim. */
    assert_true(stats(rt).arenas_in_use <= 20);
    /* The program goes on: 10 pools of 512-byte blocks made and freed, again
     * and again.  Each round takes at least 9 pools (one may stay idle), so
     * the surplus must be gone within the bound below: the period running
     * at the spike's end (at most PATIENCE + 64 × its start surplus, which
     * was 0) and one full period after it. */
    enum { PB = 10 * 32 };
    void *q[PB];
    size_t drops = rt->mem.surplus_drops;
    size_t bound = (2 * PMI_SURPLUS_PATIENCE + 64 * held) / 9 + 2, rounds = 0;
    while (rt->mem.surplus_drops == drops && rounds < bound) {
        for (int i = 0; i < PB; i++) assert_non_null(q[i] = pm_malloc(rt, 512));
        for (int i = 0; i < PB; i++) pm_free(rt, q[i]);
        pmi_cache_flush_all(rt); /* let the pools empty, as a busy program's would */
        rounds++;
    }
    print_message("surplus of %zu arenas given back after %zu rounds (bound %zu)\n", held, rounds, bound);
    assert_true(rt->mem.surplus_drops > drops);
    assert_true(stats(rt).arenas_reserved <= 2);
    assert_rss_back(before);
    check_ok(rt);
    pm_trim(rt);
    assert_int_equal(stats(rt).arenas_in_use, 0);
    pm_runtime_free(rt);
}

/* The other two points where surplus goes back: the trim after a full
 * collection, and pm_trim. */
static void test_rss_returns_at_trims(void **state) {
    (void)state;
#ifdef PYMM_SANITIZE
    skip();
#endif
    pm_runtime *rt = tu_runtime();
    long before = spike(rt);
    assert_true(stats(rt).arenas_reserved > 100);
    pmi_mem_trim_after_full_gc(rt);
    assert_true(stats(rt).arenas_reserved <= 1);
    assert_rss_back(before);
    before = spike(rt);
    assert_true(stats(rt).arenas_reserved > 100);
    pm_trim(rt);
    assert_int_equal(stats(rt).arenas_reserved, 0);
    assert_int_equal(stats(rt).arenas_in_use, 0);
    assert_rss_back(before);
    pm_runtime_free(rt);
}

/* With no reserve at all (arena_reserve 0), nothing is held: memory goes
 * back as the frees happen, as in CPython. */
static void test_rss_returns_at_once_without_reserve(void **state) {
    (void)state;
#ifdef PYMM_SANITIZE
    skip();
#endif
    pm_config cfg;
    pm_config_init(&cfg);
    cfg.arena_reserve = 0;
    pm_runtime *rt = pm_runtime_new(&cfg);
    assert_non_null(rt);
    long before = spike(rt);
    assert_int_equal(stats(rt).arenas_reserved, 0);
    assert_rss_back(before);
    assert_true(stats(rt).arenas_in_use <= 20);
    pm_trim(rt);
    assert_int_equal(stats(rt).arenas_in_use, 0);
    pm_runtime_free(rt);
}

/* Destroying a runtime unmaps every arena and frees every large block (the
 * ASan build's leak checker sees the latter). */
static int mapped_overlaps(uintptr_t lo, uintptr_t hi) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int hit = 0;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long a, b;
        if (sscanf(line, "%lx-%lx", &a, &b) == 2 && a < hi && b > lo) hit = 1;
    }
    if (f) fclose(f);
    return hit;
}

static void test_destroy_unmaps_everything(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    for (int i = 0; i < 100000; i++) assert_non_null(pm_malloc(rt, (size_t)(i % 512)));
    for (int i = 0; i < 100; i++) assert_non_null(pm_malloc(rt, 100000)); /* left live */
    uintptr_t lo = (uintptr_t)rt->mem.regions[0].mem, hi = lo + rt->mem.regions[0].size;
    uintptr_t mlo = (uintptr_t)rt->mem.regions[0].meta, mhi = mlo + rt->mem.regions[0].meta_size;
    assert_true(mapped_overlaps(lo, hi));
    assert_true(mapped_overlaps(mlo, mhi));
    pm_runtime_free(rt);
    assert_false(mapped_overlaps(lo, hi));
    assert_false(mapped_overlaps(mlo, mhi));
}

/* The fault hook: the nth allocation fails, or every one after it. */
static void test_fault_injection(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_fault_inject(rt, 3, 0);
    void *a = pm_malloc(rt, 10), *b = pm_calloc(rt, 1, 1000);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(pm_malloc(rt, 10)); /* third */
    assert_int_equal(pm_fault_fired(rt), 1);
    void *c = pm_malloc(rt, 10); /* transient: the next succeeds */
    assert_non_null(c);
    pm_fault_inject(rt, 2, 1);
    void *d = pm_realloc(rt, NULL, 8);
    assert_non_null(d);
    assert_null(pm_realloc(rt, a, 5000)); /* a stays valid */
    assert_null(pm_malloc(rt, 1));
    assert_null(pm_calloc(rt, 2, 2));
    assert_int_equal(pm_fault_fired(rt), 3);
    pm_fault_inject(rt, 0, 0);
    assert_int_equal(pm_fault_fired(rt), 0);
    void *e = pm_malloc(rt, 1);
    assert_non_null(e);
    pm_free(rt, a);
    pm_free(rt, b);
    pm_free(rt, c);
    pm_free(rt, d);
    pm_free(rt, e);
    pm_alloc_stats s = stats(rt);
    assert_int_equal(s.small_bytes_in_use, 0);
    assert_int_equal(s.large_blocks, 0);
    pm_runtime_free(rt);
}

/* Statistics: counts follow the allocations; the table prints like CPython's. */
static void test_stats(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    void *p[100];
    for (int i = 0; i < 100; i++) p[i] = pm_malloc(rt, 33); /* class 2, 48 bytes */
    void *big = pm_malloc(rt, 10000);
    pm_alloc_stats s = stats(rt);
    assert_int_equal(s.size_class[2].block_size, 48);
    assert_int_equal(s.size_class[2].pools, 1);
    assert_int_equal(s.size_class[2].blocks_in_use, 100);
    assert_int_equal(s.size_class[2].blocks_free, 16384 / 48 - 100);
    assert_int_equal(s.small_bytes_in_use, 4800);
    assert_int_equal(s.large_blocks, 1);
    assert_int_equal(s.large_bytes, 10000);
    assert_int_equal(s.arenas_in_use, 1);
    assert_int_equal(s.bytes_mapped, 1 << 20);
    char buf[8192];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    pm_alloc_stats_print(rt, f);
    fclose(f);
    assert_non_null(strstr(buf, "Small block threshold = 512, in 32 size classes."));
    assert_non_null(strstr(buf, "class   size   num pools   blocks in use  avail blocks"));
    assert_non_null(strstr(buf, "    2     48           1             100           241"));
    assert_non_null(strstr(buf, "# arenas allocated total           =                    1"));
    assert_non_null(strstr(buf, "1 arenas * 1048576 bytes/arena     =            1,048,576"));
    for (int i = 0; i < 100; i++) pm_free(rt, p[i]);
    pm_free(rt, big);
    s = stats(rt);
    assert_int_equal(s.small_bytes_in_use, 0);
    assert_int_equal(s.large_bytes, 0);
    pm_runtime_free(rt);
}

/* Options parse from the environment and reject bad values. */
static void test_config_env(void **state) {
    (void)state;
    pm_config cfg;
    pm_config_init(&cfg);
    const char *err = NULL;
    setenv("PYMM_ARENA_RESERVE", "7", 1);
    setenv("PYMM_DEBUG_ALLOC", "1", 1);
    assert_int_equal(pm_config_from_env(&cfg, &err), 0);
    assert_int_equal(cfg.arena_reserve, 7);
    assert_int_equal(cfg.debug_alloc, 1);
    setenv("PYMM_DEBUG_ALLOC", "yes", 1);
    assert_int_equal(pm_config_from_env(&cfg, &err), -1);
    assert_string_equal(err, "PYMM_DEBUG_ALLOC");
    unsetenv("PYMM_ARENA_RESERVE");
    unsetenv("PYMM_DEBUG_ALLOC");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_classes),
        cmocka_unit_test(test_malloc_zero_unique),
        cmocka_unit_test(test_calloc_rules),
        cmocka_unit_test(test_realloc_moves),
        cmocka_unit_test(test_foreign_pointer_to_system),
        cmocka_unit_test(test_pool_reuse_across_classes),
        cmocka_unit_test(test_idle_pool_retired_by_others),
        cmocka_unit_test(test_arena_order_and_release),
        cmocka_unit_test(test_adaptive_reserve),
        cmocka_unit_test(test_rebuild_loop_keeps_arenas),
        cmocka_unit_test(test_rebuild_newest_first_refaults_nothing),
        cmocka_unit_test(test_rebuild_oldest_first_refaults_nothing),
        cmocka_unit_test(test_rss_returns_after_spike),
        cmocka_unit_test(test_rss_returns_at_trims),
        cmocka_unit_test(test_rss_returns_at_once_without_reserve),
        cmocka_unit_test(test_destroy_unmaps_everything),
        cmocka_unit_test(test_fault_injection),
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_config_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
