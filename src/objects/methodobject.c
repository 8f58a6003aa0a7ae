/*
 * methodobject.c — builtin_function_or_method: a C function of a
 * pm_method_def bound to a self (a bound built-in method such as
 * [].append, a classmethod bound to its type such as dict.fromkeys) or to
 * nothing (a module-level built-in such as len).  CPython's
 * Objects/methodobject.c.
 *
 * Purpose
 *   Every C-level callable the interpreter sees reduces to a method table
 *   entry and a self.  The entry's flags name one calling convention
 *   (pymm.h: PM_METH_*); pmi_cfunc_invoke is the one place that checks
 *   the argument count the convention allows and adapts the vectorcall
 *   arguments to it — the method descriptors of descrobject.c call it too.
 *
 *     pm_cfunction { ml ──► {"append", list_append, PM_METH_O}
 *                    self ─► the list }
 *     f(x)  ──► pmi_cfunc_invoke(ml, "list", self, [x]) ──► list_append(self, x)
 *
 * Invariants
 *   - ml points at a const table that outlives every runtime; self is a
 *     strong reference (or NULL).  The object is gc-tracked: self may be a
 *     container that holds the bound method ([].append stored in the list).
 *   - The conventions' errors are CPython 3.11's: "list.append() takes
 *     exactly one argument (0 given)", "list.clear() takes no arguments (1
 *     given)", "len() takes no keyword arguments".
 *
 * CPython behaviour mirrored: the names in errors are the qualified name
 * (type name of self, dot, method name) except for functions without a
 * self; reprs "<built-in method append of list object at 0x...>" and
 * "<built-in function len>"; bound methods compare equal when they wrap
 * the same entry and the same self (identity), and hash on both; a module
 * function's __self__ is its module and its __module__ the module's
 * __name__ (None for a method).
 */
#include "objects/descr.h"

#include <stdio.h>
#include <string.h>

typedef struct pmi_cfunction {
    pm_object ob_base;              /* header (type: pmi_cfunction_type) */
    const pm_method_def *ml;        /* the entry called (a static table) */
    pm_object *self;                /* the bound self: strong, NULL for none */
} pmi_cfunction;

#define CF(o) ((pmi_cfunction *)(o))

/* The owner a module function's errors name ("posix" in "posix.getcwd()"):
 * a marker, resolved from self only when an error is made. */
static const char module_owner[] = "<module>";

/* The module's __name__ (UTF-8, borrowed from the module's dict), or NULL;
 * never leaves an error set. */
static const char *module_name(pm_runtime *rt, const pm_object *self) {
    pm_object *d = *(pm_object *const *)((const char *)self + self->ob_type->dictoffset);
    pm_object *key = d ? pm_str_from_cstr(rt, "__name__") : NULL;
    pm_object *name = key ? pm_dict_get(rt, d, key) : NULL;
    pm_xdecref(rt, key);
    const char *s = name && pm_str_check(name) ? pm_str_as_utf8(rt, name, NULL) : NULL;
    if (!s) pm_err_clear(rt);
    return s;
}

static int is_type_method(const pm_object *self, const pm_method_def *ml);

/* "owner.name" or "name" into buf (a module owner resolved only now, on
 * the error path: a method bound to a module names none). */
static const char *qualify(pm_runtime *rt, char *buf, size_t n, const char *owner, const pm_object *self,
                           const pm_method_def *ml) {
    const char *name = ml->name;
    if (owner == module_owner) {
        owner = is_type_method(self, ml) ? NULL : module_name(rt, self);
    } else if (owner) {
        /* a type is named by its __qualname__: "deque", not "collections.deque" */
        const char *dot = strrchr(owner, '.');
        if (dot) owner = dot + 1;
    }
    if (!owner) return name;
    snprintf(buf, n, "%s.%s", owner, name);
    return buf;
}

/* Keyword names and values of a vectorcall as a new dict (NULL: none). */
static int kw_dict(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames,
                   pm_object **out) {
    *out = NULL;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nkw == 0) return 0;
    pm_object *d = pm_dict_new(rt);
    if (!d) return -1;
    for (pm_ssize_t i = 0; i < nkw; i++)
        if (pm_dict_set(rt, d, pm_tuple_get(rt, kwnames, i), args[nargs + i]) < 0) {
            pm_decref(rt, d);
            return -1;
        }
    *out = d;
    return 0;
}

