/*
 * interp/funcobject.c — functions, bound methods, cells, argument binding.
 *
 * Purpose: the objects behind `def`/`lambda` (function), `obj.f` (bound
 * method) and closures (cell), and the one routine that binds a call's
 * arguments to a frame's parameters (pmi_func_bind).
 *
 * Invariants:
 *   - a function's code, globals, builtins, name, qualname, doc and module
 *     are never NULL; defaults is NULL or a tuple, kwdefaults NULL or a
 *     dict, closure NULL or a tuple of cells as long as co_freevars;
 *   - every object here is gc-tracked from creation (a function refers to
 *     its globals, which usually refer back to it);
 *   - binding leaves each parameter slot owning one reference or NULL; it
 *     never runs Python code, so f is only ever half-bound on an error.
 *
 * Binding follows CPython 3.11's initialize_locals in order, which decides
 * which error wins: keywords first (not a str / unexpected / positional-only
 * passed by keyword / multiple values), then too many positional, then the
 * missing positional parameters, then the missing keyword-only ones:
 *
 *     def f(a, b=1, /, c=2, *args, d, e=3, **kw)
 *     slots: [a b c d e | args kw | cells... frees... | stack]
 *             ^positional ^kw-only ^ *args then **kw
 *
 * Bound methods are what `obj.f` gives when the loop cannot avoid one
 * (LOAD_ATTR rather than LOAD_METHOD): calling one prepends self, in place
 * when the caller allows it (PM_VECTORCALL_ARGUMENTS_OFFSET).
 */
#include "funcobject.h"
#include "code.h"

#include <stdio.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

static const char *utf8_or(pm_runtime *rt, pm_object *s, const char *dflt) {
    if (!s || !pm_str_check(s)) return dflt;
    const char *t = pm_str_as_utf8(rt, s, NULL);
    if (!t) {
        pm_err_clear(rt);
        return dflt;
    }
    return t;
}

static int visit_fields(pm_object *const *fields, size_t n, pm_visitproc visit, void *arg) {
    for (size_t i = 0; i < n; i++) {
        if (fields[i]) {
            int r = visit(fields[i], arg);
            if (r) return r;
        }
    }
    return 0;
}

/* ---- function ----------------------------------------------------------- */

pm_object *pmi_function_new(pm_runtime *rt, pm_object *code, pm_object *globals) {
    pmi_code *co = (pmi_code *)code;
    pmi_interp *in = pmi_interp_get(rt);
    pm_object *builtins = in && in->frame ? in->frame->builtins : in ? in->builtins : NULL;
    if (!builtins) {
        pm_err_set(rt, PM_EXC_SystemError, "pymm: no builtins for a new function");
        return NULL;
    }
    pm_object *modkey = pm_str_intern_cstr(rt, "__name__");
    if (!modkey) return NULL;
    pm_object *module = pm_dict_get(rt, globals, modkey);
    pm_decref(rt, modkey);
    pmi_function *fn = (pmi_function *)pm_gc_new(rt, &pmi_function_type);
    if (!fn) return NULL;
    fn->globals = pm_newref(rt, globals);
    fn->builtins = pm_newref(rt, builtins);
    fn->name = pm_newref(rt, co->name);
    fn->qualname = pm_newref(rt, co->qualname);
    fn->code = pm_newref(rt, code);
    pm_object *doc = pm_tuple_size(co->consts) > 0 ? pm_tuple_get(rt, co->consts, 0) : PM_NONE;
    fn->doc = pm_newref(rt, pm_str_check(doc) ? doc : PM_NONE);
    fn->module = pm_newref(rt, module ? module : PM_NONE);
    pm_gc_track(rt, (pm_object *)fn);
    return (pm_object *)fn;
}

static void function_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_function *fn = (pmi_function *)self;
    pm_gc_untrack(rt, self);
    if (pm_gc_dealloc_begin(rt, self)) return;      /* clears weak references */
    pm_xdecref(rt, fn->globals);
    pm_xdecref(rt, fn->builtins);
    pm_xdecref(rt, fn->name);
    pm_xdecref(rt, fn->qualname);
    pm_xdecref(rt, fn->code);
    pm_xdecref(rt, fn->defaults);
    pm_xdecref(rt, fn->kwdefaults);
    pm_xdecref(rt, fn->closure);
    pm_xdecref(rt, fn->doc);
    pm_xdecref(rt, fn->dict);
    pm_xdecref(rt, fn->module);
    pm_xdecref(rt, fn->annotations);
    pm_gc_del(rt, self);
}

