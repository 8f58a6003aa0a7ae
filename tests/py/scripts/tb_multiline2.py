items = [1, 2]
value = items[
    7
]
