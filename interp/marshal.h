/*
 * interp/marshal.h -- CPython 3.11's marshal format (version 4) and .pyc files.
 *
 * pmi_marshal_loads reads everything a 3.11 .pyc holds (code objects, tuples,
 * every str form, bytes, ints of any size, floats, None/True/False/Ellipsis,
 * StopIteration, lists, dicts, sets, frozensets, back-references);
 * pmi_marshal_dumps writes version 4 as 3.11 does.  Malformed input is a
 * clean error with CPython's message and kind: ValueError "bad marshal
 * data (...)", EOFError "EOF read where object expected" (no type byte
 * where an object must start, or fewer bytes than a container's items) and
 * EOFError "marshal data too short" (an object's own bytes cut short).
 *
 * A container that holds itself through a back-reference (python3 can
 * build ((...),) from such data; the compiler never writes it) is
 * "bad marshal data (invalid reference)" here: pymm's tuples cannot be
 * filled after they are made.
 *
 * Complex numbers ('y'/'x') load as libpymm complex objects.  StopIteration (the exception class, marshal's 'S')
 * loads as pm_exc_StopIteration and is written back as 'S'.
 */
#ifndef PYMM_INTERP_MARSHAL_H
#define PYMM_INTERP_MARSHAL_H

#include <stddef.h>
#include <stdint.h>

#include "pymm.h"

#define PMI_MARSHAL_VERSION 4
/* importlib.util.MAGIC_NUMBER of 3.11: 3495 little-endian + b"\r\n". */
#define PMI_PYC_MAGIC_NUMBER 3495
#define PMI_PYC_HEADER_SIZE 16

/* The object stored in data[0:n] (NEW ref), or NULL with an error.  Trailing
 * bytes after the object are ignored (as marshal.loads). */
pm_object *pmi_marshal_loads(pm_runtime *rt, const unsigned char *data, size_t n);

/* marshal.dumps(obj, 4): a NEW bytes object, or NULL (ValueError
 * "unmarshallable object", "object too deeply nested to marshal",
 * MemoryError). */
pm_object *pmi_marshal_dumps(pm_runtime *rt, pm_object *obj);

/* The code object of a .pyc image (header checked: 3.11's magic number,
 * known flags), NEW ref; NULL + ValueError "bad magic number in .pyc" /
 * "bad .pyc header" or a marshal error. */
pm_object *pmi_pyc_read(pm_runtime *rt, const unsigned char *data, size_t n);

/* A .pyc image of code (NEW bytes): magic, flags 0 (timestamp-based, as
 * py_compile's default), mtime and source size (both mod 2**32), then
 * marshal data. */
pm_object *pmi_pyc_write(pm_runtime *rt, pm_object *code, uint32_t mtime, uint32_t source_size);

#endif
