# -*- coding: latin-1 -*-
s = "café"
t = "été" + s + 1 + "à"
