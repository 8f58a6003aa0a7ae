x = 1
ok = x < "a"
