/*
 * interp/mod_math.c — the `math` module (CPython 3.11's Modules/mathmodule.c
 * behaviour: same results bit for bit where libm agrees, same error types
 * and texts).
 *
 * Purpose
 *   Real-valued functions over C doubles plus the integer functions (gcd,
 *   lcm, factorial, comb, perm, isqrt) over pymm's big ints.
 *
 * How an error is decided (CPython's rules, restated)
 *   One-argument functions (sqrt, exp, sin ...) run the libm function and
 *   look at the result, not at errno alone:
 *
 *       x finite/inf/nan ──f──▶ r
 *         r nan, x not nan           -> ValueError "math domain error"
 *         r inf, x finite            -> OverflowError "math range error" when
 *                                       f can overflow (exp, cosh ...),
 *                                       else ValueError (log(0) style poles)
 *         r finite, errno set        -> EDOM: ValueError; ERANGE: overflow
 *                                       unless |r| < 1.5 (an underflow is fine)
 *
 *   Two-argument functions (atan2, fmod, copysign, remainder) do the same
 *   on (x, y): nan from two non-nans is a domain error, inf from two
 *   finites a range error.  pow has its own table for non-finite operands.
 *
 * Conversions
 *   A "real number" argument is a float, an int (OverflowError "int too
 *   large to convert to float"), or an object whose type has nb_float or
 *   nb_index; anything else is TypeError "must be real number, not T".
 *   log/log2/log10 of an int too large for a double go through a frexp of
 *   the int (mantissa correctly rounded to 53 bits), so math.log(10**400)
 *   works as in CPython.
 *
 * Exact algorithms mirrored (so results agree to the last bit)
 *   fsum: Shewchuk's partials with CPython's final half-way correction;
 *   hypot/dist: CPython 3.11's vector_norm (lossless scaling by a power of
 *   two, Dekker products, a compensated sum and one Newton correction).
 *
 * No state: the module holds only functions and float constants.
 */
#include "modules.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <limits.h>
#include <string.h>

/* ---- errors and conversions -------------------------------------------------- */

static pm_object *domain_error(pm_runtime *rt) {
    pm_err_set(rt, PM_EXC_ValueError, "math domain error");
    return NULL;
}

static pm_object *range_error(pm_runtime *rt) {
    pm_err_set(rt, PM_EXC_OverflowError, "math range error");
    return NULL;
}

/* errno after a libm call: 0 when r is acceptable, -1 with the error. */
static int check_errno(pm_runtime *rt, double r, int err) {
    if (err == EDOM) {
        domain_error(rt);
        return -1;
    }
    if (err == ERANGE) {
        if (fabs(r) < 1.5) return 0;       /* underflow to (near) zero: fine */
        range_error(rt);
        return -1;
    }
    return 0;
}

int pmi_mod_to_double(pm_runtime *rt, pm_object *o, double *out) {
    if (pm_float_check(o)) {
        *out = pm_float_value(o);
        return 0;
    }
    if (pm_int_check(o)) {
        double d = pm_int_as_double(rt, o);
        if (d == -1.0 && pm_err_occurred(rt)) return -1;
        *out = d;
        return 0;
    }
    const pm_number_methods *nb = pm_type_of(o)->as_number;
    if (nb && nb->nb_float) {
        pm_object *f = nb->nb_float(rt, o);
        if (!f) return -1;
        if (!pm_float_check(f)) {
            pm_err_format(rt, PM_EXC_TypeError, "%s.__float__ returned non-float (type %s)",
                          pm_type_name(pm_type_of(o)), pm_type_name(pm_type_of(f)));
            pm_decref(rt, f);
            return -1;
        }
        *out = pm_float_value(f);
        pm_decref(rt, f);
        return 0;
    }
    if (nb && nb->nb_index) {
        pm_object *i = pm_index(rt, o);
        if (!i) return -1;
        double d = pm_int_as_double(rt, i);
        pm_decref(rt, i);
        if (d == -1.0 && pm_err_occurred(rt)) return -1;
        *out = d;
        return 0;
    }
    pm_err_format(rt, PM_EXC_TypeError, "must be real number, not %s", pm_type_name(pm_type_of(o)));
    return -1;
}

int pmi_mod_check_positional(pm_runtime *rt, const char *name, pm_ssize_t nargs, pm_ssize_t min,
                             pm_ssize_t max) {
    if (nargs >= min && nargs <= max) return 0;
    pm_ssize_t n = nargs < min ? min : max;
    pm_err_format(rt, PM_EXC_TypeError, "%s expected %s%zd argument%s, got %zd", name,
                  min == max ? "" : nargs < min ? "at least " : "at most ", n, n == 1 ? "" : "s", nargs);
    return -1;
}

int pmi_mod_no_kwnames(pm_runtime *rt, const char *name, pm_object *kwnames) {
    if (!kwnames || pm_tuple_size(kwnames) == 0) return 0;
    pm_err_format(rt, PM_EXC_TypeError, "%s() takes no keyword arguments", name);
    return -1;
}

int pmi_mod_parse_kw(pm_runtime *rt, const char *fname, const char *const *names, pm_ssize_t maxpos,
                     pm_ssize_t minpos, pm_object *const *args, pm_ssize_t nargs, pm_object *kwnames,
                     pm_object **out) {
    pm_ssize_t count = 0, nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    while (names[count]) count++;
    if (nargs > maxpos) {
        pm_err_format(rt, PM_EXC_TypeError, "%s() takes %s %zd positional argument%s (%zd given)", fname,
                      minpos == maxpos ? "exactly" : "at most", maxpos, maxpos == 1 ? "" : "s", nargs);
        return -1;
    }
    for (pm_ssize_t i = 0; i < count; i++) out[i] = i < nargs ? args[i] : NULL;
    for (pm_ssize_t k = 0; k < nkw; k++) {
        pm_object *key = pm_tuple_get(rt, kwnames, k);
        pm_ssize_t i = 0;
        while (i < count && !pm_str_equal_cstr(key, names[i])) i++;
        if (i == count) {
            const char *ks = pm_str_as_utf8(rt, key, NULL);
            if (ks) pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for %s()", ks, fname);
            return -1;
        }
        if (i < nargs) {
            pm_err_format(rt, PM_EXC_TypeError, "argument for %s() given by name ('%s') and position (%zd)",
                          fname, names[i], i + 1);
            return -1;
        }
        out[i] = args[nargs + k];
    }
    for (pm_ssize_t i = 0; i < minpos; i++)
        if (!out[i]) {
            pm_err_format(rt, PM_EXC_TypeError, "%s() missing required argument '%s' (pos %zd)", fname,
                          names[i], i + 1);
            return -1;
        }
    return 0;
}

/* ---- one-argument functions ------------------------------------------------ */

