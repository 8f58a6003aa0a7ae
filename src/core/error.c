/*
 * error.c — the runtime's pending error (CPython's "current exception").
 *
 * A failing function records an exception in its runtime and returns NULL
 * or -1; callers propagate the failure; the embedder or the interpreter
 * takes the exception object with pm_err_fetch.
 *
 *                 pm_err_set / _format / _nomem          pm_err_restore(exc)
 *   none  ──────────────────────────────────> TEXT ─┐   ┌────────────> OBJECT
 *    ^                                              │   │                 │
 *    └──── pm_err_fetch (makes the object) ─────────┴───┴─ pm_err_fetch ──┘
 *
 *   TEXT:   type + message in a fixed buffer (rt->err.msg); no allocation,
 *           as CPython's PyErr_Format keeps a type and a message and
 *           normalizes only when someone looks at the object.
 *   OBJECT: rt->err.value holds the exception instance.
 *
 * MemoryError: rt->err.memerr is an instance that lives inside the runtime
 * (rt->err.memerr_mem: its gc head and fields; never tracked, never
 * freed; the runtime holds one reference), made with no allocation.  Raising
 * MemoryError records TEXT with no message; fetching it hands out memerr
 * (its traceback / context / cause reset when nobody else holds it, a new
 * instance when one can be made, memerr shared otherwise), so out-of-memory
 * never needs memory.
 *
 * pm_exc kinds are the exceptions the library raises itself; each is the
 * type pm_exc_<Name> (objects/exceptions.c), and pm_err_kind reports the
 * nearest kind in the pending type's base chain, so code written against
 * kinds keeps working when errors are raised as objects.
 */
#include "core/object.h"
#include "core/exc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const pm_type *const kind_types[] = {
    NULL,
#define PM_EXC_TYPE_(name, text) &pm_exc_##name,
    PM_EXC_KINDS(PM_EXC_TYPE_)
#undef PM_EXC_TYPE_
};

const pm_type *pm_exc_type_of(pm_exc kind) {
    if ((unsigned)kind >= (unsigned)PM_EXC_COUNT_) return NULL;
    return kind_types[kind];
}

const char *pm_exc_name(pm_exc kind) {
    if (kind == PM_EXC_NONE) return "";
    if ((unsigned)kind >= (unsigned)PM_EXC_COUNT_) return "?";
    return kind_types[kind]->name;
}

/* The nearest kind in t's base chain (BaseException at worst). */
static pm_exc kind_of_type(const pm_type *t) {
    for (; t; t = t->base)
        for (int k = 1; k < PM_EXC_COUNT_; k++)
            if (kind_types[k] == t) return (pm_exc)k;
    return PM_EXC_BaseException;
}

int pm_exc_is_subclass(pm_exc kind, pm_exc base) {
    const pm_type *a = pm_exc_type_of(kind), *b = pm_exc_type_of(base);
    if (!a || !b) return 0;
    return a == b || pm_type_is_subtype(a, b);
}

/* snprintf may cut a multi-byte UTF-8 sequence: drop the partial tail so
 * the text always decodes. */
static void trim_utf8(char *s) {
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) i--;
    if (i == 0) return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < need) s[i - 1] = 0;
}

/* Replace the pending error by (type, value stolen); the message is left
 * for the caller to write.  The old value is dropped last. */
static void set_pending(pm_runtime *rt, const pm_type *type, pm_object *value) {
    pm_object *old = rt->err.value;
    rt->err.type = type;
    rt->err.value = value;
    rt->err.kind = type ? kind_of_type(type) : PM_EXC_NONE;
    rt->err.msg[0] = 0;
    if (old) {
        pm_decref(rt, old);
        /* the preallocated MemoryError, dropped by its last user: forget its
         * traceback (frames and their locals) and context now, not at its
         * next raise, so it keeps nothing alive in between */
        if (old == rt->err.memerr && old->ob_refcnt == 1) pmi_exc_reset(rt, old);
    }
}

void pm_err_set(pm_runtime *rt, pm_exc kind, const char *msg) {
    char text[PM_ERR_MSG_MAX];          /* msg may be pm_err_message(rt) itself */
    snprintf(text, sizeof text, "%s", msg ? msg : "");
    set_pending(rt, pm_exc_type_of(kind), NULL);
    memcpy(rt->err.msg, text, sizeof text);
    trim_utf8(rt->err.msg);
}

void pm_err_format(pm_runtime *rt, pm_exc kind, const char *fmt, ...) {
    char text[PM_ERR_MSG_MAX];          /* an argument may be pm_err_message(rt) */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    set_pending(rt, pm_exc_type_of(kind), NULL);
    memcpy(rt->err.msg, text, sizeof text);
    trim_utf8(rt->err.msg);
}

void *pm_err_nomem(pm_runtime *rt) {
    set_pending(rt, &pm_exc_MemoryError, NULL);
    return NULL;
}

