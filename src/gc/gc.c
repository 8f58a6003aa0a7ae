/*
 * gc.c — the cycle collector: CPython 3.11's Modules/gcmodule.c, on pymm's
 * object core.
 *
 * Purpose
 *   Reference counting frees an object the moment its last reference goes;
 *   it cannot free a group of objects that refer to each other (the seed's
 *   `a.ref = b; b.ref = a`).  This file finds such groups among the objects
 *   of gc types (PM_TPFLAGS_GC) and frees them, with CPython 3.11's
 *   algorithm, ordering, counts, thresholds, debug output and API.
 *   docs/gc.md walks through the passes below on a worked example graph;
 *   the pass names here are its step names.
 *
 * Generations (all lists are circular and doubly linked through the
 * 16-byte pm_gc_head in front of each object; the heads live in pm_runtime)
 *
 *     pmi_gc_track ──> gen 0 ──collect 0──> gen 1 ──collect 1──> gen 2
 *                    count: allocs     count: gen-0        count: gen-1
 *                    minus frees       collections         collections
 *                    threshold 700     threshold 10        threshold 10
 *                                                         + long-lived rule
 *     pm_gc_freeze: everything ──> permanent (never scanned) ──unfreeze──> gen 2
 *
 *   Collecting generation g merges generations 0..g into g, finds the
 *   unreachable objects there, and moves the survivors to g+1 (g = 2 stays).
 *
 * The gc head's bits during a collection (CPython's PyGC_Head, plus LEAF)
 *
 *     gc_next:  next head | NEXT_UNREACHABLE (bit 0: "in the unreachable
 *               list", from move_unreachable until handle_weakrefs' walk)
 *     gc_prev:  prev head | COLLECTING (bit 1) | FINALIZED (bit 0)
 *               — or, between update_refs and move_unreachable,
 *               gc_refs << 3 | LEAF (bit 2) instead of the prev pointer (the
 *               list is then singly linked; LEAF: no child in the set)
 *
 * The passes of one collection (collect_main)
 *   1. update_refs:       gc_refs := ob_refcnt, COLLECTING set, for each
 *                         object of the generation.
 *   2. subtract_refs:     for each object, traverse; every visited object
 *                         that is COLLECTING loses one gc_ref.  What is left
 *                         is the number of references from outside.
 *   3. move_unreachable:  scan the list; gc_refs > 0: reachable — traverse
 *                         it, marking what it reaches (moving it back from
 *                         the tentative unreachable list if needed);
 *                         gc_refs == 0: tentatively unreachable.  The list
 *                         itself is the work queue: no recursion, so a chain
 *                         of 10,000,000 objects costs no C stack.
 *   4. untrack_tuples:    tuples holding only untracked objects leave
 *                         (folded into step 3); in full collections dicts
 *                         holding nothing trackable too (untrack_dicts,
 *                         folded in as well).
 *   5. promote:           the reachable join the next generation.
 *   6. handle_weakrefs:   clear every weakref to an unreachable object; call
 *                         the callbacks of those weakrefs that are reachable.
 *   7. finalize_garbage:  call each finalizer not yet called (PEP 442).
 *   8. handle_resurrected_objects: passes 1-3 again over the garbage: what
 *                         a finalizer made reachable again survives.
 *   9. delete_garbage:    the clear hook of each object breaks the cycles;
 *                         refcounting frees the rest (DEBUG_SAVEALL: append
 *                         to gc.garbage instead).
 *
 * Invariants
 *   - Outside a collection every tracked object is in exactly one of gen0,
 *     gen1, gen2, permanent; gc_prev holds a pointer and at most FINALIZED.
 *   - rt->gc.collecting is 1 during a collection; nothing starts another.
 *   - Unreachable objects are referenced only by unreachable objects, so
 *     no callback of step 6 can reach them; only finalizers (step 7) can
 *     resurrect, which is why step 8 runs only when a finalizer ran.
 *
 * Differences from CPython, on purpose
 *   - No legacy (tp_del) finalizers exist, so nothing is "uncollectable".
 *   - Fewer walks over the heap, same results: in a full collection with
 *     nothing frozen, steps 1 and 2 are one walk (every tracked object is in
 *     the set, so a child can get its gc_refs when first met); step 4 is
 *     done as step 3 passes each tuple and dict (the order CPython's
 *     separate walks would use; a dict holding a tuple not yet scanned
 *     waits for a short walk after step 3); the counts come from step 3,
 *     not from list walks; the unreachable flag is cleared during step 6's
 *     walk; step 8 is skipped when no finalizer ran (it cannot find
 *     anything then).
 *   - Exact lists and tuples, instances of runtime classes and of Python
 *     classes over object, are traversed here, each pass's visitor inlined (traverse_with), in their
 *     hooks' order; other types through their traverse hook.
 *   - The items of a long list or tuple wait in a small queue and are
 *     visited as the walk reaches the objects they name ("deferred visits"
 *     below): where CPython reads each child's head twice per pass, far
 *     apart, pymm reads it once.  Only where no result can tell.
 *   - Weakref callbacks and gc callbacks are C functions with a data
 *     object; errors go to the runtime's unraisable hook.
 */
#include "gc/gc.h"
#include "objects/containers.h"
#include "objects/instance_values.h"
#include "objects/instattr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* (Tunables — thresholds, dict untracking — are in config.h.) */

#define AS_GC(o) PMI_AS_GC(o)
#define FROM_GC(g) PMI_FROM_GC(g)

/* ------------------------------------------------------------------------ */
/* The gc head                                                               */
/* ------------------------------------------------------------------------ */

static inline int gc_is_collecting(const pm_gc_head *g) {
    return (g->gc_prev & PM_GC_PREV_COLLECTING) != 0;
}
static inline void gc_clear_collecting(pm_gc_head *g) { g->gc_prev &= ~PM_GC_PREV_COLLECTING; }
/* Between update_refs and move_unreachable gc_prev is
 *   gc_refs << PM_GC_PREV_SHIFT | LEAF | COLLECTING | FINALIZED
 * LEAF (bit 2) says: none of the object's children is in the set, so
 * move_unreachable has nothing to mark through it and need not traverse it
 * (a list of ints, a node whose neighbours are older).  Pointers are 16-byte
 * aligned, so restoring the prev pointer clears LEAF. */
#define GC_PREV_LEAF ((uintptr_t)4)
#define GC_PREV_LOW ((uintptr_t)7)
static inline void gc_set_refs(pm_gc_head *g, pm_ssize_t refs) {
    g->gc_prev = (g->gc_prev & GC_PREV_LOW) | ((uintptr_t)refs << PM_GC_PREV_SHIFT);
}
/* gc_refs := refs, COLLECTING set, FINALIZED kept, LEAF clear. */
static inline void gc_reset_refs(pm_gc_head *g, pm_ssize_t refs) {
    g->gc_prev = (g->gc_prev & PM_GC_PREV_FINALIZED) | PM_GC_PREV_COLLECTING |
                 ((uintptr_t)refs << PM_GC_PREV_SHIFT);
}
static inline void gc_decref(pm_gc_head *g) { g->gc_prev -= (uintptr_t)1 << PM_GC_PREV_SHIFT; }

