/*
 * buffer.h — internal interface of the buffer protocol (buffer.c) and of
 * memoryview's pieces (objects/memoryview*.c), grouped by defining file.
 * Public API: pymm.h, section "Buffers and memoryview".
 */
#ifndef PYMM_BUFFER_H
#define PYMM_BUFFER_H

#include "core/object.h"

/* ---- buffer.c: copying between views ------------------------------------- */

/* Both views must have full information (shape and strides; suboffsets
 * optional), ndim >= 1, and the same structure (checked: ValueError
 * "memoryview assignment: lvalue and rvalue have different structures").
 * Copies every item of src into dest; correct when the two overlap (a
 * temporary row is used when the last dimension is not contiguous).
 * Atomic: on MemoryError nothing was written.  0 / -1. */
int pmi_buffer_copy(pm_runtime *rt, const pm_buffer *dest, const pm_buffer *src);
/* C-order (row-major) / Fortran-order strides from view->shape into
 * view->strides (ndim >= 1). */
void pmi_buffer_strides_c(pm_buffer *view);
void pmi_buffer_strides_f(pm_buffer *view);
/* The copy into fresh contiguous memory `mem` (view->len bytes) in order
 * 'C'/'A' (row-major) or 'F'.  view has full information, ndim >= 1.
 * Cannot fail (dst never overlaps). */
void pmi_buffer_gather(char *mem, const pm_buffer *view, char order);

/* ---- buffer.c: native struct formats -------------------------------------- */

/* For a native single-character format with an optional '@' ("B", "@d"):
 * the item size, with the character in *ch; -1 for anything else.  NULL
 * means "B". */
pm_ssize_t pmi_format_native(const char *fmt, char *ch);

/* ---- buffer.c: the exporters of the core types ---------------------------- */
/* pmi_bytes_getbuffer, pmi_bytearray_getbuffer, pmi_bytearray_releasebuffer:
 * declared in object.h, where bytes.c and bytearray.c see them. */

/* ---- objects/memoryview_pack.c: items <-> objects ------------------------- */

/* Unpack the item at p of native format character ch: NEW ref (int,
 * float, bool, or bytes of length 1), or NULL + NotImplementedError
 * "memoryview: format X not supported". */
pm_object *pmi_mv_unpack(pm_runtime *rt, const char *p, char ch);
/* Pack item into p with CPython's conversions and errors ("memoryview:
 * invalid type for format 'B'" TypeError, "... invalid value ..."
 * ValueError).  Nothing is written on failure.  0 / -1. */
int pmi_mv_pack(pm_runtime *rt, char *p, pm_object *item, char ch);
/* IEEE 754 binary16 <-> double with CPython's rounding (round half to
 * even) and errors: pack returns -1 on overflow (OverflowError "float too
 * large to pack with e format"). */
int pmi_half_pack(pm_runtime *rt, double x, unsigned char *p);
double pmi_half_unpack(const unsigned char *p);

/* struct.calcsize(fmt) for the formats pymm can unpack (byte order prefix,
 * repeat counts, codes x c b B ? h H i I l L q Q n N e f d s p P), else -1. */
pm_ssize_t pmi_struct_size(const char *fmt);
/* 1 when the item at p (format pf) and the item at q (format qf) unpack to
 * equal values as struct.unpack + == would (the same number of values,
 * pairwise equal: 1 == 1.0 == True, nan != nan, b'a' only equals b'a'),
 * else 0.  Both formats must have passed pmi_struct_size. */
int pmi_struct_items_equal(const char *pf, const char *p, const char *qf, const char *q);

#endif
