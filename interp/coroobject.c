/*
 * interp/coroobject.c — coroutines and async generators (PEP 492, PEP 525),
 * CPython 3.11's genobject.c second half.
 *
 * Purpose: the coroutine and async generator types (they share pmi_gen and
 * its resume code with generators, genobject.c), the awaitables they
 * hand out, and the protocol steps of await / async for / async with.
 *
 *   async def f          coroutine        send/throw/close, __await__ ->
 *                                         coroutine_wrapper (an iterator)
 *   async def f + yield  async_generator  __anext__/asend -> asend object
 *                                         athrow/aclose   -> athrow object
 *
 * An `await x` is GET_AWAITABLE (x itself for a coroutine or a generator
 * flagged CO_ITERABLE_COROUTINE, else type(x).__await__(x), which must
 * return an iterator), then SEND / YIELD_VALUE as `yield from`: whatever
 * the innermost awaitable yields travels up to the code driving the
 * outermost coroutine (a scheduler calling send()).
 *
 * An async generator's `yield v` is ASYNC_GEN_WRAP + YIELD_VALUE: the
 * value leaves wrapped (async_generator_wrapped_value), so the asend /
 * athrow object can tell it from a value yielded by an inner await: a
 * wrapped value ends the asend's await with StopIteration(v); anything
 * else passes up unchanged.
 *
 * States of an asend / athrow object (CPython's AWAITABLE_STATE_*):
 *   INIT --first send--> ITER --the generator yields a value / ends--> CLOSED
 * A CLOSED one raises "cannot reuse already awaited ...".  The async
 * generator's running_async flag is set while an asend / athrow is being
 * awaited ("anext(): asynchronous generator is already running"), closed
 * once it ended or aclose() began.
 *
 * Finalization: a coroutine dropped before it ever ran prints python3's
 * RuntimeWarning "coroutine 'q' was never awaited" (filename:line of the
 * code running when it died, its source line, the tracemalloc hint), once
 * per place (the module's __warningregistry__, as the warnings module
 * keeps it; at teardown "sys:1:" without the hint, as python3's C
 * fallback prints it); a suspended coroutine or async generator is
 * closed (GeneratorExit thrown in), as a generator is.
 *
 * The builtins aiter() and anext() are here too (3.11's texts); anext(it,
 * default) hands out an anext_awaitable that turns the StopAsyncIteration
 * ending the step into StopIteration(default).
 *
 * The hooks of sys (kept in pmi_interp, set by sysmodule.c), as 3.11 calls
 * them:
 *   - set_asyncgen_hooks: an async generator's first __anext__ / asend /
 *     athrow / aclose (making the awaitable is enough) takes the finalizer
 *     hook into the generator (origin_or_finalizer) and calls
 *     firstiter(agen) once (its error comes out of that call); when the
 *     generator dies unfinished, finalizer(agen) runs instead of the
 *     default close (its error goes to the unraisable hook);
 *   - set_coroutine_origin_tracking_depth(n): a coroutine made while n > 0
 *     keeps cr_origin, ((filename, lineno, funcname), ...) of up to n
 *     frames from its creator outwards, and the never-awaited warning
 *     then adds "Coroutine created at (most recent call last)" and those
 *     frames as traceback entries (warnings._warn_unawaited_coroutine).
 */
#include "genobject.h"
#include "code.h"
#include "traceback.h"

#include <stdio.h>
#include <string.h>

/* ---- the never-awaited warning ---------------------------------------------- */

