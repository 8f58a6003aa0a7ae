/* Issue 16, allocator: the per-class free caches and the class map (a free
 * touches no pool descriptor), and the rate-limited trim after full
 * collections (pmi_mem_trim_after_full_gc). */
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

static unsigned cached(pm_runtime *rt, unsigned c) {
    return pmi_cache_held(&rt->mem, c);
}

/* A free goes to the class's cache: the pool still counts the block as in
 * use, the next request of the class gets it back, and the class map agrees
 * with the descriptor. */
static void test_free_goes_to_cache(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    void *keep = pm_malloc(rt, 100);     /* class 6 */
    void *p = pm_malloc(rt, 100);
    pmi_pool *pool = pmi_pool_of(rt, p);
    assert_non_null(pool);
    assert_int_equal(pool->szidx, 6);
    assert_int_equal(pmi_pool_arena(&rt->mem, pool)->classes[pmi_pool_slot(&rt->mem, pool)], 6);
    assert_int_equal(pool->ref, 2);
    pm_free(rt, p);
    assert_int_equal(pool->ref, 2);      /* not given back to the pool */
    assert_int_equal(cached(rt, 6), 1);
    assert_ptr_equal(rt->mem.cache[6], p);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    /* The same class takes it back; another class does not. */
    void *q = pm_malloc(rt, 20);
    assert_ptr_not_equal(q, p);
    void *r = pm_malloc(rt, 97);
    assert_ptr_equal(r, p);
    assert_int_equal(cached(rt, 6), 0);
    pm_free(rt, r);
    pm_free(rt, q);
    /* Statistics give cached blocks back first: only `keep` is in use. */
    pm_alloc_stats s = stats(rt);
    assert_int_equal(s.small_bytes_in_use, 112);
    assert_int_equal(s.size_class[6].blocks_in_use, 1);
    assert_int_equal(pool->ref, 1);
    assert_int_equal(cached(rt, 6), 0);
    pm_free(rt, keep);
    pm_trim(rt);
    assert_int_equal(stats(rt).arenas_in_use, 0);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    pm_runtime_free(rt);
}

/* A cache never holds more than its bound: when its hot half is full, the
 * cold half (the older blocks) goes back to the pools and the hot half
 * becomes the cold one.  Requests take the most recent blocks first, then
 * the cold half. */
static void test_cache_bound(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    for (unsigned c = 0; c < PMI_NUM_SIZE_CLASSES; c += 5) {
        unsigned half = pmi_cache_half(c);
        assert_true(half >= 1);
        unsigned n = 6 * half + 3;
        void **p = malloc(n * sizeof *p);
        for (unsigned i = 0; i < n; i++) p[i] = pm_malloc(rt, pmi_class_size(c));
        unsigned most = 0;
        for (unsigned i = 0; i < n; i++) {
            pm_free(rt, p[i]);
            unsigned k = cached(rt, c);
            assert_true(k < 2 * half);
            if (k > most) most = k;
            if (i % 97 == 0) assert_int_equal(pm_alloc_check(rt, stderr), 0);
        }
        assert_int_equal(most, 2 * half - 1);
        /* The cold half holds the `half` blocks freed before the last three. */
        assert_int_equal(cached(rt, c), half + 3);
        /* Requests get the hot blocks back newest first; then the pools
         * serve (they have free blocks), and the cold half waits. */
        for (unsigned i = 0; i < 3; i++) assert_ptr_equal(pm_malloc(rt, pmi_class_size(c)), p[n - 1 - i]);
        assert_int_equal(cached(rt, c), half);
        assert_int_equal(pm_alloc_check(rt, stderr), 0);
        for (unsigned i = 0; i < 3; i++) pm_free(rt, p[n - 1 - i]);
        /* The blocks in the pools plus those in the cache are all of them. */
        pm_alloc_stats s = stats(rt);
        assert_int_equal(s.size_class[c].blocks_in_use, 0);
        free(p);
    }
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    pm_runtime_free(rt);
}

/* With no pool of its class holding a free block, a request takes the
 * cold half over (newest first) before it starts a new pool. */
