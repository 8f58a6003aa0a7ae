/*
 * stats.c — the allocator's statistics (pm_alloc_stats_get, printed as
 * CPython's sys._debugmallocstats() does) and its consistency check.
 *
 * Nothing here runs on the fast paths: counts of blocks and pools are
 * derived by walking the arenas in use (a few thousand descriptors for a
 * GiB of heap), so that malloc and free keep no extra counters.
 */
#include <inttypes.h>
#include <string.h>
#include "core/runtime.h"

/* The public header's copies of the geometry must be the allocator's. */
_Static_assert(PM_NUM_SIZE_CLASSES == PMI_NUM_SIZE_CLASSES, "pymm.h's PM_NUM_SIZE_CLASSES");
_Static_assert(PM_SMALL_REQUEST_MAX == PMI_SMALL_REQUEST_MAX, "pymm.h's PM_SMALL_REQUEST_MAX");

/* Number of blocks a pool has handed out or can hand out without a recarve. */
static unsigned pool_free_blocks(const pmi_pool *pool) {
    return pmi_pool_capacity(pool->szidx) - pool->ref;
}

void pm_alloc_stats_get(pm_runtime *rt, pm_alloc_stats *out) {
    pmi_mem *a = &rt->mem;
    /* Cached blocks count as in use in their pools: give them back first, so
     * that the figures are those of the program's live blocks. */
    pmi_cache_flush_all(rt);
    memset(out, 0, sizeof *out);
    for (unsigned c = 0; c < PM_NUM_SIZE_CLASSES; c++) out->size_class[c].block_size = pmi_class_size(c);
    size_t resident = 0;
    for (unsigned ri = 0; ri < a->nregions; ri++) {
        pmi_region *r = &a->regions[ri];
        for (size_t i = 0; i < r->next_fresh; i++) {
            pmi_arena *ar = &r->arenas[i];
            if (ar->state == PMI_ARENA_UNUSED) continue;
            resident += PMI_ARENA_SIZE - (size_t)__builtin_popcountll(ar->released_pools) * PMI_POOL_SIZE;
            if (ar->state == PMI_ARENA_RESERVE) continue;
            out->pools_free += (size_t)__builtin_popcountll(ar->free_pools);
            uint64_t used = ~ar->free_pools;
            while (used) {
                unsigned k = (unsigned)__builtin_ctzll(used);
                used &= used - 1;
                pmi_pool *pool = &ar->pools[k];
                pm_size_class_stats *cs = &out->size_class[pool->szidx];
                cs->pools++;
                cs->blocks_in_use += pool->ref;
                cs->blocks_free += pool_free_blocks(pool);
                out->small_bytes_in_use += (size_t)pool->ref * pmi_class_size(pool->szidx);
                out->pools_in_use++;
                resident -= (size_t)__builtin_popcount(pool->released) * PMI_PAGE_SIZE;
            }
        }
    }
    out->arenas_allocated = a->arenas_allocated;
    out->arenas_reclaimed = a->arenas_reclaimed;
    out->arenas_in_use = a->arenas_current - a->nreserve;
    out->arenas_highwater = a->arenas_highwater;
    out->arenas_reserved = a->nreserve;
    out->pools_released = a->pools_released;
    out->pages_released = a->pages_released;
    out->small_bytes_requested = a->debug ? a->debug->bytes_requested : 0;
    out->large_blocks = a->large.used;
    out->large_bytes = a->large.bytes;
    out->bytes_mapped = a->arenas_current * PMI_ARENA_SIZE;
    out->bytes_resident = resident;
    out->trims = a->trims;
    out->bytes_trimmed = a->bytes_trimmed;
}

/* "1,048,576" — CPython prints sizes with thousands separators. */
static void print_line(FILE *out, const char *label, size_t value) {
    char digits[32], grouped[48];
    int n = snprintf(digits, sizeof digits, "%zu", value);
    int j = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) grouped[j++] = ',';
        grouped[j++] = digits[i];
    }
    grouped[j] = 0;
    fprintf(out, "%-35s= %20s\n", label, grouped);
}

