/*
 * interp/mod_random.c — the `random` module: CPython's Mersenne Twister
 * (Modules/_randommodule.c) and the algorithms of Lib/random.py (3.11) in
 * C, so that a seeded run draws exactly python3's sequence.
 *
 * Purpose
 *   A Random object is the generator state; the module's functions are
 *   the bound methods of one hidden instance (random.py's _inst):
 *
 *       random module ── seed, random, randrange ... ──▶ bound methods of
 *                                                        one Random object
 *       Random: mt[624] words + position + the cached second gauss value
 *
 * Seeding (Random.seed(a), random.py version 2)
 *   None: 624 words from the system's entropy (getentropy/urandom).
 *   int: |a| split into 32-bit words, least significant first (a single
 *        0 word for 0), fed to MT's init_by_array.
 *   float: hash(a) as an int, as above.
 *   str / bytes / bytearray: a (UTF-8 for str) + SHA-512(a) read as one
 *        big-endian int, as above (SHA-512 is implemented here).
 *   anything else: TypeError (3.11).
 *
 * Draws mirror CPython exactly:
 *   random()        53 bits: (a >> 5) * 2**26 + (b >> 6), over 2**53.
 *   getrandbits(k)  32-bit words, least significant first; the last word
 *                   drops its low bits.
 *   _randbelow(n)   k = n.bit_length(); draw getrandbits(k) until < n.
 *   randrange, randint, choice, shuffle, sample (the pool algorithm up to
 *   the set-size threshold 21 + 4**ceil(log(3k, 4)), then rejection with a
 *   set), choices (floor(random() * n), or bisect over cumulative weights),
 *   uniform, triangular, gauss (with its cached second value),
 *   normalvariate, expovariate, randbytes.
 *
 * Not yet: betavariate, gammavariate, vonmisesvariate, paretovariate,
 * weibullvariate, lognormvariate, binomialvariate; sample(counts=);
 * non-integral float arguments of randrange (3.11 warns and converts);
 * subclassing Random.
 */
#include "modules.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

/* ---- SHA-512 (FIPS 180-4) -------------------------------------------------- */

/* Round constants: the first 64 bits of the fractional parts of the cube
 * roots of the first 80 primes. */
static const uint64_t sha512_k[80] = {
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
    0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
    0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
    0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
    0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
    0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
    0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
    0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
    0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
    0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
    0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
    0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
    0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
    0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
    0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
    0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
    0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
    0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
    0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};
/* Initial hash: square roots of the first 8 primes, likewise. */
static const uint64_t sha512_h0[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};

