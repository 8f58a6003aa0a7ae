/*
 * funcdescr.c — the function wrappers a class body uses: classmethod,
 * staticmethod, property, and the bound method ("method") a classmethod
 * hands out.  CPython's Objects/funcobject.c (cm_*, sm_*), descrobject.c
 * (property) and classobject.c (method).
 *
 * Purpose
 *   Each type wraps one or more callables and decides, in its descr_get
 *   hook, what an attribute lookup on a class or an instance returns:
 *
 *     C.__dict__['f'] = classmethod(g)   C.f, C().f ──► method(g, C)
 *                                        (g's own __get__(C, type(C)) when
 *                                         g is itself a descriptor: 3.11's
 *                                         chaining)
 *     C.__dict__['s'] = staticmethod(g)  C.s, C().s ──► g itself
 *     C.__dict__['p'] = property(fg, fs, fd, doc)
 *                                        C().p ──► fg(obj); C().p = v ──► fs(obj, v)
 *                                        del C().p ──► fd(obj); C.p ──► the property
 *
 *     method { func ──► g, self ──► C }   called as g(C, *args) (the
 *                                         arguments are shifted by one
 *                                         slot, in place when the caller
 *                                         allows PM_VECTORCALL_ARGUMENTS_OFFSET)
 *
 * Invariants
 *   - All four are gc types (a wrapper may end up referring to itself
 *     through its function's globals) and are tracked from construction.
 *   - classmethod / staticmethod keep the wrapped callable (NULL only in
 *     an object made by __new__ and never initialised: every use then is
 *     RuntimeError "uninitialized classmethod object") and an attribute
 *     dict that __init__ fills as functools.wraps does (__module__,
 *     __name__, __qualname__, __doc__, __annotations__ when the callable
 *     has them).  Sizes: 48 bytes each with the gc head, as CPython.
 *   - property's fget/fset/fdel are NULL for None; `doc` is its __doc__
 *     (taken from fget.__doc__ when not given: getter_doc remembers that,
 *     so getter() of a copy takes the new getter's doc); `name` is set by
 *     __set_name__ and appears in the errors.  80 bytes with the gc head.
 *
 * CPython behaviour mirrored: constructor errors ("classmethod expected 1
 * argument, got 0", "classmethod() takes no keyword arguments", "property()
 * takes at most 4 arguments (5 given)"), reprs "<classmethod(<built-in
 * function len>)>", "<bound method len of <class 'int'>>", property's
 * errors "property 'x' of 'C' object has no setter" (no name: "property of
 * 'C' object has no setter"), getter/setter/deleter returning copies made
 * by calling type(self), __isabstractmethod__.
 * Differences: calling an uninitialised staticmethod is RuntimeError here
 * (CPython 3.11 crashes).
 */
#include "objects/descr.h"
#include "objects/containers.h"

#include <stddef.h>

/* ---- layouts ---------------------------------------------------------------- */

typedef struct pmi_funcwrap {
    pm_object ob_base;          /* refcount + type (classmethod / staticmethod) */
    pm_object *callable;        /* the wrapped callable; NULL before __init__ */
    pm_object *dict;            /* __dict__ (functools.wraps' copies), or NULL */
} pmi_funcwrap;                 /* 32 bytes (+16 gc head): getsizeof == 48 */

typedef struct pmi_property {
    pm_object ob_base;          /* refcount + type */
    pm_object *fget;            /* getter, NULL for None */
    pm_object *fset;            /* setter, NULL for None */
    pm_object *fdel;            /* deleter, NULL for None */
    pm_object *doc;             /* __doc__, NULL for None */
    pm_object *name;            /* the attribute name from __set_name__, or NULL */
    int getter_doc;             /* 1: doc was taken from fget.__doc__ */
} pmi_property;                 /* 64 bytes (+16 gc head): getsizeof == 80 */

typedef struct pmi_method {
    pm_object ob_base;          /* refcount + type (pm_method_type) */
    pm_object *func;            /* __func__: the callable */
    pm_object *self;            /* __self__: the first argument */
    pm_object *weakreflist;     /* head of the weak references' list (im_weakreflist) */
    void *reserved;             /* unused: CPython's vectorcall pointer (size parity) */
} pmi_method;                   /* 48 bytes (+16 gc head): getsizeof == 64, as CPython's */

