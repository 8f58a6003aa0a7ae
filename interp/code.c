/*
 * interp/code.c -- the code object type: construction, attributes, equality,
 * and decoding of 3.11's location table.
 *
 * Construction (pmi_code_new) checks the spec as CPython's _PyCode_Validate
 * does, takes references, and derives the slot counts from the kinds:
 *
 *   localsplusnames  ('a',   'b',          'c',  'x')
 *   localspluskinds  (LOCAL, LOCAL|CELL,   CELL, FREE)
 *   co_varnames = ('a', 'b')   co_cellvars = ('b', 'c')   co_freevars = ('x',)
 *
 * The location table (co_linetable) is a byte stream of entries, each for
 * 1..8 code units.  The first byte of an entry has bit 7 set, a 4-bit code
 * in bits 3..6 and (units - 1) in bits 0..2.  By code:
 *
 *   0..9   short:    same line; one byte b: col = code*8 + (b>>4 & 7),
 *                    end_col = col + (b & 15)
 *   10..12 one line: line += code - 10; bytes col, end_col
 *   13     no cols:  line += svarint; columns None
 *   14     long:     line += svarint; end_line = line + varint;
 *                    col = varint - 1; end_col = varint - 1
 *   15     none:     no position at all (line None); the running line stays
 *
 * varint: 6-bit groups, least significant first, 0x40 = "more follows";
 * svarint: varint v, value v>>1, negated when v&1.  Lines start at
 * co_firstlineno.  CPython 3.11 documents this in Objects/locations.md.
 *
 * co_lines() gives one (start, end, line) per table entry (3.11.7 does not
 * merge neighbours of the same line); co_positions() one tuple per code
 * unit.  The disassembler uses
 * co_lines for its line numbers.
 */
#include "code.h"
#include "specialize.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- construction -------------------------------------------------------- */

/* t[i] for an index known to be in range (borrowed). */
static pm_object *tuple_item(pm_runtime *rt, pm_object *t, pm_ssize_t i) {
    return pm_tuple_get(rt, t, i);
}

static int all_str(pm_runtime *rt, pm_object *t) {
    pm_ssize_t n = pm_tuple_size(t);
    for (pm_ssize_t i = 0; i < n; i++)
        if (!pm_str_check(tuple_item(rt, t, i))) return 0;
    return 1;
}

static int validate(pm_runtime *rt, const pmi_code_spec *s) {
    const char *why = NULL;
    if (!s->code || !pm_bytes_check(s->code))
        why = "code: co_code must be bytes";
    else if (!s->consts || !pm_tuple_check(s->consts))
        why = "code: co_consts must be a tuple";
    else if (!s->names || !pm_tuple_check(s->names) || !all_str(rt, s->names))
        why = "code: co_names must be a tuple of str";
    else if (!s->localsplusnames || !pm_tuple_check(s->localsplusnames) ||
             !all_str(rt, s->localsplusnames))
        why = "code: localsplusnames must be a tuple of str";
    else if (!s->localspluskinds || !pm_bytes_check(s->localspluskinds) ||
             pm_bytes_size(s->localspluskinds) != pm_tuple_size(s->localsplusnames))
        why = "code: localspluskinds must be bytes, one per local";
    else if (!s->filename || !pm_str_check(s->filename) || !s->name || !pm_str_check(s->name) ||
             !s->qualname || !pm_str_check(s->qualname))
        why = "code: filename, name and qualname must be str";
    else if (!s->linetable || !pm_bytes_check(s->linetable) || !s->exceptiontable ||
             !pm_bytes_check(s->exceptiontable))
        why = "code: linetable and exceptiontable must be bytes";
    else if (s->argcount < s->posonlyargcount || s->posonlyargcount < 0 ||
             s->kwonlyargcount < 0 || s->stacksize < 0 || s->flags < 0)
        why = "code: bad argument counts";
    if (why) {
        pm_err_set(rt, PM_EXC_SystemError, why);
        return -1;
    }
    if (pm_bytes_size(s->code) % 2 != 0) {      /* CPython's messages from here */
        pm_err_set(rt, PM_EXC_ValueError, "code: co_code is malformed");
        return -1;
    }
    return 0;
}

