/*
 * gcmodule.c — the collector's API: what Python's gc module offers
 * (enable/disable, collect, counts, thresholds, debug flags, freeze,
 * callbacks, garbage, get_objects / get_referrers / get_referents), the
 * tracking calls for gc types written in C, and the unraisable-error hook.
 *
 * The passes themselves are in gc.c, which this file calls through one
 * entry, pmi_gc_collect (callbacks around one collection).  Everything here
 * reads or edits rt->gc (gc/state.h) and walks the generation lists with
 * gc.h's primitives; none of it runs during a collection except the
 * unraisable hook and what callbacks call.
 *
 * CPython behaviour mirrored: Modules/gcmodule.c's Python-level functions —
 * their argument checks and messages (get_objects' generation bounds,
 * callbacks.remove's ValueError), the list gc.get_objects() excluding itself,
 * gc.freeze moving everything to the permanent generation and resetting the
 * young count, gc.unfreeze putting it back into the oldest.
 */
#include "gc/gc.h"
#include "objects/containers.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Unraisable errors                                                         */
/* ------------------------------------------------------------------------ */

void pm_set_unraisable_hook(pm_runtime *rt, pm_unraisable_hook hook, void *ctx) {
    rt->gc.unraisable_hook = hook;
    rt->gc.unraisable_ctx = hook ? ctx : NULL;
}

void pm_err_write_unraisable(pm_runtime *rt, const char *where, pm_object *obj) {
    pm_object *exc = pm_err_fetch(rt);  /* never fails; clears */
    if (!exc) return;
    if (!where) where = "Exception ignored in";
    if (rt->gc.unraisable_hook) {
        rt->gc.unraisable_hook(rt, where, obj, exc, rt->gc.unraisable_ctx);
        pm_err_clear(rt);
        pm_decref(rt, exc);
        /* reported: the preallocated MemoryError drops its traceback (the
         * frames and their locals) now, not at teardown */
        pm_err_memerr_release(rt);
        return;
    }
    /* the text: str(exc) for the built-in classes (no user code runs in
     * the middle of a collection), nothing when that fails */
    char msg[PM_ERR_MSG_MAX];
    msg[0] = 0;
    pm_object *s = (exc->ob_type->flags & PM_TPFLAGS_STATIC) ? pm_str(rt, exc) : NULL;
    const char *u = s ? pm_str_as_utf8(rt, s, NULL) : NULL;
    if (u) snprintf(msg, sizeof msg, "%s", u);
    if (s) pm_decref(rt, s);
    pm_err_clear(rt);
    char type_name[128];
    snprintf(type_name, sizeof type_name, "%s", exc->ob_type->name);
    pm_decref(rt, exc);
    pm_err_memerr_release(rt);
    /* CPython's default hook prints repr(obj) and a traceback; repr could run
     * arbitrary code in the middle of a collection, so the default hook
     * prints the type and address only. */
    FILE *out = pmi_gc_debug_out(rt);
    if (obj) fprintf(out, "%s: <%s object at %p>\n", where, obj->ob_type->name, (void *)obj);
    else fprintf(out, "%s:\n", where);
    fprintf(out, "%s%s%s\n", type_name, msg[0] ? ": " : "", msg);
}

/* ------------------------------------------------------------------------ */
/* Switches, counts, thresholds, debug flags                                 */
/* ------------------------------------------------------------------------ */

void pm_gc_enable(pm_runtime *rt) { rt->gc.enabled = 1; }
void pm_gc_disable(pm_runtime *rt) { rt->gc.enabled = 0; }
int pm_gc_isenabled(pm_runtime *rt) { return rt->gc.enabled; }

pm_ssize_t pm_gc_collect(pm_runtime *rt, int generation) {
    if (generation < 0 || generation >= PM_GC_NUM_GENERATIONS) {
        pm_err_set(rt, PM_EXC_ValueError, "invalid generation");
        return -1;
    }
    if (rt->gc.collecting) return 0;    /* already collecting: don't do anything */
    pmi_err_saved saved;
    pmi_err_save(rt, &saved);
    rt->gc.collecting = 1;
    pm_ssize_t n = pmi_gc_collect(rt, generation);
    rt->gc.collecting = 0;
    pmi_err_restore(rt, &saved);
    return n;
}

