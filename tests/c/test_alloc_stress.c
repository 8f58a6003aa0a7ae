/* Randomized stress of the allocator against a model: random sizes, random
 * order of malloc / realloc / free, each block filled with a pattern derived
 * from its id and checked before it is resized or freed; trims (page return)
 * at random points; the full consistency check now and then. */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/runtime.h"

typedef struct slot {
    unsigned char *p;
    size_t size;
    uint64_t id;
} slot;

static void fill(slot *s) {
    for (size_t i = 0; i < s->size; i++) s->p[i] = (unsigned char)(s->id * 31 + i);
}
static void verify(const slot *s) {
    for (size_t i = 0; i < s->size; i++)
        if (s->p[i] != (unsigned char)(s->id * 31 + i)) fail_msg("block %llu corrupted at byte %zu", (unsigned long long)s->id, i);
}

static size_t random_size(uint64_t *rng) {
    uint64_t r = tu_rand(rng);
    switch (r % 16) {
    case 0: return (size_t)(r >> 8) % 20000;   /* large */
    case 1: return 0;
    default: return (size_t)(r >> 8) % 513;    /* small */
    }
}

static void run(pm_config *cfg, uint64_t seed, int nslots, int ops, int trim_every) {
    pm_runtime *rt = pm_runtime_new(cfg);
    assert_non_null(rt);
    slot *slots = calloc((size_t)nslots, sizeof *slots);
    uint64_t rng = seed, next_id = 1;
    for (int op = 0; op < ops; op++) {
        slot *s = &slots[tu_rand(&rng) % (uint64_t)nslots];
        uint64_t kind = tu_rand(&rng) % 10;
        if (!s->p) {
            s->size = random_size(&rng);
            s->p = kind < 5 ? pm_malloc(rt, s->size) : pm_calloc(rt, 1, s->size);
            assert_non_null(s->p);
            if (kind >= 5)
                for (size_t i = 0; i < s->size; i++) assert_int_equal(s->p[i], 0);
            s->id = next_id++;
            fill(s);
        } else if (kind < 3) {
            verify(s);
            size_t n = random_size(&rng);
            unsigned char *q = pm_realloc(rt, s->p, n);
            assert_non_null(q);
            s->p = q;
            size_t keep = s->size < n ? s->size : n;
            for (size_t i = 0; i < keep; i++) assert_int_equal(q[i], (unsigned char)(s->id * 31 + i));
            s->size = n;
            fill(s);
        } else {
            verify(s);
            pm_free(rt, s->p);
            s->p = NULL;
        }
        if (trim_every && tu_rand(&rng) % (uint64_t)trim_every == 0) pm_trim(rt);
        if (op % 50000 == 0) assert_int_equal(pm_alloc_check(rt, stderr), 0);
    }
    assert_int_equal(pm_alloc_check(rt, stderr), 0);
    int debug = cfg && cfg->debug_alloc;
    if (debug) pm_trim(rt); /* empties the quarantine */
    pm_alloc_stats st;
    pm_alloc_stats_get(rt, &st);
    size_t live_large = 0, overhead = debug ? 48 : 0;
    for (int i = 0; i < nslots; i++)
        if (slots[i].p && slots[i].size + overhead > 512) live_large++;
    assert_int_equal(st.large_blocks, live_large);
    for (int i = 0; i < nslots; i++) {
        if (!slots[i].p) continue;
        verify(&slots[i]);
        pm_free(rt, slots[i].p);
    }
    pm_trim(rt); /* debug mode: empties the quarantine */
    pm_alloc_stats_get(rt, &st);
    assert_int_equal(st.small_bytes_in_use, 0);
    assert_int_equal(st.large_blocks, 0);
    assert_int_equal(st.pools_in_use, 0);
    free(slots);
    pm_runtime_free(rt);
}

static void test_stress_plain(void **state) {
    (void)state;
    run(NULL, 1, 20000, 600000, 0);
}

static void test_stress_with_trims(void **state) {
    (void)state;
    run(NULL, 2, 20000, 600000, 5000);
}

static void test_stress_no_huge_pages_no_reserve(void **state) {
    (void)state;
    pm_config cfg;
    pm_config_init(&cfg);
    cfg.huge_pages = 0;
    cfg.arena_reserve = 0;
    run(&cfg, 3, 5000, 300000, 997);
}

static void test_stress_debug_mode(void **state) {
    (void)state;
    pm_config cfg;
    pm_config_init(&cfg);
    cfg.debug_alloc = 1;
    run(&cfg, 4, 5000, 200000, 3001);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stress_plain),
        cmocka_unit_test(test_stress_with_trims),
        cmocka_unit_test(test_stress_no_huge_pages_no_reserve),
        cmocka_unit_test(test_stress_debug_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
