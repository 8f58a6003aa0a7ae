/* Differential test of memoryview: tests/py/gen_memoryview_cases.py makes
 * hundreds of random programs of memoryview operations and runs them on
 * python3's memoryview, printing each result; this test replays every
 * program through pymm's C API and requires the same output, line for line
 * (issue 5, "Must show": the differential test).  Seeds: PYMM_MV_SEEDS
 * (default "1 2 3 4 5"), cases per seed: PYMM_MV_CASES (default 400). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

#define MAX_VIEWS 64

typedef struct diff_state {
    pm_runtime *rt;
    pm_object *base;                /* the exporter of the case */
    pm_object *cur;                 /* borrowed from views[] */
    pm_object *views[MAX_VIEWS];    /* every view made in the case (owned) */
    int nviews;
    char out[8192];                 /* the result of the last operation */
    long cases, ops, failures;
} diff_state;

static void set_error(diff_state *s) {
    snprintf(s->out, sizeof s->out, "%s: %s", pm_exc_name(pm_err_kind(s->rt)), pm_err_message(s->rt));
    pm_err_clear(s->rt);
}

/* s->out = repr(o), or the error; o is stolen (may be NULL = error). */
static void set_repr(diff_state *s, pm_object *o) {
    if (!o) {
        set_error(s);
        return;
    }
    pm_object *r = pm_repr(s->rt, o);
    pm_decref(s->rt, o);
    if (!r) {
        set_error(s);
        return;
    }
    snprintf(s->out, sizeof s->out, "%s", pm_str_as_utf8(s->rt, r, NULL));
    pm_decref(s->rt, r);
}

static void add_view(diff_state *s, pm_object *v) {
    assert_true(s->nviews < MAX_VIEWS);
    s->views[s->nviews++] = v;
    s->cur = v;
    snprintf(s->out, sizeof s->out, "ok");
}

static int hexval(int c) { return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10; }

/* bytes.fromhex(h) into buf; "-" is empty.  Returns the length. */
static size_t unhex(const char *h, char *buf, size_t cap) {
    size_t n = 0;
    if (strcmp(h, "-") == 0) return 0;
    for (; h[0] && h[1] && n < cap; h += 2) buf[n++] = (char)(hexval(h[0]) * 16 + hexval(h[1]));
    return n;
}

static pm_object *bytes_from_hex(pm_runtime *rt, const char *h) {
    static const size_t cap = 4096;
    char *buf = malloc(cap);
    size_t n = unhex(h, buf, cap);
    pm_object *b = pm_bytes_new(rt, buf, (pm_ssize_t)n);
    free(buf);
    return b;
}

/* memoryview(bytes.fromhex(h)).cast(fmt): NEW ref or NULL + error. */
static pm_object *view_of_hex(pm_runtime *rt, const char *h, const char *fmt) {
    pm_object *b = bytes_from_hex(rt, h);
    pm_object *m = pm_memoryview_new(rt, b);
    pm_object *c = pm_memoryview_cast(rt, m, fmt, NULL);
    pm_decref(rt, m);
    pm_decref(rt, b);
    return c;
}

static pm_ssize_t slice_part(const char *t) { return strcmp(t, "N") == 0 ? PM_SLICE_NONE : atol(t); }

/* A value argument: i:INT f:FLOAT T F b:HEX s:STR n.  NEW ref. */
static pm_object *parse_value(pm_runtime *rt, const char *t) {
    if (strcmp(t, "T") == 0) return PM_TRUE;
    if (strcmp(t, "F") == 0) return PM_FALSE;
    if (strcmp(t, "n") == 0) return PM_NONE;
    if (strncmp(t, "i:", 2) == 0) return pm_int_from_string(rt, t + 2, -1, 10);
    if (strncmp(t, "f:", 2) == 0) return pm_float_new(rt, strtod(t + 2, NULL));
    if (strncmp(t, "b:", 2) == 0) return bytes_from_hex(rt, t + 2);
    if (strncmp(t, "s:", 2) == 0) return pm_str_from_cstr(rt, t + 2);
    fail_msg("bad value %s", t);
    return NULL;
}

