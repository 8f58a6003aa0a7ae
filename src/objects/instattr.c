/*
 * instattr.c — attribute values kept inline in instances of Python
 * classes, over keys the class shares among them (CPython 3.11's managed
 * dict: ht_cached_keys + PyDictValues).
 *
 * Purpose
 *   `class A: pass` instances need no dict object: the names live once, in
 *   the class's shared keys table, and each instance holds an array of
 *   values indexed like the table's entries.  A dict is made only when
 *   __dict__ is asked for, an attribute name is not an exact str, or the
 *   shared table is full — so the numbers a script sees are python3's:
 *   gc.collect() finds one object per instance, sys.getsizeof(a.__dict__)
 *   counts the shared table's room, and a.__dict__ lists the attributes in
 *   the order this instance set them.
 *
 *   class A (pmi_heaptype)               instance of A (56 B with gc head)
 *   +------------------+                 +------+------+--------+------+
 *   | ...              |                 | next | prev | refcnt | type |
 *   | cached_keys -----+---+             +------+------+--------+------+
 *   +------------------+   |             | dict (NULL)  | values -+----+
 *                          v             +--------------+---------+    |
 *        shared keys (split table, 2^6 slots, 30 names)  | weakref |    |
 *        entries: "x", "y", "z" (values unused)          +---------+    |
 *              ^                                                        v
 *              +----------------- keys -------- pmi_dict_values: order [1,0]
 *                                                values: [x, y, NULL, ...]
 *
 * States of an instance of a class with shared keys
 *     fresh (dict == values == NULL: not yet through object.__new__, or made
 *       by a built-in base's constructor)
 *       --object.__new__--> values (empty)
 *       --a name the table has or can take--> values (stays)
 *       --__dict__ read, non-str name, table full--> dict: a split dict
 *         owning the values (dict.c), which may itself turn combined
 *     fresh --first attribute--> split dict over the shared keys
 *     fresh --__dict__ read--> a new plain dict
 *   Setting __dict__ drops the values.  The dict state is final.  A failed
 *   step (MemoryError) leaves the previous state.
 *
 * Invariants
 *   - values->keys is the class's table (until a __class__ change, which
 *     should call pmi_inst_materialize first, as CPython's object_set_class
 *     does; the values hold a reference to the table, so a stale one is
 *     still safe to read).
 *   - The table's nentries + usable only decreases; an array made with
 *     capacity nentries + usable can index every entry the table will have.
 *   - Each new instance takes one from the table's usable room, down to 1
 *     (CPython's init_inline_values): sys.getsizeof of a later __dict__
 *     depends on how many instances were made.
 *
 * CPython behaviour mirrored: init_inline_values, _PyObject_StoreInstance
 * Attribute (a delete of an absent name still adds it to the shared keys),
 * make_dict_from_instance_attributes, PyObject_GenericGetDict,
 * _PyObjectDict_SetItem (an instance with neither values nor dict gets a
 * split dict over the shared keys on its first attribute).
 */
#include "objects/instattr.h"
#include "objects/scalar.h"

static pm_object **dict_slot(pm_object *o) {
    return (pm_object **)(void *)((char *)o + o->ob_type->dictoffset);
}

static int str_exact(const pm_object *o) { return o->ob_type == &pm_str_type; }

static void no_attribute(pm_runtime *rt, pm_object *o, pm_object *name) {
    const char *n = pm_str_as_utf8(rt, name, NULL);
    if (n)
        pm_err_format(rt, PM_EXC_AttributeError, "'%.100s' object has no attribute '%s'",
                      o->ob_type->name, n);
}

int pmi_inst_init_values(pm_runtime *rt, pm_object *o) {
    pmi_dict_keys *dk = pmi_inst_cached_keys(o->ob_type);
    if (!dk) return 0;
    if (dk->usable > 1) dk->usable--;
    pmi_dict_values *vs = pmi_dict_values_new(rt, dk);
    if (!vs) return -1;
    *pmi_inst_values_slot(o) = vs;
    return 0;
}

int pmi_inst_materialize(pm_runtime *rt, pm_object *o) {
    pmi_dict_values *vs = pmi_inst_values(o);
    if (!vs) return 0;
    pm_object *d = pmi_dict_from_values(rt, vs);
    if (!d) return -1;
    *pmi_inst_values_slot(o) = NULL;
    *dict_slot(o) = d;
    return 0;
}

pm_object *pmi_inst_get_dict(pm_runtime *rt, pm_object *o, pm_object **dp) {
    if (pmi_inst_materialize(rt, o) < 0) return NULL;
    if (!*dp && !(*dp = pm_dict_new(rt))) return NULL;
    return pm_newref(rt, *dp);
}

