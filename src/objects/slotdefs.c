/*
 * slotdefs.c — special methods as slots: one table maps each dunder name
 * to the slot it fills and to the C function that, called through the
 * slot, looks the dunder up on the object's type and calls it.  CPython's
 * slotdefs[] and the slot_* functions of Objects/typeobject.c.
 *
 * Purpose
 *   The generic operations (core/abstract.c) only read slots.  A class
 *   whose dict (or a class on whose MRO) defines __add__ gets
 *   nb_add = slot_nb_add; `a + b` then reaches slot_nb_add, which finds
 *   __add__ (or b's __radd__) and calls it through pm_call, so methods the
 *   interpreter compiles work without this file knowing them.
 *
 *     dunder      slot(s)                         the slot function
 *     __add__     as_number.nb_add                slot_nb_add (also __radd__)
 *     __len__     as_sequence.sq_length, as_mapping.mp_length
 *     __getitem__ as_mapping.mp_subscript, as_sequence.sq_item
 *     __eq__ ...  richcompare                     slot_richcompare
 *     __init__    init, __new__ new_object, __del__ finalize, ...
 *
 * pmi_slots_fixup recomputes a class's slots from scratch: (1) clear
 * them, (2) copy each still-empty slot from the types on the MRO in order
 * (inherit_slots), (3) for each table entry, find the dunder along the MRO:
 * defined by a class (a heap type) → the slot function; defined by a
 * built-in type → keep the copied slot (its C function is the real
 * implementation); __hash__ = None → no hash (unhashable).  Assigning or
 * deleting a dunder on the class (type.__setattr__) runs it again.
 *
 * Invariants: a slot function is only ever installed on a heap type; it
 * returns what its slot's contract says (pymm.h), PM_NOTIMPLEMENTED from
 * binary slots when neither operand's method answers.
 *
 * CPython behaviour mirrored: SLOT1BINFULL's order (the right operand's
 * reflected method first when its type is a proper subtype), object.__ne__
 * inverting __eq__, __getattr__ after an AttributeError of
 * __getattribute__, the result checks ("__init__() should return None, not
 * 'int'", "__bool__ should return bool, returned int", "__len__() should
 * return >= 0", "__repr__ returned non-string (type int)", "__hash__ method
 * should return an integer"), __del__ errors reported as unraisable.
 */
#include "objects/heaptype.h"
#include "objects/containers.h"

#include <stddef.h>

/* ------------------------------------------------------------------------ */
/* Looking up and calling a dunder                                           */
/* ------------------------------------------------------------------------ */

/* The first definition of name on t's MRO and the class holding it.
 * BORROWED; NULL with *owner NULL when absent (error set on failure). */
static pm_object *lookup_owner(pm_runtime *rt, const pm_type *t, pm_object *name, const pm_type **owner) {
    *owner = NULL;
    pm_object *mro = pm_type_mro(rt, t);
    if (!mro) return NULL;
    for (pm_ssize_t i = 0, n = pm_tuple_size(mro); i < n; i++) {
        const pm_type *b = (const pm_type *)pm_tuple_get(rt, mro, i);
        pm_object *d = pm_type_dict(rt, b);
        if (!d) return NULL;
        pm_object *v = pm_dict_get(rt, d, name);
        if (v) {
            *owner = b;
            return v;
        }
        if (pm_err_occurred(rt)) return NULL;
    }
    return NULL;
}

/* Call f found on type(self) as a method of self: a method descriptor
 * (a function) with self prepended, another descriptor bound first, a
 * plain callable as it is (CPython's lookup_maybe_method + call). */
static pm_object *call_found(pm_runtime *rt, pm_object *f, pm_object *self, pm_object *const *args,
                             pm_ssize_t nargs, pm_object *kwnames) {
    pm_object *stack[8], **buf = stack, *r = NULL;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0, total = nargs + nkw;
    pm_incref(rt, f);
    if (f->ob_type->flags & PM_TPFLAGS_METHOD_DESCRIPTOR) {
        if (total + 1 > (pm_ssize_t)(sizeof stack / sizeof *stack)) {
            buf = pm_malloc(rt, (size_t)(total + 1) * sizeof *buf);
            if (!buf) {
                pm_err_nomem(rt);
                goto done;
            }
        }
        buf[0] = self;
        for (pm_ssize_t i = 0; i < total; i++) buf[i + 1] = args[i];
        r = pm_call(rt, f, buf, (size_t)nargs + 1, kwnames);
        if (buf != stack) pm_free(rt, buf);
    } else if (f->ob_type->descr_get) {
        pm_object *bound = f->ob_type->descr_get(rt, f, self, pm_type_as_object(self->ob_type));
        if (bound) {
            r = pm_call(rt, bound, args, (size_t)nargs, kwnames);
            pm_decref(rt, bound);
        }
    } else {
        r = pm_call(rt, f, args, (size_t)nargs, kwnames);
    }
done:
    pm_decref(rt, f);
    return r;
}

/* self.<name>(*args) looked up on type(self).  *found = 0 (and NULL with
 * no error) when the type does not define it. */
