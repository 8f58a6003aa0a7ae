/*
 * int.c — arbitrary-precision integers (CPython 3.11's PyLongObject) and
 * bool, plus the per-runtime small-int cache.
 *
 * Representation: sign-magnitude, little-endian 30-bit digits in uint32_t:
 *
 *   value = sign(ob_size) * sum(ob_digit[i] * 2**(30*i)),  i < |ob_size|
 *
 *   +-----------+---------+---------+-----------+-----------+
 *   | ob_refcnt | ob_type | ob_size | digit 0   | digit 1 ..|     2**30 = [0, 1]
 *   +-----------+---------+---------+-----------+-----------+     ob_size = 2
 *
 * Zero has ob_size 0 but one digit allocated, as CPython 3.11 does, so
 * getsizeof(0) == 28 and getsizeof(n) == 24 + 4 * max(1, |ob_size|).
 * Invariant: after every operation the top digit is non-zero (normalized).
 *
 * Small ints: -5..256 are created once per runtime (pmi_int_init), stored
 * in pm_runtime itself and immortal there, and every function here that
 * produces one of those values returns the cached object (int_from_result),
 * so `a is b` holds for them, as in CPython.
 *
 * bool: True and False are immortal static ints of type bool (base int), so
 * every int function accepts them; getsizeof(True) == getsizeof(False) == 28.
 *
 * Algorithms are CPython's: schoolbook add/sub/mul, Knuth's algorithm D for
 * division (x_divrem), base-10**9 conversion for repr, hash modulo the
 * Mersenne prime 2**61-1 (so hash(n) == hash(float(n)) for integral floats).
 */
#include "scalar.h"
#include "descr.h"
#include "format.h"
#include "objects/typenew.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)

#define SMALL_INDEX(v) ((v) + PMI_NSMALLNEGINTS)
#define IS_SMALL(v) ((v) >= -PMI_NSMALLNEGINTS && (v) < PMI_NSMALLPOSINTS)

#define DIGITS(o) (((pmi_int *)(o))->ob_digit)
#define SIZE(o) (((pm_varobject *)(o))->ob_size)

/* ------------------------------------------------------------------------ */
/* Allocation, normalization, small ints                                     */
/* ------------------------------------------------------------------------ */

/* A new int with room for n digits (ob_size = n, digits uninitialised). */
static pm_object *int_alloc(pm_runtime *rt, pm_ssize_t n) {
    if (n > (pm_ssize_t)((SIZE_MAX / 2 - PMI_INT_HEADER) / sizeof(pmi_digit))) {
        pm_err_set(rt, PM_EXC_OverflowError, "too many digits in integer");
        return NULL;
    }
    size_t nd = n < 1 ? 1 : (size_t)n;
    pm_object *o = pmi_object_alloc_size(rt, &pm_int_type, PMI_INT_HEADER + nd * sizeof(pmi_digit));
    if (!o) return NULL;
    SIZE(o) = n;
    DIGITS(o)[0] = 0;
    return o;
}

static pm_object *small_int(pm_runtime *rt, long v) {
    return (pm_object *)&rt->small_ints[SMALL_INDEX(v)];   /* immortal: no incref */
}

/* Strip leading zero digits (keeping the sign); then, when the value is a
 * small int, return the cached object instead (v is released).  Steals v. */
static pm_object *int_from_result(pm_runtime *rt, pm_object *v) {
    pm_ssize_t n = pmi_int_ndigits(v);
    while (n > 0 && DIGITS(v)[n - 1] == 0) n--;
    SIZE(v) = SIZE(v) < 0 ? -n : n;
    if (n <= 1 && v->ob_type == &pm_int_type) {
        long val = n == 0 ? 0 : (SIZE(v) < 0 ? -(long)DIGITS(v)[0] : (long)DIGITS(v)[0]);
        if (IS_SMALL(val)) {
            pm_decref(rt, v);
            return small_int(rt, val);
        }
    }
    return v;
}

/* The cache lives inside pm_runtime (no allocation; cannot fail).  Its
 * objects are immortal within the runtime, as CPython 3.12 made them
 * (PEP 683): incref/decref never write them. */
int pmi_int_init(pm_runtime *rt) {
    for (long v = -PMI_NSMALLNEGINTS; v < PMI_NSMALLPOSINTS; v++) {
        pmi_small_int *o = &rt->small_ints[SMALL_INDEX(v)];
        o->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
        o->ob_base.ob_base.ob_type = &pm_int_type;
        o->ob_base.ob_size = v < 0 ? -1 : v > 0;
        o->ob_digit[0] = (uint32_t)(v < 0 ? -v : v);
        o->ob_digit[1] = 0;
    }
    return 0;
}

void pmi_int_fini(pm_runtime *rt) { (void)rt; }

/* ------------------------------------------------------------------------ */
/* From and to C values                                                      */
/* ------------------------------------------------------------------------ */

static pm_object *int_from_magnitude(pm_runtime *rt, unsigned long long mag, int negative) {
    if (!negative && mag < PMI_NSMALLPOSINTS) return small_int(rt, (long)mag);
    if (negative && mag <= PMI_NSMALLNEGINTS) return small_int(rt, -(long)mag);
    pm_ssize_t n = 0;
    for (unsigned long long t = mag; t; t >>= PMI_SHIFT) n++;
    pm_object *o = int_alloc(rt, n);
    if (!o) return NULL;
    for (pm_ssize_t i = 0; i < n; i++, mag >>= PMI_SHIFT) DIGITS(o)[i] = (pmi_digit)(mag & PMI_MASK);
    if (negative) SIZE(o) = -n;
    return o;
}

pm_object *pm_int_from_longlong(pm_runtime *rt, long long v) {
    unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    return int_from_magnitude(rt, mag, v < 0);
}
pm_object *pm_int_from_long(pm_runtime *rt, long v) { return pm_int_from_longlong(rt, v); }
pm_object *pm_int_from_ssize(pm_runtime *rt, pm_ssize_t v) { return pm_int_from_longlong(rt, v); }
pm_object *pm_int_from_ulonglong(pm_runtime *rt, unsigned long long v) {
    return int_from_magnitude(rt, v, 0);
}

