/*
 * referrers.c — "why is this alive?": the shortest chain of references
 * from a set of roots to an object (pm_why_alive), and how many bytes of a
 * set of objects each root reaches (pm_roots_bytes).
 *
 * The search is breadth-first over traverse, the same edges the collector
 * follows, so "reachable" means what it means to the collector; a non-gc
 * object (str, int ...) is a leaf.  The first time the target is visited,
 * the parent links give a shortest chain.
 *
 *   nodes[]: BFS queue and parent tree in one array (append-only)
 *      0 root A   1 root B   2 A's dict (parent 0)   3 list (parent 2) ...
 *   seen: open-addressed table, object address -> node index + 1
 *
 * Labels are computed afterwards, for the chain only, by looking at each
 * container for the next object: a dict value by its key, a list or tuple
 * item by index, an instance and its __dict__ fused into "Type.attr".
 * Anything else is named by its position among the container's referents
 * ("cell.<referent 0>").  CPython has no such function; gc.get_referrers
 * is the tool people use by hand, one level at a time.
 *
 * Every allocation (the node array, the table, the result) can fail:
 * MemoryError, nothing kept.  The search itself runs no Python code (only
 * traverse); the labels may call repr on str and int keys only.
 */
#include <string.h>
#include "core/runtime.h"
#include "gc/gc.h"

typedef struct bfs_node {
    pm_object *obj;             /* borrowed: the heap is not changed meanwhile */
    size_t parent;              /* index of the node that reached it; SIZE_MAX: a root */
    size_t root;                /* index of the root it was reached from */
} bfs_node;

typedef struct bfs {
    pm_runtime *rt;
    bfs_node *nodes;            /* queue and tree */
    size_t n, cap;              /* used / allocated nodes */
    size_t *seen;               /* node index + 1 per slot, 0 = empty */
    size_t mask;                /* table slots - 1 */
    size_t cur;                 /* node whose referents are being visited */
    pm_object *target;          /* stop when visited (NULL: walk everything) */
    size_t found;               /* its node, or SIZE_MAX */
    int failed;                 /* an allocation failed: MemoryError set */
} bfs;

static size_t ptr_hash(const void *p) {
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static size_t *seen_slot(const bfs *b, const pm_object *o) {
    for (size_t i = ptr_hash(o) & b->mask;; i = (i + 1) & b->mask)
        if (b->seen[i] == 0 || b->nodes[b->seen[i] - 1].obj == o) return &b->seen[i];
}

static int seen_grow(bfs *b) {
    size_t nslots = (b->mask + 1) * 2;
    size_t *t = pm_malloc(b->rt, nslots * sizeof *t);
    if (!t) return -1;
    memset(t, 0, nslots * sizeof *t);
    pm_free(b->rt, b->seen);
    b->seen = t;
    b->mask = nslots - 1;
    for (size_t k = 0; k < b->n; k++) *seen_slot(b, b->nodes[k].obj) = k + 1;
    return 0;
}

/* Add o (reached from parent) unless seen: 1 added, 0 seen, -1 failed. */
static int bfs_add(bfs *b, pm_object *o, size_t parent, size_t root) {
    size_t *slot = seen_slot(b, o);
    if (*slot) return 0;
    if (b->n == b->cap) {
        size_t ncap = b->cap * 2;
        bfs_node *nn = pm_realloc(b->rt, b->nodes, ncap * sizeof *nn);
        if (!nn) return -1;
        b->nodes = nn;
        b->cap = ncap;
    }
    b->nodes[b->n] = (bfs_node){o, parent, root};
    *slot = ++b->n;
    if (b->n * 2 > b->mask + 1 && seen_grow(b) < 0) return -1;
    return 1;
}

static int bfs_visit(pm_object *o, void *arg) {
    bfs *b = arg;
    if (!o) return 0;
    int r = bfs_add(b, o, b->cur, b->nodes[b->cur].root);
    if (r < 0) {
        b->failed = 1;
        return 1;
    }
    if (r > 0 && o == b->target) {
        b->found = b->n - 1;
        return 1;
    }
    return 0;
}

static int bfs_init(bfs *b, pm_runtime *rt, pm_object *target) {
    memset(b, 0, sizeof *b);
    b->rt = rt;
    b->target = target;
    b->found = SIZE_MAX;
    b->cap = 64;
    b->mask = 127;
    b->nodes = pm_malloc(rt, b->cap * sizeof *b->nodes);
    b->seen = pm_malloc(rt, (b->mask + 1) * sizeof *b->seen);
    if (!b->nodes || !b->seen) return -1;
    memset(b->seen, 0, (b->mask + 1) * sizeof *b->seen);
    return 0;
}

static void bfs_fini(bfs *b) {
    pm_free(b->rt, b->nodes);
    pm_free(b->rt, b->seen);
}

/* Walk from roots: 0 done (b->found set if the target was reached), -1
 * MemoryError. */
static int bfs_run(bfs *b, pm_object *const *roots, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (!roots[i]) continue;
        int r = bfs_add(b, roots[i], SIZE_MAX, i);
        if (r < 0) return -1;
        if (r > 0 && roots[i] == b->target) {
            b->found = b->n - 1;
            return 0;
        }
    }
    for (b->cur = 0; b->cur < b->n; b->cur++) {
        pm_object *o = b->nodes[b->cur].obj;
        if (!pm_is_gc(o) || !o->ob_type->traverse) continue;
        o->ob_type->traverse(o, bfs_visit, b);
        if (b->failed) return -1;
        if (b->found != SIZE_MAX) return 0;
    }
    return 0;
}

