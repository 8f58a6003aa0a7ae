"""functools for pymm: the C core (_functools: reduce, partial, cmp_to_key)
and, in Python, what CPython 3.11 writes in Python too: update_wrapper and
wraps, total_ordering, lru_cache and cache, cached_property, partialmethod,
singledispatch and singledispatchmethod.

lru_cache keeps its entries in a dict in recency order (a hit moves its key
to the end; the oldest entry is the first key), which gives CPython's
observable behaviour -- hits, misses, eviction order, cache_info() -- with
less code than a linked list.  pymm has no threads, so nothing here takes
a lock.

singledispatch dispatches over the argument's class MRO (the first class
in type(arg).__mro__ with a registered implementation); pymm has no abc
module, so virtual subclasses (ABC.register) and union types are not
consulted -- registering an ABC or a union is the gap.  Annotations given
as strings are evaluated in the function's globals (typing's
get_type_hints does that for the plain cases)."""

from _functools import reduce, partial, cmp_to_key

__all__ = ['update_wrapper', 'wraps', 'WRAPPER_ASSIGNMENTS', 'WRAPPER_UPDATES',
           'total_ordering', 'cache', 'cmp_to_key', 'lru_cache', 'reduce',
           'partial', 'partialmethod', 'singledispatch', 'singledispatchmethod',
           'cached_property']

WRAPPER_ASSIGNMENTS = ('__module__', '__name__', '__qualname__', '__doc__',
                       '__annotations__')
WRAPPER_UPDATES = ('__dict__',)


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS,
                   updated=WRAPPER_UPDATES):
    """Make wrapper look like wrapped: copy the assigned attributes that
    wrapped has, merge the updated ones, and point __wrapped__ at it."""
    for name in assigned:
        try:
            value = getattr(wrapped, name)
        except AttributeError:
            continue
        setattr(wrapper, name, value)
    for name in updated:
        getattr(wrapper, name).update(getattr(wrapped, name, {}))
    # set last: a __wrapped__ copied from wrapped's __dict__ must not win
    wrapper.__wrapped__ = wrapped
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    """Decorator form of update_wrapper."""
    return partial(update_wrapper, wrapped=wrapped, assigned=assigned,
                   updated=updated)


# ---- total_ordering ---------------------------------------------------------

def _derive(op, via, also):
    # the comparison `op` from the root `via`: not via(other), or
    # via(other) combined with == / != as `also` says
    def derived(self, other):
        result = getattr(type(self), via)(self, other)
        if result is NotImplemented:
            return result
        if also == 'or_eq':
            return result or self == other
        if also == 'and_ne':
            return (not result) and self != other
        if also == 'not_or_eq':
            return (not result) or self == other
        if also == 'and_not_eq':
            return result and self != other
        return not result
    derived.__name__ = op
    return derived


_ORDER_FROM = {
    '__lt__': [('__gt__', 'and_ne'), ('__le__', 'or_eq'), ('__ge__', 'not')],
    '__le__': [('__ge__', 'not_or_eq'), ('__lt__', 'and_not_eq'), ('__gt__', 'not')],
    '__gt__': [('__lt__', 'and_ne'), ('__ge__', 'or_eq'), ('__le__', 'not')],
    '__ge__': [('__le__', 'not_or_eq'), ('__gt__', 'and_not_eq'), ('__lt__', 'not')],
}


def total_ordering(cls):
    """Class decorator that fills in missing ordering methods."""
    roots = {op for op in _ORDER_FROM
             if getattr(cls, op, None) is not getattr(object, op, None)}
    if not roots:
        raise ValueError('must define at least one ordering operation: < > <= >=')
    root = max(roots)       # CPython prefers __lt__ over __le__ over __gt__ over __ge__
    for op, how in _ORDER_FROM[root]:
        if op not in roots:
            f = _derive(op, root, how)
            # CPython's helpers are named _gt_from_lt and so on
            f.__qualname__ = '_%s_from_%s' % (op[2:4], root[2:4])
            setattr(cls, op, f)
    return cls


# ---- lru_cache --------------------------------------------------------------

_CacheInfo = None       # collections.namedtuple("CacheInfo", ...), made on first use


def _cache_info(hits, misses, maxsize, currsize):
    # collections is imported only when a cache is asked for its statistics:
    # `import functools` stays small (the fault sweeps run it whole)
    global _CacheInfo
    if _CacheInfo is None:
        from collections import namedtuple
        _CacheInfo = namedtuple("CacheInfo", ["hits", "misses", "maxsize", "currsize"])
    return _CacheInfo(hits, misses, maxsize, currsize)


class _HashedSeq(list):
    """A key list that hashes once."""
    __slots__ = 'hashvalue'

    def __init__(self, tup, hash=hash):
        self[:] = tup
        self.hashvalue = hash(tup)

    def __hash__(self):
        return self.hashvalue


_KWD_MARK = (object(),)
_FAST_TYPES = {int, str}


