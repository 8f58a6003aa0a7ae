# python3 shows a "<frozen codecs>" frame (its codec is Python code): compare the ends only
# run.py: traceback ends only
f = open('/tmp/pymm_bi_err_decode.txt', 'wb')
f.write(b'ab\xffc')
f.close()
print(open('/tmp/pymm_bi_err_decode.txt', 'rb').read())
open('/tmp/pymm_bi_err_decode.txt').read()
