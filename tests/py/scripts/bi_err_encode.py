f = open('/tmp/pymm_bi_err_enc.txt', 'w', encoding='ascii')
f.write('caf\xe9')
