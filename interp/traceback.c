/*
 * interp/traceback.c — traceback objects and the report of an exception
 * (CPython 3.11's Python/traceback.c and the printing half of
 * Python/pythonrun.c: sys.excepthook, sys.unraisablehook, SystemExit).
 *
 * Traceback objects.  When an error is raised in a frame, or passes
 * through one on its way out, the loop calls pmi_traceback_here: a new
 * entry (frame object, instruction offset, line) becomes the head of the
 * exception's __traceback__, its tb_next the entries added before.  The
 * innermost frame is therefore at the end of the tb_next chain, the
 * outermost at the head, which is the order a report prints ("most recent
 * call last"):
 *
 *   exc.__traceback__ --> tb(<module>, line 9) --> tb(f, line 3) --> tb(g, line 5)
 *                              |                       |                  |
 *                           frame obj              frame obj           frame obj
 *
 * Entries are gc-tracked (tb -> frame -> locals -> exc -> tb is the usual
 * cycle).  Making an entry can fail; the original error then stays pending
 * (the entry is missing from the report, nothing else changes).
 *
 * The report, as 3.11 prints an uncaught exception:
 *
 *   Traceback (most recent call last):
 *     File "t.py", line 4, in <module>          one per entry; after three
 *       y = x[i] + 1                            equal entries in a row:
 *           ~^^^                                "[Previous line repeated N
 *   IndexError: list index out of range         more times]"
 *
 * The source line is read from co_filename (decoded as the file says:
 * BOM, coding cookie), stripped of leading blanks.  The marker line shows
 * the failing instruction's columns: '^' under the range, or for a binary
 * operation or a subscript (found by parsing the range alone) '~' under
 * the operands and '^' under the operator / the brackets; nothing when
 * the range covers the whole stripped line.  A range over several lines
 * marks its first line up to the last non-blank character.  Columns are
 * display columns: East Asian wide characters count two (tbwidth.h).
 *
 * Chained exceptions come first (the cause, else the context unless
 * __suppress_context__), each followed by 3.11's sentence; a loop in the
 * chain is cut at the first exception seen twice.  The last line is the
 * class (module-qualified unless builtins or __main__), ": " and str(exc)
 * when not empty, then __notes__.  A SyntaxError adds its own
 * File/line/caret block (diag.c prints it).
 *
 * Source text is cached per report (one file at a time: a recursion's
 * entries all read the same file once).  Nothing here is global.
 */
#include "traceback.h"
#include "import.h"
#include "builtins.h"
#include "arena.h"
#include "code.h"
#include "diag.h"
#include "parser.h"
#include "tbwidth.h"
#include "tokenizer.h"

#include <stdlib.h>
#include <string.h>

/* ---- traceback objects --------------------------------------------------- */

/* The object (CPython's PyTracebackObject). */
typedef struct pmi_tbobject {
    pm_object ob_base;              /* refcount + &pmi_traceback_type */
    pm_object *next;                /* owned or NULL: tb_next (a traceback) */
    pm_object *frame;               /* owned or NULL (cleared by the collector): tb_frame */
    int lasti;                      /* tb_lasti: byte offset of the instruction */
    int lineno;                     /* tb_lineno: its line (-1: none) */
} pmi_tbobject;

#define TB(o) ((pmi_tbobject *)(void *)(o))

/* Identity hash (object's): the address, rotated past its alignment. */
static pm_hash_t tb_hash(pm_runtime *rt, pm_object *o) {
    (void)rt;
    uintptr_t y = (uintptr_t)(void *)o;
    y = (y >> 4) | (y << (8 * sizeof(y) - 4));
    pm_hash_t h = (pm_hash_t)y;
    return h == -1 ? -2 : h;
}

void pmi_traceback_location(pm_object *code, int lasti, pmi_code_pos *pos) {
    pmi_code_lines it;
    pmi_code_lines_init(&it, code);
    while (pmi_code_lines_next(&it, pos))
        if (pos->start <= lasti && lasti < pos->end) return;
    pos->start = pos->end = lasti;
    pos->lineno = pos->end_lineno = pos->col = pos->end_col = -1;
}

pm_object *pmi_traceback_new(pm_runtime *rt, pm_object *next, pm_object *frame, int lasti, int lineno) {
    pmi_tbobject *tb = (pmi_tbobject *)(void *)pm_gc_new(rt, &pmi_traceback_type);
    if (!tb) return NULL;
    tb->next = next ? pm_newref(rt, next) : NULL;
    tb->frame = pm_newref(rt, frame);
    tb->lasti = lasti;
    tb->lineno = lineno;
    pm_gc_track(rt, (pm_object *)tb);
    return (pm_object *)tb;
}

int pmi_traceback_here(pm_runtime *rt, pmi_frame *f) {
    pm_object *exc = pm_err_fetch(rt);
    if (!exc) return 0;
    pm_object *tb = NULL;
    pm_object *fo = pmi_frame_object_get(rt, f);
    if (fo) {
        pm_object *old = pm_exc_get_traceback(exc);
        pmi_code_pos pos;
        int lasti = pmi_frame_lasti(f);
        pmi_traceback_location(f->code, lasti, &pos);
        tb = pmi_traceback_new(rt, old && pmi_traceback_check(old) ? old : NULL, fo, lasti, pos.lineno);
        pm_decref(rt, fo);
    }
    if (!tb) {
        /* no entry: the original error stays, the MemoryError goes */
        pm_err_clear(rt);
        pm_err_restore(rt, exc);
        return -1;
    }
    pm_exc_set_traceback(rt, exc, tb);
    pm_err_restore(rt, exc);
    return 0;
}

static void tb_dealloc(pm_runtime *rt, pm_object *o) {
    pm_gc_untrack(rt, o);
    PM_CLEAR(rt, TB(o)->next);
    PM_CLEAR(rt, TB(o)->frame);
    pm_gc_del(rt, o);
}

static int tb_traverse(pm_object *o, pm_visitproc visit, void *arg) {
    int r = 0;
    if (TB(o)->next) r = visit(TB(o)->next, arg);
    if (!r && TB(o)->frame) r = visit(TB(o)->frame, arg);
    return r;
}

static int tb_clear(pm_runtime *rt, pm_object *o) {
    PM_CLEAR(rt, TB(o)->next);
    PM_CLEAR(rt, TB(o)->frame);
    return 0;
}

static pm_object *tb_next_get(pm_runtime *rt, pm_object *o, void *c) {
    (void)c;
    return pm_newref(rt, TB(o)->next ? TB(o)->next : PM_NONE);
}

