/*
 * mem.h — the allocator's state (rt->mem) and internal interface, grouped
 * by the defining file: mem.c (the choke point), debug.c (debug mode),
 * pool.c (the raw layer; its inline fast paths are in pool.h), arena.c
 * (arenas and regions), stats.c (statistics and the consistency check).
 * Calls go down that list only, never back up.  The tunables are config.h's.
 *
 * Glossary
 *   region  address space reserved in one mmap (16 GiB), carved into arenas;
 *           ownership of a pointer = "it lies inside one of our regions".
 *   arena   1 MiB of a region, 64 pools; the unit the allocator takes from and
 *           returns to the OS.
 *   pool    16 KiB of an arena, serving blocks of one size class; its
 *           descriptor (pmi_pool) lives outside it, in the region's table.
 *   block   one small allocation; free blocks are chained through their first
 *           word.
 *   large   a request over 512 bytes: the system allocator's block, recorded
 *           in a pointer table so that statistics are exact and the runtime
 *           can free it on teardown.
 *
 * Pool states (as CPython's obmalloc):
 *   used    some blocks in use and some free: linked in usedpools[class]
 *   full    no free block: linked nowhere; the next free relinks it
 *   empty   no block in use: its bit is set in the arena's free_pools
 */
#ifndef PYMM_ALLOC_H
#define PYMM_ALLOC_H

#include <stdint.h>
#include <stddef.h>
#include "config.h"

typedef struct pmi_block {
    struct pmi_block *next;     /* next free block of the pool, or NULL */
} pmi_block;

struct pmi_arena;

/* One pool descriptor: 32 bytes, in the region's descriptor table.  Its
 * place in the table gives the pool's memory and arena (pmi_pool_mem,
 * pmi_pool_arena), so neither is stored: a heap of 270 MiB has 17K pools,
 * and each byte of descriptor costs 17 KiB of resident memory. */
typedef struct pmi_pool {
    pmi_block *freeblock;       /* head of the pool's free list (NULL: full) */
    struct pmi_pool *next;      /* usedpools[class] list while in state used */
    struct pmi_pool *prev;
    uint16_t ref;               /* blocks in use */
    uint8_t szidx;              /* size class: blocks of (szidx+1)*16 bytes */
    uint8_t released;           /* bit i: page i of the pool given back to the
                                   OS; its free blocks are not on freeblock */
    uint16_t nextoffset;        /* offset of the first never-used block;
                                   PMI_POOL_SIZE when none is left */
    uint16_t trim_at;           /* page return: when a free brings ref down to
                                   this, the pool's free pages are given back
                                   and trim_at drops to a quarter (0: off);
                                   armed when the pool starts and when it takes
                                   its given-back pages again (recarve) */
} pmi_pool;
_Static_assert(sizeof(pmi_pool) == 32, "a pool descriptor is 32 bytes: two to a cache line");

enum pmi_arena_state {
    PMI_ARENA_UNUSED = 0,       /* slot not backed: on unused list or never used */
    PMI_ARENA_IN_USE,           /* holds at least one pool in use, or is fresh */
    PMI_ARENA_RESERVE           /* all pools free, kept resident for reuse */
};

/* One arena descriptor, in the region's descriptor table. */
typedef struct pmi_arena {
    char *mem;                  /* first byte of the arena's 1 MiB */
    pmi_pool *pools;            /* its 64 pool descriptors */
    uint8_t *classes;           /* its 64 bytes of the region's class map */
    uint64_t free_pools;        /* bit i: pool i is empty */
    uint64_t released_pools;    /* bit i: empty pool i given back to the OS */
    unsigned nfreepools;        /* popcount(free_pools) */
    unsigned state;             /* enum pmi_arena_state */
    int queued;                 /* in rt->mem.trim_arenas: its nfreepools when
                                   queued (always > 0); 0: not queued */
    int nohuge;                 /* pages were given back inside it: huge pages
                                   are turned off for it (MADV_NOHUGEPAGE), so
                                   that khugepaged does not fill them again */
    int populate;               /* fresh from the OS while the heap grows: a
                                   given-back pool taken from it is faulted in
                                   with the next few, PMI_POPULATE_POOLS in
                                   one system call (config.h) */
    struct pmi_arena *next;     /* usable_arenas (sorted), reserve or unused list */
    struct pmi_arena *prev;     /* usable_arenas only */
} pmi_arena;

