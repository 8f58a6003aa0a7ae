/* The shared '', one-character latin-1 strs, b'', one-byte bytes and ()
 * (issue 11, "numbers"): `x is y` for the ways Python code makes them,
 * each answer compared with python3's. */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

static pm_object *S(pm_runtime *rt, const char *utf8) {
    pm_object *o = pm_str_from_cstr(rt, utf8);
    assert_non_null(o);
    return o;
}
static pm_object *chr_(pm_runtime *rt, uint32_t c) {
    pm_object *o = pm_str_from_ucs4(rt, &c, 1);
    assert_non_null(o);
    return o;
}
static pm_object *B(pm_runtime *rt, const char *data, pm_ssize_t n) {
    pm_object *o = pm_bytes_new(rt, data, n);
    assert_non_null(o);
    return o;
}
/* seq[start:stop:step] through pm_getitem with a slice object. */
static pm_object *slice_of(pm_runtime *rt, pm_object *seq, long start, long stop, long step) {
    pm_object *a = pm_int_from_long(rt, start), *b = pm_int_from_long(rt, stop), *c = pm_int_from_long(rt, step);
    pm_object *sl = pm_slice_new(rt, a, b, c);
    assert_non_null(sl);
    pm_object *r = pm_getitem(rt, seq, sl);
    assert_non_null(r);
    pm_decref(rt, sl);
    pm_decref(rt, a);
    pm_decref(rt, b);
    pm_decref(rt, c);
    return r;
}

/* One identity question: the python expression and pymm's answer. */
typedef struct question {
    const char *py;
    int answer;
} question;

