# match: literals, captures, sequences with stars, mappings with **rest,
# classes with positional and keyword patterns, or-patterns, guards, as
def f(cmd):
    match cmd:
        case 0 | 1 | -1:
            return "small"
        case "go", direction:
            return direction
        case [first, *rest] if rest:
            return first
        case [_, _, *_, last]:
            return last
        case {"x": x, "y": y, **others}:
            return x, y, others
        case {}:
            return {}
        case Point(x=0, y=0):
            return "origin"
        case Point(a, b, c=[d, *e]) as p:
            return p
        case (1 | 2) as n:
            return n
        case str() | bytes():
            return "text"
        case Color.RED:
            return "red"
        case None | True | False:
            return cmd
        case _:
            return None
match x:
    case [a, b] | (b, a):
        pass
