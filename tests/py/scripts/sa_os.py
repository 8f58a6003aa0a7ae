# os / posix / os.path: what both interpreters print identically (no pid,
# cwd or inode numbers are printed; the work happens in a scratch directory
# named by the pid and removed at the end).
import os
import os.path
import stat
import sys

print(os.name, os.sep, repr(os.linesep), os.curdir, os.pardir, os.extsep, os.altsep, os.pathsep, os.devnull)
print(os.path.__name__, sys.modules['os.path'] is os.path, os.path.sep)
print(os.getpid() == os.getpid(), isinstance(os.getpid(), int), os.getcwd() == os.path.abspath('.'))
print(os.getcwdb() == os.getcwd().encode(), type(os.cpu_count()).__name__, os.cpu_count() >= 1)
r = os.urandom(16)
print(type(r).__name__, len(r), len(os.urandom(0)), os.urandom(8) != os.urandom(8))
for bad in (-1, 'x'):
    try:
        os.urandom(bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(os.strerror(2), '|', os.strerror(13), '|', os.strerror(99999))


class P:
    def __init__(self, p):
        self.p = p

    def __fspath__(self):
        return self.p


print(os.fspath('a'), os.fspath(b'b'), os.fspath(P('c')), os.fspath(P(b'd')))
for bad in (1, P(3), None):
    try:
        os.fspath(bad)
    except TypeError as e:
        print('TypeError', e)

# environment
os.environ['SA_OS_TEST'] = 'value 1'
print(os.environ['SA_OS_TEST'], os.getenv('SA_OS_TEST'), 'SA_OS_TEST' in os.environ)
print(os.getenv('SA_OS_NOPE'), os.getenv('SA_OS_NOPE', 'dflt'), os.environ.get('SA_OS_NOPE', 5))
del os.environ['SA_OS_TEST']
print('SA_OS_TEST' in os.environ, os.getenv('SA_OS_TEST'))
try:
    os.environ['SA_OS_NOPE']
except KeyError as e:
    print('KeyError', e)
try:
    os.environ['X'] = 1
except TypeError as e:
    print('TypeError', e)
print(type(os.environ.copy()).__name__, all(isinstance(k, str) for k in os.environ))

# a scratch directory
base = os.path.abspath('sa_os_scratch_%d' % os.getpid())
os.mkdir(base)
here = os.getcwd()
try:
    import posix
    print(os.listdir(base), posix.listdir(base))
    work = os.path.join(base, 'w')
    os.mkdir(work, 0o755)
    f = os.path.join(work, 'data.txt')
    with open(f, 'w') as fh:
        fh.write('hello world\n')
    os.mkdir(os.path.join(work, 'sub'))
    print(sorted(os.listdir(work)), sorted(os.listdir(os.fsencode(work))))
    st = os.stat(f)
    print(st.st_size, stat.S_ISREG(st.st_mode), stat.S_ISDIR(st.st_mode), len(st), st[6], st[0] == st.st_mode)
    print(st[8] == int(st.st_mtime), st.st_mtime_ns // 10**9 == st[8], type(st.st_mtime).__name__, type(st).__name__)
    print(stat.S_ISDIR(os.stat(work).st_mode), stat.filemode(os.stat(work).st_mode)[0], stat.S_IMODE(0o100644))
    print(os.path.exists(f), os.path.isfile(f), os.path.isdir(f), os.path.isdir(work), os.path.getsize(f))
    print(os.path.exists(f + 'x'), os.path.isfile(work), os.path.islink(f), os.path.lexists(f), os.path.exists('a\0b'))
    print(os.path.getmtime(f) == st.st_mtime, os.path.samefile(f, os.path.join(work, 'sub', '..', 'data.txt')))
    print(os.access(f, os.R_OK), os.access(f + 'x', os.F_OK))
    os.chdir(work)
    print(os.getcwd() == work, sorted(os.listdir()))
    os.chdir(here)

    # errors, with the names as given
    def err(fn, *args):
        try:
            fn(*args)
            print(fn.__name__, 'ok')
        except Exception as e:
            text = str(e).replace(base, '<base>')
            print(fn.__name__, type(e).__name__, getattr(e, 'errno', None), text)

    err(os.stat, os.path.join(work, 'missing'))
    err(os.stat, b'/sa_os_missing_dir/x')
    err(os.stat, 5.5)
    err(os.stat, 'a\0b')
    err(os.lstat, 5.5)
    err(os.mkdir, work)
    err(os.rmdir, work)
    err(os.rmdir, f)
    err(os.remove, os.path.join(work, 'sub'))
    err(os.unlink, os.path.join(work, 'nothing'))
    err(os.rename, os.path.join(work, 'nothing'), os.path.join(work, 'other'))
    err(os.rename, 1.5, 'x')
    err(os.rename, 'x', 1.5)
    err(os.listdir, os.path.join(work, 'nothing'))
    err(os.listdir, f)
    err(os.mkdir, os.path.join(work, 'no', 'such'))
    err(os.chdir, os.path.join(work, 'nothing'))

    # file descriptors
    fd = os.open(os.path.join(work, 'fd.bin'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    print(type(fd).__name__, os.write(fd, b'abcdef'), os.write(fd, bytearray(b'gh')), os.lseek(fd, 0, os.SEEK_CUR))
    print(os.fstat(fd).st_size, os.stat(fd).st_size, os.isatty(fd), stat.S_IMODE(os.fstat(fd).st_mode))
    os.close(fd)
    fd = os.open(os.path.join(work, 'fd.bin'), os.O_RDONLY)
    print(os.read(fd, 3), os.lseek(fd, -2, os.SEEK_END), os.read(fd, 100), os.read(fd, 5))
    os.close(fd)
    os.chmod(os.path.join(work, 'fd.bin'), 0o644)
    print(stat.filemode(os.stat(os.path.join(work, 'fd.bin')).st_mode), os.error is OSError)
    old = os.umask(0o022)
    print(os.umask(old) == 0o022)
    os.remove(os.path.join(work, 'fd.bin'))
    err(os.close, 987654)
    err(os.read, 987654, 1)
    err(os.write, 987654, b'x')
    err(os.write, 1, 'str')
    err(os.lseek, 987654, 0, 0)
    err(os.fstat, 987654)
    err(os.open, os.path.join(work, 'nothing'), os.O_RDONLY)
    err(os.chmod, os.path.join(work, 'nothing'), 0o644)
    print(os.O_RDONLY, os.O_WRONLY, os.O_RDWR, os.O_CREAT, os.O_EXCL, os.O_TRUNC, os.O_APPEND, os.isatty(987654))

    g = os.path.join(work, 'moved.txt')
    os.rename(f, g)
    print(sorted(os.listdir(work)), os.path.exists(f), os.path.getsize(g))
    os.replace(g, f)
    os.unlink(f)
    os.rmdir(os.path.join(work, 'sub'))
    print(os.listdir(work))
    os.makedirs(os.path.join(work, 'a', 'b', 'c'))
    os.makedirs(os.path.join(work, 'a', 'b', 'c'), exist_ok=True)
    err(os.makedirs, os.path.join(work, 'a', 'b'))
    print([(os.path.relpath(d, work), sorted(ds), fs) for d, ds, fs in os.walk(work)])
    # scandir
    with os.scandir(work) as it:
        entries = sorted(it, key=lambda e: e.name)
    print([(e.name, os.path.relpath(e.path, work), e.is_dir(), e.is_file(), e.is_symlink(), repr(e)) for e in entries])
    print(sorted(e.path for e in os.scandir(os.fsencode(os.path.join(work, 'a')))) == [os.fsencode(os.path.join(work, 'a', 'b'))],
          type(os.scandir(work)).__name__, os.fspath(entries[0]) == entries[0].path, entries[0].inode() == os.stat(entries[0]).st_ino)
    here2 = os.getcwd()
    os.chdir(work)
    print(sorted(e.path for e in os.scandir()), sorted(e.path for e in os.scandir('.')))
    os.chdir(here2)
    it = os.scandir(work)
    it.close()
    print(list(it))
    err(os.scandir, os.path.join(work, 'nothing'))

    # symbolic links and realpath
    os.symlink('a/b', os.path.join(work, 'lnk'))
    os.symlink('loop2', os.path.join(work, 'loop1'))
    os.symlink('loop1', os.path.join(work, 'loop2'))
    os.symlink('nowhere', os.path.join(work, 'dangling'))
    rel = lambda q: os.path.relpath(q, work)
    print(os.path.islink(os.path.join(work, 'lnk')), os.readlink(os.path.join(work, 'lnk')),
          rel(os.path.realpath(os.path.join(work, 'lnk', 'c'))), rel(os.path.realpath(os.path.join(work, 'lnk', '..'))),
          rel(os.path.realpath(os.path.join(work, 'loop1', 'x'))), rel(os.path.realpath(os.path.join(work, 'dangling'))))
    print(os.path.exists(os.path.join(work, 'dangling')), os.path.lexists(os.path.join(work, 'dangling')),
          stat.S_ISLNK(os.lstat(os.path.join(work, 'lnk')).st_mode), os.path.isdir(os.path.join(work, 'lnk')))
    err(os.symlink, 'x', os.path.join(work, 'lnk'))
    err(os.readlink, os.path.join(work, 'a'))
    try:
        os.path.realpath(os.path.join(work, 'loop1'), strict=True)
    except OSError as e:
        print(type(e).__name__, e.errno)
    for n in ('lnk', 'loop1', 'loop2', 'dangling'):
        os.unlink(os.path.join(work, n))
    os.removedirs(os.path.join(work, 'a', 'b', 'c'))
    print(os.path.exists(work), os.path.exists(base))
finally:
    for d, dirs, files in list(os.walk(base, topdown=False)):
        for n in files:
            os.remove(os.path.join(d, n))
        for n in dirs:
            if os.path.exists(os.path.join(d, n)):
                os.rmdir(os.path.join(d, n))
    if os.path.exists(base):
        os.rmdir(base)
print(os.path.exists(base))

# os.path on strings (no file system)
p = os.path
for a in ['', '/', '//', '///', 'a', '/a', 'a/', 'a//b', '/a/b/', '//a//b//', 'a/b/c.txt', '.bashrc',
          '..', 'a/.b', 'a.b/c', 'x/..y.z', '...', 'a/b.', '/x.y/']:
    print(repr(a), p.split(a), p.basename(a), p.dirname(a), p.splitext(a), p.isabs(a), p.normpath(a),
          p.splitdrive(a), p.normcase(a))
for a, b in [('a', 'b'), ('a/', 'b'), ('a', '/b'), ('', 'b'), ('a', ''), ('/', 'x'), ('a//', '//b')]:
    print(p.join(a, b), p.join(a, b, 'c'), p.join(a.encode(), b.encode()))
for bad in [('a', 1), ('a', b'b'), (1,)]:
    try:
        p.join(*bad)
    except TypeError as e:
        print('TypeError', e)
for n in ['a/./b/../c', '../../a', '/../a', 'a/../..', './.', 'a/b/../../../c', '/a/./../b/', b'/x//y/../z']:
    print(repr(n), p.normpath(n))
print(p.commonprefix(['/usr/lib', '/usr/local/lib', '/usr/l']), repr(p.commonprefix([])),
      p.commonprefix([['a', 'b'], ['a', 'c']]))
print(p.commonpath(['/usr/lib', '/usr/local/lib']), p.commonpath(['a/b', 'a/c/d']), p.commonpath([b'/x/y', b'/x']))
for bad in [[], ['/a', 'b']]:
    try:
        p.commonpath(bad)
    except ValueError as e:
        print('ValueError', e)
for a, s in [('/a/b/c', '/a'), ('/a', '/a/b/c'), ('/a/x', '/a/y/z'), ('/', '/'), ('a/b', 'a/c')]:
    print(p.relpath(a, s))
try:
    p.relpath('')
except ValueError as e:
    print('ValueError', e)
print(p.relpath(os.getcwd()), p.abspath('/a/../b/./c'), p.abspath(b'/x/..'), p.abspath('x') == p.join(os.getcwd(), 'x'))
print(p.realpath('/'), p.realpath('/usr/../'), p.realpath('.') == os.getcwd())
os.environ['HOME'] = '/home/sa_user/'
print(p.expanduser('~'), p.expanduser('~/x/y'), p.expanduser('a/~'), p.expanduser(b'~/z'), p.expanduser('~other/x'))
os.environ['SA_VAR'] = 'VAL'
print(p.expandvars('$SA_VAR/${SA_VAR}x/$SA_NOPE/${SA_NOPE}/$/${'), p.expandvars('plain'), p.expandvars(b'$SA_VAR'))
