/* str: PEP 393 storage and sizes, UTF-8 decoding and its errors, repr
 * quoting/escaping, hash, comparison, and the intern table — against
 * python3 where python3 can say. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

static size_t small_in_use(pm_runtime *rt) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    return s.small_bytes_in_use + s.large_blocks;
}

static uint32_t rand_cp(uint64_t *st) {
    static const uint32_t special[] = {'\'', '"', '\\', '\n', '\t', '\r', 0, 0x7f, 0x80, 0xa0, 0xad,
                                       0xe9, 0xff, 0x100, 0x2028, 0x20ac, 0xd800, 0xdfff, 0xfffe,
                                       0xe000, 0x1f600, 0x10ffff, 0xe0001, 0x378};
    uint64_t r = tu_rand(st);
    switch (r % 6) {
    case 0: return (uint32_t)(0x20 + (r >> 8) % 95);
    case 1: return special[(r >> 8) % (sizeof special / sizeof special[0])];
    case 2: return (uint32_t)((r >> 8) % 0x100);
    case 3: return (uint32_t)((r >> 8) % 0x10000);
    case 4: return (uint32_t)((r >> 8) % 0x110000);
    default: return (uint32_t)('a' + (r >> 8) % 26);
    }
}

#define NSTR 400

static void test_repr_size_vs_python(void **state) {
    (void)state;
    tu_need_python3();
    uint64_t st = 99;
    static uint32_t cps[NSTR][24];
    static int lens[NSTR];
    size_t cap = NSTR * 24 * 10 + 1000;
    char *code = malloc(cap);
    size_t len = (size_t)snprintf(code, cap, "import sys\nL=[");
    for (int i = 0; i < NSTR; i++) {
        lens[i] = (int)(tu_rand(&st) % 24);
        /* keep some strings pure ASCII / latin-1 so every kind is covered */
        uint32_t limit = i % 4 == 0 ? 0x80 : i % 4 == 1 ? 0x100 : 0x110000;
        len += (size_t)snprintf(code + len, cap - len, "[");
        for (int j = 0; j < lens[i]; j++) {
            uint32_t c;
            do c = rand_cp(&st); while (c >= limit);
            cps[i][j] = c;
            len += (size_t)snprintf(code + len, cap - len, "%u,", c);
        }
        len += (size_t)snprintf(code + len, cap - len, "],");
    }
    snprintf(code + len, cap - len,
             "]\nfor l in L:\n    s=''.join(map(chr,l))\n"
             "    sys.stdout.buffer.write(repr(s).encode('utf-8','surrogatepass')+b' %%d\\n' %% sys.getsizeof(s))\n");
    size_t outcap = 1 << 20;
    char *out = malloc(outcap);
    assert_int_equal(tu_python(code, out, outcap), 0);
    pm_runtime *rt = tu_runtime();
    char *line = out;
    for (int i = 0; i < NSTR; i++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = 0;
        pm_object *s = pm_str_from_ucs4(rt, cps[i], lens[i]);
        assert_non_null(s);
        size_t size = pm_getsizeof(rt, s);
        pm_object *r = pm_repr(rt, s);
        assert_non_null(r);
        char mine[1024];
        snprintf(mine, sizeof mine, "%s %zu", pm_str_as_utf8(rt, r, NULL), size);
        if (strcmp(mine, line) != 0) fail_msg("string %d:\n mine   %s\n python %s", i, mine, line);
        pm_decref(rt, r);
        pm_decref(rt, s);
        line = nl + 1;
    }
    pm_runtime_free(rt);
    free(code);
    free(out);
}

