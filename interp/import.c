/*
 * interp/import.c — the import system: sys.modules, built-in modules, .py
 * files along sys.path, packages and relative imports.
 *
 * Purpose
 *   CPython 3.11 runs `import` through importlib (finders, loaders, specs);
 *   pymm keeps the behaviour a program can see and drops the machinery:
 *
 *     import a.b.c          IMPORT_NAME 'a.b.c' (fromlist None, level 0)
 *        │
 *        ├─ resolve   level > 0: __package__ / __name__ of the importer
 *        │            gives the base package ("from .. import x")
 *        ├─ a         sys.modules? ─no─▶ built-in table? ─no─▶ sys.path:
 *        │                               DIR/a/__init__.py (a package,
 *        │                               __path__ = [DIR/a]) or DIR/a.py
 *        ├─ a.b       found along a.__path__, then bound as a.b
 *        ├─ a.b.c     ...
 *        └─ result    `import a.b.c` binds the top package a; with a
 *                     fromlist the module itself (submodules named in the
 *                     fromlist are imported too)
 *
 *   Loading a file: a fresh module (with __file__, __cached__, __package__,
 *   __path__ for packages, __builtins__) goes into sys.modules *before* its
 *   code runs, so a circular import finds the half-made module; while the
 *   code runs the module is flagged initializing (CPython's
 *   spec._initializing) for the "partially initialized module" messages.
 *   If the code fails the entry is removed again and the error propagates.
 *   There is no bytecode cache (python3 -B behaviour).
 *
 * Invariants
 *   - Every module object in sys.modules is reachable only through it and
 *     the bindings a program made; pmi_import_fini clears each module's
 *     dict (the cycles through functions' globals), then sys.modules.
 *   - No state outside sys.modules and the sys module: sys.path is read at
 *     each import, as importlib does.
 *
 * Errors mirrored (CPython's texts)
 *   ModuleNotFoundError "No module named 'x'" (name='x'), "No module named
 *   'a.b'; 'a' is not a package"; ImportError "cannot import name 'y' from
 *   'm' (/path/m.py)", "... from 'sys' (unknown location)", "... from
 *   partially initialized module 'm' (most likely due to a circular import)
 *   (/path/m.py)", "attempted relative import with no known parent
 *   package", "attempted relative import beyond top-level package",
 *   "import of x halted; None in sys.modules"; ValueError "Empty module
 *   name"; a syntax error in an imported file raises SyntaxError with its
 *   filename/lineno/offset/text as the compiler reported them.
 *
 * -X importtime: each load that does not find the module in sys.modules
 * (find_and_load's miss, a failed one too) writes python3's line to
 * stderr when it ends: self and cumulative microseconds and the name,
 * indented two spaces per level of the loads it is nested in (a parent
 * package loaded on the way to a.b is nested in a.b's line, as importlib
 * does it).  State: the interpreter's importtime / import_level /
 * import_nested_ns.
 *
 * Not done: namespace packages (a directory without __init__.py), import
 * hooks (meta_path, path_hooks), __spec__ objects (None), extension
 * modules, zip imports.
 */
#include "import.h"
#include "modules.h"
#include "compile.h"
#include "parser.h"
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the built-in module table -------------------------------------------- */

static pm_object *builtins_module_init(pm_runtime *rt);

/* name → init.  Add a built-in module here. */
static const pmi_builtin_module builtin_table[] = {
    {"builtins", builtins_module_init},
    {"gc", pmi_gcmodule_init},
    {"sys", pmi_sysmodule_init},
    {"math", pmi_math_init},
    {"atexit", pmi_atexit_init},
    {"_functools", pmi_functools_init},
    {"random", pmi_random_init},
    {"time", pmi_time_init},
    {"itertools", pmi_itertools_init},
    {"_struct", pmi_struct_init},
    {"array", pmi_array_init},
    {"posix", pmi_posix_init},
    {"_weakref", pmi_weakref_module_init},
    {"_collections", pmi_collections_init},
    {"_tracemalloc", pmi_tracemalloc_init},
    {"pymm", pmi_pymm_init},
};

static const pmi_builtin_module *builtin_find(const char *name) {
    for (size_t i = 0; i < sizeof builtin_table / sizeof builtin_table[0]; i++)
        if (strcmp(builtin_table[i].name, name) == 0) return &builtin_table[i];
    return NULL;
}

static const pmi_module_def builtins_def = {
    .name = "builtins",
    .doc = "Built-in functions, exceptions, and other objects.\n\nNoteworthy: None is the `nil' object; "
    "Ellipsis represents `...' in slices.",
};

/* The builtins module: its dict is the interpreter's builtins dict. */
static pm_object *builtins_module_init(pm_runtime *rt) {
    pmi_interp *in = pmi_interp_get(rt);
    pm_object *name = pm_str_intern_cstr(rt, "builtins");
    if (!name) return NULL;
    pm_object *m = pmi_module_new(rt, name, in->builtins);
    pm_decref(rt, name);
    if (!m) return NULL;
    ((pmi_module *)m)->def = &builtins_def;
    if (pmi_module_add_new(rt, m, "__doc__", pm_str_from_cstr(rt, builtins_def.doc)) < 0) {
        pm_decref(rt, m);
        return NULL;
    }
    return m;
}

/* ---- small helpers ---------------------------------------------------------- */

static pm_object *modules_dict(pm_runtime *rt) {
    pmi_interp *in = pmi_interp_get(rt);
    if (!in || !in->modules) {
        pm_err_set(rt, PM_EXC_SystemError, "pymm: interpreter state missing");
        return NULL;
    }
    return in->modules;
}

