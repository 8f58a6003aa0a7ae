/*
 * pymm-python.c — real CPython 3.11 running on pymm's allocator.
 *
 * Purpose
 * -------
 * The strongest test an allocator can get is a real interpreter running its
 * own regression suite.  CPython lets an embedder replace the allocator of each
 * of its three memory domains with PyMem_SetAllocator() before the interpreter
 * starts.  This launcher links the shared libpython3.11 that python3-config
 * names, puts one pm_runtime behind the MEM and OBJ domains, and then runs
 * its argv as Py_BytesMain() — python3's own main() — does: pre-initialize
 * and initialize from argv, then Py_RunMain().  So `pymm-python -m test
 * test_gc` and `pymm-python script.py` behave exactly as with python3: same
 * stdlib, same sys.prefix and sys.path (the prefix comes from the libpython,
 * found by the rpath baked in at link time).  The one step added between
 * initializing and running points sys.getallocatedblocks() and
 * sys._debugmallocstats(), which read pymalloc's arenas directly, at pymm's.
 *
 *            pymm-python main()
 *                  │ 1. pm_config_init + pm_config_from_env (PYMM_*)
 *                  │ 2. pm_runtime_new
 *                  │ 3. PyMem_SetAllocator(MEM, OBJ) ← pm_malloc/... with
 *                  │    ctx = the runtime
 *                  │ 4. PyConfig_SetBytesArgv, Py_InitializeFromConfig
 *                  │ 5. sys.getallocatedblocks, sys._debugmallocstats → pymm
 *                  ▼ 6. Py_RunMain()        (4 + 6 = Py_BytesMain)
 *   ┌──────────────────────────────────────────────────────────┐
 *   │ libpython3.11                                            │
 *   │  PyMem_RawMalloc ─► RAW domain ─► libc malloc (untouched) │
 *   │  PyMem_Malloc    ─► MEM domain ─┐                         │
 *   │  PyObject_Malloc ─► OBJ domain ─┴─► pymm (this file)      │
 *   └──────────────────────────────────────────────────────────┘
 *
 * Invariants
 * ----------
 *  - The allocator is installed before pre-initialization, so no MEM or OBJ
 *    block of this process was ever served by CPython's pymalloc: every pointer the
 *    interpreter passes to our free/realloc came from pm_malloc/pm_calloc/
 *    pm_realloc (pymm sends pointers outside its arenas to libc free(), so the
 *    large blocks pymm took from libc go back there too).
 *  - The RAW domain is never replaced: CPython calls it without the GIL,
 *    from any thread, and a pm_runtime is used by one thread at a time.  MEM
 *    and OBJ are only called with the GIL held (CPython's own debug hooks
 *    check exactly that, see PYMM_PY_DEBUG_HOOKS), and the GIL hand-off is
 *    a full lock release/acquire, so one runtime shared by every Python
 *    thread is used by one thread at a time, as pymm requires.
 *  - The runtime is never freed.  After Py_RunMain() returns, C atexit
 *    handlers of extension modules may still free Python memory; a freed
 *    runtime would turn those into use-after-free.  The OS takes the memory
 *    back at exit, as it does for CPython's own arenas.
 *
 * States
 * ------
 *   PYMM_OFF=1      pymm is not installed: CPython's own pymalloc serves MEM
 *                   and OBJ in this same binary and libpython, so a benchmark
 *                   between the two changes nothing but the allocator.
 *   (default)       pymm serves MEM and OBJ.
 *   PYMM_DEBUG_ALLOC=1 and the other PYMM_* options are read by
 *                   pm_config_from_env() (docs/allocator.md).
 *   PYMM_STATS=1    at exit, pm_alloc_stats_print() to stderr (or, with
 *                   PYMM_OFF=1, one line saying pymm was off).
 *   PYMM_CHECK_AT_EXIT=1  after the interpreter is finalized, run
 *                   pm_alloc_check(); an inconsistent heap makes the exit
 *                   status 70 (EX_SOFTWARE) with the report on stderr.
 *   PYMM_PY_DEBUG_HOOKS=1  also wrap pymm in CPython's debug hooks
 *                   (PyMem_SetupDebugHooks: GIL check on every MEM/OBJ call,
 *                   guard bytes, API-mismatch detection), as
 *                   PYTHONMALLOC=pymalloc_debug does for pymalloc.
 *
 * CPython behaviour kept: PYTHONMALLOC and -X dev are CPython's own switches
 * and still win — CPython's pre-initialization installs the allocator they
 * name over ours, before any MEM/OBJ block is allocated.  PYMM_STATS reports
 * when that happened.  The builtin module _pymm (enabled(), installed(),
 * stats(), check(), getallocatedblocks(), debugmallocstats()) lets tests
 * see the allocator from Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pymm.h"

/* The one writable global of this program: the atexit handler and the _pymm
 * module have no other way to reach the runtime (PyMemAllocatorEx.ctx carries
 * it on the hot path). */
