# posix under allocation failures (run.py's fault sweep): the C module's
# paths, errors and results; os.py's layer is ordinary Python.
import posix
print(posix.getpid() == posix.getpid(), posix.fspath('a'), len(posix.urandom(5)), posix.strerror(2))
print(sorted(posix.listdir('.'))[:0], posix.stat('.')[0] > 0)
try:
    posix.stat('sa_no_such_file')
except OSError as e:
    print(type(e).__name__, e)
try:
    posix.rename('sa_no_such_1', 'sa_no_such_2')
except OSError as e:
    print(type(e).__name__, e)
try:
    posix.mkdir(1.5)
except TypeError as e:
    print(e)
print(type(posix.environ).__name__, posix.getcwd() == posix.getcwd())
