/*
 * tests/tb/test_tb.c — traceback and frame objects, the report, the end of
 * a run and the unraisable hook, driven from C (the Python side is checked
 * against python3 by tests/py/scripts/tb_*.py; what Python code cannot
 * reach yet — the objects' attributes, a frame object outliving its
 * frame, SystemExit, the unraisable report, allocation failures while
 * reporting, the collector breaking a traceback cycle — is checked here).
 *
 * Each check prints "FAIL: ..." and the test exits 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "parser.h"
#include "interp.h"
#include "traceback.h"

static int failures;

#define CHECK(cond, ...)                                          \
    do {                                                          \
        if (!(cond)) {                                            \
            failures++;                                           \
            fprintf(stderr, "FAIL line %d: ", __LINE__);          \
            fprintf(stderr, __VA_ARGS__);                         \
            fputc('\n', stderr);                                  \
        }                                                         \
    } while (0)

static const char SOURCE[] = "a = 1\n"
                             "b = [a, 2]\n"
                             "c = a + b[1] * b[7]\n";

static char path[256];

/* Bytes in use after a full collection with the caches emptied. */
static size_t in_use(pm_runtime *rt) {
    pm_alloc_stats st;
    pm_type_state_clear(rt);    /* types' lazily made dicts are not the test's bytes */
    pm_gc_collect(rt, 2);
    pm_freelists_clear(rt);
    pm_alloc_stats_get(rt, &st);
    return st.small_bytes_in_use + st.large_bytes;
}

/* Runs SOURCE as __main__: the pending error's exception (new ref) or
 * NULL; *globals gets the module dict (new ref). */
static pm_object *run(pm_runtime *rt, pm_object **globals) {
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pm_object *fn = pm_str_from_cstr(rt, path);
    pm_object *co = fn ? pmi_compile_source(rt, SOURCE, sizeof SOURCE - 1, fn, PMI_MODE_EXEC, -1, &err) : NULL;
    pmi_syntax_error_clear(rt, &err);
    pm_xdecref(rt, fn);
    *globals = NULL;
    if (!co) return pm_err_fetch(rt);
    pm_object *g = pm_dict_new(rt);
    pm_object *res = g ? pmi_eval_code(rt, co, g, g) : NULL;
    pm_xdecref(rt, res);
    pm_decref(rt, co);
    *globals = g;
    return pm_err_fetch(rt);
}

static long int_attr(pm_runtime *rt, pm_object *o, const char *name) {
    pm_object *v = pm_getattr_cstr(rt, o, name);
    long r = v && pm_int_check(v) ? pm_int_as_long(rt, v) : -999;
    pm_xdecref(rt, v);
    pm_err_clear(rt);
    return r;
}

/* text written by fn(rt, arg) to a FILE, into buf. */
static void capture(pm_runtime *rt, pm_object *exc, char *buf, size_t size) {
    FILE *f = tmpfile();
    pmi_exception_print(rt, exc, f);
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
}

static const char REPORT_FMT[] = "Traceback (most recent call last):\n"
                                 "  File \"%s\", line 3, in <module>\n"
                                 "    c = a + b[1] * b[7]\n"
                                 "                   ~^^^\n"
                                 "IndexError: list index out of range\n";

