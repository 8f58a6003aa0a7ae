/*
 * slotwrap.c — slot wrappers: the special methods of built-in types as
 * attributes.  int.__add__ is a wrapper_descriptor over int's nb_add;
 * (1).__add__ binds it into a method-wrapper; calling either calls the C
 * slot.  CPython's wrapperobject / PyWrapperDescr and the wrap_* functions
 * of Objects/typeobject.c.
 *
 * Purpose
 *   Python code reaches a built-in type's C slots by name: super().__init__
 *   (object.__init__), object.__setattr__(self, name, v), dict.__getitem__
 *   (d, k), int.__add__(1, 2).  When a static type's dict is first made
 *   (core/type.c), pmi_slotwrap_fill adds one wrapper for each slot in the
 *   table below that the type has and that its base does not share (bool's
 *   dict has __and__ but not __add__, which it inherits from int — as
 *   CPython's dicts), unless a method of that name is already there.
 *
 *     int.__dict__['__add__']  <slot wrapper '__add__' of 'int' objects>
 *        descr_get(1)   ──►  <method-wrapper '__add__' of int object at 0x...>
 *        call(1, 2) / bound call(2)  ──►  int's nb_add(1, 2)  ──►  3
 *     object.__dict__['__new__'] is not bound (a static method, as CPython's
 *     builtin object.__new__): object.__new__(C) makes a C.
 *
 * Invariants: a wrapper holds its (static, immortal) type and its def; a
 * method-wrapper holds the wrapper and self (gc object, self visited).  The
 * instance is checked against the wrapper's type before the slot sees it.
 *
 * CPython behaviour mirrored: the reprs, "descriptor '__add__' requires a
 * 'int' object but received a 'str'", "expected 1 argument, got 0",
 * object.__new__'s "object.__new__(X): X is not a type object (int)" and
 * "object.__new__(str): str is not a subtype of object" checks, a NULL
 * result with no error from __next__ becoming StopIteration.
 */
#include "objects/heaptype.h"
#include "objects/format.h"

#include <stddef.h>

enum {
    W_UNARY, W_BINARY, W_RBINARY, W_TERNARY, W_RTERNARY, W_INQUIRY, W_LEN, W_HASH, W_RICHCMP,
    W_GETATTR, W_SETATTR, W_DELATTR, W_CALL, W_INIT, W_NEW, W_GETITEM, W_SQITEM, W_SETITEM,
    W_DELITEM, W_CONTAINS, W_NEXT, W_DGET, W_DSET, W_DDEL, W_FORMAT,
};
enum { K_TYPE, K_NUM, K_SEQ, K_MAP };

typedef void (*anyfunc)(void);

typedef struct wrapdef {
    const char *name;               /* the dunder */
    int kind;                       /* K_*: the struct holding the slot */
    size_t offset;                  /* the slot's offset in it */
    int wrap;                       /* W_*: how to call it */
    int op;                         /* richcompare: PM_LT ... */
} wrapdef;

#define WT(n, f, w) {n, K_TYPE, offsetof(pm_type, f), w, 0}
#define WC(n, op) {n, K_TYPE, offsetof(pm_type, richcompare), W_RICHCMP, op}
#define WN(n, f, w) {n, K_NUM, offsetof(pm_number_methods, f), w, 0}
#define WS(n, f, w) {n, K_SEQ, offsetof(pm_sequence_methods, f), w, 0}
#define WM(n, f, w) {n, K_MAP, offsetof(pm_mapping_methods, f), w, 0}
#define WB(n, rn, f) WN(n, f, W_BINARY), WN(rn, f, W_RBINARY)

