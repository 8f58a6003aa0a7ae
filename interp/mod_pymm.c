/*
 * mod_pymm.c — the built-in module `pymm`: the library's tools for seeing
 * memory, for Python programs (docs/seeing.md).
 *
 *   stats()               the allocator's statistics (pm_alloc_stats) as a dict
 *   trim()                give free memory back to the OS; bytes given back
 *   heapmap(path)         the heap map as SVG (pm_heapmap_write); its counts
 *   gctrace_start(n=4096) record collections (pm_gctrace_start)
 *   gctrace_stop()
 *   gc_events()           the recorded collections, a list of dicts
 *   gctrace(path)         the collector timeline as SVG
 *   why_alive(obj)        the shortest chain of references from a root to
 *                         obj: a list of link strings, or None
 *   print_why_alive(obj)  the same, printed "a -> b -> c" on sys.stdout
 *   top_roots(objs, n=10) the n roots reaching the most bytes of objs:
 *                         a list of (root name, bytes, count), largest first
 *
 * Roots, searched in this order (so that a chain names the nearest holder):
 * every running frame's fast locals (innermost first, as a dict made for
 * the search: "f() locals['x']"; a frame whose locals are a mapping, such
 * as module code, gives that mapping), each module's __dict__ in
 * sys.modules ("m.__dict__['cache']"), the builtins dict, and last the
 * objects held from outside the heap (pm_gc_held_from_outside: a refcount
 * above what the tracked objects and the frames' locals explain — C code,
 * a frame's value stack).
 *
 * At startup and exit (interp.c calls pmi_pymm_at_start / pmi_pymm_at_exit):
 * PYMM_GCTRACE=FILE starts the timeline and writes it at exit;
 * PYMM_HEAPMAP=FILE writes the heap map at exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "builtins.h"
#include "code.h"
#include "interp.h"
#include "moduleobject.h"
#include "modules.h"

static int dict_put(pm_runtime *rt, pm_object *d, const char *key, pm_object *v) {
    pm_object *k = pm_str_from_cstr(rt, key);
    int r = k ? pm_dict_set(rt, d, k, v) : -1;
    pm_xdecref(rt, k);
    return r;
}

/* d[key] = int(n): 0 / -1. */
static int dict_put_int(pm_runtime *rt, pm_object *d, const char *key, pm_ssize_t n) {
    pm_object *v = pm_int_from_ssize(rt, n);
    int r = v ? dict_put(rt, d, key, v) : -1;
    pm_xdecref(rt, v);
    return r;
}

/* The path argument: a str, as UTF-8 (borrowed from it). */
static const char *path_arg(pm_runtime *rt, const char *fname, pm_object *o) {
    if (!pm_str_check(o)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() argument must be str, not %s", fname, pm_type_name(o->ob_type));
        return NULL;
    }
    return pm_str_as_utf8(rt, o, NULL);
}

/* ---- roots ------------------------------------------------------------------ */

typedef struct roots {
    pm_object *keep;            /* list: the objects and names below, owned */
    pm_object **objs;           /* borrowed from keep */
    const char **names;         /* UTF-8 of the name strs in keep */
    size_t n, cap;
} roots;

static int roots_add(pm_runtime *rt, roots *r, pm_object *o, pm_object *name) {
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 32;
        pm_object **no = pm_realloc(rt, r->objs, ncap * sizeof *no);
        if (!no) goto nomem;
        r->objs = no;
        const char **nn = pm_realloc(rt, (void *)r->names, ncap * sizeof *nn);
        if (!nn) goto nomem;
        r->names = nn;
        r->cap = ncap;
    }
    if (pm_list_append(rt, r->keep, o) < 0 || pm_list_append(rt, r->keep, name) < 0) return -1;
    const char *u = pm_str_as_utf8(rt, name, NULL);
    if (!u) return -1;
    r->objs[r->n] = o;
    r->names[r->n] = u;
    r->n++;
    return 0;
nomem:
    pm_err_nomem(rt);
    return -1;
}

static void roots_fini(pm_runtime *rt, roots *r) {
    pm_xdecref(rt, r->keep);
    pm_free(rt, r->objs);
    pm_free(rt, (void *)r->names);
}

/* A frame's fast locals as a new dict (unbound slots left out). */
static pm_object *frame_locals(pm_runtime *rt, pmi_frame *f) {
    pmi_code *co = (pmi_code *)f->code;
    pm_object *d = pm_dict_new(rt);
    if (!d) return NULL;
    for (int i = 0; i < f->nlocalsplus && i < pm_tuple_size(co->localsplusnames); i++) {
        if (!f->localsplus[i]) continue;
        if (pm_dict_set(rt, d, pm_tuple_get(rt, co->localsplusnames, i), f->localsplus[i]) < 0) {
            pm_decref(rt, d);
            return NULL;
        }
    }
    return d;
}

