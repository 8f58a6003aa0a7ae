/*
 * pool.c — the raw layer: blocks from pools (small requests) and from the
 * system allocator (large ones), with no fault hook and no debug checks.
 * Its fast paths are inline in pool.h; this file holds what they call when
 * a pool runs dry, starts, reaches its page-return mark or empties, the
 * table of large blocks, and the raw realloc and usable-size queries.
 *
 * Layering (docs/layout.md):
 *
 *     pm_malloc / pm_free (mem.c: fault hook, debug switch)
 *        |                    \
 *        |                     debug.c (guards, quarantine)
 *        v                    /
 *     raw layer (pool.h inline, pool.c)      <- this file
 *        |                \
 *     arena.c (pools ⇄ arenas ⇄ regions)   system malloc (large blocks)
 *
 * Calls go down only: nothing here calls mem.c or debug.c.
 *
 * Large blocks: a request over 512 bytes is the system allocator's block,
 * recorded in an open-addressing table keyed on the pointer (tombstones on
 * delete, grown at 50% load), so that statistics are exact and the runtime
 * frees them at teardown.  A pointer that is in neither our regions nor the
 * table is foreign and goes to the system free().
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include "mem/pool.h"

#define PMI_LARGE_TOMBSTONE ((void *)1)

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

/* ---- small blocks ----------------------------------------------------------- */

/* ---- draining pools ---------------------------------------------------------
 *
 * Most requests reuse the block their class freed last (the free cache), so
 * a class that shrinks leaves free blocks scattered over all its pools, and
 * they stay: its pools drain only through the caches' overflows, about one
 * operation in H for a cache half of H blocks.  pymalloc drains them with
 * every operation (a free goes to its pool, requests to the head of
 * usedpools), and on a random heap (bench-alloc replace) it ended 1.2 MB of
 * free blocks lower over 20M replacements.  So each class may drain one pool
 * at a time: when an overflow gives blocks back to a pool with at least
 * 1/2^PMI_DRAIN_FREE_SHIFT of its blocks free, and its class has another
 * pool to serve requests, the pool leaves usedpools and its class map byte
 * becomes PMI_NUM_SIZE_CLASSES + class: its frees go straight back to it
 * (pmi_cache_overflow) and no request takes its blocks.  It ends when it is
 * empty (retired to its arena, for any class) or when its class runs out of
 * pools with free blocks (it serves again, before a new pool is taken):
 * no more memory is held than with no draining at all. */

/* The pool joins usedpools at the front. */
static void pool_link_front(pmi_mem *a, pmi_pool *pool) {
    pmi_pool *head = a->usedpools[pool->szidx];
    pool->prev = NULL;
    pool->next = head;
    if (head) head->prev = pool;
    a->usedpools[pool->szidx] = pool;
}

static void set_map_byte(pmi_mem *a, pmi_pool *pool, unsigned byte) {
    pmi_arena *ar = pmi_pool_arena(a, pool);
    ar->classes[pool - ar->pools] = (uint8_t)byte;
}

static void pool_unlink(pmi_mem *a, pmi_pool *pool);

/* The pool (in usedpools, not its class's only pool) starts draining. */
static void drain_start(pmi_mem *a, pmi_pool *pool) {
    pool_unlink(a, pool);
    a->draining[pool->szidx] = pool;
    set_map_byte(a, pool, PMI_NUM_SIZE_CLASSES + pool->szidx);
}

/* The pool stops draining (it is empty, or its class needs it again). */
static void drain_stop(pmi_mem *a, pmi_pool *pool) {
    a->draining[pool->szidx] = NULL;
    set_map_byte(a, pool, pool->szidx);
}

/* usedpools[szidx] is empty (and the hot cache stack): find a block.  The
 * cold cache stack, if any, becomes the hot one first, less the block
 * returned.  (It is not looked at while pools of the class have free
 * blocks: that would cost the inline path a test on every request served
 * by a pool, 6% of bench-alloc list48's instructions.  Its blocks then go
 * back to their pools at the next overflow.) */
