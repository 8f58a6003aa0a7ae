/*
 * interp/mod_tracemalloc.c — the `_tracemalloc` module: the C half of
 * tracemalloc (lib/tracemalloc.py is the Python half), fed by the
 * library's trace hook (pm_mem_set_trace_hook, src/mem/mem.c).
 *
 * Purpose
 *   While tracing, every block the runtime allocates is recorded with its
 *   size and the Python stack that asked for it (up to nframe frames, the
 *   innermost first), so that a snapshot can say which source lines hold
 *   how much memory.  The behaviour mirrored is CPython 3.11's
 *   Modules/_tracemalloc.c as its documentation and python3 show it: the
 *   functions start(nframe=1) stop is_tracing clear_traces
 *   get_traceback_limit get_traced_memory reset_peak get_tracemalloc_memory
 *   _get_traces _get_object_traceback, and -X tracemalloc[=N] /
 *   PYTHONTRACEMALLOC=N (pmi_tracemalloc_cmdline, called by main.c).
 *
 * State (one tm_state per runtime, reached through the hook's context, so
 * nothing is global; it exists only while tracing)
 *
 *       traces (open addressing on the block's address, linear probing,
 *       deletion by backward shift: no tombstones)
 *       +-------------------------------+
 *       | ptr | size | tb ───────────────────┐
 *       +-------------------------------+    |   tracebacks (a set, by content)
 *       | ptr | size | tb ───────────────────┼─▶ +------------------------------+
 *       +-------------------------------+    └─▶ | hash nframe total frames[] ──────▶ (co_filename, lineno) ...
 *                                                +------------------------------+
 *
 *   A traceback is interned: equal stacks share one record, so a trace is
 *   three words.  A record holds a reference to each frame's filename (the
 *   code's co_filename str), dropped when the records go (clear_traces,
 *   stop).  Records live until then, as in CPython.  A block allocated with
 *   no Python frame running gets the shared traceback ("<unknown>", 0).
 *
 * Invariants
 *   - traced == the sum of the sizes in traces; peak >= traced.
 *   - The hook's own memory (tables, records) is not traced: mem.c does not
 *     report calls made while the hook runs; the state is made before the
 *     hook is set and freed after it is removed.
 *   - The hook never frees an object (a freed block would go unseen); only
 *     clear and stop drop filename references, with the hook removed.
 *   - A block the hook cannot record (its table cannot grow, a record cannot
 *     be made) fails the allocation: MemoryError, as CPython.  A resize it
 *     cannot record forgets the block instead (a resize cannot be undone).
 *
 * Lifetime
 *   start() makes the state and sets the hook; stop() removes the hook and
 *   frees everything.  The module's free function stops tracing, so the
 *   teardown of sys.modules returns every byte (-X tracemalloc imports the
 *   module for that reason).  The module's own state object is the last
 *   nframe given to start (get_traceback_limit after stop, as CPython).
 *
 * Differences from CPython
 *   - One domain (0): pymm has one allocator.
 *   - _get_traces while a finalizer run by the collector calls stop() or
 *     clear_traces(): those raise RuntimeError instead (the copy being read
 *     refers to the records).
 */
#include "modules.h"
#include "interp.h"
#include "code.h"
#include "traceback.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TM_MAX_NFRAME 65535         /* CPython's MAX_NFRAME (frames in a uint16) */
#define TM_INITIAL_TRACES 256       /* trace slots at start (a power of two) */
#define TM_INITIAL_TRACEBACKS 64    /* traceback slots at start (a power of two) */

/* One frame of a traceback. */
typedef struct tm_frame {
    pm_object *filename;            /* owned by the record: co_filename */
    long lineno;                    /* line being run, 0 when unknown */
} tm_frame;

/* An interned traceback. */
typedef struct tm_traceback {
    uint64_t hash;                  /* of nframe, total_nframe and the frames */
    pm_object *cache;               /* owned while _get_traces runs: its tuple, else NULL */
    unsigned nframe;                /* frames kept (<= max_nframe) */
    unsigned total_nframe;          /* frames on the stack (capped at 65535) */
    tm_frame frames[];              /* innermost first */
} tm_traceback;

