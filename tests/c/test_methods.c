/* Built-in methods as attributes, differentially against python3: every
 * case is recv.name(*args, **kw) through pm_getattr and the call slot,
 * printing the result (or the error) and the receiver afterwards; the
 * descriptor objects' reprs, attributes and errors; fault injection over
 * the lazy type dict and bound-method creation. */
#include "methutil.h"
#include "faultsweep.h"

static const mt_case list_cases[] = {
    {"[1, 2]", "append", "3", ""},
    {"[1, 2]", "append", "", ""},
    {"[1, 2]", "append", "3, 4", ""},
    {"[1, 2]", "append", "", "x=1"},
    {"[1, 2]", "extend", "(3, 4)", ""},
    {"[1, 2]", "extend", "5", ""},
    {"[1, 2]", "clear", "", ""},
    {"[1, 2]", "clear", "1", ""},
    {"[1, 2]", "copy", "", ""},
    {"[1, 2, 1]", "count", "1", ""},
    {"[1, 2, 1]", "count", "1, 2", ""},
    {"[1, 2, 3, 2]", "index", "2", ""},
    {"[1, 2, 3, 2]", "index", "2, 2", ""},
    {"[1, 2, 3, 2]", "index", "2, -1", ""},
    {"[1, 2, 3, 2]", "index", "2, 0, 1", ""},
    {"[1, 2, 3, 2]", "index", "", ""},
    {"[1, 2, 3, 2]", "index", "9", ""},
    {"[1, 2, 3, 2]", "index", "'x'", ""},
    {"[1, 2, 3, 2]", "index", "1, 'a'", ""},
    {"[1, 2, 3, 2]", "index", "1, 0, 1, 2", ""},
    {"[1, 2]", "insert", "0, 'a'", ""},
    {"[1, 2]", "insert", "-1, 'a'", ""},
    {"[1, 2]", "insert", "99, 'a'", ""},
    {"[1, 2]", "insert", "1", ""},
    {"[1, 2]", "insert", "'a', 1", ""},
    {"[1, 2]", "insert", "1.5, 1", ""},
    {"[1, 2, 3]", "pop", "", ""},
    {"[1, 2, 3]", "pop", "0", ""},
    {"[1, 2, 3]", "pop", "-5", ""},
    {"[1, 2, 3]", "pop", "1, 2", ""},
    {"[1, 2, 3]", "pop", "'a'", ""},
    {"[1, 2, 3]", "pop", "100000000000000000000000", ""},
    {"[]", "pop", "", ""},
    {"[1, 2, 1]", "remove", "1", ""},
    {"[1, 2, 1]", "remove", "7", ""},
    {"[1, 2, 3]", "reverse", "", ""},
    {"[3, 1, 2]", "sort", "", ""},
    {"[3, 1, 2]", "sort", "", "reverse=True"},
    {"[3, 1, 2]", "sort", "", "reverse=1"},
    {"[3, 1, 2]", "sort", "1", ""},
    {"[3, 1, 2]", "sort", "", "y=1"},
    {"[3, 1, 2]", "sort", "", "reverse='x'"},
    {"[3, 'a', 2]", "sort", "", ""},
    {"[1, 2]", "nosuch", "", ""},
};

static void test_list_methods(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    mt_check(rt, list_cases, sizeof list_cases / sizeof list_cases[0]);
    pm_runtime_free(rt);
}

