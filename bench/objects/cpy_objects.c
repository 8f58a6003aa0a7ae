/*
 * cpy_objects.c — CPython's side of `make bench-objects`, through CPython's
 * C API, as bench_objects.c is pymm's through pymm's: the same loops, the
 * same object kinds, no Python-level frame on either side.
 *
 *   cpy-objects [N [REPS [WORKLOAD]]]   (defaults 1000000, 5, all; WORKLOAD
 *                                         runs that one alone, as in bench_objects.c)
 *
 * Built by bench/run-objects.sh against a CPython 3.11 (the library build
 * must not depend on libpython), once per interpreter measured; it embeds
 * that libpython (Py_Initialize) and runs, each the best of REPS rounds:
 *   incref_pair  Py_INCREF + Py_DECREF on one hot object (100 N pairs), an
 *                empty asm statement per call as in bench_objects.c.
 *   int          PyLong_FromLong(2**20 + i) for N objects, then drop them.
 *   tuple2       PyTuple_Pack(2, None, None).
 *   instance     tp_new of a plain class (`class Plain: pass`), the C call
 *                type() makes: allocation and header setup, no __init__.
 *   instance2    tp_new of another plain class (Attrs2), then
 *                PyObject_SetAttr a and b: inline values, as CPython 3.11
 *                lays them out.  (Its own class: every instance made
 *                spends one of the class's shared-keys "usable" slots, so
 *                after `instance`'s million, Plain could no longer take new
 *                keys and each instance would get a full dict.)
 *   slots2       tp_new of `class Slots2: __slots__ = ('a', 'b')`, then
 *                PyObject_SetAttr a and b (the member descriptors).
 *   attr_read    PyObject_GetAttr(obj, "a") on one Attrs3 instance, 10 N
 *                times (per read); method_call: PyObject_CallMethodNoArgs(
 *                obj, "__sizeof__") on it, 10 N times (per call).
 * Measured as bench_objects.c measures pymm:
 *   ns_per_object     (create all + drop all) / N
 *   bytes_per_object  tracemalloc's traced-bytes growth / N over a separate
 *                     traced round (tracemalloc hooks the allocator, so
 *                     these C-level allocations are counted)
 *   rss_per_object    growth of the resident set / N (first round)
 * The cycle collector is disabled (PyGC_Disable), as pymm's is.
 * Output: `cpy <workload> ns_per_object=... bytes_per_object=... rss_per_object=...`
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

static void die(const char *what) {
    fprintf(stderr, "cpy-objects: %s failed\n", what);
    if (PyErr_Occurred()) PyErr_Print();
    exit(1);
}

typedef struct ctx {
    PyTypeObject *plain;        /* class Plain: pass */
    PyTypeObject *attrs2;       /* class Attrs2: pass (instance2) */
    PyTypeObject *slots2;       /* class Slots2: __slots__ = ('a', 'b') */
    PyObject *name_a, *name_b;  /* interned "a", "b" */
    PyObject *noargs;           /* () */
    PyObject *tracemalloc;      /* the tracemalloc module */
} ctx;

enum { W_INT, W_TUPLE2, W_INSTANCE, W_INSTANCE2, W_SLOTS2, W_COUNT };
static const char *const wname[W_COUNT] = {"int", "tuple2", "instance", "instance2", "slots2"};

static PyObject *make(ctx *c, int w, long i) {
    switch (w) {
    case W_INT: return PyLong_FromLong((1L << 20) + i);
    case W_TUPLE2: return PyTuple_Pack(2, Py_None, Py_None);
    case W_INSTANCE: return c->plain->tp_new(c->plain, c->noargs, NULL);
    default: {
        PyTypeObject *t = w == W_SLOTS2 ? c->slots2 : c->attrs2;
        PyObject *o = t->tp_new(t, c->noargs, NULL);
        if (o && (PyObject_SetAttr(o, c->name_a, Py_None) < 0 || PyObject_SetAttr(o, c->name_b, Py_None) < 0)) {
            Py_DECREF(o);
            return NULL;
        }
        return o;
    }
    }
}

/* tracemalloc.get_traced_memory()[0] */
static long traced(ctx *c) {
    PyObject *r = PyObject_CallMethod(c->tracemalloc, "get_traced_memory", NULL);
    if (!r) die("tracemalloc.get_traced_memory");
    long v = PyLong_AsLong(PyTuple_GET_ITEM(r, 0));
    Py_DECREF(r);
    return v;
}

static void fill(ctx *c, int w, PyObject **objs, long n) {
    for (long i = 0; i < n; i++)
        if (!(objs[i] = make(c, w, i))) die(wname[w]);
}

