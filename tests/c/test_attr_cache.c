/* The fast attribute paths (core/lookup.h, core/abstract.c, core/call.c)
 * against what they cache: the method cache's entries must die with any
 * change to a class or a base (a class attribute added, replaced, deleted,
 * a data descriptor put over an instance value), an instance's own value
 * must shadow a method in pm_call_method (inline values and a full
 * __dict__ alike), __class__ assignment must switch lookups over, and
 * __getattr__ hooks and metaclass attributes must still be reached.  One
 * script of steps runs through pymm's C API and, as Python, under python3;
 * the two transcripts must be equal.  Then a fault sweep over a fresh
 * runtime's first class, first lookups and a method call with more
 * arguments than the call's stack buffer holds. */
#include "testutil.h"
#include "ctutil.h"
#include "faultsweep.h"
#include "core/object.h"

#include <stdio.h>
#include <string.h>

/* ---- helpers: a transcript of reprs ----------------------------------------- */

typedef struct transcript {
    pm_runtime *rt;
    char buf[4096];             /* one line per step */
    size_t len;                 /* bytes used in buf */
    int messages;               /* errors as "Kind: message" (else the kind alone) */
} transcript;

/* Append repr(v) (or "AttributeError" / the error's kind) and a newline;
 * consumes v. */
static void put(transcript *t, pm_object *v) {
    char line[256];
    if (!v && t->messages) {
        snprintf(line, sizeof line, "%s: %s\n", pm_exc_name(pm_err_kind(t->rt)), pm_err_message(t->rt));
        pm_err_clear(t->rt);
    } else if (!v) {
        snprintf(line, sizeof line, "%s\n", pm_exc_name(pm_err_kind(t->rt)));
        pm_err_clear(t->rt);
    } else {
        pm_object *r = pm_repr(t->rt, v);
        assert_non_null(r);
        snprintf(line, sizeof line, "%s\n", pm_str_as_utf8(t->rt, r, NULL));
        pm_decref(t->rt, r);
        pm_decref(t->rt, v);
    }
    size_t n = strlen(line);
    assert_true(t->len + n < sizeof t->buf);
    memcpy(t->buf + t->len, line, n + 1);
    t->len += n;
}

static pm_object *name(pm_runtime *rt, const char *s) {
    pm_object *n = pm_str_intern_cstr(rt, s);
    assert_non_null(n);
    return n;
}

/* type(cname, bases, ns): a class as a class statement makes it. */
static pm_object *new_class(pm_runtime *rt, const char *cname, pm_object *base) {
    pm_object *n = pm_str_from_cstr(rt, cname);
    pm_object *bases = base ? pm_tuple_pack(rt, 1, base) : pm_tuple_pack(rt, 0);
    pm_object *ns = pm_dict_new(rt), *cls = NULL;
    if (n && bases && ns) {
        pm_object *args[3] = {n, bases, ns};
        cls = pm_call(rt, pm_type_as_object(&pm_type_type), args, 3, NULL);
    }
    pm_xdecref(rt, n);
    pm_xdecref(rt, bases);
    pm_xdecref(rt, ns);
    return cls;
}

static void set(pm_runtime *rt, pm_object *o, const char *attr, pm_object *v) {
    pm_object *n = name(rt, attr);
    assert_int_equal(pm_setattr(rt, o, n, v), 0);
    pm_decref(rt, n);
}

static void del(pm_runtime *rt, pm_object *o, const char *attr) {
    pm_object *n = name(rt, attr);
    assert_int_equal(pm_delattr(rt, o, n), 0);
    pm_decref(rt, n);
}

static pm_object *get(pm_runtime *rt, pm_object *o, const char *attr) {
    pm_object *n = name(rt, attr);
    pm_object *r = pm_getattr(rt, o, n);
    pm_decref(rt, n);
    return r;
}

static pm_object *callm(pm_runtime *rt, pm_object *o, const char *attr, pm_object *const *args, pm_ssize_t nargs) {
    pm_object *n = name(rt, attr);
    pm_object *r = pm_call_method(rt, o, n, args, nargs);
    pm_decref(rt, n);
    return r;
}

static pm_object *T(const pm_type *t) { return pm_type_as_object(t); }