static const wrapdef wrapdefs[] = {
    WT("__repr__", repr, W_UNARY),
    WT("__hash__", hash, W_HASH),
    WT("__call__", call, W_CALL),
    WT("__str__", str, W_UNARY),
    WT("__getattribute__", getattr, W_GETATTR),
    WT("__setattr__", setattr, W_SETATTR),
    WT("__delattr__", setattr, W_DELATTR),
    WC("__lt__", PM_LT), WC("__le__", PM_LE), WC("__eq__", PM_EQ),
    WC("__ne__", PM_NE), WC("__gt__", PM_GT), WC("__ge__", PM_GE),
    WT("__iter__", iter, W_UNARY),
    WT("__next__", iternext, W_NEXT),
    WT("__get__", descr_get, W_DGET),
    WT("__set__", descr_set, W_DSET),
    WT("__delete__", descr_set, W_DDEL),
    WT("__init__", init, W_INIT),
    WT("__new__", new_object, W_NEW),
    WB("__add__", "__radd__", nb_add),
    WB("__sub__", "__rsub__", nb_subtract),
    WB("__mul__", "__rmul__", nb_multiply),
    WB("__mod__", "__rmod__", nb_remainder),
    WB("__divmod__", "__rdivmod__", nb_divmod),
    WN("__pow__", nb_power, W_TERNARY),
    WN("__rpow__", nb_power, W_RTERNARY),
    WN("__neg__", nb_negative, W_UNARY),
    WN("__pos__", nb_positive, W_UNARY),
    WN("__abs__", nb_absolute, W_UNARY),
    WN("__bool__", nb_bool, W_INQUIRY),
    WN("__invert__", nb_invert, W_UNARY),
    WB("__lshift__", "__rlshift__", nb_lshift),
    WB("__rshift__", "__rrshift__", nb_rshift),
    WB("__and__", "__rand__", nb_and),
    WB("__xor__", "__rxor__", nb_xor),
    WB("__or__", "__ror__", nb_or),
    WN("__int__", nb_int, W_UNARY),
    WN("__float__", nb_float, W_UNARY),
    WN("__iadd__", nb_inplace_add, W_BINARY),
    WN("__isub__", nb_inplace_subtract, W_BINARY),
    WN("__imul__", nb_inplace_multiply, W_BINARY),
    WB("__floordiv__", "__rfloordiv__", nb_floor_divide),
    WB("__truediv__", "__rtruediv__", nb_true_divide),
    WN("__index__", nb_index, W_UNARY),
    WB("__matmul__", "__rmatmul__", nb_matrix_multiply),
    WM("__len__", mp_length, W_LEN),
    WM("__getitem__", mp_subscript, W_GETITEM),
    WM("__setitem__", mp_ass_subscript, W_SETITEM),
    WM("__delitem__", mp_ass_subscript, W_DELITEM),
    WS("__len__", sq_length, W_LEN),
    WS("__getitem__", sq_item, W_SQITEM),
    WS("__contains__", sq_contains, W_CONTAINS),
    /* no slot: object, int, float, str and complex each have one */
    {"__format__", K_TYPE, 0, W_FORMAT, 0},
};

/* The types with a __format__ of their own. */
static int has_format(const pm_type *t) {
    return t == &pm_object_type || t == &pm_int_type || t == &pm_float_type || t == &pm_str_type ||
           t == &pm_complex_type;
}

/* The slot of t a def names, or NULL. */
static anyfunc slot_of(const pm_type *t, const wrapdef *w) {
    const void *base;
    switch (w->kind) {
    case K_NUM: base = t->as_number; break;
    case K_SEQ: base = t->as_sequence; break;
    case K_MAP: base = t->as_mapping; break;
    default: base = t; break;
    }
    if (!base) return NULL;
    anyfunc f;
    memcpy(&f, (const char *)base + w->offset, sizeof f);
    return f;
}

/* ---- the wrapper_descriptor ------------------------------------------------- */

typedef struct wrapper {
    pm_object ob_base;              /* header (wrapper_descriptor) */
    const pm_type *owner;           /* the built-in type whose slot it wraps */
    pm_object *name;                /* the dunder (interned str, strong) */
    const wrapdef *def;             /* its table entry */
} wrapper;

typedef struct methwrap {
    pm_object ob_base;              /* header (method-wrapper, gc) */
    pm_object *descr;               /* the wrapper (strong) */
    pm_object *self;                /* the bound instance (strong) */
} methwrap;

#define WR(o) ((wrapper *)(void *)(o))
#define MW(o) ((methwrap *)(void *)(o))

static const pm_type methwrap_type;

