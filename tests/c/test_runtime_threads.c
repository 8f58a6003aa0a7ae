/* Two runtimes in one process, each used by its own thread, at once; and
 * many runtimes created and destroyed in turn. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

typedef struct worker {
    uint64_t seed;
    int ok;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    pm_runtime *rt = pm_runtime_new(NULL);
    if (!rt) return NULL;
    enum { N = 4096 };
    unsigned char *p[N] = {0};
    size_t sz[N] = {0};
    uint64_t rng = w->seed;
    int ok = 1;
    for (int op = 0; op < 400000 && ok; op++) {
        int i = (int)(tu_rand(&rng) % N);
        if (p[i]) {
            for (size_t k = 0; k < sz[i]; k++)
                if (p[i][k] != (unsigned char)(i + w->seed)) ok = 0;
            pm_free(rt, p[i]);
            p[i] = NULL;
        } else {
            sz[i] = (size_t)(tu_rand(&rng) % 700);
            p[i] = pm_malloc(rt, sz[i]);
            if (!p[i]) { ok = 0; break; }
            memset(p[i], (unsigned char)(i + w->seed), sz[i]);
        }
    }
    for (int i = 0; i < N; i++) pm_free(rt, p[i]);
    if (pm_alloc_check(rt, stderr) != 0) ok = 0;
    pm_runtime_free(rt);
    w->ok = ok;
    return NULL;
}

static void test_two_runtimes_two_threads(void **state) {
    (void)state;
    worker w[2] = {{11, 0}, {22, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    assert_true(w[0].ok);
    assert_true(w[1].ok);
}

static void test_many_runtimes(void **state) {
    (void)state;
    for (int i = 0; i < 200; i++) {
        pm_runtime *rt = tu_runtime();
        void *p = pm_malloc(rt, (size_t)i);
        void *q = pm_malloc(rt, 10000);
        assert_non_null(p);
        assert_non_null(q);
        pm_runtime_free(rt); /* frees p and q too */
    }
}

/* A pointer of one runtime is not another's. */
static void test_runtimes_are_separate(void **state) {
    (void)state;
    pm_runtime *a = tu_runtime(), *b = tu_runtime();
    void *pa = pm_malloc(a, 32), *pb = pm_malloc(b, 32);
    assert_ptr_not_equal(pa, pb);
    pm_alloc_stats s;
    pm_alloc_stats_get(a, &s);
    assert_int_equal(s.small_bytes_in_use, 32);
    pm_free(a, pa);
    pm_free(b, pb);
    pm_runtime_free(a);
    pm_runtime_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_runtimes_two_threads),
        cmocka_unit_test(test_many_runtimes),
        cmocka_unit_test(test_runtimes_are_separate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
