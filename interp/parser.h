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

/* Parse src[0..len) (UTF-8 unless a coding cookie says latin-1).  Returns
 * the module node, allocated in `a`; NULL on error with *err filled
 * (err->kind != 0, err->filename set to a new ref to filename), or with a
 * pm error set (MemoryError; err->kind == 0).  *err must start cleared. */
mod_ty pmi_parse(pm_runtime *rt, pmi_arena *a, const char *src, size_t len, pm_object *filename,
                 int mode, pmi_syntax_error *err);
#endif
