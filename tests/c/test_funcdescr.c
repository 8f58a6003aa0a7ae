/* classmethod, staticmethod, property and the bound method (funcdescr.c),
 * differentially against python3: construction through the types (errors
 * included), reprs, attributes, __get__/__set__/__delete__ called as the
 * type's hooks, getter/setter/deleter copies, sizes and gc tracking; and a
 * fault sweep over construction and copying. */
#include "objutil.h"

/* C twins of builtins.len and builtins.abs, so reprs and docs match. */
static pm_object *f_len(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    pm_ssize_t n = pm_length(rt, arg);
    return n < 0 ? NULL : pm_int_from_ssize(rt, n);
}
static pm_object *f_abs(pm_runtime *rt, pm_object *self, pm_object *arg) {
    (void)self;
    return pm_number_absolute(rt, arg);
}
static const pm_method_def len_def = {"len", f_len, PM_METH_O, "Return the number of items in a container."};
static const pm_method_def abs_def = {"abs", f_abs, PM_METH_O, "Return the absolute value of the argument."};

#define T(t) pm_type_as_object(&(t))

static pm_object *get(pm_runtime *rt, pm_object *d, pm_object *obj, pm_object *type) {
    return d->ob_type->descr_get(rt, d, obj, type);
}
static pm_object *set(pm_runtime *rt, pm_object *d, pm_object *obj, pm_object *v) {
    return d->ob_type->descr_set(rt, d, obj, v) < 0 ? NULL : pm_newref(rt, PM_NONE);
}