pm_object *pm_int_from_double(pm_runtime *rt, double d) {
    if (isnan(d)) {
        pm_err_set(rt, PM_EXC_ValueError, "cannot convert float NaN to integer");
        return NULL;
    }
    if (isinf(d)) {
        pm_err_set(rt, PM_EXC_OverflowError, "cannot convert float infinity to integer");
        return NULL;
    }
    d = trunc(d);
    if (fabs(d) < 9.2e18) return pm_int_from_longlong(rt, (long long)d);
    int negative = d < 0, expo;
    double frac = frexp(fabs(d), &expo);          /* |d| = frac * 2**expo, expo > 63 */
    pm_ssize_t n = (expo - 1) / PMI_SHIFT + 1;
    pm_object *o = int_alloc(rt, n);
    if (!o) return NULL;
    frac = ldexp(frac, (expo - 1) % PMI_SHIFT + 1);
    for (pm_ssize_t i = n; --i >= 0;) {
        pmi_digit bits = (pmi_digit)frac;
        DIGITS(o)[i] = bits;
        frac -= (double)bits;
        frac = ldexp(frac, PMI_SHIFT);
    }
    if (negative) SIZE(o) = -n;
    return o;
}

/* |o| as unsigned long long; *overflow set when it does not fit. */
static unsigned long long int_magnitude(const pm_object *o, int *overflow) {
    unsigned long long x = 0;
    *overflow = 0;
    for (pm_ssize_t i = pmi_int_ndigits(o); --i >= 0;) {
        if (x >> (64 - PMI_SHIFT)) {
            *overflow = 1;
            return 0;
        }
        x = (x << PMI_SHIFT) | DIGITS(o)[i];
    }
    return x;
}

static int check_int(pm_runtime *rt, const pm_object *o) {
    if (pm_int_check(o)) return 0;
    pmi_err_type(rt, "'%s' object cannot be interpreted as an integer", o);
    return -1;
}

long long pm_int_as_longlong(pm_runtime *rt, pm_object *o) {
    if (check_int(rt, o) < 0) return -1;
    int overflow;
    unsigned long long m = int_magnitude(o, &overflow);
    if (!overflow) {
        if (SIZE(o) >= 0 && m <= (unsigned long long)LLONG_MAX) return (long long)m;
        if (SIZE(o) < 0 && m <= (unsigned long long)LLONG_MAX + 1) return (long long)(0ULL - m);
    }
    pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C long");
    return -1;
}

long pm_int_as_long(pm_runtime *rt, pm_object *o) {
    long long v = pm_int_as_longlong(rt, o);
    if (v < LONG_MIN || v > LONG_MAX) {
        pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C long");
        return -1;
    }
    return (long)v;
}

pm_ssize_t pm_int_as_ssize(pm_runtime *rt, pm_object *o) {
    long long v = pm_int_as_longlong(rt, o);
    int overflow = v == -1 && pm_err_matches(rt, PM_EXC_OverflowError);
    if (overflow || v < PTRDIFF_MIN || v > PTRDIFF_MAX) {
        pm_err_set(rt, PM_EXC_OverflowError, "Python int too large to convert to C ssize_t");
        return -1;
    }
    return (pm_ssize_t)v;
}

/* Bit length of |o|. */
static size_t int_bit_length(const pm_object *o) {
    pm_ssize_t n = pmi_int_ndigits(o);
    if (n == 0) return 0;
    pmi_digit top = DIGITS(o)[n - 1];
    size_t bits = 0;
    while (top) { bits++; top >>= 1; }
    return (size_t)(n - 1) * PMI_SHIFT + bits;
}

/* Bits [lo, lo+64) of |o| as a uint64 (bits past the top are 0). */
static uint64_t int_bits64(const pm_object *o, size_t lo) {
    uint64_t x = 0;
    pm_ssize_t n = pmi_int_ndigits(o);
    for (size_t b = 0; b < 64;) {
        size_t pos = lo + b;
        pm_ssize_t di = (pm_ssize_t)(pos / PMI_SHIFT);
        if (di >= n) break;
        unsigned off = (unsigned)(pos % PMI_SHIFT);
        uint64_t chunk = DIGITS(o)[di] >> off;
        x |= chunk << b;
        b += PMI_SHIFT - off;
    }
    return x;
}

/* Correctly rounded (half-even) conversion, as CPython's PyLong_AsDouble. */
double pm_int_as_double(pm_runtime *rt, pm_object *o) {
    if (check_int(rt, o) < 0) return -1.0;
    size_t nbits = int_bit_length(o);
    double r;
    if (nbits <= 64) {
        int overflow;
        unsigned long long m = int_magnitude(o, &overflow);
        if (nbits <= 53) r = (double)m;
        else {
            size_t shift = nbits - 53;
            uint64_t q = m >> shift, rem = m & (((uint64_t)1 << shift) - 1), half = (uint64_t)1 << (shift - 1);
            if (rem > half || (rem == half && (q & 1))) q++;
            r = ldexp((double)q, (int)shift);
        }
    } else {
        if (nbits > DBL_MAX_EXP) goto overflow;
        size_t shift = nbits - 53;
        uint64_t q = int_bits64(o, shift) & (((uint64_t)1 << 53) - 1);
        uint64_t guard = int_bits64(o, shift - 1) & 1;
        int sticky = 0;
        for (size_t b = 0; b + 1 < shift && !sticky; b += 64) {
            uint64_t chunk = int_bits64(o, b);
            size_t take = shift - 1 - b;
            if (take < 64) chunk &= ((uint64_t)1 << take) - 1;
            sticky = chunk != 0;
        }
        if (guard && (sticky || (q & 1))) q++;
        r = ldexp((double)q, (int)shift);
        if (isinf(r)) goto overflow;
    }
    return SIZE(o) < 0 ? -r : r;
overflow:
    pm_err_set(rt, PM_EXC_OverflowError, "int too large to convert to float");
    return -1.0;
}

/* ------------------------------------------------------------------------ */
/* Comparison and hash                                                       */
/* ------------------------------------------------------------------------ */

int pm_int_sign(const pm_object *o) { return SIZE(o) < 0 ? -1 : SIZE(o) > 0; }

