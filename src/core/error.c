/*
 * error.c — the runtime's pending-error state (CPython's "current exception").
 *
 * A failing function records one exception kind and a message in its
 * runtime and returns NULL or -1; callers propagate the failure and the
 * embedder (or, later, the interpreter) inspects pm_err_kind/pm_err_message.
 *
 *   rt->err.kind   PM_EXC_NONE  --pm_err_set/format/nomem-->  kind != NONE
 *                       ^------------------ pm_err_clear -----------'
 *
 * The message lives in a fixed buffer inside pm_runtime (PM_ERR_MSG_MAX
 * bytes, longer ones truncated), so recording an error never allocates:
 * MemoryError in particular is raised when memory is gone (CPython keeps a
 * preallocated MemoryError instance for the same reason).
 *
 * The kinds form CPython's hierarchy for the subset we use (table below), so
 * pm_err_matches(rt, PM_EXC_LookupError) is true for a KeyError.
 */
#include "core/object.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const exc_names[] = {
#define PM_EXC_NAME_(name, text) text,
    PM_EXC_KINDS(PM_EXC_NAME_)
#undef PM_EXC_NAME_
};

/* Base class of each kind (CPython's builtin exception tree). */
static pm_exc exc_base(pm_exc k) {
    switch (k) {
    case PM_EXC_NONE:
    case PM_EXC_BaseException:
    case PM_EXC_COUNT_:
        return PM_EXC_NONE;
    case PM_EXC_Exception:
        return PM_EXC_BaseException;
    case PM_EXC_IndexError:
    case PM_EXC_KeyError:
        return PM_EXC_LookupError;
    case PM_EXC_OverflowError:
    case PM_EXC_ZeroDivisionError:
        return PM_EXC_ArithmeticError;
    case PM_EXC_RecursionError:
    case PM_EXC_NotImplementedError:
        return PM_EXC_RuntimeError;
    case PM_EXC_UnicodeError:
        return PM_EXC_ValueError;
    case PM_EXC_UnicodeDecodeError:
    case PM_EXC_UnicodeEncodeError:
        return PM_EXC_UnicodeError;
    default:
        return PM_EXC_Exception;
    }
}

const char *pm_exc_name(pm_exc kind) {
    if ((unsigned)kind >= (unsigned)PM_EXC_COUNT_) return "?";
    return exc_names[kind];
}

int pm_exc_is_subclass(pm_exc kind, pm_exc base) {
    if (kind == PM_EXC_NONE) return 0;
    for (pm_exc k = kind; k != PM_EXC_NONE; k = exc_base(k))
        if (k == base) return 1;
    return 0;
}

void pm_err_set(pm_runtime *rt, pm_exc kind, const char *msg) {
    rt->err.kind = kind;
    snprintf(rt->err.msg, sizeof rt->err.msg, "%s", msg ? msg : "");
}

void pm_err_format(pm_runtime *rt, pm_exc kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    rt->err.kind = kind;
    vsnprintf(rt->err.msg, sizeof rt->err.msg, fmt, ap);
    va_end(ap);
}

void *pm_err_nomem(pm_runtime *rt) {
    rt->err.kind = PM_EXC_MemoryError;
    rt->err.msg[0] = 0;
    return NULL;
}

int pm_err_occurred(const pm_runtime *rt) { return rt->err.kind != PM_EXC_NONE; }
pm_exc pm_err_kind(const pm_runtime *rt) { return rt->err.kind; }
const char *pm_err_message(const pm_runtime *rt) { return rt->err.msg; }

void pm_err_clear(pm_runtime *rt) {
    rt->err.kind = PM_EXC_NONE;
    rt->err.msg[0] = 0;
}

int pm_err_matches(const pm_runtime *rt, pm_exc kind) {
    return pm_exc_is_subclass(rt->err.kind, kind);
}

void *pmi_err_type(pm_runtime *rt, const char *fmt, const pm_object *o) {
    rt->err.kind = PM_EXC_TypeError;
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
    rt->err.msg[0] = 0;
}

void pmi_err_save(pm_runtime *rt, pmi_err_saved *s) {
    s->kind = rt->err.kind;
    if (s->kind != PM_EXC_NONE) {
        memcpy(s->msg, rt->err.msg, sizeof s->msg);
        pm_err_clear(rt);
    }
}

void pmi_err_restore(pm_runtime *rt, const pmi_err_saved *s) {
    if (s->kind != PM_EXC_NONE) pm_err_set(rt, s->kind, s->msg);
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
