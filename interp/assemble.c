/*
 * interp/assemble.c -- from optimized blocks to co_code, co_linetable and
 * co_exceptiontable (the second half of CPython 3.11's assemble()).
 *
 *   stackdepth         walk every edge from the entry, adding each
 *                      instruction's stack effect (stackeffect.c); a handler
 *                      block starts at the depth its SETUP_* records.
 *   exception labels   walk again keeping a stack of active handlers:
 *                      SETUP_* pushes, POP_BLOCK pops, every instruction
 *                      records the innermost handler; then the SETUP_* and
 *                      POP_BLOCK pseudo instructions become NOPs (and go).
 *   jump directions    a jump to a block not yet laid out is forward:
 *                      JUMP -> JUMP_FORWARD / JUMP_BACKWARD, POP_JUMP_IF_X
 *                      -> POP_JUMP_FORWARD_IF_X / POP_JUMP_BACKWARD_IF_X.
 *   offsets            block offsets in code units; jump arguments are
 *                      distances from the unit after the jump's caches;
 *                      repeat while an argument grows an EXTENDED_ARG.
 *   bytes              [EXTENDED_ARG]* op arg, then the CACHE units.
 *
 * Location table (3.11, Objects/locations.md): one entry per <= 8 code
 * units; first byte 1cccclll (code, length-1) then varints:
 *   code 0-9   short: same line, column < 80, width < 16
 *   10-12      one line, line delta 0..2, columns < 128
 *   13         no columns: signed line delta
 *   14         long: signed line delta, end-line delta, col+1, end_col+1
 *   15         no location
 * Exception table: per run of instructions with the same handler,
 * start/size/target/(depth<<1 | lasti) as 6-bit big-endian varints, the
 * first byte of an entry flagged 0x80.
 */
#include <string.h>
#include "compile.h"
#include "opcodes.h"
#include "code.h"

/* ---- a growable byte buffer ------------------------------------------------ */

typedef struct bytebuf {
    unsigned char *p;   /* bytes */
    size_t n;           /* used */
    size_t cap;         /* allocated */
} bytebuf;

static int bb_put(pm_runtime *rt, bytebuf *b, int byte)
{
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 64;
        unsigned char *np = pm_realloc(rt, b->p, nc);
        if (np == NULL) {
            pm_err_nomem(rt);
            return -1;
        }
        b->p = np;
        b->cap = nc;
    }
    b->p[b->n++] = (unsigned char)byte;
    return 0;
}

/* ---- sizes -------------------------------------------------------------- */

static int instr_arg(const pmi_instr *i)
{
    return i->opcode >= PMI_HAVE_ARGUMENT ? i->oparg : 0;
}

static int instr_size(const pmi_instr *i)
{
    int oparg = instr_arg(i);
    int ext = (oparg > 0xFFFFFF) + (oparg > 0xFFFF) + (oparg > 0xFF);
    return ext + 1 + pmi_opcode_cache(i->opcode);
}

/* ---- stack depth ---------------------------------------------------------- */

static int is_terminator(int op)
{
    return op == PMI_OP_JUMP || op == PMI_OP_JUMP_NO_INTERRUPT || op == PMI_OP_RETURN_VALUE ||
           op == PMI_OP_RAISE_VARARGS || op == PMI_OP_RERAISE;
}

/* The work list of stackdepth(): a block goes on it when its entry depth
 * rises (at most once when the code is consistent, as CPython asserts). */
typedef struct depth_stack {
    pmi_block **items;  /* pending blocks */
    size_t n;           /* used */
    size_t cap;         /* allocated */
} depth_stack;

static int depth_push(pm_runtime *rt, depth_stack *s, pmi_block *b, int depth)
{
    if (b->startdepth < depth && b->startdepth < 100) {
        b->startdepth = depth;
        if (s->n == s->cap) {
            size_t nc = s->cap ? s->cap * 2 : 16;
            pmi_block **ni = pm_realloc(rt, s->items, nc * sizeof *ni);
            if (ni == NULL) {
                pm_err_nomem(rt);
                return -1;
            }
            s->items = ni;
            s->cap = nc;
        }
        s->items[s->n++] = b;
    }
    return 0;
}

