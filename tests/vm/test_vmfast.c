/* The VM's fast paths from C (interp/ceval.c, interp/specialize.c):
 *   - pymm.h's inline views (pm_tuple_items, pm_list_items,
 *     pm_float_view_value, pm_int_view_small, pm_dict_view_version) agree
 *     with the library's functions;
 *   - dict versions change with every change and differ between dicts,
 *     also for a dict made where a dead one was;
 *   - pm_type_version dies when a class or a base of it changes;
 *   - a code object gets its inline caches on its first run, and every
 *     allocation of a run through cached sites (first run and warm) can
 *     fail: MemoryError or an absorbed fault, counts and bytes back. */
#include "vmharness.h"
#include "code.h"
#include "funcobject.h"
#include "specialize.h"

static const char SOURCE[] =
    "class Base:\n"
    "    scale = 2\n"
    "    def get(self):\n"
    "        return self.v * self.scale\n"
    "class Point(Base):\n"
    "    def __init__(self, v):\n"
    "        self.v = v\n"
    "def work(obj):\n"
    "    p = Point(len([obj]))\n"
    "    total = 0\n"
    "    for i in range(3):\n"
    "        p.v = i\n"
    "        total += p.get() + p.scale\n"
    "    d = {'k': obj}\n"
    "    a, b = (d['k'], [obj][0])\n"
    "    return [total, a, b, 1.5 * total]\n";

static void test_views(pm_runtime *rt) {
    pm_object *a = pm_int_from_long(rt, 7), *b = pm_float_new(rt, -2.5);
    pm_object *items[2] = {a, b};
    pm_object *t = pm_tuple_from_array(rt, items, 2), *l = pm_list_from_array(rt, items, 2);
    CHECK(pm_tuple_items(t)[0] == pm_tuple_get(rt, t, 0) && pm_tuple_items(t)[1] == pm_tuple_get(rt, t, 1),
          "tuple view");
    CHECK(pm_list_items(l)[0] == pm_list_get(rt, l, 0) && pm_list_items(l)[1] == pm_list_get(rt, l, 1),
          "list view");
    CHECK(pm_float_view_value(b) == pm_float_value(b), "float view");
    long values[] = {0, 1, -1, 255, -5, (1L << 30) - 1, -((1L << 30) - 1), 1L << 30, -(1L << 30), 1L << 40};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        pm_object *o = pm_int_from_long(rt, values[i]);
        long v = 12345;
        int small = pm_int_view_small(o, &v);
        long max = (1L << 30) - 1;
        CHECK(small == (values[i] >= -max && values[i] <= max), "int view: %ld small=%d", values[i], small);
        CHECK(!small || v == values[i], "int view: %ld read as %ld", values[i], v);
        pm_decref(rt, o);
    }
    pm_decref(rt, t);
    pm_decref(rt, l);
    pm_decref(rt, a);
    pm_decref(rt, b);
}

static void test_dict_versions(pm_runtime *rt) {
    pm_object *k = pm_str_from_cstr(rt, "k"), *v1 = pm_int_from_long(rt, 1), *v2 = pm_int_from_long(rt, 2);
    pm_object *d = pm_dict_new(rt);
    uint64_t seen[6];
    seen[0] = pm_dict_view_version(d);
    pm_dict_set(rt, d, k, v1);
    seen[1] = pm_dict_view_version(d);
    pm_dict_set(rt, d, k, v2);
    seen[2] = pm_dict_view_version(d);
    pm_dict_set(rt, d, k, v2);  /* the same value: nothing changes */
    CHECK(pm_dict_view_version(d) == seen[2], "storing the same value keeps the version");
    pm_dict_del(rt, d, k);
    seen[3] = pm_dict_view_version(d);
    pm_dict_set(rt, d, k, v1);
    pm_dict_clear(rt, d);
    seen[4] = pm_dict_view_version(d);
    pm_decref(rt, d);
    /* a dict made where the dead one was (the free list) replays the same
     * history: its versions must still be new */
    pm_object *d2 = pm_dict_new(rt);
    seen[5] = pm_dict_view_version(d2);
    pm_dict_set(rt, d2, k, v1);
    for (int i = 0; i < 6; i++)
        for (int j = i + 1; j < 6; j++) CHECK(seen[i] != seen[j], "versions %d and %d equal", i, j);
    CHECK(pm_dict_view_version(d2) != seen[1], "a new dict's version repeats a dead one's");
    pm_decref(rt, d2);
    pm_decref(rt, k);
    pm_decref(rt, v1);
    pm_decref(rt, v2);
}

