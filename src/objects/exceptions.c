/*
 * exceptions.c — the built-in exception classes (CPython 3.11's
 * Objects/exceptions.c) as static, immortal types shared by all runtimes.
 *
 * One table makes the hierarchy: PM_EXC_HIERARCHY in pymm.h lists every
 * class as (Name, Base, Layout), parents first.  This file expands it once
 * into the type objects, so a name, a base or a layout cannot disagree
 * with another list.  The layout picks the instance struct, its field
 * table, and the init / str hooks:
 *
 *   BaseException ─ 72 bytes: head | dict args notes traceback context cause | suppress
 *     ├─ STOPITER  + value                   (StopIteration)
 *     ├─ SYSEXIT   + code                    (SystemExit)
 *     ├─ IMPORT    + msg name path           (ImportError, ModuleNotFoundError)
 *     ├─ NAME      + name                    (NameError, UnboundLocalError)
 *     ├─ ATTR      + obj name                (AttributeError)
 *     ├─ OSERR     + errno strerror filename filename2 written
 *     ├─ SYNTAX    + msg filename lineno offset end_lineno end_offset text
 *     │              print_file_and_line
 *     ├─ UDECODE / UENCODE / UTRANSLATE  + encoding object start end reason
 *     └─ GROUP     + message exceptions      (BaseExceptionGroup, ExceptionGroup)
 *
 * Sizes equal CPython's (sys.getsizeof(Exception()) == 88 with the gc
 * head).  Instances are gc objects: their fields can hold anything,
 * including the exception itself through __context__ or a traceback.
 *
 * Construction follows BaseException_new + the class's __init__: new
 * stores args; init stores args again and fills the class's fields (so a
 * subclass overriding __init__ still gets args).  OSError chooses its
 * subclass from errno in new, as CPython's oserror_use_init logic does for
 * OSError itself.
 *
 * Attributes: the member/getset tables are given to the type (descriptor
 * objects are made from them into each runtime's type dict), and this
 * file's getattr/setattr hooks also answer them directly from the tables,
 * so they work before and independently of the descriptors; anything else
 * goes to the generic lookup (the instance __dict__ holds __notes__).
 */
#include "core/object.h"
#include "core/exc.h"
#include "core/recursion.h"

#include <errno.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

/* ---- instance layouts ---------------------------------------------------- */

typedef struct pmi_exc {
    pm_object ob_base;          /* refcount + type */
    pm_object *dict;            /* instance __dict__ (made on demand) */
    pm_object *args;            /* the args tuple; never NULL once made */
    pm_object *notes;           /* unused: __notes__ lives in the dict (3.11) */
    pm_object *traceback;       /* __traceback__ (the interpreter's), NULL: None */
    pm_object *context;         /* __context__, NULL: None */
    pm_object *cause;           /* __cause__, NULL: None */
    char suppress_context;      /* __suppress_context__ */
} pmi_exc;

typedef struct { pmi_exc base; pm_object *value; } pmi_exc_stopiter;   /* value: StopIteration.value */
typedef struct { pmi_exc base; pm_object *code; } pmi_exc_sysexit;     /* code: SystemExit.code */
typedef struct {
    pmi_exc base;               /* common part */
    pm_object *msg;             /* args[0] when one argument was given */
    pm_object *name;            /* name= keyword */
    pm_object *path;            /* path= keyword */
} pmi_exc_import;
typedef struct { pmi_exc base; pm_object *name; } pmi_exc_name;        /* name: NameError.name */
typedef struct {
    pmi_exc base;               /* common part */
    pm_object *obj;             /* obj= keyword */
    pm_object *name;            /* name= keyword */
} pmi_exc_attr;
typedef struct {
    pmi_exc base;               /* common part */
    pm_object *myerrno;         /* errno */
    pm_object *strerror;        /* strerror */
    pm_object *filename;        /* filename */
    pm_object *filename2;       /* filename2 */
    pm_ssize_t written;         /* BlockingIOError.characters_written, -1: unset */
} pmi_exc_os;
typedef struct {
    pmi_exc base;               /* common part */
    pm_object *msg;             /* msg */
    pm_object *filename;        /* filename */
    pm_object *lineno;          /* lineno */
    pm_object *offset;          /* offset */
    pm_object *end_lineno;      /* end_lineno */
    pm_object *end_offset;      /* end_offset */
    pm_object *text;            /* text */
    pm_object *print_file_and_line; /* print_file_and_line */
} pmi_exc_syntax;
typedef struct {
    pmi_exc base;               /* common part */
    pm_object *encoding;        /* codec name (str) */
    pm_object *object;          /* the bytes / str being coded */
    pm_ssize_t start;           /* first bad position */
    pm_ssize_t end;             /* one past the last bad position */
    pm_object *reason;          /* str */
} pmi_exc_unicode;

typedef struct {
    pmi_exc base;               /* common part */
    pm_object *msg;             /* message (str) */
    pm_object *excs;            /* exceptions (a non-empty tuple) */
    pm_object *unused_weak;     /* always NULL: CPython's ExceptionGroup is a
                                   heap class with a weakref slot, so
                                   getsizeof says 112 (weak references to
                                   groups are not supported here) */
} pmi_exc_group;

#define EXC(o) ((pmi_exc *)(void *)(o))

/* The nearest static exception type of t (its layout). */
static const pm_type *exc_static_base(const pm_type *t);

/* Object fields after the common part, per layout, for traverse/clear. */
static int exc_extra_fields(const pm_type *t, pm_object ***fields) {
    /* the layout's struct is recorded in t->extra as a field-offset list */
    const pm_ssize_t *offs = t->extra;
    int n = 0;
    (void)fields;
    if (offs)
        while (offs[n] >= 0) n++;
    return n;
}

static const pm_ssize_t offs_BASE[] = {-1};
static const pm_ssize_t offs_KEY[] = {-1};
static const pm_ssize_t offs_STOPITER[] = {offsetof(pmi_exc_stopiter, value), -1};
static const pm_ssize_t offs_SYSEXIT[] = {offsetof(pmi_exc_sysexit, code), -1};
static const pm_ssize_t offs_IMPORT[] = {offsetof(pmi_exc_import, msg), offsetof(pmi_exc_import, name),
                                         offsetof(pmi_exc_import, path), -1};
static const pm_ssize_t offs_NAME[] = {offsetof(pmi_exc_name, name), -1};
static const pm_ssize_t offs_ATTR[] = {offsetof(pmi_exc_attr, obj), offsetof(pmi_exc_attr, name), -1};
static const pm_ssize_t offs_OSERR[] = {offsetof(pmi_exc_os, myerrno), offsetof(pmi_exc_os, strerror),
                                        offsetof(pmi_exc_os, filename), offsetof(pmi_exc_os, filename2), -1};
static const pm_ssize_t offs_SYNTAX[] = {
    offsetof(pmi_exc_syntax, msg),        offsetof(pmi_exc_syntax, filename),
    offsetof(pmi_exc_syntax, lineno),     offsetof(pmi_exc_syntax, offset),
    offsetof(pmi_exc_syntax, end_lineno), offsetof(pmi_exc_syntax, end_offset),
    offsetof(pmi_exc_syntax, text),       offsetof(pmi_exc_syntax, print_file_and_line), -1};
static const pm_ssize_t offs_UNICODE[] = {offsetof(pmi_exc_unicode, encoding),
                                          offsetof(pmi_exc_unicode, object),
                                          offsetof(pmi_exc_unicode, reason), -1};
static const pm_ssize_t offs_GROUP[] = {offsetof(pmi_exc_group, msg), offsetof(pmi_exc_group, excs), -1};
#define offs_UDECODE offs_UNICODE
#define offs_UENCODE offs_UNICODE
#define offs_UTRANSLATE offs_UNICODE

static pm_object **field_at(pm_object *o, pm_ssize_t off) {
    return (pm_object **)(void *)((char *)o + off);
}

/* ---- lifetime ------------------------------------------------------------ */

