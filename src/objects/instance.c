/*
 * instance.c — classes made at run time and their instances: attributes in
 * shared-name value arrays or a dict, or in fixed slots (the __slots__
 * layout) with no dict.
 *
 * Purpose
 *   The generic object of a Python class, with CPython 3.11's sizes.  A
 *   class is a heap type: a pm_type in one pm_malloc block together with
 *   its slot table and name, refcounted, kept alive by its instances.
 *
 *   class block (type: pmi_class_type, not gc)
 *   +------------------+-----------------------------+---------------+------------+
 *   | pm_type (hooks,  | qualname, shared names      | slot_names[n] | "mod.Name" |
 *   |  basicsize,extra)| (dict classes), class_info  | interned strs |            |
 *   +------------------+-------------|---------------+---------------+------------+
 *                                    v
 *                     shared: ["a", "b", ...]   (<= 30, first-set order)
 *
 *   dict-class instance (56 B with gc head)          values block (16 B)
 *   +------+------+--------+------+------+------+--------+    +------+------+
 *   | next | prev | refcnt | type | dict | weak | values-+--> | .a   | .b   |
 *   +------+------+--------+------+------+------+--------+    +------+------+
 *                                  NULL until needed   (capacity/2 in the
 *                                                       pointer's low bits)
 *   slots instance, n = 2 (48 B)
 *   +------+------+--------+------+------+------+
 *   | next | prev | refcnt | type | s[0] | s[1] |
 *   +------+------+--------+------+------+------+
 *
 *   CPython 3.11 puts a plain instance's dict and inline-values pointers in
 *   a pre-header before the gc head and gives the object a weakref slot
 *   (basicsize 24): 16 + 16 + 24 = 56 bytes.  Here the same three words sit
 *   inside the object (basicsize 40) — the same 56 bytes, the same
 *   getsizeof.  Like CPython's shared keys + inline values, attributes need
 *   no dict: value i belongs to the class's shared name i.  Two attributes
 *   cost 64 + 16 = 80 bytes (CPython 3.11: 88).
 *
 * States of a dict-class instance:
 *     no attributes (values == dict == NULL)
 *       --set a shared (or new, while the class has < 30) name--> values
 *       --__dict__ asked, or a 31st name--> dict (values moved in, freed)
 *   The dict state is final.  A failed step leaves the previous state.
 *   A slot (or value) is NULL until set; reading it then is AttributeError.
 *
 * Attribute names are compared by identity first (they are interned), then
 * by text.
 */
#include "containers.h"
#include "instance_values.h"
#include "scalar.h"

#include <stdio.h>

/* What the class block holds after its pm_type. */
typedef struct class_block {
    pm_type type;               /* the class (ob_type = &pmi_class_type) */
    const char *qualname;       /* "mod.Name" as given, for repr */
    pm_object **shared;         /* dict classes: attribute names in the order
                                   instances first set them (interned strs,
                                   owned), the index space of every instance's
                                   values array; pm_malloc'd or NULL */
    pm_ssize_t nshared;         /* names in `shared` (<= PMI_SHARED_KEYS_MAX) */
    pm_ssize_t capshared;       /* names allocated in `shared` */
    pmi_class_info info;        /* nslots + slot names (flexible) */
} class_block;

static const pmi_class_info *class_info(const pm_type *t) { return (const pmi_class_info *)t->extra; }
static const class_block *block_of(const pm_type *t) { return (const class_block *)t; }

/* ------------------------------------------------------------------------ */
/* The metatype of runtime classes                                           */
/* ------------------------------------------------------------------------ */

static void class_dealloc(pm_runtime *rt, pm_object *self) {
    class_block *b = (class_block *)self;
    for (pm_ssize_t i = 0; i < b->info.nslots; i++) pm_xdecref(rt, b->info.slot_names[i]);
    for (pm_ssize_t i = 0; i < b->nshared; i++) pm_decref(rt, b->shared[i]);
    pm_free(rt, b->shared);
    pmi_object_free(rt, self);
}

static pm_object *class_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "<class '%s'>", ((class_block *)self)->qualname);
    return pmi_sb_finish(rt, &sb);
}

static pm_hash_t identity_hash(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return pmi_hash_pointer(self);
}

static pm_object *identity_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    (void)rt;
    if (op == PM_EQ) return a == b ? PM_TRUE : PM_NOTIMPLEMENTED;
    if (op == PM_NE) return a == b ? PM_FALSE : PM_NOTIMPLEMENTED;
    return PM_NOTIMPLEMENTED;
}

static size_t class_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return pm_usable_size(rt, self);
}

/* The type of classes made by pm_class_new: a "type" whose instances are
 * heap blocks that own their slot names. */