/* Line `lineno` of file `path`, stripped, into buf (empty when unreadable). */
static void source_line(const char *path, int lineno, char *buf, size_t cap) {
    buf[0] = '\0';
    FILE *fp = path[0] == '<' ? NULL : fopen(path, "rb");
    if (!fp) return;
    int line = 1, ch;
    while (line < lineno && (ch = fgetc(fp)) != EOF)
        if (ch == '\n') line++;
    size_t n = 0;
    while (line == lineno && (ch = fgetc(fp)) != EOF && ch != '\n' && ch != '\r')
        if (n + 1 < cap) buf[n++] = (char)ch;
    fclose(fp);
    buf[n] = '\0';
    size_t a = 0;
    while (buf[a] == ' ' || buf[a] == '\t' || buf[a] == '\f') a++;
    while (n > a && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\f')) n--;
    memmove(buf, buf + a, n - a);
    buf[n - a] = '\0';
}

/* 1 when the warning was already shown at this place (registry has key),
 * else records it: 0; -1 on error. */
static int registry_seen(pm_runtime *rt, pm_object *globals, pm_object *text, int lineno) {
    pm_object *name = pm_str_from_cstr(rt, "__warningregistry__");
    if (!name) return -1;
    pm_object *reg = pm_dict_get(rt, globals, name), *key = NULL, *ln = NULL;
    int r = -1;
    if (reg) {
        pm_incref(rt, reg);
    } else {
        if (pm_err_occurred(rt) || !(reg = pm_dict_new(rt)) || pm_dict_set(rt, globals, name, reg) < 0) goto done;
    }
    if (!pm_dict_check(reg)) {
        r = 0;
        goto done;
    }
    ln = pm_int_from_ssize(rt, lineno);
    key = ln ? pm_tuple_pack(rt, 3, text, pm_type_as_object(&pm_exc_RuntimeWarning), ln) : NULL;
    if (!key) goto done;
    pm_object *hit = pm_dict_get(rt, reg, key);
    if (hit) {
        r = 1;
    } else if (!pm_err_occurred(rt) && pm_dict_set(rt, reg, key, PM_TRUE) == 0) {
        r = 0;
    }
done:
    pm_decref(rt, name);
    pm_xdecref(rt, reg);
    pm_xdecref(rt, key);
    pm_xdecref(rt, ln);
    return r;
}

pm_object *pmi_coro_origin(pm_runtime *rt, pmi_frame *f) {
    pmi_interp *in = pmi_interp_get(rt);
    int depth = in ? in->coro_origin_depth : 0;
    if (depth <= 0) return NULL;
    pm_object *items = pm_list_new(rt), *t = NULL;
    if (!items) return NULL;
    for (pmi_frame *p = f; p && pm_list_size(items) < depth; p = p->previous) {
        if (!p->code) continue;
        const pmi_code *co = (const pmi_code *)p->code;
        pmi_code_pos pos;
        pmi_traceback_location(p->code, pmi_frame_lasti(p), &pos);
        pm_object *ln = pm_int_from_long(rt, pos.lineno);
        pm_object *e = ln ? pm_tuple_pack(rt, 3, co->filename, ln, co->name) : NULL;
        pm_xdecref(rt, ln);
        int ok = e && pm_list_append(rt, items, e) == 0;
        pm_xdecref(rt, e);
        if (!ok) goto done;
    }
    t = pm_list_as_tuple(rt, items);
done:
    pm_decref(rt, items);
    return t;
}

/* The warning's text: "coroutine 'q' was never awaited", and with a
 * cr_origin the frames it names, innermost last, as traceback entries
 * (warnings._warn_unawaited_coroutine; the trailing newline stripped). */
static pm_object *unawaited_text(pm_runtime *rt, pmi_gen *g) {
    const char *q = pm_str_as_utf8(rt, g->qualname, NULL);
    pm_object *origin = g->origin_or_finalizer;
    if (!q) return NULL;
    if (!origin || !pm_tuple_check(origin))
        return pm_str_from_format(rt, "coroutine '%s' was never awaited", q);
    pm_object *parts = pm_list_new(rt), *sep = NULL, *r = NULL;
    pm_object *head = parts ? pm_str_from_format(rt, "coroutine '%s' was never awaited\nCoroutine created at "
                                                 "(most recent call last)", q) : NULL;
    if (!head || pm_list_append(rt, parts, head) < 0) goto done;
    for (pm_ssize_t i = pm_tuple_size(origin) - 1; i >= 0; i--) {
        pm_object *e = pm_tuple_get(rt, origin, i);
        const char *fn = pm_str_as_utf8(rt, pm_tuple_get(rt, e, 0), NULL);
        long ln = pm_int_as_long(rt, pm_tuple_get(rt, e, 1));
        const char *name = pm_str_as_utf8(rt, pm_tuple_get(rt, e, 2), NULL);
        if (!fn || !name) goto done;
        char line[512];
        source_line(fn, (int)ln, line, sizeof line);
        pm_object *entry = line[0] ? pm_str_from_format(rt, "  File \"%s\", line %ld, in %s\n    %s", fn, ln, name, line)
                                   : pm_str_from_format(rt, "  File \"%s\", line %ld, in %s", fn, ln, name);
        int ok = entry && pm_list_append(rt, parts, entry) == 0;
        pm_xdecref(rt, entry);
        if (!ok) goto done;
    }
    sep = pm_str_from_cstr(rt, "\n");
    if (sep) r = pm_str_join(rt, sep, parts);
done:
    pm_xdecref(rt, head);
    pm_xdecref(rt, parts);
    pm_xdecref(rt, sep);
    return r;
}

void pmi_coro_warn_unawaited(pm_runtime *rt, pm_object *coro) {
    pmi_gen *g = (pmi_gen *)coro;
    pmi_interp *in = pmi_interp_get(rt);
    pmi_frame *f = in ? in->frame : NULL;
    pm_object *text = unawaited_text(rt, g);
    if (!text) goto fail;
    const char *filename = "sys";
    int lineno = 1;
    if (f && f->code) {
        const pmi_code *co = (const pmi_code *)f->code;
        pmi_code_pos pos;
        pmi_traceback_location(f->code, pmi_frame_lasti(f), &pos);
        lineno = pos.lineno;
        filename = pm_str_as_utf8(rt, co->filename, NULL);
        if (!filename) goto fail;
        int seen = registry_seen(rt, f->globals, text, lineno);
        if (seen < 0) goto fail;
        if (seen) {
            pm_decref(rt, text);
            return;
        }
    }
    char line[512];
    source_line(filename, lineno, line, sizeof line);
    fflush(stdout);
    fprintf(stderr, "%s:%d: RuntimeWarning: %s\n", filename, lineno, pm_str_as_utf8(rt, text, NULL));
    if (line[0]) fprintf(stderr, "  %s\n", line);
    /* at teardown (no frame) python3's C fallback prints no hint */
    if (f && f->code) fputs("RuntimeWarning: Enable tracemalloc to get the object allocation traceback\n", stderr);
    fflush(stderr);
    pm_decref(rt, text);
    return;
fail:
    pm_xdecref(rt, text);
    pm_err_write_unraisable(rt, "Exception ignored in", coro);
}

/* ---- protocol helpers -------------------------------------------------------- */

/* type(o).<name> bound to o: 1 with *r (new ref), 0 when the type has no
 * such attribute, -1 on error. */
static int special(pm_runtime *rt, pm_object *o, const char *name, pm_object **r) {
    *r = NULL;
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return -1;
    pm_object *d = pm_type_lookup(rt, pm_type_of(o), n);
    pm_decref(rt, n);
    if (!d) return pm_err_occurred(rt) ? -1 : 0;
    pm_descrgetfunc get = pm_type_of(d)->descr_get;
    *r = get ? get(rt, d, o, pm_type_as_object(pm_type_of(o))) : pm_newref(rt, d);
    return *r ? 1 : -1;
}

/* type(o).<name>(o): 1 with *r, 0 when absent, -1 on error. */
static int call_special(pm_runtime *rt, pm_object *o, const char *name, pm_object **r) {
    pm_object *m;
    int found = special(rt, o, name, &m);
    if (found <= 0) return found;
    *r = pm_call_noargs(rt, m);
    pm_decref(rt, m);
    return *r ? 1 : -1;
}

/* A generator made a coroutine by types.coroutine (CO_ITERABLE_COROUTINE). */
static int gen_is_coroutine(const pm_object *o) {
    return pmi_gen_check(o) && (((const pmi_code *)((const pmi_gen *)o)->code)->flags & PMI_CO_ITERABLE_COROUTINE);
}

static int is_iterator(const pm_object *o) { return pm_type_of(o)->iternext != NULL; }

/* 3.11's _PyCoro_GetAwaitableIter (TypeError texts included). */
static pm_object *awaitable_iter(pm_runtime *rt, pm_object *o, int *no_await) {
    *no_await = 0;
    if (pmi_coro_check(o) || gen_is_coroutine(o)) return pm_newref(rt, o);
    pm_object *res;
    int found = call_special(rt, o, "__await__", &res);
    if (found < 0) return NULL;
    if (found == 0) {
        *no_await = 1;
        pm_err_format(rt, PM_EXC_TypeError, "object %.100s can't be used in 'await' expression",
                      pm_type_name(pm_type_of(o)));
        return NULL;
    }
    if (pmi_coro_check(res) || gen_is_coroutine(res)) {
        pm_err_set(rt, PM_EXC_TypeError, "__await__() returned a coroutine");
        pm_decref(rt, res);
        return NULL;
    }
    if (!is_iterator(res)) {
        pm_err_format(rt, PM_EXC_TypeError, "__await__() returned non-iterator of type '%.100s'",
                      pm_type_name(pm_type_of(res)));
        pm_decref(rt, res);
        return NULL;
    }
    return res;
}

static pm_object *gen_yf_of(pm_runtime *rt, pm_object *g) {
    pm_object *yf = pmi_gen_get_yieldfrom(rt, g, NULL);
    if (yf == PM_NONE) {
        pm_decref(rt, yf);
        return NULL;
    }
    return yf;
}

pm_object *pmi_coro_get_awaitable(pm_runtime *rt, pm_object *o, int where) {
    int no_await;
    pm_object *it = awaitable_iter(rt, o, &no_await);
    if (!it) {
        if (no_await && where) {
            pm_err_clear(rt);
            pm_err_format(rt, PM_EXC_TypeError,
                          "'async with' received an object from __a%s__ that does not implement __await__: %.100s",
                          where == 1 ? "enter" : "exit", pm_type_name(pm_type_of(o)));
        }
        return NULL;
    }
    if (pmi_coro_check(it)) {
        pm_object *yf = gen_yf_of(rt, it);
        if (yf) {
            pm_decref(rt, yf);
            pm_decref(rt, it);
            pm_err_set(rt, PM_EXC_RuntimeError, "coroutine is being awaited already");
            return NULL;
        }
    }
    return it;
}

pm_object *pmi_coro_get_aiter(pm_runtime *rt, pm_object *o) {
    pm_object *it;
    int found = call_special(rt, o, "__aiter__", &it);
    if (found < 0) return NULL;
    if (found == 0) {
        pm_err_format(rt, PM_EXC_TypeError, "'async for' requires an object with __aiter__ method, got %.100s",
                      pm_type_name(pm_type_of(o)));
        return NULL;
    }
    pm_object *m;
    int has = special(rt, it, "__anext__", &m);
    if (has > 0) {
        pm_decref(rt, m);
        return it;
    }
    if (has == 0)
        pm_err_format(rt, PM_EXC_TypeError,
                      "'async for' received an object from __aiter__ that does not implement __anext__: %.100s",
                      pm_type_name(pm_type_of(it)));
    pm_decref(rt, it);
    return NULL;
}

static pm_object *asend_new(pm_runtime *rt, pmi_gen *g, pm_object *sendval);

pm_object *pmi_coro_get_anext(pm_runtime *rt, pm_object *aiter) {
    if (pmi_asyncgen_check(aiter)) return asend_new(rt, (pmi_gen *)aiter, NULL);
    pm_object *next;
    int found = call_special(rt, aiter, "__anext__", &next);
    if (found < 0) return NULL;
    if (found == 0) {
        pm_err_format(rt, PM_EXC_TypeError, "'async for' requires an iterator with __anext__ method, got %.100s",
                      pm_type_name(pm_type_of(aiter)));
        return NULL;
    }
    int no_await;
    pm_object *aw = awaitable_iter(rt, next, &no_await);
    if (!aw) {
        /* TypeError from the cause */
        pm_object *cause = pm_err_fetch(rt);
        pm_err_format(rt, PM_EXC_TypeError, "'async for' received an invalid object from __anext__: %.100s",
                      pm_type_name(pm_type_of(next)));
        pm_object *e = pm_err_fetch(rt);
        if (e && cause) {
            pm_exc_set_context(rt, e, pm_newref(rt, cause));
            pm_exc_set_cause(rt, e, pm_newref(rt, cause));
        }
        pm_xdecref(rt, cause);
        pm_err_restore(rt, e);
    }
    pm_decref(rt, next);
    return aw;
}

/* ---- coroutine ---------------------------------------------------------------- */

static pm_object *gen_repr_as(pm_runtime *rt, pm_object *self, const char *kind) {
    const char *q = pm_str_as_utf8(rt, ((pmi_gen *)self)->qualname, NULL);
    if (!q) return NULL;
    return pm_str_from_format(rt, "<%s object %s at %p>", kind, q, (void *)self);
}

static pm_object *coro_repr(pm_runtime *rt, pm_object *self) { return gen_repr_as(rt, self, "coroutine"); }

static pm_object *coro_send(pm_runtime *rt, pm_object *self, pm_object *arg) {
    return pmi_gen_send_ex(rt, (pmi_gen *)self, arg, 0, 0);
}

static pm_object *coro_close(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pmi_gen_close(rt, self);
}

/* The coroutine_wrapper __await__ returns. */
typedef struct coro_wrapper {
    pm_object ob_base;              /* refcount + &coro_wrapper_type */
    pm_object *coro;                /* owned: the coroutine */
} coro_wrapper;

static const pm_type coro_wrapper_type;

static pm_object *coro_await(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    coro_wrapper *w = (coro_wrapper *)pm_gc_new(rt, &coro_wrapper_type);
    if (!w) return NULL;
    w->coro = pm_newref(rt, self);
    pm_gc_track(rt, (pm_object *)w);
    return (pm_object *)w;
}

static pm_object *gen_get_running(pm_runtime *rt, pm_object *self, void *c) {
    (void)rt;
    (void)c;
    return pm_bool_from(((pmi_gen *)self)->state == PMI_GEN_RUNNING);
}

static pm_object *gen_get_suspended(pm_runtime *rt, pm_object *self, void *c) {
    (void)rt;
    (void)c;
    return pm_bool_from(((pmi_gen *)self)->state == PMI_GEN_SUSPENDED);
}

static pm_object *coro_get_origin(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    pm_object *o = ((pmi_gen *)self)->origin_or_finalizer;
    return pm_newref(rt, o ? o : PM_NONE);
}

static const pm_getset_def coro_getset[] = {
    {"__name__", pmi_gen_get_name, pmi_gen_set_name, NULL, NULL},
    {"__qualname__", pmi_gen_get_name, pmi_gen_set_name, NULL, (void *)1},
    {"cr_await", pmi_gen_get_yieldfrom, NULL, NULL, NULL},
    {"cr_running", gen_get_running, NULL, NULL, NULL},
    {"cr_frame", pmi_gen_get_frame, NULL, NULL, NULL},
    {"cr_suspended", gen_get_suspended, NULL, NULL, NULL},
    {"cr_origin", coro_get_origin, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const pm_member_def coro_members[] = {
    {"cr_code", PM_T_OBJECT, offsetof(pmi_gen, code), PM_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static const pm_method_def coro_methods[] = {
    {"send", (pm_cfunction)coro_send, PM_METH_O, NULL},
    {"throw", (pm_cfunction)(void (*)(void))pmi_gen_throw_method, PM_METH_FASTCALL, NULL},
    {"close", (pm_cfunction)coro_close, PM_METH_NOARGS, NULL},
    {"__await__", (pm_cfunction)coro_await, PM_METH_NOARGS, "Return an iterator to be used in await expression."},
    {NULL, NULL, 0, NULL},
};

const pm_type pmi_coro_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "coroutine",
    .basicsize = sizeof(pmi_gen),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_DISALLOW_INSTANTIATION,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(pmi_gen, weakreflist),
    .dealloc = pmi_gen_dealloc,
    .traverse = pmi_gen_traverse,
    .clear = pmi_gen_clear,
    .finalize = pmi_gen_finalize,
    .size_of = pmi_gen_size_of,
    .repr = coro_repr,
    .methods = coro_methods,
    .getset = coro_getset,
    .members = coro_members,
};

/* coroutine_wrapper: an iterator over the coroutine (for __await__). */
static void cw_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    pm_xdecref(rt, ((coro_wrapper *)self)->coro);
    pm_gc_del(rt, self);
}

static int cw_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pm_object *c = ((coro_wrapper *)self)->coro;
    return c ? visit(c, arg) : 0;
}

static pm_object *cw_iternext(pm_runtime *rt, pm_object *self) {
    pm_object *r;
    int st = pmi_gen_send_ex2(rt, (pmi_gen *)((coro_wrapper *)self)->coro, NULL, &r, 0, 0);
    if (st == 0) return r;
    if (st == 1) {
        /* the coroutine's return value travels in StopIteration */
        if (r != PM_NONE) {
            pm_object *args = pm_tuple_pack(rt, 1, r);
            pm_object *e = args ? pm_exc_new(rt, &pm_exc_StopIteration, args, NULL) : NULL;
            pm_xdecref(rt, args);
            if (e) pm_err_restore(rt, e);
        }
        pm_decref(rt, r);
    }
    return NULL;
}

static pm_object *cw_next(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *r = cw_iternext(rt, self);
    if (!r && !pm_err_occurred(rt)) pm_err_set_object(rt, &pm_exc_StopIteration, NULL);
    return r;
}

static pm_object *cw_send(pm_runtime *rt, pm_object *self, pm_object *arg) {
    return pmi_gen_send_ex(rt, (pmi_gen *)((coro_wrapper *)self)->coro, arg, 0, 0);
}

static pm_object *cw_throw(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    return pmi_gen_throw_method(rt, ((coro_wrapper *)self)->coro, args, nargs);
}

static pm_object *cw_close(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pmi_gen_close(rt, ((coro_wrapper *)self)->coro);
}

static pm_object *self_iter(pm_runtime *rt, pm_object *self) { return pm_newref(rt, self); }

static pm_object *self_method(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_newref(rt, self);
}

static const pm_method_def cw_methods[] = {
    {"__next__", (pm_cfunction)cw_next, PM_METH_NOARGS, "Implement next(self)."},
    {"__iter__", (pm_cfunction)self_method, PM_METH_NOARGS, "Implement iter(self)."},
    {"send", (pm_cfunction)cw_send, PM_METH_O, NULL},
    {"throw", (pm_cfunction)(void (*)(void))cw_throw, PM_METH_FASTCALL, NULL},
    {"close", (pm_cfunction)cw_close, PM_METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static const pm_type coro_wrapper_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "coroutine_wrapper",
    .basicsize = sizeof(coro_wrapper),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_DISALLOW_INSTANTIATION,
    .base = &pm_object_type,
    .dealloc = cw_dealloc,
    .traverse = cw_traverse,
    .iter = self_iter,
    .iternext = cw_iternext,
    .methods = cw_methods,
};

/* ---- async generator ---------------------------------------------------------- */

/* What an async generator's `yield v` yields (ASYNC_GEN_WRAP). */
typedef struct wrapped_value {
    pm_object ob_base;              /* refcount + &wrapped_value_type */
    pm_object *value;               /* owned: v */
} wrapped_value;

static const pm_type wrapped_value_type;

static void wv_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    pm_xdecref(rt, ((wrapped_value *)self)->value);
    pm_gc_del(rt, self);
}

static int wv_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pm_object *v = ((wrapped_value *)self)->value;
    return v ? visit(v, arg) : 0;
}

static const pm_type wrapped_value_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "async_generator_wrapped_value",
    .basicsize = sizeof(wrapped_value),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_DISALLOW_INSTANTIATION,
    .base = &pm_object_type,
    .dealloc = wv_dealloc,
    .traverse = wv_traverse,
};