static void list_clear_collecting(pm_gc_head *l) {
    for (pm_gc_head *g = pmi_gc_next(l); g != l; g = pmi_gc_next(g)) gc_clear_collecting(g);
}

/* ------------------------------------------------------------------------ */
/* Passes 1-3: deduce_unreachable                                            */
/* ------------------------------------------------------------------------ */

/* What deduce_unreachable found. */
typedef struct deduce_counts {
    pm_ssize_t total;           /* objects in the set */
    pm_ssize_t reachable;       /* left in the set (reachable, still tracked) */
    pm_ssize_t untracked;       /* tuples (pass 4) and dicts untracked on the way */
    pm_gc_head *dict_recheck;   /* full collections: the first reachable dict
                                   whose untracking waits for a tuple it holds
                                   that the scan had not reached; NULL: none */
} deduce_counts;

/* ---- the visitors, and the traversal that inlines them -------------------
 *
 * Each pass has one visitor body (visit_*_body).  The common containers —
 * exact lists and tuples, instances of runtime classes and of Python
 * classes over object, most of a typical heap — are walked here with the body inlined (traverse_with), in
 * the order of their traverse hooks (lists and tuples last item first,
 * instances first slot first: the order decides where move_unreachable
 * appends objects, so it must not change); every other type goes through
 * its traverse hook with the body wrapped as a pm_visitproc.  Per item this saves an indirect call
 * and a return-value test; in a heap of small lists it is half the
 * instructions of a full collection. */

#if defined(__GNUC__) || defined(__clang__)
#define GC_INLINE static inline __attribute__((always_inline))
#define GC_PREFETCH(p) __builtin_prefetch(p)
#else
#define GC_INLINE static inline
#define GC_PREFETCH(p) ((void)(p))
#endif

/* How far ahead (in items) traverse_with prefetches the objects of a long
 * item array: far enough to hide a miss behind the visits between, near
 * enough to stay in the cache. */
#define GC_PREFETCH_ITEMS 8

/* 2. A reference from inside the set: one gc_ref less.  Returns 1 for a
 * child in the set (an object with none is a LEAF). */
GC_INLINE int visit_decref_body(pm_object *op) {
    if (pmi_is_gc(op)) {
        pm_gc_head *g = AS_GC(op);
        if (gc_is_collecting(g)) {
            gc_decref(g);
            return 1;
        }
    }
    return 0;
}

/* 1+2 fused (see update_and_subtract_refs): the set is every tracked object,
 * and COLLECTING marks "gc_refs set". */
GC_INLINE int visit_decref_all_body(pm_object *op) {
    if (pmi_is_gc(op)) {
        pm_gc_head *g = AS_GC(op);
        if (g->gc_next == 0) return 0;          /* untracked (or read-only static) */
        if (!gc_is_collecting(g)) gc_reset_refs(g, op->ob_refcnt);
        gc_decref(g);
        return 1;
    }
    return 0;
}

/* In the unreachable list, from move_unreachable until handle_weakrefs'
 * walk (or clear_unreachable_mask), gc_prev is the prev pointer with the
 * three low bits of the refs phase kept (FINALIZED, COLLECTING and LEAF:
 * pointers are 16-byte aligned), so that an object found reachable after all
 * keeps its LEAF bit and is not traversed for nothing.  The list head holds
 * a plain pointer. */
static inline pm_gc_head *unreachable_prev(const pm_gc_head *g) {
    return (pm_gc_head *)(g->gc_prev & ~GC_PREV_LOW);
}

/* 3. op is reachable from an object known reachable. */
GC_INLINE void visit_reachable_body(pm_object *op, pm_gc_head *reachable) {
    if (!pmi_is_gc(op)) return;
    pm_gc_head *g = AS_GC(op);
    /* Objects of other generations, and those already scanned (to the left
     * of move_unreachable's position), are not COLLECTING. */
    uintptr_t gp = g->gc_prev;
    if (!(gp & PM_GC_PREV_COLLECTING)) return;
    if ((gp >> PM_GC_PREV_SHIFT) == 0) {
        /* gc_refs 0 and still ahead of the scan: just tell it.  (In the
         * unreachable list gc_prev holds a pointer, never 0 above the flag
         * bits, so this is the common case tested first, without gc_next.) */
        g->gc_prev = gp | ((uintptr_t)1 << PM_GC_PREV_SHIFT);
        return;
    }
    if (g->gc_next & PM_GC_NEXT_UNREACHABLE) {
        /* Had gc_refs == 0 when the scan passed it, but is reachable after
         * all: unlink it from the unreachable list by hand (the flags make
         * the list functions unusable there: see unreachable_prev) and
         * append it to young, where the scan will reach it again.  Young is
         * linked by gc_next only until the scan restores the prev pointers,
         * so g's gc_prev becomes gc_refs 1 at once, with its LEAF bit. */
        pm_gc_head *prev = unreachable_prev(g);
        pm_gc_head *next = (pm_gc_head *)(g->gc_next & ~PM_GC_NEXT_UNREACHABLE);
        prev->gc_next = g->gc_next;           /* keeps NEXT_UNREACHABLE */
        next->gc_prev = (next->gc_prev & GC_PREV_LOW) | (uintptr_t)prev;
        pm_gc_head *last = pmi_gc_prev(reachable);
        pmi_gc_set_next(last, g);
        pmi_gc_set_next(g, reachable);
        pmi_gc_set_prev(reachable, g);
        gc_set_refs(g, 1);
    }
    /* else: gc_refs > 0, ahead of the scan: already known reachable. */
}

/* The visitors handed to traverse hooks: arg counts the children in the
 * set (a pm_ssize_t), or is young (visit_reachable). */
static int visit_decref(pm_object *op, void *arg) {
    *(pm_ssize_t *)arg += visit_decref_body(op);
    return 0;
}
static int visit_decref_all(pm_object *op, void *arg) {
    *(pm_ssize_t *)arg += visit_decref_all_body(op);
    return 0;
}
static int visit_reachable(pm_object *op, void *arg) {
    visit_reachable_body(op, arg);
    return 0;
}

enum visit_kind { VISIT_DECREF, VISIT_DECREF_ALL, VISIT_REACHABLE };

/* Returns 1 for a child in the set (decref passes; 0 for visit_reachable). */
GC_INLINE int visit_item(enum visit_kind kind, pm_object *o, pm_gc_head *young) {
    if (!o) return 0;
    if (kind == VISIT_DECREF) return visit_decref_body(o);
    if (kind == VISIT_DECREF_ALL) return visit_decref_all_body(o);
    visit_reachable_body(o, young);
    return 0;
}