void pm_gc_get_count(pm_runtime *rt, pm_ssize_t count[3]) {
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) count[i] = rt->gc.gen[i].count;
}

void pm_gc_get_threshold(pm_runtime *rt, pm_ssize_t threshold[3]) {
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) threshold[i] = rt->gc.gen[i].threshold;
}

void pm_gc_set_threshold(pm_runtime *rt, pm_ssize_t t0, pm_ssize_t t1, pm_ssize_t t2) {
    if (t0 >= 0) rt->gc.gen[0].threshold = t0;
    if (t1 >= 0) rt->gc.gen[1].threshold = t1;
    if (t2 >= 0) rt->gc.gen[2].threshold = t2;
}

void pm_gc_set_debug(pm_runtime *rt, int flags) { rt->gc.debug = flags; }
int pm_gc_get_debug(pm_runtime *rt) { return rt->gc.debug; }
void pm_gc_set_debug_output(pm_runtime *rt, FILE *out) { rt->gc.debug_out = out; }

int pm_gc_is_finalized(const pm_object *o) {
    return pmi_is_gc(o) && (PMI_AS_GC(o)->gc_prev & PM_GC_PREV_FINALIZED) != 0;
}

void pm_gc_freeze(pm_runtime *rt) {
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) {
        pmi_gc_list_merge(&rt->gc.gen[i].head, &rt->gc.permanent);
        rt->gc.gen[0].count = 0;
    }
}

void pm_gc_unfreeze(pm_runtime *rt) { pmi_gc_list_merge(&rt->gc.permanent, &rt->gc.gen[2].head); }

pm_ssize_t pm_gc_get_freeze_count(pm_runtime *rt) { return pmi_gc_list_size(&rt->gc.permanent); }

pm_object *pm_gc_garbage(pm_runtime *rt) {
    if (!rt->gc.garbage) rt->gc.garbage = pm_list_new(rt);
    return rt->gc.garbage;
}

int pm_gc_callback_add(pm_runtime *rt, pm_gc_callback cb, void *ctx) {
    if (!cb) {
        pmi_err_badarg(rt, "pm_gc_callback_add");
        return -1;
    }
    if (rt->gc.ncallbacks == rt->gc.callbacks_cap) {
        size_t cap = rt->gc.callbacks_cap ? rt->gc.callbacks_cap * 2 : 4;
        pmi_gc_callback_entry *a = pm_realloc(rt, rt->gc.callbacks, cap * sizeof *a);
        if (!a) {
            pm_err_nomem(rt);
            return -1;
        }
        rt->gc.callbacks = a;
        rt->gc.callbacks_cap = cap;
    }
    rt->gc.callbacks[rt->gc.ncallbacks++] = (pmi_gc_callback_entry){cb, ctx};
    return 0;
}

int pm_gc_callback_remove(pm_runtime *rt, pm_gc_callback cb, void *ctx) {
    for (size_t i = 0; i < rt->gc.ncallbacks; i++) {
        if (rt->gc.callbacks[i].cb == cb && rt->gc.callbacks[i].ctx == ctx) {
            memmove(&rt->gc.callbacks[i], &rt->gc.callbacks[i + 1],
                    (rt->gc.ncallbacks - i - 1) * sizeof rt->gc.callbacks[0]);
            if (--rt->gc.ncallbacks == 0) {      /* give the array back */
                pm_free(rt, rt->gc.callbacks);
                rt->gc.callbacks = NULL;
                rt->gc.callbacks_cap = 0;
            }
            return 0;
        }
    }
    pm_err_set(rt, PM_EXC_ValueError, "list.remove(x): x not in list");
    return -1;
}

void pm_gc_get_stats(pm_runtime *rt, pm_gc_generation_stats stats[3]) {
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) stats[i] = rt->gc.stats[i];
}

/* ---- get_objects / get_referrers / get_referents ------------------------- */

