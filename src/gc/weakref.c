/*
 * weakref.c — weak references (weakref.ref) and finalize callbacks
 * (weakref.finalize), cleared exactly when CPython 3.11 clears them.
 *
 * Purpose
 *   A weak reference names an object without keeping it alive; when the
 *   object dies the reference reports dead and its callback (if any) runs
 *   once.  This is Objects/weakrefobject.c (ref, its subclasses, the two
 *   proxy types) and the part of Lib/weakref.py that defines finalize, in C.
 *
 * Python-level callbacks
 *   A callback given from Python is a callable: it is stored as wr_data with
 *   wr_cb = call_python (which calls data(wr)); ref.__callback__ reports it.
 *   C callbacks (pm_weakref_new) keep their own (wr_cb, wr_data) and
 *   __callback__ is None for them.
 *
 * Subclasses and proxies
 *   weakref.ref is subclassable (class R(weakref.ref) gets a __dict__);
 *   ProxyType / CallableProxyType share the pmi_weakref layout and forward
 *   every operation to the referent, or raise ReferenceError once it is
 *   gone.  Only an exact ref without callback (the "basic ref") and a proxy
 *   without callback (the "basic proxy") are shared; they sit at the head
 *   of the list in that order, and every other reference is inserted right
 *   after them, as CPython's get_basic_refs / insert_after do.
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
 *   Type objects keep the head outside the object, in their per-runtime
 *   state (static types are const): pmi_weakref_listptr takes rt and finds
 *   it through pmi_type_weaklist; a static type's first weakref makes that
 *   state (may fail: MemoryError).
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

#include <stddef.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* weakref.ref                                                               */
/* ------------------------------------------------------------------------ */

/* Take wr out of its referent's list; it is dead afterwards. */
static void unlink_ref(pm_runtime *rt, pmi_weakref *self) {
    if (!self->wr_object) return;
    pm_object **list = pmi_weakref_listptr(rt, self->wr_object, 0);
    if (list && *list == (pm_object *)self) *list = (pm_object *)self->wr_next;
    self->wr_object = NULL;
    if (self->wr_prev) self->wr_prev->wr_next = self->wr_next;
    if (self->wr_next) self->wr_next->wr_prev = self->wr_prev;
    self->wr_prev = self->wr_next = NULL;
}

void pmi_weakref_clear_ref(pm_runtime *rt, pmi_weakref *wr) { unlink_ref(rt, wr); }

void pmi_weakref_detach_all(pm_runtime *rt, pm_object **list) {
    (void)rt;
    while (*list) {
        pmi_weakref *wr = (pmi_weakref *)*list;
        *list = (pm_object *)wr->wr_next;
        wr->wr_object = NULL;
        wr->wr_prev = wr->wr_next = NULL;
    }
}

/* clear_weakref: unlink and drop the callback. */
static void clear_weakref(pm_runtime *rt, pmi_weakref *self) {
    unlink_ref(rt, self);
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
    /* refcount 0 or below: being deallocated, or queued for it (its
     * ob_refcnt holds the pending chain's link): gone, as 3.11's
     * PyWeakref_GET_OBJECT says */
    if (!o || o->ob_refcnt <= 0 || pmi_gc_is_dying(rt, o)) return NULL;
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

/* A Python-level callback: data is the callable, called with the dead
 * weakref.  Its error is reported here, naming the callable, as CPython's
 * handle_callback does. */
static int call_python(pm_runtime *rt, pm_object *wr, pm_object *callable) {
    pm_object *r = pm_call(rt, callable, &wr, 1, NULL);
    if (!r) pm_err_write_unraisable(rt, "Exception ignored in", callable);
    else pm_decref(rt, r);
    return 0;
}

/* ref.__new__ / __init__'s argument check: (ob[, callback]).  0 / -1. */
static int unpack_ref_args(pm_runtime *rt, const char *fname, pm_object *args, pm_object **ob,
                           pm_object **callback) {
    pm_ssize_t n = args ? pm_tuple_size(args) : 0;
    if (n < 1 || n > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "%s expected %s %d argument%s, got %zd", fname,
                      n < 1 ? "at least" : "at most", n < 1 ? 1 : 2, n < 1 ? "" : "s", n);
        return -1;
    }
    *ob = pm_tuple_get(rt, args, 0);
    *callback = n == 2 ? pm_tuple_get(rt, args, 1) : NULL;
    if (*callback == PM_NONE) *callback = NULL;
    return 0;
}

