#!/usr/bin/env python3
"""Generate interp/ucnames.c: Unicode character names for \\N{...} escapes,
from python3's unicodedata (python3 3.11: Unicode 14.0.0).

Layout (all const):
  words     every distinct word of the names, NUL-separated, most frequent first
  names     one record per named code point, in code point order: the word
            indices (index < 95: one printable byte 0x20+index; else j =
            index-95 in two bytes, 0x80|(j>>7) then the low 7 bits as
            0x20+b for b < 0x40, 0x80+b otherwise), then 0xFF
  deltas    the code point of each record minus the previous one, as a
            little-endian base-128 varint
  aliases   Unicode's formal name aliases (NameAliases.txt of Unicode 14.0,
            listed below; python3's \\N{...} accepts them, but not named
            sequences), sorted by name for a binary search; each is checked
            against python3's unicodedata.lookup when generating
Algorithmic names (CJK UNIFIED/COMPATIBILITY IDEOGRAPH-XXXX, TANGUT
IDEOGRAPH-, KHITAN SMALL SCRIPT CHARACTER-, NUSHU CHARACTER-, HANGUL SYLLABLE
...) are computed by the C code, so they are left out.

usage: python3 tools/gen_ucnames.py interp/ucnames.c
"""
import collections, re, sys, unicodedata

ALGO = re.compile(r'(CJK UNIFIED IDEOGRAPH|CJK COMPATIBILITY IDEOGRAPH|TANGUT IDEOGRAPH|'
                  r'KHITAN SMALL SCRIPT CHARACTER|NUSHU CHARACTER)-[0-9A-F]+$')