int pmi_inst_set_dict(pm_runtime *rt, pm_object *o, pm_object **dp, pm_object *d) {
    pm_object *old = *dp;
    pmi_dict_values *vs = pmi_inst_values(o);
    if (vs) *pmi_inst_values_slot(o) = NULL;
    *dp = d ? pm_newref(rt, d) : NULL;
    pm_xdecref(rt, old);
    pmi_dict_values_free(rt, vs, 1);
    return 0;
}

int pmi_inst_store(pm_runtime *rt, pm_object *o, pmi_dict_values *vs, pm_object *name, pm_object *value) {
    pm_ssize_t ix = str_exact(name) ? pmi_dictkeys_shared_insert(rt, vs->keys, name) : -1;
    if (ix < 0) {
        /* the name does not fit the shared keys: a dict from here on */
        if (pmi_inst_materialize(rt, o) < 0) return -1;
        pm_object *d = pm_newref(rt, *dict_slot(o));     /* held: a delete may run code */
        int r;
        if (value) {
            r = pm_dict_set(rt, d, name, value);
        } else if ((r = pm_dict_del(rt, d, name)) < 0 && pm_err_matches(rt, PM_EXC_KeyError)) {
            pm_err_clear(rt);
            no_attribute(rt, o, name);
        }
        pm_decref(rt, d);
        return r;
    }
    pm_object *old = vs->values[ix];
    if (!old) {
        if (!value) {
            no_attribute(rt, o, name);
            return -1;
        }
        vs->values[ix] = pm_newref(rt, value);
        vs->order[vs->nused++] = (uint8_t)ix;
        return 0;
    }
    vs->values[ix] = value ? pm_newref(rt, value) : NULL;
    if (!value) pmi_dict_values_order_del(vs, ix);
    pm_decref(rt, old);                 /* vs is consistent: this may run code */
    return 0;
}

/* ---- the VM's attribute caches (include/pymm.h) ---------------------------- */

pm_ssize_t pm_inst_attr_index(pm_runtime *rt, const pm_type *t, pm_object *name) {
    pmi_dict_keys *dk = pmi_inst_cached_keys(t);
    if (!dk || !str_exact(name)) return -1;
    return pmi_dictkeys_shared_index(rt, dk, name);
}

/* o's values when they are over o's class's table and reach ix. */
static pmi_dict_values *values_for(pm_object *o, pm_ssize_t ix) {
    pmi_dict_keys *dk = pmi_inst_cached_keys(o->ob_type);
    if (!dk) return NULL;
    pmi_dict_values *vs = *pmi_inst_values_slot(o);
    return vs && vs->keys == dk && ix >= 0 && ix < dk->nentries ? vs : NULL;
}

pm_object *pm_inst_value_at(pm_object *o, pm_ssize_t ix) {
    pmi_dict_values *vs = values_for(o, ix);
    return vs ? vs->values[ix] : NULL;
}

int pm_inst_store_at(pm_runtime *rt, pm_object *o, pm_ssize_t ix, pm_object *value) {
    pmi_dict_values *vs = values_for(o, ix);
    if (!vs || !value) return 0;
    pm_object *old = vs->values[ix];
    vs->values[ix] = pm_newref(rt, value);
    if (!old) vs->order[vs->nused++] = (uint8_t)ix;
    else pm_decref(rt, old);
    return 1;
}

int pm_inst_may_shadow(pm_runtime *rt, pm_object *o, pm_object *name) {
    pmi_dict_keys *dk = pmi_inst_cached_keys(o->ob_type);
    if (!dk) {
        pm_object **dp = pm_object_dict_ptr(rt, o);
        return dp && *dp;
    }
    pmi_dict_values *vs = *pmi_inst_values_slot(o);
    if (!vs) return *dict_slot(o) != NULL;
    if (!str_exact(name)) return 1;
    pm_ssize_t ix = pmi_dictkeys_shared_index(rt, vs->keys, name);
    return ix >= 0 && vs->values[ix] != NULL;
}

int pmi_inst_traverse_values(pm_object *o, pm_visitproc visit, void *arg) {
    pmi_dict_values *vs = pmi_inst_values(o);
    if (!vs) return 0;
    /* By key index, not insertion order, as CPython 3.11's
     * _PyObject_VisitInstanceAttributes (the order is visible through the
     * collector: gc/gc.c walks them the same way inline). */
    for (int i = 0; i < vs->capacity; i++) {
        int r = vs->values[i] ? visit(vs->values[i], arg) : 0;
        if (r) return r;
    }
    return 0;
}

void pmi_inst_clear_values(pm_runtime *rt, pm_object *o) {
    pmi_dict_values *vs = pmi_inst_values(o);
    if (!vs) return;
    *pmi_inst_values_slot(o) = NULL;    /* consistent before any decref runs */
    pmi_dict_values_free(rt, vs, 1);
}
