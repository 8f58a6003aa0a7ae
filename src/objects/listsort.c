/*
 * listsort.c — list.sort(): CPython 3.11's timsort, comparison for comparison.
 *
 * Purpose
 *   Sorting calls `<` on user objects, and a Python program can watch every
 *   call (an __lt__ that logs).  pymm therefore runs the same algorithm as
 *   CPython 3.11's Objects/listobject.c (described in its listsort.txt), with
 *   the same decisions in the same order, so a logging comparison prints the
 *   same log, and a comparison that raises stops the sort at the same point.
 *   The code here is written from that description; none of it is copied.
 *
 * The algorithm, in the order the comparisons happen
 *   1. With a key function, every key is computed first, left to right; an
 *      error there leaves the list untouched.
 *   2. reverse=True: the items (and keys) are reversed, sorted ascending,
 *      and reversed back — that keeps equal items in their original order.
 *   3. minrun = the top 6 bits of n, plus one if any lower bit is set
 *      (32..64 for n >= 64; n itself below 64).
 *   4. Left to right, find the next run: the longest non-descending prefix,
 *      or the longest *strictly* descending one (reversed in place, which is
 *      stable because no two of its items are equal).  A run shorter than
 *      minrun is extended to minrun items by binary insertion sort.
 *   5. Each new run gets a "power" (powersort, new in 3.11): the depth of
 *      the node in a perfectly balanced merge tree that separates the
 *      midpoints of the previous run and this one.  Runs on the stack whose
 *      power is higher than the new one are merged first.  After the last
 *      run the stack is collapsed from the top (merging the smaller
 *      neighbour of the second-last run first).
 *   6. A merge first gallops to trim the prefix of A already in place and
 *      the suffix of B already in place, then merges the rest from the low
 *      end (merge_lo, when A is the shorter) or the high end (merge_hi)
 *      with a temporary copy of the shorter run.  One-at-a-time merging
 *      switches to galloping after min_gallop consecutive wins of one side
 *      (min_gallop starts at 7 and adapts: -1 for every galloping round that
 *      pays, +1 on leaving galloping mode).
 *
 *     pending stack (ms->pending)                 the array being sorted
 *     +--------------------------+
 *     | run 0: base, len, power  |  ->  [ run 0 .......][ run 1 ...][ run 2 ][ unsorted...
 *     | run 1: base, len, power  |
 *     | run 2: base, len         |  <- newest; powers strictly increase upward
 *     +--------------------------+
 *
 * Every comparison is pm_richcompare_bool(rt, x, y, PM_LT) ("x < y"), as
 *   CPython's ISLT; CPython's type-specialised shortcuts (unsafe_*_compare)
 *   are left out: they only skip work, never change which pairs are
 *   compared, so the sequence of `<` calls is the same without them.
 *
 * Failure and mutation
 *   A failed comparison (or MemoryError for the merge buffer) stops the sort;
 *   every merge first puts the items it holds in its buffer back, so the list
 *   is always a permutation of its items.  While sorting, the list looks
 *   empty (size 0, no array, allocated -1); anything a comparison or key
 *   function did to it is thrown away at the end, and if `allocated` is no
 *   longer -1 the sort fails with ValueError "list modified during sort"
 *   (unless it had failed already), as CPython.
 */
#include "containers.h"

#include <string.h>

/* CPython's constants: the galloping threshold, the stack-buffer size, and
 * the pending-stack depth (enough for 2**64 items with powersort). */
#define MIN_GALLOP 7
#define TEMP_SIZE 256
#define MAX_PENDING 85

/* A slice of the keys and, with a key function, the parallel items. */
typedef struct sortslice {
    pm_object **keys;           /* what is compared */
    pm_object **values;         /* the list items when keys were computed; NULL otherwise */
} sortslice;

/* One run waiting to be merged. */
typedef struct run {
    sortslice base;             /* first item of the run */
    pm_ssize_t len;             /* its length */
    int power;                  /* powersort node power (for all but the newest) */
} run;

/* The state of one sort: on the C stack of pmi_listsort's caller. */
typedef struct merge_state {
    pm_runtime *rt;             /* for comparisons and memory */
    pm_ssize_t min_gallop;      /* current galloping threshold (adaptive) */
    pm_ssize_t listlen;         /* number of items sorted */
    pm_object **basekeys;       /* keys[0]: run starts are measured from here */
    sortslice a;                /* the merge buffer (keys, then values) */
    pm_ssize_t alloced;         /* items the buffer holds */
    int n;                      /* runs on the pending stack */
    run pending[MAX_PENDING];   /* the stack of runs */
    pm_object *temparray[TEMP_SIZE]; /* the buffer while it is small enough */
} merge_state;

