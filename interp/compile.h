/*
 * interp/compile.h -- AST to code objects (CPython 3.11's Python/compile.c).
 *
 * Public to interp/: pmi_compile, pmi_compile_source, pmi_stack_effect,
 * pmi_compile_is_compound.
 * The second half of this header is the compiler's own shared state, used
 * by compile.c (code generation), flowgraph.c (the CFG passes) and
 * assemble.c (bytes, line table, exception table): the pipeline is
 *
 *   AST --astopt.c--> folded AST --symtable.c--> scopes
 *       --compile.c--> basic blocks of instructions (pseudo ops, labels)
 *       --flowgraph.c--> optimized blocks, line numbers propagated
 *       --assemble.c--> co_code, co_linetable, co_exceptiontable --> pmi_code_new
 */
#ifndef PMI_COMPILE_H
#define PMI_COMPILE_H
#include "ast.h"
#include "diag.h"

/* Compile module m (from the arena a) to its code object: NEW ref, or NULL
 * with a SyntaxError in *err (err->kind != 0) or a pm error (MemoryError).
 * mode: PMI_MODE_EXEC / EVAL / SINGLE (parser.h).  optimize: -1 or 0 as
 * python3 default, 1 (-O: no asserts, __debug__ False), 2 (-OO: also no
 * docstrings).  The AST is folded in place (constant folding). */
pm_object *pmi_compile(pm_runtime *rt, mod_ty m, pm_object *filename, int mode, int optimize,
                       pmi_arena *a, pmi_syntax_error *err);
/* The same, with the source text for SyntaxError lines and character
 * offsets (src may be NULL). */
pm_object *pmi_compile_ex(pm_runtime *rt, mod_ty m, pm_object *filename, int mode, int optimize,
                          pmi_arena *a, const char *src, size_t len, pmi_syntax_error *err);
/* Parse + compile src[0..len); the arena lives inside. */
pm_object *pmi_compile_source(pm_runtime *rt, const char *src, size_t len, pm_object *filename,
                              int mode, int optimize, pmi_syntax_error *err);

/* 1 for the statements that take a block (def, class, for, while, if,
 * with, match, try and their async forms), else 0: 'single' mode and the
 * prompt treat them apart. */
int pmi_compile_is_compound(stmt_ty st);

/* dis.stack_effect(opcode, oparg, jump=...): jump -1 = max of both edges,
 * 0 = not taken, 1 = taken.  PMI_INVALID_STACK_EFFECT for unknown opcodes. */
#define PMI_INVALID_STACK_EFFECT 0x7fffffff
int pmi_stack_effect(int opcode, int oparg, int jump);

/* ======================================================================
 * Internal to the compiler (compile.c, flowgraph.c, assemble.c, astopt.c).
 * ====================================================================== */

/* A source range; lineno -1 = no location (CPython's UNSET_LOC). */
typedef struct pmi_loc {
    int lineno;          /* 1-based line, -1: none, 0: module RESUME */
    int end_lineno;      /* last line, -1: none */
    int col;             /* UTF-8 byte column, -1: none */
    int end_col;         /* end column, -1: none */
} pmi_loc;

typedef struct pmi_block pmi_block;

typedef struct pmi_instr {
    int opcode;          /* real or pseudo opcode (opcodes.h) */
    int oparg;           /* argument; jumps: filled by the assembler */
    pmi_loc loc;         /* source position */
    pmi_block *target;   /* jump / SETUP_* target */
    pmi_block *except;   /* innermost handler covering this instruction */
} pmi_instr;

struct pmi_block {
    pmi_block *list;     /* all blocks of the unit, newest first (for freeing) */
    pmi_block *next;     /* next block in code order */
    pmi_instr *instr;    /* instructions */
    int iused;           /* used entries of instr */
    int ialloc;          /* allocated entries of instr */
    int predecessors;    /* incoming edges (mark_reachable) */
    int startdepth;      /* stack depth on entry (stackdepth) */
    int offset;          /* code-unit offset (assembler) */
    unsigned visited : 1;       /* traversal mark */
    unsigned exit : 1;          /* ends with return/raise */
    unsigned preserve_lasti : 1;/* handler of a cleanup/with block */
    unsigned cold : 1;          /* reached only from exception handlers */
    unsigned warm : 1;          /* reached from the entry without exceptions */
    struct pmi_except_stack *exceptstack; /* handler stack on entry (label pass) */
};

