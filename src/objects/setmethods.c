/*
 * setmethods.c — the methods of set and frozenset as attributes
 * (s.add, s.union(*others), s.issubset, ...), CPython 3.11's
 * Objects/setobject.c method table, written on the public set API.
 *
 * Purpose
 *   set.c owns the hash table and the four operators of two sets; the
 *   methods add what Python code expects on top: any number of arguments,
 *   any iterable as an operand (made into a set first), in-place variants
 *   and the subset predicates.
 *
 *     s.union(a, b)  ──►  t = copy(s);  t = t | set(a);  t = t | set(b)
 *     s.intersection_update(a)  ──►  t = s & set(a);  s.clear();  s |= t
 *
 * Invariants
 *   - Results are new references of self's kind (set or frozenset), as
 *     CPython's; operands are borrowed; every temporary is released on
 *     every path.
 *   - A failed in-place update may leave self partly updated, as CPython's
 *     (an iterable that raises half-way).
 */
#include "objects/descr.h"

/* o as a set or frozenset: new ref (o itself when it already is one). */
static pm_object *as_set(pm_runtime *rt, pm_object *o) {
    return pm_anyset_check(o) ? pm_newref(rt, o) : pm_set_new(rt, o);
}

/* A copy of self of its own kind: new ref. */
static pm_object *copy_of(pm_runtime *rt, pm_object *self) {
    if (pm_is_instance(self, &pm_frozenset_type)) return pm_frozenset_new(rt, self);
    return pm_set_new(rt, self);
}

typedef pm_object *(*set_binop)(pm_runtime *rt, pm_object *a, pm_object *b);

/* self op others[0] op others[1] ...: new ref. */
static pm_object *fold(pm_runtime *rt, pm_object *self, pm_object *const *others, pm_ssize_t n, set_binop op) {
    pm_object *r = copy_of(rt, self);
    for (pm_ssize_t i = 0; r && i < n; i++) {
        pm_object *o = as_set(rt, others[i]), *t = NULL;
        if (o) t = op(rt, r, o);
        pm_xdecref(rt, o);
        pm_decref(rt, r);
        r = t;
    }
    return r;
}

#define FOLD(fn, op)                                                                             \
    static pm_object *fn(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) { \
        return fold(rt, self, a, n, op);                                                         \
    }
FOLD(setm_union, pm_set_union)
FOLD(setm_intersection, pm_set_intersection)
FOLD(setm_difference, pm_set_difference)

static pm_object *setm_symmetric_difference(pm_runtime *rt, pm_object *self, pm_object *other) {
    return fold(rt, self, &other, 1, pm_set_symmetric_difference);
}

static pm_object *setm_copy(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    if (self->ob_type == &pm_frozenset_type) return pm_newref(rt, self);
    return copy_of(rt, self);
}

/* Replace self's contents with those of r (stolen): None / NULL. */
static pm_object *replace_with(pm_runtime *rt, pm_object *self, pm_object *r) {
    if (!r) return NULL;
    int rc = pm_set_clear(rt, self);
    if (rc == 0) rc = pm_set_update(rt, self, r);
    pm_decref(rt, r);
    return rc < 0 ? NULL : PM_NONE;
}

static pm_object *setm_update(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) {
    for (pm_ssize_t i = 0; i < n; i++)
        if (pm_set_update(rt, self, a[i]) < 0) return NULL;
    return PM_NONE;
}
static pm_object *setm_intersection_update(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) {
    return replace_with(rt, self, fold(rt, self, a, n, pm_set_intersection));
}
static pm_object *setm_difference_update(pm_runtime *rt, pm_object *self, pm_object *const *a, pm_ssize_t n) {
    return replace_with(rt, self, fold(rt, self, a, n, pm_set_difference));
}
static pm_object *setm_symmetric_difference_update(pm_runtime *rt, pm_object *self, pm_object *other) {
    return replace_with(rt, self, fold(rt, self, &other, 1, pm_set_symmetric_difference));
}

/* Every key of a is in b: 1 / 0 / -1. */
static int all_in(pm_runtime *rt, pm_object *a, pm_object *b) {
    pm_ssize_t pos = 0;
    pm_object *k;
    while (pm_set_next(a, &pos, &k)) {
        pm_incref(rt, k);
        int r = pm_set_contains(rt, b, k);
        pm_decref(rt, k);
        if (r <= 0) return r;
    }
    return 1;
}