static int stackdepth(pm_runtime *rt, pmi_block *entry, int flags)
{
    int maxdepth = 0;
    depth_stack st = { NULL, 0, 0 };
    for (pmi_block *b = entry; b; b = b->next)
        b->startdepth = -2147483647 - 1;
    if (depth_push(rt, &st, entry,
                   (flags & (PMI_CO_GENERATOR | PMI_CO_COROUTINE | PMI_CO_ASYNC_GENERATOR)) ? 1 : 0) < 0)
        goto fail;
    while (st.n > 0) {
        pmi_block *b = st.items[--st.n];
        int depth = b->startdepth;
        pmi_block *next = b->next;
        for (int i = 0; i < b->iused; i++) {
            pmi_instr *in = &b->instr[i];
            int effect = pmi_stack_effect(in->opcode, in->oparg, 0);
            if (effect == PMI_INVALID_STACK_EFFECT) {
                pm_err_format(rt, PM_EXC_SystemError,
                              "compiler stack_effect(opcode=%d, arg=%i) failed", in->opcode,
                              in->oparg);
                goto fail;
            }
            int nd = depth + effect;
            if (nd > maxdepth)
                maxdepth = nd;
            if (pmi_block_is_jump(in) || pmi_block_is_setup(in)) {
                int td = depth + pmi_stack_effect(in->opcode, in->oparg, 1);
                if (td > maxdepth)
                    maxdepth = td;
                if (depth_push(rt, &st, in->target, td) < 0)
                    goto fail;
            }
            depth = nd;
            if (is_terminator(in->opcode)) {
                next = NULL;
                break;
            }
        }
        if (next != NULL && depth_push(rt, &st, next, depth) < 0)
            goto fail;
    }
    pm_free(rt, st.items);
    return maxdepth;
fail:
    pm_free(rt, st.items);
    return -1;
}

/* ---- exception targets ---------------------------------------------------- */

#define MAX_HANDLER_DEPTH 64   /* CO_MAXBLOCKS (20) nested blocks fit easily */

typedef struct pmi_except_stack {
    int depth;                                /* top index */
    pmi_block *handlers[MAX_HANDLER_DEPTH + 1];/* handlers[0] = NULL (none) */
} except_stack;

static int label_exception_targets(pm_runtime *rt, pmi_block *entry)
{
    int n = 0;
    for (pmi_block *b = entry; b; b = b->next) {
        b->visited = 0;
        n++;
    }
    pmi_block **todo_stack = pm_malloc(rt, sizeof(pmi_block *) * (size_t)(n + 1));
    except_stack *es = pm_malloc(rt, sizeof *es);
    if (todo_stack == NULL || es == NULL) {
        pm_free(rt, todo_stack);
        pm_free(rt, es);
        pm_err_nomem(rt);
        return -1;
    }
    es->depth = 0;
    es->handlers[0] = NULL;
    todo_stack[0] = entry;
    entry->visited = 1;
    entry->exceptstack = es;
    pmi_block **todo = &todo_stack[1];
    while (todo > todo_stack) {
        todo--;
        pmi_block *b = todo[0];
        es = b->exceptstack;
        b->exceptstack = NULL;
        pmi_block *handler = es->handlers[es->depth];
        for (int i = 0; i < b->iused; i++) {
            pmi_instr *in = &b->instr[i];
            if (pmi_block_is_setup(in)) {
                if (!in->target->visited) {
                    except_stack *copy = pm_malloc(rt, sizeof *copy);
                    if (copy == NULL)
                        goto nomem;
                    memcpy(copy, es, sizeof *copy);
                    in->target->exceptstack = copy;
                    todo[0] = in->target;
                    in->target->visited = 1;
                    todo++;
                }
                if (in->opcode == PMI_OP_SETUP_WITH || in->opcode == PMI_OP_SETUP_CLEANUP)
                    in->target->preserve_lasti = 1;
                if (es->depth >= MAX_HANDLER_DEPTH) {
                    pm_err_set(rt, PM_EXC_SystemError, "too many statically nested blocks");
                    goto fail;
                }
                es->handlers[++es->depth] = in->target;
                handler = in->target;
            } else if (in->opcode == PMI_OP_POP_BLOCK) {
                if (es->depth > 0)
                    es->depth--;
                handler = es->handlers[es->depth];
            } else if (pmi_block_is_jump(in)) {
                in->except = handler;
                if (!in->target->visited) {
                    if (!is_terminator(in->opcode) || (i + 1 < b->iused)) {
                        except_stack *copy = pm_malloc(rt, sizeof *copy);
                        if (copy == NULL)
                            goto nomem;
                        memcpy(copy, es, sizeof *copy);
                        in->target->exceptstack = copy;
                    } else {
                        in->target->exceptstack = es;
                        es = NULL;
                    }
                    todo[0] = in->target;
                    in->target->visited = 1;
                    todo++;
                }
            } else {
                in->except = handler;
            }
        }
        int falls = !(b->iused > 0 && is_terminator(b->instr[b->iused - 1].opcode));
        if (falls && b->next && !b->next->visited) {
            if (es == NULL) {
                /* cannot happen: a jump that gave its stack away ends the block */
                pm_err_set(rt, PM_EXC_SystemError, "exception stack lost");
                goto fail;
            }
            b->next->exceptstack = es;
            todo[0] = b->next;
            b->next->visited = 1;
            todo++;
        } else {
            pm_free(rt, es);
        }
        es = NULL;
    }
    pm_free(rt, todo_stack);
    return 0;
nomem:
    pm_err_nomem(rt);
fail:
    pm_free(rt, es);
    while (todo > todo_stack) {
        todo--;
        if (todo[0]->exceptstack) {
            pm_free(rt, todo[0]->exceptstack);
            todo[0]->exceptstack = NULL;
        }
    }
    pm_free(rt, todo_stack);
    return -1;
}

