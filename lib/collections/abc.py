"""The collections ABCs a program checks with isinstance / issubclass.

pymm's own code.  CPython builds these with abc.ABCMeta, whose
__subclasshook__ machinery makes isinstance([], Iterable) true for any
class that has the right methods.  Here the same check is written as a
method-presence test per ABC (`_check`), used by a small metaclass when the
runtime can make one (a subclass of `type`); while it cannot, the ABCs are
plain classes and isinstance() is true only for their declared subclasses
(see `HAVE_STRUCTURAL_CHECKS`).  Registration (`register`) works either way
for what `_check` consults.
"""

__all__ = ["Hashable", "Iterable", "Iterator", "Generator", "Reversible",
           "Sized", "Container", "Callable", "Collection", "Set",
           "MutableSet", "Mapping", "MutableMapping", "Sequence",
           "MutableSequence", "ByteString", "KeysView", "ItemsView",
           "ValuesView", "MappingView", "Awaitable", "Coroutine",
           "AsyncIterable", "AsyncIterator", "AsyncGenerator"]


def _has(cls, *names):
    """Whether every name is defined (and not None) along cls's MRO."""
    mro = cls.__mro__
    if "__hash__" in names:
        if getattr(cls, "__hash__", None) is None:
            return False
        # A type that defines __eq__ below the class its __hash__ comes
        # from is unhashable (CPython sets __hash__ = None there; pymm's
        # built-in types may leave the name out of their dict).
        for base in mro:
            d = base.__dict__
            if "__hash__" in d:
                break
            if "__eq__" in d:
                return False
    for name in names:
        for base in mro:
            if name in base.__dict__:
                if base.__dict__[name] is None:
                    return False
                break
        else:
            return False
    return True


# The built-in types each ABC stands for (CPython registers them).
_REGISTERED = {}


def _registered(abc_name, cls):
    for base in cls.__mro__:
        if base in _REGISTERED.get(abc_name, ()):
            return True
    return False


_CHECKS = {
    "Hashable": lambda c: _has(c, "__hash__"),
    "Iterable": lambda c: _has(c, "__iter__"),
    "Iterator": lambda c: _has(c, "__iter__", "__next__"),
    "Generator": lambda c: _has(c, "__iter__", "__next__", "send", "throw", "close"),
    "Reversible": lambda c: _has(c, "__reversed__", "__iter__"),
    "Sized": lambda c: _has(c, "__len__"),
    "Container": lambda c: _has(c, "__contains__"),
    "Callable": lambda c: _has(c, "__call__"),
    "Collection": lambda c: _has(c, "__len__", "__iter__", "__contains__"),
    "Awaitable": lambda c: _has(c, "__await__"),
    "Coroutine": lambda c: _has(c, "__await__", "send", "throw", "close"),
    "AsyncIterable": lambda c: _has(c, "__aiter__"),
    "AsyncIterator": lambda c: _has(c, "__aiter__", "__anext__"),
    "AsyncGenerator": lambda c: _has(c, "__aiter__", "__anext__", "asend", "athrow", "aclose"),
}


def _abc_subclass(abc, cls):
    """issubclass(cls, abc) as CPython's ABCs answer it."""
    if abc in cls.__mro__:
        return True
    name = abc.__name__
    if _registered(name, cls):
        return True
    for sub in abc._abc_subs:
        if _abc_subclass(sub, cls):
            return True
    check = _CHECKS.get(name)
    return bool(check and check(cls))


try:
    class _ABCMeta(type):
        def __instancecheck__(cls, instance):
            return _abc_subclass(cls, type(instance))

        def __subclasscheck__(cls, subclass):
            return _abc_subclass(cls, subclass)

    HAVE_STRUCTURAL_CHECKS = True
except TypeError:
    _ABCMeta = type
    HAVE_STRUCTURAL_CHECKS = False


class _ABC(metaclass=_ABCMeta):
    __slots__ = ()
    _abc_subs = ()

    @classmethod
    def register(cls, subclass):
        _REGISTERED.setdefault(cls.__name__, []).append(subclass)
        return subclass


class Hashable(_ABC):
    __slots__ = ()
    _abc_subs = []

    def __hash__(self):
        return 0