pm_object *pmi_asyncgen_wrap(pm_runtime *rt, pm_object *v) {
    wrapped_value *w = (wrapped_value *)pm_gc_new(rt, &wrapped_value_type);
    if (!w) {
        pm_decref(rt, v);
        return NULL;
    }
    w->value = v;
    pm_gc_track(rt, (pm_object *)w);
    return (pm_object *)w;
}

static int is_wrapped(const pm_object *o) { return o && pm_type_of(o) == &wrapped_value_type; }

/* 3.11's async_gen_unwrap_value: result (STOLEN) from resuming g. */
static pm_object *unwrap_value(pm_runtime *rt, pmi_gen *g, pm_object *result) {
    if (!result) {
        if (!pm_err_occurred(rt)) pm_err_set_object(rt, &pm_exc_StopAsyncIteration, NULL);
        if (pm_err_exception_matches(rt, pm_type_as_object(&pm_exc_StopAsyncIteration)) || pm_err_exception_matches(rt, pm_type_as_object(&pm_exc_GeneratorExit))) g->closed = 1;
        g->running_async = 0;
        return NULL;
    }
    if (is_wrapped(result)) {
        pm_object *v = ((wrapped_value *)result)->value;
        pm_object *args = pm_tuple_pack(rt, 1, v);
        pm_object *e = args ? pm_exc_new(rt, &pm_exc_StopIteration, args, NULL) : NULL;
        pm_xdecref(rt, args);
        if (e) pm_err_restore(rt, e);
        pm_decref(rt, result);
        g->running_async = 0;
        return NULL;
    }
    return result;
}

