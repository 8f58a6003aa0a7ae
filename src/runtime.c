/*
 * runtime.c — creating and destroying a pm_runtime, and its options.
 *
 * A runtime is calloc'ed from the system allocator (it is what the pools
 * hang off, so it cannot come from them).  Subsystems start in dependency
 * order — allocator, then the object layer — and stop in reverse.  Options
 * are one table (name, environment variable, field, range), like mimalloc's
 * options.c, so that the config struct, PYMM_* parsing and docs agree.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

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
    cfg->hash_seed = -1;
    cfg->int_max_str_digits = 4300;
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
    if (pmi_alloc_init(rt) < 0) goto fail_alloc;
    if (pmi_objects_init(rt) < 0) goto fail_objects;
    return rt;
fail_objects:
    pmi_alloc_fini(rt);
fail_alloc:
    free(rt);
    return NULL;
}

void pm_runtime_free(pm_runtime *rt) {
    if (!rt) return;
    pmi_objects_fini(rt);
    pmi_alloc_fini(rt);
    free(rt);
}
