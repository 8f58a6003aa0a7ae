/*
 * interp/stackeffect.c -- how much each 3.11 instruction grows the stack.
 *
 * The assembler walks every path through a code object's blocks adding up
 * these numbers to find co_stacksize (assemble.c), and python3's
 * dis.stack_effect() reports the same numbers for the real opcodes, which
 * is how tests/compile/check_stack_effect.py checks this file.
 *
 * `jump` chooses the edge of a branching instruction:
 *
 *        FOR_ITER  --not taken-->  [.. iter, next]   (+1)
 *            \------taken------->  [..]              (-1, iterator popped)
 *
 *   jump == 0   the fall-through edge,
 *   jump >  0   the branch edge,
 *   jump <  0   the larger of the two (dis.stack_effect(op, arg) with no
 *               jump argument).
 *
 * The virtual instructions of the compiler (SETUP_FINALLY ... the
 * direction-less jumps, opcodes.h's PMI_PSEUDO_OPS) have effects too: a
 * SETUP_* pushes nothing on the fall-through edge and, on the handler edge,
 * what the exception machinery pushes (the exception, plus lasti for
 * cleanup and with blocks).
 *
 * Numbers follow CPython 3.11's stack_effect() (Python/compile.c); where
 * the two could differ, python3 3.11.7's dis module decides (note CALL is
 * -1 and PRECALL is -oparg: the callable and self slots go with CALL).
 */
#include "compile.h"
#include "opcodes.h"

/* Pick the fall-through effect, the branch effect, or the larger one. */
static int pick(int jump, int not_taken, int taken)
{
    if (jump == 0)
        return not_taken;
    if (jump > 0)
        return taken;
    return not_taken > taken ? not_taken : taken;
}