static void wrapper_dealloc(pm_runtime *rt, pm_object *self) {
    pm_decref(rt, WR(self)->name);
    pmi_object_free(rt, self);
}

static pm_object *wrapper_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "<slot wrapper '%s' of '%s' objects>", WR(self)->def->name, WR(self)->owner->name);
    return pmi_sb_finish(rt, &sb);
}

static int arg_count(pm_runtime *rt, pm_ssize_t got, pm_ssize_t want) {
    if (got == want) return 1;
    pm_err_format(rt, PM_EXC_TypeError, "expected %zd argument%s, got %zd", want, want == 1 ? "" : "s", got);
    return 0;
}

static pm_object *no_kw(pm_runtime *rt, const char *name, pm_object *kwnames) {
    if (kwnames && pm_tuple_size(kwnames)) {
        pm_err_format(rt, PM_EXC_TypeError, "wrapper %s() takes no keyword arguments", name);
        return NULL;
    }
    return PM_NONE;
}

/* Call the slot of def for self with args (the arguments after self). */
static pm_object *wrap_call(pm_runtime *rt, const pm_type *owner, const wrapdef *w, pm_object *self,
                            pm_object *const *args, pm_ssize_t n, pm_object *kwnames) {
    anyfunc f = slot_of(owner, w);
    if (w->wrap != W_CALL && w->wrap != W_INIT && !no_kw(rt, w->name, kwnames)) return NULL;
    switch (w->wrap) {
    case W_UNARY: {
        if (!arg_count(rt, n, 0)) return NULL;
        return ((pm_unaryfunc)f)(rt, self);
    }
    case W_FORMAT:
        if (!arg_count(rt, n, 1)) return NULL;
        if (!pm_str_check(args[0]))
            return pmi_err_type(rt, "__format__() argument must be str, not %.200s", args[0]);
        if (owner == &pm_object_type && pm_str_length(args[0]) > 0) {
            pm_err_format(rt, PM_EXC_TypeError, "unsupported format string passed to %.200s.__format__",
                          self->ob_type->name);
            return NULL;
        }
        return owner == &pm_object_type ? pm_str(rt, self) : pmi_format_builtin(rt, self, args[0]);
    case W_NEXT: {
        if (!arg_count(rt, n, 0)) return NULL;
        pm_object *r = ((pm_unaryfunc)f)(rt, self);
        if (!r && !pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_StopIteration, "");
        return r;
    }
    case W_BINARY:
        if (!arg_count(rt, n, 1)) return NULL;
        return ((pm_binaryfunc)f)(rt, self, args[0]);
    case W_RBINARY:
        if (!arg_count(rt, n, 1)) return NULL;
        return ((pm_binaryfunc)f)(rt, args[0], self);
    case W_TERNARY:
    case W_RTERNARY: {
        if (n < 1 || n > 2) {
            pm_err_format(rt, PM_EXC_TypeError, "expected 1 or 2 arguments, got %zd", n);
            return NULL;
        }
        pm_object *mod = n == 2 ? args[1] : PM_NONE;
        if (w->wrap == W_TERNARY) return ((pm_ternaryfunc)f)(rt, self, args[0], mod);
        return ((pm_ternaryfunc)f)(rt, args[0], self, mod);
    }
    case W_INQUIRY: {
        if (!arg_count(rt, n, 0)) return NULL;
        int r = ((pm_inquiry)f)(rt, self);
        return r < 0 ? NULL : pm_bool_from(r);
    }
    case W_LEN: {
        if (!arg_count(rt, n, 0)) return NULL;
        pm_ssize_t r = ((pm_lenfunc)f)(rt, self);
        return r < 0 ? NULL : pm_int_from_ssize(rt, r);
    }
    case W_HASH: {
        if (!arg_count(rt, n, 0)) return NULL;
        pm_hash_t h = ((pm_hash_t(*)(pm_runtime *, pm_object *))f)(rt, self);
        return h == -1 ? NULL : pm_int_from_ssize(rt, (pm_ssize_t)h);
    }
    case W_RICHCMP:
        if (!arg_count(rt, n, 1)) return NULL;
        return ((pm_object * (*)(pm_runtime *, pm_object *, pm_object *, int)) f)(rt, self, args[0], w->op);
    case W_GETATTR:
        if (!arg_count(rt, n, 1)) return NULL;
        if (!pm_str_check(args[0]))
            return pmi_err_type(rt, "attribute name must be string, not '%.200s'", args[0]);
        return f ? ((pm_getattrofunc)f)(rt, self, args[0]) : pm_object_generic_getattr(rt, self, args[0]);
    case W_SETATTR:
    case W_DELATTR: {
        if (!arg_count(rt, n, w->wrap == W_SETATTR ? 2 : 1)) return NULL;
        if (!pm_str_check(args[0]))
            return pmi_err_type(rt, "attribute name must be string, not '%.200s'", args[0]);
        pm_object *v = w->wrap == W_SETATTR ? args[1] : NULL;
        int r = f ? ((pm_objobjargproc)f)(rt, self, args[0], v) : pm_object_generic_setattr(rt, self, args[0], v);
        return r < 0 ? NULL : PM_NONE;
    }
    case W_CALL:
        return ((pm_vectorcallfunc)f)(rt, self, args, (size_t)n, kwnames);
    case W_INIT: {
        pm_object *targs = pm_tuple_from_array(rt, args, n), *kw = NULL;
        if (!targs) return NULL;
        pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
        int r = -1;
        if (nkw) {
            kw = pm_dict_new(rt);
            for (pm_ssize_t i = 0; kw && i < nkw; i++)
                if (pm_dict_set(rt, kw, pm_tuple_get(rt, kwnames, i), args[n + i]) < 0) PM_CLEAR(rt, kw);
            if (!kw) goto init_done;
        }
        r = f ? ((pm_initproc)f)(rt, self, targs, kw) : 0;
    init_done:
        pm_xdecref(rt, kw);
        pm_decref(rt, targs);
        return r < 0 ? NULL : PM_NONE;
    }
    case W_GETITEM:
        if (!arg_count(rt, n, 1)) return NULL;
        return ((pm_binaryfunc)f)(rt, self, args[0]);
    case W_SQITEM: {
        if (!arg_count(rt, n, 1)) return NULL;
        pm_ssize_t i = pm_index_as_ssize(rt, args[0], PM_INDEX_OVERFLOWERROR);
        if (i == -1 && pm_err_occurred(rt)) return NULL;
        if (i < 0 && owner->as_sequence->sq_length) {
            pm_ssize_t len = owner->as_sequence->sq_length(rt, self);
            if (len < 0) return NULL;
            i += len;
        }
        return ((pm_ssizeargfunc)f)(rt, self, i);
    }
    case W_SETITEM:
    case W_DELITEM: {
        if (!arg_count(rt, n, w->wrap == W_SETITEM ? 2 : 1)) return NULL;
        int r = ((pm_objobjargproc)f)(rt, self, args[0], w->wrap == W_SETITEM ? args[1] : NULL);
        return r < 0 ? NULL : PM_NONE;
    }
    case W_CONTAINS: {
        if (!arg_count(rt, n, 1)) return NULL;
        int r = ((pm_objobjproc)f)(rt, self, args[0]);
        return r < 0 ? NULL : pm_bool_from(r);
    }
    case W_DGET: {
        if (n < 1 || n > 2) {
            pm_err_format(rt, PM_EXC_TypeError, "expected 1 or 2 arguments, got %zd", n);
            return NULL;
        }
        pm_object *obj = args[0] == PM_NONE ? NULL : args[0];
        pm_object *type = n == 2 && args[1] != PM_NONE ? args[1] : NULL;
        if (!obj && !type) {
            pm_err_set(rt, PM_EXC_TypeError, "__get__(None, None) is invalid");
            return NULL;
        }
        return ((pm_descrgetfunc)f)(rt, self, obj, type);
    }
    case W_DSET:
    case W_DDEL: {
        if (!arg_count(rt, n, w->wrap == W_DSET ? 2 : 1)) return NULL;
        int r = ((pm_descrsetfunc)f)(rt, self, args[0], w->wrap == W_DSET ? args[1] : NULL);
        return r < 0 ? NULL : PM_NONE;
    }
    default:
        pm_err_set(rt, PM_EXC_SystemError, "bad slot wrapper");
        return NULL;
    }
}

