/*
 * type.c — type objects: `type` and `object`, the per-runtime state of every
 * type (__dict__, __bases__, __mro__, version tag), lookup along the MRO
 * through the method cache, C3, type.__getattribute__ / __setattr__ /
 * __call__, object.__new__ / __init__, and the immortal singletons None and
 * NotImplemented.  CPython's Objects/typeobject.c (the parts that exist
 * before classes do).
 *
 * Static types are `const pm_type` values in read-only memory, shared by
 * every runtime in the process.  Their header carries PM_IMMORTAL_REFCNT,
 * which pm_incref/pm_decref test before touching the count, so nothing ever
 * writes to them: runtimes on different threads never race, and a stray
 * write would fault instead of corrupting silently.  None, NotImplemented,
 * True and False (objects/int.c, as bool is an int subtype) are immortal statics for the same reason;
 * CPython 3.12 made them immortal too (PEP 683).
 *
 *   pm_type_type  <-ob_type-  pm_int_type, pm_str_type, ... (every type)
 *   pm_object_type  <-base-  every static type's chain ends here
 *
 * Per-runtime state.  What Python code can observe changing about a type
 * is kept out of the const struct, in rt->types:
 *
 *   rt->types.tab  (open addressing by type address)
 *     ├─> pmi_typestate { type, dict, bases, mro, version }   int
 *     ├─> pmi_typestate { ... }                               list
 *     ...          records made on first use, freed by pmi_types_fini
 *   rt->types.mcache[4096]  { version, name (owned), value (borrowed) }
 *
 * A record's dict is made on first use and filled from the type's method /
 * member / getset tables (objects/descrobject.c); __mro__ of a static type
 * is its base chain, __bases__ its one base.  States of a record: empty →
 * (dict / bases / mro each made when first asked) → freed at teardown.  A
 * failed step leaves the record as it was, so the next call retries.
 *
 * The method cache.  pm_type_lookup hashes (version tag, name address);
 * an entry whose version and name match is the answer (a borrowed value,
 * or NULL for "not defined"), so a hit allocates nothing and reads no dict.
 * A version is handed out from rt->types.next_version on a type's first
 * cached lookup; pm_type_modified sets it back to 0 (a new one comes with
 * the next lookup) and invalidates every entry: a subclass's entries
 * depend on its bases, and this file does not walk subclasses (heaptype.c
 * keeps a class's subclasses, for its slot updates only).  Entries are never trusted across versions, and versions
 * are never reused (when they run out, lookups stop being cached).
 *
 * Heap types: the runtime classes of objects/instance.c have no record
 * (their metatype is not `type`); lookups walk their base chain to
 * `object` uncached.  Classes built from a namespace will embed their
 * record and their own protocol tables (CPython's PyHeapTypeObject).
 *
 * CPython behaviour mirrored: _PyType_Lookup and the MCACHE (4096 entries),
 * type_getattro's order (metatype data descriptors, the type's MRO with
 * descr_get(NULL, type), metatype attributes), "cannot set 'x' attribute of
 * immutable type 'int'", mro_implementation / set_mro_error's texts
 * ("Cannot create a consistent method resolution\norder (MRO) for bases A,
 * B", "duplicate base class A"), type_call, object_new / object_init.
 */
#include "core/object.h"
#include "objects/descr.h"
#include "objects/heaptype.h"
#include "objects/containers.h"
#include "core/recursion.h"
#include "objects/typenew.h"
#include "objects/instattr.h"
#include "objects/genericalias.h"
#include "gc/gc.h"
#include "objects/subvalue.h"
#include "core/lookup.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

/* ---- object ------------------------------------------------------------- */

static pm_object *type_get_module(pm_runtime *rt, pm_object *self, void *closure);

/* "<module.Qualname object at 0x...>" for a class outside builtins (its
 * __module__ and __qualname__, as CPython's object_repr), else the type's
 * name, which for a static type already carries its module. */
static pm_object *object_repr(pm_runtime *rt, pm_object *self) {
    const pm_type *t = self->ob_type;
    pmi_sb sb;
    pmi_sb_init(&sb);
    pm_object *mod = pmi_is_heaptype(t) ? type_get_module(rt, pm_type_as_object(t), NULL) : NULL;
    if (pmi_is_heaptype(t) && !mod) return NULL;
    if (mod && pm_str_check(mod) && !pm_str_equal_cstr(mod, "builtins")) {
        pmi_sb_puts(rt, &sb, "<");
        pmi_sb_put_str(rt, &sb, mod);
        pmi_sb_puts(rt, &sb, ".");
        pmi_sb_put_str(rt, &sb, PMI_HT(t)->ht_qualname);
        pmi_sb_printf(rt, &sb, " object at %p>", (void *)self);
    } else {
        pmi_sb_printf(rt, &sb, "<%s object at %p>", t->name, (void *)self);
    }
    pm_xdecref(rt, mod);
    return pmi_sb_finish(rt, &sb);
}

pm_hash_t pmi_object_hash(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return pmi_hash_pointer(self);
}
#define object_hash pmi_object_hash

/* object's default comparison: == is identity; != inverts the type's own
 * == (object.__ne__ called on a class that defines __eq__). */
static pm_object *object_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (op == PM_EQ) return a == b ? PM_TRUE : PM_NOTIMPLEMENTED;
    if (op == PM_NE) {
        pm_object *(*eq)(pm_runtime *, pm_object *, pm_object *, int) = a->ob_type->richcompare;
        if (!eq || eq == object_richcompare) return a == b ? PM_FALSE : PM_NOTIMPLEMENTED;
        pm_object *r = eq(rt, a, b, PM_EQ);
        if (!r || r == PM_NOTIMPLEMENTED) return r;
        int t = pm_is_true(rt, r);
        pm_decref(rt, r);
        return t < 0 ? NULL : pm_bool_from(!t);
    }
    return PM_NOTIMPLEMENTED;
}

/* ---- object.__new__ / object.__init__ (CPython's excess-argument rules) --- */

static int object_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs);
static pm_object *object_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);

static int excess_args(pm_object *args, pm_object *kwargs) {
    return (args && pm_tuple_size(args)) || (kwargs && pm_dict_size(kwargs));
}

/* A type whose __init__ is object's (NULL counts as object's). */
static int init_is_object(const pm_type *t) { return !t->init || t->init == object_init; }

static int object_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    const pm_type *type = self->ob_type;
    if (!excess_args(args, kwargs)) return 0;
    if (!init_is_object(type)) {
        pm_err_set(rt, PM_EXC_TypeError, "object.__init__() takes exactly one argument (the instance to initialize)");
        return -1;
    }
    if (type->new_object == object_new) {
        pm_err_format(rt, PM_EXC_TypeError,
                      "%.200s.__init__() takes exactly one argument (the instance to initialize)", type->name);
        return -1;
    }
    return 0;
}

