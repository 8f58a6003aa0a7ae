/*
 * genericalias.c — list[int]: types.GenericAlias, and subscripting a class
 * (PEP 560's __class_getitem__).  CPython 3.11's Objects/genericaliasobject.c
 * and the type branch of PyObject_GetItem, reduced to what the object model
 * needs: no type variables (__parameters__ is always ()), no starred
 * aliases.
 *
 * Purpose
 *   pm_getitem(cls, key) on a class that has no item slot comes here
 *   (pmi_class_getitem): the built-in generic containers (type, tuple,
 *   list, dict, set, frozenset) answer with GenericAlias(cls, key); a class
 *   answers through its __class_getitem__ (an implicit classmethod: class
 *   creation wraps a plain function, objects/heaptype.c); any other class
 *   is "type 'C' is not subscriptable".
 *
 *     list[int] --> GenericAlias { origin = list, args = (int,) }
 *       repr                 "list[int]"  (a class outside builtins with its
 *                                          module: "list[__main__.C]")
 *       call                 list(...)  (then __orig_class__, if settable)
 *       other attributes     list's (list[int].__name__ == 'list')
 *       class C(list[int])   __mro_entries__ gives (list,)
 *       isinstance(x, list[int])   TypeError
 *
 * Invariants: an alias owns its origin and its args tuple (never NULL);
 * it is a gc object (both may lead back to it).
 */
#include "objects/genericalias.h"
#include "objects/containers.h"

#include <stddef.h>

typedef struct pmi_galias {
    pm_object ob_base;              /* header (types.GenericAlias, gc) */
    pm_object *origin;              /* the subscripted class (strong) */
    pm_object *args;                /* the subscript as a tuple (strong) */
} pmi_galias;

#define GA(o) ((pmi_galias *)(void *)(o))

static pm_object *galias_make(pm_runtime *rt, pm_object *origin, pm_object *key) {
    pm_object *args = pm_tuple_check(key) ? pm_newref(rt, key) : pm_tuple_pack(rt, 1, key);
    if (!args) return NULL;
    pm_object *o = pmi_gc_new(rt, &pmi_galias_type);
    if (!o) {
        pm_decref(rt, args);
        return NULL;
    }
    GA(o)->origin = pm_newref(rt, origin);
    GA(o)->args = args;
    pmi_gc_track(rt, o);
    return o;
}

/* The built-in types whose __class_getitem__ makes an alias. */
static int generic_builtin(const pm_type *t) {
    return t == &pm_type_type || t == &pm_tuple_type || t == &pm_list_type || t == &pm_dict_type ||
           t == &pm_set_type || t == &pm_frozenset_type;
}

pm_object *pmi_class_getitem(pm_runtime *rt, pm_object *cls, pm_object *key) {
    const pm_type *t = (const pm_type *)cls;
    if (generic_builtin(t)) return galias_make(rt, cls, key);
    /* a class's own __class_getitem__ (on its MRO), bound to the class */
    pm_object *n = pm_str_intern_cstr(rt, "__class_getitem__");
    if (!n) return NULL;
    pm_object *f = pm_type_lookup(rt, t, n);
    pm_decref(rt, n);
    if (f) {
        pm_incref(rt, f);
        pm_object *meth = f->ob_type->descr_get ? f->ob_type->descr_get(rt, f, NULL, cls) : pm_newref(rt, f);
        pm_decref(rt, f);
        if (!meth) return NULL;
        pm_object *r = pm_call(rt, meth, &key, 1, NULL);
        pm_decref(rt, meth);
        return r;
    }
    if (pm_err_occurred(rt)) return NULL;
    /* inherited from a built-in generic: an alias of the class itself */
    for (const pm_type *b = t->base; b; b = b->base)
        if (generic_builtin(b)) return galias_make(rt, cls, key);
    pm_err_format(rt, PM_EXC_TypeError, "type '%.200s' is not subscriptable", t->name);
    return NULL;
}

/* ---- the type's hooks ------------------------------------------------------ */

static void galias_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, GA(self)->origin);
    PM_CLEAR(rt, GA(self)->args);
    pmi_object_free(rt, self);
}

static int galias_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    int r;
    if (GA(self)->origin && (r = visit(GA(self)->origin, arg))) return r;
    if (GA(self)->args && (r = visit(GA(self)->args, arg))) return r;
    return 0;
}

static int galias_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, GA(self)->origin);
    PM_CLEAR(rt, GA(self)->args);
    return 0;
}