/* One traced block. */
typedef struct tm_trace {
    void *ptr;                      /* the block; NULL: empty slot */
    size_t size;                    /* bytes requested */
    tm_traceback *tb;               /* where it was allocated */
} tm_trace;

/* The tracer's state (the hook's context). */
typedef struct tm_state {
    unsigned max_nframe;            /* frames kept per traceback (start's nframe) */
    tm_frame *scratch;              /* max_nframe frames: the stack being captured */
    tm_trace *traces;               /* the trace table */
    size_t traces_mask;             /* its capacity - 1 */
    size_t ntraces;                 /* live traces */
    tm_traceback **tbs;             /* the traceback set (NULL: empty slot) */
    size_t tbs_mask;                /* its capacity - 1 */
    size_t ntbs;                    /* records in it */
    size_t tb_bytes;                /* bytes of those records */
    size_t traced;                  /* bytes of the traced blocks */
    size_t peak;                    /* most traced since start / clear / reset_peak */
    tm_traceback *empty;            /* ("<unknown>", 0): no Python frame running */
    int pinned;                     /* _get_traces is reading a copy that refers to the records */
} tm_state;

static int tm_hook(pm_runtime *rt, void *ctx, void *ptr, void *old, size_t size);

/* The state while tracing, else NULL. */
static tm_state *tm_get(pm_runtime *rt) {
    void *ctx = NULL;
    return pm_mem_get_trace_hook(rt, &ctx) == tm_hook ? ctx : NULL;
}

static uint64_t mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static size_t ptr_slot(const void *p, size_t mask) { return (size_t)mix((uintptr_t)p) & mask; }

/* ---- the trace table ---------------------------------------------------------- */

static tm_trace *trace_find(tm_state *s, const void *ptr) {
    for (size_t i = ptr_slot(ptr, s->traces_mask);; i = (i + 1) & s->traces_mask) {
        if (s->traces[i].ptr == ptr) return &s->traces[i];
        if (!s->traces[i].ptr) return NULL;
    }
}

/* Doubles the table: 0, or -1 (the old one kept). */
static int traces_grow(pm_runtime *rt, tm_state *s) {
    size_t cap = (s->traces_mask + 1) * 2;
    tm_trace *t = pm_calloc(rt, cap, sizeof *t);
    if (!t) return -1;
    for (size_t j = 0; j <= s->traces_mask; j++) {
        tm_trace *e = &s->traces[j];
        if (!e->ptr) continue;
        size_t i = ptr_slot(e->ptr, cap - 1);
        while (t[i].ptr) i = (i + 1) & (cap - 1);
        t[i] = *e;
    }
    pm_free(rt, s->traces);
    s->traces = t;
    s->traces_mask = cap - 1;
    return 0;
}

/* Records (or updates) the block's trace: 0, or -1 when the table cannot grow. */
static int trace_add(pm_runtime *rt, tm_state *s, void *ptr, size_t size, tm_traceback *tb) {
    tm_trace *e = trace_find(s, ptr);
    if (e) {
        s->traced -= e->size;
    } else {
        if ((s->ntraces + 1) * 2 > s->traces_mask + 1 && traces_grow(rt, s) < 0) return -1;
        size_t i = ptr_slot(ptr, s->traces_mask);
        while (s->traces[i].ptr) i = (i + 1) & s->traces_mask;
        e = &s->traces[i];
        e->ptr = ptr;
        s->ntraces++;
    }
    e->size = size;
    e->tb = tb;
    s->traced += size;
    if (s->traced > s->peak) s->peak = s->traced;
    return 0;
}

/* Forgets the block's trace, if any; the cluster after it shifts back. */
static void trace_remove(tm_state *s, const void *ptr) {
    tm_trace *e = trace_find(s, ptr);
    if (!e) return;
    s->traced -= e->size;
    s->ntraces--;
    size_t mask = s->traces_mask, hole = (size_t)(e - s->traces);
    for (size_t j = (hole + 1) & mask; s->traces[j].ptr; j = (j + 1) & mask) {
        size_t home = ptr_slot(s->traces[j].ptr, mask);
        /* the entry at j may fill the hole when its home is not in (hole, j] */
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            s->traces[hole] = s->traces[j];
            hole = j;
        }
    }
    s->traces[hole].ptr = NULL;
}

