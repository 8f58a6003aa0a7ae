/*
 * pymm.h — the one public header of libpymm.
 *
 * pymm is CPython 3.11's memory-management system as an embeddable C11 library:
 * a pymalloc-style small-object allocator, reference-counted objects with
 * CPython's layouts, a generational cycle collector and the buffer protocol.
 *
 * Everything mutable lives in a pm_runtime that the embedder creates and
 * destroys.  A runtime is used by one thread at a time; several runtimes may
 * live in one process, each on its own thread.  Destroying a runtime returns
 * every byte it took from the system.
 *
 * Conventions used in this header:
 *   - `pm_runtime *rt` is the first argument of every function.
 *   - "can fail" means the function returns NULL (or -1) and records the error
 *     in the runtime; nothing is leaked on that path.
 *   - For functions that deal in objects, each comment says whether the result
 *     is a NEW reference (caller owns it and must decref it) or a BORROWED one,
 *     and which arguments are STOLEN (ownership passes to the callee, even on
 *     failure).
 */
#ifndef PYMM_H
#define PYMM_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PM_VERSION_MAJOR 0
#define PM_VERSION_MINOR 1
#define PM_VERSION_STRING "0.1.0"

#if defined(__GNUC__) || defined(__clang__)
#define PM_API __attribute__((visibility("default")))
#define PM_MALLOC_LIKE __attribute__((malloc, warn_unused_result))
#else
#define PM_API
#define PM_MALLOC_LIKE
#endif

/* ------------------------------------------------------------------------ */
/* Runtime                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct pm_runtime pm_runtime;

/* Options chosen when a runtime is created.  pm_config_init() fills the
 * defaults; pm_config_from_env() then applies PYMM_<NAME> environment
 * variables (documented in docs/allocator.md), so an embedder can offer the
 * same switches as the pymm tools. */
typedef struct pm_config {
    int debug_alloc;        /* 1: guard bytes, fill patterns, serial numbers and
                               fault reports (like PYTHONMALLOC=debug).
                               env PYMM_DEBUG_ALLOC */
    int gc_torture;         /* 1: the cycle collector runs at every tracked
                               allocation (testing aid).  env PYMM_GC_TORTURE */
    int huge_pages;         /* 1: ask the kernel for transparent huge pages on
                               arenas.  Off by default: measured slower on
                               first touch here (docs/allocator.md).
                               env PYMM_HUGE_PAGES */
    size_t arena_reserve;   /* floor of the reserve of empty arenas kept
                               resident instead of being returned at once;
                               the reserve grows when a heap given back grows
                               again and decays back to this floor.  Empty
                               arenas beyond the reserve are held as surplus
                               until the allocator has taken 1024 + 64 x
                               surplus pools without them, the trim after a
                               full collection, or pm_trim
                               (docs/allocator.md).  0: every empty arena
                               goes back at once, as in CPython.
                               env PYMM_ARENA_RESERVE */
    int page_return;        /* 1 (default): give fully free 4 KiB pages and
                               pools back to the OS automatically.
                               env PYMM_PAGE_RETURN */
    long long hash_seed;    /* str/bytes hash key, as CPython's PYTHONHASHSEED:
                               -1 (default): random per runtime; 0: hash
                               randomization off (CPython's exact values with
                               PYTHONHASHSEED=0); 1..4294967295: the key
                               CPython derives from that seed.
                               env PYTHONHASHSEED ("random" or 0..4294967295) */
    int int_max_str_digits; /* sys.get_int_max_str_digits(): the most decimal
                               digits an int <-> str conversion may have;
                               4300 (default), 0 = unlimited, else >= 640.
                               The runtime's current value (changed by
                               pm_int_set_max_str_digits) is kept here.
                               env PYTHONINTMAXSTRDIGITS */
} pm_config;

/* Fill *cfg with the defaults. */
PM_API void pm_config_init(pm_config *cfg);
/* Apply the PYMM_* environment variables, and CPython's PYTHONHASHSEED and
 * PYTHONINTMAXSTRDIGITS, to *cfg.  Returns 0, or -1 when a variable holds a
 * value that does not parse (*err is set to a static string: the PYMM_*
 * variable's name, or CPython's message for the other two). */
PM_API int pm_config_from_env(pm_config *cfg, const char **err);

/* Create a runtime.  cfg may be NULL for the defaults.  Returns NULL when the
 * system has no memory for it. */
PM_API pm_runtime *pm_runtime_new(const pm_config *cfg);
/* Destroy a runtime: every object, arena and large block it owns is released.
 * rt may be NULL.  Order: the teardown hook (if set), the weakref finalize
 * callbacks, a last full collection, then the caches and the memory. */
PM_API void pm_runtime_free(pm_runtime *rt);

/* ---- for embedders -------------------------------------------------------- */

/* An opaque pointer the embedder (an interpreter, say) keeps in the runtime,
 * so that callbacks given only `rt` (gc callbacks, the unraisable hook, the
 * teardown hook, type hooks) can find the embedder's own state.  The library
 * never reads it.  NULL until set. */
PM_API void pm_runtime_set_host(pm_runtime *rt, void *host);
PM_API void *pm_runtime_host(const pm_runtime *rt);

/* Interrupting running code (Ctrl-C).  pm_runtime_interrupt only stores 1
 * in the runtime's interrupt flag, so it is async-signal-safe: an
 * embedder's SIGINT handler may call it with the runtime pointer it keeps
 * for the handler.  The library never reads the flag; an interpreter built
 * on it polls the flag (its address, stable for the runtime's life) at its
 * eval-breaker points and, finding it set, clears it and raises
 * KeyboardInterrupt (pymm's VM: interp/ceval.c; CPython's
 * _PyErr_SetInterrupt + the eval breaker). */
PM_API void pm_runtime_interrupt(pm_runtime *rt);
PM_API volatile sig_atomic_t *pm_runtime_interrupt_flag(pm_runtime *rt);

/* Called by pm_runtime_free before anything is torn down: the whole object
 * layer still works (objects can be made, decref'd, collected), so the
 * embedder can drop its module dicts, frames and caches and let the final
 * collection reclaim them.  Errors the hook leaves pending are cleared.  It
 * runs once; setting NULL removes it. */
typedef void (*pm_teardown_hook)(pm_runtime *rt, void *ctx);
PM_API void pm_runtime_set_teardown_hook(pm_runtime *rt, pm_teardown_hook hook, void *ctx);

/* The globals of the code running now, for what CPython takes from the
 * caller's frame: type(name, bases, ns) without '__module__' in ns gets the
 * globals' '__name__' (CPython's type_new).  The hook returns a BORROWED
 * dict, or NULL (no code running: the class gets 'builtins').  It must not
 * fail or set an error.  NULL removes it. */
typedef struct pm_object *(*pm_globals_hook)(pm_runtime *rt, void *ctx);
PM_API void pm_runtime_set_globals_hook(pm_runtime *rt, pm_globals_hook hook, void *ctx);

/* ------------------------------------------------------------------------ */
/* Raw memory (the allocator)                                                */
/* ------------------------------------------------------------------------ */

/* Requests of 0..512 bytes are served by pymm's pools; larger ones by the
 * system allocator.  All returned memory is 16-byte aligned.  A NULL result
 * means out of memory (or an injected fault); the runtime's error is not
 * touched by these four, so they can be used below the object layer. */
PM_API PM_MALLOC_LIKE void *pm_malloc(pm_runtime *rt, size_t size);
/* n * size bytes, zeroed; NULL when n * size overflows. */
PM_API PM_MALLOC_LIKE void *pm_calloc(pm_runtime *rt, size_t n, size_t size);
/* Resize; keeps min(old, new) bytes.  On failure returns NULL and p stays
 * valid and unchanged.  pm_realloc(rt, NULL, n) == pm_malloc(rt, n). */
PM_API void *pm_realloc(pm_runtime *rt, void *p, size_t size);
/* Free p (NULL is ignored).  Ownership is decided from the address alone: a
 * pointer that is not inside one of rt's arenas goes to the system free(). */
PM_API void pm_free(pm_runtime *rt, void *p);

/* Usable size of a block from pm_malloc (its size class, or the system
 * allocator's usable size).  p must be a live block of rt. */
PM_API size_t pm_usable_size(pm_runtime *rt, const void *p);

/* Return free memory to the OS now: empty reserve arenas are unmapped, free
 * pools and fully free pages inside live pools are released with madvise.
 * In debug mode the quarantine of freed blocks is emptied first (each block
 * checked for writes after free).  Returns the number of bytes given back. */
PM_API size_t pm_trim(pm_runtime *rt);

/* ---- fault injection ---------------------------------------------------- */

/* Make the nth allocation from now fail (nth >= 1; 1 = the very next one).
 * persistent != 0: that one and every allocation after it fail, until the
 * hook is cleared.  nth == 0 clears the hook.  Every allocating call counts:
 * pm_malloc, pm_calloc, and a pm_realloc that needs memory. */
PM_API void pm_fault_inject(pm_runtime *rt, long nth, int persistent);
/* Number of allocations that failed because of the hook since it was last
 * set.  A sweep loop stops when a run completes with 0 faults fired. */
PM_API long pm_fault_fired(const pm_runtime *rt);

/* ---- allocation tracing (the feed of tracemalloc) ----------------------- */

/* A trace hook sees every block of the runtime (objects and raw memory
 * alike) at the choke point:
 *   allocated (pm_malloc, pm_calloc, pm_realloc of NULL):
 *       hook(rt, ctx, ptr, NULL, size) after the allocation; returning -1
 *       makes it fail: the block is given back and the caller gets NULL
 *       (a tracer that cannot record it: MemoryError, as in CPython);
 *   resized (pm_realloc of a block, succeeded):
 *       hook(rt, ctx, new, old, size); new may equal old; the result is
 *       ignored (a resize cannot be undone: a tracer that cannot record the
 *       new block forgets the old one);
 *   freed (pm_free of a non-NULL block):
 *       hook(rt, ctx, NULL, old, 0) before the block is given back.
 * size is the size requested.  Calls the hook itself makes (its own tables)
 * are not reported, so it never re-enters itself; it must not free objects
 * (their blocks would be freed unseen).  Unset (NULL) the hook costs nothing:
 * it shares the fast paths' single test with debug mode and the fault hook.
 * One hook per runtime; setting replaces, NULL removes. */
typedef int (*pm_trace_hook)(pm_runtime *rt, void *ctx, void *ptr, void *old, size_t size);
PM_API void pm_mem_set_trace_hook(pm_runtime *rt, pm_trace_hook hook, void *ctx);
/* The hook set (NULL: none) and, when ctx is not NULL, its context in *ctx. */
PM_API pm_trace_hook pm_mem_get_trace_hook(const pm_runtime *rt, void **ctx);

/* ---- statistics (like sys._debugmallocstats) ---------------------------- */

#define PM_NUM_SIZE_CLASSES 32
#define PM_SMALL_REQUEST_MAX 512

typedef struct pm_size_class_stats {
    size_t block_size;      /* bytes per block in this class */
    size_t pools;           /* pools currently assigned to the class */
    size_t blocks_in_use;   /* blocks handed out */
    size_t blocks_free;     /* free blocks in those pools (incl. never used) */
} pm_size_class_stats;

/* Every scalar counter of pm_alloc_stats, as one list so that the struct,
 * the printer and the tests never drift: X(name, description). */
#define PM_ALLOC_STAT_COUNTERS(X)                                              \
    X(arenas_allocated, "arenas allocated total")                              \
    X(arenas_reclaimed, "arenas reclaimed")                                    \
    X(arenas_in_use, "arenas currently allocated")                             \
    X(arenas_highwater, "arenas highwater mark")                               \
    X(arenas_reserved, "empty arenas kept in reserve")                         \
    X(pools_in_use, "pools in use")                                            \
    X(pools_free, "free pools in live arenas")                                 \
    X(pools_released, "free pools given back to the OS")                       \
    X(pages_released, "4 KiB pages given back inside live pools")              \
    X(small_bytes_in_use, "bytes in allocated small blocks")                   \
    X(small_bytes_requested, "bytes requested for small blocks (debug only)")  \
    X(large_blocks, "large blocks from the system allocator")                  \
    X(large_bytes, "bytes in large blocks")                                    \
    X(bytes_mapped, "bytes mapped for arenas")                                 \
    X(bytes_resident, "bytes of arenas resident (as the allocator believes)")  \
    X(trims, "trims run (explicit and automatic)")                             \
    X(bytes_trimmed, "bytes given back by trims")

typedef struct pm_alloc_stats {
    pm_size_class_stats size_class[PM_NUM_SIZE_CLASSES];
#define PM_STAT_FIELD_(name, desc) size_t name;
    PM_ALLOC_STAT_COUNTERS(PM_STAT_FIELD_)
#undef PM_STAT_FIELD_
} pm_alloc_stats;

/* Fill *out with a snapshot of the allocator's state.  Walks the arenas: O(arenas). */
PM_API void pm_alloc_stats_get(pm_runtime *rt, pm_alloc_stats *out);
/* Print the statistics as CPython's sys._debugmallocstats() does. */
PM_API void pm_alloc_stats_print(pm_runtime *rt, FILE *out);
/* Check every arena, pool and free list for consistency; returns 0 when all
 * invariants hold, else -1 with a description written to out (may be NULL). */
PM_API int pm_alloc_check(pm_runtime *rt, FILE *out);

/* ------------------------------------------------------------------------ */
/* Objects                                                                   */
/* ------------------------------------------------------------------------ */
/*
 * Every object starts with CPython 3.11's 64-bit header: a reference count and
 * a type pointer (16 bytes).  Variable-size objects add an item count (24).
 * Objects of types flagged PM_TPFLAGS_GC carry a 16-byte pm_gc_head *in front
 * of* the object, so the pointer an embedder holds is the pm_object:
 *
 *       gc objects only                 every object
 *   +-----------+-----------+   +------------+-----------+----------+--------
 *   | gc_next   | gc_prev   |   | ob_refcnt  | ob_type   | ob_size  | data...
 *   +-----------+-----------+   +------------+-----------+----------+--------
 *   ^ block from pm_malloc      ^ pm_object *  (varobjects only: ob_size)
 *
 * Reference counting: pm_incref/pm_decref are inline.  When a count reaches
 * zero the type's dealloc runs before pm_decref returns ("freed
 * immediately").  Counts that reach zero *while another dealloc is running*
 * are queued on the runtime's pending list and freed by the loop of the
 * outermost pm_dealloc, so freeing a structure nested 1,000,000 deep uses
 * O(1) C stack (QuickJS's free list; see docs/objects-core.md).
 *
 * Immortal objects (the static type objects, None, True, False,
 * NotImplemented) are shared by all runtimes and live in read-only memory:
 * incref/decref test the count and never write to them, so runtimes on
 * different threads never race on them.  Each runtime's small ints
 * (-5..256) are immortal too, inside that runtime.
 *
 * Errors: a function that fails returns NULL / -1 and records an exception
 * kind and a message in the runtime (pm_err_*).  MemoryError never needs
 * memory: the message lives in a fixed buffer inside the runtime.
 */

typedef intptr_t pm_ssize_t;        /* Py_ssize_t */
typedef intptr_t pm_hash_t;         /* Py_hash_t: -1 is reserved for errors */
typedef struct pm_type pm_type;
typedef struct pm_buffer pm_buffer; /* defined by the buffer-protocol section */

typedef struct pm_object {
    intptr_t ob_refcnt;             /* references held; >= PM_IMMORTAL_REFCNT: immortal */
    const pm_type *ob_type;         /* the object's type (static or heap type) */
} pm_object;                        /* 16 bytes, like PyObject */

typedef struct pm_varobject {
    pm_object ob_base;              /* refcount + type */
    pm_ssize_t ob_size;             /* number of items (int: signed digit count) */
} pm_varobject;                     /* 24 bytes, like PyVarObject */

/* The 16 bytes in front of every gc object (CPython 3.11's PyGC_Head).
 * gc_next: the next object's pm_gc_head in the generation list; 0 while the
 *   object is not tracked.  Bit 0 (PM_GC_NEXT_UNREACHABLE) is used by the
 *   collector during a collection only.
 * gc_prev: the previous pm_gc_head; its two low bits are flags
 *   (PM_GC_PREV_FINALIZED, PM_GC_PREV_COLLECTING).  During a collection the
 *   collector stores gc_refs (count copy) shifted left by PM_GC_PREV_SHIFT
 *   (3) instead of the pointer, and uses bit 2 for itself (LEAF, gc/gc.c).
 * Heads are 16-byte aligned, so pointers never use the low 4 bits. */
typedef struct pm_gc_head {
    uintptr_t gc_next;              /* next head | flags; 0 = untracked */
    uintptr_t gc_prev;              /* prev head | flags (during a collection:
                                       gc_refs << PM_GC_PREV_SHIFT | flags) */
} pm_gc_head;
#define PM_GC_NEXT_UNREACHABLE ((uintptr_t)1)
#define PM_GC_PREV_FINALIZED   ((uintptr_t)1)
#define PM_GC_PREV_COLLECTING  ((uintptr_t)2)
#define PM_GC_PREV_SHIFT       3
#define PM_GC_PREV_MASK        (~(uintptr_t)3)

/* Counts at or above this value mark an immortal object (never written). */
#define PM_IMMORTAL_REFCNT ((intptr_t)1 << (sizeof(intptr_t) * 8 - 4))

/* ---- type objects ------------------------------------------------------- */

/* Rich comparison operators (Py_LT ... Py_GE). */
enum { PM_LT = 0, PM_LE = 1, PM_EQ = 2, PM_NE = 3, PM_GT = 4, PM_GE = 5 };

/* Visitor for traverse: return non-zero to stop the walk (that value is
 * returned by traverse). */
typedef int (*pm_visitproc)(pm_object *o, void *arg);

