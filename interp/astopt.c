/*
 * interp/astopt.c -- constant folding on the AST (CPython 3.11's
 * Python/ast_opt.c), run before the symbol table.
 *
 *   -1          UnaryOp(USub, Constant 1)        -> Constant -1
 *   2**10       BinOp(Constant, Pow, Constant)   -> Constant 1024
 *   (1, 2)      Tuple of Constants (Load)        -> Constant (1, 2)
 *   x in [1,2]  list/set literal after `in`      -> tuple / frozenset
 *   for x in [1, 2]: ...                         -> iterate a tuple
 *   __debug__   Name                             -> Constant True (not -O)
 *
 * Folding never raises: an operation that fails (1/0, a too large result)
 * leaves the node as it was, exactly like CPython, which clears the error.
 * Results are bounded as 3.11 bounds them: ints of at most 128 bits from
 * `*`, `**`, `<<`; sequences of at most 256 items and strings/bytes of at
 * most 4096 from `*`.  Each new constant is owned by the arena.
 */
#include <string.h>
#include <math.h>
#include "compile.h"
#include "code.h"

#define MAX_INT_SIZE 128
#define MAX_COLLECTION_SIZE 256
#define MAX_STR_SIZE 4096
#define MAX_TOTAL_ITEMS 1024

typedef struct opt {
    pm_runtime *rt;      /* runtime */
    pmi_arena *arena;    /* owner of new constants */
    int optimize;        /* -O level */
    int future;          /* __future__ flags */
    int depth;           /* recursion depth */
} opt;

static int fold_expr(opt *o, expr_ty e);
static int fold_stmt(opt *o, stmt_ty s);

static int make_const(opt *o, expr_ty e, pm_object *v)
{
    /* v: NEW ref or NULL (then: no fold, error cleared unless MemoryError) */
    if (v == NULL) {
        if (pm_err_matches(o->rt, PM_EXC_MemoryError))
            return 0;
        pm_err_clear(o->rt);
        return 1;
    }
    if (pmi_arena_own(o->arena, v) < 0)
        return 0;
    e->kind = Constant_kind;
    e->v.Constant.value = v;
    e->v.Constant.kind = NULL;
    return 1;
}

static int is_const(expr_ty e)
{
    return e->kind == Constant_kind;
}

static int is_true_int(pm_object *v)
{
    return pm_int_check(v) && pm_type_of(v) != &pm_bool_type;
}


/* ---- complex constants ------------------------------------------------------
 * A complex constant is a libpymm complex object (ast.h's
 * pmi_make_imaginary; marshal and dis read its parts).  Folding uses the
 * library's complex arithmetic, which is CPython 3.11's (a real operand is
 * made complex with imag 0.0 first, so 2*(1+1j) computes 2*1 - 0*1);
 * an error there (division by zero, overflow, a non-number operand) means
 * "not folded", and //, % are never folded. */

static int is_complex(opt *o, pm_object *v)
{
    (void)o;
    return pm_complex_check(v);
}

static pm_object *complex_binary(opt *o, operator_ty op, pm_object *a, pm_object *b)
{
    switch (op) {
    case Add: return pm_complex_add(o->rt, a, b);
    case Sub: return pm_complex_sub(o->rt, a, b);
    case Mult: return pm_complex_mul(o->rt, a, b);
    case Div: return pm_complex_truediv(o->rt, a, b);
    case Pow: return pm_complex_pow(o->rt, a, b);
    default: return NULL;
    }
}

static pm_object *unary(opt *o, unaryop_ty op, pm_object *v)
{
    pm_runtime *rt = o->rt;
    if (pm_complex_check(v) && op != Not) {
        if (op == USub)
            return pm_complex_neg(rt, v);
        if (op == UAdd)
            return pm_newref(rt, v);
        return NULL;   /* ~z: TypeError, not folded */
    }
    switch (op) {
    case USub:
        if (pm_int_check(v))
            return pm_int_neg(rt, v);
        if (pm_float_check(v))
            return pm_float_new(rt, -pm_float_value(v));
        return NULL;
    case UAdd:
        if (pm_int_check(v)) {
            if (pm_type_of(v) == &pm_bool_type)
                return pm_int_from_long(rt, v == PM_TRUE);
            return pm_newref(rt, v);
        }
        if (pm_float_check(v))
            return pm_newref(rt, v);
        return NULL;
    case Invert:
        if (pm_int_check(v))
            return pm_int_invert(rt, v);
        return NULL;
    case Not:
        /* CPython folds `not` only for constants whose truth is known; but
         * it never folds `not` (ast_opt skips Not for its unary folding of
         * non-constants); it does fold `not <const>` */
        {
            int t = pm_is_true(rt, v);
            if (t < 0)
                return NULL;
            return pm_newref(rt, pm_bool_from(!t));
        }
    }
    return NULL;
}

