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
 *                         (folded into step 3).
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
 *   - rt->gc_collecting is 1 during a collection; nothing starts another.
 *   - Unreachable objects are referenced only by unreachable objects, so
 *     no callback of step 6 can reach them; only finalizers (step 7) can
 *     resurrect, which is why step 8 runs only when a finalizer ran.
 *
 * Differences from CPython, on purpose
 *   - No legacy (tp_del) finalizers exist, so nothing is "uncollectable".
 *   - Fewer walks over the heap, same results: in a full collection with
 *     nothing frozen, steps 1 and 2 are one walk (every tracked object is in
 *     the set, so a child can get its gc_refs when first met); step 4 is
 *     done as step 3 passes each tuple (the order CPython's separate walk
 *     would use); the counts come from step 3, not from list walks; the
 *     unreachable flag is cleared during step 6's walk; step 8 is skipped
 *     when no finalizer ran (it cannot find anything then).
 *   - Weakref callbacks and gc callbacks are C functions with a data
 *     object; errors go to the runtime's unraisable hook.
 */
#include "gc/gc.h"
#include "objects/containers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- tunables, each with its reason ---------------------------------------- */

/* CPython 3.11's defaults (gc.get_threshold() == (700, 10, 10)): a young
 * collection per 700 net gc allocations keeps short-lived cycles cheap; the
 * older generations are collected 10 times less often each. */
#define PMI_GC_THRESHOLD0 700
#define PMI_GC_THRESHOLD1 10
#define PMI_GC_THRESHOLD2 10
/* 1: full collections untrack dicts that hold no trackable object, as
 * CPython 3.11 does; the dict re-tracks itself when one is inserted. */
#define PMI_GC_UNTRACK_DICTS 1

#define AS_GC(o) PMI_AS_GC(o)
#define FROM_GC(g) PMI_FROM_GC(g)

/* ------------------------------------------------------------------------ */
/* The gc head                                                               */
/* ------------------------------------------------------------------------ */

static inline pm_gc_head *gc_next(const pm_gc_head *g) { return (pm_gc_head *)g->gc_next; }
static inline void gc_set_next(pm_gc_head *g, pm_gc_head *n) { g->gc_next = (uintptr_t)n; }
static inline pm_gc_head *gc_prev(const pm_gc_head *g) {
    return (pm_gc_head *)(g->gc_prev & PM_GC_PREV_MASK);
}
static inline void gc_set_prev(pm_gc_head *g, pm_gc_head *p) {
    g->gc_prev = (g->gc_prev & ~PM_GC_PREV_MASK) | (uintptr_t)p;
}
static inline int gc_is_collecting(const pm_gc_head *g) {
    return (g->gc_prev & PM_GC_PREV_COLLECTING) != 0;
}
static inline void gc_clear_collecting(pm_gc_head *g) { g->gc_prev &= ~PM_GC_PREV_COLLECTING; }
static inline pm_ssize_t gc_get_refs(const pm_gc_head *g) {
    return (pm_ssize_t)(g->gc_prev >> PM_GC_PREV_SHIFT);
}
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
static inline int is_gc(const pm_object *o) { return (o->ob_type->flags & PM_TPFLAGS_GC) != 0; }

/* ------------------------------------------------------------------------ */
/* Lists (CPython's gc_list_*)                                               */
/* ------------------------------------------------------------------------ */

static void list_init(pm_gc_head *l) { l->gc_next = l->gc_prev = (uintptr_t)l; }
static int list_is_empty(const pm_gc_head *l) { return l->gc_next == (uintptr_t)l; }

/* Move node from its list to the end of `list`. */
static void list_move(pm_gc_head *node, pm_gc_head *list) {
    pm_gc_head *from_prev = gc_prev(node), *from_next = gc_next(node);
    gc_set_next(from_prev, from_next);
    gc_set_prev(from_next, from_prev);
    pm_gc_head *to_prev = gc_prev(list);
    gc_set_prev(node, to_prev);
    gc_set_next(to_prev, node);
    gc_set_prev(list, node);
    gc_set_next(node, list);
}

/* Append every node of `from` to `to`; `from` becomes empty. */
static void list_merge(pm_gc_head *from, pm_gc_head *to) {
    if (!list_is_empty(from)) {
        pm_gc_head *to_tail = gc_prev(to), *from_head = gc_next(from), *from_tail = gc_prev(from);
        gc_set_next(to_tail, from_head);
        gc_set_prev(from_head, to_tail);
        gc_set_next(from_tail, to);
        gc_set_prev(to, from_tail);
    }
    list_init(from);
}

static pm_ssize_t list_size(const pm_gc_head *l) {
    pm_ssize_t n = 0;
    for (const pm_gc_head *g = gc_next(l); g != l; g = gc_next(g)) n++;
    return n;
}

