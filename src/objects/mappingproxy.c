/*
 * mappingproxy.c — types.MappingProxyType: a read-only view of a mapping,
 * which type.__dict__ returns.  CPython's Objects/descrobject.c
 * (mappingproxy_*).
 *
 * Purpose
 *   The proxy forwards every reading operation to the mapping it wraps and
 *   offers no way to change it:
 *
 *     mappingproxy { mapping } ──► a dict (or any mapping but a list/tuple)
 *       p[k], len(p), k in p, iter(p), reversed(p), ==, str(p)  forwarded
 *       p.get / keys / values / items / copy                     the mapping's
 *                                                                 own methods
 *       p | other                                                mapping | other
 *       repr(p) = "mappingproxy(" + repr(mapping) + ")"
 *
 * Invariants
 *   - mapping is a strong reference, never NULL, never changed.
 *   - A gc type (40 bytes with the head), tracked from creation; not
 *     hashable in 3.11.
 *
 * CPython behaviour mirrored: "mappingproxy() argument must be a mapping,
 * not list", "mappingproxy() missing required argument 'mapping' (pos 1)",
 * `|` unwrapping proxies on either side (a dict | dict union is done here
 * when the dict type has no | of its own), "'|=' is not supported by
 * mappingproxy; use '|' instead".
 */
#include "objects/descr.h"
#include "objects/containers.h"

typedef struct pmi_mappingproxy {
    pm_object ob_base;          /* refcount + type */
    pm_object *mapping;         /* the mapping shown (strong) */
} pmi_mappingproxy;             /* 24 bytes (+16 gc head): getsizeof == 40 */

#define MP(o) ((pmi_mappingproxy *)(o))
#define M_CAST(f) ((pm_cfunction)(void (*)(void))(f))

static int is_proxy(const pm_object *o) { return o->ob_type == &pm_mappingproxy_type; }

pm_object *pm_mappingproxy_new(pm_runtime *rt, pm_object *mapping) {
    const pm_type *t = mapping->ob_type;
    if (!t->as_mapping || !t->as_mapping->mp_subscript || pm_list_check(mapping) || pm_tuple_check(mapping)) {
        pm_err_format(rt, PM_EXC_TypeError, "mappingproxy() argument must be a mapping, not %.200s", t->name);
        return NULL;
    }
    pm_object *o = pmi_gc_new(rt, &pm_mappingproxy_type);
    if (!o) return NULL;
    MP(o)->mapping = pm_newref(rt, mapping);
    pmi_gc_track(rt, o);
    return o;
}

static pm_object *proxy_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)type;
    pm_ssize_t n = pm_tuple_size(args), nkw = kwargs ? pm_dict_size(kwargs) : 0;
    pm_object *mapping = n > 0 ? pm_tuple_get(rt, args, 0) : NULL;
    if (n + nkw > 1) {
        pm_err_format(rt, PM_EXC_TypeError, "mappingproxy() takes at most 1 argument (%zd given)", n + nkw);
        return NULL;
    }
    if (!mapping && nkw) {
        pm_object *key = pm_str_intern_cstr(rt, "mapping");
        if (!key) return NULL;
        mapping = pm_dict_get(rt, kwargs, key);
        pm_decref(rt, key);
    }
    if (!mapping) {
        pm_err_set(rt, PM_EXC_TypeError, "mappingproxy() missing required argument 'mapping' (pos 1)");
        return NULL;
    }
    return pm_mappingproxy_new(rt, mapping);
}

static void proxy_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, MP(self)->mapping);
    pmi_object_free(rt, self);
}

static int proxy_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    return MP(self)->mapping ? visit(MP(self)->mapping, arg) : 0;
}

static pm_ssize_t proxy_len(pm_runtime *rt, pm_object *self) { return pm_length(rt, MP(self)->mapping); }

static pm_object *proxy_getitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    return pm_getitem(rt, MP(self)->mapping, key);
}

static int proxy_contains(pm_runtime *rt, pm_object *self, pm_object *key) {
    if (pm_dict_check(MP(self)->mapping)) return pm_dict_contains(rt, MP(self)->mapping, key);
    return pm_contains(rt, MP(self)->mapping, key);
}

static pm_object *proxy_iter(pm_runtime *rt, pm_object *self) { return pm_iter(rt, MP(self)->mapping); }

static pm_object *proxy_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_puts(rt, &sb, "mappingproxy(");
    pmi_sb_put_repr(rt, &sb, MP(self)->mapping);
    pmi_sb_puts(rt, &sb, ")");
    return pmi_sb_finish(rt, &sb);
}

