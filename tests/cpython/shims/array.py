"""Placeholder (test-only): pymm has no array module yet.  See _pymm_missing.py."""
from _pymm_missing import module_getattr
__getattr__ = module_getattr('array')
PYMM_PLACEHOLDER = True
