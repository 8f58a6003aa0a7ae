/*
 * interp/compile_int.h -- what the code generator's files share
 * (compile.c: units, emitting, expressions, functions, classes,
 * comprehensions, assembling; compile_stmt.c: statements;
 * compile_match.c: pattern matching).  Internal to those three files.
 *
 * Their helpers keep short names in the source (addop, compiler_nameop,
 * ...); the aliases below give the linker pmi_cg_* names, hidden like every
 * pmi_ name of interp/.
 */
#ifndef PMI_COMPILE_INT_H
#define PMI_COMPILE_INT_H
#include <string.h>
#include "compile.h"
#include "symtable.h"
#include "opcodes.h"
#include "code.h"

#define add_const pmi_cg_add_const
#define add_instr pmi_cg_add_instr
#define add_yield_from pmi_cg_add_yield_from
#define addop pmi_cg_addop
#define addop_compare pmi_cg_addop_compare
#define addop_i pmi_cg_addop_i
#define addop_j pmi_cg_addop_j
#define addop_j_noline pmi_cg_addop_j_noline
#define addop_load_const pmi_cg_addop_load_const
#define addop_load_const_new pmi_cg_addop_load_const_new
#define addop_n pmi_cg_addop_n
#define addop_name pmi_cg_addop_name
#define addop_noline pmi_cg_addop_noline
#define addop_yield pmi_cg_addop_yield
#define all_name_chars pmi_cg_all_name_chars
#define check_compare pmi_cg_check_compare
#define anon_name pmi_cg_anon_name
#define apply_decorators pmi_cg_apply_decorators
#define are_all_items_const pmi_cg_are_all_items_const
#define assemble_unit pmi_cg_assemble_unit
#define assignment_helper pmi_cg_assignment_helper
#define async_comprehension_generator pmi_cg_async_comprehension_generator
#define binop_arg pmi_cg_binop_arg
#define call_exit_with_nones pmi_cg_call_exit_with_nones
#define call_simple_kw_helper pmi_cg_call_simple_kw_helper
#define check_ann_expr pmi_cg_check_ann_expr
#define check_ann_subscr pmi_cg_check_ann_subscr
#define check_debug_args pmi_cg_check_debug_args
#define compiler_annassign pmi_cg_compiler_annassign
#define compiler_assert pmi_cg_compiler_assert
#define compiler_async_for pmi_cg_compiler_async_for
#define compiler_async_with pmi_cg_compiler_async_with
#define compiler_augassign pmi_cg_compiler_augassign
#define compiler_body pmi_cg_compiler_body
#define compiler_boolop pmi_cg_compiler_boolop
#define compiler_break pmi_cg_compiler_break
#define compiler_call pmi_cg_compiler_call
#define compiler_call_helper pmi_cg_compiler_call_helper
#define compiler_class pmi_cg_compiler_class
#define compiler_compare pmi_cg_compiler_compare
#define compiler_comprehension pmi_cg_compiler_comprehension
#define compiler_continue pmi_cg_compiler_continue
#define compiler_dict pmi_cg_compiler_dict
#define compiler_error pmi_cg_compiler_error
#define compiler_for pmi_cg_compiler_for
#define compiler_formatted_value pmi_cg_compiler_formatted_value
#define compiler_from_import pmi_cg_compiler_from_import
#define compiler_function pmi_cg_compiler_function
#define compiler_if pmi_cg_compiler_if
#define compiler_import pmi_cg_compiler_import
#define compiler_joined_str pmi_cg_compiler_joined_str
#define compiler_jump_if pmi_cg_compiler_jump_if
#define compiler_lambda pmi_cg_compiler_lambda
#define compiler_list_or_tuple pmi_cg_compiler_list_or_tuple
#define compiler_match pmi_cg_compiler_match
#define compiler_match_inner pmi_cg_compiler_match_inner
#define compiler_nameop pmi_cg_compiler_nameop
#define compiler_pattern pmi_cg_compiler_pattern
#define compiler_pattern_as pmi_cg_compiler_pattern_as
#define compiler_pattern_class pmi_cg_compiler_pattern_class
#define compiler_pattern_mapping pmi_cg_compiler_pattern_mapping
#define compiler_pattern_or pmi_cg_compiler_pattern_or
#define compiler_pattern_sequence pmi_cg_compiler_pattern_sequence
#define compiler_pattern_subpattern pmi_cg_compiler_pattern_subpattern
#define compiler_return pmi_cg_compiler_return
#define compiler_slice pmi_cg_compiler_slice
#define compiler_stmt_expr pmi_cg_compiler_stmt_expr
#define compiler_subdict pmi_cg_compiler_subdict
#define compiler_subkwargs pmi_cg_compiler_subkwargs
#define compiler_try_except pmi_cg_compiler_try_except
#define compiler_try_finally pmi_cg_compiler_try_finally
#define compiler_try_star_except pmi_cg_compiler_try_star_except
#define compiler_try_star_finally pmi_cg_compiler_try_star_finally
#define compiler_visit_annexpr pmi_cg_compiler_visit_annexpr
#define compiler_visit_expr pmi_cg_compiler_visit_expr
#define compiler_visit_expr1 pmi_cg_compiler_visit_expr1
#define compiler_visit_keyword pmi_cg_compiler_visit_keyword
#define compiler_visit_stmt pmi_cg_compiler_visit_stmt
#define compiler_while pmi_cg_compiler_while
#define compiler_with pmi_cg_compiler_with
#define comprehension_element pmi_cg_comprehension_element
#define comprehension_generator pmi_cg_comprehension_generator
#define compute_code_flags pmi_cg_compute_code_flags
#define default_arguments pmi_cg_default_arguments
#define dict_add pmi_cg_dict_add
#define dict_by_scope pmi_cg_dict_by_scope
#define dict_keys_tuple pmi_cg_dict_keys_tuple
#define emit_and_reset_fail_pop pmi_cg_emit_and_reset_fail_pop
#define ensure_fail_pop pmi_cg_ensure_fail_pop
#define enter_scope pmi_cg_enter_scope
#define exit_scope pmi_cg_exit_scope
#define find_ann pmi_cg_find_ann
#define forbidden_name pmi_cg_forbidden_name
#define get_docstring pmi_cg_get_docstring
#define insert_instr pmi_cg_insert_instr
#define intern_cstr pmi_cg_intern_cstr
#define is_block_end pmi_cg_is_block_end
#define is_import_originated pmi_cg_is_import_originated
#define jump_to_fail_pop pmi_cg_jump_to_fail_pop
#define list_contains_str pmi_cg_list_contains_str
#define make_closure pmi_cg_make_closure
#define mangle pmi_cg_mangle
#define maybe_optimize_method_call pmi_cg_maybe_optimize_method_call
#define new_block pmi_cg_new_block
#define next_block pmi_cg_next_block
#define own pmi_cg_own
#define pattern_helper_rotate pmi_cg_pattern_helper_rotate
#define pattern_helper_sequence_subscr pmi_cg_pattern_helper_sequence_subscr
#define pattern_helper_sequence_unpack pmi_cg_pattern_helper_sequence_unpack
#define pattern_helper_store_name pmi_cg_pattern_helper_store_name
#define pattern_unpack_helper pmi_cg_pattern_unpack_helper
#define pop_except_and_reraise pmi_cg_pop_except_and_reraise
#define pop_fblock pmi_cg_pop_fblock
#define push_fblock pmi_cg_push_fblock
#define set_qualname pmi_cg_set_qualname
#define starunpack_helper pmi_cg_starunpack_helper
#define unit_free pmi_cg_unit_free
#define unpack_helper pmi_cg_unpack_helper
#define unwind_fblock pmi_cg_unwind_fblock
#define unwind_fblock_stack pmi_cg_unwind_fblock_stack
#define update_start_location_to_match_attr pmi_cg_update_start_location_to_match_attr
#define use_next_block pmi_cg_use_next_block
#define validate_keywords pmi_cg_validate_keywords
#define visit_annotations pmi_cg_visit_annotations
#define visit_argannotation pmi_cg_visit_argannotation
#define visit_argannotations pmi_cg_visit_argannotations
#define visit_defaults pmi_cg_visit_defaults
#define visit_kwonlydefaults pmi_cg_visit_kwonlydefaults
#define with_except_finish pmi_cg_with_except_finish

