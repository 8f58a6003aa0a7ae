/*
 * interp/import.h — modules and the import statement.
 *
 * The evaluation loop calls the first three for IMPORT_NAME, IMPORT_FROM
 * and IMPORT_STAR; everything about finding, loading and caching modules
 * (sys.modules, sys.path, built-in modules, .py files, packages) lives
 * behind them.  main.c sets up the built-in modules and __main__ with
 * pmi_import_setup / pmi_main_module, and tears them down with
 * pmi_import_fini (CPython's finalization: module dicts are cleared, then
 * sys.modules).
 */
#ifndef PYMM_INTERP_IMPORT_H
#define PYMM_INTERP_IMPORT_H

#include "interp.h"
#include "moduleobject.h"

/* __import__(name, f's globals, locals, fromlist, level) as IMPORT_NAME
 * does it: name a str, fromlist None or a tuple, level an int (all
 * borrowed).  New ref to the module, or NULL with ImportError /
 * ModuleNotFoundError (CPython's texts) or another error pending. */
pm_object *pmi_import_name(pm_runtime *rt, pmi_frame *f, pm_object *name, pm_object *fromlist,
                           pm_object *level);
/* The same with the importer's globals given (a dict or NULL): the
 * builtin __import__(name, globals, locals, fromlist, level). */
pm_object *pmi_import_ex(pm_runtime *rt, pm_object *name, pm_object *globals, pm_object *fromlist,
                         pm_object *level);
/* `from module import name` (IMPORT_FROM): new ref, or NULL with
 * ImportError "cannot import name ..." pending. */
pm_object *pmi_import_from(pm_runtime *rt, pm_object *module, pm_object *name);
/* `from module import *` into f's locals (IMPORT_STAR): 0 or -1. */
int pmi_import_star(pm_runtime *rt, pmi_frame *f, pm_object *module);

/* import name (absolute, dotted; a C string): the module itself (not the
 * top package).  New ref, or NULL with the error. */
pm_object *pmi_import_module(pm_runtime *rt, const char *name);

/* ---- built-in modules ------------------------------------------------------ */

/* One entry of the built-in module table (import.c): the module's name and
 * the function making it (new ref, NULL + error).  To add a module, add a
 * line to the table in import.c. */
typedef struct pmi_builtin_module {
    const char *name;               /* "sys" */
    pm_object *(*init)(pm_runtime *rt);
} pmi_builtin_module;

pm_object *pmi_sysmodule_init(pm_runtime *rt);    /* sysmodule.c */
pm_object *pmi_gcmodule_init(pm_runtime *rt);     /* gcmodule.c */
pm_object *pmi_math_init(pm_runtime *rt);        /* mod_math.c */
pm_object *pmi_atexit_init(pm_runtime *rt);      /* mod_atexit.c */
pm_object *pmi_functools_init(pm_runtime *rt);   /* mod_functools.c */
pm_object *pmi_weakref_module_init(pm_runtime *rt); /* mod_weakref.c */
pm_object *pmi_collections_init(pm_runtime *rt); /* mod_collections.c */
pm_object *pmi_random_init(pm_runtime *rt);      /* mod_random.c */
pm_object *pmi_time_init(pm_runtime *rt);        /* mod_time.c */
pm_object *pmi_itertools_init(pm_runtime *rt);   /* mod_itertools.c */
pm_object *pmi_tracemalloc_init(pm_runtime *rt); /* mod_tracemalloc.c */
pm_object *pmi_pymm_init(pm_runtime *rt);        /* mod_pymm.c */
/* mod_pymm.c: PYMM_GCTRACE / PYMM_HEAPMAP, from pmi_interp_init (end) and
 * pmi_interp_fini (start). */
void pmi_pymm_at_start(pm_runtime *rt);
void pmi_pymm_at_exit(pm_runtime *rt);
/* Runs the atexit callbacks (LIFO) if the module was imported; main.c calls
 * it before tearing the modules down.  Keeps a pending error as it is. */
void pmi_atexit_run(pm_runtime *rt);

/* The rest of fp, or the whole file at path, in a pm_malloc'ed buffer with
 * a NUL after its *len bytes; NULL with MemoryError (or, for a path that
 * cannot be opened, ValueError "can't open file '...'"). */
char *pmi_read_stream(pm_runtime *rt, FILE *fp, size_t *len);
char *pmi_read_source(pm_runtime *rt, const char *path, size_t *len);