/* sys.modules[name] for a C string: BORROWED or NULL (error set only on a
 * real failure). */
static pm_object *modules_get(pm_runtime *rt, const char *name) {
    pm_object *mods = modules_dict(rt);
    if (!mods) return NULL;
    pm_object *k = pm_str_from_cstr(rt, name);
    if (!k) return NULL;
    pm_object *v = pm_dict_get(rt, mods, k);
    pm_decref(rt, k);
    return v;
}

static int modules_set(pm_runtime *rt, const char *name, pm_object *m) {
    pm_object *mods = modules_dict(rt);
    pm_object *k = mods ? pm_str_from_cstr(rt, name) : NULL;
    if (!k) return -1;
    int r = pm_dict_set(rt, mods, k, m);
    pm_decref(rt, k);
    return r;
}

static void modules_del(pm_runtime *rt, const char *name) {
    pm_object *mods = modules_dict(rt);
    pm_object *k = mods ? pm_str_from_cstr(rt, name) : NULL;
    if (k && pm_dict_del(rt, mods, k) < 0) pm_err_clear(rt);
    pm_xdecref(rt, k);
}

/* Raises type(msg, name=name[, path=path]) (ImportError and its subclass):
 * NULL. */
static void *raise_import_error(pm_runtime *rt, const pm_type *type, pm_object *msg,
                                const char *name, const char *path) {
    pm_object *args = NULL, *kw = NULL, *n = NULL, *p = NULL, *exc = NULL;
    if (!msg) return NULL;
    args = pm_tuple_pack(rt, 1, msg);
    kw = pm_dict_new(rt);
    if (!args || !kw) goto done;
    if (name) {
        n = pm_str_from_cstr(rt, name);
        if (!n) goto done;
        pm_object *key = pm_str_intern_cstr(rt, "name");
        int r = key ? pm_dict_set(rt, kw, key, n) : -1;
        pm_xdecref(rt, key);
        if (r < 0) goto done;
    }
    if (path) {
        p = pm_str_from_cstr(rt, path);
        pm_object *key = p ? pm_str_intern_cstr(rt, "path") : NULL;
        int r = key ? pm_dict_set(rt, kw, key, p) : -1;
        pm_xdecref(rt, key);
        if (r < 0) goto done;
    }
    exc = pm_exc_new(rt, type, args, kw);
    if (exc) pm_err_restore(rt, exc);
done:
    pm_decref(rt, msg);
    pm_xdecref(rt, args);
    pm_xdecref(rt, kw);
    pm_xdecref(rt, n);
    pm_xdecref(rt, p);
    return NULL;
}

/* Raises ImportError(msg) for a C string: NULL. */
static void *import_error(pm_runtime *rt, const char *msg) {
    pm_object *m = pm_str_from_cstr(rt, msg);
    if (m) {
        pm_err_set_object(rt, &pm_exc_ImportError, m);
        pm_decref(rt, m);
    }
    return NULL;
}

/* 1 when the pending error is an ImportError (or a subclass). */
static int import_error_pending(const pm_runtime *rt) {
    const pm_type *t = pm_err_occurred_type(rt);
    return t && pm_type_is_subtype(t, &pm_exc_ImportError);
}

static void *not_found(pm_runtime *rt, const char *name) {
    return raise_import_error(rt, &pm_exc_ModuleNotFoundError,
                              pm_str_from_format(rt, "No module named '%s'", name), name, NULL);
}

/* d[name] for a C string: BORROWED; NULL with no error when absent, NULL
 * with the error (MemoryError) when the lookup failed. */
static pm_object *dict_get_cstr(pm_runtime *rt, pm_object *d, const char *name) {
    pm_object *k = pm_str_intern_cstr(rt, name);
    if (!k) return NULL;
    pm_object *v = pm_dict_get(rt, d, k);
    pm_decref(rt, k);
    return v;
}

static int is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* pm_malloc'ed printf. */
static char *join_path(pm_runtime *rt, const char *a, const char *b, const char *c) {
    size_t n = strlen(a) + strlen(b) + strlen(c) + 3;
    char *s = pm_malloc(rt, n);
    if (!s) return pm_err_nomem(rt);
    snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/* The absolute form of directory `dir` ("" is the current directory), as
 * importlib's FileFinder makes its paths.  pm_malloc'ed. */
static char *abs_dir(pm_runtime *rt, const char *dir) {
    if (dir[0] == '/') return join_path(rt, dir, "", "");
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) return join_path(rt, dir, "", "");
    if (!dir[0] || strcmp(dir, ".") == 0) return join_path(rt, cwd, "", "");
    return join_path(rt, cwd, "/", dir);
}

/* ---- running a file as a module -------------------------------------------- */

char *pmi_read_stream(pm_runtime *rt, FILE *fp, size_t *len) {
    size_t cap = 4096, n = 0;
    char *buf = pm_malloc(rt, cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *nb = pm_realloc(rt, buf, cap * 2);
            if (!nb) break;
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
        if (got == 0) {
            buf[n] = 0;
            *len = n;
            return buf;
        }
    }
    pm_free(rt, buf);
    return pm_err_nomem(rt);
}

char *pmi_read_source(pm_runtime *rt, const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        pm_err_format(rt, PM_EXC_ValueError, "can't open file '%s'", path);
        return NULL;
    }
    char *buf = pmi_read_stream(rt, fp, len);
    fclose(fp);
    return buf;
}

/* A compile error as a pending SyntaxError (IndentationError, TabError)
 * object carrying the compiler's location. */
