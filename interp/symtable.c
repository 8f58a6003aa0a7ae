/*
 * interp/symtable.c -- which scope each name of a module lives in.
 *
 * Two passes, as CPython 3.11's Python/symtable.c:
 *
 *  1. Build.  A visitor walks the AST once.  Each module, class, function,
 *     lambda and comprehension body opens a block (pmi_ste); every name the
 *     block touches is entered in its `symbols` dict with flags saying how
 *     (assigned, read, parameter, global/nonlocal statement, import, ...).
 *     Statement-level errors are found here ("name 'x' is used prior to
 *     global declaration", "'yield' inside list comprehension", ...).
 *
 *  2. Analyse.  A recursive walk down the block tree resolves every name to
 *     a scope, carrying two sets: `bound` (names bound by an enclosing
 *     function) and `global` (names declared global further out):
 *
 *        def f():            f:  x LOCAL -> CELL (a child uses it)
 *            x = 1
 *            def g():        g:  x FREE (bound in f)      y GLOBAL_IMPLICIT
 *                return x + y
 *
 *     A class body binds names that its methods do NOT see; it only passes
 *     down what its own enclosing functions bound, plus the implicit
 *     `__class__` (for super()), which becomes the class's __class__ cell
 *     when a method uses it.
 *
 * Names are mangled inside classes (__x -> _C__x) as they are entered.
 * Every object made here is owned by the symtable and dropped by
 * pmi_symtable_free; AST identifiers are borrowed from the arena.
 */
#include <stdarg.h>
#include <string.h>
#include "symtable.h"
#include "code.h"

#define ST_MAX_DEPTH 3000   /* CPython 3.11: recursion limit (1000) x COMPILER_STACK_FRAME_SCALE (3) */

/* ---- small helpers --------------------------------------------------------- */

static pm_object *st_own(pmi_symtable *st, pm_object *o)
{
    /* Keep o alive for the symtable's lifetime; returns it borrowed. */
    if (o == NULL)
        return NULL;
    if (pm_list_append(st->rt, st->owned, o) < 0) {
        pm_decref(st->rt, o);
        return NULL;
    }
    pm_decref(st->rt, o);
    return o;
}

