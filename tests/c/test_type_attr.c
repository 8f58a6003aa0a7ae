/* Type objects and attribute lookup: the generic getattr/setattr with
 * descriptor precedence, type.__getattribute__, the method cache (versions
 * invalidated by pm_type_modified, no allocation on a hit), __mro__ /
 * __bases__ of the static types, C3 orders and failures, CPython's
 * AttributeError/TypeError texts (differential), and fault sweeps over a
 * first lookup (lazy type dict, method cache). */
#include "testutil.h"
#include "ctutil.h"
#include "faultsweep.h"
#include "core/object.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- test types ------------------------------------------------------------ */

/* A descriptor: get returns its stored value (or the str "unset"); the data
 * variant also has set (stores, NULL clears). */
typedef struct descr_obj {
    pm_object ob_base;
    pm_object *value;           /* owned or NULL */
    int gets;                   /* descr_get calls */
    pm_object *last_obj;        /* borrowed: obj of the last get (NULL: class access) */
} descr_obj;

static void descr_dealloc(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((descr_obj *)self)->value);
    pmi_object_free(rt, self);
}

static pm_object *descr_get(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *type) {
    (void)type;
    descr_obj *d = (descr_obj *)self;
    d->gets++;
    d->last_obj = obj;
    if (d->value) return pm_newref(rt, d->value);
    return pm_str_from_cstr(rt, "unset");
}

static int descr_set(pm_runtime *rt, pm_object *self, pm_object *obj, pm_object *value) {
    (void)obj;
    descr_obj *d = (descr_obj *)self;
    pm_xincref(rt, value);
    pm_object *old = d->value;
    d->value = value;
    pm_xdecref(rt, old);
    return 0;
}

static const pm_type nondata_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "NonData",
    .basicsize = sizeof(descr_obj),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .dealloc = descr_dealloc,
    .hash = NULL,
    .descr_get = descr_get,
};

static const pm_type data_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "Data",
    .basicsize = sizeof(descr_obj),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
    .dealloc = descr_dealloc,
    .descr_get = descr_get,
    .descr_set = descr_set,
};

/* An object with an instance dict. */
typedef struct holder {
    pm_object ob_base;
    pm_object *dict;            /* owned or NULL */
} holder;

static void holder_dealloc(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((holder *)self)->dict);
    pmi_object_free(rt, self);
}

static const pm_type holder_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "Holder",
    .basicsize = sizeof(holder),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_BASETYPE,
    .base = &pm_object_type,
    .dictoffset = offsetof(holder, dict),
    .dealloc = holder_dealloc,
};

/* A subclass of Holder (inherits the dict slot; MRO Sub, Holder, object). */
static const pm_type sub_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "Sub",
    .basicsize = sizeof(holder),
    .flags = PM_TPFLAGS_STATIC,
    .base = &holder_type,
    .dictoffset = offsetof(holder, dict),
    .dealloc = holder_dealloc,
};

/* No instance dict ("__slots__ = ()"). */
static const pm_type t_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "T",
    .basicsize = sizeof(pm_object),
    .flags = PM_TPFLAGS_STATIC,
    .base = &pm_object_type,
};

static pm_object *new_descr(pm_runtime *rt, const pm_type *t, const char *value) {
    pm_object *d = pmi_object_new(rt, t);
    assert_non_null(d);
    if (value) ((descr_obj *)d)->value = ct_str(rt, value);
    return d;
}

/* type.__dict__[name] = v (v stolen), then PyType_Modified. */
static void type_set(pm_runtime *rt, const pm_type *t, const char *name, pm_object *v) {
    pm_object *d = pm_type_dict(rt, t), *n = pm_str_intern_cstr(rt, name);
    assert_non_null(d);
    assert_int_equal(pm_dict_set(rt, d, n, v), 0);
    pm_decref(rt, n);
    pm_decref(rt, v);
    pm_type_modified(rt, t);
}

