/* Weak references and finalize callbacks (issue 4): cleared exactly when
 * CPython 3.11 clears them, in both ways an object dies, with callbacks in
 * CPython's order (compared with python3), at most once, with errors going
 * to the unraisable hook; finalize at death, at collection, on call, on
 * detach and at runtime teardown (newest first). */
#include "test_gc_util.h"

/* python3 prints one line; compare it with `want` (a failure if python3
 * cannot be asked, unless PYMM_NO_PYTHON3=1). */
static void check_python_line(const char *code, const char *want) {
    char buf[1024];
    if (!tu_python_wanted()) {
        print_message("PYMM_NO_PYTHON3=1: comparison with python3 skipped\n");
        return;
    }
    tu_python(code, buf, sizeof buf);
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = 0;
    assert_string_equal(buf, want);
}

/* Callback: log "W<data>". */
static int cb_log(pm_runtime *rt, pm_object *wr, pm_object *data) {
    assert_false(pm_weakref_is_alive(rt, wr));      /* dead when the callback runs */
    glog("W%ld", pm_int_as_long(rt, data));
    return 0;
}

/* Callback: data = (id, dict, key): log, then del dict[key]. */
static int cb_pop(pm_runtime *rt, pm_object *wr, pm_object *data) {
    (void)wr;
    glog("W%ld", pm_int_as_long(rt, pm_tuple_get(rt, data, 0)));
    return pm_dict_del(rt, pm_tuple_get(rt, data, 1), pm_tuple_get(rt, data, 2));
}

static int cb_fail(pm_runtime *rt, pm_object *wr, pm_object *data) {
    (void)wr;
    (void)data;
    pm_err_set(rt, PM_EXC_ValueError, "callback boom");
    return -1;
}

static pm_object *ref_cb(pm_runtime *rt, pm_object *o, long tag) {
    pm_object *t = pm_int_from_long(rt, tag);
    pm_object *w = pm_weakref_new(rt, o, cb_log, t);
    pm_decref(rt, t);
    return w;
}

#define PY_PRELUDE                                                              \
    "import gc, weakref\n"                                                      \
    "out = []\n"                                                                \
    "def cb(tag): return lambda r: out.append('W%d' % tag)\n"                   \
    "CB1 = cb(1)\n"                                                             \
    "class N:\n"                                                                \
    "    __slots__ = ('ref', 'ref2', '__weakref__', 'id')\n"                    \
    "class F(N):\n"                                                             \
    "    __slots__ = ()\n"                                                      \
    "    def __del__(self): out.append('F%d' % self.id)\n"                      \
    "gc.disable(); gc.collect()\n"

/* ---- basics -------------------------------------------------------------------- */

