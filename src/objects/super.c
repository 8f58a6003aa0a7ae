/*
 * super.c — the `super` type: attribute lookup along an object's MRO,
 * starting after a given class.  CPython's superobject (Objects/
 * typeobject.c).
 *
 * Purpose
 *   super(C, obj).m finds m in the classes that follow C in type(obj).__mro__
 *   and binds it to obj; super(C, D) (D a subclass of C) does the same
 *   along D.__mro__ and binds class-level (descr_get with obj NULL).  The
 *   interpreter's zero-argument super() passes the function's __class__
 *   cell and its first argument to pm_super_new.
 *
 *     type(obj).__mro__ = (E, C, B, A, object)      super(C, obj).m
 *                              ^ start after C  ──►  B.__dict__, A.__dict__, object.__dict__
 *
 * States: a super object is made bound (obj and obj_type set) or unbound
 * (super(C): both NULL; binding it with __get__ makes a new, bound one).
 * It never changes after its creation (CPython's __init__ can re-run;
 * pm_super_new / super(...) here build a complete object in one step).
 *
 * CPython behaviour mirrored: super_getattro (__class__ is the super
 * object's own; a lookup that finds nothing falls back to the super
 * object's attributes), supercheck's "super(type, obj): obj must be an
 * instance or subtype of type", "super() argument 1 must be a type, not
 * int", the repr "<super: <class 'C'>, <C object>>" / "<super: <class
 * 'C'>, NULL>", __thisclass__ / __self__ / __self_class__.
 */
#include "objects/heaptype.h"

#include <stddef.h>

typedef struct superobject {
    pm_object ob_base;              /* header (pm_super_type, gc) */
    pm_object *type;                /* the class after which lookups start (strong) */
    pm_object *obj;                 /* the instance or class bound to, or NULL (strong) */
    pm_object *obj_type;            /* the type whose MRO is walked, or NULL (strong) */
} superobject;

#define SU(o) ((superobject *)(void *)(o))

static void super_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, SU(self)->obj);
    PM_CLEAR(rt, SU(self)->type);
    PM_CLEAR(rt, SU(self)->obj_type);
    pmi_object_free(rt, self);
}

static int super_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    int r;
    if (SU(self)->obj && (r = visit(SU(self)->obj, arg))) return r;
    if (SU(self)->type && (r = visit(SU(self)->type, arg))) return r;
    return SU(self)->obj_type ? visit(SU(self)->obj_type, arg) : 0;
}

static int super_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, SU(self)->obj);
    PM_CLEAR(rt, SU(self)->obj_type);
    return 0;
}

/* supercheck: the type whose MRO a super(type, obj) walks.  BORROWED
 * (type(obj) or obj itself), NULL + TypeError. */
static const pm_type *supercheck(pm_runtime *rt, const pm_type *type, pm_object *obj) {
    if (pm_type_check(obj) && pm_type_is_subtype((const pm_type *)obj, type)) return (const pm_type *)obj;
    if (pm_type_is_subtype(obj->ob_type, type)) return obj->ob_type;
    /* obj.__class__ may differ from type(obj) (a proxy) */
    pm_object *cls = pm_getattr_cstr(rt, obj, "__class__");
    if (!cls) {
        if (!pm_err_matches(rt, PM_EXC_AttributeError)) return NULL;
        pm_err_clear(rt);
    } else {
        int ok = pm_type_check(cls) && cls != pm_type_as_object(obj->ob_type) &&
                 pm_type_is_subtype((const pm_type *)cls, type);
        pm_decref(rt, cls);
        /* borrowed: obj keeps its __class__ alive in the cases that matter */
        if (ok) return (const pm_type *)cls;
    }
    pm_err_set(rt, PM_EXC_TypeError, "super(type, obj): obj must be an instance or subtype of type");
    return NULL;
}

pm_object *pm_super_new(pm_runtime *rt, pm_object *type, pm_object *obj) {
    if (!pm_type_check(type))
        return pmi_err_type(rt, "super() argument 1 must be a type, not %.200s", type);
    const pm_type *obj_type = NULL;
    if (obj == PM_NONE) obj = NULL;
    if (obj && !(obj_type = supercheck(rt, (const pm_type *)type, obj))) return NULL;
    pm_object *s = pmi_gc_new(rt, &pm_super_type);
    if (!s) return NULL;
    SU(s)->type = pm_newref(rt, type);
    if (obj) {
        SU(s)->obj = pm_newref(rt, obj);
        SU(s)->obj_type = pm_newref(rt, pm_type_as_object(obj_type));
    }
    pmi_gc_track(rt, s);
    return s;
}

