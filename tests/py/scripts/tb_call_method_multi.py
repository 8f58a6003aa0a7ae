s = "a,b"
parts = s.split(
    1)
