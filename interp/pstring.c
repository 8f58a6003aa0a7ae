/* String literals: decoding STRING tokens into Constant / JoinedStr nodes.
 *
 * A run of adjacent STRING tokens is one atom (implicit concatenation).
 * Each token is prefix + quotes + body; the body is decoded here:
 * escapes (\n, \x.., \u...., \U........, octal, \N{...}, line
 * continuation) unless the literal is raw; bytes must be ASCII.  An
 * f-string body is split into literal text and replacement fields
 * `{expr[=][!conv][:spec]}`; each expression is parsed by a sub-parser over
 * the same source text, so its nodes carry their true positions (as
 * CPython 3.11 reports them).  The nodes made here -- the Constant, the
 * JoinedStr and its parts, the FormattedValue nodes -- all take the
 * position of the whole run of tokens, except a format spec's JoinedStr,
 * which takes its own token's (CPython 3.11's string_parser.c behaves so).
 *
 * Literal text accumulates in a UCS-4 buffer (pm_malloc'd, freed on every
 * path) and becomes a str constant when an expression or the end is met.
 */
#include "parser_int.h"
#include "ucnames.h"
#include <string.h>

typedef struct ubuf {
    uint32_t *cp;   /* code points */
    size_t n;       /* used */
    size_t cap;     /* allocated */
} ubuf;

static int ub_push(pmi_parser *p, ubuf *b, uint32_t c)
{
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 64;
        uint32_t *n = pm_realloc(p->rt, b->cp, ncap * sizeof *n);
        if (n == NULL) {
            pmi_p_nomem(p);
            return -1;
        }
        b->cp = n;
        b->cap = ncap;
    }
    b->cp[b->n++] = c;
    return 0;
}

static void ub_free(pmi_parser *p, ubuf *b)
{
    pm_free(p->rt, b->cp);
    b->cp = NULL;
    b->n = b->cap = 0;
}