static uint64_t ror64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static void sha512_block(uint64_t h[8], const unsigned char *p) {
    uint64_t w[80];
    for (int t = 0; t < 16; t++) {
        uint64_t v = 0;
        for (int b = 0; b < 8; b++) v = (v << 8) | p[t * 8 + b];
        w[t] = v;
    }
    for (int t = 16; t < 80; t++) {
        uint64_t s0 = ror64(w[t - 15], 1) ^ ror64(w[t - 15], 8) ^ (w[t - 15] >> 7);
        uint64_t s1 = ror64(w[t - 2], 19) ^ ror64(w[t - 2], 61) ^ (w[t - 2] >> 6);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 80; t++) {
        uint64_t t1 = hh + (ror64(e, 14) ^ ror64(e, 18) ^ ror64(e, 41)) + ((e & f) ^ (~e & g)) + sha512_k[t] + w[t];
        uint64_t t2 = (ror64(a, 28) ^ ror64(a, 34) ^ ror64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* digest (64 bytes) of data[0..len). */
static void sha512(const unsigned char *data, size_t len, unsigned char digest[64]) {
    uint64_t h[8];
    memcpy(h, sha512_h0, sizeof h);
    size_t full = len / 128;
    for (size_t i = 0; i < full; i++) sha512_block(h, data + i * 128);
    unsigned char tail[256];
    size_t rem = len - full * 128;
    memset(tail, 0, sizeof tail);
    memcpy(tail, data + full * 128, rem);
    tail[rem] = 0x80;
    size_t tlen = rem + 1 + 16 <= 128 ? 128 : 256;
    uint64_t bits = (uint64_t)len * 8;     /* the high 64 bits of the length are 0 here */
    for (int b = 0; b < 8; b++) tail[tlen - 1 - b] = (unsigned char)(bits >> (8 * b));
    sha512_block(h, tail);
    if (tlen == 256) sha512_block(h, tail + 128);
    for (int i = 0; i < 8; i++)
        for (int b = 0; b < 8; b++) digest[i * 8 + b] = (unsigned char)(h[i] >> (56 - 8 * b));
}

/* ---- the Mersenne Twister ----------------------------------------------------- */

enum { MT_N = 624, MT_M = 397 };

typedef struct rnd_object {
    pm_object ob_base;              /* refcount + type */
    int index;                      /* next word of state to use; MT_N: regenerate */
    uint32_t state[MT_N];           /* the MT19937 state */
    int has_gauss;                  /* gauss_next is set (else None) */
    double gauss_next;              /* the second value of the last gauss() pair */
} rnd_object;

extern const pm_type pmi_random_type;

static uint32_t genrand_uint32(rnd_object *r) {
    uint32_t *mt = r->state, y;
    if (r->index >= MT_N) {
        int kk;
        for (kk = 0; kk < MT_N - MT_M; kk++) {
            y = (mt[kk] & 0x80000000U) | (mt[kk + 1] & 0x7fffffffU);
            mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ ((y & 1U) ? 0x9908b0dfU : 0U);
        }
        for (; kk < MT_N - 1; kk++) {
            y = (mt[kk] & 0x80000000U) | (mt[kk + 1] & 0x7fffffffU);
            mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ ((y & 1U) ? 0x9908b0dfU : 0U);
        }
        y = (mt[MT_N - 1] & 0x80000000U) | (mt[0] & 0x7fffffffU);
        mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ ((y & 1U) ? 0x9908b0dfU : 0U);
        r->index = 0;
    }
    y = mt[r->index++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= (y >> 18);
    return y;
}

static double genrand_double(rnd_object *r) {
    uint32_t a = genrand_uint32(r) >> 5, b = genrand_uint32(r) >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

static void init_genrand(rnd_object *r, uint32_t s) {
    uint32_t *mt = r->state;
    mt[0] = s;
    for (int i = 1; i < MT_N; i++) mt[i] = 1812433253U * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint32_t)i;
    r->index = MT_N;
}

static void init_by_array(rnd_object *r, const uint32_t *key, size_t len) {
    uint32_t *mt = r->state;
    init_genrand(r, 19650218U);
    size_t i = 1, j = 0;
    for (size_t k = MT_N > len ? MT_N : len; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + key[j] + (uint32_t)j;
        i++;
        j++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
        if (j >= len) j = 0;
    }
    for (size_t k = MT_N - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) - (uint32_t)i;
        i++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
    }
    mt[0] = 0x80000000U;
}

/* ---- ints <-> 32-bit words ------------------------------------------------------- */

/* |n| as 32-bit words, least significant first (at least one word).
 * *out pm_malloc'ed.  0 / -1. */
static int int_to_words(pm_runtime *rt, pm_object *n, uint32_t **out, size_t *count) {
    pm_object *v = pm_int_abs(rt, n);
    if (!v) return -1;
    size_t nw = pm_int_bit_length(v) / 32 + 1;
    uint32_t *w = pmi_mod_alloc(rt, nw * sizeof *w);
    pm_object *mask = pm_int_from_long(rt, 0xffffffffL), *sh = pm_int_from_long(rt, 32);
    if (!w || !mask || !sh) goto fail;
    for (size_t i = 0; i < nw; i++) {
        pm_object *lo = pm_int_and(rt, v, mask);
        if (!lo) goto fail;
        w[i] = (uint32_t)pm_int_as_longlong(rt, lo);
        pm_decref(rt, lo);
        pm_object *rest = pm_int_rshift(rt, v, sh);
        if (!rest) goto fail;
        pm_decref(rt, v);
        v = rest;
    }
    size_t used = nw;
    while (used > 1 && w[used - 1] == 0) used--;
    *out = w;
    *count = used;
    pm_decref(rt, v);
    pm_decref(rt, mask);
    pm_decref(rt, sh);
    return 0;
fail:
    pm_free(rt, w);
    pm_decref(rt, v);
    pm_xdecref(rt, mask);
    pm_xdecref(rt, sh);
    return -1;
}

/* The int whose 32-bit words (least significant first) are w[0..n). */
static pm_object *int_from_words(pm_runtime *rt, const uint32_t *w, size_t n) {
    char *hex = pmi_mod_alloc(rt, n * 8 + 1);
    if (!hex) return NULL;
    for (size_t i = 0; i < n; i++) snprintf(hex + 8 * i, 9, "%08x", (unsigned)w[n - 1 - i]);
    pm_object *r = pm_int_from_string(rt, hex, (pm_ssize_t)(n * 8), 16);
    pm_free(rt, hex);
    return r;
}

/* ---- seeding ----------------------------------------------------------------------- */

static int seed_from_int(pm_runtime *rt, rnd_object *r, pm_object *n) {
    uint32_t *key;
    size_t len;
    if (int_to_words(rt, n, &key, &len) < 0) return -1;
    init_by_array(r, key, len);
    pm_free(rt, key);
    return 0;
}

static int seed_from_bytes(pm_runtime *rt, rnd_object *r, const char *data, pm_ssize_t len) {
    /* int.from_bytes(a + sha512(a).digest(), 'big') */
    char *hex = pmi_mod_alloc(rt, ((size_t)len + 64) * 2 + 1);
    if (!hex) return -1;
    unsigned char dg[64];
    sha512((const unsigned char *)data, (size_t)len, dg);
    for (pm_ssize_t i = 0; i < len; i++) snprintf(hex + 2 * i, 3, "%02x", (unsigned char)data[i]);
    for (int i = 0; i < 64; i++) snprintf(hex + 2 * (len + i), 3, "%02x", dg[i]);
    pm_object *n = pm_int_from_string(rt, hex, (len + 64) * 2, 16);
    pm_free(rt, hex);
    if (!n) return -1;
    int rc = seed_from_int(rt, r, n);
    pm_decref(rt, n);
    return rc;
}

static int rnd_seed_obj(pm_runtime *rt, rnd_object *r, pm_object *a) {
    r->has_gauss = 0;
    if (!a || a == PM_NONE) {
        uint32_t key[MT_N];
        for (size_t off = 0; off < sizeof key; off += 256) {   /* getentropy: 256 bytes a call */
            size_t len = sizeof key - off < 256 ? sizeof key - off : 256;
            if (getentropy((char *)key + off, len) < 0) {
                pm_err_set(rt, PM_EXC_RuntimeError, "random: the system's entropy source failed");
                return -1;
            }
        }
        init_by_array(r, key, MT_N);
        return 0;
    }
    if (pm_int_check(a)) return seed_from_int(rt, r, a);
    if (pm_float_check(a)) {
        pm_hash_t h = pm_hash(rt, a);
        if (h == -1 && pm_err_occurred(rt)) return -1;
        pm_object *n = pm_int_from_longlong(rt, (long long)h);
        if (!n) return -1;
        int rc = seed_from_int(rt, r, n);
        pm_decref(rt, n);
        return rc;
    }
    if (pm_str_check(a)) {
        pm_ssize_t len;
        const char *s = pm_str_as_utf8(rt, a, &len);
        return s ? seed_from_bytes(rt, r, s, len) : -1;
    }
    if (pm_bytes_check(a)) return seed_from_bytes(rt, r, pm_bytes_data(a), pm_bytes_size(a));
    if (pm_bytearray_check(a)) return seed_from_bytes(rt, r, pm_bytearray_data(a), pm_bytearray_size(a));
    pm_err_set(rt, PM_EXC_TypeError,
               "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.");
    return -1;
}

/* ---- draws -------------------------------------------------------------------------- */

/* getrandbits(k) for k >= 0: new ref. */
static pm_object *randbits(pm_runtime *rt, rnd_object *r, pm_ssize_t k) {
    if (k <= 32) return pm_int_from_long(rt, k == 0 ? 0 : (long)(genrand_uint32(r) >> (32 - k)));
    size_t words = (size_t)(k - 1) / 32 + 1;
    uint32_t *w = pmi_mod_alloc(rt, words * sizeof *w);
    if (!w) return NULL;
    for (size_t i = 0; i < words; i++, k -= 32) {
        uint32_t x = genrand_uint32(r);
        if (k < 32) x >>= (32 - k);
        w[i] = x;
    }
    pm_object *res = int_from_words(rt, w, words);
    pm_free(rt, w);
    return res;
}

/* _randbelow_with_getrandbits(n), n > 0 an int: new ref. */
static pm_object *randbelow(pm_runtime *rt, rnd_object *r, pm_object *n) {
    pm_ssize_t k = (pm_ssize_t)pm_int_bit_length(n);
    for (;;) {
        pm_object *x = randbits(rt, r, k);
        if (!x || pm_int_compare(x, n) < 0) return x;
        pm_decref(rt, x);
    }
}

/* _randbelow for a C size n > 0. */
static int randbelow_ssize(pm_runtime *rt, rnd_object *r, pm_ssize_t n, pm_ssize_t *out) {
    pm_ssize_t k = 0;
    for (pm_ssize_t v = n; v; v >>= 1) k++;
    if (k <= 32) {
        for (;;) {
            pm_ssize_t x = k == 0 ? 0 : (pm_ssize_t)(genrand_uint32(r) >> (32 - k));
            if (x < n) {
                *out = x;
                return 0;
            }
        }
    }
    pm_object *nn = pm_int_from_ssize(rt, n);
    pm_object *x = nn ? randbelow(rt, r, nn) : NULL;
    pm_xdecref(rt, nn);
    if (!x) return -1;
    *out = pm_int_as_ssize(rt, x);
    pm_decref(rt, x);
    return 0;
}

/* The count errors of a Python method (random.py's methods are Python
 * code): "Random.randint() missing 1 required positional argument: 'b'",
 * "Random.seed() takes from 1 to 3 positional arguments but 4 were given"
 * (self counted).  names: the parameters after self; required of them
 * first.  Only counts nargs (keywords are checked by the parser).  0 / -1. */
static int py_count(pm_runtime *rt, const char *qname, const char *const *names, pm_ssize_t required,
                    pm_ssize_t nargs, pm_object *kwnames) {
    pm_ssize_t total = 0, nkw = kwnames ? pm_tuple_size(kwnames) : 0;
    while (names[total]) total++;
    if (nargs > total) {
        if (required == total)
            pm_err_format(rt, PM_EXC_TypeError, "%s() takes %zd positional argument%s but %zd were given", qname,
                          total + 1, total + 1 == 1 ? "" : "s", nargs + 1);
        else
            pm_err_format(rt, PM_EXC_TypeError, "%s() takes from %zd to %zd positional arguments but %zd were given",
                          qname, required + 1, total + 1, nargs + 1);
        return -1;
    }
    if (nargs < required && nkw == 0) {
        pm_ssize_t miss = required - nargs;
        if (miss == 1)
            pm_err_format(rt, PM_EXC_TypeError, "%s() missing 1 required positional argument: '%s'", qname,
                          names[nargs]);
        else if (miss == 2)
            pm_err_format(rt, PM_EXC_TypeError, "%s() missing 2 required positional arguments: '%s' and '%s'",
                          qname, names[nargs], names[nargs + 1]);
        else
            pm_err_format(rt, PM_EXC_TypeError, "%s() missing %zd required positional arguments", qname, miss);
        return -1;
    }
    return 0;
}

/* ---- methods ------------------------------------------------------------------------- */

#define RND(self) ((rnd_object *)(self))

static pm_object *new_float(pm_runtime *rt, double d) { return pm_float_new(rt, d); }

static pm_object *m_random(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)args;
    if (nargs != 0) {
        pm_err_format(rt, PM_EXC_TypeError, "Random.random() takes no arguments (%zd given)", nargs);
        return NULL;
    }
    return new_float(rt, genrand_double(RND(self)));
}

static pm_object *m_seed(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                         pm_object *kwnames) {
    static const char *const names[] = {"a", "version", NULL};
    pm_object *v[2];
    if (py_count(rt, "Random.seed", names, 0, nargs, kwnames) < 0 ||
        pmi_mod_parse_kw(rt, "seed", names, 2, 0, args, nargs, kwnames, v) < 0)
        return NULL;
    if (rnd_seed_obj(rt, RND(self), v[0]) < 0) return NULL;
    return PM_NONE;
}

static pm_object *m_getrandbits(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (pmi_mod_check_positional(rt, "getrandbits", nargs, 1, 1) < 0) return NULL;
    pm_object *kk = pm_index(rt, args[0]);
    if (!kk) return NULL;
    pm_ssize_t k = pm_int_as_ssize(rt, kk);
    pm_decref(rt, kk);
    if (k == -1 && pm_err_occurred(rt)) return NULL;
    if (k < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "number of bits must be non-negative");
        return NULL;
    }
    return randbits(rt, RND(self), k);
}

static pm_object *m_randbytes(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (nargs != 1) {
        pm_err_format(rt, PM_EXC_TypeError, "Random.randbytes() takes 2 positional arguments but %zd were given",
                      nargs + 1);
        return NULL;
    }
    pm_ssize_t n = pm_index_as_ssize(rt, args[0], PM_INDEX_OVERFLOWERROR);
    if (n == -1 && pm_err_occurred(rt)) return NULL;
    if (n < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "number of bits must be non-negative");
        return NULL;
    }
    /* getrandbits(n * 8).to_bytes(n, 'little'): the words' bytes in order */
    unsigned char *buf = pmi_mod_alloc(rt, (size_t)n + 4);
    if (!buf) return NULL;
    pm_ssize_t k = n * 8;
    for (pm_ssize_t i = 0; i < n; i += 4, k -= 32) {
        uint32_t x = genrand_uint32(RND(self));
        if (k < 32) x >>= (32 - k);
        for (int b = 0; b < 4; b++) buf[i + b] = (unsigned char)(x >> (8 * b));
    }
    pm_object *res = pm_bytes_new(rt, buf, n);
    pm_free(rt, buf);
    return res;
}