static void list_clear_collecting(pm_gc_head *l) {
    for (pm_gc_head *g = gc_next(l); g != l; g = gc_next(g)) gc_clear_collecting(g);
}

static pm_gc_head *gen_head(pm_runtime *rt, int g) {
    return g == 0 ? &rt->gc_gen0 : g == 1 ? &rt->gc_gen1 : &rt->gc_gen2;
}
static pm_ssize_t *gen_count(pm_runtime *rt, int g) {
    return g == 0 ? &rt->gc_gen0_count : g == 1 ? &rt->gc_count1 : &rt->gc_count2;
}
static pm_ssize_t gen_threshold(const pm_runtime *rt, int g) {
    return g == 0 ? rt->gc_threshold0 : g == 1 ? rt->gc_threshold1 : rt->gc_threshold2;
}

static FILE *debug_out(const pm_runtime *rt) { return rt->gc_debug_out ? rt->gc_debug_out : stderr; }

/* ------------------------------------------------------------------------ */
/* Saving the pending error around code that must start clean                */
/* ------------------------------------------------------------------------ */

typedef struct err_saved {
    pm_exc kind;                /* PM_EXC_NONE: nothing was pending */
    char msg[PM_ERR_MSG_MAX];   /* its message */
} err_saved;

static void err_save(pm_runtime *rt, err_saved *s) {
    s->kind = rt->err_kind;
    if (s->kind != PM_EXC_NONE) {
        memcpy(s->msg, rt->err_msg, sizeof s->msg);
        pm_err_clear(rt);
    }
}
static void err_restore(pm_runtime *rt, const err_saved *s) {
    if (s->kind != PM_EXC_NONE) pm_err_set(rt, s->kind, s->msg);
}

/* ------------------------------------------------------------------------ */
/* Unraisable errors                                                         */
/* ------------------------------------------------------------------------ */

void pm_set_unraisable_hook(pm_runtime *rt, pm_unraisable_hook hook, void *ctx) {
    rt->unraisable_hook = hook;
    rt->unraisable_ctx = hook ? ctx : NULL;
}

void pm_err_write_unraisable(pm_runtime *rt, const char *where, pm_object *obj) {
    pm_exc kind = rt->err_kind;
    if (kind == PM_EXC_NONE) return;
    char msg[PM_ERR_MSG_MAX];
    memcpy(msg, rt->err_msg, sizeof msg);
    pm_err_clear(rt);
    if (!where) where = "Exception ignored in";
    if (rt->unraisable_hook) {
        rt->unraisable_hook(rt, where, obj, kind, msg, rt->unraisable_ctx);
        pm_err_clear(rt);
        return;
    }
    /* CPython's default hook prints repr(obj) and a traceback; repr could run
     * arbitrary code in the middle of a collection, so the default hook
     * prints the type and address only. */
    FILE *out = debug_out(rt);
    if (obj) fprintf(out, "%s: <%s object at %p>\n", where, obj->ob_type->name, (void *)obj);
    else fprintf(out, "%s:\n", where);
    fprintf(out, "%s%s%s\n", pm_exc_name(kind), msg[0] ? ": " : "", msg);
}

/* ------------------------------------------------------------------------ */
/* Passes 1-3: deduce_unreachable                                            */
/* ------------------------------------------------------------------------ */

/* What deduce_unreachable found. */
typedef struct deduce_counts {
    pm_ssize_t total;           /* objects in the set */
    pm_ssize_t reachable;       /* left in the set (reachable, still tracked) */
    pm_ssize_t untracked;       /* tuples untracked on the way (pass 4) */
} deduce_counts;

/* 1. gc_refs := ob_refcnt for every object of `containers`. */
static pm_ssize_t update_refs(pm_gc_head *containers) {
    pm_ssize_t n = 0;
    for (pm_gc_head *g = gc_next(containers); g != containers; g = gc_next(g)) {
        pm_object *op = FROM_GC(g);
        gc_reset_refs(g, op->ob_refcnt);
        n++;
    }
    return n;
}

/* 2. visit_decref: a reference from inside the set.  arg counts them. */
static int visit_decref(pm_object *op, void *arg) {
    if (is_gc(op)) {
        pm_gc_head *g = AS_GC(op);
        if (gc_is_collecting(g)) {
            gc_decref(g);
            ++*(pm_ssize_t *)arg;
        }
    }
    return 0;
}

static void subtract_refs(pm_gc_head *containers) {
    for (pm_gc_head *g = gc_next(containers); g != containers; g = gc_next(g)) {
        pm_object *op = FROM_GC(g);
        const pm_type *t = op->ob_type;
        pm_ssize_t inside = 0;
        if (t->traverse) t->traverse(op, visit_decref, &inside);
        if (!inside) g->gc_prev |= GC_PREV_LEAF;
    }
}

