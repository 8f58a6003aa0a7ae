/*
 * descrobject.c — the descriptors a static type's __dict__ holds: method,
 * classmethod, member and getset descriptors.  CPython's
 * Objects/descrobject.c.
 *
 * Purpose
 *   A type written in C lists its methods, its instance fields and its
 *   computed attributes in three const tables (pymm.h: pm_method_def,
 *   pm_member_def, pm_getset_def).  When a runtime first needs the type's
 *   __dict__ (core/type.c), pmi_descr_fill_dict turns each entry into one
 *   descriptor object, and the generic attribute lookup does the rest:
 *
 *     list.__dict__['append']  = <method 'append' of 'list' objects>
 *         descr_get(l)  ──► <built-in method append of list object>  (methodobject.c)
 *         called as descr(l, x) ──► the C function with self = l
 *     dict.__dict__['fromkeys'] = <method 'fromkeys' of 'dict' objects>
 *         (classmethod_descriptor) descr_get(_, dict) ──► bound to the type
 *     slice.__dict__['start']  = <member 'start' of 'slice' objects>
 *         descr_get(s) reads the field at its offset; data descriptor
 *     int.__dict__['real']     = <attribute 'real' of 'int' objects>
 *         descr_get(i) calls the getter; data descriptor
 *
 * Invariants
 *   - A descriptor points at its table entry (static, outlives runtimes),
 *     holds a strong reference to its type (a no-op for the immortal
 *     static types) and its interned name.  It holds nothing else, so it
 *     is not a gc object.
 *   - Every access checks that the instance is of the descriptor's type
 *     (or a subtype): "descriptor 'append' for 'list' objects doesn't
 *     apply to a 'int' object" — C code behind it may then cast freely.
 *   - Member and getset descriptors are data descriptors (they have
 *     descr_set), so an instance __dict__ never shadows them; method
 *     descriptors are not, and carry PM_TPFLAGS_METHOD_DESCRIPTOR so that
 *     pm_call_method can call them without making a bound method.
 *
 * CPython behaviour mirrored: reprs, the "unbound method list.append()
 * needs an argument" and "readonly attribute" / "attribute 'real' of
 * 'int' objects is not writable" texts, class-level access returning the
 * descriptor itself, __name__ / __qualname__ / __objclass__ / __doc__.
 */
#include "objects/descr.h"

#include <stdio.h>
#include <string.h>

typedef struct pmi_descr {
    pm_object ob_base;              /* header (one of the four descriptor types) */
    const pm_type *type;            /* the type defining it (__objclass__): strong */
    pm_object *name;                /* interned str, the attribute name: strong */
    const void *def;                /* its pm_method_def / pm_member_def / pm_getset_def */
} pmi_descr;

#define DE(o) ((pmi_descr *)(o))
#define DMETH(o) ((const pm_method_def *)DE(o)->def)
#define DMEMB(o) ((const pm_member_def *)DE(o)->def)
#define DGETSET(o) ((const pm_getset_def *)DE(o)->def)

static pm_object *descr_new(pm_runtime *rt, const pm_type *dtype, const pm_type *owner,
                            const char *name, const void *def) {
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return NULL;
    pm_object *o = pmi_object_new(rt, dtype);
    if (!o) {
        pm_decref(rt, n);
        return NULL;
    }
    DE(o)->type = owner;
    pm_incref(rt, pm_type_as_object(owner));
    DE(o)->name = n;
    DE(o)->def = def;
    return o;
}

static void descr_dealloc(pm_runtime *rt, pm_object *o) {
    pm_decref(rt, DE(o)->name);
    pm_decref(rt, pm_type_as_object(DE(o)->type));
    pmi_object_free(rt, o);
}

static const char *dname(const pm_object *d) { return DMETH(d)->name; /* name is first in every def */ }

/* descr_check: obj is an instance of the descriptor's type.  1 / 0 + error. */
static int descr_check(pm_runtime *rt, pm_object *d, pm_object *obj) {
    if (pm_is_instance(obj, DE(d)->type)) return 1;
    pm_err_format(rt, PM_EXC_TypeError, "descriptor '%s' for '%.100s' objects doesn't apply to a '%.100s' object",
                  pm_str_as_utf8(rt, DE(d)->name, NULL), DE(d)->type->name, obj->ob_type->name);
    return 0;
}

/* descr_check's TypeError for a caller that did the test itself: NULL. */
__attribute__((noinline, cold)) static pm_object *descr_check_failed(pm_runtime *rt, pm_object *d,
                                                                      pm_object *obj) {
    descr_check(rt, d, obj);
    return NULL;
}