static int st_error(pmi_symtable *st, int lineno, int col, int end_lineno, int end_col,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int st_error(pmi_symtable *st, int lineno, int col, int end_lineno, int end_col,
                    const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (st->err->filename == NULL && st->filename != NULL)
        st->err->filename = pm_newref(st->rt, st->filename);
    if (pmi_syntax_error_set(st->rt, st->err, PMI_SYNTAX_ERROR, st->src, st->srclen, lineno, col,
                             end_lineno, end_col, "%s", buf) < 0)
        return 0;
    return 0;
}

static const char *utf8(pm_runtime *rt, pm_object *s)
{
    const char *p = pm_str_as_utf8(rt, s, NULL);
    return p ? p : "?";
}

pm_object *pmi_mangle(pm_runtime *rt, pm_object *private_name, pm_object *name)
{
    pm_ssize_t nlen, plen;
    const char *n, *p;
    if (private_name == NULL)
        return pm_newref(rt, name);
    n = pm_str_as_utf8(rt, name, &nlen);
    if (n == NULL)
        return NULL;
    if (nlen < 2 || n[0] != '_' || n[1] != '_')
        return pm_newref(rt, name);
    if ((n[nlen - 1] == '_' && n[nlen - 2] == '_') || memchr(n, '.', (size_t)nlen) != NULL)
        return pm_newref(rt, name);
    p = pm_str_as_utf8(rt, private_name, &plen);
    if (p == NULL)
        return NULL;
    while (plen > 0 && *p == '_') {
        p++;
        plen--;
    }
    if (plen == 0)
        return pm_newref(rt, name);
    char *buf = pm_malloc(rt, (size_t)(1 + plen + nlen + 1));
    if (buf == NULL)
        return pm_err_nomem(rt);
    buf[0] = '_';
    memcpy(buf + 1, p, (size_t)plen);
    memcpy(buf + 1 + plen, n, (size_t)nlen);
    buf[1 + plen + nlen] = 0;
    pm_object *r = pm_str_from_utf8(rt, buf, 1 + plen + nlen);
    pm_free(rt, buf);
    if (r == NULL)
        return NULL;
    pm_object *i = pm_str_intern(rt, r);
    pm_decref(rt, r);
    return i;
}

long pmi_ste_flags(pm_runtime *rt, pmi_ste *ste, pm_object *name)
{
    pm_object *v = pm_dict_get(rt, ste->symbols, name);
    if (v == NULL)
        return 0;
    return pm_int_as_long(rt, v);
}

int pmi_ste_scope(pm_runtime *rt, pmi_ste *ste, pm_object *name)
{
    return (int)((pmi_ste_flags(rt, ste, name) >> PMI_SCOPE_OFFSET) & PMI_SCOPE_MASK);
}

static int set_flags(pm_runtime *rt, pm_object *dict, pm_object *name, long flags)
{
    pm_object *v = pm_int_from_long(rt, flags);
    if (v == NULL)
        return -1;
    int r = pm_dict_set(rt, dict, name, v);
    pm_decref(rt, v);
    return r;
}

/* ---- blocks ---------------------------------------------------------------- */

static void ste_free(pm_runtime *rt, pmi_ste *ste)
{
    if (ste == NULL)
        return;
    pm_xdecref(rt, ste->symbols);
    pm_xdecref(rt, ste->varnames);
    pm_free(rt, ste->children);
    pm_free(rt, ste->directives);
    pm_free(rt, ste);
}

static int st_register(pmi_symtable *st, pmi_ste *ste)
{
    /* open addressing by key pointer; the table stays at most half full */
    if ((st->nall + 1) * 2 > st->aall) {
        int na = st->aall ? st->aall * 2 : 64;
        pmi_ste **t = pm_calloc(st->rt, (size_t)na, sizeof *t);
        if (t == NULL) {
            pm_err_nomem(st->rt);
            return -1;
        }
        for (int i = 0; i < st->aall; i++) {
            pmi_ste *e = st->all[i];
            if (e == NULL)
                continue;
            size_t h = ((size_t)e->key >> 4) & (size_t)(na - 1);
            while (t[h] != NULL)
                h = (h + 1) & (size_t)(na - 1);
            t[h] = e;
        }
        pm_free(st->rt, st->all);
        st->all = t;
        st->aall = na;
    }
    size_t h = ((size_t)ste->key >> 4) & (size_t)(st->aall - 1);
    while (st->all[h] != NULL)
        h = (h + 1) & (size_t)(st->aall - 1);
    st->all[h] = ste;
    st->nall++;
    return 0;
}

pmi_ste *pmi_symtable_lookup(pmi_symtable *st, void *key)
{
    if (st->aall == 0)
        return NULL;
    size_t h = ((size_t)key >> 4) & (size_t)(st->aall - 1);
    while (st->all[h] != NULL) {
        if (st->all[h]->key == key)
            return st->all[h];
        h = (h + 1) & (size_t)(st->aall - 1);
    }
    return NULL;
}

static int enter_block(pmi_symtable *st, pm_object *name, pmi_block_type type, void *key,
                       int lineno, int col, int end_lineno, int end_col)
{
    pm_runtime *rt = st->rt;
    pmi_ste *ste = pm_calloc(rt, 1, sizeof *ste);
    if (ste == NULL) {
        pm_err_nomem(rt);
        return 0;
    }
    ste->key = key;
    ste->name = name;
    ste->type = type;
    ste->lineno = lineno;
    ste->col_offset = col;
    ste->end_lineno = end_lineno;
    ste->end_col_offset = end_col;
    ste->symbols = pm_dict_new(rt);
    ste->varnames = pm_list_new(rt);
    if (ste->symbols == NULL || ste->varnames == NULL || st_register(st, ste) < 0) {
        ste_free(rt, ste);
        return 0;
    }
    pmi_ste *prev = st->cur;
    if (prev != NULL) {
        if (prev->nested || prev->type == PMI_BLOCK_FUNCTION)
            ste->nested = 1;
        if (prev->nchildren == prev->achildren) {
            int na = prev->achildren ? prev->achildren * 2 : 4;
            pmi_ste **c = pm_realloc(rt, prev->children, (size_t)na * sizeof *c);
            if (c == NULL) {
                pm_err_nomem(rt);
                return 0;   /* ste is registered: freed with the table */
            }
            prev->children = c;
            prev->achildren = na;
        }
        prev->children[prev->nchildren++] = ste;
        if (st->nstack == st->astack) {
            int na = st->astack ? st->astack * 2 : 16;
            pmi_ste **s = pm_realloc(rt, st->stack, (size_t)na * sizeof *s);
            if (s == NULL) {
                pm_err_nomem(rt);
                return 0;
            }
            st->stack = s;
            st->astack = na;
        }
        st->stack[st->nstack++] = prev;
    }
    st->cur = ste;
    if (type == PMI_BLOCK_ANNOTATION)
        return 1;
    if (st->top == NULL) {
        st->top = ste;
        st->global = ste->symbols;
    }
    return 1;
}

static int exit_block(pmi_symtable *st)
{
    if (st->nstack > 0)
        st->cur = st->stack[--st->nstack];
    else
        st->cur = NULL;
    return 1;
}

/* ---- definitions --------------------------------------------------------- */

static int add_def_helper(pmi_symtable *st, pm_object *name, long flag, pmi_ste *ste,
                          int lineno, int col, int end_lineno, int end_col)
{
    pm_runtime *rt = st->rt;
    pm_object *mangled = st_own(st, pmi_mangle(rt, st->private_name, name));
    if (mangled == NULL)
        return 0;
    long val = pmi_ste_flags(rt, ste, mangled);
    if (pm_err_occurred(rt))
        return 0;
    if ((flag & PMI_DEF_PARAM) && (val & PMI_DEF_PARAM))
        return st_error(st, lineno, col, end_lineno, end_col,
                        "duplicate argument '%s' in function definition", utf8(rt, name));
    val |= flag;
    if (ste->comp_iter_target) {
        if (val & (PMI_DEF_GLOBAL | PMI_DEF_NONLOCAL))
            return st_error(st, lineno, col, end_lineno, end_col,
                            "comprehension inner loop cannot rebind assignment expression target '%s'",
                            utf8(rt, name));
        val |= PMI_DEF_COMP_ITER;
    }
    if (set_flags(rt, ste->symbols, mangled, val) < 0)
        return 0;
    if (flag & PMI_DEF_PARAM) {
        if (pm_list_append(rt, ste->varnames, mangled) < 0)
            return 0;
    } else if (flag & PMI_DEF_GLOBAL) {
        long g = pmi_ste_flags(rt, st->top, mangled);
        if (set_flags(rt, st->global, mangled, g | flag) < 0)
            return 0;
    }
    return 1;
}

static int add_def(pmi_symtable *st, pm_object *name, long flag, int lineno, int col,
                   int end_lineno, int end_col)
{
    return add_def_helper(st, name, flag, st->cur, lineno, col, end_lineno, end_col);
}

static int record_directive(pmi_symtable *st, pm_object *name, int lineno, int col,
                            int end_lineno, int end_col)
{
    pmi_ste *ste = st->cur;
    pm_object *mangled = st_own(st, pmi_mangle(st->rt, st->private_name, name));
    if (mangled == NULL)
        return 0;
    if (ste->ndirectives == ste->adirectives) {
        int na = ste->adirectives ? ste->adirectives * 2 : 4;
        struct pmi_ste_directive *d = pm_realloc(st->rt, ste->directives, (size_t)na * sizeof *d);
        if (d == NULL) {
            pm_err_nomem(st->rt);
            return 0;
        }
        ste->directives = d;
        ste->adirectives = na;
    }
    struct pmi_ste_directive *d = &ste->directives[ste->ndirectives++];
    d->name = mangled;
    d->lineno = lineno;
    d->col_offset = col;
    d->end_lineno = end_lineno;
    d->end_col_offset = end_col;
    return 1;
}

/* ---- the visitor --------------------------------------------------------- */

static int visit_stmt(pmi_symtable *st, stmt_ty s);
static int visit_expr(pmi_symtable *st, expr_ty e);
static int visit_pattern(pmi_symtable *st, pattern_ty p);

#define LOC(x) (x)->lineno, (x)->col_offset, (x)->end_lineno, (x)->end_col_offset
#define VISIT(kind, v) do { if (!visit_##kind(st, (v))) return 0; } while (0)
#define VISIT_SEQ(kind, seq) do { \
        for (pm_ssize_t i_ = 0; i_ < asdl_seq_LEN(seq); i_++) \
            if (!visit_##kind(st, asdl_seq_GET((seq), i_))) return 0; } while (0)
#define VISIT_SEQ_NULL(kind, seq) do { \
        for (pm_ssize_t i_ = 0; i_ < asdl_seq_LEN(seq); i_++) \
            if (asdl_seq_GET((seq), i_) && !visit_##kind(st, asdl_seq_GET((seq), i_))) return 0; } while (0)

static pm_object *id_of(pmi_symtable *st, const char *s)
{
    return st_own(st, pm_str_intern_cstr(st->rt, s));
}

static int visit_annotation(pmi_symtable *st, expr_ty ann)
{
    /* under `from __future__ import annotations` 3.11.7 does not look into
     * annotations at all: they become strings and bind nothing */
    if (st->future & PMI_CO_FUTURE_ANNOTATIONS)
        return 1;
    VISIT(expr, ann);
    return 1;
}

static int visit_arg_annotations(pmi_symtable *st, asdl_arg_seq *args)
{
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(args); i++) {
        arg_ty a = asdl_seq_GET(args, i);
        if (a->annotation && !visit_annotation(st, a->annotation))
            return 0;
    }
    return 1;
}

static int visit_annotations(pmi_symtable *st, arguments_ty a, expr_ty returns)
{
    if (!visit_arg_annotations(st, a->posonlyargs) || !visit_arg_annotations(st, a->args))
        return 0;
    if (a->vararg && a->vararg->annotation && !visit_annotation(st, a->vararg->annotation))
        return 0;
    if (a->kwarg && a->kwarg->annotation && !visit_annotation(st, a->kwarg->annotation))
        return 0;
    if (!visit_arg_annotations(st, a->kwonlyargs))
        return 0;
    if (returns && !visit_annotation(st, returns))
        return 0;
    return 1;
}

static int visit_params(pmi_symtable *st, asdl_arg_seq *args)
{
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(args); i++) {
        arg_ty a = asdl_seq_GET(args, i);
        if (!add_def(st, a->arg, PMI_DEF_PARAM, LOC(a)))
            return 0;
    }
    return 1;
}

static int visit_arguments(pmi_symtable *st, arguments_ty a)
{
    if (!visit_params(st, a->posonlyargs) || !visit_params(st, a->args) ||
        !visit_params(st, a->kwonlyargs))
        return 0;
    if (a->vararg) {
        if (!add_def(st, a->vararg->arg, PMI_DEF_PARAM, LOC(a->vararg)))
            return 0;
        st->cur->varargs = 1;
    }
    if (a->kwarg) {
        if (!add_def(st, a->kwarg->arg, PMI_DEF_PARAM, LOC(a->kwarg)))
            return 0;
        st->cur->varkeywords = 1;
    }
    return 1;
}

static int visit_alias(pmi_symtable *st, alias_ty a)
{
    pm_runtime *rt = st->rt;
    pm_object *store = a->asname ? a->asname : a->name;
    pm_ssize_t n;
    const char *s = pm_str_as_utf8(rt, store, &n);
    if (s == NULL)
        return 0;
    if (a->asname == NULL) {
        const char *dot = memchr(s, '.', (size_t)n);
        if (dot != NULL) {
            store = st_own(st, pm_str_from_utf8(rt, s, dot - s));
            if (store == NULL)
                return 0;
            pm_object *i = st_own(st, pm_str_intern(rt, store));
            if (i == NULL)
                return 0;
            store = i;
        }
    }
    if (strcmp(s, "*") == 0) {
        if (st->cur->type != PMI_BLOCK_MODULE)
            return st_error(st, LOC(a), "import * only allowed at module level");
        return 1;
    }
    return add_def(st, store, PMI_DEF_IMPORT, LOC(a));
}

static int visit_withitem(pmi_symtable *st, withitem_ty w)
{
    VISIT(expr, w->context_expr);
    if (w->optional_vars)
        VISIT(expr, w->optional_vars);
    return 1;
}

static int visit_excepthandler(pmi_symtable *st, excepthandler_ty h)
{
    if (h->v.ExceptHandler.type)
        VISIT(expr, h->v.ExceptHandler.type);
    if (h->v.ExceptHandler.name &&
        !add_def(st, h->v.ExceptHandler.name, PMI_DEF_LOCAL, LOC(h)))
        return 0;
    VISIT_SEQ(stmt, h->v.ExceptHandler.body);
    return 1;
}

static int visit_match_case(pmi_symtable *st, match_case_ty m)
{
    VISIT(pattern, m->pattern);
    if (m->guard)
        VISIT(expr, m->guard);
    VISIT_SEQ(stmt, m->body);
    return 1;
}

static int visit_keyword(pmi_symtable *st, keyword_ty k)
{
    VISIT(expr, k->value);
    return 1;
}

static int global_or_nonlocal(pmi_symtable *st, stmt_ty s, int is_global)
{
    pm_runtime *rt = st->rt;
    asdl_identifier_seq *names = is_global ? s->v.Global.names : s->v.Nonlocal.names;
    const char *what = is_global ? "global" : "nonlocal";
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(names); i++) {
        pm_object *name = asdl_seq_GET(names, i);
        pm_object *mangled = st_own(st, pmi_mangle(rt, st->private_name, name));
        if (mangled == NULL)
            return 0;
        long cur = pmi_ste_flags(rt, st->cur, mangled);
        if (cur & (PMI_DEF_PARAM | PMI_DEF_LOCAL | PMI_DEF_USE | PMI_DEF_ANNOT)) {
            const char *n = utf8(rt, name);
            if (cur & PMI_DEF_PARAM)
                return st_error(st, LOC(s), "name '%s' is parameter and %s", n, what);
            if (cur & PMI_DEF_USE)
                return st_error(st, LOC(s), "name '%s' is used prior to %s declaration", n, what);
            if (cur & PMI_DEF_ANNOT)
                return st_error(st, LOC(s), "annotated name '%s' can't be %s", n, what);
            return st_error(st, LOC(s), "name '%s' is assigned to before %s declaration", n, what);
        }
        if (!add_def(st, name, is_global ? PMI_DEF_GLOBAL : PMI_DEF_NONLOCAL, LOC(s)))
            return 0;
        if (!record_directive(st, name, LOC(s)))
            return 0;
    }
    return 1;
}

