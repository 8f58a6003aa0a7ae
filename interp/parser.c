/* The parser: tokens to CPython 3.11's AST.
 *
 * A recursive-descent parser written from CPython 3.11's PEG grammar
 * (Grammar/python.gram): one function per rule that matters, with the same
 * precedence, the same node shapes and the same positions.  Positions of a
 * node are the token range its rule consumed: the first token's start and
 * the end of the last token that is not NEWLINE/INDENT/DEDENT (CPython's
 * EXTRA).  A parenthesized expression keeps its own position; the rule
 * around it starts at the '('.
 *
 * Failure has two kinds, as in pegen: a *soft* failure (the rule does not
 * match; NULL with p->failed == 0 -- the caller backtracks by restoring
 * p->pos) and a *hard* one (a syntax error or MemoryError is recorded;
 * p->failed != 0; everything unwinds).  When the top rule fails softly the
 * error is CPython's generic one: "invalid syntax" at the last token read,
 * "'(' was never closed" if the input ended inside brackets, "unexpected
 * indent" at an unexpected INDENT.  The specific messages CPython's second
 * (invalid_*) pass produces are raised where the grammar notices them.
 *
 * Tokens are pulled lazily into an array (p->toks), so backtracking is an
 * index reset and the tokenizer only runs as far as the parser looks.
 * Memory: nodes live in the arena; the token array is freed at the end.
 */
#include "parser_int.h"
#include "ucnames.h"
#include <stdarg.h>
#include <string.h>
#include <stdlib.h>
#include <math.h>

/* ---- tokens ---------------------------------------------------------------- */

pmi_token *pmi_p_peek(pmi_parser *p, int k)
{
    int want = p->pos + k;
    while (p->ntoks <= want) {
        if (p->failed)
            return NULL;
        if (p->ntoks > 0 && p->toks[p->ntoks - 1].type == PMI_T_ENDMARKER)
            return &p->toks[p->ntoks - 1];
        if (p->ntoks == p->cap) {
            int ncap = p->cap ? p->cap * 2 : 256;
            pmi_token *n = pm_realloc(p->rt, p->toks, (size_t)ncap * sizeof *n);
            if (n == NULL)
                return pmi_p_nomem(p);
            p->toks = n;
            p->cap = ncap;
        }
        if (pmi_tokenizer_next(p->tz, &p->toks[p->ntoks]) < 0) {
            p->failed = 1;
            p->tok_failed = 1;
            return NULL;
        }
        p->ntoks++;
    }
    return &p->toks[want];
}

void *pmi_p_nomem(pmi_parser *p)
{
    if (!pm_err_occurred(p->rt))
        pm_err_nomem(p->rt);
    p->failed = 1;
    return NULL;
}

void *pmi_p_error(pmi_parser *p, int kind, int lineno, int col, int end_lineno, int end_col,
                  const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!p->failed) {
        if (pmi_syntax_error_set(p->rt, p->err, kind, p->src, p->srclen, lineno, col, end_lineno, end_col,
                                 "%s", msg) < 0)
            p->err->kind = 0;
    }
    p->failed = 1;
    return NULL;
}

pm_object *pmi_p_own(pmi_parser *p, pm_object *o)
{
    if (o == NULL)
        return pmi_p_nomem(p);
    if (pmi_arena_own(p->arena, o) < 0)
        return pmi_p_nomem(p);
    return o;
}

static pmi_token *cur(pmi_parser *p)
{
    return pmi_p_peek(p, 0);
}

static int at_op(pmi_parser *p, int op)
{
    pmi_token *t = cur(p);
    return t != NULL && t->type == PMI_T_OP && t->op == op && t->kw == 0;
}

static int at_op_k(pmi_parser *p, int k, int op)
{
    pmi_token *t = pmi_p_peek(p, k);
    return t != NULL && t->type == PMI_T_OP && t->op == op && t->kw == 0;
}

/* A hard keyword (soft keywords are names unless the grammar asks). */
static int at_kw(pmi_parser *p, int kw)
{
    pmi_token *t = cur(p);
    return t != NULL && t->type == PMI_T_NAME && t->kw == kw;
}

static int at_kw_k(pmi_parser *p, int k, int kw)
{
    pmi_token *t = pmi_p_peek(p, k);
    return t != NULL && t->type == PMI_T_NAME && t->kw == kw;
}

static int at_type_k(pmi_parser *p, int k, int type)
{
    pmi_token *t = pmi_p_peek(p, k);
    return t != NULL && t->type == type;
}

static int at_type(pmi_parser *p, int type)
{
    pmi_token *t = cur(p);
    return t != NULL && t->type == type && !(type == PMI_T_OP && t->kw != 0);
}

/* A NAME usable as an identifier: not a hard keyword. */
static int at_name(pmi_parser *p)
{
    pmi_token *t = cur(p);
    return t != NULL && t->type == PMI_T_NAME && (t->kw == 0 || t->kw >= PMI_KW_FIRST_SOFT);
}

static int at_name_k(pmi_parser *p, int k)
{
    pmi_token *t = pmi_p_peek(p, k);
    return t != NULL && t->type == PMI_T_NAME && (t->kw == 0 || t->kw >= PMI_KW_FIRST_SOFT);
}

static int accept_op(pmi_parser *p, int op)
{
    if (at_op(p, op)) {
        p->pos++;
        return 1;
    }
    return 0;
}

static int accept_kw(pmi_parser *p, int kw)
{
    if (at_kw(p, kw)) {
        p->pos++;
        return 1;
    }
    return 0;
}

static pmi_token *tokat(pmi_parser *p, int i)
{
    return &p->toks[i];
}

/* The last consumed token that is not NEWLINE, INDENT or DEDENT. */
static pmi_token *last_tok(pmi_parser *p)
{
    int i = p->pos - 1;
    while (i > 0 && (p->toks[i].type == PMI_T_NEWLINE || p->toks[i].type == PMI_T_INDENT ||
                     p->toks[i].type == PMI_T_DEDENT))
        i--;
    return &p->toks[i < 0 ? 0 : i];
}

/* Node positions: from token s to the last consumed token. */
#define EXTRA tokat(p, s)->lineno, tokat(p, s)->col_offset, last_tok(p)->end_lineno, \
              last_tok(p)->end_col_offset, p->arena
/* From node a's start to the last consumed token. */
#define EXTRA_FROM(a) (a)->lineno, (a)->col_offset, last_tok(p)->end_lineno, \
              last_tok(p)->end_col_offset, p->arena

#define FAILED (p->failed)
#define CHECK(x) do { if ((x) == NULL) return NULL; } while (0)

static int enter(pmi_parser *p)
{
    if (++p->depth > PMI_PARSER_MAXDEPTH) {
        /* CPython: MemoryError (no message) when its parser stack is
         * exhausted -- source too complex to parse */
        if (!p->failed)
            pm_err_nomem(p->rt);
        p->failed = 1;
        return -1;
    }
    return 0;
}
#define ENTER() do { if (enter(p) < 0) return NULL; } while (0)
#define LEAVE(v) do { p->depth--; return (v); } while (0)

/* An error spanning tokens / nodes. */
static void *error_at_tok(pmi_parser *p, pmi_token *t, const char *msg)
{
    if (!p->call_invalid)
        return NULL;
    return pmi_p_error(p, PMI_SYNTAX_ERROR, t->lineno, t->col_offset, t->end_lineno, t->end_col_offset, "%s", msg);
}

