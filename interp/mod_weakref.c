/*
 * interp/mod_weakref.c — the `_weakref` built-in module: the C core that
 * lib/weakref.py builds on (CPython 3.11's Modules/_weakref.c plus the
 * names Objects/weakrefobject.c exports).
 *
 *     _weakref.ref / ReferenceType   the library's pm_weakref_type
 *                                    (subclassable; __callback__)
 *     _weakref.proxy(obj[, cb])      pm_weakref_proxy: ProxyType or
 *                                    CallableProxyType
 *     getweakrefcount(obj)           how many weak references name obj
 *     getweakrefs(obj)               a list of them, in list order
 *     _remove_dead_weakref(d, key)   del d[key] if d[key] is a dead weakref
 *                                    (WeakValueDictionary's callback)
 *
 * Everything about lifetimes (when references are cleared, the order of
 * callbacks) is src/gc/weakref.c's; this file only adapts arguments.
 */
#include "modules.h"

static pm_object *wr_getweakrefcount(pm_runtime *rt, pm_object *self, pm_object *obj) {
    (void)self;
    return pm_int_from_ssize(rt, pm_weakref_getcount(rt, obj));
}

static pm_object *wr_getweakrefs(pm_runtime *rt, pm_object *self, pm_object *obj) {
    (void)self;
    return pm_weakref_getrefs(rt, obj);
}

static pm_object *wr_proxy(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (pmi_mod_check_positional(rt, "proxy", nargs, 1, 2) < 0) return NULL;
    return pm_weakref_proxy(rt, args[0], nargs == 2 ? args[1] : NULL);
}

static pm_object *wr_remove_dead_weakref(pm_runtime *rt, pm_object *self, pm_object *const *args,
                                         pm_ssize_t nargs) {
    (void)self;
    if (pmi_mod_check_positional(rt, "_remove_dead_weakref", nargs, 2, 2) < 0) return NULL;
    if (!pm_dict_check(args[0])) {
        pm_err_set(rt, PM_EXC_TypeError, "not a dict");
        return NULL;
    }
    pm_object *v = pm_dict_get(rt, args[0], args[1]);  /* borrowed */
    if (!v) {
        if (pm_err_occurred(rt)) return NULL;
        return pm_newref(rt, PM_NONE);
    }
    if (pm_is_instance(v, &pm_weakref_type) && !pm_weakref_is_alive(rt, v)) {
        if (pm_dict_del(rt, args[0], args[1]) < 0) {
            if (!pm_err_matches(rt, PM_EXC_KeyError)) return NULL;
            pm_err_clear(rt);
        }
    }
    return pm_newref(rt, PM_NONE);
}

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
static const pm_method_def weakref_methods[] = {
    {"getweakrefcount", FN(wr_getweakrefcount), PM_METH_O,
     "Return the number of weak references to 'object'."},
    {"getweakrefs", FN(wr_getweakrefs), PM_METH_O,
     "getweakrefs(object) -- return a list of all weak reference objects\nthat point to 'object'."},
    {"proxy", FN(wr_proxy), PM_METH_FASTCALL,
     "proxy(object[, callback]) -- create a proxy object that weakly\nreferences 'object'.  'callback', if "
     "given, is called with a\nreference to the proxy when 'object' is about to be finalized."},
    {"_remove_dead_weakref", FN(wr_remove_dead_weakref), PM_METH_FASTCALL,
     "Atomically remove key from dict if it points to a dead weakref."},
    {NULL, NULL, 0, NULL},
};
#undef FN

static int weakref_fill(pm_runtime *rt, pm_object *m) {
    pm_object *ref = pm_type_as_object(&pm_weakref_type);
    if (pmi_module_add(rt, m, "ref", ref) < 0 || pmi_module_add(rt, m, "ReferenceType", ref) < 0 ||
        pmi_module_add(rt, m, "ProxyType", pm_type_as_object(&pm_weakproxy_type)) < 0 ||
        pmi_module_add(rt, m, "CallableProxyType", pm_type_as_object(&pm_weakcallableproxy_type)) < 0)
        return -1;
    return 0;
}

static const pmi_module_def weakref_def = {
    .name = "_weakref",
    .doc = "Weak-reference support module.",
    .methods = weakref_methods,
    .fill = weakref_fill,
};

pm_object *pmi_weakref_module_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &weakref_def);
}