static int collect_roots(pm_runtime *rt, roots *r, pm_object *target) {
    pmi_interp *in = pmi_interp_get(rt);
    memset(r, 0, sizeof *r);
    r->keep = pm_list_new(rt);
    if (!r->keep) return -1;
    for (pmi_frame *f = in->frame; f; f = f->previous) {
        pmi_code *co = (pmi_code *)f->code;
        if (f->locals && f->locals == f->globals) continue; /* module code: its module's root */
        pm_object *d = f->locals ? (pm_incref(rt, f->locals), f->locals) : frame_locals(rt, f);
        if (!d) return -1;
        pm_object *name = pm_str_from_format(rt, "%s() locals", pm_str_as_utf8(rt, co->qualname, NULL));
        int rc = name ? roots_add(rt, r, d, name) : -1;
        pm_decref(rt, d);
        pm_xdecref(rt, name);
        if (rc < 0) return -1;
    }
    pm_ssize_t pos = 0;
    pm_object *k, *m;
    while (pm_dict_next(in->modules, &pos, &k, &m)) {
        if (!pmi_module_check(m) || !pmi_module_dict(m) || !pm_str_check(k)) continue;
        pm_object *name = pm_str_from_format(rt, "%s.__dict__", pm_str_as_utf8(rt, k, NULL));
        int rc = name ? roots_add(rt, r, pmi_module_dict(m), name) : -1;
        pm_xdecref(rt, name);
        if (rc < 0) return -1;
    }
    pm_object *name = pm_str_from_cstr(rt, "builtins");
    int rc = name ? roots_add(rt, r, in->builtins, name) : -1;
    pm_xdecref(rt, name);
    if (rc < 0) return -1;
    /* Last, what only C (or a frame's value stack) holds: not the target
     * (the call's argument holds it) and not the search's own list. */
    /* The frames' fast locals are references the search accounts for. */
    size_t nknown = 0;
    for (pmi_frame *f = in->frame; f; f = f->previous) nknown += (size_t)f->nlocalsplus;
    pm_object **known = pm_malloc(rt, (nknown + 1) * sizeof *known);
    if (!known) {
        pm_err_nomem(rt);
        return -1;
    }
    nknown = 0;
    for (pmi_frame *f = in->frame; f; f = f->previous)
        for (int i = 0; i < f->nlocalsplus; i++)
            if (f->localsplus[i]) known[nknown++] = f->localsplus[i];
    pm_object *held = pm_gc_held_from_outside(rt, known, nknown);
    pm_free(rt, known);
    if (!held) return -1;
    for (pm_ssize_t i = 0; i < pm_list_size(held) && rc == 0; i++) {
        pm_object *o = pm_list_get(rt, held, i);
        if (o == target || o == r->keep) continue;
        name = pm_str_from_format(rt, "<%s object held from outside the heap>", pm_type_name(o->ob_type));
        rc = name ? roots_add(rt, r, o, name) : -1;
        pm_xdecref(rt, name);
    }
    pm_decref(rt, held);
    return rc;
}

/* ---- functions -------------------------------------------------------------- */

static pm_object *pymm_stats(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    pm_object *d = pm_dict_new(rt), *classes = NULL;
    if (!d) return NULL;
#define PUT_(name, desc) \
    if (dict_put_int(rt, d, #name, (pm_ssize_t)s.name) < 0) goto fail;
    PM_ALLOC_STAT_COUNTERS(PUT_)
#undef PUT_
    classes = pm_list_new(rt);
    if (!classes) goto fail;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) {
        pm_size_class_stats *c = &s.size_class[i];
        pm_object *e = pm_dict_new(rt);
        if (!e) goto fail;
        if (dict_put_int(rt, e, "block_size", (pm_ssize_t)c->block_size) < 0 ||
            dict_put_int(rt, e, "pools", (pm_ssize_t)c->pools) < 0 ||
            dict_put_int(rt, e, "blocks_in_use", (pm_ssize_t)c->blocks_in_use) < 0 ||
            dict_put_int(rt, e, "blocks_free", (pm_ssize_t)c->blocks_free) < 0 || pm_list_append(rt, classes, e) < 0) {
            pm_decref(rt, e);
            goto fail;
        }
        pm_decref(rt, e);
    }
    if (dict_put(rt, d, "size_classes", classes) < 0) goto fail;
    pm_decref(rt, classes);
    return d;
fail:
    pm_xdecref(rt, classes);
    pm_decref(rt, d);
    return NULL;
}

static pm_object *pymm_trim(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return pm_int_from_ssize(rt, (pm_ssize_t)pm_trim(rt));
}

/* Open path for writing: NULL with OSError "[Errno n] msg: 'path'"-like text. */
static FILE *open_out(pm_runtime *rt, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) {
        pm_object *msg = pm_str_from_format(rt, "cannot open %s for writing", path);
        if (msg) {
            pm_err_set_object(rt, &pm_exc_OSError, msg);
            pm_decref(rt, msg);
        }
    }
    return f;
}

