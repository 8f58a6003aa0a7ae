/* Helpers shared by the C tests (cmocka). */
#ifndef PYMM_TESTUTIL_H
#define PYMM_TESTUTIL_H
#include <stddef.h>
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>
#include "pymm.h"

/* Resident set size of this process in KiB, from /proc/self/statm. */
long tu_rss_kib(void);
/* Run `python3 -c code` and capture its stdout into buf (NUL-terminated).
 * Returns the exit status, or -1 when python3 could not be run. */
int tu_python(const char *code, char *buf, size_t bufsize);
/* A runtime with default options, asserting it could be made. */
pm_runtime *tu_runtime(void);
/* Deterministic 64-bit generator (splitmix64) for randomized tests. */
uint64_t tu_rand(uint64_t *state);
#endif