/* CPython's math_1: f(x) with the result checks of the essay. */
static pm_object *math_1(pm_runtime *rt, pm_object *arg, double (*f)(double), int can_overflow) {
    double x;
    if (pmi_mod_to_double(rt, arg, &x) < 0) return NULL;
    errno = 0;
    double r = f(x);
    int err = errno;
    if (isnan(r) && !isnan(x)) return domain_error(rt);
    if (isinf(r) && isfinite(x)) return can_overflow ? range_error(rt) : domain_error(rt);
    if (isfinite(r) && err && check_errno(rt, r, err) < 0) return NULL;
    return pm_float_new(rt, r);
}

static double m_degrees(double x) { return x * (180.0 / 3.141592653589793238462643383279502884); }
static double m_radians(double x) { return x * (3.141592653589793238462643383279502884 / 180.0); }
static double m_fabs(double x) { return fabs(x); }

/* ---- gamma / lgamma: CPython's own Lanczos evaluation ---------------------
 *
 * CPython does not trust libm's tgamma/lgamma and evaluates Lanczos' formula
 * (N = 13, g = 6.0246800407767296, the Boost parameters) as a rational
 * function, with a correction for the rounding error in x + g - 0.5 and the
 * reflection formula for x < 0.  The same steps in the same order give the
 * same bits. */

enum { LANCZOS_N = 13, GAMMA_EXACT_MAX = 23 };
static const double lanczos_g = 6.024680040776729583740234375;
static const double lanczos_g_minus_half = 5.524680040776729583740234375;
static const double lanczos_num[LANCZOS_N] = {
    23531376880.410759688572007674451636754734846804940, 42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843, 17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708, 1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801, 31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768, 186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024, 210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
};
/* the denominator x (x+1) ... (x+11) as coefficients */
static const double lanczos_den[LANCZOS_N] = {0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0,
                                              45995730.0, 13339535.0, 2637558.0, 357423.0, 32670.0,
                                              1925.0, 66.0, 1.0};
static const double m_pi = 3.141592653589793238462643383279502884;
static const double m_logpi = 1.144729885849400174143427351353058711647;

/* sin(pi x) with the argument reduced exactly first. */
static double sin_pi(double x) {
    double y = fmod(fabs(x), 2.0), r = 0.0;
    switch ((int)round(2.0 * y)) {
    case 0: r = sin(m_pi * y); break;
    case 1: r = cos(m_pi * (y - 0.5)); break;
    case 2: r = sin(m_pi * (1.0 - y)); break;
    case 3: r = -cos(m_pi * (y - 1.5)); break;
    default: r = sin(m_pi * (y - 2.0)); break;
    }
    return copysign(1.0, x) * r;
}

/* L_g(x) for x > 0, in powers of 1/x past 5 to avoid overflow. */
static double lanczos_sum(double x) {
    double num = 0.0, den = 0.0;
    if (x < 5.0) {
        for (int i = LANCZOS_N - 1; i >= 0; i--) {
            num = num * x + lanczos_num[i];
            den = den * x + lanczos_den[i];
        }
    } else {
        for (int i = 0; i < LANCZOS_N; i++) {
            num = num / x + lanczos_num[i];
            den = den / x + lanczos_den[i];
        }
    }
    return num / den;
}

static double m_gamma(double x) {
    if (!isfinite(x)) {
        if (isnan(x) || x > 0.0) return x;
        errno = EDOM;
        return NAN;
    }
    if (x == 0.0) {
        errno = EDOM;
        return copysign(INFINITY, x);
    }
    if (x == floor(x)) {
        if (x < 0.0) {
            errno = EDOM;
            return NAN;
        }
        if (x <= GAMMA_EXACT_MAX) {             /* (x-1)! exactly */
            double f = 1.0;
            for (int k = 2; k < (int)x; k++) f *= k;
            return f;
        }
    }
    double ax = fabs(x), r;
    if (ax < 1e-20) {
        r = 1.0 / x;
        if (isinf(r)) errno = ERANGE;
        return r;
    }
    if (ax > 200.0) {
        if (x < 0.0) return 0.0 / sin_pi(x);
        errno = ERANGE;
        return INFINITY;
    }
    double y = ax + lanczos_g_minus_half, z;
    /* z: the rounding error of y, computed so that it is exact */
    if (ax > lanczos_g_minus_half) {
        double q = y - ax;
        z = q - lanczos_g_minus_half;
    } else {
        double q = y - lanczos_g_minus_half;
        z = q - ax;
    }
    z = z * lanczos_g / y;
    if (x < 0.0) {
        r = -m_pi / sin_pi(ax) / ax * exp(y) / lanczos_sum(ax);
        r -= z * r;
        if (ax < 140.0) {
            r /= pow(y, ax - 0.5);
        } else {
            double half = pow(y, ax / 2.0 - 0.25);
            r /= half;
            r /= half;
        }
    } else {
        r = lanczos_sum(ax) / exp(y);
        r += z * r;
        if (ax < 140.0) {
            r *= pow(y, ax - 0.5);
        } else {
            double half = pow(y, ax / 2.0 - 0.25);
            r *= half;
            r *= half;
        }
    }
    if (isinf(r)) errno = ERANGE;
    return r;
}

static double m_lgamma(double x) {
    if (!isfinite(x)) return isnan(x) ? x : INFINITY;
    if (x == floor(x) && x <= 2.0) {
        if (x <= 0.0) {
            errno = EDOM;
            return INFINITY;
        }
        return 0.0;                         /* lgamma(1) = lgamma(2) = 0 */
    }
    double ax = fabs(x);
    if (ax < 1e-20) return -log(ax);
    double r = log(lanczos_sum(ax)) - lanczos_g;
    r += (ax - 0.5) * (log(ax + lanczos_g - 0.5) - 1);
    if (x < 0.0) r = m_logpi - log(fabs(sin_pi(ax))) - log(ax) - r;
    if (isinf(r)) errno = ERANGE;
    return r;
}

/* CPython's math_1a (gamma, lgamma): only errno decides. */
static pm_object *math_1a(pm_runtime *rt, pm_object *arg, double (*f)(double)) {
    double x;
    if (pmi_mod_to_double(rt, arg, &x) < 0) return NULL;
    errno = 0;
    double r = f(x);
    int err = errno;
    if (err && check_errno(rt, r, err) < 0) return NULL;
    return pm_float_new(rt, r);
}

static pm_object *math_gamma(pm_runtime *rt, pm_object *self, pm_object *x) {
    (void)self;
    return math_1a(rt, x, m_gamma);
}

static pm_object *math_lgamma(pm_runtime *rt, pm_object *self, pm_object *x) {
    (void)self;
    return math_1a(rt, x, m_lgamma);
}