static void test_cache_cold_half_taken_over(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    unsigned c = PMI_NUM_SIZE_CLASSES - 1, half = pmi_cache_half(c), cap = pmi_pool_capacity(c);
    assert_null(rt->mem.usedpools[c]); /* the runtime itself uses no 512-byte block */
    void **p = malloc(cap * sizeof *p);
    for (unsigned i = 0; i < cap; i++) p[i] = pm_malloc(rt, pmi_class_size(c));
    assert_null(rt->mem.usedpools[c]); /* one pool, full */
    for (unsigned i = 0; i < half; i++) pm_free(rt, p[i]); /* the hot half fills and turns cold */
    assert_int_equal(cached(rt, c), half);
    assert_null(rt->mem.cache[c]);
    assert_non_null(rt->mem.cache_cold[c]);
    assert_null(rt->mem.usedpools[c]); /* cached blocks count as in use */
    for (unsigned i = half; i-- > 0;) assert_ptr_equal(pm_malloc(rt, pmi_class_size(c)), p[i]);
    assert_int_equal(cached(rt, c), 0);
    assert_null(rt->mem.usedpools[c]); /* no new pool was started */
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    for (unsigned i = 0; i < cap; i++) pm_free(rt, p[i]);
    free(p);
    pm_runtime_free(rt);
}

/* Draining pools (pool.c): three full pools of 512-byte blocks and a fourth
 * with one block; half of the second pool's blocks go to the cache, then
 * half of the third's, whose overflow gives the second's back: that pool,
 * now half free and not its class's only pool, starts draining.  Returns
 * the blocks (3 * cap + 1) and the draining pool. */
static pmi_pool *start_draining(pm_runtime *rt, void ***blocks) {
    unsigned c = PMI_NUM_SIZE_CLASSES - 1, half = pmi_cache_half(c), cap = pmi_pool_capacity(c);
    assert_true(half >= 4 && half <= cap / 2);
    assert_null(rt->mem.usedpools[c]); /* the runtime itself uses no 512-byte block */
    void **p = malloc((3 * cap + 1) * sizeof *p);
    for (unsigned i = 0; i < 3 * cap + 1; i++) p[i] = pm_malloc(rt, pmi_class_size(c));
    pmi_pool *second = pmi_pool_of(rt, p[cap]), *fourth = pmi_pool_of(rt, p[3 * cap]);
    assert_ptr_equal(rt->mem.usedpools[c], fourth);
    for (unsigned i = 0; i < half; i++) pm_free(rt, p[cap + i]);     /* cached, turned cold */
    assert_null(rt->mem.draining[c]);
    for (unsigned i = 0; i < half; i++) pm_free(rt, p[2 * cap + i]); /* the cold half goes back */
    assert_int_equal(second->ref, cap - half);
    assert_ptr_equal(rt->mem.draining[c], second);
    assert_ptr_equal(rt->mem.usedpools[c], fourth); /* out of usedpools */
    assert_null(fourth->next);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    *blocks = p;
    return second;
}

static int in_pool(pm_runtime *rt, const void *b, const pmi_pool *pool) {
    return pmi_pool_of(rt, b) == pool;
}

/* A draining pool takes no request, its frees skip the cache, and it goes
 * back to its arena when its last block is freed.  (Without draining, the
 * pool rejoins usedpools at the front and serves the next requests, and its
 * last blocks sit in the cache, counted as in use.) */
static void test_draining_pool_empties(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    unsigned c = PMI_NUM_SIZE_CLASSES - 1, half = pmi_cache_half(c), cap = pmi_pool_capacity(c);
    void **p;
    pmi_pool *second = start_draining(rt, &p);
    size_t free_before = stats(rt).pools_free;
    void *q[8];
    for (unsigned i = 0; i < 8; i++) {
        q[i] = pm_malloc(rt, pmi_class_size(c));
        assert_false(in_pool(rt, q[i], second));
    }
    unsigned held = cached(rt, c);
    for (unsigned i = half; i < cap; i++) {
        pm_free(rt, p[cap + i]);
        assert_int_equal(cached(rt, c), held); /* straight back, not cached */
    }
    assert_null(rt->mem.draining[c]);
    assert_int_equal(second->ref, 0);
    const pmi_arena *ar = pmi_pool_arena(&rt->mem, second);
    assert_true(ar->free_pools >> (second - ar->pools) & 1);
    assert_int_equal(stats(rt).pools_free, free_before + 1);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    for (unsigned i = 0; i < 8; i++) pm_free(rt, q[i]);
    for (unsigned i = 0; i < 3 * cap + 1; i++)
        if (i < cap || i >= 2 * cap + half) pm_free(rt, p[i]);
    free(p);
    pm_runtime_free(rt);
}

