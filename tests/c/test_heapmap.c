/* Seeing memory (src/mem/heapmap.c, src/gc/gctrace.c, src/gc/referrers.c):
 * the heap map's counts equal the allocator's statistics on a fragmented
 * heap, the collector timeline records each collection, why-alive finds
 * known shortest chains (through cycles, instances and containers), and
 * every allocation of the searches can fail cleanly. */
#include <stdlib.h>
#include <string.h>
#include "ctutil.h"
#include "faultsweep.h"

/* A pm_write_func gathering output in memory (malloc'd, outside the heap
 * being drawn). */
typedef struct sink {
    char *buf;
    size_t len, cap;
    long fail_after;            /* > 0: the nth write fails */
} sink;

static int sink_write(void *ctx, const char *data, size_t n) {
    sink *s = ctx;
    if (s->fail_after > 0 && --s->fail_after == 0) return -1;
    if (s->len + n + 1 > s->cap) {
        s->cap = (s->len + n + 1) * 2;
        s->buf = realloc(s->buf, s->cap);
        assert_non_null(s->buf);
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
    s->buf[s->len] = 0;
    return 0;
}

static size_t count_of(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++) n++;
    return n;
}

static void assert_counts_match(pm_runtime *rt, const pm_heapmap_counts *c) {
    pm_alloc_stats s;
    pm_alloc_stats_get(rt, &s);
    assert_int_equal(c->arenas_in_use, s.arenas_in_use);
    assert_int_equal(c->arenas_reserved, s.arenas_reserved);
    assert_int_equal(c->pools_in_use, s.pools_in_use);
    assert_int_equal(c->pools_free, s.pools_free);
    assert_int_equal(c->pools_released, s.pools_released);
    assert_int_equal(c->pages_released, s.pages_released);
    assert_int_equal(c->small_bytes_in_use, s.small_bytes_in_use);
    for (int i = 0; i < PM_NUM_SIZE_CLASSES; i++) {
        assert_int_equal(c->size_class[i].pools, s.size_class[i].pools);
        assert_int_equal(c->size_class[i].blocks_in_use, s.size_class[i].blocks_in_use);
        assert_int_equal(c->size_class[i].blocks_free, s.size_class[i].blocks_free);
    }
}

/* bench/alloc's frag shape: many blocks of mixed sizes, then most freed
 * leaving survivors scattered, then a trim. */
static void test_heapmap_counts_fragmented(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    enum { N = 60000 };
    void **p = calloc(N, sizeof *p);
    assert_non_null(p);
    uint64_t seed = 7;
    for (int i = 0; i < N; i++) {
        p[i] = pm_malloc(rt, 16 + tu_rand(&seed) % 497);
        assert_non_null(p[i]);
    }
    sink out = {0};
    pm_heapmap_counts c;
    assert_int_equal(pm_heapmap_write(rt, sink_write, &out, &c), 0);
    assert_counts_match(rt, &c);
    assert_true(c.pools_in_use > 100);
    assert_int_equal(count_of(out.buf, "<g><title>class "), c.pools_in_use);
    assert_true(strncmp(out.buf, "<?xml", 5) == 0);
    assert_true(strcmp(out.buf + out.len - 7, "</svg>\n") == 0);

    for (int i = 0; i < N; i++)
        if (i % 17) {
            pm_free(rt, p[i]);
            p[i] = NULL;
        }
    (void)pm_trim(rt);
    out.len = 0;
    assert_int_equal(pm_heapmap_write(rt, sink_write, &out, &c), 0);
    assert_counts_match(rt, &c);
    assert_true(c.pages_released + c.pools_released > 0); /* the trim gave something back */
    assert_int_equal(count_of(out.buf, "<g><title>class "), c.pools_in_use);

    for (int i = 0; i < N; i++) pm_free(rt, p[i]);
    (void)pm_trim(rt);
    out.len = 0;
    assert_int_equal(pm_heapmap_write(rt, sink_write, &out, &c), 0);
    assert_counts_match(rt, &c);
    free(p);
    free(out.buf);
    pm_runtime_free(rt);
}

/* A sink that fails: -1 with OSError, and the counts still filled. */
static void test_heapmap_write_fails(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    void *blk = pm_malloc(rt, 32);
    assert_non_null(blk);
    sink out = {0};
    out.fail_after = 1;
    pm_heapmap_counts c;
    assert_int_equal(pm_heapmap_write(rt, sink_write, &out, &c), -1);
    pm_object *exc = pm_err_fetch(rt);
    assert_non_null(exc);
    assert_ptr_equal(exc->ob_type, &pm_exc_OSError);
    pm_decref(rt, exc);
    assert_true(c.pools_in_use > 0);    /* counted although the output stopped */
    pm_free(rt, blk);
    out.fail_after = 0;
    assert_int_equal(pm_gctrace_write_svg(rt, sink_write, &out), 0); /* off: an empty timeline */
    assert_non_null(strstr(out.buf, "0 collections"));
    free(out.buf);
    pm_runtime_free(rt);
}

