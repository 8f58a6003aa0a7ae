/*
 * fuzz_api.c — a libFuzzer harness over the public API (include/pymm.h).
 *
 * Each input is a program: a byte stream read by a tiny interpreter that
 * makes objects into 16 slots and calls the API on them, chosen and
 * parameterised by the next bytes:
 *
 *   raw memory     pm_malloc / calloc / realloc / free of sizes around
 *                  every size class and the small/large boundary, with a
 *                  fill pattern checked before each free
 *   objects        ints (small, huge, from text), floats, str (UTF-8 that
 *                  may be invalid, code points), bytes, bytearray, lists,
 *                  tuples, dicts, sets, slices, class instances
 *   operations     repr/str/hash/compare/len/contains/getitem/setitem/
 *                  delitem with ints and slices of interesting steps (0, 1,
 *                  -1, 2**62, 2**63-1, -2**63, 10**30), list and str
 *                  methods, iteration
 *   memoryview     views of bytes/bytearray, casts to every format with
 *                  shapes, slices with huge steps, items, tolist, tobytes,
 *                  hex, compare, release, toreadonly, slice assignment
 *   graphs         a gc node type of our own with two references, a
 *                  PEP 442 finalizer that may resurrect or allocate, weak
 *                  references with callbacks, weakref.finalize, gc
 *                  callbacks that allocate or fail, collections, nesting
 *                  thousands deep (the recursion guard)
 *   faults         pm_fault_inject at the nth allocation, transient or
 *                  persistent
 *
 * Invariants checked (abort = a finding):
 *   - a call that fails reports an error; a call that succeeds leaves none;
 *   - after the input: every object dropped, finalizers detached, the gc
 *     run, free lists cleared, the heap is back to the bytes in use at the
 *     start, and pm_alloc_check / pm_gc_check pass;
 *   - under ASan+UBSan (the only way this is built): no memory error, no
 *     undefined behaviour, no leak of system memory.
 *
 * One runtime per input, so inputs are independent and reproduce alone.
 * Sizes are capped (a few hundred KiB per allocation) so that libFuzzer's
 * malloc limit never fires on legitimate requests.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pymm.h"

#define NSLOT 16
#define NRAW 8
/* Containers are kept to this many items when they grow by concatenation:
 * t + t repeated shares one deep structure 2**k times, and its repr is then
 * legitimately exponential (the long run's one timeout was such an input). */
#define MAX_FANOUT 64

typedef struct fz {
    const uint8_t *p;               /* next input byte */
    size_t n;                       /* bytes left */
    pm_runtime *rt;                 /* this input's runtime */
    pm_object *slot[NSLOT];         /* owned references, or NULL */
    unsigned char *raw[NRAW];       /* raw blocks from pm_malloc */
    size_t rawsize[NRAW];           /* their requested sizes */
    unsigned char rawfill[NRAW];    /* the byte each block is filled with */
    pm_object *keep;                /* list where finalizers resurrect nodes */
    pm_object *finalizers;          /* list of weakref.finalize objects made */
    pm_object *cls;                 /* a class made on demand */
    int gc_callbacks;               /* gc callbacks registered */
    int gc_cb_mode;                 /* what the gc callback does (bits) */
    int in_gc_cb;                   /* 1 while the gc callback runs */
    int trace;                      /* PYMM_FUZZ_TRACE set: print each call */
} fz;

#define FAIL(...) do { fprintf(stderr, "fuzz_api: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

/* ---- reading the input ----------------------------------------------------- */

static unsigned u8(fz *f) {
    if (!f->n) return 0;
    f->n--;
    return *f->p++;
}
static unsigned u16(fz *f) { return u8(f) | u8(f) << 8; }
static uint64_t u64(fz *f) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)u8(f) << (8 * i);
    return v;
}

/* An index, bound or step worth trying. */
static pm_ssize_t pick_ssize(fz *f) {
    static const pm_ssize_t special[] = {
        0, 1, 2, 3, -1, -2, -3, 7, 100, -100, INTPTR_MAX, INTPTR_MIN, INTPTR_MAX - 1,
        -INTPTR_MAX, (pm_ssize_t)1 << 62, -((pm_ssize_t)1 << 62), (pm_ssize_t)1 << 31,
        -((pm_ssize_t)1 << 31), INTPTR_MAX / 2, INTPTR_MIN / 2 - 1};
    unsigned b = u8(f);
    if (b < 96) return (pm_ssize_t)(b % 24) - 8;
    if (b < 240) return special[b % (sizeof special / sizeof special[0])];
    return (pm_ssize_t)u64(f);
}

/* A Python int for an index / slice field: None (NULL), a C value, or 10**30. */
static pm_object *pick_index_obj(fz *f, int allow_none) {
    unsigned b = u8(f);
    if (allow_none && b % 8 == 0) return NULL;
    if (b % 8 == 1) return pm_int_from_string(f->rt, b & 8 ? "-1000000000000000000000000000000"
                                                           : "1000000000000000000000000000000", -1, 10);
    return pm_int_from_ssize(f->rt, pick_ssize(f));
}

/* ---- error discipline ------------------------------------------------------- */

