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

/* Prints exc as sys.excepthook does (chained exceptions, tracebacks with
 * source lines and 3.11's markers, "Kind: message") to out. */
void pmi_exception_print(pm_runtime *rt, pm_object *exc, FILE *out);

/* The pending error is uncaught at the top level: reports it as python3
 * does (SystemExit: no report, its code decides; anything else: printed to
 * stderr) and clears it.  Returns the process exit status. */
int pmi_handle_uncaught(pm_runtime *rt);

#endif
