/*
 * intern.c — the runtime's string intern table (sys.intern).
 *
 * pm_str_intern(rt, s) returns the one canonical str equal to s, so equal
 * interned strings are the same object and compare by identity; the
 * interpreter interns identifiers and attribute names.
 *
 * The table is an open-addressing hash set of str pointers (linear probing
 * over a power-of-two array), keyed by the strings' cached hashes:
 *
 *   intern_slots: [ NULL | s1 | DUMMY | s2 | NULL | ... ]   capacity = mask+1
 *                    free   live deleted  live
 *
 * Ownership mirrors CPython 3.11's "mortal" interned strings: the table does
 * not own a reference.  A string's state.interned flag says it is in the
 * table; when its count reaches zero str_dealloc calls pmi_intern_remove,
 * which turns the slot into DUMMY (no allocation, cannot fail).  So the
 * table never keeps an unused string alive, and everything still interned
 * when the runtime dies is freed with it.
 *
 * Growth: the table doubles when live+deleted entries pass 2/3 of the
 * capacity.  If that allocation fails the old table is kept and filling goes
 * on up to 7/8; past that the string is simply returned un-interned (CPython
 * also treats interning as best-effort).  No error is reported either way.
 */
#include "objects/scalar.h"

/* Marks a deleted slot; never dereferenced. */
static const char intern_dummy_mark = 0;
#define DUMMY ((pm_object *)(uintptr_t)&intern_dummy_mark)

static size_t probe_start(const pm_runtime *rt, pm_object *s) {
    return (size_t)PMI_STR(s)->hash & rt->intern.mask;
}

/* Rebuild the table with capacity `cap`; -1 (old table kept) on failure. */
static int intern_resize(pm_runtime *rt, size_t cap) {
    pm_object **slots = pm_calloc(rt, cap, sizeof(pm_object *));
    if (!slots) return -1;
    size_t mask = cap - 1;
    for (size_t i = 0; rt->intern.slots && i <= rt->intern.mask; i++) {
        pm_object *s = rt->intern.slots[i];
        if (!s || s == DUMMY) continue;
        size_t j = (size_t)PMI_STR(s)->hash & mask;
        while (slots[j]) j = (j + 1) & mask;
        slots[j] = s;
    }
    pm_free(rt, rt->intern.slots);
    rt->intern.slots = slots;
    rt->intern.mask = mask;
    rt->intern.fill = rt->intern.used;
    return 0;
}

pm_object *pm_str_intern(pm_runtime *rt, pm_object *s) {
    if (!pm_str_check(s)) return pmi_err_badarg(rt, "pm_str_intern");
    pmi_ascii *a = PMI_STR(s);
    /* Only exact strs are interned (as CPython). */
    if (a->state.interned || s->ob_type != &pm_str_type) return pm_newref(rt, s);
    /* '' and the one-character latin-1 strs are the runtime's immortal
     * singletons: the canonical object is known without the table, so they
     * never occupy (or grow) it. */
    if (a->length == 0 || (a->length == 1 && pm_str_read_char(s, 0) < 256)) {
        pm_object *single = pmi_str_result(rt, pm_newref(rt, s));
        PMI_STR(single)->state.interned = PMI_SSTATE_INTERNED_MORTAL;
        return single;
    }
    pmi_str_hash(rt, s);
    if (rt->intern.slots) {
        size_t i = probe_start(rt, s);
        for (pm_object *e; (e = rt->intern.slots[i]) != NULL; i = (i + 1) & rt->intern.mask)
            if (e != DUMMY && PMI_STR(e)->hash == a->hash && pmi_str_eq(e, s))
                return pm_newref(rt, e);
    }
    size_t cap = rt->intern.slots ? rt->intern.mask + 1 : 0;
    if ((rt->intern.fill + 1) * 3 >= cap * 2) {
        size_t want = PMI_INTERN_MINSIZE;
        while (want < (rt->intern.used + 1) * 3) want *= 2;  /* load <= 1/3 after */
        if (intern_resize(rt, want) < 0) {
            /* keep the old table while it has room */
            if (!rt->intern.slots || (rt->intern.fill + 1) * 8 >= cap * 7) return pm_newref(rt, s);
        }
    }
    size_t i = probe_start(rt, s);
    while (rt->intern.slots[i] && rt->intern.slots[i] != DUMMY) i = (i + 1) & rt->intern.mask;
    if (!rt->intern.slots[i]) rt->intern.fill++;
    rt->intern.slots[i] = s;
    rt->intern.used++;
    a->state.interned = PMI_SSTATE_INTERNED_MORTAL;
    return pm_newref(rt, s);
}

pm_object *pm_str_intern_cstr(pm_runtime *rt, const char *cstr) {
    pm_object *s = pm_str_from_cstr(rt, cstr);
    if (!s) return NULL;
    pm_object *r = pm_str_intern(rt, s);
    pm_decref(rt, s);
    return r;
}

int pm_str_is_interned(const pm_object *s) {
    return pm_str_check(s) && PMI_STR(s)->state.interned != PMI_SSTATE_NOT_INTERNED;
}

size_t pm_intern_count(pm_runtime *rt) { return rt->intern.used; }

void pmi_intern_remove(pm_runtime *rt, pm_object *s) {
    PMI_STR(s)->state.interned = PMI_SSTATE_NOT_INTERNED;
    if (!rt->intern.slots) return;
    size_t i = probe_start(rt, s);
    for (pm_object *e; (e = rt->intern.slots[i]) != NULL; i = (i + 1) & rt->intern.mask) {
        if (e == s) {
            rt->intern.slots[i] = DUMMY;
            rt->intern.used--;
            return;
        }
    }
}

/* The table is a cache of its live strings: an empty one is freed, and one
 * larger than a fresh table for its live strings would be (or holding dead
 * slots) is rebuilt at that size.  So its footprint depends only on what is
 * interned now, not on how many strings came and went — the immortal
 * one-character strs stay interned for good, so the table is rarely empty.
 * A failed rebuild keeps the old table (pm_calloc sets no error). */
void pmi_intern_trim(pm_runtime *rt) {
    if (!rt->intern.slots) return;
    if (rt->intern.used == 0) {
        pm_free(rt, rt->intern.slots);
        rt->intern.slots = NULL;
        rt->intern.mask = rt->intern.fill = 0;
        return;
    }
    size_t want = PMI_INTERN_MINSIZE;
    while (want < (rt->intern.used + 1) * 3) want *= 2;  /* as pm_str_intern sizes it */
    if (want < rt->intern.mask + 1 || rt->intern.fill > rt->intern.used) (void)intern_resize(rt, want);
}

void pmi_intern_fini(pm_runtime *rt) {
    for (size_t i = 0; rt->intern.slots && i <= rt->intern.mask; i++) {
        pm_object *s = rt->intern.slots[i];
        if (s && s != DUMMY) PMI_STR(s)->state.interned = PMI_SSTATE_NOT_INTERNED;
    }
    pm_free(rt, rt->intern.slots);
    rt->intern.slots = NULL;
    rt->intern.mask = rt->intern.used = rt->intern.fill = 0;
}
