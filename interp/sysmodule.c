/*
 * interp/sysmodule.c — the `sys` module.
 *
 * Purpose
 *   The interpreter's face to Python code: the command line (argv, flags),
 *   the import state (path, modules), the memory system's knobs and gauges
 *   (getrefcount, getsizeof, intern, the recursion limit, the allocator's
 *   block count and statistics), and constants describing the platform
 *   and the language level (version_info 3.11: the level pymm follows).
 *
 *   Named tuples (sys.flags, version_info, float_info, int_info,
 *   hash_info, get_asyncgen_hooks()) are "struct sequences" as in CPython:
 *   a small object over a tuple, indexable, iterable, comparable and
 *   hashable as the tuple, with one read-only attribute per field and
 *   CPython's repr:
 *
 *       structseq ──tuple──▶ (3, 11, 7, 'final', 0)
 *          │ type->extra ──▶ { "sys.version_info", {"major", "minor", ...} }
 *
 *   sys.implementation is a types.SimpleNamespace (a dict-backed object
 *   whose repr lists its attributes).
 *
 * Invariants
 *   - No C state: everything lives in the module dict (sys.path is read by
 *     the importer from there, as importlib does), but for what CPython
 *     keeps per thread: the asyncgen hooks and the coroutine origin
 *     tracking depth live in pmi_interp (coroobject.c reads them).
 *   - sys.stdout / stderr / stdin (and __stdout__ ...) are the runtime's
 *     std streams (builtins.h: pmi_stdio_get), None if there are none.
 *   - exc_info() / exception() ask the loop (pmi_current_exception);
 *     _getframe() asks the traceback part (pmi_frame_object_get).
 */
#include "import.h"
#include "builtins.h"
#include "traceback.h"

#include <float.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define PMI_PY_VERSION "3.11.7"
#define PMI_PY_HEXVERSION 0x030B07F0

/* ---- struct sequences ---------------------------------------------------- */

/* What a struct-sequence type names (type->extra). */
typedef struct structseq_desc {
    const char *const *fields;      /* field names, NULL-terminated */
} structseq_desc;

/* A struct-sequence instance. */
typedef struct structseq {
    pm_object ob_base;              /* refcount + type */
    pm_object *tuple;               /* owned: the values */
} structseq;

static int structseq_check(const pm_object *o);

static void structseq_dealloc(pm_runtime *rt, pm_object *self) {
    pm_decref(rt, ((structseq *)self)->tuple);
    pm_free(rt, self);
}

static pm_object *structseq_repr(pm_runtime *rt, pm_object *self) {
    const structseq_desc *d = pm_type_of(self)->extra;
    pm_object *t = ((structseq *)self)->tuple;
    pm_object *parts = pm_list_new(rt), *sep = NULL, *body = NULL, *r = NULL;
    if (!parts) return NULL;
    for (pm_ssize_t i = 0; d->fields[i]; i++) {
        pm_object *v = pm_repr(rt, pm_tuple_get(rt, t, i));
        const char *vs = v ? pm_str_as_utf8(rt, v, NULL) : NULL;
        pm_object *item = vs ? pm_str_from_format(rt, "%s=%s", d->fields[i], vs) : NULL;
        int ok = item && pm_list_append(rt, parts, item) == 0;
        pm_xdecref(rt, item);
        pm_xdecref(rt, v);
        if (!ok) goto done;
    }
    sep = pm_str_from_cstr(rt, ", ");
    body = sep ? pm_str_join(rt, sep, parts) : NULL;
    if (body) {
        const char *b = pm_str_as_utf8(rt, body, NULL);
        if (b) r = pm_str_from_format(rt, "%s(%s)", pm_type_of(self)->name, b);
    }
done:
    pm_decref(rt, parts);
    pm_xdecref(rt, sep);
    pm_xdecref(rt, body);
    return r;
}

static pm_object *structseq_getattr(pm_runtime *rt, pm_object *self, pm_object *name) {
    const structseq_desc *d = pm_type_of(self)->extra;
    for (pm_ssize_t i = 0; d->fields[i]; i++)
        if (pm_str_equal_cstr(name, d->fields[i]))
            return pm_newref(rt, pm_tuple_get(rt, ((structseq *)self)->tuple, i));
    return pm_object_generic_getattr(rt, self, name);
}

/* The fields are read-only members (3.11: "readonly attribute"). */
static int structseq_setattr(pm_runtime *rt, pm_object *self, pm_object *name, pm_object *value) {
    const structseq_desc *d = pm_type_of(self)->extra;
    for (pm_ssize_t i = 0; d->fields[i]; i++)
        if (pm_str_equal_cstr(name, d->fields[i])) {
            pm_err_set(rt, PM_EXC_AttributeError, "readonly attribute");
            return -1;
        }
    return pm_object_generic_setattr(rt, self, name, value);
}

static pm_ssize_t structseq_length(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return pm_tuple_size(((structseq *)self)->tuple);
}

static pm_object *structseq_subscript(pm_runtime *rt, pm_object *self, pm_object *key) {
    return pm_getitem(rt, ((structseq *)self)->tuple, key);
}

static int structseq_contains(pm_runtime *rt, pm_object *self, pm_object *v) {
    return pm_contains(rt, ((structseq *)self)->tuple, v);
}

static pm_object *structseq_iter(pm_runtime *rt, pm_object *self) {
    return pm_iter(rt, ((structseq *)self)->tuple);
}

static pm_hash_t structseq_hash(pm_runtime *rt, pm_object *self) {
    return pm_hash(rt, ((structseq *)self)->tuple);
}

static pm_object *structseq_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    pm_object *ta = structseq_check(a) ? ((structseq *)a)->tuple : a;
    pm_object *tb = structseq_check(b) ? ((structseq *)b)->tuple : b;
    if (!pm_is_instance(ta, &pm_tuple_type) || !pm_is_instance(tb, &pm_tuple_type))
        return pm_newref(rt, PM_NOTIMPLEMENTED);
    return pm_richcompare(rt, ta, tb, op);
}

static const pm_mapping_methods structseq_as_mapping = {
    .mp_length = structseq_length,
    .mp_subscript = structseq_subscript,
};

static const pm_sequence_methods structseq_as_sequence = {
    .sq_length = structseq_length,
    .sq_contains = structseq_contains,
};

