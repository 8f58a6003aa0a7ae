import atexit
atexit.register(print, 'not run')
atexit.register(print, 'run by hand', 1)
atexit._run_exitfuncs()
print('after run')
atexit.register(print, 'cleared')
atexit._clear()
atexit.register(print, 'at exit', 2)
print(len([1, 2]))
