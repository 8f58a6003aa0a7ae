/*
 * objects/instance_values.h — the one definition of how a dict-class
 * instance (pmi_instance, containers.h) stores its values array, shared by
 * instance.c (which owns the layout) and the collector (gc/gc.c, which walks
 * instances with its visitors inlined instead of calling the traverse hook).
 *
 *   inst->values:  pointer to an array of pm_object *   | capacity / 2
 *                  (pm_malloc'd, 16-byte aligned)          (low 4 bits)
 *
 * Arrays hold an even number of slots (2..30), so a request is a multiple of
 * 16 bytes and the capacity fits in the alignment bits.
 */
#ifndef PYMM_INSTANCE_VALUES_H
#define PYMM_INSTANCE_VALUES_H

#include "objects/containers.h"

#define PMI_INSTANCE_VALUES_TAG ((uintptr_t)15)

/* The values array (NULL: none). */
static inline pm_object **pmi_instance_values(const pmi_instance *inst) {
    return (pm_object **)((uintptr_t)inst->values & ~PMI_INSTANCE_VALUES_TAG);
}
/* Its capacity in slots (0: none). */
static inline pm_ssize_t pmi_instance_values_cap(const pmi_instance *inst) {
    return (pm_ssize_t)((uintptr_t)inst->values & PMI_INSTANCE_VALUES_TAG) * 2;
}

/* The traverse hook of every class made by pm_class_new (instance.c): the
 * collector recognises instances by it.  It visits, in this order, the dict,
 * the values array (first slot first) or the __slots__ (first first), then
 * the class; gc.c's inlined walk keeps that order. */
int pmi_instance_traverse(pm_object *self, pm_visitproc visit, void *arg);

/* The traverse hook of every Python class (objects/heaptype.c's
 * subtype_traverse, type(name, bases, ns)).  It visits, in this order, the
 * __slots__ cells of each heap class on the base chain (the class first,
 * each class's cells first to last), the dict the class added, the inline
 * values (objects/instattr.h; by key index, as CPython 3.11), the class,
 * then runs the first static base's traverse.  gc.c walks an instance inline in that
 * order when that static base is object (nothing to run last). */
int pmi_subtype_traverse(pm_object *self, pm_visitproc visit, void *arg);

#endif
