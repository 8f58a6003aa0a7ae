/*
 * interp/traceback.c — tracebacks and the uncaught-exception report.
 *
 * First version: no traceback entries yet; an uncaught exception prints
 * the traceback header and the "Kind: message" line only.
 */
#include "traceback.h"

int pmi_traceback_here(pm_runtime *rt, pmi_frame *f) {
    (void)rt;
    (void)f;
    return 0;
}

pm_object *pmi_frame_object_get(pm_runtime *rt, pmi_frame *f) {
    (void)f;
    pm_err_set(rt, PM_EXC_SystemError, "pymm: frame objects are not implemented yet");
    return NULL;
}

void pmi_frame_object_detach(pm_runtime *rt, pmi_frame *f) {
    (void)rt;
    (void)f;
}

void pmi_exception_print(pm_runtime *rt, pm_object *exc, FILE *out) {
    pm_object *s = pm_str(rt, exc);
    const char *text = s ? pm_str_as_utf8(rt, s, NULL) : NULL;
    if (!text) pm_err_clear(rt);
    fputs("Traceback (most recent call last):\n", out);
    if (text && text[0])
        fprintf(out, "%s: %s\n", pm_type_name(pm_type_of(exc)), text);
    else
        fprintf(out, "%s\n", pm_type_name(pm_type_of(exc)));
    pm_xdecref(rt, s);
}

int pmi_handle_uncaught(pm_runtime *rt) {
    pm_object *exc = pm_err_fetch(rt);
    if (!exc) return 1;
    pmi_exception_print(rt, exc, stderr);
    pm_decref(rt, exc);
    return 1;
}
