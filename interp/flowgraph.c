/*
 * interp/flowgraph.c -- the control-flow graph and CPython 3.11's passes on it.
 *
 * compile.c emits instructions into basic blocks: straight-line runs that
 * end in at most one jump (a jump, return or raise always closes its block).
 * Blocks are chained twice: `next` is code order, `list` links every block
 * ever allocated (newest first) so the unit can free them in one walk.
 *
 *     entry -> [RESUME, LOAD_NAME x, POP_JUMP_IF_FALSE L2] -> [... JUMP L3]
 *                                                |               |
 *              L2: [...] <-----------------------+               v
 *                                                          L3: [... RETURN]
 *
 * The passes, in the order 3.11's assemble() runs them:
 *   1. normalize: skip empty jump targets; mark exit blocks.
 *   2. extend_block: a jump to a short exit block with no line numbers
 *      (an implicit `return None`) is replaced by a copy of that block.
 *   3. cell prefix: MAKE_CELL / COPY_FREE_VARS / RETURN_GENERATOR+POP_TOP
 *      go in front of the entry block; cell and free indexes are rebased
 *      into the locals-plus array (fix_cell_offsets).
 *   4. optimize_cfg: per block, constant conditions become NOP or JUMP,
 *      LOAD_CONSTs + BUILD_TUPLE fold into one tuple constant, jumps to
 *      jumps are threaded, SWAP runs are minimized, PUSH_NULL merges into
 *      LOAD_GLOBAL; then unreachable blocks are emptied, NOPs removed where
 *      no line number is lost, and jumps to the next block dropped.
 *   5. exits without line numbers reached by several jumps are duplicated so
 *      each copy can inherit its single predecessor's line; trailing unused
 *      constants are trimmed; line numbers propagate forward.
 * assemble.c does the rest (stack depth, exception table, jump directions,
 * offsets and bytes).
 */
#include <string.h>
#include "compile.h"
#include "opcodes.h"
#include "code.h"

#define MAX_COPY_SIZE 4   /* longest exit block extend_block copies (3.11) */

/* ---- block primitives ------------------------------------------------------ */

pmi_block *pmi_block_new(pm_runtime *rt, pmi_block **list)
{
    pmi_block *b = pm_calloc(rt, 1, sizeof *b);
    if (b == NULL)
        return pm_err_nomem(rt);
    b->list = *list;
    *list = b;
    return b;
}

int pmi_block_add(pm_runtime *rt, pmi_block *b, const pmi_instr *in)
{
    if (b->iused == b->ialloc) {
        int na = b->ialloc ? b->ialloc * 2 : 16;
        pmi_instr *n = pm_realloc(rt, b->instr, (size_t)na * sizeof *n);
        if (n == NULL) {
            pm_err_nomem(rt);
            return -1;
        }
        b->instr = n;
        b->ialloc = na;
    }
    b->instr[b->iused] = *in;
    return b->iused++;
}

int pmi_block_is_jump(const pmi_instr *i)
{
    return (pmi_opcode_flags(i->opcode) & PMI_OPF_JUMP) != 0 &&
           i->opcode != PMI_OP_SETUP_FINALLY && i->opcode != PMI_OP_SETUP_CLEANUP &&
           i->opcode != PMI_OP_SETUP_WITH;
}

int pmi_block_is_setup(const pmi_instr *i)
{
    return i->opcode == PMI_OP_SETUP_FINALLY || i->opcode == PMI_OP_SETUP_CLEANUP ||
           i->opcode == PMI_OP_SETUP_WITH;
}

static int is_uncond(int op)
{
    return op == PMI_OP_JUMP || op == PMI_OP_JUMP_NO_INTERRUPT || op == PMI_OP_JUMP_FORWARD ||
           op == PMI_OP_JUMP_BACKWARD || op == PMI_OP_JUMP_BACKWARD_NO_INTERRUPT;
}

static int is_exit_op(int op)
{
    return op == PMI_OP_RETURN_VALUE || op == PMI_OP_RAISE_VARARGS || op == PMI_OP_RERAISE;
}

/* A block whose control never reaches b->next (3.11's b_nofallthrough). */
static int no_fallthrough(const pmi_block *b)
{
    if (b->iused == 0)
        return 0;
    int op = b->instr[b->iused - 1].opcode;
    return is_uncond(op) || is_exit_op(op);
}

static void copy_loc(pmi_instr *dst, const pmi_instr *src)
{
    dst->loc = src->loc;
}

/* ---- 1/2: normalize and extend ---------------------------------------------- */