/* ---- deferred visits of long item arrays -----------------------------------
 *
 * A long list or tuple (the root of `[[i] for i in range(N)]`) names objects
 * that usually follow it in the generation list, in its own order: they were
 * made one by one and appended.  Visiting all its items at the owner's turn
 * reads every child's header once there, and the walk reads it again when it
 * reaches the child, far apart in time: two cache misses per child per pass.
 * Instead, the array waits in a small queue (gc_defer) and its items are
 * visited as the walk goes, a few per step, so that the visit of item i comes
 * next to the walk's turn of the object it names: one miss.
 *
 *   walk:   root   c0    c1    c2   ...      (the generation list)
 *   queue:  [root.items: next = 0]
 *   step c0: visit root.items[0] (= c0), then c0's own turn   (c0 in cache)
 *   step c1: visit root.items[1] (= c1), then c1's own turn   ...
 *
 * Only where the result cannot tell:
 *   - passes 1-2 (the decref visits) commute: any order gives every object
 *     the same gc_refs.  The owner's LEAF bit waits for its last item (a
 *     deferred owner counts as no leaf until then); the queue is emptied
 *     before the pass ends.
 *   - pass 3 (visit_reachable) is order-sensitive only where it moves an
 *     object back from the unreachable list to the end of young.  An array
 *     waits only while the unreachable list is empty, and the queue is
 *     emptied before anything goes there: the scan meeting an object with
 *     gc_refs 0 first visits waiting items until that object is marked or the
 *     queue is empty.  With the unreachable list empty every visit is a mark
 *     (gc_refs 0 -> 1 ahead of the scan) or nothing, and marks commute, so
 *     the scan decides every object as before.  Items still waiting when the
 *     scan ends could only mark objects already scanned: they are dropped.
 * The queue lives on the C stack of the pass (no allocation); when it is
 * full an array is visited at once, as before. */

/* Arrays shorter than this are visited at once. */
#define GC_DEFER_MIN 32
/* Arrays waiting at most (a fixed queue on the pass's stack). */
#define GC_DEFER_SLOTS 8
/* Waiting items a decref pass visits per step of its walk at most (it stops
 * early after the item naming the walk's object). */
#define GC_DRAIN_STEP 4

/* One waiting array. */
typedef struct gc_pending {
    pm_object *const *next;     /* the next item to visit (first to last);
                                   NULL: no array (the array is not changed
                                   during a pass) */
    pm_object *const *end;      /* one past its last item */
    pm_gc_head *owner;          /* the list or tuple: gets LEAF at the end when
                                   no item was in the set (decref passes) */
    pm_ssize_t inside;          /* items visited so far that are in the set */
} gc_pending;

/* The queue of one pass, oldest first: the array being visited, and a ring
 * of those waiting behind it. */
typedef struct gc_defer {
    gc_pending cur;             /* the oldest (cur.next NULL: queue empty) */
    gc_pending q[GC_DEFER_SLOTS]; /* the ring behind it */
    unsigned first;             /* index of the ring's oldest */
    unsigned count;             /* arrays in the ring */
    pm_gc_head *unreachable;    /* pass 3: its unreachable list (an array waits
                                   only while it is empty); NULL: decref pass */
} gc_defer;

static inline void defer_init(gc_defer *d, pm_gc_head *unreachable) {
    d->cur.next = NULL;
    d->first = d->count = 0;
    d->unreachable = unreachable;
}

/* 1 when the unreachable list (whose head's gc_next carries
 * NEXT_UNREACHABLE while it is not empty) holds nothing. */
static inline int unreachable_is_empty(const pm_gc_head *u) {
    return (u->gc_next & ~PM_GC_NEXT_UNREACHABLE) == (uintptr_t)u;
}

/* traverse(op, <the pass's visitor>); kind is a constant at every call, so
 * each call site compiles to one specialised loop.  young: the list
 * visit_reachable appends to.  Returns the number of children in the set
 * (decref passes: 0 makes op a LEAF). */
GC_INLINE pm_ssize_t traverse_with(enum visit_kind kind, pm_object *op, const pm_type *t,
                                   pm_gc_head *young, gc_defer *d) {
    pm_ssize_t inside = 0;
    pm_object *const *items;
    pm_ssize_t n;
    if (t == &pm_list_type) {
        items = PMI_LIST(op)->ob_item;
        n = PMI_LIST(op)->ob_base.ob_size;
    } else if (t == &pm_tuple_type) {
        items = PMI_TUPLE(op)->ob_item;
        n = PMI_TUPLE(op)->ob_base.ob_size;
    } else if (t->traverse == pmi_instance_traverse) {
        /* Instances of runtime classes, in pmi_instance_traverse's order:
         * the dict, the values (or the __slots__) first to last, the
         * class. */
        if (((const pmi_class_info *)t->extra)->nslots < 0) {
            const pmi_instance *inst = (const pmi_instance *)op;
            inside += visit_item(kind, inst->dict, young);
            items = pmi_instance_values(inst);
            n = pmi_instance_values_cap(inst);
        } else {
            items = ((const pmi_slots_instance *)op)->slots;
            n = ((const pmi_class_info *)t->extra)->nslots;
        }
        for (pm_ssize_t i = 0; i < n; i++) inside += visit_item(kind, items[i], young);
        inside += visit_item(kind, (pm_object *)(uintptr_t)t, young);
        return inside;
    } else if (t->traverse == pmi_subtype_traverse && PMI_HT(t)->static_base == &pm_object_type) {
        /* Instances of Python classes over object, in subtype_traverse's
         * order: each heap class's __slots__ cells (the class first), the
         * dict, the inline values by key index, the class.  (object
         * has no traverse of its own to run last; over any other static
         * base the hook runs.) */
        const pm_type *c = t;
        do {
            const pmi_heaptype *ht = PMI_HT(c);
            for (pm_ssize_t i = 0; i < ht->nslots; i++)
                inside += visit_item(kind, *(pm_object **)(void *)((char *)op + ht->members[i].offset),
                                     young);
            c = c->base;
        } while (c && pmi_is_heaptype(c));
        if (t->dictoffset >= pm_object_type.basicsize) {
            inside += visit_item(kind, *(pm_object **)(void *)((char *)op + t->dictoffset), young);
            const pmi_dict_values *vs = PMI_HT(t)->cached_keys ? *pmi_inst_values_slot(op) : NULL;
            if (vs)     /* by key index, as pmi_inst_traverse_values */
                for (int i = 0; i < vs->capacity; i++) inside += visit_item(kind, vs->values[i], young);
        }
        inside += visit_item(kind, (pm_object *)(uintptr_t)t, young);
        return inside;
    } else {
        if (t->traverse) {
            if (kind == VISIT_REACHABLE) t->traverse(op, visit_reachable, young);
            else t->traverse(op, kind == VISIT_DECREF ? visit_decref : visit_decref_all, &inside);
        }
        return inside;
    }
    if (n >= GC_DEFER_MIN && d->count < GC_DEFER_SLOTS &&
        (kind != VISIT_REACHABLE || unreachable_is_empty(d->unreachable))) {
        gc_pending *p = d->cur.next ? &d->q[(d->first + d->count++) % GC_DEFER_SLOTS] : &d->cur;
        p->next = items;
        p->end = items + n;
        p->owner = AS_GC(op);
        p->inside = 0;
        GC_PREFETCH(items);
        return 1;               /* no leaf until its items are known */
    }
    pm_ssize_t i = n;
    /* A long array's objects may be anywhere: ask for the one a few items
     * on while visiting this one (prefetching a NULL item is harmless). */
    while (i > GC_PREFETCH_ITEMS) {
        i--;
        GC_PREFETCH(items[i - GC_PREFETCH_ITEMS]);
        inside += visit_item(kind, items[i], young);
    }
    while (i > 0) {
        i--;
        inside += visit_item(kind, items[i], young);
    }
    return inside;
}