static int visit_stmt(pmi_symtable *st, stmt_ty s)
{
    pm_runtime *rt = st->rt;
    if (++st->depth > ST_MAX_DEPTH) {
        pm_err_set(rt, PM_EXC_RecursionError, "maximum recursion depth exceeded during compilation");
        return 0;
    }
    switch (s->kind) {
    case FunctionDef_kind:
    case AsyncFunctionDef_kind: {
        /* the two constructors share one layout */
        if (!add_def(st, s->v.FunctionDef.name, PMI_DEF_LOCAL, LOC(s)))
            return 0;
        arguments_ty args = s->v.FunctionDef.args;
        VISIT_SEQ(expr, args->defaults);
        VISIT_SEQ_NULL(expr, args->kw_defaults);
        if (!visit_annotations(st, args, s->v.FunctionDef.returns))
            return 0;
        VISIT_SEQ(expr, s->v.FunctionDef.decorator_list);
        if (!enter_block(st, s->v.FunctionDef.name, PMI_BLOCK_FUNCTION, s, LOC(s)))
            return 0;
        if (s->kind == AsyncFunctionDef_kind)
            st->cur->coroutine = 1;
        if (!visit_arguments(st, args))
            return 0;
        VISIT_SEQ(stmt, s->v.FunctionDef.body);
        exit_block(st);
        break;
    }
    case ClassDef_kind: {
        if (!add_def(st, s->v.ClassDef.name, PMI_DEF_LOCAL, LOC(s)))
            return 0;
        VISIT_SEQ(expr, s->v.ClassDef.bases);
        VISIT_SEQ(keyword, s->v.ClassDef.keywords);
        VISIT_SEQ(expr, s->v.ClassDef.decorator_list);
        if (!enter_block(st, s->v.ClassDef.name, PMI_BLOCK_CLASS, s, LOC(s)))
            return 0;
        pm_object *saved = st->private_name;
        st->private_name = s->v.ClassDef.name;
        VISIT_SEQ(stmt, s->v.ClassDef.body);
        st->private_name = saved;
        exit_block(st);
        break;
    }
    case Return_kind:
        if (s->v.Return.value) {
            VISIT(expr, s->v.Return.value);
            st->cur->returns_value = 1;
        }
        break;
    case Delete_kind:
        VISIT_SEQ(expr, s->v.Delete.targets);
        break;
    case Assign_kind:
        VISIT_SEQ(expr, s->v.Assign.targets);
        VISIT(expr, s->v.Assign.value);
        break;
    case AnnAssign_kind: {
        expr_ty t = s->v.AnnAssign.target;
        if (t->kind == Name_kind) {
            pm_object *mangled = st_own(st, pmi_mangle(rt, st->private_name, t->v.Name.id));
            if (mangled == NULL)
                return 0;
            long cur = pmi_ste_flags(rt, st->cur, mangled);
            if ((cur & (PMI_DEF_GLOBAL | PMI_DEF_NONLOCAL)) && st->cur->symbols != st->global &&
                s->v.AnnAssign.simple) {
                return st_error(st, LOC(s), (cur & PMI_DEF_GLOBAL)
                                ? "annotated name '%s' can't be global"
                                : "annotated name '%s' can't be nonlocal", utf8(rt, t->v.Name.id));
            }
            if (s->v.AnnAssign.simple &&
                !add_def(st, t->v.Name.id, PMI_DEF_ANNOT | PMI_DEF_LOCAL, LOC(s)))
                return 0;
            if (s->v.AnnAssign.value && !add_def(st, t->v.Name.id, PMI_DEF_LOCAL, LOC(s)))
                return 0;
        } else {
            VISIT(expr, t);
        }
        if (!visit_annotation(st, s->v.AnnAssign.annotation))
            return 0;
        if (s->v.AnnAssign.value)
            VISIT(expr, s->v.AnnAssign.value);
        break;
    }
    case AugAssign_kind:
        VISIT(expr, s->v.AugAssign.target);
        VISIT(expr, s->v.AugAssign.value);
        break;
    case For_kind:
    case AsyncFor_kind:
        VISIT(expr, s->v.For.target);
        VISIT(expr, s->v.For.iter);
        VISIT_SEQ(stmt, s->v.For.body);
        VISIT_SEQ(stmt, s->v.For.orelse);
        break;
    case While_kind:
        VISIT(expr, s->v.While.test);
        VISIT_SEQ(stmt, s->v.While.body);
        VISIT_SEQ(stmt, s->v.While.orelse);
        break;
    case If_kind:
        VISIT(expr, s->v.If.test);
        VISIT_SEQ(stmt, s->v.If.body);
        VISIT_SEQ(stmt, s->v.If.orelse);
        break;
    case Match_kind:
        VISIT(expr, s->v.Match.subject);
        VISIT_SEQ(match_case, s->v.Match.cases);
        break;
    case Raise_kind:
        if (s->v.Raise.exc) {
            VISIT(expr, s->v.Raise.exc);
            if (s->v.Raise.cause)
                VISIT(expr, s->v.Raise.cause);
        }
        break;
    case Try_kind:
    case TryStar_kind:
        VISIT_SEQ(stmt, s->v.Try.body);
        VISIT_SEQ(stmt, s->v.Try.orelse);
        VISIT_SEQ(excepthandler, s->v.Try.handlers);
        VISIT_SEQ(stmt, s->v.Try.finalbody);
        break;
    case Assert_kind:
        VISIT(expr, s->v.Assert.test);
        if (s->v.Assert.msg)
            VISIT(expr, s->v.Assert.msg);
        break;
    case Import_kind:
        VISIT_SEQ(alias, s->v.Import.names);
        break;
    case ImportFrom_kind:
        VISIT_SEQ(alias, s->v.ImportFrom.names);
        break;
    case Global_kind:
        if (!global_or_nonlocal(st, s, 1))
            return 0;
        break;
    case Nonlocal_kind:
        if (!global_or_nonlocal(st, s, 0))
            return 0;
        break;
    case Expr_kind:
        VISIT(expr, s->v.Expr.value);
        break;
    case Pass_kind:
    case Break_kind:
    case Continue_kind:
        break;
    case With_kind:
    case AsyncWith_kind:
        VISIT_SEQ(withitem, s->v.With.items);
        VISIT_SEQ(stmt, s->v.With.body);
        break;
    }
    st->depth--;
    return 1;
}