static pm_object *pymm_heapmap(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    const char *path = path_arg(rt, "heapmap", arg);
    if (!path) return NULL;
    FILE *f = open_out(rt, path);
    if (!f) return NULL;
    pm_heapmap_counts c;
    int r = pm_heapmap_write_file(rt, f, &c);
    if (fclose(f) != 0 && r == 0) {
        pm_err_set_object(rt, &pm_exc_OSError, NULL);
        r = -1;
    }
    if (r < 0) return NULL;
    /* The statistics at the same moment (nothing allocated since the map). */
    pm_alloc_stats st;
    pm_alloc_stats_get(rt, &st);
    int same = c.arenas_in_use == st.arenas_in_use && c.arenas_reserved == st.arenas_reserved &&
               c.pools_in_use == st.pools_in_use && c.pools_free == st.pools_free &&
               c.pools_released == st.pools_released && c.pages_released == st.pages_released &&
               c.small_bytes_in_use == st.small_bytes_in_use;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++)
        same &= c.size_class[i].blocks_in_use == st.size_class[i].blocks_in_use &&
                c.size_class[i].pools == st.size_class[i].pools;
    pm_object *d = pm_dict_new(rt);
    if (!d) return NULL;
    size_t blocks = 0;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) blocks += c.size_class[i].blocks_in_use;
    if (dict_put_int(rt, d, "arenas_in_use", (pm_ssize_t)c.arenas_in_use) < 0 ||
        dict_put_int(rt, d, "arenas_reserved", (pm_ssize_t)c.arenas_reserved) < 0 ||
        dict_put_int(rt, d, "pools_in_use", (pm_ssize_t)c.pools_in_use) < 0 ||
        dict_put_int(rt, d, "pools_free", (pm_ssize_t)c.pools_free) < 0 ||
        dict_put_int(rt, d, "pools_released", (pm_ssize_t)c.pools_released) < 0 ||
        dict_put_int(rt, d, "pages_released", (pm_ssize_t)c.pages_released) < 0 ||
        dict_put_int(rt, d, "small_bytes_in_use", (pm_ssize_t)c.small_bytes_in_use) < 0 ||
        dict_put_int(rt, d, "blocks_in_use", (pm_ssize_t)blocks) < 0 ||
        dict_put(rt, d, "matches_stats", same ? PM_TRUE : PM_FALSE) < 0) {
        pm_decref(rt, d);
        return NULL;
    }
    return d;
}

static pm_object *pymm_gctrace_start(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (pmi_mod_check_positional(rt, "gctrace_start", nargs, 0, 1) < 0) return NULL;
    pm_ssize_t n = 4096;
    if (nargs == 1) {
        n = pm_int_as_ssize(rt, args[0]);
        if (n == -1 && pm_err_occurred(rt)) return NULL;
        if (n <= 0) {
            pm_err_set(rt, PM_EXC_ValueError, "gctrace capacity must be positive");
            return NULL;
        }
    }
    if (pm_gctrace_start(rt, (size_t)n) < 0) return NULL;
    pm_incref(rt, PM_NONE);
    return PM_NONE;
}

static pm_object *pymm_gctrace_stop(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    pm_gctrace_stop(rt);
    pm_incref(rt, PM_NONE);
    return PM_NONE;
}