static int tb_next_set(pm_runtime *rt, pm_object *o, pm_object *v, void *c) {
    (void)c;
    if (!v) {
        pm_err_set(rt, PM_EXC_TypeError, "can't delete tb_next attribute");
        return -1;
    }
    if (v == PM_NONE) {
        v = NULL;
    } else if (!pmi_traceback_check(v)) {
        pm_err_format(rt, PM_EXC_TypeError, "expected traceback object, got '%s'", pm_type_name(pm_type_of(v)));
        return -1;
    }
    for (pm_object *t = v; t; t = TB(t)->next) {
        if (t == o) {
            pm_err_set(rt, PM_EXC_ValueError, "traceback loop detected");
            return -1;
        }
    }
    pm_object *old = TB(o)->next;
    TB(o)->next = v ? pm_newref(rt, v) : NULL;
    pm_xdecref(rt, old);
    return 0;
}

static const pm_member_def tb_members[] = {
    {"tb_frame", PM_T_OBJECT, offsetof(pmi_tbobject, frame), PM_READONLY, NULL},
    {"tb_lasti", PM_T_INT, offsetof(pmi_tbobject, lasti), PM_READONLY, NULL},
    {"tb_lineno", PM_T_INT, offsetof(pmi_tbobject, lineno), PM_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static const pm_getset_def tb_getset[] = {
    {"tb_next", tb_next_get, tb_next_set, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const pm_type pmi_traceback_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "traceback",
    .basicsize = sizeof(pmi_tbobject),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_DISALLOW_INSTANTIATION,
    .base = &pm_object_type,
    .dealloc = tb_dealloc,
    .traverse = tb_traverse,
    .clear = tb_clear,
    .hash = tb_hash,
    .members = tb_members,
    .getset = tb_getset,
};

/* ---- the report's context: output and the cached source file -------------- */

typedef struct tb_ctx {
    pm_runtime *rt;                 /* the runtime */
    FILE *out;                      /* where the report goes */
    pm_object *file;                /* owned or NULL: the file name whose text is cached */
    char *raw;                      /* pm_malloc'ed or NULL: that file's bytes */
    pmi_tokenizer *tok;             /* NULL or the decoder of raw (owns the decoded text) */
    const char *text;               /* NULL (unreadable) or the decoded UTF-8 text */
    size_t len;                     /* bytes in text */
    const char *tb_header;          /* NULL or the first line of a traceback (an exception group's) */
} tb_ctx;

static void ctx_init(tb_ctx *c, pm_runtime *rt, FILE *out) {
    memset(c, 0, sizeof *c);
    c->rt = rt;
    c->out = out;
}

static void ctx_drop_file(tb_ctx *c) {
    if (c->tok) pmi_tokenizer_free(c->tok);
    pm_free(c->rt, c->raw);
    PM_CLEAR(c->rt, c->file);
    c->tok = NULL;
    c->raw = NULL;
    c->text = NULL;
    c->len = 0;
}

/* Loads filename's text into the cache (c->text NULL when it cannot be
 * read or decoded).  Never leaves an error pending. */
static void ctx_load(tb_ctx *c, pm_object *filename) {
    pm_runtime *rt = c->rt;
    if (c->file == filename || (c->file && pm_str_compare(c->file, filename) == 0)) return;
    ctx_drop_file(c);
    c->file = pm_newref(rt, filename);
    pm_ssize_t n;
    const char *path = pm_str_as_utf8(rt, filename, &n);
    if (!path) goto fail;
    /* "<string>", "<stdin>": not files */
    if (n >= 2 && path[0] == '<' && path[n - 1] == '>') return;
    FILE *f = fopen(path, "rb");
    if (!f) return;
    size_t cap = 4096, used = 0;
    c->raw = pm_malloc(rt, cap);
    while (c->raw) {
        size_t got = fread(c->raw + used, 1, cap - used, f);
        used += got;
        if (used < cap) break;
        char *nb = pm_realloc(rt, c->raw, cap * 2);
        if (!nb) {
            pm_free(rt, c->raw);
            c->raw = NULL;
            break;
        }
        c->raw = nb;
        cap *= 2;
    }
    fclose(f);
    if (!c->raw) goto fail;
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    c->tok = pmi_tokenizer_new(rt, c->raw, used, &err);
    pmi_syntax_error_clear(rt, &err);
    if (!c->tok) goto fail;
    c->text = pmi_tokenizer_source(c->tok, &c->len);
    return;
fail:
    pm_err_clear(rt);
}

/* Line `lineno` (1-based) of filename, without its line break, as a
 * universal-newline reader returns it: 1 and the line, or 0. */
static int ctx_line(tb_ctx *c, pm_object *filename, int lineno, const char **line, size_t *len) {
    ctx_load(c, filename);
    if (!c->text || lineno < 1) return 0;
    const char *p = c->text, *end = c->text + c->len;
    for (int i = 1; i < lineno; i++) {
        while (p < end && *p != '\n' && *p != '\r') p++;
        if (p == end) return 0;
        p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
    }
    if (p == end) return 0;         /* past the last line: no line */
    const char *e = p;
    while (e < end && *e != '\n' && *e != '\r') e++;
    *line = p;
    *len = (size_t)(e - p);
    return 1;
}

/* ---- columns ------------------------------------------------------------- */

/* Decodes one UTF-8 sequence at s[0..n): the code point, and *used bytes
 * (an invalid byte is one replacement character of one byte). */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *used) {
    unsigned b = s[0];
    int k = b < 0x80 ? 0 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    if (k < 0 || (size_t)k >= n) {
        *used = 1;
        return k == 0 ? b : 0xfffd;
    }
    uint32_t cp = k == 0 ? b : b & (0x3fu >> k);
    for (int i = 1; i <= k; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *used = 1;
            return 0xfffd;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    *used = (size_t)k + 1;
    return cp;
}

static int is_wide(uint32_t cp) {
    size_t lo = 0, hi = sizeof pmi_wide_ranges / sizeof pmi_wide_ranges[0];
    if (cp < 0x1100) return 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < pmi_wide_ranges[mid].first) hi = mid;
        else if (cp > pmi_wide_ranges[mid].last) lo = mid + 1;
        else return 1;
    }
    return 0;
}

/* Display width of the first `bytes` bytes of s[0..n) (a byte offset past
 * the end counts one column more, as CPython's conversion reads the
 * terminating NUL). */
static pm_ssize_t width_of(const char *s, size_t n, pm_ssize_t bytes) {
    pm_ssize_t w = 0;
    size_t i = 0, stop = bytes < 0 ? 0 : (size_t)bytes;
    if (stop > n) {
        stop = n;
        w = 1;
    }
    while (i < stop) {
        size_t used;
        uint32_t cp = utf8_next((const unsigned char *)s + i, stop - i, &used);
        w += is_wide(cp) ? 2 : 1;
        i += used;
    }
    return w;
}

static int blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\f'; }

/* The '~'/'^' split of a binary operation or a subscript: parses
 * seg[0..n) alone and, when it is one expression of those kinds, sets
 * *left / *right to byte offsets in seg (the operator, or the brackets)
 * and returns 1; else 0.  Never leaves an error pending. */
static int find_anchors(pm_runtime *rt, pm_object *filename, const char *seg, size_t n, pm_ssize_t *left,
                        pm_ssize_t *right) {
    int found = 0;
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pmi_arena *a = pmi_arena_new(rt);
    mod_ty m = a ? pmi_parse(rt, a, seg, n, filename, PMI_MODE_EXEC, &err) : NULL;
    if (!m || m->kind != Module_kind || asdl_seq_LEN(m->v.Module.body) != 1) goto done;
    stmt_ty st = asdl_seq_GET(m->v.Module.body, 0);
    if (st->kind != Expr_kind) goto done;
    expr_ty e = st->v.Expr.value;
    pm_ssize_t len = (pm_ssize_t)strlen(seg);
    if (e->kind == BinOp_kind) {
        pm_ssize_t from = e->v.BinOp.left->end_col_offset, to = e->v.BinOp.right->col_offset;
        *left = *right = -1;
        for (pm_ssize_t i = from; i < to && i < len; i++) {
            if (blank(seg[i])) continue;
            *left = i;
            *right = i + 1;
            if (i + 1 < to && !blank(seg[i + 1])) ++*right;     /* a two-character operator */
            if (i + 1 < to && seg[i] == ')') continue;            /* a closing parenthesis of the left operand */
            break;
        }
        found = *left >= 0;
    } else if (e->kind == Subscript_kind) {
        pm_ssize_t l = e->v.Subscript.value->end_col_offset, r = e->v.Subscript.slice->end_col_offset + 1;
        while (l < len && seg[l] != '[') l++;
        while (r < len && seg[r] != ']') r++;
        if (r < len) r++;
        *left = l;
        *right = r;
        found = 1;
    }
done:
    pmi_syntax_error_clear(rt, &err);
    if (a) pmi_arena_free(a);
    pm_err_clear(rt);
    return found;
}

/* The marker line under a source line (see the essay), if any. */
static void print_markers(tb_ctx *c, pm_object *code, pm_object *filename, int lasti, const char *line,
                          size_t len) {
    pmi_code_pos pos;
    pmi_traceback_location(code, lasti, &pos);
    if (pos.lineno < 0 || pos.end_lineno < 0 || pos.col < 0 || pos.end_col < 0) return;
    pm_ssize_t lead = 0;
    while ((size_t)lead < len && blank(line[lead])) lead++;
    pm_ssize_t start = width_of(line, len, pos.col), end = width_of(line, len, pos.end_col);
    pm_ssize_t left = -1, right = -1;
    if (pos.lineno == pos.end_lineno) {
        if (pos.col < pos.end_col && (size_t)pos.end_col <= len) {
            size_t n = (size_t)(pos.end_col - pos.col);
            char *seg = pm_malloc(c->rt, n + 1);
            if (seg) {
                memcpy(seg, line + pos.col, n);
                seg[n] = 0;
                pm_ssize_t lb, rb;
                if (find_anchors(c->rt, filename, seg, n, &lb, &rb)) {
                    left = start + width_of(seg, n, lb);
                    right = start + width_of(seg, n, rb);
                }
                pm_free(c->rt, seg);
            }
            pm_err_clear(c->rt);
        }
    } else {
        /* several lines: mark the first up to its last non-blank character */
        pm_ssize_t i = (pm_ssize_t)len;
        while (i > 0 && blank(line[i - 1])) i--;
        end = width_of(line, len, i);
    }
    pm_ssize_t stripped = width_of(line, len, (pm_ssize_t)len) - lead;
    int anchors = left != -1 || right != -1;
    if (end - start == stripped && !anchors) return;
    for (pm_ssize_t off = lead - 4 + 1; off <= end; off++) {
        if (off <= start) fputc(' ', c->out);
        else if (anchors && left < off && off <= right) fputc('^', c->out);
        else fputc(anchors ? '~' : '^', c->out);
    }
    fputc('\n', c->out);
}

static void put_str(tb_ctx *c, pm_object *s) {
    pm_ssize_t n;
    const char *t = pm_str_as_utf8(c->rt, s, &n);
    if (t) fwrite(t, 1, (size_t)n, c->out);
    else pm_err_clear(c->rt);
}

/* One entry: File/line/name, the source line, the markers. */
static void print_entry(tb_ctx *c, pm_object *tb) {
    pm_object *fo = TB(tb)->frame;
    if (!fo) return;
    const pmi_code *co = (const pmi_code *)pmi_frame_object_code(fo);
    fputs("  File \"", c->out);
    put_str(c, co->filename);
    fprintf(c->out, "\", line %d, in ", TB(tb)->lineno);
    put_str(c, co->name);
    fputc('\n', c->out);
    const char *line;
    size_t len;
    if (!ctx_line(c, co->filename, TB(tb)->lineno, &line, &len)) return;
    size_t lead = 0;
    while (lead < len && blank(line[lead])) lead++;
    fputs("    ", c->out);
    fwrite(line + lead, 1, len - lead, c->out);
    fputc('\n', c->out);
    print_markers(c, (pm_object *)co, co->filename, TB(tb)->lasti, line, len);
}

/* 1 when two entries name the same place (file, line, function). */
static int same_place(pm_object *a, pm_object *b) {
    if (!TB(a)->frame || !TB(b)->frame || TB(a)->lineno != TB(b)->lineno) return 0;
    const pmi_code *x = (const pmi_code *)pmi_frame_object_code(TB(a)->frame);
    const pmi_code *y = (const pmi_code *)pmi_frame_object_code(TB(b)->frame);
    return pm_str_compare(x->filename, y->filename) == 0 && pm_str_compare(x->name, y->name) == 0;
}

/* After this many equal entries in a row the rest are counted, not shown. */
#define TB_RECURSIVE_CUTOFF 3
/* Entries printed at most (the oldest are dropped: sys.tracebacklimit's default). */
#define TB_LIMIT 1000

static void print_repeated(tb_ctx *c, long count) {
    count -= TB_RECURSIVE_CUTOFF;
    fprintf(c->out, "  [Previous line repeated %ld more time%s]\n", count, count > 1 ? "s" : "");
}

static void print_tb(tb_ctx *c, pm_object *tb) {
    if (!tb || !pmi_traceback_check(tb)) return;
    long depth = 0;
    for (pm_object *t = tb; t; t = TB(t)->next) depth++;
    while (tb && depth > TB_LIMIT) {
        tb = TB(tb)->next;
        depth--;
    }
    fputs(c->tb_header ? c->tb_header : "Traceback (most recent call last):\n", c->out);
    pm_object *last = NULL;
    long count = 0;
    for (; tb; tb = TB(tb)->next) {
        if (!last || !same_place(last, tb)) {
            if (count > TB_RECURSIVE_CUTOFF) print_repeated(c, count);
            last = tb;
            count = 0;
        }
        if (++count <= TB_RECURSIVE_CUTOFF) print_entry(c, tb);
    }
    if (count > TB_RECURSIVE_CUTOFF) print_repeated(c, count);
}

void pmi_traceback_print(pm_runtime *rt, pm_object *tb, FILE *out) {
    tb_ctx c;
    ctx_init(&c, rt, out);
    print_tb(&c, tb);
    ctx_drop_file(&c);
}

/* ---- the exception's own lines ---------------------------------------------- */

/* "module.Qualname" of exc's class (module left out for builtins and
 * __main__; "<unknown>" for what cannot be had). */
static void print_type_name(tb_ctx *c, pm_object *exc) {
    pm_runtime *rt = c->rt;
    const pm_type *t = pm_type_of(exc);
    if (t->flags & PM_TPFLAGS_STATIC) {
        /* a static type's name is "module.Name", or "Name" in builtins
         * (read directly: no per-runtime type dict is made for a report) */
        fputs(t->name, c->out);
        return;
    }
    pm_object *type = (pm_object *)(void *)t;
    pm_object *mod = pm_getattr_cstr(rt, type, "__module__");
    if (!mod || !pm_str_check(mod)) {
        pm_err_clear(rt);
        fputs("<unknown>", c->out);
    } else if (!pm_str_equal_cstr(mod, "builtins") && !pm_str_equal_cstr(mod, "__main__")) {
        put_str(c, mod);
        fputc('.', c->out);
    }
    pm_xdecref(rt, mod);
    pm_object *qual = pm_getattr_cstr(rt, type, "__qualname__");
    if (!qual || !pm_str_check(qual)) {
        pm_err_clear(rt);
        fputs("<unknown>", c->out);
    } else {
        put_str(c, qual);
    }
    pm_xdecref(rt, qual);
}

/* The value part: ": str(v)" (nothing for an empty str unless `always`). */
static void print_value_text(tb_ctx *c, pm_object *v, int always) {
    pm_object *s = pm_str(c->rt, v);
    if (!s) {
        pm_err_clear(c->rt);
        fputs(": <exception str() failed>", c->out);
        return;
    }
    if (always || pm_str_length(s) != 0) {
        fputs(": ", c->out);
        put_str(c, s);
    }
    pm_decref(c->rt, s);
}

/* exc.__notes__, one note (str()) per line. */
static void print_notes(tb_ctx *c, pm_object *exc) {
    pm_runtime *rt = c->rt;
    const pm_type *t = pm_type_of(exc);
    pm_object *notes = NULL;
    if ((t->flags & PM_TPFLAGS_STATIC) && t->dictoffset > 0) {
        /* a built-in exception: __notes__ can only be in its __dict__ (read
         * directly: a report makes no per-runtime type state) */
        pm_object *d = *(pm_object **)(void *)((char *)exc + t->dictoffset);
        pm_object *key = d ? pm_str_from_cstr(rt, "__notes__") : NULL;
        notes = key ? pm_dict_get(rt, d, key) : NULL;
        pm_xdecref(rt, key);
        pm_xincref(rt, notes);
    } else {
        notes = pm_getattr_cstr(rt, exc, "__notes__");
    }
    if (!notes) {
        pm_err_clear(rt);
        return;
    }
    pm_ssize_t n = pm_type_of(notes)->as_sequence ? pm_length(rt, notes) : -1;
    if (n < 0) {
        /* not a sequence: its repr */
        pm_err_clear(rt);
        pm_object *r = pm_repr(rt, notes);
        if (r) put_str(c, r);
        else fputs("<__notes__ repr() failed>", c->out);
        pm_xdecref(rt, r);
        pm_err_clear(rt);
        fputc('\n', c->out);
    }
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *key = pm_int_from_ssize(rt, i);
        pm_object *note = key ? pm_getitem(rt, notes, key) : NULL;
        pm_xdecref(rt, key);
        pm_object *s = note ? pm_str(rt, note) : NULL;
        pm_xdecref(rt, note);
        if (s) put_str(c, s);
        else fputs("<note str() failed>", c->out);
        pm_xdecref(rt, s);
        pm_err_clear(rt);
        fputc('\n', c->out);
    }
    pm_decref(rt, notes);
}

