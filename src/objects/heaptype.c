/*
 * heaptype.c — classes made from Python-level data: type(name, bases, ns)
 * (CPython's type_new), the layout of their instances, the descriptors of
 * __slots__ / __dict__ / __weakref__, and the class's own lifetime (a gc
 * object holding its dict, bases and MRO).
 *
 * Purpose
 *   A class statement ends in type(name, bases, ns).  This file turns the
 *   three values into a pmi_heaptype (objects/heaptype.h): it picks the
 *   metatype and the layout base, copies the namespace into the class
 *   dict, lays out the instance, computes the MRO (C3, core/type.c) and
 *   lets objects/slotdefs.c point the slots at the special methods.  Then
 *   __set_name__ and __init_subclass__ run, as in CPython.
 *
 * Instance layout (word offsets after the 16-byte header):
 *
 *     +--------+-----------------+---------------+-----------------+-------------+
 *     | header | the base's body | __slots__ ... | __dict__ values | __weakref__ |
 *     +--------+-----------------+---------------+-----------------+-------------+
 *               base->basicsize    one word each   only when the class adds
 *                                  (sorted names)  them (a base may have them)
 *
 *   CPython 3.11 keeps a plain class's dict and inline-values pointers in a
 *   pre-header in front of the gc head (Py_TPFLAGS_MANAGED_DICT); here they
 *   are two fields (managed_dict), so getsizeof(C()) == 56 and
 *   getsizeof(L()) == 80 for class L(list) as in CPython, while
 *   __basicsize__ is 16 more than CPython's.  Such a class, and every class
 *   below it, owns shared keys for its instances' inline values
 *   (objects/instattr.c).
 *
 * States of a class: being built (untracked; a failure frees it through
 * its own dealloc, every field NULL or valid) -> live (gc tracked) ->
 * cleared by the collector (dict and MRO dropped; bases kept until
 * dealloc, since instances still reach the base through type.base) ->
 * freed.
 *
 * Invariants
 *   - A class owns its bases tuple, which owns type.base: the layout base
 *     outlives the class's instances.
 *   - The descriptors made here (slot members, __dict__, __weakref__) are
 *     gc objects that own their class, so the cycle class -> dict ->
 *     descriptor -> class is collectable.
 *
 * CPython behaviour mirrored: type_new's argument checks, the metaclass
 * calculation, best_base ("multiple bases have instance lay-out
 * conflict"), __slots__ (mangled, sorted, "__dict__ slot disallowed: we
 * already got one", "'x' in __slots__ conflicts with class variable",
 * "nonempty __slots__ not supported for subtype of 'int'"), __qualname__,
 * __doc__ = None by default, __hash__ = None when __eq__ is defined alone,
 * __set_name__, __init_subclass__ ("C.__init_subclass__() takes no keyword
 * arguments"), subtype_dealloc / subtype_traverse / subtype_clear.
 */
#include "objects/heaptype.h"
#include "core/recursion.h"
#include "objects/containers.h"
#include "objects/instattr.h"
#include "objects/instance_values.h"
#include "objects/subvalue.h"
#include "gc/gc.h"

#include <stddef.h>
#include <stdio.h>

/* ------------------------------------------------------------------------ */
/* Descriptors of a class's own instance fields                              */
/* ------------------------------------------------------------------------ */

typedef struct slotdescr {
    pm_object ob_base;              /* header: slotmember or dict/weakref getset type */
    const pm_type *owner;           /* the class (strong, visited by traverse) */
    pm_object *name;                /* attribute name (str, strong) */
    pm_ssize_t offset;              /* byte offset of the field in instances */
} slotdescr;

#define SD(o) ((slotdescr *)(void *)(o))

static void sd_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    PM_CLEAR(rt, SD(self)->name);
    const pm_type *owner = SD(self)->owner;
    SD(self)->owner = NULL;
    if (owner) pm_decref(rt, pm_type_as_object(owner));
    pmi_object_free(rt, self);
}

static int sd_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    if (SD(self)->owner) return visit(pm_type_as_object(SD(self)->owner), arg);
    return 0;
}

static int sd_clear(pm_runtime *rt, pm_object *self) {
    const pm_type *owner = SD(self)->owner;
    SD(self)->owner = NULL;
    if (owner) pm_decref(rt, pm_type_as_object(owner));
    return 0;
}

static int sd_check(pm_runtime *rt, pm_object *self, pm_object *obj) {
    const pm_type *owner = SD(self)->owner;
    if (owner && pm_is_instance(obj, owner)) return 1;
    const char *n = pm_str_as_utf8(rt, SD(self)->name, NULL);
    if (n)
        pm_err_format(rt, PM_EXC_TypeError, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                      n, owner ? owner->name : "?", obj->ob_type->name);
    return 0;
}

static pm_object **field(pm_object *obj, pm_ssize_t offset) {
    if (offset < 0) return pmi_subvalue_field(obj, offset);    /* after a variable-size body */
    return (pm_object **)(void *)((char *)obj + offset);
}

static pm_object *member_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    (void)type;
    if (!obj) return pm_newref(rt, self);
    if (!sd_check(rt, self, obj)) return NULL;
    pm_object *v = *field(obj, SD(self)->offset);
    if (v) return pm_newref(rt, v);
    const char *n = pm_str_as_utf8(rt, SD(self)->name, NULL);
    if (n) pm_err_format(rt, PM_EXC_AttributeError, "'%.200s' object has no attribute '%s'", obj->ob_type->name, n);
    return NULL;
}

static int member_set(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *value) {
    if (!sd_check(rt, self, obj)) return -1;
    pm_object **p = field(obj, SD(self)->offset), *old = *p;
    if (!value && !old) {
        /* 3.11's member_delete on an empty slot: the bare name */
        const char *n = pm_str_as_utf8(rt, SD(self)->name, NULL);
        if (n) pm_err_set(rt, PM_EXC_AttributeError, n);
        return -1;
    }
    *p = value ? pm_newref(rt, value) : NULL;
    pm_xdecref(rt, old);
    return 0;
}

static pm_object *sd_repr_fmt(pm_runtime *rt, pm_object *self, const char *kind) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "<%s '", kind);
    pmi_sb_put_str(rt, &sb, SD(self)->name);
    pmi_sb_printf(rt, &sb, "' of '%s' objects>", SD(self)->owner ? SD(self)->owner->name : "?");
    return pmi_sb_finish(rt, &sb);
}

