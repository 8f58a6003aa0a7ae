"""Common operations on POSIX pathnames (os.path on pymm).

pymm's own posixpath: the functions behave as CPython 3.11's (results and
error texts), for str and bytes paths alike.
"""
import os
import stat

__all__ = ["normcase", "isabs", "join", "splitdrive", "split", "splitext", "basename", "dirname",
           "commonprefix", "getsize", "getmtime", "getatime", "getctime", "islink", "exists",
           "lexists", "isdir", "isfile", "ismount", "expanduser", "expandvars", "normpath",
           "abspath", "samefile", "sameopenfile", "samestat", "curdir", "pardir", "sep",
           "pathsep", "defpath", "altsep", "extsep", "devnull", "realpath",
           "supports_unicode_filenames", "relpath", "commonpath"]

curdir = '.'
pardir = '..'
extsep = '.'
sep = '/'
pathsep = ':'
defpath = '/bin:/usr/bin'
altsep = None
devnull = '/dev/null'
supports_unicode_filenames = False


def _sep(p):
    """The separator in p's own type."""
    return b'/' if isinstance(p, bytes) else '/'


def _check_types(funcname, *args):
    """TypeError for arguments that are not all str or all bytes."""
    has_str = has_bytes = False
    for s in args:
        if isinstance(s, str):
            has_str = True
        elif isinstance(s, bytes):
            has_bytes = True
        else:
            raise TypeError('%s() argument must be str, bytes, or os.PathLike object, not %r'
                            % (funcname, s.__class__.__name__))
    if has_str and has_bytes:
        raise TypeError("Can't mix strings and bytes in path components")


def normcase(s):
    """Normalize case of pathname.  Has no effect under Posix"""
    return os.fspath(s)


def isabs(s):
    """Test whether a path is absolute"""
    s = os.fspath(s)
    return s.startswith(_sep(s))


def join(a, *p):
    """Join two or more pathname components, inserting '/' as needed.
    If any component is an absolute path, all previous path components
    will be discarded.  An empty last part will result in a path that
    ends with a separator."""
    a = os.fspath(a)
    s = _sep(a)
    path = a
    try:
        parts = [os.fspath(b) for b in p]
        for b in parts:
            if b.startswith(s):
                path = b
            elif not path or path.endswith(s):
                path = path + b
            else:
                path = path + s + b
    except (TypeError, AttributeError, BytesWarning):
        _check_types('join', a, *p)
        raise
    return path


def split(p):
    """Split a pathname.  Returns tuple "(head, tail)" where "tail" is
    everything after the final slash.  Either part may be empty."""
    p = os.fspath(p)
    s = _sep(p)
    cut = p.rfind(s) + 1
    head, tail = p[:cut], p[cut:]
    if head and head != s * len(head):
        head = head.rstrip(s)
    return head, tail


def splitext(p):
    """Split the extension from a pathname.

    Extension is everything from the last dot to the end, ignoring
    leading dots.  Returns "(root, ext)"; ext may be empty."""
    p = os.fspath(p)
    if isinstance(p, bytes):
        s, dot = b'/', b'.'
    else:
        s, dot = '/', '.'
    last_sep = p.rfind(s)
    last_dot = p.rfind(dot)
    if last_dot > last_sep:
        # a name made of dots up to last_dot has no extension ('.bashrc')
        for i in range(last_sep + 1, last_dot):
            if p[i:i + 1] != dot:
                return p[:last_dot], p[last_dot:]
    return p, p[:0]


def splitdrive(p):
    """Split a pathname into drive and path. On Posix, drive is always
    empty."""
    p = os.fspath(p)
    return p[:0], p


def basename(p):
    """Returns the final component of a pathname"""
    p = os.fspath(p)
    return p[p.rfind(_sep(p)) + 1:]


def dirname(p):
    """Returns the directory component of a pathname"""
    p = os.fspath(p)
    s = _sep(p)
    head = p[:p.rfind(s) + 1]
    if head and head != s * len(head):
        head = head.rstrip(s)
    return head


def commonprefix(m):
    "Given a list of pathnames, returns the longest common leading component"
    if not m:
        return ''
    if not isinstance(m[0], (list, tuple)):
        m = tuple(map(os.fspath, m))
    lo = min(m)
    hi = max(m)
    for i, c in enumerate(lo):
        if c != hi[i]:
            return lo[:i]
    return lo