#define STRUCTSEQ_TYPE(var, tpname, desc)                                     \
    static const pm_type var = {                                             \
        .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},                       \
        .name = tpname,                                                       \
        .basicsize = sizeof(structseq),                                       \
        .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_IMMUTABLE,                    \
        .base = &pm_object_type,                                              \
        .dealloc = structseq_dealloc,                                         \
        .repr = structseq_repr,                                               \
        .hash = structseq_hash,                                               \
        .richcompare = structseq_richcompare,                                 \
        .getattr = structseq_getattr,                                         \
        .setattr = structseq_setattr,                                         \
        .as_sequence = &structseq_as_sequence,                                \
        .as_mapping = &structseq_as_mapping,                                  \
        .iter = structseq_iter,                                               \
        .extra = &desc,                                                       \
    }

static const char *const flags_fields[] = {
    "debug", "inspect", "interactive", "optimize", "dont_write_bytecode", "no_user_site", "no_site",
    "ignore_environment", "verbose", "bytes_warning", "quiet", "hash_randomization", "isolated",
    "dev_mode", "utf8_mode", "warn_default_encoding", "safe_path", "int_max_str_digits", NULL};
static const char *const version_fields[] = {"major", "minor", "micro", "releaselevel", "serial", NULL};
static const char *const float_fields[] = {"max", "max_exp", "max_10_exp", "min", "min_exp", "min_10_exp",
                                           "dig", "mant_dig", "epsilon", "radix", "rounds", NULL};
static const char *const int_fields[] = {"bits_per_digit", "sizeof_digit", "default_max_str_digits",
                                         "str_digits_check_threshold", NULL};
static const char *const hash_fields[] = {"width", "modulus", "inf", "nan", "imag", "algorithm",
                                          "hash_bits", "seed_bits", "cutoff", NULL};
static const char *const hooks_fields[] = {"firstiter", "finalizer", NULL};
static const char *const unraisable_fields[] = {"exc_type", "exc_value", "exc_traceback", "err_msg", "object", NULL};
static const structseq_desc unraisable_desc = {unraisable_fields};
static const structseq_desc flags_desc = {flags_fields};
static const structseq_desc hooks_desc = {hooks_fields};
static const structseq_desc version_desc = {version_fields};
static const structseq_desc float_desc = {float_fields};
static const structseq_desc int_desc = {int_fields};
static const structseq_desc hash_desc = {hash_fields};
STRUCTSEQ_TYPE(flags_type, "sys.flags", flags_desc);
STRUCTSEQ_TYPE(version_type, "sys.version_info", version_desc);
STRUCTSEQ_TYPE(float_info_type, "sys.float_info", float_desc);
STRUCTSEQ_TYPE(int_info_type, "sys.int_info", int_desc);
STRUCTSEQ_TYPE(hash_info_type, "sys.hash_info", hash_desc);
STRUCTSEQ_TYPE(asyncgen_hooks_type, "asyncgen_hooks", hooks_desc);
STRUCTSEQ_TYPE(unraisable_args_type, "UnraisableHookArgs", unraisable_desc);

static int structseq_check(const pm_object *o) {
    const pm_type *t = pm_type_of(o);
    return t == &flags_type || t == &version_type || t == &float_info_type || t == &int_info_type ||
           t == &hash_info_type || t == &asyncgen_hooks_type || t == &unraisable_args_type;
}

/* A struct sequence of type t over the tuple (STOLEN; NULL: returns
 * NULL).  New ref. */
static pm_object *structseq_new(pm_runtime *rt, const pm_type *t, pm_object *tuple) {
    if (!tuple) return NULL;
    structseq *s = pm_malloc(rt, sizeof *s);
    if (!s) {
        pm_decref(rt, tuple);
        return pm_err_nomem(rt);
    }
    s->ob_base.ob_refcnt = 1;
    s->ob_base.ob_type = t;
    s->tuple = tuple;
    return (pm_object *)s;
}

/* A tuple from a printf-like spec: 'i' long, 'n' pm_ssize_t, 'd' double,
 * 's' C string, 'b' bool (int), 'L' long long.  New ref. */
static pm_object *build_tuple(pm_runtime *rt, const char *spec, ...) {
    pm_object *items[24];
    pm_ssize_t n = 0;
    va_list ap;
    va_start(ap, spec);
    for (const char *p = spec; *p && n < 24; p++, n++) {
        switch (*p) {
        case 'i': items[n] = pm_int_from_long(rt, va_arg(ap, long)); break;
        case 'n': items[n] = pm_int_from_ssize(rt, va_arg(ap, pm_ssize_t)); break;
        case 'L': items[n] = pm_int_from_longlong(rt, va_arg(ap, long long)); break;
        case 'd': items[n] = pm_float_new(rt, va_arg(ap, double)); break;
        case 's': items[n] = pm_str_from_cstr(rt, va_arg(ap, const char *)); break;
        default: items[n] = pm_bool_from(va_arg(ap, int)); break;
        }
        if (!items[n]) break;
    }
    va_end(ap);
    pm_object *t = NULL;
    if (n == (pm_ssize_t)strlen(spec) && items[n - 1]) t = pm_tuple_from_array(rt, items, n);
    for (pm_ssize_t i = 0; i < n; i++) pm_xdecref(rt, items[i]);
    return t;
}

/* ---- types.SimpleNamespace (sys.implementation) ---------------------------- */

/* A namespace object. */
typedef struct nsobject {
    pm_object ob_base;              /* refcount + type */
    pm_object *dict;                /* owned: the attributes */
} nsobject;

static void ns_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    PM_CLEAR(rt, ((nsobject *)self)->dict);
    pm_gc_del(rt, self);
}

static int ns_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pm_object *d = ((nsobject *)self)->dict;
    return d ? visit(d, arg) : 0;
}

static int ns_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((nsobject *)self)->dict);
    return 0;
}

static pm_object *ns_repr(pm_runtime *rt, pm_object *self) {
    pm_object *d = ((nsobject *)self)->dict;
    pm_object *parts = pm_list_new(rt), *sep = NULL, *body = NULL, *r = NULL;
    if (!parts) return NULL;
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    if (pm_enter_recursive_call(rt, " while getting the repr of an object") < 0) goto done;
    while (d && pm_dict_next(d, &pos, &k, &v)) {
        pm_object *vr = pm_repr(rt, v);
        const char *ks = pm_str_check(k) ? pm_str_as_utf8(rt, k, NULL) : NULL;
        const char *vs = vr ? pm_str_as_utf8(rt, vr, NULL) : NULL;
        pm_object *item = ks && vs ? pm_str_from_format(rt, "%s=%s", ks, vs) : NULL;
        int ok = item && pm_list_append(rt, parts, item) == 0;
        pm_xdecref(rt, item);
        pm_xdecref(rt, vr);
        if (!ok) break;
    }
    pm_leave_recursive_call(rt);
    if (pm_err_occurred(rt)) goto done;
    sep = pm_str_from_cstr(rt, ", ");
    body = sep ? pm_str_join(rt, sep, parts) : NULL;
    if (body) {
        const char *b = pm_str_as_utf8(rt, body, NULL);
        if (b) r = pm_str_from_format(rt, "namespace(%s)", b);
    }
done:
    pm_decref(rt, parts);
    pm_xdecref(rt, sep);
    pm_xdecref(rt, body);
    return r;
}

