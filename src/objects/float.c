/*
 * float.c — the float type (CPython 3.11's PyFloatObject) and its free list.
 *
 *   +-----------+---------+----------+
 *   | ob_refcnt | ob_type | ob_fval  |   24 bytes: getsizeof(1.0) == 24
 *   +-----------+---------+----------+
 *
 * Free list: a dead float is not returned to the allocator but pushed on
 * rt->freelists.float_free (linked through its ob_type field, as CPython 3.11 does)
 * while the list holds fewer than PMI_FLOAT_MAXFREELIST (100) floats;
 * pm_float_new pops from it first.  Arithmetic makes and drops temporaries
 * at a high rate, and this keeps them off the allocator's paths.  The list
 * is emptied by pm_freelists_clear and when the runtime is destroyed.
 *
 * repr: the shortest decimal string that reads back as the same double
 * (found by trying 1..17 significant digits, each correctly rounded by the C
 * library), laid out by CPython's rules: exponent form when the decimal
 * point position is < -4 or > 16, else positional with ".0" for integral
 * values; "inf", "-inf", "nan".
 *
 * hash: CPython's _Py_HashDouble, value-based modulo 2**61-1 so that
 * hash(2.0) == hash(2); NaN hashes by identity (3.10+).
 */
#include "scalar.h"
#include "descr.h"
#include "objects/typenew.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FVAL(o) (((pmi_float *)(o))->ob_fval)

pm_object *pm_float_new(pm_runtime *rt, double v) {
    pm_object *o = rt->freelists.float_free;
    if (o) {
        rt->freelists.float_free = (pm_object *)(uintptr_t)o->ob_type;
        rt->freelists.float_numfree--;
        o->ob_refcnt = 1;
        o->ob_type = &pm_float_type;
    } else {
        o = pmi_object_alloc_size(rt, &pm_float_type, sizeof(pmi_float));
        if (!o) return NULL;
    }
    FVAL(o) = v;
    return o;
}

static void float_dealloc(pm_runtime *rt, pm_object *self) {
    if (self->ob_type == &pm_float_type && rt->freelists.float_numfree < PMI_FLOAT_MAXFREELIST) {
        self->ob_type = (const pm_type *)(uintptr_t)rt->freelists.float_free;
        rt->freelists.float_free = self;
        rt->freelists.float_numfree++;
        return;
    }
    pmi_object_free(rt, self);
}

size_t pmi_float_freelist_clear(pm_runtime *rt) {
    size_t n = 0;
    while (rt->freelists.float_free) {
        pm_object *o = rt->freelists.float_free;
        rt->freelists.float_free = (pm_object *)(uintptr_t)o->ob_type;
        pm_free(rt, o);
        n++;
    }
    rt->freelists.float_numfree = 0;
    return n;
}

double pm_float_value(const pm_object *o) { return FVAL(o); }

double pm_float_as_double(pm_runtime *rt, pm_object *o) {
    if (pm_float_check(o)) return FVAL(o);
    if (pm_int_check(o)) return pm_int_as_double(rt, o);
    pmi_err_type(rt, "must be real number, not %s", o);
    return -1.0;
}

/* ---- repr ------------------------------------------------------------------ */

/* Step the last mantissa digit of s ("-d.ddde±x") by dir (+1/-1) in place;
 * 0 when that would change the number of digits (carry out of or borrow
 * into the leading digit). */
static int step_last_digit(char *s, int dir) {
    char *e = strchr(s, 'e');
    char *first = s + (*s == '-');
    for (char *q = e - 1; q >= first; q--) {
        if (*q == '.') continue;
        if (dir > 0 && *q == '9') { *q = '0'; continue; }
        if (dir < 0 && *q == '0') { *q = '9'; continue; }
        *q = (char)(*q + dir);
        return !(q == first && *q == '0');
    }
    return 0;
}

/* Does the decimal one unit above or below s in its last digit read back as
 * v?  If so s becomes it (the nearer one to v when both do). */
static int neighbour_round_trips(char *s, double v) {
    char up[40], down[40];
    snprintf(up, sizeof up, "%s", s);
    snprintf(down, sizeof down, "%s", s);
    int u = step_last_digit(up, +1) && strtod(up, NULL) == v;
    int d = step_last_digit(down, -1) && strtod(down, NULL) == v;
    if (u && d) {
        long double lv = v;
        if (fabsl(strtold(down, NULL) - lv) < fabsl(strtold(up, NULL) - lv)) u = 0;
    }
    if (u) memcpy(s, up, strlen(up) + 1);
    else if (d) memcpy(s, down, strlen(down) + 1);
    return u || d;
}