static pm_object *m_getstate(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)args;
    if (nargs != 0) {
        pm_err_format(rt, PM_EXC_TypeError, "Random.getstate() takes 1 positional argument but %zd were given",
                      nargs + 1);
        return NULL;
    }
    rnd_object *r = RND(self);
    pm_object *l = pm_list_new(rt), *inner = NULL, *ver = NULL, *g = NULL, *res = NULL;
    for (int i = 0; l && i <= MT_N; i++) {
        pm_object *x = pm_int_from_ulonglong(rt, i < MT_N ? r->state[i] : (unsigned long long)r->index);
        if (!x || pm_list_append(rt, l, x) < 0) PM_CLEAR(rt, l);
        pm_xdecref(rt, x);
    }
    if (!l || !(inner = pm_list_as_tuple(rt, l)) || !(ver = pm_int_from_long(rt, 3))) goto done;
    g = r->has_gauss ? pm_float_new(rt, r->gauss_next) : pm_newref(rt, PM_NONE);
    if (g) res = pm_tuple_pack(rt, 3, ver, inner, g);
done:
    pm_xdecref(rt, l);
    pm_xdecref(rt, inner);
    pm_xdecref(rt, ver);
    pm_xdecref(rt, g);
    return res;
}

static pm_object *m_setstate(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (nargs != 1) {
        pm_err_format(rt, PM_EXC_TypeError, "Random.setstate() takes 2 positional arguments but %zd were given",
                      nargs + 1);
        return NULL;
    }
    pm_object *st = args[0];
    rnd_object *r = RND(self);
    if (!pm_is_instance(st, &pm_tuple_type) || pm_tuple_size(st) != 3) {
        pm_err_set(rt, PM_EXC_ValueError, "state with version 3 passed to Random.setstate() of version 3");
        if (!pm_is_instance(st, &pm_tuple_type))
            pm_err_format(rt, PM_EXC_TypeError, "'%s' object is not subscriptable", pm_type_name(pm_type_of(st)));
        return NULL;
    }
    pm_object *inner = pm_tuple_get(rt, st, 1), *g = pm_tuple_get(rt, st, 2);
    if (!pm_is_instance(inner, &pm_tuple_type)) {
        pm_err_set(rt, PM_EXC_TypeError, "state vector must be a tuple");
        return NULL;
    }
    if (pm_tuple_size(inner) != MT_N + 1) {
        pm_err_set(rt, PM_EXC_ValueError, "state vector is the wrong size");
        return NULL;
    }
    uint32_t words[MT_N];
    long long idx = 0;
    for (int i = 0; i <= MT_N; i++) {
        long long v = pm_int_as_longlong(rt, pm_tuple_get(rt, inner, i));
        if (v == -1 && pm_err_occurred(rt)) return NULL;
        if (i < MT_N) words[i] = (uint32_t)v;
        else idx = v;
    }
    if (idx < 0 || idx > MT_N) {
        pm_err_set(rt, PM_EXC_ValueError, "invalid state");
        return NULL;
    }
    double gv = 0.0;
    if (g != PM_NONE && pmi_mod_to_double(rt, g, &gv) < 0) return NULL;
    memcpy(r->state, words, sizeof words);
    r->index = (int)idx;
    r->has_gauss = g != PM_NONE;
    r->gauss_next = gv;
    return PM_NONE;
}

