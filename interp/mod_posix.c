/*
 * interp/mod_posix.c — the `posix` module behind lib/os.py (the part of
 * CPython 3.11's Modules/posixmodule.c that pymm programs use).
 *
 * Purpose
 *   The system calls, each a thin wrapper: getpid, getppid, getuid,
 *   getgid, chdir, getcwd, getcwdb, listdir, stat, lstat, readlink, remove,
 *   unlink, mkdir, rmdir, rename, replace, symlink, urandom, cpu_count, fspath,
 *   strerror, putenv, unsetenv, access, chmod, umask, the descriptor calls
 *   (open, close, read, write, lseek, isatty, fstat), the O_* / *_OK
 *   constants, and `environ`.
 *
 *       os.stat('x') ──▶ lib/os.py ──▶ posix.stat('x') ──▶ stat(2)
 *                        stat_result(...) ◀── (16-tuple of raw fields)
 *
 *   lib/os.py builds what is pure Python in CPython as well (os.environ,
 *   os.getenv, os.path = posixpath) and os.stat_result from the raw tuple
 *   posix.stat returns (pymm has no struct sequences yet).
 *
 * Paths (CPython's path_converter)
 *   A str (UTF-8; a NUL inside is ValueError "embedded null byte"), bytes,
 *   or an object with __fspath__ returning one of those; anything else is
 *   TypeError "stat: path should be string, bytes or os.PathLike, not
 *   float".  A bytes path gives bytes results (listdir, readlink, getcwdb).
 *
 * Errors
 *   A failed call raises OSError(errno, strerror(errno), filename[, None,
 *   filename2]); the library makes the errno's subclass (FileNotFoundError
 *   for ENOENT ...) and prints "[Errno 2] No such file or directory: 'x'"
 *   (and "... 'a' -> 'b'" for rename).
 *
 * environ is a dict of str made when the module is made (CPython's
 * posix.environ holds bytes; os.environ decodes them — here both are str).
 * No state of its own.
 */
#define _GNU_SOURCE 1
#include "modules.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

/* ---- paths and errors ---------------------------------------------------------- */

/* A converted path argument. */
typedef struct px_path {
    pm_object *obj;                 /* owned: the str or bytes given (after __fspath__) */
    const char *s;                  /* its bytes, NUL-terminated (borrowed from obj) */
    int is_bytes;                   /* the path was bytes: results are bytes too */
} px_path;

/* os.fspath(o): new ref to a str or bytes, or NULL with TypeError (fname
 * NULL: fspath's own text). */
static pm_object *fspath(pm_runtime *rt, pm_object *o, const char *fname, const char *argname, int allow_fd) {
    if (pm_str_check(o) || pm_bytes_check(o)) return pm_newref(rt, o);
    pm_object *name = pm_str_from_cstr(rt, "__fspath__");
    if (!name) return NULL;
    pm_object *meth = pm_type_lookup(rt, pm_type_of(o), name);
    pm_object *r = NULL;
    if (meth) {
        r = pm_call_method(rt, o, name, NULL, 0);
        if (r && !pm_str_check(r) && !pm_bytes_check(r)) {
            pm_err_format(rt, PM_EXC_TypeError, "expected %s.__fspath__() to return str or bytes, not %s",
                          pm_type_name(pm_type_of(o)), pm_type_name(pm_type_of(r)));
            PM_CLEAR(rt, r);
        }
    } else if (!pm_err_occurred(rt)) {
        if (fname)
            pm_err_format(rt, PM_EXC_TypeError, "%s: %s should be string, bytes%s os.PathLike%s, not %s", fname,
                          argname, allow_fd ? "," : " or", allow_fd ? " or integer" : "", pm_type_name(pm_type_of(o)));
        else
            pm_err_format(rt, PM_EXC_TypeError, "expected str, bytes or os.PathLike object, not %s",
                          pm_type_name(pm_type_of(o)));
    }
    pm_decref(rt, name);
    return r;
}

/* Converts o (the argument `argname` of fname) into *p: 0, or -1 with the
 * error (p then holds nothing). */