static pm_object *member_repr(pm_runtime *rt, pm_object *self) { return sd_repr_fmt(rt, self, "member"); }
static pm_object *getset_repr(pm_runtime *rt, pm_object *self) { return sd_repr_fmt(rt, self, "attribute"); }

/* __dict__ of an instance: made on first read from the inline values or
 * empty (CPython's subtype_dict, PyObject_GenericGetDict). */
static pm_object *dict_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    (void)type;
    if (!obj) return pm_newref(rt, self);
    if (!sd_check(rt, self, obj)) return NULL;
    return pmi_inst_get_dict(rt, obj, field(obj, SD(self)->offset));
}

static int dict_set(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *value) {
    if (!sd_check(rt, self, obj)) return -1;
    if (value && !pm_dict_check(value)) {
        pmi_err_type(rt, "__dict__ must be set to a dictionary, not a '%.200s'", value);
        return -1;
    }
    /* del obj.__dict__: a new empty one on the next read (3.11) */
    return pmi_inst_set_dict(rt, obj, field(obj, SD(self)->offset), value);
}

/* __weakref__: the first weak reference to obj, or None. */
static pm_object *weakref_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    (void)type;
    if (!obj) return pm_newref(rt, self);
    if (!sd_check(rt, self, obj)) return NULL;
    pm_object *w = *field(obj, SD(self)->offset);
    return pm_newref(rt, w ? w : PM_NONE);
}

static int weakref_set(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *value) {
    (void)value;
    if (!sd_check(rt, self, obj)) return -1;
    pm_err_set(rt, PM_EXC_AttributeError, "attribute '__weakref__' of 'object' objects is not writable");
    return -1;
}

static const pm_type member_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "member_descriptor",
    .basicsize = sizeof(slotdescr),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = sd_dealloc,
    .traverse = sd_traverse,
    .clear = sd_clear,
    .repr = member_repr,
    .hash = pmi_object_hash,
    .descr_get = member_get,
    .descr_set = member_set,
};

static const pm_type dictdescr_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "getset_descriptor",
    .basicsize = sizeof(slotdescr),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = sd_dealloc,
    .traverse = sd_traverse,
    .clear = sd_clear,
    .repr = getset_repr,
    .hash = pmi_object_hash,
    .descr_get = dict_get,
    .descr_set = dict_set,
};

static const pm_type weakdescr_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "getset_descriptor",
    .basicsize = sizeof(slotdescr),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = sd_dealloc,
    .traverse = sd_traverse,
    .clear = sd_clear,
    .repr = getset_repr,
    .hash = pmi_object_hash,
    .descr_get = weakref_get,
    .descr_set = weakref_set,
};

/* Put a descriptor of kind dtype for the field at offset into dict[name].
 * 0 / -1. */
static int add_descr(pm_runtime *rt, const pm_type *dtype, pmi_heaptype *ht, pm_object *dict,
                     pm_object *name, pm_ssize_t offset) {
    pm_object *d = pmi_gc_new(rt, dtype);
    if (!d) return -1;
    SD(d)->owner = &ht->type;
    pm_incref(rt, pm_type_as_object(&ht->type));
    SD(d)->name = pm_newref(rt, name);
    SD(d)->offset = offset;
    pmi_gc_track(rt, d);
    int r = pm_dict_set(rt, dict, name, d);
    pm_decref(rt, d);
    return r;
}

/* __dict__ / __weakref__ added as 3.11's type_add_getset does it
 * (PyDict_SetDefault): a name the class body defined keeps its value. */
static int add_descr_default(pm_runtime *rt, const pm_type *dtype, pmi_heaptype *ht, pm_object *dict,
                             const char *name, pm_ssize_t offset) {
    pm_object *k = pm_str_intern_cstr(rt, name);
    if (!k) return -1;
    int r = pm_dict_get(rt, dict, k) ? 0 : pm_err_occurred(rt) ? -1 : add_descr(rt, dtype, ht, dict, k, offset);
    pm_decref(rt, k);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Instances: subtype_dealloc / traverse / clear / sizeof                    */
/* ------------------------------------------------------------------------ */

/* Visit / clear every slot cell the classes on t's base chain added. */
static int visit_slots(const pm_type *t, pm_object *self, pm_visitproc visit, void *arg) {
    for (; t && pmi_is_heaptype(t); t = t->base) {
        const pmi_heaptype *ht = PMI_HT(t);
        for (pm_ssize_t i = 0; i < ht->nslots; i++) {
            pm_object *v = *field(self, ht->members[i].offset);
            int r;
            if (v && (r = visit(v, arg))) return r;
        }
    }
    return 0;
}

static void clear_slots(pm_runtime *rt, const pm_type *t, pm_object *self) {
    for (; t && pmi_is_heaptype(t); t = t->base) {
        const pmi_heaptype *ht = PMI_HT(t);
        for (pm_ssize_t i = 0; i < ht->nslots; i++) PM_CLEAR(rt, *field(self, ht->members[i].offset));
    }
}

/* The dict field a heap class (or its bases) added, or NULL. */
static pm_object **heap_dict_ptr(pm_object *self) {
    const pm_type *t = self->ob_type;
    const pm_type *sb = PMI_HT(t)->static_base;
    if (t->dictoffset > 0 && t->dictoffset >= sb->basicsize) return field(self, t->dictoffset);
    if (t->dictoffset < 0) return field(self, t->dictoffset);
    return NULL;
}

/* Exported (objects/instance_values.h) so that the collector recognises
 * instances of plain Python classes and walks them inline, in this order. */
int pmi_subtype_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    const pm_type *t = self->ob_type;
    int r;
    if ((r = visit_slots(t, self, visit, arg))) return r;
    pm_object **dp = heap_dict_ptr(self);
    if (dp && *dp && (r = visit(*dp, arg))) return r;
    if ((r = pmi_inst_traverse_values(self, visit, arg))) return r;
    if ((r = visit(pm_type_as_object(t), arg))) return r;
    const pm_type *sb = PMI_HT(t)->static_base;
    return sb->traverse ? sb->traverse(self, visit, arg) : 0;
}

