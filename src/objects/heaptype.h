/*
 * heaptype.h — internal interface of classes made from Python-level data
 * (type(name, bases, ns)): the heap type block (objects/heaptype.c) and the
 * special-method slots (objects/slotdefs.c).
 *
 * A class is one gc block: the pm_type its instances point at, followed by
 * its own protocol tables (the as_* pointers name them), the per-runtime
 * state every type has (dict, bases, MRO, version tag: embedded here
 * instead of the runtime's table of static types) and what only classes
 * have (name and qualname objects, __slots__, member definitions).
 */
#ifndef PYMM_HEAPTYPE_H
#define PYMM_HEAPTYPE_H

#include "core/object.h"

typedef struct pmi_heaptype {
    pm_type type;                   /* the class; ob_type = its metatype (type) */
    pm_number_methods as_number;    /* number slots (inherited, then dunders) */
    pm_sequence_methods as_sequence;/* sequence slots */
    pm_mapping_methods as_mapping;  /* mapping slots */
    pmi_typestate state;            /* dict / bases / mro (owned), version tag */
    pm_object *ht_name;             /* __name__ (str, owned) */
    pm_object *ht_qualname;         /* __qualname__ (str, owned) */
    pm_object *ht_slots;            /* __slots__ names after mangling, sorted
                                       (tuple, owned), or NULL */
    char *name_utf8;                /* pm_malloc'd copy of __name__; type.name */
    pm_member_def *members;         /* one T_OBJECT_EX member per slot + end
                                       entry (pm_malloc'd; names borrow from
                                       ht_slots), or NULL */
    pm_ssize_t nslots;              /* entries in members (slot cells added
                                       by this class) */
    const pm_type *static_base;     /* first non-heap type on the base chain:
                                       its dealloc / traverse / clear /
                                       size_of run for the base layout */
    struct pmi_heaptype **subs;     /* the classes that name this one in their
                                       __bases__ (borrowed: each removes
                                       itself when it dies), pm_malloc'd */
    pm_ssize_t nsubs;               /* entries in subs */
    pm_ssize_t capsubs;             /* room in subs */
    int managed_dict;               /* this class added the dict to a
                                       fixed-size layout: two words, the
                                       dict and the inline values (CPython's
                                       pre-header) */
    struct pmi_dict_keys *cached_keys; /* the keys its instances share
                                       (objects/instattr.c; owned), when it
                                       or its layout base added the dict to
                                       a fixed-size layout; else NULL */
} pmi_heaptype;

#define PMI_HT(t) ((pmi_heaptype *)(void *)(uintptr_t)(t))

/* A class made by type(name, bases, ns) or by a metaclass derived from
 * type (not a pm_class_new class). */
static inline int pmi_is_heaptype(const pm_type *t) {
    const pm_type *m = t->ob_base.ob_type;
    return (t->flags & PM_TPFLAGS_HEAPTYPE) &&
           (m == &pm_type_type || (m->flags & (PM_TPFLAGS_HEAPTYPE | PM_TPFLAGS_TYPE_SUBCLASS)) ==
                                      (PM_TPFLAGS_HEAPTYPE | PM_TPFLAGS_TYPE_SUBCLASS));
}

/* ---- objects/heaptype.c --------------------------------------------------- */

/* type.__new__(meta, name, bases, ns, **kwargs): args the 3-tuple, kwargs
 * (for __init_subclass__) a dict or NULL.  NEW ref. */
pm_object *pmi_type_new(pm_runtime *rt, const pm_type *meta, pm_object *args, pm_object *kwargs);
/* Heap-type hooks of `type` (core/type.c's pm_type_type names them). */
void pmi_heaptype_dealloc(pm_runtime *rt, pm_object *self);
int pmi_heaptype_traverse(pm_object *self, pm_visitproc visit, void *arg);
int pmi_heaptype_clear(pm_runtime *rt, pm_object *self);
/* type.__setattr__ on a class: store in its dict, drop cached lookups,
 * update the slots the name maps to.  0 / -1. */
int pmi_heaptype_setattr(pm_runtime *rt, pm_type *t, pm_object *name, pm_object *value);

/* type.__subclasses__(): a NEW list (empty for a static type). */
pm_object *pmi_heaptype_subclasses(pm_runtime *rt, const pm_type *t);

/* ---- objects/slotdefs.c --------------------------------------------------- */

/* Recompute every special-method slot of t: copy the slots of the types on
 * its MRO (first found wins, CPython's inherit_slots), then point each slot
 * whose dunder a class on the MRO defines at the function that calls that
 * dunder (CPython's fixup_slot_dispatchers).  0 / -1 (a lookup failed). */
int pmi_slots_fixup(pm_runtime *rt, pmi_heaptype *ht);
/* 1 when `name` (a str) is a dunder that maps to a slot. */
int pmi_slots_is_special(pm_object *name);

/* ---- objects/slotwrap.c --------------------------------------------------- */

/* Add a slot wrapper (wrapper_descriptor) to a static type's new dict for
 * each special method whose slot t has and its base does not share, unless
 * the name is already there (a method).  0 / -1. */
int pmi_slotwrap_fill(pm_runtime *rt, const pm_type *t, pm_object *dict);

#endif
