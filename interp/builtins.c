/*
 * interp/builtins.c — the builtins namespace: its function type, the
 * registration of every name, the shared argument checks, and the small
 * builtins.
 *
 * Purpose
 *   pmi_builtins_fill puts into the builtins dict: the functions of the
 *   three tables (this file's, bltinfuncs.c's, bltinexec.c's), the core
 *   types (int, str, list, ... all of the library's), every exception
 *   class of PM_EXC_HIERARCHY, and the constants (Ellipsis,
 *   NotImplemented, __debug__).  Types made by other parts of the
 *   interpreter (range, enumerate, zip, map, filter, reversed, property,
 *   classmethod, staticmethod, super) are registered by their owners: see
 *   the marked list below.
 *
 * The function type
 *   Builtins are objects of type builtin_function_or_method defined here
 *   rather than the library's pm_cfunction: they need __module__ ==
 *   'builtins', which the library's type (made for bound methods) has no
 *   field for.  An object is a header plus a pointer to a const
 *   pmi_builtin_def; it holds no references, so it is not a gc type.
 *
 *     builtins dict ── "len" ──► pmi_builtin { def ──► {"len", b_len} }
 *     len(x) ──► builtin_call ──► b_len(rt, args, nargs, kwnames)
 *
 * CPython behaviour mirrored: repr "<built-in function len>", __name__,
 * __qualname__, __module__ 'builtins', __self__ (sys.modules['builtins'];
 * None until the import part puts the module there), and the argument errors of each function's
 * 3.11 calling convention (METH_O, _PyArg_CheckPositional, clinic).
 */
#include "builtins.h"

#include <stdint.h>
#include <string.h>

/* The object. */
typedef struct pmi_builtin {
    pm_object ob_base;              /* refcount + type */
    const pmi_builtin_def *def;     /* the table entry (static, const) */
} pmi_builtin;

static pm_object *builtin_call(pm_runtime *rt, pm_object *callable, pm_object *const *args,
                               size_t nargsf, pm_object *kwnames) {
    const pmi_builtin *b = (const pmi_builtin *)callable;
    if (kwnames && pm_tuple_size(kwnames) == 0) kwnames = NULL;
    if (!b->def->counted) return b->def->fn(rt, args, pm_vectorcall_nargs(nargsf), kwnames);
    if (pm_enter_recursive_call(rt, " while calling a Python object") < 0) return NULL;
    pm_object *r = b->def->fn(rt, args, pm_vectorcall_nargs(nargsf), kwnames);
    pm_leave_recursive_call(rt);
    return r;
}

static pm_object *builtin_repr(pm_runtime *rt, pm_object *self) {
    return pm_str_from_format(rt, "<built-in function %s>", ((pmi_builtin *)self)->def->name);
}

static void builtin_dealloc(pm_runtime *rt, pm_object *self) {
    pm_free(rt, self);
}

static pm_object *builtin_get_name(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    return pm_str_from_cstr(rt, ((pmi_builtin *)self)->def->name);
}

static pm_object *builtin_get_module(pm_runtime *rt, pm_object *self, void *closure) {
    (void)self;
    (void)closure;
    return pm_str_from_cstr(rt, "builtins");
}

static pm_object *builtin_get_none(pm_runtime *rt, pm_object *self, void *closure) {
    (void)rt;
    (void)self;
    (void)closure;
    return PM_NONE;
}

/* __self__: the builtins module once sys.modules has one, else None. */
static pm_object *builtin_get_self(pm_runtime *rt, pm_object *self, void *closure) {
    (void)self;
    (void)closure;
    pmi_interp *in = pmi_interp_get(rt);
    if (!in || !in->modules) return PM_NONE;
    pm_object *key = pm_str_intern_cstr(rt, "builtins");
    if (!key) return NULL;
    pm_object *m = pm_dict_get(rt, in->modules, key);
    pm_decref(rt, key);
    if (m) return pm_newref(rt, m);
    return pm_err_occurred(rt) ? NULL : PM_NONE;
}

