/*
 * interp/compile_stmt.c -- code generation for statements (CPython 3.11's
 * compiler_visit_stmt and its helpers): if/for/while with break and
 * continue, return, try/except/else/finally, except*, with, async for and
 * async with, assert, imports, annotated and augmented assignment.
 *
 * Loops and blocks that `break`, `continue` and `return` must unwind are
 * kept on the unit's frame-block stack (compile.c's push_fblock); leaving
 * one emits what the block needs on the way out (POP_BLOCK, popping the
 * iterator, calling __exit__, running a finally body, ...).
 */
#include "compile_int.h"
#include "parser.h"

/* ---- statements ------------------------------------------------------------------ */

int compiler_if(compiler *c, stmt_ty s)
{
    pmi_block *end, *next;
    NEW_BLOCK(c, end);
    if (asdl_seq_LEN(s->v.If.orelse))
        NEW_BLOCK(c, next);
    else
        next = end;
    if (!compiler_jump_if(c, s->v.If.test, next, 0))
        return 0;
    VISIT_SEQ(c, stmt, s->v.If.body);
    if (asdl_seq_LEN(s->v.If.orelse)) {
        ADDOP_JUMP_NOLINE(c, JUMP, end);
        use_next_block(c, next);
        VISIT_SEQ(c, stmt, s->v.If.orelse);
    }
    use_next_block(c, end);
    return 1;
}

int compiler_for(compiler *c, stmt_ty s)
{
    pmi_block *start, *body, *cleanup, *end;
    NEW_BLOCK(c, start);
    NEW_BLOCK(c, body);
    NEW_BLOCK(c, cleanup);
    NEW_BLOCK(c, end);
    if (!push_fblock(c, FOR_LOOP, start, end, NULL))
        return 0;
    VISIT(c, expr, s->v.For.iter);
    ADDOP(c, GET_ITER);
    use_next_block(c, start);
    ADDOP_JUMP(c, FOR_ITER, cleanup);
    use_next_block(c, body);
    VISIT(c, expr, s->v.For.target);
    VISIT_SEQ(c, stmt, s->v.For.body);
    UNSET_LOC(c);
    ADDOP_JUMP(c, JUMP, start);
    use_next_block(c, cleanup);
    pop_fblock(c);
    VISIT_SEQ(c, stmt, s->v.For.orelse);
    use_next_block(c, end);
    return 1;
}

int compiler_while(compiler *c, stmt_ty s)
{
    pmi_block *loop, *body, *end, *anchor;
    NEW_BLOCK(c, loop);
    NEW_BLOCK(c, body);
    NEW_BLOCK(c, anchor);
    NEW_BLOCK(c, end);
    use_next_block(c, loop);
    if (!push_fblock(c, WHILE_LOOP, loop, end, NULL))
        return 0;
    if (!compiler_jump_if(c, s->v.While.test, anchor, 0))
        return 0;
    use_next_block(c, body);
    VISIT_SEQ(c, stmt, s->v.While.body);
    SET_LOC(c, s);
    if (!compiler_jump_if(c, s->v.While.test, body, 1))
        return 0;
    pop_fblock(c);
    use_next_block(c, anchor);
    VISIT_SEQ(c, stmt, s->v.While.orelse);
    use_next_block(c, end);
    return 1;
}

int compiler_return(compiler *c, stmt_ty s)
{
    expr_ty v = s->v.Return.value;
    int preserve_tos = v != NULL && v->kind != Constant_kind;
    if (c->u->ste->type != PMI_BLOCK_FUNCTION)
        return compiler_error(c, "'return' outside function");
    if (v != NULL && c->u->ste->coroutine && c->u->ste->generator)
        return compiler_error(c, "'return' with value in async generator");
    if (preserve_tos) {
        VISIT(c, expr, v);
    } else if (v != NULL) {
        SET_LOC(c, v);
        ADDOP(c, NOP);
    }
    if (v == NULL || v->lineno != s->lineno) {
        SET_LOC(c, s);
        ADDOP(c, NOP);
    }
    if (!unwind_fblock_stack(c, preserve_tos, NULL))
        return 0;
    if (v == NULL)
        ADDOP_LOAD_CONST(c, PM_NONE);
    else if (!preserve_tos)
        ADDOP_LOAD_CONST(c, v->v.Constant.value);
    ADDOP(c, RETURN_VALUE);
    return 1;
}

int compiler_break(compiler *c)
{
    fblockinfo *loop = NULL;
    ADDOP(c, NOP);
    if (!unwind_fblock_stack(c, 0, &loop))
        return 0;
    if (loop == NULL)
        return compiler_error(c, "'break' outside loop");
    if (!unwind_fblock(c, loop, 0))
        return 0;
    ADDOP_JUMP(c, JUMP, loop->exit);
    return 1;
}

