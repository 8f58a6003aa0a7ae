/* The buffer protocol (issue 5): requests and refusals of bytes, bytearray
 * and memoryview for every flag combination, export counting and the
 * refused resize of an exported bytearray, PyBuffer_FillInfo,
 * contiguity, copies to contiguous memory, and C exporters of their own
 * memory: a 2-D non-contiguous grid and a PIL-style indirect array. */
#include <stdlib.h>
#include "mvutil.h"

static void test_bytes_requests(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_object *b = pm_bytes_new(rt, "abc", 3);
    pm_buffer v;

    assert_int_equal(pm_object_check_buffer(b), 1);
    assert_int_equal(pm_object_getbuffer(rt, b, &v, PM_BUF_SIMPLE), 0);
    assert_ptr_equal(v.obj, b);
    assert_int_equal(pm_refcnt(rt, b), 2);              /* the view holds a ref */
    assert_ptr_equal(v.buf, pm_bytes_data(b));
    assert_int_equal(v.len, 3);
    assert_int_equal(v.itemsize, 1);
    assert_int_equal(v.readonly, 1);
    assert_int_equal(v.ndim, 1);
    assert_null(v.format);
    assert_null(v.shape);
    assert_null(v.strides);
    assert_null(v.suboffsets);
    pm_buffer_release(rt, &v);
    assert_null(v.obj);
    assert_int_equal(pm_refcnt(rt, b), 1);
    pm_buffer_release(rt, &v);                          /* second release: no-op */

    assert_int_equal(pm_object_getbuffer(rt, b, &v, PM_BUF_FULL_RO), 0);
    assert_string_equal(v.format, "B");
    assert_ptr_equal(v.shape, &v.len);
    assert_ptr_equal(v.strides, &v.itemsize);
    pm_buffer_release(rt, &v);

    assert_int_equal(pm_object_getbuffer(rt, b, &v, PM_BUF_CONTIG_RO), 0);
    assert_null(v.format);
    assert_non_null(v.shape);
    assert_null(v.strides);
    pm_buffer_release(rt, &v);

    static const int writable[] = {PM_BUF_WRITABLE, PM_BUF_CONTIG, PM_BUF_STRIDED, PM_BUF_RECORDS, PM_BUF_FULL};
    for (size_t i = 0; i < sizeof writable / sizeof *writable; i++) {
        assert_int_equal(pm_object_getbuffer(rt, b, &v, writable[i]), -1);
        mv_check_error(rt, PM_EXC_BufferError, "Object is not writable.");
    }
    assert_int_equal(pm_refcnt(rt, b), 1);
    pm_decref(rt, b);

    pm_object *i = pm_int_from_long(rt, 5);
    assert_int_equal(pm_object_check_buffer(i), 0);
    assert_int_equal(pm_object_getbuffer(rt, i, &v, PM_BUF_SIMPLE), -1);
    mv_check_error(rt, PM_EXC_TypeError, "a bytes-like object is required, not 'int'");
    pm_decref(rt, i);
    pm_runtime_free(rt);
}