static int exc_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_exc *e = EXC(self);
    pm_object *common[] = {e->dict, e->args, e->notes, e->traceback, e->context, e->cause};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (common[i]) {
            int r = visit(common[i], arg);
            if (r) return r;
        }
    const pm_ssize_t *offs = exc_static_base(self->ob_type)->extra;
    int n = exc_extra_fields(exc_static_base(self->ob_type), NULL);
    for (int i = 0; i < n; i++) {
        pm_object *f = *field_at(self, offs[i]);
        if (f) {
            int r = visit(f, arg);
            if (r) return r;
        }
    }
    return 0;
}

static int exc_clear(pm_runtime *rt, pm_object *self) {
    pmi_exc *e = EXC(self);
    PM_CLEAR(rt, e->dict);
    PM_CLEAR(rt, e->args);
    PM_CLEAR(rt, e->notes);
    PM_CLEAR(rt, e->traceback);
    PM_CLEAR(rt, e->context);
    PM_CLEAR(rt, e->cause);
    const pm_ssize_t *offs = exc_static_base(self->ob_type)->extra;
    int n = exc_extra_fields(exc_static_base(self->ob_type), NULL);
    for (int i = 0; i < n; i++) PM_CLEAR(rt, *field_at(self, offs[i]));
    return 0;
}

static void exc_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    exc_clear(rt, self);
    pm_gc_del(rt, self);
}

/* ---- helpers ------------------------------------------------------------- */

int pm_exc_type_check(const pm_type *t) {
    return t && (t->flags & PM_TPFLAGS_BASE_EXC_SUBCLASS) != 0;
}

int pm_exc_check(const pm_object *o) { return o && pm_exc_type_check(o->ob_type); }

/* The class name as repr shows it: tp_name after its last dot. */
static const char *short_name(const pm_type *t) {
    const char *dot = strrchr(t->name, '.');
    return dot ? dot + 1 : t->name;
}

static void set_field(pm_runtime *rt, pm_object **slot, pm_object *v) {
    pm_object *old = *slot;
    if (v) pm_incref(rt, v);
    *slot = v;
    if (old) pm_decref(rt, old);
}

static pm_object *none_if_null(pm_runtime *rt, pm_object *o) {
    pm_object *r = o ? o : PM_NONE;
    pm_incref(rt, r);
    return r;
}

static pm_ssize_t nargs_of(pm_object *args) { return args ? pm_tuple_size(args) : 0; }
static pm_object *arg_at(pm_object *args, pm_ssize_t i) {
    return ((pm_object *const *)(void *)((char *)args + sizeof(pm_varobject)))[i];
}


/* ---- errno -> OSError subclass ------------------------------------------- */

static const pm_type *oserror_subclass(int err) {
    switch (err) {
    case EAGAIN: return &pm_exc_BlockingIOError;
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return &pm_exc_BlockingIOError;
#endif
    case EALREADY:
    case EINPROGRESS: return &pm_exc_BlockingIOError;
    case ECHILD: return &pm_exc_ChildProcessError;
    case EPIPE:
#ifdef ESHUTDOWN
    case ESHUTDOWN:
#endif
        return &pm_exc_BrokenPipeError;
    case ECONNABORTED: return &pm_exc_ConnectionAbortedError;
    case ECONNREFUSED: return &pm_exc_ConnectionRefusedError;
    case ECONNRESET: return &pm_exc_ConnectionResetError;
    case EEXIST: return &pm_exc_FileExistsError;
    case ENOENT: return &pm_exc_FileNotFoundError;
    case EISDIR: return &pm_exc_IsADirectoryError;
    case ENOTDIR: return &pm_exc_NotADirectoryError;
    case EINTR: return &pm_exc_InterruptedError;
    case EACCES:
    case EPERM:
#ifdef ENOTCAPABLE
    case ENOTCAPABLE:
#endif
        return &pm_exc_PermissionError;
    case ESRCH: return &pm_exc_ProcessLookupError;
    case ETIMEDOUT: return &pm_exc_TimeoutError;
    default: return NULL;
    }
}

/* ---- construction -------------------------------------------------------- */

static pm_object *exc_alloc(pm_runtime *rt, const pm_type *type, pm_object *args) {
    pm_object *self = pm_gc_new(rt, type);
    if (!self) return NULL;
    if (args) {
        pm_incref(rt, args);
        EXC(self)->args = args;
    } else {
        EXC(self)->args = pm_tuple_from_array(rt, NULL, 0);
        if (!EXC(self)->args) {
            pm_decref(rt, self);
            return NULL;
        }
    }
    if (exc_static_base(type)->extra == (const void *)offs_OSERR) ((pmi_exc_os *)(void *)self)->written = -1;
    pm_gc_track(rt, self);
    return self;
}

static pm_object *exc_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)kwargs;
    if (exc_static_base(type)->extra == (const void *)offs_OSERR && type == &pm_exc_OSError &&
        nargs_of(args) >= 2 && pm_int_check(arg_at(args, 0))) {
        long e = pm_int_as_long(rt, arg_at(args, 0));
        if (e == -1 && pm_err_occurred(rt)) pm_err_clear(rt); /* out of range: no subclass */
        else if (e >= -2147483647L && e <= 2147483647L) {
            const pm_type *sub = oserror_subclass((int)e);
            if (sub) type = sub;
        }
    }
    return exc_alloc(rt, type, args);
}

static int no_keywords(pm_runtime *rt, const pm_type *t, pm_object *kwargs) {
    if (kwargs && pm_length(rt, kwargs) > 0) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes no keyword arguments", short_name(t));
        return -1;
    }
    return 0;
}

static int set_args(pm_runtime *rt, pm_object *self, pm_object *args) {
    if (!args) return 0;
    set_field(rt, &EXC(self)->args, args);
    return 0;
}

static int base_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    if (no_keywords(rt, self->ob_type, kwargs) < 0) return -1;
    return set_args(rt, self, args);
}

static int stopiter_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    if (base_init(rt, self, args, kwargs) < 0) return -1;
    set_field(rt, &((pmi_exc_stopiter *)(void *)self)->value,
              nargs_of(args) > 0 ? arg_at(args, 0) : PM_NONE);
    return 0;
}

static int sysexit_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    if (base_init(rt, self, args, kwargs) < 0) return -1;
    pm_ssize_t n = nargs_of(args);
    set_field(rt, &((pmi_exc_sysexit *)(void *)self)->code,
              n == 0 ? PM_NONE : n == 1 ? arg_at(args, 0) : args);
    return 0;
}

/* Keyword arguments limited to `names` (NULL-terminated) stored at the
 * matching offsets; anything else: TypeError as CPython's arg parser. */
static int take_keywords(pm_runtime *rt, pm_object *self, pm_object *kwargs, const char *const *names,
                         const pm_ssize_t *offs) {
    if (!kwargs) return 0;
    pm_ssize_t n = pm_length(rt, kwargs);
    if (n < 0) return -1;
    pm_ssize_t found = 0;
    for (int i = 0; names[i]; i++) {
        pm_object *key = pm_str_from_cstr(rt, names[i]);
        if (!key) return -1;
        pm_object *v = pm_dict_get(rt, kwargs, key);
        pm_decref(rt, key);
        if (v) {
            set_field(rt, field_at(self, offs[i]), v);
            found++;
        } else if (pm_err_occurred(rt)) {
            return -1;
        }
    }
    if (found != n) {
        pm_object *it = pm_iter(rt, kwargs);
        if (!it) return -1;
        pm_object *k;
        while ((k = pm_iter_next(rt, it)) != NULL) {
            int known = 0;
            for (int i = 0; names[i]; i++)
                if (pm_str_check(k) && pm_str_equal_cstr(k, names[i])) known = 1;
            if (!known) {
                const char *ks = pm_str_check(k) ? pm_str_as_utf8(rt, k, NULL) : NULL;
                if (ks)
                    pm_err_format(rt, PM_EXC_TypeError, "'%.200s' is an invalid keyword argument for %s()",
                                  ks, short_name(self->ob_type));
                pm_decref(rt, k);
                pm_decref(rt, it);
                if (!pm_err_occurred(rt))
                    pm_err_set(rt, PM_EXC_TypeError, "keywords must be strings");
                return -1;
            }
            pm_decref(rt, k);
        }
        pm_decref(rt, it);
        if (pm_err_occurred(rt)) return -1;
    }
    return 0;
}

