/*
 * interp/opcodes.h -- CPython 3.11's instruction set, as one table.
 *
 * Every consumer (the compiler, the assembler, the stack-effect function,
 * the disassembler, later the VM) reads the X-macro lists below and nothing
 * else, so a number, a cache count or a flag is written down exactly once
 * (the idea of CPython 3.12's Python/bytecodes.c, applied to 3.11's set).
 *
 * The 3.11 code unit is two bytes: an opcode byte and an argument byte.
 * Arguments wider than 8 bits are built by EXTENDED_ARG prefixes.  After
 * each instruction come `cache` CACHE units (opcode 0, argument 0) that the
 * specializing interpreter writes at run time; they are part of co_code:
 *
 *     LOAD_GLOBAL 1  | CACHE | CACHE | CACHE | CACHE | CACHE |  next ...
 *     ^ 2 bytes        ^ 5 units = 10 bytes of inline cache
 *
 * Relative jumps count code units from the unit after the instruction's
 * caches: forward jumps add the argument, backward jumps subtract it
 * (3.11 has no absolute jumps).
 *
 * Lists:
 *   PMI_OPCODES(X)      X(NAME, number, cache_units, flags): the real
 *                       opcodes, as opcode.opmap / opcode._inline_cache_entries
 *                       and the has* lists of python3's `opcode` module.
 *   PMI_SPECIALIZED(X)  X(NAME, number, BASE): the adaptive and specialized
 *                       instructions of 3.11 (opcode._specializations) and the
 *                       instruction each one deoptimizes to (for the VM).
 *   PMI_PSEUDO_OPS(X)   X(NAME, number, flags): the compiler's virtual
 *                       instructions (3.11's compile.c: SETUP_FINALLY ...,
 *                       the direction-less JUMP / POP_JUMP_IF_*), numbered
 *                       from 256 so they never collide with real ones; the
 *                       assembler turns them into real instructions or drops
 *                       them.  They never appear in a code object.
 *
 * tests/dis/check_opcodes.py compares this table with python3's `opcode`.
 */
#ifndef PYMM_INTERP_OPCODES_H
#define PYMM_INTERP_OPCODES_H

/* Flags (the fourth column). */
#define PMI_OPF_ARG      0x001  /* uses its argument (opcode >= PMI_HAVE_ARGUMENT) */
#define PMI_OPF_JFWD     0x002  /* relative jump forward (opcode.hasjrel) */
#define PMI_OPF_JBACK    0x004  /* relative jump backward (opcode.hasjrel) */
#define PMI_OPF_CONST    0x008  /* argument indexes co_consts (opcode.hasconst) */
#define PMI_OPF_NAME     0x010  /* argument indexes co_names (opcode.hasname) */
#define PMI_OPF_LOCAL    0x020  /* argument indexes the fast locals (opcode.haslocal) */
#define PMI_OPF_FREE     0x040  /* argument indexes localsplus cells/frees (opcode.hasfree) */
#define PMI_OPF_COMPARE  0x080  /* argument indexes cmp_op (opcode.hascompare) */
#define PMI_OPF_UNCOND   0x100  /* unconditional jump: control never falls through */
#define PMI_OPF_EXIT     0x200  /* leaves the frame (return or raise): never falls through */
#define PMI_OPF_JUMP     (PMI_OPF_JFWD | PMI_OPF_JBACK)

#define PMI_HAVE_ARGUMENT 90    /* opcodes >= this use their argument */
#define PMI_MAX_CACHE     10    /* the most CACHE units after one instruction (LOAD_METHOD) */

