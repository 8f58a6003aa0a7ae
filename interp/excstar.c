/*
 * interp/excstar.c — the two instructions of `except*` (PEP 654, 3.11).
 *
 * Purpose: the work behind CHECK_EG_MATCH and PREP_RERAISE_STAR, kept out
 * of the eval loop.  What 3.11 compiles for
 *
 *     try: body
 *     except* A: ha
 *     except* B: hb
 *
 * keeps [orig, raised-list, exc] on the stack while the clauses run:
 *
 *   exc ──CHECK_EG_MATCH(A)──> rest, match      (match None: clause skipped)
 *                                 │ handler runs with sys.exception() = match
 *                                 │ an exception leaving it is appended to
 *                                 v the list (LIST_APPEND), else None is
 *   rest ──CHECK_EG_MATCH(B)──> ...             (the last rest joins the list)
 *
 *   PREP_RERAISE_STAR(orig, list) -> what leaves the statement (None: nothing)
 *
 * Invariants and the CPython behaviour mirrored (3.11's ceval.c
 * exception_group_match and exceptions.c _PyExc_PrepReraiseStar):
 *   - a naked exception matched by except* is wrapped in
 *     BaseExceptionGroup("", [exc]) (which gives an ExceptionGroup when it
 *     is an Exception); a group is split with its own split() method;
 *   - an item of the list is a *re-raise* when it carries orig's metadata
 *     (the same __traceback__, __context__, __cause__ and __notes__ objects:
 *     a split part, or a bare `raise`); the re-raised leaves are projected
 *     back onto orig (orig's own nesting, through BaseExceptionGroup's
 *     subgroup with a predicate on leaf identity), and the raised ones are
 *     grouped with that projection in a new ExceptionGroup("", [...]) when
 *     there are two or more.
 * Nothing here is kept between calls: the leaf-id set lives in the
 * predicate function object for one subgroup() call.
 */
#include "genobject.h"

/* `except* X` names exception classes, none of them a group: 0 / -1. */
static int check_star_type(pm_runtime *rt, pm_object *right) {
    pm_ssize_t n = pm_tuple_check(right) ? pm_tuple_size(right) : 1;
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *t = pm_tuple_check(right) ? pm_tuple_get(rt, right, i) : right;
        if (!pm_type_check(t) || !pm_exc_type_check((const pm_type *)t)) {
            pm_err_set(rt, PM_EXC_TypeError,
                       "catching classes that do not inherit from BaseException is not allowed");
            return -1;
        }
    }
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *t = pm_tuple_check(right) ? pm_tuple_get(rt, right, i) : right;
        if (pm_type_is_subtype((const pm_type *)t, &pm_exc_BaseExceptionGroup)) {
            pm_err_set(rt, PM_EXC_TypeError,
                       "catching ExceptionGroup with except* is not allowed. Use except instead.");
            return -1;
        }
    }
    return 0;
}

static int is_group(const pm_object *o) { return pm_is_instance(o, &pm_exc_BaseExceptionGroup); }

/* BaseExceptionGroup(msg, excs) (excs borrowed): new ref or NULL. */
static pm_object *make_group(pm_runtime *rt, const char *msg, pm_object *excs) {
    pm_object *m = pm_str_from_cstr(rt, msg);
    if (!m) return NULL;
    pm_object *argv[2] = {m, excs};
    pm_object *g = pm_call(rt, pm_type_as_object(&pm_exc_BaseExceptionGroup), argv, 2, NULL);
    pm_decref(rt, m);
    return g;
}

int pmi_eg_match(pm_runtime *rt, pm_object *exc, pm_object *type, pm_object **match, pm_object **rest) {
    *match = *rest = NULL;
    if (check_star_type(rt, type) < 0) return -1;
    if (exc == PM_NONE) goto none;
    if (pm_err_given_matches(exc, type)) {
        if (is_group(exc)) {
            *match = pm_newref(rt, exc);
        } else {
            pm_object *excs = pm_tuple_pack(rt, 1, exc);
            if (!excs) return -1;
            *match = make_group(rt, "", excs);
            pm_decref(rt, excs);
            if (!*match) return -1;
        }
        *rest = pm_newref(rt, PM_NONE);
        return 0;
    }
    if (is_group(exc)) {
        pm_object *name = pm_str_intern_cstr(rt, "split");
        pm_object *pair = name ? pm_call_method(rt, exc, name, &type, 1) : NULL;
        pm_xdecref(rt, name);
        if (!pair) return -1;
        if (!pm_tuple_check(pair) || pm_tuple_size(pair) != 2) {
            pm_decref(rt, pair);
            pm_err_set(rt, PM_EXC_TypeError, "split must return a 2-tuple");
            return -1;
        }
        *match = pm_newref(rt, pm_tuple_get(rt, pair, 0));
        *rest = pm_newref(rt, pm_tuple_get(rt, pair, 1));
        pm_decref(rt, pair);
        return 0;
    }
none:
    *match = pm_newref(rt, PM_NONE);
    *rest = pm_newref(rt, PM_NONE);
    return 0;
}

/* id(o) as an int: new ref or NULL. */
static pm_object *id_of(pm_runtime *rt, pm_object *o) {
    return pm_int_from_ssize(rt, (pm_ssize_t)(uintptr_t)(void *)o);
}

