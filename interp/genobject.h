/*
 * interp/genobject.h — generator objects (CPython 3.11's genobject.c face).
 *
 * A generator owns the frame of its function: RETURN_GENERATOR moves the
 * running frame (its slots, code, function, globals ...) out of the frame
 * stack into memory the generator owns; each resume links that frame on
 * top of the running frames and runs it with pmi_eval_frame_ex until
 * YIELD_VALUE (suspended) or RETURN_VALUE / an error (completed, the frame
 * is freed).  While it runs, its own handled-exception level (exc_state)
 * sits on top of the interpreter's.
 *
 *   states:  CREATED ──send(None)/next──> RUNNING ──yield──> SUSPENDED
 *               │                           │ return/raise      │ resume
 *               └──close()────────────> COMPLETED <─────────────┘
 */
#ifndef PYMM_INTERP_GENOBJECT_H
#define PYMM_INTERP_GENOBJECT_H

#include "interp.h"

/* Frame states of a generator. */
enum { PMI_GEN_CREATED = 0, PMI_GEN_SUSPENDED = 1, PMI_GEN_RUNNING = 2, PMI_GEN_COMPLETED = 3 };

/* A generator. */
typedef struct pmi_gen {
    pm_object ob_base;              /* refcount + &pmi_gen_type */
    pmi_frame *frame;               /* owned (pm_malloc'ed) or NULL once completed */
    pm_object *name;                /* owned: __name__ */
    pm_object *qualname;            /* owned: __qualname__ */
    pm_object *code;                /* owned: gi_code */
    pm_object *weakreflist;         /* weak references to the generator (NULL: none) */
    pmi_exc_info exc_state;         /* the generator's handled exception (linked while it runs) */
    int state;                      /* PMI_GEN_* */
    signed char running_async;      /* async generator: an asend/athrow is in progress (ag_running) */
    signed char closed;             /* async generator: finished or aclose()d (athrow/asend stop) */
    signed char hooks_inited;       /* async generator: the asyncgen hooks were looked at (first step) */
    pm_object *origin_or_finalizer; /* owned or NULL: a coroutine's cr_origin tuple, an async
                                       generator's finalizer hook (CPython's one shared field) */
} pmi_gen;

/* The three kinds share the struct and most code (CPython's PyGenObject,
 * PyCoroObject, PyAsyncGenObject); RETURN_GENERATOR picks the type from
 * the code's flags (coroobject.c has the coroutine and async parts). */
extern const pm_type pmi_gen_type;
extern const pm_type pmi_coro_type;
extern const pm_type pmi_asyncgen_type;

static inline int pmi_gen_check(const pm_object *o) { return o->ob_type == &pmi_gen_type; }
static inline int pmi_coro_check(const pm_object *o) { return o->ob_type == &pmi_coro_type; }
static inline int pmi_asyncgen_check(const pm_object *o) { return o->ob_type == &pmi_asyncgen_type; }

/* ---- shared by genobject.c and coroobject.c ---- */

/* The generator owning frame f (borrowed), NULL when f is not a generator's. */
pmi_gen *pmi_gen_of_frame(pmi_frame *f);
/* gen_send_ex2: 0 yielded *result, 1 returned *result, -1 error (new refs). */
int pmi_gen_send_ex2(pm_runtime *rt, pmi_gen *g, pm_object *arg, pm_object **result, int exc, int closing);
/* The object form: the value yielded, or NULL with StopIteration(value)
 * (StopAsyncIteration for an async generator) or the error, or NULL with
 * no error (an exhausted generator resumed by __next__). */
pm_object *pmi_gen_send_ex(pm_runtime *rt, pmi_gen *g, pm_object *arg, int exc, int closing);
/* throw(typ, val, tb) (val / tb NULL: not given). */
pm_object *pmi_gen_throw(pm_runtime *rt, pmi_gen *g, int close_on_genexit, pm_object *typ, pm_object *val,
                         pm_object *tb);
/* The throw() method (argument checks, then pmi_gen_throw closing delegates on GeneratorExit). */
pm_object *pmi_gen_throw_method(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs);
pm_object *pmi_gen_close(pm_runtime *rt, pm_object *self);
/* tp_finalize of the three kinds: close a suspended one; a coroutine never
 * started warns "coroutine ... was never awaited"; an unfinished async
 * generator that took a finalizer hook (sys.set_asyncgen_hooks) is handed
 * to it instead. */
