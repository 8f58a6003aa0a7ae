/*
 * interp/repl.h -- the interactive prompt (CPython 3.11's interactive loop,
 * PyRun_InteractiveLoopFlags, and the exit/quit builtins of site.py).
 *
 * The loop is here; reading a line is the caller's (main.c), through a
 * reader callback, so this file needs no line-editing library and keeps
 * no state of its own: GNU readline, a plain stdio reader, or a test's
 * scripted lines all fit behind pmi_repl_reader.
 */
#ifndef PMI_REPL_H
#define PMI_REPL_H
#include "interp.h"

#include <stddef.h>

/* What a reader returns. */
enum {
    PMI_READ_LINE = 0,      /* *line holds the line (ending in '\n' unless EOF cut it) */
    PMI_READ_EOF = 1,       /* end of input (Ctrl-D at the start of a line) */
    PMI_READ_INTR = 2,      /* Ctrl-C while reading: KeyboardInterrupt at the prompt */
    PMI_READ_NOMEM = 3      /* out of memory */
};

/* Reads one line after showing `prompt` (UTF-8).  On PMI_READ_LINE *line
 * is a NUL-terminated buffer from the C library's malloc (the loop frees
 * it) and *len its length. */
typedef int (*pmi_repl_reader)(void *ctx, const char *prompt, char **line, size_t *len);

/* The interactive loop over `globals` (the __main__ dict, borrowed): sets
 * sys.ps1 / sys.ps2 when absent (">>> ", "... "), then reads statements
 * until EOF, compiling each in 'single' mode (expression values go to
 * sys.displayhook) and printing errors without ending the session.
 * Returns the exit status: 0 at EOF, SystemExit's code otherwise.  Never
 * leaves an error pending. */
int pmi_repl_run(pm_runtime *rt, pm_object *globals, pmi_repl_reader read, void *ctx);

/* builtins.exit and builtins.quit as site.py makes them: objects whose
 * repr is "Use exit() or Ctrl-D (i.e. EOF) to exit" and whose call raises
 * SystemExit(code).  0, or -1 with the error set. */
int pmi_repl_add_quitters(pm_runtime *rt);

#endif