static pm_object *object_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    if (excess_args(args, kwargs)) {
        if (type->new_object != object_new) {
            pm_err_set(rt, PM_EXC_TypeError, "object.__new__() takes exactly one argument (the type to instantiate)");
            return NULL;
        }
        if (init_is_object(type)) {
            pm_err_format(rt, PM_EXC_TypeError, "%.200s() takes no arguments", type->name);
            return NULL;
        }
    }
    if (!(type->flags & PM_TPFLAGS_GC)) return pmi_object_new(rt, type);
    pm_object *o = pmi_gc_new(rt, type);
    if (o && pmi_inst_init_values(rt, o) < 0) {     /* objects/instattr.c */
        pm_decref(rt, o);
        return NULL;
    }
    if (o) pmi_gc_track(rt, o);
    return o;
}

/* object.__class__ (assignment: objects/setclass.c). */
static pm_object *object_get_class(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    return pm_newref(rt, pm_type_as_object(self->ob_type));
}

/* object.__init_subclass__(): a classmethod that accepts no keywords (the
 * end of every super().__init_subclass__(**kw) chain). */
static pm_object *object_init_subclass(pm_runtime *rt, pm_object *cls, pm_object *const *args, pm_ssize_t nargs,
                                       pm_object *kwnames) {
    (void)args;
    if (kwnames && pm_tuple_size(kwnames)) {
        pm_object *q = pm_getattr_cstr(rt, cls, "__qualname__");
        const char *s = q && pm_str_check(q) ? pm_str_as_utf8(rt, q, NULL) : NULL;
        pm_err_clear(rt);
        pm_err_format(rt, PM_EXC_TypeError, "%s.__init_subclass__() takes no keyword arguments",
                      s ? s : ((const pm_type *)cls)->name);
        pm_xdecref(rt, q);
        return NULL;
    }
    if (nargs) {
        pm_err_format(rt, PM_EXC_TypeError, "%s.__init_subclass__() takes no arguments (%zd given)",
                      ((const pm_type *)cls)->name, nargs);
        return NULL;
    }
    return pm_newref(rt, PM_NONE);
}

/* object.__sizeof__(): sys.getsizeof without what CPython adds outside
 * __sizeof__ — the gc head and, for instances with inline values, the two
 * pre-header words of the managed dict.  Right wherever getsizeof is. */
size_t pm_type_preheader_size(const pm_type *t) {
    return ((t->flags & PM_TPFLAGS_GC) ? sizeof(pm_gc_head) : 0) +
           (pmi_inst_cached_keys(t) ? 2 * sizeof(pm_object *) : 0);
}

static pm_object *object_sizeof(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    const pm_type *t = pm_type_of(self);
    if (pmi_is_heaptype(t) && PMI_HT(t)->static_base == &pm_object_type && !t->itemsize)
        /* a class over object: what the general path below comes to
         * (subtype_size_of gives basicsize; the gc head added, then taken
         * off), without the walk */
        return pm_int_from_ssize(rt, t->basicsize - (pmi_inst_cached_keys(t) ? 2 * (pm_ssize_t)sizeof(pm_object *) : 0));
    return pm_int_from_ssize(rt, (pm_ssize_t)(pm_getsizeof(rt, self) - pm_type_preheader_size(t)));
}

/* CPython's merge_class_dict: the keys of cls.__dict__, then of each of
 * cls.__bases__ (depth first), into dict d; attributes read through
 * getattr, as CPython reads them.  0 / -1. */
static int merge_class_dict(pm_runtime *rt, pm_object *d, pm_object *cls) {
    pm_object *name = pm_str_intern_cstr(rt, "__dict__"), *cd = NULL, *bases = NULL;
    int rc = -1;
    if (!name) return -1;
    int found = pm_getattr_opt(rt, cls, name, &cd);
    pm_decref(rt, name);
    if (found < 0) goto done;
    if (found) {        /* PyDict_Update: a dict, or a mapping such as a class's proxy */
        int merged = pm_dict_check(cd) ? pm_dict_update(rt, d, cd) : pmi_dict_update_mapping(rt, d, cd);
        if (merged == 0 && !pm_dict_check(cd)) {
            pm_err_format(rt, PM_EXC_AttributeError, "'%.100s' object has no attribute 'keys'",
                          pm_type_name(pm_type_of(cd)));
            merged = -1;
        }
        if (merged < 0) goto done;
    }
    if (!(name = pm_str_intern_cstr(rt, "__bases__"))) goto done;
    found = pm_getattr_opt(rt, cls, name, &bases);
    pm_decref(rt, name);
    if (found < 0) goto done;
    if (found) {
        if (!pm_tuple_check(bases)) {
            pm_err_set(rt, PM_EXC_SystemError, "bad argument to internal function");
            goto done;
        }
        for (pm_ssize_t i = 0; i < pm_tuple_size(bases); i++) {
            /* a __bases__ property may make the walk endless */
            if (pmi_recursion_enter(rt, "") < 0) goto done;
            int merged = merge_class_dict(rt, d, pm_tuple_get(rt, bases, i));
            pmi_recursion_leave(rt);
            if (merged < 0) goto done;
        }
    }
    rc = 0;
done:
    pm_xdecref(rt, cd);
    pm_xdecref(rt, bases);
    return rc;
}

/* object.__dir__(): the instance's __dict__ keys (a copy), then its
 * class's and their bases' names, in a list (dir() sorts it). */
static pm_object *object_dir(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *name = pm_str_intern_cstr(rt, "__dict__"), *d = NULL, *cls = NULL, *r = NULL;
    if (!name) return NULL;
    int found = pm_getattr_opt(rt, self, name, &d);
    pm_decref(rt, name);
    if (found < 0) return NULL;
    if (found && pm_dict_check(d)) {
        pm_object *copy = pm_dict_copy(rt, d);
        pm_decref(rt, d);
        d = copy;
    } else {
        pm_xdecref(rt, d);
        d = pm_dict_new(rt);
    }
    if (!d || !(name = pm_str_intern_cstr(rt, "__class__"))) goto done;
    found = pm_getattr_opt(rt, self, name, &cls);
    pm_decref(rt, name);
    if (found < 0 || (found && merge_class_dict(rt, d, cls) < 0)) goto done;
    r = pm_dict_keys(rt, d);
done:
    pm_xdecref(rt, d);
    pm_xdecref(rt, cls);
    return r;
}

static const pm_method_def object_methods[] = {
    {"__sizeof__", object_sizeof, PM_METH_NOARGS, "Size of object in memory, in bytes."},
    {"__dir__", object_dir, PM_METH_NOARGS, "Default dir() implementation."},
    {"__init_subclass__", (pm_cfunction)(void (*)(void))object_init_subclass,
     PM_METH_FASTCALL | PM_METH_KEYWORDS | PM_METH_CLASS,
     "This method is called when a class is subclassed."},
    {NULL, NULL, 0, NULL},
};

