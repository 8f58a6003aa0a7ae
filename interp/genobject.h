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
} pmi_gen;

extern const pm_type pmi_gen_type;

static inline int pmi_gen_check(const pm_object *o) { return o->ob_type == &pmi_gen_type; }

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
