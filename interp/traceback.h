/*
 * interp/traceback.h — tracebacks, frame objects and the report of an
 * uncaught exception (CPython 3.11's traceback.c / frameobject.c face).
 *
 * Contract with the evaluation loop (ceval.c, interp.c):
 *   - when an error is raised in, or passes through, a frame, the loop calls
 *     pmi_traceback_here(rt, f) once per frame, with f->instr at the
 *     instruction that failed (the error is pending);
 *   - a pmi_frame's frame_obj (NULL until someone asks) is made by
 *     pmi_frame_object_get; pmi_frame_pop calls pmi_frame_object_detach
 *     before the frame's references drop, so a frame object outlives its
 *     frame (a traceback keeps it).
 */
#ifndef PYMM_INTERP_TRACEBACK_H
#define PYMM_INTERP_TRACEBACK_H

#include <stdio.h>

#include "interp.h"
#include "code.h"

/* Adds a traceback entry for f at its current instruction to the pending
 * exception (exc.__traceback__ gains a new head).  0, or -1 with
 * MemoryError replacing nothing (the original error stays pending). */
int pmi_traceback_here(pm_runtime *rt, pmi_frame *f);

/* The frame object of f (made on first use, then cached in f->frame_obj).
 * New ref, or NULL with MemoryError. */
pm_object *pmi_frame_object_get(pm_runtime *rt, pmi_frame *f);
/* f is being popped and f->frame_obj is set: the frame object takes what it
 * needs from f (it no longer points at f afterwards). */
void pmi_frame_object_detach(pm_runtime *rt, pmi_frame *f);

/* Where reports go.  CPython writes its reports — an uncaught exception,
 * an unraisable one, a failing hook — to sys.stderr, whatever object it is
 * now (a StringIO catches them; None drops them).  A report is rendered
 * into a memory stream (out), then pmi_report_end writes it there: through
 * the object's write() and flush(), straight to the C stderr when sys has
 * no stderr, the text is not UTF-8, the write fails, or there was no
 * memory for the stream (a report is never lost for want of a place).  The
 * pending error, if any, is kept. */
typedef struct pmi_report {
    FILE *out;                  /* write the report here */
    char *buf;                  /* the memory stream's buffer (libc's) */
    size_t len;
} pmi_report;
void pmi_report_begin(pm_runtime *rt, pmi_report *r);
void pmi_report_end(pm_runtime *rt, pmi_report *r);

/* Prints exc as sys.excepthook does (chained exceptions, tracebacks with
 * source lines and 3.11's markers, "Kind: message") to out. */
void pmi_exception_print(pm_runtime *rt, pm_object *exc, FILE *out);

/* The default unraisable report on stderr: "<where>: repr(obj)" (where
 * NULL: "Exception ignored in"), then exc with its traceback.  Any of the
 * three may be NULL.  Leaves no error set. */
void pmi_unraisable_print(pm_runtime *rt, const char *where, pm_object *obj, pm_object *exc);

/* The pending error is uncaught at the top level: reports it as python3
 * does (SystemExit: no report, its code decides; anything else: printed to
 * stderr) and clears it.  Returns the process exit status (0..255), or
 * PMI_EXIT_SIGINT (below) for KeyboardInterrupt. */
int pmi_handle_uncaught(pm_runtime *rt);

/* ---- frame objects (frameobject.c) --------------------------------------
 * Type "frame": f_code, f_globals, f_builtins, f_locals, f_lineno, f_lasti,
 * f_back, f_trace (always None); repr "<frame at 0x..., file 'x.py', line 3,
 * code <module>>".  Gc-tracked: once detached it owns copies of its frame's
 * locals, which may hold the exception whose traceback holds the frame
 * object. */
extern const pm_type pmi_frame_type;
static inline int pmi_frame_object_check(const pm_object *o) { return o->ob_type == &pmi_frame_type; }
/* The code object of a frame object (BORROWED; never NULL). */
pm_object *pmi_frame_object_code(pm_object *fo);
/* Its globals (BORROWED; NULL after the collector cleared it). */
pm_object *pmi_frame_object_globals(pm_object *fo);
/* Its builtins (BORROWED; NULL after the collector cleared it). */
pm_object *pmi_frame_object_builtins(pm_object *fo);
/* f_locals: NEW ref (the module frame's mapping, or a dict snapshot of a
 * function frame's fast locals), or NULL with an error. */
pm_object *pmi_frame_object_locals(pm_runtime *rt, pm_object *fo);

/* ---- traceback objects (traceback.c) -------------------------------------
 * Type "traceback": tb_frame, tb_lasti (byte offset of the instruction),
 * tb_lineno, tb_next (writable: a traceback or None, loops refused). */
extern const pm_type pmi_traceback_type;
static inline int pmi_traceback_check(const pm_object *o) { return o->ob_type == &pmi_traceback_type; }
/* A new traceback entry: next (a traceback or NULL), frame (a frame
 * object), both borrowed.  NEW ref, or NULL with MemoryError. */
pm_object *pmi_traceback_new(pm_runtime *rt, pm_object *next, pm_object *frame, int lasti, int lineno);

/* The location of the instruction at byte offset `lasti` of code (a run of
 * the location table; all fields -1 when the table has no entry). */
void pmi_traceback_location(pm_object *code, int lasti, pmi_code_pos *pos);
/* Byte offset of f's current instruction in its code (f_lasti). */
int pmi_frame_lasti(const pmi_frame *f);

/* Prints a traceback chain (header and entries, as PyTraceBack_Print) to
 * out; nothing when tb is NULL or None. */
void pmi_traceback_print(pm_runtime *rt, pm_object *tb, FILE *out);

/* The interpreter's sys.unraisablehook (installed by pmi_interp_init):
 * "Exception ignored in: <repr>", the traceback and "Kind: message" on
 * stderr, as python3's default hook. */
void pmi_traceback_install_unraisable_hook(pm_runtime *rt);

/* What pmi_handle_uncaught returns for KeyboardInterrupt: a negative
 * status -N means "end by signal N", as python3 kills itself with SIGINT
 * (a parent sees -2, a shell 130); the caller does so after its cleanup:
 *     signal(-status, SIG_DFL); raise(-status);
 * Other statuses are 0..255 (SystemExit's code is taken modulo 256, as
 * exit() does). */
#define PMI_EXIT_SIGINT (-2)

#endif
