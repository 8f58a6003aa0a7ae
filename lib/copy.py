"""Shallow and deep copy operations: copy(x), deepcopy(x[, memo]).

pymm's own code; the behaviour follows CPython 3.11's Lib/copy.py.

  copy(x)      immutable built-ins are returned as they are; list, dict,
               set and bytearray copy themselves; a class's __copy__ is
               called; anything else is rebuilt from its reduction
  deepcopy(x)  the same with every part copied recursively; `memo` maps
               id(original) -> copy, so shared parts stay shared and
               cycles end; __deepcopy__(memo) is called when defined

The reduction of an object is the class's own __reduce_ex__(4) /
__reduce__ when it defines one; otherwise it is made here as
object.__reduce_ex__(4) makes it, without copyreg: (cls.__new__, args from
__getnewargs__, the state — __getstate__() or the instance __dict__ and
__slots__ values —, the items of a list subclass, the items of a dict
subclass).
"""

__all__ = ["Error", "copy", "deepcopy"]


class Error(Exception):
    pass


error = Error   # backward compatibility


def _atomic(x, memo=None):
    return x


def _function():
    pass


_ATOMIC_TYPES = (type(None), int, float, bool, complex, str, tuple, bytes,
                 frozenset, type, range, slice, property, type(_function),
                 type(len), type(Ellipsis), type(NotImplemented))

try:
    from _weakref import ref as _weakref_ref
    _ATOMIC_TYPES += (_weakref_ref,)
except ImportError:
    pass

_copy_dispatch = {t: _atomic for t in _ATOMIC_TYPES}
_copy_dispatch[list] = list.copy
_copy_dispatch[dict] = dict.copy
_copy_dispatch[set] = set.copy
_copy_dispatch[bytearray] = bytearray.copy


def copy(x):
    """Shallow copy operation on arbitrary Python objects."""
    cls = type(x)
    copier = _copy_dispatch.get(cls)
    if copier is not None:
        return copier(x)
    if issubclass(cls, type):
        return x
    copier = getattr(cls, "__copy__", None)
    if copier is not None:
        return copier(x)
    rv = _reduce(x, cls)
    if isinstance(rv, str):
        return x
    return _reconstruct(x, None, *rv)


def deepcopy(x, memo=None, _nil=[]):
    """Deep copy operation on arbitrary Python objects."""
    if memo is None:
        memo = {}
    d = id(x)
    y = memo.get(d, _nil)
    if y is not _nil:
        return y
    cls = type(x)
    copier = _deepcopy_dispatch.get(cls)
    if copier is not None:
        y = copier(x, memo)
    elif issubclass(cls, type):
        y = x
    else:
        copier = getattr(x, "__deepcopy__", None)
        if copier is not None:
            y = copier(memo)
        else:
            rv = _reduce(x, cls)
            if isinstance(rv, str):
                y = x
            else:
                y = _reconstruct(x, memo, *rv)
    # An object that is its own copy is not remembered.
    if y is not x:
        memo[d] = y
        _keep_alive(x, memo)
    return y


def _deepcopy_list(x, memo):
    y = []
    memo[id(x)] = y
    append = y.append
    for a in x:
        append(deepcopy(a, memo))
    return y


def _deepcopy_tuple(x, memo):
    y = [deepcopy(a, memo) for a in x]
    # A tuple inside a cycle may have been copied while its items were.
    try:
        return memo[id(x)]
    except KeyError:
        pass
    for k, j in zip(x, y):
        if k is not j:
            return tuple(y)
    return x


def _deepcopy_dict(x, memo):
    y = {}
    memo[id(x)] = y
    for key, value in x.items():
        y[deepcopy(key, memo)] = deepcopy(value, memo)
    return y


def _deepcopy_method(x, memo):
    return x.__func__.__get__(deepcopy(x.__self__, memo), type(x.__self__))


_deepcopy_dispatch = {t: _atomic for t in _ATOMIC_TYPES if t not in (tuple, frozenset, slice)}
_deepcopy_dispatch[list] = _deepcopy_list
_deepcopy_dispatch[tuple] = _deepcopy_tuple
_deepcopy_dispatch[dict] = _deepcopy_dict


class _MethodProbe:
    def m(self):
        pass


_deepcopy_dispatch[type(_MethodProbe().m)] = _deepcopy_method
del _MethodProbe


def _keep_alive(x, memo):
    """Keep x alive as long as memo: its id is a key there."""
    try:
        memo[id(memo)].append(x)
    except KeyError:
        memo[id(memo)] = [x]