/* ---- slices ------------------------------------------------------------- */

static void ss_copy(sortslice *d, pm_ssize_t i, const sortslice *s, pm_ssize_t j) {
    d->keys[i] = s->keys[j];
    if (d->values) d->values[i] = s->values[j];
}
static void ss_copy_incr(sortslice *d, sortslice *s) {
    *d->keys++ = *s->keys++;
    if (d->values) *d->values++ = *s->values++;
}
static void ss_copy_decr(sortslice *d, sortslice *s) {
    *d->keys-- = *s->keys--;
    if (d->values) *d->values-- = *s->values--;
}
static void ss_memcpy(sortslice *d, pm_ssize_t i, const sortslice *s, pm_ssize_t j, pm_ssize_t n) {
    memcpy(&d->keys[i], &s->keys[j], sizeof(pm_object *) * (size_t)n);
    if (d->values) memcpy(&d->values[i], &s->values[j], sizeof(pm_object *) * (size_t)n);
}
static void ss_memmove(sortslice *d, pm_ssize_t i, const sortslice *s, pm_ssize_t j, pm_ssize_t n) {
    memmove(&d->keys[i], &s->keys[j], sizeof(pm_object *) * (size_t)n);
    if (d->values) memmove(&d->values[i], &s->values[j], sizeof(pm_object *) * (size_t)n);
}
static void ss_advance(sortslice *s, pm_ssize_t n) {
    s->keys += n;
    if (s->values) s->values += n;
}

static void reverse_slice(pm_object **lo, pm_object **hi) {
    for (--hi; lo < hi; lo++, hi--) {
        pm_object *t = *lo;
        *lo = *hi;
        *hi = t;
    }
}

static void reverse_sortslice(sortslice *s, pm_ssize_t n) {
    reverse_slice(s->keys, &s->keys[n]);
    if (s->values) reverse_slice(s->values, &s->values[n]);
}

/* x < y: 1/0, -1 on error. */
static int islt(merge_state *ms, pm_object *x, pm_object *y) {
    return pm_richcompare_bool(ms->rt, x, y, PM_LT);
}

/* ---- runs --------------------------------------------------------------- */

/* Binary insertion sort of [lo, hi), of which [lo, start) is sorted. */
static int binarysort(merge_state *ms, sortslice lo, pm_object **hi, pm_object **start) {
    if (lo.keys == start) ++start;
    for (; start < hi; ++start) {
        pm_object **l = lo.keys, **r = start, **p;
        pm_object *pivot = *r;
        /* pivot >= everything in [lo, l), pivot < everything in [r, start) */
        do {
            p = l + ((r - l) >> 1);
            int k = islt(ms, pivot, *p);
            if (k < 0) return -1;
            if (k) r = p;
            else l = p + 1;
        } while (l < r);
        for (p = start; p > l; --p) *p = *(p - 1);
        *l = pivot;
        if (lo.values) {
            pm_ssize_t off = lo.values - lo.keys;
            pivot = start[off];
            for (p = start + off; p > l + off; --p) *p = *(p - 1);
            l[off] = pivot;
        }
    }
    return 0;
}

/* Length of the run starting at lo (< hi); *descending set when it is
 * strictly descending.  -1 on error. */
static pm_ssize_t count_run(merge_state *ms, pm_object **lo, pm_object **hi, int *descending) {
    *descending = 0;
    ++lo;
    if (lo == hi) return 1;
    pm_ssize_t n = 2;
    int k = islt(ms, *lo, *(lo - 1));
    if (k < 0) return -1;
    if (k) {
        *descending = 1;
        for (lo = lo + 1; lo < hi; ++lo, ++n) {
            k = islt(ms, *lo, *(lo - 1));
            if (k < 0) return -1;
            if (!k) break;
        }
    } else {
        for (lo = lo + 1; lo < hi; ++lo, ++n) {
            k = islt(ms, *lo, *(lo - 1));
            if (k < 0) return -1;
            if (k) break;
        }
    }
    return n;
}

/* ---- galloping ---------------------------------------------------------- */

/* Where key goes in the sorted a[0..n): the k with a[k-1] < key <= a[k]
 * (leftmost slot), searching outward from a[hint].  -1 on error. */