static void normalize_block(pmi_block *b)
{
    for (int i = 0; i < b->iused; i++) {
        pmi_instr *in = &b->instr[i];
        if (is_exit_op(in->opcode))
            b->exit = 1;
        if (pmi_block_is_jump(in)) {
            while (in->target->iused == 0 && in->target->next != NULL)
                in->target = in->target->next;
        }
    }
}

static int has_lineno(const pmi_block *b)
{
    for (int i = 0; i < b->iused; i++)
        if (b->instr[i].loc.lineno > 0)
            return 1;
    return 0;
}

static int extend_block(pm_runtime *rt, pmi_block *b)
{
    if (b->iused == 0)
        return 0;
    pmi_instr *last = &b->instr[b->iused - 1];
    if (last->opcode != PMI_OP_JUMP && last->opcode != PMI_OP_JUMP_FORWARD &&
        last->opcode != PMI_OP_JUMP_BACKWARD)
        return 0;
    pmi_block *to = last->target;
    if (to->exit && to->iused <= MAX_COPY_SIZE) {
        if (has_lineno(to))
            return 0;
        last->opcode = PMI_OP_NOP;
        for (int i = 0; i < to->iused; i++) {
            pmi_instr copy = to->instr[i];
            if (pmi_block_add(rt, b, &copy) < 0)
                return -1;
        }
        b->exit = 1;
    }
    return 0;
}

/* ---- 4: optimize_cfg ------------------------------------------------------- */

static int jump_thread(pmi_instr *in, pmi_instr *target, int opcode)
{
    if (in->loc.lineno == target->loc.lineno && in->target != target->target) {
        in->target = target->target;
        in->opcode = opcode;
        return 1;
    }
    return 0;
}

static int fold_tuple_on_constants(pm_runtime *rt, pmi_instr *inst, int n, pm_object *consts,
                                   pmi_const_table *ct)
{
    for (int i = 0; i < n; i++)
        if (inst[i].opcode != PMI_OP_LOAD_CONST)
            return 0;
    pm_object **items = pm_malloc(rt, sizeof(pm_object *) * (size_t)(n ? n : 1));
    if (items == NULL) {
        pm_err_nomem(rt);
        return -1;
    }
    for (int i = 0; i < n; i++)
        items[i] = pm_list_get(rt, consts, inst[i].oparg);
    pm_object *t = pm_tuple_from_array(rt, items, n);
    pm_free(rt, items);
    if (t == NULL)
        return -1;
    /* 3.11 merges the new tuple with the const cache, then looks for that
     * object in the list: an equal tuple already there is the same one */
    if (ct->merge) {
        pm_object *m = pmi_const_merge(rt, ct->merge, t, 0);
        pm_decref(rt, t);
        if (m == NULL)
            return -1;
        t = m;
    }
    int index = pmi_const_index(rt, ct, t);
    pm_decref(rt, t);
    if (index < 0)
        return -1;
    for (int i = 0; i < n; i++)
        inst[i].opcode = PMI_OP_NOP;
    inst[n].opcode = PMI_OP_LOAD_CONST;
    inst[n].oparg = index;
    return 0;
}

/* Replace a run of SWAPs and NOPs by the shortest equivalent (3.11's swaptimize). */
static int swaptimize(pm_runtime *rt, pmi_block *b, int *ix)
{
    pmi_instr *ins = &b->instr[*ix];
    int depth = ins[0].oparg;
    int len = 0, more = 0;
    int limit = b->iused - *ix;
    while (++len < limit) {
        int op = ins[len].opcode;
        if (op == PMI_OP_SWAP) {
            if (ins[len].oparg > depth)
                depth = ins[len].oparg;
            more = 1;
        } else if (op != PMI_OP_NOP) {
            break;
        }
    }
    if (!more)
        return 0;
    int *stack = pm_malloc(rt, sizeof(int) * (size_t)depth);
    if (stack == NULL) {
        pm_err_nomem(rt);
        return -1;
    }
    for (int i = 0; i < depth; i++)
        stack[i] = i;
    for (int i = 0; i < len; i++) {
        if (ins[i].opcode == PMI_OP_SWAP) {
            int a = ins[i].oparg;
            int top = stack[0];
            stack[0] = stack[a - 1];
            stack[a - 1] = top;
        }
    }
    int current = len - 1;
    for (int i = 0; i < depth; i++) {
        if (stack[i] == -1 || stack[i] == i)
            continue;
        int j = i;
        for (;;) {
            if (j) {
                ins[current].opcode = PMI_OP_SWAP;
                ins[current--].oparg = j + 1;
            }
            if (stack[j] == -1)
                break;
            int nj = stack[j];
            stack[j] = -1;
            j = nj;
        }
    }
    while (current >= 0)
        ins[current--].opcode = PMI_OP_NOP;
    pm_free(rt, stack);
    *ix += len - 1;
    return 0;
}

