/* Debug mode (like PYTHONMALLOC=debug): fill patterns, and each fault —
 * underflow, overflow, double free, write after free, foreign pointer —
 * provoked in a child process whose report and abort are checked. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"

static pm_runtime *debug_runtime(void) {
    pm_config cfg;
    pm_config_init(&cfg);
    cfg.debug_alloc = 1;
    pm_runtime *rt = pm_runtime_new(&cfg);
    assert_non_null(rt);
    return rt;
}

/* Runs fn in a child with stderr captured; returns its report. */
static void run_child(void (*fn)(size_t), size_t size, char *out, size_t outsize, int *sig) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        fn(size);
        _exit(0); /* the fault was not detected */
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < outsize && (r = read(fds[0], out + n, outsize - 1 - n)) > 0) n += (size_t)r;
    out[n] = 0;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    *sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void do_overflow(size_t size) {
    pm_runtime *rt = debug_runtime();
    char *p = pm_malloc(rt, size);
    p[size] = 'x'; /* one byte past the end */
    pm_free(rt, p);
}
static void do_underflow(size_t size) {
    pm_runtime *rt = debug_runtime();
    char *p = pm_malloc(rt, size);
    p[-1] = 'x';
    pm_free(rt, p);
}
static void do_double_free(size_t size) {
    pm_runtime *rt = debug_runtime();
    char *p = pm_malloc(rt, size);
    pm_free(rt, p);
    pm_free(rt, p);
}
static void do_write_after_free(size_t size) {
    pm_runtime *rt = debug_runtime();
    char *p = pm_malloc(rt, size);
    pm_free(rt, p);
    p[3] = 'x';
    pm_runtime_free(rt); /* the quarantine is checked on the way out */
}
static void do_foreign(size_t size) {
    pm_runtime *rt = debug_runtime();
    void *keep = pm_malloc(rt, 16);
    char *p = malloc(size + 64);
    pm_free(rt, p + 32);
    (void)keep;
}
static void do_interior(size_t size) {
    pm_runtime *rt = debug_runtime();
    char *p = pm_malloc(rt, size);
    pm_free(rt, p + 16); /* not a block start */
}

static void expect_report(void (*fn)(size_t), size_t size, const char *kind) {
    char out[4096];
    int sig;
    run_child(fn, size, out, sizeof out, &sig);
    if (sig != SIGABRT || !strstr(out, kind)) fail_msg("size %zu: expected '%s' and SIGABRT, got signal %d, report:\n%s", size, kind, sig, out);
    assert_non_null(strstr(out, "address: 0x"));
    if (strcmp(kind, "foreign pointer") != 0) {
        char want[64];
        snprintf(want, sizeof want, "size: %zu bytes requested", size);
        if (!strstr(out, want)) fail_msg("report lacks '%s':\n%s", want, out);
        assert_non_null(strstr(out, "serial: "));
    }
}

static void test_faults_small_and_large(void **state) {
    (void)state;
    size_t sizes[] = {1, 24, 200, 464, 1000, 100000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        expect_report(do_overflow, sizes[i], "buffer overflow");
        expect_report(do_underflow, sizes[i], "buffer underflow");
        expect_report(do_double_free, sizes[i], "double free");
        expect_report(do_write_after_free, sizes[i], "write after free");
        expect_report(do_foreign, sizes[i], "foreign pointer");
        expect_report(do_interior, sizes[i], "foreign pointer");
    }
}

static void test_fill_patterns_and_serials(void **state) {
    (void)state;
    pm_runtime *rt = debug_runtime();
    unsigned char *p = pm_malloc(rt, 40);
    for (int i = 0; i < 40; i++) assert_int_equal(p[i], 0xCD);  /* fresh */
    assert_int_equal(p[40], 0xFD);                               /* guard */
    assert_int_equal(p[-1], 0xFD);
    uint64_t serial1 = *(uint64_t *)(p - 24);
    unsigned char *q = pm_malloc(rt, 40);
    assert_int_equal(*(uint64_t *)(q - 24), serial1 + 1);
    assert_int_equal(pm_usable_size(rt, p), 40);
    pm_free(rt, p);
    for (int i = 0; i < 40; i++) assert_int_equal(p[i], 0xDD);  /* dead, in quarantine */
    unsigned char *z = pm_calloc(rt, 5, 8);
    for (int i = 0; i < 40; i++) assert_int_equal(z[i], 0);
    q = pm_realloc(rt, q, 1000);
    assert_int_equal(q[0], 0xCD); /* contents kept */
    pm_free(rt, q);
    pm_free(rt, z);
    pm_trim(rt);
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    assert_int_equal(s.small_bytes_in_use, 0);
    assert_int_equal(s.small_bytes_requested, 0);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fill_patterns_and_serials),
        cmocka_unit_test(test_faults_small_and_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
