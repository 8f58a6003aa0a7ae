# A small scheduler simulation in the spirit of richards: tasks as objects,
# queues as linked lists, state in attributes, dispatch through methods.
class Packet:
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0


class Task:
    def __init__(self, ident, priority, queue):
        self.ident = ident
        self.priority = priority
        self.queue = queue
        self.count = 0

    def run(self, sched):
        raise NotImplementedError


class Worker(Task):
    def run(self, sched):
        p = self.queue
        if p is None:
            return sched.find(self.ident + 1)
        self.queue = p.link
        p.datum = (p.datum + self.count) & 0xFFFF
        self.count += 1
        p.link = None
        sched.post(p, (self.ident + 1) % sched.ntasks)
        return self


class Idler(Task):
    def run(self, sched):
        self.count += 1
        if self.count % 5 == 0:
            sched.post(Packet(None, self.ident, 1), self.count % sched.ntasks)
        return sched.find(0)


class Scheduler:
    def __init__(self, ntasks):
        self.ntasks = ntasks
        self.tasks = [Idler(0, 0, None)] + [Worker(i, i, None) for i in range(1, ntasks)]
        self.posted = 0

    def post(self, packet, ident):
        t = self.tasks[ident]
        packet.link = t.queue
        t.queue = packet
        self.posted += 1

    def find(self, ident):
        return self.tasks[ident % self.ntasks]

    def schedule(self, steps):
        task = self.tasks[0]
        for _ in range(steps):
            task = task.run(self)
        return self.posted, sum(t.count for t in self.tasks)


print(Scheduler(8).schedule(300000))
