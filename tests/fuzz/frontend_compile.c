/* libFuzzer target: tokenizer + parser + compiler on arbitrary bytes.
 * Input layout (compile_seeds.py writes seeds in it):
 *   byte 0   bits 0-1: mode (0 exec, 1 eval, 2 single, 3 exec)
 *            bits 2-3: optimize (0, 1, 2; 3 = -1, python3's default)
 *            bit 4:    inject an allocation failure during the compile
 *   byte 1-2 (little-endian) which allocation fails (1-based), when bit 4
 *   the rest the source text
 * Every input must end in a code object or a clean error (a SyntaxError
 * record, or a pm error such as MemoryError), never both, never neither.
 * A code object is disassembled to /dev/null and marshal-dumped and
 * loaded again; the loaded copy must hold the same value and dump to the
 * same bytes.  Afterwards every allocated byte must be back, the intern
 * table at its old size, and no error pending.
 *
 *   build: clang only, -fsanitize=fuzzer (tests/fuzz/frontend_compile.cmake,
 *          included from tests/compile/CMakeLists.txt)
 *   run:   frontend_compile_fuzz -max_len=65536 SCRATCH_DIR SEED_DIR
 *          (tests/fuzz/compile_seeds.py SEED_DIR writes the seeds)
 *
 * The runtime is made once and reused (harness state, not library state).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pymm.h"
#include "code.h"
#include "compile.h"
#include "diag.h"
#include "dis.h"
#include "marshal.h"
#include "parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t fuzz_intern_table_bytes(pm_runtime *rt);   /* frontend_compile_rt.c */

/* a and b hold the same value: same types, floats/complex by bits (the
 * code-constant key), containers item by item, code objects field by
 * field.  1 / 0. */
static int same(pm_runtime *rt, pm_object *a, pm_object *b, int depth)
{
    if (a == b)
        return 1;
    if (pm_type_of(a) != pm_type_of(b) || depth > 3000)
        return 0;
    if (pm_type_of(a) == &pm_tuple_type) {
        pm_ssize_t n = pm_tuple_size(a);
        if (n != pm_tuple_size(b))
            return 0;
        for (pm_ssize_t i = 0; i < n; i++)
            if (!same(rt, pm_tuple_get(rt, a, i), pm_tuple_get(rt, b, i), depth + 1))
                return 0;
        return 1;
    }
    if (pm_anyset_check(a))
        return pm_set_size(a) == pm_set_size(b);
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
    int r = pmi_code_const_equal(rt, a, b);
    if (r < 0)
        pm_err_clear(rt);
    return r == 1;
}

/* Bytes in use, less the intern table's array: its capacity depends on
 * the history of deleted slots (it is resized by live+deleted fill and
 * sized by the live count), not on what is alive now. */
static size_t bytes_in_use(pm_runtime *rt)
{
    pm_alloc_stats st;
    pm_freelists_clear(rt);
    pm_alloc_stats_get(rt, &st);
    return st.small_bytes_in_use + st.large_bytes - fuzz_intern_table_bytes(rt);
}

/* The empty str and the 256 one-character latin-1 strs are runtime-cached
 * singletons (as CPython's): once the compiler interns one as a name it
 * stays interned.  Make and intern them all first, so that what an input
 * leaves behind is a leak. */
static void warm_up(pm_runtime *rt)
{
    for (uint32_t c = 0; c <= 256; c++) {
        pm_object *s = pm_str_from_ucs4(rt, &c, c < 256 ? 1 : 0);
        pm_object *i = s ? pm_str_intern(rt, s) : NULL;
        if (i == NULL)
            abort();
        pm_decref(rt, i);
        pm_decref(rt, s);
    }
}

/* The code object's checks after a successful compile; failures of the
 * steps themselves (MemoryError cannot happen here: no fault is set) abort. */
