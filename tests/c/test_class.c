/* Classes from Python-level data: type(name, bases, ns) (attributes,
 * MRO, __slots__, layout errors, getsizeof of instances), special methods
 * reaching the slots (operators with reflected operands, comparison and
 * the __eq__-without-__hash__ rule, len / getitem / call / bool / repr,
 * a dunder assigned or deleted later), gc of classes and instances, and a
 * fault sweep over class creation.  Python-visible results are compared
 * with python3 running the same program. */
#include "testutil.h"
#include "ctutil.h"
#include "faultsweep.h"
#include "core/object.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a test "function": a C callback that binds like a Python function --- */

typedef pm_object *(*tfn)(pm_runtime *rt, pm_object *const *args, pm_ssize_t n);

typedef struct tfunc {
    pm_object ob_base;
    tfn fn;                     /* the body: args[0] is self for a method */
    pm_object *bound;           /* self of a bound method (owned) or NULL */
} tfunc;

static const pm_type tfunc_type;

static pm_object *tfunc_new(pm_runtime *rt, tfn fn, pm_object *bound) {
    pm_object *o = pmi_object_new(rt, &tfunc_type);
    if (!o) return NULL;
    ((tfunc *)o)->fn = fn;
    ((tfunc *)o)->bound = bound ? pm_newref(rt, bound) : NULL;
    return o;
}

static void tfunc_dealloc(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((tfunc *)self)->bound);
    pmi_object_free(rt, self);
}

static pm_object *tfunc_call(pm_runtime *rt, pm_object *self, pm_object *const *args, size_t nargsf,
                             pm_object *kwnames) {
    (void)kwnames;
    tfunc *f = (tfunc *)self;
    pm_ssize_t n = pm_vectorcall_nargs(nargsf);
    if (!f->bound) return f->fn(rt, args, n);
    pm_object *buf[16];
    assert_true(n < 15);
    buf[0] = f->bound;
    for (pm_ssize_t i = 0; i < n; i++) buf[i + 1] = args[i];
    return f->fn(rt, buf, n + 1);
}

static pm_object *tfunc_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    (void)type;
    if (!obj) return pm_newref(rt, self);
    return tfunc_new(rt, ((tfunc *)self)->fn, obj);
}

static const pm_type tfunc_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "function",
    .basicsize = sizeof(tfunc),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_METHOD_DESCRIPTOR,
    .base = &pm_object_type,
    .dealloc = tfunc_dealloc,
    .hash = pmi_object_hash,
    .call = tfunc_call,
    .descr_get = tfunc_get,
};

/* ---- helpers ------------------------------------------------------------------ */

/* type(name, bases, ns) through pm_call on `type`.  NEW ref or NULL. */
static pm_object *mkclass(pm_runtime *rt, const char *name, pm_object *bases, pm_object *ns) {
    pm_object *n = pm_str_from_cstr(rt, name);
    if (!n) return NULL;
    pm_object *args[3] = {n, bases, ns};
    pm_object *c = pm_call(rt, pm_type_as_object(&pm_type_type), args, 3, NULL);
    pm_decref(rt, n);
    return c;
}

static void nsset(pm_runtime *rt, pm_object *ns, const char *k, pm_object *v) {
    assert_non_null(v);
    pm_object *key = pm_str_intern_cstr(rt, k);
    assert_int_equal(pm_dict_set(rt, ns, key, v), 0);
    pm_decref(rt, key);
    pm_decref(rt, v);
}

/* Append "repr(o)\n", or "Kind: message\n" when o is NULL (error cleared). */
static void put(pm_runtime *rt, char *buf, size_t *off, size_t cap, pm_object *o) {
    if (!o) {
        assert_true(pm_err_occurred(rt));
        *off += (size_t)snprintf(buf + *off, cap - *off, "%s: %s\n", pm_exc_name(pm_err_kind(rt)),
                                 pm_err_message(rt));
        pm_err_clear(rt);
        return;
    }
    pm_object *r = pm_repr(rt, o);
    assert_non_null(r);
    *off += (size_t)snprintf(buf + *off, cap - *off, "%s\n", pm_str_as_utf8(rt, r, NULL));
    pm_decref(rt, r);
    pm_decref(rt, o);
}

static void put_int(char *buf, size_t *off, size_t cap, long v) {
    *off += (size_t)snprintf(buf + *off, cap - *off, "%ld\n", v);
}

static pm_object *getattr_s(pm_runtime *rt, pm_object *o, const char *name) {
    return pm_getattr_cstr(rt, o, name);
}

/* o.name = value (value stolen); 0 / -1 with the error left set. */
static int setattr_s(pm_runtime *rt, pm_object *o, const char *name, pm_object *value) {
    pm_object *n = pm_str_intern_cstr(rt, name);
    assert_non_null(n);
    int r = pm_setattr(rt, o, n, value);
    pm_decref(rt, n);
    pm_xdecref(rt, value);
    return r;
}

static pm_object *tup(pm_runtime *rt, int n, ...) {
    va_list ap;
    pm_object *items[8];
    va_start(ap, n);
    for (int i = 0; i < n; i++) items[i] = va_arg(ap, pm_object *);
    va_end(ap);
    pm_object *t = pm_tuple_from_array(rt, items, n);
    assert_non_null(t);
    return t;
}

/* ---- 1. type(name, bases, ns) ------------------------------------------------- */

