print(eval('y', {'y': 2}))
eval('undefined_name_q')
