/*
 * interp/mod_collections.c — the `_collections` built-in module: `deque`,
 * the double-ended queue of CPython 3.11's Modules/_collectionsmodule.c,
 * laid out as CPython lays it out so that sys.getsizeof agrees.
 * (defaultdict, OrderedDict, Counter, namedtuple ... are Python code in
 * lib/collections/__init__.py.)
 *
 * Layout: a doubly linked list of fixed blocks of 64 item slots.
 *
 *       leftblock                                       rightblock
 *     +-------------------+     +-------------------+     +-------------------+
 *     | left | 64 items | right |<--->| ... |<--->| left | 64 items | right |
 *     +-------------------+     +-------------------+     +-------------------+
 *            ^ leftindex                                          ^ rightindex
 *
 *   Items live in leftblock[leftindex] .. rightblock[rightindex]; a new
 *   deque starts centred (leftindex 32, rightindex 31, one block), so
 *   that both ends can grow without a new block at first.  A block is
 *   added when an end runs past its block and freed when an end leaves
 *   one; emptied by pops, the single block is re-centred.  Up to 16 freed
 *   blocks are kept per deque for reuse (numfreeblocks / freeblocks), as
 *   CPython does — which also means that rotate (pop + append at the other
 *   end) never needs new memory.
 *
 * sys.getsizeof: the struct (216 bytes, CPython's dequeobject) plus 528
 *   bytes for each block the index range spans:
 *   ceil((leftindex + len) / 64) blocks, + the 16-byte gc head: 760 for an
 *   empty deque, 1288 from the 33rd append, as python3.
 *
 * States: every mutation bumps `state`; an iterator (and count / index /
 *   remove / ==, which call back into Python) remembers it and raises
 *   RuntimeError "deque mutated during iteration" when it changed.
 *
 * maxlen: appending past maxlen drops from the other end; None = unbounded.
 *
 * Errors and memory: a block allocation is the only allocation on the
 * append paths; when it fails the deque is left as it was and MemoryError
 * is raised.
 */
#include "modules.h"

#include <stddef.h>
#include <string.h>

#define BLOCKLEN 64
#define CENTER ((BLOCKLEN - 1) / 2)
#define MAXFREEBLOCKS 16

typedef struct dq_block {
    struct dq_block *leftlink;      /* the block to the left, or NULL */
    pm_object *data[BLOCKLEN];      /* item slots (owned where in range) */
    struct dq_block *rightlink;     /* the block to the right, or NULL */
} dq_block;

typedef struct dq_deque {
    pm_object ob_base;              /* refcount + type */
    pm_ssize_t len;                 /* number of items (CPython's ob_size) */
    dq_block *leftblock;            /* block holding the leftmost item */
    dq_block *rightblock;           /* block holding the rightmost item */
    pm_ssize_t leftindex;           /* 0 <= leftindex < BLOCKLEN */
    pm_ssize_t rightindex;          /* -1 <= rightindex < BLOCKLEN */
    size_t state;                   /* bumped by every mutation */
    pm_ssize_t maxlen;              /* -1: unbounded */
    int numfreeblocks;              /* blocks kept in freeblocks */
    int in_repr;                    /* repr() of this deque is running */
    dq_block *freeblocks[MAXFREEBLOCKS]; /* freed blocks kept for reuse */
    pm_object *weakreflist;         /* head of the weak references' list */
} dq_deque;

extern const pm_type pmi_deque_type;
extern const pm_type pmi_dequeiter_type;
extern const pm_type pmi_dequereviter_type;

#define DQ(o) ((dq_deque *)(void *)(o))

static int deque_check(const pm_object *o) { return pm_is_instance(o, &pmi_deque_type); }

/* ---- blocks ------------------------------------------------------------------- */

static dq_block *newblock(pm_runtime *rt, dq_deque *d) {
    if (d->numfreeblocks) return d->freeblocks[--d->numfreeblocks];
    dq_block *b = pm_malloc(rt, sizeof *b);
    if (!b) pm_err_nomem(rt);
    return b;
}

static void freeblock(pm_runtime *rt, dq_deque *d, dq_block *b) {
    if (d->numfreeblocks < MAXFREEBLOCKS) d->freeblocks[d->numfreeblocks++] = b;
    else pm_free(rt, b);
}

/* ---- the primitive operations (no Python code runs inside them) ---------------- */

/* Remove and return the rightmost item (a reference the caller owns).
 * The deque must not be empty. */
static pm_object *pop_right(pm_runtime *rt, dq_deque *d) {
    pm_object *item = d->rightblock->data[d->rightindex];
    d->rightindex--;
    d->len--;
    d->state++;
    if (d->rightindex < 0) {
        if (d->len) {
            dq_block *prev = d->rightblock->leftlink;
            freeblock(rt, d, d->rightblock);
            d->rightblock = prev;
            d->rightindex = BLOCKLEN - 1;
        } else {
            d->leftindex = CENTER + 1;
            d->rightindex = CENTER;
        }
    }
    return item;
}

static pm_object *pop_left(pm_runtime *rt, dq_deque *d) {
    pm_object *item = d->leftblock->data[d->leftindex];
    d->leftindex++;
    d->len--;
    d->state++;
    if (d->leftindex == BLOCKLEN) {
        if (d->len) {
            dq_block *next = d->leftblock->rightlink;
            freeblock(rt, d, d->leftblock);
            d->leftblock = next;
            d->leftindex = 0;
        } else {
            d->leftindex = CENTER + 1;
            d->rightindex = CENTER;
        }
    }
    return item;
}

