from . import helper
V = 'sub-v'
H = helper.H
print('impmod_pkg.sub', __name__, __package__)