static int import_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"name", "path", NULL};
    static const pm_ssize_t offs[] = {offsetof(pmi_exc_import, name), offsetof(pmi_exc_import, path)};
    if (set_args(rt, self, args) < 0) return -1;
    if (take_keywords(rt, self, kwargs, names, offs) < 0) return -1;
    set_field(rt, &((pmi_exc_import *)(void *)self)->msg, nargs_of(args) == 1 ? arg_at(args, 0) : NULL);
    return 0;
}

static int name_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"name", NULL};
    static const pm_ssize_t offs[] = {offsetof(pmi_exc_name, name)};
    if (set_args(rt, self, args) < 0) return -1;
    return take_keywords(rt, self, kwargs, names, offs);
}

static int attr_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    static const char *const names[] = {"name", "obj", NULL};
    static const pm_ssize_t offs[] = {offsetof(pmi_exc_attr, name), offsetof(pmi_exc_attr, obj)};
    if (set_args(rt, self, args) < 0) return -1;
    return take_keywords(rt, self, kwargs, names, offs);
}

static int oserr_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    if (no_keywords(rt, self->ob_type, kwargs) < 0) return -1;
    pmi_exc_os *e = (pmi_exc_os *)(void *)self;
    pm_ssize_t n = nargs_of(args);
    if (n >= 2 && n <= 5) {
        set_field(rt, &e->myerrno, arg_at(args, 0));
        set_field(rt, &e->strerror, arg_at(args, 1));
        if (n >= 3 && arg_at(args, 2) != PM_NONE) {
            set_field(rt, &e->filename, arg_at(args, 2));
            if (n == 5 && arg_at(args, 4) != PM_NONE) set_field(rt, &e->filename2, arg_at(args, 4));
            /* args keeps only (errno, strerror) when a filename is given */
            pm_object *two = pm_tuple_pack(rt, 2, arg_at(args, 0), arg_at(args, 1));
            if (!two) return -1;
            set_field(rt, &EXC(self)->args, two);
            pm_decref(rt, two);
            return 0;
        }
    }
    return set_args(rt, self, args);
}

static int syntax_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    if (base_init(rt, self, args, kwargs) < 0) return -1;
    pmi_exc_syntax *e = (pmi_exc_syntax *)(void *)self;
    pm_ssize_t n = nargs_of(args);
    if (n >= 1) set_field(rt, &e->msg, arg_at(args, 0));
    if (n == 2) {
        pm_object *info = arg_at(args, 1), *tuple;
        if (pm_tuple_check(info)) {
            tuple = info;
            pm_incref(rt, tuple);
        } else {                        /* any iterable, as PySequence_Tuple */
            pm_object *l = pm_list_new(rt);
            if (!l) return -1;
            if (pm_list_extend(rt, l, info) < 0) {
                pm_decref(rt, l);
                return -1;
            }
            tuple = pm_list_as_tuple(rt, l);
            pm_decref(rt, l);
            if (!tuple) return -1;
        }
        info = tuple;
        pm_ssize_t k = pm_tuple_size(info);
        if (k < 4 || k > 6) {
            if (k < 4)
                pm_err_format(rt, PM_EXC_TypeError, "function takes at least 4 arguments (%zd given)", k);
            else
                pm_err_format(rt, PM_EXC_TypeError, "function takes at most 6 arguments (%zd given)", k);
            pm_decref(rt, tuple);
            return -1;
        }
        pm_object **dst[] = {&e->filename, &e->lineno, &e->offset, &e->text, &e->end_lineno, &e->end_offset};
        for (pm_ssize_t i = 0; i < k; i++) set_field(rt, dst[i], arg_at(info, i));
        pm_decref(rt, tuple);
    }
    return 0;
}

/* "argument N must be T, not U" as CPython's arg parser. */
static int check_arg(pm_runtime *rt, pm_object *a, int (*ok)(const pm_object *), int pos,
                     const char *want) {
    if (ok(a)) return 0;
    pm_err_format(rt, PM_EXC_TypeError, "argument %d must be %s, not %.50s", pos, want,
                  a == PM_NONE ? "None" : a->ob_type->name);
    return -1;
}

static int is_str(const pm_object *o) { return pm_str_check(o); }
static int is_int(const pm_object *o) { return pm_int_check(o); }

static int unicode_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs, int which) {
    if (base_init(rt, self, args, kwargs) < 0) return -1;
    pmi_exc_unicode *e = (pmi_exc_unicode *)(void *)self;
    pm_ssize_t want = which == 2 ? 4 : 5, n = nargs_of(args);
    if (n != want) {
        pm_err_format(rt, PM_EXC_TypeError, "function takes exactly %zd arguments (%zd given)", want, n);
        return -1;
    }
    int i = 0;
    pm_object *enc = NULL;
    if (which != 2) {
        enc = arg_at(args, 0);
        if (check_arg(rt, enc, is_str, 1, "str") < 0) return -1;
        i = 1;
    }
    pm_object *obj = arg_at(args, i);
    if (which != 0 && check_arg(rt, obj, is_str, i + 1, "str") < 0) return -1;
    if (check_arg(rt, arg_at(args, i + 1), is_int, i + 2, "int") < 0) return -1;
    if (check_arg(rt, arg_at(args, i + 2), is_int, i + 3, "int") < 0) return -1;
    if (check_arg(rt, arg_at(args, i + 3), is_str, i + 4, "str") < 0) return -1;
    pm_ssize_t start = pm_int_as_ssize(rt, arg_at(args, i + 1));
    if (start == -1 && pm_err_occurred(rt)) return -1;
    pm_ssize_t end = pm_int_as_ssize(rt, arg_at(args, i + 2));
    if (end == -1 && pm_err_occurred(rt)) return -1;
    if (which == 0 && !pm_bytes_check(obj)) {
        /* any buffer: its bytes are kept (a bytes copy) */
        if (!pm_object_check_buffer(obj)) {
            pmi_err_type(rt, "a bytes-like object is required, not '%.100s'", obj);
            return -1;
        }
        pm_buffer v;
        if (pm_object_getbuffer(rt, obj, &v, PM_BUF_SIMPLE) < 0) return -1;
        pm_object *b = pm_bytes_new(rt, v.buf, v.len);
        pm_buffer_release(rt, &v);
        if (!b) return -1;
        set_field(rt, &e->encoding, enc);
        set_field(rt, &e->object, b);
        pm_decref(rt, b);
    } else {
        set_field(rt, &e->encoding, enc);
        set_field(rt, &e->object, obj);
    }
    e->start = start;
    e->end = end;
    set_field(rt, &e->reason, arg_at(args, i + 3));
    return 0;
}

void pmi_err_unicode(pm_runtime *rt, pm_exc kind, const char *encoding, pm_object *object, pm_ssize_t start,
                     pm_ssize_t end, const char *reason) {
    pm_object *enc = encoding ? pm_str_from_cstr(rt, encoding) : NULL, *s = pm_int_from_ssize(rt, start);
    pm_object *e = pm_int_from_ssize(rt, end), *why = pm_str_from_cstr(rt, reason), *args = NULL;
    if ((enc || !encoding) && s && e && why)
        args = encoding ? pm_tuple_pack(rt, 5, enc, object, s, e, why) : pm_tuple_pack(rt, 4, object, s, e, why);
    pm_object *exc = args ? pm_call_object(rt, pm_type_as_object(pm_exc_type_of(kind)), args, NULL) : NULL;
    pm_object *text = exc ? pm_str(rt, exc) : NULL;
    const char *u = text ? pm_str_as_utf8(rt, text, NULL) : NULL;
    if (u) {
        /* pending, with its str as pm_err_message (the library's callers
         * read the text; five arguments give no message of their own) */
        pm_err_restore(rt, pm_newref(rt, exc));
        snprintf(rt->err.msg, sizeof rt->err.msg, "%s", u);
    }
    pm_xdecref(rt, text);
    pm_xdecref(rt, exc);
    pm_xdecref(rt, enc);
    pm_xdecref(rt, s);
    pm_xdecref(rt, e);
    pm_xdecref(rt, why);
    pm_xdecref(rt, args);
}

void pmi_err_unicode_decode(pm_runtime *rt, const char *encoding, const void *p, pm_ssize_t n, pm_ssize_t start,
                            pm_ssize_t end, const char *reason) {
    pm_object *b = pm_bytes_new(rt, p, n);
    if (!b) return;
    pmi_err_unicode(rt, PM_EXC_UnicodeDecodeError, encoding, b, start, end, reason);
    pm_decref(rt, b);
}

