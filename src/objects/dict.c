/*
 * dict.c — dict: the compact, insertion-ordered hash table of CPython 3.6+,
 * with CPython 3.11's table kinds, sizes and growth.
 *
 * Purpose
 *   Mapping from hashable keys to values.  Layout and growth are CPython
 *   3.11's so that getsizeof({}), {'a': 1} and a dict after n insertions
 *   equal python3's, and the allocator sees the same requests.
 *
 *   pmi_dict (48 B + 16 gc head)        pmi_dict_keys: one pm_malloc block
 *   +-------+------+------+---------+    +--------------------------------+
 *   |refcnt |type  |used  |version  |    | header (32 B): refcnt, log2    |
 *   +-------+------+------+---------+    | sizes, kind, usable, nentries  |
 *   | keys ---------------------------> +--------------------------------+
 *   | values (NULL)                 |    | indices[2^k]: int8/16/32/64    |
 *   +-------------------------------+    |   -1 empty, -2 dummy, else the |
 *                                        |   entry number                 |
 *                                        +--------------------------------+
 *                                        | entries[usable + nentries]     |
 *                                        |   in insertion order:          |
 *                                        |   {hash, key, value} (general) |
 *                                        |   {key, value} (unicode: every |
 *                                        |    key an exact str; its hash  |
 *                                        |    is cached in the str)       |
 *                                        +--------------------------------+
 *
 * Sizes (64-bit): a table of 2^k index slots holds USABLE_FRACTION = 2^k*2/3
 *   entries; indices take 1 byte each up to 2^7 slots, 2 bytes up to 2^15,
 *   4 up to 2^31, else 8.  getsizeof = 48 + 16 (gc head) + 32 + index bytes
 *   + usable * (16 or 24).  {} shares the static empty table (not counted):
 *   64.  {'a': 1}: 64 + 32 + 8 + 5*16 = 184.
 *
 * Growth: an insertion that finds usable == 0 rebuilds the table with
 *   2^k >= used * 3 (GROWTH_RATE), dropping deleted entries; deletions never
 *   shrink (as CPython).  Inserting a non-str key into a unicode table turns
 *   it into a general one at the same time.  A failed rebuild leaves the old
 *   table in place and the insertion fails with MemoryError.
 *
 * Probing: slot i = hash & mask, then i = (5*i + perturb + 1) & mask with
 *   perturb >>= 5 each step (PERTURB_SHIFT), so all hash bits take part.
 *
 * Free lists (CPython 3.11): up to 80 dead dict objects, and up to 80
 *   minimum-size (8-slot) unicode key tables.  Cleared by pm_freelists_clear
 *   and at runtime teardown.
 *
 * Split tables (CPython 3.11's): a class's shared keys table (kind SPLIT,
 *   2^6 slots, <= 30 names, refcounted by the class and every values
 *   array) and per-object pmi_dict_values (the values by entry index and
 *   the object's own insertion order).  They live inline in instances
 *   (objects/instattr.c) until __dict__ is asked for; then a split dict
 *   (values != NULL, keys = the values' table) owns them:
 *
 *     split --new str key, table has room--> split (key appended to the
 *             shared table, seen by every instance of the class)
 *     split --non-str key / table full / popitem--> combined (dictresize,
 *             entries in the dict's insertion order)
 *     split --copy()--> a split copy;  --clear()--> the empty table
 *
 *   Deleting from a split dict leaves the key in the shared table.
 *   getsizeof of a split dict counts the table's room now (entries +
 *   usable), as _PyDict_SizeOf.
 *
 * Not copied: the dk_version lookup caches of CPython's specializing eval
 *   loop.
 */
#include "containers.h"
#include "scalar.h"
#include "descr.h"
#include "objects/typenew.h"

#define DKIX_EMPTY (-1)
#define DKIX_DUMMY (-2)
#define DKIX_ERROR (-3)
#define DKIX_CHANGED (-4)       /* internal: a comparison changed the dict, look again */
#define PERTURB_SHIFT 5
#define DICT_LOG_MINSIZE 3
#define DICT_MINSIZE 8
#define USABLE_FRACTION(n) (((n) << 1) / 3)
#define GROWTH_RATE(d) ((d)->used * 3)

/* The table of every empty dict: one empty slot, 0 usable — the first
 * insertion allocates a real table (insert_to_emptydict).  Read-only.  Its
 * size is 2^0, as CPython 3.11's empty_keys_struct: dict_merge's "one big
 * resize" test (USABLE_FRACTION(size) < incoming) depends on it, so that
 * {}.update(d) sizes its table as python3 does. */
static const struct {
    pmi_dict_keys keys;
    int8_t indices[DICT_MINSIZE];
} empty_keys = {
    {.refcnt = 0, .log2_size = 0, .log2_index_bytes = 0, .kind = PMI_DICT_KEYS_UNICODE,
     .usable = 0, .nentries = 0},
    {-1, -1, -1, -1, -1, -1, -1, -1},
};
#define EMPTY_KEYS ((pmi_dict_keys *)&empty_keys.keys)

static inline int str_exact(const pm_object *o) { return o->ob_type == &pm_str_type; }
static inline pm_hash_t str_cached_hash(const pm_object *o) { return PMI_STR(o)->hash; }

/* ------------------------------------------------------------------------ */
/* The keys table                                                            */
/* ------------------------------------------------------------------------ */

static inline char *dk_indices(pmi_dict_keys *dk) { return (char *)(dk + 1); }
static inline size_t dk_size(const pmi_dict_keys *dk) { return (size_t)1 << dk->log2_size; }
/* str-key entries (16 bytes): a unicode or a split (shared) table */
static inline int dk_unicode(const pmi_dict_keys *dk) { return dk->kind != PMI_DICT_KEYS_GENERAL; }
static inline void *dk_entries(pmi_dict_keys *dk) {
    return dk_indices(dk) + ((size_t)1 << dk->log2_index_bytes);
}
#define DK_ENTRIES(dk) ((pmi_dict_entry *)dk_entries(dk))
#define DK_UENTRIES(dk) ((pmi_dict_uentry *)dk_entries(dk))

static inline pm_ssize_t dk_get_index(pmi_dict_keys *dk, size_t i) {
    const char *ind = dk_indices(dk);
    switch (dk->log2_index_bytes - dk->log2_size) {
    case 0: return ((const int8_t *)ind)[i];
    case 1: return ((const int16_t *)ind)[i];
    case 2: return ((const int32_t *)ind)[i];
    default: return (pm_ssize_t)((const int64_t *)ind)[i];
    }
}

static inline void dk_set_index(pmi_dict_keys *dk, size_t i, pm_ssize_t ix) {
    char *ind = dk_indices(dk);
    switch (dk->log2_index_bytes - dk->log2_size) {
    case 0: ((int8_t *)ind)[i] = (int8_t)ix; break;
    case 1: ((int16_t *)ind)[i] = (int16_t)ix; break;
    case 2: ((int32_t *)ind)[i] = (int32_t)ix; break;
    default: ((int64_t *)ind)[i] = (int64_t)ix; break;
    }
}

/* Bytes of a table (_PyDict_KeysSize). */
static size_t keys_size(const pmi_dict_keys *dk) {
    size_t es = dk_unicode(dk) ? sizeof(pmi_dict_uentry) : sizeof(pmi_dict_entry);
    return sizeof(pmi_dict_keys) + ((size_t)1 << dk->log2_index_bytes) +
           (size_t)USABLE_FRACTION(dk_size(dk)) * es;
}

/* log2 of the smallest table (>= 8 slots) with more than minsize slots —
 * CPython's calculate_log2_keysize. */
static uint8_t calculate_log2_keysize(pm_ssize_t minsize) {
    uint64_t m = (uint64_t)((minsize | DICT_MINSIZE) - 1) | (DICT_MINSIZE - 1);
    return (uint8_t)(64 - __builtin_clzll(m));
}

/* Table size for n items without a resize (estimate_log2_keysize). */
static uint8_t estimate_log2_keysize(pm_ssize_t n) {
    return calculate_log2_keysize((n * 3 + 1) / 2);
}

