/* Calls: pm_call (vectorcall), pm_call_object (tuple + dict flattened to a
 * vector with kwnames), pm_call_one/noargs, pm_call_method and
 * pm_vectorcall_method (the unbound-method shortcut and instance-dict
 * shadowing), CPython's errors ("'int' object is not callable",
 * RecursionError " while calling a Python object", SystemError for a slot
 * that returns NULL without an error), and a fault sweep over
 * pm_call_object. */
#include "testutil.h"
#include "ctutil.h"
#include "faultsweep.h"
#include "core/object.h"

#include <string.h>

/* What the last call of a recorder saw. */
typedef struct recorder {
    pm_object ob_base;
    int calls;                  /* calls received */
    int nargs;                  /* positional count of the last call */
    int nkw;                    /* keyword count */
    pm_object *args[16];        /* borrowed during the call only: compared there */
    pm_object *first;           /* borrowed: args[0] of the last call (identity only) */
    int offset_flag;            /* PM_VECTORCALL_ARGUMENTS_OFFSET was set */
    int mode;                   /* 0 record; 1 recurse; 2 return NULL without error */
} recorder;

/* Returns (nargs, nkw) as a tuple, or misbehaves per mode. */
static pm_object *recorder_call(pm_runtime *rt, pm_object *self, pm_object *const *args, size_t nargsf,
                                pm_object *kwnames) {
    recorder *r = (recorder *)self;
    r->calls++;
    r->nargs = (int)pm_vectorcall_nargs(nargsf);
    r->nkw = kwnames ? (int)pm_tuple_size(kwnames) : 0;
    r->offset_flag = (nargsf & PM_VECTORCALL_ARGUMENTS_OFFSET) != 0;
    r->first = r->nargs ? args[0] : NULL;
    for (int i = 0; i < r->nargs + r->nkw && i < 16; i++) r->args[i] = args[i];
    if (r->offset_flag) {
        /* the scratch slot may be overwritten during the call */
        pm_object *save = ((pm_object **)args)[-1];
        ((pm_object **)args)[-1] = self;
        ((pm_object **)args)[-1] = save;
    }
    if (r->mode == 1) return pm_call(rt, self, args, nargsf, kwnames);
    if (r->mode == 2) return NULL;
    pm_object *a = pm_int_from_long(rt, r->nargs), *b = pm_int_from_long(rt, r->nkw);
    pm_object *t = pm_tuple_pack(rt, 3, a, b, kwnames ? kwnames : PM_NONE);
    pm_decref(rt, a);
    pm_decref(rt, b);
    return t;
}

static const pm_type recorder_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "recorder",
    .basicsize = sizeof(recorder),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .call = recorder_call,
};

/* A method descriptor: calling it records like a recorder; __get__ (which
 * pm_call_method must not need) counts and returns a fresh recorder. */
typedef struct mdescr {
    recorder rec;
    int gets;                   /* descr_get calls */
} mdescr;

static pm_object *mdescr_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    (void)obj;
    (void)type;
    ((mdescr *)self)->gets++;
    return pmi_object_new(rt, &recorder_type);
}

static const pm_type mdescr_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "mdescr",
    .basicsize = sizeof(mdescr),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_METHOD_DESCRIPTOR,
    .base = &pm_object_type,
    .call = recorder_call,
    .descr_get = mdescr_get,
};

/* The same without the flag: pm_call_method must bind through __get__. */
static const pm_type plain_descr_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "plain_descr",
    .basicsize = sizeof(mdescr),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .call = recorder_call,
    .descr_get = mdescr_get,
};

typedef struct holder {
    pm_object ob_base;
    pm_object *dict;
} holder;

static void holder_dealloc(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((holder *)self)->dict);
    pmi_object_free(rt, self);
}

static const pm_type holder_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "Holder",
    .basicsize = sizeof(holder),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .dictoffset = offsetof(holder, dict),
    .dealloc = holder_dealloc,
};

