/*
 * interp/builtins.h — the builtins module's functions and the std streams.
 *
 * The builtins live in four files:
 *   builtins.c   the builtin-function type, the registration of every
 *                name (functions, types, exceptions, constants), the
 *                argument checks shared by the others, the small builtins;
 *   bltinfuncs.c the iterating ones (min/max, sorted, sum, iter/next, round,
 *                isinstance/issubclass, dir/vars);
 *   bltinexec.c  the frame-dependent ones (globals, locals, exec, eval,
 *                compile, input, __import__) and print;
 *   fileio.c     file objects (open()) and sys.stdout/stderr/stdin.
 *
 * Every builtin takes the vectorcall arguments (args[nargs..] holding the
 * keyword values named by kwnames) and returns a NEW reference, or NULL
 * with the error set; argument errors use CPython 3.11's texts.
 */
#ifndef PYMM_INTERP_BUILTINS_H
#define PYMM_INTERP_BUILTINS_H

#include "interp.h"

/* The implementation of one builtin. */
typedef pm_object *(*pmi_builtin_fn)(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                                     pm_object *kwnames);

/* One builtin function: a const table entry (the tables end with name NULL). */
typedef struct pmi_builtin_def {
    const char *name;               /* the name in builtins (and __name__) */
    pmi_builtin_fn fn;              /* the implementation */
    unsigned char counted;          /* 1: a call counts one recursion level (CPython 3.11's
                                       METH_O, METH_NOARGS and METH_VARARGS builtins, len
                                       excepted: its CALL is specialized); 0: METH_FASTCALL,
                                       called uncounted */
} pmi_builtin_def;

/* 1 or 0: o is one of the builtins' functions, whose call counts a
 * recursion level (1) or not (0: METH_FASTCALL in 3.11, and len); -1: o
 * is something else. */
int pmi_builtin_counted(const pm_object *o);

/* The tables of the other files (builtins.c registers them). */
extern const pmi_builtin_def pmi_bltin_funcs[];
extern const pmi_builtin_def pmi_bltin_exec[];

/* ---- argument checks (1 = fine, 0 = TypeError set) ---------------------- */

/* "NAME() takes no keyword arguments". */
int pmi_bi_no_kw(pm_runtime *rt, const char *name, pm_object *kwnames);
/* METH_O / METH_NOARGS style: "NAME() takes exactly one argument (N given)",
 * "NAME() takes no arguments (N given)"; n is 0 or 1. */
int pmi_bi_exact(pm_runtime *rt, const char *name, pm_ssize_t nargs, pm_object *kwnames, int n);
/* _PyArg_CheckPositional: "NAME expected at least MIN argument(s), got N";
 * also rejects keywords. */
int pmi_bi_positional(pm_runtime *rt, const char *name, pm_ssize_t nargs, pm_object *kwnames,
                      pm_ssize_t min, pm_ssize_t max);
/* Argument-clinic keywords: names[] (NULL-ended) are the parameters, the
 * first npos_only positional-only, at most maxpos positional, the first
 * minreq required; fills out[] (NULL when absent).  "NAME() takes at most N
 * arguments (M given)", "NAME() missing required argument 'x' (pos 1)",
 * "'x' is an invalid keyword argument for NAME()". */
int pmi_bi_parse(pm_runtime *rt, const char *fname, const char *const *names, pm_ssize_t npos_only,
                 pm_ssize_t maxpos, pm_ssize_t minreq, pm_object *const *args, pm_ssize_t nargs,
                 pm_object *kwnames, pm_object **out);


/* ---- std streams and files (fileio.c) ------------------------------------ */

/* Makes the runtime's sys.stdin / sys.stdout / sys.stderr text streams
 * over fds 0, 1, 2 with CPython 3.11's buffering (stdout: line-buffered on
 * a terminal, else blocks of the pipe's/file's st_blksize; stderr:
 * line-buffered, errors='backslashreplace'; PYTHONUNBUFFERED=<non-empty>:
 * both write through) and keeps them in in->stdio.  Called once by
 * pmi_interp_init; 0, or -1 with MemoryError (nothing kept). */
int pmi_stdio_init(pm_runtime *rt, pmi_interp *in);
/* Flushes sys.stdout and sys.stderr (whatever objects they are now; the
 * runtime's own streams when there is no sys) — at exit, and before the
 * uncaught-exception report is written.  Errors are cleared. */
void pmi_stdio_flush(pm_runtime *rt);
/* Flushes and drops the streams (pmi_interp_fini). */
void pmi_stdio_fini(pm_runtime *rt, pmi_interp *in);
/* The runtime's own stream for fd 0, 1 or 2: BORROWED (NULL before init).
 * The sys module stores these as sys.stdin/stdout/stderr and __stdin__... */
pm_object *pmi_stdio_get(pm_runtime *rt, int fd);
/* sys.stdout (which 1) / sys.stderr (2) / sys.stdin (0) as print() and
 * input() see them: the sys module's attribute when sys exists, else the
 * runtime's own stream.  NEW ref; NULL without an error when sys has no
 * such attribute, NULL with an error on failure. */
pm_object *pmi_stdio_current(pm_runtime *rt, int which);
/* Writes text (a str) to file: the stream's own path for pymm files, else
 * file.write(text).  0 / -1. */
int pmi_file_write_str(pm_runtime *rt, pm_object *file, pm_object *text);
/* file.flush(): 0 / -1. */
int pmi_file_flush(pm_runtime *rt, pm_object *file);
/* file.readline() as a str: NEW ref. */
pm_object *pmi_file_readline(pm_runtime *rt, pm_object *file);
/* open(file, mode='r', buffering=-1, encoding=None, errors=None,
 * newline=None, closefd=True, opener=None). */
pm_object *pmi_builtin_open(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames);

#endif