static void test_basics(void **state) {
    (void)state;
    pm_runtime *rt = gtest_runtime();
    size_t base = gblocks(rt);
    pm_object *a = gnew(rt, &gnode_type, 1);
    pm_object *w = pm_weakref_new(rt, a, NULL, NULL);
    assert_non_null(w);
    assert_int_equal(pm_getsizeof(rt, w), 80);      /* sys.getsizeof(weakref.ref(x)) */
    assert_true(pm_gc_is_tracked(w));
    pm_object *w2 = pm_weakref_new(rt, a, NULL, NULL);
    assert_ptr_equal(w, w2);                        /* callback-less refs are shared */
    pm_decref(rt, w2);
    pm_object *wc = ref_cb(rt, a, 1);
    assert_ptr_not_equal(wc, w);
    assert_int_equal(pm_weakref_getcount(rt, a), 2);
    pm_object *refs = pm_weakref_getrefs(rt, a);
    assert_int_equal(pm_list_size(refs), 2);
    assert_ptr_equal(pm_list_get(rt, refs, 0), w);  /* the basic ref heads the list */
    pm_decref(rt, refs);
    pm_object *got = pm_weakref_get(rt, w);
    assert_ptr_equal(got, a);
    pm_decref(rt, got);
    assert_int_equal(pm_refcnt(rt, a), 1);          /* weak: not counted */
    char want[128];
    snprintf(want, sizeof want, "<weakref at %p; to 'gnode' at %p>", (void *)w, (void *)a);
    pm_object *r = pm_repr(rt, w);
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), want);
    pm_decref(rt, r);
    /* equality and hash follow the referent while it lives */
    assert_int_equal(pm_richcompare_bool(rt, w, wc, PM_EQ), 1);
    pm_hash_t h = pm_hash(rt, w);
    assert_int_not_equal(h, -1);
    assert_int_equal(pm_err_occurred(rt), PM_EXC_NONE);
    assert_int_equal(h, pm_hash(rt, a));
    pm_decref(rt, a);
    assert_string_equal(G.log, "W1");
    assert_false(pm_weakref_is_alive(rt, w));
    got = pm_weakref_get(rt, w);
    assert_ptr_equal(got, PM_NONE);
    snprintf(want, sizeof want, "<weakref at %p; dead>", (void *)w);
    r = pm_repr(rt, w);
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), want);
    pm_decref(rt, r);
    assert_int_equal(pm_hash(rt, w), h);            /* cached */
    assert_int_equal(pm_hash(rt, wc), -1);          /* never hashed while alive */
    assert_string_equal(pm_err_message(rt), "weak object has gone away");
    pm_err_clear(rt);
    assert_int_equal(pm_richcompare_bool(rt, w, wc, PM_EQ), 0);   /* dead: identity */
    pm_decref(rt, w);
    pm_decref(rt, wc);
    /* not weakrefable */
    pm_object *one = pm_int_from_long(rt, 1000);
    assert_null(pm_weakref_new(rt, one, NULL, NULL));
    assert_string_equal(pm_err_message(rt), "cannot create weak reference to 'int' object");
    pm_err_clear(rt);
    pm_decref(rt, one);
    pm_freelists_clear(rt);
    assert_int_equal(gblocks(rt), base);
    gtest_check_mode(rt);
    pm_runtime_free(rt);
}

/* ---- refcount death ---------------------------------------------------------- */

static void test_death_order(void **state) {
    (void)state;
    pm_runtime *rt = gtest_runtime();
    /* newest callback first; the basic ref cleared quietly; the finalizer
     * before any weakref is cleared */
    pm_object *a = gnew(rt, &fnode_type, 1);
    pm_object *w1 = ref_cb(rt, a, 1), *w2 = ref_cb(rt, a, 2);
    pm_object *w0 = pm_weakref_new(rt, a, NULL, NULL);
    pm_object *w3 = ref_cb(rt, a, 3);
    pm_decref(rt, a);
    assert_string_equal(G.log, "F1 W3 W2 W1");
    pm_decref(rt, w0);
    pm_decref(rt, w1);
    pm_decref(rt, w2);
    pm_decref(rt, w3);
    check_python_line(PY_PRELUDE
                      "a = F(); a.id = 1\n"
                      "w1 = weakref.ref(a, cb(1)); w2 = weakref.ref(a, cb(2))\n"
                      "w0 = weakref.ref(a); w3 = weakref.ref(a, cb(3))\n"
                      "del a\n"
                      "print(' '.join(out))\n",
                      "F1 W3 W2 W1");
    /* a weakref that dies before its referent never calls back */
    greset();
    a = gnew(rt, &gnode_type, 1);
    w1 = ref_cb(rt, a, 1);
    pm_decref(rt, w1);
    assert_int_equal(pm_weakref_getcount(rt, a), 0);
    pm_decref(rt, a);
    assert_string_equal(G.log, "");
    gtest_check_mode(rt);
    pm_runtime_free(rt);
}

/* A callback that fails is reported; the others still run. */
static int unraisable_calls;
static char unraisable_text[256];
static void count_unraisable(pm_runtime *rt, const char *where, pm_object *obj, pm_object *exc,
                             void *ctx) {
    (void)ctx;
    unraisable_calls++;
    pm_object *s = pm_str(rt, exc);
    snprintf(unraisable_text, sizeof unraisable_text, "%s: %s | %s: %s", where,
             obj ? obj->ob_type->name : "-", exc->ob_type->name, s ? pm_str_as_utf8(rt, s, NULL) : "?");
    if (s) pm_decref(rt, s);
}

