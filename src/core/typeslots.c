/*
 * typeslots.c — the protocol tables of the built-in scalar types (int,
 * bool, float, complex) and the sequence slots (concatenation, repetition,
 * item by index) of str, bytes, list and tuple, written over each type's
 * public arithmetic so that the generic protocols of abstract.c reach them.
 *
 * Purpose
 *   objects/int.c, float.c, complex.c implement the arithmetic on their own
 *   operands (pm_int_add: two ints).  A number slot has a wider contract
 *   (pymm.h, pm_number_methods): it is called for EITHER operand's type and
 *   must answer PM_NOTIMPLEMENTED for operands it does not handle, so that
 *   pm_number_binop can try the other side.  The wrappers here check the
 *   operands as CPython's slots do:
 *
 *     slot        handles                    e.g. NotImplemented for
 *     int_*       int (bool) op int (bool)   1 + 1.0  (float's slot answers)
 *     float_*     float/int op float/int     1.0 + 1j (complex's answers)
 *     complex_*   complex/float/int both     1j + 'a' (TypeError at the end)
 *     bool & | ^  bool op bool -> bool, else int's slot
 *
 *   Sequence slots take an already adjusted index (abstract.c adds the
 *   length to a negative one) and check the bounds themselves, as
 *   CPython's sq_item does; concatenation with a wrong type fails with the
 *   type's own message ("can only concatenate list (not \"int\") to list").
 *
 * Invariants: every function returns a new reference or NULL with the
 * error set, or PM_NOTIMPLEMENTED (immortal); nothing is stolen.
 *
 * CPython behaviour mirrored: long_as_number, bool_as_number,
 * float_as_number, complex_as_number (3.11: no // % divmod on complex),
 * float divmod's "float divmod()" text, pow()'s "pow() 3rd argument not
 * allowed unless all arguments are integers" and "complex modulo",
 * list/tuple repetition (MemoryError when the size overflows).
 */
#include "core/object.h"

#include <math.h>

/* ---- int / bool ------------------------------------------------------------ */

#define BOTH_INTS(a, b) (pm_int_check(a) && pm_int_check(b))

#define INT_BINOP(slot, fn)                                                  \
    static pm_object *slot(pm_runtime *rt, pm_object *a, pm_object *b) {     \
        if (!BOTH_INTS(a, b)) return PM_NOTIMPLEMENTED;                      \
        return fn(rt, a, b);                                                 \
    }
INT_BINOP(int_add, pm_int_add)
INT_BINOP(int_sub, pm_int_sub)
INT_BINOP(int_mul, pm_int_mul)
INT_BINOP(int_floordiv, pm_int_floordiv)
INT_BINOP(int_truediv, pm_int_truediv)
INT_BINOP(int_lshift, pm_int_lshift)
INT_BINOP(int_rshift, pm_int_rshift)
INT_BINOP(int_and, pm_int_and)
INT_BINOP(int_or, pm_int_or)
INT_BINOP(int_xor, pm_int_xor)
#undef INT_BINOP

/* CPython 3.11's % has its own text ("integer modulo by zero"); // and
 * divmod keep "integer division or modulo by zero" (pm_int_mod's). */
static pm_object *int_mod(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!BOTH_INTS(a, b)) return PM_NOTIMPLEMENTED;
    if (pm_int_sign(b) == 0) {
        pm_err_set(rt, PM_EXC_ZeroDivisionError, "integer modulo by zero");
        return NULL;
    }
    return pm_int_mod(rt, a, b);
}

/* A 2-tuple of two new refs (either may be NULL: error), stolen. */
static pm_object *pair(pm_runtime *rt, pm_object *x, pm_object *y) {
    pm_object *t = x && y ? pm_tuple_pack(rt, 2, x, y) : NULL;
    pm_xdecref(rt, x);
    pm_xdecref(rt, y);
    return t;
}

static pm_object *int_divmod(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!BOTH_INTS(a, b)) return PM_NOTIMPLEMENTED;
    pm_object *q = pm_int_floordiv(rt, a, b);
    if (!q) return NULL;
    return pair(rt, q, pm_int_mod(rt, a, b));
}

/* 1 when the int o equals 1. */
static int int_is_one(const pm_object *o) {
    return pm_int_sign(o) > 0 && pm_int_bit_length(o) == 1;
}