static void assert_attr_str(pm_runtime *rt, pm_object *o, const char *name, const char *expect) {
    pm_object *v = pm_getattr_cstr(rt, o, name);
    if (!v) fail_msg("getattr %s: %s: %s", name, pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
    assert_true(pm_str_check(v));
    assert_string_equal(pm_str_as_utf8(rt, v, NULL), expect);
    pm_decref(rt, v);
}

static void set_attr_str(pm_runtime *rt, pm_object *o, const char *name, const char *value) {
    pm_object *n = pm_str_intern_cstr(rt, name), *v = value ? ct_str(rt, value) : NULL;
    int rc = pm_setattr(rt, o, n, v);
    if (rc < 0) fail_msg("setattr %s: %s", name, pm_err_message(rt));
    pm_decref(rt, n);
    pm_xdecref(rt, v);
}

/* ---- descriptor precedence --------------------------------------------------- */

static void test_generic_precedence(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *data = new_descr(rt, &data_type, "from-data");
    pm_object *nondata = new_descr(rt, &nondata_type, "from-nondata");
    pm_incref(rt, data);
    pm_incref(rt, nondata);
    type_set(rt, &holder_type, "d", data);
    type_set(rt, &holder_type, "n", nondata);
    type_set(rt, &holder_type, "plain", ct_str(rt, "class-value"));
    pm_object *h = pmi_object_new(rt, &holder_type);
    assert_non_null(h);

    /* no instance dict yet: descriptors and the class attribute answer */
    assert_attr_str(rt, h, "d", "from-data");
    assert_attr_str(rt, h, "n", "from-nondata");
    assert_attr_str(rt, h, "plain", "class-value");
    assert_ptr_equal(((descr_obj *)nondata)->last_obj, h);

    /* setting a data descriptor's name goes to __set__, not the dict */
    set_attr_str(rt, h, "d", "assigned");
    assert_null(((holder *)h)->dict);
    assert_attr_str(rt, h, "d", "assigned");
    /* a non-data descriptor's name and a class attribute: the instance dict,
     * which then shadows them */
    set_attr_str(rt, h, "n", "inst-n");
    set_attr_str(rt, h, "plain", "inst-plain");
    assert_non_null(((holder *)h)->dict);
    assert_int_equal(pm_dict_size(((holder *)h)->dict), 2);
    assert_attr_str(rt, h, "n", "inst-n");
    assert_attr_str(rt, h, "plain", "inst-plain");
    /* an instance entry never shadows a data descriptor */
    pm_object *dn = pm_str_intern_cstr(rt, "d"), *shadow = ct_str(rt, "shadow");
    assert_int_equal(pm_dict_set(rt, ((holder *)h)->dict, dn, shadow), 0);
    assert_attr_str(rt, h, "d", "assigned");
    pm_decref(rt, shadow);
    pm_decref(rt, dn);
    /* delete: through __delete__ for the data descriptor, from the dict else */
    set_attr_str(rt, h, "d", NULL);
    assert_attr_str(rt, h, "d", "unset");
    set_attr_str(rt, h, "n", NULL);
    assert_attr_str(rt, h, "n", "from-nondata");
    /* the subclass finds the base's attributes along its MRO */
    pm_object *s = pmi_object_new(rt, &sub_type);
    assert_attr_str(rt, s, "plain", "class-value");
    set_attr_str(rt, s, "own", "x");
    assert_attr_str(rt, s, "own", "x");

    /* the class itself: type.__getattribute__ binds descriptors with obj NULL */
    pm_object *v = pm_getattr_cstr(rt, pm_type_as_object(&holder_type), "n");
    assert_non_null(v);
    assert_null(((descr_obj *)nondata)->last_obj);
    pm_decref(rt, v);
    assert_attr_str(rt, pm_type_as_object(&sub_type), "plain", "class-value");
    /* pm_getattr_opt: absent is 0 with no error, found is 1 */
    pm_object *name = pm_str_intern_cstr(rt, "missing"), *res = PM_NONE;
    assert_int_equal(pm_getattr_opt(rt, h, name, &res), 0);
    assert_null(res);
    assert_false(pm_err_occurred(rt));
    pm_decref(rt, name);

    pm_decref(rt, s);
    pm_decref(rt, h);
    pm_decref(rt, data);
    pm_decref(rt, nondata);
    pm_runtime_free(rt);
}

/* ---- method cache ------------------------------------------------------------ */

static void test_method_cache(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    type_set(rt, &holder_type, "k", ct_str(rt, "one"));
    pm_object *name = pm_str_intern_cstr(rt, "k");
    pm_object *v1 = pm_type_lookup(rt, &sub_type, name);
    assert_non_null(v1);
    assert_string_equal(pm_str_as_utf8(rt, v1, NULL), "one");
    /* a hit allocates nothing, and neither does an attribute read from the
     * type's dict through it */
    pm_object *h = pmi_object_new(rt, &sub_type);
    pm_object *r = pm_getattr(rt, h, name);
    pm_decref(rt, r);
    size_t before = ct_blocks(rt);
    for (int i = 0; i < 100; i++) {
        assert_ptr_equal(pm_type_lookup(rt, &sub_type, name), v1);
        r = pm_getattr(rt, h, name);
        assert_ptr_equal(r, v1);
        pm_decref(rt, r);
    }
    assert_int_equal(ct_blocks(rt), before);
    /* changing the base's dict (with pm_type_modified) is seen by the subclass */
    type_set(rt, &holder_type, "k", ct_str(rt, "two"));
    assert_string_equal(pm_str_as_utf8(rt, pm_type_lookup(rt, &sub_type, name), NULL), "two");
    /* the subclass's own definition shadows the base's */
    type_set(rt, &sub_type, "k", ct_str(rt, "three"));
    assert_string_equal(pm_str_as_utf8(rt, pm_type_lookup(rt, &sub_type, name), NULL), "three");
    assert_string_equal(pm_str_as_utf8(rt, pm_type_lookup(rt, &holder_type, name), NULL), "two");
    /* an absent name is cached as absent, with no error */
    pm_object *none = pm_str_intern_cstr(rt, "nothing_here");
    assert_null(pm_type_lookup(rt, &sub_type, none));
    assert_null(pm_type_lookup(rt, &sub_type, none));
    assert_false(pm_err_occurred(rt));
    pm_decref(rt, none);
    pm_decref(rt, h);
    pm_decref(rt, name);
    pm_runtime_free(rt);
}

/* ---- type objects: mro, bases, names ------------------------------------------- */

static void assert_tuple_of_types(pm_runtime *rt, pm_object *t, const pm_type *const *expect, int n) {
    assert_non_null(t);
    assert_true(pm_tuple_check(t));
    assert_int_equal(pm_tuple_size(t), n);
    for (int i = 0; i < n; i++) assert_ptr_equal(pm_tuple_get(rt, t, i), pm_type_as_object(expect[i]));
}

static void test_mro_bases(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    const pm_type *bool_mro[] = {&pm_bool_type, &pm_int_type, &pm_object_type};
    assert_tuple_of_types(rt, pm_type_mro(rt, &pm_bool_type), bool_mro, 3);
    const pm_type *bool_bases[] = {&pm_int_type};
    assert_tuple_of_types(rt, pm_type_bases(rt, &pm_bool_type), bool_bases, 1);
    assert_tuple_of_types(rt, pm_type_bases(rt, &pm_object_type), NULL, 0);
    const pm_type *sub_mro[] = {&sub_type, &holder_type, &pm_object_type};
    assert_tuple_of_types(rt, pm_type_mro(rt, &sub_type), sub_mro, 3);
    /* borrowed and stable */
    assert_ptr_equal(pm_type_mro(rt, &sub_type), pm_type_mro(rt, &sub_type));
    assert_ptr_equal(pm_type_dict(rt, &pm_int_type), pm_type_dict(rt, &pm_int_type));
    /* types are objects of type `type` */
    assert_ptr_equal(pm_type_as_object(&pm_int_type)->ob_type, &pm_type_type);
    assert_true(pm_type_check(pm_type_as_object(&pm_list_type)));
    assert_false(pm_type_check(PM_NONE));
    assert_string_equal(pm_type_name(&pm_int_type), "int");
    pm_runtime_free(rt);
}

/* ---- C3, differentially ---------------------------------------------------------- */

/* Class hierarchies named by letters: each line "X:B1,B2" defines X with
 * those bases (in order); the last line's class is computed by both sides. */
static const char *const hierarchies[][8] = {
    {"A:", "B:", "C:A,B", NULL},
    {"A:", "B:A", "C:A,B", NULL},                                 /* inconsistent */
    {"A:", "B:A", "C:B,A", NULL},
    {"X:", "Y:", "P:X,Y", "Q:Y,X", "R:P,Q", NULL},                /* inconsistent: X, Y */
    {"O:", "A:O", "B:O", "C:O", "D:O", "E:O", "K1:A,B,C", "K2:D,B,E"},
    {"O:", "A:O", "B:O", "C:O", "D:O", "E:O", "K1:A,B,C", "K3:D,A"},
    {"A:", "A2:", "C:A,A", NULL},                                 /* duplicate base */
    {"F:", "E:", "D:", "C:D,F", "B:D,E", "A:B,C", NULL},
};

/* Static placeholder types, one per letter slot; their runtime MRO is set
 * by the test (pmi_type_state), which is what C3 reads. */
#define NT 10
static const pm_type placeholders[NT] = {
#define PH(i) {.ob_base = PMI_STATIC_HEAD(&pm_type_type), .name = "ph" #i, .basicsize = sizeof(pm_object), \
               .flags = PM_TPFLAGS_STATIC, .base = &pm_object_type}
    PH(0), PH(1), PH(2), PH(3), PH(4), PH(5), PH(6), PH(7), PH(8), PH(9),
#undef PH
};
/* The names the placeholders stand for (pm_type_name is read from the
 * struct, so messages use a name table instead: see run_c3). */