static pm_object *call_dunder(pm_runtime *rt, pm_object *self, const char *name, pm_object *const *args,
                              pm_ssize_t nargs, int *found) {
    *found = 0;
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return NULL;
    pm_object *f = pm_type_lookup(rt, self->ob_type, n);
    pm_decref(rt, n);
    if (!f) return NULL;
    *found = 1;
    return call_found(rt, f, self, args, nargs, NULL);
}

/* The same, for a dunder that must exist: AttributeError otherwise. */
static pm_object *call_dunder_req(pm_runtime *rt, pm_object *self, const char *name, pm_object *const *args,
                                  pm_ssize_t nargs) {
    int found;
    pm_object *r = call_dunder(rt, self, name, args, nargs, &found);
    if (!found && !pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_AttributeError, name);
    return r;
}

/* For binary operators: NotImplemented when the type lacks the method. */
static pm_object *call_dunder_maybe(pm_runtime *rt, pm_object *self, const char *name, pm_object *other) {
    int found;
    pm_object *r = call_dunder(rt, self, name, &other, 1, &found);
    if (!found && !pm_err_occurred(rt)) return PM_NOTIMPLEMENTED;
    return r;
}

/* The definition of name on t's MRO if a class (not a built-in type)
 * made it: BORROWED, or NULL (*err on error). */
static pm_object *heap_defined(pm_runtime *rt, const pm_type *t, const char *name, int *err) {
    const pm_type *owner;
    *err = 0;
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) {
        *err = 1;
        return NULL;
    }
    pm_object *v = lookup_owner(rt, t, n, &owner);
    pm_decref(rt, n);
    if (!v) {
        *err = pm_err_occurred(rt) != 0;
        return NULL;
    }
    return owner && pmi_is_heaptype(owner) ? v : NULL;
}

/* ------------------------------------------------------------------------ */
/* Object-protocol slots                                                     */
/* ------------------------------------------------------------------------ */

static pm_object *check_str(pm_runtime *rt, pm_object *r, const char *what) {
    if (r && !pm_str_check(r)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s returned non-string (type %.200s)", what, r->ob_type->name);
        pm_decref(rt, r);
        return NULL;
    }
    return r;
}

static pm_object *slot_repr(pm_runtime *rt, pm_object *self) {
    return check_str(rt, call_dunder_req(rt, self, "__repr__", NULL, 0), "__repr__");
}

static pm_object *slot_str(pm_runtime *rt, pm_object *self) {
    return check_str(rt, call_dunder_req(rt, self, "__str__", NULL, 0), "__str__");
}

static pm_hash_t slot_hash(pm_runtime *rt, pm_object *self) {
    pm_object *r = call_dunder_req(rt, self, "__hash__", NULL, 0);
    if (!r) return -1;
    if (!pm_int_check(r)) {
        pm_decref(rt, r);
        pm_err_set(rt, PM_EXC_TypeError, "__hash__ method should return an integer");
        return -1;
    }
    /* the value itself when it fits, else the int's hash (CPython) */
    pm_ssize_t h = pm_int_as_ssize(rt, r);
    if (h == -1 && pm_err_occurred(rt)) {
        pm_err_clear(rt);
        h = pm_hash(rt, r);
    }
    pm_decref(rt, r);
    return h == -1 ? -2 : (pm_hash_t)h;
}

static const char *const cmp_names[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};

static pm_object *slot_richcompare(pm_runtime *rt, pm_object *self, pm_object *other, int op) {
    int found;
    pm_object *r = call_dunder(rt, self, cmp_names[op], &other, 1, &found);
    if (found || pm_err_occurred(rt)) return r;
    if (op == PM_NE) {
        /* object.__ne__: the inverse of __eq__ unless NotImplemented */
        r = call_dunder(rt, self, "__eq__", &other, 1, &found);
        if (!found) return pm_err_occurred(rt) ? NULL : PM_NOTIMPLEMENTED;
        if (!r || r == PM_NOTIMPLEMENTED) return r;
        int t = pm_is_true(rt, r);
        pm_decref(rt, r);
        return t < 0 ? NULL : pm_bool_from(!t);
    }
    return PM_NOTIMPLEMENTED;
}

/* __getattribute__ (a class's own, else the base's), then __getattr__ on
 * AttributeError.  __getattr__ is looked up first, as CPython's
 * slot_tp_getattr_hook does: the MRO walk must not run while the
 * AttributeError is pending (a miss in a subclass's own dict would read
 * that error as a failed lookup), and a __getattribute__ that deletes
 * __getattr__ from the class must not free it under the call. */
static pm_object *slot_getattr_hook(pm_runtime *rt, pm_object *self, pm_object *name) {
    int err;
    pm_object *gattr = heap_defined(rt, self->ob_type, "__getattr__", &err), *r;
    if (err) return NULL;
    pm_object *ga = heap_defined(rt, self->ob_type, "__getattribute__", &err);
    if (err) return NULL;
    pm_xincref(rt, gattr);
    if (ga) {
        r = call_found(rt, ga, self, &name, 1, NULL);
    } else {
        const pm_type *sb = PMI_HT(self->ob_type)->static_base;
        r = sb->getattr ? sb->getattr(rt, self, name) : pm_object_generic_getattr(rt, self, name);
    }
    if (gattr && !r && pm_err_matches(rt, PM_EXC_AttributeError)) {
        pm_err_clear(rt);
        r = call_found(rt, gattr, self, &name, 1, NULL);
    }
    pm_xdecref(rt, gattr);
    return r;
}