static pm_ssize_t gallop_left(merge_state *ms, pm_object *key, pm_object **a, pm_ssize_t n,
                              pm_ssize_t hint) {
    pm_ssize_t ofs = 1, lastofs = 0;
    a += hint;
    int k = islt(ms, *a, key);
    if (k < 0) return -1;
    if (k) {
        /* a[hint] < key: step right until a[hint+lastofs] < key <= a[hint+ofs] */
        pm_ssize_t maxofs = n - hint;
        while (ofs < maxofs) {
            k = islt(ms, a[ofs], key);
            if (k < 0) return -1;
            if (!k) break;
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs) ofs = maxofs;
        lastofs += hint;
        ofs += hint;
    } else {
        /* key <= a[hint]: step left until a[hint-ofs] < key <= a[hint-lastofs] */
        pm_ssize_t maxofs = hint + 1;
        while (ofs < maxofs) {
            k = islt(ms, *(a - ofs), key);
            if (k < 0) return -1;
            if (k) break;
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs) ofs = maxofs;
        pm_ssize_t t = lastofs;
        lastofs = hint - ofs;
        ofs = hint - t;
    }
    a -= hint;
    /* a[lastofs] < key <= a[ofs]: binary search in between */
    ++lastofs;
    while (lastofs < ofs) {
        pm_ssize_t m = lastofs + ((ofs - lastofs) >> 1);
        k = islt(ms, a[m], key);
        if (k < 0) return -1;
        if (k) lastofs = m + 1;
        else ofs = m;
    }
    return ofs;
}

/* Like gallop_left but the rightmost slot: a[k-1] <= key < a[k]. */
static pm_ssize_t gallop_right(merge_state *ms, pm_object *key, pm_object **a, pm_ssize_t n,
                               pm_ssize_t hint) {
    pm_ssize_t ofs = 1, lastofs = 0;
    a += hint;
    int k = islt(ms, key, *a);
    if (k < 0) return -1;
    if (k) {
        /* key < a[hint]: step left until a[hint-ofs] <= key < a[hint-lastofs] */
        pm_ssize_t maxofs = hint + 1;
        while (ofs < maxofs) {
            k = islt(ms, key, *(a - ofs));
            if (k < 0) return -1;
            if (!k) break;
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs) ofs = maxofs;
        pm_ssize_t t = lastofs;
        lastofs = hint - ofs;
        ofs = hint - t;
    } else {
        /* a[hint] <= key: step right until a[hint+lastofs] <= key < a[hint+ofs] */
        pm_ssize_t maxofs = n - hint;
        while (ofs < maxofs) {
            k = islt(ms, key, a[ofs]);
            if (k < 0) return -1;
            if (k) break;
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs) ofs = maxofs;
        lastofs += hint;
        ofs += hint;
    }
    a -= hint;
    ++lastofs;
    while (lastofs < ofs) {
        pm_ssize_t m = lastofs + ((ofs - lastofs) >> 1);
        k = islt(ms, key, a[m]);
        if (k < 0) return -1;
        if (k) ofs = m;
        else lastofs = m + 1;
    }
    return ofs;
}

/* ---- merging ------------------------------------------------------------ */

static void merge_freemem(merge_state *ms) {
    if (ms->a.keys != ms->temparray) pm_free(ms->rt, ms->a.keys);
}

/* Make the buffer hold at least `need` items (keys and values).  0 / -1 +
 * MemoryError (the old buffer is then gone too, which is harmless). */
static int merge_getmem(merge_state *ms, pm_ssize_t need) {
    if (need <= ms->alloced) return 0;
    int with_values = ms->a.values != NULL;
    merge_freemem(ms);
    ms->a.keys = ms->temparray;
    ms->a.values = with_values ? &ms->temparray[TEMP_SIZE / 2] : NULL;
    ms->alloced = with_values ? TEMP_SIZE / 2 : TEMP_SIZE;
    size_t mult = with_values ? 2 : 1;
    if ((size_t)need > (size_t)PTRDIFF_MAX / sizeof(pm_object *) / mult) goto nomem;
    pm_object **p = pm_malloc(ms->rt, (size_t)need * mult * sizeof(pm_object *));
    if (!p) goto nomem;
    ms->a.keys = p;
    ms->a.values = with_values ? p + need : NULL;
    ms->alloced = need;
    return 0;
nomem:
    pm_err_nomem(ms->rt);
    return -1;
}

/* Merge the na items at ssa with the nb items at ssb (ssa + na == ssb),
 * na <= nb, from the low end.  ssa[0] belongs after ssb[0] and ssa[na-1]
 * at the very end (merge_at's trimming guarantees it). */