static void convert_handlers_to_nops(pmi_block *entry)
{
    for (pmi_block *b = entry; b; b = b->next)
        for (int i = 0; i < b->iused; i++)
            if (pmi_block_is_setup(&b->instr[i]) || b->instr[i].opcode == PMI_OP_POP_BLOCK)
                b->instr[i].opcode = PMI_OP_NOP;
}

/* ---- jumps ---------------------------------------------------------------- */

static int normalize_jumps(pm_runtime *rt, pmi_block *entry)
{
    for (pmi_block *b = entry; b; b = b->next)
        b->visited = 0;
    for (pmi_block *b = entry; b; b = b->next) {
        b->visited = 1;
        if (b->iused == 0)
            continue;
        pmi_instr *last = &b->instr[b->iused - 1];
        if (!pmi_block_is_jump(last))
            continue;
        int fwd = !last->target->visited;
        switch (last->opcode) {
        case PMI_OP_JUMP:
            last->opcode = fwd ? PMI_OP_JUMP_FORWARD : PMI_OP_JUMP_BACKWARD;
            break;
        case PMI_OP_JUMP_NO_INTERRUPT:
            last->opcode = fwd ? PMI_OP_JUMP_FORWARD : PMI_OP_JUMP_BACKWARD_NO_INTERRUPT;
            break;
        case PMI_OP_POP_JUMP_IF_NOT_NONE:
            last->opcode = fwd ? PMI_OP_POP_JUMP_FORWARD_IF_NOT_NONE : PMI_OP_POP_JUMP_BACKWARD_IF_NOT_NONE;
            break;
        case PMI_OP_POP_JUMP_IF_NONE:
            last->opcode = fwd ? PMI_OP_POP_JUMP_FORWARD_IF_NONE : PMI_OP_POP_JUMP_BACKWARD_IF_NONE;
            break;
        case PMI_OP_POP_JUMP_IF_FALSE:
            last->opcode = fwd ? PMI_OP_POP_JUMP_FORWARD_IF_FALSE : PMI_OP_POP_JUMP_BACKWARD_IF_FALSE;
            break;
        case PMI_OP_POP_JUMP_IF_TRUE:
            last->opcode = fwd ? PMI_OP_POP_JUMP_FORWARD_IF_TRUE : PMI_OP_POP_JUMP_BACKWARD_IF_TRUE;
            break;
        case PMI_OP_JUMP_IF_TRUE_OR_POP:
        case PMI_OP_JUMP_IF_FALSE_OR_POP:
        case PMI_OP_FOR_ITER:
        case PMI_OP_SEND:
            if (!fwd) {
                pm_err_format(rt, PM_EXC_SystemError, "unexpected %s jumping backwards",
                              pmi_opcode_name(last->opcode));
                return -1;
            }
            break;
        }
    }
    return 0;
}

static void assemble_jump_offsets(pmi_block *entry)
{
    int again;
    do {
        int tot = 0;
        for (pmi_block *b = entry; b; b = b->next) {
            b->offset = tot;
            for (int i = 0; i < b->iused; i++)
                tot += instr_size(&b->instr[i]);
        }
        again = 0;
        for (pmi_block *b = entry; b; b = b->next) {
            int off = b->offset;
            for (int i = 0; i < b->iused; i++) {
                pmi_instr *in = &b->instr[i];
                int isize = instr_size(in);
                off += isize;
                if (pmi_block_is_jump(in)) {
                    int t = in->target->offset;
                    in->oparg = t < off ? off - t : t - off;
                    if (instr_size(in) != isize)
                        again = 1;
                }
            }
        }
    } while (again);
}

