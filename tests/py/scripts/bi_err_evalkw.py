print(eval('2 * 3'))
eval('1', globals={})