/* The oldest array's last item was visited: a decref pass gives its owner
 * LEAF if none was in the set; the next array in the ring becomes the
 * oldest. */
static void defer_pop(enum visit_kind kind, gc_defer *d) {
    if (kind != VISIT_REACHABLE && d->cur.inside == 0) d->cur.owner->gc_prev |= GC_PREV_LEAF;
    if (d->count) {
        d->cur = d->q[d->first];
        d->first = (d->first + 1) % GC_DEFER_SLOTS;
        d->count--;
    } else {
        d->cur.next = NULL;
    }
}

/* Visit the oldest waiting array's next item (the queue is not empty).
 * Returns the item. */
GC_INLINE pm_object *defer_visit_one(enum visit_kind kind, gc_defer *d, pm_gc_head *young) {
    pm_object *const *next = d->cur.next, *const *end = d->cur.end;
    pm_object *o = *next++;
    if (kind == VISIT_REACHABLE) visit_item(kind, o, young);
    else d->cur.inside += visit_item(kind, o, young);
    d->cur.next = next;
    if (next == end) defer_pop(kind, d);
    return o;
}

/* Decref passes, at each step of the walk (op: the object whose turn it
 * is): visit a few waiting items, up to the one naming op. */
GC_INLINE void defer_step(enum visit_kind kind, gc_defer *d, const pm_object *op) {
    for (int k = 0; k < GC_DRAIN_STEP && d->cur.next; k++)
        if (defer_visit_one(kind, d, NULL) == op) break;
}

/* Decref passes, at the end: visit every waiting item. */
static void defer_finish(enum visit_kind kind, gc_defer *d) {
    while (d->cur.next) defer_visit_one(kind, d, NULL);
}

/* 1. gc_refs := ob_refcnt for every object of `containers`. */
static pm_ssize_t update_refs(pm_gc_head *containers) {
    pm_ssize_t n = 0;
    for (pm_gc_head *g = pmi_gc_next(containers); g != containers; g = pmi_gc_next(g)) {
        pm_object *op = FROM_GC(g);
        gc_reset_refs(g, op->ob_refcnt);
        n++;
    }
    return n;
}

/* 2. Take away the references from inside the set. */
static void subtract_refs(pm_gc_head *containers) {
    gc_defer d;
    defer_init(&d, NULL);
    for (pm_gc_head *g = pmi_gc_next(containers); g != containers; g = pmi_gc_next(g)) {
        pm_object *op = FROM_GC(g);
        if (d.cur.next) defer_step(VISIT_DECREF, &d, op);
        if (!traverse_with(VISIT_DECREF, op, op->ob_type, NULL, &d)) g->gc_prev |= GC_PREV_LEAF;
    }
    defer_finish(VISIT_DECREF, &d);
}

/* 1+2 in one walk, for a set that holds EVERY tracked object (a full
 * collection with nothing frozen): then "in the set" is "tracked", so a
 * child met before its own turn can have its gc_refs set on the spot, and
 * the heap is read once instead of twice.  COLLECTING marks "gc_refs set".
 * The next object is asked for before this one is traversed. */
static pm_ssize_t update_and_subtract_refs(pm_gc_head *containers) {
    pm_ssize_t n = 0;
    gc_defer d;
    defer_init(&d, NULL);
    for (pm_gc_head *g = pmi_gc_next(containers), *next; g != containers; g = next) {
        next = pmi_gc_next(g);
        GC_PREFETCH(next);
        pm_object *op = FROM_GC(g);
        if (d.cur.next) defer_step(VISIT_DECREF_ALL, &d, op);
        if (!gc_is_collecting(g)) gc_reset_refs(g, op->ob_refcnt);
        if (!traverse_with(VISIT_DECREF_ALL, op, op->ob_type, NULL, &d)) g->gc_prev |= GC_PREV_LEAF;
        n++;
    }
    defer_finish(VISIT_DECREF_ALL, &d);
    return n;
}

#define may_be_tracked pmi_gc_may_be_tracked

/* _PyTuple_MaybeUntrack's test: a tuple of atoms can never be part of a
 * cycle. */
static int tuple_of_atoms(pm_object *op) {
    pmi_tuple *t = PMI_TUPLE(op);
    pm_ssize_t n = t->ob_base.ob_size;
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *e = t->ob_item[i];
        if (!e || may_be_tracked(e)) return 0;   /* NULL: not fully built yet */
    }
    return 1;
}

/* CPython's untrack_dicts, folded into move_unreachable.  CPython untracks,
 * in full collections and after its untrack_tuples walk, every reachable
 * dict none of whose keys and values "may be tracked" (a gc object other
 * than a tuple, or a tracked tuple).  The scan can decide a dict as it
 * passes it, except when the dict holds a tuple the scan has not reached
 * yet (still COLLECTING): whether that tuple stays tracked is only known
 * once the scan has passed it.  Such a dict waits (DICT_WAIT); the first
 * one is remembered and a walk from it to the end of the list, after the
 * scan, decides the rest (untrack_dicts_from).  The result is CPython's:
 * every tuple has its final state before any waiting dict is decided. */
enum { DICT_KEEP, DICT_UNTRACK, DICT_WAIT };
/* move_unreachable's `untrack` bits. */
enum { UNTRACK_TUPLES = 1, UNTRACK_DICTS = 2 };

static int dict_item_verdict(pm_object *o) {
    if (!pmi_is_gc(o)) return DICT_UNTRACK;
    if (o->ob_type != &pm_tuple_type) return DICT_KEEP;
    const pm_gc_head *g = AS_GC(o);
    if (!g->gc_next) return DICT_UNTRACK;       /* untracked tuple: an atom */
    return gc_is_collecting(g) ? DICT_WAIT : DICT_KEEP;
}

static int dict_verdict(pm_object *d) {
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    int wait = 0;
    while (pm_dict_next(d, &pos, &k, &v)) {
        int a = dict_item_verdict(k), b = dict_item_verdict(v);
        if (a == DICT_KEEP || b == DICT_KEEP) return DICT_KEEP;
        if (a == DICT_WAIT || b == DICT_WAIT) wait = 1;
    }
    return wait ? DICT_WAIT : DICT_UNTRACK;
}

/* The walk for the dicts that waited: from `from` (a reachable dict, in
 * young) to the end of young, whose prev pointers are restored.  Every
 * tuple has its final state now, so no dict waits.  Returns the number
 * untracked. */
static pm_ssize_t untrack_dicts_from(pm_runtime *rt, pm_gc_head *young, pm_gc_head *from) {
    pm_ssize_t n = 0;
    for (pm_gc_head *g = from, *next; g != young; g = next) {
        next = pmi_gc_next(g);
        pm_object *op = FROM_GC(g);
        if (op->ob_type == &pm_dict_type && dict_verdict(op) == DICT_UNTRACK) {
            pmi_gc_untrack(rt, op);
            n++;
        }
    }
    return n;
}

/* 3 (and 4): split `young` into reachable (left in young) and unreachable.
 * With UNTRACK_TUPLES (every collection but the resurrection pass), a
 * reachable tuple of atoms leaves the lists as the scan passes it —
 * CPython's untrack_tuples pass, which walks young in this same order
 * afterwards, folded in to save a walk over the heap; with UNTRACK_DICTS
 * (full collections) so does a dict of atoms (untrack_dicts; see above). */
