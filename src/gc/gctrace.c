/*
 * gctrace.c — the collector's timeline: an optional ring of events, one
 * per collection (generation, start, duration, objects examined, collected,
 * uncollectable), filled by the collector itself (gc.c: pmi_gc_collect
 * calls pmi_gctrace_begin / pmi_gctrace_end when rt->gc.trace is set), and
 * an SVG picture of it (pm_gctrace_write_svg).
 *
 *   pm_gctrace_start(rt, cap) ──> rt->gc.trace = ring of cap events
 *        collection: begin (clock, examined = objects in gens 0..g)
 *                    end   (duration, collected, uncollectable) ──> ring
 *   pm_gctrace_events: oldest first      pm_gctrace_stop / teardown: freed
 *
 *   ring:  [e5 e6 e7 e2 e3 e4]   head = 3 (next slot written), len = 6
 *                     ^ oldest   dropped = 2 (e0, e1 overwritten)
 *
 * Cost when off: one pointer test per collection.  When on, "examined" is
 * counted by walking the generations' lists (O(objects), the same order
 * as the collection itself).  The duration covers collect_main only, as
 * CPython's DEBUG_STATS "elapsed": the gc.callbacks are outside it.
 * The last collection of the runtime's teardown is not recorded (the ring
 * is freed by then: pmi_gc_fini calls pm_gctrace_stop).
 *
 * CPython mirrors: gc.callbacks' "start"/"stop" info and gc.get_stats();
 * this keeps each collection instead of totals.
 */
#include <string.h>
#include <time.h>
#include "core/runtime.h"
#include "gc/gc.h"
#include "mem/svgout.h"

typedef struct pmi_gctrace {
    pm_gc_event *ring;          /* cap events (pm_malloc'd) */
    size_t cap;                 /* slots in ring */
    size_t head;                /* next slot written */
    size_t len;                 /* events held (<= cap) */
    uint64_t dropped;           /* events overwritten since the start */
} pmi_gctrace;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int pm_gctrace_start(pm_runtime *rt, size_t capacity) {
    pmi_gctrace *t = NULL;
    if (capacity == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "gctrace capacity must be positive");
        return -1;
    }
    if (capacity > (size_t)PTRDIFF_MAX / sizeof(pm_gc_event)) goto nomem;
    t = pm_malloc(rt, sizeof *t);
    if (!t) goto nomem;
    t->ring = pm_malloc(rt, capacity * sizeof(pm_gc_event));
    if (!t->ring) goto nomem;
    t->cap = capacity;
    t->head = t->len = 0;
    t->dropped = 0;
    pm_gctrace_stop(rt);
    rt->gc.trace = t;
    return 0;
nomem:
    pm_free(rt, t);
    pm_err_nomem(rt);
    return -1;
}

void pm_gctrace_stop(pm_runtime *rt) {
    pmi_gctrace *t = rt->gc.trace;
    if (!t) return;
    rt->gc.trace = NULL;
    pm_free(rt, t->ring);
    pm_free(rt, t);
}

int pm_gctrace_active(const pm_runtime *rt) { return rt->gc.trace != NULL; }

uint64_t pm_gctrace_dropped(const pm_runtime *rt) { return rt->gc.trace ? rt->gc.trace->dropped : 0; }

size_t pm_gctrace_events(const pm_runtime *rt, pm_gc_event *out, size_t max) {
    const pmi_gctrace *t = rt->gc.trace;
    if (!t) return 0;
    size_t n = t->len < max ? t->len : max;
    size_t first = (t->head + t->cap - t->len) % t->cap; /* oldest */
    for (size_t i = 0; i < n; i++) out[i] = t->ring[(first + i) % t->cap];
    return n;
}

void pmi_gctrace_begin(pm_runtime *rt, int generation, pm_gc_event *ev) {
    ev->generation = generation;
    ev->examined = 0;
    for (int i = 0; i <= generation; i++) ev->examined += pmi_gc_list_size(&rt->gc.gen[i].head);
    ev->start_ns = now_ns();
}

void pmi_gctrace_end(pm_runtime *rt, pm_gc_event *ev, pm_ssize_t collected, pm_ssize_t uncollectable) {
    pmi_gctrace *t = rt->gc.trace;
    ev->duration_ns = now_ns() - ev->start_ns;
    ev->collected = collected;
    ev->uncollectable = uncollectable;
    if (!t) return;             /* stopped by a finalizer during the collection */
    if (t->len == t->cap) t->dropped++;
    else t->len++;
    t->ring[t->head] = *ev;
    t->head = (t->head + 1) % t->cap;
}

/* ---- the timeline ---------------------------------------------------------- */

enum {
    W = 1000,                   /* plot width, px */
    LEFT = 60,                  /* axis labels */
    BAR_TOP = 70,               /* the lane of generation 0 */
    LANE = 26,                  /* lane pitch (one per generation) */
    COUNTS_TOP = 70 + 3 * 26 + 40, /* the examined/freed chart */
    COUNTS_H = 120,             /* its height */
    HEIGHT = 70 + 3 * 26 + 40 + 120 + 60
};

static const char *const gen_color[3] = {"#4a90d9", "#e8a33d", "#c8443a"};