static const char *comp_name(int comp)
{
    switch (comp) {
    case PMI_COMP_LIST: return "list comprehension";
    case PMI_COMP_SET: return "set comprehension";
    case PMI_COMP_DICT: return "dict comprehension";
    default: return "generator expression";
    }
}

static int extend_namedexpr_scope(pmi_symtable *st, expr_ty e)
{
    pm_runtime *rt = st->rt;
    expr_ty target = e->v.NamedExpr.target;
    pm_object *name = target->v.Name.id;
    for (int i = st->nstack; i >= 0; i--) {
        pmi_ste *ste = (i == st->nstack) ? st->cur : st->stack[i];
        if (ste->comprehension) {
            long f = pmi_ste_flags(rt, ste, name);
            if (f & PMI_DEF_COMP_ITER)
                return st_error(st, e->lineno, e->col_offset, e->lineno, e->col_offset,
                                "assignment expression cannot rebind comprehension iteration variable '%s'",
                                utf8(rt, name));
            continue;
        }
        if (ste->type == PMI_BLOCK_FUNCTION) {
            long f = pmi_ste_flags(rt, ste, name);
            if (!add_def(st, name, (f & PMI_DEF_GLOBAL) ? PMI_DEF_GLOBAL : PMI_DEF_NONLOCAL, LOC(e)))
                return 0;
            if (!record_directive(st, name, LOC(e)))
                return 0;
            return add_def_helper(st, name, PMI_DEF_LOCAL, ste, LOC(e));
        }
        if (ste->type == PMI_BLOCK_MODULE) {
            if (!add_def(st, name, PMI_DEF_GLOBAL, LOC(e)))
                return 0;
            if (!record_directive(st, name, LOC(e)))
                return 0;
            return add_def_helper(st, name, PMI_DEF_GLOBAL, ste, LOC(e));
        }
        if (ste->type == PMI_BLOCK_CLASS)
            return st_error(st, e->lineno, e->col_offset, e->lineno, e->col_offset,
                            "assignment expression within a comprehension cannot be used in a class body");
    }
    return 1;
}