/* Put item (STOLEN on success) at the right end, without trimming.  0, or
 * -1 with MemoryError (item not taken). */
static int push_right(pm_runtime *rt, dq_deque *d, pm_object *item) {
    if (d->rightindex == BLOCKLEN - 1) {
        dq_block *b = newblock(rt, d);
        if (!b) return -1;
        b->leftlink = d->rightblock;
        b->rightlink = NULL;
        d->rightblock->rightlink = b;
        d->rightblock = b;
        d->rightindex = -1;
    }
    d->len++;
    d->rightindex++;
    d->rightblock->data[d->rightindex] = item;
    d->state++;
    return 0;
}

static int push_left(pm_runtime *rt, dq_deque *d, pm_object *item) {
    if (d->leftindex == 0) {
        dq_block *b = newblock(rt, d);
        if (!b) return -1;
        b->rightlink = d->leftblock;
        b->leftlink = NULL;
        d->leftblock->leftlink = b;
        d->leftblock = b;
        d->leftindex = BLOCKLEN;
    }
    d->len++;
    d->leftindex--;
    d->leftblock->data[d->leftindex] = item;
    d->state++;
    return 0;
}

/* append (left 0) / appendleft (left 1) with maxlen trimming at the other
 * end; item BORROWED.  0 / -1. */
static int append_end(pm_runtime *rt, dq_deque *d, pm_object *item, int left) {
    if ((left ? push_left : push_right)(rt, d, pm_newref(rt, item)) < 0) {
        pm_decref(rt, item);
        return -1;
    }
    if (d->maxlen >= 0 && d->len > d->maxlen) pm_decref(rt, (left ? pop_right : pop_left)(rt, d));
    return 0;
}

/* The slot of item i (0 <= i < len). */
static pm_object **item_slot(dq_deque *d, pm_ssize_t i) {
    pm_ssize_t pos = d->leftindex + i;
    if (i >= d->len / 2) {
        /* walk from the right end */
        pm_ssize_t last = d->leftindex + d->len - 1;
        pm_ssize_t n = last / BLOCKLEN - pos / BLOCKLEN;
        dq_block *b = d->rightblock;
        while (n-- > 0) b = b->leftlink;
        return &b->data[pos % BLOCKLEN];
    }
    dq_block *b = d->leftblock;
    for (pm_ssize_t n = pos / BLOCKLEN; n > 0; n--) b = b->rightlink;
    return &b->data[pos % BLOCKLEN];
}

/* Rotate right by n (left for n < 0).  Never fails: every block a pop
 * frees goes to the free list the next push takes from. */
static void rotate(pm_runtime *rt, dq_deque *d, pm_ssize_t n) {
    pm_ssize_t len = d->len, half = len >> 1;
    if (len <= 1) return;
    if (n > half || n < -half) {
        n %= len;
        if (n > half) n -= len;
        else if (n < -half) n += len;
    }
    size_t state = d->state;
    for (; n > 0; n--) {
        pm_object *it = pop_right(rt, d);
        if (push_left(rt, d, it) < 0) {    /* cannot happen: see above */
            (void)push_right(rt, d, it);
            break;
        }
    }
    for (; n < 0; n++) {
        pm_object *it = pop_left(rt, d);
        if (push_right(rt, d, it) < 0) {
            (void)push_left(rt, d, it);
            break;
        }
    }
    d->state = state + 1;
}

/* Drop every item.  Items are taken out one at a time before their
 * reference goes, so a __del__ that looks at the deque sees it valid. */
static void deque_clear_items(pm_runtime *rt, dq_deque *d) {
    while (d->len > 0) pm_decref(rt, pop_right(rt, d));
    d->leftindex = CENTER + 1;
    d->rightindex = CENTER;
    d->state++;
}

/* ---- creation and lifetime ----------------------------------------------------- */

static pm_object *deque_alloc(pm_runtime *rt, const pm_type *type) {
    dq_deque *d = (dq_deque *)pm_gc_new(rt, type);
    if (!d) return NULL;
    dq_block *b = pm_malloc(rt, sizeof *b);
    if (!b) {
        pm_err_nomem(rt);
        pm_decref(rt, (pm_object *)d);      /* leftblock NULL: dealloc copes */
        return NULL;
    }
    b->leftlink = b->rightlink = NULL;
    d->leftblock = d->rightblock = b;
    d->leftindex = CENTER + 1;
    d->rightindex = CENTER;
    d->maxlen = -1;
    pm_gc_track(rt, (pm_object *)d);
    return (pm_object *)d;
}

static pm_object *deque_tp_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)args;
    (void)kwargs;
    return deque_alloc(rt, type);
}

static void deque_dealloc(pm_runtime *rt, pm_object *self) {
    dq_deque *d = DQ(self);
    pm_gc_untrack(rt, self);
    if (pm_gc_dealloc_begin(rt, self)) return;
    if (d->leftblock) {
        deque_clear_items(rt, d);
        pm_free(rt, d->leftblock);
        d->leftblock = d->rightblock = NULL;
    }
    while (d->numfreeblocks > 0) pm_free(rt, d->freeblocks[--d->numfreeblocks]);
    pm_gc_del(rt, self);
}