/* Type flags. */
#define PM_TPFLAGS_GC             (1UL << 0)  /* instances have a gc head, can be in cycles */
#define PM_TPFLAGS_BASETYPE       (1UL << 1)  /* can be subclassed */
#define PM_TPFLAGS_IMMUTABLE      (1UL << 2)  /* instances never change after construction */
#define PM_TPFLAGS_STATIC         (1UL << 3)  /* static, immortal type object shared by all runtimes */
#define PM_TPFLAGS_HEAPTYPE       (1UL << 4)  /* type object allocated in a runtime; instances own a ref to it */
#define PM_TPFLAGS_INT_SUBCLASS   (1UL << 8)  /* fast subtype checks, like Py_TPFLAGS_LONG_SUBCLASS */
#define PM_TPFLAGS_FLOAT_SUBCLASS (1UL << 9)
#define PM_TPFLAGS_STR_SUBCLASS   (1UL << 10)
#define PM_TPFLAGS_BYTES_SUBCLASS (1UL << 11)
#define PM_TPFLAGS_LIST_SUBCLASS  (1UL << 12)
#define PM_TPFLAGS_TUPLE_SUBCLASS (1UL << 13)
#define PM_TPFLAGS_DICT_SUBCLASS  (1UL << 14)
#define PM_TPFLAGS_TYPE_SUBCLASS  (1UL << 15)
#define PM_TPFLAGS_BASE_EXC_SUBCLASS (1UL << 16) /* BaseException and its subclasses */
#define PM_TPFLAGS_METHOD_DESCRIPTOR (1UL << 17) /* descr_get(obj) is a bound method: pm_call_method
                                                    may call the descriptor with obj prepended instead
                                                    (CPython's Py_TPFLAGS_METHOD_DESCRIPTOR) */
#define PM_TPFLAGS_DISALLOW_INSTANTIATION (1UL << 18) /* type(...) is TypeError "cannot create 'X' instances" */
#define PM_TPFLAGS_MODULE         (1UL << 19) /* instances are modules: a built-in function bound to
                                                    one is a module function ("mod.f()" in errors, from
                                                    the __name__ in the instance dict at dictoffset;
                                                    repr "<built-in function f>", __qualname__ "f") */
/* Recursion accounting of calls, CPython 3.11's: a call counts one level
 * against the recursion limit (RecursionError "maximum recursion depth
 * exceeded while calling a Python object") unless one of these says that
 * the callee counts for itself, as CPython's vectorcall objects do.  Neither
 * flag is inherited by subclasses (CPython's tp_vectorcall is not). */
#define PM_TPFLAGS_CALL_UNCOUNTED (1UL << 20) /* pm_call of an instance counts no level: its call
                                                    slot does what counting is due (a Python
                                                    function's frame counts; a bound method's target
                                                    is called through pm_call; a C function counts
                                                    unless it takes PM_METH_FASTCALL, as CPython's
                                                    specialized CALL instructions do) */
#define PM_TPFLAGS_NEW_UNCOUNTED  (1UL << 21) /* calling this type to make an instance counts no
                                                    level (CPython 3.11's types with their own
                                                    vectorcall: list, tuple, dict, set, frozenset,
                                                    range, float, bool, enumerate, reversed, map,
                                                    filter) */

/* ---- slot signatures (CPython's typedefs, with the runtime first) -------- */

/* f(self): a new ref, or NULL with the error set. */
typedef pm_object *(*pm_unaryfunc)(pm_runtime *rt, pm_object *self);
/* f(a, b): a new ref, NULL + error, or PM_NOTIMPLEMENTED (number slots) for
 * an operand type the slot does not handle. */
typedef pm_object *(*pm_binaryfunc)(pm_runtime *rt, pm_object *a, pm_object *b);
/* f(a, b, c): nb_power (c is PM_NONE for two-argument **). */
typedef pm_object *(*pm_ternaryfunc)(pm_runtime *rt, pm_object *a, pm_object *b, pm_object *c);
/* 1/0, -1 with the error set. */
typedef int (*pm_inquiry)(pm_runtime *rt, pm_object *self);
/* A length >= 0, or -1 with the error set. */
typedef pm_ssize_t (*pm_lenfunc)(pm_runtime *rt, pm_object *self);
/* self[i] (sq_item: i already adjusted for negatives when the type has
 * sq_length) / self * n: new ref. */
typedef pm_object *(*pm_ssizeargfunc)(pm_runtime *rt, pm_object *self, pm_ssize_t i);
/* self[i] = v (v NULL: del self[i]); 0 / -1.  v is not stolen. */
typedef int (*pm_ssizeobjargproc)(pm_runtime *rt, pm_object *self, pm_ssize_t i, pm_object *v);
/* key in self: 1/0, -1. */
typedef int (*pm_objobjproc)(pm_runtime *rt, pm_object *self, pm_object *key);
/* self[key] = v (v NULL: del self[key]); self.name = v; 0 / -1.  Nothing
 * stolen. */
typedef int (*pm_objobjargproc)(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *v);
/* descr.__get__(obj, type): obj NULL for a lookup on the class itself
 * (CPython passes NULL there too); type may be NULL when obj is given.
 * New ref. */
typedef pm_object *(*pm_descrgetfunc)(pm_runtime *rt, pm_object *descr, pm_object *obj,
                                      pm_object *type);
/* descr.__set__(obj, value), value NULL: descr.__delete__(obj).  0 / -1. */
typedef int (*pm_descrsetfunc)(pm_runtime *rt, pm_object *descr, pm_object *obj,
                               pm_object *value);
/* The vectorcall convention (PEP 590), which is the only call slot:
 *   args[0 .. nargs-1]        the positional arguments (borrowed)
 *   args[nargs .. nargs+nkw-1] the keyword values, named by kwnames (a tuple
 *                             of strs, or NULL when there are none)
 *   nargsf                    nargs, possibly ORed with
 *                             PM_VECTORCALL_ARGUMENTS_OFFSET: the caller
 *                             allows the callee to overwrite args[-1]
 *                             temporarily (to prepend self without copying)
 * New ref, or NULL with the error set.  Nothing is stolen. */
typedef pm_object *(*pm_vectorcallfunc)(pm_runtime *rt, pm_object *callable,
                                        pm_object *const *args, size_t nargsf,
                                        pm_object *kwnames);
#define PM_VECTORCALL_ARGUMENTS_OFFSET ((size_t)1 << (8 * sizeof(size_t) - 1))
/* The positional count of a vectorcall's nargsf. */
static inline pm_ssize_t pm_vectorcall_nargs(size_t nargsf) {
    return (pm_ssize_t)(nargsf & ~PM_VECTORCALL_ARGUMENTS_OFFSET);
}
/* type.__new__-style constructor: type(args) with args a tuple and kwargs a
 * dict or NULL (CPython's tp_new).  New ref. */
typedef pm_object *(*pm_newfunc)(pm_runtime *rt, const pm_type *type, pm_object *args,
                                 pm_object *kwargs);
/* __init__: 0 / -1 (CPython's tp_init).  args a tuple, kwargs a dict or NULL. */
typedef int (*pm_initproc)(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs);
/* tp_getattro: new ref, NULL + AttributeError (or another error). */
typedef pm_object *(*pm_getattrofunc)(pm_runtime *rt, pm_object *self, pm_object *name);

/* The number protocol (CPython's PyNumberMethods, same fields in the same
 * order).  Binary slots are called for either operand's type: a slot must
 * check both operands and return PM_NOTIMPLEMENTED for types it does not
 * handle (pm_number_binop then tries the other operand's slot, as CPython's
 * binary_op1).  In-place slots may return self (new ref).  Unused: NULL. */
typedef struct pm_number_methods {
    pm_binaryfunc nb_add;               /* a + b */
    pm_binaryfunc nb_subtract;          /* a - b */
    pm_binaryfunc nb_multiply;          /* a * b */
    pm_binaryfunc nb_remainder;         /* a % b */
    pm_binaryfunc nb_divmod;            /* divmod(a, b) */
    pm_ternaryfunc nb_power;            /* pow(a, b, c); c = PM_NONE for a ** b */
    pm_unaryfunc nb_negative;           /* -a */
    pm_unaryfunc nb_positive;           /* +a */
    pm_unaryfunc nb_absolute;           /* abs(a) */
    pm_inquiry nb_bool;                 /* bool(a): 1/0, -1 error */
    pm_unaryfunc nb_invert;             /* ~a */
    pm_binaryfunc nb_lshift;            /* a << b */
    pm_binaryfunc nb_rshift;            /* a >> b */
    pm_binaryfunc nb_and;               /* a & b */
    pm_binaryfunc nb_xor;               /* a ^ b */
    pm_binaryfunc nb_or;                /* a | b */
    pm_unaryfunc nb_int;                /* int(a): an exact int */
    void *nb_reserved;                  /* unused, as CPython's */
    pm_unaryfunc nb_float;              /* float(a): an exact float */
    pm_binaryfunc nb_inplace_add;       /* a += b ... */
    pm_binaryfunc nb_inplace_subtract;
    pm_binaryfunc nb_inplace_multiply;
    pm_binaryfunc nb_inplace_remainder;
    pm_ternaryfunc nb_inplace_power;
    pm_binaryfunc nb_inplace_lshift;
    pm_binaryfunc nb_inplace_rshift;
    pm_binaryfunc nb_inplace_and;
    pm_binaryfunc nb_inplace_xor;
    pm_binaryfunc nb_inplace_or;
    pm_binaryfunc nb_floor_divide;      /* a // b */
    pm_binaryfunc nb_true_divide;       /* a / b */
    pm_binaryfunc nb_inplace_floor_divide;
    pm_binaryfunc nb_inplace_true_divide;
    pm_unaryfunc nb_index;              /* operator.index(a): an exact int */
    pm_binaryfunc nb_matrix_multiply;   /* a @ b */
    pm_binaryfunc nb_inplace_matrix_multiply;
} pm_number_methods;

/* The sequence protocol (PySequenceMethods).  sq_concat / sq_repeat are the
 * fallbacks of + and * when no number slot answers (list + list). */
typedef struct pm_sequence_methods {
    pm_lenfunc sq_length;               /* len(s) */
    pm_binaryfunc sq_concat;            /* s + t (t of any type: TypeError itself) */
    pm_ssizeargfunc sq_repeat;          /* s * n */
    pm_ssizeargfunc sq_item;            /* s[i], i >= 0 after adjustment */
    void *was_sq_slice;                 /* unused, as CPython's */
    pm_ssizeobjargproc sq_ass_item;     /* s[i] = v / del s[i] (v NULL) */
    void *was_sq_ass_slice;             /* unused, as CPython's */
    pm_objobjproc sq_contains;          /* x in s: 1/0, -1 */
    pm_binaryfunc sq_inplace_concat;    /* s += t */
    pm_ssizeargfunc sq_inplace_repeat;  /* s *= n */
} pm_sequence_methods;

/* The mapping protocol (PyMappingMethods): subscription with any key. */
typedef struct pm_mapping_methods {
    pm_lenfunc mp_length;               /* len(m) */
    pm_binaryfunc mp_subscript;         /* m[key]: new ref */
    pm_objobjargproc mp_ass_subscript;  /* m[key] = v / del m[key] (v NULL) */
} pm_mapping_methods;

/* ---- method, member and getset tables (PyMethodDef, PyMemberDef,
 * PyGetSetDef); each table ends with an entry whose name is NULL. -------- */

/* Calling conventions of a pm_method_def (CPython's METH_* values):
 *   PM_METH_VARARGS               pm_cfunction:        (rt, self, args_tuple)
 *   PM_METH_VARARGS|KEYWORDS      pm_cfunction_kw:     (rt, self, args_tuple, kwargs_dict_or_NULL)
 *   PM_METH_NOARGS                pm_cfunction:        (rt, self, NULL)
 *   PM_METH_O                     pm_cfunction:        (rt, self, arg)
 *   PM_METH_FASTCALL              pm_cfunction_fast:   (rt, self, args, nargs)
 *   PM_METH_FASTCALL|KEYWORDS     pm_cfunction_fast_kw:(rt, self, args, nargs, kwnames)
 * plus, for methods of a type: PM_METH_CLASS (self is the type: a
 * classmethod), PM_METH_STATIC (self is NULL), PM_METH_COEXIST (the entry
 * replaces a slot wrapper of the same name).  `meth` is stored as a
 * pm_cfunction and cast to the convention's type, as CPython does. */
#define PM_METH_VARARGS  0x0001
#define PM_METH_KEYWORDS 0x0002
#define PM_METH_NOARGS   0x0004
#define PM_METH_O        0x0008
#define PM_METH_CLASS    0x0010
#define PM_METH_STATIC   0x0020
#define PM_METH_COEXIST  0x0040
#define PM_METH_FASTCALL 0x0080
typedef pm_object *(*pm_cfunction)(pm_runtime *rt, pm_object *self, pm_object *arg);
typedef pm_object *(*pm_cfunction_kw)(pm_runtime *rt, pm_object *self, pm_object *args,
                                      pm_object *kwargs);
typedef pm_object *(*pm_cfunction_fast)(pm_runtime *rt, pm_object *self,
                                        pm_object *const *args, pm_ssize_t nargs);
typedef pm_object *(*pm_cfunction_fast_kw)(pm_runtime *rt, pm_object *self,
                                           pm_object *const *args, pm_ssize_t nargs,
                                           pm_object *kwnames);
typedef struct pm_method_def {
    const char *name;                   /* attribute name; NULL ends the table */
    pm_cfunction meth;                  /* the C function, cast per `flags` */
    int flags;                          /* PM_METH_* */
    const char *doc;                    /* __doc__ (NULL: None) */
} pm_method_def;

/* Member types (CPython's T_* codes of structmember.h). */
#define PM_T_SHORT      0
#define PM_T_INT        1
#define PM_T_LONG       2
#define PM_T_FLOAT      3
#define PM_T_DOUBLE     4
#define PM_T_STRING     5               /* const char * (read-only) */
#define PM_T_OBJECT     6               /* pm_object *, NULL reads as None */
#define PM_T_CHAR       7
#define PM_T_BYTE       8
#define PM_T_UBYTE      9
#define PM_T_UINT       10
#define PM_T_USHORT     11
#define PM_T_ULONG      12
#define PM_T_BOOL       14              /* char 0/1 */
#define PM_T_OBJECT_EX  16              /* pm_object *, NULL: AttributeError */
#define PM_T_LONGLONG   17
#define PM_T_ULONGLONG  18
#define PM_T_PYSSIZET   19              /* pm_ssize_t */
#define PM_T_NONE       20              /* always None */
/* Member flags. */
#define PM_READONLY     1               /* assignment: AttributeError "readonly attribute" */
typedef struct pm_member_def {
    const char *name;                   /* attribute name; NULL ends the table */
    int type;                           /* PM_T_* */
    pm_ssize_t offset;                  /* byte offset of the field in the instance */
    int flags;                          /* 0 or PM_READONLY */
    const char *doc;                    /* __doc__ (NULL: None) */
} pm_member_def;

/* A computed attribute: get returns a new ref (NULL + error); set returns
 * 0 / -1, value NULL for delete; set NULL: read-only.  closure is the
 * entry's own `closure`. */
typedef pm_object *(*pm_getter)(pm_runtime *rt, pm_object *self, void *closure);
typedef int (*pm_setter)(pm_runtime *rt, pm_object *self, pm_object *value, void *closure);
typedef struct pm_getset_def {
    const char *name;                   /* attribute name; NULL ends the table */
    pm_getter get;                      /* NULL: unreadable (AttributeError) */
    pm_setter set;                      /* NULL: read-only */
    const char *doc;                    /* __doc__ (NULL: None) */
    void *closure;                      /* passed to get / set */
} pm_getset_def;

/* A type (CPython's PyTypeObject).  Static types are `const pm_type` objects
 * with PM_TPFLAGS_STATIC and an immortal count, shared by every runtime;
 * what is mutable about a type — its __dict__, __bases__, __mro__, version
 * tag — is kept per runtime (pm_type_dict, pm_type_mro, pm_type_bases)
 * and never in this struct.  Heap types (classes) are allocated with their
 * own number/sequence/mapping tables, which the as_* pointers then name.
 *
 * Every slot may be NULL.  As in CPython, the generic operations read a
 * type's own slots only: a static type names every slot it has (bool names
 * int's tables), and a heap type copies its base's slots when it is made
 * (CPython's inherit_slots) before its special methods override them.
 * Every slot that takes rt reports failure through the runtime's error. */
struct pm_type {
    pm_object ob_base;              /* types are objects (type: pm_type_type) */
    const char *name;               /* "int", "list", a class name; for static
                                       types in modules "module.name" (tp_name) */
    pm_ssize_t basicsize;           /* bytes of a fixed instance, header included, gc head excluded */
    pm_ssize_t itemsize;            /* bytes per item for variable-size instances, else 0 */
    unsigned long flags;            /* PM_TPFLAGS_* */
    const pm_type *base;            /* the solid base type (NULL only for object) */
    pm_ssize_t dictoffset;          /* offset of the instance's dict pointer, 0 = none */
    pm_ssize_t weaklistoffset;      /* offset of the weakref list pointer, 0 = none */
    const char *doc;                /* __doc__ (NULL: None) */

    /* -- lifetime -- */
    /* Free everything self owns, then its memory (pmi_object_free or a free
     * list).  Runs when the count reaches zero; must untrack gc objects first.
     * Decrefs it makes are deferred by the core, so it never recurses. */
    void (*dealloc)(pm_runtime *rt, pm_object *self);
    /* Call visit on every object self holds a reference to (gc types). */
    int (*traverse)(pm_object *self, pm_visitproc visit, void *arg);
    /* Drop the references that can form cycles (the collector calls it). */
    int (*clear)(pm_runtime *rt, pm_object *self);
    /* PEP 442 finalizer (__del__), run once before an unreachable object dies. */
    void (*finalize)(pm_runtime *rt, pm_object *self);
    /* __sizeof__: bytes of the object without the gc head.  NULL:
     * basicsize + itemsize * |ob_size|. */
    size_t (*size_of)(pm_runtime *rt, pm_object *self);

    /* -- buffer protocol (pm_buffer: section "Buffers and memoryview") -- */
    int (*getbuffer)(pm_runtime *rt, pm_object *self, pm_buffer *view, int flags);
    void (*releasebuffer)(pm_runtime *rt, pm_object *self, pm_buffer *view);

    /* -- object protocol -- */
    pm_object *(*repr)(pm_runtime *rt, pm_object *self);          /* new ref to a str */
    pm_object *(*str)(pm_runtime *rt, pm_object *self);           /* new ref; NULL hook: repr */
    /* -1 = error.  NULL hook: unhashable ("unhashable type: 'list'"); a
     * type that inherits object's hash names it (pm_object_type's). */
    pm_hash_t (*hash)(pm_runtime *rt, pm_object *self);
    /* New ref: a result, or PM_NOTIMPLEMENTED for types it does not know. */
    pm_object *(*richcompare)(pm_runtime *rt, pm_object *a, pm_object *b, int op);
    /* tp_getattro / tp_setattro: NULL means the generic lookup
     * (pm_object_generic_getattr / _setattr), as object's slot. */
    pm_getattrofunc getattr;                                      /* new ref */
    pm_objobjargproc setattr;       /* (rt, self, name, value); value NULL: delete */

    /* -- protocol tables (NULL: the type has none of those slots) -- */
    const pm_number_methods *as_number;
    const pm_sequence_methods *as_sequence;
    const pm_mapping_methods *as_mapping;

    /* -- calling, descriptors, construction -- */
    pm_vectorcallfunc call;         /* callable(...) (tp_call and tp_vectorcall in one) */
    pm_descrgetfunc descr_get;      /* __get__: a descriptor */
    pm_descrsetfunc descr_set;      /* __set__ / __delete__: a data descriptor */
    /* __new__ (named so for C++ users of this header); NULL: the type
     * cannot be instantiated ("cannot create 'X' instances"). */
    pm_newfunc new_object;
    pm_initproc init;               /* __init__; NULL: object's (accepts nothing extra) */

    /* -- iteration -- */
    pm_object *(*iter)(pm_runtime *rt, pm_object *self);          /* new ref to an iterator */
    /* New ref to the next item; NULL with no error set when exhausted. */
    pm_object *(*iternext)(pm_runtime *rt, pm_object *self);

    /* -- attributes the type's dict is filled from (each runtime's own
     * dict; see pm_type_dict) -- */
    const pm_method_def *methods;   /* method descriptors (or classmethods / statics) */
    const pm_member_def *members;   /* member descriptors over instance fields */
    const pm_getset_def *getset;    /* getset descriptors */

    const void *extra;              /* owner-defined data (a class's slot table, ...) */
};

/* The static types of the core (immortal, shared by all runtimes). */
PM_API extern const pm_type pm_type_type;       /* "type" */
PM_API extern const pm_type pm_object_type;     /* "object": getsizeof(object()) == 16 */
PM_API extern const pm_type pm_none_type;       /* "NoneType" */
PM_API extern const pm_type pm_notimplemented_type;
PM_API extern const pm_type pm_int_type;
PM_API extern const pm_type pm_bool_type;
PM_API extern const pm_type pm_float_type;
PM_API extern const pm_type pm_str_type;
PM_API extern const pm_type pm_bytes_type;
PM_API extern const pm_type pm_bytearray_type;

/* object(): a new plain object (16 bytes, no gc head).  New ref. */
PM_API pm_object *pm_object_new(pm_runtime *rt);

/* ---- reference counting (inline fast paths) ----------------------------- */

/* Called by pm_decref when a count reaches zero; do not call it directly. */
PM_API void pm_dealloc(pm_runtime *rt, pm_object *o);

static inline int pm_is_immortal(const pm_object *o) {
    return o->ob_refcnt >= PM_IMMORTAL_REFCNT;
}
/* Take a reference.  Immortal objects are not written to.  rt is unused in
 * release builds; it is there so every call names its runtime. */
static inline void pm_incref(pm_runtime *rt, pm_object *o) {
    (void)rt;
    if (!pm_is_immortal(o)) o->ob_refcnt++;
}
/* Drop a reference; at zero the object is freed before this returns. */
static inline void pm_decref(pm_runtime *rt, pm_object *o) {
    if (pm_is_immortal(o)) return;
    if (--o->ob_refcnt == 0) pm_dealloc(rt, o);
}
static inline void pm_xincref(pm_runtime *rt, pm_object *o) { if (o) pm_incref(rt, o); }
static inline void pm_xdecref(pm_runtime *rt, pm_object *o) { if (o) pm_decref(rt, o); }
/* incref and return o: `return pm_newref(rt, x);` hands out a new ref. */
static inline pm_object *pm_newref(pm_runtime *rt, pm_object *o) { pm_incref(rt, o); return o; }
/* Decref *pp and set it to NULL first (Py_CLEAR), so a dealloc that looks
 * at the owner never sees a dangling pointer. */
#define PM_CLEAR(rt, pp) do { pm_object *pm_tmp_ = (pm_object *)(pp); \
        if (pm_tmp_) { (pp) = NULL; pm_decref((rt), pm_tmp_); } } while (0)

