# imports: plain, dotted, as, from, relative, star
import os
import os.path
import os.path as osp
import a.b.c as d
from collections import OrderedDict, deque as dq
from . import sibling
from ..pkg import mod
from .mod import *
def f():
    import json
    from json import loads as l
    return json, l
