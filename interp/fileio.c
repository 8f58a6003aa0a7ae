/*
 * interp/fileio.c — file objects: open() and sys.stdin/stdout/stderr.
 *
 * Purpose
 *   CPython stacks three objects per text file (TextIOWrapper over a
 *   BufferedReader/Writer/Random over a FileIO).  pymm keeps one object per
 *   file that plays the outermost role, and only the behaviour a script can
 *   observe: the type names and reprs of each layer, the buffering (when
 *   bytes reach the file descriptor), newline translation, the three
 *   ASCII-compatible codecs (utf-8, latin-1, ascii) with the common error
 *   handlers, and CPython's error texts.
 *
 *     pmi_file ─ fd ──► the OS file
 *        │  buf[cap]: pending writes (wlen) or read-ahead (rpos..rlen)
 *        │  text: str <─decode/encode─> bytes, \r\n <─> \n (universal)
 *        └─ type: TextIOWrapper | BufferedReader | BufferedWriter |
 *                 BufferedRandom | FileIO (buffering=0)
 *
 * Buffering (as 3.11's io.open and create_stdio)
 *   - a binary file's buffer is `buffering` bytes, or the file's
 *     st_blksize (8192 when unknown); writes that do not fit flush what is
 *     pending, and a write as large as the buffer goes straight through;
 *   - a text file gathers encoded bytes in a chunk of 8192 (the
 *     TextIOWrapper's chunk_size) the same way; line_buffering flushes
 *     after a write holding '\n' or '\r'; write_through after every write;
 *   - sys.stdout: line-buffered on a terminal, else buffered; sys.stderr:
 *     line-buffered with errors='backslashreplace'; PYTHONUNBUFFERED (non-
 *     empty, as python3's -u) makes both write through, so each write()
 *     reaches fd 1 / 2 at once and output captured from both interleaves
 *     exactly as python3's.
 *
 * States
 *   open (fd >= 0) → closed (fd == -1).  Closing flushes.  A file whose
 *   count reaches zero is flushed and closed by its dealloc (the pending
 *   error, if any, is kept aside meanwhile).  The std streams never close
 *   their descriptors (closefd False).
 *
 * Reading text
 *   The codecs are ASCII-compatible, so line ends are found on the bytes:
 *   one scanner counts characters (UTF-8 lead bytes) and stops at a line
 *   end of the newline mode (None: \n, \r\n or \r, translated to \n; '':
 *   the same untranslated; '\n', '\r', '\r\n': only that one), then the
 *   bytes are translated and decoded.  tell() is the byte position (the
 *   opaque cookie of CPython is that position when no decoder state is
 *   pending, always the case for these codecs at a character boundary).
 *
 * Not mirrored: io.UnsupportedOperation is raised as OSError with
 * CPython's message (the library has no class with two bases yet); other
 * codecs are LookupError "unknown encoding: X".
 */
#define _POSIX_C_SOURCE 200809L
#include "builtins.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Codecs. */
enum { ENC_UTF8, ENC_LATIN1, ENC_ASCII };
/* Error handlers (ERR_UNKNOWN: LookupError when first used, as CPython). */
enum { ERR_STRICT, ERR_IGNORE, ERR_REPLACE, ERR_BACKSLASH, ERR_SURROGATEESCAPE, ERR_UNKNOWN };
/* Newline modes. */
enum { NL_UNIVERSAL, NL_UNTRANSLATED, NL_LF, NL_CR, NL_CRLF };
/* Which CPython class the object stands for. */
enum { K_TEXT, K_READER, K_WRITER, K_RANDOM, K_RAW };

#define TEXT_CHUNK 8192

typedef struct pmi_file {
    pm_object ob_base;              /* refcount + one of the five types */
    int fd;                         /* the descriptor; -1 once closed */
    int kind;                       /* K_*: the class it stands for */
    unsigned readable : 1;          /* opened for reading */
    unsigned writable : 1;          /* opened for writing */
    unsigned closefd : 1;           /* close(fd) when closed */
    unsigned line_buffering : 1;    /* text: flush after a write with \n or \r */
    unsigned write_through : 1;     /* every write reaches the fd */
    int encoding;                   /* ENC_* (text) */
    int errors;                     /* ERR_* (text) */
    int newline;                    /* NL_* (text) */
    pm_object *name;                /* owned: the name given to open (str or int) */
    char mode[8];                   /* the mode attribute ("r", "rb+", ...) */
    char encname[24];               /* the encoding attribute as given ("UTF-8") */
    char errname[24];               /* the errors attribute as given ("strict") */
    char *buf;                      /* owned (pm_malloc): the buffer, cap bytes */
    size_t cap;                     /* buffer size (0: unbuffered raw file) */
    size_t wlen;                    /* pending bytes to write (buf[0..wlen)) */
    size_t rpos, rlen;              /* read-ahead window buf[rpos..rlen) */
} pmi_file;

#define F(o) ((pmi_file *)(o))

/* A growable byte string for building results. */
typedef struct bbuf {
    char *p;                        /* owned (pm_malloc) or NULL */
    size_t len;                     /* bytes used */
    size_t cap;                     /* bytes allocated */
} bbuf;

static int bb_reserve(pm_runtime *rt, bbuf *b, size_t extra) {
    if (b->len + extra <= b->cap) return 0;
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < b->len + extra) ncap *= 2;
    char *np = pm_realloc(rt, b->p, ncap);
    if (!np) {
        pm_err_nomem(rt);
        return -1;
    }
    b->p = np;
    b->cap = ncap;
    return 0;
}

static int bb_add(pm_runtime *rt, bbuf *b, const void *p, size_t n) {
    if (n == 0) return 0;
    if (bb_reserve(rt, b, n) < 0) return -1;
    memcpy(b->p + b->len, p, n);
    b->len += n;
    return 0;
}

/* ---- errors --------------------------------------------------------------- */

/* OSError subclass for errno e with (errno, strerror[, filename]). */
static void raise_errno(pm_runtime *rt, int e, pm_object *filename) {
    const pm_type *t = &pm_exc_OSError;
    switch (e) {
    case ENOENT: t = &pm_exc_FileNotFoundError; break;
    case EEXIST: t = &pm_exc_FileExistsError; break;
    case EACCES:
    case EPERM: t = &pm_exc_PermissionError; break;
    case EISDIR: t = &pm_exc_IsADirectoryError; break;
    case ENOTDIR: t = &pm_exc_NotADirectoryError; break;
    case EPIPE: t = &pm_exc_BrokenPipeError; break;
    case EINTR: t = &pm_exc_InterruptedError; break;
    case EAGAIN: t = &pm_exc_BlockingIOError; break;
    default: break;
    }
    pm_object *no = pm_int_from_long(rt, e), *msg = pm_str_from_cstr(rt, strerror(e)), *args = NULL;
    if (no && msg)
        args = filename ? pm_tuple_pack(rt, 3, no, msg, filename) : pm_tuple_pack(rt, 2, no, msg);
    pm_object *exc = args ? pm_exc_new(rt, t, args, NULL) : NULL;
    if (exc) pm_err_restore(rt, exc);
    pm_xdecref(rt, no);
    pm_xdecref(rt, msg);
    pm_xdecref(rt, args);
}