static void test_call_forms(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *f = pmi_object_new(rt, &recorder_type);
    recorder *r = (recorder *)f;
    pm_object *a = ct_int(rt, 1000), *b = ct_int(rt, 2000), *c = ct_int(rt, 3000);
    assert_true(pm_callable(f));
    assert_false(pm_callable(a));

    /* vectorcall with keywords */
    pm_object *kwn = pm_tuple_pack(rt, 1, ct_str(rt, "k"));
    pm_decref(rt, pm_tuple_get(rt, kwn, 0));   /* the pack took its own ref */
    pm_object *vec[3] = {a, b, c};
    pm_object *res = pm_call(rt, f, vec, 2, kwn);
    assert_non_null(res);
    assert_int_equal(r->nargs, 2);
    assert_int_equal(r->nkw, 1);
    assert_false(r->offset_flag);
    pm_decref(rt, res);

    /* from a tuple and a dict: values after the positionals, names in order */
    pm_object *args = pm_tuple_pack(rt, 2, a, b), *kw = pm_dict_new(rt);
    pm_object *kx = ct_str(rt, "x"), *ky = ct_str(rt, "y");
    pm_dict_set(rt, kw, kx, c);
    pm_dict_set(rt, kw, ky, a);
    res = pm_call_object(rt, f, args, kw);
    assert_non_null(res);
    assert_int_equal(r->nargs, 2);
    assert_int_equal(r->nkw, 2);
    assert_ptr_equal(r->args[0], a);
    assert_ptr_equal(r->args[1], b);
    assert_ptr_equal(r->args[2], c);
    assert_ptr_equal(r->args[3], a);
    assert_true(r->offset_flag);
    ct_assert_repr(rt, res, "(2, 2, ('x', 'y'))");
    pm_decref(rt, res);
    /* many arguments: the heap vector */
    pm_object *many = pm_tuple_pack(rt, 7, a, b, c, a, b, c, a);
    res = pm_call_object(rt, f, many, kw);
    ct_assert_repr(rt, res, "(7, 2, ('x', 'y'))");
    assert_ptr_equal(r->args[8], a);
    pm_decref(rt, res);
    res = pm_call_object(rt, f, NULL, NULL);
    ct_assert_repr(rt, res, "(0, 0, None)");
    pm_decref(rt, res);
    res = pm_call_one(rt, f, b);
    ct_assert_repr(rt, res, "(1, 0, None)");
    assert_ptr_equal(r->first, b);
    pm_decref(rt, res);
    res = pm_call_noargs(rt, f);
    ct_assert_repr(rt, res, "(0, 0, None)");
    pm_decref(rt, res);
    /* a non-str keyword */
    pm_dict_set(rt, kw, a, a);
    assert_null(pm_call_object(rt, f, args, kw));
    assert_string_equal(pm_err_message(rt), "keywords must be strings");
    pm_err_clear(rt);

    /* errors */
    assert_null(pm_call(rt, a, NULL, 0, NULL));
    assert_string_equal(pm_err_message(rt), "'int' object is not callable");
    pm_err_clear(rt);
    r->mode = 2;
    assert_null(pm_call_noargs(rt, f));
    assert_int_equal(pm_err_kind(rt), PM_EXC_SystemError);
    pm_err_clear(rt);
    r->mode = 1;
    assert_null(pm_call_noargs(rt, f));
    assert_int_equal(pm_err_kind(rt), PM_EXC_RecursionError);
    assert_string_equal(pm_err_message(rt), "maximum recursion depth exceeded while calling a Python object");
    pm_err_clear(rt);
    pm_decref(rt, many);
    pm_decref(rt, kx);
    pm_decref(rt, ky);
    pm_decref(rt, kw);
    pm_decref(rt, args);
    pm_decref(rt, kwn);
    pm_decref(rt, a);
    pm_decref(rt, b);
    pm_decref(rt, c);
    pm_decref(rt, f);
    pm_runtime_free(rt);
}

