/* Code objects, marshal and the opcode table, checked against python3:
 *   - the opcode table equals python3's opcode/dis modules;
 *   - values python3 marshals load in pymm with the same repr, and what pymm
 *     writes back loads in python3 as an equal value (both directions);
 *   - malformed data gives python3's error messages; every truncation and
 *     thousands of corruptions of a real module's marshal data fail cleanly
 *     and leak nothing;
 *   - allocation-failure sweeps (pm_fault_inject) over loads, dumps and the
 *     disassembler: MemoryError, nothing leaked, until a run completes;
 *   - code objects: validation, equality and hash, strict constant keys.
 * A test that cannot run python3 fails. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "code.h"
#include "dis.h"
#include "marshal.h"
#include "opcodes.h"

#define BIG (8u << 20)

/* python3 running `code`; its stdout in a malloc'ed buffer (test fails when
 * python3 cannot run or exits non-zero). */
static char *py(const char *code) {
    char *buf = malloc(BIG);
    assert_non_null(buf);
    int st = tu_python(code, buf, BIG);
    if (st != 0) fprintf(stderr, "python3 failed (status %d): %s\n", st, buf);
    assert_int_equal(st, 0);
    return buf;
}

static size_t unhex(const char *h, size_t n, unsigned char *out) {
    size_t k = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        unsigned v;
        sscanf(h + i, "%2x", &v);
        out[k++] = (unsigned char)v;
    }
    return k;
}

static size_t in_use(pm_runtime *rt) {
    pm_freelists_clear(rt);
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    return s.small_bytes_in_use + s.large_bytes + s.large_blocks;
}

/* ---- the opcode table ----------------------------------------------------- */

static void test_opcodes_match_python(void **state) {
    (void)state;
    char *out = py(
        "import opcode, dis\n"
        "for i in range(256):\n"
        "    n = dis._all_opname[i]\n"
        "    real = opcode.opname[i] == n and not n.startswith('<')\n"
        "    f = 0\n"
        "    if real:\n"
        "        if i >= opcode.HAVE_ARGUMENT: f |= 1\n"
        "        if i in opcode.hasjrel: f |= 4 if 'BACKWARD' in n else 2\n"
        "        if i in opcode.hasconst: f |= 8\n"
        "        if i in opcode.hasname: f |= 16\n"
        "        if i in opcode.haslocal: f |= 32\n"
        "        if i in opcode.hasfree: f |= 64\n"
        "        if i in opcode.hascompare: f |= 128\n"
        "    deop = dis._deoptop(i) if not n.startswith('<') else -1\n"
        "    cache = opcode._inline_cache_entries[i]\n"
        "    print(i, n, int(real), f, cache, deop)\n"
        "print('HAVE', opcode.HAVE_ARGUMENT, 'NB', len(opcode._nb_ops))\n"
        "for i, (name, sym) in enumerate(opcode._nb_ops): print('nb', i, sym)\n"
        "for i, s in enumerate(opcode.cmp_op): print('cmp', i, s)\n");
    char *line = strtok(out, "\n");
    int checked = 0;
    while (line) {
        int i, real, flags, cache, deop;
        char name[64];
        if (sscanf(line, "%d %63s %d %d %d %d", &i, name, &real, &flags, &cache, &deop) == 6) {
            const char *mine = pmi_opcode_name(i);
            if (name[0] == '<') {
                assert_true(mine == NULL || i == 255);
            } else {
                assert_non_null(mine);
                assert_string_equal(mine, name);
                assert_int_equal(pmi_opcode_is_real(i), real);
                assert_int_equal(pmi_opcode_deopt(i), deop);
                if (real) {
                    unsigned f = pmi_opcode_flags(i) & ~(unsigned)(PMI_OPF_UNCOND | PMI_OPF_EXIT);
                    assert_int_equal(f, (unsigned)flags);
                    assert_int_equal(pmi_opcode_cache(i), cache);
                }
            }
            checked++;
        } else if (strncmp(line, "HAVE ", 5) == 0) {
            int have, nb;
            assert_int_equal(sscanf(line, "HAVE %d NB %d", &have, &nb), 2);
            assert_int_equal(have, PMI_HAVE_ARGUMENT);
            assert_int_equal(nb, PMI_NB_COUNT);
        } else if (strncmp(line, "nb ", 3) == 0) {
            char sym[8];
            assert_int_equal(sscanf(line, "nb %d %7s", &i, sym), 2);
            assert_string_equal(pmi_nb_op_symbol(i), sym);
        } else if (strncmp(line, "cmp ", 4) == 0) {
            char sym[8];
            assert_int_equal(sscanf(line, "cmp %d %7s", &i, sym), 2);
            assert_string_equal(pmi_cmp_op_symbol(i), sym);
        }
        line = strtok(NULL, "\n");
    }
    assert_int_equal(checked, 256);
    /* Pseudo instructions have names and never collide with real numbers. */
    assert_string_equal(pmi_opcode_name(PMI_OP_SETUP_FINALLY), "SETUP_FINALLY");
    assert_true(pmi_opcode_flags(PMI_OP_JUMP) & PMI_OPF_UNCOND);
    assert_true(pmi_opcode_flags(PMI_OP_RETURN_VALUE) & PMI_OPF_EXIT);
    assert_null(pmi_opcode_name(-1));
    assert_null(pmi_opcode_name(PMI_OP_PSEUDO_END));
    free(out);
}

