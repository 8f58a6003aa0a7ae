/*
 * objects/state.h — the per-runtime state of the object types: the small
 * ints (int.c), the free lists (float.c, tuple.c, list.c, dict.c) and the
 * repr recursion guard (containers.c): rt->small_ints, rt->freelists,
 * rt->repr.  Types only (pymm.h and config.h), so runtime.h can embed them.
 */
#ifndef PYMM_OBJECTS_STATE_H
#define PYMM_OBJECTS_STATE_H

#include <stdint.h>
#include "pymm.h"
#include "config.h"

/* Storage of one cached small int: the layout of an int with one digit
 * (objects/scalar.h), 32 bytes. */
typedef struct pmi_small_int {
    pm_varobject ob_base;       /* immortal count, pm_int_type, size -1/0/1 */
    uint32_t ob_digit[2];       /* |value| in digit 0 (< 2**30) */
} pmi_small_int;

/* Dead objects kept for reuse; bounds and their reasons in config.h.  All
 * are pure caches: pm_freelists_clear and teardown empty them. */
typedef struct pmi_freelists {
    pm_object *float_free;      /* dead floats chained through ob_type */
    int float_numfree;          /* length of that chain, <= PMI_FLOAT_MAXFREELIST */
    pm_object *tuple_free[PMI_TUPLE_NFREELISTS]; /* [n-1]: dead n-tuples, chained
                                   through ob_item[0] (untracked, count 0) */
    int tuple_numfree[PMI_TUPLE_NFREELISTS]; /* length of each chain */
    pm_object *list_free[PMI_LIST_MAXFREELIST]; /* dead list objects, no item array */
    int list_numfree;           /* entries used in list_free */
    pm_object *dict_free[PMI_DICT_MAXFREELIST]; /* dead dict objects */
    int dict_numfree;           /* entries used in dict_free */
    struct pmi_dict_keys *dict_keys_free[PMI_DICT_MAXFREELIST]; /* dead minimum-size
                                   (8-slot) str-key tables */
    int dict_keys_numfree;      /* entries used in dict_keys_free */
} pmi_freelists;

/* containers.c: Py_ReprEnter's list of containers being printed. */
typedef struct pmi_repr_state {
    pm_object **stack;          /* containers whose repr is running (pm_malloc'd) */
    size_t depth;               /* entries in use */
    size_t cap;                 /* entries allocated */
} pmi_repr_state;

/* singletons.c: '' and chr(c) for c < 256, b'' and bytes([c]); built in
 * place at runtime creation, immortal in this runtime (no allocation, like
 * the small ints).  Per runtime rather than static because a str caches its
 * hash, which depends on the runtime's SipHash key. */
#define PMI_STR_SINGLE_SLOT 80      /* one-char str: pmi_compact (72) + char + NUL, rounded */
#define PMI_BYTES_SINGLE_SLOT 48    /* one-byte bytes: header (32) + byte + NUL, rounded */
typedef struct pmi_singletons {
    _Alignas(16) unsigned char str[257][PMI_STR_SINGLE_SLOT];   /* [c]: chr(c); [256]: '' */
    _Alignas(16) unsigned char bytes[257][PMI_BYTES_SINGLE_SLOT]; /* [c]: bytes([c]); [256]: b'' */
} pmi_singletons;

#endif