# Unicode 14.0's formal name aliases (NameAliases.txt: code point; alias),
# except the variation selectors VS1..VS256, generated in aliases().
ALIAS_DATA = """
0000 NULL|NUL
0001 START OF HEADING|SOH
0002 START OF TEXT|STX
0003 END OF TEXT|ETX
0004 END OF TRANSMISSION|EOT
0005 ENQUIRY|ENQ
0006 ACKNOWLEDGE|ACK
0007 ALERT|BEL
0008 BACKSPACE|BS
0009 CHARACTER TABULATION|HORIZONTAL TABULATION|HT|TAB
000A LINE FEED|NEW LINE|END OF LINE|LF|NL|EOL
000B LINE TABULATION|VERTICAL TABULATION|VT
000C FORM FEED|FF
000D CARRIAGE RETURN|CR
000E SHIFT OUT|LOCKING-SHIFT ONE|SO
000F SHIFT IN|LOCKING-SHIFT ZERO|SI
0010 DATA LINK ESCAPE|DLE
0011 DEVICE CONTROL ONE|DC1
0012 DEVICE CONTROL TWO|DC2
0013 DEVICE CONTROL THREE|DC3
0014 DEVICE CONTROL FOUR|DC4
0015 NEGATIVE ACKNOWLEDGE|NAK
0016 SYNCHRONOUS IDLE|SYN
0017 END OF TRANSMISSION BLOCK|ETB
0018 CANCEL|CAN
0019 END OF MEDIUM|EOM
001A SUBSTITUTE|SUB
001B ESCAPE|ESC
001C INFORMATION SEPARATOR FOUR|FILE SEPARATOR|FS
001D INFORMATION SEPARATOR THREE|GROUP SEPARATOR|GS
001E INFORMATION SEPARATOR TWO|RECORD SEPARATOR|RS
001F INFORMATION SEPARATOR ONE|UNIT SEPARATOR|US
0020 SP
007F DELETE|DEL
0080 PADDING CHARACTER|PAD
0081 HIGH OCTET PRESET|HOP
0082 BREAK PERMITTED HERE|BPH
0083 NO BREAK HERE|NBH
0084 INDEX|IND
0085 NEXT LINE|NEL
0086 START OF SELECTED AREA|SSA
0087 END OF SELECTED AREA|ESA
0088 CHARACTER TABULATION SET|HORIZONTAL TABULATION SET|HTS
0089 CHARACTER TABULATION WITH JUSTIFICATION|HORIZONTAL TABULATION WITH JUSTIFICATION|HTJ
008A LINE TABULATION SET|VERTICAL TABULATION SET|VTS
008B PARTIAL LINE FORWARD|PARTIAL LINE DOWN|PLD
008C PARTIAL LINE BACKWARD|PARTIAL LINE UP|PLU
008D REVERSE LINE FEED|REVERSE INDEX|RI
008E SINGLE SHIFT TWO|SINGLE-SHIFT-2|SS2
008F SINGLE SHIFT THREE|SINGLE-SHIFT-3|SS3
0090 DEVICE CONTROL STRING|DCS
0091 PRIVATE USE ONE|PRIVATE USE-1|PU1
0092 PRIVATE USE TWO|PRIVATE USE-2|PU2
0093 SET TRANSMIT STATE|STS
0094 CANCEL CHARACTER|CCH
0095 MESSAGE WAITING|MW
0096 START OF GUARDED AREA|START OF PROTECTED AREA|SPA
0097 END OF GUARDED AREA|END OF PROTECTED AREA|EPA
0098 START OF STRING|SOS
0099 SINGLE GRAPHIC CHARACTER INTRODUCER|SGC
009A SINGLE CHARACTER INTRODUCER|SCI
009B CONTROL SEQUENCE INTRODUCER|CSI
009C STRING TERMINATOR|ST
009D OPERATING SYSTEM COMMAND|OSC
009E PRIVACY MESSAGE|PM
009F APPLICATION PROGRAM COMMAND|APC
00A0 NBSP
00AD SHY
01A2 LATIN CAPITAL LETTER GHA
01A3 LATIN SMALL LETTER GHA
034F CGJ
061C ALM
0709 SYRIAC SUBLINEAR COLON SKEWED LEFT
0CDE KANNADA LETTER LLLA
0E9D LAO LETTER FO FON
0E9F LAO LETTER FO FAY
0EA3 LAO LETTER RO
0EA5 LAO LETTER LO
0FD0 TIBETAN MARK BKA- SHOG GI MGO RGYAN
11EC HANGUL JONGSEONG YESIEUNG-KIYEOK
11ED HANGUL JONGSEONG YESIEUNG-SSANGKIYEOK
11EE HANGUL JONGSEONG SSANGYESIEUNG
11EF HANGUL JONGSEONG YESIEUNG-KHIEUKH
180E MVS
200B ZWSP
200C ZWNJ
200D ZWJ
200E LRM
200F RLM
202A LRE
202B RLE
202C PDF
202D LRO
202E RLO
202F NNBSP
205F MMSP
2060 WJ
2066 LRI
2067 RLI
2068 FSI
2069 PDI
2118 WEIERSTRASS ELLIPTIC FUNCTION
2448 MICR ON US SYMBOL
2449 MICR DASH SYMBOL
2B7A LEFTWARDS TRIANGLE-HEADED ARROW WITH DOUBLE VERTICAL STROKE
2B7C RIGHTWARDS TRIANGLE-HEADED ARROW WITH DOUBLE VERTICAL STROKE
A015 YI SYLLABLE ITERATION MARK
AA6E MYANMAR LETTER KHAMTI LLA
FE18 PRESENTATION FORM FOR VERTICAL RIGHT WHITE LENTICULAR BRACKET
FEFF BYTE ORDER MARK|BOM|ZWNBSP
122D4 CUNEIFORM SIGN NU11 TENU
122D5 CUNEIFORM SIGN NU11 OVER NU11 BUR OVER BUR
16E56 MEDEFAIDRIN CAPITAL LETTER H
16E57 MEDEFAIDRIN CAPITAL LETTER NG
16E76 MEDEFAIDRIN SMALL LETTER H
16E77 MEDEFAIDRIN SMALL LETTER NG
1B001 HENTAIGANA LETTER E-1
1D0C5 BYZANTINE MUSICAL SYMBOL FTHORA SKLIRON CHROMA VASIS
"""


def aliases():
    """[(alias, code point)] sorted by alias; every one checked with python3."""
    out = []
    for line in ALIAS_DATA.strip().splitlines():
        cp, names = line.split(' ', 1)
        out += [(n, int(cp, 16)) for n in names.split('|')]
    out += [('FVS%d' % (i + 1), 0x180B + i) for i in range(3)] + [('FVS4', 0x180F)]
    out += [('VS%d' % (i + 1), 0xFE00 + i) for i in range(16)]
    out += [('VS%d' % (i + 17), 0xE0100 + i) for i in range(240)]
    for n, cp in out:
        if unicodedata.lookup(n) != chr(cp) or eval('"\\N{%s}"' % n) != chr(cp):
            sys.exit('gen_ucnames.py: python3 does not map alias %s to U+%04X' % (n, cp))
    return sorted(out)