/* getattr(o, name) as a new ref; NULL with no error when absent. */
static pm_object *opt_attr(pm_runtime *rt, pm_object *o, const char *name) {
    pm_object *r = pm_getattr_cstr(rt, o, name);
    if (!r && pm_err_matches(rt, PM_EXC_AttributeError)) pm_err_clear(rt);
    return r;
}

/* One item of the repr (CPython's ga_repr_item): '...' for Ellipsis, a
 * nested alias's repr, module.qualname of a class (qualname alone in
 * builtins), repr() of anything else.  0 / -1. */
static int repr_item(pm_runtime *rt, pmi_sb *sb, pm_object *p) {
    if (p == PM_ELLIPSIS) {
        pmi_sb_puts(rt, sb, "...");
        return 0;
    }
    pm_object *q = NULL, *m = NULL, *r = NULL;
    int rc = -1;
    pm_object *o = opt_attr(rt, p, "__origin__"), *a = o ? opt_attr(rt, p, "__args__") : NULL;
    pm_xdecref(rt, o);
    pm_xdecref(rt, a);
    if (pm_err_occurred(rt)) return -1;
    if (!(o && a)) {
        q = opt_attr(rt, p, "__qualname__");
        m = q ? opt_attr(rt, p, "__module__") : NULL;
        if (pm_err_occurred(rt)) goto done;
    }
    if (q && m && pm_str_check(q) && pm_str_check(m)) {
        if (!pm_str_equal_cstr(m, "builtins")) {
            pmi_sb_put_str(rt, sb, m);
            pmi_sb_puts(rt, sb, ".");
        }
        pmi_sb_put_str(rt, sb, q);
        rc = 0;
        goto done;
    }
    r = pm_repr(rt, p);
    if (!r) goto done;
    pmi_sb_put_str(rt, sb, r);
    rc = 0;
done:
    pm_xdecref(rt, q);
    pm_xdecref(rt, m);
    pm_xdecref(rt, r);
    return rc;
}

static pm_object *galias_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pm_object *args = GA(self)->args;
    pm_ssize_t n = pm_tuple_size(args);
    if (repr_item(rt, &sb, GA(self)->origin) < 0) goto fail;
    pmi_sb_puts(rt, &sb, "[");
    if (n == 0) pmi_sb_puts(rt, &sb, "()");
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *p = pm_tuple_get(rt, args, i);
        if (i) pmi_sb_puts(rt, &sb, ", ");
        if (pm_list_check(p)) {
            /* Callable[[int, str], T]'s argument list */
            pmi_sb_puts(rt, &sb, "[");
            for (pm_ssize_t j = 0; j < pm_list_size(p); j++) {
                if (j) pmi_sb_puts(rt, &sb, ", ");
                if (repr_item(rt, &sb, pm_list_get(rt, p, j)) < 0) goto fail;
            }
            pmi_sb_puts(rt, &sb, "]");
        } else if (repr_item(rt, &sb, p) < 0) {
            goto fail;
        }
    }
    pmi_sb_puts(rt, &sb, "]");
    return pmi_sb_finish(rt, &sb);
fail:
    pmi_sb_discard(rt, &sb);
    return NULL;
}

static pm_hash_t galias_hash(pm_runtime *rt, pm_object *self) {
    pm_hash_t a = pm_hash(rt, GA(self)->origin);
    if (a == -1) return -1;
    pm_hash_t b = pm_hash(rt, GA(self)->args);
    if (b == -1) return -1;
    pm_hash_t h = a ^ b;
    return h == -1 ? -2 : h;
}

static pm_object *galias_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (b->ob_type != &pmi_galias_type || (op != PM_EQ && op != PM_NE)) return PM_NOTIMPLEMENTED;
    int eq = pm_richcompare_bool(rt, GA(a)->origin, GA(b)->origin, PM_EQ);
    if (eq < 0) return NULL;
    if (eq) eq = pm_richcompare_bool(rt, GA(a)->args, GA(b)->args, PM_EQ);
    if (eq < 0) return NULL;
    return pm_bool_from(op == PM_EQ ? eq : !eq);
}

/* list[int](...) is list(...), marked with __orig_class__ when the result
 * takes attributes. */
