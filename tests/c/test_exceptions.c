/* Exceptions are objects (issue 11): the built-in hierarchy, instances'
 * str / repr / args / special fields, compared with python3; the pending
 * error as an object (pm_err_fetch / restore / set_object / matches /
 * set_context); fault sweeps over making and printing exceptions; raising
 * and fetching MemoryError with every allocation failing. */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "faultsweep.h"
#include "core/object.h"

typedef struct buf { char s[1 << 16]; size_t n; } buf;
static void put(buf *b, const char *s) {
    size_t k = strlen(s);
    assert_true(b->n + k < sizeof b->s);
    memcpy(b->s + b->n, s, k + 1);
    b->n += k;
}
static void put_obj(pm_runtime *rt, buf *b, pm_object *o, int repr) {
    pm_object *s = o ? (repr ? pm_repr(rt, o) : pm_str(rt, o)) : NULL;
    if (!s) {
        put(b, "ERR ");
        put(b, pm_exc_name(pm_err_kind(rt)));
        put(b, ": ");
        put(b, pm_err_message(rt));
        pm_err_clear(rt);
        return;
    }
    put(b, pm_str_as_utf8(rt, s, NULL));
    pm_decref(rt, s);
}

static const pm_type *const all_types[] = {
    &pm_exc_BaseException,
#define T_(name, base, layout) &pm_exc_##name,
    PM_EXC_HIERARCHY(T_)
#undef T_
};
#define NTYPES (sizeof all_types / sizeof all_types[0])

/* Every class: name, base, MRO, getsizeof of an instance. */
static void test_hierarchy(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    buf *mine = calloc(1, sizeof *mine), *theirs = calloc(1, sizeof *theirs);
    buf *names = calloc(1, sizeof *names);
    for (size_t i = 0; i < NTYPES; i++) {
        const pm_type *t = all_types[i];
        char line[256];
        /* c.__new__(c); a group needs (message, exceptions) */
        int group = pm_type_is_subtype(t, &pm_exc_BaseExceptionGroup);
        pm_object *m = group ? pm_str_from_cstr(rt, "m") : NULL, *x = group ? pm_exc_new(rt, &pm_exc_Exception, NULL, NULL) : NULL;
        pm_object *xs = group ? pm_tuple_pack(rt, 1, x) : NULL;
        pm_object *empty = group ? pm_tuple_pack(rt, 2, m, xs) : pm_tuple_from_array(rt, NULL, 0);
        pm_object *e = t->new_object(rt, t, empty, NULL);
        pm_decref(rt, empty);
        pm_xdecref(rt, m);
        pm_xdecref(rt, x);
        pm_xdecref(rt, xs);
        assert_non_null(e);
        snprintf(line, sizeof line, "%s %s %zu", t->name, t->base->name, pm_getsizeof(rt, e));
        put(mine, line);
        pm_decref(rt, e);
        pm_object *mro = pm_type_mro(rt, t);
        assert_non_null(mro);
        for (pm_ssize_t k = 0; k < pm_tuple_size(mro); k++) {
            pm_object *c = pm_tuple_get(rt, mro, k);
            put(mine, " ");
            put(mine, ((const pm_type *)(void *)c)->name);   /* borrowed */
        }
        put(mine, "\n");
        put(names, t->name);
        put(names, ",");
    }
    char *code = malloc(1 << 17);
    snprintf(code, 1 << 17,
             "import sys\n"
             "for n in '%s'.split(',')[:-1]:\n"
             "    c = getattr(__builtins__, n)\n"
             "    a = ('m', (Exception(),)) if 'Group' in n else ()\n"
             "    print(n, c.__base__.__name__, sys.getsizeof(c.__new__(c, *a)), ' '.join(k.__name__ for k in c.__mro__))\n"
             "seen = set()\n"
             "def walk(c):\n"
             "    for s in c.__subclasses__():\n"
             "        if s.__module__ == 'builtins': seen.add(s.__name__); walk(s)\n"
             "walk(BaseException)\n"
             "print(len(seen) + 1)\n",
             names->s);
    assert_int_equal(tu_python(code, theirs->s, sizeof theirs->s), 0);
    char count[32];
    snprintf(count, sizeof count, "%zu\n", NTYPES);
    put(mine, count);
    assert_string_equal(mine->s, theirs->s);
    free(code);
    free(mine);
    free(theirs);
    free(names);
    pm_runtime_free(rt);
}

