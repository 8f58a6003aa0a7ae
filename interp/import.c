/*
 * interp/import.c — imports.  First version: no module can be found yet.
 */
#include "import.h"

/* Raises type(message) with message "<prefix>'<name>'". */
static void raise_named(pm_runtime *rt, const pm_type *type, const char *prefix, pm_object *name) {
    const char *s = pm_str_as_utf8(rt, name, NULL);
    pm_object *msg = s ? pm_str_from_format(rt, "%s'%s'", prefix, s) : NULL;
    if (!msg) return;
    pm_err_set_object(rt, type, msg);
    pm_decref(rt, msg);
}

pm_object *pmi_import_name(pm_runtime *rt, pmi_frame *f, pm_object *name, pm_object *fromlist,
                           pm_object *level) {
    (void)f;
    (void)fromlist;
    (void)level;
    raise_named(rt, &pm_exc_ModuleNotFoundError, "No module named ", name);
    return NULL;
}

pm_object *pmi_import_from(pm_runtime *rt, pm_object *module, pm_object *name) {
    (void)module;
    raise_named(rt, &pm_exc_ImportError, "cannot import name ", name);
    return NULL;
}

int pmi_import_star(pm_runtime *rt, pmi_frame *f, pm_object *module) {
    (void)f;
    (void)module;
    pm_err_set(rt, PM_EXC_SystemError, "pymm: import * is not implemented yet");
    return -1;
}