static pm_object *galias_call(pm_runtime *rt, pm_object *self, pm_object *const *args, size_t nargsf,
                              pm_object *kwnames) {
    pm_object *r = pm_call(rt, GA(self)->origin, args, nargsf, kwnames);
    if (!r) return NULL;
    pm_object *n = pm_str_intern_cstr(rt, "__orig_class__");
    int sr = n ? pm_setattr(rt, r, n, self) : -1;
    pm_xdecref(rt, n);
    if (sr < 0) {
        if (!pm_err_matches(rt, PM_EXC_AttributeError) && !pm_err_matches(rt, PM_EXC_TypeError)) {
            pm_decref(rt, r);
            return NULL;
        }
        pm_err_clear(rt);
    }
    return r;
}

/* The alias's own attributes; every other name is the origin's. */
static const char *const own_attrs[] = {
    "__class__", "__origin__", "__args__", "__unpacked__", "__parameters__", "__typing_unpacked_tuple_args__",
    "__mro_entries__", "__reduce_ex__", "__reduce__", "__copy__", "__deepcopy__", "__instancecheck__",
    "__subclasscheck__", NULL,
};

static pm_object *galias_getattr(pm_runtime *rt, pm_object *self, pm_object *name) {
    if (pm_str_check(name)) {
        int own = 0;
        for (const char *const *p = own_attrs; *p && !own; p++) own = pm_str_equal_cstr(name, *p);
        if (!own) return pm_getattr(rt, GA(self)->origin, name);
    }
    return pm_object_generic_getattr(rt, self, name);
}

static pm_object *galias_getitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    (void)key;
    pm_object *r = galias_repr(rt, self);
    if (!r) return NULL;
    const char *s = pm_str_as_utf8(rt, r, NULL);
    if (s) pm_err_format(rt, PM_EXC_TypeError, "%s is not a generic class", s);
    pm_decref(rt, r);
    return NULL;
}

static pm_object *galias_mro_entries(pm_runtime *rt, pm_object *self, pm_object *bases) {
    (void)bases;
    return pm_tuple_pack(rt, 1, GA(self)->origin);
}

static pm_object *galias_instancecheck(pm_runtime *rt, pm_object *self, pm_object *o) {
    (void)self;
    (void)o;
    pm_err_set(rt, PM_EXC_TypeError, "isinstance() argument 2 cannot be a parameterized generic");
    return NULL;
}

static pm_object *galias_subclasscheck(pm_runtime *rt, pm_object *self, pm_object *o) {
    (void)self;
    (void)o;
    pm_err_set(rt, PM_EXC_TypeError, "issubclass() argument 2 cannot be a parameterized generic");
    return NULL;
}

/* GenericAlias(origin, args) */
static pm_object *galias_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)type;
    if (kwargs && pm_dict_size(kwargs)) {
        pm_err_set(rt, PM_EXC_TypeError, "GenericAlias() takes no keyword arguments");
        return NULL;
    }
    pm_ssize_t n = pm_tuple_size(args);
    if (n != 2) {
        pm_err_format(rt, PM_EXC_TypeError, "GenericAlias expected 2 arguments, got %zd", n);
        return NULL;
    }
    return galias_make(rt, pm_tuple_get(rt, args, 0), pm_tuple_get(rt, args, 1));
}

static const pm_member_def galias_members[] = {
    {"__origin__", PM_T_OBJECT, offsetof(pmi_galias, origin), PM_READONLY, NULL},
    {"__args__", PM_T_OBJECT, offsetof(pmi_galias, args), PM_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static pm_object *galias_parameters(pm_runtime *rt, pm_object *self, void *closure) {
    (void)self;
    (void)closure;
    return pm_tuple_from_array(rt, NULL, 0);
}

static const pm_getset_def galias_getset[] = {
    {"__parameters__", galias_parameters, NULL, "Type variables in the GenericAlias.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const pm_method_def galias_methods[] = {
    {"__mro_entries__", galias_mro_entries, PM_METH_O, NULL},
    {"__instancecheck__", galias_instancecheck, PM_METH_O, NULL},
    {"__subclasscheck__", galias_subclasscheck, PM_METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static const pm_mapping_methods galias_as_mapping = {
    .mp_subscript = galias_getitem,
};

const pm_type pmi_galias_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "types.GenericAlias",
    .basicsize = sizeof(pmi_galias),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_IMMUTABLE,
    .base = &pm_object_type,
    .dealloc = galias_dealloc,
    .traverse = galias_traverse,
    .clear = galias_clear,
    .repr = galias_repr,
    .hash = galias_hash,
    .richcompare = galias_richcompare,
    .call = galias_call,
    .getattr = galias_getattr,
    .as_mapping = &galias_as_mapping,
    .members = galias_members,
    .getset = galias_getset,
    .methods = galias_methods,
    .new_object = galias_new,
};