static int deque_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    dq_deque *d = DQ(self);
    if (!d->leftblock) return 0;
    dq_block *b = d->leftblock;
    pm_ssize_t i = d->leftindex;
    for (pm_ssize_t n = d->len; n > 0; n--) {
        int r = visit(b->data[i], arg);
        if (r) return r;
        if (++i == BLOCKLEN) {
            b = b->rightlink;
            i = 0;
        }
    }
    return 0;
}

static int deque_gc_clear(pm_runtime *rt, pm_object *self) {
    if (DQ(self)->leftblock) deque_clear_items(rt, DQ(self));
    return 0;
}

static size_t deque_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    dq_deque *d = DQ(self);
    size_t blocks = (size_t)(d->leftindex + d->len + BLOCKLEN - 1) / BLOCKLEN;
    return (size_t)pmi_deque_type.basicsize + blocks * sizeof(dq_block);
}

/* extend(iterable) from the right (left = 0) or left. */
static int deque_extend_impl(pm_runtime *rt, dq_deque *d, pm_object *iterable, int left) {
    if ((pm_object *)d == iterable) {
        pm_object *l = pm_list_new(rt);
        if (!l) return -1;
        if (pm_list_extend(rt, l, iterable) < 0) {
            pm_decref(rt, l);
            return -1;
        }
        int r = deque_extend_impl(rt, d, l, left);
        pm_decref(rt, l);
        return r;
    }
    pm_object *it = pm_iter(rt, iterable), *item;
    if (!it) return -1;
    if (d->len == 0) {
        /* CPython's space-saving start: fill from the far end of the block */
        d->leftindex = left ? BLOCKLEN - 1 : 1;
        d->rightindex = left ? BLOCKLEN - 2 : 0;
    }
    while ((item = pm_iter_next(rt, it))) {
        int r = append_end(rt, d, item, left);
        pm_decref(rt, item);
        if (r < 0) break;
    }
    pm_decref(rt, it);
    return pm_err_occurred(rt) ? -1 : 0;
}

static int deque_tp_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"iterable", "maxlen", NULL};
    pm_object *v[2] = {NULL, NULL};
    pm_ssize_t nargs = args ? pm_tuple_size(args) : 0;
    pm_object *argv[4];
    pm_ssize_t nkw = kwargs ? pm_dict_size(kwargs) : 0;
    if (nargs + nkw > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "deque() takes at most 2 %sarguments (%zd given)",
                      nargs ? "" : "keyword ", nargs + nkw);
        return -1;
    }
    for (pm_ssize_t i = 0; i < nargs; i++) argv[i] = pm_tuple_get(rt, args, i);
    pm_object *kwnames = NULL;
    if (nkw) {
        pm_object *keys[2];
        pm_ssize_t pos = 0, k = 0;
        pm_object *key, *val;
        while (pm_dict_next(kwargs, &pos, &key, &val)) {
            keys[k] = key;
            argv[nargs + k] = val;
            k++;
        }
        kwnames = pm_tuple_from_array(rt, keys, k);
        if (!kwnames) return -1;
    }
    int r = pmi_mod_parse_kw(rt, "deque", names, 2, 0, argv, nargs, kwnames, v);
    pm_xdecref(rt, kwnames);
    if (r < 0) return -1;
    dq_deque *d = DQ(self);
    pm_ssize_t maxlen = -1;
    if (v[1] && v[1] != PM_NONE) {
        if (!pm_int_check(v[1])) {
            pm_err_set(rt, PM_EXC_TypeError, "an integer is required");
            return -1;
        }
        maxlen = pm_int_as_ssize(rt, v[1]);
        if (maxlen == -1 && pm_err_occurred(rt)) return -1;
        if (maxlen < 0) {
            pm_err_set(rt, PM_EXC_ValueError, "maxlen must be non-negative");
            return -1;
        }
    }
    d->maxlen = maxlen;
    if (d->len > 0) deque_clear_items(rt, d);
    if (v[0]) return deque_extend_impl(rt, d, v[0], 0);
    return 0;
}

/* ---- methods ------------------------------------------------------------------ */

static pm_object *none(pm_runtime *rt) { return pm_newref(rt, PM_NONE); }

static pm_object *dq_append(pm_runtime *rt, pm_object *self, pm_object *item) {
    return append_end(rt, DQ(self), item, 0) < 0 ? NULL : none(rt);
}

static pm_object *dq_appendleft(pm_runtime *rt, pm_object *self, pm_object *item) {
    return append_end(rt, DQ(self), item, 1) < 0 ? NULL : none(rt);
}

/* pop (left 0) / popleft (left 1) */
static pm_object *pop_end(pm_runtime *rt, pm_object *self, int left) {
    if (DQ(self)->len == 0) {
        pm_err_set(rt, PM_EXC_IndexError, "pop from an empty deque");
        return NULL;
    }
    return (left ? pop_left : pop_right)(rt, DQ(self));
}

static pm_object *dq_pop(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pop_end(rt, self, 0);
}

static pm_object *dq_popleft(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pop_end(rt, self, 1);
}

