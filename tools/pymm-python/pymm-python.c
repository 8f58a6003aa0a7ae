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
 * stats(), check(), getallocatedblocks(), debugmallocstats(), trim(),
 * heapmap(path), why_alive(obj), print_why_alive(obj)) lets tests and
 * programs see the allocator from Python (docs/seeing.md).
 *   PYMM_HEAPMAP=FILE  after Py_RunMain, pymm's heap map as SVG.
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


/* ---- seeing memory: trim, heapmap, why_alive ------------------------------ */

/* trim() -> bytes given back to the OS (0 when pymm is off). */
static PyObject *pymm_trim(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyLong_FromSize_t(g.rt != NULL ? pm_trim(g.rt) : 0);
}

/* heapmap(path) -> dict: pm_heapmap_write's counts, plus "matches_stats"
 * (the counts equal pm_alloc_stats taken right after). */
static PyObject *pymm_heapmap(PyObject *self, PyObject *arg)
{
    (void)self;
    if (g.rt == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "pymm is off (PYMM_OFF=1)");
        return NULL;
    }
    PyObject *bytes = NULL;
    if (!PyUnicode_FSConverter(arg, &bytes))
        return NULL;
    FILE *f = fopen(PyBytes_AS_STRING(bytes), "w");
    if (f == NULL) {
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, arg);
        Py_DECREF(bytes);
        return NULL;
    }
    Py_DECREF(bytes);
    /* The map and the statistics with nothing allocated in between. */
    pm_heapmap_counts c;
    int r = pm_heapmap_write_file(g.rt, f, &c);
    pm_alloc_stats st;
    pm_alloc_stats_get(g.rt, &st);
    if (fclose(f) != 0)
        r = -1;
    if (r < 0) {
        PyErr_SetString(PyExc_OSError, "heapmap: write failed");
        return NULL;
    }
    int same = c.arenas_in_use == st.arenas_in_use && c.arenas_reserved == st.arenas_reserved &&
               c.pools_in_use == st.pools_in_use && c.pools_free == st.pools_free &&
               c.pools_released == st.pools_released && c.pages_released == st.pages_released &&
               c.small_bytes_in_use == st.small_bytes_in_use;
    return Py_BuildValue("{sn,sn,sn,sn,sn,sn,sn,sO}", "arenas_in_use", (Py_ssize_t)c.arenas_in_use,
                         "arenas_reserved", (Py_ssize_t)c.arenas_reserved, "pools_in_use",
                         (Py_ssize_t)c.pools_in_use, "pools_free", (Py_ssize_t)c.pools_free,
                         "pools_released", (Py_ssize_t)c.pools_released, "pages_released",
                         (Py_ssize_t)c.pages_released, "small_bytes_in_use",
                         (Py_ssize_t)c.small_bytes_in_use, "matches_stats", same ? Py_True : Py_False);
}

/* why_alive / print_why_alive are written in Python (they drive CPython's
 * gc.get_referrers): a breadth-first search backwards from the object, one
 * level of referrers at a time, stopping at the first root met, so the
 * chain is a shortest one.  Roots: each running frame's locals (found by
 * value: a running frame's locals are not visited by gc in 3.11) and the
 * __dict__ of each module in sys.modules.  The search's own containers and
 * frames are left out.  Links are named as pymm's why_alive names them. */