static void test_type_new(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[8192], theirs[8192];
    size_t off = 0, cap = sizeof mine;
    pm_object *empty = tup(rt, 0);

    pm_object *ns = pm_dict_new(rt);
    nsset(rt, ns, "x", ct_int(rt, 1));
    nsset(rt, ns, "__module__", ct_str(rt, "m"));
    nsset(rt, ns, "__qualname__", ct_str(rt, "Outer.C"));
    pm_object *C = mkclass(rt, "C", empty, ns);
    pm_decref(rt, ns);
    assert_non_null(C);
    put(rt, mine, &off, cap, pm_newref(rt, C));
    put(rt, mine, &off, cap, getattr_s(rt, C, "__name__"));
    put(rt, mine, &off, cap, getattr_s(rt, C, "__qualname__"));
    put(rt, mine, &off, cap, getattr_s(rt, C, "__module__"));
    put(rt, mine, &off, cap, getattr_s(rt, C, "__doc__"));
    put(rt, mine, &off, cap, getattr_s(rt, C, "__bases__"));
    put(rt, mine, &off, cap, getattr_s(rt, C, "__base__"));
    put(rt, mine, &off, cap, getattr_s(rt, C, "x"));
    put(rt, mine, &off, cap, pm_newref(rt, pm_type_as_object(C->ob_type)));
    put_int(mine, &off, cap, pm_callable(C));

    pm_object *c = pm_call(rt, C, NULL, 0, NULL);
    assert_non_null(c);
    put(rt, mine, &off, cap, getattr_s(rt, c, "x"));
    assert_int_equal(setattr_s(rt, c, "y", ct_int(rt, 5)), 0);
    put(rt, mine, &off, cap, getattr_s(rt, c, "y"));
    put(rt, mine, &off, cap, getattr_s(rt, c, "__dict__"));
    put(rt, mine, &off, cap, getattr_s(rt, c, "zz"));
    put_int(mine, &off, cap, (long)pm_getsizeof(rt, c));
    put_int(mine, &off, cap, pm_is_instance(c, (const pm_type *)C));
    /* C(1): object.__new__'s excess arguments */
    pm_object *one = ct_int(rt, 1);
    put(rt, mine, &off, cap, pm_call(rt, C, &one, 1, NULL));

    /* multiple inheritance and the MRO */
    pm_object *A = mkclass(rt, "A", empty, ns = pm_dict_new(rt));
    pm_decref(rt, ns);
    pm_object *bA = tup(rt, 1, A);
    pm_object *B = mkclass(rt, "B", bA, ns = pm_dict_new(rt));
    pm_decref(rt, ns);
    pm_object *bAC = tup(rt, 2, A, C);
    pm_object *D = mkclass(rt, "D", bAC, ns = pm_dict_new(rt));
    pm_decref(rt, ns);
    pm_object *bBD = tup(rt, 2, B, D);
    pm_object *E = mkclass(rt, "E", bBD, ns = pm_dict_new(rt));
    pm_decref(rt, ns);
    assert_non_null(E);
    put(rt, mine, &off, cap, getattr_s(rt, E, "__mro__"));
    pm_object *mron = pm_str_intern_cstr(rt, "mro");
    put(rt, mine, &off, cap, pm_call_method(rt, E, mron, NULL, 0));
    pm_decref(rt, mron);
    put_int(mine, &off, cap, pm_type_is_subtype((const pm_type *)E, (const pm_type *)C));
    put_int(mine, &off, cap, pm_type_is_subtype((const pm_type *)D, (const pm_type *)B));
    put(rt, mine, &off, cap, getattr_s(rt, E, "x"));
    pm_object *bDB = tup(rt, 2, D, B);
    put(rt, mine, &off, cap, mkclass(rt, "F", bDB, ns = pm_dict_new(rt)));   /* MRO conflict */
    pm_decref(rt, ns);

    /* __slots__ */
    ns = pm_dict_new(rt);
    nsset(rt, ns, "__slots__", tup(rt, 2, ct_str(rt, "b"), ct_str(rt, "a")));
    pm_object *S = mkclass(rt, "S", empty, ns);
    pm_decref(rt, ns);
    assert_non_null(S);
    pm_object *s = pm_call(rt, S, NULL, 0, NULL);
    assert_non_null(s);
    put(rt, mine, &off, cap, getattr_s(rt, S, "__slots__"));
    put(rt, mine, &off, cap, getattr_s(rt, S, "a"));
    put(rt, mine, &off, cap, getattr_s(rt, s, "a"));
    pm_object *an = pm_str_intern_cstr(rt, "a"), *zn = pm_str_intern_cstr(rt, "z");
    assert_int_equal(pm_setattr(rt, s, an, one), 0);
    put(rt, mine, &off, cap, getattr_s(rt, s, "a"));
    put_int(mine, &off, cap, pm_setattr(rt, s, zn, one));
    put(rt, mine, &off, cap, NULL);
    put_int(mine, &off, cap, (long)pm_getsizeof(rt, s));
    put_int(mine, &off, cap, pm_delattr(rt, s, an));
    put_int(mine, &off, cap, pm_delattr(rt, s, an));
    put(rt, mine, &off, cap, NULL);

    /* errors */
    ns = pm_dict_new(rt);
    nsset(rt, ns, "__slots__", tup(rt, 1, ct_str(rt, "a")));
    pm_object *S2 = mkclass(rt, "S2", empty, ns);
    pm_decref(rt, ns);
    pm_object *bSS = tup(rt, 2, S, S2);
    put(rt, mine, &off, cap, mkclass(rt, "SS", bSS, ns = pm_dict_new(rt)));
    pm_decref(rt, ns);
    ns = pm_dict_new(rt);
    nsset(rt, ns, "__slots__", tup(rt, 1, ct_str(rt, "x")));
    nsset(rt, ns, "x", ct_int(rt, 1));
    put(rt, mine, &off, cap, mkclass(rt, "X", empty, ns));
    pm_decref(rt, ns);
    ns = pm_dict_new(rt);
    nsset(rt, ns, "__slots__", tup(rt, 1, ct_str(rt, "x")));
    pm_object *bint = tup(rt, 1, pm_type_as_object(&pm_int_type));
    put(rt, mine, &off, cap, mkclass(rt, "I", bint, ns));
    pm_decref(rt, ns);
    ns = pm_dict_new(rt);
    nsset(rt, ns, "__slots__", tup(rt, 2, ct_str(rt, "__dict__"), ct_str(rt, "__dict__")));
    put(rt, mine, &off, cap, mkclass(rt, "X", empty, ns));
    pm_decref(rt, ns);
    ns = pm_dict_new(rt);
    nsset(rt, ns, "__slots__", tup(rt, 1, ct_int(rt, 3)));
    put(rt, mine, &off, cap, mkclass(rt, "X", empty, ns));
    pm_decref(rt, ns);
    pm_object *bbool = tup(rt, 1, pm_type_as_object(&pm_bool_type));
    put(rt, mine, &off, cap, mkclass(rt, "X", bbool, ns = pm_dict_new(rt)));
    pm_decref(rt, ns);
    pm_object *bad = tup(rt, 1, one);
    put(rt, mine, &off, cap, mkclass(rt, "X", bad, ns = pm_dict_new(rt)));
    pm_decref(rt, ns);
    pm_object *args3[3] = {one, empty, empty};
    put(rt, mine, &off, cap, pm_call(rt, pm_type_as_object(&pm_type_type), args3, 3, NULL));
    put(rt, mine, &off, cap, pm_call(rt, pm_type_as_object(&pm_type_type), args3, 2, NULL));

    /* __name__ is settable; the repr follows __qualname__ */
    assert_int_equal(setattr_s(rt, A, "__name__", ct_str(rt, "A2")), 0);
    put(rt, mine, &off, cap, getattr_s(rt, A, "__name__"));
    put(rt, mine, &off, cap, pm_newref(rt, A));
    put_int(mine, &off, cap, setattr_s(rt, A, "__name__", pm_newref(rt, one)));
    put(rt, mine, &off, cap, NULL);

    pm_object *objs[] = {c, s, A, B, C, D, E, S, S2, bA, bAC, bBD, bDB, bSS, bint, bbool, bad, one, empty, an, zn};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);

    tu_python("import sys\n"
              "__name__ = 'builtins'  # pymm's default __module__ (no caller globals)\n"
              "def show(f):\n"
              "    try: print(repr(f()))\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n"
              "C = type('C', (), {'x': 1, '__module__': 'm', '__qualname__': 'Outer.C'})\n"
              "for f in [lambda: C, lambda: C.__name__, lambda: C.__qualname__, lambda: C.__module__,\n"
              "          lambda: C.__doc__, lambda: C.__bases__, lambda: C.__base__, lambda: C.x, lambda: type(C)]:\n"
              "    show(f)\n"
              "print(int(callable(C)))\n"
              "c = C()\n"
              "show(lambda: c.x); c.y = 5; show(lambda: c.y); show(lambda: c.__dict__); show(lambda: c.zz)\n"
              "print(sys.getsizeof(c)); print(int(isinstance(c, C)))\n"
              "show(lambda: C(1))\n"
              "A = type('A', (), {}); B = type('B', (A,), {}); D = type('D', (A, C), {}); E = type('E', (B, D), {})\n"
              "show(lambda: E.__mro__); show(lambda: E.mro())\n"
              "print(int(issubclass(E, C))); print(int(issubclass(D, B))); show(lambda: E.x)\n"
              "show(lambda: type('F', (D, B), {}))\n"
              "S = type('S', (), {'__slots__': ('b', 'a')}); s = S()\n"
              "show(lambda: S.__slots__); show(lambda: S.a); show(lambda: s.a)\n"
              "s.a = 1; show(lambda: s.a)\n"
              "try: s.z = 1\n"
              "except AttributeError as e: print(-1); print('AttributeError: ' + str(e))\n"
              "print(sys.getsizeof(s))\n"
              "del s.a; print(0)\n"
              "try: del s.a\n"
              "except AttributeError as e: print(-1); print('AttributeError: ' + str(e))\n"
              "S2 = type('S2', (), {'__slots__': ('a',)})\n"
              "show(lambda: type('SS', (S, S2), {}))\n"
              "show(lambda: type('X', (), {'__slots__': ('x',), 'x': 1}))\n"
              "show(lambda: type('I', (int,), {'__slots__': ('x',)}))\n"
              "show(lambda: type('X', (), {'__slots__': ('__dict__', '__dict__')}))\n"
              "show(lambda: type('X', (), {'__slots__': (3,)}))\n"
              "show(lambda: type('X', (bool,), {}))\n"
              "show(lambda: type('X', (1,), {}))\n"
              "show(lambda: type(1, (), ()))\n"
              "show(lambda: type(1, ()))\n"
              "A.__name__ = 'A2'; show(lambda: A.__name__); show(lambda: A)\n"
              "try: A.__name__ = 1\n"
              "except TypeError as e: print(-1); print('TypeError: ' + str(e))\n",
              theirs, sizeof theirs);
    if (strcmp(mine, theirs)) fprintf(stderr, "pymm:\n%s\npython3:\n%s\n", mine, theirs);
    assert_string_equal(mine, theirs);
}

/* ---- 2. special methods ----------------------------------------------------------- */

static pm_object *cat(pm_runtime *rt, const char *tag, pm_object *o) {
    pm_object *r = pm_repr(rt, o);
    if (!r) return NULL;
    char buf[256];
    snprintf(buf, sizeof buf, "%s%s", tag, pm_str_as_utf8(rt, r, NULL));
    pm_decref(rt, r);
    return pm_str_from_cstr(rt, buf);
}