static int udecode_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    return unicode_init(rt, self, args, kwargs, 0);
}
static int uencode_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    return unicode_init(rt, self, args, kwargs, 1);
}
static int utranslate_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    return unicode_init(rt, self, args, kwargs, 2);
}
#define key_init base_init

/* ---- str and repr -------------------------------------------------------- */

/* Append the str s (a NEW ref, consumed; NULL: the builder fails). */
static void sb_put_new(pm_runtime *rt, pmi_sb *sb, pm_object *s) {
    if (!s) {
        sb->failed = 1;
        return;
    }
    pmi_sb_put_str(rt, sb, s);
    pm_decref(rt, s);
}

static pm_object *base_str(pm_runtime *rt, pm_object *self) {
    pm_object *args = EXC(self)->args;
    switch (nargs_of(args)) {
    case 0: return pm_str_from_cstr(rt, "");
    case 1: return pm_str(rt, arg_at(args, 0));
    default: return pm_str(rt, args);
    }
}

static pm_object *exc_repr(pm_runtime *rt, pm_object *self) {
    pm_object *args = EXC(self)->args;
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_puts(rt, &sb, short_name(self->ob_type));
    if (nargs_of(args) == 1) {
        pmi_sb_puts(rt, &sb, "(");
        pmi_sb_put_repr(rt, &sb, arg_at(args, 0));
        pmi_sb_puts(rt, &sb, ")");
    } else if (args) {
        pmi_sb_put_repr(rt, &sb, args);
    } else {
        pmi_sb_puts(rt, &sb, "()");
    }
    return pmi_sb_finish(rt, &sb);
}

static pm_object *key_str(pm_runtime *rt, pm_object *self) {
    pm_object *args = EXC(self)->args;
    if (nargs_of(args) == 1) return pm_repr(rt, arg_at(args, 0));
    return base_str(rt, self);
}

static pm_object *import_str(pm_runtime *rt, pm_object *self) {
    pm_object *msg = ((pmi_exc_import *)(void *)self)->msg;
    if (msg && msg->ob_type == &pm_str_type) {
        pm_incref(rt, msg);
        return msg;
    }
    return base_str(rt, self);
}

static pm_object *oserr_str(pm_runtime *rt, pm_object *self) {
    pmi_exc_os *e = (pmi_exc_os *)(void *)self;
    if (!e->myerrno || !e->strerror) return base_str(rt, self);
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_puts(rt, &sb, "[Errno ");
    sb_put_new(rt, &sb, pm_str(rt, e->myerrno));
    pmi_sb_puts(rt, &sb, "] ");
    sb_put_new(rt, &sb, pm_str(rt, e->strerror));
    if (e->filename) {
        pmi_sb_puts(rt, &sb, ": ");
        pmi_sb_put_repr(rt, &sb, e->filename);
        if (e->filename2) {
            pmi_sb_puts(rt, &sb, " -> ");
            pmi_sb_put_repr(rt, &sb, e->filename2);
        }
    }
    return pmi_sb_finish(rt, &sb);
}

static pm_object *syntax_str(pm_runtime *rt, pm_object *self) {
    pmi_exc_syntax *e = (pmi_exc_syntax *)(void *)self;
    pmi_sb sb;
    pmi_sb_init(&sb);
    sb_put_new(rt, &sb, pm_str(rt, e->msg ? e->msg : PM_NONE));
    int have_file = e->filename && e->filename->ob_type == &pm_str_type;
    int have_line = e->lineno && e->lineno->ob_type == &pm_int_type;
    if (have_file || have_line) {
        pmi_sb_puts(rt, &sb, " (");
        if (have_file) {
            /* the file's basename, as CPython's my_basename */
            pm_ssize_t n = pm_str_length(e->filename), cut = 0;
            for (pm_ssize_t i = 0; i < n; i++)
                if (pm_str_read_char(e->filename, i) == '/') cut = i + 1;
            sb_put_new(rt, &sb, pm_str_slice(rt, e->filename, cut, n, 1));
            if (have_line) pmi_sb_puts(rt, &sb, ", ");
        }
        if (have_line) {
            long ln = pm_int_as_long(rt, e->lineno);
            pmi_sb_printf(rt, &sb, "line %ld", ln);
        }
        pmi_sb_puts(rt, &sb, ")");
    }
    return pmi_sb_finish(rt, &sb);
}

static void put_position(pm_runtime *rt, pmi_sb *sb, pm_ssize_t start, pm_ssize_t end, pm_object *reason) {
    if (end == start + 1) pmi_sb_printf(rt, sb, "in position %zd: ", start);
    else pmi_sb_printf(rt, sb, "in position %zd-%zd: ", start, end - 1);
    sb_put_new(rt, sb, pm_str(rt, reason));
}

static void put_char_escape(pm_runtime *rt, pmi_sb *sb, uint32_t c) {
    if (c <= 0xff) pmi_sb_printf(rt, sb, "'\\x%02x' ", (unsigned)c);
    else if (c <= 0xffff) pmi_sb_printf(rt, sb, "'\\u%04x' ", (unsigned)c);
    else pmi_sb_printf(rt, sb, "'\\U%08x' ", (unsigned)c);
}

static pm_object *unicode_str(pm_runtime *rt, pm_object *self, int which) {
    pmi_exc_unicode *e = (pmi_exc_unicode *)(void *)self;
    if (!e->object || !e->reason || (which != 2 && !e->encoding)) return pm_str_from_cstr(rt, "");
    pm_ssize_t len = which == 0 ? pm_bytes_size(e->object) : pm_str_length(e->object);
    pmi_sb sb;
    pmi_sb_init(&sb);
    if (which != 2) {
        pmi_sb_puts(rt, &sb, "'");
        sb_put_new(rt, &sb, pm_str(rt, e->encoding));
        pmi_sb_puts(rt, &sb, which == 0 ? "' codec can't decode " : "' codec can't encode ");
    } else {
        pmi_sb_puts(rt, &sb, "can't translate ");
    }
    int one = e->start >= 0 && e->start < len && e->end == e->start + 1;
    if (which == 0) {
        if (one)
            pmi_sb_printf(rt, &sb, "byte 0x%02x ", (unsigned)(unsigned char)pm_bytes_data(e->object)[e->start]);
        else
            pmi_sb_puts(rt, &sb, "bytes ");
    } else if (one) {
        pmi_sb_puts(rt, &sb, "character ");
        put_char_escape(rt, &sb, pm_str_read_char(e->object, e->start));
    } else {
        pmi_sb_puts(rt, &sb, "characters ");
    }
    if (one) put_position(rt, &sb, e->start, e->start + 1, e->reason);
    else put_position(rt, &sb, e->start, e->end == e->start + 1 ? e->end + 1 : e->end, e->reason);
    return pmi_sb_finish(rt, &sb);
}

static pm_object *udecode_str(pm_runtime *rt, pm_object *self) { return unicode_str(rt, self, 0); }
static pm_object *uencode_str(pm_runtime *rt, pm_object *self) { return unicode_str(rt, self, 1); }
static pm_object *utranslate_str(pm_runtime *rt, pm_object *self) { return unicode_str(rt, self, 2); }

#define stopiter_str base_str
#define sysexit_str base_str
#define name_str base_str
#define attr_str base_str

/* ---- attributes ---------------------------------------------------------- */

static pm_object *get_args(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    return none_if_null(rt, EXC(self)->args);
}

static int set_args_attr(pm_runtime *rt, pm_object *self, pm_object *v, void *c) {
    (void)c;
    if (!v) {
        pm_err_set(rt, PM_EXC_TypeError, "args may not be deleted");
        return -1;
    }
    pm_object *t;
    if (pm_tuple_check(v)) {
        t = v;
        pm_incref(rt, t);
    } else {
        pm_object *l = pm_list_new(rt);
        if (!l) return -1;
        if (pm_list_extend(rt, l, v) < 0) {
            pm_decref(rt, l);
            return -1;
        }
        t = pm_list_as_tuple(rt, l);
        pm_decref(rt, l);
        if (!t) return -1;
    }
    set_field(rt, &EXC(self)->args, t);
    pm_decref(rt, t);
    return 0;
}

