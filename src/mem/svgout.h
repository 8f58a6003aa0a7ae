/*
 * svgout.h — the small buffered writer the pictures share (heapmap.c
 * defines it; gc/gctrace.c uses it): text is formatted into a buffer on
 * the caller's stack and handed to the embedder's pm_write_func in chunks.
 * Nothing is allocated, so drawing works when memory is gone.  The first
 * failed write sticks: later output is dropped and pmi_svg_end reports it.
 */
#ifndef PYMM_MEM_SVGOUT_H
#define PYMM_MEM_SVGOUT_H

#include <stddef.h>
#include "pymm.h"

typedef struct pmi_svg {
    pm_write_func write;        /* the embedder's sink */
    void *ctx;                  /* its argument */
    size_t len;                 /* bytes waiting in buf */
    int failed;                 /* a write returned -1: drop the rest */
    char buf[4096];             /* pending output */
} pmi_svg;

void pmi_svg_init(pmi_svg *s, pm_write_func write, void *ctx);
/* printf into the stream (a line longer than the buffer is cut). */
void pmi_svg_printf(pmi_svg *s, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Flush; 0, or -1 with OSError recorded in rt when any write failed. */
int pmi_svg_end(pm_runtime *rt, pmi_svg *s);
/* The pm_write_func that writes to a FILE* (ctx). */
int pmi_svg_file_write(void *ctx, const char *data, size_t n);
/* "#rrggbb" of hue h (0..359) at saturation s and value v (0..100). */
void pmi_svg_color(char out[8], unsigned h, unsigned s, unsigned v);

#endif