#define FW(o) ((pmi_funcwrap *)(o))
#define PROP(o) ((pmi_property *)(o))
#define METH(o) ((pmi_method *)(o))
#define M_CAST(f) ((pm_cfunction)(void (*)(void))(f))

/* A new tracked, zeroed instance of a gc type (type.__new__ of these types:
 * arguments are left to __init__). */
static pm_object *gc_generic_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)args;
    (void)kwargs;
    pm_object *o = pmi_gc_new(rt, type);
    if (o) pmi_gc_track(rt, o);
    return o;
}

/* getattr(o, name, <missing>) with a C string name: 1 + *v (new ref), 0
 * (AttributeError cleared), -1. */
static int getattr_opt_cstr(pm_runtime *rt, pm_object *o, const char *name, pm_object **v) {
    *v = NULL;
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return -1;
    int r = pm_getattr_opt(rt, o, n, v);
    pm_decref(rt, n);
    return r;
}

/* _PyObject_IsAbstract: bool(getattr(o, '__isabstractmethod__', False)).
 * 1 / 0 / -1. */
static int is_abstract(pm_runtime *rt, pm_object *o) {
    if (!o) return 0;
    pm_object *v;
    int r = getattr_opt_cstr(rt, o, "__isabstractmethod__", &v);
    if (r <= 0) return r;
    r = pm_is_true(rt, v);
    pm_decref(rt, v);
    return r;
}

/* The arguments of a tp_init (a tuple and a dict or NULL) as a vectorcall
 * array + kwnames, for pmi_arg_parse_kw.  *kwnames NULL when none; arr has
 * room for 8.  0 / -1. */
static int unpack_init_args(pm_runtime *rt, pm_object *args, pm_object *kwargs, pm_object **arr,
                            pm_ssize_t *nargs, pm_object **kwnames, const char *fname, pm_ssize_t max) {
    pm_ssize_t n = pm_tuple_size(args), nkw = kwargs ? pm_dict_size(kwargs) : 0;
    *kwnames = NULL;
    *nargs = n;
    if (n + nkw > max) {        /* more than the parser could take: its own error */
        if (n > max) {
            pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most %zd argument%s (%zd given)", fname, max,
                          max == 1 ? "" : "s", n);
            return -1;
        }
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most %zd arguments (%zd given)", fname, max,
                      n + nkw);
        return -1;
    }
    for (pm_ssize_t i = 0; i < n; i++) arr[i] = pm_tuple_get(rt, args, i);
    if (nkw) {
        pm_object *names = pmi_tuple_alloc(rt, nkw), *k, *v;
        if (!names) return -1;
        pm_ssize_t pos = 0, j = 0;
        while (pm_dict_next(kwargs, &pos, &k, &v)) {
            PMI_TUPLE(names)->ob_item[j] = pm_newref(rt, k);
            arr[n + j++] = v;
        }
        *kwnames = names;
    }
    return 0;
}

/* ---- classmethod / staticmethod ---------------------------------------------- */

static void funcwrap_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, FW(self)->callable);
    PM_CLEAR(rt, FW(self)->dict);
    pmi_object_free(rt, self);
}

static int funcwrap_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    int r;
    if (FW(self)->callable && (r = visit(FW(self)->callable, arg)) != 0) return r;
    return FW(self)->dict ? visit(FW(self)->dict, arg) : 0;
}

static int funcwrap_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, FW(self)->callable);
    PM_CLEAR(rt, FW(self)->dict);
    return 0;
}

/* functools_wraps: copy the callable's identifying attributes into the
 * wrapper's dict.  0 / -1. */
