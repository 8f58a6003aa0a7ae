/* memoryview (issue 5): the seed's example, the managed-buffer design (one
 * export shared by every derived view; the exporter kept alive), release
 * and the context-manager protocol, every operation on a released view,
 * formats (incl. half floats and '@'), comparisons by value (NaN), hash,
 * repr, getsizeof, 0-dim views, iteration, a reference cycle through an
 * exporter broken by the collector, and weak references to views. */
#include <math.h>
#include <stdlib.h>
#include "mvutil.h"

static void test_seed_example(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    pm_object *data = pm_bytearray_new(rt, "hello", 5);     /* data = bytearray(b'hello') */
    pm_object *view = pm_memoryview_new(rt, data);          /* view = memoryview(data) */
    mv_check_repr(rt, pm_memoryview_item(rt, view, 0), "104");
    pm_object *h = pm_int_from_long(rt, 72);
    assert_int_equal(pm_memoryview_set_item(rt, view, 0, h), 0);   /* view[0] = 72 */
    mv_check_repr(rt, pm_newref(rt, data), "bytearray(b'Hello')");
    assert_int_equal(pm_bytearray_append(rt, data, '!'), -1);
    mv_check_error(rt, PM_EXC_BufferError, "Existing exports of data: object cannot be re-sized");
    mv_check_repr(rt, pm_newref(rt, data), "bytearray(b'Hello')");
    assert_int_equal(pm_memoryview_release(rt, view), 0);
    assert_int_equal(pm_bytearray_append(rt, data, '!'), 0);
    mv_check_repr(rt, pm_newref(rt, data), "bytearray(b'Hello!')");
    pm_decref(rt, view);
    pm_decref(rt, data);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

static void test_shared_export(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    pm_object *ba = pm_bytearray_new(rt, "0123456789abcdef", 16);
    pm_object *mv = pm_memoryview_new(rt, ba);
    assert_int_equal(pm_bytearray_exports(ba), 1);
    assert_int_equal(pm_refcnt(rt, ba), 2);             /* the managed buffer's ref */
    pm_object *s = pm_memoryview_slice(rt, mv, 1, PM_SLICE_NONE, 3);
    pm_object *c = pm_memoryview_cast(rt, mv, "I", NULL);
    pm_object *r = pm_memoryview_toreadonly(rt, c);
    pm_object *again = pm_memoryview_new(rt, s);        /* memoryview(view) */
    assert_int_equal(pm_bytearray_exports(ba), 1);      /* still ONE export */
    assert_int_equal(pm_refcnt(rt, ba), 2);
    /* zero copy: every view points into the bytearray's own memory */
    assert_ptr_equal(pm_memoryview_buffer(mv)->buf, pm_bytearray_data(ba));
    assert_ptr_equal(pm_memoryview_buffer(s)->buf, pm_bytearray_data(ba) + 1);
    assert_ptr_equal(pm_memoryview_buffer(c)->buf, pm_bytearray_data(ba));
    mv_check_repr(rt, pm_memoryview_tobytes(rt, again, NULL), "b'147ad'");
    mv_check_repr(rt, pm_memoryview_attr(rt, again, "obj"), "bytearray(b'0123456789abcdef')");
    mv_check_repr(rt, pm_memoryview_attr(rt, r, "readonly"), "True");
    mv_check_repr(rt, pm_memoryview_attr(rt, c, "readonly"), "False");
    /* writes through one view are seen by all */
    pm_object *x = pm_bytes_new(rt, "X", 1);
    assert_null(pm_memoryview_cast(rt, s, "c", NULL));   /* strided: no cast */
    mv_check_error(rt, PM_EXC_TypeError, "memoryview: casts are restricted to C-contiguous views");
    pm_object *xc = pm_memoryview_cast(rt, mv, "c", NULL);
    assert_int_equal(pm_memoryview_set_item(rt, xc, 1, x), 0);
    mv_check_repr(rt, pm_memoryview_item(rt, mv, 1), "88");
    pm_decref(rt, xc);
    pm_decref(rt, x);
    /* releasing views one by one: the export goes with the last */
    pm_object *views[] = {mv, s, c, r, again};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(pm_bytearray_exports(ba), 1);
        assert_int_equal(pm_memoryview_release(rt, views[i]), 0);
        assert_int_equal(pm_memoryview_is_released(views[i]), 1);
    }
    assert_int_equal(pm_bytearray_exports(ba), 0);
    assert_int_equal(pm_refcnt(rt, ba), 1);
    for (int i = 0; i < 5; i++) pm_decref(rt, views[i]);
    pm_decref(rt, ba);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

static void test_keeps_exporter_alive(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    long freed = 0;
    pm_object *g = grid_new(rt, &freed);
    pm_object *mv = pm_memoryview_new(rt, g);
    pm_object *s = pm_memoryview_slice(rt, mv, 1, 3, 1);
    pm_decref(rt, g);                                   /* only the views hold it now */
    pm_decref(rt, mv);
    assert_int_equal(freed, 0);
    mv_check_repr(rt, pm_memoryview_tolist(rt, s), "[[6, 8, 10], [12, 14, 16]]");
    pm_decref(rt, s);                                   /* last view: export released, grid freed */
    assert_int_equal(freed, 1);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

static void test_release_and_context(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    pm_object *ba = pm_bytearray_new(rt, "abcd", 4);
    pm_object *mv = pm_memoryview_new(rt, ba);
    /* with memoryview(ba) as m: ... */
    pm_object *m = pm_memoryview_enter(rt, mv);
    assert_ptr_equal(m, mv);
    mv_check_repr(rt, pm_memoryview_tolist(rt, m), "[97, 98, 99, 100]");
    pm_decref(rt, m);
    assert_int_equal(pm_memoryview_exit(rt, mv), 0);
    assert_int_equal(pm_bytearray_exports(ba), 0);
    const char *msg = "operation forbidden on released memoryview object";
    assert_null(pm_memoryview_enter(rt, mv));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    char buf[64];
    snprintf(buf, sizeof buf, "<released memory at %p>", (void *)mv);
    mv_check_repr(rt, pm_newref(rt, mv), buf);

    /* every operation refuses */
    pm_object *zero = pm_int_from_long(rt, 0);
    assert_null(pm_memoryview_item(rt, mv, 0));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_null(pm_getitem(rt, mv, zero));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_int_equal(pm_setitem(rt, mv, zero, zero), -1);
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_null(pm_memoryview_slice(rt, mv, 0, 1, 1));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_null(pm_memoryview_tolist(rt, mv));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_null(pm_memoryview_tobytes(rt, mv, NULL));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_null(pm_memoryview_hex(rt, mv, NULL, 1));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_null(pm_memoryview_cast(rt, mv, "B", NULL));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_null(pm_memoryview_toreadonly(rt, mv));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_null(pm_memoryview_new(rt, mv));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_int_equal(pm_length(rt, mv), -1);
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_null(pm_iter(rt, mv));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    assert_int_equal(pm_hash(rt, mv), -1);
    mv_check_error(rt, PM_EXC_ValueError, msg);
    static const char *const attrs[] = {"obj", "nbytes", "readonly", "itemsize", "format", "ndim", "shape",
                                        "strides", "suboffsets", "c_contiguous", "f_contiguous", "contiguous"};
    for (int i = 0; i < 12; i++) {
        assert_null(pm_memoryview_attr(rt, mv, attrs[i]));
        mv_check_error(rt, PM_EXC_ValueError, msg);
    }
    pm_buffer v;
    assert_int_equal(pm_object_getbuffer(rt, mv, &v, PM_BUF_SIMPLE), -1);
    mv_check_error(rt, PM_EXC_ValueError, msg);
    /* == compares identity once released; release again is a no-op */
    mv_check_repr(rt, pm_richcompare(rt, mv, mv, PM_EQ), "True");
    mv_check_repr(rt, pm_richcompare(rt, mv, ba, PM_EQ), "False");
    assert_int_equal(pm_memoryview_release(rt, mv), 0);
    assert_null(pm_memoryview_attr(rt, mv, "nope"));
    mv_check_error(rt, PM_EXC_AttributeError, "'memoryview' object has no attribute 'nope'");

    /* an iterator made before the release stops with the error */
    pm_object *mv2 = pm_memoryview_new(rt, ba);
    pm_object *it = pm_iter(rt, mv2);
    mv_check_repr(rt, pm_iter_next(rt, it), "97");
    assert_int_equal(pm_memoryview_release(rt, mv2), 0);
    assert_null(pm_iter_next(rt, it));
    mv_check_error(rt, PM_EXC_ValueError, msg);
    pm_decref(rt, it);
    pm_decref(rt, mv2);

    /* a view with exports of its own cannot be released */
    pm_object *mv3 = pm_memoryview_new(rt, ba);
    pm_buffer b1, b2;
    assert_int_equal(pm_object_getbuffer(rt, mv3, &b1, PM_BUF_FULL_RO), 0);
    assert_int_equal(pm_object_getbuffer(rt, mv3, &b2, PM_BUF_SIMPLE), 0);
    assert_null(b2.format);
    assert_int_equal(pm_memoryview_exit(rt, mv3), -1);
    mv_check_error(rt, PM_EXC_BufferError, "memoryview has 2 exported buffers");
    pm_buffer_release(rt, &b1);
    pm_buffer_release(rt, &b2);
    assert_int_equal(pm_memoryview_release(rt, mv3), 0);
    pm_decref(rt, mv3);

    pm_decref(rt, zero);
    pm_decref(rt, mv);
    pm_decref(rt, ba);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

static void test_getbuffer_requests(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *b = pm_bytes_new(rt, "abcdefgh", 8);
    pm_object *mv = pm_memoryview_new(rt, b);
    pm_buffer v;
    assert_int_equal(pm_object_getbuffer(rt, mv, &v, PM_BUF_WRITABLE), -1);
    mv_check_error(rt, PM_EXC_BufferError, "memoryview: underlying buffer is not writable");
    assert_int_equal(pm_object_getbuffer(rt, mv, &v, PM_BUF_SIMPLE | PM_BUF_FORMAT), -1);
    mv_check_error(rt, PM_EXC_BufferError,
                   "memoryview: cannot cast to unsigned bytes if the format flag is present");
    pm_object *st = pm_memoryview_slice(rt, mv, PM_SLICE_NONE, PM_SLICE_NONE, 2);
    assert_int_equal(pm_object_getbuffer(rt, st, &v, PM_BUF_C_CONTIGUOUS), -1);
    mv_check_error(rt, PM_EXC_BufferError, "memoryview: underlying buffer is not C-contiguous");
    assert_int_equal(pm_object_getbuffer(rt, st, &v, PM_BUF_F_CONTIGUOUS), -1);
    mv_check_error(rt, PM_EXC_BufferError, "memoryview: underlying buffer is not Fortran contiguous");
    assert_int_equal(pm_object_getbuffer(rt, st, &v, PM_BUF_STRIDED_RO), 0);
    assert_int_equal(v.strides[0], 2);
    pm_buffer_release(rt, &v);
    /* a bytes object from a strided view's buffer, through the protocol */
    mv_check_repr(rt, pm_memoryview_tobytes(rt, st, NULL), "b'aceg'");
    pm_decref(rt, st);
    pm_decref(rt, mv);
    pm_decref(rt, b);

    /* raw memory, and a filled buffer */
    char mem[4] = {1, 2, 3, 4};
    pm_object *m = pm_memoryview_from_memory(rt, mem, 4, PM_BUF_WRITE);
    pm_object *one = pm_int_from_long(rt, 9);
    assert_int_equal(pm_memoryview_set_item(rt, m, 3, one), 0);
    assert_int_equal(mem[3], 9);
    mv_check_repr(rt, pm_memoryview_attr(rt, m, "obj"), "None");
    pm_decref(rt, m);
    m = pm_memoryview_from_memory(rt, mem, 4, PM_BUF_READ);
    assert_int_equal(pm_memoryview_set_item(rt, m, 3, one), -1);
    mv_check_error(rt, PM_EXC_TypeError, "cannot modify read-only memory");
    pm_decref(rt, m);
    pm_decref(rt, one);
    pm_ssize_t shape[2] = {2, 2};
    pm_buffer info = {.buf = mem, .len = 4, .itemsize = 1, .readonly = 1, .ndim = 2,
                      .format = (char *)(uintptr_t)"b", .shape = shape};
    m = pm_memoryview_from_buffer(rt, &info);
    mv_check_repr(rt, pm_memoryview_tolist(rt, m), "[[1, 2], [3, 9]]");
    mv_check_repr(rt, pm_memoryview_attr(rt, m, "strides"), "(2, 1)");
    pm_decref(rt, m);
    info.buf = NULL;
    assert_null(pm_memoryview_from_buffer(rt, &info));
    mv_check_error(rt, PM_EXC_ValueError, "PyMemoryView_FromBuffer(): info->buf must not be NULL");
    pm_object *i = pm_int_from_long(rt, 3);
    assert_null(pm_memoryview_new(rt, i));
    mv_check_error(rt, PM_EXC_TypeError, "memoryview: a bytes-like object is required, not 'int'");
    pm_decref(rt, i);
    pm_runtime_free(rt);
}

static pm_object *view_of(pm_runtime *rt, const void *data, pm_ssize_t n, const char *fmt) {
    pm_object *b = pm_bytes_new(rt, data, n);
    pm_object *m = pm_memoryview_new(rt, b);
    pm_object *c = pm_memoryview_cast(rt, m, fmt, NULL);
    pm_decref(rt, m);
    pm_decref(rt, b);
    return c;
}

/* Pack then unpack value through a one-item view of format fmt. */
static const char *roundtrip(pm_runtime *rt, const char *fmt, pm_object *value) {
    static char out[4200];
    pm_object *ba = pm_bytearray_new(rt, NULL, 8);
    pm_object *raw = pm_memoryview_new(rt, ba);
    pm_ssize_t size = fmt[strlen(fmt) - 1] == 'e' ? 2 : 0;
    pm_object *m = pm_memoryview_cast(rt, raw, fmt, NULL);
    (void)size;
    if (!m) {
        snprintf(out, sizeof out, "cast: %s", pm_err_message(rt));
        pm_err_clear(rt);
    } else if (pm_memoryview_set_item(rt, m, 0, value) < 0) {
        snprintf(out, sizeof out, "%s: %s", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
        pm_err_clear(rt);
    } else {
        pm_object *r = pm_memoryview_item(rt, m, 0);
        snprintf(out, sizeof out, "%s", mv_repr(rt, r));
        pm_decref(rt, r);
    }
    pm_xdecref(rt, m);
    pm_decref(rt, raw);
    pm_decref(rt, value);
    pm_decref(rt, ba);
    return out;
}

static void test_formats(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
#define F(v) pm_float_new(rt, (v))
#define I(v) pm_int_from_longlong(rt, (v))
    assert_string_equal(roundtrip(rt, "b", I(-128)), "-128");
    assert_string_equal(roundtrip(rt, "b", I(128)), "ValueError: memoryview: invalid value for format 'b'");
    assert_string_equal(roundtrip(rt, "@B", I(255)), "255");
    assert_string_equal(roundtrip(rt, "@B", I(-1)), "ValueError: memoryview: invalid value for format 'B'");
    assert_string_equal(roundtrip(rt, "h", I(-32768)), "-32768");
    assert_string_equal(roundtrip(rt, "H", I(65535)), "65535");
    assert_string_equal(roundtrip(rt, "i", I(-2147483647 - 1)), "-2147483648");
    assert_string_equal(roundtrip(rt, "I", I(4294967295LL)), "4294967295");
    assert_string_equal(roundtrip(rt, "l", I(INT64_MIN)), "-9223372036854775808");
    assert_string_equal(roundtrip(rt, "q", I(INT64_MAX)), "9223372036854775807");
    assert_string_equal(roundtrip(rt, "Q", pm_int_from_ulonglong(rt, UINT64_MAX)), "18446744073709551615");
    assert_string_equal(roundtrip(rt, "L", pm_int_from_ulonglong(rt, UINT64_MAX)), "18446744073709551615");
    assert_string_equal(roundtrip(rt, "n", I(-5)), "-5");
    assert_string_equal(roundtrip(rt, "N", I(-5)), "ValueError: memoryview: invalid value for format 'N'");
    assert_string_equal(roundtrip(rt, "P", I(-1)), "18446744073709551615");
    assert_string_equal(roundtrip(rt, "?", I(7)), "True");
    assert_string_equal(roundtrip(rt, "?", PM_NONE), "False");
    assert_string_equal(roundtrip(rt, "c", pm_bytes_new(rt, "z", 1)), "b'z'");
    assert_string_equal(roundtrip(rt, "c", I(1)), "TypeError: memoryview: invalid type for format 'c'");
    assert_string_equal(roundtrip(rt, "B", F(1.0)), "TypeError: memoryview: invalid type for format 'B'");
    assert_string_equal(roundtrip(rt, "B", PM_TRUE), "1");
    assert_string_equal(roundtrip(rt, "d", I(3)), "3.0");
    assert_string_equal(roundtrip(rt, "f", F(0.1)), "0.10000000149011612");
    assert_string_equal(roundtrip(rt, "f", F(1e300)), "inf");
    assert_string_equal(roundtrip(rt, "f", F(-3.4028235e38)), "-3.4028234663852886e+38");
    assert_string_equal(roundtrip(rt, "d", pm_str_from_cstr(rt, "x")),
                        "TypeError: memoryview: invalid type for format 'd'");
    pm_object *big = pm_int_from_string(rt, "1" "000000000000000000000000000000000000000000000000000000000"
                                            "00000000000000000000000000000000000000000000000000000000000"
                                            "00000000000000000000000000000000000000000000000000000000000"
                                            "00000000000000000000000000000000000000000000000000000000000"
                                            "00000000000000000000000000000000000000000000000000000000000"
                                            "000000000000000000000000000000000000000000000000000000000000", -1, 10);
    assert_string_equal(roundtrip(rt, "d", big), "ValueError: memoryview: invalid value for format 'd'");
    /* half floats, as CPython's PyFloat_Pack2/Unpack2 */
    assert_string_equal(roundtrip(rt, "e", F(1.0)), "1.0");
    assert_string_equal(roundtrip(rt, "e", F(65504.0)), "65504.0");
    assert_string_equal(roundtrip(rt, "e", F(65519.99)), "65504.0");
    assert_string_equal(roundtrip(rt, "e", F(65520.0)), "ValueError: memoryview: invalid value for format 'e'");
    assert_string_equal(roundtrip(rt, "e", F(0.1)), "0.0999755859375");
    /* the smallest subnormal, 2**-24 (checked by value: repr is float.c's job) */
    pm_object *tiny = view_of(rt, "\x01\x00", 2, "e");
    pm_object *t0 = pm_memoryview_item(rt, tiny, 0);
    assert_true(pm_float_value(t0) == ldexp(1.0, -24));
    pm_decref(rt, t0);
    pm_decref(rt, tiny);
    assert_string_equal(roundtrip(rt, "e", F(ldexp(1.0, -26))), "0.0");
    assert_string_equal(roundtrip(rt, "e", F(1.0 + ldexp(1.0, -11))), "1.0");          /* tie: to even */
    assert_string_equal(roundtrip(rt, "e", F(1.0 + 3 * ldexp(1.0, -11))), "1.001953125");
    assert_string_equal(roundtrip(rt, "e", F(-INFINITY)), "-inf");
    assert_string_equal(roundtrip(rt, "e", F(NAN)), "nan");
    assert_string_equal(roundtrip(rt, "e", F(-0.0)), "-0.0");
    assert_string_equal(roundtrip(rt, "e", I(2)), "2.0");
    /* bad formats */
    assert_string_equal(roundtrip(rt, "<i", I(1)),
                        "cast: memoryview: destination format must be a native single character format "
                        "prefixed with an optional '@'");
    assert_string_equal(roundtrip(rt, "@@B", I(1)),
                        "cast: memoryview: destination format must be a native single character format "
                        "prefixed with an optional '@'");
    /* a format memoryview can describe but not unpack */
    char mem[4] = {0};
    pm_buffer info = {.buf = mem, .len = 4, .itemsize = 4, .readonly = 0, .ndim = 1,
                      .format = (char *)(uintptr_t)"<i"};
    pm_object *m = pm_memoryview_from_buffer(rt, &info);
    assert_null(pm_memoryview_tolist(rt, m));
    mv_check_error(rt, PM_EXC_NotImplementedError, "memoryview: unsupported format <i");
    pm_decref(rt, m);
    info.format = (char *)(uintptr_t)"x";
    m = pm_memoryview_from_buffer(rt, &info);
    assert_null(pm_memoryview_item(rt, m, 0));
    mv_check_error(rt, PM_EXC_NotImplementedError, "memoryview: format x not supported");
    pm_decref(rt, m);
#undef F
#undef I
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}


static void test_compare_and_hash(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    double dn[2] = {1.0, NAN};
    pm_object *a = view_of(rt, dn, 16, "d");
    /* NaN != NaN by value, even for the very same view */
    mv_check_repr(rt, pm_richcompare(rt, a, a, PM_EQ), "False");
    mv_check_repr(rt, pm_richcompare(rt, a, a, PM_NE), "True");
    assert_null(pm_richcompare(rt, a, a, PM_LT));
    mv_check_error(rt, PM_EXC_TypeError, "'<' not supported between instances of 'memoryview' and 'memoryview'");
    pm_decref(rt, a);
    /* different formats compare by value: h [1, -1] == b [1, -1] != B [1, 255] */
    int16_t h[2] = {1, -1};
    signed char sb[2] = {1, -1};
    pm_object *vh = view_of(rt, h, 4, "h"), *vb = view_of(rt, sb, 2, "b"), *vB = view_of(rt, sb, 2, "B");
    mv_check_repr(rt, pm_richcompare(rt, vh, vb, PM_EQ), "True");
    mv_check_repr(rt, pm_richcompare(rt, vh, vB, PM_EQ), "False");
    /* with any buffer: bytes are format 'B' */
    pm_object *bytes = pm_bytes_new(rt, "\x01\xff", 2);
    mv_check_repr(rt, pm_richcompare(rt, vB, bytes, PM_EQ), "True");
    mv_check_repr(rt, pm_richcompare(rt, bytes, vB, PM_EQ), "True");   /* reflected */
    mv_check_repr(rt, pm_richcompare(rt, vb, bytes, PM_EQ), "False");
    pm_object *one = pm_int_from_long(rt, 1);
    mv_check_repr(rt, pm_richcompare(rt, vb, one, PM_EQ), "False");     /* not a buffer */
    pm_decref(rt, one);
    /* floats against ints by value; '?' against ints */
    float fl[2] = {1.0f, -1.0f};
    pm_object *vf = view_of(rt, fl, 8, "f");
    mv_check_repr(rt, pm_richcompare(rt, vf, vh, PM_EQ), "True");
    pm_decref(rt, vf);
    unsigned char bo[2] = {1, 0};
    pm_object *vq = view_of(rt, bo, 2, "?");
    pm_object *vu = view_of(rt, bo, 2, "B");
    mv_check_repr(rt, pm_richcompare(rt, vq, vu, PM_EQ), "True");
    pm_decref(rt, vq);
    pm_decref(rt, vu);
    /* standard-size formats from a C exporter compare by value too */
    unsigned char be[4] = {0, 1, 0xff, 0xff};
    pm_buffer info = {.buf = be, .len = 4, .itemsize = 2, .readonly = 1, .ndim = 1,
                      .format = (char *)(uintptr_t)">h"};
    pm_object *vbe = pm_memoryview_from_buffer(rt, &info);
    mv_check_repr(rt, pm_richcompare(rt, vbe, vh, PM_EQ), "True");
    pm_decref(rt, vbe);

    /* hash: read-only views of B, b, c hash like the bytes they hold */
    pm_hash_t hb = pm_hash(rt, bytes);
    pm_object *mb = pm_memoryview_new(rt, bytes);
    assert_true(pm_hash(rt, mb) == hb);
    assert_true(pm_hash(rt, vb) == hb);
    pm_object *stepped = pm_memoryview_slice(rt, mb, PM_SLICE_NONE, PM_SLICE_NONE, -1);
    pm_object *rev = pm_bytes_new(rt, "\xff\x01", 2);
    assert_true(pm_hash(rt, stepped) == pm_hash(rt, rev));
    pm_decref(rt, rev);
    pm_decref(rt, stepped);
    assert_int_equal(pm_hash(rt, vh), -1);
    mv_check_error(rt, PM_EXC_ValueError, "memoryview: hashing is restricted to formats 'B', 'b' or 'c'");
    pm_object *ba = pm_bytearray_new(rt, "ab", 2);
    pm_object *mba = pm_memoryview_new(rt, ba);
    assert_int_equal(pm_hash(rt, mba), -1);
    mv_check_error(rt, PM_EXC_ValueError, "cannot hash writable memoryview object");
    pm_object *ro = pm_memoryview_toreadonly(rt, mba);
    assert_int_equal(pm_hash(rt, ro), -1);
    mv_check_error(rt, PM_EXC_TypeError, "unhashable type: 'bytearray'");
    pm_decref(rt, ro);
    pm_decref(rt, mba);
    pm_decref(rt, ba);
    pm_decref(rt, mb);
    pm_decref(rt, bytes);
    pm_decref(rt, vh);
    pm_decref(rt, vb);
    pm_decref(rt, vB);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

static void test_shapes_and_sizes(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    pm_object *b = pm_bytes_new(rt, "abcdefghijkl", 12);
    pm_object *m = pm_memoryview_new(rt, b);
    assert_int_equal(pm_getsizeof(rt, m), 184);               /* sys.getsizeof(memoryview(b'')) */
    pm_ssize_t shp[3] = {2, 3, 2};
    pm_object *m3 = pm_memoryview_cast_shape(rt, m, "B", shp, 3);
    assert_int_equal(pm_getsizeof(rt, m3), 184 + 6 * 8);
    mv_check_repr(rt, pm_memoryview_tolist(rt, m3),
                  "[[[97, 98], [99, 100], [101, 102]], [[103, 104], [105, 106], [107, 108]]]");
    mv_check_repr(rt, pm_memoryview_tobytes(rt, m3, "F"), "b'agciekbhdjfl'");
    mv_check_repr(rt, pm_memoryview_tobytes(rt, m3, "A"), "b'abcdefghijkl'");
    pm_decref(rt, m3);
    /* 0-dim: mv[()] and mv[...] */
    pm_object *s4 = pm_memoryview_slice(rt, m, 0, 4, 1);
    pm_object *z = pm_memoryview_cast_shape(rt, s4, "i", shp, 0);
    assert_non_null(z);
    mv_check_repr(rt, pm_memoryview_attr(rt, z, "shape"), "()");
    assert_int_equal(pm_length(rt, z), 1);
    pm_object *empty = pm_tuple_from_array(rt, NULL, 0);
    pm_object *item = pm_getitem(rt, z, empty);
    pm_object *again = pm_getitem(rt, z, PM_ELLIPSIS);
    assert_ptr_equal(again, z);
    pm_decref(rt, again);
    mv_check_repr(rt, pm_memoryview_tolist(rt, z), mv_repr(rt, item));
    pm_decref(rt, item);
    pm_object *v = pm_int_from_long(rt, 5);
    assert_int_equal(pm_setitem(rt, z, empty, v), -1);
    mv_check_error(rt, PM_EXC_TypeError, "cannot modify read-only memory");
    assert_null(pm_iter(rt, z));
    mv_check_error(rt, PM_EXC_TypeError, "invalid indexing of 0-dim memory");
    assert_null(pm_getitem(rt, z, v));
    mv_check_error(rt, PM_EXC_TypeError, "invalid indexing of 0-dim memory");
    pm_decref(rt, v);
    pm_decref(rt, empty);
    pm_decref(rt, z);
    pm_decref(rt, s4);
    pm_decref(rt, m);
    pm_decref(rt, b);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

/* A container that holds a memoryview of itself: exporter -> mbuf -> ...
 * mv -> exporter.  Only the collector can free it. */
typedef struct selfref {
    pm_object ob_base;
    pm_object *view;            /* NEW ref or NULL */
    char data[8];
    long *freed;
} selfref;

static int selfref_getbuffer(pm_runtime *rt, pm_object *self, pm_buffer *view, int flags) {
    return pm_buffer_fill_info(rt, view, self, ((selfref *)self)->data, 8, 0, flags);
}
static int selfref_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    selfref *s = (selfref *)self;
    return s->view ? visit(s->view, arg) : 0;
}
static int selfref_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((selfref *)self)->view);
    return 0;
}
static void selfref_dealloc(pm_runtime *rt, pm_object *self) {
    pmi_gc_untrack(rt, self);
    (*((selfref *)self)->freed)++;
    PM_CLEAR(rt, ((selfref *)self)->view);
    pmi_object_free(rt, self);
}
static const pm_type selfref_type = {
    .ob_base = PMI_STATIC_HEAD(&pm_type_type),
    .name = "selfref",
    .basicsize = sizeof(selfref),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .dealloc = selfref_dealloc,
    .traverse = selfref_traverse,
    .clear = selfref_clear,
    .getbuffer = selfref_getbuffer,
};

static void test_cycle_through_exporter(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    long freed = 0;
    selfref *s = (selfref *)pmi_gc_new(rt, &selfref_type);
    s->freed = &freed;
    pmi_gc_track(rt, (pm_object *)s);
    s->view = pm_memoryview_new(rt, (pm_object *)s);
    pm_object *cast = pm_memoryview_cast(rt, s->view, "h", NULL);
    assert_non_null(cast);
    pm_decref(rt, cast);
    pm_decref(rt, (pm_object *)s);
    assert_int_equal(freed, 0);                         /* a cycle: still alive */
    pm_gc_collect(rt, 2);
    assert_int_equal(freed, 1);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

static void test_iteration_and_hex(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    int16_t v[3] = {1, -2, 300};
    pm_object *m = view_of(rt, v, 6, "h");
    pm_object *it = pm_iter(rt, m), *x;
    char buf[64] = "";
    while ((x = pm_iter_next(rt, it)) != NULL) {
        strcat(buf, mv_repr(rt, x));
        strcat(buf, ",");
        pm_decref(rt, x);
    }
    assert_int_equal(pm_err_occurred(rt), PM_EXC_NONE);
    assert_string_equal(buf, "1,-2,300,");
    assert_null(pm_iter_next(rt, it));                  /* stays exhausted */
    pm_decref(rt, it);
    pm_object *b = pm_bytes_new(rt, "\xb9\x01\xef", 3);
    pm_object *mb = pm_memoryview_new(rt, b);
    pm_object *colon = pm_str_from_cstr(rt, ":");
    mv_check_repr(rt, pm_memoryview_hex(rt, mb, NULL, 1), "'b901ef'");
    mv_check_repr(rt, pm_memoryview_hex(rt, mb, colon, 1), "'b9:01:ef'");
    mv_check_repr(rt, pm_memoryview_hex(rt, mb, colon, 2), "'b9:01ef'");
    mv_check_repr(rt, pm_memoryview_hex(rt, mb, colon, -2), "'b901:ef'");
    pm_object *bad = pm_int_from_long(rt, 1);
    assert_null(pm_memoryview_hex(rt, mb, bad, 1));
    mv_check_error(rt, PM_EXC_TypeError, "object of type 'int' has no len()");
    pm_decref(rt, bad);
    mv_check_repr(rt, pm_memoryview_tobytes(rt, mb, NULL), "b'\\xb9\\x01\\xef'");
    assert_null(pm_memoryview_tobytes(rt, mb, "K"));
    mv_check_error(rt, PM_EXC_ValueError, "order must be 'C', 'F' or 'A'");
    char rbuf[64];
    snprintf(rbuf, sizeof rbuf, "<memory at %p>", (void *)mb);
    mv_check_repr(rt, pm_newref(rt, mb), rbuf);
    pm_decref(rt, colon);
    pm_decref(rt, mb);
    pm_decref(rt, b);
    pm_decref(rt, m);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}


/* Keys of every kind, and CPython's answer to each (checked against
 * python3 3.11). */
static void test_keys(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    pm_object *ba = pm_bytearray_new(rt, NULL, 8);
    pm_object *m = pm_memoryview_new(rt, ba);
    pm_ssize_t shp[2] = {2, 4};
    pm_object *m2 = pm_memoryview_cast_shape(rt, m, "B", shp, 2);
    pm_object *rb = pm_bytes_new(rt, "abcd", 4);
    pm_object *r = pm_memoryview_new(rt, rb);
    pm_object *f = pm_float_new(rt, 1.5), *str = pm_str_from_cstr(rt, "a");
    pm_object *zero = pm_int_from_long(rt, 0), *one = pm_int_from_long(rt, 1), *big = pm_int_from_long(rt, 300);
    pm_object *s1 = pm_slice_new(rt, NULL, one, NULL);
    pm_object *tf = pm_tuple_pack(rt, 1, f), *tss = pm_tuple_pack(rt, 2, s1, s1), *ts = pm_tuple_pack(rt, 1, s1);
    pm_object *t01 = pm_tuple_pack(rt, 2, zero, one), *t0 = pm_tuple_pack(rt, 1, zero);
    pm_object *empty = pm_tuple_from_array(rt, NULL, 0);
    const char *bad_key = "memoryview: invalid slice key";
    assert_null(pm_getitem(rt, m, f));
    mv_check_error(rt, PM_EXC_TypeError, bad_key);
    assert_null(pm_getitem(rt, m, str));
    mv_check_error(rt, PM_EXC_TypeError, bad_key);
    assert_null(pm_getitem(rt, m, tf));
    mv_check_error(rt, PM_EXC_TypeError, bad_key);
    assert_null(pm_getitem(rt, m, PM_ELLIPSIS));
    mv_check_error(rt, PM_EXC_TypeError, bad_key);
    assert_null(pm_getitem(rt, m, tss));
    mv_check_error(rt, PM_EXC_NotImplementedError, "multi-dimensional slicing is not implemented");
    assert_null(pm_getitem(rt, m, ts));
    mv_check_error(rt, PM_EXC_NotImplementedError, "multi-dimensional slicing is not implemented");
    assert_null(pm_getitem(rt, m, empty));
    mv_check_error(rt, PM_EXC_NotImplementedError, "sub-views are not implemented");
    assert_int_equal(pm_setitem(rt, m, f, one), -1);
    mv_check_error(rt, PM_EXC_TypeError, bad_key);
    assert_int_equal(pm_setitem(rt, m, PM_ELLIPSIS, one), -1);
    mv_check_error(rt, PM_EXC_TypeError, bad_key);
    assert_int_equal(pm_setitem(rt, m, ts, rb), -1);
    mv_check_error(rt, PM_EXC_NotImplementedError,
                   "memoryview slice assignments are currently restricted to ndim = 1");
    assert_int_equal(pm_setitem(rt, m, t01, one), -1);
    mv_check_error(rt, PM_EXC_TypeError, "cannot index 1-dimension view with 2-element tuple");
    assert_int_equal(pm_setitem(rt, m, empty, one), -1);
    mv_check_error(rt, PM_EXC_NotImplementedError, "sub-views are not implemented");
    assert_int_equal(pm_delitem(rt, m, zero), -1);
    mv_check_error(rt, PM_EXC_TypeError, "cannot delete memory");
    assert_int_equal(pm_delitem(rt, r, zero), -1);
    mv_check_error(rt, PM_EXC_TypeError, "cannot modify read-only memory");
    assert_int_equal(pm_setitem(rt, m2, zero, one), -1);
    mv_check_error(rt, PM_EXC_NotImplementedError, "sub-views are not implemented");
    assert_int_equal(pm_setitem(rt, m2, t0, one), -1);
    mv_check_error(rt, PM_EXC_NotImplementedError, "sub-views are not implemented");
    assert_int_equal(pm_setitem(rt, m2, t01, big), -1);
    mv_check_error(rt, PM_EXC_ValueError, "memoryview: invalid value for format 'B'");
    assert_int_equal(pm_setitem(rt, m2, t01, one), 0);
    mv_check_repr(rt, pm_getitem(rt, m2, t01), "1");
    assert_int_equal(pm_setitem(rt, m, s1, m2), -1);
    mv_check_error(rt, PM_EXC_ValueError, "memoryview assignment: lvalue and rvalue have different structures");
    assert_int_equal(pm_setitem(rt, m, s1, f), -1);
    mv_check_error(rt, PM_EXC_TypeError, "a bytes-like object is required, not 'float'");
    assert_int_equal(pm_memoryview_set_slice(rt, m, 0, 8, 0, rb), -1);
    mv_check_error(rt, PM_EXC_ValueError, "slice step cannot be zero");
    /* mv[::2] = bytes of 4: through the C helper, from the end */
    assert_int_equal(pm_memoryview_set_slice(rt, m, PM_SLICE_NONE, PM_SLICE_NONE, -2, rb), 0);
    mv_check_repr(rt, pm_newref(rt, ba), "bytearray(b'\\x00d\\x00c\\x00b\\x00a')");
    pm_object *objs[] = {f, str, zero, one, big, s1, tf, tss, ts, t01, t0, empty, r, rb, m2, m, ba};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) pm_decref(rt, objs[i]);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

/* weakref.ref(memoryview): views can be weakly referenced (CPython's
 * tp_weaklistoffset).  When a view dies its export is given back before
 * the callback runs (the callback finds the bytearray free to resize); a
 * view in a reference cycle has its weakrefs cleared by the collector
 * before it is cleared, so that callback still sees the export (python3
 * gives the same [True, False]); every byte comes back.
 * data = [bytearray, results...]. */
static int mv_weak_callback(pm_runtime *rt, pm_object *wr, pm_object *data) {
    (void)wr;
    pm_object *ba = pm_list_get(rt, data, 0);
    int ok = pm_bytearray_append(rt, ba, '!') == 0;
    if (!ok) pm_err_clear(rt);
    return pm_list_append(rt, data, ok ? PM_TRUE : PM_FALSE);
}

static void test_weakref_to_view(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    pm_object *ba = pm_bytearray_new(rt, "abc", 3);
    pm_object *data = pm_list_new(rt);
    assert_int_equal(pm_list_append(rt, data, ba), 0);
    pm_object *mv = pm_memoryview_new(rt, ba);
    pm_object *wr = pm_weakref_new(rt, mv, mv_weak_callback, data);
    assert_non_null(wr);
    assert_int_equal(pm_weakref_getcount(rt, mv), 1);
    pm_object *got = pm_weakref_get(rt, wr);
    assert_ptr_equal(got, mv);
    pm_decref(rt, got);
    pm_decref(rt, mv);                                   /* dies: callback */
    assert_int_equal(pm_weakref_is_alive(rt, wr), 0);
    mv_check_repr(rt, pm_newref(rt, data), "[bytearray(b'abc!'), True]");
    pm_decref(rt, wr);
    /* a view in a cycle (a list holding it and itself), found by the collector */
    pm_object *cyc = pm_list_new(rt);
    mv = pm_memoryview_new(rt, ba);
    assert_int_equal(pm_list_append(rt, cyc, mv), 0);
    assert_int_equal(pm_list_append(rt, cyc, cyc), 0);
    wr = pm_weakref_new(rt, mv, mv_weak_callback, data);
    assert_non_null(wr);
    pm_decref(rt, mv);
    pm_decref(rt, cyc);
    assert_int_equal(pm_weakref_is_alive(rt, wr), 1);
    pm_gc_collect(rt, 2);
    assert_int_equal(pm_weakref_is_alive(rt, wr), 0);
    mv_check_repr(rt, pm_newref(rt, data), "[bytearray(b'abc!'), True, False]");
    pm_decref(rt, wr);
    pm_decref(rt, data);
    pm_decref(rt, ba);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_example),
        cmocka_unit_test(test_shared_export),
        cmocka_unit_test(test_keeps_exporter_alive),
        cmocka_unit_test(test_release_and_context),
        cmocka_unit_test(test_getbuffer_requests),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_compare_and_hash),
        cmocka_unit_test(test_shapes_and_sizes),
        cmocka_unit_test(test_cycle_through_exporter),
        cmocka_unit_test(test_iteration_and_hex),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_weakref_to_view),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
