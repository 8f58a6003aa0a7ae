/*
 * set.c — set and frozenset: open-addressing hash tables of keys
 * (PySetObject), CPython 3.11's layout, probing and growth.
 *
 * Purpose
 *   Unordered collections of distinct hashable keys.  A set of up to 4 keys
 *   lives entirely inside its 200-byte object (the 8-entry smalltable); a
 *   bigger one gets a separate table.
 *
 *   pmi_set (200 B + 16 gc head)
 *   +--------+------+------+------+------+-------+------+--------+----------------+---------+
 *   | refcnt | type | fill | used | mask | table| hash | finger | smalltable[8]  | weakref |
 *   +--------+------+------+------+------+---|---+------+--------+----------------+---------+
 *                                            +--> smalltable, or a pm_malloc'd
 *                                                 array of (mask+1) {key, hash}
 *
 *   An entry is unused (key NULL, hash 0), active, or a dummy (the static
 *   dummy key, hash -1) left by a deletion so that probe chains stay intact.
 *
 * Growth (set_add_entry / set_table_resize): after an insertion into an
 *   unused slot, when fill*5 >= mask*3 (60% of the slots are active or
 *   dummy) the table is rebuilt with the smallest power of two > used*4
 *   (used*2 beyond 50,000 keys), dropping dummies.  So 5 keys need 32 slots
 *   (getsizeof 728), 19 keys 128 (2264).  A failed rebuild removes the key
 *   that was just added and reports MemoryError, so a set is never left
 *   fuller than the 60% bound (CPython keeps the key and the overfull
 *   table; the difference is only visible under memory exhaustion).
 *
 * Probing: up to 9 linear neighbours (LINEAR_PROBES, cache friendly), then
 *   the same perturbed jump as dict: i = (5*i + 1 + perturb) & mask.
 *
 * Hash of a frozenset: CPython's, an xor of shuffled entry hashes (order
 *   independent), so hash(frozenset({1, 2, 3})) equals python3's.
 */
#include "containers.h"
#include "scalar.h"
#include "descr.h"
#include "objects/typenew.h"

#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

/* The key of deleted entries: never dereferenced, never written. */
static const pm_object set_dummy = PMI_STATIC_HEAD(&pm_object_type);
#define DUMMY ((pm_object *)&set_dummy)

static inline int set_check_any(const pm_object *o) {
    return pm_is_instance(o, &pm_set_type) || pm_is_instance(o, &pm_frozenset_type);
}

/* Exact str on both sides: equality without calling a comparison. */
static inline int str_pair_eq(const pm_object *a, const pm_object *b) {
    return a->ob_type == &pm_str_type && b->ob_type == &pm_str_type && pmi_str_eq(a, b);
}

/* ------------------------------------------------------------------------ */
/* The table                                                                 */
/* ------------------------------------------------------------------------ */

/* set_lookkey: the entry holding key, or an unused entry (key NULL) where
 * the search ended; NULL when a comparison failed. */