/* io.UnsupportedOperation(msg) (raised as OSError: see the essay). */
static void *unsupported(pm_runtime *rt, const char *msg) {
    pm_object *s = pm_str_from_cstr(rt, msg);
    if (s) {
        pm_err_set_object(rt, &pm_exc_OSError, s);
        pm_decref(rt, s);
    }
    return NULL;
}

/* The closed-file ValueError; text has one message, binary several. */
static int check_open(pm_runtime *rt, pmi_file *f, const char *op) {
    if (f->fd >= 0) return 0;
    if (f->kind == K_TEXT || !op) pm_err_set(rt, PM_EXC_ValueError, "I/O operation on closed file.");
    else pm_err_format(rt, PM_EXC_ValueError, "%s", op);
    return -1;
}

/* ---- the descriptor --------------------------------------------------------- */

static int write_all(pm_runtime *rt, pmi_file *f, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(f->fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            raise_errno(rt, errno, NULL);
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Pending writes to the descriptor: 0 / -1. */
static int flush_writes(pm_runtime *rt, pmi_file *f) {
    if (f->wlen == 0) return 0;
    size_t n = f->wlen;
    f->wlen = 0;
    return write_all(rt, f, f->buf, n);
}

/* Drops the read-ahead, moving the descriptor back to the logical position. */
static int drop_readahead(pm_runtime *rt, pmi_file *f) {
    if (f->rlen > f->rpos) {
        if (lseek(f->fd, -(off_t)(f->rlen - f->rpos), SEEK_CUR) < 0) {
            raise_errno(rt, errno, NULL);
            return -1;
        }
    }
    f->rpos = f->rlen = 0;
    return 0;
}

/* Appends n bytes to the file through the buffer. */
static int buffered_write(pm_runtime *rt, pmi_file *f, const char *p, size_t n) {
    if (f->rlen > f->rpos || f->rlen) {
        if (drop_readahead(rt, f) < 0) return -1;
    }
    if (f->cap == 0) return write_all(rt, f, p, n);
    if (f->wlen + n > f->cap && flush_writes(rt, f) < 0) return -1;
    if (n >= f->cap) return write_all(rt, f, p, n);
    memcpy(f->buf + f->wlen, p, n);
    f->wlen += n;
    return 0;
}

/* Refills the read-ahead when empty: bytes available (0 at EOF), -1. */
static pm_ssize_t fill(pm_runtime *rt, pmi_file *f) {
    if (f->rpos < f->rlen) return (pm_ssize_t)(f->rlen - f->rpos);
    if (flush_writes(rt, f) < 0) return -1;
    f->rpos = f->rlen = 0;
    for (;;) {
        ssize_t r = read(f->fd, f->buf, f->cap);
        if (r < 0) {
            if (errno == EINTR) continue;
            raise_errno(rt, errno, NULL);
            return -1;
        }
        f->rlen = (size_t)r;
        return r;
    }
}

/* ---- codecs ------------------------------------------------------------------ */

static const char *enc_label(int enc) {
    return enc == ENC_UTF8 ? "utf-8" : enc == ENC_LATIN1 ? "latin-1" : "ascii";
}

/* UnicodeDecodeError(encoding, bytes, start, end, reason) or
 * UnicodeEncodeError(encoding, str, start, end, reason). */
static void raise_codec(pm_runtime *rt, const pm_type *t, int enc, pm_object *str, const char *p,
                        size_t n, size_t start, size_t end, const char *why) {
    pm_object *e = pm_str_from_cstr(rt, enc_label(enc));
    pm_object *obj = str ? pm_newref(rt, str) : pm_bytes_new(rt, p, (pm_ssize_t)n);
    pm_object *a = pm_int_from_ssize(rt, (pm_ssize_t)start), *b = pm_int_from_ssize(rt, (pm_ssize_t)end);
    pm_object *r = pm_str_from_cstr(rt, why), *args = NULL, *exc = NULL;
    if (e && obj && a && b && r) args = pm_tuple_pack(rt, 5, e, obj, a, b, r);
    if (args) exc = pm_exc_new(rt, t, args, NULL);
    if (exc) pm_err_restore(rt, exc);
    pm_xdecref(rt, e);
    pm_xdecref(rt, obj);
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    pm_xdecref(rt, r);
    pm_xdecref(rt, args);
}

static int unknown_handler(pm_runtime *rt, pmi_file *f) {
    pm_err_format(rt, PM_EXC_LookupError, "unknown error handler name '%s'", f->errname);
    return -1;
}

/* Length of the UTF-8 sequence at s[0..n) or 0 when invalid; *why names
 * the error ("invalid start byte", ...). */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp, const char **why) {
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2, v = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        *why = "invalid start byte";
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if (i >= n) {
            *why = "unexpected end of data";
            return 0;
        }
        unsigned d = s[i];
        if (d < (i == 1 ? lo : 0x80) || d > (i == 1 ? hi : 0xBF)) {
            *why = "invalid continuation byte";
            return 0;
        }
        v = v << 6 | (d & 0x3F);
    }
    *cp = v;
    return len;
}

/* Decodes n bytes to a str: NEW ref. */
static pm_object *decode(pm_runtime *rt, pmi_file *f, const char *p, size_t n) {
    const unsigned char *s = (const unsigned char *)p;
    if (f->errors == ERR_UNKNOWN) {
        unknown_handler(rt, f);
        return NULL;
    }
    /* one code point per byte at most; backslashreplace writes four per bad byte */
    size_t room = f->errors == ERR_BACKSLASH ? n * 4 + 1 : n + 1;
    uint32_t *out = pm_malloc(rt, room * sizeof(uint32_t));
    if (!out) return pm_err_nomem(rt);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = s[i];
        size_t len = 1;
        const char *why = "ordinal not in range(128)";
        int bad = 0;
        if (f->encoding == ENC_UTF8) {
            len = utf8_seq(s + i, n - i, &cp, &why);
            bad = len == 0;
        } else if (f->encoding == ENC_ASCII) {
            bad = cp >= 0x80;
        }
        if (!bad) {
            out[o++] = cp;
            i += len;
            continue;
        }
        switch (f->errors) {
        case ERR_IGNORE: break;
        case ERR_REPLACE: out[o++] = 0xFFFD; break;
        case ERR_SURROGATEESCAPE: out[o++] = 0xDC00 + s[i]; break;
        case ERR_BACKSLASH: {
            static const char hex[] = "0123456789abcdef";
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = (uint32_t)hex[s[i] >> 4];
            out[o++] = (uint32_t)hex[s[i] & 15];
            break;
        }
        default:
            raise_codec(rt, &pm_exc_UnicodeDecodeError, f->encoding, NULL, p, n, i, i + 1, why);
            pm_free(rt, out);
            return NULL;
        }
        /* a bad UTF-8 sequence is skipped one byte at a time, as CPython */
        i += 1;
    }
    pm_object *r = pm_str_from_ucs4(rt, out, (pm_ssize_t)o);
    pm_free(rt, out);
    return r;
}