/* The inverse of a modulo n (n > 0) by the extended Euclidean algorithm
 * (CPython's long_invmod): x with a*x == 1 (mod n), not reduced.  NEW ref,
 * or NULL with ValueError "base is not invertible for the given modulus"
 * when gcd(a, n) != 1. */
static pm_object *int_invmod(pm_runtime *rt, pm_object *a, pm_object *n) {
    /* invariant: b*a0 == x (mod n0), c*a0 == y (mod n0) */
    pm_object *x = pm_newref(rt, a), *y = pm_newref(rt, n);
    pm_object *b = pm_int_from_long(rt, 1), *c = pm_int_from_long(rt, 0);
    if (!b || !c) goto fail;
    while (pm_int_sign(y) != 0) {
        pm_object *q = pm_int_floordiv(rt, x, y), *r = q ? pm_int_mod(rt, x, y) : NULL;
        pm_object *qc = r ? pm_int_mul(rt, q, c) : NULL, *t = qc ? pm_int_sub(rt, b, qc) : NULL;
        pm_xdecref(rt, q);
        pm_xdecref(rt, qc);
        if (!t) {
            pm_xdecref(rt, r);
            goto fail;
        }
        pm_decref(rt, x);
        x = y;
        y = r;
        pm_decref(rt, b);
        b = c;
        c = t;
    }
    if (!int_is_one(x)) {
        pm_err_set(rt, PM_EXC_ValueError, "base is not invertible for the given modulus");
        goto fail;
    }
    pm_decref(rt, x);
    pm_decref(rt, y);
    pm_decref(rt, c);
    return b;
fail:
    pm_xdecref(rt, x);
    pm_xdecref(rt, y);
    pm_xdecref(rt, b);
    pm_xdecref(rt, c);
    return NULL;
}

/* pow(a, b, m) for ints, m != 0: square-and-multiply over b's bits with
 * every product reduced mod m; the result takes m's sign, as Python's %.
 * A negative b raises the modular inverse of a to -b (CPython 3.8+); any
 * power is 0 modulo 1. */
static pm_object *int_modpow(pm_runtime *rt, pm_object *a, pm_object *b, pm_object *m) {
    if (pm_int_sign(m) == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "pow() 3rd argument cannot be 0");
        return NULL;
    }
    if (pm_int_sign(b) < 0) {
        pm_object *n = pm_int_abs(rt, m), *inv = NULL, *nb = NULL, *r = NULL;
        if (!n) return NULL;
        if (int_is_one(n)) {
            pm_decref(rt, n);
            return pm_int_from_long(rt, 0);
        }
        inv = int_invmod(rt, a, n);
        pm_decref(rt, n);
        if (inv && (nb = pm_int_neg(rt, b))) r = int_modpow(rt, inv, nb, m);
        pm_xdecref(rt, inv);
        pm_xdecref(rt, nb);
        return r;
    }
    pm_object *one = pm_int_from_long(rt, 1);
    pm_object *r = pm_int_mod(rt, one, m);       /* 1 % m: 0 when |m| == 1 */
    pm_object *x = pm_int_mod(rt, a, m), *t;
    size_t nbits = pm_int_bit_length(b);
    pm_decref(rt, one);
    if (!r || !x) goto fail;
    for (size_t i = 0; i < nbits; i++) {
        pm_object *sh = pm_int_from_ssize(rt, (pm_ssize_t)i), *bit;
        if (!sh) goto fail;
        t = pm_int_rshift(rt, b, sh);
        pm_decref(rt, sh);
        if (!t) goto fail;
        one = pm_int_from_long(rt, 1);
        bit = pm_int_and(rt, t, one);
        pm_decref(rt, t);
        if (!bit) goto fail;
        int set = pm_int_sign(bit) != 0;
        pm_decref(rt, bit);
        if (set) {
            t = pm_int_mul(rt, r, x);
            if (!t) goto fail;
            pm_decref(rt, r);
            r = pm_int_mod(rt, t, m);
            pm_decref(rt, t);
            if (!r) goto fail;
        }
        if (i + 1 < nbits) {
            t = pm_int_mul(rt, x, x);
            if (!t) goto fail;
            pm_decref(rt, x);
            x = pm_int_mod(rt, t, m);
            pm_decref(rt, t);
            if (!x) goto fail;
        }
    }
    pm_decref(rt, x);
    return r;