static pmi_setentry *set_lookkey(pm_runtime *rt, pmi_set *so, pm_object *key, pm_hash_t hash) {
restart:;
    size_t mask = (size_t)so->mask, perturb = (size_t)hash, i = (size_t)hash & mask;
    for (;;) {
        pmi_setentry *entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL) return entry;
            if (entry->hash == hash) {
                pm_object *startkey = entry->key;
                if (startkey == key || str_pair_eq(startkey, key)) return entry;
                pmi_setentry *table = so->table;
                pm_incref(rt, startkey);
                int cmp = pm_equal(rt, startkey, key);
                pm_decref(rt, startkey);
                if (cmp < 0) return NULL;
                if (table != so->table || entry->key != startkey) goto restart;
                if (cmp > 0) return entry;
                mask = (size_t)so->mask;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

/* Insert into a table known to hold no dummies and not the key. */
static void set_insert_clean(pmi_setentry *table, size_t mask, pm_object *key, pm_hash_t hash) {
    size_t perturb = (size_t)hash, i = (size_t)hash & mask;
    for (;;) {
        pmi_setentry *entry = &table[i];
        if (entry->key == NULL) goto found;
        if (i + LINEAR_PROBES <= mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                entry++;
                if (entry->key == NULL) goto found;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
        continue;
    found:
        entry->key = key;
        entry->hash = hash;
        return;
    }
}

/* set_table_resize: rebuild with the smallest power of two > minused
 * slots (at least 8), dropping dummies.  On failure nothing changes. */
static int set_table_resize(pm_runtime *rt, pmi_set *so, pm_ssize_t minused) {
    size_t newsize = PMI_SET_MINSIZE;
    while (newsize <= (size_t)minused) newsize <<= 1;
    pmi_setentry *oldtable = so->table, *newtable;
    pmi_setentry small_copy[PMI_SET_MINSIZE];
    int old_malloced = oldtable != so->smalltable;
    if (newsize == PMI_SET_MINSIZE) {
        newtable = so->smalltable;
        if (newtable == oldtable) {
            if (so->fill == so->used) return 0;    /* no dummies: nothing to do */
            memcpy(small_copy, oldtable, sizeof small_copy);
            oldtable = small_copy;
        }
    } else {
        if (newsize > (size_t)PTRDIFF_MAX / sizeof(pmi_setentry)) {
            pm_err_nomem(rt);
            return -1;
        }
        newtable = pm_malloc(rt, newsize * sizeof(pmi_setentry));
        if (!newtable) {
            pm_err_nomem(rt);
            return -1;
        }
    }
    size_t oldmask = (size_t)so->mask;
    memset(newtable, 0, newsize * sizeof(pmi_setentry));
    so->mask = (pm_ssize_t)newsize - 1;
    so->table = newtable;
    for (size_t i = 0; i <= oldmask; i++) {
        pmi_setentry *e = &oldtable[i];
        if (e->key != NULL && e->key != DUMMY) set_insert_clean(newtable, newsize - 1, e->key, e->hash);
    }
    so->fill = so->used;
    if (old_malloced) pm_free(rt, oldtable);
    return 0;
}

/* set_add_entry: add key (borrowed; the set takes its own reference).
 * 0 (added or already there) or -1. */
static int set_add_entry(pm_runtime *rt, pmi_set *so, pm_object *key, pm_hash_t hash) {
    pm_incref(rt, key);
restart:;
    size_t mask = (size_t)so->mask, perturb = (size_t)hash, i = (size_t)hash & mask;
    pmi_setentry *freeslot = NULL, *entry;
    for (;;) {
        entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL) goto found_unused_or_dummy;
            if (entry->hash == hash) {
                pm_object *startkey = entry->key;
                if (startkey == key || str_pair_eq(startkey, key)) goto found_active;
                pmi_setentry *table = so->table;
                pm_incref(rt, startkey);
                int cmp = pm_equal(rt, startkey, key);
                pm_decref(rt, startkey);
                if (cmp > 0) goto found_active;
                if (cmp < 0) goto fail;
                if (table != so->table || entry->key != startkey) goto restart;
                mask = (size_t)so->mask;
            } else if (entry->hash == -1 && freeslot == NULL) {
                freeslot = entry;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
found_unused_or_dummy:
    if (freeslot) {                     /* reuse a dummy: fill does not change */
        so->used++;
        freeslot->key = key;
        freeslot->hash = hash;
        return 0;
    }
    so->fill++;
    so->used++;
    entry->key = key;
    entry->hash = hash;
    if ((size_t)so->fill * 5 < mask * 3) return 0;
    if (set_table_resize(rt, so, so->used > 50000 ? so->used * 2 : so->used * 4) == 0) return 0;
    /* The table could not grow: take the key out again (see the top). */
    entry->key = NULL;
    entry->hash = 0;
    so->fill--;
    so->used--;
    goto fail;
found_active:
    pm_decref(rt, key);
    return 0;
fail:
    pm_decref(rt, key);
    return -1;
}

static pm_hash_t key_hash(pm_runtime *rt, pm_object *key) {
    if (key->ob_type == &pm_str_type) {
        pm_hash_t h = PMI_STR(key)->hash;
        return h != -1 ? h : pmi_str_hash(rt, key);
    }
    return pm_hash(rt, key);
}

/* 1 discarded, 0 not found, -1 error. */
static int set_discard_key(pm_runtime *rt, pmi_set *so, pm_object *key) {
    pm_hash_t h = key_hash(rt, key);
    if (h == -1) return -1;
    pmi_setentry *e = set_lookkey(rt, so, key, h);
    if (!e) return -1;
    if (e->key == NULL) return 0;
    pm_object *old = e->key;
    e->key = DUMMY;
    e->hash = -1;
    so->used--;
    pm_decref(rt, old);
    return 1;
}

static int set_contains_key(pm_runtime *rt, pmi_set *so, pm_object *key) {
    pm_hash_t h = key_hash(rt, key);
    if (h == -1) return -1;
    pmi_setentry *e = set_lookkey(rt, so, key, h);
    if (!e) return -1;
    return e->key != NULL;
}

/* set_merge: add every key of another set, growing once up front. */
static int set_merge(pm_runtime *rt, pmi_set *so, pmi_set *other) {
    if (so == other || other->used == 0) return 0;
    if ((so->fill + other->used) * 5 >= so->mask * 3) {
        if (set_table_resize(rt, so, (so->used + other->used) * 2) != 0) return -1;
    }
    for (pm_ssize_t i = 0; i <= other->mask; i++) {
        pmi_setentry *e = &other->table[i];
        if (e->key && e->key != DUMMY && set_add_entry(rt, so, e->key, e->hash) < 0) return -1;
    }
    return 0;
}

static int set_update_internal(pm_runtime *rt, pmi_set *so, pm_object *iterable) {
    if (set_check_any(iterable)) return set_merge(rt, so, PMI_SET(iterable));
    if (pm_dict_check(iterable)) {
        /* One resize up front, as CPython's set_update_internal. */
        pm_ssize_t dictsize = pm_dict_size(iterable);
        if ((so->fill + dictsize) * 5 >= so->mask * 3 &&
            set_table_resize(rt, so, (so->used + dictsize) * 2) != 0)
            return -1;
        pm_ssize_t pos = 0;
        pm_object *k;
        while (pm_dict_next(iterable, &pos, &k, NULL)) {
            pm_hash_t h = key_hash(rt, k);
            if (h == -1 || set_add_entry(rt, so, k, h) < 0) return -1;
        }
        return 0;
    }
    pm_object *it = pm_iter(rt, iterable);
    if (!it) return -1;
    for (;;) {
        pm_object *key = pm_iter_next(rt, it);
        if (!key) break;
        pm_hash_t h = key_hash(rt, key);
        int r = h == -1 ? -1 : set_add_entry(rt, so, key, h);
        pm_decref(rt, key);
        if (r < 0) break;
    }
    pm_decref(rt, it);
    return pm_err_occurred(rt) ? -1 : 0;
}

/* ------------------------------------------------------------------------ */
/* Construction and teardown                                                 */
/* ------------------------------------------------------------------------ */

static pm_object *make_new_set(pm_runtime *rt, const pm_type *type, pm_object *iterable) {
    pmi_set *so = (pmi_set *)pmi_gc_new(rt, type);
    if (!so) return NULL;
    so->fill = so->used = 0;
    so->mask = PMI_SET_MINSIZE - 1;
    so->table = so->smalltable;
    so->hash = -1;
    so->finger = 0;
    so->weakreflist = NULL;
    pmi_gc_track(rt, (pm_object *)so);
    if (iterable && set_update_internal(rt, so, iterable) < 0) {
        pm_decref(rt, (pm_object *)so);
        return NULL;
    }
    return (pm_object *)so;
}

pm_object *pm_set_new(pm_runtime *rt, pm_object *iterable) {
    return make_new_set(rt, &pm_set_type, iterable);
}

pm_object *pm_frozenset_new(pm_runtime *rt, pm_object *iterable) {
    /* frozenset(a frozenset) is that frozenset, as CPython. */
    if (iterable && iterable->ob_type == &pm_frozenset_type) return pm_newref(rt, iterable);
    return make_new_set(rt, &pm_frozenset_type, iterable);
}

/* Drop every key and give the table back (set_clear_internal); the set is
 * empty and consistent before the first decref runs. */
static void set_clear_internal(pm_runtime *rt, pmi_set *so) {
    pmi_setentry *table = so->table, small_copy[PMI_SET_MINSIZE];
    pm_ssize_t mask = so->mask, fill = so->fill;
    int malloced = table != so->smalltable;
    if (fill == 0 && !malloced) return;
    if (!malloced) {
        memcpy(small_copy, table, sizeof small_copy);
        table = small_copy;
    }
    memset(so->smalltable, 0, sizeof so->smalltable);
    so->table = so->smalltable;
    so->mask = PMI_SET_MINSIZE - 1;
    so->fill = so->used = 0;
    so->hash = -1;
    for (pm_ssize_t i = 0; i <= mask; i++)
        if (table[i].key && table[i].key != DUMMY) pm_decref(rt, table[i].key);
    if (malloced) pm_free(rt, table);
}

static void set_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_set *so = PMI_SET(self);
    pmi_gc_untrack(rt, self);
    if (pmi_gc_dealloc_begin(rt, self)) return;  /* finalizer resurrected it (gc.c); weakrefs cleared */
    for (pm_ssize_t i = 0; i <= so->mask; i++) {
        pm_object *k = so->table[i].key;
        if (k && k != DUMMY) pm_decref(rt, k);
    }
    if (so->table != so->smalltable) pm_free(rt, so->table);
    pmi_object_free(rt, self);
}

/* ------------------------------------------------------------------------ */
/* Public operations                                                         */
/* ------------------------------------------------------------------------ */

int pm_set_add(pm_runtime *rt, pm_object *set, pm_object *key) {
    /* frozensets may be filled while only their creator holds them (the
     * C-API's PySet_Add allows the same). */
    if (!(pm_is_instance(set, &pm_set_type) ||
          (pm_is_instance(set, &pm_frozenset_type) && set->ob_refcnt == 1))) {
        pmi_err_badarg(rt, "pm_set_add");
        return -1;
    }
    pm_hash_t h = key_hash(rt, key);
    if (h == -1) return -1;
    return set_add_entry(rt, PMI_SET(set), key, h);
}

int pm_set_discard(pm_runtime *rt, pm_object *set, pm_object *key) {
    if (!pm_is_instance(set, &pm_set_type)) {
        pmi_err_badarg(rt, "pm_set_discard");
        return -1;
    }
    return set_discard_key(rt, PMI_SET(set), key);
}

int pm_set_remove(pm_runtime *rt, pm_object *set, pm_object *key) {
    int r = pm_set_discard(rt, set, key);
    if (r == 0) {
        pm_err_set_key_error(rt, key);
        return -1;
    }
    return r < 0 ? -1 : 0;
}

int pm_set_contains(pm_runtime *rt, pm_object *set, pm_object *key) {
    if (!set_check_any(set)) {
        pmi_err_badarg(rt, "pm_set_contains");
        return -1;
    }
    return set_contains_key(rt, PMI_SET(set), key);
}

pm_ssize_t pm_set_size(const pm_object *set) { return PMI_SET(set)->used; }

pm_object *pm_set_pop(pm_runtime *rt, pm_object *set) {
    if (!pm_is_instance(set, &pm_set_type)) return pmi_err_badarg(rt, "pm_set_pop");
    pmi_set *so = PMI_SET(set);
    if (so->used == 0) {
        pm_err_set(rt, PM_EXC_KeyError, "pop from an empty set");
        return NULL;
    }
    pmi_setentry *entry = so->table + (so->finger & so->mask), *limit = so->table + so->mask;
    while (entry->key == NULL || entry->key == DUMMY) {
        entry++;
        if (entry > limit) entry = so->table;
    }
    pm_object *key = entry->key;
    entry->key = DUMMY;
    entry->hash = -1;
    so->used--;
    so->finger = entry - so->table + 1;
    return key;                         /* the set's reference moves to the caller */
}

int pm_set_clear(pm_runtime *rt, pm_object *set) {
    if (!set_check_any(set)) {
        pmi_err_badarg(rt, "pm_set_clear");
        return -1;
    }
    set_clear_internal(rt, PMI_SET(set));
    return 0;
}

int pm_set_update(pm_runtime *rt, pm_object *set, pm_object *iterable) {
    if (!pm_is_instance(set, &pm_set_type)) {
        pmi_err_badarg(rt, "pm_set_update");
        return -1;
    }
    return set_update_internal(rt, PMI_SET(set), iterable);
}

int pm_set_next(const pm_object *set, pm_ssize_t *pos, pm_object **key) {
    pmi_set *so = PMI_SET(set);
    pm_ssize_t i = *pos;
    while (i >= 0 && i <= so->mask) {
        pmi_setentry *e = &so->table[i++];
        if (e->key && e->key != DUMMY) {
            *pos = i;
            if (key) *key = e->key;
            return 1;
        }
    }
    *pos = i;
    return 0;
}

/* ---- set algebra: a new set of a's type --------------------------------- */

static pm_object *set_copy_of(pm_runtime *rt, pm_object *a) {
    return make_new_set(rt, pm_is_instance(a, &pm_frozenset_type) ? &pm_frozenset_type : &pm_set_type, a);
}

pm_object *pm_set_union(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!set_check_any(a) || !set_check_any(b)) return pmi_err_badarg(rt, "pm_set_union");
    pm_object *r = set_copy_of(rt, a);
    if (r && set_merge(rt, PMI_SET(r), PMI_SET(b)) < 0) PM_CLEAR(rt, r);
    return r;
}

/* Keys of a that are (want_in = 1) / are not (0) in b. */
static pm_object *set_filter(pm_runtime *rt, pm_object *a, pm_object *b, int want_in) {
    pm_object *r = make_new_set(rt, pm_is_instance(a, &pm_frozenset_type) ? &pm_frozenset_type : &pm_set_type, NULL);
    if (!r) return NULL;
    pmi_set *sa = PMI_SET(a);
    for (pm_ssize_t i = 0; i <= sa->mask; i++) {
        pmi_setentry *e = &sa->table[i];
        if (!e->key || e->key == DUMMY) continue;
        pm_object *k = pm_newref(rt, e->key);
        pm_hash_t h = e->hash;
        pmi_setentry *f = set_lookkey(rt, PMI_SET(b), k, h);
        int rc = !f ? -1 : ((f->key != NULL) == want_in ? set_add_entry(rt, PMI_SET(r), k, h) : 0);
        pm_decref(rt, k);
        if (rc < 0) {
            pm_decref(rt, r);
            return NULL;
        }
    }
    return r;
}

pm_object *pm_set_intersection(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!set_check_any(a) || !set_check_any(b)) return pmi_err_badarg(rt, "pm_set_intersection");
    return set_filter(rt, a, b, 1);
}

pm_object *pm_set_difference(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!set_check_any(a) || !set_check_any(b)) return pmi_err_badarg(rt, "pm_set_difference");
    return set_filter(rt, a, b, 0);
}

