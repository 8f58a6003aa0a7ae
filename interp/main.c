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
 *   pymm [option] ... [-c cmd | -m mod | file | -] [arg] ...
 *                                    python3's command line (below)
 *
 * Options whose pass is not in the tree yet (parser, compiler, symbol
 * table) are compiled out: CMake defines PYMM_HAVE_PARSER / _COMPILER /
 * _SYMTABLE when interp/parser.c / compile.c / symtable.c exist.
 *
 * Exit status: 0 ok, 1 error (a SyntaxError prints CPython's report on
 * stderr; other errors "pymm: Kind: message"), 2 usage.
 */
#include <signal.h>
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
#include "builtins.h"
#include "compile.h"
#include "interp.h"
#include "import.h"
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
          "       pymm [option] ... [-c cmd | -m mod | file | -] [arg] ...  (pymm -h)\n",
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

/* Whole file into a pm_malloc'ed buffer (NUL-terminated), with its mtime. */
static char *read_file(pm_runtime *rt, const char *path, size_t *len, long *mtime) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        pm_err_format(rt, PM_EXC_ValueError, "can't open file '%s'", path);
        return NULL;
    }
    struct stat st;
    if (mtime) *mtime = fstat(fileno(f), &st) == 0 ? (long)st.st_mtime : 0;
    char *buf = pmi_read_stream(rt, f, len);
    fclose(f);
    return buf;
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
        pmi_warnings w;
        pmi_warnings_init(&w);
        err.warnings = &w;
        pm_object *fn = pm_str_from_utf8(rt, path, -1);
        if (fn) {
            co = pmi_compile_source(rt, data, len, fn, PMI_MODE_EXEC, -1, &err);
            pm_decref(rt, fn);
        }
        pmi_warnings_print(&w, path, 0, stderr);
        pmi_warnings_clear(rt, &w);
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


/* The front end's tools (--dis ...). */
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
    return usage();
}

/* ======================================================================
 * The python3-style command line:
 *
 *   pymm [option] ... [-c cmd | -m mod | file | -] [arg] ...
 *
 * sys.argv, sys.path[0] and __main__ as python3 makes them:
 *   dir       runs dir/__main__.py with path[0] = dir, __package__ ''
 *   file      argv [file, args]; path[0] the script's directory (symlinks
 *             resolved); __main__.__file__ the absolute path
 *   -c cmd    argv ['-c', args]; path[0] ''; code named "<string>"
 *   -m mod    argv [the module's file, args]; path[0] the current
 *             directory; a package runs its __main__ submodule
 *   - / none  the program is read from stdin ("<stdin>"); argv ['-'] / ['']
 * Options: -B -S -E -s -u -I -P -O -b -q -v -d -x -X opt -W arg, -V
 * (--version), -h (--help), -i.  Environment
 * (unless -E): PYTHONPATH, PYTHONHASHSEED (the runtime's hash key),
 * PYTHONMALLOC=debug (pymm's debug allocator; also -X dev),
 * PYTHONMALLOCSTATS (the allocator table on stderr at exit),
 * PYTHONPROFILEIMPORTTIME (as -X importtime: import.c's lines on stderr),
 * PYTHONDONTWRITEBYTECODE, PYTHONUNBUFFERED, PYTHONSAFEPATH, PYTHONINSPECT,
 * PYTHONSTARTUP (run before the first prompt when there is no program).
 *
 * The interactive prompt (repl.c) runs when there is no program (no -c,
 * -m, file, or "-") and stdin is a terminal, or -i / PYTHONINSPECT asks
 * for it (then after the program, in its __main__; an uncaught exception
 * of the program, SystemExit too, is reported and the prompt comes up).
 * Without a program the banner goes to stderr first (not with -q):
 *
 *   Python 3.11.7 (pymm 0.1.0) [C11] on linux       "Python " sys.version " on linux"
 *   Type "exit()" or Ctrl-D (i.e. EOF) to exit.      (not with -S)
 *
 * python3's second line offers help/copyright/credits/license, site.py's
 * objects that pymm does not have; exit and quit it has (put in builtins
 * when the prompt starts, unless -S).  Lines are read with GNU readline
 * (editing, in-memory history) when pymm was built with it and stdin and
 * stdout are terminals, else plainly from fd 0 with the prompt on stderr,
 * as python3 without readline.  Ctrl-C at the prompt is KeyboardInterrupt;
 * while a statement runs too (main()'s SIGINT handler asks the VM through
 * pm_runtime_interrupt; an uncaught one ends pymm by SIGINT, as python3).
 *
 * Exit status: 0; 1 for an uncaught exception (SystemExit: its code); 2
 * for a usage error or a file that cannot be opened.
 *
 * PYMM_CHECK_BLOCKS=1 (tests): the allocator's bytes in use are counted
 * with no interpreter at all, before and after the run (interpreter made,
 * program run, modules cleared, interpreter freed); any difference is
 * reported and the exit status is 3.  A first warm-up cycle makes the
 * state that lives as long as the runtime (the intern table's size, gc's
 * callback array) so it is not counted; the types' lazily built dicts are
 * dropped before each count instead (pm_type_state_clear).
 * PYMM_FAULT_AT=N fails the Nth allocation of the run (with -i, of the run
 * and the prompt after it).
 * ====================================================================== */