static void test_bytearray_exports(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    pm_object *ba = pm_bytearray_new(rt, "hello", 5);
    pm_buffer v1, v2;
    assert_int_equal(pm_object_getbuffer(rt, ba, &v1, PM_BUF_FULL), 0);
    assert_int_equal(v1.readonly, 0);
    assert_int_equal(pm_bytearray_exports(ba), 1);
    assert_int_equal(pm_object_getbuffer(rt, ba, &v2, PM_BUF_WRITABLE), 0);
    assert_int_equal(pm_bytearray_exports(ba), 2);
    ((char *)v1.buf)[0] = 'H';                            /* writes land in the bytearray */
    assert_memory_equal(pm_bytearray_data(ba), "Hello", 5);

    char *data = pm_bytearray_data(ba);
    assert_int_equal(pm_bytearray_resize(rt, ba, 100), -1);
    mv_check_error(rt, PM_EXC_BufferError, "Existing exports of data: object cannot be re-sized");
    assert_int_equal(pm_bytearray_append(rt, ba, 'x'), -1);
    mv_check_error(rt, PM_EXC_BufferError, "Existing exports of data: object cannot be re-sized");
    assert_int_equal(pm_bytearray_extend(rt, ba, "abc", 3), -1);
    mv_check_error(rt, PM_EXC_BufferError, "Existing exports of data: object cannot be re-sized");
    assert_int_equal(pm_bytearray_resize(rt, ba, 2), -1);  /* shrinking too */
    mv_check_error(rt, PM_EXC_BufferError, "Existing exports of data: object cannot be re-sized");
    /* nothing is lost: same memory, same size, same bytes */
    assert_ptr_equal(pm_bytearray_data(ba), data);
    assert_int_equal(pm_bytearray_size(ba), 5);
    assert_memory_equal(pm_bytearray_data(ba), "Hello", 5);

    pm_buffer_release(rt, &v1);
    assert_int_equal(pm_bytearray_resize(rt, ba, 6), -1);  /* one export left */
    pm_err_clear(rt);
    pm_buffer_release(rt, &v2);
    assert_int_equal(pm_bytearray_exports(ba), 0);
    assert_int_equal(pm_bytearray_append(rt, ba, '!'), 0);
    assert_memory_equal(pm_bytearray_data(ba), "Hello!", 6);

    /* an empty bytearray exports a valid zero-length buffer */
    pm_object *e = pm_bytearray_new(rt, NULL, 0);
    assert_int_equal(pm_object_getbuffer(rt, e, &v1, PM_BUF_FULL), 0);
    assert_non_null(v1.buf);
    assert_int_equal(v1.len, 0);
    pm_buffer_release(rt, &v1);
    pm_decref(rt, e);
    pm_decref(rt, ba);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

static void test_fill_info(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    char mem[8] = "raw";
    pm_buffer v;
    assert_int_equal(pm_buffer_fill_info(rt, &v, NULL, mem, 8, 0, PM_BUF_RECORDS), 0);
    assert_null(v.obj);
    assert_string_equal(v.format, "B");
    assert_int_equal(*v.shape, 8);
    assert_int_equal(*v.strides, 1);
    pm_buffer_release(rt, &v);                          /* obj NULL: nothing to do */
    assert_int_equal(pm_buffer_fill_info(rt, &v, NULL, mem, 8, 1, PM_BUF_WRITABLE), -1);
    mv_check_error(rt, PM_EXC_BufferError, "Object is not writable.");
    assert_int_equal(pm_buffer_fill_info(rt, &v, NULL, mem, 8, 1, PM_BUF_READ), -1);
    assert_int_equal(pm_err_kind(rt), PM_EXC_SystemError);
    pm_err_clear(rt);
    assert_int_equal(pm_buffer_fill_info(rt, NULL, NULL, mem, 8, 1, PM_BUF_SIMPLE), -1);
    mv_check_error(rt, PM_EXC_BufferError, "PyBuffer_FillInfo: view==NULL argument is obsolete");
    pm_runtime_free(rt);
}

static void test_contiguity(void **state) {
    (void)state;
    pm_ssize_t shape[3] = {2, 3, 4}, cs[3], fs[3];
    pm_buffer_fill_contiguous_strides(3, shape, cs, 2, 'C');
    pm_buffer_fill_contiguous_strides(3, shape, fs, 2, 'F');
    assert_int_equal(cs[0], 24);
    assert_int_equal(cs[1], 8);
    assert_int_equal(cs[2], 2);
    assert_int_equal(fs[0], 2);
    assert_int_equal(fs[1], 4);
    assert_int_equal(fs[2], 12);
    pm_buffer v = {.len = 48, .itemsize = 2, .ndim = 3, .shape = shape, .strides = cs};
    assert_true(pm_buffer_is_contiguous(&v, 'C'));
    assert_false(pm_buffer_is_contiguous(&v, 'F'));
    assert_true(pm_buffer_is_contiguous(&v, 'A'));
    v.strides = fs;
    assert_false(pm_buffer_is_contiguous(&v, 'C'));
    assert_true(pm_buffer_is_contiguous(&v, 'F'));
    assert_true(pm_buffer_is_contiguous(&v, 'A'));
    assert_false(pm_buffer_is_contiguous(&v, 'X'));
    pm_ssize_t odd[3] = {48, 16, 4};
    v.strides = odd;
    assert_false(pm_buffer_is_contiguous(&v, 'A'));
    v.strides = NULL;                                   /* NULL strides: C by definition */
    assert_true(pm_buffer_is_contiguous(&v, 'C'));
    assert_false(pm_buffer_is_contiguous(&v, 'F'));
    pm_ssize_t one[3] = {1, 1, 4};
    v.shape = one;
    assert_true(pm_buffer_is_contiguous(&v, 'F'));      /* one dimension > 1 */
    v.len = 0;
    v.strides = odd;
    assert_true(pm_buffer_is_contiguous(&v, 'C'));      /* empty: contiguous */
    pm_ssize_t sub[3] = {-1, -1, -1};
    v.suboffsets = sub;
    assert_false(pm_buffer_is_contiguous(&v, 'C'));     /* suboffsets: never */
}

static void test_grid_exporter(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    long freed = 0;
    pm_object *g = grid_new(rt, &freed);
    grid *gr = (grid *)g;
    pm_buffer v;

    /* the exporter refuses what it cannot give, with its own error */
    assert_int_equal(pm_object_getbuffer(rt, g, &v, PM_BUF_SIMPLE), -1);
    mv_check_error(rt, PM_EXC_BufferError, "grid: strided request required");
    assert_int_equal(pm_object_getbuffer(rt, g, &v, PM_BUF_C_CONTIGUOUS), -1);
    mv_check_error(rt, PM_EXC_BufferError, "grid: not contiguous");
    assert_int_equal(gr->exports, 0);

    /* a strided consumer gets it and can copy it out in C and F order */
    assert_int_equal(pm_object_getbuffer(rt, g, &v, PM_BUF_RECORDS), 0);
    assert_int_equal(gr->exports, 1);
    assert_false(pm_buffer_is_contiguous(&v, 'A'));
    int32_t c[12], f[12];
    assert_int_equal(pm_buffer_to_contiguous(rt, c, &v, 48, 'C'), 0);
    assert_int_equal(pm_buffer_to_contiguous(rt, f, &v, 48, 'F'), 0);
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 3; j++) {
            assert_int_equal(c[i * 3 + j], i * 6 + j * 2);
            assert_int_equal(f[j * 4 + i], i * 6 + j * 2);
        }
    }
    assert_int_equal(pm_buffer_to_contiguous(rt, c, &v, 47, 'C'), -1);
    mv_check_error(rt, PM_EXC_ValueError, "PyBuffer_ToContiguous: len != view->len");
    pm_buffer_release(rt, &v);
    assert_int_equal(gr->exports, 0);

    /* memoryview over it: 2-D, non-contiguous, values by stride */
    pm_object *mv = pm_memoryview_new(rt, g);
    assert_non_null(mv);
    assert_int_equal(gr->exports, 1);
    mv_check_repr(rt, pm_memoryview_attr(rt, mv, "shape"), "(4, 3)");
    mv_check_repr(rt, pm_memoryview_attr(rt, mv, "strides"), "(24, 8)");
    mv_check_repr(rt, pm_memoryview_attr(rt, mv, "ndim"), "2");
    mv_check_repr(rt, pm_memoryview_attr(rt, mv, "format"), "'i'");
    mv_check_repr(rt, pm_memoryview_attr(rt, mv, "nbytes"), "48");
    mv_check_repr(rt, pm_memoryview_attr(rt, mv, "c_contiguous"), "False");
    mv_check_repr(rt, pm_memoryview_attr(rt, mv, "f_contiguous"), "False");
    mv_check_repr(rt, pm_memoryview_attr(rt, mv, "contiguous"), "False");
    mv_check_repr(rt, pm_memoryview_attr(rt, mv, "suboffsets"), "()");
    mv_check_repr(rt, pm_memoryview_tolist(rt, mv), "[[0, 2, 4], [6, 8, 10], [12, 14, 16], [18, 20, 22]]");
    pm_ssize_t idx[2] = {2, 1};
    mv_check_repr(rt, pm_memoryview_item_multi(rt, mv, idx, 2), "14");
    idx[1] = -1;
    mv_check_repr(rt, pm_memoryview_item_multi(rt, mv, idx, 2), "16");
    idx[1] = 3;
    assert_null(pm_memoryview_item_multi(rt, mv, idx, 2));
    mv_check_error(rt, PM_EXC_IndexError, "index out of bounds on dimension 2");
    assert_null(pm_memoryview_item_multi(rt, mv, idx, 1));
    mv_check_error(rt, PM_EXC_NotImplementedError, "sub-views are not implemented");
    pm_ssize_t three[3] = {0, 0, 0};
    assert_null(pm_memoryview_item_multi(rt, mv, three, 3));
    mv_check_error(rt, PM_EXC_TypeError, "cannot index 2-dimension view with 3-element tuple");
    assert_null(pm_memoryview_item(rt, mv, 0));
    mv_check_error(rt, PM_EXC_NotImplementedError, "multi-dimensional sub-views are not implemented");

    /* writes through the view land in the exporter's matrix */
    pm_object *key = pm_tuple_pack(rt, 2, pm_int_from_long(rt, 1), pm_int_from_long(rt, 2));
    pm_object *val = pm_int_from_long(rt, -7);
    assert_int_equal(pm_setitem(rt, mv, key, val), 0);
    assert_int_equal(gr->cells[1 * 6 + 4], -7);
    pm_decref(rt, key);
    pm_decref(rt, val);

    /* tobytes gathers the strided items; hex too */
    pm_object *bytes = pm_memoryview_tobytes(rt, mv, "C");
    assert_int_equal(pm_bytes_size(bytes), 48);
    int32_t got[12];
    memcpy(got, pm_bytes_data(bytes), 48);
    assert_int_equal(got[5], -7);
    assert_int_equal(got[11], 22);
    pm_decref(rt, bytes);
    bytes = pm_memoryview_tobytes(rt, mv, "F");
    memcpy(got, pm_bytes_data(bytes), 48);
    assert_int_equal(got[1], 6);                        /* column-major: (1, 0) second */
    pm_decref(rt, bytes);
    bytes = pm_memoryview_tobytes(rt, mv, "A");         /* non-contiguous: as C */
    memcpy(got, pm_bytes_data(bytes), 48);
    assert_int_equal(got[1], 2);
    pm_decref(rt, bytes);
    pm_object *hx = pm_memoryview_hex(rt, mv, NULL, 1);
    assert_true(strncmp(pm_str_as_utf8(rt, hx, NULL), "000000000200000004000000", 24) == 0);
    pm_decref(rt, hx);

    /* casts need C-contiguity; a slice of the first dimension is a view */
    assert_null(pm_memoryview_cast(rt, mv, "B", NULL));
    mv_check_error(rt, PM_EXC_TypeError, "memoryview: casts are restricted to C-contiguous views");
    pm_object *half = pm_memoryview_slice(rt, mv, PM_SLICE_NONE, PM_SLICE_NONE, 2);
    mv_check_repr(rt, pm_memoryview_tolist(rt, half), "[[0, 2, 4], [12, 14, 16]]");
    mv_check_repr(rt, pm_memoryview_attr(rt, half, "strides"), "(48, 8)");
    assert_int_equal(gr->exports, 1);                   /* one export for all views */

    /* equality by value with a contiguous copy of another format layout */
    pm_object *copy = pm_memoryview_tobytes(rt, mv, NULL);
    pm_object *cm = pm_memoryview_new(rt, copy);
    pm_ssize_t shp[2] = {4, 3};
    pm_object *cm2 = pm_memoryview_cast_shape(rt, cm, "i", shp, 2);
    mv_check_repr(rt, pm_richcompare(rt, mv, cm2, PM_EQ), "True");
    mv_check_repr(rt, pm_richcompare(rt, cm2, mv, PM_NE), "False");
    mv_check_repr(rt, pm_richcompare(rt, half, cm2, PM_EQ), "False");
    pm_decref(rt, cm2);
    pm_decref(rt, cm);
    pm_decref(rt, copy);

    /* exporting the memoryview again: the strided request works, a simple
     * one is refused as CPython does */
    assert_int_equal(pm_object_getbuffer(rt, mv, &v, PM_BUF_SIMPLE), -1);
    mv_check_error(rt, PM_EXC_BufferError, "memoryview: underlying buffer is not C-contiguous");
    assert_int_equal(pm_object_getbuffer(rt, mv, &v, PM_BUF_ANY_CONTIGUOUS), -1);
    mv_check_error(rt, PM_EXC_BufferError, "memoryview: underlying buffer is not contiguous");
    assert_int_equal(pm_object_getbuffer(rt, mv, &v, PM_BUF_FULL), 0);
    assert_ptr_equal(v.obj, mv);
    assert_int_equal(pm_memoryview_release(rt, mv), -1);
    mv_check_error(rt, PM_EXC_BufferError, "memoryview has 1 exported buffer");
    pm_buffer_release(rt, &v);

    /* the view keeps the exporter alive */
    pm_decref(rt, g);
    assert_int_equal(freed, 0);
    mv_check_repr(rt, pm_memoryview_item_multi(rt, mv, (pm_ssize_t[]){3, 2}, 2), "22");
    pm_decref(rt, half);
    assert_int_equal(pm_memoryview_release(rt, mv), 0);
    assert_int_equal(freed, 1);                         /* last view released: export gone */
    pm_decref(rt, mv);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