def commonpath(paths):
    """Given a sequence of path names, returns the longest common sub-path."""
    if not paths:
        raise ValueError('commonpath() arg is an empty sequence')
    paths = tuple(map(os.fspath, paths))
    _check_types('commonpath', *paths)
    s = _sep(paths[0])
    cur = s[:0] + ('.' if isinstance(s, str) else b'.')
    split_paths = [[c for c in path.split(s) if c and c != cur] for path in paths]
    kinds = set(p[:1] == s for p in paths)
    if len(kinds) != 1:
        raise ValueError("Can't mix absolute and relative paths")
    lo = min(split_paths)
    hi = max(split_paths)
    common = lo
    for i, c in enumerate(lo):
        if c != hi[i]:
            common = lo[:i]
            break
    prefix = s if paths[0][:1] == s else s[:0]
    return prefix + s.join(common)


# ---- questions to the file system ---------------------------------------------

def exists(path):
    """Test whether a path exists.  Returns False for broken symbolic links"""
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True


def lexists(path):
    """Test whether a path exists.  Returns True for broken symbolic links"""
    try:
        os.lstat(path)
    except (OSError, ValueError):
        return False
    return True


def _mode_is(path, test, follow=True):
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except (OSError, ValueError):
        return False
    return test(st.st_mode)


def isfile(path):
    """Test whether a path is a regular file"""
    return _mode_is(path, stat.S_ISREG)


def isdir(s):
    """Return true if the pathname refers to an existing directory."""
    return _mode_is(s, stat.S_ISDIR)


def islink(path):
    """Test whether a path is a symbolic link"""
    return _mode_is(path, stat.S_ISLNK, False)


def ismount(path):
    """Test whether a path is a mount point"""
    try:
        s1 = os.lstat(path)
    except (OSError, ValueError):
        return False
    if stat.S_ISLNK(s1.st_mode):
        return False
    path = os.fspath(path)
    parent = join(path, b'..' if isinstance(path, bytes) else '..')
    parent = realpath(parent)
    try:
        s2 = os.lstat(parent)
    except (OSError, ValueError):
        return False
    return s1.st_dev != s2.st_dev or s1.st_ino == s2.st_ino


def getsize(filename):
    """Return the size of a file, reported by os.stat()."""
    return os.stat(filename).st_size


def getmtime(filename):
    """Return the last modification time of a file, reported by os.stat()."""
    return os.stat(filename).st_mtime


def getatime(filename):
    """Return the last access time of a file, reported by os.stat()."""
    return os.stat(filename).st_atime


def getctime(filename):
    """Return the metadata change time of a file, reported by os.stat()."""
    return os.stat(filename).st_ctime


def samestat(s1, s2):
    """Test whether two stat buffers reference the same file"""
    return s1.st_ino == s2.st_ino and s1.st_dev == s2.st_dev


def samefile(f1, f2):
    """Test whether two pathnames reference the same actual file or directory"""
    return samestat(os.stat(f1), os.stat(f2))


def sameopenfile(fp1, fp2):
    """Test whether two open file objects reference the same file"""
    return samestat(os.stat(fp1), os.stat(fp2))


# ---- rewriting paths ------------------------------------------------------------

def expanduser(path):
    """Expand ~ and ~user constructions.  If user or $HOME is unknown,
    do nothing."""
    path = os.fspath(path)
    tilde = b'~' if isinstance(path, bytes) else '~'
    if not path.startswith(tilde):
        return path
    s = _sep(path)
    end = path.find(s, 1)
    if end < 0:
        end = len(path)
    if end != 1 or 'HOME' not in os.environ:
        return path                 # ~user needs the password database: not in pymm
    home = os.environ['HOME']
    if isinstance(path, bytes):
        home = home.encode()
    home = home.rstrip(s)
    return (home + path[end:]) or s


