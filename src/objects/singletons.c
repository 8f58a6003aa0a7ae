/*
 * singletons.c — the empty str, the 256 one-character latin-1 strs, the
 * empty bytes and the 256 one-byte bytes: one shared object each, so that
 * `is` answers as in CPython 3.11.
 *
 * Purpose
 *   CPython keeps these as static singletons: every '' is the same object,
 *   'abc'[0] is chr(97) is 'abc'[0:1], b'' is bytes() is b'abc'[0:0], and
 *   b'abc'[0:1] is bytes([97]).  (The empty tuple is tuple.c's static
 *   read-only object.)  Python code can see the difference with `is`, and
 *   it saves an allocation on every one-character index.
 *
 * Where they live
 *   A str caches its hash and, for latin-1 characters >= 0x80, its UTF-8
 *   form inside the object, and the hash depends on the runtime's key, so
 *   these objects cannot be read-only statics shared by runtimes.  They are
 *   built in place inside the pm_runtime when it is created — like the
 *   small ints, no allocation, so creating a runtime cannot fail because of
 *   them and takes nothing from the pools — with an immortal count, so
 *   pm_incref/pm_decref never touch them and they are never freed:
 *
 *     rt->str_singles[257][80]       [c] = chr(c) for c < 256, [256] = ''
 *       c < 0x80:  pmi_ascii   (48) | c | NUL                 getsizeof 50
 *       c >= 0x80: pmi_compact (72) | c | NUL | UTF-8 (2) | NUL  getsizeof 74
 *     rt->bytes_singles[257][48]     [c] = bytes([c]), [256] = b''
 *       pmi_bytes header (32) | c | NUL                          getsizeof 34
 *
 *   They own no memory at all: a latin-1 character's UTF-8 form (which
 *   pm_str_as_utf8 would otherwise allocate and cache on first use) is
 *   written into the slot at creation, so the first encode of 'é' cannot
 *   fail and nothing stays allocated until teardown.  str's __sizeof__
 *   does not count it (it is not separately allocated memory).
 *
 * Which operations return them (CPython 3.11's rules; tests/c/test_singletons.c
 *   checks each against python3 with `is`)
 *   str:   every construction of length 0 (pmi_str_new); one character
 *          below 256 from decoding, code points, indexing and step-1
 *          slicing (pmi_str_result, as unicode_result); not from int repr
 *          or step slices of length 1, which CPython builds fresh.
 *   bytes: length 0 always; length 1 when built from data (pm_bytes_new
 *          with data, step-1 slicing), as PyBytes_FromStringAndSize.
 */
#include "objects/scalar.h"

#include <string.h>

_Static_assert(sizeof(pmi_compact) + 5 <= PMI_STR_SINGLE_SLOT, "one-char str slot too small");
_Static_assert(offsetof(pmi_bytes, ob_sval) + 2 <= PMI_BYTES_SINGLE_SLOT, "one-byte bytes slot too small");

static pm_object *str_slot(pm_runtime *rt, int i) { return (pm_object *)rt->singles.str[i]; }
static pm_object *bytes_slot(pm_runtime *rt, int i) { return (pm_object *)rt->singles.bytes[i]; }

void pmi_singletons_init(pm_runtime *rt) {
    for (int i = 0; i <= 256; i++) {
        pm_object *o = str_slot(rt, i);
        memset(o, 0, PMI_STR_SINGLE_SLOT);
        o->ob_refcnt = PM_IMMORTAL_REFCNT;
        o->ob_type = &pm_str_type;
        pmi_ascii *a = PMI_STR(o);
        a->length = i < 256;
        a->hash = -1;
        a->state.kind = 1;
        a->state.compact = 1;
        a->state.ascii = i < 0x80 || i == 256;
        a->state.ready = 1;
        if (i < 256) ((unsigned char *)pmi_str_data(o))[0] = (unsigned char)i;
        if (i >= 0x80 && i < 256) {         /* UTF-8 form inline, after char + NUL */
            pmi_compact *c = (pmi_compact *)o;
            unsigned char *u = (unsigned char *)o + sizeof(pmi_compact) + 2;
            u[0] = (unsigned char)(0xC0 | (i >> 6));
            u[1] = (unsigned char)(0x80 | (i & 0x3F));
            u[2] = 0;
            c->utf8 = (char *)u;
            c->utf8_length = 2;
        }

        pmi_bytes *b = (pmi_bytes *)bytes_slot(rt, i);
        memset(b, 0, PMI_BYTES_SINGLE_SLOT);
        b->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
        b->ob_base.ob_base.ob_type = &pm_bytes_type;
        b->ob_base.ob_size = i < 256;
        b->ob_shash = -1;
        if (i < 256) b->ob_sval[0] = (char)i;
    }
}

pm_object *pmi_str_empty(pm_runtime *rt) { return str_slot(rt, 256); }
pm_object *pmi_str_latin1(pm_runtime *rt, uint32_t c) { return str_slot(rt, (int)c); }
pm_object *pmi_bytes_empty(pm_runtime *rt) { return bytes_slot(rt, 256); }
pm_object *pmi_bytes_char(pm_runtime *rt, unsigned char c) { return bytes_slot(rt, c); }

pm_object *pmi_str_result(pm_runtime *rt, pm_object *s) {
    if (!s || s->ob_type != &pm_str_type) return s;
    pm_ssize_t n = PMI_STR(s)->length;
    if (n > 1 || (n == 1 && PMI_STR(s)->state.kind != 1)) return s;
    pm_object *single = n == 0 ? pmi_str_empty(rt)
                               : pmi_str_latin1(rt, ((const unsigned char *)pmi_str_data(s))[0]);
    pm_decref(rt, s);
    return single;
}
