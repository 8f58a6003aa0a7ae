/* The tokenizer: decoded source text to a stream of tokens.
 *
 * Mirrors CPython 3.11's Parser/tokenizer.c (tok_get): the same token kinds,
 * the same handling of indentation (a stack of columns, tabs to multiples of
 * 8, with a second stack of tab-size-1 columns to detect inconsistent tabs),
 * of brackets (a stack of at most 200 open brackets; newlines inside
 * brackets are ignored), of blank and comment-only lines (no NEWLINE), and
 * the same error messages at the same positions.
 *
 *   source --decode--> UTF-8 text, '\n' line ends, '\n'-terminated
 *          --next----> NAME NUMBER STRING OP NEWLINE INDENT DEDENT ENDMARKER
 *
 * States: `atbol` (at the start of a line: measure indentation next),
 * `pendin` (INDENT (>0) or DEDENT (<0) tokens still to hand out), `level`
 * (open brackets), `done` (ENDMARKER handed out).
 *
 * A STRING token is the literal's whole text, prefix and quotes included; the
 * parser decodes it (and parses f-strings).  Error positions follow
 * CPython's convention: the offset reported is the column of the reading
 * position `cur` when the error is found.
 */
#include "tokenizer.h"
#include "srcenc.h"
#include "ucnames.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PMI_TOK_MAXINDENT 100   /* CPython's MAXINDENT */
#define PMI_TOK_MAXLEVEL 200    /* CPython's MAXLEVEL: "too many nested parentheses" */
#define PMI_TOK_TABSIZE 8

const char *const pmi_tok_op_names[PMI_OP_COUNT] = {
    "",
#define PMI_TOK_OP_NAME_(n, s) s,
    PMI_TOK_OPS(PMI_TOK_OP_NAME_)
#undef PMI_TOK_OP_NAME_
};

const char *const pmi_keyword_names[PMI_KW_COUNT] = {
    "",
#define PMI_KW_NAME_(n, s) s,
    PMI_KEYWORDS(PMI_KW_NAME_)
#undef PMI_KW_NAME_
};

struct pmi_tokenizer {
    pm_runtime *rt;             /* allocator, error state */
    pmi_syntax_error *err;      /* where errors go */
    char *buf;                  /* decoded source, NUL-terminated (owned) */
    size_t len;                 /* bytes in buf */
    const char *cur;            /* next character to read */
    const char *line_start;     /* start of the current line */
    int lineno;                 /* current line, 1-based */
    int atbol;                  /* at the beginning of a line */
    int pendin;                 /* pending INDENT (>0) / DEDENT (<0) */
    int indent;                 /* top of the indentation stacks */
    int indstack[PMI_TOK_MAXINDENT];    /* indentation columns (tabs to 8) */
    int altindstack[PMI_TOK_MAXINDENT]; /* same with tabs as 1 column */
    int level;                  /* open brackets */
    char parenstack[PMI_TOK_MAXLEVEL];  /* the bracket characters */
    int parenlinenostack[PMI_TOK_MAXLEVEL]; /* their lines */
    int parencolstack[PMI_TOK_MAXLEVEL];    /* their byte columns */
    int cont_line;              /* the line was continued with a backslash */
    int done;                   /* ENDMARKER returned */
    const char *limit;          /* end of the text to tokenize */
    int owns_buf;               /* buf is ours to free (not a sub-tokenizer) */
};

/* ---- errors ------------------------------------------------------------ */

static int tok_verror(pmi_tokenizer *t, int kind, int lineno, int col, int end_lineno, int end_col,
                      const char *fmt, va_list ap)
{
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (pmi_syntax_error_set(t->rt, t->err, kind, t->buf, t->len, lineno, col, end_lineno, end_col,
                             "%s", msg) < 0)
        return -1;
    return -1;
}

int pmi_tokenizer_error(pmi_tokenizer *t, int kind, int lineno, int col, int end_lineno, int end_col,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tok_verror(t, kind, lineno, col, end_lineno, end_col, fmt, ap);
    va_end(ap);
    return -1;
}

/* An error whose offset is the reading position (CPython's syntaxerror()):
 * reported column = cur - line_start, i.e. 1-based it names the character
 * just read. */
