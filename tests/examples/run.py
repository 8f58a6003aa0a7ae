#!/usr/bin/env python3
"""The examples of examples/py/ under pymm, compared with python3.

Every examples/py/*.py (the seed's code examples, seed_*.py, and one guided
tour per seed topic, tour_*.py) runs under python3 (-B -S, PYTHONHASHSEED=0)
and under pymm (PYMM_CHECK_BLOCKS=1: every byte back at exit).  stdout,
stderr and the exit status must agree, except that pymm's stdout lines
starting with "pymm|" are pymm-only information (allocator maps and the
like, from the `pymm` module that python3 does not have) and are dropped
before the comparison — and must be the only difference.

python3's output is cached beside each example as NAME.out (first line: the
python3 version that produced it); --regen rewrites the caches; without
python3 the caches are the oracle only when PYMM_PY_USE_CACHE=1.

usage: run.py PYMM [--regen] [NAME ...]
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(HERE)), "examples", "py")
PYMM_ONLY = re.compile(r"^pymm\|.*\n?", re.M)


def run(cmd, script, env_extra):
    env = dict(os.environ, PYTHONHASHSEED="0", **env_extra)
    p = subprocess.run(cmd + [os.path.basename(script)], cwd=os.path.dirname(script),
                       env=env, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def fmt(version, res):
    rc, out, err = res
    return "python %s\nexit %d\n--- stdout\n%s--- stderr\n%s" % (version, rc, out, err)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    pymm = os.path.abspath(argv[1])
    regen = "--regen" in argv[2:]
    names = [a for a in argv[2:] if not a.startswith("--")]
    scripts = sorted(os.path.join(EXAMPLES, f) for f in os.listdir(EXAMPLES)
                     if f.endswith(".py") and (not names or f[:-3] in names))
    py = os.environ.get("PYTHON3", "python3")
    try:
        version = subprocess.run([py, "-c", "import platform; print(platform.python_version())"],
                                 capture_output=True, check=True).stdout.decode().strip()
    except (OSError, subprocess.CalledProcessError):
        version = None
    if version is None and os.environ.get("PYMM_PY_USE_CACHE") != "1":
        print("FAIL: python3 not reachable (PYMM_PY_USE_CACHE=1 compares with the caches)")
        return 1
    failed = 0
    for script in scripts:
        name = os.path.basename(script)[:-3]
        cache = script[:-3] + ".out"
        if version is not None:
            want = fmt(version, run([py, "-B", "-S"], script, {}))
            if regen or not os.path.exists(cache):
                with open(cache, "w", encoding="utf-8") as fh:
                    fh.write(want)
            else:
                with open(cache, encoding="utf-8") as fh:
                    cached = fh.read()
                if cached.split("\n", 1)[0] == want.split("\n", 1)[0] and cached != want:
                    print("FAIL %s: the cached output differs from python3's" % name)
                    failed += 1
                    continue
        else:
            with open(cache, encoding="utf-8") as fh:
                want = fh.read()
        wversion = want.split("\n", 1)[0].split(" ", 1)[1]
        rc, out, err = run([pymm], script, {"PYMM_CHECK_BLOCKS": "1"})
        pymm_only = len(PYMM_ONLY.findall(out))
        got = fmt(wversion, (rc, PYMM_ONLY.sub("", out), err))
        if got != want:
            failed += 1
            print("FAIL %s\n--- python3\n%s--- pymm\n%s" % (name, want, got))
        else:
            print("ok   %s%s" % (name, " (%d pymm-only lines)" % pymm_only if pymm_only else ""))
    print("%d examples, %d failed" % (len(scripts), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
