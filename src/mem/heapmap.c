/*
 * heapmap.c — a picture of the small-object heap: every arena, pool and
 * page the allocator holds, written as one SVG document
 * (pm_heapmap_write), so that fragmentation is something you look at.
 *
 * What is drawn (one row per arena, in address order; 64 cells per row):
 *
 *     A0     [#### ][##   ][#    ][     ][.....]...   91% pools in use
 *     A1     [#|  |][     ][.....][.....]...          reserve
 *              │ │         │      └ empty pool given back to the OS (grey)
 *              │ │         └ empty pool, resident (white, outlined)
 *              │ └ a page of the pool given back (dark stripe, a quarter)
 *              └ pool in use: light background in its size class's hue,
 *                filled from the bottom to its occupancy (ref / capacity)
 *
 * Each cell carries a <title> (class, block size, blocks in use) that a
 * browser shows on hover.  Below the rows, a legend of the size classes.
 *
 * Invariant the tests hold us to: the counts gathered while drawing
 * (pm_heapmap_counts) equal pm_alloc_stats_get's figures taken at the same
 * moment.  Both walk the same descriptors, so they can only drift if one
 * walk skips a state: this file draws every arena that is not UNUSED.
 * Like the statistics, the map flushes the per-class free caches first
 * (cached blocks count as in use in their pools until then).
 *
 * Nothing is allocated: the output goes through a buffer on the stack
 * (svgout.h), so a heap map can be drawn after a MemoryError.  CPython has
 * no counterpart; sys._debugmallocstats() is the textual cousin.
 */
#include <stdarg.h>
#include <string.h>
#include "core/runtime.h"
#include "mem/svgout.h"

/* ---- the buffered writer (svgout.h) --------------------------------------- */

void pmi_svg_init(pmi_svg *s, pm_write_func write, void *ctx) {
    s->write = write;
    s->ctx = ctx;
    s->len = 0;
    s->failed = 0;
}

static void svg_flush(pmi_svg *s) {
    if (s->len && !s->failed && s->write(s->ctx, s->buf, s->len) < 0) s->failed = 1;
    s->len = 0;
}

void pmi_svg_printf(pmi_svg *s, const char *fmt, ...) {
    if (s->failed) return;
    if (sizeof s->buf - s->len < 512) svg_flush(s);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->buf + s->len, sizeof s->buf - s->len, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    size_t room = sizeof s->buf - s->len;
    s->len += (size_t)n < room ? (size_t)n : room - 1;
}

int pmi_svg_end(pm_runtime *rt, pmi_svg *s) {
    svg_flush(s);
    if (!s->failed) return 0;
    pm_err_set_object(rt, &pm_exc_OSError, NULL);
    return -1;
}

int pmi_svg_file_write(void *ctx, const char *data, size_t n) {
    FILE *f = ctx;
    return fwrite(data, 1, n, f) == n ? 0 : -1;
}

void pmi_svg_color(char out[8], unsigned h, unsigned s, unsigned v) {
    /* HSV to RGB in integers: sector of 60 degrees, then the ramp in it. */
    unsigned sector = (h % 360) / 60, f = (h % 360) % 60;
    unsigned max = v * 255 / 100, min = max * (100 - s) / 100;
    unsigned up = min + (max - min) * f / 60, down = max - (max - min) * f / 60;
    unsigned r, g, b;
    switch (sector) {
    case 0: r = max, g = up, b = min; break;
    case 1: r = down, g = max, b = min; break;
    case 2: r = min, g = max, b = up; break;
    case 3: r = min, g = down, b = max; break;
    case 4: r = up, g = min, b = max; break;
    default: r = max, g = min, b = down; break;
    }
    snprintf(out, 8, "#%02x%02x%02x", r & 0xff, g & 0xff, b & 0xff);
}

/* ---- the map --------------------------------------------------------------- */

enum {
    CELL = 12,                  /* pool cell side, px */
    STEP = 14,                  /* cell pitch */
    ROWH = 16,                  /* arena row pitch */
    LEFT = 70,                  /* room for the arena label */
    TOP = 76,                   /* title and summary lines */
    RIGHT = 150,                /* room for the per-arena figure */
    PAGES = (int)(PMI_POOL_SIZE / PMI_PAGE_SIZE) /* pages per pool */
};
_Static_assert(CELL % PAGES == 0, "a page stripe is a whole number of pixels");