/* ---- values both ways ------------------------------------------------------ */

/* Values whose repr is the same in both implementations (no str sets). */
static const char *const VALUES_DEF =
    "import marshal\n"
    "x = 'shared' * 3\n"
    "vals = [0, 1, -1, 255, 256, -5, 2**31-1, -2**31, 2**31, -2**31-1, 2**45, 2**59, 2**60, -2**62,\n"
    "  2**63-1, -2**63, 2**64, 2**100, -(2**1000) + 12345, 10**50,\n"
    "  0.0, -0.0, 1.5, -2.25, 1e300, 5e-324, float('inf'), -float('inf'), 0.1,\n"
    "  '', 'a', 'ascii text', 'caf\\u00e9', '\\u20ac uro', '\\U0001f600', 'x' * 300, '\\u00e9' * 300,\n"
    "  '\\ud800 lone', 'Z' * 255, 'Z' * 256,\n"
    "  b'', b'\\x00\\xff', bytes(range(256)) * 2,\n"
    "  (), (1,), (1, 2, (3, 4, ())), tuple(range(300)), (x, x, [x]),\n"
    "  [], [1, [2, [3]]], {}, {1: 2, 3: (4, 5)}, set(), {1, 2, 3}, frozenset(), frozenset({7, 8}),\n"
    "  None, True, False, ..., [None, True, False, ...], StopIteration, (StopIteration, 1),\n"
    "  ('', '\\u0100', 'a', '\\u00ff', b'', b'\\x00', b'a', '', 'a', '\\u0100', b'\\x00'),\n"
    "  compile('def f(a, *b, c=1, **d):\\n  def g(): return a\\n  return g\\nclass C: pass\\n', 'v.py', 'exec'),\n"
    "]\n";
static const char *const VALUES_PRINT =
    "for v in vals:\n"
    "    print(marshal.dumps(v).hex(), repr(v) if not hasattr(v, 'co_code') else 'CODE')\n";

