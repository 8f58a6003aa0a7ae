/* Instances of classes made at run time: dict classes and __slots__
 * classes, attribute get/set/delete and CPython's error texts, repr, class
 * lifetime, traverse, and the bounded-stack free of a chain of 10,000,000
 * instances. */
#include <stdlib.h>
#include "ctutil.h"
#include "objects/containers.h"

static void test_dict_class(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *C = pm_class_new(rt, "__main__.C", NULL, 0);
    assert_non_null(C);
    ct_assert_repr(rt, C, "<class '__main__.C'>");
    pm_object *c = pm_instance_new(rt, C);
    assert_true(pm_instance_check(c));
    assert_false(pm_instance_check(C));
    assert_int_equal(pm_refcnt(rt, C), 2);          /* the instance holds its class */
    assert_true(pm_gc_is_tracked(c));
    assert_int_equal(pm_getsizeof(rt, c), 56);
    char buf[64];
    snprintf(buf, sizeof buf, "<__main__.C object at %p>", (void *)c);
    ct_assert_repr(rt, c, buf);

    pm_object *one = ct_int(rt, 1), *two = ct_int(rt, 2);
    assert_null(pm_instance_getattr_cstr(rt, c, "x"));
    assert_int_equal(pm_err_kind(rt), PM_EXC_AttributeError);
    assert_string_equal(pm_err_message(rt), "'C' object has no attribute 'x'");
    pm_err_clear(rt);
    assert_int_equal(pm_instance_setattr_cstr(rt, c, "x", one), 0);
    assert_int_equal(pm_instance_setattr_cstr(rt, c, "y", two), 0);
    assert_int_equal(pm_instance_setattr_cstr(rt, c, "x", two), 0);
    pm_object *v = pm_instance_getattr_cstr(rt, c, "x");
    assert_ptr_equal(v, two);
    pm_decref(rt, v);
    /* the generic protocol with a str name that is not interned */
    pm_object *yname = ct_str(rt, "y");
    v = pm_getattr(rt, c, yname);
    assert_ptr_equal(v, two);
    pm_decref(rt, v);
    assert_int_equal(pm_delattr(rt, c, yname), 0);
    assert_int_equal(pm_delattr(rt, c, yname), -1);
    assert_string_equal(pm_err_message(rt), "'C' object has no attribute 'y'");
    pm_err_clear(rt);
    pm_decref(rt, yname);
    pm_object *d = pm_instance_getattr_cstr(rt, c, "__dict__");
    ct_assert_repr(rt, d, "{'x': 2}");
    pm_decref(rt, d);
    /* identity semantics */
    pm_object *c2 = pm_instance_new(rt, C);
    assert_int_equal(pm_richcompare_bool(rt, c, c2, PM_EQ), 0);
    assert_int_equal(pm_richcompare_bool(rt, c, c, PM_EQ), 1);
    assert_int_not_equal(pm_hash(rt, c), -1);
    /* an instance as a dict key */
    pm_object *map = pm_dict_new(rt);
    assert_int_equal(pm_dict_set(rt, map, c, c2), 0);
    assert_ptr_equal(pm_dict_get(rt, map, c), c2);
    pm_decref(rt, map);
    pm_decref(rt, c2);
    pm_decref(rt, c);
    assert_int_equal(pm_refcnt(rt, C), 1);
    pm_decref(rt, C);
    pm_decref(rt, one);
    pm_decref(rt, two);
    pm_runtime_free(rt);
}

