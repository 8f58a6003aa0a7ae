/*
 * interp/interp.h — the interpreter's per-runtime state and its frames.
 *
 * One pmi_interp hangs off each pm_runtime (pm_runtime_set_host): the
 * builtins dict, sys.modules, and the frame stack.  Nothing here is global.
 *
 * Frames are 3.11-style "interpreter frames": not objects, but records
 * carved out of a per-runtime chunked stack, so a Python-to-Python call
 * costs a bump of a pointer, no malloc and no C recursion:
 *
 *     chunk:  [ hdr | frame A: fields, localsplus[nlocalsplus], stack[stacksize] | frame B ... ]
 *                          ^ localsplus = locals + cells + frees, then the value stack
 *
 * A frame owns a reference to each non-NULL localsplus/stack slot and to
 * its code, function, globals, builtins and locals.  When a chunk is full a
 * new one (at least PMI_CHUNK_BYTES) is linked on top; popping the last frame
 * of a chunk frees it.  Ownership rules follow CPython's ceval: a load
 * increfs onto the stack, a store steals from it.
 */
#ifndef PYMM_INTERP_INTERP_H
#define PYMM_INTERP_INTERP_H

#include "pymm.h"

/* Bytes asked for a fresh chunk (larger frames get a chunk of their own). */
#define PMI_CHUNK_BYTES (16 * 1024)

typedef struct pmi_chunk pmi_chunk;

/* One interpreter frame (CPython's _PyInterpreterFrame). */
typedef struct pmi_frame {
    pm_object *code;                /* owned: the pmi_code being run */
    pm_object *func;                /* owned or NULL: the function (NULL for module code) */
    pm_object *globals;             /* owned: the globals dict */
    pm_object *builtins;            /* owned: the builtins dict */
    pm_object *locals;              /* owned or NULL: the locals mapping (module/class code) */
    struct pmi_frame *previous;     /* the caller's frame, NULL at the bottom */
    pmi_chunk *chunk;               /* the chunk this frame lives in */
    const uint16_t *instr;          /* the instruction being (or last) executed */
    int stacktop;                   /* values on the stack (index into localsplus after the locals) */
    int nlocalsplus;                /* co nlocalsplus: slots before the value stack */
    pm_object *frame_obj;           /* owned or NULL: the frame object made for this frame
                                       (traceback.h: made on demand, detached at pop) */
    signed char is_entry;           /* 1: a C call started the loop here (RETURN_VALUE and an
                                       unhandled error leave pmi_eval_frame at this frame) */
    signed char yielded;            /* set by YIELD_VALUE: the loop left a suspended
                                       generator frame (cleared on resume) */
    signed char owned_by_gen;       /* 1: the frame lives in a generator (not in a chunk) */
    signed char is_init;            /* 1: a class call's __init__, pushed by CALL's class
                                       fast path: the caller's stack top holds the new
                                       instance, RETURN_VALUE checks for None and leaves the
                                       instance there; one recursion level more is held
                                       (3.11 counts the C call of the class too) */
    pm_object *localsplus[];        /* owned or NULL: locals, cells, frees, then the stack */
} pmi_frame;

/* A chunk of the frame stack. */
struct pmi_chunk {
    pmi_chunk *previous;            /* the chunk below, NULL for the first */
    size_t size;                    /* usable bytes in data */
    size_t top;                     /* bytes in use */
    max_align_t data[];             /* frames */
};

/* One level of the handled-exception stack (CPython 3.11's
 * _PyErr_StackItem): the interpreter has the base one, each generator its
 * own, linked on top while the generator runs. */
typedef struct pmi_exc_info {
    pm_object *exc_value;           /* owned or NULL: the exception being handled at this level */
    struct pmi_exc_info *previous;  /* the level below (NULL: the base) */
} pmi_exc_info;