static const mt_case dict_cases[] = {
    {"{1: 'a', 2: 'b'}", "get", "1", ""},
    {"{1: 'a', 2: 'b'}", "get", "3", ""},
    {"{1: 'a', 2: 'b'}", "get", "3, 'z'", ""},
    {"{1: 'a', 2: 'b'}", "get", "", ""},
    {"{1: 'a', 2: 'b'}", "get", "1, 2, 3", ""},
    {"{1: 'a', 2: 'b'}", "get", "[1]", ""},
    {"{1: 'a'}", "setdefault", "1, 'x'", ""},
    {"{1: 'a'}", "setdefault", "2, 'x'", ""},
    {"{1: 'a'}", "setdefault", "3", ""},
    {"{1: 'a'}", "setdefault", "", ""},
    {"{1: 'a', 2: 'b'}", "pop", "1", ""},
    {"{1: 'a', 2: 'b'}", "pop", "5", ""},
    {"{1: 'a', 2: 'b'}", "pop", "5, None", ""},
    {"{1: 'a', 2: 'b'}", "pop", "", "x=1"},
    {"{1: 'a', 2: 'b'}", "popitem", "", ""},
    {"{}", "popitem", "", ""},
    {"{1: 'a'}", "update", "{2: 'b'}", ""},
    {"{1: 'a'}", "update", "[(3, 'c'), [4, 'd'], 'ef']", ""},
    {"{1: 'a'}", "update", "[(3, 'c', 5)]", ""},
    {"{1: 'a'}", "update", "[3]", ""},
    {"{1: 'a'}", "update", "5", ""},
    {"{1: 'a'}", "update", "", "x=1, y=2"},
    {"{1: 'a'}", "update", "{}, {}", ""},
    {"{1: 'a'}", "copy", "", ""},
    {"{1: 'a'}", "clear", "", ""},
    {"{1: 'a'}", "fromkeys", "'ab'", ""},
    {"{1: 'a'}", "fromkeys", "[1, 2], 0", ""},
    {"{1: 'a'}", "fromkeys", "", ""},
    {"{1: 'a'}", "fromkeys", "3", ""},
    {"(1, 2, 1)", "count", "1", ""},
    {"(1, 2, 1)", "count", "", ""},
    {"(1, 2, 1)", "index", "2", ""},
    {"(1, 2, 1)", "index", "1, 1", ""},
    {"(1, 2, 1)", "index", "7", ""},
    {"(1, 2, 1)", "index", "", ""},
    {"slice(1, 10, 2)", "indices", "5", ""},
    {"slice(None, None, -1)", "indices", "5", ""},
    {"slice(-3, 100)", "indices", "10", ""},
    {"slice(1, 2, 0)", "indices", "10", ""},
    {"slice(1, 2)", "indices", "-1", ""},
    {"slice(1, 2)", "indices", "'a'", ""},
    {"slice(1, 2)", "indices", "", ""},
};

static void test_dict_tuple_slice_methods(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    mt_check(rt, dict_cases, sizeof dict_cases / sizeof dict_cases[0]);
    pm_runtime_free(rt);
}

