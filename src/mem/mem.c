/*
 * alloc.c — the allocation choke point: pm_malloc, pm_calloc, pm_realloc,
 * pm_free, and the large-block table.
 *
 * Contract
 *   - Every byte libpymm takes passes through here: small requests (0..512
 *     bytes) come from pools (arena.c), large ones from the system malloc and
 *     are recorded in rt->mem.large, so that statistics are exact and
 *     pm_runtime_free releases them.
 *   - Ownership of a pointer is decided from its address alone: inside one of
 *     our regions means a pool block; anything else goes to the system free()
 *     (CPython's address_in_range, reduced to a range check because our
 *     arenas live in address space reserved up front).
 *   - One flag (alloc.slow) sends every call through the checked path when
 *     debug mode or the fault hook is on; otherwise the fast paths run with
 *     no other test.
 *
 * Fast paths
 *   malloc: usedpools[class] → pop its free list; a pool that runs dry takes
 *           its next never-used block (bump), then blocks of pages it gave
 *           back, else it is full and leaves the list.
 *   free:   range check → pool descriptor → push; a full pool rejoins
 *           usedpools, an empty one goes back to its arena.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include "core/runtime.h"

#define PMI_LARGE_TOMBSTONE ((void *)1)
#define PMI_LIKELY(x) __builtin_expect(!!(x), 1)
#define PMI_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ---- large-block table ---------------------------------------------------- */

static size_t ptr_hash(const void *p) {
    uint64_t h = (uint64_t)(uintptr_t)p >> 4;
    h *= 0x9E3779B97F4A7C15ULL;
    return (size_t)(h ^ (h >> 29));
}

