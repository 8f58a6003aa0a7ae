#!/usr/bin/env python3
"""Differential cases for pymm's memoryview (tests/c/test_memoryview_diff.c).

Makes random cases -- a bytes or bytearray of random size and contents,
then a random program of memoryview operations (cast with and without a
shape, slices with steps, items and tuples of indices, item and slice
assignments, tolist, tobytes(order), hex(sep, bytes_per_sep), attributes,
len, iteration, ==, hash, toreadonly, release) -- runs each operation on
this python3's memoryview, and prints the program with every expected
result.  The C test replays the same program through pymm's C API and
compares its output line by line.

Usage: gen_memoryview_cases.py [--seed N] [--count N]

Output, one line each:
  C <bytes|bytearray> <hex>     a new case: base object, cur = memoryview(base)
  O <op> <args...>              an operation on cur
  E <result>                    its result: repr, 'ok', or 'ExcName: message'
  Z                             end of case

Operations (args separated by single spaces; N is None):
  cast FMT [d1,d2,...|-]   cur = cur.cast(FMT[, shape]) ('-' = shape [], FMT '-' = '')
  slice A B C              cur = cur[A:B:C]
  get I / getm I,J,..      repr(cur[I]) / repr(cur[I, J, ...])
  set I V / setm I,J V     cur[I] = V          V: i:INT f:FLOAT T F b:HEX s:STR n
  setslice A B C FMT HEX   cur[A:B:C] = memoryview(bytes.fromhex(HEX)).cast(FMT)
  tolist | len | list | attrs | toreadonly | release | repr0
  hash                     hash(cur) == hash(cur.tobytes())
  tobytes ORDER            ORDER in C F A N (None) X (invalid)
  hex | hex SEP BPS        SEP: s:CHARHEX or b:BYTEHEX (character / byte in hex)
  eq FMT HEX               cur == memoryview(bytes.fromhex(HEX)).cast(FMT)
  eqbytes                  cur == cur.tobytes()
  eqstruct F1 S1 N1 HEX1 F2 S2 N2 HEX2
                           two 1-D views of N items of format F (itemsize S)
                           made by a C exporter: view1 == view2 (expected from
                           the struct module, as CPython compares them)
  half HEX                 memoryview(bytes.fromhex(HEX)).cast('e')[0] (2 bytes)
  halfpack V               m = memoryview(bytearray(2)).cast('e'); m[0] = V; m.hex()
"""
import argparse
import math
import random
import struct
import sys

# 'e' is left out: CPython 3.11 refuses cast('e') (pymm accepts it, as 3.12).
FORMATS = list("cbB?hHiIlLqQnNfdP")


def fmt_size(f):
    return struct.calcsize(f.lstrip("@"))


def exc_text(e):
    return "%s: %s" % (type(e).__name__, e)


def attrs(m):
    return "%s %d %d %r %r %d %r %r %r %r %r" % (
        m.format, m.itemsize, m.ndim, m.shape, m.strides, m.nbytes, m.readonly,
        m.c_contiguous, m.f_contiguous, m.contiguous, m.suboffsets)


def rand_value(rng, fmt):
    f = fmt.lstrip("@")
    r = rng.random()
    if r < 0.08:
        return "s:x", "x"
    if r < 0.12:
        return "n", None
    if f == "c" or r < 0.16:
        n = 1 if rng.random() < 0.85 else rng.choice([0, 2])
        b = bytes(rng.randrange(256) for _ in range(n))
        return "b:" + b.hex(), b
    if f in "fd" or r < 0.22:
        x = rng.choice([0.0, -0.0, 1.5, -2.25, 1e10, 3.4e38, 3.5e38, 1e300, float("inf"),
                        float("nan"), rng.uniform(-1e6, 1e6), 65504.0, 65520.0, 1e-8])
        return "f:" + repr(x), x
    if f == "?" or r < 0.26:
        b = rng.random() < 0.5
        return ("T" if b else "F"), b
    size = fmt_size(f)
    bits = size * 8
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if f in "bhilqn" else (0, (1 << bits) - 1)
    c = rng.random()
    if c < 0.6:
        v = rng.randint(lo, hi)
    elif c < 0.8:
        v = rng.choice([lo, hi, lo - 1, hi + 1, 0, -1, 1 << 64, -(1 << 63) - 1])
    else:
        v = rng.randint(-300, 300)
    return "i:%d" % v, v