static void *error_range(pmi_parser *p, int l1, int c1, int l2, int c2, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void *error_range(pmi_parser *p, int l1, int c1, int l2, int c2, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    if (!p->call_invalid)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pmi_p_error(p, PMI_SYNTAX_ERROR, l1, c1, l2, c2, "%s", msg);
}

/* ---- sequences ----------------------------------------------------------- */

/* A growable list of pointers, turned into an arena sequence at the end.
 * The first eight elements sit in the list itself; past that the elements
 * move to blocks of the parse's arena, doubling each time.  Arena blocks
 * go with the arena, so a list abandoned on any error path -- a failed
 * alternative, a MemoryError halfway through a long display -- leaks
 * nothing; the price is the smaller blocks a grown list leaves behind
 * (at most as much again as its final block) until the parse ends. */
typedef struct plist {
    void **items;   /* elements: inline_ or an arena block */
    int n;          /* used */
    int cap;        /* allocated */
    void *inline_[8]; /* first elements, no allocation */
} plist;

static void pl_init(plist *l)
{
    l->items = l->inline_;
    l->n = 0;
    l->cap = 8;
}

static int pl_push(pmi_parser *p, plist *l, void *x)
{
    if (l->n == l->cap) {
        int ncap = l->cap * 2;
        void **n = pmi_arena_alloc(p->arena, (size_t)ncap * sizeof *n);
        if (n == NULL) {
            pmi_p_nomem(p);
            return -1;
        }
        memcpy(n, l->items, (size_t)l->n * sizeof *n);
        l->items = n;
        l->cap = ncap;
    }
    l->items[l->n++] = x;
    return 0;
}

/* Empties the list (its arena blocks stay with the arena). */
static void pl_free(pmi_parser *p, plist *l)
{
    (void)p;
    l->items = l->inline_;
    l->n = 0;
    l->cap = 8;
}

/* The arena sequence of the list's elements (frees the list). */
static void *pl_seq(pmi_parser *p, plist *l)
{
    asdl_seq *s = pmi_asdl_generic_seq_new(p->arena, l->n);
    if (s == NULL) {
        pl_free(p, l);
        return pmi_p_nomem(p);
    }
    for (int i = 0; i < l->n; i++)
        s->elements[i] = l->items[i];
    pl_free(p, l);
    return s;
}

static void *empty_seq(pmi_parser *p)
{
    asdl_seq *s = pmi_asdl_generic_seq_new(p->arena, 0);
    if (s == NULL)
        return pmi_p_nomem(p);
    return s;
}

static void *seq1(pmi_parser *p, void *x)
{
    asdl_seq *s = pmi_asdl_generic_seq_new(p->arena, 1);
    if (s == NULL)
        return pmi_p_nomem(p);
    s->elements[0] = x;
    return s;
}

/* ---- names ----------------------------------------------------------------- */

static identifier new_identifier(pmi_parser *p, const char *s, size_t n)
{
    pm_object *o = pm_str_from_utf8(p->rt, s, (pm_ssize_t)n);
    if (o == NULL)
        return pmi_p_nomem(p);
    pm_object *i = pm_str_intern(p->rt, o);
    pm_decref(p->rt, o);
    if (i == NULL)
        return pmi_p_nomem(p);
    return pmi_p_own(p, i);
}

/* A non-ASCII identifier in NFKC form (CPython normalizes them), character
 * by character. */
static identifier nfkc_identifier(pmi_parser *p, const char *s, size_t n)
{
    char *buf = pm_malloc(p->rt, n * 11 + 1);   /* NFKC grows a character 11 times at most */
    if (buf == NULL)
        return pmi_p_nomem(p);
    size_t k = 0;
    const unsigned char *q = (const unsigned char *)s, *end = q + n;
    while (q < end) {
        uint32_t cp = *q;
        size_t len = 1;
        if (cp >= 0xF0) { cp = ((cp & 7u) << 18) | ((q[1] & 0x3Fu) << 12) | ((q[2] & 0x3Fu) << 6) | (q[3] & 0x3Fu); len = 4; }
        else if (cp >= 0xE0) { cp = ((cp & 15u) << 12) | ((q[1] & 0x3Fu) << 6) | (q[2] & 0x3Fu); len = 3; }
        else if (cp >= 0xC0) { cp = ((cp & 31u) << 6) | (q[1] & 0x3Fu); len = 2; }
        size_t mlen;
        const char *m = cp >= 0x80 ? pmi_unicode_nfkc(cp, &mlen) : NULL;
        if (m != NULL && mlen <= len * 11) {
            memcpy(buf + k, m, mlen);
            k += mlen;
        } else {
            memcpy(buf + k, q, len);
            k += len;
        }
        q += len;
    }
    identifier id = new_identifier(p, buf, k);
    pm_free(p->rt, buf);
    return id;
}

/* Consume a NAME token as an identifier. */
static identifier name_token(pmi_parser *p)
{
    pmi_token *t = cur(p);
    p->pos++;
    for (const char *q = t->start; q < t->end; q++)
        if ((unsigned char)*q >= 0x80)
            return nfkc_identifier(p, t->start, (size_t)(t->end - t->start));
    return new_identifier(p, t->start, (size_t)(t->end - t->start));
}

static expr_ty name_expr(pmi_parser *p)
{
    int s = p->pos;
    identifier id = name_token(p);
    CHECK(id);
    return pmi_ast_Name(id, Load, EXTRA);
}

/* ---- expressions ------------------------------------------------------------- */

static expr_ty expression(pmi_parser *p);
static expr_ty named_expression(pmi_parser *p);
static expr_ty star_expressions(pmi_parser *p);
static expr_ty star_named_expression(pmi_parser *p);
static expr_ty disjunction(pmi_parser *p);
static expr_ty bitwise_or(pmi_parser *p);
static expr_ty primary(pmi_parser *p);
static expr_ty atom(pmi_parser *p);
static expr_ty yield_expr(pmi_parser *p);
static expr_ty lambdef(pmi_parser *p);
static arguments_ty lambda_params(pmi_parser *p);
static asdl_comprehension_seq *for_if_clauses(pmi_parser *p);
static expr_ty star_targets(pmi_parser *p);
static expr_ty set_context(pmi_parser *p, expr_ty e, expr_context_ty ctx);
static void invalid_expression_check(pmi_parser *p, expr_ty a);
static const char *expr_name(expr_ty e);

/* Is the token at pos+k the start of an expression?  (for error checks) */
static int starts_expression(pmi_parser *p, int k)
{
    pmi_token *t = pmi_p_peek(p, k);
    if (t == NULL)
        return 0;
    if (t->type == PMI_T_NAME) {
        switch (t->kw) {
        case PMI_KW_NONE: case PMI_KW_FALSE: case PMI_KW_NONE_: case PMI_KW_TRUE: case PMI_KW_LAMBDA:
        case PMI_KW_NOT: case PMI_KW_AWAIT: case PMI_KW_MATCH: case PMI_KW_CASE: case PMI_KW_UNDERSCORE:
            return 1;
        default:
            return 0;
        }
    }
    if (t->type == PMI_T_NUMBER || t->type == PMI_T_STRING)
        return 1;
    if (t->type == PMI_T_OP && t->kw == 0) {
        switch (t->op) {
        case PMI_OP_LPAR: case PMI_OP_LSQB: case PMI_OP_LBRACE: case PMI_OP_MINUS: case PMI_OP_PLUS:
        case PMI_OP_TILDE: case PMI_OP_ELLIPSIS:
            return 1;
        }
    }
    return 0;
}


/* Python's NUMBER token to a constant. */
static pm_object *parse_number(pmi_parser *p, const char *s, size_t n)
{
    char stackbuf[128];
    char *buf = n < sizeof stackbuf ? stackbuf : pm_malloc(p->rt, n + 1);
    if (buf == NULL)
        return pmi_p_nomem(p);
    size_t k = 0;
    int is_float = 0, is_imag = 0, base = 10;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '_')
            buf[k++] = s[i];
    buf[k] = '\0';
    if (k > 1 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
        base = 16;
    else if (k > 1 && buf[0] == '0' && (buf[1] == 'o' || buf[1] == 'O'))
        base = 8;
    else if (k > 1 && buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
        base = 2;
    if (base == 10) {
        if (k > 0 && (buf[k - 1] == 'j' || buf[k - 1] == 'J')) {
            is_imag = 1;
            buf[--k] = '\0';
        }
        for (size_t i = 0; i < k; i++)
            if (buf[i] == '.' || buf[i] == 'e' || buf[i] == 'E')
                is_float = 1;
    }
    pm_object *o;
    if (is_imag || is_float) {
        double d = strtod(buf, NULL);
        o = is_imag ? pmi_make_imaginary(p->rt, d) : pm_float_new(p->rt, d);
    } else if (base != 10) {
        o = pm_int_from_string(p->rt, buf + 2, (pm_ssize_t)(k - 2), base);
    } else if (k > 4300) {
        /* CPython 3.11's default int_max_str_digits; the report has no
         * column ("nobody overlooks their huge literal once given the line") */
        if (buf != stackbuf)
            pm_free(p->rt, buf);
        pmi_token *t = &p->toks[p->pos - 1];
        pmi_p_error(p, PMI_SYNTAX_ERROR, t->lineno, -1, t->end_lineno, -1,
                    "Exceeds the limit (4300 digits) for integer string conversion: value has %zu digits; "
                    "use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge "
                    "integer literals to avoid decimal conversion limits.", k);
        if (p->err->kind != 0)
            p->err->offset = 0;
        return NULL;
    } else {
        o = pm_int_from_string(p->rt, buf, (pm_ssize_t)k, 10);
    }
    if (buf != stackbuf)
        pm_free(p->rt, buf);
    if (o == NULL) {
        if (pm_err_kind(p->rt) != PM_EXC_MemoryError) {
            /* e.g. a literal too large to convert: report it as CPython would */
            char m[300];
            snprintf(m, sizeof m, "%s", pm_err_message(p->rt));
            pm_err_clear(p->rt);
            pmi_token *t = &p->toks[p->pos - 1];
            return pmi_p_error(p, PMI_SYNTAX_ERROR, t->lineno, t->col_offset, t->end_lineno, t->end_col_offset,
                               "%s", m);
        }
        return pmi_p_nomem(p);
    }
    return pmi_p_own(p, o);
}

static expr_ty constant_expr(pmi_parser *p, pm_object *v, int s)
{
    return pmi_ast_Constant(v, NULL, EXTRA);
}

/* '(' ... ')': tuple, group, generator expression, yield */
static expr_ty paren_atom(pmi_parser *p)
{
    int s = p->pos;
    p->pos++;   /* '(' */
    if (accept_op(p, PMI_OP_RPAR))
        return pmi_ast_Tuple(empty_seq(p), Load, EXTRA);
    CHECK(cur(p));
    if (at_kw(p, PMI_KW_YIELD)) {
        expr_ty y = yield_expr(p);
        CHECK(y);
        if (!accept_op(p, PMI_OP_RPAR))
            return NULL;
        return y;
    }
    expr_ty first = star_named_expression(p);
    if (first == NULL)
        return NULL;
    if (at_kw(p, PMI_KW_FOR) || (at_kw(p, PMI_KW_ASYNC) && at_kw_k(p, 1, PMI_KW_FOR))) {
        if (first->kind == Starred_kind)
            return NULL;
        asdl_comprehension_seq *gens = for_if_clauses(p);
        CHECK(gens);
        if (!accept_op(p, PMI_OP_RPAR))
            return NULL;
        return pmi_ast_GeneratorExp(first, gens, EXTRA);
    }
    if (accept_op(p, PMI_OP_RPAR)) {
        if (first->kind == Starred_kind) {
            /* (*x) is an error */
            return error_range(p, first->lineno, first->col_offset, first->end_lineno, first->end_col_offset,
                               "cannot use starred expression here");
        }
        return first;   /* a group keeps its own position */
    }
    if (!at_op(p, PMI_OP_COMMA)) {
        if (!FAILED)
            invalid_expression_check(p, first);
        return NULL;
    }
    plist l;
    pl_init(&l);
    if (pl_push(p, &l, first) < 0)
        return NULL;
    while (accept_op(p, PMI_OP_COMMA)) {
        if (at_op(p, PMI_OP_RPAR))
            break;
        expr_ty e = star_named_expression(p);
        if (e == NULL) {
            pl_free(p, &l);
            return NULL;
        }
        if (pl_push(p, &l, e) < 0)
            return NULL;
    }
    if (!accept_op(p, PMI_OP_RPAR)) {
        pl_free(p, &l);
        return NULL;
    }
    asdl_expr_seq *elts = pl_seq(p, &l);
    CHECK(elts);
    return pmi_ast_Tuple(elts, Load, EXTRA);
}

/* '[' ... ']': list or list comprehension */
static expr_ty list_atom(pmi_parser *p)
{
    int s = p->pos;
    p->pos++;
    if (accept_op(p, PMI_OP_RSQB))
        return pmi_ast_List(empty_seq(p), Load, EXTRA);
    expr_ty first = star_named_expression(p);
    CHECK(first);
    if (at_kw(p, PMI_KW_FOR) || (at_kw(p, PMI_KW_ASYNC) && at_kw_k(p, 1, PMI_KW_FOR))) {
        if (first->kind == Starred_kind)
            return NULL;
        asdl_comprehension_seq *gens = for_if_clauses(p);
        CHECK(gens);
        if (!accept_op(p, PMI_OP_RSQB))
            return NULL;
        return pmi_ast_ListComp(first, gens, EXTRA);
    }
    plist l;
    pl_init(&l);
    if (pl_push(p, &l, first) < 0)
        return NULL;
    while (accept_op(p, PMI_OP_COMMA)) {
        if (at_op(p, PMI_OP_RSQB))
            break;
        expr_ty e = star_named_expression(p);
        if (e == NULL) {
            pl_free(p, &l);
            return NULL;
        }
        if (pl_push(p, &l, e) < 0)
            return NULL;
    }
    if (!accept_op(p, PMI_OP_RSQB)) {
        pl_free(p, &l);
        if (!FAILED && l.n >= 0)
            invalid_expression_check(p, (expr_ty)NULL);
        return NULL;
    }
    asdl_expr_seq *elts = pl_seq(p, &l);
    CHECK(elts);
    return pmi_ast_List(elts, Load, EXTRA);
}

/* '{' ... '}': dict, set, and their comprehensions */
static expr_ty brace_atom(pmi_parser *p)
{
    int s = p->pos;
    p->pos++;
    if (accept_op(p, PMI_OP_RBRACE))
        return pmi_ast_Dict(empty_seq(p), empty_seq(p), EXTRA);
    CHECK(cur(p));
    int is_dict;
    expr_ty k = NULL, v = NULL;
    if (accept_op(p, PMI_OP_DOUBLESTAR)) {
        is_dict = 1;
        v = bitwise_or(p);
        CHECK(v);
    } else {
        k = star_named_expression(p);
        CHECK(k);
        if (k->kind != Starred_kind && accept_op(p, PMI_OP_COLON)) {
            is_dict = 1;
            if (at_op(p, PMI_OP_RBRACE) || at_op(p, PMI_OP_COMMA)) {
                pmi_token *c = &p->toks[p->pos - 1];
                return error_range(p, c->lineno, c->col_offset, -1, -1,
                                   "expression expected after dictionary key and ':'");
            }
            if (at_op(p, PMI_OP_STAR) && p->call_invalid) {
                int st = p->pos;
                p->pos++;
                expr_ty sv = bitwise_or(p);
                if (sv != NULL)
                    error_range(p, tokat(p, st)->lineno, tokat(p, st)->col_offset, sv->end_lineno,
                                sv->end_col_offset, "cannot use a starred expression in a dictionary value");
                return NULL;
            }
            v = expression(p);
            CHECK(v);
        } else {
            is_dict = 0;
        }
    }
    if (at_kw(p, PMI_KW_FOR) || (at_kw(p, PMI_KW_ASYNC) && at_kw_k(p, 1, PMI_KW_FOR))) {
        if ((is_dict && k == NULL) || (!is_dict && k->kind == Starred_kind))
            return NULL;
        asdl_comprehension_seq *gens = for_if_clauses(p);
        CHECK(gens);
        if (!accept_op(p, PMI_OP_RBRACE))
            return NULL;
        if (is_dict)
            return pmi_ast_DictComp(k, v, gens, EXTRA);
        return pmi_ast_SetComp(k, gens, EXTRA);
    }
    plist keys, vals;
    pl_init(&keys);
    pl_init(&vals);
    if (pl_push(p, &keys, k) < 0)
        return NULL;
    if (is_dict && pl_push(p, &vals, v) < 0) {
        pl_free(p, &keys);
        return NULL;
    }
    while (accept_op(p, PMI_OP_COMMA)) {
        if (at_op(p, PMI_OP_RBRACE))
            break;
        if (is_dict) {
            if (accept_op(p, PMI_OP_DOUBLESTAR)) {
                k = NULL;
                v = bitwise_or(p);
            } else {
                /* invalid_kvpair: the key is parsed without the error rules */
                int ci = p->call_invalid;
                p->call_invalid = 0;
                k = expression(p);
                p->call_invalid = ci;
                if (k != NULL) {
                    if (!accept_op(p, PMI_OP_COLON)) {
                        if (!FAILED)
                            error_range(p, k->lineno, k->end_col_offset - 1, -1, -1,
                                        "':' expected after dictionary key");
                        k = NULL;
                        v = NULL;
                    } else if (at_op(p, PMI_OP_STAR) && p->call_invalid) {
                        int st = p->pos;
                        p->pos++;
                        expr_ty sv = bitwise_or(p);
                        if (sv != NULL)
                            error_range(p, tokat(p, st)->lineno, tokat(p, st)->col_offset, sv->end_lineno,
                                        sv->end_col_offset, "cannot use a starred expression in a dictionary value");
                        v = NULL;
                    } else if (at_op(p, PMI_OP_RBRACE) || at_op(p, PMI_OP_COMMA)) {
                        pmi_token *c = &p->toks[p->pos - 1];
                        error_range(p, c->lineno, c->col_offset, -1, -1,
                                    "expression expected after dictionary key and ':'");
                        v = NULL;
                    } else {
                        v = expression(p);
                    }
                } else {
                    v = NULL;
                }
            }
            if (v == NULL || pl_push(p, &keys, k) < 0 || pl_push(p, &vals, v) < 0) {
                pl_free(p, &keys);
                pl_free(p, &vals);
                return NULL;
            }
        } else {
            expr_ty e = star_named_expression(p);
            if (e == NULL || pl_push(p, &keys, e) < 0) {
                pl_free(p, &keys);
                return NULL;
            }
        }
    }
    if (!accept_op(p, PMI_OP_RBRACE)) {
        pl_free(p, &keys);
        pl_free(p, &vals);
        return NULL;
    }
    if (is_dict) {
        asdl_expr_seq *ks = pl_seq(p, &keys);
        asdl_expr_seq *vs = pl_seq(p, &vals);
        CHECK(ks);
        CHECK(vs);
        return pmi_ast_Dict(ks, vs, EXTRA);
    }
    asdl_expr_seq *es = pl_seq(p, &keys);
    CHECK(es);
    return pmi_ast_Set(es, EXTRA);
}

static expr_ty atom(pmi_parser *p)
{
    pmi_token *t = cur(p);
    CHECK(t);
    int s = p->pos;
    switch (t->type) {
    case PMI_T_NAME:
        switch (t->kw) {
        case PMI_KW_NONE: case PMI_KW_MATCH: case PMI_KW_CASE: case PMI_KW_UNDERSCORE:
            return name_expr(p);
        case PMI_KW_TRUE:
            p->pos++;
            return constant_expr(p, PM_TRUE, s);
        case PMI_KW_FALSE:
            p->pos++;
            return constant_expr(p, PM_FALSE, s);
        case PMI_KW_NONE_:
            p->pos++;
            return constant_expr(p, PM_NONE, s);
        default:
            return NULL;
        }
    case PMI_T_NUMBER: {
        p->pos++;
        pm_object *v = parse_number(p, t->start, (size_t)(t->end - t->start));
        CHECK(v);
        return constant_expr(p, v, s);
    }
    case PMI_T_STRING: {
        int last = p->pos;
        for (;;) {
            pmi_token *n = pmi_p_peek(p, last - p->pos + 1);
            if (n == NULL)
                return NULL;
            if (n->type != PMI_T_STRING)
                break;
            last++;
        }
        p->pos = last + 1;
        return pmi_p_strings(p, s, last);
    }
    case PMI_T_OP:
        if (t->kw != 0)
            return NULL;
        switch (t->op) {
        case PMI_OP_LPAR: return paren_atom(p);
        case PMI_OP_LSQB: return list_atom(p);
        case PMI_OP_LBRACE: return brace_atom(p);
        case PMI_OP_ELLIPSIS:
            p->pos++;
            return constant_expr(p, PM_ELLIPSIS, s);
        default:
            return NULL;
        }
    default:
        return NULL;
    }
}

/* slice: [expression] ':' [expression] [':' [expression]] | named_expression */
static expr_ty slice_item(pmi_parser *p)
{
    int s = p->pos;
    expr_ty lower = NULL, upper = NULL, step = NULL;
    if (!at_op(p, PMI_OP_COLON)) {
        if (at_op(p, PMI_OP_STAR)) {
            /* starred_expression in a tuple of slices */
            p->pos++;
            expr_ty v = bitwise_or(p);
            CHECK(v);
            return pmi_ast_Starred(v, Load, EXTRA);
        }
        lower = named_expression(p);
        CHECK(lower);
        if (!at_op(p, PMI_OP_COLON))
            return lower;
        if (lower->kind == NamedExpr_kind && !(tokat(p, s)->type == PMI_T_OP))
            return NULL;
    }
    p->pos++;   /* ':' */
    if (!at_op(p, PMI_OP_COLON) && !at_op(p, PMI_OP_RSQB) && !at_op(p, PMI_OP_COMMA)) {
        upper = expression(p);
        CHECK(upper);
    }
    if (accept_op(p, PMI_OP_COLON)) {
        if (!at_op(p, PMI_OP_RSQB) && !at_op(p, PMI_OP_COMMA)) {
            step = expression(p);
            CHECK(step);
        }
    }
    return pmi_ast_Slice(lower, upper, step, EXTRA);
}

static expr_ty slices(pmi_parser *p)
{
    int s = p->pos;
    expr_ty first = slice_item(p);
    CHECK(first);
    if (!at_op(p, PMI_OP_COMMA)) {
        if (first->kind == Starred_kind) {
            asdl_expr_seq *one = seq1(p, first);
            CHECK(one);
            return pmi_ast_Tuple(one, Load, EXTRA);
        }
        return first;
    }
    plist l;
    pl_init(&l);
    if (pl_push(p, &l, first) < 0)
        return NULL;
    while (accept_op(p, PMI_OP_COMMA)) {
        if (at_op(p, PMI_OP_RSQB))
            break;
        expr_ty e = slice_item(p);
        if (e == NULL || pl_push(p, &l, e) < 0) {
            pl_free(p, &l);
            return NULL;
        }
    }
    asdl_expr_seq *elts = pl_seq(p, &l);
    CHECK(elts);
    return pmi_ast_Tuple(elts, Load, EXTRA);
}

/* Call arguments after '(' up to (not including) ')'. */
static int call_args(pmi_parser *p, asdl_expr_seq **pargs, asdl_keyword_seq **pkw)
{
    plist args, kws;
    pl_init(&args);
    pl_init(&kws);
    while (!at_op(p, PMI_OP_RPAR)) {
        if (cur(p) == NULL)
            goto fail;
        int s = p->pos;
        if (accept_op(p, PMI_OP_DOUBLESTAR)) {
            expr_ty v = expression(p);
            if (v == NULL)
                goto fail;
            keyword_ty k = pmi_ast_keyword(NULL, v, EXTRA);
            if (k == NULL || pl_push(p, &kws, k) < 0)
                goto fail;
        } else if (accept_op(p, PMI_OP_STAR)) {
            expr_ty v = expression(p);
            if (v == NULL)
                goto fail;
            expr_ty st = pmi_ast_Starred(v, Load, EXTRA);
            /* CPython keeps starred arguments after keywords in args too */
            if (st == NULL || pl_push(p, &args, st) < 0)
                goto fail;
        } else if (at_name(p) && at_op_k(p, 1, PMI_OP_EQUAL)) {
            identifier id = name_token(p);
            if (id == NULL)
                goto fail;
            p->pos++;   /* '=' */
            expr_ty v = expression(p);
            if (v == NULL)
                goto fail;
            keyword_ty k = pmi_ast_keyword(id, v, EXTRA);
            if (k == NULL || pl_push(p, &kws, k) < 0)
                goto fail;
        } else {
            expr_ty e = named_expression(p);
            if (e == NULL)
                goto fail;
            if (at_kw(p, PMI_KW_FOR) || (at_kw(p, PMI_KW_ASYNC) && at_kw_k(p, 1, PMI_KW_FOR))) {
                asdl_comprehension_seq *gens = for_if_clauses(p);
                if (gens == NULL)
                    goto fail;
                /* only allowed as the sole argument (CPython's rule); its
                 * position then includes the call's parentheses */
                if (args.n + kws.n == 0 && at_op(p, PMI_OP_RPAR)) {
                    pmi_token *lp = tokat(p, s - 1), *rp = cur(p);
                    e = pmi_ast_GeneratorExp(e, gens, lp->lineno, lp->col_offset, rp->end_lineno,
                                             rp->end_col_offset, p->arena);
                } else {
                    e = pmi_ast_GeneratorExp(e, gens, EXTRA);
                }
                if (e == NULL)
                    goto fail;
                if (args.n + kws.n > 0 || at_op(p, PMI_OP_COMMA)) {
                    error_range(p, e->lineno, e->col_offset, e->end_lineno, e->end_col_offset,
                                "Generator expression must be parenthesized");
                    goto fail;
                }
            } else if (at_op(p, PMI_OP_EQUAL)) {
                goto fail;
            }
            if (kws.n > 0) {
                /* positional after keyword: a later check in CPython */
                int any_kw_named = 0;
                for (int i = 0; i < kws.n; i++)
                    if (((keyword_ty)kws.items[i])->arg == NULL)
                        any_kw_named = 1;
                pmi_token *at = cur(p);
                if (at != NULL)
                    error_at_tok(p, at, any_kw_named ? "positional argument follows keyword argument unpacking"
                                                     : "positional argument follows keyword argument");
                goto fail;
            }
            if (pl_push(p, &args, e) < 0)
                goto fail;
        }
        if (!accept_op(p, PMI_OP_COMMA))
            break;
    }
    *pargs = pl_seq(p, &args);
    *pkw = pl_seq(p, &kws);
    if (*pargs == NULL || *pkw == NULL)
        return -1;
    return 0;
fail:
    pl_free(p, &args);
    pl_free(p, &kws);
    return -1;
}

static expr_ty primary(pmi_parser *p)
{
    int s = p->pos;
    expr_ty e = atom(p);
    if (e == NULL)
        return NULL;
    for (;;) {
        if (accept_op(p, PMI_OP_DOT)) {
            if (!at_name(p))
                return NULL;
            identifier id = name_token(p);
            CHECK(id);
            e = pmi_ast_Attribute(e, id, Load, EXTRA);
        } else if (at_op(p, PMI_OP_LPAR)) {
            p->pos++;
            asdl_expr_seq *args;
            asdl_keyword_seq *kws;
            if (call_args(p, &args, &kws) < 0)
                return NULL;
            if (!accept_op(p, PMI_OP_RPAR))
                return NULL;
            e = pmi_ast_Call(e, args, kws, EXTRA);
        } else if (at_op(p, PMI_OP_LSQB)) {
            p->pos++;
            expr_ty sl = slices(p);
            CHECK(sl);
            if (!accept_op(p, PMI_OP_RSQB))
                return NULL;
            e = pmi_ast_Subscript(e, sl, Load, EXTRA);
        } else {
            return e;
        }
        CHECK(e);
    }
}

static expr_ty await_primary(pmi_parser *p)
{
    int s = p->pos;
    if (accept_kw(p, PMI_KW_AWAIT)) {
        expr_ty e = primary(p);
        CHECK(e);
        return pmi_ast_Await(e, EXTRA);
    }
    return primary(p);
}

static expr_ty factor(pmi_parser *p);

static expr_ty power(pmi_parser *p)
{
    int s = p->pos;
    expr_ty a = await_primary(p);
    CHECK(a);
    if (accept_op(p, PMI_OP_DOUBLESTAR)) {
        if (enter(p) < 0)
            return NULL;
        expr_ty b = factor(p);
        p->depth--;
        CHECK(b);
        return pmi_ast_BinOp(a, Pow, b, EXTRA);
    }
    return a;
}

static expr_ty factor(pmi_parser *p)
{
    int s = p->pos;
    unaryop_ty op;
    if (at_op(p, PMI_OP_PLUS))
        op = UAdd;
    else if (at_op(p, PMI_OP_MINUS))
        op = USub;
    else if (at_op(p, PMI_OP_TILDE))
        op = Invert;
    else
        return power(p);
    p->pos++;
    if (enter(p) < 0)
        return NULL;
    expr_ty a = factor(p);
    p->depth--;
    CHECK(a);
    return pmi_ast_UnaryOp(op, a, EXTRA);
}

static int binop_of(pmi_parser *p, int level, operator_ty *op)
{
    pmi_token *t = cur(p);
    if (t == NULL || t->type != PMI_T_OP || t->kw != 0)
        return 0;
    switch (level) {
    case 0: /* term */
        switch (t->op) {
        case PMI_OP_STAR: *op = Mult; return 1;
        case PMI_OP_SLASH: *op = Div; return 1;
        case PMI_OP_DOUBLESLASH: *op = FloorDiv; return 1;
        case PMI_OP_PERCENT: *op = Mod; return 1;
        case PMI_OP_AT: *op = MatMult; return 1;
        }
        return 0;
    case 1: /* sum */
        if (t->op == PMI_OP_PLUS) { *op = Add; return 1; }
        if (t->op == PMI_OP_MINUS) { *op = Sub; return 1; }
        return 0;
    case 2: /* shift */
        if (t->op == PMI_OP_LEFTSHIFT) { *op = LShift; return 1; }
        if (t->op == PMI_OP_RIGHTSHIFT) { *op = RShift; return 1; }
        return 0;
    case 3:
        if (t->op == PMI_OP_AMPER) { *op = BitAnd; return 1; }
        return 0;
    case 4:
        if (t->op == PMI_OP_CIRCUMFLEX) { *op = BitXor; return 1; }
        return 0;
    case 5:
        if (t->op == PMI_OP_VBAR) { *op = BitOr; return 1; }
        return 0;
    }
    return 0;
}

static expr_ty binary_level(pmi_parser *p, int level)
{
    int s = p->pos;
    expr_ty a = level == 0 ? factor(p) : binary_level(p, level - 1);
    CHECK(a);
    operator_ty op;
    while (binop_of(p, level, &op)) {
        p->pos++;
        expr_ty b = level == 0 ? factor(p) : binary_level(p, level - 1);
        CHECK(b);
        a = pmi_ast_BinOp(a, op, b, EXTRA);
        CHECK(a);
    }
    return a;
}

static expr_ty bitwise_or(pmi_parser *p)
{
    return binary_level(p, 5);
}

static int cmpop_at(pmi_parser *p, cmpop_ty *op, int *ntok)
{
    pmi_token *t = cur(p);
    if (t == NULL)
        return 0;
    *ntok = 1;
    if (t->type == PMI_T_OP && t->kw == 0) {
        switch (t->op) {
        case PMI_OP_EQEQUAL: *op = Eq; return 1;
        case PMI_OP_NOTEQUAL: *op = NotEq; return 1;
        case PMI_OP_LESS: *op = Lt; return 1;
        case PMI_OP_LESSEQUAL: *op = LtE; return 1;
        case PMI_OP_GREATER: *op = Gt; return 1;
        case PMI_OP_GREATEREQUAL: *op = GtE; return 1;
        }
        return 0;
    }
    if (t->type == PMI_T_NAME) {
        if (t->kw == PMI_KW_IN) { *op = In; return 1; }
        if (t->kw == PMI_KW_NOT && at_kw_k(p, 1, PMI_KW_IN)) { *op = NotIn; *ntok = 2; return 1; }
        if (t->kw == PMI_KW_IS) {
            if (at_kw_k(p, 1, PMI_KW_NOT)) { *op = IsNot; *ntok = 2; return 1; }
            *op = Is;
            return 1;
        }
    }
    return 0;
}

static expr_ty comparison(pmi_parser *p)
{
    int s = p->pos;
    expr_ty a = bitwise_or(p);
    CHECK(a);
    cmpop_ty op;
    int ntok;
    if (!cmpop_at(p, &op, &ntok))
        return a;
    plist ops, rights;
    pl_init(&ops);
    pl_init(&rights);
    while (cmpop_at(p, &op, &ntok)) {
        p->pos += ntok;
        expr_ty b = bitwise_or(p);
        if (b == NULL || pl_push(p, &ops, (void *)(intptr_t)op) < 0 || pl_push(p, &rights, b) < 0) {
            pl_free(p, &ops);
            pl_free(p, &rights);
            return NULL;
        }
    }
    asdl_int_seq *is = pmi_asdl_int_seq_new(p->arena, ops.n);
    if (is == NULL) {
        pl_free(p, &ops);
        pl_free(p, &rights);
        return pmi_p_nomem(p);
    }
    for (int i = 0; i < ops.n; i++)
        is->typed_elements[i] = (int)(intptr_t)ops.items[i];
    pl_free(p, &ops);
    asdl_expr_seq *rs = pl_seq(p, &rights);
    CHECK(rs);
    return pmi_ast_Compare(a, is, rs, EXTRA);
}

static expr_ty inversion(pmi_parser *p)
{
    int s = p->pos;
    if (accept_kw(p, PMI_KW_NOT)) {
        if (enter(p) < 0)
            return NULL;
        expr_ty a = inversion(p);
        p->depth--;
        CHECK(a);
        return pmi_ast_UnaryOp(Not, a, EXTRA);
    }
    return comparison(p);
}

static expr_ty boolop_level(pmi_parser *p, int kw)
{
    int s = p->pos;
    expr_ty a = kw == PMI_KW_AND ? inversion(p) : boolop_level(p, PMI_KW_AND);
    CHECK(a);
    if (!at_kw(p, kw))
        return a;
    plist l;
    pl_init(&l);
    if (pl_push(p, &l, a) < 0)
        return NULL;
    while (accept_kw(p, kw)) {
        expr_ty b = kw == PMI_KW_AND ? inversion(p) : boolop_level(p, PMI_KW_AND);
        if (b == NULL || pl_push(p, &l, b) < 0) {
            pl_free(p, &l);
            return NULL;
        }
    }
    asdl_expr_seq *vs = pl_seq(p, &l);
    CHECK(vs);
    return pmi_ast_BoolOp(kw == PMI_KW_AND ? And : Or, vs, EXTRA);
}

static expr_ty disjunction(pmi_parser *p)
{
    return boolop_level(p, PMI_KW_OR);
}

static expr_ty expression_(pmi_parser *p)
{
    int s = p->pos;
    if (at_kw(p, PMI_KW_LAMBDA))
        return lambdef(p);
    int name_string = p->call_invalid && at_type(p, PMI_T_NAME) && pmi_p_peek(p, 1) &&
                      pmi_p_peek(p, 1)->type == PMI_T_STRING;
    int soft = p->call_invalid && at_type(p, PMI_T_NAME) && cur(p)->kw >= PMI_KW_FIRST_SOFT;
    expr_ty a = disjunction(p);
    if (a == NULL)
        return NULL;
    if (p->call_invalid && !name_string && !soft)
        invalid_expression_check(p, a);
    if (FAILED)
        return NULL;
    if (at_kw(p, PMI_KW_IF)) {
        int save = p->pos;
        p->pos++;
        expr_ty b = disjunction(p);
        if (b == NULL || !accept_kw(p, PMI_KW_ELSE)) {
            if (FAILED)
                return NULL;
            if (b != NULL && !at_op(p, PMI_OP_COLON)) {
                /* invalid_expression: "expected 'else' after 'if' expression" */
                return error_range(p, a->lineno, a->col_offset, b->end_lineno, b->end_col_offset,
                                   "expected 'else' after 'if' expression");
            }
            p->pos = save;
            return a;
        }
        expr_ty c = expression(p);
        CHECK(c);
        return pmi_ast_IfExp(b, a, c, EXTRA);
    }
    return a;
}

static expr_ty expression(pmi_parser *p)
{
    if (enter(p) < 0)
        return NULL;
    expr_ty r = expression_(p);
    p->depth--;
    return r;
}

/* named_expression: NAME ':=' expression | expression !':=' */
static expr_ty named_expression(pmi_parser *p)
{
    int s = p->pos;
    if (at_name(p) && at_op_k(p, 1, PMI_OP_COLONEQUAL)) {
        expr_ty target = name_expr(p);
        CHECK(target);
        target->v.Name.ctx = Store;
        p->pos++;
        expr_ty v = expression(p);
        CHECK(v);
        return pmi_ast_NamedExpr(target, v, EXTRA);
    }
    expr_ty e = expression(p);
    if (e != NULL && p->call_invalid && at_op(p, PMI_OP_EQUAL) && !at_op_k(p, 1, PMI_OP_EQUAL)) {
        /* invalid_named_expression: `if x = 1:` */
        int save = p->pos;
        p->pos++;
        p->call_invalid = 0;
        expr_ty b = bitwise_or(p);
        p->call_invalid = 1;
        if (b != NULL && !at_op(p, PMI_OP_EQUAL) && !at_op(p, PMI_OP_COLONEQUAL)) {
            if (e->kind == Name_kind)
                return error_range(p, e->lineno, e->col_offset, b->end_lineno, b->end_col_offset,
                                   "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
            int excluded = e->kind == List_kind || e->kind == Tuple_kind || e->kind == GeneratorExp_kind ||
                           (e->kind == Constant_kind && (e->v.Constant.value == PM_TRUE ||
                            e->v.Constant.value == PM_FALSE || e->v.Constant.value == PM_NONE));
            int bitwise = e->kind != IfExp_kind && e->kind != Lambda_kind && e->kind != Compare_kind &&
                          e->kind != BoolOp_kind && !(e->kind == UnaryOp_kind && e->v.UnaryOp.op == Not);
            if (!excluded && bitwise)
                return error_range(p, e->lineno, e->col_offset, e->end_lineno, e->end_col_offset,
                                   "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                                   expr_name(e));
        }
        if (FAILED)
            return NULL;
        p->pos = save;
    }
    if (e != NULL && at_op(p, PMI_OP_COLONEQUAL)) {
        /* invalid_named_expression */
        const char *what = NULL;
        (void)what;
        return error_range(p, e->lineno, e->col_offset, e->end_lineno, e->end_col_offset,
                           "cannot use assignment expressions with %s",
                           e->kind == Subscript_kind ? "subscript" : e->kind == Attribute_kind ? "attribute"
                           : e->kind == Tuple_kind ? "tuple" : e->kind == Constant_kind ? "literal" : "expression");
    }
    return e;
}

static expr_ty star_named_expression(pmi_parser *p)
{
    int s = p->pos;
    if (accept_op(p, PMI_OP_STAR)) {
        expr_ty v = bitwise_or(p);
        CHECK(v);
        return pmi_ast_Starred(v, Load, EXTRA);
    }
    return named_expression(p);
}

static expr_ty star_expression(pmi_parser *p)
{
    int s = p->pos;
    if (accept_op(p, PMI_OP_STAR)) {
        expr_ty v = bitwise_or(p);
        CHECK(v);
        return pmi_ast_Starred(v, Load, EXTRA);
    }
    return expression(p);
}

/* star_expressions: a tuple when there is a comma */
static expr_ty star_expressions(pmi_parser *p)
{
    int s = p->pos;
    expr_ty first = star_expression(p);
    CHECK(first);
    if (!at_op(p, PMI_OP_COMMA))
        return first;
    plist l;
    pl_init(&l);
    if (pl_push(p, &l, first) < 0)
        return NULL;
    while (accept_op(p, PMI_OP_COMMA)) {
        if (!starts_expression(p, 0) && !at_op(p, PMI_OP_STAR))
            break;
        expr_ty e = star_expression(p);
        if (e == NULL || pl_push(p, &l, e) < 0) {
            pl_free(p, &l);
            return NULL;
        }
    }
    asdl_expr_seq *elts = pl_seq(p, &l);
    CHECK(elts);
    return pmi_ast_Tuple(elts, Load, EXTRA);
}

static expr_ty yield_expr(pmi_parser *p)
{
    int s = p->pos;
    p->pos++;   /* 'yield' */
    if (accept_kw(p, PMI_KW_FROM)) {
        expr_ty e = expression(p);
        CHECK(e);
        return pmi_ast_YieldFrom(e, EXTRA);
    }
    if (starts_expression(p, 0) || at_op(p, PMI_OP_STAR)) {
        expr_ty e = star_expressions(p);
        CHECK(e);
        return pmi_ast_Yield(e, EXTRA);
    }
    return pmi_ast_Yield(NULL, EXTRA);
}

/* for_if_clauses: ('async'? 'for' star_targets 'in' ~ disjunction ('if' disjunction)*)+ */
static asdl_comprehension_seq *for_if_clauses(pmi_parser *p)
{
    plist gens;
    pl_init(&gens);
    while (at_kw(p, PMI_KW_FOR) || (at_kw(p, PMI_KW_ASYNC) && at_kw_k(p, 1, PMI_KW_FOR))) {
        int is_async = accept_kw(p, PMI_KW_ASYNC);
        p->pos++;   /* 'for' */
        expr_ty target = star_targets(p);
        if (target == NULL || !accept_kw(p, PMI_KW_IN)) {
            pl_free(p, &gens);
            return NULL;
        }
        expr_ty iter = disjunction(p);
        if (iter == NULL) {
            pl_free(p, &gens);
            return NULL;
        }
        plist ifs;
        pl_init(&ifs);
        while (accept_kw(p, PMI_KW_IF)) {
            expr_ty c = disjunction(p);
            if (c == NULL || pl_push(p, &ifs, c) < 0) {
                pl_free(p, &ifs);
                pl_free(p, &gens);
                return NULL;
            }
        }
        asdl_expr_seq *ifseq = pl_seq(p, &ifs);
        comprehension_ty c = ifseq ? pmi_ast_comprehension(target, iter, ifseq, is_async, p->arena) : NULL;
        if (c == NULL || pl_push(p, &gens, c) < 0) {
            pl_free(p, &gens);
            return pmi_p_nomem(p);
        }
    }
    return pl_seq(p, &gens);
}

/* ---- parameters ------------------------------------------------------------- */

/* One parameter: NAME [':' expression] (annotations only for def). */
static arg_ty param(pmi_parser *p, int allow_annotation, int star_annotation)
{
    int s = p->pos;
    if (!at_name(p))
        return NULL;
    identifier id = name_token(p);
    CHECK(id);
    expr_ty ann = NULL;
    if (allow_annotation && accept_op(p, PMI_OP_COLON)) {
        if (star_annotation && at_op(p, PMI_OP_STAR)) {
            int s2 = p->pos;
            p->pos++;
            expr_ty v = bitwise_or(p);
            CHECK(v);
            ann = pmi_ast_Starred(v, Load, tokat(p, s2)->lineno, tokat(p, s2)->col_offset,
                                  last_tok(p)->end_lineno, last_tok(p)->end_col_offset, p->arena);
        } else {
            ann = expression(p);
        }
        CHECK(ann);
    }
    return pmi_ast_arg(id, ann, NULL, EXTRA);
}

/* Parameters up to `closer` (')' for def, ':' for lambda). */
static arguments_ty parameters(pmi_parser *p, int closer, int is_def)
{
    plist posonly, args, defaults, kwonly, kwdefaults;
    pl_init(&posonly);
    pl_init(&args);
    pl_init(&defaults);
    pl_init(&kwonly);
    pl_init(&kwdefaults);
    arg_ty vararg = NULL, kwarg = NULL;
    int seen_star = 0, seen_slash = 0;
    arguments_ty r = NULL;
    while (!at_op(p, closer)) {
        if (cur(p) == NULL)
            goto done;
        if (accept_op(p, PMI_OP_SLASH)) {
            if (seen_slash || seen_star || args.n == 0)
                goto done;
            seen_slash = 1;
            for (int i = 0; i < args.n; i++)
                if (pl_push(p, &posonly, args.items[i]) < 0)
                    goto done;
            args.n = 0;
        } else if (at_op(p, PMI_OP_DOUBLESTAR)) {
            p->pos++;
            kwarg = param(p, is_def, 0);
            if (kwarg == NULL)
                goto done;
            accept_op(p, PMI_OP_COMMA);
            if (!at_op(p, closer)) {
                pmi_token *st = cur(p);
                if (st != NULL && (at_name(p) || at_op(p, PMI_OP_STAR) || at_op(p, PMI_OP_DOUBLESTAR)))
                    error_range(p, st->lineno, st->col_offset, st->end_lineno, st->end_col_offset,
                                "arguments cannot follow var-keyword argument");
                goto done;
            }
            break;
        } else if (at_op(p, PMI_OP_STAR)) {
            if (seen_star) {
                pmi_token *st = cur(p);
                error_range(p, st->lineno, st->col_offset, st->end_lineno, st->end_col_offset,
                            "* argument may appear only once");
                goto done;
            }
            p->pos++;
            seen_star = 1;
            if (at_op(p, closer) || (at_op(p, PMI_OP_COMMA) && (at_op_k(p, 1, closer) || at_op_k(p, 1, PMI_OP_DOUBLESTAR)))) {
                pmi_token *st = &p->toks[p->pos - 1];
                error_range(p, st->lineno, st->col_offset, st->end_lineno, st->end_col_offset,
                            "named arguments must follow bare *");
                goto done;
            }
            if (!at_op(p, PMI_OP_COMMA)) {
                vararg = param(p, is_def, is_def);
                if (vararg == NULL)
                    goto done;
            } else if (at_op_k(p, 1, closer) || at_op_k(p, 1, PMI_OP_DOUBLESTAR)) {
                /* "named arguments must follow bare *" */
                pmi_token *t = cur(p);
                (void)t;
                pmi_token *st = &p->toks[p->pos - 1];
                error_range(p, st->lineno, st->col_offset, st->end_lineno, st->end_col_offset,
                            "named arguments must follow bare *");
                goto done;
            }
        } else {
            if (at_op(p, PMI_OP_LPAR) && p->call_invalid) {
                /* invalid_parameters: '(' NAME (',' NAME)* [','] ')' */
                int k = 1;
                while (at_name_k(p, k) && (at_op_k(p, k + 1, PMI_OP_COMMA) || at_op_k(p, k + 1, PMI_OP_RPAR))) {
                    k += at_op_k(p, k + 1, PMI_OP_COMMA) ? 2 : 1;
                    if (at_op_k(p, k, PMI_OP_RPAR))
                        break;
                }
                if (k > 1 && at_op_k(p, k, PMI_OP_RPAR)) {
                    pmi_token *a0 = cur(p), *b0 = pmi_p_peek(p, k);
                    error_range(p, a0->lineno, a0->col_offset, b0->end_lineno, b0->end_col_offset,
                                is_def ? "Function parameters cannot be parenthesized"
                                       : "Lambda expression parameters cannot be parenthesized");
                }
                goto done;
            }
            arg_ty a = param(p, is_def, 0);
            if (a == NULL)
                goto done;
            expr_ty dflt = NULL;
            if (is_def && at_op(p, PMI_OP_EQUAL) && (at_op_k(p, 1, PMI_OP_RPAR) || at_op_k(p, 1, PMI_OP_COMMA))) {
                pmi_token *eq = cur(p);
                error_range(p, eq->lineno, eq->col_offset, eq->end_lineno, eq->end_col_offset,
                            "expected default value expression");
                goto done;
            }
            if (accept_op(p, PMI_OP_EQUAL)) {
                dflt = expression(p);
                if (dflt == NULL)
                    goto done;
            }
            if (seen_star) {
                if (pl_push(p, &kwonly, a) < 0 || pl_push(p, &kwdefaults, dflt) < 0)
                    goto done;
            } else {
                if (dflt == NULL && defaults.n > 0) {
                    error_range(p, a->lineno, a->col_offset, a->end_lineno, a->end_col_offset,
                                "non-default argument follows default argument");
                    goto done;
                }
                if (pl_push(p, &args, a) < 0)
                    goto done;
                if (dflt != NULL && pl_push(p, &defaults, dflt) < 0)
                    goto done;
            }
        }
        if (!accept_op(p, PMI_OP_COMMA))
            break;
    }
    if (!at_op(p, closer))
        goto done;
    {
        asdl_arg_seq *a1 = pl_seq(p, &posonly);
        asdl_arg_seq *a2 = pl_seq(p, &args);
        asdl_arg_seq *a3 = pl_seq(p, &kwonly);
        asdl_expr_seq *a4 = pl_seq(p, &kwdefaults);
        asdl_expr_seq *a5 = pl_seq(p, &defaults);
        if (a1 && a2 && a3 && a4 && a5)
            r = pmi_ast_arguments(a1, a2, vararg, a3, a4, kwarg, a5, p->arena);
        if (r == NULL)
            pmi_p_nomem(p);
        return r;
    }
done:
    pl_free(p, &posonly);
    pl_free(p, &args);
    pl_free(p, &defaults);
    pl_free(p, &kwonly);
    pl_free(p, &kwdefaults);
    return NULL;
}

static arguments_ty lambda_params(pmi_parser *p)
{
    return parameters(p, PMI_OP_COLON, 0);
}

static expr_ty lambdef(pmi_parser *p)
{
    int s = p->pos;
    p->pos++;   /* 'lambda' */
    arguments_ty args = lambda_params(p);
    CHECK(args);
    if (!accept_op(p, PMI_OP_COLON))
        return NULL;
    expr_ty body = expression(p);
    CHECK(body);
    return pmi_ast_Lambda(args, body, EXTRA);
}

/* ---- targets ----------------------------------------------------------------- */

/* What CPython calls an expression in "cannot assign to %s". */
static const char *expr_name(expr_ty e)
{
    switch (e->kind) {
    case Attribute_kind: return "attribute";
    case Subscript_kind: return "subscript";
    case Starred_kind: return "starred";
    case Name_kind: return "name";
    case List_kind: return "list";
    case Tuple_kind: return "tuple";
    case Lambda_kind: return "lambda";
    case Call_kind: return "function call";
    case BoolOp_kind: case BinOp_kind: case UnaryOp_kind: return "expression";
    case GeneratorExp_kind: return "generator expression";
    case Yield_kind: case YieldFrom_kind: return "yield expression";
    case Await_kind: return "await expression";
    case ListComp_kind: return "list comprehension";
    case SetComp_kind: return "set comprehension";
    case DictComp_kind: return "dict comprehension";
    case Dict_kind: return "dict literal";
    case Set_kind: return "set display";
    case JoinedStr_kind: case FormattedValue_kind: return "f-string expression";
    case Constant_kind: {
        pm_object *v = e->v.Constant.value;
        if (v == PM_NONE) return "None";
        if (v == PM_FALSE) return "False";
        if (v == PM_TRUE) return "True";
        if (v == PM_ELLIPSIS) return "ellipsis";
        return "literal";
    }
    case Compare_kind: return "comparison";
    case IfExp_kind: return "conditional expression";
    case NamedExpr_kind: return "named expression";
    default: return "expression";
    }
}

/* The first sub-expression that cannot be a target (CPython's
 * _PyPegen_get_invalid_target), or NULL if e is a valid target. */
static expr_ty invalid_target(expr_ty e, int for_del)
{
    switch (e->kind) {
    case Name_kind: case Attribute_kind: case Subscript_kind:
        return NULL;
    case Starred_kind:
        if (for_del)
            return e;
        return invalid_target(e->v.Starred.value, for_del);
    case List_kind:
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.List.elts); i++) {
            expr_ty r = invalid_target(asdl_seq_GET(e->v.List.elts, i), for_del);
            if (r)
                return r;
        }
        return NULL;
    case Tuple_kind:
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.Tuple.elts); i++) {
            expr_ty r = invalid_target(asdl_seq_GET(e->v.Tuple.elts, i), for_del);
            if (r)
                return r;
        }
        return NULL;
    case Compare_kind:
        /* `for x in y` is parsed elsewhere; a comparison here is invalid */
        return e;
    default:
        return e;
    }
}