/* "1,2,3" -> tuple or list of ints; "-" -> empty.  NEW ref. */
static pm_object *int_seq(pm_runtime *rt, const char *t, int as_list) {
    pm_object *items[PM_BUF_MAX_NDIM + 2];
    int n = 0;
    if (strcmp(t, "-") != 0) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s", t);
        for (char *save = NULL, *p = strtok_r(tmp, ",", &save); p; p = strtok_r(NULL, ",", &save))
            items[n++] = pm_int_from_long(rt, atol(p));
    }
    pm_object *r = as_list ? pm_list_from_array(rt, items, n) : pm_tuple_from_array(rt, items, n);
    for (int i = 0; i < n; i++) pm_decref(rt, items[i]);
    return r;
}

static void op_attrs(diff_state *s) {
    static const char *const names[] = {"format", "itemsize", "ndim", "shape", "strides", "nbytes",
                                        "readonly", "c_contiguous", "f_contiguous", "contiguous",
                                        "suboffsets"};
    char buf[2048] = "";
    for (int i = 0; i < 11; i++) {
        pm_object *a = pm_memoryview_attr(s->rt, s->cur, names[i]);
        if (!a) {
            set_error(s);
            return;
        }
        if (i == 0) {
            strcat(buf, pm_str_as_utf8(s->rt, a, NULL));
        } else {
            pm_object *r = pm_repr(s->rt, a);
            strcat(buf, " ");
            strcat(buf, pm_str_as_utf8(s->rt, r, NULL));
            pm_decref(s->rt, r);
        }
        pm_decref(s->rt, a);
    }
    snprintf(s->out, sizeof s->out, "%s", buf);
}

