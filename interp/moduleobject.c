/*
 * interp/moduleobject.c — the `module` type.
 *
 * Purpose
 *   Every imported thing is a module object: `sys`, `gc`, `builtins`,
 *   `__main__`, each .py file and each package.  A module is little more
 *   than a named dict — its globals — that attribute access reads and
 *   writes:
 *
 *       pmi_module ──dict──▶ { '__name__': 'm', 'f': <function> ... }
 *            ▲                                       │
 *            └──── sys.modules['m'] ◀── globals ─────┘  (a cycle through
 *                                                        every function)
 *
 * Invariants
 *   - dict is never NULL while the module lives (made at creation); the
 *     type's dictoffset names it, so the generic getattr/setattr of the
 *     library finds module attributes there, after data descriptors of the
 *     type (only `__dict__`).
 *   - A module can be weakly referenced (weakreflist at CPython's
 *     md_weaklist offset, so __weakrefoffset__ is 40 as in 3.11); the
 *     references die first in dealloc, as module_dealloc clears them.
 *   - A module is a gc type, tracked from creation: module dicts and the
 *     functions in them form cycles that only the collector (or the
 *     interpreter's teardown, which clears module dicts as CPython's
 *     finalization does) can break.
 *
 * CPython behaviour mirrored (Objects/moduleobject.c, 3.11)
 *   - repr: `<module 'x' from '/path/x.py'>` when __file__ is a str,
 *     `<module 'sys' (built-in)>` for built-in modules, else `<module 'x'>`;
 *   - a failed attribute lookup calls the module's own `__getattr__` (PEP
 *     562), else raises AttributeError "module 'x' has no attribute 'y'",
 *     or "partially initialized module 'x' has no attribute 'y' (most
 *     likely due to a circular import)" while the module's code runs;
 *   - module(name, doc=None) makes a fresh module (types.ModuleType):
 *     __new__ an empty one (`<module '?'>`), __init__ fills its dict with
 *     __name__, __doc__ and None for __package__, __loader__, __spec__;
 *     the type can be subclassed, and a module's __class__ set to such a
 *     subclass (the pre-PEP 562 idiom for a module __getattr__);
 *   - getsizeof(module) == 72 (56 + the gc head), __basicsize__ 56.
 */
#include "moduleobject.h"
#include "interp.h"

#include <stddef.h>
#include <string.h>

/* Sets d[name] = v (v borrowed): 0 or -1. */
static int dict_set_cstr(pm_runtime *rt, pm_object *d, const char *name, pm_object *v) {
    pm_object *k = pm_str_intern_cstr(rt, name);
    if (!k) return -1;
    int r = pm_dict_set(rt, d, k, v);
    pm_decref(rt, k);
    return r;
}

/* d[name] for a C string: BORROWED; NULL with no error when absent, NULL
 * with the error (MemoryError) when the lookup failed. */
static pm_object *dict_get_cstr(pm_runtime *rt, pm_object *d, const char *name) {
    pm_object *k = pm_str_intern_cstr(rt, name);
    if (!k) return NULL;
    pm_object *v = pm_dict_get(rt, d, k);
    pm_decref(rt, k);
    return v;
}

pm_object *pmi_module_new(pm_runtime *rt, pm_object *name, pm_object *dict) {
    pmi_module *m = (pmi_module *)pm_gc_new(rt, &pmi_module_type);
    if (!m) return NULL;
    m->dict = dict ? pm_newref(rt, dict) : pm_dict_new(rt);
    m->name = pm_newref(rt, name);
    pm_gc_track(rt, (pm_object *)m);
    if (!m->dict) goto fail;
    if (dict_set_cstr(rt, m->dict, "__name__", name) < 0) goto fail;
    static const char *const nones[] = {"__doc__", "__package__", "__loader__", "__spec__"};
    for (size_t i = 0; i < sizeof nones / sizeof nones[0]; i++) {
        /* a given dict (builtins) may already hold a __doc__ */
        if (dict && dict_get_cstr(rt, dict, nones[i])) continue;
        if (pm_err_occurred(rt)) goto fail;
        if (dict_set_cstr(rt, m->dict, nones[i], PM_NONE) < 0) goto fail;
    }
    return (pm_object *)m;
fail:
    pm_decref(rt, (pm_object *)m);
    return NULL;
}