static void count_kinds(pmi_code *co) {
    const unsigned char *k = (const unsigned char *)pm_bytes_data(co->localspluskinds);
    co->nlocals = co->ncellvars = co->nfreevars = 0;
    for (int i = 0; i < co->nlocalsplus; i++) {
        if (k[i] & PMI_CO_FAST_LOCAL) co->nlocals++;
        if (k[i] & PMI_CO_FAST_CELL) co->ncellvars++;
        if (k[i] & PMI_CO_FAST_FREE) co->nfreevars++;
    }
}

pm_object *pmi_code_new(pm_runtime *rt, const pmi_code_spec *spec) {
    if (validate(rt, spec) < 0) return NULL;
    long long totalargs = (long long)spec->argcount + spec->kwonlyargcount +
                          ((spec->flags & PMI_CO_VARARGS) != 0) +
                          ((spec->flags & PMI_CO_VARKEYWORDS) != 0);
    pm_ssize_t nlp = pm_tuple_size(spec->localsplusnames);
    if (nlp > 0x7fffffff) {
        pm_err_set(rt, PM_EXC_OverflowError, "code: too many locals");
        return NULL;
    }
    pmi_code *co = (pmi_code *)pm_gc_new(rt, &pmi_code_type);
    if (!co) return NULL;
    co->argcount = spec->argcount;
    co->posonlyargcount = spec->posonlyargcount;
    co->kwonlyargcount = spec->kwonlyargcount;
    co->stacksize = spec->stacksize;
    co->firstlineno = spec->firstlineno;
    co->flags = spec->flags;
    co->nlocalsplus = (int)nlp;
    co->code = pm_newref(rt, spec->code);
    co->consts = pm_newref(rt, spec->consts);
    co->names = pm_newref(rt, spec->names);
    co->localsplusnames = pm_newref(rt, spec->localsplusnames);
    co->localspluskinds = pm_newref(rt, spec->localspluskinds);
    co->filename = pm_newref(rt, spec->filename);
    co->name = pm_newref(rt, spec->name);
    co->qualname = pm_newref(rt, spec->qualname);
    co->linetable = pm_newref(rt, spec->linetable);
    co->exceptiontable = pm_newref(rt, spec->exceptiontable);
    co->hash = -1;
    co->vm = NULL;
    count_kinds(co);
    if (totalargs > (long long)co->nlocals) {
        pm_decref(rt, (pm_object *)co);
        pm_err_set(rt, PM_EXC_ValueError, "code: co_varnames is too small");
        return NULL;
    }
    /* Not tracked: see code.h. */
    return (pm_object *)co;
}

/* ---- derived views ------------------------------------------------------- */

static pm_object *names_of_kind(pm_runtime *rt, pm_object *code, int kind, int n) {
    pmi_code *co = (pmi_code *)code;
    const unsigned char *k = (const unsigned char *)pm_bytes_data(co->localspluskinds);
    pm_object *small[16];
    pm_object **items = small;
    if (n > 16) {
        items = pm_malloc(rt, sizeof(pm_object *) * (size_t)n);
        if (!items) return pm_err_nomem(rt);
    }
    int j = 0;
    for (int i = 0; i < co->nlocalsplus && j < n; i++)
        if (k[i] & kind) items[j++] = tuple_item(rt, co->localsplusnames, i);
    pm_object *t = pm_tuple_from_array(rt, items, j);
    if (items != small) pm_free(rt, items);
    return t;
}

