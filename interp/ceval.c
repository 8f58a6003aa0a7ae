/*
 * interp/ceval.c — the evaluation loop.
 *
 * Runs one pmi_frame's code: CPython 3.11 bytecode as our compiler emits it,
 * two bytes per unit (opcode, argument), each real instruction followed by
 * pmi_opcode_cache(op) CACHE units.  co_code is never written: the inline
 * caches live in the code object's private block (interp/specialize.h,
 * 3.11's co_code_adaptive), so `dis` and co_code show the code as compiled.
 * Relative jumps count units from the end of the instruction and its
 * caches, as in 3.11.
 *
 * Ownership is CPython's: every slot of localsplus and of the value stack
 * holds one reference; a load increfs onto the stack, a store steals the
 * popped reference, a consumer decrefs what it pops.  The error path drops
 * every value still on the stack, so the frame is left empty and
 * pmi_frame_pop only drops the locals.
 *
 * Dispatch: computed goto under GCC / clang (PMI_HOT_OPS: each hot
 * instruction ends by fetching the next and jumping to its label), the
 * switch for every other opcode and for other compilers
 * (-DPMI_NO_COMPUTED_GOTO keeps the switch alone).  Every opcode not
 * implemented reaches one place that raises SystemError "pymm: opcode NAME
 * not implemented yet" — the loop never crashes on unknown code.
 *
 * Fast paths (3.11's specialized instructions, without rewriting opcodes):
 * each is a guard and a shortcut that gives the generic path's result and
 * ownership (so sys.getrefcount is unchanged), else the generic path runs.
 *   BINARY_OP      one-digit ints (+ - * // % / & | ^) and floats, a float
 *                  with a one-digit int (exact conversion); never a case
 *                  that raises (zero divisors go generic)
 *   COMPARE_OP     one-digit ints, floats; a POP_JUMP_*_IF_TRUE/FALSE right
 *                  after takes the truth without a bool (COMPARE_OP_*_JUMP)
 *   BINARY_SUBSCR  list / tuple by a one-digit int, dict by a str
 *   STORE_SUBSCR   list by an in-range one-digit int
 *   UNPACK_SEQUENCE a tuple or list of the right length
 *   LOAD_GLOBAL, LOAD_ATTR, LOAD_METHOD, STORE_ATTR: inline caches
 *                  (specialize.h: dict versions, type version tags)
 *   POP_JUMP_*     True / False / None without pm_is_true
 *
 * Calls (CPython 3.11's inlined calls): CALL of a Python function pushes a
 * new frame and goes on in the same C loop; the arguments (and self from
 * LOAD_METHOD) move from the caller's stack into the callee's locals.
 * RETURN_VALUE pops the frame and pushes the value on the caller's stack.
 * The frame pmi_eval_frame was started on is the "entry" frame: returning
 * from it, or an error passing through it, leaves the C function.
 *
 *     C caller ─> pmi_eval_frame(A, entry) ─ CALL ─> B ─ CALL ─> C
 *                      ^ returns here          ^ RETURN_VALUE pops back to B
 *
 * Errors: `error` is a fresh error raised by the instruction (its
 * __context__ becomes the exception being handled, unless it has one),
 * then one traceback entry per frame (pmi_traceback_here), then the
 * exception table (co_exceptiontable, 3.11's varint records) picks a
 * handler: the stack drops to the handler's depth, lasti is pushed when
 * flagged, then the exception; without a handler the frame is popped and
 * the error passes on to the caller frame, until the entry frame returns
 * NULL.  The handled-exception stack (sys.exception()) is interp.h's
 * pmi_exc_info chain: PUSH_EXC_INFO / POP_EXCEPT move the top level's value.
 *
 * Generators: RETURN_GENERATOR moves the running frame into a generator
 * object (genobject.c); the generator runs its frame as an entry frame of a
 * fresh pmi_eval_frame_ex call on each resume, and YIELD_VALUE leaves the
 * loop with the frame suspended (f->yielded) at the YIELD_VALUE.
 */
#include "interp.h"
#include "code.h"
#include "opcodes.h"
#include "import.h"
#include "traceback.h"
#include "funcobject.h"
#include "genobject.h"
#include "specialize.h"
#include "builtins.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* OP_<NAME> = number, from the one table. */
enum {
#define PMI_OP_ENUM_(name, num, cache, flags) OP_##name = num,
    PMI_OPCODES(PMI_OP_ENUM_)
#undef PMI_OP_ENUM_
};

/* CACHE units after each opcode, from the one table (a load instead of a
 * call per instruction). */
static const unsigned char cache_units[256] = {
#define PMI_OP_CACHE_(name, num, cache, flags) [num] = cache,
    PMI_OPCODES(PMI_OP_CACHE_)
#undef PMI_OP_CACHE_
};

/* Dispatch: computed goto (labels as values) under GCC and clang, the
 * switch elsewhere or with -DPMI_NO_COMPUTED_GOTO.  The hot instructions
 * are TARGET()s with both a case and a label, and end in DISPATCH(),
 * which fetches and jumps straight to the next one; every other opcode
 * goes through the switch (their `break` returns to the loop's top). */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(PMI_NO_COMPUTED_GOTO)
#define PMI_COMPUTED_GOTO 1
#else
#define PMI_COMPUTED_GOTO 0
#endif

/* The instructions with their own label (the rest use the switch). */
#define PMI_HOT_OPS(X) \
    X(NOP) X(RESUME) X(CACHE) X(POP_TOP) X(PUSH_NULL) X(COPY) X(SWAP) \
    X(LOAD_CONST) X(LOAD_FAST) X(STORE_FAST) X(LOAD_GLOBAL) X(LOAD_ATTR) X(STORE_ATTR) \
    X(LOAD_METHOD) X(PRECALL) X(CALL) X(KW_NAMES) X(RETURN_VALUE) X(BINARY_OP) \
    X(COMPARE_OP) X(IS_OP) X(CONTAINS_OP) X(BINARY_SUBSCR) X(STORE_SUBSCR) \
    X(GET_ITER) X(FOR_ITER) X(JUMP_FORWARD) X(JUMP_BACKWARD) \
    X(POP_JUMP_FORWARD_IF_FALSE) X(POP_JUMP_FORWARD_IF_TRUE) \
    X(POP_JUMP_BACKWARD_IF_FALSE) X(POP_JUMP_BACKWARD_IF_TRUE) \
    X(POP_JUMP_FORWARD_IF_NONE) X(POP_JUMP_FORWARD_IF_NOT_NONE) \
    X(BUILD_TUPLE) X(BUILD_LIST) X(UNPACK_SEQUENCE) X(LOAD_DEREF) X(STORE_DEREF) \
    X(EXTENDED_ARG) X(YIELD_VALUE) X(LIST_APPEND) X(UNARY_NOT) X(UNARY_NEGATIVE)

/* ---- fast paths of BINARY_OP and COMPARE_OP ------------------------------
 * Exact ints of one digit and exact floats (and a float with a one-digit
 * int, which converts exactly), computed in C with the results Python's own
 * methods give; anything else, and every case that would raise (a zero
 * divisor), is left to the generic protocol.  1: handled, *out the result
 * (NULL with MemoryError); 0: not handled. */
static inline int as_double(const pm_object *o, double *d) {
    long v;
    if (pm_type_of(o) == &pm_float_type) {
        *d = pm_float_view_value(o);
        return 1;
    }
    if (pm_type_of(o) == &pm_int_type && pm_int_view_small(o, &v)) {
        *d = (double)v;
        return 1;
    }
    return 0;
}

/* `next` is the instruction after the BINARY_OP, `fast` the frame's locals:
 * a STORE_FAST there names a local whose float may take the result.
 * Inlined by force: as a call, its prologue and spills cost as much as
 * the arithmetic. */
#if defined(__GNUC__) || defined(__clang__)
#define PMI_ALWAYS_INLINE __attribute__((always_inline))
#else
#define PMI_ALWAYS_INLINE
#endif
static inline PMI_ALWAYS_INLINE int binop_fast(pm_runtime *rt, pm_object *a, pm_object *b, int oparg, pm_object **out,
                             const uint16_t *next, pm_object **fast) {
    int o = oparg >= PM_NB_INPLACE_ADD ? oparg - PM_NB_INPLACE_ADD : oparg;
    const pm_type *ta = pm_type_of(a), *tb = pm_type_of(b);
    long x, y, r;
    if (ta == &pm_int_type && tb == &pm_int_type && pm_int_view_small(a, &x) && pm_int_view_small(b, &y)) {
        switch (o) {
        case PM_NB_ADD: r = x + y; break;
        case PM_NB_SUBTRACT: r = x - y; break;
        case PM_NB_MULTIPLY: r = x * y; break;  /* |x|, |y| < 2**30 */
        case PM_NB_AND: r = x & y; break;
        case PM_NB_OR: r = x | y; break;
        case PM_NB_XOR: r = x ^ y; break;
        case PM_NB_FLOOR_DIVIDE:
        case PM_NB_REMAINDER: {
            if (!y) return 0;
            long q = x / y, m = x % y;
            if (m && ((m < 0) != (y < 0))) {
                m += y;
                q--;
            }
            r = o == PM_NB_REMAINDER ? m : q;
            break;
        }
        case PM_NB_TRUE_DIVIDE:
            if (!y) return 0;
            *out = pm_float_new(rt, (double)x / (double)y);
            return 1;
        default: return 0;
        }
        *out = pm_int_from_long(rt, r);
        return 1;
    }
    if (ta != &pm_float_type && tb != &pm_float_type) return 0;
    double dx, dy, d;
    if (!as_double(a, &dx) || !as_double(b, &dy)) return 0;
    switch (o) {
    case PM_NB_ADD: d = dx + dy; break;
    case PM_NB_SUBTRACT: d = dx - dy; break;
    case PM_NB_MULTIPLY: d = dx * dy; break;
    case PM_NB_TRUE_DIVIDE:
        if (dy == 0.0) return 0;
        d = dx / dy;
        break;
    case PM_NB_POWER:
        /* a positive finite base and a finite exponent: float.__pow__ is
         * the C library's pow then; the other cases (zero, negative, inf,
         * nan, an overflow to raise) take the generic path */
        if (!(dx > 0.0) || !isfinite(dx) || !isfinite(dy)) return 0;
        d = pow(dx, dy);
        if (!isfinite(d)) return 0;
        break;
    default: return 0;
    }
    /* An exact float whose one reference is the value stack's (the caller
     * drops both operands next) dies here anyway: it takes the result
     * instead of a new float being made (3.12's float ops do the same).
     * Nothing else can see it, floats having no weak references. */
    pm_object *reuse = ta == &pm_float_type && a->ob_refcnt == 1 ? a
                     : tb == &pm_float_type && b->ob_refcnt == 1 ? b : NULL;
    if (!reuse) {
        /* `x = a * b`: the float the STORE_FAST next will drop, when only
         * the local holds it (no code runs between the two instructions) */
        uint16_t w;
        memcpy(&w, next, 2);
        pm_object *old = (w & 0xff) == OP_STORE_FAST ? fast[w >> 8] : NULL;
        if (old && pm_type_of(old) == &pm_float_type && old->ob_refcnt == 1) reuse = old;
    }
    if (reuse) {
        ((pm_float_view *)(void *)reuse)->ob_fval = d;
        reuse->ob_refcnt = 2;
        *out = reuse;
        return 1;
    }
    *out = pm_float_new(rt, d);
    return 1;
}

