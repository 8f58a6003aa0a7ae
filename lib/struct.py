"""Functions to convert between Python values and C structs.

pymm's struct: everything lives in the built-in module _struct
(interp/mod_struct.c); this layer re-exports it as CPython's Lib/struct.py
does.
"""
__all__ = [
    # Functions
    'calcsize', 'pack', 'pack_into', 'unpack', 'unpack_from',
    'iter_unpack',

    # Classes
    'Struct',

    # Exceptions
    'error'
    ]

from _struct import *
from _struct import _clearcache
from _struct import __doc__