#ifdef PYMM_HAVE_COMPILER
#include <errno.h>
#include <limits.h>
#include <sys/select.h>
#include <unistd.h>

#include "import.h"
#include "repl.h"
#ifdef PYMM_HAVE_READLINE
#include <readline/history.h>
#include <readline/readline.h>
#endif

/* Bytes the allocator has handed out (small blocks + large blocks), after
 * a full collection and with the free lists emptied (cached objects are
 * not leaks). */
static size_t bytes_in_use(pm_runtime *rt) {
    pm_alloc_stats st;
    pm_type_state_clear(rt);  /* types' lazily made dicts and the method cache */
    pm_gc_collect(rt, 2);
    pm_freelists_clear(rt);   /* after the above: what they freed is in free lists */
    pm_trim(rt);              /* -X dev: freed blocks wait in the debug allocator's
                                 quarantine, still in use in their pools */
    pm_alloc_stats_get(rt, &st);
    return st.small_bytes_in_use + st.large_bytes;
}

/* What the command line asked for. */
typedef struct cmdline {
    const char *prog;               /* argv[0] (for messages) */
    const char *command;            /* -c CMD, else NULL */
    const char *module;             /* -m MOD, else NULL */
    const char *file;               /* the script ("-": stdin), else NULL */
    int nargs;                      /* sys.argv[1:] count */
    char **args;                    /* sys.argv[1:] */
    int unbuffered;                 /* -u / PYTHONUNBUFFERED */
    int mallocstats;                /* PYTHONMALLOCSTATS */
    int debug_alloc;                /* PYTHONMALLOC=debug / -X dev */
    int importtime;                 /* -X importtime / PYTHONPROFILEIMPORTTIME */
    int repl;                       /* run the interactive prompt (after the program, if any) */
    int banner;                     /* print the banner first (no program, no -q) */
    const char *startup;            /* PYTHONSTARTUP to run first (no program, no -E), or NULL */
    pmi_sys_config sys;             /* flags, argv, path for sys */
} cmdline;

static const char usage_line[] = "usage: %s [option] ... [-c cmd | -m mod | file | -] [arg] ...\n";

static int usage_error(const cmdline *cl, const char *fmt, const char *what) {
    fprintf(stderr, fmt, what);
    fprintf(stderr, usage_line, cl->prog);
    fputs("Try `python -h' for more information.\n", stderr);
    return 2;
}

static void print_help(const char *prog) {
    printf(usage_line, prog);
    fputs("Options (and corresponding environment variables):\n"
          "-B     : don't write .pyc files on import (pymm never writes them)\n"
          "-c cmd : program passed in as string (terminates option list)\n"
          "-E     : ignore PYTHON* environment variables (such as PYTHONPATH)\n"
          "-h     : print this help message and exit (also -? or --help)\n"
          "-i     : inspect interactively after running script; forces a prompt even\n"
          "         if stdin does not appear to be a terminal; also PYTHONINSPECT=x\n"
          "-I     : isolate from the environment (implies -E, -P and -s)\n"
          "-m mod : run library module as a script (terminates option list)\n"
          "-O     : remove assert and __debug__-dependent statements; -OO also docstrings\n"
          "-P     : don't prepend a potentially unsafe path to sys.path\n"
          "-s     : don't add user site directory to sys.path\n"
          "-S     : don't imply 'import site' on initialization\n"
          "-u     : force the stdout and stderr streams to be unbuffered\n"
          "-V     : print the Python version number and exit (also --version)\n"
          "-X opt : implementation-specific option (-X dev: pymm's debug allocator;\n"
          "         -X importtime: show how long each import takes)\n"
          "file   : program read from script file\n"
          "-      : program read from stdin (default; interactive mode if a tty)\n"
          "arg ...: arguments passed to program in sys.argv[1:]\n"
          "\nOther environment variables:\n"
          "PYTHONPATH       : ':'-separated list of directories prefixed to the module search path.\n"
          "PYTHONHASHSEED   : if this variable is set to 'random' or unset, a random value is used\n"
          "                   to seed the hashes of str and bytes objects; an integer fixes it.\n"
          "PYTHONMALLOC     : 'debug' turns on pymm's debug allocator.\n"
          "PYTHONMALLOCSTATS: print the allocator's statistics at exit.\n"
          "PYTHONSTARTUP    : a file run before the first interactive prompt.\n"
          "PYTHONINSPECT    : if non-empty, like -i.\n"
          "PYMM_*           : pymm's own settings (docs/allocator.md).\n",
          stdout);
}