static int handle_comprehension(pmi_symtable *st, expr_ty e, const char *scope_name,
                                asdl_comprehension_seq *generators, expr_ty elt, expr_ty value,
                                int comp)
{
    int is_generator = comp == PMI_COMP_GEN;
    comprehension_ty outermost = asdl_seq_GET(generators, 0);
    st->cur->comp_iter_expr++;
    if (!visit_expr(st, outermost->iter))
        return 0;
    st->cur->comp_iter_expr--;
    pm_object *name = id_of(st, scope_name);
    if (name == NULL || !enter_block(st, name, PMI_BLOCK_FUNCTION, e, LOC(e)))
        return 0;
    st->cur->comprehension = comp;
    if (outermost->is_async)
        st->cur->coroutine = 1;
    pm_object *dot0 = id_of(st, ".0");
    if (dot0 == NULL || !add_def(st, dot0, PMI_DEF_PARAM, LOC(e)))
        return 0;
    st->cur->comp_iter_target = 1;
    VISIT(expr, outermost->target);
    st->cur->comp_iter_target = 0;
    VISIT_SEQ(expr, outermost->ifs);
    for (pm_ssize_t i = 1; i < asdl_seq_LEN(generators); i++) {
        comprehension_ty g = asdl_seq_GET(generators, i);
        st->cur->comp_iter_target = 1;
        VISIT(expr, g->target);
        st->cur->comp_iter_target = 0;
        st->cur->comp_iter_expr++;
        VISIT(expr, g->iter);
        st->cur->comp_iter_expr--;
        VISIT_SEQ(expr, g->ifs);
        if (g->is_async)
            st->cur->coroutine = 1;
    }
    if (value)
        VISIT(expr, value);
    VISIT(expr, elt);
    st->cur->generator = is_generator;
    int is_async = st->cur->coroutine && !is_generator;
    exit_block(st);
    if (is_async)
        st->cur->coroutine = 1;
    return 1;
}

static int visit_expr(pmi_symtable *st, expr_ty e)
{
    pm_runtime *rt = st->rt;
    if (++st->depth > ST_MAX_DEPTH) {
        pm_err_set(rt, PM_EXC_RecursionError, "maximum recursion depth exceeded during compilation");
        return 0;
    }
    switch (e->kind) {
    case NamedExpr_kind:
        if (st->cur->comp_iter_expr > 0)
            return st_error(st, LOC(e),
                            "assignment expression cannot be used in a comprehension iterable expression");
        if (st->cur->comprehension && !extend_namedexpr_scope(st, e))
            return 0;
        VISIT(expr, e->v.NamedExpr.value);
        VISIT(expr, e->v.NamedExpr.target);
        break;
    case BoolOp_kind:
        VISIT_SEQ(expr, e->v.BoolOp.values);
        break;
    case BinOp_kind:
        VISIT(expr, e->v.BinOp.left);
        VISIT(expr, e->v.BinOp.right);
        break;
    case UnaryOp_kind:
        VISIT(expr, e->v.UnaryOp.operand);
        break;
    case Lambda_kind: {
        VISIT_SEQ(expr, e->v.Lambda.args->defaults);
        VISIT_SEQ_NULL(expr, e->v.Lambda.args->kw_defaults);
        pm_object *n = id_of(st, "lambda");
        if (n == NULL || !enter_block(st, n, PMI_BLOCK_FUNCTION, e, LOC(e)))
            return 0;
        if (!visit_arguments(st, e->v.Lambda.args))
            return 0;
        VISIT(expr, e->v.Lambda.body);
        exit_block(st);
        break;
    }
    case IfExp_kind:
        VISIT(expr, e->v.IfExp.test);
        VISIT(expr, e->v.IfExp.body);
        VISIT(expr, e->v.IfExp.orelse);
        break;
    case Dict_kind:
        VISIT_SEQ_NULL(expr, e->v.Dict.keys);
        VISIT_SEQ(expr, e->v.Dict.values);
        break;
    case Set_kind:
        VISIT_SEQ(expr, e->v.Set.elts);
        break;
    case GeneratorExp_kind:
        if (!handle_comprehension(st, e, "genexpr", e->v.GeneratorExp.generators,
                                  e->v.GeneratorExp.elt, NULL, PMI_COMP_GEN))
            return 0;
        break;
    case ListComp_kind:
        if (!handle_comprehension(st, e, "listcomp", e->v.ListComp.generators,
                                  e->v.ListComp.elt, NULL, PMI_COMP_LIST))
            return 0;
        break;
    case SetComp_kind:
        if (!handle_comprehension(st, e, "setcomp", e->v.SetComp.generators,
                                  e->v.SetComp.elt, NULL, PMI_COMP_SET))
            return 0;
        break;
    case DictComp_kind:
        if (!handle_comprehension(st, e, "dictcomp", e->v.DictComp.generators,
                                  e->v.DictComp.key, e->v.DictComp.value, PMI_COMP_DICT))
            return 0;
        break;
    case Yield_kind:
    case YieldFrom_kind:
        if (st->cur->type == PMI_BLOCK_ANNOTATION)
            return st_error(st, LOC(e), "'%s' outside function",
                            e->kind == Yield_kind ? "yield" : "yield from");
        if (e->v.Yield.value)   /* Yield and YieldFrom share the layout */
            VISIT(expr, e->v.Yield.value);
        st->cur->generator = 1;
        if (st->cur->comprehension)
            return st_error(st, LOC(e), "'yield' inside %s", comp_name(st->cur->comprehension));
        break;
    case Await_kind:
        if (st->cur->type == PMI_BLOCK_ANNOTATION)
            return st_error(st, LOC(e), "'await' outside function");
        VISIT(expr, e->v.Await.value);
        st->cur->coroutine = 1;
        break;
    case Compare_kind:
        VISIT(expr, e->v.Compare.left);
        VISIT_SEQ(expr, e->v.Compare.comparators);
        break;
    case Call_kind:
        VISIT(expr, e->v.Call.func);
        VISIT_SEQ(expr, e->v.Call.args);
        VISIT_SEQ(keyword, e->v.Call.keywords);
        break;
    case FormattedValue_kind:
        VISIT(expr, e->v.FormattedValue.value);
        if (e->v.FormattedValue.format_spec)
            VISIT(expr, e->v.FormattedValue.format_spec);
        break;
    case JoinedStr_kind:
        VISIT_SEQ(expr, e->v.JoinedStr.values);
        break;
    case Constant_kind:
        break;
    case Attribute_kind:
        VISIT(expr, e->v.Attribute.value);
        break;
    case Subscript_kind:
        VISIT(expr, e->v.Subscript.value);
        VISIT(expr, e->v.Subscript.slice);
        break;
    case Starred_kind:
        VISIT(expr, e->v.Starred.value);
        break;
    case Slice_kind:
        if (e->v.Slice.lower)
            VISIT(expr, e->v.Slice.lower);
        if (e->v.Slice.upper)
            VISIT(expr, e->v.Slice.upper);
        if (e->v.Slice.step)
            VISIT(expr, e->v.Slice.step);
        break;
    case Name_kind:
        if (!add_def(st, e->v.Name.id, e->v.Name.ctx == Load ? PMI_DEF_USE : PMI_DEF_LOCAL, LOC(e)))
            return 0;
        if (e->v.Name.ctx == Load && st->cur->type == PMI_BLOCK_FUNCTION &&
            pm_str_equal_cstr(e->v.Name.id, "super")) {
            pm_object *cls = id_of(st, "__class__");
            if (cls == NULL || !add_def(st, cls, PMI_DEF_USE, LOC(e)))
                return 0;
        }
        break;
    case List_kind:
        VISIT_SEQ(expr, e->v.List.elts);
        break;
    case Tuple_kind:
        VISIT_SEQ(expr, e->v.Tuple.elts);
        break;
    }
    st->depth--;
    return 1;
}

