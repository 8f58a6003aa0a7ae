/*
 * pymm-demo — the main demo (`make run`): a tour of the allocator.
 * Allocates a spread of small objects and a few large ones, frees most of
 * them, and prints the statistics table (like sys._debugmallocstats) before
 * and after, then what a trim gives back.
 */
#include <stdio.h>
#include <stdlib.h>
#include "pymm.h"

int main(void) {
    pm_runtime *rt = pm_runtime_new(NULL);
    if (!rt) {
        fprintf(stderr, "pymm-demo: cannot create a runtime\n");
        return 1;
    }
    enum { N = 200000 };
    void **blocks = malloc(N * sizeof *blocks);
    if (!blocks) return 1;
    unsigned long long seed = 42;
    for (int i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t size = 16 + (size_t)((seed >> 33) % 497);
        if (i % 1000 == 0) size = 4096;
        blocks[i] = pm_malloc(rt, size);
        if (!blocks[i]) { fprintf(stderr, "out of memory\n"); return 1; }
    }
    printf("== %d blocks of 16..512 bytes (and a few of 4 KiB) ==\n\n", N);
    pm_alloc_stats_print(rt, stdout);
    for (int i = 0; i < N; i++)
        if (i % 100 != 0) pm_free(rt, blocks[i]);
    printf("\n== after freeing 99%% of them, scattered ==\n\n");
    pm_alloc_stats_print(rt, stdout);
    size_t back = pm_trim(rt);
    printf("\n== pm_trim gave back %zu bytes ==\n\n", back);
    pm_alloc_stats_print(rt, stdout);
    for (int i = 0; i < N; i += 100) pm_free(rt, blocks[i]);
    free(blocks);
    pm_runtime_free(rt);
    return 0;
}