static pmi_dict_keys *keys_new(pm_runtime *rt, uint8_t log2_size, int unicode) {
    if (log2_size >= 8 * sizeof(size_t) - 4) return pm_err_nomem(rt);
    size_t usable = USABLE_FRACTION((size_t)1 << log2_size);
    uint8_t log2_bytes;
    if (log2_size < 8) log2_bytes = log2_size;
    else if (log2_size < 16) log2_bytes = (uint8_t)(log2_size + 1);
    else if (log2_size >= 32) log2_bytes = (uint8_t)(log2_size + 3);
    else log2_bytes = (uint8_t)(log2_size + 2);
    size_t es = unicode ? sizeof(pmi_dict_uentry) : sizeof(pmi_dict_entry);
    pmi_dict_keys *dk;
    if (log2_size == DICT_LOG_MINSIZE && unicode && rt->freelists.dict_keys_numfree > 0) {
        dk = rt->freelists.dict_keys_free[--rt->freelists.dict_keys_numfree];
    } else {
        dk = pm_malloc(rt, sizeof(pmi_dict_keys) + ((size_t)1 << log2_bytes) + es * usable);
        if (!dk) return pm_err_nomem(rt);
    }
    dk->refcnt = 1;
    dk->log2_size = log2_size;
    dk->log2_index_bytes = log2_bytes;
    dk->kind = unicode ? PMI_DICT_KEYS_UNICODE : PMI_DICT_KEYS_GENERAL;
    dk->pad_ = 0;
    dk->version = 0;
    dk->usable = (pm_ssize_t)usable;
    dk->nentries = 0;
    memset(dk_indices(dk), 0xff, (size_t)1 << log2_bytes);
    memset(dk_entries(dk), 0, es * usable);
    return dk;
}

/* Free a table's memory (its references must already be dropped). */
static void keys_free(pm_runtime *rt, pmi_dict_keys *dk) {
    if (dk == EMPTY_KEYS) return;
    if (dk->log2_size == DICT_LOG_MINSIZE && dk->kind == PMI_DICT_KEYS_UNICODE &&
        rt->freelists.dict_keys_numfree < PMI_DICT_MAXFREELIST) {
        rt->freelists.dict_keys_free[rt->freelists.dict_keys_numfree++] = dk;
        return;
    }
    pm_free(rt, dk);
}

/* Drop the references held by the entries of dk, then free it. */
static void keys_decref_all(pm_runtime *rt, pmi_dict_keys *dk) {
    if (dk == EMPTY_KEYS) return;
    pm_ssize_t n = dk->nentries;
    if (dk_unicode(dk)) {
        pmi_dict_uentry *ep = DK_UENTRIES(dk);
        for (pm_ssize_t i = 0; i < n; i++) {
            pm_xdecref(rt, ep[i].key);
            pm_xdecref(rt, ep[i].value);
        }
    } else {
        pmi_dict_entry *ep = DK_ENTRIES(dk);
        for (pm_ssize_t i = 0; i < n; i++) {
            pm_xdecref(rt, ep[i].key);
            pm_xdecref(rt, ep[i].value);
        }
    }
    keys_free(rt, dk);
}

size_t pmi_dict_freelist_clear(pm_runtime *rt) {
    size_t n = 0;
    while (rt->freelists.dict_numfree > 0) {
        pmi_object_free(rt, rt->freelists.dict_free[--rt->freelists.dict_numfree]);
        n++;
    }
    while (rt->freelists.dict_keys_numfree > 0) {
        pm_free(rt, rt->freelists.dict_keys_free[--rt->freelists.dict_keys_numfree]);
        n++;
    }
    return n;
}

/* ------------------------------------------------------------------------ */
/* Lookup                                                                    */
/* ------------------------------------------------------------------------ */

/* An exact-str key in a unicode table: identity, or equal cached hash and
 * equal text.  Cannot fail. */