#define STACK_USE_GUIDELINE 30
#define CO_MAXBLOCKS 20

enum { SCOPE_MODULE, SCOPE_CLASS, SCOPE_FUNCTION, SCOPE_ASYNC_FUNCTION, SCOPE_LAMBDA,
       SCOPE_COMPREHENSION };

enum fblocktype { WHILE_LOOP, FOR_LOOP, TRY_EXCEPT, FINALLY_TRY, FINALLY_END, WITH, ASYNC_WITH,
                  HANDLER_CLEANUP, POP_VALUE, EXCEPTION_HANDLER, EXCEPTION_GROUP_HANDLER,
                  ASYNC_COMPREHENSION_GENERATOR };

enum { COMP_GENEXP, COMP_LISTCOMP, COMP_SETCOMP, COMP_DICTCOMP };

typedef struct fblockinfo {
    enum fblocktype type;   /* what kind of frame block */
    pmi_block *block;       /* its start (continue target for loops) */
    pmi_block *exit;        /* where break goes (loops) */
    void *datum;            /* finally body / with stmt / handler name */
} fblockinfo;

typedef struct unit {
    struct unit *parent;       /* enclosing unit */
    pmi_ste *ste;              /* the symbol table block */
    pm_object *name;           /* co_name (borrowed: arena or owned list) */
    pm_object *qualname;       /* co_qualname (NEW ref) */
    int scope_type;            /* SCOPE_* */
    pmi_const_table consts;    /* co_consts */
    pm_object *names;          /* dict str -> index: co_names */
    pm_object *varnames;       /* dict: locals */
    pm_object *cellvars;       /* dict: cells (sorted) */
    pm_object *freevars;       /* dict: frees (sorted, after cells) */
    pm_object *private_name;   /* class name for mangling (borrowed) */
    int argcount, posonlyargcount, kwonlyargcount; /* parameter counts */
    pmi_block *blocks;         /* every block, newest first */
    pmi_block *entry;          /* first block */
    pmi_block *cur;            /* block being filled */
    fblockinfo fblock[CO_MAXBLOCKS]; /* frame-block stack */
    int nfblocks;              /* its depth */
    int firstlineno;           /* co_firstlineno */
    pmi_loc loc;               /* location given to new instructions */
} unit;

