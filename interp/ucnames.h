/* Unicode data the front end needs (generated into ucnames.c by
 * tools/gen_ucnames.py from python3's unicodedata). */
#ifndef PMI_UCNAMES_H
#define PMI_UCNAMES_H
#include <stddef.h>
#include <stdint.h>

/* \N{name}: 0 and *cp, or -1 if there is no such name (case-insensitive). */
int pmi_unicode_lookup(const char *name, size_t n, uint32_t *cp);
/* Identifier characters as python3's str.isidentifier sees them. */
int pmi_unicode_is_xid_start(uint32_t cp);
int pmi_unicode_is_xid_continue(uint32_t cp);
/* NFKC of one identifier character as UTF-8 (*len bytes), or NULL when it
 * is its own NFKC form. */
const char *pmi_unicode_nfkc(uint32_t cp, size_t *len);
#endif