# ---- reductions ---------------------------------------------------------------

_object_reduce_ex = getattr(object, "__reduce_ex__", None)
_object_reduce = getattr(object, "__reduce__", None)
_object_getstate = getattr(object, "__getstate__", None)


def _own(cls, name, base_value):
    """The class's attribute `name` when it is not object's own (or None)."""
    value = getattr(cls, name, None)
    if value is None or value is base_value:
        return None
    for klass in cls.__mro__:
        if klass is object:
            return None
        if name in klass.__dict__:
            return value
    return None


def _newobj(cls, *args):
    return cls.__new__(cls, *args)


def _slot_names(cls):
    names = []
    for klass in cls.__mro__:
        slots = klass.__dict__.get("__slots__")
        if slots is None:
            continue
        if isinstance(slots, str):
            slots = (slots,)
        for name in slots:
            if name in ("__dict__", "__weakref__"):
                continue
            if name.startswith("__") and not name.endswith("__"):
                stripped = klass.__name__.lstrip("_")
                if stripped:
                    name = "_%s%s" % (stripped, name)
            names.append(name)
    return names


def _state_of(x, cls):
    getstate = _own(cls, "__getstate__", _object_getstate)
    if getstate is not None:
        return x.__getstate__()
    try:
        d = x.__dict__
    except AttributeError:
        d = None
    state = dict(d) if d else None
    slots = {}
    for name in _slot_names(cls):
        try:
            slots[name] = getattr(x, name)
        except AttributeError:
            pass
    if slots:
        return (state, slots)
    return state


def _reduce_deque(x):
    args = () if x.maxlen is None else ((), x.maxlen)
    return (type(x), args, None, iter(x))


# The reductions CPython's built-in types give themselves.
_builtin_reductions = {
    set: lambda x: (set, (list(x),)),
    frozenset: lambda x: (frozenset, (list(x),)),
    bytearray: lambda x: (bytearray, (bytes(x),)),
    slice: lambda x: (slice, (x.start, x.stop, x.step)),
}

try:
    from _collections import deque as _deque
    _builtin_reductions[_deque] = _reduce_deque
    del _deque
except ImportError:
    pass


def _reduce(x, cls):
    builtin = _builtin_reductions.get(cls)
    if builtin is not None:
        return builtin(x)
    reductor = _own(cls, "__reduce_ex__", _object_reduce_ex)
    if reductor is not None:
        rv = x.__reduce_ex__(4)
    else:
        reductor = _own(cls, "__reduce__", _object_reduce)
        if reductor is not None:
            rv = x.__reduce__()
        else:
            rv = _object_reduction(x, cls)
    if isinstance(rv, str):
        return rv
    if not isinstance(rv, tuple):
        raise Error("un(deep)copyable object of type %s" % cls)
    return rv


def _object_reduction(x, cls):
    if cls.__module__ == "builtins" and cls not in (object,):
        raise TypeError("cannot pickle %r object" % cls.__name__)
    args = ()
    getnewargs = getattr(x, "__getnewargs__", None)
    if getnewargs is not None:
        args = getnewargs()
    listiter = iter(x) if isinstance(x, list) else None
    dictiter = iter(x.items()) if isinstance(x, dict) else None
    return (_newobj, (cls,) + tuple(args), _state_of(x, cls), listiter, dictiter)


def _reconstruct(x, memo, func, args, state=None, listiter=None, dictiter=None,
                 *, deepcopy=deepcopy):
    deep = memo is not None
    if deep and args:
        args = deepcopy(args, memo)
    y = func(*args)
    if deep:
        memo[id(x)] = y

    if state is not None:
        if deep:
            state = deepcopy(state, memo)
        if hasattr(y, "__setstate__"):
            y.__setstate__(state)
        else:
            if isinstance(state, tuple) and len(state) == 2:
                state, slotstate = state
            else:
                slotstate = None
            if state is not None:
                y.__dict__.update(state)
            if slotstate is not None:
                for key, value in slotstate.items():
                    setattr(y, key, value)

    if listiter is not None:
        if deep:
            for item in listiter:
                y.append(deepcopy(item, memo))
        else:
            for item in listiter:
                y.append(item)
    if dictiter is not None:
        if deep:
            for key, value in dictiter:
                y[deepcopy(key, memo)] = deepcopy(value, memo)
        else:
            for key, value in dictiter:
                y[key] = value
    return y


del _function
