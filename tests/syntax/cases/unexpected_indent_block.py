if x:
  y
    z