static int function_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_function *fn = (pmi_function *)self;
    pm_object *fields[] = {fn->globals, fn->builtins, fn->name, fn->qualname, fn->code,
                           fn->defaults, fn->kwdefaults, fn->closure, fn->doc, fn->dict,
                           fn->module, fn->annotations};
    return visit_fields(fields, sizeof fields / sizeof fields[0], visit, arg);
}

static int function_clear(pm_runtime *rt, pm_object *self) {
    pmi_function *fn = (pmi_function *)self;
    /* name, qualname, code, globals and builtins stay: they never form cycles
     * that the others do not, and the invariants say they are never NULL */
    PM_CLEAR(rt, fn->defaults);
    PM_CLEAR(rt, fn->kwdefaults);
    PM_CLEAR(rt, fn->closure);
    PM_CLEAR(rt, fn->dict);
    PM_CLEAR(rt, fn->annotations);
    pm_object *old = fn->doc;
    fn->doc = PM_NONE;
    pm_decref(rt, old);
    old = fn->module;
    fn->module = PM_NONE;
    pm_decref(rt, old);
    return 0;
}

static pm_object *function_repr(pm_runtime *rt, pm_object *self) {
    pmi_function *fn = (pmi_function *)self;
    return pm_str_from_format(rt, "<function %s at %p>", utf8_or(rt, fn->qualname, "?"), (void *)self);
}

/* object's hash (CPython's _Py_HashPointer): the address rotated by 4 bits. */
static pm_hash_t function_hash(pm_runtime *rt, pm_object *self) {
    (void)rt;
    uintptr_t p = (uintptr_t)self;
    pm_hash_t x = (pm_hash_t)((p >> 4) | (p << (8 * sizeof p - 4)));
    return x == -1 ? -2 : x;
}

static pm_object *function_descr_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    (void)type;
    if (!obj || obj == PM_NONE) return pm_newref(rt, self);
    return pm_method_new(rt, self, obj);
}

static pm_object *function_call(pm_runtime *rt, pm_object *callable, pm_object *const *args,
                                size_t nargsf, pm_object *kwnames) {
    pmi_function *fn = (pmi_function *)callable;
    pmi_frame *f = pmi_frame_push(rt, fn->code, callable, fn->globals, fn->builtins, NULL);
    if (!f) return NULL;
    pm_object *res = NULL;
    if (pmi_func_bind(rt, callable, f, args, pm_vectorcall_nargs(nargsf), kwnames, 0) == 0)
        res = pmi_eval_frame(rt, f);
    pmi_frame_pop(rt, f);
    return res;
}

static pm_object *fn_get_name(pm_runtime *rt, pm_object *self, void *closure) {
    pm_object **slot = (pm_object **)(void *)((char *)self + (size_t)closure);
    return pm_newref(rt, *slot);
}

static int fn_set_str(pm_runtime *rt, pm_object *self, pm_object *value, void *closure) {
    pm_object **slot = (pm_object **)(void *)((char *)self + (size_t)closure);
    if (!value || !pm_str_check(value)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s must be set to a string object",
                      closure == (void *)offsetof(pmi_function, name) ? "__name__" : "__qualname__");
        return -1;
    }
    pm_object *old = *slot;
    *slot = pm_newref(rt, value);
    pm_decref(rt, old);
    return 0;
}

static pm_object *fn_get_code(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    return pm_newref(rt, ((pmi_function *)self)->code);
}

static int fn_set_code(pm_runtime *rt, pm_object *self, pm_object *value, void *closure) {
    (void)closure;
    pmi_function *fn = (pmi_function *)self;
    if (!value || !pmi_code_check(value)) {
        pm_err_set(rt, PM_EXC_TypeError, "__code__ must be set to a code object");
        return -1;
    }
    int nfree = ((pmi_code *)value)->nfreevars;
    int nclosure = fn->closure ? (int)pm_tuple_size(fn->closure) : 0;
    if (nfree != nclosure) {
        pm_err_format(rt, PM_EXC_ValueError, "%s() requires a code object with %d free vars, not %d",
                      utf8_or(rt, fn->name, "?"), nclosure, nfree);
        return -1;
    }
    pm_object *old = fn->code;
    fn->code = pm_newref(rt, value);
    pm_decref(rt, old);
    return 0;
}

static pm_object *fn_get_opt(pm_runtime *rt, pm_object *self, void *closure) {
    pm_object *v = *(pm_object **)(void *)((char *)self + (size_t)closure);
    return pm_newref(rt, v ? v : PM_NONE);
}