/* A reserved stretch of address space and its descriptor tables. */
typedef struct pmi_region {
    char *mem;                  /* 2 MiB-aligned base */
    size_t size;                /* bytes reserved */
    pmi_pool *pools;            /* size / 16 KiB descriptors, touched lazily */
    uint8_t *classes;           /* class map: one byte per pool, its size class
                                   (valid while the pool is in use); the free
                                   fast path reads it instead of the descriptor */
    pmi_arena *arenas;          /* size / 1 MiB descriptors, touched lazily */
    void *meta;                 /* the mapping holding both tables */
    size_t meta_size;
    size_t narenas;             /* arena slots in the region */
    size_t next_fresh;          /* slots [next_fresh, narenas) never used */
} pmi_region;

/* The large-block table: open addressing on the pointer, tombstones on
 * delete, grown at 50% load. */
typedef struct pmi_large_entry {
    void *ptr;                  /* NULL: empty; PMI_LARGE_TOMBSTONE: deleted */
    size_t size;                /* bytes requested */
} pmi_large_entry;

typedef struct pmi_large_table {
    pmi_large_entry *slots;
    size_t mask;                /* capacity - 1 (capacity a power of two) */
    size_t used;                /* live entries */
    size_t filled;              /* live + tombstones */
    size_t bytes;               /* sum of live sizes */
} pmi_large_table;

/* State of debug mode (debug.c). */
typedef struct pmi_debug_state {
    uint64_t serial;            /* serial number of the last allocation */
    size_t bytes_requested;     /* sum of the sizes of live debug blocks */
    void *quarantine[PMI_DEBUG_QUARANTINE]; /* freed blocks awaiting reuse (ring) */
    size_t q_head;              /* next slot to fill */
    size_t q_count;             /* blocks in the ring */
    size_t q_bytes;             /* bytes requested by the blocks in the ring */
} pmi_debug_state;

/* The fault-injection hook (pm_fault_inject): SQLite's countdown. */
typedef struct pmi_fault {
    long countdown;             /* >0: allocations left before one fails; 0: off */
    long fired;                 /* allocations failed by the hook since set */
    int persistent;             /* after the first injected failure, keep failing */
} pmi_fault;

/* The trace hook (pm_mem_set_trace_hook, mem.c): tracemalloc's feed. */
struct pm_runtime;
typedef struct pmi_trace {
    int (*hook)(struct pm_runtime *, void *, void *, void *, size_t); /* NULL: off */
    void *ctx;                  /* the hook's second argument */
    int busy;                   /* the hook is running: its own allocations
                                   and frees are not reported */
} pmi_trace;