static int path_arg2(pm_runtime *rt, pm_object *o, const char *fname, const char *argname, int allow_fd, px_path *p) {
    p->obj = fspath(rt, o, fname, argname, allow_fd);
    if (!p->obj) return -1;
    pm_ssize_t n;
    p->is_bytes = pm_bytes_check(p->obj);
    if (p->is_bytes) {
        p->s = pm_bytes_data(p->obj);
        n = pm_bytes_size(p->obj);
    } else {
        p->s = pm_str_as_utf8(rt, p->obj, &n);
        if (!p->s) goto fail;
    }
    if ((pm_ssize_t)strlen(p->s) != n) {
        pm_err_set(rt, PM_EXC_ValueError, "embedded null byte");
        goto fail;
    }
    return 0;
fail:
    PM_CLEAR(rt, p->obj);
    return -1;
}

static int path_arg(pm_runtime *rt, pm_object *o, const char *fname, px_path *p) {
    return path_arg2(rt, o, fname, "path", 0, p);
}

static void path_done(pm_runtime *rt, px_path *p) { PM_CLEAR(rt, p->obj); }

/* OSError(e, strerror(e)[, f1[, None, f2]]) as its errno's subclass;
 * returns NULL. */
static void *raise_errno2(pm_runtime *rt, int e, pm_object *f1, pm_object *f2) {
    pm_object *no = pm_int_from_long(rt, e), *msg = no ? pm_str_from_cstr(rt, strerror(e)) : NULL, *args = NULL;
    if (msg) {
        if (f2) args = pm_tuple_pack(rt, 5, no, msg, f1, PM_NONE, f2);
        else if (f1) args = pm_tuple_pack(rt, 3, no, msg, f1);
        else args = pm_tuple_pack(rt, 2, no, msg);
    }
    pm_object *exc = args ? pm_exc_new(rt, &pm_exc_OSError, args, NULL) : NULL;
    if (exc) pm_err_restore(rt, exc);
    pm_xdecref(rt, no);
    pm_xdecref(rt, msg);
    pm_xdecref(rt, args);
    return NULL;
}

static void *raise_errno(pm_runtime *rt, int e, pm_object *f) { return raise_errno2(rt, e, f, NULL); }

/* A str (or bytes when as_bytes) from a C string: new ref. */
static pm_object *text(pm_runtime *rt, const char *s, int as_bytes) {
    return as_bytes ? pm_bytes_new(rt, s, (pm_ssize_t)strlen(s)) : pm_str_from_utf8(rt, s, -1);
}

/* "f() takes exactly one argument (2 given)"-style checks for FASTCALL. */
static int nargs_between(pm_runtime *rt, const char *fname, pm_ssize_t nargs, pm_ssize_t lo, pm_ssize_t hi) {
    return pmi_mod_check_positional(rt, fname, nargs, lo, hi);
}

/* ---- process ------------------------------------------------------------------- */

static pm_object *px_getpid(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return pm_int_from_long(rt, (long)getpid());
}

static pm_object *px_getppid(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return pm_int_from_long(rt, (long)getppid());
}

static pm_object *px_getuid(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return pm_int_from_long(rt, (long)getuid());
}

static pm_object *px_getgid(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return pm_int_from_long(rt, (long)getgid());
}

static pm_object *px_cpu_count(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? pm_int_from_long(rt, n) : pm_newref(rt, PM_NONE);
}

static pm_object *px_urandom(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    pm_ssize_t n = pm_index_as_ssize(rt, arg, PM_INDEX_OVERFLOWERROR);
    if (n == -1 && pm_err_occurred(rt)) return NULL;
    if (n < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "negative argument not allowed");
        return NULL;
    }
    pm_object *b = pm_bytes_new(rt, NULL, n);
    if (!b) return NULL;
    char *p = (char *)(uintptr_t)pm_bytes_data(b);
    pm_ssize_t got = 0;
    while (got < n) {
        ssize_t k = getrandom(p + got, (size_t)(n - got), 0);
        if (k < 0) {
            if (errno == EINTR) continue;
            pm_decref(rt, b);
            return raise_errno(rt, errno, NULL);
        }
        got += k;
    }
    return b;
}