int pmi_stack_effect(int opcode, int oparg, int jump)
{
    switch (opcode) {
    case PMI_OP_CACHE: case PMI_OP_NOP: case PMI_OP_EXTENDED_ARG:
    case PMI_OP_RESUME: case PMI_OP_SWAP:
    case PMI_OP_UNARY_POSITIVE: case PMI_OP_UNARY_NEGATIVE:
    case PMI_OP_UNARY_NOT: case PMI_OP_UNARY_INVERT:
    case PMI_OP_GET_ITER: case PMI_OP_GET_YIELD_FROM_ITER:
    case PMI_OP_GET_AITER: case PMI_OP_GET_AWAITABLE:
    case PMI_OP_SETUP_ANNOTATIONS: case PMI_OP_YIELD_VALUE:
    case PMI_OP_ASYNC_GEN_WRAP: case PMI_OP_RETURN_GENERATOR:
    case PMI_OP_LIST_TO_TUPLE: case PMI_OP_DELETE_NAME:
    case PMI_OP_DELETE_GLOBAL: case PMI_OP_DELETE_FAST:
    case PMI_OP_DELETE_DEREF: case PMI_OP_MAKE_CELL:
    case PMI_OP_COPY_FREE_VARS: case PMI_OP_LOAD_ATTR:
    case PMI_OP_CHECK_EXC_MATCH: case PMI_OP_CHECK_EG_MATCH:
    case PMI_OP_KW_NAMES: case PMI_OP_POP_BLOCK:
    case PMI_OP_JUMP_FORWARD: case PMI_OP_JUMP_BACKWARD:
    case PMI_OP_JUMP_BACKWARD_NO_INTERRUPT:
    case PMI_OP_JUMP: case PMI_OP_JUMP_NO_INTERRUPT:
        return 0;
    case PMI_OP_PUSH_NULL: case PMI_OP_GET_LEN: case PMI_OP_MATCH_MAPPING:
    case PMI_OP_MATCH_SEQUENCE: case PMI_OP_MATCH_KEYS:
    case PMI_OP_PUSH_EXC_INFO: case PMI_OP_WITH_EXCEPT_START:
    case PMI_OP_GET_ANEXT: case PMI_OP_BEFORE_ASYNC_WITH:
    case PMI_OP_BEFORE_WITH: case PMI_OP_LOAD_BUILD_CLASS:
    case PMI_OP_LOAD_ASSERTION_ERROR: case PMI_OP_LOAD_CONST:
    case PMI_OP_LOAD_NAME: case PMI_OP_IMPORT_FROM: case PMI_OP_COPY:
    case PMI_OP_LOAD_FAST: case PMI_OP_LOAD_CLOSURE: case PMI_OP_LOAD_DEREF:
    case PMI_OP_LOAD_CLASSDEREF: case PMI_OP_LOAD_METHOD:
        return 1;
    case PMI_OP_POP_TOP: case PMI_OP_BINARY_SUBSCR: case PMI_OP_PRINT_EXPR:
    case PMI_OP_RETURN_VALUE: case PMI_OP_IMPORT_STAR:
    case PMI_OP_PREP_RERAISE_STAR: case PMI_OP_POP_EXCEPT:
    case PMI_OP_STORE_NAME: case PMI_OP_DELETE_ATTR: case PMI_OP_STORE_GLOBAL:
    case PMI_OP_COMPARE_OP: case PMI_OP_IS_OP: case PMI_OP_CONTAINS_OP:
    case PMI_OP_IMPORT_NAME: case PMI_OP_RERAISE: case PMI_OP_BINARY_OP:
    case PMI_OP_STORE_FAST: case PMI_OP_STORE_DEREF: case PMI_OP_LIST_APPEND:
    case PMI_OP_SET_ADD: case PMI_OP_LIST_EXTEND: case PMI_OP_SET_UPDATE:
    case PMI_OP_DICT_MERGE: case PMI_OP_DICT_UPDATE: case PMI_OP_CALL:
    case PMI_OP_POP_JUMP_FORWARD_IF_FALSE: case PMI_OP_POP_JUMP_FORWARD_IF_TRUE:
    case PMI_OP_POP_JUMP_FORWARD_IF_NONE: case PMI_OP_POP_JUMP_FORWARD_IF_NOT_NONE:
    case PMI_OP_POP_JUMP_BACKWARD_IF_FALSE: case PMI_OP_POP_JUMP_BACKWARD_IF_TRUE:
    case PMI_OP_POP_JUMP_BACKWARD_IF_NONE: case PMI_OP_POP_JUMP_BACKWARD_IF_NOT_NONE:
    case PMI_OP_POP_JUMP_IF_FALSE: case PMI_OP_POP_JUMP_IF_TRUE:
    case PMI_OP_POP_JUMP_IF_NONE: case PMI_OP_POP_JUMP_IF_NOT_NONE:
        return -1;
    case PMI_OP_END_ASYNC_FOR: case PMI_OP_DELETE_SUBSCR: case PMI_OP_STORE_ATTR:
    case PMI_OP_MAP_ADD: case PMI_OP_MATCH_CLASS:
        return -2;
    case PMI_OP_STORE_SUBSCR:
        return -3;
    case PMI_OP_UNPACK_SEQUENCE:
        return oparg - 1;
    case PMI_OP_UNPACK_EX:
        return (oparg & 0xFF) + (oparg >> 8);
    case PMI_OP_FOR_ITER:
        return pick(jump, 1, -1);
    case PMI_OP_SEND:
        return pick(jump, 0, -1);
    case PMI_OP_JUMP_IF_TRUE_OR_POP: case PMI_OP_JUMP_IF_FALSE_OR_POP:
        return pick(jump, -1, 0);
    case PMI_OP_BUILD_TUPLE: case PMI_OP_BUILD_LIST: case PMI_OP_BUILD_SET:
    case PMI_OP_BUILD_STRING:
        return 1 - oparg;
    case PMI_OP_BUILD_MAP:
        return 1 - 2 * oparg;
    case PMI_OP_BUILD_CONST_KEY_MAP:
        return -oparg;
    case PMI_OP_LOAD_GLOBAL:
        return (oparg & 1) + 1;
    case PMI_OP_RAISE_VARARGS:
        return -oparg;
    case PMI_OP_PRECALL:
        return -oparg;
    case PMI_OP_CALL_FUNCTION_EX:
        return -2 - ((oparg & 1) != 0);
    case PMI_OP_MAKE_FUNCTION:
        return -((oparg & 1) != 0) - ((oparg & 2) != 0) - ((oparg & 4) != 0)
               - ((oparg & 8) != 0);
    case PMI_OP_BUILD_SLICE:
        return oparg == 3 ? -2 : -1;
    case PMI_OP_FORMAT_VALUE:
        /* a format spec (flag 0x04) is popped with the value */
        return (oparg & 0x04) == 0x04 ? -1 : 0;
    case PMI_OP_SETUP_FINALLY:
        return pick(jump, 0, 1);
    case PMI_OP_SETUP_CLEANUP:
        return pick(jump, 0, 2);
    case PMI_OP_SETUP_WITH:
        return pick(jump, 0, 1);
    default:
        return PMI_INVALID_STACK_EFFECT;
    }
}