static const pm_getset_def object_getset[] = {
    {"__class__", object_get_class, pmi_object_set_class, "the object's class", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const pm_type pm_object_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "object",
    .basicsize = sizeof(pm_object),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_BASETYPE,
    .repr = object_repr,
    .hash = object_hash,
    .richcompare = object_richcompare,
    .getset = object_getset,
    .methods = object_methods,
    .new_object = object_new,
    .init = object_init,
};

pm_object *pm_object_new(pm_runtime *rt) {
    return pmi_object_new(rt, &pm_object_type);
}

/* ---- type ---------------------------------------------------------------- */

/* "<class 'int'>"; a class: "<class 'module.Qualname'>" ("<class
 * 'Name'>" in builtins). */
static pm_object *type_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    const pm_type *t = (const pm_type *)self;
    if (!pmi_is_heaptype(t)) {
        pmi_sb_printf(rt, &sb, "<class '%s'>", t->name);
        return pmi_sb_finish(rt, &sb);
    }
    pm_object *mod = type_get_module(rt, self, NULL);
    if (!mod) return NULL;
    pmi_sb_puts(rt, &sb, "<class '");
    if (pm_str_check(mod) && !pm_str_equal_cstr(mod, "builtins")) {
        pmi_sb_put_str(rt, &sb, mod);
        pmi_sb_puts(rt, &sb, ".");
        pmi_sb_put_str(rt, &sb, PMI_HT(t)->ht_qualname);
    } else {
        pmi_sb_puts(rt, &sb, t->name);      /* CPython: tp_name for builtins */
    }
    pmi_sb_puts(rt, &sb, "'>");
    pm_decref(rt, mod);
    return pmi_sb_finish(rt, &sb);
}

static size_t type_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return pmi_is_heaptype((const pm_type *)self) ? sizeof(pmi_heaptype) : sizeof(pm_type);
}

static pm_object *type_getattro(pm_runtime *rt, pm_object *self, pm_object *name);
static int type_setattro(pm_runtime *rt, pm_object *self, pm_object *name, pm_object *value);

/* ---- type's attributes: __name__, __qualname__, __module__, __mro__,
 * __bases__, __base__ (getset) and the layout numbers (members) ---------- */

#define TYPE_OF(self) ((const pm_type *)(self))

static pm_object *type_get_name(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    if (pmi_is_heaptype(TYPE_OF(self))) return pm_newref(rt, PMI_HT(self)->ht_name);
    return pm_str_from_cstr(rt, pm_type_name(TYPE_OF(self)));
}

static pm_object *type_get_qualname(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    if (pmi_is_heaptype(TYPE_OF(self))) return pm_newref(rt, PMI_HT(self)->ht_qualname);
    return pm_str_from_cstr(rt, pm_type_name(TYPE_OF(self)));
}

/* Assigning __name__ / __qualname__ of a class (static types refuse:
 * "cannot set '__name__' attribute of immutable type 'int'"). */
static int check_set_special(pm_runtime *rt, pm_object *self, pm_object *value, const char *what) {
    if (!pmi_is_heaptype(TYPE_OF(self))) {
        pm_err_format(rt, PM_EXC_TypeError, "cannot set '%s' attribute of immutable type '%s'", what,
                      TYPE_OF(self)->name);
        return -1;
    }
    if (!value) {
        pm_err_format(rt, PM_EXC_TypeError, "cannot delete '%s' attribute of immutable type '%s'", what,
                      TYPE_OF(self)->name);
        return -1;
    }
    return 0;
}

static int type_set_name(pm_runtime *rt, pm_object *self, pm_object *value, void *closure) {
    (void)closure;
    if (check_set_special(rt, self, value, "__name__") < 0) return -1;
    if (!pm_str_check(value)) {
        pm_err_format(rt, PM_EXC_TypeError, "can only assign string to %s.__name__, not '%s'",
                      TYPE_OF(self)->name, value->ob_type->name);
        return -1;
    }
    pm_ssize_t n;
    const char *u = pm_str_as_utf8(rt, value, &n);
    if (!u) return -1;
    if ((size_t)n != strlen(u)) {
        pm_err_set(rt, PM_EXC_ValueError, "type name must not contain null characters");
        return -1;
    }
    char *copy = pm_malloc(rt, (size_t)n + 1);
    if (!copy) {
        pm_err_nomem(rt);
        return -1;
    }
    memcpy(copy, u, (size_t)n + 1);
    pmi_heaptype *ht = PMI_HT(self);
    pm_free(rt, ht->name_utf8);
    ht->name_utf8 = copy;
    ht->type.name = copy;
    pm_object *old = ht->ht_name;
    ht->ht_name = pm_newref(rt, value);
    pm_decref(rt, old);
    return 0;
}

static int type_set_qualname(pm_runtime *rt, pm_object *self, pm_object *value, void *closure) {
    (void)closure;
    if (check_set_special(rt, self, value, "__qualname__") < 0) return -1;
    if (!pm_str_check(value)) {
        pm_err_format(rt, PM_EXC_TypeError, "can only assign string to %s.__qualname__, not '%s'",
                      TYPE_OF(self)->name, value->ob_type->name);
        return -1;
    }
    pmi_heaptype *ht = PMI_HT(self);
    pm_object *old = ht->ht_qualname;
    ht->ht_qualname = pm_newref(rt, value);
    pm_decref(rt, old);
    return 0;
}

/* A class's __dict__ entry (BORROWED) or NULL. */
static pm_object *heap_dict_item(pm_runtime *rt, pm_object *self, const char *key) {
    pm_object *d = PMI_HT(self)->state.dict;
    if (!d) return NULL;
    pm_object *k = pm_str_intern_cstr(rt, key);
    if (!k) return NULL;
    pm_object *v = pm_dict_get(rt, d, k);
    pm_decref(rt, k);
    return v;
}

/* type.__doc__: a class's dict entry (None when absent), a static type's
 * doc string. */
static pm_object *type_get_doc(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    if (pmi_is_heaptype(TYPE_OF(self))) {
        pm_object *v = heap_dict_item(rt, self, "__doc__");
        if (!v && pm_err_occurred(rt)) return NULL;
        if (v && v->ob_type->descr_get) return v->ob_type->descr_get(rt, v, NULL, self);
        return pm_newref(rt, v ? v : PM_NONE);
    }
    const char *doc = TYPE_OF(self)->doc;
    return doc ? pm_str_from_cstr(rt, doc) : pm_newref(rt, PM_NONE);
}

/* type.__dict__: a read-only mappingproxy of the type's dict, as CPython's. */
static pm_object *type_get_dict(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    pm_object *d = pm_type_dict(rt, TYPE_OF(self));
    return d ? pm_mappingproxy_new(rt, d) : NULL;
}

/* A static type named "module.name" is in that module, else in builtins;
 * a class's __module__ is its dict's entry. */
static pm_object *type_get_module(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    if (pmi_is_heaptype(TYPE_OF(self))) {
        pm_object *v = heap_dict_item(rt, self, "__module__");
        if (v) return pm_newref(rt, v);
        if (pm_err_occurred(rt)) return NULL;
        return pm_str_from_cstr(rt, "builtins");
    }
    const char *name = TYPE_OF(self)->name, *dot = strrchr(name, '.');
    if (!dot || (TYPE_OF(self)->flags & PM_TPFLAGS_HEAPTYPE)) return pm_str_from_cstr(rt, "builtins");
    return pm_str_from_utf8(rt, name, dot - name);
}