static int copy_wrapped_attrs(pm_runtime *rt, pm_object *self, pm_object *callable) {
    static const char *const names[] = {"__module__", "__name__", "__qualname__", "__doc__", "__annotations__",
                                        NULL};
    if (!FW(self)->dict && !(FW(self)->dict = pm_dict_new(rt))) return -1;
    for (int i = 0; names[i]; i++) {
        pm_object *v;
        int r = getattr_opt_cstr(rt, callable, names[i], &v);
        if (r < 0) return -1;
        if (r == 0) continue;
        pm_object *k = pm_str_intern_cstr(rt, names[i]);
        r = k ? pm_dict_set(rt, FW(self)->dict, k, v) : -1;
        pm_xdecref(rt, k);
        pm_decref(rt, v);
        if (r < 0) return -1;
    }
    return 0;
}

/* classmethod(callable) / staticmethod(callable): __init__. */
static int funcwrap_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    const char *name = pm_type_is_subtype(self->ob_type, &pm_staticmethod_type) ||
                       self->ob_type == &pm_staticmethod_type ? "staticmethod" : "classmethod";
    if (kwargs && pm_dict_size(kwargs)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes no keyword arguments", name);
        return -1;
    }
    if (!pmi_arg_check_positional(rt, name, pm_tuple_size(args), 1, 1)) return -1;
    pm_object *callable = pm_tuple_get(rt, args, 0), *old = FW(self)->callable;
    FW(self)->callable = pm_newref(rt, callable);
    pm_xdecref(rt, old);
    return copy_wrapped_attrs(rt, self, callable);
}

static int funcwrap_ready(pm_runtime *rt, pm_object *self) {
    if (FW(self)->callable) return 1;
    pm_err_format(rt, PM_EXC_RuntimeError, "uninitialized %s object",
                  pm_is_instance(self, &pm_staticmethod_type) ? "staticmethod" : "classmethod");
    return 0;
}

static pm_object *funcwrap_repr(pm_runtime *rt, pm_object *self) {
    const char *name = pm_type_name(self->ob_type);
    if (!FW(self)->callable) return pm_str_from_format(rt, "<%s(NULL)>", name);
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "<%s(", name);
    pmi_sb_put_repr(rt, &sb, FW(self)->callable);
    pmi_sb_puts(rt, &sb, ")>");
    return pmi_sb_finish(rt, &sb);
}

static pm_object *classmethod_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    if (!funcwrap_ready(rt, self)) return NULL;
    if (!type) type = pm_type_as_object(obj->ob_type);
    pm_object *f = FW(self)->callable;
    if (f->ob_type->descr_get) return f->ob_type->descr_get(rt, f, type, pm_type_as_object(type->ob_type));
    return pm_method_new(rt, f, type);
}

static pm_object *staticmethod_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    (void)obj;
    (void)type;
    if (!funcwrap_ready(rt, self)) return NULL;
    return pm_newref(rt, FW(self)->callable);
}

static pm_object *staticmethod_call(pm_runtime *rt, pm_object *self, pm_object *const *args, size_t nargsf,
                                    pm_object *kwnames) {
    if (!funcwrap_ready(rt, self)) return NULL;
    return pm_call(rt, FW(self)->callable, args, nargsf, kwnames);
}

static pm_object *funcwrap_get_isabstract(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    int r = is_abstract(rt, FW(self)->callable);
    return r < 0 ? NULL : pm_newref(rt, pm_bool_from(r));
}

static pm_object *funcwrap_get_dict(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    if (!FW(self)->dict && !(FW(self)->dict = pm_dict_new(rt))) return NULL;
    return pm_newref(rt, FW(self)->dict);
}

static int funcwrap_set_dict(pm_runtime *rt, pm_object *self, pm_object *value, void *closure) {
    (void)closure;
    if (!value) {
        pm_err_set(rt, PM_EXC_TypeError, "cannot delete __dict__");
        return -1;
    }
    if (!pm_dict_check(value)) {
        pm_err_format(rt, PM_EXC_TypeError, "__dict__ must be set to a dictionary, not a '%.200s'",
                      value->ob_type->name);
        return -1;
    }
    pm_object *old = FW(self)->dict;
    FW(self)->dict = pm_newref(rt, value);
    pm_xdecref(rt, old);
    return 0;
}