static pm_object *m_add(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)n; return cat(rt, "add", a[1]); }
static pm_object *m_radd(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)n; return cat(rt, "radd", a[1]); }
static pm_object *m_dradd(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)n; return cat(rt, "Dradd", a[1]); }
static pm_object *m_new_add(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)n; return cat(rt, "new", a[1]); }
static pm_object *m_repr(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)a; (void)n; return pm_str_from_cstr(rt, "R!"); }
static pm_object *m_len(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)a; (void)n; return pm_int_from_long(rt, 3); }
static pm_object *m_getitem(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) {
    (void)n;
    return pm_number_binop(rt, a[1], a[1], PM_NB_ADD);
}
static pm_object *m_true(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)rt; (void)a; (void)n; return PM_TRUE; }
static pm_object *m_false(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)rt; (void)a; (void)n; return PM_FALSE; }
static pm_object *m_nargs(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)a; return pm_int_from_ssize(rt, n - 1); }
static pm_object *m_neg(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)a; (void)n; return pm_str_from_cstr(rt, "neg"); }
static pm_object *m_lt(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)a; (void)n; return pm_str_from_cstr(rt, "lt"); }
static pm_object *m_hash(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)a; (void)n; return pm_int_from_long(rt, -1); }
static pm_object *m_badlen(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)a; (void)n; return pm_int_from_long(rt, -5); }
static pm_object *m_init_ret(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)a; (void)n; return pm_int_from_long(rt, 7); }

static void test_special_methods(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[8192], theirs[8192];
    size_t off = 0, cap = sizeof mine;
    pm_object *empty = tup(rt, 0), *one = ct_int(rt, 1), *two = ct_int(rt, 2), *five = ct_int(rt, 5);
    pm_object *ns = pm_dict_new(rt);
    nsset(rt, ns, "__add__", tfunc_new(rt, m_add, NULL));
    nsset(rt, ns, "__radd__", tfunc_new(rt, m_radd, NULL));
    nsset(rt, ns, "__repr__", tfunc_new(rt, m_repr, NULL));
    nsset(rt, ns, "__len__", tfunc_new(rt, m_len, NULL));
    nsset(rt, ns, "__getitem__", tfunc_new(rt, m_getitem, NULL));
    nsset(rt, ns, "__eq__", tfunc_new(rt, m_true, NULL));
    nsset(rt, ns, "__call__", tfunc_new(rt, m_nargs, NULL));
    nsset(rt, ns, "__bool__", tfunc_new(rt, m_false, NULL));
    nsset(rt, ns, "__neg__", tfunc_new(rt, m_neg, NULL));
    nsset(rt, ns, "__lt__", tfunc_new(rt, m_lt, NULL));
    pm_object *C = mkclass(rt, "C", empty, ns);
    pm_decref(rt, ns);
    assert_non_null(C);
    pm_object *c = pm_call(rt, C, NULL, 0, NULL);
    assert_non_null(c);
    put(rt, mine, &off, cap, pm_repr(rt, c));
    put(rt, mine, &off, cap, pm_str(rt, c));
    put(rt, mine, &off, cap, pm_number_binop(rt, c, one, PM_NB_ADD));
    put(rt, mine, &off, cap, pm_number_binop(rt, one, c, PM_NB_ADD));
    put(rt, mine, &off, cap, pm_number_binop(rt, c, c, PM_NB_ADD));
    put(rt, mine, &off, cap, pm_number_binop(rt, c, one, PM_NB_INPLACE_ADD));
    put(rt, mine, &off, cap, pm_number_binop(rt, c, one, PM_NB_SUBTRACT));
    put_int(mine, &off, cap, (long)pm_length(rt, c));
    put(rt, mine, &off, cap, pm_getitem(rt, c, five));
    put(rt, mine, &off, cap, pm_richcompare(rt, c, one, PM_EQ));
    put(rt, mine, &off, cap, pm_richcompare(rt, c, one, PM_NE));
    put(rt, mine, &off, cap, pm_richcompare(rt, c, one, PM_LT));
    put(rt, mine, &off, cap, pm_richcompare(rt, one, c, PM_GT));
    put(rt, mine, &off, cap, pm_richcompare(rt, c, one, PM_LE));
    put_int(mine, &off, cap, (long)pm_hash(rt, c));
    put(rt, mine, &off, cap, NULL);
    pm_object *args2[2] = {one, two};
    put(rt, mine, &off, cap, pm_call(rt, c, args2, 2, NULL));
    put_int(mine, &off, cap, pm_is_true(rt, c));
    put(rt, mine, &off, cap, pm_number_negative(rt, c));
    put(rt, mine, &off, cap, pm_number_invert(rt, c));

    /* a subclass overriding __radd__ answers first */
    pm_object *bC = tup(rt, 1, C);
    ns = pm_dict_new(rt);
    nsset(rt, ns, "__radd__", tfunc_new(rt, m_dradd, NULL));
    nsset(rt, ns, "__hash__", tfunc_new(rt, m_hash, NULL));
    pm_object *D = mkclass(rt, "D", bC, ns);
    pm_decref(rt, ns);
    pm_object *d = pm_call(rt, D, NULL, 0, NULL);
    assert_non_null(d);
    put(rt, mine, &off, cap, pm_number_binop(rt, c, d, PM_NB_ADD));
    put(rt, mine, &off, cap, pm_number_binop(rt, d, c, PM_NB_ADD));
    put_int(mine, &off, cap, (long)pm_hash(rt, d));
    pm_object *E = mkclass(rt, "E", bC, ns = pm_dict_new(rt));
    pm_decref(rt, ns);
    pm_object *e = pm_call(rt, E, NULL, 0, NULL);
    put(rt, mine, &off, cap, pm_number_binop(rt, c, e, PM_NB_ADD));

    /* assigning and deleting a dunder later */
    pm_object *addn = pm_str_intern_cstr(rt, "__add__");
    pm_object *f = tfunc_new(rt, m_new_add, NULL);
    assert_int_equal(pm_setattr(rt, C, addn, f), 0);
    put(rt, mine, &off, cap, pm_number_binop(rt, c, one, PM_NB_ADD));
    put(rt, mine, &off, cap, pm_number_binop(rt, e, one, PM_NB_ADD));
    assert_int_equal(pm_delattr(rt, C, addn), 0);
    put(rt, mine, &off, cap, pm_number_binop(rt, c, one, PM_NB_ADD));
    put_int(mine, &off, cap, pm_delattr(rt, C, addn));
    put(rt, mine, &off, cap, NULL);

    /* result checks */
    ns = pm_dict_new(rt);
    nsset(rt, ns, "__len__", tfunc_new(rt, m_badlen, NULL));
    nsset(rt, ns, "__init__", tfunc_new(rt, m_init_ret, NULL));
    nsset(rt, ns, "__repr__", tfunc_new(rt, m_len, NULL));
    pm_object *G = mkclass(rt, "G", empty, ns);
    pm_decref(rt, ns);
    put(rt, mine, &off, cap, pm_call(rt, G, NULL, 0, NULL));
    pm_object *g = pmi_gc_new(rt, (const pm_type *)G);
    assert_non_null(g);
    pmi_gc_track(rt, g);
    put_int(mine, &off, cap, (long)pm_length(rt, g));
    put(rt, mine, &off, cap, NULL);
    put(rt, mine, &off, cap, pm_repr(rt, g));

    pm_object *objs[] = {c, d, e, g, C, D, E, G, bC, f, addn, empty, one, two, five};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);

    tu_python("def show(f):\n"
              "    try: print(repr(f()))\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n"
              "C = type('C', (), {'__add__': lambda s, o: 'add' + repr(o), '__radd__': lambda s, o: 'radd' + repr(o),\n"
              "    '__repr__': lambda s: 'R!', '__len__': lambda s: 3, '__getitem__': lambda s, k: k + k,\n"
              "    '__eq__': lambda s, o: True, '__call__': lambda s, *a: len(a), '__bool__': lambda s: False,\n"
              "    '__neg__': lambda s: 'neg', '__lt__': lambda s, o: 'lt'})\n"
              "c = C()\n"
              "show(lambda: repr(c)); show(lambda: str(c)); show(lambda: c + 1); show(lambda: 1 + c)\n"
              "show(lambda: c + c)\n"
              "def iadd():\n"
              "    x = c; x += 1; return x\n"
              "show(iadd); show(lambda: c - 1); print(len(c)); show(lambda: c[5])\n"
              "show(lambda: c == 1); show(lambda: c != 1); show(lambda: c < 1); show(lambda: 1 > c)\n"
              "show(lambda: c <= 1)\n"
              "try: hash(c)\n"
              "except TypeError as e: print(-1); print('TypeError: ' + str(e))\n"
              "show(lambda: c(1, 2)); print(int(bool(c))); show(lambda: -c); show(lambda: ~c)\n"
              "D = type('D', (C,), {'__radd__': lambda s, o: 'Dradd' + repr(o), '__hash__': lambda s: -1})\n"
              "d = D()\n"
              "show(lambda: c + d); show(lambda: d + c); print(hash(d))\n"
              "E = type('E', (C,), {}); e = E()\n"
              "show(lambda: c + e)\n"
              "C.__add__ = lambda s, o: 'new' + repr(o)\n"
              "show(lambda: c + 1); show(lambda: e + 1)\n"
              "del C.__add__\n"
              "show(lambda: c + 1)\n"
              "try: del C.__add__\n"
              "except AttributeError as ex: print(-1); print('AttributeError: ' + str(ex))\n"
              "G = type('G', (), {'__len__': lambda s: -5, '__init__': lambda s: 7, '__repr__': lambda s: 3})\n"
              "show(lambda: G())\n"
              "g = G.__new__(G)\n"
              "try: len(g)\n"
              "except ValueError as ex: print(-1); print('ValueError: ' + str(ex))\n"
              "show(lambda: repr(g))\n",
              theirs, sizeof theirs);
    if (strcmp(mine, theirs)) fprintf(stderr, "pymm:\n%s\npython3:\n%s\n", mine, theirs);
    assert_string_equal(mine, theirs);
}

