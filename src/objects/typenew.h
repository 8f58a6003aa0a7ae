/*
 * typenew.h — the constructors (__new__ / __init__) of the core types,
 * defined in objects/typenew.c and named by one `.new_object` (and `.init`)
 * line in each type's static definition.
 *
 * Every new function has the pm_newfunc shape (rt, type, args tuple, kwargs
 * dict or NULL) and returns a new reference or NULL with the error set;
 * every init function has the pm_initproc shape and returns 0 / -1.  For a
 * class derived from the core type they build the value, then an instance
 * of the class (objects/subvalue.c).
 */
#ifndef PYMM_OBJECTS_TYPENEW_H
#define PYMM_OBJECTS_TYPENEW_H

#include "objects/descr.h"

/* numbers */
pm_object *pmi_int_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);
pm_object *pmi_bool_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);
pm_object *pmi_float_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);
pm_object *pmi_complex_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);

/* text and binary */
pm_object *pmi_str_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);
pm_object *pmi_bytes_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);
pm_object *pmi_bytearray_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);
int pmi_bytearray_tp_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs);
pm_object *pmi_memoryview_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);

/* containers (list, dict, set: new makes an empty one, init fills it) */
pm_object *pmi_list_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);
int pmi_list_tp_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs);
pm_object *pmi_tuple_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);
pm_object *pmi_dict_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);
/* dict(o) / d.update(o) for an o that is not a dict: when o has a `keys`
 * attribute (any attribute lookup, CPython's dict_update_arg), d[k] = o[k]
 * for k in o.keys() and 1; 0 with nothing done when o has no `keys`
 * (the caller merges pairs); -1 on error. */
int pmi_dict_update_mapping(pm_runtime *rt, pm_object *d, pm_object *o);
int pmi_dict_tp_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs);
pm_object *pmi_set_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);
int pmi_set_tp_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs);
pm_object *pmi_frozenset_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);

/* slice and the singletons (None, NotImplemented, Ellipsis) */
pm_object *pmi_slice_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);
pm_object *pmi_singleton_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs);

#endif
