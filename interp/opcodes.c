/*
 * interp/opcodes.c -- lookups over the opcode table of opcodes.h.
 *
 * Everything here is a const table built from the X-macro lists at compile
 * time; there is no state.  Numbers 0..255 are real or specialized opcodes
 * (one name each), 256..265 the compiler's pseudo instructions.
 */
#include "opcodes.h"

#include <stddef.h>

#define TABLE_SIZE PMI_OP_PSEUDO_END

static const char *const op_names[TABLE_SIZE] = {
#define NAME_(name, num, a, b) [num] = #name,
    PMI_OPCODES(NAME_)
#undef NAME_
#define NAME_(name, num, base) [num] = #name,
    PMI_SPECIALIZED(NAME_)
#undef NAME_
#define NAME_(name, num, flags) [num] = #name,
    PMI_PSEUDO_OPS(NAME_)
#undef NAME_
    [PMI_OP_DO_TRACING] = "DO_TRACING",
};

static const unsigned char op_cache[256] = {
#define CACHE_(name, num, cache, flags) [num] = cache,
    PMI_OPCODES(CACHE_)
#undef CACHE_
};

static const unsigned short op_flags[TABLE_SIZE] = {
#define FLAGS_(name, num, cache, flags) [num] = (flags),
    PMI_OPCODES(FLAGS_)
#undef FLAGS_
#define FLAGS_(name, num, flags) [num] = (flags),
    PMI_PSEUDO_OPS(FLAGS_)
#undef FLAGS_
};

/* deopt + 1 (0 = unknown), so the table needs no explicit -1 entries. */
static const short op_deopt1[256] = {
#define DEOPT_(name, num, cache, flags) [num] = num + 1,
    PMI_OPCODES(DEOPT_)
#undef DEOPT_
#define DEOPT_(name, num, base) [num] = PMI_OP_##base + 1,
    PMI_SPECIALIZED(DEOPT_)
#undef DEOPT_
};

static const unsigned char op_real[256] = {
#define REAL_(name, num, cache, flags) [num] = 1,
    PMI_OPCODES(REAL_)
#undef REAL_
};

static const char *const nb_symbols[PMI_NB_COUNT] = {
#define SYM_(name, sym) sym,
    PMI_NB_OPS(SYM_)
#undef SYM_
};

static const char *const cmp_symbols[6] = {"<", "<=", "==", "!=", ">", ">="};

const char *pmi_opcode_name(int op) {
    return op >= 0 && op < TABLE_SIZE ? op_names[op] : NULL;
}

int pmi_opcode_cache(int op) { return op >= 0 && op < 256 ? op_cache[op] : 0; }

unsigned pmi_opcode_flags(int op) { return op >= 0 && op < TABLE_SIZE ? op_flags[op] : 0; }

int pmi_opcode_deopt(int op) { return op >= 0 && op < 256 ? op_deopt1[op] - 1 : -1; }

int pmi_opcode_is_real(int op) { return op >= 0 && op < 256 && op_real[op]; }

const char *pmi_nb_op_symbol(int oparg) {
    return oparg >= 0 && oparg < PMI_NB_COUNT ? nb_symbols[oparg] : NULL;
}

const char *pmi_cmp_op_symbol(int i) { return i >= 0 && i < 6 ? cmp_symbols[i] : NULL; }