int pm_int_compare(const pm_object *a, const pm_object *b) {
    pm_ssize_t sa = SIZE(a), sb = SIZE(b);
    if (sa != sb) return sa < sb ? -1 : 1;
    pm_ssize_t i = sa < 0 ? -sa : sa;
    while (--i >= 0 && DIGITS(a)[i] == DIGITS(b)[i]) {}
    if (i < 0) return 0;
    int c = DIGITS(a)[i] < DIGITS(b)[i] ? -1 : 1;
    return sa < 0 ? -c : c;
}

static pm_hash_t int_hash(pm_runtime *rt, pm_object *self) {
    (void)rt;
    uint64_t x = 0;
    for (pm_ssize_t i = pmi_int_ndigits(self); --i >= 0;) {
        /* x = x * 2**30 mod 2**61-1, as a rotation within 61 bits */
        x = ((x << PMI_SHIFT) & HASH_MODULUS) | (x >> (HASH_BITS - PMI_SHIFT));
        x += DIGITS(self)[i];
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    pm_hash_t h = SIZE(self) < 0 ? -(pm_hash_t)x : (pm_hash_t)x;
    return h == -1 ? -2 : h;
}

pm_hash_t pmi_hash_long(long long v) {
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    pm_hash_t h = (pm_hash_t)(m % HASH_MODULUS);
    if (v < 0) h = -h;
    return h == -1 ? -2 : h;
}

/* ------------------------------------------------------------------------ */
/* Arithmetic on magnitudes (CPython's x_add, x_sub, x_mul, x_divrem)         */
/* ------------------------------------------------------------------------ */

/* |a| + |b|, positive. */
static pm_object *x_add(pm_runtime *rt, const pm_object *a, const pm_object *b) {
    pm_ssize_t na = pmi_int_ndigits(a), nb = pmi_int_ndigits(b);
    if (na < nb) {
        const pm_object *t = a; a = b; b = t;
        pm_ssize_t tn = na; na = nb; nb = tn;
    }
    pm_object *z = int_alloc(rt, na + 1);
    if (!z) return NULL;
    pmi_digit carry = 0;
    pm_ssize_t i = 0;
    for (; i < nb; i++) {
        carry += DIGITS(a)[i] + DIGITS(b)[i];
        DIGITS(z)[i] = carry & PMI_MASK;
        carry >>= PMI_SHIFT;
    }
    for (; i < na; i++) {
        carry += DIGITS(a)[i];
        DIGITS(z)[i] = carry & PMI_MASK;
        carry >>= PMI_SHIFT;
    }
    DIGITS(z)[i] = carry;
    return z;
}

/* |a| - |b|, with the sign of the result. */
static pm_object *x_sub(pm_runtime *rt, const pm_object *a, const pm_object *b) {
    pm_ssize_t na = pmi_int_ndigits(a), nb = pmi_int_ndigits(b);
    int sign = 1;
    if (na < nb) {
        sign = -1;
        const pm_object *t = a; a = b; b = t;
        pm_ssize_t tn = na; na = nb; nb = tn;
    } else if (na == nb) {
        pm_ssize_t i = na;
        while (--i >= 0 && DIGITS(a)[i] == DIGITS(b)[i]) {}
        if (i < 0) return int_alloc(rt, 0);
        if (DIGITS(a)[i] < DIGITS(b)[i]) {
            sign = -1;
            const pm_object *t = a; a = b; b = t;
        }
        na = nb = i + 1;
    }
    pm_object *z = int_alloc(rt, na);
    if (!z) return NULL;
    pmi_digit borrow = 0;
    pm_ssize_t i = 0;
    for (; i < nb; i++) {
        borrow = DIGITS(a)[i] - DIGITS(b)[i] - borrow;
        DIGITS(z)[i] = borrow & PMI_MASK;
        borrow = (borrow >> PMI_SHIFT) & 1;
    }
    for (; i < na; i++) {
        borrow = DIGITS(a)[i] - borrow;
        DIGITS(z)[i] = borrow & PMI_MASK;
        borrow = (borrow >> PMI_SHIFT) & 1;
    }
    if (sign < 0) SIZE(z) = -SIZE(z);
    return z;
}

static pm_object *x_mul(pm_runtime *rt, const pm_object *a, const pm_object *b) {
    pm_ssize_t na = pmi_int_ndigits(a), nb = pmi_int_ndigits(b);
    pm_object *z = int_alloc(rt, na + nb);
    if (!z) return NULL;
    memset(DIGITS(z), 0, (size_t)(na + nb < 1 ? 1 : na + nb) * sizeof(pmi_digit));
    for (pm_ssize_t i = 0; i < na; i++) {
        pmi_twodigits carry = 0, f = DIGITS(a)[i];
        pmi_digit *pz = DIGITS(z) + i;
        for (pm_ssize_t j = 0; j < nb; j++) {
            carry += *pz + DIGITS(b)[j] * f;
            *pz++ = (pmi_digit)(carry & PMI_MASK);
            carry >>= PMI_SHIFT;
        }
        if (carry) *pz += (pmi_digit)(carry & PMI_MASK);
    }
    return z;
}

/* Shift n digits of a left by d bits (0 <= d < 30) into z; returns the carry. */
static pmi_digit v_lshift(pmi_digit *z, const pmi_digit *a, pm_ssize_t n, int d) {
    pmi_digit carry = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        pmi_twodigits acc = (pmi_twodigits)a[i] << d | carry;
        z[i] = (pmi_digit)acc & PMI_MASK;
        carry = (pmi_digit)(acc >> PMI_SHIFT);
    }
    return carry;
}

static pmi_digit v_rshift(pmi_digit *z, const pmi_digit *a, pm_ssize_t n, int d) {
    pmi_digit carry = 0, mask = ((pmi_digit)1 << d) - 1U;
    for (pm_ssize_t i = n; i-- > 0;) {
        pmi_twodigits acc = (pmi_twodigits)carry << PMI_SHIFT | a[i];
        carry = (pmi_digit)acc & mask;
        z[i] = (pmi_digit)(acc >> d);
    }
    return carry;
}