static pm_ssize_t seq_len(pm_object *v)
{
    if (pm_str_check(v))
        return pm_str_length(v);
    if (pm_bytes_check(v))
        return pm_bytes_size(v);
    if (pm_tuple_check(v))
        return pm_tuple_size(v);
    return -1;
}

static pm_object *as_float_pair(opt *o, pm_object *a, pm_object *b, double *x, double *y)
{
    (void)o;
    if (pm_float_check(a))
        *x = pm_float_value(a);
    else if (pm_int_check(a))
        *x = pm_int_as_double(o->rt, a);
    else
        return NULL;
    if (pm_float_check(b))
        *y = pm_float_value(b);
    else if (pm_int_check(b))
        *y = pm_int_as_double(o->rt, b);
    else
        return NULL;
    if (pm_err_occurred(o->rt))
        return NULL;
    return PM_NONE;
}

static pm_object *binary(opt *o, operator_ty op, pm_object *a, pm_object *b)
{
    pm_runtime *rt = o->rt;
    if (is_complex(o, a) || is_complex(o, b))
        return complex_binary(o, op, a, b);
    int ai = pm_int_check(a), bi = pm_int_check(b);
    int af = pm_float_check(a), bf = pm_float_check(b);
    double x, y;
    if (ai && bi) {
        /* bool & | ^ bool stays a bool (bool's own operators) */
        if (pm_type_of(a) == &pm_bool_type && pm_type_of(b) == &pm_bool_type &&
            (op == BitAnd || op == BitOr || op == BitXor)) {
            int ba = a == PM_TRUE, bb = b == PM_TRUE;
            int r = op == BitAnd ? (ba & bb) : op == BitOr ? (ba | bb) : (ba ^ bb);
            return pm_newref(rt, pm_bool_from(r));
        }
        switch (op) {
        case Add: return pm_int_add(rt, a, b);
        case Sub: return pm_int_sub(rt, a, b);
        case Mult:
            if (pm_int_sign(a) && pm_int_sign(b) &&
                pm_int_bit_length(a) + pm_int_bit_length(b) > MAX_INT_SIZE)
                return NULL;
            return pm_int_mul(rt, a, b);
        case FloorDiv: return pm_int_floordiv(rt, a, b);
        case Mod: return pm_int_mod(rt, a, b);
        case Div: return pm_int_truediv(rt, a, b);
        case Pow: {
            if (pm_int_sign(b) > 0 && pm_int_sign(a) != 0) {
                size_t vbits = pm_int_bit_length(a);
                long wv = pm_int_as_long(rt, b);
                if (pm_err_occurred(rt) || (wv > 0 && vbits > (size_t)MAX_INT_SIZE / (size_t)wv))
                    return NULL;
            }
            return pm_int_pow(rt, a, b);
        }
        case LShift: {
            if (pm_int_sign(b) < 0)
                return NULL;
            if (pm_int_sign(a)) {
                long wv = pm_int_as_long(rt, b);
                if (pm_err_occurred(rt) || wv > MAX_INT_SIZE ||
                    pm_int_bit_length(a) > (size_t)(MAX_INT_SIZE - wv))
                    return NULL;
            }
            return pm_int_lshift(rt, a, b);
        }
        case RShift: return pm_int_rshift(rt, a, b);
        case BitOr: return pm_int_or(rt, a, b);
        case BitXor: return pm_int_xor(rt, a, b);
        case BitAnd: return pm_int_and(rt, a, b);
        default: return NULL;
        }
    }
    if ((ai || af) && (bi || bf) && (af || bf)) {
        if (!as_float_pair(o, a, b, &x, &y))
            return NULL;
        switch (op) {
        case Add: return pm_float_new(rt, x + y);
        case Sub: return pm_float_new(rt, x - y);
        case Mult: return pm_float_new(rt, x * y);
        case Div: if (y == 0.0) return NULL; return pm_float_new(rt, x / y);
        case FloorDiv: {
            pm_object *fa = pm_float_new(rt, x), *fb = fa ? pm_float_new(rt, y) : NULL;
            pm_object *r = fb ? pm_float_floordiv(rt, fa, fb) : NULL;
            pm_xdecref(rt, fa);
            pm_xdecref(rt, fb);
            return r;
        }
        case Mod: {
            pm_object *fa = pm_float_new(rt, x), *fb = fa ? pm_float_new(rt, y) : NULL;
            pm_object *r = fb ? pm_float_mod(rt, fa, fb) : NULL;
            pm_xdecref(rt, fa);
            pm_xdecref(rt, fb);
            return r;
        }
        case Pow: {
            if (x == 0.0 && y < 0)
                return NULL;
            if (x < 0 && y != floor(y))
                return NULL;   /* complex result */
            double r = pow(x, y);
            if (isinf(r) && !isinf(x) && !isinf(y))
                return NULL;
            return pm_float_new(rt, r);
        }
        default: return NULL;
        }
    }
    /* sequences */
    if (op == Add) {
        if (pm_str_check(a) && pm_str_check(b)) {
            return pm_str_concat(rt, a, b);
        }
        if (pm_bytes_check(a) && pm_bytes_check(b))
            return pm_bytes_concat(rt, a, b);
        if (pm_tuple_check(a) && pm_tuple_check(b))
            return pm_tuple_concat(rt, a, b);
        return NULL;
    }
    if (op == Mult) {
        pm_object *seq = NULL, *n = NULL;
        if (is_true_int(b) && seq_len(a) >= 0) {
            seq = a;
            n = b;
        } else if (is_true_int(a) && seq_len(b) >= 0) {
            seq = b;
            n = a;
        }
        if (seq == NULL)
            return NULL;
        long cnt = pm_int_as_long(rt, n);
        if (pm_err_occurred(rt))
            return NULL;
        pm_ssize_t len = seq_len(seq);
        if (cnt < 0)
            cnt = 0;
        if (len > 0 && cnt > 0) {
            long limit = pm_tuple_check(seq) ? MAX_COLLECTION_SIZE : MAX_STR_SIZE;
            if (cnt > limit / len)
                return NULL;
            if (pm_tuple_check(seq)) {
                /* total items bounded too (nested tuples) */
                if ((long)len * cnt > MAX_COLLECTION_SIZE)
                    return NULL;
            }
        }
        if (pm_str_check(seq))
            return pm_str_repeat(rt, seq, cnt);
        if (pm_bytes_check(seq)) {
            pm_ssize_t bl = pm_bytes_size(seq);
            char *buf = pm_malloc(rt, (size_t)(bl * cnt) + 1);
            if (buf == NULL)
                return pm_err_nomem(rt);
            for (long i = 0; i < cnt; i++)
                memcpy(buf + i * bl, pm_bytes_data(seq), (size_t)bl);
            pm_object *r = pm_bytes_new(rt, buf, bl * cnt);
            pm_free(rt, buf);
            return r;
        }
        if (pm_tuple_check(seq)) {
            pm_object *r = pm_tuple_from_array(rt, NULL, 0);
            for (long i = 0; r && i < cnt; i++) {
                pm_object *t = pm_tuple_concat(rt, r, seq);
                pm_decref(rt, r);
                r = t;
            }
            return r;
        }
    }
    return NULL;
}