/* Set the context of a target (recursively).  Returns e. */
static expr_ty set_context(pmi_parser *p, expr_ty e, expr_context_ty ctx)
{
    (void)p;
    switch (e->kind) {
    case Name_kind: e->v.Name.ctx = ctx; break;
    case Attribute_kind: e->v.Attribute.ctx = ctx; break;
    case Subscript_kind: e->v.Subscript.ctx = ctx; break;
    case Starred_kind:
        e->v.Starred.ctx = ctx;
        set_context(p, e->v.Starred.value, ctx);
        break;
    case List_kind:
        e->v.List.ctx = ctx;
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.List.elts); i++)
            set_context(p, asdl_seq_GET(e->v.List.elts, i), ctx);
        break;
    case Tuple_kind:
        e->v.Tuple.ctx = ctx;
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.Tuple.elts); i++)
            set_context(p, asdl_seq_GET(e->v.Tuple.elts, i), ctx);
        break;
    default:
        break;
    }
    return e;
}

/* Report "cannot assign to X" (or delete) for target e; NULL. */
static void *target_error(pmi_parser *p, expr_ty e, const char *verb)
{
    expr_ty bad = invalid_target(e, verb[0] == 'd');
    if (bad == NULL)
        bad = e;
    if (verb[0] == 'a' && bad->kind == Call_kind && 0)
        return NULL;
    return error_range(p, bad->lineno, bad->col_offset, bad->end_lineno, bad->end_col_offset,
                       "cannot %s %s", verb, expr_name(bad));
}

