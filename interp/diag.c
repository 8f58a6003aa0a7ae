/* Syntax-error records and python3's report format.
 *
 * The parser reports positions as (line, UTF-8 byte column); CPython's
 * SyntaxError holds 1-based character offsets into the offending line, and
 * traceback.py prints the line stripped of leading whitespace with carets
 * under [offset, end_offset).  This file does both conversions, so every
 * pass of the front end reports errors the same way:
 *
 *   pmi_syntax_error_set   bytes -> characters, message formatting
 *   pmi_syntax_error_print the `  File "f", line N` block python3 prints
 *
 * The printing rules mirror Lib/traceback.py (3.11) TracebackException's
 * _format_syntax_error: the text's trailing newline and leading whitespace
 * are removed (offsets shifted accordingly), carets run from offset to
 * end_offset (at least one), and only when end_lineno equals lineno (or is
 * absent) does the range extend beyond one caret.
 */
#include "diag.h"
#include <stdarg.h>
#include <string.h>

void pmi_syntax_error_init(pmi_syntax_error *e)
{
    memset(e, 0, sizeof *e);
}

void pmi_syntax_error_clear(pm_runtime *rt, pmi_syntax_error *e)
{
    pmi_warnings *w = e->warnings;
    pm_xdecref(rt, e->msg);
    pm_xdecref(rt, e->filename);
    pm_xdecref(rt, e->text);
    memset(e, 0, sizeof *e);
    e->warnings = w;
}

/* ---- warnings ------------------------------------------------------------ */

void pmi_warnings_init(pmi_warnings *w)
{
    memset(w, 0, sizeof *w);
}

void pmi_warnings_clear(pm_runtime *rt, pmi_warnings *w)
{
    pmi_warning *r = w->first;
    while (r != NULL) {
        pmi_warning *next = r->next;
        pm_free(rt, r->line);
        pm_free(rt, r);
        r = next;
    }
    memset(w, 0, sizeof *w);
}

static const char *line_start(const char *src, size_t len, pm_ssize_t lineno, size_t *linelen);

int pmi_warn(pm_runtime *rt, pmi_syntax_error *e, int category, const char *src, size_t len,
             pm_ssize_t lineno, const void *key, const char *fmt, ...)
{
    pmi_warnings *w = e->warnings;
    if (w == NULL)
        return 0;
    if (key != NULL)
        for (pmi_warning *r = w->first; r != NULL; r = r->next)
            if (r->key == key)
                return 0;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t mlen = strlen(msg);
    pmi_warning *r = pm_malloc(rt, sizeof *r + mlen + 1);
    if (r == NULL) {
        pm_err_nomem(rt);
        return -1;
    }
    memcpy(r->msg, msg, mlen + 1);
    r->next = NULL;
    r->category = category;
    r->lineno = lineno;
    r->key = key;
    /* linecache's line, .strip()ped (blanks and the newline) */
    size_t ll = 0;
    const char *l = src != NULL ? line_start(src, len, lineno, &ll) : NULL;
    while (l != NULL && ll > 0 && (*l == ' ' || *l == '\t' || *l == '\f' || *l == '\v'))
        l++, ll--;
    while (l != NULL && ll > 0 && (l[ll - 1] == '\n' || l[ll - 1] == '\r' || l[ll - 1] == ' ' ||
                                   l[ll - 1] == '\t' || l[ll - 1] == '\f' || l[ll - 1] == '\v'))
        ll--;
    r->line = pm_malloc(rt, ll + 1);
    if (r->line == NULL) {
        pm_free(rt, r);
        pm_err_nomem(rt);
        return -1;
    }
    if (ll)
        memcpy(r->line, l, ll);
    r->line[ll] = '\0';
    if (w->last != NULL)
        w->last->next = r;
    else
        w->first = r;
    w->last = r;
    w->count++;
    return 0;
}

void pmi_warnings_print(const pmi_warnings *w, const char *filename, int all, FILE *out)
{
    for (const pmi_warning *r = w->first; r != NULL; r = r->next) {
        if (r->category != PMI_WARN_SYNTAX && !all)
            continue;
        fprintf(out, "%s:%ld: %s: %s\n", filename, (long)r->lineno,
                r->category == PMI_WARN_SYNTAX ? "SyntaxWarning" : "DeprecationWarning", r->msg);
        if (r->line[0])
            fprintf(out, "  %s\n", r->line);
    }
}

const char *pmi_syntax_error_name(int kind)
{
    switch (kind) {
    case PMI_INDENTATION_ERROR: return "IndentationError";
    case PMI_TAB_ERROR: return "TabError";
    default: return "SyntaxError";
    }
}

/* Start of line `lineno` (1-based) in src, and its length including the
 * newline.  Returns NULL if the line does not exist. */
static const char *line_start(const char *src, size_t len, pm_ssize_t lineno, size_t *linelen)
{
    size_t i = 0;
    pm_ssize_t l = 1;
    while (l < lineno) {
        const char *nl = memchr(src + i, '\n', len - i);
        if (nl == NULL)
            return NULL;
        i = (size_t)(nl - src) + 1;
        l++;
    }
    if (i > len)
        return NULL;
    const char *nl = memchr(src + i, '\n', len - i);
    *linelen = nl ? (size_t)(nl - (src + i)) + 1 : len - i;
    return src + i;
}

/* Characters in the first nbytes of s (UTF-8: count the non-continuation
 * bytes). */