void *pmi_pool_start(pm_runtime *rt, unsigned szidx) {
    pmi_mem *a = &rt->mem;
    pmi_block *cold = a->cache_cold[szidx];
    if (cold) {
        a->cache_cold[szidx] = NULL;
        a->cache[szidx] = cold->next;
        a->cache_room[szidx] = 1;
        return cold;
    }
    pmi_pool *pool = a->draining[szidx];
    if (pool) {
        /* The class needs room again: its draining pool serves before a new
         * one is taken. */
        drain_stop(a, pool);
        pool_link_front(a, pool);
        pmi_block *b = pool->freeblock;
        pool->ref++;
        if ((pool->freeblock = b->next) == NULL) pmi_pool_refill(a, pool);
        return b;
    }
    pool = pmi_arena_take_pool(rt);
    if (!pool) return NULL;
    size_t size = pmi_class_size(szidx);
    pool->szidx = (uint8_t)szidx;
    pmi_arena *ar = pmi_pool_arena(a, pool);
    ar->classes[pool - ar->pools] = (uint8_t)szidx;
    pool->ref = 1;
    pool->released = 0;
    pool->nextoffset = (uint16_t)(2 * size);
    pool->trim_at = a->page_return ? (uint16_t)(pmi_pool_capacity(szidx) / PMI_TRIM_FIRST) : 0;
    char *mem = ar->mem + ((size_t)(pool - ar->pools) << PMI_POOL_BITS);
    pmi_block *first = (pmi_block *)mem;
    pmi_block *second = (pmi_block *)(mem + size);
    PMI_UNPOISON(first, size);
    PMI_UNPOISON(second, sizeof *second);
    second->next = NULL;
    pool->freeblock = second;
    pool_link_front(a, pool);
    return first;
}

static void pool_unlink(pmi_mem *a, pmi_pool *pool) {
    if (pool->prev) pool->prev->next = pool->next;
    else a->usedpools[pool->szidx] = pool->next;
    if (pool->next) pool->next->prev = pool->prev;
    pool->next = pool->prev = NULL;
}

/* The pool's free list just became empty: refill it or retire the pool. */
void pmi_pool_refill(pmi_mem *a, pmi_pool *pool) {
    if (pmi_pool_has_fresh(pool)) {
        /* Thread every never-used block that starts on the page of the next
         * one: one call per page instead of one per block (CPython bumps one
         * block at a time), and no page is touched before a bump would. */
        size_t bsize = pmi_class_size(pool->szidx);
        size_t off = pool->nextoffset;
        char *mem = pmi_pool_mem(a, pool);
        size_t end = (off | (PMI_PAGE_SIZE - 1)) + 1;
        if (end > PMI_POOL_SIZE - bsize + 1) end = PMI_POOL_SIZE - bsize + 1; /* the last block fits */
        pmi_block *head = (pmi_block *)(mem + off), *b = head;
        PMI_UNPOISON(b, sizeof *b);
        for (off += bsize; off < end; off += bsize) {
            pmi_block *n = (pmi_block *)(mem + off);
            PMI_UNPOISON(n, sizeof *n);
            b->next = n;
            b = n;
        }
        b->next = NULL;
        pool->nextoffset = (uint16_t)off;
        pool->freeblock = head;
        return;
    }
    if (pool->released) {
        /* The pool grew back into pages it gave away: take them back and
         * re-arm page return for when it shrinks again. */
        a->pages_released -= (size_t)__builtin_popcount(pool->released);
        pmi_pool_recarve(a, pool);
        if (a->page_return) pool->trim_at = (uint16_t)(pmi_pool_capacity(pool->szidx) / PMI_TRIM_FIRST);
        return;
    }
    pool_unlink(a, pool); /* full */
}

/* An empty pool out of usedpools goes back to its arena. */
static void pool_to_arena(pm_runtime *rt, pmi_pool *pool) {
    pool->freeblock = NULL;
    pmi_arena_pool_freed(rt, pool);
}

/* An empty pool leaves usedpools and goes back to its arena. */
static void pool_retire(pm_runtime *rt, pmi_pool *pool) {
    pool_unlink(&rt->mem, pool);
    pool_to_arena(rt, pool);
}