static void expect_ok_or_error(fz *f, int failed, const char *what) {
    int err = pm_err_occurred(f->rt);
    if (f->trace)
        fprintf(stderr, "  %s -> %s %s\n", what, failed ? "error" : "ok",
                failed ? pm_exc_name(pm_err_kind(f->rt)) : "");
    if (failed && !err) FAIL("%s failed without an error", what);
    if (!failed && err) FAIL("%s succeeded with an error pending: %s: %s", what,
                             pm_exc_name(pm_err_kind(f->rt)), pm_err_message(f->rt));
    pm_err_clear(f->rt);
}

/* o: a new reference or NULL (error).  Drops it. */
static void drop(fz *f, pm_object *o, const char *what) {
    expect_ok_or_error(f, o == NULL, what);
    pm_xdecref(f->rt, o);
}

static void check_int(fz *f, long r, const char *what) {
    expect_ok_or_error(f, r < 0, what);
}

/* Store a new reference (or NULL after an error) in a slot. */
static void put(fz *f, unsigned i, pm_object *o, const char *what) {
    expect_ok_or_error(f, o == NULL, what);
    if (!o) return;
    pm_object *old = f->slot[i % NSLOT];
    f->slot[i % NSLOT] = o;
    pm_xdecref(f->rt, old);
}

static pm_object *any(fz *f) {
    pm_object *o = f->slot[u8(f) % NSLOT];
    return o ? o : PM_NONE;
}

/* ---- a gc type of our own: node(a, b) with a finalizer and weakrefs --------- */

typedef struct node {
    pm_object ob_base;
    pm_object *a, *b;               /* references (may form cycles) */
    pm_object *weaklist;            /* weak references to this node */
    int mode;                       /* finalizer: 1 resurrect, 2 allocate, 4 drop a */
} node;

static void node_dealloc(pm_runtime *rt, pm_object *self);
static int node_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    node *n = (node *)self;
    int r;
    if (n->a && (r = visit(n->a, arg))) return r;
    if (n->b && (r = visit(n->b, arg))) return r;
    return 0;
}
static int node_clear(pm_runtime *rt, pm_object *self) {
    node *n = (node *)self;
    PM_CLEAR(rt, n->a);
    PM_CLEAR(rt, n->b);
    return 0;
}
static void node_finalize(pm_runtime *rt, pm_object *self) {
    node *n = (node *)self;
    fz *f = pm_runtime_host(rt);
    if ((n->mode & 1) && f->keep) {
        if (pm_list_append(rt, f->keep, self) < 0) return;     /* error reported by the core */
    }
    if (n->mode & 2) {
        pm_object *l = pm_list_new(rt);
        if (!l) return;
        if (pm_list_append(rt, l, self) < 0) {
            pm_decref(rt, l);
            return;
        }
        pm_decref(rt, l);
    }
    if (n->mode & 4) PM_CLEAR(rt, n->a);
}

static const pm_type node_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "node",
    .basicsize = sizeof(node),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(node, weaklist),
    .dealloc = node_dealloc,
    .traverse = node_traverse,
    .clear = node_clear,
    .finalize = node_finalize,
};

static void node_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    if (pm_gc_dealloc_begin(rt, self)) return;
    node *n = (node *)self;
    PM_CLEAR(rt, n->a);
    PM_CLEAR(rt, n->b);
    pm_gc_del(rt, self);
}

static pm_object *node_new(fz *f) {
    pm_object *o = pm_gc_new(f->rt, &node_type);
    if (!o) return NULL;
    node *n = (node *)o;
    n->mode = (int)(u8(f) & 7);
    pm_object *a = f->slot[u8(f) % NSLOT], *b = f->slot[u8(f) % NSLOT];
    n->a = a ? pm_newref(f->rt, a) : NULL;
    n->b = b ? pm_newref(f->rt, b) : NULL;
    pm_gc_track(f->rt, o);
    return o;
}

/* ---- callbacks --------------------------------------------------------------- */

static int weakref_cb(pm_runtime *rt, pm_object *wr, pm_object *data) {
    if (!data) {
        pm_err_set(rt, PM_EXC_ValueError, "callback failed on purpose");
        return -1;
    }
    if (pm_list_check(data)) return pm_list_append(rt, data, wr);
    if (pm_is_instance(data, &node_type)) {
        PM_CLEAR(rt, ((node *)data)->b);
        return 0;
    }
    pm_object *r = pm_repr(rt, data);
    if (!r) return -1;
    pm_decref(rt, r);
    return 0;
}

static int finalize_fn(pm_runtime *rt, pm_object *data) {
    return weakref_cb(rt, PM_NONE, data);
}

static int gc_cb(pm_runtime *rt, const char *phase, const pm_gc_info *info, void *ctx) {
    fz *f = ctx;
    (void)info;
    if (f->in_gc_cb) FAIL("gc callback re-entered");
    if ((f->gc_cb_mode & 1) && phase[1] == 't' && phase[2] == 'o') {   /* "stop" */
        pm_err_set(rt, PM_EXC_RuntimeError, "gc callback failed on purpose");
        return -1;
    }
    if (f->gc_cb_mode & 2) {
        f->in_gc_cb = 1;
        pm_object *l = pm_list_new(rt);
        if (l && f->slot[0]) (void)pm_list_append(rt, l, f->slot[0]);
        pm_xdecref(rt, l);
        f->in_gc_cb = 0;
        if (!l) return -1;
        if (pm_err_occurred(rt)) return -1;
    }
    return 0;
}

