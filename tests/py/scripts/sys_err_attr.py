import sys
sys.nosuch