void pmi_gen_finalize(pm_runtime *rt, pm_object *self);
void pmi_gen_dealloc(pm_runtime *rt, pm_object *self);
int pmi_gen_traverse(pm_object *self, pm_visitproc visit, void *arg);
int pmi_gen_clear(pm_runtime *rt, pm_object *self);
pm_object *pmi_gen_get_frame(pm_runtime *rt, pm_object *self, void *c);
pm_object *pmi_gen_get_yieldfrom(pm_runtime *rt, pm_object *self, void *c);
pm_object *pmi_gen_get_name(pm_runtime *rt, pm_object *self, void *c);
int pmi_gen_set_name(pm_runtime *rt, pm_object *self, pm_object *value, void *c);
size_t pmi_gen_size_of(pm_runtime *rt, pm_object *self);

/* ---- coroutines and async generators (coroobject.c) ---- */

/* "RuntimeWarning: coroutine 'q' was never awaited", as python3's
 * warnings module prints it (once per place), to stderr. */
void pmi_coro_warn_unawaited(pm_runtime *rt, pm_object *coro);
/* GET_AWAITABLE: the iterator `await o` drives (NEW ref) or NULL; where:
 * 0 await, 1 after __aenter__, 2 after __aexit__ (their error texts). */
pm_object *pmi_coro_get_awaitable(pm_runtime *rt, pm_object *o, int where);
/* GET_AITER, GET_ANEXT: NEW ref or NULL. */
pm_object *pmi_coro_get_aiter(pm_runtime *rt, pm_object *o);
pm_object *pmi_coro_get_anext(pm_runtime *rt, pm_object *aiter);
/* builtins aiter(o) and anext(it[, deflt]) (deflt NULL when absent), with
 * 3.11's TypeError texts: NEW ref or NULL. */
pm_object *pmi_coro_builtin_aiter(pm_runtime *rt, pm_object *o);
pm_object *pmi_coro_builtin_anext(pm_runtime *rt, pm_object *it, pm_object *deflt);
/* cr_origin of a coroutine made now: ((filename, lineno, funcname), ...)
 * of up to sys.get_coroutine_origin_tracking_depth() frames from f (the
 * creator) outwards.  NEW ref; NULL without an error when tracking is
 * off, NULL with MemoryError on failure. */
pm_object *pmi_coro_origin(pm_runtime *rt, pmi_frame *f);
/* The tp_finalize part of an unfinished async generator whose first step
 * took a finalizer hook: calls finalizer(agen) (errors go to the
 * unraisable hook) and returns 1; 0 when there is no such hook. */
int pmi_asyncgen_finalize_hook(pm_runtime *rt, pmi_gen *g);
/* ASYNC_GEN_WRAP: v (STOLEN) in the wrapper an async generator yields. */
pm_object *pmi_asyncgen_wrap(pm_runtime *rt, pm_object *v);

/* RETURN_GENERATOR: a generator taking over frame f (the running one, its
 * stack saved): f is left empty (every reference moved) for the caller to
 * pop.  NEW ref, or NULL with MemoryError (f untouched). */
pm_object *pmi_gen_from_frame(pm_runtime *rt, pmi_frame *f);
/* next(gen) as builtins.next and __next__ see it: the next value (NEW
 * ref), or NULL with StopIteration(return value) (or the generator's
 * error) pending. */
pm_object *pmi_gen_next(pm_runtime *rt, pm_object *gen);

/* PyIter_Send for SEND: receiver.send(v) (next() when v is None and the
 * receiver is an iterator).  0: it yielded *r; 1: it finished with return
 * value *r (StopIteration's value); -1: error.  *r is a NEW ref. */
int pmi_iter_send(pm_runtime *rt, pm_object *receiver, pm_object *v, pm_object **r);

/* Runs frame f: throwflag 1 starts with the pending error raised at f's
 * current instruction (generator.throw) (ceval.c). */
pm_object *pmi_eval_frame_ex(pm_runtime *rt, pmi_frame *f, int throwflag);

/* ---- except* (excstar.c) ---- */

/* CHECK_EG_MATCH: checks `type` (TypeError for a non-exception class or a
 * group class), then splits exc: *match and *rest NEW refs (None when
 * nothing matched / nothing is left).  0 / -1. */
int pmi_eg_match(pm_runtime *rt, pm_object *exc, pm_object *type, pm_object **match, pm_object **rest);
/* PREP_RERAISE_STAR: what leaves a try-except* statement (orig the
 * exception caught, excs the list of what its clauses raised or left):
 * NEW ref (None: nothing) or NULL. */
pm_object *pmi_eg_prep_reraise_star(pm_runtime *rt, pm_object *orig, pm_object *excs);

#endif