static void move_unreachable(pm_runtime *rt, pm_gc_head *young, pm_gc_head *unreachable,
                             int untrack, deduce_counts *c) {
    pm_gc_head *prev = young;           /* restores the prev pointers */
    pm_gc_head *g = pmi_gc_next(young);
    /* Counted in locals: through `c` every store to a gc head could alias
     * them, and they would be reloaded per object. */
    pm_ssize_t reachable = 0, untracked = 0;
    gc_defer d;                         /* waiting arrays (see gc_defer) */
    defer_init(&d, unreachable);
    /* Invariant: everything left of g in young is reachable and scanned;
     * everything moved to unreachable carries NEXT_UNREACHABLE; arrays wait
     * only while the unreachable list is empty. */
    while (g != young) {
        uintptr_t gp = g->gc_prev;
        /* gc_refs 0: a waiting item may still name g.  Visit them until g is
         * marked (usually the next one does, in the walk's order) or none is
         * left. */
        while (!(gp >> PM_GC_PREV_SHIFT) && d.cur.next) {
            defer_visit_one(VISIT_REACHABLE, &d, young);
            gp = g->gc_prev;
        }
        if (gp >> PM_GC_PREV_SHIFT) {   /* gc_refs > 0 */
            pm_object *op = FROM_GC(g);
            const pm_type *t = op->ob_type;
            /* traverse may append to young: read g's next only after it.
             * A LEAF has no child in the set: nothing to mark. */
            GC_PREFETCH((void *)(g->gc_next & ~PM_GC_NEXT_UNREACHABLE));
            if (!(gp & GC_PREV_LEAF)) traverse_with(VISIT_REACHABLE, op, t, young, &d);
            int untrack_now = 0;
            if (t == &pm_tuple_type) {
                untrack_now = untrack && tuple_of_atoms(op);
#if PMI_GC_UNTRACK_DICTS
            } else if (t == &pm_dict_type && (untrack & UNTRACK_DICTS)) {
                int v = dict_verdict(op);
                untrack_now = v == DICT_UNTRACK;
                if (v == DICT_WAIT && !c->dict_recheck) c->dict_recheck = g;
#endif
            }
            if (untrack_now) {
                prev->gc_next = g->gc_next;
                if ((pm_gc_head *)young->gc_prev == g) young->gc_prev = (uintptr_t)prev;
                g->gc_next = 0;
                g->gc_prev &= PM_GC_PREV_FINALIZED;
                untracked++;
            } else {
                /* The prev pointer back, FINALIZED kept; COLLECTING, LEAF
                 * and gc_refs go in one store.  (g's own traversal leaves
                 * its gc_prev alone: g has gc_refs > 0.) */
                g->gc_prev = (gp & PM_GC_PREV_FINALIZED) | (uintptr_t)prev;
                prev = g;
                reachable++;
            }
        } else {
            /* Tentatively unreachable: a later object may still reach it. */
            prev->gc_next = g->gc_next;
            pm_gc_head *last = pmi_gc_prev(unreachable);
            last->gc_next = PM_GC_NEXT_UNREACHABLE | (uintptr_t)g;
            g->gc_prev = (g->gc_prev & GC_PREV_LOW) | (uintptr_t)last;   /* see unreachable_prev */
            g->gc_next = PM_GC_NEXT_UNREACHABLE | (uintptr_t)unreachable;
            unreachable->gc_prev = (uintptr_t)g;
        }
        g = (pm_gc_head *)prev->gc_next;
    }
    /* Items still waiting can only name objects already scanned (or not in
     * the set): visiting them would change nothing. */
    young->gc_prev = (uintptr_t)prev;
    unreachable->gc_next &= ~PM_GC_NEXT_UNREACHABLE;
    rt->gc.tracked -= untracked;
    c->reachable += reachable;
    c->untracked += untracked;
}

/* Passes 1-3.  all_tracked: `base` holds every tracked object (the fused
 * pass is valid).  Returns the number of unreachable objects. */
static pm_ssize_t deduce_unreachable(pm_runtime *rt, pm_gc_head *base, pm_gc_head *unreachable,
                                     int all_tracked, int untrack, deduce_counts *c) {
    c->reachable = c->untracked = 0;
    c->dict_recheck = NULL;
    if (all_tracked) {
        c->total = update_and_subtract_refs(base);
    } else {
        c->total = update_refs(base);
        subtract_refs(base);
    }
    pmi_gc_list_init(unreachable);
    move_unreachable(rt, base, unreachable, untrack, c);
    pm_ssize_t garbage = c->total - c->reachable - c->untracked;
    if (c->dict_recheck) {
        pm_ssize_t n = untrack_dicts_from(rt, base, c->dict_recheck);
        c->reachable -= n;
        c->untracked += n;
    }
    return garbage;
}

/* The end of CPython's move_legacy_finalizers: the flag goes, the list is an
 * ordinary list again.  (No object here has a legacy finalizer.) */
static void clear_unreachable_mask(pm_gc_head *unreachable) {
    for (pm_gc_head *g = pmi_gc_next(unreachable); g != unreachable;) {
        g->gc_next &= ~PM_GC_NEXT_UNREACHABLE;
        g->gc_prev &= ~GC_PREV_LEAF;            /* a plain prev pointer again */
        g = pmi_gc_next(g);
    }
}

/* ------------------------------------------------------------------------ */
/* 6. handle_weakrefs                                                        */
/* ------------------------------------------------------------------------ */

static void debug_cycle(pm_runtime *rt, const char *msg, pm_object *op) {
    fprintf(pmi_gc_debug_out(rt), "gc: %s <%s %p>\n", msg, op->ob_type->name, (void *)op);
}

/* One walk over the garbage does three things: clears NEXT_UNREACHABLE and LEAF (the
 * end of CPython's move_legacy_finalizers), prints DEBUG_COLLECTABLE lines,
 * and clears every weakref to garbage — before any callback runs, so that no
 * callback can reach garbage through a still-live weakref.  Then the
 * callbacks of the weakrefs that are not garbage run.  Returns the number of
 * weakrefs freed right after their callback (CPython counts them as
 * collected); *need_finalize says whether any garbage has a finalizer not
 * yet called. */
