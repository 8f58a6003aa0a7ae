/*
 * interp/modules.h — what the everyday built-in modules (math, functools,
 * atexit ...: interp/mod_*.c) share: argument helpers with CPython's error
 * texts.  Their init functions are declared in import.h with the others.
 */
#ifndef PYMM_INTERP_MODULES_H
#define PYMM_INTERP_MODULES_H

#include "import.h"

/* A "real number" argument as a double (float, int, nb_float, nb_index):
 * 0, or -1 with TypeError "must be real number, not str" / OverflowError. */
int pmi_mod_to_double(pm_runtime *rt, pm_object *o, double *out);
/* Argument Clinic's count check: "fmod expected 2 arguments, got 1",
 * "perm expected at least 1 argument, got 0".  0 / -1. */
int pmi_mod_check_positional(pm_runtime *rt, const char *name, pm_ssize_t nargs, pm_ssize_t min,
                             pm_ssize_t max);
/* TypeError "name() takes no keyword arguments" when kwnames has any: 0 / -1. */
int pmi_mod_no_kwnames(pm_runtime *rt, const char *name, pm_object *kwnames);
/* Clinic-style parsing of FASTCALL|KEYWORDS arguments into out[] (borrowed,
 * NULL when absent) by the NULL-terminated names; the first minpos are
 * required, at most maxpos come by position.  0, or -1 with CPython's
 * TypeError ("isclose() missing required argument 'b' (pos 2)",
 * "'x' is an invalid keyword argument for isclose()", "isclose() takes at
 * most 2 positional arguments (3 given)"). */
int pmi_mod_parse_kw(pm_runtime *rt, const char *fname, const char *const *names, pm_ssize_t maxpos,
                     pm_ssize_t minpos, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames,
                     pm_object **out);

/* pm_malloc that records MemoryError when it fails (pm_malloc itself
 * leaves the runtime's error alone). */
static inline void *pmi_mod_alloc(pm_runtime *rt, size_t size) {
    void *p = pm_malloc(rt, size);
    if (!p) pm_err_nomem(rt);
    return p;
}

pm_object *pmi_struct_init(pm_runtime *rt);     /* mod_struct.c: _struct */
pm_object *pmi_array_init(pm_runtime *rt);      /* mod_array.c: array */
pm_object *pmi_posix_init(pm_runtime *rt);      /* mod_posix.c: posix */

#endif