static void test_values_both_ways(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    char *src = malloc(strlen(VALUES_DEF) + strlen(VALUES_PRINT) + 1);
    assert_non_null(src);
    strcpy(src, VALUES_DEF);
    strcat(src, VALUES_PRINT);
    char *out = py(src);
    free(src);
    unsigned char *data = malloc(BIG / 2);
    char *script = malloc(BIG);
    assert_non_null(data);
    assert_non_null(script);
    /* The checking script re-creates `vals` from the same source and
     * compares what python3 loads from pymm's bytes. */
    size_t sl = (size_t)sprintf(script, "%sgot = [\n", VALUES_DEF);
    int n = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        char *sp = strchr(line, ' ');
        assert_non_null(sp);
        size_t len = unhex(line, (size_t)(sp - line), data);
        pm_object *o = pmi_marshal_loads(rt, data, len);
        if (!o) fprintf(stderr, "loads failed for %s: %s\n", sp + 1, pm_err_message(rt));
        assert_non_null(o);
        if (strcmp(sp + 1, "CODE") != 0) {
            pm_object *r = pm_repr(rt, o);
            assert_non_null(r);
            assert_string_equal(pm_str_as_utf8(rt, r, NULL), sp + 1);
            pm_decref(rt, r);
        } else {
            assert_true(pmi_code_check(o));
        }
        pm_object *b = pmi_marshal_dumps(rt, o);
        assert_non_null(b);
        sl += (size_t)sprintf(script + sl, "bytes.fromhex('");
        for (pm_ssize_t i = 0; i < pm_bytes_size(b); i++)
            sl += (size_t)sprintf(script + sl, "%02x", (unsigned char)pm_bytes_data(b)[i]);
        sl += (size_t)sprintf(script + sl, "'),\n");
        pm_decref(rt, b);
        pm_decref(rt, o);
        n++;
    }
    assert_true(n > 60);
    sprintf(script + sl,
            "]\n"
            "def key(v):\n"
            "    if isinstance(v, float): return ('f', v.hex())\n"
            "    if isinstance(v, (tuple, list)): return (type(v).__name__,) + tuple(key(i) for i in v)\n"
            "    if hasattr(v, 'co_code'): return ('code', v.co_code, key(v.co_consts), v.co_names,\n"
            "        v.co_varnames, v.co_cellvars, v.co_freevars, v.co_linetable, v.co_qualname)\n"
            "    return (type(v).__name__, v)\n"
            "assert len(got) == len(vals) == %d, len(got)\n"
            "for want, data in zip(vals, got):\n"
            "    v = marshal.loads(data)\n"
            "    assert key(v) == key(want), (v, want)\n"
            "print('OK', len(got))\n",
            n);
    char *res = py(script);
    char expect[32];
    snprintf(expect, sizeof expect, "OK %d\n", n);
    assert_string_equal(res, expect);
    free(res);
    free(script);
    free(data);
    free(out);
    pm_runtime_free(rt);
}

/* ---- malformed data ------------------------------------------------------- */

static void test_malformed_messages(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    /* Each case: hex of the data; python3 prints its message. */
    static const char *const cases[] = {
        "", "63", "7a05616263", "2902", "7200000000", "6c010000000080", "6c0100000000 00",
        "01", "28ffffffff", "5bffffffff", "3cffffffff", "73ffffffff", "75ffffffff",
        "61ffffffff", "6c00000080", "e9010000", "28 0a000000 4e", "7b4e", "72ffffffff",
        "29024e72 00000000", "67 0000", "79 00000000",
        /* truncations (EOFError) and StopIteration ('S') */
        "69 01", "73 05000000 6162", "29 02 69 01000000", "5b 05000000", "7b", "7b 69 01000000",
        "3c 03000000", "72 00", "66 03 6162", "78 01", "63", "6c 02000000 01", "53", "29 02 53 53",
        "e3", "7a", "71", "29", "66", "78", "5a", "79", "72", "78 01 61", "66 03 312e35",
    };
    char code[4096];
    size_t cl = (size_t)sprintf(code, "import marshal\nfor h in [");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) cl += (size_t)sprintf(code + cl, "'%s',", cases[i]);
    sprintf(code + cl, "]:\n"
                       "    try: marshal.loads(bytes.fromhex(h)); print('OK')\n"
                       "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n");
    char *out = py(code);
    char *save = NULL;
    char *line = strtok_r(out, "\n", &save);
    unsigned char data[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_non_null(line);
        char h[128];
        size_t k = 0;
        for (const char *p = cases[i]; *p; p++)
            if (*p != ' ') h[k++] = *p;
        h[k] = 0;
        size_t n = unhex(h, k, data);
        pm_object *o = pmi_marshal_loads(rt, data, n);
        if (strcmp(line, "OK") == 0) {
            assert_non_null(o);
            pm_decref(rt, o);
        } else {
            if (o) fprintf(stderr, "case %s loaded, python3 says %s\n", cases[i], line);
            assert_null(o);
            assert_true(pm_err_occurred(rt));
            char got[PM_ERR_MSG_MAX + 64];
            snprintf(got, sizeof got, "%s: %s", pm_type_name(pm_err_occurred_type(rt)), pm_err_message(rt));
            if (strcmp(got, line) != 0)
                fprintf(stderr, "case %s: pymm '%s', python3 '%s'\n", cases[i], got, line);
            assert_string_equal(got, line);
            pm_err_clear(rt);
        }
        line = strtok_r(NULL, "\n", &save);
    }
    free(out);
    /* A tuple holding itself: python3 builds ((...),); pymm's tuples are
     * immutable once made, so this is a clean error (marshal.h). */
    static const unsigned char selfref[] = {0xa9, 0x01, 0x72, 0, 0, 0, 0};
    assert_null(pmi_marshal_loads(rt, selfref, sizeof selfref));
    assert_string_equal(pm_err_message(rt), "bad marshal data (invalid reference)");
    pm_err_clear(rt);
    pm_runtime_free(rt);
}