int pm_err_occurred(const pm_runtime *rt) { return rt->err.kind != PM_EXC_NONE; }
pm_exc pm_err_kind(const pm_runtime *rt) { return rt->err.kind; }
const char *pm_err_message(const pm_runtime *rt) { return rt->err.msg; }
const pm_type *pm_err_occurred_type(const pm_runtime *rt) { return rt->err.type; }

void pm_err_clear(pm_runtime *rt) { set_pending(rt, NULL, NULL); }

int pm_err_matches(const pm_runtime *rt, pm_exc kind) {
    const pm_type *t = rt->err.type, *b = pm_exc_type_of(kind);
    return t && b && (t == b || pm_type_is_subtype(t, b));
}

/* The preallocated MemoryError, ready to hand out (new ref). */
static pm_object *take_memerr(pm_runtime *rt) {
    pm_object *m = rt->err.memerr;
    if (m->ob_refcnt == 1) pmi_exc_reset(rt, m);   /* nobody else holds it */
    pm_incref(rt, m);
    return m;
}

pm_object *pm_err_fetch(pm_runtime *rt) {
    if (rt->err.kind == PM_EXC_NONE) return NULL;
    pm_object *v = rt->err.value;
    if (v) {
        rt->err.value = NULL;
        set_pending(rt, NULL, NULL);
        return v;
    }
    const pm_type *type = rt->err.type;
    char msg[PM_ERR_MSG_MAX];
    memcpy(msg, rt->err.msg, sizeof msg);
    set_pending(rt, NULL, NULL);
    int bare_memerr = type == &pm_exc_MemoryError && msg[0] == 0;
    if (bare_memerr && rt->err.memerr && rt->err.memerr->ob_refcnt == 1) return take_memerr(rt);
    v = pm_exc_new_msg(rt, type, bare_memerr ? NULL : msg);
    if (v) return v;
    /* could not make it: what went wrong instead (MemoryError, normally) */
    if (rt->err.type == &pm_exc_MemoryError && rt->err.value == NULL && rt->err.msg[0] == 0 &&
        rt->err.memerr) {
        set_pending(rt, NULL, NULL);
        return take_memerr(rt);
    }
    return pm_err_fetch(rt);
}

/* The message for pm_err_message of an object: str(args[0]) when it is a
 * str (no allocation unless its UTF-8 form must be made). */
static void message_of(pm_runtime *rt, pm_object *exc, char *out, size_t size) {
    out[0] = 0;
    pm_object *args = pm_exc_get_args(exc);
    if (!args || pm_tuple_size(args) != 1) return;
    pm_object *a = pm_tuple_get(rt, args, 0);   /* borrowed */
    if (!a) return;
    pm_object *text = NULL;
    if (pm_str_check(a)) {
        text = pm_newref(rt, a);
    } else if (a->ob_type->flags & PM_TPFLAGS_STATIC) {
        /* a key, a number: its str (KeyError: its repr), as str(exc) shows
         * it; only for the core's own types, so that restoring an error
         * never runs a class's __str__ */
        text = pm_type_is_subtype(exc->ob_type, &pm_exc_KeyError) ? pm_repr(rt, a) : pm_str(rt, a);
        if (!text) pm_err_clear(rt);
    }
    if (text) {
        const char *u = pm_str_as_utf8(rt, text, NULL);
        if (u) snprintf(out, size, "%s", u);
        else pm_err_clear(rt);
        trim_utf8(out);
        pm_decref(rt, text);
    }
}

void pm_err_restore(pm_runtime *rt, pm_object *exc) {
    if (!exc) {
        pm_err_clear(rt);
        return;
    }
    char msg[PM_ERR_MSG_MAX];
    message_of(rt, exc, msg, sizeof msg);
    set_pending(rt, exc->ob_type, exc);
    memcpy(rt->err.msg, msg, sizeof msg);
}

void pm_err_set_object(pm_runtime *rt, const pm_type *type, pm_object *value) {
    if (!pm_exc_type_check(type)) {
        pm_err_set(rt, PM_EXC_TypeError, "exceptions must derive from BaseException");
        return;
    }
    if (value && pm_is_instance(value, type)) {
        pm_incref(rt, value);
        pm_err_restore(rt, value);
        return;
    }
    pm_object *args;
    if (!value || value == PM_NONE) args = pm_tuple_from_array(rt, NULL, 0);
    else if (pm_tuple_check(value)) args = pm_newref(rt, value);
    else args = pm_tuple_pack(rt, 1, value);
    if (!args) return;
    pm_object *e = pm_exc_new(rt, type, args, NULL);
    pm_decref(rt, args);
    if (e) pm_err_restore(rt, e);
}