static pm_object *px_strerror(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    if (!pm_int_check(arg)) {
        pm_object *i = pm_index(rt, arg);
        if (!i) return NULL;
        pm_decref(rt, i);
    }
    long code = pm_int_as_long(rt, arg);
    if (code == -1 && pm_err_occurred(rt)) return NULL;
    if (code < INT_MIN || code > INT_MAX) {
        pm_err_set(rt, PM_EXC_OverflowError, "signed integer is greater than maximum");
        return NULL;
    }
    return pm_str_from_utf8(rt, strerror((int)code), -1);
}

static pm_object *px_fspath(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    return fspath(rt, arg, NULL, NULL, 0);
}

/* ---- the environment -------------------------------------------------------------- */

static pm_object *px_putenv(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs_between(rt, "putenv", nargs, 2, 2) < 0) return NULL;
    for (int i = 0; i < 2; i++)
        if (!pm_str_check(args[i])) {
            pm_err_format(rt, PM_EXC_TypeError, "putenv() argument %d must be str, not %s", i + 1,
                          pm_type_name(pm_type_of(args[i])));
            return NULL;
        }
    pm_ssize_t kn, vn;
    const char *k = pm_str_as_utf8(rt, args[0], &kn), *v = k ? pm_str_as_utf8(rt, args[1], &vn) : NULL;
    if (!v) return NULL;
    if (kn == 0 || strchr(k, '=') || (pm_ssize_t)strlen(k) != kn) {
        pm_err_set(rt, PM_EXC_ValueError, (pm_ssize_t)strlen(k) != kn ? "embedded null character"
                                                                     : "illegal environment variable name");
        return NULL;
    }
    if ((pm_ssize_t)strlen(v) != vn) {
        pm_err_set(rt, PM_EXC_ValueError, "embedded null character");
        return NULL;
    }
    if (setenv(k, v, 1) != 0) return raise_errno(rt, errno, NULL);
    return pm_newref(rt, PM_NONE);
}

static pm_object *px_unsetenv(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    if (!pm_str_check(arg)) {
        pm_err_format(rt, PM_EXC_TypeError, "unsetenv() argument must be str, not %s", pm_type_name(pm_type_of(arg)));
        return NULL;
    }
    pm_ssize_t kn;
    const char *k = pm_str_as_utf8(rt, arg, &kn);
    if (!k) return NULL;
    if (kn == 0 || strchr(k, '=') || (pm_ssize_t)strlen(k) != kn) {
        pm_err_set(rt, PM_EXC_ValueError, "illegal environment variable name");
        return NULL;
    }
    if (unsetenv(k) != 0) return raise_errno(rt, errno, NULL);
    return pm_newref(rt, PM_NONE);
}

/* environ as a dict of str (entries that are not UTF-8 are skipped). */
static pm_object *environ_dict(pm_runtime *rt) {
    pm_object *d = pm_dict_new(rt);
    for (char **e = environ; d && e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || eq == *e) continue;
        pm_object *k = pm_str_from_utf8(rt, *e, eq - *e);
        pm_object *v = k ? pm_str_from_utf8(rt, eq + 1, -1) : NULL;
        if (!v && pm_err_occurred(rt) && !pm_err_matches(rt, PM_EXC_MemoryError)) {
            pm_err_clear(rt);                   /* not UTF-8: left out */
        } else if (!v) {
            PM_CLEAR(rt, d);
        } else {
            pm_object *old = pm_dict_get(rt, d, k);
            if (!old && pm_dict_set(rt, d, k, v) < 0) PM_CLEAR(rt, d);
        }
        pm_xdecref(rt, k);
        pm_xdecref(rt, v);
    }
    return d;
}

/* ---- files and directories ------------------------------------------------------- */

static pm_object *cwd(pm_runtime *rt, int as_bytes) {
    for (size_t size = 1024;; size *= 2) {
        char *buf = pmi_mod_alloc(rt, size);
        if (!buf) return NULL;
        if (getcwd(buf, size)) {
            pm_object *r = text(rt, buf, as_bytes);
            pm_free(rt, buf);
            return r;
        }
        int e = errno;
        pm_free(rt, buf);
        if (e != ERANGE) return raise_errno(rt, e, NULL);
    }
}

static pm_object *px_getcwd(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return cwd(rt, 0);
}

static pm_object *px_getcwdb(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    return cwd(rt, 1);
}