static const pm_type ns_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "types.SimpleNamespace",
    .basicsize = sizeof(nsobject),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dictoffset = offsetof(nsobject, dict),
    .dealloc = ns_dealloc,
    .traverse = ns_traverse,
    .clear = ns_clear,
    .repr = ns_repr,
};

static pm_object *implementation_new(pm_runtime *rt, pm_object *version) {
    nsobject *ns = (nsobject *)pm_gc_new(rt, &ns_type);
    if (!ns) return NULL;
    ns->dict = pm_dict_new(rt);
    pm_gc_track(rt, (pm_object *)ns);
    if (!ns->dict) goto fail;
    struct {
        const char *k;
        pm_object *v;
    } items[] = {
        {"name", pm_str_from_cstr(rt, "pymm")},
        {"cache_tag", pm_newref(rt, PM_NONE)},
        {"version", pm_newref(rt, version)},
        {"hexversion", pm_int_from_long(rt, PMI_PY_HEXVERSION)},
        {"_multiarch", pm_str_from_cstr(rt, "x86_64-linux-gnu")},
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        pm_object *k = items[i].v ? pm_str_intern_cstr(rt, items[i].k) : NULL;
        if (!k || pm_dict_set(rt, ns->dict, k, items[i].v) < 0) ok = 0;
        pm_xdecref(rt, k);
    }
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) pm_xdecref(rt, items[i].v);
    if (ok) return (pm_object *)ns;
fail:
    pm_decref(rt, (pm_object *)ns);
    return NULL;
}

/* ---- argument helpers ---------------------------------------------------- */

static int check_args(pm_runtime *rt, const char *name, pm_ssize_t nargs, pm_ssize_t min, pm_ssize_t max) {
    if (nargs >= min && nargs <= max) return 0;
    if (min == max)
        pm_err_format(rt, PM_EXC_TypeError, "%s expected %zd argument%s, got %zd", name, min,
                      min == 1 ? "" : "s", nargs);
    else if (nargs < min)
        pm_err_format(rt, PM_EXC_TypeError, "%s expected at least %zd argument%s, got %zd", name, min,
                      min == 1 ? "" : "s", nargs);
    else
        pm_err_format(rt, PM_EXC_TypeError, "%s expected at most %zd argument%s, got %zd", name, max,
                      max == 1 ? "" : "s", nargs);
    return -1;
}

/* An int argument as a C int (CPython's _PyLong_AsInt texts): 0 / -1. */
static int int_arg(pm_runtime *rt, pm_object *o, int *out) {
    if (pm_is_instance(o, &pm_float_type)) {
        pm_err_set(rt, PM_EXC_TypeError, "'float' object cannot be interpreted as an integer");
        return -1;
    }
    pm_ssize_t v = pm_index_as_ssize(rt, o, PM_INDEX_OVERFLOWERROR);
    if (v == -1 && pm_err_occurred(rt)) {
        if (pm_err_matches(rt, PM_EXC_OverflowError))
            pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C int");
        return -1;
    }
    if (v > 2147483647 || v < -2147483647 - 1) {
        pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C int");
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* ---- functions ------------------------------------------------------------ */

static pm_object *sys_exit(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (check_args(rt, "exit", nargs, 0, 1) < 0) return NULL;
    pm_err_set_object(rt, &pm_exc_SystemExit, nargs ? args[0] : NULL);
    return NULL;
}

static pm_object *sys_getrefcount(pm_runtime *rt, pm_object *self, pm_object *o) {
    (void)self;
    return pm_int_from_ssize(rt, pm_refcnt(rt, o));
}

/* 3.11's _PySys_GetSizeOf: obj's __sizeof__() plus the pre-header (the gc
 * head, a managed dict).  A class whose __sizeof__ is its static base's
 * measures itself without the call (pm_getsizeof: the same figure); one
 * that overrides it (a Python __sizeof__) is called.  -1 with the error
 * set. */
static pm_ssize_t sizeof_of(pm_runtime *rt, pm_object *obj) {
    const pm_type *t = pm_type_of(obj);
    if (!(t->flags & PM_TPFLAGS_HEAPTYPE)) return (pm_ssize_t)pm_getsizeof(rt, obj);
    const pm_type *sb = t;
    while (sb && (sb->flags & PM_TPFLAGS_HEAPTYPE)) sb = sb->base;
    pm_object *name = pm_str_intern_cstr(rt, "__sizeof__");
    if (!name) return -1;
    pm_object *own = pm_type_lookup(rt, t, name);
    pm_object *base = own && sb ? pm_type_lookup(rt, sb, name) : NULL;
    if (pm_err_occurred(rt)) {
        pm_decref(rt, name);
        return -1;
    }
    if (own && own == base) {
        pm_decref(rt, name);
        return (pm_ssize_t)pm_getsizeof(rt, obj);
    }
    pm_object *r = own ? pm_call_method(rt, obj, name, NULL, 0) : NULL;
    pm_decref(rt, name);
    if (!own) {
        pm_err_format(rt, PM_EXC_TypeError, "Type %.100s doesn't define __sizeof__", t->name);
        return -1;
    }
    if (!r) return -1;
    if (!pm_int_check(r)) {
        pm_decref(rt, r);
        pm_err_set(rt, PM_EXC_TypeError, "an integer is required");
        return -1;
    }
    pm_ssize_t n = pm_int_as_ssize(rt, r);
    pm_decref(rt, r);
    if (n == -1 && pm_err_occurred(rt)) return -1;
    if (n < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "__sizeof__() should return >= 0");
        return -1;
    }
    size_t pre = pm_type_preheader_size(t);
    if ((size_t)n > (size_t)PM_SSIZE_MAX - pre) {
        pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C ssize_t");
        return -1;
    }
    return n + (pm_ssize_t)pre;
}

static pm_object *sys_getsizeof(pm_runtime *rt, pm_object *self, pm_object *const *args,
                                pm_ssize_t nargs, pm_object *kwnames) {
    (void)self;
    pm_object *obj = nargs > 0 ? args[0] : NULL, *dflt = nargs > 1 ? args[1] : NULL, *bad = NULL;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs + nkw > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "getsizeof() takes at most 2 arguments (%zd given)", nargs + nkw);
        return NULL;
    }
    for (pm_ssize_t i = 0; i < nkw; i++) {
        pm_object *k = pm_tuple_get(rt, kwnames, i);
        if (pm_str_equal_cstr(k, "object") && !obj) obj = args[nargs + i];
        else if (pm_str_equal_cstr(k, "default") && !dflt) dflt = args[nargs + i];
        else if (!bad) bad = k;
    }
    if (!obj) {
        pm_err_set(rt, PM_EXC_TypeError, "getsizeof() missing required argument 'object' (pos 1)");
        return NULL;
    }
    if (bad) {
        const char *ks = pm_str_as_utf8(rt, bad, NULL);
        pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for getsizeof()", ks ? ks : "?");
        return NULL;
    }
    pm_ssize_t size = sizeof_of(rt, obj);
    if (size < 0) {
        /* 3.11: a TypeError (no __sizeof__, or not an int) gives the default */
        if (dflt && pm_err_matches(rt, PM_EXC_TypeError)) {
            pm_err_clear(rt);
            return pm_newref(rt, dflt);
        }
        return NULL;
    }
    return pm_int_from_ssize(rt, size);
}

