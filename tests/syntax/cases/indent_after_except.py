try:
  x
except:
y