/* ---- labels ---------------------------------------------------------------- */

typedef struct nth_ctx {
    pm_object *want;            /* the referent looked for */
    long k;                     /* referents passed so far */
    long found;                 /* its position, or -1 */
} nth_ctx;

static int nth_visit(pm_object *o, void *arg) {
    nth_ctx *c = arg;
    if (o == c->want) {
        c->found = c->k;
        return 1;
    }
    c->k++;
    return 0;
}

/* A key as people write it: repr for str and int, else <Type>. */
static int key_text(pm_runtime *rt, pm_object *key, char *out, size_t len) {
    if (pm_str_check(key) || pm_int_check(key)) {
        pm_object *r = pm_repr(rt, key);
        if (!r) return -1;
        const char *u = pm_str_as_utf8(rt, r, NULL);
        if (!u) {
            pm_decref(rt, r);
            return -1;
        }
        snprintf(out, len, "%s", u);
        pm_decref(rt, r);
        return 0;
    }
    snprintf(out, len, "<%s>", pm_type_name(key->ob_type));
    return 0;
}

/* The slot of container c holding x, as text appended to a prefix: "[3]",
 * "['k']", ".<referent 2>".  0, or -1 (MemoryError). */
static int slot_text(pm_runtime *rt, pm_object *c, pm_object *x, char *out, size_t len) {
    char key[200];
    if (pm_dict_check(c)) {
        pm_ssize_t pos = 0;
        pm_object *k, *v;
        while (pm_dict_next(c, &pos, &k, &v)) {
            if (v == x || k == x) {
                if (key_text(rt, k, key, sizeof key) < 0) return -1;
                snprintf(out, len, v == x ? "[%s]" : ".keys() has %s", key);
                return 0;
            }
        }
    } else if (pm_list_check(c)) {
        for (pm_ssize_t i = 0; i < pm_list_size(c); i++)
            if (pm_list_get(rt, c, i) == x) {
                snprintf(out, len, "[%ld]", (long)i);
                return 0;
            }
    } else if (pm_tuple_check(c)) {
        for (pm_ssize_t i = 0; i < pm_tuple_size(c); i++)
            if (pm_tuple_get(rt, c, i) == x) {
                snprintf(out, len, "[%ld]", (long)i);
                return 0;
            }
    }
    if (!pm_type_check(c) && pm_object_dict_ptr(rt, c)) {
        /* An instance holding its attributes inline (no dict yet): its
         * __dict__ names them.  Reading it makes the dict, as in CPython. */
        pm_object *name = pm_str_from_cstr(rt, "__dict__");
        pm_object *d = name ? pm_getattr(rt, c, name) : NULL;
        pm_xdecref(rt, name);
        if (!d) {
            if (pm_err_kind(rt) == PM_EXC_MemoryError) return -1;
            pm_err_clear(rt);
        } else {
            int r = 0, done = 0;
            if (pm_dict_check(d)) {
                pm_ssize_t pos = 0;
                pm_object *k, *v;
                while (pm_dict_next(d, &pos, &k, &v))
                    if (v == x && pm_str_check(k)) {
                        const char *u = pm_str_as_utf8(rt, k, NULL);
                        if (!u) r = -1;
                        else snprintf(out, len, ".%s", u);
                        done = 1;
                        break;
                    }
            }
            pm_decref(rt, d);
            if (done) return r;
        }
    }
    nth_ctx nc = {x, 0, -1};
    if (pm_is_gc(c) && c->ob_type->traverse) c->ob_type->traverse(c, nth_visit, &nc);
    snprintf(out, len, ".<referent %ld>", nc.found);
    return 0;
}

