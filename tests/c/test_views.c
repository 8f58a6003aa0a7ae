/* The dict views and mappingproxy (dictview.c, mappingproxy.c),
 * differentially against python3: reprs, len, iteration and its
 * "changed size" error, `in`, set operations both ways round, comparisons,
 * isdisjoint, mapping, reversed(), the proxy's forwarding, its errors and
 * `|`; sizes and gc tracking; a fault sweep. */
#include "objutil.h"

#define T(t) pm_type_as_object(&(t))

/* {1: 10, 2: 20, 3: 30} (ints only: the reprs of sets made from it do
 * not depend on the str hash key or on None's address-based hash) */
static pm_object *sample(pm_runtime *rt) {
    pm_object *d = pm_dict_new(rt);
    pm_object *k[3] = {ou_int(rt, 1), ou_int(rt, 2), ou_int(rt, 3)};
    pm_object *v[3] = {ou_int(rt, 10), ou_int(rt, 20), ou_int(rt, 30)};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(pm_dict_set(rt, d, k[i], v[i]), 0);
        pm_decref(rt, k[i]);
        pm_decref(rt, v[i]);
    }
    return d;
}

static pm_object *set_of(pm_runtime *rt, int n, ...) {
    pm_object *s = pm_set_new(rt, NULL);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        pm_object *x = va_arg(ap, pm_object *);
        pm_set_add(rt, s, x);
        pm_decref(rt, x);
    }
    va_end(ap);
    return s;
}