/* ---- emitting ---------------------------------------------------------------- */

static int emit_instr(pm_runtime *rt, bytebuf *code, const pmi_instr *in)
{
    int oparg = instr_arg(in);
    int op = in->opcode;
    if (oparg > 0xFFFFFF && (bb_put(rt, code, PMI_OP_EXTENDED_ARG) < 0 ||
                             bb_put(rt, code, (oparg >> 24) & 0xFF) < 0))
        return -1;
    if (oparg > 0xFFFF && (bb_put(rt, code, PMI_OP_EXTENDED_ARG) < 0 ||
                           bb_put(rt, code, (oparg >> 16) & 0xFF) < 0))
        return -1;
    if (oparg > 0xFF && (bb_put(rt, code, PMI_OP_EXTENDED_ARG) < 0 ||
                         bb_put(rt, code, (oparg >> 8) & 0xFF) < 0))
        return -1;
    if (bb_put(rt, code, op) < 0 || bb_put(rt, code, oparg & 0xFF) < 0)
        return -1;
    for (int c = pmi_opcode_cache(op); c > 0; c--)
        if (bb_put(rt, code, 0) < 0 || bb_put(rt, code, 0) < 0)
            return -1;
    return 0;
}

static int put_varint(pm_runtime *rt, bytebuf *b, unsigned int val)
{
    while (val >= 64) {
        if (bb_put(rt, b, 64 | (val & 63)) < 0)
            return -1;
        val >>= 6;
    }
    return bb_put(rt, b, (int)val);
}

static int put_svarint(pm_runtime *rt, bytebuf *b, int val)
{
    unsigned int u = val < 0 ? ((unsigned int)(-val) << 1) | 1 : (unsigned int)val << 1;
    return put_varint(rt, b, u);
}

static int put_first(pm_runtime *rt, bytebuf *b, int code, int length)
{
    return bb_put(rt, b, 0x80 | (code << 3) | (length - 1));
}

static int write_location_entry(pm_runtime *rt, bytebuf *lt, const pmi_instr *i, int isize,
                                int *prev_lineno)
{
    const pmi_loc *l = &i->loc;
    if (l->lineno < 0)
        return put_first(rt, lt, 15, isize);
    int line_delta = l->lineno - *prev_lineno;
    int col = l->col, end_col = l->end_col;
    if (col < 0 || end_col < 0) {
        if (l->end_lineno == l->lineno || l->end_lineno == -1) {
            if (put_first(rt, lt, 13, isize) < 0 || put_svarint(rt, lt, line_delta) < 0)
                return -1;
            *prev_lineno = l->lineno;
            return 0;
        }
    } else if (l->end_lineno == l->lineno) {
        if (line_delta == 0 && col < 80 && end_col - col < 16 && end_col >= col) {
            int group = col >> 3, low = col & 7;
            if (put_first(rt, lt, group, isize) < 0 ||
                bb_put(rt, lt, (low << 4) | (end_col - col)) < 0)
                return -1;
            return 0;
        }
        if (line_delta >= 0 && line_delta < 3 && col < 128 && end_col < 128) {
            if (put_first(rt, lt, 10 + line_delta, isize) < 0 || bb_put(rt, lt, col) < 0 ||
                bb_put(rt, lt, end_col) < 0)
                return -1;
            *prev_lineno = l->lineno;
            return 0;
        }
    }
    if (put_first(rt, lt, 14, isize) < 0 || put_svarint(rt, lt, line_delta) < 0 ||
        put_varint(rt, lt, (unsigned int)(l->end_lineno - l->lineno)) < 0 ||
        put_varint(rt, lt, (unsigned int)(col + 1)) < 0 ||
        put_varint(rt, lt, (unsigned int)(end_col + 1)) < 0)
        return -1;
    *prev_lineno = l->lineno;
    return 0;
}

static int emit_location(pm_runtime *rt, bytebuf *lt, const pmi_instr *i, int *prev_lineno)
{
    int isize = instr_size(i);
    while (isize > 8) {
        if (write_location_entry(rt, lt, i, 8, prev_lineno) < 0)
            return -1;
        isize -= 8;
    }
    return write_location_entry(rt, lt, i, isize, prev_lineno);
}

