/*
 * interp/specialize.c — making and refilling the VM's inline caches.
 *
 * The design is in specialize.h: a private block per code object with one
 * entry per LOAD_GLOBAL / LOAD_ATTR / LOAD_METHOD / STORE_ATTR, filled by
 * the generic path of the instruction and checked by its fast path in
 * ceval.c under guards (dict versions, type version tags).
 *
 * CPython behaviour mirrored: 3.11's specialize.c decides which shapes get a
 * fast path (LOAD_GLOBAL_MODULE / _BUILTIN, LOAD_ATTR_INSTANCE_VALUE,
 * LOAD_METHOD_WITH_VALUES / _NO_DICT, STORE_ATTR_INSTANCE_VALUE); the
 * results are always those of the generic path, so the only observable is
 * speed.
 */
#include "specialize.h"
#include "opcodes.h"
#include "funcobject.h"

#include <string.h>

enum {
#define PMI_SP_ENUM_(name, num, cache, flags) SP_##name = num,
    PMI_OPCODES(PMI_SP_ENUM_)
#undef PMI_SP_ENUM_
};

static int has_entry(int op) {
    return op == SP_LOAD_GLOBAL || op == SP_LOAD_ATTR || op == SP_LOAD_METHOD || op == SP_STORE_ATTR ||
           op == SP_CALL;
}

pmi_vmcode *pmi_specialize_prepare(pm_runtime *rt, pmi_code *co) {
    const unsigned char *code = (const unsigned char *)pm_bytes_data(co->code);
    pm_ssize_t nunits = pm_bytes_size(co->code) / 2, nentries = 0;
    for (pm_ssize_t i = 0; i < nunits; i += 1 + pmi_opcode_cache(code[2 * i]))
        if (has_entry(code[2 * i])) nentries++;
    if (nentries > 65535) nentries = 65535;
    size_t head = sizeof(pmi_vmcode) + sizeof(uint16_t) * (size_t)nunits;
    head = (head + 15) & ~(size_t)15;
    pmi_vmcode *vm = pm_malloc(rt, head + sizeof(pmi_icache) * (size_t)nentries);
    if (!vm) {
        pm_err_clear(rt);
        return NULL;
    }
    vm->warmup = 0;
    vm->nunits = nunits;
    vm->nentries = nentries;
    vm->entries = (pmi_icache *)(void *)((char *)vm + head);
    memset(vm->slot, 0, sizeof(uint16_t) * (size_t)nunits);
    memset(vm->entries, 0, sizeof(pmi_icache) * (size_t)nentries);
    pm_ssize_t k = 0;
    for (pm_ssize_t i = 0; i < nunits && k < nentries; i += 1 + pmi_opcode_cache(code[2 * i]))
        if (has_entry(code[2 * i])) vm->slot[i] = (uint16_t)++k;
    co->vm = vm;
    return vm;
}

void pmi_specialize_free(pm_runtime *rt, pmi_code *co) {
    if (co->vm) pm_free(rt, co->vm);
    co->vm = NULL;
}

/* No fast path for this site now: back off (16, 32, ... 1024 misses). */
static void fill_failed(pmi_icache *e) {
    e->kind = PMI_IC_NONE;
    e->skip = (uint16_t)(e->fails < 6 ? 16u << e->fails : 1024u);
    if (e->fails < 255) e->fails++;
}

void pmi_specialize_global(pm_runtime *rt, pmi_icache *e, pm_object *globals, pm_object *builtins,
                           pm_object *name, pm_object *v) {
    e->kind = PMI_IC_NONE;
    if (pm_type_of(globals) != &pm_dict_type || pm_type_of(builtins) != &pm_dict_type || !pm_str_check(name)) {
        fill_failed(e);
        return;
    }
    pm_object *g = pm_dict_get(rt, globals, name);
    if (pm_err_occurred(rt)) {
        pm_err_clear(rt);
        fill_failed(e);
        return;
    }
    e->owner = globals;
    e->ver1 = pm_dict_view_version(globals);
    e->value = v;
    if (g == v) {
        e->owner2 = NULL;
        e->ver2 = 0;
    } else if (!g && pm_dict_get(rt, builtins, name) == v) {
        e->owner2 = builtins;
        e->ver2 = pm_dict_view_version(builtins);
    } else {
        pm_err_clear(rt);
        fill_failed(e);
        return;
    }
    e->kind = PMI_IC_GLOBAL;
    e->fails = 0;
}

void pmi_specialize_attr(pm_runtime *rt, pmi_icache *e, pm_object *owner, pm_object *name, int kind) {
    const pm_type *tp = pm_type_of(owner);
    if (!pm_str_check(name)) goto fail;
    if (kind == PMI_IC_STORE) {
        if ((tp->setattr && tp->setattr != pm_object_generic_setattr) || tp->dictoffset <= 0) goto fail;
    } else if (tp->getattr && tp->getattr != pm_object_generic_getattr) {
        goto fail;
    }
    unsigned int ver = pm_type_version(rt, tp);
    if (!ver) goto fail;
    pm_object *d = pm_type_lookup(rt, tp, name);
    if (!d && pm_err_occurred(rt)) {
        pm_err_clear(rt);
        goto fail;
    }
    if (pm_type_version(rt, tp) != ver) goto fail;  /* the lookup ran code that changed it */
    const pm_type *dt = d ? pm_type_of(d) : NULL;
    if (dt && dt->descr_set) goto fail;             /* a data descriptor: generic */
    if (kind == PMI_IC_METHOD && !(dt && (dt->flags & PM_TPFLAGS_METHOD_DESCRIPTOR))) goto fail;
    if (e->kind == kind && e->owner != tp) {
        /* the first way moves to the second place (its type may be dead
         * by now: it is only ever compared with a live owner's type, whose
         * fresh tag would not match) */
        e->owner2 = e->owner;
        e->ver2 = e->ver1;
        e->value2 = e->value;
        e->plain2 = e->plain;
        e->index2 = e->index;
    } else {
        e->owner2 = NULL;
        e->ver2 = 0;
        e->value2 = NULL;
        e->plain2 = 0;
        e->index2 = -1;
    }
    e->index = -1;
    e->owner = tp;
    e->ver1 = ver;
    e->value = d;
    e->plain = d && !dt->descr_get;
    e->kind = kind;
    e->fails = 0;
    return;
fail:
    fill_failed(e);
}

void pmi_specialize_call(pm_runtime *rt, pmi_icache *e, pm_object *callable) {
    if (pm_type_of(callable) != &pm_type_type) goto fail;
    const pm_type *tp = (const pm_type *)(const void *)callable;
    if (tp->new_object != pm_object_type.new_object || (tp->flags & PM_TPFLAGS_DISALLOW_INSTANTIATION)) goto fail;
    unsigned int ver = pm_type_version(rt, tp);
    if (!ver) goto fail;
    pm_object *name = pm_str_intern_cstr(rt, "__init__");
    if (!name) {
        pm_err_clear(rt);
        goto fail;
    }
    pm_object *init = pm_type_lookup(rt, tp, name);
    pm_decref(rt, name);
    if (!init) {
        pm_err_clear(rt);
        goto fail;
    }
    /* the lookup may have run code: the tag must still be the one read */
    if (!pmi_function_check(init) || pm_type_version(rt, tp) != ver) goto fail;
    e->owner = tp;
    e->ver1 = ver;
    e->value = init;
    e->owner2 = NULL;
    e->ver2 = 0;
    e->value2 = NULL;
    e->kind = PMI_IC_INIT;
    e->fails = 0;
    return;
fail:
    fill_failed(e);
}
