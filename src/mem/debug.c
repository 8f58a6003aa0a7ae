/*
 * debug.c — debug mode (config.debug_alloc / PYMM_DEBUG_ALLOC=1), the
 * counterpart of CPython's PYTHONMALLOC=debug.
 *
 * Each block the caller sees is wrapped:
 *
 *   raw block: ┌──────┬────────┬───────┬──────────┬────────────┬───────────┐
 *              │ size │ serial │ state │ 8 × 0xFD │ data (size)│ 16 × 0xFD │
 *              └──────┴────────┴───────┴──────────┴────────────┴───────────┘
 *              0      8        16      24         32 = p
 *
 *   size    bytes the caller asked for
 *   serial  allocation number in this runtime (1, 2, ...): set a breakpoint
 *           on the serial a report names to catch the allocation
 *   state   PMI_DBG_LIVE or PMI_DBG_FREED
 *
 * Fresh data is filled with 0xCD, freed data with 0xDD.  A freed block is
 * not reused at once: it waits in a quarantine ring (1024 blocks, 64 MiB at
 * most), so that a second free of it, or a write into it, is still seen.
 * When it leaves the ring (or the runtime is destroyed) its data is checked
 * to be all 0xDD.
 *
 * Faults found, each reported with address, size, serial and kind on stderr
 * before abort(): buffer underflow, buffer overflow, double free, write
 * after free, foreign pointer.  Ownership is decided before any byte of the
 * block is read: the address must be a block start inside our arenas, or a
 * large block in our table.
 *
 * Layering: mem.c calls in here when debug mode is on; this file calls only
 * the raw layer below it (pool.h / pool.c), never pm_malloc or pm_free.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "mem/pool.h"

#define PMI_DBG_LIVE 0x4556494c4d4d5950ULL   /* "PYMMLIVE" */
#define PMI_DBG_FREED 0x444145444d4d5950ULL  /* "PYMMDEAD" */

typedef struct dbg_header {
    size_t size;                /* bytes requested */
    uint64_t serial;            /* allocation serial number */
    uint64_t state;             /* PMI_DBG_LIVE / PMI_DBG_FREED */
    unsigned char guard[8];     /* PMI_GUARD_BYTE × 8 */
} dbg_header;

_Static_assert(sizeof(dbg_header) == PMI_DEBUG_HEADER, "debug header is 32 bytes");

static dbg_header *header_of(void *p) { return (dbg_header *)((char *)p - PMI_DEBUG_HEADER); }

static void report(pm_runtime *rt, const char *kind, const void *p, const dbg_header *h) {
    (void)rt;
    fprintf(stderr, "pymm debug allocator: %s\n", kind);
    fprintf(stderr, "    address: %p\n", p);
    if (h) {
        fprintf(stderr, "    size: %zu bytes requested\n", h->size);
        fprintf(stderr, "    serial: %" PRIu64 "\n", h->serial);
        const unsigned char *b = (const unsigned char *)p;
        size_t n = h->size < 16 ? h->size : 16;
        fprintf(stderr, "    data:");
        for (size_t i = 0; i < n; i++) fprintf(stderr, " %02x", b[i]);
        fprintf(stderr, "\n");
    }
    fflush(stderr);
    abort();
}

/* Does p look like one of our debug blocks?  Decided from the address first;
 * only then is the header read. */
static int owned(pm_runtime *rt, void *p) {
    char *raw = (char *)p - PMI_DEBUG_HEADER;
    if ((uintptr_t)p % PMI_ALIGNMENT != 0) return 0;
    pmi_pool *pool = pmi_pool_of(rt, raw);
    if (pool) {
        if (pool->ref == 0) return 0;
        size_t off = (size_t)(raw - pmi_pool_mem(&rt->mem, pool));
        return off % pmi_class_size(pool->szidx) == 0;
    }
    return pmi_large_contains(rt, raw);
}

static int guards_ok(const unsigned char *g, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (g[i] != PMI_GUARD_BYTE) return 0;
    return 1;
}

/* Check a live block's header and guards; report and abort on a fault. */
static dbg_header *check_live(pm_runtime *rt, void *p) {
    if (!owned(rt, p)) report(rt, "foreign pointer (not allocated by this runtime)", p, NULL);
    dbg_header *h = header_of(p);
    if (h->state == PMI_DBG_FREED) report(rt, "double free (block already freed)", p, h);
    if (h->state != PMI_DBG_LIVE)
        report(rt, "foreign pointer or corrupted block header (buffer underflow?)", p, NULL);
    if (!guards_ok(h->guard, sizeof h->guard))
        report(rt, "buffer underflow (guard bytes before the block overwritten)", p, h);
    if (!guards_ok((unsigned char *)p + h->size, PMI_DEBUG_TRAILER))
        report(rt, "buffer overflow (guard bytes after the block overwritten)", p, h);
    return h;
}