static pm_object *proxy_str(pm_runtime *rt, pm_object *self) { return pm_str(rt, MP(self)->mapping); }

static pm_object *proxy_richcompare(pm_runtime *rt, pm_object *self, pm_object *other, int op) {
    if (!is_proxy(self)) return pm_newref(rt, PM_NOTIMPLEMENTED);
    return pm_richcompare(rt, MP(self)->mapping, other, op);
}

/* a | b with proxies unwrapped on both sides. */
static pm_object *proxy_or(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (is_proxy(a)) a = MP(a)->mapping;
    if (is_proxy(b)) b = MP(b)->mapping;
    const pm_type *ta = a->ob_type;
    if (pm_dict_check(a) && pm_dict_check(b) && !(ta->as_number && ta->as_number->nb_or)) {
        /* dict | dict (PEP 584) for a dict type without its own | */
        pm_object *r = pm_dict_copy(rt, a);
        if (r && pm_dict_update(rt, r, b) < 0) PM_CLEAR(rt, r);
        return r;
    }
    return pm_number_binop(rt, a, b, PM_NB_OR);
}

static pm_object *proxy_ior(pm_runtime *rt, pm_object *a, pm_object *b) {
    (void)b;
    pm_err_format(rt, PM_EXC_TypeError, "'|=' is not supported by %.200s; use '|' instead", a->ob_type->name);
    return NULL;
}

/* mapping.<name>(*args): NEW ref. */
static pm_object *forward(pm_runtime *rt, pm_object *self, const char *name, pm_object *const *args,
                          pm_ssize_t nargs) {
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return NULL;
    pm_object *r = pm_call_method(rt, MP(self)->mapping, n, args, nargs);
    pm_decref(rt, n);
    return r;
}

static pm_object *proxy_get(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "get", nargs, 1, 2)) return NULL;
    pm_object *a[2] = {args[0], nargs > 1 ? args[1] : PM_NONE};
    return forward(rt, self, "get", a, 2);
}
static pm_object *proxy_keys(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return forward(rt, self, "keys", NULL, 0);
}
static pm_object *proxy_values(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return forward(rt, self, "values", NULL, 0);
}
static pm_object *proxy_items(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return forward(rt, self, "items", NULL, 0);
}
static pm_object *proxy_copy(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return forward(rt, self, "copy", NULL, 0);
}
static pm_object *proxy_reversed(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *m = MP(self)->mapping;
    return pm_call_one(rt, pm_type_as_object(&pm_reversed_type), m);
}

static const pm_method_def proxy_methods[] = {
    {"get", M_CAST(proxy_get), PM_METH_FASTCALL, "D.get(k[,d]) -> D[k] if k in D, else d.  d defaults to None."},
    {"keys", proxy_keys, PM_METH_NOARGS, "D.keys() -> a set-like object providing a view on D's keys"},
    {"values", proxy_values, PM_METH_NOARGS, "D.values() -> an object providing a view on D's values"},
    {"items", proxy_items, PM_METH_NOARGS, "D.items() -> a set-like object providing a view on D's items"},
    {"copy", proxy_copy, PM_METH_NOARGS, "D.copy() -> a shallow copy of D"},
    {"__reversed__", proxy_reversed, PM_METH_NOARGS, "D.__reversed__() -> reverse iterator"},
    {NULL, NULL, 0, NULL},
};

static const pm_number_methods proxy_as_number = {
    .nb_or = proxy_or,
    .nb_inplace_or = proxy_ior,
};

static const pm_sequence_methods proxy_as_sequence = {
    .sq_contains = proxy_contains,
};

static const pm_mapping_methods proxy_as_mapping = {
    .mp_length = proxy_len,
    .mp_subscript = proxy_getitem,
};

const pm_type pm_mappingproxy_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "mappingproxy",
    .basicsize = sizeof(pmi_mappingproxy),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .doc = "mappingproxy(mapping)\n--\n\nRead-only proxy of a mapping.",
    .dealloc = proxy_dealloc,
    .traverse = proxy_traverse,
    .repr = proxy_repr,
    .str = proxy_str,
    .richcompare = proxy_richcompare,
    .as_number = &proxy_as_number,
    .as_sequence = &proxy_as_sequence,
    .as_mapping = &proxy_as_mapping,
    .new_object = proxy_tp_new,
    .iter = proxy_iter,
    .methods = proxy_methods,
};
