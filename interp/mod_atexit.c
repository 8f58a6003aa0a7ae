/*
 * interp/mod_atexit.c — the `atexit` module (CPython 3.11's
 * Modules/atexitmodule.c at the Python level).
 *
 * Purpose
 *   Functions registered with atexit.register(func, *args, **kwargs) run
 *   when the interpreter ends normally, last registered first.
 *
 * State
 *   The module's state (pmi_module.state) is a list of callbacks, each a
 *   tuple (func, args, kwargs) with args a tuple and kwargs a dict or None:
 *
 *       atexit module ──state──▶ [ (f1, (), None), (f2, (1,), {'sep': '-'}) ]
 *                                  run order:  f2, then f1
 *
 *   The list lives as long as the module (the module type traverses and
 *   clears its state, so a callback referring back to the module is a
 *   collectable cycle).  Nothing is process-global: the runtime finds the
 *   list through sys.modules['atexit'] when it ends (pmi_atexit_run, called
 *   by main.c before the modules are torn down).
 *
 * Behaviour mirrored (3.11)
 *   - register: TypeError "register() takes at least 1 argument (0 given)",
 *     "the first argument must be callable"; returns func.
 *   - unregister(func): drops every entry whose func == func (by ==).
 *   - running: LIFO; an exception in a callback is reported as
 *     "Exception ignored in atexit callback: <repr(func)>" through
 *     sys.unraisablehook (default: written to sys.stderr) and the rest
 *     still run; the list is emptied afterwards.  _run_exitfuncs() does
 *     the same on demand; _clear() and _ncallbacks() as CPython.
 */
#include "modules.h"
#include "traceback.h"

#include <stdio.h>

static pm_object *callbacks(pm_object *module) { return ((pmi_module *)module)->state; }

static pm_object *atexit_register(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    pm_ssize_t n = pm_tuple_size(args);
    if (n == 0) {
        pm_err_set(rt, PM_EXC_TypeError, "register() takes at least 1 argument (0 given)");
        return NULL;
    }
    pm_object *func = pm_tuple_get(rt, args, 0);
    if (!pm_callable(func)) {
        pm_err_set(rt, PM_EXC_TypeError, "the first argument must be callable");
        return NULL;
    }
    pm_object *rest = pm_tuple_from_array(rt, NULL, 0), *kw = NULL, *entry = NULL;
    if (n > 1) {                            /* args[1:] */
        pm_object *l = pm_list_new(rt);
        for (pm_ssize_t i = 1; l && i < n; i++)
            if (pm_list_append(rt, l, pm_tuple_get(rt, args, i)) < 0) PM_CLEAR(rt, l);
        pm_xdecref(rt, rest);
        rest = l && rest ? pm_list_as_tuple(rt, l) : NULL;
        pm_xdecref(rt, l);
    }
    if (!rest) return NULL;
    if (kwargs && pm_dict_size(kwargs) > 0) kw = pm_dict_copy(rt, kwargs);
    else kw = pm_newref(rt, PM_NONE);
    if (!kw) goto fail;
    entry = pm_tuple_pack(rt, 3, func, rest, kw);
    if (!entry || pm_list_append(rt, callbacks(self), entry) < 0) goto fail;
    pm_decref(rt, entry);
    pm_decref(rt, rest);
    pm_decref(rt, kw);
    return pm_newref(rt, func);
fail:
    pm_xdecref(rt, entry);
    pm_xdecref(rt, rest);
    pm_xdecref(rt, kw);
    return NULL;
}

static pm_object *atexit_unregister(pm_runtime *rt, pm_object *self, pm_object *func) {
    pm_object *list = callbacks(self);
    for (pm_ssize_t i = 0; i < pm_list_size(list);) {
        pm_object *entry = pm_list_get(rt, list, i);
        pm_object *f = pm_tuple_get(rt, entry, 0);
        pm_incref(rt, entry);               /* == may run code that edits the list */
        int eq = pm_richcompare_bool(rt, f, func, PM_EQ);
        pm_decref(rt, entry);
        if (eq < 0) return NULL;
        if (eq && i < pm_list_size(list) && pm_list_get(rt, list, i) == entry) {
            if (pm_list_delete(rt, list, i) < 0) return NULL;
        } else {
            i++;
        }
    }
    return PM_NONE;
}

/* Runs and empties the list: last registered first. */
static void run_callbacks(pm_runtime *rt, pm_object *list) {
    for (pm_ssize_t i = pm_list_size(list) - 1; i >= 0; i--) {
        if (i >= pm_list_size(list)) continue;      /* a callback shortened the list */
        pm_object *entry = pm_newref(rt, pm_list_get(rt, list, i));
        pm_object *func = pm_tuple_get(rt, entry, 0);
        pm_object *args = pm_tuple_get(rt, entry, 1);
        pm_object *kw = pm_tuple_get(rt, entry, 2);
        pm_object *r = pm_call_object(rt, func, args, kw == PM_NONE ? NULL : kw);
        if (r) {
            pm_decref(rt, r);
        } else {
            /* 3.11: _PyErr_WriteUnraisableMsg("in atexit callback", func),
             * through sys.unraisablehook */
            pm_err_write_unraisable(rt, "Exception ignored in atexit callback", func);
        }
        pm_decref(rt, entry);
    }
    if (pm_list_clear(rt, list) < 0) pm_err_clear(rt);
}

