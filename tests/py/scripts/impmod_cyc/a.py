from . import b
A = 'a done'
print('a end', b.B)
