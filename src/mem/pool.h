/*
 * pool.h — the fast paths of the raw layer (pool.c), inline, for the two
 * layers above it: the choke point (mem.c) and the debug allocator
 * (debug.c).  Nothing here checks a fault hook or a guard byte; the raw
 * layer serves small requests from pools and large ones from the system
 * allocator, and frees by address.
 *
 *   malloc: the class's free cache → pop (its hot stack); else
 *           usedpools[class] → pop its
 *           free list; a pool that runs dry takes its next never-used block
 *           (bump), then blocks of pages it gave back, else it is full and
 *           leaves the list; with no pool listed, the cache's cold stack is
 *           taken over, else the class's draining pool serves again, else
 *           a pool is started (pool.c, the slow part).
 *   free:   range check → class map byte → push on the class's free cache
 *           (a draining pool's byte names an entry of room 1, so its
 *           blocks go straight back: pool.c, "Draining pools");
 *           a full hot stack sends the cold one back to the pools and
 *           becomes the cold one (pool.c: pmi_cache_overflow, a run of
 *           blocks of one pool at a time:
 *           splice onto its free list; a full pool rejoins usedpools;
 *           reaching the page-return mark or empty goes to pool.c).
 *
 * A separate header from mem.h because these need pm_runtime complete, and
 * mem.h is included by runtime.h to define it.
 */
#ifndef PYMM_MEM_POOL_H
#define PYMM_MEM_POOL_H

#include "core/runtime.h"

#define PMI_LIKELY(x) __builtin_expect(!!(x), 1)
#define PMI_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* The pool holding p, or NULL when p is not in our regions. */
static inline pmi_pool *pmi_pool_of_fast(pm_runtime *rt, const void *p) {
    pmi_mem *a = &rt->mem;
    uintptr_t off = (uintptr_t)p - (uintptr_t)a->region0_mem;
    if (PMI_LIKELY(off < a->region0_size)) return &a->regions[0].pools[off >> PMI_POOL_BITS];
    if (PMI_LIKELY(a->nregions <= 1)) return NULL;
    return pmi_pool_of(rt, p);
}

/* A block of class szidx for a request of size bytes, or NULL. */
static inline void *pmi_small_alloc_class(pm_runtime *rt, unsigned szidx, size_t size) {
    pmi_mem *a = &rt->mem;
    pmi_block *c = a->cache[szidx];
    if (PMI_LIKELY(c != NULL)) {
        a->cache[szidx] = c->next;
        a->cache_room[szidx]++;
        PMI_UNPOISON(c, size ? size : 1);
        return c;
    }
    pmi_pool *pool = a->usedpools[szidx];
    if (PMI_LIKELY(pool != NULL)) {
        pmi_block *b = pool->freeblock;
        pool->ref++;
        PMI_UNPOISON(b, size ? size : 1);
        /* A tail call, so that the path above needs no stack frame. */
        if (PMI_UNLIKELY((pool->freeblock = b->next) == NULL)) return pmi_pool_refill_then(a, pool, b);
        return b;
    }
    void *p = pmi_pool_start(rt, szidx);
    PMI_UNPOISON(p, size ? size : 1);
    return p;
}

/* A block of size <= PMI_SMALL_REQUEST_MAX, or NULL. */
static inline void *pmi_small_alloc(pm_runtime *rt, size_t size) {
    return pmi_small_alloc_class(rt, pmi_size_class(size), size);
}

static inline void *pmi_raw_malloc(pm_runtime *rt, size_t size) {
    if (PMI_LIKELY(size <= PMI_SMALL_REQUEST_MAX)) return pmi_small_alloc(rt, size);
    if (size > (size_t)PTRDIFF_MAX) return NULL;
    return pmi_large_alloc(rt, size);
}

/* Push p, a block of class szidx, on the class's free cache (szidx is the
 * class map byte: PMI_NUM_SIZE_CLASSES + class for a draining pool's block,
 * which the overflow sends straight back). */
static inline void pmi_cache_push(pm_runtime *rt, unsigned szidx, void *p) {
    pmi_mem *a = &rt->mem;
    pmi_block *b = p;
    PMI_POISON((char *)b + sizeof *b, pmi_class_size(szidx & (PMI_NUM_SIZE_CLASSES - 1)) - sizeof *b);
    b->next = a->cache[szidx];
    a->cache[szidx] = b;
    if (PMI_UNLIKELY(--a->cache_room[szidx] == 0)) pmi_cache_overflow(rt, szidx);
}

static inline void pmi_raw_free(pm_runtime *rt, void *p) {
    pmi_mem *a = &rt->mem;
    uintptr_t off = (uintptr_t)p - (uintptr_t)a->region0_mem;
    if (PMI_LIKELY(off < a->region0_size)) {
        pmi_cache_push(rt, a->region0_classes[off >> PMI_POOL_BITS], p);
        return;
    }
    /* Out of line, so that the path above needs no stack frame. */
    pmi_free_elsewhere(rt, p);
}

#endif
