/*
 * interp/specialize.h — the VM's inline caches (CPython 3.11's adaptive
 * interpreter, in the shape this VM needs).
 *
 * A code object's co_code is never written: `dis` and co_code show it as
 * compiled, its CACHE units zero.  On a code object's first run the VM
 * gives it a private block (pmi_code.vm, CPython's co_code_adaptive):
 *
 *   pmi_vmcode { nunits, nentries, entries ─┐, slot[nunits] }
 *                                           v
 *   slot[i] = k + 1 for the instruction at code unit i   entries[k]: pmi_icache
 *   that has an entry (LOAD_GLOBAL, LOAD_ATTR,
 *   LOAD_METHOD, STORE_ATTR, CALL), 0 elsewhere
 *
 * An entry remembers what the generic path found last time and the guards
 * under which that answer still holds:
 *   - LOAD_GLOBAL: the globals dict (and builtins when the name came from
 *     there) and their versions.  Dict versions change with every change
 *     and are never shared by two dicts (runtime.h), so an equal version
 *     means the borrowed value is still in the dict.
 *   - attributes: the owner's exact type and its version tag
 *     (pm_type_version), which dies when the class or any class it inherits
 *     from changes; the type's attribute (borrowed from its MRO) is then
 *     still the one a lookup would find.  The instance's own dict is looked
 *     up each time (one probe of a str key with a cached hash).
 *   - CALL of a class: the class's exact identity and version tag; its
 *     __init__ (a Python function) and its object.__new__ hold while the
 *     tag does, so the VM makes the instance and calls __init__ with it
 *     prepended: no argument tuple, no bound method, no "__init__" string
 *     (3.12's CALL_NO_KW_ALLOC_AND_ENTER_INIT, with a C call for the frame).
 * A guard that fails sends the instruction to the generic path, which
 * refills the entry.  Nothing in an entry is owned: the block is one
 * pm_malloc, freed with the code object.  Ownership on the stack is the
 * generic path's, so sys.getrefcount sees no difference.
 *
 * An entry is filled on a miss (no warm-up counter as 3.11's: the refill
 * costs one type lookup).  A fill that finds no fast path (a property, a
 * __slots__ member, a class with __getattr__) backs off: the next 16, 32,
 * ... 1024 misses go straight to the generic path.
 */
#ifndef PYMM_INTERP_SPECIALIZE_H
#define PYMM_INTERP_SPECIALIZE_H

#include "pymm.h"
#include "code.h"

/* What an entry holds (pmi_icache.kind). */
enum {
    PMI_IC_NONE = 0,        /* empty: take the generic path */
    PMI_IC_GLOBAL,          /* LOAD_GLOBAL: value from globals / builtins */
    PMI_IC_ATTR,            /* LOAD_ATTR: instance dict, then value if plain */
    PMI_IC_METHOD,          /* LOAD_METHOD: value is a method descriptor */
    PMI_IC_STORE,           /* STORE_ATTR: into the instance dict */
    PMI_IC_INIT             /* CALL of a class: object's __new__, then the
                               class's Python __init__ (value) called with
                               the new instance prepended */
};

typedef struct pmi_icache {
    int kind;               /* PMI_IC_*: which guards and fast path apply */
    unsigned char plain;    /* PMI_IC_ATTR: value is no descriptor (a class
                               attribute read through the instance) */
    unsigned char plain2;   /* the same for the second type (owner2) */
    unsigned char fails;    /* fills in a row that found no fast path */
    uint16_t skip;          /* misses left before the next fill is tried
                               (3.11's backoff counter): a site that cannot
                               be specialized does not pay a lookup for
                               trying each time */
    const void *owner;      /* GLOBAL: the globals dict; attributes: the
                               owner's exact type (compared, never read) */
    const void *owner2;     /* GLOBAL: the builtins dict when the name was
                               found there, else NULL; attributes: a second
                               type seen at the site (method bodies run for
                               a class and its subclasses), or NULL */
    uint64_t ver1;          /* GLOBAL: globals' version; attributes: the
                               type's version tag */
    uint64_t ver2;          /* builtins' version / owner2's version tag */
    pm_object *value;       /* borrowed: the global's value / the type's
                               attribute (NULL: the type has none) */
    pm_object *value2;      /* borrowed: owner2's attribute */
    pm_ssize_t index;       /* attributes: name's index among the inline
                               values of owner's instances, -1 not known
                               yet.  A live class keeps one shared-keys
                               table whose names never move, and the tag
                               guard means the same class, so an index
                               once found holds (CPython 3.11's
                               LOAD_ATTR_INSTANCE_VALUE index) */
    pm_ssize_t index2;      /* the same for owner2 */
} pmi_icache;