static pm_object *weakref_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)kwargs;
    pm_object *ob, *cb;
    if (unpack_ref_args(rt, "__new__", args, &ob, &cb) < 0) return NULL;
    return pm_weakref_new_object(rt, type, ob, cb);
}

/* __new__ ignores keywords; __init__ (a subclass's inherited one too)
 * rejects them, as 3.11's _PyArg_NoKeywords("ref", kwargs). */
static int weakref_tp_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    (void)self;
    if (kwargs && pm_dict_size(kwargs) > 0) {
        pm_err_set(rt, PM_EXC_TypeError, "ref() takes no keyword arguments");
        return -1;
    }
    pm_object *ob, *cb;
    return unpack_ref_args(rt, "__init__", args, &ob, &cb);
}

static pm_object *weakref_call(pm_runtime *rt, pm_object *self, pm_object *const *args, size_t nargsf,
                               pm_object *kwnames) {
    (void)args;
    if (kwnames && pm_tuple_size(kwnames) > 0) {
        pm_err_set(rt, PM_EXC_TypeError, "weakref() takes no keyword arguments");
        return NULL;
    }
    pm_ssize_t n = pm_vectorcall_nargs(nargsf);
    if (n != 0) {
        pm_err_format(rt, PM_EXC_TypeError, "weakref expected 0 arguments, got %zd", n);
        return NULL;
    }
    pm_object *o = referent(rt, (pmi_weakref *)self);
    return pm_newref(rt, o ? o : PM_NONE);
}

/* __callback__ is a member, as CPython's: the Python callback is wr_data
 * (for a C callback it is that callback's data). */