static int slot_setattr(pm_runtime *rt, pm_object *self, pm_object *name, pm_object *value) {
    int err;
    pm_object *f = heap_defined(rt, self->ob_type, value ? "__setattr__" : "__delattr__", &err), *r;
    if (err) return -1;
    if (!f) {
        const pm_type *sb = PMI_HT(self->ob_type)->static_base;
        return sb->setattr ? sb->setattr(rt, self, name, value) : pm_object_generic_setattr(rt, self, name, value);
    }
    pm_object *args[2] = {name, value};
    r = call_found(rt, f, self, args, value ? 2 : 1, NULL);
    if (!r) return -1;
    pm_decref(rt, r);
    return 0;
}

static pm_object *slot_call(pm_runtime *rt, pm_object *self, pm_object *const *args, size_t nargsf,
                            pm_object *kwnames) {
    pm_object *n = pm_str_intern_cstr(rt, "__call__");
    if (!n) return NULL;
    pm_object *f = pm_type_lookup(rt, self->ob_type, n);
    pm_decref(rt, n);
    if (!f) {
        if (!pm_err_occurred(rt)) pmi_err_type(rt, "'%.200s' object is not callable", self);
        return NULL;
    }
    return call_found(rt, f, self, args, pm_vectorcall_nargs(nargsf), kwnames);
}

static pm_object *slot_descr_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    pm_object *args[2] = {obj ? obj : PM_NONE, type ? type : PM_NONE};
    return call_dunder_req(rt, self, "__get__", args, 2);
}

static int slot_descr_set(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *value) {
    pm_object *args[2] = {obj, value};
    pm_object *r = value ? call_dunder_req(rt, self, "__set__", args, 2)
                         : call_dunder_req(rt, self, "__delete__", args, 1);
    if (!r) return -1;
    pm_decref(rt, r);
    return 0;
}

static pm_object *slot_iter(pm_runtime *rt, pm_object *self) {
    pm_object *r = call_dunder_req(rt, self, "__iter__", NULL, 0);
    if (r && !r->ob_type->iternext) {
        pm_err_format(rt, PM_EXC_TypeError, "iter() returned non-iterator of type '%.100s'", r->ob_type->name);
        PM_CLEAR(rt, r);
    }
    return r;
}

static pm_object *slot_iternext(pm_runtime *rt, pm_object *self) {
    pm_object *r = call_dunder_req(rt, self, "__next__", NULL, 0);
    if (!r && pm_err_matches(rt, PM_EXC_StopIteration)) pm_err_clear(rt);
    return r;
}

static int slot_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    pm_object *n = pm_str_intern_cstr(rt, "__init__");
    if (!n) return -1;
    pm_object *f = pm_type_lookup(rt, self->ob_type, n);
    pm_decref(rt, n);
    if (!f) {
        if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_AttributeError, "__init__");
        return -1;
    }
    pm_object *r;
    pm_incref(rt, f);
    if ((!kwargs || !pm_dict_size(kwargs)) && (f->ob_type->flags & PM_TPFLAGS_METHOD_DESCRIPTOR)) {
        /* positional only: self prepended, no bound method (CPython's
         * slot_tp_init; with keywords it copies the arguments, as the
         * bound method's call does here) */
        r = call_found(rt, f, self, args ? pm_tuple_items(args) : NULL, args ? pm_tuple_size(args) : 0, NULL);
    } else if (f->ob_type->descr_get) {
        pm_object *bound = f->ob_type->descr_get(rt, f, self, pm_type_as_object(self->ob_type));
        r = bound ? pm_call_object(rt, bound, args, kwargs) : NULL;
        pm_xdecref(rt, bound);
    } else {
        r = pm_call_object(rt, f, args, kwargs);
    }
    pm_decref(rt, f);
    if (!r) return -1;
    if (r != PM_NONE) {
        pm_err_format(rt, PM_EXC_TypeError, "__init__() should return None, not '%.200s'", r->ob_type->name);
        pm_decref(rt, r);
        return -1;
    }
    pm_decref(rt, r);
    return 0;
}

/* type.__new__ through the class: getattr(type, '__new__')(type, *args,
 * **kwargs) (a function in the dict is an implicit staticmethod). */
static pm_object *slot_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    pm_object *f = pm_getattr_cstr(rt, pm_type_as_object(type), "__new__");
    if (!f) return NULL;
    pm_ssize_t n = args ? pm_tuple_size(args) : 0;
    pm_object *first = pm_tuple_pack(rt, 1, pm_type_as_object(type)), *all = NULL, *r = NULL;
    if (first) all = args ? pm_tuple_concat(rt, first, args) : pm_newref(rt, first);
    (void)n;
    if (all) r = pm_call_object(rt, f, all, kwargs);
    pm_xdecref(rt, all);
    pm_xdecref(rt, first);
    pm_decref(rt, f);
    return r;
}