static pm_object *dq_extend(pm_runtime *rt, pm_object *self, pm_object *iterable) {
    return deque_extend_impl(rt, DQ(self), iterable, 0) < 0 ? NULL : none(rt);
}

static pm_object *dq_extendleft(pm_runtime *rt, pm_object *self, pm_object *iterable) {
    return deque_extend_impl(rt, DQ(self), iterable, 1) < 0 ? NULL : none(rt);
}

static pm_object *dq_clear(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    deque_clear_items(rt, DQ(self));
    return none(rt);
}

static pm_object *dq_rotate(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (pmi_mod_check_positional(rt, "rotate", nargs, 0, 1) < 0) return NULL;
    pm_ssize_t n = 1;
    if (nargs == 1) {
        n = pm_index_as_ssize(rt, args[0], PM_INDEX_OVERFLOWERROR);
        if (n == -1 && pm_err_occurred(rt)) return NULL;
    }
    rotate(rt, DQ(self), n);
    return none(rt);
}

static pm_object *dq_reverse(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    dq_deque *d = DQ(self);
    for (pm_ssize_t i = 0, j = d->len - 1; i < j; i++, j--) {
        pm_object **a = item_slot(d, i), **b = item_slot(d, j), *t = *a;
        *a = *b;
        *b = t;
    }
    d->state++;
    return none(rt);
}

/* Compare v with every item; the index of the first equal one at or after
 * start and before stop, -1 when none (no error), -2 on error. */
static pm_ssize_t find(pm_runtime *rt, dq_deque *d, pm_object *v, pm_ssize_t start, pm_ssize_t stop) {
    size_t state = d->state;
    for (pm_ssize_t i = start; i < stop && i < d->len; i++) {
        pm_object *item = pm_newref(rt, *item_slot(d, i));
        int r = pm_richcompare_bool(rt, item, v, PM_EQ);
        pm_decref(rt, item);
        if (r < 0) return -2;
        if (d->state != state) {
            pm_err_set(rt, PM_EXC_RuntimeError, "deque mutated during iteration");
            return -2;
        }
        if (r) return i;
    }
    return -1;
}

static pm_object *dq_count(pm_runtime *rt, pm_object *self, pm_object *v) {
    dq_deque *d = DQ(self);
    size_t state = d->state;
    pm_ssize_t count = 0;
    for (pm_ssize_t i = 0; i < d->len; i++) {
        pm_object *item = pm_newref(rt, *item_slot(d, i));
        int r = pm_richcompare_bool(rt, item, v, PM_EQ);
        pm_decref(rt, item);
        if (r < 0) return NULL;
        if (d->state != state) {
            pm_err_set(rt, PM_EXC_RuntimeError, "deque mutated during iteration");
            return NULL;
        }
        count += r;
    }
    return pm_int_from_ssize(rt, count);
}

static int deque_contains(pm_runtime *rt, pm_object *self, pm_object *v) {
    pm_ssize_t i = find(rt, DQ(self), v, 0, DQ(self)->len);
    return i == -2 ? -1 : i >= 0;
}

/* ValueError "<repr> is not in deque". */
static void not_in_deque(pm_runtime *rt, pm_object *v) {
    pm_object *r = pm_repr(rt, v);
    if (!r) return;
    const char *s = pm_str_as_utf8(rt, r, NULL);
    if (s) pm_err_format(rt, PM_EXC_ValueError, "%s is not in deque", s);
    pm_decref(rt, r);
}

static pm_ssize_t clamp_index(pm_runtime *rt, pm_object *o, pm_ssize_t len, int *err) {
    pm_ssize_t i = pm_index_as_ssize(rt, o, PM_INDEX_CLAMP);
    if (i == -1 && pm_err_occurred(rt)) {
        *err = 1;
        return 0;
    }
    if (i < 0) {
        i += len;
        if (i < 0) i = 0;
    }
    if (i > len) i = len;
    return i;
}

static pm_object *dq_index(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (pmi_mod_check_positional(rt, "index", nargs, 1, 3) < 0) return NULL;
    dq_deque *d = DQ(self);
    int err = 0;
    pm_ssize_t start = nargs > 1 ? clamp_index(rt, args[1], d->len, &err) : 0;
    pm_ssize_t stop = nargs > 2 ? clamp_index(rt, args[2], d->len, &err) : d->len;
    if (err) return NULL;
    pm_ssize_t i = find(rt, d, args[0], start, stop);
    if (i == -2) return NULL;
    if (i == -1) {
        not_in_deque(rt, args[0]);
        return NULL;
    }
    return pm_int_from_ssize(rt, i);
}

/* del d[i] (0 <= i < len): rotate it to the left end, pop, rotate back. */
static void del_item(pm_runtime *rt, dq_deque *d, pm_ssize_t i) {
    rotate(rt, d, -i);
    pm_object *item = pop_left(rt, d);
    rotate(rt, d, i);
    pm_decref(rt, item);
}

static pm_object *dq_remove(pm_runtime *rt, pm_object *self, pm_object *v) {
    dq_deque *d = DQ(self);
    pm_ssize_t i = find(rt, d, v, 0, d->len);
    if (i == -2) return NULL;
    if (i == -1) {
        not_in_deque(rt, v);
        return NULL;
    }
    del_item(rt, d, i);
    return none(rt);
}