def main(out):
    names = []
    prefixed = collections.defaultdict(list)
    for cp in range(0x110000):
        n = unicodedata.name(chr(cp), None)
        if not n:
            continue
        m = ALGO.match(n)
        if m:
            prefixed[m.group(1)].append(cp)
            continue
        if n.startswith('HANGUL SYLLABLE '):
            continue
        names.append((cp, n))
    counts = collections.Counter(w for _, n in names for w in n.split(' '))
    words = [w for w, _ in counts.most_common()]
    index = {w: i for i, w in enumerate(words)}
    assert len(words) < 0x7F00
    stream = bytearray()
    deltas = bytearray()
    prev = 0
    for cp, n in names:
        for w in n.split(' '):
            i = index[w]
            if i < 95:
                stream.append(0x20 + i)  # printable: one character in C
            else:
                j = i - 95
                stream += bytes([0x80 | (j >> 7), 0x20 + (j & 0x3F) if (j & 0x7F) < 0x40 else 0x80 + (j & 0x7F)])
        stream.append(0xFF)
        d = cp - prev
        prev = cp
        while True:
            b = d & 0x7F
            d >>= 7
            if d:
                deltas.append(b | 0x80)
            else:
                deltas.append(b)
                break
    # ranges of the algorithmic names
    ranges = []
    for prefix, cps in sorted(prefixed.items()):
        start = cps[0]
        last = cps[0]
        for cp in cps[1:] + [None]:
            if cp is not None and cp == last + 1:
                last = cp
                continue
            ranges.append((prefix, start, last))
            if cp is not None:
                start = last = cp

    def cstr(data):
        out, line = [], ''
        for b in data:
            c = chr(b)
            if 32 <= b < 127 and c not in '"\\?':
                piece = c
            else:
                piece = '\\%03o' % b
            line += piece
            if len(line) > 100:
                out.append('    "%s"' % line)
                line = ''
        if line:
            out.append('    "%s"' % line)
        return '\n'.join(out)

    with open(out, 'w') as f:
        f.write('/* GENERATED by tools/gen_ucnames.py from python3 %s\'s unicodedata\n'
                ' * (Unicode %s): do not edit.\n *\n'
                ' * Unicode character names for \\N{...} escapes: %d names in %d words;\n'
                ' * see the generator for the layout.  Lookup is case-insensitive, as\n'
                ' * CPython\'s, and computes the algorithmic names (CJK ideographs,\n'
                ' * Hangul syllables and the like). */\n'
                % (sys.version.split()[0], unicodedata.unidata_version, len(names), len(words)))
        f.write('#include <stddef.h>\n#include <stdint.h>\n#include <string.h>\n#include "ucnames.h"\n\n')
        write_ident_tables(f)
        f.write('#define UCN_NWORDS %d\n#define UCN_NNAMES %d\n\n' % (len(words), len(names)))
        f.write('static const char ucn_words[] =\n%s;\n\n' % cstr(b'\0'.join(w.encode() for w in words) + b'\0'))
        f.write('static const unsigned char ucn_names[] =\n%s;\n\n' % cstr(stream))
        f.write('static const unsigned char ucn_deltas[] =\n%s;\n\n' % cstr(deltas))
        f.write('static const struct { const char *prefix; uint32_t first, last; } ucn_ranges[] = {\n')
        for prefix, a, b in ranges:
            f.write('    {"%s-", 0x%X, 0x%X},\n' % (prefix, a, b))
        f.write('};\n\n')
        al = aliases()
        f.write('/* Formal name aliases, sorted by name (strcmp order). */\n')
        f.write('static const struct { const char *name; uint32_t cp; } ucn_aliases[%d] = {\n' % len(al))
        for n, cp in al:
            f.write('    {"%s", 0x%X},\n' % (n, cp))
        f.write('};\n\n')
        f.write(C_CODE)