static pm_object *repr_fmt(pm_runtime *rt, pm_object *d, const char *kind) {
    return pm_str_from_format(rt, "<%s '%s' of '%s' objects>", kind, pm_str_as_utf8(rt, DE(d)->name, NULL),
                              DE(d)->type->name);
}

/* ---- shared attributes: __name__, __qualname__, __objclass__, __doc__ ---- */

static pm_object *descr_get_name(pm_runtime *rt, pm_object *d, void *closure) {
    (void)closure;
    return pm_newref(rt, DE(d)->name);
}

static pm_object *descr_get_qualname(pm_runtime *rt, pm_object *d, void *closure) {
    (void)closure;
    return pm_str_from_format(rt, "%s.%s", pm_type_name(DE(d)->type), pm_str_as_utf8(rt, DE(d)->name, NULL));
}

static pm_object *descr_get_objclass(pm_runtime *rt, pm_object *d, void *closure) {
    (void)closure;
    return pm_newref(rt, pm_type_as_object(DE(d)->type));
}

static pm_object *doc_or_none(pm_runtime *rt, const char *doc) {
    return doc ? pm_str_from_cstr(rt, doc) : pm_newref(rt, PM_NONE);
}

static pm_object *meth_get_doc(pm_runtime *rt, pm_object *d, void *closure) {
    (void)closure;
    return doc_or_none(rt, DMETH(d)->doc);
}
static pm_object *memb_get_doc(pm_runtime *rt, pm_object *d, void *closure) {
    (void)closure;
    return doc_or_none(rt, DMEMB(d)->doc);
}
static pm_object *getset_get_doc(pm_runtime *rt, pm_object *d, void *closure) {
    (void)closure;
    return doc_or_none(rt, DGETSET(d)->doc);
}

#define DESCR_COMMON_GETSET(docfn)                                   \
    {"__name__", descr_get_name, NULL, NULL, NULL},                  \
    {"__qualname__", descr_get_qualname, NULL, NULL, NULL},          \
    {"__objclass__", descr_get_objclass, NULL, NULL, NULL},          \
    {"__doc__", docfn, NULL, NULL, NULL},                            \
    {NULL, NULL, NULL, NULL, NULL}

static const pm_getset_def method_getset[] = {DESCR_COMMON_GETSET(meth_get_doc)};
static const pm_getset_def member_getset[] = {DESCR_COMMON_GETSET(memb_get_doc)};
static const pm_getset_def getset_getset[] = {DESCR_COMMON_GETSET(getset_get_doc)};

/* ---- method_descriptor ------------------------------------------------------ */

static pm_object *method_repr(pm_runtime *rt, pm_object *d) { return repr_fmt(rt, d, "method"); }

static pm_object *method_get(pm_runtime *rt, pm_object *d, pm_object *obj, pm_object *type) {
    (void)type;
    if (!obj) return pm_newref(rt, d);
    if (!descr_check(rt, d, obj)) return NULL;
    return pm_cfunction_new(rt, DMETH(d), obj);
}

/* descr(self, *args): the C function with self = args[0]. */
static pm_object *method_call(pm_runtime *rt, pm_object *d, pm_object *const *args, size_t nargsf,
                              pm_object *kwnames) {
    pm_ssize_t nargs = pm_vectorcall_nargs(nargsf);
    if (nargs < 1) {
        const char *tn = DE(d)->type->name, *dot = strrchr(tn, '.');
        pm_err_format(rt, PM_EXC_TypeError, "unbound method %s.%s() needs an argument", dot ? dot + 1 : tn,
                      dname(d));
        return NULL;
    }
    if (!descr_check(rt, d, args[0])) return NULL;
    return pmi_cfunc_invoke_counted(rt, DMETH(d), DE(d)->type->name, args[0], args + 1, nargs - 1, kwnames);
}

pm_object *pmi_descr_call_self(pm_runtime *rt, pm_object *d, pm_object *self, pm_object *const *args,
                               pm_ssize_t nargs) {
    const pm_method_def *ml = DMETH(d);
    const pm_type *t = DE(d)->type;
    /* the exact class first, then object's methods (every object is one),
     * and only then the MRO walk; the TypeError out of line */
    if (self->ob_type != t && t != &pm_object_type && !pm_type_is_subtype(self->ob_type, t))
        return descr_check_failed(rt, d, self);
    switch (ml->flags) {
    case PM_METH_NOARGS:
        if (nargs == 0) return ml->meth(rt, self, NULL);
        break;
    case PM_METH_O:
        if (nargs == 1) return ml->meth(rt, self, args[0]);
        break;
    case PM_METH_FASTCALL:
        return ((pm_cfunction_fast)(void (*)(void))ml->meth)(rt, self, args, nargs);
    case PM_METH_FASTCALL | PM_METH_KEYWORDS:
        return ((pm_cfunction_fast_kw)(void (*)(void))ml->meth)(rt, self, args, nargs, NULL);
    default:
        break;
    }
    /* wrong counts (their messages), the tuple conventions, COEXIST */
    return pmi_cfunc_invoke(rt, ml, DE(d)->type->name, self, args, nargs, NULL);
}

