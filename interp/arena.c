/* The front end's arena: bump allocation in blocks, plus a list of owned
 * objects.
 *
 * Invariants: every block came from pm_malloc and is on the `blocks` chain;
 * `objs[0..nobjs)` are references the arena owns.  Nothing is ever freed
 * singly: the AST of one compilation dies as a whole in pmi_arena_free.
 * Large requests (bigger than a quarter block) get a block of their own so
 * the current block keeps its free space.  This is CPython's PyArena
 * (Python/pyarena.c) in shape: blocks plus a list of objects to decref.
 */
#include "arena.h"
#include <string.h>

#define PMI_ARENA_BLOCK 8192      /* default block payload: a page or two of nodes */
#define PMI_ARENA_ALIGN 16        /* enough for any node or double */

typedef struct pmi_arena_block {
    struct pmi_arena_block *next; /* previously filled block, or NULL */
    size_t size;                  /* payload bytes */
    size_t used;                  /* payload bytes handed out */
    _Alignas(16) unsigned char data[]; /* payload */
} pmi_arena_block;

struct pmi_arena {
    pm_runtime *rt;               /* allocator */
    pmi_arena_block *blocks;      /* current block first */
    pm_object **objs;             /* owned references */
    size_t nobjs;                 /* used entries of objs */
    size_t cap;                   /* allocated entries of objs */
};

pmi_arena *pmi_arena_new(pm_runtime *rt)
{
    pmi_arena *a = pm_malloc(rt, sizeof *a);
    if (a == NULL) {
        pm_err_nomem(rt);
        return NULL;
    }
    a->rt = rt;
    a->blocks = NULL;
    a->objs = NULL;
    a->nobjs = 0;
    a->cap = 0;
    return a;
}

pm_runtime *pmi_arena_runtime(const pmi_arena *a)
{
    return a->rt;
}

static pmi_arena_block *arena_block_new(pmi_arena *a, size_t size)
{
    pmi_arena_block *b = pm_malloc(a->rt, sizeof *b + size);
    if (b == NULL) {
        pm_err_nomem(a->rt);
        return NULL;
    }
    b->size = size;
    b->used = 0;
    return b;
}

void *pmi_arena_alloc(pmi_arena *a, size_t n)
{
    n = (n + PMI_ARENA_ALIGN - 1) & ~(size_t)(PMI_ARENA_ALIGN - 1);
    if (n == 0)
        n = PMI_ARENA_ALIGN;
    pmi_arena_block *b = a->blocks;
    if (n > PMI_ARENA_BLOCK / 4) {
        /* a block of its own, kept behind the current one */
        pmi_arena_block *big = arena_block_new(a, n);
        if (big == NULL)
            return NULL;
        big->used = n;
        if (b != NULL) {
            big->next = b->next;
            b->next = big;
        } else {
            big->next = NULL;
            a->blocks = big;
        }
        memset(big->data, 0, n);
        return big->data;
    }
    if (b == NULL || b->size - b->used < n) {
        b = arena_block_new(a, PMI_ARENA_BLOCK);
        if (b == NULL)
            return NULL;
        b->next = a->blocks;
        a->blocks = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

int pmi_arena_own(pmi_arena *a, pm_object *o)
{
    if (a->nobjs == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 64;
        pm_object **n = pm_realloc(a->rt, a->objs, ncap * sizeof *n);
        if (n == NULL) {
            pm_decref(a->rt, o);
            pm_err_nomem(a->rt);
            return -1;
        }
        a->objs = n;
        a->cap = ncap;
    }
    a->objs[a->nobjs++] = o;
    return 0;
}

void pmi_arena_free(pmi_arena *a)
{
    if (a == NULL)
        return;
    pm_runtime *rt = a->rt;
    for (size_t i = 0; i < a->nobjs; i++)
        pm_decref(rt, a->objs[i]);
    pm_free(rt, a->objs);
    pmi_arena_block *b = a->blocks;
    while (b != NULL) {
        pmi_arena_block *next = b->next;
        pm_free(rt, b);
        b = next;
    }
    pm_free(rt, a);
}
