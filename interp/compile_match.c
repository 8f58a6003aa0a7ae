/*
 * interp/compile_match.c -- code generation for `match` (CPython 3.11's
 * compiler_pattern_*).  The subject stays on the stack while each case's
 * pattern checks it; names a pattern binds pile up under the items still
 * being matched and are stored only when the whole pattern succeeded.
 * A failed check jumps to fail_pop[n], a chain of blocks popping the n
 * items above the subject, so every failure point shares one exit.
 */
#include "compile_int.h"

/* ---- pattern matching (3.11's compiler_pattern_*) ------------------------------- */

struct pattern_context {
    pm_object *stores;          /* list of names bound so far (in stack order) */
    int allow_irrefutable;      /* an irrefutable pattern is allowed here */
    pmi_block **fail_pop;       /* fail_pop[n]: pops n items then fails */
    pm_ssize_t fail_pop_size;   /* entries of fail_pop */
    pm_ssize_t on_top;          /* items on the stack above the stores */
};

#define WILDCARD_CHECK(N) ((N)->kind == MatchAs_kind && !(N)->v.MatchAs.name)
#define WILDCARD_STAR_CHECK(N) ((N)->kind == MatchStar_kind && !(N)->v.MatchStar.name)
#define MATCH_VALUE_EXPR(N) ((N)->kind == Constant_kind || (N)->kind == Attribute_kind)


int ensure_fail_pop(compiler *c, pattern_context *pc, pm_ssize_t n)
{
    pm_ssize_t size = n + 1;
    if (size <= pc->fail_pop_size)
        return 1;
    pmi_block **r = pm_realloc(c->rt, pc->fail_pop, sizeof(pmi_block *) * (size_t)size);
    if (r == NULL) {
        pm_err_nomem(c->rt);
        return 0;
    }
    pc->fail_pop = r;
    while (pc->fail_pop_size < size) {
        pmi_block *b;
        NEW_BLOCK(c, b);
        pc->fail_pop[pc->fail_pop_size++] = b;
    }
    return 1;
}

int jump_to_fail_pop(compiler *c, pattern_context *pc, int op)
{
    pm_ssize_t pops = pc->on_top + pm_list_size(pc->stores);
    if (!ensure_fail_pop(c, pc, pops))
        return 0;
    return addop_j(c, op, pc->fail_pop[pops]);
}

int emit_and_reset_fail_pop(compiler *c, pattern_context *pc)
{
    if (!pc->fail_pop_size)
        return next_block(c);
    while (--pc->fail_pop_size) {
        use_next_block(c, pc->fail_pop[pc->fail_pop_size]);
        if (!addop(c, PMI_OP_POP_TOP)) {
            pc->fail_pop_size = 0;
            pm_free(c->rt, pc->fail_pop);
            pc->fail_pop = NULL;
            return 0;
        }
    }
    use_next_block(c, pc->fail_pop[0]);
    pm_free(c->rt, pc->fail_pop);
    pc->fail_pop = NULL;
    return 1;
}

int pattern_helper_rotate(compiler *c, pm_ssize_t count)
{
    while (1 < count)
        ADDOP_I(c, SWAP, count--);
    return 1;
}

int list_contains_str(pm_runtime *rt, pm_object *list, pm_object *s)
{
    for (pm_ssize_t i = 0; i < pm_list_size(list); i++)
        if (pm_str_compare(pm_list_get(rt, list, i), s) == 0)
            return (int)i + 1;
    return 0;
}

int pattern_helper_store_name(compiler *c, pm_object *n, pattern_context *pc)
{
    if (n == NULL) {
        ADDOP(c, POP_TOP);
        return 1;
    }
    if (forbidden_name(c, n, Store))
        return 0;
    if (list_contains_str(c->rt, pc->stores, n))
        return compiler_error(c, "multiple assignments to name '%s' in pattern",
                              pm_str_as_utf8(c->rt, n, NULL));
    pm_ssize_t rotations = pc->on_top + pm_list_size(pc->stores) + 1;
    if (!pattern_helper_rotate(c, rotations))
        return 0;
    return pm_list_append(c->rt, pc->stores, n) == 0;
}