static pm_object *dq_insert(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (pmi_mod_check_positional(rt, "insert", nargs, 2, 2) < 0) return NULL;
    dq_deque *d = DQ(self);
    pm_ssize_t index = pm_index_as_ssize(rt, args[0], PM_INDEX_CLAMP);
    if (index == -1 && pm_err_occurred(rt)) return NULL;
    pm_ssize_t n = d->len;
    if (d->maxlen == n) {
        pm_err_set(rt, PM_EXC_IndexError, "deque already at its maximum size");
        return NULL;
    }
    if (index >= n) return dq_append(rt, self, args[1]);
    if (index <= -n || index == 0) return dq_appendleft(rt, self, args[1]);
    rotate(rt, d, -index);
    int r = append_end(rt, d, args[1], index >= 0);
    rotate(rt, d, index);
    return r < 0 ? NULL : none(rt);
}

static pm_object *deque_copy_impl(pm_runtime *rt, pm_object *self) {
    dq_deque *d = DQ(self);
    if (pm_type_of(self) == &pmi_deque_type) {
        pm_object *n = deque_alloc(rt, &pmi_deque_type);
        if (!n) return NULL;
        DQ(n)->maxlen = d->maxlen;
        if (deque_extend_impl(rt, DQ(n), self, 0) < 0) {
            pm_decref(rt, n);
            return NULL;
        }
        return n;
    }
    pm_object *type = pm_type_as_object(pm_type_of(self));
    if (d->maxlen < 0) return pm_call(rt, type, &self, 1, NULL);
    pm_object *ml = pm_int_from_ssize(rt, d->maxlen);
    if (!ml) return NULL;
    pm_object *a[2] = {self, ml};
    pm_object *r = pm_call(rt, type, a, 2, NULL);
    pm_decref(rt, ml);
    return r;
}

static pm_object *dq_copy(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return deque_copy_impl(rt, self);
}

static pm_object *dq_sizeof(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_int_from_ssize(rt, (pm_ssize_t)deque_size_of(rt, self));
}

static pm_object *dq_reversed(pm_runtime *rt, pm_object *self, pm_object *unused);

static pm_object *dq_get_maxlen(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    if (DQ(self)->maxlen < 0) return none(rt);
    return pm_int_from_ssize(rt, DQ(self)->maxlen);
}

/* ---- sequence protocol --------------------------------------------------------- */

static pm_ssize_t deque_len(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return DQ(self)->len;
}

static pm_object *deque_item(pm_runtime *rt, pm_object *self, pm_ssize_t i) {
    dq_deque *d = DQ(self);
    if (i < 0 || i >= d->len) {
        pm_err_set(rt, PM_EXC_IndexError, "deque index out of range");
        return NULL;
    }
    return pm_newref(rt, *item_slot(d, i));
}

static int deque_ass_item(pm_runtime *rt, pm_object *self, pm_ssize_t i, pm_object *v) {
    dq_deque *d = DQ(self);
    if (i < 0 || i >= d->len) {
        pm_err_set(rt, PM_EXC_IndexError, "deque index out of range");
        return -1;
    }
    if (!v) {
        del_item(rt, d, i);
        return 0;
    }
    pm_object **slot = item_slot(d, i), *old = *slot;
    *slot = pm_newref(rt, v);
    pm_decref(rt, old);
    return 0;
}

static pm_object *deque_concat(pm_runtime *rt, pm_object *self, pm_object *other) {
    if (!deque_check(other)) {
        pm_err_format(rt, PM_EXC_TypeError, "can only concatenate deque (not \"%.200s\") to deque",
                      pm_type_of(other)->name);
        return NULL;
    }
    pm_object *n = deque_copy_impl(rt, self);
    if (!n) return NULL;
    if (!deque_check(n)) {
        pm_decref(rt, n);
        pm_err_set(rt, PM_EXC_TypeError, "copy() returned a non-deque");
        return NULL;
    }
    if (deque_extend_impl(rt, DQ(n), other, 0) < 0) {
        pm_decref(rt, n);
        return NULL;
    }
    return n;
}

static pm_object *deque_inplace_concat(pm_runtime *rt, pm_object *self, pm_object *other) {
    if (deque_extend_impl(rt, DQ(self), other, 0) < 0) return NULL;
    return pm_newref(rt, self);
}

/* d *= n in place: the items as they are now, appended n - 1 more times
 * (with maxlen, min(n, maxlen) times is enough to fill it). */
static pm_object *deque_inplace_repeat(pm_runtime *rt, pm_object *self, pm_ssize_t n) {
    dq_deque *d = DQ(self);
    pm_ssize_t size = d->len;
    if (size == 0 || n == 1) return pm_newref(rt, self);
    if (n <= 0) {
        deque_clear_items(rt, d);
        return pm_newref(rt, self);
    }
    if (d->maxlen >= 0 && n > d->maxlen) n = d->maxlen;
    if (size > PM_SSIZE_MAX / n) return pm_err_nomem(rt);
    pm_object *l = pm_list_new(rt);
    if (!l) return NULL;
    int r = pm_list_extend(rt, l, self);
    for (pm_ssize_t k = 1; r == 0 && k < n; k++) r = deque_extend_impl(rt, d, l, 0);
    pm_decref(rt, l);
    return r < 0 ? NULL : pm_newref(rt, self);
}

