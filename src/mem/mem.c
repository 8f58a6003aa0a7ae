/*
 * mem.c — the allocation choke point: pm_malloc, pm_calloc, pm_realloc,
 * pm_free, pm_usable_size, pm_trim, the fault hook, and the allocator's
 * start-up and teardown.
 *
 * Contract
 *   - Every byte libpymm takes passes through here.  Small requests (0..512
 *     bytes) come from pools, large ones from the system malloc, both by way
 *     of the raw layer (pool.h, pool.c), which records large blocks so that
 *     statistics are exact and pm_runtime_free releases them.
 *   - Ownership of a pointer is decided from its address alone: inside one
 *     of our regions means a pool block; anything else is a large block or
 *     foreign (CPython's address_in_range, reduced to a range check because
 *     our arenas live in address space reserved up front).
 *   - One flag (mem.slow) sends every call through the checked path when
 *     debug mode or the fault hook is on; otherwise the raw layer's inline
 *     fast paths run with no other test.
 *   - A request goes down mem → (debug →) raw → arenas and never back up:
 *     debug.c calls the raw layer only, the raw layer calls arena.c only.
 *
 * The fault hook (pm_fault_inject) is SQLite's countdown: the nth
 * allocation from now fails, and with `persistent` every one after it.
 *
 * The trace hook (pm_mem_set_trace_hook) sees every block after it is
 * allocated or resized and before it is freed — tracemalloc's feed.  It
 * costs nothing while unset: setting it sets mem.slow, so the fast paths
 * still test that one flag only.  While it runs, the calls it makes itself
 * are not reported (mem.trace.busy), so a tracer's own tables stay out of
 * its figures and it never re-enters itself.  A hook refusing a new block
 * (-1) makes the allocation fail: the block is given back and NULL returned.
 */
#include <stdlib.h>
#include <string.h>
#include "mem/pool.h"

/* ---- fault hook ---------------------------------------------------------------- */

/* mem.slow: some hook or debug mode wants the checked path. */
static void slow_update(pm_runtime *rt) {
    rt->mem.slow = rt->mem.fault.countdown > 0 || rt->mem.debug != NULL || rt->mem.trace.hook != NULL;
    pmi_mem_gates_update(rt);
}

void pmi_mem_gates_update(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    a->fast_small = a->slow ? 0 : PMI_SMALL_REQUEST_MAX;
    a->fast_free_size = a->slow ? 0 : a->region0_size;
}