def slice_arg(rng, n):
    def one():
        if rng.random() < 0.25:
            return None
        return rng.randint(-n - 3, n + 3)
    step = None if rng.random() < 0.2 else rng.choice([1, 1, 2, 3, -1, -2, -3, 5, 0] if rng.random() < 0.95 else [0])
    return one(), one(), step


def s2(x):
    return "N" if x is None else str(x)


# Formats a C exporter may use; compared by value as CPython does through
# the struct module (both views made with pm_memoryview_from_buffer).
STRUCT_FORMATS = ["b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "n", "N", "f", "d", "e",
                  "?", "c", "P", "@i", "<h", ">h", "!H", "=q", "<i", ">I", "<e", ">e", "<d",
                  ">f", "<?", "hh", "2h", "ii", "bxh", "xxi", "3s", "4p", "2c", "c2x", "<2h",
                  ">bq", "bq", "x", "3x", "0i", "0s", "s", "p", "?b", "2e", "fd", "<fd", "iq"]


def native_char(f):
    g = f[1:] if f.startswith("@") else f
    return g if len(g) == 1 and g in "cbB?hHiIlLqQnNfdeP" else None


def struct_items_equal(f1, b1, f2, b2):
    """memoryview ==, item by item, for formats f1 and f2 (CPython 3.11)."""
    c1, c2 = native_char(f1), native_char(f2)
    if c1 and c1 == c2 and c1 != "e":
        # the fast path: C's == on the native type
        if c1 in "fd":
            return struct.unpack(f1, b1)[0] == struct.unpack(f2, b2)[0]
        return b1 == b2
    v, w = struct.unpack(f1, b1), struct.unpack(f2, b2)
    v = v[0] if len(v) == 1 else v
    w = w[0] if len(w) == 1 else w
    return v == w


def gen_eqstruct(rng, run):
    f1, f2 = rng.choice(STRUCT_FORMATS), rng.choice(STRUCT_FORMATS)
    if rng.random() < 0.3:
        f2 = f1
    s1, s2 = struct.calcsize(f1), struct.calcsize(f2)
    n = rng.choice([0, 1, 2, 3, 5])
    items1 = [bytes(rng.randrange(256) for _ in range(s1)) for _ in range(n)]
    items2 = []
    for it in items1:
        raw = bytes(rng.randrange(256) for _ in range(s2))
        if rng.random() < 0.7:
            try:            # the same values in the other format, when they fit
                raw = struct.pack(f2, *struct.unpack(f1, it))
            except Exception:
                pass
        items2.append(raw)
    if rng.random() < 0.1 and n:
        items2 = items2[:-1]            # shapes differ
    b1, b2 = b"".join(items1), b"".join(items2)

    def do():
        if len(items1) != len(items2):
            return "False"
        return repr(all(struct_items_equal(f1, x, f2, y) for x, y in zip(items1, items2)))
    run("eqstruct %s %d %d %s %s %d %d %s" % (f1, s1, len(items1), b1.hex() or "-",
                                            f2, s2, len(items2), b2.hex() or "-"), do)


