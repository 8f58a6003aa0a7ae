/* bytes and bytearray: sizes, repr, bytearray's over-allocation and its
 * export count, against python3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

static char *repr_of(pm_runtime *rt, pm_object *o, char *buf, size_t n) {
    pm_object *r = pm_repr(rt, o);
    assert_non_null(r);
    snprintf(buf, n, "%s", pm_str_as_utf8(rt, r, NULL));
    pm_decref(rt, r);
    return buf;
}

#define NB 300

static void test_repr_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    uint64_t st = 5;
    static unsigned char data[NB][32];
    static int lens[NB];
    size_t cap = NB * 32 * 5 + 1000;
    char *code = malloc(cap);
    size_t len = (size_t)snprintf(code, cap, "L=[");
    for (int i = 0; i < NB; i++) {
        lens[i] = (int)(tu_rand(&st) % 32);
        len += (size_t)snprintf(code + len, cap - len, "bytes([");
        for (int j = 0; j < lens[i]; j++) {
            uint64_t r = tu_rand(&st);
            unsigned char c = r % 3 == 0   ? (unsigned char)((r >> 8) % 256)
                              : r % 3 == 1 ? (unsigned char)(0x20 + (r >> 8) % 95)
                                           : (unsigned char)"'\"\\\t\n\r\x7f"[(r >> 8) % 7];
            data[i][j] = c;
            len += (size_t)snprintf(code + len, cap - len, "%u,", c);
        }
        len += (size_t)snprintf(code + len, cap - len, "]),");
    }
    snprintf(code + len, cap - len, "]\nfor b in L: print(repr(b)); print(repr(bytearray(b)))\n");
    size_t outcap = 1 << 20;
    char *out = malloc(outcap);
    assert_int_equal(tu_python(code, out, outcap), 0);
    pm_runtime *rt = tu_runtime();
    char *line = out, buf[512];
    for (int i = 0; i < NB; i++) {
        pm_object *b = pm_bytes_new(rt, data[i], lens[i]);
        pm_object *ba = pm_bytearray_new(rt, data[i], lens[i]);
        char *nl = strchr(line, '\n');
        *nl = 0;
        assert_string_equal(repr_of(rt, b, buf, sizeof buf), line);
        line = nl + 1;
        nl = strchr(line, '\n');
        *nl = 0;
        assert_string_equal(repr_of(rt, ba, buf, sizeof buf), line);
        line = nl + 1;
        assert_int_equal(pm_equal(rt, ba, b), 1);
        pm_decref(rt, b);
        pm_decref(rt, ba);
    }
    pm_runtime_free(rt);
    free(code);
    free(out);
}

/* getsizeof of a bytearray after each append, then after each `del b[-1]`,
 * and after extends — the over-allocation pattern of PyByteArray_Resize. */
static void test_bytearray_growth_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    char *out = malloc(1 << 16);
    assert_int_equal(tu_python("import sys\nb=bytearray()\nr=[sys.getsizeof(b)]\n"
                               "for i in range(200):\n    b.append(i)\n    r.append(sys.getsizeof(b))\n"
                               "for i in range(180):\n    del b[-1]\n    r.append(sys.getsizeof(b))\n"
                               "for i in range(30):\n    b.extend(b'x'*(i*7))\n    r.append(sys.getsizeof(b))\n"
                               "print(*r)\n",
                               out, 1 << 16),
                     0);
    pm_runtime *rt = tu_runtime();
    pm_object *b = pm_bytearray_new(rt, NULL, 0);
    char *p = out;
    long expect = strtol(p, &p, 10);
    assert_int_equal((long)pm_getsizeof(rt, b), expect);
    pm_object *minus1 = pm_int_from_long(rt, -1);
    for (int step = 0; step < 410; step++) {
        if (step < 200) {
            assert_int_equal(pm_bytearray_append(rt, b, step), 0);
        } else if (step < 380) {
            assert_int_equal(pm_delitem(rt, b, minus1), 0);
        } else {
            char xs[256];
            memset(xs, 'x', sizeof xs);
            assert_int_equal(pm_bytearray_extend(rt, b, xs, (step - 380) * 7), 0);
        }
        expect = strtol(p, &p, 10);
        if ((long)pm_getsizeof(rt, b) != expect) fail_msg("step %d: %zu vs python %ld", step, pm_getsizeof(rt, b), expect);
    }
    assert_int_equal(pm_bytearray_data(b)[0], 0);
    assert_int_equal(pm_bytearray_data(b)[19], 19);
    pm_decref(rt, b);
    pm_runtime_free(rt);
    free(out);
}