static pm_ssize_t unicode_lookup_str(pmi_dict_keys *dk, pm_object *key, pm_hash_t hash) {
    size_t mask = dk_size(dk) - 1, perturb = (size_t)hash, i = (size_t)hash & mask;
    pmi_dict_uentry *ep0 = DK_UENTRIES(dk);
    for (;;) {
        pm_ssize_t ix = dk_get_index(dk, i);
        if (ix >= 0) {
            pm_object *k = ep0[ix].key;
            if (k == key || (str_cached_hash(k) == hash && pmi_str_eq(k, key))) return ix;
        } else if (ix == DKIX_EMPTY) {
            return DKIX_EMPTY;
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* Any key: identity, else equal hash and ==.  The comparison may run code
 * that changes the dict; then DKIX_CHANGED asks the caller to start again. */
static pm_ssize_t generic_lookup(pm_runtime *rt, pmi_dict *mp, pmi_dict_keys *dk, pm_object *key,
                                 pm_hash_t hash) {
    size_t mask = dk_size(dk) - 1, perturb = (size_t)hash, i = (size_t)hash & mask;
    int unicode = dk_unicode(dk);
    for (;;) {
        pm_ssize_t ix = dk_get_index(dk, i);
        if (ix >= 0) {
            pm_object *k;
            pm_hash_t h;
            if (unicode) {
                k = DK_UENTRIES(dk)[ix].key;
                h = str_cached_hash(k);
            } else {
                k = DK_ENTRIES(dk)[ix].key;
                h = DK_ENTRIES(dk)[ix].hash;
            }
            if (k == key) return ix;
            if (h == hash) {
                pm_incref(rt, k);
                int cmp = pm_equal(rt, k, key);
                pm_decref(rt, k);
                if (cmp < 0) return DKIX_ERROR;
                if (dk != mp->keys) return DKIX_CHANGED;
                pm_object *now = unicode ? DK_UENTRIES(dk)[ix].key : DK_ENTRIES(dk)[ix].key;
                if (now != k) return DKIX_CHANGED;
                if (cmp > 0) return ix;
            }
        } else if (ix == DKIX_EMPTY) {
            return DKIX_EMPTY;
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* _Py_dict_lookup: the entry index of key, DKIX_EMPTY, or DKIX_ERROR.
 * *value (may be NULL) receives the value, borrowed. */
static pm_ssize_t dict_lookup(pm_runtime *rt, pmi_dict *mp, pm_object *key, pm_hash_t hash,
                              pm_object **value) {
    pm_ssize_t ix;
    pmi_dict_keys *dk;
    do {
        dk = mp->keys;
        if (dk_unicode(dk) && str_exact(key)) ix = unicode_lookup_str(dk, key, hash);
        else ix = generic_lookup(rt, mp, dk, key, hash);
    } while (ix == DKIX_CHANGED);
    if (ix >= 0 && mp->values && !mp->values->values[ix]) ix = DKIX_EMPTY;  /* a shared key this dict lacks */
    if (value) {
        if (ix < 0) *value = NULL;
        else if (mp->values) *value = mp->values->values[ix];
        else *value = dk_unicode(dk) ? DK_UENTRIES(dk)[ix].value : DK_ENTRIES(dk)[ix].value;
    }
    return ix;
}

/* The index slot holding entry ix (lookdict_index). */
static size_t lookdict_index(pmi_dict_keys *dk, pm_hash_t hash, pm_ssize_t ix) {
    size_t mask = dk_size(dk) - 1, perturb = (size_t)hash, i = (size_t)hash & mask;
    for (;;) {
        pm_ssize_t k = dk_get_index(dk, i);
        if (k == ix) return i;
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* The first empty or dummy slot on hash's probe sequence. */
static size_t find_empty_slot(pmi_dict_keys *dk, pm_hash_t hash) {
    size_t mask = dk_size(dk) - 1, perturb = (size_t)hash, i = (size_t)hash & mask;
    while (dk_get_index(dk, i) >= 0) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
    return i;
}

static pm_hash_t key_hash(pm_runtime *rt, pm_object *key) {
    if (str_exact(key)) {
        pm_hash_t h = str_cached_hash(key);
        if (h != -1) return h;
        return pmi_str_hash(rt, key);
    }
    return pm_hash(rt, key);
}

/* ---- shared keys and values (split tables) ------------------------------- */

pmi_dict_keys *pmi_dictkeys_new_shared(pm_runtime *rt) {
    /* 2^6 slots (CPython's NEXT_LOG2_SHARED_KEYS_MAX_SIZE) for at most
     * PMI_SHARED_KEYS_MAX names */
    pmi_dict_keys *dk = keys_new(rt, 6, 1);
    if (!dk) return NULL;
    dk->kind = PMI_DICT_KEYS_SPLIT;
    dk->usable = PMI_SHARED_KEYS_MAX;
    return dk;
}

void pmi_dictkeys_decref(pm_runtime *rt, pmi_dict_keys *dk) {
    if (dk && dk != EMPTY_KEYS && --dk->refcnt == 0) keys_decref_all(rt, dk);
}

/* The attribute lookup of every instance: unicode_lookup_str for a shared
 * table, whose indices are always one byte (2^6 slots). */
pm_ssize_t pmi_dictkeys_shared_index(pm_runtime *rt, pmi_dict_keys *dk, pm_object *name) {
    pm_hash_t h = str_cached_hash(name);
    if (h == -1) h = pmi_str_hash(rt, name);
    if (dk->log2_index_bytes != dk->log2_size) {
        pm_ssize_t ix = unicode_lookup_str(dk, name, h);
        return ix >= 0 ? ix : -1;
    }
    const int8_t *ind = (const int8_t *)(void *)dk_indices(dk);
    const pmi_dict_uentry *ep0 = DK_UENTRIES(dk);
    size_t mask = dk_size(dk) - 1, perturb = (size_t)h, i = (size_t)h & mask;
    for (;;) {
        int ix = ind[i];
        if (ix >= 0) {
            pm_object *k = ep0[ix].key;
            if (k == name || (str_cached_hash(k) == h && pmi_str_eq(k, name))) return ix;
        } else if (ix == DKIX_EMPTY) {
            return -1;
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* insert_into_dictkeys (see containers.h). */
pm_ssize_t pmi_dictkeys_shared_insert(pm_runtime *rt, pmi_dict_keys *dk, pm_object *name) {
    pm_ssize_t ix = pmi_dictkeys_shared_index(rt, dk, name);     /* caches name's hash */
    if (ix >= 0) return ix;
    if (dk->usable <= 0) return -1;
    ix = dk->nentries;
    dk_set_index(dk, find_empty_slot(dk, str_cached_hash(name)), ix);
    DK_UENTRIES(dk)[ix].key = pm_newref(rt, name);
    dk->usable--;
    dk->nentries++;
    return ix;
}

pmi_dict_values *pmi_dict_values_new(pm_runtime *rt, pmi_dict_keys *dk) {
    pm_ssize_t cap = dk->nentries + dk->usable;
    pmi_dict_values *v = pm_malloc(rt, sizeof(pmi_dict_values) + (size_t)cap * sizeof(pm_object *));
    if (!v) return pm_err_nomem(rt);
    v->keys = dk;
    dk->refcnt++;
    v->capacity = (uint8_t)cap;
    v->nused = 0;
    for (pm_ssize_t i = 0; i < cap; i++) v->values[i] = NULL;
    return v;
}

void pmi_dict_values_free(pm_runtime *rt, pmi_dict_values *v, int drop_items) {
    if (!v) return;
    if (drop_items) {
        /* the holder has already let go of v: a decref here may run code
         * that looks at the holder, never at v */
        for (pm_ssize_t i = 0; i < v->capacity; i++) pm_xdecref(rt, v->values[i]);
    }
    pmi_dict_keys *dk = v->keys;
    pm_free(rt, v);
    pmi_dictkeys_decref(rt, dk);
}

void pmi_dict_values_order_del(pmi_dict_values *v, pm_ssize_t ix) {
    for (int i = 0; i < v->nused; i++)
        if (v->order[i] == ix) {
            memmove(&v->order[i], &v->order[i + 1], (size_t)(v->nused - i - 1));
            v->nused--;
            return;
        }
}

/* ------------------------------------------------------------------------ */
/* Resize and insert                                                         */
/* ------------------------------------------------------------------------ */

/* Rebuild mp's table with 2^log2_newsize slots, dropping deleted entries
 * (dictresize).  unicode == 0 forces a general table.  On failure the old
 * table is untouched. */
static int dictresize(pm_runtime *rt, pmi_dict *mp, uint8_t log2_newsize, int unicode) {
    pmi_dict_keys *oldkeys = mp->keys;
    if (!dk_unicode(oldkeys)) unicode = 0;
    pmi_dict_keys *newkeys = keys_new(rt, log2_newsize, unicode);
    if (!newkeys) return -1;
    pm_ssize_t numentries = mp->used, n = oldkeys->nentries, j = 0;
    if (mp->values) {
        /* split -> combined: the entries in the dict's insertion order, each
         * key with a reference of its own (the shared table keeps its),
         * the values moved */
        pmi_dict_values *ov = mp->values;
        pmi_dict_uentry *src = DK_UENTRIES(oldkeys);
        for (pm_ssize_t i = 0; i < numentries; i++) {
            pm_ssize_t ix = ov->order[i];
            pm_object *k = pm_newref(rt, src[ix].key);
            if (unicode) {
                DK_UENTRIES(newkeys)[i].key = k;
                DK_UENTRIES(newkeys)[i].value = ov->values[ix];
                dk_set_index(newkeys, find_empty_slot(newkeys, str_cached_hash(k)), i);
            } else {
                DK_ENTRIES(newkeys)[i].hash = str_cached_hash(k);
                DK_ENTRIES(newkeys)[i].key = k;
                DK_ENTRIES(newkeys)[i].value = ov->values[ix];
                dk_set_index(newkeys, find_empty_slot(newkeys, str_cached_hash(k)), i);
            }
        }
        mp->keys = newkeys;
        mp->values = NULL;
        newkeys->usable -= numentries;
        newkeys->nentries = numentries;
        pmi_dict_values_free(rt, ov, 0);
        return 0;
    }
    if (unicode) {                      /* unicode -> unicode */
        pmi_dict_uentry *src = DK_UENTRIES(oldkeys), *dst = DK_UENTRIES(newkeys);
        for (pm_ssize_t i = 0; i < n; i++)
            if (src[i].value) dst[j++] = src[i];
        for (pm_ssize_t k = 0; k < numentries; k++)
            dk_set_index(newkeys, find_empty_slot(newkeys, str_cached_hash(dst[k].key)), k);
    } else {
        pmi_dict_entry *dst = DK_ENTRIES(newkeys);
        if (dk_unicode(oldkeys)) {      /* unicode -> general */
            pmi_dict_uentry *src = DK_UENTRIES(oldkeys);
            for (pm_ssize_t i = 0; i < n; i++) {
                if (!src[i].value) continue;
                dst[j].hash = str_cached_hash(src[i].key);
                dst[j].key = src[i].key;
                dst[j].value = src[i].value;
                j++;
            }
        } else {                        /* general -> general */
            pmi_dict_entry *src = DK_ENTRIES(oldkeys);
            for (pm_ssize_t i = 0; i < n; i++)
                if (src[i].value) dst[j++] = src[i];
        }
        for (pm_ssize_t k = 0; k < numentries; k++)
            dk_set_index(newkeys, find_empty_slot(newkeys, dst[k].hash), k);
    }
    mp->keys = newkeys;
    keys_free(rt, oldkeys);
    newkeys->usable -= numentries;
    newkeys->nentries = numentries;
    return 0;
}

static int insertion_resize(pm_runtime *rt, pmi_dict *mp, int unicode) {
    return dictresize(rt, mp, calculate_log2_keysize(GROWTH_RATE(mp)), unicode);
}

/* Append a new entry (the key is known to be absent and there is room). */
static void insert_new_entry(pmi_dict *mp, pm_object *key, pm_hash_t hash, pm_object *value) {
    pmi_dict_keys *dk = mp->keys;
    size_t slot = find_empty_slot(dk, hash);
    dk_set_index(dk, slot, dk->nentries);
    if (dk_unicode(dk)) {
        pmi_dict_uentry *ep = &DK_UENTRIES(dk)[dk->nentries];
        ep->key = key;
        ep->value = value;
    } else {
        pmi_dict_entry *ep = &DK_ENTRIES(dk)[dk->nentries];
        ep->hash = hash;
        ep->key = key;
        ep->value = value;
    }
    mp->used++;
    mp->version++;
    dk->usable--;
    dk->nentries++;
}

/* insertdict: consumes one reference to key and to value, also on
 * failure. */
static int insertdict(pm_runtime *rt, pmi_dict *mp, pm_object *key, pm_hash_t hash,
                      pm_object *value) {
    if (!pm_gc_is_tracked((pm_object *)mp) && (pmi_gc_may_be_tracked(key) || pmi_gc_may_be_tracked(value)))
        pmi_gc_track(rt, (pm_object *)mp);
    if (mp->keys == EMPTY_KEYS) {
        /* insert_to_emptydict: the first table is the minimum size, unicode
         * when the first key is a str. */
        pmi_dict_keys *dk = keys_new(rt, DICT_LOG_MINSIZE, str_exact(key));
        if (!dk) goto fail;
        mp->keys = dk;
        insert_new_entry(mp, key, hash, value);
        return 0;
    }
    if (dk_unicode(mp->keys) && !str_exact(key)) {
        if (insertion_resize(rt, mp, 0) < 0) goto fail;
    }
    if (mp->values) {
        /* split table: a key of the shared table, or a new one appended to
         * it while it has room (then key's reference goes to the table) */
        pmi_dict_keys *dk = mp->keys;
        pmi_dict_values *vs = mp->values;
        pm_ssize_t ix = unicode_lookup_str(dk, key, hash);
        if (ix < 0 && dk->usable > 0) {
            ix = dk->nentries;
            dk_set_index(dk, find_empty_slot(dk, hash), ix);
            DK_UENTRIES(dk)[ix].key = key;
            dk->usable--;
            dk->nentries++;
            key = NULL;
        }
        if (ix >= 0) {
            pm_object *old = vs->values[ix];
            vs->values[ix] = value;
            if (!old) {
                vs->order[vs->nused++] = (uint8_t)ix;
                mp->used++;
            }
            mp->version++;
            pm_xdecref(rt, old);
            pm_xdecref(rt, key);
            return 0;
        }
        /* the shared table is full: this dict gets a table of its own */
        if (insertion_resize(rt, mp, 1) < 0) goto fail;
    }
    pm_object *old;
    pm_ssize_t ix = dict_lookup(rt, mp, key, hash, &old);
    if (ix == DKIX_ERROR) goto fail;
    if (ix == DKIX_EMPTY) {
        if (mp->keys->usable <= 0 && insertion_resize(rt, mp, 1) < 0) goto fail;
        insert_new_entry(mp, key, hash, value);
        return 0;
    }
    if (old != value) {
        if (dk_unicode(mp->keys)) DK_UENTRIES(mp->keys)[ix].value = value;
        else DK_ENTRIES(mp->keys)[ix].value = value;
        mp->version++;
    }
    pm_decref(rt, old);                 /* may run a dealloc: the dict is consistent */
    pm_decref(rt, key);
    return 0;
fail:
    pm_decref(rt, value);
    pm_decref(rt, key);
    return -1;
}

/* Remove entry ix (the key's hash is `hash`); the dropped references are
 * released after the dict is consistent again. */
static void delitem_common(pm_runtime *rt, pmi_dict *mp, pm_hash_t hash, pm_ssize_t ix) {
    pmi_dict_keys *dk = mp->keys;
    if (mp->values) {
        /* split: the key stays in the shared table */
        pm_object *v = mp->values->values[ix];
        mp->values->values[ix] = NULL;
        pmi_dict_values_order_del(mp->values, ix);
        mp->used--;
        mp->version++;
        pm_decref(rt, v);
        return;
    }
    size_t slot = lookdict_index(dk, hash, ix);
    dk_set_index(dk, slot, DKIX_DUMMY);
    pm_object *k, *v;
    if (dk_unicode(dk)) {
        pmi_dict_uentry *ep = &DK_UENTRIES(dk)[ix];
        k = ep->key;
        v = ep->value;
        ep->key = ep->value = NULL;
    } else {
        pmi_dict_entry *ep = &DK_ENTRIES(dk)[ix];
        k = ep->key;
        v = ep->value;
        ep->key = ep->value = NULL;
    }
    mp->used--;
    mp->version++;
    pm_decref(rt, v);
    pm_decref(rt, k);
}

/* ------------------------------------------------------------------------ */
/* Construction and teardown                                                 */
/* ------------------------------------------------------------------------ */

static pmi_dict *dict_alloc(pm_runtime *rt, pmi_dict_keys *keys) {
    pmi_dict *mp;
    if (rt->freelists.dict_numfree > 0) {
        mp = (pmi_dict *)rt->freelists.dict_free[--rt->freelists.dict_numfree];
        mp->ob_base.ob_refcnt = 1;
    } else {
        mp = (pmi_dict *)pmi_gc_new(rt, &pm_dict_type);
        if (!mp) return NULL;           /* the caller still owns keys */
    }
    mp->used = 0;
    mp->version = ++rt->dict_version_next << 32;    /* unique: see runtime.h */
    mp->keys = keys;
    mp->values = NULL;
    /* Untracked, as CPython's new_dict: insertdict starts tracking when a
     * trackable key or value arrives (MAINTAIN_TRACKING). */
    return mp;
}

pm_object *pm_dict_new(pm_runtime *rt) {
    return (pm_object *)dict_alloc(rt, EMPTY_KEYS);
}

pm_object *pmi_dict_from_values(pm_runtime *rt, pmi_dict_values *vs) {
    pmi_dict *mp = dict_alloc(rt, vs->keys);
    if (!mp) return NULL;
    mp->values = vs;
    mp->used = vs->nused;
    /* make_dict_from_instance_attributes: tracked when a value may be */
    for (int i = 0; i < vs->nused; i++)
        if (pmi_gc_may_be_tracked(vs->values[vs->order[i]])) {
            pmi_gc_track(rt, (pm_object *)mp);
            break;
        }
    return (pm_object *)mp;
}

pm_object *pmi_dict_new_shared(pm_runtime *rt, pmi_dict_keys *dk) {
    pmi_dict_values *vs = pmi_dict_values_new(rt, dk);
    if (!vs) return NULL;
    pm_object *d = pmi_dict_from_values(rt, vs);
    if (!d) pmi_dict_values_free(rt, vs, 0);
    return d;
}

void pmi_dict_split_entry(const pm_object *d, pm_ssize_t i, pm_object **key, pm_object **value) {
    const pmi_dict *mp = PMI_DICT(d);
    pm_ssize_t ix = mp->values->order[i];
    *key = DK_UENTRIES(mp->keys)[ix].key;
    *value = mp->values->values[ix];
}

pm_object *pm_dict_new_presized(pm_runtime *rt, pm_ssize_t minused) {
    return pmi_dict_new_presized(rt, minused, 0);
}

/* dict_new_presized: a dict that takes minused items without growing
 * (capped at 2^17 slots), unicode table when `unicode`. */
pm_object *pmi_dict_new_presized(pm_runtime *rt, pm_ssize_t minused, int unicode) {
    const uint8_t log2_max_presize = 17;
    if (minused <= USABLE_FRACTION(DICT_MINSIZE)) return pm_dict_new(rt);
    uint8_t log2 = minused > USABLE_FRACTION((pm_ssize_t)1 << log2_max_presize)
                       ? log2_max_presize
                       : estimate_log2_keysize(minused);
    pmi_dict_keys *dk = keys_new(rt, log2, unicode);
    if (!dk) return NULL;
    pmi_dict *mp = dict_alloc(rt, dk);
    if (!mp) keys_free(rt, dk);
    return (pm_object *)mp;
}

pm_object *pm_dict_from_items(pm_runtime *rt, pm_object *const *keys, pm_object *const *values,
                              pm_ssize_t n) {
    int unicode = 1;
    for (pm_ssize_t i = 0; i < n; i++)
        if (!str_exact(keys[i])) {
            unicode = 0;
            break;
        }
    pm_object *d = pmi_dict_new_presized(rt, n, unicode);
    if (!d) return NULL;
    for (pm_ssize_t i = 0; i < n; i++) {
        if (pm_dict_set(rt, d, keys[i], values[i]) < 0) {
            pm_decref(rt, d);
            return NULL;
        }
    }
    return d;
}

static void dict_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_dict *mp = PMI_DICT(self);
    pmi_gc_untrack(rt, self);
    pmi_dict_keys *dk = mp->keys;
    pmi_dict_values *vs = mp->values;
    mp->keys = EMPTY_KEYS;
    mp->values = NULL;
    mp->used = 0;
    if (vs) pmi_dict_values_free(rt, vs, 1);    /* also lets go of the shared table */
    else keys_decref_all(rt, dk);
    if (rt->freelists.dict_numfree < PMI_DICT_MAXFREELIST && self->ob_type == &pm_dict_type) {
        rt->freelists.dict_free[rt->freelists.dict_numfree++] = self;
        return;
    }
    pmi_object_free(rt, self);
}

/* ------------------------------------------------------------------------ */
/* Public operations                                                         */
/* ------------------------------------------------------------------------ */

#define DICT_CHECK(rt, o, fn, fail)                        \
    do {                                                   \
        if (!pm_dict_check(o)) {                           \
            pmi_err_badarg((rt), (fn));                    \
            return fail;                                   \
        }                                                  \
    } while (0)

pm_ssize_t pm_dict_size(const pm_object *d) { return PMI_DICT(d)->used; }

int pm_dict_set(pm_runtime *rt, pm_object *d, pm_object *key, pm_object *value) {
    DICT_CHECK(rt, d, "pm_dict_set", -1);
    pm_hash_t h = key_hash(rt, key);
    if (h == -1) return -1;
    pm_incref(rt, key);
    pm_incref(rt, value);
    return insertdict(rt, PMI_DICT(d), key, h, value);
}

pm_object *pm_dict_get(pm_runtime *rt, pm_object *d, pm_object *key) {
    DICT_CHECK(rt, d, "pm_dict_get", NULL);
    pm_hash_t h = key_hash(rt, key);
    if (h == -1) return NULL;
    pm_object *v;
    if (dict_lookup(rt, PMI_DICT(d), key, h, &v) == DKIX_ERROR) return NULL;
    return v;
}

/* KeyError(key): str() of it is repr(key), as in CPython. */
static void set_key_error(pm_runtime *rt, pm_object *key) {
    pm_err_set_key_error(rt, key);
}

int pm_dict_del(pm_runtime *rt, pm_object *d, pm_object *key) {
    DICT_CHECK(rt, d, "pm_dict_del", -1);
    pm_hash_t h = key_hash(rt, key);
    if (h == -1) return -1;
    pmi_dict *mp = PMI_DICT(d);
    pm_ssize_t ix = dict_lookup(rt, mp, key, h, NULL);
    if (ix == DKIX_ERROR) return -1;
    if (ix == DKIX_EMPTY) {
        set_key_error(rt, key);
        return -1;
    }
    delitem_common(rt, mp, h, ix);
    return 0;
}

pm_object *pm_dict_pop(pm_runtime *rt, pm_object *d, pm_object *key, pm_object *deflt) {
    DICT_CHECK(rt, d, "pm_dict_pop", NULL);
    pmi_dict *mp = PMI_DICT(d);
    if (mp->used == 0) goto missing;
    pm_hash_t h = key_hash(rt, key);
    if (h == -1) return NULL;
    pm_object *v;
    pm_ssize_t ix = dict_lookup(rt, mp, key, h, &v);
    if (ix == DKIX_ERROR) return NULL;
    if (ix == DKIX_EMPTY) goto missing;
    pm_incref(rt, v);
    delitem_common(rt, mp, h, ix);
    return v;
missing:
    if (deflt) return pm_newref(rt, deflt);
    set_key_error(rt, key);
    return NULL;
}

pm_object *pm_dict_popitem(pm_runtime *rt, pm_object *d) {
    DICT_CHECK(rt, d, "pm_dict_popitem", NULL);
    pmi_dict *mp = PMI_DICT(d);
    if (mp->used == 0) {
        pm_err_set(rt, PM_EXC_KeyError, "popitem(): dictionary is empty");
        return NULL;
    }
    /* Allocate the result first so that nothing can fail after the entry
     * is removed (CPython's order). */
    pm_object *res = pmi_tuple_alloc(rt, 2);
    if (!res) return NULL;
    /* a split table becomes the dict's own first, at the same size */
    if (mp->values && dictresize(rt, mp, mp->keys->log2_size, 1) < 0) {
        pm_decref(rt, res);
        return NULL;
    }
    pmi_dict_keys *dk = mp->keys;
    pm_ssize_t i = dk->nentries - 1;
    pm_object *k, *v;
    pm_hash_t h;
    if (dk_unicode(dk)) {
        while (!DK_UENTRIES(dk)[i].value) i--;
        k = DK_UENTRIES(dk)[i].key;
        v = DK_UENTRIES(dk)[i].value;
        h = str_cached_hash(k);
        DK_UENTRIES(dk)[i].key = DK_UENTRIES(dk)[i].value = NULL;
    } else {
        while (!DK_ENTRIES(dk)[i].value) i--;
        k = DK_ENTRIES(dk)[i].key;
        v = DK_ENTRIES(dk)[i].value;
        h = DK_ENTRIES(dk)[i].hash;
        DK_ENTRIES(dk)[i].key = DK_ENTRIES(dk)[i].value = NULL;
    }
    dk_set_index(dk, lookdict_index(dk, h, i), DKIX_DUMMY);
    PMI_TUPLE(res)->ob_item[0] = k;     /* the dict's references move into res */
    PMI_TUPLE(res)->ob_item[1] = v;
    pmi_gc_track(rt, res);
    /* popitem leaves the popped slot reusable at the end, as CPython 3.11 */
    dk->nentries = i;
    mp->used--;
    mp->version++;
    return res;
}

int pm_dict_contains(pm_runtime *rt, pm_object *d, pm_object *key) {
    DICT_CHECK(rt, d, "pm_dict_contains", -1);
    pm_hash_t h = key_hash(rt, key);
    if (h == -1) return -1;
    pm_ssize_t ix = dict_lookup(rt, PMI_DICT(d), key, h, NULL);
    if (ix == DKIX_ERROR) return -1;
    return ix >= 0;
}

int pm_dict_clear(pm_runtime *rt, pm_object *d) {
    DICT_CHECK(rt, d, "pm_dict_clear", -1);
    pmi_dict *mp = PMI_DICT(d);
    pmi_dict_keys *dk = mp->keys;
    pmi_dict_values *vs = mp->values;
    if (dk == EMPTY_KEYS) return 0;
    mp->keys = EMPTY_KEYS;              /* consistent before any decref runs */
    mp->values = NULL;
    mp->used = 0;
    mp->version++;
    if (vs) pmi_dict_values_free(rt, vs, 1);
    else keys_decref_all(rt, dk);
    return 0;
}

int pm_dict_next(const pm_object *d, pm_ssize_t *pos, pm_object **key, pm_object **value) {
    pmi_dict *mp = PMI_DICT(d);
    pmi_dict_keys *dk = mp->keys;
    pm_ssize_t i = *pos;
    if (i < 0) return 0;
    if (mp->values) {
        /* split: positions count the dict's insertion order */
        if (i >= mp->values->nused) return 0;
        pm_ssize_t ix = mp->values->order[i];
        if (key) *key = DK_UENTRIES(dk)[ix].key;
        if (value) *value = mp->values->values[ix];
        *pos = i + 1;
        return 1;
    }
    if (dk_unicode(dk)) {
        pmi_dict_uentry *ep = DK_UENTRIES(dk);
        while (i < dk->nentries && !ep[i].value) i++;
        if (i >= dk->nentries) return 0;
        if (key) *key = ep[i].key;
        if (value) *value = ep[i].value;
    } else {
        pmi_dict_entry *ep = DK_ENTRIES(dk);
        while (i < dk->nentries && !ep[i].value) i++;
        if (i >= dk->nentries) return 0;
        if (key) *key = ep[i].key;
        if (value) *value = ep[i].value;
    }
    *pos = i + 1;
    return 1;
}

/* keys() / values() / items() as new lists (which: 0, 1, 2), allocated
 * with exactly len(d) slots as CPython's dict_keys() etc. */
static pm_object *dict_to_list(pm_runtime *rt, pm_object *d, int which) {
    pm_ssize_t pos = 0;
    pm_object *list = pmi_list_new_prealloc(rt, PMI_DICT(d)->used);
    if (!list) return NULL;
    pm_object *k, *v;
    while (pm_dict_next(d, &pos, &k, &v)) {
        pm_object *item;
        if (which == 0) item = pm_newref(rt, k);
        else if (which == 1) item = pm_newref(rt, v);
        else if (!(item = pm_tuple_pack(rt, 2, k, v))) goto fail;
        /* There is room: the append cannot fail. */
        PMI_LIST(list)->ob_item[PMI_LIST(list)->ob_base.ob_size++] = item;
    }
    return list;
fail:
    pm_decref(rt, list);
    return NULL;
}

pm_object *pm_dict_keys(pm_runtime *rt, pm_object *d) {
    DICT_CHECK(rt, d, "pm_dict_keys", NULL);
    return dict_to_list(rt, d, 0);
}
pm_object *pm_dict_values(pm_runtime *rt, pm_object *d) {
    DICT_CHECK(rt, d, "pm_dict_values", NULL);
    return dict_to_list(rt, d, 1);
}
pm_object *pm_dict_items(pm_runtime *rt, pm_object *d) {
    DICT_CHECK(rt, d, "pm_dict_items", NULL);
    return dict_to_list(rt, d, 2);
}

/* clone_combined_dict_keys: a copy of src's table (deleted entries and
 * all), owning new references to every live key and value. */
static pmi_dict_keys *clone_keys(pm_runtime *rt, pmi_dict *src) {
    pmi_dict_keys *ok = src->keys;
    size_t size = keys_size(ok);
    pmi_dict_keys *dk = pm_malloc(rt, size);
    if (!dk) return pm_err_nomem(rt);
    memcpy(dk, ok, size);
    dk->refcnt = 1;
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    while (pm_dict_next((pm_object *)src, &pos, &k, &v)) {
        pm_incref(rt, k);
        pm_incref(rt, v);
    }
    return dk;
}

/* dict_merge(d, other, override=1) of CPython 3.11. */
int pm_dict_update(pm_runtime *rt, pm_object *d, pm_object *other) {
    DICT_CHECK(rt, d, "pm_dict_update", -1);
    if (!pm_dict_check(other)) {
        pmi_err_type(rt, "'%s' object is not a mapping", other);
        return -1;
    }
    pmi_dict *mp = PMI_DICT(d), *op = PMI_DICT(other);
    if (mp == op || op->used == 0) return 0;
    pmi_dict_keys *okeys = op->keys;
    if (mp->used == 0 && !op->values && op->used == okeys->nentries &&
        (okeys->log2_size == DICT_LOG_MINSIZE ||
         USABLE_FRACTION((pm_ssize_t)dk_size(okeys) / 2) < op->used)) {
        /* The target is empty and the source compact: copy its table. */
        pmi_dict_keys *dk = clone_keys(rt, op);
        if (!dk) return -1;
        pmi_dict_keys *old = mp->keys;
        pmi_dict_values *oldv = mp->values;
        mp->keys = dk;
        mp->values = NULL;
        mp->used = op->used;
        mp->version++;
        if (oldv) pmi_dict_values_free(rt, oldv, 1);
        else keys_decref_all(rt, old);
        if (pm_gc_is_tracked(other)) pmi_gc_track(rt, d);
        return 0;
    }
    /* One big resize up front rather than growing while inserting. */
    if (USABLE_FRACTION((pm_ssize_t)dk_size(mp->keys)) < op->used) {
        if (dictresize(rt, mp, estimate_log2_keysize(mp->used + op->used), dk_unicode(okeys)) < 0)
            return -1;
    }
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    uint64_t version = op->version;
    while (pm_dict_next(other, &pos, &k, &v)) {
        if (pm_dict_set(rt, d, k, v) < 0) return -1;
        if (op->version != version) {
            pm_err_set(rt, PM_EXC_RuntimeError, "dict mutated during update");
            return -1;
        }
    }
    return 0;
}

/* PyDict_Copy: clone the table when at most a third of its entries are
 * deleted, else merge into a new dict. */
pm_object *pm_dict_copy(pm_runtime *rt, pm_object *d) {
    DICT_CHECK(rt, d, "pm_dict_copy", NULL);
    pmi_dict *src = PMI_DICT(d);
    if (src->used == 0) return pm_dict_new(rt);
    if (src->values) {
        /* split: a split copy over the same shared table (not from the free
         * list, as CPython) */
        pmi_dict_values *sv = src->values, *nv = pmi_dict_values_new(rt, src->keys);
        if (!nv) return NULL;
        pmi_dict *mp = (pmi_dict *)pmi_gc_new(rt, &pm_dict_type);
        if (!mp) {
            pmi_dict_values_free(rt, nv, 0);
            return NULL;
        }
        /* the table has no more entries than sv's capacity, so nv's
         * capacity (entries + room now) holds every index sv uses */
        for (pm_ssize_t i = 0; i < nv->capacity && i < sv->capacity; i++)
            nv->values[i] = sv->values[i] ? pm_newref(rt, sv->values[i]) : NULL;
        memcpy(nv->order, sv->order, sv->nused);
        nv->nused = sv->nused;
        mp->keys = src->keys;
        mp->values = nv;
        mp->used = src->used;
        mp->version = ++rt->dict_version_next << 32;     /* unique, as dict_alloc gives */
        if (pm_gc_is_tracked(d)) pmi_gc_track(rt, (pm_object *)mp);
        return (pm_object *)mp;
    }
    if (src->used >= (src->keys->nentries * 2) / 3) {
        pmi_dict_keys *dk = clone_keys(rt, src);
        if (!dk) return NULL;
        pmi_dict *mp = dict_alloc(rt, dk);
        if (!mp) {
            keys_decref_all(rt, dk);
            return NULL;
        }
        mp->used = src->used;
        if (pm_gc_is_tracked(d)) pmi_gc_track(rt, (pm_object *)mp);
        return (pm_object *)mp;
    }
    pm_object *copy = pm_dict_new(rt);
    if (copy && pm_dict_update(rt, copy, d) < 0) PM_CLEAR(rt, copy);
    return copy;
}

/* ------------------------------------------------------------------------ */
/* Type hooks                                                                */
/* ------------------------------------------------------------------------ */

static int dict_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    while (pm_dict_next(self, &pos, &k, &v)) {
        int r = visit(k, arg);
        if (r) return r;
        if ((r = visit(v, arg))) return r;
    }
    return 0;
}

static int dict_clear_hook(pm_runtime *rt, pm_object *self) { return pm_dict_clear(rt, self); }

static size_t dict_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    pmi_dict_keys *dk = PMI_DICT(self)->keys;
    size_t size = sizeof(pmi_dict);
    /* _PyDict_SizeOf: a split dict counts the room its values have by the
     * shared table's state now, and the table only when nothing else (the
     * class) holds it — here the values hold the dict's reference */
    if (PMI_DICT(self)->values) size += (size_t)(dk->nentries + dk->usable) * sizeof(pm_object *);
    if (dk->refcnt == 1) size += keys_size(dk);
    return size;
}

static pm_ssize_t dict_length(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return PMI_DICT(self)->used;
}

static pm_object *dict_repr(pm_runtime *rt, pm_object *self) {
    pmi_dict *mp = PMI_DICT(self);
    if (mp->used == 0) return pmi_str_from_ascii(rt, "{}", 2);
    int r = pmi_repr_enter(rt, self);
    if (r != 0) return r > 0 ? pmi_str_from_ascii(rt, "{...}", 5) : NULL;
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_putn(rt, &sb, "{", 1);
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    int first = 1;
    while (!sb.failed && pm_dict_next(self, &pos, &k, &v)) {
        if (!first) pmi_sb_putn(rt, &sb, ", ", 2);
        first = 0;
        /* Hold both: a repr could remove them from the dict. */
        pm_incref(rt, k);
        pm_incref(rt, v);
        pmi_sb_put_repr(rt, &sb, k);
        pmi_sb_putn(rt, &sb, ": ", 2);
        pmi_sb_put_repr(rt, &sb, v);
        pm_decref(rt, k);
        pm_decref(rt, v);
    }
    pmi_sb_putn(rt, &sb, "}", 1);
    pmi_repr_leave(rt, self);
    return pmi_sb_finish(rt, &sb);
}

/* dict_equal: 1, 0, or -1. */
static int dict_equal(pm_runtime *rt, pmi_dict *a, pmi_dict *b) {
    if (a->used != b->used) return 0;
    pm_ssize_t pos = 0;
    pm_object *k, *av;
    while (pm_dict_next((pm_object *)a, &pos, &k, &av)) {
        pm_incref(rt, k);
        pm_incref(rt, av);
        pm_hash_t h = key_hash(rt, k);
        pm_object *bv = NULL;
        int cmp = -1;
        if (h != -1 && dict_lookup(rt, b, k, h, &bv) != DKIX_ERROR) {
            if (!bv) {
                cmp = 0;
            } else {
                pm_incref(rt, bv);
                cmp = pm_equal(rt, av, bv);
                pm_decref(rt, bv);
            }
        }
        pm_decref(rt, k);
        pm_decref(rt, av);
        if (cmp <= 0) return cmp;
    }
    return 1;
}

static pm_object *dict_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (!pm_dict_check(a) || !pm_dict_check(b) || (op != PM_EQ && op != PM_NE))
        return PM_NOTIMPLEMENTED;
    int eq = dict_equal(rt, PMI_DICT(a), PMI_DICT(b));
    if (eq < 0) return NULL;
    return pm_bool_from(op == PM_EQ ? eq : !eq);
}

static pm_object *dict_getitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    pm_object *v = pm_dict_get(rt, self, key);
    if (v) return pm_newref(rt, v);
    if (pm_err_occurred(rt)) return NULL;
    if (self->ob_type != &pm_dict_type) {
        /* a subclass's __missing__(key) answers a miss (CPython's dict_subscript) */
        pm_object *name = pm_str_intern_cstr(rt, "__missing__");
        pm_object *missing = name ? pm_type_lookup(rt, self->ob_type, name) : NULL;
        pm_xdecref(rt, name);
        if (missing) {
            pm_object *args[2] = {self, key};
            pm_incref(rt, missing);     /* borrowed from the class dict, which the call may change */
            pm_object *r = pm_call(rt, missing, args, 2, NULL);
            pm_decref(rt, missing);
            return r;
        }
        if (pm_err_occurred(rt)) return NULL;
    }
    set_key_error(rt, key);
    return NULL;
}

static int dict_setitem(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *value) {
    return pm_dict_set(rt, self, key, value);
}

static int dict_delitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    return pm_dict_del(rt, self, key);
}

static int dict_contains(pm_runtime *rt, pm_object *self, pm_object *key) {
    return pm_dict_contains(rt, self, key);
}

/* ---- iterators over keys, values, items (dictiterobject) ----------------- */

typedef struct pmi_dictiter {
    pm_object ob_base;          /* refcount + type (which kind of iterator) */
    pm_object *dict;            /* NULL once exhausted */
    pm_ssize_t used;            /* dict size when iteration began */
    pm_ssize_t pos;             /* next entry index */
    pm_ssize_t len;             /* items left (length hint) */
} pmi_dictiter;

static void dictiter_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    pm_xdecref(rt, ((pmi_dictiter *)self)->dict);
    pmi_object_free(rt, self);
}

static int dictiter_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_dictiter *it = (pmi_dictiter *)self;
    return it->dict ? visit(it->dict, arg) : 0;
}

static int dictiter_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((pmi_dictiter *)self)->dict);
    return 0;
}

extern const pm_type pmi_dictiter_keys_type, pmi_dictiter_values_type, pmi_dictiter_items_type;

static pm_object *dictiter_next(pm_runtime *rt, pm_object *self) {
    pmi_dictiter *it = (pmi_dictiter *)self;
    if (!it->dict) return NULL;
    pmi_dict *mp = PMI_DICT(it->dict);
    if (it->used != mp->used) {
        pm_err_set(rt, PM_EXC_RuntimeError, "dictionary changed size during iteration");
        it->used = -1;                  /* make this state sticky */
        return NULL;
    }
    pm_object *k, *v;
    pm_ssize_t pos = it->pos;
    if (!pm_dict_next(it->dict, &pos, &k, &v)) {
        PM_CLEAR(rt, it->dict);
        return NULL;
    }
    it->pos = pos;
    it->len--;
    if (self->ob_type == &pmi_dictiter_keys_type) return pm_newref(rt, k);
    if (self->ob_type == &pmi_dictiter_values_type) return pm_newref(rt, v);
    return pm_tuple_pack(rt, 2, k, v);
}

#define DICTITER_TYPE(cname, pyname)                            \
    const pm_type cname = {                                     \
        .ob_base = PMI_STATIC_HEAD(&pm_type_type),              \
        .name = pyname,                                         \
        .basicsize = sizeof(pmi_dictiter),                      \
        .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,             \
        .base = &pm_object_type,                                \
        .dealloc = dictiter_dealloc,                            \
        .traverse = dictiter_traverse,                          \
        .clear = dictiter_clear,                                \
        .iter = pmi_self_iter,                                  \
        .iternext = dictiter_next,                              \
    }
DICTITER_TYPE(pmi_dictiter_keys_type, "dict_keyiterator");
DICTITER_TYPE(pmi_dictiter_values_type, "dict_valueiterator");
DICTITER_TYPE(pmi_dictiter_items_type, "dict_itemiterator");

pm_ssize_t pmi_dictiter_len(const pm_object *o) {
    const pm_type *t = o->ob_type;
    if (t != &pmi_dictiter_keys_type && t != &pmi_dictiter_values_type && t != &pmi_dictiter_items_type)
        return -1;
    const pmi_dictiter *it = (const pmi_dictiter *)o;
    /* dictiter_len: 0 once exhausted or when the dict changed size */
    if (!it->dict || it->used != PMI_DICT(it->dict)->used) return 0;
    return it->len;
}

static pm_object *dictiter_new(pm_runtime *rt, pm_object *d, const pm_type *type) {
    pmi_dictiter *it = (pmi_dictiter *)pmi_gc_new(rt, type);
    if (!it) return NULL;
    it->dict = pm_newref(rt, d);
    it->used = PMI_DICT(d)->used;
    it->pos = 0;
    it->len = it->used;
    pmi_gc_track(rt, (pm_object *)it);
    return (pm_object *)it;
}

static pm_object *dict_iter(pm_runtime *rt, pm_object *self) {
    return dictiter_new(rt, self, &pmi_dictiter_keys_type);
}

pm_object *pm_dict_iter_values(pm_runtime *rt, pm_object *d) {
    DICT_CHECK(rt, d, "pm_dict_iter_values", NULL);
    return dictiter_new(rt, d, &pmi_dictiter_values_type);
}

pm_object *pm_dict_iter_items(pm_runtime *rt, pm_object *d) {
    DICT_CHECK(rt, d, "pm_dict_iter_items", NULL);
    return dictiter_new(rt, d, &pmi_dictiter_items_type);
}

/* m[key] = v, or del m[key] when v is NULL (mp_ass_subscript). */
static int dict_ass_subscript(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *v) {
    return v ? dict_setitem(rt, self, key, v) : dict_delitem(rt, self, key);
}

static const pm_sequence_methods dict_as_sequence = {
    .sq_contains = dict_contains,
};

static const pm_mapping_methods dict_as_mapping = {
    .mp_length = dict_length,
    .mp_subscript = dict_getitem,
    .mp_ass_subscript = dict_ass_subscript,
};

/* ---- methods (dict.get, ...: objects/descrobject.c makes them attributes) */

static pm_object *dictm_get(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "get", nargs, 1, 2)) return NULL;
    pm_object *v = pm_dict_get(rt, self, args[0]);
    if (v) return pm_newref(rt, v);
    if (pm_err_occurred(rt)) return NULL;
    return pm_newref(rt, nargs > 1 ? args[1] : PM_NONE);
}
static pm_object *dictm_setdefault(pm_runtime *rt, pm_object *self, pm_object *const *args,
                                   pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "setdefault", nargs, 1, 2)) return NULL;
    pm_object *v = pm_dict_get(rt, self, args[0]);
    if (v) return pm_newref(rt, v);
    if (pm_err_occurred(rt)) return NULL;
    v = nargs > 1 ? args[1] : PM_NONE;
    if (pm_dict_set(rt, self, args[0], v) < 0) return NULL;
    return pm_newref(rt, v);
}
static pm_object *dictm_pop(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "pop", nargs, 1, 2)) return NULL;
    return pm_dict_pop(rt, self, args[0], nargs > 1 ? args[1] : NULL);
}
static pm_object *dictm_popitem(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_dict_popitem(rt, self);
}
static pm_object *dictm_keys(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_dict_keys_view(rt, self);     /* dictview.c */
}
static pm_object *dictm_values(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_dict_values_view(rt, self);     /* dictview.c */
}
static pm_object *dictm_items(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_dict_items_view(rt, self);     /* dictview.c */
}
static pm_object *dictm_reversed(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_dict_reversed(rt, self);      /* dictview.c */
}
static pm_object *dictm_copy(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_dict_copy(rt, self);
}
static pm_object *dictm_clear(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_dict_clear(rt, self) < 0 ? NULL : PM_NONE;
}
/* d[k] = v for every (k, v) pair of an iterable (dict_merge_from_seq2). */
static int merge_pairs(pm_runtime *rt, pm_object *d, pm_object *seq) {
    pm_object *it = pm_iter(rt, seq), *item = NULL, *pair = NULL;
    if (!it) return -1;
    for (pm_ssize_t i = 0;; i++) {
        item = pm_iter_next(rt, it);
        if (!item) break;
        pair = pm_tuple_check(item) ? pm_newref(rt, item) : NULL;
        if (!pair && pm_list_check(item)) pair = pm_list_as_tuple(rt, item);
        if (!pair && !pm_err_occurred(rt)) {
            pm_object *sub = pm_iter(rt, item);
            if (!sub) {
                if (pm_err_matches(rt, PM_EXC_TypeError)) {
                    pm_err_clear(rt);
                    pm_err_format(rt, PM_EXC_TypeError,
                                  "cannot convert dictionary update sequence element #%zd to a sequence", i);
                }
                goto fail;
            }
            pm_object *l = pm_list_new(rt);
            if (l && pm_list_extend(rt, l, sub) == 0) pair = pm_list_as_tuple(rt, l);
            pm_xdecref(rt, l);
            pm_decref(rt, sub);
        }
        if (!pair) goto fail;
        if (pm_tuple_size(pair) != 2) {
            pm_err_format(rt, PM_EXC_ValueError,
                          "dictionary update sequence element #%zd has length %zd; 2 is required", i,
                          pm_tuple_size(pair));
            goto fail;
        }
        if (pm_dict_set(rt, d, pm_tuple_get(rt, pair, 0), pm_tuple_get(rt, pair, 1)) < 0) goto fail;
        PM_CLEAR(rt, pair);
        PM_CLEAR(rt, item);
    }
    pm_decref(rt, it);
    return pm_err_occurred(rt) ? -1 : 0;
fail:
    pm_xdecref(rt, pair);
    pm_xdecref(rt, item);
    pm_decref(rt, it);
    return -1;
}
static pm_object *dictm_update(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    if (!pmi_arg_check_count_old(rt, "update", pm_tuple_size(args), 0, 1)) {
        pm_err_clear(rt);
        pm_err_format(rt, PM_EXC_TypeError, "update expected at most 1 argument, got %zd", pm_tuple_size(args));
        return NULL;
    }
    if (pm_tuple_size(args) == 1) {
        pm_object *o = pm_tuple_get(rt, args, 0);
        int r = pm_dict_check(o) ? pm_dict_update(rt, self, o) : pmi_dict_update_mapping(rt, self, o);
        if (r == 0 && !pm_dict_check(o)) r = merge_pairs(rt, self, o);
        if (r < 0) return NULL;
    }
    if (kwargs && pm_dict_update(rt, self, kwargs) < 0) return NULL;
    return PM_NONE;
}
static pm_object *dictm_fromkeys(pm_runtime *rt, pm_object *type, pm_object *const *args, pm_ssize_t nargs) {
    if (!pmi_arg_check_positional(rt, "fromkeys", nargs, 1, 2)) return NULL;
    pm_object *d = type == pm_type_as_object(&pm_dict_type) ? pm_dict_new(rt) : pm_call_noargs(rt, type);
    pm_object *it = NULL, *k;
    if (!d) return NULL;
    if (!(it = pm_iter(rt, args[0]))) goto fail;
    while ((k = pm_iter_next(rt, it)) != NULL) {
        int r = pm_setitem(rt, d, k, nargs > 1 ? args[1] : PM_NONE);
        pm_decref(rt, k);
        if (r < 0) goto fail;
    }
    if (pm_err_occurred(rt)) goto fail;
    pm_decref(rt, it);
    return d;
fail:
    pm_xdecref(rt, it);
    pm_decref(rt, d);
    return NULL;
}