/* star_targets for `for` loops and comprehensions: targets stop before
 * `in`, so they are parsed at the primary level. */
static expr_ty star_target(pmi_parser *p)
{
    int s = p->pos;
    if (accept_op(p, PMI_OP_STAR)) {
        if (at_op(p, PMI_OP_STAR))
            return NULL;
        expr_ty v = star_target(p);
        CHECK(v);
        return pmi_ast_Starred(v, Store, EXTRA);
    }
    expr_ty e = primary(p);
    CHECK(e);
    return e;
}

static expr_ty star_targets(pmi_parser *p)
{
    int s = p->pos;
    expr_ty first = star_target(p);
    CHECK(first);
    expr_ty r = first;
    if (at_op(p, PMI_OP_COMMA)) {
        plist l;
        pl_init(&l);
        if (pl_push(p, &l, first) < 0)
            return NULL;
        while (accept_op(p, PMI_OP_COMMA)) {
            if (at_kw(p, PMI_KW_IN) || at_op(p, PMI_OP_EQUAL) || at_op(p, PMI_OP_RPAR))
                break;
            expr_ty e = star_target(p);
            if (e == NULL || pl_push(p, &l, e) < 0) {
                pl_free(p, &l);
                return NULL;
            }
        }
        asdl_expr_seq *elts = pl_seq(p, &l);
        CHECK(elts);
        r = pmi_ast_Tuple(elts, Store, EXTRA);
        CHECK(r);
    }
    if (invalid_target(r, 0) != NULL) {
        if (at_kw(p, PMI_KW_IN) || at_op(p, PMI_OP_EQUAL))
            return target_error(p, r, "assign to");
        return NULL;
    }
    return set_context(p, r, Store);
}

/* ---- statements ----------------------------------------------------------------- */

static asdl_stmt_seq *block(pmi_parser *p, const char *what, int lineno);
static asdl_stmt_seq *statements(pmi_parser *p);
static int statement(pmi_parser *p, plist *out);

/* invalid_expression's "Perhaps you forgot a comma?": inside brackets, two
 * expressions side by side. */
static void invalid_expression_check(pmi_parser *p, expr_ty a)
{
    if (a == NULL || FAILED || !p->call_invalid)
        return;
    pmi_token *t = cur(p);
    if (t == NULL || !starts_expression(p, 0))
        return;
    if (p->toks[p->pos - 1].level == 0)
        return;
    if (a->kind == Name_kind && (pm_str_equal_cstr(a->v.Name.id, "print") || pm_str_equal_cstr(a->v.Name.id, "exec")))
        return;
    int save = p->pos;
    p->call_invalid = 0;   /* expression_without_invalid */
    expr_ty b = expression(p);
    p->call_invalid = 1;
    if (b == NULL) {
        if (!FAILED)
            p->pos = save;
        return;
    }
    error_range(p, a->lineno, a->col_offset, b->end_lineno, b->end_col_offset,
                "invalid syntax. Perhaps you forgot a comma?");
}