static void test_callback_error(void **state) {
    (void)state;
    pm_runtime *rt = gtest_runtime();
    unraisable_calls = 0;
    pm_set_unraisable_hook(rt, count_unraisable, NULL);
    pm_object *a = gnew(rt, &gnode_type, 1);
    pm_object *w1 = ref_cb(rt, a, 1);
    pm_object *wf = pm_weakref_new(rt, a, cb_fail, NULL);
    pm_object *w2 = ref_cb(rt, a, 2);
    pm_err_set(rt, PM_EXC_KeyError, "'outer'");     /* an error pending in the caller */
    pm_decref(rt, a);
    assert_int_equal(pm_err_kind(rt), PM_EXC_KeyError);
    pm_err_clear(rt);
    assert_string_equal(G.log, "W2 W1");
    assert_int_equal(unraisable_calls, 1);
    assert_string_equal(unraisable_text,
                        "Exception ignored in: weakref.ReferenceType | ValueError: callback boom");
    pm_decref(rt, w1);
    pm_decref(rt, wf);
    pm_decref(rt, w2);
    gtest_check_mode(rt);
    pm_runtime_free(rt);
}

/* ---- collection ------------------------------------------------------------------- */

static void test_gc_order(void **state) {
    (void)state;
    pm_runtime *rt = gtest_runtime();
    /* a <-> b, both with finalizers; weakrefs with callbacks to both: all
     * weakrefs cleared, their callbacks run (newest first per object, the
     * objects in list order), then the finalizers */
    pm_object *a = gnew(rt, &fnode_type, 1), *b = gnew(rt, &fnode_type, 2);
    gset(rt, a, 0, b);
    gset(rt, b, 0, a);
    pm_object *wa = ref_cb(rt, a, 1), *wb = ref_cb(rt, b, 2), *wa2 = ref_cb(rt, a, 3);
    pm_object *wplain = pm_weakref_new(rt, a, NULL, NULL);
    pm_decref(rt, a);
    pm_decref(rt, b);
    assert_int_equal(gcollect(rt, 2), 2);
    assert_string_equal(G.log, "W3 W1 W2 F1 F2");
    assert_false(pm_weakref_is_alive(rt, wplain));
    pm_decref(rt, wa);
    pm_decref(rt, wb);
    pm_decref(rt, wa2);
    pm_decref(rt, wplain);
    check_python_line(PY_PRELUDE
                      "a = F(); a.id = 1; b = F(); b.id = 2; a.ref = b; b.ref = a\n"
                      "wa = weakref.ref(a, cb(1)); wb = weakref.ref(b, cb(2)); wa2 = weakref.ref(a, cb(3))\n"
                      "wp = weakref.ref(a)\n"
                      "del a, b\n"
                      "n = gc.collect()\n"
                      "print(' '.join(out + [str(n), str(wp() is None)]))\n",
                      "W3 W1 W2 F1 F2 2 True");
    gtest_check_mode(rt);
    pm_runtime_free(rt);
}

/* A weakref that is garbage with its referent never calls back; one freed
 * right after its callback is counted. */