/* An integer attribute (None or missing: 0); -1 with an error cleared
 * when it is something else. */
static pm_ssize_t int_attr(pm_runtime *rt, pm_object *o, const char *name) {
    pm_object *v = pm_getattr_cstr(rt, o, name);
    pm_ssize_t r = 0;
    if (v && v != PM_NONE) r = pm_int_check(v) ? pm_int_as_ssize(rt, v) : -1;
    pm_xdecref(rt, v);
    pm_err_clear(rt);
    return r;
}

/* SyntaxError and its two built-in subclasses: the File/line/caret block
 * and "Kind: msg" (diag.c's printer).  0 when printed, -1 when exc must be
 * printed the ordinary way. */
static int print_syntax_error(tb_ctx *c, pm_object *exc) {
    pm_runtime *rt = c->rt;
    const pm_type *t = pm_type_of(exc);
    int kind = t == &pm_exc_SyntaxError ? PMI_SYNTAX_ERROR
             : t == &pm_exc_IndentationError ? PMI_INDENTATION_ERROR
             : t == &pm_exc_TabError ? PMI_TAB_ERROR : 0;
    if (!kind) return -1;
    pmi_syntax_error e;
    pmi_syntax_error_init(&e);
    e.kind = kind;
    pm_object *v;
    if ((v = pm_getattr_cstr(rt, exc, "msg")) && v != PM_NONE) e.msg = pm_str(rt, v);
    pm_xdecref(rt, v);
    if ((v = pm_getattr_cstr(rt, exc, "filename")) && pm_str_check(v)) e.filename = pm_newref(rt, v);
    pm_xdecref(rt, v);
    if ((v = pm_getattr_cstr(rt, exc, "text")) && pm_str_check(v)) e.text = pm_newref(rt, v);
    pm_xdecref(rt, v);
    pm_err_clear(rt);
    e.lineno = int_attr(rt, exc, "lineno");
    e.offset = int_attr(rt, exc, "offset");
    e.end_lineno = int_attr(rt, exc, "end_lineno");
    e.end_offset = int_attr(rt, exc, "end_offset");
    int rc = -1;
    if (e.msg && e.lineno >= 0) rc = pmi_syntax_error_print(rt, &e, c->out) < 0 ? -1 : 0;
    pmi_syntax_error_clear(rt, &e);
    pm_err_clear(rt);
    return rc;
}