/* str and repr of instances with 0, 1 and 2 arguments, for every class
 * whose constructor takes any arguments; args round trip. */
static void test_str_repr_all(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    buf *mine = calloc(1, sizeof *mine), *theirs = calloc(1, sizeof *theirs);
    buf *names = calloc(1, sizeof *names);
    pm_object *a = pm_str_from_cstr(rt, "a'b"), *one = pm_int_from_long(rt, 2);
    pm_object *argv[3][2] = {{NULL, NULL}, {a, NULL}, {one, a}};
    for (size_t i = 0; i < NTYPES; i++) {
        const pm_type *t = all_types[i];
        if (strncmp(t->name, "Unicode", 7) == 0 && t != &pm_exc_UnicodeError) continue;
        put(names, t->name);
        put(names, ",");
        for (int n = 0; n < 3; n++) {
            pm_object *args = pm_tuple_from_array(rt, argv[n], n);
            pm_object *e = pm_exc_new(rt, t, args, NULL);
            pm_decref(rt, args);
            if (!e) {
                put_obj(rt, mine, NULL, 0);
                put(mine, "\n");
                continue;
            }
            put(mine, ((const pm_type *)e->ob_type)->name);
            put(mine, "|");
            put_obj(rt, mine, e, 0);
            put(mine, "|");
            put_obj(rt, mine, e, 1);
            put(mine, "|");
            put_obj(rt, mine, pm_exc_get_args(e), 1);
            put(mine, "\n");
            pm_decref(rt, e);
        }
    }
    char *code = malloc(1 << 17);
    snprintf(code, 1 << 17,
             "for n in '%s'.split(',')[:-1]:\n"
             "    c = getattr(__builtins__, n)\n"
             "    for args in ((), (\"a'b\",), (2, \"a'b\")):\n"
             "        try: e = c(*args)\n"
             "        except Exception as x: print('ERR ' + type(x).__name__ + ': ' + str(x)); continue\n"
             "        print(type(e).__name__, str(e), repr(e), repr(e.args), sep='|')\n",
             names->s);
    assert_int_equal(tu_python(code, theirs->s, sizeof theirs->s), 0);
    assert_string_equal(mine->s, theirs->s);
    pm_decref(rt, a);
    pm_decref(rt, one);
    free(code);
    free(mine);
    free(theirs);
    free(names);
    pm_runtime_free(rt);
}

/* One case: type(*args) built from Python literals on both sides. */
typedef struct special {
    const pm_type *type;
    const char *py;                     /* the constructor call in Python */
    int nargs;
    const char *kinds;                  /* per argument: s str, i int, b bytes, n None, t tuple4 */
    const char *vals[5];
    const char *attrs;                  /* space-separated attributes to print */
} special;

static pm_object *make_arg(pm_runtime *rt, char kind, const char *v) {
    switch (kind) {
    case 's': return pm_str_from_cstr(rt, v);
    case 'i': return pm_int_from_long(rt, atol(v));
    case 'b': return pm_bytes_new(rt, v, (pm_ssize_t)strlen(v));
    case 'n': pm_incref(rt, PM_NONE); return PM_NONE;
    default: {                          /* ('dir/f.py', 3, 4, 'text') */
        pm_object *f = pm_str_from_cstr(rt, "dir/f.py"), *l = pm_int_from_long(rt, 3);
        pm_object *o = pm_int_from_long(rt, 4), *x = pm_str_from_cstr(rt, v);
        pm_object *t = pm_tuple_pack(rt, 4, f, l, o, x);
        pm_decref(rt, f);
        pm_decref(rt, l);
        pm_decref(rt, o);
        pm_decref(rt, x);
        return t;
    }
    }
}

