from . import DEEP
from .. import PKG
NAME = 'leaf ' + DEEP + ' ' + PKG