static void drop(PyObject **objs, long n) {
    for (long i = 0; i < n; i++) Py_DECREF(objs[i]);
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
    Py_InitializeEx(0);
    PyGC_Disable();
    ctx c;
    PyObject *ns = PyDict_New();
    if (!ns || PyDict_SetItemString(ns, "__builtins__", PyEval_GetBuiltins()) < 0) die("namespace");
    PyObject *r = PyRun_String("class Plain: pass\nclass Attrs2: pass\nclass Attrs3: pass\nclass Slots2: __slots__ = ('a', 'b')\n", Py_file_input, ns, ns);
    if (!r) die("class statements");
    Py_DECREF(r);
    c.plain = (PyTypeObject *)PyDict_GetItemString(ns, "Plain");
    c.attrs2 = (PyTypeObject *)PyDict_GetItemString(ns, "Attrs2");
    c.slots2 = (PyTypeObject *)PyDict_GetItemString(ns, "Slots2");
    c.name_a = PyUnicode_InternFromString("a");
    c.name_b = PyUnicode_InternFromString("b");
    c.noargs = PyTuple_New(0);
    c.tracemalloc = PyImport_ImportModule("tracemalloc");
    PyObject **objs = malloc((size_t)n * sizeof *objs);
    if (!c.plain || !c.attrs2 || !c.slots2 || !c.name_a || !c.name_b || !c.noargs || !c.tracemalloc || !objs) die("setup");
    for (long i = 0; i < n; i++) objs[i] = Py_None;     /* touched now, as in bench_objects.c */

    /* incref/decref pair */
    PyObject *hot = PyLong_FromLong(123456789);
    double best = 0;
    long pairs = WANT("incref_pair") ? 100 * n : 0;
    for (int rep = 0; pairs && rep < reps; rep++) {
        double t0 = now_ns();
        for (long i = 0; i < pairs; i++) {
            Py_INCREF(hot);
            __asm__ volatile("" : : "r"(hot) : "memory");
            Py_DECREF(hot);
            __asm__ volatile("" : : "r"(hot) : "memory");
        }
        double dt = now_ns() - t0;
        if (rep == 0 || dt < best) best = dt;
    }
    if (pairs) printf("cpy incref_pair ns_per_object=%.3f\n", best / (double)pairs);
    Py_DECREF(hot);

    /* attribute read and method call on one instance (per operation) */
    PyTypeObject *attrs3 = (PyTypeObject *)PyDict_GetItemString(ns, "Attrs3");
    PyObject *inst = attrs3 ? attrs3->tp_new(attrs3, c.noargs, NULL) : NULL;
    PyObject *sizeof_name = PyUnicode_InternFromString("__sizeof__");
    if (!inst || !sizeof_name || PyObject_SetAttr(inst, c.name_a, Py_None) < 0 ||
        PyObject_SetAttr(inst, c.name_b, Py_None) < 0) die("attr_read setup");
    long ops = 10 * n;
    for (int op = 0; op < 2; op++) {
        if (!WANT(op ? "method_call" : "attr_read")) continue;
        best = 0;
        for (int rep = 0; rep < reps; rep++) {
            double t0 = now_ns();
            for (long i = 0; i < ops; i++) {
                PyObject *v = op == 0 ? PyObject_GetAttr(inst, c.name_a)
                                      : PyObject_CallMethodNoArgs(inst, sizeof_name);
                if (!v) die(op ? "method_call" : "attr_read");
                Py_DECREF(v);
            }
            double dt = now_ns() - t0;
            if (rep == 0 || dt < best) best = dt;
        }
        printf("cpy %s ns_per_object=%.3f\n", op ? "method_call" : "attr_read", best / (double)ops);
    }
    Py_DECREF(sizeof_name);
    Py_DECREF(inst);

    for (int w = 0; w < W_COUNT; w++) {
        if (!WANT(wname[w])) continue;
        double tbest = 0, rss = 0;
        for (int rep = 0; rep < reps; rep++) {
            long r0 = rss_bytes();
            double t0 = now_ns();
            fill(&c, w, objs, n);
            if (rep == 0) rss = (double)(rss_bytes() - r0) / (double)n;
            drop(objs, n);
            double dt = now_ns() - t0;
            if (rep == 0 || dt < tbest) tbest = dt;
        }
        /* bytes: a traced round of its own (tracing slows the timed ones) */
        PyObject *t = PyObject_CallMethod(c.tracemalloc, "start", NULL);
        if (!t) die("tracemalloc.start");
        Py_DECREF(t);
        long s0 = traced(&c);
        fill(&c, w, objs, n);
        long s1 = traced(&c);
        drop(objs, n);
        t = PyObject_CallMethod(c.tracemalloc, "stop", NULL);
        if (!t) die("tracemalloc.stop");
        Py_DECREF(t);
        printf("cpy %s ns_per_object=%.2f bytes_per_object=%.2f rss_per_object=%.2f\n", wname[w],
               tbest / (double)n, (double)(s1 - s0) / (double)n, rss < 0 ? 0 : rss);
    }
    for (long i = 0; i < n; i++) objs[i] = NULL;
    free(objs);
    Py_DECREF(c.name_a);
    Py_DECREF(c.name_b);
    Py_DECREF(c.noargs);
    Py_DECREF(c.tracemalloc);
    Py_DECREF(ns);
    if (Py_FinalizeEx() < 0) return 1;
    return 0;
}
