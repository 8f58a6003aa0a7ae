total = 0
for i in [1, 2, 3]:
    if i == 3:
	    pass
    total = total + i
    if total > 5:
        print(total)
        x = total % (i - 3)