fail:
    pm_xdecref(rt, r);
    pm_xdecref(rt, x);
    return NULL;
}

static pm_object *int_pow(pm_runtime *rt, pm_object *a, pm_object *b, pm_object *c) {
    if (!BOTH_INTS(a, b)) return PM_NOTIMPLEMENTED;
    if (c == PM_NONE) return pm_int_pow(rt, a, b);
    if (!pm_int_check(c)) return PM_NOTIMPLEMENTED;
    return int_modpow(rt, a, b, c);
}

/* The value of an int (or bool) as an exact int. */
static pm_object *int_exact(pm_runtime *rt, pm_object *a) {
    if (a->ob_type == &pm_int_type) return pm_newref(rt, a);
    pm_object *zero = pm_int_from_long(rt, 0);
    pm_object *r = pm_int_add(rt, a, zero);
    pm_decref(rt, zero);
    return r;
}

static pm_object *int_float(pm_runtime *rt, pm_object *a) {
    double d = pm_int_as_double(rt, a);
    if (d == -1.0 && pm_err_occurred(rt)) return NULL;
    return pm_float_new(rt, d);
}

static int int_bool(pm_runtime *rt, pm_object *a) {
    (void)rt;
    return pm_int_sign(a) != 0;
}

#define INT_SLOTS                                                           \
    .nb_add = int_add, .nb_subtract = int_sub, .nb_multiply = int_mul,      \
    .nb_remainder = int_mod, .nb_divmod = int_divmod, .nb_power = int_pow,  \
    .nb_negative = pm_int_neg, .nb_positive = int_exact,                    \
    .nb_absolute = pm_int_abs, .nb_bool = int_bool,                         \
    .nb_invert = pm_int_invert, .nb_lshift = int_lshift,                    \
    .nb_rshift = int_rshift, .nb_int = int_exact, .nb_float = int_float,    \
    .nb_floor_divide = int_floordiv, .nb_true_divide = int_truediv,         \
    .nb_index = int_exact

const pm_number_methods pmi_int_as_number = {
    INT_SLOTS,
    .nb_and = int_and,
    .nb_xor = int_xor,
    .nb_or = int_or,
};

/* bool & | ^ bool is a bool; with any other int, int's operator. */
#define BOOL_BINOP(slot, intslot, expr)                                      \
    static pm_object *slot(pm_runtime *rt, pm_object *a, pm_object *b) {     \
        if (a->ob_type != &pm_bool_type || b->ob_type != &pm_bool_type)     \
            return intslot(rt, a, b);                                        \
        int x = a == PM_TRUE, y = b == PM_TRUE;                              \
        return pm_bool_from(expr);                                           \
    }
BOOL_BINOP(bool_and, int_and, x & y)
BOOL_BINOP(bool_or, int_or, x | y)
BOOL_BINOP(bool_xor, int_xor, x ^ y)
#undef BOOL_BINOP

const pm_number_methods pmi_bool_as_number = {
    INT_SLOTS,
    .nb_and = bool_and,
    .nb_xor = bool_xor,
    .nb_or = bool_or,
};
#undef INT_SLOTS

/* ---- float ----------------------------------------------------------------- */

static int is_real(const pm_object *o) { return pm_float_check(o) || pm_int_check(o); }

#define FLOAT_BINOP(slot, fn)                                                \
    static pm_object *slot(pm_runtime *rt, pm_object *a, pm_object *b) {     \
        if (!is_real(a) || !is_real(b)) return PM_NOTIMPLEMENTED;            \
        return fn(rt, a, b);                                                 \
    }
FLOAT_BINOP(float_add, pm_float_add)
FLOAT_BINOP(float_sub, pm_float_sub)
FLOAT_BINOP(float_mul, pm_float_mul)
FLOAT_BINOP(float_truediv, pm_float_truediv)
FLOAT_BINOP(float_floordiv, pm_float_floordiv)
FLOAT_BINOP(float_mod, pm_float_mod)
#undef FLOAT_BINOP

static pm_object *float_divmod(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!is_real(a) || !is_real(b)) return PM_NOTIMPLEMENTED;
    double y = pm_float_as_double(rt, b);
    if (y == -1.0 && pm_err_occurred(rt)) return NULL;
    if (y == 0.0) {
        pm_err_set(rt, PM_EXC_ZeroDivisionError, "float divmod()");
        return NULL;
    }
    pm_object *q = pm_float_floordiv(rt, a, b);
    if (!q) return NULL;
    return pair(rt, q, pm_float_mod(rt, a, b));
}

