/*
 * hash.c — the hash functions CPython uses for str/bytes and pointers.
 *
 * Strings and bytes hash with SipHash-1-3 (CPython 3.11's default,
 * Py_HASH_ALGORITHM = siphash13) under a 128-bit key chosen per runtime when
 * it is created from pm_config.hash_seed (PYTHONHASHSEED): random by
 * default, so hash values differ between runtimes and runs as with CPython's
 * hash randomization; 0 or a fixed seed gives CPython's exact values for
 * that seed.  A str hashes its internal representation (1, 2 or 4 bytes per
 * code point by kind), as CPython 3.11; an empty input hashes to 0.
 * Numbers hash by value (objects/int.c, objects/float.c), which needs no key.
 */
#include "core/object.h"

#include <time.h>
#if defined(__linux__)
#include <sys/random.h>
#endif

static uint64_t rotl64(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

#define SIP_ROUND(v0, v1, v2, v3)                                                \
    do {                                                                         \
        v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32);           \
        v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;                                 \
        v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;                                 \
        v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32);           \
    } while (0)

/* SipHash-1-3: one compression round per 8-byte word, three finalization
 * rounds. */
static uint64_t siphash13(uint64_t k0, uint64_t k1, const unsigned char *in, size_t n) {
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
    uint64_t b = (uint64_t)n << 56;
    size_t words = n / 8;
    for (size_t i = 0; i < words; i++, in += 8) {
        uint64_t m = 0;
        for (int j = 7; j >= 0; j--) m = (m << 8) | in[j];   /* little-endian */
        v3 ^= m;
        SIP_ROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    uint64_t t = 0;
    for (size_t j = n & 7; j-- > 0;) t = (t << 8) | in[j];
    b |= t;
    v3 ^= b;
    SIP_ROUND(v0, v1, v2, v3);
    v0 ^= b;
    v2 ^= 0xff;
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    return (v0 ^ v1) ^ (v2 ^ v3);
}

pm_hash_t pmi_hash_bytes(const pm_runtime *rt, const void *p, size_t n) {
    if (n == 0) return 0;
    pm_hash_t h = (pm_hash_t)siphash13(rt->hash.k0, rt->hash.k1, p, n);
    return h == -1 ? -2 : h;
}

pm_hash_t pmi_hash_pointer(const void *p) {
    uintptr_t y = (uintptr_t)p;
    y = (y >> 4) | (y << (8 * sizeof(void *) - 4));  /* low bits are alignment */
    pm_hash_t h = (pm_hash_t)y;
    return h == -1 ? -2 : h;
}

/* Pick the runtime's key from pm_config.hash_seed, as CPython's
 * _Py_HashRandomization_Init: -1 (PYTHONHASHSEED unset or "random"): the
 * kernel's random bytes, else a mix of the clock and the runtime's address
 * (splitmix64); 0: an all-zero key (hash randomization off); N: CPython's
 * key derivation, the secret filled byte by byte from the linear
 * congruential generator x = x * 214013 + 2531011 (mod 2**32) started at N,
 * taking bits 16..23 of each x.  k0 and k1 are the secret's first two
 * little-endian 64-bit words (CPython's secret is 24 bytes; the last 8 feed
 * other hash algorithms). */
void pmi_hash_init(pm_runtime *rt) {
    uint64_t key[2] = {0, 0};
    long long seed = rt->config.hash_seed;
    if (seed > 0) {
        unsigned char secret[16];
        uint32_t x = (uint32_t)seed;
        for (size_t i = 0; i < sizeof secret; i++) {
            x = x * 214013u + 2531011u;
            secret[i] = (unsigned char)((x >> 16) & 0xff);
        }
        for (int w = 0; w < 2; w++)
            for (int j = 7; j >= 0; j--) key[w] = (key[w] << 8) | secret[w * 8 + j];
    } else if (seed < 0) {
        int ok = 0;
#if defined(__linux__)
        ok = getrandom(key, sizeof key, GRND_NONBLOCK) == (ssize_t)sizeof key;
#endif
        if (!ok) {
            uint64_t z = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)rt ^ (uint64_t)clock();
            for (int i = 0; i < 2; i++) {
                z += 0x9e3779b97f4a7c15ULL;
                uint64_t y = z;
                y = (y ^ (y >> 30)) * 0xbf58476d1ce4e5b9ULL;
                y = (y ^ (y >> 27)) * 0x94d049bb133111ebULL;
                key[i] = y ^ (y >> 31);
            }
        }
    }
    rt->hash.k0 = key[0];
    rt->hash.k1 = key[1];
}
