#!/usr/bin/env python3
"""The std streams' buffering, checked against python3 with stdout and
stderr captured together.

run.py captures stdout and stderr apart, so it cannot see the order in
which the two reach the descriptors.  Here each case runs under python3
and under pymm with both streams joined into one pipe (and once on a
pseudo-terminal), with PYTHONUNBUFFERED=1 (python3 -u: every write goes
out at once) and without it (stdout block-buffered into a pipe and
line-buffered on a terminal, stderr line-buffered), and with the given
stdin; the joined bytes and the exit status must be equal.  Traceback
lines other than the first and the last ("Kind: message") are dropped,
as run.py does, until pymm prints full tracebacks.

Cases that need `import sys` report that they were not run when the
build has no sys module yet (the import/sys part adds it); every other
case always runs.  python3 must be reachable, or the test fails.

usage: bi_stdio.py PYMM
"""
import os
import pty
import subprocess
import sys
import tempfile
import oracle

TB = "Traceback (most recent call last):"

# (name, source, stdin bytes, needs sys)
CASES = [
    ("interleave_fd2",
     "f = open(2, 'w', closefd=False, buffering=1)\n"
     "print('a')\nprint('b', end='')\nprint('c', flush=True)\n"
     "f.write('err1\\n')\nprint('d', 'e', sep='-')\nf.write('e2')\n"
     "print('x' * 5000)\nf.write('\\n')\nprint('end')\n", b"", False),
    ("chunks",
     "f = open(2, 'w', closefd=False, buffering=1)\nn = 0\n"
     "for c in 'x' * 3000:\n    n += 1\n    print(n, c * (n % 7))\n"
     "    if n % 500 == 0:\n        f.write(f'mark {n}\\n')\n"
     "print('done')\n", b"", False),
    ("uncaught", "print('before')\nprint('partial', end='')\n1 / 0\n", b"", False),
    ("input",
     "s = input('name? ')\nprint('got', s)\nt = input()\nprint(repr(t))\n"
     "u = input('x' * 3)\nprint(u)\ninput('more')\n", b"bob\n  second line \nlast", False),
    ("sys_streams",
     "import sys\nprint('o1')\nsys.stderr.write('e1')\nprint('o2')\n"
     "sys.stderr.write('e2\\n')\nprint('o3', file=sys.stderr)\n"
     "print(sys.stdout.line_buffering, sys.stderr.line_buffering)\n"
     "print(sys.stdout.write_through, sys.stderr.write_through, sys.stderr.errors)\n"
     "print(repr(sys.stdout), repr(sys.stderr), repr(sys.stdin))\n"
     "sys.stdout.write('tail')\n", b"", True),
]


def normalise(out):
    text = out.decode("utf-8", "replace").replace("\r\n", "\n")
    lines = text.split("\n")
    keep, i = [], 0
    while i < len(lines):
        line = lines[i]
        keep.append(line)
        if line.endswith(TB):
            i += 1
            while i < len(lines) and lines[i].startswith(" "):
                i += 1
            continue
        i += 1
    return "\n".join(keep)


def run_pipe(cmd, path, stdin, env):
    p = subprocess.run(cmd + [path], input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, env=env, timeout=60)
    return p.returncode, normalise(p.stdout)


def run_pty(cmd, path, stdin, env):
    """stdout and stderr on one pseudo-terminal, stdin from a pipe."""
    master, slave = pty.openpty()
    p = subprocess.Popen(cmd + [path], stdin=subprocess.PIPE, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    p.stdin.write(stdin)
    p.stdin.close()
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    rc = p.wait(timeout=60)
    return rc, normalise(b"".join(chunks))


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    pymm = os.path.abspath(argv[1])
    py = oracle.python3_or_fail()
    if py is None:
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, "probe.py")
        with open(probe, "w") as fh:
            fh.write("import sys\n")
        have_sys = subprocess.run([pymm, probe], capture_output=True, timeout=60).returncode == 0
        failed = ran = 0
        for name, src, stdin, needs_sys in CASES:
            if needs_sys and not have_sys:
                print("not run %s: this build has no sys module" % name)
                continue
            path = os.path.join(tmp, name + ".py")
            with open(path, "w") as fh:
                fh.write(src)
            for how, runner in (("pipe", run_pipe), ("pty", run_pty)):
                for unbuffered in ("1", None):
                    env = dict(os.environ)
                    env.pop("PYTHONUNBUFFERED", None)
                    if unbuffered:
                        env["PYTHONUNBUFFERED"] = unbuffered
                    env["PYTHONHASHSEED"] = "0"
                    want = runner([py, "-B", "-S"], path, stdin, env)
                    got = runner([pymm], path, stdin, env)
                    ran += 1
                    label = "%s [%s, %s]" % (name, how, "unbuffered" if unbuffered else "buffered")
                    if want != got:
                        failed += 1
                        print("FAIL %s\n--- python3 (exit %d)\n%r\n--- pymm (exit %d)\n%r"
                              % (label, want[0], want[1], got[0], got[1]))
                    else:
                        print("ok   %s" % label)
        print("%d runs, %d failed" % (ran, failed))
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
