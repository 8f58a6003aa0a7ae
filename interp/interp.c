/*
 * interp/interp.c — the interpreter state and the chunked frame stack.
 *
 * See interp.h for the picture.  The state is created once per runtime
 * (pmi_interp_init) and reached through pm_runtime_host; it owns the
 * builtins dict and sys.modules.  Frames are pushed and popped strictly
 * LIFO; each push counts one level against the runtime's recursion limit
 * (1000 by default: RecursionError "maximum recursion depth exceeded"), so
 * Python recursion never becomes C recursion inside the loop for the check.
 * A generator's frame is the exception: it lives in the generator
 * (genobject.c) and is linked on top of the stack only while it runs.
 *
 * Also here: the handled-exception stack's top (pmi_current_exception,
 * CPython's _PyErr_GetTopmostException: the innermost level whose value is
 * not None), zero-argument super()'s view of the running frame
 * (pmi_super_args), and what the builtins dict gets from the VM: the
 * exception classes by name (where builtins.c has not named them) and
 * __build_class__ (funcobject.c).  The interpreter's own types get their
 * per-runtime dicts at init, so a PYMM_CHECK_BLOCKS run never sees them
 * appear mid-run.
 */
#include "interp.h"
#include "code.h"
#include "traceback.h"
#include "builtins.h"
#include "funcobject.h"
#include "genobject.h"
#include "import.h"      /* pmi_pymm_at_start / _at_exit */

#include <string.h>

static void chunk_free(pm_runtime *rt, void *p);

pm_object *pmi_current_exception(pm_runtime *rt) {
    pmi_interp *in = pmi_interp_get(rt);
    if (!in) return NULL;
    for (pmi_exc_info *e = in->exc_info; e; e = e->previous)
        if (e->exc_value && e->exc_value != PM_NONE) return e->exc_value;
    return NULL;
}

int pmi_super_args(pm_runtime *rt, pm_object **type, pm_object **obj) {
    pmi_interp *in = pmi_interp_get(rt);
    pmi_frame *f = in ? in->frame : NULL;
    *type = *obj = NULL;
    if (!f) {
        pm_err_set(rt, PM_EXC_RuntimeError, "super(): no current frame");
        return -1;
    }
    const pmi_code *co = (const pmi_code *)f->code;
    if (co->argcount == 0) {
        pm_err_set(rt, PM_EXC_RuntimeError, "super(): no arguments");
        return -1;
    }
    const unsigned char *kinds = (const unsigned char *)pm_bytes_data(co->localspluskinds);
    pm_object *first = f->localsplus[0];
    if (first && (kinds[0] & PMI_CO_FAST_CELL) && pmi_cell_check(first)) first = ((pmi_cell *)first)->ref;
    if (!first) {
        pm_err_set(rt, PM_EXC_RuntimeError, "super(): arg[0] deleted");
        return -1;
    }
    for (int i = 0; i < co->nlocalsplus; i++) {
        if (!(kinds[i] & PMI_CO_FAST_FREE)) continue;
        if (!pm_str_equal_cstr(pm_tuple_get(rt, co->localsplusnames, i), "__class__")) continue;
        pm_object *cell = f->localsplus[i];
        if (!cell || !pmi_cell_check(cell)) {
            pm_err_set(rt, PM_EXC_RuntimeError, "super(): bad __class__ cell");
            return -1;
        }
        pm_object *t = ((pmi_cell *)cell)->ref;
        if (!t) {
            pm_err_set(rt, PM_EXC_RuntimeError, "super(): empty __class__ cell");
            return -1;
        }
        if (!pm_type_check(t)) {
            pm_err_format(rt, PM_EXC_RuntimeError, "super(): __class__ is not a type (%s)",
                          pm_type_of(t)->name);
            return -1;
        }
        *type = t;
        *obj = first;
        return 0;
    }
    pm_err_set(rt, PM_EXC_RuntimeError, "super(): __class__ cell not found");
    return -1;
}

/* The built-in exception classes by name, for the builtins dict (only the
 * names the builtins module has not defined itself). */
static int add_exception_names(pm_runtime *rt, pm_object *dict) {
    static const pm_type *const types[] = {
        &pm_exc_BaseException,
#define PMI_EXC_ITEM_(name, base, layout) &pm_exc_##name,
        PM_EXC_HIERARCHY(PMI_EXC_ITEM_)
#undef PMI_EXC_ITEM_
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        pm_object *name = pm_str_intern_cstr(rt, pm_type_name(types[i]));
        if (!name) return -1;
        int rc = pm_dict_contains(rt, dict, name);
        if (rc == 0) rc = pm_dict_set(rt, dict, name, pm_type_as_object(types[i]));
        pm_decref(rt, name);
        if (rc < 0) return -1;
    }
    return 0;
}

