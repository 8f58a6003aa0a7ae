/*
 * intlimit.c — CPython 3.11's limit on int <-> decimal str conversion
 * (CVE-2020-10735: sys.set_int_max_str_digits, PYTHONINTMAXSTRDIGITS).
 *
 * Purpose
 *   Converting between an int and its decimal text is quadratic, so CPython
 *   3.11 refuses conversions of more than 4,300 decimal digits by default,
 *   with a ValueError whose text programs can see.  pymm keeps the same
 *   limit, per runtime:
 *
 *     limit = rt->config.int_max_str_digits   4300 by default; 0 = no limit;
 *                                             otherwise >= 640 (the threshold)
 *
 *   int -> str (repr, str, format with a decimal presentation, %d): a value
 *     whose decimal form has more than `limit` digits (the sign not
 *     counted) is "Exceeds the limit (4300 digits) for integer string
 *     conversion; use sys.set_int_max_str_digits() to increase the limit".
 *     A value that surely has that many digits is refused from its size
 *     alone before the conversion starts (CPython's cheap pre-check on the
 *     30-bit digit count: limit / 90 <= (ndigits - 11) / 10), the rest after
 *     the digits are counted; both give the same error.
 *   str -> int in a base that is not a power of two: the run of digits (and
 *     single underscores) after the sign and prefix is counted first; more
 *     than `limit` digits is "Exceeds the limit (4300 digits) for integer
 *     string conversion: value has 5000 digits; use
 *     sys.set_int_max_str_digits() to increase the limit" — before any other
 *     complaint about the text after that run, as CPython's PyLong_FromString.
 *   Bases 2, 4, 8, 16, 32 are linear and never limited.
 */
#include "scalar.h"

/* CPython's _PY_LONG_MAX_STR_DIGITS_THRESHOLD: no limit below this many
 * digits can be set, and shorter conversions are never checked. */
#define THRESHOLD 640

int pm_int_get_max_str_digits(pm_runtime *rt) { return rt->config.int_max_str_digits; }

int pm_int_set_max_str_digits(pm_runtime *rt, pm_ssize_t maxdigits) {
    if (maxdigits != 0 && (maxdigits < THRESHOLD || maxdigits > INT32_MAX)) {
        if (maxdigits > INT32_MAX || maxdigits < INT32_MIN)
            pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C int");
        else
            pm_err_format(rt, PM_EXC_ValueError, "maxdigits must be 0 or larger than %d", THRESHOLD);
        return -1;
    }
    rt->config.int_max_str_digits = (int)maxdigits;
    return 0;
}

static int tostr_error(pm_runtime *rt) {
    pm_err_format(rt, PM_EXC_ValueError,
                  "Exceeds the limit (%d digits) for integer string conversion; "
                  "use sys.set_int_max_str_digits() to increase the limit",
                  rt->config.int_max_str_digits);
    return -1;
}

int pmi_int_tostr_precheck(pm_runtime *rt, pm_ssize_t ndigits) {
    int max = rt->config.int_max_str_digits;
    if (ndigits >= 10 * THRESHOLD / (3 * PMI_SHIFT) + 2 && max > 0 &&
        max / (3 * PMI_SHIFT) <= (ndigits - 11) / 10)
        return tostr_error(rt);
    return 0;
}

int pmi_int_tostr_check(pm_runtime *rt, pm_ssize_t ndecimal) {
    int max = rt->config.int_max_str_digits;
    if (ndecimal > THRESHOLD && max > 0 && ndecimal > max) return tostr_error(rt);
    return 0;
}

int pmi_int_fromstr_check(pm_runtime *rt, pm_ssize_t ndecimal) {
    int max = rt->config.int_max_str_digits;
    if (ndecimal > THRESHOLD && max > 0 && ndecimal > max) {
        pm_err_format(rt, PM_EXC_ValueError,
                      "Exceeds the limit (%d digits) for integer string conversion: "
                      "value has %ld digits; use sys.set_int_max_str_digits() to increase the limit",
                      max, (long)ndecimal);
        return -1;
    }
    return 0;
}