/* States of an asend / athrow. */
enum { AW_INIT = 0, AW_ITER = 1, AW_CLOSED = 2 };

/* async_generator_asend */
typedef struct asend_obj {
    pm_object ob_base;              /* refcount + &asend_type */
    pmi_gen *gen;                   /* owned: the async generator */
    pm_object *sendval;             /* owned or NULL: the value to send first (NULL: None) */
    int state;                      /* AW_* */
} asend_obj;

/* async_generator_athrow */
typedef struct athrow_obj {
    pm_object ob_base;              /* refcount + &athrow_type */
    pmi_gen *gen;                   /* owned: the async generator */
    pm_object *args;                /* owned or NULL: athrow()'s arguments; NULL: aclose() */
    int state;                      /* AW_* */
} athrow_obj;

static const pm_type asend_type;
static const pm_type athrow_type;

/* 3.11's async_gen_init_hooks: once, at the first step of g, take the
 * finalizer hook and call firstiter(g).  0, or -1 with firstiter's error. */
static int asyncgen_init_hooks(pm_runtime *rt, pmi_gen *g) {
    if (g->hooks_inited) return 0;
    g->hooks_inited = 1;
    pmi_interp *in = pmi_interp_get(rt);
    if (!in) return 0;
    if (in->asyncgen_finalizer) g->origin_or_finalizer = pm_newref(rt, in->asyncgen_finalizer);
    if (!in->asyncgen_firstiter) return 0;
    pm_object *hook = pm_newref(rt, in->asyncgen_firstiter);
    pm_object *r = pm_call_one(rt, hook, (pm_object *)g);
    pm_decref(rt, hook);
    if (!r) return -1;
    pm_decref(rt, r);
    return 0;
}

