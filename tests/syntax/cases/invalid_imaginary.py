x = 5j2
