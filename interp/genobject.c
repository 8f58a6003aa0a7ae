/*
 * interp/genobject.c — generators: send, throw, close, iteration, yield from.
 *
 * Purpose: the generator object of genobject.h and PyIter_Send for SEND.
 *
 * Invariants:
 *   - frame != NULL exactly while state is CREATED, SUSPENDED or RUNNING;
 *     a suspended frame sits at its YIELD_VALUE (or at RETURN_GENERATOR
 *     when CREATED) with f->yielded set, its value stack saved in
 *     f->stacktop;
 *   - while RUNNING the frame is linked into the interpreter's frame chain
 *     and exc_state into its exception chain; both are unlinked before
 *     gen_send_ex2 returns;
 *   - the collector sees a running generator's locals only (its stack is
 *     live in the loop's registers).
 *
 * `yield from` (3.11): the delegate sits on top of the suspended frame's
 * stack, and the instruction after the YIELD_VALUE is RESUME with oparg
 * >= 2; throw() and close() pass to it first (gen_yf).  When the delegate's
 * throw ends, the frame is moved to the SEND's jump target, as CPython does.
 *
 * PEP 479: a StopIteration leaving the frame becomes RuntimeError
 * "generator raised StopIteration" (its __cause__ and __context__).
 *
 * The same code runs coroutines and async generators (coroobject.c has
 * their types and awaitables): the messages name the kind ("coroutine
 * already executing"), a finished coroutine cannot be resumed ("cannot
 * reuse already awaited coroutine"), an async generator's return is
 * StopAsyncIteration and a StopAsyncIteration leaving it a RuntimeError.
 *
 * The frame lives in one pm_malloc'ed block after a pointer back to the
 * generator, so a frame object (gi_frame, frame.clear()) can find it:
 *
 *   block: [ pmi_gen * | pmi_frame (code, func, ..., localsplus[]) ]
 *                         ^ g->frame            pmi_gen_of_frame(f) = block[0]
 */
#include "genobject.h"
#include "funcobject.h"
#include "code.h"
#include "opcodes.h"
#include "traceback.h"

#include <stdio.h>
#include <string.h>

/* OPC_<NAME> = number, from the one opcode table. */
enum {
#define PMI_GEN_OP_(name, num, cache, flags) OPC_##name = num,
    PMI_OPCODES(PMI_GEN_OP_)
#undef PMI_GEN_OP_
};

/* Outcomes of a resume (CPython's PySendResult). */
enum { GEN_NEXT = 0, GEN_RETURN = 1, GEN_ERROR = -1 };

/* A generator's frame lives in one block after a pointer back to its
 * generator (pmi_gen_of_frame: frame.clear() finds the generator). */
#define GEN_FRAME_HEADER ((size_t)_Alignof(max_align_t) > sizeof(pmi_gen *) ? (size_t)_Alignof(max_align_t) : sizeof(pmi_gen *))

pmi_gen *pmi_gen_of_frame(pmi_frame *f) {
    if (!f->owned_by_gen) return NULL;
    pmi_gen *g;
    memcpy(&g, (char *)f - GEN_FRAME_HEADER, sizeof g);
    return g;
}

static void gen_free_frame(pm_runtime *rt, pmi_gen *g) {
    pmi_frame *f = g->frame;
    if (!f) return;
    g->frame = NULL;
    pmi_frame_clear(rt, f);
    pm_free(rt, (char *)f - GEN_FRAME_HEADER);
}

