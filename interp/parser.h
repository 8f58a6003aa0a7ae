/* Source text to CPython 3.11's AST (see ast.h), with CPython's positions
 * and syntax errors (see diag.h). */
#ifndef PMI_PARSER_H
#define PMI_PARSER_H
#include "ast.h"
#include "diag.h"

#define PMI_MODE_EXEC      0  /* a module: 'exec' */
#define PMI_MODE_EVAL      1  /* one expression: 'eval' */
#define PMI_MODE_SINGLE    2  /* one interactive statement: 'single' */
#define PMI_MODE_FUNC_TYPE 3  /* a function type comment: 'func_type' */

/* Parse src[0..len) (UTF-8 unless a coding cookie says otherwise: latin-1,
 * cp1252 and koi8-r are decoded, other encodings are a SyntaxError).
 * Returns the module node (Module, Expression, Interactive or FunctionType
 * by mode), allocated in `a`; *err is then empty.  NULL on error with *err
 * filled (err->kind != 0, err->filename a new ref to filename; the caller
 * drops it with pmi_syntax_error_clear), or with a pm error set
 * (MemoryError, also for source too deeply nested to parse; err->kind == 0).
 * *err must start empty (pmi_syntax_error_init).  Errors that CPython
 * reports from its symbol table or compiler ('return' outside function,
 * duplicate argument, nonlocal at module level, starred-assignment rules)
 * are not the parser's: the tree is returned. */
mod_ty pmi_parse(pm_runtime *rt, pmi_arena *a, const char *src, size_t len, pm_object *filename,
                 int mode, pmi_syntax_error *err);
#endif
