/* Placeholder until the object layer lands (it deletes this file). */
#include "runtime.h"
int pmi_objects_init(pm_runtime *rt) { (void)rt; return 0; }
void pmi_objects_fini(pm_runtime *rt) { (void)rt; }