/* Is d the instance dict of o? */
static int is_instance_dict(pm_runtime *rt, pm_object *o, pm_object *d) {
    if (pm_dict_check(o) || pm_type_check(o)) return 0;
    pm_object **dp = pm_object_dict_ptr(rt, o);
    return dp && *dp == d;
}

static int append_link(pm_runtime *rt, pm_object *list, const char *prefix, const char *slot) {
    pm_object *s = pm_str_from_format(rt, "%s%s", prefix, slot);
    if (!s) return -1;
    int r = pm_list_append(rt, list, s);
    pm_decref(rt, s);
    return r;
}

pm_object *pm_why_alive(pm_runtime *rt, pm_object *const *roots, const char *const *names, size_t n,
                        pm_object *target) {
    bfs b;
    size_t *chain = NULL;
    pm_object *result = NULL;
    if (bfs_init(&b, rt, target) < 0 || bfs_run(&b, roots, n) < 0) goto nomem;
    if (b.found == SIZE_MAX) {
        bfs_fini(&b);
        pm_incref(rt, PM_NONE);
        return PM_NONE;
    }
    size_t len = 0;
    for (size_t k = b.found; k != SIZE_MAX; k = b.nodes[k].parent) len++;
    chain = pm_malloc(rt, len * sizeof *chain);
    if (!chain) goto nomem;
    size_t j = len;
    for (size_t k = b.found; k != SIZE_MAX; k = b.nodes[k].parent) chain[--j] = k;
    result = pm_list_new(rt);
    if (!result) goto fail;
    for (size_t i = 0; i + 1 < len; i++) {
        pm_object *c = b.nodes[chain[i]].obj, *x = b.nodes[chain[i + 1]].obj;
        char prefix[256], slot[256];
        if (i == 0) {
            const char *nm = names && names[b.nodes[chain[0]].root] ? names[b.nodes[chain[0]].root] : NULL;
            if (nm) snprintf(prefix, sizeof prefix, "%s", nm);
            else snprintf(prefix, sizeof prefix, "<root %s>", pm_type_name(c->ob_type));
        } else {
            snprintf(prefix, sizeof prefix, "%s", pm_type_name(c->ob_type));
        }
        if (i + 2 < len && is_instance_dict(rt, c, x)) {
            /* Type.attr: the instance and its __dict__ are one link */
            pm_object *v = b.nodes[chain[i + 2]].obj;
            pm_ssize_t pos = 0;
            pm_object *k, *val;
            slot[0] = 0;
            while (pm_dict_next(x, &pos, &k, &val))
                if (val == v && pm_str_check(k)) {
                    const char *u = pm_str_as_utf8(rt, k, NULL);
                    if (!u) goto fail;
                    snprintf(slot, sizeof slot, ".%s", u);
                    break;
                }
            if (slot[0]) {
                if (append_link(rt, result, prefix, slot) < 0) goto fail;
                i++;
                continue;
            }
        }
        if (slot_text(rt, c, x, slot, sizeof slot) < 0 || append_link(rt, result, prefix, slot) < 0) goto fail;
    }
    pm_free(rt, chain);
    bfs_fini(&b);
    return result;
nomem:
    if (!pm_err_occurred(rt)) pm_err_nomem(rt);
fail:
    pm_xdecref(rt, result);
    pm_free(rt, chain);
    bfs_fini(&b);
    return NULL;
}

