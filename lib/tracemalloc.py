"""Trace the memory blocks Python allocates (pymm's tracemalloc).

The Python half of tracemalloc; _tracemalloc (interp/mod_tracemalloc.c)
records the blocks.  The API and the text of the reports are CPython 3.11's:
take_snapshot(), Snapshot.statistics('lineno' | 'filename' | 'traceback',
cumulative), compare_to, filter_traces with Filter / DomainFilter,
Traceback.format, get_object_traceback.

Differences: pymm has no pickle, so Snapshot.dump writes a text format of
its own (read back by Snapshot.load, by pymm only); filename patterns are
matched by a small fnmatch of this module (*, ?, [seq], [!seq]).
"""

import linecache

# (one name per import statement: pymm's parser leaks the names already
# read when a later one fails to allocate -- reported)
from _tracemalloc import *
from _tracemalloc import _get_object_traceback
from _tracemalloc import _get_traces


def _format_size(size, sign):
    # below 100 of a unit past bytes: one decimal; below 10 KiB of one: none
    units = ('B', 'KiB', 'MiB', 'GiB', 'TiB')
    for i in range(len(units)):
        unit = units[i]
        if i > 0 and abs(size) < 100:
            return ("%+.1f %s" if sign else "%.1f %s") % (size, unit)
        if abs(size) < 10 * 1024 or unit == 'TiB':
            return ("%+.0f %s" if sign else "%.0f %s") % (size, unit)
        size /= 1024


class Statistic:
    """Size and count of the blocks allocated at one traceback."""

    __slots__ = ('traceback', 'size', 'count')

    def __init__(self, traceback, size, count):
        self.traceback = traceback
        self.size = size
        self.count = count

    def __hash__(self):
        return hash((self.traceback, self.size, self.count))

    def __eq__(self, other):
        if not isinstance(other, Statistic):
            return NotImplemented
        return (self.traceback, self.size, self.count) == (other.traceback, other.size, other.count)

    def __str__(self):
        text = "%s: size=%s, count=%i" % (self.traceback, _format_size(self.size, False), self.count)
        if self.count:
            text += ", average=%s" % _format_size(self.size / self.count, False)
        return text

    def __repr__(self):
        return '<Statistic traceback=%r size=%i count=%i>' % (self.traceback, self.size, self.count)

    def _sort_key(self):
        return (self.size, self.count, self.traceback)


class StatisticDiff:
    """A Statistic and its change since an older snapshot."""

    __slots__ = ('traceback', 'size', 'size_diff', 'count', 'count_diff')

    def __init__(self, traceback, size, size_diff, count, count_diff):
        self.traceback = traceback
        self.size = size
        self.size_diff = size_diff
        self.count = count
        self.count_diff = count_diff

    def _fields(self):
        return (self.traceback, self.size, self.size_diff, self.count, self.count_diff)

    def __hash__(self):
        return hash(self._fields())

    def __eq__(self, other):
        if not isinstance(other, StatisticDiff):
            return NotImplemented
        return self._fields() == other._fields()

    def __str__(self):
        text = "%s: size=%s (%s), count=%i (%+i)" % (
            self.traceback, _format_size(self.size, False), _format_size(self.size_diff, True),
            self.count, self.count_diff)
        if self.count:
            text += ", average=%s" % _format_size(self.size / self.count, False)
        return text

    def __repr__(self):
        return '<StatisticDiff traceback=%r size=%i (%+i) count=%i (%+i)>' % (
            self.traceback, self.size, self.size_diff, self.count, self.count_diff)

    def _sort_key(self):
        return (abs(self.size_diff), self.size, abs(self.count_diff), self.count, self.traceback)


def _compare_grouped_stats(old_group, new_group):
    # the new groups in their order, each against its old self; then the
    # groups that are gone, as negative differences
    diffs = []
    for traceback, stat in new_group.items():
        old = old_group.pop(traceback, None)
        if old is None:
            diffs.append(StatisticDiff(traceback, stat.size, stat.size, stat.count, stat.count))
        else:
            diffs.append(StatisticDiff(traceback, stat.size, stat.size - old.size,
                                       stat.count, stat.count - old.count))
    for traceback, stat in old_group.items():
        diffs.append(StatisticDiff(traceback, 0, -stat.size, 0, -stat.count))
    return diffs


class _Ordered:
    """The other comparisons from __lt__ and __eq__ (total_ordering's job)."""

    __slots__ = ()

    def __le__(self, other):
        lt = self.__lt__(other)
        if lt is NotImplemented:
            return lt
        return lt or self == other

    def __gt__(self, other):
        lt = self.__lt__(other)
        if lt is NotImplemented:
            return lt
        return not lt and self != other

    def __ge__(self, other):
        lt = self.__lt__(other)
        if lt is NotImplemented:
            return lt
        return not lt