#define SWAPPABLE(op) ((op) == PMI_OP_STORE_FAST || (op) == PMI_OP_POP_TOP)
#define STORES_TO(in) ((in).opcode == PMI_OP_STORE_FAST ? (in).oparg : -1)

static int next_swappable(pmi_block *b, int i, int lineno)
{
    while (++i < b->iused) {
        pmi_instr *in = &b->instr[i];
        if (lineno >= 0 && in->loc.lineno != lineno)
            return -1;
        if (in->opcode == PMI_OP_NOP)
            continue;
        if (SWAPPABLE(in->opcode))
            return i;
        return -1;
    }
    return -1;
}

static void apply_static_swaps(pmi_block *b, int i)
{
    for (; i >= 0; i--) {
        pmi_instr *swap = &b->instr[i];
        if (swap->opcode != PMI_OP_SWAP) {
            if (swap->opcode == PMI_OP_NOP || SWAPPABLE(swap->opcode))
                continue;
            return;
        }
        int j = next_swappable(b, i, -1);
        if (j < 0)
            return;
        int k = j;
        int lineno = b->instr[j].loc.lineno;
        for (int count = swap->oparg - 1; count > 0; count--) {
            k = next_swappable(b, k, lineno);
            if (k < 0)
                return;
        }
        int sj = STORES_TO(b->instr[j]), sk = STORES_TO(b->instr[k]);
        if (sj >= 0 || sk >= 0) {
            if (sj == sk)
                return;
            for (int idx = j + 1; idx < k; idx++) {
                int s = STORES_TO(b->instr[idx]);
                if (s >= 0 && (s == sj || s == sk))
                    return;
            }
        }
        swap->opcode = PMI_OP_NOP;
        pmi_instr t = b->instr[j];
        b->instr[j] = b->instr[k];
        b->instr[k] = t;
    }
}

/* Truth of a constant (a complex is true when either part is nonzero). */
static int const_truth(pm_runtime *rt, pm_object *v)
{
    return pm_is_true(rt, v);
}