static pm_object *px_listdir(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                             pm_object *kwnames) {
    (void)self;
    static const char *const kw[] = {"path", NULL};
    pm_object *a[1];
    if (pmi_mod_parse_kw(rt, "listdir", kw, 1, 0, args, nargs, kwnames, a) < 0) return NULL;
    px_path p = {NULL, ".", 0};
    if (a[0] && a[0] != PM_NONE && path_arg2(rt, a[0], "listdir", "path", 1, &p) < 0) return NULL;
    pm_object *list = NULL;
    DIR *dir = opendir(p.s);
    if (!dir) {
        raise_errno(rt, errno, p.obj ? p.obj : NULL);
        goto done;
    }
    list = pm_list_new(rt);
    while (list) {
        errno = 0;
        struct dirent *ent = readdir(dir);
        if (!ent) {
            if (errno) {
                PM_CLEAR(rt, list);
                raise_errno(rt, errno, p.obj);
            }
            break;
        }
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
        pm_object *name = text(rt, ent->d_name, p.is_bytes);
        if (!name || pm_list_append(rt, list, name) < 0) PM_CLEAR(rt, list);
        pm_xdecref(rt, name);
    }
    closedir(dir);
done:
    path_done(rt, &p);
    return list;
}

/* The raw stat fields as the tuple lib/os.py turns into a stat_result:
 * (mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime [floats],
 *  atime_ns, mtime_ns, ctime_ns, blksize, blocks, rdev). */
static pm_object *stat_tuple(pm_runtime *rt, const struct stat *st) {
    pm_object *v[16] = {NULL};
    pm_object *r = NULL;
    const struct timespec *ts[3] = {&st->st_atim, &st->st_mtim, &st->st_ctim};
    v[0] = pm_int_from_long(rt, (long)st->st_mode);
    v[1] = pm_int_from_ulonglong(rt, (unsigned long long)st->st_ino);
    v[2] = pm_int_from_ulonglong(rt, (unsigned long long)st->st_dev);
    v[3] = pm_int_from_long(rt, (long)st->st_nlink);
    v[4] = pm_int_from_long(rt, (long)st->st_uid);
    v[5] = pm_int_from_long(rt, (long)st->st_gid);
    v[6] = pm_int_from_longlong(rt, (long long)st->st_size);
    for (int i = 0; i < 3; i++) {
        v[7 + i] = pm_float_new(rt, (double)ts[i]->tv_sec + (double)ts[i]->tv_nsec * 1e-9);
        v[10 + i] = pm_int_from_longlong(rt, (long long)ts[i]->tv_sec * 1000000000LL + ts[i]->tv_nsec);
    }
    v[13] = pm_int_from_long(rt, (long)st->st_blksize);
    v[14] = pm_int_from_longlong(rt, (long long)st->st_blocks);
    v[15] = pm_int_from_ulonglong(rt, (unsigned long long)st->st_rdev);
    int ok = 1;
    for (int i = 0; i < 16; i++) ok &= v[i] != NULL;
    if (ok) r = pm_tuple_from_array(rt, v, 16);
    for (int i = 0; i < 16; i++) pm_xdecref(rt, v[i]);
    return r;
}

static pm_object *do_stat(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames,
                          const char *fname, int follow) {
    static const char *const kw[] = {"path", NULL};
    pm_object *a[1];
    if (pmi_mod_parse_kw(rt, fname, kw, 1, 1, args, nargs, kwnames, a) < 0) return NULL;
    struct stat st;
    if (follow && pm_int_check(a[0])) {         /* stat(fd) */
        int fd = (int)pm_int_as_long(rt, a[0]);
        if (fd == -1 && pm_err_occurred(rt)) return NULL;
        return fstat(fd, &st) == 0 ? stat_tuple(rt, &st) : raise_errno(rt, errno, NULL);
    }
    px_path p;
    if (path_arg2(rt, a[0], fname, "path", follow, &p) < 0) return NULL;
    int rc = follow ? stat(p.s, &st) : lstat(p.s, &st);
    pm_object *r = rc == 0 ? stat_tuple(rt, &st) : raise_errno(rt, errno, p.obj);
    path_done(rt, &p);
    return r;
}

static pm_object *px_stat(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                          pm_object *kwnames) {
    (void)self;
    return do_stat(rt, args, nargs, kwnames, "stat", 1);
}