/* The interpreter state, one per runtime. */
typedef struct pmi_interp {
    pm_object *builtins;            /* owned: the builtins module's dict */
    pm_object *modules;             /* owned: sys.modules */
    pmi_frame *frame;               /* the running (innermost) frame, NULL when idle */
    pmi_chunk *chunk;               /* the top chunk of the frame stack */
    int depth;                      /* Python frames on the stack */
    pm_object *stdio[3];            /* owned or NULL: the std streams for fds 0-2 (fileio.c) */
    pmi_exc_info exc_base;          /* the base of the handled-exception stack */
    pmi_exc_info *exc_info;         /* the top of that stack (&exc_base when no generator runs) */
    int importtime;                 /* -X importtime (import.c): 0 off, 1 on, 2 on + header written */
    int import_level;               /* -X importtime: imports being loaded, nested */
    long long import_nested_ns;     /* -X importtime: time of the imports nested in the current one */
    pm_object *asyncgen_firstiter;  /* owned or NULL: sys.set_asyncgen_hooks(firstiter=) (coroobject.c) */
    pm_object *asyncgen_finalizer;  /* owned or NULL: sys.set_asyncgen_hooks(finalizer=) (coroobject.c) */
    int coro_origin_depth;          /* sys.set_coroutine_origin_tracking_depth(): frames kept in cr_origin */
    struct pmi_module_running *initializing; /* modules whose code is running, innermost first
                                                (import.c; links on the C stack) */
} pmi_interp;

/* The exception being handled (sys.exception()): borrowed, NULL if none. */
pm_object *pmi_current_exception(pm_runtime *rt);

/* Zero-argument super() (CPython 3.11's super_init_without_args): the
 * class in the running frame's __class__ cell and the frame's first
 * argument (read through its cell when it is one).  0 with *type and *obj
 * BORROWED, or -1 with RuntimeError "super(): no current frame" / "no
 * arguments" / "arg[0] deleted" / "__class__ cell not found" / "bad
 * __class__ cell" / "empty __class__ cell" / "__class__ is not a type (X)".
 * For the builtin super (the running frame is its caller's). */
int pmi_super_args(pm_runtime *rt, pm_object **type, pm_object **obj);

/* Creates the state and hangs it off rt (0), or -1 with MemoryError. */
int pmi_interp_init(pm_runtime *rt);
/* Frees the state (no frames may be running); safe to call when absent. */
void pmi_interp_fini(pm_runtime *rt);
/* The state (NULL before pmi_interp_init). */
pmi_interp *pmi_interp_get(pm_runtime *rt);

/* A new frame for code on top of the stack: the references to
 * func/globals/builtins/locals are taken (new refs made here); slots NULL.
 * NULL with MemoryError or RecursionError. */
pmi_frame *pmi_frame_push(pm_runtime *rt, pm_object *code, pm_object *func,
                          pm_object *globals, pm_object *builtins, pm_object *locals);
/* Drops every reference of the top frame and pops it. */
void pmi_frame_pop(pm_runtime *rt, pmi_frame *f);
/* Drops every reference a frame holds (the slots, code, function ...),
 * leaving them NULL; the frame stays where it is. */
void pmi_frame_clear(pm_runtime *rt, pmi_frame *f);
/* Bytes a frame for code needs. */
size_t pmi_frame_size(pm_object *code);

/* Runs module-level code with globals (and locals == globals): new ref to
 * the result, or NULL with the error pending. */
pm_object *pmi_eval_code(pm_runtime *rt, pm_object *code, pm_object *globals, pm_object *locals);
/* Runs the pushed frame f until it returns (ceval.c). */
pm_object *pmi_eval_frame(pm_runtime *rt, pmi_frame *f);

/* Adds __build_class__ to the builtins dict (genobject.c's neighbour,
 * buildclass in ceval.c): 0, or -1 with an error. */
int pmi_build_class_register(pm_runtime *rt, pm_object *dict);

/* Fills the builtins dict (builtins.c): 0, or -1 with an error. */
int pmi_builtins_fill(pm_runtime *rt, pm_object *dict);

#endif
