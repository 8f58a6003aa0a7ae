/* Allocation-failure sweep over the compiler (SQLite's malloc tests): for
 * N = 1, 2, 3, ... make the Nth allocation fail -- once (transient), then
 * every allocation from the Nth on (persistent) -- while parsing and
 * compiling a small program that uses every kind of unit and most
 * constructs, and require that
 *   - the compile either succeeds or fails with MemoryError (never another
 *     error, never a half-made code object),
 *   - after dropping the result, the allocator has every block back,
 * until a run completes with no fault fired.  The same sweep runs over
 * sources with compile-time SyntaxErrors (symbol table and code
 * generation), whose error paths must free everything too.
 * Also checks pmi_stack_effect against a few python3 values. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "pymm.h"
#include "compile.h"
#include "parser.h"
#include "opcodes.h"

static const char PROGRAM[] =
    "import os.path as p, sys\n"
    "from collections import OrderedDict as OD\n"
    "X: int = 1\n"
    "C = (1 + 2j) * 3 - -1j, 1j ** 2, 2 / 1j, 1 / 0j, (..., 0.0, 1.0), not 0j\n"
    "@deco(1)\n"
    "def f(a, b=2, *args, c, d=3, **kw) -> 'r':\n"
    "    '''doc'''\n"
    "    global G\n"
    "    x = [i * 2 for i in args if i]\n"
    "    y = {k: v for k, v in kw.items()}\n"
    "    g = (j async for j in a) if False else None\n"
    "    def inner():\n"
    "        nonlocal x\n"
    "        x = lambda q=1: q + a\n"
    "        return x\n"
    "    try:\n"
    "        with open(a) as fh, open(b):\n"
    "            pass\n"
    "    except (OSError, ValueError) as e:\n"
    "        raise RuntimeError(f'{e!r:>10} {a}') from e\n"
    "    else:\n"
    "        del y\n"
    "    finally:\n"
    "        print('%s-%s' % (a, b))\n"
    "    while a < b < 10 and not c:\n"
    "        a += 1\n"
    "        if a: break\n"
    "        else: continue\n"
    "    for (u, *w) in args:\n"
    "        yield u\n"
    "    yield from w\n"
    "    assert a, 'm'\n"
    "    return -1 + 2 ** 8\n"
    "class C(Base, metaclass=M):\n"
    "    attr: str\n"
    "    def m(self):\n"
    "        return super().m(__class__, *self.a, **self.k)\n"
    "async def co(z):\n"
    "    async with z as q:\n"
    "        await q\n"
    "    async for r in z:\n"
    "        print(r)\n"
    "match f(1):\n"
    "    case [1, *rest] if rest: pass\n"
    "    case {'k': v, **kw}: pass\n"
    "    case C(attr=1) | None: pass\n"
    "    case _: pass\n"
    "try:\n"
    "    pass\n"
    "except* TypeError:\n"
    "    pass\n";

/* Sources whose compilation fails with a SyntaxError after parsing. */
static const char *const ERRORS[] = {
    "def f():\n    x = 1\n    global x\n",
    "nonlocal y\n",
    "def f():\n    def g():\n        nonlocal zz\n",
    "for x in y:\n    pass\nbreak\n",
    "class C:\n    return 1\n",
    "def f(a):\n    [(yield a) for b in a]\n",
    "match x:\n    case y: pass\n    case 1: pass\n",
};

static size_t blocks_in_use(pm_runtime *rt)
{
    pm_alloc_stats s;
    pm_freelists_clear(rt);
    pm_alloc_stats_get(rt, &s);
    size_t n = s.large_blocks;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++)
        n += s.size_class[i].blocks_in_use;
    return n;
}

static int failures;
static int last_warnings;     /* warnings raised by the last compile_once */

/* Compile-time warnings of every kind (parser DeprecationWarnings,
 * compiler SyntaxWarnings; a finally body is compiled twice, the return
 * in it too): 10, as python3 raises compiling it. */
static const char WARNED[] =
    "s = '\\d' + b'\\q'.decode() + f'{1}\\w'\n"
    "def f(x):\n"
    "    try:\n"
    "        return x is 1\n"
    "    finally:\n"
    "        y = (1, 2)(3)\n"
    "assert (f, 'm')\n"
    "z = [1][1.5], 5[0]\n"
    "zz = 1\n"
    "def g(q):\n"
    "    return q in {'zz', 'qq'}, (1, 2), f\n";   /* a frozenset copied per code object */

/* f-strings whose expressions need arena blocks of their own: an
 * allocation failing inside an f-string's sub-parser is a MemoryError, not
 * "f-string: invalid syntax" (built by fstrings_program). */
static char FSTRINGS[24000];