/* A class that runs out of pools with free blocks (and of cached ones)
 * takes its draining pool back before it starts a new one: draining never
 * holds more memory than not draining. */
static void test_draining_pool_serves_when_class_runs_out(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    unsigned c = PMI_NUM_SIZE_CLASSES - 1, half = pmi_cache_half(c), cap = pmi_pool_capacity(c);
    void **p;
    pmi_pool *second = start_draining(rt, &p);
    size_t arenas = rt->mem.arenas_current, in_use = stats(rt).pools_in_use;
    /* The fourth pool's free blocks, then the cold half (the third pool's),
     * then the draining pool. */
    unsigned n = (cap - 1) + half + 1;
    void **q = malloc(n * sizeof *q);
    for (unsigned i = 0; i < n; i++) {
        q[i] = pm_malloc(rt, pmi_class_size(c));
        assert_int_equal(in_pool(rt, q[i], second), i == n - 1);
    }
    assert_null(rt->mem.draining[c]);
    assert_ptr_equal(rt->mem.usedpools[c], second);
    assert_int_equal(second->ref, cap - half + 1);
    assert_int_equal(stats(rt).pools_in_use, in_use); /* no new pool */
    assert_int_equal(rt->mem.arenas_current, arenas);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    for (unsigned i = 0; i < n; i++) pm_free(rt, q[i]);
    for (unsigned i = 0; i < 3 * cap + 1; i++)
        if (i < cap || (i >= cap + half && i < 2 * cap) || i >= 2 * cap + half) pm_free(rt, p[i]);
    free(q);
    free(p);
    pm_runtime_free(rt);
}

/* On a random heap, pools drain: 100,000 blocks of 16-512 bytes replaced at
 * random 4M times end within 4% of the pools their classes need (53 pools
 * over 1,692 with draining; 79 without, the free caches reusing scattered
 * frees so that a shrinking class's pools hardly ever empty). */
static void test_random_heap_pools_drain(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    enum { N = 100000, OPS = 4000000 };
    void **p = malloc(N * sizeof *p);
    unsigned short *size = malloc(N * sizeof *size);
    uint64_t rng = 88172645463325252u;
    for (int i = 0; i < N; i++) {
        size[i] = (unsigned short)(16 + tu_rand(&rng) % 497);
        p[i] = pm_malloc(rt, size[i]);
    }
    for (int k = 0; k < OPS; k++) {
        int i = (int)(tu_rand(&rng) % N);
        pm_free(rt, p[i]);
        size[i] = (unsigned short)(16 + tu_rand(&rng) % 497);
        p[i] = pm_malloc(rt, size[i]);
        assert_non_null(p[i]);
    }
    size_t count[PMI_NUM_SIZE_CLASSES] = {0}, need = 0;
    for (int i = 0; i < N; i++) count[pmi_size_class(size[i])]++;
    for (unsigned c = 0; c < PMI_NUM_SIZE_CLASSES; c++)
        need += (count[c] + pmi_pool_capacity(c) - 1) / pmi_pool_capacity(c);
    size_t in_use = stats(rt).pools_in_use;
    print_message("random heap: %zu pools in use, %zu needed\n", in_use, need);
    assert_true(in_use >= need);
    assert_true(in_use - need <= need / 25);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    for (int i = 0; i < N; i++) pm_free(rt, p[i]);
    free(size);
    free(p);
    pm_runtime_free(rt);
}

/* Memory still goes back through the caches: a scattered free followed by
 * pm_trim leaves nothing in use, and blocks reused from a cache keep their
 * data untouched by the allocator beyond the link word. */