int pmi_module_add(pm_runtime *rt, pm_object *m, const char *name, pm_object *v) {
    return dict_set_cstr(rt, pmi_module_dict(m), name, v);
}

int pmi_module_add_new(pm_runtime *rt, pm_object *m, const char *name, pm_object *v) {
    if (!v) return -1;
    int r = pmi_module_add(rt, m, name, v);
    pm_decref(rt, v);
    return r;
}

pm_object *pmi_module_from_def(pm_runtime *rt, const pmi_module_def *def) {
    pm_object *name = pm_str_intern_cstr(rt, def->name);
    if (!name) return NULL;
    pm_object *m = pmi_module_new(rt, name, NULL);
    pm_decref(rt, name);
    if (!m) return NULL;
    ((pmi_module *)m)->def = def;
    if (def->doc && pmi_module_add_new(rt, m, "__doc__", pm_str_from_cstr(rt, def->doc)) < 0) goto fail;
    for (const pm_method_def *ml = def->methods; ml && ml->name; ml++)
        if (pmi_module_add_new(rt, m, ml->name, pm_cfunction_new(rt, ml, m)) < 0) goto fail;
    if (def->fill && def->fill(rt, m) < 0) goto fail;
    return m;
fail:
    pm_dict_clear(rt, pmi_module_dict(m));
    pm_decref(rt, m);
    return NULL;
}

const char *pmi_module_name_text(pm_runtime *rt, pm_object *m) {
    pm_object *n = pmi_module_dict(m) ? dict_get_cstr(rt, pmi_module_dict(m), "__name__") : NULL;
    pm_err_clear(rt);   /* for messages: the creation name will do */
    if (!n || !pm_str_check(n)) n = ((pmi_module *)m)->name;
    const char *s = pm_str_as_utf8(rt, n, NULL);
    if (!s) {
        pm_err_clear(rt);
        return "?";
    }
    return s;
}

/* ---- the type's slots ------------------------------------------------------ */

/* The definition's free hook, once, while the state is still there. */
static void module_free_state(pm_runtime *rt, pmi_module *m) {
    if (m->def && m->def->free && m->state) m->def->free(rt, (pm_object *)m);
    PM_CLEAR(rt, m->state);
}

static void module_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_module *m = (pmi_module *)self;
    pm_gc_untrack(rt, self);
    if (pm_gc_dealloc_begin(rt, self)) return;  /* the weak references go first, as in 3.11 */
    module_free_state(rt, m);
    PM_CLEAR(rt, m->dict);
    PM_CLEAR(rt, m->name);
    pm_gc_del(rt, self);
}

static int module_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_module *m = (pmi_module *)self;
    int r;
    if (m->dict && (r = visit(m->dict, arg))) return r;
    if (m->state && (r = visit(m->state, arg))) return r;
    return 0;
}

static int module_clear(pm_runtime *rt, pm_object *self) {
    pmi_module *m = (pmi_module *)self;
    PM_CLEAR(rt, m->dict);
    module_free_state(rt, m);
    return 0;
}

/* importlib._bootstrap._module_repr for a module without a spec: __name__
 * and __file__ read through getattr (a module __getattr__, or a subclass's
 * attribute, answers), each shown with repr(); "(built-in)" for built-in
 * modules, whose spec says so in 3.11. */