/* |a| divided by a single digit n: quotient in *pq (new), remainder returned. */
static int divrem1(pm_runtime *rt, const pm_object *a, pmi_digit n, pm_object **pq, pmi_digit *prem) {
    pm_ssize_t size = pmi_int_ndigits(a);
    pm_object *q = int_alloc(rt, size);
    if (!q) return -1;
    pmi_twodigits rem = 0;
    for (pm_ssize_t i = size; --i >= 0;) {
        rem = (rem << PMI_SHIFT) | DIGITS(a)[i];
        pmi_digit hi = (pmi_digit)(rem / n);
        DIGITS(q)[i] = hi;
        rem -= (pmi_twodigits)hi * n;
    }
    *pq = q;
    *prem = (pmi_digit)rem;
    return 0;
}

/* Knuth's algorithm D on magnitudes, |w| >= 2 digits and |v| >= |w|:
 * *pq = |v| // |w|, *pr = |v| % |w| (both positive, unnormalized). */
static int x_divrem(pm_runtime *rt, const pm_object *v1, const pm_object *w1, pm_object **pq, pm_object **pr) {
    pm_ssize_t size_v = pmi_int_ndigits(v1), size_w = pmi_int_ndigits(w1);
    pm_object *v = int_alloc(rt, size_v + 1);
    if (!v) return -1;
    pm_object *w = int_alloc(rt, size_w);
    if (!w) {
        pm_decref(rt, v);
        return -1;
    }
    /* normalize: shift so that w's top digit has its high bit set */
    pmi_digit top = DIGITS(w1)[size_w - 1];
    int d = PMI_SHIFT;
    while (top) { d--; top >>= 1; }
    v_lshift(DIGITS(w), DIGITS(w1), size_w, d);
    pmi_digit carry = v_lshift(DIGITS(v), DIGITS(v1), size_v, d);
    if (carry != 0 || DIGITS(v)[size_v - 1] >= DIGITS(w)[size_w - 1]) {
        DIGITS(v)[size_v] = carry;
        size_v++;
    }
    pm_ssize_t k = size_v - size_w;
    pm_object *a = int_alloc(rt, k);
    if (!a) {
        pm_decref(rt, v);
        pm_decref(rt, w);
        return -1;
    }
    pmi_digit *v0 = DIGITS(v), *w0 = DIGITS(w), wm1 = w0[size_w - 1], wm2 = w0[size_w - 2];
    pmi_digit *ak = DIGITS(a) + k;
    for (pmi_digit *vk = v0 + k; vk-- > v0;) {
        pmi_digit vtop = vk[size_w];
        pmi_twodigits vv = ((pmi_twodigits)vtop << PMI_SHIFT) | vk[size_w - 1];
        pmi_digit q = (pmi_digit)(vv / wm1);
        pmi_digit r = (pmi_digit)(vv - (pmi_twodigits)wm1 * q);
        while ((pmi_twodigits)wm2 * q > (((pmi_twodigits)r << PMI_SHIFT) | vk[size_w - 2])) {
            --q;
            r += wm1;
            if (r >= PMI_BASE) break;
        }
        /* subtract q * w from vk[0 : size_w + 1] */
        pmi_stwodigits zhi = 0;
        for (pm_ssize_t i = 0; i < size_w; i++) {
            pmi_stwodigits z = (pmi_stwodigits)vk[i] + zhi - (pmi_stwodigits)q * (pmi_stwodigits)w0[i];
            vk[i] = (pmi_digit)z & PMI_MASK;
            zhi = z >> PMI_SHIFT;   /* arithmetic shift (gcc/clang) */
        }
        /* q was one too large: add w back */
        if ((pmi_stwodigits)vtop + zhi < 0) {
            pmi_digit c = 0;
            for (pm_ssize_t i = 0; i < size_w; i++) {
                c += vk[i] + w0[i];
                vk[i] = c & PMI_MASK;
                c >>= PMI_SHIFT;
            }
            --q;
        }
        *--ak = q;
    }
    v_rshift(w0, v0, size_w, d);   /* remainder, unshifted, into w */
    pm_decref(rt, v);
    *pq = a;
    *pr = w;
    return 0;
}

/* Truncating division of magnitudes with signs applied: q = trunc(a/b),
 * r = a - q*b (sign of a).  Both normalized (not small-cached).  b != 0. */