/* The marshal data of a real module, from python3. */
static unsigned char *module_data(size_t *n, const char *module) {
    char code[512];
    snprintf(code, sizeof code,
             "import marshal, %s\n"
             "src = open(%s.__file__, 'rb').read()\n"
             "print(marshal.dumps(compile(src, %s.__file__, 'exec')).hex())\n",
             module, module, module);
    char *out = py(code);
    size_t len = strcspn(out, "\n");
    unsigned char *data = malloc(len / 2 + 1);
    assert_non_null(data);
    *n = unhex(out, len, data);
    free(out);
    return data;
}

static void test_truncated_and_corrupted(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t n;
    unsigned char *data = module_data(&n, "json.decoder");
    pm_object *whole = pmi_marshal_loads(rt, data, n);
    assert_non_null(whole);
    pm_decref(rt, whole);
    /* Corrupted data can intern any one-character str; those are the
     * runtime's immortal singletons and, as in CPython, stay interned, so
     * the intern table may grow for them: intern all 257 before the
     * baseline, so that only real leaks move the count. */
    for (uint32_t c = 0; c <= 256; c++) {
        pm_object *s = c < 256 ? pm_str_from_ucs4(rt, &c, 1) : pm_str_from_cstr(rt, "");
        assert_non_null(s);
        pm_object *i = pm_str_intern(rt, s);
        assert_non_null(i);
        pm_decref(rt, i);
    }
    /* One pass first: lazily built per-runtime state (exception and type
     * state, allocator caches) stays for the runtime's life; a leak grows
     * with every pass, so the counted passes come after it. */
    for (size_t k = 0; k < n; k++) {
        pm_object *o = pmi_marshal_loads(rt, data, k);
        assert_null(o);
        pm_err_clear(rt);
    }
    size_t base = in_use(rt);
    /* Every proper prefix fails cleanly. */
    for (size_t k = 0; k < n; k++) {
        pm_object *o = pmi_marshal_loads(rt, data, k);
        assert_null(o);
        assert_true(pm_err_occurred(rt));
        pm_err_clear(rt);
    }
    assert_int_equal(in_use(rt), base);
    /* Random corruptions: success or a clean error; the result (if any) can
     * be dumped and disassembled; nothing leaks. */
    unsigned char *copy = malloc(n);
    FILE *devnull = fopen("/dev/null", "w");
    assert_non_null(copy);
    assert_non_null(devnull);
    uint64_t seed = 12345;
    int loaded = 0;
    for (int round = 0; round < 3000; round++) {
        memcpy(copy, data, n);
        int flips = 1 + (int)(tu_rand(&seed) % 3);
        for (int f = 0; f < flips; f++) copy[tu_rand(&seed) % n] = (unsigned char)tu_rand(&seed);
        pm_object *o = pmi_marshal_loads(rt, copy, n);
        if (o) {
            loaded++;
            pm_object *b = pmi_marshal_dumps(rt, o);
            if (b) pm_decref(rt, b);
            else pm_err_clear(rt);
            if (pmi_code_check(o) && pmi_dis_print(rt, o, devnull) < 0) pm_err_clear(rt);
            pm_decref(rt, o);
        } else {
            assert_true(pm_err_occurred(rt));
            pm_err_clear(rt);
        }
    }
    fclose(devnull);
    assert_true(loaded > 0);        /* flips inside strings keep data valid */
    assert_int_equal(in_use(rt), base);
    free(copy);
    free(data);
    pm_runtime_free(rt);
}