int compiler_continue(compiler *c)
{
    fblockinfo *loop = NULL;
    ADDOP(c, NOP);
    if (!unwind_fblock_stack(c, 0, &loop))
        return 0;
    if (loop == NULL)
        return compiler_error(c, "'continue' not properly in loop");
    ADDOP_JUMP(c, JUMP, loop->block);
    return 1;
}

int pop_except_and_reraise(compiler *c)
{
    ADDOP_I(c, COPY, 3);
    ADDOP(c, POP_EXCEPT);
    ADDOP_I(c, RERAISE, 1);
    return 1;
}

int compiler_try_except(compiler *c, stmt_ty s)
{
    pmi_block *body, *except, *end, *cleanup;
    NEW_BLOCK(c, body);
    NEW_BLOCK(c, except);
    NEW_BLOCK(c, end);
    NEW_BLOCK(c, cleanup);
    ADDOP_JUMP(c, SETUP_FINALLY, except);
    use_next_block(c, body);
    if (!push_fblock(c, TRY_EXCEPT, body, NULL, NULL))
        return 0;
    VISIT_SEQ(c, stmt, s->v.Try.body);
    pop_fblock(c);
    ADDOP_NOLINE(c, POP_BLOCK);
    VISIT_SEQ(c, stmt, s->v.Try.orelse);
    ADDOP_JUMP_NOLINE(c, JUMP, end);
    pm_ssize_t n = asdl_seq_LEN(s->v.Try.handlers);
    use_next_block(c, except);
    UNSET_LOC(c);
    ADDOP_JUMP(c, SETUP_CLEANUP, cleanup);
    ADDOP(c, PUSH_EXC_INFO);
    if (!push_fblock(c, EXCEPTION_HANDLER, NULL, NULL, NULL))
        return 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        excepthandler_ty h = asdl_seq_GET(s->v.Try.handlers, i);
        SET_LOC(c, h);
        if (!h->v.ExceptHandler.type && i < n - 1)
            return compiler_error(c, "default 'except:' must be last");
        NEW_BLOCK(c, except);
        if (h->v.ExceptHandler.type) {
            VISIT(c, expr, h->v.ExceptHandler.type);
            ADDOP(c, CHECK_EXC_MATCH);
            ADDOP_JUMP(c, POP_JUMP_IF_FALSE, except);
        }
        if (h->v.ExceptHandler.name) {
            pmi_block *cleanup_end, *cleanup_body;
            NEW_BLOCK(c, cleanup_end);
            NEW_BLOCK(c, cleanup_body);
            if (!compiler_nameop(c, h->v.ExceptHandler.name, Store))
                return 0;
            ADDOP_JUMP(c, SETUP_CLEANUP, cleanup_end);
            use_next_block(c, cleanup_body);
            if (!push_fblock(c, HANDLER_CLEANUP, cleanup_body, NULL, h->v.ExceptHandler.name))
                return 0;
            VISIT_SEQ(c, stmt, h->v.ExceptHandler.body);
            pop_fblock(c);
            UNSET_LOC(c);
            ADDOP(c, POP_BLOCK);
            ADDOP(c, POP_BLOCK);
            ADDOP(c, POP_EXCEPT);
            ADDOP_LOAD_CONST(c, PM_NONE);
            if (!compiler_nameop(c, h->v.ExceptHandler.name, Store) ||
                !compiler_nameop(c, h->v.ExceptHandler.name, Del))
                return 0;
            ADDOP_JUMP(c, JUMP, end);
            use_next_block(c, cleanup_end);
            UNSET_LOC(c);
            ADDOP_LOAD_CONST(c, PM_NONE);
            if (!compiler_nameop(c, h->v.ExceptHandler.name, Store) ||
                !compiler_nameop(c, h->v.ExceptHandler.name, Del))
                return 0;
            ADDOP_I(c, RERAISE, 1);
        } else {
            pmi_block *cleanup_body;
            NEW_BLOCK(c, cleanup_body);
            ADDOP(c, POP_TOP);
            use_next_block(c, cleanup_body);
            if (!push_fblock(c, HANDLER_CLEANUP, cleanup_body, NULL, NULL))
                return 0;
            VISIT_SEQ(c, stmt, h->v.ExceptHandler.body);
            pop_fblock(c);
            UNSET_LOC(c);
            ADDOP(c, POP_BLOCK);
            ADDOP(c, POP_EXCEPT);
            ADDOP_JUMP(c, JUMP, end);
        }
        use_next_block(c, except);
    }
    UNSET_LOC(c);
    pop_fblock(c);
    ADDOP_I(c, RERAISE, 0);
    use_next_block(c, cleanup);
    if (!pop_except_and_reraise(c))
        return 0;
    use_next_block(c, end);
    return 1;
}

