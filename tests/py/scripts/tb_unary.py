s = "abc"
t = -s
