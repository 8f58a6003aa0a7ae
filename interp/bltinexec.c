/*
 * interp/bltinexec.c — the builtins that see the running frame or the std
 * streams: globals, locals, vars, dir, exec, eval, compile, input,
 * __import__, print.
 *
 * The frame
 *   A builtin called by the evaluation loop runs while its caller is the
 *   interpreter's innermost frame (pmi_interp_get(rt)->frame), so
 *   globals() is that frame's globals, and locals() its locals mapping
 *   (module and class bodies) or, in a function, a new dict of the bound
 *   fast locals (CPython 3.11 returns the frame's f_locals snapshot; pymm
 *   builds the same contents afresh on each call).  Frames are only read.
 *
 * exec / eval / compile
 *   Source (str, or bytes read as UTF-8) goes through the front end
 *   (pmi_compile_source) in mode exec/eval/single; a syntax error becomes a
 *   SyntaxError object with CPython's args (msg, (filename, lineno, offset,
 *   text, end_lineno, end_offset)).  eval strips leading spaces and tabs
 *   first, as CPython does.  When the globals dict has no __builtins__ the
 *   current builtins dict is stored under that name (3.11's exec/eval store
 *   the dict, not the module).  The code runs in a new frame on top of
 *   the caller's (pmi_eval_code).
 *
 * print
 *   print(*objects, sep=' ', end='\n', file=None, flush=False): file None
 *   is sys.stdout (nothing is written when that is None); every piece goes
 *   through file.write (pymm's own streams take a direct path), then
 *   file.flush() when flush is true.  The pieces are written one by one,
 *   as CPython does, so an unbuffered stream makes one write per piece.
 */
#include "builtins.h"
#include "code.h"
#include "compile.h"
#include "import.h"
#include "parser.h"

#include <string.h>

/* The innermost frame, or NULL with SystemError. */
static pmi_frame *current_frame(pm_runtime *rt, const char *what) {
    pmi_interp *in = pmi_interp_get(rt);
    if (in && in->frame) return in->frame;
    pm_err_format(rt, PM_EXC_SystemError, "%s(): no current frame", what);
    return NULL;
}

/* locals() of frame f: NEW ref. */
static pm_object *frame_locals(pm_runtime *rt, pmi_frame *f) {
    if (f->locals) return pm_newref(rt, f->locals);
    const pmi_code *co = (const pmi_code *)f->code;
    pm_object *d = pm_dict_new(rt);
    if (!d) return NULL;
    const char *kinds = pm_bytes_data(co->localspluskinds);
    for (int i = 0; i < co->nlocalsplus; i++) {
        /* plain locals only: cells and frees hold cell objects (the VM's) */
        if ((unsigned char)kinds[i] != PMI_CO_FAST_LOCAL || !f->localsplus[i]) continue;
        if (pm_dict_set(rt, d, pm_tuple_get(rt, co->localsplusnames, i), f->localsplus[i]) < 0) {
            pm_decref(rt, d);
            return NULL;
        }
    }
    return d;
}

static pm_object *b_globals(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    (void)args;
    if (!pmi_bi_exact(rt, "globals", nargs, kwnames, 0)) return NULL;
    pmi_frame *f = current_frame(rt, "globals");
    return f ? pm_newref(rt, f->globals) : NULL;
}

static pm_object *b_locals(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                           pm_object *kwnames) {
    (void)args;
    if (!pmi_bi_exact(rt, "locals", nargs, kwnames, 0)) return NULL;
    pmi_frame *f = current_frame(rt, "locals");
    return f ? frame_locals(rt, f) : NULL;
}

static pm_object *b_vars(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "vars", nargs, kwnames, 0, 1)) return NULL;
    if (nargs == 0) {
        pmi_frame *f = current_frame(rt, "vars");
        return f ? frame_locals(rt, f) : NULL;
    }
    pm_object *name = pm_str_intern_cstr(rt, "__dict__"), *d = NULL;
    if (!name) return NULL;
    int found = pm_getattr_opt(rt, args[0], name, &d);
    pm_decref(rt, name);
    if (found < 0) return NULL;
    if (!found) {
        pm_err_set(rt, PM_EXC_TypeError, "vars() argument must have __dict__ attribute");
        return NULL;
    }
    return d;
}