typedef struct pattern_context pattern_context;   /* compile_match.c */

typedef struct compiler {
    pm_runtime *rt;            /* allocator and errors */
    pm_object *filename;       /* co_filename (borrowed) */
    const char *src;           /* source for error lines (may be NULL) */
    size_t srclen;             /* its length */
    pmi_syntax_error *err;     /* SyntaxError out */
    pmi_symtable *st;          /* the scopes */
    int future;                /* __future__ flags */
    int ff_lineno;             /* line of the last leading __future__ import */
    int optimize;              /* 0, 1 (-O) or 2 (-OO) */
    int interactive;           /* 'single' mode */
    int nestlevel;             /* unit depth */
    int depth;                 /* expression recursion depth */
    unit *u;                   /* current unit */
    pm_object *owned;          /* list of objects kept alive until the end */
    pmi_arena *arena;          /* the AST's arena */
    pmi_const_table merge;     /* 3.11's c_const_cache: equal constants shared (pmi_const_merge) */
    pmi_const_table anon;      /* "<module>", "<lambda>", "<genexpr>"...: one uninterned str each */
} compiler;

#define SET_LOC(c, x) ((c)->u->loc = (pmi_loc){ (x)->lineno, (x)->end_lineno, (x)->col_offset, (x)->end_col_offset })
#define UNSET_LOC(c) ((c)->u->loc.lineno = -1)
#define ADDOP(c, op) do { if (!addop((c), PMI_OP_##op)) return 0; } while (0)
#define ADDOP_I(c, op, a) do { if (!addop_i((c), PMI_OP_##op, (a))) return 0; } while (0)
#define ADDOP_JUMP(c, op, b) do { if (!addop_j((c), PMI_OP_##op, (b))) return 0; } while (0)
#define ADDOP_NOLINE(c, op) do { if (!addop_noline((c), PMI_OP_##op)) return 0; } while (0)
#define ADDOP_JUMP_NOLINE(c, op, b) do { if (!addop_j_noline((c), PMI_OP_##op, (b))) return 0; } while (0)
#define NEW_BLOCK(c, var) do { if (((var) = new_block(c)) == NULL) return 0; } while (0)
#define VISIT(c, kind, v) do { if (!compiler_visit_##kind((c), (v))) return 0; } while (0)
#define VISIT_SEQ(c, kind, seq) do { \
        for (pm_ssize_t i_ = 0; i_ < asdl_seq_LEN(seq); i_++) \
            if (!compiler_visit_##kind((c), asdl_seq_GET((seq), i_))) return 0; } while (0)
#define ADDOP_LOAD_CONST(c, o) do { if (!addop_load_const((c), (o))) return 0; } while (0)
#define ADDOP_LOAD_CONST_NEW(c, o) do { if (!addop_load_const_new((c), (o))) return 0; } while (0)
#define ADDOP_NAME(c, op, o) do { if (!addop_name((c), PMI_OP_##op, (o))) return 0; } while (0)
#define ADDOP_COMPARE(c, op) do { if (!addop_compare((c), (cmpop_ty)(op))) return 0; } while (0)

int add_const(compiler *c, pm_object *o);
int add_instr(compiler *c, int op, int arg, pmi_block *target, const pmi_loc *loc);
int add_yield_from(compiler *c, int await);
int addop(compiler *c, int op);
int addop_compare(compiler *c, cmpop_ty op);
int addop_i(compiler *c, int op, pm_ssize_t arg);
int addop_j(compiler *c, int op, pmi_block *target);
int addop_j_noline(compiler *c, int op, pmi_block *target);
int addop_load_const(compiler *c, pm_object *o);
int addop_load_const_new(compiler *c, pm_object *o);
int addop_n(compiler *c, int op, pm_object *name);
int addop_name(compiler *c, int op, pm_object *name);
int addop_noline(compiler *c, int op);
int addop_yield(compiler *c);
int all_name_chars(pm_object *s);
pm_object *anon_name(compiler *c, const char *s);
int apply_decorators(compiler *c, asdl_expr_seq *decos);
int are_all_items_const(asdl_expr_seq *seq, pm_ssize_t begin, pm_ssize_t end);
pm_object *assemble_unit(compiler *c, int add_none);
int assignment_helper(compiler *c, asdl_expr_seq *elts);
int async_comprehension_generator(compiler *c, asdl_comprehension_seq *generators,
                                         int gen_index, int depth, expr_ty elt, expr_ty val,
                                         int type);
int binop_arg(operator_ty op, int inplace);
int call_exit_with_nones(compiler *c);
int call_simple_kw_helper(compiler *c, asdl_keyword_seq *kws, pm_ssize_t nkw);
int check_ann_expr(compiler *c, expr_ty e);
int check_ann_subscr(compiler *c, expr_ty e);
int check_debug_args(compiler *c, arguments_ty args);
int compiler_annassign(compiler *c, stmt_ty s);
int compiler_assert(compiler *c, stmt_ty s);
int compiler_async_for(compiler *c, stmt_ty s);
int compiler_async_with(compiler *c, stmt_ty s, int pos);
int compiler_augassign(compiler *c, stmt_ty s);
int compiler_body(compiler *c, asdl_stmt_seq *stmts);
int compiler_boolop(compiler *c, expr_ty e);
int compiler_break(compiler *c);
int compiler_call(compiler *c, expr_ty e);
int compiler_call_helper(compiler *c, int n, asdl_expr_seq *args, asdl_keyword_seq *keywords);
int compiler_class(compiler *c, stmt_ty s);
int compiler_compare(compiler *c, expr_ty e);
int check_compare(compiler *c, expr_ty e);
int compiler_comprehension(compiler *c, expr_ty e, int type, const char *name,
                                  asdl_comprehension_seq *generators, expr_ty elt, expr_ty val);
int compiler_continue(compiler *c);
int compiler_dict(compiler *c, expr_ty e);
int compiler_error(compiler *c, const char *fmt, ...);
int compiler_for(compiler *c, stmt_ty s);
int compiler_formatted_value(compiler *c, expr_ty e);
int compiler_from_import(compiler *c, stmt_ty s);
int compiler_function(compiler *c, stmt_ty s, int is_async);
int compiler_if(compiler *c, stmt_ty s);
int compiler_import(compiler *c, stmt_ty s);
int compiler_joined_str(compiler *c, expr_ty e);
int compiler_jump_if(compiler *c, expr_ty e, pmi_block *next, int cond);
int compiler_lambda(compiler *c, expr_ty e);
int compiler_list_or_tuple(compiler *c, expr_ty e, int is_tuple);
int compiler_match(compiler *c, stmt_ty s);
int compiler_match_inner(compiler *c, stmt_ty s, pattern_context *pc);
int compiler_nameop(compiler *c, pm_object *name, expr_context_ty ctx);
int compiler_pattern(compiler *c, pattern_ty p, pattern_context *pc);
int compiler_pattern_as(compiler *c, pattern_ty p, pattern_context *pc);
int compiler_pattern_class(compiler *c, pattern_ty p, pattern_context *pc);
int compiler_pattern_mapping(compiler *c, pattern_ty p, pattern_context *pc);
int compiler_pattern_or(compiler *c, pattern_ty p, pattern_context *pc);
int compiler_pattern_sequence(compiler *c, pattern_ty p, pattern_context *pc);
int compiler_pattern_subpattern(compiler *c, pattern_ty p, pattern_context *pc);
int compiler_return(compiler *c, stmt_ty s);
int compiler_slice(compiler *c, expr_ty s);
int compiler_stmt_expr(compiler *c, expr_ty value);
int compiler_subdict(compiler *c, expr_ty e, pm_ssize_t begin, pm_ssize_t end);
int compiler_subkwargs(compiler *c, asdl_keyword_seq *keywords, pm_ssize_t begin,
                              pm_ssize_t end);
int compiler_try_except(compiler *c, stmt_ty s);
int compiler_try_finally(compiler *c, stmt_ty s);
int compiler_try_star_except(compiler *c, stmt_ty s);
int compiler_try_star_finally(compiler *c, stmt_ty s);
int compiler_visit_annexpr(compiler *c, expr_ty e);
int compiler_visit_expr(compiler *c, expr_ty e);
int compiler_visit_expr1(compiler *c, expr_ty e);
int compiler_visit_keyword(compiler *c, keyword_ty k);
int compiler_visit_stmt(compiler *c, stmt_ty s);
int compiler_while(compiler *c, stmt_ty s);
int compiler_with(compiler *c, stmt_ty s, int pos);
int comprehension_element(compiler *c, expr_ty elt, expr_ty val, int type, int depth);
int comprehension_generator(compiler *c, asdl_comprehension_seq *generators, int gen_index,
                                   int depth, expr_ty elt, expr_ty val, int type);
int compute_code_flags(compiler *c);
int default_arguments(compiler *c, arguments_ty args);
pm_ssize_t dict_add(compiler *c, pm_object *dict, pm_object *o);
pm_object *dict_by_scope(compiler *c, pmi_ste *ste, int scope, long flag, pm_ssize_t offset);
pm_object *dict_keys_tuple(pm_runtime *rt, pm_object *dict);
int emit_and_reset_fail_pop(compiler *c, pattern_context *pc);
int ensure_fail_pop(compiler *c, pattern_context *pc, pm_ssize_t n);
int enter_scope(compiler *c, pm_object *name, int scope_type, void *key, int lineno);
void exit_scope(compiler *c);
int find_ann(asdl_stmt_seq *stmts);
int forbidden_name(compiler *c, pm_object *name, expr_context_ty ctx);
pm_object *get_docstring(asdl_stmt_seq *body);
int insert_instr(pm_runtime *rt, pmi_block *b, int pos, const pmi_instr *in);
pm_object *intern_cstr(compiler *c, const char *s);
int is_block_end(const pmi_instr *in);
int is_import_originated(compiler *c, expr_ty e);
int jump_to_fail_pop(compiler *c, pattern_context *pc, int op);
int list_contains_str(pm_runtime *rt, pm_object *list, pm_object *s);
int make_closure(compiler *c, pm_object *co, int flags);
pm_object *mangle(compiler *c, pm_object *name);
int maybe_optimize_method_call(compiler *c, expr_ty e);
pmi_block *new_block(compiler *c);
int next_block(compiler *c);
pm_object *own(compiler *c, pm_object *o);
int pattern_helper_rotate(compiler *c, pm_ssize_t count);
int pattern_helper_sequence_subscr(compiler *c, asdl_pattern_seq *patterns, pm_ssize_t star,
                                          pattern_context *pc);
int pattern_helper_sequence_unpack(compiler *c, asdl_pattern_seq *patterns, pattern_context *pc);
int pattern_helper_store_name(compiler *c, pm_object *n, pattern_context *pc);
int pattern_unpack_helper(compiler *c, asdl_pattern_seq *elts);
int pop_except_and_reraise(compiler *c);
void pop_fblock(compiler *c);
int push_fblock(compiler *c, enum fblocktype t, pmi_block *b, pmi_block *exit, void *datum);
int set_qualname(compiler *c);
int starunpack_helper(compiler *c, asdl_expr_seq *elts, int pushed, int build, int add,
                             int extend, int tuple);
void unit_free(compiler *c, unit *u);
int unpack_helper(compiler *c, asdl_expr_seq *elts);
int unwind_fblock(compiler *c, fblockinfo *info, int preserve_tos);
int unwind_fblock_stack(compiler *c, int preserve_tos, fblockinfo **loop);
void update_start_location_to_match_attr(compiler *c, expr_ty attr);
void use_next_block(compiler *c, pmi_block *b);
int validate_keywords(compiler *c, asdl_keyword_seq *keywords);
int visit_annotations(compiler *c, arguments_ty args, expr_ty returns);
int visit_argannotation(compiler *c, pm_object *id, expr_ty ann, pm_ssize_t *len);
int visit_argannotations(compiler *c, asdl_arg_seq *args, pm_ssize_t *len);
int visit_defaults(compiler *c, arguments_ty args);
int visit_kwonlydefaults(compiler *c, asdl_arg_seq *kwonlyargs, asdl_expr_seq *kw_defaults);
int with_except_finish(compiler *c, pmi_block *cleanup);

#endif
