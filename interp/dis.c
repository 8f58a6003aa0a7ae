/*
 * interp/dis.c -- `pymm --dis`: CPython 3.11's disassembly text.
 *
 * The output must equal `python3 -m dis FILE` character for character, so
 * this file follows Lib/dis.py's layout rules (3.11):
 *
 *   lineno  mark  target  offset  name                 arg   (argrepr)
 *   "  3"   "   " ">>"    "  12"  "LOAD_FAST".ljust(20) "    0" "(x)"
 *
 *   - the line column is 3 wide (wider when a line number reaches 1000), and
 *     absent when the code has no line numbers at all; a line number is shown
 *     on the first instruction of each run of co_lines() with a new line, and
 *     a blank line precedes it (except at offset 0);
 *   - offsets are 4 wide (wider from offset 10000);
 *   - ">>" marks jump targets and exception handler targets;
 *   - CACHE units are skipped (not shown), EXTENDED_ARG is shown and its
 *     argument carries into the next instruction's;
 *   - argrepr by kind: LOAD_CONST repr(const), names and locals as they are,
 *     "NULL + name" for LOAD_GLOBAL with the low bit, "to N" for jumps,
 *     cmp_op for COMPARE_OP, FORMAT_VALUE's conversion, MAKE_FUNCTION's
 *     flags, BINARY_OP's operator;
 *   - each line is right-stripped;
 *   - then "ExceptionTable:" and "  start to end-2 -> target [depth] lasti";
 *   - then, for each code constant: a blank line, "Disassembly of %r:" and
 *     that code object, recursively.
 *
 * The exception table is a run of entries of four varints (start, length,
 * target -- all in code units -- and depth<<1|lasti); its varints are
 * big-endian 6-bit groups with 0x40 = "more", and 0x80 marks an entry's
 * first byte (dis ignores that bit, so does this file).
 */
#include "dis.h"

#include <math.h>
#include <string.h>

#include "code.h"
#include "opcodes.h"

#define OPNAME_WIDTH 20
#define OPARG_WIDTH 5

/* A growable char buffer for one line (pm_malloc). */
typedef struct line_buf {
    pm_runtime *rt;                 /* for allocation */
    char *s;                        /* text, NUL-terminated */
    size_t len;                     /* bytes used */
    size_t cap;                     /* bytes allocated */
} line_buf;

static int lb_add(line_buf *b, const char *s, size_t n) {
    if (b->cap - b->len <= n) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap - b->len <= n) cap *= 2;
        char *ns = pm_realloc(b->rt, b->s, cap);
        if (!ns) {
            pm_err_nomem(b->rt);
            return -1;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
    return 0;
}

static int lb_str(line_buf *b, const char *s) { return lb_add(b, s, strlen(s)); }

/* Add the text of a str object (lone surrogates cannot occur in a repr). */
static int lb_obj_str(line_buf *b, pm_object *s) {
    pm_ssize_t n;
    const char *u = pm_str_as_utf8(b->rt, s, &n);
    if (!u) return -1;
    return lb_add(b, u, (size_t)n);
}

static int lb_pm_repr(line_buf *b, pm_object *o) {
    pm_object *r = pm_repr(b->rt, o);
    if (!r) return -1;
    int rc = lb_obj_str(b, r);
    pm_decref(b->rt, r);
    return rc;
}

/* repr() of a float part of a complex: 'r' format without the ".0" that
 * float's repr adds ("2.0" -> "2"), as CPython's complex repr. */
static int lb_complex_part(line_buf *b, double v, int sign) {
    char tmp[64];
    size_t n = pm_float_format_repr(v, tmp + 1, sizeof tmp - 1);
    char *s = tmp + 1;
    if (n >= 2 && strcmp(s + n - 2, ".0") == 0) s[n -= 2] = 0;
    if (sign && s[0] != '-') {
        *--s = '+';
        n++;
    }
    return lb_add(b, s, n);
}

/* repr() of a constant: complex numbers (exactly pm_complex_type) are
 * spelled here part by part, and tuples and frozensets are walked so their
 * items go through the same path. */