static void raise_syntax_error(pm_runtime *rt, const pmi_syntax_error *e) {
    const pm_type *t = e->kind == PMI_TAB_ERROR ? &pm_exc_TabError
                     : e->kind == PMI_INDENTATION_ERROR ? &pm_exc_IndentationError
                     : &pm_exc_SyntaxError;
    pm_object *lineno = pm_int_from_ssize(rt, e->lineno);
    pm_object *offset = pm_int_from_ssize(rt, e->offset);
    pm_object *endl = pm_int_from_ssize(rt, e->end_lineno);
    pm_object *endo = pm_int_from_ssize(rt, e->end_offset);
    pm_object *info = NULL, *args = NULL, *exc = NULL;
    if (lineno && offset && endl && endo)
        info = pm_tuple_pack(rt, 6, e->filename ? e->filename : PM_NONE, lineno, offset,
                             e->text ? e->text : PM_NONE, endl, endo);
    if (info) args = pm_tuple_pack(rt, 2, e->msg ? e->msg : PM_NONE, info);
    if (args) exc = pm_exc_new(rt, t, args, NULL);
    if (exc) pm_err_restore(rt, exc);
    pm_xdecref(rt, lineno);
    pm_xdecref(rt, offset);
    pm_xdecref(rt, endl);
    pm_xdecref(rt, endo);
    pm_xdecref(rt, info);
    pm_xdecref(rt, args);
}

int pmi_import_exec_file(pm_runtime *rt, pm_object *m, const char *path) {
    size_t len = 0;
    char *src = pmi_read_source(rt, path, &len);
    if (!src) return -1;
    pm_object *fn = pm_str_from_cstr(rt, path);
    pm_object *co = NULL, *res = NULL;
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    if (fn) co = pmi_compile_source(rt, src, len, fn, PMI_MODE_EXEC, pmi_sys_optimize(rt), &err);
    pm_free(rt, src);
    pm_xdecref(rt, fn);
    if (!co && err.kind) raise_syntax_error(rt, &err);
    pmi_syntax_error_clear(rt, &err);
    if (!co) return -1;
    pm_object *d = pmi_module_dict(m);
    res = pmi_eval_code(rt, co, d, d);
    pm_decref(rt, co);
    if (!res) return -1;
    pm_decref(rt, res);
    return 0;
}

/* Sets the file attributes of a module loaded from `file` (absolute). */
static int set_file_attrs(pm_runtime *rt, pm_object *m, const char *file) {
    if (pmi_module_add_new(rt, m, "__file__", pm_str_from_cstr(rt, file)) < 0) return -1;
    /* __cached__: where python3 would write the .pyc (-B writes none) */
    const char *slash = strrchr(file, '/');
    size_t dirlen = slash ? (size_t)(slash - file) : 0;
    const char *base = slash ? slash + 1 : file;
    size_t baselen = strlen(base);
    if (baselen > 3 && strcmp(base + baselen - 3, ".py") == 0) baselen -= 3;
    pm_object *cached = pm_str_from_format(rt, "%.*s%s__pycache__/%.*s.cpython-311.pyc", (int)dirlen,
                                           file, slash ? "/" : "", (int)baselen, base);
    if (pmi_module_add_new(rt, m, "__cached__", cached) < 0) return -1;
    pmi_interp *in = pmi_interp_get(rt);
    return pmi_module_add(rt, m, "__builtins__", in->builtins);
}

/* Loads `fullname` from file (pkgdir: the package directory for a
 * package, else NULL).  New ref to sys.modules[fullname] afterwards. */
static pm_object *load_file(pm_runtime *rt, const char *fullname, const char *file, const char *pkgdir) {
    pm_object *name = pm_str_from_cstr(rt, fullname);
    if (!name) return NULL;
    pm_object *m = pmi_module_new(rt, name, NULL);
    pm_decref(rt, name);
    if (!m) return NULL;
    const char *dot = strrchr(fullname, '.');
    pm_object *package = pkgdir ? pm_str_from_cstr(rt, fullname)
                                : pm_str_from_utf8(rt, fullname, dot ? dot - fullname : 0);
    if (pmi_module_add_new(rt, m, "__package__", package) < 0) goto fail;
    if (set_file_attrs(rt, m, file) < 0) goto fail;
    if (pkgdir) {
        pm_object *d = pm_str_from_cstr(rt, pkgdir);
        pm_object *path = d ? pm_list_from_array(rt, &d, 1) : NULL;
        pm_xdecref(rt, d);
        if (pmi_module_add_new(rt, m, "__path__", path) < 0) goto fail;
    }
    if (modules_set(rt, fullname, m) < 0) goto fail;
    pmi_interp *in = pmi_interp_get(rt);
    pmi_module_running running = {m, in->initializing};
    in->initializing = &running;
    int r = pmi_import_exec_file(rt, m, file);
    in->initializing = running.next;
    if (r < 0) {
        pm_object *exc = pm_err_fetch(rt);
        modules_del(rt, fullname);
        pm_err_restore(rt, exc);
        goto fail;
    }
    pm_decref(rt, m);
    m = modules_get(rt, fullname);
    if (!m) {
        /* the module took itself out of sys.modules: importlib's
         * sys.modules.pop(name) raises KeyError */
        pm_object *k = pm_err_occurred(rt) ? NULL : pm_str_from_cstr(rt, fullname);
        if (k) {
            pm_err_set_key_error(rt, k);
            pm_decref(rt, k);
        }
        return NULL;
    }
    return pm_newref(rt, m);
fail:
    pm_decref(rt, m);
    return NULL;
}

/* Searches the directories of `path` (a list of strs; other items are
 * skipped) for `last`: 1 with *file (and *pkgdir for a package) set
 * (pm_malloc'ed), 0 when absent, -1 on error. */