/* Encodes str s for f into b (with the write-side newline translation). */
static int encode(pm_runtime *rt, pmi_file *f, pm_object *s, bbuf *b) {
    const char *nl = f->newline == NL_CR ? "\r" : f->newline == NL_CRLF ? "\r\n" : NULL;
    /* UTF-8 encodes everything but lone surrogates; the others stop at limit */
    uint32_t limit = f->encoding == ENC_UTF8 ? 0x110000 : f->encoding == ENC_LATIN1 ? 0x100 : 0x80;
    pm_ssize_t n = pm_str_length(s);
    if (bb_reserve(rt, b, (size_t)n) < 0) return -1;
    for (pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = pm_str_read_char(s, i);
        char ch = (char)c;
        int rc = 0;
        int bad = c >= limit || (f->encoding == ENC_UTF8 && c >= 0xD800 && c <= 0xDFFF);
        if (c == '\n' && nl) rc = bb_add(rt, b, nl, strlen(nl));
        else if (!bad && c >= 0x80 && f->encoding == ENC_UTF8) {
            char u[4];
            size_t k;
            if (c < 0x800) u[0] = (char)(0xC0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3F)), k = 2;
            else if (c < 0x10000)
                u[0] = (char)(0xE0 | c >> 12), u[1] = (char)(0x80 | (c >> 6 & 0x3F)),
                u[2] = (char)(0x80 | (c & 0x3F)), k = 3;
            else
                u[0] = (char)(0xF0 | c >> 18), u[1] = (char)(0x80 | (c >> 12 & 0x3F)),
                u[2] = (char)(0x80 | (c >> 6 & 0x3F)), u[3] = (char)(0x80 | (c & 0x3F)), k = 4;
            rc = bb_add(rt, b, u, k);
        } else if (!bad) rc = bb_add(rt, b, &ch, 1);
        else if (f->errors == ERR_SURROGATEESCAPE && c >= 0xDC80 && c <= 0xDCFF) {
            ch = (char)(c - 0xDC00);
            rc = bb_add(rt, b, &ch, 1);
        }
        else if (f->errors == ERR_IGNORE) rc = 0;
        else if (f->errors == ERR_REPLACE) rc = bb_add(rt, b, "?", 1);
        else if (f->errors == ERR_BACKSLASH) {
            char esc[12];
            int k = c < 0x100 ? snprintf(esc, sizeof esc, "\\x%02x", (unsigned)c)
                    : c < 0x10000 ? snprintf(esc, sizeof esc, "\\u%04x", (unsigned)c)
                                  : snprintf(esc, sizeof esc, "\\U%08x", (unsigned)c);
            rc = bb_add(rt, b, esc, (size_t)k);
        } else if (f->errors == ERR_UNKNOWN) {
            return unknown_handler(rt, f);
        } else {
            raise_codec(rt, &pm_exc_UnicodeEncodeError, f->encoding, s, NULL, 0, (size_t)i,
                        (size_t)i + 1, limit == 0x100   ? "ordinal not in range(256)"
                                       : limit == 0x80 ? "ordinal not in range(128)"
                                                       : "surrogates not allowed");
            return -1;
        }
        if (rc < 0) return -1;
    }
    return 0;
}

/* ---- text reading -------------------------------------------------------- */

/* Reads up to `limit` characters (< 0: no limit), stopping after a line
 * end when `line`; returns the str (translated and decoded): NEW ref. */
static pm_object *text_read(pm_runtime *rt, pmi_file *f, pm_ssize_t limit, int line) {
    bbuf b = {NULL, 0, 0};
    pm_ssize_t count = 0;
    int prev_cr = 0;
    for (;;) {
        pm_ssize_t avail = fill(rt, f);
        if (avail < 0) goto fail;
        if (avail == 0) break;
        if (limit < 0 && !line) {   /* read(): whole chunks; translated below */
            if (bb_add(rt, &b, f->buf + f->rpos, (size_t)avail) < 0) goto fail;
            f->rpos = f->rlen;
            continue;
        }
        unsigned char c = (unsigned char)f->buf[f->rpos];
        int lead = (c & 0xC0) != 0x80;
        if (prev_cr && c == '\n' && f->newline != NL_CR && f->newline != NL_LF) {
            if (f->newline != NL_UNIVERSAL) {
                if (count == limit) break;
                count++;
            }
            if (bb_add(rt, &b, &c, 1) < 0) goto fail;
            f->rpos++;
            prev_cr = 0;
            if (line) break;
            continue;
        }
        if (prev_cr && line && (f->newline == NL_UNIVERSAL || f->newline == NL_UNTRANSLATED)) break;
        if (lead) {
            if (count == limit) break;
            count++;
        }
        if (bb_add(rt, &b, &c, 1) < 0) goto fail;
        f->rpos++;
        prev_cr = c == '\r';
        if (line && ((c == '\n' && f->newline != NL_CR && f->newline != NL_CRLF) ||
                     (c == '\r' && f->newline == NL_CR)))
            break;
    }
    if (f->newline == NL_UNIVERSAL) {   /* \r\n and \r become \n */
        size_t o = 0;
        for (size_t i = 0; i < b.len; i++) {
            if (b.p[i] == '\r') {
                b.p[o++] = '\n';
                if (i + 1 < b.len && b.p[i + 1] == '\n') i++;
            } else {
                b.p[o++] = b.p[i];
            }
        }
        b.len = o;
    }
    pm_object *r = decode(rt, f, b.p ? b.p : "", b.len);
    pm_free(rt, b.p);
    return r;
fail:
    pm_free(rt, b.p);
    return NULL;
}

/* Binary: up to n bytes (< 0: all), or one line when `line`: NEW bytes. */
static pm_object *bin_read(pm_runtime *rt, pmi_file *f, pm_ssize_t n, int line) {
    bbuf b = {NULL, 0, 0};
    while (n < 0 || (pm_ssize_t)b.len < n) {
        if (f->cap == 0 && !line) {  /* raw file: read straight */
            size_t want = n < 0 ? 8192 : (size_t)n - b.len;
            if (bb_reserve(rt, &b, want) < 0) goto fail;
            ssize_t r = read(f->fd, b.p + b.len, want);
            if (r < 0) {
                if (errno == EINTR) continue;
                raise_errno(rt, errno, NULL);
                goto fail;
            }
            if (r == 0) break;
            b.len += (size_t)r;
            if (n >= 0) break;  /* FileIO.read(n) makes one system call */
            continue;
        }
        pm_ssize_t avail = f->cap ? fill(rt, f) : -2;
        if (avail == -2) {  /* raw readline: a byte at a time */
            char c;
            ssize_t r = read(f->fd, &c, 1);
            if (r < 0) {
                raise_errno(rt, errno, NULL);
                goto fail;
            }
            if (r == 0) break;
            if (bb_add(rt, &b, &c, 1) < 0) goto fail;
            if (c == '\n') break;
            continue;
        }
        if (avail < 0) goto fail;
        if (avail == 0) break;
        size_t take = (size_t)avail;
        if (n >= 0 && take > (size_t)n - b.len) take = (size_t)n - b.len;
        int done = 0;
        if (line) {
            const char *nlp = memchr(f->buf + f->rpos, '\n', take);
            if (nlp) {
                take = (size_t)(nlp - (f->buf + f->rpos)) + 1;
                done = 1;
            }
        }
        if (bb_add(rt, &b, f->buf + f->rpos, take) < 0) goto fail;
        f->rpos += take;
        if (done) break;
    }
    pm_object *r = pm_bytes_new(rt, b.p, (pm_ssize_t)b.len);
    pm_free(rt, b.p);
    return r;
fail:
    pm_free(rt, b.p);
    return NULL;
}