static pm_object *make_const_tuple(opt *o, asdl_expr_seq *elts)
{
    pm_ssize_t n = asdl_seq_LEN(elts);
    for (pm_ssize_t i = 0; i < n; i++) {
        expr_ty e = asdl_seq_GET(elts, i);
        if (!is_const(e))
            return NULL;
    }
    pm_object **items = pm_malloc(o->rt, sizeof(pm_object *) * (size_t)(n ? n : 1));
    if (items == NULL)
        return pm_err_nomem(o->rt);
    for (pm_ssize_t i = 0; i < n; i++)
        items[i] = asdl_seq_GET(elts, i)->v.Constant.value;
    pm_object *t = pm_tuple_from_array(o->rt, items, n);
    pm_free(o->rt, items);
    return t;
}


/* ---- '%s' % (a, b) -> f'{a!s}{b!s}' (3.11's optimize_format) ------------- */

#define MAXDIGITS 3
#define F_LJUST 1

static expr_ty parse_literal(opt *o, pm_object *fmt, pm_ssize_t *ppos, int *err)
{
    pm_ssize_t size = pm_str_length(fmt), start = *ppos, pos = *ppos;
    while (pos < size) {
        if (pm_str_read_char(fmt, pos) != '%')
            pos++;
        else if (pos + 1 < size && pm_str_read_char(fmt, pos + 1) == '%')
            pos += 2;
        else
            break;
    }
    *ppos = pos;
    if (pos == start)
        return NULL;
    uint32_t *buf = pm_malloc(o->rt, sizeof(uint32_t) * (size_t)(pos - start));
    if (buf == NULL) {
        pm_err_nomem(o->rt);
        *err = 1;
        return NULL;
    }
    pm_ssize_t n = 0;
    for (pm_ssize_t i = start; i < pos; i++) {
        uint32_t ch = pm_str_read_char(fmt, i);
        buf[n++] = ch;
        if (ch == '%')
            i++;   /* '%%' -> '%' */
    }
    pm_object *str = pm_str_from_ucs4(o->rt, buf, n);
    pm_free(o->rt, buf);
    if (str == NULL || pmi_arena_own(o->arena, str) < 0) {
        *err = 1;
        return NULL;
    }
    expr_ty c = pmi_ast_Constant(str, NULL, -1, -1, -1, -1, o->arena);
    if (c == NULL)
        *err = 1;
    return c;
}

