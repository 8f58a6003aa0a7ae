open('/nonexistent-dir-pymm/x')
