/*
 * alloc_impl.h — the allocator under test, chosen at compile time.
 *
 * bench_alloc.c is compiled once per allocator; CMake passes exactly one of
 * BENCH_IMPL_PYMM, _GLIBC, _MIMALLOC, _JEMALLOC, _TCMALLOC, _PYMALLOC and links
 * only that allocator's library into that executable.  Each section below
 * supplies the same small interface, all `static inline` so that the hot loops
 * pay one call into the allocator and nothing more:
 *
 *   impl_open(&heap)      set up; returns NULL or an error message
 *   impl_malloc(heap, n)  allocate n bytes (n <= 512 in every workload)
 *   impl_free(heap, p)    free
 *   impl_trim(heap)       give free memory back to the OS if the allocator has
 *                         a call for it; returns the call's name, or NULL
 *   impl_check(heap)      confirm the allocator really is the one measured
 *                         (mimalloc, jemalloc and tcmalloc replace malloc only
 *                         if the link put them before libc); NULL when fine
 *   impl_close(heap)      tear down
 *
 *   +-------------------+     +--------------------------------------------+
 *   | bench_alloc.c     |     | pymm      pm_malloc/pm_free  (libpymm.a)   |
 *   | workloads, timing |---->| glibc     malloc/free        (libc)        |
 *   | RSS, output lines |     | mimalloc  malloc/free        (-lmimalloc)  |
 *   +-------------------+     | jemalloc  malloc/free        (-ljemalloc)  |
 *                             | tcmalloc  malloc/free   (-ltcmalloc_minimal)|
 *                             | pymalloc  PyObject_Malloc/Free (libpython) |
 *                             +--------------------------------------------+
 *
 * The three malloc replacements are measured the way programs use them:
 * linked normally, so the process's malloc and free are theirs.
 *
 * pymalloc is used before Py_Initialize(): in CPython 3.11 the object-domain
 * allocator is statically initialised to pymalloc and its arena state lives in
 * obmalloc.c's static variables, so PyObject_Malloc works without an
 * interpreter (checked by impl_check through _Py_GetAllocatedBlocks).  That
 * keeps the interpreter's own few thousand objects out of the measurement.
 * Set PYMM_BENCH_PY_INIT=1 to call Py_Initialize() first anyway.
 */
#ifndef PYMM_BENCH_ALLOC_IMPL_H
#define PYMM_BENCH_ALLOC_IMPL_H

#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Name of the shared object that provides the process's malloc, as the
 * dynamic linker resolved it for this executable. */
static inline const char *malloc_provider(void)
{
    Dl_info info;
    void *(*fn)(size_t) = malloc;
    void *addr;

    memcpy(&addr, &fn, sizeof addr); /* function -> object pointer, portably */
    if (dladdr(addr, &info) == 0 || info.dli_fname == NULL)
        return "?";
    return info.dli_fname;
}

/* NULL when malloc comes from a library whose path contains `want`. */
static inline const char *check_provider(const char *want)
{
    return strstr(malloc_provider(), want) ? NULL
                                           : "malloc is not provided by the expected library";
}

/* ------------------------------------------------------------------------ */
#if defined(BENCH_IMPL_PYMM)
#include "pymm.h"

#define IMPL_NAME "pymm"
typedef pm_runtime bench_heap;

static inline const char *impl_open(bench_heap **h)
{
    pm_config cfg;
    const char *err = NULL;

    pm_config_init(&cfg);
    if (pm_config_from_env(&cfg, &err) != 0)
        return err ? err : "bad PYMM_* environment variable";
    *h = pm_runtime_new(&cfg);
    return *h ? NULL : "pm_runtime_new failed";
}
static inline void *impl_malloc(bench_heap *h, size_t n) { return pm_malloc(h, n); }
static inline void impl_free(bench_heap *h, void *p) { pm_free(h, p); }
static inline const char *impl_trim(bench_heap *h)
{
    (void)pm_trim(h);
    return "pm_trim";
}
static inline const char *impl_check(bench_heap *h)
{
    (void)h;
    return NULL; /* pm_malloc is called directly */
}
static inline void impl_close(bench_heap *h) { pm_runtime_free(h); }

