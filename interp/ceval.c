/*
 * interp/ceval.c — the evaluation loop (first slice).
 *
 * Runs one pmi_frame's code: CPython 3.11 bytecode as our compiler emits it,
 * two bytes per unit (opcode, argument), each real instruction followed by
 * pmi_opcode_cache(op) CACHE units that this VM skips (no specialization
 * yet).  Relative jumps count units from the end of the instruction and
 * its caches, as in 3.11.
 *
 * Ownership is CPython's: every slot of localsplus and of the value stack
 * holds one reference; a load increfs onto the stack, a store steals the
 * popped reference, a consumer decrefs what it pops.  The error path drops
 * every value still on the stack, so the frame is left empty and
 * pmi_frame_pop only drops the locals.
 *
 * Dispatch: a switch whose case labels are generated from the one opcode
 * table (interp/opcodes.h, PMI_OPCODES); every opcode this slice does not
 * implement reaches one place that raises SystemError "pymm: opcode NAME
 * not implemented yet" — the loop never crashes on unknown code.
 * Exceptions are not yet objects in the public API, so an error unwinds the
 * whole frame (no exception-table handlers yet).
 */
#include "interp.h"
#include "code.h"
#include "opcodes.h"
#include "import.h"
#include "traceback.h"

#include <string.h>

/* UnboundLocalError is not a pm_exc kind yet (the "exceptions" work adds
 * it); its base NameError stands in, with 3.11's message. */
#define PMI_EXC_UNBOUNDLOCAL PM_EXC_NameError

/* OP_<NAME> = number, from the one table. */
enum {
#define PMI_OP_ENUM_(name, num, cache, flags) OP_##name = num,
    PMI_OPCODES(PMI_OP_ENUM_)
#undef PMI_OP_ENUM_
};

/* UTF-8 text of a name for messages ("?" if it cannot be had). */
static const char *name_text(pm_runtime *rt, pm_object *name) {
    const char *s = pm_str_as_utf8(rt, name, NULL);
    if (!s) {
        pm_err_clear(rt);
        return "?";
    }
    return s;
}

/* locals/globals lookup: new ref, NULL without error when absent. */
static pm_object *mapping_get(pm_runtime *rt, pm_object *m, pm_object *key) {
    if (pm_type_of(m) == &pm_dict_type) {
        pm_object *v = pm_dict_get(rt, m, key);
        if (v) pm_incref(rt, v);
        return v;
    }
    pm_object *v = pm_getitem(rt, m, key);
    if (!v && pm_err_matches(rt, PM_EXC_KeyError)) pm_err_clear(rt);
    return v;
}

/* x = conversion(value) for FORMAT_VALUE (1 str, 2 repr, 3 ascii). */
static pm_object *convert_value(pm_runtime *rt, pm_object *v, int which) {
    switch (which) {
    case 1: return pm_str(rt, v);
    case 2: return pm_repr(rt, v);
    case 3: return pm_ascii(rt, v);
    default: return pm_newref(rt, v);
    }
}

/* Pushes the n items of seq onto sp in reverse (UNPACK_SEQUENCE): 0 or -1. */
static int unpack(pm_runtime *rt, pm_object *seq, int n, pm_object **sp) {
    pm_object *it = pm_iter(rt, seq);
    if (!it) {
        if (pm_err_matches(rt, PM_EXC_TypeError))
            pm_err_format(rt, PM_EXC_TypeError, "cannot unpack non-iterable %s object",
                          pm_type_name(pm_type_of(seq)));
        return -1;
    }
    int i = 0;
    for (; i < n; i++) {
        pm_object *v = pm_iter_next(rt, it);
        if (!v) {
            if (!pm_err_occurred(rt))
                pm_err_format(rt, PM_EXC_ValueError, "not enough values to unpack (expected %d, got %d)", n, i);
            goto fail;
        }
        sp[n - 1 - i] = v;
    }
    pm_object *extra = pm_iter_next(rt, it);
    if (extra) {
        pm_decref(rt, extra);
        pm_err_format(rt, PM_EXC_ValueError, "too many values to unpack (expected %d)", n);
        goto fail;
    }
    if (pm_err_occurred(rt)) goto fail;
    pm_decref(rt, it);
    return 0;
fail:
    for (int j = 0; j < i; j++) pm_decref(rt, sp[n - 1 - j]);
    pm_decref(rt, it);
    return -1;
}