static void check_objects(pm_runtime *rt) {
    pm_object *g;
    pm_object *exc = run(rt, &g);
    CHECK(exc && pm_is_instance(exc, &pm_exc_IndexError), "IndexError expected");
    if (!exc) return;
    pm_object *tb = pm_exc_get_traceback(exc);
    CHECK(tb && pmi_traceback_check(tb), "a traceback object");
    if (!tb || !pmi_traceback_check(tb)) goto done;
    CHECK(strcmp(pm_type_name(pm_type_of(tb)), "traceback") == 0, "type name");
    CHECK(int_attr(rt, tb, "tb_lineno") == 3, "tb_lineno 3, got %ld", int_attr(rt, tb, "tb_lineno"));
    long lasti = int_attr(rt, tb, "tb_lasti");
    CHECK(lasti > 0 && lasti % 2 == 0, "tb_lasti %ld", lasti);
    pm_object *next = pm_getattr_cstr(rt, tb, "tb_next");
    CHECK(next == PM_NONE, "tb_next None");
    pm_xdecref(rt, next);
    /* tb_next: a loop, a wrong type, None */
    pm_object *five = pm_int_from_long(rt, 5);
    pm_object *name = pm_str_from_cstr(rt, "tb_next");
    CHECK(pm_setattr(rt, tb, name, tb) < 0 && pm_err_matches(rt, PM_EXC_ValueError), "loop refused");
    pm_err_clear(rt);
    CHECK(pm_setattr(rt, tb, name, five) < 0 && pm_err_matches(rt, PM_EXC_TypeError), "int refused");
    pm_err_clear(rt);
    CHECK(pm_setattr(rt, tb, name, PM_NONE) == 0, "None accepted");
    pm_decref(rt, five);
    pm_decref(rt, name);

    /* the frame object outlived its frame (detached at the pop) */
    pm_object *fo = pm_getattr_cstr(rt, tb, "tb_frame");
    CHECK(fo && pmi_frame_object_check(fo), "tb_frame is a frame");
    if (fo && pmi_frame_object_check(fo)) {
        CHECK(int_attr(rt, fo, "f_lineno") == 3, "f_lineno");
        CHECK(int_attr(rt, fo, "f_lasti") == lasti, "f_lasti == tb_lasti");
        pm_object *v = pm_getattr_cstr(rt, fo, "f_globals");
        CHECK(v == g, "f_globals is the module dict");
        pm_xdecref(rt, v);
        v = pm_getattr_cstr(rt, fo, "f_locals");
        CHECK(v == g, "module frame: f_locals is globals");
        pm_xdecref(rt, v);
        v = pm_getattr_cstr(rt, fo, "f_back");
        CHECK(v == PM_NONE, "f_back None at the bottom");
        pm_xdecref(rt, v);
        v = pm_getattr_cstr(rt, fo, "f_code");
        CHECK(v && pmi_code_check(v), "f_code");
        pm_xdecref(rt, v);
        v = pm_getattr_cstr(rt, fo, "f_builtins");
        CHECK(v && pm_type_of(v) == &pm_dict_type, "f_builtins");
        pm_xdecref(rt, v);
        pm_err_clear(rt);
        pm_object *r = pm_repr(rt, fo);
        const char *rs = r ? pm_str_as_utf8(rt, r, NULL) : "";
        char tail[400];
        snprintf(tail, sizeof tail, ", file '%s', line 3, code <module>>", path);
        CHECK(strncmp(rs, "<frame at 0x", 12) == 0 && strlen(rs) > strlen(tail) &&
                  strcmp(rs + strlen(rs) - strlen(tail), tail) == 0,
              "repr %s", rs);
        pm_xdecref(rt, r);
    }
    pm_xdecref(rt, fo);

    char want[1024], got[2048];
    snprintf(want, sizeof want, REPORT_FMT, path);
    capture(rt, exc, got, sizeof got);
    CHECK(strcmp(got, want) == 0, "report:\n%s--- wanted:\n%s", got, want);
    CHECK(!pm_err_occurred(rt), "no error left by the report");

    /* the report again with every allocation failing in turn: it degrades
     * (no source line, no markers) but always ends with the exception's
     * line, leaves no error and leaks nothing */
    for (long n = 1; n < 200; n++) {
        size_t before = in_use(rt);
        pm_fault_inject(rt, n, 0);
        capture(rt, exc, got, sizeof got);
        long fired = pm_fault_fired(rt);
        pm_fault_inject(rt, 0, 0);
        CHECK(!pm_err_occurred(rt), "fault %ld: error left", n);
        size_t len = strlen(got);
        const char *last = "IndexError: list index out of range\n";
        CHECK(len >= strlen(last) && strcmp(got + len - strlen(last), last) == 0, "fault %ld: report %s", n, got);
        CHECK(in_use(rt) == before, "fault %ld: leak", n);
        if (!fired) break;
    }
done:
    pm_decref(rt, exc);
    if (g) pm_dict_clear(rt, g);
    pm_xdecref(rt, g);
}