static const mt_case str_cases[] = {
    {"' a b  c '", "split", "", ""},
    {"' a b  c '", "split", "None, 1", ""},
    {"' a b  c '", "rsplit", "None, 1", ""},
    {"'a,b,,c'", "split", "','", ""},
    {"'a,b,,c'", "split", "',', 2", ""},
    {"'a,b,,c'", "rsplit", "',', 2", ""},
    {"'a,b,,c'", "split", "", "sep=',', maxsplit=1"},
    {"'a,b,,c'", "split", "1", ""},
    {"'a,b,,c'", "split", "''", ""},
    {"'a,b,,c'", "split", "None, 'x'", ""},
    {"'a,b,,c'", "split", "',', 1, 2", ""},
    {"'a,b,,c'", "split", "','", "sep=','"},
    {"'a,b,,c'", "split", "", "y=2"},
    {"'ab\\ncd\\r\\nef\\rg'", "splitlines", "", ""},
    {"'ab\\ncd\\r\\nef\\rg\\n'", "splitlines", "True", ""},
    {"'ab'", "splitlines", "1, 2", ""},
    {"'-'", "join", "['a', 'b', 'c']", ""},
    {"'-'", "join", "[]", ""},
    {"'-'", "join", "1", ""},
    {"'-'", "join", "['a', 1]", ""},
    {"'-'", "join", "", ""},
    {"'  xy  '", "strip", "", ""},
    {"'  xy  '", "lstrip", "", ""},
    {"'  xy  '", "rstrip", "", ""},
    {"'abcxycba'", "strip", "'abc'", ""},
    {"'abcxycba'", "strip", "None", ""},
    {"'abc'", "strip", "1", ""},
    {"'abc'", "rstrip", "'a', 'b'", ""},
    {"'aaa'", "replace", "'a', 'bc'", ""},
    {"'aaa'", "replace", "'a', 'bc', 2", ""},
    {"'aaa'", "replace", "'', '-'", ""},
    {"'aaa'", "replace", "'', '-', 2", ""},
    {"'aaa'", "replace", "'x', '-'", ""},
    {"'aaa'", "replace", "'a'", ""},
    {"'aaa'", "replace", "1, 'x'", ""},
    {"'aaa'", "replace", "'a', 1", ""},
    {"'abcabc'", "find", "'c'", ""},
    {"'abcabc'", "find", "'c', 3", ""},
    {"'abcabc'", "find", "'c', -2, None", ""},
    {"'abcabc'", "find", "'', 7", ""},
    {"'abcabc'", "find", "'', 6", ""},
    {"'abcabc'", "rfind", "'b'", ""},
    {"'abcabc'", "rfind", "'b', 0, 3", ""},
    {"'abcabc'", "index", "'z'", ""},
    {"'abcabc'", "rindex", "'a'", ""},
    {"'abcabc'", "count", "'bc'", ""},
    {"'abcabc'", "count", "''", ""},
    {"'abcabc'", "count", "'', 2, 4", ""},
    {"'aaaa'", "count", "'aa'", ""},
    {"'abc'", "find", "", ""},
    {"'abc'", "find", "1", ""},
    {"'abc'", "find", "'a', 'x'", ""},
    {"'abc'", "find", "'a', 1, 2, 3", ""},
    {"'abc'", "startswith", "'ab'", ""},
    {"'abc'", "startswith", "('x', 'a')", ""},
    {"'abc'", "startswith", "'b', 1", ""},
    {"'abc'", "startswith", "'b', 1, 1", ""},
    {"'abc'", "endswith", "'bc'", ""},
    {"'abc'", "endswith", "'b', 0, 2", ""},
    {"'abc'", "endswith", "1", ""},
    {"'abc'", "startswith", "('a', 1)", ""},
    {"'abc'", "startswith", "('x', 1)", ""},
    {"'abc'", "startswith", "", ""},
    {"'Hello World xY'", "upper", "", ""},
    {"'Hello World xY'", "lower", "", ""},
    {"'Hello World xY'", "swapcase", "", ""},
    {"'hello wORLD'", "capitalize", "", ""},
    {"'hello wORLD 3rd'", "title", "", ""},
    {"'caf\u00e9'", "upper", "", ""},
    {"'ABC'", "upper", "1", ""},
    {"'abc'", "isalpha", "", ""},
    {"'ab1'", "isalpha", "", ""},
    {"'ab1'", "isalnum", "", ""},
    {"''", "isalpha", "", ""},
    {"''", "isascii", "", ""},
    {"'123'", "isdigit", "", ""},
    {"'12a'", "isdecimal", "", ""},
    {"' \\t\\n'", "isspace", "", ""},
    {"'ABC1'", "isupper", "", ""},
    {"'123'", "isupper", "", ""},
    {"'abc1'", "islower", "", ""},
    {"'Hello World'", "istitle", "", ""},
    {"'Hello world'", "istitle", "", ""},
    {"'_a1'", "isidentifier", "", ""},
    {"'1a'", "isidentifier", "", ""},
    {"'ab'", "partition", "'b'", ""},
    {"'ab'", "partition", "'x'", ""},
    {"'abab'", "rpartition", "'b'", ""},
    {"'ab'", "rpartition", "'x'", ""},
    {"'ab'", "partition", "''", ""},
    {"'ab'", "partition", "1", ""},
    {"'ab'", "center", "7", ""},
    {"'ab'", "center", "6, '*'", ""},
    {"'abc'", "center", "6, '*'", ""},
    {"'ab'", "ljust", "5, '.'", ""},
    {"'ab'", "rjust", "5", ""},
    {"'ab'", "rjust", "1", ""},
    {"'ab'", "center", "", ""},
    {"'ab'", "center", "'x'", ""},
    {"'ab'", "center", "5, 'xy'", ""},
    {"'ab'", "center", "5, 1", ""},
    {"'42'", "zfill", "5", ""},
    {"'-42'", "zfill", "5", ""},
    {"'+42'", "zfill", "2", ""},
    {"'42'", "zfill", "'x'", ""},
    {"'a\\tbc\\td'", "expandtabs", "", ""},
    {"'a\\tbc\\td'", "expandtabs", "4", ""},
    {"'a\\tbc\\td'", "expandtabs", "", "tabsize=2"},
    {"'prefix'", "removeprefix", "'pre'", ""},
    {"'prefix'", "removesuffix", "'fix'", ""},
    {"'prefix'", "removesuffix", "'x1'", ""},
    {"'prefix'", "removeprefix", "1", ""},
    {"'h\u00e9'", "encode", "", ""},
    {"'h\u00e9'", "encode", "'latin-1'", ""},
    {"'h\u00e9'", "encode", "'ascii'", ""},
    {"'h\u00e9\u00e9'", "encode", "'ASCII'", ""},
    {"'h\u00e9'", "encode", "'ascii', 'ignore'", ""},
    {"'h\u00e9'", "encode", "'ascii', 'replace'", ""},
    {"'h\u20ac'", "encode", "'latin_1'", ""},
    {"'h'", "encode", "'nope'", ""},
    {"'h'", "encode", "1", ""},
    {"'h'", "encode", "", "errors=1"},
    {"'{} and {x}'", "format", "1", "x=2"},
    {"'{x}'", "format_map", "{'x': 5}", ""},
    {"'{0}'", "format", "", ""},
};

