"""sysconfig for CPython's test files under pymm (test-only): pymm has no
build configuration variables, so every lookup finds nothing."""


def get_config_vars(*args):
    if args:
        return [None for _ in args]
    return {}


def get_config_var(name):
    return None


def get_platform():
    return 'linux-x86_64'
