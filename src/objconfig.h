/*
 * objconfig.h — tunables of the object layer, each with its reason.
 * (The allocator's live in config.h.)
 */
#ifndef PYMM_OBJCONFIG_H
#define PYMM_OBJCONFIG_H

/* Small-int cache: CPython's _PY_NSMALLNEGINTS / _PY_NSMALLPOSINTS.  The
 * range -5..256 covers loop counters, byte values and common constants. */
#define PMI_NSMALLNEGINTS 5
#define PMI_NSMALLPOSINTS 257

/* Float free list bound: CPython 3.11's PyFloat_MAXFREELIST.  Large enough
 * to absorb the churn of arithmetic temporaries, small enough to never
 * matter for memory (100 * 32 bytes). */
#define PMI_FLOAT_MAXFREELIST 100

/* Intern table: first capacity (power of two) and the load limit 2/3 above
 * which it doubles, as CPython's dicts.  When doubling fails the table goes
 * on filling up to PMI_INTERN_HARD_LOAD (7/8) before interning gives up. */
#define PMI_INTERN_MINSIZE 64

#endif