/* A block leaves quarantine: verify it stayed dead, then release it. */
static void release_quarantined(pm_runtime *rt, void *p) {
    dbg_header *h = header_of(p);
    const unsigned char *b = p;
    int intact = h->state == PMI_DBG_FREED && guards_ok(h->guard, sizeof h->guard) &&
                 guards_ok(b + h->size, PMI_DEBUG_TRAILER);
    for (size_t i = 0; intact && i < h->size; i++) intact = b[i] == PMI_DEAD_BYTE;
    if (!intact) report(rt, "write after free (freed block or its guards modified)", p, h);
    pmi_raw_free(rt, h);
}

static void quarantine_pop_oldest(pm_runtime *rt) {
    pmi_debug_state *d = rt->mem.debug;
    size_t oldest = (d->q_head + PMI_DEBUG_QUARANTINE - d->q_count) % PMI_DEBUG_QUARANTINE;
    void *p = d->quarantine[oldest];
    d->quarantine[oldest] = NULL;
    d->q_count--;
    d->q_bytes -= header_of(p)->size;
    release_quarantined(rt, p);
}

static void quarantine_push(pm_runtime *rt, void *p) {
    pmi_debug_state *d = rt->mem.debug;
    if (d->q_count == PMI_DEBUG_QUARANTINE) quarantine_pop_oldest(rt);
    d->quarantine[d->q_head] = p;
    d->q_head = (d->q_head + 1) % PMI_DEBUG_QUARANTINE;
    d->q_count++;
    d->q_bytes += header_of(p)->size;
    while (d->q_count > 1 && d->q_bytes > PMI_DEBUG_QUARANTINE_BYTES) quarantine_pop_oldest(rt);
}

void *pmi_debug_malloc(pm_runtime *rt, size_t size) {
    pmi_debug_state *d = rt->mem.debug;
    if (size > (size_t)PTRDIFF_MAX - PMI_DEBUG_HEADER - PMI_DEBUG_TRAILER) return NULL;
    char *raw = pmi_raw_malloc(rt, size + PMI_DEBUG_HEADER + PMI_DEBUG_TRAILER);
    if (!raw) return NULL;
    dbg_header *h = (dbg_header *)raw;
    h->size = size;
    h->serial = ++d->serial;
    h->state = PMI_DBG_LIVE;
    memset(h->guard, PMI_GUARD_BYTE, sizeof h->guard);
    char *p = raw + PMI_DEBUG_HEADER;
    memset(p, PMI_CLEAN_BYTE, size);
    memset(p + size, PMI_GUARD_BYTE, PMI_DEBUG_TRAILER);
    d->bytes_requested += size;
    return p;
}

void pmi_debug_free(pm_runtime *rt, void *p) {
    if (!p) return;
    dbg_header *h = check_live(rt, p);
    rt->mem.debug->bytes_requested -= h->size;
    h->state = PMI_DBG_FREED;
    memset(p, PMI_DEAD_BYTE, h->size);
    quarantine_push(rt, p);
}

void *pmi_debug_realloc(pm_runtime *rt, void *p, size_t size) {
    if (!p) return pmi_debug_malloc(rt, size);
    dbg_header *h = check_live(rt, p);
    void *q = pmi_debug_malloc(rt, size);
    if (!q) return NULL;
    memcpy(q, p, h->size < size ? h->size : size);
    pmi_debug_free(rt, p);
    return q;
}

size_t pmi_debug_usable_size(pm_runtime *rt, const void *p) {
    return check_live(rt, (void *)p)->size;
}

int pmi_debug_init(pm_runtime *rt) {
    rt->mem.debug = calloc(1, sizeof(pmi_debug_state));
    return rt->mem.debug ? 0 : -1;
}

void pmi_debug_flush(pm_runtime *rt) {
    while (rt->mem.debug->q_count) quarantine_pop_oldest(rt);
}

void pmi_debug_fini(pm_runtime *rt) {
    pmi_debug_state *d = rt->mem.debug;
    pmi_debug_flush(rt);
    free(d);
    rt->mem.debug = NULL;
}