/* 1+2 in one walk, for a set that holds EVERY tracked object (a full
 * collection with nothing frozen): then "in the set" is "tracked", so a
 * child met before its own turn can have its gc_refs set on the spot, and
 * the heap is read once instead of twice.  COLLECTING marks "gc_refs set". */
static int visit_decref_all(pm_object *op, void *arg) {
    if (is_gc(op)) {
        pm_gc_head *g = AS_GC(op);
        if (g->gc_next == 0) return 0;          /* untracked (or read-only static) */
        if (!gc_is_collecting(g)) gc_reset_refs(g, op->ob_refcnt);
        gc_decref(g);
        ++*(pm_ssize_t *)arg;
    }
    return 0;
}

static pm_ssize_t update_and_subtract_refs(pm_gc_head *containers) {
    pm_ssize_t n = 0;
    for (pm_gc_head *g = gc_next(containers); g != containers; g = gc_next(g)) {
        pm_object *op = FROM_GC(g);
        if (!gc_is_collecting(g)) gc_reset_refs(g, op->ob_refcnt);
        const pm_type *t = op->ob_type;
        pm_ssize_t inside = 0;
        if (t->traverse) t->traverse(op, visit_decref_all, &inside);
        if (!inside) g->gc_prev |= GC_PREV_LEAF;
        n++;
    }
    return n;
}