static int optimize_block(pm_runtime *rt, pmi_block *bb, pm_object *consts, pmi_const_table *ct)
{
    pmi_instr nop;
    memset(&nop, 0, sizeof nop);
    nop.opcode = PMI_OP_NOP;
    for (int i = 0; i < bb->iused; i++) {
        pmi_instr *inst = &bb->instr[i];
        int oparg = inst->oparg;
        int nextop = i + 1 < bb->iused ? bb->instr[i + 1].opcode : 0;
        pmi_instr *target;
        if (pmi_block_is_jump(inst) || pmi_block_is_setup(inst)) {
            while (inst->target->iused == 0 && inst->target->next != NULL)
                inst->target = inst->target->next;
            target = inst->target->iused ? &inst->target->instr[0] : &nop;
        } else {
            target = &nop;
        }
        switch (inst->opcode) {
        case PMI_OP_LOAD_CONST: {
            pm_object *cnt;
            int is_true, jump_if_true;
            switch (nextop) {
            case PMI_OP_POP_JUMP_IF_FALSE:
            case PMI_OP_POP_JUMP_IF_TRUE:
                cnt = pm_list_get(rt, consts, oparg);
                is_true = const_truth(rt, cnt);
                if (is_true < 0)
                    return -1;
                inst->opcode = PMI_OP_NOP;
                jump_if_true = nextop == PMI_OP_POP_JUMP_IF_TRUE;
                if (is_true == jump_if_true)
                    bb->instr[i + 1].opcode = PMI_OP_JUMP;
                else
                    bb->instr[i + 1].opcode = PMI_OP_NOP;
                break;
            case PMI_OP_JUMP_IF_FALSE_OR_POP:
            case PMI_OP_JUMP_IF_TRUE_OR_POP:
                cnt = pm_list_get(rt, consts, oparg);
                is_true = const_truth(rt, cnt);
                if (is_true < 0)
                    return -1;
                jump_if_true = nextop == PMI_OP_JUMP_IF_TRUE_OR_POP;
                if (is_true == jump_if_true) {
                    bb->instr[i + 1].opcode = PMI_OP_JUMP;
                } else {
                    inst->opcode = PMI_OP_NOP;
                    bb->instr[i + 1].opcode = PMI_OP_NOP;
                }
                break;
            case PMI_OP_IS_OP: {
                cnt = pm_list_get(rt, consts, oparg);
                int jump_op = i + 2 < bb->iused ? bb->instr[i + 2].opcode : 0;
                if (cnt == PM_NONE &&
                    (jump_op == PMI_OP_POP_JUMP_IF_FALSE || jump_op == PMI_OP_POP_JUMP_IF_TRUE)) {
                    int nextarg = bb->instr[i + 1].oparg;
                    inst->opcode = PMI_OP_NOP;
                    bb->instr[i + 1].opcode = PMI_OP_NOP;
                    bb->instr[i + 2].opcode = (nextarg ^ (jump_op == PMI_OP_POP_JUMP_IF_FALSE))
                                                  ? PMI_OP_POP_JUMP_IF_NOT_NONE
                                                  : PMI_OP_POP_JUMP_IF_NONE;
                }
                break;
            }
            }
            break;
        }
        case PMI_OP_BUILD_TUPLE:
            if (nextop == PMI_OP_UNPACK_SEQUENCE && oparg == bb->instr[i + 1].oparg) {
                switch (oparg) {
                case 1:
                    inst->opcode = PMI_OP_NOP;
                    bb->instr[i + 1].opcode = PMI_OP_NOP;
                    continue;
                case 2:
                case 3:
                    inst->opcode = PMI_OP_NOP;
                    bb->instr[i + 1].opcode = PMI_OP_SWAP;
                    continue;
                }
            }
            if (i >= oparg) {
                if (fold_tuple_on_constants(rt, inst - oparg, oparg, consts, ct) < 0)
                    return -1;
            }
            break;
        case PMI_OP_JUMP_IF_FALSE_OR_POP:
            switch (target->opcode) {
            case PMI_OP_POP_JUMP_IF_FALSE:
                i -= jump_thread(inst, target, PMI_OP_POP_JUMP_IF_FALSE);
                break;
            case PMI_OP_JUMP:
            case PMI_OP_JUMP_IF_FALSE_OR_POP:
                i -= jump_thread(inst, target, PMI_OP_JUMP_IF_FALSE_OR_POP);
                break;
            case PMI_OP_JUMP_IF_TRUE_OR_POP:
            case PMI_OP_POP_JUMP_IF_TRUE:
                if (inst->loc.lineno == target->loc.lineno) {
                    inst->opcode = PMI_OP_POP_JUMP_IF_FALSE;
                    inst->target = inst->target->next;
                    --i;
                }
                break;
            }
            break;
        case PMI_OP_JUMP_IF_TRUE_OR_POP:
            switch (target->opcode) {
            case PMI_OP_POP_JUMP_IF_TRUE:
                i -= jump_thread(inst, target, PMI_OP_POP_JUMP_IF_TRUE);
                break;
            case PMI_OP_JUMP:
            case PMI_OP_JUMP_IF_TRUE_OR_POP:
                i -= jump_thread(inst, target, PMI_OP_JUMP_IF_TRUE_OR_POP);
                break;
            case PMI_OP_JUMP_IF_FALSE_OR_POP:
            case PMI_OP_POP_JUMP_IF_FALSE:
                if (inst->loc.lineno == target->loc.lineno) {
                    inst->opcode = PMI_OP_POP_JUMP_IF_TRUE;
                    inst->target = inst->target->next;
                    --i;
                }
                break;
            }
            break;
        case PMI_OP_POP_JUMP_IF_NOT_NONE:
        case PMI_OP_POP_JUMP_IF_NONE:
        case PMI_OP_POP_JUMP_IF_FALSE:
        case PMI_OP_POP_JUMP_IF_TRUE:
        case PMI_OP_JUMP:
            if (target->opcode == PMI_OP_JUMP)
                i -= jump_thread(inst, target, inst->opcode);
            break;
        case PMI_OP_SWAP:
            if (oparg == 1) {
                inst->opcode = PMI_OP_NOP;
                break;
            }
            if (swaptimize(rt, bb, &i) < 0)
                return -1;
            apply_static_swaps(bb, i);
            break;
        case PMI_OP_PUSH_NULL:
            if (nextop == PMI_OP_LOAD_GLOBAL && (inst[1].oparg & 1) == 0) {
                inst->opcode = PMI_OP_NOP;
                inst->oparg = 0;
                inst[1].oparg |= 1;
            }
            break;
        default:
            break;
        }
    }
    return 0;
}

/* Remove NOPs, keeping a line number where it is the only one (3.11's
 * clean_basic_block); the assembler runs it again after its own passes. */
