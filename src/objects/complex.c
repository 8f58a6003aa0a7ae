/*
 * complex.c — the complex type (CPython 3.11's PyComplexObject) and float
 * `**`, which hands negative bases with fractional exponents to complex.
 *
 *   +-----------+---------+----------+----------+
 *   | ob_refcnt | ob_type | real     | imag     |   32 bytes: getsizeof(1j) == 32
 *   +-----------+---------+----------+----------+
 *
 * Purpose
 *   complex is the one numeric type a script meets without importing
 *   anything besides int and float: `1j`, `pow(-8, 1/3)`, `(-1) ** 0.5`.
 *   Everything Python can observe is CPython's: the repr, the hash, `==`
 *   with ints and floats, the arithmetic to the last bit, and the error
 *   messages.  The code is written from the behaviour of CPython 3.11's
 *   Objects/complexobject.c and floatobject.c, not copied.
 *
 * repr (str is the same): the shortest float repr of each part without a
 *   trailing ".0"; a real part of +0.0 is left out along with the
 *   parentheses ("1j", "-0j", "nanj"); otherwise "(" real, the imaginary
 *   part with its sign always written ("+nan" for any NaN), "j)":
 *   "(1+2j)", "(-0-0j)", "(nan+infj)", "(1e+20+1e-07j)".
 *
 * hash: hash(real) + 1000003 * hash(imag) with unsigned wrap-around, each
 *   part hashed as a float (so hash(2+0j) == hash(2.0) == hash(2)); a NaN
 *   part hashes by the complex object's address, as in 3.10+.
 *
 * Arithmetic
 *   Operands may be int, float or complex (ints convert as float(n) does,
 *   OverflowError "int too large to convert to float").
 *   a / b: Smith's method as CPython's _Py_c_quot: divide through by the
 *     larger (in magnitude) of b's parts, so that b.real == b.imag == 0 is
 *     ZeroDivisionError "complex division by zero" and a NaN in b gives
 *     nan+nanj.
 *   a ** b: b == 0 gives 1; an integral real b with |b| <= 100 uses binary
 *     powering by repeated multiplication (and 1 / x**-b for negative b);
 *     anything else the polar formula.  0 ** (negative or complex) is
 *     ZeroDivisionError "0.0 to a negative or complex power"; a result with
 *     an infinite part is OverflowError "complex exponentiation" (the
 *     C library's errno is consulted exactly where CPython does).
 *   abs(z): hypot, with C99's rule that an infinite part wins over a NaN;
 *     a finite z whose hypot overflows is OverflowError "absolute value too
 *     large".
 *
 * float ** (pm_float_pow): CPython's float_pow special cases in its order
 *   (x**0 is 1, NaN, infinities, zero base, negative base), then the C
 *   library's pow; a negative base with a non-integral exponent returns a
 *   complex (pow(-8, 1/3) == (1.0000000000000002+1.7320508075688772j)).
 */
#include "scalar.h"
#include "objects/typenew.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct pmi_complex {
    pm_object ob_base;          /* refcount + type */
    double real;                /* real part */
    double imag;                /* imaginary part */
} pmi_complex;                  /* 32 bytes */

#define CX(o) ((pmi_complex *)(o))

/* A complex value, as CPython's Py_complex. */
typedef struct cval {
    double real;                /* real part */
    double imag;                /* imaginary part */
} cval;

pm_object *pm_complex_new(pm_runtime *rt, double real, double imag) {
    pm_object *o = pmi_object_new(rt, &pm_complex_type);
    if (!o) return NULL;
    CX(o)->real = real;
    CX(o)->imag = imag;
    return o;
}

static pm_object *cx_new(pm_runtime *rt, cval c) { return pm_complex_new(rt, c.real, c.imag); }

double pm_complex_real(const pm_object *o) { return CX(o)->real; }
double pm_complex_imag(const pm_object *o) { return CX(o)->imag; }

/* ---- repr / hash / compare ---------------------------------------------- */

/* repr of one part: float repr without a trailing ".0"; with_sign: a '+'
 * in front of anything that does not start with '-'. */
static size_t part_repr(double v, int with_sign, char *out) {
    char buf[48];
    size_t n = pm_float_format_repr(v, buf, sizeof buf);
    if (n >= 2 && buf[n - 2] == '.' && buf[n - 1] == '0') buf[n -= 2] = 0;
    size_t o = 0;
    if (with_sign && buf[0] != '-') out[o++] = '+';
    memcpy(out + o, buf, n + 1);
    return o + n;
}

