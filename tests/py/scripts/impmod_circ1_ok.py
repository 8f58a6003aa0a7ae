import impmod_circ2_ok
Y = 'y'
print('circ1 done', impmod_circ2_ok.Z)