/* ---- the steps, twice: C and Python ------------------------------------------ */

static const char py_steps[] =
    "A = type('A', (), {})\n"
    "B = type('B', (A,), {})\n"
    "C = type('C', (), {})\n"
    "b = B(); b.a = 1; b.b = 2\n"
    "def put(f):\n"
    "    try: print(repr(f()))\n"
    "    except Exception as e: print(type(e).__name__)\n"
    "put(lambda: b.a)\n"                                     /* inline value */
    "put(lambda: b.__sizeof__())\n"                          /* object's method */
    "put(lambda: b.c)\n"                                     /* a miss, cached */
    "A.c = 'A.c'\n"
    "put(lambda: b.c)\n"                                     /* the base changed */
    "A.a = 'A.a'\n"
    "put(lambda: b.a)\n"                                     /* the instance wins */
    "A.a = property(type)\n"
    "put(lambda: b.a is B)\n"                                /* a data descriptor wins */
    "del A.a\n"
    "put(lambda: b.a)\n"
    "A.__sizeof__ = int\n"
    "put(lambda: b.__sizeof__())\n"                          /* replaced on the base */
    "B.__sizeof__ = str\n"
    "put(lambda: b.__sizeof__())\n"                          /* and on the class */
    "del B.__sizeof__; del A.__sizeof__\n"
    "put(lambda: b.__sizeof__())\n"                          /* object's again */
    "b.__sizeof__ = tuple\n"
    "put(lambda: b.__sizeof__())\n"                          /* an inline value shadows */
    "del b.__sizeof__\n"
    "put(lambda: b.__sizeof__())\n"
    "d = b.__dict__\n"
    "d['__sizeof__'] = list\n"
    "put(lambda: b.__sizeof__())\n"                          /* a dict entry shadows */
    "del d['__sizeof__']\n"
    "put(lambda: b.__sizeof__())\n"
    "put(lambda: b.a)\n"                                     /* read through the dict */
    "C.a = 'C.a'; C.__sizeof__ = int\n"
    "x = A(); x.a = 'x.a'\n"
    "put(lambda: x.__sizeof__())\n"
    "x.__class__ = C\n"
    "put(lambda: x.__sizeof__())\n"                          /* the new class's */
    "put(lambda: x.a)\n"
    "del x.a\n"
    "put(lambda: x.a)\n"                                     /* C's */
    "B.__getattr__ = slice\n"
    "put(lambda: b.zzz.stop)\n"                              /* the hook, after a miss */
    "put(lambda: b.a)\n"
    "del B.__getattr__\n"
    "put(lambda: b.zzz)\n"
    "put(lambda: len(B.mro()))\n"                            /* a metaclass method */
    "put(lambda: B.__name__)\n"                              /* a metaclass data descriptor */
    "put(lambda: B.c)\n"                                     /* the class's MRO */
    "put(lambda: b.count(1))\n"                              /* no such method */
    "t = (1, 2, 1)\n"
    "put(lambda: t.count(1))\n"                              /* a static type's method */
    "put(lambda: t.index(2, 0, 3))\n"
    "put(lambda: 'a,b'.split(',', 1))\n";

