/*
 * interp/builtins.c — the builtins module's first functions.
 *
 * Until the library exports its builtin-function type, the interpreter has
 * its own small one ("builtin_function_or_method"): an immortal-free heap
 * object holding a pointer into the const table below and called by the
 * vectorcall convention.  Each entry checks its own arguments with CPython
 * 3.11's messages.  This slice: print (sep=, end=), len, repr, abs, sum,
 * type (one argument).
 */
#include "interp.h"

#include <stdio.h>
#include <string.h>

typedef pm_object *(*pmi_builtin_fn)(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                                     pm_object *kwnames);

/* One builtin. */
typedef struct pmi_builtin_def {
    const char *name;               /* the name in builtins */
    pmi_builtin_fn fn;              /* the implementation */
} pmi_builtin_def;

/* The object. */
typedef struct pmi_builtin {
    pm_object ob_base;              /* refcount + type */
    const pmi_builtin_def *def;     /* the table entry (static, const) */
} pmi_builtin;

static pm_object *builtin_call(pm_runtime *rt, pm_object *callable, pm_object *const *args,
                               size_t nargsf, pm_object *kwnames) {
    const pmi_builtin *b = (const pmi_builtin *)callable;
    return b->def->fn(rt, args, pm_vectorcall_nargs(nargsf), kwnames);
}

static pm_object *builtin_repr(pm_runtime *rt, pm_object *self) {
    return pm_str_from_format(rt, "<built-in function %s>", ((pmi_builtin *)self)->def->name);
}

static void builtin_dealloc(pm_runtime *rt, pm_object *self) {
    pm_free(rt, self);
}

static const pm_type builtin_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "builtin_function_or_method",
    .basicsize = sizeof(pmi_builtin),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_IMMUTABLE,
    .base = &pm_object_type,
    .dealloc = builtin_dealloc,
    .repr = builtin_repr,
    .call = builtin_call,
};

static int no_keywords(pm_runtime *rt, const char *name, pm_object *kwnames) {
    if (kwnames && pm_tuple_size(kwnames) > 0) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes no keyword arguments", name);
        return -1;
    }
    return 0;
}

static int one_arg(pm_runtime *rt, const char *name, pm_ssize_t nargs, pm_object *kwnames) {
    if (no_keywords(rt, name, kwnames) < 0) return -1;
    if (nargs != 1) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes exactly one argument (%zd given)", name, nargs);
        return -1;
    }
    return 0;
}

/* Writes str s (or str(o)) to stdout: 0 or -1. */
static int write_text(pm_runtime *rt, pm_object *o, int use_str) {
    pm_object *s = use_str ? pm_str(rt, o) : pm_newref(rt, o);
    if (!s) return -1;
    pm_ssize_t len;
    const char *u = pm_str_as_utf8(rt, s, &len);
    if (!u) {
        pm_decref(rt, s);
        return -1;
    }
    fwrite(u, 1, (size_t)len, stdout);
    pm_decref(rt, s);
    return 0;
}

static pm_object *b_print(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                          pm_object *kwnames) {
    pm_object *sep = NULL, *end = NULL;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    for (pm_ssize_t i = 0; i < nkw; i++) {
        pm_object *k = pm_tuple_get(rt, kwnames, i);
        pm_object *v = args[nargs + i];
        if (pm_str_equal_cstr(k, "sep")) sep = v;
        else if (pm_str_equal_cstr(k, "end")) end = v;
        else if (pm_str_equal_cstr(k, "file") || pm_str_equal_cstr(k, "flush")) {
            if (v != PM_NONE && !pm_str_equal_cstr(k, "flush")) {
                pm_err_set(rt, PM_EXC_NotImplementedError, "pymm: print(file=) not supported yet");
                return NULL;
            }
        } else {
            const char *kn = pm_str_as_utf8(rt, k, NULL);
            pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for print()",
                          kn ? kn : "?");
            return NULL;
        }
    }
    if (sep == PM_NONE) sep = NULL;
    if (end == PM_NONE) end = NULL;
    if (sep && pm_type_of(sep) != &pm_str_type) {
        pm_err_format(rt, PM_EXC_TypeError, "sep must be None or a string, not %s",
                      pm_type_name(pm_type_of(sep)));
        return NULL;
    }
    if (end && pm_type_of(end) != &pm_str_type) {
        pm_err_format(rt, PM_EXC_TypeError, "end must be None or a string, not %s",
                      pm_type_name(pm_type_of(end)));
        return NULL;
    }
    for (pm_ssize_t i = 0; i < nargs; i++) {
        if (i > 0) {
            if (sep) {
                if (write_text(rt, sep, 0) < 0) return NULL;
            } else {
                fputc(' ', stdout);
            }
        }
        if (write_text(rt, args[i], 1) < 0) return NULL;
    }
    if (end) {
        if (write_text(rt, end, 0) < 0) return NULL;
    } else {
        fputc('\n', stdout);
    }
    return PM_NONE;
}

