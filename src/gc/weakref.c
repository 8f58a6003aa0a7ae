/*
 * weakref.c — weak references (weakref.ref) and finalize callbacks
 * (weakref.finalize), cleared exactly when CPython 3.11 clears them.
 *
 * Purpose
 *   A weak reference names an object without keeping it alive; when the
 *   object dies the reference reports dead and its callback (if any) runs
 *   once.  This is Objects/weakrefobject.c (ref, not proxies) and the part
 *   of Lib/weakref.py that defines finalize, in C.
 *
 * Layout: every weakrefable object has a list head at its type's
 * weaklistoffset; the weakrefs to it form a doubly linked list:
 *
 *     object                 weakref (basic)      weakref (cb 2)       weakref (cb 1)
 *   +-------+--------+      +----------------+   +----------------+   +----------------+
 *   | ...   | wrlist-+----->| wr_object -> o |<->| wr_object -> o |<->| wr_object -> o |
 *   +-------+--------+      | no callback    |   | wr_cb, wr_data |   | wr_cb, wr_data |
 *                           +----------------+   +----------------+   +----------------+
 *   A callback-less reference is shared and kept at the head; a reference
 *   with a callback is inserted right after it — so callbacks run newest
 *   first, as in CPython.
 *
 * States of a weak reference
 *     live (wr_object = o, linked) --o dies--> dead (wr_object = NULL,
 *     unlinked) --its own count reaches 0--> freed
 *   The callback runs once, on the live -> dead edge, unless the weakref is
 *   itself garbage in the same collection (then it never runs) or is
 *   already dying.
 *
 * Two ways to die (both clear every weakref before any callback runs):
 *   - count reaches zero: pm_gc_dealloc_begin runs the finalizer, then
 *     pmi_weakref_clear_all (PyObject_ClearWeakRefs) clears and calls.  No
 *     memory is needed: the references with callbacks are chained through
 *     their (now unused) wr_next while the callbacks run, where CPython
 *     builds a tuple.
 *   - found unreachable by the collector: gc.c's handle_weakrefs.
 *
 * A referent whose count reached zero inside another dealloc waits on the
 * deferred-dealloc chain until its own dealloc runs; in that window wr()
 * reports it dead (pmi_gc_is_dying) instead of handing out a corpse.
 *
 * finalize: a pmi_finalize holds func + data and a weakref to the object
 * whose callback fires it.  The runtime's registry (a list, oldest first)
 * holds a reference to every pending finalizer, so it works even when the
 * embedder drops its own; pmi_finalize_atexit runs the pending ones at
 * teardown, newest first, as Lib/weakref.py's _exitfunc.
 */
#include "gc/gc.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* weakref.ref                                                               */
/* ------------------------------------------------------------------------ */

/* Take wr out of its referent's list; it is dead afterwards. */
static void unlink_ref(pmi_weakref *self) {
    if (!self->wr_object) return;
    pm_object **list = pmi_weakref_listptr(self->wr_object);
    if (*list == (pm_object *)self) *list = (pm_object *)self->wr_next;
    self->wr_object = NULL;
    if (self->wr_prev) self->wr_prev->wr_next = self->wr_next;
    if (self->wr_next) self->wr_next->wr_prev = self->wr_prev;
    self->wr_prev = self->wr_next = NULL;
}

void pmi_weakref_clear_ref(pmi_weakref *wr) { unlink_ref(wr); }

/* clear_weakref: unlink and drop the callback. */
static void clear_weakref(pm_runtime *rt, pmi_weakref *self) {
    unlink_ref(self);
    self->wr_cb = NULL;
    PM_CLEAR(rt, self->wr_data);
}

static void weakref_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    clear_weakref(rt, (pmi_weakref *)self);
    pmi_object_free(rt, self);
}

static int weakref_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_weakref *wr = (pmi_weakref *)self;
    return wr->wr_data ? visit(wr->wr_data, arg) : 0;
}

static int weakref_clear(pm_runtime *rt, pm_object *self) {
    clear_weakref(rt, (pmi_weakref *)self);
    return 0;
}