C_CODE = r'''static int in_ranges(const uint32_t (*r)[2], size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid][0])
            hi = mid;
        else if (cp > r[mid][1])
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

int pmi_unicode_is_xid_start(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
    return in_ranges(ucn_xid_start, sizeof ucn_xid_start / sizeof ucn_xid_start[0], cp);
}

int pmi_unicode_is_xid_continue(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_' || (cp >= '0' && cp <= '9');
    return in_ranges(ucn_xid_continue, sizeof ucn_xid_continue / sizeof ucn_xid_continue[0], cp);
}

const char *pmi_unicode_nfkc(uint32_t cp, size_t *len)
{
    size_t lo = 0, hi = sizeof ucn_nfkc / sizeof ucn_nfkc[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < ucn_nfkc[mid].cp)
            hi = mid;
        else if (cp > ucn_nfkc[mid].cp)
            lo = mid + 1;
        else {
            *len = ucn_nfkc[mid].len;
            return ucn_nfkc_text + ucn_nfkc[mid].off;
        }
    }
    return NULL;
}

static const char *const hangul_l[19] = {
    "G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T", "P", "H"};
static const char *const hangul_v[21] = {
    "A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO", "WE", "WI",
    "YU", "EU", "YI", "I"};
static const char *const hangul_t[28] = {
    "", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP", "LH", "M", "B",
    "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"};

/* Match a prefix of s against one of the table's strings, longest first. */
static int hangul_part(const char *s, size_t n, const char *const *tab, int count, size_t *used)
{
    int best = -1;
    size_t best_len = 0;
    for (int i = 0; i < count; i++) {
        size_t l = strlen(tab[i]);
        if (l <= n && memcmp(s, tab[i], l) == 0 && (best < 0 || l > best_len)) {
            best = i;
            best_len = l;
        }
    }
    *used = best_len;
    return best;
}

static int algorithmic(const char *s, size_t n, uint32_t *cp)
{
    static const char hs[] = "HANGUL SYLLABLE ";
    if (n > sizeof hs - 1 && memcmp(s, hs, sizeof hs - 1) == 0) {
        const char *q = s + sizeof hs - 1;
        size_t left = n - (sizeof hs - 1), u;
        /* try every split: L may be empty, so search V after each L */
        for (int l = 0; l < 19; l++) {
            size_t ll = strlen(hangul_l[l]);
            if (ll > left || memcmp(q, hangul_l[l], ll) != 0)
                continue;
            int v = hangul_part(q + ll, left - ll, hangul_v, 21, &u);
            for (int vv = 0; vv < 21; vv++) {
                size_t vl = strlen(hangul_v[vv]);
                if (ll + vl > left || memcmp(q + ll, hangul_v[vv], vl) != 0)
                    continue;
                size_t rest = left - ll - vl;
                for (int t = 0; t < 28; t++) {
                    if (strlen(hangul_t[t]) == rest && memcmp(q + ll + vl, hangul_t[t], rest) == 0) {
                        *cp = 0xAC00 + (uint32_t)((l * 21 + vv) * 28 + t);
                        return 0;
                    }
                }
            }
            (void)v;
        }
        return -1;
    }
    for (size_t r = 0; r < sizeof ucn_ranges / sizeof ucn_ranges[0]; r++) {
        size_t pl = strlen(ucn_ranges[r].prefix);
        if (n <= pl || memcmp(s, ucn_ranges[r].prefix, pl) != 0)
            continue;
        uint32_t v = 0;
        size_t digits = n - pl;
        if (digits < 4 || digits > 5)
            continue;
        for (size_t i = pl; i < n; i++) {
            char c = s[i];
            int h = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (h < 0)
                return -1;
            v = v * 16 + (uint32_t)h;
        }
        if (v >= ucn_ranges[r].first && v <= ucn_ranges[r].last) {
            *cp = v;
            return 0;
        }
    }
    return -1;
}

/* The index of word w[0..n) in ucn_words, or -1. */
static int word_index(const char *w, size_t n)
{
    const char *p = ucn_words;
    for (int i = 0; i < UCN_NWORDS; i++) {
        size_t l = strlen(p);
        if (l == n && memcmp(p, w, n) == 0)
            return i;
        p += l + 1;
    }
    return -1;
}

/* A formal name alias (up: the upper-cased name, NUL-terminated). */
static int alias_lookup(const char *up, uint32_t *cp)
{
    size_t lo = 0, hi = sizeof ucn_aliases / sizeof ucn_aliases[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(up, ucn_aliases[mid].name);
        if (c < 0)
            hi = mid;
        else if (c > 0)
            lo = mid + 1;
        else {
            *cp = ucn_aliases[mid].cp;
            return 0;
        }
    }
    return -1;
}

int pmi_unicode_lookup(const char *name, size_t n, uint32_t *cp)
{
    char up[256];
    int want[64];
    int nw = 0;
    if (n == 0 || n >= sizeof up)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        up[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    up[n] = '\0';
    if (algorithmic(up, n, cp) == 0 || alias_lookup(up, cp) == 0)
        return 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && up[j] != ' ')
            j++;
        if (j == i || nw == 64)
            return -1;
        int w = word_index(up + i, j - i);
        if (w < 0)
            return -1;
        want[nw++] = w;
        i = j + 1;
        if (j + 1 == n)
            return -1;   /* trailing space */
    }
    const unsigned char *s = ucn_names, *d = ucn_deltas;
    uint32_t code = 0;
    for (int rec = 0; rec < UCN_NNAMES; rec++) {
        uint32_t delta = 0;
        int shift = 0;
        for (;;) {
            unsigned char b = *d++;
            delta |= (uint32_t)(b & 0x7F) << shift;
            shift += 7;
            if (!(b & 0x80))
                break;
        }
        code += delta;
        int k = 0, match = 1;
        for (;;) {
            unsigned char b = *s++;
            if (b == 0xFF)
                break;
            int idx;
            if (b & 0x80) {
                unsigned char lo = *s++;
                int low = lo >= 0x80 ? lo - 0x80 : lo - 0x20;
                idx = 95 + (((b & 0x7F) << 7) | low);
            } else {
                idx = b - 0x20;
            }
            if (k >= nw || want[k] != idx)
                match = 0;
            k++;
        }
        if (match && k == nw) {
            *cp = code;
            return 0;
        }
    }
    return -1;
}
'''