/* Parses argv; returns -1 to go on, else an exit status. */
static int parse_cmdline(int argc, char **argv, cmdline *cl) {
    memset(cl, 0, sizeof *cl);
    pmi_sys_config_init(&cl->sys);
    cl->prog = argv[0];
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == 0) break;           /* a file, or "-" */
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[1] == '-') {
            if (strcmp(a, "--version") == 0) {
                puts("Python 3.11.7");
                return 0;
            }
            if (strcmp(a, "--help") == 0) {
                print_help(cl->prog);
                return 0;
            }
            return usage_error(cl, "unknown option %s\n", a);
        }
        for (const char *p = a + 1; *p; p++) {
            switch (*p) {
            case 'c':
            case 'm':
            case 'X':
            case 'W': {
                const char *val = p[1] ? p + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (!val) {
                    char opt[3] = {'-', *p, 0};
                    return usage_error(cl, "Argument expected for the %s option\n", opt);
                }
                if (*p == 'X') {
                    if (strcmp(val, "dev") == 0) {
                        cl->sys.dev_mode = 1;
                        cl->debug_alloc = 1;
                    } else if (strcmp(val, "importtime") == 0 || strncmp(val, "importtime=", 11) == 0) {
                        cl->importtime = 1;
                    } else if (strncmp(val, "int_max_str_digits=", 19) == 0) {
                        cl->sys.int_max_str_digits = atoi(val + 19);
                    }
                } else if (*p == 'c') {
                    cl->command = val;
                } else if (*p == 'm') {
                    cl->module = val;
                }
                goto next_arg_or_done;      /* the rest of this argument was the value */
            }
            case 'B': cl->sys.dont_write_bytecode = 1; break;
            case 'S': cl->sys.no_site = 1; break;
            case 'E': cl->sys.ignore_environment = 1; break;
            case 's': cl->sys.no_user_site = 1; break;
            case 'u': cl->unbuffered = 1; break;
            case 'I':
                cl->sys.isolated = cl->sys.ignore_environment = cl->sys.no_user_site = cl->sys.safe_path = 1;
                break;
            case 'P': cl->sys.safe_path = 1; break;
            case 'O': cl->sys.optimize++; break;
            case 'b': cl->sys.bytes_warning++; break;
            case 'q': cl->sys.quiet = 1; break;
            case 'v': cl->sys.verbose++; break;
            case 'i': cl->sys.inspect = 1; break;
            case 'd':
            case 'x':
            case 'R': break;
            case 'h':
            case '?': print_help(cl->prog); return 0;
            case 'V': puts("Python 3.11.7"); return 0;
            default: {
                char opt[3] = {'-', *p, 0};
                return usage_error(cl, "Unknown option: %s\n", opt);
            }
            }
        }
        continue;
    next_arg_or_done:
        if (cl->command || cl->module) {
            i++;
            break;
        }
    }
    if (!cl->command && !cl->module && i < argc) cl->file = argv[i++];
    cl->nargs = argc - i;
    cl->args = argv + i;
    cl->sys.orig_argc = argc;
    cl->sys.orig_argv = argv;
    return -1;
}

/* The environment's part (unless -E). */
static void read_env(cmdline *cl) {
    cl->sys.libdir = PYMM_LIB_DIR;
    if (cl->sys.ignore_environment) return;
    const char *v;
    if ((v = getenv("PYMM_LIBDIR"))) cl->sys.libdir = v;
    if ((v = getenv("PYTHONPATH")) && *v) cl->sys.pythonpath = v;
    if ((v = getenv("PYTHONMALLOC")) && strncmp(v, "debug", 5) == 0) cl->debug_alloc = 1;
    if ((v = getenv("PYTHONMALLOC")) && strcmp(v, "pymalloc_debug") == 0) cl->debug_alloc = 1;
    if ((v = getenv("PYTHONMALLOCSTATS")) && *v) cl->mallocstats = 1;
    if ((v = getenv("PYTHONPROFILEIMPORTTIME")) && *v) cl->importtime = 1;
    if ((v = getenv("PYTHONDONTWRITEBYTECODE")) && *v) cl->sys.dont_write_bytecode = 1;
    if ((v = getenv("PYTHONUNBUFFERED")) && *v) cl->unbuffered = 1;
    if ((v = getenv("PYTHONSAFEPATH")) && *v) cl->sys.safe_path = 1;
    if ((v = getenv("PYTHONINSPECT")) && *v) cl->sys.inspect = 1;
    if ((v = getenv("PYTHONHASHSEED")) && strcmp(v, "0") == 0) cl->sys.hash_randomization = 0;
    if ((v = getenv("PYTHONDEVMODE")) && *v) {
        cl->sys.dev_mode = 1;
        cl->debug_alloc = 1;
    }
}

/* The uncaught error ends the program: sys.stdout is flushed first (as
 * python3's), then traceback.c decides (SystemExit's code, or the report
 * and 1). */
static int exit_status(pm_runtime *rt) {
    fflush(stdout);
    pmi_stdio_flush(rt);
    return pmi_handle_uncaught(rt);
}

/* The program's source and the name its code is compiled under. */
typedef struct program {
    char *src;                      /* pm_malloc'ed source (NULL for -m) */
    size_t len;                     /* its length */
    char filename[PATH_MAX + 16];   /* code filename / __file__ */
    int has_file;                   /* __main__ gets __file__ */
    char path0[PATH_MAX];           /* sys.path[0] */
    const char *package;            /* __main__.__package__ (-m: pm_malloc'ed; a directory: "") */
} program;

/* Compiles the program (printing a SyntaxError report itself, and the
 * compiler's warnings when warn): new ref, or NULL with *syntax set or an
 * error pending. */