static void test_pil_exporter(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    size_t before = mv_blocks(rt);
    pm_object *p = pil_new(rt);
    pm_object *mv = pm_memoryview_new(rt, p);
    assert_non_null(mv);
    mv_check_repr(rt, pm_memoryview_attr(rt, mv, "suboffsets"), "(0, -1)");
    mv_check_repr(rt, pm_memoryview_attr(rt, mv, "contiguous"), "False");
    mv_check_repr(rt, pm_memoryview_tolist(rt, mv), "[[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23]]");
    mv_check_repr(rt, pm_memoryview_tobytes(rt, mv, NULL),
                  "b'\\x00\\x01\\x02\\x03\\n\\x0b\\x0c\\r\\x14\\x15\\x16\\x17'");
    mv_check_repr(rt, pm_memoryview_item_multi(rt, mv, (pm_ssize_t[]){2, 1}, 2), "21");
    pm_object *rev = pm_memoryview_slice(rt, mv, PM_SLICE_NONE, PM_SLICE_NONE, -1);
    mv_check_repr(rt, pm_memoryview_tolist(rt, rev), "[[20, 21, 22, 23], [10, 11, 12, 13], [0, 1, 2, 3]]");
    pm_buffer v;
    assert_int_equal(pm_object_getbuffer(rt, mv, &v, PM_BUF_STRIDED_RO), -1);
    mv_check_error(rt, PM_EXC_BufferError, "memoryview: underlying buffer requires suboffsets");
    pm_decref(rt, rev);
    pm_decref(rt, mv);
    pm_decref(rt, p);
    assert_int_equal(mv_blocks(rt), before);
    pm_runtime_free(rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes_requests),
        cmocka_unit_test(test_bytearray_exports),
        cmocka_unit_test(test_fill_info),
        cmocka_unit_test(test_contiguity),
        cmocka_unit_test(test_grid_exporter),
        cmocka_unit_test(test_pil_exporter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