def expandvars(path):
    """Expand shell variables of form $var and ${var}.  Unknown variables
    are left unchanged."""
    path = os.fspath(path)
    is_bytes = isinstance(path, bytes)
    text = path.decode() if is_bytes else path
    if '$' not in text:
        return path
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c != '$':
            out.append(c)
            i += 1
            continue
        j = i + 1
        if j < n and text[j] == '{':
            close = text.find('}', j + 1)
            name = text[j + 1:close] if close > j + 1 else ''
            ok = close > j + 1 and all(ch.isalnum() or ch in '_' for ch in name) and name.isascii()
            end = close + 1
        else:
            end = j
            while end < n and text[end].isascii() and (text[end].isalnum() or text[end] == '_'):
                end += 1
            name = text[j:end]
            ok = bool(name)
        if ok and name in os.environ:
            out.append(os.environ[name])
        else:
            out.append(text[i:end] if ok else c)
            if not ok:
                end = i + 1
        i = end
    r = ''.join(out)
    return r.encode() if is_bytes else r


def normpath(path):
    """Normalize path, eliminating double slashes, etc."""
    path = os.fspath(path)
    if isinstance(path, bytes):
        s, empty, dot, dotdot = b'/', b'', b'.', b'..'
    else:
        s, empty, dot, dotdot = '/', '', '.', '..'
    if path == empty:
        return dot
    lead = 0
    while lead < len(path) and path[lead:lead + 1] == s:
        lead += 1
    # POSIX keeps exactly two leading slashes; one, or three or more, are one
    lead = 2 if lead == 2 else min(lead, 1)
    kept = []
    for comp in path.split(s):
        if comp == empty or comp == dot:
            continue
        if comp == dotdot and kept and kept[-1] != dotdot:
            kept.pop()
        elif comp == dotdot and lead:
            continue                # '..' of the root is the root
        else:
            kept.append(comp)
    out = s * lead + s.join(kept)
    return out or dot


def abspath(path):
    """Return an absolute path."""
    path = os.fspath(path)
    if not isabs(path):
        here = os.getcwdb() if isinstance(path, bytes) else os.getcwd()
        path = join(here, path)
    return normpath(path)


def realpath(filename, *, strict=False):
    """Return the canonical path of the specified filename, eliminating any
symbolic links encountered in the path."""
    filename = os.fspath(filename)
    path, _ = _resolve(filename[:0], filename, strict, {})
    return abspath(path)


def _resolve(path, rest, strict, seen):
    """Walks `rest` from `path`, replacing each symbolic link by its target
    (seen: link -> resolved path, None while it is being resolved, so a
    loop is noticed).  Returns (path, True), or (path, False) when a loop
    left the remainder unresolved."""
    if isinstance(path, bytes):
        s, dot, dotdot = b'/', b'.', b'..'
    else:
        s, dot, dotdot = '/', '.', '..'
    if rest.startswith(s):
        rest = rest[1:]
        path = s
    while rest:
        name, _, rest = rest.partition(s)
        if not name or name == dot:
            continue
        if name == dotdot:
            if path:
                path, last = split(path)
                if last == dotdot:
                    path = join(path, dotdot, dotdot)
            else:
                path = dotdot
            continue
        candidate = join(path, name)
        try:
            st = os.lstat(candidate)
        except OSError:
            if strict:
                raise
            is_link = False
        else:
            is_link = stat.S_ISLNK(st.st_mode)
        if not is_link:
            path = candidate
            continue
        if candidate in seen:
            known = seen[candidate]
            if known is not None:
                path = known
                continue
            if strict:
                os.stat(candidate)      # raises the loop's OSError
            return join(candidate, rest), False
        seen[candidate] = None
        path, ok = _resolve(path, os.readlink(candidate), strict, seen)
        if not ok:
            return join(path, rest), False
        seen[candidate] = path
    return path, True


def relpath(path, start=None):
    """Return a relative version of a path"""
    if not path:
        raise ValueError("no path specified")
    path = os.fspath(path)
    if isinstance(path, bytes):
        cur, up, s = b'.', b'..', b'/'
    else:
        cur, up, s = '.', '..', '/'
    start = cur if start is None else os.fspath(start)
    _check_types('relpath', path, start)
    start_parts = [x for x in abspath(start).split(s) if x]
    path_parts = [x for x in abspath(path).split(s) if x]
    common = len(commonprefix([start_parts, path_parts]))
    parts = [up] * (len(start_parts) - common) + path_parts[common:]
    if not parts:
        return cur
    return join(*parts)