/* object.__new__(cls, *args): cls must be a subtype of the wrapper's type;
 * the owner's new_object makes the instance (tp_new_wrapper). */
static pm_object *new_call(pm_runtime *rt, const pm_type *owner, pm_object *const *args, pm_ssize_t n,
                           pm_object *kwnames) {
    if (n < 1) {
        pm_err_format(rt, PM_EXC_TypeError, "%s.__new__(): not enough arguments", pm_type_name(owner));
        return NULL;
    }
    if (!pm_type_check(args[0])) {
        pm_err_format(rt, PM_EXC_TypeError, "%s.__new__(X): X is not a type object (%s)", pm_type_name(owner),
                      args[0]->ob_type->name);
        return NULL;
    }
    const pm_type *sub = (const pm_type *)args[0];
    if (!pm_type_is_subtype(sub, owner)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s.__new__(%s): %s is not a subtype of %s", pm_type_name(owner),
                      sub->name, sub->name, pm_type_name(owner));
        return NULL;
    }
    pm_object *targs = pm_tuple_from_array(rt, args + 1, n - 1), *kw = NULL, *r = NULL;
    if (!targs) return NULL;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nkw) {
        kw = pm_dict_new(rt);
        for (pm_ssize_t i = 0; kw && i < nkw; i++)
            if (pm_dict_set(rt, kw, pm_tuple_get(rt, kwnames, i), args[n + i]) < 0) PM_CLEAR(rt, kw);
        if (!kw) goto done;
    }
    r = owner->new_object(rt, sub, targs, kw);