/* True when the hook makes this allocation fail. */
static int fault_fires(pm_runtime *rt) {
    if (rt->mem.fault.countdown <= 0) return 0;
    if (rt->mem.fault.countdown == 1) {
        rt->mem.fault.fired++;
        if (!rt->mem.fault.persistent) {
            rt->mem.fault.countdown = 0;
            slow_update(rt);
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
    slow_update(rt);
}

long pm_fault_fired(const pm_runtime *rt) { return rt->mem.fault.fired; }

/* ---- trace hook -------------------------------------------------------------------- */

void pm_mem_set_trace_hook(pm_runtime *rt, pm_trace_hook hook, void *ctx) {
    rt->mem.trace.hook = hook;
    rt->mem.trace.ctx = hook ? ctx : NULL;
    slow_update(rt);
}

pm_trace_hook pm_mem_get_trace_hook(const pm_runtime *rt, void **ctx) {
    if (ctx) *ctx = rt->mem.trace.ctx;
    return rt->mem.trace.hook;
}

/* Reports one event to the hook unless it is off or running: its result
 * (0 when not called). */
static int trace_report(pm_runtime *rt, void *ptr, void *old, size_t size) {
    pmi_trace *t = &rt->mem.trace;
    if (!t->hook || t->busy) return 0;
    t->busy = 1;
    int rc = t->hook(rt, t->ctx, ptr, old, size);
    t->busy = 0;
    return rc;
}

/* A new block p of size bytes: reported; freed again when the hook refuses
 * it.  Returns p or NULL. */
static void *trace_new(pm_runtime *rt, void *p, size_t size) {
    if (p && trace_report(rt, p, NULL, size) < 0) {
        if (rt->mem.debug) pmi_debug_free(rt, p);
        else pmi_raw_free(rt, p);
        return NULL;
    }
    return p;
}

/* ---- public entry points ------------------------------------------------------- */

/* The checked paths live in functions of their own, so that the fast paths
 * stay leaf code with no frame to set up (measured: inlined, they cost
 * pm_malloc four instructions of prologue on every call). */
__attribute__((noinline)) static void *malloc_slow(pm_runtime *rt, size_t size) {
    if (fault_fires(rt)) return NULL;
    void *p = rt->mem.debug ? pmi_debug_malloc(rt, size) : pmi_raw_malloc(rt, size);
    return trace_new(rt, p, size);
}

__attribute__((noinline)) static void free_slow(pm_runtime *rt, void *p) {
    if (p) trace_report(rt, NULL, p, 0);
    if (rt->mem.debug) pmi_debug_free(rt, p);
    else pmi_raw_free(rt, p);
}

/* What the gates of pm_malloc and pm_free let through (mem.h): the checked
 * path, zero-byte requests, large blocks, blocks of other regions, NULL. */
__attribute__((noinline)) static void *malloc_other(pm_runtime *rt, size_t size) {
    if (rt->mem.slow) return malloc_slow(rt, size);
    return pmi_raw_malloc(rt, size);
}
__attribute__((noinline)) static void free_other(pm_runtime *rt, void *p) {
    if (rt->mem.slow) free_slow(rt, p);
    else pmi_raw_free(rt, p);
}

void *pm_malloc(pm_runtime *rt, size_t size) {
    size_t m = size - 1;
    if (PMI_LIKELY(m < rt->mem.fast_small))
        return pmi_small_alloc_class(rt, (unsigned)(m >> PMI_ALIGNMENT_SHIFT), size);
    return malloc_other(rt, size);
}

void pm_free(pm_runtime *rt, void *p) {
    pmi_mem *a = &rt->mem;
    uintptr_t off = (uintptr_t)p - (uintptr_t)a->region0_mem;
    if (PMI_LIKELY(off < a->fast_free_size)) {
        pmi_cache_push(rt, a->region0_classes[off >> PMI_POOL_BITS], p);
        return;
    }
    free_other(rt, p);
}

__attribute__((noinline)) static void *calloc_slow(pm_runtime *rt, size_t total) {
    if (fault_fires(rt)) return NULL;
    void *p = rt->mem.debug ? pmi_debug_malloc(rt, total) : pmi_raw_malloc(rt, total);
    if (p) memset(p, 0, total);
    return trace_new(rt, p, total);
}

void *pm_calloc(pm_runtime *rt, size_t n, size_t size) {
    size_t total;
    if (__builtin_mul_overflow(n, size, &total) || total > (size_t)PTRDIFF_MAX) return NULL;
    if (rt->mem.slow) return calloc_slow(rt, total);
    if (total <= PMI_SMALL_REQUEST_MAX) {
        void *p = pmi_small_alloc(rt, total);
        if (p) memset(p, 0, total);
        return p;
    }
    return pmi_large_calloc(rt, total);
}

__attribute__((noinline)) static void *realloc_slow(pm_runtime *rt, void *p, size_t size) {
    if (fault_fires(rt)) return NULL;
    void *q = rt->mem.debug ? pmi_debug_realloc(rt, p, size) : pmi_raw_realloc(rt, p, size);
    if (!p) return trace_new(rt, q, size);
    if (q) trace_report(rt, q, p, size);   /* a resize cannot be undone */
    return q;
}

void *pm_realloc(pm_runtime *rt, void *p, size_t size) {
    if (rt->mem.slow) return realloc_slow(rt, p, size);
    return pmi_raw_realloc(rt, p, size);
}

size_t pm_usable_size(pm_runtime *rt, const void *p) {
    if (rt->mem.debug) return pmi_debug_usable_size(rt, p);
    return pmi_raw_usable_size(rt, p);
}

size_t pm_trim(pm_runtime *rt) {
    if (rt->mem.debug) pmi_debug_flush(rt);
    pmi_cache_flush_all(rt);
    pmi_pool_drop_idle(rt);
    size_t n = pmi_arena_trim(rt, 1);
    PMI_WALK(PMI_CHECK_(pm_alloc_check(rt, stderr) == 0));
    return n;
}

/* The collector calls this at the end of every generation-2 collection: the
 * moment a program's heap is most likely to have shrunk.  Rate limit, with no
 * clock: a trim runs on every gc_trim_interval-th full collection; a trim
 * that gives back less than PMI_GC_TRIM_MIN_BYTES doubles the interval (up to
 * PMI_GC_TRIM_MAX_INTERVAL), one that gives back more resets it to 1.  A
 * program whose heap is steady thus pays one trim (a walk of the free lists
 * of its pools that have free blocks) per 16 full collections, while one that
 * shrinks gets its memory back at the next full collection.  Unlike pm_trim,
 * idle pools stay and the reserve gives back half (see pmi_arena_trim).
 * A heap that grew since the previous full collection is not trimmed: it is
 * about to use what the trim would give back, and would fault it in again
 * (bench-gc auto, building 1M containers over memory a previous build
 * freed: 8 full collections during the build, and trimming at them took
 * the build with collection on from 160 to 225 ms).
 * Returns the bytes given back (0 when no trim ran). */
size_t pmi_mem_trim_after_full_gc(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    if (!a->page_return) return 0;
    size_t heap = a->arenas_current - a->nreserve, last = a->gc_trim_heap;
    a->gc_trim_heap = heap;
    if (heap > last) return 0;
    if (a->gc_trim_countdown > 1) {
        a->gc_trim_countdown--;
        return 0;
    }
    pmi_cache_flush_all(rt);
    size_t bytes = pmi_arena_trim(rt, 0);
    a->gc_trims++;
    if (bytes >= PMI_GC_TRIM_MIN_BYTES) {
        a->gc_trim_interval = 1;
    } else if (a->gc_trim_interval < PMI_GC_TRIM_MAX_INTERVAL) {
        a->gc_trim_interval *= 2;
    }
    a->gc_trim_countdown = a->gc_trim_interval;
    return bytes;
}

/* ---- lifecycle ------------------------------------------------------------------- */

int pmi_mem_init(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    a->reserve_base = a->reserve_max = rt->config.arena_reserve;
    a->huge_pages = rt->config.huge_pages;
    a->page_return = rt->config.page_return;
    a->vector_release = 1;
    pmi_cache_init(a);
    a->gc_trim_interval = 1;
    a->gc_trim_countdown = 1;
    a->gc_trim_heap = SIZE_MAX;
    if (rt->config.debug_alloc && pmi_debug_init(rt) < 0) return -1;
    a->slow = a->debug != NULL;
    pmi_mem_gates_update(rt);
    return 0;
}

void pmi_mem_fini(pm_runtime *rt) {
    pmi_mem *a = &rt->mem;
    if (a->debug) pmi_debug_fini(rt);
    pmi_large_fini(rt);
    pmi_regions_fini(rt);
}
