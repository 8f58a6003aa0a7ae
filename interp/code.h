/*
 * interp/code.h -- code objects (CPython 3.11's PyCodeObject as a pm object).
 *
 * A code object is the compiler's output and the VM's input: an immutable
 * record of one function body, class body or module.  Its fields and
 * attributes are CPython 3.11's, so that marshal writes .pyc files python3
 * loads, and `pymm --dis` prints what `python3 -m dis` prints.
 *
 *   pmi_code
 *   +-------------------+
 *   | code      bytes   |  instructions + CACHE units, as co_code shows them
 *   | consts    tuple   |  co_consts (nested code objects live here)
 *   | names     tuple   |  co_names: globals, attributes, imports
 *   | localsplusnames   |  every fast slot: locals, then cells, then frees ...
 *   | localspluskinds   |  ... and a byte per slot of PMI_CO_FAST_* bits
 *   | linetable bytes   |  3.11's location table (co_linetable)
 *   | exceptiontable    |  3.11's exception table (co_exceptiontable)
 *   | filename name qualname, counts, flags, firstlineno, stacksize
 *   +-------------------+
 *
 * Locals-plus (3.11): one array of slots holds arguments and locals
 * (kind LOCAL), then cell variables that are not arguments (CELL), then
 * free variables (FREE).  An argument that is also a cell is one slot with
 * LOCAL|CELL.  co_varnames / co_cellvars / co_freevars are derived views:
 * the names whose kind has LOCAL / CELL / FREE, in slot order.
 *
 * Invariants (checked by pmi_code_new, as _PyCode_Validate): code is bytes of
 * even length; consts/names/localsplusnames are tuples, names and
 * localsplusnames hold only str; localspluskinds is bytes as long as
 * localsplusnames; argcount + kwonlyargcount (+1 per VARARGS/VARKEYWORDS
 * flag) <= nlocals; posonlyargcount <= argcount.
 *
 * Code objects are not tracked by the collector (as in CPython 3.11, where
 * they have no gc support): their fields are immutable, so they can only be
 * in a cycle through a constant that refers back, which a compiler never
 * makes.  (pymm.h lets interp/ allocate only gc-type objects: the type is
 * flagged GC and objects are simply never tracked.)
 *
 * Equality and hash follow CPython's code_richcompare/code_hash, since the
 * compiler shares equal code constants: two code objects are equal when
 * name, the counts, flags, firstlineno, code, constants (compared strictly:
 * 0 != 0.0 != False, -0.0 != 0.0), names, localsplusnames, linetable and
 * exceptiontable are equal.
 */
#ifndef PYMM_INTERP_CODE_H
#define PYMM_INTERP_CODE_H

#include "pymm.h"

/* co_flags (CPython 3.11 values). */
#define PMI_CO_OPTIMIZED          0x0001
#define PMI_CO_NEWLOCALS          0x0002
#define PMI_CO_VARARGS            0x0004
#define PMI_CO_VARKEYWORDS        0x0008
#define PMI_CO_NESTED             0x0010
#define PMI_CO_GENERATOR          0x0020
#define PMI_CO_COROUTINE          0x0080
#define PMI_CO_ITERABLE_COROUTINE 0x0100
#define PMI_CO_ASYNC_GENERATOR    0x0200
#define PMI_CO_FUTURE_DIVISION         0x20000
#define PMI_CO_FUTURE_ABSOLUTE_IMPORT  0x40000
#define PMI_CO_FUTURE_WITH_STATEMENT   0x80000
#define PMI_CO_FUTURE_PRINT_FUNCTION   0x100000
#define PMI_CO_FUTURE_UNICODE_LITERALS 0x200000
#define PMI_CO_FUTURE_BARRY_AS_BDFL    0x400000
#define PMI_CO_FUTURE_GENERATOR_STOP   0x800000
#define PMI_CO_FUTURE_ANNOTATIONS      0x1000000

/* localspluskinds bits (3.11's CO_FAST_*). */
#define PMI_CO_FAST_LOCAL 0x20
#define PMI_CO_FAST_CELL  0x40
#define PMI_CO_FAST_FREE  0x80

/* What the compiler (or marshal) hands to pmi_code_new.  Object fields are
 * BORROWED: the code object takes its own references.  Derived counts
 * (nlocals, ncellvars, nfreevars, nlocalsplus) are computed from the kinds. */
typedef struct pmi_code_spec {
    int argcount;                   /* co_argcount: positional parameters (incl. posonly) */
    int posonlyargcount;            /* co_posonlyargcount */
    int kwonlyargcount;             /* co_kwonlyargcount */
    int stacksize;                  /* co_stacksize: deepest value stack */
    int firstlineno;                /* co_firstlineno */
    int flags;                      /* co_flags: PMI_CO_* */
    pm_object *code;                /* bytes: instructions with CACHE units (co_code) */
    pm_object *consts;              /* tuple: co_consts */
    pm_object *names;               /* tuple of str: co_names */
    pm_object *localsplusnames;     /* tuple of str: every fast slot's name */
    pm_object *localspluskinds;     /* bytes: PMI_CO_FAST_* per slot */
    pm_object *filename;            /* str: co_filename */
    pm_object *name;                /* str: co_name */
    pm_object *qualname;            /* str: co_qualname */
    pm_object *linetable;           /* bytes: co_linetable (3.11 location table) */
    pm_object *exceptiontable;      /* bytes: co_exceptiontable */
} pmi_code_spec;