static pm_object *sys_intern(pm_runtime *rt, pm_object *self, pm_object *s) {
    (void)self;
    if (pm_type_of(s) != &pm_str_type) {
        pm_err_format(rt, PM_EXC_TypeError, "intern() argument must be str, not %s",
                      pm_type_name(pm_type_of(s)));
        return NULL;
    }
    return pm_str_intern(rt, s);
}

static pm_object *sys_getrecursionlimit(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return pm_int_from_long(rt, pm_get_recursion_limit(rt));
}

static pm_object *sys_setrecursionlimit(pm_runtime *rt, pm_object *self, pm_object *o) {
    (void)self;
    int v;
    if (int_arg(rt, o, &v) < 0) return NULL;
    if (pm_set_recursion_limit(rt, v) < 0) return NULL;
    return PM_NONE;
}

static pm_object *sys_get_int_max_str_digits(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return pm_int_from_long(rt, pm_int_get_max_str_digits(rt));
}

static pm_object *sys_set_int_max_str_digits(pm_runtime *rt, pm_object *self, pm_object *const *args,
                                             pm_ssize_t nargs, pm_object *kwnames) {
    (void)self;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs + nkw > 1) {
        pm_err_format(rt, PM_EXC_TypeError, "set_int_max_str_digits() takes at most 1 argument (%zd given)",
                      nargs + nkw);
        return NULL;
    }
    if (nargs + nkw == 0 || (nkw == 1 && !pm_str_equal_cstr(pm_tuple_get(rt, kwnames, 0), "maxdigits"))) {
        pm_err_set(rt, PM_EXC_TypeError, "set_int_max_str_digits() missing required argument 'maxdigits' (pos 1)");
        return NULL;
    }
    int v;
    if (int_arg(rt, args[0], &v) < 0) return NULL;
    if (pm_int_set_max_str_digits(rt, v) < 0) return NULL;
    return PM_NONE;
}

/* ---- the coroutine hooks (kept in pmi_interp, called by coroobject.c) ---- */

/* One hook of set_asyncgen_hooks: v NULL (not given) keeps it, None
 * clears it, a callable replaces it; else 3.11's TypeError. */
static int set_hook(pm_runtime *rt, pm_object **slot, pm_object *v, const char *what) {
    if (!v) return 0;
    if (v != PM_NONE && !pm_callable(v)) {
        pm_err_format(rt, PM_EXC_TypeError, "callable %s expected, got %.50s", what, pm_type_name(pm_type_of(v)));
        return -1;
    }
    pm_object *old = *slot;
    *slot = v == PM_NONE ? NULL : pm_newref(rt, v);
    pm_xdecref(rt, old);
    return 0;
}

static pm_object *sys_set_asyncgen_hooks(pm_runtime *rt, pm_object *self, pm_object *const *args,
                                         pm_ssize_t nargs, pm_object *kwnames) {
    (void)self;
    static const char *const names[] = {"firstiter", "finalizer"};
    pm_object *val[2] = {nargs > 0 ? args[0] : NULL, nargs > 1 ? args[1] : NULL};
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs + nkw > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "function takes at most 2 arguments (%zd given)", nargs + nkw);
        return NULL;
    }
    /* PyArg_ParseTupleAndKeywords's order: by name and position first,
     * then a name that is not a parameter */
    pm_object *bad = NULL;
    for (pm_ssize_t i = 0; i < nkw; i++) {
        pm_object *k = pm_tuple_get(rt, kwnames, i);
        int which = pm_str_equal_cstr(k, "firstiter") ? 0 : pm_str_equal_cstr(k, "finalizer") ? 1 : -1;
        if (which < 0) {
            if (!bad) bad = k;
        } else if (which < nargs) {
            pm_err_format(rt, PM_EXC_TypeError, "argument for function given by name ('%s') and position (%d)",
                          names[which], which + 1);
            return NULL;
        } else {
            val[which] = args[nargs + i];
        }
    }
    if (bad) {
        const char *ks = pm_str_as_utf8(rt, bad, NULL);
        if (ks) pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for this function", ks);
        return NULL;
    }
    pmi_interp *in = pmi_interp_get(rt);
    if (!in) {
        pm_err_set(rt, PM_EXC_SystemError, "pymm: interpreter state missing");
        return NULL;
    }
    /* as 3.11: the finalizer is set before the firstiter is checked */
    if (set_hook(rt, &in->asyncgen_finalizer, val[1], "finalizer") < 0) return NULL;
    if (set_hook(rt, &in->asyncgen_firstiter, val[0], "firstiter") < 0) return NULL;
    return PM_NONE;
}

static pm_object *sys_get_asyncgen_hooks(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    pmi_interp *in = pmi_interp_get(rt);
    pm_object *first = in && in->asyncgen_firstiter ? in->asyncgen_firstiter : PM_NONE;
    pm_object *fin = in && in->asyncgen_finalizer ? in->asyncgen_finalizer : PM_NONE;
    return structseq_new(rt, &asyncgen_hooks_type, pm_tuple_pack(rt, 2, first, fin));
}