static void test_special_fields(void **state) {
    (void)state;
    tu_need_python3();
    static const special cases[] = {
        {&pm_exc_KeyError, "KeyError('k')", 1, "s", {"k"}, ""},
        {&pm_exc_KeyError, "KeyError(5)", 1, "i", {"5"}, ""},
        {&pm_exc_StopIteration, "StopIteration(5)", 1, "i", {"5"}, "value"},
        {&pm_exc_StopIteration, "StopIteration()", 0, "", {0}, "value"},
        {&pm_exc_SystemExit, "SystemExit(3)", 1, "i", {"3"}, "code"},
        {&pm_exc_SystemExit, "SystemExit(3, 'x')", 2, "is", {"3", "x"}, "code"},
        {&pm_exc_ImportError, "ImportError('no mod')", 1, "s", {"no mod"}, "msg name path"},
        {&pm_exc_OSError, "OSError(2, 'No such file')", 2, "is", {"2", "No such file"}, "errno strerror filename filename2"},
        {&pm_exc_OSError, "OSError(13, 'denied', 'f')", 3, "iss", {"13", "denied", "f"}, "errno strerror filename"},
        {&pm_exc_OSError, "OSError(17, 'e', 'a', None, 'b')", 5, "issns", {"17", "e", "a", "", "b"}, "errno filename filename2"},
        {&pm_exc_OSError, "OSError(999, 'odd')", 2, "is", {"999", "odd"}, "errno strerror"},
        {&pm_exc_OSError, "OSError('just text')", 1, "s", {"just text"}, "errno strerror"},
        {&pm_exc_OSError, "OSError(11, 'again')", 2, "is", {"11", "again"}, "errno"},
        {&pm_exc_SyntaxError, "SyntaxError('bad', ('dir/f.py', 3, 4, 'x = ('))", 2, "st", {"bad", "x = ("}, "msg filename lineno offset text end_lineno end_offset print_file_and_line"},
        {&pm_exc_SyntaxError, "SyntaxError('bad')", 1, "s", {"bad"}, "msg filename lineno"},
        {&pm_exc_UnicodeDecodeError, "UnicodeDecodeError('utf-8', b'ab\\xff', 2, 3, 'invalid start byte')", 5, "sbiis", {"utf-8", "ab\xff", "2", "3", "invalid start byte"}, "encoding object start end reason"},
        {&pm_exc_UnicodeDecodeError, "UnicodeDecodeError('ascii', b'abcd', 1, 3, 'r')", 5, "sbiis", {"ascii", "abcd", "1", "3", "r"}, "start end"},
        {&pm_exc_UnicodeEncodeError, "UnicodeEncodeError('ascii', 'a\\xe9', 1, 2, 'ordinal not in range(128)')", 5, "ssiis", {"ascii", "a\xc3\xa9", "1", "2", "ordinal not in range(128)"}, "encoding object start end reason"},
        {&pm_exc_UnicodeEncodeError, "UnicodeEncodeError('latin-1', 'a\\u20ac\\U0001f600', 1, 3, 'r')", 5, "ssiis", {"latin-1", "a\xe2\x82\xac\xf0\x9f\x98\x80", "1", "3", "r"}, "start end"},
        {&pm_exc_UnicodeEncodeError, "UnicodeEncodeError('latin-1', 'a\\u20ac', 1, 2, 'r')", 5, "ssiis", {"latin-1", "a\xe2\x82\xac", "1", "2", "r"}, "start"},
        {&pm_exc_UnicodeTranslateError, "UnicodeTranslateError('ab', 0, 1, 'r')", 4, "siis", {"ab", "0", "1", "r"}, "encoding object start end reason"},
        {&pm_exc_UnicodeDecodeError, "UnicodeDecodeError('a')", 1, "s", {"a"}, ""},
        {&pm_exc_UnicodeDecodeError, "UnicodeDecodeError(1, b'', 0, 0, 'r')", 5, "ibiis", {"1", "", "0", "0", "r"}, ""},
        {&pm_exc_NameError, "NameError('nm')", 1, "s", {"nm"}, "name"},
        {&pm_exc_AttributeError, "AttributeError('at')", 1, "s", {"at"}, "name obj"},
        {&pm_exc_ValueError, "ValueError('v')", 1, "s", {"v"}, "__suppress_context__ __context__ __cause__ __traceback__ args"},
    };
    pm_runtime *rt = tu_runtime();
    buf *mine = calloc(1, sizeof *mine), *theirs = calloc(1, sizeof *theirs), *code = calloc(1, sizeof *code);
    put(code, "def show(f):\n"
              "    try: e = f()\n"
              "    except Exception as x:\n"
              "        print('ERR ' + type(x).__name__ + ': ' + str(x)); return\n"
              "    print(type(e).__name__, str(e), repr(e), repr(e.args), sep='|')\n"
              "    return e\n"
              "def attrs(e, names):\n"
              "    if e is None: return\n"
              "    for n in names.split(): print(n, '=', repr(getattr(e, n)))\n");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const special *c = &cases[i];
        pm_object *items[5];
        for (int k = 0; k < c->nargs; k++) items[k] = make_arg(rt, c->kinds[k], c->vals[k]);
        pm_object *args = pm_tuple_from_array(rt, items, c->nargs);
        for (int k = 0; k < c->nargs; k++) pm_decref(rt, items[k]);
        pm_object *e = pm_exc_new(rt, c->type, args, NULL);
        pm_decref(rt, args);
        if (!e) {
            put_obj(rt, mine, NULL, 0);
            put(mine, "\n");
        } else {
            put(mine, e->ob_type->name);
            put(mine, "|");
            put_obj(rt, mine, e, 0);
            put(mine, "|");
            put_obj(rt, mine, e, 1);
            put(mine, "|");
            put_obj(rt, mine, pm_exc_get_args(e), 1);
            put(mine, "\n");
            char names[256];
            snprintf(names, sizeof names, "%s", c->attrs);
            for (char *tok = strtok(names, " "); tok; tok = strtok(NULL, " ")) {
                put(mine, tok);
                put(mine, " = ");
                pm_object *v = pm_getattr_cstr(rt, e, tok);
                put_obj(rt, mine, v, 1);
                if (v) pm_decref(rt, v);
                put(mine, "\n");
            }
            pm_decref(rt, e);
        }
        char line[512];
        snprintf(line, sizeof line, "attrs(show(lambda: %s), '%s')\n", c->py, c->attrs);
        put(code, line);
    }
    assert_int_equal(tu_python(code->s, theirs->s, sizeof theirs->s), 0);
    assert_string_equal(mine->s, theirs->s);
    free(mine);
    free(theirs);
    free(code);
    pm_runtime_free(rt);
}

