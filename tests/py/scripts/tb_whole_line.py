data = []
data.pop()