pm_object *pm_set_symmetric_difference(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!set_check_any(a) || !set_check_any(b)) return pmi_err_badarg(rt, "pm_set_symmetric_difference");
    pm_object *r = set_filter(rt, a, b, 0);
    if (!r) return NULL;
    pmi_set *sb = PMI_SET(b);
    for (pm_ssize_t i = 0; i <= sb->mask; i++) {
        pmi_setentry *e = &sb->table[i];
        if (!e->key || e->key == DUMMY) continue;
        pm_object *k = pm_newref(rt, e->key);
        pmi_setentry *f = set_lookkey(rt, PMI_SET(a), k, e->hash);
        int rc = !f ? -1 : (f->key == NULL ? set_add_entry(rt, PMI_SET(r), k, e->hash) : 0);
        pm_decref(rt, k);
        if (rc < 0) {
            pm_decref(rt, r);
            return NULL;
        }
    }
    return r;
}

/* ------------------------------------------------------------------------ */
/* Type hooks                                                                */
/* ------------------------------------------------------------------------ */

static int set_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pm_ssize_t pos = 0;
    pm_object *k;
    while (pm_set_next(self, &pos, &k)) {
        int r = visit(k, arg);
        if (r) return r;
    }
    return 0;
}

static int set_clear_hook(pm_runtime *rt, pm_object *self) {
    set_clear_internal(rt, PMI_SET(self));
    return 0;
}