static void test_utf8_decoding(void **state) {
    (void)state;
    tu_need_python3();
    static const char *bad[] = {"\xff", "ab\x80", "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xc0\xaf",
                                "\xf4\x90\x80\x80", "x\xe2\x28\xa1", "\xf0\x9f\x98"};
    char code[2048];
    size_t len = (size_t)snprintf(code, sizeof code, "B=[");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        len += (size_t)snprintf(code + len, sizeof code - len, "b'");
        for (const unsigned char *p = (const unsigned char *)bad[i]; *p; p++)
            len += (size_t)snprintf(code + len, sizeof code - len, "\\x%02x", *p);
        len += (size_t)snprintf(code + len, sizeof code - len, "',");
    }
    snprintf(code + len, sizeof code - len,
             "]\nfor b in B:\n    try: b.decode('utf-8')\n    except UnicodeDecodeError as e: print(e)\n");
    char out[4096];
    assert_int_equal(tu_python(code, out, sizeof out), 0);
    pm_runtime *rt = tu_runtime();
    char *line = out;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *nl = strchr(line, '\n');
        *nl = 0;
        assert_null(pm_str_from_utf8(rt, bad[i], -1));
        assert_int_equal(pm_err_kind(rt), PM_EXC_UnicodeDecodeError);
        assert_true(pm_err_matches(rt, PM_EXC_ValueError));
        if (strcmp(pm_err_message(rt), line) != 0) fail_msg("case %zu: '%s' vs '%s'", i, pm_err_message(rt), line);
        pm_err_clear(rt);
        line = nl + 1;
    }
    /* round trip through every kind */
    const char *good = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    pm_object *s = pm_str_from_cstr(rt, good);
    assert_int_equal(pm_str_length(s), 4);
    assert_int_equal(pm_str_kind(s), 4);
    assert_int_equal(pm_str_read_char(s, 3), 0x1f600);
    size_t before = pm_getsizeof(rt, s);
    pm_ssize_t n;
    assert_string_equal(pm_str_as_utf8(rt, s, &n), good);
    assert_int_equal(n, (pm_ssize_t)strlen(good));
    assert_int_equal(pm_getsizeof(rt, s), before + strlen(good) + 1);  /* cached utf-8 counts, as CPython */
    pm_decref(rt, s);
    uint32_t sur[2] = {'x', 0xd800};
    s = pm_str_from_ucs4(rt, sur, 2);
    assert_null(pm_str_as_utf8(rt, s, NULL));
    assert_int_equal(pm_err_kind(rt), PM_EXC_UnicodeEncodeError);
    assert_string_equal(pm_err_message(rt),
                        "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed");
    pm_err_clear(rt);
    pm_object *r = pm_repr(rt, s);
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), "'x\\ud800'");
    pm_decref(rt, r);
    pm_decref(rt, s);
    pm_runtime_free(rt);
}