/* 3. visit_reachable: op is reachable from an object known reachable. */
static int visit_reachable(pm_object *op, void *arg) {
    pm_gc_head *reachable = arg;
    if (!is_gc(op)) return 0;
    pm_gc_head *g = AS_GC(op);
    /* Objects of other generations, and those already scanned (to the left
     * of move_unreachable's position), are not COLLECTING. */
    if (!gc_is_collecting(g)) return 0;
    if (g->gc_next & PM_GC_NEXT_UNREACHABLE) {
        /* Had gc_refs == 0 when the scan passed it, but is reachable after
         * all: unlink it from the unreachable list by hand (the flags make
         * the list functions unusable there) and append it to young, where
         * the scan will reach it again. */
        pm_gc_head *prev = gc_prev(g);
        pm_gc_head *next = (pm_gc_head *)(g->gc_next & ~PM_GC_NEXT_UNREACHABLE);
        prev->gc_next = g->gc_next;           /* keeps NEXT_UNREACHABLE */
        gc_set_prev(next, prev);
        pm_gc_head *last = gc_prev(reachable);
        gc_set_prev(g, last);
        gc_set_next(last, g);
        gc_set_next(g, reachable);
        gc_set_prev(reachable, g);
        gc_set_refs(g, 1);
    } else if (gc_get_refs(g) == 0) {
        /* Still ahead of the scan: just tell it. */
        gc_set_refs(g, 1);
    }
    return 0;
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

/* 3 (and 4): split `young` into reachable (left in young) and unreachable.
 * With untrack_tuples, a reachable tuple of atoms leaves the lists as the
 * scan passes it — CPython's untrack_tuples pass, which walks young in this
 * same order afterwards, folded in to save a walk over the heap. */
static void move_unreachable(pm_runtime *rt, pm_gc_head *young, pm_gc_head *unreachable,
                             int untrack_tuples, deduce_counts *c) {
    pm_gc_head *prev = young;           /* restores the prev pointers */
    pm_gc_head *g = gc_next(young);
    /* Invariant: everything left of g in young is reachable and scanned;
     * everything moved to unreachable carries NEXT_UNREACHABLE. */
    while (g != young) {
        if (gc_get_refs(g)) {
            pm_object *op = FROM_GC(g);
            const pm_type *t = op->ob_type;
            /* traverse may append to young: read g's next only after it.
             * A LEAF has no child in the set: nothing to mark. */
            if (t->traverse && !(g->gc_prev & GC_PREV_LEAF)) t->traverse(op, visit_reachable, young);
            if (untrack_tuples && t == &pm_tuple_type && tuple_of_atoms(op)) {
                prev->gc_next = g->gc_next;
                if ((pm_gc_head *)young->gc_prev == g) young->gc_prev = (uintptr_t)prev;
                g->gc_next = 0;
                g->gc_prev &= PM_GC_PREV_FINALIZED;
                rt->gc_tracked--;
                c->untracked++;
            } else {
                gc_set_prev(g, prev);
                gc_clear_collecting(g);
                prev = g;
                c->reachable++;
            }
        } else {
            /* Tentatively unreachable: a later object may still reach it. */
            prev->gc_next = g->gc_next;
            pm_gc_head *last = gc_prev(unreachable);
            last->gc_next = PM_GC_NEXT_UNREACHABLE | (uintptr_t)g;
            gc_set_prev(g, last);
            g->gc_next = PM_GC_NEXT_UNREACHABLE | (uintptr_t)unreachable;
            unreachable->gc_prev = (uintptr_t)g;
        }
        g = (pm_gc_head *)prev->gc_next;
    }
    young->gc_prev = (uintptr_t)prev;
    unreachable->gc_next &= ~PM_GC_NEXT_UNREACHABLE;
}

/* Passes 1-3.  all_tracked: `base` holds every tracked object (the fused
 * pass is valid).  Returns the number of unreachable objects. */
static pm_ssize_t deduce_unreachable(pm_runtime *rt, pm_gc_head *base, pm_gc_head *unreachable,
                                     int all_tracked, int untrack_tuples, deduce_counts *c) {
    c->reachable = c->untracked = 0;
    if (all_tracked) {
        c->total = update_and_subtract_refs(base);
    } else {
        c->total = update_refs(base);
        subtract_refs(base);
    }
    list_init(unreachable);
    move_unreachable(rt, base, unreachable, untrack_tuples, c);
    return c->total - c->reachable - c->untracked;
}

/* The end of CPython's move_legacy_finalizers: the flag goes, the list is an
 * ordinary list again.  (No object here has a legacy finalizer.) */
static void clear_unreachable_mask(pm_gc_head *unreachable) {
    for (pm_gc_head *g = gc_next(unreachable); g != unreachable;) {
        g->gc_next &= ~PM_GC_NEXT_UNREACHABLE;
        g = gc_next(g);
    }
}

#if PMI_GC_UNTRACK_DICTS
static void untrack_dicts(pm_runtime *rt, pm_gc_head *head) {
    for (pm_gc_head *g = gc_next(head), *next; g != head; g = next) {
        next = gc_next(g);
        pm_object *op = FROM_GC(g);
        if (op->ob_type != &pm_dict_type) continue;
        pm_ssize_t pos = 0;
        pm_object *k, *v;
        int keep = 0;
        while (!keep && pm_dict_next(op, &pos, &k, &v)) keep = may_be_tracked(k) || may_be_tracked(v);
        if (!keep) pmi_gc_untrack(rt, op);
    }
}
#endif

/* ------------------------------------------------------------------------ */
/* 6. handle_weakrefs                                                        */
/* ------------------------------------------------------------------------ */

static void debug_cycle(pm_runtime *rt, const char *msg, pm_object *op) {
    fprintf(debug_out(rt), "gc: %s <%s %p>\n", msg, op->ob_type->name, (void *)op);
}

/* One walk over the garbage does three things: clears NEXT_UNREACHABLE (the
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
    int debug = rt->gc_debug & PM_GC_DEBUG_COLLECTABLE, fin = 0;
    list_init(&wrcb_to_call);
    for (pm_gc_head *g = gc_next(unreachable), *next; g != unreachable; g = next) {
        g->gc_next &= ~PM_GC_NEXT_UNREACHABLE;
        next = gc_next(g);
        pm_object *op = FROM_GC(g);
        const pm_type *t = op->ob_type;
        if (debug) debug_cycle(rt, "collectable", op);
        if (t->finalize && !(g->gc_prev & PM_GC_PREV_FINALIZED)) fin = 1;
        /* A weakref that is itself garbage is cleared: its callback must
         * never run (it could see objects already cleared). */
        if (t == &pm_weakref_type) pmi_weakref_clear_ref((pmi_weakref *)op);
        if (t->weaklistoffset <= 0) continue;
        pm_object **list = pmi_weakref_listptr(op);
        for (pmi_weakref *wr = (pmi_weakref *)*list; wr; wr = (pmi_weakref *)*list) {
            pmi_weakref_clear_ref(wr);
            if (!wr->wr_cb) continue;
            pm_gc_head *wg = AS_GC(wr);
            if (wg->gc_next == 0) continue;         /* wr is dying (count 0, queued) */
            if (gc_is_collecting(wg)) continue;     /* wr is garbage too */
            pm_incref(rt, (pm_object *)wr);         /* keep it until its callback ran */
            list_move(wg, &wrcb_to_call);
        }
    }
    *need_finalize = fin;
    while (!list_is_empty(&wrcb_to_call)) {
        pm_gc_head *g = gc_next(&wrcb_to_call);
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
        if (gc_next(&wrcb_to_call) == g) list_move(g, old);   /* still alive */
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
    list_init(&seen);
    while (!list_is_empty(collectable)) {
        pm_gc_head *g = gc_next(collectable);
        pm_object *op = FROM_GC(g);
        list_move(g, &seen);
        void (*fin)(pm_runtime *, pm_object *) = op->ob_type->finalize;
        if (fin && !(g->gc_prev & PM_GC_PREV_FINALIZED)) {
            g->gc_prev |= PM_GC_PREV_FINALIZED;
            pm_incref(rt, op);
            fin(rt, op);
            pm_err_write_unraisable(rt, "Exception ignored in", op);
            pm_decref(rt, op);
        }
    }
    list_merge(&seen, collectable);
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
    list_merge(unreachable, old);
    return n;
}

