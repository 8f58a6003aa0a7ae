/* libFuzzer target: tokenizer + parser (+ the AST printer) on arbitrary
 * bytes.  Every input must end in a tree or a clean error (SyntaxError
 * record or MemoryError), and must give back every byte it allocated.
 *
 *   build: clang, -fsanitize=fuzzer (tests/ast/CMakeLists.txt adds the
 *          target frontend_parse_fuzz when the compiler supports it)
 *   run:   frontend_parse_fuzz -max_len=4096 SCRATCH_DIR SEED_DIRS...
 *
 * The runtime is made once and reused (harness state, not library state).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "pymm.h"
#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t bytes_in_use(pm_runtime *rt)
{
    pm_alloc_stats st;
    pm_freelists_clear(rt);
    pm_alloc_stats_get(rt, &st);
    return st.small_bytes_in_use + st.large_bytes;
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
    }
    size_t before = bytes_in_use(rt);
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pm_object *fn = pm_str_from_cstr(rt, "<fuzz>");
    pmi_arena *a = fn ? pmi_arena_new(rt) : NULL;
    if (a != NULL) {
        /* the mode comes from the first byte, the source from the rest */
        int mode = size > 0 ? data[0] % 3 : 0;
        const char *src = size > 0 ? (const char *)data + 1 : "";
        size_t len = size > 0 ? size - 1 : 0;
        mod_ty m = pmi_parse(rt, a, src, len, fn, mode, &err);
        if (m != NULL) {
            if (pmi_ast_dump(rt, m, devnull) < 0 && !pm_err_occurred(rt))
                abort();
        } else if (err.kind != 0) {
            if (err.msg == NULL)
                abort();
            pmi_syntax_error_print(rt, &err, devnull);
        } else if (!pm_err_occurred(rt)) {
            abort();   /* failed without saying why */
        }
    }
    pm_err_clear(rt);
    pmi_arena_free(a);
    pm_xdecref(rt, fn);
    pmi_syntax_error_clear(rt, &err);
    if (bytes_in_use(rt) != before) {
        fprintf(stderr, "frontend_parse: %zu bytes leaked\n", bytes_in_use(rt) - before);
        abort();
    }
    return 0;
}