static pm_object *type_get_mro(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    pm_object *m = pm_type_mro(rt, TYPE_OF(self));
    return m ? pm_newref(rt, m) : NULL;
}

static pm_object *type_get_bases(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    pm_object *b = pm_type_bases(rt, TYPE_OF(self));
    return b ? pm_newref(rt, b) : NULL;
}

static int type_set_module(pm_runtime *rt, pm_object *self, pm_object *value, void *closure) {
    (void)closure;
    if (check_set_special(rt, self, value, "__module__") < 0) return -1;
    pm_object *k = pm_str_intern_cstr(rt, "__module__");
    if (!k) return -1;
    int r = pm_dict_set(rt, PMI_HT(self)->state.dict, k, value);
    pm_decref(rt, k);
    pm_type_modified(rt, TYPE_OF(self));
    return r;
}

static pm_object *type_get_base(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    const pm_type *b = TYPE_OF(self)->base;
    return pm_newref(rt, b ? pm_type_as_object(b) : PM_NONE);
}

/* type.__call__: type(x) is x's type; T(*args, **kw) is T.__new__ then,
 * for an instance of T, T.__init__ (CPython's type_call). */
static pm_object *type_call(pm_runtime *rt, pm_object *callable, pm_object *const *args, size_t nargsf,
                            pm_object *kwnames) {
    const pm_type *type = TYPE_OF(callable);
    pm_ssize_t nargs = pm_vectorcall_nargs(nargsf), nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (type == &pm_type_type) {
        if (nargs == 1 && nkw == 0) return pm_newref(rt, pm_type_as_object(args[0]->ob_type));
        if (nargs != 3) {
            pm_err_set(rt, PM_EXC_TypeError, "type() takes 1 or 3 arguments");
            return NULL;
        }
    }
    if ((!type->new_object && type != &pm_type_type) || (type->flags & PM_TPFLAGS_DISALLOW_INSTANTIATION)) {
        pm_err_format(rt, PM_EXC_TypeError, "cannot create '%s' instances", type->name);
        return NULL;
    }
    pm_object *targs = pm_tuple_from_array(rt, args, nargs), *kw = NULL, *obj = NULL;
    if (!targs) return NULL;
    if (nkw) {
        kw = pm_dict_new_presized(rt, nkw);
        if (!kw) goto done;
        for (pm_ssize_t i = 0; i < nkw; i++)
            if (pm_dict_set(rt, kw, pm_tuple_get(rt, kwnames, i), args[nargs + i]) < 0) goto done;
    }
    obj = type->new_object(rt, type, targs, kw);
    if (obj && pm_is_instance(obj, type) && obj->ob_type->init &&
        obj->ob_type->init(rt, obj, targs, kw) < 0)
        PM_CLEAR(rt, obj);
done:
    pm_xdecref(rt, kw);
    pm_decref(rt, targs);
    return obj;
}

/* type.__init__(cls, name, bases, ns, **kw): checks the count only (the
 * class is made by type.__new__). */
static int type_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    (void)self;
    pm_ssize_t n = pm_tuple_size(args);
    if (kwargs && n == 1 && pm_dict_size(kwargs)) {
        pm_err_set(rt, PM_EXC_TypeError, "type.__init__() takes no keyword arguments");
        return -1;
    }
    if (n != 1 && n != 3) {
        pm_err_set(rt, PM_EXC_TypeError, "type.__init__() takes 1 or 3 arguments");
        return -1;
    }
    return 0;
}

static int default_subclass(pm_runtime *rt, pm_object *derived, pm_object *cls);

/* type.mro(): a list of the C3 order (a class's __mro__ is made from it). */
static pm_object *type_mro_method(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *m = pm_type_mro(rt, TYPE_OF(self)), *l;
    if (!m) return NULL;
    l = pm_list_new(rt);
    for (pm_ssize_t i = 0, n = pm_tuple_size(m); l && i < n; i++)
        if (pm_list_append(rt, l, pm_tuple_get(rt, m, i)) < 0) PM_CLEAR(rt, l);
    return l;
}

static pm_object *type_subclasses_method(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pmi_heaptype_subclasses(rt, TYPE_OF(self));
}

/* type.__instancecheck__(cls, inst) / type.__subclasscheck__(cls, sub):
 * the default tests, for a metaclass's super() call. */
static pm_object *type_instancecheck(pm_runtime *rt, pm_object *self, pm_object *inst) {
    (void)rt;
    return pm_bool_from(pm_is_instance(inst, TYPE_OF(self)));
}

static pm_object *type_subclasscheck(pm_runtime *rt, pm_object *self, pm_object *sub) {
    int r = default_subclass(rt, sub, self);
    return r < 0 ? NULL : pm_bool_from(r);
}

/* type.__dir__(): the names of the class and of its bases, in a list. */
static pm_object *type_dir(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *d = pm_dict_new(rt), *r = NULL;
    if (d && merge_class_dict(rt, d, self) == 0) r = pm_dict_keys(rt, d);
    pm_xdecref(rt, d);
    return r;
}

static const pm_method_def type_methods[] = {
    {"__dir__", type_dir, PM_METH_NOARGS, "Specialized __dir__ implementation for types."},
    {"__instancecheck__", type_instancecheck, PM_METH_O, "Check if an object is an instance."},
    {"__subclasscheck__", type_subclasscheck, PM_METH_O, "Check if a class is a subclass."},
    {"mro", type_mro_method, PM_METH_NOARGS, "Return a type's method resolution order."},
    {"__subclasses__", type_subclasses_method, PM_METH_NOARGS, "Return a list of immediate subclasses."},
    {NULL, NULL, 0, NULL},
};

/* __basicsize__, __dictoffset__, __weakrefoffset__: CPython's figures
 * (objects/subvalue.c, "Reported layout"), not pymm's offsets */
static pm_object *type_get_layout(pm_runtime *rt, pm_object *self, void *closure) {
    pmi_type_layout l;
    pmi_type_reported_layout(TYPE_OF(self), &l);
    const char *which = closure;
    return pm_int_from_ssize(rt, which[0] == 'b' ? l.basicsize : which[0] == 'd' ? l.dictoffset : l.weakrefoffset);
}

static const pm_getset_def type_getset[] = {
    {"__name__", type_get_name, type_set_name, NULL, NULL},
    {"__qualname__", type_get_qualname, type_set_qualname, NULL, NULL},
    {"__module__", type_get_module, type_set_module, NULL, NULL},
    {"__doc__", type_get_doc, NULL, NULL, NULL},
    {"__dict__", type_get_dict, NULL, NULL, NULL},
    {"__mro__", type_get_mro, NULL, NULL, NULL},
    {"__bases__", type_get_bases, NULL, NULL, NULL},
    {"__base__", type_get_base, NULL, NULL, NULL},
    {"__basicsize__", type_get_layout, NULL, NULL, "b"},
    {"__dictoffset__", type_get_layout, NULL, NULL, "d"},
    {"__weakrefoffset__", type_get_layout, NULL, NULL, "w"},
    {NULL, NULL, NULL, NULL, NULL},
};