static size_t set_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    pmi_set *so = PMI_SET(self);
    size_t size = sizeof(pmi_set);
    if (so->table != so->smalltable) size += (size_t)(so->mask + 1) * sizeof(pmi_setentry);
    return size;
}

static pm_ssize_t set_length(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return PMI_SET(self)->used;
}

static pm_object *set_repr(pm_runtime *rt, pm_object *self) {
    pmi_set *so = PMI_SET(self);
    const char *tname = self->ob_type->name;
    int exact_set = self->ob_type == &pm_set_type;
    pmi_sb sb;
    pmi_sb_init(&sb);
    int r = pmi_repr_enter(rt, self);
    if (r != 0) {
        if (r < 0) return NULL;
        pmi_sb_printf(rt, &sb, "%s(...)", tname);
        return pmi_sb_finish(rt, &sb);
    }
    if (so->used == 0) {
        pmi_repr_leave(rt, self);
        pmi_sb_printf(rt, &sb, "%s()", tname);
        return pmi_sb_finish(rt, &sb);
    }
    /* Snapshot the keys (CPython reprs list(self)): a key's repr could
     * change the set. */
    pm_object *keys = pm_list_new(rt);
    if (!keys || pm_list_extend(rt, keys, self) < 0) {
        pm_xdecref(rt, keys);
        pmi_repr_leave(rt, self);
        return NULL;
    }
    if (!exact_set) pmi_sb_printf(rt, &sb, "%s(", tname);
    pmi_sb_putn(rt, &sb, "{", 1);
    for (pm_ssize_t i = 0; i < pm_list_size(keys) && !sb.failed; i++) {
        if (i > 0) pmi_sb_putn(rt, &sb, ", ", 2);
        pmi_sb_put_repr(rt, &sb, PMI_LIST(keys)->ob_item[i]);
    }
    pmi_sb_putn(rt, &sb, "}", 1);
    if (!exact_set) pmi_sb_putn(rt, &sb, ")", 1);
    pm_decref(rt, keys);
    pmi_repr_leave(rt, self);
    return pmi_sb_finish(rt, &sb);
}

