/*
 * interp/mod_time.c — the `time` module (CPython 3.11's Modules/timemodule.c
 * at the Python level), over POSIX clocks.
 *
 * Purpose
 *   Clocks (time, monotonic, perf_counter, process_time and their _ns
 *   forms), sleep, the broken-down time struct_time (gmtime, localtime,
 *   mktime, asctime, ctime, strftime) and the zone constants.
 *
 * struct_time
 *   CPython's struct_time is a "struct sequence": a tuple of 9 visible
 *   items with named fields plus two fields only reachable by name
 *   (tm_zone, tm_gmtoff).  Here it is its own small type holding a tuple of
 *   the 11 values; len, indexing, ==, iteration and repr behave as the
 *   tuple of the 9 visible items:
 *
 *       struct_time ──items──▶ (2024, 1, 31, 12, 0, 0, 2, 31, 0, 'UTC', 0)
 *                               \__________ visible: 9 __________/
 *
 *   repr: time.struct_time(tm_year=2024, tm_mon=1, ..., tm_isdst=0).
 *
 * Zone constants follow CPython's init_timezone: localtime() at the start
 * of the current year and half a year later gives January's and July's
 * offsets and names; the larger offset west of UTC is `timezone`.
 *
 * Not yet: struct_time(...) construction from Python, clock_gettime,
 * get_clock_info, thread_time, strptime, tzset.
 */
#define _GNU_SOURCE 1
#include "modules.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- clocks ---------------------------------------------------------------------- */

static long long clock_ns(clockid_t id) {
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) return 0;
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static pm_object *ns_as_float(pm_runtime *rt, long long ns) { return pm_float_new(rt, (double)ns * 1e-9); }

#define CLOCK_FNS(name, id)                                                                  \
    static pm_object *t_##name(pm_runtime *rt, pm_object *self, pm_object *const *args,       \
                               pm_ssize_t nargs) {                                           \
        (void)self;                                                                          \
        (void)args;                                                                          \
        if (nargs != 0) {                                                                    \
            pm_err_format(rt, PM_EXC_TypeError, "time." #name "() takes no arguments (%zd given)", nargs); \
            return NULL;                                                                     \
        }                                                                                    \
        return ns_as_float(rt, clock_ns(id));                                                \
    }                                                                                        \
    static pm_object *t_##name##_ns(pm_runtime *rt, pm_object *self, pm_object *const *args,  \
                                    pm_ssize_t nargs) {                                      \
        (void)self;                                                                          \
        (void)args;                                                                          \
        if (nargs != 0) {                                                                    \
            pm_err_format(rt, PM_EXC_TypeError, "time." #name "_ns() takes no arguments (%zd given)", nargs); \
            return NULL;                                                                     \
        }                                                                                    \
        return pm_int_from_longlong(rt, clock_ns(id));                                       \
    }
CLOCK_FNS(time, CLOCK_REALTIME)
CLOCK_FNS(monotonic, CLOCK_MONOTONIC)
CLOCK_FNS(perf_counter, CLOCK_MONOTONIC)
CLOCK_FNS(process_time, CLOCK_PROCESS_CPUTIME_ID)

static pm_object *t_sleep(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs != 1) {
        pm_err_format(rt, PM_EXC_TypeError, "time.sleep() takes exactly one argument (%zd given)", nargs);
        return NULL;
    }
    double secs;
    if (!pm_float_check(args[0]) && !pm_int_check(args[0])) {
        pm_err_format(rt, PM_EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                      pm_type_name(pm_type_of(args[0])));
        return NULL;
    }
    if (pmi_mod_to_double(rt, args[0], &secs) < 0) return NULL;
    if (isnan(secs)) {
        pm_err_set(rt, PM_EXC_ValueError, "Invalid value NaN (not a number)");
        return NULL;
    }
    if (secs < 0) {
        pm_err_set(rt, PM_EXC_ValueError, "sleep length must be non-negative");
        return NULL;
    }
    struct timespec ts;
    ts.tv_sec = (time_t)secs;
    ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    return PM_NONE;
}

/* ---- struct_time -------------------------------------------------------------------- */