/* PEP 442 finalizer: __del__, its errors reported as unraisable naming
 * what was called, as 3.11's slot_tp_finalize does ("Exception ignored
 * in: <function C.__del__ at 0x...>": the function for a method
 * descriptor, else what binding gave, or the plain callable); an error
 * while binding is dropped, as there. */
static void slot_finalize(pm_runtime *rt, pm_object *self) {
    pmi_err_saved saved;
    pmi_err_save(rt, &saved);
    pm_object *n = pm_str_intern_cstr(rt, "__del__");
    pm_object *f = n ? pm_type_lookup(rt, self->ob_type, n) : NULL, *r = NULL;
    pm_xdecref(rt, n);
    if (!f) goto done;
    if (f->ob_type->flags & PM_TPFLAGS_METHOD_DESCRIPTOR) {
        pm_incref(rt, f);
        r = pm_call(rt, f, &self, 1, NULL);
    } else if (f->ob_type->descr_get) {
        f = f->ob_type->descr_get(rt, f, self, pm_type_as_object(self->ob_type));
        if (!f) goto done;
        r = pm_call(rt, f, NULL, 0, NULL);
    } else {
        pm_incref(rt, f);
        r = pm_call(rt, f, NULL, 0, NULL);
    }
    if (r) pm_decref(rt, r);
    else pm_err_write_unraisable(rt, "Exception ignored in", f);
    pm_decref(rt, f);
done:
    pm_err_clear(rt);
    pmi_err_restore(rt, &saved);
}

/* ------------------------------------------------------------------------ */
/* Sequence and mapping slots                                                */
/* ------------------------------------------------------------------------ */

static pm_ssize_t slot_length(pm_runtime *rt, pm_object *self) {
    pm_object *r = call_dunder_req(rt, self, "__len__", NULL, 0);
    if (!r) return -1;
    if (!pmi_has_index(r)) {
        pmi_err_type(rt, "'%.200s' object cannot be interpreted as an integer", r);
        pm_decref(rt, r);
        return -1;
    }
    pm_ssize_t n = pm_index_as_ssize(rt, r, PM_INDEX_OVERFLOWERROR);
    if (n < 0 && !(n == -1 && pm_err_occurred(rt))) {
        pm_err_set(rt, PM_EXC_ValueError, "__len__() should return >= 0");
        n = -1;
    }
    pm_decref(rt, r);
    return n;
}

static pm_object *slot_subscript(pm_runtime *rt, pm_object *self, pm_object *key) {
    return call_dunder_req(rt, self, "__getitem__", &key, 1);
}

static pm_object *slot_sq_item(pm_runtime *rt, pm_object *self, pm_ssize_t i) {
    pm_object *k = pm_int_from_ssize(rt, i);
    if (!k) return NULL;
    pm_object *r = call_dunder_req(rt, self, "__getitem__", &k, 1);
    pm_decref(rt, k);
    return r;
}

static int slot_ass_subscript(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *value) {
    pm_object *args[2] = {key, value};
    pm_object *r = value ? call_dunder_req(rt, self, "__setitem__", args, 2)
                         : call_dunder_req(rt, self, "__delitem__", args, 1);
    if (!r) return -1;
    pm_decref(rt, r);
    return 0;
}

static int slot_sq_ass_item(pm_runtime *rt, pm_object *self, pm_ssize_t i, pm_object *value) {
    pm_object *k = pm_int_from_ssize(rt, i);
    if (!k) return -1;
    int r = slot_ass_subscript(rt, self, k, value);
    pm_decref(rt, k);
    return r;
}

static int slot_contains(pm_runtime *rt, pm_object *self, pm_object *key) {
    int found;
    pm_object *r = call_dunder(rt, self, "__contains__", &key, 1, &found);
    if (!found) {
        if (pm_err_occurred(rt)) return -1;
        /* no __contains__ after all: iterate (PySequence_Contains' fallback) */
        pm_object *it = pm_iter(rt, self), *item;
        if (!it) return -1;
        int res = 0;
        while ((item = pm_iter_next(rt, it))) {
            int eq = pm_equal(rt, item, key);
            pm_decref(rt, item);
            if (eq) {
                res = eq;
                break;
            }
        }
        if (!res && pm_err_occurred(rt)) res = -1;
        pm_decref(rt, it);
        return res;
    }
    if (!r) return -1;
    int t = pm_is_true(rt, r);
    pm_decref(rt, r);
    return t;
}

/* ------------------------------------------------------------------------ */
/* Number slots                                                              */
/* ------------------------------------------------------------------------ */

#define NB_OFF(f) offsetof(pm_number_methods, f)

static pm_binaryfunc nb_binslot(const pm_type *t, size_t off) {
    pm_binaryfunc f = NULL;
    if (t->as_number) memcpy(&f, (const char *)t->as_number + off, sizeof f);
    return f;
}

/* method_is_overloaded: type(right) defines name differently from
 * type(left).  1 / 0 / -1. */