static void test_c3(void **state) {
    (void)state;
    tu_need_python3();
    char mine[8192] = "", code[8192], theirs[8192];
    size_t off = 0;
    int nh = (int)(sizeof hierarchies / sizeof hierarchies[0]);
    /* the last hierarchy extended: K3 and Z */
    for (int h = 0; h < nh; h++) {
        pm_runtime *rt = tu_runtime();
        char names[NT][8];
        int n = 0;
        pm_object *last = NULL;
        for (int i = 0; i < 8 && hierarchies[h][i]; i++) {
            const char *line = hierarchies[h][i];
            const char *colon = strchr(line, ':');
            snprintf(names[n], sizeof names[n], "%.*s", (int)(colon - line), line);
            /* bases: indexes of earlier names */
            pm_object *bases[4];
            int nb = 0;
            for (const char *p = colon + 1; *p;) {
                const char *e = strchr(p, ',');
                size_t len = e ? (size_t)(e - p) : strlen(p);
                for (int j = 0; j < n; j++)
                    if (strlen(names[j]) == len && memcmp(names[j], p, len) == 0)
                        bases[nb++] = pm_type_as_object(&placeholders[j]);
                p += len + (e ? 1 : 0);
            }
            if (nb == 0) bases[nb++] = pm_type_as_object(&pm_object_type);
            pm_object *bt = pm_tuple_from_array(rt, bases, nb);
            pm_object *mro = pmi_type_mro_c3(rt, pm_type_as_object(&placeholders[n]), bt);
            pm_decref(rt, bt);
            pm_xdecref(rt, last);
            last = NULL;
            if (!mro) {
                /* map the placeholder names in the message back to letters */
                char msg[512];
                snprintf(msg, sizeof msg, "%s", pm_err_message(rt));
                pm_err_clear(rt);
                off += (size_t)snprintf(mine + off, sizeof mine - off, "%s: ", names[n]);
                for (char *p = msg; *p;) {
                    if (p[0] == 'p' && p[1] == 'h' && p[2] >= '0' && p[2] <= '9') {
                        off += (size_t)snprintf(mine + off, sizeof mine - off, "%s", names[p[2] - '0']);
                        p += 3;
                    } else {
                        mine[off++] = *p++;
                    }
                }
                mine[off] = 0;
                off += (size_t)snprintf(mine + off, sizeof mine - off, "\n");
                break;
            }
            pmi_type_state(rt, &placeholders[n])->mro = mro;   /* the runtime frees it */
            if (i == 7 || !hierarchies[h][i + 1]) {
                off += (size_t)snprintf(mine + off, sizeof mine - off, "%s:", names[n]);
                for (pm_ssize_t k = 0; k < pm_tuple_size(mro); k++) {
                    pm_object *t = pm_tuple_get(rt, mro, k);
                    const char *nm = "object";
                    for (int j = 0; j <= n; j++)
                        if (t == pm_type_as_object(&placeholders[j])) nm = names[j];
                    off += (size_t)snprintf(mine + off, sizeof mine - off, " %s", nm);
                }
                off += (size_t)snprintf(mine + off, sizeof mine - off, "\n");
            }
            n++;
        }
        pm_runtime_free(rt);
    }
    /* python3 builds the same classes */
    size_t c = (size_t)snprintf(code, sizeof code, "H = [\n");
    for (int h = 0; h < nh; h++) {
        c += (size_t)snprintf(code + c, sizeof code - c, "  [");
        for (int i = 0; i < 8 && hierarchies[h][i]; i++)
            c += (size_t)snprintf(code + c, sizeof code - c, "'%s', ", hierarchies[h][i]);
        c += (size_t)snprintf(code + c, sizeof code - c, "],\n");
    }
    snprintf(code + c, sizeof code - c,
             "]\n"
             "for h in H:\n"
             "    ns = {}\n"
             "    for i, line in enumerate(h):\n"
             "        name, bases = line.split(':')\n"
             "        bs = tuple(ns[b] for b in bases.split(',') if b)\n"
             "        try:\n"
             "            ns[name] = type(name, bs, {})\n"
             "        except TypeError as e:\n"
             "            print('%%s: %%s' %% (name, e)); break\n"
             "        if i == len(h) - 1:\n"
             "            print(name + ':', ' '.join(k.__name__ for k in ns[name].__mro__))\n");
    tu_python(code, theirs, sizeof theirs);
    assert_string_equal(mine, theirs);
}