/* ---- tracebacks ------------------------------------------------------------------ */

static uint64_t tb_hash(const tm_frame *f, unsigned n, unsigned total) {
    uint64_t h = mix(((uint64_t)n << 16) ^ total);
    for (unsigned i = 0; i < n; i++) h = mix(h ^ (uintptr_t)f[i].filename) + (uint64_t)f[i].lineno * 1000003u;
    return h;
}

static int tb_equal(const tm_traceback *tb, uint64_t h, const tm_frame *f, unsigned n, unsigned total) {
    if (tb->hash != h || tb->nframe != n || tb->total_nframe != total) return 0;
    for (unsigned i = 0; i < n; i++)
        if (tb->frames[i].filename != f[i].filename || tb->frames[i].lineno != f[i].lineno) return 0;
    return 1;
}

static int tbs_grow(pm_runtime *rt, tm_state *s) {
    size_t cap = (s->tbs_mask + 1) * 2;
    tm_traceback **t = pm_calloc(rt, cap, sizeof *t);
    if (!t) return -1;
    for (size_t j = 0; j <= s->tbs_mask; j++) {
        tm_traceback *tb = s->tbs[j];
        if (!tb) continue;
        size_t i = (size_t)tb->hash & (cap - 1);
        while (t[i]) i = (i + 1) & (cap - 1);
        t[i] = tb;
    }
    pm_free(rt, s->tbs);
    s->tbs = t;
    s->tbs_mask = cap - 1;
    return 0;
}

/* The running Python stack as an interned traceback (borrowed from the
 * set), or NULL when a record cannot be made. */
static tm_traceback *tb_capture(pm_runtime *rt, tm_state *s) {
    pmi_interp *in = pmi_interp_get(rt);
    unsigned n = 0, total = 0;
    for (pmi_frame *f = in ? in->frame : NULL; f; f = f->previous) {
        if (!f->code) continue;
        if (n < s->max_nframe) {
            const pmi_code *co = (const pmi_code *)f->code;
            pmi_code_pos pos;
            pmi_traceback_location(f->code, pmi_frame_lasti(f), &pos);
            s->scratch[n].filename = co->filename ? co->filename : s->empty->frames[0].filename;
            s->scratch[n].lineno = pos.lineno < 0 ? 0 : pos.lineno;
            n++;
        }
        if (total < TM_MAX_NFRAME) total++;
    }
    if (n == 0) return s->empty;
    uint64_t h = tb_hash(s->scratch, n, total);
    size_t i = (size_t)h & s->tbs_mask;
    for (; s->tbs[i]; i = (i + 1) & s->tbs_mask)
        if (tb_equal(s->tbs[i], h, s->scratch, n, total)) return s->tbs[i];
    if ((s->ntbs + 1) * 2 > s->tbs_mask + 1) {
        if (tbs_grow(rt, s) < 0) return NULL;
        for (i = (size_t)h & s->tbs_mask; s->tbs[i]; i = (i + 1) & s->tbs_mask) {}
    }
    size_t bytes = sizeof(tm_traceback) + n * sizeof(tm_frame);
    tm_traceback *tb = pm_malloc(rt, bytes);
    if (!tb) return NULL;
    tb->hash = h;
    tb->cache = NULL;
    tb->nframe = n;
    tb->total_nframe = total;
    for (unsigned k = 0; k < n; k++) {
        tb->frames[k] = s->scratch[k];
        pm_incref(rt, tb->frames[k].filename);
    }
    s->tbs[i] = tb;
    s->ntbs++;
    s->tb_bytes += bytes;
    return tb;
}

static void tb_free(pm_runtime *rt, tm_traceback *tb) {
    for (unsigned k = 0; k < tb->nframe; k++) pm_decref(rt, tb->frames[k].filename);
    pm_free(rt, tb);
}

/* ---- the hook -------------------------------------------------------------------- */