pmi_interp *pmi_interp_get(pm_runtime *rt) {
    return (pmi_interp *)pm_runtime_host(rt);
}

/* The globals of the innermost running frame (BORROWED), for type()'s
 * __module__ (pm_runtime_set_globals_hook). */
static pm_object *running_globals(pm_runtime *rt, void *ctx) {
    (void)rt;
    pmi_interp *in = ctx;
    return in->frame ? in->frame->globals : NULL;
}

int pmi_interp_init(pm_runtime *rt) {
    pmi_interp *in = pm_calloc(rt, 1, sizeof *in);
    if (!in) {
        pm_err_nomem(rt);
        return -1;
    }
    in->builtins = pm_dict_new(rt);
    if (!in->builtins) goto fail;
    in->modules = pm_dict_new(rt);
    if (!in->modules) goto fail;
    if (pmi_builtins_fill(rt, in->builtins) < 0) goto fail;
    if (add_exception_names(rt, in->builtins) < 0) goto fail;
    if (pmi_build_class_register(rt, in->builtins) < 0) goto fail;
    in->exc_info = &in->exc_base;
    if (pmi_stdio_init(rt, in) < 0) goto fail;  /* last: keeps nothing on failure */
    pm_runtime_set_host(rt, in);
    pm_runtime_set_globals_hook(rt, running_globals, in);
    pmi_traceback_install_unraisable_hook(rt);
    pmi_pymm_at_start(rt);      /* PYMM_GCTRACE (mod_pymm.c) */
    return 0;
fail:
    pm_xdecref(rt, in->builtins);
    pm_xdecref(rt, in->modules);
    pm_free(rt, in);
    return -1;
}

void pmi_interp_fini(pm_runtime *rt) {
    pmi_interp *in = pmi_interp_get(rt);
    if (!in) return;
    pmi_pymm_at_exit(rt);       /* PYMM_HEAPMAP / PYMM_GCTRACE (mod_pymm.c) */
    pmi_stdio_fini(rt, in);  /* flushes while sys is still there */
    pm_runtime_set_globals_hook(rt, NULL, NULL);
    pm_runtime_set_host(rt, NULL);
    /* sys.modules may refer back to builtins; clear before dropping */
    if (in->modules) pm_dict_clear(rt, in->modules);
    pm_xdecref(rt, in->modules);
    if (in->builtins) pm_dict_clear(rt, in->builtins);
    pm_xdecref(rt, in->builtins);
    pm_xdecref(rt, in->exc_base.exc_value);
    pm_xdecref(rt, in->asyncgen_firstiter);
    pm_xdecref(rt, in->asyncgen_finalizer);
    while (in->chunk) {
        pmi_chunk *c = in->chunk;
        in->chunk = c->previous;
        chunk_free(rt, c);
    }
    pm_free(rt, in);
}

/* Bytes a frame of code needs, rounded to max_align_t. */
size_t pmi_frame_size(pm_object *code) {
    const pmi_code *co = (const pmi_code *)code;
    size_t n = sizeof(pmi_frame) + sizeof(pm_object *) * ((size_t)co->nlocalsplus + (size_t)co->stacksize);
    size_t a = sizeof(max_align_t);
    return (n + a - 1) / a * a;
}

/* The frame stack's chunks are not traced: CPython 3.11 takes them from
 * _PyObject_VirtualAlloc, beneath tracemalloc's hooks, so a snapshot never
 * shows a frame push (nor does a finalizer that a collection runs on a
 * traced line). */
static void *chunk_alloc(pm_runtime *rt, size_t size) {
    void *ctx;
    pm_trace_hook hook = pm_mem_get_trace_hook(rt, &ctx);
    if (hook) pm_mem_set_trace_hook(rt, NULL, NULL);
    void *p = pm_malloc(rt, size);
    if (hook) pm_mem_set_trace_hook(rt, hook, ctx);
    return p;
}

static void chunk_free(pm_runtime *rt, void *p) {
    void *ctx;
    pm_trace_hook hook = pm_mem_get_trace_hook(rt, &ctx);
    if (hook) pm_mem_set_trace_hook(rt, NULL, NULL);
    pm_free(rt, p);
    if (hook) pm_mem_set_trace_hook(rt, hook, ctx);
}