static int search_path(pm_runtime *rt, pm_object *path, const char *last, char **file, char **pkgdir) {
    *file = *pkgdir = NULL;
    if (!path || pm_type_of(path) != &pm_list_type) return 0;
    for (pm_ssize_t i = 0; i < pm_list_size(path); i++) {
        pm_object *item = pm_list_get(rt, path, i);
        if (!item || !pm_str_check(item)) continue;
        const char *dir = pm_str_as_utf8(rt, item, NULL);
        if (!dir) return -1;
        char *adir = abs_dir(rt, dir);
        if (!adir) return -1;
        char *pdir = join_path(rt, adir, "/", last);
        char *init = pdir ? join_path(rt, pdir, "/__init__.py", "") : NULL;
        if (init && is_dir(pdir) && is_file(init)) {
            pm_free(rt, adir);
            *file = init;
            *pkgdir = pdir;
            return 1;
        }
        pm_free(rt, init);
        pm_free(rt, pdir);
        char *mod = join_path(rt, adir, "/", last);
        char *py = mod ? join_path(rt, mod, ".py", "") : NULL;
        pm_free(rt, mod);
        pm_free(rt, adir);
        if (!py) return -1;
        if (is_file(py)) {
            *file = py;
            return 1;
        }
        pm_free(rt, py);
    }
    return 0;
}

/* Imports the absolute dotted `fullname` (parents first): NEW ref. */
static pm_object *find_and_load(pm_runtime *rt, const char *fullname);

/* The directories to search for `fullname`: sys.path for a top-level
 * name, the parent's __path__ otherwise (the parent is imported first;
 * *has_parent set).  NEW ref, or NULL with the error (ModuleNotFoundError
 * "... is not a package" when the parent has no __path__). */
static pm_object *search_dirs(pm_runtime *rt, const char *fullname, int *has_parent) {
    const char *dot = strrchr(fullname, '.');
    *has_parent = 0;
    if (!dot) {
        pm_object *p = pmi_sys_get(rt, "path");
        if (!p && pm_err_occurred(rt)) return NULL;
        if (!p || pm_type_of(p) != &pm_list_type) {
            import_error(rt, "sys.path must be a list of directory names");
            return NULL;
        }
        return pm_newref(rt, p);
    }
    size_t plen = (size_t)(dot - fullname);
    char *pname = pm_malloc(rt, plen + 1);
    if (!pname) return pm_err_nomem(rt);
    memcpy(pname, fullname, plen);
    pname[plen] = 0;
    pm_object *pm = find_and_load(rt, pname);
    pm_object *path = NULL;
    if (pm) {
        *has_parent = 1;
        if (pmi_module_check(pm) && pmi_module_dict(pm))
            path = dict_get_cstr(rt, pmi_module_dict(pm), "__path__");
        if (pm_err_occurred(rt)) path = NULL;
        if (path) pm_incref(rt, path);
        else if (!pm_err_occurred(rt))
            raise_import_error(rt, &pm_exc_ModuleNotFoundError,
                               pm_str_from_format(rt, "No module named '%s'; '%s' is not a package",
                                                  fullname, pname),
                               fullname, NULL);
        pm_decref(rt, pm);
    }
    pm_free(rt, pname);
    return path;
}

static pm_object *load_module(pm_runtime *rt, const char *fullname);

/* ---- -X importtime ---------------------------------------------------------- */

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void pmi_import_set_importtime(pm_runtime *rt, int on) {
    pmi_interp *in = pmi_interp_get(rt);
    if (in) in->importtime = on ? (in->importtime ? in->importtime : 1) : 0;
}

/* load_module(fullname) with its line written when it ends (CPython's
 * import_find_and_load: microseconds rounded up). */
static pm_object *load_timed(pm_runtime *rt, pmi_interp *in, const char *fullname) {
    if (in->importtime == 1) {
        fputs("import time: self [us] | cumulative | imported package\n", stderr);
        in->importtime = 2;
    }
    long long outer_nested = in->import_nested_ns;
    in->import_nested_ns = 0;
    in->import_level++;
    long long t0 = now_ns();
    pm_object *m = load_module(rt, fullname);
    long long cum = now_ns() - t0;
    in->import_level--;
    long long self = cum - in->import_nested_ns;
    fprintf(stderr, "import time: %9lld | %10lld | %*s%s\n", (self + 999) / 1000, (cum + 999) / 1000,
            in->import_level * 2, "", fullname);
    in->import_nested_ns = outer_nested + cum;
    return m;
}

static pm_object *find_and_load(pm_runtime *rt, const char *fullname) {
    pm_object *m = modules_get(rt, fullname);
    if (m) {
        if (m == PM_NONE)
            return raise_import_error(rt, &pm_exc_ModuleNotFoundError,
                                      pm_str_from_format(rt, "import of %s halted; None in sys.modules", fullname),
                                      fullname, NULL);
        return pm_newref(rt, m);
    }
    if (pm_err_occurred(rt)) return NULL;
    pmi_interp *in = pmi_interp_get(rt);
    if (in && in->importtime) return load_timed(rt, in, fullname);
    return load_module(rt, fullname);
}

/* find_and_load's miss: a built-in module, or a file along the search
 * path (the parent package first).  NEW ref. */