static pm_object *sys_set_coroutine_origin_tracking_depth(pm_runtime *rt, pm_object *self, pm_object *const *args,
                                                          pm_ssize_t nargs, pm_object *kwnames) {
    (void)self;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs + nkw > 1) {
        pm_err_format(rt, PM_EXC_TypeError,
                      "set_coroutine_origin_tracking_depth() takes at most 1 argument (%zd given)", nargs + nkw);
        return NULL;
    }
    if (nkw == 1 && !pm_str_equal_cstr(pm_tuple_get(rt, kwnames, 0), "depth")) {
        const char *ks = pm_str_as_utf8(rt, pm_tuple_get(rt, kwnames, 0), NULL);
        if (ks)
            pm_err_format(rt, PM_EXC_TypeError,
                          "set_coroutine_origin_tracking_depth() got an unexpected keyword argument '%s'", ks);
        return NULL;
    }
    if (nargs + nkw == 0) {
        pm_err_set(rt, PM_EXC_TypeError,
                   "set_coroutine_origin_tracking_depth() missing required argument 'depth' (pos 1)");
        return NULL;
    }
    int v;
    if (int_arg(rt, args[0], &v) < 0) return NULL;
    if (v < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "depth must be >= 0");
        return NULL;
    }
    pmi_interp *in = pmi_interp_get(rt);
    if (in) in->coro_origin_depth = v;
    return PM_NONE;
}

static pm_object *sys_get_coroutine_origin_tracking_depth(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    pmi_interp *in = pmi_interp_get(rt);
    return pm_int_from_long(rt, in ? in->coro_origin_depth : 0);
}

static pm_object *sys_getallocatedblocks(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    /* CPython counts the blocks pymalloc handed out: a request over 512
     * bytes goes to the system allocator and is not a block (so a 1 MB
     * bytearray adds its header only) */
    pm_alloc_stats st;
    pm_alloc_stats_get(rt, &st);
    size_t n = 0;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) n += st.size_class[i].blocks_in_use;
    return pm_int_from_ssize(rt, (pm_ssize_t)n);
}

static pm_object *sys_debugmallocstats(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    /* CPython's table (size classes, arenas, bytes by use), then pymm's
     * own lines (memory given back, large blocks), on stderr as CPython's;
     * sys.stdout's buffer first so the two streams keep their order */
    pmi_stdio_flush(rt);
    fflush(stdout);
    pm_alloc_stats_print(rt, stderr);
    return PM_NONE;
}

/* sys.displayhook(value), what PRINT_EXPR calls in 'single' mode (the
 * REPL): None prints nothing; anything else is written to sys.stdout as
 * repr(value) and a newline, and becomes builtins._ (set to None while the
 * repr runs, as CPython, so a repr that looks at _ sees no stale value). */
static pm_object *sys_displayhook(pm_runtime *rt, pm_object *self, pm_object *o) {
    (void)self;
    if (o == PM_NONE) return PM_NONE;
    pm_object *bdict = pmi_interp_get(rt)->builtins, *out = NULL, *text = NULL, *nl = NULL, *res = NULL;
    pm_object *key = pm_str_intern_cstr(rt, "_");
    if (!key || pm_dict_set(rt, bdict, key, PM_NONE) < 0) goto done;
    out = pmi_stdio_current(rt, 1);
    if (!out || out == PM_NONE) {
        if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_RuntimeError, "lost sys.stdout");
        goto done;
    }
    if (!(text = pm_repr(rt, o)) || pmi_file_write_str(rt, out, text) < 0) goto done;
    if (!(nl = pm_str_from_cstr(rt, "\n")) || pmi_file_write_str(rt, out, nl) < 0) goto done;
    if (pm_dict_set(rt, bdict, key, o) < 0) goto done;
    res = PM_NONE;
done:
    pm_xdecref(rt, key);
    pm_xdecref(rt, out);
    pm_xdecref(rt, text);
    pm_xdecref(rt, nl);
    return res;
}

/* ---- sys.excepthook, sys.unraisablehook ---------------------------------- */

/* sys.excepthook(type, value, traceback): the default, what an uncaught
 * exception meets unless the program replaced it (pmi_handle_uncaught).
 * A traceback given for an exception that has none is put on it first, as
 * 3.11's PyErr_Display does. */
static pm_object *sys_excepthook(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs != 3) {
        pm_err_format(rt, PM_EXC_TypeError, "excepthook expected 3 arguments, got %zd", nargs);
        return NULL;
    }
    pm_object *value = args[1], *tb = args[2];
    pmi_stdio_flush(rt);
    fflush(stdout);
    pmi_report rep;
    pmi_report_begin(rt, &rep);
    if (!pm_exc_check(value)) {
        fprintf(rep.out, "TypeError: print_exception(): Exception expected for value, %s found\n",
                pm_type_name(pm_type_of(value)));
    } else {
        if (tb != PM_NONE && !pm_exc_get_traceback(value)) pm_exc_set_traceback(rt, value, tb);
        pmi_exception_print(rt, value, rep.out);
        pm_err_clear(rt);
    }
    pmi_report_end(rt, &rep);
    return PM_NONE;
}

/* sys.unraisablehook(unraisable): the default report, from the fields of
 * an UnraisableHookArgs. */
static pm_object *sys_unraisablehook(pm_runtime *rt, pm_object *self, pm_object *args) {
    (void)self;
    if (pm_type_of(args) != &unraisable_args_type) {
        pm_err_set(rt, PM_EXC_TypeError, "sys.unraisablehook argument type must be UnraisableHookArgs");
        return NULL;
    }
    pm_object *t = ((structseq *)args)->tuple;
    pm_object *value = pm_tuple_get(rt, t, 1), *msg = pm_tuple_get(rt, t, 3), *obj = pm_tuple_get(rt, t, 4);
    const char *where = msg != PM_NONE && pm_str_check(msg) ? pm_str_as_utf8(rt, msg, NULL) : NULL;
    if (!where && pm_err_occurred(rt)) return NULL;
    pmi_stdio_flush(rt);
    fflush(stdout);
    pmi_unraisable_print(rt, where, obj == PM_NONE ? NULL : obj, pm_exc_check(value) ? value : NULL);
    return PM_NONE;
}

