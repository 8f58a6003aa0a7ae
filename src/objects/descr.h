/*
 * descr.h — internal interface of the descriptor and built-in function
 * objects (objects/descrobject.c, objects/methodobject.c) and of the
 * argument checks shared by every built-in method (core/getargs.c).
 *
 * A static type's pm_method_def / pm_member_def / pm_getset_def tables
 * become, per runtime, the descriptor objects in its __dict__
 * (pmi_descr_fill_dict, called by core/type.c when the dict is made).
 */
#ifndef PYMM_DESCR_H
#define PYMM_DESCR_H

#include "core/object.h"
#include "core/recursion.h"

/* ---- objects/descrobject.c ------------------------------------------------ */

/* The descriptor types (CPython's names as __name__ shows them). */
extern const pm_type pmi_method_descr_type;      /* "method_descriptor" */
extern const pm_type pmi_classmethod_descr_type; /* "classmethod_descriptor" */
extern const pm_type pmi_member_descr_type;      /* "member_descriptor" */
extern const pm_type pmi_getset_descr_type;      /* "getset_descriptor" */

/* A method descriptor d (of type pmi_method_descr_type exactly) called as
 * d(self, *args) with no keywords, self and args on the caller's stack:
 * self's class checked against d's (an exact match first), then the C
 * function called directly for METH_NOARGS with 0 arguments, METH_O with
 * 1 and the FASTCALL kinds; anything else (and wrong counts, for their
 * messages) through pmi_cfunc_invoke.  The caller does the recursion
 * guard and the result check (pm_call's).  New ref, or NULL + error. */
pm_object *pmi_descr_call_self(pm_runtime *rt, pm_object *d, pm_object *self, pm_object *const *args,
                               pm_ssize_t nargs);

/* Put one descriptor per entry of t's methods, members and getset tables
 * into dict (PM_METH_CLASS entries: classmethod descriptors; PM_METH_STATIC:
 * built-in functions with no self).  0 / -1 (MemoryError); on failure the
 * entries stored so far stay in dict (the caller drops the dict). */
int pmi_descr_fill_dict(pm_runtime *rt, const pm_type *t, pm_object *dict);

/* ---- objects/methodobject.c ---------------------------------------------- */

/* "builtin_function_or_method" */
extern const pm_type pmi_cfunction_type;

/* (pm_cfunction_new, the public constructor, is in pymm.h.) */

/* The entry a built-in function f (pmi_cfunction_type) calls. */
const pm_method_def *pmi_cfunction_def(const pm_object *f);

/* Call the C function of ml for self (NULL for a static/module function)
 * with the vectorcall arguments, checking the counts its convention
 * allows; `owner` names it in errors ("list.append() takes exactly one
 * argument (0 given)"): a type name, or NULL for a plain function.  New
 * ref. */
pm_object *pmi_cfunc_invoke(pm_runtime *rt, const pm_method_def *ml, const char *owner,
                            pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames);

/* pmi_cfunc_invoke with the recursion level CPython 3.11's CALL counts for
 * it: one, unless ml takes PM_METH_FASTCALL (its specialized CALLs make
 * those calls uncounted).  The call slots of built-in functions and method
 * descriptors (PM_TPFLAGS_CALL_UNCOUNTED) go through here. */
static inline pm_object *pmi_cfunc_invoke_counted(pm_runtime *rt, const pm_method_def *ml, const char *owner,
                                                  pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                                                  pm_object *kwnames) {
    if (ml->flags & PM_METH_FASTCALL) return pmi_cfunc_invoke(rt, ml, owner, self, args, nargs, kwnames);
    if (pmi_recursion_enter(rt, " while calling a Python object") < 0) return NULL;
    pm_object *r = pmi_cfunc_invoke(rt, ml, owner, self, args, nargs, kwnames);
    pmi_recursion_leave(rt);
    return r;
}

/* ---- objects/strmethods.c ------------------------------------------------- */

/* str's method table (str.c's type definition points at it). */
extern const pm_method_def pmi_str_methods[];

/* ---- objects/nummethods.c ------------------------------------------------- */

/* int's and float's tables (int.c / float.c point at them). */
extern const pm_method_def pmi_int_methods[];
extern const pm_getset_def pmi_int_getset[];
extern const pm_method_def pmi_float_methods[];
extern const pm_getset_def pmi_float_getset[];

/* ---- objects/setmethods.c ------------------------------------------------- */

/* set's and frozenset's method tables (set.c points at them). */
extern const pm_method_def pmi_set_methods[];
extern const pm_method_def pmi_frozenset_methods[];

/* ---- objects/bytesmethods.c ---------------------------------------------- */

/* bytes' and bytearray's method tables (bytes.c / bytearray.c point at
 * them), and bytearray's ba[slice] = v / del ba[slice] (v NULL): 0 / -1. */
extern const pm_method_def pmi_bytes_methods[];
extern const pm_method_def pmi_bytearray_methods[];
int pmi_bytearray_ass_slice(pm_runtime *rt, pm_object *self, pm_object *slice, pm_object *v);

/* ---- objects/mvmethods.c ------------------------------------------------- */

/* memoryview's method and attribute tables (memoryview.c points at them). */
extern const pm_method_def pmi_memoryview_methods[];
extern const pm_getset_def pmi_memoryview_getset[];

/* ---- core/getargs.c --------------------------------------------------------- */

/* _PyArg_CheckPositional: min <= nargs <= max, else TypeError "pop expected
 * at most 1 argument, got 2" / "insert expected 2 arguments, got 1".  1 /
 * 0 with the error set. */
int pmi_arg_check_positional(pm_runtime *rt, const char *name, pm_ssize_t nargs,
                             pm_ssize_t min, pm_ssize_t max);
/* PyArg_ParseTuple's count errors for "O|OO:name": "index() takes at least
 * 1 argument (0 given)" / "at most 3 arguments (4 given)" / "exactly".  1 /
 * 0. */
int pmi_arg_check_count_old(pm_runtime *rt, const char *name, pm_ssize_t nargs,
                            pm_ssize_t min, pm_ssize_t max);
/* No keywords allowed: kwnames NULL or empty, else TypeError "%s() takes no
 * keyword arguments" (name as given: "list.append", "pop").  1 / 0. */
int pmi_arg_no_kwnames(pm_runtime *rt, const char *name, pm_object *kwnames);
/* An index-sized integer argument (clinic's "n"): TypeError "'str' object
 * cannot be interpreted as an integer", OverflowError as CPython.  -1 with
 * the error set on failure (check pm_err_occurred). */
pm_ssize_t pmi_arg_ssize(pm_runtime *rt, pm_object *o);
/* Keyword arguments by name for a FASTCALL|KEYWORDS function whose
 * parameters are `names` (NULL-terminated; the first `npos_only` are
 * positional-only... here: every parameter is keyword-only after
 * `maxpos`).  Fills out[0..nnames-1] (borrowed, NULL when absent).
 * Errors: "sort() takes no positional arguments", "'y' is an invalid
 * keyword argument for sort()" (old style, kwonly_style 1) or
 * "sort() got an unexpected keyword argument 'y'".  1 / 0. */
int pmi_arg_parse_kw(pm_runtime *rt, const char *fname, const char *const *names,
                     pm_ssize_t maxpos, pm_ssize_t minpos, pm_object *const *args,
                     pm_ssize_t nargs, pm_object *kwnames, pm_object **out);

#endif
