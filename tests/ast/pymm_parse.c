/* pymm_parse: the parser alone, for the parser's tests (independent of the
 * compiler and code objects).
 *
 *   pymm_parse --ast FILE      print ast.dump(tree, include_attributes=True)
 *   pymm_parse --check FILE    parse; on a SyntaxError print python3's report
 *   pymm_parse --ast-eval|--ast-single|--ast-func-type FILE   other modes
 *   pymm_parse --fault FILE    parse under every allocation-failure point in
 *                              turn; each run must fail cleanly or succeed,
 *                              leaking nothing
 * Exit status: 0 ok, 1 SyntaxError (report on stderr) or other error, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pymm.h"
#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "parser.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (buf == NULL) {
            fclose(f);
            return NULL;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    fclose(f);
    *len = n;
    return buf;
}

/* One parse: 0 ok, 1 syntax error, -1 other error. */
static int run_mode(pm_runtime *rt, const char *src, size_t len, const char *path, int dump, int report, int mode);

static int run(pm_runtime *rt, const char *src, size_t len, const char *path, int dump, int report)
{
    return run_mode(rt, src, len, path, dump, report, PMI_MODE_EXEC);
}

static int run_mode(pm_runtime *rt, const char *src, size_t len, const char *path, int dump, int report, int mode)
{
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    int rc = -1;
    pm_object *fn = pm_str_from_cstr(rt, path);
    pmi_arena *a = fn ? pmi_arena_new(rt) : NULL;
    if (a != NULL) {
        mod_ty m = pmi_parse(rt, a, src, len, fn, mode, &err);
        if (m != NULL) {
            rc = 0;
            if (dump && pmi_ast_dump(rt, m, stdout) < 0)
                rc = -1;
        } else if (err.kind != 0) {
            rc = 1;
            if (report)
                pmi_syntax_error_print(rt, &err, stderr);
        }
    }
    if (rc < 0 && report)
        fprintf(stderr, "pymm_parse: %s: %s\n", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
    pm_err_clear(rt);
    pmi_arena_free(a);
    pm_xdecref(rt, fn);
    pmi_syntax_error_clear(rt, &err);
    return rc;
}

static size_t in_use(pm_runtime *rt)
{
    pm_alloc_stats st;
    pm_freelists_clear(rt);
    pm_alloc_stats_get(rt, &st);
    return st.small_bytes_in_use + st.large_bytes;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    size_t len;
    char *src = slurp(argv[2], &len);
    if (src == NULL) {
        fprintf(stderr, "pymm_parse: can't open file '%s'\n", argv[2]);
        return 1;
    }
    pm_runtime *rt = pm_runtime_new(NULL);
    if (rt == NULL)
        return 1;
    int status;
    if (strcmp(argv[1], "--ast-eval") == 0 || strcmp(argv[1], "--ast-single") == 0 ||
        strcmp(argv[1], "--ast-func-type") == 0) {
        int mode = argv[1][6] == 'e' ? PMI_MODE_EVAL : argv[1][6] == 's' ? PMI_MODE_SINGLE : PMI_MODE_FUNC_TYPE;
        status = run_mode(rt, src, len, argv[2], 1, 1, mode) == 0 ? 0 : 1;
    } else if (strcmp(argv[1], "--ast") == 0 || strcmp(argv[1], "--check") == 0) {
        int rc = run(rt, src, len, argv[2], argv[1][2] == 'a', 1);
        status = rc == 0 ? 0 : 1;
    } else if (strcmp(argv[1], "--fault") == 0) {
        /* the clean result first, then every failure point */
        int want = run(rt, src, len, argv[2], 0, 0);
        size_t base = in_use(rt);
        status = 0;
        for (long nth = 1; nth < 100000; nth++) {
            pm_fault_inject(rt, nth, 0);
            int rc = run(rt, src, len, argv[2], 0, 0);
            long fired = pm_fault_fired(rt);
            pm_fault_inject(rt, 0, 0);
            if (!fired) {
                if (rc != want) {
                    fprintf(stderr, "pymm_parse: run %ld: result %d, expected %d\n", nth, rc, want);
                    status = 1;
                }
                printf("fault: %ld allocation points, all clean\n", nth - 1);
                break;
            }
            if (in_use(rt) != base) {
                fprintf(stderr, "pymm_parse: fault %ld: %zu bytes leaked\n", nth, in_use(rt) - base);
                status = 1;
                break;
            }
            if (rc == 0 && want != 0) {
                fprintf(stderr, "pymm_parse: fault %ld: success after a failed allocation\n", nth);
                status = 1;
            }
        }
    } else {
        status = 2;
    }
    free(src);
    pm_runtime_free(rt);
    return status;
}
