/*
 * subvalue.c — instances of classes derived from the built-in value types:
 * class I(int), class S(str), class T(tuple), class F(float), class
 * B(bytes), class C(complex), class FS(frozenset) (and set / bytearray).
 * CPython 3.11's long_subtype_new, float_subtype_new, unicode_subtype_new,
 * bytes_subtype_new, tuple_subtype_new, complex_subtype_from_c_complex and
 * make_new_set for a subtype.
 *
 * Purpose
 *   The constructors in objects/typenew.c compute a value of the exact
 *   core type; for a class they hand it to pmi_subvalue_new, which copies
 *   the value's body into a block laid out for the class and drops the
 *   exact value — CPython's way (int.__new__(I, 5) builds 5, then copies
 *   its digits into an I).
 *
 * Layout of a class's own fields
 *   A fixed-size base (float, complex, frozenset, list, ...) ends at
 *   basicsize: the class's fields follow at fixed positive offsets
 *   (objects/heaptype.c).  A variable-size base — int's digits, tuple's
 *   items, bytes' bytes, and str, whose characters follow its compact
 *   header here — ends at a place that differs per instance, so the
 *   class's fields go after the body, rounded to a word:
 *
 *     +--------+---------------------------+-----+----------+---------+
 *     | header | base body (n digits/items) | pad | __dict__ | slots.. |
 *     +--------+---------------------------+-----+----------+---------+
 *                                               ^ tail: round8(body end)
 *
 *   Such a field's offset is stored negative, -8 - (its byte position in
 *   the tail): the dict of class I(int) is at -8, as CPython's
 *   I.__dictoffset__ says.  Code that reads positive offsets only (the
 *   weakref list) sees no field; a class on such a base gets no
 *   __weakref__ (CPython: none for int / tuple / bytes; str subclasses
 *   differ here — CPython's are two-block strings with a weakref slot).
 *
 * Invariants
 *   - The allocation is round8(body) + (type->basicsize - base->basicsize):
 *     basicsize counts the class's own fields once, as in CPython
 *     (I.__basicsize__ == 32, T.__basicsize__ == 32, B.__basicsize__ == 41).
 *   - An int body always has room for one digit (a zero's ob_digit[0] is
 *     never overlaid by the dict).
 *   - The copy owns everything it points at: a tuple's items are increfed,
 *     a str's cached UTF-8 is not shared (the copy computes its own), the
 *     interned flag is cleared (only exact strs are interned).
 *
 * sys.getsizeof of such instances follows CPython 3.11: int's __sizeof__
 * (digits only), tuple / bytes the class's basicsize plus the items, str
 * sizeof(PyUnicodeObject) + characters (+16 for the managed dict). *
 * Reported layout (pmi_type_reported_layout: type.__basicsize__,
 *   __dictoffset__, __weakrefoffset__)
 *   CPython 3.11 keeps a class's __dict__ (and inline values) in a
 *   pre-header when the base's itemsize is 0 (Py_TPFLAGS_MANAGED_DICT):
 *   basicsize leaves it out, the weakref word follows the slots and
 *   __dictoffset__ is -(that end) - 24.  pymm keeps the same two words
 *   inside the object (heaptype.c), so its own basicsize is 16 more and its
 *   offsets positive; the instance sizes are equal.  The reported figures
 *   are CPython's, computed down the base chain from the static base:
 *       basic = base's + 8 per slot; + 8 for a weakref word added here
 *       dict  = -8 and basic + 8 (itemsize base), else -basic - 24
 *   str reports sizeof(PyUnicodeObject), 80 (CPython's str subclasses are
 *   two-block strings; pymm's are compact, the characters inline).
 *   The one real layout difference: a str subclass has no weakref word
 *   here (the fields go behind the characters, where the weakref code does
 *   not look), so class S(str) reports basicsize 80 and __weakrefoffset__
 *   0 where CPython says 88 and 80, and weakref.ref(S()) is a TypeError.
 */
#include "objects/subvalue.h"
#include "objects/containers.h"
#include "objects/heaptype.h"
#include "objects/scalar.h"

