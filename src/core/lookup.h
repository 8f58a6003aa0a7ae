/*
 * lookup.h — the method cache's probe, inline for the hot callers of
 * pm_type_lookup: attribute reads (core/abstract.c) and method calls
 * (core/call.c).  The cache itself, its versions and its invalidation are
 * core/type.c's (see the essay there); this header only reads it.
 *
 *   rt->types.mcache[slot(version, name)]
 *        { version, name, value }   version == the class's tag and name the
 *                                   same object  → value is the answer
 *                                   (borrowed; NULL: "not defined")
 *        anything else             → pm_type_lookup (walks the MRO, fills
 *                                   the entry)
 *
 * Only classes (pmi_is_heaptype: their state is embedded, so the tag is one
 * load away) are probed inline; a static type's state sits in a hash table
 * keyed by address, and pm_type_lookup finds it.  An entry's name is always
 * a str (pm_type_lookup caches no other), so an identity match needs no
 * type check of name.  A version of 0 means "no tag", and no entry has it.
 *
 * For the VM (interp/ceval.c) the same probe is reachable through pymm.h's
 * pm_type_lookup, whose hit path is the same few loads.
 */
#ifndef PYMM_CORE_LOOKUP_H
#define PYMM_CORE_LOOKUP_H

#include "core/object.h"
#include "objects/containers.h"
#include "objects/heaptype.h"
#include "objects/scalar.h"

/* The entry (version, name) hashes to; type.c fills the same slots. */
static inline size_t pmi_mcache_slot(unsigned int version, const pm_object *name) {
    uintptr_t h = ((uintptr_t)version * 2654435761u) ^ ((uintptr_t)name >> 4);
    return (size_t)(h ^ (h >> PMI_MCACHE_SIZE_EXP)) & (((size_t)1 << PMI_MCACHE_SIZE_EXP) - 1);
}

/* pm_type_lookup(t, name) with the cache probed here first: 0 and *value
 * BORROWED (NULL when no class on the MRO defines name), or -1 with the
 * error set (only the uncached walk can fail). */
static inline int pmi_type_lookup_ref(pm_runtime *rt, const pm_type *t, pm_object *name, pm_object **value) {
    const pmi_mcache_entry *mc = rt->types.mcache;
    if (mc && pmi_is_heaptype(t)) {
        unsigned int version = PMI_HT(t)->state.version;
        const pmi_mcache_entry *e = &mc[pmi_mcache_slot(version, name)];
        if (version && e->version == version && e->name == name) {
            *value = e->value;
            return 0;
        }
    }
    *value = pm_type_lookup(rt, t, name);
    return !*value && rt->err.kind != PM_EXC_NONE ? -1 : 0;
}

/* pmi_dictkeys_shared_index (objects/dict.c) with its first probe here:
 * an instance attribute's name is usually in its home slot (a hit by
 * identity), and a method's name usually finds that slot empty (a miss).
 * A collision, a name whose hash is not cached yet, or an index wider
 * than a byte goes to dict.c.  The index of name in dk's entries, or -1. */
static inline pm_ssize_t pmi_shared_keys_index(pm_runtime *rt, pmi_dict_keys *dk, pm_object *name) {
    pm_hash_t h = PMI_STR(name)->hash;
    if (h != -1 && dk->log2_index_bytes == dk->log2_size) {
        const int8_t *ind = (const int8_t *)(void *)(dk + 1);
        const pmi_dict_uentry *ep0 = (const pmi_dict_uentry *)(const void *)((const char *)ind + ((size_t)1 << dk->log2_index_bytes));
        int ix = ind[(size_t)h & (((size_t)1 << dk->log2_size) - 1)];
        if (ix == -1) return -1;                    /* an empty slot (DKIX_EMPTY) */
        if (ix >= 0 && ep0[ix].key == name) return ix;
    }
    return pmi_dictkeys_shared_index(rt, dk, name);
}

#endif