static void test_ops(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t base = small_in_use(rt);
    pm_object *a = pm_str_from_cstr(rt, "abc"), *e = pm_str_from_cstr(rt, "\xc3\xa9"),
              *emoji = pm_str_from_cstr(rt, "\xf0\x9f\x98\x80");
    pm_object *ae = pm_str_concat(rt, a, e), *aee = pm_str_concat(rt, ae, emoji);
    assert_int_equal(pm_str_kind(ae), 1);
    assert_int_equal(pm_str_kind(aee), 4);
    assert_int_equal(pm_str_length(aee), 5);
    assert_string_equal(pm_str_as_utf8(rt, aee, NULL), "abc\xc3\xa9\xf0\x9f\x98\x80");
    pm_object *c = pm_str_getitem(rt, aee, -1);
    assert_int_equal(pm_equal(rt, c, emoji), 1);
    assert_null(pm_str_getitem(rt, aee, 5));
    assert_string_equal(pm_err_message(rt), "string index out of range");
    pm_err_clear(rt);
    assert_int_equal(pm_contains(rt, aee, e), 1);
    assert_int_equal(pm_contains(rt, a, e), 0);
    assert_true(pm_str_compare(a, ae) < 0);
    assert_true(pm_str_compare(emoji, e) > 0);
    assert_int_equal(pm_richcompare_bool(rt, e, a, PM_GT), 1);
    /* hashes: '' -> 0; a str and the bytes of its latin-1 data hash alike */
    /* iteration (the sequence iterator) */
    pm_object *it = pm_iter(rt, aee), *ch;
    assert_non_null(it);
    assert_int_equal(pm_getsizeof(rt, it), 48);
    int count = 0;
    while ((ch = pm_iter_next(rt, it)) != NULL) {
        assert_int_equal(pm_str_length(ch), 1);
        assert_int_equal(pm_str_read_char(ch, 0), pm_str_read_char(aee, count));
        pm_decref(rt, ch);
        count++;
    }
    assert_int_equal(pm_err_occurred(rt), 0);
    assert_int_equal(count, 5);
    assert_null(pm_iter_next(rt, it));
    pm_decref(rt, it);
    /* slices, repeat, join (against python's answers, written here) */
    pm_object *sl = pm_str_slice(rt, aee, 1, PM_SLICE_NONE, 2);      /* 'abcé😀'[1::2] == 'bé' */
    assert_string_equal(pm_str_as_utf8(rt, sl, NULL), "b\xc3\xa9");
    assert_int_equal(pm_str_kind(sl), 1);                             /* narrowest kind again */
    pm_decref(rt, sl);
    sl = pm_str_slice(rt, aee, PM_SLICE_NONE, PM_SLICE_NONE, -1);
    assert_string_equal(pm_str_as_utf8(rt, sl, NULL), "\xf0\x9f\x98\x80\xc3\xa9" "cba");
    pm_decref(rt, sl);
    pm_object *sli = pm_slice_from_ssize(rt, -3, PM_SLICE_NONE, PM_SLICE_NONE);
    sl = pm_getitem(rt, aee, sli);
    assert_string_equal(pm_str_as_utf8(rt, sl, NULL), "c\xc3\xa9\xf0\x9f\x98\x80");
    pm_decref(rt, sl);
    pm_decref(rt, sli);
    sl = pm_str_repeat(rt, e, 3);
    assert_int_equal(pm_getsizeof(rt, sl), 72 + 4);
    pm_decref(rt, sl);
    pm_object *sep = pm_str_from_cstr(rt, ", ");
    sl = pm_str_join(rt, sep, aee);                                   /* ', '.join('abcé😀') */
    assert_string_equal(pm_str_as_utf8(rt, sl, NULL), "a, b, c, \xc3\xa9, \xf0\x9f\x98\x80");
    pm_decref(rt, sl);
    pm_decref(rt, sep);
    pm_object *fm = pm_str_from_format(rt, "<%s object at %p> %d%s", "C", (void *)0x10, 42, "\xe2\x82\xac");
    assert_string_equal(pm_str_as_utf8(rt, fm, NULL), "<C object at 0x10> 42\xe2\x82\xac");
    assert_int_equal(pm_str_kind(fm), 2);
    pm_decref(rt, fm);
    char longfmt[600];
    memset(longfmt, 'y', sizeof longfmt - 1);
    longfmt[sizeof longfmt - 1] = 0;
    fm = pm_str_from_format(rt, "%s!", longfmt);
    assert_int_equal(pm_str_length(fm), 600);
    pm_decref(rt, fm);
    pm_object *empty = pm_str_from_cstr(rt, "");
    assert_int_equal(pm_hash(rt, empty), 0);
    pm_object *b = pm_bytes_new(rt, "abc", 3);
    assert_int_equal(pm_hash(rt, a), pm_hash(rt, b));
    pm_object *a2 = pm_str_from_utf8(rt, "abcd", 3);
    assert_ptr_not_equal(a, a2);
    assert_int_equal(pm_hash(rt, a), pm_hash(rt, a2));
    assert_int_equal(pm_equal(rt, a, a2), 1);
    assert_int_equal(pm_equal(rt, a, b), 0);              /* str != bytes */
    assert_true(pm_str_equal_cstr(a, "abc"));
    for (pm_object **p = (pm_object *[]){a, e, emoji, ae, aee, c, empty, b, a2, NULL}; *p; p++) pm_decref(rt, *p);
    assert_int_equal(small_in_use(rt), base);
    pm_runtime_free(rt);
}

