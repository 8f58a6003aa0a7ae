# a binary operation whose left operand is parenthesised
a = 7
b = 0
print("start")
c = (a) // b  # the operator is found past the ')'