pm_object *pmi_code_varnames(pm_runtime *rt, pm_object *code) {
    return names_of_kind(rt, code, PMI_CO_FAST_LOCAL, ((pmi_code *)code)->nlocals);
}
pm_object *pmi_code_cellvars(pm_runtime *rt, pm_object *code) {
    return names_of_kind(rt, code, PMI_CO_FAST_CELL, ((pmi_code *)code)->ncellvars);
}
pm_object *pmi_code_freevars(pm_runtime *rt, pm_object *code) {
    return names_of_kind(rt, code, PMI_CO_FAST_FREE, ((pmi_code *)code)->nfreevars);
}

pm_object *pmi_code_slot_name(pm_runtime *rt, pm_object *code, pm_ssize_t i) {
    pmi_code *co = (pmi_code *)code;
    if (i < 0 || i >= co->nlocalsplus) return NULL;
    return tuple_item(rt, co->localsplusnames, i);
}

/* ---- the location table ------------------------------------------------- */

void pmi_code_lines_init(pmi_code_lines *it, pm_object *code) {
    pmi_code *co = (pmi_code *)code;
    it->p = (const unsigned char *)pm_bytes_data(co->linetable);
    it->end = it->p + pm_bytes_size(co->linetable);
    it->offset = 0;
    it->line = co->firstlineno;
}

/* Reads a varint; returns 0 when the table ends inside it. */
static int read_varint(pmi_code_lines *it, unsigned *out) {
    unsigned v = 0;
    int shift = 0;
    for (;;) {
        if (it->p >= it->end || shift > 28) return 0;
        unsigned b = *it->p++;
        v |= (b & 63u) << shift;
        shift += 6;
        if (!(b & 64)) break;
    }
    *out = v;
    return 1;
}

static int read_svarint(pmi_code_lines *it, int *out) {
    unsigned v;
    if (!read_varint(it, &v)) return 0;
    *out = (v & 1) ? -(int)(v >> 1) : (int)(v >> 1);
    return 1;
}

/* a + b with wrap-around instead of overflow (tables from marshal data
 * are untrusted; a well-formed one never wraps). */
static int add_wrap(int a, int b) { return (int)((unsigned)a + (unsigned)b); }

int pmi_code_lines_next(pmi_code_lines *it, pmi_code_pos *pos) {
    if (it->p >= it->end) return 0;
    unsigned first = *it->p;
    if (!(first & 128)) return 0;           /* not an entry start: malformed */
    it->p++;
    int code = (int)((first >> 3) & 15);
    int units = (int)(first & 7) + 1;
    if (it->offset > 0x7fffffff - 16) return 0;     /* absurdly long table */
    pos->start = it->offset;
    pos->end = it->offset + units * 2;
    unsigned a, b;
    int d;
    if (code < 10) {
        if (it->p >= it->end) return 0;
        unsigned second = *it->p++;
        pos->lineno = pos->end_lineno = it->line;
        pos->col = code * 8 + (int)((second >> 4) & 7);
        pos->end_col = pos->col + (int)(second & 15);
    } else if (code <= 12) {
        if (it->end - it->p < 2) return 0;
        it->line = add_wrap(it->line, code - 10);
        pos->lineno = pos->end_lineno = it->line;
        pos->col = it->p[0];
        pos->end_col = it->p[1];
        it->p += 2;
    } else if (code == 13) {
        if (!read_svarint(it, &d)) return 0;
        it->line = add_wrap(it->line, d);
        pos->lineno = pos->end_lineno = it->line;
        pos->col = pos->end_col = -1;
    } else if (code == 14) {
        if (!read_svarint(it, &d)) return 0;
        it->line = add_wrap(it->line, d);
        unsigned dl;
        if (!read_varint(it, &dl) || !read_varint(it, &a) || !read_varint(it, &b)) return 0;
        pos->lineno = it->line;
        pos->end_lineno = add_wrap(it->line, (int)dl);
        pos->col = (int)a - 1;
        pos->end_col = (int)b - 1;
    } else {
        pos->lineno = pos->end_lineno = pos->col = pos->end_col = -1;
    }
    it->offset = pos->end;
    return 1;
}

