import impmod_circ1_ok
Z = 'z'
print('circ2 sees partial circ1', 'Y' in impmod_circ1_ok.__dict__)