pm_object *pmi_gen_from_frame(pm_runtime *rt, pmi_frame *f) {
    int cf = ((pmi_code *)f->code)->flags;
    const pm_type *type = (cf & PMI_CO_COROUTINE) ? &pmi_coro_type
                        : (cf & PMI_CO_ASYNC_GENERATOR) ? &pmi_asyncgen_type : &pmi_gen_type;
    /* cr_origin first: a failure leaves nothing to finalize */
    pm_object *origin = type == &pmi_coro_type ? pmi_coro_origin(rt, f->previous) : NULL;
    if (!origin && pm_err_occurred(rt)) return NULL;
    pmi_gen *g = (pmi_gen *)pm_gc_new(rt, type);
    if (!g) {
        pm_xdecref(rt, origin);
        return NULL;
    }
    g->origin_or_finalizer = origin;
    size_t size = pmi_frame_size(f->code);
    char *box = pm_malloc(rt, GEN_FRAME_HEADER + size);
    pmi_frame *nf = box ? (pmi_frame *)(void *)(box + GEN_FRAME_HEADER) : NULL;
    if (box) memcpy(box, &g, sizeof g);
    if (!nf) {
        g->state = PMI_GEN_COMPLETED;   /* nothing to finalize */
        pm_decref(rt, (pm_object *)g);
        return pm_err_nomem(rt);
    }
    if (f->frame_obj) pmi_frame_object_detach(rt, f);
    int n = f->nlocalsplus + f->stacktop;
    memcpy(nf, f, sizeof(pmi_frame) + sizeof(pm_object *) * (size_t)n);
    nf->previous = NULL;
    nf->chunk = NULL;
    nf->frame_obj = NULL;
    nf->is_entry = 0;
    nf->yielded = 1;        /* resumes after the RETURN_GENERATOR */
    nf->owned_by_gen = 1;
    nf->is_init = 0;
    /* every reference moved: f is left empty for its pop */
    memset(f->localsplus, 0, sizeof(pm_object *) * (size_t)n);
    f->stacktop = 0;
    f->code = f->func = f->globals = f->builtins = f->locals = NULL;
    f->frame_obj = NULL;
    g->frame = nf;
    pmi_code *co = (pmi_code *)nf->code;
    if (nf->func && pmi_function_check(nf->func)) {
        g->name = pm_newref(rt, ((pmi_function *)nf->func)->name);
        g->qualname = pm_newref(rt, ((pmi_function *)nf->func)->qualname);
    } else {
        g->name = pm_newref(rt, co->name);
        g->qualname = pm_newref(rt, co->qualname);
    }
    g->code = pm_newref(rt, nf->code);
    g->state = PMI_GEN_CREATED;
    pm_gc_track(rt, (pm_object *)g);
    return (pm_object *)g;
}

/* StopIteration(value) pending (value borrowed; NULL: no argument). */
static void set_stop_iteration(pm_runtime *rt, pm_object *value) {
    pm_object *args = value ? pm_tuple_pack(rt, 1, value) : NULL;
    if (value && !args) return;
    pm_object *exc = pm_exc_new(rt, &pm_exc_StopIteration, args, NULL);
    pm_xdecref(rt, args);
    if (exc) pm_err_restore(rt, exc);
}

/* The pending StopIteration's value (new ref; None when it has none), the
 * error cleared: 0.  -1 when the pending error is something else. */
static int fetch_stop_value(pm_runtime *rt, pm_object **value) {
    if (!pm_err_occurred(rt)) {
        *value = pm_newref(rt, PM_NONE);
        return 0;
    }
    if (!pm_err_matches(rt, PM_EXC_StopIteration)) return -1;
    pm_object *exc = pm_err_fetch(rt);
    pm_object *v = pm_getattr_cstr(rt, exc, "value");
    pm_decref(rt, exc);
    if (!v) return -1;
    *value = v;
    return 0;
}

/* "generator", "coroutine" or "async generator": the kind in messages. */
static const char *gen_kind(const pmi_gen *g) {
    const pm_type *t = pm_type_of((const pm_object *)g);
    return t == &pmi_coro_type ? "coroutine" : t == &pmi_asyncgen_type ? "async generator" : "generator";
}

/* One resume.  arg: the value sent (borrowed; NULL for __next__); exc: the
 * pending error is thrown in; closing: close() is asking. */
