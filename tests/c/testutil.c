#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

long tu_rss_kib(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, resident = 0;
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int tu_python_wanted(void) {
    const char *e = getenv("PYMM_NO_PYTHON3");
    return !(e && strcmp(e, "1") == 0);
}

void tu_need_python3(void) {
    if (!tu_python_wanted()) {
        print_message("PYMM_NO_PYTHON3=1: differential test skipped\n");
        skip();
    }
}

/* Every script starts by checking that the interpreter is the reference. */
static const char version_guard[] =
    "import sys as _tu_sys\n"
    "if _tu_sys.version_info[:2] != (3, 11):\n"
    "    _tu_sys.exit('python3 is %s: the differential tests need CPython 3.11 "
    "(PYTHON3=path, or PYMM_NO_PYTHON3=1 to skip them)' % _tu_sys.version.split()[0])\n"
    "del _tu_sys\n";

/* The file's contents (at most cap - 1 bytes) into buf, for a message. */
static void slurp(const char *path, char *buf, size_t cap) {
    size_t n = 0;
    FILE *f = fopen(path, "r");
    if (f) {
        n = fread(buf, 1, cap - 1, f);
        fclose(f);
    }
    buf[n] = 0;
}

int tu_python(const char *code, char *buf, size_t bufsize) {
    tu_need_python3();
    assert_true(bufsize > 1);
    char script[] = "/tmp/pymm-test-XXXXXX", errpath[] = "/tmp/pymm-test-err-XXXXXX";
    int fd = mkstemp(script);
    if (fd < 0) fail_msg("tu_python: mkstemp failed");
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(version_guard, f);
    fputs(code, f);
    fclose(f);
    int efd = mkstemp(errpath);
    if (efd < 0) {
        unlink(script);
        fail_msg("tu_python: mkstemp failed");
    }
    close(efd);
    const char *py = getenv("PYTHON3");
    if (!py || !*py) py = "python3";
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s 2>%s", py, script, errpath);
    FILE *p = popen(cmd, "r");
    if (!p) {
        unlink(script);
        unlink(errpath);
        fail_msg("tu_python: could not start a shell for '%s'", py);
    }
    size_t n = fread(buf, 1, bufsize - 1, p);
    buf[n] = 0;
    char extra[256];
    size_t more = 0, k;
    while ((k = fread(extra, 1, sizeof extra, p)) > 0) more += k;
    int st = pclose(p);
    char err[4096];
    slurp(errpath, err, sizeof err);
    unlink(script);
    unlink(errpath);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        int code_ = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        print_error("---- %s's stderr ----\n%s---- end of stderr ----\n", py, err);
        if (code_ == 127)
            fail_msg("python3 ('%s') could not be run: the differential tests need CPython 3.11 "
                     "(set PYTHON3=path, or PYMM_NO_PYTHON3=1 to skip them)", py);
        fail_msg("the python3 snippet failed (%s %d; its stderr is above)",
                 code_ >= 0 ? "exit status" : "wait status", code_ >= 0 ? code_ : st);
    }
    if (more) fail_msg("tu_python: python3 printed %zu bytes, more than the %zu-byte buffer", n + more, bufsize - 1);
    return 0;
}

pm_runtime *tu_runtime(void) {
    pm_runtime *rt = pm_runtime_new(NULL);
    assert_non_null(rt);
    return rt;
}

uint64_t tu_rand(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