/* Grow-by-doubling array of positions. */
typedef struct pos_vec {
    pmi_code_pos *v;                /* the entries (pm_malloc) */
    pm_ssize_t n;                   /* entries used */
    pm_ssize_t cap;                 /* entries allocated */
} pos_vec;

static int pos_push(pm_runtime *rt, pos_vec *pv, const pmi_code_pos *p) {
    if (pv->n == pv->cap) {
        pm_ssize_t cap = pv->cap ? pv->cap * 2 : 16;
        pmi_code_pos *nv = pm_realloc(rt, pv->v, sizeof(*nv) * (size_t)cap);
        if (!nv) {
            pm_err_nomem(rt);
            return -1;
        }
        pv->v = nv;
        pv->cap = cap;
    }
    pv->v[pv->n++] = *p;
    return 0;
}

int pmi_code_co_lines(pm_runtime *rt, pm_object *code, pmi_code_pos **out, pm_ssize_t *n) {
    pos_vec pv = {NULL, 0, 0};
    pmi_code_lines it;
    pmi_code_pos p;
    pmi_code_lines_init(&it, code);
    while (pmi_code_lines_next(&it, &p)) {
        p.end_lineno = p.lineno;
        p.col = p.end_col = -1;
        if (pos_push(rt, &pv, &p) < 0) goto fail;
    }
    *out = pv.v;
    *n = pv.n;
    return 0;
fail:
    pm_free(rt, pv.v);
    return -1;
}

int pmi_code_co_positions(pm_runtime *rt, pm_object *code, pmi_code_pos **out, pm_ssize_t *n) {
    pmi_code *co = (pmi_code *)code;
    pm_ssize_t units = pm_bytes_size(co->code) / 2;
    pos_vec pv = {NULL, 0, 0};
    pmi_code_lines it;
    pmi_code_pos p;
    pmi_code_lines_init(&it, code);
    while (pv.n < units && pmi_code_lines_next(&it, &p)) {
        for (int off = p.start; off < p.end && pv.n < units; off += 2) {
            pmi_code_pos q = p;
            q.start = off;
            q.end = off + 2;
            if (pos_push(rt, &pv, &q) < 0) goto fail;
        }
    }
    /* Units the table does not cover have no position (as CPython). */
    while (pv.n < units) {
        pmi_code_pos q = {(int)pv.n * 2, (int)pv.n * 2 + 2, -1, -1, -1, -1};
        if (pos_push(rt, &pv, &q) < 0) goto fail;
    }
    *out = pv.v;
    *n = pv.n;
    return 0;
fail:
    pm_free(rt, pv.v);
    return -1;
}

int pmi_code_complex_parts(pm_runtime *rt, pm_object *o, double *re, double *im) {
    (void)rt;
    if (pm_type_of(o) != &pm_complex_type) return 0;
    *re = pm_complex_real(o);
    *im = pm_complex_imag(o);
    return 1;
}

/* ---- equality and hash --------------------------------------------------- */

static int code_equal(pm_runtime *rt, pmi_code *a, pmi_code *b);

static int bits_equal(double x, double y) { return memcmp(&x, &y, sizeof x) == 0; }