static int subtype_clear(pm_runtime *rt, pm_object *self) {
    const pm_type *t = self->ob_type;
    clear_slots(rt, t, self);
    pmi_inst_clear_values(rt, self);
    pm_object **dp = heap_dict_ptr(self);
    if (dp) PM_CLEAR(rt, *dp);
    const pm_type *sb = PMI_HT(t)->static_base;
    return sb->clear ? sb->clear(rt, self) : 0;
}

static void subtype_dealloc(pm_runtime *rt, pm_object *self) {
    const pm_type *t = self->ob_type;
    const pm_type *sb = PMI_HT(t)->static_base;
    pmi_gc_untrack(rt, self);
    if ((t->finalize || t->weaklistoffset) && pm_gc_dealloc_begin(rt, self)) return;
    clear_slots(rt, t, self);
    pmi_inst_clear_values(rt, self);
    pm_object **dp = heap_dict_ptr(self);
    if (dp) PM_CLEAR(rt, *dp);
    /* the base's dealloc frees the memory and releases the class
     * (pmi_object_free drops a heap type's reference) */
    if (sb->dealloc) sb->dealloc(rt, self);
    else pmi_object_free(rt, self);
}

static size_t subtype_size_of(pm_runtime *rt, pm_object *self) {
    const pm_type *t = self->ob_type;
    const pm_type *sb = PMI_HT(t)->static_base;
    size_t size;
    if (pmi_subvalue_tail_base(sb)) return pmi_subvalue_size_of(rt, self);
    if (sb->size_of) size = sb->size_of(rt, self);
    else {
        pm_ssize_t n = sb->itemsize ? pm_var_size(self) : 0;
        if (n < 0) n = -n;
        size = (size_t)(sb->basicsize + sb->itemsize * n);
    }
    size += (size_t)(t->basicsize - sb->basicsize);
    /* a static base without a gc head: the class's instances have one,
     * which pm_getsizeof adds for the class */
    return size;
}

/* ------------------------------------------------------------------------ */
/* The class object's own lifetime                                           */
/* ------------------------------------------------------------------------ */

int pmi_heaptype_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_heaptype *ht = (pmi_heaptype *)self;
    int r;
    if (!pmi_is_heaptype(&ht->type)) return 0;
    if (ht->state.dict && (r = visit(ht->state.dict, arg))) return r;
    if (ht->state.mro && (r = visit(ht->state.mro, arg))) return r;
    if (ht->state.bases && (r = visit(ht->state.bases, arg))) return r;
    if (ht->ht_slots && (r = visit(ht->ht_slots, arg))) return r;
    return 0;
}

int pmi_heaptype_clear(pm_runtime *rt, pm_object *self) {
    pmi_heaptype *ht = (pmi_heaptype *)self;
    if (!pmi_is_heaptype(&ht->type)) return 0;
    pm_type_modified(rt, &ht->type);
    PM_CLEAR(rt, ht->state.dict);
    PM_CLEAR(rt, ht->state.mro);
    return 0;
}

/* Add ht to the subclass lists of its heap-type bases.  0 / -1. */
static int register_subclass(pm_runtime *rt, pmi_heaptype *ht) {
    pm_object *bases = ht->state.bases;
    for (pm_ssize_t i = 0, n = pm_tuple_size(bases); i < n; i++) {
        const pm_type *b = (const pm_type *)pm_tuple_get(rt, bases, i);
        if (!pmi_is_heaptype(b)) continue;
        pmi_heaptype *bh = PMI_HT(b);
        if (bh->nsubs == bh->capsubs) {
            pm_ssize_t cap = bh->capsubs ? bh->capsubs * 2 : 4;
            pmi_heaptype **a = pm_realloc(rt, bh->subs, (size_t)cap * sizeof *a);
            if (!a) {
                pm_err_nomem(rt);
                return -1;
            }
            bh->subs = a;
            bh->capsubs = cap;
        }
        bh->subs[bh->nsubs++] = ht;
    }
    return 0;
}

static void unregister_subclass(pmi_heaptype *ht) {
    pm_object *bases = ht->state.bases;
    if (!bases) return;
    for (pm_ssize_t i = 0, n = pm_tuple_size(bases); i < n; i++) {
        const pm_type *b = (const pm_type *)PMI_TUPLE(bases)->ob_item[i];
        if (!b || !pmi_is_heaptype(b)) continue;
        pmi_heaptype *bh = PMI_HT(b);
        for (pm_ssize_t j = 0; j < bh->nsubs; j++)
            if (bh->subs[j] == ht) {
                memmove(&bh->subs[j], &bh->subs[j + 1], (size_t)(bh->nsubs - j - 1) * sizeof *bh->subs);
                bh->nsubs--;
                break;
            }
    }
}

pm_object *pmi_heaptype_subclasses(pm_runtime *rt, const pm_type *t) {
    pm_object *l = pm_list_new(rt);
    if (!l || !pmi_is_heaptype(t)) return l;
    const pmi_heaptype *ht = PMI_HT(t);
    for (pm_ssize_t i = 0; i < ht->nsubs; i++)
        if (pm_list_append(rt, l, pm_type_as_object(&ht->subs[i]->type)) < 0) {
            pm_decref(rt, l);
            return NULL;
        }
    return l;
}

void pmi_heaptype_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_heaptype *ht = (pmi_heaptype *)self;
    pmi_gc_untrack(rt, self);
    pmi_weakref_clear_all(rt, self);    /* weakref.ref(cls): cleared, callbacks run */
    unregister_subclass(ht);
    pm_free(rt, ht->subs);
    ht->subs = NULL;
    ht->nsubs = 0;
    pm_type_modified(rt, &ht->type);
    PM_CLEAR(rt, ht->state.dict);
    PM_CLEAR(rt, ht->state.mro);
    PM_CLEAR(rt, ht->state.bases);
    PM_CLEAR(rt, ht->ht_slots);
    PM_CLEAR(rt, ht->ht_name);
    PM_CLEAR(rt, ht->ht_qualname);
    pm_free(rt, ht->members);
    pm_free(rt, ht->name_utf8);
    pmi_dictkeys_decref(rt, ht->cached_keys);
    pmi_object_free(rt, self);
}

/* ------------------------------------------------------------------------ */
/* type_new                                                                  */
/* ------------------------------------------------------------------------ */

