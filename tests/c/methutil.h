/* Helpers of the built-in method tests (test_methods*.c): a small Python
 * literal reader, so that one table drives both the pymm side and the
 * python3 script, and the case runner that prints "result | receiver" per
 * call on both sides. */
#ifndef PYMM_METHUTIL_H
#define PYMM_METHUTIL_H
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "core/object.h"

/* One call: recv.name(*args, **kw).  args: Python literals separated by
 * commas ("" for none); kw: "k=literal, ..." or "". */
typedef struct mt_case {
    const char *recv;               /* receiver literal */
    const char *name;               /* method name */
    const char *args;               /* positional literals */
    const char *kw;                 /* keyword arguments */
} mt_case;

static void mt_skip(const char **p) { while (**p == ' ') (*p)++; }

static pm_object *mt_value(pm_runtime *rt, const char **p);

/* Items up to `close`; *n items into a malloc'd array (new refs). */
static pm_object **mt_items(pm_runtime *rt, const char **p, char close, pm_ssize_t *n, int *comma) {
    pm_object **v = malloc(64 * sizeof *v);
    *n = 0;
    *comma = 0;
    mt_skip(p);
    while (**p != close) {
        v[(*n)++] = mt_value(rt, p);
        mt_skip(p);
        if (**p == ',') {
            (*p)++;
            *comma = 1;
            mt_skip(p);
        }
    }
    (*p)++;
    return v;
}

static pm_object *mt_finish(pm_runtime *rt, pm_object **v, pm_ssize_t n, pm_object *r) {
    for (pm_ssize_t i = 0; i < n; i++) pm_decref(rt, v[i]);
    free(v);
    assert_non_null(r);
    return r;
}

static pm_object *mt_value(pm_runtime *rt, const char **p) {
    mt_skip(p);
    const char *s = *p;
    pm_ssize_t n;
    int comma;
    if (*s == '\'' || (*s == 'b' && s[1] == '\'')) {
        int isb = *s == 'b';
        const char *b = s + 1 + isb;
        char buf[256];
        size_t k = 0;
        while (*b != '\'') {           /* escapes: \n \t \r \\ \' */
            char ch = *b++;
            if (ch == '\\') {
                ch = *b++;
                ch = ch == 'n' ? '\n' : ch == 't' ? '\t' : ch == 'r' ? '\r' : ch;
            }
            buf[k++] = ch;
        }
        *p = b + 1;
        return isb ? pm_bytes_new(rt, buf, (pm_ssize_t)k) : pm_str_from_utf8(rt, buf, (pm_ssize_t)k);
    }
    if (*s == '[' || *s == '(') {
        (*p)++;
        pm_object **v = mt_items(rt, p, *s == '[' ? ']' : ')', &n, &comma);
        return mt_finish(rt, v, n, *s == '[' ? pm_list_from_array(rt, v, n) : pm_tuple_from_array(rt, v, n));
    }
    if (*s == '{') {                    /* dict {k: v, ...} or set {a, b} */
        (*p)++;
        pm_object *d = NULL, *set = NULL;
        mt_skip(p);
        while (**p != '}') {
            pm_object *k = mt_value(rt, p);
            mt_skip(p);
            if (**p == ':') {
                (*p)++;
                if (!d) d = pm_dict_new(rt);
                pm_object *x = mt_value(rt, p);
                assert_int_equal(pm_dict_set(rt, d, k, x), 0);
                pm_decref(rt, x);
            } else {
                if (!set) set = pm_set_new(rt, NULL);
                assert_int_equal(pm_set_add(rt, set, k), 0);
            }
            pm_decref(rt, k);
            mt_skip(p);
            if (**p == ',') (*p)++;
            mt_skip(p);
        }
        (*p)++;
        return set ? set : d ? d : pm_dict_new(rt);
    }
    if (!strncmp(s, "None", 4)) { *p += 4; return PM_NONE; }
    if (!strncmp(s, "True", 4)) { *p += 4; return PM_TRUE; }
    if (!strncmp(s, "False", 5)) { *p += 5; return PM_FALSE; }
    if (!strncmp(s, "frozenset(", 10)) {
        *p += 10;
        pm_object *inner = mt_value(rt, p);
        (*p)++;
        pm_object *f = pm_frozenset_new(rt, inner);
        pm_decref(rt, inner);
        return f;
    }
    if (!strncmp(s, "slice(", 6)) {
        *p += 6;
        pm_object **v = mt_items(rt, p, ')', &n, &comma);
        pm_object *r = n == 1 ? pm_slice_new(rt, PM_NONE, v[0], PM_NONE)
                              : pm_slice_new(rt, v[0], v[1], n > 2 ? v[2] : PM_NONE);
        return mt_finish(rt, v, n, r);
    }
    if (!strncmp(s, "memoryview(", 11)) {
        *p += 11;
        pm_object *inner = mt_value(rt, p);
        (*p)++;
        pm_object *r = pm_memoryview_new(rt, inner);
        pm_decref(rt, inner);
        assert_non_null(r);
        return r;
    }
    if (!strncmp(s, "bytearray(", 10)) {
        *p += 10;
        pm_object *inner = mt_value(rt, p);
        (*p)++;
        pm_object *r = pm_bytearray_new(rt, pm_bytes_data(inner), pm_bytes_size(inner));
        pm_decref(rt, inner);
        assert_non_null(r);
        return r;
    }
    /* a number */
    const char *e = s;
    if (*e == '-') e++;
    while (isalnum((unsigned char)*e) || *e == '.' || *e == '_') e++;
    *p = e;
    if (memchr(s, '.', e - s) || memchr(s, 'e', e - s) || !strncmp(s, "inf", 3) || !strncmp(s, "nan", 3))
        return pm_float_new(rt, strtod(s, NULL));
    return pm_int_from_string(rt, s, e - s, 10);
}

