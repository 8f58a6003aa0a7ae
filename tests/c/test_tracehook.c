/* The allocator's trace hook (pm_mem_set_trace_hook): every allocation,
 * resize and free is reported once with the size requested; a refused
 * allocation fails and gives its block back; the hook's own allocations are
 * not reported; debug mode and the fault hook keep working under it; unset,
 * nothing is reported. */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

#define LOG_MAX 64

/* What a test hook saw. */
typedef struct tlog {
    int n;                          /* events recorded */
    void *ptr[LOG_MAX];             /* the new block (NULL: a free) */
    void *old[LOG_MAX];             /* the old block (NULL: an allocation) */
    size_t size[LOG_MAX];           /* size requested */
    int refuse;                     /* > 0: refuse that many allocations */
    int nested;                     /* allocate (and free) a block of its own per event */
    long live;                      /* allocations + resizes - frees, by size */
} tlog;

static int hook(pm_runtime *rt, void *ctx, void *ptr, void *old, size_t size) {
    tlog *l = ctx;
    if (l->n < LOG_MAX) {
        l->ptr[l->n] = ptr;
        l->old[l->n] = old;
        l->size[l->n] = size;
    }
    l->n++;
    if (l->nested) {                /* not reported: the hook is running */
        void *mine = pm_malloc(rt, 40);
        pm_free(rt, mine);
    }
    if (ptr && !old && l->refuse > 0) {
        l->refuse--;
        return -1;
    }
    return 0;
}

static void reports_each_event(void **state) {
    (void)state;
    pm_runtime *rt = pm_runtime_new(NULL);
    assert_non_null(rt);
    tlog l;
    memset(&l, 0, sizeof l);
    void *ctx = NULL;
    assert_null(pm_mem_get_trace_hook(rt, &ctx));
    pm_mem_set_trace_hook(rt, hook, &l);
    assert_ptr_equal(pm_mem_get_trace_hook(rt, &ctx), hook);
    assert_ptr_equal(ctx, &l);

    char *a = pm_malloc(rt, 24);            /* small */
    char *b = pm_calloc(rt, 10, 100);       /* large */
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(l.n, 2);
    assert_ptr_equal(l.ptr[0], a);
    assert_null(l.old[0]);
    assert_int_equal(l.size[0], 24);
    assert_ptr_equal(l.ptr[1], b);
    assert_int_equal(l.size[1], 1000);
    assert_int_equal(b[999], 0);

    char *a2 = pm_realloc(rt, a, 2000);     /* moves to a large block */
    assert_non_null(a2);
    assert_int_equal(l.n, 3);
    assert_ptr_equal(l.ptr[2], a2);
    assert_ptr_equal(l.old[2], a);
    assert_int_equal(l.size[2], 2000);

    char *c = pm_realloc(rt, NULL, 8);      /* realloc(NULL): an allocation */
    assert_int_equal(l.n, 4);
    assert_ptr_equal(l.ptr[3], c);
    assert_null(l.old[3]);

    pm_free(rt, NULL);                      /* nothing to report */
    assert_int_equal(l.n, 4);
    pm_free(rt, a2);
    pm_free(rt, b);
    pm_free(rt, c);
    assert_int_equal(l.n, 7);
    assert_null(l.ptr[4]);
    assert_ptr_equal(l.old[4], a2);
    assert_ptr_equal(l.old[5], b);
    assert_ptr_equal(l.old[6], c);

    /* objects are reported too (their block starts at the gc head) */
    pm_object *list = pm_list_new(rt);
    assert_non_null(list);
    assert_true(l.n > 7);
    int seen = 0;
    for (int i = 7; i < l.n && i < LOG_MAX; i++)
        if (l.ptr[i] == (char *)list - sizeof(pm_gc_head)) seen = 1;
    assert_true(seen);
    pm_decref(rt, list);

    /* unset: nothing more */
    pm_mem_set_trace_hook(rt, NULL, &l);
    assert_null(pm_mem_get_trace_hook(rt, &ctx));
    assert_null(ctx);
    int before = l.n;
    pm_free(rt, pm_malloc(rt, 32));
    assert_int_equal(l.n, before);
    pm_runtime_free(rt);
}

static void refusal_fails_the_allocation(void **state) {
    (void)state;
    pm_runtime *rt = pm_runtime_new(NULL);
    assert_non_null(rt);
    pm_alloc_stats s0, s1;
    pm_alloc_stats_get(rt, &s0);
    tlog l;
    memset(&l, 0, sizeof l);
    l.refuse = 3;
    pm_mem_set_trace_hook(rt, hook, &l);
    assert_null(pm_malloc(rt, 64));
    assert_null(pm_calloc(rt, 1, 5000));
    assert_null(pm_realloc(rt, NULL, 16));
    void *p = pm_malloc(rt, 64);            /* the fourth is accepted */
    assert_non_null(p);
    /* a resize cannot be refused: the hook's -1 is ignored */
    l.refuse = 1;
    void *q = pm_realloc(rt, p, 4000);
    assert_non_null(q);
    pm_free(rt, q);
    pm_mem_set_trace_hook(rt, NULL, NULL);
    pm_alloc_stats_get(rt, &s1);            /* the refused blocks were given back */
    assert_int_equal(s1.small_bytes_in_use + s1.large_bytes, s0.small_bytes_in_use + s0.large_bytes);
    pm_runtime_free(rt);
}

static void own_allocations_not_reported(void **state) {
    (void)state;
    pm_runtime *rt = pm_runtime_new(NULL);
    assert_non_null(rt);
    tlog l;
    memset(&l, 0, sizeof l);
    l.nested = 1;
    pm_mem_set_trace_hook(rt, hook, &l);
    void *p = pm_malloc(rt, 100);
    pm_free(rt, p);
    assert_int_equal(l.n, 2);               /* the hook's 40-byte blocks: unseen */
    pm_mem_set_trace_hook(rt, NULL, NULL);
    pm_runtime_free(rt);
}

static void with_debug_mode_and_faults(void **state) {
    (void)state;
    pm_config cfg;
    pm_config_init(&cfg);
    cfg.debug_alloc = 1;
    pm_runtime *rt = pm_runtime_new(&cfg);
    assert_non_null(rt);
    tlog l;
    memset(&l, 0, sizeof l);
    pm_mem_set_trace_hook(rt, hook, &l);
    char *p = pm_malloc(rt, 50);
    assert_non_null(p);
    memset(p, 1, 50);
    pm_fault_inject(rt, 1, 0);
    assert_null(pm_malloc(rt, 50));         /* the fault: no block, no report */
    assert_int_equal(pm_fault_fired(rt), 1);
    assert_int_equal(l.n, 1);
    pm_free(rt, p);                         /* debug mode checks the guards */
    assert_int_equal(l.n, 2);
    assert_ptr_equal(l.old[1], p);
    /* removing the hook keeps debug mode on the checked path */
    pm_mem_set_trace_hook(rt, NULL, NULL);
    p = pm_malloc(rt, 50);
    assert_int_equal((unsigned char)p[0], 0xCD);    /* debug fill of a fresh block */
    pm_free(rt, p);
    assert_int_equal(l.n, 2);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reports_each_event),
        cmocka_unit_test(refusal_fails_the_allocation),
        cmocka_unit_test(own_allocations_not_reported),
        cmocka_unit_test(with_debug_mode_and_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