static pm_object *compile_program(pm_runtime *rt, const program *pg, int *syntax, int warn) {
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pmi_warnings w;                 /* the compiler's SyntaxWarnings, printed as python3's */
    pmi_warnings_init(&w);
    err.warnings = &w;
    pm_object *fn = pm_str_from_cstr(rt, pg->filename), *co = NULL;
    if (fn) co = pmi_compile_source(rt, pg->src, pg->len, fn, PMI_MODE_EXEC, pmi_sys_optimize(rt), &err);
    pm_xdecref(rt, fn);
    if (warn) pmi_warnings_print(&w, pg->filename, 0, stderr);
    pmi_warnings_clear(rt, &w);
    if (!co && err.kind) {
        fflush(stdout);
        pmi_syntax_error_print(rt, &err, stderr);
        *syntax = 1;
    }
    pmi_syntax_error_clear(rt, &err);
    return co;
}

/* -m inside the running interpreter, as runpy: the parent packages are
 * imported (sys.argv[0] is '-m' meanwhile), then the module's file is
 * found and read; sys.argv[0] becomes its path and __main__.__package__
 * its package.  Returns -1 to go on or an exit status (message printed). */
static int find_module_program(pm_runtime *rt, cmdline *cl, program *pg) {
    int rc = -1, is_pkg = 0;
    char *path = NULL;
    int found = pmi_import_find_file(rt, cl->module, &path, &is_pkg);
    if (found < 0) {
        fflush(stdout);
        pm_object *exc = pm_err_fetch(rt);
        pm_object *s = exc ? pm_str(rt, exc) : NULL;
        const char *u = s ? pm_str_as_utf8(rt, s, NULL) : NULL;
        fprintf(stderr, "%s: Error while finding module specification for '%s' (%s: %s)\n", cl->prog,
                cl->module, exc ? pm_type_name(pm_type_of(exc)) : "Error", u ? u : "");
        pm_xdecref(rt, s);
        pm_xdecref(rt, exc);
        pm_err_clear(rt);
        return 1;
    }
    if (!found) {
        fflush(stdout);
        if (is_pkg)
            fprintf(stderr, "%s: No module named %s.__main__; '%s' is a package and cannot be directly executed\n",
                    cl->prog, cl->module, cl->module);
        else
            fprintf(stderr, "%s: No module named %s\n", cl->prog, cl->module);
        return 1;
    }
    snprintf(pg->filename, sizeof pg->filename, "%s", path);
    pm_free(rt, path);
    pg->has_file = 1;
    pg->src = read_file(rt, pg->filename, &pg->len, NULL);
    if (!pg->src) return report(rt);
    /* __package__: the parent package ('' at the top level; the package
     * itself when it runs its __main__) */
    const char *dot = strrchr(cl->module, '.');
    size_t plen = is_pkg ? strlen(cl->module) : dot ? (size_t)(dot - cl->module) : 0;
    char *pkg = pm_malloc(rt, plen + 1);
    if (!pkg) {
        pm_err_nomem(rt);
        return report(rt);
    }
    memcpy(pkg, cl->module, plen);
    pkg[plen] = 0;
    pg->package = pkg;
    pm_object *argv = pmi_sys_get(rt, "argv");
    pm_object *a0 = argv && pm_type_of(argv) == &pm_list_type ? pm_str_from_cstr(rt, pg->filename) : NULL;
    if (a0 && pm_list_size(argv) > 0 && pm_list_set(rt, argv, 0, a0) < 0) rc = report(rt);
    if (!a0 && pm_err_occurred(rt)) rc = report(rt);
    pm_xdecref(rt, a0);
    return rc;
}

/* ---- reading a line for the prompt (repl.c's pmi_repl_reader) -----------
 * Ctrl-C while a reader waits: SIGINT gets a handler that does nothing, so
 * the wait fails with EINTR and the reader answers PMI_READ_INTR; the
 * previous disposition comes back when the line is read (main()'s
 * handler, which interrupts a running statement). */

static void on_sigint(int sig) {
    (void)sig;
}

/* What a reader saves and restores around one read. */
typedef struct sigint_state {
    struct sigaction old;           /* SIGINT's previous disposition */
    sigset_t old_mask;              /* the previous signal mask */
} sigint_state;

static void sigint_catch(sigint_state *st, int block) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;      /* no SA_RESTART: the read fails with EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &st->old);
    sigset_t set;
    sigemptyset(&set);
    if (block) sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, &st->old_mask);
}

static void sigint_restore(sigint_state *st) {
    sigprocmask(SIG_SETMASK, &st->old_mask, NULL);
    sigaction(SIGINT, &st->old, NULL);
}

/* The plain reader: the prompt on stderr, the line from fd 0 a byte at a
 * time (no buffer that would hide input from sys.stdin / input()). */