static void unraisable(pm_runtime *rt, const char *where, pm_object *obj, pm_object *exc, void *ctx) {
    (void)rt, (void)where, (void)obj, (void)ctx;
    if (!exc || !pm_exc_check(exc)) FAIL("unraisable hook called without an exception");
}

/* ---- making objects ---------------------------------------------------------------- */

static void make_object(fz *f) {
    pm_runtime *rt = f->rt;
    unsigned dst = u8(f), kind = u8(f) % 16;
    char buf[64];
    switch (kind) {
    case 0: put(f, dst, pm_int_from_longlong(rt, (long long)u64(f)), "int"); break;
    case 1: put(f, dst, pm_int_from_ssize(rt, pick_ssize(f)), "int"); break;
    case 2: {
        size_t n = u8(f) % 48;
        for (size_t i = 0; i < n; i++) buf[i] = (char)('0' + u8(f) % 10);
        buf[n] = 0;
        put(f, dst, pm_int_from_string(rt, buf, (pm_ssize_t)n, 10), "int from string");
        break;
    }
    case 3: {
        uint64_t bits = u64(f);
        double d;
        memcpy(&d, &bits, sizeof d);
        put(f, dst, pm_float_new(rt, d), "float");
        break;
    }
    case 4: {
        size_t n = u8(f) % 40;
        if (n > f->n) n = f->n;
        put(f, dst, pm_str_from_utf8(rt, (const char *)f->p, (pm_ssize_t)n), "str from utf8");
        f->p += n, f->n -= n;
        break;
    }
    case 5: {
        uint32_t cps[16];
        size_t n = u8(f) % 16;
        for (size_t i = 0; i < n; i++) {
            unsigned b = u8(f);
            cps[i] = b < 100 ? 'a' + b % 26 : b < 160 ? 0xe9 : b < 200 ? 0x20ac : b < 230 ? 0x1f600 : 0xd800;
        }
        put(f, dst, pm_str_from_ucs4(rt, cps, (pm_ssize_t)n), "str from ucs4");
        break;
    }
    case 6: {
        int ba = (int)(u8(f) & 1);
        size_t n = u8(f) % 64;
        if (n > f->n) n = f->n;
        put(f, dst, ba ? pm_bytearray_new(rt, f->p, (pm_ssize_t)n) : pm_bytes_new(rt, f->p, (pm_ssize_t)n),
            "bytes");
        f->p += n, f->n -= n;
        break;
    }
    case 7: case 8: {
        pm_object *items[8];
        size_t n = u8(f) % 8;
        for (size_t i = 0; i < n; i++) items[i] = any(f);
        put(f, dst, kind == 7 ? pm_list_from_array(rt, items, (pm_ssize_t)n)
                              : pm_tuple_from_array(rt, items, (pm_ssize_t)n), "list/tuple");
        break;
    }
    case 9: {
        pm_object *keys[4], *vals[4];
        size_t n = u8(f) % 4;
        for (size_t i = 0; i < n; i++) keys[i] = any(f), vals[i] = any(f);
        put(f, dst, pm_dict_from_items(rt, keys, vals, (pm_ssize_t)n), "dict");
        break;
    }
    case 10: {
        pm_object *src = f->slot[u8(f) % NSLOT];
        put(f, dst, u8(f) & 1 ? pm_set_new(rt, src) : pm_frozenset_new(rt, src), "set");
        break;
    }
    case 11: {
        pm_object *a = pick_index_obj(f, 1), *b = pick_index_obj(f, 1), *c = pick_index_obj(f, 1);
        pm_err_clear(rt);
        put(f, dst, pm_slice_new(rt, a, b, c), "slice");
        pm_xdecref(rt, a), pm_xdecref(rt, b), pm_xdecref(rt, c);
        break;
    }
    case 12: put(f, dst, node_new(f), "node"); break;
    case 13: {
        if (!f->cls) {
            static const char *const slots[] = {"x", "y"};
            f->cls = pm_class_new(rt, "fz.C", u8(f) & 1 ? slots : NULL, 2);
            expect_ok_or_error(f, f->cls == NULL, "class");
            if (!f->cls) break;
        }
        pm_object *o = pm_instance_new(rt, f->cls);
        if (o) {
            check_int(f, pm_instance_setattr_cstr(rt, o, u8(f) & 1 ? "x" : "z", any(f)), "setattr");
        }
        put(f, dst, o, "instance");
        break;
    }
    case 14: {
        pm_object *o = f->slot[u8(f) % NSLOT];
        if (o) put(f, dst, pm_memoryview_new(rt, o), "memoryview");
        break;
    }
    default: {
        /* a list or tuple nested up to ~3000 deep, or self-containing */
        unsigned depth = u16(f) % 3000;
        pm_object *x = pm_list_new(rt);
        if (!x) { expect_ok_or_error(f, 1, "list"); break; }
        if (depth == 0) {
            check_int(f, pm_list_append(rt, x, x), "append self");
        }
        for (unsigned i = 0; i < depth && x; i++) {
            pm_object *y = i & 1 ? pm_tuple_from_array(rt, &x, 1) : pm_list_from_array(rt, &x, 1);
            pm_decref(rt, x);
            x = y;
        }
        put(f, dst, x, "nest");
        break;
    }
    }
}