/* a <op> b for two one-digit ints or two floats: 1 with *t the truth; 0
 * when not handled. */
static inline int compare_fast(pm_object *a, pm_object *b, int op, int *t) {
    const pm_type *ta = pm_type_of(a);
    if (ta != pm_type_of(b)) return 0;
    if (ta == &pm_int_type) {
        long x, y;
        if (!pm_int_view_small(a, &x) || !pm_int_view_small(b, &y)) return 0;
        switch (op) {
        case PM_LT: *t = x < y; return 1;
        case PM_LE: *t = x <= y; return 1;
        case PM_EQ: *t = x == y; return 1;
        case PM_NE: *t = x != y; return 1;
        case PM_GT: *t = x > y; return 1;
        case PM_GE: *t = x >= y; return 1;
        default: return 0;
        }
    }
    if (ta == &pm_float_type) {
        double x = pm_float_view_value(a), y = pm_float_view_value(b);
        switch (op) {
        case PM_LT: *t = x < y; return 1;
        case PM_LE: *t = x <= y; return 1;
        case PM_EQ: *t = x == y; return 1;
        case PM_NE: *t = x != y; return 1;
        case PM_GT: *t = x > y; return 1;
        case PM_GE: *t = x >= y; return 1;
        default: return 0;
        }
    }
    return 0;
}

/* For the attribute caches: 1 with *v (borrowed, NULL when absent) when
 * owner's own attributes can be read from its dict or its inline values
 * (no dict made yet: pm_inst_*); 0 when that cannot be told here. */
static inline int instance_get(pm_runtime *rt, pm_object *owner, pm_object *name, pm_object **v,
                               pm_ssize_t *index) {
    pm_object **dp = pm_object_dict_ptr(rt, owner);
    if (!dp) {
        *v = NULL;
        return 1;
    }
    if (!*dp) {                     /* inline values, or no attribute at all */
        pm_ssize_t ix = pmi_icache_inst_index(rt, index, pm_type_of(owner), name);
        *v = ix < 0 ? NULL : pm_inst_value_at(owner, ix);
        return 1;
    }
    if (pm_type_of(*dp) != &pm_dict_type) return 0;
    *v = pm_dict_get(rt, *dp, name);
    return !pm_err_occurred(rt);
}

/* UTF-8 text of a name for messages ("?" if it cannot be had). */
static const char *name_text(pm_runtime *rt, pm_object *name) {
    const char *s = pm_str_as_utf8(rt, name, NULL);
    if (!s) {
        pm_err_clear(rt);
        return "?";
    }
    return s;
}

/* locals/globals lookup: new ref, NULL without error when absent. */
static pm_object *mapping_get(pm_runtime *rt, pm_object *m, pm_object *key) {
    if (pm_type_of(m) == &pm_dict_type) {
        pm_object *v = pm_dict_get(rt, m, key);
        if (v) pm_incref(rt, v);
        return v;
    }
    pm_object *v = pm_getitem(rt, m, key);
    if (!v && pm_err_matches(rt, PM_EXC_KeyError)) pm_err_clear(rt);
    return v;
}

/* x = conversion(value) for FORMAT_VALUE (1 str, 2 repr, 3 ascii). */
static pm_object *convert_value(pm_runtime *rt, pm_object *v, int which) {
    switch (which) {
    case 1: return pm_str(rt, v);
    case 2: return pm_repr(rt, v);
    case 3: return pm_ascii(rt, v);
    default: return pm_newref(rt, v);
    }
}

/* Pushes the n items of seq onto sp in reverse (UNPACK_SEQUENCE): 0 or -1. */
static int unpack(pm_runtime *rt, pm_object *seq, int n, pm_object **sp) {
    pm_object *it = pm_iter(rt, seq);
    if (!it) {
        if (pm_err_matches(rt, PM_EXC_TypeError))
            pm_err_format(rt, PM_EXC_TypeError, "cannot unpack non-iterable %s object",
                          pm_type_name(pm_type_of(seq)));
        return -1;
    }
    int i = 0;
    for (; i < n; i++) {
        pm_object *v = pm_iter_next(rt, it);
        if (!v) {
            if (!pm_err_occurred(rt))
                pm_err_format(rt, PM_EXC_ValueError, "not enough values to unpack (expected %d, got %d)", n, i);
            goto fail;
        }
        sp[n - 1 - i] = v;
    }
    pm_object *extra = pm_iter_next(rt, it);
    if (extra) {
        pm_decref(rt, extra);
        pm_err_format(rt, PM_EXC_ValueError, "too many values to unpack (expected %d)", n);
        goto fail;
    }
    if (pm_err_occurred(rt)) goto fail;
    pm_decref(rt, it);
    return 0;
fail:
    for (int j = 0; j < i; j++) pm_decref(rt, sp[n - 1 - j]);
    pm_decref(rt, it);
    return -1;
}