static void test_type_versions(pm_runtime *rt, pm_object *g) {
    const pm_type *base = (const pm_type *)get(rt, g, "Base"), *point = (const pm_type *)get(rt, g, "Point");
    unsigned int vb = pm_type_version(rt, base), vp = pm_type_version(rt, point);
    CHECK(vb && vp && vb != vp, "classes have distinct tags (%u, %u)", vb, vp);
    CHECK(pm_type_version(rt, point) == vp, "a tag is stable");
    CHECK(pm_type_version(rt, &pm_list_type) != 0, "static types have tags");
    pm_object *three = pm_int_from_long(rt, 3), *name = pm_str_intern_cstr(rt, "scale");
    CHECK(pm_setattr(rt, pm_type_as_object(base), name, three) == 0, "Base.scale = 3");
    pm_decref(rt, three);
    pm_decref(rt, name);
    unsigned int vb2 = pm_type_version(rt, base), vp2 = pm_type_version(rt, point);
    CHECK(vb2 != vb && vp2 != vp, "a change to Base ends Base's and Point's tags (%u %u -> %u %u)", vb, vp,
          vb2, vp2);
}

static void test_caches(pm_runtime *rt, pm_object *g) {
    pm_object *fn = get(rt, g, "work");
    pmi_code *co = (pmi_code *)((pmi_function *)fn)->code;
    CHECK(co->vm == NULL, "no caches before the first run");
    pm_object *obj = pm_list_new(rt);
    pm_object *r = pm_call(rt, fn, &obj, 1, NULL);
    CHECK(r != NULL, "work(obj) ran");
    pm_xdecref(rt, r);
    CHECK(co->vm != NULL && co->vm->nentries > 0, "caches made by the first run");
    int filled = 0;
    for (pm_ssize_t i = 0; co->vm && i < co->vm->nentries; i++) filled += co->vm->entries[i].kind != PMI_IC_NONE;
    CHECK(filled >= 5, "cached sites filled: %d", filled);
    /* co_code is not written: its CACHE units stay zero */
    const unsigned char *code = (const unsigned char *)pm_bytes_data(co->code);
    int nonzero = 0;
    for (pm_ssize_t i = 0; i + 1 < pm_bytes_size(co->code); i += 2) nonzero += code[i] == 0 && code[i + 1] != 0;
    CHECK(nonzero == 0, "co_code's CACHE units untouched");
    pm_decref(rt, obj);
}

/* Every allocation of work(obj) fails in turn, warm (caches filled) and
 * cold (a fresh function whose code has no caches yet). */
static void sweep(pm_runtime *rt, pm_object *g, int cold) {
    const char *what = cold ? "cold" : "warm";
    pm_object *obj = pm_list_new(rt);
    size_t base = bytes_in_use(rt);
    pm_ssize_t count = pm_refcnt(rt, obj);
    long n;
    for (n = 1; n < 100000; n++) {
        pm_object *fname = pm_str_from_cstr(rt, "<vmfast>");
        pm_object *code = cold ? compile_module(rt, SOURCE, sizeof SOURCE - 1, fname) : NULL;
        pm_object *g2 = g;
        if (cold) {
            g2 = new_globals(rt);
            pm_object *res = pmi_eval_code(rt, code, g2, g2);
            CHECK(res != NULL, "module ran");
            pm_xdecref(rt, res);
        }
        pm_object *fn = get(rt, g2, "work");
        pm_freelists_clear(rt);     /* the call allocates, rather than reusing */
        pm_fault_inject(rt, n, 0);
        pm_object *r = pm_call(rt, fn, &obj, 1, NULL);
        long fired = pm_fault_fired(rt);
        pm_fault_inject(rt, 0, 0);
        fault_outcome(rt, r, what, n);
        if (cold) {
            pm_dict_clear(rt, g2);
            pm_decref(rt, g2);
            pm_decref(rt, code);
        }
        pm_decref(rt, fname);
        fault_all_back(rt, obj, count, base, what, n);
        if (failures > 20) break;
        if (!fired) break;
    }
    printf("ok   sweep %s: %ld allocations\n", what, n - 1);
    pm_decref(rt, obj);
}

int main(void) {
    pm_runtime *rt = pm_runtime_new(NULL);
    if (!rt || pmi_interp_init(rt) < 0) {
        fprintf(stderr, "FAIL: runtime\n");
        return 1;
    }
    test_views(rt);
    test_dict_versions(rt);
    pm_object *fname = pm_str_from_cstr(rt, "<test_vmfast>");
    pm_object *code = compile_module(rt, SOURCE, sizeof SOURCE - 1, fname);
    pm_object *g = new_globals(rt);
    run_module(rt, code, g);
    test_caches(rt, g);
    test_type_versions(rt, g);
    sweep(rt, g, 0);
    sweep(rt, g, 1);
    pm_dict_clear(rt, g);
    pm_decref(rt, g);
    pm_decref(rt, code);
    pm_decref(rt, fname);
    pmi_interp_fini(rt);
    pm_runtime_free(rt);
    return finish("test_vmfast");
}
