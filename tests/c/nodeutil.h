/* The single-referent test type shared by the C tests: a gc node holding
 * one reference (`next`) and counting its deaths, written against the
 * public API only (pm_gc_new / pm_gc_track / pm_gc_untrack / pm_gc_del).
 * Header only (tests/CMakeLists.txt builds each test with testutil.c alone). */
#ifndef PYMM_NODEUTIL_H
#define PYMM_NODEUTIL_H
#include "testutil.h"

typedef struct tnode {
    pm_object ob_base;
    pm_object *next;            /* owned reference or NULL */
    long *deaths;               /* incremented when freed (may be NULL) */
} tnode;

static int node_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    tnode *n = (tnode *)self;
    return n->next ? visit(n->next, arg) : 0;
}

static int node_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((tnode *)self)->next);
    return 0;
}

static void node_dealloc(pm_runtime *rt, pm_object *self) {
    tnode *n = (tnode *)self;
    pm_gc_untrack(rt, self);
    if (n->deaths) (*n->deaths)++;
    PM_CLEAR(rt, n->next);          /* deferred by the core: no recursion */
    pm_gc_del(rt, self);
}

/* object's hash, as a C type inheriting from object has in CPython (in
 * pymm a NULL hook means unhashable). */
static pm_hash_t node_hash(pm_runtime *rt, pm_object *self) { return pm_object_type.hash(rt, self); }

static const pm_type node_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "node",
    .basicsize = sizeof(tnode),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = node_dealloc,
    .traverse = node_traverse,
    .clear = node_clear,
    .hash = node_hash,
};

/* A new tracked node owning next_stolen (may be NULL).  NEW ref, or NULL
 * with MemoryError (next_stolen released). */
static inline pm_object *node_new(pm_runtime *rt, pm_object *next_stolen, long *deaths) {
    pm_object *o = pm_gc_new(rt, &node_type);
    if (!o) {
        pm_xdecref(rt, next_stolen);
        return NULL;
    }
    ((tnode *)o)->next = next_stolen;
    ((tnode *)o)->deaths = deaths;
    pm_gc_track(rt, o);
    return o;
}
#endif