static void test_gc_weakref_counts(void **state) {
    (void)state;
    pm_runtime *rt = gtest_runtime();
    long got[3];
    /* a.ref = weakref.ref(a, cb): the weakref is in the cycle's garbage */
    pm_object *a = gnew(rt, &gnode_type, 1);
    pm_object *w = ref_cb(rt, a, 1);
    gset(rt, a, 0, a);
    gset(rt, a, 1, w);
    pm_decref(rt, w);
    pm_decref(rt, a);
    got[0] = gcollect(rt, 2);
    assert_string_equal(G.log, "");
    /* d['w'] = weakref.ref(a, lambda r: d.pop('w')): freed by its callback */
    pm_object *d = pm_dict_new(rt), *key = pm_str_from_cstr(rt, "w");
    a = gnew(rt, &gnode_type, 2);
    pm_object *b = gnew(rt, &gnode_type, 3);
    gset(rt, a, 0, b);
    gset(rt, b, 0, a);
    pm_object *two = pm_int_from_long(rt, 2);
    pm_object *data = pm_tuple_pack(rt, 3, two, d, key);
    w = pm_weakref_new(rt, a, cb_pop, data);
    pm_dict_set(rt, d, key, w);
    pm_decref(rt, w);
    pm_decref(rt, data);
    pm_decref(rt, two);
    pm_decref(rt, a);
    pm_decref(rt, b);
    got[1] = gcollect(rt, 2);
    assert_string_equal(G.log, "W2");
    assert_int_equal(pm_dict_size(d), 0);
    /* a resurrecting finalizer keeps its object, but its weakrefs are dead */
    pm_object *saved = pm_list_new(rt);
    G.resurrect_into = saved;
    a = gnew(rt, &fnode_type, 4);
    gset(rt, a, 0, a);
    w = pm_weakref_new(rt, a, NULL, NULL);
    pm_decref(rt, a);
    got[2] = gcollect(rt, 2);
    assert_int_equal(pm_list_size(saved), 1);
    assert_false(pm_weakref_is_alive(rt, w));
    G.resurrect_into = NULL;
    pm_decref(rt, w);
    pm_decref(rt, saved);
    gcollect(rt, 2);
    pm_decref(rt, d);
    pm_decref(rt, key);
    long expect[] = {2, 3, 0};
    assert_memory_equal(got, expect, sizeof got);
    check_python_line(PY_PRELUDE
                      "a = N(); a.id = 1; w = weakref.ref(a, CB1); a.ref = a; a.ref2 = w\n"
                      "del a, w\n"
                      "n1 = gc.collect()\n"
                      "d = {}\n"
                      "a = N(); b = N(); a.ref = b; b.ref = a\n"
                      "d['w'] = weakref.ref(a, lambda r: (out.append('W2'), d.pop('w')))\n"
                      "del a, b\n"
                      "n2 = gc.collect()\n"
                      "saved = []\n"
                      "class R(N):\n"
                      "    __slots__ = ()\n"
                      "    def __del__(self): saved.append(self)\n"
                      "a = R(); a.ref = a; w = weakref.ref(a); del a\n"
                      "n3 = gc.collect()\n"
                      "print(n1, n2, n3, len(saved), w() is None, ' '.join(out))\n",
                      "2 3 0 1 True W2");
    gtest_check_mode(rt);
    pm_runtime_free(rt);
}

/* Objects released by one dealloc die in CPython's order: a list and a
 * tuple release their items last first, a dict and a C type first first,
 * and each item's own contents go before its next sibling. */