class Iterable(_ABC):
    __slots__ = ()
    _abc_subs = []

    def __iter__(self):
        while False:
            yield None


class Iterator(Iterable):
    __slots__ = ()
    _abc_subs = []

    def __next__(self):
        raise StopIteration

    def __iter__(self):
        return self


class Reversible(Iterable):
    __slots__ = ()
    _abc_subs = []


class Generator(Iterator):
    __slots__ = ()
    _abc_subs = []


class Sized(_ABC):
    __slots__ = ()
    _abc_subs = []

    def __len__(self):
        return 0


class Container(_ABC):
    __slots__ = ()
    _abc_subs = []

    def __contains__(self, x):
        return False


class Collection(Sized, Iterable, Container):
    __slots__ = ()
    _abc_subs = []


class Callable(_ABC):
    __slots__ = ()
    _abc_subs = []

    def __call__(self, *args, **kwds):
        return False


class Awaitable(_ABC):
    __slots__ = ()
    _abc_subs = []


class Coroutine(Awaitable):
    __slots__ = ()
    _abc_subs = []


class AsyncIterable(_ABC):
    __slots__ = ()
    _abc_subs = []


class AsyncIterator(AsyncIterable):
    __slots__ = ()
    _abc_subs = []


class AsyncGenerator(AsyncIterator):
    __slots__ = ()
    _abc_subs = []


class Set(Collection):
    __slots__ = ()
    _abc_subs = []

    def __le__(self, other):
        if not isinstance(other, Set):
            return NotImplemented
        if len(self) > len(other):
            return False
        for elem in self:
            if elem not in other:
                return False
        return True

    def __ge__(self, other):
        if not isinstance(other, Set):
            return NotImplemented
        return other.__le__(self)

    def __eq__(self, other):
        if not isinstance(other, Set):
            return NotImplemented
        return len(self) == len(other) and self.__le__(other)

    def isdisjoint(self, other):
        for value in other:
            if value in self:
                return False
        return True


class MutableSet(Set):
    __slots__ = ()
    _abc_subs = []


class Mapping(Collection):
    """A read-only mapping: __getitem__, __iter__ and __len__ give the rest."""

    __slots__ = ()
    _abc_subs = []

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key):
        try:
            self[key]
        except KeyError:
            return False
        return True

    def keys(self):
        return KeysView(self)

    def items(self):
        return ItemsView(self)

    def values(self):
        return ValuesView(self)

    def __eq__(self, other):
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    __reversed__ = None