const pm_type pmi_method_descr_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "method_descriptor",
    .basicsize = sizeof(pmi_descr),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_METHOD_DESCRIPTOR | PM_TPFLAGS_CALL_UNCOUNTED,
    .dealloc = descr_dealloc,
    .repr = method_repr,
    .call = method_call,
    .descr_get = method_get,
    .getset = method_getset,
};

/* ---- classmethod_descriptor ------------------------------------------------ */

/* The type a classmethod binds to: type, else type(obj); must be a subtype
 * of the descriptor's type. */
static pm_object *classmethod_get(pm_runtime *rt, pm_object *d, pm_object *obj, pm_object *type) {
    if (!type) type = pm_type_as_object(obj->ob_type);
    if (!pm_type_check(type)) {
        pm_err_format(rt, PM_EXC_TypeError, "descriptor '%s' for type '%.100s' needs a type, not a '%.100s' as arg 2",
                      dname(d), DE(d)->type->name, type->ob_type->name);
        return NULL;
    }
    const pm_type *t = (const pm_type *)type;
    if (t != DE(d)->type && !pm_type_is_subtype(t, DE(d)->type)) {
        pm_err_format(rt, PM_EXC_TypeError, "descriptor '%s' requires a subtype of '%.100s' but received '%.100s'",
                      dname(d), DE(d)->type->name, t->name);
        return NULL;
    }
    return pm_cfunction_new(rt, DMETH(d), type);
}

static pm_object *classmethod_call(pm_runtime *rt, pm_object *d, pm_object *const *args, size_t nargsf,
                                   pm_object *kwnames) {
    pm_ssize_t nargs = pm_vectorcall_nargs(nargsf);
    if (nargs < 1) {
        pm_err_format(rt, PM_EXC_TypeError, "descriptor '%s' of '%.100s' object needs an argument", dname(d),
                      DE(d)->type->name);
        return NULL;
    }
    pm_object *bound = classmethod_get(rt, d, NULL, args[0]);
    if (!bound) return NULL;
    pm_decref(rt, bound);
    return pmi_cfunc_invoke(rt, DMETH(d), ((const pm_type *)args[0])->name, args[0], args + 1, nargs - 1,
                            kwnames);
}

const pm_type pmi_classmethod_descr_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "classmethod_descriptor",
    .basicsize = sizeof(pmi_descr),
    .flags = PM_TPFLAGS_STATIC,
    .dealloc = descr_dealloc,
    .repr = method_repr,
    .call = classmethod_call,
    .descr_get = classmethod_get,
    .getset = method_getset,
};

/* ---- member_descriptor ---------------------------------------------------------- */

static pm_object *member_repr(pm_runtime *rt, pm_object *d) { return repr_fmt(rt, d, "member"); }