size_t pm_float_format_repr(double v, char *buf, size_t size) {
    char digits[40];
    if (isnan(v)) return (size_t)snprintf(buf, size, "nan");
    if (isinf(v)) return (size_t)snprintf(buf, size, v < 0 ? "-inf" : "inf");
    /* shortest round-tripping digits: d.ddde±x */
    char tmp[40];
    int prec;
    for (prec = 0; prec < 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec, v);
        if (strtod(tmp, NULL) == v) break;
        /* At a power of two the doubles below are twice as dense as above,
         * so the nearest decimal of this length can miss while its neighbour
         * one unit up (or down) still reads back as v: CPython's shortest
         * repr takes it (2**-24 is 5.960464477539063e-08, not ...0625e-08). */
        if (neighbour_round_trips(tmp, v)) break;
    }
    if (prec == 17) snprintf(tmp, sizeof tmp, "%.16e", v);
    /* split into sign, digit string and decimal exponent */
    const char *p = tmp;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    size_t nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p != '.') digits[nd++] = *p;
    int e = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = 0;
    int decpt = e + 1;                /* value = 0.DIGITS * 10**decpt */
    if (v == 0) decpt = 1;
    char out[64];
    size_t o = 0;
    if (neg) out[o++] = '-';
    if (decpt <= -4 || decpt > 16) {
        out[o++] = digits[0];
        if (nd > 1) {
            out[o++] = '.';
            for (size_t i = 1; i < nd; i++) out[o++] = digits[i];
        }
        o += (size_t)snprintf(out + o, sizeof out - o, "e%c%02d", decpt - 1 < 0 ? '-' : '+',
                              abs(decpt - 1));
    } else if (decpt <= 0) {
        out[o++] = '0';
        out[o++] = '.';
        for (int i = 0; i < -decpt; i++) out[o++] = '0';
        for (size_t i = 0; i < nd; i++) out[o++] = digits[i];
    } else {
        for (int i = 0; i < decpt; i++) out[o++] = (size_t)i < nd ? digits[i] : '0';
        out[o++] = '.';
        if ((size_t)decpt < nd) for (size_t i = (size_t)decpt; i < nd; i++) out[o++] = digits[i];
        else out[o++] = '0';
    }
    out[o] = 0;
    return (size_t)snprintf(buf, size, "%s", out);
}

static pm_object *float_repr(pm_runtime *rt, pm_object *self) {
    char buf[64];
    size_t n = pm_float_format_repr(FVAL(self), buf, sizeof buf);
    return pmi_str_from_ascii(rt, buf, (pm_ssize_t)n);
}

/* ---- hash ------------------------------------------------------------------ */

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)

pm_hash_t pmi_hash_double(const pm_object *o, double v) {
    if (!isfinite(v)) {
        if (isinf(v)) return v > 0 ? 314159 : -314159;
        return pmi_hash_pointer(o);
    }
    int e, sign = 1;
    double m = frexp(v, &e);
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    /* process 28 bits at a time; this should work well both for binary and
       hexadecimal floating point (CPython's comment) */
    uint64_t x = 0;
    while (m) {
        x = ((x << 28) & HASH_MODULUS) | x >> (HASH_BITS - 28);
        m *= 268435456.0;  /* 2**28 */
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    x = ((x << e) & HASH_MODULUS) | x >> (HASH_BITS - e);
    pm_hash_t h = (pm_hash_t)x * sign;
    return h == -1 ? -2 : h;
}

static pm_hash_t float_hash(pm_runtime *rt, pm_object *self) {
    (void)rt;
    return pmi_hash_double(self, FVAL(self));
}

/* ---- comparison (exact against ints, as CPython's float_richcompare) ------- */

/* Compare double x with int n exactly: -1, 0, 1; 2 when x is NaN. */
static int cmp_double_int(pm_runtime *rt, double x, pm_object *n) {
    if (isnan(x)) return 2;
    if (isinf(x)) return x > 0 ? 1 : -1;
    double nd = pm_int_as_double(rt, n);
    if (nd == -1.0 && pm_err_occurred(rt)) {      /* |n| > DBL_MAX > |x| */
        pm_err_clear(rt);
        return pm_int_sign(n) > 0 ? -1 : 1;
    }
    if (x != nd) return x < nd ? -1 : 1;
    /* equal as doubles: x is integral; compare exactly as ints.  A failure
     * to allocate here degrades to the double comparison. */
    pm_object *xi = pm_int_from_double(rt, x);
    if (!xi) {
        pm_err_clear(rt);
        return 0;
    }
    int c = pm_int_compare(xi, n);
    pm_decref(rt, xi);
    return c;
}

static pm_object *float_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    double x = FVAL(a);
    int c;
    if (pm_float_check(b)) {
        double y = FVAL(b);
        if (isnan(x) || isnan(y)) c = 2;
        else c = x < y ? -1 : x > y;
    } else if (pm_int_check(b)) {
        c = cmp_double_int(rt, x, b);
    } else {
        return PM_NOTIMPLEMENTED;
    }
    if (c == 2) return pm_bool_from(op == PM_NE);
    return pmi_richcompare_result(c, op);
}

