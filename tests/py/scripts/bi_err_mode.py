open('x', 'rw')
