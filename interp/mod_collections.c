#include "modules.h"
static const pmi_module_def collections_def = {
    .name = "_collections",
    .doc = "High performance data structures.",
};
pm_object *pmi_collections_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &collections_def);
}