/* Raises type (an exception class) with a formatted message. */
static void raise_msg(pm_runtime *rt, const pm_type *type, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void raise_msg(pm_runtime *rt, const pm_type *type, const char *fmt, ...) {
    char buf[PM_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pm_object *msg = pm_str_from_cstr(rt, buf);
    if (!msg) return;
    pm_err_set_object(rt, type, msg);
    pm_decref(rt, msg);
}

/* UnboundLocalError / NameError for an empty fast slot or cell. */
static void unbound_error(pm_runtime *rt, pmi_code *co, int i) {
    const char *name = name_text(rt, pmi_code_slot_name(rt, (pm_object *)co, i));
    const unsigned char *kinds = (const unsigned char *)pm_bytes_data(co->localspluskinds);
    if (kinds[i] & PMI_CO_FAST_FREE)
        pm_err_format(rt, PM_EXC_NameError,
                      "cannot access free variable '%s' where it is not associated with a value"
                      " in enclosing scope", name);
    else
        raise_msg(rt, &pm_exc_UnboundLocalError,
                  "cannot access local variable '%s' where it is not associated with a value", name);
}

/* A fresh error: its __context__ becomes the exception being handled
 * (CPython sets it when the exception is raised), unless it already has
 * one (an error passed up from a nested call has been chained there). */
static void chain_context(pm_runtime *rt) {
    pm_object *handled = pmi_current_exception(rt);
    /* MemoryError is the runtime's preallocated object: chaining would
     * keep the handled exception alive in it */
    if (!handled || !pm_err_occurred(rt) || pm_err_matches(rt, PM_EXC_MemoryError)) return;
    pm_object *exc = pm_err_fetch(rt);
    int has = pm_exc_get_context(exc) != NULL || exc == handled;
    pm_err_restore(rt, exc);
    if (!has) pm_err_set_context(rt, handled);
}

/* One varint of the exception table (6 bits a byte, bit 6 = more). */
static const unsigned char *read_varint(const unsigned char *p, const unsigned char *end, int *out) {
    int v = 0;
    if (p >= end) return NULL;
    v = *p & 63;
    while (*p & 64) {
        if (++p >= end) return NULL;
        v = (v << 6) | (*p & 63);
    }
    *out = v;
    return p + 1;
}

/* The handler for code unit `index` (3.11's get_exception_handler): 1 and
 * target/depth/lasti, or 0 when none covers it. */
static int find_handler(pmi_code *co, int index, int *target, int *depth, int *lasti) {
    const unsigned char *p = (const unsigned char *)pm_bytes_data(co->exceptiontable);
    const unsigned char *end = p + pm_bytes_size(co->exceptiontable);
    while (p && p < end) {
        int start, size, tgt, dl;
        p = read_varint(p, end, &start);
        if (!p) break;
        p = read_varint(p, end, &size);
        if (!p) break;
        p = read_varint(p, end, &tgt);
        if (!p) break;
        p = read_varint(p, end, &dl);
        if (!p) break;
        if (index < start) return 0;
        if (index < start + size) {
            *target = tgt;
            *depth = dl >> 1;
            *lasti = dl & 1;
            return 1;
        }
    }
    return 0;
}

/* `except X:` must name exception classes (CHECK_EXC_MATCH): 0 / -1. */
static int check_except_type(pm_runtime *rt, pm_object *right) {
    if (pm_tuple_check(right)) {
        for (pm_ssize_t i = 0; i < pm_tuple_size(right); i++)
            if (check_except_type(rt, pm_tuple_get(rt, right, i)) < 0) return -1;
        return 0;
    }
    if (pm_type_check(right) && pm_exc_type_check((const pm_type *)right)) return 0;
    pm_err_set(rt, PM_EXC_TypeError, "catching classes that do not inherit from BaseException is not allowed");
    return -1;
}

/* type.__name__-lookup of a special method bound to o (BEFORE_WITH): new
 * ref, or NULL (error set, or none when absent). */
static pm_object *lookup_special(pm_runtime *rt, pm_object *o, const char *name) {
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return NULL;
    pm_object *d = pm_type_lookup(rt, pm_type_of(o), n);
    pm_decref(rt, n);
    if (!d) return NULL;
    pm_descrgetfunc g = pm_type_of(d)->descr_get;
    if (g) return g(rt, d, o, pm_type_as_object(pm_type_of(o)));
    return pm_newref(rt, d);
}

/* A Python call's arguments moved into fn's fresh frame nf: n values,
 * the last nkw of them named by kwnames.  The plain case (positional only,
 * exactly the parameters) is copied; anything else goes through
 * pmi_func_bind.  The references are consumed either way.  0 / -1. */
static inline int frame_take_args(pm_runtime *rt, pmi_frame *nf, pm_object *fn, pm_object **args, int n,
                                  pm_ssize_t nkw, pm_object *kwnames) {
    const pmi_code *callee = (const pmi_code *)((pmi_function *)fn)->code;
    if (!nkw && n == callee->argcount && callee->kwonlyargcount == 0 &&
        !(callee->flags & (PMI_CO_VARARGS | PMI_CO_VARKEYWORDS))) {
        memcpy(nf->localsplus, args, sizeof(pm_object *) * (size_t)n);
        return 0;
    }
    return pmi_func_bind(rt, fn, nf, args, n - nkw, kwnames, 1);
}

/* 1 for the built-in functions that 3.11's specialized CALLs call without
 * counting a recursion level (METH_FASTCALL, and len), which its generic
 * calls count. */
static int vm_call_specialized_uncounted(const pm_object *callable) {
    if (pmi_function_check(callable)) return 0; /* the usual f(*args): no call out */
    return pmi_builtin_counted(callable) == 0 || pm_cfunction_is_fastcall(callable);
}

/* BEFORE_WITH (is_async 0) and BEFORE_ASYNC_WITH (1): *slot holds the
 * manager; on success it is replaced by the bound __exit__/__aexit__ (the
 * manager's reference dropped) and __enter__()/__aenter__()'s result is
 * returned (new ref).  NULL with an error set, 3.11's TypeError when a
 * method is missing; *slot then still holds the manager. */
static pm_object *enter_context(pm_runtime *rt, pm_object **slot, int is_async) {
    static const char *const names[2][2] = {{"__enter__", "__exit__"}, {"__aenter__", "__aexit__"}};
    const char *protocol = is_async ? "asynchronous context manager" : "context manager";
    pm_object *mgr = *slot;
    pm_object *enter = lookup_special(rt, mgr, names[is_async][0]);
    if (!enter) {
        if (!pm_err_occurred(rt))
            pm_err_format(rt, PM_EXC_TypeError, "'%s' object does not support the %s protocol",
                          pm_type_name(pm_type_of(mgr)), protocol);
        return NULL;
    }
    pm_object *exit = lookup_special(rt, mgr, names[is_async][1]);
    if (!exit) {
        if (!pm_err_occurred(rt))
            pm_err_format(rt, PM_EXC_TypeError, "'%s' object does not support the %s protocol (missed %s method)",
                          pm_type_name(pm_type_of(mgr)), protocol, names[is_async][1]);
        pm_decref(rt, enter);
        return NULL;
    }
    *slot = exit;
    pm_decref(rt, mgr);
    pm_object *r = pm_call_noargs(rt, enter);
    pm_decref(rt, enter);
    return r;
}

/* raise exc [from cause] (RAISE_VARARGS 1/2): always leaves an error. */
static void do_raise(pm_runtime *rt, pm_object *exc, pm_object *cause) {
    pm_object *value = NULL;
    if (pm_type_check(exc) && pm_exc_type_check((const pm_type *)exc)) {
        value = pm_call_noargs(rt, exc);
        if (!value) return;
        if (!pm_exc_check(value)) {
            pm_object *r1 = pm_repr(rt, exc), *r2 = r1 ? pm_repr(rt, value) : NULL;
            if (r2)
                pm_err_format(rt, PM_EXC_TypeError,
                              "calling %s should have returned an instance of BaseException, not %s",
                              name_text(rt, r1), pm_type_name(pm_type_of(value)));
            pm_xdecref(rt, r1);
            pm_xdecref(rt, r2);
            pm_decref(rt, value);
            return;
        }
    } else if (pm_exc_check(exc)) {
        value = pm_newref(rt, exc);
    } else {
        pm_err_set(rt, PM_EXC_TypeError, "exceptions must derive from BaseException");
        return;
    }
    if (cause) {
        pm_object *c = NULL;
        if (pm_type_check(cause) && pm_exc_type_check((const pm_type *)cause)) {
            c = pm_call_noargs(rt, cause);
            if (!c) goto fail;
        } else if (pm_exc_check(cause)) {
            c = pm_newref(rt, cause);
        } else if (cause != PM_NONE) {
            pm_err_set(rt, PM_EXC_TypeError, "exception causes must derive from BaseException");
            goto fail;
        }
        pm_exc_set_cause(rt, value, c);
        pm_exc_set_suppress_context(value, 1);
    }
    pm_err_restore(rt, value);
    /* `raise e` sets e.__context__ anew (CPython's _PyErr_SetObject) */
    pm_object *handled = pmi_current_exception(rt);
    if (handled && !pm_err_matches(rt, PM_EXC_MemoryError)) pm_err_set_context(rt, handled);
    return;
fail:
    pm_decref(rt, value);
}

/* Where execution goes on after the call-like instruction at p. */
static const uint16_t *after(const uint16_t *p) {
    uint16_t w;
    memcpy(&w, p, 2);
    return p + 1 + pmi_opcode_cache(w & 0xff);
}

/* f(*args, **kwargs) pieces (CALL_FUNCTION_EX): a tuple / dict with
 * CPython's messages naming func.  New refs. */
static pm_object *star_args(pm_runtime *rt, pm_object *func, pm_object *args) {
    if (pm_tuple_check(args)) return pm_newref(rt, args);
    pm_object *l = pm_list_new(rt);
    if (!l) return NULL;
    if (pm_list_extend(rt, l, args) < 0) {
        pm_decref(rt, l);
        if (pm_err_matches(rt, PM_EXC_TypeError) && !pm_type_of(args)->iter) {
            pm_object *fs = pmi_function_str(rt, func);
            if (fs) {
                pm_err_format(rt, PM_EXC_TypeError, "%s argument after * must be an iterable, not %s",
                              name_text(rt, fs), pm_type_name(pm_type_of(args)));
                pm_decref(rt, fs);
            }
        }
        return NULL;
    }
    pm_object *t = pm_list_as_tuple(rt, l);
    pm_decref(rt, l);
    return t;
}

/* dict.update for ** (DICT_MERGE, CALL_FUNCTION_EX): duplicate keys are a
 * TypeError naming func.  0 / -1. */
static int merge_kwargs(pm_runtime *rt, pm_object *func, pm_object *dict, pm_object *update) {
    pm_object *fs = NULL;
    if (!pm_dict_check(update)) {
        pm_object *keys = pm_getattr_cstr(rt, update, "keys");
        if (!keys) {
            if (!pm_err_matches(rt, PM_EXC_AttributeError)) return -1;
            fs = pmi_function_str(rt, func);
            if (fs)
                pm_err_format(rt, PM_EXC_TypeError, "%s argument after ** must be a mapping, not %s",
                              name_text(rt, fs), pm_type_name(pm_type_of(update)));
            pm_xdecref(rt, fs);
            return -1;
        }
        pm_decref(rt, keys);
        pm_object *d = pm_dict_new(rt);
        if (!d) return -1;
        int rc = pm_dict_update(rt, d, update);
        if (rc == 0) rc = merge_kwargs(rt, func, dict, d);
        pm_decref(rt, d);
        return rc;
    }
    pm_ssize_t pos = 0;
    pm_object *k, *v;
    while (pm_dict_next(update, &pos, &k, &v)) {
        int has = pm_dict_contains(rt, dict, k);
        if (has < 0) return -1;
        if (has) {
            fs = pmi_function_str(rt, func);
            if (fs) {
                if (pm_str_check(k))
                    pm_err_format(rt, PM_EXC_TypeError, "%s got multiple values for keyword argument '%s'",
                                  name_text(rt, fs), name_text(rt, k));
                else
                    pm_err_format(rt, PM_EXC_TypeError, "%s keywords must be strings", name_text(rt, fs));
                pm_decref(rt, fs);
            }
            return -1;
        }
    }
    return pm_dict_update(rt, dict, update);
}

/* a, *b, c = seq (UNPACK_EX, oparg = before | after << 8): pushes
 * before + 1 + after values onto sp, last first.  0 / -1. */
static int unpack_ex(pm_runtime *rt, pm_object *seq, int before, int after, pm_object **sp) {
    int total = before + 1 + after, i = 0;
    pm_object *it = pm_iter(rt, seq), *rest = NULL;
    if (!it) {
        if (pm_err_matches(rt, PM_EXC_TypeError) && !pm_type_of(seq)->iter)
            pm_err_format(rt, PM_EXC_TypeError, "cannot unpack non-iterable %s object",
                          pm_type_name(pm_type_of(seq)));
        return -1;
    }
    for (; i < before; i++) {
        pm_object *v = pm_iter_next(rt, it);
        if (!v) {
            if (!pm_err_occurred(rt))
                pm_err_format(rt, PM_EXC_ValueError, "not enough values to unpack (expected at least %d, got %d)",
                              before + after, i);
            goto fail;
        }
        sp[total - 1 - i] = v;
    }
    rest = pm_list_new(rt);
    if (!rest || pm_list_extend(rt, rest, it) < 0) goto fail;
    pm_ssize_t n = pm_list_size(rest);
    if (n < after) {
        pm_err_format(rt, PM_EXC_ValueError, "not enough values to unpack (expected at least %d, got %zd)",
                      before + after, (pm_ssize_t)before + n);
        goto fail;
    }
    for (int j = 0; j < after; j++) sp[after - 1 - j] = pm_newref(rt, pm_list_get(rt, rest, n - after + j));
    if (after && pm_list_set_slice(rt, rest, n - after, n, NULL) < 0) {
        for (int j = 0; j < after; j++) pm_decref(rt, sp[j]);
        goto fail;
    }
    sp[after] = rest;
    pm_decref(rt, it);
    return 0;
fail:
    for (int j = 0; j < i; j++) pm_decref(rt, sp[total - 1 - j]);
    pm_xdecref(rt, rest);
    pm_decref(rt, it);
    return -1;
}

/* ---- structural pattern matching (3.11's match_keys / match_class) ---- */

/* MATCH_SEQUENCE: list, tuple (and their subclasses), memoryview; never
 * str, bytes or bytearray. */
static int match_is_sequence(const pm_object *o) {
    return (pm_type_of(o)->flags & (PM_TPFLAGS_LIST_SUBCLASS | PM_TPFLAGS_TUPLE_SUBCLASS)) != 0 ||
           pm_is_instance(o, &pm_memoryview_type);
}

/* The built-in classes whose single positional sub-pattern is the subject
 * itself (CPython's _Py_TPFLAGS_MATCH_SELF). */
static int match_self(const pm_type *t) {
    static const pm_type *const self_types[] = {&pm_bool_type, &pm_bytearray_type, &pm_bytes_type,
                                                &pm_dict_type, &pm_float_type, &pm_frozenset_type,
                                                &pm_int_type, &pm_list_type, &pm_set_type,
                                                &pm_str_type, &pm_tuple_type};
    for (size_t i = 0; i < sizeof self_types / sizeof self_types[0]; i++)
        if (pm_type_is_subtype(t, self_types[i])) return 1;
    return 0;
}

/* MATCH_KEYS: a tuple of subject[key] for keys, or None when one is
 * missing (new ref; NULL on error). */
static pm_object *match_keys(pm_runtime *rt, pm_object *subject, pm_object *keys) {
    pm_ssize_t n = pm_tuple_size(keys);
    if (n == 0) return pm_tuple_from_array(rt, NULL, 0);
    pm_object *get = pm_getattr_cstr(rt, subject, "get");
    if (!get) return NULL;
    pm_object *seen = pm_set_new(rt, NULL), *values = pm_list_new(rt), *dummy = pm_object_new(rt);
    pm_object *r = NULL;
    if (!seen || !values || !dummy) goto done;
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *key = pm_tuple_get(rt, keys, i);
        int dup = pm_contains(rt, seen, key);
        if (dup < 0 || (!dup && pm_set_add(rt, seen, key) < 0)) goto done;
        if (dup) {
            pm_object *kr = pm_repr(rt, key);
            if (kr) {
                pm_err_format(rt, PM_EXC_ValueError, "mapping pattern checks duplicate key (%s)", name_text(rt, kr));
                pm_decref(rt, kr);
            }
            goto done;
        }
        pm_object *argv[2] = {key, dummy};
        pm_object *v = pm_call(rt, get, argv, 2, NULL);
        if (!v) goto done;
        if (v == dummy) {
            pm_decref(rt, v);
            r = pm_newref(rt, PM_NONE);
            goto done;
        }
        int rc = pm_list_append(rt, values, v);
        pm_decref(rt, v);
        if (rc < 0) goto done;
    }
    r = pm_list_as_tuple(rt, values);
done:
    pm_decref(rt, get);
    pm_xdecref(rt, seen);
    pm_xdecref(rt, values);
    pm_xdecref(rt, dummy);
    return r;
}

/* One attribute of a class pattern: 1 with *v (new ref), 0 when absent,
 * -1 on error (also for a name given twice). */
static int match_class_attr(pm_runtime *rt, pm_object *subject, const pm_type *type, pm_object *name,
                            pm_object *seen, pm_object **v) {
    int dup = pm_contains(rt, seen, name);
    if (dup < 0) return -1;
    if (dup) {
        pm_object *nr = pm_repr(rt, name);
        if (nr) {
            pm_err_format(rt, PM_EXC_TypeError, "%s() got multiple sub-patterns for attribute %s",
                          pm_type_name(type), name_text(rt, nr));
            pm_decref(rt, nr);
        }
        return -1;
    }
    if (pm_set_add(rt, seen, name) < 0) return -1;
    return pm_getattr_opt(rt, subject, name, v);
}

/* MATCH_CLASS: a tuple of the matched attributes, or NULL: with an error,
 * or without one when the subject does not match. */
static pm_object *match_class(pm_runtime *rt, pm_object *subject, pm_object *type_obj, int nargs,
                              pm_object *kwargs) {
    if (!pm_type_check(type_obj)) {
        pm_err_set(rt, PM_EXC_TypeError, "called match pattern must be a type");
        return NULL;
    }
    const pm_type *type = (const pm_type *)type_obj;
    if (!pm_is_instance(subject, type)) return NULL;
    pm_object *seen = pm_set_new(rt, NULL), *attrs = pm_list_new(rt), *match_args = NULL, *r = NULL;
    if (!seen || !attrs) goto done;
    if (nargs) {
        int is_self = 0;
        pm_ssize_t allowed;
        pm_object *name = pm_str_intern_cstr(rt, "__match_args__");
        int found = name ? pm_getattr_opt(rt, type_obj, name, &match_args) : -1;
        pm_xdecref(rt, name);
        if (found < 0) goto done;
        if (found) {
            if (!pm_tuple_check(match_args)) {
                pm_err_format(rt, PM_EXC_TypeError, "%s.__match_args__ must be a tuple (got %s)",
                              pm_type_name(type), pm_type_name(pm_type_of(match_args)));
                goto done;
            }
            allowed = pm_tuple_size(match_args);
        } else {
            is_self = match_self(type);
            allowed = is_self ? 1 : 0;
        }
        if (allowed < nargs) {
            pm_err_format(rt, PM_EXC_TypeError, "%s() accepts %zd positional sub-pattern%s (%d given)",
                          pm_type_name(type), (pm_ssize_t)allowed, allowed == 1 ? "" : "s", nargs);
            goto done;
        }
        if (is_self) {
            if (pm_list_append(rt, attrs, subject) < 0) goto done;
        } else {
            for (int i = 0; i < nargs; i++) {
                pm_object *an = pm_tuple_get(rt, match_args, i), *v = NULL;
                if (!pm_str_check(an)) {
                    pm_err_format(rt, PM_EXC_TypeError, "__match_args__ elements must be strings (got %s)",
                                  pm_type_name(pm_type_of(an)));
                    goto done;
                }
                int got = match_class_attr(rt, subject, type, an, seen, &v);
                if (got <= 0) goto done;
                int rc = pm_list_append(rt, attrs, v);
                pm_decref(rt, v);
                if (rc < 0) goto done;
            }
        }
    }
    for (pm_ssize_t i = 0; i < pm_tuple_size(kwargs); i++) {
        pm_object *v = NULL;
        int got = match_class_attr(rt, subject, type, pm_tuple_get(rt, kwargs, i), seen, &v);
        if (got <= 0) goto done;
        int rc = pm_list_append(rt, attrs, v);
        pm_decref(rt, v);
        if (rc < 0) goto done;
    }
    r = pm_list_as_tuple(rt, attrs);
done:
    pm_xdecref(rt, seen);
    pm_xdecref(rt, attrs);
    pm_xdecref(rt, match_args);
    return r;
}

pm_object *pmi_eval_frame(pm_runtime *rt, pmi_frame *f) {
    return pmi_eval_frame_ex(rt, f, 0);
}

pm_object *pmi_eval_frame_ex(pm_runtime *rt, pmi_frame *f, int throwflag) {
    pmi_interp *in = pmi_interp_get(rt);
    pmi_code *co;
    const uint16_t *first, *next;
    pm_object **fast, **base, **sp;
    pm_object **consts;             /* co_consts' items */
    pmi_vmcode *vmc;                /* co's inline caches, NULL: none (specialize.h) */
    const uint16_t *cur;            /* the instruction running: the exception table is searched
                                       with it (RERAISE moves f->instr, for the traceback only) */
    pm_object *kwnames = NULL;      /* borrowed from co_consts: set by KW_NAMES for the next CALL */
    pm_object *res = NULL;
    int op, oparg;
    /* Ctrl-C (main.c's SIGINT handler sets it): KeyboardInterrupt at the
     * next backward jump or RESUME, CPython 3.11's eval-breaker points.
     * Checked after the jump, the handler is looked up (as 3.11 does) at
     * the code unit before the jump's target; the traceback names the
     * jump (f->instr). */
    volatile sig_atomic_t *interrupt = pm_runtime_interrupt_flag(rt);
#define CHECK_INTERRUPT()                                                      \
    do {                                                                       \
        if (*interrupt) {                                                      \
            *interrupt = 0;                                                    \
            cur = next - 1;                                                    \
            pm_err_set_object(rt, &pm_exc_KeyboardInterrupt, NULL);             \
            goto error;                                                        \
        }                                                                      \
    } while (0)

#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define PEEK(n) (sp[-(n)])
#define GETNAME(i) pm_tuple_get(rt, co->names, (i))
#define JUMPBY(n) (next += (n))
/* Makes f the running frame's registers; `at` is where it goes on. */
#define LOAD_FRAME(at)                                                         \
    do {                                                                       \
        co = (pmi_code *)f->code;                                              \
        first = (const uint16_t *)(const void *)pm_bytes_data(co->code);       \
        next = (at);                                                           \
        fast = f->localsplus;                                                  \
        base = f->localsplus + f->nlocalsplus;                                 \
        sp = base + f->stacktop;                                               \
        cur = f->instr;                                                        \
        consts = pm_tuple_items(co->consts);                                   \
        vmc = co->vm ? co->vm : pmi_specialize_prepare(rt, co);                \
    } while (0)
/* The running instruction's cache entry, or NULL. */
#define ICACHE() (vmc ? pmi_icache_at(vmc, cur - first) : NULL)
#define SAVE_SP() (f->stacktop = (int)(sp - base))
/* The next instruction into op / oparg; next moves past its caches. */
#define FETCH()                                                                \
    do {                                                                       \
        uint16_t w_;                                                           \
        f->instr = cur = next;                                                 \
        memcpy(&w_, next, 2);                                                  \
        op = w_ & 0xff;                                                        \
        oparg = w_ >> 8;                                                       \
        next += 1 + cache_units[op];                                           \
    } while (0)
#if PMI_COMPUTED_GOTO
#define TARGET(name) case OP_##name: TARGET_##name:
#define DISPATCH()                                                             \
    do {                                                                       \
        FETCH();                                                               \
        goto *targets[op];                                                     \
    } while (0)
#define DISPATCH_FETCHED() goto *targets[op]
    /* [0 ... 255] then the hot ones: the overrides are the point */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#endif
    static const void *const targets[256] = {
        [0 ... 255] = &&do_switch,
#define PMI_OP_TARGET_(name) [OP_##name] = &&TARGET_##name,
        PMI_HOT_OPS(PMI_OP_TARGET_)
#undef PMI_OP_TARGET_
    };
#if defined(__clang__)
#pragma clang diagnostic pop
#else
#pragma GCC diagnostic pop
#endif
#else
#define TARGET(name) case OP_##name:
#define DISPATCH() continue
#define DISPATCH_FETCHED() goto do_switch
#endif

    f->is_entry = 1;
    LOAD_FRAME(f->yielded ? f->instr + 1 : f->instr);
    f->yielded = 0;
    if (throwflag) goto error_propagated;

    for (;;) {
        FETCH();
#if PMI_COMPUTED_GOTO
        goto *targets[op];
#endif
    do_switch:
        switch (op) {
        TARGET(RESUME)
            if (vmc && vmc->warmup < PMI_WARMUP) vmc->warmup++;
            if (oparg < 2)      /* function start, after a yield (3.11) */
                CHECK_INTERRUPT();
            DISPATCH();
        TARGET(NOP)
        TARGET(CACHE)
            DISPATCH();
        TARGET(EXTENDED_ARG) {
            uint16_t word;
            memcpy(&word, next, 2);
            f->instr = cur = next;
            op = word & 0xff;
            oparg = (oparg << 8) | (word >> 8);
            next += 1 + cache_units[op];
            DISPATCH_FETCHED();
        }
        TARGET(POP_TOP) {
            pm_object *v = POP();
            pm_decref(rt, v);
            DISPATCH();
        }
        case OP_PRINT_EXPR: {   /* 'single' mode (the REPL): sys.displayhook(value) */
            pm_object *v = POP();
            pm_object *hook = pmi_sys_get(rt, "displayhook");
            pm_object *r = hook ? pm_call_one(rt, hook, v) : NULL;
            if (!hook && !pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_RuntimeError, "lost sys.displayhook");
            pm_decref(rt, v);
            if (!r) goto error;
            pm_decref(rt, r);
            break;
        }
        TARGET(PUSH_NULL)
            PUSH(NULL);
            DISPATCH();
        TARGET(COPY) {
            pm_object *v = PEEK(oparg);
            PUSH(pm_newref(rt, v));
            DISPATCH();
        }
        TARGET(SWAP) {
            pm_object *t = TOP();
            TOP() = PEEK(oparg);
            PEEK(oparg) = t;
            DISPATCH();
        }
        TARGET(LOAD_CONST)
            PUSH(pm_newref(rt, consts[oparg]));
            DISPATCH();
        TARGET(LOAD_FAST) {
            pm_object *v = fast[oparg];
            if (!v) {
                unbound_error(rt, co, oparg);
                goto error;
            }
            PUSH(pm_newref(rt, v));
            DISPATCH();
        }
        TARGET(STORE_FAST) {
            pm_object *old = fast[oparg];
            fast[oparg] = POP();
            pm_xdecref(rt, old);
            DISPATCH();
        }
        case OP_DELETE_FAST: {
            pm_object *old = fast[oparg];
            if (!old) {
                unbound_error(rt, co, oparg);
                goto error;
            }
            fast[oparg] = NULL;
            pm_decref(rt, old);
            break;
        }
        case OP_STORE_NAME: {
            pm_object *v = POP();
            int rc = !f->locals ? -1
                   : pm_type_of(f->locals) == &pm_dict_type ? pm_dict_set(rt, f->locals, GETNAME(oparg), v)
                   : pm_setitem(rt, f->locals, GETNAME(oparg), v);
            if (!f->locals)
                pm_err_format(rt, PM_EXC_SystemError, "no locals found when storing '%s'",
                              name_text(rt, GETNAME(oparg)));
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_DELETE_NAME: {
            pm_object *name = GETNAME(oparg);
            if (!f->locals || pm_delitem(rt, f->locals, name) < 0) {
                pm_err_format(rt, PM_EXC_NameError, "name '%s' is not defined", name_text(rt, name));
                goto error;
            }
            break;
        }
        TARGET(LOAD_GLOBAL) {
            pmi_icache *e = ICACHE();
            if (e && e->kind == PMI_IC_GLOBAL && f->globals == e->owner &&
                pm_dict_view_version(f->globals) == e->ver1 &&
                (!e->owner2 || (f->builtins == e->owner2 && pm_dict_view_version(f->builtins) == e->ver2))) {
                if (oparg & 1) PUSH(NULL);
                PUSH(pm_newref(rt, e->value));
                DISPATCH();
            }
            goto load_name_generic;
        }
        case OP_LOAD_NAME:
        load_name_generic: {
            int idx = op == OP_LOAD_GLOBAL ? oparg >> 1 : oparg;
            pm_object *name = GETNAME(idx);
            pm_object *v = NULL;
            if (op == OP_LOAD_NAME && f->locals) v = mapping_get(rt, f->locals, name);
            if (!v && !pm_err_occurred(rt)) v = mapping_get(rt, f->globals, name);
            if (!v && !pm_err_occurred(rt)) v = mapping_get(rt, f->builtins, name);
            if (!v) {
                if (!pm_err_occurred(rt))
                    pm_err_format(rt, PM_EXC_NameError, "name '%s' is not defined", name_text(rt, name));
                goto error;
            }
            if (op == OP_LOAD_GLOBAL) {
                pmi_icache *e = ICACHE();
                if (e && pmi_icache_want_fill(e)) pmi_specialize_global(rt, e, f->globals, f->builtins, name, v);
                if (oparg & 1) PUSH(NULL);
            }
            PUSH(v);
            DISPATCH();
        }
        case OP_STORE_GLOBAL: {
            pm_object *v = POP();
            int rc = pm_dict_set(rt, f->globals, GETNAME(oparg), v);
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_DELETE_GLOBAL: {
            pm_object *name = GETNAME(oparg);
            if (pm_dict_del(rt, f->globals, name) < 0) {
                pm_err_format(rt, PM_EXC_NameError, "name '%s' is not defined", name_text(rt, name));
                goto error;
            }
            break;
        }
        TARGET(LOAD_ATTR) {
            pm_object *owner = TOP();
            pm_object *name = GETNAME(oparg);
            pmi_icache *e = ICACHE();
            pm_object *v, *cv;
            pm_ssize_t *index;
            int plain;
            if (e && pmi_icache_attr_hit(rt, e, PMI_IC_ATTR, pm_type_of(owner), &cv, &plain, &index) &&
                instance_get(rt, owner, name, &v, index)) {
                if (!v && plain) v = cv;
                if (v) {
                    TOP() = pm_newref(rt, v);
                    pm_decref(rt, owner);
                    DISPATCH();
                }
            }
            v = pm_getattr(rt, owner, name);
            if (!v) goto error;
            if (e && pmi_icache_want_fill(e)) pmi_specialize_attr(rt, e, owner, name, PMI_IC_ATTR);
            TOP() = v;
            pm_decref(rt, owner);
            DISPATCH();
        }
        TARGET(LOAD_METHOD) {
            /* [method, self] when the attribute is a method descriptor on
             * the type (no bound method made), else [NULL, attribute] */
            pm_object *owner = TOP();
            pm_object *name = GETNAME(oparg);
            const pm_type *tp = pm_type_of(owner);
            pmi_icache *e = ICACHE();
            pm_object *own, *meth;
            pm_ssize_t *index;
            int plain;
            if (e && pmi_icache_attr_hit(rt, e, PMI_IC_METHOD, tp, &meth, &plain, &index) &&
                instance_get(rt, owner, name, &own, index) && !own) {
                TOP() = pm_newref(rt, meth);
                PUSH(owner);
                DISPATCH();
            }
            if (e && pmi_icache_want_fill(e)) pmi_specialize_attr(rt, e, owner, name, PMI_IC_METHOD);
            if (!tp->getattr || tp->getattr == pm_object_generic_getattr) {
                pm_object *descr = pm_type_lookup(rt, tp, name);
                if (!descr && pm_err_occurred(rt)) goto error;
                if (descr && (pm_type_of(descr)->flags & PM_TPFLAGS_METHOD_DESCRIPTOR) &&
                    !pm_inst_may_shadow(rt, owner, name)) {
                    TOP() = pm_newref(rt, descr);
                    PUSH(owner);
                    break;
                }
            }
            pm_object *v = pm_getattr(rt, owner, name);
            if (!v) goto error;
            if (pm_method_check(v) && pm_method_self(v) == owner) {
                TOP() = pm_newref(rt, pm_method_function(v));
                PUSH(owner);
                pm_decref(rt, v);
                break;
            }
            TOP() = NULL;
            PUSH(v);
            pm_decref(rt, owner);
            break;
        }
        TARGET(STORE_ATTR) {
            pm_object *owner = POP();
            pm_object *v = POP();
            pm_object *name = GETNAME(oparg);
            pmi_icache *e = ICACHE();
            int rc, plain;
            pm_object *cv;
            pm_ssize_t ix, *index;
            int hit = e && pmi_icache_attr_hit(rt, e, PMI_IC_STORE, pm_type_of(owner), &cv, &plain, &index);
            pm_object **dp = hit ? pm_object_dict_ptr(rt, owner) : NULL;
            if (dp && *dp && pm_type_of(*dp) == &pm_dict_type) {
                rc = pm_dict_set(rt, *dp, name, v);
            } else if (dp && !*dp && (ix = pmi_icache_inst_index(rt, index, pm_type_of(owner), name)) >= 0 &&
                       pm_inst_store_at(rt, owner, ix, v)) {
                rc = 0;                 /* an inline value replaced or set */
            } else {
                rc = pm_setattr(rt, owner, name, v);
                if (rc == 0 && e && pmi_icache_want_fill(e)) pmi_specialize_attr(rt, e, owner, name, PMI_IC_STORE);
            }
            pm_decref(rt, owner);
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_DELETE_ATTR: {
            pm_object *owner = POP();
            int rc = pm_delattr(rt, owner, GETNAME(oparg));
            pm_decref(rt, owner);
            if (rc < 0) goto error;
            break;
        }
        case OP_IMPORT_NAME: {
            pm_object *fromlist = POP();
            pm_object *level = TOP();
            pm_object *m = pmi_import_name(rt, f, GETNAME(oparg), fromlist, level);
            pm_decref(rt, fromlist);
            if (!m) goto error;
            TOP() = m;
            pm_decref(rt, level);
            break;
        }
        case OP_IMPORT_FROM: {
            pm_object *v = pmi_import_from(rt, TOP(), GETNAME(oparg));
            if (!v) goto error;
            PUSH(v);
            break;
        }
        case OP_IMPORT_STAR: {
            pm_object *m = POP();
            int r = pmi_import_star(rt, f, m);
            pm_decref(rt, m);
            if (r < 0) goto error;
            break;
        }
        TARGET(KW_NAMES)
            kwnames = pm_tuple_get(rt, co->consts, oparg);
            break;
        TARGET(PRECALL) {
            /* a bound method in the callable slot unpacks to (func, self) */
            pm_object *callable = PEEK(oparg + 1);
            if (!PEEK(oparg + 2) && pm_method_check(callable) && pm_method_function(callable)) {
                PEEK(oparg + 2) = pm_newref(rt, pm_method_function(callable));
                PEEK(oparg + 1) = pm_newref(rt, pm_method_self(callable));
                pm_decref(rt, callable);
            }
            break;
        }
        TARGET(CALL) {
            /* stack: [meth_or_NULL, callable_or_self, args...] */
            int is_meth = PEEK(oparg + 2) != NULL;
            int total = oparg + is_meth;
            pm_object *callable = PEEK(total + 1);
            pm_object **args = sp - total;
            pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
            pmi_frame *nf; /* call_enter_frame: the frame pushed, or NULL */
            int rc;        /* ... and its arguments taken (0) or not (-1) */
            if (pmi_function_check(callable)) {
                /* inline: a new frame in this loop, the arguments move */
                pmi_function *fn = (pmi_function *)callable;
                pm_object *kw = kwnames;
                kwnames = NULL;
                sp -= oparg + 2;
                SAVE_SP();
                nf = pmi_frame_push(rt, fn->code, callable, fn->globals, fn->builtins, NULL);
                if (!nf) {
                    for (int i = 0; i < total; i++) pm_decref(rt, args[i]);
                    rc = -1;
                } else {
                    rc = frame_take_args(rt, nf, callable, args, total, nkw, kw);
                }
                goto call_enter_frame;
            }
            pm_object *r;
            if (!is_meth && !nkw && pm_type_of(callable) == &pm_type_type) {
                /* a class: with object's __new__ and a Python __init__
                 * (the entry's guards), the instance is made here and
                 * __init__ called with it in the class's stack slot (the
                 * NULL below is the vectorcall offset slot).  Keywords take
                 * the generic path: CPython's slot_tp_init copies the
                 * arguments then, which sys.getrefcount(self) shows. */
                pmi_icache *e = ICACHE();
                const pm_type *tp = (const pm_type *)(const void *)callable;
                pm_object *init = e ? pmi_icache_init_hit(rt, e, tp) : NULL;
                if (init && !(((pmi_code *)((pmi_function *)init)->code)->flags &
                              (PMI_CO_GENERATOR | PMI_CO_COROUTINE | PMI_CO_ITERABLE_COROUTINE |
                               PMI_CO_ASYNC_GENERATOR))) {
                    /* __init__'s frame pushed here, as a Python call's:
                     *   [NULL, cls, a1..an] -> [self] + frame [self, a1..an]
                     * The instance stays on this stack; RETURN_VALUE of
                     * the frame (is_init) checks __init__'s result and
                     * leaves it there.  A second recursion level stands
                     * for the C call 3.11 makes of the class. */
                    pmi_function *ifn = (pmi_function *)init;
                    pm_object *self = pm_object_type.new_object(rt, tp, NULL, NULL);
                    if (!self) goto error;
                    if (pm_enter_recursive_call(rt, " while calling a Python object") < 0) {
                        pm_decref(rt, self);
                        goto error;
                    }
                    pm_object **iargs = sp - oparg - 1;
                    iargs[-1] = pm_newref(rt, self);
                    iargs[0] = self;
                    sp = iargs;
                    SAVE_SP();
                    nf = pmi_frame_push(rt, ifn->code, init, ifn->globals, ifn->builtins, NULL);
                    if (!nf) {
                        for (int i = 0; i <= oparg; i++) pm_decref(rt, iargs[i]);
                        pm_leave_recursive_call(rt);
                        rc = -1;
                    } else {
                        nf->is_init = 1;
                        rc = frame_take_args(rt, nf, init, iargs, oparg + 1, 0, NULL);
                    }
                    goto call_enter_frame;
                }
                if (init) {
                    pm_object *self = pm_object_type.new_object(rt, tp, NULL, NULL);
                    if (self) {
                        sp[-oparg - 1] = self;
                        r = pm_call(rt, init, sp - oparg - 1, (size_t)(oparg + 1) | PM_VECTORCALL_ARGUMENTS_OFFSET,
                                    NULL);
                        sp[-oparg - 1] = callable;
                        if (r && r != PM_NONE) {
                            pm_err_format(rt, PM_EXC_TypeError, "__init__() should return None, not '%.200s'",
                                          pm_type_of(r)->name);
                            PM_CLEAR(rt, r);
                        }
                        if (r) {
                            pm_decref(rt, r);
                            r = self;
                        } else {
                            pm_decref(rt, self);
                        }
                    } else {
                        r = NULL;
                    }
                    goto call_done;
                }
                if (e && pmi_icache_want_fill(e)) pmi_specialize_call(rt, e, callable);
            }
            if (total == 0 && callable == pm_type_as_object(&pm_super_type)) {
                /* zero-argument super(): __class__ and the first argument
                 * of this frame (CPython's super_init reads the frame) */
                pm_object *stype, *sobj;
                r = pmi_super_args(rt, &stype, &sobj) < 0 ? NULL : pm_super_new(rt, stype, sobj);
            } else {
                /* 3.11's recursion accounting (core/call.c's essay): its
                 * specialized CALLs make str(x), tuple(x) and type(x) and
                 * call METH_FASTCALL built-ins counting no level; in cold
                 * code (before the PMI_WARMUP-th RESUME, when 3.11 runs
                 * the generic CALL) str(x) and those built-ins count one */
                int one = total == 1 && !nkw &&
                          (callable == pm_type_as_object(&pm_str_type) || callable == pm_type_as_object(&pm_tuple_type) ||
                           callable == pm_type_as_object(&pm_type_type));
                int extra = vmc && vmc->warmup < PMI_WARMUP &&
                            ((one && callable == pm_type_as_object(&pm_str_type)) || vm_call_specialized_uncounted(callable));
                if (extra && pm_enter_recursive_call(rt, " while calling a Python object") < 0) {
                    r = NULL;
                } else {
                    if (one)
                        r = pm_call_uncounted(rt, callable, args, 1 | PM_VECTORCALL_ARGUMENTS_OFFSET, NULL);
                    else
                        r = pm_call(rt, callable, args, (size_t)(total - nkw) | PM_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
                    if (extra) pm_leave_recursive_call(rt);
                }
            }
            goto call_done;
        call_enter_frame:
            /* both inline calls (a Python function, a class's __init__):
             * the callable's stack reference goes, the new frame runs in
             * this loop */
            pm_decref(rt, callable);
            if (rc < 0) {
                if (nf) pmi_frame_pop(rt, nf);
                goto error;
            }
            f = nf;
            LOAD_FRAME(f->instr);
            continue;
        call_done:
            kwnames = NULL;
            for (int i = 0; i < oparg + 2; i++) pm_xdecref(rt, sp[-1 - i]);
            sp -= oparg + 2;
            if (!r) goto error;
            PUSH(r);
            break;
        }
        case OP_CALL_FUNCTION_EX: {
            pm_object *kwargs = (oparg & 1) ? POP() : NULL;
            pm_object *callargs = POP();
            pm_object *func = TOP();
            pm_object *t = star_args(rt, func, callargs);
            pm_object *d = NULL, *r = NULL;
            if (t && kwargs) {
                if (pm_type_of(kwargs) == &pm_dict_type) {
                    d = pm_newref(rt, kwargs);
                } else if ((d = pm_dict_new(rt)) && merge_kwargs(rt, func, d, kwargs) < 0) {
                    PM_CLEAR(rt, d);
                }
            }
            if (t && (!kwargs || d)) {
                pm_ssize_t pos = 0;
                pm_object *k, *v;
                int ok = 1;
                while (d && ok && pm_dict_next(d, &pos, &k, &v)) ok = pm_str_check(k);
                if (!ok)
                    pm_err_set(rt, PM_EXC_TypeError, "keywords must be strings");
                else if (vm_call_specialized_uncounted(func)) {
                    /* f(*args) calls a built-in through its vectorcall,
                     * which counts a level in 3.11 (PyObject_Call) */
                    if (pm_enter_recursive_call(rt, " while calling a Python object") == 0) {
                        r = pm_call_object(rt, func, t, d && pm_dict_size(d) ? d : NULL);
                        pm_leave_recursive_call(rt);
                    }
                } else {
                    r = pm_call_object(rt, func, t, d && pm_dict_size(d) ? d : NULL);
                }
            }
            pm_xdecref(rt, t);
            pm_xdecref(rt, d);
            pm_xdecref(rt, kwargs);
            pm_decref(rt, callargs);
            pm_decref(rt, POP());
            pm_xdecref(rt, POP());
            if (!r) goto error;
            PUSH(r);
            break;
        }
        case OP_MAKE_FUNCTION: {
            pm_object *code = POP();
            pm_object *closure = (oparg & 8) ? POP() : NULL;
            pm_object *annotations = (oparg & 4) ? POP() : NULL;
            pm_object *kwdefaults = (oparg & 2) ? POP() : NULL;
            pm_object *defaults = (oparg & 1) ? POP() : NULL;
            pmi_function *fn = (pmi_function *)pmi_function_new(rt, code, f->globals);
            pm_decref(rt, code);
            if (!fn) {
                pm_xdecref(rt, closure);
                pm_xdecref(rt, annotations);
                pm_xdecref(rt, kwdefaults);
                pm_xdecref(rt, defaults);
                goto error;
            }
            fn->closure = closure;
            fn->annotations = annotations;
            fn->kwdefaults = kwdefaults;
            fn->defaults = defaults;
            PUSH((pm_object *)fn);
            break;
        }
        case OP_MAKE_CELL: {
            pm_object *old = fast[oparg];
            pm_object *cell = pmi_cell_new(rt, old);
            if (!cell) goto error;
            fast[oparg] = cell;
            pm_xdecref(rt, old);
            break;
        }
        case OP_COPY_FREE_VARS: {
            pm_object *closure = f->func ? ((pmi_function *)f->func)->closure : NULL;
            int offset = co->nlocalsplus - oparg;
            for (int i = 0; i < oparg; i++)
                fast[offset + i] = pm_newref(rt, pm_tuple_get(rt, closure, i));
            break;
        }
        case OP_LOAD_CLOSURE:
            PUSH(pm_newref(rt, fast[oparg]));
            break;
        case OP_LOAD_CLASSDEREF:
        TARGET(LOAD_DEREF) {
            pm_object *v = NULL;
            if (op == OP_LOAD_CLASSDEREF && f->locals) {
                v = mapping_get(rt, f->locals, pmi_code_slot_name(rt, f->code, oparg));
                if (!v && pm_err_occurred(rt)) goto error;
            }
            if (!v) {
                v = ((pmi_cell *)fast[oparg])->ref;
                if (!v) {
                    unbound_error(rt, co, oparg);
                    goto error;
                }
                pm_incref(rt, v);
            }
            PUSH(v);
            break;
        }
        TARGET(STORE_DEREF) {
            pmi_cell *cell = (pmi_cell *)fast[oparg];
            pm_object *old = cell->ref;
            cell->ref = POP();
            pm_xdecref(rt, old);
            break;
        }
        case OP_DELETE_DEREF: {
            pmi_cell *cell = (pmi_cell *)fast[oparg];
            pm_object *old = cell->ref;
            if (!old) {
                unbound_error(rt, co, oparg);
                goto error;
            }
            cell->ref = NULL;
            pm_decref(rt, old);
            break;
        }
        case OP_PUSH_EXC_INFO: {
            pm_object *value = TOP();
            pm_object *prev = in->exc_info->exc_value;
            TOP() = prev ? prev : PM_NONE;
            PUSH(pm_newref(rt, value));
            in->exc_info->exc_value = value;
            break;
        }
        case OP_POP_EXCEPT: {
            pm_object *old = in->exc_info->exc_value;
            in->exc_info->exc_value = POP();
            pm_xdecref(rt, old);
            break;
        }
        case OP_CHECK_EXC_MATCH: {
            pm_object *right = POP();
            pm_object *left = TOP();
            if (check_except_type(rt, right) < 0) {
                pm_decref(rt, right);
                goto error;
            }
            int m = pm_err_given_matches(left, right);
            pm_decref(rt, right);
            PUSH(pm_bool_from(m));
            break;
        }
        case OP_CHECK_EG_MATCH: {   /* [exc, type] -> [rest, match] or [exc, None] */
            pm_object *type = POP();
            pm_object *exc = TOP();
            pm_object *match, *rest;
            int rc = pmi_eg_match(rt, exc, type, &match, &rest);
            pm_decref(rt, type);
            if (rc < 0) goto error;
            if (match == PM_NONE) {
                pm_decref(rt, rest);
                PUSH(match);
                break;
            }
            TOP() = rest;
            PUSH(match);
            pm_object *old = in->exc_info->exc_value;
            in->exc_info->exc_value = pm_newref(rt, match);
            pm_xdecref(rt, old);
            pm_decref(rt, exc);
            break;
        }
        case OP_PREP_RERAISE_STAR: {   /* [orig, list] -> [what to raise or None] */
            pm_object *excs = POP();
            pm_object *orig = POP();
            pm_object *v = pmi_eg_prep_reraise_star(rt, orig, excs);
            pm_decref(rt, excs);
            pm_decref(rt, orig);
            if (!v) goto error;
            PUSH(v);
            break;
        }
        case OP_RERAISE: {
            pm_object *exc = POP();
            if (oparg) {
                long lasti = pm_int_as_long(rt, PEEK(oparg));
                if (lasti < 0 && pm_err_occurred(rt)) {
                    pm_decref(rt, exc);
                    goto error;
                }
                f->instr = first + lasti;
            }
            pm_err_restore(rt, exc);
            goto exception_unwind;
        }
        case OP_RAISE_VARARGS: {
            if (oparg == 0) {
                pm_object *exc = pmi_current_exception(rt);
                if (!exc) {
                    pm_err_set(rt, PM_EXC_RuntimeError, "No active exception to reraise");
                    goto error;
                }
                pm_err_restore(rt, pm_newref(rt, exc));
                goto exception_unwind;
            }
            pm_object *cause = oparg == 2 ? POP() : NULL;
            pm_object *exc = POP();
            do_raise(rt, exc, cause);
            pm_decref(rt, exc);
            pm_xdecref(rt, cause);
            goto error_propagated;
        }
        case OP_LOAD_ASSERTION_ERROR:
            PUSH(pm_type_as_object(&pm_exc_AssertionError));
            break;
        case OP_BEFORE_WITH: {
            /* [mgr] -> [mgr.__exit__, mgr.__enter__()] */
            pm_object *r = enter_context(rt, &TOP(), 0);
            if (!r) goto error;
            PUSH(r);
            break;
        }
        case OP_WITH_EXCEPT_START: {
            /* [exit, lasti, prev_exc, exc]: exit(type(exc), exc, tb) */
            pm_object *val = TOP();
            pm_object *exitf = PEEK(4);
            pm_object *tb = pm_exc_get_traceback(val);
            pm_object *argv[3] = {pm_type_as_object(pm_type_of(val)), val, tb ? tb : PM_NONE};
            pm_object *r = pm_call(rt, exitf, argv, 3, NULL);
            if (!r) goto error;
            PUSH(r);
            break;
        }
        case OP_RETURN_GENERATOR: {
            SAVE_SP();
            pm_object *gen = pmi_gen_from_frame(rt, f);
            if (!gen) goto error;
            if (f->is_entry) return gen;
            pmi_frame *prev = f->previous;
            pmi_frame_pop(rt, f);
            f = prev;
            LOAD_FRAME(after(f->instr));
            PUSH(gen);
            break;
        }
        TARGET(YIELD_VALUE) {
            res = POP();
            SAVE_SP();
            f->yielded = 1;
            return res;
        }
        case OP_GET_YIELD_FROM_ITER: {
            pm_object *v = TOP();
            if (pmi_coro_check(v)) {
                if (!(co->flags & (PMI_CO_COROUTINE | PMI_CO_ITERABLE_COROUTINE))) {
                    pm_err_set(rt, PM_EXC_TypeError,
                               "cannot 'yield from' a coroutine object in a non-coroutine generator");
                    goto error;
                }
            } else if (!pmi_gen_check(v)) {
                pm_object *it = pm_iter(rt, v);
                if (!it) goto error;
                TOP() = it;
                pm_decref(rt, v);
            }
            break;
        }
        case OP_SEND: {
            pm_object *v = POP();
            pm_object *receiver = TOP();
            pm_object *r = NULL;
            int st = pmi_iter_send(rt, receiver, v, &r);
            pm_decref(rt, v);
            if (st < 0) goto error;
            if (st == 1) {
                TOP() = r;
                pm_decref(rt, receiver);
                JUMPBY(oparg);
                break;
            }
            PUSH(r);
            break;
        }
        /* ---- await, async for, async with (coroobject.c) ---- */
        case OP_GET_AWAITABLE: {
            pm_object *v = TOP();
            pm_object *it = pmi_coro_get_awaitable(rt, v, oparg);
            if (!it) goto error;
            TOP() = it;
            pm_decref(rt, v);
            break;
        }
        case OP_GET_AITER: {
            pm_object *v = TOP();
            pm_object *it = pmi_coro_get_aiter(rt, v);
            if (!it) goto error;
            TOP() = it;
            pm_decref(rt, v);
            break;
        }
        case OP_GET_ANEXT: {
            pm_object *aw = pmi_coro_get_anext(rt, TOP());
            if (!aw) goto error;
            PUSH(aw);
            break;
        }
        case OP_END_ASYNC_FOR: {   /* [aiter, exc]: StopAsyncIteration ends the loop */
            pm_object *exc = POP();
            if (pm_err_given_matches(exc, pm_type_as_object(&pm_exc_StopAsyncIteration))) {
                pm_decref(rt, exc);
                pm_decref(rt, POP());
                break;
            }
            pm_err_restore(rt, exc);
            goto exception_unwind;
        }
        case OP_BEFORE_ASYNC_WITH: {
            /* [mgr] -> [mgr.__aexit__, mgr.__aenter__()] */
            pm_object *r = enter_context(rt, &TOP(), 1);
            if (!r) goto error;
            PUSH(r);
            break;
        }
        case OP_ASYNC_GEN_WRAP: {
            pm_object *w = pmi_asyncgen_wrap(rt, TOP());
            TOP() = NULL;
            if (!w) goto error;
            TOP() = w;
            break;
        }
        case OP_LOAD_BUILD_CLASS: {
            pm_object *key = pm_str_intern_cstr(rt, "__build_class__");
            pm_object *v = key ? mapping_get(rt, f->builtins, key) : NULL;
            pm_xdecref(rt, key);
            if (!v) {
                if (!pm_err_occurred(rt)) pm_err_set(rt, PM_EXC_NameError, "__build_class__ not found");
                goto error;
            }
            PUSH(v);
            break;
        }
        case OP_SETUP_ANNOTATIONS: {
            if (!f->locals) {
                pm_err_set(rt, PM_EXC_SystemError, "no locals found when setting up annotations");
                goto error;
            }
            pm_object *key = pm_str_intern_cstr(rt, "__annotations__");
            pm_object *v = key ? mapping_get(rt, f->locals, key) : NULL;
            int rc = key && !pm_err_occurred(rt) ? 0 : -1;
            if (rc == 0 && !v) {
                pm_object *d = pm_dict_new(rt);
                rc = d ? pm_setitem(rt, f->locals, key, d) : -1;
                pm_xdecref(rt, d);
            }
            pm_xdecref(rt, v);
            pm_xdecref(rt, key);
            if (rc < 0) goto error;
            break;
        }
        TARGET(BINARY_OP) {
            pm_object *rhs = POP();
            pm_object *lhs = TOP();
            pm_object *r;
            if (!binop_fast(rt, lhs, rhs, oparg, &r, next, fast)) r = pm_number_binop(rt, lhs, rhs, oparg);
            pm_decref(rt, rhs);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, lhs);
            DISPATCH();
        }
        TARGET(UNARY_NEGATIVE)
        case OP_UNARY_POSITIVE:
        case OP_UNARY_INVERT: {
            pm_object *v = TOP();
            pm_object *r = op == OP_UNARY_NEGATIVE ? pm_number_negative(rt, v)
                         : op == OP_UNARY_POSITIVE ? pm_number_positive(rt, v)
                         : pm_number_invert(rt, v);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, v);
            break;
        }
        TARGET(UNARY_NOT) {
            pm_object *v = TOP();
            int t = pm_is_true(rt, v);
            if (t < 0) goto error;
            TOP() = pm_bool_from(!t);
            pm_decref(rt, v);
            break;
        }
        TARGET(COMPARE_OP) {
            pm_object *rhs = TOP();
            pm_object *lhs = PEEK(2);
            int t;
            if (compare_fast(lhs, rhs, oparg, &t)) {
                /* 3.11's COMPARE_OP_*_JUMP: a conditional jump right after
                 * takes the truth without a bool on the stack */
                uint16_t w;
                memcpy(&w, next, 2);
                int nop = w & 0xff;
                sp -= 2;
                pm_decref(rt, lhs);
                pm_decref(rt, rhs);
                if (nop == OP_POP_JUMP_FORWARD_IF_FALSE || nop == OP_POP_JUMP_FORWARD_IF_TRUE ||
                    nop == OP_POP_JUMP_BACKWARD_IF_FALSE || nop == OP_POP_JUMP_BACKWARD_IF_TRUE) {
                    int want = nop == OP_POP_JUMP_FORWARD_IF_TRUE || nop == OP_POP_JUMP_BACKWARD_IF_TRUE;
                    int arg = w >> 8;
                    next += 1;
                    if (t == want) {
                        if (nop == OP_POP_JUMP_FORWARD_IF_FALSE || nop == OP_POP_JUMP_FORWARD_IF_TRUE) next += arg;
                        else {
                            next -= arg;
                            CHECK_INTERRUPT();
                        }
                    }
                    DISPATCH();
                }
                PUSH(pm_bool_from(t));
                DISPATCH();
            }
            (void)POP();
            pm_object *r = pm_richcompare(rt, lhs, rhs, oparg);
            pm_decref(rt, rhs);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, lhs);
            break;
        }
        TARGET(IS_OP) {
            pm_object *rhs = POP();
            pm_object *lhs = POP();
            int r = (lhs == rhs) ^ oparg;
            pm_decref(rt, lhs);
            pm_decref(rt, rhs);
            PUSH(pm_bool_from(r));
            break;
        }
        TARGET(CONTAINS_OP) {
            pm_object *container = POP();
            pm_object *item = POP();
            int r = pm_contains(rt, container, item);
            pm_decref(rt, container);
            pm_decref(rt, item);
            if (r < 0) goto error;
            PUSH(pm_bool_from(r ^ oparg));
            break;
        }
        TARGET(BINARY_SUBSCR) {
            pm_object *sub = POP();
            pm_object *container = TOP();
            const pm_type *ct = pm_type_of(container);
            pm_object *r = NULL;
            long i;
            /* 3.11's BINARY_SUBSCR_LIST_INT / _TUPLE_INT / _DICT */
            if ((ct == &pm_list_type || ct == &pm_tuple_type) && pm_type_of(sub) == &pm_int_type &&
                pm_int_view_small(sub, &i)) {
                pm_ssize_t n = pm_var_size(container);
                if (i < 0) i += (long)n;
                if (i >= 0 && i < (long)n)
                    r = pm_newref(rt, ct == &pm_list_type ? pm_list_items(container)[i]
                                                          : pm_tuple_items(container)[i]);
            } else if (ct == &pm_dict_type && pm_type_of(sub) == &pm_str_type) {
                r = pm_dict_get(rt, container, sub);
                if (r) pm_incref(rt, r);
            }
            if (r) {
                pm_decref(rt, sub);
                TOP() = r;
                pm_decref(rt, container);
                DISPATCH();
            }
            r = pm_getitem(rt, container, sub);
            pm_decref(rt, sub);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, container);
            break;
        }
        TARGET(STORE_SUBSCR) {
            pm_object *sub = POP();
            pm_object *container = POP();
            pm_object *v = POP();
            long i;
            int rc;
            if (pm_type_of(container) == &pm_list_type && pm_type_of(sub) == &pm_int_type &&
                pm_int_view_small(sub, &i) && i >= 0 && i < (long)pm_var_size(container)) {
                /* 3.11's STORE_SUBSCR_LIST_INT: the list's reference moves */
                pm_object **slot = &pm_list_items(container)[i];
                pm_object *old = *slot;
                *slot = v;
                pm_decref(rt, sub);
                pm_decref(rt, container);
                pm_decref(rt, old);
                DISPATCH();
            }
            rc = pm_setitem(rt, container, sub, v);
            pm_decref(rt, sub);
            pm_decref(rt, container);
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_DELETE_SUBSCR: {
            pm_object *sub = POP();
            pm_object *container = POP();
            int rc = pm_delitem(rt, container, sub);
            pm_decref(rt, sub);
            pm_decref(rt, container);
            if (rc < 0) goto error;
            break;
        }
        TARGET(BUILD_TUPLE)
        TARGET(BUILD_LIST) {
            pm_object *r = op == OP_BUILD_TUPLE ? pm_tuple_from_array(rt, sp - oparg, oparg)
                                                : pm_list_from_array(rt, sp - oparg, oparg);
            if (!r) goto error;
            for (int i = 0; i < oparg; i++) pm_decref(rt, POP());
            PUSH(r);
            break;
        }
        case OP_BUILD_SET: {
            pm_object *r = pm_set_new(rt, NULL);
            if (!r) goto error;
            int rc = 0;
            for (int i = oparg; i > 0 && rc == 0; i--) rc = pm_set_add(rt, r, PEEK(i));
            if (rc < 0) {
                pm_decref(rt, r);
                goto error;
            }
            for (int i = 0; i < oparg; i++) pm_decref(rt, POP());
            PUSH(r);
            break;
        }
        case OP_BUILD_MAP: {
            pm_object *r = pm_dict_new_presized(rt, oparg);
            if (!r) goto error;
            for (int i = oparg; i > 0; i--) {
                if (pm_dict_set(rt, r, PEEK(2 * i), PEEK(2 * i - 1)) < 0) {
                    pm_decref(rt, r);
                    goto error;
                }
            }
            for (int i = 0; i < 2 * oparg; i++) pm_decref(rt, POP());
            PUSH(r);
            break;
        }
        case OP_BUILD_CONST_KEY_MAP: {
            pm_object *keys = TOP();
            pm_object *r = pm_dict_new_presized(rt, oparg);
            if (!r) goto error;
            for (int i = 0; i < oparg; i++) {
                if (pm_dict_set(rt, r, pm_tuple_get(rt, keys, i), PEEK(oparg + 1 - i)) < 0) {
                    pm_decref(rt, r);
                    goto error;
                }
            }
            for (int i = 0; i < oparg + 1; i++) pm_decref(rt, POP());
            PUSH(r);
            break;
        }
        case OP_BUILD_STRING: {
            pm_object *empty = pm_str_from_utf8(rt, "", 0);
            if (!empty) goto error;
            pm_object *parts = pm_tuple_from_array(rt, sp - oparg, oparg);
            pm_object *r = parts ? pm_str_join(rt, empty, parts) : NULL;
            pm_decref(rt, empty);
            pm_xdecref(rt, parts);
            if (!r) goto error;
            for (int i = 0; i < oparg; i++) pm_decref(rt, POP());
            PUSH(r);
            break;
        }
        case OP_BUILD_SLICE: {
            pm_object *step = oparg == 3 ? POP() : NULL;
            pm_object *stop = POP();
            pm_object *start = TOP();
            pm_object *r = pm_slice_new(rt, start, stop, step);
            pm_xdecref(rt, step);
            pm_decref(rt, stop);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, start);
            break;
        }
        TARGET(LIST_APPEND)
        case OP_SET_ADD:
        case OP_LIST_EXTEND:
        case OP_SET_UPDATE:
        case OP_DICT_UPDATE: {
            pm_object *v = POP();
            pm_object *target = PEEK(oparg);
            int rc = op == OP_LIST_APPEND ? pm_list_append(rt, target, v)
                   : op == OP_SET_ADD ? pm_set_add(rt, target, v)
                   : op == OP_LIST_EXTEND ? pm_list_extend(rt, target, v)
                   : op == OP_SET_UPDATE ? pm_set_update(rt, target, v)
                   : pm_dict_update(rt, target, v);
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_DICT_MERGE: {
            pm_object *v = POP();
            int rc = merge_kwargs(rt, PEEK(2 + oparg), PEEK(oparg), v);
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_MAP_ADD: {
            pm_object *v = POP();
            pm_object *k = POP();
            int rc = pm_dict_set(rt, PEEK(oparg), k, v);
            pm_decref(rt, k);
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_LIST_TO_TUPLE: {
            pm_object *l = TOP();
            pm_object *r = pm_list_as_tuple(rt, l);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, l);
            break;
        }
        TARGET(UNPACK_SEQUENCE) {
            pm_object *seq = TOP();
            const pm_type *st = pm_type_of(seq);
            if ((st == &pm_tuple_type || st == &pm_list_type) && pm_var_size(seq) == oparg) {
                /* 3.11's UNPACK_SEQUENCE_TUPLE / _LIST / _TWO_TUPLE */
                pm_object **items = st == &pm_tuple_type ? pm_tuple_items(seq) : pm_list_items(seq);
                sp--;
                for (int i = oparg - 1; i >= 0; i--) PUSH(pm_newref(rt, items[i]));
                pm_decref(rt, seq);
                DISPATCH();
            }
            (void)POP();
            int rc = unpack(rt, seq, oparg, sp);
            pm_decref(rt, seq);
            if (rc < 0) goto error;
            sp += oparg;
            break;
        }
        case OP_UNPACK_EX: {
            int before = oparg & 0xff, after = oparg >> 8;
            pm_object *seq = POP();
            int rc = unpack_ex(rt, seq, before, after, sp);
            pm_decref(rt, seq);
            if (rc < 0) goto error;
            sp += before + 1 + after;
            break;
        }
        case OP_GET_LEN: {
            pm_ssize_t n = pm_length(rt, TOP());
            if (n < 0) goto error;
            pm_object *v = pm_int_from_long(rt, (long)n);
            if (!v) goto error;
            PUSH(v);
            break;
        }
        case OP_MATCH_MAPPING: {
            int m = (pm_type_of(TOP())->flags & PM_TPFLAGS_DICT_SUBCLASS) != 0;
            PUSH(pm_bool_from(m));
            break;
        }
        case OP_MATCH_SEQUENCE: {
            int m = match_is_sequence(TOP());
            PUSH(pm_bool_from(m));
            break;
        }
        case OP_MATCH_KEYS: {
            pm_object *v = match_keys(rt, PEEK(2), TOP());
            if (!v) goto error;
            PUSH(v);
            break;
        }
        case OP_MATCH_CLASS: {
            pm_object *names = POP();
            pm_object *type = POP();
            pm_object *subject = TOP();
            pm_object *attrs = match_class(rt, subject, type, oparg, names);
            pm_decref(rt, names);
            pm_decref(rt, type);
            if (!attrs && pm_err_occurred(rt)) goto error;
            TOP() = attrs ? attrs : PM_NONE;
            pm_decref(rt, subject);
            break;
        }
        TARGET(GET_ITER) {
            pm_object *v = TOP();
            pm_object *it = pm_iter(rt, v);
            if (!it) goto error;
            TOP() = it;
            pm_decref(rt, v);
            break;
        }
        TARGET(FOR_ITER) {
            pm_object *it = TOP();
            pm_object *v = pm_type_of(it)->iternext ? pm_type_of(it)->iternext(rt, it) : pm_iter_next(rt, it);
            if (v) {
                PUSH(v);
                DISPATCH();
            }
            if (pm_err_occurred(rt)) {
                if (!pm_err_matches(rt, PM_EXC_StopIteration)) goto error;
                pm_err_clear(rt);
            }
            pm_decref(rt, POP());
            JUMPBY(oparg);
            break;
        }
        TARGET(JUMP_FORWARD)
            JUMPBY(oparg);
            break;
        TARGET(JUMP_BACKWARD)
            if (vmc && vmc->warmup < PMI_WARMUP) vmc->warmup++;
            JUMPBY(-oparg);
            CHECK_INTERRUPT();
            break;
        case OP_JUMP_BACKWARD_NO_INTERRUPT:
            JUMPBY(-oparg);
            break;
        TARGET(POP_JUMP_FORWARD_IF_FALSE)
        TARGET(POP_JUMP_FORWARD_IF_TRUE)
        TARGET(POP_JUMP_BACKWARD_IF_FALSE)
        TARGET(POP_JUMP_BACKWARD_IF_TRUE) {
            pm_object *v = POP();
            int t;
            if (v == PM_TRUE) t = 1;
            else if (v == PM_FALSE || v == PM_NONE) t = 0;
            else {
                t = pm_is_true(rt, v);
                pm_decref(rt, v);
                if (t < 0) goto error;
            }
            int want = op == OP_POP_JUMP_FORWARD_IF_TRUE || op == OP_POP_JUMP_BACKWARD_IF_TRUE;
            if (t == want) {
                if (op == OP_POP_JUMP_FORWARD_IF_FALSE || op == OP_POP_JUMP_FORWARD_IF_TRUE) JUMPBY(oparg);
                else {
                    JUMPBY(-oparg);
                    CHECK_INTERRUPT();
                }
            }
            break;
        }
        TARGET(POP_JUMP_FORWARD_IF_NONE)
        TARGET(POP_JUMP_FORWARD_IF_NOT_NONE)
        case OP_POP_JUMP_BACKWARD_IF_NONE:
        case OP_POP_JUMP_BACKWARD_IF_NOT_NONE: {
            pm_object *v = POP();
            int isnone = v == PM_NONE;
            pm_decref(rt, v);
            int want = op == OP_POP_JUMP_FORWARD_IF_NONE || op == OP_POP_JUMP_BACKWARD_IF_NONE;
            if (isnone == want) {
                if (op == OP_POP_JUMP_FORWARD_IF_NONE || op == OP_POP_JUMP_FORWARD_IF_NOT_NONE) JUMPBY(oparg);
                else {
                    JUMPBY(-oparg);
                    CHECK_INTERRUPT();
                }
            }
            break;
        }
        case OP_JUMP_IF_FALSE_OR_POP:
        case OP_JUMP_IF_TRUE_OR_POP: {
            int t = pm_is_true(rt, TOP());
            if (t < 0) goto error;
            if (t == (op == OP_JUMP_IF_TRUE_OR_POP))
                JUMPBY(oparg);
            else
                pm_decref(rt, POP());
            break;
        }
        case OP_FORMAT_VALUE: {
            pm_object *spec = (oparg & 4) ? POP() : NULL;
            pm_object *v = TOP();
            pm_object *c = convert_value(rt, v, oparg & 3);
            pm_object *r = NULL;
            if (c) {
                if (!spec && pm_type_of(c) == &pm_str_type)
                    r = pm_newref(rt, c);
                else
                    r = spec ? pm_format(rt, c, spec) : pm_format_cstr(rt, c, "");
                pm_decref(rt, c);
            }
            pm_xdecref(rt, spec);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, v);
            break;
        }
        TARGET(RETURN_VALUE) {
            res = POP();
            SAVE_SP();
            if (f->is_entry) return res;
            pmi_frame *prev = f->previous;
            int is_init = f->is_init;
            pmi_frame_pop(rt, f);
            f = prev;
            LOAD_FRAME(after(f->instr));
            if (is_init) {
                /* the instance is on the stack already (CALL's class path) */
                if (res != PM_NONE) {
                    pm_err_format(rt, PM_EXC_TypeError, "__init__() should return None, not '%.200s'",
                                  pm_type_of(res)->name);
                    pm_decref(rt, res);
                    goto error;
                }
                pm_decref(rt, res);
                break;
            }
            PUSH(res);
            break;
        }
        default:
            pm_err_format(rt, PM_EXC_SystemError, "pymm: opcode %s not implemented yet",
                          pmi_opcode_name(op) ? pmi_opcode_name(op) : "?");
            goto error;
        }
        continue;
    error:
        chain_context(rt);
    error_propagated:
        pmi_traceback_here(rt, f);
    exception_unwind: {
        int target, depth, lasti;
        if (find_handler(co, (int)(cur - first), &target, &depth, &lasti)) {
            while (sp > base + depth) pm_xdecref(rt, POP());
            if (lasti) {
                pm_object *li = pm_int_from_long(rt, (long)(f->instr - first));
                if (!li) goto exception_unwind;
                PUSH(li);
            }
            PUSH(pm_err_fetch(rt));
            next = first + target;
            continue;
        }
        while (sp > base) pm_xdecref(rt, POP());
        f->stacktop = 0;
        if (f->is_entry) return NULL;
        pmi_frame *prev = f->previous;
        pmi_frame_pop(rt, f);
        f = prev;
        LOAD_FRAME(f->instr);
        goto error_propagated;
    }
    }
#undef PUSH
#undef POP
#undef TOP
#undef PEEK
#undef GETNAME
#undef JUMPBY
#undef CHECK_INTERRUPT
#undef LOAD_FRAME
#undef SAVE_SP
}