def gen_case(rng, out):
    kind = rng.choice(["bytes", "bytearray", "bytearray", "bytearray"])
    n = rng.choice([0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, rng.randint(0, 100)])
    data = bytes(rng.randrange(256) for _ in range(n))
    if rng.random() < 0.2:
        data = bytes(rng.choice([0, 1, 255, 0x7f, 0x80]) for _ in range(n))
    base = bytes(data) if kind == "bytes" else bytearray(data)
    out.append("C %s %s" % (kind, data.hex() or "-"))
    cur = memoryview(base)
    views = [cur]

    def run(op, fn):
        out.append("O " + op)
        try:
            r = fn()
            out.append("E " + r)
        except Exception as e:          # noqa: BLE001 -- every error is a result
            out.append("E " + exc_text(e))

    for _ in range(rng.randint(3, 14)):
        try:
            ndim, shape0, nbytes, fmt = cur.ndim, cur.shape, cur.nbytes, cur.format
            length = len(cur) if ndim >= 1 else 1
        except Exception:
            ndim, shape0, nbytes, fmt, length = 1, (4,), 4, "B", 4
        k = rng.random()
        if k < 0.16:
            f = rng.choice(FORMATS)
            if rng.random() < 0.15:
                f = "@" + f
            if rng.random() < 0.03:
                f = rng.choice(["x", "<i", "ii", ""])
            shape_txt, shape = None, None
            if rng.random() < 0.5:
                try:
                    total = nbytes // fmt_size(f) if f and f not in ("x", "<i", "ii") else 4
                except Exception:
                    total = 4
                dims = []
                t = max(total, 1)
                for _ in range(rng.randint(0, 3)):
                    divs = [d for d in range(1, t + 1) if t % d == 0]
                    d = rng.choice(divs)
                    dims.append(d)
                    t //= d
                if dims and rng.random() < 0.8:
                    dims[-1] *= t
                if rng.random() < 0.1 and dims:
                    dims[0] += 1
                shape = dims
                shape_txt = ",".join(map(str, dims)) if dims else "-"
            def do(f=f, shape=shape):
                nonlocal cur
                r = cur.cast(f, shape) if shape is not None else cur.cast(f)
                cur = r
                views.append(r)
                return "ok"
            run("cast %s%s" % (f or "-", "" if shape_txt is None else " " + shape_txt), do)
        elif k < 0.28:
            a, b, c = slice_arg(rng, length)
            def do(a=a, b=b, c=c):
                nonlocal cur
                r = cur[a:b:c]
                cur = r
                views.append(r)
                return "ok"
            run("slice %s %s %s" % (s2(a), s2(b), s2(c)), do)
        elif k < 0.38:
            if rng.random() < 0.3 or ndim <= 1:
                i = rng.randint(-length - 1, length)
                run("get %d" % i, lambda i=i: repr(cur[i]))
            else:
                idx = tuple(rng.randint(-2, max(1, d)) for d in (shape0 or ()))
                if rng.random() < 0.2:
                    idx = idx[:-1] if idx else (0,)
                run("getm %s" % (",".join(map(str, idx)) or "-"), lambda idx=idx: repr(cur[idx]))
        elif k < 0.50:
            txt, v = rand_value(rng, fmt)
            if rng.random() < 0.3 or ndim <= 1:
                i = rng.randint(-length, length)
                def do(i=i, v=v):
                    cur[i] = v
                    return "ok"
                run("set %d %s" % (i, txt), do)
            else:
                idx = tuple(rng.randint(0, max(0, d - 1)) for d in (shape0 or ()))
                def do(idx=idx, v=v):
                    cur[idx] = v
                    return "ok"
                run("setm %s %s" % (",".join(map(str, idx)) or "-", txt), do)
        elif k < 0.58:
            a, b, c = slice_arg(rng, length)
            try:
                cnt = len(range(*slice(a, b, c).indices(length))) if c != 0 else 1
            except Exception:
                cnt = 1
            if rng.random() < 0.15:
                cnt += rng.choice([-1, 1])
            f = fmt if rng.random() < 0.9 else rng.choice(FORMATS)
            fs = f.lstrip("@") if len(f.lstrip("@")) == 1 and f.lstrip("@") in FORMATS else "B"
            raw = bytes(rng.randrange(256) for _ in range(max(cnt, 0) * fmt_size(fs)))
            def do(a=a, b=b, c=c, fs=fs, raw=raw):
                cur[a:b:c] = memoryview(raw).cast(fs)
                return "ok"
            run("setslice %s %s %s %s %s" % (s2(a), s2(b), s2(c), fs, raw.hex() or "-"), do)
        elif k < 0.64:
            run("tolist", lambda: repr(cur.tolist()))
        elif k < 0.70:
            o = rng.choice("CFANX")
            order = {"N": None, "X": "Q"}.get(o, o)
            run("tobytes %s" % o, lambda order=order: repr(cur.tobytes(order)))
        elif k < 0.76:
            if rng.random() < 0.3:
                run("hex", lambda: repr(cur.hex()))
            else:
                if rng.random() < 0.6:
                    ch = rng.choice(":-_ .|")
                    sep_txt, sep = "s:" + ch.encode().hex(), ch
                elif rng.random() < 0.5:
                    b = bytes([rng.choice([0x3a, 0x2d, 0xe9])])
                    sep_txt, sep = "b:" + b.hex(), b
                else:
                    s = rng.choice(["ab", "é", ""])
                    sep_txt, sep = "s:" + (s.encode().hex() or "-"), s
                bps = rng.choice([1, 2, 3, -1, -2, -3, 0, 5, -7, 100])
                run("hex %s %d" % (sep_txt, bps), lambda sep=sep, bps=bps: repr(cur.hex(sep, bps)))
        elif k < 0.80:
            run("attrs", lambda: attrs(cur))
        elif k < 0.83:
            run("len", lambda: repr(len(cur)))
        elif k < 0.86:
            run("list", lambda: repr(list(cur)))
        elif k < 0.885:
            if rng.random() < 0.3:
                run("eqbytes", lambda: repr(cur == cur.tobytes()))
            else:
                try:
                    raw = cur.tobytes()
                    items = len(raw) // cur.itemsize if cur.itemsize else 0
                except Exception:
                    raw, items = b"", 0
                f = rng.choice(FORMATS)
                if rng.random() < 0.4:
                    # the same values in another format where they fit
                    try:
                        vals = cur.tolist() if ndim == 1 else []
                        other = struct.pack("%d%s" % (len(vals), f), *vals)
                    except Exception:
                        other = bytes(rng.randrange(256) for _ in range(items * fmt_size(f)))
                elif rng.random() < 0.5:
                    f, other = fmt.lstrip("@") if fmt.lstrip("@") in FORMATS else "B", raw
                else:
                    other = bytes(rng.randrange(256) for _ in range(items * fmt_size(f)))
                def do(f=f, other=other):
                    return repr(cur == memoryview(other).cast(f))
                run("eq %s %s" % (f, other.hex() or "-"), do)
        elif k < 0.93:
            gen_eqstruct(rng, run)
        elif k < 0.94:
            # hash values are salted per process: compare with bytes' hash
            run("hash", lambda: repr(hash(cur) == hash(cur.tobytes())))
        elif k < 0.96:
            def do():
                nonlocal cur
                r = cur.toreadonly()
                cur = r
                views.append(r)
                return "ok"
            run("toreadonly", do)
        elif k < 0.965:
            run("release", lambda: repr(cur.release()))
        elif k < 0.97:
            run("repr0", lambda: repr(cur.readonly))
        elif k < 0.985:
            # half floats: CPython 3.11's memoryview has no 'e', so the
            # expected values come from the struct module (PyFloat_Unpack2)
            bits = rng.randrange(65536)
            if bits & 0x7fff == 1:      # 2**-24: float repr issue outside memoryview
                bits += 1
            raw = struct.pack("H", bits)
            run("half %s" % raw.hex(), lambda raw=raw: repr(struct.unpack("e", raw)[0]))
        else:
            x = rng.choice([rng.uniform(-70000, 70000), rng.uniform(-1, 1) * 2.0 ** rng.randint(-30, 17),
                            65504.0, 65519.99, 65520.0, -65520.0, 1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11,
                            2.0 ** -25, 2.0 ** -25 * 1.5, 2.0 ** -14, float("inf"), float("nan"), -0.0,
                            rng.randint(-70000, 70000), 10 ** 400, "x"])
            if isinstance(x, float):
                txt = "f:" + repr(x)
            elif isinstance(x, int):
                txt = "i:%d" % x
            else:
                txt = "s:" + x

            def do(x=x):
                # memoryview's rules (3.12): float(x) for ints and floats,
                # any failure to convert or to fit is "invalid value"
                if not isinstance(x, (int, float)):
                    return "TypeError: memoryview: invalid type for format 'e'"
                try:
                    return repr(struct.pack("e", float(x)).hex())
                except (OverflowError, struct.error):
                    return "ValueError: memoryview: invalid value for format 'e'"
            run("halfpack %s" % txt, do)
    out.append("Z")
    for v in views:
        v.release()


def main():
    if sys.version_info[:2] != (3, 11):
        sys.exit("gen_memoryview_cases.py: python3 is %s; the expected results must come "
                 "from CPython 3.11" % sys.version.split()[0])
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=400)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    out = []
    for _ in range(a.count):
        gen_case(rng, out)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
