#!/usr/bin/env python3
"""Differential program fuzzer: random valid Python programs, run under
python3 and under pymm, outputs compared byte for byte.

Each program comes from one integer seed (random.Random(seed)), so any
disagreement is reproduced by its seed alone.  A program is a sequence of
top-level pieces, each printing what it computes:

  - expressions over ints, floats, strs, bytes, lists, tuples, dicts, sets,
    bools and None (arithmetic, comparisons, indexing, slicing, methods,
    conversions), each printed through a guard that prints the exception's
    class and message when it raises;
  - functions (defaults, keyword-only, *args, **kwargs, closures, recursion
    of bounded depth) and their calls;
  - classes (__init__, methods, __repr__, __eq__, __add__, properties,
    inheritance with super()) and instances;
  - exceptions (try/except/else/finally, raise ... from, custom classes);
  - generators (yield, yield from, send, generator expressions) and
    comprehensions.

Everything is deterministic under PYTHONHASHSEED=0: no id(), no addresses,
no set iteration over strs, no timing.  Values stay small (exponents,
repetition counts and loop bounds are bounded), so every program ends fast.

usage:
  progfuzz.py PYMM [--seeds A:B] [--show SEED] [--keep DIR] [--quiet]
    --seeds A:B   run seeds A .. B-1 (default 0:200)
    --show SEED   print the program for SEED and exit (PYMM may be '-')
    --keep DIR    write every disagreeing program to DIR/seed-N.py
Exit status: 0 when every program agrees, 1 otherwise (also when python3
is not reachable: the fuzzer has no oracle then).
"""
import os
import random
import subprocess
import sys
import tempfile

INTS = ["0", "1", "-1", "2", "3", "7", "-5", "10", "255", "256", "257", "1000", "(2**31)",
        "(-2**63)", "(10**20)", "12345678901234567890"]
FLOATS = ["0.0", "-0.0", "0.5", "1.5", "-2.25", "3.14159", "1e10", "1e-7", "2.5e300",
          "float('inf')", "float('-inf')", "float('nan')", "1/3"]
STRS = ["''", "'a'", "'abc'", "'Hello, World'", "('x' * 3)", "'héllo'", "'€uro'", "'a b c'",
        "'  pad  '", "'CamelCase'", "'123'", "'3.5'", "'tab\\there'", "'line\\nbreak'"]