int pattern_unpack_helper(compiler *c, asdl_pattern_seq *elts)
{
    pm_ssize_t n = asdl_seq_LEN(elts);
    int seen_star = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        pattern_ty elt = asdl_seq_GET(elts, i);
        if (elt->kind == MatchStar_kind && !seen_star) {
            if (i >= (1 << 8) || (n - i - 1) >= (0x7fffffff >> 8))
                return compiler_error(c, "too many expressions in star-unpacking sequence pattern");
            ADDOP_I(c, UNPACK_EX, i + ((n - i - 1) << 8));
            seen_star = 1;
        } else if (elt->kind == MatchStar_kind) {
            return compiler_error(c, "multiple starred expressions in sequence pattern");
        }
    }
    if (!seen_star)
        ADDOP_I(c, UNPACK_SEQUENCE, n);
    return 1;
}

int compiler_pattern_subpattern(compiler *c, pattern_ty p, pattern_context *pc)
{
    int allow = pc->allow_irrefutable;
    pc->allow_irrefutable = 1;
    if (!compiler_pattern(c, p, pc))
        return 0;
    pc->allow_irrefutable = allow;
    return 1;
}

int pattern_helper_sequence_unpack(compiler *c, asdl_pattern_seq *patterns, pattern_context *pc)
{
    if (!pattern_unpack_helper(c, patterns))
        return 0;
    pm_ssize_t size = asdl_seq_LEN(patterns);
    pc->on_top += size;
    for (pm_ssize_t i = 0; i < size; i++) {
        pc->on_top--;
        if (!compiler_pattern_subpattern(c, asdl_seq_GET(patterns, i), pc))
            return 0;
    }
    return 1;
}

int pattern_helper_sequence_subscr(compiler *c, asdl_pattern_seq *patterns, pm_ssize_t star,
                                          pattern_context *pc)
{
    pc->on_top++;
    pm_ssize_t size = asdl_seq_LEN(patterns);
    for (pm_ssize_t i = 0; i < size; i++) {
        pattern_ty pattern = asdl_seq_GET(patterns, i);
        if (WILDCARD_CHECK(pattern) || i == star)
            continue;
        ADDOP_I(c, COPY, 1);
        if (i < star) {
            ADDOP_LOAD_CONST_NEW(c, pm_int_from_ssize(c->rt, i));
        } else {
            ADDOP(c, GET_LEN);
            ADDOP_LOAD_CONST_NEW(c, pm_int_from_ssize(c->rt, size - i));
            ADDOP_I(c, BINARY_OP, PMI_NB_SUBTRACT);
        }
        ADDOP(c, BINARY_SUBSCR);
        if (!compiler_pattern_subpattern(c, pattern, pc))
            return 0;
    }
    pc->on_top--;
    ADDOP(c, POP_TOP);
    return 1;
}

int compiler_pattern_as(compiler *c, pattern_ty p, pattern_context *pc)
{
    if (p->v.MatchAs.pattern == NULL) {
        if (!pc->allow_irrefutable) {
            if (p->v.MatchAs.name)
                return compiler_error(c, "name capture '%s' makes remaining patterns unreachable",
                                      pm_str_as_utf8(c->rt, p->v.MatchAs.name, NULL));
            return compiler_error(c, "wildcard makes remaining patterns unreachable");
        }
        return pattern_helper_store_name(c, p->v.MatchAs.name, pc);
    }
    pc->on_top++;
    ADDOP_I(c, COPY, 1);
    if (!compiler_pattern(c, p->v.MatchAs.pattern, pc))
        return 0;
    pc->on_top--;
    return pattern_helper_store_name(c, p->v.MatchAs.name, pc);
}