static int merge_lo(merge_state *ms, sortslice ssa, pm_ssize_t na, sortslice ssb, pm_ssize_t nb) {
    if (merge_getmem(ms, na) < 0) return -1;
    ss_memcpy(&ms->a, 0, &ssa, 0, na);
    sortslice dest = ssa;
    ssa = ms->a;
    int result = -1;
    pm_ssize_t k, min_gallop;

    ss_copy_incr(&dest, &ssb);
    if (--nb == 0) goto succeed;
    if (na == 1) goto copy_b;

    min_gallop = ms->min_gallop;
    for (;;) {
        pm_ssize_t acount = 0, bcount = 0;   /* consecutive wins of A / B */
        for (;;) {                           /* one pair at a time */
            int c = islt(ms, ssb.keys[0], ssa.keys[0]);
            if (c < 0) goto fail;
            if (c) {
                ss_copy_incr(&dest, &ssb);
                ++bcount;
                acount = 0;
                if (--nb == 0) goto succeed;
                if (bcount >= min_gallop) break;
            } else {
                ss_copy_incr(&dest, &ssa);
                ++acount;
                bcount = 0;
                if (--na == 1) goto copy_b;
                if (acount >= min_gallop) break;
            }
        }
        /* One side keeps winning: gallop while it pays. */
        ++min_gallop;
        do {
            min_gallop -= min_gallop > 1;
            ms->min_gallop = min_gallop;
            k = gallop_right(ms, ssb.keys[0], ssa.keys, na, 0);
            acount = k;
            if (k) {
                if (k < 0) goto fail;
                ss_memcpy(&dest, 0, &ssa, 0, k);
                ss_advance(&dest, k);
                ss_advance(&ssa, k);
                na -= k;
                if (na == 1) goto copy_b;
                if (na == 0) goto succeed;   /* only with an inconsistent `<` */
            }
            ss_copy_incr(&dest, &ssb);
            if (--nb == 0) goto succeed;

            k = gallop_left(ms, ssa.keys[0], ssb.keys, nb, 0);
            bcount = k;
            if (k) {
                if (k < 0) goto fail;
                ss_memmove(&dest, 0, &ssb, 0, k);
                ss_advance(&dest, k);
                ss_advance(&ssb, k);
                nb -= k;
                if (nb == 0) goto succeed;
            }
            ss_copy_incr(&dest, &ssa);
            if (--na == 1) goto copy_b;
        } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
        ++min_gallop;                        /* leaving galloping costs */
        ms->min_gallop = min_gallop;
    }
succeed:
    result = 0;
fail:
    if (na) ss_memcpy(&dest, 0, &ssa, 0, na);   /* the buffer goes back */
    return result;
copy_b:
    /* The last item of A belongs after all of what is left of B. */
    ss_memmove(&dest, 0, &ssb, 0, nb);
    ss_copy(&dest, nb, &ssa, 0);
    return 0;
}

/* The mirror image: na >= nb, merged from the high end with B in the
 * buffer. */