enum { ST_VISIBLE = 9, ST_FIELDS = 11 };
static const char *const st_names[ST_FIELDS] = {"tm_year", "tm_mon",  "tm_mday",  "tm_hour", "tm_min",   "tm_sec",
                                                "tm_wday", "tm_yday", "tm_isdst", "tm_zone", "tm_gmtoff"};

typedef struct st_object {
    pm_object ob_base;              /* refcount + type */
    pm_object *items;               /* owned: tuple of the 11 field values */
} st_object;

extern const pm_type pmi_struct_time_type;

static pm_object *st_from_tm(pm_runtime *rt, const struct tm *tm) {
    long v[ST_VISIBLE] = {tm->tm_year + 1900L, tm->tm_mon + 1L, tm->tm_mday, tm->tm_hour, tm->tm_min,
                          tm->tm_sec, (tm->tm_wday + 6L) % 7, tm->tm_yday + 1L, tm->tm_isdst};
    pm_object *l = pm_list_new(rt), *t = NULL;
    for (int i = 0; l && i < ST_VISIBLE; i++) {
        pm_object *x = pm_int_from_long(rt, v[i]);
        if (!x || pm_list_append(rt, l, x) < 0) PM_CLEAR(rt, l);
        pm_xdecref(rt, x);
    }
    pm_object *zone = l ? (tm->tm_zone ? pm_str_from_cstr(rt, tm->tm_zone) : pm_newref(rt, PM_NONE)) : NULL;
    pm_object *off = zone ? pm_int_from_long(rt, tm->tm_gmtoff) : NULL;
    if (off && pm_list_append(rt, l, zone) == 0 && pm_list_append(rt, l, off) == 0) t = pm_list_as_tuple(rt, l);
    pm_xdecref(rt, zone);
    pm_xdecref(rt, off);
    pm_xdecref(rt, l);
    if (!t) return NULL;
    st_object *s = (st_object *)pm_gc_new(rt, &pmi_struct_time_type);
    if (!s) {
        pm_decref(rt, t);
        return NULL;
    }
    s->items = t;
    pm_gc_track(rt, (pm_object *)s);
    return (pm_object *)s;
}

static void st_dealloc(pm_runtime *rt, pm_object *self) {
    pm_gc_untrack(rt, self);
    PM_CLEAR(rt, ((st_object *)self)->items);
    pm_gc_del(rt, self);
}

static int st_traverse(pm_object *self, pm_visitproc visit, void *arg) {
    st_object *s = (st_object *)self;
    return s->items ? visit(s->items, arg) : 0;
}

static int st_clear(pm_runtime *rt, pm_object *self) {
    PM_CLEAR(rt, ((st_object *)self)->items);
    return 0;
}

/* The 9 visible items as a tuple: new ref. */
static pm_object *st_visible(pm_runtime *rt, pm_object *self) {
    pm_object *t = ((st_object *)self)->items;
    pm_object *vals[ST_VISIBLE];
    for (int i = 0; i < ST_VISIBLE; i++) vals[i] = pm_tuple_get(rt, t, i);
    return pm_tuple_from_array(rt, vals, ST_VISIBLE);
}

static pm_object *st_repr(pm_runtime *rt, pm_object *self) {
    pm_object *t = ((st_object *)self)->items;
    char buf[512];
    size_t n = (size_t)snprintf(buf, sizeof buf, "time.struct_time(");
    for (int i = 0; i < ST_VISIBLE; i++) {
        pm_object *r = pm_repr(rt, pm_tuple_get(rt, t, i));
        const char *s = r ? pm_str_as_utf8(rt, r, NULL) : NULL;
        if (!s) {
            pm_xdecref(rt, r);
            return NULL;
        }
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s=%s", i ? ", " : "", st_names[i], s);
        pm_decref(rt, r);
        if (n >= sizeof buf - 2) break;
    }
    snprintf(buf + n, sizeof buf - n, ")");
    return pm_str_from_cstr(rt, buf);
}

static pm_object *st_getattr(pm_runtime *rt, pm_object *self, pm_object *name) {
    for (int i = 0; i < ST_FIELDS; i++)
        if (pm_str_check(name) && pm_str_equal_cstr(name, st_names[i]))
            return pm_newref(rt, pm_tuple_get(rt, ((st_object *)self)->items, i));
    return pm_object_generic_getattr(rt, self, name);
}

