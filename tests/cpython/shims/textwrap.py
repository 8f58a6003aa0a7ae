"""textwrap.dedent for CPython's test files under pymm (test-only)."""


def _indent_of(line):
    n = 0
    while n < len(line) and line[n] in ' \t':
        n += 1
    return line[:n]


def dedent(text):
    """Remove the whitespace prefix common to every non-blank line; lines
    holding only whitespace become empty."""
    lines = text.split('\n')
    margin = None
    for line in lines:
        if not line.strip():
            continue
        ind = _indent_of(line)
        if margin is None:
            margin = ind
        else:
            i = 0
            while i < len(margin) and i < len(ind) and margin[i] == ind[i]:
                i += 1
            margin = margin[:i]
    out = []
    for line in lines:
        if not line.strip():
            out.append('')
        elif margin:
            out.append(line[len(margin):])
        else:
            out.append(line)
    return '\n'.join(out)


def indent(text, prefix, predicate=None):
    if predicate is None:
        predicate = lambda line: line.strip()
    return ''.join(prefix + line if predicate(line) else line
                   for line in text.splitlines(True))