int compiler_try_finally(compiler *c, stmt_ty s)
{
    pmi_block *body, *end, *exit, *cleanup;
    NEW_BLOCK(c, body);
    NEW_BLOCK(c, end);
    NEW_BLOCK(c, exit);
    NEW_BLOCK(c, cleanup);
    ADDOP_JUMP(c, SETUP_FINALLY, end);
    use_next_block(c, body);
    if (!push_fblock(c, FINALLY_TRY, body, end, s->v.Try.finalbody))
        return 0;
    if (asdl_seq_LEN(s->v.Try.handlers)) {
        if (!compiler_try_except(c, s))
            return 0;
    } else {
        VISIT_SEQ(c, stmt, s->v.Try.body);
    }
    UNSET_LOC(c);
    ADDOP(c, POP_BLOCK);
    pop_fblock(c);
    VISIT_SEQ(c, stmt, s->v.Try.finalbody);
    ADDOP_JUMP_NOLINE(c, JUMP, exit);
    use_next_block(c, end);
    UNSET_LOC(c);
    ADDOP_JUMP(c, SETUP_CLEANUP, cleanup);
    ADDOP(c, PUSH_EXC_INFO);
    if (!push_fblock(c, FINALLY_END, end, NULL, NULL))
        return 0;
    VISIT_SEQ(c, stmt, s->v.Try.finalbody);
    pop_fblock(c);
    ADDOP_I(c, RERAISE, 0);
    use_next_block(c, cleanup);
    if (!pop_except_and_reraise(c))
        return 0;
    use_next_block(c, exit);
    return 1;
}

int compiler_try_star_except(compiler *c, stmt_ty s)
{
    pmi_block *body, *except, *orelse, *end, *cleanup, *reraise_star, *reraise;
    NEW_BLOCK(c, body);
    NEW_BLOCK(c, except);
    NEW_BLOCK(c, orelse);
    NEW_BLOCK(c, end);
    NEW_BLOCK(c, cleanup);
    NEW_BLOCK(c, reraise_star);
    ADDOP_JUMP(c, SETUP_FINALLY, except);
    use_next_block(c, body);
    if (!push_fblock(c, TRY_EXCEPT, body, NULL, NULL))
        return 0;
    VISIT_SEQ(c, stmt, s->v.TryStar.body);
    pop_fblock(c);
    ADDOP_NOLINE(c, POP_BLOCK);
    ADDOP_JUMP_NOLINE(c, JUMP, orelse);
    pm_ssize_t n = asdl_seq_LEN(s->v.TryStar.handlers);
    use_next_block(c, except);
    UNSET_LOC(c);
    ADDOP_JUMP(c, SETUP_CLEANUP, cleanup);
    ADDOP(c, PUSH_EXC_INFO);
    if (!push_fblock(c, EXCEPTION_GROUP_HANDLER, NULL, NULL, NULL))
        return 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        excepthandler_ty h = asdl_seq_GET(s->v.TryStar.handlers, i);
        pm_object *name = h->v.ExceptHandler.name;
        SET_LOC(c, h);
        pmi_block *except_with_error, *no_match, *cleanup_end, *cleanup_body;
        NEW_BLOCK(c, except);
        NEW_BLOCK(c, except_with_error);
        NEW_BLOCK(c, no_match);
        if (i == 0) {
            ADDOP_I(c, COPY, 1);
            ADDOP_I(c, BUILD_LIST, 0);
            ADDOP_I(c, SWAP, 2);
        }
        if (h->v.ExceptHandler.type) {
            VISIT(c, expr, h->v.ExceptHandler.type);
            ADDOP(c, CHECK_EG_MATCH);
            ADDOP_I(c, COPY, 1);
            ADDOP_JUMP(c, POP_JUMP_IF_NONE, no_match);
        }
        NEW_BLOCK(c, cleanup_end);
        NEW_BLOCK(c, cleanup_body);
        if (name) {
            if (!compiler_nameop(c, name, Store))
                return 0;
        } else {
            ADDOP(c, POP_TOP);
        }
        ADDOP_JUMP(c, SETUP_CLEANUP, cleanup_end);
        use_next_block(c, cleanup_body);
        if (!push_fblock(c, HANDLER_CLEANUP, cleanup_body, NULL, name))
            return 0;
        VISIT_SEQ(c, stmt, h->v.ExceptHandler.body);
        pop_fblock(c);
        UNSET_LOC(c);
        ADDOP(c, POP_BLOCK);
        if (name) {
            ADDOP_LOAD_CONST(c, PM_NONE);
            if (!compiler_nameop(c, name, Store) || !compiler_nameop(c, name, Del))
                return 0;
        }
        ADDOP_JUMP(c, JUMP, except);
        use_next_block(c, cleanup_end);
        UNSET_LOC(c);
        if (name) {
            ADDOP_LOAD_CONST(c, PM_NONE);
            if (!compiler_nameop(c, name, Store) || !compiler_nameop(c, name, Del))
                return 0;
        }
        ADDOP_I(c, LIST_APPEND, 3);
        ADDOP(c, POP_TOP);
        ADDOP_JUMP(c, JUMP, except_with_error);
        use_next_block(c, except);
        ADDOP(c, NOP);
        ADDOP_JUMP(c, JUMP, except_with_error);
        use_next_block(c, no_match);
        ADDOP(c, POP_TOP);
        use_next_block(c, except_with_error);
        if (i == n - 1) {
            ADDOP_I(c, LIST_APPEND, 1);
            ADDOP_JUMP(c, JUMP, reraise_star);
        }
    }
    UNSET_LOC(c);
    pop_fblock(c);
    NEW_BLOCK(c, reraise);
    use_next_block(c, reraise_star);
    ADDOP(c, PREP_RERAISE_STAR);
    ADDOP_I(c, COPY, 1);
    ADDOP_JUMP(c, POP_JUMP_IF_NOT_NONE, reraise);
    ADDOP(c, POP_TOP);
    ADDOP(c, POP_BLOCK);
    ADDOP(c, POP_EXCEPT);
    ADDOP_JUMP(c, JUMP, end);
    use_next_block(c, reraise);
    ADDOP(c, POP_BLOCK);
    ADDOP_I(c, SWAP, 2);
    ADDOP(c, POP_EXCEPT);
    ADDOP_I(c, RERAISE, 0);
    use_next_block(c, cleanup);
    if (!pop_except_and_reraise(c))
        return 0;
    use_next_block(c, orelse);
    VISIT_SEQ(c, stmt, s->v.TryStar.orelse);
    use_next_block(c, end);
    return 1;
}