static const pm_getset_def builtin_getset[] = {
    {"__name__", builtin_get_name, NULL, NULL, NULL},
    {"__qualname__", builtin_get_name, NULL, NULL, NULL},
    {"__module__", builtin_get_module, NULL, NULL, NULL},
    {"__self__", builtin_get_self, NULL, NULL, NULL},
    {"__doc__", builtin_get_none, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

/* hash(len): the entry's address, as CPython hashes a function by its self
 * and its C function (one builtins module, so the entry decides). */
static pm_hash_t builtin_hash(pm_runtime *rt, pm_object *self) {
    (void)rt;
    pm_hash_t h = (pm_hash_t)((uintptr_t)((pmi_builtin *)self)->def >> 4);
    return h == -1 ? -2 : h;
}

static const pm_type builtin_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "builtin_function_or_method",
    .basicsize = sizeof(pmi_builtin),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_IMMUTABLE | PM_TPFLAGS_CALL_UNCOUNTED,   /* builtin_call counts */
    .base = &pm_object_type,
    .dealloc = builtin_dealloc,
    .repr = builtin_repr,
    .hash = builtin_hash,
    .call = builtin_call,
    .getset = builtin_getset,
};

int pmi_builtin_counted(const pm_object *o) {
    return o->ob_type == &builtin_type ? ((const pmi_builtin *)o)->def->counted : -1;
}

/* ---- argument checks ------------------------------------------------------ */

static const char *plural(pm_ssize_t n) { return n == 1 ? "" : "s"; }

int pmi_bi_no_kw(pm_runtime *rt, const char *name, pm_object *kwnames) {
    if (!kwnames || pm_tuple_size(kwnames) == 0) return 1;
    pm_err_format(rt, PM_EXC_TypeError, "%s() takes no keyword arguments", name);
    return 0;
}

int pmi_bi_exact(pm_runtime *rt, const char *name, pm_ssize_t nargs, pm_object *kwnames, int n) {
    if (!pmi_bi_no_kw(rt, name, kwnames)) return 0;
    if (nargs == n) return 1;
    if (n == 0)
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes no arguments (%zd given)", name, nargs);
    else
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes exactly one argument (%zd given)", name, nargs);
    return 0;
}

int pmi_bi_positional(pm_runtime *rt, const char *name, pm_ssize_t nargs, pm_object *kwnames,
                      pm_ssize_t min, pm_ssize_t max) {
    if (!pmi_bi_no_kw(rt, name, kwnames)) return 0;
    if (nargs >= min && nargs <= max) return 1;
    pm_ssize_t n = nargs < min ? min : max;
    pm_err_format(rt, PM_EXC_TypeError, "%s expected %s%zd argument%s, got %zd", name,
                  min == max ? "" : nargs < min ? "at least " : "at most ", n, plural(n), nargs);
    return 0;
}

int pmi_bi_parse(pm_runtime *rt, const char *fname, const char *const *names, pm_ssize_t npos_only,
                 pm_ssize_t maxpos, pm_ssize_t minreq, pm_object *const *args, pm_ssize_t nargs,
                 pm_object *kwnames, pm_object **out) {
    pm_ssize_t nnames = 0;
    while (names[nnames]) nnames++;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs + nkw > nnames) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most %zd %sargument%s (%zd given)", fname,
                      nnames, nargs == 0 ? "keyword " : "", plural(nnames), nargs + nkw);
        return 0;
    }
    if (nargs > maxpos) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most %zd positional argument%s (%zd given)",
                      fname, maxpos, plural(maxpos), nargs);
        return 0;
    }
    for (pm_ssize_t i = 0; i < nnames; i++) out[i] = i < nargs ? args[i] : NULL;
    for (pm_ssize_t k = 0; k < nkw; k++) {
        pm_object *key = pm_tuple_get(rt, kwnames, k);
        pm_ssize_t i = npos_only;
        while (i < nnames && !pm_str_equal_cstr(key, names[i])) i++;
        if (i == nnames) {
            const char *ks = pm_str_as_utf8(rt, key, NULL);
            if (!ks) return 0;
            pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for %s()", ks, fname);
            return 0;
        }
        if (out[i]) {
            pm_err_format(rt, PM_EXC_TypeError, "argument for %s() given by name ('%s') and position (%zd)",
                          fname, names[i], i + 1);
            return 0;
        }
        out[i] = args[nargs + k];
    }
    for (pm_ssize_t i = 0; i < minreq; i++)
        if (!out[i]) {
            pm_err_format(rt, PM_EXC_TypeError, "%s() missing required argument '%s' (pos %zd)", fname,
                          names[i], i + 1);
            return 0;
        }
    return 1;
}

