/* The number protocol through pm_number_binop / the unary operators,
 * differentially against python3: every binary and in-place operator of
 * BINARY_OP over a matrix of int, bool, float, complex, str, list, tuple
 * operands — results, reflected-operand order, sequence fallbacks (+ and *)
 * and CPython's error texts — and the unary operators, pow with a modulus,
 * divmod and operator.index. */
#include "testutil.h"
#include "core/object.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The operands: make_value(i) builds the Python expression vals[i] of
 * py_prelude below. */
#define NVALS 13

static pm_object *make_value(pm_runtime *rt, int i) {
    switch (i) {
    case 0: return pm_int_from_long(rt, 3);
    case 1: return pm_int_from_long(rt, -7);
    case 2: return PM_TRUE;
    case 3: return PM_FALSE;
    case 4: return pm_float_new(rt, 2.5);
    case 5: return pm_str_from_cstr(rt, "ab");
    case 6: {
        pm_object *l = pm_list_new(rt), *x;
        x = pm_int_from_long(rt, 1);
        pm_list_append(rt, l, x);
        pm_decref(rt, x);
        x = pm_int_from_long(rt, 2);
        pm_list_append(rt, l, x);
        pm_decref(rt, x);
        return l;
    }
    case 7: {
        pm_object *x = pm_int_from_long(rt, 1);
        pm_object *t = pm_tuple_pack(rt, 1, x);
        pm_decref(rt, x);
        return t;
    }
    case 8: return pm_int_from_long(rt, 0);
    case 9: return pm_complex_new(rt, 0.0, 1.0);
    case 10: return pm_int_from_string(rt, "1180591620717411303424", -1, 10);
    case 11: return pm_float_new(rt, 0.0);
    default: return pm_bytes_new(rt, "xy", 2);
    }
}

/* Pairs left out on both sides: results too big to compute. */
static int skipped(int op, int a, int b) {
    int bop = op % 13;
    (void)a;
    return (bop == PM_NB_POWER || bop == PM_NB_LSHIFT) && b == 10;
}

