/*
 * arena.c — regions, arenas and pools: where small blocks come from.
 *
 * Layers (bottom to top), as in CPython's Objects/obmalloc.c:
 *
 *   OS (mmap) ─► region (16 GiB reserved, MAP_NORESERVE, 2 MiB aligned)
 *                 └─► arena (1 MiB) ─► pool (16 KiB, one size class) ─► block
 *
 *   region.mem ┌────────┬────────┬────────┬─────┐
 *              │arena 0 │arena 1 │arena 2 │ ... │   address space only: a page
 *              └────────┴────────┴────────┴─────┘   costs memory once touched
 *   region.arenas[i] / region.pools[j]: descriptors, in a separate mapping
 *
 * Invariants
 *   - An arena slot is UNUSED (no memory behind it as far as we know), IN_USE
 *     (in usable_arenas when it has a free pool, else in no list) or RESERVE
 *     (all pools empty, resident, in reserve_arenas).
 *   - usable_arenas is sorted by nfreepools ascending: pools are taken from
 *     the fullest arena, so that nearly empty arenas drain and can go back
 *     to the OS (CPython 3.11's policy).  nfp2lasta[n] points at the last
 *     arena with n free pools, which makes every re-sort O(1).
 *   - A pool is empty exactly when its bit in arena->free_pools is set.
 *
 * Giving memory back: an arena whose pools are all empty goes to the reserve
 * list.  Up to the reserve limit (an adaptive limit, see PMI_RESERVE_WINDOW)
 * it stays there; beyond it, it is surplus, held resident only for a while
 * (PMI_SURPLUS_PATIENCE): a heap freed and built again at once — a program
 * dropping a big structure and making the next one — finds its pages still
 * faulted in, and a heap that stays small gets its memory back.  Surplus
 * goes back to the OS at the first of: (1) the allocator has taken
 * PMI_SURPLUS_PATIENCE + 64 × surplus pools without ever needing those
 * arenas (pool takes are the clock: there is no other); (2) the trim after
 * a full collection; (3) pm_trim.  With arena_reserve 0 (PYMM_ARENA_RESERVE=0)
 * nothing is held: an empty arena goes back at once, as in CPython.
 *
 *   reserve_arenas: [A][B][C][D][E][F]     nreserve 6, reserve_max 2
 *                   └─ surplus ─┘└limit┘   (which ones is immaterial: only
 *                                           the counts differ)
 *
 * Going back to the OS: the arena's range is mapped afresh (MAP_FIXED),
 * which frees the pages and the page tables, so that the range can get huge
 * pages again.  Empty pools and free
 * pages inside used pools are given back by pmi_arena_trim (page return,
 * docs/allocator.md).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "core/runtime.h"

/* ---- OS layer ---------------------------------------------------------- */

static void *os_map(size_t size) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Make [p, p+size) resident, writable, in one call (Linux 5.14+); -1 when
 * the kernel cannot (the pages then fault in one by one on first touch). */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
static int os_populate(void *p, size_t size) {
    return madvise(p, size, MADV_POPULATE_WRITE);
}

/* Give the pages of [p, p+size) back to the OS; the range stays reserved and
 * reads as zeros.  A fresh mapping over the range also drops its page tables,
 * so a 2 MiB range can become a huge page again; madvise is the fallback. */