pm_object *pmi_cfunc_invoke(pm_runtime *rt, const pm_method_def *ml, const char *owner,
                            pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    char name[256];
    int flags = ml->flags & ~(PM_METH_CLASS | PM_METH_STATIC | PM_METH_COEXIST);
    int has_kw = kwnames && pm_tuple_size(kwnames) > 0;
    switch (flags) {
    case PM_METH_NOARGS:
        if (has_kw) goto nokw;
        if (nargs != 0) {
            pm_err_format(rt, PM_EXC_TypeError, "%.200s() takes no arguments (%zd given)",
                          qualify(rt, name, sizeof name, owner, self, ml), nargs);
            return NULL;
        }
        return ml->meth(rt, self, NULL);
    case PM_METH_O:
        if (has_kw) goto nokw;
        if (nargs != 1) {
            pm_err_format(rt, PM_EXC_TypeError, "%.200s() takes exactly one argument (%zd given)",
                          qualify(rt, name, sizeof name, owner, self, ml), nargs);
            return NULL;
        }
        return ml->meth(rt, self, args[0]);
    case PM_METH_FASTCALL:
        if (has_kw) goto nokw;
        return ((pm_cfunction_fast)(void (*)(void))ml->meth)(rt, self, args, nargs);
    case PM_METH_FASTCALL | PM_METH_KEYWORDS:
        return ((pm_cfunction_fast_kw)(void (*)(void))ml->meth)(rt, self, args, nargs,
                                                                 has_kw ? kwnames : NULL);
    case PM_METH_VARARGS:
    case PM_METH_VARARGS | PM_METH_KEYWORDS: {
        if (has_kw && !(flags & PM_METH_KEYWORDS)) goto nokw;
        pm_object *tup = pm_tuple_from_array(rt, args, nargs), *kw = NULL, *r = NULL;
        if (!tup) return NULL;
        if (flags & PM_METH_KEYWORDS) {
            if (kw_dict(rt, args, nargs, kwnames, &kw) == 0)
                r = ((pm_cfunction_kw)(void (*)(void))ml->meth)(rt, self, tup, kw);
        } else {
            r = ml->meth(rt, self, tup);
        }
        pm_xdecref(rt, kw);
        pm_decref(rt, tup);
        return r;
    }
    default:
        pm_err_format(rt, PM_EXC_SystemError, "%s() method: bad call flags", ml->name);
        return NULL;
    }
nokw:
    pm_err_format(rt, PM_EXC_TypeError, "%.200s() takes no keyword arguments",
                  qualify(rt, name, sizeof name, owner, self, ml));
    return NULL;
}

/* Whether self is a module (CPython shows no owner in the repr and
 * __qualname__ of a function bound to one). */
static int self_is_module(const pm_object *self) {
    return self && (self->ob_type->flags & PM_TPFLAGS_MODULE) && self->ob_type->dictoffset > 0;
}

/* Whether ml is an entry of the method table of type(self) or a base: a
 * method bound to a module (sys.__sizeof__) rather than one of the
 * module's functions (math.sqrt), which alone have a __module__ and name
 * the module in their errors (CPython's m_module, set by
 * PyModule_AddFunctions only). */
static int is_type_method(const pm_object *self, const pm_method_def *ml) {
    for (const pm_type *t = self->ob_type; t; t = t->base)
        for (const pm_method_def *m = t->methods; m && m->name; m++)
            if (m == ml) return 1;
    return 0;
}

/* A module's own function (math.sqrt, len through the builtins module). */
static int is_module_function(const pm_object *self, const pm_method_def *ml) {
    return self_is_module(self) && !is_type_method(self, ml);
}

/* The owner name errors show: the type for a type self (a classmethod),
 * the module for a module function, type(self) otherwise, nothing without
 * a self. */
static const char *owner_of(const pm_object *self) {
    if (!self) return NULL;
    if (pm_type_check(self)) return ((const pm_type *)self)->name;
    if (self_is_module(self)) return module_owner;
    return self->ob_type->name;
}

pm_object *pm_cfunction_new(pm_runtime *rt, const pm_method_def *ml, pm_object *self) {
    pm_object *o = pmi_gc_new(rt, &pmi_cfunction_type);
    if (!o) return NULL;
    CF(o)->ml = ml;
    CF(o)->self = self ? pm_newref(rt, self) : NULL;
    pmi_gc_track(rt, o);
    return o;
}

static pm_object *cfunc_call(pm_runtime *rt, pm_object *f, pm_object *const *args, size_t nargsf,
                             pm_object *kwnames) {
    pm_object *self = CF(f)->self;
    return pmi_cfunc_invoke_counted(rt, CF(f)->ml, owner_of(self), self, args, pm_vectorcall_nargs(nargsf),
                                    kwnames);
}

