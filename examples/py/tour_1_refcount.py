# A tour of reference counting: every object counts the references to it,
# and is freed the moment the count reaches zero.
#
# sys.getrefcount(x) reports one more than the references you can see: its
# own argument is a reference while it runs.
import sys


def count(label, obj):
    # obj and getrefcount's argument are two more references: subtract them
    print(f"{label:<44} {sys.getrefcount(obj) - 2}")


print("-- names and containers")
x = []
count("x = []", x)
y = x
count("y = x", x)
box = [x, x, x]
count("box = [x, x, x]", x)
d = {"key": x}
count("d = {'key': x}", x)
del box
count("del box", x)
d.clear()
count("d.clear()", x)
del y
count("del y", x)

print("-- a call holds its arguments while it runs")


def inside(arg):
    # arg is one reference; the caller's name x is another
    return sys.getrefcount(arg) - 1


print("references seen inside a call:", inside(x))

print("-- a closure keeps what it captures")


def make_counter():
    items = []

    def add(v):
        items.append(v)
        return len(items)
    return add, items


add, items = make_counter()
count("captured list (cell + our name)", items)
del add
count("after del add (the cell is gone)", items)

print("-- freed the moment the count reaches zero")


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print(f"   {self.name} freed")


n = Noisy("n")
m = n
print("del n (m still refers to it)")
del n
print("del m")
del m
print("after del m")

print("-- small ints and None are shared by everyone")
print("sys.getrefcount(None) is large:", sys.getrefcount(None) > 1000)
