# The seed's example for memory views, unchanged.
data = bytearray(b'hello')
view = memoryview(data)
print(view[0])  # Output: 104 (ASCII for 'h')
view[0] = 72    # Change 'h' to 'H'
print(data)     # Output: bytearray(b'Hello')