static int visit_pattern(pmi_symtable *st, pattern_ty p)
{
    if (++st->depth > ST_MAX_DEPTH) {
        pm_err_set(st->rt, PM_EXC_RecursionError, "maximum recursion depth exceeded during compilation");
        return 0;
    }
    switch (p->kind) {
    case MatchValue_kind:
        VISIT(expr, p->v.MatchValue.value);
        break;
    case MatchSingleton_kind:
        break;
    case MatchSequence_kind:
        VISIT_SEQ(pattern, p->v.MatchSequence.patterns);
        break;
    case MatchStar_kind:
        if (p->v.MatchStar.name && !add_def(st, p->v.MatchStar.name, PMI_DEF_LOCAL, LOC(p)))
            return 0;
        break;
    case MatchMapping_kind:
        VISIT_SEQ(expr, p->v.MatchMapping.keys);
        VISIT_SEQ(pattern, p->v.MatchMapping.patterns);
        if (p->v.MatchMapping.rest && !add_def(st, p->v.MatchMapping.rest, PMI_DEF_LOCAL, LOC(p)))
            return 0;
        break;
    case MatchClass_kind:
        VISIT(expr, p->v.MatchClass.cls);
        VISIT_SEQ(pattern, p->v.MatchClass.patterns);
        VISIT_SEQ(pattern, p->v.MatchClass.kwd_patterns);
        break;
    case MatchAs_kind:
        if (p->v.MatchAs.pattern)
            VISIT(pattern, p->v.MatchAs.pattern);
        if (p->v.MatchAs.name && !add_def(st, p->v.MatchAs.name, PMI_DEF_LOCAL, LOC(p)))
            return 0;
        break;
    case MatchOr_kind:
        VISIT_SEQ(pattern, p->v.MatchOr.patterns);
        break;
    }
    st->depth--;
    return 1;
}

/* ---- analysis ------------------------------------------------------------- */

/* sets are pm sets of str */

static int set_has(pm_runtime *rt, pm_object *set, pm_object *name)
{
    return set != NULL && pm_set_contains(rt, set, name) == 1;
}

static struct pmi_ste_directive *find_directive(pmi_ste *ste, pm_object *name)
{
    for (int i = 0; i < ste->ndirectives; i++)
        if (pm_str_compare(ste->directives[i].name, name) == 0)
            return &ste->directives[i];
    return NULL;
}

static int analyze_name(pmi_symtable *st, pmi_ste *ste, pm_object *scopes, pm_object *name,
                        long flags, pm_object *bound, pm_object *local, pm_object *free,
                        pm_object *global)
{
    pm_runtime *rt = st->rt;
    int scope;
    if (flags & PMI_DEF_GLOBAL) {
        if (flags & PMI_DEF_NONLOCAL) {
            struct pmi_ste_directive *d = find_directive(ste, name);
            return st_error(st, d ? d->lineno : ste->lineno, d ? d->col_offset : ste->col_offset,
                            d ? d->end_lineno : ste->end_lineno,
                            d ? d->end_col_offset : ste->end_col_offset,
                            "name '%s' is nonlocal and global", utf8(rt, name));
        }
        scope = PMI_SCOPE_GLOBAL_EXPLICIT;
        if (pm_set_add(rt, global, name) < 0)
            return 0;
        if (bound && pm_set_discard(rt, bound, name) < 0)
            return 0;
    } else if (flags & PMI_DEF_NONLOCAL) {
        struct pmi_ste_directive *d = find_directive(ste, name);
        if (bound == NULL)
            return st_error(st, d ? d->lineno : ste->lineno, d ? d->col_offset : ste->col_offset,
                            d ? d->end_lineno : ste->end_lineno,
                            d ? d->end_col_offset : ste->end_col_offset,
                            "nonlocal declaration not allowed at module level");
        if (!set_has(rt, bound, name))
            return st_error(st, d ? d->lineno : ste->lineno, d ? d->col_offset : ste->col_offset,
                            d ? d->end_lineno : ste->end_lineno,
                            d ? d->end_col_offset : ste->end_col_offset,
                            "no binding for nonlocal '%s' found", utf8(rt, name));
        scope = PMI_SCOPE_FREE;
        ste->free = 1;
        if (pm_set_add(rt, free, name) < 0)
            return 0;
    } else if (flags & PMI_DEF_BOUND) {
        scope = PMI_SCOPE_LOCAL;
        if (pm_set_add(rt, local, name) < 0)
            return 0;
        if (pm_set_discard(rt, global, name) < 0)
            return 0;
    } else if (set_has(rt, bound, name)) {
        scope = PMI_SCOPE_FREE;
        ste->free = 1;
        if (pm_set_add(rt, free, name) < 0)
            return 0;
    } else if (set_has(rt, global, name)) {
        scope = PMI_SCOPE_GLOBAL_IMPLICIT;
    } else {
        if (ste->nested)
            ste->free = 1;
        scope = PMI_SCOPE_GLOBAL_IMPLICIT;
    }
    return set_flags(rt, scopes, name, scope) == 0;
}

static int analyze_block(pmi_symtable *st, pmi_ste *ste, pm_object *bound, pm_object *free,
                         pm_object *global);

static int set_or(pm_runtime *rt, pm_object *dst, pm_object *src)
{
    if (src == NULL)
        return 0;
    return pm_set_update(rt, dst, src);
}

static int analyze_child_block(pmi_symtable *st, pmi_ste *child, pm_object *bound,
                               pm_object *free, pm_object *global, pm_object *child_free)
{
    pm_runtime *rt = st->rt;
    int ok = 0;
    pm_object *tb = pm_set_new(rt, bound);
    pm_object *tf = pm_set_new(rt, free);
    pm_object *tg = pm_set_new(rt, global);
    if (tb == NULL || tf == NULL || tg == NULL)
        goto done;
    if (!analyze_block(st, child, tb, tf, tg))
        goto done;
    if (set_or(rt, child_free, tf) < 0)
        goto done;
    ok = 1;
done:
    pm_xdecref(rt, tb);
    pm_xdecref(rt, tf);
    pm_xdecref(rt, tg);
    return ok;
}

