/*
 * cpy_incref.c — CPython's side of the incref/decref-pair benchmark.
 *
 * Py_INCREF / Py_DECREF are inline in CPython 3.11's headers, so this
 * program, compiled against Debian's python3.11 headers and linked with its
 * libpython, runs exactly the code CPython's interpreter inlines.  The loop
 * matches bench_objects.c's: an empty asm statement per iteration keeps the
 * compiler from folding the pair away.  Built by bench/run-objects.sh (it
 * needs libpython, which the library build must not depend on).
 *
 * Output: `cpy incref_pair ns_per_object=...`
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000000L;
    Py_Initialize();
    PyObject *o = PyLong_FromLong(123456789);
    double best = 0;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now_ns();
        for (long i = 0; i < n; i++) {
            Py_INCREF(o);
            __asm__ volatile("" : : "r"(o) : "memory");
            Py_DECREF(o);
            __asm__ volatile("" : : "r"(o) : "memory");
        }
        double dt = now_ns() - t0;
        if (rep == 0 || dt < best) best = dt;
    }
    printf("cpy incref_pair ns_per_object=%.3f\n", best / (double)n);
    Py_DECREF(o);
    Py_Finalize();
    return 0;
}