static const char why_alive_source[] =
    "import gc as _gc, sys as _sys\n"
    "from collections import deque as _deque\n"
    "def _slot(c, x):\n"
    "    if isinstance(c, dict):\n"
    "        for k, v in c.items():\n"
    "            if v is x:\n"
    "                return '[%r]' % (k,) if isinstance(k, (str, int)) else '[<%s>]' % type(k).__name__\n"
    "            if k is x:\n"
    "                return '.keys() has %r' % (k,)\n"
    "    if isinstance(c, (list, tuple)):\n"
    "        for i, v in enumerate(c):\n"
    "            if v is x:\n"
    "                return '[%d]' % i\n"
    "    d = getattr(c, '__dict__', None) if not isinstance(c, type) else None\n"
    "    if type(d) is dict:\n"
    "        for k, v in d.items():\n"
    "            if v is x and isinstance(k, str):\n"
    "                return '.' + k\n"
    "    for name in getattr(type(c), '__slots__', ()):\n"
    "        if getattr(c, name, None) is x:\n"
    "            return '.' + name\n"
    "    for i, r in enumerate(_gc.get_referents(c)):\n"
    "        if r is x:\n"
    "            return '.<referent %d>' % i\n"
    "    return '.<?>'\n"
    "def why_alive(obj):\n"
    "    # The shortest chain of references from a root to obj: a list of link\n"
    "    # strings, [] when obj is itself a root, None when none reaches it.\n"
    "    me = _sys._getframe()\n"
    "    frame_of = {}\n"
    "    f = me.f_back\n"
    "    while f is not None:\n"
    "        if f.f_locals is f.f_globals or (f.f_code.co_name == 'print_why_alive' and f.f_globals is globals()):\n"
    "            f = f.f_back\n"
    "            continue\n"
    "        for k, v in f.f_locals.items():\n"
    "            frame_of.setdefault(id(v), '%s() locals[%r]' % (f.f_code.co_qualname, k))\n"
    "        f = f.f_back\n"
    "    mods = {}\n"
    "    for name, m in list(_sys.modules.items()):\n"
    "        d = getattr(m, '__dict__', None)\n"
    "        if type(d) is dict:\n"
    "            mods.setdefault(id(d), name + '.__dict__')\n"
    "    nxt = {id(obj): None}\n"
    "    keep = [obj]\n"
    "    queue = _deque([obj])\n"
    "    ignore = {id(me), id(nxt), id(keep), id(queue), id(frame_of), id(mods)}\n"
    "    found = None\n"
    "    while queue:\n"
    "        x = queue.popleft()\n"
    "        if id(x) in frame_of or (id(x) in mods and x is not obj):\n"
    "            found = x\n"
    "            break\n"
    "        refs = _gc.get_referrers(x)\n"
    "        ignore.add(id(refs))\n"
    "        for r in refs:\n"
    "            if id(r) in nxt or id(r) in ignore:\n"
    "                continue\n"
    "            nxt[id(r)] = x\n"
    "            keep.append(r)\n"
    "            queue.append(r)\n"
    "        del refs\n"
    "    if found is None:\n"
    "        return None\n"
    "    chain = [found]\n"
    "    while chain[-1] is not obj:\n"
    "        chain.append(nxt[id(chain[-1])])\n"
    "    links = []\n"
    "    i = 0\n"
    "    if id(found) in frame_of:\n"
    "        links.append(frame_of[id(found)])\n"
    "    while i + 1 < len(chain):\n"
    "        c, x = chain[i], chain[i + 1]\n"
    "        head = mods[id(c)] if i == 0 and id(c) in mods else type(c).__name__\n"
    "        if i + 2 < len(chain) and not isinstance(c, type) and getattr(c, '__dict__', None) is x:\n"
    "            links.append(head + _slot(x, chain[i + 2]))\n"
    "            i += 2\n"
    "            continue\n"
    "        links.append(head + _slot(c, x))\n"
    "        i += 1\n"
    "    return links\n"
    "def print_why_alive(obj):\n"
    "    # why_alive(obj) printed as one line: a -> b -> c\n"
    "    chain = why_alive(obj)\n"
    "    print(' -> '.join(chain) if chain is not None else 'no root reaches the %s object' % type(obj).__name__)\n";

/* Run why_alive_source in the module's namespace. */
static int add_why_alive(PyObject *module)
{
    PyObject *d = PyModule_GetDict(module);     /* borrowed */
    if (PyDict_GetItemString(d, "__builtins__") == NULL &&
        PyDict_SetItemString(d, "__builtins__", PyEval_GetBuiltins()) < 0)
        return -1;
    PyObject *r = PyRun_String(why_alive_source, Py_file_input, d, d);
    if (r == NULL)
        return -1;
    Py_DECREF(r);
    return 0;
}

/* PYMM_HEAPMAP=FILE: the heap map at exit. */
static void heapmap_at_exit(void)
{
    const char *path = getenv("PYMM_HEAPMAP");
    if (g.rt == NULL || path == NULL || path[0] == '\0')
        return;
    FILE *f = fopen(path, "w");
    int r = f != NULL ? pm_heapmap_write_file(g.rt, f, NULL) : -1;
    if (f != NULL && fclose(f) != 0)
        r = -1;
    if (r < 0)
        fprintf(stderr, "pymm-python: PYMM_HEAPMAP: cannot write %s\n", path);
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
    {"trim", pymm_trim, METH_NOARGS, "Give free memory back to the OS; bytes given back."},
    {"heapmap", pymm_heapmap, METH_O,
     "heapmap(path) -> dict: write pymm's heap map as SVG; what it drew."},
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
    PyObject *m = PyModule_Create(&pymm_module);
    if (m != NULL && add_why_alive(m) < 0)
        Py_CLEAR(m);
    return m;
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
    heapmap_at_exit();
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
