# Structural pattern matching: sequence, mapping and class patterns
# (MATCH_SEQUENCE, MATCH_MAPPING, MATCH_KEYS, MATCH_CLASS, GET_LEN).
int, float, str, bool = type(0), type(0.5), type(""), type(True)  # the builtins branch adds the names

def describe(s):
    match s:
        case []:
            return "empty list"
        case [x]:
            return "one: %r" % (x,)
        case [1, *rest]:
            return "starts with 1, rest %r" % (rest,)
        case (a, b, c):
            return "three: %r %r %r" % (a, b, c)
        case {"kind": "point", "x": x, "y": y}:
            return "point %r,%r" % (x, y)
        case {"kind": k, **others}:
            return "kind %r with %r" % (k, others)
        case {}:
            return "some mapping"
        case int(n) if n < 0:
            return "negative int"
        case bool() | None:
            return "bool or None"
        case int(n) | float(n):
            return "number %r" % (n,)
        case str() as text if len(text) > 3:
            return "long str"
        case str(t):
            return "str %r" % (t,)
        case "lit" | b"bytes":
            return "never"
        case _:
            return "other %r" % (type(s).__name__,)

for v in [[], [5], [1, 2, 3], (7, 8, 9), [2, 3, 4, 5], {"kind": "point", "x": 1, "y": 2},
          {"kind": "circle", "r": 3, "c": 0}, {"z": 1}, {}, -4, True, None, 3, 2.5, "hello",
          "hi", b"bytes", (1, 2), "abc"[0], {1, 2}, (x for x in [])]:
    r = describe(v)
    print(r if "generator" not in r else "other generator")

def nested(cmd):
    match cmd:
        case ["go", ("north" | "south") as direction]:
            return "going " + direction
        case ["pick", *items] if len(items) > 1:
            return "picking %d items" % len(items)
        case ["pick", item]:
            return "picking " + item
        case [["a", "b"], [*_, last]]:
            return "nested, last %r" % (last,)
        case {"action": [first, *_]}:
            return "action list starting " + first
        case _:
            return "unknown"

for c in [["go", "north"], ["go", "east"], ["pick", "a", "b"], ["pick", "x"], [["a", "b"], [1, 2, 3]],
          {"action": ["jump", "run"]}, "go north"]:
    print(nested(c))

def errors():
    try:
        match 1:
            case int(1, 2):
                pass
    except TypeError as e:
        print("TypeError:", e)
    try:
        match {"a": 1}:
            case {"a": 1, **rest} if rest:
                pass
            case {"b": 2}:
                pass
        print("no match, no error")
    except TypeError as e:
        print("TypeError:", e)

errors()
