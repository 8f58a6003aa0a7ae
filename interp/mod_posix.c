/* placeholder */
#include "modules.h"
pm_object *pmi_posix_init(pm_runtime *rt) { pm_err_set(rt, PM_EXC_SystemError, "posix: not yet"); return NULL; }