static const pm_member_def funcwrap_members[] = {
    {"__func__", PM_T_OBJECT, offsetof(pmi_funcwrap, callable), PM_READONLY, NULL},
    {"__wrapped__", PM_T_OBJECT, offsetof(pmi_funcwrap, callable), PM_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static const pm_getset_def funcwrap_getset[] = {
    {"__isabstractmethod__", funcwrap_get_isabstract, NULL, NULL, NULL},
    {"__dict__", funcwrap_get_dict, funcwrap_set_dict, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const pm_type pm_classmethod_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "classmethod",
    .basicsize = sizeof(pmi_funcwrap),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .dictoffset = offsetof(pmi_funcwrap, dict),
    .doc = "classmethod(function) -> method\n\nConvert a function to be a class method.",
    .dealloc = funcwrap_dealloc,
    .traverse = funcwrap_traverse,
    .clear = funcwrap_clear,
    .repr = funcwrap_repr,
    .hash = pmi_object_hash,
    .descr_get = classmethod_get,
    .new_object = gc_generic_new,
    .init = funcwrap_init,
    .members = funcwrap_members,
    .getset = funcwrap_getset,
};

const pm_type pm_staticmethod_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "staticmethod",
    .basicsize = sizeof(pmi_funcwrap),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .dictoffset = offsetof(pmi_funcwrap, dict),
    .doc = "staticmethod(function) -> method\n\nConvert a function to be a static method.",
    .dealloc = funcwrap_dealloc,
    .traverse = funcwrap_traverse,
    .clear = funcwrap_clear,
    .repr = funcwrap_repr,
    .hash = pmi_object_hash,
    .call = staticmethod_call,
    .descr_get = staticmethod_get,
    .new_object = gc_generic_new,
    .init = funcwrap_init,
    .members = funcwrap_members,
    .getset = funcwrap_getset,
};

static pm_object *funcwrap_make(pm_runtime *rt, const pm_type *t, pm_object *callable) {
    pm_object *o = gc_generic_new(rt, t, NULL, NULL);
    if (!o) return NULL;
    FW(o)->callable = pm_newref(rt, callable);
    if (copy_wrapped_attrs(rt, o, callable) < 0) {
        pm_decref(rt, o);
        return NULL;
    }
    return o;
}

pm_object *pm_classmethod_new(pm_runtime *rt, pm_object *callable) {
    return funcwrap_make(rt, &pm_classmethod_type, callable);
}

pm_object *pm_staticmethod_new(pm_runtime *rt, pm_object *callable) {
    return funcwrap_make(rt, &pm_staticmethod_type, callable);
}

/* ---- property ---------------------------------------------------------------- */

static void property_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, PROP(self)->fget);
    PM_CLEAR(rt, PROP(self)->fset);
    PM_CLEAR(rt, PROP(self)->fdel);
    PM_CLEAR(rt, PROP(self)->doc);
    PM_CLEAR(rt, PROP(self)->name);
    pmi_object_free(rt, self);
}

static int property_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pm_object *f[] = {PROP(self)->fget, PROP(self)->fset, PROP(self)->fdel, PROP(self)->doc, PROP(self)->name};
    for (int i = 0; i < 5; i++) {
        int r;
        if (f[i] && (r = visit(f[i], arg)) != 0) return r;
    }
    return 0;
}

static int property_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, PROP(self)->fget);
    PM_CLEAR(rt, PROP(self)->fset);
    PM_CLEAR(rt, PROP(self)->fdel);
    PM_CLEAR(rt, PROP(self)->doc);
    return 0;
}

/* Replace *slot by v (None stored as NULL). */
static void set_field(pm_runtime *rt, pm_object **slot, pm_object *v) {
    pm_object *old = *slot;
    *slot = v && v != PM_NONE ? pm_newref(rt, v) : NULL;
    pm_xdecref(rt, old);
}