static pm_object *get_tb(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    return none_if_null(rt, EXC(self)->traceback);
}

static int set_tb(pm_runtime *rt, pm_object *self, pm_object *v, void *c) {
    (void)c;
    if (!v) {
        pm_err_set(rt, PM_EXC_TypeError, "__traceback__ may not be deleted");
        return -1;
    }
    /* no traceback type in the library yet: None or an object whose type
     * is named "traceback" (the interpreter's) */
    if (v != PM_NONE && strcmp(v->ob_type->name, "traceback") != 0) {
        pm_err_set(rt, PM_EXC_TypeError, "__traceback__ must be a traceback or None");
        return -1;
    }
    set_field(rt, &EXC(self)->traceback, v == PM_NONE ? NULL : v);
    return 0;
}

static pm_object *get_context(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    return none_if_null(rt, EXC(self)->context);
}

static int set_context(pm_runtime *rt, pm_object *self, pm_object *v, void *c) {
    (void)c;
    if (!v) {
        pm_err_set(rt, PM_EXC_TypeError, "__context__ may not be deleted");
        return -1;
    }
    if (v != PM_NONE && !pm_exc_check(v)) {
        pm_err_set(rt, PM_EXC_TypeError, "exception context must be None or derive from BaseException");
        return -1;
    }
    set_field(rt, &EXC(self)->context, v == PM_NONE ? NULL : v);
    return 0;
}

static pm_object *get_cause(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    return none_if_null(rt, EXC(self)->cause);
}

static int set_cause(pm_runtime *rt, pm_object *self, pm_object *v, void *c) {
    (void)c;
    if (!v) {
        pm_err_set(rt, PM_EXC_TypeError, "__cause__ may not be deleted");
        return -1;
    }
    if (v != PM_NONE && !pm_exc_check(v)) {
        pm_err_set(rt, PM_EXC_TypeError, "exception cause must be None or derive from BaseException");
        return -1;
    }
    EXC(self)->suppress_context = 1;
    set_field(rt, &EXC(self)->cause, v == PM_NONE ? NULL : v);
    return 0;
}

static pm_object *get_dict(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    if (!EXC(self)->dict) {
        EXC(self)->dict = pm_dict_new(rt);
        if (!EXC(self)->dict) return NULL;
    }
    pm_incref(rt, EXC(self)->dict);
    return EXC(self)->dict;
}

static pm_object *get_written(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    pmi_exc_os *e = (pmi_exc_os *)(void *)self;
    if (e->written == -1) {
        pm_err_set(rt, PM_EXC_AttributeError, "characters_written");
        return NULL;
    }
    return pm_int_from_ssize(rt, e->written);
}

