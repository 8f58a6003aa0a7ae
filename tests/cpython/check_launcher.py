"""Check that pymm-python behaves as python3 of the tree it embeds.

usage: python3 check_launcher.py <pymm-python> <python3>

Same version, sys.prefix, sys.exec_prefix, sys.path, stdlib and site-packages
as python3; scripts get their argv; `-m` runs modules; exit codes and
uncaught exceptions come out as python3's do; the regression-test package
imports from the same place.  Run with pymm on and with PYMM_OFF=1.
"""
import os
import subprocess
import sys
import tempfile

PROBE = r'''
import sys, sysconfig, test
print(repr((sys.version, sys.prefix, sys.exec_prefix, sys.base_prefix,
            [p for p in sys.path if p],
            sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"],
            test.__file__, sys.flags)))
'''

failures = []


def check(cond, what, detail=""):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)
        if detail:
            print(detail)


def run(args, env_extra=None, **kw):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYMM_")}
    env.update(env_extra or {})
    return subprocess.run(args, env=env, capture_output=True, text=True,
                          timeout=120, **kw)


def main():
    exe, py = sys.argv[1], sys.argv[2]
    ref = run([py, "-c", PROBE])
    check(ref.returncode == 0, "python3 probe runs", ref.stderr)
    for label, env in (("pymm", {}), ("PYMM_OFF=1", {"PYMM_OFF": "1"})):
        r = run([exe, "-c", PROBE], env)
        check(r.returncode == 0, "%s: probe runs" % label, r.stderr)
        check(r.stdout == ref.stdout,
              "%s: version, prefixes, sys.path, stdlib, site-packages, test "
              "package and flags are python3's" % label,
              "pymm-python: %s\npython3:     %s" % (r.stdout, ref.stdout))

        with tempfile.TemporaryDirectory() as d:
            script = os.path.join(d, "s.py")
            with open(script, "w") as f:
                f.write("import sys\nprint(sys.argv[1:])\nsys.exit(int(sys.argv[1]))\n")
            r = run([exe, script, "3", "x y"], env)
            check(r.returncode == 3 and r.stdout == "['3', 'x y']\n",
                  "%s: script.py gets argv and its exit status" % label,
                  "rc=%d out=%r err=%r" % (r.returncode, r.stdout, r.stderr))

        r = run([exe, "-m", "json.tool"], env, input='{"a": [1, 2]}')
        check(r.returncode == 0 and '"a"' in r.stdout,
              "%s: -m json.tool reads stdin" % label, r.stderr)

        r = run([exe, "-c", "raise KeyError('boom')"], env)
        check(r.returncode == 1 and "KeyError: 'boom'" in r.stderr,
              "%s: an uncaught exception exits 1 with a traceback" % label, r.stderr)

        r = run([exe, "--version"], env)
        check(r.returncode == 0 and r.stdout.startswith("Python 3.11"),
              "%s: --version" % label, r.stdout + r.stderr)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