/* The ':' after a compound statement's header: "expected ':'" when the line
 * ends instead. */
static int expect_colon(pmi_parser *p)
{
    if (accept_op(p, PMI_OP_COLON))
        return 0;
    pmi_token *t = cur(p);
    if (t != NULL && t->type == PMI_T_NEWLINE)
        error_at_tok(p, t, "expected ':'");
    return -1;
}

/* CPython's forced token (&&':'): "expected ':'" at whatever comes
 * instead, in either pass. */
static int expect_forced(pmi_parser *p, int op)
{
    if (accept_op(p, op))
        return 0;
    pmi_token *t = cur(p);
    if (t != NULL)
        pmi_p_error(p, PMI_SYNTAX_ERROR, t->lineno, t->col_offset, t->end_lineno, t->end_col_offset,
                    "expected '%s'", pmi_tok_op_names[op]);
    return -1;
}

static expr_ty assignment_value(pmi_parser *p)
{
    if (at_kw(p, PMI_KW_YIELD))
        return yield_expr(p);
    return star_expressions(p);
}

static int augassign_op(pmi_parser *p, operator_ty *op)
{
    pmi_token *t = cur(p);
    if (t == NULL || t->type != PMI_T_OP || t->kw != 0)
        return 0;
    switch (t->op) {
    case PMI_OP_PLUSEQUAL: *op = Add; return 1;
    case PMI_OP_MINEQUAL: *op = Sub; return 1;
    case PMI_OP_STAREQUAL: *op = Mult; return 1;
    case PMI_OP_ATEQUAL: *op = MatMult; return 1;
    case PMI_OP_SLASHEQUAL: *op = Div; return 1;
    case PMI_OP_PERCENTEQUAL: *op = Mod; return 1;
    case PMI_OP_AMPEREQUAL: *op = BitAnd; return 1;
    case PMI_OP_VBAREQUAL: *op = BitOr; return 1;
    case PMI_OP_CIRCUMFLEXEQUAL: *op = BitXor; return 1;
    case PMI_OP_LEFTSHIFTEQUAL: *op = LShift; return 1;
    case PMI_OP_RIGHTSHIFTEQUAL: *op = RShift; return 1;
    case PMI_OP_DOUBLESTAREQUAL: *op = Pow; return 1;
    case PMI_OP_DOUBLESLASHEQUAL: *op = FloorDiv; return 1;
    }
    return 0;
}

/* An expression statement, assignment, augmented or annotated assignment. */
static stmt_ty expr_stmt(pmi_parser *p)
{
    int s = p->pos;
    expr_ty e = at_kw(p, PMI_KW_YIELD) ? yield_expr(p) : star_expressions(p);
    if (e == NULL) {
        return NULL;
    }
    if (at_op(p, PMI_OP_COLON)) {
        /* annotated assignment */
        int parenthesized = tokat(p, s)->type == PMI_T_OP && tokat(p, s)->op == PMI_OP_LPAR &&
                            (e->lineno != tokat(p, s)->lineno || e->col_offset != tokat(p, s)->col_offset);
        if (e->kind == Tuple_kind) {
            /* parenthesized: the tuple; bare: its first element */
            expr_ty a = e;
            if (!parenthesized && !(tokat(p, s)->type == PMI_T_OP && tokat(p, s)->op == PMI_OP_LPAR) &&
                asdl_seq_LEN(e->v.Tuple.elts) > 0)
                a = asdl_seq_GET(e->v.Tuple.elts, 0);
            return error_range(p, a->lineno, a->col_offset, a->end_lineno, a->end_col_offset,
                               "only single target (not tuple) can be annotated");
        }
        if (e->kind == List_kind)
            return error_range(p, e->lineno, e->col_offset, e->end_lineno, e->end_col_offset,
                               "only single target (not list) can be annotated");
        if (e->kind != Name_kind && e->kind != Attribute_kind && e->kind != Subscript_kind)
            return error_range(p, e->lineno, e->col_offset, -1, -1,
                               "illegal target for annotation");
        p->pos++;
        expr_ty ann = expression(p);
        CHECK(ann);
        expr_ty value = NULL;
        if (accept_op(p, PMI_OP_EQUAL)) {
            value = assignment_value(p);
            CHECK(value);
        }
        set_context(p, e, Store);
        return pmi_ast_AnnAssign(e, ann, value, e->kind == Name_kind && !parenthesized, EXTRA);
    }
    operator_ty op;
    if (augassign_op(p, &op)) {
        if (e->kind != Name_kind && e->kind != Attribute_kind && e->kind != Subscript_kind) {
            const char *what = e->kind == Tuple_kind ? "tuple" : e->kind == List_kind ? "list"
                             : expr_name(e);
            return error_range(p, e->lineno, e->col_offset, e->end_lineno, e->end_col_offset,
                               "'%s' is an illegal expression for augmented assignment", what);
        }
        p->pos++;
        expr_ty value = assignment_value(p);
        CHECK(value);
        set_context(p, e, Store);
        return pmi_ast_AugAssign(e, op, value, EXTRA);
    }
    if (at_op(p, PMI_OP_EQUAL)) {
        plist targets;
        pl_init(&targets);
        expr_ty value = e;
        int first_target = 1;
        while (accept_op(p, PMI_OP_EQUAL)) {
            if (!first_target && (value->kind == Yield_kind || value->kind == YieldFrom_kind)) {
                pl_free(p, &targets);
                return error_range(p, value->lineno, value->col_offset, value->end_lineno,
                                   value->end_col_offset, "assignment to yield expression not possible");
            }
            if (invalid_target(value, 0) != NULL) {
                pl_free(p, &targets);
                expr_ty bad = invalid_target(value, 0);
                int bitwise = value->kind != IfExp_kind && value->kind != Lambda_kind &&
                              value->kind != Compare_kind && value->kind != BoolOp_kind &&
                              value->kind != NamedExpr_kind &&
                              !(value->kind == UnaryOp_kind && value->v.UnaryOp.op == Not);
                /* CPython's invalid_named_expression wins when this is the
                 * only '=' of the statement */
                int single = 0;
                if (first_target && bitwise) {
                    int save2 = p->pos;
                    p->call_invalid = 0;
                    expr_ty rhs = bitwise_or(p);
                    p->call_invalid = 1;
                    single = rhs != NULL && !at_op(p, PMI_OP_EQUAL) && !at_op(p, PMI_OP_COLONEQUAL);
                    if (FAILED)
                        return NULL;
                    p->pos = save2;
                }
                if (bad == value && value->kind != Starred_kind && single &&
                    !(value->kind == Constant_kind && (value->v.Constant.value == PM_TRUE ||
                      value->v.Constant.value == PM_FALSE || value->v.Constant.value == PM_NONE)))
                    return error_range(p, bad->lineno, bad->col_offset, bad->end_lineno, bad->end_col_offset,
                                       "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                                       expr_name(bad));
                return target_error(p, value, "assign to");
            }
            if (pl_push(p, &targets, set_context(p, value, Store)) < 0)
                return NULL;
            first_target = 0;
            value = assignment_value(p);
            if (value == NULL) {
                pl_free(p, &targets);
                return NULL;
            }
        }
        if (value->kind == Starred_kind) {
            pl_free(p, &targets);
            return error_range(p, value->lineno, value->col_offset, value->end_lineno, value->end_col_offset,
                               "can't use starred expression here");
        }
        asdl_expr_seq *ts = pl_seq(p, &targets);
        CHECK(ts);
        return pmi_ast_Assign(ts, value, NULL, EXTRA);
    }
    if (e->kind == Starred_kind)
        return error_range(p, e->lineno, e->col_offset, e->end_lineno, e->end_col_offset,
                           "can't use starred expression here");
    return pmi_ast_Expr(e, EXTRA);
}

/* dotted_name: NAME ('.' NAME)* as one identifier */
static identifier dotted_name(pmi_parser *p)
{
    if (!at_name(p))
        return NULL;
    const char *start = cur(p)->start;
    p->pos++;
    while (at_op(p, PMI_OP_DOT) && at_name_k(p, 1))
        p->pos += 2;
    const char *end = p->toks[p->pos - 1].end;
    /* the name without whitespace between parts */
    size_t n = (size_t)(end - start);
    char *buf = pm_malloc(p->rt, n + 1);
    if (buf == NULL)
        return pmi_p_nomem(p);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = start[i];
        if (c == ' ' || c == '\t' || c == '\f' || c == '\\' || c == '\n' || c == '\r')
            continue;
        buf[k++] = c;
    }
    identifier id = new_identifier(p, buf, k);
    pm_free(p->rt, buf);
    return id;
}

static stmt_ty import_stmt(pmi_parser *p)
{
    int s = p->pos;
    p->pos++;   /* 'import' */
    plist l;
    pl_init(&l);
    do {
        int as = p->pos;
        identifier name = dotted_name(p);
        if (name == NULL) {
            pl_free(p, &l);
            return NULL;
        }
        identifier asname = NULL;
        if (accept_kw(p, PMI_KW_AS)) {
            if (!at_name(p)) {
                pl_free(p, &l);
                return NULL;
            }
            asname = name_token(p);
            if (asname == NULL) {
                pl_free(p, &l);
                return NULL;
            }
        }
        alias_ty a = pmi_ast_alias(name, asname, tokat(p, as)->lineno, tokat(p, as)->col_offset,
                                   last_tok(p)->end_lineno, last_tok(p)->end_col_offset, p->arena);
        if (a == NULL || pl_push(p, &l, a) < 0) {
            pl_free(p, &l);
            return pmi_p_nomem(p);
        }
    } while (accept_op(p, PMI_OP_COMMA));
    asdl_alias_seq *names = pl_seq(p, &l);
    CHECK(names);
    return pmi_ast_Import(names, EXTRA);
}

static stmt_ty import_from(pmi_parser *p)
{
    int s = p->pos;
    p->pos++;   /* 'from' */
    int level = 0;
    for (;;) {
        if (accept_op(p, PMI_OP_DOT))
            level++;
        else if (accept_op(p, PMI_OP_ELLIPSIS))
            level += 3;
        else
            break;
    }
    identifier module = NULL;
    if (!at_kw(p, PMI_KW_IMPORT) || level == 0) {
        module = dotted_name(p);
        CHECK(module);
    }
    if (!accept_kw(p, PMI_KW_IMPORT))
        return NULL;
    plist l;
    pl_init(&l);
    if (at_op(p, PMI_OP_STAR)) {
        int as = p->pos;
        p->pos++;
        identifier star = new_identifier(p, "*", 1);
        CHECK(star);
        alias_ty a = pmi_ast_alias(star, NULL, tokat(p, as)->lineno, tokat(p, as)->col_offset,
                                   last_tok(p)->end_lineno, last_tok(p)->end_col_offset, p->arena);
        CHECK(a);
        asdl_alias_seq *names = seq1(p, a);
        CHECK(names);
        return pmi_ast_ImportFrom(module, names, level, EXTRA);
    }
    int paren = accept_op(p, PMI_OP_LPAR);
    do {
        if (paren && at_op(p, PMI_OP_RPAR) && l.n > 0)
            break;
        int as = p->pos;
        if (!at_name(p)) {
            pl_free(p, &l);
            return NULL;
        }
        identifier name = name_token(p);
        if (name == NULL) {
            pl_free(p, &l);
            return NULL;
        }
        identifier asname = NULL;
        if (accept_kw(p, PMI_KW_AS)) {
            asname = at_name(p) ? name_token(p) : NULL;
            if (asname == NULL) {
                pl_free(p, &l);
                return NULL;
            }
        }
        alias_ty a = pmi_ast_alias(name, asname, tokat(p, as)->lineno, tokat(p, as)->col_offset,
                                   last_tok(p)->end_lineno, last_tok(p)->end_col_offset, p->arena);
        if (a == NULL || pl_push(p, &l, a) < 0) {
            pl_free(p, &l);
            return pmi_p_nomem(p);
        }
        if (!paren && at_op(p, PMI_OP_COMMA) && at_type_k(p, 1, PMI_T_NEWLINE)) {
            pl_free(p, &l);
            p->pos++;
            pmi_token *nl = cur(p);
            return error_at_tok(p, nl, "trailing comma not allowed without surrounding parentheses");
        }
    } while (accept_op(p, PMI_OP_COMMA));
    if (paren && !accept_op(p, PMI_OP_RPAR)) {
        pl_free(p, &l);
        return NULL;
    }
    if (!paren && at_op(p, PMI_OP_COMMA)) {
        pl_free(p, &l);
        return NULL;
    }
    if (!paren && p->pos > 0 && p->toks[p->pos - 1].type == PMI_T_OP && p->toks[p->pos - 1].op == PMI_OP_COMMA) {
        pmi_token *t = &p->toks[p->pos - 1];
        pl_free(p, &l);
        return error_at_tok(p, t, "trailing comma not allowed without surrounding parentheses");
    }
    asdl_alias_seq *names = pl_seq(p, &l);
    CHECK(names);
    return pmi_ast_ImportFrom(module, names, level, EXTRA);
}

static stmt_ty global_stmt(pmi_parser *p, int is_global)
{
    int s = p->pos;
    p->pos++;
    plist l;
    pl_init(&l);
    do {
        if (!at_name(p)) {
            pl_free(p, &l);
            return NULL;
        }
        identifier id = name_token(p);
        if (id == NULL || pl_push(p, &l, id) < 0) {
            pl_free(p, &l);
            return NULL;
        }
    } while (accept_op(p, PMI_OP_COMMA));
    asdl_identifier_seq *names = pl_seq(p, &l);
    CHECK(names);
    return is_global ? pmi_ast_Global(names, EXTRA) : pmi_ast_Nonlocal(names, EXTRA);
}

static stmt_ty del_stmt(pmi_parser *p)
{
    int s = p->pos;
    p->pos++;
    plist l;
    pl_init(&l);
    do {
        if ((at_type(p, PMI_T_NEWLINE) || at_op(p, PMI_OP_SEMI)) && l.n > 0)
            break;
        if (at_op(p, PMI_OP_STAR) && p->call_invalid) {
            expr_ty st = star_target(p);
            pl_free(p, &l);
            if (st != NULL)
                error_range(p, st->lineno, st->col_offset, st->end_lineno, st->end_col_offset,
                            "cannot delete starred");
            return NULL;
        }
        expr_ty t = primary(p);
        if (t == NULL) {
            pl_free(p, &l);
            return NULL;
        }
        if (invalid_target(t, 1) != NULL) {
            pl_free(p, &l);
            if (at_type(p, PMI_T_NEWLINE) || at_op(p, PMI_OP_SEMI) || at_op(p, PMI_OP_COMMA))
                return target_error(p, t, "delete");
            return NULL;
        }
        if (pl_push(p, &l, set_context(p, t, Del)) < 0)
            return NULL;
    } while (accept_op(p, PMI_OP_COMMA));
    if (!at_type(p, PMI_T_NEWLINE) && !at_op(p, PMI_OP_SEMI)) {
        pl_free(p, &l);
        return NULL;
    }
    asdl_expr_seq *targets = pl_seq(p, &l);
    CHECK(targets);
    return pmi_ast_Delete(targets, EXTRA);
}