static void test_call_method(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *m = pmi_object_new(rt, &mdescr_type), *p = pmi_object_new(rt, &plain_descr_type);
    pm_object *name = pm_str_intern_cstr(rt, "meth"), *pname = pm_str_intern_cstr(rt, "pmeth");
    pm_object *d = pm_type_dict(rt, &holder_type);
    pm_dict_set(rt, d, name, m);
    pm_dict_set(rt, d, pname, p);
    pm_type_modified(rt, &holder_type);
    pm_object *h = pmi_object_new(rt, &holder_type), *a = ct_int(rt, 1000);

    /* the method descriptor itself is called with self first, no __get__ */
    pm_object *args[1] = {a};
    pm_object *res = pm_call_method(rt, h, name, args, 1);
    ct_assert_repr(rt, res, "(2, 0, None)");
    pm_decref(rt, res);
    assert_ptr_equal(((recorder *)m)->first, h);
    assert_int_equal(((mdescr *)m)->gets, 0);
    /* pm_vectorcall_method: args[0] is self */
    pm_object *vec[3] = {NULL, h, a};
    res = pm_vectorcall_method(rt, name, vec + 1, 2 | PM_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    ct_assert_repr(rt, res, "(2, 0, None)");
    pm_decref(rt, res);
    /* without the flag: bound through __get__ (a fresh recorder, 1 arg) */
    res = pm_call_method(rt, h, pname, args, 1);
    ct_assert_repr(rt, res, "(1, 0, None)");
    pm_decref(rt, res);
    assert_int_equal(((mdescr *)p)->gets, 1);
    /* an instance attribute shadows a (non-data) method descriptor */
    pm_object *own = pmi_object_new(rt, &recorder_type);
    assert_int_equal(pm_setattr(rt, h, name, own), 0);
    res = pm_call_method(rt, h, name, args, 1);
    ct_assert_repr(rt, res, "(1, 0, None)");
    pm_decref(rt, res);
    assert_int_equal(((recorder *)own)->calls, 1);
    /* missing */
    pm_object *zz = pm_str_intern_cstr(rt, "zz");
    assert_null(pm_call_method(rt, h, zz, NULL, 0));
    assert_string_equal(pm_err_message(rt), "'Holder' object has no attribute 'zz'");
    pm_err_clear(rt);
    /* a type with its own getattr (memoryview's): the plain path */
    pm_decref(rt, zz);
    pm_decref(rt, own);
    pm_decref(rt, a);
    pm_decref(rt, h);
    pm_decref(rt, name);
    pm_decref(rt, pname);
    pm_decref(rt, m);
    pm_decref(rt, p);
    pm_runtime_free(rt);
}

/* ---- calling types: type(x), object(), __new__ then __init__ ------------------ */

typedef struct point {
    pm_object ob_base;
    pm_object *x;               /* owned: the first argument __init__ got */
    int inits;                  /* __init__ calls */
} point;

static void point_dealloc(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((point *)self)->x);
    pmi_object_free(rt, self);
}

static pm_object *point_new(pm_runtime *rt, const pm_type *type, pm_object *args, pm_object *kwargs) {
    (void)args;
    (void)kwargs;
    return pmi_object_new(rt, type);
}

static int point_init(pm_runtime *rt, pm_object *self, pm_object *args, pm_object *kwargs) {
    point *p = (point *)self;
    p->inits++;
    if (pm_tuple_size(args) != 1 || kwargs) {
        pm_err_set(rt, PM_EXC_TypeError, "Point() takes exactly one argument");
        return -1;
    }
    PM_CLEAR(rt, p->x);
    p->x = pm_newref(rt, pm_tuple_get(rt, args, 0));
    return 0;
}

static const pm_type point_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "Point",
    .basicsize = sizeof(point),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .dealloc = point_dealloc,
    .new_object = point_new,
    .init = point_init,
};

static void put_res(pm_runtime *rt, pm_object *r, char *buf, size_t *off, size_t cap) {
    if (r) {
        pm_object *s = pm_repr(rt, r);
        const char *t = pm_str_as_utf8(rt, s, NULL);
        /* object reprs carry addresses: keep the part before " at " */
        const char *at = strstr(t, " at 0x");
        *off += (size_t)snprintf(buf + *off, cap - *off, "%.*s\n", at ? (int)(at - t) : (int)strlen(t), t);
        pm_decref(rt, s);
        pm_decref(rt, r);
    } else {
        *off += (size_t)snprintf(buf + *off, cap - *off, "%s: %s\n", pm_exc_name(pm_err_kind(rt)),
                                 pm_err_message(rt));
        pm_err_clear(rt);
    }
}

