/*
 * interp/funcobject.h — Python functions, bound methods and cells.
 *
 * The three object types the evaluation loop makes for `def`, `lambda`,
 * `obj.method` and closures (CPython 3.11's funcobject.c, classobject.c and
 * cellobject.c faces).  All three are gc types, tracked from creation.
 *
 *   function ──code──> pmi_code        bound method ──func──> function
 *       │ globals, builtins, defaults,       └──self──> the instance
 *       │ kwdefaults, closure (tuple of cells), name, qualname, module,
 *       │ doc, dict, annotations
 *   cell ──ref──> the value of a variable shared by nested scopes (or NULL)
 *
 * Calls: the loop calls a function inline (a new frame in the same C loop,
 * ceval.c); the `call` slot here is for calls from C (pm_call): it pushes a
 * frame, binds the arguments (pmi_func_bind) and runs a fresh loop.
 */
#ifndef PYMM_INTERP_FUNCOBJECT_H
#define PYMM_INTERP_FUNCOBJECT_H

#include "interp.h"

#include <stdint.h>

/* A function (PyFunctionObject; getsizeof 152 as in CPython 3.11). */
typedef struct pmi_function {
    pm_object ob_base;              /* refcount + &pmi_function_type */
    pm_object *globals;             /* owned: __globals__ (a dict) */
    pm_object *builtins;            /* owned: __builtins__ (a dict) */
    pm_object *name;                /* owned: __name__ (a str) */
    pm_object *qualname;            /* owned: __qualname__ (a str) */
    pm_object *code;                /* owned: __code__ (a pmi_code) */
    pm_object *defaults;            /* owned or NULL: __defaults__ (a tuple) */
    pm_object *kwdefaults;          /* owned or NULL: __kwdefaults__ (a dict) */
    pm_object *closure;             /* owned or NULL: __closure__ (a tuple of cells) */
    pm_object *doc;                 /* owned: __doc__ (None when absent) */
    pm_object *dict;                /* owned or NULL: __dict__, made on first use */
    pm_object *weakreflist;         /* head of the weak references' list */
    pm_object *module;              /* owned: __module__ (globals['__name__'] or None) */
    pm_object *annotations;         /* owned or NULL: a dict, or the compiler's flat
                                       (name, value, ...) tuple until first read */
    void *reserved;                 /* where CPython keeps its vectorcall pointer (size parity) */
    uint32_t version;               /* where CPython keeps func_version (size parity) */
} pmi_function;

/* A bound method (PyMethodObject; getsizeof 64). */

/* A cell (PyCellObject; getsizeof 40). */
typedef struct pmi_cell {
    pm_object ob_base;              /* refcount + &pmi_cell_type */
    pm_object *ref;                 /* owned or NULL (empty): cell_contents */
} pmi_cell;

extern const pm_type pmi_function_type;
extern const pm_type pmi_cell_type;

static inline int pmi_function_check(const pm_object *o) { return o->ob_type == &pmi_function_type; }
static inline int pmi_cell_check(const pm_object *o) { return o->ob_type == &pmi_cell_type; }

/* A function for code with globals (borrowed; MAKE_FUNCTION's base):
 * name/qualname/doc from the code, module from globals['__name__'],
 * builtins from the running frame (or the interpreter's).  NEW ref. */
pm_object *pmi_function_new(pm_runtime *rt, pm_object *code, pm_object *globals);
/* A cell holding v (borrowed, may be NULL).  NEW ref. */
pm_object *pmi_cell_new(pm_runtime *rt, pm_object *v);

/* Binds a call's arguments into the fresh frame f of func (CPython 3.11's
 * initialize_locals, with its TypeError texts).  args[0..nargs-1]
 * positional, then the values named by kwnames (NULL: none).  steal: the
 * references in args are the caller's to give (each is consumed, also on
 * failure); else they are borrowed.  0, or -1 with the error set (f's
 * slots then hold what was bound; pmi_frame_pop drops them). */
int pmi_func_bind(pm_runtime *rt, pm_object *func, pmi_frame *f, pm_object *const *args,
                  pm_ssize_t nargs, pm_object *kwnames, int steal);

/* "__main__.f()"-style name of a callable for call-site error messages
 * (CPython's _PyObject_FunctionStr): NEW str ref, NULL on error. */
pm_object *pmi_function_str(pm_runtime *rt, pm_object *func);

#endif
