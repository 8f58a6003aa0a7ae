/*
 * subvalue.h — instances of classes derived from the built-in value types
 * (int, float, complex, str, bytes, tuple, frozenset, set, bytearray):
 * making them from a value of the base type, and the place of the class's
 * own fields after a body whose size varies per instance
 * (objects/subvalue.c).
 */
#ifndef PYMM_OBJECTS_SUBVALUE_H
#define PYMM_OBJECTS_SUBVALUE_H

#include "core/object.h"

/* 1 when a class whose first static base is sb keeps its own fields (the
 * instance dict, __slots__ cells) after the base's variable-size body:
 * int, tuple, bytes (CPython's itemsize != 0 bases) and str (compact here:
 * the characters follow the header).  Such fields have negative offsets,
 * -8 - (byte position in the tail); pmi_subvalue_field resolves them. */
int pmi_subvalue_tail_base(const pm_type *sb);

/* The address of the field at negative offset off in o (an instance of a
 * class with a tail-base layout). */
pm_object **pmi_subvalue_field(pm_object *o, pm_ssize_t off);

/* An instance of the class `type` (a heap type deriving from value's base
 * type) holding value's value.  Steals value (NULL passes through); NEW
 * ref, or NULL + error (MemoryError). */
pm_object *pmi_subvalue_new(pm_runtime *rt, const pm_type *type, pm_object *value);

/* An empty instance of a class deriving from set, frozenset, bytearray,
 * list or dict,
 * tracked when the type is a gc type.  NEW ref or NULL + MemoryError. */
pm_object *pmi_subvalue_empty(pm_runtime *rt, const pm_type *type);

/* An exact str equal to the str (or str subclass instance) s.  NEW ref or
 * NULL + MemoryError. */
pm_object *pmi_subvalue_str_exact(pm_runtime *rt, pm_object *s);

/* sys.getsizeof's __sizeof__ part of a tail-base class's instance, as
 * CPython 3.11 reports it. */
size_t pmi_subvalue_size_of(pm_runtime *rt, pm_object *self);

/* What type.__basicsize__, __dictoffset__ and __weakrefoffset__ report for
 * t: CPython 3.11's figures for the same class (subvalue.c, "Reported
 * layout"), not pymm's own offsets, which differ by the managed dict. */
typedef struct pmi_type_layout {
    pm_ssize_t basicsize;       /* CPython's tp_basicsize */
    pm_ssize_t dictoffset;      /* tp_dictoffset: 0 none, -8 behind a variable
                                   body, -(slots end) - 24 a managed dict */
    pm_ssize_t weakrefoffset;   /* tp_weaklistoffset: 0 none */
} pmi_type_layout;
void pmi_type_reported_layout(const pm_type *t, pmi_type_layout *out);

#endif
