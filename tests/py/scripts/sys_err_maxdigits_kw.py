import sys
sys.set_int_max_str_digits(x=5)