static int lb_repr(line_buf *b, pm_object *o) {
    pm_runtime *rt = b->rt;
    double re, im;
    if (pmi_code_complex_parts(rt, o, &re, &im)) {
        if (re == 0.0 && !signbit(re)) {
            if (lb_complex_part(b, im, 0) < 0) return -1;
            return lb_str(b, "j");
        }
        if (lb_str(b, "(") < 0 || lb_complex_part(b, re, 0) < 0 ||
            lb_complex_part(b, im, 1) < 0)
            return -1;
        return lb_str(b, "j)");
    }
    if (pm_type_of(o) == &pm_tuple_type) {
        pm_ssize_t n = pm_tuple_size(o);
        if (lb_str(b, "(") < 0) return -1;
        for (pm_ssize_t i = 0; i < n; i++) {
            if (i && lb_str(b, ", ") < 0) return -1;
            if (lb_repr(b, pm_tuple_get(rt, o, i)) < 0) return -1;
        }
        return lb_str(b, n == 1 ? ",)" : ")");
    }
    if (pm_type_of(o) == &pm_frozenset_type) {
        if (pm_set_size(o) == 0) return lb_str(b, "frozenset()");
        pm_ssize_t pos = 0;
        pm_object *k;
        int first = 1;
        if (lb_str(b, "frozenset({") < 0) return -1;
        while (pm_set_next(o, &pos, &k)) {
            if (!first && lb_str(b, ", ") < 0) return -1;
            if (lb_repr(b, k) < 0) return -1;
            first = 0;
        }
        return lb_str(b, "})");
    }
    return lb_pm_repr(b, o);
}

/* ---- tables: line starts, labels, exception entries ---------------------- */

typedef struct exc_entry {
    long start, end, target, depth; /* byte offsets; depth of the stack */
    int lasti;                      /* push the offset of the raising instruction */
} exc_entry;

typedef struct dis_ctx {
    pm_runtime *rt;                 /* the runtime */
    pmi_code *co;                   /* the code object being shown */
    const unsigned char *code;      /* co_code bytes */
    size_t ncode;                   /* len(co_code) */
    int *linestart;                 /* per code unit: line starting there, or -1 */
    unsigned char *label;           /* per code unit: 1 when a jump target */
    exc_entry *exc;                 /* exception table entries */
    size_t nexc;                    /* their number */
} dis_ctx;

static int parse_varint(const unsigned char **p, const unsigned char *end, long *out) {
    if (*p >= end) return 0;
    unsigned b = *(*p)++;
    long v = b & 63;
    while (b & 64) {
        if (*p >= end) return 0;
        b = *(*p)++;
        if (v > (0x7fffffffL >> 6)) return 0;  /* absurd: stop as at the end */
        v = (v << 6) | (b & 63);
    }
    *out = v;
    return 1;
}

static int parse_exceptions(dis_ctx *c) {
    const unsigned char *p = (const unsigned char *)pm_bytes_data(c->co->exceptiontable);
    const unsigned char *end = p + pm_bytes_size(c->co->exceptiontable);
    size_t cap = 0;
    for (;;) {
        long start, len, target, dl;
        if (!parse_varint(&p, end, &start) || !parse_varint(&p, end, &len) ||
            !parse_varint(&p, end, &target) || !parse_varint(&p, end, &dl))
            break;
        if (c->nexc == cap) {
            cap = cap ? cap * 2 : 8;
            exc_entry *ne = pm_realloc(c->rt, c->exc, cap * sizeof(*ne));
            if (!ne) {
                pm_err_nomem(c->rt);
                return -1;
            }
            c->exc = ne;
        }
        exc_entry *e = &c->exc[c->nexc++];
        e->start = start * 2;
        e->end = (start + len) * 2;
        e->target = target * 2;
        e->depth = dl >> 1;
        e->lasti = (int)(dl & 1);
    }
    return 0;
}