/* ---- 3. gc: classes and their instances in cycles are collected ------------------- */

static void test_class_gc(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = 0;
    for (int round = 0; round < 4; round++) {
        if (round == 1) {
            /* after a warm-up round: the lazily made static-type dicts,
             * method cache and interned names stay for the runtime's life */
            pm_freelists_clear(rt);
            pm_type_clear_cache(rt);
            before = ct_blocks(rt);
        }
        pm_object *empty = tup(rt, 0), *ns = pm_dict_new(rt);
        nsset(rt, ns, "__slots__", tup(rt, 1, ct_str(rt, "a")));
        pm_object *S = mkclass(rt, "S", empty, ns);
        pm_decref(rt, ns);
        assert_non_null(S);
        pm_object *C = mkclass(rt, "C", empty, ns = pm_dict_new(rt));
        pm_decref(rt, ns);
        assert_non_null(C);
        pm_object *c = pm_call(rt, C, NULL, 0, NULL), *s = pm_call(rt, S, NULL, 0, NULL);
        assert_non_null(c);
        assert_non_null(s);
        /* c.me = c; s.a = s; C.inst = c (class -> instance -> class) */
        assert_int_equal(setattr_s(rt, c, "me", pm_newref(rt, c)), 0);
        assert_int_equal(setattr_s(rt, s, "a", pm_newref(rt, s)), 0);
        assert_int_equal(setattr_s(rt, C, "inst", pm_newref(rt, c)), 0);
        assert_true(pm_gc_is_tracked(C));
        assert_true(pm_gc_is_tracked(c));
        pm_object *objs[] = {c, s, C, S, empty};
        for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
        pm_gc_collect(rt, 2);
    }
    pm_freelists_clear(rt);
    pm_type_clear_cache(rt);
    /* every class, descriptor, dict and instance is gone */
    assert_true(ct_blocks(rt) <= before);
    pm_runtime_free(rt);
}

/* ---- 4. fault sweep over class creation and use ------------------------------------ */

static int fs_work(pm_runtime *rt, void *ctx);

static pm_runtime *fs_begin(void *ctx, long n) {
    (void)n;
    pm_runtime *rt = tu_runtime();
    /* warm-up: what the runtime keeps for its life (static types' dicts,
     * method cache, interned names) is made before the baseline */
    assert_int_equal(fs_work(rt, NULL), 0);
    pm_gc_collect(rt, 2);
    pm_freelists_clear(rt);
    pm_type_clear_cache(rt);
    *(size_t *)ctx = ct_blocks(rt);
    return rt;
}

static int fs_work(pm_runtime *rt, void *ctx) {
    (void)ctx;
    int rc = -1;
    pm_object *empty = NULL, *ns = NULL, *C = NULL, *D = NULL, *bases = NULL, *c = NULL, *r = NULL, *v = NULL;
    pm_object *key = NULL;
    if (!(empty = pm_tuple_from_array(rt, NULL, 0)) || !(ns = pm_dict_new(rt))) goto done;
    if (!(v = tfunc_new(rt, m_add, NULL)) || !(key = pm_str_intern_cstr(rt, "__add__"))) goto done;
    if (pm_dict_set(rt, ns, key, v) < 0) goto done;
    PM_CLEAR(rt, key);
    PM_CLEAR(rt, v);
    if (!(v = pm_tuple_from_array(rt, NULL, 0)) || !(key = pm_str_intern_cstr(rt, "__slots__"))) goto done;
    if (pm_dict_set(rt, ns, key, v) < 0) goto done;
    PM_CLEAR(rt, key);
    PM_CLEAR(rt, v);
    if (!(C = mkclass(rt, "C", empty, ns))) goto done;
    if (!(bases = pm_tuple_pack(rt, 1, C))) goto done;
    PM_CLEAR(rt, ns);
    if (!(ns = pm_dict_new(rt))) goto done;
    if (!(D = mkclass(rt, "D", bases, ns))) goto done;
    if (!(c = pm_call(rt, D, NULL, 0, NULL))) goto done;
    if (!(r = pm_number_binop(rt, c, c, PM_NB_ADD))) goto done;
    rc = 0;
done:;
    pm_object *all[] = {empty, ns, C, D, bases, c, r, v, key};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) pm_xdecref(rt, all[i]);
    return rc;
}

static void fs_end(pm_runtime *rt, void *ctx, long n, int rc) {
    (void)rc;
    pm_gc_collect(rt, 2);
    pm_freelists_clear(rt);
    pm_type_clear_cache(rt);
    size_t now = ct_blocks(rt);
    if (now != *(size_t *)ctx)
        fail_msg("N=%ld: %zu blocks still in use (%zu before)", n, now, *(size_t *)ctx);
    pm_runtime_free(rt);
}

static void test_class_fault_sweep(void **state) {
    (void)state;
    for (int persistent = 0; persistent < 2; persistent++) {
        size_t base = 0;
        fs_sweep sw = {"class creation", persistent, 0, &base, fs_begin, fs_work, fs_end};
        fs_result res = fs_run(&sw);
        assert_true(res.points > 10);
        assert_true(res.failures > 0);
    }
}

/* ---- 5. pm_isinstance / pm_issubclass -------------------------------------------- */

static void put_check(pm_runtime *rt, char *buf, size_t *off, size_t cap, int r) {
    if (r < 0) put(rt, buf, off, cap, NULL);
    else put_int(buf, off, cap, r);
}

static void test_isinstance(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[2048], theirs[2048];
    size_t off = 0, cap = sizeof mine;
    pm_object *empty = tup(rt, 0), *ns = pm_dict_new(rt);
    pm_object *A = mkclass(rt, "A", empty, ns), *bA = tup(rt, 1, A);
    pm_object *B = mkclass(rt, "B", bA, ns), *b = pm_call(rt, B, NULL, 0, NULL), *one = ct_int(rt, 1);
    pm_object *intt = pm_type_as_object(&pm_int_type), *nested = tup(rt, 2, intt, bA);
    put_check(rt, mine, &off, cap, pm_isinstance(rt, b, A));
    put_check(rt, mine, &off, cap, pm_isinstance(rt, one, A));
    put_check(rt, mine, &off, cap, pm_isinstance(rt, b, nested));
    put_check(rt, mine, &off, cap, pm_isinstance(rt, one, nested));
    put_check(rt, mine, &off, cap, pm_isinstance(rt, b, one));
    put_check(rt, mine, &off, cap, pm_issubclass(rt, B, A));
    put_check(rt, mine, &off, cap, pm_issubclass(rt, A, B));
    put_check(rt, mine, &off, cap, pm_issubclass(rt, B, nested));
    put_check(rt, mine, &off, cap, pm_issubclass(rt, b, A));
    put_check(rt, mine, &off, cap, pm_issubclass(rt, B, one));
    pm_object *objs[] = {empty, ns, A, bA, B, b, one, nested};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);
    tu_python("def show(f):\n"
              "    try: print(int(f()))\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n"
              "A = type('A', (), {}); B = type('B', (A,), {}); b = B(); nested = (int, (A,))\n"
              "for f in [lambda: isinstance(b, A), lambda: isinstance(1, A), lambda: isinstance(b, nested),\n"
              "          lambda: isinstance(1, nested), lambda: isinstance(b, 1), lambda: issubclass(B, A),\n"
              "          lambda: issubclass(A, B), lambda: issubclass(B, nested), lambda: issubclass(b, A),\n"
              "          lambda: issubclass(B, 1)]:\n"
              "    show(f)\n",
              theirs, sizeof theirs);
    if (strcmp(mine, theirs)) fprintf(stderr, "pymm:\n%s\npython3:\n%s\n", mine, theirs);
    assert_string_equal(mine, theirs);
}