static int tm_hook(pm_runtime *rt, void *ctx, void *ptr, void *old, size_t size) {
    tm_state *s = ctx;
    if (!ptr) {                     /* freed */
        trace_remove(s, old);
        return 0;
    }
    if (old && old != ptr) trace_remove(s, old);
    tm_traceback *tb = tb_capture(rt, s);
    if (tb && trace_add(rt, s, ptr, size, tb) == 0) return 0;
    if (old) trace_remove(s, ptr);  /* a resize: forget it rather than keep a stale size */
    return -1;
}

/* ---- start, clear, stop -------------------------------------------------------- */

/* Empties both tables (the hook must be off: filenames may be freed). */
static void tm_clear_tables(pm_runtime *rt, tm_state *s) {
    memset(s->traces, 0, (s->traces_mask + 1) * sizeof *s->traces);
    s->ntraces = 0;
    s->traced = s->peak = 0;
    for (size_t i = 0; i <= s->tbs_mask; i++) {
        if (s->tbs[i]) tb_free(rt, s->tbs[i]);
        s->tbs[i] = NULL;
    }
    s->ntbs = 0;
    s->tb_bytes = 0;
}

static void tm_state_free(pm_runtime *rt, tm_state *s) {
    if (s->traces && s->tbs) tm_clear_tables(rt, s);
    if (s->empty) tb_free(rt, s->empty);
    pm_free(rt, s->traces);
    pm_free(rt, s->tbs);
    pm_free(rt, s->scratch);
    pm_free(rt, s);
}

static int check_unpinned(pm_runtime *rt, tm_state *s) {
    if (!s->pinned) return 0;
    pm_err_set(rt, PM_EXC_RuntimeError, "tracemalloc: the traces are being read");
    return -1;
}

/* Starts tracing with nframe frames (nothing when already tracing): 0 or
 * -1.  module (may be NULL) keeps nframe as its state. */
static int tm_start(pm_runtime *rt, pm_object *module, pm_ssize_t nframe) {
    if (nframe < 1 || nframe > TM_MAX_NFRAME) {
        pm_err_format(rt, PM_EXC_ValueError, "the number of frames must be in range [1; %d]", TM_MAX_NFRAME);
        return -1;
    }
    if (tm_get(rt)) return 0;
    if (pm_mem_get_trace_hook(rt, NULL)) {
        pm_err_set(rt, PM_EXC_RuntimeError, "tracemalloc: the runtime has another trace hook");
        return -1;
    }
    pm_object *limit = NULL, *unknown = NULL;
    tm_state *s = pm_calloc(rt, 1, sizeof *s);
    if (!s) goto nomem;
    s->max_nframe = (unsigned)nframe;
    s->scratch = pm_malloc(rt, (size_t)nframe * sizeof(tm_frame));
    s->traces = pm_calloc(rt, TM_INITIAL_TRACES, sizeof(tm_trace));
    s->tbs = pm_calloc(rt, TM_INITIAL_TRACEBACKS, sizeof(tm_traceback *));
    s->traces_mask = TM_INITIAL_TRACES - 1;
    s->tbs_mask = TM_INITIAL_TRACEBACKS - 1;
    if (!s->scratch || !s->traces || !s->tbs) goto nomem;
    s->empty = pm_malloc(rt, sizeof(tm_traceback) + sizeof(tm_frame));
    if (!s->empty) goto nomem;
    s->empty->nframe = 0;           /* tm_state_free: nothing to drop yet */
    unknown = pm_str_intern_cstr(rt, "<unknown>");
    if (!unknown) goto fail;
    s->empty->frames[0].filename = unknown;         /* the reference moves in */
    unknown = NULL;
    s->empty->frames[0].lineno = 0;
    s->empty->nframe = s->empty->total_nframe = 1;
    s->empty->hash = 0;
    s->empty->cache = NULL;
    if (module) {
        limit = pm_int_from_ssize(rt, nframe);
        if (!limit) goto fail;
        pm_object **slot = &((pmi_module *)module)->state;
        pm_xdecref(rt, *slot);
        *slot = limit;
    }
    pm_mem_set_trace_hook(rt, tm_hook, s);
    return 0;
nomem:
    pm_err_nomem(rt);
fail:
    if (s) tm_state_free(rt, s);
    return -1;
}

