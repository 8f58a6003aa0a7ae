/*
 * interp/unparse.c -- an expression back to source text, as CPython 3.11's
 * Python/ast_unparse.c writes it.  Under `from __future__ import
 * annotations` every annotation is compiled to this string instead of code:
 *
 *     def f(x: list[int] | None = None) -> 'T': ...
 *     __annotations__ == {'x': 'list[int] | None', 'return': "'T'"}
 *
 * The text is a canonical form, not the original spelling: single spaces
 * around binary operators, parentheses only where precedence needs them
 * (each node is written at a precedence level; a node binding less tightly
 * than its context is wrapped), constants through repr() (infinity as
 * 1e309).  Output goes to a growable UTF-8 buffer, then into one str.
 */
#include <string.h>
#include <math.h>
#include "compile.h"

enum {
    PR_TUPLE, PR_TEST, PR_OR, PR_AND, PR_NOT, PR_CMP, PR_EXPR, PR_BOR = PR_EXPR, PR_BXOR,
    PR_BAND, PR_SHIFT, PR_ARITH, PR_TERM, PR_FACTOR, PR_POWER, PR_AWAIT, PR_ATOM
};

typedef struct wbuf {
    pm_runtime *rt;  /* allocator */
    char *p;         /* UTF-8 text */
    size_t n;        /* used bytes */
    size_t cap;      /* allocated bytes */
    int depth;       /* recursion depth */
} wbuf;

static int put(wbuf *w, const char *s, size_t n)
{
    if (w->n + n + 1 > w->cap) {
        size_t nc = w->cap ? w->cap : 64;
        while (w->n + n + 1 > nc)
            nc *= 2;
        char *np = pm_realloc(w->rt, w->p, nc);
        if (np == NULL) {
            pm_err_nomem(w->rt);
            return -1;
        }
        w->p = np;
        w->cap = nc;
    }
    memcpy(w->p + w->n, s, n);
    w->n += n;
    return 0;
}

static int puts_(wbuf *w, const char *s)
{
    return put(w, s, strlen(s));
}

static int put_str(wbuf *w, pm_object *s)
{
    pm_ssize_t n;
    const char *u = pm_str_as_utf8(w->rt, s, &n);
    return u == NULL ? -1 : put(w, u, (size_t)n);
}

static int put_repr(wbuf *w, pm_object *o)
{
    if (pm_float_check(o) && isinf(pm_float_value(o)))
        return puts_(w, pm_float_value(o) < 0 ? "-1e309" : "1e309");
    double re, im;
    if (pmi_is_imaginary(w->rt, o, &re, &im)) {
        char buf[64];
        if (isinf(im))
            return puts_(w, im < 0 ? "-1e309j" : "1e309j");
        size_t n = pm_float_format_repr(im, buf, sizeof buf - 2);
        /* repr(2j) == '2j' (no '.0') */
        if (n >= 2 && buf[n - 2] == '.' && buf[n - 1] == '0')
            n -= 2;
        buf[n++] = 'j';
        return put(w, buf, n);
    }
    pm_object *r = pm_repr(w->rt, o);
    if (r == NULL)
        return -1;
    int rc = put_str(w, r);
    pm_decref(w->rt, r);
    return rc;
}

static int expr(wbuf *w, expr_ty e, int level);

#define PUT(s) do { if (puts_(w, (s)) < 0) return -1; } while (0)
#define PUT_IF(c, s) do { if ((c) && puts_(w, (s)) < 0) return -1; } while (0)
#define EXPR(e, l) do { if (expr(w, (e), (l)) < 0) return -1; } while (0)

static int put_constant(wbuf *w, pm_object *v)
{
    if (pm_tuple_check(v) && !pmi_is_imaginary(w->rt, v, &(double){ 0 }, &(double){ 0 })) {
        pm_ssize_t n = pm_tuple_size(v);
        PUT("(");
        for (pm_ssize_t i = 0; i < n; i++) {
            PUT_IF(i > 0, ", ");
            if (put_constant(w, pm_tuple_get(w->rt, v, i)) < 0)
                return -1;
        }
        PUT_IF(n == 1, ",");
        PUT(")");
        return 0;
    }
    return put_repr(w, v);
}

static int arg(wbuf *w, arg_ty a)
{
    if (put_str(w, a->arg) < 0)
        return -1;
    if (a->annotation) {
        PUT(": ");
        EXPR(a->annotation, PR_TEST);
    }
    return 0;
}

