/*
 * nummethods.c — the methods and computed attributes of int and float
 * (int.bit_length, int.to_bytes, float.hex, x.real, ...), CPython 3.11's
 * Objects/longobject.c and floatobject.c methods with their clinic
 * argument handling.
 *
 * Purpose
 *   int.c and float.c keep the number representations and arithmetic; the
 *   attribute-level API sits here, written on top of the public int
 *   operations (pm_int_*), so no digit layout leaks into this file.  bool
 *   gets all of int's through its MRO (True.real is 1, an int).
 *
 *     int.__dict__:   bit_length bit_count conjugate as_integer_ratio
 *                     to_bytes from_bytes(classmethod)  real imag
 *                     numerator denominator (getsets)
 *     float.__dict__: is_integer conjugate as_integer_ratio hex  real imag
 *
 * Invariants
 *   - Results are new references; arguments borrowed.  Attributes that
 *     return "the int itself" return an exact int (int(True) is 1), as
 *     CPython's int___index__-style helpers do.
 *   - to_bytes / from_bytes work a byte at a time through int operations:
 *     quadratic in the length, fine for the sizes scripts use.
 */
#include "objects/descr.h"

#include <math.h>
#include <stdio.h>

/* pm_malloc that records MemoryError on failure. */
static void *xmalloc(pm_runtime *rt, size_t size) {
    void *p = pm_malloc(rt, size);
    if (!p) pm_err_nomem(rt);
    return p;
}

/* int(self) as an exact int: new ref. */
static pm_object *exact_int(pm_runtime *rt, pm_object *self) {
    if (self->ob_type == &pm_int_type) return pm_newref(rt, self);
    return pm_number_positive(rt, self);
}

static pm_object *int_self(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    return exact_int(rt, self);
}
static pm_object *int_zero(pm_runtime *rt, pm_object *self, void *closure) {
    (void)self, (void)closure;
    return pm_int_from_long(rt, 0);
}
static pm_object *int_one(pm_runtime *rt, pm_object *self, void *closure) {
    (void)self, (void)closure;
    return pm_int_from_long(rt, 1);
}

static pm_object *intm_conjugate(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return exact_int(rt, self);
}
static pm_object *intm_bit_length(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return pm_int_from_ssize(rt, (pm_ssize_t)pm_int_bit_length(self));
}
/* popcount of |self|, a byte at a time. */
static pm_object *intm_bit_count(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *x = pm_int_abs(rt, self), *mask = pm_int_from_long(rt, 0xff), *eight = pm_int_from_long(rt, 8);
    pm_ssize_t n = 0;
    pm_object *r = NULL;
    if (!x || !mask || !eight) goto done;
    while (pm_int_sign(x) != 0) {
        pm_object *b = pm_int_and(rt, x, mask);
        if (!b) goto done;
        for (long v = pm_int_as_long(rt, b); v; v &= v - 1) n++;
        pm_decref(rt, b);
        pm_object *y = pm_int_rshift(rt, x, eight);
        if (!y) goto done;
        pm_decref(rt, x);
        x = y;
    }
    r = pm_int_from_ssize(rt, n);
done:
    pm_xdecref(rt, x);
    pm_xdecref(rt, mask);
    pm_xdecref(rt, eight);
    return r;
}
static pm_object *intm_as_integer_ratio(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pm_object *a = exact_int(rt, self), *b = pm_int_from_long(rt, 1), *t = NULL;
    if (a && b) t = pm_tuple_pack(rt, 2, a, b);
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    return t;
}

/* byteorder argument: 1 little, 0 big, -1 error. */
static int byteorder_of(pm_runtime *rt, pm_object *o, const char *fname) {
    if (!o) return 0;
    if (!pm_str_check(o)) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() argument 'byteorder' must be str, not %.100s", fname,
                      o->ob_type->name);
        return -1;
    }
    if (pm_str_equal_cstr(o, "little")) return 1;
    if (pm_str_equal_cstr(o, "big")) return 0;
    pm_err_set(rt, PM_EXC_ValueError, "byteorder must be either 'little' or 'big'");
    return -1;
}

