/*
 * config.h — every tunable of libpymm in one place, each with its reason,
 * and the debug levels.
 *
 * Sections: debug levels; the allocator (mem/); the object layer (core/,
 * objects/): small ints, free lists, intern table, container layouts; the
 * collector (gc/).  Nothing here is a variable: changing a value means
 * rebuilding the library.
 *
 * The allocator's geometry is CPython 3.11's pymalloc on 64-bit: 16-byte
 * alignment, a 512-byte small-request threshold (32 size classes), 16 KiB
 * pools and 1 MiB arenas.  What differs is where the bookkeeping lives (see
 * docs/allocator.md): pool and arena descriptors sit outside the memory they
 * describe, so a pool's whole 16 KiB holds blocks and any page of it can be
 * given back to the OS while the descriptor stays.
 */
#ifndef PYMM_CONFIG_H
#define PYMM_CONFIG_H

#include <stddef.h>

/* ==== debug levels ======================================================= */

/* PM_DEBUG (set by the build: cmake -DPYMM_DEBUG=n, default 0; the
 * sanitizer build uses 2):
 *   0  release: no checks beyond what the code needs.
 *   1  PMI_ASSERT: checks of the arguments an embedder passes in.
 *   2  PMI_IASSERT: the library's own internal invariants, cheap ones (O(1)
 *      per check), e.g. "a tracked object has a positive count".
 *   3  PMI_WALK: invariant walks over whole structures, O(heap) each, at
 *      points where the structure must be consistent: pm_gc_check after
 *      every full collection (young ones: an O(1) check of the lists they
 *      emptied, so a walk never runs per 700 allocations) and at teardown,
 *      pm_alloc_check after pm_trim and at teardown.
 * Each level includes the ones below.  A failed check prints the file, line
 * and expression on stderr and aborts (a broken invariant is a bug, not an
 * error an embedder could handle). */
#ifndef PM_DEBUG
#define PM_DEBUG 0
#endif
void pmi_assert_fail(const char *expr, const char *file, int line);
#define PMI_CHECK_(e) ((e) ? (void)0 : pmi_assert_fail(#e, __FILE__, __LINE__))
#if PM_DEBUG >= 1
#define PMI_ASSERT(e) PMI_CHECK_(e)
#else
#define PMI_ASSERT(e) ((void)0)
#endif
#if PM_DEBUG >= 2
#define PMI_IASSERT(e) PMI_CHECK_(e)
#else
#define PMI_IASSERT(e) ((void)0)
#endif
/* PMI_WALK(stmt): run stmt (a walk) only at level 3. */
#if PM_DEBUG >= 3
#define PMI_WALK(stmt) do { stmt; } while (0)
#else
#define PMI_WALK(stmt) ((void)0)
#endif

/* ==== the allocator (mem/) =============================================== */

/* Blocks are 16-byte aligned: what x86-64 malloc guarantees and what SSE
 * loads of long double / __int128 need.  CPython 3.11 uses the same. */
#define PMI_ALIGNMENT_SHIFT 4
#define PMI_ALIGNMENT ((size_t)1 << PMI_ALIGNMENT_SHIFT)

/* Requests up to 512 bytes are "small" (CPython's SMALL_REQUEST_THRESHOLD):
 * above it, pools would hold too few blocks to amortize their bookkeeping
 * and the system allocator does as well.  512/16 = 32 size classes. */
#define PMI_SMALL_REQUEST_MAX 512
#define PMI_NUM_SIZE_CLASSES (PMI_SMALL_REQUEST_MAX >> PMI_ALIGNMENT_SHIFT)

/* 16 KiB pools (CPython 3.10+ on 64-bit): four 4 KiB pages, so that a pool of
 * 512-byte blocks still holds 32 of them. */