static int overloaded(pm_runtime *rt, pm_object *left, pm_object *right, const char *name) {
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return -1;
    pm_object *a = pm_type_lookup(rt, right->ob_type, n);
    if (!a && pm_err_occurred(rt)) goto fail;
    pm_object *b = pm_type_lookup(rt, left->ob_type, n);
    if (!b && pm_err_occurred(rt)) goto fail;
    pm_decref(rt, n);
    return a != NULL && a != b;
fail:
    pm_decref(rt, n);
    return -1;
}

/* SLOT1BINFULL: self OP other for the slot at off whose function is me. */
static pm_object *binop(pm_runtime *rt, pm_object *self, pm_object *other, const char *op, const char *rop,
                        size_t off, pm_binaryfunc me) {
    const pm_type *ts = self->ob_type, *to = other->ob_type;
    int do_other = ts != to && nb_binslot(to, off) == me;
    pm_object *r;
    if (nb_binslot(ts, off) == me) {
        int ov = do_other && pm_type_is_subtype(to, ts) ? overloaded(rt, self, other, rop) : 0;
        if (ov < 0) return NULL;
        if (ov) {
            r = call_dunder_maybe(rt, other, rop, self);
            if (r != PM_NOTIMPLEMENTED) return r;
            do_other = 0;
        }
        r = call_dunder_maybe(rt, self, op, other);
        if (r != PM_NOTIMPLEMENTED || ts == to) return r;
    }
    if (do_other) return call_dunder_maybe(rt, other, rop, self);
    return PM_NOTIMPLEMENTED;
}

#define SLOT_BINARY(fn, field, op, rop, iop)                                                   \
    static pm_object *fn(pm_runtime *rt, pm_object *a, pm_object *b) {                         \
        return binop(rt, a, b, op, rop, NB_OFF(field), fn);                                    \
    }                                                                                          \
    static pm_object *fn##_inplace(pm_runtime *rt, pm_object *a, pm_object *b) {               \
        return call_dunder_maybe(rt, a, iop, b);                                               \
    }
SLOT_BINARY(slot_nb_add, nb_add, "__add__", "__radd__", "__iadd__")
SLOT_BINARY(slot_nb_subtract, nb_subtract, "__sub__", "__rsub__", "__isub__")
SLOT_BINARY(slot_nb_multiply, nb_multiply, "__mul__", "__rmul__", "__imul__")
SLOT_BINARY(slot_nb_remainder, nb_remainder, "__mod__", "__rmod__", "__imod__")
SLOT_BINARY(slot_nb_lshift, nb_lshift, "__lshift__", "__rlshift__", "__ilshift__")
SLOT_BINARY(slot_nb_rshift, nb_rshift, "__rshift__", "__rrshift__", "__irshift__")
SLOT_BINARY(slot_nb_and, nb_and, "__and__", "__rand__", "__iand__")
SLOT_BINARY(slot_nb_xor, nb_xor, "__xor__", "__rxor__", "__ixor__")
SLOT_BINARY(slot_nb_or, nb_or, "__or__", "__ror__", "__ior__")
SLOT_BINARY(slot_nb_floor_divide, nb_floor_divide, "__floordiv__", "__rfloordiv__", "__ifloordiv__")
SLOT_BINARY(slot_nb_true_divide, nb_true_divide, "__truediv__", "__rtruediv__", "__itruediv__")
SLOT_BINARY(slot_nb_matrix_multiply, nb_matrix_multiply, "__matmul__", "__rmatmul__", "__imatmul__")
#undef SLOT_BINARY

static pm_object *slot_nb_divmod(pm_runtime *rt, pm_object *a, pm_object *b) {
    return binop(rt, a, b, "__divmod__", "__rdivmod__", NB_OFF(nb_divmod), slot_nb_divmod);
}

static pm_object *slot_nb_power(pm_runtime *rt, pm_object *self, pm_object *other, pm_object *mod) {
    if (mod == PM_NONE) {
        const pm_type *ts = self->ob_type, *to = other->ob_type;
        pm_ternaryfunc mine = slot_nb_power;
        pm_ternaryfunc fs = ts->as_number ? ts->as_number->nb_power : NULL;
        pm_ternaryfunc fo = to->as_number ? to->as_number->nb_power : NULL;
        int do_other = ts != to && fo == mine;
        pm_object *r;
        if (fs == mine) {
            int ov = do_other && pm_type_is_subtype(to, ts) ? overloaded(rt, self, other, "__rpow__") : 0;
            if (ov < 0) return NULL;
            if (ov) {
                r = call_dunder_maybe(rt, other, "__rpow__", self);
                if (r != PM_NOTIMPLEMENTED) return r;
                do_other = 0;
            }
            r = call_dunder_maybe(rt, self, "__pow__", other);
            if (r != PM_NOTIMPLEMENTED || ts == to) return r;
        }
        if (do_other) return call_dunder_maybe(rt, other, "__rpow__", self);
        return PM_NOTIMPLEMENTED;
    }
    /* three arguments: only self's __pow__ (as CPython) */
    if (self->ob_type->as_number && self->ob_type->as_number->nb_power == slot_nb_power) {
        int found;
        pm_object *args[2] = {other, mod};
        pm_object *r = call_dunder(rt, self, "__pow__", args, 2, &found);
        if (!found && !pm_err_occurred(rt)) return PM_NOTIMPLEMENTED;
        return r;
    }
    return PM_NOTIMPLEMENTED;
}