static int large_grow(pmi_large_table *t) {
    size_t cap = t->slots ? (t->mask + 1) * 2 : 64;
    if (t->slots && t->used * 4 < (t->mask + 1)) cap = t->mask + 1; /* tombstones only */
    pmi_large_entry *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    size_t mask = cap - 1;
    for (size_t i = 0; t->slots && i <= t->mask; i++) {
        void *p = t->slots[i].ptr;
        if (!p || p == PMI_LARGE_TOMBSTONE) continue;
        size_t j = ptr_hash(p) & mask;
        while (slots[j].ptr) j = (j + 1) & mask;
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->mask = mask;
    t->filled = t->used;
    return 0;
}

/* Make room for one more entry; -1 when the table cannot grow. */
static int large_reserve(pmi_large_table *t) {
    if (!t->slots || (t->filled + 1) * 2 > t->mask + 1) return large_grow(t);
    return 0;
}

/* Record p (size bytes); -1 when the table cannot grow. */
static int large_add(pmi_large_table *t, void *p, size_t size) {
    if (large_reserve(t) < 0) return -1;
    size_t j = ptr_hash(p) & t->mask;
    while (t->slots[j].ptr && t->slots[j].ptr != PMI_LARGE_TOMBSTONE) j = (j + 1) & t->mask;
    if (!t->slots[j].ptr) t->filled++;
    t->slots[j].ptr = p;
    t->slots[j].size = size;
    t->used++;
    t->bytes += size;
    return 0;
}

static pmi_large_entry *large_find(const pmi_large_table *t, const void *p) {
    if (!t->slots) return NULL;
    size_t j = ptr_hash(p) & t->mask;
    for (;;) {
        void *q = t->slots[j].ptr;
        if (q == p) return &t->slots[j];
        if (!q) return NULL;
        j = (j + 1) & t->mask;
    }
}

static void large_remove(pmi_large_table *t, pmi_large_entry *e) {
    t->bytes -= e->size;
    t->used--;
    e->ptr = PMI_LARGE_TOMBSTONE;
}

int pmi_large_contains(pm_runtime *rt, const void *p) {
    return large_find(&rt->mem.large, p) != NULL;
}

/* ---- ownership ------------------------------------------------------------ */

pmi_pool *pmi_pool_of(pm_runtime *rt, const void *p) {
    pmi_mem *a = &rt->mem;
    for (unsigned i = 0; i < a->nregions; i++) {
        pmi_region *r = &a->regions[i];
        uintptr_t off = (uintptr_t)p - (uintptr_t)r->mem;
        if (off < r->size) return &r->pools[off >> PMI_POOL_BITS];
    }
    return NULL;
}

static inline pmi_pool *pool_of_fast(pm_runtime *rt, const void *p) {
    pmi_mem *a = &rt->mem;
    uintptr_t off = (uintptr_t)p - (uintptr_t)a->region0_mem;
    if (PMI_LIKELY(off < a->region0_size)) return &a->regions[0].pools[off >> PMI_POOL_BITS];
    if (PMI_LIKELY(a->nregions <= 1)) return NULL;
    return pmi_pool_of(rt, p);
}

/* ---- small blocks ----------------------------------------------------------- */

/* usedpools[szidx] is empty or its head ran dry: find a block. */
static void *small_alloc_slow(pm_runtime *rt, unsigned szidx) {
    pmi_mem *a = &rt->mem;
    pmi_pool *pool = pmi_arena_take_pool(rt);
    if (!pool) return NULL;
    size_t size = pmi_class_size(szidx);
    pool->szidx = (uint8_t)szidx;
    pool->ref = 1;
    pool->released = 0;
    pool->nextoffset = (uint16_t)(2 * size);
    pool->trim_at = a->page_return ? (uint16_t)(pmi_pool_capacity(szidx) / PMI_TRIM_FIRST) : 0;
    pmi_block *first = (pmi_block *)pool->mem;
    pmi_block *second = (pmi_block *)(pool->mem + size);
    PMI_UNPOISON(first, size);
    PMI_UNPOISON(second, sizeof *second);
    second->next = NULL;
    pool->freeblock = second;
    pool->prev = NULL;
    pool->next = a->usedpools[szidx];
    if (pool->next) pool->next->prev = pool;
    a->usedpools[szidx] = pool;
    return first;
}

static void pool_unlink(pmi_mem *a, pmi_pool *pool) {
    if (pool->prev) pool->prev->next = pool->next;
    else a->usedpools[pool->szidx] = pool->next;
    if (pool->next) pool->next->prev = pool->prev;
    pool->next = pool->prev = NULL;
}

/* The pool's free list just became empty: refill it or retire the pool. */
static void pool_refill(pmi_mem *a, pmi_pool *pool) {
    if (pmi_pool_has_fresh(pool)) {
        pmi_block *b = (pmi_block *)(pool->mem + pool->nextoffset);
        pool->nextoffset = (uint16_t)(pool->nextoffset + pmi_class_size(pool->szidx));
        PMI_UNPOISON(b, sizeof *b);
        b->next = NULL;
        pool->freeblock = b;
        return;
    }
    if (pool->released) {
        /* The pool grew back into pages it gave away: take them back and
         * re-arm page return for when it shrinks again. */
        a->pages_released -= (size_t)__builtin_popcount(pool->released);
        pmi_pool_recarve(pool);
        if (a->page_return) pool->trim_at = (uint16_t)(pmi_pool_capacity(pool->szidx) / PMI_TRIM_FIRST);
        return;
    }
    pool_unlink(a, pool); /* full */
}

static inline void *small_alloc(pm_runtime *rt, size_t size) {
    pmi_mem *a = &rt->mem;
    unsigned szidx = pmi_size_class(size);
    pmi_pool *pool = a->usedpools[szidx];
    if (PMI_LIKELY(pool != NULL)) {
        pmi_block *b = pool->freeblock;
        pool->ref++;
        if (PMI_UNLIKELY((pool->freeblock = b->next) == NULL)) pool_refill(a, pool);
        PMI_UNPOISON(b, size ? size : 1);
        return b;
    }
    void *p = small_alloc_slow(rt, szidx);
    PMI_UNPOISON(p, size ? size : 1);
    return p;
}

/* The free that brought pool->ref down to pool->trim_at (or to 0). */
static void pool_free_slow(pm_runtime *rt, pmi_pool *pool) {
    pmi_mem *a = &rt->mem;
    unsigned ref = pool->ref;
    if (ref > 0) {
        /* Crossed the page-return threshold on the way down. */
        pool->trim_at = (uint16_t)(ref / 4);
        pmi_trim_queue_pool(rt, pool);
        return;
    }
    /* Empty.  The only pool of its class stays in usedpools, idle, so that
     * an alloc/free ping-pong does not take and return a pool each time
     * (pm_trim drops it). */
    if (!pool->next && !pool->prev) return;
    pool_unlink(a, pool);
    pool->freeblock = NULL;
    pmi_arena_pool_freed(rt, pool);
}

static inline void small_free(pm_runtime *rt, pmi_pool *pool, void *p) {
    pmi_mem *a = &rt->mem;
    pmi_block *b = p;
    pmi_block *last = pool->freeblock;
    PMI_POISON((char *)b + sizeof *b, pmi_class_size(pool->szidx) - sizeof *b);
    b->next = last;
    pool->freeblock = b;
    if (PMI_UNLIKELY(last == NULL)) {
        /* Was full: rejoin usedpools at the front. */
        unsigned szidx = pool->szidx;
        pool->prev = NULL;
        pool->next = a->usedpools[szidx];
        if (pool->next) pool->next->prev = pool;
        a->usedpools[szidx] = pool;
    }
    unsigned ref = --pool->ref;
    if (PMI_UNLIKELY(ref == pool->trim_at || ref == 0)) pool_free_slow(rt, pool);
}

/* ---- raw layer: no fault hook, no debug checks ------------------------------ */

static void *large_alloc(pm_runtime *rt, size_t size) {
    void *p = malloc(size);
    if (!p) return NULL;
    if (large_add(&rt->mem.large, p, size) < 0) {
        free(p);
        return NULL;
    }
    return p;
}

static void large_free(pm_runtime *rt, void *p) {
    pmi_large_entry *e = large_find(&rt->mem.large, p);
    if (e) large_remove(&rt->mem.large, e);
    free(p); /* a foreign pointer goes back to the system allocator too */
}

void *pmi_raw_malloc(pm_runtime *rt, size_t size) {
    if (PMI_LIKELY(size <= PMI_SMALL_REQUEST_MAX)) return small_alloc(rt, size);
    if (size > (size_t)PTRDIFF_MAX) return NULL;
    return large_alloc(rt, size);
}

void pmi_raw_free(pm_runtime *rt, void *p) {
    pmi_pool *pool = pool_of_fast(rt, p);
    if (PMI_LIKELY(pool != NULL)) {
        small_free(rt, pool, p);
        return;
    }
    if (p) large_free(rt, p);
}

size_t pmi_raw_usable_size(pm_runtime *rt, const void *p) {
    pmi_pool *pool = pool_of_fast(rt, p);
    if (pool) return pmi_class_size(pool->szidx);
    pmi_large_entry *e = large_find(&rt->mem.large, p);
    return e ? e->size : malloc_usable_size((void *)p);
}

void *pmi_raw_realloc(pm_runtime *rt, void *p, size_t size) {
    if (!p) return pmi_raw_malloc(rt, size);
    if (size > (size_t)PTRDIFF_MAX) return NULL;
    pmi_pool *pool = pool_of_fast(rt, p);
    size_t old;
    if (pool) {
        old = pmi_class_size(pool->szidx);
        /* Like pymalloc: a small block is kept when the new size fits and
         * does not waste more than a quarter of it. */
        if (size <= old && 4 * size > 3 * old) {
            PMI_UNPOISON(p, old);
            PMI_POISON((char *)p + size, old - size);
            return p;
        }
    } else if (size > PMI_SMALL_REQUEST_MAX) {
        /* Large to large: the system realloc, then fix the table. */
        pmi_large_table *t = &rt->mem.large;
        pmi_large_entry *e = large_find(t, p);
        if (!e) return realloc(p, size); /* foreign: the system's business */
        if (large_reserve(t) < 0) return NULL;
        void *q = realloc(p, size);
        if (!q) return NULL;
        large_remove(t, large_find(t, p));
        (void)large_add(t, q, size); /* cannot fail: room was made above */
        return q;
    } else {
        pmi_large_entry *e = large_find(&rt->mem.large, p);
        old = e ? e->size : malloc_usable_size(p);
    }
    void *q = pmi_raw_malloc(rt, size);
    if (!q) return NULL;
    if (pool) PMI_UNPOISON(p, old); /* the caller's size is not known: copy the class size */
    memcpy(q, p, old < size ? old : size);
    pmi_raw_free(rt, p);
    return q;
}

/* ---- fault hook ---------------------------------------------------------------- */

/* True when the hook makes this allocation fail. */
static int fault_fires(pm_runtime *rt) {
    if (rt->mem.fault.countdown <= 0) return 0;
    if (rt->mem.fault.countdown == 1) {
        rt->mem.fault.fired++;
        if (!rt->mem.fault.persistent) {
            rt->mem.fault.countdown = 0;
            rt->mem.slow = rt->mem.debug != NULL;
        }
        return 1;
    }
    rt->mem.fault.countdown--;
    return 0;
}

void pm_fault_inject(pm_runtime *rt, long nth, int persistent) {
    rt->mem.fault.countdown = nth > 0 ? nth : 0;
    rt->mem.fault.persistent = persistent != 0;
    rt->mem.fault.fired = 0;
    rt->mem.slow = rt->mem.fault.countdown > 0 || rt->mem.debug != NULL;
}

long pm_fault_fired(const pm_runtime *rt) { return rt->mem.fault.fired; }

/* ---- public entry points ------------------------------------------------------- */

void *pm_malloc(pm_runtime *rt, size_t size) {
    if (PMI_LIKELY(!rt->mem.slow)) return pmi_raw_malloc(rt, size);
    if (fault_fires(rt)) return NULL;
    if (rt->mem.debug) return pmi_debug_malloc(rt, size);
    return pmi_raw_malloc(rt, size);
}

void pm_free(pm_runtime *rt, void *p) {
    if (PMI_UNLIKELY(rt->mem.debug != NULL)) pmi_debug_free(rt, p);
    else pmi_raw_free(rt, p);
}

void *pm_calloc(pm_runtime *rt, size_t n, size_t size) {
    size_t total;
    if (__builtin_mul_overflow(n, size, &total) || total > (size_t)PTRDIFF_MAX) return NULL;
    if (rt->mem.slow) {
        if (fault_fires(rt)) return NULL;
        void *p = rt->mem.debug ? pmi_debug_malloc(rt, total) : pmi_raw_malloc(rt, total);
        if (p) memset(p, 0, total);
        return p;
    }
    if (total <= PMI_SMALL_REQUEST_MAX) {
        void *p = small_alloc(rt, total);
        if (p) memset(p, 0, total);
        return p;
    }
    void *p = calloc(1, total);
    if (!p) return NULL;
    if (large_add(&rt->mem.large, p, total) < 0) {
        free(p);
        return NULL;
    }
    return p;
}

void *pm_realloc(pm_runtime *rt, void *p, size_t size) {
    if (rt->mem.slow) {
        if (fault_fires(rt)) return NULL;
        if (rt->mem.debug) return pmi_debug_realloc(rt, p, size);
    }
    return pmi_raw_realloc(rt, p, size);
}

size_t pm_usable_size(pm_runtime *rt, const void *p) {
    if (rt->mem.debug) return pmi_debug_usable_size(rt, p);
    return pmi_raw_usable_size(rt, p);
}

size_t pm_trim(pm_runtime *rt) {
    if (rt->mem.debug) pmi_debug_flush(rt);
    pmi_pool_drop_idle(rt);
    return pmi_arena_trim(rt);
}

/* Idle pools (empty, kept when they were their class's only pool; others
 * may since have been linked in front) go back to their arenas. */
void pmi_pool_drop_idle(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    for (unsigned c = 0; c < PMI_NUM_SIZE_CLASSES; c++) {
        pmi_pool *pool = a->usedpools[c];
        while (pool) {
            pmi_pool *next = pool->next;
            if (pool->ref == 0) {
                pool_unlink(a, pool);
                pool->freeblock = NULL;
                pmi_arena_pool_freed(rt, pool);
            }
            pool = next;
        }
    }
}

/* ---- lifecycle ------------------------------------------------------------------- */

int pmi_mem_init(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    a->reserve_base = a->reserve_max = rt->config.arena_reserve;
    a->huge_pages = rt->config.huge_pages;
    a->page_return = rt->config.page_return;
    if (rt->config.debug_alloc && pmi_debug_init(rt) < 0) return -1;
    a->slow = a->debug != NULL;
    return 0;
}

void pmi_mem_fini(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    if (a->debug) pmi_debug_fini(rt);
    pmi_large_table *t = &a->large;
    for (size_t i = 0; t->slots && i <= t->mask; i++) {
        void *p = t->slots[i].ptr;
        if (p && p != PMI_LARGE_TOMBSTONE) free(p);
    }
    free(t->slots);
    memset(t, 0, sizeof *t);
    pmi_regions_fini(rt);
}
