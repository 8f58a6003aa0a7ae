/*
 * core/state.h — the per-runtime state of the object core (core/), one
 * struct per subsystem, each a member of pm_runtime (core/runtime.h):
 *
 *   rt->err      error.c    the pending exception
 *   rt->dealloc  object.c   the deferred-deallocation chain
 *   rt->hash     hash.c     the SipHash key
 *   rt->intern   intern.c   the table of interned strs
 *   rt->recursion recursion.c the recursion guard (depth and limit)
 *
 * Types only: this header needs nothing but pymm.h, so runtime.h can embed
 * the structs by value.
 */
#ifndef PYMM_CORE_STATE_H
#define PYMM_CORE_STATE_H

#include <stdint.h>
#include "pymm.h"

/* error.c: CPython's "current exception".  Raising with a message stores
 * the type and the text only (no allocation); the object is made on fetch. */
typedef struct pmi_err_state {
    pm_exc kind;                /* pending exception's nearest kind; PM_EXC_NONE: none */
    const pm_type *type;        /* pending exception's type (NULL: none); held
                                   through `value` when value is set */
    pm_object *value;           /* the exception object, or NULL: made from
                                   type + msg by pm_err_fetch */
    char msg[PM_ERR_MSG_MAX];   /* its message: a fixed buffer, so setting
                                   MemoryError never needs memory */
    pm_object *memerr;          /* MemoryError() living in memerr_mem, handed
                                   out when memory is gone; count 1 = only
                                   the runtime holds it */
    _Alignas(16) unsigned char memerr_mem[16 + 72];
                                /* its gc head + instance (core/exc.h:
                                   PMI_EXC_EMBED_BYTES), inside the runtime so
                                   a new runtime allocates nothing for it */
} pmi_err_state;

/* object.c: deallocation as a loop, not a recursion (see object.c). */
typedef struct pmi_dealloc_state {
    pm_object *pending;         /* objects whose count reached zero while a
                                   dealloc ran, chained through ob_refcnt */
    int running;                /* 1 while pm_dealloc's loop is active */
} pmi_dealloc_state;

/* hash.c: str/bytes hashing (CPython's PYTHONHASHSEED-randomised SipHash). */
typedef struct pmi_hash_state {
    uint64_t k0;                /* SipHash-1-3 key, first half */
    uint64_t k1;                /* second half; both chosen at start-up */
} pmi_hash_state;

/* intern.c: sys.intern's table. */
typedef struct pmi_intern_state {
    pm_object **slots;          /* open-addressing set of interned strs;
                                   NULL = empty, a dummy = deleted; or NULL
                                   when no table */
    size_t mask;                /* capacity - 1 (capacity a power of two); 0
                                   when no table */
    size_t used;                /* live entries */
    size_t fill;                /* live + deleted entries */
} pmi_intern_state;

/* recursion.c: Py_EnterRecursiveCall's counter (core/recursion.h). */
typedef struct pmi_recursion_state {
    int depth;                  /* guarded calls now running (repr, str,
                                   comparison, tuple hash, interpreter frames) */
    int limit;                  /* the call that would make depth exceed this
                                   fails with RecursionError; 1000 at start
                                   (PMI_RECURSION_LIMIT), pm_set_recursion_limit */
} pmi_recursion_state;

/* type.c: what is mutable about a type, kept per runtime so that the static
 * type structs stay const and shared (core/type.c's essay). */
typedef struct pmi_typestate {
    const pm_type *type;        /* the type this is the state of (the key) */
    pm_object *dict;            /* __dict__ (owned); NULL until first asked */
    pm_object *bases;           /* __bases__ (owned tuple); NULL until asked */
    pm_object *mro;             /* __mro__ (owned tuple); NULL until asked */
    unsigned int version;       /* method-cache version tag; 0: none */
    pm_object *weaklist;        /* weakrefs to the type (tp_weaklist; not
                                   owned: gc/weakref.c's list), or NULL */
} pmi_typestate;

/* One method-cache entry: type version + name -> the lookup's result. */
typedef struct pmi_mcache_entry {
    unsigned int version;       /* version tag of the looked-up type; 0: empty */
    pm_object *name;            /* the name (owned ref; compared by identity) */
    pm_object *value;           /* the result, BORROWED from a dict on the
                                   MRO (the entry dies with the version);
                                   NULL: the name is not defined */
} pmi_mcache_entry;

typedef struct pmi_types_state {
    pmi_typestate **tab;        /* open addressing by type address: NULL =
                                   free; records pm_malloc'd, so pointers to
                                   them stay valid while the table grows */
    size_t mask;                /* capacity - 1; 0 when tab is NULL */
    size_t used;                /* records in tab */
    pmi_mcache_entry *mcache;   /* 1 << PMI_MCACHE_SIZE_EXP entries, or NULL
                                   (not yet made, or its allocation failed:
                                   lookups then go uncached) */
    unsigned int next_version;  /* next version tag (from 1); UINT_MAX: run
                                   out, types get no new tags (uncached) */
} pmi_types_state;

#endif
