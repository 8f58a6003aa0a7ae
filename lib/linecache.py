"""Lines of source files, read once and kept (pymm's linecache).

The part of CPython's linecache that tracebacks and tracemalloc use:
getline, getlines, clearcache, checkcache, updatecache.  A file that
cannot be read gives no lines (getline returns '').  Lines keep their
newline; a last line without one gets one, as CPython's does.
"""

__all__ = ["getline", "clearcache", "checkcache"]

# filename -> list of lines
cache = {}


def clearcache():
    """Forget every file read so far."""
    cache.clear()


def getline(filename, lineno, module_globals=None):
    """Line `lineno` (1-based) of the file, with its newline; '' when the
    file or the line does not exist."""
    lines = getlines(filename, module_globals)
    if 1 <= lineno <= len(lines):
        return lines[lineno - 1]
    return ''


def getlines(filename, module_globals=None):
    """Every line of the file (read at the first request)."""
    if filename in cache:
        return cache[filename]
    return updatecache(filename, module_globals)


def checkcache(filename=None):
    """CPython drops entries whose file changed on disk; pymm has no stat
    from Python, so an entry stays until clearcache()."""
    return None


def updatecache(filename, module_globals=None):
    """(Re)reads the file: its lines, [] when it cannot be read."""
    cache.pop(filename, None)
    if not filename or (filename.startswith('<') and filename.endswith('>')):
        return []
    try:
        with open(filename, encoding='utf-8', errors='replace') as fp:
            text = fp.read()
    except (OSError, ValueError):
        return []
    lines = text.splitlines(True)
    if lines and not lines[-1].endswith('\n'):
        lines[-1] += '\n'
    cache[filename] = lines
    return lines