/* ---- error texts, differentially --------------------------------------------------- */

static void put_err(pm_runtime *rt, char *buf, size_t *off, size_t cap) {
    assert_true(pm_err_occurred(rt));
    *off += (size_t)snprintf(buf + *off, cap - *off, "%s: %s\n", pm_exc_name(pm_err_kind(rt)),
                             pm_err_message(rt));
    pm_err_clear(rt);
}

static void test_attr_error_texts(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[4096], theirs[4096];
    size_t off = 0;
    type_set(rt, &t_type, "ro", new_descr(rt, &nondata_type, NULL));
    pm_object *one = ct_int(rt, 1), *two = ct_int(rt, 2), *x = pm_str_intern_cstr(rt, "x"),
              *zz = pm_str_intern_cstr(rt, "zz"), *ro = pm_str_intern_cstr(rt, "ro"),
              *q = pm_str_intern_cstr(rt, "q"), *t = pmi_object_new(rt, &t_type),
              *h = pmi_object_new(rt, &holder_type), *intt = pm_type_as_object(&pm_int_type);
    assert_null(pm_getattr(rt, one, x));
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_setattr(rt, one, x, one), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_delattr(rt, one, x), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_null(pm_getattr(rt, intt, x));
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_setattr(rt, intt, x, one), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_delattr(rt, intt, x), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_null(pm_getattr(rt, one, two));
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_setattr(rt, one, two, one), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_setattr(rt, t, ro, one), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_setattr(rt, t, zz, one), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_null(pm_getattr(rt, t, zz));
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_delattr(rt, t, zz), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_delattr(rt, t, ro), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_delattr(rt, h, q), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_null(pm_getattr(rt, h, q));
    put_err(rt, mine, &off, sizeof mine);
    assert_null(pm_getattr(rt, pm_type_as_object(&t_type), zz));
    put_err(rt, mine, &off, sizeof mine);
    /* the other generic protocols' texts */
    pm_object *l = pm_list_new(rt);
    assert_int_equal(pm_hash(rt, l), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_length(rt, one), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_null(pm_iter(rt, one));
    put_err(rt, mine, &off, sizeof mine);
    assert_null(pm_getitem(rt, one, one));
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_setitem(rt, one, one, one), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_delitem(rt, one, one), -1);
    put_err(rt, mine, &off, sizeof mine);
    pm_object *s = ct_str(rt, "ab"), *f = pm_float_new(rt, 1.5);
    assert_null(pm_getitem(rt, s, f));
    put_err(rt, mine, &off, sizeof mine);
    pm_object *five = ct_int(rt, 5);
    assert_null(pm_getitem(rt, s, five));
    put_err(rt, mine, &off, sizeof mine);
    pm_decref(rt, five);
    assert_null(pm_call(rt, one, NULL, 0, NULL));
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_contains(rt, one, one), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_null(pm_richcompare(rt, one, s, PM_LT));
    put_err(rt, mine, &off, sizeof mine);
    mine[off] = 0;
    tu_python("class NonData:\n"
              "    def __get__(self, o, t): return 'nd'\n"
              "class T:\n"
              "    __slots__ = ()\n"
              "T.ro = NonData()\n"
              "class Holder: pass\n"
              "for f in [lambda: (1).x, lambda: setattr(1,'x',1), lambda: delattr(1,'x'), lambda: int.x,\n"
              "          lambda: setattr(int,'x',1), lambda: delattr(int,'x'), lambda: getattr(1, 2),\n"
              "          lambda: setattr(1, 2, 3), lambda: setattr(T(), 'ro', 5), lambda: setattr(T(), 'zz', 5),\n"
              "          lambda: T().zz, lambda: delattr(T(), 'zz'), lambda: delattr(T(), 'ro'),\n"
              "          lambda: delattr(Holder(), 'q'), lambda: Holder().q, lambda: T.zz,\n"
              "          lambda: hash([]), lambda: len(1), lambda: iter(1), lambda: (1)[1],\n"
              "          lambda: exec('x = 1; x[1] = 1'), lambda: exec('x = 1; del x[1]'),\n"
              "          lambda: 'ab'[1.5], lambda: 'ab'[5], lambda: (1)(), lambda: 1 in 1, lambda: 1 < 'ab']:\n"
              "    try: print(f())\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n",
              theirs, sizeof theirs);
    assert_string_equal(mine, theirs);
    pm_decref(rt, l);
    pm_decref(rt, s);
    pm_decref(rt, f);
    pm_decref(rt, one);
    pm_decref(rt, two);
    pm_decref(rt, x);
    pm_decref(rt, zz);
    pm_decref(rt, ro);
    pm_decref(rt, q);
    pm_decref(rt, t);
    pm_decref(rt, h);
    pm_runtime_free(rt);
}

