/* Helpers shared by the container tests (header only: tests/CMakeLists.txt
 * builds each test_*.c with testutil.c alone). */
#ifndef PYMM_CTUTIL_H
#define PYMM_CTUTIL_H
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

/* Blocks the allocator has handed out and not got back: small blocks of
 * every size class plus large blocks. */
static inline size_t ct_blocks(pm_runtime *rt) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    size_t n = s.large_blocks;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) n += s.size_class[i].blocks_in_use;
    return n;
}

static inline size_t ct_bytes(pm_runtime *rt) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    return s.small_bytes_in_use + s.large_bytes;
}

/* A new int; the test fails if it cannot be made. */
static inline pm_object *ct_int(pm_runtime *rt, long v) {
    pm_object *o = pm_int_from_long(rt, v);
    assert_non_null(o);
    return o;
}

static inline pm_object *ct_str(pm_runtime *rt, const char *s) {
    pm_object *o = pm_str_from_cstr(rt, s);
    assert_non_null(o);
    return o;
}

/* Assert repr(o) == expect. */
#define ct_assert_repr(rt, o, expect)                                   \
    do {                                                                \
        pm_object *r_ = pm_repr((rt), (o));                             \
        assert_non_null(r_);                                            \
        assert_string_equal(pm_str_as_utf8((rt), r_, NULL), (expect));  \
        pm_decref((rt), r_);                                            \
    } while (0)

/* Assert an error of kind k is pending (and clear it). */
#define ct_assert_error(rt, k)                                          \
    do {                                                                \
        assert_int_equal(pm_err_kind(rt), (k));                         \
        pm_err_clear(rt);                                               \
    } while (0)

#endif