static const pm_member_def type_members[] = {
    {"__itemsize__", PM_T_PYSSIZET, offsetof(pm_type, itemsize), PM_READONLY, NULL},
    {"__flags__", PM_T_ULONG, offsetof(pm_type, flags), PM_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

const pm_type pm_type_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "type",
    .basicsize = sizeof(pm_type),
    /* GC for classes only: static types are never tracked and gc/gc.h's
     * pmi_is_gc treats a type object as gc only when it is a heap type */
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_TYPE_SUBCLASS | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .new_object = pmi_type_new,                 /* type.__new__ (objects/heaptype.c) */
    .init = type_init,
    .dealloc = pmi_heaptype_dealloc,
    .traverse = pmi_heaptype_traverse,
    .clear = pmi_heaptype_clear,
    .methods = type_methods,
    .size_of = type_size_of,
    .repr = type_repr,
    .hash = object_hash,
    .richcompare = object_richcompare,
    .getattr = type_getattro,
    .setattr = type_setattro,
    .getset = type_getset,
    .members = type_members,
    .call = type_call,
};

/* ---- None ---------------------------------------------------------------- */

static pm_object *none_repr(pm_runtime *rt, pm_object *self) {
    (void)self;
    return pmi_str_from_ascii(rt, "None", 4);
}

static int none_truth(pm_runtime *rt, pm_object *self) {
    (void)rt;
    (void)self;
    return 0;
}

static const pm_number_methods none_as_number = {
    .nb_bool = none_truth,
};

const pm_type pm_none_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "NoneType",
    .basicsize = sizeof(pm_object),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .repr = none_repr,
    .hash = object_hash,
    .richcompare = object_richcompare,
    .as_number = &none_as_number,
    .new_object = pmi_singleton_tp_new,
};

const pm_object pm_none_struct = PMI_STATIC_HEAD(&pm_none_type);

/* ---- NotImplemented ------------------------------------------------------ */

static pm_object *notimpl_repr(pm_runtime *rt, pm_object *self) {
    (void)self;
    return pmi_str_from_ascii(rt, "NotImplemented", 14);
}

const pm_type pm_notimplemented_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "NotImplementedType",
    .basicsize = sizeof(pm_object),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .repr = notimpl_repr,
    .hash = object_hash,
    .richcompare = object_richcompare,
    .new_object = pmi_singleton_tp_new,
};

const pm_object pm_notimplemented_struct = PMI_STATIC_HEAD(&pm_notimplemented_type);

/* ------------------------------------------------------------------------ */
/* Per-runtime state of a type: dict, bases, MRO, version tag                */
/* ------------------------------------------------------------------------ */

/* Heap types made by the class layer (core/typeobject work to come) embed
 * their state; the runtime classes of objects/instance.c have none: their
 * dict reads as empty and their lookups are not cached. */
static int has_state(const pm_type *t) {
    return !(t->flags & PM_TPFLAGS_HEAPTYPE) || pmi_is_heaptype(t);
}

static size_t ptr_slot(const pm_type *t, size_t mask) {
    uintptr_t h = (uintptr_t)t;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 7) & mask;
}

/* The existing record of t, or NULL. */
static pmi_typestate *state_find(pm_runtime *rt, const pm_type *t) {
    if (pmi_is_heaptype(t)) return &PMI_HT(t)->state;
    pmi_types_state *ts = &rt->types;
    if (!ts->tab) return NULL;
    for (size_t i = ptr_slot(t, ts->mask);; i = (i + 1) & ts->mask) {
        pmi_typestate *s = ts->tab[i];
        if (!s || s->type == t) return s;
    }
}

/* Double the table (or make it).  0 / -1 (no error set: the caller sets
 * MemoryError). */
static int state_grow(pm_runtime *rt) {
    pmi_types_state *ts = &rt->types;
    size_t cap = ts->tab ? (ts->mask + 1) * 2 : PMI_TYPESTATE_MINSIZE;
    pmi_typestate **tab = pm_calloc(rt, cap, sizeof *tab);
    if (!tab) return -1;
    if (ts->tab) {
        for (size_t i = 0; i <= ts->mask; i++) {
            pmi_typestate *s = ts->tab[i];
            if (!s) continue;
            size_t j = ptr_slot(s->type, cap - 1);
            while (tab[j]) j = (j + 1) & (cap - 1);
            tab[j] = s;
        }
        pm_free(rt, ts->tab);
    }
    ts->tab = tab;
    ts->mask = cap - 1;
    return 0;
}

/* The record of t, made (empty) on first use.  NULL + MemoryError; NULL
 * with no error for a type without state (objects/instance.c classes). */
pmi_typestate *pmi_type_state(pm_runtime *rt, const pm_type *t) {
    if (!has_state(t)) return NULL;
    pmi_typestate *s = state_find(rt, t);
    if (s) return s;
    if (pmi_is_heaptype(t)) return NULL;
    pmi_types_state *ts = &rt->types;
    if ((ts->used + 1) * 3 >= (ts->tab ? ts->mask + 1 : 0) * 2 && state_grow(rt) < 0)
        return pm_err_nomem(rt);
    s = pm_calloc(rt, 1, sizeof *s);
    if (!s) return pm_err_nomem(rt);
    s->type = t;
    size_t i = ptr_slot(t, ts->mask);
    while (ts->tab[i]) i = (i + 1) & ts->mask;
    ts->tab[i] = s;
    ts->used++;
    return s;
}

pm_object **pmi_type_weaklist(pm_runtime *rt, const pm_type *t, int make) {
    if (!has_state(t)) return NULL;
    pmi_typestate *s = make ? pmi_type_state(rt, t) : state_find(rt, t);
    return s ? &s->weaklist : NULL;
}

void pmi_types_fini(pm_runtime *rt) {
    pmi_types_state *ts = &rt->types;
    if (ts->mcache) {
        for (size_t i = 0; i < ((size_t)1 << PMI_MCACHE_SIZE_EXP); i++) PM_CLEAR(rt, ts->mcache[i].name);
        pm_free(rt, ts->mcache);
        ts->mcache = NULL;
    }
    if (ts->tab) {
        /* a dict's dealloc may run code that asks for a type's state again:
         * detach the table first, then free its records */
        pmi_typestate **tab = ts->tab;
        size_t cap = ts->mask + 1;
        ts->tab = NULL;
        ts->mask = ts->used = 0;
        for (size_t i = 0; i < cap; i++) {
            pmi_typestate *s = tab[i];
            if (!s) continue;
            pmi_weakref_detach_all(rt, &s->weaklist);   /* weakrefs outliving the state */
            PM_CLEAR(rt, s->dict);
            PM_CLEAR(rt, s->bases);
            PM_CLEAR(rt, s->mro);
            pm_free(rt, s);
        }
        pm_free(rt, tab);
        if (ts->tab) pmi_types_fini(rt);
    }
}