static pm_object *deque_repeat(pm_runtime *rt, pm_object *self, pm_ssize_t n) {
    pm_object *c = deque_copy_impl(rt, self);
    if (!c) return NULL;
    pm_object *r = deque_inplace_repeat(rt, c, n);
    pm_decref(rt, c);
    return r;
}

static const pm_sequence_methods deque_as_sequence = {
    .sq_length = deque_len,
    .sq_concat = deque_concat,
    .sq_repeat = deque_repeat,
    .sq_item = deque_item,
    .sq_ass_item = deque_ass_item,
    .sq_contains = deque_contains,
    .sq_inplace_concat = deque_inplace_concat,
    .sq_inplace_repeat = deque_inplace_repeat,
};

static int deque_bool(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return DQ(self)->len > 0;
}

static const pm_number_methods deque_as_number = {
    .nb_bool = deque_bool,
};

/* ---- repr and comparison ------------------------------------------------------- */

static pm_object *deque_repr(pm_runtime *rt, pm_object *self) {
    dq_deque *d = DQ(self);
    if (d->in_repr) return pm_str_from_cstr(rt, "[...]");
    pm_object *l = pm_list_new(rt), *lr = NULL, *r = NULL;
    if (!l) return NULL;
    if (pm_list_extend(rt, l, self) < 0) goto done;
    d->in_repr = 1;
    lr = pm_repr(rt, l);
    d->in_repr = 0;
    if (!lr) goto done;
    const char *s = pm_str_as_utf8(rt, lr, NULL);
    if (!s) goto done;
    const char *name = pm_type_of(self)->name;
    const char *dot = strrchr(name, '.');
    if (dot) name = dot + 1;
    if (d->maxlen >= 0) r = pm_str_from_format(rt, "%s(%s, maxlen=%zd)", name, s, d->maxlen);
    else r = pm_str_from_format(rt, "%s(%s)", name, s);
done:
    pm_decref(rt, l);
    pm_xdecref(rt, lr);
    return r;
}

static pm_object *deque_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (!deque_check(a) || !deque_check(b)) return pm_newref(rt, PM_NOTIMPLEMENTED);
    pm_ssize_t la = DQ(a)->len, lb = DQ(b)->len;
    if (la != lb && (op == PM_EQ || op == PM_NE)) return pm_newref(rt, op == PM_EQ ? PM_FALSE : PM_TRUE);
    pm_object *ia = pm_iter(rt, a), *ib = ia ? pm_iter(rt, b) : NULL, *x = NULL, *y = NULL, *r = NULL;
    if (!ib) goto done;
    for (;;) {
        x = pm_iter_next(rt, ia);
        if (!x) break;
        y = pm_iter_next(rt, ib);
        if (!y) break;
        int eq = pm_richcompare_bool(rt, x, y, PM_EQ);
        if (eq < 0) goto done;
        if (!eq) {
            if (op == PM_EQ) r = pm_newref(rt, PM_FALSE);
            else if (op == PM_NE) r = pm_newref(rt, PM_TRUE);
            else r = pm_richcompare(rt, x, y, op);
            goto done;
        }
        PM_CLEAR(rt, x);
        PM_CLEAR(rt, y);
    }
    if (pm_err_occurred(rt)) goto done;
    /* one ran out: compare the sizes */
    {
        int res;
        switch (op) {
        case PM_LT: res = la < lb; break;
        case PM_LE: res = la <= lb; break;
        case PM_EQ: res = la == lb; break;
        case PM_NE: res = la != lb; break;
        case PM_GT: res = la > lb; break;
        default: res = la >= lb; break;
        }
        r = pm_newref(rt, pm_bool_from(res));
    }
done:
    pm_xdecref(rt, ia);
    pm_xdecref(rt, ib);
    pm_xdecref(rt, x);
    pm_xdecref(rt, y);
    return r;
}

/* ---- the operator methods a static type's slots do not make here ---------------- */

/* o as an index into d (negative from the end), as the slot wrappers
 * read it: 0 <= *out < len, or -1 with IndexError / TypeError. */
static int index_arg(pm_runtime *rt, dq_deque *d, pm_object *o, pm_ssize_t *out) {
    pm_ssize_t i = pm_index_as_ssize(rt, o, PM_INDEX_INDEXERROR);
    if (i == -1 && pm_err_occurred(rt)) return -1;
    if (i < 0) i += d->len;
    if (i < 0 || i >= d->len) {
        pm_err_set(rt, PM_EXC_IndexError, "deque index out of range");
        return -1;
    }
    *out = i;
    return 0;
}

static pm_object *dq_setitem(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    pm_ssize_t i;
    if (pmi_mod_check_positional(rt, "__setitem__", nargs, 2, 2) < 0) return NULL;
    if (index_arg(rt, DQ(self), args[0], &i) < 0 || deque_ass_item(rt, self, i, args[1]) < 0) return NULL;
    return none(rt);
}

static pm_object *dq_delitem(pm_runtime *rt, pm_object *self, pm_object *key) {
    pm_ssize_t i;
    if (index_arg(rt, DQ(self), key, &i) < 0 || deque_ass_item(rt, self, i, NULL) < 0) return NULL;
    return none(rt);
}