const pm_type pmi_class_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "type",
    .basicsize = sizeof(class_block),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_TYPE_SUBCLASS,
    .base = &pm_type_type,
    .dealloc = class_dealloc,
    .size_of = class_size_of,
    .repr = class_repr,
    .hash = identity_hash,
    .richcompare = identity_richcompare,
};

int pm_instance_check(const pm_object *o) { return o->ob_type->ob_base.ob_type == &pmi_class_type; }

/* ------------------------------------------------------------------------ */
/* Instances                                                                 */
/* ------------------------------------------------------------------------ */

static pm_ssize_t slot_count(const pm_object *o) { return class_info(o->ob_type)->nslots; }

static class_block *class_of(const pm_object *o) { return (class_block *)(void *)o->ob_type; }

/* The values array and its capacity share one word (instance_values.h,
 * shared with the collector's inlined instance walk). */
#define values_of pmi_instance_values
#define values_cap pmi_instance_values_cap

/* Drop the values array and the references in it (the instance is made
 * consistent first: a decref may run code that looks at it). */
static void values_clear(pm_runtime *rt, pmi_instance *inst) {
    pm_object **v = values_of(inst);
    if (!v) return;
    pm_ssize_t n = values_cap(inst);
    inst->values = NULL;
    for (pm_ssize_t i = 0; i < n; i++) pm_xdecref(rt, v[i]);
    pm_free(rt, v);
}

static void instance_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    if (pmi_gc_dealloc_begin(rt, self)) return;  /* finalizer resurrected it (gc.c); weakrefs cleared */
    pm_ssize_t n = slot_count(self);
    if (n < 0) {
        values_clear(rt, (pmi_instance *)self);
        PM_CLEAR(rt, ((pmi_instance *)self)->dict);
    } else {
        pmi_slots_instance *s = (pmi_slots_instance *)self;
        for (pm_ssize_t i = 0; i < n; i++) PM_CLEAR(rt, s->slots[i]);
    }
    pmi_object_free(rt, self);          /* also releases the class */
}

int pmi_instance_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pm_ssize_t n = slot_count(self);
    int r;
    if (n < 0) {
        pmi_instance *inst = (pmi_instance *)self;
        if (inst->dict && (r = visit(inst->dict, arg))) return r;
        pm_object **v = values_of(inst);
        for (pm_ssize_t i = 0, cap = values_cap(inst); i < cap; i++)
            if (v[i] && (r = visit(v[i], arg))) return r;
    } else {
        pmi_slots_instance *s = (pmi_slots_instance *)self;
        for (pm_ssize_t i = 0; i < n; i++)
            if (s->slots[i] && (r = visit(s->slots[i], arg))) return r;
    }
    /* Heap-type instances own a reference to their class (CPython's
     * subtype_traverse visits it too). */
    return visit((pm_object *)self->ob_type, arg);
}

static int instance_clear(pm_runtime *rt, pm_object *self) {
    pm_ssize_t n = slot_count(self);
    if (n < 0) {
        values_clear(rt, (pmi_instance *)self);
        PM_CLEAR(rt, ((pmi_instance *)self)->dict);
    } else {
        pmi_slots_instance *s = (pmi_slots_instance *)self;
        for (pm_ssize_t i = 0; i < n; i++) PM_CLEAR(rt, s->slots[i]);
    }
    return 0;
}

static pm_object *instance_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    pmi_sb_printf(rt, &sb, "<%s object at %p>", block_of(self->ob_type)->qualname, (void *)self);
    return pmi_sb_finish(rt, &sb);
}

static void *no_attribute(pm_runtime *rt, pm_object *self, pm_object *name) {
    const char *n = pm_str_as_utf8(rt, name, NULL);
    if (n)
        pm_err_format(rt, PM_EXC_AttributeError, "'%s' object has no attribute '%s'",
                      self->ob_type->name, n);
    return NULL;
}

/* Index of slot `name`, or -1. */
static pm_ssize_t find_slot(const pmi_class_info *info, pm_object *name) {
    for (pm_ssize_t i = 0; i < info->nslots; i++)
        if (info->slot_names[i] == name) return i;
    for (pm_ssize_t i = 0; i < info->nslots; i++)
        if (pmi_str_eq(info->slot_names[i], name)) return i;
    return -1;
}

/* ---- shared attribute names and per-instance values (dict classes) ------ */

/* Index of `name` among the class's shared names, or -1. */
static pm_ssize_t shared_index(const class_block *b, pm_object *name) {
    for (pm_ssize_t i = 0; i < b->nshared; i++)
        if (b->shared[i] == name) return i;
    for (pm_ssize_t i = 0; i < b->nshared; i++)
        if (pmi_str_eq(b->shared[i], name)) return i;
    return -1;
}

/* Append name (interned) to the class's shared names: its index, or -1
 * with MemoryError. */