static void run_op(diff_state *s, char *line) {
    pm_runtime *rt = s->rt;
    char *argv[10] = {0};
    int argc = 0;
    for (char *save = NULL, *p = strtok_r(line, " ", &save); p && argc < 9; p = strtok_r(NULL, " ", &save))
        argv[argc++] = p;
    const char *op = argv[0];
    if (strcmp(op, "cast") == 0) {
        pm_object *shape = argc > 2 ? int_seq(rt, argv[2], 1) : NULL;
        pm_object *v = pm_memoryview_cast(rt, s->cur, strcmp(argv[1], "-") ? argv[1] : "", shape);
        pm_xdecref(rt, shape);
        if (v) add_view(s, v);
        else set_error(s);
    } else if (strcmp(op, "slice") == 0) {
        pm_object *sl = pm_slice_from_ssize(rt, slice_part(argv[1]), slice_part(argv[2]), slice_part(argv[3]));
        pm_object *v = pm_getitem(rt, s->cur, sl);
        pm_decref(rt, sl);
        if (v) add_view(s, v);
        else set_error(s);
    } else if (strcmp(op, "get") == 0 || strcmp(op, "getm") == 0) {
        pm_object *key = op[3] ? int_seq(rt, argv[1], 0) : pm_int_from_long(rt, atol(argv[1]));
        set_repr(s, pm_getitem(rt, s->cur, key));
        pm_decref(rt, key);
    } else if (strcmp(op, "set") == 0 || strcmp(op, "setm") == 0) {
        pm_object *key = op[3] ? int_seq(rt, argv[1], 0) : pm_int_from_long(rt, atol(argv[1]));
        pm_object *val = parse_value(rt, argv[2]);
        if (pm_setitem(rt, s->cur, key, val) == 0) snprintf(s->out, sizeof s->out, "ok");
        else set_error(s);
        pm_decref(rt, key);
        pm_decref(rt, val);
    } else if (strcmp(op, "setslice") == 0) {
        pm_object *raw = bytes_from_hex(rt, argv[5]);
        pm_object *m = pm_memoryview_new(rt, raw);
        pm_object *rv = pm_memoryview_cast(rt, m, argv[4], NULL);
        if (!rv) {
            set_error(s);
        } else {
            pm_object *sl = pm_slice_from_ssize(rt, slice_part(argv[1]), slice_part(argv[2]), slice_part(argv[3]));
            if (pm_setitem(rt, s->cur, sl, rv) == 0) snprintf(s->out, sizeof s->out, "ok");
            else set_error(s);
            pm_decref(rt, sl);
            pm_decref(rt, rv);
        }
        pm_decref(rt, m);
        pm_decref(rt, raw);
    } else if (strcmp(op, "tolist") == 0) {
        set_repr(s, pm_memoryview_tolist(rt, s->cur));
    } else if (strcmp(op, "tobytes") == 0) {
        const char *o = argv[1];
        const char *order = strcmp(o, "N") == 0 ? NULL : strcmp(o, "X") == 0 ? "Q" : o;
        set_repr(s, pm_memoryview_tobytes(rt, s->cur, order));
    } else if (strcmp(op, "hex") == 0) {
        if (argc == 1) {
            set_repr(s, pm_memoryview_hex(rt, s->cur, NULL, 1));
        } else {
            char buf[64];
            size_t n = unhex(argv[1] + 2, buf, sizeof buf - 1);
            buf[n] = 0;
            pm_object *sep = argv[1][0] == 's' ? pm_str_from_utf8(rt, buf, (pm_ssize_t)n)
                                              : pm_bytes_new(rt, buf, (pm_ssize_t)n);
            set_repr(s, pm_memoryview_hex(rt, s->cur, sep, atoi(argv[2])));
            pm_decref(rt, sep);
        }
    } else if (strcmp(op, "attrs") == 0) {
        op_attrs(s);
    } else if (strcmp(op, "len") == 0) {
        pm_ssize_t n = pm_length(rt, s->cur);
        if (n < 0) set_error(s);
        else snprintf(s->out, sizeof s->out, "%ld", (long)n);
    } else if (strcmp(op, "list") == 0) {
        pm_object *it = pm_iter(rt, s->cur);
        if (!it) {
            set_error(s);
            return;
        }
        pm_object *l = pm_list_new(rt), *x;
        while ((x = pm_iter_next(rt, it)) != NULL) {
            pm_list_append(rt, l, x);
            pm_decref(rt, x);
        }
        pm_decref(rt, it);
        if (pm_err_occurred(rt)) {
            pm_decref(rt, l);
            set_error(s);
        } else {
            set_repr(s, l);
        }
    } else if (strcmp(op, "eq") == 0 || strcmp(op, "eqbytes") == 0) {
        pm_object *other, *raw = NULL, *m = NULL;
        if (op[2]) {
            other = pm_memoryview_tobytes(rt, s->cur, NULL);
        } else {
            raw = bytes_from_hex(rt, argv[2]);
            m = pm_memoryview_new(rt, raw);
            other = pm_memoryview_cast(rt, m, argv[1], NULL);
        }
        if (!other) set_error(s);
        else set_repr(s, pm_richcompare(rt, s->cur, other, PM_EQ));
        pm_xdecref(rt, other);
        pm_xdecref(rt, m);
        pm_xdecref(rt, raw);
    } else if (strcmp(op, "hash") == 0) {
        pm_hash_t h = pm_hash(rt, s->cur);
        if (h == -1 && pm_err_occurred(rt)) {
            set_error(s);
            return;
        }
        pm_object *b = pm_memoryview_tobytes(rt, s->cur, NULL);
        if (!b) {
            set_error(s);
            return;
        }
        snprintf(s->out, sizeof s->out, "%s", pm_hash(rt, b) == h ? "True" : "False");
        pm_decref(rt, b);
    } else if (strcmp(op, "toreadonly") == 0) {
        pm_object *v = pm_memoryview_toreadonly(rt, s->cur);
        if (v) add_view(s, v);
        else set_error(s);
    } else if (strcmp(op, "release") == 0) {
        if (pm_memoryview_release(rt, s->cur) == 0) snprintf(s->out, sizeof s->out, "None");
        else set_error(s);
    } else if (strcmp(op, "eqstruct") == 0) {
        /* two views from a C exporter (pm_memoryview_from_buffer) */
        char *mem[2];
        pm_object *v[2];
        for (int k = 0; k < 2; k++) {
            const char *hx = argv[4 + 4 * k] ? argv[4 + 4 * k] : "-";
            mem[k] = malloc(4096);
            size_t n = unhex(hx, mem[k], 4096);
            pm_ssize_t itemsize = atol(argv[2 + 4 * k]), items = atol(argv[3 + 4 * k]);
            pm_buffer info = {.buf = mem[k], .len = (pm_ssize_t)n, .itemsize = itemsize, .readonly = 1,
                              .ndim = 1, .format = argv[1 + 4 * k]};
            pm_ssize_t shape[1] = {items};
            info.shape = shape;
            v[k] = pm_memoryview_from_buffer(rt, &info);
        }
        set_repr(s, pm_richcompare(rt, v[0], v[1], PM_EQ));
        for (int k = 0; k < 2; k++) {
            pm_decref(rt, v[k]);
            free(mem[k]);
        }
    } else if (strcmp(op, "half") == 0) {
        pm_object *v = view_of_hex(rt, argv[1], "e");
        set_repr(s, v ? pm_memoryview_item(rt, v, 0) : NULL);
        pm_xdecref(rt, v);
    } else if (strcmp(op, "halfpack") == 0) {
        pm_object *ba = pm_bytearray_new(rt, NULL, 2);
        pm_object *m = pm_memoryview_new(rt, ba);
        pm_object *e = pm_memoryview_cast(rt, m, "e", NULL);
        pm_object *val = parse_value(rt, argv[1]);
        if (pm_memoryview_set_item(rt, e, 0, val) == 0) set_repr(s, pm_memoryview_hex(rt, e, NULL, 1));
        else set_error(s);
        pm_decref(rt, val);
        pm_decref(rt, e);
        pm_decref(rt, m);
        pm_decref(rt, ba);
    } else if (strcmp(op, "repr0") == 0) {
        set_repr(s, pm_memoryview_attr(rt, s->cur, "readonly"));
    } else {
        fail_msg("unknown op %s", op);
    }
}