/* Adds the identities of exc's leaves (exc itself when not a group) to
 * ids: 0 / -1. */
static int collect_leaf_ids(pm_runtime *rt, pm_object *exc, pm_object *ids) {
    if (exc == PM_NONE) return 0;
    if (!is_group(exc)) {
        pm_object *id = id_of(rt, exc);
        int r = id ? pm_set_add(rt, ids, id) : -1;
        pm_xdecref(rt, id);
        return r;
    }
    if (pm_enter_recursive_call(rt, NULL) < 0) return -1;
    pm_object *excs = pm_getattr_cstr(rt, exc, "exceptions");
    int r = excs && pm_tuple_check(excs) ? 0 : -1;
    if (excs && r < 0) pm_err_set(rt, PM_EXC_TypeError, "exceptions must be a tuple");
    for (pm_ssize_t i = 0; r == 0 && i < pm_tuple_size(excs); i++)
        r = collect_leaf_ids(rt, pm_tuple_get(rt, excs, i), ids);
    pm_xdecref(rt, excs);
    pm_leave_recursive_call(rt);
    return r;
}

/* The predicate of the projection: is e one of the kept leaves? (self is
 * the set of their ids.) */
static pm_object *leaf_kept(pm_runtime *rt, pm_object *self, pm_object *e) {
    pm_object *id = id_of(rt, e);
    if (!id) return NULL;
    int r = pm_set_contains(rt, self, id);
    pm_decref(rt, id);
    return r < 0 ? NULL : pm_bool_from(r);
}

static const pm_method_def leaf_kept_def = {"leaf_kept", (pm_cfunction)leaf_kept, PM_METH_O, NULL};

/* The part of orig whose leaves are those of keep's items (a list): new
 * ref (None when nothing is kept) or NULL. */
static pm_object *projection(pm_runtime *rt, pm_object *orig, pm_object *keep) {
    pm_object *ids = pm_set_new(rt, NULL), *pred = NULL, *sub = NULL, *r = NULL;
    if (!ids) return NULL;
    for (pm_ssize_t i = 0; i < pm_list_size(keep); i++)
        if (collect_leaf_ids(rt, pm_list_get(rt, keep, i), ids) < 0) goto done;
    pred = pm_cfunction_new(rt, &leaf_kept_def, ids);
    if (!pred) goto done;
    /* BaseExceptionGroup.subgroup itself: a subclass's override is not
     * called (CPython splits in C), its derive() is */
    sub = pm_getattr_cstr(rt, pm_type_as_object(&pm_exc_BaseExceptionGroup), "subgroup");
    if (!sub) goto done;
    pm_object *argv[2] = {orig, pred};
    r = pm_call(rt, sub, argv, 2, NULL);
done:
    pm_decref(rt, ids);
    pm_xdecref(rt, pred);
    pm_xdecref(rt, sub);
    return r;
}

/* The same __traceback__, __context__, __cause__ and __notes__ objects. */
static int same_metadata(pm_runtime *rt, pm_object *a, pm_object *b, int *same) {
    *same = pm_exc_get_traceback(a) == pm_exc_get_traceback(b) && pm_exc_get_context(a) == pm_exc_get_context(b) &&
            pm_exc_get_cause(a) == pm_exc_get_cause(b);
    if (!*same) return 0;
    pm_object *na = NULL, *nb = NULL;
    pm_object *key = pm_str_intern_cstr(rt, "__notes__");
    if (!key) return -1;
    int ra = pm_getattr_opt(rt, a, key, &na);
    int rb = ra < 0 ? -1 : pm_getattr_opt(rt, b, key, &nb);
    pm_decref(rt, key);
    *same = na == nb;
    pm_xdecref(rt, na);
    pm_xdecref(rt, nb);
    return ra < 0 || rb < 0 ? -1 : 0;
}

pm_object *pmi_eg_prep_reraise_star(pm_runtime *rt, pm_object *orig, pm_object *excs) {
    pm_ssize_t n = pm_list_size(excs);
    if (n == 0) return pm_newref(rt, PM_NONE);
    if (!is_group(orig)) {
        /* a naked exception was caught: one clause at most ran */
        return pm_newref(rt, pm_list_get(rt, excs, 0));
    }
    pm_object *raised = pm_list_new(rt), *reraised = pm_list_new(rt), *proj = NULL, *r = NULL;
    if (!raised || !reraised) goto done;
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *e = pm_list_get(rt, excs, i);
        if (e == PM_NONE) continue;
        int same;
        if (same_metadata(rt, e, orig, &same) < 0) goto done;
        if (pm_list_append(rt, same ? reraised : raised, e) < 0) goto done;
    }
    proj = projection(rt, orig, reraised);
    if (!proj) goto done;
    if (pm_list_size(raised) == 0) {
        r = pm_newref(rt, proj);
        goto done;
    }
    if (proj != PM_NONE && pm_list_append(rt, raised, proj) < 0) goto done;
    if (pm_list_size(raised) > 1) {
        r = make_group(rt, "", raised);
    } else {
        r = pm_newref(rt, pm_list_get(rt, raised, 0));
    }
done:
    pm_xdecref(rt, raised);
    pm_xdecref(rt, reraised);
    pm_xdecref(rt, proj);
    return r;
}
