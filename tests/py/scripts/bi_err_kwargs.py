print(len([1]))
len(x=1)