/* Break the cycles: the clear hook of each object drops its references;
 * refcounting does the rest.  An object that outlives its clear hook (it
 * was resurrected, or its type cannot clear) moves to `old`. */
static void delete_garbage(pm_runtime *rt, pm_gc_head *collectable, pm_gc_head *old) {
    while (!list_is_empty(collectable)) {
        pm_gc_head *g = gc_next(collectable);
        pm_object *op = FROM_GC(g);
        if (rt->gc_debug & PM_GC_DEBUG_SAVEALL) {
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
        if (gc_next(collectable) == g) {
            gc_clear_collecting(g);
            list_move(g, old);
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
    FILE *out = debug_out(rt);
    fprintf(out, "gc: objects in each generation: %ld %ld %ld\n", (long)list_size(&rt->gc_gen0),
            (long)list_size(&rt->gc_gen1), (long)list_size(&rt->gc_gen2));
    fprintf(out, "gc: objects in permanent generation: %ld\n", (long)list_size(&rt->gc_permanent));
}

/* CPython's gc_collect_main.  Returns collected + uncollectable. */
static pm_ssize_t collect_main(pm_runtime *rt, int generation, pm_ssize_t *n_collected,
                               pm_ssize_t *n_uncollectable, int nofail) {
    pm_ssize_t m = 0;           /* objects collected */
    pm_ssize_t n = 0;           /* objects uncollectable: none without legacy finalizers */
    pm_gc_head unreachable, final_unreachable;
    deduce_counts c;
    double t1 = 0;

    if (rt->gc_debug & PM_GC_DEBUG_STATS) {
        fprintf(debug_out(rt), "gc: collecting generation %d...\n", generation);
        show_stats_each_generations(rt);
        t1 = now_seconds();
    }

    /* Counts: the next generation saw one more collection of this one. */
    if (generation + 1 < PM_GC_NUM_GENERATIONS) (*gen_count(rt, generation + 1))++;
    for (int i = 0; i <= generation; i++) *gen_count(rt, i) = 0;

    /* Merge the younger generations into the one collected. */
    for (int i = 0; i < generation; i++) list_merge(gen_head(rt, i), gen_head(rt, generation));
    pm_gc_head *young = gen_head(rt, generation);
    pm_gc_head *old = generation < PM_GC_NUM_GENERATIONS - 1 ? gen_head(rt, generation + 1) : young;

    /* 1-4: a full collection with nothing frozen holds every tracked object */
    int all_tracked = generation == PM_GC_NUM_GENERATIONS - 1 && list_is_empty(&rt->gc_permanent);
    pm_ssize_t garbage = deduce_unreachable(rt, young, &unreachable, all_tracked, 1, &c);

    /* 5: promote */
    if (young != old) {
        if (generation == PM_GC_NUM_GENERATIONS - 2) rt->gc_long_lived_pending += c.reachable;
        list_merge(young, old);
    } else {
#if PMI_GC_UNTRACK_DICTS
        untrack_dicts(rt, young);
#endif
        rt->gc_long_lived_pending = 0;
        rt->gc_long_lived_total = c.reachable;
    }

    /* 6 (with the unreachable-flag cleanup and DEBUG_COLLECTABLE) */
    int need_finalize = 0;
    if (garbage > 0) m += handle_weakrefs(rt, &unreachable, old, &need_finalize);

    /* 7-8: only a finalizer can resurrect */
    if (need_finalize) {
        finalize_garbage(rt, &unreachable);
        garbage = handle_resurrected_objects(rt, &unreachable, &final_unreachable, old);
    } else {
        list_init(&final_unreachable);
        list_merge(&unreachable, &final_unreachable);
    }

    /* 9 */
    m += garbage;
    delete_garbage(rt, &final_unreachable, old);

    if (rt->gc_debug & PM_GC_DEBUG_STATS) {
        double d = now_seconds() - t1;
        fprintf(debug_out(rt), "gc: done, %ld unreachable, %ld uncollectable, %.4fs elapsed\n",
                (long)(n + m), (long)n, d);
    }

    /* Free lists are dropped by full collections only. */
    if (generation == PM_GC_NUM_GENERATIONS - 1) pm_freelists_clear(rt);

    if (pm_err_occurred(rt)) {
        if (nofail) pm_err_clear(rt);
        else pm_err_write_unraisable(rt, "Exception ignored in garbage collection", NULL);
    }

    if (n_collected) *n_collected = m;
    if (n_uncollectable) *n_uncollectable = n;
    pm_gc_generation_stats *st = &rt->gc_stats[generation];
    st->collections++;
    st->collected += m;
    st->uncollectable += n;
    return n + m;
}

static void invoke_callbacks(pm_runtime *rt, const char *phase, int generation,
                             pm_ssize_t collected, pm_ssize_t uncollectable) {
    if (rt->gc_ncallbacks == 0) return;
    pm_gc_info info = {generation, collected, uncollectable};
    /* By index over the live array, as CPython walks gc.callbacks: a callback
     * may add or remove entries. */
    for (size_t i = 0; i < rt->gc_ncallbacks; i++) {
        pmi_gc_callback_entry e = rt->gc_callbacks[i];
        if (e.cb(rt, phase, &info, e.ctx) < 0 || pm_err_occurred(rt))
            pm_err_write_unraisable(rt, "Exception ignored in gc callback", NULL);
    }
}

static pm_ssize_t collect_with_callback(pm_runtime *rt, int generation) {
    pm_ssize_t collected = 0, uncollectable = 0;
    invoke_callbacks(rt, "start", generation, 0, 0);
    pm_ssize_t result = collect_main(rt, generation, &collected, &uncollectable, 0);
    invoke_callbacks(rt, "stop", generation, collected, uncollectable);
    return result;
}

/* CPython's gc_collect_generations: the oldest generation over its
 * threshold, with the long-lived rule holding back full collections.
 * force_young (torture mode): generation 0 counts as over its threshold. */
static pm_ssize_t collect_generations(pm_runtime *rt, int force_young) {
    for (int i = PM_GC_NUM_GENERATIONS - 1; i >= 0; i--) {
        if (*gen_count(rt, i) > gen_threshold(rt, i) || (i == 0 && force_young)) {
            /* Avoid quadratic behaviour as the heap grows: a full collection
             * waits until the objects that survived into generation 2 since
             * the last one are more than a quarter of those there then. */
            if (i == PM_GC_NUM_GENERATIONS - 1 &&
                rt->gc_long_lived_pending < rt->gc_long_lived_total / 4)
                continue;
            return collect_with_callback(rt, i);
        }
    }
    return 0;
}

void pmi_gc_on_alloc(pm_runtime *rt) {
    if (!rt->gc_enabled || rt->gc_collecting || pm_err_occurred(rt)) return;
    if (!rt->gc_torture && (rt->gc_threshold0 == 0 || rt->gc_gen0_count <= rt->gc_threshold0))
        return;
    rt->gc_collecting = 1;
    collect_generations(rt, rt->gc_torture);
    rt->gc_collecting = 0;
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
    int gc = is_gc(o);
    if (gc && (AS_GC(o)->gc_prev & PM_GC_PREV_FINALIZED)) return 0;
    err_saved saved;
    err_save(rt, &saved);
    o->ob_refcnt = 1;                   /* temporarily alive */
    if (gc) pmi_gc_track(rt, o);        /* a collection during the call must see it */
    fin(rt, o);
    pm_err_write_unraisable(rt, "Exception ignored in", o);
    if (gc) AS_GC(o)->gc_prev |= PM_GC_PREV_FINALIZED;
    err_restore(rt, &saved);
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
/* Public API                                                                */
/* ------------------------------------------------------------------------ */

void pm_gc_enable(pm_runtime *rt) { rt->gc_enabled = 1; }
void pm_gc_disable(pm_runtime *rt) { rt->gc_enabled = 0; }
int pm_gc_isenabled(pm_runtime *rt) { return rt->gc_enabled; }

pm_ssize_t pm_gc_collect(pm_runtime *rt, int generation) {
    if (generation < 0 || generation >= PM_GC_NUM_GENERATIONS) {
        pm_err_set(rt, PM_EXC_ValueError, "invalid generation");
        return -1;
    }
    if (rt->gc_collecting) return 0;    /* already collecting: don't do anything */
    err_saved saved;
    err_save(rt, &saved);
    rt->gc_collecting = 1;
    pm_ssize_t n = collect_with_callback(rt, generation);
    rt->gc_collecting = 0;
    err_restore(rt, &saved);
    return n;
}

void pm_gc_get_count(pm_runtime *rt, pm_ssize_t count[3]) {
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) count[i] = *gen_count(rt, i);
}

void pm_gc_get_threshold(pm_runtime *rt, pm_ssize_t threshold[3]) {
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) threshold[i] = gen_threshold(rt, i);
}

void pm_gc_set_threshold(pm_runtime *rt, pm_ssize_t t0, pm_ssize_t t1, pm_ssize_t t2) {
    if (t0 >= 0) rt->gc_threshold0 = t0;
    if (t1 >= 0) rt->gc_threshold1 = t1;
    if (t2 >= 0) rt->gc_threshold2 = t2;
}

void pm_gc_set_debug(pm_runtime *rt, int flags) { rt->gc_debug = flags; }
int pm_gc_get_debug(pm_runtime *rt) { return rt->gc_debug; }
void pm_gc_set_debug_output(pm_runtime *rt, FILE *out) { rt->gc_debug_out = out; }

int pm_gc_is_finalized(const pm_object *o) {
    return is_gc(o) && (AS_GC(o)->gc_prev & PM_GC_PREV_FINALIZED) != 0;
}

void pm_gc_freeze(pm_runtime *rt) {
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) {
        list_merge(gen_head(rt, i), &rt->gc_permanent);
        rt->gc_gen0_count = 0;
    }
}

void pm_gc_unfreeze(pm_runtime *rt) { list_merge(&rt->gc_permanent, &rt->gc_gen2); }

pm_ssize_t pm_gc_get_freeze_count(pm_runtime *rt) { return list_size(&rt->gc_permanent); }

pm_object *pm_gc_garbage(pm_runtime *rt) {
    if (!rt->gc_garbage) rt->gc_garbage = pm_list_new(rt);
    return rt->gc_garbage;
}

int pm_gc_callback_add(pm_runtime *rt, pm_gc_callback cb, void *ctx) {
    if (!cb) {
        pmi_err_badarg(rt, "pm_gc_callback_add");
        return -1;
    }
    if (rt->gc_ncallbacks == rt->gc_callbacks_cap) {
        size_t cap = rt->gc_callbacks_cap ? rt->gc_callbacks_cap * 2 : 4;
        pmi_gc_callback_entry *a = pm_realloc(rt, rt->gc_callbacks, cap * sizeof *a);
        if (!a) {
            pm_err_nomem(rt);
            return -1;
        }
        rt->gc_callbacks = a;
        rt->gc_callbacks_cap = cap;
    }
    rt->gc_callbacks[rt->gc_ncallbacks++] = (pmi_gc_callback_entry){cb, ctx};
    return 0;
}

int pm_gc_callback_remove(pm_runtime *rt, pm_gc_callback cb, void *ctx) {
    for (size_t i = 0; i < rt->gc_ncallbacks; i++) {
        if (rt->gc_callbacks[i].cb == cb && rt->gc_callbacks[i].ctx == ctx) {
            memmove(&rt->gc_callbacks[i], &rt->gc_callbacks[i + 1],
                    (rt->gc_ncallbacks - i - 1) * sizeof rt->gc_callbacks[0]);
            if (--rt->gc_ncallbacks == 0) {      /* give the array back */
                pm_free(rt, rt->gc_callbacks);
                rt->gc_callbacks = NULL;
                rt->gc_callbacks_cap = 0;
            }
            return 0;
        }
    }
    pm_err_set(rt, PM_EXC_ValueError, "list.remove(x): x not in list");
    return -1;
}

void pm_gc_get_stats(pm_runtime *rt, pm_gc_generation_stats stats[3]) {
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) stats[i] = rt->gc_stats[i];
}