/* The referent if alive and not dying, else NULL (BORROWED). */
static pm_object *referent(pm_runtime *rt, pmi_weakref *wr) {
    pm_object *o = wr->wr_object;
    if (!o || pmi_gc_is_dying(rt, o)) return NULL;
    return o;
}

static pm_hash_t weakref_hash(pm_runtime *rt, pm_object *self) {
    pmi_weakref *wr = (pmi_weakref *)self;
    if (wr->hash != -1) return wr->hash;
    pm_object *o = referent(rt, wr);
    if (!o) {
        pm_err_set(rt, PM_EXC_TypeError, "weak object has gone away");
        return -1;
    }
    pm_incref(rt, o);
    wr->hash = pm_hash(rt, o);
    pm_decref(rt, o);
    return wr->hash;
}

static pm_object *weakref_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if ((op != PM_EQ && op != PM_NE) || !pmi_weakref_check(a) || !pmi_weakref_check(b))
        return PM_NOTIMPLEMENTED;
    pm_object *oa = referent(rt, (pmi_weakref *)a), *ob = referent(rt, (pmi_weakref *)b);
    if (!oa || !ob) {
        int res = (a == b);
        return pm_bool_from(op == PM_NE ? !res : res);
    }
    pm_incref(rt, oa);
    pm_incref(rt, ob);
    pm_object *r = pm_richcompare(rt, oa, ob, op);
    pm_decref(rt, oa);
    pm_decref(rt, ob);
    return r;
}

static pm_object *weakref_repr(pm_runtime *rt, pm_object *self) {
    pm_object *o = referent(rt, (pmi_weakref *)self);
    pmi_sb sb;
    pmi_sb_init(&sb);
    if (!o) pmi_sb_printf(rt, &sb, "<weakref at %p; dead>", (void *)self);
    else pmi_sb_printf(rt, &sb, "<weakref at %p; to '%s' at %p>", (void *)self, o->ob_type->name, (void *)o);
    return pmi_sb_finish(rt, &sb);
}

const pm_type pm_weakref_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "weakref.ReferenceType",
    .basicsize = sizeof(pmi_weakref),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = weakref_dealloc,
    .traverse = weakref_traverse,
    .clear = weakref_clear,
    .repr = weakref_repr,
    .hash = weakref_hash,
    .richcompare = weakref_richcompare,
};

/* The shared callback-less reference at the head of a list, or NULL. */
static pmi_weakref *basic_ref(pm_object *head) {
    pmi_weakref *wr = (pmi_weakref *)head;
    return wr && !wr->wr_cb ? wr : NULL;
}

static void insert_head(pmi_weakref *wr, pm_object **list) {
    pmi_weakref *next = (pmi_weakref *)*list;
    wr->wr_prev = NULL;
    wr->wr_next = next;
    if (next) next->wr_prev = wr;
    *list = (pm_object *)wr;
}

static void insert_after(pmi_weakref *wr, pmi_weakref *prev) {
    wr->wr_prev = prev;
    wr->wr_next = prev->wr_next;
    if (prev->wr_next) prev->wr_next->wr_prev = wr;
    prev->wr_next = wr;
}

pm_object *pm_weakref_new(pm_runtime *rt, pm_object *obj, pm_weakref_callback cb, pm_object *data) {
    pm_object **list = pmi_weakref_listptr(obj);
    if (!list) {
        pm_err_format(rt, PM_EXC_TypeError, "cannot create weak reference to '%s' object",
                      obj->ob_type->name);
        return NULL;
    }
    if (!cb && data) return pmi_err_badarg(rt, "pm_weakref_new");
    if (!cb) {
        pmi_weakref *basic = basic_ref(*list);
        if (basic) return pm_newref(rt, (pm_object *)basic);
    }
    /* The allocation may run a collection, which may clear weakrefs to obj:
     * the list is looked at again afterwards. */
    pmi_weakref *wr = (pmi_weakref *)pmi_gc_new(rt, &pm_weakref_type);
    if (!wr) return NULL;
    wr->wr_object = obj;
    wr->wr_cb = cb;
    wr->wr_data = data ? pm_newref(rt, data) : NULL;
    wr->hash = -1;
    if (!cb) {
        insert_head(wr, list);
    } else {
        pmi_weakref *basic = basic_ref(*list);
        if (basic) insert_after(wr, basic);
        else insert_head(wr, list);
    }
    pmi_gc_track(rt, (pm_object *)wr);
    return (pm_object *)wr;
}

