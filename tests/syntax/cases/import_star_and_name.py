finally:
  pass