static void test_cache_roundtrip_and_trim(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    enum { N = 50000 };
    unsigned char **p = malloc(N * sizeof *p);
    uint64_t rng = 7;
    for (int i = 0; i < N; i++) {
        size_t n = 16 + (size_t)(tu_rand(&rng) % 497);
        p[i] = pm_malloc(rt, n);
        memset(p[i], (int)(i & 0xff), n);
    }
    for (int k = 0; k < 4 * N; k++) {   /* random replace */
        int i = (int)(tu_rand(&rng) % N);
        pm_free(rt, p[i]);
        size_t n = 16 + (size_t)(tu_rand(&rng) % 497);
        p[i] = pm_malloc(rt, n);
        assert_non_null(p[i]);
        memset(p[i], 0x5a, n);
        if (k % 40000 == 0) assert_int_equal(pm_alloc_check(rt, stderr), 0);
    }
    for (int i = 0; i < N; i++) pm_free(rt, p[i]);
    free(p);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    pm_alloc_stats s = stats(rt);
    assert_int_equal(s.small_bytes_in_use, 0);
    pm_trim(rt);
    assert_int_equal(stats(rt).arenas_in_use, 0);
    for (unsigned c = 0; c < PMI_NUM_SIZE_CLASSES; c++) assert_int_equal(cached(rt, c), 0);
    pm_runtime_free(rt);
}

/* A heap that grew since the previous full collection is not trimmed, its
 * rate limit untouched: it is about to use what the trim would give back.
 * Once it shrinks, the next full collection trims. */
static void test_gc_trim_skips_growing_heap(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pmi_mem *a = &rt->mem;
    enum { N = 200000 };  /* ~12 MiB of 64-byte blocks: 12 arenas */
    void **p = malloc(2 * N * sizeof *p);
    for (int i = 0; i < N; i++) p[i] = pm_malloc(rt, 64);
    for (int i = 0; i < N; i++) pm_free(rt, p[i]);        /* the reserve holds them */
    (void)pmi_mem_trim_after_full_gc(rt);                  /* the first call: a trim */
    size_t trims = a->gc_trims;
    unsigned interval = a->gc_trim_interval, countdown = a->gc_trim_countdown;
    for (int round = 0; round < 3; round++) {              /* growing: collections during the build */
        for (int i = round * (2 * N / 3); i < (round + 1) * (2 * N / 3); i++) p[i] = pm_malloc(rt, 64);
        assert_int_equal(pmi_mem_trim_after_full_gc(rt), 0);
        assert_int_equal(a->gc_trims, trims);
        assert_int_equal(a->gc_trim_interval, interval);
        assert_int_equal(a->gc_trim_countdown, countdown);
    }
    for (int i = 0; i < 3 * (2 * N / 3); i++)
        if (i % 1024) pm_free(rt, p[i]);                   /* shrinks */
    assert_int_equal(countdown, 1);                       /* the first trim gave back the reserve's half */
    (void)pmi_mem_trim_after_full_gc(rt);
    assert_int_equal(a->gc_trims, trims + 1);
    for (int i = 0; i < 3 * (2 * N / 3); i += 1024) pm_free(rt, p[i]);
    free(p);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    pm_runtime_free(rt);
}

/* A steady heap: the trim after a full collection finds little, and the
 * rate limit doubles its interval, up to PMI_GC_TRIM_MAX_INTERVAL.  Then the
 * heap shrinks (whole pools empty, one live block per 64 pools): the next
 * due trim gives back the empty pools that page return's hysteresis kept
 * resident, and the interval resets to 1. */