static expr_ty parse_format(opt *o, pm_object *fmt, pm_ssize_t *ppos, expr_ty arg, int *err)
{
    pm_ssize_t pos = *ppos, len = pm_str_length(fmt);
    uint32_t ch;
    int flags = 0, width = -1, prec = -1;
#define NEXTC do { if (pos >= len) return NULL; ch = pm_str_read_char(fmt, pos); pos++; } while (0)
    for (;;) {
        NEXTC;
        if (ch == '-') { flags |= F_LJUST; continue; }
        if (ch == '+' || ch == ' ' || ch == '#' || ch == '0') { flags |= 2; continue; }
        break;
    }
    if (ch >= '0' && ch <= '9') {
        width = 0;
        int digits = 0;
        while (ch >= '0' && ch <= '9') {
            width = width * 10 + (int)(ch - '0');
            NEXTC;
            if (++digits >= MAXDIGITS)
                return NULL;
        }
    }
    if (ch == '.') {
        NEXTC;
        prec = 0;
        int digits = 0;
        while (ch >= '0' && ch <= '9') {
            prec = prec * 10 + (int)(ch - '0');
            NEXTC;
            if (++digits >= MAXDIGITS)
                return NULL;
        }
    }
#undef NEXTC
    *ppos = pos;
    if (ch != 's' && ch != 'r' && ch != 'a')
        return NULL;
    /* flags other than '-' make it unsupported in 3.11? no: they are parsed
     * and ignored except '-' (left justification) */
    char buf[1 + MAXDIGITS + 1 + MAXDIGITS + 1], *p = buf;
    if (!(flags & F_LJUST) && width > 0)
        *p++ = '>';
    if (width >= 0)
        p += snprintf(p, MAXDIGITS + 1, "%d", width);
    if (prec >= 0)
        p += snprintf(p, MAXDIGITS + 2, ".%d", prec);
    expr_ty spec = NULL;
    if (p != buf) {
        pm_object *str = pm_str_from_utf8(o->rt, buf, p - buf);
        if (str == NULL || pmi_arena_own(o->arena, str) < 0) {
            *err = 1;
            return NULL;
        }
        spec = pmi_ast_Constant(str, NULL, -1, -1, -1, -1, o->arena);
        if (spec == NULL) {
            *err = 1;
            return NULL;
        }
    }
    expr_ty r = pmi_ast_FormattedValue(arg, (int)ch, spec, arg->lineno, arg->col_offset,
                                       arg->end_lineno, arg->end_col_offset, o->arena);
    if (r == NULL)
        *err = 1;
    return r;
}

