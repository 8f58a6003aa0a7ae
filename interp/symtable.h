/*
 * interp/symtable.h -- scopes of a module (CPython 3.11's symtable.c).
 *
 * One pmi_ste ("symbol table entry") per block: the module, each class
 * body, each function/lambda body, each comprehension, and (under
 * `from __future__ import annotations`) each annotation.  An entry maps
 * every name used in the block to flags (how the block uses it) and, after
 * analysis, a scope (where the name lives at run time):
 *
 *   module            x = 1; def f(a): ... lambda: x
 *    |- function f      a: PARAM -> LOCAL     x: USE -> GLOBAL_IMPLICIT
 *    |    `- lambda     ...
 *
 * The compiler looks up an entry by the AST node that opened it and asks
 * the scope of each name to choose LOAD_FAST / LOAD_DEREF / LOAD_GLOBAL /
 * LOAD_NAME, and the CELL/FREE sets to lay out co_cellvars/co_freevars.
 */
#ifndef PMI_SYMTABLE_H
#define PMI_SYMTABLE_H
#include <stdio.h>
#include "ast.h"
#include "diag.h"

/* Flags of a name in one block (CPython's DEF_*). */
#define PMI_DEF_GLOBAL     0x001  /* global statement */
#define PMI_DEF_LOCAL      0x002  /* assigned in the block */
#define PMI_DEF_PARAM      0x004  /* a parameter */
#define PMI_DEF_NONLOCAL   0x008  /* nonlocal statement */
#define PMI_DEF_USE        0x010  /* read in the block */
#define PMI_DEF_FREE       0x020  /* used here, bound in an enclosing function */
#define PMI_DEF_FREE_CLASS 0x040  /* free in a method, also bound in the class */
#define PMI_DEF_IMPORT     0x080  /* bound by import */
#define PMI_DEF_ANNOT      0x100  /* annotated */
#define PMI_DEF_COMP_ITER  0x200  /* comprehension iteration variable */
#define PMI_DEF_BOUND (PMI_DEF_LOCAL | PMI_DEF_PARAM | PMI_DEF_IMPORT)

/* Scopes, stored in the flags at PMI_SCOPE_OFFSET. */
#define PMI_SCOPE_OFFSET 11
#define PMI_SCOPE_MASK   7
#define PMI_SCOPE_LOCAL           1
#define PMI_SCOPE_GLOBAL_EXPLICIT 2
#define PMI_SCOPE_GLOBAL_IMPLICIT 3
#define PMI_SCOPE_FREE            4
#define PMI_SCOPE_CELL            5

typedef enum pmi_block_type {
    PMI_BLOCK_FUNCTION = 0,
    PMI_BLOCK_CLASS = 1,
    PMI_BLOCK_MODULE = 2,
    PMI_BLOCK_ANNOTATION = 3
} pmi_block_type;

/* ste->comprehension */
#define PMI_COMP_NONE 0
#define PMI_COMP_LIST 1
#define PMI_COMP_GEN  2
#define PMI_COMP_SET  3
#define PMI_COMP_DICT 4

