"""Error cases of the built-in modules (math, functools, atexit ...), each
run as its own `-c` program under pymm and python3: stdout, stderr (the
whole traceback) and the exit status must be equal.  On this branch a
script cannot catch an exception, so each error gets a run of its own.

usage: mod_errors.py PYMM        (python3 is the oracle: $PYTHON3 or python3)
"""
import os
import subprocess
import sys

CASES = {
    "math": [
        "math.sqrt(-1)", "math.sqrt('a')", "math.sqrt()", "math.sqrt(1, 2)", "math.log(0)",
        "math.log(-1.5)", "math.log(10, 1)", "math.log()", "math.log(1, 2, 3)", "math.log(0.0)",
        "math.log2(0)", "math.log10(-2)", "math.fmod(1)", "math.fmod(1, 0)", "math.fmod(math.inf, 1)",
        "math.exp(1000)", "math.exp2(5000)", "math.cosh(1000)", "math.sin(math.inf)",
        "math.acos(2)", "math.atanh(1)", "math.pow(0, -1)", "math.pow(-8, 1/3)", "math.pow(10.0, 400)",
        "math.pow(1)", "math.atan2(1)", "math.copysign('x', 1)", "math.remainder(1, 0)",
        "math.remainder(math.inf, 1)", "math.nextafter(1)", "math.ldexp(1.0, 1.5)", "math.ldexp(1.0, 5000)",
        "math.ldexp(1.0)", "math.hypot('a')", "math.dist((1,), (1, 2))", "math.dist(1, 2)",
        "math.dist((1,))", "math.floor('a')", "math.ceil(math.inf)", "math.floor(math.nan)",
        "math.trunc('a')", "math.trunc(None)", "math.isclose(1)", "math.isclose(1, 1, rel_tol=-1)",
        "math.isclose(1, 2, 3)", "math.isclose(1, 2, x=3)", "math.isclose(1, 2, a=3)",
        "math.fsum([1e308, 1e308])", "math.fsum([math.inf, -math.inf])", "math.fsum(1)",
        "math.fsum(['a'])", "math.prod()", "math.prod([1], [2])", "math.prod([1], begin=2)",
        "math.prod([1, 'a'])", "math.gcd(1.5)", "math.gcd(4, 'a')", "math.lcm(2.0)",
        "math.factorial(-1)", "math.factorial(5.0)", "math.factorial(10**20)", "math.factorial('a')",
        "math.comb(-1, 2)", "math.comb(5, -2)", "math.comb(5)", "math.comb(1.0, 1)",
        "math.perm(5, -1)", "math.perm()", "math.perm(-3)", "math.isqrt(-1)", "math.isqrt(2.0)",
        "math.gamma(0)", "math.gamma(-2)", "math.gamma(-math.inf)", "math.gamma(200)",
        "math.lgamma(-1)", "math.lgamma(0)", "math.ulp('x')", "math.frexp('x')", "math.modf(None)",
        "math.isnan('x')", "math.int_too_big(1)", "math.log(10**400, 1)", "math.log(-(10**400))",
        "math.comb(10**20, 10**19)", "math.perm(10**20, 10**19)", "math.degrees('x')",
        "math.acosh(0.5)", "math.sqrt(10**400)",
    ],
    "functools": [
        "functools.reduce(abs)", "functools.reduce(abs, 1)", "functools.reduce(abs, [])",
        "functools.reduce(1, 2, 3, 4)", "functools.reduce(abs, [1, 2])", "functools.reduce(len, [1, 2], 0)",
        "functools.partial()", "functools.partial(1)", "functools.partial(func=print)",
        "functools.partial(abs, 1)()", "functools.partial(len, x=1)([1])", "functools.cmp_to_key()",
        "functools.cmp_to_key(abs)()", "functools.cmp_to_key(abs)(1, 2)", "functools.cmp_to_key(abs)(1) < 1",
        "functools.cmp_to_key(len)(1) < functools.cmp_to_key(len)(2)", "functools.cmp_to_key(x=1)",
        "functools.cmp_to_key(abs, 2)", "functools.cmp_to_key(abs)(x=1)", "functools.cmp_to_key(abs)(1, x=2)",
    ],
    "random": [
        "random.getrandbits(-1)", "random.getrandbits(1.0)", "random.randrange(0)", "random.randrange(5, 2)",
        "random.randrange(1, 5, 0)", "random.randrange(10, 1, 2)", "random.choice([])",
        "random.sample([1, 2], 3)", "random.sample({1, 2}, 1)", "random.seed([1])", "random.randrange(3, step=2)",
        "random.choices([1, 2], [1])", "random.choices([1, 2], [0, 0])", "random.expovariate()",
        "random.Random(1, 2)", "random.randbytes(-1)", "random.choices([1, 2], 2)",
        "random.choices([1], [1], cum_weights=[1])", "random.randint(1)", "random.choice(5)",
        "random.shuffle(5)", "random.uniform(1)", "random.seed(1, 2, 3)", "random.sample([1], -1)", "random.randint()",
        "random.randint(1, 2, 3)", "random.triangular(1, 2, 3, 4)", "random.randrange()", "random.shuffle()",
    ],
    "time": [
        "time.sleep(-1)", "time.sleep('a')", "time.sleep()", "time.gmtime('x')", "time.gmtime(1, 2)",
        "time.strftime(1)", "time.strftime('%Y', (1, 2))", "time.strftime('%Y', 5)", "time.strftime()",
        "time.strftime('a', 1, 2)", "time.asctime((2000, 13, 1, 0, 0, 0, 0, 1, 0))", "time.mktime(1)",
        "time.time(1)", "time.gmtime(1e400 - 1e400)", "time.gmtime(1e30)", "time.ctime(1, 2)",
        "time.localtime(1, 2)", "time.monotonic_ns(1)", "time.gmtime(0)[9]",
    ],
    "itertools": [
        "itertools.count('a')", "itertools.count(1, 2, 3)", "itertools.count(x=1)", "itertools.repeat()",
        "itertools.repeat(1, 2, 3)", "itertools.repeat(1, 'a')", "itertools.cycle()", "itertools.cycle(1)",
        "[*itertools.chain(1, 2)]", "itertools.islice()", "itertools.islice('a')", "itertools.islice('a', -1)",
        "itertools.islice('a', 1, -1)", "itertools.islice('a', -1, 1)", "itertools.islice('a', 0, 1, 0)",
        "itertools.islice('a', 'x')", "itertools.islice('a', 1, 2, 3, 4)", "itertools.accumulate()",
        "itertools.accumulate(1)", "itertools.pairwise()", "itertools.starmap(abs)", "itertools.compress('a')",
        "itertools.takewhile(abs)", "itertools.zip_longest(1)", "[*itertools.starmap(abs, [1])]",
        "itertools.chain.from_iterable(1)", "itertools.islice('a', 1.5)", "itertools.zip_longest('a', x=1)",
        "[*itertools.accumulate(['a', 1])]", "[*itertools.takewhile(len, [1])]",
        "itertools.combinations('a')", "itertools.combinations('a', -1)", "itertools.permutations('a', -1)",
        "itertools.product('a', repeat=-1)", "itertools.product('a', x=1)", "itertools.combinations()",
        "itertools.permutations()", "itertools.combinations(1, 2)", "itertools.permutations('a', 'b')",
        "itertools.combinations_with_replacement('a')", "itertools.product(1)",
    ],
    "atexit": [
        "atexit.register()", "atexit.register(5)", "atexit.register(5, 1, x=2)", "atexit._clear(1)",
        "atexit.unregister()", "atexit.unregister(1, 2)", "atexit._ncallbacks(2)", "atexit._run_exitfuncs(3)",
    ],
}


TB = "Traceback (most recent call last):"


def normalise(stderr):
    # as run.py: a traceback compares by its first and last lines
    lines = stderr.splitlines()
    if lines and lines[0] == TB:
        return TB + "\n" + lines[-1] + "\n"
    return stderr


def run(argv, code):
    env = dict(os.environ, PYTHONHASHSEED="0", PYMM_CHECK_BLOCKS="1")
    p = subprocess.run(argv + ["-c", code], capture_output=True, text=True, env=env, timeout=60)
    return p.returncode, p.stdout, normalise(p.stderr)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    pymm = sys.argv[1]
    py3 = os.environ.get("PYTHON3", "python3")
    failed = total = 0
    for mod, exprs in CASES.items():
        for e in exprs:
            code = "import %s\nprint(%s)\n" % (mod, e)
            total += 1
            want = run([py3, "-S"], code)
            got = run([pymm], code)
            if want != got:
                failed += 1
                print("FAIL %-40s python3=%r\n     %-40s pymm   =%r" % (e, want, "", got))
    print("%d cases, %d failed" % (total, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
