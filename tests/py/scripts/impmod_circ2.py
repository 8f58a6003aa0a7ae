import impmod_circ1
print(impmod_circ1.Y)