static int int_divrem(pm_runtime *rt, pm_object *a, pm_object *b, pm_object **pq, pm_object **pr) {
    pm_ssize_t na = pmi_int_ndigits(a), nb = pmi_int_ndigits(b);
    pm_object *q, *r;
    if (na < nb || (na == nb && DIGITS(a)[na - 1] < DIGITS(b)[nb - 1])) {
        q = int_alloc(rt, 0);
        if (!q) return -1;
        r = int_alloc(rt, na);
        if (!r) {
            pm_decref(rt, q);
            return -1;
        }
        memcpy(DIGITS(r), DIGITS(a), (size_t)(na < 1 ? 1 : na) * sizeof(pmi_digit));
    } else if (nb == 1) {
        pmi_digit rem;
        if (divrem1(rt, a, DIGITS(b)[0], &q, &rem) < 0) return -1;
        r = int_alloc(rt, 1);
        if (!r) {
            pm_decref(rt, q);
            return -1;
        }
        DIGITS(r)[0] = rem;
    } else if (x_divrem(rt, a, b, &q, &r) < 0) {
        return -1;
    }
    /* normalize without the small-int swap (callers may still adjust) */
    pm_ssize_t n = pmi_int_ndigits(q);
    while (n > 0 && DIGITS(q)[n - 1] == 0) n--;
    SIZE(q) = ((SIZE(a) < 0) != (SIZE(b) < 0)) ? -n : n;
    n = pmi_int_ndigits(r);
    while (n > 0 && DIGITS(r)[n - 1] == 0) n--;
    SIZE(r) = SIZE(a) < 0 ? -n : n;
    *pq = q;
    *pr = r;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Public arithmetic                                                         */
/* ------------------------------------------------------------------------ */

static int check_ints(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (check_int(rt, a) < 0 || check_int(rt, b) < 0) return -1;
    return 0;
}

/* Fast path for values that fit a machine word. */
static int small_value(const pm_object *o, long long *v) {
    pm_ssize_t n = pmi_int_ndigits(o);
    if (n > 1) return 0;
    long long x = n ? (long long)DIGITS(o)[0] : 0;
    *v = SIZE(o) < 0 ? -x : x;
    return 1;
}

pm_object *pm_int_add(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (check_ints(rt, a, b) < 0) return NULL;
    long long x, y;
    if (small_value(a, &x) && small_value(b, &y)) return pm_int_from_longlong(rt, x + y);
    pm_object *z;
    if (SIZE(a) < 0) {
        if (SIZE(b) < 0) {
            z = x_add(rt, a, b);
            if (z) SIZE(z) = -SIZE(z);
        } else {
            z = x_sub(rt, b, a);
        }
    } else {
        z = SIZE(b) < 0 ? x_sub(rt, a, b) : x_add(rt, a, b);
    }
    return z ? int_from_result(rt, z) : NULL;
}

pm_object *pm_int_sub(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (check_ints(rt, a, b) < 0) return NULL;
    long long x, y;
    if (small_value(a, &x) && small_value(b, &y)) return pm_int_from_longlong(rt, x - y);
    pm_object *z;
    if (SIZE(a) < 0) {
        if (SIZE(b) < 0) {
            z = x_sub(rt, b, a);
        } else {
            z = x_add(rt, a, b);
            if (z) SIZE(z) = -SIZE(z);
        }
    } else {
        z = SIZE(b) < 0 ? x_add(rt, a, b) : x_sub(rt, a, b);
    }
    return z ? int_from_result(rt, z) : NULL;
}

pm_object *pm_int_mul(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (check_ints(rt, a, b) < 0) return NULL;
    long long x, y;
    if (small_value(a, &x) && small_value(b, &y)) return pm_int_from_longlong(rt, x * y);
    pm_object *z = x_mul(rt, a, b);
    if (!z) return NULL;
    if ((SIZE(a) < 0) != (SIZE(b) < 0)) SIZE(z) = -SIZE(z);
    return int_from_result(rt, z);
}

/* Python's floor division and modulo: q = floor(a/b), r = a - q*b (sign of b). */
static int int_divmod(pm_runtime *rt, pm_object *a, pm_object *b, pm_object **pq, pm_object **pr) {
    if (check_ints(rt, a, b) < 0) return -1;
    if (SIZE(b) == 0) {
        pm_err_set(rt, PM_EXC_ZeroDivisionError, "integer division or modulo by zero");
        return -1;
    }
    long long x, y;
    if (small_value(a, &x) && small_value(b, &y)) {
        long long q = x / y, r = x % y;
        if (r != 0 && ((r < 0) != (y < 0))) {
            r += y;
            q -= 1;
        }
        pm_object *oq = pq ? pm_int_from_longlong(rt, q) : NULL;
        if (pq && !oq) return -1;
        pm_object *or = pr ? pm_int_from_longlong(rt, r) : NULL;
        if (pr && !or) {
            pm_xdecref(rt, oq);
            return -1;
        }
        if (pq) *pq = oq;
        if (pr) *pr = or;
        return 0;
    }
    pm_object *q, *r;
    if (int_divrem(rt, a, b, &q, &r) < 0) return -1;
    if (SIZE(r) != 0 && ((SIZE(r) < 0) != (SIZE(b) < 0))) {
        pm_object *r2 = pm_int_add(rt, r, b);
        pm_decref(rt, r);
        r = r2;
        if (!r) goto fail_q;
        pm_object *one = small_int(rt, 1);
        pm_object *q2 = pm_int_sub(rt, q, one);
        pm_decref(rt, one);
        pm_decref(rt, q);
        q = q2;
        if (!q) {
            pm_decref(rt, r);
            return -1;
        }
    }
    q = int_from_result(rt, q);
    r = int_from_result(rt, r);
    if (pq) *pq = q; else pm_decref(rt, q);
    if (pr) *pr = r; else pm_decref(rt, r);
    return 0;
fail_q:
    pm_decref(rt, q);
    return -1;
}

pm_object *pm_int_floordiv(pm_runtime *rt, pm_object *a, pm_object *b) {
    pm_object *q;
    return int_divmod(rt, a, b, &q, NULL) < 0 ? NULL : q;
}

pm_object *pm_int_mod(pm_runtime *rt, pm_object *a, pm_object *b) {
    pm_object *r;
    return int_divmod(rt, a, b, NULL, &r) < 0 ? NULL : r;
}

static pm_object *int_copy(pm_runtime *rt, pm_object *a, int negate) {
    long long x;
    if (small_value(a, &x)) return pm_int_from_longlong(rt, negate ? -x : x);
    pm_ssize_t n = pmi_int_ndigits(a);
    pm_object *z = int_alloc(rt, n);
    if (!z) return NULL;
    memcpy(DIGITS(z), DIGITS(a), (size_t)n * sizeof(pmi_digit));
    SIZE(z) = negate ? -SIZE(a) : SIZE(a);
    return z;
}

pm_object *pm_int_neg(pm_runtime *rt, pm_object *a) {
    if (check_int(rt, a) < 0) return NULL;
    return int_copy(rt, a, 1);
}

pm_object *pm_int_abs(pm_runtime *rt, pm_object *a) {
    if (check_int(rt, a) < 0) return NULL;
    if (SIZE(a) >= 0 && a->ob_type == &pm_int_type) return pm_newref(rt, a);
    return int_copy(rt, a, SIZE(a) < 0);
}

/* ------------------------------------------------------------------------ */
/* Power, shifts, bitwise operations, true division                          */
/* ------------------------------------------------------------------------ */

pm_object *pm_int_pow(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (check_ints(rt, a, b) < 0) return NULL;
    if (SIZE(b) < 0) {                      /* negative exponent: a float, as CPython */
        double x = pm_int_as_double(rt, a), y;
        if (x == -1.0 && pm_err_occurred(rt)) return NULL;
        y = pm_int_as_double(rt, b);
        if (y == -1.0 && pm_err_occurred(rt)) return NULL;
        if (x == 0.0) {
            pm_err_set(rt, PM_EXC_ZeroDivisionError, "0.0 cannot be raised to a negative power");
            return NULL;
        }
        return pm_float_new(rt, pow(x, y));
    }
    /* left-to-right binary exponentiation over the exponent's bits */
    pm_object *result = small_int(rt, 1);
    size_t nbits = int_bit_length(b);
    for (size_t i = nbits; i-- > 0;) {
        pm_object *t = pm_int_mul(rt, result, result);
        pm_decref(rt, result);
        if (!(result = t)) return NULL;
        if ((DIGITS(b)[i / PMI_SHIFT] >> (i % PMI_SHIFT)) & 1) {
            t = pm_int_mul(rt, result, a);
            pm_decref(rt, result);
            if (!(result = t)) return NULL;
        }
    }
    return result;
}

/* |a| << n into a new positive int. */
static pm_object *mag_lshift(pm_runtime *rt, const pm_object *a, size_t n) {
    pm_ssize_t na = pmi_int_ndigits(a), wshift = (pm_ssize_t)(n / PMI_SHIFT);
    int bshift = (int)(n % PMI_SHIFT);
    if (na > PTRDIFF_MAX / 8 - wshift - 1) {
        pm_err_set(rt, PM_EXC_OverflowError, "too many digits in integer");
        return NULL;
    }
    pm_object *z = int_alloc(rt, na + wshift + 1);
    if (!z) return NULL;
    memset(DIGITS(z), 0, (size_t)wshift * sizeof(pmi_digit));
    DIGITS(z)[na + wshift] = v_lshift(DIGITS(z) + wshift, DIGITS(a), na, bshift);
    return z;
}

/* |a| >> n into a new positive int. */
static pm_object *mag_rshift(pm_runtime *rt, const pm_object *a, size_t n) {
    pm_ssize_t na = pmi_int_ndigits(a);
    size_t wshift = n / PMI_SHIFT;
    if ((pm_ssize_t)wshift >= na || n / PMI_SHIFT > (size_t)PTRDIFF_MAX) return int_alloc(rt, 0);
    pm_ssize_t nz = na - (pm_ssize_t)wshift;
    pm_object *z = int_alloc(rt, nz);
    if (!z) return NULL;
    v_rshift(DIGITS(z), DIGITS(a) + wshift, nz, (int)(n % PMI_SHIFT));
    return z;
}

static int shift_count(pm_runtime *rt, pm_object *b, size_t *n) {
    if (SIZE(b) < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "negative shift count");
        return -1;
    }
    int overflow;
    unsigned long long v = int_magnitude(b, &overflow);
    if (overflow || v > (unsigned long long)PTRDIFF_MAX / 2) {
        *n = (size_t)PTRDIFF_MAX / 2;
        return 1;                           /* "huge" */
    }
    *n = (size_t)v;
    return 0;
}