static pm_object *load_module(pm_runtime *rt, const char *fullname) {
    pm_object *m;
    const char *dot = strrchr(fullname, '.');
    if (!dot) {
        const pmi_builtin_module *b = builtin_find(fullname);
        if (b) {
            m = b->init(rt);
            if (!m) return NULL;
            if (modules_set(rt, fullname, m) < 0) PM_CLEAR(rt, m);
            return m;
        }
    }
    int has_parent = 0;
    pm_object *dirs = search_dirs(rt, fullname, &has_parent);
    if (!dirs) return NULL;
    /* the parent's code may have imported us already */
    m = modules_get(rt, fullname);
    if (m || pm_err_occurred(rt)) {
        pm_decref(rt, dirs);
        return m ? pm_newref(rt, m) : NULL;
    }
    char *file = NULL, *pkgdir = NULL;
    int found = search_path(rt, dirs, dot ? dot + 1 : fullname, &file, &pkgdir);
    pm_decref(rt, dirs);
    if (found < 0) return NULL;
    if (!found) return not_found(rt, fullname);
    m = load_file(rt, fullname, file, pkgdir);
    pm_free(rt, file);
    pm_free(rt, pkgdir);
    if (m && has_parent) {
        /* bind the submodule on its parent (a.b), found again in
         * sys.modules as importlib does */
        size_t plen = (size_t)(dot - fullname);
        char *pname = pm_malloc(rt, plen + 1);
        pm_object *child = pname ? pm_str_from_cstr(rt, dot + 1) : NULL;
        int r = -1;
        if (child) {
            memcpy(pname, fullname, plen);
            pname[plen] = 0;
            pm_object *parent = modules_get(rt, pname);
            r = parent ? pm_setattr(rt, parent, child, m) : pm_err_occurred(rt) ? -1 : 0;
        } else if (!pname) {
            pm_err_nomem(rt);
        }
        pm_free(rt, pname);
        pm_xdecref(rt, child);
        if (r < 0) PM_CLEAR(rt, m);
    }
    return m;
}

pm_object *pmi_import_module(pm_runtime *rt, const char *name) {
    if (!name[0]) {
        pm_err_set(rt, PM_EXC_ValueError, "Empty module name");
        return NULL;
    }
    return find_and_load(rt, name);
}

/* ---- IMPORT_NAME ----------------------------------------------------------- */

/* The package a relative import of `level` from globals starts at, as
 * importlib's _calc___package__ + _resolve_name.  NEW ref to the absolute
 * name (base[.name]). */
static pm_object *resolve_relative(pm_runtime *rt, pm_object *globals, pm_object *name, long level) {
    pm_object *package = NULL;
    if (globals && pm_dict_check(globals)) {
        package = dict_get_cstr(rt, globals, "__package__");
        if (!package && pm_err_occurred(rt)) return NULL;
        if (package == PM_NONE) package = NULL;
        if (package && !pm_str_check(package)) {
            pm_err_set(rt, PM_EXC_TypeError, "package must be a string");
            return NULL;
        }
        if (package) {
            pm_incref(rt, package);
        } else {
            pm_object *spec = dict_get_cstr(rt, globals, "__spec__");
            if (!spec && pm_err_occurred(rt)) return NULL;
            if (spec && spec != PM_NONE) {
                package = pm_getattr_cstr(rt, spec, "parent");
                if (!package) return NULL;
            } else {
                pm_object *n = dict_get_cstr(rt, globals, "__name__");
                if (!n) {
                    if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_KeyError, "'__name__' not in globals");
                    return NULL;
                }
                if (!pm_str_check(n)) {
                    pm_err_set(rt, PM_EXC_TypeError, "__name__ must be a string");
                    return NULL;
                }
                if (dict_get_cstr(rt, globals, "__path__")) {
                    package = pm_newref(rt, n);
                } else if (pm_err_occurred(rt)) {
                    return NULL;
                } else {
                    pm_ssize_t len;
                    const char *s = pm_str_as_utf8(rt, n, &len);
                    if (!s) return NULL;
                    const char *dot = strrchr(s, '.');
                    package = pm_str_from_utf8(rt, s, dot ? dot - s : 0);
                    if (!package) return NULL;
                }
            }
        }
    }
    pm_ssize_t plen = 0;
    const char *p = package ? pm_str_as_utf8(rt, package, &plen) : "";
    if (!p) goto fail;
    if (plen == 0) {
        import_error(rt, "attempted relative import with no known parent package");
        goto fail;
    }
    /* strip level-1 trailing components */
    pm_ssize_t end = plen;
    for (long i = 1; i < level; i++) {
        while (end > 0 && p[end - 1] != '.') end--;
        if (end == 0) {
            import_error(rt, "attempted relative import beyond top-level package");
            goto fail;
        }
        end--;
    }
    pm_ssize_t nlen;
    const char *ns = pm_str_as_utf8(rt, name, &nlen);
    if (!ns) goto fail;
    pm_object *r = nlen ? pm_str_from_format(rt, "%.*s.%s", (int)end, p, ns) : pm_str_from_utf8(rt, p, end);
    pm_xdecref(rt, package);
    return r;
fail:
    pm_xdecref(rt, package);
    return NULL;
}

/* hasattr(m, name) without raising (errors other than AttributeError are
 * returned as -1). */
static int has_attr(pm_runtime *rt, pm_object *m, pm_object *name) {
    pm_object *v = NULL;
    int r = pm_getattr_opt(rt, m, name, &v);
    pm_xdecref(rt, v);
    return r;
}

/* importlib's _handle_fromlist: submodules named in fromlist (and in
 * __all__ for '*') are imported.  0 or -1. */