static pm_object *intm_to_bytes(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                                pm_object *kwnames) {
    static const char *const names[] = {"length", "byteorder", "signed", NULL};
    pm_object *a[3], *x = NULL, *mask = NULL, *eight = NULL, *r = NULL;
    unsigned char *buf = NULL;
    if (!pmi_arg_parse_kw(rt, "to_bytes", names, 2, 0, args, nargs, kwnames, a)) return NULL;
    pm_ssize_t len = 1;
    if (a[0]) {
        len = pmi_arg_ssize(rt, a[0]);
        if (len == -1 && pm_err_occurred(rt)) return NULL;
        if (len < 0) {
            pm_err_set(rt, PM_EXC_ValueError, "length argument must be non-negative");
            return NULL;
        }
    }
    int little = byteorder_of(rt, a[1], "to_bytes");
    if (little < 0) return NULL;
    int is_signed = a[2] ? pm_is_true(rt, a[2]) : 0;
    if (is_signed < 0) return NULL;
    int neg = pm_int_sign(self) < 0;
    if (neg && !is_signed) {
        pm_err_set(rt, PM_EXC_OverflowError, "can't convert negative int to unsigned");
        return NULL;
    }
    /* fits: bit_length of self (or of ~self for negatives) < 8*len (- 1 if signed) */
    size_t bits = neg ? 0 : pm_int_bit_length(self);
    if (neg) {
        pm_object *inv = pm_int_invert(rt, self);
        if (!inv) return NULL;
        bits = pm_int_bit_length(inv);
        pm_decref(rt, inv);
    }
    if ((pm_ssize_t)(bits + (size_t)is_signed) > 8 * len || (len > PM_SSIZE_MAX / 8)) {
        pm_err_set(rt, PM_EXC_OverflowError, "int too big to convert");
        return NULL;
    }
    buf = xmalloc(rt, (size_t)len + 1);
    mask = pm_int_from_long(rt, 0xff);
    eight = pm_int_from_long(rt, 8);
    x = pm_newref(rt, self);
    if (!buf || !mask || !eight) goto done;
    for (pm_ssize_t i = 0; i < len; i++) {  /* >> on negatives is arithmetic: two's complement bytes */
        pm_object *b = pm_int_and(rt, x, mask);
        if (!b) goto done;
        unsigned char v = (unsigned char)pm_int_as_long(rt, b);
        pm_decref(rt, b);
        buf[little ? i : len - 1 - i] = v;
        pm_object *y = pm_int_rshift(rt, x, eight);
        if (!y) goto done;
        pm_decref(rt, x);
        x = y;
    }
    r = pm_bytes_new(rt, buf, len);
done:
    pm_free(rt, buf);
    pm_xdecref(rt, x);
    pm_xdecref(rt, mask);
    pm_xdecref(rt, eight);
    return r;
}