static void test_attributes_and_notes(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *e = pm_exc_new_msg(rt, &pm_exc_ValueError, "v");
    pm_object *ctx = pm_exc_new_msg(rt, &pm_exc_KeyError, "k");
    pm_object *one = pm_int_from_long(rt, 1);
    /* __context__ / __cause__ accept exceptions or None only */
    pm_object *name = pm_str_from_cstr(rt, "__context__");
    assert_int_equal(pm_setattr(rt, e, name, one), -1);
    assert_string_equal(pm_err_message(rt), "exception context must be None or derive from BaseException");
    pm_err_clear(rt);
    assert_int_equal(pm_setattr(rt, e, name, ctx), 0);
    assert_ptr_equal(pm_exc_get_context(e), ctx);
    pm_decref(rt, name);
    name = pm_str_from_cstr(rt, "__cause__");
    assert_int_equal(pm_setattr(rt, e, name, one), -1);
    assert_string_equal(pm_err_message(rt), "exception cause must be None or derive from BaseException");
    pm_err_clear(rt);
    assert_int_equal(pm_exc_get_suppress_context(e), 0);
    assert_int_equal(pm_setattr(rt, e, name, ctx), 0);
    assert_int_equal(pm_exc_get_suppress_context(e), 1);
    pm_decref(rt, name);
    /* __traceback__ */
    assert_null(pm_exc_with_traceback(rt, e, one));
    assert_string_equal(pm_err_message(rt), "__traceback__ must be a traceback or None");
    pm_err_clear(rt);
    pm_object *same = pm_exc_with_traceback(rt, e, PM_NONE);
    assert_ptr_equal(same, e);
    pm_decref(rt, same);
    /* add_note */
    assert_int_equal(pm_exc_add_note(rt, e, one), -1);
    assert_string_equal(pm_err_message(rt), "note must be a str, not 'int'");
    pm_err_clear(rt);
    pm_object *note = pm_str_from_cstr(rt, "n1");
    assert_int_equal(pm_exc_add_note(rt, e, note), 0);
    assert_int_equal(pm_exc_add_note(rt, e, note), 0);
    pm_object *notes = pm_getattr_cstr(rt, e, "__notes__");
    assert_non_null(notes);
    assert_int_equal(pm_list_size(notes), 2);
    pm_decref(rt, notes);
    /* args is settable and becomes a tuple */
    pm_object *l = pm_list_new(rt);
    pm_list_append(rt, l, one);
    name = pm_str_from_cstr(rt, "args");
    assert_int_equal(pm_setattr(rt, e, name, l), 0);
    assert_true(pm_tuple_check(pm_exc_get_args(e)));
    pm_object *r = pm_repr(rt, e);
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), "ValueError(1)");
    pm_decref(rt, r);
    pm_decref(rt, name);
    pm_decref(rt, l);
    /* keywords */
    pm_object *kw = pm_dict_new(rt);
    pm_object *k = pm_str_from_cstr(rt, "name");
    pm_dict_set(rt, kw, k, note);
    pm_object *ne = pm_exc_new(rt, &pm_exc_NameError, NULL, kw);
    assert_non_null(ne);
    pm_object *nm = pm_getattr_cstr(rt, ne, "name");
    assert_ptr_equal(nm, note);
    pm_decref(rt, nm);
    pm_decref(rt, ne);
    assert_null(pm_exc_new(rt, &pm_exc_ValueError, NULL, kw));
    assert_string_equal(pm_err_message(rt), "ValueError() takes no keyword arguments");
    pm_err_clear(rt);
    pm_decref(rt, k);
    k = pm_str_from_cstr(rt, "bogus");
    pm_dict_set(rt, kw, k, note);
    assert_null(pm_exc_new(rt, &pm_exc_AttributeError, NULL, kw));
    assert_string_equal(pm_err_message(rt), "'bogus' is an invalid keyword argument for AttributeError()");
    pm_err_clear(rt);
    pm_decref(rt, k);
    pm_decref(rt, kw);
    pm_decref(rt, note);
    pm_decref(rt, one);
    pm_decref(rt, ctx);
    pm_decref(rt, e);
    pm_runtime_free(rt);
}