int compiler_try_star_finally(compiler *c, stmt_ty s)
{
    pmi_block *body, *end, *exit, *cleanup;
    NEW_BLOCK(c, body);
    NEW_BLOCK(c, end);
    NEW_BLOCK(c, exit);
    NEW_BLOCK(c, cleanup);
    ADDOP_JUMP(c, SETUP_FINALLY, end);
    use_next_block(c, body);
    if (!push_fblock(c, FINALLY_TRY, body, end, s->v.TryStar.finalbody))
        return 0;
    if (asdl_seq_LEN(s->v.TryStar.handlers)) {
        if (!compiler_try_star_except(c, s))
            return 0;
    } else {
        VISIT_SEQ(c, stmt, s->v.TryStar.body);
    }
    ADDOP_NOLINE(c, POP_BLOCK);
    pop_fblock(c);
    VISIT_SEQ(c, stmt, s->v.TryStar.finalbody);
    ADDOP_JUMP_NOLINE(c, JUMP, exit);
    use_next_block(c, end);
    UNSET_LOC(c);
    ADDOP_JUMP(c, SETUP_CLEANUP, cleanup);
    ADDOP(c, PUSH_EXC_INFO);
    if (!push_fblock(c, FINALLY_END, end, NULL, NULL))
        return 0;
    VISIT_SEQ(c, stmt, s->v.TryStar.finalbody);
    pop_fblock(c);
    ADDOP_I(c, RERAISE, 0);
    use_next_block(c, cleanup);
    if (!pop_except_and_reraise(c))
        return 0;
    use_next_block(c, exit);
    return 1;
}

int compiler_with(compiler *c, stmt_ty s, int pos)
{
    pmi_block *block, *final, *exit, *cleanup;
    withitem_ty item = asdl_seq_GET(s->v.With.items, pos);
    NEW_BLOCK(c, block);
    NEW_BLOCK(c, final);
    NEW_BLOCK(c, exit);
    NEW_BLOCK(c, cleanup);
    VISIT(c, expr, item->context_expr);
    ADDOP(c, BEFORE_WITH);
    ADDOP_JUMP(c, SETUP_WITH, final);
    use_next_block(c, block);
    if (!push_fblock(c, WITH, block, final, s))
        return 0;
    if (item->optional_vars)
        VISIT(c, expr, item->optional_vars);
    else
        ADDOP(c, POP_TOP);
    pos++;
    if (pos == asdl_seq_LEN(s->v.With.items)) {
        VISIT_SEQ(c, stmt, s->v.With.body);
    } else if (!compiler_with(c, s, pos)) {
        return 0;
    }
    UNSET_LOC(c);
    ADDOP(c, POP_BLOCK);
    pop_fblock(c);
    SET_LOC(c, s);
    if (!call_exit_with_nones(c))
        return 0;
    ADDOP(c, POP_TOP);
    ADDOP_JUMP(c, JUMP, exit);
    use_next_block(c, final);
    ADDOP_JUMP(c, SETUP_CLEANUP, cleanup);
    ADDOP(c, PUSH_EXC_INFO);
    ADDOP(c, WITH_EXCEPT_START);
    /* compiler_with_except_finish */
    UNSET_LOC(c);
    pmi_block *wexit;
    NEW_BLOCK(c, wexit);
    ADDOP_JUMP(c, POP_JUMP_IF_TRUE, wexit);
    ADDOP_I(c, RERAISE, 2);
    use_next_block(c, cleanup);
    if (!pop_except_and_reraise(c))
        return 0;
    use_next_block(c, wexit);
    ADDOP(c, POP_TOP);
    ADDOP(c, POP_BLOCK);
    ADDOP(c, POP_EXCEPT);
    ADDOP(c, POP_TOP);
    ADDOP(c, POP_TOP);
    use_next_block(c, exit);
    return 1;
}