void pmi_cfg_clean_block(pmi_block *bb)
{
    int dest = 0, prev_lineno = -1;
    for (int src = 0; src < bb->iused; src++) {
        int lineno = bb->instr[src].loc.lineno;
        if (bb->instr[src].opcode == PMI_OP_NOP) {
            if (lineno < 0)
                continue;
            if (prev_lineno == lineno)
                continue;
            if (src < bb->iused - 1) {
                int next_lineno = bb->instr[src + 1].loc.lineno;
                if (next_lineno == lineno)
                    continue;
                if (next_lineno < 0) {
                    copy_loc(&bb->instr[src + 1], &bb->instr[src]);
                    continue;
                }
            } else {
                pmi_block *next = bb->next;
                while (next && next->iused == 0)
                    next = next->next;
                if (next && lineno == next->instr[0].loc.lineno)
                    continue;
            }
        }
        if (dest != src)
            bb->instr[dest] = bb->instr[src];
        dest++;
        prev_lineno = lineno;
    }
    bb->iused = dest;
}

static int mark_reachable(pm_runtime *rt, pmi_block *entry)
{
    int n = 0;
    for (pmi_block *b = entry; b; b = b->next) {
        n++;
        b->predecessors = 0;
        b->visited = 0;
    }
    pmi_block **stack = pm_malloc(rt, sizeof(pmi_block *) * (size_t)(n + 1));
    if (stack == NULL) {
        pm_err_nomem(rt);
        return -1;
    }
    pmi_block **sp = stack;
    entry->predecessors = 1;
    entry->visited = 1;
    *sp++ = entry;
    while (sp > stack) {
        pmi_block *b = *--sp;
        if (b->next && !no_fallthrough(b)) {
            if (!b->next->visited) {
                b->next->visited = 1;
                *sp++ = b->next;
            }
            b->next->predecessors++;
        }
        for (int i = 0; i < b->iused; i++) {
            pmi_instr *in = &b->instr[i];
            if (pmi_block_is_jump(in) || pmi_block_is_setup(in)) {
                pmi_block *t = in->target;
                if (!t->visited) {
                    t->visited = 1;
                    *sp++ = t;
                }
                t->predecessors++;
            }
        }
    }
    pm_free(rt, stack);
    return 0;
}

static void eliminate_empty_blocks(pmi_block *entry)
{
    for (pmi_block *b = entry; b; b = b->next) {
        pmi_block *next = b->next;
        if (next) {
            while (next->iused == 0 && next->next)
                next = next->next;
            b->next = next;
        }
    }
    for (pmi_block *b = entry; b; b = b->next) {
        if (b->iused == 0)
            continue;
        pmi_instr *last = &b->instr[b->iused - 1];
        if (pmi_block_is_jump(last)) {
            pmi_block *t = last->target;
            while (t->iused == 0 && t->next)
                t = t->next;
            last->target = t;
        }
    }
}

static int optimize_cfg(pm_runtime *rt, pmi_block **blocks, pmi_block *entry, pm_object *consts,
                        pmi_const_table *ct)
{
    for (pmi_block *b = entry; b; b = b->next) {
        if (optimize_block(rt, b, consts, ct) < 0)
            return -1;
        pmi_cfg_clean_block(b);
    }
    for (pmi_block *b = *blocks; b; b = b->list)
        if (extend_block(rt, b) < 0)
            return -1;
    if (mark_reachable(rt, entry) < 0)
        return -1;
    for (pmi_block *b = entry; b; b = b->next)
        if (b->predecessors == 0)
            b->iused = 0;
    eliminate_empty_blocks(entry);
    for (pmi_block *b = entry; b; b = b->next)
        pmi_cfg_clean_block(b);
    int maybe_empty = 0;
    for (pmi_block *b = entry; b; b = b->next) {
        if (b->iused > 0) {
            pmi_instr *last = &b->instr[b->iused - 1];
            if ((last->opcode == PMI_OP_JUMP || last->opcode == PMI_OP_JUMP_NO_INTERRUPT) &&
                last->target == b->next) {
                last->opcode = PMI_OP_NOP;
                maybe_empty = 1;
            }
        }
    }
    if (maybe_empty)
        eliminate_empty_blocks(entry);
    return 0;
}

/* ---- 5: exits, constants, line numbers ------------------------------------ */

static int is_exit_without_lineno(pmi_block *b)
{
    if (!b->exit)
        return 0;
    for (int i = 0; i < b->iused; i++)
        if (b->instr[i].loc.lineno >= 0)
            return 0;
    return 1;
}

static pmi_block *copy_block(pm_runtime *rt, pmi_block **blocks, pmi_block *b)
{
    pmi_block *n = pmi_block_new(rt, blocks);
    if (n == NULL)
        return NULL;
    for (int i = 0; i < b->iused; i++)
        if (pmi_block_add(rt, n, &b->instr[i]) < 0)
            return NULL;
    n->exit = 1;
    return n;
}