static void cfunc_dealloc(pm_runtime *rt, pm_object *f) {
    pmi_gc_untrack(rt, f);
    pm_xdecref(rt, CF(f)->self);
    pmi_object_free(rt, f);
}

static int cfunc_traverse(pm_object *f, pm_visitproc visit, void *arg) {
    return CF(f)->self ? visit(CF(f)->self, arg) : 0;
}

static pm_object *cfunc_repr(pm_runtime *rt, pm_object *f) {
    pm_object *self = CF(f)->self;
    if (!self || self_is_module(self))
        return pm_str_from_format(rt, "<built-in function %s>", CF(f)->ml->name);
    return pm_str_from_format(rt, "<built-in method %s of %s object at %p>", CF(f)->ml->name,
                              self->ob_type->name, (void *)self);
}

static pm_object *cfunc_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    (void)rt;
    if ((op != PM_EQ && op != PM_NE) || a->ob_type != &pmi_cfunction_type ||
        b->ob_type != &pmi_cfunction_type)
        return PM_NOTIMPLEMENTED;
    int eq = CF(a)->ml == CF(b)->ml && CF(a)->self == CF(b)->self;
    return pm_bool_from(op == PM_EQ ? eq : !eq);
}

static pm_hash_t cfunc_hash(pm_runtime *rt, pm_object *f) {
    (void)rt;
    pm_hash_t x = CF(f)->self ? (pm_hash_t)pmi_hash_pointer(CF(f)->self) : 0;
    pm_hash_t y = (pm_hash_t)pmi_hash_pointer(CF(f)->ml);
    x ^= y;
    return x == -1 ? -2 : x;
}

/* ---- attributes ------------------------------------------------------------ */

static pm_object *cfunc_get_name(pm_runtime *rt, pm_object *f, void *closure) {
    (void)closure;
    return pm_str_from_cstr(rt, CF(f)->ml->name);
}

static pm_object *cfunc_get_qualname(pm_runtime *rt, pm_object *f, void *closure) {
    (void)closure;
    const char *owner = self_is_module(CF(f)->self) ? NULL : owner_of(CF(f)->self);
    if (!owner) return pm_str_from_cstr(rt, CF(f)->ml->name);
    return pm_str_from_format(rt, "%s.%s", owner, CF(f)->ml->name);
}

static pm_object *cfunc_get_self(pm_runtime *rt, pm_object *f, void *closure) {
    (void)closure;
    return pm_newref(rt, CF(f)->self ? CF(f)->self : PM_NONE);
}

/* __module__: the name of the module a module function belongs to (as
 * CPython's m_module, set from the module's __name__), None otherwise. */
static pm_object *cfunc_get_module(pm_runtime *rt, pm_object *f, void *closure) {
    (void)closure;
    pm_object *self = CF(f)->self;
    if (!is_module_function(self, CF(f)->ml)) return pm_newref(rt, PM_NONE);
    pm_object *d = *(pm_object *const *)((const char *)self + self->ob_type->dictoffset);
    pm_object *key = d ? pm_str_from_cstr(rt, "__name__") : NULL;
    if (d && !key) return NULL;
    pm_object *name = key ? pm_dict_get(rt, d, key) : NULL;
    pm_xdecref(rt, key);
    if (!name && pm_err_occurred(rt)) return NULL;
    return pm_newref(rt, name ? name : PM_NONE);
}

static pm_object *cfunc_get_doc(pm_runtime *rt, pm_object *f, void *closure) {
    (void)closure;
    if (!CF(f)->ml->doc) return pm_newref(rt, PM_NONE);
    return pm_str_from_cstr(rt, CF(f)->ml->doc);
}

static const pm_getset_def cfunc_getset[] = {
    {"__name__", cfunc_get_name, NULL, NULL, NULL},
    {"__qualname__", cfunc_get_qualname, NULL, NULL, NULL},
    {"__self__", cfunc_get_self, NULL, NULL, NULL},
    {"__module__", cfunc_get_module, NULL, NULL, NULL},
    {"__doc__", cfunc_get_doc, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const pm_type pmi_cfunction_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "builtin_function_or_method",
    .basicsize = sizeof(pmi_cfunction),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_CALL_UNCOUNTED,
    .base = &pm_object_type,        /* f.__class__, f.__sizeof__, f.__reduce_ex__ ... */
    .dealloc = cfunc_dealloc,
    .traverse = cfunc_traverse,
    .repr = cfunc_repr,
    .hash = cfunc_hash,
    .richcompare = cfunc_richcompare,
    .call = cfunc_call,
    .getset = cfunc_getset,
};

const pm_method_def *pmi_cfunction_def(const pm_object *f) { return CF(f)->ml; }