/* Stops tracing and frees the state (nothing when not tracing): 0 or -1. */
static int tm_stop(pm_runtime *rt) {
    tm_state *s = tm_get(rt);
    if (!s) return 0;
    if (check_unpinned(rt, s) < 0) return -1;
    pm_mem_set_trace_hook(rt, NULL, NULL);
    tm_state_free(rt, s);
    return 0;
}

/* ---- the module's functions ---------------------------------------------------- */

static pm_object *tm_py_start(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (nargs > 1) {
        pm_err_format(rt, PM_EXC_TypeError, "start expected at most 1 argument, got %zd", nargs);
        return NULL;
    }
    pm_ssize_t n = 1;
    if (nargs == 1) {
        n = pm_index_as_ssize(rt, args[0], PM_INDEX_CLAMP);
        if (n == -1 && pm_err_occurred(rt)) return NULL;
        if (n > INT_MAX || n < INT_MIN) {   /* CPython reads a C int */
            pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C int");
            return NULL;
        }
    }
    if (tm_start(rt, self, n) < 0) return NULL;
    return PM_NONE;
}

static pm_object *tm_py_stop(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    if (tm_stop(rt) < 0) return NULL;
    return PM_NONE;
}

static pm_object *tm_py_is_tracing(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return pm_newref(rt, tm_get(rt) ? PM_TRUE : PM_FALSE);
}

static pm_object *tm_py_clear_traces(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    tm_state *s = tm_get(rt);
    if (!s) return PM_NONE;
    if (check_unpinned(rt, s) < 0) return NULL;
    pm_mem_set_trace_hook(rt, NULL, NULL);
    tm_clear_tables(rt, s);
    pm_mem_set_trace_hook(rt, tm_hook, s);
    return PM_NONE;
}

static pm_object *tm_py_get_traceback_limit(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    tm_state *s = tm_get(rt);
    if (s) return pm_int_from_ssize(rt, (pm_ssize_t)s->max_nframe);
    pm_object *limit = ((pmi_module *)self)->state;
    if (limit) return pm_newref(rt, limit);
    return pm_int_from_long(rt, 1);
}

static pm_object *tm_py_get_traced_memory(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    tm_state *s = tm_get(rt);
    pm_object *cur = pm_int_from_ssize(rt, s ? (pm_ssize_t)s->traced : 0);
    pm_object *peak = cur ? pm_int_from_ssize(rt, s ? (pm_ssize_t)s->peak : 0) : NULL;
    pm_object *r = peak ? pm_tuple_pack(rt, 2, cur, peak) : NULL;
    pm_xdecref(rt, cur);
    pm_xdecref(rt, peak);
    return r;
}

static pm_object *tm_py_reset_peak(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    tm_state *s = tm_get(rt);
    if (s) s->peak = s->traced;
    return PM_NONE;
}

static pm_object *tm_py_get_tracemalloc_memory(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    tm_state *s = tm_get(rt);
    size_t n = 0;
    if (s) {
        n = sizeof *s + s->max_nframe * sizeof(tm_frame) + (s->traces_mask + 1) * sizeof(tm_trace) +
            (s->tbs_mask + 1) * sizeof(tm_traceback *) + s->tb_bytes + sizeof(tm_traceback) + sizeof(tm_frame);
    }
    return pm_int_from_ssize(rt, (pm_ssize_t)n);
}

/* The frames of tb as a tuple of (filename, lineno), innermost first,
 * cached in tb->cache while _get_traces runs.  NEW ref. */
static pm_object *tb_tuple(pm_runtime *rt, tm_traceback *tb) {
    if (tb->cache) return pm_newref(rt, tb->cache);
    pm_object *t = NULL, *items = pm_list_new(rt);
    for (unsigned k = 0; items && k < tb->nframe; k++) {
        pm_object *line = pm_int_from_long(rt, tb->frames[k].lineno);
        pm_object *fr = line ? pm_tuple_pack(rt, 2, tb->frames[k].filename, line) : NULL;
        if (!fr || pm_list_append(rt, items, fr) < 0) PM_CLEAR(rt, items);
        pm_xdecref(rt, fr);
        pm_xdecref(rt, line);
    }
    if (items) t = pm_list_as_tuple(rt, items);
    pm_xdecref(rt, items);
    return t;
}

