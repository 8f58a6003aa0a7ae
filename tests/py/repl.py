#!/usr/bin/env python3
"""pymm's interactive prompt against python3's, through a pseudo-terminal.

Each session starts both programs on the slave side of a fresh pty (as
its controlling terminal, so Ctrl-C is SIGINT), types the same lines,
each only once the program shows a prompt (">>> " or "... "), and
compares everything the terminal showed (echo, values, tracebacks,
prompts) and the exit status.  Only the banner's two lines may differ
(pymm's version and its second line, see interp/main.c); their shape is
checked.  Then the same sessions with stdin a pipe and -i (the prompts on
stderr, no terminal), comparing stdout, stderr and the status; then
PYTHONSTARTUP files; then a PYMM_FAULT_AT sweep over a piped session.  pymm runs
with PYMM_CHECK_BLOCKS=1: every byte back at exit.

python3 must be reachable (PYTHON3 or python3 on PATH): without it the
test fails.  python3 runs with HOME in a temporary directory (its site
module writes ~/.python_history) and TERM=dumb (no escape sequences).

usage: repl.py PYMM [SESSION ...]   (named sessions only: no startup cases, no sweep)
"""
import fcntl
import os
import re
import select
import subprocess
import sys
import tempfile
import termios
import time
import oracle

CTRL_C = b"\x03"
CTRL_D = b"\x04"
# Ctrl-C while a statement runs: typed once the statement has printed
# "spinning" (it then loops forever), not after a prompt
RUN_CTRL_C = b"<ctrl-c while running>"
SPINNING = re.compile(rb"spinning\r?\n$")

# (name, extra options, lines typed); every line is sent after a prompt
SESSIONS = [
    ("expressions", ["-q"], [b"1 + 2\n", b"'a' * 3\n", b"None\n", b"x = 5\n", b"x\n", b"[x, None]\n",
                             b"_\n", b"_ * 2\n", "'h\u00e9llo \u20ac'\n".encode(), "len('\u20ac')\n".encode(),
                             CTRL_D]),
    ("multiline-def", ["-q"], [b"def f(x):\n", b"    y = x * 2\n", b"    return y\n", b"\n", b"f(21)\n",
                               b"class A:\n", b"    n = 3\n", b"\n", b"A.n\n", CTRL_D]),
    ("brackets-strings", ["-q"], [b"x = (1,\n", b"2,\n", b"3)\n", b"x\n", b"s = '''a\n", b"b'''\n", b"s\n",
                                  b"y = 1 + \\\n", b"2\n", b"y\n", b"if x:\n", b"    # comment\n",
                                  b"    print('yes')\n", b"\n", b"t = '''a\n", b"\n", b"  \n", b"b'''\n", b"t\n",
                                  b"z = [1,\n", b"\n", b"2]\n", b"z\n", CTRL_D]),
    ("errors", ["-q"], [b"1/0\n", b"def g():\n", b"    return undefined\n", b"\n", b"g()\n",
                        b"import sys; sys.last_type\n", b"1 +* 2\n", b"if 1:\n", b"x\n", b"try:\n",
                        b"    pass\n", b"\n", b"print('still here')\n", CTRL_D]),
    # 'single' mode: a compound statement followed by another is an error
    # at once (the compiler's one-statement check), the prompt goes on
    ("compound-then-more", ["-q"], [b"if 1:\n", b"    2\n", b"3\n", b"for i in (1, 2):\n", b"    i\n",
                                    b"foo(1)\n", b"4\n", CTRL_D]),
    ("blank-and-comments", ["-q"], [b"\n", b"   \n", b"# just a comment\n", b"7\n", CTRL_D]),
    ("ctrl-c", ["-q"], [b"1 +", CTRL_C, b"if 1:\n", CTRL_C, b"8\n", CTRL_D]),
    ("ctrl-d-at-ps2", ["-q"], [b"for i in range(2):\n", b"    print(i)\n", CTRL_D, b"'after'\n", CTRL_D]),
    ("eof-in-bracket", ["-q"], [b"x = (1,\n", CTRL_D, CTRL_D]),
    ("eof-in-string", ["-q"], [b"s = '''abc\n", CTRL_D, CTRL_D]),
    ("exit", ["-q"], [b"exit\n", b"quit\n", b"exit(3)\n"]),
    ("sys-exit", ["-q"], [b"import sys\n", b"sys.exit('bye')\n"]),
    ("prompts", ["-q"], [b"import sys\n", b"sys.ps1 = 'A> '\n", b"sys.ps2 = 5\n", b"if 1:\n", b"    2\n",
                         b"\n", CTRL_D], rb"(>>> |A> |\n5)$"),
    ("inspect-after-c", ["-i", "-c", "x = 40; 1/0"], [b"x + 2\n", CTRL_D]),
    # KeyboardInterrupt from a running loop: at the top level, in a
    # function, caught by the statement itself; the prompt comes back
    ("ctrl-c-running", ["-q"], [b"if 1:\n", b"    print('spinning')\n", b"    while True: pass\n", b"\n",
                                RUN_CTRL_C, b"def spin(n):\n", b"    print('spinning')\n",
                                b"    while n >= 0: n += 1\n", b"\n", b"spin(0)\n", RUN_CTRL_C,
                                b"try:\n", b"    spin(0)\n", b"except KeyboardInterrupt as e:\n",
                                b"    print('caught', repr(e))\n", b"\n", RUN_CTRL_C, b"'back'\n", CTRL_D]),
    ("ctrl-c-uncaught-c", ["-c", "print('spinning'); [0 for i in iter(int, 1)]"], [RUN_CTRL_C]),
    ("ctrl-c-inspect", ["-i", "-q", "-c", "print('spinning')\nwhile True: pass"], [RUN_CTRL_C, b"7\n", CTRL_D]),
    ("banner", [], [b"exit\n", CTRL_D]),
]

