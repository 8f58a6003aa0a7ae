"""impmod_a: a plain module for the import scripts."""
X = 1
Y = [1, 2, 3]
_private = 'p'
print('impmod_a runs once, as', __name__)