/* A copied trace: what _get_traces reads after the copy is taken. */
typedef struct tm_copy {
    size_t size;                    /* bytes requested */
    tm_traceback *tb;               /* its traceback (records live while pinned) */
} tm_copy;

static pm_object *tm_py_get_traces(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    tm_state *s = tm_get(rt);
    pm_object *list = pm_list_new(rt);
    if (!list || !s || s->ntraces == 0) return list;
    /* the copy first, untraced, as CPython: what is made below is not in it */
    size_t n = s->ntraces;
    pm_mem_set_trace_hook(rt, NULL, NULL);
    tm_copy *copy = pm_malloc(rt, n * sizeof *copy);
    pm_mem_set_trace_hook(rt, tm_hook, s);
    if (!copy) {
        pm_decref(rt, list);
        return pm_err_nomem(rt);
    }
    size_t k = 0;
    for (size_t i = 0; i <= s->traces_mask; i++) {
        if (!s->traces[i].ptr) continue;
        copy[k].size = s->traces[i].size;
        copy[k].tb = s->traces[i].tb;
        k++;
    }
    s->pinned++;
    pm_object *domain = pm_int_from_long(rt, 0);
    if (!domain) PM_CLEAR(rt, list);
    for (size_t i = 0; list && i < n; i++) {
        tm_traceback *tb = copy[i].tb;
        pm_object *frames = tb_tuple(rt, tb);
        if (frames && !tb->cache) tb->cache = pm_newref(rt, frames);
        pm_object *size = frames ? pm_int_from_ssize(rt, (pm_ssize_t)copy[i].size) : NULL;
        pm_object *total = size ? pm_int_from_long(rt, (long)tb->total_nframe) : NULL;
        pm_object *tr = total ? pm_tuple_pack(rt, 4, domain, size, frames, total) : NULL;
        if (!tr || pm_list_append(rt, list, tr) < 0) PM_CLEAR(rt, list);
        pm_xdecref(rt, tr);
        pm_xdecref(rt, total);
        pm_xdecref(rt, size);
        pm_xdecref(rt, frames);
    }
    pm_xdecref(rt, domain);
    for (size_t i = 0; i < n; i++) PM_CLEAR(rt, copy[i].tb->cache);
    s->pinned--;
    pm_free(rt, copy);
    return list;
}

static pm_object *tm_py_get_object_traceback(pm_runtime *rt, pm_object *self, pm_object *obj) {
    (void)self;
    tm_state *s = tm_get(rt);
    if (!s) return PM_NONE;
    const void *ptr = pm_is_gc(obj) ? (const void *)((const char *)obj - sizeof(pm_gc_head)) : (const void *)obj;
    tm_trace *e = trace_find(s, ptr);
    if (!e) return PM_NONE;
    return tb_tuple(rt, e->tb);
}

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def tm_methods[] = {
    {"_get_object_traceback", FN(tm_py_get_object_traceback), PM_METH_O,
     "Get the traceback where the Python object obj was allocated.\n\nReturn a tuple of (filename: str, "
     "lineno: int) tuples.\nReturn None if the tracemalloc module is disabled or did not\ntrace the "
     "allocation of the object."},
    {"_get_traces", FN(tm_py_get_traces), PM_METH_NOARGS,
     "Get traces of all memory blocks allocated by Python.\n\nReturn a list of (size: int, traceback: "
     "tuple) tuples.\ntraceback is a tuple of (filename: str, lineno: int) tuples.\n\nReturn an empty list "
     "if the tracemalloc module is disabled."},
    {"clear_traces", FN(tm_py_clear_traces), PM_METH_NOARGS, "Clear traces of memory blocks allocated by Python."},
    {"get_traceback_limit", FN(tm_py_get_traceback_limit), PM_METH_NOARGS,
     "Get the maximum number of frames stored in the traceback of a trace.\n\nBy default, a trace of an "
     "allocation only stores the most recent\nframe: the limit is 1."},
    {"get_traced_memory", FN(tm_py_get_traced_memory), PM_METH_NOARGS,
     "Get the current size and peak size of memory blocks traced by tracemalloc.\n\nReturns a tuple: "
     "(current: int, peak: int)."},
    {"get_tracemalloc_memory", FN(tm_py_get_tracemalloc_memory), PM_METH_NOARGS,
     "Get the memory usage in bytes of the tracemalloc module.\n\nThis memory is used internally to trace "
     "memory allocations."},
    {"is_tracing", FN(tm_py_is_tracing), PM_METH_NOARGS,
     "Return True if the tracemalloc module is tracing Python memory allocations."},
    {"reset_peak", FN(tm_py_reset_peak), PM_METH_NOARGS,
     "Set the peak size of memory blocks traced by tracemalloc to the current size.\n\nDo nothing if the "
     "tracemalloc module is not tracing memory allocations."},
    {"start", FN(tm_py_start), PM_METH_FASTCALL,
     "Start tracing Python memory allocations.\n\nAlso set the maximum number of frames stored in the "
     "traceback of a\ntrace to nframe."},
    {"stop", FN(tm_py_stop), PM_METH_NOARGS,
     "Stop tracing Python memory allocations.\n\nAlso clear traces of memory blocks allocated by Python."},
    {NULL, NULL, 0, NULL},
};
#undef FN

