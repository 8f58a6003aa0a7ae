#!/usr/bin/env python3
"""`pymm --symtable FILE` against the same report printed from python3's
symtable module, for every *.py in the given directory (or files).

Format (both sides), one block per scope, depth first:
  block <type> <name> line <lineno>[ nested]
    params: <parameter names in order>
    <name> <SCOPE> [param] [assigned] [referenced] [global] [nonlocal] [imported] [annotated]
"""
import os, subprocess, sys, symtable

SCOPES = {symtable.LOCAL: "LOCAL", symtable.GLOBAL_EXPLICIT: "GLOBAL_EXPLICIT",
          symtable.GLOBAL_IMPLICIT: "GLOBAL_IMPLICIT", symtable.FREE: "FREE",
          symtable.CELL: "CELL"}
DEF_GLOBAL, DEF_LOCAL, DEF_PARAM, DEF_NONLOCAL, DEF_USE = 1, 2, 4, 8, 16
DEF_IMPORT, DEF_ANNOT = 128, 256


def dump(t, out):
    typ = t.get_type()
    flags = ""
    if t.is_nested():
        flags += " nested"
    name = t.get_name()
    out.append("block %s %s line %d%s" % (typ, name, t.get_lineno(), flags))
    params = t.get_parameters() if typ == "function" else ()
    out.append("  params:" + "".join(" " + p for p in params))
    for n in sorted(t._table.symbols):
        f = t._table.symbols[n]
        sc = (f >> symtable.SCOPE_OFF) & symtable.SCOPE_MASK
        out.append("  %s %s%s%s%s%s%s%s%s" % (n, SCOPES.get(sc, "NONE"),
            " param" if f & DEF_PARAM else "", " assigned" if f & DEF_LOCAL else "",
            " referenced" if f & DEF_USE else "", " global" if f & DEF_GLOBAL else "",
            " nonlocal" if f & DEF_NONLOCAL else "", " imported" if f & DEF_IMPORT else "",
            " annotated" if f & DEF_ANNOT else ""))
    for c in t.get_children():
        dump(c, out)


def main():
    pymm = sys.argv[1]
    paths = sys.argv[2:]
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += [os.path.join(p, f) for f in sorted(os.listdir(p)) if f.endswith(".py")]
        else:
            files.append(p)
    bad = 0
    for f in files:
        src = open(f, encoding="utf-8").read()
        out = []
        dump(symtable.symtable(src, f, "exec"), out)
        ref = "\n".join(out) + "\n"
        # the type name python3 reports for the module is "module"
        p = subprocess.run([pymm, "--symtable", f], capture_output=True, text=True)
        mine = p.stdout
        if p.returncode != 0 or mine != ref:
            bad += 1
            print("FAIL", f)
            a, b = ref.splitlines(), mine.splitlines()
            for i in range(max(len(a), len(b))):
                x = a[i] if i < len(a) else "<none>"
                y = b[i] if i < len(b) else "<none>"
                if x != y:
                    print("  python3: %s\n  pymm:    %s" % (x, y))
                    break
            if p.returncode:
                print(p.stderr)
    print("symtable: %d/%d files equal" % (len(files) - bad, len(files)))
    sys.exit(1 if bad or not files else 0)


main()