pm_object *pm_int_lshift(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (check_ints(rt, a, b) < 0) return NULL;
    size_t n;
    int huge = shift_count(rt, b, &n);
    if (huge < 0) return NULL;
    if (SIZE(a) == 0) return small_int(rt, 0);
    if (huge) {
        pm_err_set(rt, PM_EXC_OverflowError, "too many digits in integer");
        return NULL;
    }
    pm_object *z = mag_lshift(rt, a, n);
    if (!z) return NULL;
    if (SIZE(a) < 0) SIZE(z) = -SIZE(z);
    return int_from_result(rt, z);
}

/* a >> n rounds toward -inf: for a < 0 it is -((|a| - 1) >> n) - 1. */
pm_object *pm_int_rshift(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (check_ints(rt, a, b) < 0) return NULL;
    size_t n;
    if (shift_count(rt, b, &n) < 0) return NULL;
    if (SIZE(a) >= 0) {
        pm_object *z = mag_rshift(rt, a, n);
        return z ? int_from_result(rt, z) : NULL;
    }
    pm_object *one = small_int(rt, 1);
    pm_object *m = x_sub(rt, a, one);       /* |a| - 1 (a < 0, so |a| >= 1) */
    if (!m) return NULL;
    pm_object *sh = mag_rshift(rt, m, n);
    pm_decref(rt, m);
    if (!sh) return NULL;
    pm_object *z = x_add(rt, sh, one);      /* (.. >> n) + 1, then negate */
    pm_decref(rt, sh);
    if (!z) return NULL;
    SIZE(z) = -SIZE(z);
    return int_from_result(rt, z);
}

/* Bitwise operations in two's complement over n digits (CPython's
 * long_bitwise): a negative operand is complemented digit by digit. */
static pm_object *int_bitwise(pm_runtime *rt, pm_object *a, char op, pm_object *b) {
    if (check_ints(rt, a, b) < 0) return NULL;
    pm_ssize_t na = pmi_int_ndigits(a), nb = pmi_int_ndigits(b);
    pm_ssize_t n = (na > nb ? na : nb) + 1;
    int nega = SIZE(a) < 0, negb = SIZE(b) < 0;
    pm_object *z = int_alloc(rt, n);
    if (!z) return NULL;
    pmi_digit ca = 1, cb = 1, cz = 1;       /* +1 carries of the complements */
    int negz = op == '&' ? (nega && negb) : op == '|' ? (nega || negb) : (nega != negb);
    for (pm_ssize_t i = 0; i < n; i++) {
        pmi_digit da = i < na ? DIGITS(a)[i] : 0, db = i < nb ? DIGITS(b)[i] : 0;
        if (nega) { da = (~da & PMI_MASK) + ca; ca = da >> PMI_SHIFT; da &= PMI_MASK; }
        if (negb) { db = (~db & PMI_MASK) + cb; cb = db >> PMI_SHIFT; db &= PMI_MASK; }
        pmi_digit dz = op == '&' ? (da & db) : op == '|' ? (da | db) : (da ^ db);
        if (negz) { dz = (~dz & PMI_MASK) + cz; cz = dz >> PMI_SHIFT; dz &= PMI_MASK; }
        DIGITS(z)[i] = dz;
    }
    if (negz) SIZE(z) = -n;
    return int_from_result(rt, z);
}

pm_object *pm_int_and(pm_runtime *rt, pm_object *a, pm_object *b) { return int_bitwise(rt, a, '&', b); }
pm_object *pm_int_or(pm_runtime *rt, pm_object *a, pm_object *b) { return int_bitwise(rt, a, '|', b); }
pm_object *pm_int_xor(pm_runtime *rt, pm_object *a, pm_object *b) { return int_bitwise(rt, a, '^', b); }