static stmt_ty simple_stmt(pmi_parser *p)
{
    int s = p->pos;
    pmi_token *t = cur(p);
    CHECK(t);
    if (t->type == PMI_T_NAME) {
        switch (t->kw) {
        case PMI_KW_PASS: p->pos++; return pmi_ast_Pass(EXTRA);
        case PMI_KW_BREAK: p->pos++; return pmi_ast_Break(EXTRA);
        case PMI_KW_CONTINUE: p->pos++; return pmi_ast_Continue(EXTRA);
        case PMI_KW_RETURN: {
            p->pos++;
            expr_ty v = NULL;
            if (starts_expression(p, 0) || at_op(p, PMI_OP_STAR)) {
                v = star_expressions(p);
                CHECK(v);
            }
            return pmi_ast_Return(v, EXTRA);
        }
        case PMI_KW_RAISE: {
            p->pos++;
            expr_ty exc = NULL, cause = NULL;
            if (starts_expression(p, 0)) {
                exc = expression(p);
                CHECK(exc);
                if (accept_kw(p, PMI_KW_FROM)) {
                    cause = expression(p);
                    CHECK(cause);
                }
            }
            return pmi_ast_Raise(exc, cause, EXTRA);
        }
        case PMI_KW_GLOBAL: return global_stmt(p, 1);
        case PMI_KW_NONLOCAL: return global_stmt(p, 0);
        case PMI_KW_DEL: return del_stmt(p);
        case PMI_KW_ASSERT: {
            p->pos++;
            expr_ty test = expression(p);
            CHECK(test);
            expr_ty msg = NULL;
            if (accept_op(p, PMI_OP_COMMA)) {
                msg = expression(p);
                CHECK(msg);
            }
            return pmi_ast_Assert(test, msg, EXTRA);
        }
        case PMI_KW_IMPORT: return import_stmt(p);
        case PMI_KW_FROM: return import_from(p);
        default:
            break;
        }
    }
    return expr_stmt(p);
}

/* simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static int simple_stmts(pmi_parser *p, plist *out)
{
    for (;;) {
        stmt_ty st = simple_stmt(p);
        if (st == NULL) {
            if (!FAILED)
                invalid_expression_check(p, NULL);
            return -1;
        }
        if (pl_push(p, out, st) < 0)
            return -1;
        if (accept_op(p, PMI_OP_SEMI)) {
            if (at_type(p, PMI_T_NEWLINE))
                break;
            continue;
        }
        break;
    }
    if (!at_type(p, PMI_T_NEWLINE)) {
        if (!FAILED) {
            /* a statement followed by junk: maybe two expressions side by
             * side (the comma hint applies only inside brackets) */
            stmt_ty last = out->items[out->n - 1];
            if (last->kind == Expr_kind && last->v.Expr.value->kind == Name_kind &&
                at_type(p, PMI_T_STRING) == 0 && 0) {
            }
            if (last->kind == Expr_kind && last->v.Expr.value->kind == Name_kind) {
                pm_object *id = last->v.Expr.value->v.Name.id;
                if ((pm_str_equal_cstr(id, "print") || pm_str_equal_cstr(id, "exec")) &&
                    starts_expression(p, 0)) {
                    int save = p->pos;
                    expr_ty rest = star_expressions(p);
                    if (rest != NULL) {
                        expr_ty a = last->v.Expr.value;
                        error_range(p, a->lineno, a->col_offset, rest->end_lineno, rest->end_col_offset,
                                    "Missing parentheses in call to '%s'. Did you mean %s(...)?",
                                    pm_str_equal_cstr(id, "print") ? "print" : "exec",
                                    pm_str_equal_cstr(id, "print") ? "print" : "exec");
                        return -1;
                    }
                    if (!FAILED)
                        p->pos = save;
                }
            }
        }
        return -1;
    }
    p->pos++;   /* NEWLINE */
    return 0;
}

/* block: NEWLINE INDENT statements DEDENT | simple_stmts */
static asdl_stmt_seq *block(pmi_parser *p, const char *what, int lineno)
{
    if (at_type(p, PMI_T_NEWLINE)) {
        p->pos++;
        if (!at_type(p, PMI_T_INDENT)) {
            pmi_token *t = cur(p);
            if (t == NULL)
                return NULL;
            char msg[200];
            if (!p->call_invalid)
                return NULL;
            snprintf(msg, sizeof msg, "expected an indented block after %s on line %d", what, lineno);
            return pmi_p_error(p, PMI_INDENTATION_ERROR, t->lineno, t->col_offset, t->end_lineno,
                               t->end_col_offset, "%s", msg);
        }
        p->pos++;
        if (enter(p) < 0)
            return NULL;
        asdl_stmt_seq *body = statements(p);
        p->depth--;
        CHECK(body);
        if (!at_type(p, PMI_T_DEDENT))
            return NULL;
        p->pos++;
        return body;
    }
    plist l;
    pl_init(&l);
    if (simple_stmts(p, &l) < 0) {
        pl_free(p, &l);
        return NULL;
    }
    return pl_seq(p, &l);
}

static stmt_ty if_stmt(pmi_parser *p, int is_elif)
{
    int s = p->pos;
    int line = cur(p)->lineno;
    p->pos++;
    expr_ty test = named_expression(p);
    CHECK(test);
    if (expect_colon(p) < 0)
        return NULL;
    asdl_stmt_seq *body = block(p, is_elif ? "'elif' statement" : "'if' statement", line);
    CHECK(body);
    asdl_stmt_seq *orelse = NULL;
    if (at_kw(p, PMI_KW_ELIF)) {
        stmt_ty e = if_stmt(p, 1);
        CHECK(e);
        orelse = seq1(p, e);
    } else if (at_kw(p, PMI_KW_ELSE)) {
        int eline = cur(p)->lineno;
        p->pos++;
        if (expect_forced(p, PMI_OP_COLON) < 0)
            return NULL;
        orelse = block(p, "'else' statement", eline);
    } else {
        orelse = empty_seq(p);
    }
    CHECK(orelse);
    return pmi_ast_If(test, body, orelse, EXTRA);
}

static asdl_stmt_seq *else_block(pmi_parser *p)
{
    if (at_kw(p, PMI_KW_ELSE)) {
        int eline = cur(p)->lineno;
        p->pos++;
        if (expect_forced(p, PMI_OP_COLON) < 0)
            return NULL;
        return block(p, "'else' statement", eline);
    }
    return empty_seq(p);
}

static stmt_ty while_stmt(pmi_parser *p)
{
    int s = p->pos;
    int line = cur(p)->lineno;
    p->pos++;
    expr_ty test = named_expression(p);
    CHECK(test);
    if (expect_colon(p) < 0)
        return NULL;
    asdl_stmt_seq *body = block(p, "'while' statement", line);
    CHECK(body);
    asdl_stmt_seq *orelse = else_block(p);
    CHECK(orelse);
    return pmi_ast_While(test, body, orelse, EXTRA);
}

static stmt_ty for_stmt(pmi_parser *p, int s, int is_async)
{
    int line = tokat(p, s)->lineno;
    p->pos++;   /* 'for' */
    expr_ty target = star_targets(p);
    CHECK(target);
    if (!accept_kw(p, PMI_KW_IN))
        return NULL;
    expr_ty iter = star_expressions(p);
    CHECK(iter);
    if (expect_colon(p) < 0)
        return NULL;
    asdl_stmt_seq *body = block(p, "'for' statement", line);
    CHECK(body);
    asdl_stmt_seq *orelse = else_block(p);
    CHECK(orelse);
    if (is_async)
        return pmi_ast_AsyncFor(target, iter, body, orelse, NULL, EXTRA);
    return pmi_ast_For(target, iter, body, orelse, NULL, EXTRA);
}

static withitem_ty with_item(pmi_parser *p)
{
    expr_ty e = expression(p);
    CHECK(e);
    expr_ty vars = NULL;
    if (accept_kw(p, PMI_KW_AS)) {
        int save = p->pos;
        vars = star_target(p);
        CHECK(vars);
        if (!at_op(p, PMI_OP_COMMA) && !at_op(p, PMI_OP_RPAR) && !at_op(p, PMI_OP_COLON) &&
            !(p->call_invalid && at_type(p, PMI_T_NEWLINE))) {
            (void)save;
            return NULL;
        }
        if (invalid_target(vars, 0) != NULL)
            return target_error(p, vars, "assign to");
        set_context(p, vars, Store);
    }
    withitem_ty w = pmi_ast_withitem(e, vars, p->arena);
    if (w == NULL)
        return pmi_p_nomem(p);
    return w;
}

static stmt_ty with_stmt(pmi_parser *p, int s, int is_async)
{
    int line = tokat(p, s)->lineno;
    p->pos++;   /* 'with' */
    plist l;
    pl_init(&l);
    int after_with = p->pos;
    if (at_op(p, PMI_OP_LPAR)) {
        /* first try: '(' with_item (',' with_item)* [','] ')' ':' */
        p->pos++;
        int ok = 1;
        do {
            if (at_op(p, PMI_OP_RPAR) && l.n > 0)
                break;
            withitem_ty w = with_item(p);
            if (w == NULL || pl_push(p, &l, w) < 0) {
                ok = 0;
                break;
            }
        } while (accept_op(p, PMI_OP_COMMA));
        if (FAILED) {
            pl_free(p, &l);
            return NULL;
        }
        if (ok && accept_op(p, PMI_OP_RPAR) && at_op(p, PMI_OP_COLON)) {
            goto items_done;
        }
        pl_free(p, &l);
        pl_init(&l);
        p->pos = after_with;
    }
    do {
        withitem_ty w = with_item(p);
        if (w == NULL || pl_push(p, &l, w) < 0) {
            pl_free(p, &l);
            return NULL;
        }
    } while (accept_op(p, PMI_OP_COMMA));
items_done:
    if (expect_colon(p) < 0) {
        pl_free(p, &l);
        return NULL;
    }
    asdl_withitem_seq *items = pl_seq(p, &l);
    CHECK(items);
    asdl_stmt_seq *body = block(p, "'with' statement", line);
    CHECK(body);
    if (is_async)
        return pmi_ast_AsyncWith(items, body, NULL, EXTRA);
    return pmi_ast_With(items, body, NULL, EXTRA);
}

static stmt_ty try_stmt(pmi_parser *p)
{
    int s = p->pos;
    int line = cur(p)->lineno;
    p->pos++;
    if (expect_forced(p, PMI_OP_COLON) < 0)
        return NULL;
    asdl_stmt_seq *body = block(p, "'try' statement", line);
    CHECK(body);
    plist handlers;
    pl_init(&handlers);
    int star = -1;
    while (at_kw(p, PMI_KW_EXCEPT)) {
        int hs = p->pos;
        int hline = cur(p)->lineno;
        p->pos++;
        int is_star = accept_op(p, PMI_OP_STAR);
        if (star == -1)
            star = is_star;
        else if (star != is_star) {
            pl_free(p, &handlers);
            pmi_token *t = tokat(p, hs);
            return error_at_tok(p, t, "cannot have both 'except' and 'except*' on the same 'try'");
        }
        expr_ty type = NULL;
        identifier name = NULL;
        if (!at_op(p, PMI_OP_COLON)) {
            type = expression(p);
            if (type == NULL) {
                pl_free(p, &handlers);
                return NULL;
            }
            if (at_op(p, PMI_OP_COMMA)) {
                /* except A, B: */
                int save = p->pos;
                p->pos++;
                expr_ty more = expression(p);
                if (more != NULL) {
                    pl_free(p, &handlers);
                    return error_range(p, type->lineno, type->col_offset, more->end_lineno,
                                       more->end_col_offset, "multiple exception types must be parenthesized");
                }
                p->pos = save;
            }
            if (accept_kw(p, PMI_KW_AS)) {
                if (!at_name(p)) {
                    pl_free(p, &handlers);
                    return NULL;
                }
                name = name_token(p);
                if (name == NULL)
                    return NULL;
            }
        }
        if (expect_colon(p) < 0) {
            pl_free(p, &handlers);
            return NULL;
        }
        asdl_stmt_seq *hbody = block(p, is_star ? "'except*' statement" : "'except' statement", hline);
        if (hbody == NULL) {
            pl_free(p, &handlers);
            return NULL;
        }
        excepthandler_ty h = pmi_ast_ExceptHandler(type, name, hbody, tokat(p, hs)->lineno,
                                                   tokat(p, hs)->col_offset, last_tok(p)->end_lineno,
                                                   last_tok(p)->end_col_offset, p->arena);
        if (h == NULL || pl_push(p, &handlers, h) < 0) {
            pl_free(p, &handlers);
            return pmi_p_nomem(p);
        }
    }
    asdl_stmt_seq *orelse = NULL, *finalbody = NULL;
    if (handlers.n > 0 && at_kw(p, PMI_KW_ELSE)) {
        orelse = else_block(p);
        if (orelse == NULL) {
            pl_free(p, &handlers);
            return NULL;
        }
    }
    if (at_kw(p, PMI_KW_FINALLY)) {
        int fline = cur(p)->lineno;
        p->pos++;
        if (expect_forced(p, PMI_OP_COLON) < 0) {
            pl_free(p, &handlers);
            return NULL;
        }
        finalbody = block(p, "'finally' statement", fline);
        if (finalbody == NULL) {
            pl_free(p, &handlers);
            return NULL;
        }
    }
    if (handlers.n == 0 && finalbody == NULL) {
        pl_free(p, &handlers);
        pmi_token *t = cur(p);
        if (t != NULL && !FAILED)
            return error_at_tok(p, t, "expected 'except' or 'finally' block");
        return NULL;
    }
    asdl_excepthandler_seq *hs = pl_seq(p, &handlers);
    CHECK(hs);
    if (orelse == NULL)
        orelse = empty_seq(p);
    if (finalbody == NULL)
        finalbody = empty_seq(p);
    CHECK(orelse);
    CHECK(finalbody);
    if (star == 1)
        return pmi_ast_TryStar(body, hs, orelse, finalbody, EXTRA);
    return pmi_ast_Try(body, hs, orelse, finalbody, EXTRA);
}

static stmt_ty funcdef(pmi_parser *p, int s, int is_async, asdl_expr_seq *decorators)
{
    int line = tokat(p, s)->lineno;
    p->pos++;   /* 'def' */
    if (!at_name(p))
        return NULL;
    identifier name = name_token(p);
    CHECK(name);
    if (expect_forced(p, PMI_OP_LPAR) < 0)
        return NULL;
    arguments_ty args = parameters(p, PMI_OP_RPAR, 1);
    CHECK(args);
    if (!accept_op(p, PMI_OP_RPAR))
        return NULL;
    expr_ty returns = NULL;
    if (accept_op(p, PMI_OP_RARROW)) {
        returns = expression(p);
        CHECK(returns);
    }
    if (expect_forced(p, PMI_OP_COLON) < 0)
        return NULL;
    asdl_stmt_seq *body = block(p, "function definition", line);
    CHECK(body);
    if (is_async)
        return pmi_ast_AsyncFunctionDef(name, args, body, decorators, returns, NULL, EXTRA);
    return pmi_ast_FunctionDef(name, args, body, decorators, returns, NULL, EXTRA);
}

static stmt_ty classdef(pmi_parser *p, int s, asdl_expr_seq *decorators)
{
    int line = tokat(p, s)->lineno;
    p->pos++;   /* 'class' */
    if (!at_name(p))
        return NULL;
    identifier name = name_token(p);
    CHECK(name);
    asdl_expr_seq *bases = NULL;
    asdl_keyword_seq *kws = NULL;
    if (accept_op(p, PMI_OP_LPAR)) {
        if (call_args(p, &bases, &kws) < 0)
            return NULL;
        if (!accept_op(p, PMI_OP_RPAR))
            return NULL;
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(bases); i++)
            if (asdl_seq_GET(bases, i)->kind == GeneratorExp_kind && asdl_seq_LEN(bases) == 1)
                return NULL;
    } else {
        bases = empty_seq(p);
        kws = empty_seq(p);
        CHECK(bases);
        CHECK(kws);
    }
    if (expect_colon(p) < 0)
        return NULL;
    asdl_stmt_seq *body = block(p, "class definition", line);
    CHECK(body);
    return pmi_ast_ClassDef(name, bases, kws, body, decorators, EXTRA);
}

