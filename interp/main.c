/*
 * interp/main.c -- the `pymm` command line.
 *
 *   pymm --dis FILE.py|FILE.pyc      what `python3 -m dis FILE.py` prints
 *   pymm --compile FILE.py OUT.pyc   write a 3.11 .pyc (python3 can load it)
 *   pymm --ast FILE                  ast.dump(tree, include_attributes=True)
 *   pymm --symtable FILE             the compiler's scope dump
 *   pymm --roundtrip IN.pyc OUT.pyc  marshal-load a .pyc and write it again
 *   pymm --code-info FILE.pyc|.py    every code object's attributes,
 *                                    co_lines() and co_positions() (tests)
 *   pymm --bench-compile LIST        parse+compile every file named in LIST
 *                                    (one path a line), timing only the
 *                                    compiling (bench/interp)
 *   pymm FILE.py                     needs the VM: exits 2 for now
 *
 * Options whose pass is not in the tree yet (parser, compiler, symbol
 * table) are compiled out: CMake defines PYMM_HAVE_PARSER / _COMPILER /
 * _SYMTABLE when interp/parser.c / compile.c / symtable.c exist.
 *
 * Exit status: 0 ok, 1 error (a SyntaxError prints CPython's report on
 * stderr; other errors "pymm: Kind: message"), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "code.h"
#include "dis.h"
#include "marshal.h"
#include "pymm.h"

#ifdef PYMM_HAVE_PARSER
#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "parser.h"
#endif
#ifdef PYMM_HAVE_COMPILER
#include "compile.h"
#include "interp.h"
#include "traceback.h"
#endif
#ifdef PYMM_HAVE_SYMTABLE
#include "symtable.h"
#endif

static int usage(void) {
    fputs("usage: pymm --dis FILE.py|FILE.pyc\n"
          "       pymm --compile FILE.py OUT.pyc\n"
          "       pymm --ast FILE.py\n"
          "       pymm --symtable FILE.py\n"
          "       pymm --roundtrip IN.pyc OUT.pyc\n"
          "       pymm --code-info FILE.pyc|FILE.py\n"
          "       pymm --bench-compile LIST\n"
          "       pymm FILE.py\n",
          stderr);
    return 2;
}

static int report(pm_runtime *rt) {
    if (pm_err_occurred(rt))
        fprintf(stderr, "pymm: %s: %s\n", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
    else
        fputs("pymm: unknown error\n", stderr);
    return 1;
}

/* Whole file into a pm_malloc'ed buffer (NUL-terminated). */
static char *read_file(pm_runtime *rt, const char *path, size_t *len, long *mtime) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        pm_err_format(rt, PM_EXC_ValueError, "can't open file '%s'", path);
        return NULL;
    }
    struct stat st;
    if (mtime) *mtime = fstat(fileno(f), &st) == 0 ? (long)st.st_mtime : 0;
    size_t cap = 1 << 16, n = 0;
    char *buf = pm_malloc(rt, cap);
    if (!buf) goto nomem;
    for (;;) {
        if (n + 1 >= cap) {
            char *nb = pm_realloc(rt, buf, cap * 2);
            if (!nb) goto nomem;
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
nomem:
    pm_free(rt, buf);
    fclose(f);
    pm_err_nomem(rt);
    return NULL;
}

static int write_file(pm_runtime *rt, const char *path, pm_object *bytes) {
    FILE *f = fopen(path, "wb");
    size_t n = (size_t)pm_bytes_size(bytes);
    if (!f || fwrite(pm_bytes_data(bytes), 1, n, f) != n || fclose(f) != 0) {
        pm_err_format(rt, PM_EXC_ValueError, "can't write file '%s'", path);
        return -1;
    }
    return 0;
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The module code object of FILE (.pyc: loaded; else compiled).  Returns 1
 * after printing a SyntaxError report. */
static pm_object *load_code(pm_runtime *rt, const char *path, long *mtime, size_t *srclen,
                            int *syntax_error) {
    size_t len;
    char *data = read_file(rt, path, &len, mtime);
    if (!data) return NULL;
    if (srclen) *srclen = len;
    pm_object *co = NULL;
    if (ends_with(path, ".pyc")) {
        co = pmi_pyc_read(rt, (const unsigned char *)data, len);
    } else {
#ifdef PYMM_HAVE_COMPILER
        pmi_syntax_error err;
        pmi_syntax_error_init(&err);
        pm_object *fn = pm_str_from_utf8(rt, path, -1);
        if (fn) {
            co = pmi_compile_source(rt, data, len, fn, PMI_MODE_EXEC, -1, &err);
            pm_decref(rt, fn);
        }
        if (!co && err.kind) {
            pmi_syntax_error_print(rt, &err, stderr);
            *syntax_error = 1;
        }
        pmi_syntax_error_clear(rt, &err);
#else
        (void)syntax_error;
        pm_err_set(rt, PM_EXC_NotImplementedError, "compiling .py files needs the compiler (not built yet)");
#endif
    }
    pm_free(rt, data);
    return co;
}

/* ---- --code-info: attributes, co_lines, co_positions (for tests) ---------- */

static void print_obj(pm_runtime *rt, FILE *out, const char *label, pm_object *o) {
    pm_object *r = o ? pm_repr(rt, o) : NULL;
    const char *s = r ? pm_str_as_utf8(rt, r, NULL) : NULL;
    fprintf(out, "%s %s\n", label, s ? s : "<error>");
    if (!s) pm_err_clear(rt);
    pm_xdecref(rt, r);
}

static void print_pos(FILE *out, int v) {
    if (v < 0) fputs("None", out);
    else fprintf(out, "%d", v);
}

static int code_info(pm_runtime *rt, pm_object *code, FILE *out) {
    pmi_code *co = (pmi_code *)code;
    fprintf(out, "code %s\n", pm_str_as_utf8(rt, co->qualname, NULL));
    static const char *const attrs[] = {
        "co_argcount", "co_posonlyargcount", "co_kwonlyargcount", "co_stacksize",
        "co_firstlineno", "co_flags", "co_nlocals", "co_names", "co_varnames",
        "co_cellvars", "co_freevars", "co_filename", "co_name", "co_qualname",
        "co_code", "co_linetable", "co_exceptiontable"};
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        pm_object *v = pmi_code_getattr(rt, code, attrs[i]);
        if (!v) return -1;
        print_obj(rt, out, attrs[i], v);
        pm_decref(rt, v);
    }
    pmi_code_pos *p;
    pm_ssize_t n;
    if (pmi_code_co_lines(rt, code, &p, &n) < 0) return -1;
    fputs("co_lines", out);
    for (pm_ssize_t i = 0; i < n; i++) {
        fprintf(out, " (%d, %d, ", p[i].start, p[i].end);
        print_pos(out, p[i].lineno);
        fputs(")", out);
    }
    fputs("\n", out);
    pm_free(rt, p);
    if (pmi_code_co_positions(rt, code, &p, &n) < 0) return -1;
    fputs("co_positions", out);
    for (pm_ssize_t i = 0; i < n; i++) {
        fputs(" (", out);
        print_pos(out, p[i].lineno);
        fputs(", ", out);
        print_pos(out, p[i].end_lineno);
        fputs(", ", out);
        print_pos(out, p[i].col);
        fputs(", ", out);
        print_pos(out, p[i].end_col);
        fputs(")", out);
    }
    fputs("\n", out);
    pm_free(rt, p);
    pm_ssize_t nc = pm_tuple_size(co->consts);
    for (pm_ssize_t i = 0; i < nc; i++) {
        pm_object *k = pm_tuple_get(rt, co->consts, i);
        if (pmi_code_check(k) && code_info(rt, k, out) < 0) return -1;
    }
    return 0;
}

#ifdef PYMM_HAVE_PARSER
/* --ast / --symtable: parse FILE and hand the tree to `what`. */
static int with_tree(pm_runtime *rt, const char *path, int symtable) {
    size_t len;
    int rc = 1;
    char *src = read_file(rt, path, &len, NULL);
    if (!src) return report(rt);
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pmi_arena *a = pmi_arena_new(rt);
    pm_object *fn = pm_str_from_utf8(rt, path, -1);
    mod_ty m = NULL;
    if (a && fn) m = pmi_parse(rt, a, src, len, fn, PMI_MODE_EXEC, &err);
    if (m) {
        if (!symtable) {
            rc = pmi_ast_dump(rt, m, stdout) < 0;
        } else {
#ifdef PYMM_HAVE_SYMTABLE
            rc = pmi_symtable_dump_err(rt, m, fn, src, len, stdout, &err) < 0;
#else
            pm_err_set(rt, PM_EXC_NotImplementedError, "--symtable needs the symbol table (not built yet)");
#endif
        }
    }
    if (rc) {
        if (err.kind) pmi_syntax_error_print(rt, &err, stderr);
        else report(rt);
    }
    pmi_syntax_error_clear(rt, &err);
    pm_xdecref(rt, fn);
    if (a) pmi_arena_free(a);
    pm_free(rt, src);
    return rc;
}
#endif

#ifdef PYMM_HAVE_COMPILER
/* --bench-compile: read every listed file first, then time parse+compile
 * of them all; files that fail are counted and named on stderr.  Prints
 * "compiled N files, F failed, seconds=S" and the paths that compiled to
 * LIST.ok (so python3 can time the same set). */
static int bench_compile(pm_runtime *rt, const char *list) {
    size_t llen;
    char *names = read_file(rt, list, &llen, NULL);
    if (!names) return report(rt);
    size_t nfiles = 0;
    for (size_t i = 0; i < llen; i++)
        if (names[i] == '\n') nfiles++;
    char **paths = pm_calloc(rt, nfiles + 1, sizeof(char *));
    char **srcs = pm_calloc(rt, nfiles + 1, sizeof(char *));
    size_t *lens = pm_calloc(rt, nfiles + 1, sizeof(size_t));
    unsigned char *ok = pm_calloc(rt, nfiles + 1, 1);
    int rc = 1;
    size_t n = 0;
    if (!paths || !srcs || !lens || !ok) {
        pm_err_nomem(rt);
        report(rt);
        goto done;
    }
    for (char *p = names; *p && n < nfiles;) {
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = 0;
        if (*p) {
            paths[n] = p;
            srcs[n] = read_file(rt, p, &lens[n], NULL);
            if (!srcs[n]) {
                report(rt);
                pm_err_clear(rt);
            }
            n++;
        }
        p = nl + 1;
    }
    struct timespec t0, t1;
    size_t good = 0, bad = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < n; i++) {
        if (!srcs[i]) {
            bad++;
            continue;
        }
        pmi_syntax_error err;
        pmi_syntax_error_init(&err);
        pm_object *fn = pm_str_from_utf8(rt, paths[i], -1);
        pm_object *co = fn ? pmi_compile_source(rt, srcs[i], lens[i], fn, PMI_MODE_EXEC, -1, &err) : NULL;
        pm_xdecref(rt, fn);
        if (co) {
            good++;
            ok[i] = 1;
            pm_decref(rt, co);
        } else {
            bad++;
            pm_err_clear(rt);
        }
        pmi_syntax_error_clear(rt, &err);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    char okname[4096];
    snprintf(okname, sizeof okname, "%s.ok", list);
    FILE *f = fopen(okname, "w");
    if (f) {
        for (size_t i = 0; i < n; i++)
            if (ok[i]) fprintf(f, "%s\n", paths[i]);
        fclose(f);
    }
    printf("compiled %zu files, %zu failed, seconds=%.3f\n", good, bad, secs);
    rc = 0;
done:
    for (size_t i = 0; srcs && i < n; i++) pm_free(rt, srcs[i]);
    pm_free(rt, paths);
    pm_free(rt, srcs);
    pm_free(rt, lens);
    pm_free(rt, ok);
    pm_free(rt, names);
    return rc;
}
#endif

/* pymm FILE: compile and run FILE as __main__.  An uncaught exception
 * prints "Traceback (most recent call last):" and "Kind: message" (full
 * 3.11 tracebacks come later) and exits 1. */
/* Bytes the allocator has handed out (small blocks + large blocks), after
 * a full collection and with the free lists emptied (cached objects are
 * not leaks). */
static size_t bytes_in_use(pm_runtime *rt) {
    pm_alloc_stats st;
    pm_gc_collect(rt, 2);
    pm_freelists_clear(rt);
    pm_type_clear_cache(rt);  /* the method cache keeps the names it saw */
    pm_alloc_stats_get(rt, &st);
    return st.small_bytes_in_use + st.large_bytes;
}

static int run_file(pm_runtime *rt, const char *path) {
    int syntax = 0, rc = 1;
    pm_object *co = NULL, *globals = NULL, *name = NULL, *res = NULL;
    /* PYMM_CHECK_BLOCKS=1: every byte the run took must be back at the end */
    const char *check = getenv("PYMM_CHECK_BLOCKS");
    int checking = check && check[0] == '1';
    size_t before = 0;
    if (pmi_interp_init(rt) < 0) return report(rt);
    if (checking) {
        /* the library's lazily built per-runtime state is made first: the
         * core types' dicts and state records and the method cache (a
         * lookup makes them), and the tables compiling grows (the intern
         * table: compile once and drop it) */
        static const pm_type *const warm[] = {&pm_list_type, &pm_dict_type, &pm_tuple_type, &pm_set_type,
                                              &pm_frozenset_type, &pm_str_type, &pm_int_type, &pm_float_type,
                                              &pm_bytes_type, &pm_bool_type, &pm_object_type, &pm_slice_type,
                                              &pm_type_type, &pm_none_type};
        pm_object *probe = pm_str_intern_cstr(rt, "__doc__");
        for (size_t i = 0; probe && i < sizeof warm / sizeof warm[0]; i++) {
            if (!pm_type_dict(rt, warm[i])) pm_err_clear(rt);
            (void)pm_type_lookup(rt, warm[i], probe);
            pm_err_clear(rt);
        }
        pm_xdecref(rt, probe);
        pm_err_clear(rt);
        co = load_code(rt, path, NULL, NULL, &syntax);
        if (!co) goto done;
        PM_CLEAR(rt, co);
        /* the intern table never shrinks: grow it past what a test script
         * interns at once, so the run's interning cannot resize it */
        globals = pm_list_new(rt);
        for (int i = 0; globals && i < 2048; i++) {
            pm_object *w = pm_str_from_format(rt, "pymm-warm-%d", i);
            pm_object *iw = w ? pm_str_intern(rt, w) : NULL;
            int ok = iw && pm_list_append(rt, globals, iw) == 0;
            pm_xdecref(rt, iw);
            pm_xdecref(rt, w);
            if (!ok) break;
        }
        PM_CLEAR(rt, globals);
        pm_err_clear(rt);
        before = bytes_in_use(rt);
    }
    co = load_code(rt, path, NULL, NULL, &syntax);
    if (!co) goto done;
    globals = pm_dict_new(rt);
    if (!globals) goto fail;
    name = pm_str_from_cstr(rt, "__main__");
    if (!name) goto fail;
    {
        pm_object *key = pm_str_intern_cstr(rt, "__name__");
        int set = key ? pm_dict_set(rt, globals, key, name) : -1;
        pm_xdecref(rt, key);
        if (set < 0) goto fail;
    }
    {
        /* PYMM_FAULT_AT=N (tests): the Nth allocation of the run fails */
        const char *fault = getenv("PYMM_FAULT_AT");
        long nth = fault ? strtol(fault, NULL, 10) : 0;
        if (nth > 0) pm_fault_inject(rt, nth, 0);
        res = pmi_eval_code(rt, co, globals, globals);
        if (nth > 0) {
            if (pm_fault_fired(rt) == 0) fputs("pymm: fault not fired\n", stderr);
            pm_fault_inject(rt, 0, 0);
        }
    }
    if (res) rc = 0;
fail:
    fflush(stdout);
    if (rc) rc = pmi_handle_uncaught(rt);
    pm_xdecref(rt, res);
    pm_xdecref(rt, name);
    if (globals) pm_dict_clear(rt, globals);
    pm_xdecref(rt, globals);
    pm_decref(rt, co);
    if (checking) {
        size_t after = bytes_in_use(rt);
        if (after != before) {
            fprintf(stderr, "pymm: %zd bytes not returned after the run\n",
                    (pm_ssize_t)after - (pm_ssize_t)before);
            rc = rc ? rc : 3;
        }
    }
    pmi_interp_fini(rt);
    return rc;
done:
    /* no code: a syntax error was printed, or another error is pending */
    rc = syntax ? 1 : report(rt);
    pmi_interp_fini(rt);
    return rc;
}

static int run(pm_runtime *rt, int argc, char **argv) {
    const char *opt = argv[1];
    int syntax = 0;
    if (strcmp(opt, "--dis") == 0 || strcmp(opt, "--code-info") == 0) {
        if (argc != 3) return usage();
        pm_object *co = load_code(rt, argv[2], NULL, NULL, &syntax);
        if (!co) return syntax ? 1 : report(rt);
        int rc = opt[2] == 'd' ? pmi_dis_print(rt, co, stdout) : code_info(rt, co, stdout);
        pm_decref(rt, co);
        fflush(stdout);
        return rc < 0 ? report(rt) : 0;
    }
    if (strcmp(opt, "--compile") == 0 || strcmp(opt, "--roundtrip") == 0) {
        if (argc != 4) return usage();
        long mtime = 0;
        size_t srclen = 0;
        pm_object *co = load_code(rt, argv[2], &mtime, &srclen, &syntax);
        if (!co) return syntax ? 1 : report(rt);
        pm_object *pyc;
        if (opt[2] == 'c') {
            pyc = pmi_pyc_write(rt, co, (uint32_t)mtime, (uint32_t)srclen);
        } else {
            /* header fields mtime/size 0: the marshal data is what counts */
            pyc = pmi_pyc_write(rt, co, 0, 0);
        }
        pm_decref(rt, co);
        if (!pyc) return report(rt);
        int rc = write_file(rt, argv[3], pyc);
        pm_decref(rt, pyc);
        return rc < 0 ? report(rt) : 0;
    }
    if (strcmp(opt, "--ast") == 0 || strcmp(opt, "--symtable") == 0) {
        if (argc != 3) return usage();
#ifdef PYMM_HAVE_PARSER
        return with_tree(rt, argv[2], opt[2] == 's');
#else
        fputs("pymm: --ast/--symtable need the parser (not built yet)\n", stderr);
        return 2;
#endif
    }
    if (strcmp(opt, "--bench-compile") == 0) {
        if (argc != 3) return usage();
#ifdef PYMM_HAVE_COMPILER
        return bench_compile(rt, argv[2]);
#else
        fputs("pymm: --bench-compile needs the compiler (not built yet)\n", stderr);
        return 2;
#endif
    }
    if (opt[0] == '-') return usage();
    return run_file(rt, opt);
}

int main(int argc, char **argv) {
    if (argc < 2) return usage();
    pm_config cfg;
    const char *err = NULL;
    pm_config_init(&cfg);
    if (pm_config_from_env(&cfg, &err) < 0) {
        fprintf(stderr, "pymm: %s\n", err ? err : "bad PYMM_* environment setting");
        return 2;
    }
    pm_runtime *rt = pm_runtime_new(&cfg);
    if (!rt) {
        fputs("pymm: cannot create the runtime\n", stderr);
        return 1;
    }
    int rc = run(rt, argc, argv);
    pm_runtime_free(rt);
    return rc;
}