int pmi_asyncgen_finalize_hook(pm_runtime *rt, pmi_gen *g) {
    pm_object *hook = g->origin_or_finalizer;
    if (!hook || g->closed) return 0;
    pm_object *saved = pm_err_fetch(rt);
    pm_incref(rt, hook);
    pm_object *r = pm_call_one(rt, hook, (pm_object *)g);
    pm_decref(rt, hook);
    if (r)
        pm_decref(rt, r);
    else
        pm_err_write_unraisable(rt, "Exception ignored in", (pm_object *)g);
    pm_err_restore(rt, saved);
    return 1;
}

static pm_object *asend_new(pm_runtime *rt, pmi_gen *g, pm_object *sendval) {
    if (asyncgen_init_hooks(rt, g) < 0) return NULL;
    asend_obj *o = (asend_obj *)pm_gc_new(rt, &asend_type);
    if (!o) return NULL;
    o->gen = (pmi_gen *)pm_newref(rt, (pm_object *)g);
    o->sendval = sendval ? pm_newref(rt, sendval) : NULL;
    pm_gc_track(rt, (pm_object *)o);
    return (pm_object *)o;
}

static pm_object *athrow_new(pm_runtime *rt, pmi_gen *g, pm_object *args) {
    if (asyncgen_init_hooks(rt, g) < 0) return NULL;
    athrow_obj *o = (athrow_obj *)pm_gc_new(rt, &athrow_type);
    if (!o) return NULL;
    o->gen = (pmi_gen *)pm_newref(rt, (pm_object *)g);
    o->args = args ? pm_newref(rt, args) : NULL;
    pm_gc_track(rt, (pm_object *)o);
    return (pm_object *)o;
}

static pm_object *asend_send(pm_runtime *rt, pm_object *self, pm_object *arg) {
    asend_obj *o = (asend_obj *)self;
    if (o->state == AW_CLOSED) {
        pm_err_set(rt, PM_EXC_RuntimeError, "cannot reuse already awaited __anext__()/asend()");
        return NULL;
    }
    if (o->state == AW_INIT) {
        if (o->gen->running_async) {
            pm_err_set(rt, PM_EXC_RuntimeError, "anext(): asynchronous generator is already running");
            return NULL;
        }
        if (!arg || arg == PM_NONE) arg = o->sendval ? o->sendval : PM_NONE;
        o->state = AW_ITER;
    }
    o->gen->running_async = 1;
    pm_object *r = unwrap_value(rt, o->gen, pmi_gen_send_ex(rt, o->gen, arg, 0, 0));
    if (!r) o->state = AW_CLOSED;
    return r;
}

static pm_object *asend_iternext(pm_runtime *rt, pm_object *self) { return asend_send(rt, self, PM_NONE); }

static pm_object *asend_next(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return asend_send(rt, self, PM_NONE);
}