static int handle_fromlist(pm_runtime *rt, pm_object *m, pm_object *fromlist, int recursive) {
    pm_object *it = pm_iter(rt, fromlist);
    if (!it) return -1;
    pm_object *x;
    while ((x = pm_iter_next(rt, it))) {
        int r = 0;
        if (!pm_str_check(x)) {
            const char *where = recursive ? "__all__" : "``from list''";
            if (recursive)
                pm_err_format(rt, PM_EXC_TypeError, "Item in %s.%s must be str, not %s",
                              pmi_module_name_text(rt, m), where, pm_type_name(pm_type_of(x)));
            else
                pm_err_format(rt, PM_EXC_TypeError, "Item in %s must be str, not %s", where,
                              pm_type_name(pm_type_of(x)));
            r = -1;
        } else if (pm_str_equal_cstr(x, "*")) {
            if (!recursive) {
                pm_object *all = NULL;
                pm_object *key = pm_str_intern_cstr(rt, "__all__");
                r = key ? pm_getattr_opt(rt, m, key, &all) : -1;
                pm_xdecref(rt, key);
                if (r > 0) r = handle_fromlist(rt, m, all, 1);
                pm_xdecref(rt, all);
            }
        } else {
            r = has_attr(rt, m, x);
            if (r == 0) {
                pm_object *sub = pm_str_from_format(rt, "%s.%s", pmi_module_name_text(rt, m),
                                                    pm_str_as_utf8(rt, x, NULL));
                const char *subname = sub ? pm_str_as_utf8(rt, sub, NULL) : NULL;
                pm_object *sm = subname ? find_and_load(rt, subname) : NULL;
                r = sm ? 0 : -1;
                if (!sm && import_error_pending(rt) &&
                    pm_err_occurred_type(rt) == &pm_exc_ModuleNotFoundError) {
                    /* a missing submodule is fine here: IMPORT_FROM reports it */
                    pm_object *exc = pm_err_fetch(rt);
                    pm_object *ename = NULL;
                    pm_object *key = pm_str_intern_cstr(rt, "name");
                    if (key && pm_getattr_opt(rt, exc, key, &ename) > 0 && pm_equal(rt, ename, sub) == 1 &&
                        modules_get(rt, subname) != PM_NONE) {
                        pm_decref(rt, exc);
                        pm_err_clear(rt);
                        r = 0;
                    } else {
                        pm_err_restore(rt, exc);
                    }
                    pm_xdecref(rt, key);
                    pm_xdecref(rt, ename);
                }
                pm_xdecref(rt, sm);
                pm_xdecref(rt, sub);
            }
        }
        pm_decref(rt, x);
        if (r < 0) {
            pm_decref(rt, it);
            return -1;
        }
    }
    pm_decref(rt, it);
    return pm_err_occurred(rt) ? -1 : 0;
}

pm_object *pmi_import_name(pm_runtime *rt, pmi_frame *f, pm_object *name, pm_object *fromlist,
                           pm_object *level) {
    return pmi_import_ex(rt, name, f ? f->globals : NULL, fromlist, level);
}

pm_object *pmi_import_ex(pm_runtime *rt, pm_object *name, pm_object *globals, pm_object *fromlist,
                         pm_object *level) {
    long lvl = level ? pm_int_as_long(rt, level) : 0;
    if (lvl == -1 && pm_err_occurred(rt)) return NULL;
    if (lvl < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "level must be >= 0");
        return NULL;
    }
    if (!pm_str_check(name)) {
        pm_err_format(rt, PM_EXC_TypeError, "module name must be str, not %s", pm_type_name(pm_type_of(name)));
        return NULL;
    }
    pm_object *absname;
    if (lvl > 0) {
        absname = resolve_relative(rt, globals, name, lvl);
        if (!absname) return NULL;
    } else {
        if (pm_str_length(name) == 0) {
            pm_err_set(rt, PM_EXC_ValueError, "Empty module name");
            return NULL;
        }
        absname = pm_newref(rt, name);
    }
    const char *abs = pm_str_as_utf8(rt, absname, NULL);
    pm_object *m = abs ? find_and_load(rt, abs) : NULL;
    pm_object *r = NULL;
    if (!m) goto done;
    int has_from = fromlist && fromlist != PM_NONE && pm_is_true(rt, fromlist) == 1;
    if (pm_err_occurred(rt)) goto done;
    if (!has_from) {
        pm_ssize_t nlen;
        const char *n = pm_str_as_utf8(rt, name, &nlen);
        if (!n) goto done;
        if (lvl == 0 || nlen == 0) {
            if (lvl > 0) {
                r = pm_newref(rt, m);
                goto done;
            }
            /* `import a.b.c` binds a */
            const char *dot = strchr(n, '.');
            if (!dot) {
                r = pm_newref(rt, m);
                goto done;
            }
            pm_object *top = pm_str_from_utf8(rt, n, dot - n);
            const char *t = top ? pm_str_as_utf8(rt, top, NULL) : NULL;
            r = t ? find_and_load(rt, t) : NULL;
            pm_xdecref(rt, top);
        } else {
            /* __import__('b.c', level=1) from package a: sys.modules['a.b'] */
            const char *dot = strchr(n, '.');
            pm_ssize_t cut = dot ? nlen - (dot - n) : 0;
            pm_ssize_t alen = (pm_ssize_t)strlen(abs);
            pm_object *k = pm_str_from_utf8(rt, abs, alen - cut);
            pm_object *v = k ? pm_dict_get(rt, modules_dict(rt), k) : NULL;
            if (v) r = pm_newref(rt, v);
            else if (k && !pm_err_occurred(rt)) pm_err_set_key_error(rt, k);
            pm_xdecref(rt, k);
        }
        goto done;
    }
    if (pmi_module_check(m) && dict_get_cstr(rt, pmi_module_dict(m), "__path__")) {
        if (handle_fromlist(rt, m, fromlist, 0) < 0) goto done;
    }
    if (pm_err_occurred(rt)) goto done;
    r = pm_newref(rt, m);