/* ---- get_objects / get_referrers / get_referents ------------------------- */

pm_object *pm_gc_get_objects(pm_runtime *rt, int generation) {
    if (generation >= PM_GC_NUM_GENERATIONS) {
        pm_err_format(rt, PM_EXC_ValueError,
                      "generation parameter must be less than the number of "
                      "available generations (%i)", PM_GC_NUM_GENERATIONS);
        return NULL;
    }
    if (generation < -1) {
        pm_err_set(rt, PM_EXC_ValueError, "generation parameter cannot be negative");
        return NULL;
    }
    int lo = generation < 0 ? 0 : generation, hi = generation < 0 ? PM_GC_NUM_GENERATIONS - 1 : generation;
    /* Make the list first (a gc allocation may collect), then fill it without
     * allocating: the generation lists must not move under the walk. */
    pm_object *result = pm_list_new(rt);
    if (!result) return NULL;
    pm_ssize_t total = 0;
    for (int i = lo; i <= hi; i++) total += list_size(gen_head(rt, i));
    pmi_list *l = PMI_LIST(result);
    if (total > 0) {
        l->ob_item = pm_malloc(rt, (size_t)total * sizeof(pm_object *));
        if (!l->ob_item) {
            pm_decref(rt, result);
            return pm_err_nomem(rt);
        }
        l->allocated = total;
    }
    pm_ssize_t k = 0;
    for (int i = lo; i <= hi; i++) {
        pm_gc_head *h = gen_head(rt, i);
        for (pm_gc_head *g = gc_next(h); g != h; g = gc_next(g)) {
            pm_object *op = FROM_GC(g);
            if (op == result) continue;
            l->ob_item[k++] = pm_newref(rt, op);
        }
    }
    l->ob_base.ob_size = k;
    return result;
}