static pm_object *atexit_run_exitfuncs(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    run_callbacks(rt, callbacks(self));
    return PM_NONE;
}

static pm_object *atexit_clear(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    if (pm_list_clear(rt, callbacks(self)) < 0) return NULL;
    return PM_NONE;
}

static pm_object *atexit_ncallbacks(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_int_from_ssize(rt, pm_list_size(callbacks(self)));
}

/* Count errors name the module ("atexit._clear() takes no arguments (1
 * given)"), so the table uses FASTCALL wrappers for the fixed arities. */
static pm_object *fast_noargs(pm_runtime *rt, const char *name, pm_object *self, pm_ssize_t nargs,
                              pm_object *(*impl)(pm_runtime *, pm_object *, pm_object *)) {
    if (nargs != 0) {
        pm_err_format(rt, PM_EXC_TypeError, "atexit.%s() takes no arguments (%zd given)", name, nargs);
        return NULL;
    }
    return impl(rt, self, NULL);
}
#define NOARGS(fn, name)                                                                       \
    static pm_object *fn##_fast(pm_runtime *rt, pm_object *self, pm_object *const *args,        \
                                pm_ssize_t nargs) {                                             \
        (void)args;                                                                             \
        return fast_noargs(rt, name, self, nargs, fn);                                          \
    }
NOARGS(atexit_run_exitfuncs, "_run_exitfuncs")
NOARGS(atexit_clear, "_clear")
NOARGS(atexit_ncallbacks, "_ncallbacks")
#undef NOARGS

static pm_object *atexit_unregister_fast(pm_runtime *rt, pm_object *self, pm_object *const *args,
                                         pm_ssize_t nargs) {
    if (nargs != 1) {
        pm_err_format(rt, PM_EXC_TypeError, "atexit.unregister() takes exactly one argument (%zd given)", nargs);
        return NULL;
    }
    return atexit_unregister(rt, self, args[0]);
}

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def atexit_methods[] = {
    {"register", FN(atexit_register), PM_METH_VARARGS | PM_METH_KEYWORDS,
     "register(func, *args, **kwargs) -> func\n\nRegister a function to be executed upon normal program "
     "termination\n\n    func - function to be called at exit\n    args - optional arguments to pass to "
     "func\n    kwargs - optional keyword arguments to pass to func\n\n    func is returned to facilitate "
     "usage as a decorator."},
    {"_clear", FN(atexit_clear_fast), PM_METH_FASTCALL, "_clear() -> None\n\nClear the list of previously registered exit functions."},
    {"_run_exitfuncs", FN(atexit_run_exitfuncs_fast), PM_METH_FASTCALL,
     "_run_exitfuncs() -> None\n\nRun all registered exit functions.\n\nIf a callback raises an exception, it is logged with sys.unraisablehook."},
    {"_ncallbacks", FN(atexit_ncallbacks_fast), PM_METH_FASTCALL, "_ncallbacks() -> int\n\nReturn the number of registered exit functions."},
    {"unregister", FN(atexit_unregister_fast), PM_METH_FASTCALL,
     "unregister(func) -> None\n\nUnregister an exit function which was previously registered using\n"
     "atexit.register\n\n    func - function to be unregistered"},
    {NULL, NULL, 0, NULL},
};
#undef FN

static int atexit_fill(pm_runtime *rt, pm_object *m) {
    pm_object *list = pm_list_new(rt);
    if (!list) return -1;
    ((pmi_module *)m)->state = list;
    return 0;
}

static const pmi_module_def atexit_def = {
    .name = "atexit",
    .doc = "allow programmer to define multiple exit functions to be executed\nupon normal program "
           "termination.\n\nTwo public functions, register and unregister, are defined.\n",
    .methods = atexit_methods,
    .fill = atexit_fill,
};

pm_object *pmi_atexit_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &atexit_def);
}

void pmi_atexit_run(pm_runtime *rt) {
    pm_object *exc = pm_err_fetch(rt);     /* keep a pending error as it is */
    pm_object *modules = pmi_sys_get(rt, "modules");
    pm_object *m = NULL;
    if (modules && pm_dict_check(modules)) {
        pm_object *key = pm_str_from_cstr(rt, "atexit");
        m = key ? pm_dict_get(rt, modules, key) : NULL;
        pm_xdecref(rt, key);
    }
    pm_err_clear(rt);
    if (m && pmi_module_check(m) && ((pmi_module *)m)->def == &atexit_def && callbacks(m)) {
        pm_incref(rt, m);
        run_callbacks(rt, callbacks(m));
        pm_decref(rt, m);
    }
    pm_err_clear(rt);
    if (exc) pm_err_restore(rt, exc);
}