pm_object *pmi_eval_frame(pm_runtime *rt, pmi_frame *f) {
    pmi_code *co = (pmi_code *)f->code;
    const uint16_t *first = (const uint16_t *)(const void *)pm_bytes_data(co->code);
    const uint16_t *next = f->instr;
    pm_object **fast = f->localsplus;
    pm_object **base = f->localsplus + f->nlocalsplus;
    pm_object **sp = base + f->stacktop;
    pm_object *kwnames = NULL;      /* borrowed from co_consts: set by KW_NAMES for the next CALL */
    pm_object *res = NULL;
    int op, oparg;

#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define PEEK(n) (sp[-(n)])
#define GETNAME(i) pm_tuple_get(rt, co->names, (i))
#define JUMPBY(n) (next += (n))

    for (;;) {
        uint16_t word;
        f->instr = next;
        memcpy(&word, next, 2);
        op = word & 0xff;
        oparg = word >> 8;
    dispatch_with_arg:
        next += 1 + pmi_opcode_cache(op);
        switch (op) {
        case OP_NOP:
        case OP_RESUME:
        case OP_CACHE:
        case OP_PRECALL:
            break;
        case OP_EXTENDED_ARG: {
            memcpy(&word, next, 2);
            f->instr = next;
            op = word & 0xff;
            oparg = (oparg << 8) | (word >> 8);
            goto dispatch_with_arg;
        }
        case OP_POP_TOP: {
            pm_object *v = POP();
            pm_decref(rt, v);
            break;
        }
        case OP_PUSH_NULL:
            PUSH(NULL);
            break;
        case OP_COPY: {
            pm_object *v = PEEK(oparg);
            PUSH(pm_newref(rt, v));
            break;
        }
        case OP_SWAP: {
            pm_object *t = TOP();
            TOP() = PEEK(oparg);
            PEEK(oparg) = t;
            break;
        }
        case OP_LOAD_CONST:
            PUSH(pm_newref(rt, pm_tuple_get(rt, co->consts, oparg)));
            break;
        case OP_LOAD_FAST: {
            pm_object *v = fast[oparg];
            if (!v) {
                pm_err_format(rt, PMI_EXC_UNBOUNDLOCAL,
                              "cannot access local variable '%s' where it is not associated with a value",
                              name_text(rt, pmi_code_slot_name(rt, f->code, oparg)));
                goto error;
            }
            PUSH(pm_newref(rt, v));
            break;
        }
        case OP_STORE_FAST: {
            pm_object *old = fast[oparg];
            fast[oparg] = POP();
            pm_xdecref(rt, old);
            break;
        }
        case OP_DELETE_FAST: {
            pm_object *old = fast[oparg];
            if (!old) {
                pm_err_format(rt, PMI_EXC_UNBOUNDLOCAL,
                              "cannot access local variable '%s' where it is not associated with a value",
                              name_text(rt, pmi_code_slot_name(rt, f->code, oparg)));
                goto error;
            }
            fast[oparg] = NULL;
            pm_decref(rt, old);
            break;
        }
        case OP_STORE_NAME: {
            pm_object *v = POP();
            int rc = !f->locals ? -1
                   : pm_type_of(f->locals) == &pm_dict_type ? pm_dict_set(rt, f->locals, GETNAME(oparg), v)
                   : pm_setitem(rt, f->locals, GETNAME(oparg), v);
            if (!f->locals)
                pm_err_format(rt, PM_EXC_SystemError, "no locals found when storing '%s'",
                              name_text(rt, GETNAME(oparg)));
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_DELETE_NAME: {
            pm_object *name = GETNAME(oparg);
            if (!f->locals || pm_delitem(rt, f->locals, name) < 0) {
                pm_err_format(rt, PM_EXC_NameError, "name '%s' is not defined", name_text(rt, name));
                goto error;
            }
            break;
        }
        case OP_LOAD_NAME:
        case OP_LOAD_GLOBAL: {
            int idx = op == OP_LOAD_GLOBAL ? oparg >> 1 : oparg;
            pm_object *name = GETNAME(idx);
            pm_object *v = NULL;
            if (op == OP_LOAD_NAME && f->locals) v = mapping_get(rt, f->locals, name);
            if (!v && !pm_err_occurred(rt)) v = mapping_get(rt, f->globals, name);
            if (!v && !pm_err_occurred(rt)) v = mapping_get(rt, f->builtins, name);
            if (!v) {
                if (!pm_err_occurred(rt))
                    pm_err_format(rt, PM_EXC_NameError, "name '%s' is not defined", name_text(rt, name));
                goto error;
            }
            if (op == OP_LOAD_GLOBAL && (oparg & 1)) PUSH(NULL);
            PUSH(v);
            break;
        }
        case OP_STORE_GLOBAL: {
            pm_object *v = POP();
            int rc = pm_dict_set(rt, f->globals, GETNAME(oparg), v);
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_DELETE_GLOBAL: {
            pm_object *name = GETNAME(oparg);
            if (pm_dict_del(rt, f->globals, name) < 0) {
                pm_err_format(rt, PM_EXC_NameError, "name '%s' is not defined", name_text(rt, name));
                goto error;
            }
            break;
        }
        case OP_LOAD_ATTR: {
            pm_object *owner = TOP();
            pm_object *v = pm_getattr(rt, owner, GETNAME(oparg));
            if (!v) goto error;
            TOP() = v;
            pm_decref(rt, owner);
            break;
        }
        case OP_LOAD_METHOD: {
            /* no unbound-method shortcut yet: [NULL, bound attribute] */
            pm_object *owner = TOP();
            pm_object *v = pm_getattr(rt, owner, GETNAME(oparg));
            if (!v) goto error;
            TOP() = NULL;
            PUSH(v);
            pm_decref(rt, owner);
            break;
        }
        case OP_STORE_ATTR: {
            pm_object *owner = POP();
            pm_object *v = POP();
            int rc = pm_setattr(rt, owner, GETNAME(oparg), v);
            pm_decref(rt, owner);
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_DELETE_ATTR: {
            pm_object *owner = POP();
            int rc = pm_delattr(rt, owner, GETNAME(oparg));
            pm_decref(rt, owner);
            if (rc < 0) goto error;
            break;
        }
        case OP_IMPORT_NAME: {
            pm_object *fromlist = POP();
            pm_object *level = TOP();
            pm_object *m = pmi_import_name(rt, f, GETNAME(oparg), fromlist, level);
            pm_decref(rt, fromlist);
            if (!m) goto error;
            TOP() = m;
            pm_decref(rt, level);
            break;
        }
        case OP_IMPORT_FROM: {
            pm_object *v = pmi_import_from(rt, TOP(), GETNAME(oparg));
            if (!v) goto error;
            PUSH(v);
            break;
        }
        case OP_IMPORT_STAR: {
            pm_object *m = POP();
            int r = pmi_import_star(rt, f, m);
            pm_decref(rt, m);
            if (r < 0) goto error;
            break;
        }
        case OP_KW_NAMES:
            kwnames = pm_tuple_get(rt, co->consts, oparg);
            break;
        case OP_CALL: {
            /* stack: [meth_or_NULL, callable_or_self, args...] */
            int is_meth = PEEK(oparg + 2) != NULL;
            int total = oparg + is_meth;
            pm_object *callable = is_meth ? PEEK(oparg + 2) : PEEK(oparg + 1);
            pm_object **args = sp - total;
            pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
            pm_object *r = pm_call(rt, callable, args, (size_t)(total - nkw), kwnames);
            kwnames = NULL;
            for (int i = 0; i < oparg + 2; i++) pm_xdecref(rt, sp[-1 - i]);
            sp -= oparg + 2;
            if (!r) goto error;
            PUSH(r);
            break;
        }
        case OP_BINARY_OP: {
            pm_object *rhs = POP();
            pm_object *lhs = TOP();
            pm_object *r = pm_number_binop(rt, lhs, rhs, oparg);
            pm_decref(rt, rhs);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, lhs);
            break;
        }
        case OP_UNARY_NEGATIVE:
        case OP_UNARY_POSITIVE:
        case OP_UNARY_INVERT: {
            pm_object *v = TOP();
            pm_object *r = op == OP_UNARY_NEGATIVE ? pm_number_negative(rt, v)
                         : op == OP_UNARY_POSITIVE ? pm_number_positive(rt, v)
                         : pm_number_invert(rt, v);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, v);
            break;
        }
        case OP_UNARY_NOT: {
            pm_object *v = TOP();
            int t = pm_is_true(rt, v);
            if (t < 0) goto error;
            TOP() = pm_bool_from(!t);
            pm_decref(rt, v);
            break;
        }
        case OP_COMPARE_OP: {
            pm_object *rhs = POP();
            pm_object *lhs = TOP();
            pm_object *r = pm_richcompare(rt, lhs, rhs, oparg);
            pm_decref(rt, rhs);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, lhs);
            break;
        }
        case OP_IS_OP: {
            pm_object *rhs = POP();
            pm_object *lhs = POP();
            int r = (lhs == rhs) ^ oparg;
            pm_decref(rt, lhs);
            pm_decref(rt, rhs);
            PUSH(pm_bool_from(r));
            break;
        }
        case OP_CONTAINS_OP: {
            pm_object *container = POP();
            pm_object *item = POP();
            int r = pm_contains(rt, container, item);
            pm_decref(rt, container);
            pm_decref(rt, item);
            if (r < 0) goto error;
            PUSH(pm_bool_from(r ^ oparg));
            break;
        }
        case OP_BINARY_SUBSCR: {
            pm_object *sub = POP();
            pm_object *container = TOP();
            pm_object *r = pm_getitem(rt, container, sub);
            pm_decref(rt, sub);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, container);
            break;
        }
        case OP_STORE_SUBSCR: {
            pm_object *sub = POP();
            pm_object *container = POP();
            pm_object *v = POP();
            int rc = pm_setitem(rt, container, sub, v);
            pm_decref(rt, sub);
            pm_decref(rt, container);
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_DELETE_SUBSCR: {
            pm_object *sub = POP();
            pm_object *container = POP();
            int rc = pm_delitem(rt, container, sub);
            pm_decref(rt, sub);
            pm_decref(rt, container);
            if (rc < 0) goto error;
            break;
        }
        case OP_BUILD_TUPLE:
        case OP_BUILD_LIST: {
            pm_object *r = op == OP_BUILD_TUPLE ? pm_tuple_from_array(rt, sp - oparg, oparg)
                                                : pm_list_from_array(rt, sp - oparg, oparg);
            if (!r) goto error;
            for (int i = 0; i < oparg; i++) pm_decref(rt, POP());
            PUSH(r);
            break;
        }
        case OP_BUILD_SET: {
            pm_object *r = pm_set_new(rt, NULL);
            if (!r) goto error;
            int rc = 0;
            for (int i = oparg; i > 0 && rc == 0; i--) rc = pm_set_add(rt, r, PEEK(i));
            if (rc < 0) {
                pm_decref(rt, r);
                goto error;
            }
            for (int i = 0; i < oparg; i++) pm_decref(rt, POP());
            PUSH(r);
            break;
        }
        case OP_BUILD_MAP: {
            pm_object *r = pm_dict_new_presized(rt, oparg);
            if (!r) goto error;
            for (int i = oparg; i > 0; i--) {
                if (pm_dict_set(rt, r, PEEK(2 * i), PEEK(2 * i - 1)) < 0) {
                    pm_decref(rt, r);
                    goto error;
                }
            }
            for (int i = 0; i < 2 * oparg; i++) pm_decref(rt, POP());
            PUSH(r);
            break;
        }
        case OP_BUILD_CONST_KEY_MAP: {
            pm_object *keys = TOP();
            pm_object *r = pm_dict_new_presized(rt, oparg);
            if (!r) goto error;
            for (int i = 0; i < oparg; i++) {
                if (pm_dict_set(rt, r, pm_tuple_get(rt, keys, i), PEEK(oparg + 1 - i)) < 0) {
                    pm_decref(rt, r);
                    goto error;
                }
            }
            for (int i = 0; i < oparg + 1; i++) pm_decref(rt, POP());
            PUSH(r);
            break;
        }
        case OP_BUILD_STRING: {
            pm_object *empty = pm_str_from_utf8(rt, "", 0);
            if (!empty) goto error;
            pm_object *parts = pm_tuple_from_array(rt, sp - oparg, oparg);
            pm_object *r = parts ? pm_str_join(rt, empty, parts) : NULL;
            pm_decref(rt, empty);
            pm_xdecref(rt, parts);
            if (!r) goto error;
            for (int i = 0; i < oparg; i++) pm_decref(rt, POP());
            PUSH(r);
            break;
        }
        case OP_BUILD_SLICE: {
            pm_object *step = oparg == 3 ? POP() : NULL;
            pm_object *stop = POP();
            pm_object *start = TOP();
            pm_object *r = pm_slice_new(rt, start, stop, step);
            pm_xdecref(rt, step);
            pm_decref(rt, stop);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, start);
            break;
        }
        case OP_LIST_APPEND:
        case OP_SET_ADD:
        case OP_LIST_EXTEND:
        case OP_SET_UPDATE:
        case OP_DICT_UPDATE:
        case OP_DICT_MERGE: {
            pm_object *v = POP();
            pm_object *target = PEEK(oparg);
            int rc = op == OP_LIST_APPEND ? pm_list_append(rt, target, v)
                   : op == OP_SET_ADD ? pm_set_add(rt, target, v)
                   : op == OP_LIST_EXTEND ? pm_list_extend(rt, target, v)
                   : op == OP_SET_UPDATE ? pm_set_update(rt, target, v)
                   : pm_dict_update(rt, target, v);
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_MAP_ADD: {
            pm_object *v = POP();
            pm_object *k = POP();
            int rc = pm_dict_set(rt, PEEK(oparg), k, v);
            pm_decref(rt, k);
            pm_decref(rt, v);
            if (rc < 0) goto error;
            break;
        }
        case OP_LIST_TO_TUPLE: {
            pm_object *l = TOP();
            pm_object *r = pm_list_as_tuple(rt, l);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, l);
            break;
        }
        case OP_UNPACK_SEQUENCE: {
            pm_object *seq = POP();
            int rc = unpack(rt, seq, oparg, sp);
            pm_decref(rt, seq);
            if (rc < 0) goto error;
            sp += oparg;
            break;
        }
        case OP_GET_ITER: {
            pm_object *v = TOP();
            pm_object *it = pm_iter(rt, v);
            if (!it) goto error;
            TOP() = it;
            pm_decref(rt, v);
            break;
        }
        case OP_FOR_ITER: {
            pm_object *v = pm_iter_next(rt, TOP());
            if (v) {
                PUSH(v);
                break;
            }
            if (pm_err_occurred(rt)) {
                if (!pm_err_matches(rt, PM_EXC_StopIteration)) goto error;
                pm_err_clear(rt);
            }
            pm_decref(rt, POP());
            JUMPBY(oparg);
            break;
        }
        case OP_JUMP_FORWARD:
            JUMPBY(oparg);
            break;
        case OP_JUMP_BACKWARD:
        case OP_JUMP_BACKWARD_NO_INTERRUPT:
            JUMPBY(-oparg);
            break;
        case OP_POP_JUMP_FORWARD_IF_FALSE:
        case OP_POP_JUMP_FORWARD_IF_TRUE:
        case OP_POP_JUMP_BACKWARD_IF_FALSE:
        case OP_POP_JUMP_BACKWARD_IF_TRUE: {
            pm_object *v = POP();
            int t = pm_is_true(rt, v);
            pm_decref(rt, v);
            if (t < 0) goto error;
            int want = op == OP_POP_JUMP_FORWARD_IF_TRUE || op == OP_POP_JUMP_BACKWARD_IF_TRUE;
            if (t == want)
                JUMPBY(op == OP_POP_JUMP_FORWARD_IF_FALSE || op == OP_POP_JUMP_FORWARD_IF_TRUE ? oparg : -oparg);
            break;
        }
        case OP_POP_JUMP_FORWARD_IF_NONE:
        case OP_POP_JUMP_FORWARD_IF_NOT_NONE:
        case OP_POP_JUMP_BACKWARD_IF_NONE:
        case OP_POP_JUMP_BACKWARD_IF_NOT_NONE: {
            pm_object *v = POP();
            int isnone = v == PM_NONE;
            pm_decref(rt, v);
            int want = op == OP_POP_JUMP_FORWARD_IF_NONE || op == OP_POP_JUMP_BACKWARD_IF_NONE;
            if (isnone == want)
                JUMPBY(op == OP_POP_JUMP_FORWARD_IF_NONE || op == OP_POP_JUMP_FORWARD_IF_NOT_NONE ? oparg : -oparg);
            break;
        }
        case OP_JUMP_IF_FALSE_OR_POP:
        case OP_JUMP_IF_TRUE_OR_POP: {
            int t = pm_is_true(rt, TOP());
            if (t < 0) goto error;
            if (t == (op == OP_JUMP_IF_TRUE_OR_POP))
                JUMPBY(oparg);
            else
                pm_decref(rt, POP());
            break;
        }
        case OP_FORMAT_VALUE: {
            pm_object *spec = (oparg & 4) ? POP() : NULL;
            pm_object *v = TOP();
            pm_object *c = convert_value(rt, v, oparg & 3);
            pm_object *r = NULL;
            if (c) {
                if (!spec && pm_type_of(c) == &pm_str_type)
                    r = pm_newref(rt, c);
                else
                    r = spec ? pm_format(rt, c, spec) : pm_format_cstr(rt, c, "");
                pm_decref(rt, c);
            }
            pm_xdecref(rt, spec);
            if (!r) goto error;
            TOP() = r;
            pm_decref(rt, v);
            break;
        }
        case OP_RETURN_VALUE:
            res = POP();
            f->stacktop = (int)(sp - base);
            return res;
        default:
            pm_err_format(rt, PM_EXC_SystemError, "pymm: opcode %s not implemented yet",
                          pmi_opcode_name(op) ? pmi_opcode_name(op) : "?");
            goto error;
        }
        continue;
    error:
        pmi_traceback_here(rt, f);
        while (sp > base) pm_xdecref(rt, POP());
        f->stacktop = 0;
        return NULL;
    }
#undef PUSH
#undef POP
#undef TOP
#undef PEEK
#undef GETNAME
#undef JUMPBY
    (void)first;
}
