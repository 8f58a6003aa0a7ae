/*
 * runtime.c — creating and destroying a pm_runtime: the one place that
 * starts and stops the subsystems, and the runtime's options.
 *
 * A runtime is calloc'ed from the system allocator (it is what the pools
 * hang off, so it cannot come from them); every subsystem's state starts
 * zeroed.  Start-up calls each subsystem's init in dependency order, and
 * teardown each fini, here and nowhere else (runtime.h has the map):
 *
 *   pm_runtime_new                       pm_runtime_free
 *   1. mem      (pools, debug mode)      1. teardown hook (embedder)
 *   2. err, dealloc, hash, recursion,    2. gc: finalizers, last collection
 *      gc (no allocation: cannot fail)   3. free lists, repr stack
 *   3. small ints (in the runtime)       4. small ints, intern table
 *   4. free lists, repr guard            5. mem: every arena and large block
 *
 * The collector's teardown runs while everything else still works, because
 * finalizers and weakref callbacks may run during the last collection; the
 * caches go after it, as the collection refills them; mem goes last.
 *
 * Options are one table (environment variable, field, range), like
 * mimalloc's options.c, so that the config struct, PYMM_* parsing and docs
 * agree.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/runtime.h"
#include "core/object.h"
#include "gc/gc.h"

typedef struct option_desc {
    const char *env;            /* environment variable */
    size_t offset;              /* offset of the field in pm_config */
    int is_size;                /* field is size_t (else int) */
    long long min, max;         /* accepted range */
} option_desc;

static const option_desc options[] = {
    {"PYMM_DEBUG_ALLOC", offsetof(pm_config, debug_alloc), 0, 0, 1},
    {"PYMM_GC_TORTURE", offsetof(pm_config, gc_torture), 0, 0, 1},
    {"PYMM_HUGE_PAGES", offsetof(pm_config, huge_pages), 0, 0, 1},
    {"PYMM_ARENA_RESERVE", offsetof(pm_config, arena_reserve), 1, 0, 1 << 20},
    {"PYMM_PAGE_RETURN", offsetof(pm_config, page_return), 0, 0, 1},
};

void pm_config_init(pm_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->huge_pages = 0;
    cfg->arena_reserve = PMI_DEFAULT_ARENA_RESERVE;
    cfg->page_return = 1;
    cfg->hash_seed = -1;                    /* PYTHONHASHSEED unset: random */
    cfg->int_max_str_digits = 4300;         /* CPython 3.11's default limit */
}

int pm_config_from_env(pm_config *cfg, const char **err) {
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        const char *v = getenv(options[i].env);
        if (!v || !*v) continue;
        char *end;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (errno || *end || n < options[i].min || n > options[i].max) {
            if (err) *err = options[i].env;
            return -1;
        }
        char *field = (char *)cfg + options[i].offset;
        if (options[i].is_size) *(size_t *)field = (size_t)n;
        else *(int *)field = (int)n;
    }
    /* PYTHONHASHSEED, parsed as CPython does (strtoul, base 10). */
    const char *seed = getenv("PYTHONHASHSEED");
    if (seed && *seed) {
        if (strcmp(seed, "random") == 0) {
            cfg->hash_seed = -1;
        } else {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(seed, &end, 10);
            if (*end || errno || n > 4294967295ULL) {
                if (err) *err = "PYTHONHASHSEED must be \"random\" or an integer in range [0; 4294967295]";
                return -1;
            }
            cfg->hash_seed = (long long)n;
        }
    }
    /* PYTHONINTMAXSTRDIGITS: 0 or 640..INT_MAX, as CPython */
    const char *digits = getenv("PYTHONINTMAXSTRDIGITS");
    if (digits && *digits) {
        char *end;
        errno = 0;
        long n = strtol(digits, &end, 10);
        if (*end || errno || n < 0 || n > 2147483647L || (n > 0 && n < 640)) {
            if (err) *err = "PYTHONINTMAXSTRDIGITS: invalid limit; must be >= 640 or 0 for unlimited.";
            return -1;
        }
        cfg->int_max_str_digits = (int)n;
    }
    return 0;
}

pm_runtime *pm_runtime_new(const pm_config *cfg) {
    pm_runtime *rt = calloc(1, sizeof *rt);
    if (!rt) return NULL;
    if (cfg) rt->config = *cfg;
    else pm_config_init(&rt->config);
    int stage = 0;              /* subsystems started, for the failure path */
    if (pmi_mem_init(rt) < 0) goto fail;
    stage = 1;
    pmi_err_init(rt);
    pmi_dealloc_init(rt);
    pmi_hash_init(rt);
    pmi_singletons_init(rt);                /* '' and one-char str/bytes: need the hash key */
    pmi_recursion_init(rt);
    pmi_gc_init(rt);
    if (pmi_int_init(rt) < 0) goto fail;
    stage = 2;
    if (pmi_containers_init(rt) < 0) goto fail;
    return rt;
fail:
    if (stage >= 2) pmi_int_fini(rt);
    if (stage >= 1) pmi_mem_fini(rt);
    free(rt);
    return NULL;
}

void pm_runtime_free(pm_runtime *rt) {
    if (!rt) return;
    pm_teardown_hook hook = rt->teardown_hook;
    if (hook) {
        rt->teardown_hook = NULL;           /* once, even if it sets itself again */
        hook(rt, rt->teardown_ctx);
        pm_err_clear(rt);
    }
    pmi_gc_fini(rt);                        /* atexit finalizers, last collection */
    pmi_types_fini(rt);                     /* static types' dicts, method cache */
    pmi_err_fini(rt);                       /* pending error, the MemoryError */
    PMI_WALK(PMI_CHECK_(pm_gc_check(rt, stderr) == 0));
    PMI_IASSERT(rt->dealloc.pending == NULL && !rt->dealloc.running);
    pmi_containers_fini(rt);                /* free lists, repr stack */
    pmi_float_freelist_clear(rt);
    pmi_int_fini(rt);
    pmi_intern_fini(rt);
    PMI_WALK(PMI_CHECK_(pm_alloc_check(rt, stderr) == 0));
    pmi_mem_fini(rt);
    free(rt);
}

void pm_runtime_set_host(pm_runtime *rt, void *host) { rt->host = host; }
void *pm_runtime_host(const pm_runtime *rt) { return rt->host; }
void pm_runtime_interrupt(pm_runtime *rt) { rt->interrupt = 1; }
volatile sig_atomic_t *pm_runtime_interrupt_flag(pm_runtime *rt) { return &rt->interrupt; }

void pm_runtime_set_teardown_hook(pm_runtime *rt, pm_teardown_hook hook, void *ctx) {
    rt->teardown_hook = hook;
    rt->teardown_ctx = hook ? ctx : NULL;
}

void pm_runtime_set_globals_hook(pm_runtime *rt, pm_globals_hook hook, void *ctx) {
    rt->globals_hook = hook;
    rt->globals_ctx = hook ? ctx : NULL;
}

/* Every cache of objects, emptied (gc.collect(2) calls this, as CPython's
 * _PyGC_ClearAllFreeLists). */
size_t pm_freelists_clear(pm_runtime *rt) {
    pmi_intern_trim(rt);   /* an empty intern table is a cache too */
    return pmi_float_freelist_clear(rt) + pmi_containers_freelists_clear(rt);
}