#define M_CAST(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def dict_methods[] = {
    {"get", M_CAST(dictm_get), PM_METH_FASTCALL, "Return the value for key if key is in the dictionary, else default."},
    {"setdefault", M_CAST(dictm_setdefault), PM_METH_FASTCALL, "Insert key with a value of default if key is not in the dictionary."},
    {"pop", M_CAST(dictm_pop), PM_METH_FASTCALL, "D.pop(k[,d]) -> v, remove specified key and return the corresponding value."},
    {"popitem", dictm_popitem, PM_METH_NOARGS, "Remove and return a (key, value) pair as a 2-tuple."},
    {"keys", dictm_keys, PM_METH_NOARGS, NULL},
    {"items", dictm_items, PM_METH_NOARGS, NULL},
    {"values", dictm_values, PM_METH_NOARGS, NULL},
    {"update", M_CAST(dictm_update), PM_METH_VARARGS | PM_METH_KEYWORDS, NULL},
    {"fromkeys", M_CAST(dictm_fromkeys), PM_METH_FASTCALL | PM_METH_CLASS, "Create a new dictionary with keys from iterable and values set to value."},
    {"clear", dictm_clear, PM_METH_NOARGS, "D.clear() -> None.  Remove all items from D."},
    {"copy", dictm_copy, PM_METH_NOARGS, "D.copy() -> a shallow copy of D"},
    {"__reversed__", dictm_reversed, PM_METH_NOARGS, "Return a reverse iterator over the dict keys."},
    {NULL, NULL, 0, NULL},
};