static pm_object *b_dir(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "dir", nargs, kwnames, 0, 1)) return NULL;
    pm_object *names = NULL, *list = NULL;
    if (nargs == 0) {
        pmi_frame *f = current_frame(rt, "dir");
        if (!f) return NULL;
        names = frame_locals(rt, f);
        if (!names) return NULL;
        list = pm_dict_keys(rt, names);
        pm_decref(rt, names);
        if (!list) return NULL;
        if (pm_list_sort(rt, list, 0) < 0) PM_CLEAR(rt, list);
        return list;
    }
    /* sorted(type(o).__dir__(o)): object's, type's and module's own, or
     * the class's */
    pm_object *o = args[0], *key = pm_str_intern_cstr(rt, "__dir__");
    if (!key) return NULL;
    pm_object *dirfunc = pm_type_lookup(rt, pm_type_of(o), key);
    pm_decref(rt, key);
    if (!dirfunc) {
        if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_TypeError, "object does not provide __dir__");
        return NULL;
    }
    pm_descrgetfunc get = pm_type_of(dirfunc)->descr_get;
    dirfunc = get ? get(rt, dirfunc, o, pm_type_as_object(pm_type_of(o))) : pm_newref(rt, dirfunc);
    if (!dirfunc) return NULL;
    names = pm_call_noargs(rt, dirfunc);
    pm_decref(rt, dirfunc);
    if (!names) return NULL;
    list = pm_list_new(rt);
    if (!list || pm_list_extend(rt, list, names) < 0 || pm_list_sort(rt, list, 0) < 0) goto fail;
    pm_decref(rt, names);
    return list;
fail:
    pm_xdecref(rt, names);
    pm_xdecref(rt, list);
    return NULL;
}

/* ---- compiling source ---------------------------------------------------- */

/* Raises the syntax error e as a SyntaxError (or subclass) object. */
static void raise_syntax(pm_runtime *rt, pmi_syntax_error *e) {
    const pm_type *t = e->kind == PMI_TAB_ERROR           ? &pm_exc_TabError
                       : e->kind == PMI_INDENTATION_ERROR ? &pm_exc_IndentationError
                                                          : &pm_exc_SyntaxError;
    pm_object *ln = NULL, *off = NULL, *eln = NULL, *eoff = NULL, *loc = NULL, *args = NULL, *exc = NULL;
    ln = pm_int_from_ssize(rt, e->lineno);
    off = pm_int_from_ssize(rt, e->offset);
    eln = pm_int_from_ssize(rt, e->end_lineno);
    eoff = pm_int_from_ssize(rt, e->end_offset);
    if (ln && off && eln && eoff)
        loc = pm_tuple_pack(rt, 6, e->filename ? e->filename : PM_NONE, ln, off,
                            e->text ? e->text : PM_NONE, eln, eoff);
    if (loc) args = pm_tuple_pack(rt, 2, e->msg ? e->msg : PM_NONE, loc);
    if (args) exc = pm_exc_new(rt, t, args, NULL);
    if (exc) pm_err_restore(rt, exc);
    pm_xdecref(rt, ln);
    pm_xdecref(rt, off);
    pm_xdecref(rt, eln);
    pm_xdecref(rt, eoff);
    pm_xdecref(rt, loc);
    pm_xdecref(rt, args);
}

/* The UTF-8 text of a str / bytes / bytearray source, or NULL with the
 * TypeError "<what>() arg 1 must be a string, bytes or code object". */
static const char *source_text(pm_runtime *rt, pm_object *src, const char *what, pm_ssize_t *len) {
    const char *s = NULL;
    if (pm_str_check(src)) {
        s = pm_str_as_utf8(rt, src, len);
    } else if (pm_bytes_check(src)) {
        s = pm_bytes_data(src);
        *len = pm_bytes_size(src);
    } else if (pm_bytearray_check(src)) {
        s = pm_bytearray_data(src);
        *len = pm_bytearray_size(src);
    } else {
        pm_err_format(rt, PM_EXC_TypeError, "%s() arg 1 must be a string, bytes or %s object", what,
                      strcmp(what, "compile") ? "code" : "AST");
        return NULL;
    }
    if (s && memchr(s, 0, (size_t)*len)) {
        pm_err_set(rt, PM_EXC_ValueError, "source code string cannot contain null bytes");
        return NULL;
    }
    return s;
}