static int fn_set_defaults(pm_runtime *rt, pm_object *self, pm_object *value, void *closure) {
    int kw = closure == (void *)offsetof(pmi_function, kwdefaults);
    pm_object **slot = (pm_object **)(void *)((char *)self + (size_t)closure);
    if (value == PM_NONE) value = NULL;
    if (value && (kw ? !pm_dict_check(value) : !pm_tuple_check(value))) {
        pm_err_set(rt, PM_EXC_TypeError, kw ? "__kwdefaults__ must be set to a dict object"
                                            : "__defaults__ must be set to a tuple object");
        return -1;
    }
    pm_object *old = *slot;
    *slot = value ? pm_newref(rt, value) : NULL;
    pm_xdecref(rt, old);
    return 0;
}

static pm_object *fn_get_dict(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    pmi_function *fn = (pmi_function *)self;
    if (!fn->dict && !(fn->dict = pm_dict_new(rt))) return NULL;
    return pm_newref(rt, fn->dict);
}

static int fn_set_dict(pm_runtime *rt, pm_object *self, pm_object *value, void *closure) {
    (void)closure;
    pmi_function *fn = (pmi_function *)self;
    if (!value) {
        pm_err_set(rt, PM_EXC_TypeError, "cannot delete __dict__");
        return -1;
    }
    if (!pm_dict_check(value)) {
        pm_err_format(rt, PM_EXC_TypeError, "__dict__ must be set to a dictionary, not a '%s'",
                      pm_type_name(pm_type_of(value)));
        return -1;
    }
    pm_object *old = fn->dict;
    fn->dict = pm_newref(rt, value);
    pm_xdecref(rt, old);
    return 0;
}

static pm_object *fn_get_annotations(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    pmi_function *fn = (pmi_function *)self;
    if (!fn->annotations || pm_tuple_check(fn->annotations)) {
        pm_object *d = pm_dict_new(rt);
        if (!d) return NULL;
        pm_object *flat = fn->annotations;
        for (pm_ssize_t i = 0; flat && i + 1 < pm_tuple_size(flat); i += 2) {
            if (pm_dict_set(rt, d, pm_tuple_get(rt, flat, i), pm_tuple_get(rt, flat, i + 1)) < 0) {
                pm_decref(rt, d);
                return NULL;
            }
        }
        fn->annotations = d;
        pm_xdecref(rt, flat);
    }
    return pm_newref(rt, fn->annotations);
}

static int fn_set_annotations(pm_runtime *rt, pm_object *self, pm_object *value, void *closure) {
    (void)closure;
    pmi_function *fn = (pmi_function *)self;
    if (value == PM_NONE) value = NULL;
    if (value && !pm_dict_check(value)) {
        pm_err_set(rt, PM_EXC_TypeError, "__annotations__ must be set to a dict object");
        return -1;
    }
    pm_object *old = fn->annotations;
    fn->annotations = value ? pm_newref(rt, value) : NULL;
    pm_xdecref(rt, old);
    return 0;
}

#define FN_OFF(field) ((void *)offsetof(pmi_function, field))