/* An integer argument of randrange as an exact int (3.11: index(), with
 * ValueError for non-integral floats). */
static pm_object *range_arg(pm_runtime *rt, pm_object *o, int which) {
    if (pm_float_check(o)) {
        double d = pm_float_value(o);
        if (d != floor(d) || !isfinite(d)) {
            pm_err_format(rt, PM_EXC_ValueError, which == 1 ? "non-integer arg 1 for randrange()"
                          : which == 2 ? "non-integer stop for randrange()" : "non-integer step for randrange()");
            return NULL;
        }
    }
    return pm_index(rt, o);
}

static pm_object *randrange3(pm_runtime *rt, rnd_object *r, pm_object *start, pm_object *stop, pm_object *step) {
    pm_object *istart = range_arg(rt, start, 1), *istop = NULL, *istep = NULL, *width = NULL, *n = NULL;
    pm_object *res = NULL, *t = NULL, *u = NULL;
    if (!istart) return NULL;
    if (!stop || stop == PM_NONE) {
        if (step) {
            pm_err_set(rt, PM_EXC_TypeError, "Missing a non-None stop argument");
            goto done;
        }
        if (pm_int_sign(istart) > 0) res = randbelow(rt, r, istart);
        else pm_err_set(rt, PM_EXC_ValueError, "empty range for randrange()");
        goto done;
    }
    if (!(istop = range_arg(rt, stop, 2)) || !(width = pm_int_sub(rt, istop, istart))) goto done;
    if (!step) istep = pm_int_from_long(rt, 1);
    else istep = range_arg(rt, step, 3);
    if (!istep) goto done;
    pm_object *one = pm_int_from_long(rt, 1);
    if (!one) goto done;
    int is_one = pm_int_compare(istep, one) == 0;
    pm_decref(rt, one);
    if (is_one) {
        if (pm_int_sign(width) > 0) {
            if ((t = randbelow(rt, r, width))) res = pm_int_add(rt, istart, t);
        } else {
            pm_object *a = pm_repr(rt, istart), *b = a ? pm_repr(rt, istop) : NULL, *c = b ? pm_repr(rt, width) : NULL;
            if (c)
                pm_err_format(rt, PM_EXC_ValueError, "empty range for randrange() (%s, %s, %s)",
                              pm_str_as_utf8(rt, a, NULL), pm_str_as_utf8(rt, b, NULL), pm_str_as_utf8(rt, c, NULL));
            pm_xdecref(rt, a);
            pm_xdecref(rt, b);
            pm_xdecref(rt, c);
        }
        goto done;
    }
    if (pm_int_sign(istep) == 0) {
        pm_err_set(rt, PM_EXC_ValueError, "zero step for randrange()");
        goto done;
    }
    /* n = (width + istep -+ 1) // istep */
    pm_object *adj = pm_int_from_long(rt, pm_int_sign(istep) > 0 ? -1 : 1);
    pm_object *s1 = adj ? pm_int_add(rt, width, istep) : NULL;
    pm_object *s2 = s1 ? pm_int_add(rt, s1, adj) : NULL;
    n = s2 ? pm_int_floordiv(rt, s2, istep) : NULL;
    pm_xdecref(rt, adj);
    pm_xdecref(rt, s1);
    pm_xdecref(rt, s2);
    if (!n) goto done;
    if (pm_int_sign(n) <= 0) {
        pm_err_set(rt, PM_EXC_ValueError, "empty range for randrange()");
        goto done;
    }
    if ((t = randbelow(rt, r, n)) && (u = pm_int_mul(rt, istep, t))) res = pm_int_add(rt, istart, u);
done:
    pm_xdecref(rt, istart);
    pm_xdecref(rt, istop);
    pm_xdecref(rt, istep);
    pm_xdecref(rt, width);
    pm_xdecref(rt, n);
    pm_xdecref(rt, t);
    pm_xdecref(rt, u);
    return res;
}

