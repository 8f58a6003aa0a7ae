/*
 * interp/frameobject.c — frame objects (CPython 3.11's PyFrameObject).
 *
 * An interpreter frame (pmi_frame, interp.h) is not an object: it is a
 * record in the per-runtime frame stack that lives exactly as long as the
 * call.  Python code sometimes needs the frame as an object — a traceback
 * names the frame of each entry, sys._getframe() returns one — and such an
 * object may outlive the call.  As in 3.11, frame objects are made lazily:
 *
 *     live                                   detached
 *   +-----------+  frame_obj  +---------+    +---------+
 *   | pmi_frame |-----------> | frame   |    | frame   |  owns: code, globals,
 *   |  (stack)  | <-----------| object  | => | object  |  builtins, the locals
 *   +-----------+   frame     +---------+    +---------+  mapping, a copy of the
 *                                                         fast slots, f_back,
 *                                                         the last instruction
 *
 *   - pmi_frame_object_get makes the object on first use and caches it in
 *     f->frame_obj (the frame owns that reference).  While the frame runs,
 *     f_lineno / f_lasti / f_locals / f_back read the live frame.
 *   - pmi_frame_pop calls pmi_frame_object_detach before the frame drops
 *     its references: the object copies what it needs (new references to
 *     the fast slots, the locals mapping, the instruction offset) and links
 *     f_back to the caller's frame object (made now, as CPython's
 *     take_ownership does), then the frame lets go of it.  An object only
 *     the frame holds simply dies with it.
 *
 * A generator's frame (genobject.h) lives in the generator and is
 * "live" while the generator is created or suspended: gi_frame returns
 * its object, f_back is None unless it runs, and frame.clear() closes the
 * generator (3.11's _PyGen_Finalize) instead of clearing the frame; a
 * frame that is running cannot be cleared.
 *
 * Invariants: `frame` is non-NULL exactly while the call runs (or, for a
 * generator's frame, until the generator finishes); `slots` is
 * allocated when the object is made (function frames only), so detaching
 * never allocates for the locals; only detached objects own slot values.
 * Frame objects are gc-tracked: a detached frame's locals may hold the
 * exception whose traceback holds the frame (the cycle of `except E as e`
 * in a function), so traverse visits everything the object owns and clear
 * drops all of it but the code (code objects are never in cycles).
 */
#include "traceback.h"
#include "code.h"
#include "genobject.h"

#include <string.h>

/* The object. */
typedef struct pmi_frameobject {
    pm_object ob_base;              /* refcount + &pmi_frame_type */
    pmi_frame *frame;               /* the live frame, NULL once detached */
    pm_object *code;                /* owned: the code object */
    pm_object *globals;             /* owned or NULL (cleared): the globals dict */
    pm_object *builtins;            /* owned or NULL (cleared): the builtins dict */
    pm_object *locals;              /* owned or NULL: detached: the frame's locals mapping */
    pm_object *back;                /* owned or NULL: detached: the caller's frame object */
    pm_object **slots;              /* pm_malloc'ed or NULL: detached: copies of the fast slots */
    int nslots;                     /* length of slots (the code's nlocalsplus) */
    int lasti;                      /* detached: byte offset of the last instruction */
} pmi_frameobject;

#define FO(o) ((pmi_frameobject *)(void *)(o))

int pmi_frame_lasti(const pmi_frame *f) {
    const pmi_code *co = (const pmi_code *)f->code;
    const char *first = pm_bytes_data(co->code);
    return (int)((const char *)(const void *)f->instr - first);
}

static int fo_lasti(pm_object *o) {
    pmi_frameobject *fo = FO(o);
    return fo->frame ? pmi_frame_lasti(fo->frame) : fo->lasti;
}

static int fo_lineno(pm_object *o) {
    pmi_code_pos pos;
    pmi_traceback_location(FO(o)->code, fo_lasti(o), &pos);
    return pos.lineno;
}

pm_object *pmi_frame_object_code(pm_object *fo) { return FO(fo)->code; }
pm_object *pmi_frame_object_globals(pm_object *fo) { return FO(fo)->globals; }
pm_object *pmi_frame_object_builtins(pm_object *fo) { return FO(fo)->builtins; }

pm_object *pmi_frame_object_get(pm_runtime *rt, pmi_frame *f) {
    if (f->frame_obj) return pm_newref(rt, f->frame_obj);
    const pmi_code *co = (const pmi_code *)f->code;
    pmi_frameobject *fo = (pmi_frameobject *)(void *)pm_gc_new(rt, &pmi_frame_type);
    if (!fo) return NULL;
    if (!f->locals && co->nlocalsplus > 0) {
        fo->slots = pm_calloc(rt, (size_t)co->nlocalsplus, sizeof(pm_object *));
        if (!fo->slots) {
            pm_decref(rt, (pm_object *)fo);
            return pm_err_nomem(rt);
        }
        fo->nslots = co->nlocalsplus;
    }
    fo->frame = f;
    fo->code = pm_newref(rt, f->code);
    fo->globals = pm_newref(rt, f->globals);
    fo->builtins = pm_newref(rt, f->builtins);
    pm_gc_track(rt, (pm_object *)fo);
    f->frame_obj = pm_newref(rt, (pm_object *)fo);   /* the frame's reference */
    return (pm_object *)fo;
}