/* The free that brought pool->ref down to pool->trim_at (or to 0). */
void pmi_pool_free_slow(pm_runtime *rt, pmi_pool *pool) {
    unsigned ref = pool->ref;
    if (ref > 0) {
        /* Crossed the page-return threshold on the way down. */
        pool->trim_at = (uint16_t)(ref / 4);
        pmi_trim_queue_pool(rt, pool);
        return;
    }
    /* Empty.  The only pool of its class stays in usedpools, idle, so that
     * an alloc/free ping-pong does not take and return a pool each time
     * (pm_trim drops it, and so does the next pool of its class to join
     * usedpools: cache_give_back). */
    if (pool == rt->mem.draining[pool->szidx]) {
        drain_stop(&rt->mem, pool); /* out of usedpools already */
        pool_to_arena(rt, pool);
        return;
    }
    if (!pool->next && !pool->prev) return;
    pool_retire(rt, pool);
}

/* ---- free caches ------------------------------------------------------------ */

void pmi_cache_init(pmi_mem *a) {
    for (unsigned c = 0; c < PMI_NUM_SIZE_CLASSES; c++) {
        a->cache[c] = NULL;
        a->cache_room[c] = pmi_cache_half(c);
        a->cache_cold[c] = NULL;
        a->cache[PMI_NUM_SIZE_CLASSES + c] = NULL;
        a->cache_room[PMI_NUM_SIZE_CLASSES + c] = 1;
        a->draining[c] = NULL;
    }
}

/* Give a chain of n cached blocks of class szidx back to their pools.
 * Consecutive blocks of one pool (a list freed in order) go back as one
 * run: one splice, one descriptor update.  The cache's own fields must
 * already leave the chain out: a pool's last block going back can retire
 * the pool and run page return. */
static void cache_give_back(pm_runtime *rt, unsigned szidx, pmi_block *b, unsigned n) {
    pmi_mem *a = &rt->mem;
    pmi_pool *emptiest = NULL; /* the pool given the most room, to drain */
    unsigned emptiest_ref = ~0u;
    while (n) {
        pmi_pool *pool = pmi_pool_of_fast(rt, b);
        pmi_block *last = b, *next = b->next;
        unsigned k = 1;
        while (k < n && next && (((uintptr_t)next ^ (uintptr_t)b) >> PMI_POOL_BITS) == 0) {
            last = next;
            next = next->next;
            k++;
        }
        pmi_block *old = pool->freeblock;
        last->next = old;
        pool->freeblock = b;
        if (old == NULL && pool != a->draining[szidx]) {
            /* Was full: rejoin usedpools at the front.  An idle pool there
             * (empty, kept as its class's only pool) is not the only one any
             * more: it goes back to its arena.  Kept, it held its arena out
             * of the reserve for good, and the first pool to empty is in
             * the arena the heap took last, mostly given back: bench-alloc
             * list48 rebuilt its heap in that arena's 61 given-back pools
             * and left 49 resident pools of a reserve arena unused, 768 KiB
             * over the first round's peak. */
            pmi_pool *head = a->usedpools[szidx];
            pool_link_front(a, pool);
            if (head && head->ref == 0) pool_retire(rt, head);
        }
        unsigned ref = pool->ref, nref = ref - k;
        pool->ref = (uint16_t)nref;
        if (nref < emptiest_ref) {
            emptiest = pool;
            emptiest_ref = nref;
        }
        /* Reached 0, or passed the page-return mark on the way down. */
        if (nref == 0 || (pool->trim_at < ref && pool->trim_at >= nref)) pmi_pool_free_slow(rt, pool);
        n -= k;
        b = next;
    }
    /* Checked now, not in the loop: a later run may have emptied it.  A
     * pool of the class in use with free blocks, not draining, is in
     * usedpools; not alone there, another pool serves the requests. */
    if (emptiest && !a->draining[szidx] && emptiest->ref > 0 && (emptiest->prev || emptiest->next) &&
        !pmi_pool_has_fresh(emptiest) &&
        pmi_pool_capacity(szidx) - emptiest->ref >= (pmi_pool_capacity(szidx) >> PMI_DRAIN_FREE_SHIFT))
        drain_start(a, emptiest);
}

/* The hot stack of class szidx is full: the cold one, the older half, goes
 * back to the pools, and the hot one becomes the cold one.  Giving back the
 * oldest keeps the blocks still in the CPU's cache for reuse, and lets no
 * block stay cached for long: with one stack flushed from the top, the
 * blocks at its bottom stayed as long as the class was busy and kept their
 * pools from emptying (a list freed in order left 170 blocks of the arena
 * it freed first in class 48's cache, so that arena never went to the
 * reserve, and the heap rebuilt in it faulted its given-back pools in
 * again). */
