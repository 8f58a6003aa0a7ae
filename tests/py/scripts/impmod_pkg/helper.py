H = 'helper-h'