static void test_type_call(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[2048], theirs[2048];
    size_t off = 0;
    pm_object *objt = pm_type_as_object(&pm_object_type), *typet = pm_type_as_object(&pm_type_type);
    pm_object *one = ct_int(rt, 1), *two = ct_int(rt, 2);
    pm_object *kwn = pm_tuple_pack(rt, 1, ct_str(rt, "a"));
    pm_decref(rt, pm_tuple_get(rt, kwn, 0));
    pm_object *v1[2] = {one, two};
    assert_true(pm_callable(objt));
    put_res(rt, pm_call(rt, objt, NULL, 0, NULL), mine, &off, sizeof mine);
    put_res(rt, pm_call(rt, objt, v1, 1, NULL), mine, &off, sizeof mine);
    put_res(rt, pm_call(rt, objt, v1, 0, kwn), mine, &off, sizeof mine);
    put_res(rt, pm_call(rt, typet, v1, 1, NULL), mine, &off, sizeof mine);
    put_res(rt, pm_call(rt, typet, NULL, 0, NULL), mine, &off, sizeof mine);
    put_res(rt, pm_call(rt, typet, v1, 2, NULL), mine, &off, sizeof mine);
    mine[off] = 0;
    tu_python("def show(f):\n"
              "    try:\n"
              "        r = repr(f()); print(r.split(' at 0x')[0])\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n"
              "for f in [lambda: object(), lambda: object(1), lambda: object(a=1), lambda: type(1),\n"
              "          lambda: type(), lambda: type(1, 2)]:\n"
              "    show(f)\n",
              theirs, sizeof theirs);
    assert_string_equal(mine, theirs);

    /* __new__ then __init__ with the same arguments */
    pm_object *pt = pm_call(rt, pm_type_as_object(&point_type), v1, 1, NULL);
    assert_non_null(pt);
    assert_ptr_equal(pt->ob_type, &point_type);
    assert_int_equal(((point *)pt)->inits, 1);
    assert_ptr_equal(((point *)pt)->x, one);
    pm_decref(rt, pt);
    assert_null(pm_call(rt, pm_type_as_object(&point_type), v1, 2, NULL));
    assert_string_equal(pm_err_message(rt), "Point() takes exactly one argument");
    pm_err_clear(rt);
    /* a type without __new__ */
    assert_null(pm_call(rt, pm_type_as_object(&recorder_type), NULL, 0, NULL));
    assert_string_equal(pm_err_message(rt), "cannot create 'recorder' instances");
    pm_err_clear(rt);
    pm_decref(rt, kwn);
    pm_decref(rt, one);
    pm_decref(rt, two);
    pm_runtime_free(rt);
}

/* ---- fault sweep --------------------------------------------------------------- */

static pm_runtime *sweep_begin(void *ctx, long n) {
    (void)ctx;
    (void)n;
    return tu_runtime();
}

static int sweep_run(pm_runtime *rt, void *ctx) {
    (void)ctx;
    int rc = -1;
    pm_object *f = pmi_object_new(rt, &recorder_type), *args = NULL, *kw = NULL, *k = NULL, *res = NULL;
    if (!f) return -1;
    pm_object *x = pm_int_from_long(rt, 7);      /* small: cached, cannot fail */
    args = pm_tuple_pack(rt, 7, x, x, x, x, x, x, x);
    kw = pm_dict_new(rt);
    k = pm_str_from_cstr(rt, "key");
    if (!args || !kw || !k || pm_dict_set(rt, kw, k, x) < 0) goto done;
    res = pm_call_object(rt, f, args, kw);
    if (!res) goto done;
    pm_decref(rt, res);
    pm_object *name = pm_str_from_cstr(rt, "nope");
    if (!name) goto done;
    res = pm_call_method(rt, f, name, NULL, 0);
    pm_decref(rt, name);
    if (res || !pm_err_matches(rt, PM_EXC_AttributeError)) {
        pm_xdecref(rt, res);
        res = NULL;
        goto done;
    }
    res = NULL;
    pm_err_clear(rt);
    rc = 0;
done:
    pm_xdecref(rt, k);
    pm_xdecref(rt, kw);
    pm_xdecref(rt, args);
    pm_decref(rt, f);
    return rc;
}

static void sweep_end(pm_runtime *rt, void *ctx, long n, int rc) {
    (void)ctx;
    (void)n;
    (void)rc;
    pm_runtime_free(rt);
}

static void test_fault_sweep(void **state) {
    (void)state;
    for (int persistent = 0; persistent < 2; persistent++) {
        fs_sweep sw = {"calls", persistent, 0, NULL, sweep_begin, sweep_run, sweep_end};
        fs_result r = fs_run(&sw);
        assert_true(r.points > 0);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_forms),
        cmocka_unit_test(test_call_method),
        cmocka_unit_test(test_type_call),
        cmocka_unit_test(test_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