int compiler_async_for(compiler *c, stmt_ty s)
{
    pmi_block *start, *except, *end;
    if (c->u->scope_type != SCOPE_ASYNC_FUNCTION)
        return compiler_error(c, "'async for' outside async function");
    NEW_BLOCK(c, start);
    NEW_BLOCK(c, except);
    NEW_BLOCK(c, end);
    VISIT(c, expr, s->v.AsyncFor.iter);
    ADDOP(c, GET_AITER);
    use_next_block(c, start);
    if (!push_fblock(c, FOR_LOOP, start, end, NULL))
        return 0;
    ADDOP_JUMP(c, SETUP_FINALLY, except);
    ADDOP(c, GET_ANEXT);
    ADDOP_LOAD_CONST(c, PM_NONE);
    if (!add_yield_from(c, 1))
        return 0;
    ADDOP(c, POP_BLOCK);
    VISIT(c, expr, s->v.AsyncFor.target);
    VISIT_SEQ(c, stmt, s->v.AsyncFor.body);
    UNSET_LOC(c);
    ADDOP_JUMP(c, JUMP, start);
    pop_fblock(c);
    use_next_block(c, except);
    SET_LOC(c, s->v.AsyncFor.iter);
    ADDOP(c, END_ASYNC_FOR);
    VISIT_SEQ(c, stmt, s->v.AsyncFor.orelse);
    use_next_block(c, end);
    return 1;
}

int with_except_finish(compiler *c, pmi_block *cleanup)
{
    UNSET_LOC(c);
    pmi_block *wexit;
    NEW_BLOCK(c, wexit);
    ADDOP_JUMP(c, POP_JUMP_IF_TRUE, wexit);
    ADDOP_I(c, RERAISE, 2);
    use_next_block(c, cleanup);
    if (!pop_except_and_reraise(c))
        return 0;
    use_next_block(c, wexit);
    ADDOP(c, POP_TOP);
    ADDOP(c, POP_BLOCK);
    ADDOP(c, POP_EXCEPT);
    ADDOP(c, POP_TOP);
    ADDOP(c, POP_TOP);
    return 1;
}

int compiler_async_with(compiler *c, stmt_ty s, int pos)
{
    pmi_block *block, *final, *exit, *cleanup;
    withitem_ty item = asdl_seq_GET(s->v.AsyncWith.items, pos);
    if (c->u->scope_type != SCOPE_ASYNC_FUNCTION)
        return compiler_error(c, "'async with' outside async function");
    NEW_BLOCK(c, block);
    NEW_BLOCK(c, final);
    NEW_BLOCK(c, exit);
    NEW_BLOCK(c, cleanup);
    VISIT(c, expr, item->context_expr);
    ADDOP(c, BEFORE_ASYNC_WITH);
    ADDOP_I(c, GET_AWAITABLE, 1);
    ADDOP_LOAD_CONST(c, PM_NONE);
    if (!add_yield_from(c, 1))
        return 0;
    ADDOP_JUMP(c, SETUP_WITH, final);
    use_next_block(c, block);
    if (!push_fblock(c, ASYNC_WITH, block, final, s))
        return 0;
    if (item->optional_vars)
        VISIT(c, expr, item->optional_vars);
    else
        ADDOP(c, POP_TOP);
    pos++;
    if (pos == asdl_seq_LEN(s->v.AsyncWith.items)) {
        VISIT_SEQ(c, stmt, s->v.AsyncWith.body);
    } else if (!compiler_async_with(c, s, pos)) {
        return 0;
    }
    pop_fblock(c);
    ADDOP(c, POP_BLOCK);
    SET_LOC(c, s);
    if (!call_exit_with_nones(c))
        return 0;
    ADDOP_I(c, GET_AWAITABLE, 2);
    ADDOP_LOAD_CONST(c, PM_NONE);
    if (!add_yield_from(c, 1))
        return 0;
    ADDOP(c, POP_TOP);
    ADDOP_JUMP(c, JUMP, exit);
    use_next_block(c, final);
    ADDOP_JUMP(c, SETUP_CLEANUP, cleanup);
    ADDOP(c, PUSH_EXC_INFO);
    ADDOP(c, WITH_EXCEPT_START);
    ADDOP_I(c, GET_AWAITABLE, 2);
    ADDOP_LOAD_CONST(c, PM_NONE);
    if (!add_yield_from(c, 1))
        return 0;
    if (!with_except_finish(c, cleanup))
        return 0;
    use_next_block(c, exit);
    return 1;
}