/* ---- attributes of type objects and object.__class__, differentially -------- */

static void put_getattr(pm_runtime *rt, pm_object *o, const char *name, char *buf, size_t *off, size_t cap) {
    pm_object *v = pm_getattr_cstr(rt, o, name);
    if (!v) {
        put_err(rt, buf, off, cap);
        return;
    }
    pm_object *r = pm_repr(rt, v);
    assert_non_null(r);
    *off += (size_t)snprintf(buf + *off, cap - *off, "%s\n", pm_str_as_utf8(rt, r, NULL));
    pm_decref(rt, r);
    pm_decref(rt, v);
}

static void test_type_getset(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[4096], theirs[4096];
    size_t off = 0;
    pm_object *boolt = pm_type_as_object(&pm_bool_type), *objt = pm_type_as_object(&pm_object_type);
    pm_object *one = ct_int(rt, 1), *l = pm_list_new(rt);
    put_getattr(rt, pm_type_as_object(&pm_int_type), "__name__", mine, &off, sizeof mine);
    put_getattr(rt, pm_type_as_object(&pm_int_type), "__qualname__", mine, &off, sizeof mine);
    put_getattr(rt, pm_type_as_object(&pm_int_type), "__module__", mine, &off, sizeof mine);
    put_getattr(rt, boolt, "__mro__", mine, &off, sizeof mine);
    put_getattr(rt, boolt, "__bases__", mine, &off, sizeof mine);
    put_getattr(rt, boolt, "__base__", mine, &off, sizeof mine);
    put_getattr(rt, objt, "__base__", mine, &off, sizeof mine);
    put_getattr(rt, objt, "__bases__", mine, &off, sizeof mine);
    put_getattr(rt, pm_type_as_object(&pm_type_type), "__mro__", mine, &off, sizeof mine);
    put_getattr(rt, one, "__class__", mine, &off, sizeof mine);
    put_getattr(rt, l, "__class__", mine, &off, sizeof mine);
    put_getattr(rt, boolt, "__class__", mine, &off, sizeof mine);
    put_getattr(rt, one, "__name__", mine, &off, sizeof mine);
    pm_object *n = pm_str_intern_cstr(rt, "__name__"), *ap = pm_str_intern_cstr(rt, "append");
    assert_int_equal(pm_setattr(rt, pm_type_as_object(&pm_int_type), n, one), -1);
    put_err(rt, mine, &off, sizeof mine);
    assert_int_equal(pm_setattr(rt, l, ap, one), -1);
    put_err(rt, mine, &off, sizeof mine);
    mine[off] = 0;
    tu_python("def show(f):\n"
              "    try: print(repr(f()))\n"
              "    except Exception as e: print(type(e).__name__ + ': ' + str(e))\n"
              "for f in [lambda: int.__name__, lambda: int.__qualname__, lambda: int.__module__,\n"
              "          lambda: bool.__mro__, lambda: bool.__bases__, lambda: bool.__base__,\n"
              "          lambda: object.__base__, lambda: object.__bases__, lambda: type.__mro__,\n"
              "          lambda: (1).__class__, lambda: [].__class__, lambda: bool.__class__,\n"
              "          lambda: (1).__name__]:\n"
              "    show(f)\n"
              "try: int.__name__ = 1\n"
              "except TypeError as e: print('TypeError: %s' % e)\n"
              "try: [].append = 1\n"
              "except AttributeError as e: print('AttributeError: %s' % e)\n",
              theirs, sizeof theirs);
    assert_string_equal(mine, theirs);
    pm_decref(rt, n);
    pm_decref(rt, ap);
    pm_decref(rt, one);
    pm_decref(rt, l);
    pm_runtime_free(rt);
}