int pm_gctrace_write_svg(pm_runtime *rt, pm_write_func write, void *ctx) {
    const pmi_gctrace *t = rt->gc.trace;
    pmi_svg s;
    pmi_svg_init(&s, write, ctx);
    size_t n = t ? t->len : 0;
    size_t first = t ? (t->head + t->cap - t->len) % t->cap : 0;
    uint64_t t0 = 0, t1 = 1, total_ns[3] = {0, 0, 0};
    pm_ssize_t max_count = 1, freed = 0, examined = 0;
    size_t per_gen[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        const pm_gc_event *e = &t->ring[(first + i) % t->cap];
        if (i == 0) t0 = e->start_ns;
        if (e->start_ns + e->duration_ns > t1) t1 = e->start_ns + e->duration_ns;
        if (e->examined > max_count) max_count = e->examined;
        if (e->generation >= 0 && e->generation < 3) {
            per_gen[e->generation]++;
            total_ns[e->generation] += e->duration_ns;
        }
        freed += e->collected;
        examined += e->examined;
    }
    if (t1 <= t0) t1 = t0 + 1;
    double span = (double)(t1 - t0);
    pmi_svg_printf(&s, "<?xml version='1.0' encoding='UTF-8'?>\n"
                       "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' "
                       "font-family='sans-serif' font-size='11'>\n"
                       "<rect width='100%%' height='100%%' fill='#fafafa'/>\n"
                       "<text x='10' y='20' font-size='15' font-weight='bold'>pymm collector timeline</text>\n"
                       "<text x='10' y='40'>%zu collections over %.3f ms (%llu dropped from the ring); "
                       "%ld objects examined, %ld freed</text>\n"
                       "<text x='10' y='56'>time in gen 0: %.3f ms (%zu), gen 1: %.3f ms (%zu), "
                       "gen 2: %.3f ms (%zu)</text>\n",
                   LEFT + W + 20, HEIGHT, LEFT + W + 20, HEIGHT, n, span / 1e6,
                   (unsigned long long)(t ? t->dropped : 0), (long)examined, (long)freed, total_ns[0] / 1e6,
                   per_gen[0], total_ns[1] / 1e6, per_gen[1], total_ns[2] / 1e6, per_gen[2]);
    for (int g = 0; g < 3; g++)
        pmi_svg_printf(&s, "<text x='10' y='%d'>gen %d</text><line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#ddd'/>\n",
                       BAR_TOP + g * LANE + 14, g, LEFT, BAR_TOP + g * LANE + 20, LEFT + W, BAR_TOP + g * LANE + 20);
    pmi_svg_printf(&s, "<text x='10' y='%d'>objects</text>"
                       "<text x='%d' y='%d' fill='#666'>%ld</text>"
                       "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/>\n",
                   COUNTS_TOP + 12, LEFT - 4, COUNTS_TOP + 10, (long)max_count, LEFT, COUNTS_TOP + COUNTS_H, LEFT + W,
                   COUNTS_TOP + COUNTS_H);
    for (size_t i = 0; i < n; i++) {
        const pm_gc_event *e = &t->ring[(first + i) % t->cap];
        int g = e->generation >= 0 && e->generation < 3 ? e->generation : 2;
        double x = LEFT + (double)(e->start_ns - t0) * W / span;
        double w = (double)e->duration_ns * W / span;
        if (w < 1.5) w = 1.5;
        pmi_svg_printf(&s, "<rect x='%.2f' y='%d' width='%.2f' height='18' fill='%s'>"
                           "<title>gen %d: %.3f ms, %ld examined, %ld collected, %ld uncollectable</title></rect>\n",
                       x, BAR_TOP + g * LANE, w, gen_color[g], e->generation, (double)e->duration_ns / 1e6,
                       (long)e->examined, (long)e->collected, (long)e->uncollectable);
        double he = (double)e->examined * COUNTS_H / (double)max_count;
        double hc = (double)e->collected * COUNTS_H / (double)max_count;
        pmi_svg_printf(&s, "<rect x='%.2f' y='%.2f' width='%.2f' height='%.2f' fill='%s' fill-opacity='0.35'/>",
                       x, COUNTS_TOP + COUNTS_H - he, w, he, gen_color[g]);
        if (hc > 0)
            pmi_svg_printf(&s, "<rect x='%.2f' y='%.2f' width='%.2f' height='%.2f' fill='#222'/>", x,
                           COUNTS_TOP + COUNTS_H - hc, w, hc);
        pmi_svg_printf(&s, "\n");
    }
    pmi_svg_printf(&s, "<text x='%d' y='%d' fill='#666'>bars: light = objects examined, dark = collected; "
                       "x axis: time since the first recorded collection</text>\n</svg>\n",
                   LEFT, COUNTS_TOP + COUNTS_H + 24);
    return pmi_svg_end(rt, &s);
}

int pm_gctrace_write_svg_file(pm_runtime *rt, FILE *f) {
    if (pm_gctrace_write_svg(rt, pmi_svg_file_write, f) < 0) return -1;
    if (fflush(f) != 0) {
        pm_err_set_object(rt, &pm_exc_OSError, NULL);
        return -1;
    }
    return 0;
}
