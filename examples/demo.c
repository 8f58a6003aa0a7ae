/*
 * pymm-demo — the main demo (`make run`): a tour of the seed's topics
 * through pymm's C API.
 *
 *   1. Memory allocators: a spread of small blocks and a few large ones, the
 *      statistics table (like sys._debugmallocstats), then a scattered free
 *      and what page return and pm_trim give back.
 *   2. Reference counting, object layout, memory optimization (tour_objects.c)
 *   3. Garbage collection and circular references (tour_gc.c)
 *   4. Memory views (tour_memoryview.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include "pymm.h"

int pm_tour_objects(pm_runtime *rt, FILE *out);
int pm_tour_gc(pm_runtime *rt, FILE *out);
int pm_tour_memoryview(pm_runtime *rt, FILE *out);

static void memory_line(pm_runtime *rt, const char *when) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    printf("  %-28s mapped %7zu KiB, resident %7zu KiB, in live small blocks %7zu KiB\n", when,
           s.bytes_mapped / 1024, s.bytes_resident / 1024, s.small_bytes_in_use / 1024);
}

static int tour_allocator(pm_runtime *rt) {
    enum { N = 200000 };
    void **blocks = malloc(N * sizeof *blocks);
    if (!blocks) return -1;
    unsigned long long seed = 42;
    for (int i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t size = 16 + (size_t)((seed >> 33) % 497);
        if (i % 1000 == 0) size = 4096; /* large: the system allocator */
        blocks[i] = pm_malloc(rt, size);
        if (!blocks[i]) {
            while (i--) pm_free(rt, blocks[i]);
            free(blocks);
            return -1;
        }
    }
    printf("== Memory allocators: %d blocks of 16..512 bytes (and a few of 4 KiB) ==\n\n", N);
    pm_alloc_stats_print(rt, stdout);
    printf("\n== Giving memory back ==\n");
    memory_line(rt, "after allocating:");
    for (int i = 0; i < N; i++)
        if (i % 100 != 0) pm_free(rt, blocks[i]);
    memory_line(rt, "after freeing 99%, scattered:");
    size_t back = pm_trim(rt);
    memory_line(rt, "after pm_trim:");
    printf("  (pm_trim gave back %zu KiB more: only pages holding a live block stay)\n\n", back / 1024);
    for (int i = 0; i < N; i += 100) pm_free(rt, blocks[i]);
    free(blocks);
    return 0;
}

int main(void) {
    pm_runtime *rt = pm_runtime_new(NULL);
    if (!rt) {
        fprintf(stderr, "pymm-demo: cannot create a runtime\n");
        return 1;
    }
    int rc = tour_allocator(rt);
    if (rc == 0) rc = pm_tour_objects(rt, stdout);
    printf("\n");
    if (rc == 0) rc = pm_tour_gc(rt, stdout);
    printf("\n");
    if (rc == 0) rc = pm_tour_memoryview(rt, stdout);
    pm_runtime_free(rt);
    if (rc != 0) fprintf(stderr, "pymm-demo: a step of the tour failed\n");
    return rc == 0 ? 0 : 1;
}
