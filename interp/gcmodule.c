/*
 * interp/gcmodule.c — the `gc` module: the library's collector API
 * (pymm.h, "Garbage collector") with CPython 3.11's Python-level face.
 *
 * Purpose
 *   Each function is a thin wrapper over a pm_gc_* call, adding what the
 *   Python signature needs: argument checks with CPython's texts, tuples
 *   and dicts for the results.  Two attributes are live objects:
 *
 *     gc.garbage     the runtime's garbage list itself (pm_gc_garbage), so
 *                    DEBUG_SAVEALL appends where Python code looks;
 *     gc.callbacks   a list Python code edits; the module registers one C
 *                    callback (pm_gc_callback_add) whose context is that
 *                    list, and on each collection calls every item with
 *                    ("start" | "stop", {"generation", "collected",
 *                    "uncollectable"}) as CPython does.
 *
 *       gc module ──state──▶ callbacks list ◀──ctx── C callback (runtime)
 *
 *   The module keeps the list as its state; when the module's state is
 *   dropped (teardown, or the module collected) the C callback is removed
 *   before the list goes, so the runtime never holds a dangling context.
 *
 * DEBUG_STATS / DEBUG_COLLECTABLE lines are printed by the library to its
 * debug output (stderr), as CPython prints them to sys.stderr.
 */
#include "import.h"

#include <string.h>

/* ---- argument helpers ---------------------------------------------------- */

static int no_args(pm_runtime *rt, const char *name, pm_ssize_t nargs) {
    if (nargs == 0) return 0;
    pm_err_format(rt, PM_EXC_TypeError, "gc.%s() takes no arguments (%zd given)", name, nargs);
    return -1;
}

/* An int argument (generation, threshold, flags) as a long: 0 / -1. */
static int long_arg(pm_runtime *rt, pm_object *o, long *out) {
    if (pm_is_instance(o, &pm_float_type) || !pm_number_check(o)) {
        pm_err_format(rt, PM_EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                      pm_type_name(pm_type_of(o)));
        return -1;
    }
    pm_ssize_t v = pm_index_as_ssize(rt, o, PM_INDEX_OVERFLOWERROR);
    if (v == -1 && pm_err_occurred(rt)) return -1;
    if (v > 2147483647 || v < -2147483647 - 1) {
        pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C int");
        return -1;
    }
    *out = (long)v;
    return 0;
}

/* One optional argument that may also come by keyword `kw`: *out set (or
 * left alone when absent).  0 / -1. */
static int one_opt_arg(pm_runtime *rt, const char *fname, const char *kw, pm_object *const *args,
                       pm_ssize_t nargs, pm_object *kwnames, pm_object **out) {
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs + nkw > 1) {
        if (nkw > 1)
            pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most 1 keyword argument (%zd given)", fname,
                          nargs + nkw);
        else
            pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most 1 argument (%zd given)", fname, nargs + nkw);
        return -1;
    }
    if (nkw == 1) {
        pm_object *k = pm_tuple_get(rt, kwnames, 0);
        if (!pm_str_equal_cstr(k, kw)) {
            const char *ks = pm_str_as_utf8(rt, k, NULL);
            pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for %s()", ks ? ks : "?",
                          fname);
            return -1;
        }
        *out = args[0];
    } else if (nargs == 1) {
        *out = args[0];
    }
    return 0;
}

static pm_object *triple(pm_runtime *rt, const pm_ssize_t v[3]) {
    pm_object *a = pm_int_from_ssize(rt, v[0]);
    pm_object *b = pm_int_from_ssize(rt, v[1]);
    pm_object *c = pm_int_from_ssize(rt, v[2]);
    pm_object *t = a && b && c ? pm_tuple_pack(rt, 3, a, b, c) : NULL;
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    pm_xdecref(rt, c);
    return t;
}