/* The reference count, as sys.getrefcount sees it *minus one*:
 * sys.getrefcount(x) reports ob_refcnt while its own argument holds an extra
 * reference, so for `x = []` Python prints 2 where pm_refcnt gives 1 for the
 * one owner.  i.e.  sys.getrefcount(x) == pm_refcnt(rt, x) + 1.
 * Immortal objects report PM_IMMORTAL_REFCNT or more. */
static inline pm_ssize_t pm_refcnt(pm_runtime *rt, const pm_object *o) {
    (void)rt;
    return o->ob_refcnt;
}
static inline const pm_type *pm_type_of(const pm_object *o) { return o->ob_type; }
static inline pm_ssize_t pm_var_size(const pm_object *o) { return ((const pm_varobject *)o)->ob_size; }
/* 1 when o's type is t or a subtype of t (walks the base chain). */
PM_API int pm_type_is_subtype(const pm_type *a, const pm_type *t);
static inline int pm_is_instance(const pm_object *o, const pm_type *t) {
    return o->ob_type == t || pm_type_is_subtype(o->ob_type, t);
}

/* ---- immortal singletons ------------------------------------------------ */

struct pm_intobject;
PM_API extern const pm_object pm_none_struct;
PM_API extern const pm_object pm_notimplemented_struct;
PM_API extern const struct pm_intobject pm_false_struct;
PM_API extern const struct pm_intobject pm_true_struct;
/* Borrowed-or-new does not matter for these (immortal); functions returning
 * them still document "new ref" and callers may decref them. */
#define PM_NONE           ((pm_object *)&pm_none_struct)
#define PM_NOTIMPLEMENTED ((pm_object *)&pm_notimplemented_struct)
#define PM_TRUE           ((pm_object *)&pm_true_struct)
#define PM_FALSE          ((pm_object *)&pm_false_struct)
/* New ref to PM_TRUE or PM_FALSE. */
static inline pm_object *pm_bool_from(int v) { return v ? PM_TRUE : PM_FALSE; }

/* ---- errors -------------------------------------------------------------- */
/*
 * Exceptions are objects (docs/errors.md).  CPython 3.11's whole built-in
 * hierarchy is a set of static, immortal types `pm_exc_<Name>` generated
 * from one table (PM_EXC_HIERARCHY below: name, base, instance layout), so
 * names, bases and MROs cannot drift.  ExceptionGroup's second base,
 * Exception, is known to pm_type_is_subtype / pm_type_mro / pm_type_bases
 * (the table's base is the one that decides the layout).
 *
 * The pending error lives in the runtime.  Raising from C stays cheap:
 * pm_err_set / pm_err_format record the type and the message text in a
 * fixed buffer and allocate nothing (CPython's PyErr_Format stores the type
 * and a message and normalizes later); pm_err_fetch makes the exception
 * object on demand.  MemoryError is made when the runtime starts, so
 * raising and fetching it never allocates.
 *
 * pm_exc "kinds" name the exceptions the library itself raises; every kind
 * is also a type (pm_exc_type_of).  pm_err_kind of an error raised with an
 * object of another type is its nearest ancestor kind.
 */

/* Exception kinds (the library's own), named as CPython's built-ins. */
#define PM_EXC_KINDS(X)                                                          \
    X(BaseException, "BaseException")                                            \
    X(Exception, "Exception")                                                    \
    X(MemoryError, "MemoryError")                                                \
    X(TypeError, "TypeError")                                                    \
    X(ValueError, "ValueError")                                                  \
    X(LookupError, "LookupError")                                                \
    X(IndexError, "IndexError")                                                  \
    X(KeyError, "KeyError")                                                      \
    X(ArithmeticError, "ArithmeticError")                                        \
    X(OverflowError, "OverflowError")                                            \
    X(ZeroDivisionError, "ZeroDivisionError")                                    \
    X(AttributeError, "AttributeError")                                          \
    X(BufferError, "BufferError")                                                \
    X(RuntimeError, "RuntimeError")                                              \
    X(RecursionError, "RecursionError")                                          \
    X(NotImplementedError, "NotImplementedError")                                \
    X(StopIteration, "StopIteration")                                            \
    X(UnicodeError, "UnicodeError")                                              \
    X(UnicodeDecodeError, "UnicodeDecodeError")                                  \
    X(UnicodeEncodeError, "UnicodeEncodeError")                                  \
    X(SystemError, "SystemError")                                                \
    X(NameError, "NameError")                                                    \
    X(AssertionError, "AssertionError")                                          \
    X(ReferenceError, "ReferenceError")

typedef enum pm_exc {
    PM_EXC_NONE = 0,                /* no error */
#define PM_EXC_ENUM_(name, text) PM_EXC_##name,
    PM_EXC_KINDS(PM_EXC_ENUM_)
#undef PM_EXC_ENUM_
    PM_EXC_COUNT_
} pm_exc;

/* CPython 3.11's built-in exception classes: X(Name, Base, Layout), parents
 * before children.  Layout names the instance struct and its fields:
 *   BASE     args, __traceback__, __context__, __cause__,
 *            __suppress_context__, __dict__ (72 bytes, as CPython's)
 *   STOPITER + value            SYSEXIT  + code
 *   IMPORT   + msg, name, path  NAME     + name      ATTR  + name, obj
 *   OSERR    + errno, strerror, filename, filename2
 *   SYNTAX   + msg, filename, lineno, offset, text, end_lineno,
 *            end_offset, print_file_and_line
 *   UDECODE / UENCODE / UTRANSLATE  + encoding, object, start, end, reason
 *   KEY      BASE with KeyError's str (repr of a single argument)
 *   GROUP    + message, exceptions (ExceptionGroup is also an Exception) */
#define PM_EXC_HIERARCHY(X)                                                      \
    X(Exception, BaseException, BASE)                                            \
    X(BaseExceptionGroup, BaseException, GROUP)                                  \
    X(ExceptionGroup, BaseExceptionGroup, GROUP)                                 \
    X(GeneratorExit, BaseException, BASE)                                        \
    X(KeyboardInterrupt, BaseException, BASE)                                    \
    X(SystemExit, BaseException, SYSEXIT)                                        \
    X(ArithmeticError, Exception, BASE)                                          \
    X(FloatingPointError, ArithmeticError, BASE)                                 \
    X(OverflowError, ArithmeticError, BASE)                                      \
    X(ZeroDivisionError, ArithmeticError, BASE)                                  \
    X(AssertionError, Exception, BASE)                                           \
    X(AttributeError, Exception, ATTR)                                           \
    X(BufferError, Exception, BASE)                                              \
    X(EOFError, Exception, BASE)                                                 \
    X(ImportError, Exception, IMPORT)                                            \
    X(ModuleNotFoundError, ImportError, IMPORT)                                  \
    X(LookupError, Exception, BASE)                                              \
    X(IndexError, LookupError, BASE)                                             \
    X(KeyError, LookupError, KEY)                                                \
    X(MemoryError, Exception, BASE)                                              \
    X(NameError, Exception, NAME)                                                \
    X(UnboundLocalError, NameError, NAME)                                        \
    X(OSError, Exception, OSERR)                                                 \
    X(BlockingIOError, OSError, OSERR)                                           \
    X(ChildProcessError, OSError, OSERR)                                         \
    X(ConnectionError, OSError, OSERR)                                           \
    X(BrokenPipeError, ConnectionError, OSERR)                                   \
    X(ConnectionAbortedError, ConnectionError, OSERR)                            \
    X(ConnectionRefusedError, ConnectionError, OSERR)                            \
    X(ConnectionResetError, ConnectionError, OSERR)                              \
    X(FileExistsError, OSError, OSERR)                                           \
    X(FileNotFoundError, OSError, OSERR)                                         \
    X(InterruptedError, OSError, OSERR)                                          \
    X(IsADirectoryError, OSError, OSERR)                                         \
    X(NotADirectoryError, OSError, OSERR)                                        \
    X(PermissionError, OSError, OSERR)                                           \
    X(ProcessLookupError, OSError, OSERR)                                        \
    X(TimeoutError, OSError, OSERR)                                              \
    X(ReferenceError, Exception, BASE)                                           \
    X(RuntimeError, Exception, BASE)                                             \
    X(NotImplementedError, RuntimeError, BASE)                                   \
    X(RecursionError, RuntimeError, BASE)                                        \
    X(StopAsyncIteration, Exception, BASE)                                       \
    X(StopIteration, Exception, STOPITER)                                        \
    X(SyntaxError, Exception, SYNTAX)                                            \
    X(IndentationError, SyntaxError, SYNTAX)                                     \
    X(TabError, IndentationError, SYNTAX)                                        \
    X(SystemError, Exception, BASE)                                              \
    X(TypeError, Exception, BASE)                                                \
    X(ValueError, Exception, BASE)                                               \
    X(UnicodeError, ValueError, BASE)                                            \
    X(UnicodeDecodeError, UnicodeError, UDECODE)                                 \
    X(UnicodeEncodeError, UnicodeError, UENCODE)                                 \
    X(UnicodeTranslateError, UnicodeError, UTRANSLATE)                           \
    X(Warning, Exception, BASE)                                                  \
    X(BytesWarning, Warning, BASE)                                               \
    X(DeprecationWarning, Warning, BASE)                                         \
    X(EncodingWarning, Warning, BASE)                                            \
    X(FutureWarning, Warning, BASE)                                              \
    X(ImportWarning, Warning, BASE)                                              \
    X(PendingDeprecationWarning, Warning, BASE)                                  \
    X(ResourceWarning, Warning, BASE)                                            \
    X(RuntimeWarning, Warning, BASE)                                             \
    X(SyntaxWarning, Warning, BASE)                                              \
    X(UnicodeWarning, Warning, BASE)                                             \
    X(UserWarning, Warning, BASE)

/* The exception types (static, immortal; CPython's PyExc_*). */
PM_API extern const pm_type pm_exc_BaseException;
#define PM_EXC_DECL_(name, base, layout) PM_API extern const pm_type pm_exc_##name;
PM_EXC_HIERARCHY(PM_EXC_DECL_)
#undef PM_EXC_DECL_

/* Longest message kept by pm_err_set / pm_err_format (longer ones are
 * truncated). */
#define PM_ERR_MSG_MAX 256

/* Record an error (replacing any pending one).  Never allocates: the type
 * and the text are kept; the exception object (args == (msg,), or () for
 * an empty MemoryError message) is made by pm_err_fetch. */