#define MATH_1(name, cfunc, ovf)                                                   \
    static pm_object *math_##name(pm_runtime *rt, pm_object *self, pm_object *x) { \
        (void)self;                                                                \
        return math_1(rt, x, cfunc, ovf);                                          \
    }
MATH_1(acos, acos, 0)
MATH_1(acosh, acosh, 0)
MATH_1(asin, asin, 0)
MATH_1(asinh, asinh, 0)
MATH_1(atan, atan, 0)
MATH_1(atanh, atanh, 0)
MATH_1(cbrt, cbrt, 0)
MATH_1(cos, cos, 0)
MATH_1(cosh, cosh, 1)
MATH_1(erf, erf, 0)
MATH_1(erfc, erfc, 0)
MATH_1(exp, exp, 1)
MATH_1(exp2, exp2, 1)
MATH_1(expm1, expm1, 1)
MATH_1(fabs, m_fabs, 0)
MATH_1(log1p, log1p, 0)
MATH_1(sin, sin, 0)
MATH_1(sinh, sinh, 1)
MATH_1(sqrt, sqrt, 0)
MATH_1(tan, tan, 0)
MATH_1(tanh, tanh, 0)
MATH_1(degrees, m_degrees, 0)
MATH_1(radians, m_radians, 0)

/* ---- logarithms ---------------------------------------------------------------- */

/* log with CPython's conventions: log(0) = -inf with EDOM, log(<0) = nan
 * with EDOM, log(-inf) nan with EDOM. */
static double m_log(double x) {
    if (isfinite(x)) {
        if (x > 0.0) return log(x);
        errno = EDOM;
        return x == 0.0 ? -INFINITY : NAN;
    }
    if (isnan(x) || x > 0) return x;
    errno = EDOM;
    return NAN;
}
static double m_log2(double x) {
    if (!isfinite(x)) {
        if (isnan(x) || x > 0) return x;
        errno = EDOM;
        return NAN;
    }
    if (x > 0.0) return log2(x);
    errno = EDOM;
    return x == 0.0 ? -INFINITY : NAN;
}
static double m_log10(double x) {
    if (isfinite(x)) {
        if (x > 0.0) return log10(x);
        errno = EDOM;
        return x == 0.0 ? -INFINITY : NAN;
    }
    if (isnan(x) || x > 0) return x;
    errno = EDOM;
    return NAN;
}

/* A positive int too large for a double as m * 2**e, m in [0.5, 1)
 * correctly rounded to 53 bits (CPython's _PyLong_Frexp): 0 / -1. */
static int int_frexp(pm_runtime *rt, pm_object *v, double *m, pm_ssize_t *e) {
    size_t nbits = pm_int_bit_length(v);
    size_t shift = nbits - 55;             /* keep 55 bits, the last one sticky */
    pm_object *sh = pm_int_from_ssize(rt, (pm_ssize_t)shift);
    pm_object *hi = sh ? pm_int_rshift(rt, v, sh) : NULL;
    pm_object *back = hi ? pm_int_lshift(rt, hi, sh) : NULL;
    int rc = -1;
    if (!back) goto done;
    long long top = pm_int_as_longlong(rt, hi);
    if (top == -1 && pm_err_occurred(rt)) goto done;
    if (pm_int_compare(back, v) != 0) top |= 1;   /* bits below: sticky */
    double x = ldexp((double)top, -55);           /* correctly rounded; may reach 1.0 */
    pm_ssize_t ex = (pm_ssize_t)nbits;
    if (x == 1.0) {
        x = 0.5;
        ex += 1;
    }
    *m = x;
    *e = ex;
    rc = 0;
done:
    pm_xdecref(rt, sh);
    pm_xdecref(rt, hi);
    pm_xdecref(rt, back);
    return rc;
}

/* CPython's loghelper: f(arg) accepting ints of any size. */
static pm_object *loghelper(pm_runtime *rt, pm_object *arg, double (*f)(double)) {
    if (pm_int_check(arg)) {
        if (pm_int_sign(arg) <= 0) return domain_error(rt);
        double x = pm_int_as_double(rt, arg);
        if (x == -1.0 && pm_err_occurred(rt)) {
            if (!pm_err_matches(rt, PM_EXC_OverflowError)) return NULL;
            pm_err_clear(rt);
            double m;
            pm_ssize_t e;
            if (int_frexp(rt, arg, &m, &e) < 0) return NULL;
            return pm_float_new(rt, f(m) + f(2.0) * (double)e);
        }
        return pm_float_new(rt, f(x));
    }
    return math_1(rt, arg, f, 0);
}

static pm_object *math_log(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs < 1 || nargs > 2) {
        pm_err_set(rt, PM_EXC_TypeError, "math.log requires 1 to 2 arguments");
        return NULL;
    }
    pm_object *num = loghelper(rt, args[0], m_log);
    if (!num || nargs == 1) return num;
    pm_object *den = loghelper(rt, args[1], m_log);
    if (!den) {
        pm_decref(rt, num);
        return NULL;
    }
    pm_object *r = pm_float_truediv(rt, num, den);
    pm_decref(rt, num);
    pm_decref(rt, den);
    return r;
}

static pm_object *math_log2(pm_runtime *rt, pm_object *self, pm_object *x) {
    (void)self;
    return loghelper(rt, x, m_log2);
}

static pm_object *math_log10(pm_runtime *rt, pm_object *self, pm_object *x) {
    (void)self;
    return loghelper(rt, x, m_log10);
}

/* ---- two-argument functions -------------------------------------------------- */

static int two_doubles(pm_runtime *rt, const char *name, pm_object *const *args, pm_ssize_t nargs,
                       double *x, double *y) {
    if (pmi_mod_check_positional(rt, name, nargs, 2, 2) < 0) return -1;
    if (pmi_mod_to_double(rt, args[0], x) < 0 || pmi_mod_to_double(rt, args[1], y) < 0) return -1;
    return 0;
}

/* CPython's math_2 result checks. */
static pm_object *math_2_result(pm_runtime *rt, double x, double y, double r) {
    if (isnan(r) && !isnan(x) && !isnan(y)) return domain_error(rt);
    if (isinf(r) && isfinite(x) && isfinite(y)) return range_error(rt);
    return pm_float_new(rt, r);
}