/* Fill a static type's new dict from its method / member / getset tables
 * (descriptor objects: objects/descr*.c).  0 / -1. */
static int type_fill_dict(pm_runtime *rt, const pm_type *t, pm_object *dict) {
    if (pmi_descr_fill_dict(rt, t, dict) < 0) return -1;
    return pmi_slotwrap_fill(rt, t, dict);      /* objects/slotwrap.c */
}

pm_object *pm_type_dict(pm_runtime *rt, const pm_type *t) {
    pmi_typestate *s = pmi_type_state(rt, t);
    if (!s) {
        if (!pm_err_occurred(rt))
            pm_err_format(rt, PM_EXC_SystemError, "type '%.100s' has no dict", t->name);
        return NULL;
    }
    if (s->dict) return s->dict;
    pm_object *d = pm_dict_new(rt);
    if (!d) return NULL;
    if (type_fill_dict(rt, t, d) < 0) {
        pm_decref(rt, d);
        return NULL;
    }
    s = state_find(rt, t);              /* filling may have grown the table */
    if (s->dict) {                      /* filled meanwhile by a nested call */
        pm_decref(rt, d);
        return s->dict;
    }
    s->dict = d;
    return d;
}

pm_object *pm_type_bases(pm_runtime *rt, const pm_type *t) {
    pmi_typestate *s = pmi_type_state(rt, t);
    if (!s) {
        if (!pm_err_occurred(rt))
            pm_err_format(rt, PM_EXC_SystemError, "type '%.100s' has no bases", t->name);
        return NULL;
    }
    if (s->bases) return s->bases;
    pm_object *b = t == &pm_exc_ExceptionGroup
                       ? pm_tuple_pack(rt, 2, pm_type_as_object(t->base), pm_type_as_object(&pm_exc_Exception))
                   : t->base ? pm_tuple_pack(rt, 1, pm_type_as_object(t->base))
                             : pm_tuple_from_array(rt, NULL, 0);
    if (!b) return NULL;
    s = state_find(rt, t);
    s->bases = b;
    return b;
}

pm_object *pm_type_mro(pm_runtime *rt, const pm_type *t) {
    pmi_typestate *s = pmi_type_state(rt, t);
    if (!s) {
        if (!pm_err_occurred(rt))
            pm_err_format(rt, PM_EXC_SystemError, "type '%.100s' has no mro", t->name);
        return NULL;
    }
    if (s->mro) return s->mro;
    /* a static type has one base: its MRO is its base chain */
    pm_object *items[64];
    pm_ssize_t n = 0;
    for (const pm_type *b = t; b && n < 64; b = b->base) {
        items[n++] = pm_type_as_object(b);
        /* ExceptionGroup(BaseExceptionGroup, Exception): C3 puts Exception
         * between BaseExceptionGroup and BaseException */
        if (t == &pm_exc_ExceptionGroup && b == &pm_exc_BaseExceptionGroup) items[n++] = pm_type_as_object(&pm_exc_Exception);
    }
    pm_object *m = pm_tuple_from_array(rt, items, n);
    if (!m) return NULL;
    s = state_find(rt, t);
    s->mro = m;
    return m;
}

const char *pm_type_name(const pm_type *t) {
    if (t->flags & PM_TPFLAGS_HEAPTYPE) return t->name;
    const char *dot = strrchr(t->name, '.');
    return dot ? dot + 1 : t->name;
}

/* ---- C3 linearization (CPython's mro_implementation) --------------------- */

/* 1 when o is in seqs[j][remain[j]+1 ..] for some j (a tail). */
static int tail_contains(pm_runtime *rt, pm_object *const *seqs, const pm_ssize_t *remain, pm_ssize_t nseqs,
                         pm_object *o) {
    for (pm_ssize_t j = 0; j < nseqs; j++) {
        pm_ssize_t n = pm_tuple_size(seqs[j]);
        for (pm_ssize_t k = remain[j] + 1; k < n; k++)
            if (pm_tuple_get(rt, seqs[j], k) == o) return 1;
    }
    return 0;
}

/* TypeError naming the remaining heads, each once, in order (set_mro_error). */
static void mro_error(pm_runtime *rt, pm_object *const *seqs, const pm_ssize_t *remain,
                      pm_ssize_t nseqs) {
    char buf[1000];
    size_t off = (size_t)snprintf(buf, sizeof buf,
                                  "Cannot create a consistent method resolution\norder (MRO) for bases");
    int first = 1;
    for (pm_ssize_t i = 0; i < nseqs; i++) {
        if (remain[i] >= pm_tuple_size(seqs[i])) continue;
        pm_object *c = pm_tuple_get(rt, seqs[i], remain[i]);
        int seen = 0;
        for (pm_ssize_t j = 0; j < i && !seen; j++)
            seen = remain[j] < pm_tuple_size(seqs[j]) && pm_tuple_get(rt, seqs[j], remain[j]) == c;
        if (seen) continue;
        if (off < sizeof buf)
            off += (size_t)snprintf(buf + off, sizeof buf - off, "%s %s", first ? "" : ",",
                                    pm_type_name((const pm_type *)c));
        first = 0;
    }
    pm_err_set(rt, PM_EXC_TypeError, buf);
}

pm_object *pmi_type_mro_c3(pm_runtime *rt, pm_object *type, pm_object *bases) {
    pm_ssize_t nb = pm_tuple_size(bases), total = 1, nseqs = nb + 1;
    pm_object *result = NULL, **seqs = NULL, **out = NULL;
    pm_ssize_t *remain = NULL;
    for (pm_ssize_t i = 0; i < nb; i++)
        for (pm_ssize_t j = 0; j < i; j++)
            if (pm_tuple_get(rt, bases, i) == pm_tuple_get(rt, bases, j)) {
                pm_err_format(rt, PM_EXC_TypeError, "duplicate base class %s",
                              pm_type_name((const pm_type *)pm_tuple_get(rt, bases, i)));
                return NULL;
            }
    seqs = pm_malloc(rt, (size_t)nseqs * sizeof *seqs);
    remain = pm_calloc(rt, (size_t)nseqs, sizeof *remain);
    if (!seqs || !remain) goto nomem;
    for (pm_ssize_t i = 0; i < nb; i++) {
        seqs[i] = pm_type_mro(rt, (const pm_type *)pm_tuple_get(rt, bases, i));
        if (!seqs[i]) goto fail;
        total += pm_tuple_size(seqs[i]);
    }
    seqs[nb] = bases;
    out = pm_malloc(rt, (size_t)total * sizeof *out);
    if (!out) goto nomem;
    pm_ssize_t n = 0;
    out[n++] = type;
    for (;;) {
        int empty = 1, found = 0;
        for (pm_ssize_t i = 0; i < nseqs; i++) {
            if (remain[i] >= pm_tuple_size(seqs[i])) continue;
            empty = 0;
            pm_object *c = pm_tuple_get(rt, seqs[i], remain[i]);
            if (tail_contains(rt, seqs, remain, nseqs, c)) continue;
            out[n++] = c;
            for (pm_ssize_t j = 0; j < nseqs; j++)
                if (remain[j] < pm_tuple_size(seqs[j]) && pm_tuple_get(rt, seqs[j], remain[j]) == c)
                    remain[j]++;
            found = 1;
            break;
        }
        if (empty) break;
        if (!found) {
            mro_error(rt, seqs, remain, nseqs);
            goto fail;
        }
    }
    result = pm_tuple_from_array(rt, out, n);
    goto fail;                          /* the common cleanup */
nomem:
    pm_err_nomem(rt);
fail:
    pm_free(rt, out);
    pm_free(rt, seqs);
    pm_free(rt, remain);
    return result;
}

