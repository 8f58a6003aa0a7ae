/*
 * call.c — calling objects: the vectorcall convention, calls from a tuple
 * and a dict, and method calls that skip the bound method.  CPython's
 * Objects/call.c.
 *
 * Purpose
 *   A type has one call slot, `call`, with PEP 590's vectorcall signature
 *   (pymm.h: pm_vectorcallfunc).  Every way of calling reduces to it:
 *
 *     pm_call(f, args, nargsf, kwnames) ──────────────► f->ob_type->call
 *     pm_call_object(f, (a, b), {'k': v}) ─ flatten ──► [a, b, v] + ('k',)
 *     pm_call_method(obj, "name", args, n)
 *        type(obj)'s attribute (method cache, core/lookup.h) has
 *        PM_TPFLAGS_METHOD_DESCRIPTOR and obj's inline values or __dict__
 *        do not shadow it ──► descr(obj, *args), [self, args...] on the C
 *        stack (no bound method, no tuple)
 *        anything else ──► getattr(obj, name)(*args)
 *
 * Invariants
 *   - Arguments are borrowed; results are new references.  A slot that
 *     returns NULL must have set an error, and one that returns a result
 *     must not leave one pending: a broken slot is reported as SystemError,
 *     as CPython's _Py_CheckFunctionResult does.
 *   - A call counts one level against the recursion guard
 *     (" while calling a Python object", CPython's text), so runaway
 *     recursion through C slots ends in RecursionError, except where
 *     CPython 3.11 counts none: callables whose type is flagged
 *     PM_TPFLAGS_CALL_UNCOUNTED count for themselves (a Python function
 *     by its frame, a bound method by the call of its function, a C
 *     function unless it takes METH_FASTCALL), and types flagged
 *     PM_TPFLAGS_NEW_UNCOUNTED are called uncounted (CPython's types with
 *     a vectorcall).  So a recursion through map(), a property or
 *     __getattr__ ends at CPython's depth.
 *   - PM_VECTORCALL_ARGUMENTS_OFFSET: when the caller sets it, args[-1] is
 *     writable scratch; pm_call_method uses it to put self in front of
 *     the arguments without copying them, and restores it.
 *
 * CPython behaviour mirrored: "'int' object is not callable", the
 * method-descriptor shortcut of _PyObject_GetMethod (data descriptors on
 * the type win over the instance dict, which wins over methods), the
 * stack buffer of small calls (_PY_FASTCALL_SMALL_STACK, 5 arguments).
 */
#include "core/object.h"
#include "core/recursion.h"
#include "core/lookup.h"
#include "objects/instattr.h"
#include "objects/descr.h"

/* Arguments kept on the C stack by the calls that build a vector. */
#define SMALL_STACK 5

int pm_callable(const pm_object *o) { return o->ob_type->call != NULL; }

/* _Py_CheckFunctionResult: a NULL result has an error, a result has none. */
static pm_object *check_result(pm_runtime *rt, pm_object *callable, pm_object *r) {
    if (!r) {
        if (!pm_err_occurred(rt))
            pm_err_format(rt, PM_EXC_SystemError, "<%s object> returned NULL without setting an exception",
                          callable->ob_type->name);
        return NULL;
    }
    if (pm_err_occurred(rt)) {
        pm_decref(rt, r);
        pm_err_format(rt, PM_EXC_SystemError, "<%s object> returned a result with an exception set",
                      callable->ob_type->name);
        return NULL;
    }
    return r;
}

/* 1 when calling callable counts no level here (the file's essay). */
static inline int call_uncounted(const pm_object *callable) {
    unsigned long flags = callable->ob_type->flags;
    return (flags & PM_TPFLAGS_CALL_UNCOUNTED) ||
           ((flags & PM_TPFLAGS_TYPE_SUBCLASS) && (((const pm_type *)(const void *)callable)->flags & PM_TPFLAGS_NEW_UNCOUNTED));
}

/* pm_call's body (may_count 1) and pm_call_uncounted's (0), inlined into
 * this file's method calls (pm_call itself is exported, so the compiler may
 * not inline it here); may_count is a constant at every call. */
static inline pm_object *call_vector_ex(pm_runtime *rt, pm_object *callable, pm_object *const *args,
                                        size_t nargsf, pm_object *kwnames, int may_count) {
    pm_vectorcallfunc f = callable->ob_type->call;
    if (!f) return pmi_err_type(rt, "'%.200s' object is not callable", callable);
    pm_object *r;
    if (!may_count || call_uncounted(callable)) {
        r = f(rt, callable, args, nargsf, kwnames);
    } else {
        if (pmi_recursion_enter(rt, " while calling a Python object") < 0) return NULL;
        r = f(rt, callable, args, nargsf, kwnames);
        pmi_recursion_leave(rt);
    }
    /* _Py_CheckFunctionResult's test, the error state read only when a
     * result came back (a NULL result's error is checked out of line) */
    if (r && rt->err.kind == PM_EXC_NONE) return r;
    return check_result(rt, callable, r);
}