/* n two-element cycles, dropped: garbage for the next collection. */
static void make_cycles(pm_runtime *rt, int n) {
    for (int i = 0; i < n; i++) {
        pm_object *a = pm_list_new(rt), *b = pm_list_new(rt);
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(pm_list_append(rt, a, b), 0);
        assert_int_equal(pm_list_append(rt, b, a), 0);
        pm_decref(rt, a);
        pm_decref(rt, b);
    }
}

static void test_gctrace_events(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    pm_gc_disable(rt);
    (void)pm_gc_collect(rt, 2);
    size_t base = ct_blocks(rt);
    pm_gc_event ev[8];
    assert_int_equal(pm_gctrace_active(rt), 0);
    assert_int_equal(pm_gctrace_events(rt, ev, 8), 0);
    assert_int_equal(pm_gctrace_start(rt, 0), -1);
    assert_int_equal(pm_err_kind(rt), PM_EXC_ValueError);
    pm_err_clear(rt);
    assert_int_equal(pm_gctrace_start(rt, 4), 0);
    assert_int_equal(pm_gctrace_active(rt), 1);
    pm_ssize_t got[6];
    int gens[6] = {0, 1, 2, 0, 2, 1};
    for (int i = 0; i < 6; i++) {
        make_cycles(rt, 10 * (i + 1));
        got[i] = pm_gc_collect(rt, gens[i]);
        assert_int_equal(got[i], 20 * (i + 1));
    }
    size_t n = pm_gctrace_events(rt, ev, 8);
    assert_int_equal(n, 4);
    assert_int_equal(pm_gctrace_dropped(rt), 2);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ev[i].generation, gens[i + 2]);
        assert_int_equal(ev[i].collected, got[i + 2]);
        assert_int_equal(ev[i].uncollectable, 0);
        assert_true(ev[i].examined >= ev[i].collected);
        if (i) assert_true(ev[i].start_ns >= ev[i - 1].start_ns + ev[i - 1].duration_ns);
    }
    sink out = {0};
    assert_int_equal(pm_gctrace_write_svg(rt, sink_write, &out), 0);
    assert_int_equal(count_of(out.buf, "<title>gen "), 4);
    assert_non_null(strstr(out.buf, "4 collections"));
    free(out.buf);
    /* A fault in start keeps the old ring. */
    pm_fault_inject(rt, 1, 0);
    assert_int_equal(pm_gctrace_start(rt, 100), -1);
    pm_fault_inject(rt, 2, 0);
    assert_int_equal(pm_gctrace_start(rt, 100), -1);
    pm_fault_inject(rt, 0, 0);
    assert_int_equal(pm_err_kind(rt), PM_EXC_MemoryError);
    pm_err_clear(rt);
    assert_int_equal(pm_gctrace_events(rt, ev, 8), 4);
    pm_gctrace_stop(rt);
    assert_int_equal(pm_gctrace_active(rt), 0);
    (void)pm_gc_collect(rt, 2);     /* drops the free lists, as before base */
    assert_int_equal(ct_blocks(rt), base);
    /* Left on: the runtime's teardown frees the ring (ASan checks). */
    assert_int_equal(pm_gctrace_start(rt, 3), 0);
    pm_runtime_free(rt);
}

/* ---- why-alive ------------------------------------------------------------- */

typedef struct graph {
    pm_object *mod;             /* a "module dict": {'cache': list, 'other': ...} */
    pm_object *frame_locals;    /* another root: {'x': ...} */
    pm_object *target;
    pm_object *C;               /* class Node */
} graph;

static int dict_set_cstr(pm_runtime *rt, pm_object *d, const char *k, pm_object *v) {
    pm_object *key = pm_str_from_cstr(rt, k);
    if (!key) return -1;
    int r = pm_dict_set(rt, d, key, v);
    pm_decref(rt, key);
    return r;
}