/* ---- "Did you mean" (3.11's suggestions for NameError / AttributeError) ---- */

/* Candidates are compared by an edit distance where a case change costs 1
 * and any other edit 2; a candidate qualifies within a third of the
 * characters involved, the closest (first on ties) wins.  Lists of 750
 * names or more, and names longer than 40 bytes, are not searched. */
#define SUGGEST_MAX_ITEMS 750
#define SUGGEST_MAX_LEN 40
#define SUGGEST_MOVE 2
#define SUGGEST_CASE 1

static size_t subst_cost(char a, char b) {
    if ((a & 31) != (b & 31)) return SUGGEST_MOVE;
    if (a == b) return 0;
    if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
    if (b >= 'A' && b <= 'Z') b = (char)(b + 32);
    return a == b ? SUGGEST_CASE : SUGGEST_MOVE;
}

static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb, size_t max_cost) {
    size_t row[SUGGEST_MAX_LEN];
    while (na && nb && a[0] == b[0]) a++, b++, na--, nb--;
    while (na && nb && a[na - 1] == b[nb - 1]) na--, nb--;
    if (na == 0 || nb == 0) return (na + nb) * SUGGEST_MOVE;
    if (na > SUGGEST_MAX_LEN || nb > SUGGEST_MAX_LEN) return max_cost + 1;
    if (nb < na) {
        const char *t = a; a = b; b = t;
        size_t tn = na; na = nb; nb = tn;
    }
    if ((nb - na) * SUGGEST_MOVE > max_cost) return max_cost + 1;
    for (size_t i = 0; i < na; i++) row[i] = (i + 1) * SUGGEST_MOVE;
    size_t result = 0;
    for (size_t j = 0; j < nb; j++) {
        size_t diag = j * SUGGEST_MOVE, least = (size_t)-1;
        result = diag;
        for (size_t i = 0; i < na; i++) {
            size_t sub = diag + subst_cost(b[j], a[i]);
            diag = row[i];
            size_t ins = (result < diag ? result : diag) + SUGGEST_MOVE;
            result = ins < sub ? ins : sub;
            row[i] = result;
            if (result < least) least = result;
        }
        if (least > max_cost) return max_cost + 1;
    }
    return result;
}