static pm_ssize_t handle_weakrefs(pm_runtime *rt, pm_gc_head *unreachable, pm_gc_head *old,
                                  int *need_finalize) {
    pm_gc_head wrcb_to_call;
    pm_ssize_t num_freed = 0;
    int debug = rt->gc.debug & PM_GC_DEBUG_COLLECTABLE, fin = 0;
    pmi_gc_list_init(&wrcb_to_call);
    for (pm_gc_head *g = pmi_gc_next(unreachable), *next; g != unreachable; g = next) {
        g->gc_next &= ~PM_GC_NEXT_UNREACHABLE;
        g->gc_prev &= ~GC_PREV_LEAF;            /* a plain prev pointer again */
        next = pmi_gc_next(g);
        pm_object *op = FROM_GC(g);
        const pm_type *t = op->ob_type;
        if (debug) debug_cycle(rt, "collectable", op);
        if (t->finalize && !(g->gc_prev & PM_GC_PREV_FINALIZED)) fin = 1;
        /* A weakref that is itself garbage is cleared: its callback must
         * never run (it could see objects already cleared). */
        if (pmi_weakref_check(op)) pmi_weakref_clear_ref(rt, (pmi_weakref *)op);
        pm_object **list = pmi_weakref_listptr(rt, op, 0);   /* classes' too */
        if (!list) continue;
        for (pmi_weakref *wr = (pmi_weakref *)*list; wr; wr = (pmi_weakref *)*list) {
            pmi_weakref_clear_ref(rt, wr);
            if (!wr->wr_cb) continue;
            pm_gc_head *wg = AS_GC(wr);
            if (wg->gc_next == 0) continue;         /* wr is dying (count 0, queued) */
            if (gc_is_collecting(wg)) continue;     /* wr is garbage too */
            pm_incref(rt, (pm_object *)wr);         /* keep it until its callback ran */
            pmi_gc_list_move(wg, &wrcb_to_call);
        }
    }
    *need_finalize = fin;
    while (!pmi_gc_list_is_empty(&wrcb_to_call)) {
        pm_gc_head *g = pmi_gc_next(&wrcb_to_call);
        pmi_weakref *wr = (pmi_weakref *)FROM_GC(g);
        /* As CPython, the callback stays attached to the (now dead) weakref
         * until the weakref itself goes. */
        if (wr->wr_cb) {
            pm_object *data = wr->wr_data;
            pm_xincref(rt, data);
            if (wr->wr_cb(rt, (pm_object *)wr, data) < 0 || pm_err_occurred(rt))
                pm_err_write_unraisable(rt, "Exception ignored in", (pm_object *)wr);
            pm_xdecref(rt, data);
        }
        pm_decref(rt, (pm_object *)wr);
        if (pmi_gc_next(&wrcb_to_call) == g) pmi_gc_list_move(g, old);   /* still alive */
        else num_freed++;
    }
    return num_freed;
}

/* ------------------------------------------------------------------------ */
/* 7-9. finalizers, resurrection, clearing                                   */
/* ------------------------------------------------------------------------ */

/* Call every finalizer not called yet.  Objects may vanish from
 * `collectable` as finalizers run, so the first one is always taken and
 * moved to `seen`. */
static void finalize_garbage(pm_runtime *rt, pm_gc_head *collectable) {
    pm_gc_head seen;
    pmi_gc_list_init(&seen);
    while (!pmi_gc_list_is_empty(collectable)) {
        pm_gc_head *g = pmi_gc_next(collectable);
        pm_object *op = FROM_GC(g);
        pmi_gc_list_move(g, &seen);
        void (*fin)(pm_runtime *, pm_object *) = op->ob_type->finalize;
        if (fin && !(g->gc_prev & PM_GC_PREV_FINALIZED)) {
            g->gc_prev |= PM_GC_PREV_FINALIZED;
            pm_incref(rt, op);
            fin(rt, op);
            pm_err_write_unraisable(rt, "Exception ignored in", op);
            pm_decref(rt, op);
        }
    }
    pmi_gc_list_merge(&seen, collectable);
}

/* Run passes 1-3 over the garbage again: whatever a finalizer made
 * reachable from outside survives (into `old`), with all it reaches.
 * Returns the number still unreachable. */
static pm_ssize_t handle_resurrected_objects(pm_runtime *rt, pm_gc_head *unreachable,
                                             pm_gc_head *still_unreachable, pm_gc_head *old) {
    deduce_counts c;
    list_clear_collecting(unreachable);
    pm_ssize_t n = deduce_unreachable(rt, unreachable, still_unreachable, 0, 0, &c);
    clear_unreachable_mask(still_unreachable);
    pmi_gc_list_merge(unreachable, old);
    return n;
}

/* Break the cycles: the clear hook of each object drops its references;
 * refcounting does the rest.  An object that outlives its clear hook (it
 * was resurrected, or its type cannot clear) moves to `old`. */