static void check_chain(pm_runtime *rt, pm_object *list, const char *const *want, size_t n) {
    assert_non_null(list);
    assert_true(pm_list_check(list));
    if ((size_t)pm_list_size(list) != n) {
        for (pm_ssize_t i = 0; i < pm_list_size(list); i++)
            print_message("  got %s\n", pm_str_as_utf8(rt, pm_list_get(rt, list, i), NULL));
    }
    assert_int_equal(pm_list_size(list), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(pm_str_as_utf8(rt, pm_list_get(rt, list, (pm_ssize_t)i), NULL), want[i]);
}

/*  mod['cache'] = [0, 1, 2, n3]   n3.parent = n4, n4.child = target (a list)
 *  mod['long'] = (a, b, ...) a longer way round: a[0][0][0][0] = target
 *  target[0] = n3 (a cycle back)   frame_locals['t'] = (n4,) */
static int build_graph(pm_runtime *rt, graph *g) {
    memset(g, 0, sizeof *g);
    pm_object *cache = NULL, *n3 = NULL, *n4 = NULL, *deep = NULL, *t = NULL;
    int rc = -1;
    g->mod = pm_dict_new(rt);
    g->frame_locals = pm_dict_new(rt);
    g->target = pm_list_new(rt);
    g->C = pm_class_new(rt, "__main__.Node", NULL, 0);
    cache = pm_list_new(rt);
    if (!g->mod || !g->frame_locals || !g->target || !g->C || !cache) goto done;
    n3 = pm_instance_new(rt, g->C);
    n4 = pm_instance_new(rt, g->C);
    if (!n3 || !n4) goto done;
    for (long i = 0; i < 3; i++) {
        pm_object *v = pm_int_from_long(rt, i);
        if (!v || pm_list_append(rt, cache, v) < 0) {
            pm_xdecref(rt, v);
            goto done;
        }
        pm_decref(rt, v);
    }
    if (pm_list_append(rt, cache, n3) < 0 || pm_instance_setattr_cstr(rt, n3, "parent", n4) < 0 ||
        pm_instance_setattr_cstr(rt, n4, "child", g->target) < 0 || pm_list_append(rt, g->target, n3) < 0)
        goto done;
    if (dict_set_cstr(rt, g->mod, "cache", cache) < 0) goto done;
    deep = pm_list_new(rt);
    if (!deep || pm_list_append(rt, deep, g->target) < 0) goto done;
    for (int i = 0; i < 4; i++) {
        pm_object *w = pm_list_new(rt);
        if (!w || pm_list_append(rt, w, deep) < 0) {
            pm_xdecref(rt, w);
            goto done;
        }
        pm_decref(rt, deep);
        deep = w;
    }
    if (dict_set_cstr(rt, g->mod, "long", deep) < 0) goto done;
    t = pm_tuple_pack(rt, 1, n4);
    if (!t || dict_set_cstr(rt, g->frame_locals, "t", t) < 0) goto done;
    rc = 0;
done:
    pm_xdecref(rt, cache);
    pm_xdecref(rt, n3);
    pm_xdecref(rt, n4);
    pm_xdecref(rt, deep);
    pm_xdecref(rt, t);
    return rc;
}

static void free_graph(pm_runtime *rt, graph *g) {
    if (g->target) pm_list_clear(rt, g->target); /* break the cycle */
    pm_xdecref(rt, g->mod);
    pm_xdecref(rt, g->frame_locals);
    pm_xdecref(rt, g->target);
    pm_xdecref(rt, g->C);
    memset(g, 0, sizeof *g);
}

static void test_why_alive_chains(void **state) {
    (void)state;
    pm_runtime *rt = tu_runtime();
    graph g;
    assert_int_equal(build_graph(rt, &g), 0);
    const char *names[2] = {"m.__dict__", "f() locals"};
    pm_object *roots[2] = {g.mod, g.frame_locals};

    /* From the module only: the instance chain (4 links) beats the nested
     * lists (6 links). */
    pm_object *r = pm_why_alive(rt, roots, names, 1, g.target);
    const char *want1[] = {"m.__dict__['cache']", "list[3]", "Node.parent", "Node.child"};
    check_chain(rt, r, want1, 4);
    pm_decref(rt, r);

    /* With the frame as well: its tuple is shorter still. */
    r = pm_why_alive(rt, roots, names, 2, g.target);
    const char *want2[] = {"f() locals['t']", "tuple[0]", "Node.child"};
    check_chain(rt, r, want2, 3);
    pm_decref(rt, r);

    /* The target is a root: no links.  Nothing reaches it: None. */
    r = pm_why_alive(rt, &g.target, names, 1, g.target);
    check_chain(rt, r, NULL, 0);
    pm_decref(rt, r);
    pm_object *lone = pm_list_new(rt);
    r = pm_why_alive(rt, roots, names, 2, lone);
    assert_ptr_equal(r, PM_NONE);
    pm_decref(rt, r);

    /* A node reached through the cycle target[0] -> n3: the short way is
     * the cache list, not round the cycle. */
    pm_object *n3 = pm_list_get(rt, g.target, 0);
    r = pm_why_alive(rt, roots, names, 2, n3);
    const char *want3[] = {"m.__dict__['cache']", "list[3]"};
    check_chain(rt, r, want3, 2);
    pm_decref(rt, r);

    /* Held only by something outside the roots: the key of a dict, and an
     * int key by repr. */
    pm_object *k = pm_int_from_long(rt, 12345);
    pm_object *holder = pm_dict_new(rt);
    assert_int_equal(pm_dict_set(rt, holder, k, lone), 0);
    assert_int_equal(dict_set_cstr(rt, g.frame_locals, "h", holder), 0);
    r = pm_why_alive(rt, roots, names, 2, lone);
    const char *want4[] = {"f() locals['h']", "dict[12345]"};
    check_chain(rt, r, want4, 2);
    pm_decref(rt, r);

    /* Roots by bytes: the module reaches target and n3 and lone is only
     * in the frame's. */
    pm_object *objs[3] = {g.target, n3, lone};
    size_t bytes[2], count[2];
    assert_int_equal(pm_roots_bytes(rt, roots, 2, objs, 3, bytes, count), 0);
    assert_int_equal(count[0], 2);
    assert_int_equal(bytes[0], pm_getsizeof(rt, g.target) + pm_getsizeof(rt, n3));
    assert_int_equal(count[1], 3);   /* t -> n4 -> target -> n3, and h -> lone */
    /* Held from outside: the graph's two roots (only this C code holds
     * them), not what they contain; lone is held by holder and by us. */
    pm_object *held = pm_gc_held_from_outside(rt, NULL, 0);
    assert_non_null(held);
    int saw_mod = 0, saw_target = 0, saw_lone = 0;
    for (pm_ssize_t i = 0; i < pm_list_size(held); i++) {
        pm_object *o = pm_list_get(rt, held, i);
        saw_mod |= o == g.mod;
        saw_target |= o == n3;
        saw_lone |= o == lone;
    }
    assert_true(saw_mod);
    assert_false(saw_target);           /* n3: held by the cache list and target only */
    assert_true(saw_lone);              /* our reference is outside */
    pm_decref(rt, held);
    held = pm_gc_held_from_outside(rt, &lone, 1); /* our reference accounted for */
    assert_non_null(held);
    for (pm_ssize_t i = 0; i < pm_list_size(held); i++) assert_ptr_not_equal(pm_list_get(rt, held, i), lone);
    pm_decref(rt, held);
    pm_decref(rt, k);
    pm_decref(rt, holder);
    pm_decref(rt, lone);
    free_graph(rt, &g);
    pm_runtime_free(rt);
}

/* Every allocation of the search and the labels can fail. */
typedef struct sweep_ctx {
    pm_runtime *rt;
    graph g;
    size_t base;
} sweep_ctx;

static pm_runtime *sw_begin(void *ctx, long n) {
    (void)n;
    return ((sweep_ctx *)ctx)->rt;
}

static int sw_run(pm_runtime *rt, void *ctx) {
    sweep_ctx *c = ctx;
    const char *names[2] = {"m.__dict__", "f() locals"};
    pm_object *roots[2] = {c->g.mod, c->g.frame_locals};
    pm_object *r = pm_why_alive(rt, roots, names, 1, c->g.target);
    if (!r) return -1;
    int ok = pm_list_check(r) && pm_list_size(r) == 4;
    pm_decref(rt, r);
    if (!ok) {
        pm_err_set(rt, PM_EXC_AssertionError, "wrong chain under faults");
        return -1;
    }
    size_t bytes[2], count[2];
    pm_object *objs[1] = {c->g.target};
    if (pm_roots_bytes(rt, roots, 2, objs, 1, bytes, count) < 0) return -1;
    pm_object *held = pm_gc_held_from_outside(rt, NULL, 0);
    if (!held) return -1;
    pm_decref(rt, held);
    return 0;
}

static void sw_end(pm_runtime *rt, void *ctx, long n, int rc) {
    (void)n;
    (void)rc;
    sweep_ctx *c = ctx;
    /* The labels may have made instance dicts; nothing else stays. */
    assert_int_equal(ct_blocks(rt), c->base);
}

static void test_why_alive_faults(void **state) {
    (void)state;
    sweep_ctx c;
    c.rt = tu_runtime();
    pm_gc_disable(c.rt);
    assert_int_equal(build_graph(c.rt, &c.g), 0);
    /* One run first: it makes the instances' dicts (reading __dict__), so
     * the sweep's runs start from the same heap. */
    assert_int_equal(sw_run(c.rt, &c), 0);
    c.base = ct_blocks(c.rt);
    for (int persistent = 0; persistent < 2; persistent++) {
        fs_sweep sw = {"why_alive", persistent, 0, &c, sw_begin, sw_run, sw_end};
        fs_result res = fs_run(&sw);
        assert_true(res.points >= 3);
    }
    free_graph(c.rt, &c.g);
    pm_runtime_free(c.rt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heapmap_counts_fragmented),
        cmocka_unit_test(test_heapmap_write_fails),
        cmocka_unit_test(test_gctrace_events),
        cmocka_unit_test(test_why_alive_chains),
        cmocka_unit_test(test_why_alive_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