/* Decode one UTF-8 sequence (the source is valid UTF-8). */
static uint32_t utf8_decode(const char **ps)
{
    const unsigned char *s = (const unsigned char *)*ps;
    uint32_t c = s[0];
    int n = 1;
    if (c >= 0xF0) { c = ((c & 7u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu); n = 4; }
    else if (c >= 0xE0) { c = ((c & 15u) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu); n = 3; }
    else if (c >= 0xC0) { c = ((c & 31u) << 6) | (s[1] & 0x3Fu); n = 2; }
    *ps += n;
    return c;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}


/* Decode s[0..n) into b.  raw: no escapes.  is_bytes: \u, \U, \N are not
 * escapes and every character must be ASCII.  tok: for error positions. */
static int decode_escapes(pmi_parser *p, ubuf *b, const char *s, size_t n, int raw, int is_bytes,
                          pmi_token *tok, const char **first_invalid);

/* CPython's warn_invalid_escape_sequence: DeprecationWarning for the first
 * escape python3 does not know ('\d', or an octal one above 0o377) in a
 * piece of literal text, at its token's first line; not in the second
 * (error-reporting) pass, which would raise it twice. */
static int warn_invalid_escape(pmi_parser *p, const char *esc, pmi_token *tok)
{
    pmi_parser *top = p;
    while (top->parent != NULL)
        top = top->parent;
    if (p->call_invalid || top->call_invalid)
        return 0;
    int octal = esc[0] >= '4' && esc[0] <= '7';
    int r = octal ? pmi_warn(p->rt, p->err, PMI_WARN_DEPRECATION, top->src, top->srclen, tok->lineno, esc,
                             "invalid octal escape sequence '\\%.3s'", esc)
                  : pmi_warn(p->rt, p->err, PMI_WARN_DEPRECATION, top->src, top->srclen, tok->lineno, esc,
                             "invalid escape sequence '\\%c'", esc[0]);
    if (r < 0)
        pmi_p_nomem(p);
    return r;
}

static int decode_body(pmi_parser *p, ubuf *b, const char *s, size_t n, int raw, int is_bytes, pmi_token *tok)
{
    const char *first_invalid = NULL;
    if (decode_escapes(p, b, s, n, raw, is_bytes, tok, &first_invalid) < 0)
        return -1;
    return first_invalid != NULL ? warn_invalid_escape(p, first_invalid, tok) : 0;
}

/* decode_body's work; *first_invalid: where the first unknown escape's
 * character is (after its backslash). */
static int decode_escapes(pmi_parser *p, ubuf *b, const char *s, size_t n, int raw, int is_bytes,
                          pmi_token *tok, const char **first_invalid)
{
    const char *end = s + n;
    const char *b_start = s;   /* positions in messages count from here (bytes) */
    while (s < end) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x80) {
            if (is_bytes) {
                pmi_p_error(p, PMI_SYNTAX_ERROR, tok->lineno, tok->col_offset, tok->end_lineno,
                            tok->end_col_offset, "bytes can only contain ASCII literal characters");
                /* python3 reports this range's end in bytes, not characters */
                if (p->err->kind != 0 && tok->end_lineno == tok->lineno)
                    p->err->end_offset = tok->end_col_offset + 1;
                return -1;
            }
            if (ub_push(p, b, utf8_decode(&s)) < 0)
                return -1;
            continue;
        }
        if (c != '\\' || raw) {
            if (ub_push(p, b, c) < 0)
                return -1;
            s++;
            continue;
        }
        /* an escape */
        const char *esc = s;
        s++;
        if (s >= end) {
            if (ub_push(p, b, '\\') < 0)
                return -1;
            break;
        }
        c = (unsigned char)*s++;
        uint32_t v;
        switch (c) {
        case '\n': continue;
        case '\\': v = '\\'; break;
        case '\'': v = '\''; break;
        case '"': v = '"'; break;
        case 'a': v = 7; break;
        case 'b': v = 8; break;
        case 'f': v = 12; break;
        case 'n': v = 10; break;
        case 'r': v = 13; break;
        case 't': v = 9; break;
        case 'v': v = 11; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
            v = (uint32_t)(c - '0');
            if (s < end && *s >= '0' && *s <= '7') {
                v = v * 8 + (uint32_t)(*s++ - '0');
                if (s < end && *s >= '0' && *s <= '7')
                    v = v * 8 + (uint32_t)(*s++ - '0');
            }
            if (v > 0377 && *first_invalid == NULL)
                *first_invalid = s - 3;
            if (is_bytes)
                v &= 0xFF;
            break;
        case 'x': case 'u': case 'U': {
            if (is_bytes && c != 'x') {
                if (*first_invalid == NULL)
                    *first_invalid = s - 1;
                if (ub_push(p, b, '\\') < 0 || ub_push(p, b, c) < 0)
                    return -1;
                continue;
            }
            int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            v = 0;
            for (int i = 0; i < digits; i++) {
                int h = s < end ? hexval((unsigned char)*s) : -1;
                if (h < 0) {
                    pmi_p_error(p, PMI_SYNTAX_ERROR, tok->end_lineno, tok->end_col_offset, -1, -1,
                                "(%s error) '%s' codec can't decode bytes in position %ld-%ld: truncated \\%c%s escape",
                                is_bytes ? "value" : "unicode", is_bytes ? "bytes" : "unicodeescape",
                                (long)(esc - b_start), (long)(s - b_start - 1), c,
                                c == 'x' ? "XX" : c == 'u' ? "XXXX" : "XXXXXXXX");
                    return -1;
                }
                v = v * 16 + (uint32_t)h;
                s++;
            }
            if (v > 0x10FFFF) {
                pmi_p_error(p, PMI_SYNTAX_ERROR, tok->end_lineno, tok->end_col_offset, -1, -1,
                            "(unicode error) 'unicodeescape' codec can't decode bytes in position %ld-%ld: illegal Unicode character",
                            (long)(esc - b_start), (long)(s - b_start - 1));
                return -1;
            }
            break;
        }
        case 'N':
            if (!is_bytes) {
                const char *close = s < end && *s == '{' ? memchr(s, '}', (size_t)(end - s)) : NULL;
                if (close == NULL || close == s + 1 || pmi_unicode_lookup(s + 1, (size_t)(close - s - 1), &v) < 0) {
                    pmi_p_error(p, PMI_SYNTAX_ERROR, tok->end_lineno, tok->end_col_offset, -1, -1,
                                "(unicode error) 'unicodeescape' codec can't decode bytes in position %ld-%ld: %s",
                                (long)(esc - b_start), (long)((close ? close : s) - b_start),
                                close ? "unknown Unicode character name" : "malformed \\N character escape");
                    return -1;
                }
                s = close + 1;
                break;
            }
            /* not an escape in bytes */
            if (*first_invalid == NULL)
                *first_invalid = s - 1;
            if (ub_push(p, b, '\\') < 0)
                return -1;
            s--;
            continue;
        default:
            /* not an escape: both characters stay (a backslash before a
             * non-ASCII character is no escape at all for python3) */
            if (c < 0x80 && *first_invalid == NULL)
                *first_invalid = s - 1;
            if (ub_push(p, b, '\\') < 0)
                return -1;
            s--;
            continue;
        }
        if (ub_push(p, b, v) < 0)
            return -1;
    }
    return 0;
}

