/*
 * bench_objects.c — pymm's side of `make bench-objects`.
 *
 *   pymm-bench-objects [N [REPS [WORKLOAD]]]   (defaults 1000000, 5, all)
 *
 * WORKLOAD runs that one workload alone (e.g. under
 * `valgrind --tool=callgrind`: two runs at different N give the
 * instructions per operation as the difference over the extra operations).
 *
 * Workloads, each the best of REPS rounds:
 *   incref_pair  pm_incref + pm_decref on one hot object (100 N pairs); an
 *                empty asm statement per call keeps the compiler from
 *                folding them, exactly as cpy_objects.c does for CPython.
 *   int          create N ints outside the small-int cache (2**20 + i) and
 *                drop them.
 *   tuple2       create N 2-tuples (None, None) and drop them.
 *   instance     create N instances of a plain (dict) class, no attributes.
 *   instance2    create N instances of another plain class (Attrs2) and
 *                set two attributes (pm_setattr a, b).  Its own class, as
 *                in cpy_objects.c: in CPython 3.11 every instance spends
 *                one of its class's shared-keys slots, so Plain after
 *                `instance` would give each instance a full dict.
 *   slots2       create N instances of a 2-slot class, setting both slots
 *                through pm_setattr.
 *   attr_read    read attribute a of one instance of a class made by
 *                type('Attrs3', (), {}) — CPython's side: a class statement —
 *                with a and b set (pm_getattr, the result dropped), 10 N
 *                times: per read.
 *   method_call  call obj.__sizeof__() on that instance (pm_call_method:
 *                the lookup through the class's MRO and method cache, then
 *                the call of object's C method), 10 N times: per call.
 * attr_read and method_call compare like with like: on both sides a heap
 * class with no attributes of its own (here type('Attrs3', (), {}), there a
 * class statement: in 3.11 both go through type_new and give the class
 * shared keys), one instance of it with a and b stored as inline values
 * (CPython 3.11's managed dict; pymm's pmi_dict_values), the names interned
 * str objects made once outside the loop (PyUnicode_InternFromString /
 * pm_str_intern_cstr), passed as objects to the embedder's calls of choice
 * (PyObject_GetAttr / pm_getattr; PyObject_CallMethodNoArgs /
 * pm_call_method with no arguments), and the method object.__sizeof__
 * (a C method descriptor, METH_NOARGS on both sides, returning a new int).
 * CPython's instance comes from tp_new, pymm's from calling the class: the
 * same layout, and neither is on the timed path.
 * CPython's side is bench/objects/cpy_objects.c: the same loops through
 * CPython's C API (tp_new, PyObject_SetAttr, PyTuple_Pack, PyLong_FromLong),
 * so neither side runs a Python-level frame.
 * The objects are kept in a C array from malloc (not pymm), so pymm's
 * statistics see only the objects themselves:
 *   ns_per_object     (create all + drop all) / N
 *   bytes_per_object  the bytes requested from the allocator per object
 *                     (gc head included), counted as tracemalloc counts
 *                     them on CPython's side: a trace hook over one more,
 *                     untimed round
 *   class_bytes_per_object  growth of small_bytes_in_use + large_bytes / N,
 *                     i.e. the size-class bytes pymm handed out (what
 *                     pymalloc would hand out for the same requests)
 *   rss_per_object    growth of the resident set / N (first round)
 * The cycle collector is disabled on both sides.  Both link their runtime
 * as a shared library (libpymm.so, libpython3.11.so).
 * Output: `pymm <workload> ns_per_object=... bytes_per_object=... rss_per_object=...`
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "pymm.h"

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static long rss_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, res = 0;
    if (!f) return 0;
    if (fscanf(f, "%ld %ld", &size, &res) != 2) res = 0;
    fclose(f);
    return res * sysconf(_SC_PAGESIZE);
}

static size_t used_bytes(pm_runtime *rt) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    return s.small_bytes_in_use + s.large_bytes;
}

/* Requested bytes, as tracemalloc counts them on CPython's side: a trace
 * hook adds each block's requested size and takes it away at its free,
 * through an open-addressing table of live blocks (malloc'd, unseen by
 * pymm's statistics). */
typedef struct traced {
    void **ptr;                 /* NULL: empty slot; TOMB: deleted */
    size_t *size;
    size_t mask;
    size_t bytes;               /* requested bytes of the live blocks */
    int full;                   /* the table ran out of room: no figure */
} traced;
#define TRACED_TOMB ((void *)1)