/* a <= b as sets: 1, 0, -1. */
static int set_issubset(pm_runtime *rt, pmi_set *a, pmi_set *b) {
    if (a->used > b->used) return 0;
    for (pm_ssize_t i = 0; i <= a->mask; i++) {
        pmi_setentry *e = &a->table[i];
        if (!e->key || e->key == DUMMY) continue;
        pm_object *k = pm_newref(rt, e->key);
        pmi_setentry *f = set_lookkey(rt, b, k, e->hash);
        pm_decref(rt, k);
        if (!f) return -1;
        if (!f->key) return 0;
    }
    return 1;
}

static pm_hash_t frozenset_hash(pm_runtime *rt, pm_object *self);

static pm_object *set_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (!set_check_any(a) || !set_check_any(b)) return PM_NOTIMPLEMENTED;
    pmi_set *x = PMI_SET(a), *y = PMI_SET(b);
    int r;
    switch (op) {
    case PM_EQ:
    case PM_NE:
        if (x->used != y->used) {
            r = 0;
        } else if (x->hash != -1 && y->hash != -1 && x->hash != y->hash) {
            r = 0;
        } else {
            r = set_issubset(rt, x, y);
        }
        if (r < 0) return NULL;
        return pm_bool_from(op == PM_EQ ? r : !r);
    case PM_LE: r = set_issubset(rt, x, y); break;
    case PM_GE: r = set_issubset(rt, y, x); break;
    case PM_LT: r = x->used < y->used ? set_issubset(rt, x, y) : 0; break;
    default: r = x->used > y->used ? set_issubset(rt, y, x) : 0; break;
    }
    if (r < 0) return NULL;
    return pm_bool_from(r);
}