/* The search state over one or more candidate lists. */
typedef struct suggest {
    const char *name;               /* the name looked for (UTF-8) */
    size_t len;                     /* its length */
    pm_object *best;                /* borrowed or NULL: the best candidate so far */
    size_t best_cost;               /* its distance */
} suggest;

/* Considers one candidate. */
static void suggest_one(pm_runtime *rt, suggest *s, pm_object *item) {
    if (!pm_str_check(item)) return;
    pm_ssize_t len;
    const char *t = pm_str_as_utf8(rt, item, &len);
    if (!t) {
        pm_err_clear(rt);
        return;
    }
    size_t max = ((size_t)s->len + (size_t)len + 3) * SUGGEST_MOVE / 6;
    if (s->best && s->best_cost - 1 < max) max = s->best_cost - 1;
    size_t d = edit_distance(s->name, s->len, t, (size_t)len, max);
    if (d > max) return;
    if (!s->best || d < s->best_cost) {
        s->best = item;
        s->best_cost = d;
    }
}

/* Considers the items of tuple t (none when there are too many). */
static void suggest_tuple(pm_runtime *rt, suggest *s, pm_object *t) {
    pm_ssize_t n = t ? pm_tuple_size(t) : 0;
    if (n >= SUGGEST_MAX_ITEMS) return;
    for (pm_ssize_t i = 0; i < n; i++) suggest_one(rt, s, pm_tuple_get(rt, t, i));
}

/* The keys of dict d as candidates (a list made for the search). */
static void suggest_keys(pm_runtime *rt, suggest *s, pm_object *d) {
    if (!d || pm_type_of(d) != &pm_dict_type) return;
    pm_object *keys = pm_dict_keys(rt, d);
    if (!keys) {
        pm_err_clear(rt);
        return;
    }
    pm_object *t = pm_list_as_tuple(rt, keys);
    suggest_tuple(rt, s, t);
    pm_xdecref(rt, t);
    pm_decref(rt, keys);
    pm_err_clear(rt);
}

/* The field at byte offset `off` of an exception instance (NULL if unset). */
static pm_object *exc_field(pm_object *exc, pm_ssize_t off) {
    return *(pm_object **)(void *)((char *)exc + off);
}

/* NameError's / AttributeError's `name` and AttributeError's `obj`
 * (borrowed; NULL when unset).  Built-in classes: read from the layout
 * pymm.h documents (the base's 72 bytes, then name, then obj) so that no
 * per-runtime type state is made; classes: by attribute. */
static void exc_name_obj(pm_runtime *rt, pm_object *exc, int attr, pm_object **name, pm_object **obj,
                         pm_object **hold) {
    const pm_type *t = pm_type_of(exc);
    pm_ssize_t base = pm_exc_BaseException.basicsize;
    pm_ssize_t want = base + (pm_ssize_t)sizeof(pm_object *) * (attr ? 2 : 1);
    *name = *obj = *hold = NULL;
    if ((t->flags & PM_TPFLAGS_STATIC) && t->basicsize == want) {
        *name = exc_field(exc, base);
        if (attr) *obj = exc_field(exc, base + (pm_ssize_t)sizeof(pm_object *));
        return;
    }
    if (t->flags & PM_TPFLAGS_STATIC) return;
    pm_object *n = pm_getattr_cstr(rt, exc, "name");
    pm_object *o = attr ? pm_getattr_cstr(rt, exc, "obj") : NULL;
    pm_err_clear(rt);
    if (n && o) {
        /* keep both alive in one tuple */
        pm_object *pair[2] = {n, o};
        *hold = pm_tuple_from_array(rt, pair, 2);
    } else if (n) {
        *hold = pm_newref(rt, n);
    }
    if (*hold) {
        *name = n;
        *obj = o;
    }
    pm_xdecref(rt, n);
    pm_xdecref(rt, o);
    pm_err_clear(rt);
}

