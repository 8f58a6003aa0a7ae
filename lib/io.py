"""io — pymm's io module: open() is the built-in one (interp/fileio.c);
this layer adds the in-memory streams StringIO and BytesIO, written in
Python for pymm (CPython's Lib/_pyio.py and Modules/_io were read for
behaviour only).

    StringIO  text in a list of str, joined on demand; position in characters
    BytesIO   a bytearray; position in bytes; readinto() writes into any
              writable buffer (memoryview cast to bytes)

Not mirrored: newline translation of StringIO (newline='\\n' behaviour
only), getbuffer() export locks, the io class hierarchy (IOBase & co.).
"""

SEEK_SET = 0
SEEK_CUR = 1
SEEK_END = 2
DEFAULT_BUFFER_SIZE = 8192

open = open   # the built-in


try:
    class UnsupportedOperation(OSError, ValueError):
        pass
except TypeError:   # a class with two built-in bases is not possible yet
    class UnsupportedOperation(OSError):
        pass


def _check_open(stream):
    if stream._closed:
        # CPython's StringIO says it without the full stop
        raise ValueError("I/O operation on closed file" +
                         ("" if isinstance(stream, StringIO) else "."))


class _MemoryStream:
    """What StringIO and BytesIO share: the position, closing, lines and the
    context-manager protocol; each supplies read/readline/write/seek."""

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def readlines(self, hint=-1):
        lines = []
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def tell(self):
        _check_open(self)
        return self._pos

    def flush(self):
        pass

    def close(self):
        self._closed = True

    @property
    def closed(self):
        return self._closed

    def readable(self):
        _check_open(self)
        return True

    writable = seekable = readable

    def isatty(self):
        return False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class StringIO(_MemoryStream):
    """A text stream in memory."""

    def __init__(self, initial_value='', newline='\n'):
        if initial_value is None:
            initial_value = ''
        if not isinstance(initial_value, str):
            raise TypeError("initial_value must be str or None, not %s"
                            % type(initial_value).__name__)
        self._text = initial_value
        self._pos = 0
        self._closed = False

    def getvalue(self):
        _check_open(self)
        return self._text

    def write(self, s):
        _check_open(self)
        if not isinstance(s, str):
            raise TypeError("string argument expected, got '%s'" % type(s).__name__)
        n = len(s)
        if not n:
            return 0
        text = self._text
        pos = self._pos
        if pos == len(text):
            self._text = text + s
        else:
            if pos > len(text):
                text = text + '\0' * (pos - len(text))
            self._text = text[:pos] + s + text[pos + n:]
        self._pos = pos + n
        return n

    def read(self, size=-1):
        _check_open(self)
        if size is None or size < 0:
            end = len(self._text)
        else:
            end = min(len(self._text), self._pos + size)
        data = self._text[self._pos:end]
        self._pos = max(self._pos, end)
        return data

    def readline(self, size=-1):
        _check_open(self)
        text = self._text
        nl = text.find('\n', self._pos)
        end = len(text) if nl < 0 else nl + 1
        if size is not None and size >= 0:
            end = min(end, self._pos + size)
        data = text[self._pos:end]
        self._pos = max(self._pos, end)
        return data

    def seek(self, pos, whence=0):
        _check_open(self)
        if whence == 0:
            if pos < 0:
                raise ValueError("Negative seek position %d" % pos)
            self._pos = pos
        elif whence == 1:
            if pos != 0:
                raise OSError("Can't do nonzero cur-relative seeks")
        elif whence == 2:
            if pos != 0:
                raise OSError("Can't do nonzero end-relative seeks")
            self._pos = len(self._text)
        else:
            raise ValueError("Invalid whence (%d, should be 0, 1 or 2)" % whence)
        return self._pos

    def truncate(self, size=None):
        _check_open(self)
        if size is None:
            size = self._pos
        if size < 0:
            raise ValueError("Negative size value %d" % size)
        self._text = self._text[:size]
        return size


class BytesIO(_MemoryStream):
    """A binary stream in memory."""

    def __init__(self, initial_bytes=b''):
        self._buf = bytearray(initial_bytes if initial_bytes is not None else b'')
        self._pos = 0
        self._closed = False

    def getvalue(self):
        _check_open(self)
        return bytes(self._buf)

    def write(self, b):
        _check_open(self)
        if isinstance(b, str):
            raise TypeError("a bytes-like object is required, not 'str'")
        data = bytes(memoryview(b))
        n = len(data)
        if not n:
            return 0
        pos = self._pos
        if pos > len(self._buf):
            self._buf.extend(b'\0' * (pos - len(self._buf)))
        self._buf[pos:pos + n] = data
        self._pos = pos + n
        return n

    def read(self, size=-1):
        _check_open(self)
        if size is None or size < 0:
            end = len(self._buf)
        else:
            end = min(len(self._buf), self._pos + size)
        data = bytes(self._buf[self._pos:end])
        self._pos = max(self._pos, end)
        return data

    read1 = read

    def readinto(self, b):
        _check_open(self)
        m = memoryview(b)
        if m.readonly:
            raise TypeError("readinto() argument must be read-write bytes-like object, "
                            "not %s" % type(b).__name__)
        m = m.cast('B')
        data = self.read(len(m))
        n = len(data)
        m[:n] = data
        return n

    readinto1 = readinto

    def readline(self, size=-1):
        _check_open(self)
        buf = self._buf
        nl = buf.find(b'\n', self._pos)
        end = len(buf) if nl < 0 else nl + 1
        if size is not None and size >= 0:
            end = min(end, self._pos + size)
        data = bytes(buf[self._pos:end])
        self._pos = max(self._pos, end)
        return data

    def seek(self, pos, whence=0):
        _check_open(self)
        if whence == 0:
            if pos < 0:
                raise ValueError("negative seek value %d" % pos)
            self._pos = pos
        elif whence == 1:
            self._pos = max(0, self._pos + pos)
        elif whence == 2:
            self._pos = max(0, len(self._buf) + pos)
        else:
            raise ValueError("invalid whence (%d, should be 0, 1 or 2)" % whence)
        return self._pos

    def truncate(self, size=None):
        _check_open(self)
        if size is None:
            size = self._pos
        if size < 0:
            raise ValueError("negative size value %d" % size)
        del self._buf[size:]
        return size