static const pm_getset_def function_getset[] = {
    {"__name__", fn_get_name, fn_set_str, NULL, FN_OFF(name)},
    {"__qualname__", fn_get_name, fn_set_str, NULL, FN_OFF(qualname)},
    {"__code__", fn_get_code, fn_set_code, NULL, NULL},
    {"__defaults__", fn_get_opt, fn_set_defaults, NULL, FN_OFF(defaults)},
    {"__kwdefaults__", fn_get_opt, fn_set_defaults, NULL, FN_OFF(kwdefaults)},
    {"__dict__", fn_get_dict, fn_set_dict, NULL, NULL},
    {"__annotations__", fn_get_annotations, fn_set_annotations, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const pm_member_def function_members[] = {
    {"__closure__", PM_T_OBJECT, offsetof(pmi_function, closure), PM_READONLY, NULL},
    {"__doc__", PM_T_OBJECT, offsetof(pmi_function, doc), 0, NULL},
    {"__globals__", PM_T_OBJECT, offsetof(pmi_function, globals), PM_READONLY, NULL},
    {"__module__", PM_T_OBJECT, offsetof(pmi_function, module), 0, NULL},
    {"__builtins__", PM_T_OBJECT, offsetof(pmi_function, builtins), PM_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

const pm_type pmi_function_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "function",
    .basicsize = sizeof(pmi_function),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_METHOD_DESCRIPTOR |
             PM_TPFLAGS_CALL_UNCOUNTED,         /* the frame counts */
    .base = &pm_object_type,
    .dictoffset = offsetof(pmi_function, dict),
    .weaklistoffset = offsetof(pmi_function, weakreflist),
    .dealloc = function_dealloc,
    .traverse = function_traverse,
    .clear = function_clear,
    .repr = function_repr,
    .hash = function_hash,
    .call = function_call,
    .descr_get = function_descr_get,
    .getset = function_getset,
    .members = function_members,
};

pm_object *pmi_function_str(pm_runtime *rt, pm_object *func) {
    pm_object *qual = NULL, *mod = NULL, *r = NULL;
    if (pmi_function_check(func)) {
        qual = pm_newref(rt, ((pmi_function *)func)->qualname);
        mod = pm_newref(rt, ((pmi_function *)func)->module);
    } else if (pm_method_check(func)) {
        return pmi_function_str(rt, pm_method_function(func));
    } else {
        return pm_str_from_format(rt, "%s object", pm_type_name(pm_type_of(func)));
    }
    if (pm_str_check(mod) && !pm_str_equal_cstr(mod, "builtins"))
        r = pm_str_from_format(rt, "%s.%s()", utf8_or(rt, mod, "?"), utf8_or(rt, qual, "?"));
    else
        r = pm_str_from_format(rt, "%s()", utf8_or(rt, qual, "?"));
    pm_decref(rt, qual);
    pm_decref(rt, mod);
    return r;
}

/* ---- argument binding --------------------------------------------------- */

/* "'a'", "'a' and 'b'", "'a', 'b', and 'c'" for the NULL slots of f in
 * [start, end) into buf. */
static void missing_names(pm_runtime *rt, pmi_code *co, pmi_frame *f, int start, int end,
                          int missing, char *buf, size_t size) {
    size_t len = 0;
    int k = 0;
    buf[0] = '\0';
    for (int i = start; i < end && len < size; i++) {
        if (f->localsplus[i]) continue;
        const char *nm = utf8_or(rt, pm_tuple_get(rt, co->localsplusnames, i), "?");
        const char *sep = k == 0 ? "" : missing == 2 ? " and " : k == missing - 1 ? ", and " : ", ";
        int w = snprintf(buf + len, size - len, "%s'%s'", sep, nm);
        if (w < 0) break;
        len += (size_t)w;
        k++;
    }
}

static void missing_arguments(pm_runtime *rt, pmi_function *fn, pmi_frame *f, int kwonly,
                              int missing, int defcount) {
    pmi_code *co = (pmi_code *)fn->code;
    char names[PM_ERR_MSG_MAX];
    int start = kwonly ? co->argcount : 0;
    int end = kwonly ? co->argcount + co->kwonlyargcount : co->argcount - defcount;
    missing_names(rt, co, f, start, end, missing, names, sizeof names);
    pm_err_format(rt, PM_EXC_TypeError, "%s() missing %d required %s argument%s: %s",
                  utf8_or(rt, fn->qualname, "?"), missing, kwonly ? "keyword-only" : "positional",
                  missing == 1 ? "" : "s", names);
}

static void too_many_positional(pm_runtime *rt, pmi_function *fn, pmi_frame *f, pm_ssize_t given) {
    pmi_code *co = (pmi_code *)fn->code;
    int defcount = fn->defaults ? (int)pm_tuple_size(fn->defaults) : 0;
    int kwonly_given = 0;
    for (int i = co->argcount; i < co->argcount + co->kwonlyargcount; i++)
        if (f->localsplus[i]) kwonly_given++;
    char sig[64], kwsig[96];
    if (defcount)
        snprintf(sig, sizeof sig, "from %d to %d", co->argcount - defcount, co->argcount);
    else
        snprintf(sig, sizeof sig, "%d", co->argcount);
    kwsig[0] = '\0';
    if (kwonly_given)
        snprintf(kwsig, sizeof kwsig, " positional argument%s (and %d keyword-only argument%s)",
                 given != 1 ? "s" : "", kwonly_given, kwonly_given != 1 ? "s" : "");
    pm_err_format(rt, PM_EXC_TypeError, "%s() takes %s positional argument%s but %zd%s %s given",
                  utf8_or(rt, fn->qualname, "?"), sig, co->argcount != 1 || defcount ? "s" : "",
                  (pm_ssize_t)given, kwsig, given == 1 && !kwonly_given ? "was" : "were");
}

/* The posonly parameters named by keywords: 1 with the TypeError set, 0. */
static int posonly_as_keyword(pm_runtime *rt, pmi_function *fn, pm_object *kwnames) {
    pmi_code *co = (pmi_code *)fn->code;
    char names[PM_ERR_MSG_MAX];
    size_t len = 0;
    int n = 0;
    names[0] = '\0';
    for (int i = 0; i < co->posonlyargcount; i++) {
        pm_object *pname = pm_tuple_get(rt, co->localsplusnames, i);
        for (pm_ssize_t k = 0; k < pm_tuple_size(kwnames); k++) {
            pm_object *kw = pm_tuple_get(rt, kwnames, k);
            int eq = kw == pname ? 1 : pm_equal(rt, kw, pname);
            if (eq < 0) return 1;
            if (eq && len < sizeof names) {
                int w = snprintf(names + len, sizeof names - len, "%s%s", n ? ", " : "",
                                 utf8_or(rt, pname, "?"));
                if (w > 0) len += (size_t)w;
                n++;
                break;
            }
        }
    }
    if (!n) return 0;
    pm_err_format(rt, PM_EXC_TypeError,
                  "%s() got some positional-only arguments passed as keyword arguments: '%s'",
                  utf8_or(rt, fn->qualname, "?"), names);
    return 1;
}

static int bind(pm_runtime *rt, pmi_function *fn, pmi_frame *f, pm_object *const *args,
                pm_ssize_t argcount, pm_object *kwnames) {
    pmi_code *co = (pmi_code *)fn->code;
    pm_object **lp = f->localsplus;
    int total = co->argcount + co->kwonlyargcount;
    pm_object *kwdict = NULL;
    if (co->flags & PMI_CO_VARKEYWORDS) {
        kwdict = pm_dict_new(rt);
        if (!kwdict) return -1;
        lp[total + ((co->flags & PMI_CO_VARARGS) ? 1 : 0)] = kwdict;
    }
    pm_ssize_t n = argcount > co->argcount ? co->argcount : argcount;
    for (pm_ssize_t j = 0; j < n; j++) lp[j] = pm_newref(rt, args[j]);
    if (co->flags & PMI_CO_VARARGS) {
        pm_object *u = pm_tuple_from_array(rt, args + n, argcount - n);
        if (!u) return -1;
        lp[total] = u;
    }
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    for (pm_ssize_t i = 0; i < nkw; i++) {
        pm_object *kw = pm_tuple_get(rt, kwnames, i);
        pm_object *value = args[argcount + i];
        if (!pm_str_check(kw)) {
            pm_err_format(rt, PM_EXC_TypeError, "%s() keywords must be strings",
                          utf8_or(rt, fn->qualname, "?"));
            return -1;
        }
        int j = co->posonlyargcount;
        for (; j < total; j++)
            if (pm_tuple_get(rt, co->localsplusnames, j) == kw) break;
        if (j == total) {
            for (j = co->posonlyargcount; j < total; j++) {
                int eq = pm_equal(rt, pm_tuple_get(rt, co->localsplusnames, j), kw);
                if (eq < 0) return -1;
                if (eq) break;
            }
        }
        if (j == total) {
            if (!kwdict) {
                if (co->posonlyargcount && posonly_as_keyword(rt, fn, kwnames)) return -1;
                pm_err_format(rt, PM_EXC_TypeError, "%s() got an unexpected keyword argument '%s'",
                              utf8_or(rt, fn->qualname, "?"), utf8_or(rt, kw, "?"));
                return -1;
            }
            if (pm_dict_set(rt, kwdict, kw, value) < 0) return -1;
            continue;
        }
        if (lp[j]) {
            pm_err_format(rt, PM_EXC_TypeError, "%s() got multiple values for argument '%s'",
                          utf8_or(rt, fn->qualname, "?"), utf8_or(rt, kw, "?"));
            return -1;
        }
        lp[j] = pm_newref(rt, value);
    }
    if (argcount > co->argcount && !(co->flags & PMI_CO_VARARGS)) {
        too_many_positional(rt, fn, f, argcount);
        return -1;
    }
    if (argcount < co->argcount) {
        int defcount = fn->defaults ? (int)pm_tuple_size(fn->defaults) : 0;
        int m = co->argcount - defcount;
        int missing = 0;
        for (int i = (int)argcount; i < m; i++)
            if (!lp[i]) missing++;
        if (missing) {
            missing_arguments(rt, fn, f, 0, missing, defcount);
            return -1;
        }
        for (int i = n > m ? (int)n - m : 0; i < defcount; i++)
            if (!lp[m + i]) lp[m + i] = pm_newref(rt, pm_tuple_get(rt, fn->defaults, i));
    }
    if (co->kwonlyargcount > 0) {
        int missing = 0;
        for (int i = co->argcount; i < total; i++) {
            if (lp[i]) continue;
            if (fn->kwdefaults) {
                pm_object *d = pm_dict_get(rt, fn->kwdefaults, pm_tuple_get(rt, co->localsplusnames, i));
                if (d) {
                    lp[i] = pm_newref(rt, d);
                    continue;
                }
                if (pm_err_occurred(rt)) return -1;
            }
            missing++;
        }
        if (missing) {
            missing_arguments(rt, fn, f, 1, missing, 0);
            return -1;
        }
    }
    return 0;
}

int pmi_func_bind(pm_runtime *rt, pm_object *func, pmi_frame *f, pm_object *const *args,
                  pm_ssize_t nargs, pm_object *kwnames, int steal) {
    int rc = bind(rt, (pmi_function *)func, f, args, nargs, kwnames);
    if (steal) {
        pm_ssize_t total = nargs + (kwnames ? pm_tuple_size(kwnames) : 0);
        for (pm_ssize_t i = 0; i < total; i++) pm_decref(rt, args[i]);
    }
    return rc;
}


/* ---- cell --------------------------------------------------------------- */

pm_object *pmi_cell_new(pm_runtime *rt, pm_object *v) {
    pmi_cell *c = (pmi_cell *)pm_gc_new(rt, &pmi_cell_type);
    if (!c) return NULL;
    c->ref = v ? pm_newref(rt, v) : NULL;
    pm_gc_track(rt, (pm_object *)c);
    return (pm_object *)c;
}

static void cell_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    pm_xdecref(rt, ((pmi_cell *)self)->ref);
    pm_gc_del(rt, self);
}

static int cell_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pm_object *v = ((pmi_cell *)self)->ref;
    return v ? visit(v, arg) : 0;
}

static int cell_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((pmi_cell *)self)->ref);
    return 0;
}

