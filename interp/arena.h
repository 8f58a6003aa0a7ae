/* The front end's arena (CPython's PyArena).
 *
 * A compilation allocates its whole AST here: nodes, sequences, and the pm
 * objects the nodes point to (identifiers, constants), which the arena owns.
 * One pmi_arena_free releases everything, so a syntax error anywhere in the
 * parser leaks nothing: the parser simply stops and the caller frees.
 *
 *   pmi_arena --> block --> block --> ...   (bump allocation, 8-byte aligned)
 *             \-> objects[0..n)             (decref'd at free)
 */
#ifndef PMI_ARENA_H
#define PMI_ARENA_H
#include <stddef.h>
#include "pymm.h"

typedef struct pmi_arena pmi_arena;

/* libpymm has an internal pmi_arena_new of its own (the allocator's
 * arenas); linked statically, the two would clash.  The contract's name is
 * kept for callers and maps to a distinct symbol. */
#define pmi_arena_new pmi_frontend_arena_new

/* A new, empty arena; NULL with MemoryError set on failure. */
pmi_arena *pmi_arena_new(pm_runtime *rt);
/* n zeroed bytes, 16-byte aligned, living until pmi_arena_free; NULL with
 * MemoryError set on failure. */
void *pmi_arena_alloc(pmi_arena *a, size_t n);
/* Steal the reference o; it is decref'd at pmi_arena_free.  On failure o is
 * decref'd now and -1 returned (MemoryError set). */
int pmi_arena_own(pmi_arena *a, pm_object *o);
/* Free every block and drop every owned object.  NULL is allowed. */
void pmi_arena_free(pmi_arena *a);
/* The runtime the arena allocates from. */
pm_runtime *pmi_arena_runtime(const pmi_arena *a);
#endif