/* "Did you mean": a NameError carrying its name, given the traceback of
 * a run of SOURCE (globals a, b, c; the builtins), as python3 prints it. */
static void check_suggestions(pm_runtime *rt) {
    static const char *const cases[][2] = {
        {"bb", "NameError: name 'bb' is not defined. Did you mean: 'b'?\n"},
        {"lenn", "NameError: name 'lenn' is not defined. Did you mean: 'len'?\n"},
        {"zzzzzz", "NameError: name 'zzzzzz' is not defined\n"},
    };
    pm_object *g;
    pm_object *run_exc = run(rt, &g);
    CHECK(run_exc && pm_exc_get_traceback(run_exc), "run");
    for (size_t i = 0; run_exc && i < sizeof cases / sizeof cases[0]; i++) {
        char msg[100], got[2048];
        snprintf(msg, sizeof msg, "name '%s' is not defined", cases[i][0]);
        pm_object *text = pm_str_from_cstr(rt, msg);
        pm_object *args = pm_tuple_from_array(rt, &text, 1);
        pm_object *kw = pm_dict_new(rt);
        pm_object *key = pm_str_from_cstr(rt, "name");
        pm_object *val = pm_str_from_cstr(rt, cases[i][0]);
        pm_dict_set(rt, kw, key, val);
        pm_object *exc = pm_exc_new(rt, &pm_exc_NameError, args, kw);
        CHECK(exc, "NameError made");
        if (exc) {
            pm_exc_set_traceback(rt, exc, pm_newref(rt, pm_exc_get_traceback(run_exc)));
            capture(rt, exc, got, sizeof got);
            size_t len = strlen(got), wl = strlen(cases[i][1]);
            CHECK(len >= wl && strcmp(got + len - wl, cases[i][1]) == 0, "suggestion: %s", got);
        }
        pm_xdecref(rt, exc);
        pm_decref(rt, val);
        pm_decref(rt, key);
        pm_decref(rt, kw);
        pm_decref(rt, args);
        pm_decref(rt, text);
    }
    pm_xdecref(rt, run_exc);
    if (g) pm_dict_clear(rt, g);
    pm_xdecref(rt, g);
}

/* A SyntaxError raised at run time: the traceback, then its own block
 * (python3's output for the same exception after "raise e"). */
static pm_object *syntax_error(pm_runtime *rt, const pm_type *t, const char *msg, const char *file, long line,
                               long off, const char *text, long end_line, long end_off) {
    pm_object *items[6] = {pm_str_from_cstr(rt, file), pm_int_from_long(rt, line), pm_int_from_long(rt, off),
                           pm_str_from_cstr(rt, text), pm_int_from_long(rt, end_line),
                           pm_int_from_long(rt, end_off)};
    pm_object *detail = pm_tuple_from_array(rt, items, 6);
    pm_object *m = pm_str_from_cstr(rt, msg);
    pm_object *pair[2] = {m, detail};
    pm_object *args = pm_tuple_from_array(rt, pair, 2);
    pm_object *exc = pm_exc_new(rt, t, args, NULL);
    for (int i = 0; i < 6; i++) pm_decref(rt, items[i]);
    pm_decref(rt, detail);
    pm_decref(rt, m);
    pm_decref(rt, args);
    return exc;
}