static int merge_hi(merge_state *ms, sortslice ssa, pm_ssize_t na, sortslice ssb, pm_ssize_t nb) {
    if (merge_getmem(ms, nb) < 0) return -1;
    sortslice dest = ssb, basea = ssa, baseb;
    int result = -1;
    pm_ssize_t k, min_gallop;
    ss_advance(&dest, nb - 1);
    ss_memcpy(&ms->a, 0, &ssb, 0, nb);
    baseb = ms->a;
    ssb.keys = ms->a.keys + nb - 1;
    if (ssb.values) ssb.values = ms->a.values + nb - 1;
    ss_advance(&ssa, na - 1);

    ss_copy_decr(&dest, &ssa);
    if (--na == 0) goto succeed;
    if (nb == 1) goto copy_a;

    min_gallop = ms->min_gallop;
    for (;;) {
        pm_ssize_t acount = 0, bcount = 0;
        for (;;) {
            int c = islt(ms, ssb.keys[0], ssa.keys[0]);
            if (c < 0) goto fail;
            if (c) {
                ss_copy_decr(&dest, &ssa);
                ++acount;
                bcount = 0;
                if (--na == 0) goto succeed;
                if (acount >= min_gallop) break;
            } else {
                ss_copy_decr(&dest, &ssb);
                ++bcount;
                acount = 0;
                if (--nb == 1) goto copy_a;
                if (bcount >= min_gallop) break;
            }
        }
        ++min_gallop;
        do {
            min_gallop -= min_gallop > 1;
            ms->min_gallop = min_gallop;
            k = gallop_right(ms, ssb.keys[0], basea.keys, na, na - 1);
            if (k < 0) goto fail;
            k = na - k;
            acount = k;
            if (k) {
                ss_advance(&dest, -k);
                ss_advance(&ssa, -k);
                ss_memmove(&dest, 1, &ssa, 1, k);
                na -= k;
                if (na == 0) goto succeed;
            }
            ss_copy_decr(&dest, &ssb);
            if (--nb == 1) goto copy_a;

            k = gallop_left(ms, ssa.keys[0], baseb.keys, nb, nb - 1);
            if (k < 0) goto fail;
            k = nb - k;
            bcount = k;
            if (k) {
                ss_advance(&dest, -k);
                ss_advance(&ssb, -k);
                ss_memcpy(&dest, 1, &ssb, 1, k);
                nb -= k;
                if (nb == 1) goto copy_a;
                if (nb == 0) goto succeed;   /* only with an inconsistent `<` */
            }
            ss_copy_decr(&dest, &ssa);
            if (--na == 0) goto succeed;
        } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
        ++min_gallop;
        ms->min_gallop = min_gallop;
    }
succeed:
    result = 0;
fail:
    if (nb) ss_memcpy(&dest, -(nb - 1), &baseb, 0, nb);
    return result;
copy_a:
    /* The first item of B belongs before all of what is left of A. */
    ss_memmove(&dest, 1 - na, &ssa, 1 - na, na);
    ss_advance(&dest, -na);
    ss_advance(&ssa, -na);
    ss_copy(&dest, 0, &ssb, 0);
    return 0;
}

/* Merge pending runs i and i+1. */
static int merge_at(merge_state *ms, int i) {
    sortslice ssa = ms->pending[i].base, ssb = ms->pending[i + 1].base;
    pm_ssize_t na = ms->pending[i].len, nb = ms->pending[i + 1].len;
    ms->pending[i].len = na + nb;
    if (i == ms->n - 3) ms->pending[i + 1] = ms->pending[i + 2];
    --ms->n;
    /* Items of A before where B's first goes are in place already. */
    pm_ssize_t k = gallop_right(ms, *ssb.keys, ssa.keys, na, 0);
    if (k < 0) return -1;
    ss_advance(&ssa, k);
    na -= k;
    if (na == 0) return 0;
    /* So are items of B after where A's last goes. */
    nb = gallop_left(ms, ssa.keys[na - 1], ssb.keys, nb, nb - 1);
    if (nb <= 0) return (int)nb;
    return na <= nb ? merge_lo(ms, ssa, na, ssb, nb) : merge_hi(ms, ssa, na, ssb, nb);
}

/* Powersort's node power of the boundary between the run of n1 items at s1
 * and the next run of n2 items, in a list of n: the first bit where the
 * binary expansions of the two midpoints (scaled to [0, 1)) differ.  Works
 * on doubled midpoints so everything stays an integer. */