int pmi_code_const_equal(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (a == b) return 1;
    if (pm_type_of(a) != pm_type_of(b)) return 0;
    if (pm_float_check(a)) {
        /* 3.11's constant key (type, value): -0.0 apart from 0.0, and a
         * NaN equal only to itself (a == b above).  Comparing NaN bits
         * would merge two NaN constants when their hashes (addresses)
         * met, and the output would depend on where they were made. */
        double x = pm_float_value(a), y = pm_float_value(b);
        return !isnan(x) && !isnan(y) && bits_equal(x, y);
    }
    if (pm_complex_check(a)) {
        /* == on both parts, and the sign of a zero part counts (1j vs -0+1j) */
        double ar = pm_complex_real(a), ai = pm_complex_imag(a);
        double br = pm_complex_real(b), bi = pm_complex_imag(b);
        return ar == br && ai == bi && signbit(ar) == signbit(br) && signbit(ai) == signbit(bi);
    }
    if (pm_tuple_check(a)) {
        pm_ssize_t n = pm_tuple_size(a);
        if (n != pm_tuple_size(b)) return 0;
        for (pm_ssize_t i = 0; i < n; i++) {
            int r = pmi_code_const_equal(rt, tuple_item(rt, a, i), tuple_item(rt, b, i));
            if (r <= 0) return r;
        }
        return 1;
    }
    if (pm_is_instance(a, &pm_frozenset_type)) {
        /* Same size and every item of a strictly equal to some item of b. */
        if (pm_set_size(a) != pm_set_size(b)) return 0;
        pm_ssize_t pa = 0;
        pm_object *ka;
        while (pm_set_next(a, &pa, &ka)) {
            pm_ssize_t pb = 0;
            pm_object *kb;
            int found = 0;
            while (!found && pm_set_next(b, &pb, &kb)) {
                int r = pmi_code_const_equal(rt, ka, kb);
                if (r < 0) return -1;
                found = r;
            }
            if (!found) return 0;
        }
        return 1;
    }
    if (pmi_code_check(a)) return code_equal(rt, (pmi_code *)a, (pmi_code *)b);
    return pm_equal(rt, a, b);
}

static int code_equal(pm_runtime *rt, pmi_code *a, pmi_code *b) {
    int r;
    if (a == b) return 1;
    if (a->argcount != b->argcount || a->posonlyargcount != b->posonlyargcount ||
        a->kwonlyargcount != b->kwonlyargcount || a->flags != b->flags ||
        a->firstlineno != b->firstlineno)
        return 0;
    if ((r = pm_equal(rt, a->name, b->name)) <= 0) return r;
    if ((r = pm_equal(rt, a->code, b->code)) <= 0) return r;
    if ((r = pmi_code_const_equal(rt, a->consts, b->consts)) <= 0) return r;
    if ((r = pm_equal(rt, a->names, b->names)) <= 0) return r;
    if ((r = pm_equal(rt, a->localsplusnames, b->localsplusnames)) <= 0) return r;
    if ((r = pm_equal(rt, a->linetable, b->linetable)) <= 0) return r;
    return pm_equal(rt, a->exceptiontable, b->exceptiontable);
}

static pm_object *code_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if ((op != PM_EQ && op != PM_NE) || !pmi_code_check(a) || !pmi_code_check(b))
        return pm_newref(rt, PM_NOTIMPLEMENTED);
    int r = code_equal(rt, (pmi_code *)a, (pmi_code *)b);
    if (r < 0) return NULL;
    return pm_bool_from(op == PM_EQ ? r : !r);
}

static pm_hash_t code_hash(pm_runtime *rt, pm_object *self) {
    pmi_code *co = (pmi_code *)self;
    if (co->hash != -1) return co->hash;
    pm_hash_t h0 = pm_hash(rt, co->name), h1, h2, h3;
    if (h0 == -1) return -1;
    if ((h1 = pm_hash(rt, co->consts)) == -1) return -1;
    if ((h2 = pm_hash(rt, co->names)) == -1) return -1;
    if ((h3 = pm_hash(rt, co->localsplusnames)) == -1) return -1;
    pm_hash_t h = h0 ^ h1 ^ h2 ^ h3 ^ co->argcount ^ co->posonlyargcount ^
                  co->kwonlyargcount ^ co->flags;
    if (h == -1) h = -2;
    co->hash = h;
    return h;
}

/* ---- repr, attributes, lifetime ------------------------------------------ */