void pmi_cache_overflow(pm_runtime *rt, unsigned szidx) {
    pmi_mem *a = &rt->mem;
    if (szidx >= PMI_NUM_SIZE_CLASSES) {
        /* A block of a draining pool: straight back. */
        pmi_block *b = a->cache[szidx];
        a->cache[szidx] = NULL;
        a->cache_room[szidx] = 1;
        cache_give_back(rt, szidx - PMI_NUM_SIZE_CLASSES, b, 1);
        return;
    }
    pmi_block *cold = a->cache_cold[szidx];
    unsigned half = pmi_cache_half(szidx);
    a->cache_cold[szidx] = a->cache[szidx];
    a->cache[szidx] = NULL;
    a->cache_room[szidx] = half;
    if (cold) cache_give_back(rt, szidx, cold, half);
}


void *pmi_pool_refill_then(pmi_mem *a, pmi_pool *pool, pmi_block *b) {
    pmi_pool_refill(a, pool);
    return b;
}

void pmi_free_elsewhere(pm_runtime *rt, void *p) {
    pmi_pool *pool = rt->mem.nregions > 1 ? pmi_pool_of(rt, p) : NULL;
    if (pool) {
        const pmi_arena *ar = pmi_pool_arena(&rt->mem, pool);
        pmi_cache_push(rt, ar->classes[pool - ar->pools], p);
        return;
    }
    if (p) pmi_large_free(rt, p);
}

void pmi_cache_flush_all(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    for (unsigned c = 0; c < PMI_NUM_SIZE_CLASSES; c++) {
        unsigned half = pmi_cache_half(c);
        pmi_block *hot = a->cache[c], *cold = a->cache_cold[c];
        unsigned nhot = half - a->cache_room[c];
        a->cache[c] = a->cache_cold[c] = NULL;
        a->cache_room[c] = half;
        if (hot) cache_give_back(rt, c, hot, nhot);
        if (cold) cache_give_back(rt, c, cold, half);
    }
}

/* ---- the rest of the raw layer --------------------------------------------- */

void *pmi_large_alloc(pm_runtime *rt, size_t size) {
    void *p = malloc(size);
    if (!p) return NULL;
    if (large_add(&rt->mem.large, p, size) < 0) {
        free(p);
        return NULL;
    }
    return p;
}

void pmi_large_free(pm_runtime *rt, void *p) {
    pmi_large_entry *e = large_find(&rt->mem.large, p);
    if (e) large_remove(&rt->mem.large, e);
    free(p); /* a foreign pointer goes back to the system allocator too */
}

size_t pmi_raw_usable_size(pm_runtime *rt, const void *p) {
    pmi_pool *pool = pmi_pool_of_fast(rt, p);
    if (pool) return pmi_class_size(pool->szidx);
    pmi_large_entry *e = large_find(&rt->mem.large, p);
    return e ? e->size : malloc_usable_size((void *)p);
}

void *pmi_raw_realloc(pm_runtime *rt, void *p, size_t size) {
    if (!p) return pmi_raw_malloc(rt, size);
    if (size > (size_t)PTRDIFF_MAX) return NULL;
    pmi_pool *pool = pmi_pool_of_fast(rt, p);
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

/* A zeroed large block (pm_calloc), recorded in the table. */
void *pmi_large_calloc(pm_runtime *rt, size_t size) {
    void *p = calloc(1, size);
    if (!p) return NULL;
    if (large_add(&rt->mem.large, p, size) < 0) {
        free(p);
        return NULL;
    }
    return p;
}

/* Idle pools (empty, kept as their class's only pool: pmi_pool_free_slow)
 * go back to their arenas. */
void pmi_pool_drop_idle(pm_runtime *rt) {
    for (unsigned c = 0; c < PMI_NUM_SIZE_CLASSES; c++) {
        pmi_pool *pool = rt->mem.usedpools[c];
        if (pool && pool->ref == 0) pool_retire(rt, pool);
    }
}

/* Teardown: free every large block still recorded, and the table. */
void pmi_large_fini(pm_runtime *rt) {
    pmi_large_table *t = &rt->mem.large;
    for (size_t i = 0; t->slots && i <= t->mask; i++) {
        void *p = t->slots[i].ptr;
        if (p && p != PMI_LARGE_TOMBSTONE) free(p);
    }
    free(t->slots);
    memset(t, 0, sizeof *t);
}
