/*
 * genericalias.h — subscripting a class: list[int] (types.GenericAlias) and
 * __class_getitem__ (objects/genericalias.c); assigning __class__
 * (objects/setclass.c).
 */
#ifndef PYMM_OBJECTS_GENERICALIAS_H
#define PYMM_OBJECTS_GENERICALIAS_H

#include "core/object.h"

/* types.GenericAlias: list[int], dict[str, int], ... */
extern const pm_type pmi_galias_type;

/* cls[key] for a class (pm_getitem on a type without an item slot): a
 * GenericAlias for type / tuple / list / dict / set / frozenset,
 * cls.__class_getitem__(key) for a class defining it, else TypeError
 * "type 'C' is not subscriptable".  NEW ref or NULL + error. */
pm_object *pmi_class_getitem(pm_runtime *rt, pm_object *cls, pm_object *key);

/* ---- objects/setclass.c ---------------------------------------------------- */

/* object.__class__ = value (CPython's object_set_class): value must be a
 * class, neither the old nor the new class a built-in (immutable) type, and
 * both lay their instances out alike.  closure unused.  0 / -1. */
int pmi_object_set_class(pm_runtime *rt, pm_object *self, pm_object *value, void *closure);

#endif