static int optimize_format(opt *o, expr_ty node, pm_object *fmt, asdl_expr_seq *elts)
{
    pm_ssize_t pos = 0, cnt = 0, n = asdl_seq_LEN(elts);
    int err = 0;
    asdl_expr_seq *seq = pmi_asdl_expr_seq_new(o->arena, n * 2 + 1);
    if (seq == NULL)
        return 0;
    seq->size = 0;
    for (;;) {
        expr_ty lit = parse_literal(o, fmt, &pos, &err);
        if (lit)
            seq->typed_elements[seq->size++] = lit;
        else if (err)
            return 0;
        if (pos >= pm_str_length(fmt))
            break;
        if (cnt >= n)
            return 1;
        pos++;
        expr_ty ex = parse_format(o, fmt, &pos, asdl_seq_GET(elts, cnt), &err);
        cnt++;
        if (!ex)
            return !err;
        seq->typed_elements[seq->size++] = ex;
    }
    if (cnt < n)
        return 1;
    expr_ty res = pmi_ast_JoinedStr(seq, node->lineno, node->col_offset, node->end_lineno,
                                    node->end_col_offset, o->arena);
    if (res == NULL)
        return 0;
    *node = *res;
    return 1;
}

static int has_starred(asdl_expr_seq *elts)
{
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(elts); i++)
        if (asdl_seq_GET(elts, i)->kind == Starred_kind)
            return 1;
    return 0;
}

/* `x in [..]`, `for x in [..]`: list -> tuple constant, set -> frozenset */
static int fold_iter(opt *o, expr_ty arg)
{
    pm_object *newval;
    if (arg->kind == List_kind) {
        asdl_expr_seq *elts = arg->v.List.elts;
        if (has_starred(elts))
            return 1;
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(elts); i++)
            if (!is_const(asdl_seq_GET(elts, i))) {
                /* make it a (non-constant) tuple */
                expr_context_ty ctx = arg->v.List.ctx;
                arg->kind = Tuple_kind;
                arg->v.Tuple.elts = elts;
                arg->v.Tuple.ctx = ctx;
                return 1;
            }
        newval = make_const_tuple(o, elts);
    } else if (arg->kind == Set_kind) {
        asdl_expr_seq *elts = arg->v.Set.elts;
        pm_object *t = make_const_tuple(o, elts);
        if (t == NULL)
            return pm_err_matches(o->rt, PM_EXC_MemoryError) ? 0 : (pm_err_clear(o->rt), 1);
        newval = pm_frozenset_new(o->rt, t);
        pm_decref(o->rt, t);
    } else {
        return 1;
    }
    if (newval == NULL && !pm_err_occurred(o->rt))
        return 1;
    return make_const(o, arg, newval);
}

#define FOLD(kind, x) do { if ((x) && !fold_##kind(o, (x))) return 0; } while (0)
#define FOLD_SEQ(kind, seq) do { \
        for (pm_ssize_t i_ = 0; i_ < asdl_seq_LEN(seq); i_++) \
            FOLD(kind, asdl_seq_GET((seq), i_)); } while (0)

static int fold_arguments(opt *o, arguments_ty a)
{
    /* annotations stay as written under `from __future__ import annotations` */
    int ann = !(o->future & PMI_CO_FUTURE_ANNOTATIONS);
    asdl_arg_seq *seqs[3] = { a->posonlyargs, a->args, a->kwonlyargs };
    for (int k = 0; ann && k < 3; k++)
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(seqs[k]); i++)
            FOLD(expr, asdl_seq_GET(seqs[k], i)->annotation);
    if (ann && a->vararg)
        FOLD(expr, a->vararg->annotation);
    if (ann && a->kwarg)
        FOLD(expr, a->kwarg->annotation);
    FOLD_SEQ(expr, a->kw_defaults);
    FOLD_SEQ(expr, a->defaults);
    return 1;
}

static int fold_comprehensions(opt *o, asdl_comprehension_seq *gens)
{
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(gens); i++) {
        comprehension_ty g = asdl_seq_GET(gens, i);
        FOLD(expr, g->target);
        FOLD(expr, g->iter);
        FOLD_SEQ(expr, g->ifs);
        if (!fold_iter(o, g->iter))
            return 0;
    }
    return 1;
}