static pm_object *asend_throw(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    asend_obj *o = (asend_obj *)self;
    if (o->state == AW_CLOSED) {
        pm_err_set(rt, PM_EXC_RuntimeError, "cannot reuse already awaited __anext__()/asend()");
        return NULL;
    }
    pm_object *r = unwrap_value(rt, o->gen, pmi_gen_throw_method(rt, (pm_object *)o->gen, args, nargs));
    if (!r) o->state = AW_CLOSED;
    return r;
}

static pm_object *asend_close(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    ((asend_obj *)self)->state = AW_CLOSED;
    return pm_newref(rt, PM_NONE);
}

/* The end of an athrow / aclose await (3.11's check_error). */
static pm_object *athrow_check_error(pm_runtime *rt, athrow_obj *o) {
    o->gen->running_async = 0;
    o->state = AW_CLOSED;
    if (!o->args && (pm_err_exception_matches(rt, pm_type_as_object(&pm_exc_StopAsyncIteration)) || pm_err_exception_matches(rt, pm_type_as_object(&pm_exc_GeneratorExit)))) {
        /* aclose() is done */
        pm_err_clear(rt);
        pm_err_set_object(rt, &pm_exc_StopIteration, NULL);
    }
    return NULL;
}

static pm_object *athrow_yield_close(pm_runtime *rt, athrow_obj *o) {
    o->gen->running_async = 0;
    o->state = AW_CLOSED;
    pm_err_set(rt, PM_EXC_RuntimeError, "async generator ignored GeneratorExit");
    return NULL;
}

static pm_object *athrow_send(pm_runtime *rt, pm_object *self, pm_object *arg) {
    athrow_obj *o = (athrow_obj *)self;
    pmi_gen *g = o->gen;
    pm_object *r;
    if (o->state == AW_CLOSED) {
        pm_err_set(rt, PM_EXC_RuntimeError, "cannot reuse already awaited aclose()/athrow()");
        return NULL;
    }
    if (g->state == PMI_GEN_COMPLETED) {
        o->state = AW_CLOSED;
        pm_err_set_object(rt, &pm_exc_StopIteration, NULL);
        return NULL;
    }
    if (o->state == AW_INIT) {
        if (g->running_async) {
            o->state = AW_CLOSED;
            pm_err_set(rt, PM_EXC_RuntimeError, o->args ? "athrow(): asynchronous generator is already running"
                                                         : "aclose(): asynchronous generator is already running");
            return NULL;
        }
        if (g->closed) {
            o->state = AW_CLOSED;
            pm_err_set_object(rt, &pm_exc_StopAsyncIteration, NULL);
            return NULL;
        }
        if (arg != PM_NONE) {
            pm_err_set(rt, PM_EXC_RuntimeError, "can't send non-None value to a just-started coroutine");
            return NULL;
        }
        o->state = AW_ITER;
        g->running_async = 1;
        if (!o->args) {
            g->closed = 1;
            r = pmi_gen_throw(rt, g, 0, pm_type_as_object(&pm_exc_GeneratorExit), NULL, NULL);
            if (r && is_wrapped(r)) {
                pm_decref(rt, r);
                return athrow_yield_close(rt, o);
            }
        } else {
            pm_ssize_t n = pm_tuple_size(o->args);
            if (n < 1 || n > 3) {
                pm_err_format(rt, PM_EXC_TypeError, "athrow expected %s %d argument%s, got %zd",
                              n < 1 ? "at least" : "at most", n < 1 ? 1 : 3, n < 1 ? "" : "s", n);
                return NULL;
            }
            pm_object *typ = pm_tuple_get(rt, o->args, 0);
            pm_object *val = n > 1 ? pm_tuple_get(rt, o->args, 1) : NULL;
            pm_object *tb = n > 2 ? pm_tuple_get(rt, o->args, 2) : NULL;
            r = unwrap_value(rt, g, pmi_gen_throw(rt, g, 0, typ, val, tb));
        }
        if (!r) return athrow_check_error(rt, o);
        return r;
    }
    r = pmi_gen_send_ex(rt, g, arg, 0, 0);
    if (o->args) return unwrap_value(rt, g, r);
    if (r) {
        if (is_wrapped(r)) {
            pm_decref(rt, r);
            return athrow_yield_close(rt, o);
        }
        return r;
    }
    return athrow_check_error(rt, o);
}

static pm_object *athrow_iternext(pm_runtime *rt, pm_object *self) { return athrow_send(rt, self, PM_NONE); }

static pm_object *athrow_next(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return athrow_send(rt, self, PM_NONE);
}

static pm_object *athrow_throw(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    athrow_obj *o = (athrow_obj *)self;
    if (o->state == AW_CLOSED) {
        pm_err_set(rt, PM_EXC_RuntimeError, "cannot reuse already awaited aclose()/athrow()");
        return NULL;
    }
    pm_object *r = pmi_gen_throw_method(rt, (pm_object *)o->gen, args, nargs);
    if (o->args) return unwrap_value(rt, o->gen, r);
    if (r && is_wrapped(r)) {
        pm_decref(rt, r);
        return athrow_yield_close(rt, o);
    }
    if (!r && (pm_err_exception_matches(rt, pm_type_as_object(&pm_exc_StopAsyncIteration)) || pm_err_exception_matches(rt, pm_type_as_object(&pm_exc_GeneratorExit)))) {
        pm_err_clear(rt);
        pm_err_set_object(rt, &pm_exc_StopIteration, NULL);
    }
    return r;
}

static pm_object *athrow_close(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    ((athrow_obj *)self)->state = AW_CLOSED;
    return pm_newref(rt, PM_NONE);
}

static void aw_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    if (pm_type_of(self) == &asend_type) {
        pm_xdecref(rt, (pm_object *)((asend_obj *)self)->gen);
        pm_xdecref(rt, ((asend_obj *)self)->sendval);
    } else {
        pm_xdecref(rt, (pm_object *)((athrow_obj *)self)->gen);
        pm_xdecref(rt, ((athrow_obj *)self)->args);
    }
    pm_gc_del(rt, self);
}