static int args(wbuf *w, arguments_ty a)
{
    int first = 1;
    pm_ssize_t npos = asdl_seq_LEN(a->posonlyargs), nargs = asdl_seq_LEN(a->args);
    pm_ssize_t ndef = asdl_seq_LEN(a->defaults);
    for (pm_ssize_t i = 0; i < npos + nargs; i++) {
        if (!first)
            PUT(", ");
        first = 0;
        if (arg(w, i < npos ? asdl_seq_GET(a->posonlyargs, i) : asdl_seq_GET(a->args, i - npos)) < 0)
            return -1;
        pm_ssize_t di = i - npos - nargs + ndef;
        if (di >= 0) {
            PUT("=");
            EXPR(asdl_seq_GET(a->defaults, di), PR_TEST);
        }
        PUT_IF(npos && i + 1 == npos, ", /");
    }
    if (a->vararg || asdl_seq_LEN(a->kwonlyargs)) {
        if (!first)
            PUT(", ");
        first = 0;
        PUT("*");
        if (a->vararg && arg(w, a->vararg) < 0)
            return -1;
    }
    pm_ssize_t nkw = asdl_seq_LEN(a->kwonlyargs), nkwd = asdl_seq_LEN(a->kw_defaults);
    for (pm_ssize_t i = 0; i < nkw; i++) {
        if (!first)
            PUT(", ");
        first = 0;
        if (arg(w, asdl_seq_GET(a->kwonlyargs, i)) < 0)
            return -1;
        pm_ssize_t di = i - nkw + nkwd;
        if (di >= 0 && asdl_seq_GET(a->kw_defaults, di)) {
            PUT("=");
            EXPR(asdl_seq_GET(a->kw_defaults, di), PR_TEST);
        }
    }
    if (a->kwarg) {
        if (!first)
            PUT(", ");
        PUT("**");
        if (arg(w, a->kwarg) < 0)
            return -1;
    }
    return 0;
}

static int comprehensions(wbuf *w, asdl_comprehension_seq *gens)
{
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(gens); i++) {
        comprehension_ty g = asdl_seq_GET(gens, i);
        PUT(g->is_async ? " async for " : " for ");
        EXPR(g->target, PR_TUPLE);
        PUT(" in ");
        EXPR(g->iter, PR_TEST + 1);
        for (pm_ssize_t j = 0; j < asdl_seq_LEN(g->ifs); j++) {
            PUT(" if ");
            EXPR(asdl_seq_GET(g->ifs, j), PR_TEST + 1);
        }
    }
    return 0;
}

static int fstring_element(wbuf *w, expr_ty e, int is_spec);

/* s with { and } doubled */
static int fstring_text(wbuf *w, pm_object *s)
{
    pm_ssize_t n;
    const char *u = pm_str_as_utf8(w->rt, s, &n);
    if (u == NULL)
        return -1;
    for (pm_ssize_t i = 0; i < n; i++) {
        if (put(w, u + i, 1) < 0)
            return -1;
        if ((u[i] == '{' || u[i] == '}') && put(w, u + i, 1) < 0)
            return -1;
    }
    return 0;
}

static int joinedstr(wbuf *w, expr_ty e, int is_spec)
{
    wbuf body = { w->rt, NULL, 0, 0, w->depth };
    int rc = -1;
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.JoinedStr.values); i++)
        if (fstring_element(&body, asdl_seq_GET(e->v.JoinedStr.values, i), is_spec) < 0)
            goto done;
    if (is_spec) {
        rc = put(w, body.p ? body.p : "", body.n);
    } else {
        pm_object *s = pm_str_from_utf8(w->rt, body.p ? body.p : "", (pm_ssize_t)body.n);
        if (s == NULL)
            goto done;
        rc = puts_(w, "f") < 0 ? -1 : put_repr(w, s);
        pm_decref(w->rt, s);
    }
done:
    pm_free(w->rt, body.p);
    return rc;
}