static void check_forms(pm_runtime *rt) {
    char got[8192], want[8192], one[1024];
    pm_object *g1, *g2, *g3;
    pm_object *e1 = run(rt, &g1), *e2 = run(rt, &g2), *e3 = run(rt, &g3);
    snprintf(one, sizeof one, REPORT_FMT, path);
    CHECK(e1 && e2 && e3, "runs");
    if (e1 && e2 && e3) {
        /* e3 from e2 (cause), e2 during e1 (context) */
        pm_exc_set_context(rt, e2, pm_newref(rt, e1));
        pm_exc_set_cause(rt, e3, pm_newref(rt, e2));
        pm_exc_set_context(rt, e3, pm_newref(rt, e1));   /* hidden: the cause wins */
        pm_object *note = pm_str_from_cstr(rt, "first\nsecond");
        CHECK(pm_exc_add_note(rt, e3, note) == 0, "add_note");
        pm_decref(rt, note);
        snprintf(want, sizeof want,
                 "%s\nDuring handling of the above exception, another exception occurred:\n\n%s"
                 "\nThe above exception was the direct cause of the following exception:\n\n%sfirst\nsecond\n",
                 one, one, one);
        capture(rt, e3, got, sizeof got);
        CHECK(strcmp(got, want) == 0, "chain:\n%s--- wanted:\n%s", got, want);
        /* __suppress_context__ without a cause: the context is not shown */
        pm_exc_set_suppress_context(e2, 1);
        capture(rt, e2, got, sizeof got);
        CHECK(strcmp(got, one) == 0, "suppressed context:\n%s", got);
        pm_exc_set_suppress_context(e2, 0);
        /* a loop in the chain is cut */
        pm_exc_set_context(rt, e1, pm_newref(rt, e2));
        snprintf(want, sizeof want,
                 "%s\nDuring handling of the above exception, another exception occurred:\n\n%s", one, one);
        capture(rt, e2, got, sizeof got);
        CHECK(strcmp(got, want) == 0, "loop:\n%s", got);
        pm_exc_set_context(rt, e1, NULL);
        pm_exc_set_cause(rt, e3, NULL);
        pm_exc_set_context(rt, e3, NULL);
        pm_exc_set_context(rt, e2, NULL);

        /* ten entries of one place: three shown, the rest counted; then
         * two of another place */
        pm_object *fo = pm_getattr_cstr(rt, pm_exc_get_traceback(e1), "tb_frame");
        pm_object *tb = NULL;
        for (int i = 0; fo && i < 12; i++) {
            pm_object *t = pmi_traceback_new(rt, tb, fo, 0, i < 2 ? 2 : 1);
            pm_xdecref(rt, tb);
            tb = t;
        }
        pm_exc_set_traceback(rt, e1, tb);
        snprintf(want, sizeof want,
                 "Traceback (most recent call last):\n"
                 "  File \"%s\", line 1, in <module>\n    a = 1\n"
                 "  File \"%s\", line 1, in <module>\n    a = 1\n"
                 "  File \"%s\", line 1, in <module>\n    a = 1\n"
                 "  [Previous line repeated 7 more times]\n"
                 "  File \"%s\", line 2, in <module>\n    b = [a, 2]\n"
                 "  File \"%s\", line 2, in <module>\n    b = [a, 2]\n"
                 "IndexError: list index out of range\n",
                 path, path, path, path, path);
        capture(rt, e1, got, sizeof got);
        CHECK(strcmp(got, want) == 0, "repeated:\n%s--- wanted:\n%s", got, want);
        pm_xdecref(rt, fo);

        /* SyntaxError's block, after the traceback; IndentationError with an
         * offset inside the stripped indentation: no caret */
        pm_object *se = syntax_error(rt, &pm_exc_SyntaxError, "bad thing", "f.py", 1, 5, "x = (1, 2\n", 1, 8);
        pm_object *note2 = pm_str_from_cstr(rt, "a note");
        if (se) pm_exc_add_note(rt, se, note2);
        pm_decref(rt, note2);
        if (se) pm_exc_set_traceback(rt, se, pm_newref(rt, pm_exc_get_traceback(e2)));
        size_t head = strlen(one) - strlen("IndexError: list index out of range\n");
        snprintf(want, sizeof want, "%.*s  File \"f.py\", line 1\n    x = (1, 2\n        ^^^\nSyntaxError: bad thing\na note\n",
                 (int)head, one);
        if (se) capture(rt, se, got, sizeof got);
        CHECK(se && strcmp(got, want) == 0, "SyntaxError:\n%s--- wanted:\n%s", got, want);
        pm_xdecref(rt, se);
        se = syntax_error(rt, &pm_exc_IndentationError, "unexpected indent", "g.py", 2, 3, "    y = 2\n", 2, 4);
        if (se) capture(rt, se, got, sizeof got);
        CHECK(se && strcmp(got, "  File \"g.py\", line 2\n    y = 2\nIndentationError: unexpected indent\n") == 0,
              "IndentationError:\n%s", got);
        pm_xdecref(rt, se);
    }
    pm_object *gs[3] = {g1, g2, g3};
    pm_xdecref(rt, e1);
    pm_xdecref(rt, e2);
    pm_xdecref(rt, e3);
    for (int i = 0; i < 3; i++) {
        if (gs[i]) pm_dict_clear(rt, gs[i]);
        pm_xdecref(rt, gs[i]);
    }
    CHECK(!pm_err_occurred(rt), "no error left");
}

