/*
 * hash.c — the hash functions CPython uses for str/bytes and pointers.
 *
 * Strings and bytes hash with SipHash-1-3 (CPython 3.11's default,
 * Py_HASH_ALGORITHM = siphash13) under a 128-bit key chosen per runtime when
 * it is created, so hash values differ between runtimes and runs as with
 * CPython's hash randomization; an empty input hashes to 0 as in CPython.
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

/* Pick the runtime's key: the kernel's random bytes, else a mix of the
 * clock and the runtime's address (splitmix64). */
void pmi_hash_init(pm_runtime *rt) {
    uint64_t key[2] = {0, 0};
    int ok = 0;
#if defined(__linux__)
    ok = getrandom(key, sizeof key, GRND_NONBLOCK) == (ssize_t)sizeof key;
#endif
    if (!ok) {
        uint64_t z = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)rt ^ (uint64_t)clock();
        for (int i = 0; i < 2; i++) {
            z += 0x9e3779b97f4a7c15ULL;
            uint64_t x = z;
            x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
            x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
            key[i] = x ^ (x >> 31);
        }
    }
    rt->hash.k0 = key[0];
    rt->hash.k1 = key[1];
}
