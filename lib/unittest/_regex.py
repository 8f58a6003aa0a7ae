"""unittest._regex — a small backtracking regular-expression matcher for
assertRegex and assertRaisesRegex when pymm has no re module.

search(pattern, text) -> bool, as re.search(pattern, text) is not None.

Understood: literals, '.', classes [a-z0-9_] and [^...], the escapes
\\d \\D \\s \\S \\w \\W \\A \\Z \\b \\n \\t and escaped punctuation, anchors
^ and $, groups (...) and (?:...), alternation |, and the quantifiers
* + ? {m} {m,} {m,n}, each with a lazy form (*?).  Bytes are matched as
latin-1 text.  Anything else raises ValueError (better than a wrong
answer).

The pattern is parsed to a tree; matching walks a sequence of nodes with
a continuation (the rest of the match) so that every quantifier can back
off one repetition at a time.
"""

__unittest = True

_DIGITS = '0123456789'
_SPACES = ' \t\n\r\f\v'


def _is_word(ch):
    return ch.isalnum() or ch == '_'


def _class_match(kind, ch):
    if kind == 'd':
        return ch in _DIGITS
    if kind == 'D':
        return ch not in _DIGITS
    if kind == 's':
        return ch in _SPACES
    if kind == 'S':
        return ch not in _SPACES
    if kind == 'w':
        return _is_word(ch)
    if kind == 'W':
        return not _is_word(ch)
    raise ValueError('bad class')


_SIMPLE_ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', 'f': '\f', 'v': '\v', '0': '\0'}


class _Parser:
    def __init__(self, pattern):
        self.p = pattern
        self.i = 0

    def peek(self):
        return self.p[self.i] if self.i < len(self.p) else None

    def take(self):
        ch = self.p[self.i]
        self.i += 1
        return ch

    def parse_alternatives(self):
        alts = [self.parse_sequence()]
        while self.peek() == '|':
            self.take()
            alts.append(self.parse_sequence())
        return alts

    def parse_sequence(self):
        seq = []
        while True:
            ch = self.peek()
            if ch is None or ch == '|' or ch == ')':
                return seq
            atom = self.parse_atom()
            seq.append(self.parse_quantifier(atom))

    def parse_quantifier(self, atom):
        ch = self.peek()
        lo = hi = None
        if ch == '*':
            self.take()
            lo, hi = 0, None
        elif ch == '+':
            self.take()
            lo, hi = 1, None
        elif ch == '?':
            self.take()
            lo, hi = 0, 1
        elif ch == '{':
            close = self.p.find('}', self.i)
            body = self.p[self.i + 1:close] if close > 0 else ''
            parts = body.split(',')
            if close < 0 or len(parts) > 2 or not all(x.strip().isdigit() or x == ''
                                                      for x in parts) or parts[0] == '':
                return atom   # a literal '{', as re treats it
            self.i = close + 1
            lo = int(parts[0])
            hi = lo if len(parts) == 1 else (int(parts[1]) if parts[1] else None)
        else:
            return atom
        greedy = True
        if self.peek() == '?':
            self.take()
            greedy = False
        if atom[0] in ('start', 'end', 'A', 'Z', 'b'):
            raise ValueError('nothing to repeat')
        return ('rep', atom, lo, hi, greedy)

    def parse_escape(self, in_class):
        ch = self.take()
        if ch in 'dDsSwW':
            return ('cls', ch)
        if ch in _SIMPLE_ESCAPES:
            return ('lit', _SIMPLE_ESCAPES[ch])
        if not in_class and ch in 'AZb':
            return (ch,)
        if ch.isalnum():
            raise ValueError('unsupported escape \\' + ch)
        return ('lit', ch)

    def parse_atom(self):
        ch = self.take()
        if ch == '.':
            return ('any',)
        if ch == '^':
            return ('start',)
        if ch == '$':
            return ('end',)
        if ch == '\\':
            return self.parse_escape(False)
        if ch == '[':
            return self.parse_class()
        if ch == '(':
            if self.p.startswith('?:', self.i):
                self.i += 2
            elif self.peek() == '?':
                raise ValueError('unsupported group')
            alts = self.parse_alternatives()
            if self.peek() != ')':
                raise ValueError('missing )')
            self.take()
            return ('group', alts)
        if ch in '*+?':
            raise ValueError('nothing to repeat')
        return ('lit', ch)

    def parse_class(self):
        negated = False
        if self.peek() == '^':
            self.take()
            negated = True
        items = []
        first = True
        while True:
            ch = self.peek()
            if ch is None:
                raise ValueError('unterminated character set')
            if ch == ']' and not first:
                self.take()
                break
            first = False
            self.take()
            if ch == '\\':
                item = self.parse_escape(True)
            else:
                item = ('lit', ch)
            if (item[0] == 'lit' and self.peek() == '-' and self.i + 1 < len(self.p)
                    and self.p[self.i + 1] != ']'):
                self.take()
                hi_ch = self.take()
                if hi_ch == '\\':
                    hi = self.parse_escape(True)
                    if hi[0] != 'lit':
                        raise ValueError('bad range')
                    hi_ch = hi[1]
                items.append(('range', item[1], hi_ch))
            else:
                items.append(item)
        return ('set', negated, items)