static pm_ssize_t shared_add(pm_runtime *rt, class_block *b, pm_object *name) {
    if (b->nshared == b->capshared) {
        pm_ssize_t cap = b->capshared ? b->capshared * 2 : 4;
        if (cap > PMI_SHARED_KEYS_MAX) cap = PMI_SHARED_KEYS_MAX;
        pm_object **a = pm_realloc(rt, b->shared, (size_t)cap * sizeof(pm_object *));
        if (!a) {
            pm_err_nomem(rt);
            return -1;
        }
        b->shared = a;
        b->capshared = cap;
    }
    pm_object *canon = pm_str_intern(rt, name);
    if (!canon) return -1;
    b->shared[b->nshared] = canon;
    return b->nshared++;
}

/* Make room for at least `need` values (asking for `want` >= need, the
 * class's current name count, so that later attributes fit too).  New
 * slots are NULL.  0, or -1 with MemoryError (values unchanged). */
static int values_grow(pm_runtime *rt, pmi_instance *inst, pm_ssize_t need, pm_ssize_t want) {
    pm_ssize_t old = values_cap(inst);
    if (want < need) want = need;
    want = (want + 1) & ~(pm_ssize_t)1;                 /* even: 16-byte multiple */
    if (want > PMI_SHARED_KEYS_MAX) want = PMI_SHARED_KEYS_MAX;
    pm_object **v = pm_realloc(rt, values_of(inst), (size_t)want * sizeof(pm_object *));
    if (!v) {
        pm_err_nomem(rt);
        return -1;
    }
    for (pm_ssize_t i = old; i < want; i++) v[i] = NULL;
    inst->values = (pm_object **)((uintptr_t)v | (uintptr_t)(want / 2));
    return 0;
}

/* Move the attributes from the values array into a new dict (for
 * __dict__, or once the class shares PMI_SHARED_KEYS_MAX names).  The dict
 * lists them in the class's name order.  0, or -1 (nothing changed). */
static int materialize_dict(pm_runtime *rt, pmi_instance *inst) {
    class_block *b = class_of((pm_object *)inst);
    pm_object *d = pm_dict_new(rt);
    if (!d) return -1;
    pm_object **v = values_of(inst);
    for (pm_ssize_t i = 0, cap = values_cap(inst); i < cap && i < b->nshared; i++) {
        if (v[i] && pm_dict_set(rt, d, b->shared[i], v[i]) < 0) {
            pm_decref(rt, d);
            return -1;
        }
    }
    inst->dict = d;
    values_clear(rt, inst);
    return 0;
}

static pm_object *instance_getattr(pm_runtime *rt, pm_object *self, pm_object *name) {
    const pmi_class_info *info = class_info(self->ob_type);
    if (info->nslots >= 0) {
        pm_ssize_t i = find_slot(info, name);
        if (i >= 0 && ((pmi_slots_instance *)self)->slots[i])
            return pm_newref(rt, ((pmi_slots_instance *)self)->slots[i]);
        return no_attribute(rt, self, name);
    }
    pmi_instance *inst = (pmi_instance *)self;
    if (inst->dict) {
        pm_object *v = pm_dict_get(rt, inst->dict, name);
        if (v) return pm_newref(rt, v);
        if (pm_err_occurred(rt)) return NULL;
    } else if (inst->values) {
        pm_ssize_t i = shared_index(class_of(self), name);
        if (i >= 0 && i < values_cap(inst) && values_of(inst)[i])
            return pm_newref(rt, values_of(inst)[i]);
    }
    if (pm_str_equal_cstr(name, "__dict__")) {
        if (!inst->dict && materialize_dict(rt, inst) < 0) return NULL;
        return pm_newref(rt, inst->dict);
    }
    return no_attribute(rt, self, name);
}