static pm_object *slot_nb_inplace_power(pm_runtime *rt, pm_object *self, pm_object *other, pm_object *mod) {
    (void)mod;
    return call_dunder_maybe(rt, self, "__ipow__", other);
}

#define SLOT_UNARY(fn, name)                                                                   \
    static pm_object *fn(pm_runtime *rt, pm_object *self) { return call_dunder_req(rt, self, name, NULL, 0); }
SLOT_UNARY(slot_nb_negative, "__neg__")
SLOT_UNARY(slot_nb_positive, "__pos__")
SLOT_UNARY(slot_nb_absolute, "__abs__")
SLOT_UNARY(slot_nb_invert, "__invert__")
#undef SLOT_UNARY

/* __index__ / __int__ / __float__ must return an exact-ish type (the
 * generic operations check the subclass cases). */
static pm_object *slot_nb_index(pm_runtime *rt, pm_object *self) {
    pm_object *r = call_dunder_req(rt, self, "__index__", NULL, 0);
    if (r && !pm_int_check(r)) {
        pm_err_format(rt, PM_EXC_TypeError, "__index__ returned non-int (type %.200s)", r->ob_type->name);
        PM_CLEAR(rt, r);
    }
    return r;
}

static pm_object *slot_nb_int(pm_runtime *rt, pm_object *self) {
    pm_object *r = call_dunder_req(rt, self, "__int__", NULL, 0);
    if (r && !pm_int_check(r)) {
        pm_err_format(rt, PM_EXC_TypeError, "__int__ returned non-int (type %.200s)", r->ob_type->name);
        PM_CLEAR(rt, r);
    }
    return r;
}

static pm_object *slot_nb_float(pm_runtime *rt, pm_object *self) {
    pm_object *r = call_dunder_req(rt, self, "__float__", NULL, 0);
    if (r && !pm_float_check(r)) {
        pm_err_format(rt, PM_EXC_TypeError, "%.50s.__float__ returned non-float (type %.50s)",
                      self->ob_type->name, r->ob_type->name);
        PM_CLEAR(rt, r);
    }
    return r;
}

static int slot_nb_bool(pm_runtime *rt, pm_object *self) {
    int found;
    pm_object *r = call_dunder(rt, self, "__bool__", NULL, 0, &found);
    if (!found) {
        if (pm_err_occurred(rt)) return -1;
        pm_ssize_t n = slot_length(rt, self);
        return n < 0 ? -1 : n > 0;
    }
    if (!r) return -1;
    if (r != PM_TRUE && r != PM_FALSE) {
        pm_err_format(rt, PM_EXC_TypeError, "__bool__ should return bool, returned %.200s", r->ob_type->name);
        pm_decref(rt, r);
        return -1;
    }
    return r == PM_TRUE;
}

/* ------------------------------------------------------------------------ */
/* Construction of subclasses of built-in types without a __new__ of their  */
/* own in the library (list)                                                */
/* ------------------------------------------------------------------------ */

/* An empty instance of a list subclass (a zeroed list is an empty list). */
static pm_object *list_sub_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)args;
    (void)kwargs;
    pm_object *o = pmi_gc_new(rt, type);
    if (o) pmi_gc_track(rt, o);
    return o;
}

/* list.__init__(self, iterable=()): empty the list, then extend it. */
static int list_sub_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    pm_ssize_t n = args ? pm_tuple_size(args) : 0;
    if (kwargs && pm_dict_size(kwargs)) {
        pm_err_set(rt, PM_EXC_TypeError, "list() takes no keyword arguments");
        return -1;
    }
    if (n > 1) {
        pm_err_format(rt, PM_EXC_TypeError, "list expected at most 1 argument, got %zd", n);
        return -1;
    }
    if (pm_list_size(self) && pm_list_clear(rt, self) < 0) return -1;
    return n ? pm_list_extend(rt, self, pm_tuple_get(rt, args, 0)) : 0;
}

/* An empty instance of a dict subclass: a zeroed dict with the shared empty
 * table every new dict starts from (taken from one, which stays empty). */
static pm_object *dict_sub_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)args;
    (void)kwargs;
    pm_object *tmp = pm_dict_new(rt);
    if (!tmp) return NULL;
    pm_object *o = pmi_gc_new(rt, type);
    if (o) {
        PMI_DICT(o)->keys = PMI_DICT(tmp)->keys;
        pmi_gc_track(rt, o);
    }
    pm_decref(rt, tmp);
    return o;
}

/* dict.__init__(self, mapping=(), **kwargs): update from both. */
static int dict_sub_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    pm_ssize_t n = args ? pm_tuple_size(args) : 0;
    if (n > 1) {
        pm_err_format(rt, PM_EXC_TypeError, "dict expected at most 1 argument, got %zd", n);
        return -1;
    }
    if (n && pm_dict_update(rt, self, pm_tuple_get(rt, args, 0)) < 0) return -1;
    return kwargs ? pm_dict_update(rt, self, kwargs) : 0;
}