static pm_object *code_repr(pm_runtime *rt, pm_object *self) {
    pmi_code *co = (pmi_code *)self;
    const char *name = pm_str_as_utf8(rt, co->name, NULL);
    if (!name) return NULL;
    const char *file = pm_str_as_utf8(rt, co->filename, NULL);
    if (!file) return NULL;
    return pm_str_from_format(rt, "<code object %s at %p, file \"%s\", line %d>", name,
                              (void *)self, file, co->firstlineno);
}

/* ---- code.replace(**changes) --------------------------------------------- */

/* A copy with some fields changed (keyword-only, as 3.11's code.replace),
 * for the fields pmi_code_spec holds directly; co_varnames, co_cellvars,
 * co_freevars and co_nlocals (derived from the locals-plus tables here)
 * are not accepted. */
static pm_object *code_replace(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                               pm_object *kwnames) {
    pmi_code *co = (pmi_code *)self;
    pmi_code_spec spec = {co->argcount, co->posonlyargcount, co->kwonlyargcount, co->stacksize,
                          co->firstlineno, co->flags, co->code, co->consts, co->names,
                          co->localsplusnames, co->localspluskinds, co->filename, co->name,
                          co->qualname, co->linetable, co->exceptiontable};
    struct { const char *n; int *p; } ints[] = {
        {"co_argcount", &spec.argcount}, {"co_posonlyargcount", &spec.posonlyargcount},
        {"co_kwonlyargcount", &spec.kwonlyargcount}, {"co_stacksize", &spec.stacksize},
        {"co_firstlineno", &spec.firstlineno}, {"co_flags", &spec.flags},
    };
    /* kind: 'b' bytes, 't' tuple, 's' str */
    struct { const char *n; pm_object **p; char kind; } objs[] = {
        {"co_code", &spec.code, 'b'}, {"co_consts", &spec.consts, 't'}, {"co_names", &spec.names, 't'},
        {"co_filename", &spec.filename, 's'}, {"co_name", &spec.name, 's'},
        {"co_qualname", &spec.qualname, 's'}, {"co_linetable", &spec.linetable, 'b'},
        {"co_exceptiontable", &spec.exceptiontable, 'b'},
    };
    if (nargs > 0) {
        pm_err_set(rt, PM_EXC_TypeError, "replace() takes no positional arguments");
        return NULL;
    }
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    for (pm_ssize_t i = 0; i < nkw; i++) {
        const char *k = pm_str_as_utf8(rt, pm_tuple_get(rt, kwnames, i), NULL);
        pm_object *v = args[i];
        int done = 0;
        if (!k) return NULL;
        for (size_t j = 0; !done && j < sizeof ints / sizeof ints[0]; j++) {
            if (strcmp(k, ints[j].n) != 0) continue;
            if (!pm_int_check(v)) {
                pm_err_format(rt, PM_EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                              pm_type_name(pm_type_of(v)));
                return NULL;
            }
            long x = pm_int_as_long(rt, v);
            if (x == -1 && pm_err_occurred(rt)) return NULL;
            if (x < -0x7fffffffL - 1 || x > 0x7fffffffL) {
                pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C int");
                return NULL;
            }
            *ints[j].p = (int)x;
            done = 1;
        }
        for (size_t j = 0; !done && j < sizeof objs / sizeof objs[0]; j++) {
            if (strcmp(k, objs[j].n) != 0) continue;
            char kind = objs[j].kind;
            if (!(kind == 'b' ? pm_bytes_check(v) : kind == 't' ? pm_tuple_check(v) : pm_str_check(v))) {
                pm_err_format(rt, PM_EXC_TypeError, "replace() argument '%s' must be %s, not %.50s", k,
                              kind == 'b' ? "bytes" : kind == 't' ? "tuple" : "str", pm_type_name(pm_type_of(v)));
                return NULL;
            }
            *objs[j].p = v;
            done = 1;
        }
        if (!done) {
            pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for replace()", k);
            return NULL;
        }
    }
    return pmi_code_new(rt, &spec);
}

