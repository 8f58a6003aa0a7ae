print('impmod_pkg init', __name__, __package__)
PKG = 'pkg'