done:
    pm_xdecref(rt, kw);
    pm_decref(rt, targs);
    return r;
}

static int check_self(pm_runtime *rt, pm_object *d, pm_object *self) {
    if (pm_is_instance(self, WR(d)->owner)) return 1;
    pm_err_format(rt, PM_EXC_TypeError, "descriptor '%s' requires a '%s' object but received a '%s'",
                  WR(d)->def->name, pm_type_name(WR(d)->owner), self->ob_type->name);
    return 0;
}

static pm_object *wrapper_call(pm_runtime *rt, pm_object *d, pm_object *const *args, size_t nargsf,
                               pm_object *kwnames) {
    pm_ssize_t n = pm_vectorcall_nargs(nargsf);
    if (WR(d)->def->wrap == W_NEW) return new_call(rt, WR(d)->owner, args, n, kwnames);
    if (n < 1) {
        pm_err_format(rt, PM_EXC_TypeError, "descriptor '%s' of '%s' object needs an argument", WR(d)->def->name,
                      pm_type_name(WR(d)->owner));
        return NULL;
    }
    if (!check_self(rt, d, args[0])) return NULL;
    return wrap_call(rt, WR(d)->owner, WR(d)->def, args[0], args + 1, n - 1, kwnames);
}

static pm_object *wrapper_get(pm_runtime *rt, pm_object *d, pm_object *obj, pm_object *type) {
    (void)type;
    if (!obj || WR(d)->def->wrap == W_NEW) return pm_newref(rt, d);
    if (!check_self(rt, d, obj)) return NULL;
    pm_object *m = pmi_gc_new(rt, &methwrap_type);
    if (!m) return NULL;
    MW(m)->descr = pm_newref(rt, d);
    MW(m)->self = pm_newref(rt, obj);
    pmi_gc_track(rt, m);
    return m;
}

static pm_object *wrapper_get_name(pm_runtime *rt, pm_object *d, void *closure) {
    (void)closure;
    return pm_newref(rt, WR(d)->name);
}

static pm_object *wrapper_get_objclass(pm_runtime *rt, pm_object *d, void *closure) {
    (void)closure;
    return pm_newref(rt, pm_type_as_object(WR(d)->owner));
}