static int aw_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pm_object *a, *b;
    if (pm_type_of(self) == &asend_type) {
        a = (pm_object *)((asend_obj *)self)->gen;
        b = ((asend_obj *)self)->sendval;
    } else {
        a = (pm_object *)((athrow_obj *)self)->gen;
        b = ((athrow_obj *)self)->args;
    }
    int r = a ? visit(a, arg) : 0;
    if (!r && b) r = visit(b, arg);
    return r;
}

static const pm_method_def asend_methods[] = {
    {"send", (pm_cfunction)asend_send, PM_METH_O, NULL},
    {"throw", (pm_cfunction)(void (*)(void))asend_throw, PM_METH_FASTCALL, NULL},
    {"close", (pm_cfunction)asend_close, PM_METH_NOARGS, NULL},
    {"__await__", (pm_cfunction)self_method, PM_METH_NOARGS, "Return an iterator to be used in await expression."},
    {"__next__", (pm_cfunction)asend_next, PM_METH_NOARGS, "Implement next(self)."},
    {"__iter__", (pm_cfunction)self_method, PM_METH_NOARGS, "Implement iter(self)."},
    {NULL, NULL, 0, NULL},
};

static const pm_method_def athrow_methods[] = {
    {"send", (pm_cfunction)athrow_send, PM_METH_O, NULL},
    {"throw", (pm_cfunction)(void (*)(void))athrow_throw, PM_METH_FASTCALL, NULL},
    {"close", (pm_cfunction)athrow_close, PM_METH_NOARGS, NULL},
    {"__await__", (pm_cfunction)self_method, PM_METH_NOARGS, "Return an iterator to be used in await expression."},
    {"__next__", (pm_cfunction)athrow_next, PM_METH_NOARGS, "Implement next(self)."},
    {"__iter__", (pm_cfunction)self_method, PM_METH_NOARGS, "Implement iter(self)."},
    {NULL, NULL, 0, NULL},
};

static const pm_type asend_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "async_generator_asend",
    .basicsize = sizeof(asend_obj),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_DISALLOW_INSTANTIATION,
    .base = &pm_object_type,
    .dealloc = aw_dealloc,
    .traverse = aw_traverse,
    .iter = self_iter,
    .iternext = asend_iternext,
    .methods = asend_methods,
};

static const pm_type athrow_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "async_generator_athrow",
    .basicsize = sizeof(athrow_obj),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_DISALLOW_INSTANTIATION,
    .base = &pm_object_type,
    .dealloc = aw_dealloc,
    .traverse = aw_traverse,
    .iter = self_iter,
    .iternext = athrow_iternext,
    .methods = athrow_methods,
};

static pm_object *ag_repr(pm_runtime *rt, pm_object *self) { return gen_repr_as(rt, self, "async_generator"); }

static pm_object *ag_asend(pm_runtime *rt, pm_object *self, pm_object *arg) {
    return asend_new(rt, (pmi_gen *)self, arg);
}

static pm_object *ag_anext(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return asend_new(rt, (pmi_gen *)self, NULL);
}

static pm_object *ag_athrow(pm_runtime *rt, pm_object *self, pm_object *args) {
    return athrow_new(rt, (pmi_gen *)self, args);
}

static pm_object *ag_aclose(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return athrow_new(rt, (pmi_gen *)self, NULL);
}

static pm_object *ag_get_running(pm_runtime *rt, pm_object *self, void *c) {
    (void)rt;
    (void)c;
    return pm_bool_from(((pmi_gen *)self)->running_async);
}