/* ---- operations --------------------------------------------------------------------- */

static void generic_op(fz *f) {
    pm_runtime *rt = f->rt;
    pm_object *a = any(f), *b = any(f);
    switch (u8(f) % 14) {
    case 0: drop(f, pm_repr(rt, a), "repr"); break;
    case 1: drop(f, pm_str(rt, a), "str"); break;
    case 2: check_int(f, pm_hash(rt, a) == -1 ? -1 : 0, "hash"); break;
    case 3: drop(f, pm_richcompare(rt, a, b, (int)(u8(f) % 6)), "richcompare"); break;
    case 4: check_int(f, pm_length(rt, a) < 0 ? -1 : 0, "len"); break;
    case 5: check_int(f, pm_contains(rt, a, b), "contains"); break;
    case 6: drop(f, pm_getitem(rt, a, b), "getitem"); break;
    case 7: check_int(f, pm_setitem(rt, a, b, any(f)), "setitem"); break;
    case 8: check_int(f, pm_delitem(rt, a, b), "delitem"); break;
    case 9: check_int(f, pm_is_true(rt, a), "truth"); break;
    case 10: (void)pm_getsizeof(rt, a); break;
    case 11: {
        pm_object *it = pm_iter(rt, a);
        if (!it) { expect_ok_or_error(f, 1, "iter"); break; }
        for (unsigned k = u8(f) % 10; k > 0; k--) {
            pm_object *x = pm_iter_next(rt, it);
            if (!x) { pm_err_clear(rt); break; }
            pm_decref(rt, x);
        }
        pm_decref(rt, it);
        break;
    }
    case 12: {
        /* getitem / setitem / delitem with a slice of interesting fields */
        pm_object *s0 = pick_index_obj(f, 1), *s1 = pick_index_obj(f, 1), *s2 = pick_index_obj(f, 1);
        pm_err_clear(rt);
        pm_object *sl = pm_slice_new(rt, s0, s1, s2);
        pm_xdecref(rt, s0), pm_xdecref(rt, s1), pm_xdecref(rt, s2);
        if (!sl) { expect_ok_or_error(f, 1, "slice"); break; }
        unsigned what = u8(f) % 3;
        if (what == 0) drop(f, pm_getitem(rt, a, sl), "getitem slice");
        else if (what == 1) check_int(f, pm_setitem(rt, a, sl, b), "setitem slice");
        else check_int(f, pm_delitem(rt, a, sl), "delitem slice");
        pm_decref(rt, sl);
        break;
    }
    default: {
        pm_object *idx = pick_index_obj(f, 0);
        if (!idx) { expect_ok_or_error(f, 1, "int"); break; }
        drop(f, pm_getitem(rt, a, idx), "getitem int");
        pm_decref(rt, idx);
        break;
    }
    }
}

/* A fresh short sequence (str, bytes, tuple, list, bytearray) sliced with
 * interesting fields: read, same-length assignment, deletion; str slices
 * and repeats through the C-integer API (PM_SLICE_NONE included). */