#define PMI_POOL_BITS 14
#define PMI_POOL_SIZE ((size_t)1 << PMI_POOL_BITS)
#define PMI_PAGE_BITS 12
#define PMI_PAGE_SIZE ((size_t)1 << PMI_PAGE_BITS)
#define PMI_PAGES_PER_POOL (PMI_POOL_SIZE / PMI_PAGE_SIZE)

/* 1 MiB arenas (CPython 3.10+ on 64-bit), 64 pools each: a pool-occupancy
 * set is then exactly one uint64_t. */
#define PMI_ARENA_BITS 20
#define PMI_ARENA_SIZE ((size_t)1 << PMI_ARENA_BITS)
#define PMI_POOLS_PER_ARENA (PMI_ARENA_SIZE / PMI_POOL_SIZE)

/* Transparent huge pages are 2 MiB: regions are aligned to it so that two
 * neighbouring arenas can share one huge page.  First touch of a 4 KiB page
 * costs 6–15 µs on these VMs (docs/allocator.md, "Trade-offs"); a huge
 * page brings that to ~0.3 µs per 4 KiB. */
#define PMI_HUGE_PAGE_SIZE ((size_t)2 << 20)

/* Arenas are carved from regions: address space reserved up front (not
 * committed: MAP_NORESERVE, untouched pages cost nothing).  One address
 * comparison then decides ownership of a pointer.  16 GiB per region, more
 * regions when one fills; a smaller one is tried when the kernel refuses. */
#define PMI_REGION_SIZE ((size_t)16 << 30)
#define PMI_REGION_MIN_SIZE ((size_t)32 << 20)
#define PMI_MAX_REGIONS 64

/* Empty arenas kept resident for reuse before being returned: a workload
 * that frees and rebuilds a heap otherwise pays the page faults again
 * (docs/bench-alloc.md: ~160–185 ns per node for allocators that unmap).  Small,
 * so that memory still goes back after a spike.  0 also turns the surplus
 * below off: every empty arena goes back at once, as in CPython. */
#define PMI_DEFAULT_ARENA_RESERVE 2
/* The reserve adapts: each time an arena that was given back has to be taken
 * from the OS again (a heap shrinking and growing back: re-faulting costs
 * ~3.5 µs per 4 KiB page here), the limit grows by one, up to the arena high
 * water mark.  It decays by a low-water rule, with no clock: every
 * WINDOW + limit arena events (takes and releases), half of the fewest
 * reserve arenas seen in that window — arenas nobody needed — go back to the
 * OS and the limit drops as much.  A single spike never grows the limit (its
 * arenas are only held as surplus, below); pm_trim empties the reserve
 * whatever it is. */
#define PMI_RESERVE_WINDOW 64
/* Empty arenas beyond the reserve limit are held resident as surplus rather
 * than unmapped at once, so that a heap freed and rebuilt right away does not
 * fault every page in again (bench-alloc list48: ~16 ns per node before,
 * docs/bench-alloc.md).  They go back to the OS when PATIENCE + 64 × surplus
 * pools have been taken without needing them (the clock is allocation
 * itself), at the trim after a full collection, or at pm_trim (arena.c). */
#define PMI_SURPLUS_PATIENCE 1024

/* An arena taken from the OS once more than this many are in use is
 * faulted in with madvise(MADV_POPULATE_WRITE): one system call instead of
 * a trap per page, which cost 6-15 us each on these VMs
 * (PERF-FACTS.md; a probe under load: 140 us per page by touching, 64 us
 * populated).  The first arenas fault lazily, so that a small program does
 * not pay 1 MiB of resident memory per arena. */
#define PMI_POPULATE_AFTER_ARENAS 4
/* ... in runs of this many pools as they are taken (64 KiB: one system call
 * instead of 16 traps), not the whole arena at once: a heap's last arena then
 * holds at most 48 KiB resident ahead of use, not up to 1 MiB (bench-alloc
 * list48's peak RSS was 1 MiB over pymalloc's for that alone). */
