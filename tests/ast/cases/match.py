match command.split():
    case [action]:
        pass
    case [action, obj]:
        pass
    case Point(x=0, y=0):
        print("Origin")
    case Point(x, 0) | Point(0, x) as pt if x > 1:
        pass
    case {"x": 1, "y": y, **rest}:
        pass
    case (1, 2, *others):
        pass
    case [*_, last]:
        pass
    case 1 | -2 | 3.5 | 1+2j | -1-2j | "s" "t" | b"x" | None | True | False:
        pass
    case a.b.c:
        pass
    case (x):
        pass
    case ():
        pass
    case []:
        pass
    case {}:
        pass
    case _:
        pass
match x, y:
    case 1, 2:
        pass
    case *a, b,:
        pass
match = 1
match.x = 2
match(x)
print(match)
