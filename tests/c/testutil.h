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

/* ---- differential tests: asking python3 ------------------------------------
 * The expected output of a differential test comes from the real CPython
 * 3.11 at test time: $PYTHON3 (default "python3").  A test that cannot ask
 * it FAILS; the only way around is the explicit opt-out PYMM_NO_PYTHON3=1
 * (docs/testing.md), under which the comparisons are skipped. */

/* 1 unless PYMM_NO_PYTHON3=1 is set. */
int tu_python_wanted(void);
/* First statement of a test that is a comparison with python3 throughout:
 * skips the test (cmocka skip()) under PYMM_NO_PYTHON3=1, before the test
 * has allocated anything. */
void tu_need_python3(void);
/* Run `code` as a python3 script and capture its stdout into buf
 * (NUL-terminated); returns 0.  The test fails — with the script's stderr
 * shown — when python3 cannot be run, is not 3.11, exits non-zero (an
 * exception in the snippet included) or prints more than bufsize - 1 bytes.
 * Under PYMM_NO_PYTHON3=1 the test is skipped (call tu_need_python3() or
 * tu_python_wanted() first, so that the skip leaks nothing). */
int tu_python(const char *code, char *buf, size_t bufsize);

/* A runtime with default options, asserting it could be made. */
pm_runtime *tu_runtime(void);
/* Deterministic 64-bit generator (splitmix64) for randomized tests. */
uint64_t tu_rand(uint64_t *state);
#endif