static int gen_send_ex2(pm_runtime *rt, pmi_gen *g, pm_object *arg, pm_object **result, int exc,
                        int closing) {
    pmi_interp *in = pmi_interp_get(rt);
    *result = NULL;
    if (g->state == PMI_GEN_CREATED && arg && arg != PM_NONE && !exc) {
        pm_err_format(rt, PM_EXC_TypeError, "can't send non-None value to a just-started %s", gen_kind(g));
        return GEN_ERROR;
    }
    if (g->state == PMI_GEN_RUNNING) {
        pm_err_format(rt, PM_EXC_ValueError, "%s already executing", gen_kind(g));
        return GEN_ERROR;
    }
    if (g->state == PMI_GEN_COMPLETED) {
        if (pmi_coro_check((pm_object *)g) && !closing) {
            pm_err_set(rt, PM_EXC_RuntimeError, "cannot reuse already awaited coroutine");
            return GEN_ERROR;
        }
        if (arg && !exc) {
            *result = pm_newref(rt, PM_NONE);
            return GEN_RETURN;
        }
        return GEN_ERROR;
    }
    pmi_frame *f = g->frame;
    if (!in) {  /* resumed after pmi_interp_fini (runtime teardown) */
        pm_err_set(rt, PM_EXC_SystemError, "pymm: interpreter state missing");
        return GEN_ERROR;
    }
    if (pm_enter_recursive_call(rt, NULL) < 0) return GEN_ERROR;
    if (!exc) f->localsplus[f->nlocalsplus + f->stacktop++] = pm_newref(rt, arg ? arg : PM_NONE);
    f->previous = in->frame;
    in->frame = f;
    in->depth++;
    g->exc_state.previous = in->exc_info;
    in->exc_info = &g->exc_state;
    g->state = PMI_GEN_RUNNING;
    pm_object *r = pmi_eval_frame_ex(rt, f, exc);
    in->exc_info = g->exc_state.previous;
    g->exc_state.previous = NULL;
    in->frame = f->previous;
    f->previous = NULL;
    in->depth--;
    pm_leave_recursive_call(rt);
    if (r && f->yielded) {
        g->state = PMI_GEN_SUSPENDED;
        *result = r;
        return GEN_NEXT;
    }
    g->state = PMI_GEN_COMPLETED;
    gen_free_frame(rt, g);
    PM_CLEAR(rt, g->exc_state.exc_value);
    if (r) {
        *result = r;
        return GEN_RETURN;
    }
    int async_stop = pmi_asyncgen_check((pm_object *)g) && pm_err_exception_matches(rt, pm_type_as_object(&pm_exc_StopAsyncIteration));
    if (async_stop || pm_err_matches(rt, PM_EXC_StopIteration)) {
        /* PEP 479 (and PEP 525's StopAsyncIteration) */
        char msg[64];
        snprintf(msg, sizeof msg, "%s raised %s", gen_kind(g), async_stop ? "StopAsyncIteration" : "StopIteration");
        pm_object *stop = pm_err_fetch(rt);
        pm_object *re = pm_exc_new_msg(rt, &pm_exc_RuntimeError, msg);
        if (!re) {
            pm_decref(rt, stop);
            return GEN_ERROR;
        }
        pm_exc_set_context(rt, re, pm_newref(rt, stop));
        pm_exc_set_cause(rt, re, stop);
        pm_exc_set_suppress_context(re, 1);
        pm_err_restore(rt, re);
    }
    return GEN_ERROR;
}

int pmi_gen_send_ex2(pm_runtime *rt, pmi_gen *g, pm_object *arg, pm_object **result, int exc, int closing) {
    return gen_send_ex2(rt, g, arg, result, exc, closing);
}

/* gen_send_ex: the object form (RETURN raises StopIteration(value);
 * StopAsyncIteration for an async generator). */
static pm_object *gen_send_ex(pm_runtime *rt, pmi_gen *g, pm_object *arg, int exc, int closing) {
    pm_object *r;
    int st = gen_send_ex2(rt, g, arg, &r, exc, closing);
    if (st == GEN_NEXT) return r;
    if (st == GEN_RETURN) {
        if (pmi_asyncgen_check((pm_object *)g))
            pm_err_set_object(rt, &pm_exc_StopAsyncIteration, NULL);
        else
            set_stop_iteration(rt, r == PM_NONE ? NULL : r);
        pm_decref(rt, r);
        return NULL;
    }
    return NULL;
}

pm_object *pmi_gen_send_ex(pm_runtime *rt, pmi_gen *g, pm_object *arg, int exc, int closing) {
    return gen_send_ex(rt, g, arg, exc, closing);
}

pm_object *pmi_gen_next(pm_runtime *rt, pm_object *gen) {
    return gen_send_ex(rt, (pmi_gen *)gen, NULL, 0, 0);
}

