import sys
del sys.modules['impmod_gone']