/* The object.  Read-only after pmi_code_new; fields are public to interp/. */
typedef struct pmi_code {
    pm_object ob_base;              /* refcount + &pmi_code_type */
    int argcount;                   /* co_argcount */
    int posonlyargcount;            /* co_posonlyargcount */
    int kwonlyargcount;             /* co_kwonlyargcount */
    int stacksize;                  /* co_stacksize */
    int firstlineno;                /* co_firstlineno */
    int flags;                      /* co_flags */
    int nlocalsplus;                /* len(localsplusnames) */
    int nlocals;                    /* slots with PMI_CO_FAST_LOCAL (len(co_varnames)) */
    int ncellvars;                  /* slots with PMI_CO_FAST_CELL (len(co_cellvars)) */
    int nfreevars;                  /* slots with PMI_CO_FAST_FREE (len(co_freevars)) */
    pm_object *code;                /* bytes: co_code */
    pm_object *consts;              /* tuple: co_consts */
    pm_object *names;               /* tuple: co_names */
    pm_object *localsplusnames;     /* tuple of str */
    pm_object *localspluskinds;     /* bytes */
    pm_object *filename;            /* str: co_filename */
    pm_object *name;                /* str: co_name */
    pm_object *qualname;            /* str: co_qualname */
    pm_object *linetable;           /* bytes: co_linetable */
    pm_object *exceptiontable;      /* bytes: co_exceptiontable */
    pm_hash_t hash;                 /* cached hash, -1 until computed */
    struct pmi_vmcode *vm;          /* the VM's inline caches (specialize.h;
                                       CPython's co_code_adaptive): made on the
                                       first run, NULL before; co_code stays as
                                       compiled */
} pmi_code;

/* The type ("code"): immortal, static. */
extern const pm_type pmi_code_type;

static inline int pmi_code_check(const pm_object *o) { return o->ob_type == &pmi_code_type; }

/* A new code object from spec (NEW ref).  Validates as CPython's
 * _PyCode_Validate: SystemError for a field of the wrong type or a negative
 * count, ValueError "code: co_code is malformed" (odd length) and "code:
 * co_varnames is too small" (more arguments than locals); MemoryError.  Strings are taken as they
 * are: the compiler interns identifiers, marshal keeps the interned flag. */
pm_object *pmi_code_new(pm_runtime *rt, const pmi_code_spec *spec);

/* co_varnames / co_cellvars / co_freevars: NEW tuples; can fail. */
pm_object *pmi_code_varnames(pm_runtime *rt, pm_object *code);
pm_object *pmi_code_cellvars(pm_runtime *rt, pm_object *code);
pm_object *pmi_code_freevars(pm_runtime *rt, pm_object *code);

/* The name of fast slot i (BORROWED), as dis's _varname_from_oparg; NULL
 * when out of range (no error set). */
pm_object *pmi_code_slot_name(pm_runtime *rt, pm_object *code, pm_ssize_t i);

/* Strict constant equality (CPython's _PyCode_ConstantKey comparison): the
 * same type and equal value, floats and complex by bit pattern (so -0.0 and
 * 0.0 differ), tuples and frozensets element-wise strictly, code objects by
 * code equality.  1 / 0, -1 on error. */
int pmi_code_const_equal(pm_runtime *rt, pm_object *a, pm_object *b);

/* Complex constants are libpymm complex objects (pm_complex_type; a
 * subclass instance never is a constant).  1 and the parts when o is one,
 * else 0. */
int pmi_code_complex_parts(pm_runtime *rt, pm_object *o, double *re, double *im);

/* ---- the location table (co_linetable, 3.11 format) ---------------------
 * One entry per run of code units: [start, end) byte offsets into co_code
 * and the source positions of those units; -1 stands for None. */
typedef struct pmi_code_pos {
    int start;                      /* first byte offset */
    int end;                        /* one past the last byte offset */
    int lineno;                     /* line, -1: none */
    int end_lineno;                 /* end line, -1: none */
    int col;                        /* start column (UTF-8 bytes), -1: none */
    int end_col;                    /* end column, -1: none */
} pmi_code_pos;

/* Walks the location table entry by entry (no allocation). */
typedef struct pmi_code_lines {
    const unsigned char *p;         /* next byte of the table */
    const unsigned char *end;       /* end of the table */
    int offset;                     /* byte offset in co_code of the next entry */
    int line;                       /* current line (entries are line deltas) */
} pmi_code_lines;

void pmi_code_lines_init(pmi_code_lines *it, pm_object *code);
/* Next entry into *pos: 1, or 0 at the end (a malformed table ends early). */
int pmi_code_lines_next(pmi_code_lines *it, pmi_code_pos *pos);

/* co_lines() as CPython 3.11 yields it: (start, end, line) per table entry
 * (col fields -1).  Fills a pm_malloc'ed array; 0 / -1. */
int pmi_code_co_lines(pm_runtime *rt, pm_object *code, pmi_code_pos **out, pm_ssize_t *n);

/* co_positions(): one entry per code unit (len(co_code)/2 of them), each
 * with start/end of that unit.  pm_malloc'ed array; 0 / -1. */
int pmi_code_co_positions(pm_runtime *rt, pm_object *code, pmi_code_pos **out, pm_ssize_t *n);

/* An attribute by name ("co_code", "co_varnames", "co_lines" is not one:
 * use the functions above): NEW ref, or NULL + AttributeError. */
pm_object *pmi_code_getattr(pm_runtime *rt, pm_object *code, const char *name);

#endif