typedef struct pmi_vmcode {
    int warmup;             /* RESUMEs and JUMP_BACKWARDs run, counted up to
                               PMI_WARMUP: below it the code is "cold", as
                               CPython 3.11's is before its quickening, and
                               the calls its specialized CALLs make uncounted
                               count a recursion level (ceval.c) */
    pm_ssize_t nunits;      /* code units of co_code */
    pm_ssize_t nentries;    /* entries (at most 65535) */
    pmi_icache *entries;    /* in the same block, after slot[] */
    uint16_t slot[];        /* per code unit: entry index + 1, or 0 */
} pmi_vmcode;

/* CPython 3.11's QUICKENING_WARMUP_DELAY: its code is quickened at the
 * eighth RESUME or JUMP_BACKWARD, and CALLs specialize on their first run
 * after that. */
#define PMI_WARMUP 8

/* co's block, made on the first call: NULL when it cannot be had (no
 * memory: the VM runs co uncached, no error is left set). */
pmi_vmcode *pmi_specialize_prepare(pm_runtime *rt, pmi_code *co);
/* Frees co's block (code_dealloc). */
void pmi_specialize_free(pm_runtime *rt, pmi_code *co);

/* The entry of the instruction at code unit i, or NULL. */
static inline pmi_icache *pmi_icache_at(pmi_vmcode *vm, pm_ssize_t i) {
    uint16_t s = vm->slot[i];
    return s ? &vm->entries[s - 1] : NULL;
}

/* The attribute entry's answer for type tp: 1 with *value / *plain of the
 * matching way, or 0 (tp is neither, or its tag changed). */
static inline int pmi_icache_attr_hit(pm_runtime *rt, pmi_icache *e, int kind, const pm_type *tp,
                                      pm_object **value, int *plain, pm_ssize_t **index) {
    if (e->kind != kind) return 0;
    if (tp == e->owner) {
        if (pm_type_version(rt, tp) != e->ver1) return 0;
        *value = e->value;
        *plain = e->plain;
        *index = &e->index;
        return 1;
    }
    if (tp == e->owner2) {
        if (pm_type_version(rt, tp) != e->ver2) return 0;
        *value = e->value2;
        *plain = e->plain2;
        *index = &e->index2;
        return 1;
    }
    return 0;
}

/* The inline-value index of name for instances of tp through the entry's
 * slot *index (filled on first success; -1 when no instance has the name
 * yet, asked again next time). */
static inline pm_ssize_t pmi_icache_inst_index(pm_runtime *rt, pm_ssize_t *index, const pm_type *tp,
                                               pm_object *name) {
    pm_ssize_t ix = *index;
    if (ix < 0) {
        ix = pm_inst_attr_index(rt, tp, name);
        if (ix >= 0) *index = ix;
    }
    return ix;
}

/* 1 when a miss should try to refill e; 0 while it backs off. */
static inline int pmi_icache_want_fill(pmi_icache *e) {
    if (!e->skip) return 1;
    e->skip--;
    return 0;
}

/* CALL's entry: the __init__ function (borrowed) to run for a call of
 * class tp through the fast path, or NULL (tp is not the cached class, or
 * its tag changed). */
static inline pm_object *pmi_icache_init_hit(pm_runtime *rt, const pmi_icache *e, const pm_type *tp) {
    if (e->kind != PMI_IC_INIT || tp != e->owner || pm_type_version(rt, tp) != e->ver1) return NULL;
    return e->value;
}

/* Refills e after the generic LOAD_GLOBAL found v (borrowed) for name. */
void pmi_specialize_global(pm_runtime *rt, pmi_icache *e, pm_object *globals, pm_object *builtins,
                           pm_object *name, pm_object *v);
/* Refills e for `owner.name` (kind PMI_IC_ATTR, PMI_IC_METHOD or
 * PMI_IC_STORE), or empties it when no fast path applies. */
void pmi_specialize_attr(pm_runtime *rt, pmi_icache *e, pm_object *owner, pm_object *name, int kind);
/* Refills CALL's e for a call of `callable`: PMI_IC_INIT when it is a class
 * (metatype exactly `type`) with object's __new__ and a Python function as
 * __init__, so that T(args) is exactly "new instance, __init__(self, args),
 * check None"; else backs off. */
void pmi_specialize_call(pm_runtime *rt, pmi_icache *e, pm_object *callable);

#endif
