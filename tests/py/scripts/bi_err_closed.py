f = open('/tmp/pymm_bi_err_closed.txt', 'w')
f.close()
print(f.closed)
f.write('x')