static pm_object *m_randrange(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                              pm_object *kwnames) {
    static const char *const names[] = {"start", "stop", "step", NULL};
    pm_object *v[3];
    if (py_count(rt, "Random.randrange", names, 1, nargs, kwnames) < 0 ||
        pmi_mod_parse_kw(rt, "randrange", names, 3, 1, args, nargs, kwnames, v) < 0)
        return NULL;
    return randrange3(rt, RND(self), v[0], v[1], v[2]);
}

static pm_object *m_randint(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    static const char *const names[] = {"a", "b", NULL};
    if (py_count(rt, "Random.randint", names, 2, nargs, NULL) < 0) return NULL;
    pm_object *one = pm_int_from_long(rt, 1);
    pm_object *b1 = one ? pm_number_binop(rt, args[1], one, PM_NB_ADD) : NULL;
    pm_object *res = b1 ? randrange3(rt, RND(self), args[0], b1, NULL) : NULL;
    pm_xdecref(rt, one);
    pm_xdecref(rt, b1);
    return res;
}

static pm_object *m_choice(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    static const char *const names[] = {"seq", NULL};
    if (py_count(rt, "Random.choice", names, 1, nargs, NULL) < 0) return NULL;
    pm_ssize_t n = pm_length(rt, args[0]), j;
    if (n < 0) return NULL;
    if (n == 0) {
        pm_err_set(rt, PM_EXC_IndexError, "Cannot choose from an empty sequence");
        return NULL;
    }
    if (randbelow_ssize(rt, RND(self), n, &j) < 0) return NULL;
    pm_object *i = pm_int_from_ssize(rt, j);
    pm_object *res = i ? pm_getitem(rt, args[0], i) : NULL;
    pm_xdecref(rt, i);
    return res;
}

static pm_object *m_shuffle(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    static const char *const names[] = {"x", NULL};
    if (py_count(rt, "Random.shuffle", names, 1, nargs, NULL) < 0) return NULL;
    pm_object *x = args[0];
    pm_ssize_t n = pm_length(rt, x);
    if (n < 0) return NULL;
    for (pm_ssize_t i = n - 1; i >= 1; i--) {
        pm_ssize_t j;
        if (randbelow_ssize(rt, RND(self), i + 1, &j) < 0) return NULL;
        pm_object *ki = pm_int_from_ssize(rt, i), *kj = ki ? pm_int_from_ssize(rt, j) : NULL;
        pm_object *a = kj ? pm_getitem(rt, x, ki) : NULL, *b = a ? pm_getitem(rt, x, kj) : NULL;
        int ok = b && pm_setitem(rt, x, ki, b) == 0 && pm_setitem(rt, x, kj, a) == 0;
        pm_xdecref(rt, ki);
        pm_xdecref(rt, kj);
        pm_xdecref(rt, a);
        pm_xdecref(rt, b);
        if (!ok) return NULL;
    }
    return PM_NONE;
}

