print(chr(65))
chr(0x110000)
