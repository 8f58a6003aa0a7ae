"""Placeholder (test-only): pymm has no operator module yet.  See _pymm_missing.py."""
from _pymm_missing import module_getattr
__getattr__ = module_getattr('operator')
PYMM_PLACEHOLDER = True
