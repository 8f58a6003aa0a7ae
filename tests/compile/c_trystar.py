# except*: exception groups with names, tuples of types, else, finally
def f():
    try:
        a()
    except* ValueError as e:
        b(e)
    except* (TypeError, KeyError):
        c()
    else:
        d()
    finally:
        z()
try:
    pass
except* E:
    pass