static pm_object *px_lstat(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                           pm_object *kwnames) {
    (void)self;
    return do_stat(rt, args, nargs, kwnames, "lstat", 0);
}

static pm_object *px_readlink(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    px_path p;
    if (path_arg(rt, arg, "readlink", &p) < 0) return NULL;
    pm_object *r = NULL;
    for (size_t size = 256;; size *= 2) {
        char *buf = pmi_mod_alloc(rt, size);
        if (!buf) break;
        ssize_t n = readlink(p.s, buf, size);
        if (n < 0) {
            int e = errno;
            pm_free(rt, buf);
            raise_errno(rt, e, p.obj);
            break;
        }
        if ((size_t)n < size) {
            r = p.is_bytes ? pm_bytes_new(rt, buf, n) : pm_str_from_utf8(rt, buf, n);
            pm_free(rt, buf);
            break;
        }
        pm_free(rt, buf);
    }
    path_done(rt, &p);
    return r;
}

/* One-path calls: remove, unlink, rmdir. */
static pm_object *one_path(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames,
                           const char *fname, int (*fn)(const char *)) {
    static const char *const kw[] = {"path", NULL};
    pm_object *a[1];
    if (pmi_mod_parse_kw(rt, fname, kw, 1, 1, args, nargs, kwnames, a) < 0) return NULL;
    px_path p;
    if (path_arg(rt, a[0], fname, &p) < 0) return NULL;
    pm_object *r = fn(p.s) == 0 ? pm_newref(rt, PM_NONE) : raise_errno(rt, errno, p.obj);
    path_done(rt, &p);
    return r;
}

static pm_object *px_remove(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    (void)self;
    return one_path(rt, args, nargs, kwnames, "remove", unlink);
}

static pm_object *px_unlink(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    (void)self;
    return one_path(rt, args, nargs, kwnames, "unlink", unlink);
}

static pm_object *px_rmdir(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                           pm_object *kwnames) {
    (void)self;
    return one_path(rt, args, nargs, kwnames, "rmdir", rmdir);
}

static pm_object *px_chdir(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                           pm_object *kwnames) {
    (void)self;
    return one_path(rt, args, nargs, kwnames, "chdir", chdir);
}

static pm_object *px_mkdir(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                           pm_object *kwnames) {
    (void)self;
    static const char *const kw[] = {"path", "mode", NULL};
    pm_object *a[2];
    if (pmi_mod_parse_kw(rt, "mkdir", kw, 2, 1, args, nargs, kwnames, a) < 0) return NULL;
    long mode = 0777;
    if (a[1]) {
        pm_object *i = pm_index(rt, a[1]);
        if (!i) return NULL;
        mode = pm_int_as_long(rt, i);
        pm_decref(rt, i);
        if (mode == -1 && pm_err_occurred(rt)) return NULL;
    }
    px_path p;
    if (path_arg(rt, a[0], "mkdir", &p) < 0) return NULL;
    pm_object *r = mkdir(p.s, (mode_t)mode) == 0 ? pm_newref(rt, PM_NONE) : raise_errno(rt, errno, p.obj);
    path_done(rt, &p);
    return r;
}

static pm_object *two_paths(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames,
                            const char *fname) {
    static const char *const kw[] = {"src", "dst", NULL};
    pm_object *a[2];
    if (pmi_mod_parse_kw(rt, fname, kw, 2, 2, args, nargs, kwnames, a) < 0) return NULL;
    px_path s, d;
    if (path_arg2(rt, a[0], fname, "src", 0, &s) < 0) return NULL;
    if (path_arg2(rt, a[1], fname, "dst", 0, &d) < 0) {
        path_done(rt, &s);
        return NULL;
    }
    pm_object *r;
    if (s.is_bytes != d.is_bytes) {
        pm_err_format(rt, PM_EXC_TypeError, "%s: src and dst must be the same type", fname);
        r = NULL;
    } else {
        r = rename(s.s, d.s) == 0 ? pm_newref(rt, PM_NONE) : raise_errno2(rt, errno, s.obj, d.obj);
    }
    path_done(rt, &s);
    path_done(rt, &d);
    return r;
}