/* d | other (PEP 584): a new exact dict, d's items then other's; both must
 * be dicts, else NotImplemented.  d |= other takes what update() takes. */
static pm_object *dict_nb_or(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!pm_dict_check(a) || !pm_dict_check(b)) return PM_NOTIMPLEMENTED;
    pm_object *r = pm_dict_copy(rt, a);
    if (r && pm_dict_update(rt, r, b) < 0) {
        pm_decref(rt, r);
        return NULL;
    }
    return r;
}
static pm_object *dict_nb_ior(pm_runtime *rt, pm_object *a, pm_object *b) {
    if ((pm_dict_check(b) ? pm_dict_update(rt, a, b) : merge_pairs(rt, a, b)) < 0) return NULL;
    return pm_newref(rt, a);
}
static const pm_number_methods dict_as_number = {
    .nb_or = dict_nb_or,
    .nb_inplace_or = dict_nb_ior,
};

const pm_type pm_dict_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "dict",
    .basicsize = sizeof(pmi_dict),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_DICT_SUBCLASS,
    .base = &pm_object_type,
    .dealloc = dict_dealloc,
    .traverse = dict_traverse,
    .clear = dict_clear_hook,
    .size_of = dict_size_of,
    .repr = dict_repr,
    .richcompare = dict_richcompare,
    .iter = dict_iter,
    .as_sequence = &dict_as_sequence,
    .as_mapping = &dict_as_mapping,
    .as_number = &dict_as_number,
    .methods = dict_methods,
    .new_object = pmi_dict_tp_new,
    .init = pmi_dict_tp_init,
};