/* One decoded instruction. */
typedef struct instr {
    size_t offset;                  /* byte offset */
    int op;                         /* opcode as stored */
    int deop;                       /* its unspecialized form */
    int has_arg;                    /* op >= HAVE_ARGUMENT */
    long arg;                       /* argument incl. EXTENDED_ARG prefixes */
} instr;

/* Iterates as dis's _unpack_opargs: skips CACHE units, folds EXTENDED_ARG. */
typedef struct instr_iter {
    const dis_ctx *c;               /* the code */
    size_t i;                       /* next byte offset */
    long ext;                       /* pending EXTENDED_ARG bits */
} instr_iter;

static int next_instr(instr_iter *it, instr *in) {
    const dis_ctx *c = it->c;
    if (it->i >= c->ncode) return 0;   /* ncode is even: code[i + 1] exists */
    in->offset = it->i;
    in->op = c->code[it->i];
    in->deop = pmi_opcode_deopt(in->op);
    if (in->deop < 0) in->deop = in->op;
    in->has_arg = in->deop >= PMI_HAVE_ARGUMENT;
    if (in->has_arg) {
        long arg = (long)c->code[it->i + 1] | it->ext;
        if (in->deop == PMI_OP_EXTENDED_ARG) {
            /* dis keeps it as a signed 32-bit value */
            long long e = (long long)arg << 8;
            e &= 0xffffffffLL;
            if (e >= 0x80000000LL) e -= 0x100000000LL;
            it->ext = (long)e;
        } else {
            it->ext = 0;
        }
        in->arg = arg;
    } else {
        in->arg = 0;
        it->ext = 0;
    }
    it->i += 2 + 2 * (size_t)pmi_opcode_cache(in->deop);
    return 1;
}

static int is_backward(int op) {
    const char *n = pmi_opcode_name(op);
    return n && strstr(n, "JUMP_BACKWARD") != NULL;
}

static long jump_target(const instr *in) {
    long a = is_backward(in->deop) ? -in->arg : in->arg;
    return (long)in->offset + 2 + a * 2;
}

static void mark_label(dis_ctx *c, long off) {
    if (off >= 0 && (size_t)off < c->ncode) c->label[off / 2] = 1;
}

static int build_tables(dis_ctx *c) {
    size_t units = c->ncode / 2 + 1;
    c->linestart = pm_malloc(c->rt, units * sizeof(int));
    c->label = pm_calloc(c->rt, units, 1);
    if (!c->linestart || !c->label) {
        pm_err_nomem(c->rt);
        return -1;
    }
    for (size_t i = 0; i < units; i++) c->linestart[i] = -1;
    /* findlinestarts: the first offset of each co_lines range whose line
     * differs from the previous shown line. */
    pmi_code_pos *lines = NULL;
    pm_ssize_t n = 0;
    if (pmi_code_co_lines(c->rt, (pm_object *)c->co, &lines, &n) < 0) return -1;
    long last = -1;
    int have_last = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        if (lines[i].lineno < 0) continue;
        if (have_last && lines[i].lineno == last) continue;
        last = lines[i].lineno;
        have_last = 1;
        if (lines[i].start >= 0 && (size_t)lines[i].start / 2 < units &&
            c->linestart[lines[i].start / 2] < 0)
            c->linestart[lines[i].start / 2] = lines[i].lineno;
    }
    pm_free(c->rt, lines);
    instr_iter it = {c, 0, 0};
    instr in;
    while (next_instr(&it, &in))
        if (in.has_arg && (pmi_opcode_flags(in.op) & PMI_OPF_JUMP)) mark_label(c, jump_target(&in));
    for (size_t i = 0; i < c->nexc; i++)
        if (c->exc[i].start < c->exc[i].end) mark_label(c, c->exc[i].target);
    return 0;
}

/* ---- one instruction's argrepr -------------------------------------------- */

static int add_name(line_buf *b, pm_object *tuple, long i, int *ok) {
    if (i < 0 || i >= pm_tuple_size(tuple)) {
        *ok = 0;
        return 0;
    }
    return lb_obj_str(b, pm_tuple_get(b->rt, tuple, i));
}