static pm_object *b_len(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                        pm_object *kwnames) {
    if (one_arg(rt, "len", nargs, kwnames) < 0) return NULL;
    pm_ssize_t n = pm_length(rt, args[0]);
    return n < 0 ? NULL : pm_int_from_ssize(rt, n);
}

static pm_object *b_repr(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                         pm_object *kwnames) {
    if (one_arg(rt, "repr", nargs, kwnames) < 0) return NULL;
    return pm_repr(rt, args[0]);
}

static pm_object *b_abs(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                        pm_object *kwnames) {
    if (one_arg(rt, "abs", nargs, kwnames) < 0) return NULL;
    return pm_number_absolute(rt, args[0]);
}

/* type(x) / type(name, bases, ns, **kw): the library's `type` (classes). */
static pm_object *b_type(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                         pm_object *kwnames) {
    return pm_call(rt, pm_type_as_object(&pm_type_type), args, (size_t)nargs, kwnames);
}

/* sum(iterable, /, start=0) */
static pm_object *b_sum(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                        pm_object *kwnames) {
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    pm_object *start = nargs > 1 ? args[1] : NULL;
    if (nargs < 1 || nargs + nkw > 2 ||
        (nkw == 1 && !pm_str_equal_cstr(pm_tuple_get(rt, kwnames, 0), "start"))) {
        pm_err_format(rt, PM_EXC_TypeError, nargs < 1 ? "sum() takes at least 1 positional argument (0 given)"
                                                      : "sum() takes at most 2 arguments (%zd given)", nargs + nkw);
        return NULL;
    }
    if (nkw == 1) start = args[nargs];
    if (start && pm_type_of(start) == &pm_str_type) {
        pm_err_set(rt, PM_EXC_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
        return NULL;
    }
    pm_object *it = pm_iter(rt, args[0]);
    if (!it) return NULL;
    pm_object *acc = start ? pm_newref(rt, start) : pm_int_from_long(rt, 0);
    while (acc) {
        pm_object *v = pm_iter_next(rt, it);
        if (!v) {
            if (pm_err_occurred(rt)) PM_CLEAR(rt, acc);
            break;
        }
        pm_object *n = pm_number_binop(rt, acc, v, PM_NB_ADD);
        pm_decref(rt, v);
        pm_decref(rt, acc);
        acc = n;
    }
    pm_decref(rt, it);
    return acc;
}

static const pmi_builtin_def builtin_defs[] = {
    {"abs", b_abs},
    {"len", b_len},
    {"print", b_print},
    {"repr", b_repr},
    {"sum", b_sum},
    {"type", b_type},
};

int pmi_builtins_fill(pm_runtime *rt, pm_object *dict) {
    for (size_t i = 0; i < sizeof builtin_defs / sizeof builtin_defs[0]; i++) {
        pmi_builtin *b = pm_malloc(rt, sizeof *b);
        if (!b) {
            pm_err_nomem(rt);
            return -1;
        }
        b->ob_base.ob_refcnt = 1;
        b->ob_base.ob_type = &builtin_type;
        b->def = &builtin_defs[i];
        pm_object *name = pm_str_intern_cstr(rt, builtin_defs[i].name);
        int rc = name ? pm_dict_set(rt, dict, name, (pm_object *)b) : -1;
        pm_xdecref(rt, name);
        pm_decref(rt, (pm_object *)b);
        if (rc < 0) return -1;
    }
    return 0;
}