static pm_object *module_repr(pm_runtime *rt, pm_object *self) {
    pmi_module *m = (pmi_module *)self;
    pm_object *key = pm_str_intern_cstr(rt, "__name__"), *name = NULL, *file = NULL, *r = NULL;
    pm_object *nrepr = NULL, *frepr = NULL;
    if (!key) return NULL;
    int found = pm_getattr_opt(rt, self, key, &name);
    pm_decref(rt, key);
    if (found < 0) return NULL;
    nrepr = found ? pm_repr(rt, name) : pm_str_from_cstr(rt, "'?'");
    if (!nrepr || !(key = pm_str_intern_cstr(rt, "__file__"))) goto done;
    found = pm_getattr_opt(rt, self, key, &file);
    pm_decref(rt, key);
    if (found < 0 || (found && !(frepr = pm_repr(rt, file)))) goto done;
    const char *n = pm_str_as_utf8(rt, nrepr, NULL), *f = frepr ? pm_str_as_utf8(rt, frepr, NULL) : NULL;
    if (!n || (frepr && !f)) goto done;
    if (f) r = pm_str_from_format(rt, "<module %s from %s>", n, f);
    else if (m->def) r = pm_str_from_format(rt, "<module %s (built-in)>", n);
    else r = pm_str_from_format(rt, "<module %s>", n);
done:
    pm_xdecref(rt, name);
    pm_xdecref(rt, file);
    pm_xdecref(rt, nrepr);
    pm_xdecref(rt, frepr);
    return r;
}

static pm_object *module_getattr(pm_runtime *rt, pm_object *self, pm_object *name) {
    pmi_module *m = (pmi_module *)self;
    pm_object *r = pm_object_generic_getattr(rt, self, name);
    if (r || !pm_err_matches(rt, PM_EXC_AttributeError) || !m->dict) return r;
    pm_err_clear(rt);
    pm_object *hook = dict_get_cstr(rt, m->dict, "__getattr__");
    if (!hook && pm_err_occurred(rt)) return NULL;
    if (hook) {
        pm_incref(rt, hook);
        r = pm_call_one(rt, hook, name);
        pm_decref(rt, hook);
        return r;
    }
    const char *attr = pm_str_as_utf8(rt, name, NULL);
    if (!attr) return NULL;
    pm_object *mname = dict_get_cstr(rt, m->dict, "__name__");
    if (!mname && pm_err_occurred(rt)) return NULL;
    if (!mname || !pm_str_check(mname)) {
        pm_err_format(rt, PM_EXC_AttributeError, "module has no attribute '%s'", attr);
        return NULL;
    }
    const char *mn = pm_str_as_utf8(rt, mname, NULL);
    if (!mn) return NULL;
    if (pmi_module_initializing(rt, self))
        pm_err_format(rt, PM_EXC_AttributeError,
                      "partially initialized module '%s' has no attribute '%s' "
                      "(most likely due to a circular import)", mn, attr);
    else
        pm_err_format(rt, PM_EXC_AttributeError, "module '%s' has no attribute '%s'", mn, attr);
    return NULL;
}

static pm_object *module_get_dict(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    pmi_module *m = (pmi_module *)self;
    if (!m->dict) {
        m->dict = pm_dict_new(rt);
        if (!m->dict) return NULL;
    }
    return pm_newref(rt, m->dict);
}

