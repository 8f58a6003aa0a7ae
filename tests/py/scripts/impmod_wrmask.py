# Imported by wr_ref.py and wr_proxy.py: reprs with their addresses masked.


def mask(s):
    """s with every 0x<hex digits> replaced by 0x?."""
    out, i = [], 0
    while i < len(s):
        if s.startswith("0x", i):
            out.append("0x?")
            i += 2
            while i < len(s) and s[i] in "0123456789abcdef":
                i += 1
        else:
            out.append(s[i])
            i += 1
    return "".join(out)