int pmi_sys_run_unraisablehook(pm_runtime *rt, const char *where, pm_object *obj, pm_object *exc) {
    pm_object *hook = pmi_sys_get(rt, "unraisablehook");
    if (!hook || hook == PM_NONE || hook == pmi_sys_get(rt, "__unraisablehook__")) {
        pm_err_clear(rt);
        return 0;
    }
    pm_incref(rt, hook);
    pm_object *tb = exc ? pm_exc_get_traceback(exc) : NULL;
    pm_object *msg = where && strcmp(where, "Exception ignored in") != 0 ? pm_str_from_cstr(rt, where)
                                                                         : pm_newref(rt, PM_NONE);
    pm_object *a = msg ? structseq_new(rt, &unraisable_args_type,
                                       pm_tuple_pack(rt, 5, exc ? pm_type_as_object(pm_type_of(exc)) : PM_NONE,
                                                     exc ? exc : PM_NONE, tb ? tb : PM_NONE, msg,
                                                     obj ? obj : PM_NONE))
                       : NULL;
    pm_xdecref(rt, msg);
    if (!a) {           /* no memory for the arguments: the default report */
        pm_err_clear(rt);
        pm_decref(rt, hook);
        return 0;
    }
    pm_object *r = pm_call(rt, hook, &a, 1, NULL);
    pm_decref(rt, a);
    if (r) {
        pm_decref(rt, r);
    } else {
        /* the hook failed: its own error is reported as coming from it */
        pm_object *e2 = pm_err_fetch(rt);
        pmi_unraisable_print(rt, "Exception ignored in sys.unraisablehook", hook, e2);
        pm_xdecref(rt, e2);
    }
    pm_decref(rt, hook);
    pm_err_clear(rt);
    return 1;
}

static pm_object *sys_getdefaultencoding(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return pm_str_from_cstr(rt, "utf-8");
}

static pm_object *sys_getfilesystemencodeerrors(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return pm_str_from_cstr(rt, "surrogateescape");
}

static pm_object *sys_exception(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    pm_object *e = pmi_current_exception(rt);
    return pm_newref(rt, e ? e : PM_NONE);
}

static pm_object *sys_exc_info(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    pm_object *e = pmi_current_exception(rt);
    if (!e || e == PM_NONE) return pm_tuple_pack(rt, 3, PM_NONE, PM_NONE, PM_NONE);
    pm_object *tb = pm_exc_get_traceback(e);
    return pm_tuple_pack(rt, 3, pm_type_as_object(pm_type_of(e)), e, tb ? tb : PM_NONE);
}

static pm_object *sys_getframe(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (check_args(rt, "_getframe", nargs, 0, 1) < 0) return NULL;
    int depth = 0;
    if (nargs && int_arg(rt, args[0], &depth) < 0) return NULL;
    pmi_interp *in = pmi_interp_get(rt);
    pmi_frame *f = in ? in->frame : NULL;
    while (depth > 0 && f) {
        f = f->previous;
        depth--;
    }
    if (!f) {
        pm_err_set(rt, PM_EXC_ValueError, "call stack is not deep enough");
        return NULL;
    }
    return pmi_frame_object_get(rt, f);
}

static pm_object *sys_clear_type_cache(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    pm_type_clear_cache(rt);
    return PM_NONE;
}

static pm_object *sys_is_finalizing(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)rt;
    (void)self;
    (void)unused;
    return PM_FALSE;
}

PMI_WRAP_NOARGS(sys_clear_type_cache_fast, sys_clear_type_cache, "sys._clear_type_cache")
PMI_WRAP_NOARGS(sys_debugmallocstats_fast, sys_debugmallocstats, "sys._debugmallocstats")
PMI_WRAP_NOARGS(sys_exc_info_fast, sys_exc_info, "sys.exc_info")
PMI_WRAP_NOARGS(sys_exception_fast, sys_exception, "sys.exception")
PMI_WRAP_NOARGS(sys_get_int_max_str_digits_fast, sys_get_int_max_str_digits, "sys.get_int_max_str_digits")
PMI_WRAP_NOARGS(sys_get_asyncgen_hooks_fast, sys_get_asyncgen_hooks, "sys.get_asyncgen_hooks")
PMI_WRAP_NOARGS(sys_get_coroutine_origin_tracking_depth_fast, sys_get_coroutine_origin_tracking_depth,
                "sys.get_coroutine_origin_tracking_depth")
PMI_WRAP_NOARGS(sys_getallocatedblocks_fast, sys_getallocatedblocks, "sys.getallocatedblocks")
PMI_WRAP_NOARGS(sys_getdefaultencoding_fast, sys_getdefaultencoding, "sys.getdefaultencoding")
PMI_WRAP_NOARGS(sys_getfilesystemencodeerrors_fast, sys_getfilesystemencodeerrors, "sys.getfilesystemencodeerrors")
PMI_WRAP_NOARGS(sys_getfilesystemencoding_fast, sys_getdefaultencoding, "sys.getfilesystemencoding")
PMI_WRAP_NOARGS(sys_getrecursionlimit_fast, sys_getrecursionlimit, "sys.getrecursionlimit")
PMI_WRAP_O(sys_displayhook_fast, sys_displayhook, "sys.displayhook")
PMI_WRAP_O(sys_unraisablehook_fast, sys_unraisablehook, "sys.unraisablehook")
PMI_WRAP_O(sys_getrefcount_fast, sys_getrefcount, "sys.getrefcount")
PMI_WRAP_O(sys_intern_fast, sys_intern, "sys.intern")
PMI_WRAP_NOARGS(sys_is_finalizing_fast, sys_is_finalizing, "sys.is_finalizing")
PMI_WRAP_O(sys_setrecursionlimit_fast, sys_setrecursionlimit, "sys.setrecursionlimit")

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def sys_methods[] = {
    {"_clear_type_cache", FN(sys_clear_type_cache_fast), PM_METH_FASTCALL, "Clear the internal type lookup cache."},
    {"_debugmallocstats", FN(sys_debugmallocstats_fast), PM_METH_FASTCALL,
     "Print summary info to stderr about the state of pymalloc's structures."},
    {"_getframe", FN(sys_getframe), PM_METH_FASTCALL, "Return a frame object from the call stack."},
    {"displayhook", FN(sys_displayhook_fast), PM_METH_FASTCALL, "Print an object to sys.stdout and also save it in builtins._"},
    {"exc_info", FN(sys_exc_info_fast), PM_METH_FASTCALL, "Return current exception information: (type, value, traceback)."},
    {"excepthook", FN(sys_excepthook), PM_METH_FASTCALL, "Handle an exception by displaying it with a traceback on sys.stderr."},
    {"exception", FN(sys_exception_fast), PM_METH_FASTCALL, "Return the current exception."},
    {"exit", FN(sys_exit), PM_METH_FASTCALL, "Exit the interpreter by raising SystemExit(status)."},
    {"get_asyncgen_hooks", FN(sys_get_asyncgen_hooks_fast), PM_METH_FASTCALL,
     "Return the installed asynchronous generators hooks."},
    {"get_coroutine_origin_tracking_depth", FN(sys_get_coroutine_origin_tracking_depth_fast), PM_METH_FASTCALL,
     "Check status of origin tracking for coroutine objects in this thread."},
    {"get_int_max_str_digits", FN(sys_get_int_max_str_digits_fast), PM_METH_FASTCALL,
     "Return the maximum string digits limit for non-binary int<->str conversions."},
    {"getallocatedblocks", FN(sys_getallocatedblocks_fast), PM_METH_FASTCALL,
     "Return the number of memory blocks currently allocated."},
    {"getdefaultencoding", FN(sys_getdefaultencoding_fast), PM_METH_FASTCALL,
     "Return the current default encoding used by the Unicode implementation."},
    {"getfilesystemencodeerrors", FN(sys_getfilesystemencodeerrors_fast), PM_METH_FASTCALL,
     "Return the error mode used Unicode to OS filename conversion."},
    {"getfilesystemencoding", FN(sys_getfilesystemencoding_fast), PM_METH_FASTCALL,
     "Return the encoding used to convert Unicode filenames to OS filenames."},
    {"getrecursionlimit", FN(sys_getrecursionlimit_fast), PM_METH_FASTCALL, "Return the current value of the recursion limit."},
    {"getrefcount", FN(sys_getrefcount_fast), PM_METH_FASTCALL, "Return the reference count of object."},
    {"getsizeof", FN(sys_getsizeof), PM_METH_FASTCALL | PM_METH_KEYWORDS, "Return the size of object in bytes."},
    {"intern", FN(sys_intern_fast), PM_METH_FASTCALL, "``Intern'' the given string."},
    {"is_finalizing", FN(sys_is_finalizing_fast), PM_METH_FASTCALL, "Return True if Python is exiting."},
    {"set_asyncgen_hooks", FN(sys_set_asyncgen_hooks), PM_METH_FASTCALL | PM_METH_KEYWORDS,
     "set_asyncgen_hooks(* [, firstiter] [, finalizer])\n\nSet a finalizer for async generators objects."},
    {"set_coroutine_origin_tracking_depth", FN(sys_set_coroutine_origin_tracking_depth),
     PM_METH_FASTCALL | PM_METH_KEYWORDS, "Enable or disable origin tracking for coroutine objects in this thread."},
    {"set_int_max_str_digits", FN(sys_set_int_max_str_digits), PM_METH_FASTCALL | PM_METH_KEYWORDS,
     "Set the maximum string digits limit for non-binary int<->str conversions."},
    {"setrecursionlimit", FN(sys_setrecursionlimit_fast), PM_METH_FASTCALL, "Set the maximum depth of the Python interpreter stack to n."},
    {"unraisablehook", FN(sys_unraisablehook_fast), PM_METH_FASTCALL, "Handle an unraisable exception."},
    {NULL, NULL, 0, NULL},
};
#undef FN

