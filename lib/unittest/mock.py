"""unittest.mock — a small Mock: a callable that records its calls.

Attributes made on first access are Mocks too; return_value and
side_effect (an exception to raise, a callable to call, or an iterable
of results) as CPython's.  Only what pymm's tests need.
"""

__unittest = True


class _Call:
    """(args, kwargs) of one call."""

    def __init__(self, args, kwargs):
        self.args = args
        self.kwargs = kwargs

    def __eq__(self, other):
        if not isinstance(other, _Call):
            return NotImplemented
        return self.args == other.args and self.kwargs == other.kwargs

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __repr__(self):
        parts = [repr(a) for a in self.args]
        parts += ['%s=%r' % kv for kv in self.kwargs.items()]
        return 'call(%s)' % ', '.join(parts)


def call(*args, **kwargs):
    return _Call(args, kwargs)


class Mock:
    def __init__(self, return_value=None, side_effect=None, name=None, **kwargs):
        d = self.__dict__
        d['_mock_children'] = {}
        d['_mock_name'] = name
        d['return_value'] = return_value
        d['side_effect'] = side_effect
        d['call_args_list'] = []
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __getattr__(self, name):
        if name.startswith('__') and name.endswith('__'):
            raise AttributeError(name)
        children = self.__dict__['_mock_children']
        if name not in children:
            children[name] = Mock(name=name)
        return children[name]

    @property
    def called(self):
        return bool(self.call_args_list)

    @property
    def call_count(self):
        return len(self.call_args_list)

    @property
    def call_args(self):
        return self.call_args_list[-1] if self.call_args_list else None

    def __call__(self, *args, **kwargs):
        self.call_args_list.append(_Call(args, kwargs))
        effect = self.side_effect
        if effect is not None:
            if isinstance(effect, BaseException) or (
                    isinstance(effect, type) and issubclass(effect, BaseException)):
                raise effect
            if callable(effect):
                return effect(*args, **kwargs)
            return next(iter(effect))
        return self.return_value

    def _name(self):
        return self._mock_name or 'mock'

    def assert_not_called(self):
        if self.call_args_list:
            raise AssertionError("Expected '%s' to not have been called. Called %d times."
                                 % (self._name(), len(self.call_args_list)))

    def assert_called(self):
        if not self.call_args_list:
            raise AssertionError("Expected '%s' to have been called." % self._name())

    def assert_called_once(self):
        if len(self.call_args_list) != 1:
            raise AssertionError("Expected '%s' to have been called once. Called %d times."
                                 % (self._name(), len(self.call_args_list)))

    def assert_called_with(self, *args, **kwargs):
        if self.call_args != _Call(args, kwargs):
            raise AssertionError('expected call not found.\nExpected: %r\nActual: %r'
                                 % (_Call(args, kwargs), self.call_args))

    def assert_called_once_with(self, *args, **kwargs):
        self.assert_called_once()
        self.assert_called_with(*args, **kwargs)

    def reset_mock(self):
        del self.call_args_list[:]


MagicMock = Mock