/* ---- 6. subclasses of built-in types: list, dict, Exception ------------------------------ */

static void test_builtin_bases(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[4096], theirs[4096];
    size_t off = 0, cap = sizeof mine;
    pm_object *ns = pm_dict_new(rt), *one = ct_int(rt, 1), *two = ct_int(rt, 2);
    pm_object *bl = tup(rt, 1, pm_type_as_object(&pm_list_type));
    pm_object *be = tup(rt, 1, pm_type_as_object(pm_exc_type_of(PM_EXC_Exception)));
    pm_object *L = mkclass(rt, "L", bl, ns), *E = mkclass(rt, "E", be, ns);
    assert_non_null(L);
    assert_non_null(E);
    pm_object *items = tup(rt, 2, one, two);
    pm_object *l = pm_call(rt, L, &items, 1, NULL);
    if (!l) fail_msg("L((1, 2)): %s: %s", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
    put(rt, mine, &off, cap, pm_newref(rt, l));
    put_int(mine, &off, cap, (long)pm_length(rt, l));
    assert_int_equal(pm_list_append(rt, l, two), 0);
    put(rt, mine, &off, cap, pm_newref(rt, l));
    assert_int_equal(setattr_s(rt, l, "x", pm_newref(rt, one)), 0);
    put(rt, mine, &off, cap, getattr_s(rt, l, "__dict__"));
    put(rt, mine, &off, cap, pm_newref(rt, pm_type_as_object(l->ob_type)));
    put_int(mine, &off, cap, pm_list_check(l));
    pm_object *l0 = pm_call(rt, L, NULL, 0, NULL);
    put_int(mine, &off, cap, (long)pm_getsizeof(rt, l0));
    put(rt, mine, &off, cap, pm_call(rt, L, (pm_object *[]){one, two}, 2, NULL));
    pm_object *msg = ct_str(rt, "boom");
    pm_object *e = pm_call(rt, E, &msg, 1, NULL);
    assert_non_null(e);
    put(rt, mine, &off, cap, pm_repr(rt, e));
    put(rt, mine, &off, cap, pm_str(rt, e));
    put(rt, mine, &off, cap, getattr_s(rt, e, "args"));
    assert_int_equal(setattr_s(rt, e, "x", pm_newref(rt, one)), 0);
    put(rt, mine, &off, cap, getattr_s(rt, e, "x"));
    pm_object *e0 = pm_call(rt, E, NULL, 0, NULL);
    put_int(mine, &off, cap, (long)pm_getsizeof(rt, e0));
    put_int(mine, &off, cap, pm_exc_check(e));
    pm_object *bd = tup(rt, 1, pm_type_as_object(&pm_dict_type));
    pm_object *Dc = mkclass(rt, "D", bd, ns);
    pm_object *src = pm_dict_new(rt);
    assert_int_equal(pm_dict_set(rt, src, one, two), 0);
    pm_object *d = pm_call(rt, Dc, &src, 1, NULL);
    assert_non_null(d);
    put(rt, mine, &off, cap, pm_newref(rt, d));
    assert_int_equal(pm_setitem(rt, d, two, one), 0);
    put(rt, mine, &off, cap, pm_newref(rt, d));
    put(rt, mine, &off, cap, pm_getitem(rt, d, two));
    assert_int_equal(setattr_s(rt, d, "x", pm_newref(rt, one)), 0);
    put(rt, mine, &off, cap, getattr_s(rt, d, "__dict__"));
    pm_object *d0 = pm_call(rt, Dc, NULL, 0, NULL);
    put_int(mine, &off, cap, (long)pm_getsizeof(rt, d0));
    put_int(mine, &off, cap, pm_dict_check(d0));
    pm_object *objs[] = {ns, one, two, bl, be, L, E, items, l, l0, msg, e, e0, bd, Dc, src, d, d0};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);
    tu_python("import sys\n"
              "__name__ = 'builtins'\n"
              "def show(f):\n"
              "    try: print(repr(f()))\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n"
              "L = type('L', (list,), {}); E = type('E', (Exception,), {})\n"
              "l = L((1, 2)); show(lambda: l); print(len(l)); l.append(2); show(lambda: l)\n"
              "l.x = 1; show(lambda: l.__dict__); show(lambda: type(l)); print(int(isinstance(l, list)))\n"
              "print(sys.getsizeof(L())); show(lambda: L(1, 2))\n"
              "e = E('boom'); show(lambda: repr(e)); show(lambda: str(e)); show(lambda: e.args)\n"
              "e.x = 1; show(lambda: e.x); print(sys.getsizeof(E())); print(int(isinstance(e, BaseException)))\n"
              "D = type('D', (dict,), {}); d = D({1: 2}); show(lambda: d); d[2] = 1; show(lambda: d)\n"
              "show(lambda: d[2]); d.x = 1; show(lambda: d.__dict__); print(sys.getsizeof(D()))\n"
              "print(int(isinstance(D(), dict)))\n",
              theirs, sizeof theirs);
    if (strcmp(mine, theirs)) fprintf(stderr, "pymm:\n%s\npython3:\n%s\n", mine, theirs);
    assert_string_equal(mine, theirs);
}

/* ---- 7. slot wrappers ------------------------------------------------------------- */

/* Append repr(o) with its " at 0x..." address cut off. */
static void put_masked(pm_runtime *rt, char *buf, size_t *off, size_t cap, pm_object *o) {
    if (!o) {
        put(rt, buf, off, cap, NULL);
        return;
    }
    pm_object *r = pm_repr(rt, o);
    assert_non_null(r);
    const char *t = pm_str_as_utf8(rt, r, NULL), *at = strstr(t, " at 0x");
    *off += (size_t)snprintf(buf + *off, cap - *off, "%.*s\n", at ? (int)(at - t) : (int)strlen(t), t);
    pm_decref(rt, r);
    pm_decref(rt, o);
}

static pm_object *call_attr(pm_runtime *rt, pm_object *o, const char *name, int n, ...) {
    pm_object *f = pm_getattr_cstr(rt, o, name), *args[4];
    if (!f) return NULL;
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) args[i] = va_arg(ap, pm_object *);
    va_end(ap);
    pm_object *r = pm_call(rt, f, args, (size_t)n, NULL);
    pm_decref(rt, f);
    return r;
}