static inline pm_object *call_vector(pm_runtime *rt, pm_object *callable, pm_object *const *args,
                                     size_t nargsf, pm_object *kwnames) {
    return call_vector_ex(rt, callable, args, nargsf, kwnames, 1);
}

pm_object *pm_call(pm_runtime *rt, pm_object *callable, pm_object *const *args, size_t nargsf,
                   pm_object *kwnames) {
    return call_vector(rt, callable, args, nargsf, kwnames);
}

pm_object *pm_call_uncounted(pm_runtime *rt, pm_object *callable, pm_object *const *args, size_t nargsf,
                             pm_object *kwnames) {
    return call_vector_ex(rt, callable, args, nargsf, kwnames, 0);
}

pm_object *pm_call_noargs(pm_runtime *rt, pm_object *callable) {
    return pm_call(rt, callable, NULL, 0, NULL);
}

pm_object *pm_call_one(pm_runtime *rt, pm_object *callable, pm_object *arg) {
    pm_object *stack[2] = {NULL, arg};
    return pm_call(rt, callable, stack + 1, 1 | PM_VECTORCALL_ARGUMENTS_OFFSET, NULL);
}

pm_object *pm_call_object(pm_runtime *rt, pm_object *callable, pm_object *args, pm_object *kwargs) {
    if (args && !pm_tuple_check(args)) return pmi_err_badarg(rt, "pm_call_object");
    if (kwargs && !pm_dict_check(kwargs)) return pmi_err_badarg(rt, "pm_call_object");
    if (!callable->ob_type->call) return pmi_err_type(rt, "'%.200s' object is not callable", callable);
    pm_ssize_t nargs = args ? pm_tuple_size(args) : 0;
    pm_ssize_t nkw = kwargs ? pm_dict_size(kwargs) : 0;
    /* one block: [scratch][positional][keyword values][keyword names] */
    pm_object *small[SMALL_STACK + 1], **stack = small, *kwnames = NULL, *r = NULL;
    if (nargs + 2 * nkw > SMALL_STACK) {
        if ((size_t)(nargs + 2 * nkw) > SIZE_MAX / sizeof(pm_object *) - 1) return pm_err_nomem(rt);
        stack = pm_malloc(rt, (size_t)(nargs + 2 * nkw + 1) * sizeof *stack);
        if (!stack) return pm_err_nomem(rt);
    }
    for (pm_ssize_t i = 0; i < nargs; i++) stack[1 + i] = pm_tuple_get(rt, args, i);
    if (nkw) {
        pm_object **names = stack + 1 + nargs + nkw;
        pm_ssize_t pos = 0, i = 0;
        pm_object *k, *v;
        while (pm_dict_next(kwargs, &pos, &k, &v)) {
            if (!pm_str_check(k)) {
                pm_err_set(rt, PM_EXC_TypeError, "keywords must be strings");
                goto done;
            }
            names[i] = k;
            stack[1 + nargs + i] = v;
            i++;
        }
        kwnames = pm_tuple_from_array(rt, names, nkw);
        if (!kwnames) goto done;
    }
    /* the dict's values are borrowed from it, kept alive by the caller's ref
     * to kwargs for the length of the call */
    r = pm_call(rt, callable, stack + 1, (size_t)nargs | PM_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
done:
    pm_xdecref(rt, kwnames);
    if (stack != small) pm_free(rt, stack);
    return r;
}

/* _PyObject_GetMethod: *method a new ref; 1 when it is an unbound method
 * descriptor to be called with obj as first argument, 0 when it is the
 * attribute's value itself; -1 + error.
 *
 *   type(obj) has its own __getattribute__ / __getattr__, or name is not
 *   an exact str                                  → getattr(obj, name)
 *   the class's attribute (method cache) is a method descriptor and obj's
 *   inline values / __dict__ have no such name   → the descriptor, 1
 *   anything else (data descriptors, other descriptors, plain class
 *   attributes, instance attributes, none)      → getattr(obj, name)
 * The last line is pm_object_generic_getattr's own order, so a method
 * call sees what obj.name would. */
static inline __attribute__((always_inline)) int get_method(pm_runtime *rt, pm_object *obj, pm_object *name,
                                                          pm_object **method) {
    const pm_type *tp = obj->ob_type;
    pm_object *descr;
    *method = NULL;
    if (tp->getattr || name->ob_type != &pm_str_type) goto generic;
    if (pmi_type_lookup_ref(rt, tp, name, &descr) < 0) return -1;
    if (!descr || !(descr->ob_type->flags & PM_TPFLAGS_METHOD_DESCRIPTOR)) goto generic;
    pmi_dict_values *vs = pmi_inst_values(obj);
    if (vs) {
        /* an instance attribute of that name shadows the method */
        pm_ssize_t ix = pmi_shared_keys_index(rt, vs->keys, name);
        if (ix >= 0 && vs->values[ix]) goto generic;
        *method = pm_newref(rt, descr);
        return 1;
    }
    pm_object **dictptr = pm_object_dict_ptr(rt, obj);
    if (dictptr && *dictptr) {
        /* held, both: a key's __eq__ may replace the dict or the class's
         * attribute */
        pm_object *dict = pm_newref(rt, *dictptr);
        pm_incref(rt, descr);
        pm_object *attr = pm_dict_get(rt, dict, name);
        if (attr) pm_incref(rt, attr);
        pm_decref(rt, dict);
        if (attr || pm_err_occurred(rt)) {
            pm_decref(rt, descr);
            *method = attr;
            return attr ? 0 : -1;
        }
        *method = descr;
        return 1;
    }
    *method = pm_newref(rt, descr);
    return 1;
generic:
    *method = pm_getattr(rt, obj, name);
    return *method ? 0 : -1;
}

pm_object *pm_vectorcall_method(pm_runtime *rt, pm_object *name, pm_object *const *args,
                                size_t nargsf, pm_object *kwnames) {
    pm_ssize_t nargs = pm_vectorcall_nargs(nargsf);
    if (nargs < 1) return pmi_err_badarg(rt, "pm_vectorcall_method");
    pm_object *method, *r;
    int unbound = get_method(rt, args[0], name, &method);
    if (unbound < 0) return NULL;
    if (unbound) {
        r = call_vector(rt, method, args, nargsf & ~PM_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
    } else {
        /* drop self: args + 1 may use args[0] as scratch */
        r = call_vector(rt, method, args + 1, (size_t)(nargs - 1) | PM_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
    }
    pm_decref(rt, method);
    return r;
}

/* pm_call_method with more arguments than the stack buffer holds: the
 * vector [scratch, self, args...] from the allocator.  Consumes method. */
__attribute__((noinline)) static pm_object *call_unbound_long(pm_runtime *rt, pm_object *method, pm_object *obj,
                                                              pm_object *const *args, pm_ssize_t nargs) {
    pm_object **stack = NULL, *r = NULL;
    if ((size_t)nargs > SIZE_MAX / sizeof(pm_object *) - 2 ||
        !(stack = pm_malloc(rt, (size_t)(nargs + 2) * sizeof *stack))) {
        r = pm_err_nomem(rt);
        goto done;
    }
    stack[1] = obj;
    for (pm_ssize_t i = 0; i < nargs; i++) stack[2 + i] = args[i];
    r = call_vector(rt, method, stack + 1, (size_t)(nargs + 1) | PM_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    pm_free(rt, stack);
done:
    pm_decref(rt, method);
    return r;
}

/* 3.11's LOAD_METHOD + CALL from C: an unbound method (a C method
 * descriptor, or a Python function under the interpreter) is called with
 * self put in front of the arguments on the C stack, no bound method made;
 * anything else is called with the arguments as they are. */
pm_object *pm_call_method(pm_runtime *rt, pm_object *obj, pm_object *name, pm_object *const *args,
                          pm_ssize_t nargs) {
    if (nargs < 0 || (nargs && !args)) return pmi_err_badarg(rt, "pm_call_method");
    pm_object *method, *r;
    int unbound = get_method(rt, obj, name, &method);
    if (unbound < 0) return NULL;
    if (!unbound) {
        /* no scratch slot before the caller's arguments is ours */
        r = call_vector(rt, method, args, (size_t)nargs, NULL);
    } else if (method->ob_type == &pmi_method_descr_type) {
        /* a C method: self and the arguments go straight to the C
         * function, no vector built (CPython's method_vectorcall_NOARGS /
         * _O / _FASTCALL, reached here without the vectorcall layer) */
        if (pmi_recursion_enter(rt, " while calling a Python object") < 0) {
            r = NULL;
        } else {
            r = pmi_descr_call_self(rt, method, obj, args, nargs);
            pmi_recursion_leave(rt);
            if (!r || rt->err.kind != PM_EXC_NONE) r = check_result(rt, method, r);
        }
    } else if (nargs + 2 <= SMALL_STACK + 1) {
        /* stack[0]: scratch; stack[1]: self; then the arguments */
        pm_object *stack[SMALL_STACK + 1];
        stack[1] = obj;
        for (pm_ssize_t i = 0; i < nargs; i++) stack[2 + i] = args[i];
        r = call_vector(rt, method, stack + 1, (size_t)(nargs + 1) | PM_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    } else {
        return call_unbound_long(rt, method, obj, args, nargs);
    }
    pm_decref(rt, method);
    return r;
}
