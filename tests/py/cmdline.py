#!/usr/bin/env python3
"""The command line of pymm against python3's: each case runs both programs
in a scratch directory (script files, a module, a package, a PYTHONPATH
directory) and compares exit status, stdout and stderr, after replacing
each program's own path with PROG and the scratch directory with TMP.

python3 must be reachable (PYTHON3 or python3 on PATH): without it every
case fails.  A case marked "pymm only" checks pymm alone (options whose
output is pymm's own: the allocator table, the debug allocator).

usage: cmdline.py PYMM [CASE-NAME ...]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import oracle

FILES = {
    "show.py": "import sys\nprint(__name__, sys.argv, sys.path[0], __file__, __package__)\n",
    "mod.py": "import sys\nprint('mod', __name__, sys.argv, sys.path[0], __file__, __package__)\n",
    "pkg/__init__.py": "print('pkg init', __name__)\n",
    "pkg/__main__.py": "import sys\nprint('pkg main', __name__, sys.argv, __package__)\n",
    "pkg/sub.py": "import sys\nprint('pkg.sub', __name__, sys.argv, __package__)\n",
    "pkg/rel.py": "from . import helper\nimport pkg\nprint('rel', __name__, __package__, helper.X)\n",
    "pkg/helper.py": "print('helper', __name__)\nX = 'x'\n",
    "nomain/__init__.py": "",
    "dirmain/__main__.py": "import sys\nprint(__name__, sys.argv, sys.path[0], __file__, repr(__package__))\n",
    "emptydir/x.txt": "",
    "flags.py": "import sys\nf = sys.flags\nprint(f.optimize, f.dont_write_bytecode, f.no_user_site, f.no_site,"
                " f.ignore_environment, f.isolated, f.safe_path, f.dev_mode, f.hash_randomization)\n",
    # set order follows the str hashes, so it shows the hash key in use
    "hashes.py": "s = {'abc'}\nfor w in ['pymm', 'hash', 'seed', 'x', 'yy', 'zzz', 'order', 'of', 'a', 'set']:\n"
                 "    s.add(w)\nprint(s)\n",
    "usepath.py": "import extra\nprint(extra.V)\n",
    "extradir/extra.py": "V = 'from PYTHONPATH'\n",
    "exit5.py": "import sys\nprint('out')\nsys.exit(5)\n",
    "exitmsg.py": "import sys\nsys.exit('a message')\n",
    "debug.py": "print(__debug__)\n",
    "safe.py": "import sys\nprint(sys.path[0] if sys.path else None)\n",
    "syntax.py": "x = (\n",
    "raises.py": "import sys\nprint('before')\n1 / 0\n",
}

# (name, argv after the program, extra environment, stdin, pymm only)
CASES = [
    ("file", ["show.py", "a", "b"], {}, None, False),
    ("file-S", ["-S", "show.py"], {}, None, False),
    ("file-abs", ["TMP/show.py", "x"], {}, None, False),
    ("dashdash", ["-S", "--", "show.py", "-x"], {}, None, False),
    ("c", ["-S", "-c", "import sys; print(sys.argv, repr(sys.path[0]), __name__)", "q", "-r"], {}, None, False),
    ("c-joined", ["-Sc", "import sys; print(sys.argv)"], {}, None, False),
    ("m-module", ["-S", "-m", "mod", "y"], {}, None, False),
    ("m-package", ["-S", "-m", "pkg", "x"], {}, None, False),
    ("m-submodule", ["-S", "-m", "pkg.sub", "z"], {}, None, False),
    ("m-relative", ["-S", "-m", "pkg.rel"], {}, None, False),
    ("m-relative-checked", ["-S", "-m", "pkg.rel"], {"PYMM_CHECK_BLOCKS": "1"}, None, False),
    ("dir", ["-S", "dirmain", "x"], {}, None, False),
    ("dir-slash", ["-S", "dirmain/"], {}, None, False),
    ("dir-no-main", ["-S", "emptydir"], {}, None, False),
    ("m-missing", ["-S", "-m", "nosuchmodule"], {}, None, False),
    ("m-notpackage", ["-S", "-m", "mod.x"], {}, None, False),
    ("m-noparent", ["-S", "-m", "nosuchpkg.x"], {}, None, False),
    ("m-nomain", ["-S", "-m", "nomain"], {}, None, False),
    ("stdin-dash", ["-S", "-", "a"], {}, "import sys\nprint(sys.argv, repr(sys.path[0]), __name__)\n", False),
    ("stdin", ["-S"], {}, "import sys\nprint(sys.argv, repr(sys.path[0]))\n", False),
    ("flags-none", ["flags.py"], {}, None, False),
    ("flags-many", ["-B", "-s", "-S", "-E", "-O", "flags.py"], {}, None, False),
    ("flags-grouped", ["-BsSEu", "flags.py"], {}, None, False),
    ("flags-isolated", ["-I", "-S", "flags.py"], {}, None, False),
    ("flags-dev", ["-X", "dev", "-S", "flags.py"], {}, None, False),
    ("flags-hashseed0", ["-S", "flags.py"], {"PYTHONHASHSEED": "0"}, None, False),
    ("flags-env-B", ["-S", "flags.py"], {"PYTHONDONTWRITEBYTECODE": "1"}, None, False),
    ("hashseed-0", ["-S", "hashes.py"], {"PYTHONHASHSEED": "0"}, None, False),
    ("hashseed-123", ["-S", "hashes.py"], {"PYTHONHASHSEED": "123"}, None, False),
    ("hashseed-bad", ["-S", "-c", "print(1)"], {"PYTHONHASHSEED": "abc"}, None, False),
    ("hashseed-bad-E", ["-S", "-E", "-c", "print(1)"], {"PYTHONHASHSEED": "abc"}, None, False),
    ("maxdigits-bad", ["-S", "-c", "print(1)"], {"PYTHONINTMAXSTRDIGITS": "5"}, None, False),
    ("pythonpath", ["-S", "usepath.py"], {"PYTHONPATH": "TMP/extradir"}, None, False),
    ("pythonpath-E", ["-S", "-E", "usepath.py"], {"PYTHONPATH": "TMP/extradir"}, None, False),
    ("safe-path", ["-S", "-P", "-c", "import sys; print('' in sys.path)"], {}, None, False),
    ("optimize", ["-S", "-O", "debug.py"], {}, None, False),
    ("no-optimize", ["-S", "debug.py"], {}, None, False),
    ("exit-code", ["-S", "exit5.py"], {}, None, False),
    ("exit-message", ["-S", "exitmsg.py"], {}, None, False),
    ("c-exit", ["-S", "-c", "import sys; sys.exit(7)"], {}, None, False),
    ("syntax-error", ["-S", "syntax.py"], {}, None, False),
    ("c-syntax-error", ["-S", "-c", "x = ("], {}, None, False),
    ("uncaught", ["-S", "raises.py"], {}, None, False),
    ("version", ["-V"], {}, None, False),
    ("version-long", ["--version"], {}, None, False),
    ("unknown-option", ["-z"], {}, None, False),
    ("c-no-argument", ["-c"], {}, None, False),
    ("m-no-argument", ["-m"], {}, None, False),
    ("no-such-file", ["nosuchfile.py"], {}, None, False),
    ("help", ["-h"], {}, None, "help"),
    ("mallocstats", ["-S", "-c", "x = [1]"], {"PYTHONMALLOCSTATS": "1"}, None, "mallocstats"),
    ("malloc-debug", ["-S", "-c", "print([1, 2] * 2)"], {"PYTHONMALLOC": "debug"}, None, "ok"),
    ("dev-mode", ["-X", "dev", "-S", "-c", "print({1: 2})"], {}, None, "ok"),
    # every byte back with the debug allocator on (its quarantine is not a leak)
    ("dev-mode-checked", ["-X", "dev", "-S", "-c", "print([{1: 2}] * 3)"], {"PYMM_CHECK_BLOCKS": "1"}, None, "ok"),
    ("malloc-debug-checked", ["-S", "show.py"], {"PYTHONMALLOC": "debug", "PYMM_CHECK_BLOCKS": "1"}, None, "ok"),
]

TB = "Traceback (most recent call last):"


def normalise(text, prog, tmp):
    text = text.replace(prog, "PROG").replace(tmp, "TMP")
    lines = text.splitlines()
    if lines and lines[0] == TB:        # pymm's tracebacks: first and last line (as run.py)
        return TB + "\n" + lines[-1] + "\n"
    return text


def run(prog, argv, env_extra, stdin, tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") or k == "PYTHON3"}
    for k, v in env_extra.items():
        env[k] = v.replace("TMP", tmp)
    argv = [a.replace("TMP", tmp) for a in argv]
    p = subprocess.run([prog] + argv, cwd=tmp, env=env, input=(stdin or "").encode(),
                       capture_output=True, timeout=60)
    return (p.returncode, normalise(p.stdout.decode("utf-8", "replace"), prog, tmp),
            normalise(p.stderr.decode("utf-8", "replace"), prog, tmp))


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    pymm = os.path.abspath(argv[1])
    only = set(argv[2:])
    py = oracle.python3_or_fail()
    if py is None:
        return 1
    py = shutil.which(py) or py
    tmp = os.path.realpath(tempfile.mkdtemp(prefix="pymm-cmdline-"))
    failed = 0
    try:
        for name, text in FILES.items():
            path = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as fh:
                fh.write(text)
        for name, args, env, stdin, special in CASES:
            if only and name not in only:
                continue
            got = run(pymm, args, env, stdin, tmp)
            if special:
                rc, out, err = got
                ok = {"help": rc == 0 and out.startswith("usage: PROG [option] ..."),
                      "mallocstats": rc == 0 and "arenas" in err,
                      "ok": rc == 0 and err == "" and out != ""}[special]
                want = "(pymm only: %s)" % special
            else:
                want = run(py, args, env, stdin, tmp)
                ok = got == want
            if ok:
                print("ok   %s" % name)
            else:
                failed += 1
                print("FAIL %s\n--- python3\n%s\n--- pymm\n%s" % (name, want, got))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
