/*
 * containers.h — layouts and internal interface of the container types
 * (list, tuple, dict, set/frozenset, instances of runtime classes).
 * Internal to the object layer; the public API is pymm.h's "Containers".
 *
 * Every layout below is CPython 3.11's on 64-bit, field for field, so that
 * sys.getsizeof (pm_getsizeof) agrees with python3 and the bytes pymm takes
 * from its allocator are the bytes CPython takes from pymalloc.  The design
 * and the growth rules are in docs/containers.md.
 *
 * Functions are grouped by the file that defines them.
 */
#ifndef PYMM_CONTAINERS_H
#define PYMM_CONTAINERS_H

#include "core/object.h"

/* ---- objects/list.c: PyListObject --------------------------------------- */

typedef struct pmi_list {
    pm_varobject ob_base;       /* ob_size: items in use */
    pm_object **ob_item;        /* items[0..allocated), pm_malloc'd; NULL when allocated == 0 */
    pm_ssize_t allocated;       /* slots in ob_item: ob_size <= allocated */
} pmi_list;                     /* 40 bytes (+16 gc head): getsizeof([]) == 56 */

#define PMI_LIST(o) ((pmi_list *)(o))
size_t pmi_list_freelist_clear(pm_runtime *rt);
/* CPython 3.11's list_resize: ob_size = newsize, the array grown or shrunk
 * with its over-allocation rule.  0, or -1 + MemoryError (list unchanged). */
int pmi_list_resize(pm_runtime *rt, pmi_list *self, pm_ssize_t newsize);
/* seqslice.c: seq[slice] for a list or tuple (NEW ref), and list[slice] =
 * v / del list[slice] (v NULL). */
pm_object *pmi_seq_subscript_slice(pm_runtime *rt, pm_object *seq, pm_object *slice);
int pmi_list_ass_subscript_slice(pm_runtime *rt, pm_object *list, pm_object *slice, pm_object *v);
/* An empty list with room for n items (the caller fills ob_item and
 * ob_size; the list is tracked).  NEW ref / NULL. */
pm_object *pmi_list_new_prealloc(pm_runtime *rt, pm_ssize_t n);
/* Lexicographic ==, <, ... of two lists or two tuples (new ref / NULL). */
pm_object *pmi_seq_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op);

/* The iterator of lists and tuples (listiterator / tupleiterator). */
typedef struct pmi_seqiter {
    pm_object ob_base;          /* refcount + type */
    pm_ssize_t index;           /* next position */
    pm_object *seq;             /* the list/tuple; NULL once exhausted */
} pmi_seqiter;
extern const pm_type pmi_listiter_type;
extern const pm_type pmi_tupleiter_type;
/* A new tracked iterator of `type` over seq (borrowed). */
pm_object *pmi_seqiter_new(pm_runtime *rt, const pm_type *type, pm_object *seq);
void pmi_seqiter_dealloc(pm_runtime *rt, pm_object *self);
int pmi_seqiter_traverse(pm_object *self, pm_visitproc visit, void *arg);
int pmi_seqiter_clear(pm_runtime *rt, pm_object *self);
/* iter(it) of an iterator: a new ref to itself. */
pm_object *pmi_self_iter(pm_runtime *rt, pm_object *self);

/* ---- objects/tuple.c: PyTupleObject ------------------------------------- */

typedef struct pmi_tuple {
    pm_varobject ob_base;       /* ob_size: number of items (fixed for life) */
    pm_object *ob_item[];       /* the items, each a strong reference */
} pmi_tuple;                    /* 24 + 8n bytes (+16 gc head) */

#define PMI_TUPLE(o) ((pmi_tuple *)(o))
/* A tuple of n NULL items (filled by the caller before anyone sees it);
 * tracked by the caller with pmi_gc_track after filling.  n == 0: the empty
 * tuple singleton.  NULL + MemoryError. */
pm_object *pmi_tuple_alloc(pm_runtime *rt, pm_ssize_t n);
size_t pmi_tuple_freelist_clear(pm_runtime *rt);

/* ---- objects/dict.c: PyDictObject + PyDictKeysObject ---------------------- */

/* The keys table (PyDictKeysObject): a header, then the index array of
 * 2**log2_size slots of 1, 2, 4 or 8 bytes, then USABLE_FRACTION(size)
 * entries in insertion order.  One pm_malloc block. */