static pm_object *setm_issubset(pm_runtime *rt, pm_object *self, pm_object *other) {
    pm_object *o = as_set(rt, other);
    if (!o) return NULL;
    int r = pm_set_size(self) > pm_set_size(o) ? 0 : all_in(rt, self, o);
    pm_decref(rt, o);
    return r < 0 ? NULL : pm_bool_from(r);
}
static pm_object *setm_issuperset(pm_runtime *rt, pm_object *self, pm_object *other) {
    pm_object *o = as_set(rt, other);
    if (!o) return NULL;
    int r = all_in(rt, o, self);
    pm_decref(rt, o);
    return r < 0 ? NULL : pm_bool_from(r);
}
static pm_object *setm_isdisjoint(pm_runtime *rt, pm_object *self, pm_object *other) {
    pm_object *o = as_set(rt, other);
    if (!o) return NULL;
    pm_object *i = pm_set_intersection(rt, self, o);
    pm_decref(rt, o);
    if (!i) return NULL;
    int r = pm_set_size(i) == 0;
    pm_decref(rt, i);
    return pm_bool_from(r);
}

static pm_object *setm_add(pm_runtime *rt, pm_object *self, pm_object *key) {
    return pm_set_add(rt, self, key) < 0 ? NULL : PM_NONE;
}
static pm_object *setm_discard(pm_runtime *rt, pm_object *self, pm_object *key) {
    return pm_set_discard(rt, self, key) < 0 ? NULL : PM_NONE;
}
static pm_object *setm_remove(pm_runtime *rt, pm_object *self, pm_object *key) {
    return pm_set_remove(rt, self, key) < 0 ? NULL : PM_NONE;
}
static pm_object *setm_pop(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_set_pop(rt, self);
}
static pm_object *setm_clear(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_set_clear(rt, self) < 0 ? NULL : PM_NONE;
}

#define F(f) ((pm_cfunction)(void (*)(void))(f))
#define FAST PM_METH_FASTCALL
const pm_method_def pmi_set_methods[] = {
    {"add", setm_add, PM_METH_O, "Add an element to a set."},
    {"clear", setm_clear, PM_METH_NOARGS, "Remove all elements from this set."},
    {"copy", setm_copy, PM_METH_NOARGS, "Return a shallow copy of a set."},
    {"discard", setm_discard, PM_METH_O, "Remove an element from a set if it is a member."},
    {"difference", F(setm_difference), FAST, "Return the difference of two or more sets as a new set."},
    {"difference_update", F(setm_difference_update), FAST, "Remove all elements of another set from this set."},
    {"intersection", F(setm_intersection), FAST, "Return the intersection of two sets as a new set."},
    {"intersection_update", F(setm_intersection_update), FAST, "Update a set with the intersection of itself and another."},
    {"isdisjoint", setm_isdisjoint, PM_METH_O, "Return True if two sets have a null intersection."},
    {"issubset", setm_issubset, PM_METH_O, "Report whether another set contains this set."},
    {"issuperset", setm_issuperset, PM_METH_O, "Report whether this set contains another set."},
    {"pop", setm_pop, PM_METH_NOARGS, "Remove and return an arbitrary set element."},
    {"remove", setm_remove, PM_METH_O, "Remove an element from a set; it must be a member."},
    {"symmetric_difference", setm_symmetric_difference, PM_METH_O, "Return the symmetric difference of two sets as a new set."},
    {"symmetric_difference_update", setm_symmetric_difference_update, PM_METH_O, "Update a set with the symmetric difference of itself and another."},
    {"union", F(setm_union), FAST, "Return the union of sets as a new set."},
    {"update", F(setm_update), FAST, "Update a set with the union of itself and others."},
    {NULL, NULL, 0, NULL},
};

const pm_method_def pmi_frozenset_methods[] = {
    {"copy", setm_copy, PM_METH_NOARGS, "Return a shallow copy of a set."},
    {"difference", F(setm_difference), FAST, "Return the difference of two or more sets as a new set."},
    {"intersection", F(setm_intersection), FAST, "Return the intersection of two sets as a new set."},
    {"isdisjoint", setm_isdisjoint, PM_METH_O, "Return True if two sets have a null intersection."},
    {"issubset", setm_issubset, PM_METH_O, "Report whether another set contains this set."},
    {"issuperset", setm_issuperset, PM_METH_O, "Report whether this set contains another set."},
    {"symmetric_difference", setm_symmetric_difference, PM_METH_O, "Return the symmetric difference of two sets as a new set."},
    {"union", F(setm_union), FAST, "Return the union of sets as a new set."},
    {NULL, NULL, 0, NULL},
};