/* tp_iternext: an exhausted generator returns NULL with no error (its
 * return value is dropped; __next__ and `yield from` report it). */
static pm_object *gen_iternext(pm_runtime *rt, pm_object *self) {
    pm_object *r;
    int st = gen_send_ex2(rt, (pmi_gen *)self, NULL, &r, 0, 0);
    if (st == GEN_NEXT) return r;
    if (st == GEN_RETURN) pm_decref(rt, r);
    return NULL;
}

static pm_object *gen_send(pm_runtime *rt, pm_object *self, pm_object *arg) {
    return gen_send_ex(rt, (pmi_gen *)self, arg, 0, 0);
}

/* The delegate of a suspended `yield from` (borrowed), or NULL. */
static pm_object *gen_yf(pmi_gen *g) {
    pmi_frame *f = g->frame;
    if (!f || g->state != PMI_GEN_SUSPENDED || f->stacktop < 1) return NULL;
    uint16_t w;
    memcpy(&w, f->instr + 1, 2);
    if ((w & 0xff) != OPC_RESUME || (w >> 8) < 2) return NULL;
    return f->localsplus[f->nlocalsplus + f->stacktop - 1];
}

static pm_object *gen_close(pm_runtime *rt, pm_object *self, pm_object *unused);

/* yf.close() for the delegate of a `yield from`: 0 / -1. */
static int gen_close_iter(pm_runtime *rt, pm_object *yf) {
    pm_object *r;
    if (pmi_gen_check(yf) || pmi_coro_check(yf)) {
        r = gen_close(rt, yf, NULL);
    } else {
        pm_object *meth = pm_getattr_cstr(rt, yf, "close");
        if (!meth) {
            if (!pm_err_matches(rt, PM_EXC_AttributeError)) {
                pm_err_write_unraisable(rt, "Exception ignored in", yf);
            }
            pm_err_clear(rt);
            return 0;
        }
        r = pm_call_noargs(rt, meth);
        pm_decref(rt, meth);
    }
    if (!r) return -1;
    pm_decref(rt, r);
    return 0;
}

static pm_object *gen_close(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pmi_gen *g = (pmi_gen *)self;
    if (g->state == PMI_GEN_CREATED) {
        g->state = PMI_GEN_COMPLETED;
        gen_free_frame(rt, g);
        return pm_newref(rt, PM_NONE);
    }
    if (g->state == PMI_GEN_COMPLETED) return pm_newref(rt, PM_NONE);
    pm_object *yf = gen_yf(g);
    int err = 0;
    if (yf) {
        pm_incref(rt, yf);
        g->state = PMI_GEN_RUNNING;
        err = gen_close_iter(rt, yf);
        g->state = PMI_GEN_SUSPENDED;
        pm_decref(rt, yf);
    }
    if (err == 0) pm_err_set_object(rt, &pm_exc_GeneratorExit, NULL);
    pm_object *r = gen_send_ex(rt, g, PM_NONE, 1, 1);
    if (r) {
        pm_decref(rt, r);
        pm_err_format(rt, PM_EXC_RuntimeError, "%s ignored GeneratorExit", gen_kind(g));
        return NULL;
    }
    if (pm_err_matches(rt, PM_EXC_StopIteration) || pm_err_exception_matches(rt, pm_type_as_object(&pm_exc_GeneratorExit))) {
        pm_err_clear(rt);
        return pm_newref(rt, PM_NONE);
    }
    return NULL;
}

static pm_object *gen_throw_impl(pm_runtime *rt, pmi_gen *g, int close_on_genexit, pm_object *typ,
                                 pm_object *val, pm_object *tb);

pm_object *pmi_gen_throw(pm_runtime *rt, pmi_gen *g, int close_on_genexit, pm_object *typ, pm_object *val,
                         pm_object *tb) {
    return gen_throw_impl(rt, g, close_on_genexit, typ, val, tb);
}

/* throw(typ[, val[, tb]]) into g, through its delegate first (a
 * GeneratorExit closes the delegate when close_on_genexit). */