void pm_err_memerr_release(pm_runtime *rt) {
    pm_object *m = rt->err.memerr;
    if (m && m->ob_refcnt == 1 && pm_exc_get_traceback(m)) pmi_exc_reset(rt, m);
}

void pm_err_set_key_error(pm_runtime *rt, pm_object *key) {
    pm_object *args = pm_tuple_pack(rt, 1, key);
    if (!args) return;
    pm_object *e = pm_exc_new(rt, &pm_exc_KeyError, args, NULL);
    pm_decref(rt, args);
    if (e) pm_err_restore(rt, e);
}

static const pm_type *as_exc_class(pm_object *o) {
    if (o->ob_type == &pm_type_type || (o->ob_type->flags & PM_TPFLAGS_TYPE_SUBCLASS)) {
        const pm_type *t = (const pm_type *)(void *)o;
        return pm_exc_type_check(t) ? t : NULL;
    }
    return NULL;
}

int pm_err_given_matches(pm_object *err, pm_object *match) {
    if (!err || !match) return 0;
    if (pm_tuple_check(match)) {
        pm_ssize_t n = pm_tuple_size(match);
        pm_object *const *items = (pm_object *const *)(void *)((char *)match + sizeof(pm_varobject));
        for (pm_ssize_t i = 0; i < n; i++)
            if (pm_err_given_matches(err, items[i])) return 1;
        return 0;
    }
    const pm_type *et = pm_exc_check(err) ? err->ob_type : as_exc_class(err);
    const pm_type *mt = as_exc_class(match);
    if (!et || !mt) return err == match;
    return et == mt || pm_type_is_subtype(et, mt);
}

int pm_err_exception_matches(const pm_runtime *rt, pm_object *match) {
    if (!rt->err.type) return 0;
    return pm_err_given_matches(pm_type_as_object(rt->err.type), match);
}

void pm_err_set_context(pm_runtime *rt, pm_object *handled) {
    if (!rt->err.type || !handled || handled == PM_NONE || !pm_exc_check(handled)) return;
    pm_object *exc = pm_err_fetch(rt);
    if (exc != handled) {
        /* cut a cycle: if exc is already in handled's context chain, the
         * link to it is dropped (Floyd's walk stops on an older cycle) */
        pm_object *o = handled, *slow = handled;
        int step = 0;
        for (;;) {
            pm_object *ctx = pm_exc_get_context(o);
            if (!ctx) break;
            if (ctx == exc) {
                pm_exc_set_context(rt, o, NULL);
                break;
            }
            o = ctx;
            if (step++ & 1) slow = pm_exc_get_context(slow);
            if (o == slow) break;
        }
        pm_incref(rt, handled);
        pm_exc_set_context(rt, exc, handled);
    }
    pm_err_restore(rt, exc);
}

void *pmi_err_type(pm_runtime *rt, const char *fmt, const pm_object *o) {
    set_pending(rt, &pm_exc_TypeError, NULL);
    /* fmt comes from this library's own call sites and has one %s. */
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    snprintf(rt->err.msg, sizeof rt->err.msg, fmt, o->ob_type->name);
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif
    return NULL;
}

void pmi_err_init(pm_runtime *rt) {
    rt->err.kind = PM_EXC_NONE;
    rt->err.type = NULL;
    rt->err.value = NULL;
    rt->err.msg[0] = 0;
    /* the MemoryError lives inside the runtime: no allocation, ever */
    rt->err.memerr = pmi_exc_embed(rt, rt->err.memerr_mem, &pm_exc_MemoryError);
}

void pmi_err_fini(pm_runtime *rt) {
    pm_err_clear(rt);
    if (rt->err.memerr) pmi_exc_reset(rt, rt->err.memerr);   /* lives in rt: not freed */
    rt->err.memerr = NULL;
    pm_err_clear(rt);
}

void pmi_err_save(pm_runtime *rt, pmi_err_saved *s) {
    s->kind = rt->err.kind;
    s->type = rt->err.type;
    s->value = rt->err.value;
    if (s->kind != PM_EXC_NONE) {
        memcpy(s->msg, rt->err.msg, sizeof s->msg);
        rt->err.value = NULL;           /* moved into s */
        pm_err_clear(rt);
    }
}

void pmi_err_restore(pm_runtime *rt, const pmi_err_saved *s) {
    if (s->kind == PM_EXC_NONE) return;
    set_pending(rt, s->type, s->value);
    memcpy(rt->err.msg, s->msg, sizeof rt->err.msg);
}

void pmi_assert_fail(const char *expr, const char *file, int line) {
    fprintf(stderr, "pymm: %s:%d: check failed: %s\n", file, line, expr);
    fflush(stderr);
    abort();
}

void *pmi_err_badarg(pm_runtime *rt, const char *func) {
    pm_err_format(rt, PM_EXC_SystemError, "%s: bad argument to internal function", func);
    return NULL;
}