/* rt->mem: everything the allocator keeps. */
typedef struct pmi_mem {
    pmi_pool *usedpools[PMI_NUM_SIZE_CLASSES]; /* pools in state used, per class */
    int slow;                   /* nonzero: debug mode, fault hook or trace
                                   hook: take the checked path on every call */
    /* The gates of the public fast paths (mem.c), one compare each: a
     * request of n bytes is served inline when n - 1 < fast_small (512, or
     * 0 while slow: n = 0 wraps and goes the long way), a block freed inline
     * when its offset in region 0 is below fast_free_size (region0_size, or
     * 0 while slow).  Recomputed by pmi_mem_gates_update whenever slow or
     * region 0 changes. */
    size_t fast_small;
    size_t fast_free_size;
    /* The per-class free caches (pool.h): a freed block is pushed here, its
     * class read from the compact class map, and the next request of its
     * class pops it, so that neither touches the pool descriptor.  A cache
     * is two stacks of at most half of PMI_FREE_CACHE_BYTES each.  Frees
     * push on the hot one; when it is full, the cold one (the older half)
     * goes back to its pools and the hot one becomes the cold one, whole.
     * Requests pop the hot one; the cold one is taken over when neither it
     * nor a pool of the class has a free block (pool.c: pmi_pool_start).
     * So the blocks that go back are always the oldest, and no block stays
     * cached for long (pool.c: pmi_cache_overflow).  Cached blocks count as
     * in use in their pools; statistics and trims flush the caches first. */
    /* Entries PMI_NUM_SIZE_CLASSES + c belong to class c's draining pool
     * (below): its class map byte says PMI_NUM_SIZE_CLASSES + c, so the free
     * fast path pushes its blocks there, unchanged, and a room of 1 sends
     * each straight back to the pool (pmi_cache_overflow).  Requests never
     * look there. */
    pmi_block *cache[2 * PMI_NUM_SIZE_CLASSES];    /* hot: LIFO of freed blocks */
    unsigned cache_room[2 * PMI_NUM_SIZE_CLASSES]; /* blocks the hot stack may
                                                      still take before the
                                                      overflow (1..half) */
    pmi_block *cache_cold[PMI_NUM_SIZE_CLASSES]; /* cold: NULL, or exactly
                                                    half blocks */
    /* Per class, at most one pool being drained, or NULL (pool.c: "Draining
     * pools").  It is out of usedpools, so no request takes its free
     * blocks, and its frees skip the cache: it empties and goes to any
     * class, as pymalloc's pools away from the head of usedpools do. */
    pmi_pool *draining[PMI_NUM_SIZE_CLASSES];
    /* The first region's bounds and class map, copied here for the
     * ownership test on the free fast path. */
    char *region0_mem;
    size_t region0_size;
    uint8_t *region0_classes;
    pmi_region regions[PMI_MAX_REGIONS];
    unsigned nregions;

    pmi_arena *usable_arenas;   /* arenas with free pools, fullest first */
    /* nfp2lasta[n]: the last arena in usable_arenas with n free pools (or NULL),
     * so that keeping the list sorted costs O(1) per change (CPython 3.11). */
    pmi_arena *nfp2lasta[PMI_POOLS_PER_ARENA + 1];
    pmi_arena *unused_arenas;   /* slots returned to the OS, ready for reuse */
    pmi_arena *reserve_arenas;  /* empty arenas kept resident: wholly resident
                                   ones first (arena.c: reserve_push) */
    pmi_arena *reserve_tail;    /* its last arena, or NULL */
    size_t nreserve;            /* length of reserve_arenas */
    size_t reserve_base;        /* config.arena_reserve: the reserve's floor */
    size_t reserve_max;         /* current limit (adaptive, >= reserve_base):
                                   grows by one each time an arena given back
                                   is taken again, decays by the low-water rule */
    size_t reserve_low;         /* lowest nreserve seen in this window */
    int window_surplus;         /* the reserve held surplus at some arena
                                   event of this window: its low-water mark
                                   then says nothing about the limit (arena.c:
                                   reserve_event) */
    size_t surplus_low;         /* fewest surplus arenas (nreserve beyond
                                   reserve_max) seen in this surplus period */
    size_t surplus_clock;       /* pool takes left in this surplus period
                                   (arena.c: surplus_tick) */
    size_t surplus_drops;       /* surplus periods that ended by giving
                                   arenas back, ever */
    size_t arena_events;        /* arena takes and releases in this window */
    int huge_pages;             /* config.huge_pages */
    int page_return;            /* config.page_return */
    int vector_release;         /* 1: give pages back with one process_madvise
                                   call per batch of runs (arena.c:
                                   batch_submit); 0: the kernel refused it,
                                   one madvise per run */

    size_t arenas_allocated;    /* arenas taken, ever (reserve reuse excluded) */
    size_t arenas_reclaimed;    /* arenas given back to the OS, ever */
    size_t arenas_current;      /* arenas in use + in reserve */
    size_t arenas_highwater;    /* max of arenas_current */
    size_t pools_released;      /* empty pools currently given back */
    size_t pages_released;      /* pages currently given back in used pools */
    size_t trims;               /* trims run */
    unsigned gc_trim_interval;  /* full collections between two automatic
                                   trims (pmi_mem_trim_after_full_gc): 1 after
                                   a trim that gave back a lot, doubled (up to
                                   PMI_GC_TRIM_MAX_INTERVAL) after one that
                                   gave back little */
    unsigned gc_trim_countdown; /* full collections left before the next one */
    size_t gc_trims;            /* automatic trims run after full collections */
    size_t gc_trim_heap;        /* arenas in use at the last full collection
                                   (SIZE_MAX before the first) */
    size_t bytes_trimmed;       /* bytes given back by trims, ever */

    /* Deferred page return (arena.c): pools that crossed their trim_at
     * threshold and arenas with too many resident empty pools. */
    pmi_pool *trim_pools[PMI_TRIM_QUEUE];
    pmi_arena *trim_arenas[PMI_TRIM_ARENA_QUEUE];
    unsigned ntrim_pools, ntrim_arenas;

    pmi_large_table large;
    pmi_debug_state *debug;     /* non-NULL in debug mode */
    pmi_fault fault;            /* the fault hook's countdown */
    pmi_trace trace;            /* the trace hook */
} pmi_mem;