static pm_object *pymm_gc_events(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    /* A copy of the ring first: building the dicts may collect, and a
     * collection adds to the ring. */
    size_t n = 0, cap = 64;
    pm_gc_event *ev = NULL;
    pm_object *list = NULL;
    for (;;) {
        pm_gc_event *nev = pm_realloc(rt, ev, cap * sizeof *ev);
        if (!nev) {
            pm_free(rt, ev);
            return pm_err_nomem(rt);
        }
        ev = nev;
        n = pm_gctrace_events(rt, ev, cap);
        if (n < cap) break;
        cap *= 2;
    }
    list = pm_list_new(rt);
    if (!list) {
        pm_free(rt, ev);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        pm_object *d = pm_dict_new(rt);
        if (!d || dict_put_int(rt, d, "generation", ev[i].generation) < 0 ||
            dict_put_int(rt, d, "start_ns", (pm_ssize_t)ev[i].start_ns) < 0 ||
            dict_put_int(rt, d, "duration_ns", (pm_ssize_t)ev[i].duration_ns) < 0 ||
            dict_put_int(rt, d, "examined", ev[i].examined) < 0 ||
            dict_put_int(rt, d, "collected", ev[i].collected) < 0 ||
            dict_put_int(rt, d, "uncollectable", ev[i].uncollectable) < 0 || pm_list_append(rt, list, d) < 0) {
            pm_xdecref(rt, d);
            pm_free(rt, ev);
            pm_decref(rt, list);
            return NULL;
        }
        pm_decref(rt, d);
    }
    pm_free(rt, ev);
    return list;
}

static pm_object *pymm_gctrace(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    const char *path = path_arg(rt, "gctrace", arg);
    if (!path) return NULL;
    FILE *f = open_out(rt, path);
    if (!f) return NULL;
    int r = pm_gctrace_write_svg_file(rt, f);
    if (fclose(f) != 0 && r == 0) {
        pm_err_set_object(rt, &pm_exc_OSError, NULL);
        r = -1;
    }
    if (r < 0) return NULL;
    pm_incref(rt, PM_NONE);
    return PM_NONE;
}

static pm_object *pymm_why_alive(pm_runtime *rt, pm_object *self, pm_object *obj) {
    (void)self;
    roots r;
    pm_object *res = NULL;
    if (collect_roots(rt, &r, obj) == 0) res = pm_why_alive(rt, r.objs, r.names, r.n, obj);
    roots_fini(rt, &r);
    return res;
}

static pm_object *pymm_print_why_alive(pm_runtime *rt, pm_object *self, pm_object *obj) {
    pm_object *chain = pymm_why_alive(rt, self, obj), *text = NULL, *sep = NULL, *out = NULL;
    if (!chain) return NULL;
    if (chain == PM_NONE) {
        text = pm_str_from_format(rt, "no root reaches the %s object\n", pm_type_name(obj->ob_type));
    } else {
        sep = pm_str_from_cstr(rt, " -> ");
        pm_object *joined = sep ? pm_str_join(rt, sep, chain) : NULL;
        text = joined ? pm_str_from_format(rt, "%s\n", pm_str_as_utf8(rt, joined, NULL)) : NULL;
        pm_xdecref(rt, joined);
    }
    pm_decref(rt, chain);
    pm_xdecref(rt, sep);
    if (!text) return NULL;
    out = pmi_sys_get(rt, "stdout");
    int rc = out ? pmi_file_write_str(rt, out, text) : -1;
    pm_decref(rt, text);
    if (rc < 0) return NULL;
    pm_incref(rt, PM_NONE);
    return PM_NONE;
}

static pm_object *pymm_top_roots(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (pmi_mod_check_positional(rt, "top_roots", nargs, 1, 2) < 0) return NULL;
    pm_ssize_t want = 10;
    if (nargs == 2) {
        want = pm_int_as_ssize(rt, args[1]);
        if (want == -1 && pm_err_occurred(rt)) return NULL;
    }
    roots r;
    size_t *bytes = NULL, *count = NULL;
    pm_object *res = NULL, *seq = NULL;
    /* The roots first, so that the copy below is not one of them, nor the
     * argument (which only the caller's value stack holds). */
    if (collect_roots(rt, &r, args[0]) < 0) goto done;
    seq = pm_list_new(rt);
    if (!seq || pm_list_extend(rt, seq, args[0]) < 0) goto done;
    bytes = pm_malloc(rt, (r.n + 1) * sizeof *bytes);
    count = pm_malloc(rt, (r.n + 1) * sizeof *count);
    if (!bytes || !count) {
        pm_err_nomem(rt);
        goto done;
    }
    pm_ssize_t nobjs = pm_list_size(seq);
    pm_object **objs = pm_malloc(rt, ((size_t)nobjs + 1) * sizeof *objs);
    if (!objs) {
        pm_err_nomem(rt);
        goto done;
    }
    for (pm_ssize_t i = 0; i < nobjs; i++) objs[i] = pm_list_get(rt, seq, i);
    int rc = pm_roots_bytes(rt, r.objs, r.n, objs, (size_t)nobjs, bytes, count);
    pm_free(rt, objs);
    if (rc < 0) goto done;
    res = pm_list_new(rt);
    if (!res) goto done;
    /* Largest first (selection: n is small), roots that reach nothing left out. */
    for (pm_ssize_t k = 0; k < want; k++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < r.n; i++)
            if (count[i] && (best == SIZE_MAX || bytes[i] > bytes[best])) best = i;
        if (best == SIZE_MAX) break;
        pm_object *t = pm_str_from_cstr(rt, r.names[best]);
        pm_object *b = t ? pm_int_from_ssize(rt, (pm_ssize_t)bytes[best]) : NULL;
        pm_object *c = b ? pm_int_from_ssize(rt, (pm_ssize_t)count[best]) : NULL;
        pm_object *tup = c ? pm_tuple_pack(rt, 3, t, b, c) : NULL;
        pm_xdecref(rt, t);
        pm_xdecref(rt, b);
        pm_xdecref(rt, c);
        if (!tup || pm_list_append(rt, res, tup) < 0) {
            pm_xdecref(rt, tup);
            PM_CLEAR(rt, res);
            goto done;
        }
        pm_decref(rt, tup);
        count[best] = 0;
    }