/* ---- allocation failures ----------------------------------------------------- */

static void test_fault_sweep(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t n;
    unsigned char *data = module_data(&n, "json.encoder");
    FILE *devnull = fopen("/dev/null", "w");
    assert_non_null(devnull);
    /* warm-up: intern table and free lists reach their size */
    pm_object *w = pmi_marshal_loads(rt, data, n);
    assert_non_null(w);
    pm_object *wb = pmi_marshal_dumps(rt, w);
    assert_non_null(wb);
    assert_int_equal(pmi_dis_print(rt, w, devnull), 0);
    pm_decref(rt, wb);
    pm_decref(rt, w);
    size_t base = in_use(rt);
    for (int persistent = 0; persistent <= 1; persistent++) {
        for (long nth = 1;; nth++) {
            pm_fault_inject(rt, nth, persistent);
            int ok = 0;
            pm_object *o = pmi_marshal_loads(rt, data, n), *b = NULL, *pyc = NULL, *back = NULL;
            if (o) b = pmi_marshal_dumps(rt, o);
            if (b) pyc = pmi_pyc_write(rt, o, 1, 2);
            if (pyc) back = pmi_pyc_read(rt, (const unsigned char *)pm_bytes_data(pyc), (size_t)pm_bytes_size(pyc));
            if (back && pmi_dis_print(rt, back, devnull) == 0) ok = 1;
            long fired = pm_fault_fired(rt);
            pm_fault_inject(rt, 0, 0);
            if (!ok) {
                assert_true(fired > 0);
                assert_int_equal(pm_err_kind(rt), PM_EXC_MemoryError);
                pm_err_clear(rt);
            }
            pm_xdecref(rt, back);
            pm_xdecref(rt, pyc);
            pm_xdecref(rt, b);
            pm_xdecref(rt, o);
            assert_int_equal(in_use(rt), base);
            if (ok && fired == 0) break;
            assert_true(nth < 1000000);
        }
    }
    fclose(devnull);
    free(data);
    pm_runtime_free(rt);
}

/* ---- code objects ------------------------------------------------------- */

