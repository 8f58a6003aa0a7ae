/*
 * instattr.h — internal interface of the inline attribute values of
 * instances of Python classes (objects/instattr.c): CPython 3.11's shared
 * keys (ht_cached_keys) and per-instance values (Py_TPFLAGS_MANAGED_DICT).
 *
 * A class whose instances get their dict from the class itself (the class,
 * or its layout base, added __dict__ to a fixed-size layout) owns a shared
 * keys table (pmi_heaptype.cached_keys).  Its instances keep two words at
 * type->dictoffset: the dict pointer, then the values pointer.  At most one
 * of the two is set (both NULL before object.__new__ ran, or for instances
 * made by a built-in base's constructor, e.g. a list subclass).
 *
 * For a LOAD_ATTR / STORE_ATTR inline cache (the VM): an attribute that is
 * not a data descriptor of the class lives at one fixed index of every
 * instance's values (pm_inst_attr_index etc., include/pymm.h).  Keys
 * entries are only ever appended, so an index stays valid as long as the
 * class lives; the values checked against the class's table (they differ
 * only after a __class__ change).
 */
#ifndef PYMM_INSTATTR_H
#define PYMM_INSTATTR_H

#include "objects/containers.h"
#include "objects/heaptype.h"

/* The shared keys of t's instances, or NULL when they keep no values. */
static inline pmi_dict_keys *pmi_inst_cached_keys(const pm_type *t) {
    return pmi_is_heaptype(t) ? PMI_HT(t)->cached_keys : NULL;
}

/* The values word of an instance of a type with cached keys. */
static inline pmi_dict_values **pmi_inst_values_slot(pm_object *o) {
    return (pmi_dict_values **)(void *)((char *)o + o->ob_type->dictoffset + sizeof(pm_object *));
}

/* o's inline values, or NULL (no values: a dict, or not such an instance). */
static inline pmi_dict_values *pmi_inst_values(pm_object *o) {
    return pmi_inst_cached_keys(o->ob_type) ? *pmi_inst_values_slot(o) : NULL;
}

/* object.__new__: give a new instance (untracked, zeroed) of a class with
 * cached keys its values (init_inline_values; each new instance takes one
 * from the table's room, down to 1).  No-op for other objects.  0, or -1 +
 * MemoryError. */
int pmi_inst_init_values(pm_runtime *rt, pm_object *o);

/* Move o's values into a dict of their own (make_dict_from_instance_
 * attributes); no-op when o has no values.  Before a __class__ change.
 * 0, or -1 + MemoryError (o unchanged). */
int pmi_inst_materialize(pm_runtime *rt, pm_object *o);

/* __dict__ of o, whose dict word is *dp: the values made a dict, or a new
 * empty dict.  NEW ref / NULL. */
pm_object *pmi_inst_get_dict(pm_runtime *rt, pm_object *o, pm_object **dp);
/* o.__dict__ = d (a dict), or del o.__dict__ (d NULL), the dict word
 * being *dp: the values dropped.  0. */
int pmi_inst_set_dict(pm_runtime *rt, pm_object *o, pm_object **dp, pm_object *d);

/* _PyObject_StoreInstanceAttribute: set (value) or delete (NULL) name in
 * o's values vs, or in a dict once the name does not fit the shared keys.
 * 0, or -1 (AttributeError, MemoryError). */
int pmi_inst_store(pm_runtime *rt, pm_object *o, pmi_dict_values *vs, pm_object *name, pm_object *value);

/* The inline-cache API is public (include/pymm.h: pm_inst_attr_index,
 * pm_inst_value_at, pm_inst_store_at, pm_inst_may_shadow), since the VM
 * sees the library through pymm.h only. */

/* subtype_traverse / clear / dealloc of the values. */
int pmi_inst_traverse_values(pm_object *o, pm_visitproc visit, void *arg);
void pmi_inst_clear_values(pm_runtime *rt, pm_object *o);

#endif