/* ---- lookup along the MRO, through the method cache --------------------- */

/* The slot of (version, name): pmi_mcache_slot, core/lookup.h (whose
 * inline probe reads the entries this fills). */

/* The uncached walk: BORROWED or NULL (*err set to 1 when an error is
 * pending). */
static pm_object *find_name_in_mro(pm_runtime *rt, const pm_type *t, pm_object *name, int *err) {
    *err = 0;
    if (!has_state(t)) {
        /* a runtime class of objects/instance.c: no dict of its own */
        return t->base ? find_name_in_mro(rt, t->base, name, err) : NULL;
    }
    pm_object *mro = pm_type_mro(rt, t);
    if (!mro) goto fail;
    pm_ssize_t n = pm_tuple_size(mro);
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *dict = pm_type_dict(rt, (const pm_type *)pm_tuple_get(rt, mro, i));
        if (!dict) goto fail;
        pm_object *v = pm_dict_get(rt, dict, name);
        if (v) return v;
        if (pm_err_occurred(rt)) goto fail;
    }
    return NULL;
fail:
    *err = 1;
    return NULL;
}

void pm_type_state_clear(pm_runtime *rt) { pmi_types_fini(rt); }

unsigned int pm_type_clear_cache(pm_runtime *rt) {
    pmi_types_state *ts = &rt->types;
    if (ts->mcache) {
        for (size_t i = 0; i < ((size_t)1 << PMI_MCACHE_SIZE_EXP); i++) {
            ts->mcache[i].version = 0;
            ts->mcache[i].value = NULL;
            PM_CLEAR(rt, ts->mcache[i].name);
        }
    }
    return ts->next_version;
}

/* The lookup past a cache hit: a type without a tag gets one, then the
 * walk fills the entry.  Kept out of line, so that the hit path in
 * pm_type_lookup stays a few loads with no stack frame to set up. */
__attribute__((noinline)) static pm_object *lookup_slow(pm_runtime *rt, const pm_type *t, pm_object *name) {
    pmi_types_state *ts = &rt->types;
    pmi_mcache_entry *e = NULL;
    unsigned int version = 0;
    if (has_state(t) && pm_str_check(name)) {
        pmi_typestate *s = pmi_type_state(rt, t);
        if (!s) return NULL;
        if (!s->version && ts->next_version != UINT_MAX) s->version = ++ts->next_version;
        version = s->version;
        if (!ts->mcache) ts->mcache = pm_calloc(rt, (size_t)1 << PMI_MCACHE_SIZE_EXP, sizeof *ts->mcache);
        if (ts->mcache && version) {
            e = &ts->mcache[pmi_mcache_slot(version, name)];
            if (e->version == version && e->name == name) return e->value;
        }
    }
    int err;
    pm_object *v = find_name_in_mro(rt, t, name, &err);
    if (err) return NULL;
    /* the walk may have run code (a dict made for a base) but never
     * changes a version; the entry is still this lookup's */
    if (e) {
        pm_object *old = e->name;
        e->version = version;
        e->name = pm_newref(rt, name);
        e->value = v;
        pm_xdecref(rt, old);
    }
    return v;
}

/* A hit: the type's state found without making it (a class embeds it, a
 * static type's is in rt->types.tab), its tag set, the entry (tag, name).
 * An entry's name is always a str, so identity needs no type check. */
pm_object *pm_type_lookup(pm_runtime *rt, const pm_type *t, pm_object *name) {
    const pmi_mcache_entry *mc = rt->types.mcache;
    if (mc) {
        const pmi_typestate *s = pmi_is_heaptype(t) ? &PMI_HT(t)->state
                                 : (t->flags & PM_TPFLAGS_HEAPTYPE) ? NULL : state_find(rt, t);
        unsigned int version = s ? s->version : 0;
        const pmi_mcache_entry *e = &mc[pmi_mcache_slot(version, name)];
        if (version && e->version == version && e->name == name) return e->value;
    }
    return lookup_slow(rt, t, name);
}

/* ---- version tags for the VM's inline caches (interp/specialize.c) ------- */
/* A class's tag dies with any change to it or to a class it inherits from:
 * classes record their subclasses (pmi_heaptype.subs), so the walk goes
 * down from the changed one. */
static void versions_drop(const pm_type *t, int depth) {
    if (!pmi_is_heaptype(t)) return;
    pmi_heaptype *ht = PMI_HT(t);
    ht->state.version = 0;
    if (depth > 1000) return;       /* deeper than any recursion limit allows */
    for (pm_ssize_t i = 0; i < ht->nsubs; i++) versions_drop(&ht->subs[i]->type, depth + 1);
}

unsigned int pm_type_version(pm_runtime *rt, const pm_type *t) {
    if (!has_state(t)) return 0;
    pmi_typestate *s = pmi_type_state(rt, t);
    if (!s) {
        pm_err_clear(rt);
        return 0;
    }
    if (!s->version && rt->types.next_version != UINT_MAX) s->version = ++rt->types.next_version;
    return s->version;
}

void pm_type_modified(pm_runtime *rt, const pm_type *t) {
    pmi_typestate *s = has_state(t) ? state_find(rt, t) : NULL;
    versions_drop(t, 0);
    if (s) s->version = 0;
    /* Subclasses' entries depend on t too and are not walked here: every
     * entry is invalidated (a store per entry; names are released when
     * overwritten). */
    if (rt->types.mcache)
        for (size_t i = 0; i < ((size_t)1 << PMI_MCACHE_SIZE_EXP); i++) rt->types.mcache[i].version = 0;
}

/* ---- type.__getattribute__ / type.__setattr__ ----------------------------- */

static void *type_attr_error(pm_runtime *rt, const pm_type *t, pm_object *name) {
    const char *n = pm_str_as_utf8(rt, name, NULL);
    if (!n) return NULL;
    pm_err_format(rt, PM_EXC_AttributeError, "type object '%.50s' has no attribute '%s'", t->name, n);
    return NULL;
}

/* type_getattro: data descriptors of the metatype, then the type's own MRO
 * (descriptors bound with obj NULL), then the metatype's other attributes. */
