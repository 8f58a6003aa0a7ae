/*
 * getargs.c — the argument checks of built-in methods, with CPython 3.11's
 * error texts.
 *
 * Purpose
 *   CPython checks the arguments of a C method in three generations of
 *   code, each with its own wording, and scripts (and tests) see the words:
 *
 *     calling convention (methodobject.c)   "list.append() takes exactly one
 *                                            argument (0 given)"
 *     Argument Clinic, positional only      "pop expected at most 1
 *       (_PyArg_CheckPositional)             argument, got 2"
 *     PyArg_ParseTuple / keyword clinic     "index() takes at least 1
 *       (vgetargs1, _PyArg_UnpackKeywords)   argument (0 given)"
 *
 *   Each method here uses the helper matching the generation its CPython
 *   twin uses; the test compares the texts with python3's.
 *
 * Invariants
 *   - Helpers return 1 when the arguments are acceptable and 0 with a
 *     TypeError set otherwise; nothing here allocates except the error.
 *   - Arguments are borrowed throughout.
 */
#include "objects/descr.h"

static const char *plural(pm_ssize_t n) { return n == 1 ? "" : "s"; }

int pmi_arg_check_positional(pm_runtime *rt, const char *name, pm_ssize_t nargs,
                             pm_ssize_t min, pm_ssize_t max) {
    if (nargs < min) {
        pm_err_format(rt, PM_EXC_TypeError, "%.200s expected %s%zd argument%s, got %zd", name,
                      min == max ? "" : "at least ", min, plural(min), nargs);
        return 0;
    }
    if (nargs > max) {
        pm_err_format(rt, PM_EXC_TypeError, "%.200s expected %s%zd argument%s, got %zd", name,
                      min == max ? "" : "at most ", max, plural(max), nargs);
        return 0;
    }
    return 1;
}

int pmi_arg_check_count_old(pm_runtime *rt, const char *name, pm_ssize_t nargs,
                            pm_ssize_t min, pm_ssize_t max) {
    if (nargs >= min && nargs <= max) return 1;
    const char *how = min == max ? "exactly" : nargs < min ? "at least" : "at most";
    pm_ssize_t n = nargs < min ? min : max;
    pm_err_format(rt, PM_EXC_TypeError, "%.200s() takes %s %zd argument%s (%zd given)", name, how, n,
                  plural(n), nargs);
    return 0;
}

int pmi_arg_no_kwnames(pm_runtime *rt, const char *name, pm_object *kwnames) {
    if (!kwnames || pm_tuple_size(kwnames) == 0) return 1;
    pm_err_format(rt, PM_EXC_TypeError, "%.200s() takes no keyword arguments", name);
    return 0;
}

pm_ssize_t pmi_arg_ssize(pm_runtime *rt, pm_object *o) {
    pm_object *i = pm_index(rt, o);
    if (!i) return -1;
    pm_ssize_t v = pm_int_as_ssize(rt, i);
    pm_decref(rt, i);
    return v;
}

int pmi_arg_parse_kw(pm_runtime *rt, const char *fname, const char *const *names,
                     pm_ssize_t maxpos, pm_ssize_t minpos, pm_object *const *args,
                     pm_ssize_t nargs, pm_object *kwnames, pm_object **out) {
    pm_ssize_t nnames = 0;
    while (names[nnames]) nnames++;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs > maxpos) {
        if (maxpos == 0)
            pm_err_format(rt, PM_EXC_TypeError, "%.200s() takes no positional arguments", fname);
        else
            pm_err_format(rt, PM_EXC_TypeError, "%.200s() takes %s %zd %sargument%s (%zd given)", fname,
                          minpos < maxpos ? "at most" : "exactly", maxpos,
                          maxpos < nnames ? "positional " : "", plural(maxpos), nargs);
        return 0;
    }
    for (pm_ssize_t i = 0; i < nnames; i++) out[i] = i < nargs ? args[i] : NULL;
    for (pm_ssize_t k = 0; k < nkw; k++) {
        pm_object *key = pm_tuple_get(rt, kwnames, k);
        pm_ssize_t i = 0;
        while (i < nnames && !pm_str_equal_cstr(key, names[i])) i++;
        if (i == nnames || i < 0) {
            const char *ks = pm_str_as_utf8(rt, key, NULL);
            if (!ks) return 0;
            pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for %.200s()", ks,
                          fname);
            return 0;
        }
        if (out[i] && i < nargs) {
            pm_err_format(rt, PM_EXC_TypeError,
                          "argument for %.200s() given by name ('%s') and position (%zd)", fname,
                          names[i], i + 1);
            return 0;
        }
        out[i] = args[nargs + k];
    }
    for (pm_ssize_t i = 0; i < minpos; i++)
        if (!out[i]) {
            pm_err_format(rt, PM_EXC_TypeError, "%.200s() missing required argument '%s' (pos %zd)",
                          fname, names[i], i + 1);
            return 0;
        }
    return 1;
}