static void test_error_state(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    assert_null(pm_err_fetch(rt));
    assert_null(pm_err_occurred_type(rt));
    /* text errors become objects on fetch */
    pm_err_format(rt, PM_EXC_KeyError, "missing %d", 7);
    assert_ptr_equal(pm_err_occurred_type(rt), &pm_exc_KeyError);
    assert_true(pm_err_matches(rt, PM_EXC_LookupError));
    assert_false(pm_err_matches(rt, PM_EXC_ValueError));
    pm_object *e = pm_err_fetch(rt);
    assert_false(pm_err_occurred(rt));
    assert_ptr_equal(e->ob_type, &pm_exc_KeyError);
    pm_object *r = pm_repr(rt, e);
    assert_string_equal(pm_str_as_utf8(rt, r, NULL), "KeyError('missing 7')");
    pm_decref(rt, r);
    /* restore keeps the object and the kind / message front doors */
    pm_err_restore(rt, e);
    assert_int_equal(pm_err_kind(rt), PM_EXC_KeyError);
    assert_string_equal(pm_err_message(rt), "missing 7");
    pm_object *e2 = pm_err_fetch(rt);
    assert_ptr_equal(e2, e);
    /* classes without a kind report their nearest kind */
    pm_object *fnf = pm_exc_new_msg(rt, &pm_exc_FileNotFoundError, "x");
    pm_err_restore(rt, fnf);
    assert_int_equal(pm_err_kind(rt), PM_EXC_Exception);
    assert_string_equal(pm_exc_name(pm_err_kind(rt)), "Exception");
    pm_object *match = pm_tuple_pack(rt, 2, pm_type_as_object(&pm_exc_KeyError),
                                     pm_type_as_object(&pm_exc_OSError));
    assert_true(pm_err_exception_matches(rt, match));
    assert_false(pm_err_exception_matches(rt, pm_type_as_object(&pm_exc_LookupError)));
    assert_true(pm_err_given_matches(e, match));
    assert_true(pm_err_given_matches(pm_type_as_object(&pm_exc_IndexError), pm_type_as_object(&pm_exc_LookupError)));
    assert_false(pm_err_given_matches(pm_type_as_object(&pm_exc_LookupError), pm_type_as_object(&pm_exc_IndexError)));
    pm_decref(rt, match);
    /* chaining: the pending error's context is the handled one, cycles cut */
    pm_err_set_context(rt, e);
    pm_object *cur = pm_err_fetch(rt);
    assert_ptr_equal(pm_exc_get_context(cur), e);
    pm_err_restore(rt, pm_newref(rt, e));
    pm_err_set_context(rt, cur);        /* e.__context__ = cur would loop: cur's link to e is cut */
    pm_object *e3 = pm_err_fetch(rt);
    assert_ptr_equal(e3, e);
    assert_ptr_equal(pm_exc_get_context(e), cur);
    assert_null(pm_exc_get_context(cur));
    pm_decref(rt, e3);
    pm_decref(rt, cur);
    /* set_object */
    pm_object *v = pm_int_from_long(rt, 5);
    pm_err_set_object(rt, &pm_exc_StopIteration, v);
    pm_object *si = pm_err_fetch(rt);
    pm_object *val = pm_getattr_cstr(rt, si, "value");
    assert_ptr_equal(val, v);
    pm_decref(rt, val);
    pm_err_set_object(rt, &pm_exc_ValueError, si);   /* an instance of a different class: wrapped */
    pm_object *w = pm_err_fetch(rt);
    assert_ptr_equal(w->ob_type, &pm_exc_ValueError);
    pm_decref(rt, w);
    pm_err_set_object(rt, &pm_exc_Exception, si);    /* an instance of a subclass: as is */
    w = pm_err_fetch(rt);
    assert_ptr_equal(w, si);
    pm_decref(rt, w);
    pm_err_set_object(rt, &pm_int_type, v);
    assert_int_equal(pm_err_kind(rt), PM_EXC_TypeError);
    pm_err_clear(rt);
    pm_decref(rt, si);
    pm_decref(rt, v);
    pm_decref(rt, e);
    /* a message built from the pending one */
    pm_err_set(rt, PM_EXC_ValueError, "inner");
    pm_err_format(rt, PM_EXC_TypeError, "outer: %s", pm_err_message(rt));
    assert_string_equal(pm_err_message(rt), "outer: inner");
    pm_err_set(rt, PM_EXC_ValueError, pm_err_message(rt));
    assert_string_equal(pm_err_message(rt), "outer: inner");
    pm_err_clear(rt);
    /* a cut UTF-8 sequence is dropped, so the text still decodes */
    char longmsg[PM_ERR_MSG_MAX + 8];
    memset(longmsg, 'a', sizeof longmsg);
    memcpy(longmsg + PM_ERR_MSG_MAX - 2, "\xe2\x82\xac", 3);
    longmsg[sizeof longmsg - 1] = 0;
    pm_err_set(rt, PM_EXC_ValueError, longmsg);
    pm_object *lm = pm_err_fetch(rt);
    assert_ptr_equal(lm->ob_type, &pm_exc_ValueError);
    pm_decref(rt, lm);
    /* MemoryError: no message, args () */
    pm_err_nomem(rt);
    pm_object *m = pm_err_fetch(rt);
    assert_ptr_equal(m->ob_type, &pm_exc_MemoryError);
    assert_int_equal(pm_tuple_size(pm_exc_get_args(m)), 0);
    pm_decref(rt, m);
    pm_runtime_free(rt);
}