static void test_identities_match_python(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    question q[40];
    int n = 0;
    pm_object *x, *y, *z, *w;
#define ASK(expr, a, b)                                            \
    do {                                                           \
        pm_object *a_ = (a), *b_ = (b);                            \
        q[n].py = (expr);                                          \
        q[n++].answer = a_ == b_;                                  \
        pm_decref(rt, a_);                                         \
        pm_decref(rt, b_);                                         \
    } while (0)

    x = S(rt, "abc");
    ASK("v('abc')[0] is chr(97)", pm_str_getitem(rt, x, 0), chr_(rt, 97));
    ASK("v('abc')[-1] is v('xc')[1]", pm_str_getitem(rt, x, -1), pm_str_getitem(rt, y = S(rt, "xc"), 1));
    pm_decref(rt, y);
    ASK("v('abc')[0:1] is chr(97)", pm_str_slice(rt, x, 0, 1, 1), chr_(rt, 97));
    ASK("v('abc')[1:1] is v('')", pm_str_slice(rt, x, 1, 1, 1), S(rt, ""));
    ASK("v('abc')[::3] is chr(97)", pm_str_slice(rt, x, PM_SLICE_NONE, PM_SLICE_NONE, 3), chr_(rt, 97));
    ASK("v('abc')[2:0:1] is v('')", slice_of(rt, x, 2, 0, 1), S(rt, ""));
    ASK("v('abc')[::-5] is v('c')[0]", slice_of(rt, x, 2, -10, -5), pm_str_getitem(rt, y = S(rt, "c"), 0));
    pm_decref(rt, y);
    ASK("v('abc') * 0 is v('')", pm_str_repeat(rt, x, 0), S(rt, ""));
    ASK("v('') * 5 is v('')", pm_str_repeat(rt, y = S(rt, ""), 5), S(rt, ""));
    pm_decref(rt, y);
    y = pm_str_concat(rt, x, z = S(rt, "d"));
    pm_decref(rt, z);
    ASK("(lambda s: s * v(1) is s)(v('abc') + v('d'))", pm_str_repeat(rt, y, 1), pm_newref(rt, y));
    ASK("(lambda s: s + v('') is s)(v('abc') + v('d'))", pm_str_concat(rt, y, z = S(rt, "")), pm_newref(rt, y));
    pm_decref(rt, z);
    ASK("(lambda s: v('') + s is s)(v('abc') + v('d'))", pm_str_concat(rt, z = S(rt, ""), y), pm_newref(rt, y));
    pm_decref(rt, z);
    z = pm_list_new(rt);
    pm_list_append(rt, z, y);
    ASK("(lambda s: v('').join([s]) is s)(v('abc') + v('d'))", pm_str_join(rt, w = S(rt, "-"), z), pm_newref(rt, y));
    pm_decref(rt, w);
    pm_decref(rt, z);
    pm_decref(rt, y);
    z = pm_list_new(rt);
    ASK("v('').join([]) is v('')", pm_str_join(rt, w = S(rt, "-"), z), S(rt, ""));
    pm_list_append(rt, z, y = chr_(rt, 97));
    pm_list_append(rt, z, w);
    pm_decref(rt, y);
    pm_decref(rt, w);
    ASK("v('').join([chr(97), v('')]) is chr(97)", pm_str_join(rt, w = S(rt, ""), z), chr_(rt, 97));
    pm_decref(rt, w);
    pm_decref(rt, z);
    ASK("v(b'a').decode() is chr(97)", S(rt, "a"), chr_(rt, 97));
    ASK("v(b'\\xc3\\xa9').decode() is chr(0xe9)", S(rt, "\xc3\xa9"), chr_(rt, 0xe9));
    ASK("v('x\\xe9')[1] is chr(0xe9)", pm_str_getitem(rt, y = S(rt, "x\xc3\xa9"), 1), chr_(rt, 0xe9));
    pm_decref(rt, y);
    ASK("v('\\u20ac\\xe9')[1] is chr(0xe9)", pm_str_getitem(rt, y = S(rt, "\xe2\x82\xac\xc3\xa9"), 1), chr_(rt, 0xe9));
    ASK("v('\\u20ac\\xe9')[1:2] is chr(0xe9)", pm_str_slice(rt, y, 1, 2, 1), chr_(rt, 0xe9));
    ASK("chr(0x20ac) is chr(0x20ac)", pm_str_getitem(rt, y, 0), chr_(rt, 0x20ac));
    pm_decref(rt, y);
    ASK("chr(255) is v('\\xff')[0]", chr_(rt, 255), pm_str_getitem(rt, y = S(rt, "\xc3\xbf"), 0));
    pm_decref(rt, y);
    ASK("chr(256) is chr(256)", chr_(rt, 256), chr_(rt, 256));
    ASK("str(5) is chr(53)", pm_str(rt, y = pm_int_from_long(rt, 5)), chr_(rt, 53));
    pm_decref(rt, y);
    ASK("repr(-7)[1] is chr(55)", pm_str_getitem(rt, z = pm_repr(rt, y = pm_int_from_long(rt, -7)), 1),
        chr_(rt, 55));
    pm_decref(rt, z);
    pm_decref(rt, y);
    pm_decref(rt, x);

    /* bytes */
    x = B(rt, "abc", 3);
    ASK("bytes() is v(b'')", pm_bytes_new(rt, NULL, 0), B(rt, "", 0));
    ASK("v(b'abc')[0:0] is v(b'')", slice_of(rt, x, 0, 0, 1), B(rt, "", 0));
    ASK("v(b'abc')[0:1] is bytes([97])", slice_of(rt, x, 0, 1, 1), B(rt, "a", 1));
    ASK("v(b'abc')[::3] is bytes([97])", slice_of(rt, x, 0, 3, 3), B(rt, "a", 1));
    ASK("v(b'abc')[1::-2] is bytes([98])", slice_of(rt, x, 1, -10, -2), B(rt, "b", 1));
    ASK("(lambda b: b + v(b'') is b)(v(b'abc') + v(b'd'))", pm_bytes_concat(rt, y = pm_bytes_concat(rt, x, z = B(rt, "d", 1)), w = B(rt, "", 0)), pm_newref(rt, y));
    pm_decref(rt, w);
    ASK("(lambda b: v(b'') + b is b)(v(b'abc') + v(b'd'))", pm_bytes_concat(rt, w = B(rt, "", 0), y), pm_newref(rt, y));
    pm_decref(rt, w);
    pm_decref(rt, y);
    pm_decref(rt, z);
    ASK("bytes(1) is bytes([0])", pm_bytes_new(rt, NULL, 1), B(rt, "", 1));
    ASK("v(b'\\xff')[0:1] is bytes([255])", slice_of(rt, y = B(rt, "\xff", 1), 0, 1, 1), B(rt, "\xff", 1));
    pm_decref(rt, y);
    pm_decref(rt, x);

    /* tuple */
    ASK("tuple() is v(())", pm_tuple_from_array(rt, NULL, 0), pm_tuple_pack(rt, 0));
    y = pm_int_from_long(rt, 1);
    x = pm_tuple_pack(rt, 2, y, y);
    pm_decref(rt, y);
    ASK("v((1, 1))[0:0] is v(())", slice_of(rt, x, 0, 0, 1), pm_tuple_pack(rt, 0));
    ASK("v((1, 1))[5:] is tuple([])", slice_of(rt, x, 5, 9, 1), pm_tuple_from_array(rt, NULL, 0));
    pm_decref(rt, x);
#undef ASK

    /* python3's answers, one per line */
    size_t cap = 64 * 1024;
    char *script = malloc(cap), *out = malloc(cap);
    size_t len = 0;
    /* v() hides literals from the compiler's constant folding */
    len += (size_t)snprintf(script, cap, "def v(x): return x\n");
    for (int i = 0; i < n; i++) len += (size_t)snprintf(script + len, cap - len, "print(%s)\n", q[i].py);
    int st = tu_python(script, out, cap);
    if (st != 0) fail_msg("python3 could not be run (status %d)", st);
    char *line = out;
    for (int i = 0; i < n; i++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = 0;
        const char *mine = q[i].answer ? "True" : "False";
        if (strcmp(mine, line) != 0) fail_msg("%s: pymm %s, python3 %s", q[i].py, mine, line);
        line = nl + 1;
    }
    free(script);
    free(out);
    pm_runtime_free(rt);
}