static pm_object *float_pow(pm_runtime *rt, pm_object *a, pm_object *b, pm_object *c) {
    /* the modulus is refused before the operands are looked at, as CPython */
    if (c != PM_NONE) {
        pm_err_set(rt, PM_EXC_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
        return NULL;
    }
    if (!is_real(a) || !is_real(b)) return PM_NOTIMPLEMENTED;
    return pm_float_pow(rt, a, b);
}

static pm_object *float_neg(pm_runtime *rt, pm_object *a) { return pm_float_new(rt, -pm_float_value(a)); }
static pm_object *float_abs(pm_runtime *rt, pm_object *a) {
    return pm_float_new(rt, fabs(pm_float_value(a)));
}
static pm_object *float_exact(pm_runtime *rt, pm_object *a) {
    if (a->ob_type == &pm_float_type) return pm_newref(rt, a);
    return pm_float_new(rt, pm_float_value(a));
}
static pm_object *float_int(pm_runtime *rt, pm_object *a) { return pm_int_from_double(rt, pm_float_value(a)); }
static int float_bool(pm_runtime *rt, pm_object *a) {
    (void)rt;
    return pm_float_value(a) != 0.0;
}

const pm_number_methods pmi_float_as_number = {
    .nb_add = float_add, .nb_subtract = float_sub, .nb_multiply = float_mul,
    .nb_remainder = float_mod, .nb_divmod = float_divmod, .nb_power = float_pow,
    .nb_negative = float_neg, .nb_positive = float_exact, .nb_absolute = float_abs,
    .nb_bool = float_bool, .nb_int = float_int, .nb_float = float_exact,
    .nb_floor_divide = float_floordiv, .nb_true_divide = float_truediv,
};

/* ---- complex --------------------------------------------------------------- */

static int is_complexish(const pm_object *o) { return pm_complex_check(o) || is_real(o); }

#define COMPLEX_BINOP(slot, fn)                                              \
    static pm_object *slot(pm_runtime *rt, pm_object *a, pm_object *b) {     \
        if (!is_complexish(a) || !is_complexish(b)) return PM_NOTIMPLEMENTED; \
        return fn(rt, a, b);                                                 \
    }
COMPLEX_BINOP(complex_add, pm_complex_add)
COMPLEX_BINOP(complex_sub, pm_complex_sub)
COMPLEX_BINOP(complex_mul, pm_complex_mul)
COMPLEX_BINOP(complex_truediv, pm_complex_truediv)
#undef COMPLEX_BINOP

static pm_object *complex_pow(pm_runtime *rt, pm_object *a, pm_object *b, pm_object *c) {
    if (c != PM_NONE) {
        pm_err_set(rt, PM_EXC_ValueError, "complex modulo");
        return NULL;
    }
    if (!is_complexish(a) || !is_complexish(b)) return PM_NOTIMPLEMENTED;
    return pm_complex_pow(rt, a, b);
}

static pm_object *complex_pos(pm_runtime *rt, pm_object *a) {
    if (a->ob_type == &pm_complex_type) return pm_newref(rt, a);
    return pm_complex_new(rt, pm_complex_real(a), pm_complex_imag(a));
}
static int complex_bool(pm_runtime *rt, pm_object *a) {
    (void)rt;
    return pm_complex_real(a) != 0.0 || pm_complex_imag(a) != 0.0;
}

const pm_number_methods pmi_complex_as_number = {
    .nb_add = complex_add, .nb_subtract = complex_sub, .nb_multiply = complex_mul,
    .nb_power = complex_pow, .nb_negative = pm_complex_neg, .nb_positive = complex_pos,
    .nb_absolute = pm_complex_abs, .nb_bool = complex_bool, .nb_true_divide = complex_truediv,
};

/* ---- str % args, bytes % args ------------------------------------------------ */

static pm_object *str_mod(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!pm_str_check(a)) return PM_NOTIMPLEMENTED;
    return pm_str_percent(rt, a, b);
}
const pm_number_methods pmi_str_as_number = {.nb_remainder = str_mod};

