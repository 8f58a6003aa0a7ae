/*
 * type.c — the static type objects `type` and `object`, and the immortal
 * singletons None and NotImplemented.
 *
 * Static types are `const pm_type` values in read-only memory, shared by
 * every runtime in the process.  Their header carries PM_IMMORTAL_REFCNT,
 * which pm_incref/pm_decref test before touching the count, so nothing ever
 * writes to them: runtimes on different threads never race, and a stray
 * write would fault instead of corrupting silently.  None, NotImplemented,
 * True and False (objects/int.c, as bool is an int subtype) are immortal statics for the same reason;
 * CPython 3.12 made them immortal too (PEP 683).
 *
 * A type is written as a designated initializer listing only the hooks it
 * has; see docs/objects-core.md.
 *
 *   pm_type_type  <-ob_type-  pm_int_type, pm_str_type, ... (every type)
 *   pm_object_type  <-base-  every static type's chain ends here
 */
#include "core/object.h"

#include <stdio.h>

/* ---- object ------------------------------------------------------------- */

static pm_object *object_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "<%s object at %p>", self->ob_type->name, (void *)self);
    return pmi_sb_finish(rt, &sb);
}

static pm_hash_t object_hash(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return pmi_hash_pointer(self);
}

/* object's default comparison: == is identity, != its negation. */
static pm_object *object_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    (void)rt;
    if (op == PM_EQ) return a == b ? PM_TRUE : PM_NOTIMPLEMENTED;
    if (op == PM_NE) return a == b ? PM_FALSE : PM_NOTIMPLEMENTED;
    return PM_NOTIMPLEMENTED;
}

const pm_type pm_object_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "object",
    .basicsize = sizeof(pm_object),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_BASETYPE,
    .repr = object_repr,
    .hash = object_hash,
    .richcompare = object_richcompare,
};

pm_object *pm_object_new(pm_runtime *rt) {
    return pmi_object_new(rt, &pm_object_type);
}

/* ---- type ---------------------------------------------------------------- */

static pm_object *type_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "<class '%s'>", ((const pm_type *)self)->name);
    return pmi_sb_finish(rt, &sb);
}

static size_t type_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    (void)self;
    return sizeof(pm_type);
}

const pm_type pm_type_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "type",
    .basicsize = sizeof(pm_type),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_TYPE_SUBCLASS,
    .base = &pm_object_type,
    .size_of = type_size_of,
    .repr = type_repr,
    .hash = object_hash,
    .richcompare = object_richcompare,
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

const pm_type pm_none_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "NoneType",
    .basicsize = sizeof(pm_object),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .repr = none_repr,
    .hash = object_hash,
    .richcompare = object_richcompare,
    .truth = none_truth,
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
};

const pm_object pm_notimplemented_struct = PMI_STATIC_HEAD(&pm_notimplemented_type);