PROMPT = rb"(>>> |\.\.\. )$"     # a session may name its own
BANNER1 = re.compile(r"^Python 3\.11\.7 \(.*\) \[.*\] on linux$")
BANNER2 = ('Type "help", "copyright", "credits" or "license" for more information.',
           'Type "exit()" or Ctrl-D (i.e. EOF) to exit.')


def child_setup():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def pty_session(cmd, lines, env, prompt):
    """Runs cmd on a pty, typing lines after prompts: (transcript, status)."""
    master, slave = os.openpty()
    p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                         preexec_fn=child_setup)
    os.close(slave)
    out = bytearray()

    def read_until(prompt, deadline):
        while time.monotonic() < deadline:
            r, _, _ = select.select([master], [], [], 0.1)
            if r:
                try:
                    data = os.read(master, 4096)
                except OSError:     # EIO: the child has gone
                    return False
                if not data:
                    return False
                out.extend(data)
                if prompt.search(bytes(out)):
                    return True
            elif p.poll() is not None:
                return False
        return False

    ok = True
    wait = prompt
    for line in lines:
        if line == RUN_CTRL_C:
            wait = SPINNING
        if not read_until(wait, time.monotonic() + 30):
            ok = False
            break
        if line == RUN_CTRL_C:
            # SIGINT through the terminal while the loop runs; a pause
            # first (both loop for a while: nothing measured)
            time.sleep(0.3)
            os.write(master, CTRL_C)
            wait = prompt
            continue
        if line == CTRL_C:
            # python3 shows its prompt a moment before it waits for input,
            # and a SIGINT in between is only seen after the next key:
            # let it reach the wait first (a pause, nothing measured)
            time.sleep(0.5)
        os.write(master, line)
        # a line typed in part is followed by what comes next at once, once
        # its echo is there; anything else waits for the next prompt
        partial = line not in (CTRL_C, CTRL_D) and not line.endswith(b"\n")
        wait = re.compile(re.escape(line) + b"$") if partial else prompt
    # the rest of the output, until the program ends
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            out.extend(data)
        elif p.poll() is not None:
            break
    try:
        status = p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        status = "hung"
    os.close(master)
    # "^C": the terminal's echo of Ctrl-C when the program reads in cooked
    # mode (pymm built without readline), not the program's output
    text = bytes(out).decode("utf-8", "replace").replace("\r\n", "\n").replace("^C", "")
    if not ok:
        text += "\n[no prompt came]"
    return text, status


def split_banner(text):
    lines = text.split("\n", 2)
    return lines[:2], (lines[2] if len(lines) > 2 else "")


# PYTHONSTARTUP: (file text or None for a missing file, options, lines)
STARTUP_CASES = [
    ("print('startup!'); s_var = 41\n", ["-i", "-q"], b"s_var + 1\n"),
    ("print('startup!'); s_var = 41\n", ["-i", "-q", "-c", "x = 1"], b"x\n"),     # a program: not run
    ("print('startup!'); s_var = 41\n", ["-E", "-i", "-q"], b"5\n"),              # -E: not run
    ("1/0\n", ["-i", "-q"], b"5\n"),
    ("x = (\n", ["-i", "-q"], b"5\n"),
    ("raise SystemExit(7)\n", ["-i", "-q"], b"5\n"),
    (None, ["-i", "-q"], b"5\n"),
]


def startup_cases(pymm, py, env, pymm_env, tmp):
    """PYTHONSTARTUP before the first prompt, stdin a pipe.  Returns the
    number of failures."""
    failed = 0
    for i, (text, opts, stdin) in enumerate(STARTUP_CASES):
        path = os.path.join(tmp, "startup%d.py" % i)
        if text is not None:
            with open(path, "w") as f:
                f.write(text)
        w = subprocess.run([py] + opts, input=stdin, capture_output=True, timeout=60,
                           env=dict(env, PYTHONSTARTUP=path))
        g = subprocess.run([pymm] + opts, input=stdin, capture_output=True, timeout=60,
                           env=dict(pymm_env, PYTHONSTARTUP=path))
        want = (w.returncode, w.stdout, w.stderr)
        got = (g.returncode, g.stdout, g.stderr)
        if want == got:
            print("ok   startup %d" % i)
        else:
            failed += 1
            print("FAIL startup %d\n--- python3\n%r\n--- pymm\n%r" % (i, want, got))
    return failed