int compiler_pattern_class(compiler *c, pattern_ty p, pattern_context *pc)
{
    asdl_pattern_seq *patterns = p->v.MatchClass.patterns;
    asdl_identifier_seq *kwd_attrs = p->v.MatchClass.kwd_attrs;
    asdl_pattern_seq *kwd_patterns = p->v.MatchClass.kwd_patterns;
    pm_ssize_t nargs = asdl_seq_LEN(patterns), nattrs = asdl_seq_LEN(kwd_attrs);
    if (nattrs != asdl_seq_LEN(kwd_patterns))
        return compiler_error(c, "kwd_attrs (%d) / kwd_patterns (%d) length mismatch in class pattern",
                              (int)nattrs, (int)asdl_seq_LEN(kwd_patterns));
    if (nattrs) {
        for (pm_ssize_t i = 0; i < nattrs; i++) {
            pm_object *attr = asdl_seq_GET(kwd_attrs, i);
            SET_LOC(c, asdl_seq_GET(kwd_patterns, i));
            if (forbidden_name(c, attr, Store))
                return 0;
            for (pm_ssize_t j = i + 1; j < nattrs; j++) {
                if (pm_str_compare(attr, asdl_seq_GET(kwd_attrs, j)) == 0) {
                    SET_LOC(c, asdl_seq_GET(kwd_patterns, j));
                    return compiler_error(c, "attribute name repeated in class pattern: %s",
                                          pm_str_as_utf8(c->rt, attr, NULL));
                }
            }
        }
        SET_LOC(c, p);
    }
    VISIT(c, expr, p->v.MatchClass.cls);
    pm_object *names = pm_tuple_from_array(c->rt, kwd_attrs ? kwd_attrs->typed_elements : NULL, nattrs);
    ADDOP_LOAD_CONST_NEW(c, names);
    ADDOP_I(c, MATCH_CLASS, nargs);
    ADDOP_I(c, COPY, 1);
    ADDOP_LOAD_CONST(c, PM_NONE);
    ADDOP_I(c, IS_OP, 1);
    pc->on_top++;
    if (!jump_to_fail_pop(c, pc, PMI_OP_POP_JUMP_IF_FALSE))
        return 0;
    ADDOP_I(c, UNPACK_SEQUENCE, nargs + nattrs);
    pc->on_top += nargs + nattrs - 1;
    for (pm_ssize_t i = 0; i < nargs + nattrs; i++) {
        pc->on_top--;
        pattern_ty pattern = i < nargs ? asdl_seq_GET(patterns, i) : asdl_seq_GET(kwd_patterns, i - nargs);
        if (WILDCARD_CHECK(pattern)) {
            ADDOP(c, POP_TOP);
            continue;
        }
        if (!compiler_pattern_subpattern(c, pattern, pc))
            return 0;
    }
    return 1;
}