/* Per-code-object compilation state handed to the back end. */
typedef struct pmi_unit_out {
    pmi_block *blocks;   /* newest-first list of every block */
    pmi_block *entry;    /* first block in code order */
    pm_object *consts;   /* list: the constants, index = LOAD_CONST arg */
    int firstlineno;     /* co_firstlineno */
    int flags;           /* co_flags */
    int nlocals, ncells, nfrees; /* varnames / cellvars / freevars counts */
} pmi_unit_out;

/* Constant table: strict (type + value) dedup as CPython's _PyCode_ConstantKey. */
typedef struct pmi_const_table {
    pm_object *list;     /* list of constants in index order */
    int *slots;          /* open addressing: index+1, 0 = empty */
    int nslots;          /* power of two */
    struct pmi_const_table *merge; /* the compilation's const cache, or NULL (see pmi_const_merge) */
    pm_object *prior;    /* cache only: set of strings interned before their first use as a
                          * constant (pmi_const_copy_frozensets), or NULL */
} pmi_const_table;
int pmi_const_index(pm_runtime *rt, pmi_const_table *t, pm_object *o); /* -1 on error */
void pmi_const_table_clear(pm_runtime *rt, pmi_const_table *t);
/* 3.11's const cache (c_const_cache, merge_consts_recursive/merge_const_one):
 * one table per compilation holds the first of each set of equal constants
 * (equal as _PyCode_ConstantKey: type and value, -0.0 apart), and every
 * constant, co_names/co_consts/localsplus-names tuple, line table and
 * exception table of every code object is replaced by that first one, so
 * equal objects are shared across the code objects of one compilation as
 * in CPython (marshal's FLAG_REF and back-references follow from the
 * sharing).  recursive: the items of tuples and frozensets too, and
 * identifier-like strings interned (3.11's intern_string_constants).
 * Returns a NEW ref to the canonical object, NULL on error. */
pm_object *pmi_const_merge(pm_runtime *rt, pmi_const_table *cache, pm_object *o, int recursive);
/* 3.11's intern_string_constants on a new co_consts tuple *consts (a NEW
 * ref, just registered in the cache): a frozenset constant holding a
 * string that was interned before the compiler first met it as a constant
 * (an identifier of the module, say) is replaced by a copy, one per code
 * object, as CPython's in-place interning does; the cache then holds the
 * new tuple.  0 / -1. */
int pmi_const_copy_frozensets(pm_runtime *rt, pmi_const_table *cache, pm_object **consts);

/* flowgraph.c */
void pmi_cfg_clean_block(pmi_block *bb);   /* NOP removal of one block; the assembler reruns it */
int pmi_block_add(pm_runtime *rt, pmi_block *b, const pmi_instr *in);  /* index, -1 */
int pmi_flow_prepare(pm_runtime *rt, pmi_block **blocks);   /* normalize + extend_block */
int pmi_flow_optimize(pm_runtime *rt, pmi_block **blocks, pmi_block *entry, pm_object *consts,
                      int firstlineno, int flags, pmi_const_table *merge);
/* assemble.c */
typedef struct pmi_asm_result {
    pm_object *code;         /* bytes */
    pm_object *linetable;    /* bytes */
    pm_object *exceptiontable; /* bytes */
    int stacksize;           /* co_stacksize */
} pmi_asm_result;
int pmi_assemble(pm_runtime *rt, pmi_block **blocks, pmi_block *entry, int firstlineno,
                 int flags, pmi_asm_result *out);
int pmi_block_is_jump(const pmi_instr *i);
int pmi_block_is_setup(const pmi_instr *i);
pmi_block *pmi_block_new(pm_runtime *rt, pmi_block **list);

/* unparse.c: the source text of an expression, as ast.unparse/3.11's
 * annotation strings write it.  NEW ref, NULL on error. */
pm_object *pmi_unparse_expr(pm_runtime *rt, expr_ty e);

/* astopt.c: fold constants in place (CPython's _PyAST_Optimize). 0 / -1. */
int pmi_ast_optimize(pm_runtime *rt, mod_ty m, pmi_arena *a, int optimize, int future);
#endif