static pm_object *intm_from_bytes(pm_runtime *rt, pm_object *type, pm_object *const *args, pm_ssize_t nargs,
                                  pm_object *kwnames) {
    static const char *const names[] = {"bytes", "byteorder", "signed", NULL};
    pm_object *a[3];
    if (!pmi_arg_parse_kw(rt, "from_bytes", names, 2, 1, args, nargs, kwnames, a)) return NULL;
    const unsigned char *p;
    pm_ssize_t len;
    if (pm_bytes_check(a[0])) {
        p = (const unsigned char *)pm_bytes_data(a[0]);
        len = pm_bytes_size(a[0]);
    } else if (pm_is_instance(a[0], &pm_bytearray_type)) {
        p = (const unsigned char *)pm_bytearray_data(a[0]);
        len = pm_bytearray_size(a[0]);
    } else {
        pm_err_format(rt, PM_EXC_TypeError, "cannot convert '%.200s' object to bytes", a[0]->ob_type->name);
        return NULL;
    }
    int little = byteorder_of(rt, a[1], "from_bytes");
    if (little < 0) return NULL;
    int is_signed = a[2] ? pm_is_true(rt, a[2]) : 0;
    if (is_signed < 0) return NULL;
    pm_object *r = pm_int_from_long(rt, 0), *eight = pm_int_from_long(rt, 8);
    if (!r || !eight) goto fail;
    for (pm_ssize_t i = 0; i < len; i++) {
        pm_object *sh = pm_int_lshift(rt, r, eight), *b, *y;
        if (!sh) goto fail;
        b = pm_int_from_long(rt, p[little ? len - 1 - i : i]);
        y = b ? pm_int_or(rt, sh, b) : NULL;
        pm_decref(rt, sh);
        pm_xdecref(rt, b);
        if (!y) goto fail;
        pm_decref(rt, r);
        r = y;
    }
    if (is_signed && len > 0 && (p[little ? len - 1 : 0] & 0x80)) {
        pm_object *one = pm_int_from_long(rt, 1), *nb = pm_int_from_ssize(rt, 8 * len), *big = NULL, *y = NULL;
        if (one && nb) big = pm_int_lshift(rt, one, nb);
        if (big) y = pm_int_sub(rt, r, big);
        pm_xdecref(rt, one);
        pm_xdecref(rt, nb);
        pm_xdecref(rt, big);
        if (!y) goto fail;
        pm_decref(rt, r);
        r = y;
    }
    pm_decref(rt, eight);
    if (type == pm_type_as_object(&pm_bool_type)) {  /* bool(r) */
        int nz = pm_int_sign(r) != 0;
        pm_decref(rt, r);
        return pm_newref(rt, pm_bool_from(nz));
    }
    if (type != pm_type_as_object(&pm_int_type)) {
        pm_object *o = pm_call_one(rt, type, r);
        pm_decref(rt, r);
        return o;
    }
    return r;
fail:
    pm_xdecref(rt, r);
    pm_xdecref(rt, eight);
    return NULL;
}

#define F(f) ((pm_cfunction)(void (*)(void))(f))
const pm_method_def pmi_int_methods[] = {
    {"conjugate", intm_conjugate, PM_METH_NOARGS, "Returns self, the complex conjugate of any int."},
    {"bit_length", intm_bit_length, PM_METH_NOARGS, "Number of bits necessary to represent self in binary."},
    {"bit_count", intm_bit_count, PM_METH_NOARGS, "Number of ones in the binary representation of the absolute value of self."},
    {"to_bytes", F(intm_to_bytes), PM_METH_FASTCALL | PM_METH_KEYWORDS, "Return an array of bytes representing an integer."},
    {"from_bytes", F(intm_from_bytes), PM_METH_FASTCALL | PM_METH_KEYWORDS | PM_METH_CLASS, "Return the integer represented by the given array of bytes."},
    {"as_integer_ratio", intm_as_integer_ratio, PM_METH_NOARGS, "Return integer ratio."},
    {NULL, NULL, 0, NULL},
};