static void seq_slice_op(fz *f) {
    pm_runtime *rt = f->rt;
    unsigned kind = u8(f) % 5;
    pm_ssize_t n = (pm_ssize_t)(u8(f) % 6);
    pm_object *items[6];
    for (pm_ssize_t i = 0; i < n; i++) items[i] = PM_NONE;
    pm_object *seq;
    switch (kind) {
    case 0: seq = pm_str_from_utf8(rt, "h\xc3\xa9llo!", n > 2 ? n + 1 : n); break;
    case 1: seq = pm_bytes_new(rt, "abcdef", n); break;
    case 2: seq = pm_tuple_from_array(rt, items, n); break;
    case 3: seq = pm_list_from_array(rt, items, n); break;
    default: seq = pm_bytearray_new(rt, "abcdef", n); break;
    }
    if (!seq) {
        expect_ok_or_error(f, 1, "sequence");
        return;
    }
    unsigned action = u8(f) % 6;
    if (action >= 4 && kind == 0) {
        pm_ssize_t a = u8(f) % 4 ? pick_ssize(f) : PM_SLICE_NONE, b = u8(f) % 4 ? pick_ssize(f) : PM_SLICE_NONE,
                   c = u8(f) % 4 ? pick_ssize(f) : PM_SLICE_NONE;
        if (action == 4) drop(f, pm_str_slice(rt, seq, a, b, c), "str slice");
        else {
            pm_ssize_t len = pm_str_length(seq);
            if (len && c > 0 && c > (1 << 16) / len) c = c % 64;
            drop(f, pm_str_repeat(rt, seq, c), "str repeat");
        }
        pm_decref(rt, seq);
        return;
    }
    if (action >= 4 && kind == 3) {
        drop(f, pm_list_get_slice(rt, seq, pick_ssize(f), pick_ssize(f)), "list get_slice");
        pm_decref(rt, seq);
        return;
    }
    pm_object *s0 = pick_index_obj(f, 1), *s1 = pick_index_obj(f, 1), *s2 = pick_index_obj(f, 1);
    pm_err_clear(rt);
    pm_object *sl = pm_slice_new(rt, s0, s1, s2);
    pm_xdecref(rt, s0), pm_xdecref(rt, s1), pm_xdecref(rt, s2);
    if (!sl) {
        expect_ok_or_error(f, 1, "slice");
        pm_decref(rt, seq);
        return;
    }
    pm_object *got = pm_getitem(rt, seq, sl);
    expect_ok_or_error(f, got == NULL, "seq getitem slice");
    if (got && action == 1 && (kind == 3 || kind == 4)) {
        check_int(f, pm_setitem(rt, seq, sl, got), "seq setitem slice");   /* same length */
    } else if (action == 2 && (kind == 3 || kind == 4)) {
        check_int(f, pm_delitem(rt, seq, sl), "seq delitem slice");
    } else if (got && action == 3) {
        pm_object *m = pm_memoryview_new(rt, kind == 1 || kind == 4 ? seq : PM_NONE);
        if (m) {
            pm_object *v = pm_getitem(rt, m, sl);
            if (v) {
                drop(f, pm_memoryview_tolist(rt, v), "mv tolist");
                drop(f, pm_memoryview_tobytes(rt, v, "C"), "mv tobytes");
                drop(f, pm_richcompare(rt, v, m, PM_EQ), "mv eq");
                pm_decref(rt, v);
            }
            pm_err_clear(rt);
            pm_decref(rt, m);
        } else {
            pm_err_clear(rt);
        }
    }
    pm_xdecref(rt, got);
    pm_decref(rt, sl);
    pm_decref(rt, seq);
}

static void list_op(fz *f) {
    pm_runtime *rt = f->rt;
    pm_object *l = any(f);
    if (!pm_list_check(l)) return;
    pm_object *x = any(f);
    switch (u8(f) % 12) {
    case 0: check_int(f, pm_list_append(rt, l, x), "append"); break;
    case 1: check_int(f, pm_list_insert(rt, l, pick_ssize(f), x), "insert"); break;
    case 2: drop(f, pm_list_pop(rt, l, pick_ssize(f)), "pop"); break;
    case 3:
        if (pm_list_size(l) <= MAX_FANOUT / 2 && (!pm_list_check(x) || pm_list_size(x) <= MAX_FANOUT / 2))
            check_int(f, pm_list_extend(rt, l, x), "extend");
        break;
    case 4: check_int(f, pm_list_sort(rt, l, (int)(u8(f) & 1)), "sort"); break;
    case 5: check_int(f, pm_list_reverse(rt, l), "reverse"); break;
    case 6: put(f, u8(f), pm_list_get_slice(rt, l, pick_ssize(f), pick_ssize(f)), "get_slice"); break;
    case 7: check_int(f, pm_list_set_slice(rt, l, pick_ssize(f), pick_ssize(f), u8(f) & 1 ? x : NULL),
                      "set_slice"); break;
    case 8: check_int(f, pm_list_index(rt, l, x) < 0 ? -1 : 0, "index"); break;
    case 9: check_int(f, pm_list_clear(rt, l), "clear"); break;
    case 10: put(f, u8(f), pm_list_as_tuple(rt, l), "as_tuple"); break;
    default:
        if (pm_list_check(x) && pm_list_size(l) + pm_list_size(x) <= MAX_FANOUT)
            put(f, u8(f), pm_list_concat(rt, l, x), "concat");
        break;
    }
}

static void str_op(fz *f) {
    pm_runtime *rt = f->rt;
    pm_object *s = any(f);
    if (!pm_str_check(s)) return;
    switch (u8(f) % 6) {
    case 0: put(f, u8(f), pm_str_slice(rt, s, pick_ssize(f), pick_ssize(f), pick_ssize(f)), "str slice"); break;
    case 1: {
        pm_ssize_t c = pick_ssize(f), len = pm_str_length(s);
        /* keep results small unless the string is empty (then any count) */
        if (len && c > 0 && c > (1 << 16) / len) c = c % 64;
        put(f, u8(f), pm_str_repeat(rt, s, c), "str repeat");
        break;
    }
    case 2: {
        pm_object *t = any(f);
        if (pm_str_check(t)) put(f, u8(f), pm_str_concat(rt, s, t), "str concat");
        break;
    }
    case 3: put(f, u8(f), pm_str_join(rt, s, any(f)), "str join"); break;
    case 4: put(f, u8(f), pm_str_intern(rt, s), "intern"); break;
    default: {
        pm_ssize_t n;
        const char *u = pm_str_as_utf8(rt, s, &n);
        expect_ok_or_error(f, u == NULL, "as_utf8");
        if (u && (pm_ssize_t)strlen(u) > n) FAIL("as_utf8 length");
        break;
    }
    }
}

