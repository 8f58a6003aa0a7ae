/* Prints "opcode oparg jump effect" for every real 3.11 opcode, a range of
 * arguments and the three jump settings; check_stack_effect.py compares the
 * lines with python3's dis.stack_effect. */
#include <stdio.h>
#include "compile.h"
#include "opcodes.h"

int main(void)
{
    static const int args[] = { 0, 1, 2, 3, 4, 7, 8, 15, 258, 513 };
#define PMI_EMIT_(name, num, cache, flags) \
    for (size_t a = 0; a < sizeof args / sizeof args[0]; a++) \
        for (int j = -1; j <= 1; j++) \
            printf("%d %d %d %d\n", num, (num) >= PMI_HAVE_ARGUMENT ? args[a] : 0, j, \
                   pmi_stack_effect(num, (num) >= PMI_HAVE_ARGUMENT ? args[a] : 0, j));
    PMI_OPCODES(PMI_EMIT_)
#undef PMI_EMIT_
    return 0;
}