static stmt_ty decorated(pmi_parser *p)
{
    plist l;
    pl_init(&l);
    while (accept_op(p, PMI_OP_AT)) {
        expr_ty d = named_expression(p);
        if (d == NULL || !at_type(p, PMI_T_NEWLINE) || pl_push(p, &l, d) < 0) {
            pl_free(p, &l);
            return NULL;
        }
        p->pos++;
    }
    asdl_expr_seq *decos = pl_seq(p, &l);
    CHECK(decos);
    int s = p->pos;
    if (at_kw(p, PMI_KW_DEF))
        return funcdef(p, s, 0, decos);
    if (at_kw(p, PMI_KW_ASYNC) && at_kw_k(p, 1, PMI_KW_DEF)) {
        p->pos++;
        return funcdef(p, s, 1, decos);
    }
    if (at_kw(p, PMI_KW_CLASS))
        return classdef(p, s, decos);
    return NULL;
}

stmt_ty pmi_p_match_stmt(pmi_parser *p, int *matched);

/* One statement (compound or a line of simple ones) appended to out. */
static int statement(pmi_parser *p, plist *out)
{
    pmi_token *t = cur(p);
    if (t == NULL)
        return -1;
    int s = p->pos;
    stmt_ty st = NULL;
    if (t->type == PMI_T_NAME) {
        switch (t->kw) {
        case PMI_KW_IF: st = if_stmt(p, 0); goto compound;
        case PMI_KW_WHILE: st = while_stmt(p); goto compound;
        case PMI_KW_FOR: st = for_stmt(p, s, 0); goto compound;
        case PMI_KW_WITH: st = with_stmt(p, s, 0); goto compound;
        case PMI_KW_TRY: st = try_stmt(p); goto compound;
        case PMI_KW_DEF: st = funcdef(p, s, 0, empty_seq(p)); goto compound;
        case PMI_KW_CLASS: st = classdef(p, s, empty_seq(p)); goto compound;
        case PMI_KW_ASYNC:
            if (at_kw_k(p, 1, PMI_KW_DEF)) {
                p->pos++;
                st = funcdef(p, s, 1, empty_seq(p));
                goto compound;
            }
            if (at_kw_k(p, 1, PMI_KW_FOR)) {
                p->pos++;
                st = for_stmt(p, s, 1);
                goto compound;
            }
            if (at_kw_k(p, 1, PMI_KW_WITH)) {
                p->pos++;
                st = with_stmt(p, s, 1);
                goto compound;
            }
            break;
        case PMI_KW_MATCH: {
            int matched = 0;
            st = pmi_p_match_stmt(p, &matched);
            if (matched)
                goto compound;
            if (FAILED)
                return -1;
            p->pos = s;
            break;
        }
        default:
            break;
        }
    } else if (t->type == PMI_T_OP && t->op == PMI_OP_AT && t->kw == 0) {
        st = decorated(p);
        goto compound;
    }
    return simple_stmts(p, out);
compound:
    if (st == NULL)
        return -1;
    return pl_push(p, out, st);
}

/* statements until DEDENT or ENDMARKER */
static asdl_stmt_seq *statements(pmi_parser *p)
{
    plist l;
    pl_init(&l);
    for (;;) {
        pmi_token *t = cur(p);
        if (t == NULL)
            break;
        if (t->type == PMI_T_DEDENT || t->type == PMI_T_ENDMARKER)
            break;
        if (t->type == PMI_T_INDENT) {
            /* "unexpected indent" */
            break;
        }
        if (statement(p, &l) < 0) {
            pl_free(p, &l);
            return NULL;
        }
    }
    if (FAILED) {
        pl_free(p, &l);
        return NULL;
    }
    if (l.n == 0) {
        pl_free(p, &l);
        return NULL;
    }
    return pl_seq(p, &l);
}

/* ---- entry points ------------------------------------------------------------- */

/* CPython's generic error when the grammar does not match: see
 * _PyPegen_set_syntax_error.  `last` is the last token read. */
static int generic_error(pmi_parser *p)
{
    int n = p->ntoks_first > 0 ? p->ntoks_first : p->ntoks;
    if (n == 0)
        return 0;
    pmi_token *last = &p->toks[n - 1];
    char paren;
    int pline = 0, pcol = 0;
    int level = pmi_tokenizer_level(p->tz, &paren, &pline, &pcol);
    if (last->type == PMI_T_ENDMARKER && level > 0) {
        pmi_p_error(p, PMI_SYNTAX_ERROR, pline, pcol, pline, pcol + 1, "'%c' was never closed", paren);
        return 0;
    }
    if (last->type == PMI_T_INDENT) {
        pmi_p_error(p, PMI_INDENTATION_ERROR, last->lineno, -1, -1, -1, "unexpected indent");
        if (p->err->kind)
            p->err->offset = 0;   /* CPython gives no usable column here */
        return 0;
    }
    if (last->type == PMI_T_DEDENT) {
        pmi_p_error(p, PMI_INDENTATION_ERROR, last->lineno, last->col_offset, -1, -1, "unexpected unindent");
        return 0;
    }
    if (last->type == PMI_T_OP && last->kw == -1 && (unsigned char)*last->start >= 0x80) {
        /* a non-ASCII character that cannot start a token */
        pmi_p_error(p, PMI_SYNTAX_ERROR, last->lineno, last->col_offset, last->end_lineno,
                    last->end_col_offset, "invalid character");
        return 1;
    }
    if (last->type == PMI_T_ENDMARKER) {
        /* the error is at the end: CPython points just past the last line */
        pmi_p_error(p, PMI_SYNTAX_ERROR, last->lineno, last->col_offset, last->end_lineno,
                    last->end_col_offset, "invalid syntax");
        return 1;
    }
    pmi_p_error(p, PMI_SYNTAX_ERROR, last->lineno, last->col_offset, last->end_lineno, last->end_col_offset,
                "invalid syntax");
    return 1;
}

/* After a syntax error from the parser, CPython tokenizes the rest of the
 * file: a tokenizer error there wins, and so does an unclosed bracket opened
 * before the error's line. */
static void check_rest_of_source(pmi_parser *p)
{
    if (p->err->kind == 0 || p->fstring)
        return;
    int err_line = p->ntoks > 0 ? p->toks[p->ntoks - 1].lineno : (int)p->err->lineno;
    pmi_syntax_error saved = *p->err;
    pmi_syntax_error_init(p->err);
    p->err->warnings = saved.warnings;
    p->err->filename = saved.filename;
    saved.filename = NULL;
    pmi_token t;
    for (;;) {
        if (pmi_tokenizer_next(p->tz, &t) < 0) {
            if (p->err->kind != 0) {
                pmi_syntax_error_clear(p->rt, &saved);
                return;
            }
            break;   /* MemoryError: keep the first error */
        }
        if (t.type == PMI_T_ENDMARKER)
            break;
    }
    char paren;
    int pline = 0, pcol = 0;
    int level = pmi_tokenizer_level(p->tz, &paren, &pline, &pcol);
    if (level > 0 && err_line > pline) {
        if (pmi_syntax_error_set(p->rt, p->err, PMI_SYNTAX_ERROR, p->src, p->srclen, pline, pcol, pline,
                                 pcol + 1, "'%c' was never closed", paren) == 0) {
            pmi_syntax_error_clear(p->rt, &saved);
            return;
        }
    }
    pm_err_clear(p->rt);
    pm_object *fn = p->err->filename;
    p->err->filename = NULL;
    pmi_syntax_error_clear(p->rt, p->err);
    *p->err = saved;
    if (p->err->filename == NULL)
        p->err->filename = fn;
    else
        pm_xdecref(p->rt, fn);
}

expr_ty pmi_p_fstring_expr(pmi_parser *p, const char *start, const char *end, int lineno,
                           const char *line_start)
{
    pmi_parser sub;
    memset(&sub, 0, sizeof sub);
    sub.rt = p->rt;
    sub.arena = p->arena;
    sub.err = p->err;
    sub.mode = PMI_MODE_EVAL;
    sub.src = p->src;
    sub.srclen = p->srclen;
    sub.fstring = 1;
    sub.call_invalid = p->call_invalid;
    sub.parent = p;
    sub.depth = p->depth;
    sub.tz = pmi_tokenizer_sub(p->tz, start, end, lineno, line_start);
    if (sub.tz == NULL)
        return pmi_p_nomem(p);
    /* CPython parses "(" + text + ")", so a yield expression is allowed */
    expr_ty e = at_kw(&sub, PMI_KW_YIELD) ? yield_expr(&sub) : star_expressions(&sub);
    if (e != NULL) {
        pmi_token *t = cur(&sub);
        if (t == NULL || t->type != PMI_T_ENDMARKER)
            e = NULL;
    }
    if (e != NULL && e->kind == Tuple_kind) {
        /* CPython parses "(" + text + ")": a bare tuple then spans the
         * parentheses it added, i.e. from the '{' to the character after
         * the expression */
        pmi_token *t0 = &sub.toks[0];
        int parenthesized = t0->type == PMI_T_OP && t0->op == PMI_OP_LPAR && e->lineno == t0->lineno &&
                            e->col_offset == t0->col_offset;
        if (!parenthesized) {
            int l2 = lineno;
            const char *ls = line_start;
            for (const char *q = start; q < end; q++)
                if (*q == '\n') {
                    l2++;
                    ls = q + 1;
                }
            e->lineno = lineno;
            e->col_offset = (int)(start - line_start) - 1;
            e->end_lineno = l2;
            e->end_col_offset = (int)(end - ls) + 1;
        }
    }
    /* a node's allocation that failed left a MemoryError, not a
     * syntax error (the main parse asks the same in parse_mod) */
    if (e == NULL && !sub.failed && pm_err_occurred(p->rt))
        sub.failed = 1;
    if (e == NULL && !sub.failed) {
        pmi_token *t = sub.ntoks > 0 ? &sub.toks[sub.ntoks - 1] : NULL;
        if (t != NULL)
            pmi_p_error(&sub, PMI_SYNTAX_ERROR, t->lineno, t->col_offset, t->end_lineno, t->end_col_offset,
                        "f-string: invalid syntax");
        else
            pmi_p_error(&sub, PMI_SYNTAX_ERROR, lineno, (int)(start - line_start), -1, -1,
                        "f-string: invalid syntax");
    }
    if (sub.failed)
        p->failed = 1;
    pm_free(p->rt, sub.toks);
    pmi_tokenizer_free(sub.tz);
    return e;
}

static mod_ty parse_mod(pmi_parser *p, int mode)
{
    mod_ty m = NULL;
    int s = 0;
    switch (mode) {
    case PMI_MODE_FUNC_TYPE: {
        /* '(' [type_expressions] ')' '->' expression NEWLINE* ENDMARKER;
         * '*' and '**' entries contribute their expression */
        if (!accept_op(p, PMI_OP_LPAR))
            break;
        plist l;
        pl_init(&l);
        int ok = 1;
        while (!at_op(p, PMI_OP_RPAR)) {
            if (!accept_op(p, PMI_OP_DOUBLESTAR))
                accept_op(p, PMI_OP_STAR);
            expr_ty e = expression(p);
            if (e == NULL || pl_push(p, &l, e) < 0) {
                ok = 0;
                break;
            }
            if (!accept_op(p, PMI_OP_COMMA))
                break;
        }
        if (!ok || !accept_op(p, PMI_OP_RPAR) || !accept_op(p, PMI_OP_RARROW)) {
            pl_free(p, &l);
            break;
        }
        expr_ty ret = expression(p);
        while (ret != NULL && at_type(p, PMI_T_NEWLINE))
            p->pos++;
        if (ret == NULL || !at_type(p, PMI_T_ENDMARKER)) {
            pl_free(p, &l);
            break;
        }
        asdl_expr_seq *argtypes = pl_seq(p, &l);
        if (argtypes != NULL)
            m = pmi_ast_FunctionType(argtypes, ret, p->arena);
        break;
    }
    case PMI_MODE_EVAL: {
        while (at_type(p, PMI_T_NEWLINE))
            p->pos++;
        expr_ty e = star_expressions(p);
        while (e != NULL && at_type(p, PMI_T_NEWLINE))
            p->pos++;
        if (e != NULL && at_type(p, PMI_T_ENDMARKER))
            m = pmi_ast_Expression(e, p->arena);
        break;
    }
    default: {
        plist l;
        pl_init(&l);
        int ok = 1;
        for (;;) {
            pmi_token *t = cur(p);
            if (t == NULL) {
                ok = 0;
                break;
            }
            if (t->type == PMI_T_ENDMARKER)
                break;
            if (t->type == PMI_T_INDENT || t->type == PMI_T_DEDENT) {
                ok = 0;
                break;
            }
            if (statement(p, &l) < 0) {
                ok = 0;
                break;
            }
        }
        (void)s;
        if (!ok) {
            pl_free(p, &l);
            break;
        }
        asdl_stmt_seq *body = pl_seq(p, &l);
        if (body == NULL)
            break;
        if (mode == PMI_MODE_SINGLE)
            m = pmi_ast_Interactive(body, p->arena);
        else
            m = pmi_ast_Module(body, empty_seq(p), p->arena);
        break;
    }
    }
    return m;
}

mod_ty pmi_parse(pm_runtime *rt, pmi_arena *a, const char *src, size_t len, pm_object *filename,
                 int mode, pmi_syntax_error *err)
{
    pmi_parser p;
    memset(&p, 0, sizeof p);
    p.rt = rt;
    p.arena = a;
    p.err = err;
    p.mode = mode;
    mod_ty m = NULL;
    if (filename != NULL && err->filename == NULL)
        err->filename = pm_newref(rt, filename);
    p.tz = pmi_tokenizer_new(rt, src, len, err);
    if (p.tz == NULL) {
        if (err->kind != 0 && err->msg != NULL && filename != NULL) {
            /* the decoder's message names the file */
            pm_ssize_t n;
            const char *m0 = pm_str_as_utf8(rt, err->msg, &n);
            const char *hole = m0 ? strstr(m0, "%FILE%") : NULL;
            if (hole != NULL) {
                const char *fn = pm_str_as_utf8(rt, filename, NULL);
                pm_object *nm = fn ? pm_str_from_format(rt, "%.*s%s%s", (int)(hole - m0), m0, fn, hole + 6) : NULL;
                if (nm != NULL) {
                    pm_decref(rt, err->msg);
                    err->msg = nm;
                }
            }
        }
        return NULL;
    }
    p.src = pmi_tokenizer_source(p.tz, &p.srclen);
    m = parse_mod(&p, mode);
    if (m == NULL && !p.failed) {
        /* CPython's second pass: the same tokens again, now with the rules
         * that recognise common mistakes; the generic error keeps the
         * position reached by the first pass */
        int last = p.ntoks;
        p.pos = 0;
        p.depth = 0;
        p.call_invalid = 1;
        m = parse_mod(&p, mode);
        if (m == NULL && !p.failed)
            p.ntoks_first = last;
    }
    if (m == NULL && !p.failed && !pm_err_occurred(rt)) {
        if (generic_error(&p))
            check_rest_of_source(&p);
    } else if (m == NULL && p.err->kind != 0 && !p.tok_failed) {
        check_rest_of_source(&p);
    } else if (m == NULL && !pm_err_occurred(rt) && err->kind == 0) {
        pm_err_nomem(rt);
    }
    pm_free(rt, p.toks);
    pmi_tokenizer_free(p.tz);
    if (m != NULL)
        pmi_syntax_error_clear(rt, err);   /* no error: hold nothing */
    return m;
}

/* ---- match statements (PEP 634) ---------------------------------------------- */

static pattern_ty pattern_(pmi_parser *p);
static pattern_ty closed_pattern(pmi_parser *p);

#define PEXTRA(s) tokat(p, (s))->lineno, tokat(p, (s))->col_offset, last_tok(p)->end_lineno, \
                  last_tok(p)->end_col_offset, p->arena

static int at_soft(pmi_parser *p, int kw)
{
    pmi_token *t = cur(p);
    return t != NULL && t->type == PMI_T_NAME && t->kw == kw;
}

/* NAME that is not "_" and is not followed by '.', '(' or '=' */
static int at_capture_target(pmi_parser *p)
{
    return at_name(p) && !at_soft(p, PMI_KW_UNDERSCORE) && !at_op_k(p, 1, PMI_OP_DOT) &&
           !at_op_k(p, 1, PMI_OP_LPAR) && !at_op_k(p, 1, PMI_OP_EQUAL);
}