static void container_op(fz *f) {
    pm_runtime *rt = f->rt;
    pm_object *d = any(f), *k = any(f), *v = any(f);
    if (pm_dict_check(d)) {
        switch (u8(f) % 6) {
        case 0: check_int(f, pm_dict_set(rt, d, k, v), "dict set"); break;
        case 1: {
            pm_object *r = pm_dict_get(rt, d, k);
            if (!r) pm_err_clear(rt);
            break;
        }
        case 2: check_int(f, pm_dict_del(rt, d, k), "dict del"); break;
        case 3: drop(f, pm_dict_popitem(rt, d), "popitem"); break;
        case 4: put(f, u8(f), pm_dict_copy(rt, d), "dict copy"); break;
        default: if (pm_dict_check(k)) check_int(f, pm_dict_update(rt, d, k), "dict update"); break;
        }
    } else if (pm_anyset_check(d)) {
        switch (u8(f) % 5) {
        case 0: if (pm_is_instance(d, &pm_set_type)) check_int(f, pm_set_add(rt, d, k), "set add"); break;
        case 1: if (pm_is_instance(d, &pm_set_type)) check_int(f, pm_set_discard(rt, d, k), "discard"); break;
        case 2: if (pm_is_instance(d, &pm_set_type)) drop(f, pm_set_pop(rt, d), "set pop"); break;
        case 3: if (pm_anyset_check(k)) put(f, u8(f), pm_set_union(rt, d, k), "union"); break;
        default: if (pm_anyset_check(k)) put(f, u8(f), pm_set_symmetric_difference(rt, d, k), "symdiff"); break;
        }
    } else if (pm_bytearray_check(d)) {
        switch (u8(f) % 3) {
        case 0: check_int(f, pm_bytearray_resize(rt, d, (pm_ssize_t)(u16(f) % 4096)), "ba resize"); break;
        case 1: check_int(f, pm_bytearray_append(rt, d, (int)u8(f)), "ba append"); break;
        default: check_int(f, pm_bytearray_extend(rt, d, "abcdefgh", (pm_ssize_t)(u8(f) % 9)), "ba extend"); break;
        }
    } else if (pm_tuple_check(d) && pm_tuple_check(k) && pm_tuple_size(d) + pm_tuple_size(k) <= MAX_FANOUT) {
        put(f, u8(f), pm_tuple_concat(rt, d, k), "tuple concat");
    } else if (pm_bytes_check(d) && pm_bytes_check(k)) {
        put(f, u8(f), pm_bytes_concat(rt, d, k), "bytes concat");
    }
}

static const char *const formats[] = {"B", "b", "c", "h", "H", "i", "I", "l", "L", "q", "Q",
                                      "n", "N", "f", "d", "e", "?", "P", "@B", "x", "<h", "2i"};

static void memoryview_op(fz *f) {
    pm_runtime *rt = f->rt;
    pm_object *m = any(f);
    if (!pm_memoryview_check(m)) return;
    switch (u8(f) % 14) {
    case 0: {
        const char *fmt = formats[u8(f) % (sizeof formats / sizeof formats[0])];
        int ndim = (int)(u8(f) % 5) - 1;
        pm_ssize_t shape[4];
        for (int i = 0; i < ndim; i++) shape[i] = (pm_ssize_t)(u8(f) % 9);
        put(f, u8(f), pm_memoryview_cast_shape(rt, m, fmt, shape, ndim), "cast");
        break;
    }
    case 1: put(f, u8(f), pm_memoryview_slice(rt, m, pick_ssize(f), pick_ssize(f), pick_ssize(f)), "mv slice"); break;
    case 2: drop(f, pm_memoryview_item(rt, m, pick_ssize(f)), "mv item"); break;
    case 3: {
        pm_ssize_t idx[3] = {pick_ssize(f), pick_ssize(f), pick_ssize(f)};
        drop(f, pm_memoryview_item_multi(rt, m, idx, (int)(u8(f) % 4)), "mv item multi");
        break;
    }
    case 4: drop(f, pm_memoryview_tolist(rt, m), "tolist"); break;
    case 5: drop(f, pm_memoryview_tobytes(rt, m, (const char *[]){"C", "F", "A", NULL}[u8(f) % 4]), "tobytes"); break;
    case 6: drop(f, pm_memoryview_hex(rt, m, NULL, 0), "hex"); break;
    case 7: check_int(f, pm_memoryview_release(rt, m), "release"); break;
    case 8: put(f, u8(f), pm_memoryview_toreadonly(rt, m), "toreadonly"); break;
    case 9: check_int(f, pm_memoryview_set_item(rt, m, pick_ssize(f), any(f)), "mv set item"); break;
    case 10: check_int(f, pm_memoryview_set_slice(rt, m, pick_ssize(f), pick_ssize(f), pick_ssize(f), any(f)),
                       "mv set slice"); break;
    case 11: {
        static const char *const names[] = {"obj", "nbytes", "readonly", "itemsize", "format", "ndim",
                                            "shape", "strides", "suboffsets", "c_contiguous",
                                            "f_contiguous", "contiguous", "nope"};
        drop(f, pm_memoryview_attr(rt, m, names[u8(f) % 13]), "mv attr");
        break;
    }
    case 12: {
        pm_buffer view;
        if (pm_object_getbuffer(rt, m, &view, (int[]){PM_BUF_SIMPLE, PM_BUF_FULL_RO, PM_BUF_FULL,
                                                      PM_BUF_C_CONTIGUOUS, PM_BUF_F_CONTIGUOUS,
                                                      PM_BUF_RECORDS_RO}[u8(f) % 6]) < 0) {
            expect_ok_or_error(f, 1, "getbuffer");
            break;
        }
        if (view.len > 0 && view.len < (1 << 20)) {
            char *dst = malloc((size_t)view.len);
            if (dst) {
                check_int(f, pm_buffer_to_contiguous(rt, dst, &view, view.len, "CFA"[u8(f) % 3]), "to_contiguous");
                free(dst);
            }
        }
        pm_buffer_release(rt, &view);
        break;
    }
    default: drop(f, pm_richcompare(rt, m, any(f), u8(f) & 1 ? PM_EQ : PM_NE), "mv compare"); break;
    }
}