static int duplicate_exits_without_lineno(pm_runtime *rt, pmi_block **blocks, pmi_block *entry)
{
    (void)entry;
    for (pmi_block *b = *blocks; b; b = b->list) {
        if (b->iused > 0 && pmi_block_is_jump(&b->instr[b->iused - 1])) {
            pmi_block *t = b->instr[b->iused - 1].target;
            if (is_exit_without_lineno(t) && t->predecessors > 1) {
                pmi_block *nt = copy_block(rt, blocks, t);
                if (nt == NULL)
                    return -1;
                copy_loc(&nt->instr[0], &b->instr[b->iused - 1]);
                b->instr[b->iused - 1].target = nt;
                t->predecessors--;
                nt->predecessors = 1;
                nt->next = t->next;
                t->next = nt;
            }
        }
    }
    for (pmi_block *b = *blocks; b; b = b->list)
        while (b->next && b->next->iused == 0)
            b->next = b->next->next;
    for (pmi_block *b = *blocks; b; b = b->list) {
        if (!no_fallthrough(b) && b->next && b->iused > 0) {
            if (is_exit_without_lineno(b->next))
                copy_loc(&b->next->instr[0], &b->instr[b->iused - 1]);
        }
    }
    return 0;
}

static int trim_unused_consts(pm_runtime *rt, pmi_block *entry, pm_object *consts)
{
    int max = 0;
    for (pmi_block *b = entry; b; b = b->next)
        for (int i = 0; i < b->iused; i++)
            if ((b->instr[i].opcode == PMI_OP_LOAD_CONST || b->instr[i].opcode == PMI_OP_KW_NAMES) &&
                b->instr[i].oparg > max)
                max = b->instr[i].oparg;
    if (max + 1 < pm_list_size(consts))
        return pm_list_set_slice(rt, consts, max + 1, pm_list_size(consts), NULL);
    return 0;
}

static void propagate_line_numbers(pmi_block *entry)
{
    for (pmi_block *b = entry; b; b = b->next) {
        if (b->iused == 0)
            continue;
        pmi_instr prev;
        prev.loc.lineno = prev.loc.end_lineno = prev.loc.col = prev.loc.end_col = -1;
        for (int i = 0; i < b->iused; i++) {
            if (b->instr[i].loc.lineno < 0)
                copy_loc(&b->instr[i], &prev);
            else
                copy_loc(&prev, &b->instr[i]);
        }
        if (!no_fallthrough(b) && b->next && b->next->predecessors == 1) {
            if (b->next->iused && b->next->instr[0].loc.lineno < 0)
                copy_loc(&b->next->instr[0], &prev);
        }
        pmi_instr *last = &b->instr[b->iused - 1];
        if (pmi_block_is_jump(last)) {
            pmi_block *t = last->target;
            if (t->predecessors == 1 && t->iused && t->instr[0].loc.lineno < 0)
                copy_loc(&t->instr[0], &prev);
        }
    }
}

static void guarantee_lineno_for_exits(pmi_block *entry, int firstlineno)
{
    int lineno = firstlineno;
    for (pmi_block *b = entry; b; b = b->next) {
        if (b->iused == 0)
            continue;
        pmi_instr *last = &b->instr[b->iused - 1];
        if (last->loc.lineno < 0) {
            if (last->opcode == PMI_OP_RETURN_VALUE)
                for (int i = 0; i < b->iused; i++)
                    b->instr[i].loc.lineno = lineno;
        } else {
            lineno = last->loc.lineno;
        }
    }
}

int pmi_flow_optimize(pm_runtime *rt, pmi_block **blocks, pmi_block *entry, pm_object *consts,
                      int firstlineno, int flags, pmi_const_table *merge)
{
    (void)flags;
    pmi_const_table ct;
    memset(&ct, 0, sizeof ct);
    ct.list = consts;
    ct.merge = merge;
    /* index the existing constants so a folded tuple finds an equal one */
    for (pm_ssize_t i = 0; i < pm_list_size(consts); i++) {
        if (pmi_const_index(rt, &ct, pm_list_get(rt, consts, i)) < 0)
            goto fail;
    }
    if (optimize_cfg(rt, blocks, entry, consts, &ct) < 0)
        goto fail;
    if (duplicate_exits_without_lineno(rt, blocks, entry) < 0)
        goto fail;
    if (trim_unused_consts(rt, entry, consts) < 0)
        goto fail;
    propagate_line_numbers(entry);
    guarantee_lineno_for_exits(entry, firstlineno);
    ct.list = NULL;
    pmi_const_table_clear(rt, &ct);
    return 0;
fail:
    ct.list = NULL;
    pmi_const_table_clear(rt, &ct);
    return -1;
}