static void test_wrappers(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    static ou_out o;
    o.len = 0;
    o.buf[0] = 0;
    pm_object *len = pm_cfunction_new(rt, &len_def, NULL), *abs_ = pm_cfunction_new(rt, &abs_def, NULL);
    pm_object *one = ou_int(rt, 1), *m5 = ou_int(rt, -5), *l12 = pm_list_new(rt), *x = ou_str(rt, "x");
    pm_list_append(rt, l12, one);
    pm_list_append(rt, l12, m5);
    pm_object *kw = pm_tuple_pack(rt, 1, ou_str(rt, "f"));
    pm_decref(rt, pm_tuple_get(rt, kw, 0));

    /* classmethod */
    pm_object *cm = ou_call(rt, T(pm_classmethod_type), 1, len);
    ou_emit(rt, &o, pm_newref(rt, cm));
    ou_emit(rt, &o, ou_call(rt, T(pm_classmethod_type), 0));
    ou_emit(rt, &o, ou_call(rt, T(pm_classmethod_type), 2, len, len));
    pm_object *kwa[1] = {len};
    ou_emit(rt, &o, pm_call(rt, T(pm_classmethod_type), kwa, 0, kw));
    ou_emit(rt, &o, get(rt, cm, NULL, T(pm_int_type)));
    ou_emit(rt, &o, get(rt, cm, one, NULL));
    pm_object *bm = get(rt, cm, one, NULL);
    ou_emit(rt, &o, pm_getattr_cstr(rt, bm, "__func__"));
    ou_emit(rt, &o, pm_getattr_cstr(rt, bm, "__self__"));
    ou_emit(rt, &o, pm_getattr_cstr(rt, bm, "__name__"));
    ou_emit(rt, &o, ou_call(rt, bm, 0));                            /* len(int) */
    ou_emit_bool(rt, &o, pm_richcompare_bool(rt, bm, bm, PM_EQ));
    pm_decref(rt, bm);
    ou_emit(rt, &o, pm_getattr_cstr(rt, cm, "__func__"));
    ou_emit(rt, &o, pm_getattr_cstr(rt, cm, "__wrapped__"));
    ou_emit(rt, &o, pm_getattr_cstr(rt, cm, "__isabstractmethod__"));
    ou_emit(rt, &o, pm_getattr_cstr(rt, cm, "__name__"));           /* copied by functools.wraps */
    ou_emit(rt, &o, pm_getattr_cstr(rt, cm, "__doc__"));
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, cm));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(cm));
    ou_emit(rt, &o, pm_setattr(rt, cm, x, one) < 0 ? NULL : pm_getattr(rt, cm, x));
    pm_object *ucm = pm_classmethod_type.new_object(rt, &pm_classmethod_type, NULL, NULL);
    ou_emit(rt, &o, get(rt, ucm, one, NULL));
    pm_decref(rt, ucm);
    ou_emit(rt, &o, pm_getattr_cstr(rt, T(pm_classmethod_type), "__name__"));

    /* staticmethod */
    pm_object *sm = ou_call(rt, T(pm_staticmethod_type), 1, len);
    ou_emit(rt, &o, pm_newref(rt, sm));
    ou_emit(rt, &o, ou_call(rt, T(pm_staticmethod_type), 0));
    ou_emit(rt, &o, get(rt, sm, one, NULL));
    ou_emit(rt, &o, get(rt, sm, NULL, T(pm_int_type)));
    ou_emit(rt, &o, ou_call(rt, sm, 1, l12));
    ou_emit(rt, &o, ou_call(rt, sm, 0));
    ou_emit(rt, &o, pm_getattr_cstr(rt, sm, "__func__"));
    ou_emit(rt, &o, pm_getattr_cstr(rt, sm, "__isabstractmethod__"));
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, sm));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(sm));
    pm_object *usm = pm_staticmethod_type.new_object(rt, &pm_staticmethod_type, NULL, NULL);
    ou_emit(rt, &o, get(rt, usm, one, NULL));
    pm_decref(rt, usm);

    /* property */
    pm_object *p = ou_call(rt, T(pm_property_type), 1, abs_);
    ou_emit(rt, &o, pm_getattr_cstr(rt, p, "fget"));
    ou_emit(rt, &o, pm_getattr_cstr(rt, p, "fset"));
    ou_emit(rt, &o, pm_getattr_cstr(rt, p, "__doc__"));
    ou_emit(rt, &o, get(rt, p, m5, NULL));                          /* abs(-5) */
    ou_emit_bool(rt, &o, get(rt, p, NULL, T(pm_int_type)) == p);
    pm_decref(rt, p);
    ou_emit(rt, &o, set(rt, p, m5, one));
    ou_emit(rt, &o, set(rt, p, m5, NULL));
    pm_object *r = ou_callm(rt, p, "__set_name__", 2, PM_NONE, x);
    ou_emit(rt, &o, r);
    ou_emit(rt, &o, set(rt, p, m5, one));
    ou_emit(rt, &o, set(rt, p, m5, NULL));
    pm_object *p2 = ou_callm(rt, p, "setter", 1, len);              /* copy with fset=len */
    ou_emit(rt, &o, pm_getattr_cstr(rt, p2, "fset"));
    ou_emit(rt, &o, pm_getattr_cstr(rt, p2, "fget"));
    ou_emit_bool(rt, &o, p2 != p);
    ou_emit(rt, &o, set(rt, p2, m5, one));                         /* len(-5, 1) */
    ou_emit(rt, &o, set(rt, p2, m5, NULL));                        /* named: no deleter */
    pm_object *p3 = ou_callm(rt, p2, "getter", 1, len);            /* doc follows the new getter */
    ou_emit(rt, &o, pm_getattr_cstr(rt, p3, "__doc__"));
    ou_emit(rt, &o, ou_callm(rt, p3, "getter", 1, PM_NONE));
    pm_object *p4 = ou_callm(rt, p3, "deleter", 1, abs_);
    ou_emit(rt, &o, pm_getattr_cstr(rt, p4, "fdel"));
    ou_emit(rt, &o, set(rt, p4, m5, NULL));                        /* abs(-5): ok */
    ou_emit(rt, &o, pm_getattr_cstr(rt, p4, "__isabstractmethod__"));
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, p4));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(p4));
    pm_decref(rt, p2);
    pm_decref(rt, p3);
    pm_decref(rt, p4);
    pm_object *pe = ou_call(rt, T(pm_property_type), 0);
    ou_emit(rt, &o, get(rt, pe, l12, NULL));
    ou_emit(rt, &o, pm_getattr_cstr(rt, pe, "__doc__"));
    pm_object *dstr = ou_str(rt, "d");
    pm_object *pd = pm_property_new(rt, abs_, NULL, NULL, dstr);
    ou_emit(rt, &o, pm_getattr_cstr(rt, pd, "__doc__"));
    pm_object *p5 = ou_callm(rt, pd, "getter", 1, len);
    ou_emit(rt, &o, pm_getattr_cstr(rt, p5, "__doc__"));
    pm_decref(rt, p5);
    pm_decref(rt, pd);
    pm_decref(rt, dstr);
    pm_decref(rt, pe);
    ou_emit(rt, &o, ou_call(rt, T(pm_property_type), 5, one, one, one, one, one));
    pm_object *kwv[2] = {one, one};
    pm_object *fx = pm_tuple_pack(rt, 1, x);
    ou_emit(rt, &o, pm_call(rt, T(pm_property_type), kwv, 0, fx));
    pm_object *fg = pm_tuple_pack(rt, 1, ou_str(rt, "fget"));
    pm_decref(rt, pm_tuple_get(rt, fg, 0));
    ou_emit(rt, &o, pm_call(rt, T(pm_property_type), kwv, 1, fg));
    pm_decref(rt, fg);
    pm_decref(rt, fx);

    ou_compare(&o,
               "cm = classmethod(len)\n"
               "E(lambda: cm)\n"
               "E(lambda: classmethod())\n"
               "E(lambda: classmethod(len, len))\n"
               "E(lambda: classmethod(f=len))\n"
               "E(lambda: cm.__get__(None, int))\n"
               "E(lambda: cm.__get__(1))\n"
               "bm = cm.__get__(1)\n"
               "E(lambda: bm.__func__)\n"
               "E(lambda: bm.__self__)\n"
               "E(lambda: bm.__name__)\n"
               "E(lambda: bm())\n"
               "E(lambda: bm == bm)\n"
               "E(lambda: cm.__func__)\n"
               "E(lambda: cm.__wrapped__)\n"
               "E(lambda: cm.__isabstractmethod__)\n"
               "E(lambda: cm.__name__)\n"
               "E(lambda: cm.__doc__)\n"
               "E(lambda: sys.getsizeof(cm))\n"
               "E(lambda: gc.is_tracked(cm))\n"
               "cm.x = 1; E(lambda: cm.x)\n"
               "E(lambda: classmethod.__new__(classmethod).__get__(1))\n"
               "E(lambda: classmethod.__name__)\n"
               "sm = staticmethod(len)\n"
               "E(lambda: sm)\n"
               "E(lambda: staticmethod())\n"
               "E(lambda: sm.__get__(1))\n"
               "E(lambda: sm.__get__(None, int))\n"
               "E(lambda: sm([1, -5]))\n"
               "E(lambda: sm())\n"
               "E(lambda: sm.__func__)\n"
               "E(lambda: sm.__isabstractmethod__)\n"
               "E(lambda: sys.getsizeof(sm))\n"
               "E(lambda: gc.is_tracked(sm))\n"
               "E(lambda: staticmethod.__new__(staticmethod).__get__(1))\n"
               "p = property(abs)\n"
               "E(lambda: p.fget)\n"
               "E(lambda: p.fset)\n"
               "E(lambda: p.__doc__)\n"
               "E(lambda: p.__get__(-5))\n"
               "E(lambda: p.__get__(None, int) is p)\n"
               "E(lambda: p.__set__(-5, 1))\n"
               "E(lambda: p.__delete__(-5))\n"
               "E(lambda: p.__set_name__(None, 'x'))\n"
               "E(lambda: p.__set__(-5, 1))\n"
               "E(lambda: p.__delete__(-5))\n"
               "p2 = p.setter(len)\n"
               "E(lambda: p2.fset)\n"
               "E(lambda: p2.fget)\n"
               "E(lambda: p2 is not p)\n"
               "E(lambda: p2.__set__(-5, 1))\n"
               "E(lambda: p2.__delete__(-5))\n"
               "p3 = p2.getter(len)\n"
               "E(lambda: p3.__doc__)\n"
               "E(lambda: p3.getter(None))\n"
               "p4 = p3.deleter(abs)\n"
               "E(lambda: p4.fdel)\n"
               "E(lambda: p4.__delete__(-5))\n"
               "E(lambda: p4.__isabstractmethod__)\n"
               "E(lambda: sys.getsizeof(p4))\n"
               "E(lambda: gc.is_tracked(p4))\n"
               "pe = property()\n"
               "E(lambda: pe.__get__([1, -5]))\n"
               "E(lambda: pe.__doc__)\n"
               "pd = property(abs, None, None, 'd')\n"
               "E(lambda: pd.__doc__)\n"
               "E(lambda: pd.getter(len).__doc__)\n"
               "E(lambda: property(1, 1, 1, 1, 1))\n"
               "E(lambda: property(x=1))\n"
               "E(lambda: property(1, fget=1))\n");
    pm_decref(rt, kw);
    pm_decref(rt, cm);
    pm_decref(rt, sm);
    pm_decref(rt, p);
    pm_decref(rt, len);
    pm_decref(rt, abs_);
    pm_decref(rt, one);
    pm_decref(rt, m5);
    pm_decref(rt, l12);
    pm_decref(rt, x);
    assert_int_equal(pm_gc_collect(rt, 2), 0);
    pm_runtime_free(rt);
}