#define PMI_POPULATE_POOLS 4
/* When the fullest arena's free pools were all given back, a pool is taken
 * from the first of the next this many arenas that has a resident free
 * pool, else from a reserve arena, before a given-back one is faulted in
 * (arena.c: arena_with_resident_pool). */
#define PMI_RESIDENT_SCAN 8
/* Runs of pages given back with one system call (arena.c: batch_submit):
 * below 32 the kernel flushes the TLB page by page and a batch costs as
 * much as separate calls; at 256, 1.1-1.4 us per run against 6-8 us. */
#define PMI_RELEASE_BATCH 256

/* Page return in a live arena: when more than HI of its pools are empty and
 * resident, all but LO of them are given back.  The gap is the hysteresis
 * that keeps a pool-sized free/alloc ping-pong from faulting pages in and
 * out. */
#define PMI_ARENA_FREE_POOLS_HI 4
#define PMI_ARENA_FREE_POOLS_LO 2

/* Page return is deferred: pools and arenas that crossed a threshold are
 * queued and handled once the queue is full.  By then a pool that was being
 * drained has usually become empty (and an arena entirely free), so no
 * system call is spent on pages about to go back wholesale. */
#define PMI_TRIM_QUEUE 64
/* A pool is first looked at for free pages when its blocks in use fall to
 * 1/16 of its capacity (then 1/64, 1/256): above that, scattered survivors
 * leave almost no 4 KiB page empty (a 64-byte class at 1/8 occupancy: a page
 * of 64 blocks is empty with probability (7/8)^64 = 0.02%), so a look costs a
 * walk of the free list for nothing — in the replace benchmark's steady
 * state, where every pool drains and refills, 1/4 cost 17% of its time. */
#define PMI_TRIM_FIRST 16
#define PMI_TRIM_ARENA_QUEUE 8  /* arenas: fewer, each worth more */

/* The trim after a full collection (pmi_mem_trim_after_full_gc) is
 * rate-limited by counting full collections: it runs on every interval-th
 * one; a trim that gives back less than MIN_BYTES doubles the interval, up
 * to MAX_INTERVAL, and one that gives back more resets it to 1.  A steady
 * heap then pays one trim (a walk of its partly free pools, cheaper than the
 * collection itself, which touches every object) per 16 full collections. */
#define PMI_GC_TRIM_MIN_BYTES ((size_t)1 << 20)
#define PMI_GC_TRIM_MAX_INTERVAL 16

/* Per-class free caches: a free pushes the block on its class's cache
 * (class from a byte map, no pool descriptor touched) and the next malloc
 * of the class pops it.  On a large random heap the descriptor of a random
 * block's pool is a cache miss (17K descriptors of 32 bytes for 270 MiB of
 * blocks: more than L2), and a pool that a free made non-full becomes the
 * class's allocation pool for one block, then full again: the cache takes
 * both off the common path (docs/allocator.md, "Free caches").  Its bound,
 * in bytes per class, shared by its two halves (mem.h: the older half goes
 * back to the pools when the newer one fills); 32 classes x 16 KiB = 512 KiB
 * at most held out of the pools. */
#define PMI_FREE_CACHE_BYTES ((size_t)16 << 10)

/* A pool given blocks back by a cache overflow starts draining (pool.c,
 * "Draining pools") when at least 1/2^PMI_DRAIN_FREE_SHIFT of its blocks
 * are free. */
#ifndef PMI_DRAIN_FREE_SHIFT
#define PMI_DRAIN_FREE_SHIFT 3
#endif

/* Debug mode (PYMM_DEBUG_ALLOC): bytes written around and into blocks, like
 * CPython's PYMEM_CLEANBYTE / DEADBYTE / FORBIDDENBYTE. */