/* Normalization and extension run before the cell prefix is inserted. */
int pmi_flow_prepare(pm_runtime *rt, pmi_block **blocks);
int pmi_flow_prepare(pm_runtime *rt, pmi_block **blocks)
{
    for (pmi_block *b = *blocks; b; b = b->list)
        normalize_block(b);
    for (pmi_block *b = *blocks; b; b = b->list)
        if (extend_block(rt, b) < 0)
            return -1;
    return 0;
}

/* ---- the constant table ----------------------------------------------------- */

static size_t const_hash(pm_runtime *rt, pm_object *o)
{
    pm_hash_t h = pm_hash(rt, o);
    if (h == -1) {
        pm_err_clear(rt);
        h = 0;
    }
    /* mix in the type so 1, 1.0 and True spread apart */
    return (size_t)h ^ ((size_t)pm_type_of(o) >> 4);
}

int pmi_const_index(pm_runtime *rt, pmi_const_table *t, pm_object *o)
{
    pm_ssize_t n = pm_list_size(t->list);
    if ((n + 1) * 2 > t->nslots) {
        int na = t->nslots ? t->nslots * 2 : 32;
        while ((n + 1) * 2 > na)
            na *= 2;
        int *s = pm_calloc(rt, (size_t)na, sizeof(int));
        if (s == NULL) {
            pm_err_nomem(rt);
            return -1;
        }
        pm_free(rt, t->slots);
        t->slots = s;
        t->nslots = na;
        for (pm_ssize_t i = 0; i < n; i++) {
            size_t h = const_hash(rt, pm_list_get(rt, t->list, i)) & (size_t)(na - 1);
            while (s[h])
                h = (h + 1) & (size_t)(na - 1);
            s[h] = (int)i + 1;
        }
    }
    size_t h = const_hash(rt, o) & (size_t)(t->nslots - 1);
    while (t->slots[h]) {
        pm_object *c = pm_list_get(rt, t->list, t->slots[h] - 1);
        int eq = pmi_code_const_equal(rt, c, o);
        if (eq < 0)
            return -1;
        if (eq)
            return t->slots[h] - 1;
        h = (h + 1) & (size_t)(t->nslots - 1);
    }
    if (pm_list_append(rt, t->list, o) < 0)
        return -1;
    t->slots[h] = (int)n + 1;
    return (int)n;
}

/* The index of a constant equal to o in t, or -1 (nothing added). */
static int const_find(pm_runtime *rt, pmi_const_table *t, pm_object *o)
{
    if (t->nslots == 0)
        return -1;
    size_t h = const_hash(rt, o) & (size_t)(t->nslots - 1);
    while (t->slots[h]) {
        pm_object *c = pm_list_get(rt, t->list, t->slots[h] - 1);
        int eq = pmi_code_const_equal(rt, c, o);
        if (eq < 0) {
            pm_err_clear(rt);
            return -1;
        }
        if (eq)
            return t->slots[h] - 1;
        h = (h + 1) & (size_t)(t->nslots - 1);
    }
    return -1;
}

void pmi_const_table_clear(pm_runtime *rt, pmi_const_table *t)
{
    pm_xdecref(rt, t->prior);
    t->prior = NULL;
    pm_xdecref(rt, t->list);
    pm_free(rt, t->slots);
    t->list = NULL;
    t->slots = NULL;
    t->nslots = 0;
}

/* Identifier-like (ASCII letters, digits, '_'; '' too): the strings 3.11
 * interns among a code object's constants. */
static int name_chars_only(pm_object *s)
{
    pm_ssize_t n = pm_str_length(s);
    for (pm_ssize_t i = 0; i < n; i++) {
        uint32_t ch = pm_str_read_char(s, i);
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_'))
            return 0;
    }
    return 1;
}

/* The items of a tuple or frozenset o merged: a new container when any
 * item was replaced (always for a non-empty frozenset, as 3.11 rebuilds
 * it), else o itself.  NEW ref. */
static pm_object *merge_items(pm_runtime *rt, pmi_const_table *cache, pm_object *o)
{
    int is_tuple = pm_type_of(o) == &pm_tuple_type;
    pm_ssize_t n = is_tuple ? pm_tuple_size(o) : pm_set_size(o);
    if (n == 0)
        return pm_newref(rt, o);
    pm_object *res = NULL;
    pm_object **items = pm_calloc(rt, (size_t)n, sizeof(pm_object *));
    if (items == NULL)
        return pm_err_nomem(rt);
    int changed = !is_tuple;
    pm_ssize_t pos = 0, i;
    for (i = 0; i < n; i++) {
        pm_object *item;
        if (is_tuple)
            item = pm_tuple_get(rt, o, i);
        else if (!pm_set_next(o, &pos, &item))
            break;
        items[i] = pmi_const_merge(rt, cache, item, 1);
        if (items[i] == NULL)
            goto done;
        changed |= items[i] != item;
    }
    if (!changed) {
        res = pm_newref(rt, o);
    } else {
        res = pm_tuple_from_array(rt, items, i);
        if (res != NULL && !is_tuple) {
            pm_object *fs = pm_frozenset_new(rt, res);
            pm_decref(rt, res);
            res = fs;
        }
    }
done:
    for (pm_ssize_t k = 0; k < n; k++)
        pm_xdecref(rt, items[k]);
    pm_free(rt, items);
    return res;
}