/* property(fget=None, fset=None, fdel=None, doc=None). */
static int property_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"fget", "fset", "fdel", "doc", NULL};
    pm_object *arr[8], *kwnames, *v[4];
    pm_ssize_t nargs;
    if (unpack_init_args(rt, args, kwargs, arr, &nargs, &kwnames, "property", 4) < 0) return -1;
    int ok = pmi_arg_parse_kw(rt, "property", names, 4, 0, arr, nargs, kwnames, v);
    pm_xdecref(rt, kwnames);
    if (!ok) return -1;
    pmi_property *p = PROP(self);
    set_field(rt, &p->fget, v[0]);
    set_field(rt, &p->fset, v[1]);
    set_field(rt, &p->fdel, v[2]);
    set_field(rt, &p->doc, v[3]);
    p->getter_doc = 0;
    if ((!v[3] || v[3] == PM_NONE) && p->fget) {
        pm_object *d;
        int r = getattr_opt_cstr(rt, p->fget, "__doc__", &d);
        if (r < 0) return -1;
        if (r > 0) {
            set_field(rt, &p->doc, d);
            pm_decref(rt, d);
            p->getter_doc = 1;
        }
    }
    return 0;
}

/* "property 'x' of 'C' object has no getter" (no name: "property of ..."). */
static void property_error(pm_runtime *rt, pm_object *self, pm_object *obj, const char *what) {
    pm_object *nr = PROP(self)->name ? pm_repr(rt, PROP(self)->name) : NULL;
    if (PROP(self)->name && !nr) return;
    pm_err_format(rt, PM_EXC_AttributeError, "property %s%sof '%.200s' object has no %s",
                  nr ? pm_str_as_utf8(rt, nr, NULL) : "", nr ? " " : "", pm_type_name(obj->ob_type), what);
    pm_xdecref(rt, nr);
}

static pm_object *property_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    (void)type;
    if (!obj || obj == PM_NONE) return pm_newref(rt, self);
    if (!PROP(self)->fget) {
        property_error(rt, self, obj, "getter");
        return NULL;
    }
    return pm_call_one(rt, PROP(self)->fget, obj);
}

static int property_set(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *value) {
    pm_object *func = value ? PROP(self)->fset : PROP(self)->fdel;
    if (!func) {
        property_error(rt, self, obj, value ? "setter" : "deleter");
        return -1;
    }
    pm_object *args[2] = {obj, value};
    pm_object *r = pm_call(rt, func, args, value ? 2 : 1, NULL);
    if (!r) return -1;
    pm_decref(rt, r);
    return 0;
}

/* property_copy: type(self)(get, set, del, doc) where a None argument keeps
 * self's function. */
static pm_object *property_copy(pm_runtime *rt, pm_object *self, pm_object *get, pm_object *set, pm_object *del) {
    pmi_property *p = PROP(self);
    if (!get || get == PM_NONE) get = p->fget ? p->fget : PM_NONE;
    if (!set || set == PM_NONE) set = p->fset ? p->fset : PM_NONE;
    if (!del || del == PM_NONE) del = p->fdel ? p->fdel : PM_NONE;
    pm_object *doc = p->getter_doc && get != PM_NONE ? PM_NONE : p->doc ? p->doc : PM_NONE;
    pm_object *args[4] = {get, set, del, doc};
    pm_object *n = pm_call(rt, pm_type_as_object(self->ob_type), args, 4, NULL);
    if (n && pm_is_instance(n, &pm_property_type)) {
        pm_object *old = PROP(n)->name;
        PROP(n)->name = p->name ? pm_newref(rt, p->name) : NULL;
        pm_xdecref(rt, old);
    }
    return n;
}

static pm_object *property_getter(pm_runtime *rt, pm_object *self, pm_object *f) {
    return property_copy(rt, self, f, NULL, NULL);
}
static pm_object *property_setter(pm_runtime *rt, pm_object *self, pm_object *f) {
    return property_copy(rt, self, NULL, f, NULL);
}
static pm_object *property_deleter(pm_runtime *rt, pm_object *self, pm_object *f) {
    return property_copy(rt, self, NULL, NULL, f);
}

static pm_object *property_set_name(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (nargs != 2) {
        pm_err_format(rt, PM_EXC_TypeError, "__set_name__() takes 2 positional arguments but %zd were given",
                      nargs);
        return NULL;
    }
    set_field(rt, &PROP(self)->name, args[1]);
    return pm_newref(rt, PM_NONE);
}