/* ---- the module ------------------------------------------------------------- */

static pm_object *builtin_names(pm_runtime *rt) {
    /* the import table is sorted, as CPython's tuple is */
    static const char *const names[] = {"builtins", "gc", "sys"};
    pm_object *items[3] = {NULL, NULL, NULL};
    pm_object *t = NULL;
    for (int i = 0; i < 3; i++)
        if (!(items[i] = pm_str_from_cstr(rt, names[i]))) goto done;
    t = pm_tuple_from_array(rt, items, 3);
done:
    for (int i = 0; i < 3; i++) pm_xdecref(rt, items[i]);
    return t;
}

static int sys_fill(pm_runtime *rt, pm_object *m) {
    pmi_interp *in = pmi_interp_get(rt);
    pm_object *vi = structseq_new(rt, &version_type, build_tuple(rt, "iiisi", 3L, 11L, 7L, "final", 0L));
    if (!vi) return -1;
    int r = pmi_module_add(rt, m, "version_info", vi);
    if (r == 0) r = pmi_module_add_new(rt, m, "implementation", implementation_new(rt, vi));
    pm_decref(rt, vi);
    if (r < 0) return -1;
    if (pmi_module_add(rt, m, "modules", in->modules) < 0) return -1;
    if (pmi_module_add_new(rt, m, "version",
                           pm_str_from_cstr(rt, PMI_PY_VERSION " (pymm " PM_VERSION_STRING ") [C11]")) < 0)
        return -1;
    if (pmi_module_add_new(rt, m, "hexversion", pm_int_from_long(rt, PMI_PY_HEXVERSION)) < 0) return -1;
    if (pmi_module_add_new(rt, m, "api_version", pm_int_from_long(rt, 1013)) < 0) return -1;
    if (pmi_module_add_new(rt, m, "maxsize", pm_int_from_ssize(rt, PM_SSIZE_MAX)) < 0) return -1;
    if (pmi_module_add_new(rt, m, "maxunicode", pm_int_from_long(rt, 0x10FFFF)) < 0) return -1;
    if (pmi_module_add_new(rt, m, "byteorder", pm_str_from_cstr(rt, "little")) < 0) return -1;
    if (pmi_module_add_new(rt, m, "platform", pm_str_from_cstr(rt, "linux")) < 0) return -1;
    if (pmi_module_add_new(rt, m, "float_repr_style", pm_str_from_cstr(rt, "short")) < 0) return -1;
    if (pmi_module_add_new(rt, m, "builtin_module_names", builtin_names(rt)) < 0) return -1;
    if (pmi_module_add_new(rt, m, "float_info",
                           structseq_new(rt, &float_info_type,
                                         build_tuple(rt, "diidiiiidii", DBL_MAX, (long)DBL_MAX_EXP,
                                                     (long)DBL_MAX_10_EXP, DBL_MIN, (long)DBL_MIN_EXP,
                                                     (long)DBL_MIN_10_EXP, (long)DBL_DIG, (long)DBL_MANT_DIG,
                                                     DBL_EPSILON, (long)FLT_RADIX, 1L))) < 0)
        return -1;
    if (pmi_module_add_new(rt, m, "int_info",
                           structseq_new(rt, &int_info_type, build_tuple(rt, "iiii", 30L, 4L, 4300L, 640L))) < 0)
        return -1;
    if (pmi_module_add_new(rt, m, "hash_info",
                           structseq_new(rt, &hash_info_type,
                                         build_tuple(rt, "iLiiisiii", 64L, 2305843009213693951LL, 314159L, 0L,
                                                     1000003L, "siphash13", 64L, 128L, 0L))) < 0)
        return -1;
    /* the runtime's std streams (builtins' fileio.c), None if absent */
    static const char *const streams[] = {"stdin", "stdout", "stderr", "__stdin__", "__stdout__", "__stderr__"};
    for (int i = 0; i < 6; i++) {
        pm_object *f = pmi_stdio_get(rt, i % 3);
        if (pmi_module_add(rt, m, streams[i], f ? f : PM_NONE) < 0) return -1;
    }
    static const char *const lists[] = {"meta_path", "path_hooks", "warnoptions"};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (pmi_module_add_new(rt, m, lists[i], pm_list_new(rt)) < 0) return -1;
    if (pmi_module_add_new(rt, m, "path_importer_cache", pm_dict_new(rt)) < 0) return -1;
    if (pmi_module_add_new(rt, m, "_xoptions", pm_dict_new(rt)) < 0) return -1;
    if (pmi_module_add(rt, m, "pycache_prefix", PM_NONE) < 0) return -1;
    /* sys.__displayhook__ and the others: the originals, for code that
     * restores them (and the default a replaced hook is told from) */
    static const char *const hooks[][2] = {{"displayhook", "__displayhook__"},
                                           {"excepthook", "__excepthook__"},
                                           {"unraisablehook", "__unraisablehook__"}};
    for (size_t i = 0; i < sizeof hooks / sizeof hooks[0]; i++) {
        pm_object *k = pm_str_intern_cstr(rt, hooks[i][0]);
        pm_object *hook = k ? pm_dict_get(rt, pmi_module_dict(m), k) : NULL;
        pm_xdecref(rt, k);
        if (!hook || pmi_module_add(rt, m, hooks[i][1], hook) < 0) return -1;
    }
    /* the command line's part: defaults until pmi_sys_configure */
    pmi_sys_config c;
    pmi_sys_config_init(&c);
    return pmi_sys_configure(rt, m, &c);
}

