"""Placeholder (test-only): pymm has no weakref module yet.  See _pymm_missing.py."""
from _pymm_missing import module_getattr
__getattr__ = module_getattr('weakref')
PYMM_PLACEHOLDER = True
