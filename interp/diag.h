/* Syntax errors of the front end (tokenizer, parser, symbol table, compiler).
 *
 * A pmi_syntax_error holds what CPython's SyntaxError carries (msg, filename,
 * lineno, offset, end_lineno, end_offset, text) so the report printed for an
 * uncaught error is python3's byte for byte:
 *
 *     File "t.py", line 1
 *       x = (1,
 *           ^
 *   SyntaxError: '(' was never closed
 *
 * Lines are 1-based; offsets are 1-based *character* offsets into `text`
 * (CPython converts the parser's UTF-8 byte columns; so does
 * pmi_syntax_error_set).  All objects are owned by the struct;
 * pmi_syntax_error_clear drops them.  kind == 0 means "no syntax error": a
 * function that failed with kind 0 set a pm error (MemoryError) instead.
 */
#ifndef PMI_DIAG_H
#define PMI_DIAG_H
#include <stdio.h>
#include "pymm.h"

#define PMI_SYNTAX_ERROR      1  /* SyntaxError */
#define PMI_INDENTATION_ERROR 2  /* IndentationError */
#define PMI_TAB_ERROR         3  /* TabError */

/* Compile-time warnings: what CPython's parser and compiler raise with
 * PyErr_WarnExplicit while compiling (DeprecationWarning "invalid escape
 * sequence '\\d'", SyntaxWarning '"is" with a literal...' ...), kept in the
 * order raised for the caller to print after compiling, as python3's
 * warnings module prints them:
 *
 *     t.py:2: SyntaxWarning: "is" with a literal. Did you mean "=="?
 *       if x is 1:
 *
 * A pmi_syntax_error carries a pointer to the caller's list (NULL: the
 * warnings are dropped); the front end appends to it. */
#define PMI_WARN_SYNTAX      1  /* SyntaxWarning (shown by python3's default filters) */
#define PMI_WARN_DEPRECATION 2  /* DeprecationWarning (hidden by default: -W default shows it) */

typedef struct pmi_warning {
    struct pmi_warning *next;     /* the next one raised */
    int category;                 /* PMI_WARN_* */
    pm_ssize_t lineno;            /* 1-based line */
    const void *key;              /* the source text it is about: one warning per key (or NULL) */
    char *line;                   /* that line stripped of surrounding blanks (pm_malloc'd) */
    char msg[];                   /* the message (UTF-8) */
} pmi_warning;

typedef struct pmi_warnings {
    pmi_warning *first;           /* oldest (pm_malloc'd records) */
    pmi_warning *last;            /* newest */
    int count;                    /* records in the list */
} pmi_warnings;

/* An empty list. */
void pmi_warnings_init(pmi_warnings *w);
/* Free every record. */
void pmi_warnings_clear(pm_runtime *rt, pmi_warnings *w);
/* Print them as python3 does when running `filename` (its default
 * filters: SyntaxWarnings only; all != 0: every warning, as -W default).
 * A record's line is printed after it, indented by two spaces, unless
 * empty. */
void pmi_warnings_print(const pmi_warnings *w, const char *filename, int all, FILE *out);

typedef struct pmi_syntax_error {
    int kind;                     /* 0 none, PMI_SYNTAX_ERROR, PMI_INDENTATION_ERROR, PMI_TAB_ERROR */
    pm_object *msg;               /* str: the message */
    pm_object *filename;          /* str: the file name, or NULL */
    pm_ssize_t lineno;            /* 1-based line of the error (0: none) */
    pm_ssize_t offset;            /* 1-based character offset in text (0: none) */
    pm_ssize_t end_lineno;        /* end line (0: none) */
    pm_ssize_t end_offset;        /* 1-based character offset just past the range (0: none) */
    pm_object *text;              /* str: the source line (with its newline), or NULL */
    pmi_warnings *warnings;       /* where warnings go (the caller's), NULL: dropped; kept by clear */
} pmi_syntax_error;

/* Append a warning to e->warnings (nothing when NULL): category
 * PMI_WARN_*, at `lineno` of src[0..len) (the line is copied for the
 * report; src NULL: none), key: a pointer into the source the warning is
 * about -- a second warning with the same non-NULL key is dropped (the
 * parser may look at a token twice).  0, or -1 on MemoryError. */
int pmi_warn(pm_runtime *rt, pmi_syntax_error *e, int category, const char *src, size_t len,
             pm_ssize_t lineno, const void *key, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* Zero a fresh struct (no objects held). */
void pmi_syntax_error_init(pmi_syntax_error *e);
/* Drop the held objects and zero the struct (but for `warnings`). */
void pmi_syntax_error_clear(pm_runtime *rt, pmi_syntax_error *e);
/* Fill e (clearing what it held) from a position in src: byte columns
 * (0-based) are converted to 1-based character offsets of line `lineno`'s
 * text (end_col_byte on end_lineno's).  end_lineno < 0: no end position.
 * The filename is left as it was (the caller sets e->filename, a new ref).
 * Returns 0, or -1 on MemoryError (e->kind left 0). */
int pmi_syntax_error_set(pm_runtime *rt, pmi_syntax_error *e, int kind, const char *src, size_t len,
                         pm_ssize_t lineno, pm_ssize_t col_byte, pm_ssize_t end_lineno,
                         pm_ssize_t end_col_byte, const char *fmt, ...)
    __attribute__((format(printf, 10, 11)));
/* Print python3's report of an uncaught SyntaxError when running a file
 * (traceback.print_exception's SyntaxError block).  -1 on error. */
int pmi_syntax_error_print(pm_runtime *rt, const pmi_syntax_error *e, FILE *out);
/* The error class name: "SyntaxError", "IndentationError" or "TabError". */
const char *pmi_syntax_error_name(int kind);
#endif