/* Compiles src[0..len) to a code object: NEW ref. */
static pm_object *compile_text(pm_runtime *rt, const char *s, pm_ssize_t len, pm_object *filename,
                               int mode, int optimize) {
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pm_object *co = pmi_compile_source(rt, s, (size_t)len, filename, mode, optimize, &err);
    if (!co && err.kind) raise_syntax(rt, &err);
    /* the parser can take a failed allocation for a failed alternative and
     * still produce code with MemoryError pending: the error wins */
    if (co && pm_err_occurred(rt)) PM_CLEAR(rt, co);
    pmi_syntax_error_clear(rt, &err);
    return co;
}

static pm_object *b_compile(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    static const char *const names[] = {"source", "filename", "mode", "flags", "dont_inherit",
                                        "optimize", "_feature_version", NULL};
    pm_object *a[7];
    if (!pmi_bi_parse(rt, "compile", names, 0, 6, 3, args, nargs, kwnames, a)) return NULL;
    if (!pm_str_check(a[1])) {
        pm_err_format(rt, PM_EXC_TypeError, "expected str, bytes or os.PathLike object, not %s",
                      pm_type_name(pm_type_of(a[1])));
        return NULL;
    }
    if (!pm_str_check(a[2])) {
        pm_err_format(rt, PM_EXC_TypeError, "compile() argument 'mode' must be str, not %s",
                      pm_type_name(pm_type_of(a[2])));
        return NULL;
    }
    int mode;
    if (pm_str_equal_cstr(a[2], "exec")) mode = PMI_MODE_EXEC;
    else if (pm_str_equal_cstr(a[2], "eval")) mode = PMI_MODE_EVAL;
    else if (pm_str_equal_cstr(a[2], "single")) mode = PMI_MODE_SINGLE;
    else {
        pm_err_set(rt, PM_EXC_ValueError, "compile() mode must be 'exec', 'eval' or 'single'");
        return NULL;
    }
    int optimize = -1;
    if (a[5]) {
        pm_ssize_t o = pm_index_as_ssize(rt, a[5], PM_INDEX_OVERFLOWERROR);
        if (o == -1 && pm_err_occurred(rt)) return NULL;
        if (o < -1 || o > 2) {
            pm_err_set(rt, PM_EXC_ValueError, "compile(): invalid optimize value");
            return NULL;
        }
        optimize = (int)o;
    }
    if (pmi_code_check(a[0])) return pm_newref(rt, a[0]);
    pm_ssize_t len;
    const char *s = source_text(rt, a[0], "compile", &len);
    if (!s) return NULL;
    return compile_text(rt, s, len, a[1], mode, optimize);
}

/* The shared part of exec and eval: the code of args[0] and the namespaces.
 * *code, *globals, *locals get NEW refs; 0 / -1. */
static int exec_setup(pm_runtime *rt, const char *what, pm_object *src, pm_object *g, pm_object *l,
                      int mode, pm_object **code, pm_object **globals, pm_object **locals) {
    int is_eval = mode == PMI_MODE_EVAL;
    *code = *globals = *locals = NULL;
    if (g == PM_NONE) g = NULL;
    if (l == PM_NONE) l = NULL;
    if (g && !pm_dict_check(g)) {
        if (is_eval)
            pm_err_set(rt, PM_EXC_TypeError, "globals must be a dict");
        else
            pm_err_format(rt, PM_EXC_TypeError, "exec() globals must be a dict, not %s",
                          pm_type_name(pm_type_of(g)));
        return -1;
    }
    if (l && !(pm_type_of(l)->as_mapping && pm_type_of(l)->as_mapping->mp_subscript)) {
        if (is_eval)
            pm_err_set(rt, PM_EXC_TypeError, "locals must be a mapping");
        else
            pm_err_format(rt, PM_EXC_TypeError, "locals must be a mapping or None, not %s",
                          pm_type_name(pm_type_of(l)));
        return -1;
    }
    pmi_frame *f = pmi_interp_get(rt) ? pmi_interp_get(rt)->frame : NULL;
    if (!g) {
        if (!f) {
            pm_err_format(rt, PM_EXC_SystemError, "%s(): no current frame", what);
            return -1;
        }
        g = f->globals;
        if (!l) {
            *locals = frame_locals(rt, f);
            if (!*locals) return -1;
        }
    }
    if (!*locals) *locals = pm_newref(rt, l ? l : g);
    *globals = pm_newref(rt, g);
    /* __builtins__: the current builtins dict when the globals lack one */
    pm_object *key = pm_str_intern_cstr(rt, "__builtins__");
    if (!key) goto fail;
    int has = pm_dict_contains(rt, g, key);
    if (has == 0) {
        pm_object *b = f ? f->builtins : pmi_interp_get(rt)->builtins;
        has = pm_dict_set(rt, g, key, b);
    }
    pm_decref(rt, key);
    if (has < 0) goto fail;
    if (pmi_code_check(src)) {
        *code = pm_newref(rt, src);
        return 0;
    }
    pm_ssize_t len;
    const char *s = source_text(rt, src, what, &len);
    if (!s) goto fail;
    if (is_eval)
        while (len > 0 && (*s == ' ' || *s == '\t')) s++, len--;
    pm_object *fn = pm_str_from_cstr(rt, "<string>");
    if (!fn) goto fail;
    *code = compile_text(rt, s, len, fn, mode, -1);
    pm_decref(rt, fn);
    if (!*code) goto fail;
    return 0;
fail:
    PM_CLEAR(rt, *globals);
    PM_CLEAR(rt, *locals);
    return -1;
}

