#!/usr/bin/env python3
"""\\N{...} with Unicode's formal name aliases, against python3.

usage: check_aliases.py PYMM_PARSE

Writes, in a temporary directory, one source file holding every alias of
tools/gen_ucnames.py's list (as written and in lower case) and files that
python3 rejects (named sequences, misspelt aliases), then runs
check_ast.py on them: the ASTs (the decoded strings) must equal python3's,
and the rejected files must fail with python3's message.
"""
import importlib.util, os, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "gen_ucnames", os.path.join(here, "..", "..", "tools", "gen_ucnames.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
aliases = gen.aliases()          # checked against python3's unicodedata there
assert len(aliases) > 400, len(aliases)

REJECTED = [
    "LATIN CAPITAL LETTER A WITH MACRON AND GRAVE",   # named sequence
    "KEYCAP NUMBER SIGN",                             # named sequence
    "LINEFEED", "BYTE ORDER MARKS", "VS0", "VS257", "FVS5", "NBSP ", " NBSP",
]

with tempfile.TemporaryDirectory(prefix="pymm-aliases-") as d:
    paths = []
    good = os.path.join(d, "aliases.py")
    with open(good, "w") as f:
        for name, cp in aliases:
            f.write('a = "\\N{%s}", "x\\N{%s}y", b"\\\\N{%s}"\n' % (name, name.lower(), name))
    paths.append(good)
    for i, name in enumerate(REJECTED):
        p = os.path.join(d, "rejected_%d.py" % i)
        with open(p, "w") as f:
            f.write('ok = 1\ns = "\\N{%s}"\n' % name)
        paths.append(p)
    r = subprocess.run([sys.executable, os.path.join(here, "check_ast.py"), sys.argv[1]] + paths)
    print("aliases: %d names checked, %d rejections" % (len(aliases), len(REJECTED)))
    sys.exit(r.returncode)
