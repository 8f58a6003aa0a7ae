#!/usr/bin/env python3
"""Compile-time warnings: pymm against python3 3.11.

usage: check_warnings.py COMPILE_MODE CASE_DIR

For every CASE_DIR/*.py, what `COMPILE_MODE exec FILE default|all` prints
on stderr must equal what python3 prints compiling the file with its
default warning filters / with -W default (SyntaxWarnings; then the
DeprecationWarnings too), byte for byte.  Prints "warnings: M/T match".
"""
import glob, os, subprocess, sys

RUNNER = ("import sys\n"
          "with open(sys.argv[1], 'rb') as f:\n"
          "    src = f.read()\n"
          "compile(src, sys.argv[1], 'exec')\n")

def main():
    prog, cases = sys.argv[1], sys.argv[2]
    files = sorted(glob.glob(os.path.join(cases, "*.py")))
    if not files:
        sys.exit("check_warnings.py: no cases in %s" % cases)
    ok = total = 0
    for path in files:
        for mode, flags in (("default", []), ("all", ["-W", "default"])):
            total += 1
            want = subprocess.run([sys.executable, "-B", "-S"] + flags + ["-c", RUNNER, path],
                                  capture_output=True).stderr
            got = subprocess.run([prog, "exec", path, mode], capture_output=True)
            if got.stderr == want and got.returncode == 0 and want:
                ok += 1
            else:
                print("FAIL %s (%s)\n--- python3\n%s--- pymm (exit %d)\n%s" % (
                    path, mode, want.decode("utf-8", "replace"), got.returncode,
                    got.stderr.decode("utf-8", "replace")))
    print("warnings: %d/%d match" % (ok, total))
    sys.exit(0 if ok == total else 1)

if __name__ == "__main__":
    main()