pmi_frame *pmi_frame_push(pm_runtime *rt, pm_object *code, pm_object *func,
                          pm_object *globals, pm_object *builtins, pm_object *locals) {
    pmi_interp *in = pmi_interp_get(rt);
    const pmi_code *co = (const pmi_code *)code;
    size_t need = pmi_frame_size(code);
    if (!in) {  /* a function called after pmi_interp_fini (runtime teardown) */
        pm_err_set(rt, PM_EXC_SystemError, "pymm: interpreter state missing");
        return NULL;
    }
    if (pm_enter_recursive_call(rt, NULL) < 0) return NULL;
    pmi_chunk *c = in->chunk;
    if (!c || c->size - c->top < need) {
        size_t size = need > PMI_CHUNK_BYTES ? need : PMI_CHUNK_BYTES;
        pmi_chunk *nc = chunk_alloc(rt, sizeof(pmi_chunk) + size);
        if (!nc) {
            pm_leave_recursive_call(rt);
            return pm_err_nomem(rt);
        }
        nc->previous = c;
        nc->size = size;
        nc->top = 0;
        in->chunk = c = nc;
    }
    pmi_frame *f = (pmi_frame *)(void *)((char *)c->data + c->top);
    c->top += need;
    f->code = pm_newref(rt, code);
    f->func = func ? pm_newref(rt, func) : NULL;
    f->globals = pm_newref(rt, globals);
    f->builtins = pm_newref(rt, builtins);
    f->locals = locals ? pm_newref(rt, locals) : NULL;
    f->previous = in->frame;
    f->chunk = c;
    f->instr = (const uint16_t *)(const void *)pm_bytes_data(co->code);
    f->stacktop = 0;
    f->nlocalsplus = co->nlocalsplus;
    f->frame_obj = NULL;
    f->is_entry = 0;
    f->yielded = 0;
    f->owned_by_gen = 0;
    f->is_init = 0;
    memset(f->localsplus, 0, sizeof(pm_object *) * (size_t)co->nlocalsplus);
    in->frame = f;
    in->depth++;
    return f;
}

void pmi_frame_clear(pm_runtime *rt, pmi_frame *f) {
    if (f->frame_obj) pmi_frame_object_detach(rt, f);
    int n = f->nlocalsplus + f->stacktop;
    f->stacktop = 0;
    for (int i = 0; i < n; i++) PM_CLEAR(rt, f->localsplus[i]);
    PM_CLEAR(rt, f->func);
    PM_CLEAR(rt, f->globals);
    PM_CLEAR(rt, f->builtins);
    PM_CLEAR(rt, f->locals);
    /* a finalizer run by the clearing above (a __del__ whose traceback
     * goes through f) may have made a new frame object for f: it is
     * detached too, or it would keep pointing into the popped frame */
    if (f->frame_obj) pmi_frame_object_detach(rt, f);
    /* the code goes last: a frame object detached above may still read it */
    PM_CLEAR(rt, f->code);
}

void pmi_frame_pop(pm_runtime *rt, pmi_frame *f) {
    pmi_interp *in = pmi_interp_get(rt);
    /* only code with handlers can have caught the runtime's MemoryError */
    int handlers = f->code && pm_bytes_size(((pmi_code *)f->code)->exceptiontable) > 0;
    pmi_frame_clear(rt, f);
    if (handlers) pm_err_memerr_release(rt);    /* a MemoryError caught in f keeps no frames alive */
    in->frame = f->previous;
    in->depth--;
    if (f->is_init) pm_leave_recursive_call(rt);   /* the class call's level */
    /* the frame's memory goes last: nothing of f is read after this */
    pmi_chunk *c = f->chunk;
    c->top = (size_t)((char *)f - (char *)c->data);
    if (c->top == 0) {  /* an idle interpreter holds no chunk */
        in->chunk = c->previous;
        chunk_free(rt, c);
    }
    pm_leave_recursive_call(rt);
}

pm_object *pmi_eval_code(pm_runtime *rt, pm_object *code, pm_object *globals, pm_object *locals) {
    pmi_interp *in = pmi_interp_get(rt);
    if (!in) {
        pm_err_set(rt, PM_EXC_SystemError, "pymm: interpreter state missing");
        return NULL;
    }
    pmi_frame *f = pmi_frame_push(rt, code, NULL, globals, in->builtins, locals);
    if (!f) return NULL;
    pm_object *res = pmi_eval_frame(rt, f);
    pmi_frame_pop(rt, f);
    return res;
}
