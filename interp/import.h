/*
 * interp/import.h — the import statement's three instructions.
 *
 * The evaluation loop calls these for IMPORT_NAME, IMPORT_FROM and
 * IMPORT_STAR; everything about finding, loading and caching modules
 * (sys.modules, sys.path, built-in modules, .py files) lives behind them.
 */
#ifndef PYMM_INTERP_IMPORT_H
#define PYMM_INTERP_IMPORT_H

#include "interp.h"

/* __import__(name, f's globals, locals, fromlist, level) as IMPORT_NAME
 * does it: name a str, fromlist None or a tuple, level an int (all
 * borrowed).  New ref to the module, or NULL with ImportError /
 * ModuleNotFoundError (CPython's texts) or another error pending. */
pm_object *pmi_import_name(pm_runtime *rt, pmi_frame *f, pm_object *name, pm_object *fromlist,
                           pm_object *level);
/* `from module import name` (IMPORT_FROM): new ref, or NULL with
 * ImportError "cannot import name ..." pending. */
pm_object *pmi_import_from(pm_runtime *rt, pm_object *module, pm_object *name);
/* `from module import *` into f's locals (IMPORT_STAR): 0 or -1. */
int pmi_import_star(pm_runtime *rt, pmi_frame *f, pm_object *module);

#endif
