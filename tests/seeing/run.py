#!/usr/bin/env python3
"""Seeing memory, end to end (ctest `seeing`).

  run.py PYMM FRAG_MAP [PYMM_PYTHON]

- runs each tests/seeing/scripts/*.py under PYMM with SEEING_OUT set and
  compares its stdout with the script's .expected file (known answers,
  written by hand: the chains of chains.py are fixed by construction);
- runs a program under PYMM with PYMM_HEAPMAP and PYMM_GCTRACE set and
  checks both files are written at exit;
- runs FRAG_MAP (tests/seeing/frag_map.c), whose heap maps' counts must
  equal pm_alloc_stats;
- if PYMM_PYTHON is given, runs scripts/cpython_*.py under it (the _pymm
  module) the same way;
- renders every SVG written with rsvg-convert (Debian's librsvg2-bin) and
  fails if rsvg-convert is missing or any rendering fails.
"""
import glob, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    pymm, frag = sys.argv[1], sys.argv[2]
    pypy = sys.argv[3] if len(sys.argv) > 3 else None
    rsvg = shutil.which('rsvg-convert')
    if not rsvg:
        print('FAIL: rsvg-convert not found (scripts/install-deps.sh installs librsvg2-bin)')
        return 1
    failures = []
    out = tempfile.mkdtemp(prefix='pymm-seeing-')
    env = dict(os.environ, SEEING_OUT=out)
    for script in sorted(glob.glob(os.path.join(HERE, 'scripts', '*.py'))):
        name = os.path.basename(script)
        exe = pymm
        if name.startswith('cpython_'):
            if not pypy:
                continue
            exe = pypy
        r = subprocess.run([exe, script, out], env=env, capture_output=True, text=True, timeout=600)
        want = open(script[:-3] + '.expected').read()
        if r.returncode != 0 or r.stdout != want:
            failures.append(name)
            print(f'FAIL {name} (exit {r.returncode})\n--- want\n{want}--- got\n{r.stdout}{r.stderr}')
        else:
            print(f'ok   {name}')
    # at exit, from the environment
    hm, gt = os.path.join(out, 'env-heapmap.svg'), os.path.join(out, 'env-gctrace.svg')
    r = subprocess.run([pymm, '-c', 'import gc\nx = [[i] for i in range(5000)]\nfor g in (0, 1, 2): gc.collect(g)'],
                       env=dict(env, PYMM_HEAPMAP=hm, PYMM_GCTRACE=gt), capture_output=True, text=True, timeout=300)
    ok = r.returncode == 0 and os.path.getsize(hm) > 0 if os.path.exists(hm) else False
    ok = ok and os.path.exists(gt) and open(gt).read().count('<title>gen ') >= 3
    print(('ok  ' if ok else 'FAIL') + ' PYMM_HEAPMAP / PYMM_GCTRACE at exit')
    if not ok:
        failures.append('env')
        print(r.stdout, r.stderr)
    if pypy:
        hm2 = os.path.join(out, 'env-cpython-heapmap.svg')
        r = subprocess.run([pypy, '-c', 'x = [str(i) for i in range(5000)]'], env=dict(env, PYMM_HEAPMAP=hm2),
                           capture_output=True, text=True, timeout=300)
        ok = r.returncode == 0 and os.path.exists(hm2) and os.path.getsize(hm2) > 0
        print(('ok  ' if ok else 'FAIL') + ' PYMM_HEAPMAP at exit (pymm-python)')
        if not ok:
            failures.append('env-cpython')
            print(r.stdout, r.stderr)
    r = subprocess.run([frag, out, '100000'], capture_output=True, text=True, timeout=300)
    print(r.stdout, end='')
    if r.returncode != 0 or r.stdout.count('equal to pm_alloc_stats') != 3:
        failures.append('frag_map')
        print('FAIL frag_map', r.stderr)
    svgs = sorted(glob.glob(os.path.join(out, '*.svg')))
    for svg in svgs:
        png = svg[:-4] + '.png'
        r = subprocess.run([rsvg, svg, '-o', png], capture_output=True, text=True, timeout=300)
        good = r.returncode == 0 and os.path.exists(png) and open(png, 'rb').read(8) == b'\x89PNG\r\n\x1a\n'
        if not good:
            failures.append('render ' + os.path.basename(svg))
            print(f'FAIL rendering {svg}: {r.stderr}')
    print(f'rendered {len(svgs)} SVGs with {rsvg}')
    if len(svgs) < 9:
        failures.append('too few SVGs')
    if failures:
        print('FAILED:', ', '.join(failures), f'(outputs in {out})')
        return 1
    shutil.rmtree(out)
    return 0


if __name__ == '__main__':
    sys.exit(main())