static void end_case(diff_state *s) {
    for (int i = 0; i < s->nviews; i++) {
        assert_int_equal(pm_memoryview_release(s->rt, s->views[i]), 0);
        pm_decref(s->rt, s->views[i]);
    }
    s->nviews = 0;
    if (pm_bytearray_check(s->base)) assert_int_equal(pm_bytearray_exports(s->base), 0);
    pm_decref(s->rt, s->base);
    s->base = NULL;
}

static size_t blocks_in_use(pm_runtime *rt) {
    pm_alloc_stats st;
    pm_alloc_stats_get(rt, &st);
    size_t n = st.large_blocks;
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) n += st.size_class[i].blocks_in_use;
    return n;
}

static void run_seed(diff_state *s, int seed, int count) {
    char cmd[1024];
    const char *py = getenv("PYTHON3");
    char dir[512];
    snprintf(dir, sizeof dir, "%s", __FILE__);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    else snprintf(dir, sizeof dir, ".");
    snprintf(cmd, sizeof cmd, "%s %s/../py/gen_memoryview_cases.py --seed %d --count %d",
             py && *py ? py : "python3", dir, seed, count);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    static char line[65536], opline[65536], caseline[65536];
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0] == 'C') {
            snprintf(caseline, sizeof caseline, "%s", line);
            char kind[16], hex[32768];
            assert_int_equal(sscanf(line, "C %15s %32767s", kind, hex), 2);
            pm_object *b = bytes_from_hex(s->rt, hex);
            s->base = strcmp(kind, "bytes") == 0
                          ? b
                          : pm_bytearray_new(s->rt, pm_bytes_data(b), pm_bytes_size(b));
            if (s->base != b) pm_decref(s->rt, b);
            pm_object *v = pm_memoryview_new(s->rt, s->base);
            assert_non_null(v);
            add_view(s, v);
            s->cases++;
        } else if (line[0] == 'O') {
            snprintf(opline, sizeof opline, "%s", line + 2);
            char tmp[65536];
            snprintf(tmp, sizeof tmp, "%s", opline);
            run_op(s, tmp);
            assert_int_equal(pm_err_occurred(s->rt), PM_EXC_NONE);
            s->ops++;
        } else if (line[0] == 'E') {
            if (strcmp(line + 2, s->out) != 0) {
                if (s->failures < 20)
                    fprintf(stderr, "MISMATCH seed %d\n  case: %.200s\n  op:   %s\n  want: %s\n  got:  %s\n",
                            seed, caseline, opline, line + 2, s->out);
                s->failures++;
            }
        } else if (line[0] == 'Z') {
            end_case(s);
        }
    }
    assert_int_equal(pclose(p), 0);
}

static void test_memoryview_differential(void **state) {
    (void)state;
    tu_need_python3();
    diff_state *s = calloc(1, sizeof *s);
    s->rt = tu_runtime();
    size_t before = blocks_in_use(s->rt);
    const char *seeds = getenv("PYMM_MV_SEEDS");
    const char *count = getenv("PYMM_MV_CASES");
    char buf[256];
    snprintf(buf, sizeof buf, "%s", seeds && *seeds ? seeds : "1 2 3 4 5");
    for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
        run_seed(s, atoi(t), count && *count ? atoi(count) : 400);
    fprintf(stderr, "memoryview differential: %ld cases, %ld operations, %ld mismatches\n", s->cases,
            s->ops, s->failures);
    assert_true(s->cases >= 400);
    assert_int_equal(s->failures, 0);
    pm_freelists_clear(s->rt);
    assert_int_equal(blocks_in_use(s->rt), before);
    pm_runtime_free(s->rt);
    free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memoryview_differential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