static int fold_pattern(opt *o, pattern_ty p)
{
    switch (p->kind) {
    case MatchValue_kind:
        FOLD(expr, p->v.MatchValue.value);
        break;
    case MatchSequence_kind:
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(p->v.MatchSequence.patterns); i++)
            if (!fold_pattern(o, asdl_seq_GET(p->v.MatchSequence.patterns, i)))
                return 0;
        break;
    case MatchMapping_kind:
        FOLD_SEQ(expr, p->v.MatchMapping.keys);
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(p->v.MatchMapping.patterns); i++)
            if (!fold_pattern(o, asdl_seq_GET(p->v.MatchMapping.patterns, i)))
                return 0;
        break;
    case MatchClass_kind:
        FOLD(expr, p->v.MatchClass.cls);
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(p->v.MatchClass.patterns); i++)
            if (!fold_pattern(o, asdl_seq_GET(p->v.MatchClass.patterns, i)))
                return 0;
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(p->v.MatchClass.kwd_patterns); i++)
            if (!fold_pattern(o, asdl_seq_GET(p->v.MatchClass.kwd_patterns, i)))
                return 0;
        break;
    case MatchAs_kind:
        if (p->v.MatchAs.pattern && !fold_pattern(o, p->v.MatchAs.pattern))
            return 0;
        break;
    case MatchOr_kind:
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(p->v.MatchOr.patterns); i++)
            if (!fold_pattern(o, asdl_seq_GET(p->v.MatchOr.patterns, i)))
                return 0;
        break;
    default:
        break;
    }
    return 1;
}