class Frame(_Ordered):
    """One frame of a traceback: filename and line number."""

    __slots__ = ("_frame",)

    def __init__(self, frame):
        self._frame = frame                 # (filename, lineno)

    @property
    def filename(self):
        return self._frame[0]

    @property
    def lineno(self):
        return self._frame[1]

    def __eq__(self, other):
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame == other._frame

    def __lt__(self, other):
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame < other._frame

    def __hash__(self):
        return hash(self._frame)

    def __str__(self):
        return "%s:%s" % (self.filename, self.lineno)

    def __repr__(self):
        return "<Frame filename=%r lineno=%r>" % (self.filename, self.lineno)


class Traceback(_Ordered):
    """The frames of an allocation, oldest first (a sequence of Frame)."""

    __slots__ = ("_frames", "_total_nframe")

    def __init__(self, frames, total_nframe=None):
        # _tracemalloc gives the innermost frame first; the API shows the
        # oldest first
        self._frames = tuple(frames)[::-1]
        self._total_nframe = total_nframe

    @property
    def total_nframe(self):
        return self._total_nframe

    def __len__(self):
        return len(self._frames)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple([Frame(f) for f in self._frames[index]])
        return Frame(self._frames[index])

    def __iter__(self):
        for f in self._frames:
            yield Frame(f)

    def __reversed__(self):
        for f in self._frames[::-1]:
            yield Frame(f)

    def __contains__(self, frame):
        return frame._frame in self._frames

    def index(self, frame, start=0, stop=None):
        frames = self._frames if stop is None else self._frames[:stop]
        for i in range(start, len(frames)):
            if Frame(frames[i]) == frame:
                return i
        raise ValueError

    def count(self, frame):
        n = 0
        for f in self._frames:
            if Frame(f) == frame:
                n += 1
        return n

    def __hash__(self):
        return hash(self._frames)

    def __eq__(self, other):
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames == other._frames

    def __lt__(self, other):
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames < other._frames

    def __str__(self):
        return str(self[0])

    def __repr__(self):
        text = "<Traceback %s" % (tuple(self),)
        if self._total_nframe is None:
            return text + ">"
        return text + " total_nframe=%s>" % (self._total_nframe,)

    def format(self, limit=None, most_recent_first=False):
        """Lines as a traceback prints them: 'File "f", line n' and the
        source line; limit > 0: the newest `limit` frames, < 0: the oldest."""
        frames = list(self)
        if limit is not None:
            frames = frames[-limit:] if limit > 0 else frames[:limit]
        if most_recent_first:
            frames.reverse()
        lines = []
        for frame in frames:
            lines.append('  File "%s", line %s' % (frame.filename, frame.lineno))
            source = linecache.getline(frame.filename, frame.lineno).strip()
            if source:
                lines.append('    %s' % source)
        return lines


def get_object_traceback(obj):
    """The Traceback where obj was allocated, or None (not tracing, or the
    allocation was not traced)."""
    frames = _get_object_traceback(obj)
    if frames is None:
        return None
    return Traceback(frames)


class Trace:
    """One traced block: domain, size, traceback."""

    __slots__ = ("_trace",)

    def __init__(self, trace):
        self._trace = trace                 # (domain, size, frames, total_nframe)

    @property
    def domain(self):
        return self._trace[0]

    @property
    def size(self):
        return self._trace[1]

    @property
    def traceback(self):
        return Traceback(*self._trace[2:])

    def __eq__(self, other):
        if not isinstance(other, Trace):
            return NotImplemented
        return self._trace == other._trace

    def __hash__(self):
        return hash(self._trace)

    def __str__(self):
        return "%s: %s" % (self.traceback, _format_size(self.size, False))

    def __repr__(self):
        return "<Trace domain=%s size=%s, traceback=%r>" % (
            self.domain, _format_size(self.size, False), self.traceback)


class _Traces:
    """The traces of a snapshot (a sequence of Trace)."""

    def __init__(self, traces):
        self._traces = traces

    def __len__(self):
        return len(self._traces)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple([Trace(t) for t in self._traces[index]])
        return Trace(self._traces[index])

    def __iter__(self):
        for t in self._traces:
            yield Trace(t)

    def __contains__(self, trace):
        return trace._trace in self._traces

    def __eq__(self, other):
        if not isinstance(other, _Traces):
            return NotImplemented
        return self._traces == other._traces

    def __repr__(self):
        return "<Traces len=%s>" % len(self)