static pm_object *px_symlink(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                             pm_object *kwnames) {
    (void)self;
    static const char *const kw[] = {"src", "dst", "target_is_directory", NULL};
    pm_object *a[3];
    if (pmi_mod_parse_kw(rt, "symlink", kw, 3, 2, args, nargs, kwnames, a) < 0) return NULL;
    px_path s, d;
    if (path_arg2(rt, a[0], "symlink", "src", 0, &s) < 0) return NULL;
    if (path_arg2(rt, a[1], "symlink", "dst", 0, &d) < 0) {
        path_done(rt, &s);
        return NULL;
    }
    pm_object *r = symlink(s.s, d.s) == 0 ? pm_newref(rt, PM_NONE) : raise_errno2(rt, errno, s.obj, d.obj);
    path_done(rt, &s);
    path_done(rt, &d);
    return r;
}

static pm_object *px_rename(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    (void)self;
    return two_paths(rt, args, nargs, kwnames, "rename");
}

static pm_object *px_replace(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                             pm_object *kwnames) {
    (void)self;
    return two_paths(rt, args, nargs, kwnames, "replace");
}

static pm_object *px_access(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    (void)self;
    static const char *const kw[] = {"path", "mode", NULL};
    pm_object *a[2];
    if (pmi_mod_parse_kw(rt, "access", kw, 2, 2, args, nargs, kwnames, a) < 0) return NULL;
    long mode = pm_int_check(a[1]) ? pm_int_as_long(rt, a[1]) : -1;
    if (!pm_int_check(a[1])) {
        pm_err_format(rt, PM_EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                      pm_type_name(pm_type_of(a[1])));
        return NULL;
    }
    if (mode == -1 && pm_err_occurred(rt)) return NULL;
    px_path p;
    if (path_arg(rt, a[0], "access", &p) < 0) return NULL;
    int ok = access(p.s, (int)mode) == 0;
    path_done(rt, &p);
    return pm_newref(rt, pm_bool_from(ok));
}

/* ---- file descriptors -------------------------------------------------------------- */

/* An fd argument (an int, or __index__): 0 / -1. */
static int fd_arg(pm_runtime *rt, pm_object *o, int *fd) {
    pm_object *i = pm_index(rt, o);
    if (!i) return -1;
    long v = pm_int_as_long(rt, i);
    pm_decref(rt, i);
    if (v == -1 && pm_err_occurred(rt)) return -1;
    if (v < INT_MIN || v > INT_MAX) {
        pm_err_set(rt, PM_EXC_OverflowError, v < 0 ? "fd is less than minimum" : "fd is greater than maximum");
        return -1;
    }
    *fd = (int)v;
    return 0;
}

static pm_object *px_open(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                          pm_object *kwnames) {
    (void)self;
    static const char *const kw[] = {"path", "flags", "mode", NULL};
    pm_object *a[3];
    if (pmi_mod_parse_kw(rt, "open", kw, 3, 2, args, nargs, kwnames, a) < 0) return NULL;
    int flags, mode = 0777;
    if (fd_arg(rt, a[1], &flags) < 0 || (a[2] && fd_arg(rt, a[2], &mode) < 0)) return NULL;
    px_path p;
    if (path_arg(rt, a[0], "open", &p) < 0) return NULL;
    int fd;
    do {
        fd = open(p.s, flags | O_CLOEXEC, mode);    /* CPython's fds are not inheritable */
    } while (fd < 0 && errno == EINTR);
    pm_object *r = fd >= 0 ? pm_int_from_long(rt, fd) : raise_errno(rt, errno, p.obj);
    path_done(rt, &p);
    return r;
}

static pm_object *px_close(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    int fd;
    if (fd_arg(rt, arg, &fd) < 0) return NULL;
    if (close(fd) != 0 && errno != EINTR) return raise_errno(rt, errno, NULL);
    return pm_newref(rt, PM_NONE);
}

static pm_object *px_read(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs_between(rt, "read", nargs, 2, 2) < 0) return NULL;
    int fd;
    if (fd_arg(rt, args[0], &fd) < 0) return NULL;
    pm_ssize_t n = pm_index_as_ssize(rt, args[1], PM_INDEX_OVERFLOWERROR);
    if (n == -1 && pm_err_occurred(rt)) return NULL;
    if (n < 0) return raise_errno(rt, EINVAL, NULL);
    char *buf = pmi_mod_alloc(rt, (size_t)n + 1);
    if (!buf) return NULL;
    ssize_t got;
    do {
        got = read(fd, buf, (size_t)n);
    } while (got < 0 && errno == EINTR);
    pm_object *r = got >= 0 ? pm_bytes_new(rt, buf, got) : raise_errno(rt, errno, NULL);
    pm_free(rt, buf);
    return r;
}