static void test_str_methods(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    mt_check(rt, str_cases, sizeof str_cases / sizeof str_cases[0]);
    pm_runtime_free(rt);
}

static const mt_case num_cases[] = {
    {"255", "bit_length", "", ""},
    {"-256", "bit_length", "", ""},
    {"0", "bit_length", "", ""},
    {"255", "bit_length", "1", ""},
    {"-255", "bit_count", "", ""},
    {"123456789012345678901234567890", "bit_count", "", ""},
    {"True", "conjugate", "", ""},
    {"-7", "as_integer_ratio", "", ""},
    {"True", "as_integer_ratio", "", ""},
    {"1", "to_bytes", "", ""},
    {"1", "to_bytes", "2, 'little'", ""},
    {"1", "to_bytes", "2", "byteorder='little'"},
    {"-1", "to_bytes", "2", "signed=True"},
    {"-129", "to_bytes", "2, 'big'", "signed=True"},
    {"128", "to_bytes", "1, 'big'", "signed=True"},
    {"300", "to_bytes", "1, 'big'", ""},
    {"-1", "to_bytes", "1", ""},
    {"1", "to_bytes", "'x'", ""},
    {"1", "to_bytes", "-1", ""},
    {"1", "to_bytes", "1, 'middle'", ""},
    {"1", "to_bytes", "1, 2", ""},
    {"1", "to_bytes", "1, 'big', True", ""},
    {"123456789012345678901234567890", "to_bytes", "13, 'little'", ""},
    {"0", "from_bytes", "b'\\n\\t'", ""},
    {"0", "from_bytes", "b'\\n\\t', 'little'", ""},
    {"0", "from_bytes", "b'\\n\\t', 'little'", "signed=True"},
    {"0", "from_bytes", "b'zz'", "signed=True"},
    {"0", "from_bytes", "bytearray(b'ab')", ""},
    {"0", "from_bytes", "3", ""},
    {"0", "from_bytes", "", ""},
    {"True", "from_bytes", "b''", ""},
    {"2.5", "hex", "", ""},
    {"0.0", "hex", "", ""},
    {"-0.1", "hex", "", ""},
    {"1e300", "hex", "", ""},
    {"5e-324", "hex", "", ""},
    {"2.2250738585072014e-308", "hex", "", ""},
    {"1.5", "as_integer_ratio", "", ""},
    {"-0.1", "as_integer_ratio", "", ""},
    {"1e300", "as_integer_ratio", "", ""},
    {"5e-324", "as_integer_ratio", "", ""},
    {"0.0", "as_integer_ratio", "", ""},
    {"3.0", "is_integer", "", ""},
    {"3.5", "is_integer", "", ""},
    {"2.5", "conjugate", "", ""},
    {"2.5", "is_integer", "1", ""},
};

static void test_int_float_methods(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    mt_check(rt, num_cases, sizeof num_cases / sizeof num_cases[0]);
    pm_runtime_free(rt);
}