static pm_object *member_get(pm_runtime *rt, pm_object *d, pm_object *obj, pm_object *type) {
    (void)type;
    if (!obj) return pm_newref(rt, d);
    if (!descr_check(rt, d, obj)) return NULL;
    const pm_member_def *m = DMEMB(d);
    const char *p = (const char *)obj + m->offset;
    switch (m->type) {
    case PM_T_OBJECT:
    case PM_T_OBJECT_EX: {
        pm_object *v = *(pm_object *const *)(const void *)p;
        if (v) return pm_newref(rt, v);
        if (m->type == PM_T_OBJECT) return pm_newref(rt, PM_NONE);
        pm_err_format(rt, PM_EXC_AttributeError, "'%.200s' object has no attribute '%s'", obj->ob_type->name,
                      m->name);
        return NULL;
    }
    case PM_T_NONE: return pm_newref(rt, PM_NONE);
    case PM_T_BOOL: return pm_newref(rt, pm_bool_from(*p != 0));
    case PM_T_CHAR: return pm_str_from_utf8(rt, p, 1);
    case PM_T_BYTE: return pm_int_from_long(rt, *(const signed char *)p);
    case PM_T_UBYTE: return pm_int_from_long(rt, *(const unsigned char *)p);
    case PM_T_SHORT: return pm_int_from_long(rt, *(const short *)(const void *)p);
    case PM_T_USHORT: return pm_int_from_long(rt, *(const unsigned short *)(const void *)p);
    case PM_T_INT: return pm_int_from_long(rt, *(const int *)(const void *)p);
    case PM_T_UINT: return pm_int_from_ulonglong(rt, *(const unsigned int *)(const void *)p);
    case PM_T_LONG: return pm_int_from_long(rt, *(const long *)(const void *)p);
    case PM_T_ULONG: return pm_int_from_ulonglong(rt, *(const unsigned long *)(const void *)p);
    case PM_T_LONGLONG: return pm_int_from_longlong(rt, *(const long long *)(const void *)p);
    case PM_T_ULONGLONG: return pm_int_from_ulonglong(rt, *(const unsigned long long *)(const void *)p);
    case PM_T_PYSSIZET: return pm_int_from_ssize(rt, *(const pm_ssize_t *)(const void *)p);
    case PM_T_FLOAT: return pm_float_new(rt, *(const float *)(const void *)p);
    case PM_T_DOUBLE: return pm_float_new(rt, *(const double *)(const void *)p);
    case PM_T_STRING: {
        const char *s = *(const char *const *)(const void *)p;
        return s ? pm_str_from_cstr(rt, s) : pm_newref(rt, PM_NONE);
    }
    default:
        pm_err_set(rt, PM_EXC_SystemError, "bad memberdescr type");
        return NULL;
    }
}

/* Assignment: objects, sizes, ints and doubles; other codes read only. */
static int member_set(pm_runtime *rt, pm_object *d, pm_object *obj, pm_object *value) {
    if (!descr_check(rt, d, obj)) return -1;
    const pm_member_def *m = DMEMB(d);
    char *p = (char *)obj + m->offset;
    if (m->flags & PM_READONLY) {
        pm_err_set(rt, PM_EXC_AttributeError, "readonly attribute");
        return -1;
    }
    if (!value && m->type != PM_T_OBJECT && m->type != PM_T_OBJECT_EX) {
        pm_err_set(rt, PM_EXC_TypeError, "can't delete numeric/char attribute");
        return -1;
    }
    switch (m->type) {
    case PM_T_OBJECT:
    case PM_T_OBJECT_EX: {
        pm_object **slot = (pm_object **)(void *)p, *old = *slot;
        if (!value && m->type == PM_T_OBJECT_EX && !old) {
            pm_err_set(rt, PM_EXC_AttributeError, m->name);
            return -1;
        }
        *slot = value ? pm_newref(rt, value) : NULL;
        pm_xdecref(rt, old);
        return 0;
    }
    case PM_T_BOOL:
        if (value != PM_TRUE && value != PM_FALSE) {
            pm_err_set(rt, PM_EXC_TypeError, "attribute value type must be bool");
            return -1;
        }
        *p = value == PM_TRUE;
        return 0;
    case PM_T_INT:
    case PM_T_LONG:
    case PM_T_PYSSIZET: {
        if (!pm_int_check(value)) {
            pm_err_set(rt, PM_EXC_TypeError, "an integer is required");
            return -1;
        }
        long long v = pm_int_as_longlong(rt, value);
        if (v == -1 && pm_err_occurred(rt)) return -1;
        if (m->type == PM_T_INT) *(int *)(void *)p = (int)v;
        else if (m->type == PM_T_LONG) *(long *)(void *)p = (long)v;
        else *(pm_ssize_t *)(void *)p = (pm_ssize_t)v;
        return 0;
    }
    case PM_T_DOUBLE: {
        double v = pm_float_check(value) ? pm_float_as_double(rt, value)
                 : pm_int_check(value) ? pm_int_as_double(rt, value) : -1.0;
        if (!pm_float_check(value) && !pm_int_check(value)) {
            pm_err_set(rt, PM_EXC_TypeError, "attribute value type must be float");
            return -1;
        }
        if (v == -1.0 && pm_err_occurred(rt)) return -1;
        *(double *)(void *)p = v;
        return 0;
    }
    default:
        pm_err_set(rt, PM_EXC_AttributeError, "readonly attribute");
        return -1;
    }
}

const pm_type pmi_member_descr_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "member_descriptor",
    .basicsize = sizeof(pmi_descr),
    .flags = PM_TPFLAGS_STATIC,
    .dealloc = descr_dealloc,
    .repr = member_repr,
    .descr_get = member_get,
    .descr_set = member_set,
    .getset = member_getset,
};

