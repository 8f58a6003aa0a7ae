import sys
sys.setrecursionlimit(1.5)