typedef struct referrers_arg {
    pm_object *const *objs;     /* what we look for */
    pm_ssize_t n;
} referrers_arg;

static int referrers_visit(pm_object *o, void *arg) {
    const referrers_arg *a = arg;
    for (pm_ssize_t i = 0; i < a->n; i++)
        if (a->objs[i] == o) return 1;
    return 0;
}

pm_object *pm_gc_get_referrers(pm_runtime *rt, pm_object *const *objs, pm_ssize_t n) {
    pm_object *result = pm_list_new(rt);
    if (!result) return NULL;
    referrers_arg a = {objs, n};
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) {
        pm_gc_head *h = gen_head(rt, i);
        for (pm_gc_head *g = gc_next(h); g != h; g = gc_next(g)) {
            pm_object *op = FROM_GC(g);
            if (op == result || !op->ob_type->traverse) continue;
            /* pm_list_append grows the item array with pm_realloc only: no
             * gc allocation, so no collection moves the list under us. */
            if (op->ob_type->traverse(op, referrers_visit, &a) && pm_list_append(rt, result, op) < 0) {
                pm_decref(rt, result);
                return NULL;
            }
        }
    }
    return result;
}

typedef struct referents_arg {
    pm_runtime *rt;
    pm_object *list;            /* the result */
} referents_arg;