static int powerloop(pm_ssize_t s1, pm_ssize_t n1, pm_ssize_t n2, pm_ssize_t n) {
    int result = 0;
    pm_ssize_t a = 2 * s1 + n1, b = a + n1 + n2;
    for (;;) {
        ++result;
        if (a >= n) {
            a -= n;
            b -= n;
        } else if (b >= n) {
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    return result;
}

/* A run of n2 items follows the newest pending one: merge what has a
 * higher power first. */
static int found_new_run(merge_state *ms, pm_ssize_t n2) {
    if (ms->n) {
        run *p = ms->pending;
        pm_ssize_t s1 = p[ms->n - 1].base.keys - ms->basekeys;
        pm_ssize_t n1 = p[ms->n - 1].len;
        int power = powerloop(s1, n1, n2, ms->listlen);
        while (ms->n > 1 && p[ms->n - 2].power > power)
            if (merge_at(ms, ms->n - 2) < 0) return -1;
        p[ms->n - 1].power = power;
    }
    return 0;
}

static int merge_force_collapse(merge_state *ms) {
    run *p = ms->pending;
    while (ms->n > 1) {
        int i = ms->n - 2;
        if (i > 0 && p[i - 1].len < p[i + 1].len) --i;
        if (merge_at(ms, i) < 0) return -1;
    }
    return 0;
}

/* 32..64 for n >= 64 (n / minrun close to, but not above, a power of 2). */
static pm_ssize_t merge_compute_minrun(pm_ssize_t n) {
    pm_ssize_t r = 0;
    while (n >= 64) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

/* Sort keys[0..n) (and values in step when non-NULL) ascending and stably.
 * 0 / -1; either way the arrays hold a permutation of what they held. */
static int timsort(pm_runtime *rt, pm_object **keys, pm_object **values, pm_ssize_t n) {
    merge_state state, *ms = &state;    /* about 5 KiB of C stack, as CPython */
    ms->rt = rt;
    ms->min_gallop = MIN_GALLOP;
    ms->listlen = n;
    ms->basekeys = keys;
    ms->a.keys = ms->temparray;
    ms->a.values = values ? &ms->temparray[TEMP_SIZE / 2] : NULL;
    ms->alloced = values ? TEMP_SIZE / 2 : TEMP_SIZE;
    ms->n = 0;
    int r = -1;
    sortslice lo = {keys, values};
    pm_ssize_t nremaining = n, minrun = merge_compute_minrun(n);
    do {
        int descending;
        pm_ssize_t len = count_run(ms, lo.keys, lo.keys + nremaining, &descending);
        if (len < 0) goto done;
        if (descending) reverse_sortslice(&lo, len);
        if (len < minrun) {
            pm_ssize_t force = nremaining <= minrun ? nremaining : minrun;
            if (binarysort(ms, lo, lo.keys + force, lo.keys + len) < 0) goto done;
            len = force;
        }
        if (found_new_run(ms, len) < 0) goto done;
        ms->pending[ms->n].base = lo;
        ms->pending[ms->n].len = len;
        ++ms->n;
        ss_advance(&lo, len);
        nremaining -= len;
    } while (nremaining);
    if (merge_force_collapse(ms) < 0) goto done;
    r = 0;
done:
    merge_freemem(ms);
    return r;
}

/* ---- list.sort ---------------------------------------------------------- */

int pm_list_sort_key(pm_runtime *rt, pm_object *list, pm_sort_key_fn key, void *ctx, int reverse) {
    if (!pm_list_check(list)) {
        pmi_err_badarg(rt, "pm_list_sort_key");
        return -1;
    }
    pmi_list *self = PMI_LIST(list);
    pm_ssize_t n = self->ob_base.ob_size, i;
    pm_object **items = self->ob_item;
    pm_ssize_t allocated = self->allocated;
    pm_object **keys = NULL;
    int r = 0;

    /* The list looks empty while it is sorted; allocated -1 marks it, and
     * any change made meanwhile resets it. */
    self->ob_base.ob_size = 0;
    self->ob_item = NULL;
    self->allocated = -1;

    if (key && n > 0) {
        keys = pm_malloc(rt, (size_t)n * sizeof(pm_object *));
        if (!keys) {
            pm_err_nomem(rt);
            r = -1;
            goto restore;
        }
        for (i = 0; i < n; i++) {
            keys[i] = key(rt, items[i], ctx);
            if (!keys[i]) {
                while (--i >= 0) pm_decref(rt, keys[i]);
                pm_free(rt, keys);
                keys = NULL;
                r = -1;
                goto restore;
            }
        }
    }

    if (n > 1) {
        if (reverse) {
            if (keys) reverse_slice(keys, keys + n);
            reverse_slice(items, items + n);
        }
        r = keys ? timsort(rt, keys, items, n) : timsort(rt, items, NULL, n);
    }
    if (keys) {
        for (i = 0; i < n; i++) pm_decref(rt, keys[i]);
        pm_free(rt, keys);
    }
    if (self->allocated != -1 && r == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "list modified during sort");
        r = -1;
    }
    if (reverse && n > 1) reverse_slice(items, items + n);

restore:;
    /* Put the items back; drop whatever the callbacks stored meanwhile. */
    pm_object **added = self->ob_item;
    pm_ssize_t nadded = self->ob_base.ob_size;
    self->ob_base.ob_size = n;
    self->ob_item = items;
    self->allocated = allocated;
    if (added) {
        while (--nadded >= 0) pm_xdecref(rt, added[nadded]);
        pm_free(rt, added);
    }
    return r;
}

int pm_list_sort(pm_runtime *rt, pm_object *list, int reverse) {
    if (!pm_list_check(list)) {
        pmi_err_badarg(rt, "pm_list_sort");
        return -1;
    }
    return pm_list_sort_key(rt, list, NULL, NULL, reverse);
}