static void test_slots_class(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    const char *names[] = {"a", "b"};
    pm_object *S = pm_class_new(rt, "S", names, 2);
    pm_object *s = pm_instance_new(rt, S);
    assert_int_equal(pm_getsizeof(rt, s), 48);
    char buf[64];
    snprintf(buf, sizeof buf, "<S object at %p>", (void *)s);
    ct_assert_repr(rt, s, buf);
    pm_object *one = ct_int(rt, 1000);
    assert_null(pm_instance_getattr_cstr(rt, s, "a"));   /* unset slot */
    assert_string_equal(pm_err_message(rt), "'S' object has no attribute 'a'");
    pm_err_clear(rt);
    assert_int_equal(pm_instance_setattr_cstr(rt, s, "a", one), 0);
    assert_int_equal(pm_instance_setattr_cstr(rt, s, "b", one), 0);
    assert_int_equal(pm_refcnt(rt, one), 3);
    assert_int_equal(pm_instance_setattr_cstr(rt, s, "c", one), -1);
    assert_string_equal(pm_err_message(rt), "'S' object has no attribute 'c'");
    pm_err_clear(rt);
    assert_null(pm_instance_getattr_cstr(rt, s, "__dict__"));
    ct_assert_error(rt, PM_EXC_AttributeError);
    pm_object *v = pm_instance_getattr_cstr(rt, s, "b");
    assert_ptr_equal(v, one);
    pm_decref(rt, v);
    assert_int_equal(pm_instance_setattr_cstr(rt, s, "b", NULL), 0);
    assert_int_equal(pm_instance_setattr_cstr(rt, s, "b", NULL), -1);
    assert_string_equal(pm_err_message(rt), "b");  /* CPython 3.11's text */
    pm_err_clear(rt);
    assert_int_equal(pm_refcnt(rt, one), 2);
    pm_decref(rt, s);
    assert_int_equal(pm_refcnt(rt, one), 1);
    /* zero slots: header + gc head only */
    pm_object *E = pm_class_new(rt, "E", names, 0);
    pm_object *e = pm_instance_new(rt, E);
    assert_int_equal(pm_getsizeof(rt, e), 32);
    pm_decref(rt, e);
    pm_decref(rt, E);
    /* bad arguments */
    assert_null(pm_instance_new(rt, one));
    ct_assert_error(rt, PM_EXC_SystemError);
    assert_null(pm_class_new(rt, "X", NULL, 3));
    ct_assert_error(rt, PM_EXC_SystemError);
    pm_decref(rt, one);
    pm_decref(rt, S);
    pm_runtime_free(rt);
}

/* Attributes of a dict class live in a values array indexed by names the
 * class shares (no per-instance dict) until __dict__ is asked for or the
 * class has PMI_SHARED_KEYS_MAX names; bytes per 2-attribute instance. */
static void test_shared_values(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    pm_object *C = pm_class_new(rt, "C", NULL, 0);
    pm_object *one = ct_int(rt, 1000), *two = ct_int(rt, 2000);
    pm_object *warm = pm_instance_new(rt, C);      /* the class learns "a", "b" */
    pm_instance_setattr_cstr(rt, warm, "a", one);
    pm_instance_setattr_cstr(rt, warm, "b", two);
    size_t b0 = ct_bytes(rt);
    enum { N = 1000 };
    static pm_object *objs[N];
    for (int i = 0; i < N; i++) {
        objs[i] = pm_instance_new(rt, C);
        assert_int_equal(pm_instance_setattr_cstr(rt, objs[i], "b", two), 0);
        assert_int_equal(pm_instance_setattr_cstr(rt, objs[i], "a", one), 0);
    }
    /* 64-byte object block + a 16-byte values block; CPython 3.11: 88 */
    assert_int_equal((ct_bytes(rt) - b0) / N, 80);
    pm_object *o = objs[0];
    pm_object *v = pm_instance_getattr_cstr(rt, o, "a");
    assert_ptr_equal(v, one);
    pm_decref(rt, v);
    assert_int_equal(pm_instance_setattr_cstr(rt, o, "a", NULL), 0);
    assert_null(pm_instance_getattr_cstr(rt, o, "a"));
    assert_string_equal(pm_err_message(rt), "'C' object has no attribute 'a'");
    pm_err_clear(rt);
    assert_int_equal(pm_instance_setattr_cstr(rt, o, "a", NULL), -1);
    ct_assert_error(rt, PM_EXC_AttributeError);
    /* __dict__ moves the attributes into a dict, which then holds them */
    pm_object *d = pm_instance_getattr_cstr(rt, o, "__dict__");
    ct_assert_repr(rt, d, "{'b': 2000}");
    assert_int_equal(pm_instance_setattr_cstr(rt, o, "c", one), 0);
    ct_assert_repr(rt, d, "{'b': 2000, 'c': 1000}");
    pm_decref(rt, d);
    /* more names than the class shares: the extra ones go to a dict */
    pm_object *many = pm_instance_new(rt, C);
    char name[16];
    for (int i = 0; i < PMI_SHARED_KEYS_MAX + 5; i++) {
        snprintf(name, sizeof name, "x%d", i);
        assert_int_equal(pm_instance_setattr_cstr(rt, many, name, one), 0);
    }
    for (int i = 0; i < PMI_SHARED_KEYS_MAX + 5; i++) {
        snprintf(name, sizeof name, "x%d", i);
        v = pm_instance_getattr_cstr(rt, many, name);
        assert_ptr_equal(v, one);
        pm_decref(rt, v);
    }
    assert_non_null(((pmi_instance *)many)->dict);
    pm_decref(rt, many);
    for (int i = 0; i < N; i++) pm_decref(rt, objs[i]);
    pm_decref(rt, warm);
    pm_decref(rt, one);
    pm_decref(rt, two);
    pm_decref(rt, C);
    pm_runtime_free(rt);
}