static pm_object *dq_add(pm_runtime *rt, pm_object *self, pm_object *other) {
    return deque_concat(rt, self, other);
}

static pm_object *dq_iadd(pm_runtime *rt, pm_object *self, pm_object *other) {
    return deque_inplace_concat(rt, self, other);
}

static pm_object *dq_mul(pm_runtime *rt, pm_object *self, pm_object *n) {
    pm_ssize_t k = pm_index_as_ssize(rt, n, PM_INDEX_OVERFLOWERROR);
    if (k == -1 && pm_err_occurred(rt)) return NULL;
    return deque_repeat(rt, self, k);
}

static pm_object *dq_imul(pm_runtime *rt, pm_object *self, pm_object *n) {
    pm_ssize_t k = pm_index_as_ssize(rt, n, PM_INDEX_OVERFLOWERROR);
    if (k == -1 && pm_err_occurred(rt)) return NULL;
    return deque_inplace_repeat(rt, self, k);
}

/* (type(d), () or ((), maxlen), the instance dict or None, iter(d)). */
static pm_object *dq_reduce(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *state = NULL, *it = NULL, *args = NULL, *r = NULL, *ml = NULL, *empty = NULL;
    pm_object **dp = pm_object_dict_ptr(rt, self);
    state = dp && *dp && pm_dict_size(*dp) > 0 ? pm_newref(rt, *dp) : pm_newref(rt, PM_NONE);
    if (!(it = pm_iter(rt, self))) goto done;
    if (!(empty = pm_tuple_from_array(rt, NULL, 0))) goto done;
    if (DQ(self)->maxlen < 0) {
        args = pm_newref(rt, empty);
    } else {
        if (!(ml = pm_int_from_ssize(rt, DQ(self)->maxlen))) goto done;
        pm_object *pair[2] = {empty, ml};
        if (!(args = pm_tuple_from_array(rt, pair, 2))) goto done;
    }
    pm_object *items[4] = {pm_type_as_object(pm_type_of(self)), args, state, it};
    r = pm_tuple_from_array(rt, items, 4);
done:
    pm_xdecref(rt, state);
    pm_xdecref(rt, it);
    pm_xdecref(rt, args);
    pm_xdecref(rt, ml);
    pm_xdecref(rt, empty);
    return r;
}

/* ---- iterators ------------------------------------------------------------------ */

typedef struct dq_iter {
    pm_object ob_base;              /* refcount + type */
    dq_deque *deque;                /* owned: the deque iterated */
    pm_ssize_t index;               /* position of the next item (0-based from the walk's start) */
    size_t state;                   /* the deque's state when the iterator was made */
} dq_iter;

static pm_object *iter_make(pm_runtime *rt, const pm_type *t, pm_object *deque) {
    dq_iter *it = (dq_iter *)pm_gc_new(rt, t);
    if (!it) return NULL;
    it->deque = (dq_deque *)pm_newref(rt, deque);
    it->state = DQ(deque)->state;
    pm_gc_track(rt, (pm_object *)it);
    return (pm_object *)it;
}

static pm_object *deque_iter(pm_runtime *rt, pm_object *self) {
    return iter_make(rt, &pmi_dequeiter_type, self);
}

static pm_object *dq_reversed(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return iter_make(rt, &pmi_dequereviter_type, self);
}

static void iter_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    PM_CLEAR(rt, ((dq_iter *)self)->deque);
    pm_gc_del(rt, self);
}

static int iter_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    dq_iter *it = (dq_iter *)self;
    return it->deque ? visit((pm_object *)it->deque, arg) : 0;
}

static int iter_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((dq_iter *)self)->deque);
    return 0;
}

static pm_object *iter_next_dir(pm_runtime *rt, pm_object *self, int reverse) {
    dq_iter *it = (dq_iter *)self;
    dq_deque *d = it->deque;
    if (!d) return NULL;
    if (d->state != it->state) {
        pm_err_set(rt, PM_EXC_RuntimeError, "deque mutated during iteration");
        return NULL;
    }
    if (it->index >= d->len) {
        PM_CLEAR(rt, it->deque);
        return NULL;
    }
    pm_ssize_t i = reverse ? d->len - 1 - it->index : it->index;
    it->index++;
    return pm_newref(rt, *item_slot(d, i));
}

static pm_object *iter_next(pm_runtime *rt, pm_object *self) { return iter_next_dir(rt, self, 0); }
static pm_object *reviter_next(pm_runtime *rt, pm_object *self) { return iter_next_dir(rt, self, 1); }

static pm_object *iter_self(pm_runtime *rt, pm_object *self) { return pm_newref(rt, self); }

static pm_object *iter_length_hint(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    dq_iter *it = (dq_iter *)self;
    pm_ssize_t n = it->deque ? it->deque->len - it->index : 0;
    return pm_int_from_ssize(rt, n < 0 ? 0 : n);
}

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def iter_methods[] = {
    {"__length_hint__", FN(iter_length_hint), PM_METH_NOARGS, "Private method returning an estimate of len(list(it))."},
    {NULL, NULL, 0, NULL},
};

const pm_type pmi_dequeiter_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "_collections._deque_iterator",
    .basicsize = sizeof(dq_iter),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = iter_dealloc,
    .traverse = iter_traverse,
    .clear = iter_clear,
    .iter = iter_self,
    .iternext = iter_next,
    .methods = iter_methods,
};

