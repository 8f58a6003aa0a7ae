# list[int] (types.GenericAlias) and __class_getitem__.
def t(label, f):
    try:
        r = f()
        print(label, repr(r))
    except Exception as e:
        print(label, 'EXC', type(e).__name__, e)
class C: pass
t('reprs', lambda: (list[int], dict[str, list[int]], tuple[()], tuple[int, ...], list[C], type[int], set[frozenset[str]]))
t('type', lambda: type(list[int]))
t('attrs', lambda: (list[int].__name__, list[int].__origin__, list[int].__args__, list[int].__parameters__, dict[str, int].__args__))
t('call', lambda: list[int]((1, 2)))
t('eq', lambda: (list[int] == list[int], list[int] == list[str], list[int] != list, hash(list[int]) == hash(list[int])))
t('isinstance', lambda: isinstance([], list[int]))
t('issubclass', lambda: issubclass(list, list[int]))
t('again', lambda: list[int][str])
t('int[0]', lambda: int[0])
t('C[0]', lambda: C[0])
t('inst[0]', lambda: C()[0])
class L(list[int]):
    pass
t('base', lambda: (L.__bases__, L.__orig_bases__, L([1])))
class G:
    def __class_getitem__(cls, item):
        return f'{cls.__name__}[{item!r}]'
class H(G): pass
t('class_getitem', lambda: (G[int], H[1, 2], type(G.__dict__['__class_getitem__']).__name__))
class Box(list):
    pass
t('list subclass', lambda: Box[int])
t('GenericAlias()', lambda: type(list[int])(dict, (str, int)))
t('orig_class', lambda: G.__class_getitem__(5))
