# A tour of memoryview and the buffer protocol: views share the memory of
# the object they look at; slicing a view copies nothing.
import sys

data = bytearray(b"hello world")
view = memoryview(data)
print("view:", view.nbytes, "bytes, format", repr(view.format), "readonly", view.readonly)

print("-- a slice of a view is a view of the same memory")
word = view[6:11]
word[0] = ord("W")
print("data after writing through a slice:", data)
print("the slice's obj is data:", word.obj is data)

print("-- bytes slicing copies, view slicing does not")
big = bytes(1_000_000)
copy = big[:500_000]
window = memoryview(big)[:500_000]
print("size of a bytes slice:", sys.getsizeof(copy))
print("size of a memoryview slice:", sys.getsizeof(window))

print("-- while a view exists, the buffer cannot be resized")
try:
    data.append(33)
except BufferError as e:
    print("BufferError:", e)
view.release()
word.release()
data.append(33)
print("after release:", data)

print("-- casting reinterprets the same bytes")
raw = bytearray(8)
as_ints = memoryview(raw).cast("i")
as_ints[0] = 1
as_ints[1] = -1
print("as ints:", as_ints.tolist(), "raw:", bytes(raw))
as_ints.release()

print("-- shape and strides")
m = memoryview(bytearray(range(12))).cast("B", shape=[3, 4])
print("shape", m.shape, "strides", m.strides, "row 1:", m.tolist()[1])
print("tobytes:", m.tobytes())
print("hex:", m[::1].hex(" ") if m.ndim == 1 else m.tobytes().hex(" "))
m.release()

print("-- a read-only buffer gives a read-only view")
ro = memoryview(b"abc")
try:
    ro[0] = 65
except TypeError as e:
    print("TypeError:", e)