BYTES = ["b''", "b'abc'", "b'\\x00\\xff'", "bytes(3)", "b'hello world'"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.lines = []
        self.indent = 0
        self.nfunc = 0
        self.funcs = []         # (name, nparams)
        self.classes = []       # names
        self.gens = []          # generator function names
        self.tmp = 0

    # -- output --------------------------------------------------------
    def emit(self, line):
        self.lines.append("    " * self.indent + line)

    def fresh(self, prefix="v"):
        self.tmp += 1
        return "%s%d" % (prefix, self.tmp)

    def choice(self, xs):
        return self.r.choice(xs)

    def chance(self, p):
        return self.r.random() < p

    # -- expressions, by type ------------------------------------------
    def int_expr(self, d=0):
        r = self.r
        if d > 2 or r.random() < 0.35:
            return self.choice(INTS) if r.random() < 0.7 else "len(%s)" % self.str_expr(d + 1)
        k = r.randrange(9)
        a, b = self.int_expr(d + 1), self.int_expr(d + 1)
        if k == 0:
            return "(%s %s %s)" % (a, self.choice(["+", "-", "*", "//", "%", "&", "|", "^"]), b)
        if k == 1:
            return "(%s ** %d)" % (a, r.randrange(0, 5))
        if k == 2:
            return "(%s << %d)" % (a, r.randrange(0, 70))
        if k == 3:
            return "abs(%s)" % a
        if k == 4:
            return "int(%s)" % self.choice(["'42'", "'-17'", "3.99", "-3.99", "True", "' 12 '", "'0x1f', 16", "'z'"])
        if k == 5:
            return "(-%s)" % a
        if k == 6:
            return "max(%s, %s)" % (a, b)
        if k == 7:
            return "sum([%s, %s])" % (a, b)
        return "divmod(%s, %s)[%d]" % (a, b, r.randrange(2))

    def float_expr(self, d=0):
        r = self.r
        if d > 2 or r.random() < 0.4:
            return self.choice(FLOATS)
        k = r.randrange(6)
        a, b = self.float_expr(d + 1), self.choice([self.float_expr(d + 1), self.int_expr(d + 1)])
        if k == 0:
            return "(%s %s %s)" % (a, self.choice(["+", "-", "*", "/", "//", "%"]), b)
        if k == 1:
            return "round(%s, %d)" % (a, r.randrange(-1, 4))
        if k == 2:
            return "float(%s)" % self.choice(["'1.25'", "' -3e4 '", "'nan'", "'x'", "7"])
        if k == 3:
            return "(%s ** %s)" % (a, self.choice(["2", "0.5", "-1", "3"]))
        if k == 4:
            return "abs(%s)" % a
        return "min(%s, %s)" % (a, b)

    def str_expr(self, d=0):
        r = self.r
        if d > 2 or r.random() < 0.35:
            return self.choice(STRS)
        s = self.str_expr(d + 1)
        k = r.randrange(14)
        if k == 0:
            return "(%s + %s)" % (s, self.str_expr(d + 1))
        if k == 1:
            return "%s[%s]" % (s, self.choice(["0", "-1", "1:", ":2", "::-1", "1:3", "5"]))
        if k == 2:
            return "%s.%s()" % (s, self.choice(["upper", "lower", "strip", "title", "swapcase", "capitalize"]))
        if k == 3:
            return "%s.replace(%s, %s)" % (s, self.choice(["'a'", "'l'", "' '"]), self.choice(["'-'", "''", "'AA'"]))
        if k == 4:
            return "str(%s)" % self.choice([self.int_expr(d + 1), self.float_expr(d + 1), self.list_expr(d + 1)])
        if k == 5:
            return "repr(%s)" % self.choice([s, self.float_expr(d + 1), self.tuple_expr(d + 1)])
        if k == 6:
            return "'-'.join(%s)" % self.choice(["[%s, %s]" % (s, self.str_expr(d + 1)), "str(%s)" % self.int_expr(d + 1), "['a', 1]"])
        if k == 7:
            parts = [s, self.float_expr(d + 1), self.int_expr(d + 1)]
            # 3.11: no quote of the f-string's own kind (and no nested
            # f-string) inside a replacement field
            parts = [p if not any(c in p for c in ('"', "f'", "\\")) else "'q'" for p in parts]
            return 'f"{(%s)!r:>12}|{(%s):.3f}|{(%s):,}"' % tuple(parts)
        if k == 8:
            return "('%%s=%%d' %% (%s, %s))" % (s, self.int_expr(d + 1))
        if k == 9:
            return "%s.center(%d, '*')" % (s, r.randrange(0, 15))
        if k == 10:
            return "'{0}/{1!r}'.format(%s, %s)" % (s, self.int_expr(d + 1))
        if k == 11:
            return "(%s * %d)" % (s, r.randrange(-1, 4))
        if k == 12:
            return "format(%s, %s)" % (self.choice([self.int_expr(d + 1), self.float_expr(d + 1)]),
                                       self.choice(["'x'", "'08.2f'", "'e'", "'+'", "'_'", "'%'", "'b'"]))
        return "chr(%s)" % self.choice(["65", "233", "8364", "0x110000", "-1"])

    def list_expr(self, d=0):
        r = self.r
        if d > 2 or r.random() < 0.3:
            n = r.randrange(0, 4)
            return "[%s]" % ", ".join(self.any_expr(d + 1) for _ in range(n))
        k = r.randrange(8)
        a = self.list_expr(d + 1)
        if k == 0:
            return "(%s + %s)" % (a, self.list_expr(d + 1))
        if k == 1:
            return "(%s * %d)" % (a, r.randrange(0, 3))
        if k == 2:
            return "sorted(%s)" % self.choice(["[3, 1, 2]", "['b', 'a']", a, "[1, 'a']"])
        if k == 3:
            return "list(range(%d, %d, %d))" % (r.randrange(-3, 3), r.randrange(0, 10), self.choice([1, 2, 3, -1]))
        if k == 4:
            return "[x * 2 for x in range(%d) if x %% %d]" % (r.randrange(0, 8), r.randrange(1, 4))
        if k == 5:
            return "%s[%s]" % (a, self.choice(["1:", "::-1", ":1", "::2"]))
        if k == 6:
            return "list(%s)" % self.choice([self.str_expr(d + 1), self.tuple_expr(d + 1), "{'k': 1, 'j': 2}"])
        return "[%s for _ in range(2)]" % self.int_expr(d + 1)

    def tuple_expr(self, d=0):
        n = self.r.randrange(0, 4)
        if n == 1:
            return "(%s,)" % self.any_expr(d + 1)
        return "(%s)" % ", ".join(self.any_expr(d + 1) for _ in range(n))

    def dict_expr(self, d=0):
        r = self.r
        if r.random() < 0.6 or d > 2:
            n = r.randrange(0, 4)
            keys = r.sample(["'a'", "'b'", "1", "2", "(1, 2)", "None", "True"], n)
            return "{%s}" % ", ".join("%s: %s" % (k, self.any_expr(d + 1)) for k in keys)
        k = r.randrange(4)
        if k == 0:
            return "dict(zip(%s, %s))" % (self.choice(["'abc'", "[1, 2]", "range(3)"]), self.list_expr(d + 1))
        if k == 1:
            return "{k: v for k, v in enumerate(%s)}" % self.str_expr(d + 1)
        if k == 2:
            return "dict(%s, x=%s)" % (self.dict_expr(d + 1), self.int_expr(d + 1))
        return "{**%s, 'z': 0}" % self.dict_expr(d + 1)

    def set_expr(self, d=0):
        items = ", ".join(self.choice(INTS[:10]) for _ in range(self.r.randrange(1, 4)))
        return self.choice(["{%s}" % items, "set(range(%d))" % self.r.randrange(5),
                            "frozenset([%s])" % items])

    def any_expr(self, d=0):
        k = self.r.randrange(10)
        return [self.int_expr, self.float_expr, self.str_expr, self.list_expr, self.tuple_expr,
                self.dict_expr, self.int_expr, self.str_expr,
                lambda d: self.choice(["None", "True", "False"] + BYTES),
                lambda d: self.choice(["sorted(%s)" % self.set_expr(d), "len(%s)" % self.set_expr(d)])][k](d)

    def bool_expr(self, d=0):
        r = self.r
        k = r.randrange(6)
        if k == 0:
            return "(%s %s %s)" % (self.int_expr(d + 1), self.choice(["<", "<=", "==", "!=", ">", ">="]), self.int_expr(d + 1))
        if k == 1:
            return "(%s in %s)" % (self.int_expr(d + 1), self.list_expr(d + 1))
        if k == 2:
            return "(%s == %s)" % (self.any_expr(d + 1), self.any_expr(d + 1))
        if k == 3:
            return "bool(%s)" % self.any_expr(d + 1)
        if k == 4:
            return "(%s and %s)" % (self.any_expr(d + 1), self.any_expr(d + 1))
        return "(not %s or %s)" % (self.any_expr(d + 1), self.any_expr(d + 1))

    # -- statements ------------------------------------------------------
    def show(self, expr):
        """Print repr(expr), or the exception it raises."""
        self.emit("try:")
        self.emit("    print(repr(%s))" % expr)
        self.emit("except Exception as e:")
        self.emit("    print(type(e).__name__, e)")

    def assign(self, name, expr, fallback):
        """name = expr, or fallback after printing the exception."""
        self.emit("try:")
        self.emit("    %s = %s" % (name, expr))
        self.emit("except Exception as e:")
        self.emit("    print(type(e).__name__, e)")
        self.emit("    %s = %s" % (name, fallback))

    def piece_exprs(self):
        for _ in range(self.r.randrange(2, 6)):
            self.show(self.choice([self.int_expr, self.float_expr, self.str_expr, self.list_expr,
                                   self.tuple_expr, self.dict_expr, self.bool_expr, self.any_expr])())

    def piece_container_ops(self):
        v = self.fresh("lst")
        self.assign(v, self.list_expr(), "[]")
        for _ in range(self.r.randrange(2, 6)):
            op = self.choice(["%s.append(%s)" % (v, self.any_expr(1)), "%s.extend(%s)" % (v, self.list_expr(1)),
                              "%s.insert(%d, %s)" % (v, self.r.randrange(-2, 3), self.int_expr(1)),
                              "%s.pop()" % v, "%s.reverse()" % v, "%s.sort()" % v,
                              "%s.remove(%s)" % (v, self.int_expr(1)), "del %s[0]" % v,
                              "%s[0] = %s" % (v, self.any_expr(1)), "%s.clear()" % v,
                              "%s += %s" % (v, self.list_expr(1)), "%s[1:2] = %s" % (v, self.list_expr(1))])
            self.emit("try:")
            self.emit("    %s" % op)
            self.emit("except Exception as e:")
            self.emit("    print(type(e).__name__, e)")
        self.emit("print(%s, len(%s))" % (v, v))
        dv = self.fresh("d")
        self.assign(dv, self.dict_expr(), "{}")
        for _ in range(self.r.randrange(1, 5)):
            op = self.choice(["%s[%s] = %s" % (dv, self.choice(["'a'", "'q'", "3"]), self.any_expr(1)),
                              "print(%s.get('a', 'missing'))" % dv, "print(%s.pop('b', None))" % dv,
                              "print(%s['zz'])" % dv, "%s.update(k=1)" % dv, "print(sorted(%s.items(), key=repr))" % dv,
                              "print(list(%s))" % dv, "print(%s.setdefault('s', []))" % dv,
                              "del %s['a']" % dv])
            self.emit("try:")
            self.emit("    %s" % op)
            self.emit("except Exception as e:")
            self.emit("    print(type(e).__name__, e)")
        self.emit("print(%s)" % dv)

    def piece_function(self):
        name = self.fresh("f")
        kind = self.r.randrange(5)
        if kind == 0:       # defaults and keywords
            self.emit("def %s(a, b=%s, *, c=%s):" % (name, self.choice(INTS), self.choice(STRS)))
            self.emit("    return (a, b, c, a * 2 if isinstance(a, int) else a)")
            calls = ["%s(1)" % name, "%s(2, 3)" % name, "%s(4, c='x')" % name, "%s(b=1, a=2)" % name,
                     "%s()" % name, "%s(1, 2, 3)" % name, "%s(1, d=2)" % name, "%s(1, a=2)" % name]
        elif kind == 1:     # *args / **kwargs
            self.emit("def %s(*args, **kwargs):" % name)
            self.emit("    return len(args), sorted(kwargs.items()), args[-1:] ")
            calls = ["%s()" % name, "%s(1, 2, x=3)" % name, "%s(*%s, **{'y': 1})" % (name, self.list_expr(2)),
                     "%s(*'ab', z=None)" % name]
        elif kind == 2:     # closure
            self.emit("def %s(n):" % name)
            self.emit("    total = [0]")
            self.emit("    def add(k=1):")
            self.emit("        nonlocal n")
            self.emit("        n += k")
            self.emit("        total[0] += n")
            self.emit("        return n, total[0]")
            self.emit("    return add")
            g = self.fresh("acc")
            self.assign(g, "%s(%s)" % (name, self.int_expr(2)), "%s(0)" % name)
            calls = ["%s()" % g, "%s(5)" % g, "%s(k=-2)" % g, "%s('x')" % g]
        elif kind == 3:     # bounded recursion
            self.emit("def %s(n):" % name)
            self.emit("    if n <= 1:")
            self.emit("        return %s" % self.choice(["1", "[n]", "'.'"]))
            self.emit("    return %s(n - 1) %s %s(n - 2)" % (name, self.choice(["+", "*"]) if True else "+", name))
            calls = ["%s(%d)" % (name, self.r.randrange(0, 12)) for _ in range(3)]
        else:               # loops and branches
            self.emit("def %s(xs):" % name)
            self.emit("    out = []")
            self.emit("    for i, x in enumerate(xs):")
            self.emit("        if i %% %d == 0:" % self.r.randrange(1, 4))
            self.emit("            continue")
            self.emit("        elif isinstance(x, str):")
            self.emit("            out.append(x.upper())")
            self.emit("        else:")
            self.emit("            try:")
            self.emit("                out.append(x * 2)")
            self.emit("            except TypeError as e:")
            self.emit("                out.append(str(e))")
            self.emit("        if len(out) > %d:" % self.r.randrange(1, 5))
            self.emit("            break")
            self.emit("    else:")
            self.emit("        out.append('done')")
            self.emit("    return out")
            calls = ["%s(%s)" % (name, self.list_expr(1)) for _ in range(3)]
        for c in calls:
            self.show(c)

    def piece_class(self):
        base = self.fresh("C")
        self.emit("class %s:" % base)
        self.emit("    count = 0")
        self.emit("    def __init__(self, v):")
        self.emit("        self.v = v")
        self.emit("        %s.count += 1" % base)
        self.emit("    def __repr__(self):")
        self.emit("        return '%s(%%r)' %% (self.v,)" % base)
        self.emit("    def __eq__(self, other):")
        self.emit("        return isinstance(other, %s) and self.v == other.v" % base)
        self.emit("    __hash__ = None")
        self.emit("    def __add__(self, other):")
        self.emit("        return %s(self.v + (other.v if isinstance(other, %s) else other))" % (base, base))
        self.emit("    @property")
        self.emit("    def double(self):")
        self.emit("        return self.v * 2")
        self.emit("    def method(self, k=1):")
        self.emit("        return [self.v] * k")
        sub = self.fresh("D")
        self.emit("class %s(%s):" % (sub, base))
        self.emit("    def __init__(self, v, w=0):")
        self.emit("        super().__init__(v)")
        self.emit("        self.w = w")
        self.emit("    def method(self, k=2):")
        self.emit("        return super().method(k) + [self.w]")
        a, b = self.fresh("o"), self.fresh("o")
        self.emit("%s = %s(%s)" % (a, base, self.choice(["1", "'s'", "[1]", "2.5"])))
        self.assign(b, "%s(%s, %s)" % (sub, self.choice(["3", "'t'", "[2]"]), self.int_expr(2)), "%s(0)" % sub)
        for expr in ["%s" % a, "%s" % b, "%s + %s" % (a, b), "%s + 1" % a, "%s == %s" % (a, b), "%s.double" % b,
                     "%s.method()" % b, "%s.method(3)" % a, "%s.count" % base, "isinstance(%s, %s)" % (b, base),
                     "hash(%s)" % a, "%s.missing" % a, "[type(x).__name__ for x in (%s, %s)]" % (a, b),
                     "%s.__class__.__mro__[1].__name__" % b, "vars(%s)" % b, "getattr(%s, 'w', 'none')" % a]:
            if self.chance(0.6):
                self.show(expr)

    def piece_exceptions(self):
        err = self.fresh("E")
        self.emit("class %s(%s):" % (err, self.choice(["Exception", "ValueError", "KeyError", "LookupError"])))
        self.emit("    pass")
        self.emit("def %s_raise(kind):" % err)
        self.emit("    if kind == 0:")
        self.emit("        raise %s('custom', kind)" % err)
        self.emit("    if kind == 1:")
        self.emit("        return 1 // 0")
        self.emit("    if kind == 2:")
        self.emit("        try:")
        self.emit("            [][1]")
        self.emit("        except IndexError as e:")
        self.emit("            raise %s('wrapped') from e" % err)
        self.emit("    if kind == 3:")
        self.emit("        {}['k']")
        self.emit("    return 'fine'")
        for kind in range(5):
            self.emit("try:")
            self.emit("    r = %s_raise(%d)" % (err, kind))
            self.emit("except %s as e:" % self.choice([err, "(%s, ZeroDivisionError)" % err, "Exception"]))
            self.emit("    print('caught', type(e).__name__, e.args, type(e.__cause__).__name__)")
            self.emit("except Exception as e:")
            self.emit("    print('other', type(e).__name__, e)")
            self.emit("else:")
            self.emit("    print('no error', r)")
            self.emit("finally:")
            self.emit("    print('finally %d')" % kind)

    def piece_generator(self):
        g = self.fresh("g")
        self.emit("def %s(n):" % g)
        self.emit("    for i in range(n):")
        self.emit("        got = yield i * %s" % self.choice(["1", "2", "i"]))
        self.emit("        if got is not None:")
        self.emit("            yield ('got', got)")
        self.emit("    return 'end'")
        self.emit("def %s_outer():" % g)
        self.emit("    r = yield from %s(%d)" % (g, self.r.randrange(0, 4)))
        self.emit("    yield r")
        self.show("list(%s(%d))" % (g, self.r.randrange(0, 6)))
        self.show("list(%s_outer())" % g)
        it = self.fresh("it")
        self.emit("%s = %s(3)" % (it, g))
        for op in ["next(%s)" % it, "%s.send('x')" % it, "next(%s)" % it, "next(%s)" % it,
                   "next(%s)" % it, "next(%s)" % it]:
            self.show(op)
        self.show("sum(x * x for x in range(%d))" % self.r.randrange(0, 20))
        self.show("[(a, b) for a in range(3) for b in 'xy' if a != 1]")
        self.show("{k: len(k) for k in ('aa', 'b', '')}")

    def piece_globals(self):
        v = self.fresh("gl")
        self.assign(v, self.int_expr(), "0")
        self.emit("def %s_bump():" % v)
        self.emit("    global %s" % v)
        self.emit("    %s = %s + 1 if isinstance(%s, int) else 0" % (v, v, v))
        self.emit("    return %s" % v)
        self.show("%s_bump()" % v)
        self.show("%s_bump()" % v)
        steps = self.fresh("n")
        self.emit("%s = 0" % steps)
        self.emit("while %s < %d and %s < 50:" % (v, self.r.randrange(-5, 50), steps))
        self.emit("    %s += 1" % steps)
        self.emit("    %s += %d" % (v, self.r.randrange(1, 7)))
        self.emit("    if %s %% 5 == 0:" % v)
        self.emit("        break")
        self.emit("print(%s)" % v)

    def program(self):
        pieces = [self.piece_exprs, self.piece_container_ops, self.piece_function, self.piece_class,
                  self.piece_exceptions, self.piece_generator, self.piece_globals]
        for _ in range(self.r.randrange(3, 8)):
            self.choice(pieces)()
        return "\n".join(self.lines) + "\n"


def run(cmd, path):
    env = dict(os.environ, PYTHONHASHSEED="0")
    try:
        p = subprocess.run(cmd + [path], capture_output=True, timeout=30, env=env)
    except subprocess.TimeoutExpired:
        return (None, b"", b"timeout")
    err = p.stderr
    # tracebacks: compare the last line (the exception) only
    lines = err.decode("utf-8", "replace").splitlines()
    if lines and lines[0].startswith("Traceback"):
        err = (lines[0] + "\n" + lines[-1] + "\n").encode()
    return (p.returncode, p.stdout, err)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    pymm = argv[1]
    a, b = 0, 200
    keep = None
    quiet = "--quiet" in argv
    if "--show" in argv:
        print(Gen(int(argv[argv.index("--show") + 1])).program(), end="")
        return 0
    if "--seeds" in argv:
        a, b = (int(x) for x in argv[argv.index("--seeds") + 1].split(":"))
    if "--keep" in argv:
        keep = argv[argv.index("--keep") + 1]
        os.makedirs(keep, exist_ok=True)
    # the python3 running this script (not a shim that forks a shell per run)
    py = os.environ.get("PYTHON3", sys.executable)
    try:
        subprocess.run([py, "-c", "pass"], check=True)
    except (OSError, subprocess.CalledProcessError):
        print("FAIL: python3 not reachable: the fuzzer has no oracle")
        return 1
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(a, b):
            path = os.path.join(tmp, "prog%d.py" % seed)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(Gen(seed).program())
            want = run([py, "-B", "-S"], path)
            got = run([pymm], path)
            if want != got:
                bad += 1
                if keep:
                    with open(os.path.join(keep, "seed-%d.py" % seed), "w", encoding="utf-8") as fh:
                        fh.write(Gen(seed).program())
                if not quiet:
                    print("DIFF seed %d: python3 exit %s, pymm exit %s" % (seed, want[0], got[0]))
                    wl = (want[1] + want[2]).decode("utf-8", "replace").splitlines()
                    gl = (got[1] + got[2]).decode("utf-8", "replace").splitlines()
                    for i in range(max(len(wl), len(gl))):
                        w = wl[i] if i < len(wl) else "<none>"
                        g = gl[i] if i < len(gl) else "<none>"
                        if w != g:
                            print("  line %d\n    python3: %s\n    pymm:    %s" % (i + 1, w[:200], g[:200]))
                            break
    print("progfuzz: seeds %d..%d: %d programs, %d disagree" % (a, b - 1, b - a, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