static int argrepr(dis_ctx *c, line_buf *b, const instr *in) {
    pm_runtime *rt = c->rt;
    int d = in->deop, ok = 1;
    unsigned fl = pmi_opcode_flags(d);
    long arg = in->arg;
    char num[48];
    if (d == PMI_OP_LOAD_CONST) {
        if (arg < 0 || arg >= pm_tuple_size(c->co->consts)) return 0;
        return lb_repr(b, pm_tuple_get(rt, c->co->consts, arg));
    }
    if (fl & PMI_OPF_CONST) return 0;   /* KW_NAMES: dis shows no detail */
    if (fl & PMI_OPF_NAME) {
        if (d == PMI_OP_LOAD_GLOBAL) {
            if (arg & 1) {
                long i = arg / 2;
                if (i < 0 || i >= pm_tuple_size(c->co->names)) return 0;
                if (lb_str(b, "NULL + ") < 0) return -1;
            }
            return add_name(b, c->co->names, arg / 2, &ok);
        }
        return add_name(b, c->co->names, arg, &ok);
    }
    if (fl & PMI_OPF_JUMP) {
        snprintf(num, sizeof num, "to %ld", jump_target(in));
        return lb_str(b, num);
    }
    if (fl & (PMI_OPF_LOCAL | PMI_OPF_FREE)) {
        pm_object *name = pmi_code_slot_name(rt, (pm_object *)c->co, arg);
        return name ? lb_obj_str(b, name) : 0;
    }
    if (fl & PMI_OPF_COMPARE) {
        const char *s = pmi_cmp_op_symbol((int)arg);
        return s ? lb_str(b, s) : 0;
    }
    if (d == PMI_OP_FORMAT_VALUE) {
        static const char *const conv[4] = {"", "str", "repr", "ascii"};
        if (lb_str(b, conv[arg & 3]) < 0) return -1;
        if (arg & 4) {
            if ((arg & 3) && lb_str(b, ", ") < 0) return -1;
            return lb_str(b, "with format");
        }
        return 0;
    }
    if (d == PMI_OP_MAKE_FUNCTION) {
        static const char *const flags[4] = {"defaults", "kwdefaults", "annotations", "closure"};
        int first = 1;
        for (int i = 0; i < 4; i++) {
            if (!(arg & (1L << i))) continue;
            if (!first && lb_str(b, ", ") < 0) return -1;
            if (lb_str(b, flags[i]) < 0) return -1;
            first = 0;
        }
        return 0;
    }
    if (d == PMI_OP_BINARY_OP) {
        const char *s = pmi_nb_op_symbol((int)arg);
        return s ? lb_str(b, s) : 0;
    }
    return 0;
}

/* ---- one code object --------------------------------------------------- */

