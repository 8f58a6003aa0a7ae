/*
 * bench_alloc.c — allocator workloads, one workload per process.
 *
 * Usage:  pymm-bench-alloc-<impl> <workload> [--reps N] [--scale F]
 *         workload: pairs32 | replace | list48 | frag | all
 *
 * The same source is built once per allocator (see alloc_impl.h), so every
 * allocator runs exactly the same loops, the same random streams and the same
 * writes into its blocks.  bench/run-alloc.sh runs each (workload, allocator)
 * pair in a fresh process, which makes the peak RSS (VmHWM) of a line that
 * workload's alone; every RSS figure is reported net of the process's
 * baseline (VmRSS once the allocator is set up), so that what the program
 * and its libraries occupy anyway (libpython's own interpreter state, for
 * pymalloc) is not counted as the allocator's.
 *
 * Workloads (sizes at --scale 1):
 *
 *   pairs32  malloc(32) + free, 50M times; the pointer escapes through an
 *            empty asm so neither call can be elided.  ns per pair.
 *   replace  1M live blocks of 16..512 bytes; 20M times a random one is freed
 *            and replaced by a new block of a random size (first and last
 *            byte written).  Index and size come from an inline xorshift64,
 *            the same stream for every allocator.  ns per replacement.
 *   list48   a 10M-node singly linked list of 48-byte nodes, built by
 *            appending, then freed from the head.  ns per node (build+free).
 *            Run for N rounds in one process: `list48-cold` is the first
 *            round (every page is touched for the first time), `list48` the
 *            mean of the later ones (warm: it shows whether the allocator kept
 *            its pages or gave them back and faults them in again).
 *   frag     4M blocks of 16..256 bytes (filled with memset), then every
 *            block except each 100th freed, in allocation order.  Reports
 *            peak RSS, RSS after the frees and their ratio; `frag-trim`
 *            repeats the RSS figures after the allocator's trim call.
 *            The blocks are chained through their first word, so the
 *            harness itself holds no array that would add to the RSS.
 *
 * Output: lines `bench alloc <workload> <impl> key=value ...` (the
 * machine-readable results) and `info alloc ...` (details for the tables).
 *
 * Harness memory (the replace slot array) comes from mmap, not from the
 * allocator under test, so that no allocator is charged for it.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "alloc_impl.h"

/* ---- workload sizes at --scale 1 ---------------------------------------- */
enum {
    PAIRS32_COUNT = 50000000,   /* alloc/free pairs */
    REPLACE_LIVE = 1000000,     /* live blocks */
    REPLACE_OPS = 20000000,     /* replacements per round */
    REPLACE_MIN = 16,
    REPLACE_MAX = 512,
    LIST48_NODES = 10000000,
    FRAG_BLOCKS = 4000000,
    FRAG_MIN = 16,
    FRAG_MAX = 256,
    FRAG_KEEP_EVERY = 100       /* block i survives when i % 100 == 0 */
};

/* Default rounds per process: pairs32 reports the best round, replace the
 * best of its rounds (run-alloc.sh also repeats each process), list48 the
 * first (cold) and the mean of the rest (warm). */
enum { PAIRS32_REPS = 3, REPLACE_REPS = 1, LIST48_REPS = 4, FRAG_REPS = 1 };

/* ---- small helpers -------------------------------------------------------- */

/* Make p visible to "the outside world" so that the compiler must produce it
 * and keep every store made through it so far. */