def _make_key(args, kwds, typed):
    key = args
    if kwds:
        key += _KWD_MARK
        for item in kwds.items():
            key += item
    if typed:
        key += tuple(type(v) for v in args)
        if kwds:
            key += tuple(type(v) for v in kwds.values())
    elif len(key) == 1 and type(key[0]) in _FAST_TYPES:
        return key[0]
    return _HashedSeq(key)


def lru_cache(maxsize=128, typed=False):
    """Least-recently-used cache decorator (see CPython's documentation):
    maxsize None grows without bound, 0 caches nothing; typed keeps 3 and
    3.0 apart.  The wrapper has cache_info(), cache_clear() and
    cache_parameters()."""
    if isinstance(maxsize, int):
        if maxsize < 0:
            maxsize = 0
    elif callable(maxsize) and isinstance(typed, bool):
        user_function, maxsize = maxsize, 128
        wrapper = _lru_cache_wrapper(user_function, maxsize, typed)
        wrapper.cache_parameters = lambda: {'maxsize': maxsize, 'typed': typed}
        return update_wrapper(wrapper, user_function)
    elif maxsize is not None:
        raise TypeError('Expected first argument to be an integer, a callable, or None')

    def decorating_function(user_function):
        wrapper = _lru_cache_wrapper(user_function, maxsize, typed)
        wrapper.cache_parameters = lambda: {'maxsize': maxsize, 'typed': typed}
        return update_wrapper(wrapper, user_function)

    return decorating_function


def _lru_cache_wrapper(user_function, maxsize, typed):
    cache = {}
    stats = [0, 0]          # hits, misses
    missing = object()

    if maxsize == 0:
        def wrapper(*args, **kwds):
            stats[1] += 1
            return user_function(*args, **kwds)
    elif maxsize is None:
        def wrapper(*args, **kwds):
            key = _make_key(args, kwds, typed)
            result = cache.get(key, missing)
            if result is not missing:
                stats[0] += 1
                return result
            stats[1] += 1
            result = user_function(*args, **kwds)
            cache[key] = result
            return result
    else:
        def wrapper(*args, **kwds):
            key = _make_key(args, kwds, typed)
            result = cache.pop(key, missing)
            if result is not missing:
                cache[key] = result          # most recent last
                stats[0] += 1
                return result
            stats[1] += 1
            result = user_function(*args, **kwds)
            if key in cache:
                # the call itself cached this key (recursion): keep that one
                return result
            if len(cache) >= maxsize:
                del cache[next(iter(cache))]
            cache[key] = result
            return result

    def cache_info():
        """Report cache statistics"""
        return _cache_info(stats[0], stats[1], maxsize, len(cache))

    def cache_clear():
        """Clear the cache and cache statistics"""
        cache.clear()
        stats[0] = stats[1] = 0

    wrapper.cache_info = cache_info
    wrapper.cache_clear = cache_clear
    return wrapper


def cache(user_function, /):
    'Simple lightweight unbounded cache.  Sometimes called "memoize".'
    return lru_cache(maxsize=None)(user_function)


# ---- cached_property --------------------------------------------------------

_NOT_FOUND = object()


class cached_property:
    def __init__(self, func):
        self.func = func
        self.attrname = None
        self.__doc__ = func.__doc__

    def __set_name__(self, owner, name):
        if self.attrname is None:
            self.attrname = name
        elif name != self.attrname:
            raise TypeError(
                "Cannot assign the same cached_property to two different names "
                f"({self.attrname!r} and {name!r})."
            )

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.attrname is None:
            raise TypeError(
                "Cannot use cached_property instance without calling __set_name__ on it.")
        try:
            cache = instance.__dict__
        except AttributeError:
            msg = (
                f"No '__dict__' attribute on {type(instance).__name__!r} "
                f"instance to cache {self.attrname!r} property."
            )
            raise TypeError(msg) from None
        val = cache.get(self.attrname, _NOT_FOUND)
        if val is _NOT_FOUND:
            val = self.func(instance)
            try:
                cache[self.attrname] = val
            except TypeError:
                msg = (
                    f"The '__dict__' attribute on {type(instance).__name__!r} instance "
                    f"does not support item assignment for caching {self.attrname!r} property."
                )
                raise TypeError(msg) from None
        return val

    __class_getitem__ = classmethod(type(list[int]))   # GenericAlias


# ---- partialmethod -----------------------------------------------------------

