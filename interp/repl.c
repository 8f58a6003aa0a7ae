/*
 * interp/repl.c -- the interactive prompt.
 *
 * Purpose
 *   What `python3` does when its stdin is a terminal, or after a program
 *   run with -i: read a statement, run it, show the value, again, until
 *   EOF (CPython 3.11's PyRun_InteractiveLoopFlags and the 'single'
 *   compile mode).  Reading a line is the caller's (a pmi_repl_reader:
 *   GNU readline or a stdio reader in main.c), so the loop needs no
 *   line-editing library.
 *
 * One statement, as the user sees it
 *
 *     >>> def f(x):            ps1 (sys.ps1): the buffer was empty
 *     ...     return x * 2     ps2 (sys.ps2): a compound statement goes on
 *     ...                      an empty line ends it: compile, run
 *     >>> f(4)                 a simple statement runs at once
 *     8                        PRINT_EXPR -> sys.displayhook -> repr, builtins._
 *
 * The states of the input buffer
 *   EMPTY     prompt ps1; an empty or comment-only line keeps it empty.
 *   PENDING   prompt ps2; after every line the buffer is parsed in 'single'
 *             mode and one of:
 *               parsed, a simple statement        -> RUN
 *               parsed, a compound statement      -> RUN after an empty line
 *               error that more input could cure  -> PENDING
 *               any other error                   -> printed, EMPTY
 *   RUN       compiled and run in __main__'s dict; an uncaught exception is
 *             reported (sys.last_type/value/traceback set) and the loop goes
 *             on; SystemExit ends the loop with its code.
 *   Ctrl-C while reading drops the buffer ("KeyboardInterrupt"); EOF on an
 *   empty buffer ends the loop (status 0); EOF on a pending one makes it
 *   final: it runs, or its error is printed.
 *
 * "More input could cure it" (pymm's front end has no incomplete-input
 * mode, CPython's PyCF_ALLOW_INCOMPLETE_INPUT): an unclosed bracket, an
 * unterminated triple-quoted string, a backslash at the end, a block
 * header with no block yet, a try with no handler yet, or any error the
 * parser places past the last line.  The first two hold across empty
 * lines (an empty line inside brackets or a string belongs to them); the
 * others only while the last line is not empty: an empty line ends a
 * compound statement, so its error is then final, as in CPython's prompt.
 * At EOF nothing can cure anything.
 *
 * Nothing here is global: the loop's state is on its C stack; the
 * exit/quit objects are ordinary objects in builtins.
 */
#include "repl.h"
#include "arena.h"
#include "ast.h"
#include "builtins.h"
#include "compile.h"
#include "diag.h"
#include "import.h"
#include "parser.h"
#include "traceback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- exit and quit (site.py's _sitebuiltins.Quitter) ---------------------- */

/* An exit/quit object. */
typedef struct quitter {
    pm_object ob_base;              /* refcount + &quitter_type */
    const char *name;               /* "exit" or "quit" (static text) */
} quitter;

static void quitter_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_del(rt, self);
}

static int quitter_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    (void)self;
    (void)visit;
    (void)arg;
    return 0;
}

static pm_object *quitter_repr(pm_runtime *rt, pm_object *self) {
    return pm_str_from_format(rt, "Use %s() or Ctrl-D (i.e. EOF) to exit", ((quitter *)self)->name);
}

/* exit(code=None): SystemExit(code).  (site's also closes sys.stdin.) */
static pm_object *quitter_call(pm_runtime *rt, pm_object *self, pm_object *const *args, size_t nargsf,
                               pm_object *kwnames) {
    static const char *const names[] = {"code", NULL};
    pm_object *code[1] = {NULL};
    if (!pmi_bi_parse(rt, ((quitter *)self)->name, names, 0, 1, 0, args, pm_vectorcall_nargs(nargsf),
                      kwnames, code))
        return NULL;
    pm_err_set_object(rt, &pm_exc_SystemExit, code[0] ? code[0] : PM_NONE);
    return NULL;
}