static const mt_case set_cases[] = {
    {"{1, 2}", "add", "3", ""},
    {"{1, 2}", "add", "", ""},
    {"{1, 2}", "add", "[1]", ""},
    {"{1, 2}", "discard", "2", ""},
    {"{1, 2}", "discard", "5", ""},
    {"{1, 2}", "remove", "5", ""},
    {"{1, 2}", "remove", "1", ""},
    {"{1}", "pop", "", ""},
    {"{1, 2}", "clear", "", ""},
    {"{1, 2}", "copy", "", ""},
    {"{1, 2}", "union", "[3], (4, 5)", ""},
    {"{1, 2}", "union", "", ""},
    {"{1, 2}", "union", "1", ""},
    {"{1, 2, 3}", "intersection", "[2, 3, 4], {3}", ""},
    {"{1, 2, 3}", "difference", "[2]", ""},
    {"{1, 2, 3}", "symmetric_difference", "[3, 4]", ""},
    {"{1, 2, 3}", "symmetric_difference", "", ""},
    {"{1, 2}", "update", "[3], (7, 8)", ""},
    {"{1, 2, 3}", "intersection_update", "[2, 3, 4]", ""},
    {"{1, 2, 3}", "difference_update", "[2], [3]", ""},
    {"{1, 2, 3}", "symmetric_difference_update", "[3, 4]", ""},
    {"{1, 2}", "issubset", "[1, 2, 3]", ""},
    {"{1, 2}", "issubset", "[1]", ""},
    {"{1, 2}", "issuperset", "[1]", ""},
    {"{1, 2}", "issuperset", "[1, 5]", ""},
    {"{1, 2}", "isdisjoint", "[3]", ""},
    {"{1, 2}", "isdisjoint", "(2,)", ""},
    {"{1, 2}", "issubset", "5", ""},
    {"frozenset([1, 2])", "union", "[3]", ""},
    {"frozenset([1, 2])", "intersection", "[2]", ""},
    {"frozenset([1, 2])", "copy", "", ""},
    {"frozenset([1, 2])", "add", "3", ""},
    {"frozenset([1, 2])", "issubset", "{1, 2}", ""},
};

static void test_set_methods(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    mt_check(rt, set_cases, sizeof set_cases / sizeof set_cases[0]);
    pm_runtime_free(rt);
}

static const mt_case mv_cases[] = {
    {"memoryview(b'abc')", "tobytes", "", ""},
    {"memoryview(b'abc')", "tobytes", "'X'", ""},
    {"memoryview(b'abc')", "tobytes", "1", ""},
    {"memoryview(b'abc')", "tobytes", "None", ""},
    {"memoryview(b'abc')", "tolist", "", ""},
    {"memoryview(b'abc')", "tolist", "1", ""},
    {"memoryview(b'abc')", "hex", "", ""},
    {"memoryview(b'abc')", "hex", "':'", ""},
    {"memoryview(b'abcd')", "hex", "':', 2", ""},
    {"memoryview(b'abcd')", "hex", "", "sep='-', bytes_per_sep=-3"},
    {"memoryview(b'abcd')", "cast", "'H'", ""},
    {"memoryview(b'abcd')", "cast", "", ""},
    {"memoryview(b'abcd')", "cast", "1", ""},
    {"memoryview(b'abcd')", "cast", "'B', [2, 2]", ""},
    {"memoryview(b'abc')", "release", "", ""},
    {"memoryview(b'abc')", "__exit__", "1, 2, 3", ""},
    {"memoryview(bytearray(b'ab'))", "toreadonly", "", ""},
    {"memoryview(b'abcd')", "nbytes", "", ""},
    {"memoryview(b'abcd')", "shape", "", ""},
    {"memoryview(b'abcd')", "nosuch", "", ""},
};

static void test_memoryview_methods(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    mt_check(rt, mv_cases, sizeof mv_cases / sizeof mv_cases[0]);
    pm_runtime_free(rt);
}

/* Attributes of the descriptor and bound-method objects, through the
 * generic getattr on types and instances. */