static void test_interning(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t base = small_in_use(rt);
    pm_object *x1 = pm_str_from_cstr(rt, "name"), *x2 = pm_str_from_cstr(rt, "name");
    assert_ptr_not_equal(x1, x2);
    pm_object *i1 = pm_str_intern(rt, x1), *i2 = pm_str_intern(rt, x2);
    assert_ptr_equal(i1, x1);
    assert_ptr_equal(i2, x1);                             /* the canonical one */
    assert_true(pm_str_is_interned(x1));
    assert_false(pm_str_is_interned(x2));
    assert_int_equal(pm_intern_count(rt), 1);
    pm_object *i3 = pm_str_intern_cstr(rt, "name");
    assert_ptr_equal(i3, x1);
    assert_int_equal(pm_refcnt(rt, x1), 4);               /* x1, i1, i2, i3: the table holds none */
    pm_decref(rt, i1);
    pm_decref(rt, i2);
    pm_decref(rt, i3);
    pm_decref(rt, x2);
    pm_decref(rt, x1);                                    /* last ref: leaves the table */
    assert_int_equal(pm_intern_count(rt), 0);
    /* many strings: the table grows; all leave when dropped */
    enum { M = 5000 };
    pm_object **keep = malloc(M * sizeof *keep);
    for (int i = 0; i < M; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "id%d", i);
        keep[i] = pm_str_intern_cstr(rt, buf);
        assert_non_null(keep[i]);
    }
    assert_int_equal(pm_intern_count(rt), M);
    pm_object *again = pm_str_intern_cstr(rt, "id1234");
    assert_ptr_equal(again, keep[1234]);
    pm_decref(rt, again);
    /* a failed table resize keeps the old table: interning goes on un-interned */
    size_t cap = rt->intern.mask + 1, used = rt->intern.used;
    int filled = 0;
    pm_fault_inject(rt, 1, 1);
    for (int i = 0; !filled && i < 100000; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "zz%d", i);
        /* the string itself is made before the fault is armed */
        pm_fault_inject(rt, 0, 0);
        pm_object *s = pm_str_from_cstr(rt, buf);
        assert_non_null(s);
        pm_fault_inject(rt, 1, 1);
        pm_object *r = pm_str_intern(rt, s);
        assert_ptr_equal(r, s);
        assert_int_equal(pm_err_occurred(rt), 0);
        if (!pm_str_is_interned(s)) filled = 1;
        pm_decref(rt, r);
        /* keep these alive until the end */
        if (!filled) {
            pm_fault_inject(rt, 0, 0);
            keep = realloc(keep, (M + (size_t)i + 1) * sizeof *keep);
            keep[M + i] = s;
            pm_fault_inject(rt, 1, 1);
        } else {
            pm_decref(rt, s);
        }
        used = rt->intern.used;
    }
    pm_fault_inject(rt, 0, 0);
    assert_true(filled);
    assert_int_equal(rt->intern.mask + 1, cap);          /* never grew */
    assert_true(used * 8 >= cap * 7 - 8);                 /* filled up to 7/8 */
    for (size_t i = 0; i < used; i++) {
        if (i < M) pm_decref(rt, keep[i]);
        else pm_decref(rt, keep[i]);
    }
    free(keep);
    assert_int_equal(pm_intern_count(rt), 0);
    pm_object *leak = pm_str_intern_cstr(rt, "still interned at exit");
    (void)leak;                                           /* freed with the runtime */
    (void)base;
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repr_size_vs_python),
        cmocka_unit_test(test_utf8_decoding),
        cmocka_unit_test(test_ops),
        cmocka_unit_test(test_interning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