/* A borrowed item of dict by C-string key (NULL: absent or error). */
static pm_object *dict_get_cstr(pm_runtime *rt, pm_object *d, const char *key, int *err) {
    *err = 0;
    pm_object *k = pm_str_intern_cstr(rt, key);
    if (!k) {
        *err = 1;
        return NULL;
    }
    pm_object *v = pm_dict_get(rt, d, k);
    pm_decref(rt, k);
    if (!v && pm_err_occurred(rt)) *err = 1;
    return v;
}

static int dict_set_cstr(pm_runtime *rt, pm_object *d, const char *key, pm_object *v) {
    pm_object *k = pm_str_intern_cstr(rt, key);
    if (!k) return -1;
    int r = pm_dict_set(rt, d, k, v);
    pm_decref(rt, k);
    return r;
}

static int dict_del_cstr(pm_runtime *rt, pm_object *d, const char *key) {
    pm_object *k = pm_str_intern_cstr(rt, key);
    if (!k) return -1;
    int r = pm_dict_del(rt, d, k);
    pm_decref(rt, k);
    return r;
}

/* CPython's extra_ivars + solid_base: the type that decides t's layout. */
static int extra_ivars(const pm_type *t, const pm_type *b) {
    if (pmi_is_heaptype(t)) return PMI_HT(t)->nslots > 0 || t->itemsize != b->itemsize;
    return t->basicsize != b->basicsize || t->itemsize != b->itemsize;
}

static const pm_type *solid_base(const pm_type *t) {
    const pm_type *b = t->base ? solid_base(t->base) : &pm_object_type;
    return t->base && extra_ivars(t, t->base) ? t : (t->base ? b : t);
}

/* best_base: the base whose solid base is a subtype of every other's. */
static const pm_type *best_base(pm_runtime *rt, pm_object *bases) {
    const pm_type *base = NULL, *winner = NULL;
    for (pm_ssize_t i = 0, n = pm_tuple_size(bases); i < n; i++) {
        pm_object *b = pm_tuple_get(rt, bases, i);
        if (!pm_type_check(b)) {
            pm_err_set(rt, PM_EXC_TypeError, "bases must be types");
            return NULL;
        }
        const pm_type *bt = (const pm_type *)b;
        if (!(bt->flags & PM_TPFLAGS_BASETYPE) || pm_instance_check(b) ||
            ((bt->flags & PM_TPFLAGS_HEAPTYPE) ? !pmi_is_heaptype(bt) : bt->ob_base.ob_type != &pm_type_type)) {
            pm_err_format(rt, PM_EXC_TypeError, "type '%.100s' is not an acceptable base type", bt->name);
            return NULL;
        }
        const pm_type *cand = solid_base(bt);
        if (!winner) {
            winner = cand;
            base = bt;
        } else if (pm_type_is_subtype(winner, cand)) {
            /* winner stays */
        } else if (pm_type_is_subtype(cand, winner)) {
            winner = cand;
            base = bt;
        } else {
            pm_err_set(rt, PM_EXC_TypeError, "multiple bases have instance lay-out conflict");
            return NULL;
        }
    }
    return base;
}

/* _PyType_CalculateMetaclass. */
static const pm_type *calculate_metaclass(pm_runtime *rt, const pm_type *meta, pm_object *bases) {
    const pm_type *winner = meta;
    for (pm_ssize_t i = 0, n = pm_tuple_size(bases); i < n; i++) {
        const pm_type *tmp = pm_tuple_get(rt, bases, i)->ob_type;
        if (pm_type_is_subtype(winner, tmp)) continue;
        if (pm_type_is_subtype(tmp, winner)) {
            winner = tmp;
            continue;
        }
        pm_err_set(rt, PM_EXC_TypeError,
                   "metaclass conflict: the metaclass of a derived class must be a (non-strict) "
                   "subclass of the metaclasses of all its bases");
        return NULL;
    }
    return winner;
}

static int is_identifier(pm_runtime *rt, pm_object *s) {
    pm_ssize_t n;
    const char *p = pm_str_as_utf8(rt, s, &n);
    if (!p) return -1;
    if (n == 0) return 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x80) continue;       /* non-ASCII letters: accepted */
        if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
        if (i > 0 && c >= '0' && c <= '9') continue;
        return 0;
    }
    return 1;
}

/* _Py_Mangle: __x inside class C is _C__x (class name stripped of leading
 * underscores).  NEW ref. */
static pm_object *mangle(pm_runtime *rt, const char *cls, pm_object *name) {
    pm_ssize_t n;
    const char *p = pm_str_as_utf8(rt, name, &n);
    if (!p) return NULL;
    if (n < 2 || p[0] != '_' || p[1] != '_' || (n >= 4 && p[n - 1] == '_' && p[n - 2] == '_') ||
        memchr(p, '.', (size_t)n))
        return pm_newref(rt, name);
    while (*cls == '_') cls++;
    if (!*cls) return pm_newref(rt, name);
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "_%s", cls);
    pmi_sb_putn(rt, &sb, p, (size_t)n);
    return pmi_sb_finish(rt, &sb);
}

/* Sort a small array of strs by code point order (insertion sort; UTF-8
 * byte order is code point order). */