static pm_object *property_get_isabstract(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    pm_object *f[] = {PROP(self)->fget, PROP(self)->fset, PROP(self)->fdel};
    for (int i = 0; i < 3; i++) {
        int r = is_abstract(rt, f[i]);
        if (r < 0) return NULL;
        if (r) return pm_newref(rt, PM_TRUE);
    }
    return pm_newref(rt, PM_FALSE);
}

static const pm_method_def property_methods[] = {
    {"getter", property_getter, PM_METH_O, "Descriptor to obtain a copy of the property with a different getter."},
    {"setter", property_setter, PM_METH_O, "Descriptor to obtain a copy of the property with a different setter."},
    {"deleter", property_deleter, PM_METH_O, "Descriptor to obtain a copy of the property with a different deleter."},
    {"__set_name__", M_CAST(property_set_name), PM_METH_FASTCALL, "Method to set name of a property."},
    {NULL, NULL, 0, NULL},
};

static const pm_member_def property_members[] = {
    {"fget", PM_T_OBJECT, offsetof(pmi_property, fget), PM_READONLY, NULL},
    {"fset", PM_T_OBJECT, offsetof(pmi_property, fset), PM_READONLY, NULL},
    {"fdel", PM_T_OBJECT, offsetof(pmi_property, fdel), PM_READONLY, NULL},
    {"__doc__", PM_T_OBJECT, offsetof(pmi_property, doc), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static const pm_getset_def property_getset[] = {
    {"__isabstractmethod__", property_get_isabstract, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const pm_type pm_property_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "property",
    .basicsize = sizeof(pmi_property),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .dealloc = property_dealloc,
    .traverse = property_traverse,
    .clear = property_clear,
    .hash = pmi_object_hash,
    .descr_get = property_get,
    .descr_set = property_set,
    .new_object = gc_generic_new,
    .init = property_init,
    .methods = property_methods,
    .members = property_members,
    .getset = property_getset,
};

pm_object *pm_property_new(pm_runtime *rt, pm_object *fget, pm_object *fset, pm_object *fdel, pm_object *doc) {
    pm_object *args[4] = {fget ? fget : PM_NONE, fset ? fset : PM_NONE, fdel ? fdel : PM_NONE,
                          doc ? doc : PM_NONE};
    return pm_call(rt, pm_type_as_object(&pm_property_type), args, 4, NULL);
}

/* ---- method (a callable bound to a first argument) ------------------------------- */

pm_object *pm_method_new(pm_runtime *rt, pm_object *func, pm_object *self) {
    pm_object *o = pmi_gc_new(rt, &pm_method_type);
    if (!o) return NULL;
    METH(o)->func = pm_newref(rt, func);
    METH(o)->self = pm_newref(rt, self);
    METH(o)->weakreflist = NULL;
    METH(o)->reserved = NULL;
    pmi_gc_track(rt, o);
    return o;
}

static void method_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    if (METH(self)->weakreflist && pm_gc_dealloc_begin(rt, self)) return;
    PM_CLEAR(rt, METH(self)->func);
    PM_CLEAR(rt, METH(self)->self);
    pmi_object_free(rt, self);
}

static int method_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    int r;
    if (METH(self)->func && (r = visit(METH(self)->func, arg)) != 0) return r;
    return METH(self)->self ? visit(METH(self)->self, arg) : 0;
}

static int method_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, METH(self)->func);
    PM_CLEAR(rt, METH(self)->self);
    return 0;
}

pm_object *pm_method_function(const pm_object *m) { return METH(m)->func; }
pm_object *pm_method_self(const pm_object *m) { return METH(m)->self; }

