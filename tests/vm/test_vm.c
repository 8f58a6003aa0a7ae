/* The evaluation loop from C (interp/ceval.c, funcobject.c, genobject.c):
 *   - arguments passed through calls keep exact reference counts: a call
 *     from C (pm_call of a function), an inline Python-to-Python call,
 *     star-args / double-star-kwargs binding, a bound method, a raised and caught exception
 *     carrying the object;
 *   - a bound method's parts and its call (self prepended);
 *   - functions, cells and generators in reference cycles are collected;
 *   - every allocation of a call from C with keyword binding, of a
 *     generator run and of a handled exception can fail: the call then
 *     ends with MemoryError, the argument's count is back and every block
 *     returns (SQLite-style countdown). */
#include "vmharness.h"
#include "funcobject.h"
#include "genobject.h"

static const char SOURCE[] =
    "def first(a, b):\n"
    "    return a\n"
    "def via(x):\n"
    "    return first(x, x)\n"
    "def star(*args, **kw):\n"
    "    return (args, kw)\n"
    "def kwbind(a, b=1, *rest, k, **more):\n"
    "    return [a, b, rest, k, more]\n"
    "def gen(x):\n"
    "    y = yield x\n"
    "    yield (x, y)\n"
    "    return x\n"
    "def run_gen(x):\n"
    "    return [v for v in gen(x)]\n"
    "def catch(x):\n"
    "    try:\n"
    "        raise KeyError(x)\n"
    "    except KeyError as e:\n"
    "        return e.args[0]\n"
    "def closure(x):\n"
    "    def inner():\n"
    "        return x\n"
    "    return inner\n"
    "def use_with(m):\n"
    "    out = []\n"
    "    with m as v:\n"
    "        out.append(v.tobytes())\n"
    "    try:\n"
    "        v.tobytes()\n"
    "    except ValueError as e:\n"
    "        out.append(e.args[0])\n"
    "    return repr(out)\n"
    "def with_raising(m):\n"
    "    try:\n"
    "        with m as v:\n"
    "            raise KeyError('inside')\n"
    "    except KeyError as e:\n"
    "        return repr([e.args[0], e.__context__])\n"
    "def setcell(name, bases, ns):\n"
    "    ns['__classcell__'].cell_contents = type(1)\n"
    "    return ns\n"
    "class K(metaclass=setcell):\n"
    "    def m(self):\n"
    "        __class__\n"
    "        return probe()\n"
    "    def nocls(self):\n"
    "        return probe()\n"
    "def noargs():\n"
    "    return probe()\n"
    "def cycle():\n"
    "    def self_ref():\n"
    "        return self_ref\n"
    "    self_ref.me = self_ref\n"
    "    return None\n";

/* fn(obj) or fn(obj, k=obj): the count of obj must be back after the
 * result is dropped (also when the call fails: expect_ok 0). */
static void call_keeps_count_ex(pm_runtime *rt, pm_object *fn, pm_object *obj, int with_kw,
                                int expect_ok, const char *what) {
    pm_ssize_t before = pm_refcnt(rt, obj);
    pm_object *kwnames = NULL;
    pm_object *args[2] = {obj, obj};
    if (with_kw) {
        pm_object *k = pm_str_intern_cstr(rt, "k");
        kwnames = pm_tuple_pack(rt, 1, k);
        pm_decref(rt, k);
    }
    pm_object *r = pm_call(rt, fn, args, 1, kwnames);
    CHECK((r != NULL) == expect_ok, "%s: call %s: %s", what, r ? "succeeded" : "failed",
          pm_err_message(rt));
    if (!r) pm_err_clear(rt);
    pm_xdecref(rt, r);
    pm_xdecref(rt, kwnames);
    CHECK(pm_refcnt(rt, obj) == before, "%s: count %zd, was %zd", what, (pm_ssize_t)pm_refcnt(rt, obj),
          (pm_ssize_t)before);
}

static void call_keeps_count(pm_runtime *rt, pm_object *fn, pm_object *obj, int with_kw,
                             const char *what) {
    call_keeps_count_ex(rt, fn, obj, with_kw, 1, what);
}