static void c_steps(transcript *t) {
    pm_runtime *rt = t->rt;
    pm_object *A = new_class(rt, "A", NULL), *B = new_class(rt, "B", A), *C = new_class(rt, "C", NULL);
    assert_non_null(A);
    assert_non_null(B);
    assert_non_null(C);
    pm_object *b = pm_call(rt, B, NULL, 0, NULL);
    assert_non_null(b);
    pm_object *one = ct_int(rt, 1), *two = ct_int(rt, 2);
    set(rt, b, "a", one);
    set(rt, b, "b", two);
    put(t, get(rt, b, "a"));
    put(t, callm(rt, b, "__sizeof__", NULL, 0));
    put(t, get(rt, b, "c"));
    pm_object *s = ct_str(rt, "A.c");
    set(rt, A, "c", s);
    pm_decref(rt, s);
    put(t, get(rt, b, "c"));
    s = ct_str(rt, "A.a");
    set(rt, A, "a", s);
    pm_decref(rt, s);
    put(t, get(rt, b, "a"));
    pm_object *ty = T(&pm_type_type);
    pm_object *prop = pm_call(rt, T(&pm_property_type), &ty, 1, NULL);
    assert_non_null(prop);
    set(rt, A, "a", prop);
    pm_decref(rt, prop);
    pm_object *v = get(rt, b, "a");
    put(t, v ? pm_bool_from(v == B) : NULL);
    pm_xdecref(rt, v);
    del(rt, A, "a");
    put(t, get(rt, b, "a"));
    set(rt, A, "__sizeof__", T(&pm_int_type));
    put(t, callm(rt, b, "__sizeof__", NULL, 0));
    set(rt, B, "__sizeof__", T(&pm_str_type));
    put(t, callm(rt, b, "__sizeof__", NULL, 0));
    del(rt, B, "__sizeof__");
    del(rt, A, "__sizeof__");
    put(t, callm(rt, b, "__sizeof__", NULL, 0));
    set(rt, b, "__sizeof__", T(&pm_tuple_type));
    put(t, callm(rt, b, "__sizeof__", NULL, 0));
    del(rt, b, "__sizeof__");
    put(t, callm(rt, b, "__sizeof__", NULL, 0));
    pm_object *d = get(rt, b, "__dict__");
    assert_non_null(d);
    pm_object *k = name(rt, "__sizeof__");
    assert_int_equal(pm_dict_set(rt, d, k, T(&pm_list_type)), 0);
    put(t, callm(rt, b, "__sizeof__", NULL, 0));
    assert_int_equal(pm_dict_del(rt, d, k), 0);
    pm_decref(rt, k);
    put(t, callm(rt, b, "__sizeof__", NULL, 0));
    put(t, get(rt, b, "a"));
    s = ct_str(rt, "C.a");
    set(rt, C, "a", s);
    pm_decref(rt, s);
    set(rt, C, "__sizeof__", T(&pm_int_type));
    pm_object *x = pm_call(rt, A, NULL, 0, NULL);
    assert_non_null(x);
    s = ct_str(rt, "x.a");
    set(rt, x, "a", s);
    pm_decref(rt, s);
    put(t, callm(rt, x, "__sizeof__", NULL, 0));
    set(rt, x, "__class__", C);
    put(t, callm(rt, x, "__sizeof__", NULL, 0));
    put(t, get(rt, x, "a"));
    del(rt, x, "a");
    put(t, get(rt, x, "a"));
    set(rt, B, "__getattr__", T(&pm_slice_type));
    v = get(rt, b, "zzz");
    put(t, v ? get(rt, v, "stop") : NULL);
    pm_xdecref(rt, v);
    put(t, get(rt, b, "a"));
    del(rt, B, "__getattr__");
    put(t, get(rt, b, "zzz"));
    v = callm(rt, B, "mro", NULL, 0);
    put(t, v ? pm_int_from_ssize(rt, pm_length(rt, v)) : NULL);
    pm_xdecref(rt, v);
    put(t, get(rt, B, "__name__"));
    put(t, get(rt, B, "c"));
    put(t, callm(rt, b, "count", &one, 1));
    pm_object *tup = pm_tuple_pack(rt, 3, one, two, one);
    assert_non_null(tup);
    put(t, callm(rt, tup, "count", &one, 1));
    pm_object *zero = ct_int(rt, 0), *three = ct_int(rt, 3);
    pm_object *iargs[3] = {two, zero, three};
    put(t, callm(rt, tup, "index", iargs, 3));
    pm_object *ab = ct_str(rt, "a,b"), *comma = ct_str(rt, ",");
    pm_object *sargs[2] = {comma, one};
    put(t, callm(rt, ab, "split", sargs, 2));
    pm_decref(rt, ab);
    pm_decref(rt, comma);
    pm_decref(rt, zero);
    pm_decref(rt, three);
    pm_decref(rt, tup);
    pm_decref(rt, d);
    pm_decref(rt, x);
    pm_decref(rt, one);
    pm_decref(rt, two);
    pm_decref(rt, b);
    pm_decref(rt, C);
    pm_decref(rt, B);
    pm_decref(rt, A);
}