/* The module going away (sys.modules' teardown) ends tracing, so every
 * byte comes back. */
static void tm_module_free(pm_runtime *rt, pm_object *module) {
    (void)module;
    tm_state *s = tm_get(rt);
    if (s && !s->pinned) {
        pm_mem_set_trace_hook(rt, NULL, NULL);
        tm_state_free(rt, s);
    }
}

static const pmi_module_def tm_def = {
    .name = "_tracemalloc",
    .doc = "Debug module to trace memory blocks allocated by Python.",
    .methods = tm_methods,
    .free = tm_module_free,
};

pm_object *pmi_tracemalloc_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &tm_def);
}

/* ---- -X tracemalloc[=N], PYTHONTRACEMALLOC=N ------------------------------------ */

/* N of "-X tracemalloc[=N]" in the command line (before the program's own
 * arguments), -1 when absent, -2 when not a number. */
static long xoption_nframe(const pmi_sys_config *c) {
    long n = -1;
    for (int i = 1; i < c->orig_argc; i++) {
        const char *a = c->orig_argv[i];
        if (a[0] != '-' || a[1] == 0 || strcmp(a, "--") == 0) break;
        if (a[1] == '-') continue;
        for (const char *p = a + 1; *p; p++) {
            if (*p == 'c' || *p == 'm') return n;       /* the rest is the program's */
            if (*p != 'X' && *p != 'W') continue;
            const char *val = p[1] ? p + 1 : (i + 1 < c->orig_argc ? c->orig_argv[++i] : "");
            if (*p == 'X' && strncmp(val, "tracemalloc", 11) == 0 && (val[11] == 0 || val[11] == '=')) {
                if (val[11] == 0) {
                    n = 1;
                } else {
                    char *end;
                    n = strtol(val + 12, &end, 10);
                    if (end == val + 12 || *end || n < 0) n = -2;
                }
            }
            break;
        }
    }
    return n;
}

int pmi_tracemalloc_cmdline(pm_runtime *rt, const pmi_sys_config *c) {
    long n = -1;
    const char *env = c->ignore_environment ? NULL : getenv("PYTHONTRACEMALLOC");
    if (env && *env) {
        char *end;
        n = strtol(env, &end, 10);
        if (*end || n < 0) {
            pm_err_set(rt, PM_EXC_ValueError, "PYTHONTRACEMALLOC: invalid number of frames");
            return -1;
        }
    }
    long x = xoption_nframe(c);
    if (x == -2) {
        pm_err_set(rt, PM_EXC_ValueError, "-X tracemalloc=NFRAME: invalid number of frames");
        return -1;
    }
    if (x >= 0) n = x;
    if (n <= 0) return 0;
    pm_object *m = pmi_import_module(rt, "_tracemalloc");   /* in sys.modules: stopped at teardown */
    if (!m) return -1;
    int rc = tm_start(rt, m, n);
    pm_decref(rt, m);
    return rc;
}