#include <stddef.h>

#define ROUND8(n) (((n) + 7) & ~(size_t)7)

static const pm_type *static_base(const pm_type *t) {
    while (t && (t->flags & PM_TPFLAGS_HEAPTYPE)) t = t->base;
    return t;
}

int pmi_subvalue_tail_base(const pm_type *sb) {
    return sb == &pm_int_type || sb == &pm_tuple_type || sb == &pm_bytes_type || sb == &pm_str_type;
}

/* Bytes of o's base body from the object's start (unrounded). */
static size_t body_size(const pm_type *sb, const pm_object *o) {
    if (sb == &pm_int_type) {
        pm_ssize_t n = pmi_int_ndigits(o);
        return PMI_INT_HEADER + (size_t)(n < 1 ? 1 : n) * sizeof(pmi_digit);
    }
    if (sb == &pm_tuple_type) return offsetof(pmi_tuple, ob_item) + (size_t)pm_var_size(o) * sizeof(pm_object *);
    if (sb == &pm_bytes_type) return PMI_BYTES_HEADER + (size_t)pm_var_size(o);
    if (sb == &pm_str_type) {
        const pmi_ascii *a = PMI_STR(o);
        if (a->state.ascii) return sizeof(pmi_ascii) + (size_t)a->length + 1;
        return sizeof(pmi_compact) + ((size_t)a->length + 1) * a->state.kind;
    }
    return (size_t)sb->basicsize;
}

pm_object **pmi_subvalue_field(pm_object *o, pm_ssize_t off) {
    const pm_type *sb = static_base(o->ob_type);
    size_t tail = ROUND8(body_size(sb, o));
    return (pm_object **)(void *)((char *)o + tail + (size_t)(-8 - off));
}

size_t pmi_subvalue_size_of(pm_runtime *rt, pm_object *self) {
    const pm_type *t = self->ob_type, *sb = static_base(t);
    if (sb == &pm_int_type) return sb->size_of(rt, self);
    if (sb == &pm_str_type) {
        const pmi_ascii *a = PMI_STR(self);
        size_t size = 80 + ((size_t)a->length + 1) * a->state.kind;   /* sizeof(PyUnicodeObject) + data */
        return size + (t->dictoffset ? 16 : 0);                        /* the managed dict's pre-header */
    }
    return (size_t)t->basicsize + (size_t)pm_var_size(self) * (size_t)sb->itemsize;
}

pm_object *pmi_subvalue_str_exact(pm_runtime *rt, pm_object *s) {
    if (s->ob_type == &pm_str_type) return pm_newref(rt, s);
    const pmi_ascii *a = PMI_STR(s);
    uint32_t maxchar = a->state.ascii ? 0x7f : a->state.kind == 1 ? 0xff : a->state.kind == 2 ? 0xffff : 0x10ffff;
    pm_object *r = pmi_str_new(rt, a->length, maxchar);
    if (!r) return NULL;
    memcpy(pmi_str_data(r), pmi_str_data(s), (size_t)a->length * a->state.kind);
    return pmi_str_result(rt, r);
}

/* A set-like body for type: empty table, no hash yet. */
static void set_init_empty(pm_object *o) {
    pmi_set *so = PMI_SET(o);
    so->fill = so->used = 0;
    so->mask = PMI_SET_MINSIZE - 1;
    so->table = so->smalltable;
    so->hash = -1;
    so->finger = 0;
    so->weakreflist = NULL;
}

/* Only classes (heap types laid out by objects/heaptype.c) get these
 * layouts; a static C type deriving from a value type is refused.  1 / 0. */
static int is_class(pm_runtime *rt, const pm_type *type) {
    if (pmi_is_heaptype(type)) return 1;
    pm_err_format(rt, PM_EXC_TypeError, "cannot create '%s' instances: not a class made by type()", type->name);
    return 0;
}