/* Frames pushed by hand (no calls on this branch yet): a function frame's
 * f_locals snapshot and f_back, live and after the pop. */
static void check_frames(pm_runtime *rt) {
    static const char src[] = "def f(x, y):\n    z = x\n    return z\n";
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pm_object *fn = pm_str_from_cstr(rt, path);
    pm_object *mod = pmi_compile_source(rt, src, sizeof src - 1, fn, PMI_MODE_EXEC, -1, &err);
    pmi_syntax_error_clear(rt, &err);
    pm_decref(rt, fn);
    CHECK(mod, "compiled");
    if (!mod) return;
    pm_object *fcode = pm_tuple_get(rt, ((pmi_code *)mod)->consts, 0);
    CHECK(pmi_code_check(fcode), "f's code");
    pmi_interp *in = pmi_interp_get(rt);
    pm_object *g = pm_dict_new(rt);
    pmi_frame *outer = pmi_frame_push(rt, mod, NULL, g, in->builtins, g);
    pmi_frame *inner = outer ? pmi_frame_push(rt, fcode, PM_NONE, g, in->builtins, NULL) : NULL;
    CHECK(inner, "frames pushed");
    if (inner) {
        inner->localsplus[0] = pm_int_from_long(rt, 10);     /* x */
        inner->localsplus[2] = pm_str_from_cstr(rt, "zed");  /* z; y unbound */
        pm_object *fo = pmi_frame_object_get(rt, inner);
        pm_object *again = pmi_frame_object_get(rt, inner);
        CHECK(fo && fo == again, "made once, then cached");
        pm_xdecref(rt, again);
        pm_object *loc = fo ? pm_getattr_cstr(rt, fo, "f_locals") : NULL;
        pm_object *r = loc ? pm_repr(rt, loc) : NULL;
        const char *rs = r ? pm_str_as_utf8(rt, r, NULL) : "";
        CHECK(strcmp(rs, "{'x': 10, 'z': 'zed'}") == 0, "live f_locals %s", rs);
        pm_xdecref(rt, r);
        pm_xdecref(rt, loc);
        pm_object *back = fo ? pm_getattr_cstr(rt, fo, "f_back") : NULL;
        CHECK(back && pmi_frame_object_check(back) && back == outer->frame_obj, "live f_back");
        pm_xdecref(rt, back);
        pmi_frame_pop(rt, inner);
        /* detached: the snapshot and the link survive the frame */
        loc = fo ? pm_getattr_cstr(rt, fo, "f_locals") : NULL;
        r = loc ? pm_repr(rt, loc) : NULL;
        rs = r ? pm_str_as_utf8(rt, r, NULL) : "";
        CHECK(strcmp(rs, "{'x': 10, 'z': 'zed'}") == 0, "detached f_locals %s", rs);
        pm_xdecref(rt, r);
        pm_xdecref(rt, loc);
        back = fo ? pm_getattr_cstr(rt, fo, "f_back") : NULL;
        CHECK(back && pmi_frame_object_check(back) && back == outer->frame_obj, "detached f_back");
        CHECK(int_attr(rt, fo, "f_lasti") == 0, "f_lasti of an unstarted frame");
        pm_object *r2 = pm_repr(rt, fo);
        const char *rs2 = r2 ? pm_str_as_utf8(rt, r2, NULL) : "";
        CHECK(strstr(rs2, ", line 1, code f>") != NULL, "repr %s", rs2);
        pm_xdecref(rt, r2);
        pm_xdecref(rt, back);
        pm_xdecref(rt, fo);
        pm_err_clear(rt);
    }
    if (outer) pmi_frame_pop(rt, outer);
    pm_dict_clear(rt, g);
    pm_decref(rt, g);
    pm_decref(rt, mod);
    CHECK(!pm_err_occurred(rt), "no error left");
}