static void test_descriptor_objects(void **state) {
    (void)state;
    tu_need_python3();
    pm_runtime *rt = tu_runtime();
    char mine[8192] = "", theirs[8192];
    static const char *const script =
        "import re\n"
        "def show(f):\n"
        "    try: r = repr(f())\n"
        "    except Exception as e: r = '%s: %s' % (type(e).__name__, e)\n"
        "    print(re.sub('0x[0-9a-f]+', '0x?', r))\n"
        "l = [1]\n"
        "show(lambda: list.append)\n"
        "show(lambda: type(list.append))\n"
        "show(lambda: l.append)\n"
        "show(lambda: type(l.append))\n"
        "show(lambda: list.append.__name__)\n"
        "show(lambda: list.append.__qualname__)\n"
        "show(lambda: list.append.__objclass__)\n"
        "show(lambda: l.append.__name__)\n"
        "show(lambda: l.append.__qualname__)\n"
        "show(lambda: l.append.__self__)\n"
        "show(lambda: list.append(l, 5))\n"
        "show(lambda: l)\n"
        "show(lambda: list.append())\n"
        "show(lambda: list.append(3, 4))\n"
        "show(lambda: list.clear(l, 1))\n"
        "show(lambda: list.append.__get__(None, list))\n"
        "show(lambda: list.append.__get__(3))\n"
        "show(lambda: l.append == l.append)\n"
        "show(lambda: l.append == [].append)\n"
        "show(lambda: hash(l.append) == hash(l.append))\n"
        "show(lambda: setattr(l, 'append', 1))\n"
        "show(lambda: slice.start)\n"
        "show(lambda: slice(1, 2).start)\n"
        "show(lambda: slice(1, 2).step)\n"
        "show(lambda: setattr(slice(1, 2), 'start', 3))\n"
        "show(lambda: slice.start.__get__('x'))\n"
        "show(lambda: type(slice.start))\n"
        "show(lambda: int.real)\n"
        "show(lambda: type(int.real))\n"
        "show(lambda: True.real)\n"
        "show(lambda: setattr(5, 'real', 3))\n"
        "show(lambda: int.real.__get__('x'))\n"
        "show(lambda: dict.fromkeys)\n"
        "show(lambda: dict.__dict__['fromkeys'])\n"
        "show(lambda: type(dict.__dict__['fromkeys']))\n"
        "show(lambda: dict.fromkeys.__self__)\n"
        "show(lambda: dict.__dict__['fromkeys'].__get__(None, int))\n";
    pm_object *l = pm_list_new(rt), *one = pm_int_from_long(rt, 1), *five = pm_int_from_long(rt, 5);
    pm_object *three = pm_int_from_long(rt, 3), *four = pm_int_from_long(rt, 4);
    pm_object *list = pm_type_as_object(&pm_list_type);
    assert_int_equal(pm_list_append(rt, l, one), 0);
    pm_object *r, *m, *bm, *bm2, *args[3];
#define SHOW(expr)                                                             \
    do {                                                                       \
        r = (expr);                                                            \
        char line[400];                                                        \
        if (r) {                                                               \
            pm_object *s_ = pm_repr(rt, r);                                    \
            assert_non_null(s_);                                               \
            snprintf(line, sizeof line, "%s", pm_str_as_utf8(rt, s_, NULL));   \
            pm_decref(rt, s_);                                                 \
            pm_decref(rt, r);                                                  \
        } else {                                                               \
            snprintf(line, sizeof line, "%s: %s", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt)); \
            pm_err_clear(rt);                                                  \
        }                                                                      \
        char *x_ = strstr(line, "0x");                                         \
        if (x_) {                                                              \
            char *e_ = x_ + 2;                                                 \
            while (isxdigit((unsigned char)*e_)) e_++;                         \
            memmove(x_ + 3, e_, strlen(e_) + 1);                               \
            x_[2] = '?';                                                       \
        }                                                                      \
        strcat(mine, line);                                                    \
        strcat(mine, "\n");                                                    \
    } while (0)
    m = pm_getattr_cstr(rt, list, "append");
    assert_non_null(m);
    SHOW(pm_newref(rt, m));
    SHOW(pm_newref(rt, pm_type_as_object(m->ob_type)));
    bm = pm_getattr_cstr(rt, l, "append");
    assert_non_null(bm);
    SHOW(pm_newref(rt, bm));
    SHOW(pm_newref(rt, pm_type_as_object(bm->ob_type)));
    SHOW(pm_getattr_cstr(rt, m, "__name__"));
    SHOW(pm_getattr_cstr(rt, m, "__qualname__"));
    SHOW(pm_getattr_cstr(rt, m, "__objclass__"));
    SHOW(pm_getattr_cstr(rt, bm, "__name__"));
    SHOW(pm_getattr_cstr(rt, bm, "__qualname__"));
    SHOW(pm_getattr_cstr(rt, bm, "__self__"));
    args[0] = l, args[1] = five;
    SHOW(pm_call(rt, m, args, 2, NULL));
    SHOW(pm_newref(rt, l));
    SHOW(pm_call(rt, m, NULL, 0, NULL));
    args[0] = three, args[1] = four;
    SHOW(pm_call(rt, m, args, 2, NULL));
    pm_object *clear = pm_getattr_cstr(rt, list, "clear");
    args[0] = l, args[1] = one;
    SHOW(pm_call(rt, clear, args, 2, NULL));
    pm_decref(rt, clear);
    SHOW(m->ob_type->descr_get(rt, m, NULL, list));
    SHOW(m->ob_type->descr_get(rt, m, three, NULL));
    bm2 = pm_getattr_cstr(rt, l, "append");
    SHOW(pm_richcompare(rt, bm, bm2, PM_EQ));
    pm_decref(rt, bm2);
    pm_object *other = pm_list_new(rt);
    bm2 = pm_getattr_cstr(rt, other, "append");
    SHOW(pm_richcompare(rt, bm, bm2, PM_EQ));
    bm2 = (pm_decref(rt, bm2), pm_getattr_cstr(rt, l, "append"));
    SHOW(pm_bool_from(pm_hash(rt, bm) == pm_hash(rt, bm2)));
    pm_decref(rt, bm2);
    pm_decref(rt, other);
    SHOW(pm_setattr(rt, l, pm_str_intern_cstr(rt, "append"), one) < 0 ? NULL : pm_newref(rt, PM_NONE));
    pm_object *sl = pm_slice_new(rt, one, four, NULL), *slt = pm_type_as_object(&pm_slice_type);
    pm_object *it = pm_type_as_object(&pm_int_type), *dt = pm_type_as_object(&pm_dict_type);
    pm_object *name = pm_str_intern_cstr(rt, "start"), *x = pm_str_from_cstr(rt, "x");
    SHOW(pm_getattr_cstr(rt, slt, "start"));
    SHOW(pm_getattr_cstr(rt, sl, "start"));
    SHOW(pm_getattr_cstr(rt, sl, "step"));
    SHOW(pm_setattr(rt, sl, name, three) < 0 ? NULL : pm_newref(rt, PM_NONE));
    pm_decref(rt, name);
    m = pm_getattr_cstr(rt, slt, "start");
    SHOW(m->ob_type->descr_get(rt, m, x, NULL));
    SHOW(pm_newref(rt, pm_type_as_object(m->ob_type)));
    pm_decref(rt, m);
    m = pm_getattr_cstr(rt, it, "real");
    SHOW(pm_newref(rt, m));
    SHOW(pm_newref(rt, pm_type_as_object(m->ob_type)));
    SHOW(pm_getattr_cstr(rt, PM_TRUE, "real"));
    name = pm_str_intern_cstr(rt, "real");
    SHOW(pm_setattr(rt, five, name, three) < 0 ? NULL : pm_newref(rt, PM_NONE));
    pm_decref(rt, name);
    SHOW(m->ob_type->descr_get(rt, m, x, NULL));
    pm_decref(rt, m);
    SHOW(pm_getattr_cstr(rt, dt, "fromkeys"));
    name = pm_str_intern_cstr(rt, "fromkeys");
    m = pm_newref(rt, pm_dict_get(rt, pm_type_dict(rt, &pm_dict_type), name));
    pm_decref(rt, name);
    SHOW(pm_newref(rt, m));
    SHOW(pm_newref(rt, pm_type_as_object(m->ob_type)));
    bm2 = pm_getattr_cstr(rt, dt, "fromkeys");
    SHOW(pm_getattr_cstr(rt, bm2, "__self__"));
    pm_decref(rt, bm2);
    SHOW(m->ob_type->descr_get(rt, m, NULL, it));
    pm_decref(rt, m);
    pm_decref(rt, sl);
    pm_decref(rt, x);
    tu_python(script, theirs, sizeof theirs);
    mt_compare(mine, theirs);
    pm_decref(rt, bm);
    pm_decref(rt, m);
    pm_decref(rt, l);
    pm_decref(rt, one);
    pm_decref(rt, three);
    pm_decref(rt, four);
    pm_decref(rt, five);
    pm_runtime_free(rt);
}