static void sort_names(pm_runtime *rt, pm_object **a, pm_ssize_t n) {
    for (pm_ssize_t i = 1; i < n; i++) {
        pm_object *x = a[i];
        pm_ssize_t lx, ly;
        const char *sx = pm_str_as_utf8(rt, x, &lx);
        pm_ssize_t j = i;
        while (j > 0) {
            const char *sy = pm_str_as_utf8(rt, a[j - 1], &ly);
            int c = memcmp(sy, sx, (size_t)(lx < ly ? lx : ly));
            if (c < 0 || (c == 0 && ly <= lx)) break;
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* What __slots__ asks for. */
typedef struct slots_spec {
    pm_object *names;               /* tuple of the cell names, mangled and sorted (owned) */
    int add_dict;                   /* '__dict__' listed */
    int add_weak;                   /* '__weakref__' listed */
} slots_spec;

/* Read ns['__slots__'] (slots, borrowed) into spec.  0 / -1. */
static int parse_slots(pm_runtime *rt, pm_object *slots, const char *clsname, const pm_type *base,
                       pm_object *dict, slots_spec *spec) {
    pm_object *seq = NULL, **cells = NULL;
    pm_ssize_t n, ncells = 0;
    int rc = -1;
    if (pm_str_check(slots)) {
        seq = pm_tuple_pack(rt, 1, slots);
    } else {
        pm_object *it = pm_iter(rt, slots), *item;
        if (!it) return -1;
        pm_object *l = pm_list_new(rt);
        while (l && (item = pm_iter_next(rt, it))) {
            int r = pm_list_append(rt, l, item);
            pm_decref(rt, item);
            if (r < 0) PM_CLEAR(rt, l);
        }
        pm_decref(rt, it);
        if (l && pm_err_occurred(rt)) PM_CLEAR(rt, l);
        if (!l) return -1;
        seq = pm_list_as_tuple(rt, l);
        pm_decref(rt, l);
    }
    if (!seq) return -1;
    n = pm_tuple_size(seq);
    cells = pm_calloc(rt, (size_t)(n ? n : 1), sizeof *cells);
    if (!cells) {
        pm_err_nomem(rt);
        goto done;
    }
    if (n > 0 && base->itemsize != 0) {
        pm_err_format(rt, PM_EXC_TypeError, "nonempty __slots__ not supported for subtype of '%s'",
                      base->name);
        goto done;
    }
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *s = pm_tuple_get(rt, seq, i);
        if (!pm_str_check(s)) {
            pmi_err_type(rt, "__slots__ items must be strings, not '%.200s'", s);
            goto done;
        }
        int ok = is_identifier(rt, s);
        if (ok < 0) goto done;
        if (!ok) {
            pm_err_set(rt, PM_EXC_TypeError, "__slots__ must be identifiers");
            goto done;
        }
        if (pm_str_equal_cstr(s, "__dict__")) {
            if (spec->add_dict || base->dictoffset) {
                pm_err_set(rt, PM_EXC_TypeError, "__dict__ slot disallowed: we already got one");
                goto done;
            }
            spec->add_dict = 1;
            continue;
        }
        if (pm_str_equal_cstr(s, "__weakref__")) {
            if (spec->add_weak || base->weaklistoffset || base->itemsize) {
                pm_err_set(rt, PM_EXC_TypeError,
                           "__weakref__ slot disallowed: either we already got one, or __itemsize__ != 0");
                goto done;
            }
            spec->add_weak = 1;
            continue;
        }
        pm_object *m = mangle(rt, clsname, s);
        if (!m) goto done;
        cells[ncells++] = m;
        int in = pm_dict_contains(rt, dict, m);
        if (in < 0) goto done;
        if (in) {
            const char *t = pm_str_as_utf8(rt, m, NULL);
            if (t) pm_err_format(rt, PM_EXC_ValueError, "'%s' in __slots__ conflicts with class variable", t);
            goto done;
        }
    }
    sort_names(rt, cells, ncells);
    spec->names = pm_tuple_from_array(rt, cells, ncells);
    if (spec->names) rc = 0;
done:
    for (pm_ssize_t i = 0; cells && i < ncells; i++) pm_decref(rt, cells[i]);
    pm_free(rt, cells);
    pm_decref(rt, seq);
    return rc;
}

/* 1 when the static type t (or a static base) lists a method `name` in its
 * methods table: a static type's dict holds nothing else that a lookup of
 * a non-slot name could find, so the dict need not be made to know. */
static int static_may_define(const pm_type *t, const char *name) {
    for (; t; t = t->base) {
        if (pmi_is_heaptype(t)) return 1;
        for (const pm_method_def *m = t->methods; m && m->name; m++)
            if (!strcmp(m->name, name)) return 1;
    }
    return 0;
}

/* A __set_name__ that raised: CPython 3.11 raises RuntimeError("Error
 * calling __set_name__ on 'T' instance 'key' in 'Cls'") from it (cause and
 * context both the original).  A MemoryError is left as it is, so that a
 * run out of memory still ends in MemoryError. */
static void set_name_failed(pm_runtime *rt, pm_object *v, pm_object *k, const pmi_heaptype *ht) {
    if (pm_err_matches(rt, PM_EXC_MemoryError)) return;
    pm_object *cause = pm_err_fetch(rt);
    pm_object *kr = pm_repr(rt, k);
    const char *ks = kr ? pm_str_as_utf8(rt, kr, NULL) : NULL;
    if (!ks) {              /* the repr's own error is pending instead */
        pm_xdecref(rt, kr);
        pm_decref(rt, cause);
        return;
    }
    pm_err_format(rt, PM_EXC_RuntimeError, "Error calling __set_name__ on '%.100s' instance %.100s in '%.100s'",
                  pm_type_name(pm_type_of(v)), ks, ht->type.name);
    pm_decref(rt, kr);
    pm_object *exc = pm_err_fetch(rt);
    if (pm_type_of(exc) == pm_exc_type_of(PM_EXC_MemoryError)) {
        pm_decref(rt, cause);
    } else {
        pm_incref(rt, cause);
        pm_exc_set_cause(rt, exc, cause);
        pm_exc_set_context(rt, exc, cause);
    }
    pm_err_restore(rt, exc);
}

/* Call type(v).__set_name__(v, cls, name) for every value of the class
 * dict that has one (a snapshot of the items, as CPython). */
static int set_names(pm_runtime *rt, pmi_heaptype *ht) {
    pm_object *items = pm_dict_items(rt, ht->state.dict);
    if (!items) return -1;
    pm_object *sn = pm_str_intern_cstr(rt, "__set_name__");
    int rc = sn ? 0 : -1;
    for (pm_ssize_t i = 0, n = sn ? pm_list_size(items) : 0; i < n && rc == 0; i++) {
        pm_object *kv = pm_list_get(rt, items, i);
        if (!kv) {
            rc = -1;
            break;
        }
        pm_object *k = pm_tuple_get(rt, kv, 0), *v = pm_tuple_get(rt, kv, 1);
        if (!static_may_define(v->ob_type, "__set_name__")) continue;
        pm_object *f = pm_type_lookup(rt, v->ob_type, sn);
        if (f) {
            pm_object *args[2] = {pm_type_as_object(&ht->type), k};
            pm_object *r = pm_call_method(rt, v, sn, args, 2);
            if (!r) {
                set_name_failed(rt, v, k, ht);
                rc = -1;
            }
            pm_xdecref(rt, r);
        } else if (pm_err_occurred(rt)) {
            rc = -1;
        }
    }
    pm_xdecref(rt, sn);
    pm_decref(rt, items);
    return rc;
}

/* super(cls, cls).__init_subclass__(**kwargs): the first definition after
 * cls on its MRO, called with cls prepended (it is an implicit
 * classmethod); object's accepts no keywords. */
static int init_subclass(pm_runtime *rt, pmi_heaptype *ht, pm_object *kwargs) {
    pm_object *name = pm_str_intern_cstr(rt, "__init_subclass__"), *f = NULL;
    if (!name) return -1;
    pm_object *mro = ht->state.mro;
    for (pm_ssize_t i = 1, n = pm_tuple_size(mro); i < n && !f; i++) {
        const pm_type *b = (const pm_type *)pm_tuple_get(rt, mro, i);
        pm_object *d = pm_type_dict(rt, b);
        if (!d) goto fail;
        f = pm_dict_get(rt, d, name);
        if (!f && pm_err_occurred(rt)) goto fail;
    }
    pm_decref(rt, name);
    name = NULL;
    if (!f) {
        if (kwargs && pm_dict_size(kwargs)) {
            pm_err_format(rt, PM_EXC_TypeError, "%s.__init_subclass__() takes no keyword arguments",
                          ht->type.name);
            return -1;
        }
        return 0;
    }
    pm_incref(rt, f);
    pm_object *cls = pm_type_as_object(&ht->type), *callee, *r = NULL;
    if (f->ob_type->descr_get && !(f->ob_type->flags & PM_TPFLAGS_METHOD_DESCRIPTOR)) {
        callee = f->ob_type->descr_get(rt, f, NULL, cls);     /* a classmethod binds to cls */
        if (callee) {
            pm_object *args = pm_tuple_from_array(rt, NULL, 0);
            if (args) r = pm_call_object(rt, callee, args, kwargs);
            pm_xdecref(rt, args);
            pm_decref(rt, callee);
        }
    } else {
        pm_object *args = pm_tuple_pack(rt, 1, cls);
        if (args) r = pm_call_object(rt, f, args, kwargs);
        pm_xdecref(rt, args);
    }
    pm_decref(rt, f);
    if (!r) return -1;
    pm_decref(rt, r);
    return 0;
fail:
    pm_xdecref(rt, name);
    return -1;
}

/* The layout of a class on a variable-size value base (int, tuple, bytes,
 * str: objects/subvalue.c): run after the fixed layout above, it moves the
 * fields this class adds behind the instance's body, as negative offsets
 * -8 - (position in the tail), adds the dict an itemsize base did not get
 * (CPython's tp_dictoffset = -8), and drops __weakref__ (no weakref list
 * after a variable body). */
static void layout_var_tail(pmi_heaptype *ht, slots_spec *spec) {
    pm_type *t = &ht->type;
    const pm_type *sb = ht->static_base;
    if (!pmi_subvalue_tail_base(sb)) return;
    if (spec->add_weak) {                   /* the last field laid out */
        spec->add_weak = 0;
        t->weaklistoffset = 0;
        t->basicsize -= (pm_ssize_t)sizeof(pm_object *);
    }
    if (spec->add_dict && t->base->itemsize != 0) {
        t->dictoffset = t->basicsize;
        t->basicsize += (pm_ssize_t)sizeof(pm_object *);
    }
    if (ht->managed_dict) {                 /* no inline values behind a variable body: */
        ht->managed_dict = 0;               /* the dict word stays, the values word (now */
        t->basicsize -= (pm_ssize_t)sizeof(pm_object *);    /* the last field) goes */
    }
    for (pm_ssize_t i = 0; i < ht->nslots; i++)
        if (ht->members[i].offset >= sb->basicsize) ht->members[i].offset = -8 - (ht->members[i].offset - sb->basicsize);
    if (t->dictoffset >= sb->basicsize) t->dictoffset = -8 - (t->dictoffset - sb->basicsize);
}

/* The layout of a metaclass (a class derived from type): its instances are
 * class blocks (pmi_heaptype), whose dict and weakrefs the class block
 * already has; no field is added, and __slots__ cells cannot be (CPython:
 * type's itemsize is not 0).  0 / -1. */
static int layout_metatype(pm_runtime *rt, pmi_heaptype *ht, slots_spec *spec) {
    pm_type *t = &ht->type;
    if (ht->static_base != &pm_type_type) return 0;
    if (ht->nslots) {
        pm_err_set(rt, PM_EXC_TypeError, "nonempty __slots__ not supported for subtype of 'type'");
        return -1;
    }
    spec->add_dict = spec->add_weak = 0;
    t->dictoffset = t->base->dictoffset;
    t->weaklistoffset = t->base->weaklistoffset;
    t->basicsize = t->base->basicsize;
    ht->managed_dict = 0;
    return 0;
}

pm_object *pmi_type_new(pm_runtime *rt, const pm_type *meta, pm_object *args, pm_object *kwargs) {
    pm_object *name, *bases, *ns, *dict = NULL, *v;
    pmi_heaptype *ht = NULL;
    slots_spec spec = {NULL, 0, 0};
    int err;
    if (!pm_tuple_check(args) || pm_tuple_size(args) != 3) {
        pm_err_set(rt, PM_EXC_TypeError, "type.__new__() takes exactly 3 arguments");
        return NULL;
    }
    name = pm_tuple_get(rt, args, 0);
    bases = pm_tuple_get(rt, args, 1);
    ns = pm_tuple_get(rt, args, 2);
    if (!pm_str_check(name))
        return pmi_err_type(rt, "type.__new__() argument 1 must be str, not %.200s", name);
    if (!pm_tuple_check(bases))
        return pmi_err_type(rt, "type.__new__() argument 2 must be tuple, not %.200s", bases);
    if (!pm_dict_check(ns))
        return pmi_err_type(rt, "type.__new__() argument 3 must be dict, not %.200s", ns);
    pm_ssize_t namelen;
    const char *name_s = pm_str_as_utf8(rt, name, &namelen);
    if (!name_s) return NULL;
    if ((size_t)namelen != strlen(name_s)) {
        pm_err_set(rt, PM_EXC_ValueError, "type name must not contain null characters");
        return NULL;
    }
    for (pm_ssize_t i = 0, n = pm_tuple_size(bases); i < n; i++) {
        pm_object *b = pm_tuple_get(rt, bases, i), *m;
        if (pm_type_check(b)) continue;
        if ((m = pm_getattr_cstr(rt, b, "__mro_entries__"))) {
            pm_decref(rt, m);
            pm_err_set(rt, PM_EXC_TypeError, "type() doesn't support MRO entry resolution; use types.new_class()");
            return NULL;
        }
        if (!pm_err_matches(rt, PM_EXC_AttributeError)) return NULL;
        pm_err_clear(rt);
    }
    const pm_type *winner = calculate_metaclass(rt, meta, bases);
    if (!winner) return NULL;
    if (winner != meta) {
        /* a base's metaclass is more derived: its __new__ makes the class */
        if (winner->new_object != pmi_type_new) return winner->new_object(rt, winner, args, kwargs);
        meta = winner;
    }
    if (pm_tuple_size(bases) == 0) {
        bases = pm_tuple_pack(rt, 1, pm_type_as_object(&pm_object_type));
        if (!bases) return NULL;
    } else {
        pm_incref(rt, bases);
    }
    const pm_type *base = best_base(rt, bases);
    if (!base) goto fail;
    dict = pm_dict_copy(rt, ns);
    if (!dict) goto fail;
    if (rt->globals_hook) {     /* CPython's type_new: __module__ from the caller's globals */
        v = dict_get_cstr(rt, dict, "__module__", &err);
        if (err) goto fail;
        pm_object *g = v ? NULL : rt->globals_hook(rt, rt->globals_ctx);
        pm_object *modname = g && pm_dict_check(g) ? dict_get_cstr(rt, g, "__name__", &err) : NULL;
        if (err) goto fail;
        if (modname && dict_set_cstr(rt, dict, "__module__", modname) < 0) goto fail;
    }

    /* __slots__ */
    pm_object *slots = dict_get_cstr(rt, dict, "__slots__", &err);
    if (err) goto fail;
    if (slots) {
        if (parse_slots(rt, slots, name_s, base, dict, &spec) < 0) goto fail;
    } else {
        spec.add_dict = base->dictoffset == 0;
        spec.add_weak = base->weaklistoffset == 0 && base->itemsize == 0;
    }

    /* the class block */
    ht = (pmi_heaptype *)pmi_object_alloc_size(rt, meta, sizeof(pmi_heaptype));
    if (!ht) goto fail;
    memset((char *)ht + sizeof(pm_object), 0, sizeof *ht - sizeof(pm_object));
    pm_type *t = &ht->type;
    ht->state.type = t;
    ht->state.bases = bases;
    bases = NULL;
    ht->state.dict = dict;
    dict = NULL;
    ht->ht_slots = spec.names;
    spec.names = NULL;
    ht->name_utf8 = pm_malloc(rt, (size_t)namelen + 1);
    if (!ht->name_utf8) {
        pm_err_nomem(rt);
        goto fail;
    }
    memcpy(ht->name_utf8, name_s, (size_t)namelen + 1);
    t->name = ht->name_utf8;
    ht->ht_name = pm_newref(rt, name);
    t->base = base;
    ht->static_base = base;
    while (pmi_is_heaptype(ht->static_base)) ht->static_base = ht->static_base->base;
    t->flags = PM_TPFLAGS_HEAPTYPE | PM_TPFLAGS_GC | PM_TPFLAGS_BASETYPE |
               (base->flags & (PM_TPFLAGS_INT_SUBCLASS | PM_TPFLAGS_FLOAT_SUBCLASS | PM_TPFLAGS_STR_SUBCLASS |
                               PM_TPFLAGS_BYTES_SUBCLASS | PM_TPFLAGS_LIST_SUBCLASS |
                               PM_TPFLAGS_TUPLE_SUBCLASS | PM_TPFLAGS_DICT_SUBCLASS |
                               PM_TPFLAGS_TYPE_SUBCLASS | PM_TPFLAGS_BASE_EXC_SUBCLASS));
    t->as_number = &ht->as_number;
    t->as_sequence = &ht->as_sequence;
    t->as_mapping = &ht->as_mapping;

    /* __qualname__, __doc__, __hash__ */
    pm_object *q = dict_get_cstr(rt, ht->state.dict, "__qualname__", &err);
    if (err) goto fail;
    if (q) {
        if (!pm_str_check(q)) {
            pmi_err_type(rt, "type __qualname__ must be a str, not %s", q);
            goto fail;
        }
        ht->ht_qualname = pm_newref(rt, q);
        if (dict_del_cstr(rt, ht->state.dict, "__qualname__") < 0) goto fail;
    } else {
        ht->ht_qualname = pm_newref(rt, name);
    }
    /* __classcell__: the library has no cell type; the interpreter's
     * __build_class__ fills the cell with the class this returns */
    v = dict_get_cstr(rt, ht->state.dict, "__classcell__", &err);
    if (err) goto fail;
    if (v && dict_del_cstr(rt, ht->state.dict, "__classcell__") < 0) goto fail;
    v = dict_get_cstr(rt, ht->state.dict, "__doc__", &err);
    if (err) goto fail;
    if (!v && dict_set_cstr(rt, ht->state.dict, "__doc__", PM_NONE) < 0) goto fail;
    /* __class_getitem__: an implicit classmethod (a plain function is wrapped) */
    v = dict_get_cstr(rt, ht->state.dict, "__class_getitem__", &err);
    if (err) goto fail;
    if (v && (v->ob_type->flags & PM_TPFLAGS_METHOD_DESCRIPTOR) && (v->ob_type->flags & PM_TPFLAGS_HEAPTYPE) == 0 &&
        v->ob_type->descr_get) {
        pm_object *cm = pm_call(rt, pm_type_as_object(&pm_classmethod_type), &v, 1, NULL);
        int r = cm ? dict_set_cstr(rt, ht->state.dict, "__class_getitem__", cm) : -1;
        pm_xdecref(rt, cm);
        if (r < 0) goto fail;
    }
    v = dict_get_cstr(rt, ht->state.dict, "__eq__", &err);
    if (err) goto fail;
    if (v) {
        pm_object *h = dict_get_cstr(rt, ht->state.dict, "__hash__", &err);
        if (err) goto fail;
        if (!h && dict_set_cstr(rt, ht->state.dict, "__hash__", PM_NONE) < 0) goto fail;
    }

    /* layout */
    pm_ssize_t size = base->basicsize;
    t->itemsize = base->itemsize;
    t->dictoffset = base->dictoffset;
    t->weaklistoffset = base->weaklistoffset;
    pm_ssize_t nslots = ht->ht_slots ? pm_tuple_size(ht->ht_slots) : 0;
    if (nslots) {
        ht->members = pm_calloc(rt, (size_t)nslots + 1, sizeof *ht->members);
        if (!ht->members) {
            pm_err_nomem(rt);
            goto fail;
        }
        for (pm_ssize_t i = 0; i < nslots; i++) {
            pm_object *s = pm_tuple_get(rt, ht->ht_slots, i);
            ht->members[i].name = pm_str_as_utf8(rt, s, NULL);
            if (!ht->members[i].name) goto fail;
            ht->members[i].type = PM_T_OBJECT_EX;
            ht->members[i].offset = size;
            size += (pm_ssize_t)sizeof(pm_object *);
        }
        ht->nslots = nslots;
    }
    if (spec.add_dict && base->itemsize == 0) {
        /* the dict word, then the inline values word (instattr.h) */
        t->dictoffset = size;
        size += 2 * (pm_ssize_t)sizeof(pm_object *);
        ht->managed_dict = 1;
    }
    if (spec.add_weak) {
        t->weaklistoffset = size;
        size += (pm_ssize_t)sizeof(pm_object *);
    }
    t->basicsize = size;
    layout_var_tail(ht, &spec);
    if (layout_metatype(rt, ht, &spec) < 0) goto fail;
    if (ht->managed_dict || pmi_inst_cached_keys(base)) {
        /* Py_TPFLAGS_MANAGED_DICT: every such class has its own shared keys */
        ht->cached_keys = pmi_dictkeys_new_shared(rt);
        if (!ht->cached_keys) goto fail;
    }
    for (pm_ssize_t i = 0; i < nslots; i++)
        if (add_descr(rt, &member_type, ht, ht->state.dict, pm_tuple_get(rt, ht->ht_slots, i),
                      ht->members[i].offset) < 0)
            goto fail;
    if (spec.add_dict && (base->itemsize == 0 || t->dictoffset < 0) &&
        add_descr_default(rt, &dictdescr_type, ht, ht->state.dict, "__dict__", t->dictoffset) < 0)
        goto fail;
    if (spec.add_weak &&
        add_descr_default(rt, &weakdescr_type, ht, ht->state.dict, "__weakref__", t->weaklistoffset) < 0)
        goto fail;

    /* hooks every class has; the special-method slots come next */
    t->dealloc = subtype_dealloc;
    t->traverse = pmi_subtype_traverse;
    t->clear = subtype_clear;
    t->size_of = subtype_size_of;
    t->extra = NULL;

    ht->state.mro = pmi_type_mro_c3(rt, pm_type_as_object(t), ht->state.bases);
    if (!ht->state.mro) goto fail;
    if (pmi_slots_fixup(rt, ht) < 0) goto fail;
    if (register_subclass(rt, ht) < 0) goto fail;
    pmi_gc_track(rt, (pm_object *)ht);

    if (set_names(rt, ht) < 0 || init_subclass(rt, ht, kwargs) < 0) {
        pm_decref(rt, (pm_object *)ht);
        return NULL;
    }
    return (pm_object *)ht;
fail:
    pm_xdecref(rt, spec.names);
    pm_xdecref(rt, dict);
    pm_xdecref(rt, bases);
    if (ht) {
        /* the descriptors already in the dict and the MRO hold the class: drop them
         * first (the class is not tracked yet), then the class itself
         * (pmi_heaptype_dealloc releases what is set) */
        pm_object *d = ht->state.dict;
        ht->state.dict = NULL;
        if (d) pm_dict_clear(rt, d);
        pm_xdecref(rt, d);
        PM_CLEAR(rt, ht->state.mro);        /* holds the class too */
        pm_decref(rt, (pm_object *)ht);
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* type.__setattr__ on a class                                               */
/* ------------------------------------------------------------------------ */

/* Recompute the slots of ht and of every class below it (update_subclasses;
 * depth bounds a pathological chain). */
static int fixup_tree(pm_runtime *rt, pmi_heaptype *ht, int depth) {
    if (depth > 10000) return 0;
    if (pmi_slots_fixup(rt, ht) < 0) return -1;
    for (pm_ssize_t i = 0; i < ht->nsubs; i++)
        if (fixup_tree(rt, ht->subs[i], depth + 1) < 0) return -1;
    return 0;
}

int pmi_heaptype_setattr(pm_runtime *rt, pm_type *t, pm_object *name, pm_object *value) {
    pmi_heaptype *ht = PMI_HT(t);
    /* data descriptors of the metatype first (__name__, __qualname__, ...) */
    pm_object *meta_attr = pm_type_lookup(rt, t->ob_base.ob_type, name);
    if (!meta_attr && pm_err_occurred(rt)) return -1;
    if (meta_attr && meta_attr->ob_type->descr_set) {
        pm_incref(rt, meta_attr);
        int r = meta_attr->ob_type->descr_set(rt, meta_attr, pm_type_as_object(t), value);
        pm_decref(rt, meta_attr);
        return r;
    }
    if (!ht->state.dict) {
        pm_err_set(rt, PM_EXC_TypeError, "class has been cleared");
        return -1;
    }
    pm_object *key = pm_str_intern(rt, name);
    if (!key) return -1;
    int r;
    if (value) {
        r = pm_dict_set(rt, ht->state.dict, key, value);
    } else {
        r = pm_dict_del(rt, ht->state.dict, key);
        if (r < 0 && pm_err_matches(rt, PM_EXC_KeyError)) {
            pm_err_clear(rt);
            const char *n = pm_str_as_utf8(rt, key, NULL);
            if (n)
                pm_err_format(rt, PM_EXC_AttributeError, "type object '%.50s' has no attribute '%s'", t->name, n);
        }
    }
    pm_type_modified(rt, t);
    if (r == 0 && pmi_slots_is_special(key)) r = fixup_tree(rt, ht, 0);
    pm_decref(rt, key);
    return r;
}