int compiler_assert(compiler *c, stmt_ty s)
{
    /* 3.11 warns about a non-empty tuple test even under -O */
    expr_ty test = s->v.Assert.test;
    if ((test->kind == Tuple_kind && asdl_seq_LEN(test->v.Tuple.elts) > 0) ||
        (test->kind == Constant_kind && pm_type_of(test->v.Constant.value) == &pm_tuple_type &&
         pm_tuple_size(test->v.Constant.value) > 0)) {
        if (pmi_warn(c->rt, c->err, PMI_WARN_SYNTAX, c->src, c->srclen, c->u->loc.lineno, NULL,
                     "assertion is always true, perhaps remove parentheses?") < 0)
            return 0;
    }
    if (c->optimize)
        return 1;
    pmi_block *end;
    NEW_BLOCK(c, end);
    if (!compiler_jump_if(c, s->v.Assert.test, end, 1))
        return 0;
    ADDOP(c, LOAD_ASSERTION_ERROR);
    if (s->v.Assert.msg) {
        VISIT(c, expr, s->v.Assert.msg);
        ADDOP_I(c, PRECALL, 0);
        ADDOP_I(c, CALL, 0);
    }
    ADDOP_I(c, RAISE_VARARGS, 1);
    use_next_block(c, end);
    return 1;
}

int compiler_import(compiler *c, stmt_ty s)
{
    pm_runtime *rt = c->rt;
    pm_object *zero = own(c, pm_int_from_long(rt, 0));
    if (zero == NULL)
        return 0;
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(s->v.Import.names); i++) {
        alias_ty alias = asdl_seq_GET(s->v.Import.names, i);
        ADDOP_LOAD_CONST(c, zero);
        ADDOP_LOAD_CONST(c, PM_NONE);
        ADDOP_NAME(c, IMPORT_NAME, alias->name);
        pm_ssize_t len;
        const char *nm = pm_str_as_utf8(rt, alias->name, &len);
        if (nm == NULL)
            return 0;
        const char *dot = memchr(nm, '.', (size_t)len);
        if (alias->asname) {
            if (dot != NULL) {
                const char *p = dot + 1;
                for (;;) {
                    const char *d2 = memchr(p, '.', (size_t)(nm + len - p));
                    pm_ssize_t alen = (d2 ? d2 : nm + len) - p;
                    pm_object *attr = own(c, pm_str_from_utf8(rt, p, alen));
                    pm_object *ia = attr ? own(c, pm_str_intern(rt, attr)) : NULL;
                    if (ia == NULL || !addop_n(c, PMI_OP_IMPORT_FROM, ia))
                        return 0;
                    if (d2 == NULL)
                        break;
                    ADDOP_I(c, SWAP, 2);
                    ADDOP(c, POP_TOP);
                    p = d2 + 1;
                }
                if (!compiler_nameop(c, alias->asname, Store))
                    return 0;
                ADDOP(c, POP_TOP);
            } else if (!compiler_nameop(c, alias->asname, Store)) {
                return 0;
            }
        } else {
            pm_object *store = alias->name;
            if (dot != NULL) {
                pm_object *t = own(c, pm_str_from_utf8(rt, nm, dot - nm));
                store = t ? own(c, pm_str_intern(rt, t)) : NULL;
                if (store == NULL)
                    return 0;
            }
            if (!compiler_nameop(c, store, Store))
                return 0;
        }
    }
    return 1;
}

