# vim: set fileencoding=utf8 :
s = 'ÿ'