/* Size class hue: spread the 32 classes around the wheel, neighbours apart. */
static unsigned class_hue(unsigned c) { return (c * 7u % PM_NUM_SIZE_CLASSES) * 360u / PM_NUM_SIZE_CLASSES; }

static void draw_pool(pmi_svg *s, const pmi_arena *ar, unsigned k, int x, int y, pm_heapmap_counts *n) {
    uint64_t bit = (uint64_t)1 << k;
    if (ar->released_pools & bit) {
        pmi_svg_printf(s, "<rect x='%d' y='%d' width='%d' height='%d' fill='#e4e4e4'/>\n", x, y, CELL, CELL);
        return;
    }
    if ((ar->free_pools & bit) || ar->state == PMI_ARENA_RESERVE) {
        pmi_svg_printf(s, "<rect x='%d.5' y='%d.5' width='%d' height='%d' fill='#fff' stroke='#aaa'/>\n", x, y,
                       CELL - 1, CELL - 1);
        return;
    }
    const pmi_pool *pool = &ar->pools[k];
    unsigned cap = pmi_pool_capacity(pool->szidx);
    size_t bsize = pmi_class_size(pool->szidx);
    unsigned h = (pool->ref * CELL + cap - 1) / cap;
    char light[8], dark[8];
    pmi_svg_color(light, class_hue(pool->szidx), 25, 97);
    pmi_svg_color(dark, class_hue(pool->szidx), 80, 80);
    pmi_svg_printf(s, "<g><title>class %u (%zu B): %u of %u blocks in use, %d page(s) given back</title>"
                      "<rect x='%d' y='%d' width='%d' height='%d' fill='%s'/>",
                   (unsigned)pool->szidx, bsize, (unsigned)pool->ref, cap, __builtin_popcount(pool->released), x,
                   y, CELL, CELL, light);
    if (h) pmi_svg_printf(s, "<rect x='%d' y='%d' width='%d' height='%u' fill='%s'/>", x, y + CELL - (int)h, CELL, h, dark);
    for (int i = 0; i < PAGES; i++)
        if (pool->released & (1u << i))
            pmi_svg_printf(s, "<rect x='%d' y='%d' width='%d' height='%d' fill='#222' fill-opacity='0.6'/>",
                           x + i * (CELL / PAGES), y, CELL / PAGES, CELL);
    pmi_svg_printf(s, "</g>\n");
    pm_size_class_stats *cs = &n->size_class[pool->szidx];
    cs->pools++;
    cs->blocks_in_use += pool->ref;
    cs->blocks_free += cap - pool->ref;
    n->small_bytes_in_use += (size_t)pool->ref * bsize;
    n->pools_in_use++;
    n->pages_released += (size_t)__builtin_popcount(pool->released);
}

