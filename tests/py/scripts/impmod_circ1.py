import impmod_circ2
Y = 'y'