PM_API void pm_err_set(pm_runtime *rt, pm_exc kind, const char *msg);
/* printf-style message. */
PM_API void pm_err_format(pm_runtime *rt, pm_exc kind, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Record MemoryError (no message, as CPython's); returns NULL. */
PM_API void *pm_err_nomem(pm_runtime *rt);
/* 1 when an error is pending, else 0 (CPython's PyErr_Occurred() != NULL). */
PM_API int pm_err_occurred(const pm_runtime *rt);
/* The pending error's kind (its type's nearest ancestor among the kinds);
 * PM_EXC_NONE (0) when there is none. */
PM_API pm_exc pm_err_kind(const pm_runtime *rt);
/* The pending message; "" when none.  For an error raised as an object it
 * is str(exc) when that is cheap (args[0] a str), else "".  Borrowed:
 * valid until the next pm_err_* call on rt. */
PM_API const char *pm_err_message(const pm_runtime *rt);
/* Drop the pending error (if any). */
PM_API void pm_err_clear(pm_runtime *rt);
/* 1 when the pending error is `kind` or a subclass of it (KeyError matches
 * LookupError). */
PM_API int pm_err_matches(const pm_runtime *rt, pm_exc kind);
/* "MemoryError", ...; "" for PM_EXC_NONE. */
PM_API const char *pm_exc_name(pm_exc kind);
/* 1 when exception class `kind` is `base` or derives from it. */
PM_API int pm_exc_is_subclass(pm_exc kind, pm_exc base);
/* The type of a kind (static); NULL for PM_EXC_NONE. */
PM_API const pm_type *pm_exc_type_of(pm_exc kind);

/* -- the pending error as an object (PyErr_Fetch/Restore, 3.12-style) -- */
/* The pending error's type (borrowed, static or held by the error), NULL
 * when none (PyErr_Occurred). */
PM_API const pm_type *pm_err_occurred_type(const pm_runtime *rt);
/* Take the pending error: a NEW ref to the exception object (made now when
 * only a type and a message were recorded), and no error is pending any
 * more.  NULL when none was pending.  Never fails: if the object cannot be
 * made, the runtime's preallocated MemoryError is returned instead. */
PM_API pm_object *pm_err_fetch(pm_runtime *rt);
/* Make exc (an exception instance; STOLEN) the pending error, replacing any
 * pending one.  exc NULL: same as pm_err_clear. */
PM_API void pm_err_restore(pm_runtime *rt, pm_object *exc);
/* PyErr_SetObject: raise `type` (a BaseException subclass) with value:
 * an instance of type is raised as is; NULL or None -> type(); a tuple ->
 * type(*value); anything else -> type(value).  Borrowed arguments.  If the
 * object cannot be made, that error (MemoryError, TypeError ...) is
 * pending instead.  A type that is not an exception class sets TypeError
 * "exceptions must derive from BaseException". */
PM_API void pm_err_set_object(pm_runtime *rt, const pm_type *type, pm_object *value);
/* The runtime's preallocated MemoryError, once nobody but the runtime
 * holds it, forgets its traceback, context and cause (which may keep
 * frames and their locals alive).  The pending-error functions do this
 * themselves; an interpreter whose code caught the MemoryError calls it
 * when a handler's frame ends.  Cheap: a test of one count. */
PM_API void pm_err_memerr_release(pm_runtime *rt);
/* KeyError(key) with the key itself as its one argument (a tuple key too),
 * so str() of the error is repr(key) as in CPython.  key borrowed. */
PM_API void pm_err_set_key_error(pm_runtime *rt, pm_object *key);
/* PyErr_GivenExceptionMatches: err is an exception instance or class,
 * match a class or a tuple of classes (nested tuples too): 1 when err's
 * class is one of them or derives from one, else 0.  Borrowed. */
PM_API int pm_err_given_matches(pm_object *err, pm_object *match);
/* The same for the pending error; 0 when none. */
PM_API int pm_err_exception_matches(const pm_runtime *rt, pm_object *match);
/* Exception chaining for the interpreter: the pending error's __context__
 * becomes `handled` (the exception being handled, borrowed; NULL or None:
 * nothing), unless it is the pending exception itself; a cycle through
 * older contexts is cut as CPython's _PyErr_SetObject does.  Normalizes
 * the pending error (may turn it into MemoryError). */
PM_API void pm_err_set_context(pm_runtime *rt, pm_object *handled);

/* -- exception objects -- */
/* 1 when o is an exception instance / an exception class. */
PM_API int pm_exc_check(const pm_object *o);
PM_API int pm_exc_type_check(const pm_type *t);
/* type(*args): args a tuple (NULL: ()), kwargs a dict or NULL (NameError
 * name=, AttributeError name=/obj=, ImportError name=/path=).  OSError with
 * an errno that has a subclass makes that subclass (OSError(2, 'x') is a
 * FileNotFoundError).  NEW ref, NULL + error. */
PM_API pm_object *pm_exc_new(pm_runtime *rt, const pm_type *type, pm_object *args,
                             pm_object *kwargs);
/* type(msg) with msg a UTF-8 C string (NULL: no argument).  NEW ref. */
PM_API pm_object *pm_exc_new_msg(pm_runtime *rt, const pm_type *type, const char *msg);
/* Fields, BORROWED (NULL when unset; args is always a tuple). */
PM_API pm_object *pm_exc_get_args(pm_object *exc);
PM_API pm_object *pm_exc_get_traceback(pm_object *exc);
PM_API pm_object *pm_exc_get_context(pm_object *exc);
PM_API pm_object *pm_exc_get_cause(pm_object *exc);
PM_API int pm_exc_get_suppress_context(pm_object *exc);
PM_API void pm_exc_set_suppress_context(pm_object *exc, int v);
/* Setters; each STEALS its value (NULL or None: unset).  set_cause also
 * sets __suppress_context__ (as `raise ... from`).  The traceback slot is
 * the interpreter's: any object is accepted from C. */
PM_API void pm_exc_set_traceback(pm_runtime *rt, pm_object *exc, pm_object *tb);
PM_API void pm_exc_set_context(pm_runtime *rt, pm_object *exc, pm_object *context);
PM_API void pm_exc_set_cause(pm_runtime *rt, pm_object *exc, pm_object *cause);
/* exc.with_traceback(tb): tb borrowed; NEW ref to exc. */
PM_API pm_object *pm_exc_with_traceback(pm_runtime *rt, pm_object *exc, pm_object *tb);
/* exc.add_note(note): note a str (TypeError "note must be a str, not
 * 'int'"), appended to exc.__notes__ (made a list on first use).  0 / -1. */
PM_API int pm_exc_add_note(pm_runtime *rt, pm_object *exc, pm_object *note);

/* ---- recursion guard (sys.getrecursionlimit / sys.setrecursionlimit) ---- */
/* repr, str, comparison and the tuple hash recurse through the objects they
 * are given; each nested call counts one level against the runtime's limit
 * (1000 by default, CPython's), and the call that would pass it fails with
 * RecursionError "maximum recursion depth exceeded while getting the repr
 * of an object" / "... in comparison" (CPython's texts), so a structure
 * nested a million deep or two self-containing lists compared never
 * overflow the C stack. */
PM_API int pm_get_recursion_limit(const pm_runtime *rt);
/* 0, or -1 with ValueError "recursion limit must be greater or equal than
 * 1" / RecursionError "cannot set the recursion limit to 5 at the recursion
 * depth 7: the limit is too low". */
PM_API int pm_set_recursion_limit(pm_runtime *rt, int limit);
/* Py_EnterRecursiveCall(where): one level more, or -1 with RecursionError
 * "maximum recursion depth exceeded<where>" (where may be NULL: "").  Every
 * 0 returned must be matched by one pm_leave_recursive_call.  For callers
 * that recurse themselves (the interpreter's frames). */
PM_API int pm_enter_recursive_call(pm_runtime *rt, const char *where);
PM_API void pm_leave_recursive_call(pm_runtime *rt);

/* ---- generic object operations ------------------------------------------ */

/* repr(o) / str(o): new ref to a str; NULL on error. */
PM_API pm_object *pm_repr(pm_runtime *rt, pm_object *o);
PM_API pm_object *pm_str(pm_runtime *rt, pm_object *o);
/* hash(o); -1 on error (TypeError "unhashable type: 'list'"). */
PM_API pm_hash_t pm_hash(pm_runtime *rt, pm_object *o);
/* a <op> b with CPython's reflected-operand rules: new ref, NULL on error
 * (TypeError "'<' not supported between instances of 'int' and 'str'"). */
PM_API pm_object *pm_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op);
/* Truth of a <op> b: 1/0, -1 on error.  For PM_EQ/PM_NE identity implies
 * equality, as PyObject_RichCompareBool. */
PM_API int pm_richcompare_bool(pm_runtime *rt, pm_object *a, pm_object *b, int op);
/* pm_richcompare_bool(rt, a, b, PM_EQ). */
PM_API int pm_equal(pm_runtime *rt, pm_object *a, pm_object *b);
/* bool(o): 1/0, -1 on error. */
PM_API int pm_is_true(pm_runtime *rt, pm_object *o);
/* len(o); -1 on error (TypeError "object of type 'int' has no len()"). */
PM_API pm_ssize_t pm_length(pm_runtime *rt, pm_object *o);
/* o[key]: new ref.  pm_setitem does not steal key or value. */
PM_API pm_object *pm_getitem(pm_runtime *rt, pm_object *o, pm_object *key);
PM_API int pm_setitem(pm_runtime *rt, pm_object *o, pm_object *key, pm_object *value);
PM_API int pm_delitem(pm_runtime *rt, pm_object *o, pm_object *key);
/* iter(o): new ref. */
PM_API pm_object *pm_iter(pm_runtime *rt, pm_object *o);
/* next(it): new ref; NULL with pm_err_occurred() == 0 when exhausted. */
PM_API pm_object *pm_iter_next(pm_runtime *rt, pm_object *it);
/* key in o: 1/0, -1 on error.  Falls back to iterating when the type has no
 * contains hook. */
PM_API int pm_contains(pm_runtime *rt, pm_object *o, pm_object *key);
/* getattr(o, name) (new ref) / setattr / delattr (value NULL deletes);
 * name is a str.  Through the type's getattr/setattr slot, the generic
 * lookup when the slot is NULL (see pm_object_generic_getattr). */
PM_API pm_object *pm_getattr(pm_runtime *rt, pm_object *o, pm_object *name);
PM_API int pm_setattr(pm_runtime *rt, pm_object *o, pm_object *name, pm_object *value);
PM_API int pm_delattr(pm_runtime *rt, pm_object *o, pm_object *name);
/* getattr(o, "name") with a C string name (interned on the way): new ref. */
PM_API pm_object *pm_getattr_cstr(pm_runtime *rt, pm_object *o, const char *name);
/* getattr(o, name, <missing>): 1 and *result a NEW ref when found; 0 and
 * *result NULL with NO error pending when the lookup raised AttributeError
 * (cleared); -1 and *result NULL on any other error (CPython 3.13's
 * PyObject_GetOptionalAttr, which the interpreter's LOAD_ATTR/hasattr need). */
PM_API int pm_getattr_opt(pm_runtime *rt, pm_object *o, pm_object *name, pm_object **result);
/* object.__getattribute__ / __setattr__ / __delattr__ (value NULL) as
 * CPython's PyObject_GenericGetAttr/SetAttr: data descriptors on type(o)'s
 * MRO, then o's __dict__, then non-data descriptors and class attributes;
 * AttributeError "'int' object has no attribute 'x'", "'list' object
 * attribute 'append' is read-only", "'object' object has no attribute
 * 'x'" when assigning to an object without a __dict__.  name: a str
 * (TypeError "attribute name must be string, not 'int'" otherwise).  get:
 * new ref. */
PM_API pm_object *pm_object_generic_getattr(pm_runtime *rt, pm_object *o, pm_object *name);
PM_API int pm_object_generic_setattr(pm_runtime *rt, pm_object *o, pm_object *name,
                                     pm_object *value);
/* The address of o's instance-dict pointer (type->dictoffset), or NULL when
 * its type has none.  The dict itself may still be NULL (not made yet), and
 * for instances of Python classes the attributes may live inline instead
 * (pm_inst_* below). */
PM_API pm_object **pm_object_dict_ptr(pm_runtime *rt, pm_object *o);

/* Inline attribute values of instances of Python classes (CPython 3.11's
 * managed dict; src/objects/instattr.c), for the VM's attribute caches.  A
 * class made by type(name, bases, ns) whose instances get their __dict__
 * from it keeps the attribute names in keys shared by its instances; each
 * instance keeps its values by index until its __dict__ is made.  Indices
 * never change for the class's life.  A cache keyed by (type, version
 * tag) — so that no data descriptor of the class shadows the name — holds
 * the index:
 *   pm_inst_attr_index: the index of name (an exact str) among the shared
 *     keys of t's instances, or -1 (no inline values for t, or no instance
 *     has set the name yet).  Never adds the name.  Cannot fail.
 *   pm_inst_value_at: o's value at index ix (BORROWED), or NULL when o
 *     keeps no inline values (a dict) or the attribute is unset: then use
 *     pm_getattr.  ix from pm_inst_attr_index(o's type).
 *   pm_inst_store_at: o.name = value (not NULL) by index: 1 done, 0 when o
 *     keeps no inline values (then use pm_setattr).  Cannot fail.
 *   pm_inst_may_shadow: 0 when o's own attributes certainly do not hold
 *     name (LOAD_METHOD may then use the class's method without binding
 *     it), else 1.  Cannot fail. */
PM_API pm_ssize_t pm_inst_attr_index(pm_runtime *rt, const pm_type *t, pm_object *name);
PM_API pm_object *pm_inst_value_at(pm_object *o, pm_ssize_t ix);
PM_API int pm_inst_store_at(pm_runtime *rt, pm_object *o, pm_ssize_t ix, pm_object *value);
PM_API int pm_inst_may_shadow(pm_runtime *rt, pm_object *o, pm_object *name);

/* ---- type objects as objects (per-runtime state of every type) ---------- */
/*
 * Every type, static or heap, has per runtime: a __dict__ (for the static
 * types made on first use and filled from its methods/members/getset
 * tables), a __bases__ tuple, an __mro__ tuple (C3, CPython's order) and a
 * version tag that keys the runtime's method cache.  The static type
 * structs are never written: this state lives in the runtime.
 */
/* type.__dict__ as a dict: BORROWED (valid while the runtime lives / the
 * type is alive); NULL + MemoryError on first use under memory pressure.
 * Change it only through pm_setattr on the type, or call pm_type_modified
 * afterwards. */
PM_API pm_object *pm_type_dict(pm_runtime *rt, const pm_type *type);
/* type.__mro__ / type.__bases__: BORROWED tuples; NULL + error (memory). */
PM_API pm_object *pm_type_mro(pm_runtime *rt, const pm_type *type);
PM_API pm_object *pm_type_bases(pm_runtime *rt, const pm_type *type);
/* _PyType_Lookup: the first definition of `name` (a str) along type's MRO,
 * through the runtime's method cache (keyed by version tag and name; a hit
 * allocates nothing).  BORROWED ref, or NULL: with no error set when the
 * name is not defined, with the error set when a lazy type dict could not
 * be made (memory). */
PM_API pm_object *pm_type_lookup(pm_runtime *rt, const pm_type *type, pm_object *name);
/* PyType_Modified: the type's dict (or a base's) changed behind the
 * library's back; drop the cached lookups of the type and its subclasses. */
PM_API void pm_type_modified(pm_runtime *rt, const pm_type *type);
/* PyType_ClearCache: empties the method cache (dropping the names it
 * holds); every later lookup misses once.  Returns the last version tag
 * handed out.  Cannot fail. */
PM_API unsigned int pm_type_clear_cache(pm_runtime *rt);
/* Drops what the runtime built lazily for the static types: their
 * __dict__, __bases__ and __mro__ (made again on the next use) and the
 * method cache.  For leak checks that compare the heap before and after a
 * run: a type first used during the run no longer counts as the run's
 * memory.  Objects still holding a type's old dict keep it alive.  Weak
 * references to static types (kept in that state) are marked dead, with
 * no callback. */
PM_API void pm_type_state_clear(pm_runtime *rt);
/* The type's name as __name__ shows it ("int", a class's name; for a static
 * type named "module.name", the part after the last dot).  Cannot fail. */
PM_API const char *pm_type_name(const pm_type *type);
/* A type as an object (types are objects whose type is `type`). */
static inline pm_object *pm_type_as_object(const pm_type *t) { return (pm_object *)(void *)(uintptr_t)t; }
/* 1 when o is a type object (isinstance(o, type)). */
static inline int pm_type_check(const pm_object *o) {
    return (o->ob_type->flags & PM_TPFLAGS_TYPE_SUBCLASS) != 0;
}

/* ---- calls --------------------------------------------------------------- */

/* callable(o): the type has a call slot. */
PM_API int pm_callable(const pm_object *o);
/* A built-in function (type builtin_function_or_method) for the method
 * table entry ml — static storage that outlives the runtime — bound to
 * self (borrowed, kept; NULL: a plain function such as len, repr
 * "<built-in function len>"; a type: a classmethod bound to it).  Called
 * through pm_call by ml's convention (PM_METH_*) with CPython's count
 * errors ("len() takes exactly one argument (0 given)", "list.clear()
 * takes no arguments (1 given)", "X() takes no keyword arguments").  The
 * interpreter's built-in modules are tables of these.  New ref.
 * (A static type's methods/members/getset tables become method, member and
 * getset descriptors in its __dict__ on first use: pm_type_dict.) */
PM_API pm_object *pm_cfunction_new(pm_runtime *rt, const pm_method_def *ml, pm_object *self);
/* callable(*args, **kw) by the vectorcall convention (pm_vectorcallfunc):
 * args borrowed, nargsf may carry PM_VECTORCALL_ARGUMENTS_OFFSET, kwnames a
 * tuple of strs or NULL.  TypeError "'int' object is not callable".  Counts
 * one level against the recursion limit (" while calling a Python object")
 * unless the callable's type has PM_TPFLAGS_CALL_UNCOUNTED or it is a type
 * with PM_TPFLAGS_NEW_UNCOUNTED.  New ref. */
PM_API pm_object *pm_call(pm_runtime *rt, pm_object *callable, pm_object *const *args,
                          size_t nargsf, pm_object *kwnames);
/* pm_call counting no recursion level at all: for an interpreter whose
 * specialized call makes the call directly (CPython 3.11's CALL of str,
 * tuple or type with one argument).  New ref. */
PM_API pm_object *pm_call_uncounted(pm_runtime *rt, pm_object *callable, pm_object *const *args,
                                    size_t nargsf, pm_object *kwnames);
/* 1 when callable is a built-in function or a method descriptor of the
 * PM_METH_FASTCALL convention (its call counts no recursion level, as
 * CPython 3.11's specialized CALLs make it; an interpreter mirroring
 * 3.11's warm-up counts one while the calling code is cold), else 0. */
PM_API int pm_cfunction_is_fastcall(const pm_object *callable);
/* callable(*args, **kwargs): args a tuple or NULL (no positional), kwargs a
 * dict or NULL (PyObject_Call).  New ref. */
PM_API pm_object *pm_call_object(pm_runtime *rt, pm_object *callable, pm_object *args,
                                 pm_object *kwargs);
/* callable() / callable(arg): new ref. */
PM_API pm_object *pm_call_noargs(pm_runtime *rt, pm_object *callable);
PM_API pm_object *pm_call_one(pm_runtime *rt, pm_object *callable, pm_object *arg);
/* obj.name(*args): CPython's PyObject_VectorcallMethod — when name is a
 * method descriptor found on the type (PM_TPFLAGS_METHOD_DESCRIPTOR) and
 * not shadowed by the instance, the descriptor is called with obj prepended
 * and no bound method is made.  name: a str (best interned); args[0 ..
 * nargs-1] are the arguments after self.  New ref. */
PM_API pm_object *pm_call_method(pm_runtime *rt, pm_object *obj, pm_object *name,
                                 pm_object *const *args, pm_ssize_t nargs);
/* The exact PyObject_VectorcallMethod: args[0] is self, the positional
 * count in nargsf includes self, kwnames as pm_call. */
PM_API pm_object *pm_vectorcall_method(pm_runtime *rt, pm_object *name,
                                       pm_object *const *args, size_t nargsf,
                                       pm_object *kwnames);

/* ---- the number protocol -------------------------------------------------- */

/* Binary operators, numbered as CPython 3.11's BINARY_OP argument
 * (dis._nb_ops), so the interpreter passes its oparg through: 0..12 are
 * the binary operators, 13..25 the in-place ones (op + 13). */
enum {
    PM_NB_ADD = 0, PM_NB_AND = 1, PM_NB_FLOOR_DIVIDE = 2, PM_NB_LSHIFT = 3,
    PM_NB_MATRIX_MULTIPLY = 4, PM_NB_MULTIPLY = 5, PM_NB_REMAINDER = 6, PM_NB_OR = 7,
    PM_NB_POWER = 8, PM_NB_RSHIFT = 9, PM_NB_SUBTRACT = 10, PM_NB_TRUE_DIVIDE = 11,
    PM_NB_XOR = 12,
    PM_NB_INPLACE_ADD = 13, PM_NB_INPLACE_AND = 14, PM_NB_INPLACE_FLOOR_DIVIDE = 15,
    PM_NB_INPLACE_LSHIFT = 16, PM_NB_INPLACE_MATRIX_MULTIPLY = 17,
    PM_NB_INPLACE_MULTIPLY = 18, PM_NB_INPLACE_REMAINDER = 19, PM_NB_INPLACE_OR = 20,
    PM_NB_INPLACE_POWER = 21, PM_NB_INPLACE_RSHIFT = 22, PM_NB_INPLACE_SUBTRACT = 23,
    PM_NB_INPLACE_TRUE_DIVIDE = 24, PM_NB_INPLACE_XOR = 25
};
/* a <op> b (op 0..12) or a <op>= b (op 13..25) with CPython's rules
 * (binary_op1): b's slot first when type(b) is a proper subclass of type(a)
 * with a different slot; NotImplemented passes to the other operand; the
 * in-place form tries the in-place slot of a, then the binary rules; + and *
 * fall back to sq_concat / sq_repeat (and += / *= to the in-place sequence
 * slots); ** passes None as the modulus.  TypeError "unsupported operand
 * type(s) for +: 'int' and 'str'" (CPython's texts, incl. "for ** or
 * pow()", "can't multiply sequence by non-int of type 'float'").  New ref;
 * a in-place result may be a itself (new ref). */
PM_API pm_object *pm_number_binop(pm_runtime *rt, pm_object *a, pm_object *b, int op);
/* pow(a, b, c) (c may be PM_NONE): new ref. */
PM_API pm_object *pm_number_power(pm_runtime *rt, pm_object *a, pm_object *b, pm_object *c);
/* divmod(a, b): new ref (a tuple from the built-in types). */
PM_API pm_object *pm_number_divmod(pm_runtime *rt, pm_object *a, pm_object *b);
/* -a, +a, abs(a), ~a: new refs; TypeError "bad operand type for unary -: 'str'",
 * "bad operand type for abs(): 'str'". */
PM_API pm_object *pm_number_negative(pm_runtime *rt, pm_object *a);
PM_API pm_object *pm_number_positive(pm_runtime *rt, pm_object *a);
PM_API pm_object *pm_number_absolute(pm_runtime *rt, pm_object *a);
PM_API pm_object *pm_number_invert(pm_runtime *rt, pm_object *a);
/* operator.index(o) (PyNumber_Index): an exact int, new ref; TypeError
 * "'float' object cannot be interpreted as an integer". */
PM_API pm_object *pm_index(pm_runtime *rt, pm_object *o);
/* PyNumber_AsSsize_t: index(o) as a pm_ssize_t.  Out of range, by
 * `on_overflow`: PM_INDEX_CLAMP clamps to PM_SSIZE_MIN/MAX (CPython's NULL
 * exc); PM_INDEX_OVERFLOWERROR / PM_INDEX_INDEXERROR raise that error
 * "cannot fit 'int' into an index-sized integer".  -1 + error on failure. */
enum { PM_INDEX_CLAMP = 0, PM_INDEX_OVERFLOWERROR = 1, PM_INDEX_INDEXERROR = 2 };
PM_API pm_ssize_t pm_index_as_ssize(pm_runtime *rt, pm_object *o, int on_overflow);
/* 1 when o supports int() or float() or operator.index (PyNumber_Check). */
PM_API int pm_number_check(const pm_object *o);
#define PM_SSIZE_MAX ((pm_ssize_t)(SIZE_MAX >> 1))
#define PM_SSIZE_MIN (-PM_SSIZE_MAX - 1)

/* sys.getsizeof(o): the type's size_of hook, else basicsize + itemsize *
 * |ob_size|; plus sizeof(pm_gc_head) for gc types.  Cannot fail. */
PM_API size_t pm_getsizeof(pm_runtime *rt, pm_object *o);
/* The bytes sys.getsizeof adds to __sizeof__() for an instance of t
 * (CPython 3.11's _PyType_PreHeaderSize): the gc head for gc types, and two
 * words where CPython would keep the class's __dict__ in a pre-header
 * (a class over a fixed-size base that adds a __dict__). */
PM_API size_t pm_type_preheader_size(const pm_type *t);
/* 1 when o's type is a gc type (has a gc head). */
PM_API int pm_is_gc(const pm_object *o);
/* 1 when o is a gc object currently in the runtime's generation lists. */
PM_API int pm_gc_is_tracked(const pm_object *o);
/* Drop every free list (floats, tuples, lists, dicts, ...) now, and the
 * intern table's array when no string is interned.  Returns the number of
 * objects freed. */
PM_API size_t pm_freelists_clear(pm_runtime *rt);

/* ---- int (arbitrary precision, 30-bit digits) / bool --------------------- */

/* Results that are in -5..256 are the runtime's cached objects. */
PM_API pm_object *pm_int_from_long(pm_runtime *rt, long v);                   /* new ref */
PM_API pm_object *pm_int_from_longlong(pm_runtime *rt, long long v);          /* new ref */
PM_API pm_object *pm_int_from_ulonglong(pm_runtime *rt, unsigned long long v);/* new ref */
PM_API pm_object *pm_int_from_ssize(pm_runtime *rt, pm_ssize_t v);            /* new ref */
/* int(d): truncates; ValueError for nan, OverflowError for inf. */
PM_API pm_object *pm_int_from_double(pm_runtime *rt, double d);               /* new ref */
/* int(s) in base 2..36 or 0 (auto prefix), like int(str, base): surrounding
 * whitespace, a sign, '_' between digits.  len -1: strlen.  ValueError
 * "invalid literal for int() with base 10: 'x'". */
PM_API pm_object *pm_int_from_string(pm_runtime *rt, const char *s, pm_ssize_t len, int base);
static inline int pm_int_check(const pm_object *o) {
    return (o->ob_type->flags & PM_TPFLAGS_INT_SUBCLASS) != 0;
}
/* To C: -1 with OverflowError "Python int too large to convert to C long"
 * (test pm_err_occurred). */
PM_API long pm_int_as_long(pm_runtime *rt, pm_object *o);
PM_API long long pm_int_as_longlong(pm_runtime *rt, pm_object *o);
PM_API pm_ssize_t pm_int_as_ssize(pm_runtime *rt, pm_object *o);
/* float(o): OverflowError "int too large to convert to float". -1.0 + error. */
PM_API double pm_int_as_double(pm_runtime *rt, pm_object *o);
/* -1, 0, 1; cannot fail. */
PM_API int pm_int_compare(const pm_object *a, const pm_object *b);
/* -1, 0, 1: the sign of o. */
PM_API int pm_int_sign(const pm_object *o);
/* Arithmetic on ints (bools count as ints): new refs; NULL on error.
 * floordiv/mod round toward -inf as Python; ZeroDivisionError
 * "integer division or modulo by zero". */
PM_API pm_object *pm_int_add(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_int_sub(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_int_mul(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_int_floordiv(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_int_mod(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_int_neg(pm_runtime *rt, pm_object *a);
PM_API pm_object *pm_int_abs(pm_runtime *rt, pm_object *a);
/* a ** b: an int for b >= 0, a float for b < 0 (ZeroDivisionError "0.0
 * cannot be raised to a negative power").  New ref. */
PM_API pm_object *pm_int_pow(pm_runtime *rt, pm_object *a, pm_object *b);
/* a << b, a >> b (floors); ValueError "negative shift count".  New refs. */
PM_API pm_object *pm_int_lshift(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_int_rshift(pm_runtime *rt, pm_object *a, pm_object *b);
/* a & b, a | b, a ^ b, ~a with two's-complement semantics.  New refs. */
PM_API pm_object *pm_int_and(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_int_or(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_int_xor(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_int_invert(pm_runtime *rt, pm_object *a);
/* a / b as a correctly rounded float: new ref; ZeroDivisionError
 * "division by zero", OverflowError "integer division result too large for
 * a float". */
PM_API pm_object *pm_int_truediv(pm_runtime *rt, pm_object *a, pm_object *b);
/* int.bit_length(): bits of |o|.  Cannot fail. */
PM_API size_t pm_int_bit_length(const pm_object *o);
/* sys.get_int_max_str_digits() / sys.set_int_max_str_digits(n) of this
 * runtime (CPython 3.11's limit on int <-> decimal str conversions; 0 =
 * unlimited; initially pm_config.int_max_str_digits, 4300).  set: 0 / -1
 * with ValueError "maxdigits must be 0 or larger than 640" (OverflowError
 * beyond a C int).  Conversions over the limit fail with ValueError
 * "Exceeds the limit (4300 digits) for integer string conversion; use
 * sys.set_int_max_str_digits() to increase the limit" (int -> str) or
 * "... conversion: value has 5000 digits; use ..." (str -> int, any base
 * but 2, 4, 8, 16, 32). */
PM_API int pm_int_get_max_str_digits(pm_runtime *rt);
PM_API int pm_int_set_max_str_digits(pm_runtime *rt, pm_ssize_t maxdigits);

/* ---- float --------------------------------------------------------------- */

PM_API pm_object *pm_float_new(pm_runtime *rt, double v);     /* new ref; uses the free list */
static inline int pm_float_check(const pm_object *o) {
    return (o->ob_type->flags & PM_TPFLAGS_FLOAT_SUBCLASS) != 0;
}
PM_API double pm_float_value(const pm_object *o);             /* o must be a float */
/* float(o) for floats and ints: -1.0 + error otherwise. */
PM_API double pm_float_as_double(pm_runtime *rt, pm_object *o);
/* Shortest repr that round-trips, exactly as CPython's repr(float), written
 * to buf (at least 32 bytes).  Returns the length. */
PM_API size_t pm_float_format_repr(double v, char *buf, size_t size);
/* Arithmetic on floats, or a float and an int: new refs.
 * ZeroDivisionError "float division by zero" / "float floor division by zero"
 * / "float modulo". */
PM_API pm_object *pm_float_add(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_float_sub(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_float_mul(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_float_truediv(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_float_floordiv(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_float_mod(pm_runtime *rt, pm_object *a, pm_object *b);

/* ---- complex ---- */

/* complex: two doubles (32 bytes, getsizeof(1j) == 32); repr, hash, == and
 * arithmetic exactly as CPython 3.11 (docs/objects.md; src/objects/complex.c). */
PM_API extern const pm_type pm_complex_type;
static inline int pm_complex_check(const pm_object *o) { return pm_is_instance(o, &pm_complex_type); }
/* complex(real, imag): new ref; MemoryError. */
PM_API pm_object *pm_complex_new(pm_runtime *rt, double real, double imag);
/* z.real / z.imag; o must be a complex.  Cannot fail. */
PM_API double pm_complex_real(const pm_object *o);
PM_API double pm_complex_imag(const pm_object *o);
/* a + b, a - b, a * b, a / b, a ** b where each operand is an int, float or
 * complex and at least one is a complex (else TypeError "unsupported operand
 * type(s) for +: 'int' and 'str'").  New refs; NULL on error:
 * ZeroDivisionError "complex division by zero" (/), "0.0 to a negative or
 * complex power" (**), OverflowError "complex exponentiation" (**) or "int
 * too large to convert to float" (an int operand). */
PM_API pm_object *pm_complex_add(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_complex_sub(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_complex_mul(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_complex_truediv(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_complex_pow(pm_runtime *rt, pm_object *a, pm_object *b);
/* -z, z.conjugate(): new refs (complex).  abs(z): new ref to a float;
 * OverflowError "absolute value too large".  SystemError for a non-complex. */
PM_API pm_object *pm_complex_neg(pm_runtime *rt, pm_object *a);
PM_API pm_object *pm_complex_conjugate(pm_runtime *rt, pm_object *a);
PM_API pm_object *pm_complex_abs(pm_runtime *rt, pm_object *a);
/* a ** b for floats and ints (at least one may be either): CPython's
 * float_pow.  New ref to a float, or to a complex when a < 0 and b is not
 * integral (pow(-8, 1/3)).  ZeroDivisionError "0.0 cannot be raised to a
 * negative power", OverflowError "(34, 'Numerical result out of range')",
 * TypeError for other operand types. */
PM_API pm_object *pm_float_pow(pm_runtime *rt, pm_object *a, pm_object *b);

/* ---- str (compact ASCII / latin-1 / UCS-2 / UCS-4, like PEP 393) -------- */

/* Decode UTF-8 (len -1: strlen).  UnicodeDecodeError on invalid input
 * (surrogates encoded in UTF-8 are rejected as by CPython's strict codec). */
PM_API pm_object *pm_str_from_utf8(pm_runtime *rt, const char *s, pm_ssize_t len); /* new ref */
PM_API pm_object *pm_str_from_cstr(pm_runtime *rt, const char *s);                /* new ref */
/* A str from printf-style formatting (the result must be valid UTF-8). */
PM_API pm_object *pm_str_from_format(pm_runtime *rt, const char *fmt, ...)    /* new ref */
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* From code points (each must be < 0x110000); picks the narrowest kind. */
PM_API pm_object *pm_str_from_ucs4(pm_runtime *rt, const uint32_t *cps, pm_ssize_t n); /* new ref */
static inline int pm_str_check(const pm_object *o) {
    return (o->ob_type->flags & PM_TPFLAGS_STR_SUBCLASS) != 0;
}
PM_API pm_ssize_t pm_str_length(const pm_object *s);     /* code points */
PM_API int pm_str_kind(const pm_object *s);              /* 1, 2 or 4 bytes per code point */
PM_API uint32_t pm_str_read_char(const pm_object *s, pm_ssize_t i); /* 0 <= i < len */
/* s[i] (negative i counts from the end): new ref; IndexError "string index out of range". */
PM_API pm_object *pm_str_getitem(pm_runtime *rt, pm_object *s, pm_ssize_t i);
PM_API pm_object *pm_str_concat(pm_runtime *rt, pm_object *a, pm_object *b); /* new ref */
/* s[start:stop:step] (PM_SLICE_NONE for an omitted bound; indices adjusted as
 * Python does): new ref.  ValueError "slice step cannot be zero". */
PM_API pm_object *pm_str_slice(pm_runtime *rt, pm_object *s, pm_ssize_t start, pm_ssize_t stop,
                               pm_ssize_t step);
/* s * count (count < 0 gives ''): new ref. */
PM_API pm_object *pm_str_repeat(pm_runtime *rt, pm_object *s, pm_ssize_t count);
/* sep.join(iterable): new ref; TypeError "sequence item 1: expected str
 * instance, int found". */
PM_API pm_object *pm_str_join(pm_runtime *rt, pm_object *sep, pm_object *iterable);
/* Code-point order: <0, 0, >0.  Cannot fail. */
PM_API int pm_str_compare(const pm_object *a, const pm_object *b);
PM_API int pm_str_equal_cstr(const pm_object *s, const char *ascii);
/* UTF-8 bytes of s, NUL-terminated.  Borrowed: lives as long as s (for
 * non-ASCII strings it is cached in the object, as CPython does).  NULL on
 * MemoryError, or UnicodeEncodeError when s holds a lone surrogate.  *len
 * may be NULL. */
PM_API const char *pm_str_as_utf8(pm_runtime *rt, pm_object *s, pm_ssize_t *len);
/* Interning: returns a NEW ref to the canonical equal string (s itself when
 * s becomes canonical).  s is borrowed.  Interned strings stay in the
 * runtime's table until their count reaches zero (CPython 3.11's mortal
 * interning) or the runtime is destroyed.  When the table cannot grow the
 * string is returned un-interned and no error is set. */
PM_API pm_object *pm_str_intern(pm_runtime *rt, pm_object *s);
PM_API pm_object *pm_str_intern_cstr(pm_runtime *rt, const char *s);   /* new ref */
PM_API int pm_str_is_interned(const pm_object *s);
/* Number of strings in rt's intern table. */
PM_API size_t pm_intern_count(pm_runtime *rt);

/* ---- bytes / bytearray --------------------------------------------------- */

PM_API pm_object *pm_bytes_new(pm_runtime *rt, const void *data, pm_ssize_t len); /* new ref; data may be NULL (zeros) */
static inline int pm_bytes_check(const pm_object *o) {
    return (o->ob_type->flags & PM_TPFLAGS_BYTES_SUBCLASS) != 0;
}
PM_API const char *pm_bytes_data(const pm_object *b);    /* borrowed, NUL-terminated */
PM_API pm_ssize_t pm_bytes_size(const pm_object *b);
PM_API pm_object *pm_bytes_concat(pm_runtime *rt, pm_object *a, pm_object *b); /* new ref */

PM_API pm_object *pm_bytearray_new(pm_runtime *rt, const void *data, pm_ssize_t len); /* new ref */
static inline int pm_bytearray_check(const pm_object *o) { return pm_is_instance(o, &pm_bytearray_type); }
PM_API char *pm_bytearray_data(pm_object *ba);           /* borrowed; moves on resize */
PM_API pm_ssize_t pm_bytearray_size(const pm_object *ba);
/* Resize with CPython's over-allocation.  BufferError "Existing exports of
 * data: object cannot be re-sized" while a buffer is exported. */
PM_API int pm_bytearray_resize(pm_runtime *rt, pm_object *ba, pm_ssize_t size);
PM_API int pm_bytearray_append(pm_runtime *rt, pm_object *ba, int byte);
PM_API int pm_bytearray_extend(pm_runtime *rt, pm_object *ba, const void *data, pm_ssize_t len);
/* The export count (buffers handed out and not released). */
PM_API pm_ssize_t pm_bytearray_exports(const pm_object *ba);

/* ------------------------------------------------------------------------ */
/* Containers                                                                */
/* ------------------------------------------------------------------------ */
/*
 * list, tuple, dict, set, frozenset, and instances of classes made at run
 * time, with CPython 3.11's layouts, growth rules and free lists, so that
 * pm_getsizeof agrees with python3 (docs/containers.md has the table).
 * All are gc types (a 16-byte pm_gc_head in front), tracked from creation.
 *
 * Ownership, as everywhere in this header: arguments are BORROWED unless a
 * comment says STOLEN; containers take their own reference to what they
 * store.  Functions that "can fail" return NULL / -1 with the error in rt
 * (MemoryError, IndexError, KeyError, TypeError ...) and leave the container
 * as it was — except the bulk operations (extend, update, sort), which keep
 * what they did before the failure, as CPython's.  Passing an object of the
 * wrong type is a SystemError ("bad argument to internal function"), except
 * for the *_size / *_next accessors marked "cannot fail", which trust their
 * argument.  Indices may be negative (from the end).
 *
 * Free lists (pm_freelists_clear empties them; destroying the runtime too):
 * 80 list objects, 80 dict objects + 80 minimum-size str-key dict tables,
 * and up to 2000 tuples of each length 1..20.
 */

PM_API extern const pm_type pm_list_type;
PM_API extern const pm_type pm_tuple_type;
PM_API extern const pm_type pm_dict_type;
PM_API extern const pm_type pm_set_type;
PM_API extern const pm_type pm_frozenset_type;

static inline int pm_list_check(const pm_object *o) {
    return (o->ob_type->flags & PM_TPFLAGS_LIST_SUBCLASS) != 0;
}
static inline int pm_tuple_check(const pm_object *o) {
    return (o->ob_type->flags & PM_TPFLAGS_TUPLE_SUBCLASS) != 0;
}
static inline int pm_dict_check(const pm_object *o) {
    return (o->ob_type->flags & PM_TPFLAGS_DICT_SUBCLASS) != 0;
}
/* set or frozenset (or a subtype of either). */
static inline int pm_anyset_check(const pm_object *o) {
    return pm_is_instance(o, &pm_set_type) || pm_is_instance(o, &pm_frozenset_type);
}

/* ---- list ---------------------------------------------------------------- */

/* [] — NEW ref; can fail. */
PM_API pm_object *pm_list_new(pm_runtime *rt);
/* [items[0], ..., items[n-1]] with room for exactly n (BUILD_LIST n).  Items
 * borrowed (the list increfs them).  NEW ref; can fail. */
PM_API pm_object *pm_list_from_array(pm_runtime *rt, pm_object *const *items, pm_ssize_t n);
PM_API pm_ssize_t pm_list_size(const pm_object *list);       /* len(list); cannot fail */
PM_API pm_ssize_t pm_list_allocated(const pm_object *list);  /* capacity (slots); cannot fail */
/* list[i]: BORROWED ref; NULL + IndexError "list index out of range". */
PM_API pm_object *pm_list_get(pm_runtime *rt, pm_object *list, pm_ssize_t i);
/* list[i] = item (item borrowed; the old item is released).  0 / -1
 * (IndexError "list assignment index out of range"). */
PM_API int pm_list_set(pm_runtime *rt, pm_object *list, pm_ssize_t i, pm_object *item);
/* list.append(item) with CPython's over-allocation.  0 / -1 (MemoryError). */
PM_API int pm_list_append(pm_runtime *rt, pm_object *list, pm_object *item);
/* list.insert(where, item): where is clamped as in Python.  0 / -1. */
PM_API int pm_list_insert(pm_runtime *rt, pm_object *list, pm_ssize_t where, pm_object *item);
/* list.extend(iterable): lists and tuples are copied in one step; anything
 * else is iterated after making room for its length hint, then the array is
 * cut back.  An empty list gets exactly the length (hint) rounded up to
 * even, as CPython.  0 / -1. */
PM_API int pm_list_extend(pm_runtime *rt, pm_object *list, pm_object *iterable);
/* list.pop(i) (i = -1: the last): NEW ref; NULL + IndexError ("pop from
 * empty list", "pop index out of range"). */
PM_API pm_object *pm_list_pop(pm_runtime *rt, pm_object *list, pm_ssize_t i);
/* del list[i].  0 / -1 (IndexError). */
PM_API int pm_list_delete(pm_runtime *rt, pm_object *list, pm_ssize_t i);
/* list.clear(): drops every item and the item array.  0 / -1 (bad arg). */
PM_API int pm_list_clear(pm_runtime *rt, pm_object *list);
/* list.reverse().  0 / -1 (bad arg). */
PM_API int pm_list_reverse(pm_runtime *rt, pm_object *list);
/* list.index(value): the first i with list[i] == value; -1 with ValueError
 * "list.index(x): x not in list" (or the comparison's error). */
PM_API pm_ssize_t pm_list_index(pm_runtime *rt, pm_object *list, pm_object *value);
/* tuple(list): NEW ref; can fail. */
PM_API pm_object *pm_list_as_tuple(pm_runtime *rt, pm_object *list);
/* list.sort(): CPython 3.11's timsort (runs, powersort merging, galloping),
 * calling `<` (pm_richcompare_bool PM_LT) on the same pairs in the same
 * order as CPython; stable; reverse != 0 sorts descending, still stable.
 * 0 / -1 (the comparison's error, MemoryError, or ValueError "list modified
 * during sort"); on error the list holds the same items in some order. */
PM_API int pm_list_sort(pm_runtime *rt, pm_object *list, int reverse);
/* A sort key: returns a NEW ref to the key of item (borrowed), or NULL with
 * an error set. */
typedef pm_object *(*pm_sort_key_fn)(pm_runtime *rt, pm_object *item, void *ctx);
/* list.sort(key=..., reverse=...): key(rt, item, ctx) is called once per
 * item, first to last, before any comparison; if one fails the list is
 * left untouched.  key NULL: as pm_list_sort.  Returns as pm_list_sort. */
PM_API int pm_list_sort_key(pm_runtime *rt, pm_object *list, pm_sort_key_fn key, void *ctx,
                            int reverse);
/* list[ilow:ihigh] (bounds clamped as in Python; no negative-index
 * wrapping, as PyList_GetSlice): NEW ref; can fail. */
PM_API pm_object *pm_list_get_slice(pm_runtime *rt, pm_object *list, pm_ssize_t ilow, pm_ssize_t ihigh);
/* list[ilow:ihigh] = v for any iterable v (borrowed); v NULL deletes.
 * 0 / -1 (TypeError "can only assign an iterable", MemoryError — the list is
 * then unchanged).  Slice objects (a[i:j:k] = v, del a[i:j:k], a[i:j:k]) go
 * through pm_setitem / pm_delitem / pm_getitem on lists and tuples. */
PM_API int pm_list_set_slice(pm_runtime *rt, pm_object *list, pm_ssize_t ilow, pm_ssize_t ihigh,
                             pm_object *v);
/* a + b for two lists / two tuples: NEW ref; can fail. */
PM_API pm_object *pm_list_concat(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_tuple_concat(pm_runtime *rt, pm_object *a, pm_object *b);

/* ---- tuple --------------------------------------------------------------- */

/* (items[0], ..., items[n-1]); items borrowed.  n == 0 gives the shared
 * immortal empty tuple.  Lengths 1..20 come from the free list when it has
 * one.  NEW ref; can fail. */
PM_API pm_object *pm_tuple_from_array(pm_runtime *rt, pm_object *const *items, pm_ssize_t n);
/* pm_tuple_pack(rt, 2, a, b) == (a, b); the n arguments are pm_object *,
 * borrowed.  NEW ref; can fail. */
PM_API pm_object *pm_tuple_pack(pm_runtime *rt, pm_ssize_t n, ...);
PM_API pm_ssize_t pm_tuple_size(const pm_object *t);         /* len(t); cannot fail */
/* t[i]: BORROWED ref; NULL + IndexError "tuple index out of range". */
PM_API pm_object *pm_tuple_get(pm_runtime *rt, pm_object *t, pm_ssize_t i);

/* ---- inline views for an interpreter's fast paths ----------------------- */
/* The layouts are CPython 3.11's (sys.getsizeof fixes them) and
 * src/objects' (tests/vm/test_vmfast.c checks each view against the
 * functions above).  Use a view only after an exact type check; the
 * pointers are borrowed and valid until the object changes. */
typedef struct pm_float_view {
    pm_object ob_base;              /* refcount + &pm_float_type */
    double ob_fval;                 /* the value */
} pm_float_view;
typedef struct pm_list_view {
    pm_varobject ob_base;           /* ob_size: items in use */
    pm_object **ob_item;            /* the item array */
    pm_ssize_t allocated;           /* slots in ob_item */
} pm_list_view;
/* float value of an exact float (pm_float_value without the call). */
static inline double pm_float_view_value(const pm_object *o) { return ((const pm_float_view *)o)->ob_fval; }
/* The items of a tuple / a list (BORROWED; len is pm_var_size). */
static inline pm_object **pm_tuple_items(pm_object *t) {
    return (pm_object **)(void *)((char *)t + sizeof(pm_varobject));
}
static inline pm_object **pm_list_items(pm_object *l) { return ((pm_list_view *)l)->ob_item; }
typedef struct pm_dict_view {
    pm_object ob_base;              /* refcount + type */
    pm_ssize_t used;                /* len(d) */
    uint64_t version;               /* changes with every change of d, and no
                                       two dicts of a runtime share one */
} pm_dict_view;
/* A dict's version (CPython's ma_version_tag): while it is unchanged, a
 * value read from d is still there and still d's. */
static inline uint64_t pm_dict_view_version(const pm_object *d) { return ((const pm_dict_view *)d)->version; }
/* type's version tag (CPython's tp_version_tag): non-zero and unchanged
 * while neither type nor a class on its MRO changes; 0 when it has none
 * (then cache nothing).  Cannot fail. */
PM_API unsigned int pm_type_version(pm_runtime *rt, const pm_type *type);
/* An int of at most one 30-bit digit: 1 with *v its value; else 0. */
static inline int pm_int_view_small(const pm_object *o, long *v) {
    pm_ssize_t n = ((const pm_varobject *)o)->ob_size;
    if (n < -1 || n > 1) return 0;
    *v = (long)n * (long)*(const uint32_t *)(const void *)((const char *)o + sizeof(pm_varobject));
    return 1;
}

/* ---- dict ---------------------------------------------------------------- */

/* {} — shares the static empty table until the first insertion.  NEW ref;
 * can fail. */
PM_API pm_object *pm_dict_new(pm_runtime *rt);
/* A dict sized for minused items without growing (_PyDict_NewPresized; a
 * general-key table).  NEW ref; can fail. */
PM_API pm_object *pm_dict_new_presized(pm_runtime *rt, pm_ssize_t minused);
/* {keys[0]: values[0], ...} as the BUILD_MAP instruction builds it
 * (_PyDict_FromItems: presized, str-key table when every key is a str).
 * Arrays borrowed.  NEW ref; can fail (TypeError for an unhashable key). */
PM_API pm_object *pm_dict_from_items(pm_runtime *rt, pm_object *const *keys,
                                     pm_object *const *values, pm_ssize_t n);
PM_API pm_ssize_t pm_dict_size(const pm_object *d);          /* len(d); cannot fail */
/* d[key] = value (both borrowed).  0 / -1 (TypeError "unhashable type:
 * 'list'", MemoryError when the table cannot grow — d is unchanged). */
PM_API int pm_dict_set(pm_runtime *rt, pm_object *d, pm_object *key, pm_object *value);
/* d.get(key): BORROWED ref, or NULL — with no error set when the key is
 * absent, with the error set when hashing/comparing failed. */
PM_API pm_object *pm_dict_get(pm_runtime *rt, pm_object *d, pm_object *key);
/* del d[key].  0 / -1 (KeyError whose message is repr(key)). */
PM_API int pm_dict_del(pm_runtime *rt, pm_object *d, pm_object *key);
/* d.pop(key[, deflt]): NEW ref; deflt NULL means "no default" (KeyError). */
PM_API pm_object *pm_dict_pop(pm_runtime *rt, pm_object *d, pm_object *key, pm_object *deflt);
/* d.popitem(): NEW ref to a (key, value) tuple, last inserted first;
 * KeyError "'popitem(): dictionary is empty'". */
PM_API pm_object *pm_dict_popitem(pm_runtime *rt, pm_object *d);
/* key in d: 1 / 0 / -1. */
PM_API int pm_dict_contains(pm_runtime *rt, pm_object *d, pm_object *key);
/* d.clear(): back to the shared empty table.  0 / -1 (bad arg). */
PM_API int pm_dict_clear(pm_runtime *rt, pm_object *d);
/* Iterate in insertion order: start with *pos = 0; returns 1 and sets
 * *key / *value (BORROWED; either pointer may be NULL) or 0 at the end.  The
 * dict must not change during the walk (PyDict_Next's contract). */
PM_API int pm_dict_next(const pm_object *d, pm_ssize_t *pos, pm_object **key, pm_object **value);
/* list(d.keys()), list(d.values()), list(d.items()): NEW refs; can fail. */
PM_API pm_object *pm_dict_keys(pm_runtime *rt, pm_object *d);
PM_API pm_object *pm_dict_values(pm_runtime *rt, pm_object *d);
PM_API pm_object *pm_dict_items(pm_runtime *rt, pm_object *d);
/* iter(d.values()) / iter(d.items()) (pm_iter(d) iterates the keys): NEW
 * refs; next() raises RuntimeError "dictionary changed size during
 * iteration" when d grew or shrank meanwhile. */
PM_API pm_object *pm_dict_iter_values(pm_runtime *rt, pm_object *d);
PM_API pm_object *pm_dict_iter_items(pm_runtime *rt, pm_object *d);
/* d.update(other) for a dict other.  0 / -1 (d keeps what was merged). */
PM_API int pm_dict_update(pm_runtime *rt, pm_object *d, pm_object *other);
/* d.copy(): NEW ref; can fail. */
PM_API pm_object *pm_dict_copy(pm_runtime *rt, pm_object *d);

/* ---- set / frozenset ----------------------------------------------------- */

/* set(iterable) / frozenset(iterable); iterable borrowed, may be NULL for
 * an empty one.  frozenset(f) of a frozenset f returns f.  NEW ref; can fail
 * (TypeError for unhashable items). */
PM_API pm_object *pm_set_new(pm_runtime *rt, pm_object *iterable);
PM_API pm_object *pm_frozenset_new(pm_runtime *rt, pm_object *iterable);
PM_API pm_ssize_t pm_set_size(const pm_object *set);         /* len(s); cannot fail */
/* s.add(key) (key borrowed).  Also fills a brand-new frozenset whose only
 * reference is the caller's (as PySet_Add).  0 / -1; on MemoryError the key
 * is not added. */
PM_API int pm_set_add(pm_runtime *rt, pm_object *set, pm_object *key);
/* s.discard(key): 1 removed, 0 absent, -1 error. */
PM_API int pm_set_discard(pm_runtime *rt, pm_object *set, pm_object *key);
/* s.remove(key): 0, or -1 with KeyError (message repr(key)). */
PM_API int pm_set_remove(pm_runtime *rt, pm_object *set, pm_object *key);
/* key in s (set or frozenset): 1 / 0 / -1. */
PM_API int pm_set_contains(pm_runtime *rt, pm_object *set, pm_object *key);
/* s.pop(): NEW ref; KeyError "'pop from an empty set'". */
PM_API pm_object *pm_set_pop(pm_runtime *rt, pm_object *set);
/* s.clear().  0 / -1 (bad arg). */
PM_API int pm_set_clear(pm_runtime *rt, pm_object *set);
/* s.update(iterable).  0 / -1. */
PM_API int pm_set_update(pm_runtime *rt, pm_object *set, pm_object *iterable);
/* Walk the keys in table order: *pos = 0 first; 1 + *key (BORROWED) or 0. */
PM_API int pm_set_next(const pm_object *set, pm_ssize_t *pos, pm_object **key);
/* a | b, a & b, a - b, a ^ b for sets/frozensets a and b: a NEW set of
 * a's type (set or frozenset), as CPython's operators.  Can fail. */
PM_API pm_object *pm_set_union(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_set_intersection(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_set_difference(pm_runtime *rt, pm_object *a, pm_object *b);
PM_API pm_object *pm_set_symmetric_difference(pm_runtime *rt, pm_object *a, pm_object *b);

/* ---- classes and instances ----------------------------------------------- */

/*
 * pm_class_new(rt, name, slots, nslots) makes a class at run time (a heap
 * type, refcounted; every instance holds a reference to it):
 *   slots == NULL  a plain class (getsizeof of an instance == 56).  As in
 *                  CPython 3.11 the class shares its attribute names with
 *                  its instances, which keep just an array of values (2
 *                  attributes: 80 bytes in all); an instance gets a real
 *                  dict when __dict__ is read or past 30 shared names.
 *   slots != NULL  the __slots__ layout: nslots fixed attribute cells and no
 *                  dict (two slots: getsizeof == 48); setting another name
 *                  is AttributeError.
 * name may be dotted ("__main__.Point"): the last part is the type's name
 * (error messages), the whole is shown by repr ("<__main__.Point object at
 * 0x...>").  slots[] are C strings (ASCII identifiers), interned.  NEW ref;
 * can fail.
 */
PM_API pm_object *pm_class_new(pm_runtime *rt, const char *name, const char *const *slots,
                               pm_ssize_t nslots);
/* An instance of cls (from pm_class_new), no attributes set.  NEW ref; can
 * fail. */
PM_API pm_object *pm_instance_new(pm_runtime *rt, pm_object *cls);
/* 1 when o is an instance of a class from pm_class_new. */
PM_API int pm_instance_check(const pm_object *o);
/* Attribute access by C string (name interned on the way); the generic
 * pm_getattr / pm_setattr / pm_delattr with a str name work as well.
 * get: NEW ref, NULL + AttributeError "'Point' object has no attribute 'z'".
 * set: value borrowed (NULL deletes).  0 / -1. */
PM_API pm_object *pm_instance_getattr_cstr(pm_runtime *rt, pm_object *o, const char *name);
PM_API int pm_instance_setattr_cstr(pm_runtime *rt, pm_object *o, const char *name,
                                    pm_object *value);

/* ---- function wrappers, views, range and iterators (descr branch) -------- */
/*
 * classmethod, staticmethod, property, the bound method, mappingproxy, the
 * dict views, range and the iterator types of builtins, as CPython 3.11's
 * (src/objects/funcdescr.c, mappingproxy.c, dictview.c, range.c,
 * iterobjects.c).  The builtins module puts the types themselves into
 * builtins; calling a type (pm_call on pm_type_as_object(&pm_range_type))
 * constructs with CPython's argument rules and errors.  Every constructor
 * below returns a NEW reference and can fail (NULL + error); arguments are
 * borrowed.
 */
PM_API extern const pm_type pm_classmethod_type;    /* "classmethod" (gc, 48 bytes) */
PM_API extern const pm_type pm_staticmethod_type;   /* "staticmethod" (gc, 48 bytes) */
PM_API extern const pm_type pm_property_type;       /* "property" (gc, 80 bytes) */
PM_API extern const pm_type pm_method_type;         /* "method": a callable bound to a first argument */
/* classmethod(f) / staticmethod(f) / property(fget, fset, fdel, doc) (each
 * may be NULL for None) / method(func, self). */
PM_API pm_object *pm_classmethod_new(pm_runtime *rt, pm_object *callable);
PM_API pm_object *pm_staticmethod_new(pm_runtime *rt, pm_object *callable);
PM_API pm_object *pm_property_new(pm_runtime *rt, pm_object *fget, pm_object *fset, pm_object *fdel,
                                  pm_object *doc);
PM_API pm_object *pm_method_new(pm_runtime *rt, pm_object *func, pm_object *self);
/* A bound method's __func__ / __self__: borrowed (NULL once cleared by the
 * collector).  getsizeof of a method is 64, as CPython's. */
PM_API pm_object *pm_method_function(const pm_object *m);
PM_API pm_object *pm_method_self(const pm_object *m);
static inline int pm_method_check(const pm_object *o) { return o->ob_type == &pm_method_type; }

/* range: start, stop, step and the length are ints of any size; getsizeof
 * 48; not a gc type.  range(stop) / range(start, stop[, step]) through the
 * type; pm_range_new(rt, start, stop, step): start NULL for 0, step NULL
 * for 1; each converted by operator.index (TypeError "'float' object
 * cannot be interpreted as an integer"); ValueError "range() arg 3 must not
 * be zero".  iter() gives a range_iterator (C longs) or a
 * longrange_iterator (ints), as CPython. */
PM_API extern const pm_type pm_range_type;          /* "range" */
PM_API pm_object *pm_range_new(pm_runtime *rt, pm_object *start, pm_object *stop, pm_object *step);
static inline int pm_range_check(const pm_object *o) { return o->ob_type == &pm_range_type; }
/* The iterator types of builtins (gc types, constructed by calling the
 * type: enumerate(iterable, start=0), zip(*iterables, strict=False),
 * map(func, *iterables), filter(func_or_None, iterable), reversed(seq)). */
PM_API extern const pm_type pm_enumerate_type;      /* "enumerate" */
PM_API extern const pm_type pm_zip_type;            /* "zip" */
PM_API extern const pm_type pm_map_type;            /* "map" */
PM_API extern const pm_type pm_filter_type;         /* "filter" */
PM_API extern const pm_type pm_reversed_type;       /* "reversed" */
PM_API extern const pm_type pm_callable_iter_type;  /* "callable_iterator" */
/* iter(callable, sentinel): TypeError "iter(v, w): v must be callable". */
PM_API pm_object *pm_callable_iter_new(pm_runtime *rt, pm_object *callable, pm_object *sentinel);

/* types.MappingProxyType: a read-only view of a mapping (what type.__dict__
 * shows).  mapping: any object with mp_subscript but a list or tuple, else
 * TypeError "mappingproxy() argument must be a mapping, not list".  The
 * proxy keeps a reference to it.  gc type, 40 bytes. */
PM_API extern const pm_type pm_mappingproxy_type;   /* "mappingproxy" */
PM_API pm_object *pm_mappingproxy_new(pm_runtime *rt, pm_object *mapping);
/* d.keys(), d.values(), d.items() as CPython's live views (keys and items
 * set-like: & | - ^ return sets, comparisons with sets, isdisjoint;
 * `mapping`; reversed()).  d must be a dict (SystemError otherwise).  gc
 * types, 40 bytes.  (pm_dict_keys & co. above still return lists.) */
PM_API extern const pm_type pm_dictkeys_type;       /* "dict_keys" */
PM_API extern const pm_type pm_dictvalues_type;     /* "dict_values" */
PM_API extern const pm_type pm_dictitems_type;      /* "dict_items" */
PM_API pm_object *pm_dict_keys_view(pm_runtime *rt, pm_object *d);
PM_API pm_object *pm_dict_values_view(pm_runtime *rt, pm_object *d);
PM_API pm_object *pm_dict_items_view(pm_runtime *rt, pm_object *d);
/* reversed(d): a dict_reversekeyiterator (RuntimeError "dictionary changed
 * size during iteration" as the forward one). */
PM_API pm_object *pm_dict_reversed(pm_runtime *rt, pm_object *d);

/*
 * Classes from Python-level data (objects/heaptype.c, objects/slotdefs.c).
 * Calling `type` with three arguments — pm_call(rt, pm_type_as_object(
 * &pm_type_type), {name, bases, ns}, 3, kwnames) — is type(name, bases,
 * ns): a NEW heap type whose type is `type`, gc-tracked, with CPython
 * 3.11's checks and texts (metaclass conflict, "multiple bases have
 * instance lay-out conflict", __slots__ errors, C3 MRO errors).  Keyword
 * arguments go to __init_subclass__.  Its dict is a copy of ns (plus
 * descriptors for __slots__, __dict__, __weakref__; __doc__ = None when
 * absent; __hash__ = None when __eq__ is defined without __hash__).
 * __module__ is ns['__module__'], else the caller's globals' __name__
 * (pm_runtime_set_globals_hook), else 'builtins'.  __classcell__ is removed from the dict; the library
 * has no cell type, so the interpreter's __build_class__ sets the cell to
 * the class type() returned (CPython's type_new does it itself).  Instances: the base's layout, then one word per __slots__
 * name (sorted, mangled), then the dict and weakref words the class adds;
 * sys.getsizeof equals CPython's (56 for a plain class).
 * Special methods in the dict (or assigned later with pm_setattr on the
 * class) fill the type's slots, so pm_repr, pm_number_binop, pm_getitem,
 * pm_call, ... call them through pm_call (a callable whose type has
 * PM_TPFLAGS_METHOD_DESCRIPTOR is called with self prepended, another
 * descriptor is bound with descr_get first).
 */
/* isinstance(obj, cls) / issubclass(derived, cls): cls a type or a tuple
 * of them (nested); through the MRO of classes.  1 / 0, -1 with TypeError
 * "isinstance() arg 2 must be a type, a tuple of types, or a union",
 * "issubclass() arg 1 must be a class", "issubclass() arg 2 must be a
 * class, a tuple of classes, or a union".  (__instancecheck__ /
 * __subclasscheck__ of metaclasses: not yet — only `type` is a metaclass.) */
PM_API int pm_isinstance(pm_runtime *rt, pm_object *obj, pm_object *cls);
PM_API int pm_issubclass(pm_runtime *rt, pm_object *derived, pm_object *cls);
/* The `super` type (objects/super.c): super(type, obj) / super(type, type2)
 * / super(type) through pm_call on it; attribute lookup along the MRO of
 * type(obj) (or of type2) after `type`, bound to obj (class-level for
 * type2); __thisclass__, __self__, __self_class__; repr "<super: <class
 * 'C'>, <C object>>".  Calling it with no arguments is RuntimeError
 * "super(): no arguments": the interpreter's zero-argument super() calls
 * pm_super_new(rt, __class__ cell contents, first local) instead.
 * pm_super_new: type must be a type (TypeError "super() argument 1 must be
 * a type, not int"); obj NULL or None makes an unbound super; TypeError
 * "super(type, obj): obj must be an instance or subtype of type".  NEW
 * ref. */
PM_API extern const pm_type pm_super_type;
PM_API pm_object *pm_super_new(pm_runtime *rt, pm_object *type, pm_object *obj);

/* ---- formatting (format(), str.format, %) ---- */
/*
 * CPython 3.11's text formatting, messages included.  Every function here
 * returns a NEW reference, steals nothing, and fails by returning NULL with
 * the error set (MemoryError, or the ValueError / TypeError / KeyError /
 * IndexError / OverflowError CPython raises for the same input).
 */
/* format(value, spec): spec is a str (borrowed) or NULL for ''.  The
 * mini-language for int / bool, float, complex and str (fill, align, sign,
 * 'z', '#', '0', width, ',' / '_' grouping, precision, types b c d e E f F
 * g G n o s x X % and none); an empty spec gives str(value); any other type with a
 * non-empty spec is TypeError "unsupported format string passed to
 * list.__format__".  Ints of any size; floats correctly rounded; 'n' uses
 * the C locale. */
PM_API pm_object *pm_format(pm_runtime *rt, pm_object *value, pm_object *spec);
/* The same with the spec as a UTF-8 C string. */
PM_API pm_object *pm_format_cstr(pm_runtime *rt, pm_object *value, const char *spec);
/* ascii(o): repr(o) with non-ASCII code points as \xhh, \uhhhh, \Uhhhhhhhh. */
PM_API pm_object *pm_ascii(pm_runtime *rt, pm_object *o);
/* fmt.format(*args, **kwargs): fmt a str, args a tuple, kwargs a mapping
 * or NULL (all borrowed).  Fields {0} {} {name} {0.attr} {0[key]} {0[1]},
 * conversions !r !s !a, nested {} in specs (two levels: "Max string
 * recursion exceeded"), {{ and }}.  Each field is rendered by pm_format. */
PM_API pm_object *pm_str_format(pm_runtime *rt, pm_object *fmt, pm_object *args, pm_object *kwargs);
/* fmt.format_map(mapping): keyword fields looked up with pm_getitem;
 * positional fields are ValueError "Format string contains positional
 * fields". */
PM_API pm_object *pm_str_format_map(pm_runtime *rt, pm_object *fmt, pm_object *mapping);
/* fmt % args for a str fmt: args is a tuple of arguments, a mapping for
 * %(key)s, or any other single object (borrowed).  Conversions s r a d i u
 * o x X e E f F g G c %, flags - + space # 0, width and precision
 * (including *), h l L ignored. */
PM_API pm_object *pm_str_percent(pm_runtime *rt, pm_object *fmt, pm_object *args);
/* fmt % args for a bytes fmt: as above plus %b; %s / %b need a bytes-like
 * object, %r / %a give ascii(), %c takes an int in range(256) or a single
 * byte.  NEW ref to bytes. */
PM_API pm_object *pm_bytes_percent(pm_runtime *rt, pm_object *fmt, pm_object *args);

/* ------------------------------------------------------------------------ */
/* Buffers and memoryview                                                    */
/* ------------------------------------------------------------------------ */
/*
 * The buffer protocol (PEP 3118, CPython 3.11's Py_buffer) and memoryview.
 *
 * An exporter (bytes, bytearray, memoryview, or a C program's own type with
 * pm_type.getbuffer) fills a pm_buffer describing its memory for a consumer
 * whose request flags say what it can handle; it refuses with CPython's
 * BufferError when it cannot.  pm_buffer_release hands the view back (the
 * exporter's releasebuffer hook runs, then view->obj is decref'd).
 *
 *   consumer                      exporter (e.g. bytearray)
 *   pm_object_getbuffer(o, &v, PM_BUF_FULL_RO) --> getbuffer hook:
 *        v.obj = NEW ref to o, v.buf, v.len, ...   exports++
 *   ... read / write v.buf ...
 *   pm_buffer_release(&v)  ------------------> releasebuffer hook: exports--
 *        v.obj decref'd and set to NULL
 *
 * A memoryview never asks the exporter twice: memoryview(o) takes ONE
 * export into a hidden "managed buffer", and every view derived from it
 * (slices, casts, toreadonly, memoryview(view)) registers with that same
 * managed buffer.  The export is released when the last view is released
 * or freed (docs/memoryview.md).  A memoryview keeps its exporter alive.
 *
 * Ownership: pm_buffer.obj is a NEW reference owned by the view while the
 * view is filled; getbuffer hooks take it (pm_buffer_fill_info does), and
 * releasebuffer hooks must NOT decref it (pm_buffer_release does).
 * shape/strides/suboffsets/format belong to the exporter: read-only for
 * consumers.
 */

/* A filled buffer request: PyBuffer, field for field (80 bytes). */
struct pm_buffer {
    void *buf;                  /* start of the memory (for ndim > 0 with
                                   negative strides: not the lowest address) */
    pm_object *obj;             /* NEW ref to the exporter, or NULL (raw memory) */
    pm_ssize_t len;             /* product(shape) * itemsize, in bytes */
    pm_ssize_t itemsize;        /* bytes per item */
    int readonly;               /* 1: must not be written */
    int ndim;                   /* dimensions, 0..PM_BUF_MAX_NDIM */
    char *format;               /* struct-module format of one item; NULL = "B" */
    pm_ssize_t *shape;          /* ndim items per dimension, or NULL (1-D of len/itemsize) */
    pm_ssize_t *strides;        /* ndim byte steps, or NULL (C-contiguous) */
    pm_ssize_t *suboffsets;     /* ndim PIL-style offsets (< 0: none), or NULL */
    void *internal;             /* the exporter's own use */
};

#define PM_BUF_MAX_NDIM 64

/* Request flags: exactly CPython's PyBUF_* values. */
#define PM_BUF_SIMPLE         0
#define PM_BUF_WRITABLE       0x0001
#define PM_BUF_FORMAT         0x0004
#define PM_BUF_ND             0x0008
#define PM_BUF_STRIDES        (0x0010 | PM_BUF_ND)
#define PM_BUF_C_CONTIGUOUS   (0x0020 | PM_BUF_STRIDES)
#define PM_BUF_F_CONTIGUOUS   (0x0040 | PM_BUF_STRIDES)
#define PM_BUF_ANY_CONTIGUOUS (0x0080 | PM_BUF_STRIDES)
#define PM_BUF_INDIRECT       (0x0100 | PM_BUF_STRIDES)
#define PM_BUF_CONTIG         (PM_BUF_ND | PM_BUF_WRITABLE)
#define PM_BUF_CONTIG_RO      (PM_BUF_ND)
#define PM_BUF_STRIDED        (PM_BUF_STRIDES | PM_BUF_WRITABLE)
#define PM_BUF_STRIDED_RO     (PM_BUF_STRIDES)
#define PM_BUF_RECORDS        (PM_BUF_STRIDES | PM_BUF_WRITABLE | PM_BUF_FORMAT)
#define PM_BUF_RECORDS_RO     (PM_BUF_STRIDES | PM_BUF_FORMAT)
#define PM_BUF_FULL           (PM_BUF_INDIRECT | PM_BUF_WRITABLE | PM_BUF_FORMAT)
#define PM_BUF_FULL_RO        (PM_BUF_INDIRECT | PM_BUF_FORMAT)
/* Access modes of pm_memoryview_from_memory (PyBUF_READ / PyBUF_WRITE). */
#define PM_BUF_READ           0x100
#define PM_BUF_WRITE          0x200

/* 1 when o's type exports buffers (has a getbuffer hook). */
PM_API int pm_object_check_buffer(const pm_object *o);
/* Fill *view from o for `flags`.  0 on success: view->obj is then a NEW ref
 * the caller gives back with pm_buffer_release.  -1 on error (TypeError "a
 * bytes-like object is required, not 'int'", or the exporter's BufferError);
 * *view is then unspecified and must not be released. */
PM_API int pm_object_getbuffer(pm_runtime *rt, pm_object *o, pm_buffer *view, int flags);
/* Release a view filled by pm_object_getbuffer: the exporter's releasebuffer
 * hook runs, view->obj is decref'd and set to NULL.  A view whose obj is
 * NULL is left alone, so releasing twice is harmless. */
PM_API void pm_buffer_release(pm_runtime *rt, pm_buffer *view);
/* For exporters of one contiguous run of unsigned bytes (PyBuffer_FillInfo):
 * fills *view for `flags` over buf[0..len).  obj is borrowed; view->obj
 * becomes a NEW ref to it (obj may be NULL).  -1 with BufferError "Object is
 * not writable." when flags ask for PM_BUF_WRITABLE and readonly is 1. */
PM_API int pm_buffer_fill_info(pm_runtime *rt, pm_buffer *view, pm_object *obj, void *buf,
                               pm_ssize_t len, int readonly, int flags);
/* 1 when the view is contiguous in `order`: 'C' (row-major), 'F' (column-
 * major) or 'A' (either); 0 otherwise (and for views with suboffsets). */
PM_API int pm_buffer_is_contiguous(const pm_buffer *view, char order);
/* Copy the view's items into dst (len bytes, == view->len) laid out in
 * `order` ('C', 'F', or 'A' = as-is when contiguous, else 'C').
 * -1 with ValueError "PyBuffer_ToContiguous: len != view->len" or
 * MemoryError. */
PM_API int pm_buffer_to_contiguous(pm_runtime *rt, void *dst, const pm_buffer *view,
                                   pm_ssize_t len, char order);
/* Strides of a contiguous array of the given shape in `order` ('C' or 'F'). */
PM_API void pm_buffer_fill_contiguous_strides(int ndim, const pm_ssize_t *shape,
                                              pm_ssize_t *strides, pm_ssize_t itemsize,
                                              char order);

/* ---- slice, Ellipsis ------------------------------------------------------ */

PM_API extern const pm_type pm_slice_type;      /* "slice" */
PM_API extern const pm_type pm_ellipsis_type;   /* "ellipsis" */
PM_API extern const pm_object pm_ellipsis_struct;
#define PM_ELLIPSIS ((pm_object *)&pm_ellipsis_struct)   /* immortal */
static inline int pm_slice_check(const pm_object *o) { return o->ob_type == &pm_slice_type; }
/* slice(start, stop, step): each borrowed, NULL meaning None.  NEW ref. */
PM_API pm_object *pm_slice_new(pm_runtime *rt, pm_object *start, pm_object *stop, pm_object *step);
/* slice(start, stop, step) from C integers; PM_SLICE_NONE stands for None. */
#define PM_SLICE_NONE ((pm_ssize_t)INTPTR_MIN)
PM_API pm_object *pm_slice_from_ssize(pm_runtime *rt, pm_ssize_t start, pm_ssize_t stop, pm_ssize_t step);
/* PySlice_Unpack: the three fields as C integers (None -> the defaults,
 * huge values clamped).  -1 with ValueError "slice step cannot be zero" or
 * TypeError "slice indices must be integers or None or have an __index__
 * method". */
PM_API int pm_slice_unpack(pm_runtime *rt, pm_object *slice, pm_ssize_t *start,
                           pm_ssize_t *stop, pm_ssize_t *step);
/* PySlice_AdjustIndices: clamp start/stop to a sequence of `length`; returns
 * the number of items selected.  Cannot fail. */
PM_API pm_ssize_t pm_slice_adjust_indices(pm_ssize_t length, pm_ssize_t *start,
                                          pm_ssize_t *stop, pm_ssize_t step);

/* ---- memoryview ---------------------------------------------------------- */
/*
 * CPython 3.11's memoryview, complete (error types and messages included).
 * Generic operations work on it: pm_getitem / pm_setitem with an int, a
 * slice or a tuple of ints (mv[i], mv[a:b:c], mv[i, j], mv[...]/mv[()] for
 * 0-dim views), pm_length, pm_iter, pm_richcompare (== / != by value with
 * any buffer), pm_hash (read-only views of formats 'B', 'b', 'c'), pm_repr,
 * and pm_getattr for the attributes obj, nbytes, readonly, itemsize,
 * format, ndim, shape, strides, suboffsets, c_contiguous, f_contiguous,
 * contiguous.  == unpacks items as CPython does through the struct module,
 * so views of different formats (or of struct formats such as '<h', '2i'
 * from a C exporter) compare by value.  The methods are the functions
 * below.  Every operation on a
 * released view fails with ValueError "operation forbidden on released
 * memoryview object".
 *
 * Formats: every native single-character struct format c b B ? h H i I l L
 * q Q n N f d e P, optionally prefixed by '@'.  (CPython 3.11 itself
 * refuses 'e' in cast and tolist; pymm accepts it as CPython 3.12 does.)
 */
PM_API extern const pm_type pm_memoryview_type;  /* "memoryview" */
static inline int pm_memoryview_check(const pm_object *o) { return o->ob_type == &pm_memoryview_type; }

/* memoryview(o): NEW ref.  o borrowed (the view keeps a reference to it).
 * TypeError "memoryview: a bytes-like object is required, not 'int'". */
PM_API pm_object *pm_memoryview_new(pm_runtime *rt, pm_object *o);
/* A view of raw memory of `size` bytes, format 'B'; flags PM_BUF_READ or
 * PM_BUF_WRITE.  The memory must outlive the view.  NEW ref. */
PM_API pm_object *pm_memoryview_from_memory(pm_runtime *rt, char *mem, pm_ssize_t size, int flags);
/* A view of a filled pm_buffer, copied (its obj is NOT taken: the caller
 * keeps the memory alive).  NEW ref.  ValueError "PyMemoryView_FromBuffer():
 * info->buf must not be NULL". */
PM_API pm_object *pm_memoryview_from_buffer(pm_runtime *rt, const pm_buffer *info);
/* The view's own buffer description: BORROWED, valid while mv lives and is
 * not released.  mv must be a memoryview (not checked). */
PM_API const pm_buffer *pm_memoryview_buffer(const pm_object *mv);
/* 1 when mv was released (or its export was released by the collector). */
PM_API int pm_memoryview_is_released(const pm_object *mv);

/* mv.release(): 0, or -1 with BufferError "memoryview has 1 exported
 * buffer" while a buffer taken from mv itself is alive.  Releasing twice is
 * a no-op. */
PM_API int pm_memoryview_release(pm_runtime *rt, pm_object *mv);
/* `with mv as m:` — enter returns a NEW ref to mv itself (ValueError when
 * released); exit is mv.release(). */
PM_API pm_object *pm_memoryview_enter(pm_runtime *rt, pm_object *mv);
PM_API int pm_memoryview_exit(pm_runtime *rt, pm_object *mv);

/* mv[i] (1-D): NEW ref to the item (int, float, bool or bytes by format). */
PM_API pm_object *pm_memoryview_item(pm_runtime *rt, pm_object *mv, pm_ssize_t i);
/* mv[idx[0], ..., idx[n-1]]: NEW ref to one item. */
PM_API pm_object *pm_memoryview_item_multi(pm_runtime *rt, pm_object *mv,
                                           const pm_ssize_t *idx, int n);
/* mv[start:stop:step]: NEW ref to a zero-copy view of the same memory
 * (PM_SLICE_NONE for an omitted bound).  ValueError "slice step cannot be
 * zero". */
PM_API pm_object *pm_memoryview_slice(pm_runtime *rt, pm_object *mv, pm_ssize_t start,
                                      pm_ssize_t stop, pm_ssize_t step);
/* mv[i] = value (value borrowed).  0 / -1 (TypeError "cannot modify
 * read-only memory", ValueError "memoryview: invalid value for format 'B'",
 * ...). */
PM_API int pm_memoryview_set_item(pm_runtime *rt, pm_object *mv, pm_ssize_t i, pm_object *value);
/* mv[start:stop:step] = value: value is any buffer of the same format and
 * length (borrowed).  ValueError "memoryview assignment: lvalue and rvalue
 * have different structures". */
PM_API int pm_memoryview_set_slice(pm_runtime *rt, pm_object *mv, pm_ssize_t start,
                                   pm_ssize_t stop, pm_ssize_t step, pm_object *value);
/* mv.tolist(): NEW ref to a (nested) list, or the item for 0-dim views. */
PM_API pm_object *pm_memoryview_tolist(pm_runtime *rt, pm_object *mv);
/* mv.tobytes(order): order "C" (also NULL), "F" or "A".  NEW ref to bytes. */
PM_API pm_object *pm_memoryview_tobytes(pm_runtime *rt, pm_object *mv, const char *order);
/* mv.hex(sep, bytes_per_sep): sep NULL (none) or a str / bytes of length 1
 * (borrowed).  NEW ref to a str. */
PM_API pm_object *pm_memoryview_hex(pm_runtime *rt, pm_object *mv, pm_object *sep, int bytes_per_sep);
/* mv.cast(format, shape): shape NULL (1-D) or a list / tuple of ints
 * (borrowed).  NEW ref to a view sharing mv's export. */
PM_API pm_object *pm_memoryview_cast(pm_runtime *rt, pm_object *mv, const char *format,
                                     pm_object *shape);
/* The same with the shape as a C array; ndim < 0: no shape argument,
 * ndim 0: shape [] (a 0-dim view). */
PM_API pm_object *pm_memoryview_cast_shape(pm_runtime *rt, pm_object *mv, const char *format,
                                           const pm_ssize_t *shape, int ndim);
/* mv.toreadonly(): NEW ref to a read-only view sharing mv's export. */
PM_API pm_object *pm_memoryview_toreadonly(pm_runtime *rt, pm_object *mv);
/* getattr(mv, name) for a C string: NEW ref; AttributeError otherwise. */
PM_API pm_object *pm_memoryview_attr(pm_runtime *rt, pm_object *mv, const char *name);

/* ------------------------------------------------------------------------ */
/* Garbage collector                                                         */
/* ------------------------------------------------------------------------ */
/*
 * CPython 3.11's cycle collector (the gc module) as a C API; the
 * interpreter's gc module will expose these unchanged.  docs/gc.md explains
 * the algorithm on a worked example.
 *
 * Every gc object (a type with PM_TPFLAGS_GC) is, once tracked, in one of
 * three generations.  Allocating a gc object raises generation 0's count,
 * freeing one lowers it; when the count passes threshold 0 (700) the
 * collector runs by itself on the oldest generation whose count passed its
 * threshold (a generation's count is the number of collections of the
 * younger one since it was collected; thresholds 10 and 10), except that a
 * full collection waits until the objects promoted into generation 2 since
 * the last one exceed 25% of it (CPython's long-lived rule).  Survivors move
 * one generation up.
 *
 * A collection finds the objects that only the generation itself refers to
 * (copy every count, subtract the references found by traverse, propagate
 * reachability from what is left positive), then, in CPython's order:
 * clears the weak references to them and calls the callbacks of the weak
 * references that are themselves alive; calls each finalizer (pm_type
 * .finalize, PEP 442) once in the object's life; keeps whatever a finalizer
 * resurrected; breaks the remaining cycles with the types' clear hooks.
 * Collections never nest.  Errors in finalizers, weakref callbacks and gc
 * callbacks are reported through the unraisable hook and the collection goes
 * on.  No step recurses on the C stack: chains of millions of objects are
 * fine.
 *
 * Torture mode (pm_config.gc_torture, env PYMM_GC_TORTURE=1) collects
 * generation 0 at every gc allocation (older generations follow their
 * thresholds): a testing aid that makes any object left inconsistent across
 * an allocation crash early.
 */

#define PM_GC_NUM_GENERATIONS 3
/* gc.DEBUG_* flags (pm_gc_set_debug), same values as CPython's. */
#define PM_GC_DEBUG_STATS         1   /* "gc: collecting generation 0..." lines */
#define PM_GC_DEBUG_COLLECTABLE   2   /* "gc: collectable <list 0x...>" */
#define PM_GC_DEBUG_UNCOLLECTABLE 4   /* "gc: uncollectable <...>" */
#define PM_GC_DEBUG_SAVEALL       32  /* keep garbage in pm_gc_garbage instead of freeing */
#define PM_GC_DEBUG_LEAK (PM_GC_DEBUG_COLLECTABLE | PM_GC_DEBUG_UNCOLLECTABLE | PM_GC_DEBUG_SAVEALL)

/* One entry of gc.get_stats(). */
typedef struct pm_gc_generation_stats {
    pm_ssize_t collections;         /* collections of this generation */
    pm_ssize_t collected;           /* objects collected by them */
    pm_ssize_t uncollectable;       /* objects found uncollectable (always 0:
                                       pymm has no legacy tp_del finalizers) */
} pm_gc_generation_stats;

/* The info dict given to gc.callbacks. */
typedef struct pm_gc_info {
    int generation;                 /* the generation being collected */
    pm_ssize_t collected;           /* "stop" only: objects collected */
    pm_ssize_t uncollectable;       /* "stop" only: objects uncollectable */
} pm_gc_info;

/* A gc.callbacks entry: called with phase "start" before and "stop" after
 * every collection (automatic or explicit).  Return 0, or -1 with an error
 * set (it is reported through the unraisable hook). */
typedef int (*pm_gc_callback)(pm_runtime *rt, const char *phase, const pm_gc_info *info,
                              void *ctx);

/* gc.enable() / gc.disable() / gc.isenabled(): automatic collection. */
PM_API void pm_gc_enable(pm_runtime *rt);
PM_API void pm_gc_disable(pm_runtime *rt);
PM_API int pm_gc_isenabled(pm_runtime *rt);
/* gc.collect(generation): collect generations 0..generation (2 = full).
 * Returns the number of unreachable objects found, counted as CPython
 * counts them (the objects freed plus weak references freed after their
 * callback ran), 0 when a collection is already running; -1 with ValueError
 * "invalid generation" for a generation outside 0..2. */
PM_API pm_ssize_t pm_gc_collect(pm_runtime *rt, int generation);
/* gc.get_count() / gc.get_threshold(): three values each. */
PM_API void pm_gc_get_count(pm_runtime *rt, pm_ssize_t count[3]);
PM_API void pm_gc_get_threshold(pm_runtime *rt, pm_ssize_t threshold[3]);
/* gc.set_threshold(t0, t1, t2); a negative value leaves that one as it is.
 * t0 == 0 turns automatic collection off (as in CPython). */
PM_API void pm_gc_set_threshold(pm_runtime *rt, pm_ssize_t t0, pm_ssize_t t1, pm_ssize_t t2);
/* gc.set_debug(flags) / gc.get_debug(). */
PM_API void pm_gc_set_debug(pm_runtime *rt, int flags);
PM_API int pm_gc_get_debug(pm_runtime *rt);
/* Where the DEBUG_* lines and the default unraisable report are written
 * (CPython: sys.stderr).  NULL: stderr.  The FILE is borrowed. */
PM_API void pm_gc_set_debug_output(pm_runtime *rt, FILE *out);
/* gc.get_objects(generation): a NEW list of every tracked object in that
 * generation (0..2), or in all three for generation -1.  Can fail
 * (MemoryError; ValueError "generation parameter must be less than the
 * number of available generations (3)" / "generation parameter cannot be
 * negative"). */
PM_API pm_object *pm_gc_get_objects(pm_runtime *rt, int generation);
/* gc.get_referrers(*objs): a NEW list of the tracked objects (in the three
 * generations) whose traverse visits any of objs[0..n).  objs borrowed.
 * Can fail. */
PM_API pm_object *pm_gc_get_referrers(pm_runtime *rt, pm_object *const *objs, pm_ssize_t n);
/* gc.get_referents(*objs): a NEW list of what the traverse of each gc object
 * among objs visits (non-gc objects contribute nothing).  Can fail. */
PM_API pm_object *pm_gc_get_referents(pm_runtime *rt, pm_object *const *objs, pm_ssize_t n);
/* gc.is_finalized(o): 1 when o is a gc object whose finalizer has run. */
PM_API int pm_gc_is_finalized(const pm_object *o);
/* gc.freeze(): move every tracked object to the permanent generation,
 * which collections ignore.  gc.unfreeze(): back into generation 2.
 * gc.get_freeze_count(): objects in the permanent generation. */
PM_API void pm_gc_freeze(pm_runtime *rt);
PM_API void pm_gc_unfreeze(pm_runtime *rt);
PM_API pm_ssize_t pm_gc_get_freeze_count(pm_runtime *rt);
/* Check the collector's lists, as pm_alloc_check checks the allocator's:
 * every generation list and the permanent one is a consistent circular
 * doubly linked ring, every object on them is of a gc type with a positive
 * count and no collection flags left, the objects on them number the
 * tracked ones, and no generation count is negative.  Returns 0 when all
 * hold, else -1 with each problem written to out (may be NULL).  Not during
 * a collection (from a finalizer or callback).  O(tracked objects); run
 * after every full collection and at teardown when built with PM_DEBUG=3. */
PM_API int pm_gc_check(pm_runtime *rt, FILE *out);
/* gc.garbage: BORROWED ref to the runtime's garbage list (made on first
 * call; NULL + MemoryError when it cannot be).  With PM_GC_DEBUG_SAVEALL
 * every unreachable object is appended to it instead of being freed; the
 * embedder may clear it (pm_list_clear).  Dropped at runtime teardown. */
PM_API pm_object *pm_gc_garbage(pm_runtime *rt);
/* gc.callbacks.append / remove: callbacks run in the order they were added.
 * add: 0 / -1 (MemoryError).  remove: 0, or -1 with ValueError
 * "list.remove(x): x not in list" when (cb, ctx) is not registered. */
PM_API int pm_gc_callback_add(pm_runtime *rt, pm_gc_callback cb, void *ctx);
PM_API int pm_gc_callback_remove(pm_runtime *rt, pm_gc_callback cb, void *ctx);
/* gc.get_stats(): one entry per generation. */
PM_API void pm_gc_get_stats(pm_runtime *rt, pm_gc_generation_stats stats[3]);

/* ---- writing a gc type in C (PyObject_GC_New / _Track / _UnTrack / _Del) */
/* A new instance of gc type t, all fields zeroed, UNTRACKED: fill it, then
 * pm_gc_track.  NEW ref; can fail.  (May run a collection first, as any gc
 * allocation may.) */
PM_API pm_object *pm_gc_new(pm_runtime *rt, const pm_type *t);
/* Start / stop following o (idempotent).  Track once every field traverse
 * reads is valid; untrack first thing in dealloc. */
PM_API void pm_gc_track(pm_runtime *rt, pm_object *o);
PM_API void pm_gc_untrack(pm_runtime *rt, pm_object *o);
/* Free the memory of a gc object from its dealloc hook (untracks it). */
PM_API void pm_gc_del(pm_runtime *rt, pm_object *o);
/* The start of a dealloc hook for types with a finalizer or weak
 * references, as CPython's subtype_dealloc: runs the finalizer (once;
 * PEP 442) and then clears the weak references to o, calling their
 * callbacks.  Returns 1 when the finalizer resurrected o: the dealloc must
 * then return at once, leaving o alive (and tracked); else 0.  Call it
 * after pm_gc_untrack. */
PM_API int pm_gc_dealloc_begin(pm_runtime *rt, pm_object *o);

/* ---- unraisable errors (sys.unraisablehook) ------------------------------ */
/* Errors raised where nobody can catch them — a finalizer, a weakref or
 * finalize callback, a gc callback, a clear hook — are handed to this hook
 * and cleared (sys.unraisablehook).  `where` is CPython's context text
 * ("Exception ignored in"), obj the object concerned (BORROWED, may be
 * NULL), exc the exception object (BORROWED; pm_err_fetch's, so MemoryError
 * when it could not be made; never NULL).  The hook starts with no error
 * pending; one it leaves is cleared.  The default hook writes "Exception
 * ignored in: <type object at 0x...>" and "Class: str(exc)" to the gc debug
 * output.  hook NULL restores the default. */
typedef void (*pm_unraisable_hook)(pm_runtime *rt, const char *where, pm_object *obj,
                                   pm_object *exc, void *ctx);
PM_API void pm_set_unraisable_hook(pm_runtime *rt, pm_unraisable_hook hook, void *ctx);
/* Report the pending error (if any) through the hook and clear it
 * (PyErr_WriteUnraisable).  obj borrowed, may be NULL. */
PM_API void pm_err_write_unraisable(pm_runtime *rt, const char *where, pm_object *obj);

/* ------------------------------------------------------------------------ */
/* Weak references                                                           */
/* ------------------------------------------------------------------------ */
/*
 * weakref.ref and weakref.finalize.  An object can be weakly referenced when
 * its type sets pm_type.weaklistoffset (the offset of a pm_object * field,
 * NULL-initialised, that heads the object's list of weak references) and its
 * dealloc starts with pm_gc_dealloc_begin.  Instances of pm_class_new
 * classes with a dict, sets and frozensets can be.
 *
 * A weak reference is cleared (it then reports dead) at the moment CPython
 * clears it, in both ways an object dies:
 *   - count reaches zero: the finalizer runs first, then every weakref to
 *     the object is cleared and their callbacks run, newest callback first
 *     (callback-less references sit at the head of the list);
 *   - found by the collector: all weakrefs to all garbage are cleared first,
 *     then the callbacks of those weakrefs that are not garbage themselves
 *     run, then the finalizers, then the clear hooks.
 * A callback receives the (dead) weakref; it runs at most once.
 */

/* A weakref callback: wr is the dead weak reference (BORROWED), data the
 * object given at creation (BORROWED, may be NULL).  Return 0, or -1 with
 * an error set (reported through the unraisable hook). */
typedef int (*pm_weakref_callback)(pm_runtime *rt, pm_object *wr, pm_object *data);

PM_API extern const pm_type pm_weakref_type;    /* "weakref.ReferenceType" */
PM_API extern const pm_type pm_finalize_type;   /* "weakref.finalize" */
PM_API extern const pm_type pm_weakproxy_type;          /* "weakref.ProxyType" */
PM_API extern const pm_type pm_weakcallableproxy_type;  /* "weakref.CallableProxyType" */

/* weakref.ref(obj[, callback]).  callback may be NULL (then data must be
 * NULL too); data is held strongly by the weakref until the callback has
 * run or the weakref dies.  Without a callback an existing callback-less
 * weakref to obj is returned again (as CPython).  NEW ref; can fail
 * (TypeError "cannot create weak reference to 'int' object"). */
PM_API pm_object *pm_weakref_new(pm_runtime *rt, pm_object *obj, pm_weakref_callback cb,
                                 pm_object *data);
/* weakref.ref(obj, callback) from Python: type is pm_weakref_type or a
 * subclass of it (instances of subclasses are never shared); callback a
 * callable (BORROWED), called with the dead weakref, or NULL / PM_NONE for
 * none.  Without a callback an exact ref is shared as pm_weakref_new's.
 * NEW ref; can fail (TypeError as pm_weakref_new, MemoryError). */
PM_API pm_object *pm_weakref_new_object(pm_runtime *rt, const pm_type *type, pm_object *obj,
                                        pm_object *callback);
/* weakref.proxy(obj[, callback]): a CallableProxyType when obj is callable,
 * else a ProxyType; every operation on it goes to obj, or raises
 * ReferenceError "weakly-referenced object no longer exists" once obj is
 * gone.  callback as pm_weakref_new_object's (the callback-less proxy is
 * shared).  NEW ref; can fail. */
PM_API pm_object *pm_weakref_proxy(pm_runtime *rt, pm_object *obj, pm_object *callback);
/* ref.__callback__: a NEW ref to the Python callback, or to PM_NONE (none,
 * already run, or a C callback). */
PM_API pm_object *pm_weakref_get_callback(pm_runtime *rt, pm_object *wr);
/* wr(): a NEW ref to the referent, or a new ref to PM_NONE once it is dead.
 * wr may be any weak reference, proxies included. */
PM_API pm_object *pm_weakref_get(pm_runtime *rt, pm_object *wr);
/* 1 while the referent is alive, else 0. */
PM_API int pm_weakref_is_alive(pm_runtime *rt, pm_object *wr);
/* weakref.getweakrefcount(obj): weak references to obj (0 for types that
 * cannot have any).  Cannot fail. */
PM_API pm_ssize_t pm_weakref_getcount(pm_runtime *rt, pm_object *obj);
/* weakref.getweakrefs(obj): a NEW list of them, in list order.  Can fail. */
PM_API pm_object *pm_weakref_getrefs(pm_runtime *rt, pm_object *obj);

/* weakref.finalize(obj, func, data): func(rt, data) runs at most once —
 * when obj dies (either way), when pm_finalize_call is made, or at runtime
 * teardown if it is still pending and its atexit flag is set (the default);
 * at teardown pending finalizers run newest first.  The runtime keeps the
 * finalizer alive until then (the caller may drop its reference at once).
 * func returns 0, or -1 with an error set (reported as unraisable when it
 * runs because obj died or at teardown).  data is held strongly until func
 * has run or the finalizer is detached.  NEW ref; can fail (TypeError as
 * pm_weakref_new). */
typedef int (*pm_finalize_func)(pm_runtime *rt, pm_object *data);
PM_API pm_object *pm_finalize_new(pm_runtime *rt, pm_object *obj, pm_finalize_func func,
                                  pm_object *data);
/* f(): run func now if still pending.  1 = ran, 0 = already dead, -1 = func
 * failed (its error stays set). */
PM_API int pm_finalize_call(pm_runtime *rt, pm_object *f);
/* f.detach(): if pending, unregister without running: returns 1 and a NEW
 * ref to data in *data (NULL if none); else 0.  data may be NULL. */
PM_API int pm_finalize_detach(pm_runtime *rt, pm_object *f, pm_object **data);
/* f.alive / f.atexit. */
PM_API int pm_finalize_alive(pm_runtime *rt, pm_object *f);
PM_API int pm_finalize_get_atexit(pm_runtime *rt, pm_object *f);
PM_API void pm_finalize_set_atexit(pm_runtime *rt, pm_object *f, int atexit);


/* ------------------------------------------------------------------------ */
/* Seeing memory: heap map, collector timeline, why-alive                    */
/* ------------------------------------------------------------------------ */
/*
 * Tools for looking at a runtime's memory (docs/seeing.md): a picture of
 * every arena, pool and page (src/mem/heapmap.c), a timeline of the
 * collector's collections (src/gc/gctrace.c), and the shortest chain of
 * references from a set of roots to an object (src/gc/referrers.c).
 * The pictures are SVG, written through a pm_write_func so that an embedder
 * can send them anywhere; the _file helpers write to a stdio stream.
 */

/* Receives n bytes of output: returns 0, or -1 to stop the writer (which
 * then returns -1 with OSError recorded). */
typedef int (*pm_write_func)(void *ctx, const char *data, size_t n);

/* What the heap map drew, counted while drawing.  Each count equals the
 * pm_alloc_stats field of the same name taken at the same moment. */
typedef struct pm_heapmap_counts {
    size_t arenas_in_use;       /* arenas holding a pool in use (or fresh) */
    size_t arenas_reserved;     /* empty arenas kept resident */
    size_t pools_in_use;        /* pools serving a size class */
    size_t pools_free;          /* empty pools in arenas in use */
    size_t pools_released;      /* empty pools given back to the OS */
    size_t pages_released;      /* pages given back inside pools in use */
    size_t small_bytes_in_use;  /* bytes in live small blocks */
    pm_size_class_stats size_class[PM_NUM_SIZE_CLASSES]; /* per class, as
                                   pm_alloc_stats.size_class */
} pm_heapmap_counts;

/* Draw the heap map as one SVG document: a row per arena (in use, then
 * reserve), a cell per pool coloured by its size class and filled to its
 * occupancy, its given-back pages struck out; empty and given-back pools
 * drawn apart.  Flushes the free caches first (as pm_alloc_stats_get).
 * Allocates nothing.  counts may be NULL.  0, or -1 (OSError) when write
 * stopped it. */
PM_API int pm_heapmap_write(pm_runtime *rt, pm_write_func write, void *ctx, pm_heapmap_counts *counts);
/* The same into a stdio stream: -1 with OSError when a write fails. */
PM_API int pm_heapmap_write_file(pm_runtime *rt, FILE *f, pm_heapmap_counts *counts);

/* One collection, as the collector saw it (pm_gctrace_start). */
typedef struct pm_gc_event {
    int generation;             /* generation collected (0..2) */
    uint64_t start_ns;          /* CLOCK_MONOTONIC at its start */
    uint64_t duration_ns;       /* its length, callbacks excluded */
    pm_ssize_t examined;        /* objects in the generations collected */
    pm_ssize_t collected;       /* objects found unreachable and freed */
    pm_ssize_t uncollectable;   /* objects found unreachable but kept */
} pm_gc_event;

/* Start recording collections in a ring of `capacity` (>= 1) events; a
 * second start empties the ring and resizes it.  When off (the default)
 * the collector pays one pointer test per collection.  0, or -1
 * (MemoryError, the previous ring kept; ValueError for capacity 0). */
PM_API int pm_gctrace_start(pm_runtime *rt, size_t capacity);
/* Stop and free the ring (no-op when off; the runtime's teardown does it). */
PM_API void pm_gctrace_stop(pm_runtime *rt);
/* 1 when recording. */
PM_API int pm_gctrace_active(const pm_runtime *rt);
/* Copy up to max events, oldest first, into out; returns how many.  Events
 * that fell out of the ring are counted by pm_gctrace_dropped. */
PM_API size_t pm_gctrace_events(const pm_runtime *rt, pm_gc_event *out, size_t max);
PM_API uint64_t pm_gctrace_dropped(const pm_runtime *rt);
/* Draw the recorded collections as an SVG timeline: one bar per
 * collection, placed at its start, as wide as its duration (with a
 * minimum), coloured by generation; below, objects examined and freed.
 * Allocates nothing.  0, or -1 (OSError) when write stopped it. */
PM_API int pm_gctrace_write_svg(pm_runtime *rt, pm_write_func write, void *ctx);
PM_API int pm_gctrace_write_svg_file(pm_runtime *rt, FILE *f);

/* Why is target alive?  Breadth-first over traverse from roots[0..n)
 * (borrowed; names[i] names roots[i] for people: "module.__dict__",
 * "frame f locals"), the shortest chain of references from any root to
 * target.  Returns a NEW list of str, one per link, each naming the
 * container and the slot holding the next object:
 *     ["sys.modules['m'].__dict__['cache']", "list[3]", "Node.parent"]
 * (an instance and its __dict__ are one link, "Type.attr"; dict keys by
 * repr when str or int; tuple and list items by index; other links
 * "Type.<referent k>" in traverse order).  An empty list when target is a
 * root itself; None (NEW ref) when no root reaches it.  Can fail
 * (MemoryError), leaking nothing. */
PM_API pm_object *pm_why_alive(pm_runtime *rt, pm_object *const *roots, const char *const *names,
                               size_t n, pm_object *target);

/* Which roots keep most of objs[0..nobjs) alive: for each root, the bytes
 * (pm_getsizeof) of the objects among objs reachable from it (reachable
 * THROUGH it, not only through it: an object two roots reach counts for
 * both).  Fills bytes[i] and count[i] for roots[i].  0, or -1
 * (MemoryError). */
/* The tracked objects whose refcount exceeds the references to them from
 * tracked objects and from known[0..nknown) (borrowed; each entry is one
 * reference the caller accounts for, e.g. an interpreter's frame slots):
 * held from outside the heap (by C code, a value stack, the runtime).
 * Immortal objects are left out.  A NEW list (its own references to them
 * are not counted).  O(tracked objects).  Can fail (MemoryError). */
PM_API pm_object *pm_gc_held_from_outside(pm_runtime *rt, pm_object *const *known, size_t nknown);

PM_API int pm_roots_bytes(pm_runtime *rt, pm_object *const *roots, size_t n, pm_object *const *objs,
                          size_t nobjs, size_t *bytes, size_t *count);

#ifdef __cplusplus
}
#endif
#endif /* PYMM_H */