static struct {
    pm_runtime *rt;             /* behind MEM and OBJ; NULL when pymm is off */
    PyMemAllocatorEx mem;       /* MEM allocator as installed (with CPython's
                                   debug hooks on top when asked for) */
    PyMemAllocatorEx obj;       /* OBJ allocator as installed, likewise */
} g;

/* ---- the four allocator entry points, ctx = pm_runtime ------------------ */

static void *pmpy_malloc(void *ctx, size_t size)
{
    return pm_malloc((pm_runtime *)ctx, size);
}

static void *pmpy_calloc(void *ctx, size_t nelem, size_t elsize)
{
    return pm_calloc((pm_runtime *)ctx, nelem, elsize);
}

static void *pmpy_realloc(void *ctx, void *ptr, size_t new_size)
{
    return pm_realloc((pm_runtime *)ctx, ptr, new_size);
}

static void pmpy_free(void *ctx, void *ptr)
{
    pm_free((pm_runtime *)ctx, ptr);
}

/* 1 when an environment variable is set to something other than "" or "0". */
static int env_flag(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

/* Is the allocator of domain still the one main() installed?  (PYTHONMALLOC,
 * -X dev or tracemalloc may have put something else in front of it.) */
static int domain_is_pymm(PyMemAllocatorDomain domain)
{
    PyMemAllocatorEx cur;
    const PyMemAllocatorEx *want = domain == PYMEM_DOMAIN_MEM ? &g.mem : &g.obj;
    PyMem_GetAllocator(domain, &cur);
    return g.rt != NULL && cur.ctx == want->ctx && cur.malloc == want->malloc &&
           cur.free == want->free;
}

static void print_stats_at_exit(void)
{
    fflush(stdout);
    if (g.rt == NULL) {
        fprintf(stderr, "pymm-python: pymm is off (PYMM_OFF=1); "
                        "CPython's own allocator served MEM and OBJ\n");
        return;
    }
    pm_alloc_stats_print(g.rt, stderr);
    fprintf(stderr, "pymm-python: pymm served MEM and OBJ%s\n",
            domain_is_pymm(PYMEM_DOMAIN_OBJ) ? ""
            : " until CPython's pre-initialization replaced it "
              "(PYTHONMALLOC, -X dev or tracemalloc)");
    fflush(stderr);
}

/* ---- builtin module _pymm ------------------------------------------------ */

static PyObject *pymm_enabled(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyBool_FromLong(g.rt != NULL);
}

static PyObject *pymm_installed(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyBool_FromLong(domain_is_pymm(PYMEM_DOMAIN_MEM) &&
                           domain_is_pymm(PYMEM_DOMAIN_OBJ));
}

/* stats() -> dict of pm_alloc_stats' counters, or None when pymm is off.
 * Key "size_classes" holds one (block_size, pools, in_use, free) tuple per
 * class that has pools. */
static PyObject *pymm_stats(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    if (g.rt == NULL)
        Py_RETURN_NONE;
    pm_alloc_stats st;
    pm_alloc_stats_get(g.rt, &st);
    PyObject *d = PyDict_New();
    PyObject *classes = NULL;
    PyObject *v = NULL;
    if (d == NULL)
        goto fail;
#define PMPY_STAT_ITEM_(name, desc)                                            \
    v = PyLong_FromSize_t(st.name);                                            \
    if (v == NULL || PyDict_SetItemString(d, #name, v) < 0)                    \
        goto fail;                                                             \
    Py_CLEAR(v);
    PM_ALLOC_STAT_COUNTERS(PMPY_STAT_ITEM_)
#undef PMPY_STAT_ITEM_
    classes = PyList_New(0);
    if (classes == NULL)
        goto fail;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) {
        const pm_size_class_stats *c = &st.size_class[i];
        if (c->pools == 0)
            continue;
        v = Py_BuildValue("(nnnn)", (Py_ssize_t)c->block_size,
                          (Py_ssize_t)c->pools, (Py_ssize_t)c->blocks_in_use,
                          (Py_ssize_t)c->blocks_free);
        if (v == NULL || PyList_Append(classes, v) < 0)
            goto fail;
        Py_CLEAR(v);
    }
    if (PyDict_SetItemString(d, "size_classes", classes) < 0)
        goto fail;
    Py_DECREF(classes);
    return d;
fail:
    Py_XDECREF(v);
    Py_XDECREF(classes);
    Py_XDECREF(d);
    return NULL;
}

/* check() -> True when pm_alloc_check finds every arena, pool and free list
 * consistent; raises AssertionError (details on stderr) otherwise.  None when
 * pymm is off. */
static PyObject *pymm_check(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    if (g.rt == NULL)
        Py_RETURN_NONE;
    if (pm_alloc_check(g.rt, stderr) != 0) {
        PyErr_SetString(PyExc_AssertionError,
                        "pm_alloc_check: pymm's heap is inconsistent");
        return NULL;
    }
    Py_RETURN_TRUE;
}

/* sys.getallocatedblocks() under pymm: blocks pymm has handed out (small
 * blocks in use plus large blocks).  CPython's own version counts pymalloc's
 * arenas, which pymm-python never uses, so it would always say 0. */
static PyObject *pymm_getallocatedblocks(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    if (g.rt == NULL)
        return PyLong_FromLong(0);
    pm_alloc_stats st;
    pm_alloc_stats_get(g.rt, &st);
    size_t n = st.large_blocks;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++)
        n += st.size_class[i].blocks_in_use;
    return PyLong_FromSize_t(n);
}

/* sys._debugmallocstats() under pymm: as CPython's, with pymm's table (same
 * layout as pymalloc's) in place of pymalloc's, then the free lists. */
static PyObject *pymm_debugmallocstats(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    if (g.rt != NULL) {
        pm_alloc_stats_print(g.rt, stderr);
        fputc('\n', stderr);
    }
    _PyObject_DebugTypeStats(stderr);
    Py_RETURN_NONE;
}

static PyMethodDef pymm_methods[] = {
    {"enabled", pymm_enabled, METH_NOARGS,
     "True when pymm was installed for MEM and OBJ at start-up."},
    {"installed", pymm_installed, METH_NOARGS,
     "True when pymm is still the MEM and OBJ allocator now."},
    {"stats", pymm_stats, METH_NOARGS,
     "pymm's allocator counters as a dict (None when pymm is off)."},
    {"check", pymm_check, METH_NOARGS,
     "Check pymm's heap; True, or AssertionError (None when pymm is off)."},
    {"getallocatedblocks", pymm_getallocatedblocks, METH_NOARGS,
     "Blocks pymm has handed out (sys.getallocatedblocks under pymm)."},
    {"debugmallocstats", pymm_debugmallocstats, METH_NOARGS,
     "pymm's statistics and the free lists to stderr "
     "(sys._debugmallocstats under pymm)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef pymm_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_pymm",
    .m_doc = "pymm's allocator as seen from Python (pymm-python only).",
    .m_size = -1,
    .m_methods = pymm_methods,
};

static PyObject *pymm_module_init(void)
{
    return PyModule_Create(&pymm_module);
}

/* ---- main ---------------------------------------------------------------- */

/* Point sys.getallocatedblocks and sys._debugmallocstats at pymm: both read
 * pymalloc's arenas directly, which stay empty while pymm serves OBJ (so
 * CPython's regrtest -R leak hunting and test_sys would see nothing).
 * Returns 0 or -1 with a Python error set. */
static int sys_use_pymm(void)
{
    static const char *const names[][2] = {
        {"getallocatedblocks", "getallocatedblocks"},
        {"_debugmallocstats", "debugmallocstats"},
    };
    int rc = -1;
    PyObject *sys = PyImport_ImportModule("sys");
    PyObject *mod = PyImport_ImportModule("_pymm");
    if (sys == NULL || mod == NULL)
        goto done;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        PyObject *f = PyObject_GetAttrString(mod, names[i][1]);
        if (f == NULL)
            goto done;
        int err = PyObject_SetAttrString(sys, names[i][0], f);
        Py_DECREF(f);
        if (err < 0)
            goto done;
    }
    rc = 0;
done:
    Py_XDECREF(sys);
    Py_XDECREF(mod);
    return rc;
}

/* Install pymm behind MEM and OBJ.  Returns 0, or an exit status. */
static int install_pymm(void)
{
    pm_config cfg;
    const char *err = NULL;
    pm_config_init(&cfg);
    if (pm_config_from_env(&cfg, &err) < 0) {
        fprintf(stderr, "pymm-python: %s\n", err ? err : "bad PYMM_* value");
        return 2;
    }
    g.rt = pm_runtime_new(&cfg);
    if (g.rt == NULL) {
        fprintf(stderr, "pymm-python: pm_runtime_new: out of memory\n");
        return 1;
    }
    PyMemAllocatorEx alloc = {
        .ctx = g.rt,
        .malloc = pmpy_malloc,
        .calloc = pmpy_calloc,
        .realloc = pmpy_realloc,
        .free = pmpy_free,
    };
    PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &alloc);
    PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &alloc);
    if (env_flag("PYMM_PY_DEBUG_HOOKS"))
        PyMem_SetupDebugHooks();
    PyMem_GetAllocator(PYMEM_DOMAIN_MEM, &g.mem);
    PyMem_GetAllocator(PYMEM_DOMAIN_OBJ, &g.obj);
    return 0;
}