/* Append "repr\n" of r, or "Exc: msg\n" of the pending error. */
static void put_result(pm_runtime *rt, pm_object *r, char **out, size_t *len, size_t *cap) {
    char line[600];
    if (r) {
        pm_object *s = pm_repr(rt, r);
        assert_non_null(s);
        snprintf(line, sizeof line, "%s\n", pm_str_as_utf8(rt, s, NULL));
        pm_decref(rt, s);
        pm_decref(rt, r);
    } else {
        assert_true(pm_err_occurred(rt));
        snprintf(line, sizeof line, "%s: %s\n", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
        pm_err_clear(rt);
    }
    size_t n = strlen(line);
    if (*len + n + 1 > *cap) {
        *cap = (*cap + n + 1) * 2;
        *out = realloc(*out, *cap);
        assert_non_null(*out);
    }
    memcpy(*out + *len, line, n + 1);
    *len += n;
}

static const char py_prelude[] =
    "vals = ['3', '-7', 'True', 'False', '2.5', \"'ab'\", '[1, 2]', '(1,)', '0', '1j', '2**70', '0.0', \"b'xy'\"]\n"
    "ops = ['+', '&', '//', '<<', '@', '*', '%', '|', '**', '>>', '-', '/', '^']\n"
    "def show(f):\n"
    "    try:\n"
    "        print(repr(f()))\n"
    "    except Exception as e:\n"
    "        print('%s: %s' % (type(e).__name__, e))\n";

static void compare(const char *mine, const char *theirs) {
    if (strcmp(mine, theirs) == 0) return;
    /* show the first differing line */
    const char *a = mine, *b = theirs;
    int line = 1;
    while (*a && *a == *b) {
        if (*a == '\n') line++;
        a++, b++;
    }
    fail_msg("line %d differs:\npymm:    %.200s\npython3: %.200s", line, a, b);
}

static void test_binop_matrix(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    size_t len = 0, cap = 1 << 16;
    char *mine = malloc(cap);
    assert_non_null(mine);
    mine[0] = 0;
    for (int op = 0; op < 26; op++)
        for (int a = 0; a < NVALS; a++)
            for (int b = 0; b < NVALS; b++) {
                if (skipped(op, a, b)) continue;
                pm_object *x = make_value(rt, a), *y = make_value(rt, b);
                assert_true(x && y);
                pm_object *r = pm_number_binop(rt, x, y, op);
                put_result(rt, r, &mine, &len, &cap);
                pm_decref(rt, x);
                pm_decref(rt, y);
            }
    char *code = malloc(4096);
    snprintf(code, 4096,
             "%s"
             "for op in range(26):\n"
             "    for a in range(len(vals)):\n"
             "        for b in range(len(vals)):\n"
             "            if op %% 13 in (3, 8) and b == 10: continue\n"
             "            A, B = vals[a], vals[b]\n"
             "            if op < 13:\n"
             "                show(lambda: eval('(%%s) %%s (%%s)' %% (A, ops[op], B)))\n"
             "            else:\n"
             "                def f():\n"
             "                    ns = {'x': eval(A), 'y': eval(B)}\n"
             "                    exec('x %%s= y' %% ops[op - 13], ns)\n"
             "                    return ns['x']\n"
             "                show(f)\n",
             py_prelude);
    char *theirs = malloc(1 << 19);
    tu_python(code, theirs, 1 << 19);
    compare(mine, theirs);
    free(code);
    free(theirs);
    free(mine);
    pm_runtime_free(rt);
}

static void test_unary_and_more(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    size_t len = 0, cap = 1 << 14;
    char *mine = malloc(cap);
    assert_non_null(mine);
    mine[0] = 0;
    pm_object *(*const un[])(pm_runtime *, pm_object *) = {
        pm_number_negative, pm_number_positive, pm_number_absolute, pm_number_invert, pm_index,
    };
    for (int u = 0; u < 5; u++)
        for (int a = 0; a < NVALS; a++) {
            pm_object *x = make_value(rt, a);
            put_result(rt, un[u](rt, x), &mine, &len, &cap);
            pm_decref(rt, x);
        }
    /* divmod, three-argument pow */
    for (int a = 0; a < NVALS; a++)
        for (int b = 0; b < NVALS; b++) {
            pm_object *x = make_value(rt, a), *y = make_value(rt, b);
            put_result(rt, pm_number_divmod(rt, x, y), &mine, &len, &cap);
            pm_decref(rt, x);
            pm_decref(rt, y);
        }
    static const long pw[][3] = {{2, 10, 7}, {3, 0, 1}, {-3, 5, 7}, {3, 5, -7}, {12345, 678, 1000007}, {2, 5, 0}};
    for (size_t k = 0; k < sizeof pw / sizeof pw[0]; k++) {
        pm_object *x = pm_int_from_long(rt, pw[k][0]), *y = pm_int_from_long(rt, pw[k][1]),
                  *z = pm_int_from_long(rt, pw[k][2]);
        put_result(rt, pm_number_power(rt, x, y, z), &mine, &len, &cap);
        pm_decref(rt, x);
        pm_decref(rt, y);
        pm_decref(rt, z);
    }
    for (int a = 0; a < NVALS; a++) {
        pm_object *x = make_value(rt, a), *two = pm_int_from_long(rt, 2), *f = pm_float_new(rt, 1.5);
        put_result(rt, pm_number_power(rt, two, two, x), &mine, &len, &cap);
        put_result(rt, pm_number_power(rt, x, two, f), &mine, &len, &cap);
        pm_decref(rt, x);
        pm_decref(rt, two);
        pm_decref(rt, f);
    }
    char *code = malloc(4096);
    snprintf(code, 4096,
             "%s"
             "import operator\n"
             "for u in ['-', '+', 'abs', '~', 'operator.index']:\n"
             "    for A in vals:\n"
             "        show(lambda: eval('%%s(%%s)' %% (u, A)))\n"
             "for A in vals:\n"
             "    for B in vals:\n"
             "        show(lambda: divmod(eval(A), eval(B)))\n"
             "for t in [(2, 10, 7), (3, 0, 1), (-3, 5, 7), (3, 5, -7), (12345, 678, 1000007), (2, 5, 0)]:\n"
             "    show(lambda: pow(*t))\n"
             "for A in vals:\n"
             "    show(lambda: pow(2, 2, eval(A)))\n"
             "    show(lambda: pow(eval(A), 2, 1.5))\n",
             py_prelude);
    char *theirs = malloc(1 << 16);
    tu_python(code, theirs, 1 << 16);
    compare(mine, theirs);
    free(code);
    free(theirs);
    free(mine);
    pm_runtime_free(rt);
}

/* Index conversions: pm_index_as_ssize's three overflow behaviours. */
static void test_index_as_ssize(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *big = pm_int_from_string(rt, "-1180591620717411303424", -1, 10);
    assert_true(pm_index_as_ssize(rt, big, PM_INDEX_CLAMP) == PM_SSIZE_MIN);
    assert_false(pm_err_occurred(rt));
    assert_int_equal(pm_index_as_ssize(rt, big, PM_INDEX_INDEXERROR), -1);
    assert_int_equal(pm_err_kind(rt), PM_EXC_IndexError);
    assert_string_equal(pm_err_message(rt), "cannot fit 'int' into an index-sized integer");
    pm_err_clear(rt);
    assert_int_equal(pm_index_as_ssize(rt, big, PM_INDEX_OVERFLOWERROR), -1);
    assert_int_equal(pm_err_kind(rt), PM_EXC_OverflowError);
    pm_err_clear(rt);
    assert_int_equal(pm_index_as_ssize(rt, PM_TRUE, PM_INDEX_CLAMP), 1);
    pm_object *f = pm_float_new(rt, 1.0);
    assert_int_equal(pm_index_as_ssize(rt, f, PM_INDEX_CLAMP), -1);
    assert_string_equal(pm_err_message(rt), "'float' object cannot be interpreted as an integer");
    pm_err_clear(rt);
    pm_decref(rt, f);
    pm_decref(rt, big);
    pm_runtime_free(rt);
}

/* Rich comparison with reflection over the same operands, plus truth,
 * len and hash (the protocol fallbacks and their texts). */
static void test_compare_matrix(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    size_t len = 0, cap = 1 << 16;
    char *mine = malloc(cap);
    assert_non_null(mine);
    mine[0] = 0;
    for (int op = PM_LT; op <= PM_GE; op++)
        for (int a = 0; a < NVALS; a++)
            for (int b = 0; b < NVALS; b++) {
                pm_object *x = make_value(rt, a), *y = make_value(rt, b);
                put_result(rt, pm_richcompare(rt, x, y, op), &mine, &len, &cap);
                pm_decref(rt, x);
                pm_decref(rt, y);
            }
    for (int a = 0; a < NVALS; a++) {
        pm_object *x = make_value(rt, a);
        int t = pm_is_true(rt, x);
        put_result(rt, t < 0 ? NULL : pm_bool_from(t), &mine, &len, &cap);
        pm_ssize_t n = pm_length(rt, x);
        put_result(rt, n < 0 ? NULL : pm_int_from_ssize(rt, n), &mine, &len, &cap);
        pm_hash_t h = pm_hash(rt, x);
        /* str/bytes hashes are randomized per process: only whether it worked */
        put_result(rt, h == -1 && pm_err_occurred(rt) ? NULL : pm_bool_from(1), &mine, &len, &cap);
        pm_decref(rt, x);
    }
    char *code = malloc(4096);
    snprintf(code, 4096,
             "%s"
             "for op in ['<', '<=', '==', '!=', '>', '>=']:\n"
             "    for A in vals:\n"
             "        for B in vals:\n"
             "            show(lambda: eval('(%%s) %%s (%%s)' %% (A, op, B)))\n"
             "for A in vals:\n"
             "    show(lambda: bool(eval(A)))\n"
             "    show(lambda: len(eval(A)))\n"
             "    show(lambda: hash(eval(A)) is not None)\n",
             py_prelude);
    char *theirs = malloc(1 << 16);
    tu_python(code, theirs, 1 << 16);
    compare(mine, theirs);
    free(code);
    free(theirs);
    free(mine);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binop_matrix),
        cmocka_unit_test(test_unary_and_more),
        cmocka_unit_test(test_index_as_ssize),
        cmocka_unit_test(test_compare_matrix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