static pm_object *complex_repr(pm_runtime *rt, pm_object *self) {
    double re = CX(self)->real, im = CX(self)->imag;
    char buf[128];
    size_t n = 0;
    if (re == 0.0 && copysign(1.0, re) == 1.0) {
        n = part_repr(im, 0, buf);
        buf[n++] = 'j';
    } else {
        buf[n++] = '(';
        n += part_repr(re, 0, buf + n);
        n += part_repr(im, 1, buf + n);
        buf[n++] = 'j';
        buf[n++] = ')';
    }
    buf[n] = 0;
    return pmi_str_from_ascii(rt, buf, (pm_ssize_t)n);
}

static pm_hash_t complex_hash(pm_runtime *rt, pm_object *self) {
    (void)rt;
    uint64_t hr = (uint64_t)pmi_hash_double(self, CX(self)->real);
    uint64_t hi = (uint64_t)pmi_hash_double(self, CX(self)->imag);
    uint64_t h = hr + 1000003u * hi;
    return h == (uint64_t)-1 ? -2 : (pm_hash_t)h;
}

/* Only == and != (ordering is NotImplemented: TypeError from the caller). */
static pm_object *complex_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    if (op != PM_EQ && op != PM_NE) return PM_NOTIMPLEMENTED;
    double re = CX(a)->real, im = CX(a)->imag;
    int equal;
    if (pm_int_check(b)) {
        if (im != 0.0) {
            equal = 0;
        } else {
            /* compare the real part exactly, as float == int does */
            pm_object *f = pm_float_new(rt, re);
            if (!f) return NULL;
            pm_object *r = pm_richcompare(rt, f, b, op);
            pm_decref(rt, f);
            return r;
        }
    } else if (pm_float_check(b)) {
        equal = re == pm_float_value(b) && im == 0.0;
    } else if (pm_complex_check(b)) {
        equal = re == CX(b)->real && im == CX(b)->imag;
    } else {
        return PM_NOTIMPLEMENTED;
    }
    return pm_bool_from(equal == (op == PM_EQ));
}

const pm_type pm_complex_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "complex",
    .basicsize = sizeof(pmi_complex),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLE,
    .base = &pm_object_type,
    .dealloc = pmi_object_free,
    .repr = complex_repr,
    .hash = complex_hash,
    .richcompare = complex_richcompare,
    .as_number = &pmi_complex_as_number,
    .new_object = pmi_complex_tp_new,
};

/* ---- the arithmetic of values (CPython's _Py_c_*) ----------------------- */

static cval c_prod(cval a, cval b) {
    cval r = {a.real * b.real - a.imag * b.imag, a.real * b.imag + a.imag * b.real};
    return r;
}

/* a / b; *edom set when b is zero. */
static cval c_quot(cval a, cval b, int *edom) {
    cval r;
    double abs_br = b.real < 0 ? -b.real : b.real;
    double abs_bi = b.imag < 0 ? -b.imag : b.imag;
    if (abs_br >= abs_bi) {
        if (abs_br == 0.0) {
            *edom = 1;
            r.real = r.imag = 0.0;
        } else {
            double ratio = b.imag / b.real, denom = b.real + b.imag * ratio;
            r.real = (a.real + a.imag * ratio) / denom;
            r.imag = (a.imag - a.real * ratio) / denom;
        }
    } else if (abs_bi >= abs_br) {
        double ratio = b.real / b.imag, denom = b.real * ratio + b.imag;
        r.real = (a.real * ratio + a.imag) / denom;
        r.imag = (a.imag * ratio - a.real) / denom;
    } else {                            /* a NaN in b */
        r.real = r.imag = NAN;
    }
    return r;
}

/* The polar formula.  Uses and may set errno as CPython's _Py_c_pow. */
static cval c_pow(cval a, cval b) {
    cval r;
    if (b.real == 0.0 && b.imag == 0.0) {
        r.real = 1.0;
        r.imag = 0.0;
    } else if (a.real == 0.0 && a.imag == 0.0) {
        if (b.imag != 0.0 || b.real < 0.0) errno = EDOM;
        r.real = r.imag = 0.0;
    } else {
        double vabs = hypot(a.real, a.imag);
        double len = pow(vabs, b.real);
        double at = atan2(a.imag, a.real);
        double phase = at * b.real;
        if (b.imag != 0.0) {
            len /= exp(at * b.imag);
            phase += b.imag * log(vabs);
        }
        r.real = len * cos(phase);
        r.imag = len * sin(phase);
    }
    return r;
}