void pmi_frame_object_detach(pm_runtime *rt, pmi_frame *f) {
    pmi_frameobject *fo = FO(f->frame_obj);
    if (pm_refcnt(rt, f->frame_obj) == 1) {
        /* nobody else holds it: it dies with its frame, nothing to copy */
        fo->frame = NULL;
        PM_CLEAR(rt, f->frame_obj);
        return;
    }
    fo->lasti = pmi_frame_lasti(f);
    for (int i = 0; i < fo->nslots && i < f->nlocalsplus; i++)
        fo->slots[i] = f->localsplus[i] ? pm_newref(rt, f->localsplus[i]) : NULL;
    fo->locals = f->locals ? pm_newref(rt, f->locals) : NULL;
    if (f->previous && !fo->back) {
        /* f_back: the caller's frame object, made now; the pending error
         * (the frame is often popped while one unwinds) is kept aside */
        pm_object *pending = pm_err_fetch(rt);
        pm_object *back = pmi_frame_object_get(rt, f->previous);
        if (!back) pm_err_clear(rt);
        fo->back = back;
        if (pending) pm_err_restore(rt, pending);
    }
    fo->frame = NULL;
    pm_object *self = f->frame_obj;
    f->frame_obj = NULL;
    pm_decref(rt, self);
}

/* The value of fast slot i for f_locals: cells are dereferenced (an empty
 * cell, like an unbound local, gives NULL).  New ref or NULL; never fails
 * (an error reading a cell is dropped). */
static pm_object *slot_value(pm_runtime *rt, pm_object *v, int kind) {
    if (!v) return NULL;
    if ((kind & (PMI_CO_FAST_CELL | PMI_CO_FAST_FREE)) && strcmp(pm_type_name(pm_type_of(v)), "cell") == 0) {
        pm_object *c = pm_getattr_cstr(rt, v, "cell_contents");
        if (!c) pm_err_clear(rt);
        return c;
    }
    return pm_newref(rt, v);
}

pm_object *pmi_frame_object_locals(pm_runtime *rt, pm_object *o) {
    pmi_frameobject *fo = FO(o);
    if (fo->frame && fo->frame->locals) return pm_newref(rt, fo->frame->locals);
    if (!fo->frame && fo->locals) return pm_newref(rt, fo->locals);
    const pmi_code *co = (const pmi_code *)fo->code;
    pm_object *d = pm_dict_new(rt);
    if (!d) return NULL;
    pm_object *const *src = fo->frame ? fo->frame->localsplus : fo->slots;
    int n = fo->frame ? fo->frame->nlocalsplus : fo->nslots;
    const unsigned char *kinds = (const unsigned char *)pm_bytes_data(co->localspluskinds);
    for (int i = 0; src && i < n && i < co->nlocalsplus; i++) {
        pm_object *v = slot_value(rt, src[i], kinds[i]);
        if (!v) continue;
        int rc = pm_dict_set(rt, d, pm_tuple_get(rt, co->localsplusnames, i), v);
        pm_decref(rt, v);
        if (rc < 0) {
            pm_decref(rt, d);
            return NULL;
        }
    }
    return d;
}

/* ---- the type -------------------------------------------------------------- */

static void fo_drop(pm_runtime *rt, pmi_frameobject *fo) {
    PM_CLEAR(rt, fo->globals);
    PM_CLEAR(rt, fo->builtins);
    PM_CLEAR(rt, fo->locals);
    PM_CLEAR(rt, fo->back);
    for (int i = 0; fo->slots && i < fo->nslots; i++) PM_CLEAR(rt, fo->slots[i]);
}

static void fo_dealloc(pm_runtime *rt, pm_object *o) {
    pmi_frameobject *fo = FO(o);
    pm_gc_untrack(rt, o);
    fo_drop(rt, fo);
    pm_free(rt, fo->slots);
    pm_xdecref(rt, fo->code);
    pm_gc_del(rt, o);
}

static int fo_traverse(pm_object *o, pm_visitproc visit, void *arg) {
    pmi_frameobject *fo = FO(o);
    pm_object *owned[] = {fo->code, fo->globals, fo->builtins, fo->locals, fo->back};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++) {
        if (owned[i]) {
            int r = visit(owned[i], arg);
            if (r) return r;
        }
    }
    for (int i = 0; fo->slots && !fo->frame && i < fo->nslots; i++) {
        if (fo->slots[i]) {
            int r = visit(fo->slots[i], arg);
            if (r) return r;
        }
    }
    return 0;
}

static int fo_clear(pm_runtime *rt, pm_object *o) {
    pmi_frameobject *fo = FO(o);
    /* a live frame's object is held by its frame (never garbage); only a
     * detached one owns slot values */
    if (!fo->frame) fo_drop(rt, fo);
    return 0;
}