const pm_type pm_float_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "float",
    .basicsize = sizeof(pmi_float),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLE | PM_TPFLAGS_FLOAT_SUBCLASS,
    .base = &pm_object_type,
    .dealloc = float_dealloc,
    .repr = float_repr,
    .hash = float_hash,
    .richcompare = float_richcompare,
    .as_number = &pmi_float_as_number,
    .methods = pmi_float_methods,
    .getset = pmi_float_getset,
    .new_object = pmi_float_tp_new,
};

/* ---- arithmetic ---------------------------------------------------------------- */

static int two_doubles(pm_runtime *rt, pm_object *a, pm_object *b, double *x, double *y) {
    if ((!pm_float_check(a) && !pm_int_check(a)) || (!pm_float_check(b) && !pm_int_check(b))) {
        pm_err_format(rt, PM_EXC_TypeError, "unsupported operand type(s) for float operation: '%s' and '%s'",
                      a->ob_type->name, b->ob_type->name);
        return -1;
    }
    *x = pm_float_as_double(rt, a);
    if (*x == -1.0 && pm_err_occurred(rt)) return -1;
    *y = pm_float_as_double(rt, b);
    if (*y == -1.0 && pm_err_occurred(rt)) return -1;
    return 0;
}

pm_object *pm_float_add(pm_runtime *rt, pm_object *a, pm_object *b) {
    double x, y;
    return two_doubles(rt, a, b, &x, &y) < 0 ? NULL : pm_float_new(rt, x + y);
}
pm_object *pm_float_sub(pm_runtime *rt, pm_object *a, pm_object *b) {
    double x, y;
    return two_doubles(rt, a, b, &x, &y) < 0 ? NULL : pm_float_new(rt, x - y);
}
pm_object *pm_float_mul(pm_runtime *rt, pm_object *a, pm_object *b) {
    double x, y;
    return two_doubles(rt, a, b, &x, &y) < 0 ? NULL : pm_float_new(rt, x * y);
}
pm_object *pm_float_truediv(pm_runtime *rt, pm_object *a, pm_object *b) {
    double x, y;
    if (two_doubles(rt, a, b, &x, &y) < 0) return NULL;
    if (y == 0.0) {
        pm_err_set(rt, PM_EXC_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return pm_float_new(rt, x / y);
}

/* CPython's float_divmod: mod has the sign of the divisor. */
static int float_divmod(double vx, double wx, double *pdiv, double *pmod) {
    double mod = fmod(vx, wx), div = (vx - mod) / wx;
    if (mod) {
        if ((wx < 0) != (mod < 0)) {
            mod += wx;
            div -= 1.0;
        }
    } else {
        mod = copysign(0.0, wx);
    }
    double floordiv;
    if (div) {
        floordiv = floor(div);
        if (div - floordiv > 0.5) floordiv += 1.0;
    } else {
        floordiv = copysign(0.0, vx / wx);
    }
    *pdiv = floordiv;
    *pmod = mod;
    return 0;
}

pm_object *pm_float_floordiv(pm_runtime *rt, pm_object *a, pm_object *b) {
    double x, y, d, m;
    if (two_doubles(rt, a, b, &x, &y) < 0) return NULL;
    if (y == 0.0) {
        pm_err_set(rt, PM_EXC_ZeroDivisionError, "float floor division by zero");
        return NULL;
    }
    float_divmod(x, y, &d, &m);
    return pm_float_new(rt, d);
}

pm_object *pm_float_mod(pm_runtime *rt, pm_object *a, pm_object *b) {
    double x, y, d, m;
    if (two_doubles(rt, a, b, &x, &y) < 0) return NULL;
    if (y == 0.0) {
        pm_err_set(rt, PM_EXC_ZeroDivisionError, "float modulo");
        return NULL;
    }
    float_divmod(x, y, &d, &m);
    return pm_float_new(rt, m);
}