int compiler_pattern_mapping(compiler *c, pattern_ty p, pattern_context *pc)
{
    pm_runtime *rt = c->rt;
    asdl_expr_seq *keys = p->v.MatchMapping.keys;
    asdl_pattern_seq *patterns = p->v.MatchMapping.patterns;
    pm_ssize_t size = asdl_seq_LEN(keys);
    if (size != asdl_seq_LEN(patterns))
        return compiler_error(c, "keys (%d) / patterns (%d) length mismatch in mapping pattern",
                              (int)size, (int)asdl_seq_LEN(patterns));
    pm_object *star_target = p->v.MatchMapping.rest;
    pc->on_top++;
    ADDOP(c, MATCH_MAPPING);
    if (!jump_to_fail_pop(c, pc, PMI_OP_POP_JUMP_IF_FALSE))
        return 0;
    if (!size && !star_target) {
        pc->on_top--;
        ADDOP(c, POP_TOP);
        return 1;
    }
    if (size) {
        ADDOP(c, GET_LEN);
        ADDOP_LOAD_CONST_NEW(c, pm_int_from_ssize(rt, size));
        ADDOP_COMPARE(c, GtE);
        if (!jump_to_fail_pop(c, pc, PMI_OP_POP_JUMP_IF_FALSE))
            return 0;
    }
    pmi_const_table seen;
    memset(&seen, 0, sizeof seen);
    seen.list = pm_list_new(rt);
    if (seen.list == NULL)
        return 0;
    for (pm_ssize_t i = 0; i < size; i++) {
        expr_ty key = asdl_seq_GET(keys, i);
        if (key == NULL) {
            SET_LOC(c, asdl_seq_GET(patterns, i));
            compiler_error(c, "can't use NULL keys in MatchMapping (set 'rest' parameter instead)");
            goto error;
        }
        if (key->kind == Constant_kind) {
            pm_ssize_t before = pm_list_size(seen.list);
            int idx = pmi_const_index(rt, &seen, key->v.Constant.value);
            if (idx < 0)
                goto error;
            if (idx < before) {
                pm_object *r = pm_repr(rt, key->v.Constant.value);
                compiler_error(c, "mapping pattern checks duplicate key (%s)",
                               r ? pm_str_as_utf8(rt, r, NULL) : "?");
                pm_xdecref(rt, r);
                goto error;
            }
        } else if (key->kind != Attribute_kind) {
            compiler_error(c, "mapping pattern keys may only match literals and attribute lookups");
            goto error;
        }
        if (!compiler_visit_expr(c, key))
            goto error;
    }
    pmi_const_table_clear(rt, &seen);
    ADDOP_I(c, BUILD_TUPLE, size);
    ADDOP(c, MATCH_KEYS);
    pc->on_top += 2;
    ADDOP_I(c, COPY, 1);
    ADDOP_LOAD_CONST(c, PM_NONE);
    ADDOP_I(c, IS_OP, 1);
    if (!jump_to_fail_pop(c, pc, PMI_OP_POP_JUMP_IF_FALSE))
        return 0;
    ADDOP_I(c, UNPACK_SEQUENCE, size);
    pc->on_top += size - 1;
    for (pm_ssize_t i = 0; i < size; i++) {
        pc->on_top--;
        if (!compiler_pattern_subpattern(c, asdl_seq_GET(patterns, i), pc))
            return 0;
    }
    pc->on_top -= 2;
    if (star_target) {
        ADDOP_I(c, BUILD_MAP, 0);
        ADDOP_I(c, SWAP, 3);
        ADDOP_I(c, DICT_UPDATE, 2);
        ADDOP_I(c, UNPACK_SEQUENCE, size);
        while (size) {
            ADDOP_I(c, COPY, 1 + size--);
            ADDOP_I(c, SWAP, 2);
            ADDOP(c, DELETE_SUBSCR);
        }
        if (!pattern_helper_store_name(c, star_target, pc))
            return 0;
    } else {
        ADDOP(c, POP_TOP);
        ADDOP(c, POP_TOP);
    }
    return 1;
error:
    pmi_const_table_clear(rt, &seen);
    return 0;
}

int compiler_pattern_or(compiler *c, pattern_ty p, pattern_context *pc)
{
    pm_runtime *rt = c->rt;
    pmi_block *end;
    NEW_BLOCK(c, end);
    pm_ssize_t size = asdl_seq_LEN(p->v.MatchOr.patterns);
    pattern_context old_pc = *pc;
    pm_incref(rt, pc->stores);
    pm_object *control = NULL;
    for (pm_ssize_t i = 0; i < size; i++) {
        pattern_ty alt = asdl_seq_GET(p->v.MatchOr.patterns, i);
        SET_LOC(c, alt);
        pm_object *st = pm_list_new(rt);
        if (st == NULL)
            goto error;
        pm_decref(rt, pc->stores);
        pc->stores = st;
        pc->allow_irrefutable = (i == size - 1) && old_pc.allow_irrefutable;
        pc->fail_pop = NULL;
        pc->fail_pop_size = 0;
        pc->on_top = 0;
        if (!addop_i(c, PMI_OP_COPY, 1) || !compiler_pattern(c, alt, pc))
            goto error;
        pm_ssize_t nstores = pm_list_size(pc->stores);
        if (!i) {
            control = pm_newref(rt, pc->stores);
        } else if (nstores != pm_list_size(control)) {
            goto diff;
        } else if (nstores) {
            pm_ssize_t icontrol = nstores;
            while (icontrol--) {
                pm_object *name = pm_list_get(rt, control, icontrol);
                int istores1 = list_contains_str(rt, pc->stores, name);
                if (!istores1)
                    goto diff;
                pm_ssize_t istores = istores1 - 1;
                if (icontrol != istores) {
                    pm_ssize_t rotations = istores + 1;
                    pm_object *rotated = pm_list_get_slice(rt, pc->stores, 0, rotations);
                    if (rotated == NULL ||
                        pm_list_set_slice(rt, pc->stores, 0, rotations, NULL) < 0 ||
                        pm_list_set_slice(rt, pc->stores, icontrol - istores, icontrol - istores,
                                          rotated) < 0) {
                        pm_xdecref(rt, rotated);
                        goto error;
                    }
                    pm_decref(rt, rotated);
                    while (rotations--)
                        if (!pattern_helper_rotate(c, icontrol + 1))
                            goto error;
                }
            }
        }
        if (!addop_j(c, PMI_OP_JUMP, end) || !emit_and_reset_fail_pop(c, pc))
            goto error;
    }
    pm_decref(rt, pc->stores);
    *pc = old_pc;
    pm_incref(rt, pc->stores);
    old_pc.fail_pop = NULL;
    if (!addop(c, PMI_OP_POP_TOP) || !jump_to_fail_pop(c, pc, PMI_OP_JUMP))
        goto error;
    use_next_block(c, end);
    pm_ssize_t nstores = pm_list_size(control);
    pm_ssize_t nrots = nstores + 1 + pc->on_top + pm_list_size(pc->stores);
    for (pm_ssize_t i = 0; i < nstores; i++) {
        if (!pattern_helper_rotate(c, nrots))
            goto error;
        pm_object *name = pm_list_get(rt, control, i);
        if (list_contains_str(rt, pc->stores, name)) {
            compiler_error(c, "multiple assignments to name '%s' in pattern",
                           pm_str_as_utf8(rt, name, NULL));
            goto error;
        }
        if (pm_list_append(rt, pc->stores, name) < 0)
            goto error;
    }
    pm_decref(rt, old_pc.stores);
    pm_decref(rt, control);
    ADDOP(c, POP_TOP);
    return 1;
diff:
    compiler_error(c, "alternative patterns bind different names");
error:
    pm_free(rt, old_pc.fail_pop);
    pm_decref(rt, old_pc.stores);
    pm_xdecref(rt, control);
    return 0;
}