static void raw_op(fz *f) {
    pm_runtime *rt = f->rt;
    unsigned i = u8(f) % NRAW, op = u8(f) % 5;
    static const size_t sizes[] = {0, 1, 8, 15, 16, 17, 31, 32, 33, 48, 64, 100, 128, 255, 256,
                                   257, 496, 511, 512, 513, 1024, 4096, 16384, 70000};
    size_t size = u8(f) < 200 ? sizes[u8(f) % (sizeof sizes / sizeof sizes[0])] : u16(f) * 4u;
    unsigned char *p = f->raw[i];
    if (p) {    /* check the fill pattern first */
        for (size_t k = 0; k < f->rawsize[i]; k++)
            if (p[k] != f->rawfill[i]) FAIL("raw block %u changed at byte %zu", i, k);
    }
    switch (op) {
    case 0: case 1: {
        if (p) pm_free(rt, p);
        unsigned char *q = op == 0 ? pm_malloc(rt, size) : pm_calloc(rt, size % 64, size / 64 + 1);
        size_t n = op == 0 ? size : (size % 64) * (size / 64 + 1);
        f->raw[i] = q;
        f->rawsize[i] = q ? n : 0;
        f->rawfill[i] = (unsigned char)u8(f);
        if (q && op == 1) for (size_t k = 0; k < n; k++) if (q[k]) FAIL("calloc not zeroed");
        if (q) {
            if (((uintptr_t)q & 15) != 0) FAIL("block not 16-byte aligned");
            if (pm_usable_size(rt, q) < n) FAIL("usable size below request");
            memset(q, f->rawfill[i], n);
        }
        break;
    }
    case 2: {
        unsigned char *q = pm_realloc(rt, p, size);
        if (!q) break;                  /* failed (size 0 too): p unchanged */
        size_t keep = f->rawsize[i] < size ? f->rawsize[i] : size;
        for (size_t k = 0; k < keep; k++) if (q[k] != f->rawfill[i]) FAIL("realloc lost data");
        f->raw[i] = q;
        f->rawsize[i] = q ? size : 0;
        if (q) memset(q, f->rawfill[i], size);
        break;
    }
    case 3:
        if (p) pm_free(rt, p);
        f->raw[i] = NULL;
        f->rawsize[i] = 0;
        break;
    default:
        if (pm_calloc(rt, SIZE_MAX / 2, 3) != NULL) FAIL("calloc overflow not detected");
        (void)pm_trim(rt);
        break;
    }
}

static void gc_op(fz *f) {
    pm_runtime *rt = f->rt;
    switch (u8(f) % 10) {
    case 0: {
        pm_ssize_t r = pm_gc_collect(rt, (int)(u8(f) % 3));
        expect_ok_or_error(f, r < 0, "collect");
        break;
    }
    case 1: {
        pm_object *o = any(f);
        pm_object *data = u8(f) & 1 ? f->slot[u8(f) % NSLOT] : NULL;
        put(f, u8(f), pm_weakref_new(rt, o, weakref_cb, data), "weakref");
        break;
    }
    case 2: put(f, u8(f), pm_weakref_new(rt, any(f), NULL, NULL), "weakref plain"); break;
    case 3: {
        pm_object *fin = pm_finalize_new(rt, any(f), finalize_fn, f->slot[u8(f) % NSLOT]);
        expect_ok_or_error(f, fin == NULL, "finalize");
        if (fin) {
            if (pm_list_append(rt, f->finalizers, fin) < 0) {
                pm_err_clear(rt);
                pm_finalize_detach(rt, fin, NULL);
            }
            pm_decref(rt, fin);
        }
        break;
    }
    case 4:
        if (f->gc_callbacks < 3) {
            f->gc_cb_mode = (int)(u8(f) & 3);
            if (pm_gc_callback_add(rt, gc_cb, f) == 0) f->gc_callbacks++;
            else pm_err_clear(rt);
        }
        break;
    case 5: pm_gc_set_threshold(rt, (pm_ssize_t)(u8(f) % 50) + 1, -1, -1); break;
    case 6: drop(f, pm_gc_get_objects(rt, (int)(u8(f) % 4) - 1), "get_objects"); break;
    case 7: {
        pm_object *objs[2] = {any(f), any(f)};
        drop(f, u8(f) & 1 ? pm_gc_get_referrers(rt, objs, 2) : pm_gc_get_referents(rt, objs, 2), "referrers");
        break;
    }
    case 8: {
        pm_object *w = any(f);
        if (pm_is_instance(w, &pm_weakref_type)) drop(f, pm_weakref_get(rt, w), "weakref get");
        else if (pm_is_instance(w, &node_type)) {
            node *n = (node *)w;         /* rewire: cycles come and go */
            pm_object *x = f->slot[u8(f) % NSLOT];
            pm_object *old = n->a;
            n->a = x ? pm_newref(rt, x) : NULL;
            pm_xdecref(rt, old);
        }
        break;
    }
    default: pm_freelists_clear(rt); break;
    }
}