static void delete_garbage(pm_runtime *rt, pm_gc_head *collectable, pm_gc_head *old) {
    while (!pmi_gc_list_is_empty(collectable)) {
        pm_gc_head *g = pmi_gc_next(collectable);
        pm_object *op = FROM_GC(g);
        if (rt->gc.debug & PM_GC_DEBUG_SAVEALL) {
            pm_object *garbage = pm_gc_garbage(rt);
            if (!garbage || pm_list_append(rt, garbage, op) < 0) pm_err_clear(rt);
        } else if (op->ob_type->clear) {
            pm_incref(rt, op);
            op->ob_type->clear(rt, op);
            if (pm_err_occurred(rt)) {
                pm_err_write_unraisable(rt, "Exception ignored in tp_clear of",
                                        (pm_object *)op->ob_type);
            }
            pm_decref(rt, op);
        }
        if (pmi_gc_next(collectable) == g) {
            gc_clear_collecting(g);
            pmi_gc_list_move(g, old);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* One collection                                                            */
/* ------------------------------------------------------------------------ */

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void show_stats_each_generations(pm_runtime *rt) {
    FILE *out = pmi_gc_debug_out(rt);
    fprintf(out, "gc: objects in each generation: %ld %ld %ld\n", (long)pmi_gc_list_size(&rt->gc.gen[0].head),
            (long)pmi_gc_list_size(&rt->gc.gen[1].head), (long)pmi_gc_list_size(&rt->gc.gen[2].head));
    fprintf(out, "gc: objects in permanent generation: %ld\n", (long)pmi_gc_list_size(&rt->gc.permanent));
}

#if PM_DEBUG >= 3
/* After a young collection of `generation`: 1..generation are empty rings
 * (their objects moved up), and generation 0's head is linked both ways
 * (finalizers and callbacks may have tracked new objects there). */
static int young_emptied(const pm_runtime *rt, int generation) {
    const pm_gc_head *h0 = &rt->gc.gen[0].head;
    if (pmi_gc_prev(pmi_gc_next(h0)) != h0 || pmi_gc_next(pmi_gc_prev(h0)) != h0) return 0;
    for (int i = 1; i <= generation; i++) {
        const pm_gc_head *h = &rt->gc.gen[i].head;
        if (!pmi_gc_list_is_empty(h) || pmi_gc_prev(h) != h) return 0;
    }
    return 1;
}
#endif

/* CPython's gc_collect_main.  Returns collected + uncollectable. */
static pm_ssize_t collect_main(pm_runtime *rt, int generation, pm_ssize_t *n_collected,
                               pm_ssize_t *n_uncollectable, int nofail) {
    pm_ssize_t m = 0;           /* objects collected */
    pm_ssize_t n = 0;           /* objects uncollectable: none without legacy finalizers */
    pm_gc_head unreachable, final_unreachable;
    deduce_counts c;
    double t1 = 0;

    if (rt->gc.debug & PM_GC_DEBUG_STATS) {
        fprintf(pmi_gc_debug_out(rt), "gc: collecting generation %d...\n", generation);
        show_stats_each_generations(rt);
        t1 = now_seconds();
    }

    /* Counts: the next generation saw one more collection of this one. */
    if (generation + 1 < PM_GC_NUM_GENERATIONS) (rt->gc.gen[generation + 1].count)++;
    for (int i = 0; i <= generation; i++) rt->gc.gen[i].count = 0;

    /* Merge the younger generations into the one collected. */
    for (int i = 0; i < generation; i++) pmi_gc_list_merge(&rt->gc.gen[i].head, &rt->gc.gen[generation].head);
    pm_gc_head *young = &rt->gc.gen[generation].head;
    pm_gc_head *old = generation < PM_GC_NUM_GENERATIONS - 1 ? &rt->gc.gen[generation + 1].head : young;

    /* 1-4 (and untrack_dicts in full collections, as CPython's):  a full
     * collection with nothing frozen holds every tracked object */
    int all_tracked = generation == PM_GC_NUM_GENERATIONS - 1 && pmi_gc_list_is_empty(&rt->gc.permanent);
    int untrack = UNTRACK_TUPLES | (generation == PM_GC_NUM_GENERATIONS - 1 ? UNTRACK_DICTS : 0);
    pm_ssize_t garbage = deduce_unreachable(rt, young, &unreachable, all_tracked, untrack, &c);

    /* 5: promote */
    if (young != old) {
        if (generation == PM_GC_NUM_GENERATIONS - 2) rt->gc.long_lived_pending += c.reachable;
        pmi_gc_list_merge(young, old);
    } else {
        rt->gc.long_lived_pending = 0;
        rt->gc.long_lived_total = c.reachable;
    }

    /* 6 (with the unreachable-flag cleanup and DEBUG_COLLECTABLE) */
    int need_finalize = 0;
    if (garbage > 0) m += handle_weakrefs(rt, &unreachable, old, &need_finalize);

    /* 7-8: only a finalizer can resurrect */
    if (need_finalize) {
        finalize_garbage(rt, &unreachable);
        garbage = handle_resurrected_objects(rt, &unreachable, &final_unreachable, old);
    } else {
        pmi_gc_list_init(&final_unreachable);
        pmi_gc_list_merge(&unreachable, &final_unreachable);
    }

    /* 9 */
    m += garbage;
    delete_garbage(rt, &final_unreachable, old);
    /* PM_DEBUG 3: a full collection is followed by the whole walk (full
     * collections are amortised by the long-lived rule); after a young one
     * the O(1) check of the lists it emptied. */
    PMI_WALK(PMI_CHECK_(generation == PM_GC_NUM_GENERATIONS - 1 ? pm_gc_check(rt, stderr) == 0
                                                                 : young_emptied(rt, generation)));

    if (rt->gc.debug & PM_GC_DEBUG_STATS) {
        double d = now_seconds() - t1;
        fprintf(pmi_gc_debug_out(rt), "gc: done, %ld unreachable, %ld uncollectable, %.4fs elapsed\n",
                (long)(n + m), (long)n, d);
    }

    /* Free lists are dropped by full collections only. */
    if (generation == PM_GC_NUM_GENERATIONS - 1) {
        pm_freelists_clear(rt);
        (void)pmi_mem_trim_after_full_gc(rt); /* give memory back (rate-limited, mem.c) */
    }

    if (pm_err_occurred(rt)) {
        if (nofail) pm_err_clear(rt);
        else pm_err_write_unraisable(rt, "Exception ignored in garbage collection", NULL);
    }

    if (n_collected) *n_collected = m;
    if (n_uncollectable) *n_uncollectable = n;
    pm_gc_generation_stats *st = &rt->gc.stats[generation];
    st->collections++;
    st->collected += m;
    st->uncollectable += n;
    return n + m;
}

static void invoke_callbacks(pm_runtime *rt, const char *phase, int generation,
                             pm_ssize_t collected, pm_ssize_t uncollectable) {
    if (rt->gc.ncallbacks == 0) return;
    pm_gc_info info = {generation, collected, uncollectable};
    /* By index over the live array, as CPython walks gc.callbacks: a callback
     * may add or remove entries. */
    for (size_t i = 0; i < rt->gc.ncallbacks; i++) {
        pmi_gc_callback_entry e = rt->gc.callbacks[i];
        if (e.cb(rt, phase, &info, e.ctx) < 0 || pm_err_occurred(rt))
            pm_err_write_unraisable(rt, "Exception ignored in gc callback", NULL);
    }
}

pm_ssize_t pmi_gc_collect(pm_runtime *rt, int generation) {
    PMI_IASSERT(rt->gc.collecting);
    pm_ssize_t collected = 0, uncollectable = 0;
    invoke_callbacks(rt, "start", generation, 0, 0);
    pm_gc_event ev;             /* the collector timeline (gctrace.c), when on */
    int traced = rt->gc.trace != NULL;
    if (traced) pmi_gctrace_begin(rt, generation, &ev);
    pm_ssize_t result = collect_main(rt, generation, &collected, &uncollectable, 0);
    if (traced) pmi_gctrace_end(rt, &ev, collected, uncollectable);
    invoke_callbacks(rt, "stop", generation, collected, uncollectable);
    return result;
}

/* CPython's gc_collect_generations: the oldest generation over its
 * threshold, with the long-lived rule holding back full collections.
 * force_young (torture mode): generation 0 counts as over its threshold. */
static pm_ssize_t collect_generations(pm_runtime *rt, int force_young) {
    for (int i = PM_GC_NUM_GENERATIONS - 1; i >= 0; i--) {
        if (rt->gc.gen[i].count > rt->gc.gen[i].threshold || (i == 0 && force_young)) {
            /* Avoid quadratic behaviour as the heap grows: a full collection
             * waits until the objects that survived into generation 2 since
             * the last one are more than a quarter of those there then. */
            if (i == PM_GC_NUM_GENERATIONS - 1 &&
                rt->gc.long_lived_pending < rt->gc.long_lived_total / 4)
                continue;
            return pmi_gc_collect(rt, i);
        }
    }
    return 0;
}

void pmi_gc_on_alloc(pm_runtime *rt) {
    if (!rt->gc.enabled || rt->gc.collecting || pm_err_occurred(rt)) return;
    if (!rt->gc.torture && (rt->gc.gen[0].threshold == 0 || rt->gc.gen[0].count <= rt->gc.gen[0].threshold))
        return;
    rt->gc.collecting = 1;
    collect_generations(rt, rt->gc.torture);
    rt->gc.collecting = 0;
}

/* ------------------------------------------------------------------------ */
/* Finalizers called from dealloc (PEP 442)                                  */
/* ------------------------------------------------------------------------ */

int pmi_gc_is_dying(pm_runtime *rt, const pm_object *o) {
    (void)rt;
    return o->ob_refcnt <= 0; /* being freed, or queued (object.c: pending_link) */
}

int pmi_gc_finalize_from_dealloc(pm_runtime *rt, pm_object *o) {
    void (*fin)(pm_runtime *, pm_object *) = o->ob_type->finalize;
    if (!fin) return 0;
    int gc = pmi_is_gc(o);
    if (gc && (AS_GC(o)->gc_prev & PM_GC_PREV_FINALIZED)) return 0;
    pmi_err_saved saved;
    pmi_err_save(rt, &saved);
    o->ob_refcnt = 1;                   /* temporarily alive */
    if (gc) pmi_gc_track(rt, o);        /* a collection during the call must see it */
    fin(rt, o);
    pm_err_write_unraisable(rt, "Exception ignored in", o);
    if (gc) AS_GC(o)->gc_prev |= PM_GC_PREV_FINALIZED;
    pmi_err_restore(rt, &saved);
    if (--o->ob_refcnt == 0) {
        if (gc) pmi_gc_untrack(rt, o);
        return 0;
    }
    return 1;                           /* resurrected: stays alive and tracked */
}

int pm_gc_dealloc_begin(pm_runtime *rt, pm_object *o) {
    if (o->ob_type->finalize && pmi_gc_finalize_from_dealloc(rt, o)) return 1;
    if (o->ob_type->weaklistoffset > 0) pmi_weakref_clear_all(rt, o);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Tracking                                                                  */
/* ------------------------------------------------------------------------ */

void pmi_gc_track(pm_runtime *rt, pm_object *o) {
    PMI_IASSERT(pmi_is_gc(o) && o->ob_refcnt > 0);
    pm_gc_head *g = PMI_AS_GC(o);
    if (g->gc_next) return;
    pmi_gc_list_append(g, &rt->gc.gen[0].head);
    rt->gc.tracked++;
}

void pmi_gc_untrack_listed(pm_runtime *rt, pm_object *o) {
    pm_gc_head *g = PMI_AS_GC(o);
    pmi_gc_list_remove(g);
    rt->gc.tracked--;
}

int pm_is_gc(const pm_object *o) { return pmi_is_gc(o); }

int pm_gc_is_tracked(const pm_object *o) {
    return pmi_is_gc(o) && PMI_AS_GC(o)->gc_next != 0;
}

/* ------------------------------------------------------------------------ */
/* The invariant walk                                                        */
/* ------------------------------------------------------------------------ */

/* Check one list; returns the problems found and adds its length to *n. */
static int check_list(const pm_gc_head *head, const char *name, pm_ssize_t *n, FILE *out) {
    int bad = 0;
    if (pmi_gc_next(pmi_gc_prev(head)) != head || (head->gc_next & PM_GC_NEXT_UNREACHABLE)) {
        if (out) fprintf(out, "gc check: %s: head's links broken\n", name);
        return 1;
    }
    const pm_gc_head *prev = head;
    pm_ssize_t len = 0;
    for (const pm_gc_head *g = pmi_gc_next(head); g != head; prev = g, g = pmi_gc_next(g)) {
        if (!g || (g->gc_next & PM_GC_NEXT_UNREACHABLE) || pmi_gc_prev(g) != prev) {
            if (out) fprintf(out, "gc check: %s: link broken after %ld objects\n", name, (long)len);
            return bad + 1;                 /* the ring cannot be followed further */
        }
        if (g->gc_prev & ~(PM_GC_PREV_MASK | PM_GC_PREV_FINALIZED)) {
            if (out) fprintf(out, "gc check: %s: object %ld has collection flags set\n", name, (long)len);
            bad++;
        }
        const pm_object *o = PMI_FROM_GC(g);
        if (!o->ob_type || !(o->ob_type->flags & PM_TPFLAGS_GC)) {
            if (out) fprintf(out, "gc check: %s: object %ld (%p) is not of a gc type\n", name,
                             (long)len, (const void *)o);
            bad++;
        } else if (o->ob_refcnt <= 0) {
            if (out) fprintf(out, "gc check: %s: object %ld (%s at %p) has count %ld\n", name,
                             (long)len, o->ob_type->name, (const void *)o, (long)o->ob_refcnt);
            bad++;
        }
        if (++len < 0) break;
    }
    *n += len;
    return bad;
}

int pm_gc_check(pm_runtime *rt, FILE *out) {
    static const char *const names[PM_GC_NUM_GENERATIONS] = {"generation 0", "generation 1",
                                                             "generation 2"};
    int bad = 0;
    pm_ssize_t n = 0;
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++)
        bad += check_list(&rt->gc.gen[i].head, names[i], &n, out);
    bad += check_list(&rt->gc.permanent, "permanent generation", &n, out);
    if (n != rt->gc.tracked) {
        if (out) fprintf(out, "gc check: %ld objects in the lists, %ld tracked\n", (long)n,
                         (long)rt->gc.tracked);
        bad++;
    }
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) {
        if (rt->gc.gen[i].count < 0) {
            if (out) fprintf(out, "gc check: generation %d has count %ld\n", i, (long)rt->gc.gen[i].count);
            bad++;
        }
    }
    return bad ? -1 : 0;
}

/* ------------------------------------------------------------------------ */
/* Setup and teardown                                                        */
/* ------------------------------------------------------------------------ */

void pmi_gc_init(pm_runtime *rt) {
    static const pm_ssize_t thresholds[PM_GC_NUM_GENERATIONS] = {
        PMI_GC_THRESHOLD0, PMI_GC_THRESHOLD1, PMI_GC_THRESHOLD2};
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) {
        pmi_gc_list_init(&rt->gc.gen[i].head);
        rt->gc.gen[i].count = 0;
        rt->gc.gen[i].threshold = thresholds[i];
    }
    pmi_gc_list_init(&rt->gc.permanent);
    rt->gc.tracked = 0;
    rt->gc.long_lived_total = rt->gc.long_lived_pending = 0;
    rt->gc.enabled = 1;
    rt->gc.collecting = 0;
    rt->gc.debug = 0;
    /* Torture mode: the runtime's option, or PYMM_GC_TORTURE=1 in the
     * environment for every runtime (so a whole test suite runs under it
     * even where it makes its runtimes with pm_runtime_new(NULL)). */
    const char *env = getenv("PYMM_GC_TORTURE");
    rt->gc.torture = rt->config.gc_torture != 0 || (env && env[0] == '1' && env[1] == 0);
    rt->gc.shutdown = 0;
    memset(rt->gc.stats, 0, sizeof rt->gc.stats);
    rt->gc.callbacks = NULL;
    rt->gc.ncallbacks = rt->gc.callbacks_cap = 0;
    rt->gc.garbage = NULL;
    rt->gc.debug_out = NULL;
    rt->gc.unraisable_hook = NULL;
    rt->gc.unraisable_ctx = NULL;
    rt->weakref.fin_first = rt->weakref.fin_last = NULL;
    rt->weakref.fin_index = 0;
}

void pmi_gc_fini(pm_runtime *rt) {
    /* weakref.finalize's atexit hook: pending finalizers run, newest first. */
    pmi_finalize_atexit(rt);
    /* A last full collection, as CPython's finalization makes
     * (_PyGC_CollectNoFail: no callbacks, errors dropped), so that the
     * finalizers and weakref callbacks of leftover cycles run while the
     * object layer is still whole. */
    if (!rt->gc.collecting) {
        rt->gc.collecting = 1;
        pmi_err_saved saved;
        pmi_err_save(rt, &saved);
        collect_main(rt, PM_GC_NUM_GENERATIONS - 1, NULL, NULL, 1);
        pmi_err_restore(rt, &saved);
    }
    PM_CLEAR(rt, rt->gc.garbage);
    pm_free(rt, rt->gc.callbacks);
    rt->gc.callbacks = NULL;
    rt->gc.ncallbacks = rt->gc.callbacks_cap = 0;
    pm_gctrace_stop(rt);
    /* Nothing collects during the rest of teardown. */
    rt->gc.enabled = 0;
    rt->gc.collecting = 1;
}