static int update_symbols(pmi_symtable *st, pm_object *symbols, pm_object *scopes,
                          pm_object *bound, pm_object *free, int classflag)
{
    pm_runtime *rt = st->rt;
    pm_ssize_t pos = 0;
    pm_object *name, *v;
    pm_object *names = pm_dict_keys(rt, symbols);
    if (names == NULL)
        return 0;
    for (pm_ssize_t i = 0; i < pm_list_size(names); i++) {
        name = pm_list_get(rt, names, i);
        pm_object *fv = pm_dict_get(rt, symbols, name);
        long flags = fv ? pm_int_as_long(rt, fv) : 0;
        pm_object *sc = pm_dict_get(rt, scopes, name);
        long scope = sc ? pm_int_as_long(rt, sc) : 0;
        if (set_flags(rt, symbols, name, flags | (scope << PMI_SCOPE_OFFSET)) < 0) {
            pm_decref(rt, names);
            return 0;
        }
    }
    pm_decref(rt, names);
    (void)v;
    pos = 0;
    while (pm_set_next(free, &pos, &name)) {
        pm_object *cur = pm_dict_get(rt, symbols, name);
        if (cur != NULL) {
            long flags = pm_int_as_long(rt, cur);
            if (classflag && (flags & (PMI_DEF_BOUND | PMI_DEF_GLOBAL))) {
                if (set_flags(rt, symbols, name, flags | PMI_DEF_FREE_CLASS) < 0)
                    return 0;
            }
            continue;
        }
        if (bound && !set_has(rt, bound, name))
            continue;
        if (set_flags(rt, symbols, name, (long)PMI_SCOPE_FREE << PMI_SCOPE_OFFSET) < 0)
            return 0;
    }
    return 1;
}

static int analyze_block(pmi_symtable *st, pmi_ste *ste, pm_object *bound, pm_object *free,
                         pm_object *global)
{
    pm_runtime *rt = st->rt;
    int ok = 0;
    pm_object *local = pm_set_new(rt, NULL);
    pm_object *scopes = pm_dict_new(rt);
    pm_object *newglobal = pm_set_new(rt, NULL);
    pm_object *newfree = pm_set_new(rt, NULL);
    pm_object *newbound = pm_set_new(rt, NULL);
    pm_object *allfree = pm_set_new(rt, NULL);
    pm_object *cls = NULL;
    if (!local || !scopes || !newglobal || !newfree || !newbound || !allfree)
        goto done;
    if (++st->depth > ST_MAX_DEPTH) {
        pm_err_set(rt, PM_EXC_RecursionError, "maximum recursion depth exceeded during compilation");
        goto done;
    }
    if (ste->type == PMI_BLOCK_CLASS) {
        if (set_or(rt, newglobal, global) < 0)
            goto done;
        if (bound && set_or(rt, newbound, bound) < 0)
            goto done;
    }
    {
        pm_ssize_t pos = 0;
        pm_object *name, *v;
        while (pm_dict_next(ste->symbols, &pos, &name, &v)) {
            if (!analyze_name(st, ste, scopes, name, pm_int_as_long(rt, v), bound, local, free,
                              global))
                goto done;
        }
    }
    if (ste->type != PMI_BLOCK_CLASS) {
        if (ste->type == PMI_BLOCK_FUNCTION && set_or(rt, newbound, local) < 0)
            goto done;
        if (bound && set_or(rt, newbound, bound) < 0)
            goto done;
        if (set_or(rt, newglobal, global) < 0)
            goto done;
    } else {
        cls = pm_str_intern_cstr(rt, "__class__");
        if (cls == NULL || pm_set_add(rt, newbound, cls) < 0)
            goto done;
    }
    for (int i = 0; i < ste->nchildren; i++) {
        pmi_ste *c = ste->children[i];
        if (!analyze_child_block(st, c, newbound, newfree, newglobal, allfree))
            goto done;
        if (c->free || c->child_free)
            ste->child_free = 1;
    }
    if (set_or(rt, newfree, allfree) < 0)
        goto done;
    if (ste->type == PMI_BLOCK_FUNCTION) {
        /* analyze_cells: a local used freely by a child becomes a cell */
        pm_ssize_t pos = 0;
        pm_object *name, *v;
        pm_object *keys = pm_dict_keys(rt, scopes);
        if (keys == NULL)
            goto done;
        for (pm_ssize_t i = 0; i < pm_list_size(keys); i++) {
            name = pm_list_get(rt, keys, i);
            v = pm_dict_get(rt, scopes, name);
            if (pm_int_as_long(rt, v) != PMI_SCOPE_LOCAL || !set_has(rt, newfree, name))
                continue;
            if (set_flags(rt, scopes, name, PMI_SCOPE_CELL) < 0 ||
                pm_set_discard(rt, newfree, name) < 0) {
                pm_decref(rt, keys);
                goto done;
            }
        }
        (void)pos;
        pm_decref(rt, keys);
    } else if (ste->type == PMI_BLOCK_CLASS) {
        if (cls == NULL && (cls = pm_str_intern_cstr(rt, "__class__")) == NULL)
            goto done;
        int r = pm_set_discard(rt, newfree, cls);
        if (r < 0)
            goto done;
        if (r == 1)
            ste->needs_class_closure = 1;
    }
    if (!update_symbols(st, ste->symbols, scopes, bound, newfree, ste->type == PMI_BLOCK_CLASS))
        goto done;
    if (set_or(rt, free, newfree) < 0)
        goto done;
    st->depth--;
    ok = 1;
done:
    pm_xdecref(rt, cls);
    pm_xdecref(rt, local);
    pm_xdecref(rt, scopes);
    pm_xdecref(rt, newglobal);
    pm_xdecref(rt, newfree);
    pm_xdecref(rt, newbound);
    pm_xdecref(rt, allfree);
    return ok;
}

/* ---- entry points ---------------------------------------------------------- */

void pmi_symtable_free(pmi_symtable *st)
{
    if (st == NULL)
        return;
    pm_runtime *rt = st->rt;
    for (int i = 0; i < st->aall; i++)
        ste_free(rt, st->all[i]);
    pm_free(rt, st->all);
    pm_free(rt, st->stack);
    pm_xdecref(rt, st->owned);
    pm_free(rt, st);
}

pmi_symtable *pmi_symtable_build(pm_runtime *rt, mod_ty m, pm_object *filename, int future,
                                 const char *src, size_t len, pmi_syntax_error *err)
{
    pmi_symtable *st = pm_calloc(rt, 1, sizeof *st);
    if (st == NULL)
        return pm_err_nomem(rt);
    st->rt = rt;
    st->filename = filename;
    st->src = src;
    st->srclen = len;
    st->err = err;
    st->future = future;
    st->owned = pm_list_new(rt);
    if (st->owned == NULL)
        goto fail;
    pm_object *top = id_of(st, "top");
    if (top == NULL || !enter_block(st, top, PMI_BLOCK_MODULE, m, 0, 0, 0, 0))
        goto fail;
    switch (m->kind) {
    case Module_kind:
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(m->v.Module.body); i++)
            if (!visit_stmt(st, asdl_seq_GET(m->v.Module.body, i)))
                goto fail;
        break;
    case Interactive_kind:
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(m->v.Interactive.body); i++)
            if (!visit_stmt(st, asdl_seq_GET(m->v.Interactive.body, i)))
                goto fail;
        break;
    case Expression_kind:
        if (!visit_expr(st, m->v.Expression.body))
            goto fail;
        break;
    case FunctionType_kind:
        pm_err_set(rt, PM_EXC_RuntimeError, "this compiler does not handle FunctionTypes");
        goto fail;
    }
    exit_block(st);
    st->depth = 0;
    {
        pm_object *free = pm_set_new(rt, NULL);
        pm_object *global = pm_set_new(rt, NULL);
        int ok = free && global && analyze_block(st, st->top, NULL, free, global);
        pm_xdecref(rt, free);
        pm_xdecref(rt, global);
        if (!ok)
            goto fail;
    }
    return st;
