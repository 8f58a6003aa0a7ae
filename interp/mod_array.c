/* placeholder */
#include "modules.h"
pm_object *pmi_array_init(pm_runtime *rt) { pm_err_set(rt, PM_EXC_SystemError, "array: not yet"); return NULL; }
