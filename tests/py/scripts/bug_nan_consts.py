# NaN constants made by constant folding stay distinct in co_consts, as in
# 3.11 (a NaN equals only itself): the count must not depend on addresses.
src = "def f():\n" + "".join("    x%d = %s1e300 * 1e300 * 0\n" % (i, "-" if i % 2 else "") for i in range(60))
ns = {}
exec(compile(src, "nan", "exec"), ns)
f = ns["f"]
print(len(f.__code__.co_consts), sum(1 for c in f.__code__.co_consts if c != c))
g = compile("(1e300 * 1e300 * 0, 1e300 * 1e300 * 0, -0.0, 0.0, 0.0)", "t", "eval")
print(len(g.co_consts), [repr(c) for c in eval(g)])
co1 = compile("x = 1e300 * 1e300 * 0", "a", "exec")
co2 = compile("x = 1e300 * 1e300 * 0", "a", "exec")
print(co1 == co2, co1 == co1)