/* ---- the small builtins ---------------------------------------------------- */

#define ONE_ARG(name) \
    if (!pmi_bi_exact(rt, name, nargs, kwnames, 1)) return NULL

static pm_object *b_len(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("len");
    pm_ssize_t n = pm_length(rt, args[0]);
    return n < 0 ? NULL : pm_int_from_ssize(rt, n);
}

static pm_object *b_repr(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("repr");
    return pm_repr(rt, args[0]);
}

static pm_object *b_ascii(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("ascii");
    return pm_ascii(rt, args[0]);
}

static pm_object *b_abs(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("abs");
    return pm_number_absolute(rt, args[0]);
}

static pm_object *b_callable(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                             pm_object *kwnames) {
    ONE_ARG("callable");
    return pm_bool_from(pm_callable(args[0]));
}

static pm_object *b_id(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("id");
    return pm_int_from_ulonglong(rt, (unsigned long long)(uintptr_t)args[0]);
}

static pm_object *b_hash(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("hash");
    pm_hash_t h = pm_hash(rt, args[0]);
    return h == -1 ? NULL : pm_int_from_ssize(rt, h);
}

/* bin / oct / hex: format(index(x), '#b') and so on. */
static pm_object *radix(pm_runtime *rt, pm_object *x, const char *spec) {
    pm_object *i = pm_index(rt, x);
    if (!i) return NULL;
    pm_object *r = pm_format_cstr(rt, i, spec);
    pm_decref(rt, i);
    return r;
}

static pm_object *b_bin(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("bin");
    return radix(rt, args[0], "#b");
}

static pm_object *b_oct(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("oct");
    return radix(rt, args[0], "#o");
}

static pm_object *b_hex(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("hex");
    return radix(rt, args[0], "#x");
}

static pm_object *b_chr(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("chr");
    pm_object *i = pm_index(rt, args[0]);
    if (!i) return NULL;
    long v = pm_int_as_long(rt, i);
    pm_decref(rt, i);
    if (v == -1 && pm_err_occurred(rt)) {
        if (pm_err_matches(rt, PM_EXC_OverflowError))
            pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C int");
        return NULL;
    }
    if (v > INT32_MAX || v < INT32_MIN) {
        pm_err_set(rt, PM_EXC_OverflowError, v > 0 ? "signed integer is greater than maximum"
                                                   : "signed integer is less than minimum");
        return NULL;
    }
    if (v < 0 || v >= 0x110000) {
        pm_err_set(rt, PM_EXC_ValueError, "chr() arg not in range(0x110000)");
        return NULL;
    }
    uint32_t cp = (uint32_t)v;
    return pm_str_from_ucs4(rt, &cp, 1);
}

static pm_object *b_ord(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("ord");
    pm_object *c = args[0];
    pm_ssize_t n;
    if (pm_str_check(c)) {
        n = pm_str_length(c);
        if (n == 1) return pm_int_from_long(rt, (long)pm_str_read_char(c, 0));
    } else if (pm_bytes_check(c)) {
        n = pm_bytes_size(c);
        if (n == 1) return pm_int_from_long(rt, (unsigned char)pm_bytes_data(c)[0]);
    } else if (pm_bytearray_check(c)) {
        n = pm_bytearray_size(c);
        if (n == 1) return pm_int_from_long(rt, (unsigned char)pm_bytearray_data(c)[0]);
    } else {
        pm_err_format(rt, PM_EXC_TypeError, "ord() expected string of length 1, but %s found",
                      pm_type_name(pm_type_of(c)));
        return NULL;
    }
    pm_err_format(rt, PM_EXC_TypeError, "ord() expected a character, but string of length %zd found", n);
    return NULL;
}