/* ------------------------------------------------------------------------ */
/* The table and the fixup                                                   */
/* ------------------------------------------------------------------------ */

enum { K_TYPE, K_NUM, K_SEQ, K_MAP };

typedef void (*anyfunc)(void);

typedef struct slotdef {
    const char *name;               /* the dunder */
    int kind;                       /* K_*: which struct holds the slot */
    size_t offset;                  /* the slot's offset in that struct */
    anyfunc fn;                     /* the slot function (cast back on store) */
} slotdef;

#define TS(n, f, fn) {n, K_TYPE, offsetof(pm_type, f), (anyfunc)(fn)}
#define NS(n, f, fn) {n, K_NUM, offsetof(pm_number_methods, f), (anyfunc)(fn)}
#define SS(n, f, fn) {n, K_SEQ, offsetof(pm_sequence_methods, f), (anyfunc)(fn)}
#define MS(n, f, fn) {n, K_MAP, offsetof(pm_mapping_methods, f), (anyfunc)(fn)}
#define NB2(op, rop, iop, f, fn)                                                               \
    NS(op, nb_##f, fn), NS(rop, nb_##f, fn), NS(iop, nb_inplace_##f, fn##_inplace)

static const slotdef slotdefs[] = {
    TS("__repr__", repr, slot_repr),
    TS("__str__", str, slot_str),
    TS("__hash__", hash, slot_hash),
    TS("__lt__", richcompare, slot_richcompare),
    TS("__le__", richcompare, slot_richcompare),
    TS("__eq__", richcompare, slot_richcompare),
    TS("__ne__", richcompare, slot_richcompare),
    TS("__gt__", richcompare, slot_richcompare),
    TS("__ge__", richcompare, slot_richcompare),
    TS("__getattribute__", getattr, slot_getattr_hook),
    TS("__getattr__", getattr, slot_getattr_hook),
    TS("__setattr__", setattr, slot_setattr),
    TS("__delattr__", setattr, slot_setattr),
    TS("__call__", call, slot_call),
    TS("__get__", descr_get, slot_descr_get),
    TS("__set__", descr_set, slot_descr_set),
    TS("__delete__", descr_set, slot_descr_set),
    TS("__iter__", iter, slot_iter),
    TS("__next__", iternext, slot_iternext),
    TS("__init__", init, slot_init),
    TS("__new__", new_object, slot_new),
    TS("__del__", finalize, slot_finalize),
    SS("__len__", sq_length, slot_length),
    MS("__len__", mp_length, slot_length),
    MS("__getitem__", mp_subscript, slot_subscript),
    SS("__getitem__", sq_item, slot_sq_item),
    MS("__setitem__", mp_ass_subscript, slot_ass_subscript),
    MS("__delitem__", mp_ass_subscript, slot_ass_subscript),
    SS("__setitem__", sq_ass_item, slot_sq_ass_item),
    SS("__delitem__", sq_ass_item, slot_sq_ass_item),
    SS("__contains__", sq_contains, slot_contains),
    NB2("__add__", "__radd__", "__iadd__", add, slot_nb_add),
    NB2("__sub__", "__rsub__", "__isub__", subtract, slot_nb_subtract),
    NB2("__mul__", "__rmul__", "__imul__", multiply, slot_nb_multiply),
    NB2("__mod__", "__rmod__", "__imod__", remainder, slot_nb_remainder),
    NB2("__lshift__", "__rlshift__", "__ilshift__", lshift, slot_nb_lshift),
    NB2("__rshift__", "__rrshift__", "__irshift__", rshift, slot_nb_rshift),
    NB2("__and__", "__rand__", "__iand__", and, slot_nb_and),
    NB2("__xor__", "__rxor__", "__ixor__", xor, slot_nb_xor),
    NB2("__or__", "__ror__", "__ior__", or, slot_nb_or),
    NB2("__floordiv__", "__rfloordiv__", "__ifloordiv__", floor_divide, slot_nb_floor_divide),
    NB2("__truediv__", "__rtruediv__", "__itruediv__", true_divide, slot_nb_true_divide),
    NB2("__matmul__", "__rmatmul__", "__imatmul__", matrix_multiply, slot_nb_matrix_multiply),
    NS("__divmod__", nb_divmod, slot_nb_divmod),
    NS("__rdivmod__", nb_divmod, slot_nb_divmod),
    NS("__pow__", nb_power, slot_nb_power),
    NS("__rpow__", nb_power, slot_nb_power),
    NS("__ipow__", nb_inplace_power, slot_nb_inplace_power),
    NS("__neg__", nb_negative, slot_nb_negative),
    NS("__pos__", nb_positive, slot_nb_positive),
    NS("__abs__", nb_absolute, slot_nb_absolute),
    NS("__invert__", nb_invert, slot_nb_invert),
    NS("__bool__", nb_bool, slot_nb_bool),
    NS("__index__", nb_index, slot_nb_index),
    NS("__int__", nb_int, slot_nb_int),
    NS("__float__", nb_float, slot_nb_float),
};

int pmi_slots_is_special(pm_object *name) {
    for (size_t i = 0; i < sizeof slotdefs / sizeof *slotdefs; i++)
        if (pm_str_equal_cstr(name, slotdefs[i].name)) return 1;
    return 0;
}

/* The type-level slots fixup manages (the layout hooks, set by
 * heaptype.c, are left alone). */
static const size_t type_slot_offsets[] = {
    offsetof(pm_type, repr), offsetof(pm_type, str), offsetof(pm_type, hash),
    offsetof(pm_type, richcompare), offsetof(pm_type, getattr), offsetof(pm_type, setattr),
    offsetof(pm_type, call), offsetof(pm_type, descr_get), offsetof(pm_type, descr_set),
    offsetof(pm_type, new_object), offsetof(pm_type, init), offsetof(pm_type, iter),
    offsetof(pm_type, iternext), offsetof(pm_type, finalize), offsetof(pm_type, getbuffer),
    offsetof(pm_type, releasebuffer),
};

/* Copy every NULL function pointer of dst (n pointers) from src. */
static void inherit_ptrs(void *dst, const void *src, size_t n) {
    for (size_t i = 0; i < n; i++) {
        anyfunc d, s;
        memcpy(&d, (char *)dst + i * sizeof(anyfunc), sizeof d);
        memcpy(&s, (const char *)src + i * sizeof(anyfunc), sizeof s);
        if (!d && s) memcpy((char *)dst + i * sizeof(anyfunc), &s, sizeof s);
    }
}

static void *slot_base(pmi_heaptype *ht, int kind) {
    switch (kind) {
    case K_NUM: return &ht->as_number;
    case K_SEQ: return &ht->as_sequence;
    case K_MAP: return &ht->as_mapping;
    default: return &ht->type;
    }
}

int pmi_slots_fixup(pm_runtime *rt, pmi_heaptype *ht) {
    pm_type *t = &ht->type;
    pm_object *mro = ht->state.mro;
    if (!mro) return 0;
    static const anyfunc none = NULL;
    /* (1) clear */
    for (size_t i = 0; i < sizeof type_slot_offsets / sizeof *type_slot_offsets; i++)
        memcpy((char *)t + type_slot_offsets[i], &none, sizeof none);
    memset(&ht->as_number, 0, sizeof ht->as_number);
    memset(&ht->as_sequence, 0, sizeof ht->as_sequence);
    memset(&ht->as_mapping, 0, sizeof ht->as_mapping);
    /* (2) inherit along the MRO */
    for (pm_ssize_t i = 1, n = pm_tuple_size(mro); i < n; i++) {
        const pm_type *b = (const pm_type *)pm_tuple_get(rt, mro, i);
        for (size_t k = 0; k < sizeof type_slot_offsets / sizeof *type_slot_offsets; k++)
            inherit_ptrs((char *)t + type_slot_offsets[k], (const char *)b + type_slot_offsets[k], 1);
        if (b->as_number) inherit_ptrs(&ht->as_number, b->as_number, sizeof(pm_number_methods) / sizeof(anyfunc));
        if (b->as_sequence)
            inherit_ptrs(&ht->as_sequence, b->as_sequence, sizeof(pm_sequence_methods) / sizeof(anyfunc));
        if (b->as_mapping)
            inherit_ptrs(&ht->as_mapping, b->as_mapping, sizeof(pm_mapping_methods) / sizeof(anyfunc));
    }
    /* list and dict's own constructors make exact instances only: a
     * subclass gets one that allocates its layout (list.__init__ /
     * dict.__init__ then fill it) */
    if ((t->new_object == pm_object_type.new_object || t->new_object == pm_list_type.new_object) &&
        ht->static_base == &pm_list_type) {
        t->new_object = list_sub_new;
        if (t->init == pm_object_type.init) t->init = list_sub_init;
    }
    if ((t->new_object == pm_object_type.new_object || t->new_object == pm_dict_type.new_object) &&
        ht->static_base == &pm_dict_type) {
        t->new_object = dict_sub_new;
        if (t->init == pm_object_type.init) t->init = dict_sub_init;
    }
    /* (3) the dunders classes define */
    for (size_t i = 0; i < sizeof slotdefs / sizeof *slotdefs; i++) {
        const slotdef *sd = &slotdefs[i];
        const pm_type *owner;
        pm_object *name = pm_str_intern_cstr(rt, sd->name);
        if (!name) return -1;
        pm_object *v = lookup_owner(rt, t, name, &owner);
        pm_decref(rt, name);
        if (!v) {
            if (pm_err_occurred(rt)) return -1;
            continue;
        }
        if (!pmi_is_heaptype(owner)) continue;
        char *p = (char *)slot_base(ht, sd->kind) + sd->offset;
        if (sd->kind == K_TYPE && sd->offset == offsetof(pm_type, hash) && v == PM_NONE) {
            memcpy(p, &none, sizeof none);          /* __hash__ = None: unhashable */
            continue;
        }
        memcpy(p, &sd->fn, sizeof sd->fn);
    }
    return 0;
}
