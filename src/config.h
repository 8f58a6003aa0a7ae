/*
 * config.h — every tunable of libpymm in one place, each with its reason.
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
 * costs 6–15 µs on these VMs (PERF-FACTS.md); a huge page brings that to
 * ~0.3 µs per 4 KiB. */
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
 * (PERF-FACTS.md: ~160–185 ns per node for allocators that unmap).  Small,
 * so that memory still goes back after a spike. */
#define PMI_DEFAULT_ARENA_RESERVE 2
/* The reserve adapts: each time an arena that was given back has to be taken
 * from the OS again (a heap shrinking and growing back: re-faulting costs
 * ~3.5 µs per 4 KiB page here), the limit grows by one, up to the arena high
 * water mark.  It decays by a low-water rule, with no clock: every
 * WINDOW + limit arena events (takes and releases), half of the fewest
 * reserve arenas seen in that window — arenas nobody needed — go back to the
 * OS and the limit drops as much.  A single spike never grows the reserve, so
 * its memory goes back at once; pm_trim empties the reserve whatever it is. */
#define PMI_RESERVE_WINDOW 64

/* Page return in a live arena: when more than HI of its pools are empty and
 * resident, all but LO of them are given back.  The gap is the hysteresis
 * that keeps a pool-sized free/alloc ping-pong from faulting pages in and
 * out. */
#define PMI_ARENA_FREE_POOLS_HI 16
#define PMI_ARENA_FREE_POOLS_LO 8

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

#endif
