open('/tmp/pymm_bi_err_emptymode.txt', '')