/* signed_number | complex_number as an expression (literal_expr's numbers) */
static expr_ty number_literal(pmi_parser *p)
{
    int s = p->pos;
    int neg = 0;
    if (at_op(p, PMI_OP_MINUS)) {
        neg = 1;
        p->pos++;
    }
    if (!at_type(p, PMI_T_NUMBER))
        return NULL;
    pmi_token *t = cur(p);
    int ns = p->pos;
    p->pos++;
    pm_object *v = parse_number(p, t->start, (size_t)(t->end - t->start));
    CHECK(v);
    expr_ty e = pmi_ast_Constant(v, NULL, PEXTRA(ns));
    CHECK(e);
    if (neg) {
        e = pmi_ast_UnaryOp(USub, e, PEXTRA(s));
        CHECK(e);
    }
    if (at_op(p, PMI_OP_PLUS) || at_op(p, PMI_OP_MINUS)) {
        operator_ty op = at_op(p, PMI_OP_PLUS) ? Add : Sub;
        p->pos++;
        if (!at_type(p, PMI_T_NUMBER))
            return NULL;
        pmi_token *it = cur(p);
        int is = p->pos;
        p->pos++;
        pm_object *iv = parse_number(p, it->start, (size_t)(it->end - it->start));
        CHECK(iv);
        double re_, im_;
        if (pmi_is_imaginary(p->rt, v, &re_, &im_)) {
            return pmi_p_error(p, PMI_SYNTAX_ERROR, t->lineno, t->col_offset, t->end_lineno, t->end_col_offset,
                               "real number required in complex literal");
        }
        if (!pmi_is_imaginary(p->rt, iv, &re_, &im_)) {
            return pmi_p_error(p, PMI_SYNTAX_ERROR, it->lineno, it->col_offset, it->end_lineno,
                               it->end_col_offset, "imaginary number required in complex literal");
        }
        expr_ty im = pmi_ast_Constant(iv, NULL, PEXTRA(is));
        CHECK(im);
        e = pmi_ast_BinOp(e, op, im, PEXTRA(s));
    }
    return e;
}

/* name_or_attr: NAME ('.' NAME)* */
static expr_ty name_or_attr(pmi_parser *p)
{
    int s = p->pos;
    if (!at_name(p))
        return NULL;
    expr_ty e = name_expr(p);
    CHECK(e);
    while (at_op(p, PMI_OP_DOT) && at_name_k(p, 1)) {
        p->pos++;
        identifier id = name_token(p);
        CHECK(id);
        e = pmi_ast_Attribute(e, id, Load, PEXTRA(s));
        CHECK(e);
    }
    return e;
}

static asdl_pattern_seq *pattern_list(pmi_parser *p, int closer, int *trailing)
{
    plist l;
    pl_init(&l);
    *trailing = 0;
    while (!at_op(p, closer)) {
        int s = p->pos;
        pattern_ty pt;
        if (accept_op(p, PMI_OP_STAR)) {
            identifier name = NULL;
            if (at_soft(p, PMI_KW_UNDERSCORE)) {
                p->pos++;
            } else if (at_capture_target(p)) {
                name = name_token(p);
                if (name == NULL)
                    goto fail;
            } else {
                goto fail;
            }
            pt = pmi_ast_MatchStar(name, PEXTRA(s));
        } else {
            pt = pattern_(p);
        }
        if (pt == NULL || pl_push(p, &l, pt) < 0)
            goto fail;
        if (!accept_op(p, PMI_OP_COMMA))
            break;
        *trailing = 1;
        if (at_op(p, closer))
            break;
        *trailing = 0;
    }
    return pl_seq(p, &l);
fail:
    pl_free(p, &l);
    return NULL;
}

static pattern_ty mapping_pattern(pmi_parser *p)
{
    int s = p->pos;
    p->pos++;   /* '{' */
    plist keys, pats;
    pl_init(&keys);
    pl_init(&pats);
    identifier rest = NULL;
    while (!at_op(p, PMI_OP_RBRACE)) {
        if (accept_op(p, PMI_OP_DOUBLESTAR)) {
            if (!at_capture_target(p))
                goto fail;
            rest = name_token(p);
            if (rest == NULL)
                goto fail;
            accept_op(p, PMI_OP_COMMA);
            break;
        }
        expr_ty key;
        int ks = p->pos;
        if (at_type(p, PMI_T_STRING)) {
            key = atom(p);
        } else if (at_kw(p, PMI_KW_NONE_) || at_kw(p, PMI_KW_TRUE) || at_kw(p, PMI_KW_FALSE)) {
            pm_object *v = at_kw(p, PMI_KW_NONE_) ? PM_NONE : at_kw(p, PMI_KW_TRUE) ? PM_TRUE : PM_FALSE;
            p->pos++;
            key = pmi_ast_Constant(v, NULL, PEXTRA(ks));
        } else if (at_name(p)) {
            key = name_or_attr(p);
            if (key != NULL && key->kind == Name_kind)
                key = NULL;
        } else {
            key = number_literal(p);
        }
        if (key == NULL || !accept_op(p, PMI_OP_COLON))
            goto fail;
        pattern_ty v = pattern_(p);
        if (v == NULL || pl_push(p, &keys, key) < 0 || pl_push(p, &pats, v) < 0)
            goto fail;
        if (!accept_op(p, PMI_OP_COMMA))
            break;
    }
    if (!accept_op(p, PMI_OP_RBRACE))
        goto fail;
    {
        asdl_expr_seq *ks = pl_seq(p, &keys);
        asdl_pattern_seq *ps = pl_seq(p, &pats);
        CHECK(ks);
        CHECK(ps);
        return pmi_ast_MatchMapping(ks, ps, rest, PEXTRA(s));
    }
fail:
    pl_free(p, &keys);
    pl_free(p, &pats);
    return NULL;
}

static pattern_ty class_pattern(pmi_parser *p, expr_ty cls, int s)
{
    p->pos++;   /* '(' */
    plist pats, kwnames, kwpats;
    pl_init(&pats);
    pl_init(&kwnames);
    pl_init(&kwpats);
    while (!at_op(p, PMI_OP_RPAR)) {
        if (at_name(p) && at_op_k(p, 1, PMI_OP_EQUAL)) {
            identifier id = name_token(p);
            if (id == NULL)
                goto fail;
            p->pos++;
            pattern_ty v = pattern_(p);
            if (v == NULL || pl_push(p, &kwnames, id) < 0 || pl_push(p, &kwpats, v) < 0)
                goto fail;
        } else {
            if (kwnames.n > 0) {
                pattern_ty v = pattern_(p);
                if (v != NULL)
                    error_range(p, v->lineno, v->col_offset, v->end_lineno, v->end_col_offset,
                                "positional patterns follow keyword patterns");
                goto fail;
            }
            pattern_ty v = pattern_(p);
            if (v == NULL || pl_push(p, &pats, v) < 0)
                goto fail;
        }
        if (!accept_op(p, PMI_OP_COMMA))
            break;
    }
    if (!accept_op(p, PMI_OP_RPAR))
        goto fail;
    {
        asdl_pattern_seq *ps = pl_seq(p, &pats);
        asdl_identifier_seq *kn = pl_seq(p, &kwnames);
        asdl_pattern_seq *kp = pl_seq(p, &kwpats);
        CHECK(ps);
        CHECK(kn);
        CHECK(kp);
        return pmi_ast_MatchClass(cls, ps, kn, kp, PEXTRA(s));
    }
fail:
    pl_free(p, &pats);
    pl_free(p, &kwnames);
    pl_free(p, &kwpats);
    return NULL;
}

static pattern_ty closed_pattern(pmi_parser *p)
{
    int s = p->pos;
    pmi_token *t = cur(p);
    CHECK(t);
    if (t->type == PMI_T_NUMBER || at_op(p, PMI_OP_MINUS)) {
        expr_ty e = number_literal(p);
        CHECK(e);
        return pmi_ast_MatchValue(e, PEXTRA(s));
    }
    if (t->type == PMI_T_STRING) {
        expr_ty e = atom(p);
        CHECK(e);
        return pmi_ast_MatchValue(e, PEXTRA(s));
    }
    if (at_kw(p, PMI_KW_NONE_) || at_kw(p, PMI_KW_TRUE) || at_kw(p, PMI_KW_FALSE)) {
        pm_object *v = at_kw(p, PMI_KW_NONE_) ? PM_NONE : at_kw(p, PMI_KW_TRUE) ? PM_TRUE : PM_FALSE;
        p->pos++;
        return pmi_ast_MatchSingleton(v, PEXTRA(s));
    }
    if (at_soft(p, PMI_KW_UNDERSCORE) && !at_op_k(p, 1, PMI_OP_DOT) && !at_op_k(p, 1, PMI_OP_LPAR) &&
        !at_op_k(p, 1, PMI_OP_EQUAL)) {
        p->pos++;
        return pmi_ast_MatchAs(NULL, NULL, PEXTRA(s));
    }
    if (at_name(p)) {
        if (at_capture_target(p)) {
            identifier id = name_token(p);
            CHECK(id);
            return pmi_ast_MatchAs(NULL, id, PEXTRA(s));
        }
        expr_ty e = name_or_attr(p);
        CHECK(e);
        if (at_op(p, PMI_OP_LPAR))
            return class_pattern(p, e, s);
        if (e->kind != Attribute_kind)
            return NULL;
        return pmi_ast_MatchValue(e, PEXTRA(s));
    }
    if (at_op(p, PMI_OP_LPAR)) {
        p->pos++;
        if (accept_op(p, PMI_OP_RPAR))
            return pmi_ast_MatchSequence(empty_seq(p), PEXTRA(s));
        int save = p->pos;
        pattern_ty inner = NULL;
        if (!at_op(p, PMI_OP_STAR)) {
            inner = pattern_(p);
            if (inner == NULL && FAILED)
                return NULL;
            if (inner != NULL && accept_op(p, PMI_OP_RPAR))
                return inner;   /* group_pattern */
        }
        p->pos = save;
        int trailing;
        asdl_pattern_seq *ps = pattern_list(p, PMI_OP_RPAR, &trailing);
        CHECK(ps);
        if (!accept_op(p, PMI_OP_RPAR))
            return NULL;
        return pmi_ast_MatchSequence(ps, PEXTRA(s));
    }
    if (at_op(p, PMI_OP_LSQB)) {
        p->pos++;
        int trailing;
        asdl_pattern_seq *ps = pattern_list(p, PMI_OP_RSQB, &trailing);
        CHECK(ps);
        if (!accept_op(p, PMI_OP_RSQB))
            return NULL;
        return pmi_ast_MatchSequence(ps, PEXTRA(s));
    }
    if (at_op(p, PMI_OP_LBRACE))
        return mapping_pattern(p);
    return NULL;
}

/* pattern: or_pattern ['as' capture] */
static pattern_ty pattern_(pmi_parser *p)
{
    int s = p->pos;
    if (enter(p) < 0)
        return NULL;
    pattern_ty first = closed_pattern(p);
    if (first == NULL) {
        p->depth--;
        return NULL;
    }
    pattern_ty r = first;
    if (at_op(p, PMI_OP_VBAR)) {
        plist l;
        pl_init(&l);
        if (pl_push(p, &l, first) < 0) {
            p->depth--;
            return NULL;
        }
        while (accept_op(p, PMI_OP_VBAR)) {
            pattern_ty q = closed_pattern(p);
            if (q == NULL || pl_push(p, &l, q) < 0) {
                pl_free(p, &l);
                p->depth--;
                return NULL;
            }
        }
        asdl_pattern_seq *ps = pl_seq(p, &l);
        r = ps ? pmi_ast_MatchOr(ps, PEXTRA(s)) : NULL;
    }
    if (r != NULL && accept_kw(p, PMI_KW_AS)) {
        if (!at_capture_target(p)) {
            p->depth--;
            return NULL;
        }
        identifier id = name_token(p);
        r = id ? pmi_ast_MatchAs(r, id, PEXTRA(s)) : NULL;
    }
    p->depth--;
    return r;
}

/* patterns: open_sequence_pattern | pattern */
static pattern_ty patterns(pmi_parser *p)
{
    int s = p->pos;
    if (!at_op(p, PMI_OP_STAR)) {
        pattern_ty first = pattern_(p);
        CHECK(first);
        if (!at_op(p, PMI_OP_COMMA))
            return first;
        p->pos = s;
    }
    int trailing;
    asdl_pattern_seq *ps = pattern_list(p, PMI_OP_COLON, &trailing);
    CHECK(ps);
    return pmi_ast_MatchSequence(ps, PEXTRA(s));
}

stmt_ty pmi_p_match_stmt(pmi_parser *p, int *matched);
stmt_ty pmi_p_match_stmt(pmi_parser *p, int *matched)
{
    int s = p->pos;
    *matched = 0;
    int line = cur(p)->lineno;
    p->pos++;   /* "match" */
    if (!starts_expression(p, 0) && !at_op(p, PMI_OP_STAR))
        return NULL;
    expr_ty subject;
    {
        int ss = p->pos;
        subject = star_named_expression(p);
        if (subject == NULL)
            return NULL;
        if (at_op(p, PMI_OP_COMMA)) {
            plist l;
            pl_init(&l);
            if (pl_push(p, &l, subject) < 0)
                return NULL;
            while (accept_op(p, PMI_OP_COMMA)) {
                if (at_op(p, PMI_OP_COLON))
                    break;
                expr_ty e = star_named_expression(p);
                if (e == NULL || pl_push(p, &l, e) < 0) {
                    pl_free(p, &l);
                    return NULL;
                }
            }
            asdl_expr_seq *elts = pl_seq(p, &l);
            CHECK(elts);
            subject = pmi_ast_Tuple(elts, Load, PEXTRA(ss));
            CHECK(subject);
        } else if (subject->kind == Starred_kind) {
            return NULL;
        }
    }
    if (!at_op(p, PMI_OP_COLON)) {
        pmi_token *t = cur(p);
        if (t != NULL && t->type == PMI_T_NEWLINE && p->call_invalid) {
            /* "match x" then end of line: CPython's invalid_match_stmt */
            *matched = 1;
            return error_at_tok(p, t, "expected ':'");
        }
        return NULL;
    }
    p->pos++;
    *matched = 1;
    if (!at_type(p, PMI_T_NEWLINE))
        return NULL;
    p->pos++;
    if (!at_type(p, PMI_T_INDENT)) {
        pmi_token *t = cur(p);
        if (t == NULL || !p->call_invalid)
            return NULL;
        return pmi_p_error(p, PMI_INDENTATION_ERROR, t->lineno, t->col_offset, t->end_lineno, t->end_col_offset,
                           "expected an indented block after 'match' statement on line %d", line);
    }
    p->pos++;
    plist cases;
    pl_init(&cases);
    while (at_soft(p, PMI_KW_CASE)) {
        int cline = cur(p)->lineno;
        p->pos++;
        pattern_ty pt = patterns(p);
        expr_ty guard = NULL;
        if (pt != NULL && accept_kw(p, PMI_KW_IF))
            guard = named_expression(p);
        if (pt == NULL || (guard == NULL && p->toks[p->pos - 1].kw == PMI_KW_IF && 0)) {
            pl_free(p, &cases);
            return NULL;
        }
        if (FAILED || expect_colon(p) < 0) {
            pl_free(p, &cases);
            return NULL;
        }
        asdl_stmt_seq *body = block(p, "'case' statement", cline);
        if (body == NULL) {
            pl_free(p, &cases);
            return NULL;
        }
        match_case_ty mc = pmi_ast_match_case(pt, guard, body, p->arena);
        if (mc == NULL || pl_push(p, &cases, mc) < 0) {
            pl_free(p, &cases);
            return pmi_p_nomem(p);
        }
    }
    if (cases.n == 0 || !at_type(p, PMI_T_DEDENT)) {
        pl_free(p, &cases);
        return NULL;
    }
    p->pos++;
    asdl_match_case_seq *cs = pl_seq(p, &cases);
    CHECK(cs);
    return pmi_ast_Match(subject, cs, PEXTRA(s));
}