static void fstrings_program(void)
{
    size_t n = 0;
    for (int i = 0; i < 120 && n + 200 < sizeof FSTRINGS; i++)
        n += (size_t)snprintf(FSTRINGS + n, sizeof FSTRINGS - n,
                              "x%d = f\"{a%d + b[c](d, e=f) * [g for g in h if g] - {k: v for k, v in m}!r:>{w}}\" \"tail\"\n",
                              i, i);
}

#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

/* One compile; returns 1 success, 0 MemoryError, 2 SyntaxError. */
static int compile_once(pm_runtime *rt, pm_object *fn, const char *src)
{
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pmi_warnings warnings;
    pmi_warnings_init(&warnings);
    err.warnings = &warnings;
    pm_object *co = pmi_compile_source(rt, src, strlen(src), fn, PMI_MODE_EXEC, 0, &err);
    last_warnings = warnings.count;
    pmi_warnings_clear(rt, &warnings);
    int r;
    if (co != NULL) {
        CHECK(err.kind == 0, "success with a syntax error recorded");
        pm_decref(rt, co);
        r = 1;
    } else if (err.kind != 0) {
        r = 2;
    } else {
        CHECK(pm_err_matches(rt, PM_EXC_MemoryError), "failed with %s: %s",
              pm_exc_name(pm_err_occurred(rt)), pm_err_message(rt));
        r = 0;
    }
    pm_err_clear(rt);
    pmi_syntax_error_clear(rt, &err);
    return r;
}

static void sweep(pm_runtime *rt, pm_object *fn, const char *src, int expect, const char *what)
{
    /* warm up: interning tables and free lists reach their steady size */
    int r = compile_once(rt, fn, src);
    CHECK(r == expect, "%s: first compile gave %d, expected %d", what, r, expect);
    size_t base = blocks_in_use(rt);
    for (int persistent = 0; persistent <= 1; persistent++) {
        long n;
        for (n = 1; n < 200000; n++) {
            pm_fault_inject(rt, n, persistent);
            r = compile_once(rt, fn, src);
            long fired = pm_fault_fired(rt);
            pm_fault_inject(rt, 0, 0);
            size_t now = blocks_in_use(rt);
            CHECK(now == base, "%s: fault %ld (%s): %zu blocks in use, %zu at start", what, n,
                  persistent ? "persistent" : "transient", now, base);
            if (fired == 0) {
                CHECK(r == expect, "%s: run without fault gave %d", what, r);
                break;
            }
            CHECK(r == 0 || r == expect, "%s: fault %ld gave %d", what, n, r);
            if (failures > 20)
                return;
        }
        printf("%s: %s sweep over %ld allocation points\n", what,
               persistent ? "persistent" : "transient", n);
    }
}

static void stack_effects(void)
{
    /* a few values of python3's dis.stack_effect (the full table is
     * compared by check_stack_effect.py) */
    CHECK(pmi_stack_effect(PMI_OP_CALL, 3, -1) == -1, "CALL");
    CHECK(pmi_stack_effect(PMI_OP_PRECALL, 3, -1) == -3, "PRECALL");
    CHECK(pmi_stack_effect(PMI_OP_FOR_ITER, 0, 1) == -1, "FOR_ITER taken");
    CHECK(pmi_stack_effect(PMI_OP_FOR_ITER, 0, -1) == 1, "FOR_ITER max");
    CHECK(pmi_stack_effect(PMI_OP_BUILD_MAP, 3, 0) == -5, "BUILD_MAP");
    CHECK(pmi_stack_effect(PMI_OP_UNPACK_EX, 0x102, 0) == 3, "UNPACK_EX");
    CHECK(pmi_stack_effect(PMI_OP_SETUP_CLEANUP, 0, 1) == 2, "SETUP_CLEANUP");
    CHECK(pmi_stack_effect(3, 0, 0) == PMI_INVALID_STACK_EFFECT, "specialized opcode");
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    pm_runtime *rt = pm_runtime_new(NULL);
    if (rt == NULL)
        return 2;
    pm_object *fn = pm_str_from_cstr(rt, "<fault>");
    stack_effects();
    if (!quick)
        sweep(rt, fn, PROGRAM, 1, "program");
    sweep(rt, fn, WARNED, 1, "warnings");
    CHECK(last_warnings == 10, "warnings: %d raised, 10 expected", last_warnings);
    fstrings_program();
    sweep(rt, fn, FSTRINGS, 1, "f-strings");
    for (size_t i = 0; i < sizeof ERRORS / sizeof ERRORS[0]; i++) {
        char what[32];
        snprintf(what, sizeof what, "error %zu", i);
        sweep(rt, fn, ERRORS[i], 2, what);
    }
    pm_decref(rt, fn);
    pm_runtime_free(rt);
    if (failures) {
        fprintf(stderr, "%d failures\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
