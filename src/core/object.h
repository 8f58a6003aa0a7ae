/*
 * object.h — internal interface of the object layer, grouped by the file
 * that defines each function (object.c, error.c, type.c, objects/...).
 *
 * Names are pmi_<module>_<verb>, hidden from the shared library's exports
 * (the library is built with -fvisibility=hidden; only PM_API is exported).
 * Read docs/objects-core.md for how a type is written against this.
 */
#ifndef PYMM_OBJECT_H
#define PYMM_OBJECT_H

#include "core/runtime.h"
#include <string.h>

/* ---- object.c: allocation ----------------------------------------------- */

/* The gc head of a gc object / the object after a gc head. */
#define PMI_AS_GC(o) ((pm_gc_head *)(o) - 1)
#define PMI_FROM_GC(g) ((pm_object *)((pm_gc_head *)(g) + 1))

/* A new object of a fixed-size type: type->basicsize bytes, all zero except
 * the header (count 1, type).  Not for gc types.  NULL + MemoryError. */
pm_object *pmi_object_new(pm_runtime *rt, const pm_type *type);
/* A new variable-size object of nitems items: basicsize + itemsize * nitems
 * bytes; the fixed part is zeroed, the items are NOT (fill them before the
 * object can be freed).  ob_size = nitems.  Not for gc types. */
pm_object *pmi_varobject_new(pm_runtime *rt, const pm_type *type, pm_ssize_t nitems);
/* gc variants: the block has a zeroed pm_gc_head in front; the object is
 * returned UNTRACKED (call pmi_gc_track once its fields are valid).  gc_new
 * zeroes the whole object; gc_var_new zeroes fixed part AND items, so a
 * tuple's items start as NULL. */
pm_object *pmi_gc_new(pm_runtime *rt, const pm_type *type);
pm_object *pmi_gc_var_new(pm_runtime *rt, const pm_type *type, pm_ssize_t nitems);
/* Raw allocation of `size` bytes for an object of `type` (gc head added for
 * gc types); header initialised, body NOT zeroed.  For types whose size is
 * not basic + itemsize * n (str). */
pm_object *pmi_object_alloc_size(pm_runtime *rt, const pm_type *type, size_t size);
/* Free the memory of o (gc head included).  A tracked gc object is untracked
 * first.  Heap-type instances: the caller decrefs the type itself. */
void pmi_object_free(pm_runtime *rt, pm_object *o);

/* The length slot of a type: sq_length, else mp_length (PyObject_Size's
 * order), or NULL. */
static inline pm_lenfunc pmi_type_lenfunc(const pm_type *t) {
    if (t->as_sequence && t->as_sequence->sq_length) return t->as_sequence->sq_length;
    if (t->as_mapping && t->as_mapping->mp_length) return t->as_mapping->mp_length;
    return NULL;
}

/* o supports operator.index (nb_index). */
static inline int pmi_has_index(const pm_object *o) {
    return o->ob_type->as_number && o->ob_type->as_number->nb_index;
}
/* PySequence_Check: sq_item (a dict subclass never counts). */
static inline int pmi_is_sequence(const pm_object *o) {
    const pm_type *t = o->ob_type;
    if (t->flags & PM_TPFLAGS_DICT_SUBCLASS) return 0;
    return t->as_sequence && t->as_sequence->sq_item;
}

/* The sequence iterator made by pm_iter for types with getitem only. */
extern const pm_type pmi_seqiter_type;

/* The bool for comparison op given a three-way result c (<0, 0, >0):
 * CPython's Py_RETURN_RICHCOMPARE.  NEW ref (True/False are immortal). */
static inline pm_object *pmi_richcompare_result(int c, int op) {
    switch (op) {
    case PM_LT: return pm_bool_from(c < 0);
    case PM_LE: return pm_bool_from(c <= 0);
    case PM_EQ: return pm_bool_from(c == 0);
    case PM_NE: return pm_bool_from(c != 0);
    case PM_GT: return pm_bool_from(c > 0);
    default: return pm_bool_from(c >= 0);
    }
}

/* ---- gc/gc.c: tracking ---------------------------------------------------- */

/* Put a fully initialised gc object into generation 0 / take it out.  Both
 * are idempotent. */