static pm_object *px_write(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs_between(rt, "write", nargs, 2, 2) < 0) return NULL;
    int fd;
    if (fd_arg(rt, args[0], &fd) < 0) return NULL;
    pm_buffer view;
    if (pm_object_getbuffer(rt, args[1], &view, PM_BUF_SIMPLE) < 0) return NULL;
    ssize_t n;
    do {
        n = write(fd, view.buf, (size_t)view.len);
    } while (n < 0 && errno == EINTR);
    int e = errno;
    pm_buffer_release(rt, &view);
    return n >= 0 ? pm_int_from_ssize(rt, n) : raise_errno(rt, e, NULL);
}

static pm_object *px_lseek(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs_between(rt, "lseek", nargs, 3, 3) < 0) return NULL;
    int fd, how;
    if (fd_arg(rt, args[0], &fd) < 0) return NULL;
    pm_object *i = pm_index(rt, args[1]);
    if (!i) return NULL;
    long long pos = pm_int_as_longlong(rt, i);
    pm_decref(rt, i);
    if ((pos == -1 && pm_err_occurred(rt)) || fd_arg(rt, args[2], &how) < 0) return NULL;
    off_t r = lseek(fd, (off_t)pos, how);
    return r >= 0 ? pm_int_from_longlong(rt, (long long)r) : raise_errno(rt, errno, NULL);
}

static pm_object *px_isatty(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    int fd;
    if (fd_arg(rt, arg, &fd) < 0) return NULL;
    return pm_newref(rt, pm_bool_from(isatty(fd)));
}

static pm_object *px_fstat(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    int fd;
    if (fd_arg(rt, arg, &fd) < 0) return NULL;
    struct stat st;
    return fstat(fd, &st) == 0 ? stat_tuple(rt, &st) : raise_errno(rt, errno, NULL);
}

static pm_object *px_chmod(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                           pm_object *kwnames) {
    (void)self;
    static const char *const kw[] = {"path", "mode", NULL};
    pm_object *a[2];
    if (pmi_mod_parse_kw(rt, "chmod", kw, 2, 2, args, nargs, kwnames, a) < 0) return NULL;
    int mode;
    if (fd_arg(rt, a[1], &mode) < 0) return NULL;
    px_path p;
    if (path_arg(rt, a[0], "chmod", &p) < 0) return NULL;
    pm_object *r = chmod(p.s, (mode_t)mode) == 0 ? pm_newref(rt, PM_NONE) : raise_errno(rt, errno, p.obj);
    path_done(rt, &p);
    return r;
}

static pm_object *px_umask(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    int mask;
    if (fd_arg(rt, arg, &mask) < 0) return NULL;
    return pm_int_from_long(rt, (long)umask((mode_t)mask));
}