/* x ** n for n >= 0 by squaring and multiplying. */
static cval c_powu(cval x, long n) {
    cval r = {1.0, 0.0}, p = x;
    for (long mask = 1; mask > 0 && n >= mask; mask <<= 1) {
        if (n & mask) r = c_prod(r, p);
        p = c_prod(p, p);
    }
    return r;
}

/* ---- conversions and operators ------------------------------------------- */

/* An int, float or complex operand as a value: 1; 0 when it is none of
 * those (NotImplemented); -1 on error (int too large). */
static int to_cval(pm_runtime *rt, pm_object *o, cval *out) {
    if (pm_complex_check(o)) {
        out->real = CX(o)->real;
        out->imag = CX(o)->imag;
        return 1;
    }
    if (pm_float_check(o)) {
        out->real = pm_float_value(o);
        out->imag = 0.0;
        return 1;
    }
    if (pm_int_check(o)) {
        double d = pm_int_as_double(rt, o);
        if (d == -1.0 && pm_err_occurred(rt)) return -1;
        out->real = d;
        out->imag = 0.0;
        return 1;
    }
    return 0;
}

/* Both operands as values: 0, or -1 with TypeError "unsupported operand
 * type(s) for <sym>: 'x' and 'y'" (or the conversion's error). */
static int two_cvals(pm_runtime *rt, pm_object *a, pm_object *b, const char *sym, cval *x, cval *y) {
    int ra = to_cval(rt, a, x);
    if (ra < 0) return -1;
    int rb = ra ? to_cval(rt, b, y) : 0;
    if (rb < 0) return -1;
    if (!ra || !rb || (!pm_complex_check(a) && !pm_complex_check(b))) {
        pm_err_format(rt, PM_EXC_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", sym,
                      a->ob_type->name, b->ob_type->name);
        return -1;
    }
    return 0;
}

pm_object *pm_complex_add(pm_runtime *rt, pm_object *a, pm_object *b) {
    cval x, y;
    if (two_cvals(rt, a, b, "+", &x, &y) < 0) return NULL;
    return pm_complex_new(rt, x.real + y.real, x.imag + y.imag);
}

pm_object *pm_complex_sub(pm_runtime *rt, pm_object *a, pm_object *b) {
    cval x, y;
    if (two_cvals(rt, a, b, "-", &x, &y) < 0) return NULL;
    return pm_complex_new(rt, x.real - y.real, x.imag - y.imag);
}

pm_object *pm_complex_mul(pm_runtime *rt, pm_object *a, pm_object *b) {
    cval x, y;
    if (two_cvals(rt, a, b, "*", &x, &y) < 0) return NULL;
    return cx_new(rt, c_prod(x, y));
}

pm_object *pm_complex_truediv(pm_runtime *rt, pm_object *a, pm_object *b) {
    cval x, y;
    if (two_cvals(rt, a, b, "/", &x, &y) < 0) return NULL;
    int edom = 0;
    cval q = c_quot(x, y, &edom);
    if (edom) {
        pm_err_set(rt, PM_EXC_ZeroDivisionError, "complex division by zero");
        return NULL;
    }
    return cx_new(rt, q);
}

/* a ** b on values, with CPython's errors. */
static pm_object *cval_pow(pm_runtime *rt, cval a, cval b) {
    cval p;
    int edom = 0;
    errno = 0;
    if (b.imag == 0.0 && b.real == floor(b.real) && fabs(b.real) <= 100.0) {
        long n = (long)b.real;
        if (n > 0) {
            p = c_powu(a, n);
        } else {
            cval one = {1.0, 0.0};
            p = c_quot(one, c_powu(a, -n), &edom);
        }
    } else {
        p = c_pow(a, b);
    }
    if (edom) errno = EDOM;
    /* CPython's _Py_ADJUST_ERANGE2: an infinite part is an overflow; an
     * underflow the library reported is not an error. */
    if (isinf(p.real) || isinf(p.imag)) {
        if (errno == 0) errno = ERANGE;
    } else if (errno == ERANGE) {
        errno = 0;
    }
    if (errno == EDOM) {
        pm_err_set(rt, PM_EXC_ZeroDivisionError, "0.0 to a negative or complex power");
        return NULL;
    }
    if (errno == ERANGE) {
        pm_err_set(rt, PM_EXC_OverflowError, "complex exponentiation");
        return NULL;
    }
    return cx_new(rt, p);
}

pm_object *pm_complex_pow(pm_runtime *rt, pm_object *a, pm_object *b) {
    cval x, y;
    if (two_cvals(rt, a, b, "** or pow()", &x, &y) < 0) return NULL;
    return cval_pow(rt, x, y);
}