struct pm_runtime;

/* mem.c: the trim after a full collection (called by the collector at the
 * end of every generation-2 collection; rate-limited, see mem.c) */
size_t pmi_mem_trim_after_full_gc(struct pm_runtime *rt);

/* debug.c: wraps the raw layer with guards and a quarantine */
int pmi_debug_init(struct pm_runtime *rt);
void pmi_debug_fini(struct pm_runtime *rt);
void pmi_debug_flush(struct pm_runtime *rt); /* empty the quarantine, checking each block */
void *pmi_debug_malloc(struct pm_runtime *rt, size_t size);
void pmi_debug_free(struct pm_runtime *rt, void *p);
void *pmi_debug_realloc(struct pm_runtime *rt, void *p, size_t size);
size_t pmi_debug_usable_size(struct pm_runtime *rt, const void *p);

/* pool.c: the raw layer (pool.h: pmi_raw_malloc, pmi_raw_free and the
 * other fast paths, inline) */
void *pmi_raw_realloc(struct pm_runtime *rt, void *p, size_t size);
size_t pmi_raw_usable_size(struct pm_runtime *rt, const void *p);
pmi_pool *pmi_pool_of(struct pm_runtime *rt, const void *p); /* NULL: not ours */
int pmi_large_contains(struct pm_runtime *rt, const void *p);
void *pmi_pool_start(struct pm_runtime *rt, unsigned szidx); /* usedpools[szidx] empty */
void pmi_pool_refill(pmi_mem *a, pmi_pool *pool);   /* its free list ran dry */
void pmi_pool_free_slow(struct pm_runtime *rt, pmi_pool *pool); /* ref hit trim_at or 0 */
void *pmi_large_alloc(struct pm_runtime *rt, size_t size);
void *pmi_large_calloc(struct pm_runtime *rt, size_t size);
void pmi_large_free(struct pm_runtime *rt, void *p);
void pmi_large_fini(struct pm_runtime *rt);
void pmi_pool_drop_idle(struct pm_runtime *rt);
void pmi_cache_flush_all(struct pm_runtime *rt);
/* Recompute fast_small and fast_free_size from slow and region 0 (mem.c). */
void pmi_mem_gates_update(struct pm_runtime *rt);
/* The cache of class szidx is full: give half of it back. */
void pmi_cache_overflow(struct pm_runtime *rt, unsigned szidx);
/* pmi_pool_refill(a, pool), then return b. */
void *pmi_pool_refill_then(pmi_mem *a, pmi_pool *pool, pmi_block *b);
/* pmi_raw_free of a pointer outside region 0: a block of another region, a
 * large block, or NULL. */
void pmi_free_elsewhere(struct pm_runtime *rt, void *p);
void pmi_cache_init(pmi_mem *a);