/* The suggestion for exc: *keep (a new ref) and the return value are it, or NULL. */
static pm_object *suggestion_for(pm_runtime *rt, pm_object *exc, pm_object **keep) {
    int attr = pm_is_instance(exc, &pm_exc_AttributeError);
    *keep = NULL;
    if (!attr && !pm_is_instance(exc, &pm_exc_NameError)) return NULL;
    pm_object *name, *obj, *hold;
    exc_name_obj(rt, exc, attr, &name, &obj, &hold);
    suggest s = {NULL, 0, NULL, 0};
    pm_object *cands = NULL;
    if (!name || !pm_str_check(name)) goto done;
    pm_ssize_t len;
    s.name = pm_str_as_utf8(rt, name, &len);
    if (!s.name) goto done;
    s.len = (size_t)len;
    if (attr) {
        /* dir(obj): sorted obj.__dir__() */
        if (!obj) goto done;
        pm_object *meth = pm_str_from_cstr(rt, "__dir__");
        pm_object *d = meth ? pm_call_method(rt, obj, meth, NULL, 0) : NULL;
        pm_xdecref(rt, meth);
        cands = d ? pm_list_new(rt) : NULL;
        if (cands && (pm_list_extend(rt, cands, d) < 0 || pm_list_sort(rt, cands, 0) < 0)) PM_CLEAR(rt, cands);
        pm_xdecref(rt, d);
        if (cands) {
            pm_object *t = pm_list_as_tuple(rt, cands);
            pm_decref(rt, cands);
            cands = t;
        }
        suggest_tuple(rt, &s, cands);
    } else {
        /* the innermost frame's local names, then its globals, then builtins */
        pm_object *tb = pm_exc_get_traceback(exc);
        if (!tb || !pmi_traceback_check(tb)) goto done;
        while (TB(tb)->next) tb = TB(tb)->next;
        pm_object *fo = TB(tb)->frame;
        if (!fo) goto done;
        cands = pmi_code_varnames(rt, pmi_frame_object_code(fo));
        suggest_tuple(rt, &s, cands);
        if (!s.best) suggest_keys(rt, &s, pmi_frame_object_globals(fo));
        if (!s.best) suggest_keys(rt, &s, pmi_frame_object_builtins(fo));
    }
done:
    pm_err_clear(rt);
    if (s.best) {
        *keep = pm_newref(rt, s.best);
    }
    pm_xdecref(rt, cands);
    pm_xdecref(rt, hold);
    return *keep;
}

/* One exception: its traceback, then its own lines. */
static void print_one(tb_ctx *c, pm_object *exc) {
    if (!pm_exc_check(exc)) {
        fprintf(c->out, "TypeError: print_exception(): Exception expected for value, %s found\n",
                pm_type_name(pm_type_of(exc)));
        return;
    }
    print_tb(c, pm_exc_get_traceback(exc));
    if (print_syntax_error(c, exc) < 0) {
        print_type_name(c, exc);
        print_value_text(c, exc, 0);
        pm_object *hint;
        if (suggestion_for(c->rt, exc, &hint)) {
            fputs(". Did you mean: '", c->out);
            put_str(c, hint);
            fputs("'?", c->out);
            pm_decref(c->rt, hint);
        }
        fputc('\n', c->out);
    }
    print_notes(c, exc);
}

/* ---- exception groups in the report (3.11's print_exception_group) ------------
 *
 * A group prints its own lines, then each member in a box, nested groups
 * one level deeper; every line inside a group has a margin of two spaces
 * per level and "| " (the group's own traceback header at the first
 * level has "+ "):
 *
 *     + Exception Group Traceback (most recent call last):
 *     |   File "t.py", line 3, in <module>
 *     | ExceptionGroup: g (2 sub-exceptions)
 *     +-+---------------- 1 ----------------
 *       | ValueError: 1
 *       +---------------- 2 ----------------
 *       | TypeError: 2
 *       +------------------------------------
 *
 * At most 15 members per group ("and N more exceptions") and 10 levels
 * ("... (max_group_depth is 10)"); the closing line is printed once, by
 * the innermost last member (need_close).  A member's chain (cause,
 * context) prints inside its box; one set of exceptions already seen
 * covers the whole report.  The margin is added by printing each part
 * into a memory stream and copying it out line by line (out of memory
 * there: the part is printed without its margin). */

/* How chain[i] is linked to chain[i - 1]. */
enum { LINK_NONE, LINK_CAUSE, LINK_CONTEXT };

/* Limits of the report (CPython's max_group_width / max_group_depth). */
#define EG_MAX_WIDTH 15
#define EG_MAX_DEPTH 10

typedef struct eg_print {
    tb_ctx *c;                      /* the report's context (c->out: where parts go) */
    FILE *out;                      /* the real output */
    int depth;                      /* group nesting of what is printed (0: outside any group) */
    int need_close;                 /* the closing line is still owed by the current last member */
    pm_object **seen;               /* pm_malloc'ed: exceptions printed or being printed (borrowed) */
    size_t nseen;                   /* entries in seen */
    size_t capseen;                 /* capacity of seen */
} eg_print;

static int eg_seen(const eg_print *p, pm_object *e) {
    for (size_t i = 0; i < p->nseen; i++)
        if (p->seen[i] == e) return 1;
    return 0;
}

/* Adds e to seen: 0, or -1 out of memory (the error cleared). */
static int eg_mark(eg_print *p, pm_object *e) {
    if (p->nseen == p->capseen) {
        size_t cap = p->capseen ? p->capseen * 2 : 8;
        pm_object **ns = pm_realloc(p->c->rt, p->seen, cap * sizeof *ns);
        if (!ns) {
            pm_err_clear(p->c->rt);
            return -1;
        }
        p->seen = ns;
        p->capseen = cap;
    }
    p->seen[p->nseen++] = e;
    return 0;
}

static void eg_indent(eg_print *p) {
    for (int i = 0; i < p->depth; i++) fputs("  ", p->out);
}

/* Starts a part: inside a group it goes to a memory stream (*buf). */
static void eg_begin(eg_print *p, char **buf, size_t *len) {
    *buf = NULL;
    *len = 0;
    if (p->depth == 0) return;
    FILE *m = open_memstream(buf, len);
    if (m) p->c->out = m;
}

/* Ends a part: its lines copied out with the margin (the first one with
 * first_margin when not NULL). */
static void eg_end(eg_print *p, char **buf, size_t *len, const char *first_margin) {
    if (p->c->out == p->out) return;
    fclose(p->c->out);
    p->c->out = p->out;
    const char *s = *buf, *end = *buf + *len;
    int first = 1;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl + 1 : end;
        eg_indent(p);
        fputs(first && first_margin ? first_margin : "| ", p->out);
        fwrite(s, 1, (size_t)(e - s), p->out);
        first = 0;
        s = e;
    }
    free(*buf);
    *buf = NULL;
}

static void eg_print_chain(eg_print *p, pm_object *exc);

static int is_group(const pm_object *o) { return pm_is_instance(o, &pm_exc_BaseExceptionGroup); }

/* One exception's traceback and lines, with the margin. */
static void eg_print_one(eg_print *p, pm_object *exc) {
    char *buf;
    size_t len;
    int group = pm_exc_check(exc) && is_group(exc);
    pm_object *tb = group ? pm_exc_get_traceback(exc) : NULL;
    p->c->tb_header = group ? "Exception Group Traceback (most recent call last):\n" : NULL;
    eg_begin(p, &buf, &len);
    print_one(p->c, exc);
    eg_end(p, &buf, &len, group && p->depth == 1 && tb && pmi_traceback_check(tb) ? "+ " : NULL);
    p->c->tb_header = NULL;
}