/* ---- getset_descriptor ------------------------------------------------------------- */

static pm_object *getset_repr(pm_runtime *rt, pm_object *d) { return repr_fmt(rt, d, "attribute"); }

static pm_object *getset_get(pm_runtime *rt, pm_object *d, pm_object *obj, pm_object *type) {
    (void)type;
    if (!obj) return pm_newref(rt, d);
    if (!descr_check(rt, d, obj)) return NULL;
    const pm_getset_def *g = DGETSET(d);
    if (!g->get) {
        pm_err_format(rt, PM_EXC_AttributeError, "attribute '%s' of '%.100s' objects is not readable", g->name,
                      DE(d)->type->name);
        return NULL;
    }
    return g->get(rt, obj, g->closure);
}

static int getset_set(pm_runtime *rt, pm_object *d, pm_object *obj, pm_object *value) {
    if (!descr_check(rt, d, obj)) return -1;
    const pm_getset_def *g = DGETSET(d);
    if (!g->set) {
        pm_err_format(rt, PM_EXC_AttributeError, "attribute '%s' of '%.100s' objects is not writable", g->name,
                      DE(d)->type->name);
        return -1;
    }
    return g->set(rt, obj, value, g->closure);
}

const pm_type pmi_getset_descr_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "getset_descriptor",
    .basicsize = sizeof(pmi_descr),
    .flags = PM_TPFLAGS_STATIC,
    .dealloc = descr_dealloc,
    .repr = getset_repr,
    .descr_get = getset_get,
    .descr_set = getset_set,
    .getset = getset_getset,
};

/* ---- filling a type's dict ----------------------------------------------------------- */

static int put(pm_runtime *rt, pm_object *dict, const char *name, pm_object *v) {
    if (!v) return -1;
    pm_object *k = pm_str_intern_cstr(rt, name);
    int r = k ? pm_dict_set(rt, dict, k, v) : -1;
    pm_xdecref(rt, k);
    pm_decref(rt, v);
    return r;
}

/* Whether t gets its own __sizeof__ (object's function under t's name):
 * 3.11's types that measure themselves define one (list.__sizeof__, so
 * "list.__sizeof__() takes no arguments (1 given)"); in pymm those are the
 * static types with their own size_of hook, but a module (python3's module
 * has none; pymm's size_of only hides its flags word). */
static int own_sizeof(const pm_type *t) {
    if (t == &pm_object_type || !t->size_of || !(t->flags & PM_TPFLAGS_STATIC) || (t->flags & PM_TPFLAGS_MODULE))
        return 0;
    if (t->base && t->base->size_of == t->size_of) return 0;   /* inherited (bool from int) */
    for (const pm_method_def *m = t->methods; m && m->name; m++)
        if (!strcmp(m->name, "__sizeof__")) return 0;
    return 1;
}

int pmi_descr_fill_dict(pm_runtime *rt, const pm_type *t, pm_object *dict) {
    if (own_sizeof(t))
        for (const pm_method_def *m = pm_object_type.methods; m && m->name; m++)
            if (!strcmp(m->name, "__sizeof__") &&
                put(rt, dict, m->name, descr_new(rt, &pmi_method_descr_type, t, m->name, m)) < 0)
                return -1;
    for (const pm_method_def *m = t->methods; m && m->name; m++) {
        pm_object *v;
        if (m->flags & PM_METH_STATIC) v = pm_cfunction_new(rt, m, NULL);
        else if (m->flags & PM_METH_CLASS) v = descr_new(rt, &pmi_classmethod_descr_type, t, m->name, m);
        else v = descr_new(rt, &pmi_method_descr_type, t, m->name, m);
        if (put(rt, dict, m->name, v) < 0) return -1;
    }
    for (const pm_member_def *m = t->members; m && m->name; m++)
        if (put(rt, dict, m->name, descr_new(rt, &pmi_member_descr_type, t, m->name, m)) < 0) return -1;
    for (const pm_getset_def *g = t->getset; g && g->name; g++)
        if (put(rt, dict, g->name, descr_new(rt, &pmi_getset_descr_type, t, g->name, g)) < 0) return -1;
    return 0;
}

int pm_cfunction_is_fastcall(const pm_object *callable) {
    const pm_method_def *ml = callable->ob_type == &pmi_cfunction_type      ? pmi_cfunction_def(callable)
                              : callable->ob_type == &pmi_method_descr_type ? DMETH(callable)
                                                                             : NULL;
    return ml && (ml->flags & PM_METH_FASTCALL);
}