/* Raising and fetching MemoryError with every allocation failing: no
 * allocation is attempted, the preallocated instance comes back. */
static void test_memoryerror_allocates_nothing(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_fault_inject(rt, 1, 1);
    for (int i = 0; i < 3; i++) {
        pm_err_nomem(rt);
        pm_object *m = pm_err_fetch(rt);
        assert_non_null(m);
        assert_ptr_equal(m->ob_type, &pm_exc_MemoryError);
        pm_err_restore(rt, m);
        assert_int_equal(pm_err_kind(rt), PM_EXC_MemoryError);
        m = pm_err_fetch(rt);
        pm_decref(rt, m);
    }
    assert_int_equal(pm_fault_fired(rt), 0);
    /* a formatted error whose object cannot be made turns into MemoryError */
    pm_err_set(rt, PM_EXC_ValueError, "needs memory");
    pm_object *m = pm_err_fetch(rt);
    assert_ptr_equal(m->ob_type, &pm_exc_MemoryError);
    assert_false(pm_err_occurred(rt));
    pm_decref(rt, m);
    pm_fault_inject(rt, 0, 0);
    pm_runtime_free(rt);
}

/* ---- fault sweeps -------------------------------------------------------- */

typedef struct sweep_ctx { pm_runtime *rt; } sweep_ctx;
static pm_runtime *sw_begin(void *ctx, long n) {
    (void)n;
    return ((sweep_ctx *)ctx)->rt;
}
static void sw_end(pm_runtime *rt, void *ctx, long n, int rc) {
    (void)ctx;
    pm_alloc_stats st;
    pm_gc_collect(rt, 2);
    pm_alloc_stats_get(rt, &st);
    if (getenv("EXC_DEBUG")) fprintf(stderr, "run %ld rc %d small %zu large %zu\n", n, rc, st.small_bytes_in_use, st.large_blocks);
}
static int sw_run(pm_runtime *rt, void *ctx) {
    (void)ctx;
    int rc = -1;
    pm_object *e = NULL, *s = NULL, *r = NULL, *os = NULL, *note = NULL;
    e = pm_exc_new_msg(rt, &pm_exc_KeyError, "key");
    if (!e) goto fail;
    s = pm_str(rt, e);
    if (!s) goto fail;
    r = pm_repr(rt, e);
    if (!r) goto fail;
    note = pm_str_from_cstr(rt, "note");
    if (!note || pm_exc_add_note(rt, e, note) < 0) goto fail;
    pm_object *a = pm_int_from_long(rt, 2), *b = pm_str_from_cstr(rt, "msg"), *c = pm_str_from_cstr(rt, "fn");
    pm_object *args = (a && b && c) ? pm_tuple_pack(rt, 3, a, b, c) : NULL;
    if (a) pm_decref(rt, a);
    if (b) pm_decref(rt, b);
    if (c) pm_decref(rt, c);
    if (!args) goto fail;
    os = pm_exc_new(rt, &pm_exc_OSError, args, NULL);
    pm_decref(rt, args);
    if (!os) goto fail;
    PM_CLEAR(rt, s);
    s = pm_str(rt, os);
    if (!s) goto fail;
    static const char *const calls[][2] = {
        {"SyntaxError", "x"}, {"UnicodeEncodeError", "u"}, {"UnicodeDecodeError", "d"}};
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        pm_object *m = pm_str_from_cstr(rt, "m"), *t = NULL, *x = NULL;
        pm_object *i1 = pm_int_from_long(rt, 1), *i2 = pm_int_from_long(rt, 2);
        pm_object *obj = calls[i][1][0] == 'd' ? pm_bytes_new(rt, "\xff\xfe", 2) : pm_str_from_cstr(rt, "a\xe2\x82\xac");
        if (m && i1 && i2 && obj) {
            if (calls[i][1][0] == 'x') {
                pm_object *info = pm_tuple_pack(rt, 4, m, i1, i2, m);
                if (info) t = pm_tuple_pack(rt, 2, m, info);
                if (info) pm_decref(rt, info);
            } else {
                t = pm_tuple_pack(rt, 5, m, obj, i1, i2, m);
            }
        }
        if (t) x = pm_exc_new(rt, calls[i][0][0] == 'S' ? &pm_exc_SyntaxError
                                  : calls[i][1][0] == 'u' ? &pm_exc_UnicodeEncodeError
                                                          : &pm_exc_UnicodeDecodeError, t, NULL);
        pm_object *xs = x ? pm_str(rt, x) : NULL;
        int ok = xs != NULL;
        pm_object *all[] = {m, t, x, i1, i2, obj, xs};
        for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
            if (all[k]) pm_decref(rt, all[k]);
        if (!ok) goto fail;
    }
    pm_err_format(rt, PM_EXC_TypeError, "formatted %s", "text");
    pm_object *f = pm_err_fetch(rt);
    int is_mem = f->ob_type == &pm_exc_MemoryError;
    if (is_mem) pm_err_restore(rt, f);
    else pm_decref(rt, f);
    if (is_mem) goto fail;
    rc = 0;