static inline void escape(void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* CPU time of the process (user + system): on a machine shared with other
 * work it counts only this process's own time, so the `cpu_ns` detail lines
 * vary far less under load than the wall-clock figures (which stay the
 * reported ones). */
static double cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* xorshift64 (Marsaglia): a few cycles per number, identical for every
 * allocator. */
static inline uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Map the low 32 bits of r onto lo..hi (inclusive) without a division. */
static inline size_t rng_range(uint64_t r, size_t lo, size_t hi)
{
    return lo + (size_t)(((r & 0xffffffffu) * (uint64_t)(hi - lo + 1)) >> 32);
}

/* Map the high 32 bits of r onto 0..n-1. */
static inline size_t rng_index(uint64_t r, size_t n)
{
    return (size_t)(((r >> 32) * (uint64_t)n) >> 32);
}

static void die_oom(const char *what)
{
    fprintf(stderr, "bench-alloc(%s): out of memory in %s\n", IMPL_NAME, what);
    exit(2);
}

/* VmRSS / VmHWM in KiB from /proc/self/status; read with a stack buffer so
 * that the measurement does not allocate. */
typedef struct rss_info {
    long rss_kib; /* VmRSS: resident now */
    long hwm_kib; /* VmHWM: peak resident since the process started */
} rss_info;

static long status_field(const char *buf, const char *key)
{
    const char *p = strstr(buf, key);

    return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static rss_info rss_read(void)
{
    char buf[8192];
    rss_info r = { -1, -1 };
    ssize_t n, got = 0;
    int fd = open("/proc/self/status", O_RDONLY);

    if (fd < 0)
        return r;
    while ((n = read(fd, buf + got, sizeof buf - 1 - (size_t)got)) > 0)
        got += n;
    close(fd);
    buf[got] = '\0';
    r.rss_kib = status_field(buf, "VmRSS:");
    r.hwm_kib = status_field(buf, "VmHWM:");
    return r;
}

static void *harness_alloc(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        die_oom("harness mmap");
    return p;
}

/* The result line; peak_kib < 0 means "VmHWM now".  peak_rss_kib is the
 * peak minus the process's baseline (VmRSS once the allocator is set up,
 * before any workload): what the workload made resident, without the
 * program, libc, and — for pymalloc — libpython's own interpreter state. */
static void report(const char *workload, double ns_per_op, long peak_kib, long base_kib)
{
    long peak = peak_kib < 0 ? rss_read().hwm_kib : peak_kib;

    printf("bench alloc %s %s ns_per_op=%.2f peak_rss_kib=%ld base_rss_kib=%ld\n", workload, IMPL_NAME,
           ns_per_op, peak - base_kib, base_kib);
    fflush(stdout);
}

static size_t scaled(long base, double scale)
{
    double n = (double)base * scale;

    return n < 1.0 ? 1 : (size_t)n;
}

/* ---- (a) pairs32 ---------------------------------------------------------- */

static void run_pairs32(bench_heap *h, int reps, double scale, long base_kib)
{
    size_t n = scaled(PAIRS32_COUNT, scale);
    double best = 0;

    for (int r = 0; r < reps; r++) {
        double c0 = cpu_ns(), t0 = now_ns();
        for (size_t i = 0; i < n; i++) {
            void *p = impl_malloc(h, 32);
            if (p == NULL)
                die_oom("pairs32");
            escape(p);
            impl_free(h, p);
        }
        double ns = (now_ns() - t0) / (double)n;
        printf("info alloc pairs32 %s round=%d ns_per_op=%.2f cpu_ns_per_op=%.2f\n", IMPL_NAME, r + 1, ns,
               (cpu_ns() - c0) / (double)n);
        if (r == 0 || ns < best)
            best = ns;
    }
    report("pairs32", best, -1, base_kib);
}

/* ---- (b) replace ---------------------------------------------------------- */

static inline void *replace_new(bench_heap *h, size_t size)
{
    unsigned char *p = impl_malloc(h, size);

    if (p == NULL)
        die_oom("replace");
    p[0] = (unsigned char)size; /* an object's header ... */
    p[size - 1] = 1;            /* ... and its last field */
    escape(p);
    return p;
}

static void run_replace(bench_heap *h, int reps, double scale, long base_kib)
{
    size_t live = scaled(REPLACE_LIVE, scale);
    size_t ops = scaled(REPLACE_OPS, scale);
    void **slot = harness_alloc(live * sizeof *slot);
    uint64_t seed = 0x9e3779b97f4a7c15u;
    double best = 0;

    for (size_t i = 0; i < live; i++)
        slot[i] = replace_new(h, rng_range(rng_next(&seed), REPLACE_MIN, REPLACE_MAX));
    for (int r = 0; r < reps; r++) {
        double c0 = cpu_ns(), t0 = now_ns();
        for (size_t k = 0; k < ops; k++) {
            uint64_t x = rng_next(&seed);
            size_t i = rng_index(x, live);
            impl_free(h, slot[i]);
            slot[i] = replace_new(h, rng_range(x, REPLACE_MIN, REPLACE_MAX));
        }
        double ns = (now_ns() - t0) / (double)ops;
        printf("info alloc replace %s round=%d ns_per_op=%.2f cpu_ns_per_op=%.2f\n", IMPL_NAME, r + 1, ns,
               (cpu_ns() - c0) / (double)ops);
        if (r == 0 || ns < best)
            best = ns;
    }
    report("replace", best, -1, base_kib);
    for (size_t i = 0; i < live; i++)
        impl_free(h, slot[i]);
    munmap(slot, live * sizeof *slot);
}

/* ---- (c) list48 ----------------------------------------------------------- */

typedef struct node48 {
    struct node48 *next; /* the list link */
    uint64_t payload[5]; /* the rest of a 48-byte node */
} node48;

_Static_assert(sizeof(node48) == 48, "list48 nodes must be 48 bytes");

static void run_list48(bench_heap *h, int reps, double scale, long base_kib)
{
    size_t n = scaled(LIST48_NODES, scale);
    double warm = 0, first = 0;

    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        node48 *head = NULL, **tail = &head;
        for (size_t i = 0; i < n; i++) {
            node48 *nd = impl_malloc(h, sizeof *nd);
            if (nd == NULL)
                die_oom("list48");
            nd->next = NULL;
            nd->payload[0] = i;
            *tail = nd;
            tail = &nd->next;
        }
        escape(head);
        double t1 = now_ns();
        while (head) {
            node48 *next = head->next;
            impl_free(h, head);
            head = next;
        }
        double t2 = now_ns();
        double ns = (t2 - t0) / (double)n;
        printf("info alloc list48 %s round=%d ns_per_op=%.2f build_ns=%.2f free_ns=%.2f\n",
               IMPL_NAME, r + 1, ns, (t1 - t0) / (double)n, (t2 - t1) / (double)n);
        if (r == 0)
            first = ns;
        else
            warm += ns;
    }
    report("list48", reps > 1 ? warm / (reps - 1) : first, -1, base_kib);
    report("list48-cold", first, -1, base_kib);
}

/* ---- (d) frag ------------------------------------------------------------- */

/* RSS figures net of the process baseline, as report()'s. */
static void frag_line(const char *workload, long after, long peak, long base_kib)
{
    after -= base_kib;
    peak -= base_kib;
    printf("bench alloc %s %s rss_after_kib=%ld rss_peak_kib=%ld ratio=%.4f\n", workload, IMPL_NAME,
           after, peak, peak > 0 ? (double)after / (double)peak : 0.0);
}

#if defined(BENCH_IMPL_PYMM)
static void frag_pymm_stats(bench_heap *h, const char *when)
{
    pm_alloc_stats st;

    pm_alloc_stats_get(h, &st);
    printf("info alloc frag pymm when=%s arenas_in_use=%zu arenas_reserved=%zu pools_in_use=%zu "
           "pools_free=%zu pools_released=%zu pages_released=%zu bytes_mapped=%zu "
           "bytes_resident=%zu small_bytes_in_use=%zu\n",
           when, st.arenas_in_use, st.arenas_reserved, st.pools_in_use, st.pools_free,
           st.pools_released, st.pages_released, st.bytes_mapped, st.bytes_resident,
           st.small_bytes_in_use);
}
#endif

static void run_frag(bench_heap *h, int reps, double scale, long base_kib)
{
    size_t n = scaled(FRAG_BLOCKS, scale);
    uint64_t seed = 0x2545f4914f6cdd1du;
    rss_info base = rss_read();
    (void)reps; /* one round: the second would start from a fragmented heap */

    /* Allocate, chaining every block through its first word. */
    double t0 = now_ns();
    void *head = NULL, **tail = &head;
    for (size_t i = 0; i < n; i++) {
        size_t size = rng_range(rng_next(&seed), FRAG_MIN, FRAG_MAX);
        void **p = impl_malloc(h, size);
        if (p == NULL)
            die_oom("frag");
        memset(p, (int)(i & 0x7f), size);
        *p = NULL;
        *tail = p;
        tail = (void **)p;
    }
    escape(head);
    double t1 = now_ns();
    rss_info peak = rss_read();

    /* Free all but every 100th block; the survivors stay chained. */
    size_t freed = 0, i = 0;
    void **keep = NULL;
    for (void **p = head; p; i++) {
        void **next = *p;
        if (i % FRAG_KEEP_EVERY == 0) {
            if (keep)
                *keep = p;
            else
                head = p;
            keep = p;
            *p = NULL;
        } else {
            impl_free(h, p);
            freed++;
        }
        p = next;
    }
    escape(head);
    double t2 = now_ns();
    rss_info after = rss_read();
#if defined(BENCH_IMPL_PYMM)
    frag_pymm_stats(h, "after-free");
#endif

    double t3 = now_ns();
    const char *trim = impl_trim(h);
    double t4 = now_ns();
    rss_info trimmed = rss_read();
#if defined(BENCH_IMPL_PYMM)
    frag_pymm_stats(h, "after-trim");
#endif

    report("frag", (t2 - t0) / (double)(n + freed), peak.hwm_kib, base_kib);
    frag_line("frag", after.rss_kib, peak.hwm_kib, base_kib);
    frag_line("frag-trim", trimmed.rss_kib, peak.hwm_kib, base_kib);
    printf("info alloc frag %s rss_base_kib=%ld alloc_ns=%.2f free_ns=%.2f trim=%s trim_ms=%.3f\n",
           IMPL_NAME, base.rss_kib, (t1 - t0) / (double)n, (t2 - t1) / (double)freed,
           trim ? trim : "none", (t4 - t3) / 1e6);

    for (void **p = head; p;) {
        void **next = *p;
        impl_free(h, p);
        p = next;
    }
}

/* ---- main ----------------------------------------------------------------- */

typedef struct workload {
    const char *name;                                       /* command-line name */
    void (*run)(bench_heap *h, int reps, double scale, long base_kib); /* the workload */
    int reps;                                               /* default rounds */
} workload;

static const workload workloads[] = {
    { "pairs32", run_pairs32, PAIRS32_REPS },
    { "replace", run_replace, REPLACE_REPS },
    { "list48", run_list48, LIST48_REPS },
    { "frag", run_frag, FRAG_REPS },
};
enum { N_WORKLOADS = sizeof workloads / sizeof workloads[0] };

static int usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s pairs32|replace|list48|frag|all [--reps N] [--scale F]\n"
            "  one workload per process gives each its own peak RSS; `all` is for smoke tests\n",
            prog);
    return 2;
}