static const pm_getset_def getset_BASE[] = {
    {"__dict__", get_dict, NULL, NULL, NULL},
    {"args", get_args, set_args_attr, NULL, NULL},
    {"__traceback__", get_tb, set_tb, NULL, NULL},
    {"__context__", get_context, set_context, "exception context", NULL},
    {"__cause__", get_cause, set_cause, "exception cause", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static const pm_getset_def getset_OSERR[] = {
    {"characters_written", get_written, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
#define getset_KEY NULL
#define getset_STOPITER NULL
#define getset_SYSEXIT NULL
#define getset_IMPORT NULL
#define getset_NAME NULL
#define getset_ATTR NULL
#define getset_SYNTAX NULL
#define getset_UDECODE NULL
#define getset_UENCODE NULL
#define getset_UTRANSLATE NULL

static const pm_member_def members_BASE[] = {
    {"__suppress_context__", PM_T_BOOL, offsetof(pmi_exc, suppress_context), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};
#define members_KEY NULL
static const pm_member_def members_STOPITER[] = {
    {"value", PM_T_OBJECT, offsetof(pmi_exc_stopiter, value), 0, "generator return value"},
    {NULL, 0, 0, 0, NULL},
};
static const pm_member_def members_SYSEXIT[] = {
    {"code", PM_T_OBJECT, offsetof(pmi_exc_sysexit, code), 0, "exception code"},
    {NULL, 0, 0, 0, NULL},
};
static const pm_member_def members_IMPORT[] = {
    {"msg", PM_T_OBJECT, offsetof(pmi_exc_import, msg), 0, "exception message"},
    {"name", PM_T_OBJECT, offsetof(pmi_exc_import, name), 0, "module name"},
    {"path", PM_T_OBJECT, offsetof(pmi_exc_import, path), 0, "module path"},
    {NULL, 0, 0, 0, NULL},
};
static const pm_member_def members_NAME[] = {
    {"name", PM_T_OBJECT, offsetof(pmi_exc_name, name), 0, "name"},
    {NULL, 0, 0, 0, NULL},
};
static const pm_member_def members_ATTR[] = {
    {"name", PM_T_OBJECT, offsetof(pmi_exc_attr, name), 0, "attribute name"},
    {"obj", PM_T_OBJECT, offsetof(pmi_exc_attr, obj), 0, "object"},
    {NULL, 0, 0, 0, NULL},
};
static const pm_member_def members_OSERR[] = {
    {"errno", PM_T_OBJECT, offsetof(pmi_exc_os, myerrno), 0, "POSIX exception code"},
    {"strerror", PM_T_OBJECT, offsetof(pmi_exc_os, strerror), 0, "exception strerror"},
    {"filename", PM_T_OBJECT, offsetof(pmi_exc_os, filename), 0, "exception filename"},
    {"filename2", PM_T_OBJECT, offsetof(pmi_exc_os, filename2), 0, "second exception filename"},
    {NULL, 0, 0, 0, NULL},
};
static const pm_member_def members_SYNTAX[] = {
    {"msg", PM_T_OBJECT, offsetof(pmi_exc_syntax, msg), 0, "exception msg"},
    {"filename", PM_T_OBJECT, offsetof(pmi_exc_syntax, filename), 0, "exception filename"},
    {"lineno", PM_T_OBJECT, offsetof(pmi_exc_syntax, lineno), 0, "exception lineno"},
    {"offset", PM_T_OBJECT, offsetof(pmi_exc_syntax, offset), 0, "exception offset"},
    {"text", PM_T_OBJECT, offsetof(pmi_exc_syntax, text), 0, "exception text"},
    {"end_lineno", PM_T_OBJECT, offsetof(pmi_exc_syntax, end_lineno), 0, "exception end lineno"},
    {"end_offset", PM_T_OBJECT, offsetof(pmi_exc_syntax, end_offset), 0, "exception end offset"},
    {"print_file_and_line", PM_T_OBJECT, offsetof(pmi_exc_syntax, print_file_and_line), 0,
     "exception print_file_and_line"},
    {NULL, 0, 0, 0, NULL},
};
static const pm_member_def members_UNICODE[] = {
    {"encoding", PM_T_OBJECT, offsetof(pmi_exc_unicode, encoding), 0, "exception encoding"},
    {"object", PM_T_OBJECT, offsetof(pmi_exc_unicode, object), 0, "exception object"},
    {"start", PM_T_PYSSIZET, offsetof(pmi_exc_unicode, start), 0, "exception start"},
    {"end", PM_T_PYSSIZET, offsetof(pmi_exc_unicode, end), 0, "exception end"},
    {"reason", PM_T_OBJECT, offsetof(pmi_exc_unicode, reason), 0, "exception reason"},
    {NULL, 0, 0, 0, NULL},
};
static const pm_member_def members_GROUP[] = {
    {"message", PM_T_OBJECT, offsetof(pmi_exc_group, msg), PM_READONLY, "exception message"},
    {"exceptions", PM_T_OBJECT, offsetof(pmi_exc_group, excs), PM_READONLY, "nested exceptions"},
    {NULL, 0, 0, 0, NULL},
};
#define getset_GROUP NULL
#define members_UDECODE members_UNICODE
#define members_UENCODE members_UNICODE
#define members_UTRANSLATE members_UNICODE

static pm_object *meth_with_traceback(pm_runtime *rt, pm_object *self, pm_object *tb) {
    return pm_exc_with_traceback(rt, self, tb);
}

static pm_object *meth_add_note(pm_runtime *rt, pm_object *self, pm_object *note) {
    if (pm_exc_add_note(rt, self, note) < 0) return NULL;
    pm_incref(rt, PM_NONE);
    return PM_NONE;
}

static const pm_method_def methods_BASE[] = {
    {"with_traceback", (pm_cfunction)meth_with_traceback, PM_METH_O,
     "Exception.with_traceback(tb) --\n    set self.__traceback__ to tb and return self."},
    {"add_note", (pm_cfunction)meth_add_note, PM_METH_O,
     "Exception.add_note(note) --\n    add a note to the exception"},
    {NULL, NULL, 0, NULL},
};

/* Look name up in t's own member and getset tables and its bases' (static
 * exception types only).  Returns the entry through *m or *g. */
static int find_field(const pm_type *t, pm_object *name, const pm_member_def **m, const pm_getset_def **g) {
    *m = NULL;
    *g = NULL;
    if (!pm_str_check(name)) return 0;
    for (; t && pm_exc_type_check(t); t = t->base) {
        if (t->flags & PM_TPFLAGS_HEAPTYPE) continue;
        for (const pm_member_def *d = t->members; d && d->name; d++)
            if (pm_str_equal_cstr(name, d->name)) return (*m = d), 1;
        for (const pm_getset_def *d = t->getset; d && d->name; d++)
            if (pm_str_equal_cstr(name, d->name)) return (*g = d), 1;
    }
    return 0;
}

static pm_object *exc_getattr(pm_runtime *rt, pm_object *self, pm_object *name) {
    const pm_member_def *m;
    const pm_getset_def *g;
    if (find_field(self->ob_type, name, &m, &g)) {
        if (g) return g->get(rt, self, g->closure);
        char *p = (char *)self + m->offset;
        switch (m->type) {
        case PM_T_BOOL: return pm_bool_from(*p != 0);
        case PM_T_PYSSIZET: return pm_int_from_ssize(rt, *(pm_ssize_t *)(void *)p);
        default: return none_if_null(rt, *(pm_object **)(void *)p);
        }
    }
    return pm_object_generic_getattr(rt, self, name);
}

static int exc_setattr(pm_runtime *rt, pm_object *self, pm_object *name, pm_object *value) {
    const pm_member_def *m;
    const pm_getset_def *g;
    if (find_field(self->ob_type, name, &m, &g)) {
        if (g) {
            if (!g->set) {
                pm_err_format(rt, PM_EXC_AttributeError,
                              "attribute '%s' of '%s' objects is not writable", g->name,
                              self->ob_type->name);
                return -1;
            }
            return g->set(rt, self, value, g->closure);
        }
        char *p = (char *)self + m->offset;
        switch (m->type) {
        case PM_T_BOOL: {
            if (!value) {
                pm_err_set(rt, PM_EXC_TypeError, "can't delete numeric/char attribute");
                return -1;
            }
            if (value->ob_type != &pm_bool_type) {
                pm_err_set(rt, PM_EXC_TypeError, "attribute value type must be bool");
                return -1;
            }
            *p = value == PM_TRUE;
            return 0;
        }
        case PM_T_PYSSIZET: {
            if (!value) {
                pm_err_set(rt, PM_EXC_TypeError, "can't delete numeric/char attribute");
                return -1;
            }
            pm_ssize_t v = pm_index_as_ssize(rt, value, PM_INDEX_OVERFLOWERROR);
            if (v == -1 && pm_err_occurred(rt)) return -1;
            *(pm_ssize_t *)(void *)p = v;
            return 0;
        }
        default:
            set_field(rt, (pm_object **)(void *)p, value);
            return 0;
        }
    }
    return pm_object_generic_setattr(rt, self, name, value);
}

/* ---- exception groups ---------------------------------------------------- */

/* BaseExceptionGroup.__new__(cls, message, exceptions): the checks and the
 * class choice of CPython's BaseExceptionGroup_new (BaseExceptionGroup of
 * Exceptions only is an ExceptionGroup). */
static pm_object *group_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    if (no_keywords(rt, type, kwargs) < 0) return NULL;
    pm_ssize_t n = nargs_of(args);
    if (n != 2) {
        pm_err_format(rt, PM_EXC_TypeError, "BaseExceptionGroup.__new__() takes exactly 2 arguments (%zd given)", n);
        return NULL;
    }
    pm_object *msg = arg_at(args, 0), *seq = arg_at(args, 1), *excs = NULL, *self = NULL;
    if (!pm_str_check(msg)) {
        pm_err_format(rt, PM_EXC_TypeError, "BaseExceptionGroup.__new__() argument 1 must be str, not %.50s",
                      msg == PM_NONE ? "None" : msg->ob_type->name);
        return NULL;
    }
    const pm_type *st = seq->ob_type;
    if (!st->as_sequence || !st->as_sequence->sq_item || (st->flags & PM_TPFLAGS_DICT_SUBCLASS)) {
        pm_err_set(rt, PM_EXC_TypeError, "second argument (exceptions) must be a sequence");
        return NULL;
    }
    if (pm_tuple_check(seq)) {
        excs = pm_newref(rt, seq);
    } else {
        pm_object *l = pm_list_new(rt);
        if (l && pm_list_extend(rt, l, seq) == 0) excs = pm_list_as_tuple(rt, l);
        pm_xdecref(rt, l);
        if (!excs) return NULL;
    }
    pm_ssize_t k = pm_tuple_size(excs);
    if (k == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "second argument (exceptions) must be a non-empty sequence");
        goto done;
    }
    int nested_base = 0;
    for (pm_ssize_t i = 0; i < k; i++) {
        pm_object *e = arg_at(excs, i);
        if (!pm_exc_check(e)) {
            pm_err_format(rt, PM_EXC_ValueError, "Item %zd of second argument (exceptions) is not an exception", i);
            goto done;
        }
        if (!pm_is_instance(e, &pm_exc_Exception)) nested_base = 1;
    }
    if (type == &pm_exc_ExceptionGroup) {
        if (nested_base) {
            pm_err_set(rt, PM_EXC_TypeError, "Cannot nest BaseExceptions in an ExceptionGroup");
            goto done;
        }
    } else if (type == &pm_exc_BaseExceptionGroup) {
        if (!nested_base) type = &pm_exc_ExceptionGroup;
    } else if (nested_base && pm_type_is_subtype(type, &pm_exc_Exception)) {
        pm_err_format(rt, PM_EXC_TypeError, "Cannot nest BaseExceptions in '%.200s'", type->name);
        goto done;
    }
    self = exc_alloc(rt, type, args);
    if (self) {
        pmi_exc_group *g = (pmi_exc_group *)(void *)self;
        set_field(rt, &g->msg, msg);
        set_field(rt, &g->excs, excs);
    }
done:
    pm_decref(rt, excs);
    return self;
}

static int group_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    if (no_keywords(rt, self->ob_type, kwargs) < 0) return -1;
    return set_args(rt, self, args);
}

/* "msg (2 sub-exceptions)" */
static pm_object *group_str(pm_runtime *rt, pm_object *self) {
    pmi_exc_group *g = (pmi_exc_group *)(void *)self;
    pm_ssize_t n = g->excs ? pm_tuple_size(g->excs) : 0;
    pmi_sb sb;
    pmi_sb_init(&sb);
    if (g->msg) pmi_sb_put_str(rt, &sb, g->msg);
    pmi_sb_printf(rt, &sb, " (%zd sub-exception%s)", n, n == 1 ? "" : "s");
    return pmi_sb_finish(rt, &sb);
}

static int is_group(const pm_object *o) { return pm_is_instance(o, &pm_exc_BaseExceptionGroup); }

/* BaseExceptionGroup(self.message, excs) */
static pm_object *group_derive(pm_runtime *rt, pm_object *self, pm_object *excs) {
    pm_object *a[2] = {((pmi_exc_group *)(void *)self)->msg, excs};
    if (!a[0]) a[0] = PM_NONE;
    return pm_call(rt, pm_type_as_object(&pm_exc_BaseExceptionGroup), a, 2, NULL);
}

/* How split / subgroup test a leaf: a type (or tuple of types) to match, or
 * a predicate to call. */
enum { MATCH_TYPE, MATCH_PRED };

static int matcher_kind(pm_runtime *rt, pm_object *cond) {
    if (!pm_type_check(cond) && pm_callable(cond)) return MATCH_PRED;
    if (pm_type_check(cond) && pm_exc_type_check((const pm_type *)cond)) return MATCH_TYPE;
    if (pm_tuple_check(cond)) {
        int ok = 1;
        for (pm_ssize_t i = 0; i < pm_tuple_size(cond) && ok; i++) {
            pm_object *c = arg_at(cond, i);
            ok = pm_type_check(c) && pm_exc_type_check((const pm_type *)c);
        }
        if (ok) return MATCH_TYPE;
    }
    pm_err_set(rt, PM_EXC_TypeError, "expected a function, exception type or tuple of exception types");
    return -1;
}

static int matches(pm_runtime *rt, pm_object *e, int kind, pm_object *cond) {
    if (kind == MATCH_TYPE) {
        if (!pm_tuple_check(cond)) return pm_is_instance(e, (const pm_type *)cond);
        for (pm_ssize_t i = 0; i < pm_tuple_size(cond); i++)
            if (pm_is_instance(e, (const pm_type *)arg_at(cond, i))) return 1;
        return 0;
    }
    pm_object *r = pm_call(rt, cond, &e, 1, NULL);
    if (!r) return -1;
    int t = pm_is_true(rt, r);
    pm_decref(rt, r);
    return t;
}

/* orig.derive(excs) carrying orig's traceback, context, cause and a copy of
 * its __notes__; NULL (no error) when excs is empty. */
static pm_object *group_subset(pm_runtime *rt, pm_object *orig, pm_object *excs, int *err) {
    *err = 0;
    if (pm_list_size(excs) == 0) return NULL;
    pm_object *n = pm_str_intern_cstr(rt, "derive"), *eg = n ? pm_call_method(rt, orig, n, &excs, 1) : NULL;
    pm_xdecref(rt, n);
    if (!eg) goto fail;
    if (!pm_exc_check(eg) || !is_group(eg)) {
        pm_err_set(rt, PM_EXC_TypeError, "derive must return an instance of BaseExceptionGroup");
        goto fail;
    }
    set_field(rt, &EXC(eg)->traceback, EXC(orig)->traceback);
    set_field(rt, &EXC(eg)->context, EXC(orig)->context);
    set_field(rt, &EXC(eg)->cause, EXC(orig)->cause);
    pm_object *notes = pm_getattr_cstr(rt, orig, "__notes__");
    if (!notes) {
        if (!pm_err_matches(rt, PM_EXC_AttributeError)) goto fail;
        pm_err_clear(rt);
    } else {
        int r = 0;
        const pm_type *nt = notes->ob_type;
        if (nt->as_sequence && nt->as_sequence->sq_item && !(nt->flags & PM_TPFLAGS_DICT_SUBCLASS)) {
            pm_object *copy = pm_list_new(rt);
            r = copy && pm_list_extend(rt, copy, notes) == 0 ? 0 : -1;
            if (r == 0) {
                pm_object *k = pm_str_intern_cstr(rt, "__notes__");
                r = k ? pm_setattr(rt, eg, k, copy) : -1;
                pm_xdecref(rt, k);
            }
            pm_xdecref(rt, copy);
        }
        pm_decref(rt, notes);
        if (r < 0) goto fail;
    }
    return eg;
fail:
    pm_xdecref(rt, eg);
    *err = 1;
    return NULL;
}

/* CPython's exceptiongroup_split_recursive: *match (and *rest when
 * want_rest) get new refs or NULL.  0 / -1. */
static int split_rec(pm_runtime *rt, pm_object *exc, int kind, pm_object *cond, int want_rest, pm_object **match,
                     pm_object **rest) {
    *match = NULL;
    if (rest) *rest = NULL;
    int m = matches(rt, exc, kind, cond);
    if (m < 0) return -1;
    if (m) {
        *match = pm_newref(rt, exc);
        return 0;
    }
    if (!is_group(exc)) {
        if (want_rest) *rest = pm_newref(rt, exc);
        return 0;
    }
    if (pmi_recursion_enter(rt, " in split()") < 0) return -1;
    pm_object *excs = ((pmi_exc_group *)(void *)exc)->excs;
    pm_object *ml = pm_list_new(rt), *rl = want_rest ? pm_list_new(rt) : NULL;
    int rc = -1, err;
    if (!ml || (want_rest && !rl)) goto done;
    for (pm_ssize_t i = 0, n = excs ? pm_tuple_size(excs) : 0; i < n; i++) {
        pm_object *sm, *sr = NULL;
        if (split_rec(rt, arg_at(excs, i), kind, cond, want_rest, &sm, want_rest ? &sr : NULL) < 0) goto done;
        int r = 0;
        if (sm) r = pm_list_append(rt, ml, sm);
        if (r == 0 && sr) r = pm_list_append(rt, rl, sr);
        pm_xdecref(rt, sm);
        pm_xdecref(rt, sr);
        if (r < 0) goto done;
    }
    *match = group_subset(rt, exc, ml, &err);
    if (err) goto done;
    if (want_rest) {
        *rest = group_subset(rt, exc, rl, &err);
        if (err) {
            PM_CLEAR(rt, *match);
            goto done;
        }
    }
    rc = 0;
done:
    pmi_recursion_leave(rt);
    pm_xdecref(rt, ml);
    pm_xdecref(rt, rl);
    return rc;
}

static pm_object *group_subgroup(pm_runtime *rt, pm_object *self, pm_object *cond) {
    int kind = matcher_kind(rt, cond);
    pm_object *match;
    if (kind < 0 || split_rec(rt, self, kind, cond, 0, &match, NULL) < 0) return NULL;
    return match ? match : pm_newref(rt, PM_NONE);
}

static pm_object *group_split(pm_runtime *rt, pm_object *self, pm_object *cond) {
    int kind = matcher_kind(rt, cond);
    pm_object *match, *rest;
    if (kind < 0 || split_rec(rt, self, kind, cond, 1, &match, &rest) < 0) return NULL;
    pm_object *t = pm_tuple_pack(rt, 2, match ? match : PM_NONE, rest ? rest : PM_NONE);
    pm_xdecref(rt, match);
    pm_xdecref(rt, rest);
    return t;
}

static const pm_method_def methods_GROUP[] = {
    {"derive", (pm_cfunction)group_derive, PM_METH_O, NULL},
    {"split", (pm_cfunction)group_split, PM_METH_O, NULL},
    {"subgroup", (pm_cfunction)group_subgroup, PM_METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

/* ---- the types ----------------------------------------------------------- */

#define size_BASE sizeof(pmi_exc)
#define size_KEY sizeof(pmi_exc)
#define size_STOPITER sizeof(pmi_exc_stopiter)
#define size_SYSEXIT sizeof(pmi_exc_sysexit)
#define size_IMPORT sizeof(pmi_exc_import)
#define size_NAME sizeof(pmi_exc_name)
#define size_ATTR sizeof(pmi_exc_attr)
#define size_OSERR sizeof(pmi_exc_os)
#define size_SYNTAX sizeof(pmi_exc_syntax)
#define size_UDECODE sizeof(pmi_exc_unicode)
#define size_UENCODE sizeof(pmi_exc_unicode)
#define size_UTRANSLATE sizeof(pmi_exc_unicode)
#define size_GROUP sizeof(pmi_exc_group)
#define init_GROUP group_init
#define str_GROUP group_str
#define new_GROUP group_new
#define new_BASE exc_new
#define new_KEY exc_new
#define new_STOPITER exc_new
#define new_SYSEXIT exc_new
#define new_IMPORT exc_new
#define new_NAME exc_new
#define new_ATTR exc_new
#define new_OSERR exc_new
#define new_SYNTAX exc_new
#define new_UDECODE exc_new
#define new_UENCODE exc_new
#define new_UTRANSLATE exc_new
/* methods a layout adds (BaseException's own are on BaseException only) */
#define xmethods_BASE NULL
#define xmethods_KEY NULL
#define xmethods_STOPITER NULL
#define xmethods_SYSEXIT NULL
#define xmethods_IMPORT NULL
#define xmethods_NAME NULL
#define xmethods_ATTR NULL
#define xmethods_OSERR NULL
#define xmethods_SYNTAX NULL
#define xmethods_UDECODE NULL
#define xmethods_UENCODE NULL
#define xmethods_UTRANSLATE NULL
#define xmethods_GROUP methods_GROUP
#define init_BASE base_init
#define init_KEY key_init
#define init_STOPITER stopiter_init
#define init_SYSEXIT sysexit_init
#define init_IMPORT import_init
#define init_NAME name_init
#define init_ATTR attr_init
#define init_OSERR oserr_init
#define init_SYNTAX syntax_init
#define init_UDECODE udecode_init
#define init_UENCODE uencode_init
#define init_UTRANSLATE utranslate_init
#define str_BASE base_str
#define str_KEY key_str
#define str_STOPITER stopiter_str
#define str_SYSEXIT sysexit_str
#define str_IMPORT import_str
#define str_NAME name_str
#define str_ATTR attr_str
#define str_OSERR oserr_str
#define str_SYNTAX syntax_str
#define str_UDECODE udecode_str
#define str_UENCODE uencode_str
#define str_UTRANSLATE utranslate_str
#define EXC_FLAGS (PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_BASE_EXC_SUBCLASS)

const pm_type pm_exc_BaseException = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "BaseException",
    .basicsize = sizeof(pmi_exc),
    .flags = EXC_FLAGS,
    .base = &pm_object_type,
    .dictoffset = offsetof(pmi_exc, dict),
    .doc = "Common base class for all exceptions",
    .dealloc = exc_dealloc,
    .traverse = exc_traverse,
    .clear = exc_clear,
    .repr = exc_repr,
    .str = base_str,
    .getattr = exc_getattr,
    .setattr = exc_setattr,
    .new_object = exc_new,
    .init = base_init,
    .methods = methods_BASE,
    .members = members_BASE,
    .getset = getset_BASE,
    .extra = offs_BASE,
};

/* A layout's member/getset tables go on the first class of the chain that
 * has it; doc texts are CPython's first lines. */
#define PM_EXC_DEFINE_(nm, bs, layout)                                                 \
    const pm_type pm_exc_##nm = {                                                      \
        .ob_base = PMI_STATIC_HEAD(&pm_type_type),                                     \
        .name = #nm,                                                                   \
        .basicsize = size_##layout,                                                    \
        .flags = EXC_FLAGS,                                                            \
        .base = &pm_exc_##bs,                                                          \
        .dictoffset = offsetof(pmi_exc, dict),                                         \
        .dealloc = exc_dealloc,                                                        \
        .traverse = exc_traverse,                                                      \
        .clear = exc_clear,                                                            \
        .repr = exc_repr,                                                              \
        .str = str_##layout,                                                           \
        .getattr = exc_getattr,                                                        \
        .setattr = exc_setattr,                                                        \
        .new_object = new_##layout,                                                    \
        .init = init_##layout,                                                         \
        .methods = xmethods_##layout,                                                  \
        .members = members_##layout,                                                   \
        .getset = getset_##layout,                                                     \
        .extra = offs_##layout,                                                        \
    };
PM_EXC_HIERARCHY(PM_EXC_DEFINE_)
#undef PM_EXC_DEFINE_

static const pm_type *exc_static_base(const pm_type *t) {
    while (t && (t->flags & PM_TPFLAGS_HEAPTYPE)) t = t->base;
    return t ? t : &pm_exc_BaseException;
}

/* ---- public API ---------------------------------------------------------- */

pm_object *pm_exc_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    if (!pm_exc_type_check(type)) {
        pm_err_set(rt, PM_EXC_TypeError, "exceptions must derive from BaseException");
        return NULL;
    }
    pm_object *empty = NULL;
    if (!args) {
        empty = pm_tuple_from_array(rt, NULL, 0);
        if (!empty) return NULL;
        args = empty;
    }
    pm_object *self = type->new_object ? type->new_object(rt, type, args, kwargs)
                                       : exc_new(rt, type, args, kwargs);
    if (self && pm_exc_check(self) && self->ob_type->init &&
        self->ob_type->init(rt, self, args, kwargs) < 0) {
        pm_decref(rt, self);
        self = NULL;
    }
    if (empty) pm_decref(rt, empty);
    return self;
}

pm_object *pm_exc_new_msg(pm_runtime *rt, const pm_type *type, const char *msg) {
    if (!msg) return pm_exc_new(rt, type, NULL, NULL);
    pm_object *s = pm_str_from_utf8(rt, msg, -1);
    if (!s) return NULL;
    pm_object *args = pm_tuple_pack(rt, 1, s);
    pm_decref(rt, s);
    if (!args) return NULL;
    pm_object *e = pm_exc_new(rt, type, args, NULL);
    pm_decref(rt, args);
    return e;
}

pm_object *pm_exc_get_args(pm_object *exc) { return EXC(exc)->args; }
pm_object *pm_exc_get_traceback(pm_object *exc) { return EXC(exc)->traceback; }
pm_object *pm_exc_get_context(pm_object *exc) { return EXC(exc)->context; }
pm_object *pm_exc_get_cause(pm_object *exc) { return EXC(exc)->cause; }
int pm_exc_get_suppress_context(pm_object *exc) { return EXC(exc)->suppress_context; }
void pm_exc_set_suppress_context(pm_object *exc, int v) { EXC(exc)->suppress_context = (char)(v != 0); }

static void steal_field(pm_runtime *rt, pm_object **slot, pm_object *v) {
    if (v == PM_NONE) {
        pm_decref(rt, v);
        v = NULL;
    }
    pm_object *old = *slot;
    *slot = v;
    if (old) pm_decref(rt, old);
}

void pm_exc_set_traceback(pm_runtime *rt, pm_object *exc, pm_object *tb) {
    steal_field(rt, &EXC(exc)->traceback, tb);
}
void pm_exc_set_context(pm_runtime *rt, pm_object *exc, pm_object *context) {
    steal_field(rt, &EXC(exc)->context, context);
}
void pm_exc_set_cause(pm_runtime *rt, pm_object *exc, pm_object *cause) {
    EXC(exc)->suppress_context = 1;
    steal_field(rt, &EXC(exc)->cause, cause);
}

pm_object *pm_exc_with_traceback(pm_runtime *rt, pm_object *exc, pm_object *tb) {
    if (set_tb(rt, exc, tb, NULL) < 0) return NULL;
    pm_incref(rt, exc);
    return exc;
}

int pm_exc_add_note(pm_runtime *rt, pm_object *exc, pm_object *note) {
    if (!pm_str_check(note)) {
        pm_err_format(rt, PM_EXC_TypeError, "note must be a str, not '%.50s'", note->ob_type->name);
        return -1;
    }
    pm_object *key = pm_str_intern_cstr(rt, "__notes__");   /* interned: the method cache keeps it */
    if (!key) return -1;
    pm_object *notes = NULL;
    int rc = -1;
    int r = pm_getattr_opt(rt, exc, key, &notes);
    if (r < 0) goto fail;
    if (r == 0) {
        notes = pm_list_new(rt);
        if (!notes) goto fail;
        if (pm_setattr(rt, exc, key, notes) < 0) goto fail;
    } else if (!pm_list_check(notes)) {
        pm_err_set(rt, PM_EXC_TypeError, "Cannot add note: __notes__ is not a list");
        goto fail;
    }
    rc = pm_list_append(rt, notes, note);
fail:
    if (notes) pm_decref(rt, notes);
    pm_decref(rt, key);
    return rc;
}

/* ---- the runtime's embedded MemoryError (core/exc.h) --------------------- */

_Static_assert(sizeof(pm_gc_head) + sizeof(pmi_exc) == PMI_EXC_EMBED_BYTES,
               "the embedded MemoryError's room in pmi_err_state");

pm_object *pmi_exc_embed(pm_runtime *rt, void *mem, const pm_type *type) {
    pm_object *o = PMI_FROM_GC(mem);
    o->ob_refcnt = 1;
    o->ob_type = type;
    EXC(o)->args = pm_tuple_from_array(rt, NULL, 0);   /* the static () */
    return o;
}

void pmi_exc_reset(pm_runtime *rt, pm_object *exc) {
    pm_object *empty = pm_tuple_from_array(rt, NULL, 0);
    exc_clear(rt, exc);
    EXC(exc)->args = empty;
    EXC(exc)->suppress_context = 0;
}