/* super(type[, obj]) */
static pm_object *super_new(pm_runtime *rt, const pm_type *t, pm_object *args, pm_object *kwargs) {
    (void)t;
    if (kwargs && pm_dict_size(kwargs)) {
        pm_err_set(rt, PM_EXC_TypeError, "super() takes no keyword arguments");
        return NULL;
    }
    pm_ssize_t n = args ? pm_tuple_size(args) : 0;
    if (n == 0) {
        /* zero-argument super() needs the caller's frame: the interpreter
         * calls pm_super_new itself */
        pm_err_set(rt, PM_EXC_RuntimeError, "super(): no arguments");
        return NULL;
    }
    if (n > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "super() takes at most 2 arguments (%zd given)", n);
        return NULL;
    }
    return pm_super_new(rt, pm_tuple_get(rt, args, 0), n == 2 ? pm_tuple_get(rt, args, 1) : NULL);
}

static pm_object *super_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_puts(rt, &sb, "<super: ");
    pmi_sb_put_repr(rt, &sb, SU(self)->type);
    if (SU(self)->obj_type)
        pmi_sb_printf(rt, &sb, ", <%s object>>", ((const pm_type *)SU(self)->obj_type)->name);
    else
        pmi_sb_puts(rt, &sb, ", NULL>");
    return pmi_sb_finish(rt, &sb);
}

static pm_object *super_getattro(pm_runtime *rt, pm_object *self, pm_object *name) {
    superobject *su = SU(self);
    if (!su->obj_type || (pm_str_check(name) && pm_str_equal_cstr(name, "__class__")))
        return pm_object_generic_getattr(rt, self, name);
    pm_object *mro = pm_type_mro(rt, (const pm_type *)su->obj_type);
    if (!mro) return NULL;
    pm_incref(rt, mro);
    pm_ssize_t n = pm_tuple_size(mro), i = 0;
    for (; i + 1 < n; i++)
        if (pm_tuple_get(rt, mro, i) == su->type) break;
    for (i++; i < n; i++) {
        pm_object *d = pm_type_dict(rt, (const pm_type *)pm_tuple_get(rt, mro, i));
        if (!d) goto fail;
        pm_object *res = pm_dict_get(rt, d, name);
        if (!res) {
            if (pm_err_occurred(rt)) goto fail;
            continue;
        }
        pm_incref(rt, res);
        pm_decref(rt, mro);
        pm_descrgetfunc f = res->ob_type->descr_get;
        if (!f) return res;
        /* bound to the instance, or class-level when obj is the type */
        pm_object *r = f(rt, res, su->obj == su->obj_type ? NULL : su->obj, su->obj_type);
        pm_decref(rt, res);
        return r;
    }
    pm_decref(rt, mro);
    return pm_object_generic_getattr(rt, self, name);
fail:
    pm_decref(rt, mro);
    return NULL;
}

/* super(C).__get__(obj): a bound super; a bound one returns itself. */
static pm_object *super_descr_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    (void)type;
    if (!obj || obj == PM_NONE || SU(self)->obj) return pm_newref(rt, self);
    return pm_super_new(rt, SU(self)->type, obj);
}

static pm_object *get_field(pm_runtime *rt, pm_object *v) { return pm_newref(rt, v ? v : PM_NONE); }
static pm_object *super_get_thisclass(pm_runtime *rt, pm_object *s, void *c) {
    (void)c;
    return get_field(rt, SU(s)->type);
}
static pm_object *super_get_self(pm_runtime *rt, pm_object *s, void *c) {
    (void)c;
    return get_field(rt, SU(s)->obj);
}
static pm_object *super_get_self_class(pm_runtime *rt, pm_object *s, void *c) {
    (void)c;
    return get_field(rt, SU(s)->obj_type);
}

static const pm_getset_def super_getset[] = {
    {"__thisclass__", super_get_thisclass, NULL, "the class invoking super()", NULL},
    {"__self__", super_get_self, NULL, "the instance invoking super(); may be None", NULL},
    {"__self_class__", super_get_self_class, NULL, "the type of the instance invoking super(); may be None", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const pm_type pm_super_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "super",
    .basicsize = sizeof(superobject),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,      /* not subclassable here (yet) */
    .base = &pm_object_type,
    .dealloc = super_dealloc,
    .traverse = super_traverse,
    .clear = super_clear,
    .repr = super_repr,
    .hash = pmi_object_hash,
    .getattr = super_getattro,
    .descr_get = super_descr_get,
    .new_object = super_new,
    .getset = super_getset,
};