/* func(self, *args): in place in args[-1] when the caller allows it. */
static pm_object *method_call(pm_runtime *rt, pm_object *m, pm_object *const *args, size_t nargsf,
                              pm_object *kwnames) {
    pm_object *func = METH(m)->func, *self = METH(m)->self;
    if (!func) {
        pm_err_set(rt, PM_EXC_SystemError, "method object is cleared");
        return NULL;
    }
    pm_ssize_t nargs = pm_vectorcall_nargs(nargsf), total = nargs + (kwnames ? pm_tuple_size(kwnames) : 0);
    if (nargsf & PM_VECTORCALL_ARGUMENTS_OFFSET) {
        pm_object **a = (pm_object **)(uintptr_t)args - 1, *saved = a[0];
        a[0] = self;
        pm_object *r = pm_call(rt, func, a, (size_t)(nargs + 1), kwnames);
        a[0] = saved;
        return r;
    }
    pm_object *small[8], **a = small;
    if (total + 1 > 8 && !(a = pm_malloc(rt, sizeof *a * (size_t)(total + 1)))) return pm_err_nomem(rt);
    a[0] = self;
    for (pm_ssize_t i = 0; i < total; i++) a[i + 1] = args[i];
    pm_object *r = pm_call(rt, func, a, (size_t)(nargs + 1), kwnames);
    if (a != small) pm_free(rt, a);
    return r;
}

static pm_object *method_repr(pm_runtime *rt, pm_object *m) {
    pm_object *name = NULL;
    if (!METH(m)->func || !METH(m)->self) return pm_str_from_cstr(rt, "<bound method (cleared)>");
    int r = getattr_opt_cstr(rt, METH(m)->func, "__qualname__", &name);
    if (r == 0) r = getattr_opt_cstr(rt, METH(m)->func, "__name__", &name);
    if (r < 0) return NULL;
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_puts(rt, &sb, "<bound method ");
    if (name && pm_str_check(name)) pmi_sb_put_str(rt, &sb, name);
    else pmi_sb_puts(rt, &sb, "?");
    pmi_sb_puts(rt, &sb, " of ");
    pmi_sb_put_repr(rt, &sb, METH(m)->self);
    pmi_sb_puts(rt, &sb, ">");
    pm_xdecref(rt, name);
    return pmi_sb_finish(rt, &sb);
}

static pm_object *method_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if ((op != PM_EQ && op != PM_NE) || a->ob_type != &pm_method_type || b->ob_type != &pm_method_type ||
        !METH(a)->func || !METH(b)->func)
        return pm_newref(rt, PM_NOTIMPLEMENTED);
    int eq = pm_equal(rt, METH(a)->func, METH(b)->func);
    if (eq < 0) return NULL;
    eq = eq && METH(a)->self == METH(b)->self;
    return pm_newref(rt, pm_bool_from(op == PM_EQ ? eq : !eq));
}

static pm_hash_t method_hash(pm_runtime *rt, pm_object *m) {
    if (!METH(m)->func) return pmi_hash_pointer(m);
    pm_hash_t y = pm_hash(rt, METH(m)->func);
    if (y == -1) return -1;
    pm_hash_t x = pmi_hash_pointer(METH(m)->self) ^ y;
    return x == -1 ? -2 : x;
}

/* Attributes not found on the method are looked up on the function
 * (m.__name__, m.__doc__), as CPython's method_getattro. */
static pm_object *method_getattro(pm_runtime *rt, pm_object *m, pm_object *name) {
    pm_object *r = pm_object_generic_getattr(rt, m, name);
    if (r || !pm_err_matches(rt, PM_EXC_AttributeError) || !METH(m)->func) return r;
    pm_err_clear(rt);
    return pm_getattr(rt, METH(m)->func, name);
}

static const pm_member_def method_members[] = {
    {"__func__", PM_T_OBJECT, offsetof(pmi_method, func), PM_READONLY, "the function (or other callable) implementing a method"},
    {"__self__", PM_T_OBJECT, offsetof(pmi_method, self), PM_READONLY, "the instance to which a method is bound"},
    {NULL, 0, 0, 0, NULL},
};

const pm_type pm_method_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "method",
    .basicsize = sizeof(pmi_method),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_CALL_UNCOUNTED,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(pmi_method, weakreflist),
    .dealloc = method_dealloc,
    .traverse = method_traverse,
    .clear = method_clear,
    .repr = method_repr,
    .hash = method_hash,
    .richcompare = method_richcompare,
    .getattr = method_getattro,
    .call = method_call,
    .members = method_members,
};