static void test_views(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    static ou_out o;
    o.len = 0;
    o.buf[0] = 0;
    pm_object *d = sample(rt);
    pm_object *k = ou_callm(rt, d, "keys", 0), *v = ou_callm(rt, d, "values", 0), *it = ou_callm(rt, d, "items", 0);
    pm_object *one = ou_int(rt, 1), *five = ou_int(rt, 5), *a = ou_int(rt, 10);
    ou_emit(rt, &o, pm_newref(rt, k));
    ou_emit(rt, &o, pm_newref(rt, v));
    ou_emit(rt, &o, pm_newref(rt, it));
    ou_emit_int(rt, &o, pm_length(rt, k));
    ou_emit_int(rt, &o, pm_length(rt, it));
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, k));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(v));
    ou_emit(rt, &o, ou_list(rt, v));
    /* in */
    ou_emit_bool(rt, &o, pm_contains(rt, k, one));
    ou_emit_bool(rt, &o, pm_contains(rt, k, five));
    pm_object *lst = pm_list_new(rt);
    ou_emit_bool(rt, &o, pm_contains(rt, k, lst));
    ou_emit_bool(rt, &o, pm_contains(rt, v, a));
    pm_object *p1a = pm_tuple_pack(rt, 2, one, a), *p1b = pm_tuple_pack(rt, 2, one, five),
              *p3 = pm_tuple_pack(rt, 3, one, a, a), *plst = pm_tuple_pack(rt, 2, lst, a);
    ou_emit_bool(rt, &o, pm_contains(rt, it, p1a));
    ou_emit_bool(rt, &o, pm_contains(rt, it, p1b));
    ou_emit_bool(rt, &o, pm_contains(rt, it, p3));
    ou_emit_bool(rt, &o, pm_contains(rt, it, one));
    ou_emit_bool(rt, &o, pm_contains(rt, it, plst));
    /* set operations */
    pm_object *s15 = set_of(rt, 2, ou_int(rt, 1), ou_int(rt, 5));
    pm_object *s12k = set_of(rt, 3, ou_int(rt, 1), ou_int(rt, 2), ou_int(rt, 3));
    int ops[4] = {PM_NB_AND, PM_NB_OR, PM_NB_SUBTRACT, PM_NB_XOR};
    for (int i = 0; i < 4; i++) {
        ou_emit(rt, &o, pm_number_binop(rt, k, s15, ops[i]));
        ou_emit(rt, &o, pm_number_binop(rt, s15, k, ops[i]));
        ou_emit(rt, &o, pm_number_binop(rt, k, k, ops[i]));
    }
    pm_object *l1 = pm_list_new(rt);
    pm_list_append(rt, l1, one);
    ou_emit(rt, &o, pm_number_binop(rt, l1, k, PM_NB_SUBTRACT));
    ou_emit(rt, &o, pm_number_binop(rt, k, l1, PM_NB_OR));
    ou_emit(rt, &o, pm_number_binop(rt, k, one, PM_NB_AND));
    pm_object *sp = set_of(rt, 1, pm_tuple_pack(rt, 2, one, a));
    ou_emit(rt, &o, pm_number_binop(rt, it, sp, PM_NB_AND));
    ou_emit(rt, &o, pm_number_binop(rt, it, sp, PM_NB_SUBTRACT));
    ou_emit(rt, &o, pm_number_binop(rt, v, sp, PM_NB_AND));
    /* comparisons */
    for (int op = PM_LT; op <= PM_GE; op++) {
        ou_emit(rt, &o, pm_richcompare(rt, k, s12k, op));
        ou_emit(rt, &o, pm_richcompare(rt, k, s15, op));
        ou_emit(rt, &o, pm_richcompare(rt, s15, k, op));
    }
    ou_emit(rt, &o, pm_richcompare(rt, k, l1, PM_EQ));
    ou_emit(rt, &o, pm_richcompare(rt, k, one, PM_LT));
    ou_emit(rt, &o, pm_richcompare(rt, v, v, PM_EQ));
    ou_emit_int(rt, &o, pm_hash(rt, k));
    ou_emit(rt, &o, ou_callm(rt, k, "isdisjoint", 1, s15));
    ou_emit(rt, &o, ou_callm(rt, k, "isdisjoint", 1, lst));
    ou_emit(rt, &o, ou_callm(rt, it, "isdisjoint", 1, sp));
    ou_emit(rt, &o, ou_callm(rt, k, "isdisjoint", 1, one));
    ou_emit(rt, &o, pm_getattr_cstr(rt, v, "mapping"));
    /* reversed */
    pm_object *rk = ou_call(rt, T(pm_reversed_type), 1, d);
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, rk));
    ou_emit(rt, &o, ou_callm(rt, rk, "__length_hint__", 0));
    ou_emit(rt, &o, ou_list(rt, rk));
    pm_decref(rt, rk);
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_reversed_type), 1, v)));
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_reversed_type), 1, it)));
    pm_object *ri = ou_call(rt, T(pm_reversed_type), 1, it);
    ou_emit(rt, &o, pm_newref(rt, pm_type_as_object(ri->ob_type)));
    pm_decref(rt, ri);
    /* changes during iteration; deleted entries skipped */
    pm_object *fw = pm_iter(rt, k), *bw = ou_callm(rt, k, "__reversed__", 0);
    ou_emit_next(rt, &o, fw);
    ou_emit_next(rt, &o, bw);
    pm_dict_set(rt, d, five, five);
    ou_emit_next(rt, &o, fw);
    ou_emit_next(rt, &o, bw);
    ou_emit_next(rt, &o, bw);
    pm_decref(rt, fw);
    pm_decref(rt, bw);
    pm_dict_del(rt, d, one);
    ou_emit(rt, &o, pm_newref(rt, it));
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_reversed_type), 1, k)));
    /* a view inside its dict */
    pm_dict_set(rt, d, a, v);
    ou_emit(rt, &o, pm_newref(rt, v));

    ou_compare(&o,
               "d = {1: 10, 2: 20, 3: 30}\n"
               "k = d.keys(); v = d.values(); it = d.items()\n"
               "E(lambda: k); E(lambda: v); E(lambda: it); E(lambda: len(k)); E(lambda: len(it))\n"
               "E(lambda: sys.getsizeof(k)); E(lambda: gc.is_tracked(v)); E(lambda: list(v))\n"
               "E(lambda: 1 in k); E(lambda: 5 in k); E(lambda: [] in k); E(lambda: 10 in v)\n"
               "E(lambda: (1, 10) in it); E(lambda: (1, 5) in it); E(lambda: (1, 10, 10) in it)\n"
               "E(lambda: 1 in it); E(lambda: ([], 10) in it)\n"
               "s15 = {1, 5}; s12k = {1, 2, 3}\n"
               "import operator\n"
               "for op in (operator.and_, operator.or_, operator.sub, operator.xor):\n"
               "    E(lambda: op(k, s15)); E(lambda: op(s15, k)); E(lambda: op(k, k))\n"
               "E(lambda: [1] - k); E(lambda: k | [1]); E(lambda: k & 1)\n"
               "sp = {(1, 10)}\n"
               "E(lambda: it & sp); E(lambda: it - sp); E(lambda: v & sp)\n"
               "for op in (operator.lt, operator.le, operator.eq, operator.ne, operator.gt, operator.ge):\n"
               "    E(lambda: op(k, s12k)); E(lambda: op(k, s15)); E(lambda: op(s15, k))\n"
               "E(lambda: k == [1]); E(lambda: k < 1); E(lambda: v == v)\n"
               "E(lambda: hash(k))\n"
               "E(lambda: k.isdisjoint(s15)); E(lambda: k.isdisjoint([])); E(lambda: it.isdisjoint(sp))\n"
               "E(lambda: k.isdisjoint(1)); E(lambda: v.mapping)\n"
               "rk = reversed(d); E(lambda: sys.getsizeof(rk)); E(lambda: rk.__length_hint__()); E(lambda: list(rk))\n"
               "E(lambda: list(reversed(v))); E(lambda: list(reversed(it))); E(lambda: type(reversed(it)))\n"
               "fw = iter(k); bw = k.__reversed__()\n"
               "E(lambda: next(fw)); E(lambda: next(bw))\n"
               "d[5] = 5\n"
               "E(lambda: next(fw)); E(lambda: next(bw)); E(lambda: next(bw))\n"
               "del d[1]\n"
               "E(lambda: it); E(lambda: list(reversed(k)))\n"
               "d[10] = v; E(lambda: v)\n");
    pm_object *objs[] = {d, k, v, it, one, five, a, lst, p1a, p1b, p3, plst, s15, s12k, l1, sp};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_decref(rt, objs[i]);
    pm_runtime_free(rt);
}

