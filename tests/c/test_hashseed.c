/* Hash seeds (issue 11, "numbers"): pm_config.hash_seed / PYTHONHASHSEED.
 * Seed 0 gives CPython's exact str and bytes hashes, a seed N CPython's key
 * derivation; checked against `PYTHONHASHSEED=N python3` for strs of every
 * kind and bytes of lengths 0..40, and for tuples and frozensets built on
 * them.  Unset / "random" is random per runtime. */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

#define MAXLEN 40

typedef struct sbuf { char *p; size_t len, cap; } sbuf;
static void sb_put(sbuf *b, const char *s) {
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

/* Code points of the test string of `kind` (0 ASCII, 1 latin-1, 2 BMP,
 * 3 astral) and length n; the widest character is always present. */
static void gen_cps(uint64_t *st, int kind, int n, uint32_t *cps) {
    static const uint32_t top[] = {0x80, 0x100, 0x10000, 0x110000};
    static const uint32_t low[] = {0, 0x80, 0x100, 0x10000};
    for (int i = 0; i < n; i++) {
        uint32_t c = (uint32_t)(tu_rand(st) % top[kind]);
        if (i == n / 2 && c < low[kind]) c = low[kind] + (c % 64);
        if (c >= 0xd800 && c < 0xe000) c -= 0x800;   /* no lone surrogates */
        cps[i] = c;
    }
}

/* Objects of the test: strs of each kind and bytes, lengths 0..MAXLEN, then
 * a tuple and a frozenset of each group.  *script receives the python that
 * prints their hashes, one per line, in the same order. */
static pm_object *make_objects(pm_runtime *rt, sbuf *script) {
    pm_object *all = pm_list_new(rt);
    uint64_t st = 99;
    uint32_t cps[MAXLEN];
    char tmp[64];
    sb_put(script, "objs = []\n");
    for (int kind = 0; kind < 5; kind++) {
        pm_object *group = pm_list_new(rt);
        sb_put(script, "g = []\n");
        for (int n = 0; n <= MAXLEN; n++) {
            gen_cps(&st, kind < 4 ? kind : 1, n, cps);
            pm_object *o;
            sb_put(script, kind < 4 ? "g.append(''.join(map(chr, [" : "g.append(bytes([");
            unsigned char raw[MAXLEN];
            for (int i = 0; i < n; i++) {
                raw[i] = (unsigned char)cps[i];
                snprintf(tmp, sizeof tmp, "%u,", kind < 4 ? cps[i] : raw[i]);
                sb_put(script, tmp);
            }
            sb_put(script, kind < 4 ? "])))\n" : "]))\n");
            o = kind < 4 ? pm_str_from_ucs4(rt, cps, n) : pm_bytes_new(rt, raw, n);
            assert_non_null(o);
            if (kind < 4 && n > 0) assert_int_equal(pm_str_kind(o), kind == 3 ? 4 : kind == 2 ? 2 : 1);
            assert_int_equal(pm_list_append(rt, group, o), 0);
            pm_decref(rt, o);
        }
        /* the group's items, then tuple(group) and frozenset(group) */
        for (pm_ssize_t i = 0; i < pm_list_size(group); i++)
            assert_int_equal(pm_list_append(rt, all, pm_list_get(rt, group, i)), 0);
        pm_object *t = pm_list_as_tuple(rt, group);
        pm_object *f = pm_frozenset_new(rt, group);
        assert_non_null(t);
        assert_non_null(f);
        pm_list_append(rt, all, t);
        pm_list_append(rt, all, f);
        pm_decref(rt, t);
        pm_decref(rt, f);
        pm_decref(rt, group);
        sb_put(script, "objs += g + [tuple(g), frozenset(g)]\n");
    }
    sb_put(script, "import sys\nsys.stdout.write(''.join('%d\\n' % hash(o) for o in objs))\n");
    return all;
}

static void check_seed(const char *seed_text, long long seed) {
    pm_config cfg;
    pm_config_init(&cfg);
    cfg.hash_seed = seed;
    pm_runtime *rt = pm_runtime_new(&cfg);
    assert_non_null(rt);
    sbuf script = {0};
    pm_object *all = make_objects(rt, &script);
    setenv("PYTHONHASHSEED", seed_text, 1);
    static char out[1 << 16];
    int st = tu_python(script.p, out, sizeof out);
    unsetenv("PYTHONHASHSEED");
    if (st != 0) fail_msg("python3 could not be run (status %d)", st);
    char *line = out;
    for (pm_ssize_t i = 0; i < pm_list_size(all); i++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = 0;
        pm_hash_t h = pm_hash(rt, pm_list_get(rt, all, i));
        char got[32];
        snprintf(got, sizeof got, "%ld", (long)h);
        if (strcmp(got, line) != 0) {
            pm_object *r = pm_repr(rt, pm_list_get(rt, all, i));
            fail_msg("seed %s, object %ld %.80s: pymm %s, python3 %s", seed_text, (long)i,
                     pm_str_as_utf8(rt, r, NULL), got, line);
        }
        line = nl + 1;
    }
    assert_int_equal(*line, 0);
    pm_decref(rt, all);
    free(script.p);
    pm_runtime_free(rt);
}

static void test_seed_0(void **state) { (void)state; check_seed("0", 0); }
static void test_seed_1(void **state) { (void)state; check_seed("1", 1); }
static void test_seed_12345(void **state) { (void)state; check_seed("12345", 12345); }
static void test_seed_max(void **state) { (void)state; check_seed("4294967295", 4294967295LL); }

/* hash('abc') under seeds 0 and 12345 equals python3's (the brief's
 * example, spelled out); the empty string and b'' hash to 0. */
static void test_abc(void **state) {
    (void)state;
    static const long long seeds[] = {0, 12345};
    for (int k = 0; k < 2; k++) {
        pm_config cfg;
        pm_config_init(&cfg);
        cfg.hash_seed = seeds[k];
        pm_runtime *rt = pm_runtime_new(&cfg);
        char env[32], out[64];
        snprintf(env, sizeof env, "%lld", seeds[k]);
        setenv("PYTHONHASHSEED", env, 1);
        int st = tu_python("print(hash('abc'), hash(''), hash(b''))", out, sizeof out);
        unsetenv("PYTHONHASHSEED");
        assert_int_equal(st, 0);
        pm_object *abc = pm_str_from_cstr(rt, "abc"), *e = pm_str_from_cstr(rt, "");
        pm_object *eb = pm_bytes_new(rt, "", 0);
        char got[64];
        snprintf(got, sizeof got, "%ld %ld %ld\n", (long)pm_hash(rt, abc), (long)pm_hash(rt, e),
                 (long)pm_hash(rt, eb));
        assert_string_equal(got, out);
        pm_decref(rt, abc);
        pm_decref(rt, e);
        pm_decref(rt, eb);
        pm_runtime_free(rt);
    }
}

/* The default is random: two runtimes hash 'abc' differently (a 2**-64
 * chance of a false failure). */
static void test_random_default(void **state) {
    (void)state;
    pm_runtime *a = tu_runtime(), *b = tu_runtime();
    pm_object *x = pm_str_from_cstr(a, "abc"), *y = pm_str_from_cstr(b, "abc");
    assert_true(pm_hash(a, x) != pm_hash(b, y));
    pm_decref(a, x);
    pm_decref(b, y);
    pm_runtime_free(a);
    pm_runtime_free(b);
}

/* PYTHONHASHSEED parsing, as CPython's. */
static void test_env_parsing(void **state) {
    (void)state;
    static const struct { const char *text; int ok; long long seed; } cases[] = {
        {"random", 1, -1}, {"0", 1, 0}, {"12345", 1, 12345}, {"4294967295", 1, 4294967295LL},
        {"4294967296", 0, 0}, {"-1", 0, 0}, {"abc", 0, 0}, {"12x", 0, 0},
        {"99999999999999999999999", 0, 0}, {"", 1, 7},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pm_config cfg;
        pm_config_init(&cfg);
        cfg.hash_seed = 7;
        setenv("PYTHONHASHSEED", cases[i].text, 1);
        const char *err = NULL;
        int r = pm_config_from_env(&cfg, &err);
        unsetenv("PYTHONHASHSEED");
        if (cases[i].ok) {
            assert_int_equal(r, 0);
            assert_int_equal(cfg.hash_seed, cases[i].seed);
        } else {
            assert_int_equal(r, -1);
            assert_string_equal(err, "PYTHONHASHSEED must be \"random\" or an integer in range [0; 4294967295]");
        }
    }
    pm_config cfg;
    pm_config_init(&cfg);
    assert_int_equal(cfg.hash_seed, -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_0),
        cmocka_unit_test(test_seed_1),
        cmocka_unit_test(test_seed_12345),
        cmocka_unit_test(test_seed_max),
        cmocka_unit_test(test_abc),
        cmocka_unit_test(test_random_default),
        cmocka_unit_test(test_env_parsing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
