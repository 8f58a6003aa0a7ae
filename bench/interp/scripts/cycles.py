# Cycles left to the collector: rings of nodes dropped in a loop.
import gc


class Node:
    def __init__(self, prev):
        self.prev = prev
        self.next = None


def ring(n):
    first = Node(None)
    node = first
    for _ in range(n):
        nxt = Node(node)
        node.next = nxt
        node = nxt
    node.next = first
    first.prev = node


for _ in range(300):
    ring(500)
print(gc.collect() >= 0)
