a = 1
b = "x"
total = (a +
         b)