/* ---- the module ------------------------------------------------------------------- */

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
#define KW (PM_METH_FASTCALL | PM_METH_KEYWORDS)
static const pm_method_def posix_methods[] = {
    {"access", FN(px_access), KW, "Use the real uid/gid to test for access to a path."},
    {"chmod", FN(px_chmod), KW, "Change the access permissions of a file."},
    {"close", FN(px_close), PM_METH_O, "Close a file descriptor."},
    {"fstat", FN(px_fstat), PM_METH_O, "Perform a stat system call on the given file descriptor."},
    {"isatty", FN(px_isatty), PM_METH_O, "Return True if the fd is connected to a terminal."},
    {"lseek", FN(px_lseek), PM_METH_FASTCALL, "Set the position of a file descriptor.  Return the new position."},
    {"open", FN(px_open), KW, "Open a file for low level IO.  Returns a file descriptor (integer)."},
    {"read", FN(px_read), PM_METH_FASTCALL, "Read from a file descriptor.  Returns a bytes object."},
    {"umask", FN(px_umask), PM_METH_O, "Set the current numeric umask and return the previous umask."},
    {"write", FN(px_write), PM_METH_FASTCALL, "Write a bytes object to a file descriptor."},
    {"chdir", FN(px_chdir), KW, "Change the current working directory to the specified path."},
    {"cpu_count", FN(px_cpu_count), PM_METH_NOARGS, "Return the number of CPUs in the system; return None if indeterminable."},
    {"fspath", FN(px_fspath), PM_METH_O, "Return the file system path representation of the object."},
    {"getcwd", FN(px_getcwd), PM_METH_NOARGS, "Return a unicode string representing the current working directory."},
    {"getcwdb", FN(px_getcwdb), PM_METH_NOARGS, "Return a bytes string representing the current working directory."},
    {"getgid", FN(px_getgid), PM_METH_NOARGS, "Return the current process's group id."},
    {"getpid", FN(px_getpid), PM_METH_NOARGS, "Return the current process id."},
    {"getppid", FN(px_getppid), PM_METH_NOARGS, "Return the parent's process id."},
    {"getuid", FN(px_getuid), PM_METH_NOARGS, "Return the current process's user id."},
    {"listdir", FN(px_listdir), KW, "Return a list containing the names of the files in the directory."},
    {"lstat", FN(px_lstat), KW, "Perform a stat system call on the given path, without following symbolic links."},
    {"mkdir", FN(px_mkdir), KW, "Create a directory."},
    {"putenv", FN(px_putenv), PM_METH_FASTCALL, "Change or add an environment variable."},
    {"readlink", FN(px_readlink), PM_METH_O, "Return a string representing the path to which the symbolic link points."},
    {"remove", FN(px_remove), KW, "Remove a file (same as unlink())."},
    {"rename", FN(px_rename), KW, "Rename a file or directory."},
    {"replace", FN(px_replace), KW, "Rename a file or directory, overwriting the destination."},
    {"rmdir", FN(px_rmdir), KW, "Remove a directory."},
    {"stat", FN(px_stat), KW, "Perform a stat system call on the given path."},
    {"strerror", FN(px_strerror), PM_METH_O, "Translate an error code to a message string."},
    {"symlink", FN(px_symlink), KW, "Create a symbolic link pointing to src named dst."},
    {"unlink", FN(px_unlink), KW, "Remove a file (same as remove())."},
    {"unsetenv", FN(px_unsetenv), PM_METH_O, "Delete an environment variable."},
    {"urandom", FN(px_urandom), PM_METH_O, "Return a bytes object containing random bytes suitable for cryptographic use."},
    {NULL, NULL, 0, NULL},
};
#undef KW
#undef FN

static int posix_fill(pm_runtime *rt, pm_object *m) {
    static const struct {
        const char *name;
        long v;
    } consts[] = {
        {"F_OK", F_OK}, {"R_OK", R_OK}, {"W_OK", W_OK}, {"X_OK", X_OK},
        {"O_RDONLY", O_RDONLY}, {"O_WRONLY", O_WRONLY}, {"O_RDWR", O_RDWR}, {"O_CREAT", O_CREAT},
        {"O_EXCL", O_EXCL}, {"O_TRUNC", O_TRUNC}, {"O_APPEND", O_APPEND}, {"O_CLOEXEC", O_CLOEXEC},
        {"O_NONBLOCK", O_NONBLOCK}, {"O_NOCTTY", O_NOCTTY}, {"O_DIRECTORY", O_DIRECTORY},
        {"O_NOFOLLOW", O_NOFOLLOW}, {"O_SYNC", O_SYNC}, {"O_ACCMODE", O_ACCMODE},
    };
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (pmi_module_add_new(rt, m, consts[i].name, pm_int_from_long(rt, consts[i].v)) < 0) return -1;
    return pmi_module_add_new(rt, m, "environ", environ_dict(rt));
}

static const pmi_module_def posix_def = {
    .name = "posix",
    .doc = "This module provides access to operating system functionality that is\n"
           "standardized by the C Standard and the POSIX standard (a thinly\n"
           "disguised Unix interface).  Refer to the library manual and\n"
           "corresponding Unix manual entries for more information on calls.",
    .methods = posix_methods,
    .fill = posix_fill,
};

pm_object *pmi_posix_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &posix_def);
}