static const pm_getset_def wrapper_getset[] = {
    {"__name__", wrapper_get_name, NULL, NULL, NULL},
    {"__qualname__", wrapper_get_name, NULL, NULL, NULL},
    {"__objclass__", wrapper_get_objclass, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const pm_type wrapper_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "wrapper_descriptor",
    .basicsize = sizeof(wrapper),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_METHOD_DESCRIPTOR,
    .base = &pm_object_type,
    .dealloc = wrapper_dealloc,
    .repr = wrapper_repr,
    .hash = pmi_object_hash,
    .call = wrapper_call,
    .descr_get = wrapper_get,
    .getset = wrapper_getset,
};

/* ---- the method-wrapper (a bound slot wrapper) --------------------------------- */

static void methwrap_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, MW(self)->descr);
    PM_CLEAR(rt, MW(self)->self);
    pmi_object_free(rt, self);
}

static int methwrap_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    int r;
    if (MW(self)->descr && (r = visit(MW(self)->descr, arg))) return r;
    return MW(self)->self ? visit(MW(self)->self, arg) : 0;
}

static int methwrap_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, MW(self)->self);
    return 0;
}

static pm_object *methwrap_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "<method-wrapper '%s' of %s object at %p>", WR(MW(self)->descr)->def->name,
                  MW(self)->self ? MW(self)->self->ob_type->name : "NULL", (void *)MW(self)->self);
    return pmi_sb_finish(rt, &sb);
}

static pm_object *methwrap_call(pm_runtime *rt, pm_object *self, pm_object *const *args, size_t nargsf,
                                pm_object *kwnames) {
    pm_object *d = MW(self)->descr;
    if (!MW(self)->self) {
        pm_err_set(rt, PM_EXC_SystemError, "method-wrapper cleared");
        return NULL;
    }
    return wrap_call(rt, WR(d)->owner, WR(d)->def, MW(self)->self, args, pm_vectorcall_nargs(nargsf), kwnames);
}

static pm_object *methwrap_get_self(pm_runtime *rt, pm_object *m, void *closure) {
    (void)closure;
    return pm_newref(rt, MW(m)->self ? MW(m)->self : PM_NONE);
}

static pm_object *methwrap_get_name(pm_runtime *rt, pm_object *m, void *closure) {
    (void)closure;
    return pm_newref(rt, WR(MW(m)->descr)->name);
}

static const pm_getset_def methwrap_getset[] = {
    {"__self__", methwrap_get_self, NULL, NULL, NULL},
    {"__name__", methwrap_get_name, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const pm_type methwrap_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "method-wrapper",
    .basicsize = sizeof(methwrap),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = methwrap_dealloc,
    .traverse = methwrap_traverse,
    .clear = methwrap_clear,
    .repr = methwrap_repr,
    .hash = pmi_object_hash,
    .call = methwrap_call,
    .getset = methwrap_getset,
};

/* ---- filling a static type's dict --------------------------------------------- */

int pmi_slotwrap_fill(pm_runtime *rt, const pm_type *t, pm_object *dict) {
    for (size_t i = 0; i < sizeof wrapdefs / sizeof *wrapdefs; i++) {
        const wrapdef *w = &wrapdefs[i];
        anyfunc f = slot_of(t, w);
        if (w->wrap == W_FORMAT) f = has_format(t) ? (anyfunc)pm_format : NULL;
        /* object's getattr/setattr/init/new are the generic ones even when
         * the slot is NULL */
        int generic = t == &pm_object_type && (w->wrap == W_GETATTR || w->wrap == W_SETATTR || w->wrap == W_DELATTR);
        if (!f && !generic) continue;
        if (t->base && f && w->wrap != W_FORMAT && slot_of(t->base, w) == f) continue;   /* inherited, not its own */
        if (t->base && !f) continue;
        pm_object *name = pm_str_intern_cstr(rt, w->name);
        if (!name) return -1;
        int in = pm_dict_contains(rt, dict, name);
        if (in != 0) {
            pm_decref(rt, name);
            if (in < 0) return -1;
            continue;
        }
        pm_object *d = pmi_object_new(rt, &wrapper_type);
        if (!d) {
            pm_decref(rt, name);
            return -1;
        }
        WR(d)->owner = t;                /* static: immortal */
        WR(d)->name = name;
        WR(d)->def = w;
        int r = pm_dict_set(rt, dict, name, d);
        pm_decref(rt, d);
        if (r < 0) return -1;
    }
    return 0;
}