static int is_sequence(const pm_object *o) {
    return pm_is_instance(o, &pm_list_type) || pm_is_instance(o, &pm_tuple_type) || pm_str_check(o) ||
           pm_bytes_check(o) || pm_bytearray_check(o);
}

static pm_object *m_sample(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                           pm_object *kwnames) {
    static const char *const names[] = {"population", "k", "counts", NULL};
    pm_object *v[3];
    if (pmi_mod_parse_kw(rt, "sample", names, 2, 2, args, nargs, kwnames, v) < 0) return NULL;
    pm_object *pop = v[0];
    if (!is_sequence(pop)) {
        pm_err_set(rt, PM_EXC_TypeError, "Population must be a sequence.  For dicts or sets, use sorted(d).");
        return NULL;
    }
    if (v[2] && v[2] != PM_NONE) {
        pm_err_set(rt, PM_EXC_NotImplementedError, "pymm: sample(counts=) is not implemented yet");
        return NULL;
    }
    pm_ssize_t n = pm_length(rt, pop);
    if (n < 0) return NULL;
    pm_ssize_t k = pm_index_as_ssize(rt, v[1], PM_INDEX_OVERFLOWERROR);
    if (k == -1 && pm_err_occurred(rt)) return NULL;
    if (k < 0 || k > n) {
        pm_err_set(rt, PM_EXC_ValueError, "Sample larger than population or is negative");
        return NULL;
    }
    rnd_object *r = RND(self);
    pm_ssize_t setsize = 21;
    if (k > 5) setsize += (pm_ssize_t)pow(4.0, ceil(log((double)(k * 3)) / log(4.0)));
    pm_object *result = pm_list_new(rt), *pool = NULL, *selected = NULL;
    if (!result) return NULL;
    if (n <= setsize) {
        if (!(pool = pm_list_new(rt)) || pm_list_extend(rt, pool, pop) < 0) goto fail;
        for (pm_ssize_t i = 0; i < k; i++) {
            pm_ssize_t j;
            if (randbelow_ssize(rt, r, n - i, &j) < 0) goto fail;
            if (pm_list_append(rt, result, pm_list_get(rt, pool, j)) < 0) goto fail;
            if (pm_list_set(rt, pool, j, pm_list_get(rt, pool, n - i - 1)) < 0) goto fail;
        }
    } else {
        if (!(selected = pm_set_new(rt, NULL))) goto fail;
        for (pm_ssize_t i = 0; i < k; i++) {
            pm_object *jo = NULL;
            for (;;) {
                pm_ssize_t j;
                if (randbelow_ssize(rt, r, n, &j) < 0 || !(jo = pm_int_from_ssize(rt, j))) goto fail;
                int in = pm_set_contains(rt, selected, jo);
                if (in < 0) {
                    pm_decref(rt, jo);
                    goto fail;
                }
                if (!in) break;
                PM_CLEAR(rt, jo);
            }
            pm_object *item = pm_set_add(rt, selected, jo) == 0 ? pm_getitem(rt, pop, jo) : NULL;
            pm_decref(rt, jo);
            if (!item) goto fail;
            int rc = pm_list_append(rt, result, item);
            pm_decref(rt, item);
            if (rc < 0) goto fail;
        }
    }
    pm_xdecref(rt, pool);
    pm_xdecref(rt, selected);
    return result;
fail:
    pm_decref(rt, result);
    pm_xdecref(rt, pool);
    pm_xdecref(rt, selected);
    return NULL;
}

static pm_object *m_choices(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    static const char *const names[] = {"population", "weights", "cum_weights", "k", NULL};
    pm_object *v[4];
    if (pmi_mod_parse_kw(rt, "choices", names, 2, 1, args, nargs, kwnames, v) < 0) return NULL;
    rnd_object *r = RND(self);
    pm_object *pop = v[0], *weights = v[1] == PM_NONE ? NULL : v[1], *cum = v[2] == PM_NONE ? NULL : v[2];
    pm_ssize_t n = pm_length(rt, pop), k = 1;
    if (n < 0) return NULL;
    if (v[3]) {
        k = pm_index_as_ssize(rt, v[3], PM_INDEX_OVERFLOWERROR);
        if (k == -1 && pm_err_occurred(rt)) return NULL;
    }
    pm_object *result = pm_list_new(rt), *wl = NULL;
    double *cw = NULL;
    if (!result) return NULL;
    if (!cum && !weights) {
        for (pm_ssize_t i = 0; i < k; i++) {
            pm_object *idx = pm_int_from_double(rt, floor(genrand_double(r) * (double)n));
            pm_object *item = idx ? pm_getitem(rt, pop, idx) : NULL;
            pm_xdecref(rt, idx);
            if (!item) goto fail;
            int rc = pm_list_append(rt, result, item);
            pm_decref(rt, item);
            if (rc < 0) goto fail;
        }
        return result;
    }
    if (cum && weights) {
        pm_err_set(rt, PM_EXC_TypeError, "Cannot specify both weights and cumulative weights");
        goto fail;
    }
    if (weights && pm_int_check(weights)) {
        pm_object *rep = pm_repr(rt, weights);
        if (rep) pm_err_format(rt, PM_EXC_TypeError, "The number of choices must be a keyword argument: k=%s",
                               pm_str_as_utf8(rt, rep, NULL));
        pm_xdecref(rt, rep);
        goto fail;
    }
    if (!(wl = pm_list_new(rt)) || pm_list_extend(rt, wl, weights ? weights : cum) < 0) goto fail;
    pm_ssize_t nw = pm_list_size(wl);
    if (!(cw = pmi_mod_alloc(rt, ((size_t)nw + 1) * sizeof(double)))) goto fail;
    double acc = 0.0;
    for (pm_ssize_t i = 0; i < nw; i++) {
        double w;
        if (pmi_mod_to_double(rt, pm_list_get(rt, wl, i), &w) < 0) goto fail;
        acc = weights ? (i == 0 ? w : acc + w) : w;       /* accumulate(weights) */
        cw[i] = acc;
    }
    if (nw != n) {
        pm_err_set(rt, PM_EXC_ValueError, "The number of weights does not match the population");
        goto fail;
    }
    double total = n > 0 ? cw[n - 1] + 0.0 : 0.0;
    if (total <= 0.0) {
        pm_err_set(rt, PM_EXC_ValueError, "Total of weights must be greater than zero");
        goto fail;
    }
    if (!isfinite(total)) {
        pm_err_set(rt, PM_EXC_ValueError, "Total of weights must be finite");
        goto fail;
    }
    for (pm_ssize_t i = 0; i < k; i++) {
        double x = genrand_double(r) * total;
        pm_ssize_t lo = 0, hi = n - 1;        /* bisect_right(cum, x, 0, n - 1) */
        while (lo < hi) {
            pm_ssize_t mid = (lo + hi) / 2;
            if (x < cw[mid]) hi = mid;
            else lo = mid + 1;
        }
        pm_object *idx = pm_int_from_ssize(rt, lo);
        pm_object *item = idx ? pm_getitem(rt, pop, idx) : NULL;
        pm_xdecref(rt, idx);
        if (!item) goto fail;
        int rc = pm_list_append(rt, result, item);
        pm_decref(rt, item);
        if (rc < 0) goto fail;
    }
    pm_free(rt, cw);
    pm_decref(rt, wl);
    return result;
fail:
    pm_free(rt, cw);
    pm_xdecref(rt, wl);
    pm_decref(rt, result);
    return NULL;
}

