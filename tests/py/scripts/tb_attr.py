n = 5
n.zzzqqq
