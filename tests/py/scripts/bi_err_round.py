print(round(7, -1), round(0.5))
round('a')