static void test_slot_wrappers(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[4096], theirs[4096];
    size_t off = 0, cap = sizeof mine;
    pm_object *intt = pm_type_as_object(&pm_int_type), *objt = pm_type_as_object(&pm_object_type);
    pm_object *listt = pm_type_as_object(&pm_list_type), *boolt = pm_type_as_object(&pm_bool_type);
    pm_object *one = ct_int(rt, 1), *two = ct_int(rt, 2), *ten = ct_int(rt, 10), *five = ct_int(rt, 5);
    pm_object *a = ct_str(rt, "a"), *x = pm_str_intern_cstr(rt, "x");
    put(rt, mine, &off, cap, getattr_s(rt, intt, "__add__"));
    put(rt, mine, &off, cap, call_attr(rt, intt, "__add__", 2, one, two));
    put_masked(rt, mine, &off, cap, getattr_s(rt, one, "__add__"));
    put(rt, mine, &off, cap, call_attr(rt, one, "__add__", 1, two));
    put(rt, mine, &off, cap, call_attr(rt, intt, "__radd__", 2, one, two));
    put(rt, mine, &off, cap, call_attr(rt, five, "__rsub__", 1, ten));
    put(rt, mine, &off, cap, call_attr(rt, intt, "__add__", 2, a, one));
    put(rt, mine, &off, cap, call_attr(rt, one, "__add__", 0));
    pm_object *l = pm_list_new(rt);
    pm_list_append(rt, l, one);
    pm_list_append(rt, l, two);
    put(rt, mine, &off, cap, call_attr(rt, listt, "__len__", 1, l));
    put(rt, mine, &off, cap, getattr_s(rt, objt, "__init__"));
    put(rt, mine, &off, cap, call_attr(rt, objt, "__eq__", 2, one, one));
    put(rt, mine, &off, cap, call_attr(rt, objt, "__ne__", 2, one, two));
    put_int(mine, &off, cap, pm_dict_contains(rt, pm_type_dict(rt, &pm_bool_type), pm_str_intern_cstr(rt, "__add__")));
    put_int(mine, &off, cap, pm_dict_contains(rt, pm_type_dict(rt, &pm_bool_type), pm_str_intern_cstr(rt, "__and__")));
    put(rt, mine, &off, cap, call_attr(rt, boolt, "__and__", 2, PM_TRUE, PM_FALSE));
    pm_object *wt = getattr_s(rt, intt, "__add__");
    put(rt, mine, &off, cap, getattr_s(rt, pm_type_as_object(wt->ob_type), "__name__"));
    pm_decref(rt, wt);

    /* object.__new__ / __init__ / __setattr__ on a class */
    pm_object *empty = tup(rt, 0), *ns = pm_dict_new(rt);
    nsset(rt, ns, "__eq__", tfunc_new(rt, m_true, NULL));
    pm_object *C = mkclass(rt, "C", empty, ns);
    pm_decref(rt, ns);
    pm_object *c = call_attr(rt, objt, "__new__", 1, C);
    assert_non_null(c);
    put(rt, mine, &off, cap, pm_newref(rt, pm_type_as_object(c->ob_type)));
    put(rt, mine, &off, cap, call_attr(rt, objt, "__new__", 1, one));
    put(rt, mine, &off, cap, call_attr(rt, objt, "__new__", 2, C, one));
    put(rt, mine, &off, cap, call_attr(rt, objt, "__init__", 1, c));
    put(rt, mine, &off, cap, call_attr(rt, objt, "__init__", 2, c, one));
    put(rt, mine, &off, cap, call_attr(rt, objt, "__setattr__", 3, c, x, five));
    put(rt, mine, &off, cap, getattr_s(rt, c, "x"));
    put(rt, mine, &off, cap, call_attr(rt, objt, "__getattribute__", 2, c, x));
    put(rt, mine, &off, cap, call_attr(rt, objt, "__delattr__", 2, c, x));
    put(rt, mine, &off, cap, getattr_s(rt, c, "x"));
    put(rt, mine, &off, cap, pm_richcompare(rt, c, c, PM_NE));
    put(rt, mine, &off, cap, pm_richcompare(rt, c, one, PM_NE));
    pm_object *objs[] = {one, two, ten, five, a, x, l, empty, C, c};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);
    tu_python("__name__ = 'builtins'\n"
              "def show(f):\n"
              "    try: r = repr(f()); print(r.split(' at 0x')[0])\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n"
              "for f in [lambda: int.__add__, lambda: int.__add__(1, 2), lambda: (1).__add__,\n"
              "          lambda: (1).__add__(2), lambda: int.__radd__(1, 2), lambda: (5).__rsub__(10),\n"
              "          lambda: int.__add__('a', 1), lambda: (1).__add__(), lambda: list.__len__([1, 2]),\n"
              "          lambda: object.__init__, lambda: object.__eq__(1, 1), lambda: object.__ne__(1, 2)]:\n"
              "    show(f)\n"
              "print(int('__add__' in bool.__dict__)); print(int('__and__' in bool.__dict__))\n"
              "show(lambda: bool.__and__(True, False)); show(lambda: type(int.__add__).__name__)\n"
              "C = type('C', (), {'__eq__': lambda s, o: True}); c = object.__new__(C)\n"
              "for f in [lambda: type(c), lambda: object.__new__(1), lambda: object.__new__(C, 1),\n"
              "          lambda: object.__init__(c), lambda: object.__init__(c, 1),\n"
              "          lambda: object.__setattr__(c, 'x', 5), lambda: c.x,\n"
              "          lambda: object.__getattribute__(c, 'x'), lambda: object.__delattr__(c, 'x'),\n"
              "          lambda: c.x, lambda: c != c, lambda: c != 1]:\n"
              "    show(f)\n",
              theirs, sizeof theirs);
    if (strcmp(mine, theirs)) fprintf(stderr, "pymm:\n%s\npython3:\n%s\n", mine, theirs);
    assert_string_equal(mine, theirs);
}

/* ---- 8. super ------------------------------------------------------------------- */

static pm_object *m_who_a(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)a; (void)n; return pm_str_from_cstr(rt, "A"); }
static pm_object *m_who_b(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)a; (void)n; return pm_str_from_cstr(rt, "B"); }

static void test_super(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[4096], theirs[4096];
    size_t off = 0, cap = sizeof mine;
    pm_object *supt = pm_type_as_object(&pm_super_type), *one = ct_int(rt, 1);
    pm_object *empty = tup(rt, 0), *ns = pm_dict_new(rt);
    nsset(rt, ns, "who", tfunc_new(rt, m_who_a, NULL));
    pm_object *A = mkclass(rt, "A", empty, ns);
    pm_decref(rt, ns);
    pm_object *bA = tup(rt, 1, A);
    ns = pm_dict_new(rt);
    nsset(rt, ns, "who", tfunc_new(rt, m_who_b, NULL));
    pm_object *B = mkclass(rt, "B", bA, ns);
    pm_decref(rt, ns);
    pm_object *bB = tup(rt, 1, B);
    pm_object *C = mkclass(rt, "C", bB, ns = pm_dict_new(rt));
    pm_decref(rt, ns);
    pm_object *c = pm_call(rt, C, NULL, 0, NULL);
    assert_non_null(c);
    pm_object *sBc = pm_call(rt, supt, (pm_object *[]){B, c}, 2, NULL);
    pm_object *sCc = pm_call(rt, supt, (pm_object *[]){C, c}, 2, NULL);
    pm_object *sCC = pm_call(rt, supt, (pm_object *[]){C, C}, 2, NULL);
    pm_object *sB = pm_call(rt, supt, &B, 1, NULL);
    assert_non_null(sBc);
    assert_non_null(sCc);
    assert_non_null(sCC);
    assert_non_null(sB);
    put(rt, mine, &off, cap, call_attr(rt, sBc, "who", 0));
    put(rt, mine, &off, cap, call_attr(rt, sCc, "who", 0));
    pm_object *w = getattr_s(rt, sCC, "who");
    put(rt, mine, &off, cap, w ? pm_newref(rt, pm_type_as_object(w->ob_type)) : NULL);
    pm_xdecref(rt, w);
    put(rt, mine, &off, cap, pm_newref(rt, sBc));
    put(rt, mine, &off, cap, pm_newref(rt, sB));
    put(rt, mine, &off, cap, pm_newref(rt, sCC));
    put(rt, mine, &off, cap, getattr_s(rt, sBc, "__thisclass__"));
    put(rt, mine, &off, cap, getattr_s(rt, sBc, "__self_class__"));
    put_masked(rt, mine, &off, cap, getattr_s(rt, sBc, "__self__"));
    put(rt, mine, &off, cap, getattr_s(rt, sB, "__self__"));
    put(rt, mine, &off, cap, getattr_s(rt, sBc, "__class__"));
    put(rt, mine, &off, cap, getattr_s(rt, sBc, "nothing"));
    pm_object *bound = call_attr(rt, sB, "__get__", 1, c);
    put(rt, mine, &off, cap, bound ? call_attr(rt, bound, "who", 0) : NULL);
    pm_xdecref(rt, bound);
    put_masked(rt, mine, &off, cap, getattr_s(rt, sCc, "__init__"));
    put(rt, mine, &off, cap, call_attr(rt, sCc, "__init__", 0));
    put(rt, mine, &off, cap, pm_call(rt, supt, (pm_object *[]){B, one}, 2, NULL));
    put(rt, mine, &off, cap, pm_call(rt, supt, (pm_object *[]){one, c}, 2, NULL));
    put(rt, mine, &off, cap, pm_call(rt, supt, NULL, 0, NULL));
    pm_object *objs[] = {one, empty, A, bA, B, bB, C, c, sBc, sCc, sCC, sB};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);
    tu_python("__name__ = 'builtins'\n"
              "def show(f):\n"
              "    try: r = repr(f()); print(r.split(' at 0x')[0])\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n"
              "A = type('A', (), {'who': lambda s: 'A'}); B = type('B', (A,), {'who': lambda s: 'B'})\n"
              "C = type('C', (B,), {}); c = C()\n"
              "for f in [lambda: super(B, c).who(), lambda: super(C, c).who(), lambda: type(super(C, C).who),\n"
              "          lambda: super(B, c), lambda: super(B), lambda: super(C, C),\n"
              "          lambda: super(B, c).__thisclass__, lambda: super(B, c).__self_class__,\n"
              "          lambda: super(B, c).__self__, lambda: super(B).__self__, lambda: super(B, c).__class__,\n"
              "          lambda: super(B, c).nothing, lambda: super(B).__get__(c).who(),\n"
              "          lambda: super(C, c).__init__, lambda: super(C, c).__init__(),\n"
              "          lambda: super(B, 1), lambda: super(1, c), lambda: super()]:\n"
              "    show(f)\n",
              theirs, sizeof theirs);
    if (strcmp(mine, theirs)) fprintf(stderr, "pymm:\n%s\npython3:\n%s\n", mine, theirs);
    assert_string_equal(mine, theirs);
}

