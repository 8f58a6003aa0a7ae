/* exc.h — internal interface between the error state (core/error.c) and the
 * exception objects (objects/exceptions.c). */
#ifndef PYMM_CORE_EXC_H
#define PYMM_CORE_EXC_H
#include "pymm.h"

/* Bytes of a BaseException instance with its gc head in front: the size of
 * the MemoryError the runtime embeds in its error state. */
#define PMI_EXC_EMBED_BYTES (16 + 72)

/* Make the embedded exception at `mem` (PMI_EXC_EMBED_BYTES, 16-aligned,
 * zeroed): an untracked instance of `type` (a BASE-layout class) with
 * args (), count 1 (the runtime's own reference, never dropped).  Returns
 * the object; allocates nothing. */
pm_object *pmi_exc_embed(pm_runtime *rt, void *mem, const pm_type *type);
/* Drop every field of an exception except args, which becomes ():
 * traceback, context, cause, __suppress_context__, the dict (notes). */
void pmi_exc_reset(pm_runtime *rt, pm_object *exc);
/* Raise a codec error object as the codecs do (its str is made from the
 * fields): kind PM_EXC_UnicodeEncodeError / UnicodeDecodeError with
 * (encoding, object, start, end, reason); UnicodeTranslateError without
 * the encoding.  object borrowed.  pmi_err_unicode_decode makes the bytes
 * object from the n bytes at p. */
void pmi_err_unicode(pm_runtime *rt, pm_exc kind, const char *encoding, pm_object *object, pm_ssize_t start,
                     pm_ssize_t end, const char *reason);
void pmi_err_unicode_decode(pm_runtime *rt, const char *encoding, const void *p, pm_ssize_t n, pm_ssize_t start,
                            pm_ssize_t end, const char *reason);

#endif