/* ~a == -(a + 1) */
pm_object *pm_int_invert(pm_runtime *rt, pm_object *a) {
    if (check_int(rt, a) < 0) return NULL;
    pm_object *one = small_int(rt, 1);
    pm_object *t = pm_int_add(rt, a, one);
    if (!t) return NULL;
    pm_object *z = pm_int_neg(rt, t);
    pm_decref(rt, t);
    return z;
}

/* a / b correctly rounded, as CPython's long_true_divide: scale the
 * dividend so the integer quotient has 55+ bits, round half-even with the
 * remainder as a sticky bit. */
pm_object *pm_int_truediv(pm_runtime *rt, pm_object *a, pm_object *b) {
    if (check_ints(rt, a, b) < 0) return NULL;
    if (SIZE(b) == 0) {
        pm_err_set(rt, PM_EXC_ZeroDivisionError, "division by zero");
        return NULL;
    }
    size_t la = int_bit_length(a), lb = int_bit_length(b);
    if (la <= 53 && lb <= 53) {             /* both exact as doubles */
        double x = pm_int_as_double(rt, a), y = pm_int_as_double(rt, b);
        return pm_float_new(rt, x / y);
    }
    if (SIZE(a) == 0) return pm_float_new(rt, (SIZE(b) < 0) ? -0.0 : 0.0);
    /* scale: q = (|a| << s) // |b| with s chosen so q has 55..56 bits */
    long long s = 55 - ((long long)la - (long long)lb);
    pm_object *num, *den, *q, *r;
    if (s >= 0) {
        num = mag_lshift(rt, a, (size_t)s);
        den = pm_int_abs(rt, b);
    } else {
        num = pm_int_abs(rt, a);
        den = mag_lshift(rt, b, (size_t)-s);
    }
    if (!num || !den) {
        pm_xdecref(rt, num);
        pm_xdecref(rt, den);
        return NULL;
    }
    /* int_divrem wants normalized operands */
    num = int_from_result(rt, num);
    den = int_from_result(rt, den);
    int rc = int_divrem(rt, num, den, &q, &r);
    pm_decref(rt, num);
    pm_decref(rt, den);
    if (rc < 0) return NULL;
    int sticky = SIZE(r) != 0;
    pm_decref(rt, r);
    int overflow;
    unsigned long long qm = int_magnitude(q, &overflow);   /* < 2**57 */
    pm_decref(rt, q);
    /* round qm * 2**-s to the precision of a double: 53 bits, fewer in the
     * subnormal range (so there is a single rounding, as in CPython) */
    int qbits = 0;
    for (unsigned long long t = qm; t; t >>= 1) qbits++;
    long long e = (long long)qbits - 1 - s;          /* exponent of the top bit */
    long long keep = 53;
    if (e < DBL_MIN_EXP - 1) keep = e + 1075;         /* subnormal: bits e..-1074 */
    double result;
    if (keep < 0) {
        result = 0.0;                                 /* below half the least subnormal */
    } else {
        int drop = qbits - (int)keep;                 /* >= 2: qm has 55..56 bits */
        unsigned long long rem = qm & ((1ULL << drop) - 1), half = 1ULL << (drop - 1);
        qm >>= drop;
        if (rem > half || (rem == half && (sticky || (qm & 1)))) qm++;
        long long exp2 = -s + drop;
        if (exp2 > DBL_MAX_EXP) goto overflow;
        result = ldexp((double)qm, (int)exp2);        /* exact */
        if (isinf(result)) goto overflow;
    }
    return pm_float_new(rt, ((SIZE(a) < 0) != (SIZE(b) < 0)) ? -result : result);
overflow:
    pm_err_set(rt, PM_EXC_OverflowError, "integer division result too large for a float");
    return NULL;
}

size_t pm_int_bit_length(const pm_object *o) { return int_bit_length(o); }

/* ------------------------------------------------------------------------ */
/* Decimal text                                                              */
/* ------------------------------------------------------------------------ */

/* Append the decimal form of o to sb (CPython's long_to_decimal_string). */
static void int_decimal_into(pm_runtime *rt, pmi_sb *sb, pm_object *o) {
    long long small;
    if (small_value(o, &small)) {
        pmi_sb_printf(rt, sb, "%lld", small);
        return;
    }
    /* format.c converts (base 10**9 limbs) and applies CPython's limit of
     * 4300 decimal digits (ValueError "Exceeds the limit ...") */
    pm_ssize_t n;
    char *d = pmi_int_digits(rt, o, 10, &n);
    if (!d) {
        sb->failed = 1;
        return;
    }
    if (SIZE(o) < 0) pmi_sb_putn(rt, sb, "-", 1);
    pmi_sb_putn(rt, sb, d, (size_t)n);
    pm_free(rt, d);
}

static pm_object *int_repr(pm_runtime *rt, pm_object *self) {
    pmi_sb sb;
    pmi_sb_init(&sb);
    int_decimal_into(rt, &sb, self);
    return pmi_sb_finish(rt, &sb);
}

static int digit_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

static int is_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* ValueError "invalid literal for int() with base 10: '12x'": the repr of
 * the whole text cut to 200 characters, as CPython's %.200R. */
static pm_object *invalid_literal(pm_runtime *rt, const char *s, pm_ssize_t len, int base) {
    pm_object *str = pm_str_from_utf8(rt, s, len);
    if (!str) {
        pm_err_clear(rt);
        str = pmi_str_from_ascii(rt, "?", 1);
        if (!str) return NULL;
    }
    pm_object *r = pm_repr(rt, str);
    pm_decref(rt, str);
    if (r && pm_str_length(r) > 200) {
        pm_object *cut = pm_str_slice(rt, r, 0, 200, 1);
        pm_decref(rt, r);
        r = cut;
    }
    const char *u = r ? pm_str_as_utf8(rt, r, NULL) : NULL;
    if (u) pm_err_format(rt, PM_EXC_ValueError, "invalid literal for int() with base %d: %s", base, u);
    pm_xdecref(rt, r);
    return NULL;
}