static int put_except_item(pm_runtime *rt, bytebuf *b, int value, int msb)
{
    if (value >= 1 << 24) {
        if (bb_put(rt, b, (value >> 24) | 64 | msb) < 0)
            return -1;
        msb = 0;
    }
    if (value >= 1 << 18) {
        if (bb_put(rt, b, ((value >> 18) & 0x3f) | 64 | msb) < 0)
            return -1;
        msb = 0;
    }
    if (value >= 1 << 12) {
        if (bb_put(rt, b, ((value >> 12) & 0x3f) | 64 | msb) < 0)
            return -1;
        msb = 0;
    }
    if (value >= 1 << 6) {
        if (bb_put(rt, b, ((value >> 6) & 0x3f) | 64 | msb) < 0)
            return -1;
        msb = 0;
    }
    return bb_put(rt, b, (value & 0x3f) | msb);
}

static int put_except_entry(pm_runtime *rt, bytebuf *b, int start, int end, pmi_block *handler)
{
    int depth = handler->startdepth - 1;
    if (handler->preserve_lasti)
        depth -= 1;
    int dl = (depth << 1) | handler->preserve_lasti;
    if (put_except_item(rt, b, start, 0x80) < 0 || put_except_item(rt, b, end - start, 0) < 0 ||
        put_except_item(rt, b, handler->offset, 0) < 0 || put_except_item(rt, b, dl, 0) < 0)
        return -1;
    return 0;
}

static int exception_table(pm_runtime *rt, pmi_block *entry, bytebuf *et)
{
    pmi_block *handler = NULL;
    int start = -1, ioffset = 0;
    for (pmi_block *b = entry; b; b = b->next) {
        ioffset = b->offset;
        for (int i = 0; i < b->iused; i++) {
            pmi_instr *in = &b->instr[i];
            if (in->except != handler) {
                if (handler != NULL && put_except_entry(rt, et, start, ioffset, handler) < 0)
                    return -1;
                start = ioffset;
                handler = in->except;
            }
            ioffset += instr_size(in);
        }
    }
    if (handler != NULL && put_except_entry(rt, et, start, ioffset, handler) < 0)
        return -1;
    return 0;
}

int pmi_assemble(pm_runtime *rt, pmi_block **blocks, pmi_block *entry, int firstlineno,
                 int flags, pmi_asm_result *out)
{
    bytebuf code = { 0 }, lt = { 0 }, et = { 0 };
    (void)blocks;
    memset(out, 0, sizeof *out);
    int maxdepth = stackdepth(rt, entry, flags);
    if (maxdepth < 0)
        goto fail;
    if (label_exception_targets(rt, entry) < 0)
        goto fail;
    convert_handlers_to_nops(entry);
    for (pmi_block *b = entry; b; b = b->next)
        pmi_cfg_clean_block(b);
    if (normalize_jumps(rt, entry) < 0)
        goto fail;
    assemble_jump_offsets(entry);
    for (pmi_block *b = entry; b; b = b->next)
        for (int i = 0; i < b->iused; i++)
            if (emit_instr(rt, &code, &b->instr[i]) < 0)
                goto fail;
    int prev_lineno = firstlineno;
    for (pmi_block *b = entry; b; b = b->next)
        for (int i = 0; i < b->iused; i++)
            if (emit_location(rt, &lt, &b->instr[i], &prev_lineno) < 0)
                goto fail;
    if (exception_table(rt, entry, &et) < 0)
        goto fail;
    out->code = pm_bytes_new(rt, code.p, (pm_ssize_t)code.n);
    out->linetable = pm_bytes_new(rt, lt.p, (pm_ssize_t)lt.n);
    out->exceptiontable = pm_bytes_new(rt, et.p, (pm_ssize_t)et.n);
    if (!out->code || !out->linetable || !out->exceptiontable) {
        pm_xdecref(rt, out->code);
        pm_xdecref(rt, out->linetable);
        pm_xdecref(rt, out->exceptiontable);
        memset(out, 0, sizeof *out);
        goto fail;
    }
    out->stacksize = maxdepth;
    pm_free(rt, code.p);
    pm_free(rt, lt.p);
    pm_free(rt, et.p);
    return 0;
fail:
    pm_free(rt, code.p);
    pm_free(rt, lt.p);
    pm_free(rt, et.p);
    return -1;
}
