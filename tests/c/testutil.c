#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

long tu_rss_kib(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, resident = 0;
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int tu_python(const char *code, char *buf, size_t bufsize) {
    char path[] = "/tmp/pymm-test-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    FILE *f = fdopen(fd, "w");
    fputs(code, f);
    fclose(f);
    const char *py = getenv("PYTHON3");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s", py && *py ? py : "python3", path);
    FILE *p = popen(cmd, "r");
    if (!p) { unlink(path); return -1; }
    size_t n = fread(buf, 1, bufsize - 1, p);
    buf[n] = 0;
    int st = pclose(p);
    unlink(path);
    return st;
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
