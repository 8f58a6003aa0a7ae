import sys
sys.modules['impmod_a'] = None
import impmod_a