#define MATH_2(name, expr)                                                                   \
    static pm_object *math_##name(pm_runtime *rt, pm_object *self, pm_object *const *args,     \
                                  pm_ssize_t nargs) {                                         \
        (void)self;                                                                           \
        double x, y;                                                                          \
        if (two_doubles(rt, #name, args, nargs, &x, &y) < 0) return NULL;                     \
        return math_2_result(rt, x, y, expr);                                                 \
    }
MATH_2(atan2, atan2(x, y))
MATH_2(copysign, copysign(x, y))
MATH_2(remainder, remainder(x, y))

static pm_object *math_fmod(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    double x, y;
    if (two_doubles(rt, "fmod", args, nargs, &x, &y) < 0) return NULL;
    if (isinf(y) && isfinite(x)) return pm_float_new(rt, x);
    double r = fmod(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y)) return domain_error(rt);
    return pm_float_new(rt, r);
}

static pm_object *math_nextafter(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    double x, y;
    if (two_doubles(rt, "nextafter", args, nargs, &x, &y) < 0) return NULL;
    return pm_float_new(rt, nextafter(x, y));
}

static pm_object *math_pow(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    double x, y, r;
    if (two_doubles(rt, "pow", args, nargs, &x, &y) < 0) return NULL;
    int err = 0;
    if (!isfinite(x) || !isfinite(y)) {
        if (isnan(x)) r = y == 0.0 ? 1.0 : x;
        else if (isnan(y)) r = x == 1.0 ? 1.0 : y;
        else if (isinf(x)) {
            int odd_y = isfinite(y) && fmod(fabs(y), 2.0) == 1.0;
            if (y > 0.0) r = odd_y ? x : fabs(x);
            else if (y == 0.0) r = 1.0;
            else r = odd_y ? copysign(0.0, x) : 0.0;
        } else {                            /* y infinite, x finite */
            if (fabs(x) == 1.0) r = 1.0;
            else if (y > 0.0 && fabs(x) > 1.0) r = y;
            else if (y < 0.0 && fabs(x) < 1.0) r = -y;
            else r = 0.0;
        }
    } else {
        r = pow(x, y);
        if (isnan(r)) err = EDOM;
        else if (isinf(r)) err = x == 0.0 ? EDOM : ERANGE;
    }
    if (err && check_errno(rt, r, err) < 0) return NULL;
    return pm_float_new(rt, r);
}

static pm_object *math_ldexp(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    double x;
    if (pmi_mod_check_positional(rt, "ldexp", nargs, 2, 2) < 0) return NULL;
    if (pmi_mod_to_double(rt, args[0], &x) < 0) return NULL;
    if (!pm_int_check(args[1])) {
        pm_err_set(rt, PM_EXC_TypeError, "Expected an int as second argument to ldexp.");
        return NULL;
    }
    long long e = pm_int_as_longlong(rt, args[1]);
    if (e == -1 && pm_err_occurred(rt)) {
        pm_err_clear(rt);
        e = pm_int_sign(args[1]) < 0 ? -100000 : 100000;
    }
    if (e > 100000) e = 100000;
    if (e < -100000) e = -100000;
    if (x == 0.0 || !isfinite(x)) return pm_float_new(rt, x);
    double r = ldexp(x, (int)e);
    if (isinf(r)) return range_error(rt);
    return pm_float_new(rt, r);
}

/* ---- float helpers returning tuples / bools -------------------------------- */

static pm_object *math_frexp(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    double x, m;
    int e = 0;
    if (pmi_mod_to_double(rt, arg, &x) < 0) return NULL;
    if (isnan(x) || isinf(x) || x == 0.0) m = x;
    else m = frexp(x, &e);
    pm_object *a = pm_float_new(rt, m);
    pm_object *b = a ? pm_int_from_long(rt, e) : NULL;
    pm_object *t = b ? pm_tuple_pack(rt, 2, a, b) : NULL;
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    return t;
}

static pm_object *math_modf(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    double x, ip, fp;
    if (pmi_mod_to_double(rt, arg, &x) < 0) return NULL;
    if (isinf(x)) {
        ip = x;
        fp = copysign(0.0, x);
    } else {
        fp = modf(x, &ip);
    }
    pm_object *a = pm_float_new(rt, fp);
    pm_object *b = a ? pm_float_new(rt, ip) : NULL;
    pm_object *t = b ? pm_tuple_pack(rt, 2, a, b) : NULL;
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    return t;
}

#define MATH_PRED(name, expr)                                                      \
    static pm_object *math_##name(pm_runtime *rt, pm_object *self, pm_object *arg) { \
        (void)self;                                                                \
        double x;                                                                  \
        if (pmi_mod_to_double(rt, arg, &x) < 0) return NULL;                       \
        return pm_bool_from(expr);                                                 \
    }
MATH_PRED(isfinite, isfinite(x))
MATH_PRED(isinf, isinf(x))
MATH_PRED(isnan, isnan(x))

static pm_object *math_ulp(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    double x;
    if (pmi_mod_to_double(rt, arg, &x) < 0) return NULL;
    if (isnan(x)) return pm_float_new(rt, x);
    x = fabs(x);
    if (isinf(x)) return pm_float_new(rt, x);
    double up = nextafter(x, INFINITY);
    if (isinf(up)) return pm_float_new(rt, x - nextafter(x, -INFINITY));
    return pm_float_new(rt, up - x);
}

static pm_object *math_isclose(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                               pm_object *kwnames) {
    (void)self;
    static const char *const names[] = {"a", "b", "rel_tol", "abs_tol", NULL};
    pm_object *v[4];
    if (pmi_mod_parse_kw(rt, "isclose", names, 2, 2, args, nargs, kwnames, v) < 0) return NULL;
    double a, b, rel_tol = 1e-09, abs_tol = 0.0;
    if (pmi_mod_to_double(rt, v[0], &a) < 0 || pmi_mod_to_double(rt, v[1], &b) < 0) return NULL;
    if (v[2] && pmi_mod_to_double(rt, v[2], &rel_tol) < 0) return NULL;
    if (v[3] && pmi_mod_to_double(rt, v[3], &abs_tol) < 0) return NULL;
    if (rel_tol < 0.0 || abs_tol < 0.0) {
        pm_err_set(rt, PM_EXC_ValueError, "tolerances must be non-negative");
        return NULL;
    }
    if (a == b) return PM_TRUE;
    if (isinf(a) || isinf(b)) return PM_FALSE;
    double diff = fabs(b - a);
    return pm_bool_from((diff <= fabs(rel_tol * b)) || (diff <= fabs(rel_tol * a)) || (diff <= abs_tol));
}

/* ---- floor / ceil / trunc ------------------------------------------------------ */

/* type(o).<special>(o) when defined: 1 and *res (new ref or NULL on error),
 * 0 when the type has no such method. */
static int call_special(pm_runtime *rt, pm_object *o, const char *special, pm_object **res) {
    pm_object *name = pm_str_intern_cstr(rt, special);
    if (!name) {
        *res = NULL;
        return 1;
    }
    pm_object *meth = pm_type_lookup(rt, pm_type_of(o), name);
    if (!meth) {
        pm_decref(rt, name);
        if (pm_err_occurred(rt)) {
            *res = NULL;
            return 1;
        }
        return 0;
    }
    *res = pm_call_method(rt, o, name, NULL, 0);
    pm_decref(rt, name);
    return 1;
}