static int dis_one(dis_ctx *c, FILE *out) {
    pm_runtime *rt = c->rt;
    line_buf b = {rt, NULL, 0, 0}, ar = {rt, NULL, 0, 0};
    int rc = -1;
    if (parse_exceptions(c) < 0 || build_tables(c) < 0) goto fail;
    int maxline = -1;
    for (size_t i = 0; i < c->ncode / 2 + 1; i++)
        if (c->linestart[i] > maxline) maxline = c->linestart[i];
    int lineno_width = 0;
    if (maxline >= 0) {
        char tmp[16];
        lineno_width = maxline >= 1000 ? snprintf(tmp, sizeof tmp, "%d", maxline) : 3;
    }
    int offset_width = 4;
    if (c->ncode >= 2 && c->ncode - 2 >= 10000) {
        char tmp[24];
        offset_width = snprintf(tmp, sizeof tmp, "%zu", c->ncode - 2);
    }
    instr_iter it = {c, 0, 0};
    instr in;
    while (next_instr(&it, &in)) {
        char tmp[64];
        b.len = 0;
        if (lb_add(&b, "", 0) < 0) goto fail;
        int ls = c->linestart[in.offset / 2];
        if (lineno_width) {
            if (ls >= 0) {
                snprintf(tmp, sizeof tmp, "%*d", lineno_width, ls);
                if (in.offset > 0) fputc('\n', out);
            } else {
                snprintf(tmp, sizeof tmp, "%*s", lineno_width, "");
            }
            if (lb_str(&b, tmp) < 0 || lb_str(&b, " ") < 0) goto fail;
        }
        if (lb_str(&b, "    ") < 0) goto fail;          /* "   " mark + separator */
        if (lb_str(&b, c->label[in.offset / 2] ? ">>" : "  ") < 0) goto fail;
        snprintf(tmp, sizeof tmp, " %*zu ", offset_width, in.offset);
        if (lb_str(&b, tmp) < 0) goto fail;
        const char *name = pmi_opcode_name(in.op);
        if (!name || in.op >= 256) {
            snprintf(tmp, sizeof tmp, "<%d>", in.op);
            name = tmp;
        }
        char namebuf[64];
        snprintf(namebuf, sizeof namebuf, "%-*s", OPNAME_WIDTH, name);
        if (lb_str(&b, namebuf) < 0) goto fail;
        if (in.has_arg) {
            snprintf(tmp, sizeof tmp, " %*ld", OPARG_WIDTH, in.arg);
            if (lb_str(&b, tmp) < 0) goto fail;
            ar.len = 0;
            if (lb_add(&ar, "", 0) < 0 || argrepr(c, &ar, &in) < 0) goto fail;
            if (ar.len) {
                if (lb_str(&b, " (") < 0 || lb_add(&b, ar.s, ar.len) < 0 || lb_str(&b, ")") < 0)
                    goto fail;
            }
        }
        while (b.len > 0 && (b.s[b.len - 1] == ' ' || b.s[b.len - 1] == '\t' ||
                             b.s[b.len - 1] == '\n'))
            b.s[--b.len] = 0;
        fputs(b.s, out);
        fputc('\n', out);
    }
    if (c->nexc) {
        fputs("ExceptionTable:\n", out);
        for (size_t i = 0; i < c->nexc; i++) {
            exc_entry *e = &c->exc[i];
            fprintf(out, "  %ld to %ld -> %ld [%ld]%s\n", e->start, e->end - 2, e->target,
                    e->depth, e->lasti ? " lasti" : "");
        }
    }
    rc = 0;
fail:
    pm_free(rt, b.s);
    pm_free(rt, ar.s);
    return rc;
}

static int dis_recursive(pm_runtime *rt, pm_object *code, FILE *out, int depth) {
    if (depth > 1000) {                 /* marshal nests at most ~1000 code objects */
        pm_err_set(rt, PM_EXC_RecursionError, "code objects nested too deeply to disassemble");
        return -1;
    }
    pmi_code *co = (pmi_code *)code;
    dis_ctx c;
    memset(&c, 0, sizeof c);
    c.rt = rt;
    c.co = co;
    c.code = (const unsigned char *)pm_bytes_data(co->code);
    c.ncode = (size_t)pm_bytes_size(co->code);
    int rc = dis_one(&c, out);
    pm_free(rt, c.linestart);
    pm_free(rt, c.label);
    pm_free(rt, c.exc);
    if (rc < 0) return -1;
    pm_ssize_t n = pm_tuple_size(co->consts);
    for (pm_ssize_t i = 0; i < n; i++) {
        pm_object *k = pm_tuple_get(rt, co->consts, i);
        if (!pmi_code_check(k)) continue;
        pm_object *r = pm_repr(rt, k);
        if (!r) return -1;
        const char *s = pm_str_as_utf8(rt, r, NULL);
        if (!s) {
            pm_decref(rt, r);
            return -1;
        }
        fprintf(out, "\nDisassembly of %s:\n", s);
        pm_decref(rt, r);
        if (dis_recursive(rt, k, out, depth + 1) < 0) return -1;
    }
    return 0;
}

int pmi_dis_print(pm_runtime *rt, pm_object *code, FILE *out) {
    if (!pmi_code_check(code)) {
        pm_err_set(rt, PM_EXC_TypeError, "pmi_dis_print: not a code object");
        return -1;
    }
    return dis_recursive(rt, code, out, 0);
}