FAULT_SESSION = b"x = [1, 2]\nx\ndef f(a):\n    return a * 2\n\nf(3)\n1/0\n(1,\n2)\nexit\n"


def strip_tb(text):
    return re.sub(rb"(?m)Traceback \(most recent call last\):\n|^  File .*\n", b"", text)


def fault_sweep(pymm, env):
    """PYMM_FAULT_AT=1, 2, ... over a piped -i session: the Nth allocation
    of the run and the prompt fails.  The session must go on to EOF (exit
    0) with the fault shown as a MemoryError or absorbed, and every byte
    back, until a run where no fault fired.  PYMM_FAULT_STRIDE=K tries
    every Kth allocation (the sanitizer build).  Returns 0 or 1."""
    cmd = [pymm, "-i", "-q", "-c", "pass"]
    base = subprocess.run(cmd, input=FAULT_SESSION, capture_output=True, env=env, timeout=60)
    stride = max(1, int(os.environ.get("PYMM_FAULT_STRIDE", "1")))
    n, runs, absorbed = 1, 0, 0
    while n <= 50000:
        r = subprocess.run(cmd, input=FAULT_SESSION, capture_output=True, timeout=60,
                           env=dict(env, PYMM_FAULT_AT=str(n)))
        err = r.stderr.decode("utf-8", "replace")
        if "fault not fired" in err:
            break
        runs += 1
        same = (r.stdout, r.stderr) == (base.stdout, base.stderr)
        absorbed += same
        # a fault in a traceback entry only drops that entry from the report
        tb_only = (r.stdout == base.stdout and strip_tb(r.stderr) == strip_tb(base.stderr))
        if r.returncode != 0 or "not returned" in err or not (same or tb_only or "MemoryError" in err):
            print("FAIL fault sweep: fault at allocation %d: exit %d\n%s" % (n, r.returncode, err))
            return 1
        n += stride
    else:
        print("FAIL fault sweep: did not end")
        return 1
    if runs == 0:
        print("FAIL fault sweep: no fault fired")
        return 1
    print("ok   fault sweep: %d allocation faults (%d absorbed), no leak" % (runs, absorbed))
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    only = argv[2:]     # session names: those alone (no startup cases, no fault sweep)
    pymm = os.path.abspath(argv[1])
    py = oracle.python3_or_fail()
    if py is None:
        return 1
    home = tempfile.mkdtemp(prefix="pymm-repl-")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYMM_"))}
    env.update(HOME=home, TERM="dumb", PYTHONHASHSEED="0", LC_ALL="C.UTF-8")
    pymm_env = dict(env, PYMM_CHECK_BLOCKS="1")
    failed = 0
    for name, opts, lines, *rest in SESSIONS:
        if only and name not in only:
            continue
        prompt = re.compile(rest[0] if rest else PROMPT)
        want = pty_session([py] + opts, lines, env, prompt)
        got = pty_session([pymm] + opts, lines, pymm_env, prompt)
        if name == "banner":
            (w_banner, w_rest), (g_banner, g_rest) = split_banner(want[0]), split_banner(got[0])
            good = (BANNER1.match(g_banner[0]) and BANNER1.match(w_banner[0]) and w_banner[1] == BANNER2[0]
                    and g_banner[1] == BANNER2[1] and w_rest == g_rest and want[1] == got[1])
        else:
            good = want == got
        if good:
            print("ok   tty %s" % name)
        else:
            failed += 1
            print("FAIL tty %s\n--- python3 (status %s)\n%s\n--- pymm (status %s)\n%s" %
                  (name, want[1], want[0], got[1], got[0]))
    # stdin a pipe: -i reads the lines, prompts on stderr
    for name, opts, lines, *_ in SESSIONS:
        if only and name not in only:
            continue
        if CTRL_C in lines or RUN_CTRL_C in lines or name == "banner":
            continue
        # a pipe has one end: what comes after the first Ctrl-D is not read
        text = b"".join(lines[:lines.index(CTRL_D)] if CTRL_D in lines else lines)
        opts = opts if "-i" in opts else ["-i"] + opts
        w = subprocess.run([py] + opts, input=text, capture_output=True, env=env, timeout=60)
        g = subprocess.run([pymm] + opts, input=text, capture_output=True, env=pymm_env, timeout=60)
        want = (w.returncode, w.stdout, w.stderr)
        got = (g.returncode, g.stdout, g.stderr)
        if want == got:
            print("ok   pipe %s" % name)
        else:
            failed += 1
            print("FAIL pipe %s\n--- python3\n%r\n--- pymm\n%r" % (name, want, got))
    if not only:
        failed += startup_cases(pymm, py, env, pymm_env, home)
        failed += fault_sweep(pymm, pymm_env)
    print("%d sessions failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