static pm_ssize_t utf8_chars(const char *s, size_t nbytes)
{
    pm_ssize_t n = 0;
    for (size_t i = 0; i < nbytes; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* Byte column -> 1-based character offset on a line of linelen bytes. */
static pm_ssize_t col_to_offset(const char *line, size_t linelen, pm_ssize_t col)
{
    if (col < 0)
        return 0;
    if (line == NULL)
        return col + 1;
    size_t c = (size_t)col;
    if (c > linelen)
        return utf8_chars(line, linelen) + 1 + (pm_ssize_t)(c - linelen);
    return utf8_chars(line, c) + 1;
}

/* A str from possibly invalid UTF-8 (invalid bytes become U+FFFD). */
static pm_object *str_lossy(pm_runtime *rt, const char *s, size_t n)
{
    pm_object *o = pm_str_from_utf8(rt, s, (pm_ssize_t)n);
    if (o != NULL || pm_err_kind(rt) == PM_EXC_MemoryError)
        return o;
    pm_err_clear(rt);
    char *buf = pm_malloc(rt, n * 3 + 1);
    if (buf == NULL) {
        pm_err_nomem(rt);
        return NULL;
    }
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && c != 0) {
            buf[j++] = (char)c;
        } else {
            buf[j++] = (char)0xEF;
            buf[j++] = (char)0xBF;
            buf[j++] = (char)0xBD;
        }
    }
    o = pm_str_from_utf8(rt, buf, (pm_ssize_t)j);
    pm_free(rt, buf);
    return o;
}

int pmi_syntax_error_set(pm_runtime *rt, pmi_syntax_error *e, int kind, const char *src, size_t len,
                         pm_ssize_t lineno, pm_ssize_t col_byte, pm_ssize_t end_lineno,
                         pm_ssize_t end_col_byte, const char *fmt, ...)
{
    char msgbuf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msgbuf, sizeof msgbuf, fmt, ap);
    va_end(ap);

    pm_object *filename = e->filename;
    e->filename = NULL;
    pmi_syntax_error_clear(rt, e);
    e->filename = filename;

    pm_object *msg = pm_str_from_utf8(rt, msgbuf, (pm_ssize_t)strlen(msgbuf));
    if (msg == NULL)
        return -1;
    pm_object *text = NULL;
    size_t linelen = 0, elinelen = 0;
    const char *line = src ? line_start(src, len, lineno, &linelen) : NULL;
    if (line != NULL) {
        text = str_lossy(rt, line, linelen);
        if (text == NULL) {
            pm_decref(rt, msg);
            return -1;
        }
    }
    const char *eline = NULL;
    if (end_lineno == lineno) {
        eline = line;
        elinelen = linelen;
    } else if (end_lineno > 0 && src) {
        eline = line_start(src, len, end_lineno, &elinelen);
    }
    e->kind = kind;
    e->msg = msg;
    e->text = text;
    e->lineno = lineno;
    e->offset = col_to_offset(line, linelen, col_byte);
    if (end_lineno >= 0) {
        e->end_lineno = end_lineno;
        e->end_offset = col_to_offset(eline, elinelen, end_col_byte);
    } else {
        e->end_lineno = 0;
        e->end_offset = 0;
    }
    return 0;
}

int pmi_syntax_error_print(pm_runtime *rt, const pmi_syntax_error *e, FILE *out)
{
    pm_ssize_t n;
    const char *fname = "<string>";
    if (e->filename != NULL) {
        fname = pm_str_as_utf8(rt, e->filename, &n);
        if (fname == NULL)
            return -1;
    }
    if (e->lineno > 0)
        fprintf(out, "  File \"%s\", line %ld\n", fname, (long)e->lineno);
    if (e->text != NULL && e->lineno > 0) {
        pm_ssize_t line_size;
        const char *text = pm_str_as_utf8(rt, e->text, &line_size);
        if (text == NULL)
            return -1;
        pm_ssize_t offset = e->offset, end_offset = e->end_offset;
        /* only SyntaxError itself shows a range (CPython's
         * parse_syntax_error ignores the end for subclasses) */
        if (e->end_lineno == 0 || e->kind != PMI_SYNTAX_ERROR)
            end_offset = -1;
        /* a range over several lines: highlight to the end of the first */
        if (e->end_lineno > e->lineno && e->kind == PMI_SYNTAX_ERROR)
            end_offset = line_size;
        if (end_offset > line_size + 1)
            end_offset = line_size + 1;
        pm_ssize_t carets = (end_offset > 0 && end_offset > offset) ? end_offset - offset : 1;
        offset--;   /* 0-based */
        while (*text == ' ' || *text == '\t' || *text == '\f') {
            text++;
            offset--;
        }
        pm_ssize_t len = (pm_ssize_t)strlen(text);
        if (len > 0 && text[len - 1] == '\n')
            len--;
        if (offset > len)
            offset = len;
        for (;;) {   /* skip lines embedded before the offset */
            const char *nl = strchr(text, '\n');
            if (nl == NULL)
                break;
            pm_ssize_t inl = nl - text;
            if (inl >= offset)
                break;
            inl++;
            text += inl;
            len -= inl;
            offset -= inl;
        }
        fputs("    ", out);
        fputs(text, out);
        if (text[len] != '\n')
            fputc('\n', out);
        if (offset >= 0) {
            fputs("    ", out);
            while (--offset >= 0)
                fputc(' ', out);
            for (pm_ssize_t i = 0; i < carets; i++)
                fputc('^', out);
            fputc('\n', out);
        }
    }
    const char *m = e->msg ? pm_str_as_utf8(rt, e->msg, &n) : "";
    if (m == NULL)
        return -1;
    if (*m)
        fprintf(out, "%s: %s\n", pmi_syntax_error_name(e->kind), m);
    else
        fprintf(out, "%s\n", pmi_syntax_error_name(e->kind));
    return ferror(out) ? -1 : 0;
}