int pm_roots_bytes(pm_runtime *rt, pm_object *const *roots, size_t n, pm_object *const *objs, size_t nobjs,
                   size_t *bytes, size_t *count) {
    for (size_t i = 0; i < n; i++) {
        bfs b;
        bytes[i] = count[i] = 0;
        if (bfs_init(&b, rt, NULL) < 0 || bfs_run(&b, &roots[i], 1) < 0) {
            bfs_fini(&b);
            pm_err_nomem(rt);
            return -1;
        }
        for (size_t k = 0; k < nobjs; k++)
            if (objs[k] && *seen_slot(&b, objs[k])) {
                bytes[i] += pm_getsizeof(rt, objs[k]);
                count[i]++;
            }
        bfs_fini(&b);
    }
    return 0;
}

/* ---- objects held from outside the heap ------------------------------------ */

typedef struct inside_ctx {
    bfs *b;                     /* every tracked object, indexed */
    size_t *inside;             /* per node: references from tracked objects */
} inside_ctx;

static int count_inside(pm_object *o, void *arg) {
    inside_ctx *c = arg;
    if (!o) return 0;
    size_t k = *seen_slot(c->b, o);
    if (k) c->inside[k - 1]++;
    return 0;
}

pm_object *pm_gc_held_from_outside(pm_runtime *rt, pm_object *const *known, size_t nknown) {
    bfs b;
    size_t *inside = NULL;
    pm_object *result = NULL;
    if (bfs_init(&b, rt, NULL) < 0) goto nomem;
    /* Index every tracked object (the three generations and the permanent
     * one), as the collector's update_refs would. */
    for (int g = 0; g <= PM_GC_NUM_GENERATIONS; g++) {
        pm_gc_head *head = g < PM_GC_NUM_GENERATIONS ? &rt->gc.gen[g].head : &rt->gc.permanent;
        for (pm_gc_head *h = pmi_gc_next(head); h != head; h = pmi_gc_next(h))
            if (bfs_add(&b, PMI_FROM_GC(h), SIZE_MAX, 0) < 0) goto nomem;
    }
    inside = pm_calloc(rt, b.n ? b.n : 1, sizeof *inside);
    if (!inside) goto nomem;
    inside_ctx c = {&b, inside};
    for (size_t i = 0; i < b.n; i++) {
        pm_object *o = b.nodes[i].obj;
        if (o->ob_type->traverse) o->ob_type->traverse(o, count_inside, &c);
    }
    for (size_t i = 0; i < nknown; i++) (void)count_inside(known[i], &c);
    result = pm_list_new(rt);
    if (!result) goto fail;
    for (size_t i = 0; i < b.n; i++) {
        pm_object *o = b.nodes[i].obj;
        if (o->ob_refcnt < PM_IMMORTAL_REFCNT && (size_t)o->ob_refcnt > inside[i] &&
            pm_list_append(rt, result, o) < 0)
            goto fail;
    }
    pm_free(rt, inside);
    bfs_fini(&b);
    return result;
nomem:
    pm_err_nomem(rt);
fail:
    pm_xdecref(rt, result);
    pm_free(rt, inside);
    bfs_fini(&b);
    return NULL;
}