void pm_alloc_stats_print(pm_runtime *rt, FILE *out) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    fprintf(out, "Small block threshold = %d, in %d size classes.\n\n", PM_SMALL_REQUEST_MAX, PM_NUM_SIZE_CLASSES);
    fprintf(out, "class   size   num pools   blocks in use  avail blocks\n");
    fprintf(out, "-----   ----   ---------   -------------  ------------\n");
    size_t avail_bytes = 0, quant = 0;
    for (unsigned c = 0; c < PM_NUM_SIZE_CLASSES; c++) {
        pm_size_class_stats *cs = &s.size_class[c];
        if (!cs->pools) continue;
        fprintf(out, "%5u %6zu %11zu %15zu %13zu\n", c, cs->block_size, cs->pools, cs->blocks_in_use, cs->blocks_free);
        avail_bytes += cs->blocks_free * cs->block_size;
        quant += cs->pools * (PMI_POOL_SIZE % cs->block_size);
    }
    fprintf(out, "\n");
    print_line(out, "# arenas allocated total", s.arenas_allocated);
    print_line(out, "# arenas reclaimed", s.arenas_reclaimed);
    print_line(out, "# arenas highwater mark", s.arenas_highwater);
    print_line(out, "# arenas allocated current", s.arenas_in_use + s.arenas_reserved);
    char label[64];
    snprintf(label, sizeof label, "%zu arenas * %zu bytes/arena", s.arenas_in_use + s.arenas_reserved, (size_t)PMI_ARENA_SIZE);
    print_line(out, label, s.bytes_mapped);
    fprintf(out, "\n");
    print_line(out, "# bytes in allocated blocks", s.small_bytes_in_use);
    print_line(out, "# bytes in available blocks", avail_bytes);
    size_t unused_pools = s.pools_free + s.arenas_reserved * PMI_POOLS_PER_ARENA;
    snprintf(label, sizeof label, "%zu unused pools * %zu bytes", unused_pools, (size_t)PMI_POOL_SIZE);
    print_line(out, label, unused_pools * PMI_POOL_SIZE);
    print_line(out, "# bytes lost to pool headers", 0);
    print_line(out, "# bytes lost to quantization", quant);
    print_line(out, "# bytes lost to arena alignment", 0);
    print_line(out, "Total", s.small_bytes_in_use + avail_bytes + unused_pools * PMI_POOL_SIZE + quant);
    fprintf(out, "\npymm: memory given back and large blocks\n");
    print_line(out, "# bytes resident (arenas)", s.bytes_resident);
    print_line(out, "# bytes mapped (arenas)", s.bytes_mapped);
    print_line(out, "# bytes in live small blocks", s.small_bytes_in_use);
    print_line(out, "# free pools given back", s.pools_released);
    print_line(out, "# pages given back in used pools", s.pages_released);
    print_line(out, "# large blocks (system allocator)", s.large_blocks);
    print_line(out, "# bytes in large blocks", s.large_bytes);
    print_line(out, "# trims", s.trims);
    print_line(out, "# bytes given back by trims", s.bytes_trimmed);
    if (rt->mem.debug) print_line(out, "# bytes requested (debug mode)", s.small_bytes_requested);
}

/* ---- consistency check (PM_DEBUG level 3 style) ---------------------------- */

#define CHECK(cond, ...)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            if (out) { fprintf(out, "pm_alloc_check: " __VA_ARGS__); fputc('\n', out); } \
            return -1;                                                            \
        }                                                                         \
    } while (0)

static int check_pool(const pmi_mem *a, pmi_pool *pool, FILE *out) {
    char *mem = pmi_pool_mem(a, pool);
    size_t bsize = pmi_class_size(pool->szidx);
    unsigned cap = pmi_pool_capacity(pool->szidx);
    unsigned nfree = 0;
    for (pmi_block *b = pool->freeblock; b; b = b->next) {
        size_t off = (size_t)((char *)b - mem);
        CHECK(off < PMI_POOL_SIZE && off % bsize == 0, "pool %p: free block %p outside or misaligned", (void *)mem, (void *)b);
        CHECK(off < pool->nextoffset,
              "pool %p: free block beyond the bump pointer", (void *)mem);
        CHECK(++nfree <= cap, "pool %p: free list longer than the pool (cycle?)", (void *)mem);
    }
    unsigned fresh = pmi_pool_has_fresh(pool) ? (unsigned)((PMI_POOL_SIZE - pool->nextoffset) / bsize) : 0;
    unsigned in_released = 0;
    if (pool->released) {
        for (unsigned k = 0; k < cap; k++) {
            size_t lo = k * bsize, hi = lo + bsize - 1;
            if ((pool->released >> (lo >> PMI_PAGE_BITS)) & 1 || (pool->released >> (hi >> PMI_PAGE_BITS)) & 1)
                in_released++;
        }
    }
    CHECK(pool->ref + nfree + fresh + in_released == cap,
          "pool %p (class %u): %u in use + %u free + %u fresh + %u released != %u", (void *)mem,
          pool->szidx, pool->ref, nfree, fresh, in_released, cap);
    return 0;
}

