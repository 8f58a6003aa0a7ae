# Method calls and attribute reads/writes on instances and through a class
# hierarchy (richards-style object code).
class Account:
    rate = 3

    def __init__(self, owner, balance):
        self.owner = owner
        self.balance = balance
        self.history = 0

    def deposit(self, amount):
        self.balance += amount
        self.history += 1
        return self

    def interest(self):
        return self.balance * self.rate // 100


class Savings(Account):
    rate = 5

    def deposit(self, amount):
        super().deposit(amount + 1)
        return self

    @property
    def total(self):
        return self.balance + self.interest()


def work(n):
    a = Account("a", 100)
    s = Savings("s", 100)
    t = 0
    for i in range(n):
        a.deposit(i & 7)
        s.deposit(i & 3)
        t += a.interest() + s.total
        if a.balance > 10000:
            a.balance = 100
            s.balance = 100
    return t + a.history + s.history

print(work(150000))