/* Two float arguments with defaults (names for keywords). */
static int two_floats(pm_runtime *rt, const char *fname, const char *const *names, pm_object *const *args,
                      pm_ssize_t nargs, pm_object *kwnames, pm_ssize_t required, double *a, double *b) {
    pm_object *v[2];
    char q[64];
    snprintf(q, sizeof q, "Random.%s", fname);
    if (py_count(rt, q, names, required, nargs, kwnames) < 0 ||
        pmi_mod_parse_kw(rt, fname, names, 2, required, args, nargs, kwnames, v) < 0)
        return -1;
    if (v[0] && pmi_mod_to_double(rt, v[0], a) < 0) return -1;
    if (v[1] && pmi_mod_to_double(rt, v[1], b) < 0) return -1;
    return 0;
}

static pm_object *m_uniform(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    static const char *const names[] = {"a", "b", NULL};
    double a = 0, b = 0;
    if (two_floats(rt, "uniform", names, args, nargs, kwnames, 2, &a, &b) < 0) return NULL;
    return new_float(rt, a + (b - a) * genrand_double(RND(self)));
}

static pm_object *m_triangular(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                               pm_object *kwnames) {
    static const char *const names[] = {"low", "high", "mode", NULL};
    pm_object *v[3];
    if (py_count(rt, "Random.triangular", names, 0, nargs, kwnames) < 0 ||
        pmi_mod_parse_kw(rt, "triangular", names, 3, 0, args, nargs, kwnames, v) < 0)
        return NULL;
    double low = 0.0, high = 1.0, mode = 0.0, c;
    if ((v[0] && pmi_mod_to_double(rt, v[0], &low) < 0) || (v[1] && pmi_mod_to_double(rt, v[1], &high) < 0))
        return NULL;
    int has_mode = v[2] && v[2] != PM_NONE;
    if (has_mode && pmi_mod_to_double(rt, v[2], &mode) < 0) return NULL;
    double u = genrand_double(RND(self));
    if (!has_mode) {
        c = 0.5;
    } else {
        if (high - low == 0.0) return new_float(rt, low);
        c = (mode - low) / (high - low);
    }
    if (u > c) {
        u = 1.0 - u;
        c = 1.0 - c;
        double t = low;
        low = high;
        high = t;
    }
    return new_float(rt, low + (high - low) * sqrt(u * c));
}

static pm_object *m_gauss(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                          pm_object *kwnames) {
    static const char *const names[] = {"mu", "sigma", NULL};
    double mu = 0.0, sigma = 1.0, z;
    if (two_floats(rt, "gauss", names, args, nargs, kwnames, 0, &mu, &sigma) < 0) return NULL;
    rnd_object *r = RND(self);
    if (r->has_gauss) {
        z = r->gauss_next;
        r->has_gauss = 0;
    } else {
        double x2pi = genrand_double(r) * 6.283185307179586476925286766559005768;
        double g2rad = sqrt(-2.0 * log(1.0 - genrand_double(r)));
        z = cos(x2pi) * g2rad;
        r->gauss_next = sin(x2pi) * g2rad;
        r->has_gauss = 1;
    }
    return new_float(rt, mu + z * sigma);
}

static pm_object *m_normalvariate(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs,
                                  pm_object *kwnames) {
    static const char *const names[] = {"mu", "sigma", NULL};
    double mu = 0.0, sigma = 1.0, z;
    if (two_floats(rt, "normalvariate", names, args, nargs, kwnames, 0, &mu, &sigma) < 0) return NULL;
    const double magic = 4 * exp(-0.5) / sqrt(2.0);
    for (;;) {
        double u1 = genrand_double(RND(self));
        double u2 = 1.0 - genrand_double(RND(self));
        z = magic * (u1 - 0.5) / u2;
        if (z * z / 4.0 <= -log(u2)) break;
    }
    return new_float(rt, mu + z * sigma);
}