static int instance_setattr(pm_runtime *rt, pm_object *self, pm_object *name, pm_object *value) {
    const pmi_class_info *info = class_info(self->ob_type);
    if (info->nslots >= 0) {
        pm_ssize_t i = find_slot(info, name);
        if (i < 0) {
            no_attribute(rt, self, name);
            return -1;
        }
        pmi_slots_instance *s = (pmi_slots_instance *)self;
        pm_object *old = s->slots[i];
        if (!value && !old) {
            /* CPython 3.11's member_delete on an empty slot: the message is
             * the bare name. */
            const char *n = pm_str_as_utf8(rt, name, NULL);
            if (n) pm_err_set(rt, PM_EXC_AttributeError, n);
            return -1;
        }
        s->slots[i] = value ? pm_newref(rt, value) : NULL;
        pm_xdecref(rt, old);
        return 0;
    }
    pmi_instance *inst = (pmi_instance *)self;
    if (!inst->dict) {
        class_block *b = class_of(self);
        pm_ssize_t i = shared_index(b, name);
        if (!value) {                   /* delete */
            if (i < 0 || i >= values_cap(inst) || !values_of(inst)[i]) {
                no_attribute(rt, self, name);
                return -1;
            }
            pm_object *old = values_of(inst)[i];
            values_of(inst)[i] = NULL;
            pm_decref(rt, old);
            return 0;
        }
        if (i < 0 && b->nshared < PMI_SHARED_KEYS_MAX) i = shared_add(rt, b, name);
        if (i >= 0) {
            if (i >= values_cap(inst) && values_grow(rt, inst, i + 1, b->nshared) < 0) return -1;
            pm_object *old = values_of(inst)[i];
            values_of(inst)[i] = pm_newref(rt, value);
            pm_xdecref(rt, old);
            return 0;
        }
        if (pm_err_occurred(rt)) return -1;
        /* The class shares no more names: this instance gets a dict. */
        if (materialize_dict(rt, inst) < 0) return -1;
    }
    if (!value) {
        int r = pm_dict_del(rt, inst->dict, name);
        if (r == 0 || !pm_err_matches(rt, PM_EXC_KeyError)) return r;
        no_attribute(rt, self, name);
        return -1;
    }
    return pm_dict_set(rt, inst->dict, name, value);
}

pm_object *pm_instance_new(pm_runtime *rt, pm_object *cls) {
    if (cls->ob_type != &pmi_class_type) return pmi_err_badarg(rt, "pm_instance_new");
    pm_object *o = pmi_gc_new(rt, (const pm_type *)cls);
    if (!o) return NULL;
    pmi_gc_track(rt, o);
    return o;
}

pm_object *pm_instance_getattr_cstr(pm_runtime *rt, pm_object *o, const char *name) {
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return NULL;
    pm_object *v = pm_getattr(rt, o, n);
    pm_decref(rt, n);
    return v;
}

int pm_instance_setattr_cstr(pm_runtime *rt, pm_object *o, const char *name, pm_object *value) {
    pm_object *n = pm_str_intern_cstr(rt, name);
    if (!n) return -1;
    int r = pm_setattr(rt, o, n, value);
    pm_decref(rt, n);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Creating a class                                                          */
/* ------------------------------------------------------------------------ */

pm_object *pm_class_new(pm_runtime *rt, const char *name, const char *const *slots,
                        pm_ssize_t nslots) {
    if (!name || (slots && nslots < 0) || (!slots && nslots > 0))
        return pmi_err_badarg(rt, "pm_class_new");
    if (!slots) nslots = -1;
    size_t n = nslots > 0 ? (size_t)nslots : 0, namelen = strlen(name);
    if (n > ((size_t)1 << 20)) return pm_err_nomem(rt);
    size_t size = sizeof(class_block) + n * sizeof(pm_object *) + namelen + 1;
    class_block *b = (class_block *)pmi_object_alloc_size(rt, &pmi_class_type, size);
    if (!b) return NULL;
    /* Everything after the header is set before anything can fail, so the
     * class dealloc can always run. */
    memset((char *)b + sizeof(pm_object), 0, size - sizeof(pm_object));
    char *qual = (char *)&b->info.slot_names[n];
    memcpy(qual, name, namelen + 1);
    const char *dot = strrchr(qual, '.');
    b->qualname = qual;
    b->info.nslots = nslots;
    pm_type *t = &b->type;
    t->name = dot ? dot + 1 : qual;
    t->flags = PM_TPFLAGS_GC | PM_TPFLAGS_HEAPTYPE | PM_TPFLAGS_BASETYPE;
    t->base = &pm_object_type;
    if (nslots < 0) {
        t->basicsize = sizeof(pmi_instance);
        t->dictoffset = offsetof(pmi_instance, dict);
        t->weaklistoffset = offsetof(pmi_instance, weakreflist);
    } else {
        t->basicsize = (pm_ssize_t)(sizeof(pmi_slots_instance) + n * sizeof(pm_object *));
    }
    t->dealloc = instance_dealloc;
    t->traverse = pmi_instance_traverse;
    t->clear = instance_clear;
    t->repr = instance_repr;
    t->hash = identity_hash;
    t->richcompare = identity_richcompare;
    t->getattr = instance_getattr;
    t->setattr = instance_setattr;
    t->extra = &b->info;
    for (size_t i = 0; i < n; i++) {
        if (!slots[i]) {
            pmi_err_badarg(rt, "pm_class_new");
            goto fail;
        }
        b->info.slot_names[i] = pm_str_intern_cstr(rt, slots[i]);
        if (!b->info.slot_names[i]) goto fail;
    }
    return (pm_object *)b;
fail:
    pm_decref(rt, (pm_object *)b);      /* class_dealloc drops the names made so far */
    return NULL;
}