int main(int argc, char **argv)
{
    int reps = 0;
    double scale = 1.0;
    bench_heap *h = NULL;
    const char *err;

    if (argc < 2)
        return usage(argv[0]);
    for (int a = 2; a < argc; a++) {
        if (strcmp(argv[a], "--reps") == 0 && a + 1 < argc)
            reps = atoi(argv[++a]);
        else if (strcmp(argv[a], "--scale") == 0 && a + 1 < argc)
            scale = strtod(argv[++a], NULL);
        else
            return usage(argv[0]);
    }
    if (reps < 0 || !(scale > 0))
        return usage(argv[0]);

    int all = strcmp(argv[1], "all") == 0, found = 0;
    if ((err = impl_open(&h)) != NULL) {
        fprintf(stderr, "bench-alloc(%s): %s\n", IMPL_NAME, err);
        return 1;
    }
    if ((err = impl_check(h)) != NULL) {
        fprintf(stderr, "bench-alloc(%s): %s (malloc comes from %s)\n", IMPL_NAME, err,
                malloc_provider());
        return 1;
    }
    /* The baseline every RSS figure is reported net of: the process with
     * its allocator set up (pymalloc: libpython loaded, and initialized if
     * asked), before the first workload.  Two warm-ups come first, so that
     * the figures are the workload's and not start-up's:
     * - stdio: the first printf faults in libc's formatting code and
     *   allocates stdout's buffer (about 200 KiB resident, whatever the
     *   allocator);
     * - the allocator's first block: some allocators set up at load time
     *   (jemalloc, mimalloc), others at their first allocation (pymm reserves
     *   its region then, and faults in the code of its slow paths: ~70 KiB). */
    printf("info alloc %s baseline\n", IMPL_NAME);
    fflush(stdout);
    /* ... and the code every workload runs besides the allocator: the
     * clocks, and printf's floating-point conversion (its first call
     * faults in a page of libc's text, and the kernel maps the 15 around
     * it: 64 KiB that pairs32 charged to some allocators and not others,
     * depending on what their own set-up had touched). */
    char warm[64];
    snprintf(warm, sizeof warm, "%.2f %.4f", now_ns(), cpu_ns());
    escape(warm);
    void *first = impl_malloc(h, 32);
    if (first == NULL)
        die_oom("warm-up");
    escape(first);
    impl_free(h, first);
    long base_kib = rss_read().rss_kib;
    for (int w = 0; w < N_WORKLOADS; w++) {
        if (all || strcmp(argv[1], workloads[w].name) == 0) {
            workloads[w].run(h, reps ? reps : workloads[w].reps, scale, base_kib);
            found = 1;
        }
    }
    impl_close(h);
    return found ? 0 : usage(argv[0]);
}
