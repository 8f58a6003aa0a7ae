/* The harness tests/vm/'s programs share: a failure counter and CHECK, the
 * bytes a leak check compares, a module's namespace, its names, running a
 * source as __main__, and the checks after one faulted call of a
 * countdown (SQLite's: fail allocation 1, 2, 3, ... until none fires).
 * Header only: each test is one C file linked with pymm_interp. */
#ifndef PYMM_TESTS_VMHARNESS_H
#define PYMM_TESTS_VMHARNESS_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pymm.h"
#include "compile.h"
#include "parser.h"
#include "diag.h"
#include "interp.h"

static int failures;            /* CHECKs that failed in this program */

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);               \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            failures++;                                                        \
        }                                                                      \
    } while (0)

/* Bytes in use once what is not the test's is given back: the types'
 * lazily made dicts, cycles, the free lists. */
static inline size_t bytes_in_use(pm_runtime *rt) {
    pm_alloc_stats st;
    pm_type_state_clear(rt);
    pm_gc_collect(rt, 2);
    pm_freelists_clear(rt);
    pm_alloc_stats_get(rt, &st);
    return st.small_bytes_in_use + st.large_bytes;
}

/* globals[name] (borrowed); a missing name ends the program. */
static inline pm_object *get(pm_runtime *rt, pm_object *globals, const char *name) {
    pm_object *key = pm_str_from_cstr(rt, name);
    pm_object *v = key ? pm_dict_get(rt, globals, key) : NULL;
    pm_xdecref(rt, key);
    if (!v) {
        fprintf(stderr, "FAIL: %s not defined\n", name);
        exit(1);
    }
    return v;
}

/* A module namespace: a dict with __name__ == '__main__'. */
static inline pm_object *new_globals(pm_runtime *rt) {
    pm_object *g = pm_dict_new(rt);
    pm_object *nm = pm_str_from_cstr(rt, "__name__"), *main_ = pm_str_from_cstr(rt, "__main__");
    if (!g || !nm || !main_ || pm_dict_set(rt, g, nm, main_) < 0) {
        fprintf(stderr, "FAIL: globals\n");
        exit(1);
    }
    pm_decref(rt, nm);
    pm_decref(rt, main_);
    return g;
}

/* Compile src (n bytes) as fname's module code: new ref, or NULL with the
 * error left set (a syntax error is reported on stderr). */
static inline pm_object *compile_module(pm_runtime *rt, const char *src, size_t n, pm_object *fname) {
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pm_object *code = pmi_compile_source(rt, src, n, fname, PMI_MODE_EXEC, -1, &err);
    pmi_syntax_error_clear(rt, &err);
    return code;
}

/* Run code in g; a failure ends the program. */
static inline void run_module(pm_runtime *rt, pm_object *code, pm_object *g) {
    pm_object *res = code ? pmi_eval_code(rt, code, g, g) : NULL;
    if (!res) {
        fprintf(stderr, "FAIL: module did not run: %s\n", pm_err_message(rt));
        exit(1);
    }
    pm_decref(rt, res);
}

/* After fault n of a sweep, r (the call's result, owned) dropped: the call
 * either succeeded or ended in MemoryError. */
static inline void fault_outcome(pm_runtime *rt, pm_object *r, const char *what, long n) {
    if (!r) {
        CHECK(pm_err_matches(rt, PM_EXC_MemoryError), "%s: fault %ld: %s %s", what, n,
              pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
        pm_err_clear(rt);
    }
    pm_xdecref(rt, r);
}

/* ... and obj's count and the bytes in use are as before the call. */
static inline void fault_all_back(pm_runtime *rt, pm_object *obj, pm_ssize_t count, size_t base, const char *what,
                                  long n) {
    CHECK(pm_refcnt(rt, obj) == count, "%s: fault %ld: count %zd, was %zd", what, n, (pm_ssize_t)pm_refcnt(rt, obj),
          (pm_ssize_t)count);
    size_t now = bytes_in_use(rt);
    CHECK(now == base, "%s: fault %ld: %zd bytes not back", what, n, (pm_ssize_t)(now - base));
}

/* The program's exit status, with its summary line. */
static inline int finish(const char *name) {
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    printf("%s: all passed\n", name);
    fflush(stdout);
    return 0;
}
#endif