static void os_release(pm_runtime *rt, void *p, size_t size, int remap) {
    if (remap) {
        void *q = mmap(p, size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
        if (q == p) {
            if (rt->mem.huge_pages) (void)madvise(p, size, MADV_HUGEPAGE);
            return;
        }
    }
    (void)madvise(p, size, MADV_DONTNEED);
}

/* Give back pages inside an arena that stays in use.
 *
 * Pages to give back are collected into runs of adjacent memory, and the
 * runs into a batch given back with one process_madvise call (Linux 6.14+
 * for the calling process by PIDFD_SELF_THREAD_GROUP; 6.13+ accepts
 * MADV_DONTNEED for oneself).  On these VMs a madvise of one page costs
 * 6-8 us, most of it the TLB flush; 256 runs in one call cost 1.1-1.4 us
 * each, since the kernel flushes once for the batch (tests/ has no timing;
 * the probe and its figures: docs/allocator.md, "Giving memory back").
 * bench-alloc frag gives back 54,000 scattered pages: the frees took 190 ns
 * each, 140 of them in madvise.  A kernel or sandbox that refuses the call
 * gets one madvise per run, as before. */
#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif
#define PMI_PIDFD_SELF_THREAD_GROUP (-10001) /* linux/pidfd.h, 6.14 */

typedef struct release_batch {
    char *start;                /* first byte of the pending run, or NULL */
    size_t size;                /* its length */
    unsigned n;                 /* finished runs in v */
    struct iovec v[PMI_RELEASE_BATCH];
} release_batch;

#define RELEASE_BATCH_INIT {NULL, 0, 0, {{NULL, 0}}}

static void batch_submit(pm_runtime *rt, release_batch *b) {
    if (b->n == 0) return;
    if (b->n > 1 && rt->mem.vector_release) {
        size_t total = 0;
        for (unsigned i = 0; i < b->n; i++) total += b->v[i].iov_len;
        long done = syscall(SYS_process_madvise, PMI_PIDFD_SELF_THREAD_GROUP, b->v, (size_t)b->n, MADV_DONTNEED, 0u);
        if (done == (long)total) {
            b->n = 0;
            return;
        }
        /* Refused (an older kernel, a sandbox) or cut short: every run once
         * more the old way (giving back a page twice is harmless). */
        if (done < 0 && errno != EAGAIN && errno != EINTR && errno != ENOMEM) rt->mem.vector_release = 0;
    }
    for (unsigned i = 0; i < b->n; i++) os_release(rt, b->v[i].iov_base, b->v[i].iov_len, 0);
    b->n = 0;
}

/* The pending run, if any, is finished: it joins the batch, which is given
 * back when full. */
static void batch_close_run(pm_runtime *rt, release_batch *b) {
    if (!b->start) return;
    b->v[b->n].iov_base = b->start;
    b->v[b->n].iov_len = b->size;
    b->start = NULL;
    b->size = 0;
    if (++b->n == PMI_RELEASE_BATCH) batch_submit(rt, b);
}

/* Give back everything collected. */
static void batch_flush(pm_runtime *rt, release_batch *b) {
    batch_close_run(rt, b);
    batch_submit(rt, b);
}

static void batch_add(pm_runtime *rt, release_batch *b, pmi_arena *ar, char *p, size_t size) {
    if (rt->mem.huge_pages && !ar->nohuge) {
        (void)madvise(ar->mem, PMI_ARENA_SIZE, MADV_NOHUGEPAGE);
        ar->nohuge = 1;
    }
    if (b->start && b->start + b->size == p) {
        b->size += size;
        return;
    }
    if (b->start && p + size == b->start) { /* extends the run downwards */
        b->start = p;
        b->size += size;
        return;
    }
    batch_close_run(rt, b);
    b->start = p;
    b->size = size;
}

/* Reserve a new region, halving the request when the kernel refuses. */
static pmi_region *region_new(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    if (a->nregions == PMI_MAX_REGIONS) return NULL;
    size_t size = PMI_REGION_SIZE;
    char *raw = NULL;
    for (; size >= PMI_REGION_MIN_SIZE; size /= 2) {
        raw = os_map(size + PMI_HUGE_PAGE_SIZE);
        if (raw) break;
    }
    if (!raw) return NULL;
    /* Trim to a 2 MiB-aligned base. */
    uintptr_t base = ((uintptr_t)raw + PMI_HUGE_PAGE_SIZE - 1) & ~(uintptr_t)(PMI_HUGE_PAGE_SIZE - 1);
    size_t head = base - (uintptr_t)raw;
    if (head) munmap(raw, head);
    munmap((char *)base + size, PMI_HUGE_PAGE_SIZE - head);

    size_t narenas = size >> PMI_ARENA_BITS;
    size_t npools = size >> PMI_POOL_BITS;
    size_t meta_size = narenas * sizeof(pmi_arena) + npools * sizeof(pmi_pool) + npools;
    void *meta = os_map(meta_size);
    if (!meta) {
        munmap((void *)base, size);
        return NULL;
    }
    if (rt->mem.huge_pages) (void)madvise((void *)base, size, MADV_HUGEPAGE);

    pmi_region *r = &a->regions[a->nregions++];
    r->mem = (char *)base;
    r->size = size;
    r->meta = meta;
    r->meta_size = meta_size;
    r->arenas = meta;
    r->pools = (pmi_pool *)((char *)meta + narenas * sizeof(pmi_arena));
    r->classes = (uint8_t *)(r->pools + npools);
    r->narenas = narenas;
    r->next_fresh = 0;
    if (a->nregions == 1) {
        a->region0_mem = r->mem;
        a->region0_size = r->size;
        a->region0_classes = r->classes;
        pmi_mem_gates_update(rt);
    }
    return r;
}

void pmi_regions_fini(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    for (unsigned i = 0; i < a->nregions; i++) {
        /* Free blocks are poisoned for ASan; the shadow outlives munmap, so
         * whoever maps these addresses next would get false reports.  Only
         * arenas ever carved can hold poison (and unpoisoning the whole
         * reserved region would touch gigabytes of shadow). */
        PMI_UNPOISON(a->regions[i].mem, a->regions[i].next_fresh << PMI_ARENA_BITS);
        munmap(a->regions[i].mem, a->regions[i].size);
        munmap(a->regions[i].meta, a->regions[i].meta_size);
    }
    a->nregions = 0;
    a->region0_mem = NULL;
    a->region0_size = 0;
    a->region0_classes = NULL;
    pmi_mem_gates_update(rt);
}

/* ---- arenas -------------------------------------------------------------- */

static void arena_init(pmi_arena *ar, pmi_region *r, size_t idx) {
    ar->mem = r->mem + (idx << PMI_ARENA_BITS);
    ar->pools = r->pools + idx * PMI_POOLS_PER_ARENA;
    ar->classes = r->classes + idx * PMI_POOLS_PER_ARENA;
}

static void reserve_event(pm_runtime *rt);

/* The reserve list.  Wholly resident arenas go in at the head and partly
 * resident ones (some pools given back, or never faulted in) at the tail,
 * and takes and drops come from the head.  A heap rebuilt from the reserve
 * then ends in the partly resident arena, as it did the first time: taken
 * first, that arena left a wholly resident one last, its unused pools
 * resident for nothing (bench-alloc list48's warm rounds: 850 KiB over the
 * first round's peak). */
static pmi_arena *reserve_pop(pmi_mem *a) {
    pmi_arena *ar = a->reserve_arenas;
    if (ar) {
        a->reserve_arenas = ar->next;
        if (!ar->next) a->reserve_tail = NULL;
        a->nreserve--;
    }
    return ar;
}

static void reserve_push(pmi_mem *a, pmi_arena *ar) {
    ar->state = PMI_ARENA_RESERVE;
    if (ar->released_pools == 0 || !a->reserve_arenas) {
        ar->next = a->reserve_arenas;
        a->reserve_arenas = ar;
        if (!ar->next) a->reserve_tail = ar;
    } else {
        ar->next = NULL;
        a->reserve_tail->next = ar;
        a->reserve_tail = ar;
    }
    a->nreserve++;
}

/* Link ar (not in the list) into usable_arenas after every arena with as
 * few free pools or fewer: the last of its group, so nfp2lasta points to
 * it.  The walk starts from the group below: O(1) but for the scan of
 * nfp2lasta. */
static void usable_insert(pmi_mem *a, pmi_arena *ar) {
    unsigned nf = ar->nfreepools;
    pmi_arena *prev = NULL;
    for (unsigned k = nf + 1; k-- > 0;) {
        if (a->nfp2lasta[k]) {
            prev = a->nfp2lasta[k];
            break;
        }
    }
    ar->prev = prev;
    ar->next = prev ? prev->next : a->usable_arenas;
    if (ar->next) ar->next->prev = ar;
    if (prev) prev->next = ar;
    else a->usable_arenas = ar;
    a->nfp2lasta[nf] = ar;
}

/* Take an arena: from the reserve, else a returned slot, else a fresh slot of
 * some region, else a new region.  The arena joins usable_arenas. */
pmi_arena *pmi_arena_new(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    pmi_arena *ar = reserve_pop(a);
    if (!ar) {
        ar = a->unused_arenas;
        if (ar) {
            /* Given back earlier, needed again: the heap is growing back,
             * so keep more of it next time it shrinks. */
            a->unused_arenas = ar->next;
            if (a->reserve_max < a->arenas_highwater) a->reserve_max++;
        } else {
            pmi_region *r = a->nregions ? &a->regions[a->nregions - 1] : NULL;
            if (!r || r->next_fresh == r->narenas) r = region_new(rt);
            if (!r) return NULL;
            size_t idx = r->next_fresh++;
            ar = &r->arenas[idx];
            arena_init(ar, r, idx);
        }
        a->arenas_allocated++;
        a->arenas_current++;
        if (a->arenas_current > a->arenas_highwater) a->arenas_highwater = a->arenas_current;
        /* Fresh from the OS: every pool reads as zeros, none is resident.
         * A heap past its first few arenas is growing: its pools are faulted
         * in a run at a time as they are taken, one system call per run
         * rather than one trap per page (config.h, pmi_arena_take_pool). */
        ar->released_pools = ~(uint64_t)0;
        a->pools_released += PMI_POOLS_PER_ARENA;
        ar->populate = a->arenas_current > PMI_POPULATE_AFTER_ARENAS;
    }
    ar->state = PMI_ARENA_IN_USE;
    ar->free_pools = ~(uint64_t)0;
    ar->nfreepools = PMI_POOLS_PER_ARENA;
    usable_insert(a, ar);
    reserve_event(rt);
    return ar;
}

static void usable_unlink(pmi_mem *a, pmi_arena *ar) {
    if (ar->prev) ar->prev->next = ar->next;
    else a->usable_arenas = ar->next;
    if (ar->next) ar->next->prev = ar->prev;
    ar->next = ar->prev = NULL;
}

/* Fault in given-back pool i of a growing arena with up to
 * PMI_POPULATE_POOLS - 1 given-back free pools after it, in one system call.
 * The others become resident free pools; on failure (a kernel without
 * MADV_POPULATE_WRITE) the arena stops trying and its pages fault in on
 * first touch. */
static void populate_run(pmi_mem *a, pmi_arena *ar, unsigned i) {
    uint64_t avail = ar->free_pools & ar->released_pools;
    unsigned n = 1;
    while (n < PMI_POPULATE_POOLS && i + n < PMI_POOLS_PER_ARENA && (avail >> (i + n)) & 1) n++;
    if (os_populate(ar->mem + ((size_t)i << PMI_POOL_BITS), (size_t)n << PMI_POOL_BITS) != 0) {
        ar->populate = 0;
        return;
    }
    for (unsigned k = 1; k < n; k++) ar->released_pools &= ~((uint64_t)1 << (i + k));
    a->pools_released -= n - 1;
}

/* Give an empty arena back to the OS; its slot goes on the unused list. */
static void arena_to_os(pm_runtime *rt, pmi_arena *ar) {
    pmi_mem *a = &rt->mem;
    os_release(rt, ar->mem, PMI_ARENA_SIZE, 1);
    ar->nohuge = 0;
    ar->populate = 0;
    a->pools_released -= (size_t)__builtin_popcountll(ar->released_pools);
    for (size_t i = 0; i < PMI_POOLS_PER_ARENA; i++) {
        if (ar->pools[i].released) {
            a->pages_released -= (size_t)__builtin_popcount(ar->pools[i].released);
            ar->pools[i].released = 0;
        }
    }
    ar->released_pools = 0;
    ar->state = PMI_ARENA_UNUSED;
    ar->next = a->unused_arenas;
    a->unused_arenas = ar;
    a->arenas_current--;
    a->arenas_reclaimed++;
}

/* Window bookkeeping of the adaptive reserve (config.h): called after each
 * arena take or release. */
static void reserve_event(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    if (a->nreserve < a->reserve_low) a->reserve_low = a->nreserve;
    if (a->nreserve > a->reserve_max) a->window_surplus = 1;
    if (++a->arena_events < PMI_RESERVE_WINDOW + a->reserve_max) return;
    /* Only the part within the limit: surplus has its own rule (surplus_tick),
     * and a heap shrinking step by step must not lose it window by window.
     * Nor does a window in which surplus was held judge the limit: takes
     * draw on the surplus first, so the arenas within the limit sat unused
     * because the surplus served, not because nobody needed them.  (Judging
     * them anyway gave a heap freed and rebuilt in a loop 1-2% of its arenas
     * back to the OS each time it was freed and each time it was built:
     * bench-alloc list48 re-faulted 5,000 pages in round 2, 12,500 in round
     * 6, growing.) */
    if (a->window_surplus) {
        a->window_surplus = a->nreserve > a->reserve_max;
        a->arena_events = 0;
        a->reserve_low = a->nreserve;
        return;
    }
    size_t low = a->reserve_low < a->reserve_max ? a->reserve_low : a->reserve_max;
    size_t surplus = low / 2;
    size_t shrink = a->reserve_max - a->reserve_base < surplus ? a->reserve_max - a->reserve_base : surplus;
    a->reserve_max -= shrink;
    pmi_arena *ar;
    while (surplus-- && (ar = reserve_pop(a)) != NULL) arena_to_os(rt, ar);
    a->arena_events = 0;
    a->reserve_low = a->nreserve;
}

/* Arenas of the reserve list beyond its limit. */
static size_t reserve_surplus(const pmi_mem *a) {
    return a->nreserve > a->reserve_max ? a->nreserve - a->reserve_max : 0;
}

/* Give n arenas of the reserve list back to the OS; the bytes that were
 * resident. */
static size_t reserve_drop(pm_runtime *rt, size_t n) {
    pmi_mem *a = &rt->mem;
    size_t bytes = 0;
    pmi_arena *ar;
    while (n-- && (ar = reserve_pop(a)) != NULL) {
        size_t resident = PMI_POOLS_PER_ARENA - (size_t)__builtin_popcountll(ar->released_pools);
        bytes += resident * PMI_POOL_SIZE;
        arena_to_os(rt, ar);
    }
    return bytes;
}

/* The surplus clock, one tick per pool taken (pmi_arena_take_pool).  A
 * period lasts PMI_SURPLUS_PATIENCE + 64 × (the surplus at its start) pool
 * takes — long enough for a program rebuilding its heap to draw on every
 * surplus arena, which it does at one arena per 64 pools at most; the fewest
 * surplus arenas seen during the period were never needed, and go back to
 * the OS at its end. */
static void surplus_tick(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    size_t s = reserve_surplus(a);
    if (s < a->surplus_low) a->surplus_low = s;
    if (a->surplus_clock) {
        a->surplus_clock--;
        return;
    }
    if (a->surplus_low) {
        a->surplus_drops++;
        reserve_drop(rt, a->surplus_low);
        a->reserve_low = a->nreserve < a->reserve_low ? a->nreserve : a->reserve_low;
    }
    s = reserve_surplus(a);
    a->surplus_low = s;
    a->surplus_clock = PMI_SURPLUS_PATIENCE + s * PMI_POOLS_PER_ARENA;
}

/* The arena has no pool in use any more: keep it in the reserve list (within
 * the limit, or as surplus) or, with no reserve at all, return it. */
static void arena_release(pm_runtime *rt, pmi_arena *ar) {
    pmi_mem *a = &rt->mem;
    if (a->nreserve < a->reserve_max || a->reserve_base > 0) {
        reserve_push(a, ar);
    } else {
        arena_to_os(rt, ar);
    }
    reserve_event(rt);
}

/* An arena whose free pools were all given back is passed over while a
 * resident free pool is at hand: in one of the next few arenas of the list,
 * else in the reserve, whose arenas are resident for nothing.  Faulting the
 * given-back pools in instead left as many resident pools unused at the
 * end: a list freed oldest first keeps the arena it freed last in use (its
 * blocks freed last are cached), and it is the heap's last arena, mostly
 * never faulted in; the rebuild filled it first and ended in a resident
 * reserve arena, half unused (bench-alloc list48: 768 KiB over the first
 * round's peak).  Returns the arena to take from. */
static pmi_arena *arena_with_resident_pool(pm_runtime *rt, pmi_arena *head) {
    pmi_mem *a = &rt->mem;
    pmi_arena *ar = head->next;
    for (unsigned i = 0; ar && i < PMI_RESIDENT_SCAN; i++, ar = ar->next)
        if (ar->free_pools & ~ar->released_pools) return ar;
    if (!a->reserve_arenas) return head;
    ar = pmi_arena_new(rt); /* from the reserve: cannot fail */
    return ar ? ar : head;
}

/* Take an empty pool from the fullest arena that has one (but see
 * arena_with_resident_pool). */
pmi_pool *pmi_arena_take_pool(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    pmi_arena *ar = a->usable_arenas;
    if (!ar) {
        ar = pmi_arena_new(rt);
        if (!ar) return NULL;
    } else if (__builtin_expect(!(ar->free_pools & ~ar->released_pools), 0)) {
        ar = arena_with_resident_pool(rt, ar);
    }
    surplus_tick(rt);
    unsigned nf = ar->nfreepools;
    if (a->nfp2lasta[nf] == ar) {
        pmi_arena *p = ar->prev;
        a->nfp2lasta[nf] = (p && p->nfreepools == nf) ? p : NULL;
    }
    ar->nfreepools = --nf;
    if (nf == 0) {
        usable_unlink(a, ar);
    } else if (ar == a->usable_arenas) {
        /* ar stays where it is: it is the head and now has the fewest. */
        if (!a->nfp2lasta[nf]) a->nfp2lasta[nf] = ar;
    } else {
        /* Passed over the head: move ar to the end of its new group. */
        usable_unlink(a, ar);
        usable_insert(a, ar);
    }
    /* Prefer a pool whose pages are still resident. */
    uint64_t mask = ar->free_pools & ~ar->released_pools;
    if (!mask) mask = ar->free_pools;
    unsigned i = (unsigned)__builtin_ctzll(mask);
    ar->free_pools &= ~((uint64_t)1 << i);
    if (ar->released_pools & ((uint64_t)1 << i)) {
        if (ar->populate) populate_run(a, ar, i);
        ar->released_pools &= ~((uint64_t)1 << i);
        a->pools_released--;
    }
    return &ar->pools[i];
}

static size_t pool_trim_batched(pm_runtime *rt, pmi_pool *pool, release_batch *batch);

/* Deferred page return, part 1: arenas still in use give back their surplus
 * of resident empty pools.  An arena still draining — more pools empty now
 * than when it was queued — stays queued (with the new count) for the next
 * run, unless every queued arena is draining (or `all`).  The newest entry
 * counts as draining: its pool freed just now filled the queue.  A heap
 * being freed in order empties its arenas one after another, and the last
 * one queued is half way; trimming it gave back pools that the arena took back
 * at once when it went to the reserve and the heap was built again
 * (bench-alloc list48: ~290 pools re-faulted per round). */
static int still_draining(const pmi_arena *ar, int newest) {
    /* The newest entry is the arena whose pool freed just now filled the
     * queue: it crossed the threshold this very moment. */
    return newest || ar->nfreepools != (unsigned)ar->queued;
}

static void trim_queue_run_arenas(pm_runtime *rt, int all) {
    pmi_mem *a = &rt->mem;
    release_batch batch = RELEASE_BATCH_INIT;
    unsigned kept = 0, n_queued = a->ntrim_arenas;
    if (!all) {
        unsigned draining = 0;
        for (unsigned i = 0; i < n_queued; i++) {
            pmi_arena *ar = a->trim_arenas[i];
            if (ar->state == PMI_ARENA_IN_USE && still_draining(ar, i + 1 == n_queued)) draining++;
        }
        all = draining == n_queued;
    }
    for (unsigned i = 0; i < n_queued; i++) {
        pmi_arena *ar = a->trim_arenas[i];
        if (ar->state != PMI_ARENA_IN_USE) {
            ar->queued = 0;
            continue;
        }
        if (!all && still_draining(ar, i + 1 == n_queued)) {
            ar->queued = (int)ar->nfreepools;
            a->trim_arenas[kept++] = ar;
            continue;
        }
        ar->queued = 0;
        uint64_t resident = ar->free_pools & ~ar->released_pools;
        int n = __builtin_popcountll(resident);
        if (n <= PMI_ARENA_FREE_POOLS_HI) continue;
        while (n-- > PMI_ARENA_FREE_POOLS_LO) {
            unsigned k = 63u - (unsigned)__builtin_clzll(resident); /* highest first */
            resident &= ~((uint64_t)1 << k);
            batch_add(rt, &batch, ar, ar->mem + ((size_t)k << PMI_POOL_BITS), PMI_POOL_SIZE);
            ar->released_pools |= (uint64_t)1 << k;
            a->pools_released++;
        }
    }
    batch_flush(rt, &batch); /* one call for every arena's runs (highest pool first: runs grow downwards) */
    a->ntrim_arenas = kept;
}

/* Part 2: pools still in use (with free blocks) give back their free pages. */
static void trim_queue_run_pools(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    release_batch batch = RELEASE_BATCH_INIT;
    for (unsigned i = 0; i < a->ntrim_pools; i++) {
        pmi_pool *pool = a->trim_pools[i];
        pmi_arena *ar = pmi_pool_arena(a, pool);
        if (ar->state != PMI_ARENA_IN_USE) continue;
        if (ar->free_pools & ((uint64_t)1 << (pool - ar->pools))) continue;
        if (pool->ref == 0 || !pool->freeblock) continue; /* idle or full */
        pool_trim_batched(rt, pool, &batch);
    }
    batch_flush(rt, &batch);
    a->ntrim_pools = 0;
}

void pmi_trim_queue_pool(pm_runtime *rt, pmi_pool *pool) {
    pmi_mem *a = &rt->mem;
    a->trim_pools[a->ntrim_pools++] = pool;
    if (a->ntrim_pools == PMI_TRIM_QUEUE) trim_queue_run_pools(rt);
}

/* A pool has just become empty: mark it free in its arena and re-sort. */
void pmi_arena_pool_freed(pm_runtime *rt, pmi_pool *pool) {
    pmi_mem *a = &rt->mem;
    pmi_arena *ar = pmi_pool_arena(a, pool);
    unsigned i = (unsigned)(pool - ar->pools);
    /* Pages given back while the pool was in use: the whole pool is empty
     * now, so they count as a released pool only if all pages were. */
    if (pool->released) {
        a->pages_released -= (size_t)__builtin_popcount(pool->released);
        pool->released = 0;
    }
    ar->free_pools |= (uint64_t)1 << i;
    unsigned nf = ar->nfreepools;
    pmi_arena *lastnf = a->nfp2lasta[nf];
    if (lastnf == ar) {
        pmi_arena *p = ar->prev;
        a->nfp2lasta[nf] = (p && p->nfreepools == nf) ? p : NULL;
    }
    ar->nfreepools = ++nf;

    if (nf == PMI_POOLS_PER_ARENA) {
        /* Every pool empty: out of the usable list, back to reserve or OS. */
        if (a->nfp2lasta[nf] == ar) a->nfp2lasta[nf] = NULL;
        usable_unlink(a, ar);
        arena_release(rt, ar);
        return;
    }
    if (nf == 1) {
        /* Was full (in no list): it now has the fewest free pools. */
        ar->prev = NULL;
        ar->next = a->usable_arenas;
        if (ar->next) ar->next->prev = ar;
        a->usable_arenas = ar;
        if (!a->nfp2lasta[1]) a->nfp2lasta[1] = ar;
        return;
    }
    if (!a->nfp2lasta[nf]) a->nfp2lasta[nf] = ar;
    if (a->page_return && !ar->queued &&
        __builtin_popcountll(ar->free_pools & ~ar->released_pools) > PMI_ARENA_FREE_POOLS_HI) {
        ar->queued = (int)nf; /* nonzero: nf > HI here */
        a->trim_arenas[a->ntrim_arenas++] = ar;
        if (a->ntrim_arenas == PMI_TRIM_ARENA_QUEUE) trim_queue_run_arenas(rt, 0);
    }
    /* Arenas with nf-1 free pools are contiguous and precede those with nf:
     * unless ar was the last of them, move it just after that last one. */
    if (lastnf && lastnf != ar) {
        usable_unlink(a, ar);
        ar->prev = lastnf;
        ar->next = lastnf->next;
        if (lastnf->next) lastnf->next->prev = ar;
        lastnf->next = ar;
    }
}

/* ---- page return (trim) -------------------------------------------------- */

/* Blocks of a pool overlapping page pg: [first, last] block indices. */
static void page_blocks(size_t bsize, unsigned pg, unsigned nblocks, unsigned *first, unsigned *last) {
    size_t lo = (size_t)pg << PMI_PAGE_BITS, hi = lo + PMI_PAGE_SIZE;
    *first = (unsigned)(lo / bsize);
    unsigned l = (unsigned)((hi - 1) / bsize);
    *last = l < nblocks ? l : nblocks - 1;
}

/* Give back every page of a used pool on which all blocks are free.  The
 * free list is rebuilt without the blocks of released pages (their memory
 * reads as zeros until touched again); pmi_pool_recarve puts them back when
 * the pool runs out of resident free blocks.  Returns bytes released. */
static size_t pool_trim_batched(pm_runtime *rt, pmi_pool *pool, release_batch *batch) {
    char *mem = pmi_pool_mem(&rt->mem, pool);
    size_t bsize = pmi_class_size(pool->szidx);
    unsigned nblocks = pmi_pool_capacity(pool->szidx);
    uint64_t freemap[16] = {0};     /* 1024 blocks at most */
    unsigned nused_limit = pool->nextoffset / (unsigned)bsize; /* blocks below the bump */
    if (!pmi_pool_has_fresh(pool)) nused_limit = nblocks;
    for (pmi_block *b = pool->freeblock; b; b = b->next) {
        unsigned k = (unsigned)(((char *)b - mem) / bsize);
        freemap[k >> 6] |= (uint64_t)1 << (k & 63);
    }
    for (unsigned k = nused_limit; k < nblocks; k++) freemap[k >> 6] |= (uint64_t)1 << (k & 63);
    unsigned released = pool->released;
    for (unsigned pg = 0; pg < PMI_PAGES_PER_POOL; pg++) {
        if (!(released & (1u << pg))) continue;
        unsigned f, l;
        page_blocks(bsize, pg, nblocks, &f, &l);
        for (unsigned k = f; k <= l; k++) freemap[k >> 6] |= (uint64_t)1 << (k & 63);
    }
    unsigned newly = 0;
    for (unsigned pg = 0; pg < PMI_PAGES_PER_POOL; pg++) {
        if (released & (1u << pg)) continue;
        unsigned f, l, all = 1;
        page_blocks(bsize, pg, nblocks, &f, &l);
        for (unsigned k = f; k <= l && all; k++) all = (freemap[k >> 6] >> (k & 63)) & 1;
        if (all) newly |= 1u << pg;
    }
    if (!newly) return 0;
    released |= newly;
    /* Rebuild the free list from resident free blocks, in address order. */
    pmi_block *head = NULL, **tail = &head;
    for (unsigned k = 0; k < nblocks; k++) {
        if (!((freemap[k >> 6] >> (k & 63)) & 1)) continue;
        size_t lo = k * bsize, hi = lo + bsize - 1;
        unsigned p0 = (unsigned)(lo >> PMI_PAGE_BITS), p1 = (unsigned)(hi >> PMI_PAGE_BITS);
        if ((released >> p0) & 1 || (released >> p1) & 1) continue;
        pmi_block *b = (pmi_block *)(mem + lo);
        PMI_UNPOISON(b, sizeof *b);
        *tail = b;
        tail = &b->next;
    }
    *tail = NULL;
    /* A used pool keeps at least one resident free block, so that "freeblock
     * is NULL" still means "full" on the free path. */
    if (!head) return 0;
    pool->freeblock = head;
    pool->nextoffset = (uint16_t)PMI_POOL_SIZE; /* the fresh blocks are folded in */
    size_t bytes = 0;
    for (unsigned pg = 0; pg < PMI_PAGES_PER_POOL; pg++) {
        if (newly & (1u << pg)) {
            batch_add(rt, batch, pmi_pool_arena(&rt->mem, pool), mem + ((size_t)pg << PMI_PAGE_BITS), PMI_PAGE_SIZE);
            bytes += PMI_PAGE_SIZE;
        }
    }
    pool->released = (uint8_t)released;
    rt->mem.pages_released += (size_t)__builtin_popcount(newly);
    return bytes;
}

size_t pmi_pool_trim(pm_runtime *rt, pmi_pool *pool) {
    release_batch batch = RELEASE_BATCH_INIT;
    size_t bytes = pool_trim_batched(rt, pool, &batch);
    batch_flush(rt, &batch);
    return bytes;
}

/* The pool's resident free blocks are used up: thread the blocks of its
 * released pages onto the free list again (touching them brings the pages
 * back, zero-filled). */
void pmi_pool_recarve(pmi_mem *a, pmi_pool *pool) {
    char *mem = pmi_pool_mem(a, pool);
    size_t bsize = pmi_class_size(pool->szidx);
    unsigned nblocks = pmi_pool_capacity(pool->szidx);
    unsigned released = pool->released;
    pmi_block *head = pool->freeblock;
    for (unsigned k = nblocks; k-- > 0;) {
        size_t lo = k * bsize, hi = lo + bsize - 1;
        unsigned p0 = (unsigned)(lo >> PMI_PAGE_BITS), p1 = (unsigned)(hi >> PMI_PAGE_BITS);
        if (!((released >> p0) & 1) && !((released >> p1) & 1)) continue;
        pmi_block *b = (pmi_block *)(mem + lo);
        PMI_UNPOISON(b, sizeof *b);
        b->next = head;
        head = b;
    }
    pool->freeblock = head;
    pool->released = 0;
}

/* Give back: reserve arenas, empty pools, and free pages of used pools.
 * whole_reserve: empty the reserve and reset its limit (pm_trim); otherwise
 * (the trim after a full collection) give back half of it and halve the
 * limit's excess over its floor, so that a program cycling between heap
 * sizes keeps part of what the adaptive reserve learned. */
size_t pmi_arena_trim(pm_runtime *rt, int whole_reserve) {
    pmi_mem *a = &rt->mem;
    size_t bytes = 0;
    trim_queue_run_arenas(rt, 1); /* clear the queues; the full pass below does the rest */
    trim_queue_run_pools(rt);
    release_batch batch = RELEASE_BATCH_INIT;
    /* The surplus goes whole in either case; of the rest, all or half. */
    size_t surplus = reserve_surplus(a);
    bytes += reserve_drop(rt, whole_reserve ? a->nreserve : surplus + (a->nreserve - surplus) / 2);
    a->surplus_low = 0;
    a->surplus_clock = PMI_SURPLUS_PATIENCE;
    if (whole_reserve) a->reserve_max = a->reserve_base;
    else a->reserve_max -= (a->reserve_max - a->reserve_base) / 2;
    a->reserve_low = a->nreserve;
    for (unsigned ri = 0; ri < a->nregions; ri++) {
        pmi_region *r = &a->regions[ri];
        for (size_t i = 0; i < r->next_fresh; i++) {
            pmi_arena *ar = &r->arenas[i];
            if (ar->state != PMI_ARENA_IN_USE) continue;
            uint64_t todo = ar->free_pools & ~ar->released_pools;
            while (todo) {
                unsigned k = (unsigned)__builtin_ctzll(todo);
                todo &= todo - 1;
                batch_add(rt, &batch, ar, ar->mem + ((size_t)k << PMI_POOL_BITS), PMI_POOL_SIZE);
                ar->released_pools |= (uint64_t)1 << k;
                a->pools_released++;
                bytes += PMI_POOL_SIZE;
            }
            uint64_t used = ~ar->free_pools;
            while (used) {
                unsigned k = (unsigned)__builtin_ctzll(used);
                used &= used - 1;
                pmi_pool *pool = &ar->pools[k];
                if (!pool->freeblock) continue; /* full: no free page */
                bytes += pool_trim_batched(rt, pool, &batch);
            }
        }
    }
    batch_flush(rt, &batch);
    a->trims++;
    a->bytes_trimmed += bytes;
    return bytes;
}