static void test_mappingproxy(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    static ou_out o;
    o.len = 0;
    o.buf[0] = 0;
    pm_object *d = sample(rt), *one = ou_int(rt, 1), *five = ou_int(rt, 5), *nine = ou_int(rt, 9);
    pm_object *p = ou_call(rt, T(pm_mappingproxy_type), 1, d);
    ou_emit(rt, &o, pm_newref(rt, p));
    ou_emit(rt, &o, pm_str(rt, p));
    ou_emit_int(rt, &o, (long long)pm_getsizeof(rt, p));
    ou_emit_bool(rt, &o, pm_gc_is_tracked(p));
    ou_emit_int(rt, &o, pm_length(rt, p));
    ou_emit(rt, &o, pm_getitem(rt, p, one));
    ou_emit(rt, &o, pm_getitem(rt, p, five));
    ou_emit_int(rt, &o, pm_setitem(rt, p, one, one));
    ou_emit_bool(rt, &o, pm_contains(rt, p, one));
    ou_emit_bool(rt, &o, pm_contains(rt, p, five));
    ou_emit(rt, &o, ou_list(rt, p));
    ou_emit(rt, &o, ou_callm(rt, p, "get", 1, one));
    ou_emit(rt, &o, ou_callm(rt, p, "get", 2, five, nine));
    ou_emit(rt, &o, ou_callm(rt, p, "get", 1, five));
    ou_emit(rt, &o, ou_callm(rt, p, "get", 0));
    ou_emit(rt, &o, ou_callm(rt, p, "keys", 0));
    ou_emit(rt, &o, ou_callm(rt, p, "values", 0));
    ou_emit(rt, &o, ou_callm(rt, p, "items", 0));
    pm_object *c = ou_callm(rt, p, "copy", 0);
    ou_emit(rt, &o, pm_newref(rt, c));
    ou_emit_bool(rt, &o, c != d);
    pm_decref(rt, c);
    ou_emit(rt, &o, ou_listx(rt, ou_call(rt, T(pm_reversed_type), 1, p)));
    ou_emit(rt, &o, pm_richcompare(rt, p, d, PM_EQ));
    ou_emit(rt, &o, pm_richcompare(rt, p, one, PM_EQ));
    ou_emit_int(rt, &o, pm_hash(rt, p));
    pm_object *d2 = pm_dict_new(rt);
    pm_dict_set(rt, d2, five, nine);
    pm_object *p2 = pm_mappingproxy_new(rt, d2);
    ou_emit(rt, &o, pm_number_binop(rt, p, d2, PM_NB_OR));
    ou_emit(rt, &o, pm_number_binop(rt, p, p2, PM_NB_OR));
    ou_emit(rt, &o, pm_number_binop(rt, d2, p, PM_NB_OR));
    ou_emit(rt, &o, pm_number_binop(rt, p, one, PM_NB_OR));
    ou_emit(rt, &o, pm_number_binop(rt, p, d2, PM_NB_INPLACE_OR));
    pm_object *lst = pm_list_new(rt);
    ou_emit(rt, &o, pm_mappingproxy_new(rt, lst));
    ou_emit(rt, &o, ou_call(rt, T(pm_mappingproxy_type), 1, one));
    ou_emit(rt, &o, ou_call(rt, T(pm_mappingproxy_type), 0));
    pm_object *kwm = pm_tuple_pack(rt, 1, ou_str(rt, "mapping"));
    pm_decref(rt, pm_tuple_get(rt, kwm, 0));
    ou_emit(rt, &o, pm_call(rt, T(pm_mappingproxy_type), &d, 0, kwm));
    ou_emit(rt, &o, pm_getattr_cstr(rt, p, "x"));
    ou_compare(&o,
               "import types\n"
               "d = {1: 10, 2: 20, 3: 30}\n"
               "p = types.MappingProxyType(d)\n"
               "E(lambda: p); E(lambda: str(p)); E(lambda: sys.getsizeof(p)); E(lambda: gc.is_tracked(p))\n"
               "E(lambda: len(p)); E(lambda: p[1]); E(lambda: p[5])\n"
               "def setit(): p[1] = 1\n"
               "E(setit)\n"
               "E(lambda: 1 in p); E(lambda: 5 in p); E(lambda: list(p))\n"
               "E(lambda: p.get(1)); E(lambda: p.get(5, 9)); E(lambda: p.get(5)); E(lambda: p.get())\n"
               "E(lambda: p.keys()); E(lambda: p.values()); E(lambda: p.items())\n"
               "c = p.copy(); E(lambda: c); E(lambda: c is not d)\n"
               "E(lambda: list(reversed(p))); E(lambda: p == d); E(lambda: p == 1); E(lambda: hash(p))\n"
               "d2 = {5: 9}; p2 = types.MappingProxyType(d2)\n"
               "E(lambda: p | d2); E(lambda: p | p2); E(lambda: d2 | p); E(lambda: p | 1)\n"
               "def ior():\n"
               "    global p\n"
               "    p |= d2\n"
               "E(ior)\n"
               "E(lambda: types.MappingProxyType([])); E(lambda: types.MappingProxyType(1))\n"
               "E(lambda: types.MappingProxyType()); E(lambda: types.MappingProxyType(mapping=d))\n"
               "E(lambda: p.x)\n");
    pm_object *objs[] = {d, one, five, nine, p, d2, p2, lst, kwm};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_decref(rt, objs[i]);
    pm_runtime_free(rt);
}