typedef struct pmi_dict_keys {
    pm_ssize_t refcnt;          /* dicts using the table: 1, or 0 for the
                                   static empty table (never freed, never
                                   written) — getsizeof counts a table only
                                   when refcnt == 1, as CPython */
    uint8_t log2_size;          /* index slots = 1 << log2_size (>= 3) */
    uint8_t log2_index_bytes;   /* bytes of the index array = 1 << this */
    uint8_t kind;               /* PMI_DICT_KEYS_GENERAL / _UNICODE */
    uint8_t pad_;               /* (alignment) */
    uint32_t version;           /* CPython's dk_version (lookup caches); kept
                                   for the layout, always 0 here */
    pm_ssize_t usable;          /* entries that can still be appended */
    pm_ssize_t nentries;        /* entries used, deleted ones included */
    /* int8/16/32/64 indices[1 << log2_size]; then the entries */
} pmi_dict_keys;                /* 32 bytes, as PyDictKeysObject */

/* GENERAL: any keys, 24-byte entries; UNICODE: exact-str keys, 16-byte
 * entries; SPLIT: a class's shared keys (objects/instattr.c) — exact-str
 * keys in 16-byte entries whose value fields stay NULL, the values living
 * in each dict's or instance's pmi_dict_values; refcnt counts the class and
 * every values array using the table. */
enum { PMI_DICT_KEYS_GENERAL = 0, PMI_DICT_KEYS_UNICODE = 1, PMI_DICT_KEYS_SPLIT = 2 };

/* The values of one object (an instance's inline values, or a split dict's
 * values) over a shared keys table: value i belongs to key entry i of
 * `keys`.  CPython 3.11's PyDictValues keeps the insertion order in a byte
 * prefix; here it is a header.  One pm_malloc block of
 * sizeof(pmi_dict_values) + capacity words. */
typedef struct pmi_dict_values {
    pmi_dict_keys *keys;        /* the shared table (a reference: a class's
                                   keys outlive a __class__ change) */
    uint8_t capacity;           /* slots in values[]: the table's
                                   nentries + usable when this was made; the
                                   table never has more entries since */
    uint8_t nused;              /* entries in order[] (live values) */
    uint8_t order[PMI_SHARED_KEYS_MAX]; /* indices of the live values in the
                                   order they were set (iteration order) */
    pm_object *values[];        /* value i or NULL (unset), strong refs */
} pmi_dict_values;

/* Entry of a general table: any hashable key. */
typedef struct pmi_dict_entry {
    pm_hash_t hash;             /* cached hash of key */
    pm_object *key;             /* NULL: deleted */
    pm_object *value;
} pmi_dict_entry;               /* 24 bytes */

/* Entry of a unicode table: every key an exact str, whose hash is cached in
 * the str itself — 16 bytes instead of 24 (CPython 3.11's PEP-less change). */
typedef struct pmi_dict_uentry {
    pm_object *key;             /* NULL: deleted */
    pm_object *value;
} pmi_dict_uentry;

typedef struct pmi_dict {
    pm_object ob_base;          /* refcount + type */
    pm_ssize_t used;            /* live items */
    uint64_t version;           /* bumped by every change (iterators and
                                   lookups detect mutation through it) */
    pmi_dict_keys *keys;        /* the table; &the static empty table when
                                   the dict never held anything */
    pmi_dict_values *values;    /* split table: the values (owned; keys is
                                   then their shared table, borrowed through
                                   them); NULL for a combined table */
} pmi_dict;                     /* 48 bytes (+16 gc head): getsizeof({}) == 64 */

#define PMI_DICT(o) ((pmi_dict *)(o))
size_t pmi_dict_freelist_clear(pm_runtime *rt);
/* Items a dict iterator / set iterator has left (its __length_hint__), or
 * -1 when `it` is not one. */
pm_ssize_t pmi_dictiter_len(const pm_object *it);
pm_ssize_t pmi_setiter_len(const pm_object *it);
/* dict_new_presized: room for minused items; a str-key table if unicode. */
pm_object *pmi_dict_new_presized(pm_runtime *rt, pm_ssize_t minused, int unicode);

/* ---- split tables (objects/dict.c; used by objects/instattr.c) ----------- */

/* A class's shared keys table: empty, PMI_SHARED_KEYS_MAX usable, refcnt 1
 * (the caller's).  NULL + MemoryError. */
pmi_dict_keys *pmi_dictkeys_new_shared(pm_runtime *rt);
/* Drop one reference to a keys table (NULL is fine); the last frees it and
 * the key strs. */
void pmi_dictkeys_decref(pm_runtime *rt, pmi_dict_keys *dk);
/* Entry index of name (an exact str) in a shared table, or -1. */
pm_ssize_t pmi_dictkeys_shared_index(pm_runtime *rt, pmi_dict_keys *dk, pm_object *name);
/* insert_into_dictkeys: the entry of name (an exact str), appended (the
 * table takes a reference) when absent and the table has room; -1 when it
 * is full.  Cannot fail. */
pm_ssize_t pmi_dictkeys_shared_insert(pm_runtime *rt, pmi_dict_keys *dk, pm_object *name);
/* Values over dk, all unset, with room for dk's entries + usable; takes a
 * reference to dk.  NULL + MemoryError. */