/* ---- methods -------------------------------------------------------------- */

static int need_read(pm_runtime *rt, pmi_file *f) {
    if (f->readable) return 0;
    if (f->kind == K_TEXT) unsupported(rt, "not readable");
    else unsupported(rt, "read");
    return -1;
}

static int need_write(pm_runtime *rt, pmi_file *f) {
    if (f->writable) return 0;
    if (f->kind == K_TEXT) unsupported(rt, "not writable");
    else unsupported(rt, "write");
    return -1;
}

/* An optional size argument (absent: -1).  allow_none: None is -1 too and
 * other types get "argument should be integer or None" (CPython's
 * _Py_convert_optional_to_ssize_t); else the plain index conversion. */
static int size_arg(pm_runtime *rt, const char *fname, pm_object *const *args, pm_ssize_t nargs,
                    pm_ssize_t *n, int allow_none) {
    *n = -1;
    if (nargs > 1) {
        pm_err_format(rt, PM_EXC_TypeError, "%s expected at most 1 argument, got %zd", fname, nargs);
        return -1;
    }
    if (nargs == 0 || (allow_none && args[0] == PM_NONE)) return 0;
    if (allow_none && !pm_int_check(args[0]) && !(pm_type_of(args[0])->as_number &&
                                                 pm_type_of(args[0])->as_number->nb_index)) {
        pm_err_format(rt, PM_EXC_TypeError, "argument should be integer or None, not '%s'",
                      pm_type_name(pm_type_of(args[0])));
        return -1;
    }
    *n = pm_index_as_ssize(rt, args[0], PM_INDEX_OVERFLOWERROR);
    return *n == -1 && pm_err_occurred(rt) ? -1 : 0;
}

static pm_object *m_read(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    pmi_file *f = F(self);
    pm_ssize_t n;
    if (check_open(rt, f, "read of closed file") < 0 || need_read(rt, f) < 0 ||
        size_arg(rt, "read", args, nargs, &n, 1) < 0)
        return NULL;
    if (n < 0) n = -1;
    if (f->kind == K_TEXT) {
        if (flush_writes(rt, f) < 0) return NULL;
        return text_read(rt, f, n, 0);
    }
    return bin_read(rt, f, n, 0);
}

static pm_object *m_readline(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    pmi_file *f = F(self);
    pm_ssize_t n;
    if (check_open(rt, f, "readline of closed file") < 0 || need_read(rt, f) < 0 ||
        size_arg(rt, "readline", args, nargs, &n, f->kind != K_TEXT) < 0)
        return NULL;
    if (n < 0) n = -1;
    return f->kind == K_TEXT ? text_read(rt, f, n, 1) : bin_read(rt, f, n, 1);
}

static pm_object *next_line(pm_runtime *rt, pmi_file *f) {
    return f->kind == K_TEXT ? text_read(rt, f, -1, 1) : bin_read(rt, f, -1, 1);
}

static int line_empty(pm_object *l) {
    return pm_str_check(l) ? pm_str_length(l) == 0 : pm_bytes_size(l) == 0;
}

static pm_object *m_readlines(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    pmi_file *f = F(self);
    pm_ssize_t hint;
    if (check_open(rt, f, NULL) < 0 || size_arg(rt, "readlines", args, nargs, &hint, 1) < 0 ||
        need_read(rt, f) < 0)
        return NULL;
    pm_object *list = pm_list_new(rt);
    pm_ssize_t total = 0;
    while (list) {
        pm_object *l = next_line(rt, f);
        if (!l) {
            PM_CLEAR(rt, list);
            break;
        }
        if (line_empty(l)) {
            pm_decref(rt, l);
            break;
        }
        total += pm_str_check(l) ? pm_str_length(l) : pm_bytes_size(l);
        int rc = pm_list_append(rt, list, l);
        pm_decref(rt, l);
        if (rc < 0) PM_CLEAR(rt, list);
        else if (hint > 0 && total >= hint) break;
    }
    return list;
}

/* Writes a str to a text file (the shared path of write and print). */
/* Encoded bytes of a text write into the buffer, then the flush the
 * stream's mode asks for. */
static int text_put(pm_runtime *rt, pmi_file *f, const char *p, size_t n) {
    if (n == 0) return 0;
    int flush_now = f->write_through;
    if (f->line_buffering && (memchr(p, '\n', n) || memchr(p, '\r', n))) flush_now = 1;
    if (buffered_write(rt, f, p, n) < 0) return -1;
    return flush_now ? flush_writes(rt, f) : 0;
}

static int text_write(pm_runtime *rt, pmi_file *f, pm_object *s) {
    if (f->encoding == ENC_UTF8 && f->newline != NL_CR && f->newline != NL_CRLF) {
        /* the common case (print to sys.stdout): no copy */
        pm_ssize_t n;
        const char *u = pm_str_as_utf8(rt, s, &n);
        if (u) return text_put(rt, f, u, (size_t)n);
        if (pm_err_matches(rt, PM_EXC_MemoryError)) return -1;
        pm_err_clear(rt);   /* lone surrogates: the error handler decides below */
    }
    bbuf b = {NULL, 0, 0};
    int rc = encode(rt, f, s, &b);
    if (rc == 0) rc = text_put(rt, f, b.p, b.len);
    pm_free(rt, b.p);
    return rc;
}

static pm_object *m_write(pm_runtime *rt, pm_object *self, pm_object *arg) {
    pmi_file *f = F(self);
    if (f->kind == K_TEXT) {
        if (!pm_str_check(arg)) {
            pm_err_format(rt, PM_EXC_TypeError, "write() argument must be str, not %s",
                          pm_type_name(pm_type_of(arg)));
            return NULL;
        }
        if (check_open(rt, f, NULL) < 0 || need_write(rt, f) < 0 || text_write(rt, f, arg) < 0)
            return NULL;
        return pm_int_from_ssize(rt, pm_str_length(arg));
    }
    if (!f->writable) return unsupported(rt, "write");
    pm_buffer view;
    if (pm_object_getbuffer(rt, arg, &view, PM_BUF_SIMPLE) < 0) {
        pm_err_clear(rt);
        pm_err_format(rt, PM_EXC_TypeError, "a bytes-like object is required, not '%s'",
                      pm_type_name(pm_type_of(arg)));
        return NULL;
    }
    int rc = check_open(rt, f, "write to closed file");
    if (rc == 0) rc = buffered_write(rt, f, view.buf, (size_t)view.len);
    pm_ssize_t n = view.len;
    pm_buffer_release(rt, &view);
    return rc < 0 ? NULL : pm_int_from_ssize(rt, n);
}