static pm_object *type_getattro(pm_runtime *rt, pm_object *self, pm_object *name) {
    const pm_type *type = (const pm_type *)self, *meta = self->ob_type;
    pm_object *meta_attr = pm_type_lookup(rt, meta, name), *attr, *r;
    pm_descrgetfunc meta_get = NULL;
    if (!meta_attr && pm_err_occurred(rt)) return NULL;
    if (meta_attr) {
        meta_get = meta_attr->ob_type->descr_get;
        if (meta_get && meta_attr->ob_type->descr_set) {
            pm_incref(rt, meta_attr);
            r = meta_get(rt, meta_attr, self, pm_type_as_object(meta));
            pm_decref(rt, meta_attr);
            return r;
        }
        pm_incref(rt, meta_attr);
    }
    attr = pm_type_lookup(rt, type, name);
    if (attr) {
        pm_descrgetfunc local_get = attr->ob_type->descr_get;
        pm_incref(rt, attr);
        pm_xdecref(rt, meta_attr);
        if (!local_get) return attr;
        r = local_get(rt, attr, NULL, self);
        pm_decref(rt, attr);
        return r;
    }
    if (pm_err_occurred(rt)) {
        pm_xdecref(rt, meta_attr);
        return NULL;
    }
    if (meta_get) {
        r = meta_get(rt, meta_attr, self, pm_type_as_object(meta));
        pm_decref(rt, meta_attr);
        return r;
    }
    if (meta_attr) return meta_attr;
    return type_attr_error(rt, type, name);
}

/* Static types are immutable (CPython: "cannot set 'x' attribute of
 * immutable type 'int'"). */
static int type_setattro(pm_runtime *rt, pm_object *self, pm_object *name, pm_object *value) {
    const pm_type *type = (const pm_type *)self;
    if (pmi_is_heaptype(type)) return pmi_heaptype_setattr(rt, &PMI_HT(type)->type, name, value);
    const char *n = pm_str_as_utf8(rt, name, NULL);
    if (!n) return -1;
    pm_err_format(rt, PM_EXC_TypeError, "cannot set '%s' attribute of immutable type '%s'", n,
                  type->name);
    return -1;
}

/* ---- subtype checks, isinstance / issubclass ------------------------------ */

int pm_type_is_subtype(const pm_type *a, const pm_type *t) {
    if (pmi_is_heaptype(a) && PMI_HT(a)->state.mro) {
        /* a class: its MRO (multiple inheritance) */
        pm_object *mro = PMI_HT(a)->state.mro;
        /* from the end: `object` (every method descriptor's check for
         * object's methods) is found in one step */
        for (pm_ssize_t i = pm_tuple_size(mro) - 1; i >= 0; i--)
            if ((const pm_type *)PMI_TUPLE(mro)->ob_item[i] == t) return 1;
        return 0;
    }
    for (; a; a = a->base)
        if (a == t || (a == &pm_exc_ExceptionGroup && t == &pm_exc_Exception)) return 1;   /* its 2nd base */
    return 0;
}

/* type(cls).__instancecheck__ / __subclasscheck__ when type(cls) has one
 * other than type's own (a metaclass's, GenericAlias's): *found = 1 and
 * its truth (1 / 0 / -1); *found = 0 when the default test applies. */
static int check_hook(pm_runtime *rt, pm_object *cls, const char *name, pm_object *arg, int *found) {
    const pm_type *mt = cls->ob_type;
    *found = 0;
    if (mt == &pm_type_type) return 0;
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return -1;
    pm_object *f = pm_type_lookup(rt, mt, n), *own = NULL;
    if (f) {
        pm_object *td = pm_type_dict(rt, &pm_type_type);
        own = td ? pm_dict_get(rt, td, n) : NULL;
    }
    pm_decref(rt, n);
    if (!f || f == own) return pm_err_occurred(rt) ? -1 : 0;
    *found = 1;
    pm_incref(rt, f);
    pm_object *bound = f->ob_type->descr_get ? f->ob_type->descr_get(rt, f, cls, pm_type_as_object(mt))
                                             : pm_newref(rt, f);
    pm_decref(rt, f);
    if (!bound) return -1;
    pm_object *r = NULL;
    if (pmi_recursion_enter(rt, name[2] == 'i' ? " in __instancecheck__" : " in __subclasscheck__") == 0) {
        r = pm_call(rt, bound, &arg, 1, NULL);
        pmi_recursion_leave(rt);
    }
    pm_decref(rt, bound);
    if (!r) return -1;
    int t = pm_is_true(rt, r);
    pm_decref(rt, r);
    return t;
}

/* PyObject_IsInstance: an exact match first, then a tuple's items, then
 * the metaclass's __instancecheck__, then the subtype test. */
int pm_isinstance(pm_runtime *rt, pm_object *obj, pm_object *cls) {
    if ((const pm_object *)obj->ob_type == cls) return 1;
    if (cls->ob_type == &pm_type_type) return pm_is_instance(obj, (const pm_type *)cls);
    if (pm_tuple_check(cls)) {
        if (pmi_recursion_enter(rt, " in __instancecheck__") < 0) return -1;
        int r = 0;
        for (pm_ssize_t i = 0, n = pm_tuple_size(cls); i < n && r == 0; i++)
            r = pm_isinstance(rt, obj, PMI_TUPLE(cls)->ob_item[i]);
        pmi_recursion_leave(rt);
        return r;
    }
    int found, r = check_hook(rt, cls, "__instancecheck__", obj, &found);
    if (found || r < 0) return r;
    if (pm_type_check(cls)) return pm_is_instance(obj, (const pm_type *)cls);
    pm_err_set(rt, PM_EXC_TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union");
    return -1;
}

/* The default issubclass test (type.__subclasscheck__). */
static int default_subclass(pm_runtime *rt, pm_object *derived, pm_object *cls) {
    if (!pm_type_check(derived)) {
        pm_err_set(rt, PM_EXC_TypeError, "issubclass() arg 1 must be a class");
        return -1;
    }
    if (!pm_type_check(cls)) {
        pm_err_set(rt, PM_EXC_TypeError, "issubclass() arg 2 must be a class, a tuple of classes, or a union");
        return -1;
    }
    return pm_type_is_subtype((const pm_type *)derived, (const pm_type *)cls);
}

int pm_issubclass(pm_runtime *rt, pm_object *derived, pm_object *cls) {
    if (cls->ob_type == &pm_type_type) return default_subclass(rt, derived, cls);
    if (pm_tuple_check(cls)) {
        if (pmi_recursion_enter(rt, " in __subclasscheck__") < 0) return -1;
        int r = 0;
        for (pm_ssize_t i = 0, n = pm_tuple_size(cls); i < n && r == 0; i++)
            r = pm_issubclass(rt, derived, PMI_TUPLE(cls)->ob_item[i]);
        pmi_recursion_leave(rt);
        return r;
    }
    int found, r = check_hook(rt, cls, "__subclasscheck__", derived, &found);
    if (found || r < 0) return r;
    return default_subclass(rt, derived, cls);
}
