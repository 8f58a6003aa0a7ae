import sys
sys.getsizeof(1, x=1)
