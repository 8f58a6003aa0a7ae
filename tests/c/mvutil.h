/* Helpers shared by the buffer / memoryview tests (header only: each
 * tests/c/test_*.c is built with testutil.c alone), including two C
 * exporters: a 2-D non-contiguous strided grid and a PIL-style array of
 * row pointers (suboffsets). */
#ifndef PYMM_MVUTIL_H
#define PYMM_MVUTIL_H
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

/* Blocks in use after emptying the free lists (tuples, lists, floats). */
static inline size_t mv_blocks(pm_runtime *rt) {
    pm_freelists_clear(rt);
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    size_t n = s.large_blocks;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) n += s.size_class[i].blocks_in_use;
    return n;
}

/* repr(o) into a static buffer (o borrowed); "<error>" on failure. */
static inline const char *mv_repr(pm_runtime *rt, pm_object *o) {
    static char buf[4096];
    pm_object *r = o ? pm_repr(rt, o) : NULL;
    snprintf(buf, sizeof buf, "%s", r ? pm_str_as_utf8(rt, r, NULL) : "<error>");
    if (r) pm_decref(rt, r);
    return buf;
}

/* Assert repr(o) == want, then decref o (stolen; NULL fails). */
#define mv_check_repr(rt, o, want) do {                                       \
        pm_object *o_ = (o);                                                  \
        if (!o_) fail_msg("%s: %s", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt)); \
        assert_string_equal(mv_repr((rt), o_), (want));                       \
        pm_decref((rt), o_);                                                  \
    } while (0)

/* Assert the pending error is kind with message msg, and clear it. */
#define mv_check_error(rt, kind, msg) do {                                    \
        assert_string_equal(pm_exc_name(pm_err_kind(rt)), pm_exc_name(kind)); \
        assert_string_equal(pm_err_message(rt), (msg));                       \
        pm_err_clear(rt);                                                     \
    } while (0)

/* ---- grid: a 2-D exporter of int32, every other column of a 4x6 matrix ----
 *
 *   matrix (row-major, 6 ints a row)      exported view: shape (4, 3),
 *   +----+----+----+----+----+----+       strides (24, 8), format "i"
 *   | 0  | 1  | 2  | 3  | 4  | 5  |       -> items 0 2 4 / 6 8 10 / ...
 *   | 6  | 7  | 8  | ...               non-contiguous in both orders
 */
typedef struct grid {
    pm_object ob_base;
    int32_t *cells;             /* pm_malloc'd 4x6 matrix */
    pm_ssize_t shape[2], strides[2];
    long exports;               /* buffers handed out */
    long *freed;                /* set to 1 when the grid is freed */
} grid;

static int grid_getbuffer(pm_runtime *rt, pm_object *self, pm_buffer *view, int flags) {
    grid *g = (grid *)self;
    if ((flags & PM_BUF_STRIDES) != PM_BUF_STRIDES) {
        pm_err_set(rt, PM_EXC_BufferError, "grid: strided request required");
        return -1;
    }
    if ((flags & PM_BUF_C_CONTIGUOUS) == PM_BUF_C_CONTIGUOUS ||
        (flags & PM_BUF_F_CONTIGUOUS) == PM_BUF_F_CONTIGUOUS ||
        (flags & PM_BUF_ANY_CONTIGUOUS) == PM_BUF_ANY_CONTIGUOUS) {
        pm_err_set(rt, PM_EXC_BufferError, "grid: not contiguous");
        return -1;
    }
    view->obj = pm_newref(rt, self);
    view->buf = g->cells;
    view->len = 4 * 3 * 4;
    view->itemsize = 4;
    view->readonly = 0;
    view->ndim = 2;
    view->format = (flags & PM_BUF_FORMAT) ? (char *)(uintptr_t) "i" : NULL;
    view->shape = g->shape;
    view->strides = g->strides;
    view->suboffsets = NULL;
    view->internal = NULL;
    g->exports++;
    return 0;
}

static void grid_releasebuffer(pm_runtime *rt, pm_object *self, pm_buffer *view) {
    (void)rt;
    (void)view;
    ((grid *)self)->exports--;
}

static void grid_dealloc(pm_runtime *rt, pm_object *self) {
    grid *g = (grid *)self;
    if (g->freed) *g->freed = 1;
    pm_free(rt, g->cells);
    pmi_object_free(rt, self);
}

static const pm_type grid_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "grid",
    .basicsize = sizeof(grid),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .dealloc = grid_dealloc,
    .getbuffer = grid_getbuffer,
    .releasebuffer = grid_releasebuffer,
};

/* A new grid with cells[i] = i; NULL + MemoryError. */
static inline pm_object *grid_new(pm_runtime *rt, long *freed) {
    grid *g = (grid *)pmi_object_new(rt, &grid_type);
    if (!g) return NULL;
    g->cells = pm_malloc(rt, 24 * sizeof(int32_t));
    if (!g->cells) {
        pmi_object_free(rt, (pm_object *)g);
        return pm_err_nomem(rt);
    }
    for (int i = 0; i < 24; i++) g->cells[i] = i;
    g->shape[0] = 4;
    g->shape[1] = 3;
    g->strides[0] = 24;
    g->strides[1] = 8;
    g->freed = freed;
    return (pm_object *)g;
}

/* ---- pil: 3 rows of 4 bytes, reached through an array of row pointers ----
 *   shape (3, 4), strides (sizeof(char *), 1), suboffsets (0, -1):
 *   item [i][j] is at *(char **)(buf + i * 8) + 0 + j.  Rows stored in
 *   reverse order in memory so that following the pointers matters. */
typedef struct pil {
    pm_object ob_base;
    char *rows[3];
    char data[12];
    pm_ssize_t shape[2], strides[2], suboffsets[2];
} pil;

static int pil_getbuffer(pm_runtime *rt, pm_object *self, pm_buffer *view, int flags) {
    pil *p = (pil *)self;
    if ((flags & PM_BUF_INDIRECT) != PM_BUF_INDIRECT) {
        pm_err_set(rt, PM_EXC_BufferError, "pil: indirect request required");
        return -1;
    }
    view->obj = pm_newref(rt, self);
    view->buf = p->rows;
    view->len = 12;
    view->itemsize = 1;
    view->readonly = 0;
    view->ndim = 2;
    view->format = (flags & PM_BUF_FORMAT) ? (char *)(uintptr_t) "B" : NULL;
    view->shape = p->shape;
    view->strides = p->strides;
    view->suboffsets = p->suboffsets;
    view->internal = NULL;
    return 0;
}

static void pil_dealloc(pm_runtime *rt, pm_object *self) { pmi_object_free(rt, self); }

static const pm_type pil_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "pil",
    .basicsize = sizeof(pil),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .dealloc = pil_dealloc,
    .getbuffer = pil_getbuffer,
};

static inline pm_object *pil_new(pm_runtime *rt) {
    pil *p = (pil *)pmi_object_new(rt, &pil_type);
    if (!p) return NULL;
    for (int r = 0; r < 3; r++) {
        p->rows[r] = p->data + (2 - r) * 4;     /* row r lives at slot 2-r */
        for (int c = 0; c < 4; c++) p->rows[r][c] = (char)(r * 10 + c);
    }
    p->shape[0] = 3;
    p->shape[1] = 4;
    p->strides[0] = sizeof(char *);
    p->strides[1] = 1;
    p->suboffsets[0] = 0;
    p->suboffsets[1] = -1;
    return (pm_object *)p;
}
#endif