done:
    pm_xdecref(rt, m);
    pm_decref(rt, absname);
    return r;
}

/* ---- IMPORT_FROM / IMPORT_STAR --------------------------------------------- */

pm_object *pmi_import_from(pm_runtime *rt, pm_object *module, pm_object *name) {
    pm_object *v = NULL;
    int r = pm_getattr_opt(rt, module, name, &v);
    if (r != 0) return v;
    /* a circular import may have left the submodule in sys.modules only */
    pm_object *pkgname = NULL;
    pm_object *key = pm_str_intern_cstr(rt, "__name__");
    if (!key) return NULL;
    r = pm_getattr_opt(rt, module, key, &pkgname);
    pm_decref(rt, key);
    if (r < 0) return NULL;
    const char *nm = pm_str_as_utf8(rt, name, NULL);
    if (!nm) goto fail;
    if (pkgname && pm_str_check(pkgname)) {
        const char *pn = pm_str_as_utf8(rt, pkgname, NULL);
        pm_object *full = pn ? pm_str_from_format(rt, "%s.%s", pn, nm) : NULL;
        if (!full) goto fail;
        pm_object *x = pm_dict_get(rt, modules_dict(rt), full);
        pm_decref(rt, full);
        if (x) {
            pm_decref(rt, pkgname);
            return pm_newref(rt, x);
        }
        if (pm_err_occurred(rt)) goto fail;
    }
    const char *pn = pkgname && pm_str_check(pkgname) ? pm_str_as_utf8(rt, pkgname, NULL)
                                                       : "<unknown module name>";
    if (!pn) goto fail;
    pm_object *file = pmi_module_check(module) && pmi_module_dict(module)
                    ? dict_get_cstr(rt, pmi_module_dict(module), "__file__") : NULL;
    if (pm_err_occurred(rt)) goto fail;
    const char *fs = file && pm_str_check(file) ? pm_str_as_utf8(rt, file, NULL) : NULL;
    pm_object *msg;
    if (!fs)
        msg = pm_str_from_format(rt, "cannot import name '%s' from '%s' (unknown location)", nm, pn);
    else if (pmi_module_initializing(rt, module))
        msg = pm_str_from_format(rt, "cannot import name '%s' from partially initialized module '%s' "
                                     "(most likely due to a circular import) (%s)", nm, pn, fs);
    else
        msg = pm_str_from_format(rt, "cannot import name '%s' from '%s' (%s)", nm, pn, fs);
    raise_import_error(rt, &pm_exc_ImportError, msg, pkgname && pm_str_check(pkgname) ? pn : NULL, fs);
fail:
    pm_xdecref(rt, pkgname);
    return NULL;
}

int pmi_import_star(pm_runtime *rt, pmi_frame *f, pm_object *module) {
    pm_object *locals = f ? f->locals : NULL;
    if (!locals) {
        pm_err_set(rt, PM_EXC_SystemError, "no locals found during 'import *'");
        return -1;
    }
    pm_object *all = NULL, *key = pm_str_intern_cstr(rt, "__all__");
    int skip_private = 0;
    if (!key) return -1;
    int r = pm_getattr_opt(rt, module, key, &all);
    pm_decref(rt, key);
    if (r < 0) return -1;
    if (!r) {
        pm_object *d = NULL;
        key = pm_str_intern_cstr(rt, "__dict__");
        r = key ? pm_getattr_opt(rt, module, key, &d) : -1;
        pm_xdecref(rt, key);
        if (r < 0) return -1;
        if (!r) {
            import_error(rt, "from-import-* object has no __dict__ and no __all__");
            return -1;
        }
        all = pm_dict_check(d) ? pm_dict_keys(rt, d) : NULL;
        if (!all && !pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_TypeError, "module __dict__ is not a dict");
        pm_decref(rt, d);
        if (!all) return -1;
        skip_private = 1;
    }
    pm_object *it = pm_iter(rt, all);
    pm_decref(rt, all);
    if (!it) return -1;
    pm_object *name;
    int rc = 0;
    while (rc == 0 && (name = pm_iter_next(rt, it))) {
        if (!pm_str_check(name)) {
            pm_err_format(rt, PM_EXC_TypeError, skip_private ? "Key in %s.__dict__ must be str, not %s"
                                                             : "Item in %s.__all__ must be str, not %s",
                          pmi_module_check(module) ? pmi_module_name_text(rt, module) : "?",
                          pm_type_name(pm_type_of(name)));
            rc = -1;
        } else if (!(skip_private && pm_str_length(name) > 0 && pm_str_read_char(name, 0) == '_')) {
            pm_object *v = pm_getattr(rt, module, name);
            if (!v) rc = -1;
            else {
                rc = pm_dict_check(locals) ? pm_dict_set(rt, locals, name, v) : pm_setitem(rt, locals, name, v);
                pm_decref(rt, v);
            }
        }
        pm_decref(rt, name);
    }
    pm_decref(rt, it);
    if (rc == 0 && pm_err_occurred(rt)) rc = -1;
    return rc;
}

/* ---- setup, __main__, -m, teardown ----------------------------------------- */

int pmi_import_setup(pm_runtime *rt, const pmi_sys_config *c) {
    pm_object *b = find_and_load(rt, "builtins");
    if (!b) return -1;
    pm_decref(rt, b);
    pm_object *sys = find_and_load(rt, "sys");
    if (!sys) return -1;
    int r = pmi_sys_configure(rt, sys, c);
    pm_decref(rt, sys);
    return r;
}