static pm_object *b_divmod(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "divmod", nargs, kwnames, 2, 2)) return NULL;
    return pm_number_divmod(rt, args[0], args[1]);
}

static pm_object *b_pow(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    static const char *const names[] = {"base", "exp", "mod", NULL};
    pm_object *a[3];
    if (!pmi_bi_parse(rt, "pow", names, 0, 3, 2, args, nargs, kwnames, a)) return NULL;
    return pm_number_power(rt, a[0], a[1], a[2] ? a[2] : PM_NONE);
}

static pm_object *b_format(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "format", nargs, kwnames, 1, 2)) return NULL;
    if (nargs == 2 && !pm_str_check(args[1])) {
        pm_err_format(rt, PM_EXC_TypeError, "format() argument 2 must be str, not %s",
                      pm_type_name(pm_type_of(args[1])));
        return NULL;
    }
    return pm_format(rt, args[0], nargs == 2 ? args[1] : NULL);
}

/* The attribute-name check of getattr / setattr / delattr / hasattr. */
static int attr_name(pm_runtime *rt, pm_object *name) {
    if (pm_str_check(name)) return 1;
    pm_err_format(rt, PM_EXC_TypeError, "attribute name must be string, not '%s'",
                  pm_type_name(pm_type_of(name)));
    return 0;
}

static pm_object *b_getattr(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "getattr", nargs, kwnames, 2, 3)) return NULL;
    if (!attr_name(rt, args[1])) return NULL;
    if (nargs == 2) return pm_getattr(rt, args[0], args[1]);
    pm_object *r;
    int found = pm_getattr_opt(rt, args[0], args[1], &r);
    if (found < 0) return NULL;
    return found ? r : pm_newref(rt, args[2]);
}

static pm_object *b_hasattr(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "hasattr", nargs, kwnames, 2, 2)) return NULL;
    if (!attr_name(rt, args[1])) return NULL;
    pm_object *r;
    int found = pm_getattr_opt(rt, args[0], args[1], &r);
    if (found < 0) return NULL;
    if (found) pm_decref(rt, r);
    return pm_bool_from(found);
}

static pm_object *b_setattr(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "setattr", nargs, kwnames, 3, 3)) return NULL;
    if (!attr_name(rt, args[1])) return NULL;
    return pm_setattr(rt, args[0], args[1], args[2]) < 0 ? NULL : PM_NONE;
}

static pm_object *b_delattr(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "delattr", nargs, kwnames, 2, 2)) return NULL;
    if (!attr_name(rt, args[1])) return NULL;
    return pm_delattr(rt, args[0], args[1]) < 0 ? NULL : PM_NONE;
}

/* all() / any(): stop at the first item whose truth is `stop`. */
static pm_object *all_any(pm_runtime *rt, pm_object *iterable, int stop) {
    pm_object *it = pm_iter(rt, iterable);
    if (!it) return NULL;
    int result = !stop;
    for (;;) {
        pm_object *v = pm_iter_next(rt, it);
        if (!v) break;
        int t = pm_is_true(rt, v);
        pm_decref(rt, v);
        if (t < 0) break;
        if (t == stop) {
            result = stop;
            break;
        }
    }
    pm_decref(rt, it);
    return pm_err_occurred(rt) ? NULL : pm_bool_from(result);
}

static pm_object *b_all(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("all");
    return all_any(rt, args[0], 0);
}

static pm_object *b_any(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    ONE_ARG("any");
    return all_any(rt, args[0], 1);
}