static pm_object *b_eval(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "eval", nargs, kwnames, 1, 3)) return NULL;
    pm_object *code, *g, *l;
    if (exec_setup(rt, "eval", args[0], nargs > 1 ? args[1] : NULL, nargs > 2 ? args[2] : NULL,
                   PMI_MODE_EVAL, &code, &g, &l) < 0)
        return NULL;
    pm_object *r = pmi_eval_code(rt, code, g, l);
    pm_decref(rt, code);
    pm_decref(rt, g);
    pm_decref(rt, l);
    return r;
}

static pm_object *b_exec(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    static const char *const names[] = {"source", "globals", "locals", "closure", NULL};
    pm_object *a[4];
    if (nargs == 0) {
        pm_err_set(rt, PM_EXC_TypeError, "exec() takes at least 1 positional argument (0 given)");
        return NULL;
    }
    if (!pmi_bi_parse(rt, "exec", names, 3, 3, 1, args, nargs, kwnames, a)) return NULL;
    pm_object *code, *g, *l;
    if (exec_setup(rt, "exec", a[0], a[1], a[2], PMI_MODE_EXEC, &code, &g, &l) < 0) return NULL;
    pm_object *r = pmi_eval_code(rt, code, g, l);
    pm_decref(rt, code);
    pm_decref(rt, g);
    pm_decref(rt, l);
    if (!r) return NULL;
    pm_decref(rt, r);
    return PM_NONE;
}

/* __import__(name, globals=None, locals=None, fromlist=(), level=0) */
static pm_object *b_import(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                           pm_object *kwnames) {
    static const char *const names[] = {"name", "globals", "locals", "fromlist", "level", NULL};
    pm_object *a[5];
    if (!pmi_bi_parse(rt, "__import__", names, 0, 5, 1, args, nargs, kwnames, a)) return NULL;
    pm_object *level = a[4] ? pm_newref(rt, a[4]) : pm_int_from_long(rt, 0);
    if (!level) return NULL;
    pm_object *fromlist = a[3] ? a[3] : PM_NONE;
    pmi_interp *in = pmi_interp_get(rt);
    pm_object *r = pmi_import_name(rt, in ? in->frame : NULL, a[0], fromlist, level);
    pm_decref(rt, level);
    return r;
}

/* ---- input ------------------------------------------------------------------ */

static pm_object *b_input(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames) {
    if (!pmi_bi_positional(rt, "input", nargs, kwnames, 0, 1)) return NULL;
    pm_object *in = NULL, *out = NULL, *err = NULL, *line = NULL;
    if (!(in = pmi_stdio_current(rt, 0)) || in == PM_NONE) {
        if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_RuntimeError, "input(): lost sys.stdin");
        goto done;
    }
    if (!(out = pmi_stdio_current(rt, 1)) || out == PM_NONE) {
        if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_RuntimeError, "input(): lost sys.stdout");
        goto done;
    }
    err = pmi_stdio_current(rt, 2);
    if (err && err != PM_NONE && pmi_file_flush(rt, err) < 0) pm_err_clear(rt);
    pm_err_clear(rt);
    if (nargs == 1) {
        pm_object *p = pm_str(rt, args[0]);
        if (!p) goto done;
        int rc = pmi_file_write_str(rt, out, p);
        pm_decref(rt, p);
        if (rc < 0) goto done;
    }
    if (pmi_file_flush(rt, out) < 0) goto done;
    line = pmi_file_readline(rt, in);
