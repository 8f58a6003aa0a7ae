"""Placeholder (test-only): pymm has no pickle module yet.  See _pymm_missing.py."""
from _pymm_missing import module_getattr
__getattr__ = module_getattr('pickle')
PYMM_PLACEHOLDER = True
