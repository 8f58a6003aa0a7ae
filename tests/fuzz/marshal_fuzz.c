/* libFuzzer target: marshal data (as in a .pyc) on arbitrary bytes.
 * Every input must load or fail with a clean error; whatever loads must
 * dump and load again to the same value, and (code objects) disassemble;
 * every byte allocated must come back.
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
#include <string.h>
#include <stdlib.h>

#include "pymm.h"
#include "code.h"
#include "dis.h"
#include "marshal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a and b (from loads, and loads of dumps of it) hold the same value:
 * same types, floats by bits, containers item by item in order (sets by
 * size: their order may differ), code objects field by field.  1 / 0. */
static int same(pm_runtime *rt, pm_object *a, pm_object *b, int depth) {
    if (a == b) return 1;
    if (pm_type_of(a) != pm_type_of(b) || depth > 3000) return 0;
    if (pm_type_of(a) == &pm_float_type) {     /* by bits: a NaN survives as it is */
        double x = pm_float_value(a), y = pm_float_value(b);
        return memcmp(&x, &y, sizeof x) == 0;
    }
    if (pm_type_of(a) == &pm_complex_type) {    /* by bits: NaN parts survive as they are */
        double p[4];
        pmi_code_complex_parts(rt, a, &p[0], &p[1]);
        pmi_code_complex_parts(rt, b, &p[2], &p[3]);
        return memcmp(&p[0], &p[2], sizeof(double)) == 0 && memcmp(&p[1], &p[3], sizeof(double)) == 0;
    }
    if (pm_type_of(a) == &pm_tuple_type || pm_type_of(a) == &pm_list_type) {
        int t = pm_type_of(a) == &pm_tuple_type;
        pm_ssize_t n = t ? pm_tuple_size(a) : pm_list_size(a);
        if (n != (t ? pm_tuple_size(b) : pm_list_size(b))) return 0;
        for (pm_ssize_t i = 0; i < n; i++) {
            pm_object *x = t ? pm_tuple_get(rt, a, i) : pm_list_get(rt, a, i);
            pm_object *y = t ? pm_tuple_get(rt, b, i) : pm_list_get(rt, b, i);
            if (!same(rt, x, y, depth + 1)) return 0;
        }
        return 1;
    }
    if (pm_type_of(a) == &pm_dict_type) {
        pm_ssize_t pa = 0, pb = 0;
        pm_object *ka, *va, *kb, *vb;
        if (pm_dict_size(a) != pm_dict_size(b)) return 0;
        while (pm_dict_next(a, &pa, &ka, &va)) {
            if (!pm_dict_next(b, &pb, &kb, &vb)) return 0;
            if (!same(rt, ka, kb, depth + 1) || !same(rt, va, vb, depth + 1)) return 0;
        }
        return 1;
    }
    if (pm_anyset_check(a)) return pm_set_size(a) == pm_set_size(b);
    if (pmi_code_check(a)) {
        pmi_code *x = (pmi_code *)a, *y = (pmi_code *)b;
        return x->argcount == y->argcount && x->posonlyargcount == y->posonlyargcount &&
               x->kwonlyargcount == y->kwonlyargcount && x->stacksize == y->stacksize &&
               x->firstlineno == y->firstlineno && x->flags == y->flags &&
               same(rt, x->code, y->code, depth + 1) && same(rt, x->consts, y->consts, depth + 1) &&
               same(rt, x->names, y->names, depth + 1) &&
               same(rt, x->localsplusnames, y->localsplusnames, depth + 1) &&
               same(rt, x->localspluskinds, y->localspluskinds, depth + 1) &&
               same(rt, x->filename, y->filename, depth + 1) && same(rt, x->name, y->name, depth + 1) &&
               same(rt, x->qualname, y->qualname, depth + 1) &&
               same(rt, x->linetable, y->linetable, depth + 1) &&
               same(rt, x->exceptiontable, y->exceptiontable, depth + 1);
    }
    int r = pm_equal(rt, a, b);
    if (r < 0) pm_err_clear(rt);
    return r == 1;
}

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
            if (!same(rt, o, again, 0)) {
                fprintf(stderr, "value changed in a dumps/loads round trip\n");
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