pm_object *pm_gc_get_objects(pm_runtime *rt, int generation) {
    if (generation >= PM_GC_NUM_GENERATIONS) {
        pm_err_format(rt, PM_EXC_ValueError,
                      "generation parameter must be less than the number of "
                      "available generations (%i)", PM_GC_NUM_GENERATIONS);
        return NULL;
    }
    if (generation < -1) {
        pm_err_set(rt, PM_EXC_ValueError, "generation parameter cannot be negative");
        return NULL;
    }
    int lo = generation < 0 ? 0 : generation, hi = generation < 0 ? PM_GC_NUM_GENERATIONS - 1 : generation;
    /* Make the list first (a gc allocation may collect), then fill it without
     * allocating: the generation lists must not move under the walk. */
    pm_object *result = pm_list_new(rt);
    if (!result) return NULL;
    pm_ssize_t total = 0;
    for (int i = lo; i <= hi; i++) total += pmi_gc_list_size(&rt->gc.gen[i].head);
    pmi_list *l = PMI_LIST(result);
    if (total > 0) {
        l->ob_item = pm_malloc(rt, (size_t)total * sizeof(pm_object *));
        if (!l->ob_item) {
            pm_decref(rt, result);
            return pm_err_nomem(rt);
        }
        l->allocated = total;
    }
    pm_ssize_t k = 0;
    for (int i = lo; i <= hi; i++) {
        pm_gc_head *h = &rt->gc.gen[i].head;
        for (pm_gc_head *g = pmi_gc_next(h); g != h; g = pmi_gc_next(g)) {
            pm_object *op = PMI_FROM_GC(g);
            if (op == result) continue;
            l->ob_item[k++] = pm_newref(rt, op);
        }
    }
    l->ob_base.ob_size = k;
    return result;
}

typedef struct referrers_arg {
    pm_object *const *objs;     /* what we look for */
    pm_ssize_t n;
} referrers_arg;

static int referrers_visit(pm_object *o, void *arg) {
    const referrers_arg *a = arg;
    for (pm_ssize_t i = 0; i < a->n; i++)
        if (a->objs[i] == o) return 1;
    return 0;
}

pm_object *pm_gc_get_referrers(pm_runtime *rt, pm_object *const *objs, pm_ssize_t n) {
    pm_object *result = pm_list_new(rt);
    if (!result) return NULL;
    referrers_arg a = {objs, n};
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) {
        pm_gc_head *h = &rt->gc.gen[i].head;
        for (pm_gc_head *g = pmi_gc_next(h); g != h; g = pmi_gc_next(g)) {
            pm_object *op = PMI_FROM_GC(g);
            if (op == result || !op->ob_type->traverse) continue;
            /* pm_list_append grows the item array with pm_realloc only: no
             * gc allocation, so no collection moves the list under us. */
            if (op->ob_type->traverse(op, referrers_visit, &a) && pm_list_append(rt, result, op) < 0) {
                pm_decref(rt, result);
                return NULL;
            }
        }
    }
    return result;
}

typedef struct referents_arg {
    pm_runtime *rt;
    pm_object *list;            /* the result */
} referents_arg;

static int referents_visit(pm_object *o, void *arg) {
    referents_arg *a = arg;
    return pm_list_append(a->rt, a->list, o) < 0 ? -1 : 0;
}

pm_object *pm_gc_get_referents(pm_runtime *rt, pm_object *const *objs, pm_ssize_t n) {
    pm_object *result = pm_list_new(rt);
    if (!result) return NULL;
    referents_arg a = {rt, result};
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *o = objs[i];
        if (!pmi_is_gc(o) || !o->ob_type->traverse) continue;
        if (o->ob_type->traverse(o, referents_visit, &a)) {
            pm_decref(rt, result);
            return NULL;
        }
    }
    return result;
}

/* ---- gc types written in C ------------------------------------------------- */

pm_object *pm_gc_new(pm_runtime *rt, const pm_type *t) {
    if (!(t->flags & PM_TPFLAGS_GC)) return pmi_err_badarg(rt, "pm_gc_new");
    return pmi_gc_new(rt, t);
}
void pm_gc_track(pm_runtime *rt, pm_object *o) {
    PMI_ASSERT(pmi_is_gc(o));
    pmi_gc_track(rt, o);
}
void pm_gc_untrack(pm_runtime *rt, pm_object *o) {
    PMI_ASSERT(pmi_is_gc(o));
    pmi_gc_untrack(rt, o);
}
void pm_gc_del(pm_runtime *rt, pm_object *o) { pmi_object_free(rt, o); }