static void test_container_death_order(void **state) {
    (void)state;
    pm_runtime *rt = gtest_runtime();
    pm_object *w[6];
    char got[4][64];
    for (int kind = 0; kind < 4; kind++) {
        greset();
        pm_object *x = gnew(rt, &gnode_type, 1), *y = gnew(rt, &gnode_type, 2);
        pm_object *x1 = gnew(rt, &gnode_type, 3);            /* x's own child */
        gset(rt, x, 0, x1);
        w[0] = ref_cb(rt, x, 1);
        w[1] = ref_cb(rt, y, 2);
        w[2] = ref_cb(rt, x1, 3);
        pm_decref(rt, x1);
        pm_object *c;
        if (kind == 0) {
            c = pm_list_new(rt);
            pm_list_append(rt, c, x);
            pm_list_append(rt, c, y);
        } else if (kind == 1) {
            c = pm_tuple_pack(rt, 2, x, y);
        } else if (kind == 2) {
            c = pm_dict_new(rt);
            pm_object *k1 = pm_str_from_cstr(rt, "a"), *k2 = pm_str_from_cstr(rt, "b");
            pm_dict_set(rt, c, k1, x);
            pm_dict_set(rt, c, k2, y);
            pm_decref(rt, k1);
            pm_decref(rt, k2);
        } else {
            c = gnew(rt, &gnode_type, 9);
            gset(rt, c, 0, x);
            gset(rt, c, 1, y);
        }
        pm_decref(rt, x);
        pm_decref(rt, y);
        pm_decref(rt, c);
        memcpy(got[kind], G.log, sizeof got[kind] - 1);
        got[kind][sizeof got[kind] - 1] = 0;
        for (int i = 0; i < 3; i++) pm_decref(rt, w[i]);
    }
    assert_string_equal(got[0], "W2 W1 W3");
    assert_string_equal(got[1], "W2 W1 W3");
    assert_string_equal(got[2], "W1 W3 W2");
    assert_string_equal(got[3], "W1 W3 W2");
    check_python_line(PY_PRELUDE
                      "res = []\n"
                      "for kind in range(4):\n"
                      "    out.clear()\n"
                      "    x = N(); y = N(); x1 = N(); x.ref = x1\n"
                      "    w = [weakref.ref(x, cb(1)), weakref.ref(y, cb(2)), weakref.ref(x1, cb(3))]\n"
                      "    del x1\n"
                      "    if kind == 0: c = [x, y]\n"
                      "    elif kind == 1: c = (x, y)\n"
                      "    elif kind == 2: c = {'a': x, 'b': y}\n"
                      "    else: c = N(); c.ref = x; c.ref2 = y\n"
                      "    del x, y, c\n"
                      "    res.append(' '.join(out))\n"
                      "print('|'.join(res))\n",
                      "W2 W1 W3|W2 W1 W3|W1 W3 W2|W1 W3 W2");
    gtest_check_mode(rt);
    pm_runtime_free(rt);
}

/* While an object waits on the deferred-dealloc chain, wr() calls it dead. */
static pm_object *watched;
static int cb_peek(pm_runtime *rt, pm_object *wr, pm_object *data) {
    (void)wr;
    (void)data;
    pm_object *o = pm_weakref_get(rt, watched);
    glog("peek%ld", o == PM_NONE ? 0 : 1);
    pm_decref(rt, o);
    return 0;
}

static void test_dying_referent(void **state) {
    (void)state;
    pm_runtime *rt = gtest_runtime();
    pm_object *p = gnew(rt, &gnode_type, 1);
    pm_object *x = gnew(rt, &gnode_type, 2), *y = gnew(rt, &gnode_type, 3);
    gset(rt, p, 0, y);
    gset(rt, p, 1, x);
    pm_object *wx = pm_weakref_new(rt, x, cb_peek, NULL);
    watched = pm_weakref_new(rt, y, NULL, NULL);
    pm_decref(rt, x);
    pm_decref(rt, y);
    pm_decref(rt, p);                               /* p, then x and y, die */
    assert_string_equal(G.log, "peek0");
    assert_int_equal(G.freed, 3);
    pm_decref(rt, wx);
    pm_decref(rt, watched);
    gtest_check_mode(rt);
    pm_runtime_free(rt);
}

/* ---- finalize -------------------------------------------------------------------- */

static int fin_log(pm_runtime *rt, pm_object *data) {
    glog("fin%ld", pm_int_as_long(rt, data));
    return 0;
}
static int fin_fail(pm_runtime *rt, pm_object *data) {
    (void)data;
    pm_err_set(rt, PM_EXC_RuntimeError, "fin failed");
    return -1;
}

static pm_object *fin(pm_runtime *rt, pm_object *o, long tag) {
    pm_object *t = pm_int_from_long(rt, tag);
    pm_object *f = pm_finalize_new(rt, o, fin_log, t);
    pm_decref(rt, t);
    return f;
}