static void test_steps_vs_python3(void **state) {
    (void)state;
    tu_need_python3();
    static char expect[4096];
    assert_int_equal(tu_python(py_steps, expect, sizeof expect), 0);
    transcript t;
    t.rt = tu_runtime();
    t.len = 0;
    t.buf[0] = 0;
    t.messages = 0;
    c_steps(&t);
    assert_false(pm_err_occurred(t.rt));
    if (strcmp(t.buf, expect) != 0) fail_msg("pymm:\n%s\npython3:\n%s", t.buf, expect);
    pm_gc_collect(t.rt, 2);
    pm_runtime_free(t.rt);
}

/* The same reads a thousand times over, with the class changed every so
 * often: every read must see the class as it is now (a stale entry would
 * return a value that was replaced, and ASan would catch one that was
 * freed). */
static void test_cache_churn(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *A = new_class(rt, "A", NULL), *B = new_class(rt, "B", A);
    assert_non_null(B);
    pm_object *b = pm_call(rt, B, NULL, 0, NULL);
    assert_non_null(b);
    pm_object *n = name(rt, "v"), *m = name(rt, "__sizeof__");
    for (long i = 0; i < 1000; i++) {
        if (i % 7 == 0) {
            pm_object *iv = ct_int(rt, i);      /* a fresh object: the old one is freed */
            assert_int_equal(pm_setattr(rt, i % 2 ? A : B, n, iv), 0);
            pm_decref(rt, iv);
            if (i % 2 == 0) {
                /* B's own value over A's: drop A's so that only B's counts */
                if (pm_delattr(rt, A, n) < 0) pm_err_clear(rt);
            } else if (pm_delattr(rt, B, n) < 0) {
                pm_err_clear(rt);
            }
        }
        if (i % 11 == 0) assert_int_equal(pm_setattr(rt, A, m, i % 2 ? T(&pm_int_type) : T(&pm_str_type)), 0);
        if (i % 13 == 0 && pm_delattr(rt, A, m) < 0) pm_err_clear(rt);
        pm_object *v = pm_getattr(rt, b, n);
        assert_non_null(v);
        assert_int_equal(pm_int_as_long(rt, v), i - i % 7);
        pm_decref(rt, v);
        pm_object *r = pm_call_method(rt, b, m, NULL, 0);
        assert_non_null(r);
        pm_object *want = pm_getattr(rt, A, m);
        assert_non_null(want);
        if (want == T(&pm_int_type)) assert_true(pm_int_check(r) && pm_int_as_long(rt, r) == 0);
        else if (want == T(&pm_str_type)) assert_true(pm_str_check(r) && pm_str_length(r) == 0);
        else assert_true(pm_int_check(r) && pm_int_as_long(rt, r) > 0);
        pm_decref(rt, want);
        pm_decref(rt, r);
    }
    pm_decref(rt, n);
    pm_decref(rt, m);
    pm_decref(rt, b);
    pm_decref(rt, B);
    pm_decref(rt, A);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);
}

/* ---- the C method's direct call (objects/descrobject.c) ---------------------- */

/* pm_call_method reaching a method descriptor calls its C function with
 * self and the arguments as they are: METH_NOARGS / METH_O / FASTCALL /
 * VARARGS methods, on an exact instance, a subclass instance and through
 * object's methods, with right and wrong argument counts.  The messages
 * and results must be python3's. */
static const char py_direct[] =
    "class L(list): pass\n"
    "def put(f):\n"
    "    try:\n"
    "        print(repr(f()))\n"
    "    except Exception as e:\n"
    "        print(type(e).__name__ + ': ' + str(e))\n"
    "l = [3, 1]; sl = L([5])\n"
    "put(lambda: l.append(4))\n"
    "put(lambda: l.append())\n"
    "put(lambda: l.append(1, 2))\n"
    "put(lambda: sl.append(6))\n"
    "put(lambda: sl.append())\n"
    "put(lambda: l.copy())\n"
    "put(lambda: l.copy(1))\n"
    "put(lambda: sl.copy(1))\n"
    "put(lambda: l.pop())\n"
    "put(lambda: l.pop(0, 1))\n"
    "put(lambda: sl.insert(0, 7))\n"
    "A = type('A', (), {}); a = A()\n"
    "put(lambda: a.__sizeof__(1))\n"
    "put(lambda: a.__sizeof__())\n"
    "put(lambda: (1, 2).index(2))\n"
    "put(lambda: (1, 2).index())\n"
    "put(lambda: 'a-b'.split('-'))\n"
    "put(lambda: l)\n"
    "put(lambda: sl)\n";