/* A group: its own lines, then its members in boxes. */
static void eg_print_group(eg_print *p, pm_object *eg) {
    pm_runtime *rt = p->c->rt;
    if (p->depth > EG_MAX_DEPTH) {
        eg_indent(p);
        fprintf(p->out, "| ... (max_group_depth is %d)\n", EG_MAX_DEPTH);
        return;
    }
    int top = p->depth == 0;
    if (top) p->depth++;
    eg_print_one(p, eg);
    pm_object *excs = pm_getattr_cstr(rt, eg, "exceptions");
    if (!excs || !pm_tuple_check(excs)) {
        pm_err_clear(rt);
        pm_xdecref(rt, excs);
        if (top) p->depth--;
        return;
    }
    pm_ssize_t num = pm_tuple_size(excs);
    pm_ssize_t n = num <= EG_MAX_WIDTH ? num : EG_MAX_WIDTH + 1;
    p->need_close = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        int last = i == n - 1;
        if (last) p->need_close = 1;
        eg_indent(p);
        if (i < EG_MAX_WIDTH)
            fprintf(p->out, "%s+---------------- %zd ----------------\n", i == 0 ? "+-" : "  ", (size_t)(i + 1));
        else
            fprintf(p->out, "%s+---------------- ... ----------------\n", i == 0 ? "+-" : "  ");
        p->depth++;
        if (i < EG_MAX_WIDTH) {
            if (pm_enter_recursive_call(rt, NULL) == 0) {
                eg_print_chain(p, pm_tuple_get(rt, excs, i));
                pm_leave_recursive_call(rt);
            } else {
                pm_err_clear(rt);
            }
        } else {
            pm_ssize_t more = num - EG_MAX_WIDTH;
            eg_indent(p);
            fprintf(p->out, "| and %zd more exception%s\n", (size_t)more, more > 1 ? "s" : "");
        }
        if (last && p->need_close) {
            eg_indent(p);
            fputs("+------------------------------------\n", p->out);
            p->need_close = 0;
        }
        p->depth--;
    }
    pm_decref(rt, excs);
    if (top) p->depth--;
}

static void eg_print_value(eg_print *p, pm_object *v) {
    if (pm_exc_check(v) && is_group(v))
        eg_print_group(p, v);
    else
        eg_print_one(p, v);
}

/* exc with its chain (the cause, else the context unless suppressed),
 * oldest first, each followed by 3.11's sentence; an exception seen
 * before ends the chain.  Out of memory: a shorter chain. */
static void eg_print_chain(eg_print *p, pm_object *exc) {
    pm_runtime *rt = p->c->rt;
    size_t n = 0, cap = 0;
    pm_object **chain = NULL;
    unsigned char *link = NULL;
    pm_object *cur = exc;
    int how = LINK_NONE;
    for (;;) {
        if (eg_mark(p, cur) < 0) break;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            pm_object **c2 = pm_realloc(rt, chain, nc * sizeof *c2);
            if (c2) chain = c2;
            unsigned char *l2 = c2 ? pm_realloc(rt, link, nc) : NULL;
            if (l2) link = l2;
            if (!c2 || !l2) {
                pm_err_clear(rt);
                break;
            }
            cap = nc;
        }
        chain[n] = cur;
        link[n] = (unsigned char)how;
        n++;
        if (!pm_exc_check(cur)) break;
        pm_object *cause = pm_exc_get_cause(cur), *context = pm_exc_get_context(cur), *next = NULL;
        if (cause && cause != PM_NONE) {
            next = cause;
            how = LINK_CAUSE;
        } else if (context && context != PM_NONE && !pm_exc_get_suppress_context(cur)) {
            next = context;
            how = LINK_CONTEXT;
        }
        if (!next || eg_seen(p, next)) break;
        cur = next;
    }
    if (n == 0) {
        /* no memory for the chain: the exception alone */
        pm_free(rt, chain);
        pm_free(rt, link);
        eg_print_value(p, exc);
        return;
    }
    int need_close = p->need_close;
    for (size_t i = n; i-- > 0;) {
        eg_print_value(p, chain[i]);
        if (i > 0) {
            p->need_close = need_close;
            char *buf;
            size_t len;
            eg_begin(p, &buf, &len);
            fputs(link[i] == LINK_CAUSE ? "\nThe above exception was the direct cause of the following exception:\n\n"
                                        : "\nDuring handling of the above exception, another exception occurred:\n\n",
                  p->c->out);
            eg_end(p, &buf, &len, NULL);
        }
    }
    pm_free(rt, chain);
    pm_free(rt, link);
}

void pmi_exception_print(pm_runtime *rt, pm_object *exc, FILE *out) {
    tb_ctx c;
    ctx_init(&c, rt, out);
    eg_print p = {&c, out, 0, 0, NULL, 0, 0};
    eg_print_chain(&p, exc);
    pm_free(rt, p.seen);
    ctx_drop_file(&c);
    fflush(out);
}

/* ---- where reports go ------------------------------------------------------ */

void pmi_report_begin(pm_runtime *rt, pmi_report *r) {
    (void)rt;
    r->buf = NULL;
    r->len = 0;
    r->out = open_memstream(&r->buf, &r->len);
    if (!r->out) r->out = stderr;
}

/* Writes the report to sys.stderr: 1 when it went there or was meant to go
 * nowhere (sys.stderr is None), 0 when the caller should write it to the C
 * stderr. */
static int report_to_sys_stderr(pm_runtime *rt, const char *buf, size_t len) {
    pm_object *f = pmi_stdio_current(rt, 2);
    if (!f) return 0;
    if (f == PM_NONE) {
        pm_decref(rt, f);
        return 1;
    }
    pm_object *text = pm_str_from_utf8(rt, buf, (pm_ssize_t)len);
    int ok = text && pmi_file_write_str(rt, f, text) == 0 && pmi_file_flush(rt, f) == 0;
    pm_xdecref(rt, text);
    pm_decref(rt, f);
    return ok;
}

void pmi_report_end(pm_runtime *rt, pmi_report *r) {
    if (r->out == stderr) {
        fflush(stderr);
        return;
    }
    int closed = fclose(r->out) == 0;
    r->out = NULL;
    if (closed && r->len) {
        pm_object *pending = pm_err_occurred(rt) ? pm_err_fetch(rt) : NULL;
        if (!report_to_sys_stderr(rt, r->buf, r->len)) {
            fwrite(r->buf, 1, r->len, stderr);
            fflush(stderr);
        }
        pm_err_clear(rt);
        if (pending) pm_err_restore(rt, pending);
    }
    free(r->buf);
    r->buf = NULL;
}

/* ---- the end of a run ------------------------------------------------------ */

/* SystemExit's status: code None -> 0, an int -> itself, anything else is
 * printed (str) to stderr -> 1. */
