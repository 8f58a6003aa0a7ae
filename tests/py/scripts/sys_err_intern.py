import sys
sys.intern(1)