static const pm_member_def weakref_members[] = {
    {"__callback__", PM_T_OBJECT, offsetof(pmi_weakref, wr_data), PM_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

const pm_type pm_weakref_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "weakref.ReferenceType",
    .basicsize = sizeof(pmi_weakref),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .dealloc = weakref_dealloc,
    .traverse = weakref_traverse,
    .clear = weakref_clear,
    .repr = weakref_repr,
    .hash = weakref_hash,
    .richcompare = weakref_richcompare,
    .call = weakref_call,
    .new_object = weakref_tp_new,
    .init = weakref_tp_init,
    .members = weakref_members,
};

/* The shared callback-less reference at the head of a list, or NULL. */
static pmi_weakref *basic_ref(pm_object *head) {
    pmi_weakref *wr = (pmi_weakref *)head;
    return wr && !wr->wr_cb && wr->ob_base.ob_type == &pm_weakref_type ? wr : NULL;
}

static int is_proxy_type(const pm_type *t) {
    return t == &pm_weakproxy_type || t == &pm_weakcallableproxy_type;
}

/* get_basic_refs: the shared basic ref and basic proxy of a list (either
 * may be NULL). */
static void basic_refs(pm_object *head, pmi_weakref **ref, pmi_weakref **proxy) {
    *ref = basic_ref(head);
    pmi_weakref *p = *ref ? (*ref)->wr_next : (pmi_weakref *)head;
    *proxy = p && !p->wr_cb && is_proxy_type(p->ob_base.ob_type) ? p : NULL;
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

/* Every way a weak reference is made: type is the ref type, a subclass of
 * it, or one of the proxy types.  data is taken as a new reference. */
static pm_object *new_ref(pm_runtime *rt, const pm_type *type, pm_object *obj, pm_weakref_callback cb,
                          pm_object *data) {
    pm_object **list = pmi_weakref_listptr(rt, obj, 1);
    if (!list) {
        if (pm_err_occurred(rt)) return NULL;   /* a static type's state: MemoryError */
        pm_err_format(rt, PM_EXC_TypeError, "cannot create weak reference to '%s' object",
                      obj->ob_type->name);
        return NULL;
    }
    int proxy = is_proxy_type(type);
    pmi_weakref *ref, *prx;
    if (!cb) {
        basic_refs(*list, &ref, &prx);
        if (type == &pm_weakref_type && ref) return pm_newref(rt, (pm_object *)ref);
        if (proxy && prx) return pm_newref(rt, (pm_object *)prx);
    }
    /* The allocation may run a collection, which may clear weakrefs to obj:
     * the list is looked at again afterwards. */
    pmi_weakref *wr = (pmi_weakref *)pmi_gc_new(rt, type);
    if (!wr) return NULL;
    wr->wr_object = obj;
    wr->wr_cb = cb;
    wr->wr_data = data ? pm_newref(rt, data) : NULL;
    wr->hash = -1;
    basic_refs(*list, &ref, &prx);
    pmi_weakref *prev;
    if (!cb && type == &pm_weakref_type) prev = NULL;
    else if (!cb && proxy) prev = ref;
    else prev = prx ? prx : ref;
    if (prev) insert_after(wr, prev);
    else insert_head(wr, list);
    pmi_gc_track(rt, (pm_object *)wr);
    return (pm_object *)wr;
}

pm_object *pm_weakref_new(pm_runtime *rt, pm_object *obj, pm_weakref_callback cb, pm_object *data) {
    if (!cb && data) return pmi_err_badarg(rt, "pm_weakref_new");
    return new_ref(rt, &pm_weakref_type, obj, cb, data);
}

pm_object *pm_weakref_new_object(pm_runtime *rt, const pm_type *type, pm_object *obj, pm_object *callback) {
    if (!pm_type_is_subtype(type, &pm_weakref_type) && type != &pm_weakref_type)
        return pmi_err_badarg(rt, "pm_weakref_new_object");
    if (callback == PM_NONE) callback = NULL;
    return new_ref(rt, type, obj, callback ? call_python : NULL, callback);
}

pm_object *pm_weakref_proxy(pm_runtime *rt, pm_object *obj, pm_object *callback) {
    if (callback == PM_NONE) callback = NULL;
    const pm_type *t = pm_callable(obj) ? &pm_weakcallableproxy_type : &pm_weakproxy_type;
    return new_ref(rt, t, obj, callback ? call_python : NULL, callback);
}

pm_object *pm_weakref_get_callback(pm_runtime *rt, pm_object *wr) {
    if (!pmi_weakref_check(wr)) return pmi_err_badarg(rt, "pm_weakref_get_callback");
    pmi_weakref *w = (pmi_weakref *)wr;
    return pm_newref(rt, w->wr_cb == call_python && w->wr_data ? w->wr_data : PM_NONE);
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
    pm_object **list = pmi_weakref_listptr(rt, obj, 0);
    pm_ssize_t n = 0;
    if (list)
        for (pmi_weakref *wr = (pmi_weakref *)*list; wr; wr = wr->wr_next) n++;
    return n;
}

pm_object *pm_weakref_getrefs(pm_runtime *rt, pm_object *obj) {
    pm_object *result = pm_list_new(rt);
    if (!result) return NULL;
    pm_object **list = pmi_weakref_listptr(rt, obj, 0);
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
/* weakref.ProxyType / weakref.CallableProxyType                             */
/* ------------------------------------------------------------------------ */

/* The referent of a proxy (a NEW ref), or NULL with ReferenceError. */
static pm_object *proxy_target(pm_runtime *rt, pm_object *self) {
    pm_object *o = referent(rt, (pmi_weakref *)self);
    if (!o) {
        pm_err_set(rt, PM_EXC_ReferenceError, "weakly-referenced object no longer exists");
        return NULL;
    }
    return pm_newref(rt, o);
}

/* o itself (a new ref) unless it is a proxy, then its referent. */
static pm_object *unwrap(pm_runtime *rt, pm_object *o) {
    if (is_proxy_type(o->ob_type)) return proxy_target(rt, o);
    return pm_newref(rt, o);
}

static pm_object *proxy_binop(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    pm_object *x = unwrap(rt, a), *y = x ? unwrap(rt, b) : NULL, *r = NULL;
    if (y) r = pm_number_binop(rt, x, y, op);
    pm_xdecref(rt, x);
    pm_xdecref(rt, y);
    return r;
}

#define PROXY_BINOP(fname, op) \
    static pm_object *fname(pm_runtime *rt, pm_object *a, pm_object *b) { return proxy_binop(rt, a, b, op); }
PROXY_BINOP(proxy_add, PM_NB_ADD)
PROXY_BINOP(proxy_sub, PM_NB_SUBTRACT)
PROXY_BINOP(proxy_mul, PM_NB_MULTIPLY)
PROXY_BINOP(proxy_mod, PM_NB_REMAINDER)
PROXY_BINOP(proxy_lshift, PM_NB_LSHIFT)
PROXY_BINOP(proxy_rshift, PM_NB_RSHIFT)
PROXY_BINOP(proxy_and, PM_NB_AND)
PROXY_BINOP(proxy_xor, PM_NB_XOR)
PROXY_BINOP(proxy_or, PM_NB_OR)
PROXY_BINOP(proxy_floordiv, PM_NB_FLOOR_DIVIDE)
PROXY_BINOP(proxy_truediv, PM_NB_TRUE_DIVIDE)
PROXY_BINOP(proxy_matmul, PM_NB_MATRIX_MULTIPLY)
PROXY_BINOP(proxy_iadd, PM_NB_INPLACE_ADD)
PROXY_BINOP(proxy_isub, PM_NB_INPLACE_SUBTRACT)
PROXY_BINOP(proxy_imul, PM_NB_INPLACE_MULTIPLY)
PROXY_BINOP(proxy_imod, PM_NB_INPLACE_REMAINDER)
PROXY_BINOP(proxy_ilshift, PM_NB_INPLACE_LSHIFT)
PROXY_BINOP(proxy_irshift, PM_NB_INPLACE_RSHIFT)
PROXY_BINOP(proxy_iand, PM_NB_INPLACE_AND)
PROXY_BINOP(proxy_ixor, PM_NB_INPLACE_XOR)
PROXY_BINOP(proxy_ior, PM_NB_INPLACE_OR)
PROXY_BINOP(proxy_ifloordiv, PM_NB_INPLACE_FLOOR_DIVIDE)
PROXY_BINOP(proxy_itruediv, PM_NB_INPLACE_TRUE_DIVIDE)
PROXY_BINOP(proxy_imatmul, PM_NB_INPLACE_MATRIX_MULTIPLY)
#undef PROXY_BINOP

static pm_object *proxy_divmod(pm_runtime *rt, pm_object *a, pm_object *b) {
    pm_object *x = unwrap(rt, a), *y = x ? unwrap(rt, b) : NULL, *r = NULL;
    if (y) r = pm_number_divmod(rt, x, y);
    pm_xdecref(rt, x);
    pm_xdecref(rt, y);
    return r;
}

static pm_object *proxy_pow3(pm_runtime *rt, pm_object *a, pm_object *b, pm_object *c, int inplace) {
    pm_object *x = unwrap(rt, a), *y = x ? unwrap(rt, b) : NULL, *z = y ? unwrap(rt, c) : NULL, *r = NULL;
    if (z) r = z == PM_NONE ? pm_number_binop(rt, x, y, inplace ? PM_NB_INPLACE_POWER : PM_NB_POWER)
                            : pm_number_power(rt, x, y, z);
    pm_xdecref(rt, x);
    pm_xdecref(rt, y);
    pm_xdecref(rt, z);
    return r;
}
static pm_object *proxy_pow(pm_runtime *rt, pm_object *a, pm_object *b, pm_object *c) {
    return proxy_pow3(rt, a, b, c, 0);
}
static pm_object *proxy_ipow(pm_runtime *rt, pm_object *a, pm_object *b, pm_object *c) {
    return proxy_pow3(rt, a, b, c, 1);
}

/* A unary operation on the referent: fn(referent) or the type called with it. */
static pm_object *proxy_unary(pm_runtime *rt, pm_object *self, pm_unaryfunc fn, const pm_type *conv) {
    pm_object *o = proxy_target(rt, self), *r;
    if (!o) return NULL;
    if (fn) r = fn(rt, o);
    else r = pm_call(rt, pm_type_as_object(conv), &o, 1, NULL);
    pm_decref(rt, o);
    return r;
}
static pm_object *proxy_neg(pm_runtime *rt, pm_object *s) { return proxy_unary(rt, s, pm_number_negative, NULL); }
static pm_object *proxy_pos(pm_runtime *rt, pm_object *s) { return proxy_unary(rt, s, pm_number_positive, NULL); }
static pm_object *proxy_abs(pm_runtime *rt, pm_object *s) { return proxy_unary(rt, s, pm_number_absolute, NULL); }
static pm_object *proxy_invert(pm_runtime *rt, pm_object *s) { return proxy_unary(rt, s, pm_number_invert, NULL); }
static pm_object *proxy_index(pm_runtime *rt, pm_object *s) { return proxy_unary(rt, s, pm_index, NULL); }
static pm_object *proxy_int(pm_runtime *rt, pm_object *s) { return proxy_unary(rt, s, NULL, &pm_int_type); }
static pm_object *proxy_float(pm_runtime *rt, pm_object *s) { return proxy_unary(rt, s, NULL, &pm_float_type); }
static pm_object *proxy_str(pm_runtime *rt, pm_object *s) { return proxy_unary(rt, s, pm_str, NULL); }

static int proxy_bool(pm_runtime *rt, pm_object *self) {
    pm_object *o = proxy_target(rt, self);
    if (!o) return -1;
    int r = pm_is_true(rt, o);
    pm_decref(rt, o);
    return r;
}

static const pm_number_methods proxy_as_number = {
    .nb_add = proxy_add, .nb_subtract = proxy_sub, .nb_multiply = proxy_mul,
    .nb_remainder = proxy_mod, .nb_divmod = proxy_divmod, .nb_power = proxy_pow,
    .nb_negative = proxy_neg, .nb_positive = proxy_pos, .nb_absolute = proxy_abs,
    .nb_bool = proxy_bool, .nb_invert = proxy_invert, .nb_lshift = proxy_lshift,
    .nb_rshift = proxy_rshift, .nb_and = proxy_and, .nb_xor = proxy_xor, .nb_or = proxy_or,
    .nb_int = proxy_int, .nb_float = proxy_float,
    .nb_inplace_add = proxy_iadd, .nb_inplace_subtract = proxy_isub,
    .nb_inplace_multiply = proxy_imul, .nb_inplace_remainder = proxy_imod,
    .nb_inplace_power = proxy_ipow, .nb_inplace_lshift = proxy_ilshift,
    .nb_inplace_rshift = proxy_irshift, .nb_inplace_and = proxy_iand,
    .nb_inplace_xor = proxy_ixor, .nb_inplace_or = proxy_ior,
    .nb_floor_divide = proxy_floordiv, .nb_true_divide = proxy_truediv,
    .nb_inplace_floor_divide = proxy_ifloordiv, .nb_inplace_true_divide = proxy_itruediv,
    .nb_index = proxy_index, .nb_matrix_multiply = proxy_matmul,
    .nb_inplace_matrix_multiply = proxy_imatmul,
};

static int proxy_contains(pm_runtime *rt, pm_object *self, pm_object *key) {
    pm_object *o = proxy_target(rt, self);
    if (!o) return -1;
    int r = pm_contains(rt, o, key);
    pm_decref(rt, o);
    return r;
}

static const pm_sequence_methods proxy_as_sequence = {
    .sq_contains = proxy_contains,
};

static pm_ssize_t proxy_length(pm_runtime *rt, pm_object *self) {
    pm_object *o = proxy_target(rt, self);
    if (!o) return -1;
    pm_ssize_t r = pm_length(rt, o);
    pm_decref(rt, o);
    return r;
}

static pm_object *proxy_getitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    pm_object *o = proxy_target(rt, self);
    if (!o) return NULL;
    pm_object *r = pm_getitem(rt, o, key);
    pm_decref(rt, o);
    return r;
}

static int proxy_setitem(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *v) {
    pm_object *o = proxy_target(rt, self);
    if (!o) return -1;
    int r = v ? pm_setitem(rt, o, key, v) : pm_delitem(rt, o, key);
    pm_decref(rt, o);
    return r;
}

static const pm_mapping_methods proxy_as_mapping = {
    .mp_length = proxy_length,
    .mp_subscript = proxy_getitem,
    .mp_ass_subscript = proxy_setitem,
};

static pm_object *proxy_getattr(pm_runtime *rt, pm_object *self, pm_object *name) {
    pm_object *o = proxy_target(rt, self);
    if (!o) return NULL;
    pm_object *r = pm_getattr(rt, o, name);
    pm_decref(rt, o);
    return r;
}

static int proxy_setattr(pm_runtime *rt, pm_object *self, pm_object *name, pm_object *v) {
    pm_object *o = proxy_target(rt, self);
    if (!o) return -1;
    int r = v ? pm_setattr(rt, o, name, v) : pm_delattr(rt, o, name);
    pm_decref(rt, o);
    return r;
}

static pm_object *proxy_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    pm_object *x = unwrap(rt, a), *y = x ? unwrap(rt, b) : NULL, *r = NULL;
    if (y) r = pm_richcompare(rt, x, y, op);
    pm_xdecref(rt, x);
    pm_xdecref(rt, y);
    return r;
}

static pm_object *proxy_iter(pm_runtime *rt, pm_object *self) {
    pm_object *o = proxy_target(rt, self);
    if (!o) return NULL;
    pm_object *r = pm_iter(rt, o);
    pm_decref(rt, o);
    return r;
}

static pm_object *proxy_iternext(pm_runtime *rt, pm_object *self) {
    pm_object *o = proxy_target(rt, self);
    if (!o) return NULL;
    pm_object *r = NULL;
    if (!o->ob_type->iternext)
        pm_err_format(rt, PM_EXC_TypeError, "Weakref proxy referenced a non-iterator '%.200s' object",
                      o->ob_type->name);
    else r = pm_iter_next(rt, o);
    pm_decref(rt, o);
    return r;
}

static pm_object *proxy_call(pm_runtime *rt, pm_object *self, pm_object *const *args, size_t nargsf,
                             pm_object *kwnames) {
    pm_object *o = proxy_target(rt, self);
    if (!o) return NULL;
    pm_object *r = pm_call(rt, o, args, nargsf, kwnames);
    pm_decref(rt, o);
    return r;
}

static pm_object *proxy_repr(pm_runtime *rt, pm_object *self) {
    pm_object *o = referent(rt, (pmi_weakref *)self);
    if (!o) o = PM_NONE;    /* 3.11 names None's type once the referent is gone */
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "<weakproxy at %p to %s at %p>", (void *)self, o->ob_type->name, (void *)o);
    return pmi_sb_finish(rt, &sb);
}