static const pmi_builtin_def small_defs[] = {
    {"abs", b_abs, 1},
    {"all", b_all, 1},
    {"any", b_any, 1},
    {"ascii", b_ascii, 1},
    {"bin", b_bin, 1},
    {"callable", b_callable, 1},
    {"chr", b_chr, 1},
    {"delattr", b_delattr, 0},
    {"divmod", b_divmod, 0},
    {"format", b_format, 0},
    {"getattr", b_getattr, 0},
    {"hasattr", b_hasattr, 0},
    {"hash", b_hash, 1},
    {"hex", b_hex, 1},
    {"id", b_id, 1},
    {"len", b_len, 0},
    {"oct", b_oct, 1},
    {"open", pmi_builtin_open, 0},
    {"ord", b_ord, 1},
    {"pow", b_pow, 0},
    {"repr", b_repr, 1},
    {"setattr", b_setattr, 0},
    {NULL, NULL, 0},
};

/* The core types under their builtin names. */
static const pm_type *const core_types[] = {
    &pm_int_type, &pm_bool_type, &pm_float_type, &pm_complex_type, &pm_str_type,
    &pm_bytes_type, &pm_bytearray_type, &pm_list_type, &pm_tuple_type, &pm_dict_type,
    &pm_set_type, &pm_frozenset_type, &pm_object_type, &pm_type_type, &pm_slice_type,
    &pm_memoryview_type,
    &pm_range_type, &pm_enumerate_type, &pm_zip_type, &pm_map_type, &pm_filter_type,
    &pm_reversed_type, &pm_property_type, &pm_classmethod_type, &pm_staticmethod_type, &pm_super_type,
    &pm_exc_BaseException,
#define PMI_EXC_ENTRY_(name, base, layout) &pm_exc_##name,
    PM_EXC_HIERARCHY(PMI_EXC_ENTRY_)
#undef PMI_EXC_ENTRY_
};

/*
 * Names other branches register (each from its own file, after this fill):
 *   (range enumerate zip map filter reversed property classmethod
 *   staticmethod are in core_types above; iter(callable, sentinel) may move
 *   to the library's callable_iterator)
 *   classes branch: super, and `type` as the type object (type(name, bases,
 *                   ns) in the type object's call
 *   import/sys:     the builtins module itself (__self__ of the functions)
 */

static int set_item(pm_runtime *rt, pm_object *dict, const char *name, pm_object *value) {
    pm_object *key = pm_str_intern_cstr(rt, name);
    int rc = key ? pm_dict_set(rt, dict, key, value) : -1;
    pm_xdecref(rt, key);
    return rc;
}

static int add_table(pm_runtime *rt, pm_object *dict, const pmi_builtin_def *defs) {
    for (const pmi_builtin_def *d = defs; d->name; d++) {
        pmi_builtin *b = pm_malloc(rt, sizeof *b);
        if (!b) {
            pm_err_nomem(rt);
            return -1;
        }
        b->ob_base.ob_refcnt = 1;
        b->ob_base.ob_type = &builtin_type;
        b->def = d;
        int rc = set_item(rt, dict, d->name, (pm_object *)b);
        pm_decref(rt, (pm_object *)b);
        if (rc < 0) return -1;
    }
    return 0;
}

int pmi_builtins_fill(pm_runtime *rt, pm_object *dict) {
    if (add_table(rt, dict, small_defs) < 0 || add_table(rt, dict, pmi_bltin_funcs) < 0 ||
        add_table(rt, dict, pmi_bltin_exec) < 0)
        return -1;
    for (size_t i = 0; i < sizeof core_types / sizeof core_types[0]; i++)
        if (set_item(rt, dict, pm_type_name(core_types[i]), pm_type_as_object(core_types[i])) < 0)
            return -1;
    if (set_item(rt, dict, "Ellipsis", PM_ELLIPSIS) < 0 ||
        set_item(rt, dict, "NotImplemented", PM_NOTIMPLEMENTED) < 0 ||
        set_item(rt, dict, "None", PM_NONE) < 0 || set_item(rt, dict, "True", PM_TRUE) < 0 ||
        set_item(rt, dict, "False", PM_FALSE) < 0 || set_item(rt, dict, "__debug__", PM_TRUE) < 0)
        return -1;
    return 0;
}