static pm_object *cell_repr(pm_runtime *rt, pm_object *self) {
    pm_object *v = ((pmi_cell *)self)->ref;
    if (!v) return pm_str_from_format(rt, "<cell at %p: empty>", (void *)self);
    return pm_str_from_format(rt, "<cell at %p: %s object at %p>", (void *)self,
                              pm_type_of(v)->name, (void *)v);
}

static pm_object *cell_get_contents(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    pm_object *v = ((pmi_cell *)self)->ref;
    if (!v) {
        pm_err_set(rt, PM_EXC_ValueError, "Cell is empty");
        return NULL;
    }
    return pm_newref(rt, v);
}

static int cell_set_contents(pm_runtime *rt, pm_object *self, pm_object *value, void *closure) {
    (void)closure;
    pmi_cell *c = (pmi_cell *)self;
    pm_object *old = c->ref;
    c->ref = value ? pm_newref(rt, value) : NULL;
    pm_xdecref(rt, old);
    return 0;
}

static const pm_getset_def cell_getset[] = {
    {"cell_contents", cell_get_contents, cell_set_contents, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const pm_type pmi_cell_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "cell",
    .basicsize = sizeof(pmi_cell),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = cell_dealloc,
    .traverse = cell_traverse,
    .clear = cell_clear,
    .repr = cell_repr,
    .getset = cell_getset,
};

/* ---- __build_class__ ---------------------------------------------------- */

/* The most derived metaclass of meta and the bases' types (CPython's
 * _PyType_CalculateMetaclass): borrowed, or NULL with the TypeError. */
static pm_object *calculate_metaclass(pm_runtime *rt, pm_object *meta, pm_object *bases) {
    const pm_type *winner = (const pm_type *)meta;
    for (pm_ssize_t i = 0; i < pm_tuple_size(bases); i++) {
        const pm_type *t = pm_type_of(pm_tuple_get(rt, bases, i));
        if (pm_type_is_subtype(winner, t)) continue;
        if (pm_type_is_subtype(t, winner)) {
            winner = t;
            continue;
        }
        pm_err_set(rt, PM_EXC_TypeError,
                   "metaclass conflict: the metaclass of a derived class must be a (non-strict) "
                   "subclass of the metaclasses of all its bases");
        return NULL;
    }
    return pm_type_as_object(winner);
}

/* PEP 560: each base that is not a class but has __mro_entries__ is
 * replaced by the items of the tuple base.__mro_entries__(bases) returns
 * (CPython's update_bases).  NEW ref: the new bases tuple, or bases itself
 * when nothing was replaced; NULL + error. */
static pm_object *update_bases(pm_runtime *rt, pm_object *bases) {
    pm_object *list = NULL;
    for (pm_ssize_t i = 0, n = pm_tuple_size(bases); i < n; i++) {
        pm_object *b = pm_tuple_get(rt, bases, i), *meth = NULL, *nb;
        if (!pm_type_check(b)) {
            meth = pm_getattr_cstr(rt, b, "__mro_entries__");
            if (!meth) {
                if (!pm_err_matches(rt, PM_EXC_AttributeError)) goto fail;
                pm_err_clear(rt);
            }
        }
        if (!meth) {
            if (list && pm_list_append(rt, list, b) < 0) goto fail;
            continue;
        }
        nb = pm_call(rt, meth, &bases, 1, NULL);
        pm_decref(rt, meth);
        if (!nb) goto fail;
        if (!pm_tuple_check(nb)) {
            pm_decref(rt, nb);
            pm_err_set(rt, PM_EXC_TypeError, "__mro_entries__ must return a tuple");
            goto fail;
        }
        if (!list) {
            list = pm_list_new(rt);
            for (pm_ssize_t j = 0; list && j < i; j++)
                if (pm_list_append(rt, list, pm_tuple_get(rt, bases, j)) < 0) PM_CLEAR(rt, list);
        }
        int r = list ? pm_list_extend(rt, list, nb) : -1;
        pm_decref(rt, nb);
        if (r < 0) goto fail;
    }
    if (!list) return pm_newref(rt, bases);
    pm_object *t = pm_list_as_tuple(rt, list);
    pm_decref(rt, list);
    return t;
fail:
    pm_xdecref(rt, list);
    return NULL;
}

/* Runs a class body (func's code) with ns as its locals: new ref to its
 * result (the __class__ cell or None). */
static pm_object *run_class_body(pm_runtime *rt, pmi_function *fn, pm_object *ns) {
    pmi_frame *f = pmi_frame_push(rt, fn->code, (pm_object *)fn, fn->globals, fn->builtins, ns);
    if (!f) return NULL;
    pm_object *r = pmi_eval_frame(rt, f);
    pmi_frame_pop(rt, f);
    return r;
}

/* __build_class__(func, name, /, *bases, metaclass=None, **kwds) */
static pm_object *build_class(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                              pm_object *kwnames) {
    (void)self;
    pm_object *bases = NULL, *meta = NULL, *kwvals[64], *kwn = NULL, *ns = NULL, *cell = NULL, *cls = NULL,
              *orig_bases = NULL;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0, nkept = 0;
    if (nargs < 2) {
        pm_err_set(rt, PM_EXC_TypeError, "__build_class__: not enough arguments");
        return NULL;
    }
    if (!pmi_function_check(args[0])) {
        pm_err_set(rt, PM_EXC_TypeError, "__build_class__: func must be a function");
        return NULL;
    }
    if (!pm_str_check(args[1])) {
        pm_err_set(rt, PM_EXC_TypeError, "__build_class__: name is not a string");
        return NULL;
    }
    if (nkw > 64) {
        pm_err_set(rt, PM_EXC_TypeError, "__build_class__: too many keyword arguments");
        return NULL;
    }
    orig_bases = pm_tuple_from_array(rt, args + 2, nargs - 2);
    if (!orig_bases) return NULL;
    bases = update_bases(rt, orig_bases);
    if (!bases) {
        pm_decref(rt, orig_bases);
        return NULL;
    }
    /* metaclass= is taken out; the other keywords go to __prepare__ and the metaclass */
    pm_object *kept[64];
    for (pm_ssize_t i = 0; i < nkw; i++) {
        pm_object *k = pm_tuple_get(rt, kwnames, i);
        if (pm_str_equal_cstr(k, "metaclass"))
            meta = args[nargs + i];
        else {
            kept[nkept] = k;
            kwvals[nkept++] = args[nargs + i];
        }
    }
    if (nkept) {
        kwn = pm_tuple_from_array(rt, kept, nkept);
        if (!kwn) {
            meta = NULL;    /* borrowed until the incref below */
            goto fail;
        }
    }
    if (!meta)
        meta = pm_tuple_size(bases) ? pm_type_as_object(pm_type_of(pm_tuple_get(rt, bases, 0)))
                                    : pm_type_as_object(&pm_type_type);
    if (pm_type_check(meta)) {
        meta = calculate_metaclass(rt, meta, bases);
        if (!meta) goto fail;
    }
    pm_incref(rt, meta);
    {
        pm_object *prep = pm_getattr_cstr(rt, meta, "__prepare__");
        if (!prep) {
            if (!pm_err_matches(rt, PM_EXC_AttributeError)) goto fail;
            pm_err_clear(rt);
            ns = pm_dict_new(rt);
        } else {
            pm_object *pa[2 + 64];
            pa[0] = args[1];
            pa[1] = bases;
            for (pm_ssize_t i = 0; i < nkept; i++) pa[2 + i] = kwvals[i];
            ns = pm_call(rt, prep, pa, 2, kwn);
            pm_decref(rt, prep);
        }
        if (!ns) goto fail;
        if (!pm_dict_check(ns) && !pm_type_of(ns)->as_mapping) {
            pm_err_format(rt, PM_EXC_TypeError, "%s.__prepare__() must return a mapping, not %s",
                          pm_type_check(meta) ? pm_type_name((const pm_type *)meta) : "<metaclass>",
                          pm_type_name(pm_type_of(ns)));
            goto fail;
        }
    }
    cell = run_class_body(rt, (pmi_function *)args[0], ns);
    if (!cell) goto fail;
    if (bases != orig_bases) {
        pm_object *k = pm_str_intern_cstr(rt, "__orig_bases__");
        int r = k ? pm_setitem(rt, ns, k, orig_bases) : -1;
        pm_xdecref(rt, k);
        if (r < 0) goto fail;
    }
    {
        pm_object *ca[3 + 64];
        ca[0] = args[1];
        ca[1] = bases;
        ca[2] = ns;
        for (pm_ssize_t i = 0; i < nkept; i++) ca[3 + i] = kwvals[i];
        cls = pm_call(rt, meta, ca, 3, kwn);
    }
    if (cls && pm_type_check(cls) && pmi_cell_check(cell)) {
        /* the library's type() takes __classcell__ out of the class dict
         * but cannot fill a cell it does not know: do it here, as CPython's
         * type_new does (a metaclass that drops __classcell__ goes
         * unnoticed, where CPython reports it) */
        if (!((pmi_cell *)cell)->ref) ((pmi_cell *)cell)->ref = pm_newref(rt, cls);
        pm_object *held = ((pmi_cell *)cell)->ref;
        if (held != cls) {
            pm_object *r1 = pm_repr(rt, args[1]), *r2 = r1 ? pm_repr(rt, cls) : NULL;
            if (r2) {
                if (!held)
                    pm_err_format(rt, PM_EXC_RuntimeError,
                                  "__class__ not set defining %s as %s. Was __classcell__ propagated to type.__new__?",
                                  utf8_or(rt, r1, "?"), utf8_or(rt, r2, "?"));
                else
                    pm_err_format(rt, PM_EXC_TypeError, "__class__ set to %s defining %s as %s",
                                  "<object>", utf8_or(rt, r1, "?"), utf8_or(rt, r2, "?"));
            }
            pm_xdecref(rt, r1);
            pm_xdecref(rt, r2);
            PM_CLEAR(rt, cls);
        }
    }
fail:
    pm_xdecref(rt, cell);
    pm_xdecref(rt, ns);
    pm_xdecref(rt, meta);
    pm_xdecref(rt, kwn);
    pm_decref(rt, bases);
    pm_decref(rt, orig_bases);
    return cls;
}

static const pm_method_def build_class_def = {
    "__build_class__", (pm_cfunction)(void (*)(void))build_class, PM_METH_FASTCALL | PM_METH_KEYWORDS,
    "__build_class__(func, name, /, *bases, [metaclass], **kwds) -> class\n\n"
    "Internal helper function used by the class statement."};

int pmi_build_class_register(pm_runtime *rt, pm_object *dict) {
    pm_object *fn = pm_cfunction_new(rt, &build_class_def, NULL);
    if (!fn) return -1;
    pm_object *name = pm_str_intern_cstr(rt, "__build_class__");
    int rc = name ? pm_dict_set(rt, dict, name, fn) : -1;
    pm_xdecref(rt, name);
    pm_decref(rt, fn);
    return rc;
}