static pm_object *m_writelines(pm_runtime *rt, pm_object *self, pm_object *arg) {
    if (check_open(rt, F(self), NULL) < 0) return NULL;
    pm_object *it = pm_iter(rt, arg);
    if (!it) return NULL;
    for (;;) {
        pm_object *v = pm_iter_next(rt, it);
        if (!v) break;
        pm_object *r = m_write(rt, self, v);
        pm_decref(rt, v);
        if (!r) break;
        pm_decref(rt, r);
    }
    pm_decref(rt, it);
    return pm_err_occurred(rt) ? NULL : PM_NONE;
}

static pm_object *m_flush(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pmi_file *f = F(self);
    if (check_open(rt, f, f->kind == K_READER ? NULL : "flush of closed file") < 0) return NULL;
    return flush_writes(rt, f) < 0 ? NULL : PM_NONE;
}

/* Closes f: flushes, then closes the descriptor (0 / -1, closed either way). */
static int file_close(pm_runtime *rt, pmi_file *f) {
    if (f->fd < 0) return 0;
    int rc = flush_writes(rt, f);
    if (f->closefd && close(f->fd) < 0 && rc == 0) {
        raise_errno(rt, errno, NULL);
        rc = -1;
    }
    f->fd = -1;
    f->rpos = f->rlen = 0;
    return rc;
}

static pm_object *m_close(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return file_close(rt, F(self)) < 0 ? NULL : PM_NONE;
}

/* The logical position: 0.. or -1. */
static pm_ssize_t position(pm_runtime *rt, pmi_file *f) {
    if (flush_writes(rt, f) < 0) return -1;
    off_t p = lseek(f->fd, 0, SEEK_CUR);
    if (p < 0) {
        raise_errno(rt, errno, NULL);
        return -1;
    }
    return (pm_ssize_t)p - (pm_ssize_t)(f->rlen - f->rpos);
}

static pm_object *m_tell(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pmi_file *f = F(self);
    if (check_open(rt, f, NULL) < 0) return NULL;
    pm_ssize_t p = position(rt, f);
    return p < 0 ? NULL : pm_int_from_ssize(rt, p);
}

static pm_object *m_seek(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    pmi_file *f = F(self);
    if (nargs < 1 || nargs > 2) {
        pm_err_format(rt, PM_EXC_TypeError, "seek expected %s argument%s, got %zd",
                      nargs < 1 ? "at least 1" : "at most 2", nargs < 1 ? "" : "s", nargs);
        return NULL;
    }
    if (check_open(rt, f, "seek of closed file") < 0) return NULL;
    pm_ssize_t off = pm_index_as_ssize(rt, args[0], PM_INDEX_OVERFLOWERROR);
    if (off == -1 && pm_err_occurred(rt)) return NULL;
    pm_ssize_t whence = 0;
    if (nargs == 2) {
        whence = pm_index_as_ssize(rt, args[1], PM_INDEX_OVERFLOWERROR);
        if (whence == -1 && pm_err_occurred(rt)) return NULL;
    }
    if (whence < 0 || whence > 2) {
        if (f->kind == K_TEXT)
            pm_err_format(rt, PM_EXC_ValueError, "invalid whence (%zd, should be 0, 1 or 2)", whence);
        else
            pm_err_format(rt, PM_EXC_ValueError, "whence value %zd unsupported", whence);
        return NULL;
    }
    if (f->kind == K_TEXT) {
        if (whence == 1 && off != 0) return unsupported(rt, "can't do nonzero cur-relative seeks");
        if (whence == 2 && off != 0) return unsupported(rt, "can't do nonzero end-relative seeks");
        if (whence == 0 && off < 0) {
            pm_err_format(rt, PM_EXC_ValueError, "negative seek position %zd", off);
            return NULL;
        }
    }
    if (flush_writes(rt, f) < 0) return NULL;
    if (whence == 1) off -= (pm_ssize_t)(f->rlen - f->rpos);
    f->rpos = f->rlen = 0;
    off_t p = lseek(f->fd, (off_t)off, (int)whence);
    if (p < 0) {
        raise_errno(rt, errno, NULL);
        return NULL;
    }
    return pm_int_from_ssize(rt, (pm_ssize_t)p);
}

static pm_object *m_truncate(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    pmi_file *f = F(self);
    if (check_open(rt, f, "truncate of closed file") < 0) return NULL;
    if (!f->writable) return unsupported(rt, "truncate");
    pm_ssize_t size;
    if (size_arg(rt, "truncate", args, nargs, &size, 1) < 0) return NULL;
    if (size < 0) {
        size = position(rt, f);
        if (size < 0) return NULL;
    }
    if (flush_writes(rt, f) < 0 || drop_readahead(rt, f) < 0) return NULL;
    if (ftruncate(f->fd, (off_t)size) < 0) {
        raise_errno(rt, errno, NULL);
        return NULL;
    }
    return pm_int_from_ssize(rt, size);
}

static pm_object *m_fileno(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    if (F(self)->fd < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "I/O operation on closed file");
        return NULL;
    }
    return pm_int_from_long(rt, F(self)->fd);
}

static pm_object *flag_query(pm_runtime *rt, pmi_file *f, int v) {
    if (f->fd < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "I/O operation on closed file");
        return NULL;
    }
    return pm_bool_from(v);
}

static pm_object *m_readable(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return flag_query(rt, F(self), F(self)->readable);
}

static pm_object *m_writable(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    return flag_query(rt, F(self), F(self)->writable);
}

static pm_object *m_seekable(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pmi_file *f = F(self);
    return flag_query(rt, f, f->fd >= 0 && lseek(f->fd, 0, SEEK_CUR) >= 0);
}

static pm_object *m_isatty(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    pmi_file *f = F(self);
    return flag_query(rt, f, f->fd >= 0 && isatty(f->fd));
}

static pm_object *m_enter(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)unused;
    if (check_open(rt, F(self), NULL) < 0) return NULL;
    return pm_newref(rt, self);
}

static pm_object *m_exit(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)args;
    (void)nargs;
    return file_close(rt, F(self)) < 0 ? NULL : PM_NONE;
}

static pm_object *file_iter(pm_runtime *rt, pm_object *self) {
    if (check_open(rt, F(self), NULL) < 0) return NULL;
    return pm_newref(rt, self);
}

static pm_object *file_iternext(pm_runtime *rt, pm_object *self) {
    pmi_file *f = F(self);
    if (check_open(rt, f, NULL) < 0 || need_read(rt, f) < 0) return NULL;
    pm_object *l = next_line(rt, f);
    if (l && line_empty(l)) PM_CLEAR(rt, l);
    return l;
}

/* ---- attributes, repr, lifetime ------------------------------------------ */

static pm_object *get_name(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    return pm_newref(rt, F(self)->name);
}

static pm_object *get_mode(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    return pm_str_from_cstr(rt, F(self)->mode);
}

static pm_object *get_closed(pm_runtime *rt, pm_object *self, void *c) {
    (void)rt;
    (void)c;
    return pm_bool_from(F(self)->fd < 0);
}

static pm_object *get_encoding(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    return pm_str_from_cstr(rt, F(self)->encname);
}

static pm_object *get_errors(pm_runtime *rt, pm_object *self, void *c) {
    (void)c;
    return pm_str_from_cstr(rt, F(self)->errname);
}