void pmi_gc_track(pm_runtime *rt, pm_object *o);
/* pmi_gc_untrack's slow half: o is tracked. */
void pmi_gc_untrack_listed(pm_runtime *rt, pm_object *o);
static inline void pmi_gc_untrack(pm_runtime *rt, pm_object *o) {
    /* Inline, because a dealloc untracks an object that is often untracked
     * already (the deferred-dealloc queue untracks when it queues): the
     * test is one load, the call was eight instructions. */
    if (PMI_AS_GC(o)->gc_next) pmi_gc_untrack_listed(rt, o);
}
/* pm_gc_dealloc_begin for the library's own deallocs: its call only when the
 * type has a finalizer or weak reference slot (pm_gc_dealloc_begin does
 * nothing else); 1 when the finalizer resurrected o. */
static inline int pmi_gc_dealloc_begin(pm_runtime *rt, pm_object *o) {
    const pm_type *t = o->ob_type;
    return (t->finalize || t->weaklistoffset > 0) && pm_gc_dealloc_begin(rt, o);
}
/* _PyObject_GC_MAY_BE_TRACKED: o is a gc object that is, or may become,
 * tracked — any gc object but a tuple the collector untracked (a tuple of
 * atoms).  Dicts use it to decide when to start being tracked. */
static inline int pmi_gc_may_be_tracked(const pm_object *o) {
    if (!(o->ob_type->flags & PM_TPFLAGS_GC)) return 0;
    if (o->ob_type == &pm_tuple_type) return PMI_AS_GC(o)->gc_next != 0;
    return 1;
}

/* ---- objects/containers.c ------------------------------------------------ */
/* (init / fini: core/runtime.h.)  Empty the containers' free lists. */
size_t pmi_containers_freelists_clear(pm_runtime *rt);

/* ---- error.c ------------------------------------------------------------- */

/* TypeError "<what> ... '<typename>'" helpers used by the generic functions. */
void *pmi_err_type(pm_runtime *rt, const char *fmt, const pm_object *o);
/* SystemError "bad argument to internal function" (a wrong type passed in). */
void *pmi_err_badarg(pm_runtime *rt, const char *func);
/* Set the pending error aside around code that must start clean (a
 * finalizer, a collection) and put it back afterwards. */
typedef struct pmi_err_saved {
    pm_exc kind;                /* PM_EXC_NONE: nothing was pending */
    const pm_type *type;        /* its type */
    pm_object *value;           /* its object (owned while saved), or NULL */
    char msg[PM_ERR_MSG_MAX];   /* its message */
} pmi_err_saved;
void pmi_err_save(pm_runtime *rt, pmi_err_saved *s);
void pmi_err_restore(pm_runtime *rt, const pmi_err_saved *s);

/* ---- typeslots.c: the built-in types' protocol slots ------------------------ */
extern const pm_number_methods pmi_int_as_number;
extern const pm_number_methods pmi_bool_as_number;
extern const pm_number_methods pmi_float_as_number;
extern const pm_number_methods pmi_complex_as_number;
extern const pm_number_methods pmi_str_as_number;      /* % formatting */
extern const pm_number_methods pmi_bytes_as_number;
/* sq_item (index already adjusted; bounds checked), sq_concat, sq_repeat,
 * in-place list slots. */
pm_object *pmi_str_sq_item(pm_runtime *rt, pm_object *s, pm_ssize_t i);
pm_object *pmi_str_sq_repeat(pm_runtime *rt, pm_object *s, pm_ssize_t n);
pm_object *pmi_bytes_sq_item(pm_runtime *rt, pm_object *b, pm_ssize_t i);
pm_object *pmi_bytes_sq_repeat(pm_runtime *rt, pm_object *b, pm_ssize_t n);
pm_object *pmi_bytearray_sq_item(pm_runtime *rt, pm_object *b, pm_ssize_t i);
pm_object *pmi_list_sq_item(pm_runtime *rt, pm_object *l, pm_ssize_t i);
pm_object *pmi_list_sq_concat(pm_runtime *rt, pm_object *a, pm_object *b);
pm_object *pmi_list_sq_repeat(pm_runtime *rt, pm_object *a, pm_ssize_t n);
pm_object *pmi_list_sq_inplace_concat(pm_runtime *rt, pm_object *a, pm_object *b);
pm_object *pmi_list_sq_inplace_repeat(pm_runtime *rt, pm_object *a, pm_ssize_t n);
pm_object *pmi_tuple_sq_item(pm_runtime *rt, pm_object *t, pm_ssize_t i);
pm_object *pmi_tuple_sq_concat(pm_runtime *rt, pm_object *a, pm_object *b);
pm_object *pmi_tuple_sq_repeat(pm_runtime *rt, pm_object *a, pm_ssize_t n);

/* ---- type.c -------------------------------------------------------------- */

/* The per-runtime record of type t (dict, bases, MRO, version), made on
 * first use: NULL + MemoryError, or NULL with no error for a type that has
 * none (the runtime classes of objects/instance.c). */
