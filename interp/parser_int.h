/* Internals shared by parser.c (grammar) and pstring.c (string literals and
 * f-strings).  Not part of any contract. */
#ifndef PMI_PARSER_INT_H
#define PMI_PARSER_INT_H
#include "parser.h"
#include "tokenizer.h"

#define PMI_PARSER_MAXDEPTH 3000   /* C recursion guard (CPython: MAXSTACK 6000) */

typedef struct pmi_parser {
    pm_runtime *rt;           /* runtime: allocation, objects */
    pmi_arena *arena;         /* where nodes and their objects live */
    pmi_tokenizer *tz;        /* token source */
    pmi_syntax_error *err;    /* the error record */
    pmi_token *toks;          /* tokens read so far (pm_malloc'd) */
    int ntoks;                /* tokens in toks */
    int cap;                  /* allocated entries of toks */
    int pos;                  /* next token to consume */
    int failed;               /* a hard error (syntax or memory) is recorded */
    int tok_failed;           /* the error came from the tokenizer */
    int call_invalid;         /* second pass: rules for common mistakes raise errors */
    int ntoks_first;          /* tokens read by the first pass (for the generic error) */
    int depth;                /* current recursion depth */
    int mode;                 /* PMI_MODE_* */
    const char *src;          /* the decoded source */
    size_t srclen;            /* its length */
    int fstring;              /* parsing an f-string replacement field */
    struct pmi_parser *parent;/* the enclosing parser of an f-string field */
} pmi_parser;

/* The token at pos+k (fetching as needed); NULL after a tokenizer error. */
pmi_token *pmi_p_peek(pmi_parser *p, int k);
/* Record a syntax error at byte positions; sets p->failed; returns NULL. */
void *pmi_p_error(pmi_parser *p, int kind, int lineno, int col, int end_lineno, int end_col,
                  const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Mark a pm error (MemoryError) as the failure; returns NULL. */
void *pmi_p_nomem(pmi_parser *p);
/* Keep o alive in the arena (steals o); NULL on failure. */
pm_object *pmi_p_own(pmi_parser *p, pm_object *o);
/* Parse one replacement-field expression at [start, end) of the source;
 * NULL on error (p->failed set). */
expr_ty pmi_p_fstring_expr(pmi_parser *p, const char *start, const char *end, int lineno,
                           const char *line_start);

/* pstring.c: the atom `strings`: tokens [first, last] are STRING tokens
 * (implicitly concatenated).  Returns a Constant or JoinedStr. */
expr_ty pmi_p_strings(pmi_parser *p, int first, int last);
#endif