const pm_type pmi_dequereviter_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "_collections._deque_reverse_iterator",
    .basicsize = sizeof(dq_iter),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = iter_dealloc,
    .traverse = iter_traverse,
    .clear = iter_clear,
    .iter = iter_self,
    .iternext = reviter_next,
    .methods = iter_methods,
};

/* ---- the type ------------------------------------------------------------------- */

static const pm_method_def deque_methods[] = {
    {"append", FN(dq_append), PM_METH_O, "Add an element to the right side of the deque."},
    {"appendleft", FN(dq_appendleft), PM_METH_O, "Add an element to the left side of the deque."},
    {"clear", FN(dq_clear), PM_METH_NOARGS, "Remove all elements from the deque."},
    {"__copy__", FN(dq_copy), PM_METH_NOARGS, "Return a shallow copy of a deque."},
    {"copy", FN(dq_copy), PM_METH_NOARGS, "Return a shallow copy of a deque."},
    {"count", FN(dq_count), PM_METH_O, "D.count(value) -- return number of occurrences of value"},
    {"extend", FN(dq_extend), PM_METH_O, "Extend the right side of the deque with elements from the iterable"},
    {"extendleft", FN(dq_extendleft), PM_METH_O, "Extend the left side of the deque with elements from the iterable"},
    {"index", FN(dq_index), PM_METH_FASTCALL,
     "D.index(value, [start, [stop]]) -- return first index of value.\nRaises ValueError if the value is not present."},
    {"insert", FN(dq_insert), PM_METH_FASTCALL, "D.insert(index, object) -- insert object before index"},
    {"pop", FN(dq_pop), PM_METH_NOARGS, "Remove and return the rightmost element."},
    {"popleft", FN(dq_popleft), PM_METH_NOARGS, "Remove and return the leftmost element."},
    {"__reversed__", FN(dq_reversed), PM_METH_NOARGS, "D.__reversed__() -- return a reverse iterator over the deque"},
    {"remove", FN(dq_remove), PM_METH_O, "D.remove(value) -- remove first occurrence of value."},
    {"reverse", FN(dq_reverse), PM_METH_NOARGS, "D.reverse() -- reverse *IN PLACE*"},
    {"rotate", FN(dq_rotate), PM_METH_FASTCALL, "Rotate the deque n steps to the right (default n=1).  If n is negative, rotates left."},
    {"__sizeof__", FN(dq_sizeof), PM_METH_NOARGS, "D.__sizeof__() -- size of D in memory, in bytes"},
    {"__reduce__", FN(dq_reduce), PM_METH_NOARGS, "Return state information for pickling."},
    {"__setitem__", FN(dq_setitem), PM_METH_FASTCALL | PM_METH_COEXIST, "Set self[key] to value."},
    {"__delitem__", FN(dq_delitem), PM_METH_O | PM_METH_COEXIST, "Delete self[key]."},
    {"__add__", FN(dq_add), PM_METH_O | PM_METH_COEXIST, "Return self+value."},
    {"__iadd__", FN(dq_iadd), PM_METH_O | PM_METH_COEXIST, "Implement self+=value."},
    {"__mul__", FN(dq_mul), PM_METH_O | PM_METH_COEXIST, "Return self*value."},
    {"__rmul__", FN(dq_mul), PM_METH_O | PM_METH_COEXIST, "Return value*self."},
    {"__imul__", FN(dq_imul), PM_METH_O | PM_METH_COEXIST, "Implement self*=value."},
    {NULL, NULL, 0, NULL},
};

static const pm_getset_def deque_getset[] = {
    {"maxlen", dq_get_maxlen, NULL, "maximum size of a deque or None if unbounded", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const pm_type pmi_deque_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "collections.deque",
    .basicsize = sizeof(dq_deque),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(dq_deque, weakreflist),
    .doc = "deque([iterable[, maxlen]]) --> deque object\n\nA list-like sequence optimized for data accesses "
           "near its endpoints.",
    .dealloc = deque_dealloc,
    .traverse = deque_traverse,
    .clear = deque_gc_clear,
    .size_of = deque_size_of,
    .repr = deque_repr,
    .richcompare = deque_richcompare,
    .as_number = &deque_as_number,
    .as_sequence = &deque_as_sequence,
    .new_object = deque_tp_new,
    .init = deque_tp_init,
    .iter = deque_iter,
    .methods = deque_methods,
    .getset = deque_getset,
};

/* ---- the module ------------------------------------------------------------------ */

static int collections_fill(pm_runtime *rt, pm_object *m) {
    if (pmi_module_add(rt, m, "deque", pm_type_as_object(&pmi_deque_type)) < 0) return -1;
    if (pmi_module_add(rt, m, "_deque_iterator", pm_type_as_object(&pmi_dequeiter_type)) < 0) return -1;
    if (pmi_module_add(rt, m, "_deque_reverse_iterator", pm_type_as_object(&pmi_dequereviter_type)) < 0)
        return -1;
    return 0;
}
#undef FN

static const pmi_module_def collections_def = {
    .name = "_collections",
    .doc = "High performance data structures.\n- deque:        ordered collection accessible from endpoints only",
    .methods = NULL,
    .fill = collections_fill,
};

pm_object *pmi_collections_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &collections_def);
}