int compiler_pattern_sequence(compiler *c, pattern_ty p, pattern_context *pc)
{
    asdl_pattern_seq *patterns = p->v.MatchSequence.patterns;
    pm_ssize_t size = asdl_seq_LEN(patterns), star = -1;
    int only_wildcard = 1, star_wildcard = 0;
    for (pm_ssize_t i = 0; i < size; i++) {
        pattern_ty pattern = asdl_seq_GET(patterns, i);
        if (pattern->kind == MatchStar_kind) {
            if (star >= 0)
                return compiler_error(c, "multiple starred names in sequence pattern");
            star_wildcard = WILDCARD_STAR_CHECK(pattern);
            only_wildcard &= star_wildcard;
            star = i;
            continue;
        }
        only_wildcard &= WILDCARD_CHECK(pattern);
    }
    pc->on_top++;
    ADDOP(c, MATCH_SEQUENCE);
    if (!jump_to_fail_pop(c, pc, PMI_OP_POP_JUMP_IF_FALSE))
        return 0;
    if (star < 0) {
        ADDOP(c, GET_LEN);
        ADDOP_LOAD_CONST_NEW(c, pm_int_from_ssize(c->rt, size));
        ADDOP_COMPARE(c, Eq);
        if (!jump_to_fail_pop(c, pc, PMI_OP_POP_JUMP_IF_FALSE))
            return 0;
    } else if (size > 1) {
        ADDOP(c, GET_LEN);
        ADDOP_LOAD_CONST_NEW(c, pm_int_from_ssize(c->rt, size - 1));
        ADDOP_COMPARE(c, GtE);
        if (!jump_to_fail_pop(c, pc, PMI_OP_POP_JUMP_IF_FALSE))
            return 0;
    }
    pc->on_top--;
    if (only_wildcard) {
        ADDOP(c, POP_TOP);
        return 1;
    }
    if (star_wildcard)
        return pattern_helper_sequence_subscr(c, patterns, star, pc);
    return pattern_helper_sequence_unpack(c, patterns, pc);
}