static int set_contains_hook(pm_runtime *rt, pm_object *self, pm_object *key) {
    return set_contains_key(rt, PMI_SET(self), key);
}

/* CPython's _shuffle_bits and frozenset_hash. */
static uint64_t shuffle_bits(uint64_t h) {
    return ((h ^ 89869747UL) ^ (h << 16)) * 3644798167UL;
}

static pm_hash_t frozenset_hash(pm_runtime *rt, pm_object *self) {
    (void)rt;
    pmi_set *so = PMI_SET(self);
    if (so->hash != -1) return so->hash;
    uint64_t hash = 0;
    /* Xor the shuffled hash of every slot (unused ones have hash 0 and
     * dummies -1; their effect is removed below), so order does not count. */
    for (pm_ssize_t i = 0; i <= so->mask; i++) hash ^= shuffle_bits((uint64_t)so->table[i].hash);
    if ((so->mask + 1 - so->fill) & 1) hash ^= shuffle_bits(0);
    if ((so->fill - so->used) & 1) hash ^= shuffle_bits((uint64_t)-1);
    hash ^= ((uint64_t)so->used + 1) * 1927868237UL;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069U + 907133923UL;
    if (hash == (uint64_t)-1) hash = 590923713UL;
    so->hash = (pm_hash_t)hash;
    return so->hash;
}