int pm_alloc_check(pm_runtime *rt, FILE *out) {
    pmi_mem *a = &rt->mem;
    /* usedpools: every pool in state used, linked consistently. */
    for (unsigned c = 0; c < PMI_NUM_SIZE_CLASSES; c++) {
        pmi_pool *prev = NULL;
        for (pmi_pool *p = a->usedpools[c]; p; p = p->next) {
            CHECK(p->prev == prev, "usedpools[%u]: broken back link", c);
            CHECK(p->szidx == c, "usedpools[%u]: pool of class %u", c, p->szidx);
            const pmi_arena *par = pmi_pool_arena(a, p);
            CHECK(par->classes[p - par->pools] == c, "usedpools[%u]: class map says %u", c, par->classes[p - par->pools]);
            CHECK(p->freeblock != NULL, "usedpools[%u]: pool with no free block", c);
            /* An idle pool (empty, kept as its class's only pool) is retired
             * when another pool joins the list: never beside others. */
            if (p->ref == 0) CHECK(!p->next && !p->prev, "usedpools[%u]: an empty pool beside others", c);
            prev = p;
        }
    }
    /* usable_arenas sorted by nfreepools, nfp2lasta consistent. */
    pmi_arena *prev = NULL;
    for (pmi_arena *ar = a->usable_arenas; ar; ar = ar->next) {
        CHECK(ar->prev == prev, "usable_arenas: broken back link");
        CHECK(ar->nfreepools > 0, "usable_arenas: arena with no free pool");
        CHECK(!prev || prev->nfreepools <= ar->nfreepools, "usable_arenas: not sorted");
        if (!ar->next || ar->next->nfreepools != ar->nfreepools)
            CHECK(a->nfp2lasta[ar->nfreepools] == ar, "nfp2lasta[%u] wrong", ar->nfreepools);
        prev = ar;
    }
    size_t in_use = 0, reserve = 0;
    for (unsigned ri = 0; ri < a->nregions; ri++) {
        pmi_region *r = &a->regions[ri];
        for (size_t i = 0; i < r->next_fresh; i++) {
            pmi_arena *ar = &r->arenas[i];
            if (ar->state == PMI_ARENA_UNUSED) continue;
            if (ar->state == PMI_ARENA_RESERVE) { reserve++; continue; }
            in_use++;
            CHECK((unsigned)__builtin_popcountll(ar->free_pools) == ar->nfreepools, "arena %p: free pool count", (void *)ar->mem);
            CHECK((ar->released_pools & ~ar->free_pools) == 0, "arena %p: released pool in use", (void *)ar->mem);
            uint64_t used = ~ar->free_pools;
            while (used) {
                unsigned k = (unsigned)__builtin_ctzll(used);
                used &= used - 1;
                if (check_pool(a, &ar->pools[k], out) < 0) return -1;
            }
        }
    }
    CHECK(reserve == a->nreserve, "reserve count %zu != %zu", reserve, a->nreserve);
    /* Free caches: each within its bound, every block a block of its class
     * in a pool in use (where it counts as in use). */
    for (unsigned c = 0; c < PMI_NUM_SIZE_CLASSES; c++) {
        unsigned half = pmi_cache_half(c), n[2] = {0, 0};
        CHECK(a->cache_room[c] >= 1 && a->cache_room[c] <= half, "cache[%u]: room %u", c, a->cache_room[c]);
        for (int cold = 0; cold < 2; cold++) {
            for (pmi_block *b = cold ? a->cache_cold[c] : a->cache[c]; b; b = b->next) {
                CHECK(++n[cold] <= half, "cache[%u]: %s stack longer than its bound (cycle?)", c, cold ? "cold" : "hot");
                pmi_pool *pool = pmi_pool_of(rt, b);
                CHECK(pool != NULL, "cache[%u]: block %p not ours", c, (void *)b);
                const pmi_arena *par = pmi_pool_arena(a, pool);
                CHECK(pool->szidx == c && (par->classes[pool - par->pools] & (PMI_NUM_SIZE_CLASSES - 1)) == c,
                      "cache[%u]: block %p in a pool of class %u", c, (void *)b, pool->szidx);
                CHECK(!(par->free_pools >> (pool - par->pools) & 1) && pool->ref > 0,
                      "cache[%u]: block %p in an empty pool", c, (void *)b);
                CHECK((size_t)((char *)b - pmi_pool_mem(a, pool)) % pmi_class_size(c) == 0,
                      "cache[%u]: block %p misaligned", c, (void *)b);
            }
        }
        CHECK(n[0] == half - a->cache_room[c], "cache[%u]: %u blocks in the hot stack, count says %u", c, n[0],
              half - a->cache_room[c]);
        CHECK(n[1] == 0 || n[1] == half, "cache[%u]: cold stack of %u blocks, not 0 or %u", c, n[1], half);
    }
    /* Draining pools: in use, out of usedpools, their map byte marked, and
     * nothing waiting in their entries of the cache. */
    for (unsigned c = 0; c < PMI_NUM_SIZE_CLASSES; c++) {
        CHECK(a->cache[PMI_NUM_SIZE_CLASSES + c] == NULL && a->cache_room[PMI_NUM_SIZE_CLASSES + c] == 1,
              "draining entry of cache[%u] not empty", c);
        pmi_pool *d = a->draining[c];
        if (!d) continue;
        const pmi_arena *par = pmi_pool_arena(a, d);
        CHECK(d->szidx == c && d->ref > 0 && !(par->free_pools >> (d - par->pools) & 1),
              "draining[%u]: not a pool of its class in use", c);
        CHECK(!d->next && !d->prev && a->usedpools[c] != d, "draining[%u]: in usedpools", c);
        CHECK(par->classes[d - par->pools] == PMI_NUM_SIZE_CLASSES + c, "draining[%u]: class map says %u", c,
              par->classes[d - par->pools]);
    }
    CHECK(in_use + reserve == a->arenas_current, "arena count");
    return 0;
}