done:
    pm_xdecref(rt, in);
    pm_xdecref(rt, out);
    pm_xdecref(rt, err);
    if (!line) return NULL;
    if (!pm_str_check(line)) {
        pm_decref(rt, line);
        pm_err_set(rt, PM_EXC_TypeError, "object.readline() returned non-string");
        return NULL;
    }
    pm_ssize_t n = pm_str_length(line);
    if (n == 0) {
        pm_decref(rt, line);
        pm_object *msg = pm_str_from_cstr(rt, "EOF when reading a line");
        if (msg) {
            pm_err_set_object(rt, &pm_exc_EOFError, msg);
            pm_decref(rt, msg);
        }
        return NULL;
    }
    if (pm_str_read_char(line, n - 1) == '\n') {
        pm_object *cut = pm_str_slice(rt, line, 0, n - 1, 1);
        pm_decref(rt, line);
        return cut;
    }
    return line;
}

/* ---- print ------------------------------------------------------------------ */

static pm_object *b_print(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                          pm_object *kwnames) {
    pm_object *sep = NULL, *end = NULL, *file = NULL, *flush = NULL;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    for (pm_ssize_t i = 0; i < nkw; i++) {
        pm_object *k = pm_tuple_get(rt, kwnames, i);
        pm_object *v = args[nargs + i];
        if (pm_str_equal_cstr(k, "sep")) sep = v;
        else if (pm_str_equal_cstr(k, "end")) end = v;
        else if (pm_str_equal_cstr(k, "file")) file = v;
        else if (pm_str_equal_cstr(k, "flush")) flush = v;
        else {
            const char *kn = pm_str_as_utf8(rt, k, NULL);
            if (kn) pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for print()", kn);
            return NULL;
        }
    }
    if (!file || file == PM_NONE) {
        file = pmi_stdio_current(rt, 1);    /* a new ref */
        if (!file) {
            if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_RuntimeError, "lost sys.stdout");
            return NULL;
        }
        /* sys.stdout is None: print does nothing */
        if (file == PM_NONE) return PM_NONE;
    } else {
        pm_incref(rt, file);
    }
    if (sep == PM_NONE) sep = NULL;
    if (end == PM_NONE) end = NULL;
    pm_object *space = NULL, *nl = NULL;
    if (sep && !pm_str_check(sep)) {
        pm_err_format(rt, PM_EXC_TypeError, "sep must be None or a string, not %s",
                      pm_type_name(pm_type_of(sep)));
        goto fail;
    }
    if (end && !pm_str_check(end)) {
        pm_err_format(rt, PM_EXC_TypeError, "end must be None or a string, not %s",
                      pm_type_name(pm_type_of(end)));
        goto fail;
    }
    for (pm_ssize_t i = 0; i < nargs; i++) {
        if (i > 0) {
            if (!sep && !space && !(space = pm_str_from_cstr(rt, " "))) goto fail;
            if (pmi_file_write_str(rt, file, sep ? sep : space) < 0) goto fail;
        }
        pm_object *s = pm_str(rt, args[i]);
        if (!s) goto fail;
        int rc = pmi_file_write_str(rt, file, s);
        pm_decref(rt, s);
        if (rc < 0) goto fail;
    }
    if (!end && !(nl = pm_str_from_cstr(rt, "\n"))) goto fail;
    if (pmi_file_write_str(rt, file, end ? end : nl) < 0) goto fail;
    if (flush) {
        int t = pm_is_true(rt, flush);
        if (t < 0 || (t && pmi_file_flush(rt, file) < 0)) goto fail;
    }
    pm_xdecref(rt, space);
    pm_xdecref(rt, nl);
    pm_decref(rt, file);
    return PM_NONE;
fail:
    pm_xdecref(rt, space);
    pm_xdecref(rt, nl);
    pm_decref(rt, file);
    return NULL;
}

const pmi_builtin_def pmi_bltin_exec[] = {
    {"__import__", b_import, 0},
    {"compile", b_compile, 0},
    {"dir", b_dir, 1},
    {"eval", b_eval, 0},
    {"exec", b_exec, 0},
    {"globals", b_globals, 1},
    {"input", b_input, 0},
    {"locals", b_locals, 1},
    {"print", b_print, 0},
    {"vars", b_vars, 1},
    {NULL, NULL, 0},
};