def _set_match(node, ch):
    hit = False
    for item in node[2]:
        kind = item[0]
        if kind == 'lit':
            hit = ch == item[1]
        elif kind == 'range':
            hit = item[1] <= ch <= item[2]
        else:
            hit = _class_match(item[1], ch)
        if hit:
            break
    return hit != node[1]


class _Matcher:
    def __init__(self, text):
        self.t = text

    def single(self, node, pos):
        """For a one-character node: does it match at pos?"""
        t = self.t
        if pos >= len(t):
            return False
        ch = t[pos]
        kind = node[0]
        if kind == 'lit':
            return ch == node[1]
        if kind == 'any':
            return ch != '\n'
        if kind == 'cls':
            return _class_match(node[1], ch)
        if kind == 'set':
            return _set_match(node, ch)
        raise ValueError('not a single-character node')

    def seq(self, nodes, i, pos, k):
        if i == len(nodes):
            return k(pos)
        node = nodes[i]
        kind = node[0]
        t = self.t
        if kind in ('lit', 'any', 'cls', 'set'):
            if self.single(node, pos):
                return self.seq(nodes, i + 1, pos + 1, k)
            return False
        if kind == 'start' or kind == 'A':
            return pos == 0 and self.seq(nodes, i + 1, pos, k)
        if kind == 'Z':
            return pos == len(t) and self.seq(nodes, i + 1, pos, k)
        if kind == 'end':
            ok = pos == len(t) or (pos == len(t) - 1 and t[pos] == '\n')
            return ok and self.seq(nodes, i + 1, pos, k)
        if kind == 'b':
            before = pos > 0 and _is_word(t[pos - 1])
            after = pos < len(t) and _is_word(t[pos])
            return before != after and self.seq(nodes, i + 1, pos, k)
        if kind == 'group':
            for alt in node[1]:
                if self.seq(alt, 0, pos, lambda p: self.seq(nodes, i + 1, p, k)):
                    return True
            return False
        if kind == 'rep':
            return self.rep(node, 0, pos, lambda p: self.seq(nodes, i + 1, p, k))
        raise ValueError('bad node')

    def rep(self, node, count, pos, k):
        _, atom, lo, hi, greedy = node
        if atom[0] in ('lit', 'any', 'cls', 'set'):
            # one character at a time: count how far it can go, then back off
            end = pos
            limit = len(self.t) if hi is None else min(len(self.t), pos + hi)
            while end < limit and self.single(atom, end):
                end += 1
            if end - pos < lo:
                return False
            order = range(end, pos + lo - 1, -1) if greedy else range(pos + lo, end + 1)
            for p in order:
                if k(p):
                    return True
            return False
        can_more = hi is None or count < hi

        def more():
            return can_more and self.seq([atom], 0, pos,
                                         lambda p: p != pos and self.rep(node, count + 1, p, k))
        if count < lo:
            return self.seq([atom], 0, pos, lambda p: self.rep(node, count + 1, p, k))
        if greedy:
            return more() or k(pos)
        return k(pos) or more()


def compile_pattern(pattern):
    parser = _Parser(pattern)
    alts = parser.parse_alternatives()
    if parser.i != len(pattern):
        raise ValueError('unbalanced parenthesis')
    return [('group', alts)]


def search(pattern, text):
    if isinstance(pattern, bytes):
        pattern = pattern.decode('latin-1')
    if isinstance(text, bytes):
        text = text.decode('latin-1')
    nodes = compile_pattern(pattern)
    m = _Matcher(text)
    for start in range(len(text) + 1):
        if m.seq(nodes, 0, start, lambda p: True):
            return True
    return False