static int fold_expr(opt *o, expr_ty e)
{
    pm_runtime *rt = o->rt;
    if (++o->depth > 3000) {
        pm_err_set(rt, PM_EXC_RecursionError, "maximum recursion depth exceeded during compilation");
        return 0;
    }
    switch (e->kind) {
    case BoolOp_kind:
        FOLD_SEQ(expr, e->v.BoolOp.values);
        break;
    case BinOp_kind:
        FOLD(expr, e->v.BinOp.left);
        FOLD(expr, e->v.BinOp.right);
        if (e->v.BinOp.op == Mod && is_const(e->v.BinOp.left) &&
            pm_str_check(e->v.BinOp.left->v.Constant.value) &&
            e->v.BinOp.right->kind == Tuple_kind && !has_starred(e->v.BinOp.right->v.Tuple.elts)) {
            if (!optimize_format(o, e, e->v.BinOp.left->v.Constant.value,
                                 e->v.BinOp.right->v.Tuple.elts))
                return 0;
            break;
        }
        if (is_const(e->v.BinOp.left) && is_const(e->v.BinOp.right)) {
            pm_object *a = e->v.BinOp.left->v.Constant.value, *b = e->v.BinOp.right->v.Constant.value;
            /* str % x is never folded */
            if (!(e->v.BinOp.op == Mod && (pm_str_check(a) || pm_bytes_check(a))) &&
                !make_const(o, e, binary(o, e->v.BinOp.op, a, b)))
                return 0;
        }
        break;
    case UnaryOp_kind:
        FOLD(expr, e->v.UnaryOp.operand);
        if (e->v.UnaryOp.op == Not && e->v.UnaryOp.operand->kind == Compare_kind &&
            asdl_seq_LEN(e->v.UnaryOp.operand->v.Compare.ops) == 1) {
            /* not (a is b) -> a is not b; not (a in b) -> a not in b; the
             * node becomes the comparison, positions included */
            expr_ty cmp = e->v.UnaryOp.operand;
            int op = asdl_seq_GET(cmp->v.Compare.ops, 0), nop = 0;
            switch (op) {
            case Is: nop = IsNot; break;
            case IsNot: nop = Is; break;
            case In: nop = NotIn; break;
            case NotIn: nop = In; break;
            default: nop = 0; break;
            }
            if (nop) {
                asdl_seq_SET(cmp->v.Compare.ops, 0, nop);
                *e = *cmp;
            }
            break;
        }
        if (is_const(e->v.UnaryOp.operand) &&
            !make_const(o, e, unary(o, e->v.UnaryOp.op, e->v.UnaryOp.operand->v.Constant.value)))
            return 0;
        break;
    case Lambda_kind:
        if (!fold_arguments(o, e->v.Lambda.args))
            return 0;
        FOLD(expr, e->v.Lambda.body);
        break;
    case IfExp_kind:
        FOLD(expr, e->v.IfExp.test);
        FOLD(expr, e->v.IfExp.body);
        FOLD(expr, e->v.IfExp.orelse);
        break;
    case Dict_kind:
        FOLD_SEQ(expr, e->v.Dict.keys);
        FOLD_SEQ(expr, e->v.Dict.values);
        break;
    case Set_kind:
        FOLD_SEQ(expr, e->v.Set.elts);
        break;
    case ListComp_kind:
        FOLD(expr, e->v.ListComp.elt);
        if (!fold_comprehensions(o, e->v.ListComp.generators))
            return 0;
        break;
    case SetComp_kind:
        FOLD(expr, e->v.SetComp.elt);
        if (!fold_comprehensions(o, e->v.SetComp.generators))
            return 0;
        break;
    case DictComp_kind:
        FOLD(expr, e->v.DictComp.key);
        FOLD(expr, e->v.DictComp.value);
        if (!fold_comprehensions(o, e->v.DictComp.generators))
            return 0;
        break;
    case GeneratorExp_kind:
        FOLD(expr, e->v.GeneratorExp.elt);
        if (!fold_comprehensions(o, e->v.GeneratorExp.generators))
            return 0;
        break;
    case Await_kind:
        FOLD(expr, e->v.Await.value);
        break;
    case Yield_kind:
        FOLD(expr, e->v.Yield.value);
        break;
    case YieldFrom_kind:
        FOLD(expr, e->v.YieldFrom.value);
        break;
    case Compare_kind:
        FOLD(expr, e->v.Compare.left);
        FOLD_SEQ(expr, e->v.Compare.comparators);
        {
            pm_ssize_t n = asdl_seq_LEN(e->v.Compare.ops);
            int last = asdl_seq_GET(e->v.Compare.ops, n - 1);
            if (last == In || last == NotIn)
                if (!fold_iter(o, asdl_seq_GET(e->v.Compare.comparators, n - 1)))
                    return 0;
        }
        break;
    case Call_kind:
        FOLD(expr, e->v.Call.func);
        FOLD_SEQ(expr, e->v.Call.args);
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.Call.keywords); i++)
            FOLD(expr, asdl_seq_GET(e->v.Call.keywords, i)->value);
        break;
    case FormattedValue_kind:
        FOLD(expr, e->v.FormattedValue.value);
        FOLD(expr, e->v.FormattedValue.format_spec);
        break;
    case JoinedStr_kind:
        FOLD_SEQ(expr, e->v.JoinedStr.values);
        break;
    case Attribute_kind:
        FOLD(expr, e->v.Attribute.value);
        break;
    case Subscript_kind:
        FOLD(expr, e->v.Subscript.value);
        FOLD(expr, e->v.Subscript.slice);
        if (e->v.Subscript.ctx == Load && is_const(e->v.Subscript.value) &&
            is_const(e->v.Subscript.slice)) {
            pm_object *v = e->v.Subscript.value->v.Constant.value;
            pm_object *k = e->v.Subscript.slice->v.Constant.value;
            /* only sequences indexed by an int (3.11 folds any subscript
             * that succeeds; code objects, complex... are not constants here) */
            if ((pm_str_check(v) || pm_bytes_check(v) || pm_tuple_check(v)) && pm_int_check(k)) {
                if (!make_const(o, e, pm_getitem(rt, v, k)))
                    return 0;
            }
        }
        break;
    case Starred_kind:
        FOLD(expr, e->v.Starred.value);
        break;
    case Slice_kind:
        FOLD(expr, e->v.Slice.lower);
        FOLD(expr, e->v.Slice.upper);
        FOLD(expr, e->v.Slice.step);
        break;
    case List_kind:
        FOLD_SEQ(expr, e->v.List.elts);
        break;
    case Tuple_kind:
        FOLD_SEQ(expr, e->v.Tuple.elts);
        if (e->v.Tuple.ctx == Load) {
            pm_object *t = make_const_tuple(o, e->v.Tuple.elts);
            if (t == NULL && pm_err_occurred(rt))
                return 0;
            if (t != NULL && !make_const(o, e, t))
                return 0;
        }
        break;
    case Name_kind:
        if (e->v.Name.ctx == Load && pm_str_equal_cstr(e->v.Name.id, "__debug__")) {
            if (!make_const(o, e, pm_newref(rt, pm_bool_from(!o->optimize))))
                return 0;
        }
        break;
    case NamedExpr_kind:
        FOLD(expr, e->v.NamedExpr.value);
        break;
    case Constant_kind:
        break;
    }
    o->depth--;
    return 1;
}

static int fold_body(opt *o, asdl_stmt_seq *body)
{
    FOLD_SEQ(stmt, body);
    return 1;
}