static int read_plain(void *ctx, const char *prompt, char **line, size_t *len) {
    (void)ctx;
    sigint_state st;
    sigint_catch(&st, 0);       /* before the prompt: once it shows, Ctrl-C may come */
    fputs(prompt, stderr);
    fflush(stderr);
    size_t cap = 128, n = 0;
    char *buf = malloc(cap);
    int rc = buf ? PMI_READ_LINE : PMI_READ_NOMEM;
    while (buf) {
        char c;
        ssize_t got = read(0, &c, 1);
        if (got < 0 && errno == EINTR) {
            rc = PMI_READ_INTR;
            break;
        }
        if (got <= 0) {
            if (n == 0) rc = PMI_READ_EOF;
            break;
        }
        if (n + 2 > cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                rc = PMI_READ_NOMEM;
                break;
            }
            buf = nb;
        }
        buf[n++] = c;
        if (c == '\n') break;
    }
    sigint_restore(&st);
    if (rc != PMI_READ_LINE) {
        free(buf);
        return rc;
    }
    buf[n] = 0;
    *line = buf;
    *len = n;
    return rc;
}

#ifdef PYMM_HAVE_READLINE
/* One line from readline's callback interface. */
typedef struct rl_slot {
    char *line;                     /* readline's malloc'ed line; NULL at EOF */
    int done;                       /* the line (or EOF) has come */
} rl_slot;

/* readline hands the finished line to a callback that has no context
 * argument: this pointer, set only while read_readline waits, is where it
 * goes.  A writable global of the binary (not of the libraries, so
 * tests/scripts/check-globals.sh does not see it), as sigint_runtime. */
static rl_slot *rl_current;

static void rl_got_line(char *l) {
    rl_current->line = l;
    rl_current->done = 1;
    rl_callback_handler_remove();
}

/* Readline: line editing and history (in memory).  SIGINT is blocked but
 * while pselect waits, so Ctrl-C is seen there and only there. */
static int read_readline(void *ctx, const char *prompt, char **line, size_t *len) {
    (void)ctx;
    rl_slot slot = {NULL, 0};
    sigint_state st;
    int rc = PMI_READ_LINE;
    fflush(stdout);
    sigint_catch(&st, 1);
    rl_current = &slot;
    rl_callback_handler_install(prompt, rl_got_line);
    int fd = fileno(rl_instream ? rl_instream : stdin);
    while (!slot.done) {
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(fd, &fds);
        if (pselect(fd + 1, &fds, NULL, NULL, NULL, &st.old_mask) < 0) {
            if (errno != EINTR) continue;
            rl_free_line_state();
            rl_callback_sigcleanup();
            rl_cleanup_after_signal();
            rl_callback_handler_remove();
            rc = PMI_READ_INTR;
            break;
        }
        rl_callback_read_char();
    }
    rl_current = NULL;
    sigint_restore(&st);
    if (rc != PMI_READ_LINE) return rc;
    if (!slot.line) return PMI_READ_EOF;
    size_t n = strlen(slot.line);
    if (n) add_history(slot.line);
    char *l = realloc(slot.line, n + 2);
    if (!l) {
        free(slot.line);
        return PMI_READ_NOMEM;
    }
    l[n] = '\n';
    l[n + 1] = 0;
    *line = l;
    *len = n + 1;
    return PMI_READ_LINE;
}
#endif

/* PYTHONSTARTUP's file, run in __main__ before the first prompt: its
 * errors are reported as a program's and the prompt still comes, but for
 * SystemExit.  Returns -1 to go on, else the exit status. */
static int run_startup(pm_runtime *rt, const char *path, pm_object *main_mod) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        fprintf(stderr, "Could not open PYTHONSTARTUP\n%s: [Errno %d] %s: '%s'\n",
                e == ENOENT ? "FileNotFoundError" : e == EACCES ? "PermissionError" : "OSError", e, strerror(e),
                path);
        return -1;
    }
    fclose(f);
    program pg;
    memset(&pg, 0, sizeof pg);
    snprintf(pg.filename, sizeof pg.filename, "%s", path);
    pg.src = read_file(rt, path, &pg.len, NULL);
    int syntax = 0, rc = -1;
    pm_object *co = pg.src ? compile_program(rt, &pg, &syntax, 1) : NULL;
    pm_object *d = pmi_module_dict(main_mod);
    pm_object *res = co ? pmi_eval_code(rt, co, d, d) : NULL;
    if (!res && !syntax && pm_err_occurred(rt)) {
        const pm_type *et = pm_err_occurred_type(rt);
        pmi_stdio_flush(rt);
        int st = pmi_handle_uncaught(rt);
        if (et && pm_type_is_subtype(et, &pm_exc_SystemExit)) rc = st;
    }
    pm_err_clear(rt);
    pm_xdecref(rt, res);
    pm_xdecref(rt, co);
    pm_free(rt, pg.src);
    return rc;
}

/* The prompt after (or instead of) the program, in __main__: the banner,
 * PYTHONSTARTUP, exit/quit, then repl.c's loop.  Returns the exit status. */
