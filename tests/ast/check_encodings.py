#!/usr/bin/env python3
"""Source encodings (PEP 263 cookies) against python3.

usage: check_encodings.py PYMM_PARSE

In a temporary directory: for every codec of interp/srcenc.h, a file in
that encoding with every byte 0x80..0xFF it defines inside a string (the
cookie on line 1, or line 2 after a comment line); for every name the
table lists, a file naming the codec that way (case and punctuation
varied as python3's registry allows); names python3 rejects.  Then
check_ast.py on all of them: ASTs (the decoded strings) equal python3's,
rejected files fail with python3's message.
"""
import codecs, os, re, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
hdr = open(os.path.join(here, "..", "..", "interp", "srcenc.h")).read()
codec_names = re.findall(r'"([a-z0-9_]+)",', hdr[hdr.index("srcenc_codec_names"):hdr.index("srcenc_high")])
names = re.findall(r'\{"([^"]+)", [A-Z0-9_]+, [01]\}', hdr)
assert len(codec_names) > 50 and len(names) > 200, (len(codec_names), len(names))

REJECTED = ["bogus", "utf-16", "utf-32", "rot13", "hex", "mac.roman", "cp1252."]

def variants(n):
    """Spellings python3's codec registry maps to the same name."""
    yield n
    yield n.upper()
    yield n.replace("_", "-")
    if n[0].isalpha():
        yield n.replace("_", "--").title()

with tempfile.TemporaryDirectory(prefix="pymm-enc-") as d:
    paths = []
    for i, m in enumerate(codec_names):
        high = bytes(b for b in range(0x80, 0x100)
                     if bytes([b]).decode(m, "replace") not in ("\ufffd", "'", "\\"))
        p = os.path.join(d, "codec_%02d_%s.py" % (i, m))
        head = b"# -*- coding: %s -*-\n" % m.encode() if i % 2 else b"#!/usr/bin/env python3\n# vim: set fileencoding=%s :\n" % m.encode()
        with open(p, "wb") as f:
            f.write(head + b"s = '" + high + b"'\nt = b'\\x80'\n# " + high + b"\n")
        paths.append(p)
    k = 0
    for n in names:
        for v in variants(n):
            try:
                codecs.lookup(v)
            except LookupError:
                continue
            p = os.path.join(d, "name_%04d.py" % k)
            k += 1
            with open(p, "wb") as f:
                f.write(b"# coding=" + v.encode() + b"\ns = 'plain ascii'\n")
            paths.append(p)
    for i, n in enumerate(REJECTED):
        p = os.path.join(d, "rejected_%d.py" % i)
        with open(p, "wb") as f:
            f.write(b"# coding: " + n.encode() + b"\nx = 1\n")
        paths.append(p)
    r = subprocess.run([sys.executable, os.path.join(here, "check_ast.py"), sys.argv[1]] + paths)
    print("encodings: %d codecs, %d spellings, %d rejected names" % (len(codec_names), k, len(REJECTED)))
    sys.exit(r.returncode)