static int fold_stmt(opt *o, stmt_ty s)
{
    if (++o->depth > 3000) {
        pm_err_set(o->rt, PM_EXC_RecursionError, "maximum recursion depth exceeded during compilation");
        return 0;
    }
    switch (s->kind) {
    case FunctionDef_kind:
    case AsyncFunctionDef_kind:
        if (!fold_arguments(o, s->v.FunctionDef.args))
            return 0;
        if (!fold_body(o, s->v.FunctionDef.body))
            return 0;
        FOLD_SEQ(expr, s->v.FunctionDef.decorator_list);
        if (!(o->future & PMI_CO_FUTURE_ANNOTATIONS))
            FOLD(expr, s->v.FunctionDef.returns);
        break;
    case ClassDef_kind:
        FOLD_SEQ(expr, s->v.ClassDef.bases);
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(s->v.ClassDef.keywords); i++)
            FOLD(expr, asdl_seq_GET(s->v.ClassDef.keywords, i)->value);
        if (!fold_body(o, s->v.ClassDef.body))
            return 0;
        FOLD_SEQ(expr, s->v.ClassDef.decorator_list);
        break;
    case Return_kind:
        FOLD(expr, s->v.Return.value);
        break;
    case Delete_kind:
        FOLD_SEQ(expr, s->v.Delete.targets);
        break;
    case Assign_kind:
        FOLD_SEQ(expr, s->v.Assign.targets);
        FOLD(expr, s->v.Assign.value);
        break;
    case AugAssign_kind:
        FOLD(expr, s->v.AugAssign.target);
        FOLD(expr, s->v.AugAssign.value);
        break;
    case AnnAssign_kind:
        FOLD(expr, s->v.AnnAssign.target);
        if (!(o->future & PMI_CO_FUTURE_ANNOTATIONS))
            FOLD(expr, s->v.AnnAssign.annotation);
        FOLD(expr, s->v.AnnAssign.value);
        break;
    case For_kind:
    case AsyncFor_kind:
        FOLD(expr, s->v.For.target);
        FOLD(expr, s->v.For.iter);
        if (!fold_body(o, s->v.For.body) || !fold_body(o, s->v.For.orelse))
            return 0;
        if (!fold_iter(o, s->v.For.iter))
            return 0;
        break;
    case While_kind:
        FOLD(expr, s->v.While.test);
        if (!fold_body(o, s->v.While.body) || !fold_body(o, s->v.While.orelse))
            return 0;
        break;
    case If_kind:
        FOLD(expr, s->v.If.test);
        if (!fold_body(o, s->v.If.body) || !fold_body(o, s->v.If.orelse))
            return 0;
        break;
    case With_kind:
    case AsyncWith_kind:
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(s->v.With.items); i++) {
            withitem_ty w = asdl_seq_GET(s->v.With.items, i);
            FOLD(expr, w->context_expr);
            FOLD(expr, w->optional_vars);
        }
        if (!fold_body(o, s->v.With.body))
            return 0;
        break;
    case Raise_kind:
        FOLD(expr, s->v.Raise.exc);
        FOLD(expr, s->v.Raise.cause);
        break;
    case Try_kind:
    case TryStar_kind:
        if (!fold_body(o, s->v.Try.body))
            return 0;
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(s->v.Try.handlers); i++) {
            excepthandler_ty h = asdl_seq_GET(s->v.Try.handlers, i);
            FOLD(expr, h->v.ExceptHandler.type);
            if (!fold_body(o, h->v.ExceptHandler.body))
                return 0;
        }
        if (!fold_body(o, s->v.Try.orelse) || !fold_body(o, s->v.Try.finalbody))
            return 0;
        break;
    case Assert_kind:
        FOLD(expr, s->v.Assert.test);
        FOLD(expr, s->v.Assert.msg);
        break;
    case Expr_kind:
        FOLD(expr, s->v.Expr.value);
        break;
    case Match_kind:
        FOLD(expr, s->v.Match.subject);
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(s->v.Match.cases); i++) {
            match_case_ty m = asdl_seq_GET(s->v.Match.cases, i);
            if (!fold_pattern(o, m->pattern))
                return 0;
            FOLD(expr, m->guard);
            if (!fold_body(o, m->body))
                return 0;
        }
        break;
    default:
        break;
    }
    o->depth--;
    return 1;
}

int pmi_ast_optimize(pm_runtime *rt, mod_ty m, pmi_arena *a, int optimize, int future)
{
    opt o = { rt, a, optimize, future, 0 };
    switch (m->kind) {
    case Module_kind:
        return fold_body(&o, m->v.Module.body) ? 0 : -1;
    case Interactive_kind:
        return fold_body(&o, m->v.Interactive.body) ? 0 : -1;
    case Expression_kind:
        return fold_expr(&o, m->v.Expression.body) ? 0 : -1;
    default:
        return 0;
    }
}