static void test_finalize(void **state) {
    (void)state;
    pm_runtime *rt = gtest_runtime();
    size_t base = gblocks(rt);
    /* at refcount death, once, even with no reference to the finalizer */
    pm_object *a = gnew(rt, &gnode_type, 1);
    pm_decref(rt, fin(rt, a, 1));
    pm_object *f2 = fin(rt, a, 2);
    assert_true(pm_finalize_alive(rt, f2));
    assert_true(pm_finalize_get_atexit(rt, f2));
    pm_decref(rt, a);
    assert_string_equal(G.log, "fin2 fin1");
    assert_false(pm_finalize_alive(rt, f2));
    assert_int_equal(pm_finalize_call(rt, f2), 0);
    pm_decref(rt, f2);
    /* at collection */
    greset();
    a = gnew(rt, &gnode_type, 1);
    gset(rt, a, 0, a);
    pm_decref(rt, fin(rt, a, 3));
    pm_decref(rt, a);
    /* the object and the finalizer's weakref, freed after its callback */
    assert_int_equal(gcollect(rt, 2), 2);
    assert_string_equal(G.log, "fin3");
    check_python_line("import gc, weakref\n"
                      "gc.disable(); gc.collect()\n"
                      "class A:\n"
                      "    __slots__ = ('r', '__weakref__')\n"
                      "a = A(); a.r = a\n"
                      "weakref.finalize(a, print, 'fin3', end=' ')\n"
                      "del a\n"
                      "print(gc.collect())\n",
                      "fin3 2");
    /* called by hand: not again at death; detach: never */
    greset();
    a = gnew(rt, &gnode_type, 1);
    pm_object *f = fin(rt, a, 4), *g = fin(rt, a, 5);
    assert_int_equal(pm_finalize_call(rt, f), 1);
    assert_int_equal(pm_finalize_call(rt, f), 0);
    pm_object *data = NULL;
    assert_int_equal(pm_finalize_detach(rt, g, &data), 1);
    assert_int_equal(pm_int_as_long(rt, data), 5);
    pm_decref(rt, data);
    assert_int_equal(pm_finalize_detach(rt, g, &data), 0);
    assert_int_equal(pm_weakref_getcount(rt, a), 0);
    pm_decref(rt, a);
    assert_string_equal(G.log, "fin4");
    pm_decref(rt, f);
    pm_decref(rt, g);
    /* a failing func: -1 by hand, unraisable at death */
    unraisable_calls = 0;
    pm_set_unraisable_hook(rt, count_unraisable, NULL);
    a = gnew(rt, &gnode_type, 1);
    f = pm_finalize_new(rt, a, fin_fail, NULL);
    assert_int_equal(pm_finalize_call(rt, f), -1);
    assert_string_equal(pm_err_message(rt), "fin failed");
    pm_err_clear(rt);
    pm_decref(rt, f);
    pm_decref(rt, pm_finalize_new(rt, a, fin_fail, NULL));
    pm_decref(rt, a);
    assert_int_equal(unraisable_calls, 1);
    pm_freelists_clear(rt);
    assert_int_equal(gblocks(rt), base);
    gtest_check_mode(rt);
    pm_runtime_free(rt);
}

static void test_finalize_at_teardown(void **state) {
    (void)state;
    pm_runtime *rt = gtest_runtime();
    pm_object *a = gnew(rt, &gnode_type, 1), *b = gnew(rt, &gnode_type, 2);
    pm_decref(rt, fin(rt, a, 1));
    pm_decref(rt, fin(rt, b, 2));
    pm_object *f3 = fin(rt, a, 3);
    pm_finalize_set_atexit(rt, f3, 0);
    pm_decref(rt, f3);
    /* a and b are leaked on purpose: their finalizers run at teardown */
    gtest_check_mode(rt);
    pm_runtime_free(rt);
    assert_string_equal(G.log, "fin2 fin1");
    check_python_line("import weakref\n"
                      "class A: pass\n"
                      "a = A(); b = A()\n"
                      "weakref.finalize(a, print, 'fin1', end=' ')\n"
                      "weakref.finalize(b, print, 'fin2', end=' ')\n"
                      "f3 = weakref.finalize(a, print, 'fin3', end=' '); f3.atexit = False\n",
                      "fin2 fin1 ");
}

/* ---- proxies and the list order of shared references ------------------------- */