def _normalize_filename(filename):
    # os.path.normcase is the identity on POSIX; a .pyc counts as its .py
    if filename.endswith('.pyc'):
        filename = filename[:-1]
    return filename


def _fnmatch(name, pattern):
    """fnmatch.fnmatch on POSIX: * any run, ? one character, [seq] / [!seq]
    one character in / not in seq (ranges a-z); anything else literally."""
    # memo[i][j]: name[i:] matches pattern[j:]
    memo = {}

    def match(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if j == len(pattern):
            res = i == len(name)
        else:
            c = pattern[j]
            if c == '*':
                res = match(i, j + 1) or (i < len(name) and match(i + 1, j))
            elif c == '?':
                res = i < len(name) and match(i + 1, j + 1)
            elif c == '[':
                end, members, negate = _parse_class(pattern, j)
                if end < 0:         # no closing ']': a literal '['
                    res = i < len(name) and name[i] == '[' and match(i + 1, j + 1)
                else:
                    ok = i < len(name) and (_in_class(name[i], members) != negate)
                    res = ok and match(i + 1, end)
            else:
                res = i < len(name) and name[i] == c and match(i + 1, j + 1)
        memo[key] = res
        return res

    return match(0, 0)


def _parse_class(pattern, j):
    # pattern[j] == '[': (index after ']', [(lo, hi)], negated) or (-1, ...)
    k = j + 1
    negate = k < len(pattern) and pattern[k] == '!'
    if negate:
        k += 1
    start = k
    members = []
    while k < len(pattern) and (pattern[k] != ']' or k == start):
        lo = pattern[k]
        if k + 2 < len(pattern) and pattern[k + 1] == '-' and pattern[k + 2] != ']':
            members.append((lo, pattern[k + 2]))
            k += 3
        else:
            members.append((lo, lo))
            k += 1
    if k >= len(pattern):
        return -1, members, negate
    return k + 1, members, negate


def _in_class(ch, members):
    for lo, hi in members:
        if lo <= ch <= hi:
            return True
    return False


class BaseFilter:
    def __init__(self, inclusive):
        self.inclusive = inclusive

    def _match(self, trace):
        raise NotImplementedError


class Filter(BaseFilter):
    """Keeps (inclusive) or drops the traces whose frame matches a filename
    pattern and, when given, a line number and a domain; all_frames: any
    frame of the traceback, else the innermost."""

    def __init__(self, inclusive, filename_pattern, lineno=None, all_frames=False, domain=None):
        super().__init__(inclusive)
        self.inclusive = inclusive
        self._filename_pattern = _normalize_filename(filename_pattern)
        self.lineno = lineno
        self.all_frames = all_frames
        self.domain = domain

    @property
    def filename_pattern(self):
        return self._filename_pattern

    def _match_frame_impl(self, filename, lineno):
        if not _fnmatch(_normalize_filename(filename), self._filename_pattern):
            return False
        return self.lineno is None or lineno == self.lineno

    def _match_frame(self, filename, lineno):
        return self._match_frame_impl(filename, lineno) ^ (not self.inclusive)

    def _match_traceback(self, traceback):
        if not self.all_frames:
            filename, lineno = traceback[0]
            return self._match_frame(filename, lineno)
        for filename, lineno in traceback:
            if self._match_frame_impl(filename, lineno):
                return self.inclusive
        return not self.inclusive

    def _match(self, trace):
        domain, size, traceback, total_nframe = trace
        res = self._match_traceback(traceback)
        if self.domain is None:
            return res
        if self.inclusive:
            return res and domain == self.domain
        return res or domain != self.domain


class DomainFilter(BaseFilter):
    """Keeps (inclusive) or drops the traces of one address space."""

    def __init__(self, inclusive, domain):
        super().__init__(inclusive)
        self._domain = domain

    @property
    def domain(self):
        return self._domain

    def _match(self, trace):
        domain, size, traceback, total_nframe = trace
        return (domain == self.domain) ^ (not self.inclusive)


_DUMP_MAGIC = "pymm tracemalloc snapshot 1"


def _escape(text):
    return text.replace('\\', '\\\\').replace('\n', '\\n').replace('\r', '\\r')


def _unescape(text):
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == '\\' and i + 1 < len(text):
            i += 1
            c = {'n': '\n', 'r': '\r'}.get(text[i], text[i])
        out.append(c)
        i += 1
    return ''.join(out)


class Snapshot:
    """The traces of the memory blocks allocated by Python at one moment."""

    def __init__(self, traces, traceback_limit):
        self.traces = _Traces(traces)
        self.traceback_limit = traceback_limit

    def dump(self, filename):
        """Writes the snapshot to a file (pymm's text format: see the
        module's docstring)."""
        with open(filename, "w", encoding="utf-8") as fp:
            fp.write("%s\nlimit %d\ntraces %d\n" % (_DUMP_MAGIC, self.traceback_limit,
                                                     len(self.traces._traces)))
            for domain, size, frames, total in self.traces._traces:
                fp.write("T %d %d %d %d\n" % (domain, size, -1 if total is None else total, len(frames)))
                for filename, lineno in frames:
                    fp.write("F %d %s\n" % (lineno, _escape(filename)))

    @staticmethod
    def load(filename):
        """Reads a snapshot that dump() wrote."""
        with open(filename, encoding="utf-8") as fp:
            lines = fp.read().split('\n')
        if not lines or lines[0] != _DUMP_MAGIC:
            raise ValueError("%r is not a tracemalloc snapshot written by pymm" % (filename,))
        limit = int(lines[1].split()[1])
        count = int(lines[2].split()[1])
        traces = []
        at = 3
        for _ in range(count):
            head = lines[at].split()
            at += 1
            domain, size, total, nframe = int(head[1]), int(head[2]), int(head[3]), int(head[4])
            frames = []
            for _ in range(nframe):
                tag, lineno, name = lines[at].split(' ', 2)
                at += 1
                frames.append((_unescape(name), int(lineno)))
            traces.append((domain, size, tuple(frames), None if total < 0 else total))
        return Snapshot(traces, limit)

    def _filter_trace(self, include_filters, exclude_filters, trace):
        if include_filters:
            if not any(f._match(trace) for f in include_filters):
                return False
        if exclude_filters:
            if any(not f._match(trace) for f in exclude_filters):
                return False
        return True

    def filter_traces(self, filters):
        """A new Snapshot with the traces the filters keep: a trace stays
        when any inclusive filter matches it (if there is one) and no
        exclusive filter drops it.  No filters: a copy."""
        try:
            filters = list(filters)
        except TypeError:
            raise TypeError("filters must be a list of filters, not %s"
                            % type(filters).__name__) from None
        if not filters:
            return Snapshot(list(self.traces._traces), self.traceback_limit)
        include = [f for f in filters if f.inclusive]
        exclude = [f for f in filters if not f.inclusive]
        kept = [t for t in self.traces._traces if self._filter_trace(include, exclude, t)]
        return Snapshot(kept, self.traceback_limit)

    def _group_by(self, key_type, cumulative):
        if key_type not in ('traceback', 'filename', 'lineno'):
            raise ValueError("unknown key_type: %r" % (key_type,))
        if cumulative and key_type not in ('lineno', 'filename'):
            raise ValueError("cumulative mode cannot by used with key type %r" % key_type)
        stats = {}
        keys = {}           # frames (or one frame) -> its Traceback key

        def add(key, size):
            stat = stats.get(key)
            if stat is None:
                stats[key] = Statistic(key, size, 1)
            else:
                stat.size += size
                stat.count += 1

        for domain, size, frames, total_nframe in self.traces._traces:
            if not cumulative:
                key = keys.get(frames)
                if key is None:
                    if key_type == 'traceback':
                        key = Traceback(frames)
                    elif key_type == 'lineno':
                        key = Traceback(frames[:1])
                    else:
                        key = Traceback(((frames[0][0], 0),))
                    keys[frames] = key
                add(key, size)
            else:
                for frame in frames:
                    key = keys.get(frame)
                    if key is None:
                        key = Traceback((frame,) if key_type == 'lineno' else ((frame[0], 0),))
                        keys[frame] = key
                    add(key, size)
        return stats

    def statistics(self, key_type, cumulative=False):
        """Statistic per group, biggest first."""
        stats = list(self._group_by(key_type, cumulative).values())
        stats.sort(reverse=True, key=Statistic._sort_key)
        return stats

    def compare_to(self, old_snapshot, key_type, cumulative=False):
        """StatisticDiff per group against old_snapshot, biggest change first."""
        new_group = self._group_by(key_type, cumulative)
        old_group = old_snapshot._group_by(key_type, cumulative)
        diffs = _compare_grouped_stats(old_group, new_group)
        diffs.sort(reverse=True, key=StatisticDiff._sort_key)
        return diffs


def take_snapshot():
    """A Snapshot of the traces now; RuntimeError when not tracing."""
    if not is_tracing():
        raise RuntimeError("the tracemalloc module must be tracing memory "
                           "allocations to take a snapshot")
    return Snapshot(_get_traces(), get_traceback_limit())