/* ---- 9. a dunder set on a base reaches its subclasses; __subclasses__ ------------- */

static void test_subclass_updates(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[2048], theirs[2048];
    size_t off = 0, cap = sizeof mine;
    pm_object *one = ct_int(rt, 1), *empty = tup(rt, 0), *ns = pm_dict_new(rt);
    pm_object *P = mkclass(rt, "P", empty, ns), *bP = tup(rt, 1, P);
    pm_object *Q = mkclass(rt, "Q", bP, ns), *bQ = tup(rt, 1, Q);
    pm_object *R = mkclass(rt, "R", bQ, ns);
    pm_decref(rt, ns);
    pm_object *r = pm_call(rt, R, NULL, 0, NULL);
    assert_non_null(r);
    put(rt, mine, &off, cap, pm_number_binop(rt, r, one, PM_NB_ADD));
    assert_int_equal(setattr_s(rt, P, "__add__", tfunc_new(rt, m_add, NULL)), 0);
    put(rt, mine, &off, cap, pm_number_binop(rt, r, one, PM_NB_ADD));
    assert_int_equal(setattr_s(rt, Q, "__radd__", tfunc_new(rt, m_radd, NULL)), 0);
    put(rt, mine, &off, cap, pm_number_binop(rt, one, r, PM_NB_ADD));
    put(rt, mine, &off, cap, call_attr(rt, P, "__subclasses__", 0));
    put(rt, mine, &off, cap, call_attr(rt, pm_type_as_object(&pm_int_type), "__subclasses__", 0));
    pm_decref(rt, r);
    pm_decref(rt, R);
    pm_decref(rt, bQ);
    pm_gc_collect(rt, 2);
    put(rt, mine, &off, cap, call_attr(rt, Q, "__subclasses__", 0));
    pm_object *objs[] = {one, empty, P, bP, Q};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);
    tu_python("import gc\n"
              "__name__ = 'builtins'\n"
              "def show(f):\n"
              "    try: print(repr(f()))\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n"
              "P = type('P', (), {}); Q = type('Q', (P,), {}); R = type('R', (Q,), {}); r = R()\n"
              "show(lambda: r + 1)\n"
              "P.__add__ = lambda s, o: 'add' + repr(o); show(lambda: r + 1)\n"
              "Q.__radd__ = lambda s, o: 'radd' + repr(o); show(lambda: 1 + r)\n"
              "show(lambda: P.__subclasses__()); print('[]')\n"
              "del r, R; gc.collect(); show(lambda: Q.__subclasses__())\n",
              theirs, sizeof theirs);
    if (strcmp(mine, theirs)) fprintf(stderr, "pymm:\n%s\npython3:\n%s\n", mine, theirs);
    assert_string_equal(mine, theirs);
}

/* ---- 10. __del__, __set_name__, __init_subclass__ ----------------------------------- */

/* __del__: type(self).dels += 1 */
static pm_object *m_del(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) {
    (void)n;
    pm_object *cls = pm_type_as_object(a[0]->ob_type);
    pm_object *v = pm_getattr_cstr(rt, cls, "dels");
    if (!v) return NULL;
    pm_object *one = pm_int_from_long(rt, 1), *w = one ? pm_number_binop(rt, v, one, PM_NB_ADD) : NULL;
    pm_xdecref(rt, one);
    pm_decref(rt, v);
    if (!w) return NULL;
    int r = setattr_s(rt, cls, "dels", w);
    return r < 0 ? NULL : PM_NONE;
}

/* __set_name__(self, owner, name): self.name = name */
static pm_object *m_set_name(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) {
    assert_int_equal(n, 3);
    return setattr_s(rt, a[0], "name", pm_newref(rt, a[2])) < 0 ? NULL : PM_NONE;
}

/* __init_subclass__(cls): cls.inited = cls.__name__ */
static pm_object *m_init_subclass(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) {
    assert_int_equal(n, 1);
    return setattr_s(rt, a[0], "inited", pm_getattr_cstr(rt, a[0], "__name__")) < 0 ? NULL : PM_NONE;
}

static void test_hooks(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[2048], theirs[2048];
    size_t off = 0, cap = sizeof mine;
    pm_object *empty = tup(rt, 0), *ns = pm_dict_new(rt);
    nsset(rt, ns, "__del__", tfunc_new(rt, m_del, NULL));
    nsset(rt, ns, "dels", ct_int(rt, 0));
    pm_object *C = mkclass(rt, "C", empty, ns);
    pm_decref(rt, ns);
    assert_non_null(C);
    pm_object *c = pm_call(rt, C, NULL, 0, NULL);
    pm_decref(rt, c);                                   /* count reaches 0: __del__ */
    put(rt, mine, &off, cap, getattr_s(rt, C, "dels"));
    c = pm_call(rt, C, NULL, 0, NULL);
    assert_int_equal(setattr_s(rt, c, "me", pm_newref(rt, c)), 0);
    pm_decref(rt, c);                                   /* a cycle: the collector runs __del__ */
    pm_gc_collect(rt, 2);
    put(rt, mine, &off, cap, getattr_s(rt, C, "dels"));

    ns = pm_dict_new(rt);
    nsset(rt, ns, "__set_name__", tfunc_new(rt, m_set_name, NULL));
    pm_object *SN = mkclass(rt, "SN", empty, ns);
    pm_decref(rt, ns);
    ns = pm_dict_new(rt);
    nsset(rt, ns, "attr", pm_call(rt, SN, NULL, 0, NULL));
    pm_object *O = mkclass(rt, "O", empty, ns);
    pm_decref(rt, ns);
    pm_object *attr = getattr_s(rt, O, "attr");
    put(rt, mine, &off, cap, getattr_s(rt, attr, "name"));
    pm_decref(rt, attr);

    ns = pm_dict_new(rt);
    nsset(rt, ns, "__init_subclass__", tfunc_new(rt, m_init_subclass, NULL));
    pm_object *B = mkclass(rt, "B", empty, ns), *bB = tup(rt, 1, B);
    pm_decref(rt, ns);
    put(rt, mine, &off, cap, getattr_s(rt, B, "inited"));
    pm_object *D = mkclass(rt, "D", bB, ns = pm_dict_new(rt));
    pm_decref(rt, ns);
    put(rt, mine, &off, cap, getattr_s(rt, D, "inited"));
    /* keywords reach object.__init_subclass__, which takes none */
    pm_object *kwn = tup(rt, 1, ct_str(rt, "x")), *xn = ct_str(rt, "X"), *one = ct_int(rt, 1);
    pm_decref(rt, pm_tuple_get(rt, kwn, 0));     /* tup took its own reference */
    ns = pm_dict_new(rt);
    put(rt, mine, &off, cap, pm_call(rt, pm_type_as_object(&pm_type_type), (pm_object *[]){xn, empty, ns, one}, 3, kwn));
    pm_object *objs[] = {empty, ns, C, SN, O, B, bB, D, kwn, xn, one};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);
    tu_python("import gc\n"
              "def show(f):\n"
              "    try: print(repr(f()))\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n"
              "def d(s): type(s).dels += 1\n"
              "C = type('C', (), {'__del__': d, 'dels': 0})\n"
              "c = C(); del c; show(lambda: C.dels)\n"
              "c = C(); c.me = c; del c; gc.collect(); show(lambda: C.dels)\n"
              "def sn(self, owner, name): self.name = name\n"
              "SN = type('SN', (), {'__set_name__': sn}); O = type('O', (), {'attr': SN()})\n"
              "show(lambda: O.attr.name)\n"
              "def isc(cls): cls.inited = cls.__name__\n"
              "B = type('B', (), {'__init_subclass__': isc}); show(lambda: B.inited)\n"
              "D = type('D', (B,), {}); show(lambda: D.inited)\n"
              "show(lambda: type('X', (), {}, x=1))\n",
              theirs, sizeof theirs);
    if (strcmp(mine, theirs)) fprintf(stderr, "pymm:\n%s\npython3:\n%s\n", mine, theirs);
    assert_string_equal(mine, theirs);
}

/* ---- 11. more special methods: iteration, containment, __getattr__, __setattr__,
 * descriptors, __index__, __init__ / __new__ with arguments ------------------------ */