pm_object *pmi_const_merge(pm_runtime *rt, pmi_const_table *cache, pm_object *o, int recursive)
{
    if (o == PM_NONE || o == PM_ELLIPSIS)
        return pm_newref(rt, o);
    const pm_type *t = pm_type_of(o);
    pm_object *cand;
    if (recursive && t == &pm_str_type && !pm_str_is_interned(o) && name_chars_only(o)) {
        cand = pm_str_intern(rt, o);
        /* met for the first time, and interned already: CPython's literal
         * is another object than the interned one (not for one-character
         * strings, singletons there) */
        if (cand != NULL && cand != o && cache->prior != NULL && pm_str_length(o) > 1 &&
            const_find(rt, cache, cand) < 0 && pm_set_add(rt, cache->prior, cand) < 0) {
            pm_decref(rt, cand);
            return NULL;
        }
    }
    else if (recursive && (t == &pm_tuple_type || t == &pm_frozenset_type))
        cand = merge_items(rt, cache, o);
    else
        cand = pm_newref(rt, o);
    if (cand == NULL)
        return NULL;
    int idx = pmi_const_index(rt, cache, cand);
    pm_decref(rt, cand);
    if (idx < 0)
        return NULL;
    return pm_newref(rt, pm_list_get(rt, cache->list, idx));
}

/* 1 when the frozenset fs holds a string of prior. */
static int holds_prior(pm_runtime *rt, pm_object *prior, pm_object *fs)
{
    pm_ssize_t pos = 0;
    pm_object *k;
    while (pm_set_next(fs, &pos, &k))
        if (pm_type_of(k) == &pm_str_type && pm_set_contains(rt, prior, k) == 1)
            return 1;
    return 0;
}

int pmi_const_copy_frozensets(pm_runtime *rt, pmi_const_table *cache, pm_object **consts)
{
    pm_object *t = *consts;
    pm_ssize_t n = pm_tuple_size(t), i;
    if (cache->prior == NULL || pm_set_size(cache->prior) == 0)
        return 0;
    for (i = 0; i < n; i++) {
        pm_object *k = pm_tuple_get(rt, t, i);
        if (pm_type_of(k) == &pm_frozenset_type && holds_prior(rt, cache->prior, k))
            break;
    }
    if (i == n)
        return 0;
    int rc = -1;
    pm_object **items = pm_calloc(rt, (size_t)n, sizeof(pm_object *));
    pm_object *nt = NULL;
    if (items == NULL) {
        pm_err_nomem(rt);
        return -1;
    }
    for (i = 0; i < n; i++) {
        pm_object *k = pm_tuple_get(rt, t, i);
        if (pm_type_of(k) == &pm_frozenset_type && holds_prior(rt, cache->prior, k)) {
            pm_object *fs = NULL, *tmp;
            pm_ssize_t pos = 0, j = 0, m = pm_set_size(k);
            pm_object **elts = pm_calloc(rt, (size_t)(m ? m : 1), sizeof(pm_object *));
            if (elts == NULL) {
                pm_err_nomem(rt);
                goto done;
            }
            pm_object *e;
            while (j < m && pm_set_next(k, &pos, &e))
                elts[j++] = e;
            tmp = pm_tuple_from_array(rt, elts, j);
            pm_free(rt, elts);
            if (tmp != NULL)
                fs = pm_frozenset_new(rt, tmp);
            pm_xdecref(rt, tmp);
            if (fs == NULL)
                goto done;
            items[i] = fs;
        } else {
            items[i] = pm_newref(rt, k);
        }
    }
    nt = pm_tuple_from_array(rt, items, n);
    if (nt == NULL)
        goto done;
    int idx = const_find(rt, cache, t);
    if (idx >= 0 && pm_list_get(rt, cache->list, idx) == t && pm_list_set(rt, cache->list, idx, nt) < 0)
        goto done;
    pm_decref(rt, t);
    *consts = nt;
    nt = NULL;
    rc = 0;
done:
    pm_xdecref(rt, nt);
    for (i = 0; i < n; i++)
        pm_xdecref(rt, items[i]);
    pm_free(rt, items);
    return rc;
}
