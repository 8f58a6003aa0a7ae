try:
  x
finally:
y