static pm_object *floor_or_ceil(pm_runtime *rt, pm_object *arg, int ceil_it) {
    if (pm_type_of(arg) == &pm_float_type) {
        double x = pm_float_value(arg);
        return pm_int_from_double(rt, ceil_it ? ceil(x) : floor(x));
    }
    if (pm_type_of(arg) == &pm_int_type || pm_type_of(arg) == &pm_bool_type) return pm_index(rt, arg);
    pm_object *r;
    if (call_special(rt, arg, ceil_it ? "__ceil__" : "__floor__", &r)) return r;
    double x;
    if (pmi_mod_to_double(rt, arg, &x) < 0) return NULL;
    return pm_int_from_double(rt, ceil_it ? ceil(x) : floor(x));
}

static pm_object *math_floor(pm_runtime *rt, pm_object *self, pm_object *x) {
    (void)self;
    return floor_or_ceil(rt, x, 0);
}

static pm_object *math_ceil(pm_runtime *rt, pm_object *self, pm_object *x) {
    (void)self;
    return floor_or_ceil(rt, x, 1);
}

static pm_object *math_trunc(pm_runtime *rt, pm_object *self, pm_object *x) {
    (void)self;
    if (pm_type_of(x) == &pm_float_type) return pm_int_from_double(rt, pm_float_value(x));
    if (pm_int_check(x)) return pm_index(rt, x);
    pm_object *r;
    if (call_special(rt, x, "__trunc__", &r)) return r;
    pm_err_format(rt, PM_EXC_TypeError, "type %s doesn't define __trunc__ method", pm_type_name(pm_type_of(x)));
    return NULL;
}

/* ---- hypot / dist: CPython 3.11's vector_norm ----------------------------- */

typedef struct {
    double hi;                      /* the rounded value */
    double lo;                      /* the exact remainder */
} dbl_len;

static dbl_len dl_fast_sum(double a, double b) {   /* |a| >= |b| */
    double x = a + b;
    double z = x - a;
    dbl_len r = {x, b - z};
    return r;
}

static dbl_len dl_split(double x) {
    double t = x * 134217729.0;     /* 2**27 + 1: Veltkamp's splitter */
    double hi = t - (t - x);
    dbl_len r = {hi, x - hi};
    return r;
}

static dbl_len dl_mul(double x, double y) {
    dbl_len xx = dl_split(x), yy = dl_split(y);
    double p = xx.hi * yy.hi;
    double q = xx.hi * yy.lo + xx.lo * yy.hi;
    double z = p + q;
    double zz = p - z + q + xx.lo * yy.lo;
    dbl_len r = {z, zz};
    return r;
}

static double vector_norm(pm_ssize_t n, double *vec, double max, int found_nan) {
    if (isinf(max)) return max;
    if (found_nan) return NAN;
    if (max == 0.0 || n <= 1) return max;
    int max_e;
    frexp(max, &max_e);
    if (max_e < -1023) {            /* subnormals: scale up first */
        for (pm_ssize_t i = 0; i < n; i++) vec[i] /= DBL_MIN;
        return DBL_MIN * vector_norm(n, vec, max / DBL_MIN, found_nan);
    }
    double scale = ldexp(1.0, -max_e);
    double csum = 1.0, frac1 = 0.0, frac2 = 0.0;
    for (pm_ssize_t i = 0; i < n; i++) {
        double x = vec[i] * scale;
        dbl_len pr = dl_mul(x, x);
        dbl_len sm = dl_fast_sum(csum, pr.hi);
        csum = sm.hi;
        frac1 += pr.lo;
        frac2 += sm.lo;
    }
    double h = sqrt(csum - 1.0 + (frac1 + frac2));
    dbl_len pr = dl_mul(-h, h);
    dbl_len sm = dl_fast_sum(csum, pr.hi);
    csum = sm.hi;
    frac1 += pr.lo;
    frac2 += sm.lo;
    double x = csum - 1.0 + (frac1 + frac2);
    h += x / (2.0 * h);
    return h / scale;
}

static pm_object *math_hypot(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    double small[16], *vec = small, max = 0.0;
    int found_nan = 0;
    pm_object *r = NULL;
    if (nargs > 16 && !(vec = pmi_mod_alloc(rt, (size_t)nargs * sizeof(double)))) return NULL;
    for (pm_ssize_t i = 0; i < nargs; i++) {
        double x;
        if (pmi_mod_to_double(rt, args[i], &x) < 0) goto fail;
        x = fabs(x);
        vec[i] = x;
        found_nan |= isnan(x);
        if (x > max) max = x;
    }
    r = pm_float_new(rt, vector_norm(nargs, vec, max, found_nan));
fail:
    if (vec != small) pm_free(rt, vec);
    return r;
}

/* The items of an iterable as a new list (tuples and lists are copied). */
static pm_object *as_list(pm_runtime *rt, pm_object *o) {
    pm_object *it = pm_iter(rt, o);
    if (!it) return NULL;
    pm_object *l = pm_list_new(rt), *x;
    while (l && (x = pm_iter_next(rt, it))) {
        if (pm_list_append(rt, l, x) < 0) PM_CLEAR(rt, l);
        pm_decref(rt, x);
    }
    if (l && pm_err_occurred(rt)) PM_CLEAR(rt, l);
    pm_decref(rt, it);
    return l;
}

static pm_object *math_dist(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (pmi_mod_check_positional(rt, "dist", nargs, 2, 2) < 0) return NULL;
    pm_object *p = as_list(rt, args[0]), *q = NULL, *r = NULL;
    double *vec = NULL, max = 0.0;
    int found_nan = 0;
    if (!p || !(q = as_list(rt, args[1]))) goto fail;
    pm_ssize_t n = pm_list_size(p);
    if (n != pm_list_size(q)) {
        pm_err_set(rt, PM_EXC_ValueError, "both points must have the same number of dimensions");
        goto fail;
    }
    if (!(vec = pmi_mod_alloc(rt, ((size_t)n + 1) * sizeof(double)))) goto fail;
    for (pm_ssize_t i = 0; i < n; i++) {
        double a, b;
        if (pmi_mod_to_double(rt, pm_list_get(rt, p, i), &a) < 0 ||
            pmi_mod_to_double(rt, pm_list_get(rt, q, i), &b) < 0)
            goto fail;
        double x = fabs(a - b);
        vec[i] = x;
        found_nan |= isnan(x);
        if (x > max) max = x;
    }
    r = pm_float_new(rt, vector_norm(n, vec, max, found_nan));
fail:
    pm_free(rt, vec);
    pm_xdecref(rt, p);
    pm_xdecref(rt, q);
    return r;
}

/* ---- fsum: Shewchuk's exact partials ------------------------------------------ */