static int interactive(pm_runtime *rt, const cmdline *cl, pm_object *main_mod) {
    pmi_stdio_flush(rt);
    fflush(stdout);
    if (cl->banner) {
        pm_object *v = pmi_sys_get(rt, "version");
        const char *vs = v && pm_str_check(v) ? pm_str_as_utf8(rt, v, NULL) : NULL;
        fprintf(stderr, "Python %s on linux\n", vs ? vs : "3.11.7");
        if (!cl->sys.no_site) fputs("Type \"exit()\" or Ctrl-D (i.e. EOF) to exit.\n", stderr);
        pm_err_clear(rt);
    }
    if (!cl->sys.no_site && pmi_repl_add_quitters(rt) < 0)
        (void)pmi_handle_uncaught(rt);  /* reported; the prompt comes without them */
    if (cl->startup) {
        int st = run_startup(rt, cl->startup, main_mod);
        if (st >= 0) return st;
    }
    pmi_repl_reader read = read_plain;
#ifdef PYMM_HAVE_READLINE
    if (isatty(0) && isatty(1)) {
        rl_readline_name = "python";
        rl_catch_signals = 0;
        rl_catch_sigwinch = 0;
        rl_bind_key('\t', rl_insert);   /* as python3 without completion: Tab inserts a tab */
        read = read_readline;
    }
#endif
    return pmi_repl_run(rt, pmi_module_dict(main_mod), read, NULL);
}

/* With -i the program's uncaught exception, SystemExit too, is reported
 * (python3's traceback) and the prompt still comes. */
static void report_before_prompt(pm_runtime *rt) {
    pmi_stdio_flush(rt);
    fflush(stdout);
    pm_object *exc = pm_err_fetch(rt);
    if (exc) pmi_exception_print(rt, exc, stderr);
    pm_xdecref(rt, exc);
    pm_err_clear(rt);
    pm_err_memerr_release(rt);
}

/* Closes PYMM_FAULT_AT's window (once): says so if the fault never fired. */
static void fault_end(pm_runtime *rt, long *nth) {
    if (*nth <= 0) return;
    if (pm_fault_fired(rt) == 0) fputs("pymm: fault not fired\n", stderr);
    pm_fault_inject(rt, 0, 0);
    *nth = 0;
}

/* One interpreter lifetime: set up, run the program (run != 0; else only
 * compile it: the warm-up), tear down.  Returns the exit status. */
static int interp_cycle(pm_runtime *rt, cmdline *cl, program *pg, int run) {
    int rc = 1, syntax = 0;
    long fault_nth = 0;             /* PYMM_FAULT_AT while its window is open */
    pm_object *main_mod = NULL, *co = NULL, *res = NULL;
    if (pmi_interp_init(rt) < 0) return report(rt);
    if (pmi_import_setup(rt, &cl->sys) < 0) goto error;
    if (run && pmi_tracemalloc_cmdline(rt, &cl->sys) < 0) goto error;   /* -X tracemalloc */
    if (run && cl->importtime) pmi_import_set_importtime(rt, 1);        /* -X importtime */
    if (!run) {
        /* the warm-up imports gc, whose runtime-side state (the callback
         * hook array) lives as long as the runtime; the types' lazily made
         * state needs no warm-up: the count drops it (pm_type_state_clear) */
        pm_xdecref(rt, pmi_import_module(rt, "gc"));
        pm_err_clear(rt);
    }
    if (cl->module) {
        if (!run) {         /* the warm-up runs no package code */
            rc = 0;
            goto done;
        }
        int r = find_module_program(rt, cl, pg);
        if (r >= 0) {
            rc = r;
            goto done;
        }
    }
    main_mod = pmi_main_module(rt, pg->has_file ? pg->filename : NULL);
    if (!main_mod) goto error;
    if (pg->package && pmi_module_add_new(rt, main_mod, "__package__", pm_str_from_cstr(rt, pg->package)) < 0)
        goto error;
    {
        pm_object *k = pm_str_intern_cstr(rt, "__main__");
        int r = k ? pm_dict_set(rt, pmi_interp_get(rt)->modules, k, main_mod) : -1;
        pm_xdecref(rt, k);
        if (r < 0) goto error;
    }
    co = compile_program(rt, pg, &syntax, run);     /* the warm-up prints no warnings */
    if (!co) goto error;
    if (!run) {
        rc = 0;
        goto done;
    }
    {
        /* the fault window: the program, and the prompt after it */
        const char *fault = getenv("PYMM_FAULT_AT");
        fault_nth = fault ? strtol(fault, NULL, 10) : 0;
        if (fault_nth > 0) pm_fault_inject(rt, fault_nth, 0);
        pm_object *d = pmi_module_dict(main_mod);
        res = pmi_eval_code(rt, co, d, d);
        if (!cl->repl) fault_end(rt, &fault_nth);
    }
    if (!res) goto error;
    rc = 0;
    goto program_done;
error:
    if (!(run && cl->repl && main_mod)) {
        rc = syntax ? 1 : pm_err_occurred(rt) ? exit_status(rt) : 1;
        goto done;
    }
    if (!syntax) report_before_prompt(rt);
program_done:
    if (run && cl->repl && main_mod) rc = interactive(rt, cl, main_mod);
done:
    fault_end(rt, &fault_nth);
    if (run) pmi_atexit_run(rt);        /* atexit callbacks, before the teardown */
    fflush(stdout);
    if (cl->module) {       /* -m's program belongs to this lifetime */
        pm_free(rt, pg->src);
        pm_free(rt, (void *)pg->package);
        pg->src = NULL;
        pg->package = NULL;
    }
    pm_xdecref(rt, res);
    pm_xdecref(rt, co);
    pm_xdecref(rt, main_mod);
    pmi_import_fini(rt);
    pmi_interp_fini(rt);
    pm_err_clear(rt);
    return rc;
}