/* ---- fault sweep: lazy type dicts, descriptors, bound methods, methods ---- */

static pm_runtime *sweep_begin(void *ctx, long n) {
    (void)ctx;
    (void)n;
    return tu_runtime();
}

/* recv.name(*args) through getattr + call; the result dropped.  0 / -1. */
static int call_named(pm_runtime *rt, pm_object *recv, const char *name, pm_object *const *args,
                      pm_ssize_t n) {
    pm_object *m = pm_getattr_cstr(rt, recv, name);
    if (!m) return -1;
    pm_object *r = pm_call(rt, m, args, (size_t)n, NULL);
    pm_decref(rt, m);
    if (!r) return -1;
    pm_decref(rt, r);
    return 0;
}

static int sweep_run(pm_runtime *rt, void *ctx) {
    (void)ctx;
    int rc = -1;
    pm_object *l = pm_list_new(rt), *s = pm_str_from_cstr(rt, " a,b  c "), *comma = pm_str_from_cstr(rt, ",");
    pm_object *d = pm_dict_new(rt), *seven = pm_int_from_long(rt, 7), *big = pm_int_from_string(rt, "123456789012345678901234567890", -1, 10);
    pm_object *a[2], *sixteen = pm_int_from_long(rt, 16);   /* small ints: cached */
    if (!l || !s || !comma || !d || !big) goto done;
    a[0] = seven;
    if (call_named(rt, l, "append", a, 1) < 0 || call_named(rt, l, "insert", (a[1] = s, a[0] = seven, a), 2) < 0)
        goto done;
    if (call_named(rt, l, "copy", NULL, 0) < 0 || call_named(rt, l, "index", a, 1) < 0) goto done;
    a[0] = comma;
    if (call_named(rt, s, "split", a, 1) < 0 || call_named(rt, s, "split", NULL, 0) < 0 ||
        call_named(rt, s, "replace", (a[1] = s, a), 2) < 0 || call_named(rt, s, "upper", NULL, 0) < 0 ||
        call_named(rt, s, "center", (a[0] = seven, a), 1) < 0 || call_named(rt, s, "partition", (a[0] = comma, a), 1) < 0 ||
        call_named(rt, comma, "join", (a[0] = s, a), 1) < 0)
        goto done;
    a[0] = s;
    if (call_named(rt, pm_type_as_object(&pm_dict_type), "fromkeys", a, 1) < 0 ||
        call_named(rt, d, "setdefault", a, 1) < 0 || call_named(rt, d, "get", a, 1) < 0 ||
        call_named(rt, big, "to_bytes", (a[0] = sixteen, a), 1) < 0 ||
        call_named(rt, big, "bit_count", NULL, 0) < 0)
        goto done;
    pm_object *r = pm_getattr_cstr(rt, big, "real");
    if (!r) goto done;
    pm_decref(rt, r);
    rc = 0;
done:
    pm_xdecref(rt, l);
    pm_xdecref(rt, s);
    pm_xdecref(rt, comma);
    pm_xdecref(rt, d);
    pm_xdecref(rt, big);
    return rc;
}

static void sweep_end(pm_runtime *rt, void *ctx, long n, int rc) {
    (void)ctx;
    (void)n;
    (void)rc;
    assert_int_equal(pm_alloc_check(rt, NULL), 0);
    pm_runtime_free(rt);
}

static void test_fault_sweep(void **state) {
    (void)state;
    for (int persistent = 0; persistent < 2; persistent++) {
        fs_sweep sw = {"methods", persistent, 0, NULL, sweep_begin, sweep_run, sweep_end};
        fs_result r = fs_run(&sw);
        assert_true(r.points > 10);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_methods),
        cmocka_unit_test(test_descriptor_objects),
        cmocka_unit_test(test_dict_tuple_slice_methods),
        cmocka_unit_test(test_str_methods),
        cmocka_unit_test(test_int_float_methods),
        cmocka_unit_test(test_set_methods),
        cmocka_unit_test(test_memoryview_methods),
        cmocka_unit_test(test_fault_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