static const pmi_module_def sys_def = {
    .name = "sys",
    .doc = "This module provides access to some objects used or maintained by the\n"
    "interpreter and to functions that interact strongly with the interpreter.",
    .methods = sys_methods,
    .fill = sys_fill,
};

pm_object *pmi_sysmodule_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &sys_def);
}

void pmi_sys_config_init(pmi_sys_config *c) {
    memset(c, 0, sizeof *c);
    c->executable = "";
    c->hash_randomization = 1;
    c->int_max_str_digits = -1;
}

/* A list of strs from C strings. */
static pm_object *str_list(pm_runtime *rt, int n, char *const *v) {
    pm_object *l = pm_list_new(rt);
    for (int i = 0; l && i < n; i++) {
        pm_object *s = pm_str_from_cstr(rt, v[i]);
        if (!s || pm_list_append(rt, l, s) < 0) PM_CLEAR(rt, l);
        pm_xdecref(rt, s);
    }
    return l;
}

int pmi_sys_configure(pm_runtime *rt, pm_object *m, const pmi_sys_config *c) {
    static char *const empty[] = {""};
    if (pmi_module_add_new(rt, m, "argv", c->argc ? str_list(rt, c->argc, c->argv) : str_list(rt, 1, empty)) < 0)
        return -1;
    if (pmi_module_add_new(rt, m, "orig_argv", str_list(rt, c->orig_argc, c->orig_argv)) < 0) return -1;
    pm_object *path = pm_list_new(rt);
    if (!path) return -1;
    int ok = 1;
    if (c->path0) {
        pm_object *s = pm_str_from_cstr(rt, c->path0);
        ok = s && pm_list_append(rt, path, s) == 0;
        pm_xdecref(rt, s);
    }
    for (const char *p = c->pythonpath; ok && p && *p;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (len) {
            pm_object *s = pm_str_from_utf8(rt, p, (pm_ssize_t)len);
            ok = s && pm_list_append(rt, path, s) == 0;
            pm_xdecref(rt, s);
        }
        p += len + (colon ? 1 : 0);
    }
    if (ok && c->libdir && *c->libdir) {
        pm_object *s = pm_str_from_cstr(rt, c->libdir);
        ok = s && pm_list_append(rt, path, s) == 0;
        pm_xdecref(rt, s);
    }
    if (pmi_module_add_new(rt, m, ok ? "path" : "?", path) < 0 || !ok) return -1;
    if (pmi_module_add_new(rt, m, "executable", pm_str_from_cstr(rt, c->executable)) < 0) return -1;
    if (pmi_module_add_new(rt, m, "_base_executable", pm_str_from_cstr(rt, c->executable)) < 0) return -1;
    if (pmi_module_add(rt, m, "dont_write_bytecode", pm_bool_from(c->dont_write_bytecode)) < 0) return -1;
    pm_object *fl = structseq_new(
        rt, &flags_type,
        build_tuple(rt, "iiiiiiiiiiiiibiibi", 0L, (long)c->inspect, (long)c->inspect, (long)c->optimize,
                    (long)c->dont_write_bytecode, (long)c->no_user_site, (long)c->no_site,
                    (long)c->ignore_environment, (long)c->verbose, (long)c->bytes_warning, (long)c->quiet,
                    (long)c->hash_randomization, (long)c->isolated, c->dev_mode, 0L, 0L, c->safe_path,
                    (long)c->int_max_str_digits));
    return pmi_module_add_new(rt, m, "flags", fl);
}

pm_object *pmi_sys_get(pm_runtime *rt, const char *name) {
    pmi_interp *in = pmi_interp_get(rt);
    if (!in || !in->modules) return NULL;
    pm_object *k = pm_str_intern_cstr(rt, "sys");
    pm_object *sys = k ? pm_dict_get(rt, in->modules, k) : NULL;
    pm_xdecref(rt, k);
    if (!sys || !pmi_module_check(sys) || !pmi_module_dict(sys)) return NULL;
    k = pm_str_intern_cstr(rt, name);
    pm_object *v = k ? pm_dict_get(rt, pmi_module_dict(sys), k) : NULL;
    pm_xdecref(rt, k);
    return v;
}

int pmi_sys_set(pm_runtime *rt, const char *name, pm_object *v) {
    pmi_interp *in = pmi_interp_get(rt);
    pm_object *k = in && in->modules ? pm_str_intern_cstr(rt, "sys") : NULL;
    pm_object *sys = k ? pm_dict_get(rt, in->modules, k) : NULL;
    pm_xdecref(rt, k);
    if (!sys || !pmi_module_check(sys)) {
        if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_SystemError, "pymm: sys is not set up");
        return -1;
    }
    return pmi_module_add(rt, sys, name, v);
}

int pmi_sys_optimize(pm_runtime *rt) {
    pm_object *fl = pmi_sys_get(rt, "flags");
    if (!fl || pm_type_of(fl) != &flags_type) {
        pm_err_clear(rt);   /* a memory failure here shows again when compiling */
        return 0;
    }
    pm_object *v = pm_tuple_get(rt, ((structseq *)fl)->tuple, 3);
    long o = v ? pm_int_as_long(rt, v) : 0;
    if (o < 0) {
        pm_err_clear(rt);
        o = 0;
    }
    return (int)o;
}