int compiler_pattern(compiler *c, pattern_ty p, pattern_context *pc)
{
    SET_LOC(c, p);
    switch (p->kind) {
    case MatchValue_kind: {
        expr_ty value = p->v.MatchValue.value;
        if (!MATCH_VALUE_EXPR(value))
            return compiler_error(c, "patterns may only match literals and attribute lookups");
        VISIT(c, expr, value);
        ADDOP_COMPARE(c, Eq);
        return jump_to_fail_pop(c, pc, PMI_OP_POP_JUMP_IF_FALSE);
    }
    case MatchSingleton_kind:
        ADDOP_LOAD_CONST(c, p->v.MatchSingleton.value);
        ADDOP_COMPARE(c, Is);
        return jump_to_fail_pop(c, pc, PMI_OP_POP_JUMP_IF_FALSE);
    case MatchSequence_kind:
        return compiler_pattern_sequence(c, p, pc);
    case MatchMapping_kind:
        return compiler_pattern_mapping(c, p, pc);
    case MatchClass_kind:
        return compiler_pattern_class(c, p, pc);
    case MatchStar_kind:
        return pattern_helper_store_name(c, p->v.MatchStar.name, pc);
    case MatchAs_kind:
        return compiler_pattern_as(c, p, pc);
    case MatchOr_kind:
        return compiler_pattern_or(c, p, pc);
    }
    return compiler_error(c, "invalid match pattern node in AST (kind=%d)", (int)p->kind);
}

int compiler_match_inner(compiler *c, stmt_ty s, pattern_context *pc)
{
    VISIT(c, expr, s->v.Match.subject);
    pmi_block *end;
    NEW_BLOCK(c, end);
    pm_ssize_t cases = asdl_seq_LEN(s->v.Match.cases);
    match_case_ty m = asdl_seq_GET(s->v.Match.cases, cases - 1);
    int has_default = WILDCARD_CHECK(m->pattern) && 1 < cases;
    for (pm_ssize_t i = 0; i < cases - has_default; i++) {
        m = asdl_seq_GET(s->v.Match.cases, i);
        SET_LOC(c, m->pattern);
        if (i != cases - has_default - 1)
            ADDOP_I(c, COPY, 1);
        pc->stores = pm_list_new(c->rt);
        if (pc->stores == NULL)
            return 0;
        pc->allow_irrefutable = m->guard != NULL || i == cases - 1;
        pc->fail_pop = NULL;
        pc->fail_pop_size = 0;
        pc->on_top = 0;
        if (!compiler_pattern(c, m->pattern, pc)) {
            pm_decref(c->rt, pc->stores);
            pc->stores = NULL;
            return 0;
        }
        pm_ssize_t nstores = pm_list_size(pc->stores);
        for (pm_ssize_t n = 0; n < nstores; n++) {
            if (!compiler_nameop(c, pm_list_get(c->rt, pc->stores, n), Store)) {
                pm_decref(c->rt, pc->stores);
                pc->stores = NULL;
                return 0;
            }
        }
        pm_decref(c->rt, pc->stores);
        pc->stores = NULL;
        if (m->guard) {
            if (!ensure_fail_pop(c, pc, 0))
                return 0;
            if (!compiler_jump_if(c, m->guard, pc->fail_pop[0], 0))
                return 0;
        }
        if (i != cases - has_default - 1)
            ADDOP(c, POP_TOP);
        VISIT_SEQ(c, stmt, m->body);
        UNSET_LOC(c);
        ADDOP_JUMP(c, JUMP, end);
        SET_LOC(c, m->pattern);
        if (!emit_and_reset_fail_pop(c, pc))
            return 0;
    }
    if (has_default) {
        m = asdl_seq_GET(s->v.Match.cases, cases - 1);
        SET_LOC(c, m->pattern);
        if (cases == 1)
            ADDOP(c, POP_TOP);
        else
            ADDOP(c, NOP);
        if (m->guard && !compiler_jump_if(c, m->guard, end, 0))
            return 0;
        VISIT_SEQ(c, stmt, m->body);
        UNSET_LOC(c);
    }
    use_next_block(c, end);
    return 1;
}

int compiler_match(compiler *c, stmt_ty s)
{
    pattern_context pc;
    memset(&pc, 0, sizeof pc);
    int r = compiler_match_inner(c, s, &pc);
    pm_free(c->rt, pc.fail_pop);
    pm_xdecref(c->rt, pc.stores);
    return r;
}