static pm_object *gen_throw_impl(pm_runtime *rt, pmi_gen *g, int close_on_genexit, pm_object *typ,
                                 pm_object *val, pm_object *tb) {
    pm_object *yf = gen_yf(g);
    if (yf) {
        pm_object *ret = NULL;
        pm_incref(rt, yf);
        if (close_on_genexit && pm_err_given_matches(typ, pm_type_as_object(&pm_exc_GeneratorExit))) {
            g->state = PMI_GEN_RUNNING;
            int err = gen_close_iter(rt, yf);
            g->state = PMI_GEN_SUSPENDED;
            pm_decref(rt, yf);
            if (err < 0) return gen_send_ex(rt, g, PM_NONE, 1, 0);
            goto throw_here;
        }
        if (pmi_gen_check(yf) || pmi_coro_check(yf)) {
            g->state = PMI_GEN_RUNNING;
            ret = gen_throw_impl(rt, (pmi_gen *)yf, close_on_genexit, typ, val, tb);
            g->state = PMI_GEN_SUSPENDED;
        } else {
            pm_object *meth = pm_getattr_cstr(rt, yf, "throw");
            if (!meth) {
                pm_decref(rt, yf);
                if (!pm_err_matches(rt, PM_EXC_AttributeError)) return gen_send_ex(rt, g, PM_NONE, 1, 0);
                pm_err_clear(rt);
                goto throw_here;
            }
            pm_object *argv[3] = {typ, val ? val : PM_NONE, tb ? tb : PM_NONE};
            g->state = PMI_GEN_RUNNING;
            ret = pm_call(rt, meth, argv, tb ? 3 : val ? 2 : 1, NULL);
            g->state = PMI_GEN_SUSPENDED;
            pm_decref(rt, meth);
        }
        pm_decref(rt, yf);
        if (!ret) {
            /* the delegate is done: pop it and go on at the SEND's target */
            pmi_frame *f = g->frame;
            pm_object *sub = f->localsplus[f->nlocalsplus + --f->stacktop];
            f->localsplus[f->nlocalsplus + f->stacktop] = NULL;
            pm_decref(rt, sub);
            uint16_t w;
            memcpy(&w, f->instr - 1, 2);
            f->instr = f->instr + (w >> 8) - 1;   /* SEND at instr-1 jumps to instr + oparg */
            pm_object *v;
            if (fetch_stop_value(rt, &v) == 0) {
                ret = gen_send_ex(rt, g, v, 0, 0);
                pm_decref(rt, v);
            } else {
                ret = gen_send_ex(rt, g, PM_NONE, 1, 0);
            }
        }
        return ret;
    }
throw_here:
    if (pm_type_check(typ) && pm_exc_type_check((const pm_type *)typ)) {
        pm_err_set_object(rt, (const pm_type *)typ, val);
    } else if (pm_exc_check(typ)) {
        if (val && val != PM_NONE) {
            pm_err_set(rt, PM_EXC_TypeError, "instance exception may not have a separate value");
            return NULL;
        }
        pm_err_restore(rt, pm_newref(rt, typ));
    } else {
        pm_err_format(rt, PM_EXC_TypeError,
                      "exceptions must be classes or instances deriving from BaseException, not %s",
                      pm_type_name(pm_type_of(typ)));
        return NULL;
    }
    if (tb && tb != PM_NONE && pm_err_occurred(rt)) {
        pm_object *e = pm_err_fetch(rt);
        pm_exc_set_traceback(rt, e, pm_newref(rt, tb));
        pm_err_restore(rt, e);
    }
    return gen_send_ex(rt, g, PM_NONE, 1, 0);
}

static pm_object *gen_throw(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (nargs < 1) {
        pm_err_format(rt, PM_EXC_TypeError, "throw expected at least 1 argument, got %zd", nargs);
        return NULL;
    }
    if (nargs > 3) {
        pm_err_format(rt, PM_EXC_TypeError, "throw expected at most 3 arguments, got %zd", nargs);
        return NULL;
    }
    return gen_throw_impl(rt, (pmi_gen *)self, 1, args[0], nargs > 1 ? args[1] : NULL,
                          nargs > 2 ? args[2] : NULL);
}

pm_object *pmi_gen_throw_method(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    return gen_throw(rt, self, args, nargs);
}

pm_object *pmi_gen_close(pm_runtime *rt, pm_object *self) { return gen_close(rt, self, NULL); }