/* ---- fault sweep ---- */

static int fs_work(pm_runtime *rt, void *ctx) {
    (void)ctx;
    pm_object *objs[12] = {0};
    int k = 0, rc = -1;
#define STEP(e) if (!(objs[k++] = (e))) goto fail
    STEP(pm_dict_new(rt));
    for (long i = 0; i < 12; i++) {
        pm_object *x = pm_int_from_long(rt, i * 1000);
        if (!x) goto fail;
        int r = pm_dict_set(rt, objs[0], x, x);
        pm_decref(rt, x);
        if (r < 0) goto fail;
    }
    STEP(pm_dict_items_view(rt, objs[0]));
    STEP(pm_dict_keys_view(rt, objs[0]));
    STEP(pm_repr(rt, objs[1]));
    STEP(pm_number_binop(rt, objs[2], objs[1], PM_NB_OR));
    STEP(pm_number_binop(rt, objs[2], objs[2], PM_NB_AND));
    STEP(pm_mappingproxy_new(rt, objs[0]));
    STEP(pm_repr(rt, objs[6]));
    STEP(pm_dict_reversed(rt, objs[0]));
    STEP(pm_iter_next(rt, objs[8]));
    STEP(pm_getattr_cstr(rt, objs[2], "mapping"));
    rc = 0;
fail:
    for (int i = 0; i < 12; i++) pm_xdecref(rt, objs[i]);
    return rc;
#undef STEP
}

static void test_fault_sweep(void **state) {
    (void)state;
    ou_fault_sweep("views", fs_work);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_mappingproxy),
        cmocka_unit_test(test_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