static void c_direct(transcript *t) {
    pm_runtime *rt = t->rt;
    pm_object *lt = T(&pm_list_type), *L = new_class(rt, "L", lt);
    assert_non_null(L);
    pm_object *one = ct_int(rt, 1), *two = ct_int(rt, 2), *three = ct_int(rt, 3), *four = ct_int(rt, 4);
    pm_object *five = ct_int(rt, 5), *six = ct_int(rt, 6), *seven = ct_int(rt, 7), *zero = ct_int(rt, 0);
    pm_object *l = pm_list_new(rt), *sl_items = pm_list_new(rt);
    assert_non_null(l);
    assert_non_null(sl_items);
    assert_int_equal(pm_list_append(rt, l, three), 0);
    assert_int_equal(pm_list_append(rt, l, one), 0);
    assert_int_equal(pm_list_append(rt, sl_items, five), 0);
    pm_object *sl = pm_call(rt, L, &sl_items, 1, NULL);
    assert_non_null(sl);
    pm_object *pair[2] = {one, two}, *ins[2] = {zero, seven};
    put(t, callm(rt, l, "append", &four, 1));
    put(t, callm(rt, l, "append", NULL, 0));
    put(t, callm(rt, l, "append", pair, 2));
    put(t, callm(rt, sl, "append", &six, 1));
    put(t, callm(rt, sl, "append", NULL, 0));
    put(t, callm(rt, l, "copy", NULL, 0));
    put(t, callm(rt, l, "copy", &one, 1));
    put(t, callm(rt, sl, "copy", &one, 1));
    put(t, callm(rt, l, "pop", NULL, 0));
    pm_object *popargs[2] = {zero, one};
    put(t, callm(rt, l, "pop", popargs, 2));
    put(t, callm(rt, sl, "insert", ins, 2));
    pm_object *A = new_class(rt, "A", NULL), *a = A ? pm_call(rt, A, NULL, 0, NULL) : NULL;
    assert_non_null(a);
    put(t, callm(rt, a, "__sizeof__", &one, 1));
    put(t, callm(rt, a, "__sizeof__", NULL, 0));
    pm_object *tup = pm_tuple_pack(rt, 2, one, two);
    assert_non_null(tup);
    put(t, callm(rt, tup, "index", &two, 1));
    put(t, callm(rt, tup, "index", NULL, 0));
    pm_object *ab = ct_str(rt, "a-b"), *dash = ct_str(rt, "-");
    put(t, callm(rt, ab, "split", &dash, 1));
    put(t, pm_newref(rt, l));
    put(t, pm_newref(rt, sl));
    pm_object *objs[] = {a, A, ab, dash, tup, sl, sl_items, l, zero, one, two, three, four, five, six, seven, L};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
}

static void test_direct_vs_python3(void **state) {
    (void)state;
    tu_need_python3();
    static char expect[4096];
    assert_int_equal(tu_python(py_direct, expect, sizeof expect), 0);
    transcript t;
    t.rt = tu_runtime();
    t.len = 0;
    t.buf[0] = 0;
    t.messages = 1;
    c_direct(&t);
    assert_false(pm_err_occurred(t.rt));
    if (strcmp(t.buf, expect) != 0) fail_msg("pymm:\n%s\npython3:\n%s", t.buf, expect);
    pm_gc_collect(t.rt, 2);
    pm_runtime_free(t.rt);
}

/* ---- fault sweep ---------------------------------------------------------------- */

/* A fresh runtime each run: the first class, the first lookups (type
 * states, the method cache itself), the first attribute store, reads, and
 * method calls with 0 and 7 arguments (past the 5-word stack buffer). */