fail:
    pmi_symtable_free(st);
    return NULL;
}

/* ---- the dump ---------------------------------------------------------------
 * One block per paragraph:
 *   block <type> <name> line <lineno> [nested]
 *     <name> <scope> <flag|flag...>
 * names sorted; the python3 side (tests/compile/symtable_dump.py) prints the
 * same from the symtable module.  Children follow their parent, depth-first. */

static const char *scope_name(int scope)
{
    switch (scope) {
    case PMI_SCOPE_LOCAL: return "LOCAL";
    case PMI_SCOPE_GLOBAL_EXPLICIT: return "GLOBAL_EXPLICIT";
    case PMI_SCOPE_GLOBAL_IMPLICIT: return "GLOBAL_IMPLICIT";
    case PMI_SCOPE_FREE: return "FREE";
    case PMI_SCOPE_CELL: return "CELL";
    default: return "NONE";
    }
}

static int dump_ste(pm_runtime *rt, pmi_ste *ste, FILE *out)
{
    static const char *const types[] = { "function", "class", "module", "annotation" };
    fprintf(out, "block %s %s line %d%s\n", types[ste->type], utf8(rt, ste->name),
            ste->lineno, ste->nested ? " nested" : "");
    pm_object *keys = pm_dict_keys(rt, ste->symbols);
    if (keys == NULL || pm_list_sort(rt, keys, 0) < 0) {
        pm_xdecref(rt, keys);
        return -1;
    }
    fprintf(out, "  params:");
    for (pm_ssize_t i = 0; i < pm_list_size(ste->varnames); i++)
        fprintf(out, " %s", utf8(rt, pm_list_get(rt, ste->varnames, i)));
    fprintf(out, "\n");
    for (pm_ssize_t i = 0; i < pm_list_size(keys); i++) {
        pm_object *name = pm_list_get(rt, keys, i);
        long f = pmi_ste_flags(rt, ste, name);
        fprintf(out, "  %s %s%s%s%s%s%s%s%s\n", utf8(rt, name),
                scope_name((int)((f >> PMI_SCOPE_OFFSET) & PMI_SCOPE_MASK)),
                f & PMI_DEF_PARAM ? " param" : "", f & PMI_DEF_LOCAL ? " assigned" : "",
                f & PMI_DEF_USE ? " referenced" : "", f & PMI_DEF_GLOBAL ? " global" : "",
                f & PMI_DEF_NONLOCAL ? " nonlocal" : "", f & PMI_DEF_IMPORT ? " imported" : "",
                f & PMI_DEF_ANNOT ? " annotated" : "");
    }
    pm_decref(rt, keys);
    for (int i = 0; i < ste->nchildren; i++)
        if (dump_ste(rt, ste->children[i], out) < 0)
            return -1;
    return 0;
}

int pmi_symtable_dump_err(pm_runtime *rt, mod_ty m, pm_object *filename, const char *src,
                          size_t len, FILE *out, pmi_syntax_error *err)
{
    int future = pmi_future_features(rt, m, filename, src, len, err, NULL);
    if (future < 0)
        return -1;
    pmi_symtable *st = pmi_symtable_build(rt, m, filename, future, src, len, err);
    if (st == NULL)
        return -1;
    int r = dump_ste(rt, st->top, out);
    pmi_symtable_free(st);
    return r;
}

int pmi_symtable_dump(pm_runtime *rt, mod_ty m, pm_object *filename, FILE *out)
{
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    int r = pmi_symtable_dump_err(rt, m, filename, NULL, 0, out, &err);
    if (r < 0 && err.kind != 0) {
        pmi_syntax_error_print(rt, &err, stderr);
        pm_err_set(rt, PM_EXC_Exception, "SyntaxError");
    }
    pmi_syntax_error_clear(rt, &err);
    return r;
}

/* ---- __future__ ------------------------------------------------------------ */

int pmi_future_features(pm_runtime *rt, mod_ty m, pm_object *filename, const char *src,
                        size_t len, pmi_syntax_error *err, int *ff_lineno)
{
    static const struct { const char *name; int flag; } feats[] = {
        { "nested_scopes", 0 }, { "generators", 0 },
        /* 3.11 accepts these but sets no flag for them (future.c) */
        { "division", 0 }, { "absolute_import", 0 }, { "with_statement", 0 },
        { "print_function", 0 }, { "unicode_literals", 0 }, { "generator_stop", 0 },
        { "barry_as_FLUFL", PMI_CO_FUTURE_BARRY_AS_BDFL },
        { "annotations", PMI_CO_FUTURE_ANNOTATIONS },
    };
    int flags = 0;
    if (m->kind != Module_kind && m->kind != Interactive_kind)
        return 0;
    asdl_stmt_seq *body = m->kind == Module_kind ? m->v.Module.body : m->v.Interactive.body;
    int done = 0, prev_line = 0;
    if (ff_lineno)
        *ff_lineno = -1;
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(body); i++) {
        stmt_ty s = asdl_seq_GET(body, i);
        if (done && s->lineno > prev_line)
            return flags;
        prev_line = s->lineno;
        if (s->kind == ImportFrom_kind && s->v.ImportFrom.module &&
            pm_str_equal_cstr(s->v.ImportFrom.module, "__future__")) {
            if (done) {
                if (err->filename == NULL && filename)
                    err->filename = pm_newref(rt, filename);
                pmi_syntax_error_set(rt, err, PMI_SYNTAX_ERROR, src, len, s->lineno, s->col_offset,
                                     s->end_lineno, s->end_col_offset,
                                     "from __future__ imports must occur at the beginning of the file");
                return -1;
            }
            asdl_alias_seq *names = s->v.ImportFrom.names;
            for (pm_ssize_t j = 0; j < asdl_seq_LEN(names); j++) {
                alias_ty a = asdl_seq_GET(names, j);
                const char *n = pm_str_as_utf8(rt, a->name, NULL);
                if (n == NULL)
                    return -1;
                size_t k;
                for (k = 0; k < sizeof feats / sizeof feats[0]; k++)
                    if (strcmp(n, feats[k].name) == 0)
                        break;
                if (k < sizeof feats / sizeof feats[0]) {
                    flags |= feats[k].flag;
                    continue;
                }
                if (err->filename == NULL && filename)
                    err->filename = pm_newref(rt, filename);
                pmi_syntax_error_set(rt, err, PMI_SYNTAX_ERROR, src, len, s->lineno, s->col_offset,
                                     -1, -1,
                                     strcmp(n, "braces") == 0 ? "not a chance"
                                     : "future feature %s is not defined", n);
                return -1;
            }
            if (ff_lineno)
                *ff_lineno = s->lineno;
        } else if (i == 0 && s->kind == Expr_kind && s->v.Expr.value->kind == Constant_kind &&
                   pm_str_check(s->v.Expr.value->v.Constant.value)) {
            /* the docstring may precede */
        } else {
            done = 1;
        }
    }
    return flags;
}