static pm_object *m_expovariate(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    if (nargs != 1) {
        if (nargs == 0)
            pm_err_set(rt, PM_EXC_TypeError, "Random.expovariate() missing 1 required positional argument: 'lambd'");
        else
            pm_err_format(rt, PM_EXC_TypeError, "Random.expovariate() takes 2 positional arguments but %zd were given",
                          nargs + 1);
        return NULL;
    }
    double lambd;
    if (pmi_mod_to_double(rt, args[0], &lambd) < 0) return NULL;
    double u = genrand_double(RND(self));
    if (lambd == 0.0) {
        pm_err_set(rt, PM_EXC_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return new_float(rt, -log(1.0 - u) / lambd);
}

/* ---- the type ------------------------------------------------------------------------ */

static void rnd_dealloc(pm_runtime *rt, pm_object *self) { pm_gc_del(rt, self); }

static int rnd_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    (void)self;
    (void)visit;
    (void)arg;
    return 0;
}

static pm_object *rnd_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    pm_ssize_t n = args ? pm_tuple_size(args) : 0;
    if (kwargs && pm_dict_size(kwargs) > 0) {
        pm_err_set(rt, PM_EXC_TypeError, "Random() takes no keyword arguments");
        return NULL;
    }
    if (n > 1) {
        pm_err_format(rt, PM_EXC_TypeError,
                      "Random.__init__() takes from 1 to 2 positional arguments but %zd were given", n + 1);
        return NULL;
    }
    rnd_object *r = (rnd_object *)pm_gc_new(rt, type);   /* a gc type holding no objects: never tracked */
    if (!r) return NULL;
    r->has_gauss = 0;
    r->gauss_next = 0.0;
    if (rnd_seed_obj(rt, r, n ? pm_tuple_get(rt, args, 0) : NULL) < 0) {
        pm_decref(rt, (pm_object *)r);
        return NULL;
    }
    return (pm_object *)r;
}

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
#define FAST PM_METH_FASTCALL
#define FASTKW (PM_METH_FASTCALL | PM_METH_KEYWORDS)
static const pm_method_def rnd_methods[] = {
    {"seed", FN(m_seed), FASTKW, "Initialize internal state from a seed."},
    {"random", FN(m_random), FAST, "random() -> x in the interval [0, 1)."},
    {"getrandbits", FN(m_getrandbits), FAST, "getrandbits(k) -> x.  Generates an int with k random bits."},
    {"getstate", FN(m_getstate), FAST, "Return internal state; can be passed to setstate() later."},
    {"setstate", FN(m_setstate), FAST, "Restore internal state from object returned by getstate()."},
    {"randbytes", FN(m_randbytes), FAST, "Generate n random bytes."},
    {"randrange", FN(m_randrange), FASTKW, "Choose a random item from range(stop) or range(start, stop[, step])."},
    {"randint", FN(m_randint), FAST, "Return random integer in range [a, b], including both end points."},
    {"choice", FN(m_choice), FAST, "Choose a random element from a non-empty sequence."},
    {"choices", FN(m_choices), FASTKW, "Return a k sized list of population elements chosen with replacement."},
    {"shuffle", FN(m_shuffle), FAST, "Shuffle list x in place, and return None."},
    {"sample", FN(m_sample), FASTKW, "Chooses k unique random elements from a population sequence."},
    {"uniform", FN(m_uniform), FASTKW, "Get a random number in the range [a, b) or [a, b] depending on rounding."},
    {"triangular", FN(m_triangular), FASTKW, "Triangular distribution."},
    {"gauss", FN(m_gauss), FASTKW, "Gaussian distribution."},
    {"normalvariate", FN(m_normalvariate), FASTKW, "Normal distribution."},
    {"expovariate", FN(m_expovariate), FAST, "Exponential distribution."},
    {NULL, NULL, 0, NULL},
};

/* r.name: the methods are looked up in the table and bound directly (a
 * builtin bound to r, as the module's functions are), so using a Random
 * needs no per-runtime type dict; other names take the generic way. */
static pm_object *rnd_getattr(pm_runtime *rt, pm_object *self, pm_object *name) {
    for (const pm_method_def *md = rnd_methods; md->name; md++)
        if (pm_str_check(name) && pm_str_equal_cstr(name, md->name)) return pm_cfunction_new(rt, md, self);
    return pm_object_generic_getattr(rt, self, name);
}

const pm_type pmi_random_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "random.Random",
    .basicsize = sizeof(rnd_object),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .doc = "Random number generator base class used by bound module functions.",
    .dealloc = rnd_dealloc,
    .traverse = rnd_traverse,
    .getattr = rnd_getattr,
    .new_object = rnd_new,
    .methods = rnd_methods,
};

/* ---- the module ------------------------------------------------------------------------ */

static int random_fill(pm_runtime *rt, pm_object *m) {
    if (pmi_module_add(rt, m, "Random", pm_type_as_object(&pmi_random_type)) < 0) return -1;
    pm_object *inst = rnd_new(rt, &pmi_random_type, NULL, NULL);
    if (!inst) return -1;
    int rc = pmi_module_add(rt, m, "_inst", inst);
    for (const pm_method_def *md = rnd_methods; rc == 0 && md->name; md++)
        rc = pmi_module_add_new(rt, m, md->name, pm_cfunction_new(rt, md, inst));
    pm_decref(rt, inst);
    return rc;
}

static const pmi_module_def random_def = {
    .name = "random",
    .doc = "Random variable generators.",
    .fill = random_fill,
};

pm_object *pmi_random_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &random_def);
}
