/* Helper of frontend_compile.c, in its own file because the library's
 * internal headers and interp/'s share names (pmi_block): the byte size of
 * the runtime's intern table array, which the leak check leaves out. */
#include <stddef.h>
#include "core/runtime.h"

size_t fuzz_intern_table_bytes(pm_runtime *rt);

size_t fuzz_intern_table_bytes(pm_runtime *rt)
{
    return rt->intern.slots ? (rt->intern.mask + 1) * sizeof(pm_object *) : 0;
}