int pmi_iter_send(pm_runtime *rt, pm_object *receiver, pm_object *v, pm_object **r) {
    *r = NULL;
    if (pmi_gen_check(receiver) || pmi_coro_check(receiver)) {
        int st = gen_send_ex2(rt, (pmi_gen *)receiver, v, r, 0, 0);
        if (st == GEN_ERROR && !pm_err_occurred(rt)) {
            *r = pm_newref(rt, PM_NONE);
            return 1;
        }
        return st == GEN_NEXT ? 0 : st == GEN_RETURN ? 1 : -1;
    }
    if (v == PM_NONE && pm_type_of(receiver)->iternext) {
        *r = pm_type_of(receiver)->iternext(rt, receiver);
    } else {
        pm_object *name = pm_str_intern_cstr(rt, "send");
        if (!name) return -1;
        *r = pm_call_method(rt, receiver, name, &v, 1);
        pm_decref(rt, name);
    }
    if (*r) return 0;
    return fetch_stop_value(rt, r) == 0 ? 1 : -1;
}

/* ---- the type ----------------------------------------------------------- */

void pmi_gen_finalize(pm_runtime *rt, pm_object *self) {
    pmi_gen *g = (pmi_gen *)self;
    if (!g->frame || !g->code || g->state == PMI_GEN_COMPLETED || g->state == PMI_GEN_RUNNING || !pmi_interp_get(rt))
        return;
    if (pmi_asyncgen_check(self) && pmi_asyncgen_finalize_hook(rt, g)) return;
    pm_object *saved = pm_err_fetch(rt);
    if (g->state == PMI_GEN_CREATED && (((pmi_code *)g->code)->flags & PMI_CO_COROUTINE)) {
        pmi_coro_warn_unawaited(rt, self);
    } else {
        pm_object *r = gen_close(rt, self, NULL);
        if (r)
            pm_decref(rt, r);
        else
            pm_err_write_unraisable(rt, "Exception ignored in", self);
    }
    pm_err_restore(rt, saved);
}

void pmi_gen_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gen *g = (pmi_gen *)self;
    pm_gc_untrack(rt, self);
    if (pm_gc_dealloc_begin(rt, self)) return;
    gen_free_frame(rt, g);
    pm_xdecref(rt, g->name);
    pm_xdecref(rt, g->qualname);
    pm_xdecref(rt, g->code);
    pm_xdecref(rt, g->exc_state.exc_value);
    pm_xdecref(rt, g->origin_or_finalizer);
    pm_gc_del(rt, self);
}

int pmi_gen_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_gen *g = (pmi_gen *)self;
    pm_object *fields[] = {g->name, g->qualname, g->code, g->exc_state.exc_value, g->origin_or_finalizer};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i]) {
            int r = visit(fields[i], arg);
            if (r) return r;
        }
    }
    pmi_frame *f = g->frame;
    if (!f) return 0;
    pm_object *ff[] = {f->code, f->func, f->globals, f->builtins, f->locals};
    for (size_t i = 0; i < sizeof ff / sizeof ff[0]; i++) {
        if (ff[i]) {
            int r = visit(ff[i], arg);
            if (r) return r;
        }
    }
    /* a running frame's stack lives in the loop's registers: locals only */
    int n = f->nlocalsplus + (g->state == PMI_GEN_RUNNING ? 0 : f->stacktop);
    for (int i = 0; i < n; i++) {
        if (f->localsplus[i]) {
            int r = visit(f->localsplus[i], arg);
            if (r) return r;
        }
    }
    return 0;
}

int pmi_gen_clear(pm_runtime *rt, pm_object *self) {
    pmi_gen *g = (pmi_gen *)self;
    if (g->state == PMI_GEN_RUNNING) return 0;
    g->state = PMI_GEN_COMPLETED;
    gen_free_frame(rt, g);
    PM_CLEAR(rt, g->exc_state.exc_value);
    PM_CLEAR(rt, g->origin_or_finalizer);
    return 0;
}

static pm_object *gen_repr(pm_runtime *rt, pm_object *self) {
    pmi_gen *g = (pmi_gen *)self;
    const char *q = pm_str_as_utf8(rt, g->qualname, NULL);
    if (!q) return NULL;
    return pm_str_from_format(rt, "<generator object %s at %p>", q, (void *)self);
}