static pm_object *proxy_bytes(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *o = proxy_target(rt, self);
    if (!o) return NULL;
    pm_object *r = pm_call(rt, pm_type_as_object(&pm_bytes_type), &o, 1, NULL);
    pm_decref(rt, o);
    return r;
}

/* __reversed__: the referent's own __reversed__ (reversed() finds it on
 * the proxy type, as CPython's proxy_reversed). */
static pm_object *proxy_reversed(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *o = proxy_target(rt, self);
    if (!o) return NULL;
    pm_object *r = NULL, *name = pm_str_intern_cstr(rt, "__reversed__");
    if (name) r = pm_call_method(rt, o, name, NULL, 0);
    pm_xdecref(rt, name);
    pm_decref(rt, o);
    return r;
}

static const pm_method_def proxy_methods[] = {
    {"__bytes__", proxy_bytes, PM_METH_NOARGS, NULL},
    {"__reversed__", proxy_reversed, PM_METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

#define PROXY_TYPE_BODY                                     \
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),              \
    .basicsize = sizeof(pmi_weakref),                       \
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,             \
    .base = &pm_object_type,                                \
    .dealloc = weakref_dealloc,                             \
    .traverse = weakref_traverse,                           \
    .clear = weakref_clear,                                 \
    .repr = proxy_repr,                                     \
    .str = proxy_str,                                       \
    .richcompare = proxy_richcompare,                       \
    .getattr = proxy_getattr,                               \
    .setattr = proxy_setattr,                               \
    .as_number = &proxy_as_number,                          \
    .as_sequence = &proxy_as_sequence,                      \
    .as_mapping = &proxy_as_mapping,                        \
    .iter = proxy_iter,                                     \
    .iternext = proxy_iternext,                             \
    .methods = proxy_methods

const pm_type pm_weakproxy_type = {
    PROXY_TYPE_BODY,
    .name = "weakref.ProxyType",
};

const pm_type pm_weakcallableproxy_type = {
    PROXY_TYPE_BODY,
    .name = "weakref.CallableProxyType",
    .call = proxy_call,
};
#undef PROXY_TYPE_BODY

/* ------------------------------------------------------------------------ */
/* PyObject_ClearWeakRefs                                                    */
/* ------------------------------------------------------------------------ */

void pmi_weakref_clear_all(pm_runtime *rt, pm_object *o) {
    pm_object **list = pmi_weakref_listptr(rt, o, 0);
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
        unlink_ref(rt, wr);
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
    if (!pmi_weakref_listptr(rt, obj, 1)) {
        if (pm_err_occurred(rt)) return NULL;
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