pm_object *pm_complex_neg(pm_runtime *rt, pm_object *a) {
    if (!pm_complex_check(a)) return pmi_err_badarg(rt, "pm_complex_neg");
    return pm_complex_new(rt, -CX(a)->real, -CX(a)->imag);
}

pm_object *pm_complex_conjugate(pm_runtime *rt, pm_object *a) {
    if (!pm_complex_check(a)) return pmi_err_badarg(rt, "pm_complex_conjugate");
    return pm_complex_new(rt, CX(a)->real, -CX(a)->imag);
}

pm_object *pm_complex_abs(pm_runtime *rt, pm_object *a) {
    if (!pm_complex_check(a)) return pmi_err_badarg(rt, "pm_complex_abs");
    double re = CX(a)->real, im = CX(a)->imag;
    if (!isfinite(re) || !isfinite(im)) {
        /* C99: an infinite part makes the result inf even beside a NaN */
        if (isinf(re)) return pm_float_new(rt, fabs(re));
        if (isinf(im)) return pm_float_new(rt, fabs(im));
        return pm_float_new(rt, NAN);
    }
    double r = hypot(re, im);
    if (!isfinite(r)) {
        pm_err_set(rt, PM_EXC_OverflowError, "absolute value too large");
        return NULL;
    }
    return pm_float_new(rt, r);
}

/* ---- float ** ------------------------------------------------------------- */

static int is_odd_integer(double x) { return fmod(fabs(x), 2.0) == 1.0; }

pm_object *pm_float_pow(pm_runtime *rt, pm_object *a, pm_object *b) {
    if ((!pm_float_check(a) && !pm_int_check(a)) || (!pm_float_check(b) && !pm_int_check(b))) {
        pm_err_format(rt, PM_EXC_TypeError, "unsupported operand type(s) for ** or pow(): '%s' and '%s'",
                      a->ob_type->name, b->ob_type->name);
        return NULL;
    }
    double iv = pm_float_as_double(rt, a);
    if (iv == -1.0 && pm_err_occurred(rt)) return NULL;
    double iw = pm_float_as_double(rt, b);
    if (iw == -1.0 && pm_err_occurred(rt)) return NULL;
    int negate = 0;

    if (iw == 0) return pm_float_new(rt, 1.0);             /* x**0 is 1, even 0**0 and nan**0 */
    if (isnan(iv)) return pm_float_new(rt, iv);
    if (isnan(iw)) return pm_float_new(rt, iv == 1.0 ? 1.0 : iw);
    if (isinf(iw)) {
        iv = fabs(iv);
        if (iv == 1.0) return pm_float_new(rt, 1.0);
        if ((iw > 0.0) == (iv > 1.0)) return pm_float_new(rt, fabs(iw));
        return pm_float_new(rt, 0.0);
    }
    if (isinf(iv)) {
        int odd = is_odd_integer(iw);
        if (iw > 0.0) return pm_float_new(rt, odd ? iv : fabs(iv));
        return pm_float_new(rt, odd ? copysign(0.0, iv) : 0.0);
    }
    if (iv == 0.0) {
        if (iw < 0.0) {
            pm_err_set(rt, PM_EXC_ZeroDivisionError, "0.0 cannot be raised to a negative power");
            return NULL;
        }
        return pm_float_new(rt, is_odd_integer(iw) ? iv : 0.0);
    }
    if (iv < 0.0) {
        if (iw != floor(iw)) {
            /* a negative number to a fractional power is complex */
            cval x = {iv, 0.0}, y = {iw, 0.0};
            return cval_pow(rt, x, y);
        }
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if (iv == 1.0) return pm_float_new(rt, negate ? -1.0 : 1.0);

    errno = 0;
    double ix = pow(iv, iw);
    /* CPython's _Py_ADJUST_ERANGE1 */
    if (errno == 0) {
        if (ix == HUGE_VAL || ix == -HUGE_VAL) errno = ERANGE;
    } else if (errno == ERANGE && ix == 0.0) {
        errno = 0;
    }
    if (negate) ix = -ix;
    if (errno) {
        if (errno == ERANGE)
            pm_err_set(rt, PM_EXC_OverflowError, "(34, 'Numerical result out of range')");
        else if (errno == EDOM)
            pm_err_set(rt, PM_EXC_ValueError, "(33, 'Numerical argument out of domain')");
        else
            pm_err_format(rt, PM_EXC_ValueError, "(%d, 'math error')", errno);
        return NULL;
    }
    return pm_float_new(rt, ix);
}