static int formattedvalue(wbuf *w, expr_ty e)
{
    wbuf inner = { w->rt, NULL, 0, 0, w->depth };
    if (expr(&inner, e->v.FormattedValue.value, PR_TEST + 1) < 0) {
        pm_free(w->rt, inner.p);
        return -1;
    }
    int rc = puts_(w, inner.n && inner.p[0] == '{' ? "{ " : "{");
    if (rc == 0)
        rc = put(w, inner.p, inner.n);
    pm_free(w->rt, inner.p);
    if (rc < 0)
        return -1;
    switch (e->v.FormattedValue.conversion) {
    case 'a': PUT("!a"); break;
    case 'r': PUT("!r"); break;
    case 's': PUT("!s"); break;
    default: break;
    }
    if (e->v.FormattedValue.format_spec) {
        PUT(":");
        if (fstring_element(w, e->v.FormattedValue.format_spec, 1) < 0)
            return -1;
    }
    PUT("}");
    return 0;
}

static int fstring_element(wbuf *w, expr_ty e, int is_spec)
{
    switch (e->kind) {
    case Constant_kind:
        return fstring_text(w, e->v.Constant.value);
    case JoinedStr_kind:
        return joinedstr(w, e, is_spec);
    case FormattedValue_kind:
        return formattedvalue(w, e);
    default:
        pm_err_set(w->rt, PM_EXC_SystemError, "unknown expression kind inside f-string");
        return -1;
    }
}

static const char *binop_text(operator_ty op, int *pr)
{
    switch (op) {
    case Add: *pr = PR_ARITH; return " + ";
    case Sub: *pr = PR_ARITH; return " - ";
    case Mult: *pr = PR_TERM; return " * ";
    case MatMult: *pr = PR_TERM; return " @ ";
    case Div: *pr = PR_TERM; return " / ";
    case Mod: *pr = PR_TERM; return " % ";
    case LShift: *pr = PR_SHIFT; return " << ";
    case RShift: *pr = PR_SHIFT; return " >> ";
    case BitOr: *pr = PR_BOR; return " | ";
    case BitXor: *pr = PR_BXOR; return " ^ ";
    case BitAnd: *pr = PR_BAND; return " & ";
    case FloorDiv: *pr = PR_TERM; return " // ";
    case Pow: *pr = PR_POWER; return " ** ";
    }
    *pr = PR_TEST;
    return " ? ";
}

static const char *cmp_text(int op)
{
    switch (op) {
    case Eq: return " == ";
    case NotEq: return " != ";
    case Lt: return " < ";
    case LtE: return " <= ";
    case Gt: return " > ";
    case GtE: return " >= ";
    case Is: return " is ";
    case IsNot: return " is not ";
    case In: return " in ";
    case NotIn: return " not in ";
    }
    return " ? ";
}