static int tok_error_here(pmi_tokenizer *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int tok_error_here(pmi_tokenizer *t, const char *fmt, ...)
{
    va_list ap;
    int col = (int)(t->cur - t->line_start) - 1;
    va_start(ap, fmt);
    tok_verror(t, PMI_SYNTAX_ERROR, t->lineno, col, t->lineno, col, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- decoding ------------------------------------------------------------ */

/* Length of a valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0) {
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0;
        if (c == 0xED && s[1] >= 0xA0)   /* surrogates */
            return 0;
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0;
        if (c == 0xF4 && s[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

/* The coding cookie on a line (PEP 263), copied into name; 1 if found. */
static int find_cookie(const char *line, size_t n, char *name, size_t cap)
{
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f'))
        i++;
    if (i >= n || line[i] != '#')
        return 0;
    for (; i + 6 < n; i++) {
        if (memcmp(line + i, "coding", 6) == 0 && (line[i + 6] == ':' || line[i + 6] == '=')) {
            size_t j = i + 7, k = 0;
            while (j < n && (line[j] == ' ' || line[j] == '\t'))
                j++;
            while (j < n && k + 1 < cap) {
                char c = line[j];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.'))
                    break;
                name[k++] = c;
                j++;
            }
            name[k] = '\0';
            if (k > 0)
                return 1;
        }
    }
    return 0;
}

/* CPython's get_normal_name: "utf-8" for the utf-8 family, "iso-8859-1"
 * for the latin-1 family (first 12 characters, '_' as '-', any case),
 * else the cookie as written (copied into out). */
static void normal_name(const char *name, char *out, size_t cap)
{
    char buf[13];
    size_t i;
    for (i = 0; i < 12 && name[i]; i++) {
        char c = name[i];
        buf[i] = c == '_' ? '-' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    buf[i] = '\0';
    const char *r = name;
    if (strcmp(buf, "utf-8") == 0 || strncmp(buf, "utf-8-", 6) == 0)
        r = "utf-8";
    else if (strcmp(buf, "latin-1") == 0 || strcmp(buf, "iso-8859-1") == 0 || strcmp(buf, "iso-latin-1") == 0 ||
             strncmp(buf, "latin-1-", 8) == 0 || strncmp(buf, "iso-8859-1-", 11) == 0 ||
             strncmp(buf, "iso-latin-1-", 12) == 0)
        r = "iso-8859-1";
    snprintf(out, cap, "%s", r);
}

static int srcenc_find(const char *norm, int aliases_only)
{
    size_t lo = 0, hi = sizeof srcenc_names / sizeof srcenc_names[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(norm, srcenc_names[mid].name);
        if (c < 0)
            hi = mid;
        else if (c > 0)
            lo = mid + 1;
        else
            return aliases_only && !srcenc_names[mid].alias ? -1 : srcenc_names[mid].codec;
    }
    return -1;
}

/* python3's codec registry on a cookie: lower case, runs of characters
 * other than letters, digits and '.' as one '_' (encodings'
 * normalize_encoding), then the alias table (also with '.' as '_') and
 * the module names.  A table index or SRCENC_*, -1 when pymm has no such
 * codec. */
static int srcenc_lookup(const char *cs)
{
    char norm[80];
    size_t k = 0;
    int punct = 0;
    for (const char *p = cs; *p; p++) {
        char c = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.') {
            if (k + 3 > sizeof norm)
                return -1;
            if (punct && k)
                norm[k++] = '_';
            norm[k++] = c;
            punct = 0;
        } else {
            punct = 1;
        }
    }
    norm[k] = '\0';
    int r = srcenc_find(norm, 0);
    if (r >= 0 || strchr(norm, '.') == NULL)
        return r;
    for (size_t i = 0; i < k; i++)
        if (norm[i] == '.')
            norm[i] = '_';
    return srcenc_find(norm, 1);
}

/* A byte python3's codec cannot decode: as python3 reports it when running
 * a file.  Its tokenizer reopens the file with the codec at the end of the
 * cookie line minus one byte and reads 8192-byte chunks: an error in the
 * first chunk (read at once) is "encoding problem: NAME"; a later one is
 * the codec's message with the position in its chunk, at the last line
 * read whole before that chunk (decoded: out[0..o)). */
static int decode_error(pmi_tokenizer *t, const char *cs, int codec, const char *src, size_t off,
                        size_t chunk0, const char *out, size_t o)
{
    pm_runtime *rt = t->rt;
    if (off < chunk0 || off - chunk0 < 8192)   /* before or in the first chunk */
        return pmi_syntax_error_set(rt, t->err, PMI_SYNTAX_ERROR, NULL, 0, 0, -1, -1, -1,
                                    "encoding problem: %s", cs) < 0 ? -1 : 1;
    size_t start = chunk0 + (off - chunk0) / 8192 * 8192;
    int lineno = 1;
    for (size_t i = 0; i < start; i++)
        if (src[i] == '\n')
            lineno++;
    lineno--;                           /* the line holding `start` is not whole */
    unsigned char c = (unsigned char)src[off];
    const char *name = codec == SRCENC_UTF8 ? "utf-8" : codec == SRCENC_ASCII ? "ascii" : "charmap";
    const char *why = codec == SRCENC_UTF8 ? "invalid start byte"
                      : codec == SRCENC_ASCII ? "ordinal not in range(128)"
                                              : "character maps to <undefined>";
    return pmi_syntax_error_set(rt, t->err, PMI_SYNTAX_ERROR, out, o, lineno, -1, -1, -1,
                                "(unicode error) '%s' codec can't decode byte 0x%02x in position %zu: %s",
                                name, c, off - start, why) < 0 ? -1 : 1;
}

static int decode_source(pmi_tokenizer *t, const char *src, size_t len)
{
    pm_runtime *rt = t->rt;
    int bom = 0;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
        src += 3;
        len -= 3;
        bom = 1;
    }
    /* the cookie: line 1, or line 2 if line 1 is only a comment/blank */
    int enc = 1;                /* 1: utf-8 (default or "utf-8"); else 2 + srcenc codec */
    int found_on_line2 = 0;
    char name[64];
    const char *l1end = memchr(src, '\n', len);
    size_t l1 = l1end ? (size_t)(l1end - src) : len;
    int found = find_cookie(src, l1, name, sizeof name);
    if (!found && l1end != NULL) {
        size_t i = 0;
        while (i < l1 && (src[i] == ' ' || src[i] == '\t' || src[i] == '\f' || src[i] == '\r'))
            i++;
        if (i == l1 || src[i] == '#') {
            const char *l2 = l1end + 1;
            const char *l2end = memchr(l2, '\n', len - (size_t)(l2 - src));
            size_t n2 = l2end ? (size_t)(l2end - l2) : len - (size_t)(l2 - src);
            found = found_on_line2 = find_cookie(l2, n2, name, sizeof name);
        }
    }
    char cs[64];
    size_t chunk0 = 0;          /* where python3's reopened file starts (decode_error) */
    if (found) {
        normal_name(name, cs, sizeof cs);
        /* with a BOM only "utf-8" itself (or "utf-8-...") is accepted */
        if (bom && strcmp(cs, "utf-8") != 0) {
            pmi_syntax_error_set(rt, t->err, PMI_SYNTAX_ERROR, NULL, 0, 0, -1, -1, -1,
                                 "encoding problem: %s with BOM", cs);
            return -1;
        }
        if (strcmp(cs, "utf-8") != 0) {
            enc = srcenc_lookup(cs);
            if (enc < 0) {
                pmi_syntax_error_set(rt, t->err, PMI_SYNTAX_ERROR, NULL, 0, 0, -1, -1, -1,
                                     "encoding problem: %s", cs);
                return -1;
            }
            enc += 2;           /* 0/1 are the default utf-8 paths */
            const char *cl = memchr(src, '\n', len);
            if (found_on_line2 && cl != NULL)
                cl = memchr(cl + 1, '\n', len - (size_t)(cl + 1 - src));
            chunk0 = cl ? (size_t)(cl - src) : len;
        }
    }
    /* worst case: latin-1 doubles every byte; +2 for a final newline, NUL */
    size_t cap = (enc >= 2 ? len * 3 : len) + 2;
    char *out = pm_malloc(rt, cap);
    if (out == NULL) {
        pm_err_nomem(rt);
        return -1;
    }
    size_t o = 0;
    int lineno = 1;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\r') {
            out[o++] = '\n';
            i += (i + 1 < len && src[i + 1] == '\n') ? 2 : 1;
            lineno++;
            continue;
        }
        if (c == '\n')
            lineno++;
        if (c < 0x80) {
            out[o++] = (char)c;
            i++;
        } else if (enc >= 2 && enc - 2 != SRCENC_UTF8) {
            int codec = enc - 2;
            uint32_t u = codec == SRCENC_LATIN1 ? c : codec == SRCENC_ASCII ? 0xFFFF : srcenc_high[codec][c - 0x80];
            if (u == 0xFFFF) {
                int r = decode_error(t, cs, codec, src, i, chunk0, out, o);
                pm_free(rt, out);
                (void)r;
                return -1;
            }
            if (u < 0x80) {             /* mac_arabic's and mac_farsi's ASCII copies */
                out[o++] = (char)u;
            } else if (u < 0x800) {
                out[o++] = (char)(0xC0 | (u >> 6));
                out[o++] = (char)(0x80 | (u & 0x3F));
            } else {
                out[o++] = (char)(0xE0 | (u >> 12));
                out[o++] = (char)(0x80 | ((u >> 6) & 0x3F));
                out[o++] = (char)(0x80 | (u & 0x3F));
            }
            i++;
        } else {
            size_t n = utf8_seq((const unsigned char *)src + i, len - i);
            if (n == 0 && enc >= 2) {   /* utf-8 by another name: python3's io reads it */
                decode_error(t, cs, SRCENC_UTF8, src, i, chunk0, out, o);
                pm_free(rt, out);
                return -1;
            }
            if (n == 0) {
                pm_free(rt, out);
                if (found) {
                    pmi_syntax_error_set(rt, t->err, PMI_SYNTAX_ERROR, NULL, 0, 0, -1, -1, -1,
                                         "(unicode error) 'utf-8' codec can't decode byte 0x%02x in "
                                         "position %zu: invalid start byte", c, i);
                } else {
                    pmi_syntax_error_set(rt, t->err, PMI_SYNTAX_ERROR, NULL, 0, 0, -1, -1, -1,
                                         "Non-UTF-8 code starting with '\\x%02x' in file %s on line %d, "
                                         "but no encoding declared; see https://peps.python.org/pep-0263/ "
                                         "for details", c, "%FILE%", lineno);
                }
                return -1;
            }
            memcpy(out + o, src + i, n);
            o += n;
            i += n;
        }
    }
    if (o == 0 || out[o - 1] != '\n')
        out[o++] = '\n';
    out[o] = '\0';
    t->buf = out;
    t->len = o;
    /* NUL bytes: CPython reads line by line and stops at the first one */
    const char *nul = memchr(out, '\0', o);
    if (nul != NULL) {
        int ln = 1;
        const char *ls = out;
        for (const char *p = out; p < nul; p++)
            if (*p == '\n') {
                ln++;
                ls = p + 1;
            }
        pmi_syntax_error_set(rt, t->err, PMI_SYNTAX_ERROR, out, o, ln, -1, -1, -1,
                             "source code cannot contain null bytes");
        if (t->err->text != NULL) {
            /* the text is the line up to the NUL */
            pm_object *s = pm_str_from_utf8(rt, ls, (pm_ssize_t)(nul - ls));
            if (s == NULL)
                return -1;
            pm_decref(rt, t->err->text);
            t->err->text = s;
        }
        t->err->offset = 0;
        return -1;
    }
    return 0;
}

pmi_tokenizer *pmi_tokenizer_new(pm_runtime *rt, const char *src, size_t len, pmi_syntax_error *err)
{
    pmi_tokenizer *t = pm_malloc(rt, sizeof *t);
    if (t == NULL) {
        pm_err_nomem(rt);
        return NULL;
    }
    memset(t, 0, sizeof *t);
    t->rt = rt;
    t->err = err;
    t->owns_buf = 1;
    if (decode_source(t, src, len) < 0) {
        pmi_tokenizer_free(t);
        return NULL;
    }
    t->cur = t->buf;
    t->line_start = t->buf;
    t->lineno = 1;
    t->atbol = 1;
    t->limit = t->buf + t->len;
    t->owns_buf = 1;
    return t;
}

pmi_tokenizer *pmi_tokenizer_sub(pmi_tokenizer *parent, const char *start, const char *end, int lineno,
                                 const char *line_start)
{
    pmi_tokenizer *t = pm_malloc(parent->rt, sizeof *t);
    if (t == NULL) {
        pm_err_nomem(parent->rt);
        return NULL;
    }
    memset(t, 0, sizeof *t);
    t->rt = parent->rt;
    t->err = parent->err;
    t->buf = parent->buf;
    t->len = parent->len;
    t->cur = start;
    t->limit = end;
    t->line_start = line_start;
    t->lineno = lineno;
    t->atbol = 0;
    t->level = 1;   /* as if inside the parentheses CPython wraps around it */
    t->parenstack[0] = '(';
    t->parenlinenostack[0] = lineno;
    t->parencolstack[0] = (int)(start - line_start);
    t->owns_buf = 0;
    return t;
}

void pmi_tokenizer_free(pmi_tokenizer *t)
{
    if (t == NULL)
        return;
    if (t->owns_buf)
        pm_free(t->rt, t->buf);
    pm_free(t->rt, t);
}

const char *pmi_tokenizer_source(const pmi_tokenizer *t, size_t *len)
{
    *len = t->len;
    return t->buf;
}

int pmi_tokenizer_level(const pmi_tokenizer *t, char *paren, int *lineno, int *col)
{
    if (t->level > 0) {
        *paren = t->parenstack[t->level - 1];
        *lineno = t->parenlinenostack[t->level - 1];
        *col = t->parencolstack[t->level - 1];
    }
    return t->level;
}

/* ---- reading ------------------------------------------------------------- */

static int at_eof(const pmi_tokenizer *t)
{
    return t->cur >= t->limit;
}

/* Next character (as unsigned), or -1 at the end; keeps line bookkeeping. */
static int nextc(pmi_tokenizer *t)
{
    if (at_eof(t))
        return -1;
    int c = (unsigned char)*t->cur++;
    if (c == '\n') {
        t->lineno++;
        t->line_start = t->cur;
    }
    return c;
}

/* Undo nextc (c != -1; never across a newline we counted unless c == '\n'). */
static void backup(pmi_tokenizer *t, int c)
{
    if (c == -1)
        return;
    t->cur--;
    if (c == '\n') {
        t->lineno--;
        const char *p = t->cur;
        while (p > t->buf && p[-1] != '\n')
            p--;
        t->line_start = p;
    }
}

static int peekc(const pmi_tokenizer *t)
{
    return at_eof(t) ? -1 : (unsigned char)*t->cur;
}

static int is_id_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 128;
}

static int is_id_char(int c)
{
    return is_id_start(c) || (c >= '0' && c <= '9');
}

static int keyword_of(const char *s, size_t n)
{
    for (int k = 1; k < PMI_KW_COUNT; k++) {
        const char *kw = pmi_keyword_names[k];
        if (strlen(kw) == n && memcmp(kw, s, n) == 0)
            return k;
    }
    return PMI_KW_NONE;
}

static void tok_set(pmi_tokenizer *t, pmi_token *tok, int type, const char *start, int lineno, int col)
{
    tok->type = type;
    tok->op = 0;
    tok->kw = 0;
    tok->start = start;
    tok->end = t->cur;
    tok->lineno = lineno;
    tok->col_offset = col;
    tok->end_lineno = t->lineno;
    tok->end_col_offset = (int)(t->cur - t->line_start);
    tok->level = t->level;
}

/* Characters python3 does not print (str.isprintable() false) among the
 * ones likely in source; others are shown in the message. */
static int is_unprintable(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD || (cp >= 0x2000 && cp <= 0x200F) ||
           (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 ||
           cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0xE000 && cp <= 0xF8FF);
}

/* A NAME with non-ASCII characters must be an identifier (CPython's
 * verify_identifier): report the first character that is not. */
static int verify_identifier(pmi_tokenizer *t, const char *start)
{
    const unsigned char *p = (const unsigned char *)start, *end = (const unsigned char *)t->cur;
    int ascii = 1;
    for (const unsigned char *q = p; q < end; q++)
        if (*q >= 0x80)
            ascii = 0;
    if (ascii)
        return 0;
    int first = 1;
    while (p < end) {
        const unsigned char *cstart = p;
        uint32_t cp = *p;
        size_t n = 1;
        if (cp >= 0xF0) { cp = ((cp & 7u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu); n = 4; }
        else if (cp >= 0xE0) { cp = ((cp & 15u) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu); n = 3; }
        else if (cp >= 0xC0) { cp = ((cp & 31u) << 6) | (p[1] & 0x3Fu); n = 2; }
        p += n;
        int ok = first ? pmi_unicode_is_xid_start(cp) : pmi_unicode_is_xid_continue(cp);
        first = 0;
        if (!ok) {
            /* the reading position goes just past the bad character */
            t->cur = (const char *)p;
            int col = (int)((const char *)cstart - t->line_start);
            if (is_unprintable(cp))
                return pmi_tokenizer_error(t, PMI_SYNTAX_ERROR, t->lineno, col, t->lineno, col,
                                           "invalid non-printable character U+%04X", (unsigned)cp);
            return pmi_tokenizer_error(t, PMI_SYNTAX_ERROR, t->lineno, col, t->lineno, col,
                                       "invalid character '%.*s' (U+%04X)", (int)n, (const char *)cstart,
                                       (unsigned)cp);
        }
    }
    return 0;
}

/* ---- numbers ------------------------------------------------------------- */

/* After a number: a letter glued to it is an error, except the keywords
 * that may follow a number (CPython's verify_end_of_number; the deprecation
 * warning it gives is not reproduced). */
static int verify_end_of_number(pmi_tokenizer *t, int c, const char *kind)
{
    static const char *const ok[] = {"and", "else", "for", "if", "in", "is", "not", "or"};
    if (c == -1 || !is_id_char(c))
        return 0;
    const char *p = t->cur - 1;   /* c was read: it is at cur-1 */
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t n = strlen(ok[i]);
        if ((size_t)(t->buf + t->len - p) >= n && memcmp(p, ok[i], n) == 0)
            return 0;
    }
    backup(t, c);
    tok_error_here(t, "invalid %s literal", kind);
    return -1;
}

/* digits with single underscores between them; c is the first digit read.
 * Returns the first character after, or -2 after an error. */
static int decimal_tail(pmi_tokenizer *t, int c)
{
    for (;;) {
        while (c >= '0' && c <= '9')
            c = nextc(t);
        if (c != '_')
            break;
        c = nextc(t);
        if (!(c >= '0' && c <= '9')) {
            backup(t, c);
            tok_error_here(t, "invalid decimal literal");
            return -2;
        }
    }
    return c;
}

static int is_digit_in(int c, int base)
{
    if (base == 16)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    return c >= '0' && c < '0' + base;
}

static int number(pmi_tokenizer *t, pmi_token *tok, int c, const char *start, int lineno, int col)
{
    if (c == '0') {
        c = nextc(t);
        int base = 0;
        const char *kind = NULL;
        if (c == 'x' || c == 'X') { base = 16; kind = "hexadecimal"; }
        else if (c == 'o' || c == 'O') { base = 8; kind = "octal"; }
        else if (c == 'b' || c == 'B') { base = 2; kind = "binary"; }
        if (base) {
            c = nextc(t);
            do {
                if (c == '_')
                    c = nextc(t);
                if (!is_digit_in(c, base)) {
                    if (base != 16 && c >= '0' && c <= '9') {
                        return tok_error_here(t, "invalid digit '%c' in %s literal", c, kind);
                    }
                    backup(t, c);
                    return tok_error_here(t, "invalid %s literal", kind);
                }
                do {
                    c = nextc(t);
                } while (is_digit_in(c, base));
            } while (c == '_');
            if (base != 16 && c >= '0' && c <= '9')
                return tok_error_here(t, "invalid digit '%c' in %s literal", c, kind);
            if (verify_end_of_number(t, c, kind) < 0)
                return -1;
            backup(t, c);
            tok_set(t, tok, PMI_T_NUMBER, start, lineno, col);
            return 0;
        }
        /* maybe old-style octal: zeros, then digits means an error unless
         * it turns out to be a float or imaginary */
        int nonzero = 0;
        while (c == '0' || c == '_') {
            if (c == '_') {
                c = nextc(t);
                if (!(c >= '0' && c <= '9')) {
                    backup(t, c);
                    return tok_error_here(t, "invalid decimal literal");
                }
            }
            if (c != '0')
                break;
            c = nextc(t);
        }
        const char *zeros_end = t->cur - 1;
        if (c >= '0' && c <= '9') {
            nonzero = 1;
            c = decimal_tail(t, c);
            if (c == -2)
                return -1;
        }
        if (c == '.') {
            c = nextc(t);
            goto fraction;
        } else if (c == 'e' || c == 'E') {
            goto exponent;
        } else if (c == 'j' || c == 'J') {
            goto imaginary;
        } else if (nonzero) {
            backup(t, c);
            return pmi_tokenizer_error(t, PMI_SYNTAX_ERROR, lineno, col, lineno,
                                       (int)(zeros_end - t->line_start),
                                       "leading zeros in decimal integer literals are not permitted; "
                                       "use an 0o prefix for octal integers");
        }
        if (verify_end_of_number(t, c, "decimal") < 0)
            return -1;
    } else {
        c = decimal_tail(t, c);
        if (c == -2)
            return -1;
        if (c == '.') {
            c = nextc(t);
        fraction:
            if (c >= '0' && c <= '9') {
                c = decimal_tail(t, c);
                if (c == -2)
                    return -1;
            }
        }
        if (c == 'e' || c == 'E') {
            int e;
        exponent:
            e = c;
            c = nextc(t);
            if (c == '+' || c == '-') {
                c = nextc(t);
                if (!(c >= '0' && c <= '9')) {
                    backup(t, c);
                    return tok_error_here(t, "invalid decimal literal");
                }
            } else if (!(c >= '0' && c <= '9')) {
                backup(t, c);
                if (verify_end_of_number(t, e, "decimal") < 0)
                    return -1;
                backup(t, e);
                tok_set(t, tok, PMI_T_NUMBER, start, lineno, col);
                return 0;
            }
            c = decimal_tail(t, c);
            if (c == -2)
                return -1;
        }
        if (c == 'j' || c == 'J') {
        imaginary:
            c = nextc(t);
            if (verify_end_of_number(t, c, "imaginary") < 0)
                return -1;
        } else if (verify_end_of_number(t, c, "decimal") < 0) {
            return -1;
        }
    }
    backup(t, c);
    tok_set(t, tok, PMI_T_NUMBER, start, lineno, col);
    return 0;
}

/* ---- strings ------------------------------------------------------------- */

static int string(pmi_tokenizer *t, pmi_token *tok, int quote, const char *start, int lineno, int col)
{
    int quote_size = 1, end_quote = 0;
    const char *qpos = t->cur - 1;   /* the opening quote */
    int qcol = (int)(qpos - t->line_start);
    int c = nextc(t);
    if (c == quote) {
        c = nextc(t);
        if (c == quote)
            quote_size = 3;
        else
            end_quote = 1;   /* empty string */
    }
    if (c != quote)
        backup(t, c);
    while (end_quote != quote_size) {
        c = nextc(t);
        if (c == -1 || (quote_size == 1 && c == '\n')) {
            /* CPython reports at the start of the literal, naming the line
             * where it gave up */
            int detected = t->lineno;
            if (c == '\n')
                detected--;
            if (quote_size == 3) {
                detected = t->lineno - 1;
                return pmi_tokenizer_error(t, PMI_SYNTAX_ERROR, lineno, qcol - (int)(qpos - start), -1, -1,
                                           "unterminated triple-quoted string literal (detected at line %d)",
                                           detected < lineno ? lineno : detected);
            }
            return pmi_tokenizer_error(t, PMI_SYNTAX_ERROR, lineno, col, -1, -1,
                                       "unterminated string literal (detected at line %d)", lineno);
        }
        if (c == quote) {
            end_quote++;
        } else {
            end_quote = 0;
            if (c == '\\') {
                c = nextc(t);
                if (c == -1) {
                    backup(t, c);
                }
            }
        }
    }
    tok_set(t, tok, PMI_T_STRING, start, lineno, col);
    return 0;
}

/* ---- the main loop --------------------------------------------------------- */

static int two_char_op(int c1, int c2)
{
    switch (c1) {
    case '=': return c2 == '=' ? PMI_OP_EQEQUAL : 0;
    case '!': return c2 == '=' ? PMI_OP_NOTEQUAL : 0;
    case '<': return c2 == '=' ? PMI_OP_LESSEQUAL : c2 == '<' ? PMI_OP_LEFTSHIFT : 0;
    case '>': return c2 == '=' ? PMI_OP_GREATEREQUAL : c2 == '>' ? PMI_OP_RIGHTSHIFT : 0;
    case '+': return c2 == '=' ? PMI_OP_PLUSEQUAL : 0;
    case '-': return c2 == '=' ? PMI_OP_MINEQUAL : c2 == '>' ? PMI_OP_RARROW : 0;
    case '*': return c2 == '=' ? PMI_OP_STAREQUAL : c2 == '*' ? PMI_OP_DOUBLESTAR : 0;
    case '/': return c2 == '=' ? PMI_OP_SLASHEQUAL : c2 == '/' ? PMI_OP_DOUBLESLASH : 0;
    case '%': return c2 == '=' ? PMI_OP_PERCENTEQUAL : 0;
    case '&': return c2 == '=' ? PMI_OP_AMPEREQUAL : 0;
    case '|': return c2 == '=' ? PMI_OP_VBAREQUAL : 0;
    case '^': return c2 == '=' ? PMI_OP_CIRCUMFLEXEQUAL : 0;
    case '@': return c2 == '=' ? PMI_OP_ATEQUAL : 0;
    case ':': return c2 == '=' ? PMI_OP_COLONEQUAL : 0;
    }
    return 0;
}

static int one_char_op(int c)
{
    switch (c) {
    case '(': return PMI_OP_LPAR;
    case ')': return PMI_OP_RPAR;
    case '[': return PMI_OP_LSQB;
    case ']': return PMI_OP_RSQB;
    case ':': return PMI_OP_COLON;
    case ',': return PMI_OP_COMMA;
    case ';': return PMI_OP_SEMI;
    case '+': return PMI_OP_PLUS;
    case '-': return PMI_OP_MINUS;
    case '*': return PMI_OP_STAR;
    case '/': return PMI_OP_SLASH;
    case '|': return PMI_OP_VBAR;
    case '&': return PMI_OP_AMPER;
    case '<': return PMI_OP_LESS;
    case '>': return PMI_OP_GREATER;
    case '=': return PMI_OP_EQUAL;
    case '.': return PMI_OP_DOT;
    case '%': return PMI_OP_PERCENT;
    case '{': return PMI_OP_LBRACE;
    case '}': return PMI_OP_RBRACE;
    case '~': return PMI_OP_TILDE;
    case '^': return PMI_OP_CIRCUMFLEX;
    case '@': return PMI_OP_AT;
    case '!': return PMI_OP_EXCLAMATION;
    }
    return 0;
}

int pmi_tokenizer_next(pmi_tokenizer *t, pmi_token *tok)
{
    int c, blankline = 0;
    memset(tok, 0, sizeof *tok);
nextline:
    blankline = 0;
    if (t->atbol) {
        int col = 0, altcol = 0;
        t->atbol = 0;
        for (;;) {
            c = nextc(t);
            if (c == ' ') {
                col++;
                altcol++;
            } else if (c == '\t') {
                col = (col / PMI_TOK_TABSIZE + 1) * PMI_TOK_TABSIZE;
                altcol++;
            } else if (c == '\f') {
                col = altcol = 0;
            } else {
                break;
            }
        }
        backup(t, c);
        if (c == '#' || c == '\n' || c == -1) {
            blankline = c != -1 || col == 0 ? 1 : 0;
            if (c == -1)
                blankline = 0;
        }
        if (c == '\\' ) {
            /* a continuation at the start of a line: CPython measures
             * indentation as usual */
        }
        if (!blankline && t->level == 0) {
            if (c == -1) {
                col = altcol = 0;
            }
            if (col == t->indstack[t->indent]) {
                if (altcol != t->altindstack[t->indent])
                    goto taberror;
            } else if (col > t->indstack[t->indent]) {
                if (t->indent + 1 >= PMI_TOK_MAXINDENT) {
                    return pmi_tokenizer_error(t, PMI_INDENTATION_ERROR, t->lineno, -1, -1, -1,
                                               "too many levels of indentation");
                }
                if (altcol <= t->altindstack[t->indent])
                    goto taberror;
                t->pendin++;
                t->indent++;
                t->indstack[t->indent] = col;
                t->altindstack[t->indent] = altcol;
            } else {
                while (t->indent > 0 && col < t->indstack[t->indent]) {
                    t->pendin--;
                    t->indent--;
                }
                if (col != t->indstack[t->indent]) {
                    const char *nl = strchr(t->line_start, '\n');
                    int ll = nl ? (int)(nl - t->line_start) : (int)strlen(t->line_start);
                    return pmi_tokenizer_error(t, PMI_INDENTATION_ERROR, t->lineno, ll, -1, -1,
                                               "unindent does not match any outer indentation level");
                }
                if (altcol != t->altindstack[t->indent])
                    goto taberror;
            }
        }
    }
    if (t->pendin != 0) {
        int type = t->pendin < 0 ? PMI_T_DEDENT : PMI_T_INDENT;
        if (t->pendin < 0)
            t->pendin++;
        else
            t->pendin--;
        tok_set(t, tok, type, NULL, t->lineno, (int)(t->cur - t->line_start));
        tok->end_lineno = tok->lineno;
        tok->end_col_offset = tok->col_offset;
        tok->start = tok->end = t->cur;
        return 0;
    }
again:
    do {
        c = nextc(t);
    } while (c == ' ' || c == '\t' || c == '\f');
    const char *start = t->cur - 1;
    int lineno = t->lineno;
    int col = (int)(start - t->line_start);

    if (c == '#') {
        while (c != -1 && c != '\n')
            c = nextc(t);
        /* the newline is handled below, positioned where it is */
        if (c == '\n') {
            backup(t, c);
            start = t->cur;
            col = (int)(start - t->line_start);
            c = nextc(t);
        }
    }
    if (c == -1) {
        if (t->cont_line) {
            /* unreachable: a trailing backslash is caught where it is read */
        }
        if (t->level > 0 && 0) {
        }
        tok_set(t, tok, PMI_T_ENDMARKER, t->cur, t->lineno, 0);
        tok->start = tok->end = t->cur;
        t->done = 1;
        return 0;
    }
    if (is_id_start(c)) {
        /* string prefix? */
        int saw_b = 0, saw_r = 0, saw_u = 0, saw_f = 0;
        for (;;) {
            if (!(saw_b || saw_u || saw_f) && (c == 'b' || c == 'B'))
                saw_b = 1;
            else if (!(saw_b || saw_u || saw_r || saw_f) && (c == 'u' || c == 'U'))
                saw_u = 1;
            else if (!(saw_r || saw_u) && (c == 'r' || c == 'R'))
                saw_r = 1;
            else if (!(saw_f || saw_b || saw_u) && (c == 'f' || c == 'F'))
                saw_f = 1;
            else
                break;
            c = nextc(t);
            if (c == '"' || c == '\'')
                return string(t, tok, c, start, lineno, col);
        }
        while (is_id_char(c))
            c = nextc(t);
        backup(t, c);
        if (verify_identifier(t, start) < 0)
            return -1;
        tok_set(t, tok, PMI_T_NAME, start, lineno, col);
        /* a non-ASCII identifier must be valid (a rough check: letters and
         * marks are not classified here; invalid UTF-8 was rejected) */
        tok->kw = keyword_of(start, (size_t)(t->cur - start));
        return 0;
    }
    if (c == '\n') {
        t->atbol = 1;
        if (blankline || t->level > 0)
            goto nextline;
        /* nextc moved to the next line: position the token on its own */
        const char *ls = start;
        while (ls > t->buf && ls[-1] != '\n')
            ls--;
        lineno = t->lineno - 1;
        col = (int)(start - ls);
        tok_set(t, tok, PMI_T_NEWLINE, start, lineno, col);
        tok->end_lineno = lineno;
        tok->end_col_offset = col + 1;
        t->cont_line = 0;
        return 0;
    }
    if (c == '.') {
        c = nextc(t);
        if (c >= '0' && c <= '9') {
            const char *s0 = start;
            int r = decimal_tail(t, c);
            if (r == -2)
                return -1;
            c = r;
            if (c == 'e' || c == 'E') {
                int e = c;
                c = nextc(t);
                if (c == '+' || c == '-') {
                    c = nextc(t);
                    if (!(c >= '0' && c <= '9')) {
                        backup(t, c);
                        return tok_error_here(t, "invalid decimal literal");
                    }
                } else if (!(c >= '0' && c <= '9')) {
                    backup(t, c);
                    backup(t, e);
                    tok_set(t, tok, PMI_T_NUMBER, s0, lineno, col);
                    return 0;
                }
                c = decimal_tail(t, c);
                if (c == -2)
                    return -1;
            }
            if (c == 'j' || c == 'J') {
                c = nextc(t);
                if (verify_end_of_number(t, c, "imaginary") < 0)
                    return -1;
            } else if (verify_end_of_number(t, c, "decimal") < 0) {
                return -1;
            }
            backup(t, c);
            tok_set(t, tok, PMI_T_NUMBER, s0, lineno, col);
            return 0;
        }
        if (c == '.') {
            int c2 = nextc(t);
            if (c2 == '.') {
                tok_set(t, tok, PMI_T_OP, start, lineno, col);
                tok->op = PMI_OP_ELLIPSIS;
                return 0;
            }
            backup(t, c2);
        }
        backup(t, c);
        tok_set(t, tok, PMI_T_OP, start, lineno, col);
        tok->op = PMI_OP_DOT;
        return 0;
    }
    if (c >= '0' && c <= '9')
        return number(t, tok, c, start, lineno, col);
    if (c == '"' || c == '\'')
        return string(t, tok, c, start, lineno, col);
    if (c == '\\') {
        c = nextc(t);
        if (c != '\n') {
            /* CPython reads the next character, then reports at it */
            return tok_error_here(t, "unexpected character after line continuation character");
        }
        if (peekc(t) == -1) {
            const char *ls = start - col;
            int ll = (int)(t->cur - 1 - ls);
            return pmi_tokenizer_error(t, PMI_SYNTAX_ERROR, t->lineno - 1, ll + 1, -1, -1,
                                       "unexpected EOF while parsing");
        }
        t->cont_line = 1;
        goto again;
    }
    /* operators */
    {
        int c2 = nextc(t);
        int op2 = two_char_op(c, c2);
        if (op2) {
            int c3 = nextc(t);
            int op3 = 0;
            if (c3 == '=') {
                if (op2 == PMI_OP_LEFTSHIFT) op3 = PMI_OP_LEFTSHIFTEQUAL;
                else if (op2 == PMI_OP_RIGHTSHIFT) op3 = PMI_OP_RIGHTSHIFTEQUAL;
                else if (op2 == PMI_OP_DOUBLESTAR) op3 = PMI_OP_DOUBLESTAREQUAL;
                else if (op2 == PMI_OP_DOUBLESLASH) op3 = PMI_OP_DOUBLESLASHEQUAL;
            }
            if (!op3)
                backup(t, c3);
            tok_set(t, tok, PMI_T_OP, start, lineno, col);
            tok->op = op3 ? op3 : op2;
            return 0;
        }
        backup(t, c2);
    }
    switch (c) {
    case '(': case '[': case '{':
        if (t->level >= PMI_TOK_MAXLEVEL)
            return tok_error_here(t, "too many nested parentheses");
        t->parenstack[t->level] = (char)c;
        t->parenlinenostack[t->level] = t->lineno;
        t->parencolstack[t->level] = col;
        t->level++;
        break;
    case ')': case ']': case '}': {
        if (t->level == 0)
            return tok_error_here(t, "unmatched '%c'", c);
        t->level--;
        int opening = t->parenstack[t->level];
        if (!((opening == '(' && c == ')') || (opening == '[' && c == ']') || (opening == '{' && c == '}'))) {
            if (t->parenlinenostack[t->level] != t->lineno)
                return tok_error_here(t, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d",
                                      c, opening, t->parenlinenostack[t->level]);
            return tok_error_here(t, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, opening);
        }
        break;
    }
    default:
        break;
    }
    int op = one_char_op(c);
    tok_set(t, tok, PMI_T_OP, start, lineno, col);
    if (op == 0) {
        /* an error token: the parser reports "invalid syntax" (or
         * "invalid character" for non-ASCII) at it */
        tok->op = PMI_OP_NONE;
        tok->type = PMI_T_OP;
        tok->kw = -1;   /* marks ERRORTOKEN */
        return 0;
    }
    tok->op = op;
    return 0;

taberror:
    return pmi_tokenizer_error(t, PMI_TAB_ERROR, t->lineno, -1, -1, -1,
                               "inconsistent use of tabs and spaces in indentation");
}