/* Identity hash (object's): the address, rotated past its alignment. */
static pm_hash_t fo_hash(pm_runtime *rt, pm_object *o) {
    (void)rt;
    uintptr_t y = (uintptr_t)(void *)o;
    y = (y >> 4) | (y << (8 * sizeof(y) - 4));
    pm_hash_t h = (pm_hash_t)y;
    return h == -1 ? -2 : h;
}

static pm_object *or_none(pm_runtime *rt, pm_object *v) { return pm_newref(rt, v ? v : PM_NONE); }

static pm_object *get_code(pm_runtime *rt, pm_object *o, void *c) { (void)c; return pm_newref(rt, FO(o)->code); }
static pm_object *get_globals(pm_runtime *rt, pm_object *o, void *c) { (void)c; return or_none(rt, FO(o)->globals); }
static pm_object *get_builtins(pm_runtime *rt, pm_object *o, void *c) { (void)c; return or_none(rt, FO(o)->builtins); }
static pm_object *get_locals(pm_runtime *rt, pm_object *o, void *c) { (void)c; return pmi_frame_object_locals(rt, o); }
static pm_object *get_trace(pm_runtime *rt, pm_object *o, void *c) { (void)o; (void)c; return pm_newref(rt, PM_NONE); }

static pm_object *get_lineno(pm_runtime *rt, pm_object *o, void *c) {
    (void)c;
    int line = fo_lineno(o);
    return line < 0 ? pm_newref(rt, PM_NONE) : pm_int_from_ssize(rt, line);
}

static pm_object *get_lasti(pm_runtime *rt, pm_object *o, void *c) {
    (void)c;
    return pm_int_from_ssize(rt, fo_lasti(o));
}

static pm_object *get_back(pm_runtime *rt, pm_object *o, void *c) {
    (void)c;
    pmi_frameobject *fo = FO(o);
    if (!fo->frame) return or_none(rt, fo->back);
    if (!fo->frame->previous) return pm_newref(rt, PM_NONE);
    return pmi_frame_object_get(rt, fo->frame->previous);
}

static pm_object *fo_repr(pm_runtime *rt, pm_object *o) {
    const pmi_code *co = (const pmi_code *)FO(o)->code;
    pm_object *file = pm_repr(rt, co->filename);
    if (!file) return NULL;
    const char *ftext = pm_str_as_utf8(rt, file, NULL);
    const char *name = ftext ? pm_str_as_utf8(rt, co->name, NULL) : NULL;
    pm_object *r = name ? pm_str_from_format(rt, "<frame at %p, file %s, line %d, code %s>", (void *)o,
                                             ftext, fo_lineno(o), name)
                        : NULL;
    pm_decref(rt, file);
    return r;
}

/* frame.clear() (3.11's frame_clear): a suspended generator's frame closes
 * its generator (_PyGen_Finalize: a coroutine never started only warns);
 * a frame still running, or a generator's while it runs, cannot be
 * cleared; a detached frame drops its locals (f_locals is then empty). */
static pm_object *fo_clear_method(pm_runtime *rt, pm_object *o, pm_object *unused) {
    (void)unused;
    pmi_frameobject *fo = FO(o);
    if (fo->frame) {
        pmi_gen *g = pmi_gen_of_frame(fo->frame);
        if (!g || g->state == PMI_GEN_RUNNING) {
            pm_err_set(rt, PM_EXC_RuntimeError, "cannot clear an executing frame");
            return NULL;
        }
        pm_incref(rt, (pm_object *)g);
        pmi_gen_finalize(rt, (pm_object *)g);
        pm_decref(rt, (pm_object *)g);
        if (pm_err_occurred(rt)) return NULL;
        return pm_newref(rt, PM_NONE);
    }
    for (int i = 0; fo->slots && i < fo->nslots; i++) PM_CLEAR(rt, fo->slots[i]);
    return pm_newref(rt, PM_NONE);
}

static const pm_method_def fo_methods[] = {
    {"clear", (pm_cfunction)fo_clear_method, PM_METH_NOARGS, "F.clear(): clear most references held by the frame"},
    {NULL, NULL, 0, NULL},
};

static const pm_getset_def fo_getset[] = {
    {"f_code", get_code, NULL, NULL, NULL},
    {"f_globals", get_globals, NULL, NULL, NULL},
    {"f_builtins", get_builtins, NULL, NULL, NULL},
    {"f_locals", get_locals, NULL, NULL, NULL},
    {"f_lineno", get_lineno, NULL, NULL, NULL},
    {"f_lasti", get_lasti, NULL, NULL, NULL},
    {"f_back", get_back, NULL, NULL, NULL},
    {"f_trace", get_trace, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const pm_type pmi_frame_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "frame",
    .basicsize = sizeof(pmi_frameobject),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_DISALLOW_INSTANTIATION,
    .base = &pm_object_type,
    .dealloc = fo_dealloc,
    .traverse = fo_traverse,
    .clear = fo_clear,
    .repr = fo_repr,
    .hash = fo_hash,
    .getset = fo_getset,
    .methods = fo_methods,
};