static pm_object *gen_iter(pm_runtime *rt, pm_object *self) {
    return pm_newref(rt, self);
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

pm_object *pmi_gen_get_frame(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    pmi_gen *g = (pmi_gen *)self;
    if (!g->frame || g->state == PMI_GEN_COMPLETED) return pm_newref(rt, PM_NONE);
    return pmi_frame_object_get(rt, g->frame);
}

pm_object *pmi_gen_get_yieldfrom(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    pm_object *yf = gen_yf((pmi_gen *)self);
    return pm_newref(rt, yf ? yf : PM_NONE);
}

pm_object *pmi_gen_get_name(pm_runtime *rt, pm_object *self, void *c) {
    pmi_gen *g = (pmi_gen *)self;
    return pm_newref(rt, c ? g->qualname : g->name);
}

/* size_of: 3.11's gen_sizeof (the object with its frame's locals and
 * stack: 152 bytes + 8 per slot on x86-64; sys.getsizeof adds the gc head). */
size_t pmi_gen_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    const pmi_code *co = (const pmi_code *)((pmi_gen *)self)->code;
    return 152 + sizeof(pm_object *) * (size_t)(co->nlocalsplus + co->stacksize);
}

int pmi_gen_set_name(pm_runtime *rt, pm_object *self, pm_object *value, void *c) {
    pmi_gen *g = (pmi_gen *)self;
    if (!value || !pm_str_check(value)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s must be set to a string object",
                      c ? "__qualname__" : "__name__");
        return -1;
    }
    pm_object **slot = c ? &g->qualname : &g->name;
    pm_object *old = *slot;
    *slot = pm_newref(rt, value);
    pm_decref(rt, old);
    return 0;
}

static const pm_getset_def gen_getset[] = {
    {"__name__", pmi_gen_get_name, pmi_gen_set_name, NULL, NULL},
    {"__qualname__", pmi_gen_get_name, pmi_gen_set_name, NULL, (void *)1},
    {"gi_running", gen_get_running, NULL, NULL, NULL},
    {"gi_suspended", gen_get_suspended, NULL, NULL, NULL},
    {"gi_frame", pmi_gen_get_frame, NULL, NULL, NULL},
    {"gi_yieldfrom", pmi_gen_get_yieldfrom, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const pm_member_def gen_members[] = {
    {"gi_code", PM_T_OBJECT, offsetof(pmi_gen, code), PM_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static pm_object *gen_next_method(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *r;
    int st = gen_send_ex2(rt, (pmi_gen *)self, NULL, &r, 0, 0);
    if (st == GEN_NEXT) return r;
    if (st == GEN_RETURN) {
        set_stop_iteration(rt, r == PM_NONE ? NULL : r);
        pm_decref(rt, r);
    } else if (!pm_err_occurred(rt)) {
        pm_err_set_object(rt, &pm_exc_StopIteration, NULL);
    }
    return NULL;
}

static pm_object *gen_iter_method(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_newref(rt, self);
}

static const pm_method_def gen_methods[] = {
    {"__next__", (pm_cfunction)gen_next_method, PM_METH_NOARGS, "Implement next(self)."},
    {"__iter__", (pm_cfunction)gen_iter_method, PM_METH_NOARGS, "Implement iter(self)."},
    {"send", (pm_cfunction)gen_send, PM_METH_O, NULL},
    {"throw", (pm_cfunction)(void (*)(void))gen_throw, PM_METH_FASTCALL, NULL},
    {"close", (pm_cfunction)gen_close, PM_METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

const pm_type pmi_gen_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "generator",
    .basicsize = sizeof(pmi_gen),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .weaklistoffset = offsetof(pmi_gen, weakreflist),
    .dealloc = pmi_gen_dealloc,
    .traverse = pmi_gen_traverse,
    .clear = pmi_gen_clear,
    .finalize = pmi_gen_finalize,
    .size_of = pmi_gen_size_of,
    .repr = gen_repr,
    .iter = gen_iter,
    .iternext = gen_iternext,
    .methods = gen_methods,
    .getset = gen_getset,
    .members = gen_members,
};