static int system_exit_status(pm_runtime *rt, pm_object *exc) {
    pm_object *code = pm_getattr_cstr(rt, exc, "code");
    if (!code) {
        pm_err_clear(rt);
        code = pm_newref(rt, exc);
    }
    int status = 0;
    if (code == PM_NONE) {
        status = 0;
    } else if (pm_int_check(code)) {
        long v = pm_int_as_long(rt, code);
        if (v == -1 && pm_err_occurred(rt)) pm_err_clear(rt);
        status = (int)(v & 0xff);     /* what exit(v) reports */
    } else {
        pm_object *s = pm_str(rt, code);
        if (s) {
            pm_ssize_t n;
            const char *t = pm_str_as_utf8(rt, s, &n);
            if (t) fwrite(t, 1, (size_t)n, stderr);
            pm_decref(rt, s);
        }
        pm_err_clear(rt);
        fputc('\n', stderr);
        status = 1;
    }
    pm_decref(rt, code);
    return status;
}

/* The runtime's preallocated MemoryError outlives the run: what a report
 * left on it (a traceback, a context) is dropped, in the whole chain and
 * in the members of exception groups (depth: groups entered). */
static void release_memerrors_in(pm_runtime *rt, pm_object *exc, int depth) {
    for (int guard = 0; exc && pm_exc_check(exc) && guard < 10000; guard++) {
        pm_object *next = pm_exc_get_context(exc);
        if (pm_is_instance(exc, &pm_exc_MemoryError) && pm_refcnt(rt, exc) > 1) {
            pm_exc_set_traceback(rt, exc, NULL);
            pm_exc_set_cause(rt, exc, NULL);
            pm_exc_set_context(rt, exc, NULL);
            break;
        }
        if (depth < 100 && pm_is_instance(exc, &pm_exc_BaseExceptionGroup)) {
            pm_object *excs = pm_getattr_cstr(rt, exc, "exceptions");
            for (pm_ssize_t i = 0; excs && pm_tuple_check(excs) && i < pm_tuple_size(excs); i++)
                release_memerrors_in(rt, pm_tuple_get(rt, excs, i), depth + 1);
            pm_xdecref(rt, excs);
            pm_err_clear(rt);
        }
        exc = next;
    }
}

static void release_memerrors(pm_runtime *rt, pm_object *exc) { release_memerrors_in(rt, exc, 0); }

/* An uncaught exception's report: sys.excepthook(type, value, tb) when the
 * program replaced it (3.11's _PyErr_PrintEx: a hook that fails is
 * reported, then the original; one raising SystemExit exits with its
 * status), else the default one.  Returns the exit status. */
static int report_uncaught(pm_runtime *rt, pm_object *exc) {
    /* no sys module (an embedder's runtime), or no memory to look: the
     * default report, as if the hook were the default one */
    pm_object *hook = pmi_sys_get(rt, "excepthook");
    int looked = hook || !pm_err_occurred(rt);
    pm_err_clear(rt);
    pm_object *dflt = pmi_sys_get(rt, "__excepthook__");
    pm_err_clear(rt);
    pmi_stdio_flush(rt);
    fflush(stdout);
    pmi_report rep;
    if (!hook) {
        if (looked && dflt) fputs("sys.excepthook is missing\n", stderr);
    } else if (hook != dflt) {
        pm_object *tb = pm_exc_get_traceback(exc);
        pm_object *argv[3] = {pm_type_as_object(pm_type_of(exc)), exc, tb ? tb : PM_NONE};
        pm_incref(rt, hook);
        pm_object *r = pm_call(rt, hook, argv, 3, NULL);
        pm_decref(rt, hook);
        if (r) {
            pm_decref(rt, r);
            return 1;
        }
        pm_object *e2 = pm_err_fetch(rt);
        if (e2 && pm_is_instance(e2, &pm_exc_SystemExit)) {
            int status = system_exit_status(rt, e2);
            pm_decref(rt, e2);
            return status;
        }
        pmi_stdio_flush(rt);
        fflush(stdout);
        pmi_report_begin(rt, &rep);
        fputs("Error in sys.excepthook:\n", rep.out);
        if (e2) pmi_exception_print(rt, e2, rep.out);
        pm_xdecref(rt, e2);
        fputs("\nOriginal exception was:\n", rep.out);
        pm_err_clear(rt);
        pmi_exception_print(rt, exc, rep.out);
        pmi_report_end(rt, &rep);
        return 1;
    }
    pm_err_clear(rt);
    pmi_report_begin(rt, &rep);
    pmi_exception_print(rt, exc, rep.out);
    pmi_report_end(rt, &rep);
    return 1;
}

int pmi_handle_uncaught(pm_runtime *rt) {
    pm_object *exc = pm_err_fetch(rt);
    if (!exc) return 1;
    int status = 1;
    if (pm_is_instance(exc, &pm_exc_SystemExit)) {
        status = system_exit_status(rt, exc);
    } else {
        status = report_uncaught(rt, exc);
        if (pm_is_instance(exc, &pm_exc_KeyboardInterrupt)) status = PMI_EXIT_SIGINT;
    }
    release_memerrors(rt, exc);
    pm_decref(rt, exc);
    pm_err_clear(rt);
    return status;
}

/* ---- sys.unraisablehook ---------------------------------------------------- */

void pmi_unraisable_print(pm_runtime *rt, const char *where, pm_object *obj, pm_object *exc) {
    tb_ctx c;
    pmi_report rep;
    pmi_report_begin(rt, &rep);
    ctx_init(&c, rt, rep.out);
    if (obj && obj != PM_NONE) {
        fprintf(c.out, "%s: ", where ? where : "Exception ignored in");
        pm_object *r = pm_repr(rt, obj);
        if (r) put_str(&c, r);
        else fputs("<object repr() failed>", c.out);
        pm_xdecref(rt, r);
        pm_err_clear(rt);
        fputc('\n', c.out);
    } else if (where) {
        fprintf(c.out, "%s:\n", where);
    }
    if (exc) {
        print_tb(&c, pm_exc_get_traceback(exc));
        print_type_name(&c, exc);
        print_value_text(&c, exc, 1);
        fputc('\n', c.out);
    }
    ctx_drop_file(&c);
    pm_err_clear(rt);
    pmi_report_end(rt, &rep);
}

/* The runtime's unraisable hook: sys.unraisablehook when the program
 * replaced it, else the default report. */
static void unraisable_hook(pm_runtime *rt, const char *where, pm_object *obj, pm_object *exc, void *ctx) {
    (void)ctx;
    if (!pmi_sys_run_unraisablehook(rt, where, obj, exc)) pmi_unraisable_print(rt, where, obj, exc);
}

void pmi_traceback_install_unraisable_hook(pm_runtime *rt) {
    pm_set_unraisable_hook(rt, unraisable_hook, NULL);
}
