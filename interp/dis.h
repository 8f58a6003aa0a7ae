/*
 * interp/dis.h -- the disassembler: `python3 -m dis`'s text for a code object.
 */
#ifndef PYMM_INTERP_DIS_H
#define PYMM_INTERP_DIS_H

#include <stdio.h>

#include "pymm.h"

/* Print what python3 3.11's dis.dis(code) prints for a code object (the
 * module's code for `python3 -m dis FILE`): every instruction with its line
 * number, jump-target mark, offset, name, argument and argument detail, the
 * exception table, then each code object among the constants, recursively,
 * after "Disassembly of <code object ...>:".  0, or -1 with an error set
 * (MemoryError, a repr that failed) -- output may then be partial. */
int pmi_dis_print(pm_runtime *rt, pm_object *code, FILE *out);

#endif
