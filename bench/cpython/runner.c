/*
 * runner.c — pymm-bench-cpython-run: run one command, report its wall time
 * and peak RSS.
 *
 *   usage: pymm-bench-cpython-run <program> [args...]
 *   prints, on stderr, after the program exits:
 *     pymm-bench-run: seconds=<wall> peak_rss_kib=<ru_maxrss> status=<exit>
 *                     cpu_seconds=<user+system>
 *   (one line; CPU time is what a loaded machine disturbs least)
 *
 * Why a C helper: a child's ru_maxrss counts the memory image it was forked
 * from.  Linux keeps the larger of the child's own high-water mark and that
 * of the address space it replaced at exec — for a vfork()/posix_spawn()
 * child (what Python's subprocess uses) that is the parent's whole RSS, for a
 * fork() child the copy of it.  Forked from a Python driver (~10-15 MiB), a
 * small workload would report the driver's RSS, not its own.  This process is
 * about 1 MiB, below any Python interpreter, so the figure is the child's.
 *
 * Exit status: the program's (128 + signal when killed), 127 when it could
 * not be run.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s <program> [args...]\n", argv[0]);
        return 2;
    }
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("pymm-bench-run: fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "pymm-bench-run: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("pymm-bench-run: wait4");
            return 127;
        }
    }
    double secs = now() - t0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status)
               : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 127;
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    fprintf(stderr, "pymm-bench-run: seconds=%.6f peak_rss_kib=%ld status=%d cpu_seconds=%.6f\n",
            secs, (long)ru.ru_maxrss, code, cpu);
    return code;
}