def write_ident_tables(f):
    """XID_Start / XID_Continue ranges (non-ASCII) as python3's
    str.isidentifier sees them, and each identifier character's NFKC form
    when it differs (CPython normalizes non-ASCII identifiers with NFKC)."""
    def ranges(pred):
        out, start = [], None
        for cp in range(0x80, 0x110000):
            ok = not (0xD800 <= cp <= 0xDFFF) and pred(chr(cp))
            if ok and start is None:
                start = cp
            if not ok and start is not None:
                out.append((start, cp - 1))
                start = None
        if start is not None:
            out.append((start, 0x10FFFF))
        return out
    for name, pred in (('xid_start', lambda c: c.isidentifier()),
                       ('xid_continue', lambda c: ('a' + c).isidentifier())):
        rs = ranges(pred)
        f.write('static const uint32_t ucn_%s[%d][2] = {\n' % (name, len(rs)))
        for i in range(0, len(rs), 4):
            f.write('    ' + ' '.join('{0x%X, 0x%X},' % r for r in rs[i:i + 4]) + '\n')
        f.write('};\n\n')
    nf = []
    for cp in range(0x80, 0x110000):
        if 0xD800 <= cp <= 0xDFFF or not ('a' + chr(cp)).isidentifier():
            continue
        n = unicodedata.normalize('NFKC', chr(cp))
        if n != chr(cp):
            nf.append((cp, n.encode()))
    blob = bytearray()
    f.write('static const struct { uint32_t cp; uint16_t off, len; } ucn_nfkc[%d] = {\n' % len(nf))
    for i, (cp, b) in enumerate(nf):
        f.write('    {0x%X, %d, %d},%s' % (cp, len(blob), len(b), '\n' if i % 4 == 3 else ''))
        blob += b
    f.write('\n};\n\n')
    f.write('static const char ucn_nfkc_text[] =\n%s;\n\n' % cstr_plain(blob))

def cstr_plain(data):
    out, line = [], ''
    for b in data:
        c = chr(b)
        line += c if 32 <= b < 127 and c not in '"\\?' else '\\%03o' % b
        if len(line) > 100:
            out.append('    "%s"' % line)
            line = ''
    if line:
        out.append('    "%s"' % line)
    return '\n'.join(out)

if __name__ == '__main__':
    main(sys.argv[1])