/* ---- fault sweep: a first lookup makes the type state, the dict, the MRO
 * tuple and the method cache; an instance-dict store makes a dict ----------- */

static pm_runtime *sweep_begin(void *ctx, long n) {
    (void)ctx;
    (void)n;
    return tu_runtime();
}

static int sweep_run(pm_runtime *rt, void *ctx) {
    (void)ctx;
    pm_object *h = pmi_object_new(rt, &sub_type), *name = NULL, *v = NULL;
    int rc = -1;
    if (!h) return -1;
    name = pm_str_from_cstr(rt, "attr");
    if (!name) goto done;
    v = pm_getattr(rt, h, name);          /* AttributeError after a full walk */
    if (v || !pm_err_matches(rt, PM_EXC_AttributeError)) goto done;
    pm_err_clear(rt);
    if (pm_setattr(rt, h, name, PM_TRUE) < 0) goto done;
    v = pm_getattr(rt, h, name);
    if (!v) goto done;
    if (!pm_type_mro(rt, &pm_bool_type) || !pm_type_bases(rt, &pm_bool_type)) goto done;
    pm_object *cls_attr = pm_getattr(rt, pm_type_as_object(&holder_type), name);
    if (cls_attr || !pm_err_matches(rt, PM_EXC_AttributeError)) goto done;
    pm_err_clear(rt);
    /* a built-in method: list's dict filled with descriptors on first use,
     * then called through the unbound-method path */
    pm_object *l = pm_list_new(rt), *ap = NULL, *r = NULL;
    if (!l) goto done;
    ap = pm_str_from_cstr(rt, "append");
    if (ap) r = pm_call_method(rt, l, ap, &name, 1);
    int ok = r && pm_list_size(l) == 1;
    pm_xdecref(rt, r);
    pm_xdecref(rt, ap);
    pm_decref(rt, l);
    if (!ok) goto done;
    rc = 0;
done:
    pm_xdecref(rt, v);
    pm_xdecref(rt, name);
    pm_decref(rt, h);
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
        fs_sweep sw = {"attribute lookup", persistent, 0, NULL, sweep_begin, sweep_run, sweep_end};
        fs_result r = fs_run(&sw);
        assert_true(r.points > 0);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generic_precedence),
        cmocka_unit_test(test_method_cache),
        cmocka_unit_test(test_mro_bases),
        cmocka_unit_test(test_c3),
        cmocka_unit_test(test_attr_error_texts),
        cmocka_unit_test(test_type_getset),
        cmocka_unit_test(test_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