static const pm_type quitter_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "_sitebuiltins.Quitter",
    .basicsize = sizeof(quitter),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = quitter_dealloc,
    .traverse = quitter_traverse,
    .repr = quitter_repr,
    .call = quitter_call,
};

int pmi_repl_add_quitters(pm_runtime *rt) {
    static const char *const names[] = {"exit", "quit"};
    pm_object *bdict = pmi_interp_get(rt)->builtins;
    for (int i = 0; i < 2; i++) {
        quitter *q = (quitter *)pm_gc_new(rt, &quitter_type);
        if (!q) return -1;
        q->name = names[i];     /* never tracked: it holds no objects */
        pm_object *k = pm_str_intern_cstr(rt, names[i]);
        int r = k ? pm_dict_set(rt, bdict, k, (pm_object *)q) : -1;
        pm_xdecref(rt, k);
        pm_decref(rt, (pm_object *)q);
        if (r < 0) return -1;
    }
    return 0;
}

/* ---- the input buffer ------------------------------------------------------ */

/* The statement being typed. */
typedef struct inbuf {
    char *text;                     /* pm_malloc'ed, NUL-terminated; NULL while empty */
    size_t len;                     /* bytes used */
    size_t cap;                     /* bytes allocated */
    int nlines;                     /* lines in it */
} inbuf;

static int inbuf_append(pm_runtime *rt, inbuf *b, const char *s, size_t n) {
    if (b->len + n + 2 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 2) cap *= 2;
        char *t = pm_realloc(rt, b->text, cap);
        if (!t) {
            pm_err_nomem(rt);
            return -1;
        }
        b->text = t;
        b->cap = cap;
    }
    memcpy(b->text + b->len, s, n);
    b->len += n;
    if (!b->len || b->text[b->len - 1] != '\n') b->text[b->len++] = '\n';
    b->text[b->len] = 0;
    b->nlines++;
    return 0;
}

static void inbuf_reset(pm_runtime *rt, inbuf *b) {
    pm_free(rt, b->text);
    memset(b, 0, sizeof *b);
}

/* 1 when the line holds only blanks (the line that ends a block). */
static int is_empty_line(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\f' && s[i] != '\r' && s[i] != '\n') return 0;
    return 1;
}

/* 1 when the line holds only blanks and a comment. */
static int is_comment_line(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f')) i++;
    return i < n && s[i] == '#';
}

/* The buffer's last line with its trailing blanks and newline cut:
 * [*start, *end). */
