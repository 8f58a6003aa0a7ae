f = open('/tmp/pymm_bi_err_readarg.txt', 'w')
f.close()
print(repr(open('/tmp/pymm_bi_err_readarg.txt').read(None)))
open('/tmp/pymm_bi_err_readarg.txt').read('x')
