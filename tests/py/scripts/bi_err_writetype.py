f = open('/tmp/pymm_bi_err_wt.txt', 'w')
f.write(b'x')