/* Finds the program: fills pg, returns -1 to go on or an exit status. */
static int find_program(pm_runtime *rt, cmdline *cl, program *pg, char **argv0_store) {
    memset(pg, 0, sizeof *pg);
    if (cl->command) {
        pg->len = strlen(cl->command);
        pg->src = pm_malloc(rt, pg->len + 1);
        if (!pg->src) return report(rt);
        memcpy(pg->src, cl->command, pg->len + 1);
        snprintf(pg->filename, sizeof pg->filename, "<string>");
        *argv0_store = NULL;
        return -1;
    }
    if (cl->module) return -1;      /* found once the interpreter is up */
    if (!cl->file || strcmp(cl->file, "-") == 0) {
        /* the prompt reads stdin itself: the program is empty */
        pg->src = cl->repl ? pm_calloc(rt, 1, 1) : pmi_read_stream(rt, stdin, &pg->len);
        if (!pg->src && cl->repl) pm_err_nomem(rt);
        if (!pg->src) return report(rt);
        snprintf(pg->filename, sizeof pg->filename, "<stdin>");
        return -1;
    }
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) cwd[0] = 0;
    struct stat st;
    if (stat(cl->file, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* a directory runs its __main__.py, with itself as sys.path[0] */
        if (cl->file[0] == '/') snprintf(pg->path0, sizeof pg->path0, "%s", cl->file);
        else snprintf(pg->path0, sizeof pg->path0, "%s/%s", cwd, cl->file);
        size_t n = strlen(pg->path0);
        snprintf(pg->filename, sizeof pg->filename, "%s%s__main__.py", pg->path0,
                 n && pg->path0[n - 1] == '/' ? "" : "/");
        if (stat(pg->filename, &st) != 0) {
            fprintf(stderr, "%s: can't find '__main__' module in '%s'\n", cl->prog, pg->path0);
            return 1;
        }
        size_t len;
        pg->src = read_file(rt, pg->filename, &len, NULL);
        if (!pg->src) return report(rt);
        pg->len = len;
        pg->has_file = 1;
        pg->package = "";
        return -1;
    }
    char *real = realpath(cl->file, NULL);
    FILE *f = real ? fopen(real, "rb") : NULL;
    if (cl->file[0] == '/') snprintf(pg->filename, sizeof pg->filename, "%s", cl->file);
    else snprintf(pg->filename, sizeof pg->filename, "%s/%s", cwd, cl->file);
    if (!f) {
        fprintf(stderr, "%s: can't open file '%s': [Errno 2] No such file or directory\n", cl->prog,
                pg->filename);
        free(real);
        return 2;
    }
    fclose(f);
    size_t len;
    pg->src = read_file(rt, real, &len, NULL);
    if (!pg->src) {
        free(real);
        return report(rt);
    }
    pg->len = len;
    pg->has_file = 1;
    char *slash = strrchr(real, '/');
    if (slash) *slash = 0;
    snprintf(pg->path0, sizeof pg->path0, "%s", slash == real ? "/" : real);
    free(real);
    return -1;
}

static int run_python(pm_runtime *rt, cmdline *cl) {
    program pg;
    char *unused = NULL;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) cwd[0] = 0;
    int rc = find_program(rt, cl, &pg, &unused);
    if (rc >= 0) goto out;
    /* sys.argv and sys.path[0] */
    char **argv = pm_calloc(rt, (size_t)cl->nargs + 2, sizeof(char *));
    if (!argv) {
        rc = report(rt);
        goto out;
    }
    static char dash_c[] = "-c", dash_m[] = "-m", dash[] = "-", empty[] = "";
    argv[0] = cl->command ? dash_c : cl->module ? dash_m : !cl->file ? empty
            : strcmp(cl->file, "-") == 0 ? dash : (char *)cl->file;
    for (int i = 0; i < cl->nargs; i++) argv[i + 1] = cl->args[i];
    cl->sys.argc = cl->nargs + 1;
    cl->sys.argv = argv;
    if (!cl->sys.safe_path) {
        if (cl->module) snprintf(pg.path0, sizeof pg.path0, "%s", cwd);
        else if (!pg.has_file) pg.path0[0] = 0;
        cl->sys.path0 = pg.path0;
    }
    if (cl->unbuffered) {
        setvbuf(stdout, NULL, _IONBF, 0);
        setvbuf(stderr, NULL, _IONBF, 0);
    }
    const char *check = getenv("PYMM_CHECK_BLOCKS");
    int checking = check && check[0] == '1';
    size_t before = 0;
    if (checking) {
        /* the intern table never shrinks: grow it past what a test script
         * interns at once, so the run's interning cannot resize it */
        pm_object *keep = pm_list_new(rt);
        for (int i = 0; keep && i < 2048; i++) {
            pm_object *w = pm_str_from_format(rt, "pymm-warm-%d", i);
            pm_object *iw = w ? pm_str_intern(rt, w) : NULL;
            int ok = iw && pm_list_append(rt, keep, iw) == 0;
            pm_xdecref(rt, iw);
            pm_xdecref(rt, w);
            if (!ok) break;
        }
        pm_xdecref(rt, keep);
        pm_err_clear(rt);
        if (interp_cycle(rt, cl, &pg, 0) != 0) {
            rc = 1;
            goto out_argv;
        }
        before = bytes_in_use(rt);
    }
    rc = interp_cycle(rt, cl, &pg, 1);
    if (checking) {
        size_t after = bytes_in_use(rt);
        if (after != before) {
            fprintf(stderr, "pymm: %zd bytes not returned after the run\n",
                    (pm_ssize_t)after - (pm_ssize_t)before);
            rc = rc ? rc : 3;
        }
    }