class partialmethod(object):
    """Method descriptor with partial application of the given arguments
    and keywords.

    Supports wrapping existing descriptors and handles non-descriptor
    callables as instance methods.
    """

    def __init__(self, func, /, *args, **keywords):
        if not callable(func) and not hasattr(func, "__get__"):
            raise TypeError("{!r} is not callable or a descriptor".format(func))
        if isinstance(func, partialmethod):
            # flatten: the inner one's arguments come first
            self.func = func.func
            self.args = func.args + args
            self.keywords = dict(func.keywords)
            self.keywords.update(keywords)
        else:
            self.func = func
            self.args = args
            self.keywords = keywords

    def __repr__(self):
        shown_args = ", ".join(repr(a) for a in self.args)
        shown_kw = ", ".join("%s=%r" % (k, v) for k, v in self.keywords.items())
        return "%s.%s(%r, %s, %s)" % (type(self).__module__, type(self).__qualname__,
                                      self.func, shown_args, shown_kw)

    def _unbound(self):
        pm = self

        def _method(cls_or_self, /, *args, **keywords):
            merged = dict(pm.keywords)
            merged.update(keywords)
            return pm.func(cls_or_self, *pm.args, *args, **merged)
        _method.__isabstractmethod__ = self.__isabstractmethod__
        _method._partialmethod = self
        return _method

    def __get__(self, obj, cls=None):
        getter = getattr(self.func, "__get__", None)
        if getter is not None:
            bound = getter(obj, cls)
            if bound is not self.func:
                # a descriptor that bound (a function, classmethod, ...)
                result = partial(bound, *self.args, **self.keywords)
                try:
                    result.__self__ = bound.__self__
                except AttributeError:
                    pass
                return result
        return self._unbound().__get__(obj, cls)

    @property
    def __isabstractmethod__(self):
        return getattr(self.func, "__isabstractmethod__", False)

    __class_getitem__ = classmethod(type(list[int]))   # GenericAlias


# ---- singledispatch ------------------------------------------------------------

def _find_impl(cls, registry):
    """The implementation registered for the first class of cls's MRO that
    has one (None when nothing matches, not even object)."""
    for klass in getattr(cls, "__mro__", (cls, object)):
        if klass in registry:
            return registry[klass]
    return None


def singledispatch(func):
    """Single-dispatch generic function decorator.

    Transforms a function into a generic function, which can have different
    behaviours depending upon the type of its first argument. The decorated
    function acts as the default implementation, and additional
    implementations can be registered using the register() attribute of the
    generic function.
    """
    import types
    import weakref

    registry = {}
    dispatch_cache = weakref.WeakKeyDictionary()

    def dispatch(cls):
        """generic_func.dispatch(cls) -> <function implementation>

        Runs the dispatch algorithm to return the best available implementation
        for the given *cls* registered on *generic_func*.

        """
        try:
            return dispatch_cache[cls]
        except KeyError:
            pass
        except TypeError:
            # a class that cannot be weakly referenced: no caching
            return _find_impl(cls, registry)
        impl = _find_impl(cls, registry)
        dispatch_cache[cls] = impl
        return impl

    def register(cls, func=None):
        """generic_func.register(cls, func) -> func

        Registers a new implementation for the given *cls* on a *generic_func*.

        """
        if isinstance(cls, type):
            if func is None:
                return lambda f: register(cls, f)
        else:
            if func is not None:
                raise TypeError("Invalid first argument to `register()`. "
                                "%r is not a class or union type." % (cls,))
            ann = getattr(cls, "__annotations__", {})
            if not ann:
                raise TypeError("Invalid first argument to `register()`: %r. "
                                "Use either `@register(some_class)` or plain `@register` "
                                "on an annotated function." % (cls,))
            func = cls
            argname, cls = next(iter(ann.items()))
            if isinstance(cls, str):
                cls = eval(cls, getattr(func, "__globals__", {}))
            if not isinstance(cls, type):
                raise TypeError("Invalid annotation for %r. %r is not a class." % (argname, cls))
        registry[cls] = func
        dispatch_cache.clear()
        return func

    def wrapper(*args, **kw):
        if not args:
            raise TypeError("%s requires at least 1 positional argument" % funcname)
        return dispatch(args[0].__class__)(*args, **kw)

    funcname = getattr(func, "__name__", "singledispatch function")
    registry[object] = func
    wrapper.register = register
    wrapper.dispatch = dispatch
    wrapper.registry = types.MappingProxyType(registry)
    wrapper._clear_cache = dispatch_cache.clear
    update_wrapper(wrapper, func)
    return wrapper


class singledispatchmethod:
    """Single-dispatch generic method descriptor.

    Supports wrapping existing descriptors and handles non-descriptor
    callables as instance methods.
    """

    def __init__(self, func):
        if not callable(func) and not hasattr(func, "__get__"):
            raise TypeError("%r is not callable or a descriptor" % (func,))
        self.dispatcher = singledispatch(func)
        self.func = func

    def register(self, cls, method=None):
        """generic_method.register(cls, func) -> func

        Registers a new implementation for the given *cls* on a *generic_method*.
        """
        return self.dispatcher.register(cls, func=method)

    def __get__(self, obj, cls=None):
        dispatcher = self.dispatcher

        def _method(*args, **kwargs):
            impl = dispatcher.dispatch(args[0].__class__)
            return impl.__get__(obj, cls)(*args, **kwargs)

        _method.__isabstractmethod__ = self.__isabstractmethod__
        _method.register = self.register
        update_wrapper(_method, self.func)
        return _method

    @property
    def __isabstractmethod__(self):
        return getattr(self.func, "__isabstractmethod__", False)