static pm_object *math_fsum(pm_runtime *rt, pm_object *self, pm_object *seq) {
    (void)self;
    pm_object *it = pm_iter(rt, seq), *item, *res = NULL;
    if (!it) return NULL;
    double small[32], *p = small, special_sum = 0.0, inf_sum = 0.0, hi = 0.0, lo = 0.0;
    size_t n = 0, cap = 32;
    while ((item = pm_iter_next(rt, it))) {
        double x;
        int rc = pmi_mod_to_double(rt, item, &x);
        pm_decref(rt, item);
        if (rc < 0) goto fail;
        double xsave = x;
        size_t i = 0;
        for (size_t j = 0; j < n; j++) {
            double y = p[j];
            if (fabs(x) < fabs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double h = x + y;
            double l = y - (h - x);
            if (l != 0.0) p[i++] = l;
            x = h;
        }
        n = i;
        if (x != 0.0) {
            if (!isfinite(x)) {
                if (isfinite(xsave)) {
                    pm_err_set(rt, PM_EXC_OverflowError, "intermediate overflow in fsum");
                    goto fail;
                }
                if (isinf(xsave)) inf_sum += xsave;
                special_sum += xsave;
                n = 0;
            } else {
                if (n >= cap) {
                    double *np = pmi_mod_alloc(rt, 2 * cap * sizeof(double));
                    if (!np) goto fail;
                    memcpy(np, p, n * sizeof(double));
                    if (p != small) pm_free(rt, p);
                    p = np;
                    cap *= 2;
                }
                p[n++] = x;
            }
        }
    }
    if (pm_err_occurred(rt)) goto fail;
    if (special_sum != 0.0) {
        if (isnan(inf_sum)) pm_err_set(rt, PM_EXC_ValueError, "-inf + inf in fsum");
        else res = pm_float_new(rt, special_sum);
        goto fail;
    }
    if (n > 0) {
        hi = p[--n];
        while (n > 0) {
            double x = hi, y = p[--n];
            hi = x + y;
            lo = y - (hi - x);
            if (lo != 0.0) break;
        }
        /* round half-way cases as the exact sum would */
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            if (y == x - hi) hi = x;
        }
    }
    res = pm_float_new(rt, hi);
fail:
    if (p != small) pm_free(rt, p);
    pm_decref(rt, it);
    return res;
}

/* ---- prod ------------------------------------------------------------------------ */

static pm_object *math_prod(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    (void)self;
    pm_ssize_t nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    if (nargs != 1) {
        pm_err_format(rt, PM_EXC_TypeError, "prod() takes exactly 1 positional argument (%zd given)", nargs);
        return NULL;
    }
    pm_object *start = NULL;
    for (pm_ssize_t k = 0; k < nkw; k++) {
        pm_object *key = pm_tuple_get(rt, kwnames, k);
        if (!pm_str_equal_cstr(key, "start")) {
            const char *ks = pm_str_as_utf8(rt, key, NULL);
            if (ks) pm_err_format(rt, PM_EXC_TypeError, "'%s' is an invalid keyword argument for prod()", ks);
            return NULL;
        }
        start = args[nargs + k];
    }
    pm_object *acc = start ? start : pm_int_from_long(rt, 1);
    if (!acc) return NULL;
    if (start) pm_incref(rt, acc);
    pm_object *it = pm_iter(rt, args[0]), *x;
    if (!it) {
        pm_decref(rt, acc);
        return NULL;
    }
    while ((x = pm_iter_next(rt, it))) {
        pm_object *r = pm_number_binop(rt, acc, x, PM_NB_MULTIPLY);
        pm_decref(rt, x);
        pm_decref(rt, acc);
        acc = r;
        if (!acc) break;
    }
    pm_decref(rt, it);
    if (acc && pm_err_occurred(rt)) PM_CLEAR(rt, acc);
    return acc;
}

/* ---- integer functions ------------------------------------------------------------ */

/* gcd(|a|, |b|) of two ints: new ref. */
static pm_object *int_gcd(pm_runtime *rt, pm_object *a, pm_object *b) {
    pm_object *x = pm_int_abs(rt, a), *y = x ? pm_int_abs(rt, b) : NULL;
    if (!y) {
        pm_xdecref(rt, x);
        return NULL;
    }
    while (pm_int_sign(y) != 0) {
        pm_object *r = pm_int_mod(rt, x, y);
        pm_decref(rt, x);
        x = y;
        y = r;
        if (!y) {
            pm_decref(rt, x);
            return NULL;
        }
    }
    pm_decref(rt, y);
    return x;
}

static pm_object *math_gcd(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs == 0) return pm_int_from_long(rt, 0);
    pm_object *res = pm_index(rt, args[0]);
    if (!res) return NULL;
    if (nargs == 1) {
        pm_object *r = pm_int_abs(rt, res);
        pm_decref(rt, res);
        return r;
    }
    for (pm_ssize_t i = 1; i < nargs; i++) {
        pm_object *x = pm_index(rt, args[i]);
        pm_object *g = x ? int_gcd(rt, res, x) : NULL;
        pm_xdecref(rt, x);
        pm_decref(rt, res);
        if (!(res = g)) return NULL;
    }
    return res;
}

static pm_object *math_lcm(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs == 0) return pm_int_from_long(rt, 1);
    pm_object *res = pm_index(rt, args[0]);
    if (!res) return NULL;
    if (nargs == 1) {
        pm_object *r = pm_int_abs(rt, res);
        pm_decref(rt, res);
        return r;
    }
    for (pm_ssize_t i = 1; i < nargs; i++) {
        pm_object *x = pm_index(rt, args[i]), *r = NULL;
        if (!x) goto fail_res;
        if (pm_int_sign(res) == 0 || pm_int_sign(x) == 0) {
            r = pm_int_from_long(rt, 0);
        } else {
            pm_object *g = int_gcd(rt, res, x);
            pm_object *q = g ? pm_int_floordiv(rt, res, g) : NULL;
            pm_object *m = q ? pm_int_mul(rt, q, x) : NULL;
            r = m ? pm_int_abs(rt, m) : NULL;
            pm_xdecref(rt, g);
            pm_xdecref(rt, q);
            pm_xdecref(rt, m);
        }
        pm_decref(rt, x);
        pm_decref(rt, res);
        if (!(res = r)) return NULL;
        continue;
    fail_res:
        pm_decref(rt, res);
        return NULL;
    }
    return res;
}

/* acc *= v (v a C integer): 0 / -1; acc replaced. */
static int mul_small(pm_runtime *rt, pm_object **acc, long long v) {
    pm_object *f = pm_int_from_longlong(rt, v);
    pm_object *r = f ? pm_int_mul(rt, *acc, f) : NULL;
    pm_xdecref(rt, f);
    if (!r) return -1;
    pm_decref(rt, *acc);
    *acc = r;
    return 0;
}

