if True:

  pass
    pass