/* The shared objects behave as ordinary ones: counts never change, hash
 * and getsizeof are a str's, a latin-1 character's UTF-8 form is inline
 * (asking for it allocates nothing and getsizeof stays 74); making them
 * takes nothing from the allocator. */
static void test_shared_objects_behave(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_alloc_stats st;
    pm_alloc_stats_get(rt, &st);
    size_t before = st.small_bytes_in_use + st.large_bytes;
    pm_object *a = chr_(rt, 97), *e = chr_(rt, 0xe9), *empty = S(rt, ""), *eb = B(rt, "", 0);
    pm_alloc_stats_get(rt, &st);
    assert_int_equal(st.small_bytes_in_use + st.large_bytes, before);
    assert_true(pm_is_immortal(a));
    assert_int_equal(pm_getsizeof(rt, a), 50);
    assert_int_equal(pm_getsizeof(rt, e), 74);
    assert_int_equal(pm_getsizeof(rt, empty), 49);
    assert_int_equal(pm_getsizeof(rt, eb), 33);
    assert_int_equal(pm_str_length(empty), 0);
    assert_int_equal(pm_hash(rt, empty), 0);
    assert_int_equal(pm_hash(rt, eb), 0);
    pm_ssize_t n;
    const char *u = pm_str_as_utf8(rt, e, &n);
    assert_int_equal(n, 2);
    assert_memory_equal(u, "\xc3\xa9", 3);
    assert_int_equal(pm_getsizeof(rt, e), 74);
    pm_alloc_stats_get(rt, &st);
    assert_int_equal(st.small_bytes_in_use + st.large_bytes, before);
    /* equal to, and hashing like, a fresh 'a' made by a step slice */
    pm_object *abc = S(rt, "abc"), *fresh = pm_str_slice(rt, abc, 0, 3, 3);
    assert_ptr_not_equal(fresh, a);
    assert_int_equal(pm_equal(rt, fresh, a), 1);
    assert_int_equal(pm_hash(rt, fresh), pm_hash(rt, a));
    /* interning one is harmless */
    pm_object *ia = pm_str_intern(rt, a);
    assert_ptr_equal(ia, a);
    pm_object *ifresh = pm_str_intern(rt, fresh);
    assert_ptr_equal(ifresh, a);
    pm_decref(rt, ifresh);
    pm_decref(rt, ia);
    pm_decref(rt, fresh);
    pm_decref(rt, abc);
    /* making them never needs memory, as in CPython */
    abc = S(rt, "abc");
    pm_fault_inject(rt, 1, 1);
    pm_object *a2 = pm_str_from_cstr(rt, "a"), *a3 = chr_(rt, 97), *e2 = S(rt, ""), *b2 = B(rt, "a", 1);
    pm_object *s_x = pm_str_getitem(rt, abc, 0);
    assert_int_equal(pm_fault_fired(rt), 0);
    pm_fault_inject(rt, 0, 0);
    assert_ptr_equal(a2, a);
    assert_ptr_equal(a3, a);
    assert_ptr_equal(s_x, a);
    assert_ptr_equal(e2, empty);
    assert_int_equal(pm_bytes_size(b2), 1);
    pm_object *more[] = {a2, a3, e2, b2, s_x, abc};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) pm_decref(rt, more[i]);
    for (int i = 0; i < 1000; i++) pm_decref(rt, a);   /* immortal: nothing happens */
    pm_decref(rt, e);
    pm_decref(rt, empty);
    pm_decref(rt, eb);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identities_match_python),
        cmocka_unit_test(test_shared_objects_behave),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
