from sys import nosuch