const pm_getset_def pmi_int_getset[] = {
    {"real", int_self, NULL, "the real part of a complex number", NULL},
    {"imag", int_zero, NULL, "the imaginary part of a complex number", NULL},
    {"numerator", int_self, NULL, "the numerator of a rational number in lowest terms", NULL},
    {"denominator", int_one, NULL, "the denominator of a rational number in lowest terms", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

/* ---- float ------------------------------------------------------------------- */

static double fval(pm_runtime *rt, pm_object *self) { return pm_float_as_double(rt, self); }

static pm_object *float_real(pm_runtime *rt, pm_object *self, void *closure) {
    (void)closure;
    return self->ob_type == &pm_float_type ? pm_newref(rt, self) : pm_float_new(rt, fval(rt, self));
}
static pm_object *float_imag(pm_runtime *rt, pm_object *self, void *closure) {
    (void)self, (void)closure;
    return pm_float_new(rt, 0.0);
}
static pm_object *floatm_conjugate(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return float_real(rt, self, NULL);
}
static pm_object *floatm_is_integer(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    double x = fval(rt, self);
    return pm_bool_from(isfinite(x) && floor(x) == x);
}
static pm_object *floatm_as_integer_ratio(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    double x = fval(rt, self);
    if (isinf(x)) {
        pm_err_set(rt, PM_EXC_OverflowError, "cannot convert Infinity to integer ratio");
        return NULL;
    }
    if (isnan(x)) {
        pm_err_set(rt, PM_EXC_ValueError, "cannot convert NaN to integer ratio");
        return NULL;
    }
    int e;
    double m = frexp(x, &e);
    for (int i = 0; i < 300 && m != floor(m); i++) m *= 2.0, e--;
    pm_object *num = pm_int_from_double(rt, m), *den = pm_int_from_long(rt, 1), *sh = pm_int_from_long(rt, e < 0 ? -e : e);
    pm_object *t = NULL, *y = NULL;
    if (!num || !den || !sh) goto done;
    y = e > 0 ? pm_int_lshift(rt, num, sh) : pm_int_lshift(rt, den, sh);
    if (!y) goto done;
    if (e > 0) {
        pm_decref(rt, num);
        num = y;
    } else {
        pm_decref(rt, den);
        den = y;
    }
    t = pm_tuple_pack(rt, 2, num, den);
done:
    pm_xdecref(rt, num);
    pm_xdecref(rt, den);
    pm_xdecref(rt, sh);
    return t;
}
/* float.hex(): [-]0x1.<13 hex digits>p<exp>, subnormals 0x0.<...>p-1022. */
static pm_object *floatm_hex(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    double x = fval(rt, self);
    if (isnan(x)) return pm_str_from_cstr(rt, "nan");
    if (isinf(x)) return pm_str_from_cstr(rt, x < 0 ? "-inf" : "inf");
    const char *sign = signbit(x) ? "-" : "";
    x = fabs(x);
    if (x == 0.0) return pm_str_from_format(rt, "%s0x0.0p+0", sign);
    int e;
    double m = frexp(x, &e);    /* x = m * 2**e, 0.5 <= m < 1 */
    int lead = 1;
    e -= 1;
    m *= 2.0;                   /* 1 <= m < 2 */
    if (e < -1022) {            /* subnormal: shift into 0.xxx p-1022 */
        m = ldexp(m, e + 1022);
        e = -1022;
        lead = 0;
    }
    m -= lead;
    char digits[14];
    for (int i = 0; i < 13; i++) {
        m *= 16.0;
        int d = (int)m;
        m -= d;
        digits[i] = "0123456789abcdef"[d];
    }
    digits[13] = 0;
    return pm_str_from_format(rt, "%s0x%d.%sp%c%d", sign, lead, digits, e < 0 ? '-' : '+', e < 0 ? -e : e);
}

const pm_method_def pmi_float_methods[] = {
    {"conjugate", floatm_conjugate, PM_METH_NOARGS, "Return self, the complex conjugate of any float."},
    {"as_integer_ratio", floatm_as_integer_ratio, PM_METH_NOARGS, "Return integer ratio."},
    {"is_integer", floatm_is_integer, PM_METH_NOARGS, "Return True if the float is an integer."},
    {"hex", floatm_hex, PM_METH_NOARGS, "Return a hexadecimal representation of a floating-point number."},
    {NULL, NULL, 0, NULL},
};

const pm_getset_def pmi_float_getset[] = {
    {"real", float_real, NULL, "the real part of a complex number", NULL},
    {"imag", float_imag, NULL, "the imaginary part of a complex number", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