fail:
    if (e) pm_decref(rt, e);
    if (s) pm_decref(rt, s);
    if (r) pm_decref(rt, r);
    if (os) pm_decref(rt, os);
    if (note) pm_decref(rt, note);
    return rc;
}

static void test_fault_sweep(void **state) {
    (void)state;
    for (int persistent = 0; persistent < 2; persistent++) {
        pm_runtime *rt = tu_runtime();
        pm_alloc_stats before, after;
        assert_int_equal(sw_run(rt, NULL), 0);  /* warm the caches (type dicts, method cache) */
        pm_gc_collect(rt, 2);
        pm_alloc_stats_get(rt, &before);
        sweep_ctx ctx = {rt};
        fs_sweep sw = {"exceptions", persistent, 0, &ctx, sw_begin, sw_run, sw_end};
        fs_result res = fs_run(&sw);
        assert_true(res.points > 5);
        pm_gc_collect(rt, 2);
        pm_alloc_stats_get(rt, &after);
        assert_int_equal(after.small_bytes_in_use, before.small_bytes_in_use);
        assert_int_equal(after.large_blocks, before.large_blocks);
        pm_runtime_free(rt);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hierarchy),
        cmocka_unit_test(test_str_repr_all),
        cmocka_unit_test(test_special_fields),
        cmocka_unit_test(test_attributes_and_notes),
        cmocka_unit_test(test_error_state),
        cmocka_unit_test(test_memoryerror_allocates_nothing),
        cmocka_unit_test(test_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