static void test_refcounts(pm_runtime *rt, pm_object *g) {
    pm_object *obj = pm_list_new(rt);
    call_keeps_count_ex(rt, get(rt, g, "first"), obj, 0, 0, "first(obj) (TypeError: b missing)");
    pm_object *args2[2] = {obj, obj};
    pm_ssize_t before = pm_refcnt(rt, obj);
    pm_object *r = pm_call(rt, get(rt, g, "first"), args2, 2, NULL);
    CHECK(r == obj, "first(obj, obj) is obj");
    CHECK(pm_refcnt(rt, obj) == before + 1, "first: one reference for the result");
    pm_xdecref(rt, r);
    call_keeps_count(rt, get(rt, g, "via"), obj, 0, "via(obj) (inline call)");
    call_keeps_count(rt, get(rt, g, "star"), obj, 1, "star(obj, k=obj)");
    call_keeps_count(rt, get(rt, g, "kwbind"), obj, 1, "kwbind(obj, k=obj)");
    call_keeps_count(rt, get(rt, g, "run_gen"), obj, 0, "run_gen(obj)");
    call_keeps_count(rt, get(rt, g, "catch"), obj, 0, "catch(obj)");
    call_keeps_count(rt, get(rt, g, "closure"), obj, 0, "closure(obj)");

    /* a generator left suspended, then dropped: closed, its frame freed */
    before = pm_refcnt(rt, obj);
    pm_object *gen = pm_call(rt, get(rt, g, "gen"), args2, 1, NULL);
    CHECK(gen && pmi_gen_check(gen), "gen() makes a generator");
    pm_object *y = gen ? pm_iter_next(rt, gen) : NULL;
    CHECK(y == obj, "first yield is obj");
    pm_xdecref(rt, y);
    CHECK(pm_refcnt(rt, obj) == before + 1, "the suspended frame holds obj once");
    pm_xdecref(rt, gen);
    CHECK(pm_refcnt(rt, obj) == before, "dropping the generator drops its frame");

    /* bound method: (func, self) and self prepended */
    pm_object *m = pm_method_new(rt, get(rt, g, "first"), obj);
    pm_object *other = pm_int_from_long(rt, 7);
    pm_object *r2 = m ? pm_call(rt, m, &other, 1, NULL) : NULL;
    CHECK(r2 == obj, "bound method passes self first");
    pm_xdecref(rt, r2);
    pm_object *func = m ? pm_getattr_cstr(rt, m, "__func__") : NULL;
    pm_object *self = m ? pm_getattr_cstr(rt, m, "__self__") : NULL;
    CHECK(func == get(rt, g, "first") && self == obj, "__func__ / __self__");
    pm_xdecref(rt, func);
    pm_xdecref(rt, self);
    pm_object *rep = m ? pm_repr(rt, m) : NULL;
    const char *text = rep ? pm_str_as_utf8(rt, rep, NULL) : "";
    CHECK(strncmp(text, "<bound method first of []>", 26) == 0, "method repr: %s", text);
    pm_xdecref(rt, rep);
    /* descr_get on the function makes one, as obj.f would */
    pm_object *m2 = pmi_function_type.descr_get(rt, get(rt, g, "first"), obj, NULL);
    CHECK(m2 && pm_method_check(m2) && pm_equal(rt, m, m2) == 1, "descr_get gives an equal bound method");
    pm_xdecref(rt, m2);
    /* CPython 3.11's sys.getsizeof: function 152, bound method 64, cell 40 */
    pm_object *cl = pm_call(rt, get(rt, g, "closure"), &obj, 1, NULL);
    pm_object *cells = cl ? ((pmi_function *)cl)->closure : NULL;
    CHECK(pm_getsizeof(rt, get(rt, g, "first")) == 152, "getsizeof(function) %zu",
          pm_getsizeof(rt, get(rt, g, "first")));
    CHECK(m && pm_getsizeof(rt, m) == 64, "getsizeof(method)");
    CHECK(cells && pm_getsizeof(rt, pm_tuple_get(rt, cells, 0)) == 40, "getsizeof(cell)");
    pm_xdecref(rt, cl);
    pm_xdecref(rt, m);
    pm_decref(rt, other);
    CHECK(pm_refcnt(rt, obj) == before, "method dropped: count back");
    pm_decref(rt, obj);
}