out_argv:
    pm_free(rt, argv);
out:
    pm_free(rt, pg.src);
    return rc;
}
#endif

#ifdef PYMM_HAVE_COMPILER
/* ---- Ctrl-C while code runs ----------------------------------------------
 * A signal handler gets only the signal number, so it finds the runtime
 * through this pointer: set in main() before the handler is installed, and
 * the handler removed before the runtime is freed.  The handler does one
 * async-signal-safe thing, pm_runtime_interrupt (a store to the runtime's
 * volatile sig_atomic_t flag); the VM sees the flag at its next backward
 * jump or function entry and raises KeyboardInterrupt there (ceval.c).
 * This pointer and readline's rl_current are the binary's only writable
 * globals (the library has none: tests/scripts/check-globals.sh). */
static pm_runtime *volatile sigint_runtime;

static void on_sigint_running(int sig) {
    (void)sig;
    pm_runtime *rt = sigint_runtime;
    if (rt) pm_runtime_interrupt(rt);
}

/* As python3: the handler goes in only when SIGINT has its default
 * disposition (a parent that ignores it keeps it ignored).  SA_RESTART: a
 * blocking read in C goes on; the interrupt is raised once Python code
 * runs again. */
static void sigint_install(pm_runtime *rt) {
    struct sigaction sa, old;
    if (sigaction(SIGINT, NULL, &old) < 0 || old.sa_handler != SIG_DFL) return;
    sigint_runtime = rt;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint_running;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

static void sigint_uninstall(void) {
    if (!sigint_runtime) return;
    signal(SIGINT, SIG_DFL);
    sigint_runtime = NULL;
}
#endif

/* The front end's own options (--dis ...): 1 when argv[1] is one. */
static int is_tool_option(const char *opt) {
    static const char *const tools[] = {"--dis", "--code-info", "--compile", "--roundtrip", "--ast",
                                        "--symtable", "--bench-compile"};
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        if (strcmp(opt, tools[i]) == 0) return 1;
    return 0;
}

int main(int argc, char **argv) {
    pm_config cfg;
    const char *err = NULL;
    pm_config_init(&cfg);
    if (argc >= 2 && is_tool_option(argv[1])) {
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
#ifdef PYMM_HAVE_COMPILER
    cmdline cl;
    int rc = parse_cmdline(argc, argv, &cl);
    if (rc >= 0) return rc;
    read_env(&cl);
    {
        int no_program = !cl.command && !cl.module && (!cl.file || strcmp(cl.file, "-") == 0);
        cl.repl = cl.sys.inspect || (no_program && isatty(0));
        cl.banner = cl.repl && no_program && !cl.sys.quiet;
        const char *st = cl.sys.ignore_environment ? NULL : getenv("PYTHONSTARTUP");
        cl.startup = cl.repl && no_program && st && *st ? st : NULL;
    }
    if (cl.sys.ignore_environment) {
        /* -E: PYTHONHASHSEED / PYTHONINTMAXSTRDIGITS do not count (the
         * library reads them with the PYMM_* settings) */
        unsetenv("PYTHONHASHSEED");
        unsetenv("PYTHONINTMAXSTRDIGITS");
    }
    if (pm_config_from_env(&cfg, &err) < 0) {
        if (err && strncmp(err, "PYMM_", 5) != 0) {
            /* CPython's words for its own variables */
            fprintf(stderr, "Fatal Python error: %s: %s\nPython runtime state: preinitialized\n\n",
                    strstr(err, "HASHSEED") ? "config_init_hash_seed" : "config_init_int_max_str_digits", err);
            return 1;
        }
        fprintf(stderr, "pymm: %s\n", err ? err : "bad PYMM_* environment setting");
        return 2;
    }
    if (cl.sys.int_max_str_digits >= 0) cfg.int_max_str_digits = cl.sys.int_max_str_digits;
    if (cl.debug_alloc) cfg.debug_alloc = 1;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    cl.sys.executable = exe;
    pm_runtime *rt = pm_runtime_new(&cfg);
    if (!rt) {
        fputs("pymm: cannot create the runtime\n", stderr);
        return 1;
    }
    sigint_install(rt);
    rc = run_python(rt, &cl);
    sigint_uninstall();
    fflush(stdout);
    if (cl.mallocstats) pm_alloc_stats_print(rt, stderr);
    pm_runtime_free(rt);
#ifdef PYMM_HAVE_COMPILER
    if (rc < 0) {   /* PMI_EXIT_SIGINT: end by the signal, as python3 does */
        signal(-rc, SIG_DFL);
        raise(-rc);
        rc = 1;
    }
#endif
    return rc;
#else
    return usage();
#endif
}
