if True:
	x = [1,	2]
	y = x[	9]