static int referents_visit(pm_object *o, void *arg) {
    referents_arg *a = arg;
    return pm_list_append(a->rt, a->list, o) < 0 ? -1 : 0;
}

pm_object *pm_gc_get_referents(pm_runtime *rt, pm_object *const *objs, pm_ssize_t n) {
    pm_object *result = pm_list_new(rt);
    if (!result) return NULL;
    referents_arg a = {rt, result};
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *o = objs[i];
        if (!is_gc(o) || !o->ob_type->traverse) continue;
        if (o->ob_type->traverse(o, referents_visit, &a)) {
            pm_decref(rt, result);
            return NULL;
        }
    }
    return result;
}

/* ---- gc types written in C ------------------------------------------------- */

pm_object *pm_gc_new(pm_runtime *rt, const pm_type *t) {
    if (!(t->flags & PM_TPFLAGS_GC)) return pmi_err_badarg(rt, "pm_gc_new");
    return pmi_gc_new(rt, t);
}
void pm_gc_track(pm_runtime *rt, pm_object *o) { pmi_gc_track(rt, o); }
void pm_gc_untrack(pm_runtime *rt, pm_object *o) { pmi_gc_untrack(rt, o); }
void pm_gc_del(pm_runtime *rt, pm_object *o) { pmi_object_free(rt, o); }

/* ------------------------------------------------------------------------ */
/* Setup and teardown                                                        */
/* ------------------------------------------------------------------------ */

void pmi_gc_init(pm_runtime *rt) {
    list_init(&rt->gc_gen1);
    list_init(&rt->gc_gen2);
    list_init(&rt->gc_permanent);
    rt->gc_count1 = rt->gc_count2 = 0;
    rt->gc_threshold0 = PMI_GC_THRESHOLD0;
    rt->gc_threshold1 = PMI_GC_THRESHOLD1;
    rt->gc_threshold2 = PMI_GC_THRESHOLD2;
    rt->gc_long_lived_total = rt->gc_long_lived_pending = 0;
    rt->gc_enabled = 1;
    rt->gc_collecting = 0;
    rt->gc_debug = 0;
    /* Torture mode: the runtime's option, or PYMM_GC_TORTURE=1 in the
     * environment for every runtime (so a whole test suite runs under it
     * even where it makes its runtimes with pm_runtime_new(NULL)). */
    const char *env = getenv("PYMM_GC_TORTURE");
    rt->gc_torture = rt->config.gc_torture != 0 || (env && env[0] == '1' && env[1] == 0);
    rt->gc_shutdown = 0;
    memset(rt->gc_stats, 0, sizeof rt->gc_stats);
    rt->gc_callbacks = NULL;
    rt->gc_ncallbacks = rt->gc_callbacks_cap = 0;
    rt->gc_garbage = NULL;
    rt->gc_debug_out = NULL;
    rt->unraisable_hook = NULL;
    rt->unraisable_ctx = NULL;
    rt->fin_first = rt->fin_last = NULL;
    rt->fin_index = 0;
}

void pmi_gc_fini(pm_runtime *rt) {
    /* weakref.finalize's atexit hook: pending finalizers run, newest first. */
    pmi_finalize_atexit(rt);
    /* A last full collection, as CPython's finalization makes
     * (_PyGC_CollectNoFail: no callbacks, errors dropped), so that the
     * finalizers and weakref callbacks of leftover cycles run while the
     * object layer is still whole. */
    if (!rt->gc_collecting) {
        rt->gc_collecting = 1;
        err_saved saved;
        err_save(rt, &saved);
        collect_main(rt, PM_GC_NUM_GENERATIONS - 1, NULL, NULL, 1);
        err_restore(rt, &saved);
    }
    PM_CLEAR(rt, rt->gc_garbage);
    pm_free(rt, rt->gc_callbacks);
    rt->gc_callbacks = NULL;
    rt->gc_ncallbacks = rt->gc_callbacks_cap = 0;
    /* Nothing collects during the rest of teardown. */
    rt->gc_enabled = 0;
    rt->gc_collecting = 1;
}
