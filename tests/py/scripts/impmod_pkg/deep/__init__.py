from .. import sub
from ..sub import V
DEEP = 'deep ' + V