static void last_line(const inbuf *b, const char **start, const char **end) {
    const char *e = b->text + b->len;
    while (e > b->text && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t')) e--;
    const char *s = e;
    while (s > b->text && s[-1] != '\n') s--;
    *start = s;
    *end = e;
}

static int starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Could more lines cure this error (see the essay)?  ended: the last line
 * typed was empty (1) or the input is at its end (2: nothing can). */
static int more_could_cure(pm_runtime *rt, const pmi_syntax_error *err, const inbuf *b, int ended) {
    if (ended == 2) return 0;
    const char *msg = err->msg ? pm_str_as_utf8(rt, err->msg, NULL) : NULL;
    if (!msg) {
        pm_err_clear(rt);
        return 0;
    }
    if (strstr(msg, "was never closed") || starts_with(msg, "unterminated triple-quoted string"))
        return 1;
    if (ended) return 0;
    if (starts_with(msg, "unexpected EOF while parsing") || starts_with(msg, "expected 'except' or 'finally' block"))
        return 1;
    if (err->lineno > b->nlines) return 1;      /* placed at the end of the input */
    if (starts_with(msg, "expected an indented block")) {
        const char *s, *e;
        last_line(b, &s, &e);
        return e > s && e[-1] == ':';           /* the header is the last line typed */
    }
    return 0;
}

/* What one look at the buffer decided. */
enum { STMT_MORE, STMT_CODE, STMT_BAD, STMT_FAIL };

/* Parses the buffer (and compiles it once complete): STMT_CODE with *code
 * set, STMT_MORE, STMT_BAD (the SyntaxError printed), STMT_FAIL (a pm
 * error pending: MemoryError). */
static int compile_stmt(pm_runtime *rt, const inbuf *b, int ended, pm_object **code) {
    int res = STMT_FAIL;
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pmi_warnings w;                 /* SyntaxWarnings, printed as python3's */
    pmi_warnings_init(&w);
    err.warnings = &w;
    pmi_arena *a = pmi_arena_new(rt);
    pm_object *fn = pm_str_from_cstr(rt, "<stdin>");
    if (!a || !fn) goto done;
    mod_ty m = pmi_parse(rt, a, b->text, b->len, fn, PMI_MODE_SINGLE, &err);
    if (m) {
        asdl_stmt_seq *body = m->v.Interactive.body;
        /* a compound statement waits for its empty line; one followed by
         * another statement is compiled now: the compiler's 'single' check
         * reports it (python3's "invalid syntax" at the second one) */
        if (!ended && body && body->size == 1 && pmi_compile_is_compound(body->typed_elements[0])) {
            res = STMT_MORE;
            goto done;
        }
        *code = pmi_compile_ex(rt, m, fn, PMI_MODE_SINGLE, pmi_sys_optimize(rt), a, b->text, b->len, &err);
        if (*code) {
            res = STMT_CODE;
            goto done;
        }
    }
    if (!err.kind) goto done;       /* MemoryError */
    if (!m && more_could_cure(rt, &err, b, ended)) {
        res = STMT_MORE;
        goto done;
    }
    pmi_stdio_flush(rt);
    fflush(stdout);
    pmi_syntax_error_print(rt, &err, stderr);
    res = STMT_BAD;
done:
    if (res != STMT_MORE) pmi_warnings_print(&w, "<stdin>", 0, stderr);
    pmi_warnings_clear(rt, &w);
    pmi_syntax_error_clear(rt, &err);
    pm_xdecref(rt, fn);
    if (a) pmi_arena_free(a);
    return res;
}

/* Runs one statement.  Returns -1 to go on, else the exit status. */
static int run_stmt(pm_runtime *rt, pm_object *code, pm_object *globals) {
    pm_object *res = pmi_eval_code(rt, code, globals, globals);
    pmi_stdio_flush(rt);            /* CPython's flush_io after each statement */
    if (res) {
        pm_decref(rt, res);
        return -1;
    }
    const pm_type *et = pm_err_occurred_type(rt);
    if (et && pm_type_is_subtype(et, &pm_exc_SystemExit)) {
        int st = pmi_handle_uncaught(rt);
        return st < 0 ? 1 : st;
    }
    /* sys.last_type / last_value / last_traceback, for pdb.pm() and friends */
    pm_object *exc = pm_err_fetch(rt);
    if (exc) {
        pm_object *tb = pm_exc_get_traceback(exc);
        if (pmi_sys_set(rt, "last_type", (pm_object *)pm_type_of(exc)) < 0 ||
            pmi_sys_set(rt, "last_value", exc) < 0 || pmi_sys_set(rt, "last_traceback", tb ? tb : PM_NONE) < 0)
            pm_err_clear(rt);
        pm_err_restore(rt, exc);
    }
    (void)pmi_handle_uncaught(rt);  /* the report; the session goes on */
    return -1;
}

/* sys.<name> as text for a prompt (pm_malloc'ed copy; "" when absent).
 * When str() fails the error is reported and the prompt is "" (the line
 * is still read: a prompt whose str() always fails cannot stop the
 * session).  NULL only when not even the copy can be made. */
static char *prompt_text(pm_runtime *rt, const char *name) {
    pm_object *p = pmi_sys_get(rt, name);
    pm_object *s = p ? pm_str(rt, p) : NULL;
    pm_ssize_t n = 0;
    const char *u = s ? pm_str_as_utf8(rt, s, &n) : NULL;
    if (!u) {
        if (pm_err_occurred(rt)) (void)pmi_handle_uncaught(rt);
        u = "";
        n = 0;
    }
    char *copy = pm_malloc(rt, (size_t)n + 1);
    if (copy) {
        memcpy(copy, u, (size_t)n);
        copy[n] = 0;
    } else {
        pm_err_nomem(rt);
    }
    pm_xdecref(rt, s);
    return copy;
}

/* sys.ps1 / sys.ps2 when not set yet. */
static int default_prompts(pm_runtime *rt) {
    static const char *const names[] = {"ps1", "ps2"}, *const values[] = {">>> ", "... "};
    for (int i = 0; i < 2; i++) {
        if (pmi_sys_get(rt, names[i])) continue;
        pm_object *v = pm_str_from_cstr(rt, values[i]);
        int r = v ? pmi_sys_set(rt, names[i], v) : -1;
        pm_xdecref(rt, v);
        if (r < 0) return -1;
    }
    return 0;
}

int pmi_repl_run(pm_runtime *rt, pm_object *globals, pmi_repl_reader read, void *ctx) {
    inbuf b;
    memset(&b, 0, sizeof b);
    int status = -1;
    if (default_prompts(rt) < 0) (void)pmi_handle_uncaught(rt);  /* reported; the prompts are then "" */
    while (status < 0) {
        char *prompt = prompt_text(rt, b.nlines ? "ps2" : "ps1");
        char *line = NULL;
        size_t len = 0;
        int r = prompt ? read(ctx, prompt, &line, &len) : PMI_READ_NOMEM;
        pm_free(rt, prompt);
        int ended = 0;
        if (r == PMI_READ_INTR) {
            inbuf_reset(rt, &b);
            pmi_stdio_flush(rt);
            fputs("\nKeyboardInterrupt\n", stderr);
            continue;
        }
        if (r == PMI_READ_NOMEM) {
            pm_err_clear(rt);
            inbuf_reset(rt, &b);
            fputs("MemoryError\n", stderr);
            continue;
        }
        if (r == PMI_READ_EOF) {
            fputs("\n", stderr);
            if (!b.nlines) {
                status = 0;
                break;
            }
            ended = 2;          /* Ctrl-D at ps2: what was typed is all there is */
        } else {
            if (!b.nlines && (is_empty_line(line, len) || is_comment_line(line, len))) {
                free(line);
                continue;
            }
            /* the empty line that ends a block is not part of it (an
             * error at the end is then placed on that line, as CPython's);
             * inside brackets or a string it is (added below) */
            ended = b.nlines && is_empty_line(line, len);
            if (!ended && inbuf_append(rt, &b, line, len) < 0) {
                free(line);
                pm_err_clear(rt);
                inbuf_reset(rt, &b);
                fputs("MemoryError\n", stderr);
                continue;
            }
        }
        pm_object *code = NULL;
        int c = compile_stmt(rt, &b, ended, &code);
        if (c == STMT_MORE && ended == 1 && inbuf_append(rt, &b, line, len) < 0) {
            pm_err_clear(rt);
            inbuf_reset(rt, &b);
            fputs("MemoryError\n", stderr);
            c = STMT_BAD;
        }
        free(line);
        if (c == STMT_MORE) continue;
        inbuf_reset(rt, &b);
        if (c == STMT_FAIL) {
            (void)pmi_handle_uncaught(rt);
        } else if (c == STMT_CODE) {
            status = run_stmt(rt, code, globals);
            pm_decref(rt, code);
        }
        pm_err_clear(rt);
    }
    inbuf_reset(rt, &b);
    pm_err_clear(rt);
    return status;
}