static const pm_method_def code_replace_def = {
    "replace", (pm_cfunction)(void (*)(void))code_replace, PM_METH_FASTCALL | PM_METH_KEYWORDS,
    "Return a copy of the code object with new values for the specified fields."};

pm_object *pmi_code_getattr(pm_runtime *rt, pm_object *code, const char *name) {
    pmi_code *co = (pmi_code *)code;
    struct { const char *n; pm_object *o; } objs[] = {
        {"co_code", co->code}, {"co_consts", co->consts}, {"co_names", co->names},
        {"co_filename", co->filename}, {"co_name", co->name}, {"co_qualname", co->qualname},
        {"co_linetable", co->linetable}, {"co_exceptiontable", co->exceptiontable},
        {"_co_localsplusnames", co->localsplusnames},
        {"_co_localspluskinds", co->localspluskinds},
    };
    struct { const char *n; int v; } ints[] = {
        {"co_argcount", co->argcount}, {"co_posonlyargcount", co->posonlyargcount},
        {"co_kwonlyargcount", co->kwonlyargcount}, {"co_stacksize", co->stacksize},
        {"co_firstlineno", co->firstlineno}, {"co_flags", co->flags},
        {"co_nlocals", co->nlocals},
    };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        if (strcmp(name, objs[i].n) == 0) return pm_newref(rt, objs[i].o);
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (strcmp(name, ints[i].n) == 0) return pm_int_from_long(rt, ints[i].v);
    if (strcmp(name, "co_varnames") == 0) return pmi_code_varnames(rt, code);
    if (strcmp(name, "co_cellvars") == 0) return pmi_code_cellvars(rt, code);
    if (strcmp(name, "co_freevars") == 0) return pmi_code_freevars(rt, code);
    if (strcmp(name, "replace") == 0) return pm_cfunction_new(rt, &code_replace_def, code);
    pm_err_format(rt, PM_EXC_AttributeError, "'code' object has no attribute '%s'", name);
    return NULL;
}

static pm_object *code_getattr_hook(pm_runtime *rt, pm_object *self, pm_object *name) {
    if (!pm_str_check(name)) {
        pm_err_set(rt, PM_EXC_TypeError, "attribute name must be string");
        return NULL;
    }
    const char *s = pm_str_as_utf8(rt, name, NULL);
    if (!s) return NULL;
    return pmi_code_getattr(rt, self, s);
}

static void code_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_code *co = (pmi_code *)self;
    pm_xdecref(rt, co->code);
    pm_xdecref(rt, co->consts);
    pm_xdecref(rt, co->names);
    pm_xdecref(rt, co->localsplusnames);
    pm_xdecref(rt, co->localspluskinds);
    pm_xdecref(rt, co->filename);
    pm_xdecref(rt, co->name);
    pm_xdecref(rt, co->qualname);
    pm_xdecref(rt, co->linetable);
    pm_xdecref(rt, co->exceptiontable);
    pmi_specialize_free(rt, co);
    pm_gc_del(rt, self);
}

static int code_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    pmi_code *co = (pmi_code *)self;
    pm_object *fields[] = {co->code, co->consts, co->names, co->localsplusnames,
                           co->localspluskinds, co->filename, co->name, co->qualname,
                           co->linetable, co->exceptiontable};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i]) {
            int r = visit(fields[i], arg);
            if (r) return r;
        }
    }
    return 0;
}

const pm_type pmi_code_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "code",
    .basicsize = sizeof(pmi_code),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC | PM_TPFLAGS_IMMUTABLE,
    .base = &pm_object_type,
    .dealloc = code_dealloc,
    .traverse = code_traverse,
    .repr = code_repr,
    .hash = code_hash,
    .richcompare = code_richcompare,
    .getattr = code_getattr_hook,
};