/* ---- the iterator (setiterobject) --------------------------------------- */

typedef struct pmi_setiter {
    pm_object ob_base;          /* refcount + type */
    pm_object *set;             /* NULL once exhausted */
    pm_ssize_t used;            /* size when iteration began */
    pm_ssize_t pos;             /* next slot */
    pm_ssize_t len;             /* keys left */
} pmi_setiter;

static void setiter_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    pm_xdecref(rt, ((pmi_setiter *)self)->set);
    pmi_object_free(rt, self);
}

static int setiter_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_setiter *it = (pmi_setiter *)self;
    return it->set ? visit(it->set, arg) : 0;
}

static int setiter_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((pmi_setiter *)self)->set);
    return 0;
}

static pm_object *setiter_next(pm_runtime *rt, pm_object *self) {
    pmi_setiter *it = (pmi_setiter *)self;
    if (!it->set) return NULL;
    if (it->used != PMI_SET(it->set)->used) {
        pm_err_set(rt, PM_EXC_RuntimeError, "Set changed size during iteration");
        it->used = -1;
        return NULL;
    }
    pm_object *k;
    if (!pm_set_next(it->set, &it->pos, &k)) {
        PM_CLEAR(rt, it->set);
        return NULL;
    }
    it->len--;
    return pm_newref(rt, k);
}

const pm_type pmi_setiter_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "set_iterator",
    .basicsize = sizeof(pmi_setiter),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = setiter_dealloc,
    .traverse = setiter_traverse,
    .clear = setiter_clear,
    .iter = pmi_self_iter,
    .iternext = setiter_next,
};

pm_ssize_t pmi_setiter_len(const pm_object *o) {
    if (o->ob_type != &pmi_setiter_type) return -1;
    const pmi_setiter *it = (const pmi_setiter *)o;
    if (!it->set || it->used != PMI_SET(it->set)->used) return 0;
    return it->len;
}

static pm_object *set_iter(pm_runtime *rt, pm_object *self) {
    pmi_setiter *it = (pmi_setiter *)pmi_gc_new(rt, &pmi_setiter_type);
    if (!it) return NULL;
    it->set = pm_newref(rt, self);
    it->used = PMI_SET(self)->used;
    it->pos = 0;
    it->len = it->used;
    pmi_gc_track(rt, (pm_object *)it);
    return (pm_object *)it;
}

/* ------------------------------------------------------------------------ */
/* The operators | & - ^ and their in-place forms                           */
/* ------------------------------------------------------------------------ */
/* As CPython's set_or/set_and/set_sub/set_xor: both operands sets or
 * frozensets (else NotImplemented, so the other operand or the TypeError
 * "unsupported operand type(s) for |: 'set' and 'list'" decides), the
 * result of the left operand's kind.  The in-place forms exist for set
 * only (a frozenset falls back to the binary operator and a new object);
 * they change the set and return it, the same updates as the methods
 * (update, intersection_update, ...).  NEW refs. */

typedef pm_object *(*set_binop_fn)(pm_runtime *rt, pm_object *a, pm_object *b);