/* traverse reports the dict (or every set slot) and the class. */
static int count_visit(pm_object *o, void *arg) {
    (void)o;
    (*(int *)arg)++;
    return 0;
}

static void test_traverse_and_clear(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    const char *names[] = {"a", "b", "c"};
    pm_object *S = pm_class_new(rt, "S", names, 3), *C = pm_class_new(rt, "C", NULL, 0);
    pm_object *s = pm_instance_new(rt, S), *c = pm_instance_new(rt, C);
    int n = 0;
    s->ob_type->traverse(s, count_visit, &n);
    assert_int_equal(n, 1);                         /* only the class */
    pm_instance_setattr_cstr(rt, s, "a", c);
    pm_instance_setattr_cstr(rt, s, "c", c);
    n = 0;
    s->ob_type->traverse(s, count_visit, &n);
    assert_int_equal(n, 3);
    pm_instance_setattr_cstr(rt, c, "self", c);     /* a cycle through the dict */
    n = 0;
    c->ob_type->traverse(c, count_visit, &n);
    assert_int_equal(n, 2);                         /* dict + class */
    assert_int_equal(c->ob_type->clear(rt, c), 0);  /* what the collector does */
    assert_int_equal(s->ob_type->clear(rt, s), 0);
    assert_int_equal(pm_refcnt(rt, c), 1);
    pm_decref(rt, c);
    pm_decref(rt, s);
    pm_decref(rt, C);
    pm_decref(rt, S);
    pm_runtime_free(rt);
}

/* node.next = previous node, N deep; one decref frees the chain. */
static void chain(long n, int slots) {
    pm_runtime *rt = tu_runtime();
    pm_freelists_clear(rt);
    size_t base = ct_blocks(rt);
    const char *names[] = {"next"};
    pm_object *cls = pm_class_new(rt, "Node", slots ? names : NULL, slots ? 1 : 0);
    pm_object *attr = pm_str_intern_cstr(rt, "next");
    pm_object *head = pm_newref(rt, PM_NONE);
    for (long i = 0; i < n; i++) {
        pm_object *o = pm_instance_new(rt, cls);
        assert_non_null(o);
        assert_int_equal(pm_setattr(rt, o, attr, head), 0);
        pm_decref(rt, head);
        head = o;
    }
    assert_int_equal(pm_refcnt(rt, cls), n + 1);
    pm_decref(rt, head);
    assert_int_equal(pm_refcnt(rt, cls), 1);
    pm_decref(rt, attr);
    pm_decref(rt, cls);
    pm_freelists_clear(rt);
    assert_int_equal(ct_blocks(rt), base);
    pm_runtime_free(rt);
}

static void test_chain_10m_slots(void **state) {
    (void)state;
    chain(10000000, 1);
}

static void test_chain_1m_dict(void **state) {
    (void)state;
    chain(1000000, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dict_class),
        cmocka_unit_test(test_slots_class),
        cmocka_unit_test(test_traverse_and_clear),
        cmocka_unit_test(test_shared_values),
        cmocka_unit_test(test_chain_1m_dict),
        cmocka_unit_test(test_chain_10m_slots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
