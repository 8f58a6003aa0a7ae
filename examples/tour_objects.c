/*
 * tour_objects.c — the seed's Reference Counting, Object Memory Layout and
 * Memory Optimization parts of the C tour (`make run`), through the C API.
 *
 *   x = []; sys.getrefcount(x) -> 2; y = x -> 3; del y -> 2
 *   sys.getsizeof(5), ([]), (object()) ...
 *   small ints are shared, strings can be interned, __slots__ drop the dict
 *
 * pm_tour_objects(rt, out) prints the tour; returns 0, or -1 if something
 * did not behave as shown (the demo then fails).
 */
#include <stdio.h>
#include "pymm.h"

int pm_tour_objects(pm_runtime *rt, FILE *out);

/* getsizeof of a borrowed object, printed after a label. */
static void size_line(pm_runtime *rt, FILE *out, const char *expr, pm_object *o) {
    fprintf(out, "  sys.getsizeof(%-16s -> %zu\n", expr, pm_getsizeof(rt, o));
}

int pm_tour_objects(pm_runtime *rt, FILE *out) {
    int rc = -1;
    pm_object *x = NULL, *five = NULL, *obj = NULL, *a = NULL, *b = NULL;
    pm_object *s1 = NULL, *s2 = NULL, *i1 = NULL, *i2 = NULL;
    pm_object *plain = NULL, *slim = NULL, *p = NULL, *q = NULL, *one = NULL, *two = NULL;

    fprintf(out, "== Reference counting ==\n");
    if (!(x = pm_list_new(rt))) goto done;
    /* sys.getrefcount(x) reports one more: its own argument. */
    fprintf(out, "  x = []; sys.getrefcount(x)      -> %ld\n", (long)pm_refcnt(rt, x) + 1);
    pm_object *y = pm_newref(rt, x);
    fprintf(out, "  y = x;  sys.getrefcount(x)      -> %ld\n", (long)pm_refcnt(rt, x) + 1);
    pm_decref(rt, y);
    fprintf(out, "  del y;  sys.getrefcount(x)      -> %ld\n", (long)pm_refcnt(rt, x) + 1);

    fprintf(out, "\n== Object memory layout ==\n");
    if (!(five = pm_int_from_long(rt, 5)) || !(obj = pm_object_new(rt))) goto done;
    size_line(rt, out, "5)", five);
    size_line(rt, out, "[])", x);
    size_line(rt, out, "object())", obj);
    fprintf(out, "  (16-byte header: refcount + type; gc objects carry 16 more in front)\n");

    fprintf(out, "\n== Memory optimization ==\n");
    if (!(a = pm_int_from_long(rt, 256)) || !(b = pm_int_from_long(rt, 256))) goto done;
    fprintf(out, "  a = 256; b = 256; a is b          -> %s\n", a == b ? "True" : "False");
    pm_decref(rt, a);
    pm_decref(rt, b);
    if (!(a = pm_int_from_long(rt, 257)) || !(b = pm_int_from_long(rt, 257))) goto done;
    fprintf(out, "  a = 257; b = 257; a is b          -> %s   (-5..256 are cached)\n", a == b ? "True" : "False");
    if (!(s1 = pm_str_from_cstr(rt, "hello world")) || !(s2 = pm_str_from_cstr(rt, "hello world"))) goto done;
    fprintf(out, "  two 'hello world' strings: is     -> %s\n", s1 == s2 ? "True" : "False");
    if (!(i1 = pm_str_intern(rt, s1)) || !(i2 = pm_str_intern(rt, s2))) goto done;
    fprintf(out, "  sys.intern() of both: is          -> %s\n", i1 == i2 ? "True" : "False");

    const char *const slots[] = {"x", "y"};
    if (!(plain = pm_class_new(rt, "__main__.Plain", NULL, 0))) goto done;
    if (!(slim = pm_class_new(rt, "__main__.Slim", slots, 2))) goto done;
    if (!(p = pm_instance_new(rt, plain)) || !(q = pm_instance_new(rt, slim))) goto done;
    if (!(one = pm_int_from_long(rt, 1)) || !(two = pm_int_from_long(rt, 2))) goto done;
    if (pm_instance_setattr_cstr(rt, q, "x", one) < 0 || pm_instance_setattr_cstr(rt, q, "y", two) < 0) goto done;
    size_line(rt, out, "Plain())", p);
    size_line(rt, out, "Slim(1, 2))", q);
    if (pm_instance_setattr_cstr(rt, q, "z", one) == 0) goto done; /* must be refused */
    fprintf(out, "  s.z = 3                           -> %s: %s\n", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
    pm_err_clear(rt);
    rc = 0;
done:
    if (rc < 0 && pm_err_occurred(rt)) fprintf(out, "  failed: %s: %s\n", pm_exc_name(pm_err_kind(rt)), pm_err_message(rt));
    pm_xdecref(rt, x);
    pm_xdecref(rt, five);
    pm_xdecref(rt, obj);
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    pm_xdecref(rt, s1);
    pm_xdecref(rt, s2);
    pm_xdecref(rt, i1);
    pm_xdecref(rt, i2);
    pm_xdecref(rt, p);
    pm_xdecref(rt, q);
    pm_xdecref(rt, plain);
    pm_xdecref(rt, slim);
    pm_xdecref(rt, one);
    pm_xdecref(rt, two);
    return rc;
}