pm_object *pm_weakref_get(pm_runtime *rt, pm_object *wr) {
    if (!pmi_weakref_check(wr)) return pmi_err_badarg(rt, "pm_weakref_get");
    pm_object *o = referent(rt, (pmi_weakref *)wr);
    return pm_newref(rt, o ? o : PM_NONE);
}

int pm_weakref_is_alive(pm_runtime *rt, pm_object *wr) {
    return pmi_weakref_check(wr) && referent(rt, (pmi_weakref *)wr) != NULL;
}

pm_ssize_t pm_weakref_getcount(pm_runtime *rt, pm_object *obj) {
    (void)rt;
    pm_object **list = pmi_weakref_listptr(obj);
    pm_ssize_t n = 0;
    if (list)
        for (pmi_weakref *wr = (pmi_weakref *)*list; wr; wr = wr->wr_next) n++;
    return n;
}

pm_object *pm_weakref_getrefs(pm_runtime *rt, pm_object *obj) {
    pm_object *result = pm_list_new(rt);
    if (!result) return NULL;
    pm_object **list = pmi_weakref_listptr(obj);
    if (!list) return result;
    /* Appending never makes a gc allocation (the item array grows with
     * pm_realloc), so the list cannot change under the walk. */
    for (pmi_weakref *wr = (pmi_weakref *)*list; wr; wr = wr->wr_next) {
        if (pm_list_append(rt, result, (pm_object *)wr) < 0) {
            pm_decref(rt, result);
            return NULL;
        }
    }
    return result;
}

/* ------------------------------------------------------------------------ */
/* PyObject_ClearWeakRefs                                                    */
/* ------------------------------------------------------------------------ */

void pmi_weakref_clear_all(pm_runtime *rt, pm_object *o) {
    pm_object **list = pmi_weakref_listptr(o);
    if (!list || !*list) return;
    /* The shared callback-less reference goes first and quietly. */
    pmi_weakref *basic = basic_ref(*list);
    if (basic) clear_weakref(rt, basic);
    if (!*list) return;

    /* Pending error saved: callbacks start clean (PyErr_Fetch). */
    pmi_err_saved saved;
    pmi_err_save(rt, &saved);           /* the exception object too */

    /* Clear them all first, chaining those whose callback must run through
     * wr_next (free once a weakref is dead).  Each chained one holds a
     * reference so it outlives the callbacks before it. */
    pmi_weakref *chain = NULL, **tail = &chain;
    while (*list) {
        pmi_weakref *wr = (pmi_weakref *)*list;
        pm_weakref_callback cb = wr->wr_cb;
        unlink_ref(wr);
        if (cb && PMI_AS_GC(wr)->gc_next != 0) {
            pm_incref(rt, (pm_object *)wr);
            *tail = wr;
            tail = &wr->wr_next;
        } else {
            /* A dying weakref (count 0, queued): no callback, as CPython
             * skips references whose count is 0. */
            wr->wr_cb = NULL;
            PM_CLEAR(rt, wr->wr_data);
        }
    }
    while (chain) {
        pmi_weakref *wr = chain;
        chain = wr->wr_next;
        wr->wr_next = NULL;
        pmi_weakref_run_callback(rt, wr);
        pm_decref(rt, (pm_object *)wr);
    }
    pmi_err_restore(rt, &saved);
}