static void fault_op(fz *f) {
    unsigned b = u8(f);
    if (b < 64) pm_fault_inject(f->rt, 0, 0);
    else pm_fault_inject(f->rt, (long)(b % 40) + 1, b >= 224);
}

/* ---- one input ---------------------------------------------------------------------- */

static size_t in_use(pm_runtime *rt) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    return s.small_bytes_in_use + s.large_bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz f;
    memset(&f, 0, sizeof f);
    f.p = data;
    f.n = size;
    f.trace = getenv("PYMM_FUZZ_TRACE") != NULL;
    pm_config cfg;
    pm_config_init(&cfg);
    unsigned mode = u8(&f);
    cfg.gc_torture = (mode & 7) == 7;
    cfg.debug_alloc = (mode & 12) == 12;
    pm_runtime *rt = pm_runtime_new(&cfg);
    if (!rt) FAIL("runtime");
    f.rt = rt;
    pm_runtime_set_host(rt, &f);
    pm_set_unraisable_hook(rt, unraisable, NULL);
    size_t base = in_use(rt);
    f.keep = pm_list_new(rt);
    f.finalizers = pm_list_new(rt);
    if (!f.keep || !f.finalizers) FAIL("setup");

    for (unsigned steps = 0; f.n && steps < 200; steps++) {
        unsigned op = u8(&f) % 13;
        if (f.trace) fprintf(stderr, "step %u: op %u\n", steps, op);
        switch (op) {
        case 12: seq_slice_op(&f); break;
        case 0: case 1: case 2: make_object(&f); break;
        case 3: case 4: generic_op(&f); break;
        case 5: list_op(&f); break;
        case 6: str_op(&f); break;
        case 7: container_op(&f); break;
        case 8: memoryview_op(&f); break;
        case 9: raw_op(&f); break;
        case 10: gc_op(&f); break;
        default: fault_op(&f); break;
        }
        if (pm_err_occurred(rt)) FAIL("error left pending after a step: %s: %s",
                                      pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
    }

    /* Everything back: drop, detach, collect, clear the caches. */
    pm_fault_inject(rt, 0, 0);
    for (int i = 0; i < NRAW; i++) {
        for (size_t k = 0; k < f.rawsize[i]; k++)
            if (f.raw[i][k] != f.rawfill[i]) FAIL("raw block %d changed", i);
        pm_free(rt, f.raw[i]);
    }
    for (int i = 0; i < NSLOT; i++) PM_CLEAR(rt, f.slot[i]);
    PM_CLEAR(rt, f.cls);
    while (f.gc_callbacks > 0) {
        if (pm_gc_callback_remove(rt, gc_cb, &f) < 0) FAIL("gc callback remove");
        f.gc_callbacks--;
    }
    for (pm_ssize_t i = 0; i < pm_list_size(f.finalizers); i++)
        pm_finalize_detach(rt, pm_list_get(rt, f.finalizers, i), NULL);
    PM_CLEAR(rt, f.finalizers);
    /* resurrected nodes: the finalizer ran once, so dropping them frees them */
    pm_object *keep = f.keep;
    f.keep = NULL;
    pm_decref(rt, keep);
    for (int i = 0; i < 3; i++) pm_gc_collect(rt, 2);
    pm_err_clear(rt);
    pm_freelists_clear(rt);
    (void)pm_trim(rt);                  /* empties the debug quarantine too */
    if (pm_alloc_check(rt, stderr) != 0) FAIL("pm_alloc_check");
    if (pm_gc_check(rt, stderr) != 0) FAIL("pm_gc_check");
    size_t now = in_use(rt);
    if (now != base) {
        pm_object *objs = pm_gc_get_objects(rt, -1);
        FAIL("heap not back: %zu bytes in use at the start, %zu at the end (%zd tracked objects)", base, now,
             objs ? pm_list_size(objs) - 1 : (pm_ssize_t)-1);
    }
    pm_runtime_free(rt);
    return 0;
}