#define PMI_CLEAN_BYTE 0xCD     /* fresh memory */
#define PMI_DEAD_BYTE 0xDD      /* freed memory */
#define PMI_GUARD_BYTE 0xFD     /* guard bytes before and after a block */
#define PMI_DEBUG_HEADER 32     /* size, serial, state, 8 guard bytes */
#define PMI_DEBUG_TRAILER 16    /* guard bytes after the block */
/* Freed debug blocks wait in a quarantine before their memory is reused, so
 * that a double free or a write after free is still seen. */
#define PMI_DEBUG_QUARANTINE 1024
/* ... and at most this many bytes of them (64 MiB): a program freeing large
 * blocks would otherwise keep 1024 of them, gigabytes, out of reuse. */
#define PMI_DEBUG_QUARANTINE_BYTES ((size_t)64 << 20)

/* ==== the object layer (core/, objects/) ================================= */

/* The recursion guard's default limit (core/recursion.h): CPython's
 * sys.getrecursionlimit(), so deep structures fail at the same depth. */
#define PMI_RECURSION_LIMIT 1000

/* Small-int cache: CPython's _PY_NSMALLNEGINTS / _PY_NSMALLPOSINTS.  The
 * range -5..256 covers loop counters, byte values and common constants. */
#define PMI_NSMALLNEGINTS 5
#define PMI_NSMALLPOSINTS 257

/* Free lists: CPython 3.11's bounds.  Each keeps dead objects of one type
 * for reuse, so the churn of temporaries skips the allocator; each bound is
 * small enough that a full list never matters for memory.
 *   floats: PyFloat_MAXFREELIST (100 * 32 bytes) — arithmetic temporaries;
 *   tuples: lengths 1..20 (PyTuple_NFREELISTS), 2000 of each length
 *           (PyTuple_MAXFREELIST) — argument tuples, small returns;
 *   lists:  80 list objects, not their item arrays (PyList_MAXFREELIST);
 *   dicts:  80 dict objects and 80 minimum-size (8-slot) str-key tables
 *           (PyDict_MAXFREELIST) — keyword arguments, small records. */
#define PMI_FLOAT_MAXFREELIST 100
#define PMI_TUPLE_NFREELISTS 20
#define PMI_TUPLE_MAXFREELIST 2000
#define PMI_LIST_MAXFREELIST 80
#define PMI_DICT_MAXFREELIST 80

/* Intern table: first capacity (a power of two).  It doubles when its load
 * passes 2/3, as CPython's dicts; when doubling fails it goes on filling up
 * to 7/8 before interning gives up (returns the string uninterned). */
#define PMI_INTERN_MINSIZE 64

/* Set small table: 8 entries inside the set object (PySet_MINSIZE), so that
 * sets of up to 5 items need no second block; part of the object's size
 * (sys.getsizeof(set()) == 216). */
#define PMI_SET_MINSIZE 8

/* Most attribute names a dict class shares between its instances before
 * further names go to a per-instance dict (CPython's SHARED_KEYS_MAX_SIZE). */
#define PMI_SHARED_KEYS_MAX 30

/* Method cache (core/type.c): 2**12 entries of (version tag, name, value),
 * as CPython's MCACHE_SIZE_EXP; 96 KiB per runtime, allocated on the first
 * attribute lookup. */
#define PMI_MCACHE_SIZE_EXP 12
/* Per-runtime state of the static types (dict, bases, MRO, version): the
 * open-addressing table's first capacity (a power of two). */
#define PMI_TYPESTATE_MINSIZE 64

/* ==== the collector (gc/) ================================================ */

/* CPython 3.11's defaults (gc.get_threshold() == (700, 10, 10)): a young
 * collection per 700 net gc allocations keeps short-lived cycles cheap; the
 * older generations are collected 10 times less often each. */
#define PMI_GC_THRESHOLD0 700
#define PMI_GC_THRESHOLD1 10
#define PMI_GC_THRESHOLD2 10
/* 1: full collections untrack dicts that hold no trackable object, as
 * CPython 3.11 does; the dict re-tracks itself when one is inserted. */
#define PMI_GC_UNTRACK_DICTS 1

#endif