/* ------------------------------------------------------------------------ */
#elif defined(BENCH_IMPL_PYMALLOC)
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define IMPL_NAME "pymalloc"
typedef struct bench_heap bench_heap; /* never defined; the heap is global */

/* Exported by libpython 3.11 (declared in internal/pycore_pymem.h): the
 * number of blocks pymalloc has handed out. */
extern Py_ssize_t _Py_GetAllocatedBlocks(void);

static inline const char *impl_open(bench_heap **h)
{
    const char *init = getenv("PYMM_BENCH_PY_INIT");

    *h = NULL;
    if (init && strcmp(init, "1") == 0)
        Py_InitializeEx(0);
    return NULL;
}
static inline void *impl_malloc(bench_heap *h, size_t n)
{
    (void)h;
    return PyObject_Malloc(n);
}
static inline void impl_free(bench_heap *h, void *p)
{
    (void)h;
    PyObject_Free(p);
}
static inline const char *impl_trim(bench_heap *h)
{
    (void)h;
    return NULL; /* pymalloc has no trim call; it unmaps empty arenas itself */
}
static inline const char *impl_check(bench_heap *h)
{
    Py_ssize_t before = _Py_GetAllocatedBlocks();
    void *p = impl_malloc(h, 32);
    Py_ssize_t during = _Py_GetAllocatedBlocks();

    impl_free(h, p);
    return during == before + 1 ? NULL : "PyObject_Malloc is not pymalloc";
}
static inline void impl_close(bench_heap *h)
{
    (void)h;
    if (Py_IsInitialized())
        Py_FinalizeEx();
}

/* ------------------------------------------------------------------------ */
#else /* the malloc family: glibc and the three replacements */

typedef struct bench_heap bench_heap; /* never defined; malloc has one heap */

#if defined(BENCH_IMPL_GLIBC)
#include <malloc.h>
#define IMPL_NAME "glibc"
#define IMPL_LIB "libc.so"
static inline const char *impl_trim_call(void)
{
    (void)malloc_trim(0);
    return "malloc_trim";
}
#elif defined(BENCH_IMPL_MIMALLOC)
#include <mimalloc.h>
#define IMPL_NAME "mimalloc"
#define IMPL_LIB "mimalloc"
static inline const char *impl_trim_call(void)
{
    mi_collect(true);
    return "mi_collect";
}
#elif defined(BENCH_IMPL_JEMALLOC)
#include <jemalloc/jemalloc.h>
#define IMPL_NAME "jemalloc"
#define IMPL_LIB "jemalloc"
#define IMPL_STR_(x) #x
#define IMPL_STR(x) IMPL_STR_(x)
static inline const char *impl_trim_call(void)
{
    (void)mallctl("arena." IMPL_STR(MALLCTL_ARENAS_ALL) ".purge", NULL, NULL, NULL, 0);
    return "arena.purge";
}
#elif defined(BENCH_IMPL_TCMALLOC)
#include <gperftools/malloc_extension_c.h>
#define IMPL_NAME "tcmalloc"
#define IMPL_LIB "tcmalloc"
static inline const char *impl_trim_call(void)
{
    MallocExtension_ReleaseFreeMemory();
    return "ReleaseFreeMemory";
}
#else
#error "define one BENCH_IMPL_* (see bench/alloc/CMakeLists.txt)"
#endif

static inline const char *impl_open(bench_heap **h)
{
    *h = NULL;
    return NULL;
}
static inline void *impl_malloc(bench_heap *h, size_t n)
{
    (void)h;
    return malloc(n);
}
static inline void impl_free(bench_heap *h, void *p)
{
    (void)h;
    free(p);
}
static inline const char *impl_trim(bench_heap *h)
{
    (void)h;
    return impl_trim_call();
}
static inline const char *impl_check(bench_heap *h)
{
    (void)h;
    return check_provider(IMPL_LIB);
}
static inline void impl_close(bench_heap *h) { (void)h; }

#endif
#endif /* PYMM_BENCH_ALLOC_IMPL_H */