static void test_exports_block_resize(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *b = pm_bytearray_new(rt, "abc", 3);
    pmi_bytearray_export(b);
    assert_int_equal(pm_bytearray_exports(b), 1);
    assert_int_equal(pm_bytearray_append(rt, b, 'd'), -1);
    assert_int_equal(pm_err_kind(rt), PM_EXC_BufferError);
    assert_string_equal(pm_err_message(rt), "Existing exports of data: object cannot be re-sized");
    pm_err_clear(rt);
    pm_object *zero = pm_int_from_long(rt, 0), *v = pm_int_from_long(rt, 65);
    assert_int_equal(pm_setitem(rt, b, zero, v), 0);          /* in-place writes are fine */
    assert_int_equal(pm_delitem(rt, b, zero), -1);
    pm_err_clear(rt);
    assert_int_equal(pm_bytearray_size(b), 3);
    assert_memory_equal(pm_bytearray_data(b), "Abc", 3);
    pmi_bytearray_unexport(b);
    assert_int_equal(pm_bytearray_append(rt, b, 'd'), 0);
    assert_memory_equal(pm_bytearray_data(b), "Abcd", 5);
    pm_object *big = pm_int_from_long(rt, 256);
    assert_int_equal(pm_setitem(rt, b, zero, big), -1);
    assert_string_equal(pm_err_message(rt), "byte must be in range(0, 256)");
    pm_err_clear(rt);
    pm_decref(rt, b);
    pm_runtime_free(rt);
}

static void test_bytes_ops(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *a = pm_bytes_new(rt, "ab", 2), *c = pm_bytes_new(rt, "c\0d", 3);
    pm_object *ac = pm_bytes_concat(rt, a, c);
    assert_int_equal(pm_bytes_size(ac), 5);
    assert_memory_equal(pm_bytes_data(ac), "abc\0d", 6);
    assert_int_equal(pm_getsizeof(rt, ac), 33 + 5);
    pm_object *i = pm_int_from_long(rt, -1), *item = pm_getitem(rt, ac, i);
    assert_int_equal(pm_int_as_long(rt, item), 'd');
    assert_int_equal(pm_richcompare_bool(rt, a, ac, PM_LT), 1);
    assert_int_equal(pm_length(rt, ac), 5);
    pm_object *sl = pm_slice_from_ssize(rt, PM_SLICE_NONE, PM_SLICE_NONE, -2), *rev = pm_getitem(rt, ac, sl);
    assert_int_equal(pm_bytes_size(rev), 3);
    assert_memory_equal(pm_bytes_data(rev), "dca", 3);                /* b'abc\0d'[::-2] */
    pm_object *ba = pm_bytearray_new(rt, "hello", 5), *bsl = pm_getitem(rt, ba, sl);
    assert_true(pm_bytearray_check(bsl));
    assert_memory_equal(pm_bytearray_data(bsl), "olh", 3);
    pm_decref(rt, bsl);
    pm_decref(rt, ba);
    pm_decref(rt, rev);
    pm_decref(rt, sl);
    for (pm_object **p = (pm_object *[]){a, c, ac, item, NULL}; *p; p++) pm_decref(rt, *p);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repr_vs_python),
        cmocka_unit_test(test_bytearray_growth_vs_python),
        cmocka_unit_test(test_exports_block_resize),
        cmocka_unit_test(test_bytes_ops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