pm_object *pmi_main_module(pm_runtime *rt, const char *file) {
    pm_object *name = pm_str_intern_cstr(rt, "__main__");
    if (!name) return NULL;
    pm_object *m = pmi_module_new(rt, name, NULL);
    pm_decref(rt, name);
    if (!m) return NULL;
    pm_object *b = modules_get(rt, "builtins");
    if (!b) b = pmi_interp_get(rt)->builtins;
    if (pmi_module_add(rt, m, "__builtins__", b) < 0) goto fail;
    if (file) {
        if (pmi_module_add_new(rt, m, "__file__", pm_str_from_cstr(rt, file)) < 0) goto fail;
        if (pmi_module_add(rt, m, "__cached__", PM_NONE) < 0) goto fail;
    }
    return m;
fail:
    pm_decref(rt, m);
    return NULL;
}

int pmi_import_find_file(pm_runtime *rt, const char *name, char **path, int *is_pkg) {
    *path = NULL;
    *is_pkg = 0;
    const char *dot = strrchr(name, '.');
    pm_object *dirs = NULL;
    if (dot) {
        /* runpy imports the parent, then looks along its __path__ */
        pm_object *pname = pm_str_from_utf8(rt, name, dot - name);
        const char *pn = pname ? pm_str_as_utf8(rt, pname, NULL) : NULL;
        pm_object *parent = pn ? find_and_load(rt, pn) : NULL;
        if (parent && pmi_module_check(parent) && pmi_module_dict(parent))
            dirs = dict_get_cstr(rt, pmi_module_dict(parent), "__path__");
        if (dirs) pm_incref(rt, dirs);  /* held past the parent's reference */
        if (parent && !dirs && !pm_err_occurred(rt))
            raise_import_error(rt, &pm_exc_ModuleNotFoundError,
                               pm_str_from_format(rt, "__path__ attribute not found on '%s' while trying to find '%s'",
                                                  pn, name),
                               name, NULL);
        pm_xdecref(rt, parent);     /* sys.modules keeps it */
        pm_xdecref(rt, pname);
    } else {
        dirs = pmi_sys_get(rt, "path");
        if (!dirs && !pm_err_occurred(rt)) return 0;
        if (dirs) pm_incref(rt, dirs);
    }
    if (!dirs) return -1;
    char *file = NULL, *pkgdir = NULL;
    int found = search_path(rt, dirs, dot ? dot + 1 : name, &file, &pkgdir);
    pm_decref(rt, dirs);
    if (found <= 0) return found;
    if (pkgdir) {
        /* a package runs its __main__ submodule: import the package first */
        pm_free(rt, file);
        pm_object *pkg = find_and_load(rt, name);
        if (!pkg) {
            pm_free(rt, pkgdir);
            return -1;
        }
        pm_decref(rt, pkg);
        file = join_path(rt, pkgdir, "/__main__.py", "");
        pm_free(rt, pkgdir);
        if (!file) return -1;
        *is_pkg = 1;
        if (!is_file(file)) {
            pm_free(rt, file);
            return 0;
        }
    }
    *path = file;
    return 1;
}

void pmi_import_fini(pm_runtime *rt) {
    pmi_interp *in = pmi_interp_get(rt);
    if (!in || !in->modules) return;
    /* gc.garbage is emptied and DEBUG_SAVEALL dropped, as CPython's
     * finalization clears gcstate->garbage: what the program left there
     * goes with the program (only when gc was imported: the list exists) */
    pm_object *gcmod = modules_get(rt, "gc");
    if (gcmod && pmi_module_check(gcmod) && ((pmi_module *)gcmod)->def) {
        pm_gc_set_debug(rt, pm_gc_get_debug(rt) & ~PM_GC_DEBUG_SAVEALL);
        pm_object *garbage = pm_gc_garbage(rt);
        if (garbage) pm_list_clear(rt, garbage);
    }
    pm_err_clear(rt);
    /* Cyclic garbage is collected while the modules still hold their
     * globals and the interpreter can run finalizers (__del__ of objects
     * in cycles the program dropped), as CPython's finalize_modules
     * collects before it clears the modules' dicts. */
    if (pm_gc_collect(rt, 2) < 0) pm_err_clear(rt);
    /* CPython's finalize_modules, simplified: every module's dict is
     * emptied (newest first), sys last; then sys.modules itself.  The
     * builtins dict is the interpreter's (pmi_interp_fini clears it). */
    pm_object *mods = pm_dict_values(rt, in->modules);
    if (!mods) {
        pm_err_clear(rt);
        pm_dict_clear(rt, in->modules);
        return;
    }
    pm_object *sys = NULL;
    for (pm_ssize_t i = pm_list_size(mods) - 1; i >= 0; i--) {
        pm_object *m = pm_list_get(rt, mods, i);
        if (!m || !pmi_module_check(m)) continue;
        pm_object *d = pmi_module_dict(m);
        if (!d || d == in->builtins) continue;
        if (((pmi_module *)m)->def && strcmp(((pmi_module *)m)->def->name, "sys") == 0) {
            sys = m;
            continue;
        }
        pm_dict_clear(rt, d);
    }
    if (sys && pmi_module_dict(sys)) pm_dict_clear(rt, pmi_module_dict(sys));
    pm_decref(rt, mods);
    pm_dict_clear(rt, in->modules);
    pm_err_clear(rt);
    /* and once more for the cycles that went through module globals,
     * still before the interpreter's state goes */
    if (pm_gc_collect(rt, 2) < 0) pm_err_clear(rt);
}