/* What the command line decides about sys (main.c fills it). */
typedef struct pmi_sys_config {
    int argc;                       /* items of sys.argv */
    char *const *argv;              /* sys.argv (UTF-8) */
    int orig_argc;                  /* items of sys.orig_argv */
    char *const *orig_argv;         /* the whole command line */
    const char *path0;              /* sys.path[0], NULL: none (-P, -I) */
    const char *pythonpath;         /* PYTHONPATH (':'-separated) or NULL */
    const char *libdir;             /* pymm's own Python modules (lib/), after
                                     * PYTHONPATH as CPython's stdlib is; NULL: none */
    const char *executable;         /* sys.executable ("" when unknown) */
    int optimize;                   /* -O count */
    int dont_write_bytecode;        /* -B / PYTHONDONTWRITEBYTECODE */
    int no_user_site;               /* -s */
    int no_site;                    /* -S */
    int ignore_environment;         /* -E */
    int verbose;                    /* -v count */
    int quiet;                      /* -q */
    int inspect;                    /* -i */
    int isolated;                   /* -I */
    int bytes_warning;              /* -b count */
    int hash_randomization;         /* 0 when PYTHONHASHSEED=0 */
    int dev_mode;                   /* -X dev */
    int safe_path;                  /* -P */
    int int_max_str_digits;         /* -X int_max_str_digits / env, -1: default */
} pmi_sys_config;

/* Defaults (python3 with no options). */
void pmi_sys_config_init(pmi_sys_config *c);
/* -X tracemalloc[=N] / PYTHONTRACEMALLOC=N in c: starts tracing (mod_tracemalloc.c): 0 or -1. */
int pmi_tracemalloc_cmdline(pm_runtime *rt, const pmi_sys_config *c);

/* -X importtime / PYTHONPROFILEIMPORTTIME: from now on every module loaded
 * (not found in sys.modules) is reported on stderr as python3's
 * "import time: self [us] | cumulative | imported package" lines. */
void pmi_import_set_importtime(pm_runtime *rt, int on);

/* Puts builtins and sys into sys.modules, sys configured from c: 0 or -1. */
int pmi_import_setup(pm_runtime *rt, const pmi_sys_config *c);
/* Applies c to an existing sys module (argv, path, flags ...): 0 or -1. */
int pmi_sys_configure(pm_runtime *rt, pm_object *sys, const pmi_sys_config *c);
/* sys.<name> = v (v borrowed), for the parts that own sys.stdout & co:
 * 0 or -1 (SystemError when sys is not set up). */
int pmi_sys_set(pm_runtime *rt, const char *name, pm_object *v);
/* sys.<name>: BORROWED; NULL with no error when absent (or sys is not set
 * up), NULL with MemoryError when the lookup failed. */
pm_object *pmi_sys_get(pm_runtime *rt, const char *name);
/* An unraisable error for sys.unraisablehook, when the program replaced
 * it: the hook is called with an UnraisableHookArgs (its own failure is
 * reported as coming from it) and 1 returned; 0 when the default report
 * is to be printed (no hook replaced, or no memory for its argument). */
int pmi_sys_run_unraisablehook(pm_runtime *rt, const char *where, pm_object *obj, pm_object *exc);
/* sys.flags.optimize (0 when sys is absent). */
int pmi_sys_optimize(pm_runtime *rt);

/* A new module `__main__` (not yet in sys.modules) with __builtins__ set,
 * __file__ = file when not NULL.  New ref. */
pm_object *pmi_main_module(pm_runtime *rt, const char *file);
/* Runs a .py file (path) as module `m` (already in sys.modules): compile
 * and exec in its dict.  0, or -1 with the error (SyntaxError raised as
 * an exception object). */
int pmi_import_exec_file(pm_runtime *rt, pm_object *m, const char *path);
/* Finds module `name` (absolute, dotted) along sys.path / its package's
 * __path__ without running it (-m).  Returns 1 and the file in *path (a
 * pm_malloc'ed string the caller frees; a package gives its __main__.py
 * when main_of_package, and *is_pkg 1), 0 when not found (no error), -1 on
 * error.  Parent packages are imported. */
int pmi_import_find_file(pm_runtime *rt, const char *name, char **path, int *is_pkg);

/* Interpreter teardown, before pmi_interp_fini: clears every module's dict
 * and sys.modules (breaks the cycles through module globals). */
void pmi_import_fini(pm_runtime *rt);

#endif