static pm_object *bytes_mod(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!pm_bytes_check(a)) return PM_NOTIMPLEMENTED;
    return pm_bytes_percent(rt, a, b);
}
const pm_number_methods pmi_bytes_as_number = {.nb_remainder = bytes_mod};

/* ---- sequence slots -------------------------------------------------------- */

static void *index_error(pm_runtime *rt, const char *msg) {
    pm_err_set(rt, PM_EXC_IndexError, msg);
    return NULL;
}

pm_object *pmi_str_sq_item(pm_runtime *rt, pm_object *s, pm_ssize_t i) {
    if ((size_t)i >= (size_t)pm_str_length(s)) return index_error(rt, "string index out of range");
    return pm_str_getitem(rt, s, i);
}

pm_object *pmi_str_sq_repeat(pm_runtime *rt, pm_object *s, pm_ssize_t n) {
    return pm_str_repeat(rt, s, n);
}

pm_object *pmi_bytes_sq_item(pm_runtime *rt, pm_object *b, pm_ssize_t i) {
    if ((size_t)i >= (size_t)pm_bytes_size(b)) return index_error(rt, "index out of range");
    return pm_int_from_long(rt, (unsigned char)pm_bytes_data(b)[i]);
}

pm_object *pmi_bytes_sq_repeat(pm_runtime *rt, pm_object *b, pm_ssize_t n) {
    pm_ssize_t len = pm_bytes_size(b);
    if (n < 0) n = 0;
    if (n == 1 && b->ob_type == &pm_bytes_type) return pm_newref(rt, b);
    if (len && n > PM_SSIZE_MAX / len) return pm_err_nomem(rt);
    pm_object *r = pm_bytes_new(rt, NULL, len * n);
    if (!r) return NULL;
    char *d = (char *)pm_bytes_data(r);
    for (pm_ssize_t k = 0; k < n; k++) memcpy(d + k * len, pm_bytes_data(b), (size_t)len);
    return r;
}

pm_object *pmi_bytearray_sq_item(pm_runtime *rt, pm_object *b, pm_ssize_t i) {
    if ((size_t)i >= (size_t)pm_bytearray_size(b)) return index_error(rt, "bytearray index out of range");
    return pm_int_from_long(rt, (unsigned char)pm_bytearray_data(b)[i]);
}

pm_object *pmi_list_sq_item(pm_runtime *rt, pm_object *l, pm_ssize_t i) {
    if ((size_t)i >= (size_t)pm_list_size(l)) return index_error(rt, "list index out of range");
    return pm_newref(rt, pm_list_get(rt, l, i));
}

pm_object *pmi_list_sq_concat(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!pm_list_check(b))
        return pmi_err_type(rt, "can only concatenate list (not \"%.200s\") to list", b);
    return pm_list_concat(rt, a, b);
}

pm_object *pmi_list_sq_inplace_concat(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (pm_list_extend(rt, a, b) < 0) return NULL;
    return pm_newref(rt, a);
}

/* pmi_list_sq_repeat and pmi_list_sq_inplace_repeat: objects/list.c */

pm_object *pmi_tuple_sq_item(pm_runtime *rt, pm_object *t, pm_ssize_t i) {
    if ((size_t)i >= (size_t)pm_tuple_size(t)) return index_error(rt, "tuple index out of range");
    return pm_newref(rt, pm_tuple_get(rt, t, i));
}

pm_object *pmi_tuple_sq_concat(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (!pm_tuple_check(b))
        return pmi_err_type(rt, "can only concatenate tuple (not \"%.200s\") to tuple", b);
    return pm_tuple_concat(rt, a, b);
}

pm_object *pmi_tuple_sq_repeat(pm_runtime *rt, pm_object *a, pm_ssize_t n) {
    pm_ssize_t len = pm_tuple_size(a);
    if (n < 0) n = 0;
    if (n == 1 && a->ob_type == &pm_tuple_type) return pm_newref(rt, a);
    if (len == 0 || n == 0) return pm_tuple_from_array(rt, NULL, 0);
    if (n > PM_SSIZE_MAX / (pm_ssize_t)sizeof(pm_object *) / len) return pm_err_nomem(rt);
    pm_object *l = pmi_list_sq_repeat(rt, a, n);
    if (!l) return NULL;
    pm_object *r = pm_list_as_tuple(rt, l);
    pm_decref(rt, l);
    return r;
}