static void test_gc_trim_rate_limit(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pmi_mem *a = &rt->mem;
    enum { N = 1000000, KEEP = 64 * 256 };
    void **p = malloc(N * sizeof *p);
    for (int i = 0; i < N; i++) p[i] = pm_malloc(rt, 64);
    /* trims on calls 1, 3, 7, 15, 31, 47, 63 */
    unsigned trims_at[16], nt = 0;
    for (unsigned call = 1; call <= 64; call++) {
        size_t before = a->gc_trims;
        size_t bytes = pmi_mem_trim_after_full_gc(rt);
        assert_true(bytes < PMI_GC_TRIM_MIN_BYTES);
        if (a->gc_trims != before) {
            assert_true(nt < 16);
            trims_at[nt++] = call;
        }
    }
    static const unsigned expect[] = {1, 3, 7, 15, 31, 47, 63};
    assert_int_equal(nt, sizeof expect / sizeof expect[0]);
    for (unsigned i = 0; i < nt; i++) assert_int_equal(trims_at[i], expect[i]);
    assert_int_equal(a->gc_trim_interval, PMI_GC_TRIM_MAX_INTERVAL);
    for (int i = 0; i < N; i++)
        if (i % KEEP) pm_free(rt, p[i]);
    size_t resident0 = stats(rt).bytes_resident;
    size_t got = 0;
    unsigned calls = 0;
    while (!got && calls < PMI_GC_TRIM_MAX_INTERVAL) {
        got = pmi_mem_trim_after_full_gc(rt);
        calls++;
    }
    assert_true(got >= PMI_GC_TRIM_MIN_BYTES);
    assert_int_equal(calls, PMI_GC_TRIM_MAX_INTERVAL - 1); /* due on call 79 */
    assert_int_equal(a->gc_trim_interval, 1);
    assert_true(stats(rt).bytes_resident + PMI_GC_TRIM_MIN_BYTES <= resident0);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    for (int i = 0; i < N; i += KEEP) pm_free(rt, p[i]);
    free(p);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    pm_runtime_free(rt);
}

/* The collector calls the trim at the end of each generation-2 collection
 * only; with page return off the trim does nothing. */
static void test_gc_full_collection_trims(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t t0 = rt->mem.gc_trims;
    pm_gc_collect(rt, 0);
    pm_gc_collect(rt, 1);
    assert_int_equal(rt->mem.gc_trims, t0);
    pm_gc_collect(rt, 2);
    assert_int_equal(rt->mem.gc_trims, t0 + 1);
    pm_runtime_free(rt);

    pm_config cfg;
    pm_config_init(&cfg);
    cfg.page_return = 0;
    rt = pm_runtime_new(&cfg);
    assert_non_null(rt);
    for (int i = 0; i < 40; i++) pm_gc_collect(rt, 2);
    assert_int_equal(rt->mem.gc_trims, 0);
    pm_runtime_free(rt);
}

/* Under fault injection the paths that meet a cache (free, malloc from the
 * cache, flush, trims) fail cleanly: an injected failure returns NULL and
 * leaves the cache and pools consistent. */
static void test_cache_under_faults(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    void *p[64];
    for (int i = 0; i < 64; i++) p[i] = pm_malloc(rt, 48);
    for (int i = 0; i < 64; i += 2) pm_free(rt, p[i]);
    pm_fault_inject(rt, 1, 0);
    assert_null(pm_malloc(rt, 48));      /* fails even with blocks cached */
    assert_int_equal(pm_fault_fired(rt), 1);
    void *q = pm_malloc(rt, 48);         /* then comes from the cache */
    assert_ptr_equal(q, p[62]);
    pm_free(rt, q);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    for (int i = 1; i < 64; i += 2) pm_free(rt, p[i]);
    assert_int_equal(stats(rt).small_bytes_in_use, 0);
    pm_runtime_free(rt);
}

/* Is every 4 KiB page of [p, p+size) resident? */
static int all_resident(void *p, size_t size) {
    unsigned char vec[PMI_POOLS_PER_ARENA * PMI_PAGES_PER_POOL];
    assert_true(size / PMI_PAGE_SIZE <= sizeof vec);
    assert_int_equal(mincore(p, size, vec), 0);
    for (size_t i = 0; i < size / PMI_PAGE_SIZE; i++)
        if (!(vec[i] & 1)) return 0;
    return 1;
}

/* Arenas past the first PMI_POPULATE_AFTER_ARENAS are faulted in
 * (MADV_POPULATE_WRITE) PMI_POPULATE_POOLS pools at a time, as pools are
 * taken: the pools of a run count as resident and are, before any block of
 * theirs is touched, and the arena's later pools stay untouched.  The first
 * arenas fault lazily.  A kernel without the call (before 5.14) gets lazy
 * arenas throughout. */