/* A cycle through a property's getter and a classmethod's dict is found
 * by the collector. */
static void test_cycles(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *l = pm_list_new(rt);
    pm_object *p = pm_property_new(rt, l, NULL, NULL, NULL);
    pm_object *cm = pm_classmethod_new(rt, p);
    pm_object *m = pm_method_new(rt, cm, l);
    pm_list_append(rt, l, m);
    pm_decref(rt, m);
    pm_decref(rt, cm);
    pm_decref(rt, p);
    pm_decref(rt, l);
    assert_int_equal(pm_gc_collect(rt, 2), 4);
    pm_runtime_free(rt);
}

/* ---- fault sweep ---- */

static int fs_work(pm_runtime *rt, void *ctx) {
    (void)ctx;
    int rc = -1;
    pm_object *len = pm_cfunction_new(rt, &len_def, NULL), *cm = NULL, *p = NULL, *p2 = NULL, *b = NULL;
    if (!len) return -1;
    if (!(cm = pm_classmethod_new(rt, len))) goto fail;
    if (!(b = get(rt, cm, NULL, T(pm_int_type)))) goto fail;
    if (!(p = pm_property_new(rt, len, NULL, NULL, NULL))) goto fail;
    if (!(p2 = ou_callm(rt, p, "setter", 1, len))) goto fail;
    PM_CLEAR(rt, b);
    if (!(b = pm_repr(rt, cm))) goto fail;
    rc = 0;
fail:
    pm_xdecref(rt, b);
    pm_xdecref(rt, p2);
    pm_xdecref(rt, p);
    pm_xdecref(rt, cm);
    pm_decref(rt, len);
    return rc;
}

static void test_fault_sweep(void **state) {
    (void)state;
    ou_fault_sweep("funcdescr", fs_work);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrappers),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