static pm_object *m_self(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)n; return pm_newref(rt, a[0]); }
static pm_object *m_next(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) {
    (void)n;
    pm_object *v = pm_getattr_cstr(rt, a[0], "n");
    if (!v) return NULL;
    long k = pm_int_as_long(rt, v);
    pm_decref(rt, v);
    if (k >= 3) {
        pm_err_set(rt, PM_EXC_StopIteration, "");
        return NULL;
    }
    pm_object *nn = pm_str_intern_cstr(rt, "n"), *kv = pm_int_from_long(rt, k + 1);
    int r = nn && kv ? pm_object_generic_setattr(rt, a[0], nn, kv) : -1;   /* object.__setattr__ */
    pm_xdecref(rt, nn);
    pm_xdecref(rt, kv);
    if (r < 0) return NULL;
    return pm_int_from_long(rt, k * 10);
}
static pm_object *m_contains(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) {
    (void)n;
    pm_object *two = pm_int_from_long(rt, 2);
    int eq = pm_equal(rt, a[1], two);
    pm_decref(rt, two);
    return eq < 0 ? NULL : pm_bool_from(eq);
}
static pm_object *m_getattr(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)n; return cat(rt, "ga:", a[1]); }
static pm_object *m_setattr(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) {
    (void)n;
    pm_object *k = cat(rt, "set_", a[1]);
    if (!k) return NULL;
    pm_object *ki = pm_str_intern(rt, k);
    pm_decref(rt, k);
    int r = ki ? pm_object_generic_setattr(rt, a[0], ki, a[2]) : -1;
    pm_xdecref(rt, ki);
    return r < 0 ? NULL : PM_NONE;
}
static pm_object *m_dget(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) {
    (void)n;
    return pm_str_from_cstr(rt, a[1] == PM_NONE ? "got-class" : "got-inst");
}
static pm_object *m_dset(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) {
    (void)n;
    pm_object *d = pm_getattr_cstr(rt, a[1], "__dict__");
    if (!d) return NULL;
    pm_object *k = pm_str_intern_cstr(rt, "stored");
    int r = pm_dict_set(rt, d, k, a[2]);
    pm_decref(rt, k);
    pm_decref(rt, d);
    return r < 0 ? NULL : PM_NONE;
}
static pm_object *m_index(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) { (void)a; (void)n; return pm_int_from_long(rt, 2); }
static pm_object *m_init_a(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) {
    if (n != 2) {
        pm_err_set(rt, PM_EXC_TypeError, "want one argument");
        return NULL;
    }
    return setattr_s(rt, a[0], "a", pm_newref(rt, a[1])) < 0 ? NULL : PM_NONE;
}
static pm_object *m_new(pm_runtime *rt, pm_object *const *a, pm_ssize_t n) {
    (void)n;
    pm_object *on = pm_getattr_cstr(rt, pm_type_as_object(&pm_object_type), "__new__");
    if (!on) return NULL;
    pm_object *o = pm_call(rt, on, a, 1, NULL);
    pm_decref(rt, on);
    if (o && setattr_s(rt, o, "made", pm_newref(rt, PM_TRUE)) < 0) PM_CLEAR(rt, o);
    return o;
}

static void test_special_more(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[4096], theirs[4096];
    size_t off = 0, cap = sizeof mine;
    pm_object *empty = tup(rt, 0), *one = ct_int(rt, 1), *two = ct_int(rt, 2), *ns = pm_dict_new(rt);
    nsset(rt, ns, "__iter__", tfunc_new(rt, m_self, NULL));
    nsset(rt, ns, "__next__", tfunc_new(rt, m_next, NULL));
    nsset(rt, ns, "__contains__", tfunc_new(rt, m_contains, NULL));
    nsset(rt, ns, "__getattr__", tfunc_new(rt, m_getattr, NULL));
    nsset(rt, ns, "__setattr__", tfunc_new(rt, m_setattr, NULL));
    nsset(rt, ns, "__index__", tfunc_new(rt, m_index, NULL));
    nsset(rt, ns, "n", ct_int(rt, 0));
    pm_object *It = mkclass(rt, "It", empty, ns);
    pm_decref(rt, ns);
    pm_object *it = pm_call(rt, It, NULL, 0, NULL);
    assert_non_null(it);
    pm_object *l = pm_list_new(rt);
    assert_int_equal(pm_list_extend(rt, l, it), 0);
    put(rt, mine, &off, cap, l);
    put_int(mine, &off, cap, pm_contains(rt, it, two));
    put_int(mine, &off, cap, pm_contains(rt, it, one));
    put(rt, mine, &off, cap, getattr_s(rt, it, "missing"));
    put(rt, mine, &off, cap, getattr_s(rt, it, "n"));
    assert_int_equal(setattr_s(rt, it, "q", pm_newref(rt, one)), 0);
    put(rt, mine, &off, cap, getattr_s(rt, it, "set_'q'"));
    put(rt, mine, &off, cap, getattr_s(rt, it, "q"));
    pm_object *seq = tup(rt, 3, one, two, empty);
    put(rt, mine, &off, cap, pm_index(rt, it));

    ns = pm_dict_new(rt);
    nsset(rt, ns, "__get__", tfunc_new(rt, m_dget, NULL));
    nsset(rt, ns, "__set__", tfunc_new(rt, m_dset, NULL));
    pm_object *Desc = mkclass(rt, "Desc", empty, ns);
    pm_decref(rt, ns);
    ns = pm_dict_new(rt);
    nsset(rt, ns, "d", pm_call(rt, Desc, NULL, 0, NULL));
    nsset(rt, ns, "__init__", tfunc_new(rt, m_init_a, NULL));
    nsset(rt, ns, "__new__", tfunc_new(rt, m_new, NULL));
    pm_object *H = mkclass(rt, "H", empty, ns);
    pm_decref(rt, ns);
    pm_object *h = pm_call(rt, H, &two, 1, NULL);
    assert_non_null(h);
    put(rt, mine, &off, cap, getattr_s(rt, h, "a"));
    put(rt, mine, &off, cap, getattr_s(rt, h, "made"));
    put(rt, mine, &off, cap, getattr_s(rt, h, "d"));
    put(rt, mine, &off, cap, getattr_s(rt, H, "d"));
    assert_int_equal(setattr_s(rt, h, "d", pm_newref(rt, one)), 0);
    put(rt, mine, &off, cap, getattr_s(rt, h, "stored"));
    put(rt, mine, &off, cap, pm_call(rt, H, NULL, 0, NULL));
    pm_object *objs[] = {empty, one, two, It, it, seq, Desc, H, h};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
    pm_gc_collect(rt, 2);
    pm_runtime_free(rt);
    tu_python("def show(f):\n"
              "    try: print(repr(f()))\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n"
              "def nxt(s):\n"
              "    k = s.n\n"
              "    if k >= 3: raise StopIteration\n"
              "    object.__setattr__(s, 'n', k + 1); return k * 10\n"
              "It = type('It', (), {'__iter__': lambda s: s, '__next__': nxt, '__contains__': lambda s, k: k == 2,\n"
              "    '__getattr__': lambda s, k: 'ga:' + repr(k),\n"
              "    '__setattr__': lambda s, k, v: object.__setattr__(s, 'set_' + repr(k), v),\n"
              "    '__index__': lambda s: 2, 'n': 0})\n"
              "it = It(); show(lambda: list(it)); print(int(2 in it)); print(int(1 in it))\n"
              "show(lambda: it.missing); show(lambda: it.n); it.q = 1\n"
              "show(lambda: getattr(it, \"set_'q'\")); show(lambda: it.q)\n"
              "show(lambda: it.__index__())\n"
              "def dset(s, o, v): o.__dict__['stored'] = v\n"
              "Desc = type('Desc', (), {'__get__': lambda s, o, t: 'got-class' if o is None else 'got-inst', '__set__': dset})\n"
              "def init(s, *a):\n"
              "    if len(a) != 1: raise TypeError('want one argument')\n"
              "    s.a = a[0]\n"
              "def new(cls, *a):\n"
              "    o = object.__new__(cls); o.made = True; return o\n"
              "H = type('H', (), {'d': Desc(), '__init__': init, '__new__': new}); h = H(2)\n"
              "show(lambda: h.a); show(lambda: h.made); show(lambda: h.d); show(lambda: H.d)\n"
              "h.d = 1; show(lambda: h.stored); show(lambda: H())\n",
              theirs, sizeof theirs);
    if (strcmp(mine, theirs)) fprintf(stderr, "pymm:\n%s\npython3:\n%s\n", mine, theirs);
    assert_string_equal(mine, theirs);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_new),
        cmocka_unit_test(test_special_methods),
        cmocka_unit_test(test_class_gc),
        cmocka_unit_test(test_class_fault_sweep),
        cmocka_unit_test(test_isinstance),
        cmocka_unit_test(test_builtin_bases),
        cmocka_unit_test(test_slot_wrappers),
        cmocka_unit_test(test_super),
        cmocka_unit_test(test_subclass_updates),
        cmocka_unit_test(test_hooks),
        cmocka_unit_test(test_special_more),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