/* exc -> tb -> frame -> globals -> exc: only the collector frees it. */
static void check_cycle(pm_runtime *rt) {
    size_t before = in_use(rt);
    pm_object *g;
    pm_object *exc = run(rt, &g);
    CHECK(exc && g, "run");
    if (exc && g) {
        pm_object *key = pm_str_from_cstr(rt, "e");
        CHECK(pm_dict_set(rt, g, key, exc) == 0, "store");
        pm_decref(rt, key);
    }
    pm_xdecref(rt, exc);
    pm_xdecref(rt, g);
    CHECK(in_use(rt) == before, "cycle through the traceback collected (%zu != %zu)", in_use(rt), before);
}

/* Allocation failures while the error is raised: MemoryError, or the
 * original error with entries missing; never a leak. */
static void check_faults(pm_runtime *rt) {
    for (long n = 1; n < 2000; n++) {
        size_t before = in_use(rt);
        pm_fault_inject(rt, n, 0);
        pm_object *g;
        pm_object *exc = run(rt, &g);
        long fired = pm_fault_fired(rt);
        pm_fault_inject(rt, 0, 0);
        CHECK(exc && (pm_is_instance(exc, &pm_exc_IndexError) || pm_is_instance(exc, &pm_exc_MemoryError)),
              "fault %ld: wrong error", n);
        if (exc) {
            FILE *f = tmpfile();
            pmi_exception_print(rt, exc, f);
            fclose(f);
            pm_exc_set_traceback(rt, exc, NULL);    /* the shared MemoryError */
        }
        pm_xdecref(rt, exc);
        if (g) pm_dict_clear(rt, g);
        pm_xdecref(rt, g);
        CHECK(in_use(rt) == before, "fault %ld: leak", n);
        if (!fired) break;
    }
}