static pm_ssize_t st_length(pm_runtime *rt, pm_object *self) {
    (void)rt;
    (void)self;
    return ST_VISIBLE;
}

static pm_object *st_item(pm_runtime *rt, pm_object *self, pm_ssize_t i) {
    if (i < 0 || i >= ST_VISIBLE) {
        pm_err_set(rt, PM_EXC_IndexError, "tuple index out of range");
        return NULL;
    }
    return pm_newref(rt, pm_tuple_get(rt, ((st_object *)self)->items, i));
}

static pm_object *st_subscript(pm_runtime *rt, pm_object *self, pm_object *key) {
    pm_object *vis = st_visible(rt, self);
    pm_object *r = vis ? pm_getitem(rt, vis, key) : NULL;
    pm_xdecref(rt, vis);
    return r;
}

static pm_object *st_iter(pm_runtime *rt, pm_object *self) {
    pm_object *vis = st_visible(rt, self);
    pm_object *r = vis ? pm_iter(rt, vis) : NULL;
    pm_xdecref(rt, vis);
    return r;
}

static pm_object *st_richcompare(pm_runtime *rt, pm_object *a, pm_object *b, int op) {
    pm_object *x = pm_type_of(a) == &pmi_struct_time_type ? st_visible(rt, a) : pm_newref(rt, a);
    pm_object *y = x ? (pm_type_of(b) == &pmi_struct_time_type ? st_visible(rt, b) : pm_newref(rt, b)) : NULL;
    pm_object *r = y ? pm_richcompare(rt, x, y, op) : NULL;
    pm_xdecref(rt, x);
    pm_xdecref(rt, y);
    return r;
}

static const pm_sequence_methods st_as_sequence = {
    .sq_length = st_length,
    .sq_item = st_item,
};
static const pm_mapping_methods st_as_mapping = {
    .mp_length = st_length,
    .mp_subscript = st_subscript,
};

const pm_type pmi_struct_time_type = {
    .ob_base = {PM_IMMORTAL_REFCNT, &pm_type_type},
    .name = "time.struct_time",
    .basicsize = sizeof(st_object),
    .flags = PM_TPFLAGS_STATIC | PM_TPFLAGS_GC,
    .base = &pm_object_type,
    .doc = "The time value as returned by gmtime(), localtime(), and strptime()",
    .dealloc = st_dealloc,
    .traverse = st_traverse,
    .clear = st_clear,
    .repr = st_repr,
    .richcompare = st_richcompare,
    .getattr = st_getattr,
    .as_sequence = &st_as_sequence,
    .as_mapping = &st_as_mapping,
    .iter = st_iter,
};

/* METH_VARARGS-style count errors: "gmtime() takes at most 1 argument (2 given)". */
static int at_most(pm_runtime *rt, const char *fname, pm_ssize_t nargs, pm_ssize_t max) {
    if (nargs <= max) return 0;
    pm_err_format(rt, PM_EXC_TypeError, "%s() takes at most %zd argument%s (%zd given)", fname, max,
                  max == 1 ? "" : "s", nargs);
    return -1;
}

/* ---- conversions ------------------------------------------------------------------ */

/* secs argument (None or absent: now) as time_t: 0 / -1. */
static int secs_arg(pm_runtime *rt, pm_object *const *args, pm_ssize_t nargs, time_t *out) {
    if (nargs == 0 || args[0] == PM_NONE) {
        *out = time(NULL);
        return 0;
    }
    double d;
    if (!pm_float_check(args[0])) {
        pm_object *i = pm_index(rt, args[0]);
        if (!i) return -1;
        long long v = pm_int_as_longlong(rt, i);
        pm_decref(rt, i);
        if (v == -1 && pm_err_occurred(rt)) {
            pm_err_clear(rt);
            pm_err_set(rt, PM_EXC_OverflowError, "timestamp out of range for platform time_t");
            return -1;
        }
        *out = (time_t)v;
        return 0;
    }
    if (pmi_mod_to_double(rt, args[0], &d) < 0) return -1;
    if (isnan(d)) {
        pm_err_set(rt, PM_EXC_ValueError, "Invalid value NaN (not a number)");
        return -1;
    }
    if (!(d >= -9.2e18 && d <= 9.2e18)) {
        pm_err_set(rt, PM_EXC_OverflowError, "timestamp out of range for platform time_t");
        return -1;
    }
    *out = (time_t)floor(d);
    return 0;
}