int compiler_from_import(compiler *c, stmt_ty s)
{
    pm_runtime *rt = c->rt;
    pm_ssize_t n = asdl_seq_LEN(s->v.ImportFrom.names);
    ADDOP_LOAD_CONST_NEW(c, pm_int_from_long(rt, s->v.ImportFrom.level));
    pm_object **items = pm_malloc(rt, sizeof(pm_object *) * (size_t)(n ? n : 1));
    if (items == NULL) {
        pm_err_nomem(rt);
        return 0;
    }
    for (pm_ssize_t i = 0; i < n; i++)
        items[i] = asdl_seq_GET(s->v.ImportFrom.names, i)->name;
    pm_object *names = pm_tuple_from_array(rt, items, n);
    pm_free(rt, items);
    if (names == NULL)
        return 0;
    if (s->lineno > c->ff_lineno && s->v.ImportFrom.module &&
        pm_str_equal_cstr(s->v.ImportFrom.module, "__future__")) {
        pm_decref(rt, names);
        return compiler_error(c, "from __future__ imports must occur at the beginning of the file");
    }
    ADDOP_LOAD_CONST_NEW(c, names);
    if (s->v.ImportFrom.module) {
        ADDOP_NAME(c, IMPORT_NAME, s->v.ImportFrom.module);
    } else {
        pm_object *empty = intern_cstr(c, "");
        if (empty == NULL)
            return 0;
        ADDOP_NAME(c, IMPORT_NAME, empty);
    }
    for (pm_ssize_t i = 0; i < n; i++) {
        alias_ty alias = asdl_seq_GET(s->v.ImportFrom.names, i);
        if (i == 0 && pm_str_length(alias->name) > 0 && pm_str_read_char(alias->name, 0) == '*') {
            ADDOP(c, IMPORT_STAR);
            return 1;
        }
        ADDOP_NAME(c, IMPORT_FROM, alias->name);
        if (!compiler_nameop(c, alias->asname ? alias->asname : alias->name, Store))
            return 0;
    }
    ADDOP(c, POP_TOP);
    return 1;
}

int check_ann_expr(compiler *c, expr_ty e)
{
    VISIT(c, expr, e);
    ADDOP(c, POP_TOP);
    return 1;
}

int check_ann_subscr(compiler *c, expr_ty e)
{
    switch (e->kind) {
    case Slice_kind:
        if (e->v.Slice.lower && !check_ann_expr(c, e->v.Slice.lower))
            return 0;
        if (e->v.Slice.upper && !check_ann_expr(c, e->v.Slice.upper))
            return 0;
        if (e->v.Slice.step && !check_ann_expr(c, e->v.Slice.step))
            return 0;
        return 1;
    case Tuple_kind:
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.Tuple.elts); i++)
            if (!check_ann_subscr(c, asdl_seq_GET(e->v.Tuple.elts, i)))
                return 0;
        return 1;
    default:
        return check_ann_expr(c, e);
    }
}

int compiler_annassign(compiler *c, stmt_ty s)
{
    expr_ty targ = s->v.AnnAssign.target;
    if (s->v.AnnAssign.value) {
        VISIT(c, expr, s->v.AnnAssign.value);
        VISIT(c, expr, targ);
    }
    switch (targ->kind) {
    case Name_kind:
        if (forbidden_name(c, targ->v.Name.id, Store))
            return 0;
        if (s->v.AnnAssign.simple &&
            (c->u->scope_type == SCOPE_MODULE || c->u->scope_type == SCOPE_CLASS)) {
            if (c->future & PMI_CO_FUTURE_ANNOTATIONS) {
                if (!compiler_visit_annexpr(c, s->v.AnnAssign.annotation))
                    return 0;
            } else {
                VISIT(c, expr, s->v.AnnAssign.annotation);
            }
            pm_object *ann = intern_cstr(c, "__annotations__");
            if (ann == NULL)
                return 0;
            ADDOP_NAME(c, LOAD_NAME, ann);
            pm_object *m = mangle(c, targ->v.Name.id);
            if (m == NULL)
                return 0;
            ADDOP_LOAD_CONST(c, m);
            ADDOP(c, STORE_SUBSCR);
        }
        break;
    case Attribute_kind:
        if (forbidden_name(c, targ->v.Attribute.attr, Store))
            return 0;
        if (!s->v.AnnAssign.value && !check_ann_expr(c, targ->v.Attribute.value))
            return 0;
        break;
    case Subscript_kind:
        if (!s->v.AnnAssign.value && (!check_ann_expr(c, targ->v.Subscript.value) ||
                                      !check_ann_subscr(c, targ->v.Subscript.slice)))
            return 0;
        break;
    default:
        pm_err_format(c->rt, PM_EXC_SystemError, "invalid node type (%d) for annotated assignment",
                      (int)targ->kind);
        return 0;
    }
    if (!s->v.AnnAssign.simple && !(c->future & PMI_CO_FUTURE_ANNOTATIONS) &&
        (c->u->scope_type == SCOPE_MODULE || c->u->scope_type == SCOPE_CLASS))
        return check_ann_expr(c, s->v.AnnAssign.annotation);
    return 1;
}