done:
    pm_free(rt, bytes);
    pm_free(rt, count);
    roots_fini(rt, &r);
    pm_xdecref(rt, seq);
    return res;
}

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def pymm_methods[] = {
    {"stats", FN(pymm_stats), PM_METH_NOARGS, "stats() -> dict\n\nThe allocator's statistics."},
    {"trim", FN(pymm_trim), PM_METH_NOARGS, "trim() -> int\n\nGive free memory back to the OS; bytes given back."},
    {"heapmap", FN(pymm_heapmap), PM_METH_O, "heapmap(path) -> dict\n\nWrite the heap map as SVG; what it drew."},
    {"gctrace_start", FN(pymm_gctrace_start), PM_METH_FASTCALL,
     "gctrace_start(capacity=4096)\n\nRecord the collector's collections."},
    {"gctrace_stop", FN(pymm_gctrace_stop), PM_METH_NOARGS, "gctrace_stop()\n\nStop recording."},
    {"gc_events", FN(pymm_gc_events), PM_METH_NOARGS, "gc_events() -> list\n\nThe recorded collections."},
    {"gctrace", FN(pymm_gctrace), PM_METH_O, "gctrace(path)\n\nWrite the collector timeline as SVG."},
    {"why_alive", FN(pymm_why_alive), PM_METH_O,
     "why_alive(obj) -> list or None\n\nThe shortest chain of references from a root to obj."},
    {"print_why_alive", FN(pymm_print_why_alive), PM_METH_O, "print_why_alive(obj)\n\nPrint why_alive(obj)."},
    {"top_roots", FN(pymm_top_roots), PM_METH_FASTCALL,
     "top_roots(objs, n=10) -> list\n\n(root, bytes, count) of the roots reaching most bytes of objs."},
    {NULL, NULL, 0, NULL},
};
#undef FN

static const pmi_module_def pymm_def = {
    .name = "pymm",
    .doc = "Seeing pymm's memory: statistics, heap map, collector timeline, why-alive.",
    .methods = pymm_methods,
};

pm_object *pmi_pymm_init(pm_runtime *rt) { return pmi_module_from_def(rt, &pymm_def); }

void pmi_pymm_at_start(pm_runtime *rt) {
    const char *g = getenv("PYMM_GCTRACE");
    if (g && *g && pm_gctrace_start(rt, 100000) < 0) {
        fputs("pymm: PYMM_GCTRACE: cannot start the trace\n", stderr);
        pm_err_clear(rt);
    }
}

void pmi_pymm_at_exit(pm_runtime *rt) {
    pm_object *exc = pm_err_fetch(rt);
    const char *paths[2] = {getenv("PYMM_HEAPMAP"), getenv("PYMM_GCTRACE")};
    for (int i = 0; i < 2; i++) {
        if (!paths[i] || !*paths[i]) continue;
        FILE *f = fopen(paths[i], "w");
        int r = f ? (i == 0 ? pm_heapmap_write_file(rt, f, NULL) : pm_gctrace_write_svg_file(rt, f)) : -1;
        if (f && fclose(f) != 0) r = -1;
        if (r < 0) fprintf(stderr, "pymm: %s: cannot write %s\n", i == 0 ? "PYMM_HEAPMAP" : "PYMM_GCTRACE", paths[i]);
        pm_err_clear(rt);
    }
    if (exc) pm_err_restore(rt, exc);
}
