/*
 * tour_memoryview.c — the seed's "Memory Views" part of the C tour
 * (`make run`): zero-copy access to a bytearray through a memoryview.
 *
 *   data = bytearray(b'hello')
 *   view = memoryview(data)
 *   print(view[0])  # Output: 104 (ASCII for 'h')
 *   view[0] = 72    # Change 'h' to 'H'
 *   print(data)     # Output: bytearray(b'Hello')
 *
 * and then what the buffer protocol guarantees: while the view exists the
 * bytearray cannot be resized (its memory must not move under the view),
 * the refusal loses nothing, and after view.release() it can grow again.
 *
 * pm_tour_memoryview(rt, out) prints the tour to out; returns 0, or -1 if
 * something did not behave as shown (the demo then fails).
 */
#include <stdio.h>
#include "pymm.h"

int pm_tour_memoryview(pm_runtime *rt, FILE *out);

/* repr(o) printed after a label; o is borrowed. */
static int show(pm_runtime *rt, FILE *out, const char *label, pm_object *o) {
    pm_object *r = o ? pm_repr(rt, o) : NULL;
    if (!r) return -1;
    fprintf(out, "  %-34s -> %s\n", label, pm_str_as_utf8(rt, r, NULL));
    pm_decref(rt, r);
    return 0;
}

int pm_tour_memoryview(pm_runtime *rt, FILE *out) {
    int rc = -1;
    pm_object *data = NULL, *view = NULL, *item = NULL, *h = NULL, *part = NULL;
    fprintf(out, "== Memory views: zero-copy access through the buffer protocol ==\n");
    if (!(data = pm_bytearray_new(rt, "hello", 5))) goto done;
    if (show(rt, out, "data = bytearray(b'hello')", data) < 0) goto done;
    if (!(view = pm_memoryview_new(rt, data))) goto done;
    fprintf(out, "  %-34s    (data's exports: %ld)\n", "view = memoryview(data)", (long)pm_bytearray_exports(data));
    if (!(item = pm_memoryview_item(rt, view, 0))) goto done;
    if (show(rt, out, "view[0]  # ASCII for 'h'", item) < 0) goto done;
    if (!(h = pm_int_from_long(rt, 72))) goto done;
    if (pm_memoryview_set_item(rt, view, 0, h) < 0) goto done;
    fprintf(out, "  %-34s    (written through the view)\n", "view[0] = 72  # 'h' -> 'H'");
    if (show(rt, out, "data", data) < 0) goto done;
    if (!(part = pm_memoryview_slice(rt, view, 1, 4, 1))) goto done;
    fprintf(out, "  %-34s    (view[1:4] starts at data+1: %s, no copy)\n", "view[1:4]",
            pm_memoryview_buffer(part)->buf == pm_bytearray_data(data) + 1 ? "yes" : "NO");
    pm_decref(rt, part);
    part = NULL;
    if (pm_bytearray_append(rt, data, '!') == 0) goto done;   /* must be refused */
    fprintf(out, "  %-34s -> %s: %s\n", "data.append(33)  # view alive", pm_exc_name(pm_err_kind(rt)),
            pm_err_message(rt));
    pm_err_clear(rt);
    if (show(rt, out, "data  # nothing lost", data) < 0) goto done;
    if (pm_memoryview_release(rt, view) < 0) goto done;
    fprintf(out, "  %-34s    (data's exports: %ld)\n", "view.release()", (long)pm_bytearray_exports(data));
    if (pm_bytearray_append(rt, data, '!') < 0) goto done;
    if (show(rt, out, "data.append(33); data", data) < 0) goto done;
    rc = 0;
done:
    if (rc < 0 && pm_err_occurred(rt)) {
        fprintf(out, "  unexpected: %s: %s\n", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
        pm_err_clear(rt);
    }
    pm_xdecref(rt, part);
    pm_xdecref(rt, h);
    pm_xdecref(rt, item);
    pm_xdecref(rt, view);
    pm_xdecref(rt, data);
    return rc;
}
