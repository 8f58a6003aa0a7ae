/* The heap map of bench/alloc's `frag` workload, scaled down: n blocks of
 * 16..256 bytes, then every block but each 100th freed in allocation
 * order, then pm_trim.  Writes OUTDIR/frag-1-full.svg, frag-2-freed.svg,
 * frag-3-trimmed.svg and checks each map's counts against the allocator's
 * statistics taken at the same moment (exit 1 on a difference).
 * Usage: seeing_frag_map OUTDIR [N]   (docs/seeing.md shows the pictures) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pymm.h"

static int draw(pm_runtime *rt, const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    pm_heapmap_counts c;
    int r = pm_heapmap_write_file(rt, f, &c);
    fclose(f);
    if (r < 0) return -1;
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    int same = c.arenas_in_use == s.arenas_in_use && c.arenas_reserved == s.arenas_reserved &&
               c.pools_in_use == s.pools_in_use && c.pools_free == s.pools_free &&
               c.pools_released == s.pools_released && c.pages_released == s.pages_released &&
               c.small_bytes_in_use == s.small_bytes_in_use;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++)
        same &= c.size_class[i].pools == s.size_class[i].pools &&
                c.size_class[i].blocks_in_use == s.size_class[i].blocks_in_use &&
                c.size_class[i].blocks_free == s.size_class[i].blocks_free;
    printf("%s: arenas %zu+%zu reserve, pools in use %zu, empty %zu, given back %zu, pages given back %zu, "
           "small bytes %zu: %s\n",
           name, c.arenas_in_use, c.arenas_reserved, c.pools_in_use, c.pools_free, c.pools_released,
           c.pages_released, c.small_bytes_in_use, same ? "equal to pm_alloc_stats" : "DIFFERENT from pm_alloc_stats");
    return same ? 0 : -1;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s OUTDIR [N]\n", argv[0]);
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 200000;
    pm_runtime *rt = pm_runtime_new(NULL);
    if (!rt) return 1;
    int rc = 1;
    void *head = NULL, **tail = &head;
    uint64_t x = 88172645463325252ULL;
    for (long i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t size = 16 + (size_t)(x % 241);
        void **b = pm_malloc(rt, size);
        if (!b) goto done;
        memset(b, 0xab, size);
        *b = NULL;
        *tail = b;
        tail = (void **)b;
    }
    if (draw(rt, argv[1], "frag-1-full.svg") < 0) goto done;
    /* free all but each 100th, in allocation order; keep the survivors chained */
    void *p = head, *keep = NULL, **ktail = &keep;
    for (long i = 0; p; i++) {
        void *next = *(void **)p;
        if (i % 100 == 0) {
            *(void **)p = NULL;
            *ktail = p;
            ktail = (void **)p;
        } else {
            pm_free(rt, p);
        }
        p = next;
    }
    if (draw(rt, argv[1], "frag-2-freed.svg") < 0) goto done;
    printf("trim gave back %zu bytes\n", pm_trim(rt));
    if (draw(rt, argv[1], "frag-3-trimmed.svg") < 0) goto done;
    for (p = keep; p;) {
        void *next = *(void **)p;
        pm_free(rt, p);
        p = next;
    }
    rc = 0;
done:
    pm_runtime_free(rt);
    return rc;
}
