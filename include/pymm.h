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
    int huge_pages;         /* 1 (default): ask the kernel for transparent huge
                               pages on arena chunks.  env PYMM_HUGE_PAGES */
    size_t arena_reserve;   /* empty arenas kept mapped for reuse instead of
                               being returned at once (hysteresis).
                               env PYMM_ARENA_RESERVE */
    int page_return;        /* 1 (default): give fully free 4 KiB pages and
                               pools back to the OS automatically.
                               env PYMM_PAGE_RETURN */
} pm_config;

/* Fill *cfg with the defaults. */
PM_API void pm_config_init(pm_config *cfg);
/* Apply the PYMM_* environment variables to *cfg.  Returns 0, or -1 when a
 * variable holds a value that does not parse (the message is written to
 * *err, which is set to a static string). */
PM_API int pm_config_from_env(pm_config *cfg, const char **err);

/* Create a runtime.  cfg may be NULL for the defaults.  Returns NULL when the
 * system has no memory for it. */
PM_API pm_runtime *pm_runtime_new(const pm_config *cfg);
/* Destroy a runtime: every object, arena and large block it owns is released.
 * rt may be NULL. */
PM_API void pm_runtime_free(pm_runtime *rt);

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
 * Returns the number of bytes given back. */
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
 * are queued on the runtime's pending list and freed by the outermost
 * pm_decref's loop, so freeing a structure nested 1,000,000 deep uses O(1) C
 * stack (QuickJS's free list; see docs/objects-core.md).
 *
 * Immortal objects (the static type objects, None, True, False,
 * NotImplemented) are shared by all runtimes and live in read-only memory:
 * incref/decref test the count and never write to them, so runtimes on
 * different threads never race on them.
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
 *   collector stores gc_refs (count copy) in the bits above PM_GC_PREV_SHIFT.
 * Heads are 16-byte aligned, so pointers never use the low 4 bits. */
typedef struct pm_gc_head {
    uintptr_t gc_next;              /* next head | flags; 0 = untracked */
    uintptr_t gc_prev;              /* prev head | flags (or gc_refs << 2) */
} pm_gc_head;
#define PM_GC_NEXT_UNREACHABLE ((uintptr_t)1)
#define PM_GC_PREV_FINALIZED   ((uintptr_t)1)
#define PM_GC_PREV_COLLECTING  ((uintptr_t)2)
#define PM_GC_PREV_SHIFT       2
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

/* A type.  Static types are `const pm_type` objects with PM_TPFLAGS_STATIC
 * and an immortal count.  Every hook may be NULL ("not supported"); every
 * hook that takes rt reports failure through the runtime's error state. */
struct pm_type {
    pm_object ob_base;              /* types are objects (type: pm_type_type) */
    const char *name;               /* "int", "list", a class name */
    pm_ssize_t basicsize;           /* bytes of a fixed instance, header included, gc head excluded */
    pm_ssize_t itemsize;            /* bytes per item for variable-size instances, else 0 */
    unsigned long flags;            /* PM_TPFLAGS_* */
    const pm_type *base;            /* base type (NULL only for object) */
    pm_ssize_t dictoffset;          /* offset of the instance's dict pointer, 0 = none */
    pm_ssize_t weaklistoffset;      /* offset of the weakref list pointer, 0 = none */

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

    /* -- buffer protocol (the memoryview issue defines pm_buffer) -- */
    int (*getbuffer)(pm_runtime *rt, pm_object *self, pm_buffer *view, int flags);
    void (*releasebuffer)(pm_runtime *rt, pm_object *self, pm_buffer *view);

    /* -- object protocol -- */
    pm_object *(*repr)(pm_runtime *rt, pm_object *self);          /* new ref to a str */
    pm_object *(*str)(pm_runtime *rt, pm_object *self);           /* new ref; NULL hook: repr */
    pm_hash_t (*hash)(pm_runtime *rt, pm_object *self);           /* -1 = error; NULL hook: unhashable */
    /* New ref: a result, or PM_NOTIMPLEMENTED for types it does not know. */
    pm_object *(*richcompare)(pm_runtime *rt, pm_object *a, pm_object *b, int op);
    int (*truth)(pm_runtime *rt, pm_object *self);                /* 1/0, -1 error; NULL: length or true */
    pm_object *(*getattr)(pm_runtime *rt, pm_object *self, pm_object *name); /* new ref */
    int (*setattr)(pm_runtime *rt, pm_object *self, pm_object *name, pm_object *value); /* value NULL: delete */

    /* -- container protocol -- */
    pm_ssize_t (*length)(pm_runtime *rt, pm_object *self);        /* -1 = error */
    pm_object *(*getitem)(pm_runtime *rt, pm_object *self, pm_object *key);   /* new ref */
    int (*setitem)(pm_runtime *rt, pm_object *self, pm_object *key, pm_object *value); /* no steal */
    int (*delitem)(pm_runtime *rt, pm_object *self, pm_object *key);
    pm_object *(*iter)(pm_runtime *rt, pm_object *self);          /* new ref to an iterator */
    /* New ref to the next item; NULL with no error set when exhausted. */
    pm_object *(*iternext)(pm_runtime *rt, pm_object *self);
    int (*contains)(pm_runtime *rt, pm_object *self, pm_object *key); /* 1/0, -1 error */

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

/* Exception kinds, named as CPython's built-in exceptions. */
#define PM_EXC_KINDS(X)                                                          \
    X(NONE, "")                                                                  \
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
#define PM_EXC_ENUM_(name, text) PM_EXC_##name,
    PM_EXC_KINDS(PM_EXC_ENUM_)
#undef PM_EXC_ENUM_
    PM_EXC_COUNT_
} pm_exc;

/* Longest message kept (longer ones are truncated). */
#define PM_ERR_MSG_MAX 256

/* Record an error (replacing any pending one).  Never allocates. */
PM_API void pm_err_set(pm_runtime *rt, pm_exc kind, const char *msg);
/* printf-style message. */
PM_API void pm_err_format(pm_runtime *rt, pm_exc kind, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Record MemoryError (message empty, as CPython's); returns NULL. */
PM_API void *pm_err_nomem(pm_runtime *rt);
/* The pending error's kind; PM_EXC_NONE (0) when there is none. */
PM_API pm_exc pm_err_occurred(const pm_runtime *rt);
PM_API pm_exc pm_err_kind(const pm_runtime *rt);
/* The pending message; "" when none.  Borrowed: valid until the next
 * pm_err_* call on rt. */
PM_API const char *pm_err_message(const pm_runtime *rt);
PM_API void pm_err_clear(pm_runtime *rt);
/* 1 when the pending error is `kind` or a subclass of it (KeyError matches
 * LookupError; everything but StopIteration... matches Exception). */
PM_API int pm_err_matches(const pm_runtime *rt, pm_exc kind);
/* "MemoryError", ...; "" for PM_EXC_NONE. */
PM_API const char *pm_exc_name(pm_exc kind);
/* 1 when exception class `kind` is `base` or derives from it. */
PM_API int pm_exc_is_subclass(pm_exc kind, pm_exc base);

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
/* getattr(o, name) (new ref) / setattr / delattr; name is a str. */
PM_API pm_object *pm_getattr(pm_runtime *rt, pm_object *o, pm_object *name);
PM_API int pm_setattr(pm_runtime *rt, pm_object *o, pm_object *name, pm_object *value);
PM_API int pm_delattr(pm_runtime *rt, pm_object *o, pm_object *name);
/* sys.getsizeof(o): the type's size_of hook, else basicsize + itemsize *
 * |ob_size|; plus sizeof(pm_gc_head) for gc types.  Cannot fail. */
PM_API size_t pm_getsizeof(pm_runtime *rt, pm_object *o);
/* 1 when o's type is a gc type (has a gc head). */
PM_API int pm_is_gc(const pm_object *o);
/* 1 when o is a gc object currently in the runtime's generation lists. */
PM_API int pm_gc_is_tracked(const pm_object *o);
/* Drop every free list (floats, tuples, lists, dicts, ...) now.  Returns
 * the number of objects freed. */
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

/* ---- str (compact ASCII / latin-1 / UCS-2 / UCS-4, like PEP 393) -------- */

/* Decode UTF-8 (len -1: strlen).  UnicodeDecodeError on invalid input
 * (surrogates encoded in UTF-8 are rejected as by CPython's strict codec). */
PM_API pm_object *pm_str_from_utf8(pm_runtime *rt, const char *s, pm_ssize_t len); /* new ref */
PM_API pm_object *pm_str_from_cstr(pm_runtime *rt, const char *s);                /* new ref */
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
/* Code-point order: <0, 0, >0.  Cannot fail. */
PM_API int pm_str_compare(const pm_object *a, const pm_object *b);
PM_API int pm_str_equal_cstr(const pm_object *s, const char *ascii);
/* UTF-8 bytes of s, NUL-terminated.  Borrowed: lives as long as s (for
 * non-ASCII strings it is cached in the object, as CPython does).  NULL on
 * MemoryError.  *len may be NULL. */
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

#ifdef __cplusplus
}
#endif
#endif /* PYMM_H */