/* Token prefix flags */
typedef struct strinfo {
    int raw, bytes, fstr, u;
    const char *body;     /* body start */
    size_t len;           /* body length */
} strinfo;

static void split_token(pmi_token *t, strinfo *si)
{
    const char *s = t->start;
    si->raw = si->bytes = si->fstr = si->u = 0;
    while (*s != '\'' && *s != '"') {
        switch (*s) {
        case 'r': case 'R': si->raw = 1; break;
        case 'b': case 'B': si->bytes = 1; break;
        case 'f': case 'F': si->fstr = 1; break;
        case 'u': case 'U': si->u = 1; break;
        }
        s++;
    }
    size_t total = (size_t)(t->end - s);
    size_t q = (total >= 6 && s[0] == s[1] && s[1] == s[2]) ? 3 : 1;
    si->body = s + q;
    si->len = total - 2 * q;
}

/* ---- f-strings ----------------------------------------------------------------- */

typedef struct fstate {
    ubuf lit;          /* literal text not yet emitted */
    expr_ty *vals;     /* JoinedStr values so far */
    int n;             /* used */
    int cap;           /* allocated */
    int kind_u;        /* the run starts with a u'' literal: Constants get kind 'u' */
    int l1, c1, l2, c2;/* position of the whole run */
} fstate;

static int fs_push(pmi_parser *p, fstate *st, expr_ty e)
{
    if (st->n == st->cap) {
        int ncap = st->cap ? st->cap * 2 : 8;
        expr_ty *n = pm_realloc(p->rt, st->vals, (size_t)ncap * sizeof *n);
        if (n == NULL) {
            pmi_p_nomem(p);
            return -1;
        }
        st->vals = n;
        st->cap = ncap;
    }
    st->vals[st->n++] = e;
    return 0;
}

static pm_object *ub_str(pmi_parser *p, ubuf *b)
{
    pm_object *o = pm_str_from_ucs4(p->rt, b->cp, (pm_ssize_t)b->n);
    return pmi_p_own(p, o);
}

static pm_object *u_kind(pmi_parser *p)
{
    pm_object *o = pm_str_intern_cstr(p->rt, "u");
    return pmi_p_own(p, o);
}

/* Emit the pending literal as a Constant. */
static int flush_lit(pmi_parser *p, fstate *st)
{
    if (st->lit.n == 0)
        return 0;
    pm_object *v = ub_str(p, &st->lit);
    if (v == NULL)
        return -1;
    st->lit.n = 0;
    pm_object *kind = NULL;
    if (st->kind_u && (kind = u_kind(p)) == NULL)
        return -1;
    expr_ty c = pmi_ast_Constant(v, kind, st->l1, st->c1, st->l2, st->c2, p->arena);
    if (c == NULL) {
        pmi_p_nomem(p);
        return -1;
    }
    return fs_push(p, st, c);
}