/* "repr | repr(recv)\n" or "Exc: msg | repr(recv)\n" appended to out. */
static void mt_line(pm_runtime *rt, pm_object *r, pm_object *recv, char *out, size_t cap) {
    char line[1200];
    const char *x;
    pm_object *s = NULL;
    if (r) {
        s = pm_repr(rt, r);
        assert_non_null(s);
        x = pm_str_as_utf8(rt, s, NULL);
        snprintf(line, sizeof line, "%s", x);
        pm_decref(rt, r);
    } else {
        assert_true(pm_err_occurred(rt));
        if (pm_err_matches(rt, PM_EXC_KeyError)) {
            /* str(KeyError(k)) is repr(k): what the Python side's str(e) shows */
            pm_object *e = pm_err_fetch(rt);
            pm_object *es = pm_str(rt, e);
            assert_non_null(es);
            snprintf(line, sizeof line, "KeyError: %s", pm_str_as_utf8(rt, es, NULL));
            pm_decref(rt, es);
            pm_decref(rt, e);
        } else {
            snprintf(line, sizeof line, "%s: %s", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
            pm_err_clear(rt);
        }
    }
    pm_xdecref(rt, s);
    pm_object *rr = pm_repr(rt, recv);
    assert_non_null(rr);
    size_t len = strlen(out);
    snprintf(out + len, cap - len, "%s | %s\n", line, pm_str_as_utf8(rt, rr, NULL));
    pm_decref(rt, rr);
    for (char *h = strstr(out + len, "0x"); h; h = strstr(h + 3, "0x")) {  /* addresses as 0x? */
        char *e = h + 2;
        while (isxdigit((unsigned char)*e)) e++;
        memmove(h + 3, e, strlen(e) + 1);
        h[2] = '?';
    }
    assert_true(strlen(out) + 1 < cap);
}

/* Run one case on pymm: getattr(recv, name) then the call slot. */
static void mt_run(pm_runtime *rt, const mt_case *c, char *out, size_t cap) {
    const char *p = c->recv;
    pm_object *recv = mt_value(rt, &p);
    char buf[512];
    snprintf(buf, sizeof buf, "%s)", c->args);
    p = buf;
    pm_ssize_t n, nkw = 0;
    int comma;
    pm_object **v = mt_items(rt, &p, ')', &n, &comma);
    pm_object *names[16];
    p = c->kw;
    while (*p) {                        /* name=value, ... */
        mt_skip(&p);
        const char *eq = strchr(p, '=');
        names[nkw++] = pm_str_from_utf8(rt, p, eq - p);
        p = eq + 1;
        v[n + nkw - 1] = mt_value(rt, &p);
        mt_skip(&p);
        if (*p == ',') p++;
    }
    pm_object *kwnames = nkw ? pm_tuple_from_array(rt, names, nkw) : NULL;
    pm_object *r = NULL;
    pm_object *m = pm_getattr_cstr(rt, recv, c->name);
    if (m) {
        r = pm_call(rt, m, v, (size_t)n, kwnames);
        pm_decref(rt, m);
    }
    mt_line(rt, r, recv, out, cap);
    for (pm_ssize_t i = 0; i < n + nkw; i++) pm_decref(rt, v[i]);
    for (pm_ssize_t i = 0; i < nkw; i++) pm_decref(rt, names[i]);
    pm_xdecref(rt, kwnames);
    free(v);
    pm_decref(rt, recv);
}

/* The python3 script running the same cases. */
static char *mt_script(const mt_case *cases, size_t ncases) {
    size_t cap = 4096 + ncases * 600;
    char *code = malloc(cap);
    size_t len = (size_t)snprintf(code, cap,
        "def run(recv, name, args, kw):\n"
        "    try:\n"
        "        r = repr(getattr(recv, name)(*args, **kw))\n"
        "    except Exception as e:\n"
        "        r = '%%s: %%s' %% (type(e).__name__, e)\n"
        "    import re\n"
        "    print(re.sub('0x[0-9a-fA-F]+', '0x?', r + ' | ' + repr(recv)))\n");
    for (size_t i = 0; i < ncases; i++)
        len += (size_t)snprintf(code + len, cap - len, "run(%s, '%s', (%s%s), dict(%s))\n", cases[i].recv,
                                cases[i].name, cases[i].args, cases[i].args[0] ? "," : "", cases[i].kw);
    return code;
}

/* First differing line of two outputs, as a test failure. */
static void mt_compare(const char *mine, const char *theirs) {
    if (strcmp(mine, theirs) == 0) return;
    const char *a = mine, *b = theirs, *la = mine, *lb = theirs;
    while (*a && *a == *b) {
        if (*a == '\n') la = a + 1, lb = b + 1;
        a++, b++;
    }
    fail_msg("differs:\npymm:    %.300s\npython3: %.300s", la, lb);
}

/* Run the cases on both sides and compare. */
static void mt_check(pm_runtime *rt, const mt_case *cases, size_t ncases) {
    size_t cap = 256 + ncases * 1300;
    char *mine = calloc(1, cap), *theirs = malloc(cap);
    for (size_t i = 0; i < ncases; i++) mt_run(rt, &cases[i], mine, cap);
    char *code = mt_script(cases, ncases);
    tu_python(code, theirs, cap);
    mt_compare(mine, theirs);
    free(code);
    free(mine);
    free(theirs);
}
#endif