class MutableMapping(Mapping):
    """A mapping with __setitem__ and __delitem__; pop, popitem, clear,
    update and setdefault come from them."""

    __slots__ = ()
    _abc_subs = []
    __marker = object()

    def pop(self, key, default=__marker):
        try:
            value = self[key]
        except KeyError:
            if default is self.__marker:
                raise
            return default
        del self[key]
        return value

    def popitem(self):
        try:
            key = next(iter(self))
        except StopIteration:
            raise KeyError from None
        value = self[key]
        del self[key]
        return key, value

    def clear(self):
        try:
            while True:
                self.popitem()
        except KeyError:
            pass

    def update(self, other=(), /, **kwds):
        if isinstance(other, Mapping) or isinstance(other, dict):
            for key in other:
                self[key] = other[key]
        elif hasattr(other, "keys"):
            for key in other.keys():
                self[key] = other[key]
        else:
            for key, value in other:
                self[key] = value
        for key, value in kwds.items():
            self[key] = value

    def setdefault(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            self[key] = default
        return default


class Sequence(Reversible, Collection):
    """A read-only sequence: __getitem__ and __len__ give the rest."""

    __slots__ = ()
    _abc_subs = []

    def __iter__(self):
        i = 0
        try:
            while True:
                v = self[i]
                yield v
                i += 1
        except IndexError:
            return

    def __contains__(self, value):
        for v in self:
            if v is value or v == value:
                return True
        return False

    def __reversed__(self):
        for i in reversed(range(len(self))):
            yield self[i]

    def index(self, value, start=0, stop=None):
        if start is not None and start < 0:
            start = max(len(self) + start, 0)
        if stop is not None and stop < 0:
            stop += len(self)
        i = start
        while stop is None or i < stop:
            try:
                v = self[i]
            except IndexError:
                break
            if v is value or v == value:
                return i
            i += 1
        raise ValueError

    def count(self, value):
        return sum(1 for v in self if v is value or v == value)


class ByteString(Sequence):
    __slots__ = ()
    _abc_subs = []


class MutableSequence(Sequence):
    __slots__ = ()
    _abc_subs = []

    def append(self, value):
        self.insert(len(self), value)

    def clear(self):
        try:
            while True:
                self.pop()
        except IndexError:
            pass

    def reverse(self):
        n = len(self)
        for i in range(n // 2):
            self[i], self[n - i - 1] = self[n - i - 1], self[i]

    def extend(self, values):
        if values is self:
            values = list(values)
        for v in values:
            self.append(v)

    def pop(self, index=-1):
        v = self[index]
        del self[index]
        return v

    def remove(self, value):
        del self[self.index(value)]

    def __iadd__(self, values):
        self.extend(values)
        return self


class MappingView(Sized):
    __slots__ = ("_mapping",)
    _abc_subs = []

    def __init__(self, mapping):
        self._mapping = mapping

    def __len__(self):
        return len(self._mapping)

    def __repr__(self):
        return "{0.__class__.__name__}({0._mapping!r})".format(self)


class KeysView(MappingView, Set):
    __slots__ = ()
    _abc_subs = []

    def __contains__(self, key):
        return key in self._mapping

    def __iter__(self):
        yield from self._mapping


class ItemsView(MappingView, Set):
    __slots__ = ()
    _abc_subs = []

    def __contains__(self, item):
        key, value = item
        try:
            v = self._mapping[key]
        except KeyError:
            return False
        return v is value or v == value

    def __iter__(self):
        for key in self._mapping:
            yield (key, self._mapping[key])


class ValuesView(MappingView, Collection):
    __slots__ = ()
    _abc_subs = []

    def __contains__(self, value):
        for key in self._mapping:
            v = self._mapping[key]
            if v is value or v == value:
                return True
        return False

    def __iter__(self):
        for key in self._mapping:
            yield self._mapping[key]


def _register_builtins():
    gen = type((lambda: (yield))())
    tables = {
        "Hashable": (int, float, complex, str, bytes, tuple, frozenset, type(None)),
        "Iterable": (list, tuple, dict, set, frozenset, str, bytes, bytearray, range),
        "Iterator": (gen,),
        "Generator": (gen,),
        "Reversible": (list, tuple, dict, str, bytes, bytearray, range),
        "Sized": (list, tuple, dict, set, frozenset, str, bytes, bytearray, range),
        "Container": (list, tuple, dict, set, frozenset, str, bytes, bytearray, range),
        "Collection": (list, tuple, dict, set, frozenset, str, bytes, bytearray, range),
        "Set": (set, frozenset, type({}.keys()), type({}.items())),
        "MutableSet": (set,),
        "Mapping": (dict,),
        "MutableMapping": (dict,),
        "Sequence": (list, tuple, str, bytes, bytearray, range, memoryview),
        "MutableSequence": (list, bytearray),
        "ByteString": (bytes, bytearray),
        "KeysView": (type({}.keys()),),
        "ItemsView": (type({}.items()),),
        "ValuesView": (type({}.values()),),
    }
    for name, types in tables.items():
        _REGISTERED.setdefault(name, []).extend(types)


_register_builtins()
# The class hierarchy of the ABCs stands in for CPython's own subclass
# registry: an explicit subclass of Mapping is a Collection, and so on.
for _sub in (Iterator, Reversible, Collection):
    Iterable._abc_subs.append(_sub)
Iterator._abc_subs.append(Generator)
for _sub in (Collection, MappingView):
    Sized._abc_subs.append(_sub)
Container._abc_subs.append(Collection)
for _sub in (Set, Mapping, Sequence, ValuesView):
    Collection._abc_subs.append(_sub)
Set._abc_subs.extend([MutableSet, KeysView, ItemsView])
Mapping._abc_subs.append(MutableMapping)
Sequence._abc_subs.extend([MutableSequence, ByteString])
Reversible._abc_subs.extend([Sequence])
del _sub