static size_t traced_slot(const traced *t, const void *p) {
    return (size_t)(((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15u) & t->mask;
}

static int trace_hook(pm_runtime *rt, void *arg, void *ptr, void *old, size_t size) {
    (void)rt;
    traced *t = arg;
    if (old) {
        for (size_t i = traced_slot(t, old);; i = (i + 1) & t->mask) {
            if (t->ptr[i] == NULL) break;
            if (t->ptr[i] == old) {
                t->bytes -= t->size[i];
                t->ptr[i] = TRACED_TOMB;
                break;
            }
        }
    }
    if (ptr) {
        size_t probes = 0, i = traced_slot(t, ptr);
        while (t->ptr[i] != NULL && t->ptr[i] != TRACED_TOMB) {
            if (++probes > t->mask) {
                t->full = 1;
                return 0;
            }
            i = (i + 1) & t->mask;
        }
        t->ptr[i] = ptr;
        t->size[i] = size;
        t->bytes += size;
    }
    return 0;
}

typedef struct ctx {
    pm_runtime *rt;
    pm_object *plain;           /* class without slots */
    pm_object *attrs2;          /* another, for instance2 */
    pm_object *slots2;          /* class with slots a, b */
    pm_object *name_a, *name_b; /* interned "a", "b" */
} ctx;

enum { W_INT, W_TUPLE2, W_INSTANCE, W_INSTANCE2, W_SLOTS2, W_COUNT };
static const char *const wname[W_COUNT] = {"int", "tuple2", "instance", "instance2", "slots2"};

static pm_object *make(ctx *c, int w, long i) {
    pm_runtime *rt = c->rt;
    switch (w) {
    case W_INT: return pm_int_from_long(rt, (1L << 20) + i);
    case W_TUPLE2: return pm_tuple_pack(rt, 2, PM_NONE, PM_NONE);
    case W_INSTANCE: return pm_instance_new(rt, c->plain);
    default: {
        pm_object *o = pm_instance_new(rt, w == W_SLOTS2 ? c->slots2 : c->attrs2);
        if (o && (pm_setattr(rt, o, c->name_a, PM_NONE) < 0 || pm_setattr(rt, o, c->name_b, PM_NONE) < 0)) {
            pm_decref(rt, o);
            return NULL;
        }
        return o;
    }
    }
}

/* the workload is to run: all of them, or the one named on the command line */
#define WANT(w) (!only || !strcmp(only, (w)))

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000L;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    const char *only = argc > 3 ? argv[3] : NULL;
    if (n <= 0 || reps <= 0) {
        fprintf(stderr, "usage: %s [N [REPS [WORKLOAD]]]\n", argv[0]);
        return 2;
    }
    ctx c;
    c.rt = pm_runtime_new(NULL);
    if (!c.rt) return 1;
    /* The cycle collector stays off, as in cpy_objects.c (PyGC_Disable()):
     * this measures allocation and reference counting, not collections. */
    pm_gc_disable(c.rt);
    const char *slot_names[] = {"a", "b"};
    c.plain = pm_class_new(c.rt, "__main__.Plain", NULL, 0);
    c.attrs2 = pm_class_new(c.rt, "__main__.Attrs2", NULL, 0);
    c.slots2 = pm_class_new(c.rt, "__main__.Slots2", slot_names, 2);
    c.name_a = pm_str_intern_cstr(c.rt, "a");
    c.name_b = pm_str_intern_cstr(c.rt, "b");
    pm_object **objs = malloc((size_t)n * sizeof *objs);
    if (!c.plain || !c.attrs2 || !c.slots2 || !c.name_a || !c.name_b || !objs) return 1;
    /* Touch the array now, so that its page faults are not counted in the
     * first workload's RSS (CPython's [None] * N is touched when made).  Not
     * a memset to 0: compilers turn malloc + memset(0) into calloc, which
     * touches nothing. */
    for (long i = 0; i < n; i++) objs[i] = PM_NONE;

    /* incref/decref pair */
    pm_object *hot = pm_int_from_long(c.rt, 123456789);
    double best = 0;
    long pairs = WANT("incref_pair") ? 100 * n : 0;
    for (int r = 0; pairs && r < reps; r++) {
        double t0 = now_ns();
        for (long i = 0; i < pairs; i++) {
            pm_incref(c.rt, hot);
            __asm__ volatile("" : : "r"(hot) : "memory");
            pm_decref(c.rt, hot);
            __asm__ volatile("" : : "r"(hot) : "memory");
        }
        double dt = now_ns() - t0;
        if (r == 0 || dt < best) best = dt;
    }
    if (pairs) printf("pymm incref_pair ns_per_object=%.3f\n", best / (double)pairs);
    pm_decref(c.rt, hot);

    /* attribute read and method call on one instance of a class made as a
     * class statement makes it, type('Attrs3', (), {}) (per operation) */
    pm_object *sizeof_name = pm_str_intern_cstr(c.rt, "__sizeof__");
    pm_object *cls_name = pm_str_from_cstr(c.rt, "Attrs3"), *bases = pm_tuple_pack(c.rt, 0);
    pm_object *ns = pm_dict_new(c.rt), *cls = NULL, *inst = NULL;
    if (cls_name && bases && ns) {
        pm_object *targs[3] = {cls_name, bases, ns};
        cls = pm_call(c.rt, pm_type_as_object(&pm_type_type), targs, 3, NULL);
    }
    if (cls) inst = pm_call(c.rt, cls, NULL, 0, NULL);
    if (!sizeof_name || !inst || pm_setattr(c.rt, inst, c.name_a, PM_NONE) < 0 ||
        pm_setattr(c.rt, inst, c.name_b, PM_NONE) < 0) {
        fprintf(stderr, "class setup failed: %s\n", pm_exc_name(pm_err_kind(c.rt)));
        return 1;
    }
    long ops = 10 * n;
    for (int op = 0; op < 2; op++) {
        if (!WANT(op ? "method_call" : "attr_read")) continue;
        best = 0;
        for (int r = 0; r < reps; r++) {
            double t0 = now_ns();
            for (long i = 0; i < ops; i++) {
                pm_object *v = op == 0 ? pm_getattr(c.rt, inst, c.name_a)
                                       : pm_call_method(c.rt, inst, sizeof_name, NULL, 0);
                if (!v) {
                    fprintf(stderr, "%s failed: %s\n", op ? "method_call" : "attr_read",
                            pm_exc_name(pm_err_kind(c.rt)));
                    return 1;
                }
                pm_decref(c.rt, v);
            }
            double dt = now_ns() - t0;
            if (r == 0 || dt < best) best = dt;
        }
        printf("pymm %s ns_per_object=%.3f\n", op ? "method_call" : "attr_read", best / (double)ops);
    }
    pm_decref(c.rt, sizeof_name);
    pm_decref(c.rt, inst);
    pm_decref(c.rt, cls);
    pm_decref(c.rt, ns);
    pm_decref(c.rt, bases);
    pm_decref(c.rt, cls_name);
    pm_gc_collect(c.rt, 2);         /* a class is in cycles (its MRO, __dict__'s descriptors) */

    for (int w = 0; w < W_COUNT; w++) {
        if (!WANT(wname[w])) continue;
        double tbest = 0;
        double bytes = 0, rss = 0;
        for (int r = 0; r < reps; r++) {
            size_t b0 = used_bytes(c.rt);
            long r0 = rss_bytes();
            double t0 = now_ns();
            for (long i = 0; i < n; i++) {
                objs[i] = make(&c, w, i);
                if (!objs[i]) {
                    fprintf(stderr, "allocation failed: %s\n", pm_exc_name(pm_err_kind(c.rt)));
                    return 1;
                }
            }
            double t1 = now_ns();
            if (r == 0) {
                bytes = (double)(used_bytes(c.rt) - b0) / (double)n;
                rss = (double)(rss_bytes() - r0) / (double)n;
            }
            for (long i = 0; i < n; i++) pm_decref(c.rt, objs[i]);
            double dt = now_ns() - t0;
            (void)t1;
            if (r == 0 || dt < tbest) tbest = dt;
        }
        /* One more round, traced, untimed: the requested bytes. */
        double requested = -1;
        traced t = {NULL, NULL, 0, 0, 0};
        size_t cap = 1;
        while (cap < (size_t)n * 8) cap <<= 1;
        t.ptr = calloc(cap, sizeof *t.ptr);
        t.size = calloc(cap, sizeof *t.size);
        t.mask = cap - 1;
        if (t.ptr && t.size) {
            pm_mem_set_trace_hook(c.rt, trace_hook, &t);
            for (long i = 0; i < n; i++) objs[i] = make(&c, w, i);
            size_t made = t.bytes;
            pm_mem_set_trace_hook(c.rt, NULL, NULL);
            for (long i = 0; i < n; i++) pm_xdecref(c.rt, objs[i]);
            if (!t.full) requested = (double)made / (double)n;
        }
        free(t.ptr);
        free(t.size);
        printf("pymm %s ns_per_object=%.2f bytes_per_object=%.2f rss_per_object=%.2f class_bytes_per_object=%.2f\n",
               wname[w], tbest / (double)n, requested, rss < 0 ? 0 : rss, bytes);
    }
    free(objs);
    pm_decref(c.rt, c.name_a);
    pm_decref(c.rt, c.name_b);
    pm_decref(c.rt, c.plain);
    pm_decref(c.rt, c.attrs2);
    pm_decref(c.rt, c.slots2);
    pm_runtime_free(c.rt);
    return 0;
}