static void test_proxies(void **state) {
    (void)state;
    pm_runtime *rt = gtest_runtime();
    size_t base = gblocks(rt);
    pm_object *a = gnew(rt, &gnode_type, 1);
    pm_object *wc = ref_cb(rt, a, 1);
    pm_object *p = pm_weakref_proxy(rt, a, NULL);
    assert_non_null(p);
    assert_ptr_equal(pm_type_of(p), &pm_weakproxy_type);      /* gnode is not callable */
    assert_int_equal(pm_getsizeof(rt, p), 80);
    pm_object *p2 = pm_weakref_proxy(rt, a, PM_NONE);          /* None: no callback, shared */
    assert_ptr_equal(p, p2);
    pm_decref(rt, p2);
    pm_object *w = pm_weakref_new_object(rt, &pm_weakref_type, a, NULL);
    assert_non_null(w);
    pm_object *cb = pm_weakref_get_callback(rt, w);
    assert_ptr_equal(cb, PM_NONE);
    pm_decref(rt, cb);
    /* CPython's list order: basic ref, basic proxy, then the others newest
     * first — whatever the order they were made in */
    pm_object *refs = pm_weakref_getrefs(rt, a);
    assert_int_equal(pm_list_size(refs), 3);
    assert_ptr_equal(pm_list_get(rt, refs, 0), w);
    assert_ptr_equal(pm_list_get(rt, refs, 1), p);
    assert_ptr_equal(pm_list_get(rt, refs, 2), wc);
    pm_decref(rt, refs);
    pm_object *got = pm_weakref_get(rt, p);
    assert_ptr_equal(got, a);
    pm_decref(rt, got);
    assert_int_equal(pm_hash(rt, p), -1);                       /* proxies are unhashable */
    pm_err_clear(rt);
    pm_decref(rt, a);
    assert_string_equal(G.log, "W1");
    pm_object *r = pm_getattr_cstr(rt, p, "anything");
    assert_null(r);
    assert_ptr_equal(pm_err_occurred_type(rt), &pm_exc_ReferenceError);
    assert_string_equal(pm_err_message(rt), "weakly-referenced object no longer exists");
    pm_err_clear(rt);
    assert_int_equal(pm_is_true(rt, p), -1);
    pm_err_clear(rt);
    pm_decref(rt, p);
    pm_decref(rt, w);
    pm_decref(rt, wc);
    pm_freelists_clear(rt);
    assert_int_equal(gblocks(rt), base);
    pm_runtime_free(rt);
}

/* Every allocation of making a proxy or a ref can fail: NULL + MemoryError,
 * nothing leaked, the referent's list unchanged. */
static void test_proxy_faults(void **state) {
    (void)state;
    pm_runtime *rt = gtest_runtime();
    size_t base = gblocks(rt);
    pm_object *a = gnew(rt, &gnode_type, 1);
    long points = 0;
    for (int kind = 0; kind < 2; kind++) {
        for (long n = 1;; n++) {
            pm_fault_inject(rt, n, 0);
            pm_object *o = kind ? pm_weakref_new_object(rt, &pm_weakref_type, a, NULL)
                                : pm_weakref_proxy(rt, a, NULL);
            long fired = pm_fault_fired(rt);
            pm_fault_inject(rt, 0, 0);
            if (o) {
                assert_int_equal(pm_weakref_getcount(rt, a), 1);
                pm_decref(rt, o);
                if (!fired) break;
                continue;
            }
            points++;
            assert_true(fired > 0);
            assert_true(pm_err_matches(rt, PM_EXC_MemoryError));
            pm_err_clear(rt);
            assert_int_equal(pm_weakref_getcount(rt, a), 0);
        }
    }
    assert_true(points >= 2);
    pm_decref(rt, a);
    pm_freelists_clear(rt);
    assert_int_equal(gblocks(rt), base);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basics),
        cmocka_unit_test(test_death_order),
        cmocka_unit_test(test_callback_error),
        cmocka_unit_test(test_gc_order),
        cmocka_unit_test(test_gc_weakref_counts),
        cmocka_unit_test(test_container_death_order),
        cmocka_unit_test(test_dying_referent),
        cmocka_unit_test(test_finalize),
        cmocka_unit_test(test_finalize_at_teardown),
        cmocka_unit_test(test_proxies),
        cmocka_unit_test(test_proxy_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