static pm_object *get_line_buffering(pm_runtime *rt, pm_object *self, void *c) {
    (void)rt;
    (void)c;
    return pm_bool_from(F(self)->line_buffering);
}

static pm_object *get_write_through(pm_runtime *rt, pm_object *self, void *c) {
    (void)rt;
    (void)c;
    return pm_bool_from(F(self)->write_through);
}

static const pm_getset_def text_getset[] = {
    {"name", get_name, NULL, NULL, NULL},
    {"mode", get_mode, NULL, NULL, NULL},
    {"closed", get_closed, NULL, NULL, NULL},
    {"encoding", get_encoding, NULL, NULL, NULL},
    {"errors", get_errors, NULL, NULL, NULL},
    {"line_buffering", get_line_buffering, NULL, NULL, NULL},
    {"write_through", get_write_through, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const pm_getset_def bin_getset[] = {
    {"name", get_name, NULL, NULL, NULL},
    {"mode", get_mode, NULL, NULL, NULL},
    {"closed", get_closed, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

#define FAST(fn) ((pm_cfunction)(void (*)(void))(fn))
static const pm_method_def file_methods[] = {
    {"read", FAST(m_read), PM_METH_FASTCALL, NULL},
    {"readline", FAST(m_readline), PM_METH_FASTCALL, NULL},
    {"readlines", FAST(m_readlines), PM_METH_FASTCALL, NULL},
    {"write", m_write, PM_METH_O, NULL},
    {"writelines", m_writelines, PM_METH_O, NULL},
    {"flush", m_flush, PM_METH_NOARGS, NULL},
    {"close", m_close, PM_METH_NOARGS, NULL},
    {"tell", m_tell, PM_METH_NOARGS, NULL},
    {"seek", FAST(m_seek), PM_METH_FASTCALL, NULL},
    {"truncate", FAST(m_truncate), PM_METH_FASTCALL, NULL},
    {"fileno", m_fileno, PM_METH_NOARGS, NULL},
    {"readable", m_readable, PM_METH_NOARGS, NULL},
    {"writable", m_writable, PM_METH_NOARGS, NULL},
    {"seekable", m_seekable, PM_METH_NOARGS, NULL},
    {"isatty", m_isatty, PM_METH_NOARGS, NULL},
    {"__enter__", m_enter, PM_METH_NOARGS, NULL},
    {"__exit__", FAST(m_exit), PM_METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static pm_object *file_repr(pm_runtime *rt, pm_object *self) {
    pmi_file *f = F(self);
    pm_object *n = pm_repr(rt, f->name);
    if (!n) return NULL;
    const char *ns = pm_str_as_utf8(rt, n, NULL);
    pm_object *r = NULL;
    if (ns) {
        const char *tn = pm_type_of(self)->name;
        if (f->kind == K_TEXT)
            r = pm_str_from_format(rt, "<%s name=%s mode='%s' encoding='%s'>", tn, ns, f->mode, f->encname);
        else if (f->kind == K_RAW)
            r = pm_str_from_format(rt, "<%s name=%s mode='%s' closefd=%s>", tn, ns, f->mode,
                                   f->closefd ? "True" : "False");
        else
            r = pm_str_from_format(rt, "<%s name=%s>", tn, ns);
    }
    pm_decref(rt, n);
    return r;
}

static void file_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_file *f = F(self);
    if (f->fd >= 0) {
        pm_object *pending = pm_err_occurred(rt) ? pm_err_fetch(rt) : NULL;
        if (file_close(rt, f) < 0) pm_err_clear(rt);
        if (pending) pm_err_restore(rt, pending);
    }
    pm_xdecref(rt, f->name);
    pm_free(rt, f->buf);
    pm_free(rt, self);
}

#define FILE_TYPE(var, tname, gs)                                                  \
    static const pm_type var = {                                                   \
        .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},                            \
        .name = tname,                                                             \
        .basicsize = sizeof(pmi_file),                                             \
        .flags = PM_TPFLAGS_STATIC,                                                \
        .base = &pm_object_type,                                                   \
        .dealloc = file_dealloc,                                                   \
        .repr = file_repr,                                                         \
        .iter = file_iter,                                                         \
        .iternext = file_iternext,                                                 \
        .methods = file_methods,                                                   \
        .getset = gs,                                                              \
    }
FILE_TYPE(text_type, "_io.TextIOWrapper", text_getset);
FILE_TYPE(reader_type, "_io.BufferedReader", bin_getset);
FILE_TYPE(writer_type, "_io.BufferedWriter", bin_getset);
FILE_TYPE(random_type, "_io.BufferedRandom", bin_getset);
FILE_TYPE(raw_type, "_io.FileIO", bin_getset);

static int is_file(const pm_object *o) {
    const pm_type *t = pm_type_of(o);
    return t == &text_type || t == &reader_type || t == &writer_type || t == &random_type ||
           t == &raw_type;
}

/* A new file object over fd (taken: closed on failure when closefd). */
static pmi_file *file_new(pm_runtime *rt, int kind, int fd, int closefd, pm_object *name, size_t cap) {
    static const pm_type *const types[] = {&text_type, &reader_type, &writer_type, &random_type,
                                           &raw_type};
    pmi_file *f = pm_calloc(rt, 1, sizeof *f);
    char *buf = cap ? pm_malloc(rt, cap) : NULL;
    if (!f || (cap && !buf)) {
        pm_free(rt, f);
        pm_free(rt, buf);
        if (closefd) close(fd);
        return pm_err_nomem(rt);
    }
    f->ob_base.ob_refcnt = 1;
    f->ob_base.ob_type = types[kind];
    f->fd = fd;
    f->kind = kind;
    f->closefd = closefd != 0;
    f->name = pm_newref(rt, name);
    f->buf = buf;
    f->cap = cap;
    f->encoding = ENC_UTF8;
    f->errors = ERR_STRICT;
    f->newline = NL_UNIVERSAL;
    strcpy(f->encname, "UTF-8");
    strcpy(f->errname, "strict");
    return f;
}

/* ---- open() ------------------------------------------------------------------ */

/* Encoding name → ENC_*, or -1. */
static int lookup_encoding(const char *name) {
    char norm[24];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof norm; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c == '-' || c == ' ') c = '_';
        norm[n++] = c;
    }
    norm[n] = 0;
    if (strlen(name) >= sizeof norm - 1) return -1;
    static const char *const utf8[] = {"utf_8", "utf8", "u8", "utf", "cp65001", NULL};
    static const char *const latin1[] = {"latin_1", "latin1", "iso_8859_1", "iso8859_1", "8859",
                                         "cp819", "latin", "l1", "iso_ir_100", NULL};
    static const char *const ascii[] = {"ascii", "us_ascii", "646", "us", NULL};
    for (int i = 0; utf8[i]; i++)
        if (!strcmp(norm, utf8[i])) return ENC_UTF8;
    for (int i = 0; latin1[i]; i++)
        if (!strcmp(norm, latin1[i])) return ENC_LATIN1;
    for (int i = 0; ascii[i]; i++)
        if (!strcmp(norm, ascii[i])) return ENC_ASCII;
    return -1;
}

static int lookup_errors(const char *name) {
    static const char *const names[] = {"strict", "ignore", "replace", "backslashreplace",
                                        "surrogateescape", NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(name, names[i])) return i;
    return ERR_UNKNOWN;
}

/* A str-or-None argument's text (NULL for None/absent); -1 on a bad type. */
static int opt_str(pm_runtime *rt, const char *what, pm_object *o, const char **out) {
    *out = NULL;
    if (!o || o == PM_NONE) return 0;
    if (!pm_str_check(o)) {
        pm_err_format(rt, PM_EXC_TypeError, "open() argument '%s' must be str or None, not %s", what,
                      pm_type_name(pm_type_of(o)));
        return -1;
    }
    *out = pm_str_as_utf8(rt, o, NULL);
    return *out ? 0 : -1;
}

pm_object *pmi_builtin_open(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs,
                            pm_object *kwnames) {
    static const char *const names[] = {"file", "mode", "buffering", "encoding", "errors",
                                        "newline", "closefd", "opener", NULL};
    pm_object *a[8];
    if (!pmi_bi_parse(rt, "open", names, 0, 8, 1, args, nargs, kwnames, a)) return NULL;
    pm_object *file = a[0];
    const char *mode = "r";
    if (a[1]) {
        if (!pm_str_check(a[1])) {
            pm_err_format(rt, PM_EXC_TypeError, "open() argument 'mode' must be str, not %s",
                          pm_type_name(pm_type_of(a[1])));
            return NULL;
        }
        mode = pm_str_as_utf8(rt, a[1], NULL);
        if (!mode) return NULL;
    }
    pm_ssize_t buffering = -1;
    if (a[2]) {
        buffering = pm_index_as_ssize(rt, a[2], PM_INDEX_OVERFLOWERROR);
        if (buffering == -1 && pm_err_occurred(rt)) return NULL;
    }
    const char *encoding, *errors, *newline;
    if (opt_str(rt, "encoding", a[3], &encoding) < 0 || opt_str(rt, "errors", a[4], &errors) < 0 ||
        opt_str(rt, "newline", a[5], &newline) < 0)
        return NULL;
    int closefd = 1;
    if (a[6]) {
        closefd = pm_is_true(rt, a[6]);
        if (closefd < 0) return NULL;
    }
    if (a[7] && a[7] != PM_NONE) {
        pm_err_set(rt, PM_EXC_NotImplementedError, "pymm: open(opener=) is not supported");
        return NULL;
    }
    /* the mode letters */
    int creating = 0, reading = 0, writing = 0, appending = 0, updating = 0, text = 0, binary = 0;
    for (const char *p = mode; *p; p++) {
        int *flag = NULL;
        switch (*p) {
        case 'x': flag = &creating; break;
        case 'r': flag = &reading; break;
        case 'w': flag = &writing; break;
        case 'a': flag = &appending; break;
        case '+': flag = &updating; break;
        case 't': flag = &text; break;
        case 'b': flag = &binary; break;
        default: break;
        }
        if (!flag || *flag) {
            pm_err_format(rt, PM_EXC_ValueError, "invalid mode: '%s'", mode);
            return NULL;
        }
        *flag = 1;
    }
    if (text && binary) {
        pm_err_set(rt, PM_EXC_ValueError, "can't have text and binary mode at once");
        return NULL;
    }
    if (creating + reading + writing + appending > 1) {
        pm_err_set(rt, PM_EXC_ValueError, "must have exactly one of create/read/write/append mode");
        return NULL;
    }
    if (creating + reading + writing + appending == 0) {  /* FileIO's own check */
        pm_err_set(rt, PM_EXC_ValueError,
                   "Must have exactly one of create/read/write/append mode and at most one plus");
        return NULL;
    }
    if (binary && encoding) {
        pm_err_set(rt, PM_EXC_ValueError, "binary mode doesn't take an encoding argument");
        return NULL;
    }
    if (binary && errors) {
        pm_err_set(rt, PM_EXC_ValueError, "binary mode doesn't take an errors argument");
        return NULL;
    }
    if (binary && newline) {
        pm_err_set(rt, PM_EXC_ValueError, "binary mode doesn't take a newline argument");
        return NULL;
    }
    int nlmode = NL_UNIVERSAL;
    if (newline) {
        if (!strcmp(newline, "")) nlmode = NL_UNTRANSLATED;
        else if (!strcmp(newline, "\n")) nlmode = NL_LF;
        else if (!strcmp(newline, "\r")) nlmode = NL_CR;
        else if (!strcmp(newline, "\r\n")) nlmode = NL_CRLF;
        else {
            pm_err_format(rt, PM_EXC_ValueError, "illegal newline value: %s", newline);
            return NULL;
        }
    }
    int enc = ENC_UTF8;
    if (encoding && (enc = lookup_encoding(encoding)) < 0) {
        pm_err_format(rt, PM_EXC_LookupError, "unknown encoding: %s", encoding);
        return NULL;
    }
    /* the descriptor */
    int fd;
    int readable = reading || updating, writable = writing || appending || creating || updating;
    if (pm_int_check(file)) {
        long v = pm_int_as_long(rt, file);
        if (v == -1 && pm_err_occurred(rt)) return NULL;
        if (v < 0) {
            pm_err_set(rt, PM_EXC_ValueError, "negative file descriptor");
            return NULL;
        }
        fd = (int)v;
    } else if (pm_str_check(file) || pm_bytes_check(file)) {
        if (!closefd) {
            pm_err_set(rt, PM_EXC_ValueError, "Cannot use closefd=False with file name");
            return NULL;
        }
        const char *path = pm_str_check(file) ? pm_str_as_utf8(rt, file, NULL) : pm_bytes_data(file);
        if (!path) return NULL;
        int flags = readable && writable ? O_RDWR : readable ? O_RDONLY : O_WRONLY;
        if (writing) flags |= O_CREAT | O_TRUNC;
        if (appending) flags |= O_CREAT | O_APPEND;
        if (creating) flags |= O_CREAT | O_EXCL;
        flags |= O_CLOEXEC;
        do {
            fd = open(path, flags, 0666);
        } while (fd < 0 && errno == EINTR);
        if (fd < 0) {
            raise_errno(rt, errno, file);
            return NULL;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            close(fd);
            raise_errno(rt, EISDIR, file);
            return NULL;
        }
    } else {
        pm_err_format(rt, PM_EXC_TypeError, "expected str, bytes or os.PathLike object, not %s",
                      pm_type_name(pm_type_of(file)));
        return NULL;
    }
    if (!binary && buffering == 0) {  /* checked once the file is open, as CPython */
        if (closefd) close(fd);
        pm_err_set(rt, PM_EXC_ValueError, "can't have unbuffered text I/O");
        return NULL;
    }
    if (appending) (void)lseek(fd, 0, SEEK_END);  /* FileIO starts appends at the end */
    size_t cap;
    if (buffering == 1 && binary) buffering = -1;  /* CPython warns and uses the default */
    if (buffering < 0 || buffering == 1) {
        struct stat st;
        cap = fstat(fd, &st) == 0 && st.st_blksize > 1 ? (size_t)st.st_blksize : 8192;
    } else {
        cap = (size_t)buffering;
    }
    int kind;
    if (!binary) {
        kind = K_TEXT;
        cap = TEXT_CHUNK;
    } else if (buffering == 0) {
        kind = K_RAW;
        cap = 0;
    } else {
        kind = updating ? K_RANDOM : readable ? K_READER : K_WRITER;
    }
    pmi_file *f = file_new(rt, kind, fd, closefd, file, cap);
    if (!f) return NULL;
    f->readable = readable != 0;
    f->writable = writable != 0;
    if (kind == K_TEXT) {
        snprintf(f->mode, sizeof f->mode, "%s", mode);
        f->encoding = enc;
        f->newline = nlmode;
        if (encoding) snprintf(f->encname, sizeof f->encname, "%s", encoding);
        if (errors) {
            f->errors = lookup_errors(errors);
            snprintf(f->errname, sizeof f->errname, "%s", errors);
        }
        f->line_buffering = buffering == 1 || (buffering < 0 && isatty(fd));
    } else {
        const char *m = creating ? (readable ? "xb+" : "xb")
                        : appending ? (readable ? "ab+" : "ab")
                        : readable ? (writable ? "rb+" : "rb") : "wb";
        snprintf(f->mode, sizeof f->mode, "%s", m);
    }
    return (pm_object *)f;
}

/* ---- the std streams ------------------------------------------------------ */

int pmi_stdio_init(pm_runtime *rt, pmi_interp *in) {
    static const char *const names[] = {"<stdin>", "<stdout>", "<stderr>"};
    const char *u = getenv("PYTHONUNBUFFERED");
    int unbuffered = u && u[0];
    /* stdin/stdout use surrogateescape in UTF-8 mode and under the C/POSIX
     * locale (and its UTF-8 coercion targets), strict otherwise */
    const char *loc = getenv("LC_ALL");
    if (!loc || !loc[0]) loc = getenv("LC_CTYPE");
    if (!loc || !loc[0]) loc = getenv("LANG");
    const char *utf8mode = getenv("PYTHONUTF8");
    int escape = !loc || !loc[0] || !strcmp(loc, "C") || !strcmp(loc, "POSIX") ||
                 !strncmp(loc, "C.", 2) || !strcmp(loc, "UTF-8") ||
                 (utf8mode && !strcmp(utf8mode, "1"));
    pmi_file *fs[3] = {NULL, NULL, NULL};
    for (int fd = 0; fd < 3; fd++) {
        pm_object *name = pm_str_from_cstr(rt, names[fd]);
        if (!name) goto fail;
        fs[fd] = file_new(rt, K_TEXT, fd, 0, name, TEXT_CHUNK);
        pm_decref(rt, name);
        if (!fs[fd]) goto fail;
        pmi_file *f = fs[fd];
        f->readable = fd == 0;
        f->writable = fd != 0;
        strcpy(f->mode, fd == 0 ? "r" : "w");
        strcpy(f->encname, "utf-8");
        if (fd == 2) {
            f->errors = ERR_BACKSLASH;
            strcpy(f->errname, "backslashreplace");
        } else if (escape) {
            f->errors = ERR_SURROGATEESCAPE;
            strcpy(f->errname, "surrogateescape");
        }
        f->write_through = fd != 0 && unbuffered;
        f->line_buffering = !unbuffered && (fd == 2 || (fd == 1 && isatty(1)));
    }
    for (int fd = 0; fd < 3; fd++) in->stdio[fd] = (pm_object *)fs[fd];
    return 0;
fail:
    for (int fd = 0; fd < 3; fd++) pm_xdecref(rt, (pm_object *)fs[fd]);
    return -1;
}

pm_object *pmi_stdio_get(pm_runtime *rt, int fd) {
    pmi_interp *in = pmi_interp_get(rt);
    return in && fd >= 0 && fd < 3 ? in->stdio[fd] : NULL;
}

pm_object *pmi_stdio_current(pm_runtime *rt, int which) {
    static const char *const attrs[] = {"stdin", "stdout", "stderr"};
    pmi_interp *in = pmi_interp_get(rt);
    if (!in) return NULL;
    pm_object *sys = NULL;
    if (in->modules) {
        pm_object *key = pm_str_intern_cstr(rt, "sys");
        if (!key) return NULL;
        sys = pm_dict_get(rt, in->modules, key);
        pm_decref(rt, key);
        if (!sys && pm_err_occurred(rt)) return NULL;
    }
    if (!sys) return in->stdio[which] ? pm_newref(rt, in->stdio[which]) : NULL;
    pm_object *name = pm_str_intern_cstr(rt, attrs[which]), *r = NULL;
    if (!name) return NULL;
    int found = pm_getattr_opt(rt, sys, name, &r);
    pm_decref(rt, name);
    return found > 0 ? r : NULL;
}

void pmi_stdio_flush(pm_runtime *rt) {
    pm_object *pending = pm_err_occurred(rt) ? pm_err_fetch(rt) : NULL;
    for (int which = 1; which <= 2; which++) {
        pm_object *f = pmi_stdio_current(rt, which);
        if (f && f != PM_NONE && pmi_file_flush(rt, f) < 0) pm_err_clear(rt);
        pm_xdecref(rt, f);
        pm_err_clear(rt);
    }
    if (pending) pm_err_restore(rt, pending);
}

void pmi_stdio_fini(pm_runtime *rt, pmi_interp *in) {
    pmi_stdio_flush(rt);
    for (int fd = 0; fd < 3; fd++) {
        pm_object *f = in->stdio[fd];
        in->stdio[fd] = NULL;
        if (f && flush_writes(rt, F(f)) < 0) pm_err_clear(rt);
        pm_xdecref(rt, f);
    }
}

int pmi_file_write_str(pm_runtime *rt, pm_object *file, pm_object *text) {
    if (is_file(file) && F(file)->kind == K_TEXT) {
        pmi_file *f = F(file);
        if (check_open(rt, f, NULL) < 0 || need_write(rt, f) < 0) return -1;
        return text_write(rt, f, text);
    }
    pm_object *name = pm_str_intern_cstr(rt, "write");
    if (!name) return -1;
    pm_object *r = pm_call_method(rt, file, name, &text, 1);
    pm_decref(rt, name);
    if (!r) return -1;
    pm_decref(rt, r);
    return 0;
}

int pmi_file_flush(pm_runtime *rt, pm_object *file) {
    if (is_file(file)) {
        if (F(file)->fd < 0) return check_open(rt, F(file), NULL);
        return flush_writes(rt, F(file));
    }
    pm_object *name = pm_str_intern_cstr(rt, "flush");
    if (!name) return -1;
    pm_object *r = pm_call_method(rt, file, name, NULL, 0);
    pm_decref(rt, name);
    if (!r) return -1;
    pm_decref(rt, r);
    return 0;
}

pm_object *pmi_file_readline(pm_runtime *rt, pm_object *file) {
    if (is_file(file)) return m_readline(rt, file, NULL, 0);
    pm_object *name = pm_str_intern_cstr(rt, "readline");
    if (!name) return NULL;
    pm_object *r = pm_call_method(rt, file, name, NULL, 0);
    pm_decref(rt, name);
    return r;
}