/* A struct_time or 9-tuple as struct tm (CPython's gettmarg): 0 / -1. */
static int tm_arg(pm_runtime *rt, const char *fname, pm_object *o, struct tm *tm) {
    pm_object *t = NULL;
    if (pm_type_of(o) == &pmi_struct_time_type) t = st_visible(rt, o);
    else if (pm_is_instance(o, &pm_tuple_type)) t = pm_newref(rt, o);
    else {
        pm_err_set(rt, PM_EXC_TypeError, "Tuple or struct_time argument required");
        return -1;
    }
    if (!t) return -1;
    if (pm_tuple_size(t) != ST_VISIBLE) {
        pm_err_format(rt, PM_EXC_TypeError, "%s(): illegal time tuple argument", fname);
        pm_decref(rt, t);
        return -1;
    }
    long v[ST_VISIBLE];
    for (int i = 0; i < ST_VISIBLE; i++) {
        pm_object *x = pm_tuple_get(rt, t, i);
        if (!pm_int_check(x)) {
            pm_err_format(rt, PM_EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                          pm_type_name(pm_type_of(x)));
            pm_decref(rt, t);
            return -1;
        }
        v[i] = pm_int_as_long(rt, x);
        if (v[i] == -1 && pm_err_occurred(rt)) {
            pm_decref(rt, t);
            return -1;
        }
    }
    pm_decref(rt, t);
    memset(tm, 0, sizeof *tm);
    tm->tm_year = (int)(v[0] - 1900);
    tm->tm_mon = (int)(v[1] - 1);
    tm->tm_mday = (int)v[2];
    tm->tm_hour = (int)v[3];
    tm->tm_min = (int)v[4];
    tm->tm_sec = (int)v[5];
    tm->tm_wday = (int)((v[6] + 1) % 7);
    tm->tm_yday = (int)(v[7] - 1);
    tm->tm_isdst = (int)v[8];
    return 0;
}

/* CPython's checktm for asctime/strftime: 0 / -1 with ValueError. */
static int check_tm(pm_runtime *rt, struct tm *tm) {
    const char *msg = NULL;
    if (tm->tm_mon == -1) tm->tm_mon = 0;
    else if (tm->tm_mon < 0 || tm->tm_mon > 11) msg = "month out of range";
    if (!msg && tm->tm_mday == 0) tm->tm_mday = 1;
    else if (!msg && (tm->tm_mday < 0 || tm->tm_mday > 31)) msg = "day of month out of range";
    if (!msg && (tm->tm_hour < 0 || tm->tm_hour > 23)) msg = "hour out of range";
    if (!msg && (tm->tm_min < 0 || tm->tm_min > 59)) msg = "minute out of range";
    if (!msg && (tm->tm_sec < 0 || tm->tm_sec > 61)) msg = "seconds out of range";
    if (!msg && tm->tm_wday < 0) msg = "day of week out of range";
    if (!msg && tm->tm_yday == -1) tm->tm_yday = 0;
    else if (!msg && (tm->tm_yday < 0 || tm->tm_yday > 365)) msg = "day of year out of range";
    if (msg) {
        pm_err_set(rt, PM_EXC_ValueError, msg);
        return -1;
    }
    return 0;
}

static pm_object *t_gmtime(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (at_most(rt, "gmtime", nargs, 1) < 0) return NULL;
    time_t t;
    struct tm tm;
    if (secs_arg(rt, args, nargs, &t) < 0) return NULL;
    if (!gmtime_r(&t, &tm)) {
        pm_err_set(rt, PM_EXC_OverflowError, "timestamp out of range for platform time_t");
        return NULL;
    }
    return st_from_tm(rt, &tm);
}