pmi_typestate *pmi_type_state(pm_runtime *rt, const pm_type *t);
/* object.__hash__ (identity).  A NULL hash slot means unhashable, so a
 * static type that hashes by identity as CPython's do when they inherit
 * object's (iterators, descriptors, functions) names this one. */
pm_hash_t pmi_object_hash(pm_runtime *rt, pm_object *self);
/* C3 linearization: the MRO of a class `type` (a type object) whose
 * __bases__ would be `bases` (a tuple of types).  NEW tuple starting with
 * type; NULL + TypeError "duplicate base class A" / "Cannot create a
 * consistent method resolution\norder (MRO) for bases A, B", MemoryError. */
pm_object *pmi_type_mro_c3(pm_runtime *rt, pm_object *type, pm_object *bases);

/* Header initialiser for static immortal objects and types. */
#define PMI_STATIC_HEAD(type) { PM_IMMORTAL_REFCNT, (type) }

/* ---- objects/int.c ------------------------------------------------------- */
/* CPython's hash of a C integer value (equal to hash(int(v))). */
pm_hash_t pmi_hash_long(long long v);

/* ---- objects/float.c ----------------------------------------------------- */
/* _Py_HashDouble; `o` supplies the identity hash for NaN. */
pm_hash_t pmi_hash_double(const pm_object *o, double v);

/* ---- objects/str.c, intern.c, hash.c --------------------------------------- */
/* SipHash-1-3 of bytes with the runtime's key; 0 for an empty input (as
 * CPython's _Py_HashBytes). */
pm_hash_t pmi_hash_bytes(const pm_runtime *rt, const void *p, size_t n);
/* Pointer hash (_Py_HashPointer). */
pm_hash_t pmi_hash_pointer(const void *p);
/* Intern table (intern.c). */
void pmi_intern_remove(pm_runtime *rt, pm_object *s);
/* Free the table when it holds no string (pm_freelists_clear). */
void pmi_intern_trim(pm_runtime *rt);
/* A str from ASCII bytes known to be < 0x80 (no validation). */
pm_object *pmi_str_from_ascii(pm_runtime *rt, const char *s, pm_ssize_t n);

/* ---- a growable UTF-8 text buffer for building reprs (str.c) ------------ */
/* Usage: pmi_sb sb; pmi_sb_init(&sb); pmi_sb_puts(rt, &sb, "[") ...;
 * pm_object *s = pmi_sb_finish(rt, &sb);  On any failure the builder is
 * poisoned (later appends are no-ops) and finish returns NULL with the error
 * set; finish always frees the buffer, so a repr needs no cleanup path for
 * it.  The inline buffer keeps short reprs allocation-free. */
typedef struct pmi_sb {
    char *buf;                  /* pm_malloc'd, or `small` */
    size_t len, cap;
    int failed;                 /* an append failed: finish returns NULL */
    char small[128];
} pmi_sb;
void pmi_sb_init(pmi_sb *sb);
void pmi_sb_putn(pm_runtime *rt, pmi_sb *sb, const char *s, size_t n);
void pmi_sb_puts(pm_runtime *rt, pmi_sb *sb, const char *s);
void pmi_sb_printf(pm_runtime *rt, pmi_sb *sb, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Append the UTF-8 of a str (o borrowed). */
void pmi_sb_put_str(pm_runtime *rt, pmi_sb *sb, pm_object *str);
/* Append repr(o) (o borrowed). */
void pmi_sb_put_repr(pm_runtime *rt, pmi_sb *sb, pm_object *o);
/* New ref to the accumulated text as a str, or NULL; frees the buffer. */
pm_object *pmi_sb_finish(pm_runtime *rt, pmi_sb *sb);
/* Discard (on a caller's own error path). */
void pmi_sb_discard(pm_runtime *rt, pmi_sb *sb);

/* ---- objects/bytearray.c ---------------------------------------------- */
/* Buffer export bookkeeping for the buffer protocol (objects/buffer.c). */
void pmi_bytearray_export(pm_object *ba);
void pmi_bytearray_unexport(pm_object *ba);

/* ---- buffer.c: buffer hooks of bytes (read-only) and bytearray (writable;
 * each export counted in ob_exports until released) ------------------------ */
int pmi_bytes_getbuffer(pm_runtime *rt, pm_object *self, pm_buffer *view, int flags);
int pmi_bytearray_getbuffer(pm_runtime *rt, pm_object *self, pm_buffer *view, int flags);
void pmi_bytearray_releasebuffer(pm_runtime *rt, pm_object *self, pm_buffer *view);

#endif