pmi_dict_values *pmi_dict_values_new(pm_runtime *rt, pmi_dict_keys *dk);
/* Free v (NULL is fine), dropping the values too when drop_items, and its
 * reference to the table. */
void pmi_dict_values_free(pm_runtime *rt, pmi_dict_values *v, int drop_items);
/* Remove index ix from v's insertion order (when there). */
void pmi_dict_values_order_del(pmi_dict_values *v, pm_ssize_t ix);
/* A split dict owning vs (make_dict_from_instance_attributes): NEW ref, or
 * NULL + MemoryError with vs still the caller's. */
pm_object *pmi_dict_from_values(pm_runtime *rt, pmi_dict_values *vs);
/* new_dict_with_shared_keys: an empty split dict over dk.  NEW ref / NULL. */
pm_object *pmi_dict_new_shared(pm_runtime *rt, pmi_dict_keys *dk);
/* Key and value at position i (< used) of a split dict's insertion order
 * (borrowed). */
void pmi_dict_split_entry(const pm_object *d, pm_ssize_t i, pm_object **key, pm_object **value);

/* ---- objects/set.c: PySetObject ----------------------------------------- */

typedef struct pmi_setentry {
    pm_object *key;             /* NULL: never used; the dummy: deleted */
    pm_hash_t hash;             /* cached hash of key (-1 for the dummy) */
} pmi_setentry;

typedef struct pmi_set {
    pm_object ob_base;          /* refcount + type */
    pm_ssize_t fill;            /* active + dummy entries */
    pm_ssize_t used;            /* active entries */
    pm_ssize_t mask;            /* table slots - 1 (a power of two - 1) */
    pmi_setentry *table;        /* smalltable, or a pm_malloc'd table */
    pm_hash_t hash;             /* frozenset's cached hash; -1 until computed */
    pm_ssize_t finger;          /* where pop() looks next */
    pmi_setentry smalltable[PMI_SET_MINSIZE]; /* the table of small sets */
    pm_object *weakreflist;     /* weak references to it: the first
                                   pmi_weakref (gc/weakref.c), or NULL */
} pmi_set;                      /* 200 bytes (+16 gc head): getsizeof(set()) == 216 */

#define PMI_SET(o) ((pmi_set *)(o))
extern const pm_type pmi_setiter_type;

/* ---- objects/instance.c: instances of runtime classes ------------------- */

/* The type of classes made by pm_class_new. */
extern const pm_type pmi_class_type;

/* What a class made by pm_class_new keeps in its pm_type.extra. */
typedef struct pmi_class_info {
    pm_ssize_t nslots;          /* number of __slots__; -1: a dict class */
    pm_object *slot_names[];    /* interned strs, one per slot */
} pmi_class_info;

/* An instance of a dict class: CPython 3.11 keeps the dict and values
 * pointers in a 16-byte pre-header and the weakref list in the object
 * (basicsize 24); pymm keeps the same three words inside the object. */
typedef struct pmi_instance {
    pm_object ob_base;          /* refcount + (heap) type */
    pm_object *dict;            /* attribute dict, created on first set; or NULL */
    pm_object *weakreflist;     /* weak references to it: the first
                                   pmi_weakref (gc/weakref.c), or NULL */
    pm_object **values;         /* attribute values while no dict exists: slot
                                   i holds the attribute named by the class's
                                   shared name i (NULL: unset); pm_malloc'd,
                                   an even number (2..30) of slots, that
                                   number / 2 kept in the pointer's low 4
                                   bits (instance.c); or NULL */
} pmi_instance;                 /* 40 bytes (+16 gc head): getsizeof == 56 */

/* An instance of a slots class: the header and one word per slot. */
typedef struct pmi_slots_instance {
    pm_object ob_base;          /* refcount + (heap) type */
    pm_object *slots[];         /* NULL: slot not set */
} pmi_slots_instance;           /* 16 + 8n bytes (+16 gc head) */

/* ---- objects/containers.c: shared helpers ------------------------------- */

/* Py_ReprEnter / Py_ReprLeave: 0 = go on, 1 = o is already being repr'd
 * (print "..."), -1 = MemoryError.  Leave only after an Enter returned 0. */
int pmi_repr_enter(pm_runtime *rt, pm_object *o);
void pmi_repr_leave(pm_runtime *rt, pm_object *o);
/* Normalise index i of a sequence of length n (negative counts from the
 * end); -1 when out of range. */
static inline pm_ssize_t pmi_seq_index(pm_ssize_t i, pm_ssize_t n) {
    if (i < 0) i += n;
    return (i < 0 || i >= n) ? -1 : i;
}

#endif