void pmi_weakref_run_callback(pm_runtime *rt, pmi_weakref *wr) {
    pm_weakref_callback cb = wr->wr_cb;
    pm_object *data = wr->wr_data;
    wr->wr_cb = NULL;
    wr->wr_data = NULL;
    if (!cb) {
        pm_xdecref(rt, data);
        return;
    }
    if (cb(rt, (pm_object *)wr, data) < 0 || pm_err_occurred(rt))
        pm_err_write_unraisable(rt, "Exception ignored in", (pm_object *)wr);
    pm_xdecref(rt, data);
}

/* ------------------------------------------------------------------------ */
/* weakref.finalize                                                          */
/* ------------------------------------------------------------------------ */

typedef struct pmi_finalize {
    pm_object ob_base;          /* refcount + &pm_finalize_type */
    pm_object *wr;              /* owned weakref to the object, whose callback
                                   fires this; NULL once fired or detached */
    pm_finalize_func func;      /* what to run */
    pm_object *data;            /* owned argument of func, or NULL */
    uint64_t index;             /* creation order */
    int atexit;                 /* run at teardown if still pending */
    int registered;             /* pending: in the runtime's registry */
    struct pmi_finalize *reg_prev; /* registry neighbours (oldest first) */
    struct pmi_finalize *reg_next;
} pmi_finalize;

/* Take f out of the registry; the caller inherits the registry's reference. */
static void unregister(pm_runtime *rt, pmi_finalize *f) {
    if (f->reg_prev) f->reg_prev->reg_next = f->reg_next;
    else rt->weakref.fin_first = f->reg_next;
    if (f->reg_next) f->reg_next->reg_prev = f->reg_prev;
    else rt->weakref.fin_last = f->reg_prev;
    f->reg_prev = f->reg_next = NULL;
    f->registered = 0;
}

/* Run f if pending: 1 ran, 0 was not pending, -1 func failed (error set). */
static int finalize_fire(pm_runtime *rt, pmi_finalize *f) {
    if (!f->registered || rt->gc.shutdown) return 0;
    unregister(rt, f);                  /* its reference is now ours */
    pm_object *data = f->data;
    f->data = NULL;
    int r = f->func(rt, data) < 0 ? -1 : 1;
    pm_xdecref(rt, data);
    PM_CLEAR(rt, f->wr);                /* the weakref to the object goes too */
    pm_decref(rt, (pm_object *)f);
    return r;
}

static int finalize_trampoline(pm_runtime *rt, pm_object *wr, pm_object *f) {
    (void)wr;
    return finalize_fire(rt, (pmi_finalize *)f) < 0 ? -1 : 0;
}

static void finalize_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_finalize *f = (pmi_finalize *)self;
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, f->wr);
    PM_CLEAR(rt, f->data);
    pmi_object_free(rt, self);
}

static int finalize_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_finalize *f = (pmi_finalize *)self;
    int r;
    if (f->wr && (r = visit(f->wr, arg))) return r;
    return f->data ? visit(f->data, arg) : 0;
}

static int finalize_clear(pm_runtime *rt, pm_object *self) {
    pmi_finalize *f = (pmi_finalize *)self;
    PM_CLEAR(rt, f->wr);
    PM_CLEAR(rt, f->data);
    return 0;
}

static pm_object *finalize_repr(pm_runtime *rt, pm_object *self) {
    pmi_finalize *f = (pmi_finalize *)self;
    pm_object *o = f->registered && f->wr ? referent(rt, (pmi_weakref *)f->wr) : NULL;
    pmi_sb sb;
    pmi_sb_init(&sb);
    if (!o) pmi_sb_printf(rt, &sb, "<finalize object at %p; dead>", (void *)self);
    else pmi_sb_printf(rt, &sb, "<finalize object at %p; for '%s' at %p>", (void *)self,
                       o->ob_type->name, (void *)o);
    return pmi_sb_finish(rt, &sb);
}

const pm_type pm_finalize_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "finalize",
    .basicsize = sizeof(pmi_finalize),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = finalize_dealloc,
    .traverse = finalize_traverse,
    .clear = finalize_clear,
    .repr = finalize_repr,
};

