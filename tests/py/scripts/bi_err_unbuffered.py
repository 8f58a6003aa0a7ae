f = open('/tmp/pymm_bi_err_unbuffered.txt', 'wb', buffering=0)
print(repr(f), f.write(b'x'))
f.close()
open('/tmp/pymm_bi_err_unbuffered.txt', buffering=0)