static int sweep_work(pm_runtime *rt) {
    int rc = -1;
    pm_object *A = NULL, *a = NULL, *v = NULL, *n = NULL, *m = NULL, *tup = NULL, *r = NULL;
    pm_object *args[7] = {NULL};
    if (!(A = new_class(rt, "A", NULL)) || !(a = pm_call(rt, A, NULL, 0, NULL))) goto fail;
    if (!(n = pm_str_intern_cstr(rt, "v")) || !(m = pm_str_intern_cstr(rt, "__sizeof__"))) goto fail;
    if (pm_setattr(rt, a, n, PM_NONE) < 0) goto fail;
    for (int i = 0; i < 2; i++) {
        if (!(v = pm_getattr(rt, a, n))) goto fail;
        PM_CLEAR(rt, v);
        if (!(r = pm_call_method(rt, a, m, NULL, 0))) goto fail;
        PM_CLEAR(rt, r);
    }
    if (!(tup = pm_tuple_pack(rt, 0))) goto fail;
    for (int i = 0; i < 7; i++) args[i] = tup;
    /* type(A).__call__-less: () .__class__ is tuple, so tuple.count(*7) is a TypeError */
    pm_object *cn = pm_str_intern_cstr(rt, "count");
    if (!cn) goto fail;
    r = pm_call_method(rt, tup, cn, args, 7);
    pm_decref(rt, cn);
    if (r || !pm_err_matches(rt, PM_EXC_TypeError)) {
        if (!r && pm_err_matches(rt, PM_EXC_MemoryError)) goto fail;
        fail_msg("tuple.count(7 args): %s", r ? "a result" : pm_exc_name(pm_err_kind(rt)));
    }
    pm_err_clear(rt);
    rc = 0;
fail:
    pm_xdecref(rt, r);
    pm_xdecref(rt, tup);
    pm_xdecref(rt, m);
    pm_xdecref(rt, n);
    pm_xdecref(rt, a);
    pm_xdecref(rt, A);
    return rc;
}

typedef struct sweep_ctx {
    pm_runtime *rt;             /* the warm runtime, or NULL: a fresh one per run */
    size_t baseline;            /* the warm runtime's bytes in use between runs */
} sweep_ctx;

static pm_runtime *sweep_begin(void *ctx, long n) {
    (void)n;
    sweep_ctx *c = ctx;
    return c->rt ? c->rt : tu_runtime();
}

static int sweep_run(pm_runtime *rt, void *ctx) {
    (void)ctx;
    return sweep_work(rt);
}

static void sweep_end(pm_runtime *rt, void *ctx, long n, int rc) {
    (void)rc;
    sweep_ctx *c = ctx;
    pm_gc_collect(rt, 2);       /* a class is in cycles (its MRO, its dict's descriptors) */
    if (!c->rt) {
        pm_runtime_free(rt);    /* every block back: ASan's leak check at exit */
        return;
    }
    size_t now = ct_bytes(rt);
    if (now != c->baseline) fail_msg("fault at allocation %ld: %zu bytes in use, %zu before", n, now, c->baseline);
}

/* Fresh runtimes: the first-use allocations (type states, the method
 * cache, interned names) fail one by one.  A warm one: what a run makes
 * and drops must all come back, whichever allocation failed. */
static void test_fault_sweep(void **state) {
    (void)state;
    for (int warm = 0; warm < 2; warm++) {
        for (int persistent = 0; persistent < 2; persistent++) {
            sweep_ctx c = {NULL, 0};
            if (warm) {
                c.rt = tu_runtime();
                assert_int_equal(sweep_work(c.rt), 0);
                assert_int_equal(sweep_work(c.rt), 0);
                pm_gc_collect(c.rt, 2);
                c.baseline = ct_bytes(c.rt);
            }
            fs_sweep sw = {warm ? "attr-cache (warm)" : "attr-cache (fresh)", persistent, 0, &c, sweep_begin,
                           sweep_run, sweep_end};
            fs_result r = fs_run(&sw);
            assert_true(r.points > (warm ? 3 : 10));
            if (c.rt) pm_runtime_free(c.rt);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_steps_vs_python3),
        cmocka_unit_test(test_cache_churn),
        cmocka_unit_test(test_direct_vs_python3),
        cmocka_unit_test(test_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