/* {name0: v0, name1: v1, name2: v2} with int values. */
static pm_object *int_dict3(pm_runtime *rt, const char *const names[3], const pm_ssize_t v[3]) {
    pm_object *d = pm_dict_new(rt);
    for (int i = 0; d && i < 3; i++) {
        pm_object *k = pm_str_intern_cstr(rt, names[i]);
        pm_object *x = k ? pm_int_from_ssize(rt, v[i]) : NULL;
        if (!x || pm_dict_set(rt, d, k, x) < 0) PM_CLEAR(rt, d);
        pm_xdecref(rt, k);
        pm_xdecref(rt, x);
    }
    return d;
}

/* ---- functions ------------------------------------------------------------ */

#define NOARGS_FN(fname, body)                                                           \
    static pm_object *gc_##fname(pm_runtime *rt, pm_object *self, pm_object *const *args, \
                                 pm_ssize_t nargs) {                                       \
        (void)self;                                                                        \
        (void)args;                                                                        \
        if (no_args(rt, #fname, nargs) < 0) return NULL;                                   \
        body                                                                               \
    }

NOARGS_FN(enable, pm_gc_enable(rt); return PM_NONE;)
NOARGS_FN(disable, pm_gc_disable(rt); return PM_NONE;)
NOARGS_FN(isenabled, return pm_bool_from(pm_gc_isenabled(rt));)
NOARGS_FN(get_debug, return pm_int_from_long(rt, pm_gc_get_debug(rt));)
NOARGS_FN(freeze, pm_gc_freeze(rt); return PM_NONE;)
NOARGS_FN(unfreeze, pm_gc_unfreeze(rt); return PM_NONE;)
NOARGS_FN(get_freeze_count, return pm_int_from_ssize(rt, pm_gc_get_freeze_count(rt));)
NOARGS_FN(get_count, pm_ssize_t v[3]; pm_gc_get_count(rt, v); return triple(rt, v);)
NOARGS_FN(get_threshold, pm_ssize_t v[3]; pm_gc_get_threshold(rt, v); return triple(rt, v);)

static pm_object *gc_get_stats(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    (void)args;
    if (no_args(rt, "get_stats", nargs) < 0) return NULL;
    static const char *const names[3] = {"collections", "collected", "uncollectable"};
    pm_gc_generation_stats st[PM_GC_NUM_GENERATIONS];
    pm_gc_get_stats(rt, st);
    pm_object *l = pm_list_new(rt);
    for (int g = 0; l && g < PM_GC_NUM_GENERATIONS; g++) {
        pm_ssize_t v[3] = {st[g].collections, st[g].collected, st[g].uncollectable};
        pm_object *d = int_dict3(rt, names, v);
        if (!d || pm_list_append(rt, l, d) < 0) PM_CLEAR(rt, l);
        pm_xdecref(rt, d);
    }
    return l;
}

static pm_object *gc_collect(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                             pm_object *kwnames) {
    (void)self;
    pm_object *g = NULL;
    long gen = PM_GC_NUM_GENERATIONS - 1;
    if (one_opt_arg(rt, "collect", "generation", args, nargs, kwnames, &g) < 0) return NULL;
    if (g && long_arg(rt, g, &gen) < 0) return NULL;
    if (gen < 0 || gen >= PM_GC_NUM_GENERATIONS) {
        pm_err_set(rt, PM_EXC_ValueError, "invalid generation");
        return NULL;
    }
    pm_ssize_t n = pm_gc_collect(rt, (int)gen);
    if (n < 0) return NULL;
    return pm_int_from_ssize(rt, n);
}

static pm_object *gc_set_threshold(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs < 1 || nargs > 3) {
        pm_err_format(rt, PM_EXC_TypeError, nargs < 1 ? "set_threshold() takes at least 1 argument (%zd given)"
                                                      : "set_threshold() takes at most 3 arguments (%zd given)",
                      nargs);
        return NULL;
    }
    long t[3] = {-1, -1, -1};
    for (pm_ssize_t i = 0; i < nargs; i++)
        if (long_arg(rt, args[i], &t[i]) < 0) return NULL;
    /* a negative value from Python is stored as given in CPython; pymm's
     * API reads negatives as "unchanged", so clamp those to 0 */
    for (pm_ssize_t i = 0; i < nargs; i++)
        if (t[i] < 0) t[i] = 0;
    pm_gc_set_threshold(rt, t[0], t[1], t[2]);
    return PM_NONE;
}

static pm_object *gc_set_debug(pm_runtime *rt, pm_object *self, pm_object *flags) {
    (void)self;
    long v;
    if (long_arg(rt, flags, &v) < 0) return NULL;
    pm_gc_set_debug(rt, (int)v);
    return PM_NONE;
}

static pm_object *gc_get_objects(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                                 pm_object *kwnames) {
    (void)self;
    pm_object *g = NULL;
    long gen = -1;
    if (one_opt_arg(rt, "get_objects", "generation", args, nargs, kwnames, &g) < 0) return NULL;
    if (g && g != PM_NONE) {
        if (!pm_is_instance(g, &pm_int_type)) {
            pm_err_format(rt, PM_EXC_TypeError, "argument should be integer or None, not '%s'",
                          pm_type_name(pm_type_of(g)));
            return NULL;
        }
        if (long_arg(rt, g, &gen) < 0) return NULL;
        if (gen < -1) {
            pm_err_set(rt, PM_EXC_ValueError, "generation parameter cannot be negative");
            return NULL;
        }
    }
    return pm_gc_get_objects(rt, (int)gen);
}

static pm_object *gc_get_referrers(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    return pm_gc_get_referrers(rt, args, nargs);
}

static pm_object *gc_get_referents(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    return pm_gc_get_referents(rt, args, nargs);
}

static pm_object *gc_is_tracked(pm_runtime *rt, pm_object *self, pm_object *o) {
    (void)rt;
    (void)self;
    return pm_bool_from(pm_gc_is_tracked(o));
}

static pm_object *gc_is_finalized(pm_runtime *rt, pm_object *self, pm_object *o) {
    (void)rt;
    (void)self;
    return pm_bool_from(pm_gc_is_finalized(o));
}

PMI_WRAP_O(gc_is_finalized_fast, gc_is_finalized, "gc.is_finalized")
PMI_WRAP_O(gc_is_tracked_fast, gc_is_tracked, "gc.is_tracked")
PMI_WRAP_O(gc_set_debug_fast, gc_set_debug, "gc.set_debug")

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def gc_methods[] = {
    {"collect", FN(gc_collect), PM_METH_FASTCALL | PM_METH_KEYWORDS, "Run the garbage collector."},
    {"disable", FN(gc_disable), PM_METH_FASTCALL, "Disable automatic garbage collection."},
    {"enable", FN(gc_enable), PM_METH_FASTCALL, "Enable automatic garbage collection."},
    {"freeze", FN(gc_freeze), PM_METH_FASTCALL, "Freeze all current tracked objects and ignore them for future collections."},
    {"get_count", FN(gc_get_count), PM_METH_FASTCALL, "Return a three-tuple of the current collection counts."},
    {"get_debug", FN(gc_get_debug), PM_METH_FASTCALL, "Get the garbage collection debugging flags."},
    {"get_freeze_count", FN(gc_get_freeze_count), PM_METH_FASTCALL, "Return the number of objects in the permanent generation."},
    {"get_objects", FN(gc_get_objects), PM_METH_FASTCALL | PM_METH_KEYWORDS,
     "Return a list of objects tracked by the collector (excluding the list returned)."},
    {"get_referents", FN(gc_get_referents), PM_METH_FASTCALL, "Return the list of objects that are directly referred to by 'objs'."},
    {"get_referrers", FN(gc_get_referrers), PM_METH_FASTCALL, "Return the list of objects that directly refer to any of 'objs'."},
    {"get_stats", FN(gc_get_stats), PM_METH_FASTCALL, "Return a list of dictionaries containing per-generation statistics."},
    {"get_threshold", FN(gc_get_threshold), PM_METH_FASTCALL, "Return the current collection thresholds."},
    {"is_finalized", FN(gc_is_finalized_fast), PM_METH_FASTCALL, "Returns true if the object has been already finalized by the GC."},
    {"is_tracked", FN(gc_is_tracked_fast), PM_METH_FASTCALL, "Returns true if the object is tracked by the garbage collector."},
    {"isenabled", FN(gc_isenabled), PM_METH_FASTCALL, "Returns true if automatic garbage collection is enabled."},
    {"set_debug", FN(gc_set_debug_fast), PM_METH_FASTCALL, "Set the garbage collection debugging flags."},
    {"set_threshold", FN(gc_set_threshold), PM_METH_FASTCALL, "Set the collection thresholds (the collection frequency)."},
    {"unfreeze", FN(gc_unfreeze), PM_METH_FASTCALL, "Unfreeze all objects in the permanent generation."},
    {NULL, NULL, 0, NULL},
};
#undef FN

/* ---- gc.callbacks ------------------------------------------------------------ */

/* The C callback: calls every item of the list (ctx) with (phase, info). */
static int run_callbacks(pm_runtime *rt, const char *phase, const pm_gc_info *info, void *ctx) {
    pm_object *list = ctx;
    if (pm_list_size(list) == 0) return 0;
    static const char *const names[3] = {"generation", "collected", "uncollectable"};
    pm_ssize_t v[3] = {info->generation, info->collected, info->uncollectable};
    pm_object *snapshot = pm_list_as_tuple(rt, list);   /* callbacks may edit the list */
    pm_object *d = snapshot ? int_dict3(rt, names, v) : NULL;
    pm_object *p = d ? pm_str_from_cstr(rt, phase) : NULL;
    int rc = p ? 0 : -1;
    for (pm_ssize_t i = 0; rc == 0 && i < pm_tuple_size(snapshot); i++) {
        pm_object *cb = pm_tuple_get(rt, snapshot, i);
        pm_object *argv[2] = {p, d};
        pm_object *r = pm_call(rt, cb, argv, 2, NULL);
        if (r) pm_decref(rt, r);
        else pm_err_write_unraisable(rt, "Exception ignored in", cb);   /* 3.11: PyErr_WriteUnraisable(cb) */
    }
    pm_xdecref(rt, p);
    pm_xdecref(rt, d);
    pm_xdecref(rt, snapshot);
    return rc;
}

static void gc_module_free(pm_runtime *rt, pm_object *m) {
    pmi_module *mod = (pmi_module *)m;
    if (pm_gc_callback_remove(rt, run_callbacks, mod->state) < 0) pm_err_clear(rt);
}

static int gc_fill(pm_runtime *rt, pm_object *m) {
    static const struct {
        const char *name;
        long v;
    } consts[] = {
        {"DEBUG_STATS", PM_GC_DEBUG_STATS},
        {"DEBUG_COLLECTABLE", PM_GC_DEBUG_COLLECTABLE},
        {"DEBUG_UNCOLLECTABLE", PM_GC_DEBUG_UNCOLLECTABLE},
        {"DEBUG_SAVEALL", PM_GC_DEBUG_SAVEALL},
        {"DEBUG_LEAK", PM_GC_DEBUG_LEAK},
    };
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (pmi_module_add_new(rt, m, consts[i].name, pm_int_from_long(rt, consts[i].v)) < 0) return -1;
    pm_object *garbage = pm_gc_garbage(rt);
    if (!garbage || pmi_module_add(rt, m, "garbage", garbage) < 0) return -1;
    pm_object *cbs = pm_list_new(rt);
    if (!cbs) return -1;
    if (pmi_module_add(rt, m, "callbacks", cbs) < 0 || pm_gc_callback_add(rt, run_callbacks, cbs) < 0) {
        pm_decref(rt, cbs);
        return -1;
    }
    ((pmi_module *)m)->state = cbs;     /* the reference made above */
    return 0;
}

static const pmi_module_def gc_def = {
    .name = "gc",
    .doc = "This module provides access to the garbage collector for reference cycles.",
    .methods = gc_methods,
    .fill = gc_fill,
    .free = gc_module_free,
};

pm_object *pmi_gcmodule_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &gc_def);
}