pm_object *pmi_subvalue_empty(pm_runtime *rt, const pm_type *type) {
    if (!is_class(rt, type)) return NULL;
    const pm_type *sb = static_base(type);
    pm_object *o = (type->flags & PM_TPFLAGS_GC) ? pmi_gc_new(rt, type) : pmi_object_new(rt, type);
    if (!o) return NULL;
    if (sb == &pm_set_type || sb == &pm_frozenset_type) set_init_empty(o);
    if (sb == &pm_dict_type) {
        /* the shared empty table every new dict starts from */
        pm_object *tmp = pm_dict_new(rt);
        if (!tmp) {
            pmi_object_free(rt, o);
            return NULL;
        }
        PMI_DICT(o)->keys = PMI_DICT(tmp)->keys;
        pm_decref(rt, tmp);
    }
    if (type->flags & PM_TPFLAGS_GC) pmi_gc_track(rt, o);
    return o;
}

pm_object *pmi_subvalue_new(pm_runtime *rt, const pm_type *type, pm_object *value) {
    if (!value) return NULL;
    if (!is_class(rt, type)) {
        pm_decref(rt, value);
        return NULL;
    }
    const pm_type *sb = static_base(type);
    pm_object *o = NULL;
    if (sb == &pm_set_type || sb == &pm_frozenset_type) {
        /* the keys one by one (pm_set_update takes mutable sets only; a
         * fresh frozenset may be filled by its creator) */
        o = pmi_subvalue_empty(rt, type);
        pm_ssize_t pos = 0;
        pm_object *key;
        while (o && pm_set_next(value, &pos, &key))
            if (pm_set_add(rt, o, key) < 0) PM_CLEAR(rt, o);
        pm_decref(rt, value);
        return o;
    }
    size_t body = body_size(sb, value), size = body;
    if (pmi_subvalue_tail_base(sb)) size = ROUND8(body) + (size_t)(type->basicsize - sb->basicsize);
    else size = (size_t)type->basicsize;
    o = pmi_object_alloc_size(rt, type, size);
    if (!o) goto done;
    memcpy((char *)o + sizeof(pm_object), (char *)value + sizeof(pm_object), body - sizeof(pm_object));
    memset((char *)o + body, 0, size - body);
    if (sb == &pm_tuple_type) {
        for (pm_ssize_t i = 0, n = pm_var_size(o); i < n; i++) pm_xincref(rt, PMI_TUPLE(o)->ob_item[i]);
    } else if (sb == &pm_str_type) {
        PMI_STR(o)->state.interned = PMI_SSTATE_NOT_INTERNED;
        if (!PMI_STR(o)->state.ascii) {
            ((pmi_compact *)o)->utf8 = NULL;
            ((pmi_compact *)o)->utf8_length = 0;
        }
    }
    if (type->flags & PM_TPFLAGS_GC) pmi_gc_track(rt, o);
done:
    pm_decref(rt, value);
    return o;
}

void pmi_type_reported_layout(const pm_type *t, pmi_type_layout *out) {
    if (!(t->flags & PM_TPFLAGS_HEAPTYPE) || !t->base) {
        out->basicsize = t == &pm_str_type ? 80 : t->basicsize;   /* sizeof(PyUnicodeObject) */
        out->dictoffset = t->dictoffset;
        out->weakrefoffset = t->weaklistoffset;
        return;
    }
    const pm_type *b = t->base;
    pmi_type_reported_layout(b, out);
    const pmi_heaptype *ht = (const pmi_heaptype *)t;
    pm_ssize_t end = out->basicsize + ht->nslots * (pm_ssize_t)sizeof(pm_object *);
    if (t->weaklistoffset != b->weaklistoffset) {
        out->weakrefoffset = end;
        end += (pm_ssize_t)sizeof(pm_object *);
    }
    if (t->dictoffset != b->dictoffset) {
        if (b->itemsize != 0) {
            out->dictoffset = -(pm_ssize_t)sizeof(pm_object *);
            end += (pm_ssize_t)sizeof(pm_object *);
        } else {
            out->dictoffset = -end - 3 * (pm_ssize_t)sizeof(pm_object *);
        }
    }
    out->basicsize = end;
}