pm_object *pm_int_from_string(pm_runtime *rt, const char *s, pm_ssize_t len, int base) {
    if (!s) return pmi_err_badarg(rt, "pm_int_from_string");
    if (len < 0) len = (pm_ssize_t)strlen(s);
    if (base != 0 && (base < 2 || base > 36)) {
        pm_err_set(rt, PM_EXC_ValueError, "int() base must be >= 2 and <= 36, or 0");
        return NULL;
    }
    const char *p = s, *end = s + len;
    int shown_base = base;          /* the message names the base as given */
    while (p < end && is_space((unsigned char)*p)) p++;
    while (end > p && is_space((unsigned char)end[-1])) end--;
    int negative = 0;
    if (p < end && (*p == '+' || *p == '-')) negative = *p++ == '-';
    /* prefixes */
    if (end - p >= 2 && p[0] == '0') {
        int c = p[1] | 0x20, pb = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
        if (pb && (base == 0 || base == pb)) {
            base = pb;
            p += 2;
            if (p < end && *p == '_') p++;
        }
    }
    /* The digit limit (intlimit.c) applies to the run of digits and single
     * underscores, before any other complaint about the text (CPython's
     * PyLong_FromString); bases 2, 4, 8, 16, 32 are exempt. */
    int scan_base = base ? base : 10;
    if ((scan_base & (scan_base - 1)) != 0 && (p == end || *p != '_')) {
        pm_ssize_t run = 0;
        char prev = 0;
        for (const char *q = p; q < end && (digit_value((unsigned char)*q) < scan_base || *q == '_');
             prev = *q++) {
            if (*q != '_') run++;
            else if (prev == '_') break;
        }
        if (prev != '_' && pmi_int_fromstr_check(rt, run) < 0) return NULL;
    }
    if (base == 0) {
        base = 10;
        /* "010" is not a valid literal in base 0; "000" is */
        if (end - p > 1 && p[0] == '0') {
            for (const char *q = p; q < end; q++)
                if (*q != '0' && *q != '_') return invalid_literal(rt, s, len, 0);
        }
    }
    /* validate: digits with single '_' between them */
    pm_ssize_t ndigits = 0;
    for (const char *q = p; q < end; q++) {
        if (*q == '_') {
            if (q == p || q + 1 == end || q[1] == '_') return invalid_literal(rt, s, len, shown_base);
            continue;
        }
        if (digit_value((unsigned char)*q) >= base) return invalid_literal(rt, s, len, shown_base);
        ndigits++;
    }
    if (ndigits == 0) return invalid_literal(rt, s, len, shown_base);
    /* chunk size: largest k with base**k < 2**30 */
    int chunk = 0;
    pmi_twodigits big = 1;
    while (big * (pmi_twodigits)base < PMI_BASE) { big *= (pmi_twodigits)base; chunk++; }
    /* bits needed <= ndigits * log2(base) <= ndigits * 6 */
    double bits_per = log2((double)base);
    pm_ssize_t cap = (pm_ssize_t)((double)ndigits * bits_per / PMI_SHIFT) + 2;
    pm_object *z = int_alloc(rt, cap);
    if (!z) return NULL;
    pm_ssize_t size = 0;
    const char *q = p;
    while (q < end) {
        pmi_twodigits c = 0, mult = 1;
        for (int k = 0; k < chunk && q < end; q++) {
            if (*q == '_') continue;
            c = c * (pmi_twodigits)base + (pmi_twodigits)digit_value((unsigned char)*q);
            mult *= (pmi_twodigits)base;
            k++;
        }
        if (mult == 1) break;  /* only '_' left: impossible after validation */
        pmi_twodigits carry = c;
        for (pm_ssize_t i = 0; i < size; i++) {
            carry += (pmi_twodigits)DIGITS(z)[i] * mult;
            DIGITS(z)[i] = (pmi_digit)(carry & PMI_MASK);
            carry >>= PMI_SHIFT;
        }
        while (carry) {
            DIGITS(z)[size++] = (pmi_digit)(carry & PMI_MASK);
            carry >>= PMI_SHIFT;
        }
    }
    SIZE(z) = negative ? -size : size;
    return int_from_result(rt, z);
}

/* ------------------------------------------------------------------------ */
/* Type hooks                                                                */
/* ------------------------------------------------------------------------ */

static size_t int_size_of(pm_runtime *rt, pm_object *self) {
    (void)rt;
    pm_ssize_t n = pmi_int_ndigits(self);
    return PMI_INT_HEADER + (size_t)(n < 1 ? 1 : n) * sizeof(pmi_digit);
}

static pm_object *int_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    (void)rt;
    if (!pm_int_check(b)) return PM_NOTIMPLEMENTED;
    int c = pm_int_compare(a, b);
    return pmi_richcompare_result(c, op);
}

const pm_type pm_int_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "int",
    .basicsize = PMI_INT_HEADER,
    .itemsize = sizeof(pmi_digit),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLE | PM_TPFLAGS_INT_SUBCLASS,
    .base = &pm_object_type,
    .size_of = int_size_of,
    .repr = int_repr,
    .hash = int_hash,
    .richcompare = int_richcompare,
    .as_number = &pmi_int_as_number,
    .methods = pmi_int_methods,
    .getset = pmi_int_getset,
    .new_object = pmi_int_tp_new,
};

/* ---- bool ------------------------------------------------------------------ */

static pm_object *bool_repr(pm_runtime *rt, pm_object *self) {
    return self == PM_TRUE ? pmi_str_from_ascii(rt, "True", 4) : pmi_str_from_ascii(rt, "False", 5);
}

const pm_type pm_bool_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "bool",
    .basicsize = PMI_INT_HEADER,
    .itemsize = sizeof(pmi_digit),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_NEW_UNCOUNTED | PM_TPFLAGS_IMMUTABLE | PM_TPFLAGS_INT_SUBCLASS,
    .base = &pm_int_type,
    .size_of = int_size_of,
    .repr = bool_repr,
    .hash = int_hash,
    .richcompare = int_richcompare,
    .as_number = &pmi_bool_as_number,
    .new_object = pmi_bool_tp_new,
};

const struct pm_intobject pm_false_struct = {{PMI_STATIC_HEAD(&pm_bool_type), 0}, {0}};
const struct pm_intobject pm_true_struct = {{PMI_STATIC_HEAD(&pm_bool_type), 1}, {1}};