typedef struct pmi_ste pmi_ste;
struct pmi_ste {
    void *key;                 /* the AST node that opened the block (mod, stmt or expr) */
    pm_object *name;           /* str: "top", function/class name, "lambda", "listcomp", ... */
    pm_object *symbols;        /* dict str -> int: flags | scope << PMI_SCOPE_OFFSET */
    pm_object *varnames;       /* list of str: parameters in order */
    pmi_ste **children;        /* nested blocks, in source order */
    int nchildren;             /* used entries of children */
    int achildren;             /* allocated entries of children */
    pmi_block_type type;       /* function, class, module or annotation */
    int nested;                /* inside a function (or is nested block of one) */
    int free;                  /* has free variables */
    int child_free;            /* some child block has free variables */
    int generator;             /* contains yield / is a generator expression */
    int coroutine;             /* async def, await, or async comprehension */
    int comprehension;         /* PMI_COMP_*: which comprehension this block is */
    int varargs;               /* has *args */
    int varkeywords;           /* has **kwargs */
    int returns_value;         /* a `return expr` occurs */
    int needs_class_closure;   /* class body needing the __class__ cell */
    int comp_iter_target;      /* visiting a comprehension's target now */
    int comp_iter_expr;        /* depth of comprehension iterable expressions */
    int lineno, col_offset, end_lineno, end_col_offset; /* where the block starts */
    /* global/nonlocal directives: where each name was declared */
    struct pmi_ste_directive {
        pm_object *name;       /* str (borrowed from symbols' keys) */
        int lineno, col_offset, end_lineno, end_col_offset; /* the statement */
    } *directives;             /* array */
    int ndirectives;           /* used entries */
    int adirectives;           /* allocated entries */
};

typedef struct pmi_symtable {
    pm_runtime *rt;            /* the runtime everything is allocated from */
    pm_object *filename;       /* str, borrowed */
    const char *src;           /* source text for error positions (may be NULL) */
    size_t srclen;             /* its length */
    pmi_syntax_error *err;     /* where a SyntaxError goes */
    pmi_ste *top;              /* the module block */
    pmi_ste *cur;              /* block being visited */
    pmi_ste **stack;           /* enclosing blocks of cur */
    int nstack, astack;        /* used / allocated entries of stack */
    pmi_ste **all;             /* every block (open-addressed by key) */
    int nall, aall;            /* used / allocated slots of all (power of two) */
    pm_object *global;         /* the module's symbols dict (borrowed from top) */
    pm_object *private_name;   /* class name for mangling, or NULL (borrowed) */
    pm_object *owned;          /* list: mangled names and other made objects */
    int future;                /* PMI_CO_FUTURE_* flags of the module */
    int depth;                 /* recursion depth of the visitor */
} pmi_symtable;

/* Build and analyse the symbol table of m.  src/len (may be NULL) serve the
 * error text.  Returns NULL on error: SyntaxError in *err (kind != 0) or a pm
 * error (MemoryError). */
pmi_symtable *pmi_symtable_build(pm_runtime *rt, mod_ty m, pm_object *filename, int future,
                                 const char *src, size_t len, pmi_syntax_error *err);
void pmi_symtable_free(pmi_symtable *st);
/* The block opened by AST node key, or NULL. */
pmi_ste *pmi_symtable_lookup(pmi_symtable *st, void *key);
/* Flags of name in ste (0 when absent). */
long pmi_ste_flags(pm_runtime *rt, pmi_ste *ste, pm_object *name);
/* Scope of name in ste (0 when absent). */
int pmi_ste_scope(pm_runtime *rt, pmi_ste *ste, pm_object *name);
/* Mangle name for class `private_name` (CPython's _Py_Mangle): NEW ref. */
pm_object *pmi_mangle(pm_runtime *rt, pm_object *private_name, pm_object *name);
/* Scan a module for `from __future__ import`; returns the PMI_CO_FUTURE_*
 * flags, or -1 with *err filled.  *ff_lineno (may be NULL): line of the last
 * future import of the leading run, -1 when none. */
int pmi_future_features(pm_runtime *rt, mod_ty m, pm_object *filename, const char *src,
                        size_t len, pmi_syntax_error *err, int *ff_lineno);

/* Print every block: a format tests/compile/symtable_dump.py prints from
 * python3's symtable module.  0 / -1 (SyntaxError in *err or pm error). */
int pmi_symtable_dump(pm_runtime *rt, mod_ty m, pm_object *filename, FILE *out);
/* The same with the source (for error text) and the SyntaxError record. */
int pmi_symtable_dump_err(pm_runtime *rt, mod_ty m, pm_object *filename, const char *src,
                          size_t len, FILE *out, pmi_syntax_error *err);
#endif