/* Product of the integers in [lo, hi] (lo >= 1), by binary splitting so
 * large factorials stay fast. */
static pm_object *range_product(pm_runtime *rt, long long lo, long long hi) {
    if (hi < lo) return pm_int_from_long(rt, 1);
    if (hi - lo < 16) {
        pm_object *acc = pm_int_from_long(rt, 1);
        for (long long k = lo; acc && k <= hi; k++)
            if (mul_small(rt, &acc, k) < 0) PM_CLEAR(rt, acc);
        return acc;
    }
    long long mid = lo + (hi - lo) / 2;
    pm_object *a = range_product(rt, lo, mid);
    pm_object *b = a ? range_product(rt, mid + 1, hi) : NULL;
    pm_object *r = b ? pm_int_mul(rt, a, b) : NULL;
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    return r;
}

static pm_object *math_factorial(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    pm_object *n = pm_index(rt, arg);
    if (!n) return NULL;
    long long v = pm_int_as_longlong(rt, n);
    int neg = pm_int_sign(n) < 0;
    pm_decref(rt, n);
    if (v == -1 && pm_err_occurred(rt)) {
        pm_err_clear(rt);
        if (neg)
            pm_err_set(rt, PM_EXC_ValueError, "factorial() not defined for negative values");
        else
            pm_err_format(rt, PM_EXC_OverflowError, "factorial() argument should not exceed %lld", LLONG_MAX);
        return NULL;
    }
    if (v < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "factorial() not defined for negative values");
        return NULL;
    }
    return range_product(rt, 1, v);
}

static pm_object *math_isqrt(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    pm_object *n = pm_index(rt, arg);
    if (!n) return NULL;
    if (pm_int_sign(n) < 0) {
        pm_decref(rt, n);
        pm_err_set(rt, PM_EXC_ValueError, "isqrt() argument must be nonnegative");
        return NULL;
    }
    if (pm_int_sign(n) == 0) return n;
    /* Newton's iteration from above: x0 = 2**ceil(bits/2) >= sqrt(n). */
    pm_object *two = NULL, *x = NULL, *sh = pm_int_from_ssize(rt, (pm_ssize_t)(pm_int_bit_length(n) + 1) / 2);
    pm_object *one = sh ? pm_int_from_long(rt, 1) : NULL;
    x = one ? pm_int_lshift(rt, one, sh) : NULL;
    two = x ? pm_int_from_long(rt, 2) : NULL;
    while (two) {
        pm_object *q = pm_int_floordiv(rt, n, x);
        pm_object *s = q ? pm_int_add(rt, x, q) : NULL;
        pm_object *y = s ? pm_int_floordiv(rt, s, two) : NULL;
        pm_xdecref(rt, q);
        pm_xdecref(rt, s);
        if (!y) {
            PM_CLEAR(rt, x);
            break;
        }
        if (pm_int_compare(y, x) >= 0) {
            pm_decref(rt, y);
            break;
        }
        pm_decref(rt, x);
        x = y;
    }
    if (!two) PM_CLEAR(rt, x);
    pm_xdecref(rt, two);
    pm_xdecref(rt, one);
    pm_xdecref(rt, sh);
    pm_decref(rt, n);
    return x;
}

/* n! / (n-k)! or that divided by k! (comb), n and k non-negative ints
 * (new refs in, borrowed).  k <= n. */
static pm_object *perm_comb(pm_runtime *rt, pm_object *n, pm_object *k, int comb) {
    long long kk = pm_int_as_longlong(rt, k);
    if (kk == -1 && pm_err_occurred(rt)) {
        pm_err_clear(rt);
        pm_err_format(rt, PM_EXC_OverflowError, "%s must not exceed %lld", comb ? "min(n - k, k)" : "k",
                      LLONG_MAX);
        return NULL;
    }
    /* result = prod_{i=0}^{k-1} (n - i) [/ (i + 1) step by step: exact] */
    pm_object *acc = pm_int_from_long(rt, 1), *cur = pm_index(rt, n);
    pm_object *one = pm_int_from_long(rt, 1);
    if (!acc || !cur || !one) goto fail;
    for (long long i = 0; i < kk; i++) {
        pm_object *m = pm_int_mul(rt, acc, cur);
        if (!m) goto fail;
        pm_decref(rt, acc);
        acc = m;
        if (comb) {
            pm_object *d = pm_int_from_longlong(rt, i + 1);
            pm_object *q = d ? pm_int_floordiv(rt, acc, d) : NULL;
            pm_xdecref(rt, d);
            if (!q) goto fail;
            pm_decref(rt, acc);
            acc = q;
        }
        pm_object *c = pm_int_sub(rt, cur, one);
        if (!c) goto fail;
        pm_decref(rt, cur);
        cur = c;
    }
    pm_decref(rt, cur);
    pm_decref(rt, one);
    return acc;
fail:
    pm_xdecref(rt, acc);
    pm_xdecref(rt, cur);
    pm_xdecref(rt, one);
    return NULL;
}

static int nonneg_int(pm_runtime *rt, pm_object *o, const char *what, pm_object **out) {
    pm_object *v = pm_index(rt, o);
    if (!v) return -1;
    if (pm_int_sign(v) < 0) {
        pm_decref(rt, v);
        pm_err_format(rt, PM_EXC_ValueError, "%s must be a non-negative integer", what);
        return -1;
    }
    *out = v;
    return 0;
}

static pm_object *math_comb(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (pmi_mod_check_positional(rt, "comb", nargs, 2, 2) < 0) return NULL;
    pm_object *n = NULL, *k = NULL, *r = NULL, *nk = NULL;
    if (nonneg_int(rt, args[0], "n", &n) < 0 || nonneg_int(rt, args[1], "k", &k) < 0) goto done;
    if (pm_int_compare(k, n) > 0) {
        r = pm_int_from_long(rt, 0);
        goto done;
    }
    if (!(nk = pm_int_sub(rt, n, k))) goto done;
    r = perm_comb(rt, n, pm_int_compare(nk, k) < 0 ? nk : k, 1);
done:
    pm_xdecref(rt, n);
    pm_xdecref(rt, k);
    pm_xdecref(rt, nk);
    return r;
}

static pm_object *math_perm(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (pmi_mod_check_positional(rt, "perm", nargs, 1, 2) < 0) return NULL;
    if (nargs == 1 || args[1] == PM_NONE) return math_factorial(rt, NULL, args[0]);
    pm_object *n = NULL, *k = NULL, *r = NULL;
    if (nonneg_int(rt, args[0], "n", &n) < 0 || nonneg_int(rt, args[1], "k", &k) < 0) goto done;
    if (pm_int_compare(k, n) > 0) r = pm_int_from_long(rt, 0);
    else r = perm_comb(rt, n, k, 0);
done:
    pm_xdecref(rt, n);
    pm_xdecref(rt, k);
    return r;
}

