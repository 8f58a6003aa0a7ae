/* libFuzzer target: marshal data (as in a .pyc) on arbitrary bytes.
 * Every input must load or fail with a clean error; whatever loads must
 * dump, load again, and (code objects) disassemble; every byte allocated
 * must come back.
 *
 *   build: clang only, -fsanitize=fuzzer (tests/pyc/CMakeLists.txt adds the
 *          target marshal_fuzz when the compiler supports it)
 *   run:   marshal_fuzz -max_len=65536 SCRATCH_DIR SEED_DIR
 *          (tests/pyc/fuzz_seeds.py writes seeds: python3's marshal data of
 *          stdlib modules and assorted values)
 *
 * The runtime is made once and reused (harness state, not library state).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pymm.h"
#include "code.h"
#include "dis.h"
#include "marshal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t bytes_in_use(pm_runtime *rt) {
    pm_alloc_stats st;
    pm_freelists_clear(rt);
    pm_alloc_stats_get(rt, &st);
    return st.small_bytes_in_use + st.large_bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static pm_runtime *rt;
    static FILE *devnull;
    if (rt == NULL) {
        rt = pm_runtime_new(NULL);
        devnull = fopen("/dev/null", "w");
        if (rt == NULL || devnull == NULL) abort();
    }
    size_t before = bytes_in_use(rt);
    pm_object *o = pmi_marshal_loads(rt, data, size);
    if (!o) {
        if (!pm_err_occurred(rt)) abort();      /* failure without an error */
        pm_err_clear(rt);
    } else {
        pm_object *b = pmi_marshal_dumps(rt, o);
        if (!b) {
            /* only an object python3 could not marshal either may fail */
            if (!pm_err_occurred(rt)) abort();
            pm_err_clear(rt);
        } else {
            pm_object *again = pmi_marshal_loads(rt, (const unsigned char *)pm_bytes_data(b),
                                                 (size_t)pm_bytes_size(b));
            if (!again) {
                fprintf(stderr, "re-load of pymm's own output failed: %s\n", pm_err_message(rt));
                abort();
            }
            if (pmi_code_check(o) && pm_equal(rt, o, again) != 1) {
                fprintf(stderr, "code object changed in a dumps/loads round trip\n");
                abort();
            }
            pm_err_clear(rt);
            pm_decref(rt, again);
            pm_decref(rt, b);
        }
        if (pmi_code_check(o) && pmi_dis_print(rt, o, devnull) < 0) pm_err_clear(rt);
        pm_decref(rt, o);
    }
    if (bytes_in_use(rt) > before) {
        fprintf(stderr, "leak: %zu bytes\n", bytes_in_use(rt) - before);
        abort();
    }
    return 0;
}