static void test_code_objects(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t n;
    unsigned char *data = module_data(&n, "json.scanner");
    pm_object *a = pmi_marshal_loads(rt, data, n), *b = pmi_marshal_loads(rt, data, n);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_int_equal(pm_equal(rt, a, b), 1);
    assert_int_equal(pm_hash(rt, a), pm_hash(rt, b));
    pm_object *r = pm_repr(rt, a);
    assert_non_null(r);
    const char *rs = pm_str_as_utf8(rt, r, NULL);
    assert_true(strncmp(rs, "<code object <module> at 0x", 27) == 0);
    assert_non_null(strstr(rs, "scanner.py\", line 1>"));
    pm_decref(rt, r);

    /* A spec with one field changed gives an unequal code object. */
    pmi_code *co = (pmi_code *)a;
    pmi_code_spec spec = {co->argcount, co->posonlyargcount, co->kwonlyargcount, co->stacksize,
                          co->firstlineno + 1, co->flags, co->code, co->consts, co->names,
                          co->localsplusnames, co->localspluskinds, co->filename, co->name,
                          co->qualname, co->linetable, co->exceptiontable};
    pm_object *c = pmi_code_new(rt, &spec);
    assert_non_null(c);
    assert_int_equal(pm_equal(rt, a, c), 0);
    pm_decref(rt, c);
    spec.firstlineno--;
    c = pmi_code_new(rt, &spec);
    assert_non_null(c);
    assert_int_equal(pm_equal(rt, a, c), 1);
    pm_decref(rt, c);
    /* Validation. */
    pm_object *odd = pm_bytes_new(rt, "abc", 3);
    spec.code = odd;
    assert_null(pmi_code_new(rt, &spec));
    assert_int_equal(pm_err_kind(rt), PM_EXC_ValueError);
    assert_string_equal(pm_err_message(rt), "code: co_code is malformed");
    pm_err_clear(rt);
    spec.code = co->consts;          /* not bytes */
    assert_null(pmi_code_new(rt, &spec));
    assert_int_equal(pm_err_kind(rt), PM_EXC_SystemError);
    pm_err_clear(rt);
    spec.code = co->code;
    spec.argcount = 5;               /* more arguments than locals */
    assert_null(pmi_code_new(rt, &spec));
    assert_int_equal(pm_err_kind(rt), PM_EXC_ValueError);
    assert_string_equal(pm_err_message(rt), "code: co_varnames is too small");
    pm_err_clear(rt);
    pm_decref(rt, odd);

    /* Strict constant keys: 0, 0.0, False and -0.0 all differ. */
    pm_object *i0 = pm_int_from_long(rt, 0), *f0 = pm_float_new(rt, 0.0), *fm0 = pm_float_new(rt, -0.0);
    pm_object *f0b = pm_float_new(rt, 0.0);
    assert_int_equal(pmi_code_const_equal(rt, i0, f0), 0);
    assert_int_equal(pmi_code_const_equal(rt, i0, PM_FALSE), 0);
    assert_int_equal(pmi_code_const_equal(rt, f0, fm0), 0);
    assert_int_equal(pmi_code_const_equal(rt, f0, f0b), 1);
    pm_object *t1 = pm_tuple_pack(rt, 1, i0), *t2 = pm_tuple_pack(rt, 1, f0);
    assert_int_equal(pm_equal(rt, t1, t2), 1);          /* == says equal ... */
    assert_int_equal(pmi_code_const_equal(rt, t1, t2), 0); /* ... the key does not */
    pm_decref(rt, t1);
    pm_decref(rt, t2);
    pm_decref(rt, i0);
    pm_decref(rt, f0);
    pm_decref(rt, fm0);
    pm_decref(rt, f0b);

    /* .pyc header checks */
    pm_object *pyc = pmi_pyc_write(rt, a, 0x01020304, 77);
    assert_non_null(pyc);
    const unsigned char *p = (const unsigned char *)pm_bytes_data(pyc);
    assert_int_equal(p[0] | p[1] << 8, PMI_PYC_MAGIC_NUMBER);
    assert_int_equal(p[2], '\r');
    assert_int_equal(p[3], '\n');
    assert_int_equal(p[8], 4);
    assert_int_equal(p[12], 77);
    unsigned char *bad = malloc((size_t)pm_bytes_size(pyc));
    memcpy(bad, p, (size_t)pm_bytes_size(pyc));
    bad[0] ^= 1;
    assert_null(pmi_pyc_read(rt, bad, (size_t)pm_bytes_size(pyc)));
    assert_string_equal(pm_err_message(rt), "bad magic number in .pyc");
    pm_err_clear(rt);
    free(bad);
    pm_decref(rt, pyc);
    pm_decref(rt, a);
    pm_decref(rt, b);
    free(data);
    pm_runtime_free(rt);
}

static void test_magic_matches_python(void **state) {
    (void)state;
    char *out = py("import importlib.util\nprint(int.from_bytes(importlib.util.MAGIC_NUMBER[:2], 'little'), importlib.util.MAGIC_NUMBER[2:] == b'\\r\\n')\n");
    char expect[64];
    snprintf(expect, sizeof expect, "%d True\n", PMI_PYC_MAGIC_NUMBER);
    assert_string_equal(out, expect);
    free(out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opcodes_match_python),
        cmocka_unit_test(test_magic_matches_python),
        cmocka_unit_test(test_values_both_ways),
        cmocka_unit_test(test_malformed_messages),
        cmocka_unit_test(test_truncated_and_corrupted),
        cmocka_unit_test(test_fault_sweep),
        cmocka_unit_test(test_code_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