int pm_heapmap_write(pm_runtime *rt, pm_write_func write, void *ctx, pm_heapmap_counts *counts) {
    pmi_mem *a = &rt->mem;
    pm_heapmap_counts n;
    pmi_svg s;
    memset(&n, 0, sizeof n);
    pmi_cache_flush_all(rt);
    for (unsigned c = 0; c < PM_NUM_SIZE_CLASSES; c++) n.size_class[c].block_size = pmi_class_size(c);

    size_t rows = 0;
    for (unsigned ri = 0; ri < a->nregions; ri++)
        for (size_t i = 0; i < a->regions[ri].next_fresh; i++)
            if (a->regions[ri].arenas[i].state != PMI_ARENA_UNUSED) rows++;

    int width = LEFT + (int)PMI_POOLS_PER_ARENA * STEP + RIGHT;
    int legend_y = TOP + (int)rows * ROWH + 20;
    int height = legend_y + 2 * 34 + 10;
    pmi_svg_init(&s, write, ctx);
    pmi_svg_printf(&s, "<?xml version='1.0' encoding='UTF-8'?>\n"
                       "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' "
                       "font-family='sans-serif' font-size='11'>\n"
                       "<rect width='100%%' height='100%%' fill='#fafafa'/>\n"
                       "<text x='10' y='20' font-size='15' font-weight='bold'>pymm heap map</text>\n",
                   width, height, width, height);

    size_t row = 0;
    for (unsigned ri = 0; ri < a->nregions; ri++) {
        pmi_region *r = &a->regions[ri];
        for (size_t i = 0; i < r->next_fresh; i++) {
            pmi_arena *ar = &r->arenas[i];
            if (ar->state == PMI_ARENA_UNUSED) continue;
            int y = TOP + (int)row * ROWH;
            int reserve = ar->state == PMI_ARENA_RESERVE;
            if (reserve) n.arenas_reserved++;
            else n.arenas_in_use++;
            n.pools_released += (size_t)__builtin_popcountll(ar->released_pools);
            if (!reserve) n.pools_free += (size_t)__builtin_popcountll(ar->free_pools);
            pmi_svg_printf(&s, "<text x='10' y='%d'>%u:%zu</text>\n", y + CELL - 2, ri, i);
            for (unsigned k = 0; k < PMI_POOLS_PER_ARENA; k++)
                draw_pool(&s, ar, k, LEFT + (int)k * STEP, y, &n);
            unsigned used = reserve ? 0 : (unsigned)PMI_POOLS_PER_ARENA - (unsigned)__builtin_popcountll(ar->free_pools);
            pmi_svg_printf(&s, "<text x='%d' y='%d'>%s%u/%u pools in use</text>\n",
                           LEFT + (int)PMI_POOLS_PER_ARENA * STEP + 6, y + CELL - 2, reserve ? "reserve, " : "",
                           used, (unsigned)PMI_POOLS_PER_ARENA);
            row++;
        }
    }

    size_t blocks_used = 0, blocks_free = 0;
    for (unsigned c = 0; c < PM_NUM_SIZE_CLASSES; c++) {
        blocks_used += n.size_class[c].blocks_in_use;
        blocks_free += n.size_class[c].blocks_free;
    }
    pmi_svg_printf(&s, "<text x='10' y='40'>%zu arenas in use, %zu in reserve; %zu pools in use, %zu empty, "
                       "%zu given back; %zu pages given back in pools in use</text>\n",
                   n.arenas_in_use, n.arenas_reserved, n.pools_in_use, n.pools_free, n.pools_released,
                   n.pages_released);
    pmi_svg_printf(&s, "<text x='10' y='56'>%zu blocks in use (%zu bytes), %zu free in their pools "
                       "(%.1f%% of pool blocks in use); %zu large blocks (%zu bytes)</text>\n",
                   blocks_used, n.small_bytes_in_use, blocks_free,
                   blocks_used + blocks_free ? 100.0 * (double)blocks_used / (double)(blocks_used + blocks_free) : 0.0,
                   a->large.used, a->large.bytes);

    /* Legend: one swatch per class, 16 to a line. */
    for (unsigned c = 0; c < PM_NUM_SIZE_CLASSES; c++) {
        char dark[8];
        pmi_svg_color(dark, class_hue(c), 80, 80);
        int x = 10 + (int)(c % 16) * ((width - 20) / 16), y = legend_y + (int)(c / 16) * 34;
        pmi_svg_printf(&s, "<rect x='%d' y='%d' width='%d' height='%d' fill='%s'/>"
                           "<text x='%d' y='%d'>%zu B</text><text x='%d' y='%d' fill='#666'>%zu pools</text>\n",
                       x, y, CELL, CELL, dark, x + CELL + 3, y + CELL - 2, pmi_class_size(c), x, y + CELL + 12,
                       n.size_class[c].pools);
    }
    pmi_svg_printf(&s, "</svg>\n");
    if (counts) *counts = n;
    return pmi_svg_end(rt, &s);
}

int pm_heapmap_write_file(pm_runtime *rt, FILE *f, pm_heapmap_counts *counts) {
    if (pm_heapmap_write(rt, pmi_svg_file_write, f, counts) < 0) return -1;
    if (fflush(f) != 0) {
        pm_err_set_object(rt, &pm_exc_OSError, NULL);
        return -1;
    }
    return 0;
}