static void test_populate_after_first_arenas(void **state) {
    (void)state;
    void *probe = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(probe != MAP_FAILED);
    int kernel_can = madvise(probe, 1 << 16, 23 /* MADV_POPULATE_WRITE */) == 0;
    munmap(probe, 1 << 16);
    pm_runtime *rt = tu_runtime();
    enum { PER_ARENA = 64 * 32 };      /* 512-byte blocks: 32 per pool */
    int n = (PMI_POPULATE_AFTER_ARENAS + 3) * PER_ARENA;
    void **p = malloc((size_t)n * sizeof *p);
    for (int i = 0; i < n; i++) p[i] = pm_malloc(rt, 512);
    void *last = pm_malloc(rt, 512);   /* opens one more arena */
    pmi_pool *first_pool = pmi_pool_of(rt, p[0]);
    pmi_pool *last_pool = pmi_pool_of(rt, last);
    assert_ptr_not_equal(pmi_pool_arena(&rt->mem, first_pool), pmi_pool_arena(&rt->mem, last_pool));
    pmi_arena *ar = pmi_pool_arena(&rt->mem, last_pool);
    assert_ptr_equal(last_pool, &ar->pools[0]);
    size_t run = (size_t)PMI_POPULATE_POOLS * PMI_POOL_SIZE;
    if (kernel_can) {
        /* The run: pools 0..PMI_POPULATE_POOLS-1, resident and counted so,
         * although only pool 0's first block was written. */
        assert_int_equal(ar->released_pools, ~(uint64_t)0 << PMI_POPULATE_POOLS);
        assert_true(all_resident(ar->mem, run));
        assert_int_equal(stats(rt).bytes_mapped - stats(rt).bytes_resident,
                         (PMI_POOLS_PER_ARENA - PMI_POPULATE_POOLS) * PMI_POOL_SIZE);
        /* The next run starts when the run's pools are all taken. */
        void **q = malloc((size_t)PMI_POPULATE_POOLS * 32 * sizeof *q);
        for (int i = 0; i < PMI_POPULATE_POOLS * 32; i++) q[i] = pm_malloc(rt, 512);
        assert_int_equal(ar->released_pools, ~(uint64_t)0 << (2 * PMI_POPULATE_POOLS));
        assert_true(all_resident(ar->mem + run, run));
        assert_false(all_resident(ar->mem + 2 * run, PMI_POOL_SIZE));
        for (int i = 0; i < PMI_POPULATE_POOLS * 32; i++) pm_free(rt, q[i]);
        free(q);
    } else {
        assert_int_equal(__builtin_popcountll(ar->released_pools), PMI_POOLS_PER_ARENA - 1);
    }
    /* A small runtime stays lazy: its first arena has untouched pools. */
    pm_runtime *small = tu_runtime();
    void *q = pm_malloc(small, 16);
    pmi_pool *qp = pmi_pool_of(small, q);
    assert_int_equal(__builtin_popcountll(pmi_pool_arena(&small->mem, qp)->released_pools), PMI_POOLS_PER_ARENA - 1);
    pm_free(small, q);
    pm_runtime_free(small);
    pm_free(rt, last);
    for (int i = 0; i < n; i++) pm_free(rt, p[i]);
    free(p);
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_goes_to_cache),
        cmocka_unit_test(test_cache_bound),
        cmocka_unit_test(test_cache_cold_half_taken_over),
        cmocka_unit_test(test_draining_pool_empties),
        cmocka_unit_test(test_draining_pool_serves_when_class_runs_out),
        cmocka_unit_test(test_random_heap_pools_drain),
        cmocka_unit_test(test_cache_roundtrip_and_trim),
        cmocka_unit_test(test_gc_trim_rate_limit),
        cmocka_unit_test(test_gc_trim_skips_growing_heap),
        cmocka_unit_test(test_gc_full_collection_trims),
        cmocka_unit_test(test_cache_under_faults),
        cmocka_unit_test(test_populate_after_first_arenas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
