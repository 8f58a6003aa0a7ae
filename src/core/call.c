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
 *        descriptor on type(obj) with PM_TPFLAGS_METHOD_DESCRIPTOR and not
 *        shadowed by obj's __dict__ ──► descr(obj, *args)  (no bound method)
 *        anything else ──► getattr(obj, name)(*args)
 *
 * Invariants
 *   - Arguments are borrowed; results are new references.  A slot that
 *     returns NULL must have set an error, and one that returns a result
 *     must not leave one pending: a broken slot is reported as SystemError,
 *     as CPython's _Py_CheckFunctionResult does.
 *   - Each call counts one level against the recursion guard
 *     (" while calling a Python object", CPython's text), so runaway
 *     recursion through C slots ends in RecursionError.
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

pm_object *pm_call(pm_runtime *rt, pm_object *callable, pm_object *const *args, size_t nargsf,
                   pm_object *kwnames) {
    pm_vectorcallfunc f = callable->ob_type->call;
    if (!f) return pmi_err_type(rt, "'%.200s' object is not callable", callable);
    if (pmi_recursion_enter(rt, " while calling a Python object") < 0) return NULL;
    pm_object *r = f(rt, callable, args, nargsf, kwnames);
    pmi_recursion_leave(rt);
    return check_result(rt, callable, r);
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
 * attribute's value itself; -1 + error. */
static int get_method(pm_runtime *rt, pm_object *obj, pm_object *name, pm_object **method) {
    const pm_type *tp = obj->ob_type;
    *method = NULL;
    if (tp->getattr || !pm_str_check(name)) {
        *method = pm_getattr(rt, obj, name);
        return *method ? 0 : -1;
    }
    pm_object *descr = pm_type_lookup(rt, tp, name);
    pm_descrgetfunc f = NULL;
    int meth_found = 0;
    if (!descr && pm_err_occurred(rt)) return -1;
    if (descr) {
        pm_incref(rt, descr);
        if (descr->ob_type->flags & PM_TPFLAGS_METHOD_DESCRIPTOR) {
            meth_found = 1;
        } else {
            f = descr->ob_type->descr_get;
            if (f && descr->ob_type->descr_set) {
                *method = f(rt, descr, obj, pm_type_as_object(tp));
                pm_decref(rt, descr);
                return *method ? 0 : -1;
            }
        }
    }
    pm_object **dictptr = pm_object_dict_ptr(rt, obj);
    if (dictptr && *dictptr) {
        pm_object *attr = pm_dict_get(rt, *dictptr, name);
        if (attr) {
            *method = pm_newref(rt, attr);
            pm_xdecref(rt, descr);
            return 0;
        }
        if (pm_err_occurred(rt)) {
            pm_xdecref(rt, descr);
            return -1;
        }
    }
    if (meth_found) {
        *method = descr;
        return 1;
    }
    if (f) {
        *method = f(rt, descr, obj, pm_type_as_object(tp));
        pm_decref(rt, descr);
        return *method ? 0 : -1;
    }
    if (descr) {
        *method = descr;
        return 0;
    }
    const char *n = pm_str_as_utf8(rt, name, NULL);
    if (n)
        pm_err_format(rt, PM_EXC_AttributeError, "'%.100s' object has no attribute '%s'",
                      tp->name, n);
    return -1;
}

pm_object *pm_vectorcall_method(pm_runtime *rt, pm_object *name, pm_object *const *args,
                                size_t nargsf, pm_object *kwnames) {
    pm_ssize_t nargs = pm_vectorcall_nargs(nargsf);
    if (nargs < 1) return pmi_err_badarg(rt, "pm_vectorcall_method");
    pm_object *method, *r;
    int unbound = get_method(rt, args[0], name, &method);
    if (unbound < 0) return NULL;
    if (unbound) {
        r = pm_call(rt, method, args, nargsf & ~PM_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
    } else {
        /* drop self: args + 1 may use args[0] as scratch */
        r = pm_call(rt, method, args + 1, (size_t)(nargs - 1) | PM_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
    }
    pm_decref(rt, method);
    return r;
}

pm_object *pm_call_method(pm_runtime *rt, pm_object *obj, pm_object *name, pm_object *const *args,
                          pm_ssize_t nargs) {
    if (nargs < 0 || (nargs && !args)) return pmi_err_badarg(rt, "pm_call_method");
    pm_object *small[SMALL_STACK + 1], **stack = small, *r;
    if (nargs + 2 > SMALL_STACK + 1) {
        if ((size_t)nargs > SIZE_MAX / sizeof(pm_object *) - 2) return pm_err_nomem(rt);
        stack = pm_malloc(rt, (size_t)(nargs + 2) * sizeof *stack);
        if (!stack) return pm_err_nomem(rt);
    }
    /* stack[0]: scratch; stack[1]: self; then the arguments */
    stack[1] = obj;
    for (pm_ssize_t i = 0; i < nargs; i++) stack[2 + i] = args[i];
    r = pm_vectorcall_method(rt, name, stack + 1, (size_t)(nargs + 1) | PM_VECTORCALL_ARGUMENTS_OFFSET,
                             NULL);
    if (stack != small) pm_free(rt, stack);
    return r;
}