/* `with` over a memoryview (a built-in context manager): __enter__,
 * __exit__ on leaving normally and on an exception (the expected texts are
 * python3's). */
static void test_with(pm_runtime *rt, pm_object *g) {
    static const struct { const char *fn, *want; } cases[] = {
        {"use_with", "[b'ab', 'operation forbidden on released memoryview object']"},
        {"with_raising", "['inside', None]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pm_object *b = pm_bytes_new(rt, "ab", 2);
        pm_object *mv = b ? pm_memoryview_new(rt, b) : NULL;
        pm_object *r = mv ? pm_call(rt, get(rt, g, cases[i].fn), &mv, 1, NULL) : NULL;
        const char *text = r && pm_str_check(r) ? pm_str_as_utf8(rt, r, NULL) : pm_err_message(rt);
        CHECK(r && strcmp(text, cases[i].want) == 0, "%s: %s", cases[i].fn, text);
        pm_err_clear(rt);
        pm_xdecref(rt, r);
        pm_xdecref(rt, mv);
        pm_xdecref(rt, b);
    }
}

/* probe(): what zero-argument super() would use, as (type, obj). */
static pm_object *probe(pm_runtime *rt, pm_object *self, pm_object *unused) {
    (void)self;
    (void)unused;
    pm_object *type, *obj;
    if (pmi_super_args(rt, &type, &obj) < 0) return NULL;
    return pm_tuple_pack(rt, 2, type, obj);
}

static const pm_method_def probe_def = {"probe", probe, PM_METH_NOARGS, NULL};

static void test_super_args(pm_runtime *rt, pm_object *g) {
    pm_object *k = get(rt, g, "K"), *key = pm_str_from_cstr(rt, "m");
    pm_object *m = pm_dict_get(rt, k, key);
    pm_object *obj = pm_list_new(rt);
    pm_object *r = m ? pm_call(rt, m, &obj, 1, NULL) : NULL;
    CHECK(r && pm_tuple_check(r) && pm_tuple_get(rt, r, 0) == pm_type_as_object(&pm_int_type) &&
              pm_tuple_get(rt, r, 1) == obj, "super args: (int, obj): %s", pm_err_message(rt));
    pm_err_clear(rt);
    pm_xdecref(rt, r);
    pm_decref(rt, key);
    key = pm_str_from_cstr(rt, "nocls");
    m = pm_dict_get(rt, k, key);
    r = m ? pm_call(rt, m, &obj, 1, NULL) : NULL;
    CHECK(!r && strcmp(pm_err_message(rt), "super(): __class__ cell not found") == 0, "no __class__: %s",
          pm_err_message(rt));
    pm_err_clear(rt);
    r = pm_call(rt, get(rt, g, "noargs"), NULL, 0, NULL);
    CHECK(!r && strcmp(pm_err_message(rt), "super(): no arguments") == 0, "no args: %s", pm_err_message(rt));
    pm_err_clear(rt);
    pm_decref(rt, key);
    pm_decref(rt, obj);
}

/* Five self-referencing functions and a cell <-> function cycle. */
static pm_ssize_t make_cycles(pm_runtime *rt, pm_object *g) {
    for (int i = 0; i < 5; i++) {
        pm_object *r = pm_call(rt, get(rt, g, "cycle"), NULL, 0, NULL);
        CHECK(r == PM_NONE, "cycle()");
        pm_xdecref(rt, r);
    }
    pm_object *cell = pmi_cell_new(rt, NULL);
    pm_object *fn = pm_call(rt, get(rt, g, "closure"), &cell, 1, NULL);
    CHECK(fn && pmi_function_check(fn), "closure(cell)");
    ((pmi_cell *)cell)->ref = fn;   /* cell -> inner -> closure cell(x = cell) -> cell */
    pm_decref(rt, cell);
    return pm_gc_collect(rt, 2);
}

static void test_cycles(pm_runtime *rt, pm_object *g) {
    /* two rounds first: they grow what the library keeps for reuse (one
     * 4 KiB block appears after the second round's collection) */
    make_cycles(rt, g);
    (void)bytes_in_use(rt);
    make_cycles(rt, g);
    size_t base = bytes_in_use(rt);
    pm_ssize_t collected = make_cycles(rt, g);
    CHECK(collected >= 5, "cycles collected: %zd", collected);
    size_t after = bytes_in_use(rt);
    CHECK(after == base, "cycles: every byte back (%zd more)", (pm_ssize_t)(after - base));
}

/* Countdown over one call from C: MemoryError or success, count and bytes back. */
static void sweep(pm_runtime *rt, pm_object *fn, int with_kw, const char *what) {
    pm_object *obj = pm_list_new(rt);
    pm_object *k = pm_str_intern_cstr(rt, "k");
    pm_object *kwnames = pm_tuple_pack(rt, 1, k);
    pm_decref(rt, k);
    size_t base = bytes_in_use(rt);
    pm_ssize_t count = pm_refcnt(rt, obj);
    long n;
    for (n = 1; n < 100000; n++) {
        pm_object *args[2] = {obj, obj};
        pm_fault_inject(rt, n, 0);
        pm_object *r = pm_call(rt, fn, args, 1, with_kw ? kwnames : NULL);
        long fired = pm_fault_fired(rt);
        pm_fault_inject(rt, 0, 0);
        fault_outcome(rt, r, what, n);
        fault_all_back(rt, obj, count, base, what, n);
        if (failures > 20) break;
        if (!fired) break;
    }
    printf("ok   sweep %s: %ld allocations\n", what, n - 1);
    pm_decref(rt, kwnames);
    pm_decref(rt, obj);
}

int main(void) {
    pm_runtime *rt = pm_runtime_new(NULL);
    if (!rt || pmi_interp_init(rt) < 0) {
        fprintf(stderr, "FAIL: runtime\n");
        return 1;
    }
    pm_object *fname = pm_str_from_cstr(rt, "<test_vm>");
    pm_object *code = compile_module(rt, SOURCE, sizeof SOURCE - 1, fname);
    pm_object *g = new_globals(rt);
    pm_object *pr = pm_cfunction_new(rt, &probe_def, NULL);
    pm_object *nm = pm_str_from_cstr(rt, "probe");
    pm_dict_set(rt, g, nm, pr);
    pm_decref(rt, nm);
    pm_decref(rt, pr);
    run_module(rt, code, g);
    CHECK(pmi_current_exception(rt) == NULL, "no exception handled at the top");

    test_refcounts(rt, g);
    test_with(rt, g);
    test_super_args(rt, g);
    test_cycles(rt, g);
    sweep(rt, get(rt, g, "kwbind"), 1, "kwbind(obj, k=obj)");
    sweep(rt, get(rt, g, "run_gen"), 0, "run_gen(obj)");
    sweep(rt, get(rt, g, "catch"), 0, "catch(obj)");
    sweep(rt, get(rt, g, "star"), 1, "star(obj, k=obj)");

    /* a generator suspended past pmi_interp_fini: dropping it later must
     * neither run its frame nor crash (runtime teardown order) */
    pm_object *late_arg = pm_int_from_long(rt, 1);
    pm_object *late = pm_call(rt, get(rt, g, "gen"), &late_arg, 1, NULL);
    pm_object *first_val = late ? pm_iter_next(rt, late) : NULL;
    CHECK(first_val == late_arg, "late generator started");
    pm_xdecref(rt, first_val);
    pm_decref(rt, late_arg);

    pm_dict_clear(rt, g);
    pm_decref(rt, g);
    pm_decref(rt, code);
    pm_decref(rt, fname);
    pmi_interp_fini(rt);
    pm_xdecref(rt, late);
    pm_runtime_free(rt);
    return finish("test_vm");
}
