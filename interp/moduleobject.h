/*
 * interp/moduleobject.h — the `module` type (CPython's PyModuleObject).
 *
 * A module is a gc object holding its namespace dict; attribute access goes
 * through that dict (the type's dictoffset), so `m.x` and `m.__dict__['x']`
 * are the same binding.  Built-in modules (sys, gc, builtins) are made from
 * a pmi_module_def: a method table plus a fill function for constants.
 */
#ifndef PYMM_INTERP_MODULEOBJECT_H
#define PYMM_INTERP_MODULEOBJECT_H

#include "pymm.h"

/* pmi_module.flags */

typedef struct pmi_module_def pmi_module_def;

/* A module object (56 bytes as CPython's, 72 with the gc head). */
typedef struct pmi_module {
    pm_object ob_base;              /* refcount + type */
    pm_object *dict;                /* owned: the namespace (__dict__) */
    const pmi_module_def *def;      /* the built-in definition, NULL for .py modules */
    pm_object *state;               /* owned or NULL: the built-in module's own object
                                       (gc: the callbacks list) */
    pm_object *weakreflist;         /* weak references to the module (NULL: none); at
                                       CPython's md_weaklist offset, 40 */
    pm_object *name;                /* owned or NULL (made by module.__new__): __name__ as
                                       given at creation */
} pmi_module;

/* The modules whose code is running (import.c pushes one around the
 * module's execution): "partially initialized module" in messages.  A link
 * lives on the C stack of the import. */
typedef struct pmi_module_running {
    pm_object *module;              /* borrowed */
    struct pmi_module_running *next;
} pmi_module_running;
/* 1 while m's code runs. */
int pmi_module_initializing(pm_runtime *rt, const pm_object *m);

/* A built-in module's definition (static, const). */
struct pmi_module_def {
    const char *name;               /* "sys" */
    const char *doc;                /* __doc__ */
    const pm_method_def *methods;   /* functions, NULL-name terminated (may be NULL) */
    /* Adds the module's other attributes: 0, or -1 with an error. */
    int (*fill)(pm_runtime *rt, pm_object *module);
    /* Called once when the module's state is dropped (dealloc or the
     * collector's clear), before `state` is released; may be NULL. */
    void (*free)(pm_runtime *rt, pm_object *module);
};

extern const pm_type pmi_module_type;

/* A module, or an instance of a subclass of types.ModuleType (PyModule_Check). */
int pmi_module_subclass_check(const pm_object *o);
static inline int pmi_module_check(const pm_object *o) {
    return pm_type_of(o) == &pmi_module_type || pmi_module_subclass_check(o);
}

/* A new module named name (a str, borrowed) whose dict holds __name__,
 * __doc__, __package__, __loader__ and __spec__ (all None but the name).
 * dict: NULL for a fresh one, else the dict to use (borrowed, kept).  New
 * ref, NULL + MemoryError. */
pm_object *pmi_module_new(pm_runtime *rt, pm_object *name, pm_object *dict);
/* The module made from def: its functions (bound to the module) and what
 * def->fill adds.  New ref, or NULL with the error. */
pm_object *pmi_module_from_def(pm_runtime *rt, const pmi_module_def *def);
/* FASTCALL wrappers for a module's functions of no argument and of one
 * argument: CPython names the function "mod.f()" in its argument-count
 * errors, so the wrapper checks the count with that qualified name and
 * calls impl(rt, self, NULL) or impl(rt, self, args[0]). */
#define PMI_WRAP_NOARGS(wrapper, impl, qname)                                                  \
    static pm_object *wrapper(pm_runtime *rt, pm_object *self, pm_object *const *args,           \
                              pm_ssize_t nargs) {                                                \
        (void)args;                                                                              \
        if (nargs != 0) {                                                                        \
            pm_err_format(rt, PM_EXC_TypeError, qname "() takes no arguments (%zd given)", nargs); \
            return NULL;                                                                         \
        }                                                                                        \
        return impl(rt, self, NULL);                                                             \
    }
#define PMI_WRAP_O(wrapper, impl, qname)                                                       \
    static pm_object *wrapper(pm_runtime *rt, pm_object *self, pm_object *const *args,           \
                              pm_ssize_t nargs) {                                                \
        if (nargs != 1) {                                                                        \
            pm_err_format(rt, PM_EXC_TypeError, qname "() takes exactly one argument (%zd given)", \
                          nargs);                                                                \
            return NULL;                                                                         \
        }                                                                                        \
        return impl(rt, self, args[0]);                                                          \
    }

/* module.__dict__: BORROWED. */
static inline pm_object *pmi_module_dict(pm_object *m) { return ((pmi_module *)m)->dict; }
/* module.name = v (v borrowed): 0 or -1. */
int pmi_module_add(pm_runtime *rt, pm_object *m, const char *name, pm_object *v);
/* The same for v STOLEN (NULL: the error of making v is returned as -1). */
int pmi_module_add_new(pm_runtime *rt, pm_object *m, const char *name, pm_object *v);
/* The module's __name__ as UTF-8 ("?" when unavailable). */
const char *pmi_module_name_text(pm_runtime *rt, pm_object *m);

#endif
