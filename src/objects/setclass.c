/*
 * setclass.c — obj.__class__ = C: changing the class of an instance.
 * CPython 3.11's object_set_class, compatible_for_assignment,
 * compatible_with_tp_base and same_slots_added.
 *
 * Purpose
 *   An instance may move to another class when nothing that reads its
 *   memory can tell: both classes are heap classes (built-in types are
 *   immutable), and once the classes that add nothing to their base's
 *   layout are skipped, both reach the same layout — the same base, the
 *   same __slots__ cells, dict and weakref fields at the same places.
 *
 *     class A: pass          a = A()
 *     class B: pass          a.__class__ = B        fine: same layout
 *     class S: __slots__ = ('x',)
 *                            a.__class__ = S        TypeError: layout differs
 *     a.__class__ = int      TypeError: only for mutable types
 *     module.__class__ = M   fine when M subclasses types.ModuleType and
 *                            adds no field (the exception to "heap classes")
 *
 * Invariants: the instance keeps its memory; the new class is increfed
 * before the old one is released (an instance owns a reference to its heap
 * class).  The messages are CPython's.
 */
#include "objects/instattr.h"
#include "objects/genericalias.h"
#include "objects/heaptype.h"

/* child adds nothing to its base's layout (CPython's compatible_with_tp_base). */
static int same_as_base(const pm_type *child) {
    const pm_type *parent = child->base;
    if (!parent) return 0;
    if (pmi_is_heaptype(child) && PMI_HT(child)->nslots) return 0;
    return child->basicsize == parent->basicsize && child->itemsize == parent->itemsize &&
           child->dictoffset == parent->dictoffset && child->weaklistoffset == parent->weaklistoffset &&
           (child->flags & PM_TPFLAGS_GC) == (parent->flags & PM_TPFLAGS_GC) &&
           (pmi_is_heaptype(child) || child->dealloc == parent->dealloc);
}

/* a and b (classes on one base) add the same fields: the same __slots__
 * cells, dict and weakref list at the same offsets.  1 / 0 / -1. */
static int same_fields(pm_runtime *rt, const pm_type *a, const pm_type *b) {
    if (!pmi_is_heaptype(a) || !pmi_is_heaptype(b)) return 0;
    if (a->basicsize != b->basicsize || a->itemsize != b->itemsize || a->dictoffset != b->dictoffset ||
        a->weaklistoffset != b->weaklistoffset)
        return 0;
    /* CPython counts a dict after a variable-size body (int, tuple, bytes)
     * as a field its check cannot place: such classes never match */
    if (a->dictoffset < 0 && a->itemsize != 0) return 0;
    pm_object *sa = PMI_HT(a)->ht_slots, *sb = PMI_HT(b)->ht_slots;
    if (!sa || !sb) return (sa ? pm_tuple_size(sa) : 0) == (sb ? pm_tuple_size(sb) : 0);
    return pm_richcompare_bool(rt, sa, sb, PM_EQ);
}

/* t is the module type or a class made from it (PM_TPFLAGS_MODULE on the
 * static base: the interpreter's module type). */
static int module_subtype(const pm_type *t) {
    for (; t; t = t->base)
        if (t->flags & PM_TPFLAGS_MODULE) return 1;
    return 0;
}

int pmi_object_set_class(pm_runtime *rt, pm_object *self, pm_object *value, void *closure) {
    (void)closure;
    if (!value) {
        pm_err_set(rt, PM_EXC_TypeError, "can't delete __class__ attribute");
        return -1;
    }
    if (!pm_type_check(value)) {
        pmi_err_type(rt, "__class__ must be set to a class, not '%s' object", value);
        return -1;
    }
    const pm_type *newto = (const pm_type *)value, *oldto = self->ob_type;
    /* modules may move between ModuleType and its subclasses (3.11) */
    if (!(module_subtype(newto) && module_subtype(oldto)) &&
        ((newto->flags & PM_TPFLAGS_STATIC) || (oldto->flags & PM_TPFLAGS_STATIC))) {
        pm_err_set(rt, PM_EXC_TypeError, "__class__ assignment only supported for mutable types or ModuleType subclasses");
        return -1;
    }
    const pm_type *nb = newto, *ob = oldto;
    while (same_as_base(nb)) nb = nb->base;
    while (same_as_base(ob)) ob = ob->base;
    if (nb != ob) {
        int same = nb->base == ob->base ? same_fields(rt, nb, ob) : 0;
        if (same < 0) return -1;
        if (!same) {
            pm_err_format(rt, PM_EXC_TypeError, "__class__ assignment: '%s' object layout differs from '%s'",
                          newto->name, oldto->name);
            return -1;
        }
    }
    /* CPython's object_set_class: inline values are keyed by the old class's
     * shared table, so the instance gets a real dict first */
    if (pmi_inst_cached_keys(oldto) && pmi_inst_materialize(rt, self) < 0) return -1;
    pm_incref(rt, value);
    self->ob_type = newto;
    pm_decref(rt, pm_type_as_object(oldto));
    return 0;
}
