#!/usr/bin/env python3
"""-X importtime (and PYTHONPROFILEIMPORTTIME) of pymm against python3's.

Each case runs a program under both, in a temporary directory holding a
few modules (nested imports, a package with a relative import, a module
whose code fails, a missing module) and the built-in modules math and gc.
The program first writes a marker to stderr: python3's own start-up imports
come before it and are not compared.  After the marker, every
"import time: SELF | CUMULATIVE | NAME" line is compared by its name and
its indentation (the nesting), never by its times (only their form: whole
microseconds, cumulative >= self); every other stderr line (a traceback),
stdout and the exit status must be equal.  pymm's header line
("import time: self [us] | cumulative | imported package") must come once,
before its first timing line.  pymm runs with PYMM_CHECK_BLOCKS=1.

python3 must be reachable (PYTHON3 or python3 on PATH): without it the
test fails.

usage: importtime.py PYMM
"""
import os
import re
import subprocess
import sys
import tempfile
import oracle

MARK = "--- program starts ---"
HEADER = "import time: self [us] | cumulative | imported package"
LINE = re.compile(r"^import time: +(\d+) \| +(\d+) \| ( *)(\S+)$")

MODULES = {
    "it_a.py": "import it_b\nimport math\n",
    "it_b.py": "import it_c\n",
    "it_c.py": "x = 1\n",
    "it_bad.py": "import it_c2\n1/0\n",
    "it_c2.py": "y = 2\n",
    "it_pkg/__init__.py": "import it_c3\n",
    "it_pkg/sub.py": "from . import sub2\nfrom .deep import leaf\n",
    "it_pkg/sub2.py": "z = 3\n",
    "it_pkg/deep/__init__.py": "",
    "it_pkg/deep/leaf.py": "import gc\n",
    "it_c3.py": "",
    "it_lazy.py": "def f():\n    import it_late\n    return it_late.v\n",
    "it_late.py": "v = 'late'\n",
}

PROLOGUE = "import sys\nsys.stderr.write(%r + '\\n')\nsys.stderr.flush()\n" % MARK

# (name, options, environment additions, program text)
CASES = [
    ("nested", ["-X", "importtime"], {}, "import it_a\nimport it_a\nimport it_c\nprint(it_a.it_b.it_c.x)\n"),
    ("package", ["-X", "importtime"], {}, "import it_pkg.sub\nfrom it_pkg import sub2\nprint(sub2.z)\n"),
    ("failures", ["-X", "importtime"], {},
     "try:\n    import it_nosuch\nexcept ImportError as e:\n    print(e)\n"
     "try:\n    import it_bad\nexcept ZeroDivisionError as e:\n    print(e)\n"
     "import it_lazy\nprint(it_lazy.f(), it_lazy.f())\n__import__('it_c')\n"),
    ("uncaught", ["-X", "importtime"], {}, "import it_c\nimport it_bad\n"),
    ("env", [], {"PYTHONPROFILEIMPORTTIME": "1"}, "import it_a\n"),
    ("env-ignored", ["-E"], {"PYTHONPROFILEIMPORTTIME": "1"}, "import it_a\n"),
    ("off", [], {}, "import it_a\n"),
]


def after_mark(stderr):
    lines = stderr.splitlines()
    return lines[lines.index(MARK) + 1:] if MARK in lines else None


def shape(lines):
    """(indent, name) for timing lines, the text for the others; plus the
    form errors found."""
    out, errors = [], []
    for line in lines:
        if line == HEADER:
            out.append("<header>")
            continue
        m = LINE.match(line)
        if line.startswith("import time:") and not m:
            errors.append("malformed: %r" % line)
        if m:
            self_us, cum_us = int(m.group(1)), int(m.group(2))
            if cum_us < self_us:
                errors.append("cumulative < self: %r" % line)
            out.append("%d %s" % (len(m.group(3)), m.group(4)))
        else:
            out.append(line)
    return out, errors


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    pymm = os.path.abspath(argv[1])
    py = oracle.python3_or_fail()
    if py is None:
        return 1
    tmp = tempfile.mkdtemp(prefix="pymm-importtime-")
    for rel, text in MODULES.items():
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYMM_"))}
    env.update(PYTHONHASHSEED="0", LC_ALL="C.UTF-8")
    failed = 0
    for name, opts, extra, body in CASES:
        script = os.path.join(tmp, "prog_%s.py" % name.replace("-", "_"))
        with open(script, "w") as f:
            f.write(PROLOGUE + body)
        w = subprocess.run([py, "-S", "-B"] + opts + [script], capture_output=True, text=True, cwd=tmp,
                           env=dict(env, **extra), timeout=60)
        g = subprocess.run([pymm, "-S", "-B"] + opts + [script], capture_output=True, text=True, cwd=tmp,
                           env=dict(env, PYMM_CHECK_BLOCKS="1", **extra), timeout=60)
        w_lines, g_lines = after_mark(w.stderr), after_mark(g.stderr)
        problems = []
        if w_lines is None or g_lines is None:
            problems.append("no marker on stderr")
        else:
            # python3 wrote its header during start-up, before the marker
            g_head = g.stderr.splitlines().count(HEADER)
            w_timed = any(LINE.match(x) for x in w.stderr.splitlines())
            if g_head != (1 if w_timed else 0):
                problems.append("pymm wrote the header %d times" % g_head)
            if "<header>" in shape(g_lines)[0] and not g_lines[0] == HEADER:
                problems.append("pymm's header is not before its first line")
            (w_shape, w_err), (g_shape, g_err) = shape(w_lines), shape(g_lines)
            g_shape = [x for x in g_shape if x != "<header>"]
            problems += w_err + g_err
            if w_shape != g_shape:
                problems.append("stderr differs:\n--- python3\n%s\n--- pymm\n%s" %
                                ("\n".join(w_shape), "\n".join(g_shape)))
        if (w.returncode, w.stdout) != (g.returncode, g.stdout):
            problems.append("stdout / status differ: python3 %r, pymm %r" % ((w.returncode, w.stdout),
                                                                              (g.returncode, g.stdout)))
        if problems:
            failed += 1
            print("FAIL %s\n%s" % (name, "\n".join(problems)))
        else:
            timed = sum(1 for x in (g_lines or []) if LINE.match(x))
            print("ok   %s (%d import lines)" % (name, timed))
    print("%d cases failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