static const pm_getset_def ag_getset[] = {
    {"__name__", pmi_gen_get_name, pmi_gen_set_name, NULL, NULL},
    {"__qualname__", pmi_gen_get_name, pmi_gen_set_name, NULL, (void *)1},
    {"ag_await", pmi_gen_get_yieldfrom, NULL, NULL, NULL},
    {"ag_frame", pmi_gen_get_frame, NULL, NULL, NULL},
    {"ag_running", ag_get_running, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const pm_member_def ag_members[] = {
    {"ag_code", PM_T_OBJECT, offsetof(pmi_gen, code), PM_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static const pm_method_def ag_methods[] = {
    {"asend", (pm_cfunction)ag_asend, PM_METH_O, NULL},
    {"athrow", (pm_cfunction)ag_athrow, PM_METH_VARARGS, NULL},
    {"aclose", (pm_cfunction)ag_aclose, PM_METH_NOARGS, NULL},
    {"__aiter__", (pm_cfunction)self_method, PM_METH_NOARGS, "Return an awaitable, that resolves in asynchronous iterator."},
    {"__anext__", (pm_cfunction)ag_anext, PM_METH_NOARGS, "Return a value or raise StopAsyncIteration."},
    {NULL, NULL, 0, NULL},
};

const pm_type pmi_asyncgen_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "async_generator",
    .basicsize = sizeof(pmi_gen),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_DISALLOW_INSTANTIATION,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(pmi_gen, weakreflist),
    .dealloc = pmi_gen_dealloc,
    .traverse = pmi_gen_traverse,
    .clear = pmi_gen_clear,
    .finalize = pmi_gen_finalize,
    .size_of = pmi_gen_size_of,
    .repr = ag_repr,
    .methods = ag_methods,
    .getset = ag_getset,
    .members = ag_members,
};

/* ---- aiter() / anext() -------------------------------------------------------- */

/* anext(it, default) wraps it.__anext__()'s awaitable so that the
 * StopAsyncIteration ending it turns into StopIteration(default): the
 * value `await anext(it, default)` gives back.  Each step asks the
 * wrapped awaitable for its iterator again (3.11's anextawaitable does the
 * same: a coroutine's iterator is itself, an __await__ result is made
 * anew each time). */
typedef struct anext_awaitable {
    pm_object ob_base;              /* refcount + &anext_awaitable_type */
    pm_object *wrapped;             /* owned: what __anext__() returned */
    pm_object *default_value;       /* owned: the value StopAsyncIteration is replaced by */
} anext_awaitable;

static const pm_type anext_awaitable_type;

pm_object *pmi_coro_builtin_aiter(pm_runtime *rt, pm_object *o) {
    pm_object *m, *it;
    int has = special(rt, o, "__aiter__", &m);
    if (has < 0) return NULL;
    if (has == 0) {
        pm_err_format(rt, PM_EXC_TypeError, "'%.200s' object is not an async iterable",
                      pm_type_name(pm_type_of(o)));
        return NULL;
    }
    it = pm_call_noargs(rt, m);
    pm_decref(rt, m);
    if (!it) return NULL;
    has = special(rt, it, "__anext__", &m);
    if (has > 0) {
        pm_decref(rt, m);
        return it;
    }
    if (has == 0)
        pm_err_format(rt, PM_EXC_TypeError, "aiter() returned not an async iterator of type '%.100s'",
                      pm_type_name(pm_type_of(it)));
    pm_decref(rt, it);
    return NULL;
}

pm_object *pmi_coro_builtin_anext(pm_runtime *rt, pm_object *it, pm_object *deflt) {
    pm_object *m;
    int has = special(rt, it, "__anext__", &m);
    if (has < 0) return NULL;
    if (has == 0) {
        pm_err_format(rt, PM_EXC_TypeError, "'%.200s' object is not an async iterator",
                      pm_type_name(pm_type_of(it)));
        return NULL;
    }
    pm_object *aw = pm_call_noargs(rt, m);
    pm_decref(rt, m);
    if (!aw || !deflt) return aw;
    anext_awaitable *a = (anext_awaitable *)pm_gc_new(rt, &anext_awaitable_type);
    if (!a) {
        pm_decref(rt, aw);
        return NULL;
    }
    a->wrapped = aw;
    a->default_value = pm_newref(rt, deflt);
    pm_gc_track(rt, (pm_object *)a);
    return (pm_object *)a;
}

static void aa_dealloc(pm_runtime *rt, pm_object *self) {
    anext_awaitable *a = (anext_awaitable *)self;
    pm_gc_untrack(rt, self);
    pm_xdecref(rt, a->wrapped);
    pm_xdecref(rt, a->default_value);
    pm_gc_del(rt, self);
}

static int aa_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    anext_awaitable *a = (anext_awaitable *)self;
    if (a->wrapped && visit(a->wrapped, arg)) return -1;
    return a->default_value ? visit(a->default_value, arg) : 0;
}

/* The iterator a step drives (NEW ref): the wrapped awaitable's
 * (a coroutine stands for itself; its steps go through __await__). */
static pm_object *aa_iter_of(pm_runtime *rt, anext_awaitable *a) {
    int no_await;
    pm_object *it = awaitable_iter(rt, a->wrapped, &no_await);
    if (!it || !pmi_coro_check(it)) return it;
    pm_object *w = coro_await(rt, it, NULL);
    pm_decref(rt, it);
    return w;
}

/* After a step failed: StopAsyncIteration becomes StopIteration(default). */
static void aa_map_stop(pm_runtime *rt, anext_awaitable *a) {
    if (!pm_err_exception_matches(rt, pm_type_as_object(&pm_exc_StopAsyncIteration))) return;
    pm_err_clear(rt);
    if (a->default_value == PM_NONE) {
        pm_err_set_object(rt, &pm_exc_StopIteration, NULL);
        return;
    }
    pm_object *args = pm_tuple_pack(rt, 1, a->default_value);
    pm_object *e = args ? pm_exc_new(rt, &pm_exc_StopIteration, args, NULL) : NULL;
    pm_xdecref(rt, args);
    if (e) pm_err_restore(rt, e);
}

static pm_object *aa_iternext(pm_runtime *rt, pm_object *self) {
    anext_awaitable *a = (anext_awaitable *)self;
    pm_object *it = aa_iter_of(rt, a);
    if (!it) return NULL;
    pm_object *r = pm_type_of(it)->iternext(rt, it);
    pm_decref(rt, it);
    if (!r) aa_map_stop(rt, a);
    return r;
}

/* it.<name>(*args) on the step iterator, with the StopAsyncIteration map. */
static pm_object *aa_proxy(pm_runtime *rt, pm_object *self, const char *name, pm_object *const *args,
                           pm_ssize_t nargs) {
    anext_awaitable *a = (anext_awaitable *)self;
    pm_object *it = aa_iter_of(rt, a);
    if (!it) return NULL;
    pm_object *n = pm_str_intern_cstr(rt, name);
    pm_object *r = n ? pm_call_method(rt, it, n, args, nargs) : NULL;
    pm_xdecref(rt, n);
    pm_decref(rt, it);
    if (!r) aa_map_stop(rt, a);
    return r;
}

static pm_object *aa_next(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *r = aa_iternext(rt, self);
    if (!r && !pm_err_occurred(rt)) pm_err_set_object(rt, &pm_exc_StopIteration, NULL);
    return r;
}

static pm_object *aa_send(pm_runtime *rt, pm_object *self, pm_object *arg) {
    return aa_proxy(rt, self, "send", &arg, 1);
}

static pm_object *aa_throw(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    return aa_proxy(rt, self, "throw", args, nargs);
}

static pm_object *aa_close(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    return aa_proxy(rt, self, "close", args, nargs);
}

static const pm_method_def aa_methods[] = {
    {"__next__", (pm_cfunction)aa_next, PM_METH_NOARGS, "Implement next(self)."},
    {"__iter__", (pm_cfunction)self_method, PM_METH_NOARGS, "Implement iter(self)."},
    {"__await__", (pm_cfunction)self_method, PM_METH_NOARGS, "Return an iterator to be used in await expression."},
    {"send", (pm_cfunction)aa_send, PM_METH_O, NULL},
    {"throw", (pm_cfunction)(void (*)(void))aa_throw, PM_METH_FASTCALL, NULL},
    {"close", (pm_cfunction)(void (*)(void))aa_close, PM_METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static const pm_type anext_awaitable_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "anext_awaitable",
    .basicsize = sizeof(anext_awaitable),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_DISALLOW_INSTANTIATION,
    .base = &pm_object_type,
    .dealloc = aa_dealloc,
    .traverse = aa_traverse,
    .iter = self_iter,
    .iternext = aa_iternext,
    .methods = aa_methods,
};