/* ---- the module ------------------------------------------------------------------ */

/* CPython names the module in a one-argument function's count error
 * ("math.sqrt() takes exactly one argument (0 given)"); the library's
 * METH_O message would name the type of self, so these are FASTCALL. */
#define WRAP_O(name) PMI_WRAP_O(math_##name##_fast, math_##name, "math." #name)
WRAP_O(acos)
WRAP_O(acosh)
WRAP_O(asin)
WRAP_O(asinh)
WRAP_O(atan)
WRAP_O(atanh)
WRAP_O(cbrt)
WRAP_O(ceil)
WRAP_O(cos)
WRAP_O(cosh)
WRAP_O(degrees)
WRAP_O(erf)
WRAP_O(erfc)
WRAP_O(exp)
WRAP_O(exp2)
WRAP_O(expm1)
WRAP_O(fabs)
WRAP_O(factorial)
WRAP_O(floor)
WRAP_O(frexp)
WRAP_O(fsum)
WRAP_O(gamma)
WRAP_O(isfinite)
WRAP_O(isinf)
WRAP_O(isnan)
WRAP_O(isqrt)
WRAP_O(lgamma)
WRAP_O(log10)
WRAP_O(log1p)
WRAP_O(log2)
WRAP_O(modf)
WRAP_O(radians)
WRAP_O(sin)
WRAP_O(sinh)
WRAP_O(sqrt)
WRAP_O(tan)
WRAP_O(tanh)
WRAP_O(trunc)
WRAP_O(ulp)
#undef WRAP_O

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
#define M_O(name, doc) {#name, FN(math_##name##_fast), PM_METH_FASTCALL, doc}
#define M_FAST(name, doc) {#name, FN(math_##name), PM_METH_FASTCALL, doc}
static const pm_method_def math_methods[] = {
    M_O(acos, "Return the arc cosine (measured in radians) of x."),
    M_O(acosh, "Return the inverse hyperbolic cosine of x."),
    M_O(asin, "Return the arc sine (measured in radians) of x."),
    M_O(asinh, "Return the inverse hyperbolic sine of x."),
    M_O(atan, "Return the arc tangent (measured in radians) of x."),
    M_FAST(atan2, "Return the arc tangent (measured in radians) of y/x."),
    M_O(atanh, "Return the inverse hyperbolic tangent of x."),
    M_O(cbrt, "Return the cube root of x."),
    M_O(ceil, "Return the ceiling of x as an Integral."),
    M_FAST(comb, "Number of ways to choose k items from n items without repetition and without order."),
    M_FAST(copysign, "Return a float with the magnitude (absolute value) of x but the sign of y."),
    M_O(cos, "Return the cosine of x (measured in radians)."),
    M_O(cosh, "Return the hyperbolic cosine of x."),
    M_O(degrees, "Convert angle x from radians to degrees."),
    M_FAST(dist, "Return the Euclidean distance between two points p and q."),
    M_O(erf, "Error function at x."),
    M_O(erfc, "Complementary error function at x."),
    M_O(exp, "Return e raised to the power of x."),
    M_O(exp2, "Return 2 raised to the power of x."),
    M_O(expm1, "Return exp(x)-1."),
    M_O(fabs, "Return the absolute value of the float x."),
    M_O(factorial, "Find x!."),
    M_O(floor, "Return the floor of x as an Integral."),
    M_FAST(fmod, "Return fmod(x, y), according to platform C."),
    M_O(frexp, "Return the mantissa and exponent of x, as pair (m, e)."),
    M_O(fsum, "Return an accurate floating point sum of values in the iterable seq."),
    M_O(gamma, "Gamma function at x."),
    M_FAST(gcd, "Greatest Common Divisor."),
    M_FAST(hypot, "Multidimensional Euclidean distance from the origin to a point."),
    {"isclose", FN(math_isclose), PM_METH_FASTCALL | PM_METH_KEYWORDS,
     "Determine whether two floating point numbers are close in value."},
    M_O(isfinite, "Return True if x is neither an infinity nor a NaN, and False otherwise."),
    M_O(isinf, "Return True if x is a positive or negative infinity, and False otherwise."),
    M_O(isnan, "Return True if x is a NaN (not a number), and False otherwise."),
    M_O(isqrt, "Return the integer part of the square root of the input."),
    M_FAST(lcm, "Least Common Multiple."),
    M_FAST(ldexp, "Return x * (2**i)."),
    M_O(lgamma, "Natural logarithm of absolute value of Gamma function at x."),
    M_FAST(log, "log(x, [base=math.e])\nReturn the logarithm of x to the given base."),
    M_O(log10, "Return the base 10 logarithm of x."),
    M_O(log1p, "Return the natural logarithm of 1+x (base e)."),
    M_O(log2, "Return the base 2 logarithm of x."),
    M_O(modf, "Return the fractional and integer parts of x."),
    M_FAST(nextafter, "Return the next floating-point value after x towards y."),
    M_FAST(perm, "Number of ways to choose k items from n items without repetition and with order."),
    M_FAST(pow, "Return x**y (x to the power of y)."),
    {"prod", FN(math_prod), PM_METH_FASTCALL | PM_METH_KEYWORDS,
     "Calculate the product of all the elements in the input iterable."},
    M_O(radians, "Convert angle x from degrees to radians."),
    M_FAST(remainder, "Difference between x and the closest integer multiple of y."),
    M_O(sin, "Return the sine of x (measured in radians)."),
    M_O(sinh, "Return the hyperbolic sine of x."),
    M_O(sqrt, "Return the square root of x."),
    M_O(tan, "Return the tangent of x (measured in radians)."),
    M_O(tanh, "Return the hyperbolic tangent of x."),
    M_O(trunc, "Truncates the Real x to the nearest Integral toward 0."),
    M_O(ulp, "Return the value of the least significant bit of the float x."),
    {NULL, NULL, 0, NULL},
};
#undef M_O
#undef M_FAST
#undef FN

static int math_fill(pm_runtime *rt, pm_object *m) {
    static const struct {
        const char *name;
        double v;
    } consts[] = {
        {"pi", 3.141592653589793238462643383279502884},
        {"e", 2.718281828459045235360287471352662498},
        {"tau", 6.283185307179586476925286766559005768},
        {"inf", INFINITY},
        {"nan", NAN},
    };
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (pmi_module_add_new(rt, m, consts[i].name, pm_float_new(rt, consts[i].v)) < 0) return -1;
    return 0;
}

static const pmi_module_def math_def = {
    .name = "math",
    .doc = "This module provides access to the mathematical functions\ndefined by the C standard.",
    .methods = math_methods,
    .fill = math_fill,
};

pm_object *pmi_math_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &math_def);
}