static pm_object *t_localtime(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (at_most(rt, "localtime", nargs, 1) < 0) return NULL;
    time_t t;
    struct tm tm;
    if (secs_arg(rt, args, nargs, &t) < 0) return NULL;
    if (!localtime_r(&t, &tm)) {
        pm_err_set(rt, PM_EXC_OverflowError, "timestamp out of range for platform time_t");
        return NULL;
    }
    return st_from_tm(rt, &tm);
}

static pm_object *t_mktime(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs != 1) {
        pm_err_format(rt, PM_EXC_TypeError, "time.mktime() takes exactly one argument (%zd given)", nargs);
        return NULL;
    }
    struct tm tm;
    if (tm_arg(rt, "mktime", args[0], &tm) < 0) return NULL;
    tm.tm_wday = -1;                        /* sentinel: mktime fills it on success */
    time_t t = mktime(&tm);
    if (t == (time_t)-1 && tm.tm_wday == -1) {
        pm_err_set(rt, PM_EXC_OverflowError, "mktime argument out of range");
        return NULL;
    }
    return pm_float_new(rt, (double)t);
}

static const char *const wday_name[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const mon_name[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static pm_object *format_asctime(pm_runtime *rt, const struct tm *tm) {
    return pm_str_from_format(rt, "%s %s%3d %.2d:%.2d:%.2d %d", wday_name[tm->tm_wday % 7], mon_name[tm->tm_mon % 12],
                              tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, 1900 + tm->tm_year);
}

static pm_object *t_asctime(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (at_most(rt, "asctime", nargs, 1) < 0) return NULL;
    struct tm tm;
    if (nargs == 0) {
        time_t t = time(NULL);
        localtime_r(&t, &tm);
    } else if (tm_arg(rt, "asctime", args[0], &tm) < 0 || check_tm(rt, &tm) < 0) {
        return NULL;
    }
    return format_asctime(rt, &tm);
}

static pm_object *t_ctime(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (at_most(rt, "ctime", nargs, 1) < 0) return NULL;
    time_t t;
    struct tm tm;
    if (secs_arg(rt, args, nargs, &t) < 0) return NULL;
    if (!localtime_r(&t, &tm)) {
        pm_err_set(rt, PM_EXC_OverflowError, "timestamp out of range for platform time_t");
        return NULL;
    }
    return format_asctime(rt, &tm);
}

static pm_object *t_strftime(pm_runtime *rt, pm_object *self, pm_object *const *args, pm_ssize_t nargs) {
    (void)self;
    if (nargs < 1) {
        pm_err_set(rt, PM_EXC_TypeError, "strftime() takes at least 1 argument (0 given)");
        return NULL;
    }
    if (at_most(rt, "strftime", nargs, 2) < 0) return NULL;
    if (!pm_str_check(args[0])) {
        pm_err_format(rt, PM_EXC_TypeError, "strftime() argument 1 must be str, not %s",
                      pm_type_name(pm_type_of(args[0])));
        return NULL;
    }
    struct tm tm;
    if (nargs == 1) {
        time_t t = time(NULL);
        localtime_r(&t, &tm);
    } else {
        if (tm_arg(rt, "strftime", args[1], &tm) < 0 || check_tm(rt, &tm) < 0) return NULL;
        /* the zone of a plain tuple: as CPython, from mktime's view of it */
        struct tm probe = tm;
        if (mktime(&probe) != (time_t)-1) {
            tm.tm_gmtoff = probe.tm_gmtoff;
            tm.tm_zone = probe.tm_zone;
        }
    }
    pm_ssize_t flen;
    const char *fmt = pm_str_as_utf8(rt, args[0], &flen);
    if (!fmt) return NULL;
    if ((pm_ssize_t)strlen(fmt) != flen) {
        pm_err_set(rt, PM_EXC_ValueError, "embedded null character");
        return NULL;
    }
    if (flen == 0) return pm_str_from_cstr(rt, "");
    for (size_t size = 256;; size *= 2) {
        char *buf = pmi_mod_alloc(rt, size);
        if (!buf) return NULL;
        size_t n = strftime(buf, size, fmt, &tm);
        if (n > 0 || size >= 256 * (size_t)flen + 4096) {
            pm_object *r = pm_str_from_utf8(rt, buf, (pm_ssize_t)n);
            pm_free(rt, buf);
            return r;
        }
        pm_free(rt, buf);
    }
}

/* ---- the module ------------------------------------------------------------------- */

#define FN(f) ((pm_cfunction)(void (*)(void))(f))
#define T_FAST(name, doc) {#name, FN(t_##name), PM_METH_FASTCALL, doc}
static const pm_method_def time_methods[] = {
    T_FAST(time, "time() -> floating point number\n\nReturn the current time in seconds since the Epoch."),
    T_FAST(time_ns, "time_ns() -> int\n\nReturn the current time in nanoseconds since the Epoch."),
    T_FAST(monotonic, "monotonic() -> float\n\nMonotonic clock, cannot go backward."),
    T_FAST(monotonic_ns, "monotonic_ns() -> int\n\nMonotonic clock, cannot go backward, as nanoseconds."),
    T_FAST(perf_counter, "perf_counter() -> float\n\nPerformance counter for benchmarking."),
    T_FAST(perf_counter_ns, "perf_counter_ns() -> int\n\nPerformance counter for benchmarking as nanoseconds."),
    T_FAST(process_time, "process_time() -> float\n\nProcess time for profiling: sum of the kernel and user-space CPU time."),
    T_FAST(process_time_ns, "process_time() -> int\n\nProcess time for profiling as nanoseconds."),
    T_FAST(sleep, "sleep(seconds)\n\nDelay execution for a given number of seconds."),
    T_FAST(gmtime, "Convert seconds since the Epoch to a time tuple expressing UTC."),
    T_FAST(localtime, "Convert seconds since the Epoch to a time tuple expressing local time."),
    T_FAST(mktime, "Convert a time tuple in local time to seconds since the Epoch."),
    T_FAST(asctime, "Convert a time tuple to a string, e.g. 'Sat Jun 06 16:26:11 1998'."),
    T_FAST(ctime, "Convert a time in seconds since the Epoch to a string in local time."),
    T_FAST(strftime, "strftime(format[, tuple]) -> string\n\nConvert a time tuple to a string according to a format specification."),
    {NULL, NULL, 0, NULL},
};
#undef T_FAST
#undef FN

static int time_fill(pm_runtime *rt, pm_object *m) {
    if (pmi_module_add(rt, m, "struct_time", pm_type_as_object(&pmi_struct_time_type)) < 0) return -1;
    const long year = (365L * 24 + 6) * 3600;
    time_t t = (time(NULL) / year) * year;
    struct tm jan, jul;
    tzset();
    localtime_r(&t, &jan);
    t += year / 2;
    localtime_r(&t, &jul);
    long janzone = -jan.tm_gmtoff, julzone = -jul.tm_gmtoff;
    const char *janname = jan.tm_zone ? jan.tm_zone : "", *julname = jul.tm_zone ? jul.tm_zone : "";
    long tz = janzone, alt = julzone;
    const char *n0 = janname, *n1 = julname;
    if (janzone < julzone) {                /* the southern hemisphere's DST */
        tz = julzone;
        alt = janzone;
        n0 = julname;
        n1 = janname;
    }
    if (pmi_module_add_new(rt, m, "timezone", pm_int_from_long(rt, tz)) < 0 ||
        pmi_module_add_new(rt, m, "altzone", pm_int_from_long(rt, alt)) < 0 ||
        pmi_module_add_new(rt, m, "daylight", pm_int_from_long(rt, janzone != julzone)) < 0)
        return -1;
    pm_object *a = pm_str_from_cstr(rt, n0), *b = a ? pm_str_from_cstr(rt, n1) : NULL;
    pm_object *names = b ? pm_tuple_pack(rt, 2, a, b) : NULL;
    pm_xdecref(rt, a);
    pm_xdecref(rt, b);
    return pmi_module_add_new(rt, m, "tzname", names);
}

static const pmi_module_def time_def = {
    .name = "time",
    .doc = "This module provides various functions to manipulate time values.",
    .methods = time_methods,
    .fill = time_fill,
};

pm_object *pmi_time_init(pm_runtime *rt) {
    return pmi_module_from_def(rt, &time_def);
}