static const pm_getset_def module_getset[] = {
    {"__dict__", module_get_dict, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

int pmi_module_subclass_check(const pm_object *o) {
    for (const pm_type *t = pm_type_of(o)->base; t; t = t->base)
        if (t == &pmi_module_type) return 1;
    return 0;
}

/* module.__new__(type, ...): an empty module, its dict empty (3.11's
 * new_module: the arguments are __init__'s business). */
static pm_object *module_new_object(pm_runtime *rt, const pm_type *type, pm_object *args,
                                    pm_object *kwargs) {
    (void)args;
    (void)kwargs;
    pmi_module *m = (pmi_module *)pm_gc_new(rt, type); /* a subclass's size */
    if (!m) return NULL;
    pm_gc_track(rt, (pm_object *)m);
    m->dict = pm_dict_new(rt);
    if (!m->dict) {
        pm_decref(rt, (pm_object *)m);
        return NULL;
    }
    return (pm_object *)m;
}

/* module.__init__(self, name, doc=None), argument clinic's messages. */
static int module_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    pmi_module *m = (pmi_module *)self;
    pm_ssize_t n = args ? pm_tuple_size(args) : 0;
    pm_object *name = n > 0 ? pm_tuple_get(rt, args, 0) : NULL;
    pm_object *doc = n > 1 ? pm_tuple_get(rt, args, 1) : NULL;
    if (n > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "module() takes at most 2 arguments (%zd given)", n);
        return -1;
    }
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    while (kwargs && pm_dict_next(kwargs, &pos, &k, &v)) {
        int is_name = pm_str_equal_cstr(k, "name"), is_doc = pm_str_equal_cstr(k, "doc");
        if ((is_name && name) || (is_doc && doc)) {
            pm_err_format(rt, PM_EXC_TypeError, "argument for module() given by name ('%s') and position (%d)",
                          is_name ? "name" : "doc", is_name ? 1 : 2);
            return -1;
        }
        if (is_name) {
            name = v;
        } else if (is_doc) {
            doc = v;
        } else {
            const char *kn = pm_str_check(k) ? pm_str_as_utf8(rt, k, NULL) : NULL;
            if (!kn) {
                if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_TypeError, "keywords must be strings");
                return -1;
            }
            pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for module()", kn);
            return -1;
        }
    }
    if (!name) {
        pm_err_set(rt, PM_EXC_TypeError, "module() missing required argument 'name' (pos 1)");
        return -1;
    }
    if (!pm_str_check(name)) {
        pm_err_format(rt, PM_EXC_TypeError, "module() argument 'name' must be str, not %s",
                      pm_type_name(pm_type_of(name)));
        return -1;
    }
    if (!m->dict && !(m->dict = pm_dict_new(rt))) return -1;
    if (dict_set_cstr(rt, m->dict, "__name__", name) < 0 ||
        dict_set_cstr(rt, m->dict, "__doc__", doc ? doc : PM_NONE) < 0 ||
        dict_set_cstr(rt, m->dict, "__package__", PM_NONE) < 0 ||
        dict_set_cstr(rt, m->dict, "__loader__", PM_NONE) < 0 || dict_set_cstr(rt, m->dict, "__spec__", PM_NONE) < 0)
        return -1;
    pm_object *old = m->name;
    m->name = pm_newref(rt, name);
    pm_xdecref(rt, old);
    return 0;
}

/* module.__dir__(): __dict__['__dir__']() when the module defines one
 * (PEP 562), else the namespace's keys. */
static pm_object *module_dir(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *name = pm_str_intern_cstr(rt, "__dict__"), *r = NULL;
    if (!name) return NULL;
    pm_object *d = pm_getattr(rt, self, name);
    pm_decref(rt, name);
    if (!d) return NULL;
    if (!pm_dict_check(d)) {
        pm_err_set(rt, PM_EXC_TypeError, "<module>.__dict__ is not a dictionary");
    } else if ((name = pm_str_intern_cstr(rt, "__dir__"))) {
        pm_object *f = pm_dict_get(rt, d, name);
        pm_decref(rt, name);
        if (f) r = pm_call_noargs(rt, f);
        else if (!pm_err_occurred(rt)) r = pm_dict_keys(rt, d);
    }
    pm_decref(rt, d);
    return r;
}

static const pm_method_def module_methods[] = {
    {"__dir__", module_dir, PM_METH_NOARGS, "__dir__() -> list\nspecialized dir() implementation"},
    {NULL, NULL, 0, NULL},
};

int pmi_module_initializing(pm_runtime *rt, const pm_object *m) {
    pmi_interp *in = pmi_interp_get(rt);
    for (const pmi_module_running *r = in ? in->initializing : NULL; r; r = r->next)
        if (r->module == m) return 1;
    return 0;
}

const pm_type pmi_module_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "module",
    .basicsize = sizeof(pmi_module),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_MODULE,
    .base = &pm_object_type,
    .dictoffset = offsetof(pmi_module, dict),
    .weaklistoffset = offsetof(pmi_module, weakreflist),
    .doc = "Create a module object.\n\nThe name must be a string; the optional doc argument can have any type.",
    .dealloc = module_dealloc,
    .traverse = module_traverse,
    .clear = module_clear,
    .repr = module_repr,
    .getattr = module_getattr,
    .getset = module_getset,
    .methods = module_methods,
    .new_object = module_new_object,
    .init = module_init,
};
