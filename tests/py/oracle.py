"""The python3 the differential drivers compare with (PYTHON3, default
python3 on PATH): python3_or_fail() returns its command, or prints the
failure line and returns None -- a driver that cannot ask its oracle fails,
it never passes."""
import os
import subprocess


def python3_or_fail():
    py = os.environ.get("PYTHON3", "python3")
    try:
        subprocess.run([py, "-c", "pass"], check=True, timeout=60)
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired):
        print("FAIL: python3 not reachable")
        return None
    return py