int compiler_augassign(compiler *c, stmt_ty s)
{
    expr_ty e = s->v.AugAssign.target;
    pmi_loc saved = c->u->loc;
    SET_LOC(c, e);
    switch (e->kind) {
    case Attribute_kind:
        VISIT(c, expr, e->v.Attribute.value);
        ADDOP_I(c, COPY, 1);
        update_start_location_to_match_attr(c, e);
        ADDOP_NAME(c, LOAD_ATTR, e->v.Attribute.attr);
        break;
    case Subscript_kind:
        VISIT(c, expr, e->v.Subscript.value);
        VISIT(c, expr, e->v.Subscript.slice);
        ADDOP_I(c, COPY, 2);
        ADDOP_I(c, COPY, 2);
        ADDOP(c, BINARY_SUBSCR);
        break;
    case Name_kind:
        if (!compiler_nameop(c, e->v.Name.id, Load))
            return 0;
        break;
    default:
        pm_err_format(c->rt, PM_EXC_SystemError, "invalid node type (%d) for augmented assignment",
                      (int)e->kind);
        return 0;
    }
    c->u->loc = saved;
    VISIT(c, expr, s->v.AugAssign.value);
    ADDOP_I(c, BINARY_OP, binop_arg(s->v.AugAssign.op, 1));
    SET_LOC(c, e);
    switch (e->kind) {
    case Attribute_kind:
        update_start_location_to_match_attr(c, e);
        ADDOP_I(c, SWAP, 2);
        ADDOP_NAME(c, STORE_ATTR, e->v.Attribute.attr);
        break;
    case Subscript_kind:
        ADDOP_I(c, SWAP, 3);
        ADDOP_I(c, SWAP, 2);
        ADDOP(c, STORE_SUBSCR);
        break;
    default:
        return compiler_nameop(c, e->v.Name.id, Store);
    }
    return 1;
}

int compiler_stmt_expr(compiler *c, expr_ty value)
{
    if (c->interactive && c->nestlevel <= 1) {
        VISIT(c, expr, value);
        ADDOP(c, PRINT_EXPR);
        return 1;
    }
    if (value->kind == Constant_kind) {
        ADDOP(c, NOP);
        return 1;
    }
    VISIT(c, expr, value);
    UNSET_LOC(c);
    ADDOP(c, POP_TOP);
    return 1;
}


int compiler_visit_stmt(compiler *c, stmt_ty s)
{
    SET_LOC(c, s);
    switch (s->kind) {
    case FunctionDef_kind:
        return compiler_function(c, s, 0);
    case AsyncFunctionDef_kind:
        return compiler_function(c, s, 1);
    case ClassDef_kind:
        return compiler_class(c, s);
    case Return_kind:
        return compiler_return(c, s);
    case Delete_kind:
        VISIT_SEQ(c, expr, s->v.Delete.targets);
        return 1;
    case Assign_kind: {
        pm_ssize_t n = asdl_seq_LEN(s->v.Assign.targets);
        VISIT(c, expr, s->v.Assign.value);
        for (pm_ssize_t i = 0; i < n; i++) {
            if (i < n - 1)
                ADDOP_I(c, COPY, 1);
            VISIT(c, expr, asdl_seq_GET(s->v.Assign.targets, i));
        }
        return 1;
    }
    case AugAssign_kind:
        return compiler_augassign(c, s);
    case AnnAssign_kind:
        return compiler_annassign(c, s);
    case For_kind:
        return compiler_for(c, s);
    case While_kind:
        return compiler_while(c, s);
    case If_kind:
        return compiler_if(c, s);
    case Match_kind:
        return compiler_match(c, s);
    case Raise_kind: {
        int n = 0;
        if (s->v.Raise.exc) {
            VISIT(c, expr, s->v.Raise.exc);
            n++;
            if (s->v.Raise.cause) {
                VISIT(c, expr, s->v.Raise.cause);
                n++;
            }
        }
        ADDOP_I(c, RAISE_VARARGS, n);
        return 1;
    }
    case Try_kind:
        if (asdl_seq_LEN(s->v.Try.finalbody))
            return compiler_try_finally(c, s);
        return compiler_try_except(c, s);
    case TryStar_kind:
        if (asdl_seq_LEN(s->v.TryStar.finalbody))
            return compiler_try_star_finally(c, s);
        return compiler_try_star_except(c, s);
    case Assert_kind:
        return compiler_assert(c, s);
    case Import_kind:
        return compiler_import(c, s);
    case ImportFrom_kind:
        return compiler_from_import(c, s);
    case Global_kind:
    case Nonlocal_kind:
        return 1;
    case Expr_kind:
        return compiler_stmt_expr(c, s->v.Expr.value);
    case Pass_kind:
        ADDOP(c, NOP);
        return 1;
    case Break_kind:
        return compiler_break(c);
    case Continue_kind:
        return compiler_continue(c);
    case With_kind:
        return compiler_with(c, s, 0);
    case AsyncWith_kind:
        return compiler_async_with(c, s, 0);
    case AsyncFor_kind:
        return compiler_async_for(c, s);
    }
    return 1;
}