pm_object *pm_finalize_new(pm_runtime *rt, pm_object *obj, pm_finalize_func func, pm_object *data) {
    if (!func) return pmi_err_badarg(rt, "pm_finalize_new");
    if (!pmi_weakref_listptr(obj)) {
        pm_err_format(rt, PM_EXC_TypeError, "cannot create weak reference to '%s' object",
                      obj->ob_type->name);
        return NULL;
    }
    pmi_finalize *f = (pmi_finalize *)pmi_gc_new(rt, &pm_finalize_type);
    if (!f) return NULL;
    f->func = func;
    f->data = data ? pm_newref(rt, data) : NULL;
    f->atexit = 1;
    pmi_gc_track(rt, (pm_object *)f);
    f->wr = pm_weakref_new(rt, obj, finalize_trampoline, (pm_object *)f);
    if (!f->wr) {
        pm_decref(rt, (pm_object *)f);
        return NULL;
    }
    f->index = rt->weakref.fin_index++;
    f->registered = 1;
    f->reg_prev = rt->weakref.fin_last;
    f->reg_next = NULL;
    if (rt->weakref.fin_last) rt->weakref.fin_last->reg_next = f;
    else rt->weakref.fin_first = f;
    rt->weakref.fin_last = f;
    pm_incref(rt, (pm_object *)f);      /* the registry's reference */
    return (pm_object *)f;
}

static pmi_finalize *as_finalize(pm_runtime *rt, pm_object *f, const char *fn) {
    if (f->ob_type != &pm_finalize_type) {
        pmi_err_badarg(rt, fn);
        return NULL;
    }
    return (pmi_finalize *)f;
}

int pm_finalize_call(pm_runtime *rt, pm_object *fo) {
    pmi_finalize *f = as_finalize(rt, fo, "pm_finalize_call");
    return f ? finalize_fire(rt, f) : -1;
}

int pm_finalize_detach(pm_runtime *rt, pm_object *fo, pm_object **data) {
    if (data) *data = NULL;
    pmi_finalize *f = as_finalize(rt, fo, "pm_finalize_detach");
    if (!f) return -1;
    if (!f->registered || !f->wr || !referent(rt, (pmi_weakref *)f->wr)) return 0;
    unregister(rt, f);
    pm_object *d = f->data;
    f->data = NULL;
    if (data) *data = d;
    else pm_xdecref(rt, d);
    PM_CLEAR(rt, f->wr);
    pm_decref(rt, fo);                  /* the registry's reference */
    return 1;
}

int pm_finalize_alive(pm_runtime *rt, pm_object *fo) {
    (void)rt;
    return fo->ob_type == &pm_finalize_type && ((pmi_finalize *)fo)->registered;
}

int pm_finalize_get_atexit(pm_runtime *rt, pm_object *fo) {
    (void)rt;
    return fo->ob_type == &pm_finalize_type && ((pmi_finalize *)fo)->atexit;
}

void pm_finalize_set_atexit(pm_runtime *rt, pm_object *fo, int atexit) {
    (void)rt;
    if (fo->ob_type == &pm_finalize_type) ((pmi_finalize *)fo)->atexit = atexit != 0;
}

void pmi_finalize_atexit(pm_runtime *rt) {
    int reenable = rt->gc.enabled;
    rt->gc.enabled = 0;                 /* as _exitfunc: no collection meanwhile */
    for (;;) {
        pmi_finalize *f = rt->weakref.fin_last;
        while (f && !f->atexit) f = f->reg_prev;
        if (!f) break;
        if (finalize_fire(rt, f) < 0) pm_err_write_unraisable(rt, "Exception ignored in", (pm_object *)f);
    }
    rt->gc.shutdown = 1;
    rt->gc.enabled = reenable;
    /* The rest (atexit off) are dropped without running. */
    while (rt->weakref.fin_first) {
        pmi_finalize *f = rt->weakref.fin_first;
        unregister(rt, f);
        PM_CLEAR(rt, f->wr);
        PM_CLEAR(rt, f->data);
        pm_decref(rt, (pm_object *)f);
    }
}