static pm_object *set_binop(pm_runtime *rt, pm_object *a, pm_object *b, set_binop_fn op) {
    if (!set_check_any(a) || !set_check_any(b)) return pm_newref(rt, PM_NOTIMPLEMENTED);
    return op(rt, a, b);
}

/* a op= b for a set a: a's contents become op(a, b) (op NULL: b merged
 * into a); a NEW ref to a, or NULL. */
static pm_object *set_inplace(pm_runtime *rt, pm_object *a, pm_object *b, set_binop_fn op) {
    if (!set_check_any(b) || !pm_is_instance(a, &pm_set_type)) return pm_newref(rt, PM_NOTIMPLEMENTED);
    if (!op) return pm_set_update(rt, a, b) < 0 ? NULL : pm_newref(rt, a);
    pm_object *r = op(rt, a, b);
    if (!r) return NULL;
    int rc = pm_set_clear(rt, a);
    if (rc == 0) rc = pm_set_update(rt, a, r);
    pm_decref(rt, r);
    return rc < 0 ? NULL : pm_newref(rt, a);
}

/* The slot functions of one operator: set_nb_<op> (a op b) and
 * set_nb_i<op> (a op= b; inplace NULL: merge b into a). */
#define SET_OPERATOR(op, binary, inplace)                                        \
    static pm_object *set_nb_##op(pm_runtime *rt, pm_object *a, pm_object *b) {  \
        return set_binop(rt, a, b, binary);                                      \
    }                                                                            \
    static pm_object *set_nb_i##op(pm_runtime *rt, pm_object *a, pm_object *b) { \
        return set_inplace(rt, a, b, inplace);                                   \
    }
SET_OPERATOR(or, pm_set_union, NULL)
SET_OPERATOR(and, pm_set_intersection, pm_set_intersection)
SET_OPERATOR(sub, pm_set_difference, pm_set_difference)
SET_OPERATOR(xor, pm_set_symmetric_difference, pm_set_symmetric_difference)
#undef SET_OPERATOR

static const pm_number_methods set_as_number = {
    .nb_subtract = set_nb_sub,
    .nb_and = set_nb_and,
    .nb_xor = set_nb_xor,
    .nb_or = set_nb_or,
    .nb_inplace_subtract = set_nb_isub,
    .nb_inplace_and = set_nb_iand,
    .nb_inplace_xor = set_nb_ixor,
    .nb_inplace_or = set_nb_ior,
};

static const pm_number_methods frozenset_as_number = {
    .nb_subtract = set_nb_sub,
    .nb_and = set_nb_and,
    .nb_xor = set_nb_xor,
    .nb_or = set_nb_or,
};

static const pm_sequence_methods set_as_sequence = {
    .sq_length = set_length,
    .sq_contains = set_contains_hook,
};

const pm_type pm_set_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "set",
    .basicsize = sizeof(pmi_set),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(pmi_set, weakreflist),
    .dealloc = set_dealloc,
    .traverse = set_traverse,
    .clear = set_clear_hook,
    .size_of = set_size_of,
    .repr = set_repr,
    .richcompare = set_richcompare,
    .iter = set_iter,
    .as_number = &set_as_number,
    .as_sequence = &set_as_sequence,
    .methods = pmi_set_methods,
    .new_object = pmi_set_tp_new,
    .init = pmi_set_tp_init,
};

static const pm_sequence_methods frozenset_as_sequence = {
    .sq_length = set_length,
    .sq_contains = set_contains_hook,
};

const pm_type pm_frozenset_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "frozenset",
    .basicsize = sizeof(pmi_set),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLE,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(pmi_set, weakreflist),
    .dealloc = set_dealloc,
    .traverse = set_traverse,
    .clear = set_clear_hook,
    .size_of = set_size_of,
    .repr = set_repr,
    .hash = frozenset_hash,
    .richcompare = set_richcompare,
    .iter = set_iter,
    .as_number = &frozenset_as_number,
    .as_sequence = &frozenset_as_sequence,
    .methods = pmi_frozenset_methods,
    .new_object = pmi_frozenset_tp_new,
};