/* An error at the token after the string run, as CPython's
 * RAISE_SYNTAX_ERROR does for f-string problems. */
static int fs_error(pmi_parser *p, const char *msg)
{
    pmi_token *t = pmi_p_peek(p, 0);
    if (t == NULL)
        return -1;
    pmi_p_error(p, PMI_SYNTAX_ERROR, t->lineno, t->col_offset, t->end_lineno, t->end_col_offset, "%s", msg);
    return -1;
}

static int fstring_body(pmi_parser *p, fstate *st, pmi_token *tok, const char **ps, const char *end, int raw,
                        int recurse_lvl);

/* Line and line start of position `at` inside token tok. */
static void locate(pmi_token *tok, const char *at, int *lineno, const char **line_start)
{
    int ln = tok->lineno;
    const char *ls = tok->start - tok->col_offset;
    for (const char *q = tok->start; q < at; q++)
        if (*q == '\n') {
            ln++;
            ls = q + 1;
        }
    *lineno = ln;
    *line_start = ls;
}

/* A replacement field; *ps is just past '{'. */
static int fstring_field(pmi_parser *p, fstate *st, pmi_token *tok, const char **ps, const char *end, int raw,
                         int recurse_lvl)
{
    const char *s = *ps;
    const char *expr_start = s;
    char stack[200];
    int depth = 0;
    char quote = 0;
    int qsize = 0;
    if (recurse_lvl >= 2)
        return fs_error(p, "f-string: expressions nested too deeply");
    for (; s < end; s++) {
        char ch = *s;
        if (ch == '\\')
            return fs_error(p, "f-string expression part cannot include a backslash");
        if (quote) {
            if (ch == quote) {
                if (qsize == 3) {
                    if (s + 2 < end && s[1] == ch && s[2] == ch) {
                        s += 2;
                        quote = 0;
                    }
                } else {
                    quote = 0;
                }
            }
            continue;
        }
        if (ch == '\'' || ch == '"') {
            if (s + 2 < end && s[1] == ch && s[2] == ch) {
                qsize = 3;
                s += 2;
            } else {
                qsize = 1;
            }
            quote = ch;
            continue;
        }
        if (ch == '[' || ch == '(' || ch == '{') {
            if (depth >= (int)sizeof stack)
                return fs_error(p, "f-string: too many nested parenthesis");
            stack[depth++] = ch;
            continue;
        }
        if (ch == '#')
            return fs_error(p, "f-string expression part cannot include '#'");
        if (depth == 0 && (ch == '!' || ch == ':' || ch == '}' || ch == '=' || ch == '>' || ch == '<')) {
            if (s + 1 < end && s[1] == '=' && ch != ':' && ch != '}') {
                s++;   /* !=, ==, <=, >= */
                continue;
            }
            if (ch == '>' || ch == '<')
                continue;
            break;
        }
        if (ch == ']' || ch == ')' || ch == '}') {
            if (depth == 0)
                return fs_error(p, "f-string: unmatched ')'");
            char open = stack[--depth];
            if (!((open == '(' && ch == ')') || (open == '[' && ch == ']') || (open == '{' && ch == '}')))
                return fs_error(p, "f-string: closing parenthesis does not match");
        }
    }
    if (quote)
        return fs_error(p, "f-string: unterminated string");
    if (s >= end)
        return fs_error(p, "f-string: expecting '}'");
    if (depth > 0)
        return fs_error(p, "f-string: expecting '}'");
    const char *expr_end = s;
    int all_space = 1;
    for (const char *q = expr_start; q < expr_end; q++)
        if (!(*q == ' ' || *q == '\t' || *q == '\n' || *q == '\f' || *q == '\r'))
            all_space = 0;
    if (all_space)
        return fs_error(p, "f-string: empty expression not allowed");
    int lineno;
    const char *line_start;
    locate(tok, expr_start, &lineno, &line_start);
    expr_ty value = pmi_p_fstring_expr(p, expr_start, expr_end, lineno, line_start);
    if (value == NULL)
        return -1;
    /* '=' : the expression text becomes literal text */
    int debug = 0;
    if (*s == '=') {
        debug = 1;
        s++;
        while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\f' || *s == '\r'))
            s++;
        const char *q = expr_start;
        while (q < s) {
            uint32_t c = (unsigned char)*q;
            if (c >= 0x80) {
                c = utf8_decode(&q);
            } else {
                q++;
            }
            if (ub_push(p, &st->lit, c) < 0)
                return -1;
        }
        if (s >= end)
            return fs_error(p, "f-string: expecting '}'");
    }
    int conversion = -1;
    if (*s == '!') {
        s++;
        if (s >= end)
            return fs_error(p, "f-string: expecting '}'");
        conversion = (unsigned char)*s;
        s++;
        if (conversion != 's' && conversion != 'r' && conversion != 'a')
            return fs_error(p, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
    }
    expr_ty spec = NULL;
    if (s < end && *s == ':') {
        s++;
        fstate sub;
        memset(&sub, 0, sizeof sub);
        sub.l1 = st->l1;
        sub.c1 = st->c1;
        sub.l2 = st->l2;
        sub.c2 = st->c2;
        int ok = fstring_body(p, &sub, tok, &s, end, raw, recurse_lvl + 1) == 0;
        /* the spec's last literal takes its own token's position (CPython
         * finishes the spec with the token as first and last token) */
        sub.l1 = tok->lineno;
        sub.c1 = tok->col_offset;
        sub.l2 = tok->end_lineno;
        sub.c2 = tok->end_col_offset;
        if (!ok || flush_lit(p, &sub) < 0) {
            ub_free(p, &sub.lit);
            pm_free(p->rt, sub.vals);
            return -1;
        }
        ub_free(p, &sub.lit);
        asdl_expr_seq *vals = pmi_asdl_expr_seq_new(p->arena, sub.n);
        if (vals == NULL) {
            pm_free(p->rt, sub.vals);
            pmi_p_nomem(p);
            return -1;
        }
        for (int i = 0; i < sub.n; i++)
            asdl_seq_SET(vals, i, sub.vals[i]);
        pm_free(p->rt, sub.vals);
        spec = pmi_ast_JoinedStr(vals, tok->lineno, tok->col_offset, tok->end_lineno, tok->end_col_offset,
                                 p->arena);
        if (spec == NULL) {
            pmi_p_nomem(p);
            return -1;
        }
    }
    if (s >= end || *s != '}')
        return fs_error(p, "f-string: expecting '}'");
    s++;
    if (debug && conversion == -1 && spec == NULL)
        conversion = 'r';
    if (flush_lit(p, st) < 0)
        return -1;
    expr_ty fv = pmi_ast_FormattedValue(value, conversion, spec, st->l1, st->c1, st->l2, st->c2, p->arena);
    if (fv == NULL) {
        pmi_p_nomem(p);
        return -1;
    }
    if (fs_push(p, st, fv) < 0)
        return -1;
    *ps = s;
    return 0;
}

/* The body of an f-string (recurse_lvl 0) or of a format spec (1): literal
 * text and fields, until the end (or the spec's closing '}', left unread). */
static int fstring_body(pmi_parser *p, fstate *st, pmi_token *tok, const char **ps, const char *end, int raw,
                        int recurse_lvl)
{
    const char *s = *ps;
    while (s < end) {
        const char *lit = s;
        /* literal run */
        while (s < end && *s != '{' && *s != '}') {
            if (!raw && *s == '\\' && s + 1 < end) {
                if (s[1] == 'N' && s + 2 < end && s[2] == '{') {
                    const char *close = memchr(s, '}', (size_t)(end - s));
                    s = close ? close + 1 : end;
                    continue;
                }
                s += 2;
                continue;
            }
            s++;
        }
        if (s > lit && decode_body(p, &st->lit, lit, (size_t)(s - lit), raw, 0, tok) < 0)
            return -1;
        if (s >= end)
            break;
        if (*s == '{') {
            if (recurse_lvl == 0 && s + 1 < end && s[1] == '{') {
                if (ub_push(p, &st->lit, '{') < 0)
                    return -1;
                s += 2;
                continue;
            }
            s++;
            if (fstring_field(p, st, tok, &s, end, raw, recurse_lvl) < 0)
                return -1;
            continue;
        }
        /* '}' */
        if (recurse_lvl > 0)
            break;
        if (s + 1 < end && s[1] == '}') {
            if (ub_push(p, &st->lit, '}') < 0)
                return -1;
            s += 2;
            continue;
        }
        return fs_error(p, "f-string: single '}' is not allowed");
    }
    *ps = s;
    return 0;
}

expr_ty pmi_p_strings(pmi_parser *p, int first, int last)
{
    fstate st;
    memset(&st, 0, sizeof st);
    pmi_token *ft = &p->toks[first], *lt = &p->toks[last];
    st.l1 = ft->lineno;
    st.c1 = ft->col_offset;
    st.l2 = lt->end_lineno;
    st.c2 = lt->end_col_offset;
    int any_f = 0, any_bytes = 0, any_str = 0;
    strinfo si;
    for (int i = first; i <= last; i++) {
        split_token(&p->toks[i], &si);
        any_f |= si.fstr;
        if (si.bytes)
            any_bytes = 1;
        else
            any_str = 1;
        if (i == first)
            st.kind_u = si.u;
    }
    if (any_bytes && any_str) {
        fs_error(p, "cannot mix bytes and nonbytes literals");
        return NULL;
    }
    expr_ty r = NULL;
    for (int i = first; i <= last; i++) {
        pmi_token *t = &p->toks[i];
        split_token(t, &si);
        if (si.fstr) {
            const char *s = si.body;
            if (fstring_body(p, &st, t, &s, si.body + si.len, si.raw, 0) < 0)
                goto done;
        } else if (decode_body(p, &st.lit, si.body, si.len, si.raw, si.bytes, t) < 0) {
            goto done;
        }
    }
    if (any_bytes) {
        char *buf = pm_malloc(p->rt, st.lit.n + 1);
        if (buf == NULL) {
            pmi_p_nomem(p);
            goto done;
        }
        for (size_t i = 0; i < st.lit.n; i++)
            buf[i] = (char)st.lit.cp[i];
        pm_object *b = pmi_p_own(p, pm_bytes_new(p->rt, buf, (pm_ssize_t)st.lit.n));
        pm_free(p->rt, buf);
        if (b != NULL) {
            r = pmi_ast_Constant(b, NULL, st.l1, st.c1, st.l2, st.c2, p->arena);
            if (r == NULL)
                pmi_p_nomem(p);
        }
        goto done;
    }
    if (!any_f) {
        pm_object *v = ub_str(p, &st.lit);
        if (v == NULL)
            goto done;
        pm_object *kind = NULL;
        if (st.kind_u && (kind = u_kind(p)) == NULL)
            goto done;
        r = pmi_ast_Constant(v, kind, st.l1, st.c1, st.l2, st.c2, p->arena);
        if (r == NULL)
            pmi_p_nomem(p);
        goto done;
    }
    if (flush_lit(p, &st) < 0)
        goto done;
    {
        asdl_expr_seq *vals = pmi_asdl_expr_seq_new(p->arena, st.n);
        if (vals == NULL) {
            pmi_p_nomem(p);
            goto done;
        }
        for (int i = 0; i < st.n; i++)
            asdl_seq_SET(vals, i, st.vals[i]);
        r = pmi_ast_JoinedStr(vals, st.l1, st.c1, st.l2, st.c2, p->arena);
        if (r == NULL)
            pmi_p_nomem(p);
    }
done:
    ub_free(p, &st.lit);
    pm_free(p->rt, st.vals);
    return r;
}