static int expr(wbuf *w, expr_ty e, int level)
{
    if (++w->depth > 3000) {
        pm_err_set(w->rt, PM_EXC_RecursionError, "maximum recursion depth exceeded during ast unparsing");
        return -1;
    }
    switch (e->kind) {
    case BoolOp_kind: {
        int pr = e->v.BoolOp.op == And ? PR_AND : PR_OR;
        PUT_IF(level > pr, "(");
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.BoolOp.values); i++) {
            PUT_IF(i > 0, e->v.BoolOp.op == And ? " and " : " or ");
            EXPR(asdl_seq_GET(e->v.BoolOp.values, i), pr + 1);
        }
        PUT_IF(level > pr, ")");
        break;
    }
    case BinOp_kind: {
        int pr, rassoc = e->v.BinOp.op == Pow;
        const char *op = binop_text(e->v.BinOp.op, &pr);
        PUT_IF(level > pr, "(");
        EXPR(e->v.BinOp.left, pr + rassoc);
        PUT(op);
        EXPR(e->v.BinOp.right, pr + !rassoc);
        PUT_IF(level > pr, ")");
        break;
    }
    case UnaryOp_kind: {
        int pr = e->v.UnaryOp.op == Not ? PR_NOT : PR_FACTOR;
        const char *op = e->v.UnaryOp.op == Invert ? "~" : e->v.UnaryOp.op == Not ? "not "
                         : e->v.UnaryOp.op == UAdd ? "+" : "-";
        PUT_IF(level > pr, "(");
        PUT(op);
        EXPR(e->v.UnaryOp.operand, pr);
        PUT_IF(level > pr, ")");
        break;
    }
    case Lambda_kind: {
        PUT_IF(level > PR_TEST, "(");
        pm_ssize_t npos = asdl_seq_LEN(e->v.Lambda.args->args) + asdl_seq_LEN(e->v.Lambda.args->posonlyargs);
        PUT(npos ? "lambda " : "lambda");
        if (args(w, e->v.Lambda.args) < 0)
            return -1;
        PUT(": ");
        EXPR(e->v.Lambda.body, PR_TEST);
        PUT_IF(level > PR_TEST, ")");
        break;
    }
    case IfExp_kind:
        PUT_IF(level > PR_TEST, "(");
        EXPR(e->v.IfExp.body, PR_TEST + 1);
        PUT(" if ");
        EXPR(e->v.IfExp.test, PR_TEST + 1);
        PUT(" else ");
        EXPR(e->v.IfExp.orelse, PR_TEST);
        PUT_IF(level > PR_TEST, ")");
        break;
    case Dict_kind:
        PUT("{");
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.Dict.values); i++) {
            PUT_IF(i > 0, ", ");
            expr_ty k = asdl_seq_GET(e->v.Dict.keys, i);
            if (k != NULL) {
                EXPR(k, PR_TEST);
                PUT(": ");
                EXPR(asdl_seq_GET(e->v.Dict.values, i), PR_TEST);
            } else {
                PUT("**");
                EXPR(asdl_seq_GET(e->v.Dict.values, i), PR_EXPR);
            }
        }
        PUT("}");
        break;
    case Set_kind:
        PUT("{");
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.Set.elts); i++) {
            PUT_IF(i > 0, ", ");
            EXPR(asdl_seq_GET(e->v.Set.elts, i), PR_TEST);
        }
        PUT("}");
        break;
    case GeneratorExp_kind:
        PUT("(");
        EXPR(e->v.GeneratorExp.elt, PR_TEST);
        if (comprehensions(w, e->v.GeneratorExp.generators) < 0)
            return -1;
        PUT(")");
        break;
    case ListComp_kind:
        PUT("[");
        EXPR(e->v.ListComp.elt, PR_TEST);
        if (comprehensions(w, e->v.ListComp.generators) < 0)
            return -1;
        PUT("]");
        break;
    case SetComp_kind:
        PUT("{");
        EXPR(e->v.SetComp.elt, PR_TEST);
        if (comprehensions(w, e->v.SetComp.generators) < 0)
            return -1;
        PUT("}");
        break;
    case DictComp_kind:
        PUT("{");
        EXPR(e->v.DictComp.key, PR_TEST);
        PUT(": ");
        EXPR(e->v.DictComp.value, PR_TEST);
        if (comprehensions(w, e->v.DictComp.generators) < 0)
            return -1;
        PUT("}");
        break;
    case Yield_kind:
        if (e->v.Yield.value == NULL) {
            PUT("(yield)");
        } else {
            PUT("(yield ");
            EXPR(e->v.Yield.value, PR_TEST);
            PUT(")");
        }
        break;
    case YieldFrom_kind:
        PUT("(yield from ");
        EXPR(e->v.YieldFrom.value, PR_TEST);
        PUT(")");
        break;
    case Await_kind:
        PUT_IF(level > PR_AWAIT, "(");
        PUT("await ");
        EXPR(e->v.Await.value, PR_ATOM);
        PUT_IF(level > PR_AWAIT, ")");
        break;
    case Compare_kind:
        PUT_IF(level > PR_CMP, "(");
        EXPR(e->v.Compare.left, PR_CMP + 1);
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.Compare.comparators); i++) {
            PUT(cmp_text(asdl_seq_GET(e->v.Compare.ops, i)));
            EXPR(asdl_seq_GET(e->v.Compare.comparators, i), PR_CMP + 1);
        }
        PUT_IF(level > PR_CMP, ")");
        break;
    case Call_kind: {
        EXPR(e->v.Call.func, PR_ATOM);
        pm_ssize_t na = asdl_seq_LEN(e->v.Call.args), nk = asdl_seq_LEN(e->v.Call.keywords);
        if (na == 1 && nk == 0 && asdl_seq_GET(e->v.Call.args, 0)->kind == GeneratorExp_kind) {
            EXPR(asdl_seq_GET(e->v.Call.args, 0), PR_TEST);
            break;
        }
        PUT("(");
        int first = 1;
        for (pm_ssize_t i = 0; i < na; i++) {
            PUT_IF(!first, ", ");
            first = 0;
            EXPR(asdl_seq_GET(e->v.Call.args, i), PR_TEST);
        }
        for (pm_ssize_t i = 0; i < nk; i++) {
            keyword_ty k = asdl_seq_GET(e->v.Call.keywords, i);
            PUT_IF(!first, ", ");
            first = 0;
            if (k->arg == NULL) {
                PUT("**");
            } else {
                if (put_str(w, k->arg) < 0)
                    return -1;
                PUT("=");
            }
            EXPR(k->value, PR_TEST);
        }
        PUT(")");
        break;
    }
    case Constant_kind:
        if (e->v.Constant.value == PM_ELLIPSIS) {
            PUT("...");
            break;
        }
        if (e->v.Constant.kind != NULL && put_str(w, e->v.Constant.kind) < 0)
            return -1;
        if (put_constant(w, e->v.Constant.value) < 0)
            return -1;
        break;
    case JoinedStr_kind:
        if (joinedstr(w, e, 0) < 0)
            return -1;
        break;
    case FormattedValue_kind:
        if (formattedvalue(w, e) < 0)
            return -1;
        break;
    case Attribute_kind: {
        expr_ty v = e->v.Attribute.value;
        EXPR(v, PR_ATOM);
        int int_const = v->kind == Constant_kind && pm_int_check(v->v.Constant.value) &&
                        pm_type_of(v->v.Constant.value) == &pm_int_type;
        PUT(int_const ? " ." : ".");
        if (put_str(w, e->v.Attribute.attr) < 0)
            return -1;
        break;
    }
    case Subscript_kind: {
        EXPR(e->v.Subscript.value, PR_ATOM);
        int lvl = PR_TUPLE;
        expr_ty sl = e->v.Subscript.slice;
        if (sl->kind == Tuple_kind)
            for (pm_ssize_t i = 0; i < asdl_seq_LEN(sl->v.Tuple.elts); i++)
                if (asdl_seq_GET(sl->v.Tuple.elts, i)->kind == Starred_kind) {
                    lvl++;
                    break;
                }
        PUT("[");
        EXPR(sl, lvl);
        PUT("]");
        break;
    }
    case Starred_kind:
        PUT("*");
        EXPR(e->v.Starred.value, PR_EXPR);
        break;
    case Name_kind:
        if (put_str(w, e->v.Name.id) < 0)
            return -1;
        break;
    case List_kind:
        PUT("[");
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.List.elts); i++) {
            PUT_IF(i > 0, ", ");
            EXPR(asdl_seq_GET(e->v.List.elts, i), PR_TEST);
        }
        PUT("]");
        break;
    case Tuple_kind: {
        pm_ssize_t n = asdl_seq_LEN(e->v.Tuple.elts);
        if (n == 0) {
            PUT("()");
            break;
        }
        PUT_IF(level > PR_TUPLE, "(");
        for (pm_ssize_t i = 0; i < n; i++) {
            PUT_IF(i > 0, ", ");
            EXPR(asdl_seq_GET(e->v.Tuple.elts, i), PR_TEST);
        }
        PUT_IF(n == 1, ",");
        PUT_IF(level > PR_TUPLE, ")");
        break;
    }
    case Slice_kind:
        if (e->v.Slice.lower)
            EXPR(e->v.Slice.lower, PR_TEST);
        PUT(":");
        if (e->v.Slice.upper)
            EXPR(e->v.Slice.upper, PR_TEST);
        if (e->v.Slice.step) {
            PUT(":");
            EXPR(e->v.Slice.step, PR_TEST);
        }
        break;
    case NamedExpr_kind:
        PUT_IF(level > PR_TUPLE, "(");
        EXPR(e->v.NamedExpr.target, PR_ATOM);
        PUT(" := ");
        EXPR(e->v.NamedExpr.value, PR_ATOM);
        PUT_IF(level > PR_TUPLE, ")");
        break;
    }
    w->depth--;
    return 0;
}

pm_object *pmi_unparse_expr(pm_runtime *rt, expr_ty e)
{
    wbuf w = { rt, NULL, 0, 0, 0 };
    pm_object *r = NULL;
    if (expr(&w, e, PR_TEST) == 0)
        r = pm_str_from_utf8(rt, w.p ? w.p : "", (pm_ssize_t)w.n);
    pm_free(rt, w.p);
    return r;
}