/* X(NAME, number, cache_units, flags) */
#define PMI_OPCODES(X) \
    X(CACHE,                         0,  0, 0) \
    X(POP_TOP,                       1,  0, 0) \
    X(PUSH_NULL,                     2,  0, 0) \
    X(NOP,                           9,  0, 0) \
    X(UNARY_POSITIVE,               10,  0, 0) \
    X(UNARY_NEGATIVE,               11,  0, 0) \
    X(UNARY_NOT,                    12,  0, 0) \
    X(UNARY_INVERT,                 15,  0, 0) \
    X(BINARY_SUBSCR,                25,  4, 0) \
    X(GET_LEN,                      30,  0, 0) \
    X(MATCH_MAPPING,                31,  0, 0) \
    X(MATCH_SEQUENCE,               32,  0, 0) \
    X(MATCH_KEYS,                   33,  0, 0) \
    X(PUSH_EXC_INFO,                35,  0, 0) \
    X(CHECK_EXC_MATCH,              36,  0, 0) \
    X(CHECK_EG_MATCH,               37,  0, 0) \
    X(WITH_EXCEPT_START,            49,  0, 0) \
    X(GET_AITER,                    50,  0, 0) \
    X(GET_ANEXT,                    51,  0, 0) \
    X(BEFORE_ASYNC_WITH,            52,  0, 0) \
    X(BEFORE_WITH,                  53,  0, 0) \
    X(END_ASYNC_FOR,                54,  0, 0) \
    X(STORE_SUBSCR,                 60,  1, 0) \
    X(DELETE_SUBSCR,                61,  0, 0) \
    X(GET_ITER,                     68,  0, 0) \
    X(GET_YIELD_FROM_ITER,          69,  0, 0) \
    X(PRINT_EXPR,                   70,  0, 0) \
    X(LOAD_BUILD_CLASS,             71,  0, 0) \
    X(LOAD_ASSERTION_ERROR,         74,  0, 0) \
    X(RETURN_GENERATOR,             75,  0, 0) \
    X(LIST_TO_TUPLE,                82,  0, 0) \
    X(RETURN_VALUE,                 83,  0, PMI_OPF_EXIT) \
    X(IMPORT_STAR,                  84,  0, 0) \
    X(SETUP_ANNOTATIONS,            85,  0, 0) \
    X(YIELD_VALUE,                  86,  0, 0) \
    X(ASYNC_GEN_WRAP,               87,  0, 0) \
    X(PREP_RERAISE_STAR,            88,  0, 0) \
    X(POP_EXCEPT,                   89,  0, 0) \
    X(STORE_NAME,                   90,  0, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(DELETE_NAME,                  91,  0, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(UNPACK_SEQUENCE,              92,  1, PMI_OPF_ARG) \
    X(FOR_ITER,                     93,  0, PMI_OPF_ARG|PMI_OPF_JFWD) \
    X(UNPACK_EX,                    94,  0, PMI_OPF_ARG) \
    X(STORE_ATTR,                   95,  4, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(DELETE_ATTR,                  96,  0, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(STORE_GLOBAL,                 97,  0, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(DELETE_GLOBAL,                98,  0, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(SWAP,                         99,  0, PMI_OPF_ARG) \
    X(LOAD_CONST,                  100,  0, PMI_OPF_ARG|PMI_OPF_CONST) \
    X(LOAD_NAME,                   101,  0, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(BUILD_TUPLE,                 102,  0, PMI_OPF_ARG) \
    X(BUILD_LIST,                  103,  0, PMI_OPF_ARG) \
    X(BUILD_SET,                   104,  0, PMI_OPF_ARG) \
    X(BUILD_MAP,                   105,  0, PMI_OPF_ARG) \
    X(LOAD_ATTR,                   106,  4, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(COMPARE_OP,                  107,  2, PMI_OPF_ARG|PMI_OPF_COMPARE) \
    X(IMPORT_NAME,                 108,  0, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(IMPORT_FROM,                 109,  0, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(JUMP_FORWARD,                110,  0, PMI_OPF_ARG|PMI_OPF_JFWD|PMI_OPF_UNCOND) \
    X(JUMP_IF_FALSE_OR_POP,        111,  0, PMI_OPF_ARG|PMI_OPF_JFWD) \
    X(JUMP_IF_TRUE_OR_POP,         112,  0, PMI_OPF_ARG|PMI_OPF_JFWD) \
    X(POP_JUMP_FORWARD_IF_FALSE,   114,  0, PMI_OPF_ARG|PMI_OPF_JFWD) \
    X(POP_JUMP_FORWARD_IF_TRUE,    115,  0, PMI_OPF_ARG|PMI_OPF_JFWD) \
    X(LOAD_GLOBAL,                 116,  5, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(IS_OP,                       117,  0, PMI_OPF_ARG) \
    X(CONTAINS_OP,                 118,  0, PMI_OPF_ARG) \
    X(RERAISE,                     119,  0, PMI_OPF_ARG|PMI_OPF_EXIT) \
    X(COPY,                        120,  0, PMI_OPF_ARG) \
    X(BINARY_OP,                   122,  1, PMI_OPF_ARG) \
    X(SEND,                        123,  0, PMI_OPF_ARG|PMI_OPF_JFWD) \
    X(LOAD_FAST,                   124,  0, PMI_OPF_ARG|PMI_OPF_LOCAL) \
    X(STORE_FAST,                  125,  0, PMI_OPF_ARG|PMI_OPF_LOCAL) \
    X(DELETE_FAST,                 126,  0, PMI_OPF_ARG|PMI_OPF_LOCAL) \
    X(POP_JUMP_FORWARD_IF_NOT_NONE, 128,  0, PMI_OPF_ARG|PMI_OPF_JFWD) \
    X(POP_JUMP_FORWARD_IF_NONE,    129,  0, PMI_OPF_ARG|PMI_OPF_JFWD) \
    X(RAISE_VARARGS,               130,  0, PMI_OPF_ARG|PMI_OPF_EXIT) \
    X(GET_AWAITABLE,               131,  0, PMI_OPF_ARG) \
    X(MAKE_FUNCTION,               132,  0, PMI_OPF_ARG) \
    X(BUILD_SLICE,                 133,  0, PMI_OPF_ARG) \
    X(JUMP_BACKWARD_NO_INTERRUPT,  134,  0, PMI_OPF_ARG|PMI_OPF_JBACK|PMI_OPF_UNCOND) \
    X(MAKE_CELL,                   135,  0, PMI_OPF_ARG|PMI_OPF_FREE) \
    X(LOAD_CLOSURE,                136,  0, PMI_OPF_ARG|PMI_OPF_FREE) \
    X(LOAD_DEREF,                  137,  0, PMI_OPF_ARG|PMI_OPF_FREE) \
    X(STORE_DEREF,                 138,  0, PMI_OPF_ARG|PMI_OPF_FREE) \
    X(DELETE_DEREF,                139,  0, PMI_OPF_ARG|PMI_OPF_FREE) \
    X(JUMP_BACKWARD,               140,  0, PMI_OPF_ARG|PMI_OPF_JBACK|PMI_OPF_UNCOND) \
    X(CALL_FUNCTION_EX,            142,  0, PMI_OPF_ARG) \
    X(EXTENDED_ARG,                144,  0, PMI_OPF_ARG) \
    X(LIST_APPEND,                 145,  0, PMI_OPF_ARG) \
    X(SET_ADD,                     146,  0, PMI_OPF_ARG) \
    X(MAP_ADD,                     147,  0, PMI_OPF_ARG) \
    X(LOAD_CLASSDEREF,             148,  0, PMI_OPF_ARG|PMI_OPF_FREE) \
    X(COPY_FREE_VARS,              149,  0, PMI_OPF_ARG) \
    X(RESUME,                      151,  0, PMI_OPF_ARG) \
    X(MATCH_CLASS,                 152,  0, PMI_OPF_ARG) \
    X(FORMAT_VALUE,                155,  0, PMI_OPF_ARG) \
    X(BUILD_CONST_KEY_MAP,         156,  0, PMI_OPF_ARG) \
    X(BUILD_STRING,                157,  0, PMI_OPF_ARG) \
    X(LOAD_METHOD,                 160, 10, PMI_OPF_ARG|PMI_OPF_NAME) \
    X(LIST_EXTEND,                 162,  0, PMI_OPF_ARG) \
    X(SET_UPDATE,                  163,  0, PMI_OPF_ARG) \
    X(DICT_MERGE,                  164,  0, PMI_OPF_ARG) \
    X(DICT_UPDATE,                 165,  0, PMI_OPF_ARG) \
    X(PRECALL,                     166,  1, PMI_OPF_ARG) \
    X(CALL,                        171,  4, PMI_OPF_ARG) \
    X(KW_NAMES,                    172,  0, PMI_OPF_ARG|PMI_OPF_CONST) \
    X(POP_JUMP_BACKWARD_IF_NOT_NONE, 173,  0, PMI_OPF_ARG|PMI_OPF_JBACK) \
    X(POP_JUMP_BACKWARD_IF_NONE,   174,  0, PMI_OPF_ARG|PMI_OPF_JBACK) \
    X(POP_JUMP_BACKWARD_IF_FALSE,  175,  0, PMI_OPF_ARG|PMI_OPF_JBACK) \
    X(POP_JUMP_BACKWARD_IF_TRUE,   176,  0, PMI_OPF_ARG|PMI_OPF_JBACK)

/* X(NAME, number, BASE): specialized/adaptive forms and their deopt base. */
#define PMI_SPECIALIZED(X) \
    X(BINARY_OP_ADAPTIVE,                              3, BINARY_OP) \
    X(BINARY_OP_ADD_FLOAT,                             4, BINARY_OP) \
    X(BINARY_OP_ADD_INT,                               5, BINARY_OP) \
    X(BINARY_OP_ADD_UNICODE,                           6, BINARY_OP) \
    X(BINARY_OP_INPLACE_ADD_UNICODE,                   7, BINARY_OP) \
    X(BINARY_OP_MULTIPLY_FLOAT,                        8, BINARY_OP) \
    X(BINARY_OP_MULTIPLY_INT,                         13, BINARY_OP) \
    X(BINARY_OP_SUBTRACT_FLOAT,                       14, BINARY_OP) \
    X(BINARY_OP_SUBTRACT_INT,                         16, BINARY_OP) \
    X(BINARY_SUBSCR_ADAPTIVE,                         17, BINARY_SUBSCR) \
    X(BINARY_SUBSCR_DICT,                             18, BINARY_SUBSCR) \
    X(BINARY_SUBSCR_GETITEM,                          19, BINARY_SUBSCR) \
    X(BINARY_SUBSCR_LIST_INT,                         20, BINARY_SUBSCR) \
    X(BINARY_SUBSCR_TUPLE_INT,                        21, BINARY_SUBSCR) \
    X(CALL_ADAPTIVE,                                  22, CALL) \
    X(CALL_PY_EXACT_ARGS,                             23, CALL) \
    X(CALL_PY_WITH_DEFAULTS,                          24, CALL) \
    X(COMPARE_OP_ADAPTIVE,                            26, COMPARE_OP) \
    X(COMPARE_OP_FLOAT_JUMP,                          27, COMPARE_OP) \
    X(COMPARE_OP_INT_JUMP,                            28, COMPARE_OP) \
    X(COMPARE_OP_STR_JUMP,                            29, COMPARE_OP) \
    X(EXTENDED_ARG_QUICK,                             34, EXTENDED_ARG) \
    X(JUMP_BACKWARD_QUICK,                            38, JUMP_BACKWARD) \
    X(LOAD_ATTR_ADAPTIVE,                             39, LOAD_ATTR) \
    X(LOAD_ATTR_INSTANCE_VALUE,                       40, LOAD_ATTR) \
    X(LOAD_ATTR_MODULE,                               41, LOAD_ATTR) \
    X(LOAD_ATTR_SLOT,                                 42, LOAD_ATTR) \
    X(LOAD_ATTR_WITH_HINT,                            43, LOAD_ATTR) \
    X(LOAD_CONST__LOAD_FAST,                          44, LOAD_CONST) \
    X(LOAD_FAST__LOAD_CONST,                          45, LOAD_FAST) \
    X(LOAD_FAST__LOAD_FAST,                           46, LOAD_FAST) \
    X(LOAD_GLOBAL_ADAPTIVE,                           47, LOAD_GLOBAL) \
    X(LOAD_GLOBAL_BUILTIN,                            48, LOAD_GLOBAL) \
    X(LOAD_GLOBAL_MODULE,                             55, LOAD_GLOBAL) \
    X(LOAD_METHOD_ADAPTIVE,                           56, LOAD_METHOD) \
    X(LOAD_METHOD_CLASS,                              57, LOAD_METHOD) \
    X(LOAD_METHOD_MODULE,                             58, LOAD_METHOD) \
    X(LOAD_METHOD_NO_DICT,                            59, LOAD_METHOD) \
    X(LOAD_METHOD_WITH_DICT,                          62, LOAD_METHOD) \
    X(LOAD_METHOD_WITH_VALUES,                        63, LOAD_METHOD) \
    X(PRECALL_ADAPTIVE,                               64, PRECALL) \
    X(PRECALL_BOUND_METHOD,                           65, PRECALL) \
    X(PRECALL_BUILTIN_CLASS,                          66, PRECALL) \
    X(PRECALL_BUILTIN_FAST_WITH_KEYWORDS,             67, PRECALL) \
    X(PRECALL_METHOD_DESCRIPTOR_FAST_WITH_KEYWORDS,   72, PRECALL) \
    X(PRECALL_NO_KW_BUILTIN_FAST,                     73, PRECALL) \
    X(PRECALL_NO_KW_BUILTIN_O,                        76, PRECALL) \
    X(PRECALL_NO_KW_ISINSTANCE,                       77, PRECALL) \
    X(PRECALL_NO_KW_LEN,                              78, PRECALL) \
    X(PRECALL_NO_KW_LIST_APPEND,                      79, PRECALL) \
    X(PRECALL_NO_KW_METHOD_DESCRIPTOR_FAST,           80, PRECALL) \
    X(PRECALL_NO_KW_METHOD_DESCRIPTOR_NOARGS,         81, PRECALL) \
    X(PRECALL_NO_KW_METHOD_DESCRIPTOR_O,             113, PRECALL) \
    X(PRECALL_NO_KW_STR_1,                           121, PRECALL) \
    X(PRECALL_NO_KW_TUPLE_1,                         127, PRECALL) \
    X(PRECALL_NO_KW_TYPE_1,                          141, PRECALL) \
    X(PRECALL_PYFUNC,                                143, PRECALL) \
    X(RESUME_QUICK,                                  150, RESUME) \
    X(STORE_ATTR_ADAPTIVE,                           153, STORE_ATTR) \
    X(STORE_ATTR_INSTANCE_VALUE,                     154, STORE_ATTR) \
    X(STORE_ATTR_SLOT,                               158, STORE_ATTR) \
    X(STORE_ATTR_WITH_HINT,                          159, STORE_ATTR) \
    X(STORE_FAST__LOAD_FAST,                         161, STORE_FAST) \
    X(STORE_FAST__STORE_FAST,                        167, STORE_FAST) \
    X(STORE_SUBSCR_ADAPTIVE,                         168, STORE_SUBSCR) \
    X(STORE_SUBSCR_DICT,                             169, STORE_SUBSCR) \
    X(STORE_SUBSCR_LIST_INT,                         170, STORE_SUBSCR) \
    X(UNPACK_SEQUENCE_ADAPTIVE,                      177, UNPACK_SEQUENCE) \
    X(UNPACK_SEQUENCE_LIST,                          178, UNPACK_SEQUENCE) \
    X(UNPACK_SEQUENCE_TUPLE,                         179, UNPACK_SEQUENCE) \
    X(UNPACK_SEQUENCE_TWO_TUPLE,                     180, UNPACK_SEQUENCE)

/* X(NAME, number, flags): the compiler's virtual instructions (3.11). */
#define PMI_PSEUDO_OPS(X) \
    X(SETUP_FINALLY,        256, PMI_OPF_ARG | PMI_OPF_JFWD) \
    X(SETUP_CLEANUP,        257, PMI_OPF_ARG | PMI_OPF_JFWD) \
    X(SETUP_WITH,           258, PMI_OPF_ARG | PMI_OPF_JFWD) \
    X(POP_BLOCK,            259, 0) \
    X(JUMP,                 260, PMI_OPF_ARG | PMI_OPF_JUMP | PMI_OPF_UNCOND) \
    X(JUMP_NO_INTERRUPT,    261, PMI_OPF_ARG | PMI_OPF_JUMP | PMI_OPF_UNCOND) \
    X(POP_JUMP_IF_FALSE,    262, PMI_OPF_ARG | PMI_OPF_JUMP) \
    X(POP_JUMP_IF_TRUE,     263, PMI_OPF_ARG | PMI_OPF_JUMP) \
    X(POP_JUMP_IF_NONE,     264, PMI_OPF_ARG | PMI_OPF_JUMP) \
    X(POP_JUMP_IF_NOT_NONE, 265, PMI_OPF_ARG | PMI_OPF_JUMP)

enum pmi_opcode {
#define PMI_OP_ENUM_(name, num, cache, flags) PMI_OP_##name = num,
    PMI_OPCODES(PMI_OP_ENUM_)
#undef PMI_OP_ENUM_
#define PMI_OP_ENUM_(name, num, base) PMI_OP_##name = num,
    PMI_SPECIALIZED(PMI_OP_ENUM_)
#undef PMI_OP_ENUM_
#define PMI_OP_ENUM_(name, num, flags) PMI_OP_##name = num,
    PMI_PSEUDO_OPS(PMI_OP_ENUM_)
#undef PMI_OP_ENUM_
    PMI_OP_DO_TRACING = 255,    /* the tracing hook's opcode in 3.11's VM */
    PMI_OP_PSEUDO_FIRST = 256,  /* first virtual instruction */
    PMI_OP_PSEUDO_END = 266     /* one past the last virtual instruction */
};

/* BINARY_OP's argument: X(NAME, symbol) in NB_* order (3.11), as dis shows it. */
#define PMI_NB_OPS(X) \
    X(ADD, "+") X(AND, "&") X(FLOOR_DIVIDE, "//") X(LSHIFT, "<<") \
    X(MATRIX_MULTIPLY, "@") X(MULTIPLY, "*") X(REMAINDER, "%") X(OR, "|") \
    X(POWER, "**") X(RSHIFT, ">>") X(SUBTRACT, "-") X(TRUE_DIVIDE, "/") \
    X(XOR, "^") \
    X(INPLACE_ADD, "+=") X(INPLACE_AND, "&=") X(INPLACE_FLOOR_DIVIDE, "//=") \
    X(INPLACE_LSHIFT, "<<=") X(INPLACE_MATRIX_MULTIPLY, "@=") \
    X(INPLACE_MULTIPLY, "*=") X(INPLACE_REMAINDER, "%=") X(INPLACE_OR, "|=") \
    X(INPLACE_POWER, "**=") X(INPLACE_RSHIFT, ">>=") X(INPLACE_SUBTRACT, "-=") \
    X(INPLACE_TRUE_DIVIDE, "/=") X(INPLACE_XOR, "^=")

enum pmi_nb_op {
#define PMI_NB_ENUM_(name, sym) PMI_NB_##name,
    PMI_NB_OPS(PMI_NB_ENUM_)
#undef PMI_NB_ENUM_
    PMI_NB_COUNT
};

/* ---- lookups (interp/opcodes.c; const tables, no state) ------------------ */

/* Name of a real, specialized or pseudo opcode; "<N>" style names are not
 * made up: NULL for a number that is none of them. */
const char *pmi_opcode_name(int op);
/* Inline CACHE units after a real opcode (0 for anything else). */
int pmi_opcode_cache(int op);
/* PMI_OPF_* flags of a real or pseudo opcode (0 for unknown numbers). */
unsigned pmi_opcode_flags(int op);
/* The real opcode a specialized one deoptimizes to; a real one maps to
 * itself; -1 for unknown numbers. */
int pmi_opcode_deopt(int op);
/* 1 when op is one of 3.11's real (unspecialized) opcodes. */
int pmi_opcode_is_real(int op);
/* Symbol of BINARY_OP's argument ("+", "+=", ...), NULL when out of range. */
const char *pmi_nb_op_symbol(int oparg);
/* cmp_op[i] ("<", "<=", "==", "!=", ">", ">="), NULL when out of range. */
const char *pmi_cmp_op_symbol(int i);

#endif