/* stderr of fn into buf (the hooks write to stderr). */
static int with_stderr(pm_runtime *rt, int (*fn)(pm_runtime *, void *), void *arg, char *buf, size_t size) {
    fflush(stderr);
    int saved = dup(2);
    FILE *f = tmpfile();
    dup2(fileno(f), 2);
    int r = fn(rt, arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
    return r;
}

static int raise_exit(pm_runtime *rt, void *arg) {
    pm_err_set_object(rt, &pm_exc_SystemExit, (pm_object *)arg);
    return pmi_handle_uncaught(rt);
}

static int raise_interrupt(pm_runtime *rt, void *arg) {
    (void)arg;
    pm_err_set_object(rt, &pm_exc_KeyboardInterrupt, NULL);
    return pmi_handle_uncaught(rt);
}

static int unraisable(pm_runtime *rt, void *arg) {
    (void)arg;
    pm_err_set(rt, PM_EXC_ValueError, "");
    pm_object *obj = pm_str_from_cstr(rt, "obj");
    pm_err_write_unraisable(rt, "Exception ignored in", obj);
    pm_err_set(rt, PM_EXC_KeyError, "k");
    pm_err_write_unraisable(rt, "Exception ignored in gc callback", NULL);
    pm_decref(rt, obj);
    return 0;
}

static void check_exit(pm_runtime *rt) {
    char out[1024];
    CHECK(with_stderr(rt, raise_exit, NULL, out, sizeof out) == 0 && out[0] == 0, "SystemExit() -> 0");
    pm_object *three = pm_int_from_long(rt, 3);
    CHECK(with_stderr(rt, raise_exit, three, out, sizeof out) == 3 && out[0] == 0, "SystemExit(3) -> 3");
    pm_decref(rt, three);
    static const long codes[][2] = {{256, 0}, {-1, 255}, {258, 2}};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        pm_object *v = pm_int_from_long(rt, codes[i][0]);
        CHECK(with_stderr(rt, raise_exit, v, out, sizeof out) == codes[i][1], "SystemExit(%ld)", codes[i][0]);
        pm_decref(rt, v);
    }
    pm_object *bye = pm_str_from_cstr(rt, "bye");
    CHECK(with_stderr(rt, raise_exit, bye, out, sizeof out) == 1 && strcmp(out, "bye\n") == 0,
          "SystemExit('bye') -> 1, printed: %s", out);
    pm_decref(rt, bye);
    CHECK(with_stderr(rt, raise_interrupt, NULL, out, sizeof out) == PMI_EXIT_SIGINT &&
              strcmp(out, "KeyboardInterrupt\n") == 0,
          "KeyboardInterrupt: %s", out);
    CHECK(!pm_err_occurred(rt), "no error left");

    pmi_traceback_install_unraisable_hook(rt);
    with_stderr(rt, unraisable, NULL, out, sizeof out);
    CHECK(strcmp(out, "Exception ignored in: 'obj'\nValueError: \n"
                      "Exception ignored in gc callback:\nKeyError: 'k'\n") == 0,
          "unraisable report:\n%s", out);
    pm_set_unraisable_hook(rt, NULL, NULL);
}

int main(void) {
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/pymm_tb_%ld.py", tmp && tmp[0] ? tmp : "/tmp", (long)getpid());
    FILE *src = fopen(path, "w");
    if (!src || fwrite(SOURCE, 1, sizeof SOURCE - 1, src) != sizeof SOURCE - 1 || fclose(src) != 0) {
        fprintf(stderr, "FAIL: cannot write %s\n", path);
        return 1;
    }
    pm_config cfg;
    pm_config_init(&cfg);
    pm_runtime *rt = pm_runtime_new(&cfg);
    if (!rt || pmi_interp_init(rt) < 0) {
        fprintf(stderr, "FAIL: runtime\n");
        return 1;
    }
    pm_object *g;
    pm_xdecref(rt, run(rt, &g));    /* warm the per-runtime caches */
    if (g) pm_dict_clear(rt, g);
    pm_xdecref(rt, g);
    check_objects(rt);
    check_objects(rt);      /* the second time every cache is warm: exact leak checks */
    check_suggestions(rt);
    check_frames(rt);
    size_t before = in_use(rt);
    check_frames(rt);
    CHECK(in_use(rt) == before, "frames: every byte back");
    check_forms(rt);
    check_cycle(rt);
    check_faults(rt);
    check_exit(rt);
    pmi_interp_fini(rt);
    pm_runtime_free(rt);
    remove(path);
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    puts("tb: ok");
    return 0;
}