/* arena.c */
pmi_arena *pmi_arena_new(struct pm_runtime *rt);
void pmi_arena_pool_freed(struct pm_runtime *rt, pmi_pool *pool);
pmi_pool *pmi_arena_take_pool(struct pm_runtime *rt);
void pmi_regions_fini(struct pm_runtime *rt);
size_t pmi_arena_trim(struct pm_runtime *rt, int whole_reserve);
void pmi_pool_recarve(pmi_mem *a, pmi_pool *pool);
size_t pmi_pool_trim(struct pm_runtime *rt, pmi_pool *pool);
void pmi_trim_queue_pool(struct pm_runtime *rt, pmi_pool *pool);

/* Size class of a small request (0 counts as 1: a unique pointer). */
static inline unsigned pmi_size_class(size_t n) {
    return (unsigned)((n - (n != 0)) >> PMI_ALIGNMENT_SHIFT);
}
static inline size_t pmi_class_size(unsigned szidx) {
    return ((size_t)szidx + 1) << PMI_ALIGNMENT_SHIFT;
}
/* Blocks of one of a class's two cache stacks (>= 1): PMI_FREE_CACHE_BYTES
 * for both. */
static inline unsigned pmi_cache_half(unsigned szidx) {
    return (unsigned)(PMI_FREE_CACHE_BYTES / 2 / pmi_class_size(szidx));
}
/* Blocks the class's cache holds now. */
static inline unsigned pmi_cache_held(const pmi_mem *a, unsigned szidx) {
    unsigned half = pmi_cache_half(szidx);
    return half - a->cache_room[szidx] + (a->cache_cold[szidx] ? half : 0);
}
static inline unsigned pmi_pool_capacity(unsigned szidx) {
    return (unsigned)(PMI_POOL_SIZE / pmi_class_size(szidx));
}
/* Does the pool still have never-used blocks past its bump offset? */
static inline int pmi_pool_has_fresh(const pmi_pool *pool) {
    return pool->nextoffset + pmi_class_size(pool->szidx) <= PMI_POOL_SIZE;
}

/* A pool descriptor's region, and its index in the region's table (region 0
 * first: the others exist only after 16 GiB of arenas).  Slow paths only;
 * the fast ones go from a block's address to its descriptor, not back. */
static inline const pmi_region *pmi_pool_region(const pmi_mem *a, const pmi_pool *pool, size_t *index) {
    const pmi_region *r = a->regions;
    for (;;) {
        size_t i = (size_t)((uintptr_t)pool - (uintptr_t)r->pools) / sizeof *pool;
        if (i < r->narenas * PMI_POOLS_PER_ARENA) {
            *index = i;
            return r;
        }
        r++;
    }
}
/* The first byte of the pool's 16 KiB. */
static inline char *pmi_pool_mem(const pmi_mem *a, const pmi_pool *pool) {
    size_t i;
    const pmi_region *r = pmi_pool_region(a, pool, &i);
    return r->mem + (i << PMI_POOL_BITS);
}
/* The arena holding the pool. */
static inline pmi_arena *pmi_pool_arena(const pmi_mem *a, const pmi_pool *pool) {
    size_t i;
    const pmi_region *r = pmi_pool_region(a, pool, &i);
    return &r->arenas[i / PMI_POOLS_PER_ARENA];
}
/* The pool's place in its arena (bit index of free_pools, class map byte). */
static inline unsigned pmi_pool_slot(const pmi_mem *a, const pmi_pool *pool) {
    size_t i;
    pmi_pool_region(a, pool, &i);
    return (unsigned)(i % PMI_POOLS_PER_ARENA);
}

/* AddressSanitizer: free blocks are poisoned (all but their link word), live
 * blocks unpoisoned up to the requested size, so a use after free or an
 * overflow in the layers above is caught at the faulting access. */
#if defined(__SANITIZE_ADDRESS__)
#define PMI_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PMI_ASAN 1
#endif
#endif
#ifdef PMI_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define PMI_POISON(p, n) __asan_poison_memory_region((p), (n))
#define PMI_UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define PMI_POISON(p, n) ((void)(p), (void)(n))
#define PMI_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#endif
