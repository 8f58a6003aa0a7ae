# circular imports inside a package: `from . import a` while a is still
# loading finds it in sys.modules (IMPORT_FROM's fallback)
import sys
import impmod_cyc
print(impmod_cyc.a.A, impmod_cyc.b.B)
print(sys.modules['impmod_cyc.a'] is impmod_cyc.a)
import impmod_circ1_ok
