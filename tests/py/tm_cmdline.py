#!/usr/bin/env python3
"""-X tracemalloc[=N] and PYTHONTRACEMALLOC=N: pymm against python3.

Each case runs a small script under python3 and under pymm (with
PYMM_CHECK_BLOCKS=1: tracing started by the command line still returns
every byte) and compares exit status and stdout.  Error cases (a bad
number of frames) compare the exit status and require the error's words in
both stderrs (python3 reports a fatal error, pymm a ValueError).

python3 must be reachable (PYTHON3 or python3 on PATH): without it every
case fails.

usage: tm_cmdline.py PYMM
"""
import os
import subprocess
import sys
import tempfile

SCRIPT = """\
import tracemalloc
print(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit())
def f():
    return bytes(5000)
x = f()
tb = tracemalloc.get_object_traceback(x)
print(tb is not None and [fr.lineno for fr in tb], tb and tb.total_nframe)
print(tracemalloc.get_traced_memory()[0] >= 5000 if tracemalloc.is_tracing() else None)
"""

# (name, options before the script, environment, words of the error or None)
CASES = [
    ("plain", [], {}, None),
    ("X", ["-X", "tracemalloc"], {}, None),
    ("X=3", ["-X", "tracemalloc=3"], {}, None),
    ("Xjoined", ["-Xtracemalloc=2"], {}, None),
    ("X=0", ["-X", "tracemalloc=0"], {}, None),
    ("env 2", [], {"PYTHONTRACEMALLOC": "2"}, None),
    ("env 0", [], {"PYTHONTRACEMALLOC": "0"}, None),
    ("env -E", ["-E"], {"PYTHONTRACEMALLOC": "2"}, None),
    ("X over env", ["-X", "tracemalloc=5"], {"PYTHONTRACEMALLOC": "2"}, None),
    ("other X", ["-X", "int_max_str_digits=5000", "-W", "ignore", "-X", "tracemalloc=4"], {}, None),
    ("X bad", ["-X", "tracemalloc=abc"], {}, "invalid number of frames"),
    ("env bad", [], {"PYTHONTRACEMALLOC": "x1"}, "invalid number of frames"),
    ("X too many", ["-X", "tracemalloc=70000"], {}, "the number of frames must be in range"),
]


def run(cmd, env):
    e = dict(os.environ)
    e.pop("PYTHONTRACEMALLOC", None)
    e.update(env)
    p = subprocess.run(cmd, env=e, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    pymm = os.path.abspath(argv[1])
    py3 = os.environ.get("PYTHON3", "python3")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "tm.py")
        with open(script, "w") as fh:
            fh.write(SCRIPT)
        for name, opts, env, words in CASES:
            try:
                want = run([py3, "-S"] + opts + [script], env)
            except OSError as e:
                print("FAIL %s: python3 not reachable (%s)" % (name, e))
                failed += 1
                continue
            got = run([pymm] + opts + [script], dict(env, PYMM_CHECK_BLOCKS="1"))
            if words is None:
                ok = want[:2] == got[:2] and "not returned" not in got[2] and want[0] == 0
            else:
                ok = (want[0] != 0 and got[0] != 0 and words in want[2] and words in got[2]
                      and "not returned" not in got[2])
            if ok:
                print("ok   %s" % name)
            else:
                failed += 1
                print("FAIL %s\n--- python3 %r\n--- pymm    %r" % (name, want, got))
    print("%d cases, %d failed" % (len(CASES), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