static void check_code(pm_runtime *rt, pm_object *code, FILE *devnull)
{
    if (!pmi_code_check(code))
        abort();
    if (pmi_dis_print(rt, code, devnull) < 0) {
        fprintf(stderr, "dis failed: %s\n", pm_err_message(rt));
        abort();
    }
    pm_object *b = pmi_marshal_dumps(rt, code);
    if (b == NULL) {
        fprintf(stderr, "marshal.dumps of a compiled code object failed: %s\n", pm_err_message(rt));
        abort();
    }
    pm_object *again = pmi_marshal_loads(rt, (const unsigned char *)pm_bytes_data(b),
                                         (size_t)pm_bytes_size(b));
    if (again == NULL) {
        fprintf(stderr, "marshal.loads of its own dump failed: %s\n", pm_err_message(rt));
        abort();
    }
    if (!same(rt, code, again, 0)) {
        fprintf(stderr, "code object changed in a marshal round trip\n");
        abort();
    }
    pm_object *b2 = pmi_marshal_dumps(rt, again);
    if (b2 == NULL || pm_bytes_size(b2) != pm_bytes_size(b)) {
        fprintf(stderr, "second dump differs in size\n");
        abort();
    }
    pm_decref(rt, b2);
    pm_decref(rt, again);
    pm_decref(rt, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pm_runtime *rt;
    static FILE *devnull;
    if (rt == NULL) {
        rt = pm_runtime_new(NULL);
        devnull = fopen("/dev/null", "w");
        if (rt == NULL || devnull == NULL)
            abort();
        warm_up(rt);
    }
    if (size < 3 || size > 65536 + 3)
        return 0;
    int mode = data[0] & 3;
    if (mode == 3)
        mode = PMI_MODE_EXEC;
    int optimize = (data[0] >> 2) & 3;
    if (optimize == 3)
        optimize = -1;
    int fault = (data[0] >> 4) & 1;
    long nth = (long)data[1] | (long)data[2] << 8;
    const char *src = (const char *)data + 3;
    size_t len = size - 3;

    size_t before = bytes_in_use(rt);
    size_t interned = pm_intern_count(rt);
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pmi_warnings warnings;          /* compile-time warnings, printed and freed */
    pmi_warnings_init(&warnings);
    err.warnings = &warnings;
    pm_object *fn = pm_str_from_cstr(rt, "<fuzz>");
    if (fn == NULL)
        abort();
    if (fault)
        pm_fault_inject(rt, nth + 1, 0);
    pm_object *code = pmi_compile_source(rt, src, len, fn, mode, optimize, &err);
    long fired = fault ? pm_fault_fired(rt) : 0;
    pm_fault_inject(rt, 0, 0);
    if (code != NULL) {
        if (err.kind != 0 || pm_err_occurred(rt)) {
            fprintf(stderr, "code object with an error pending (kind %d, pm error %d)\n",
                    err.kind, pm_err_occurred(rt));
            abort();
        }
        check_code(rt, code, devnull);
        pm_decref(rt, code);
    } else if (err.kind != 0) {
        if (err.msg == NULL)
            abort();
        if (pm_err_occurred(rt) && !fired) {
            fprintf(stderr, "SyntaxError record and a pm error both set: %s\n", pm_err_message(rt));
            abort();
        }
        pmi_syntax_error_print(rt, &err, devnull);
    } else if (!pm_err_occurred(rt)) {
        fprintf(stderr, "compile failed without saying why\n");
        abort();
    }
    pmi_warnings_print(&warnings, "<fuzz>", 1, devnull);
    pmi_warnings_clear(rt, &warnings);
    pm_err_clear(rt);
    pmi_syntax_error_clear(rt, &err);
    pm_decref(rt, fn);
    if (pm_err_occurred(rt))
        abort();
    size_t after = bytes_in_use(rt);
    if (after != before || pm_intern_count(rt) != interned) {
        fprintf(stderr, "frontend_compile: %ld bytes, %ld interned strings not given back\n",
                (long)(after - before), (long)(pm_intern_count(rt) - interned));
        abort();
    }
    return 0;
}