/* What Py_BytesMain(argc, argv) does (Modules/main.c: pymain_init, then
 * Py_RunMain), with one step between initialization and running: the sys
 * functions that read pymalloc's state are pointed at pymm's. */
int main(int argc, char **argv)
{
    if (PyImport_AppendInittab("_pymm", pymm_module_init) < 0) {
        fprintf(stderr, "pymm-python: cannot register module _pymm\n");
        return 1;
    }
    if (!env_flag("PYMM_OFF")) {
        int rc = install_pymm();
        if (rc != 0)
            return rc;
    }
    if (env_flag("PYMM_STATS") && atexit(print_stats_at_exit) != 0)
        fprintf(stderr, "pymm-python: atexit failed; no statistics at exit\n");

    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    /* Pre-initializes from argv: -E, -I, -X utf8, -X dev, PYTHONMALLOC. */
    PyStatus status = PyConfig_SetBytesArgv(&config, argc, argv);
    if (PyStatus_Exception(status))
        goto exception;
    status = Py_InitializeFromConfig(&config);
    if (PyStatus_Exception(status))
        goto exception;
    PyConfig_Clear(&config);

    if (domain_is_pymm(PYMEM_DOMAIN_OBJ) && sys_use_pymm() < 0) {
        fprintf(stderr, "pymm-python: cannot point sys at pymm's statistics\n");
        PyErr_Print();
    }
    int exitcode = Py_RunMain();
    if (g.rt != NULL && env_flag("PYMM_CHECK_AT_EXIT") &&
        pm_alloc_check(g.rt, stderr) != 0) {
        fprintf(stderr, "pymm-python: pm_alloc_check failed at exit "
                        "(exit status %d replaced by 70)\n", exitcode);
        return 70;
    }
    return exitcode;

exception:
    PyConfig_Clear(&config);
    if (PyStatus_IsExit(status))
        return status.exitcode;     /* --help, --version, bad option */
    Py_ExitStatusException(status);
}
